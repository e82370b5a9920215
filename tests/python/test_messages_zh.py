"""Messages for rule authors in Simplified Chinese (issue 14): what the C++ core says — rules loading and
``kefu lint`` findings, rule-test failures, ``kefu.Error`` texts — translated on the Python side
(kefu._messages_zh, kefu.i18n.localize_error) when ``--lang zh`` asks for it; English unchanged.

"Fully translated" means honestly what it says: every part of the message (context prefixes included) was
matched by a pattern of kefu._messages_zh, not shown as "headline：English detail".
"""

from __future__ import annotations

import datetime
import io
import json
import re
import shutil
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

import kefu
from kefu import _messages_zh as zh
from kefu._messages_zh import HEADLINES, is_fully_translated
from kefu._core import RuleSuite
from kefu.authoring import format_findings, lint
from kefu.cli import main
from kefu.i18n import localize_error

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_lint_equals_load import BROKEN, RULES  # noqa: E402  (the corpus of broken rules directories)

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
# The first case of the shipped refund suite (line 32), whose name the expected outputs quote.
CASE_32 = next(c.name for c in RuleSuite.load(RULES / "tests" / "refund.yaml").cases if c.line == 32)
TODAY = "2026-01-01"  # far from the calendars' horizon: no calendar-horizon warning in the exact outputs


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    d = tmp_path / "rules"
    shutil.copytree(RULES, d)
    return d


# --- the corpus of broken rules directories: every finding translated by a pattern -----------------------


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_every_finding_of_the_broken_corpus_is_fully_translated(name: str, rules_copy: Path):
    BROKEN[name][0](rules_copy)
    errors = [f for f in lint([rules_copy]) if f.severity == "error"]
    assert errors, name
    for f in errors:
        assert is_fully_translated(f.message), f.message
        chinese = localize_error(f.message, f.id, "zh")
        assert CJK.search(chinese) and not chinese.startswith(HEADLINES[f.id] + "："), chinese
        assert f.text("zh") == str(f).replace(f"rule {f.rule_id}: ", f"规则 {f.rule_id}：").replace(f.message, chinese)
    # The loading error as the CLI prints it (location, `rule X: ` and the detail) is translated as a whole.
    with pytest.raises(kefu.Error) as refused:
        kefu.Policy.load(rules_copy)
    assert is_fully_translated(str(refused.value)), str(refused.value)


# --- headlines: every error id of docs/errors.md and every lint check ------------------------------------


def documented_ids() -> set[str]:
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    return {m.group(1) for m in re.finditer(r"^\| `(kefu\.[a-z0-9_.]+)`", text, flags=re.M)}


def lint_checks() -> set[str]:
    analysis = (ROOT / "src" / "rules" / "analysis.cpp").read_text(encoding="utf-8")
    loader = (ROOT / "src" / "rules" / "policy_loader.cpp").read_text(encoding="utf-8")
    authoring = (ROOT / "python" / "kefu" / "authoring.py").read_text(encoding="utf-8")
    checks = set(re.findall(r'"([a-z]+(?:-[a-z]+)*)"\}\);', analysis))
    checks |= set(re.findall(r'warn\(p, .*?"([a-z]+(?:-[a-z]+)*)"\);', loader, flags=re.S))
    checks |= set(re.findall(r'"warning", message, None, "([a-z-]+)"', authoring))
    return checks


def test_every_documented_error_id_has_a_headline():
    ids = documented_ids()
    assert len(ids) >= 45 and "kefu.rules.vocabulary" in ids and "kefu.kpi.scorecard" in ids
    assert sorted(ids - set(HEADLINES)) == []


def test_every_lint_check_has_a_headline():
    checks = lint_checks()
    assert checks == {"unreachable-rule", "overlap", "gap", "negation-cue", "negation-not-cue", "keyword-exception",
                      "unused-keywords", "calendar-horizon"}
    assert sorted(c for c in checks if f"kefu.lint.{c.replace('-', '_')}" not in HEADLINES) == []
    assert all(CJK.search(h) for h in HEADLINES.values())


# --- the messages themselves ------------------------------------------------------------------------------

WARNINGS_POLICY = """policy: w
hit_policy: first
inputs: {n: int, text: text}
outputs: {ok: bool}
negation: {cues: [没有, 不 会, 不，], not_cues: [好的]}
keywords:
  media: {words: [曝光, 媒体], exceptions: {曝光: [曝光], 媒体: [新闻], 记者: [记者会]}}
  unused: [a]
rules:
  - {id: A, when: n > 1, then: {ok: true}}
  - {id: B, when: n > 5, then: {ok: false}}
  - {id: C, when: "contains_any(text, media)", then: {ok: false}}
"""

UNIQUE_POLICY = """policy: u
hit_policy: unique
inputs: {n: int, kind: {type: enum, values: [a, b]}}
outputs: {ok: bool}
rules:
  - {id: A, when: n > 1, then: {ok: true}}
  - {id: B, when: n > 5 and kind == a, then: {ok: false}}
"""


def test_every_lint_warning_check_is_fully_translated(tmp_path: Path):
    (tmp_path / "w.yaml").write_text(WARNINGS_POLICY, encoding="utf-8")
    (tmp_path / "u.yaml").write_text(UNIQUE_POLICY, encoding="utf-8")
    warnings = lint([tmp_path])
    assert {f.check for f in warnings} == lint_checks() - {"calendar-horizon"}
    chinese = {f.message: localize_error(f.message, f.id, "zh") for f in warnings}
    assert [m for m in chinese if not is_fully_translated(m)] == []
    assert chinese["rule B can never fire: earlier rule A always matches first (hit policy first)"] == (
        "规则 B 永远不会触发：前面的规则 A 总是先匹配（命中策略 first）")
    assert chinese["rules A and B both match when n >= 6, kind=a (hit policy unique)"] == (
        "规则 A 和 B 在 n >= 6, kind=a 时同时匹配（命中策略 unique）")
    assert chinese["no rule matches when n <= 1, and there is no `default`"] == "在 n <= 1 时没有规则匹配，且没有 `default`"
    assert chinese["keyword set 'unused' is not used by any rule"] == "关键词组 'unused' 没有被任何规则使用"


def test_the_calendar_horizon_warning(rules_copy: Path):
    found = lint([rules_copy / "calendars" / "cn-mainland.yaml"], today=datetime.date(2026, 12, 1))
    assert [f.check for f in found] == ["calendar-horizon"]
    assert localize_error(found[0].message, found[0].id, "zh") == (
        "日历 'cn-mainland'：官方数据截至 2026-12-31（还剩 30 天）；此后的时限为暂定（按节假日规则推算至 2035-12-31）："
        "请导入下一年度的国务院节假日通知（kefu calendar notice）")


def raised(fn) -> kefu.Error:
    with pytest.raises(kefu.Error) as e:
        fn()
    return e.value


def test_the_evaluation_errors_of_the_rules_table_are_fully_translated():
    policy = kefu.DecisionPolicy.load(ROOT / "tests" / "data" / "policies" / "refund.yaml")
    good = dict(business="mall", category="quality_defect", days_since_purchase=3, claimed_amount="100.00",
                has_receipt=True)
    strict = kefu.DecisionPolicy.from_yaml(
        "policy: strict\nhit_policy: unique\ninputs: {n: int}\noutputs: {ok: bool}\nrules:\n"
        "  - {id: LOW, when: n < 5, then: {ok: true}}\n  - {id: MID, when: n > 3 and n < 10, then: {ok: false}}\n")
    triage = kefu.default_policy()
    ticket = dict(business="mall", channel="phone", category="quality_defect", received_at="2026-03-02T10:00:00+08:00")
    errors = [
        raised(lambda: policy.evaluate({**good, "catgory": "x"})),
        raised(lambda: policy.evaluate({**good, "business": "malls"})),
        raised(lambda: policy.evaluate({**good, "has_receipt": 1})),
        raised(lambda: policy.evaluate({**good, "claimed_amount": 1.5})),
        raised(lambda: policy.evaluate({**good, "claimed_amount": "12.345"})),
        raised(lambda: policy.evaluate({**good, "has_receipt": None})),
        raised(lambda: policy.evaluate({**good, "days_since_purchase": "3天"})),
        raised(lambda: strict.evaluate_columns({"n": [1, 20]})),
        raised(lambda: strict.evaluate({"n": 4})),
        raised(lambda: triage.triage({**ticket, "catgory": "x"})),
        raised(lambda: triage.triage({**ticket, "tier": "L1"})),
        raised(lambda: triage.triage([ticket, {**ticket, "channel": "wechat"}])),
        raised(lambda: triage.triage({"business": "mall"})),
        raised(lambda: triage.triage({**ticket, "repeat_complaints": -1})),
        raised(lambda: triage.triage({**ticket, "received_at": "2046-03-02T10:00:00+08:00"})),
    ]
    assert [e.id for e in errors] == [
        "kefu.rules.unknown_input", "kefu.rules.unknown_value", "kefu.rules.type_mismatch", "kefu.rules.type_mismatch",
        "kefu.rules.bad_value", "kefu.rules.missing_input", "kefu.rules.bad_value", "kefu.rules.no_match",
        "kefu.rules.not_unique", "kefu.rules.unknown_fact", "kefu.rules.derived_fact", "kefu.rules.unknown_value",
        "kefu.rules.missing_fact", "kefu.rules.negative_fact", "kefu.calendar.out_of_range"]
    assert [str(e) for e in errors if not is_fully_translated(str(e))] == []
    chinese = [localize_error(str(e), e.id, "zh") for e in errors]
    assert chinese[0] == "规则集 'refund-test'：未知的输入 'catgory'（是否想写 'category'？）"
    assert chinese[2] == "输入 'has_receipt'：应为布尔值，实际给的是 Python int"
    assert chinese[5] == "规则集 'refund-test'：缺少输入：has_receipt"
    assert chinese[7] == "第 1 行：规则集 'strict'：没有规则匹配，且没有 `default`"
    assert chinese[11] == ("第 1 行：事实 'channel'：'wechat' 不是可选取值之一"
                           "（可选：phone, online, email, wecom, merchant_platform, social, store）")
    assert chinese[14] == (
        "规则 TIER-L3：解决时限（7 workdays，日历 cn-mainland）：日期 2046-03-02 超出日历 'cn-mainland' 的范围"
        "（2004-01-01..2026-12-31，暂定 2027-01-01..2035-12-31）：暂定推算之外不做猜测")


CONDITION = "policy: p\ninputs: {{n: int, kind: {{type: enum, values: [a, b]}}}}\noutputs: {{ok: bool}}\n" \
            "rules:\n  - {{id: A, when: \"{when}\", then: {{ok: true}}}}\n"


@pytest.mark.parametrize("when, expected", [
    ("knd == a", "p.yaml:5:20: 规则 A：未知的输入 'knd'（是否想写 'kind'？）"),
    ("kind == c", "p.yaml:5:28: 规则 A：'c' 不是输入 kind 的取值（可选：a, b）（是否想写 'a'？）"),
    ("n == yes", "p.yaml:5:25: 规则 A：请写 true，而不是 'yes'（是/否输入只能写 true 或 false）"),
    ("n = 1", "p.yaml:5:22: 规则 A：比较请用 '=='（'=' 不是运算符）"),
    ("n ＝ 1", "p.yaml:5:22: 规则 A：这里是全角的 '＝'：请改用半角 '='（把输入法切换为半角标点）"),
    ("(n > 1", "p.yaml:5:26: 规则 A：缺少 ')'，用于闭合 '('（条件已结束）"),
    ("n > 1 b", "p.yaml:5:26: 规则 A：条件已经完整，后面却出现了 'b'"),
    ("n > 3min", "p.yaml:5:20: 规则 A：无法把整数与时长比较"),
    ("n", "p.yaml:5:20: 规则 A：条件必须为 true 或 false，而这是整数"),
    ("foo(n)", "p.yaml:5:20: 规则 A：未知的函数 'foo'（可用函数：contains_any, days_between, workdays_between）"),
])
def test_condition_errors(when: str, expected: str):
    e = raised(lambda: kefu.DecisionPolicy.from_yaml(CONDITION.format(when=when), "p.yaml"))
    assert e.id in ("kefu.rules.condition", "kefu.rules.unknown_input")
    assert localize_error(str(e), e.id, "zh") == expected


POLICY = ("policy: p\nhit_policy: first\ninputs: {n: int, kind: {type: enum, values: [a, b]}}\noutputs: {ok: bool}\n"
          "rules:\n  - {id: A, when: n > 1, then: {ok: true}}\n")
CALENDAR = ("calendar: c\nzone: '+08:00'\nrange: {from: 2026-01-01, to: 2026-12-31}\nweekdays: [mon]\n"
            "hours: ['09:00-18:00']\n")


@pytest.mark.parametrize("old, new", [
    ("hit_policy: first", "hit_policy: frist"), ("inputs:", "inputz:"), ("n: int,", "n: integer,"),
    ("kind: {type: enum, values: [a, b]}", "kind: enum"), ("values: [a, b]", "values: [a, a]"),
    ("outputs: {ok: bool}", "outputs: {ok: {type: bool, default: true}}"), ("then: {ok: true}", "then: {okk: true}"),
    ("then: {ok: true}", "then: {ok: maybe}"), (", then: {ok: true}", ""), ("{id: A,", "{id: A, priority: 1,"),
    ("values: [a, b]", "values: from facts"), ("{n: int,", "{n: {type: int, default: x},"),
    ("rules:", "keywords: {media: []}\nrules:"), ("rules:", "negation: {cues: [没有], window: 30}\nrules:"),
    ("hit_policy: first", "hit_policy: first\n\thit_policy: first"), ("{id: A,", "{id: A, when: n > 2,"),
    ("n > 1", "kind > 1"), ("n > 1", "-kind"), ("n > 1", "n / n > 1"), ("n > 1", "n == 'x'"),
])
def test_loader_messages_are_fully_translated(old: str, new: str):
    e = raised(lambda: kefu.DecisionPolicy.from_yaml(POLICY.replace(old, new, 1), "p.yaml"))
    assert is_fully_translated(str(e)), str(e)


@pytest.mark.parametrize("old, new", [
    ("hours: ['09:00-18:00']", "hours: ['09:00-18:00', '10:00-12:00']"), ("weekdays: [mon]", "weekdays: [mon, xyz]"),
    ("zone: '+08:00'", "zoen: 1"), ("hours: ['09:00-18:00']\n", "hours: ['09:00-18:00']\nholidays: [2026-13-01]\n"),
    ("hours: ['09:00-18:00']\n", "hours: ['09:00-18:00']\nbeyond_official: maybe\n"),
    ("{from: 2026-01-01, to: 2026-12-31}", "{from: 2026-12-01, to: 2026-01-31}"), ("zone: '+08:00'", "extends: nope"),
])
def test_calendar_messages_are_fully_translated(old: str, new: str):
    e = raised(lambda: kefu.Calendar.from_yaml(CALENDAR.replace(old, new, 1), "c.yaml"))
    assert is_fully_translated(str(e)), str(e)


@pytest.mark.parametrize("rel, old, new", [
    ("kpi/targets.yaml", "qc_pass_mark: 60", "qc_pass_mark: 160"),
    ("kpi/targets.yaml", "waiting_bands: [30s, 2min, 5min]", "waiting_bands: [30s, 20s, 5min]"),
    ("kpi/targets.yaml", "online: {first_response: 30s", "online: {first_response: 1 workdays"),
    ("kpi/targets.yaml", ", calendar: cn-mainland}", "}"),
    ("kpi/targets.yaml", "{metric: fcr_rate, at_least: 90%}", "{metric: fcr_rate, at_least: lots}"),
    ("kpi/scorecard-agent.yaml", "{id: training,", "{id: kpi,"),
    ("kpi/scorecard-agent.yaml", "value: input.exam_score", "value: exam_score"),
    ("kpi/scorecard-agent.yaml", "window: all", "window: forever"),
    ("clocks.yaml", "stop: [order_confirmed, cancel]", "stop: [order_confirmd, cancel]"),
    ("clocks.yaml", "    start_fact: ordered_at\n", "    start_fact: orderd_at\n"),
    ("clocks.yaml", "categories: [order_query, abnormal_order]", "categories: [order_qery, abnormal_order]"),
    ("clocks.yaml", "  - name: order_confirmation\n", "  - name: Order-Confirmation\n"),
    ("tests/refund.yaml", "cases:", "casez:"),
    ("refund.yaml", "  business: {type: enum, values: from facts}", "  business: {type: enum, values: from facts, default: mall}"),
])
def test_rules_directory_messages_are_fully_translated(rel: str, old: str, new: str, rules_copy: Path):
    path = rules_copy / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    e = raised(lambda: kefu.Policy.load(rules_copy))
    assert is_fully_translated(str(e)), str(e)
    assert CJK.search(localize_error(str(e), e.id, "zh"))


def test_rule_test_failures_and_their_tail():
    message = ("rule test 'day 2' fails: decision expected refund, got deny; rule expected REF-A, got REF-B, REF-C "
               "(and 2 more failing cases in this file) / 规则测试未通过")
    assert localize_error(message, "kefu.rules.rule_test", "zh") == (
        "规则测试 'day 2' 未通过：输出 decision 期望 refund，实际 deny；触发的规则期望 REF-A，实际 REF-B, REF-C"
        "（此文件另有 2 个用例未通过）")
    assert localize_error("rule test 'x' fails: SLA-1 within expected 15s, got (not set) (and 1 more failing case in "
                          "this file) / 规则测试未通过", "kefu.rules.rule_test", "zh") == (
        "规则测试 'x' 未通过：规则 SLA-1 的输出 within 期望 15s，实际（未设置）（此文件另有 1 个用例未通过）")
    # A case's error is itself translated; "expected X, got Y" outside a rule test is not a difference.
    assert localize_error("rule test 'x' fails: policy 'refund': missing input(s) used / 规则测试未通过",
                          "kefu.rules.rule_test", "zh") == "规则测试 'x' 未通过：规则集 'refund'：缺少输入：used"
    assert not is_fully_translated("decision expected refund, got deny")


def test_uncovered_messages_get_the_headline_and_keep_the_english_detail():
    assert not is_fully_translated("something kefu says that no pattern covers")
    assert localize_error("row 3: policy 'x': something kefu says", "kefu.rules.no_match", "zh") == (
        "第 3 行：规则集 'x'：没有规则匹配：something kefu says")
    assert localize_error("f.yaml:2:5: rule R: something new", "kefu.rules.condition", "zh") == (
        "f.yaml:2:5: 规则 R：规则条件有误：something new")
    assert localize_error("something new", "kefu.no_such_id", "zh") == "something new"
    assert localize_error("something new", None, "zh") == "something new"


def test_english_is_unchanged():
    for message in ("policy 'refund' has no input 'usd' (did you mean 'used'?)", "row 3: anything at all"):
        assert localize_error(message, "kefu.rules.unknown_input", "en") == message
    with pytest.raises(ValueError):
        localize_error("x", None, "fr")


def test_patterns_are_well_formed():
    # Every template names only its pattern's groups; each table compiles (a typo fails here, not in a user's face).
    for table in (zh.PREFIXES, zh.PATTERNS, zh.DIFFERENCES):
        for rx, template in table:
            groups = set(re.compile(rx).groupindex)
            fields = set(re.findall(r"(?<!\{)\{(\w+)\}(?!\})", template))
            assert fields <= groups, (rx, template)
    assert all(rx.startswith(("(?P<", "rule ", "row ", "policy ", "action ", "expected ", "`"))
               for rx, _ in zh.PREFIXES)


# --- through the CLI: kefu lint, kefu test, kefu rules (errors), in Chinese and unchanged in English ---------


def test_kefu_lint_in_chinese_with_location_and_caret(rules_copy: Path):
    BROKEN["suite: misspelt input"][0](rules_copy)
    code, out, _ = run(["lint", str(rules_copy), "--today", TODAY, "--lang", "zh"])
    assert code == 1
    assert out == (
        f"{rules_copy}/tests/refund.yaml:16:3: error: 规则集 'refund' 没有输入 'usd'（是否想写 'used'？）\n"
        "      usd: false\n"
        "      ^\n"
        "28 个文件中有 1 个错误、0 个警告\n")
    code, out, _ = run(["lint", str(rules_copy), "--today", TODAY, "--lang", "en"])
    assert out.splitlines()[0] == (f"{rules_copy}/tests/refund.yaml:16:3: error: policy 'refund' has no input 'usd' "
                                   "(did you mean 'used'?)")


@pytest.mark.parametrize("name, line", [
    ("enum value the vocabulary lacks",
     "{d}/refund.yaml:10:3: error: 输入 'business' 与事实词汇表中的事实（{d}/facts.yaml:18:3）不一致：请使用相同的类型和取值"),
    ("suite: yes for a bool",
     "{d}/tests/refund.yaml:15:16: error: 输入 'has_receipt'：布尔值 'yes' 无法读取：请写 true（是/否取值只能写 true 或 false）"),
    ("condition names a value that is not an input",
     "{d}/refund.yaml:39:23: error: 规则 REF-CLEARANCE-DISCLOSED：'mal' 不是输入 business 的取值"
     "（可选：ecommerce, mall, smart_counter, fresh）（是否想写 'mall'？）"),
    ("suite: a case that fails",
     "{d}/tests/refund.yaml:32:5: error: 规则测试 '{case}' 未通过：输出 decision 期望 refund，实际 deny"),
])
def test_kefu_lint_in_chinese(name: str, line: str, rules_copy: Path):
    BROKEN[name][0](rules_copy)
    code, out, _ = run(["lint", str(rules_copy), "--today", TODAY, "--lang", "zh"])
    assert code == 1 and out.splitlines()[0] == line.format(d=rules_copy, case=CASE_32)


def test_kefu_lint_json_keeps_english_and_adds_message_zh(rules_copy: Path):
    BROKEN["suite: yes for a bool"][0](rules_copy)
    _, out, _ = run(["lint", str(rules_copy), "--today", TODAY, "--format", "json", "--lang", "zh"])
    [d] = json.loads(out)["diagnostics"]
    assert d["id"] == "kefu.rules.bad_value"
    assert d["message"] == "input 'has_receipt': bad bool 'yes': write true (a yes/no value is true or false / 请写 true)"
    assert d["message_zh"] == "输入 'has_receipt'：布尔值 'yes' 无法读取：请写 true（是/否取值只能写 true 或 false）"
    _, out, _ = run(["lint", str(rules_copy), "--today", TODAY, "--format", "json", "--lang", "en"])
    [d] = json.loads(out)["diagnostics"]
    assert "message_zh" not in d


def test_format_findings_defaults_to_english(rules_copy: Path):
    BROKEN["suite: yes for a bool"][0](rules_copy)
    findings = [f for f in lint([rules_copy]) if f.severity == "error"]
    out = io.StringIO()
    format_findings(findings, 1, "text", out)
    assert out.getvalue().splitlines()[0] == str(findings[0])
    assert "bad bool 'yes'" in str(findings[0])


def test_kefu_test_in_chinese(rules_copy: Path):
    BROKEN["suite: yes for a bool"][0](rules_copy)
    code, out, _ = run(["test", str(rules_copy), "--lang", "zh", "-k", "tests/refund.yaml"])
    lines = out.splitlines()
    assert code == 1
    assert lines[1:4] == [
        f"{rules_copy}/tests/refund.yaml:15:16: error: 输入 'has_receipt'：布尔值 'yes' 无法读取：请写 true"
        "（是/否取值只能写 true 或 false）",
        "      has_receipt: yes",
        "                   ^"]
    assert lines[4] == f"失败 {rules_copy}/tests/refund.yaml:32：{CASE_32}"
    assert lines[5] == "    错误：输入 'has_receipt'：布尔值 'yes' 无法读取：请写 true（是/否取值只能写 true 或 false）"
    code, out, _ = run(["test", str(rules_copy), "--lang", "en", "-k", "tests/refund.yaml"])
    assert out.splitlines()[5] == ("    error: input 'has_receipt': bad bool 'yes': write true "
                                   "(a yes/no value is true or false / 请写 true)")


def test_kefu_test_differences_in_chinese(rules_copy: Path):
    BROKEN["suite: a case that fails"][0](rules_copy)
    path = rules_copy / "tests" / "refund.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("rule: REF-CLEARANCE-DISCLOSED", "rule: default", 1),
                    encoding="utf-8")
    _, out, _ = run(["test", str(rules_copy), "--lang", "zh", "-k", "tests/refund.yaml"])
    differences = [line for line in out.splitlines() if line.startswith("    ") and "期望" in line]
    assert differences == ["    输出 decision：期望 refund，实际 deny", "    触发的规则：期望 default，实际 REF-CLEARANCE-DISCLOSED"]
    _, out, _ = run(["test", str(rules_copy), "--lang", "en", "-k", "tests/refund.yaml"])
    assert [line for line in out.splitlines() if "expected" in line] == [
        "    decision: expected refund, got deny", "    rule: expected default, got REF-CLEARANCE-DISCLOSED"]


def test_kefu_rules_error_in_chinese(rules_copy: Path):
    BROKEN["scorecard: weights sum to 105"][0](rules_copy)
    code, _, err = run(["rules", str(rules_copy), "--lang", "zh"])
    assert code == 1
    assert err == (f"kefu：错误：{rules_copy}/kpi/scorecard-agent.yaml:8:3: 评分卡 'ecommerce-agent-monthly'：各项权重之和为 "
                   "105，不是 100（kpi 65 + customer_feedback 20 + training 20）\n")
    code, _, err = run(["rules", str(rules_copy), "--lang", "en"])
    assert err == (f"kefu: error: {rules_copy}/kpi/scorecard-agent.yaml:8:3: scorecard 'ecommerce-agent-monthly': "
                   "item weights sum to 105, not 100 (kpi 65 + customer_feedback 20 + training 20)\n")


NOTICE_TITLE = "国务院办公厅关于2027年部分节假日安排的通知\n"


@pytest.mark.parametrize("text, chinese", [
    ("", "1: 通知为空（请粘贴国务院通知的正文）"),
    ("关于部分节假日安排的通知\n一、元旦：1月1日放假\n",
     "2: 通知没有写明年份（请连同标题一起粘贴，例如 国务院办公厅关于2027年部分节假日安排的通知）"),
    (NOTICE_TITLE + "一、元宵：1月1日放假\n",
     "2: 未知的节日 '元宵'（是否想写 '元旦'？）（应为 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节 之一）"),
    (NOTICE_TITLE + "一、元旦：2月30日放假\n", "2: 2月30日 不存在（2027年2月只有 28 天）"),
    (NOTICE_TITLE + "一、元旦：13月1日放假\n", "2: 13月1日 不存在（没有 13 月）"),
])
def test_notice_errors_in_chinese(tmp_path: Path, capsys, text: str, chinese: str):
    """`kefu calendar notice --lang zh`: what is wrong with a pasted State Council notice, in Chinese, at its line;
    the same run in English keeps the core's words."""
    notice = tmp_path / "notice.txt"
    notice.write_text(text, encoding="utf-8")
    assert main(["calendar", "notice", str(notice), "--lang", "zh"]) == 2
    assert capsys.readouterr().err == f"{notice}:{chinese}\n"
    assert main(["calendar", "notice", str(notice), "--lang", "en"]) == 2
    english = capsys.readouterr().err
    assert english.startswith(f"{notice}:{chinese.split(':')[0]}: ") and not re.search(r"[，（）]", english.split(": ", 1)[1][:8])
