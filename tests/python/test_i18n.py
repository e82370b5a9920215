"""zh-CN for what users read (issue 14 item 4): the message catalogue, --lang and the locale, CLI help in
Chinese, the KPI report and the demo in Chinese, rule authors' summaries, durations and display widths."""

from __future__ import annotations

import argparse
import io
import math
import os
import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest

import kefu

from kefu import i18n
from kefu.cli import build_parser, main, requested_lang

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "examples" / "data"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_both_languages_with_the_same_fields():
    assert i18n.LANGS == ("zh", "en")
    for key, texts in i18n.MESSAGES.items():
        assert set(texts) == {"zh", "en"}, key
        assert texts["zh"].strip() and texts["en"].strip(), key
        # A field in one language only would drop a value in the other (English plural endings aside).
        plural = {"s", "es", "ws", "fs"}
        assert _fields(texts["zh"]) == _fields(texts["en"]) - plural, key
        # The Chinese text is Chinese: CJK characters, or (for a few labels such as "FRT P90") the same abbreviation.
        assert CJK.search(texts["zh"]) or texts["zh"] == texts["en"] or key in {"kpi.frt_p90"}, key
    assert i18n.tr("report.missed", "zh", count=3) == "未达标目标（3）："
    with pytest.raises(ValueError, match="unknown language 'fr': expected zh or en"):
        i18n.tr("report.none", "fr")


@pytest.mark.parametrize("env, lang", [
    ({}, "en"),
    ({"LANG": "C"}, "en"),
    ({"LANG": "POSIX"}, "en"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh_TW.UTF-8"}, "zh"),
    ({"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),          # LC_ALL wins over LANG
    ({"LC_ALL": "", "LC_MESSAGES": "zh_CN.UTF-8", "LANG": "C"}, "zh"),  # an empty variable does not count
    ({"KEFU_LANG": "zh", "LANG": "C"}, "zh"),                       # KEFU_LANG wins over the locale
    ({"KEFU_LANG": "en", "LC_ALL": "zh_CN.UTF-8"}, "en"),
    ({"KEFU_LANG": "fr", "LANG": "zh_CN.UTF-8"}, "zh"),             # a language kefu does not speak: the locale
])
def test_default_language_from_the_environment(env, lang):
    assert i18n.default_lang(env) == lang


def test_an_explicit_flag_wins_over_the_environment():
    env = {"KEFU_LANG": "zh", "LANG": "zh_CN.UTF-8"}
    assert requested_lang(["report", "--lang", "en"], env) == "en"
    assert requested_lang(["--lang=en", "report"], env) == "en"
    assert requested_lang(["report"], env) == "zh"
    assert requested_lang(["report", "--", "--lang", "en"], env) == "zh"


@pytest.mark.parametrize("seconds, en, zh", [
    (0, "0 s", "0秒"), (35, "35 s", "35秒"), (59.6, "1 min", "1分钟"), (155, "2 min 35 s", "2分35秒"),
    (900, "15 min", "15分钟"), (3600, "1 h", "1小时"), (5400, "1.5 h", "1.5小时"), (6536, "1.8 h", "1.8小时"),
    (72 * 3600, "3 d", "3天"), (3.2 * 86400, "3.2 d", "3.2天"), (math.nan, "–", "–"), (None, "–", "–"),
])
def test_durations_in_readable_units(seconds, en, zh):
    assert i18n.duration(seconds, "en") == en
    assert i18n.duration(seconds, "zh") == zh


def test_display_width_counts_cjk_as_two_columns():
    assert i18n.width("FCR") == 3 and i18n.width("一次解决率") == 10 and i18n.width("≤30秒 耐心等待") == 14
    assert i18n.width("ｆｕｌｌ") == 8 and i18n.width("e\u0301") == 1  # fullwidth letters; a combining accent
    assert i18n.ljust("满意度", 8) == "满意度  " and i18n.rjust("满意度", 8) == "  满意度"


def _help_actions(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _help_actions(sub, path + (name,))
            for choice in action._choices_actions:
                yield path + (choice.dest,), choice.help
        elif action.help not in (None, argparse.SUPPRESS):
            yield path + (action.dest,), action.help
    yield path + ("<description>",), parser.description


def test_cli_help_of_every_command_in_chinese():
    en = dict(_help_actions(build_parser("en")))
    zh = dict(_help_actions(build_parser("zh")))
    assert en.keys() == zh.keys() and len(zh) > 60
    for where, text in zh.items():
        if where[-1] == "<description>" and where == ("<description>",) or text is None:
            continue
        assert text and CJK.search(text), where
        # Chinese help is Chinese only: no English sentence left over from the bilingual English help.
        assert not re.search(r"\b(the|and|or|of|with)\b", text), (where, text)
    assert zh[("<description>",)] == "kefu（客服）：把零售客服手册变成可执行的规则。"


def test_cli_help_follows_lang_flag_and_locale(capsys, monkeypatch):
    with pytest.raises(SystemExit):
        main(["report", "--lang", "zh", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法：kefu report")
    assert "显示本帮助并退出" in out and "同时写出一个带图表的独立 HTML 页面" in out and "选项" in out
    monkeypatch.delenv("KEFU_LANG")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "运行 'kefu 命令 --help' 查看该命令的选项。" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--lang", "en", "--help"])  # the flag wins over the locale
    assert "Run 'kefu COMMAND --help' for a command's options." in capsys.readouterr().out


def test_console_script_speaks_the_locale():
    env = {k: v for k, v in os.environ.items() if k not in ("KEFU_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    zh = subprocess.run([sys.executable, "-m", "kefu", "rules"], capture_output=True, text=True,
                        env=env | {"LANG": "zh_CN.UTF-8"}, check=True).stdout
    c = subprocess.run([sys.executable, "-m", "kefu", "rules"], capture_output=True, text=True,
                       env=env | {"LANG": "C"}, check=True).stdout
    assert re.search(r"已加载：8 个规则集，2 组目标，3 张评分卡，\d+ 个规则测试用例通过", zh), zh[-300:]
    assert re.search(r"loaded: 8 policies, 2 targets, 3 scorecards, \d+ rule-test cases passed", c), c[-300:]


def test_report_in_chinese(capsys):
    assert main(["report", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "各渠道 KPI"
    header = lines[1].split("  ")
    for name in ("首次响应时长 FRT", "平均响应时长 ART", "平均处理时长 AHT", "一次解决率 FCR", "满意度 CSAT", "净推荐值 NPS"):
        assert name in lines[1], name
    assert header[0].strip() == "渠道"
    # Columns line up by display width: every line of the table takes as many terminal columns as the rule.
    table = lines[1:lines.index("")]
    assert len(table) == 2 + 7
    rule = i18n.width(table[1])
    assert all(i18n.width(line) == rule for line in table), [i18n.width(line) for line in table]
    # Right-aligned numbers end in the same column as their heading (the FCR column: a rate per channel).
    fcr_end = i18n.width(lines[1][:lines[1].index("一次解决率 FCR") + len("一次解决率 FCR")])
    online = next(line for line in table if line.startswith("在线 "))
    assert re.fullmatch(r"\d+\.\d%", online[:_cut(online, fcr_end)].split()[-1])
    # Durations in readable units; channels and goals by their Chinese names.
    assert "52分15秒" in out and "1.8小时" in out and " s " not in out
    assert re.search(r"^未达标目标（41）：邮件：一次解决率 FCR、邮件：满意度 CSAT、邮件：满意率、", out, re.M)
    assert "各渠道排队等待（003）" in out and "≤30秒 耐心等待" in out and ">5分钟 投诉风险" in out
    assert "月度服务之星（002 §7.3；至少20张工单的客服，满意度按已评价工单计）" in out
    assert "评分卡 smart-counter-monthly 2026-03" in out
    # Scorecard items by the handbook's names (seed 000 Table 1: 效能达成, 服务合格率 …).
    card = out[out.index("评分卡 smart-counter-monthly"):].splitlines()[1].split()
    assert card == ["客服", "效能达成", "服务合格率", "回评率", "响应及时率", "月考", "满意度", "线上商机", "态度", "加分", "总分"]
    assert "需再培训（后10%）：A02, A04, A01" in out
    assert re.search(r"^纪律审查（成立的投诉 ≥5，全部记录）：A07", out, re.M)
    # The same numbers as in English.
    assert main(["report", "--lang", "en"]) == 0
    en = capsys.readouterr().out
    assert re.findall(r"\d+\.\d%", en) == re.findall(r"\d+\.\d%", out)
    email = next(line for line in en.splitlines() if line.startswith("email "))
    assert "52 min 15 s" in email and "1.8 h" in email  # FRT mean and p90 of email: 3135 s and 6536 s


def _cut(line: str, columns: int) -> int:
    """The index in `line` where `columns` display columns end."""
    n = 0
    for i, ch in enumerate(line):
        if n >= columns:
            return i
        n += i18n.width(ch)
    return len(line)


def test_report_errors_and_notes_in_chinese(tmp_path, capsys):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    assert main(["report", "--lang", "zh", "--rules", str(rules), "--targets", "fresh"]) == 1
    assert capsys.readouterr().err == (
        f"kefu：错误：规则目录 {rules} 中没有目标 'fresh'（现有 fresh-food-team, service-kpis）：请用 --targets 指定\n")
    shutil.rmtree(rules / "kpi")
    assert main(["report", "--lang", "zh", "--rules", str(rules)]) == 0
    out = capsys.readouterr().out
    assert f"注：{rules} 中没有 targets 文件，使用内置目标 'service-kpis'" in out
    assert f"注：{rules} 中没有 scorecard 文件，使用内置评分卡 'smart-counter-monthly'" in out


def test_rule_author_summaries_in_chinese(tmp_path, capsys):
    assert main(["test", "--lang", "zh", str(ROOT / "rules"), "-k", "refund decisions"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"1 个套件：85 个通过，0 个失败，\d+ 个未选中", out[-1]), out[-1]
    assert re.fullmatch(r".*refund\.yaml：85 个用例，85 个通过，0 个失败（[\d.]+ 毫秒）", out[0]), out[0]
    assert any(re.fullmatch(r"覆盖率：规则集 refund（.*refund\.yaml）：19 条规则中 19 条被覆盖", line) for line in out), out
    assert main(["lint", "--lang", "zh", str(ROOT / "rules" / "refund.yaml")]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 个文件中有 0 个错误、0 个警告"
    # A failing case: what differs and the trace in Chinese, and the checks' own messages too (test_messages_zh.py).
    failing = ROOT / "tests" / "data" / "policies" / "refund_failing_test.yaml"
    assert main(["test", "--lang", "zh", str(failing)]) == 1
    out = capsys.readouterr().out
    assert ("失败 " + str(failing) + ":5：wrong expectation\n"
            "    输出 decision：期望 refund，实际 deny\n"
            "    触发的规则：期望 R-QUALITY-7D，实际 default\n"
            "    推理过程：\n"
            "      规则集 refund-test 版本 1（命中策略 first：第一条适用的规则决定）\n") in out
    assert (f"{failing}:10:29: error: 输入 'claimed_amount'：金额 '12.345' 无法读取：小数超过两位（金额精确到分）\n"
            in out)  # location and severity stay English (editors' problem matchers)
    assert out.splitlines()[-1] == "1 个套件：0 个通过，2 个失败，1 个无法运行"
    assert main(["test", "--lang", "zh", "--mutate", "-k", "x"]) == 2
    assert capsys.readouterr().err == "kefu：错误：--mutate 会运行所有套件的所有用例：请去掉 -k 和 --format junit\n"


def test_demo_in_chinese_without_personal_data():
    import csv

    import kefu
    from kefu import demo

    out = io.StringIO()
    assert demo.run(out=out, lang="zh") == 0
    text = out.getvalue()
    assert text.startswith(f"kefu {kefu.__version__} — 用内置示例数据演示\n")
    for heading in ("2026年春节期间的时限", "用 ", "案例说明（个人信息已脱敏）：", "日历数据范围（",
                    "工单生命周期", "各渠道 KPI", "各渠道排队等待（003）", "评分卡 smart-counter-monthly 2026-03"):
        assert heading in text, heading
    assert "受理日：休息日 1052，工作日 1948（cn-mainland，含调休）" in text
    # Received Fri 13 Feb 2026: 3 workdays = Sat 14 (调休), Tue 24, Wed 25 → close of Wed 25 Feb; weekdays in Chinese.
    line = next(line for line in text.splitlines() if "周五 02-13 00:29" in line)
    assert "周三 02-25 24:00" in line and "周五 02-13 11:00" in line
    assert re.search(r"^    人工审核 \(manual_review\) +1645   54\.8%$", text, re.M)
    # The vocabulary in Chinese: businesses, channels, categories, owners, durations, the built-in clocks, the
    # named clocks' own descriptions, the rules files' kinds and the horizon warning (issue 14: no "7 workdays").
    assert re.search(r"^    电商 \(ecommerce\) +1062   35\.4%$", text, re.M)
    assert re.search(r"^    企业微信 \(wecom\) +345   11\.5%$", text, re.M)
    assert "  T000005 商场/质量问题，渠道 企业微信，受理于 2025-12-01 10:37，顾客 袁**\n" in text
    assert "；负责人 主管、质检、法务\n" in text
    assert "    首次响应须在 12-02 10:37 前（24小时），解决须在 12-11 00:00 前（7个工作日，cn-mainland），需书面报告\n" in text
    assert "    处置 supervisor_steps_in（主管，须在 12-01 10:42 前（5分钟））—— 主管介入" in text
    assert re.search(r"^    首次响应 +L1 +462 / +50 / +0 / +0 +90\.2% 达成$", text, re.M)
    assert re.search(r"^    initial_assessment +3000 / +0 / +0 +按时 100\.0%  — 收到投诉后24小时内完成初步评估$", text, re.M)
    assert re.search(r"^  规则集 +refund +refund\.yaml +19 条$", text, re.M)
    assert "（cn-mainland 上 7个工作日）" in text and "  警告：日历 'cn-mainland'：官方数据截至 " in text
    for english in ("workdays", " owners ", "supervisor, qc", "warning:", "(24h)", "official data ends"):
        assert english not in text, english
    # DOM-PRIV-1: masked in Chinese as in English.
    rows = list(csv.DictReader(kefu.default_data_path().open(encoding="utf-8")))
    for row in rows[:5]:
        assert row["customer_phone"] not in text and row["customer_name"] not in text
    assert not re.search(r"1[3-9]\d{9}", text)
    with pytest.raises(ValueError, match="unknown language"):
        demo.run(out=io.StringIO(), lang="de")


def test_triage_summary_in_chinese_and_english(monkeypatch, capsys):
    seafood = "business: fresh\nchannel: online\ncategory: live_seafood_dead\nreceived_at: 2026-02-16T23:00:00+08:00\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(seafood))
    assert main(["triage", "--lang", "zh", "--input", "-"]) == 0
    zh = capsys.readouterr().out.splitlines()
    monkeypatch.setattr(sys, "stdin", io.StringIO(seafood))
    assert main(["triage", "--input", "-"]) == 0
    en = capsys.readouterr().out.splitlines()
    assert len(zh) == len(en)
    assert zh[0] == "风险：一般 (normal)" and en[0] == "risk: normal"
    assert zh[1] == "层级：L2（依据 ESC-CATEGORY-L2）；负责人 主管"
    assert en[1] == "tier: L2 by ESC-CATEGORY-L2; owners supervisor"
    assert "目标：verify and handle dead live seafood 期限 2026-02-17T11:00:00+08:00（12小时）[SLA-LIVE-SEAFOOD-VERIFY]" in zh
    assert "target: verify and handle dead live seafood due 2026-02-17T11:00:00+08:00 (12h) [SLA-LIVE-SEAFOOD-VERIFY]" in en
    assert zh[-1].startswith("退款：退款 (refund)，依据 REF-FRESH-DEAD-OR-SPOILED —— ")


def test_argparse_errors_speak_the_chosen_language(capsys):
    """argparse's own messages are English in the standard library; with --lang zh kefu says them in Chinese."""
    from kefu.cli import main

    for args, zh, en in (
        (["frobnicate"], "kefu: 错误：参数 COMMAND：无效的选项 'frobnicate'（可选：'demo', ",
         "kefu: error: argument COMMAND: invalid choice: 'frobnicate' (choose from 'demo', "),
        (["lint", "rules", "--today", "x"], "kefu lint: 错误：参数 --today：",
         "kefu lint: error: argument --today: "),
        (["lint", "--bogus"], "kefu: 错误：无法识别的参数：--bogus", "kefu: error: unrecognized arguments: --bogus"),
    ):
        for lang, expected in (("zh", zh), ("en", en)):
            with pytest.raises(SystemExit) as e:
                main(["--lang", lang, *args])
            assert e.value.code == 2
            assert expected in capsys.readouterr().err, (lang, args)


@pytest.mark.parametrize("text, zh", [
    ("7 workdays", "7个工作日"), ("1 working day", "1个工作日"), ("24h", "24小时"), ("1.5h", "1.5小时"),
    ("5min", "5分钟"), ("90s", "90秒"), ("2 days", "2天"), ("4 business hours", "4个工作小时"),
    ("30 Business Minutes", "30工作分钟"), ("3个工作日", "3个工作日"), ("", ""), ("soon", "soon"), ("7 weeks", "7 weeks"),
])
def test_rule_durations_in_chinese(text, zh):
    """A rule's `within` as a Chinese reader says it; what is not one number and one of kefu's units stays as
    written (never a guessed unit)."""
    assert i18n.duration_text(text, "zh") == zh
    assert i18n.duration_text(text, "en") == text
    if zh != text:  # the Chinese reads back as the same duration
        ours, theirs = kefu.Duration(text), kefu.Duration(zh)
        assert (ours.clock, ours.amount) == (theirs.clock, theirs.amount)


def test_every_value_a_chinese_reader_meets_has_a_chinese_name():
    """Businesses, channels, categories, risk levels, refund decisions, owners and action codes of the shipped
    vocabulary all have a Chinese name (value.<code>): a value added to the rules without one would show up
    as a bare code in a Chinese demo or triage summary."""
    policy = kefu.default_policy()
    facts = {f.name: f for f in policy.facts}
    wanted = {v for name in ("business", "channel", "category", "risk_level", "refund_decision")
              for v in facts[name].values}
    tiers = policy.policies["tiers"]
    wanted |= set(next(o for o in tiers.outputs if o.name == "owners").values)
    actions = policy.policies["actions"]
    wanted |= set(next(i for i in actions.inputs if i.name == "action").values)
    assert len(wanted) >= 50, wanted
    missing = sorted(v for v in wanted if f"value.{v}" not in i18n.MESSAGES)
    assert missing == []
