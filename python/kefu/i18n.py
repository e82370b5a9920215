"""The languages of what users read: the CLI's help and messages, the KPI report and the demo.

Two languages: ``"zh"`` (Simplified Chinese, the handbooks' language) and ``"en"``. Every text lives once
in :data:`MESSAGES`, keyed by a name, with both languages (a test checks no key lacks one). The CLI picks
the language with ``--lang zh|en``; without it, :func:`default_lang` reads the environment: ``KEFU_LANG``
first, then the POSIX locale variables ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` (the first one set), and
a value starting with ``zh`` gives Chinese, anything else English. Library functions take ``lang=``
(default ``"en"``) and never read the environment themselves.

Also here: the display width of text (CJK characters take two terminal columns) for aligned tables, and
durations in readable units (``2 min 35 s`` / ``2分35秒``, ``1.5 h`` / ``1.5小时``).
"""

from __future__ import annotations

import math
import os
import unicodedata
from collections.abc import Iterable, Mapping

#: The languages kefu speaks.
LANGS = ("zh", "en")


def default_lang(environ: Mapping[str, str] | None = None) -> str:
    """The language when none is asked for: ``KEFU_LANG`` if it is ``zh…`` or ``en…``, else the POSIX locale
    (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: the first one set and not empty) — ``zh…`` → ``"zh"``, otherwise
    (``C``, ``POSIX``, ``en_US.UTF-8``, unset …) ``"en"``."""
    env = os.environ if environ is None else environ
    chosen = env.get("KEFU_LANG", "").strip().lower()
    if chosen.startswith(("zh", "en")):
        return chosen[:2]
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def check_lang(lang: str) -> str:
    """`lang` if kefu speaks it; a ValueError naming the choices otherwise."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: expected zh or en / 不支持的语言 {lang!r}：请用 zh 或 en")
    return lang


#: argparse's own error messages (English in the standard library) as patterns and their Chinese, first match wins.
ARGPARSE_ZH: tuple[tuple[str, str], ...] = (
    (r"^argument (\S+): invalid choice: (.*) \(choose from (.*)\)$", r"参数 \1：无效的选项 \2（可选：\3）"),
    (r"^the following arguments are required: (.*)$", r"缺少必需的参数：\1"),
    (r"^unrecognized arguments: (.*)$", r"无法识别的参数：\1"),
    (r"^argument (\S+): expected one argument$", r"参数 \1：需要一个值"),
    (r"^argument (\S+): expected at least one argument$", r"参数 \1：至少需要一个值"),
    (r"^argument (\S+): not allowed with argument (\S+)$", r"参数 \1：不能与参数 \2 同时使用"),
    (r"^argument (\S+): (.*)$", r"参数 \1：\2"),
)


def argparse_message(message: str, lang: str) -> str:
    """An argparse error message in `lang` (argparse itself speaks English only)."""
    if lang != "zh":
        return message
    import re

    for pattern, chinese in ARGPARSE_ZH:
        if re.match(pattern, message, flags=re.S):
            return re.sub(pattern, chinese, message, flags=re.S)
    return message


def tr(key: str, lang: str, **values: object) -> str:
    """The text `key` in `lang`, with ``{name}`` fields filled from `values`."""
    text = MESSAGES[key][check_lang(lang)]
    return text.format(**values) if values else text


# --- display width -------------------------------------------------------------------------------------


def width(text: str) -> int:
    """Terminal columns `text` takes: East Asian wide and fullwidth characters 2, combining marks 0, others 1."""
    n = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n


def ljust(text: str, columns: int) -> str:
    """`text` padded with spaces on the right to `columns` display columns."""
    return text + " " * max(columns - width(text), 0)


def rjust(text: str, columns: int) -> str:
    """`text` padded with spaces on the left to `columns` display columns."""
    return " " * max(columns - width(text), 0) + text


# --- the vocabulary's values ------------------------------------------------------------------------------


def value_label(code: str, lang: str) -> str:
    """A decision, level, state or other value in a table: 人工审核 (manual_review) in Chinese (the code kept, as
    rule authors write it), the code itself in English; a code without a Chinese name stays as it is."""
    key = f"value.{code}"
    return f"{tr(key, lang)} ({code})" if lang == "zh" and key in MESSAGES else code


def value_name(code: str, lang: str) -> str:
    """A value as a sentence names it: its Chinese name alone in Chinese (商场), the code in English."""
    key = f"value.{code}"
    return tr(key, lang) if lang == "zh" and key in MESSAGES else code


def value_names(codes: Iterable[str], lang: str) -> str:
    """Owners and the like: 主管、质检、法务 in Chinese, supervisor, qc, legal in English."""
    return ("、" if lang == "zh" else ", ").join(value_name(c, lang) for c in codes)


# --- durations -------------------------------------------------------------------------------------------

#: kefu's duration units (kefu/calendar/duration.hpp) → the Chinese unit; the number stays as written.
_DURATION_UNITS_ZH: dict[str, str] = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), "秒"),
    **dict.fromkeys(("min", "mins", "minute", "minutes"), "分钟"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "小时"),
    **dict.fromkeys(("d", "day", "days"), "天"),
    **dict.fromkeys(("business second", "business seconds"), "工作秒"),
    **dict.fromkeys(("business minute", "business minutes"), "工作分钟"),
    **dict.fromkeys(("business hour", "business hours"), "个工作小时"),
    **dict.fromkeys(("workday", "workdays", "working day", "working days", "business day", "business days"), "个工作日"),
}


def duration_text(text: str, lang: str) -> str:
    """A rule's duration as written (``7 workdays``, ``24h``, ``4 business hours``) in `lang`: in Chinese
    ``7个工作日``, ``24小时``, ``4个工作小时``; text that is not one number and a known unit (a rule may write
    ``3个工作日`` already) comes back unchanged."""
    if check_lang(lang) != "zh":
        return text
    import re

    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z][A-Za-z ]*?)\s*", text)
    unit = _DURATION_UNITS_ZH.get(m[2].lower()) if m else None
    return f"{m[1]}{unit}" if m and unit else text



def duration(seconds: float | None, lang: str = "en") -> str:
    """A duration in readable units: under a minute in seconds (``35 s`` / ``35秒``), under an hour in minutes
    and seconds (``2 min 35 s`` / ``2分35秒``, ``15 min`` / ``15分钟``), then hours to one decimal (``1.5 h`` /
    ``1.5小时``) and from 48 h on days to one decimal (``3.2 d`` / ``3.2天``). Missing or NaN: ``–``."""
    check_lang(lang)
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "–"
    zh = lang == "zh"
    s = int(round(float(seconds)))
    if s < 60:
        return f"{s}秒" if zh else f"{s} s"
    if s < 3600:
        m, r = divmod(s, 60)
        if r == 0:
            return f"{m}分钟" if zh else f"{m} min"
        return f"{m}分{r}秒" if zh else f"{m} min {r} s"
    if s < 48 * 3600:
        h = f"{s / 3600:.1f}".removesuffix(".0")
        return f"{h}小时" if zh else f"{h} h"
    d = f"{s / 86400:.1f}".removesuffix(".0")
    return f"{d}天" if zh else f"{d} d"


def _m(en: str, zh: str) -> dict[str, str]:
    return {"en": en, "zh": zh}


#: Every user-facing text kefu's Python layer prints, in both languages. Keys: area.name.
MESSAGES: dict[str, dict[str, str]] = {
    # --- CLI: the parser ------------------------------------------------------------------------------------
    "cli.description": _m("kefu (客服): retail customer-service handbooks as executable policy.",
                          "kefu（客服）：把零售客服手册变成可执行的规则。"),
    "cli.epilog": _m("Run 'kefu COMMAND --help' for a command's options.",
                     "运行 'kefu 命令 --help' 查看该命令的选项。"),
    "cli.usage": _m("usage: ", "用法："),
    "cli.positionals": _m("positional arguments", "位置参数"),
    "cli.options": _m("options", "选项"),
    "cli.commands": _m("commands", "命令"),
    "cli.help": _m("show this help message and exit", "显示本帮助并退出"),
    "cli.version": _m("show the version and exit", "显示版本号并退出"),
    "cli.lang": _m("language of the output and help: zh (Simplified Chinese) or en; default from KEFU_LANG, "
                   "else the locale (LC_ALL, LC_MESSAGES, LANG starting with zh → zh)",
                   "输出和帮助的语言：zh（简体中文）或 en（英文）；默认取 KEFU_LANG，其次取系统区域设置"
                   "（LC_ALL、LC_MESSAGES、LANG 以 zh 开头即为中文）"),
    "cli.error": _m("kefu: error: {message}", "kefu：错误：{message}"),
    "cli.wrote": _m("wrote {path}", "已写入 {path}"),
    "cli.rules_dir": _m("rules directory (default: the shipped rules)", "规则目录（默认：随附的规则）"),
    "cli.paths": _m("files or directories (default: the shipped rules)", "文件或目录（默认：随附的规则）"),
    # demo
    "cli.demo": _m("run the main job on the embedded default data", "用内置的示例数据演示主要功能"),
    "cli.demo.tickets": _m("ticket file (default: the shipped synthetic tickets)", "工单文件（默认：随附的合成工单）"),
    "cli.demo.html": _m("also write the KPI report as an HTML page with charts", "同时把 KPI 报告写成带图表的 HTML 页面"),
    # rules
    "cli.rules": _m("list the documents of a rules directory and check they load", "列出规则目录中的文件并检查能否加载"),
    "cli.rules.line": _m("{path}: {kind} {name}{version} ({entries} entries)", "{path}：{kind} {name}{version}（{entries} 条）"),
    "cli.rules.count": _m("{count} documents in {directory}", "{directory} 中共 {count} 个文件"),
    "cli.rules.loaded": _m("loaded: {policies} policies, {targets} targets, {scorecards} scorecards, "
                           "{cases} rule-test cases passed",
                           "已加载：{policies} 个规则集，{targets} 组目标，{scorecards} 张评分卡，{cases} 个规则测试用例通过"),
    # lint
    "cli.lint": _m("check rules files: syntax, types, unreachable rules, overlaps, gaps",
                   "检查规则文件：语法、类型、不可达的规则、重叠与遗漏"),
    "cli.lint.format": _m("output format (json for editors and CI)", "输出格式（json 供编辑器和 CI 使用）"),
    "cli.lint.strict": _m("exit non-zero on warnings too", "有警告时也以非零状态退出"),
    "cli.lint.today": _m("the date calendar-horizon warnings count from (default: today) / 以此日期检查日历数据是否即将用完",
                         "以此日期检查日历数据是否即将用完（默认：今天）"),
    # test
    "cli.test": _m("run the rule tests (suite files) and report coverage", "运行规则测试（suite 文件）并报告覆盖率"),
    "cli.test.coverage": _m("fail when a rule is reached by no case", "有规则未被任何用例覆盖时失败"),
    "cli.test.format": _m("text (default), json, or junit (JUnit XML for CI systems)",
                          "text（默认）、json 或 junit（供 CI 使用的 JUnit XML）"),
    "cli.test.k": _m("run only the cases whose name, suite name or suite file contains PATTERN (ignoring case)",
                     "只运行名称、套件名或套件文件包含 PATTERN 的用例（不区分大小写）"),
    "cli.test.mutate": _m("mutation testing: change each rule a little (bounds, and/or, conditions, outputs, keywords, "
                          "listed values) and report every change no case notices; fails when one survives / "
                          "变异测试：逐条微改规则，报告测试未能发现的改动",
                          "变异测试：逐条微改规则（边界、与/或、条件、输出、关键词、列举值），报告测试未能发现的改动；"
                          "有改动未被发现时失败"),
    "cli.test.kind": _m("with --mutate: only these kinds of mutant (repeat the option for several)",
                        "与 --mutate 一起使用：只做这些种类的变异（可重复指定）"),
    "cli.test.mutate_k": _m("--mutate runs every case of every suite: leave out -k and --format junit",
                            "--mutate 会运行所有套件的所有用例：请去掉 -k 和 --format junit"),
    "cli.test.none_selected": _m("-k {pattern!r} selects none of the {count} cases",
                                 "-k {pattern!r} 没有选中 {count} 个用例中的任何一个"),
    "cli.test.no_suites": _m("no rule-test suites (files starting with `suite:`) found",
                             "没有找到规则测试套件（以 `suite:` 开头的文件）"),
    # explain
    "cli.explain": _m("decide for one set of facts and show every condition", "对一组事实做出决定并列出每个条件"),
    "cli.explain.policy": _m("policy file", "规则文件"),
    "cli.explain.input": _m("a YAML mapping of input name to value (- reads it from standard input)",
                            "输入名到取值的 YAML 映射（- 表示从标准输入读取）"),
    "cli.format": _m("output format", "输出格式"),
    # triage
    "cli.triage": _m("risk, tier, deadlines and refund decision for one ticket's facts",
                     "根据一张工单的事实给出风险、升级层级、时限和退款决定"),
    "cli.triage.input": _m("a YAML mapping of fact name to value (- reads it from standard input)",
                           "事实名到取值的 YAML 映射（- 表示从标准输入读取）"),
    "cli.triage.format": _m("text (default; --explain for every policy's reasoning) or json",
                            "text（默认；加 --explain 显示每个规则集的推理）或 json"),
    "cli.triage.explain": _m("show every policy's reasoning", "显示每个规则集的推理过程"),
    # schema
    "cli.schema": _m("print a JSON Schema: the facts a triage accepts, or a kind of rules file / 打印 JSON Schema",
                     "打印 JSON Schema：分诊接受的事实，或某类规则文件的结构"),
    "cli.schema.what": _m("facts: the ticket facts a triage accepts, generated from the rules directory's facts vocabulary; "
                          "policy, calendar, suite, targets, scorecard, vocabulary (the facts: file), clocks (named clocks), rules (any rules file): "
                          "the schema editors use for that kind of rules file (docs/schema/README.md)",
                          "facts：分诊接受的工单事实，由规则目录的事实词汇表生成；policy、calendar、suite、targets、"
                          "scorecard、vocabulary（facts: 文件）、clocks（命名时钟）、rules（任意规则文件）：编辑器对该类规则文件使用的结构"
                          "（docs/schema/README.md）"),
    "cli.schema.rules": _m("rules directory for `facts` (default: the shipped rules)",
                           "`facts` 所用的规则目录（默认：随附的规则）"),
    # graph
    "cli.graph": _m("the ticket lifecycle diagram, from the state machine's own transition table",
                    "工单生命周期图，取自状态机本身的转换表"),
    "cli.graph.format": _m("Mermaid (default) or Graphviz DOT", "Mermaid（默认）或 Graphviz DOT"),
    "cli.graph.output": _m("write to a file instead of standard output", "写入文件而不是标准输出"),
    "cli.graph.wrote": _m("wrote {path} ({format})", "已写入 {path}（{format}）"),
    # diff
    "cli.diff": _m("which tickets decide differently under a changed rules directory / 规则变更影响分析",
                   "规则变更影响分析：哪些工单在修改后的规则目录下决定不同"),
    "cli.diff.old": _m("the rules directory in force", "现行的规则目录"),
    "cli.diff.new": _m("the changed rules directory (its rule tests are not run)", "修改后的规则目录（不运行其规则测试）"),
    "cli.diff.tickets": _m("ticket facts: CSV, Parquet (.parquet) or JSON lines (.jsonl)",
                           "工单事实：CSV、Parquet（.parquet）或 JSON lines（.jsonl）"),
    "cli.diff.examples": _m("example tickets per output (default 3)", "每种结果列出的示例工单数（默认 3）"),
    "cli.diff.output": _m("write the report to PATH instead of the terminal", "把报告写入 PATH 而不是终端"),
    "cli.diff.old_as_of": _m("judge every ticket by the OLD rules' versions in force at INSTANT (effective-dated policies) "
                             "/ 旧规则按该时刻生效的版本", "旧规则按 INSTANT 时刻生效的版本判断每张工单（按生效日期分版本的规则）"),
    "cli.diff.new_as_of": _m("judge every ticket by the NEW rules' versions in force at INSTANT; with the same directory "
                             "twice, compares two versions of one file / 新规则按该时刻生效的版本",
                             "新规则按 INSTANT 时刻生效的版本判断每张工单；两次给出同一目录即比较同一文件的两个版本"),
    # report
    "cli.report": _m("KPI and scorecard report of ticket records (terminal + HTML)",
                     "工单记录的 KPI 与评分卡报告（终端 + HTML）"),
    "cli.report.records": _m("ticket records (default: the shipped synthetic records)", "工单记录（默认：随附的合成记录）"),
    "cli.report.inputs": _m("scorecard inputs per agent and month (default: shipped)",
                            "每位客服每月的评分卡输入（默认：随附的数据）"),
    "cli.report.html": _m("also write a self-contained HTML page with charts", "同时写出一个带图表的独立 HTML 页面"),
    "cli.report.rules": _m("rules directory whose KPI targets and scorecard to use (default: the shipped ones)",
                           "使用该规则目录的 KPI 目标和评分卡（默认：随附的）"),
    "cli.report.scorecard": _m("which scorecard of the rules directory to show (default: smart-counter-monthly)",
                               "显示规则目录中的哪张评分卡（默认：smart-counter-monthly）"),
    "cli.report.targets": _m("which targets of the rules directory to measure against (default: service-kpis; "
                             "the shipped rules also have fresh-food-team) / 使用哪组 KPI 目标",
                             "使用规则目录中的哪组 KPI 目标（默认：service-kpis；随附的规则还有 fresh-food-team）"),
    # calendar
    "cli.calendar": _m("calendar tools / 日历工具", "日历工具"),
    "cli.subcommands": _m("subcommands", "子命令"),
    "cli.notice": _m("Parse a State Council holiday notice into calendar data / 将国务院节假日安排通知转换为日历数据",
                     "将国务院节假日安排通知转换为日历数据"),
    "cli.notice.description": _m(
        "Parse State Council holiday notices (国务院办公厅关于YYYY年部分节假日安排的通知) and their amendments "
        "into a calendar overlay for cn-mainland, or compare them with a calendar. / "
        "将国务院节假日安排通知（及调整、延长通知）转换为 cn-mainland 的日历数据，或与日历逐日比较。",
        "将国务院办公厅关于YYYY年部分节假日安排的通知（及调整、延长通知）转换为 cn-mainland 的日历数据，或与日历逐日比较。"),
    "cli.notice.files": _m("notice texts in order, '-' for standard input; an amendment applies to the latest earlier notice of "
                           "its year / 按顺序给出通知文本文件（'-' 为标准输入），调整通知作用于同年最近的通知",
                           "按顺序给出通知文本文件（'-' 为标准输入），调整通知作用于同年最近的通知"),
    "cli.notice.check": _m("instead of the YAML, list the days where the notices and this calendar (a built-in name or a YAML "
                           "file) differ; exit 1 when they do / 不输出 YAML，逐日列出通知与该日历（内置名称或 YAML 文件）的差异，"
                           "有差异时退出码为 1",
                           "不输出 YAML，逐日列出通知与该日历（内置名称或 YAML 文件）的差异，有差异时退出码为 1"),
    "cli.notice.differ": _m("{count} day{s} differ between the notices ({years}) and {calendar}",
                            "通知（{years}）与 {calendar} 有 {count} 天不同"),
    "cli.notice.agree": _m("the notices ({years}) and {calendar} agree", "通知（{years}）与 {calendar} 一致"),
    "cli.info": _m("a calendar's official data, provisional span and horizon warning / 日历的官方数据范围、暂定范围及到期提示",
                   "日历的官方数据范围、暂定范围及到期提示"),
    "cli.info.name": _m("a built-in calendar name or a calendar YAML file / 内置日历名称或 YAML 文件",
                        "内置日历名称或 YAML 文件"),
    "cli.info.rules": _m("look the calendar up in this rules directory (its overlays apply) / 在该规则目录中查找日历（含覆盖文件）",
                         "在该规则目录中查找日历（含覆盖文件）"),
    "cli.info.today": _m("the date the horizon warning counts from (default: today) / 以此日期计算到期提示",
                         "以此日期计算到期提示（默认：今天）"),
    "cli.bad_date": _m("expected a date as YYYY-MM-DD, got {text!r}", "日期应为 YYYY-MM-DD 格式，收到 {text!r}"),
    "cli.bad_instant": _m("expected an instant such as 2027-01-01T00:00:00+08:00 (without an offset: the rules' zone), "
                          "got {text!r}",
                          "时刻应形如 2027-01-01T00:00:00+08:00（不带时差则按规则的时区），收到 {text!r}"),
    # kefu calendar info
    "info.head": _m("calendar {name}{description}", "日历 {name}{description}"),
    "info.zone": _m("zone:", "时区："),
    "info.official": _m("official data:", "官方数据："),
    "info.provisional": _m("provisional:", "暂定范围："),
    "info.provisional_span": _m("{first} … {last} (law {law}: weekends and the law's days off, no make-up days)",
                                "{first} … {last}（按节假日法 {law} 推算：仅含周末和法定假日，不含调休）"),
    "info.strict": _m("none — strict (beyond_official: error): dates past the official data are errors",
                      "无——严格模式（beyond_official: error）：官方数据之后的日期报错"),
    "info.no_projection": _m("none — dates past the official data are errors", "无——官方数据之后的日期报错"),
    "info.projected": _m("{year} projected:", "{year}年推算："),
    "info.as_of": _m("as of {today}:", "截至 {today}："),
    "info.calm": _m("official data lasts more than {days} days", "官方数据还可用 {days} 天以上"),
    "info.warning_label": _m("warning: {warning}", "注意：{warning}"),
    # lint / test / mutation output (rule authors)
    "lint.summary": _m("{errors} error{es}, {warnings} warning{ws} in {files} file{fs}",
                       "{files} 个文件中有 {errors} 个错误、{warnings} 个警告"),
    "test.suite": _m("{file}: {cases} cases, {passed} passed, {failed} failed ({ms} ms)",
                     "{file}：{cases} 个用例，{passed} 个通过，{failed} 个失败（{ms} 毫秒）"),
    "test.fail": _m("FAIL {where}: {name}", "失败 {where}：{name}"),
    "test.error": _m("    error: {actual}", "    错误：{actual}"),
    "test.differs": _m("    {what}: expected {expected}, got {actual}", "    {what}：期望 {expected}，实际 {actual}"),
    "test.trace": _m("    trace:", "    推理过程："),
    "test.coverage": _m("coverage: policy {policy} ({file}): {reached}/{rules} rules reached",
                        "覆盖率：规则集 {policy}（{file}）：{rules} 条规则中 {reached} 条被覆盖"),
    "test.unreached": _m("; not reached: {rules}", "；未覆盖：{rules}"),
    "test.line": _m("{rule} (line {line})", "{rule}（第 {line} 行）"),
    "test.summary": _m("{suites} suites: {passed} passed, {failed} failed", "{suites} 个套件：{passed} 个通过，{failed} 个失败"),
    "test.deselected": _m(", {count} deselected", "，{count} 个未选中"),
    "test.not_run": _m(", {count} could not run", "，{count} 个无法运行"),
    "mutate.policy": _m("{file}: {mutants} mutants, {killed} killed, {survived} survived",
                        "{file}：{mutants} 个变异，{killed} 个被发现，{survived} 个未被发现"),
    "mutate.invalid": _m(", {count} do not load", "，{count} 个无法加载"),
    "mutate.cases": _m(" ({cases} cases)", "（{cases} 个用例）"),
    "mutate.survived": _m("  {where}: survived [{kind}] {rule}{change}", "  {where}：未被发现 [{kind}] {rule}{change}"),
    "mutate.total": _m("mutation: {mutants} mutants, {killed} killed, {survived} survived",
                       "变异测试：{mutants} 个变异，{killed} 个被发现，{survived} 个未被发现"),
    "mutate.all_caught": _m(" — every change is caught / 所有变异均被测试发现", "——所有变异均被测试发现"),
    "mutate.some_survive": _m(" — add a case that each surviving change would fail / 有变异未被发现：请为每处补充用例",
                              "——有变异未被发现：请为每处补充会因该改动而失败的用例"),
    # --- KPI report ----------------------------------------------------------------------------------------
    "kpi.tickets": _m("tickets", "工单数"),
    "kpi.frt_mean": _m("FRT mean", "首次响应时长 FRT"),
    "kpi.frt_p90": _m("FRT p90", "FRT P90"),
    "kpi.frt_within_target": _m("FRT in target", "首次响应达标率"),
    "kpi.art": _m("ART", "平均响应时长 ART"),
    "kpi.aht": _m("AHT", "平均处理时长 AHT"),
    "kpi.fcr_rate": _m("FCR", "一次解决率 FCR"),
    "kpi.escalation_rate": _m("escalated", "升级率"),
    "kpi.csat_mean": _m("CSAT", "满意度 CSAT"),
    "kpi.satisfied_rate": _m("satisfied", "满意率"),
    "kpi.nps": _m("NPS", "净推荐值 NPS"),
    "kpi.sla_closure_3_workdays": _m("3 workdays", "3个工作日结案率"),
    "kpi.response_rate": _m("response rate", "响应率"),
    "kpi.survey_return_rate": _m("survey return", "回评率"),
    "kpi.repurchase_rate": _m("repurchase", "复购率"),
    "kpi.script_compliance": _m("script compliance", "话术合规率"),
    "kpi.record_completeness": _m("record completeness", "记录完整率"),
    "kpi.standard_execution_rate": _m("standard execution", "标准执行率"),
    "kpi.standard_awareness_rate": _m("standard awareness", "标准知晓率"),
    "kpi.standard_resolution_rate": _m("standard resolution", "标准化解决率"),
    "kpi.queue_waits": _m("waits 等待数", "等待数"),
    "kpi.queue_wait_mean": _m("mean 平均", "平均等待"),
    "kpi.wait_patient_rate": _m("≤{a} patient 耐心等待", "≤{a} 耐心等待"),
    "kpi.wait_explain_rate": _m("{a}–{b} explain 解释", "{a}–{b} 解释原因"),
    "kpi.wait_alternatives_rate": _m("{b}–{c} alternatives 替代方案", "{b}–{c} 替代方案"),
    "kpi.wait_complaint_risk_rate": _m(">{c} complaint risk 投诉风险", ">{c} 投诉风险"),
    "score.qc": _m("qc", "质检"), "score.csat": _m("csat", "满意度"), "score.exam": _m("exam", "考试"),
    "score.workload": _m("workload", "工作量"), "score.bonus": _m("bonus", "加分"), "score.total": _m("total", "总分"),
    "flag.retrain": _m("retrain", "需再培训"), "flag.promotion": _m("promotion", "可晋升"),
    "flag.disciplinary_review": _m("disciplinary review", "纪律审查"),
    "flag.star_csat": _m("star (CSAT)", "服务之星（满意度）"), "flag.star_fcr": _m("star (FCR)", "服务之星（一次解决率）"),
    "report.by_channel": _m("KPIs by channel", "各渠道 KPI"),
    "report.by_team": _m("KPIs by team", "各团队 KPI"),
    "report.channel": _m("channel", "渠道"),
    "report.team": _m("team", "团队"),
    "report.month": _m("month", "月份"),
    "report.agent": _m("agent", "客服"),
    "report.missed": _m("goals missed ({count}): ", "未达标目标（{count}）："),
    "report.note": _m("note: {note}", "注：{note}"),
    "report.queue": _m("Queue wait by channel / 各渠道排队等待 (003)", "各渠道排队等待（003）"),
    "report.no_waits": _m("no queue waits measured (column queue_seconds) / 无排队等待数据",
                          "无排队等待数据（queue_seconds 列）"),
    "report.scorecard": _m("Scorecard {name} {month}", "评分卡 {name} {month}"),
    "report.retrain": _m("retrain (bottom 10%)", "需再培训（后10%）"),
    "report.none": _m("none", "无"),
    "report.stars": _m("Monthly service stars / 月度服务之星 (002 §7.3; agents with at least {n} tickets, rated tickets for "
                       "CSAT / 至少{n}张工单，满意度按已评价工单计)",
                       "月度服务之星（002 §7.3；至少{n}张工单的客服，满意度按已评价工单计）"),
    "report.star_csat": _m("highest CSAT / 满意度最高", "满意度最高"),
    "report.star_fcr": _m("highest FCR / 一次解决率最高", "一次解决率最高"),
    "report.none_eligible": _m("none eligible / 无人达标", "无人达标"),
    "report.disciplinary": _m("disciplinary review / 纪律审查", "纪律审查"),
    "report.disciplinary_rule": _m("disciplinary review (≥{at_least} {metric}, {over}) / 纪律审查",
                                   "纪律审查（{metric} ≥{at_least}，{over}）"),
    "report.whole_record": _m("the whole record / 全部记录", "全部记录"),
    "report.months": _m("{n} month{s} / 近{n}个月", "近{n}个月"),
    "report.provisional": _m("SLA {name} ({within} on {calendar}): {count} of {total} tickets have deadlines past "
                             "{until}, where the calendar's data is provisional (projected from the holiday "
                             "law) / {count} 张工单的期限依据尚未公布的节假日安排推算，以国务院通知为准",
                             "SLA {name}（{calendar} 上 {within}）：{total} 张工单中有 {count} 张的期限晚于 {until}，"
                             "依据尚未公布的节假日安排推算（按节假日法规预测），以国务院通知为准"),
    "report.no_targets_file": _m("note: {rules} has no targets file: the shipped targets '{name}' are used "
                                 "/ 规则目录中没有 targets 文件，使用内置目标",
                                 "注：{rules} 中没有 targets 文件，使用内置目标 '{name}'"),
    "report.no_scorecard_file": _m("note: {rules} has no scorecard file: the shipped scorecard '{name}' is used "
                                   "/ 规则目录中没有 scorecard 文件，使用内置评分卡",
                                   "注：{rules} 中没有 scorecard 文件，使用内置评分卡 '{name}'"),
    "report.no_such_targets": _m("rules directory {rules} has no targets {name!r} (it has {have}): name one with --targets "
                                 "/ 规则目录中没有目标 {name!r}，请用 --targets 指定",
                                 "规则目录 {rules} 中没有目标 {name!r}（现有 {have}）：请用 --targets 指定"),
    "report.no_such_scorecard": _m("rules directory {rules} has no scorecard {name!r} (it has {have}): name one with "
                                   "--scorecard",
                                   "规则目录 {rules} 中没有评分卡 {name!r}（现有 {have}）：请用 --scorecard 指定"),
    "report.no_scorecards": _m("rules directory {rules} has no scorecards, and {name!r} is not shipped",
                               "规则目录 {rules} 中没有评分卡，且 {name!r} 不是随附的评分卡"),
    # HTML page
    "html.title": _m("kefu KPI report", "kefu 客服 KPI 报告"),
    "html.h1": _m("Customer-service KPIs", "客服 KPI 报告"),
    "html.summary": _m("{tickets} tickets, {first} – {last} ({zone}).", "共 {tickets} 张工单，{first} 至 {last}（{zone}）。"),
    "html.legend": _m("Green: goal met, red: missed (targets: {targets}). Formulas: docs/kpis.md.",
                      "绿色：达标，红色：未达标（目标：{targets}）。计算公式见 docs/kpis.md。"),
    "html.by_channel": _m("By channel", "各渠道"),
    "html.by_team": _m("By team", "各团队"),
    "html.queue": _m("Queue wait by channel / 各渠道排队等待", "各渠道排队等待"),
    "html.scorecard": _m("Scorecard {name} {month}", "评分卡 {name}（{month}）"),
    "html.flags": _m("Flags", "标记"),
    "html.alt.frt": _m("FRT distribution", "首次响应时长分布"),
    "html.alt.sla": _m("SLA attainment by channel", "各渠道 SLA 达成率"),
    "html.alt.scorecard": _m("Scorecard per agent", "各客服评分卡"),
    "html.targets_drawn": _m("Dashed lines: targets ({lines}).", "虚线：目标（{lines}）。"),
    "html.no_target_lines": _m("No target in {targets} applies to this chart.", "目标 {targets} 中没有适用于此图的目标。"),
    # charts
    "chart.frt.x": _m("first response time (log scale)", "首次响应时长（对数刻度）"),
    "chart.tickets": _m("tickets", "工单数"),
    "chart.frt.title": _m("First response time by channel", "各渠道首次响应时长"),
    "chart.target": _m("target", "目标"),
    "chart.sla.y": _m("% of tickets", "工单占比（%）"),
    "chart.sla.title": _m("SLA attainment by channel", "各渠道 SLA 达成率"),
    "chart.card.x": _m("points (weights sum to 100; bonus uncapped)", "得分（权重合计100；加分不封顶）"),
    "chart.card.title": _m("Monthly scorecard per agent, {month}", "各客服月度评分卡（{month}）"),
    "chart.flag": _m("flagged: retrain / review", "标记：需再培训 / 纪律审查"),
    "sla.first_response_24h": _m("first response 24h", "24小时内首次响应"),
    "sla.closure_72h": _m("closure 72h", "72小时内结案"),
    "sla.closure_3_workdays": _m("closure 3 workdays", "3个工作日内结案"),
    # channels as the handbooks name them
    "channel.online": _m("online", "在线"), "channel.phone": _m("phone", "电话"), "channel.email": _m("email", "邮件"),
    "channel.store": _m("store", "门店"),
    "channel.merchant_platform": _m("merchant_platform", "商家平台"), "channel.social": _m("social", "社交媒体"),
    "channel.wecom": _m("wecom", "企业微信"), "channel.wechat": _m("wechat", "微信"),
    "team.aftersales": _m("aftersales", "售后"), "team.fresh": _m("fresh", "生鲜"), "team.hotline": _m("hotline", "热线"),
    "team.online": _m("online", "在线"),
    "kpi.upheld_complaints": _m("upheld complaints", "成立的投诉"),
    # --- demo ----------------------------------------------------------------------------------------------
    "demo.title": _m("kefu {version} — demo on the embedded default data", "kefu {version} — 用内置示例数据演示"),
    "demo.rules": _m("Rules in {path}: {count} documents", "{path} 中的规则：{count} 个文件"),
    "demo.entries": _m("entries", "条"),
    "demo.no_tickets": _m("No tickets in {path}", "{path} 中没有工单"),
    "demo.tickets": _m("Tickets in {path}: {total}, received {first} … {last} (+08:00)",
                       "{path} 中的工单：{total} 张，受理时间 {first} … {last}（+08:00）"),
    "demo.by": _m("by {column}", "按{column}"),
    "demo.top": _m(" (top {n})", "（前 {n} 项）"),
    "demo.col.business": _m("business", "业务"), "demo.col.channel": _m("channel", "渠道"),
    "demo.col.category": _m("category", "类别"),
    "demo.claimed": _m("claimed amounts (exact, in fen): total {total}, largest {largest}, over ¥1,000.00: {over}",
                       "索赔金额（精确到分）：合计 {total}，最大 {largest}，超过 ¥1,000.00 的：{over} 张"),
    "demo.first": _m("First tickets (personal data masked, DOM-PRIV-1):", "前几张工单（个人信息已脱敏，DOM-PRIV-1）："),
    "demo.sf": _m("Deadlines across Spring Festival 2026 (DOM-SLA-1, DOM-SLA-4; times +08:00):",
                  "2026年春节期间的时限（DOM-SLA-1、DOM-SLA-4；时间为 +08:00）："),
    "demo.sf.ticket": _m("ticket", "工单"), "demo.sf.received": _m("received", "受理时间"),
    "demo.dl.first_response": _m("first response 24h", "24小时首次响应"),
    "demo.dl.complaint": _m("complaint 2 business h", "投诉2个工作小时"),
    "demo.dl.close": _m("close 3 workdays", "3个工作日结案"),
    "demo.dl.l3": _m("L3 7 workdays", "L3 7个工作日"),
    "demo.working": _m("on a working day", "工作日"), "demo.day_off": _m("on a day off", "休息日"),
    "demo.received_on": _m("  tickets received {counts} (cn-mainland, 调休 included)",
                           "  受理日：{counts}（cn-mainland，含调休）"),
    "demo.triage": _m("Triage of {total} tickets with the policy in {path} (docs/requirements.md §5–7, §11):",
                      "用 {path} 中的规则对 {total} 张工单分诊（docs/requirements.md §5–7、§11）："),
    "demo.t.risk": _m("risk level", "风险等级"), "demo.t.tier": _m("escalation tier", "升级层级"),
    "demo.t.refund": _m("refund decision", "退款决定"), "demo.t.signals": _m("risk signals (top 6)", "风险信号（前 6 项）"),
    "demo.t.actions": _m("actions required (DOM-RISK-4)", "要求的处置动作（DOM-RISK-4）"),
    "demo.follow": _m("  follow-up visit required: {follow}, written report required: {report}",
                      "  需要回访：{follow}，需要书面报告：{report}"),
    "demo.explained": _m("Explained cases (personal data masked):", "案例说明（个人信息已脱敏）："),
    "demo.horizon": _m("Calendar horizon (DOM-SLA-8): cn-mainland has official data {first} … {until}",
                       "日历数据范围（DOM-SLA-8）：cn-mainland 的官方数据为 {first} … {until}"),
    "demo.horizon.provisional": _m(", then a provisional projection of the holiday law to {until}",
                                   "，其后按节假日法规暂定推算至 {until}"),
    "demo.horizon.projected": _m("  2027 days off as the law projects them (make-up days unknown until the notice): ",
                                 "  按法规推算的2027年休息日（调休日须待通知公布）："),
    "demo.horizon.mark": _m(" — provisional (暂定): rests on 2027 days not yet official",
                            " —— 暂定：依据尚未正式公布的2027年安排"),
    "demo.horizon.ticket": _m("  an {tier} ticket received {received}: resolution by {due} ({within} on {calendar}){mark}",
                              "  {received} 受理的 {tier} 工单：须在 {due} 前解决（{calendar} 上 {within}）{mark}"),
    "demo.warning": _m("  warning: {warning}", "  警告：{warning}"),
    "demo.lifecycles": _m("Lifecycles (docs/requirements.md §3–4): {events} events of a synthetic log replayed through "
                          "{tickets} ticket state machines, as of {as_of} +08:00",
                          "工单生命周期（docs/requirements.md §3–4）：{events} 条合成事件日志在 {tickets} 个工单状态机中重放，"
                          "截至 {as_of} +08:00"),
    "demo.state": _m("state", "状态"),
    "demo.clocks": _m("  deadlines by tier (met / breached / still running or paused / no such clock):",
                      "  按层级统计时限（达成 / 超时 / 仍在计时或暂停 / 无此时钟）："),
    "demo.met": _m("met", "达成"),
    "demo.reopened": _m("  reopened after a follow-up found the problem unsolved: {reopened}; open tickets that tick() "
                        "escalates at {at} (DOM-ESC-4): {due}",
                        "  回访发现问题未解决而重开：{reopened}；在 {at} 由 tick() 升级的未结工单（DOM-ESC-4）：{due}"),
    "demo.named_clocks": _m("  named clocks from rules/clocks.yaml (DOM-SLA-10; met / breached / open, share met on time):",
                            "  rules/clocks.yaml 中的命名时钟（DOM-SLA-10；按时 / 超时 / 进行中，按时完成率）："),
    "demo.named_clock_rate": _m("{rate}% met", "按时 {rate}%"),
    "demo.critical": _m("  critical tickets (level-1 report required before close, DOM-LC-8): {critical}, "
                        "reported (一级上报): {reported}, closed: {closed}",
                        "  危急工单（结案前须一级上报，DOM-LC-8）：{critical}，已一级上报：{reported}，已结案：{closed}"),
    "demo.report_example": _m("    e.g. {id}: {at} {by} {event} {state} — {note}", "    例：{id}：{at} {by} {event} {state} — {note}"),
    "demo.audit": _m("  Audit history of {id} (notes masked, DOM-LC-6):", "  {id} 的审计记录（备注已脱敏，DOM-LC-6）："),
    "demo.case.head": _m("  {id} {business}/{category} via {channel}, received {received}, customer {name}",
                         "  {id} {business}/{category}，渠道 {channel}，受理于 {received}，顾客 {name}"),
    "demo.case.text": _m("    text: {text}", "    内容：{text}"),
    "demo.case.words": _m(" words {words}", " 关键词 {words}"),
    "demo.case.signal": _m("    risk signal {rule} ({level}){words} — {source}", "    风险信号 {rule}（{level}）{words} —— {source}"),
    "demo.case.tier": _m("    risk {level} → tier {tier} by {rules}; owners {owners}",
                         "    风险 {level} → 层级 {tier}（依据 {rules}）；负责人 {owners}"),
    "demo.case.deadlines": _m("    first response by {frt} ({frt_within}), resolution by {res} ({res_within}{calendar})",
                              "    首次响应须在 {frt} 前（{frt_within}），解决须在 {res} 前（{res_within}{calendar}）"),
    "demo.case.follow": _m(", follow-up by {at}", "，回访须在 {at} 前"),
    "demo.case.report": _m(", written report required", "，需书面报告"),
    "demo.case.refund": _m("    refund: {decision} by {rule} — {reason} [{source}]",
                           "    退款：{decision}，依据 {rule} —— {reason} [{source}]"),
    "demo.case.due": _m(", due {at} ({within})", "，须在 {at} 前（{within}）"),
    "demo.case.action": _m("    action {code} ({owners}{due}) — {description}; asked by {rule}",
                           "    处置 {code}（{owners}{due}）—— {description}；由 {rule} 要求"),
    "demo.default": _m("default", "默认"),
    # decisions, levels and ticket states (the demo shows them in Chinese with their codes)
    "value.normal": _m("normal", "一般"), "value.high": _m("high", "高"), "value.critical": _m("critical", "危急"),
    "value.refund": _m("refund", "退款"), "value.exchange": _m("exchange", "换货"),
    "value.repair_free": _m("repair free", "免费维修"), "value.repair_paid": _m("repair paid", "收费维修"),
    "value.compensate": _m("compensate", "补偿"), "value.deny": _m("deny", "不予退换"),
    "value.manual_review": _m("manual review", "人工审核"),
    "value.received": _m("received", "已受理"), "value.triaged": _m("triaged", "已分诊"),
    "value.in_progress": _m("in progress", "处理中"), "value.waiting_customer": _m("waiting for the customer", "等待顾客"),
    "value.waiting_internal": _m("waiting internally", "等待内部"), "value.resolved": _m("resolved", "已解决"),
    "value.closed": _m("closed", "已关闭"), "value.cancelled": _m("cancelled", "已取消"),
    # the vocabulary's values as a Chinese service manager names them (facts.yaml, actions.yaml, tiers.yaml)
    "value.ecommerce": _m("e-commerce", "电商"), "value.mall": _m("mall", "商场"),
    "value.smart_counter": _m("smart counter", "智能柜"), "value.fresh": _m("fresh food", "生鲜"),
    "value.phone": _m("phone", "电话"), "value.online": _m("online", "在线"), "value.email": _m("email", "邮件"),
    "value.wecom": _m("WeCom", "企业微信"), "value.merchant_platform": _m("merchant platform", "商家平台"),
    "value.social": _m("social media", "社交媒体"), "value.store": _m("store", "门店"),
    "value.consultation": _m("consultation", "咨询"), "value.order_query": _m("order query", "订单查询"),
    "value.refund_request": _m("refund request", "退款申请"), "value.abnormal_order": _m("abnormal order", "异常订单"),
    "value.duplicate_charge": _m("duplicate charge", "重复扣款"), "value.delayed_charge": _m("delayed charge", "延迟扣款"),
    "value.quality_defect": _m("quality defect", "质量问题"), "value.expiry": _m("expiry", "过期临期"),
    "value.logistics_delay": _m("logistics delay", "物流延误"), "value.payment_failure": _m("payment failure", "支付失败"),
    "value.service_attitude": _m("service attitude", "服务态度"), "value.billing_error": _m("billing error", "计费错误"),
    "value.wrong_item": _m("wrong item", "错发商品"), "value.late_delivery": _m("late delivery", "配送超时"),
    "value.lost_in_delivery": _m("lost in delivery", "配送丢失"),
    "value.damaged_in_delivery": _m("damaged in delivery", "配送破损"),
    "value.safety_injury": _m("safety or injury", "安全与人身伤害"),
    "value.live_seafood_dead": _m("live seafood dead", "活鲜死亡"),
    "value.spoiled_on_arrival": _m("spoiled on arrival", "到货变质"), "value.ripening": _m("ripening", "催熟"),
    "value.cold_chain_break": _m("cold-chain break", "冷链断链"), "value.organic_dispute": _m("organic dispute", "有机认证争议"),
    "value.out_of_stock": _m("out of stock", "缺货"), "value.counter_operation": _m("counter operation", "智能柜操作"),
    "value.contract": _m("contract", "合同"), "value.rent_settlement": _m("rent settlement", "租金结算"),
    "value.equipment_fault": _m("equipment fault", "设备故障"), "value.restocking": _m("restocking", "补货"),
    "value.agent": _m("agent", "客服专员"), "value.supervisor": _m("supervisor", "主管"), "value.qc": _m("QC", "质检"),
    "value.legal": _m("legal", "法务"), "value.pr": _m("PR", "公关"), "value.operations": _m("operations", "运营"),
    "value.supervisor_steps_in": _m("a supervisor steps in", "主管介入"),
    "value.report_level_1": _m("level-1 report", "一级上报"),
    "value.delist_and_qc_test": _m("delist and QC test", "下架送检"), "value.crisis_pr": _m("crisis PR", "危机公关"),
    "value.notify_pr_legal": _m("notify PR and legal", "通知公关与法务"), "value.seal_goods": _m("seal the goods", "封存商品"),
    "value.qc_test_goods": _m("QC test of the goods", "商品送检"),
    "value.reship_with_gift": _m("reship with a gift", "补发并赠礼"),
    "value.evacuate_and_call_police": _m("evacuate and call the police", "疏散并报警"),
    "value.switch_to_backup": _m("switch to the backup", "切换备用方案"),
    "clock.first_response": _m("first_response", "首次响应"), "clock.resolution": _m("resolution", "解决"),
    "clock.follow_up": _m("follow_up", "回访"),
    "kind.policy": _m("policy", "规则集"), "kind.calendar": _m("calendar", "日历"), "kind.clocks": _m("clocks", "计时"),
    "kind.facts": _m("facts", "事实词汇"), "kind.scorecard": _m("scorecard", "计分卡"), "kind.targets": _m("targets", "目标"),
    "kind.suite": _m("suite", "测试套件"),
    # `kefu triage` (text)
    "triage.risk": _m("risk: {level}{signals}", "风险：{level}{signals}"),
    "triage.tier": _m("tier: {tier} by {rules}; owners {owners}", "层级：{tier}（依据 {rules}）；负责人 {owners}"),
    "triage.first_response": _m("first response due {due} ({within})", "首次响应期限 {due}（{within}）"),
    "triage.resolution": _m("resolution due {due} ({within})", "解决期限 {due}（{within}）"),
    "triage.follow_up": _m("follow-up due {due} ({within} after the resolution deadline)",
                           "回访期限 {due}（解决期限后 {within}）"),
    "triage.report": _m("written report required before closing", "结案前须提交书面报告"),
    "triage.customer_tier": _m("customer tier: {tier} (from the customer value index) / 客户价值等级",
                               "客户价值等级：{tier}（由客户价值指数得出）"),
    "triage.priority": _m("priority routing: ahead of the queue (VIP green channel) / 优先分配",
                          "优先分配：排在队列前面（VIP 绿色通道）"),
    "triage.target": _m("target: {what} due {due} ({within}) [{rule}]", "目标：{what} 期限 {due}（{within}）[{rule}]"),
    "triage.refund": _m("refund: {decision} by {rule} — {reason}", "退款：{decision}，依据 {rule} —— {reason}"),
    # `kefu diff` (text)
    "diff.none": _m("(none)", "（无）"),
    "diff.as_of": _m("{rules} as of {instant}", "{rules}（按 {instant} 生效的版本）"),
    "diff.example": _m("  {output}: {ticket}: {old} → {new}{text}", "  {output}：工单 {ticket}：{old} → {new}{text}"),
    "diff.html.title": _m("kefu diff: {old} → {new}", "kefu 规则变更影响：{old} → {new}"),
    "diff.html.by_output": _m("Changes by output", "按输出统计的变化"),
    "diff.html.transitions": _m("Transitions (old → new)", "取值变化（旧 → 新）"),
    "diff.html.rules": _m("Rules whose hits change", "命中数变化的规则"),
    "diff.html.examples": _m("Examples (personal data masked)", "示例（个人信息已脱敏）"),
    "diff.col.output": _m("output", "输出"),
    "diff.col.tickets": _m("tickets", "工单数"),
    "diff.col.old": _m("old", "旧值"),
    "diff.col.new": _m("new", "新值"),
    "diff.col.rule": _m("rule", "规则"),
    "diff.col.ticket": _m("ticket", "工单"),
    "diff.col.text": _m("text", "投诉内容"),
    "diff.out.risk_level": _m("risk level", "风险等级"),
    "diff.out.risk_signals": _m("risk signals", "风险信号"),
    "diff.out.tier": _m("tier", "处理层级"),
    "diff.out.tier_rules": _m("tier rules", "层级规则"),
    "diff.out.owners": _m("owners", "负责人"),
    "diff.out.first_response_due": _m("first response due", "首次响应期限"),
    "diff.out.resolution_due": _m("resolution due", "处理完成期限"),
    "diff.out.follow_up_due": _m("follow-up due", "回访期限"),
    "diff.out.follow_up_required": _m("follow-up required", "需要回访"),
    "diff.out.report_required": _m("report required", "需要上报"),
    "diff.out.refund_decision": _m("refund decision", "退款决定"),
    "diff.out.refund_rule_id": _m("refund rule", "退款规则"),
    "diff.out.refund_reason": _m("refund reason", "退款理由"),
    "diff.out.target_rules": _m("SLA target rules", "时限目标规则"),
    "diff.out.actions": _m("actions", "处理动作"),
    "diff.head": _m("{old} → {new}: {changed} of {tickets} tickets decide differently{share}",
                    "{old} → {new}：{tickets} 张工单中有 {changed} 张的处理结果发生变化{share}"),
    "diff.output": _m("  {output} {count} tickets", "  {output} {count} 张工单"),
    "diff.tests_failed": _m("rule tests of {new}: {passed} passed, {failed} failed", "{new} 的规则测试：{passed} 个通过，{failed} 个失败"),
    "diff.tests_update": _m(" — update them before it goes live (kefu test {new})",
                            "——上线前请先更新测试（kefu test {new}）"),
    "diff.tests_pass": _m("rule tests of {new}: all {passed} pass", "{new} 的规则测试：{passed} 个全部通过"),
    "diff.rules": _m("rules whose hits change:", "规则命中变化："),
    "diff.gained": _m("  + {rule}: fires on {count} more tickets", "  + {rule}：多命中 {count} 张工单"),
    "diff.lost": _m("  - {rule}: fires on {count} fewer tickets", "  - {rule}：少命中 {count} 张工单"),
    "diff.examples": _m("examples (personal data masked):", "示例（个人信息已脱敏）："),
}


# --- messages from the C++ core -------------------------------------------------------------------------


def localize_error(message: str, id: str | None, lang: str) -> str:
    """A message of kefu's C++ core (a ``kefu.Error``'s text or detail, a ``kefu lint`` finding, a rule-test
    failure) in `lang`. ``"en"``: unchanged. ``"zh"``: all of it in Chinese when the patterns of
    :mod:`kefu._messages_zh` cover it (context prefixes such as ``file:L:C: ``, ``rule X: ``, ``row 3: ``,
    ``policy 'refund': `` included; identifiers, paths and values kept); else the prefixes translated and
    ``"{headline}：{message}"``, a Chinese headline by the error's `id` with the English detail kept (never a
    guessed translation); else the message unchanged."""
    if check_lang(lang) != "zh":
        return message
    from ._messages_zh import localize

    return localize(message, id)
