"""Explanations in Chinese (issue 14: messages for rule authors in Simplified Chinese).

``kefu explain`` and ``kefu triage --explain`` print the core's explanation; with ``--lang zh`` every line of
the explanation grammar is Chinese and the rules' own words (ids, conditions, values, sources) are kept.
A corpus check makes sure no line shape of the core is left untranslated: every line the core writes for the
shipped tickets, complete and partial, is of a known shape."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

import kefu
from kefu._explain_zh import localize_explanation, localize_line

ROOT = Path(__file__).resolve().parents[2]
TICKETS = ROOT / "examples" / "data" / "tickets.csv"


def _kefu(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kefu", *args], capture_output=True, text=True, encoding="utf-8",
                          input=stdin, cwd=ROOT)


FACTS = """business: ecommerce
channel: online
category: quality_defect
received_at: 2026-12-24T10:00:00+08:00
text: 收到的电动牙刷不转，再不处理我就去微博曝光
purchased_at: 2026-12-20
has_receipt: true
"""


def test_triage_explanation_in_chinese(tmp_path: Path) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text(FACTS, encoding="utf-8")
    run = _kefu("triage", "--input", str(facts), "--explain", "--lang", "zh")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "规则集 risk 版本 2026.2（命中策略 collect：所有适用的规则共同决定）"
    assert lines[1] == "决定：level=high, actions=[supervisor_steps_in, notify_pr_legal]"
    assert lines[2].startswith("依据：RISK-MEDIA [DOM-RISK-2, DOM-RISK-5")
    assert "      成立    contains_any(text, media)   (text=收到的电动牙刷不转，再不处理我就去微博曝光)   命中关键词：微博, 曝光" in lines
    assert "      不成立  vip   (vip=false)" in lines
    assert "依据：默认值（没有规则适用）" in lines
    assert ("暂定：解决期限 2027-01-06T00:00:00+08:00 落在 2026-12-31 之后，日历 'cn-mainland' 尚无官方数据"
            "（按节假日法推算；以国务院当年的节假日安排通知为准，可能变动）") in lines
    assert lines[-3:] == [
        "处置措施：",
        "  supervisor_steps_in — 主管介入 (a supervisor steps in)（负责人：主管），须在 2026-12-24T10:05:00+08:00 前完成"
        "（5分钟）；由规则集 risk 的规则 RISK-MEDIA 要求",
        "  notify_pr_legal — 通知公关与法务跟进 (PR and legal take over the threat)（负责人：法务、公关）；由规则集 risk 的规则 "
        "RISK-MEDIA 要求",
    ]
    english = _kefu("triage", "--input", str(facts), "--explain", "--lang", "en").stdout
    assert english.startswith("policy risk v2026.2 (hit policy collect)\n") and "actions / 处置措施:\n" in english


def test_partial_explanation_in_chinese() -> None:
    run = _kefu("explain", "rules/refund.yaml", "--input", "-", "--lang", "zh",
                stdin="business: mall\ncategory: quality_defect\ndays_since_purchase: 3\n")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "规则集 refund 版本 2026.1（命中策略 first：第一条适用的规则决定）"
    assert lines[1].startswith("未提供：item_class, purchase_date_known, ") and lines[1].endswith("（共 20 个输入，缺 17 个）")
    assert lines[2] == "决定：尚未确定，取决于未提供的输入"
    assert "  若 REF-QUALITY-7D 适用：decision=refund, reason=七日内质量问题凭票退货 (quality problem within 7 days)" in lines
    assert ("  若没有规则适用：decision=manual_review, reason=无适用规则，转人工审核 (no rule applies; manual review)（默认值）"
            in lines)
    assert "规则：" in lines
    assert ("  ? REF-REPEATED-REPAIR: category == quality_defect and warranty_repairs >= 2   （可能适用：还需要 warranty_repairs）"
            in lines)
    partial_triage = _kefu("triage", "--input", "-", "--lang", "zh", stdin="business: mall\ntext: 我要去消协投诉\n")
    assert partial_triage.returncode == 0, partial_triage.stderr
    out = partial_triage.stdout.splitlines()
    assert out[0].startswith("按部分事实分诊（") and out[1].startswith("未提供：")
    assert out[2:6] == ["风险等级：尚未确定——可能是 high 或 critical", "处理层级：尚未确定——可能是 L2 或 L3",
                        "退款决定：尚未确定——可能是 refund、deny 或 manual_review", "期限：事实齐全后（完整分诊）才能计算"]


def _shipped_tickets(n: int) -> list[dict[str, str]]:
    with TICKETS.open(encoding="utf-8") as f:
        return [row for _, row in zip(range(n), csv.DictReader(f))]


def test_every_line_the_core_writes_has_a_chinese_shape() -> None:
    """The explanations of 300 shipped tickets, complete, and of the same tickets with facts left out (only
    business and text; everything but received_at): every non-blank line is of a known shape, so --lang zh
    leaves no core grammar in English. The corpus reaches the settled and the open shapes alike."""
    policy = kefu.default_policy()
    names = {f.name for f in policy.facts if not f.derived}
    unknown: set[str] = set()
    seen: list[str] = []
    for row in kefu.read_tickets(TICKETS).head(300).to_dict("records"):
        facts = {k: v for k, v in row.items() if k in names and v is not None and v == v}
        texts = [policy.triage(facts).explain(),
                 policy.triage_partial({k: facts[k] for k in ("business", "text") if k in facts}).explain(),
                 policy.triage_partial({k: v for k, v in facts.items() if k != "received_at"}).explain()]
        for text in texts:
            for line in filter(None, text.splitlines()):
                chinese = localize_line(line)
                if chinese is None:
                    unknown.add(line)
                else:
                    seen.append(chinese)
    assert not unknown, sorted(unknown)[:10]
    for shape in ("（已确定）", "尚未确定——可能是", "处置措施：", "命中关键词：", "依据：默认值", "若没有规则适用："):
        assert any(shape in line for line in seen), shape


@pytest.mark.parametrize("line", ["something new the core may write one day", "  ✓", "decision"])
def test_a_line_of_another_shape_stays_as_written(line: str) -> None:
    assert localize_explanation(line, "zh") == line
    assert localize_explanation("decision: x=1\n" + line, "en") == "decision: x=1\n" + line
