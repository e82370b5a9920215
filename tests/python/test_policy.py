"""Policies from Python: evaluate a dict, a list or a DataFrame; explain; lint, test and explain CLIs; reload."""

import datetime as dt
import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import kefu
from kefu.authoring import lint, suites_for

DATA = Path(__file__).resolve().parents[1] / "data" / "policies"
POLICY = DATA / "refund.yaml"


@pytest.fixture(scope="module")
def policy() -> kefu.DecisionPolicy:
    return kefu.DecisionPolicy.load(POLICY)


def facts(**changes):
    base = dict(business="mall", category="quality_defect", days_since_purchase=3, claimed_amount=kefu.Money("100"), has_receipt=True)
    base.update(changes)
    return base


def test_metadata(policy):
    assert (policy.name, policy.version, policy.hit_policy) == ("refund-test", "1", "first")
    assert [f.name for f in policy.inputs][:3] == ["business", "category", "days_since_purchase"]
    assert policy.inputs[0].values == ["ecommerce", "mall", "smart_counter", "fresh"]
    assert policy.rules[1].id == "R-QUALITY-7D" and policy.rules[1].source == "DOM-REF-1" and policy.rules[1].line == 24
    assert policy.warnings == []


def test_decisions_with_typed_outputs(policy):
    d = policy.evaluate(facts(days_since_purchase=7))
    assert (d.rule_id, d.rule_ids, d.by_default) == ("R-QUALITY-7D", ["R-QUALITY-7D"], False)
    assert d.outputs == {"decision": "refund", "reason": "quality defect within 7 days"}
    assert d["decision"] == "refund"
    d = policy.evaluate(facts(days_since_purchase=8))
    assert (d.rule_id, d.by_default, d["decision"]) == (None, True, "deny")
    assert policy.evaluate(facts(days_since_purchase=8, claimed_amount="1000.00"))["decision"] == "deny"
    assert policy.evaluate(facts(days_since_purchase=8, claimed_amount=Decimal("1000.01")))["decision"] == "manual_review"
    # Full-width digits inside a sentence still match the keyword 12315.
    assert policy.evaluate(facts(days_since_purchase=30, text="我已经打了１２３１５热线"))["decision"] == "manual_review"


def test_bad_facts_name_the_field(policy):
    with pytest.raises(kefu.Error, match=r"unknown input 'catgory' \(did you mean 'category'\?\)"):
        policy.evaluate(dict(facts(), catgory="x"))
    with pytest.raises(kefu.Error, match=r"missing input\(s\) has_receipt"):
        policy.evaluate({k: v for k, v in facts().items() if k != "has_receipt"})
    with pytest.raises(kefu.ParseError, match="money cannot be a float"):
        policy.evaluate(facts(claimed_amount=100.5))
    with pytest.raises(kefu.ParseError, match=r"input 'business': 'malls' is not one of .* \(did you mean 'mall'\?\)"):
        policy.evaluate(facts(business="malls"))
    with pytest.raises(kefu.ParseError, match="input 'has_receipt': expected a bool, got int"):
        policy.evaluate(facts(has_receipt=1))


def test_explain_shows_each_condition_and_the_words_found(policy):
    text = policy.evaluate(facts(days_since_purchase=9, text="我要去微博曝光"), trace=True).explain()
    assert text.splitlines()[:3] == [
        "policy refund-test v1 (hit policy first)",
        "decision: decision=manual_review, reason=media threat",
        "by: R-MEDIA",
    ]
    assert "      false  days_since_purchase in [0..7]   (days_since_purchase=9)" in text
    assert "matched: 微博, 曝光" in text


def test_batches_list_and_dataframe(policy):
    rows = [facts(days_since_purchase=n) for n in range(10)]
    decisions = policy.evaluate(rows)
    assert [d["decision"] for d in decisions] == ["refund"] * 8 + ["deny"] * 2
    frame = pd.DataFrame(rows, index=[f"T{i}" for i in range(10)])
    frame["claimed_amount"] = [str(m) for m in frame["claimed_amount"]]
    frame.loc["T9", "text"] = "要去媒体曝光"
    out = policy.evaluate(frame)
    assert list(out.columns) == ["decision", "reason", "rule_id"]
    assert list(out.index) == list(frame.index)
    assert out.loc["T7", "rule_id"] == "R-QUALITY-7D" and pd.isna(out.loc["T8", "rule_id"])
    assert out.loc["T9", "decision"] == "manual_review"  # NaN text elsewhere = not given = default ""
    with pytest.raises(kefu.Error, match=r"^row 1: "):
        policy.evaluate([facts(), facts(business="malls")])


def _kefu(*args):
    return subprocess.run([sys.executable, "-m", "kefu", *args], capture_output=True, text=True, check=False)


def test_cli_test_reports_diffs_and_coverage():
    ok = _kefu("test", str(DATA / "refund_test.yaml"))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.splitlines()[-2:] == [
        f"coverage: policy refund-test ({POLICY.as_posix()}): 3/4 rules reached; not reached: R-LARGE (line 32)",
        "1 suites: 4 passed, 0 failed",
    ]
    assert _kefu("test", "--require-coverage", str(DATA / "refund_test.yaml")).returncode == 1
    bad = _kefu("test", str(DATA / "refund_failing_test.yaml"))
    assert bad.returncode == 1
    failing = DATA / "refund_failing_test.yaml"
    assert f"FAIL {failing}:5: wrong expectation\n    decision: expected refund, got deny\n    rule: expected R-QUALITY-7D, got default\n" in bad.stdout
    assert f"FAIL {failing}:9: bad input value\n    error: input 'claimed_amount': bad amount '12.345': more than two decimal places" in bad.stdout


def test_cli_lint_text_and_json(tmp_path):
    shutil.copy(POLICY, tmp_path / "refund.yaml")
    (tmp_path / "shadow.yaml").write_text(
        "policy: shadow\ninputs: {days: int}\noutputs: {ok: bool}\nrules:\n"
        "  - {id: A, when: days <= 7, then: {ok: true}}\n  - {id: B, when: days <= 3, then: {ok: false}}\n"
        "default: {ok: false}\n",
        encoding="utf-8",
    )
    (tmp_path / "broken.yaml").write_text("policy: broken\ninputs: {days: int}\noutputs: {ok: bool}\nrules:\n  - {id: A, when: dayz > 1, then: {ok: true}}\n", encoding="utf-8")
    result = _kefu("lint", str(tmp_path))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{tmp_path / 'broken.yaml'}:5:19: error: rule A: unknown input 'dayz' (did you mean 'days'?)",
        "      - {id: A, when: dayz > 1, then: {ok: true}}",
        "                      ^",
        f"{tmp_path / 'shadow.yaml'}:6:5: warning: rule B: rule B can never fire: earlier rule A always matches first (hit policy first) [unreachable-rule]",
        "      - {id: B, when: days <= 3, then: {ok: false}}",
        "        ^",
        "1 error, 1 warning in 3 files",
    ]
    as_json = json.loads(_kefu("lint", "--format", "json", str(tmp_path / "shadow.yaml")).stdout)
    assert as_json["diagnostics"] == [
        {"file": str(tmp_path / "shadow.yaml"), "line": 6, "column": 5, "severity": "warning",
         "message": "rule B can never fire: earlier rule A always matches first (hit policy first)", "rule_id": "B", "check": "unreachable-rule",
         "source_line": "  - {id: B, when: days <= 3, then: {ok: false}}", "id": "kefu.lint.unreachable_rule"}
    ]
    errors = json.loads(_kefu("lint", "--format", "json", str(tmp_path)).stdout)["diagnostics"]
    assert [(d["severity"], d["id"]) for d in errors if d["severity"] == "error"] == [("error", "kefu.rules.unknown_input")]
    assert _kefu("lint", str(tmp_path / "shadow.yaml")).returncode == 0
    assert _kefu("lint", "--strict", str(tmp_path / "shadow.yaml")).returncode == 1
    assert lint([POLICY]) == []


def test_lint_caret_counts_wide_characters(tmp_path):
    (tmp_path / "cn.yaml").write_text(
        "policy: 退款\ninputs: {天数: int}\noutputs: {退: bool}\nrules:\n  - {id: 甲, when: 天 > 1, then: {退: true}}\n",
        encoding="utf-8",
    )
    out = _kefu("lint", str(tmp_path)).stdout.splitlines()
    assert out[0] == f"{tmp_path / 'cn.yaml'}:5:19: error: rule 甲: unknown input '天' (did you mean '天数'?)"
    assert out[1:3] == ["      - {id: 甲, when: 天 > 1, then: {退: true}}", "                       ^"]


def test_cli_explain(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text("business: mall\ncategory: billing_error\ndays_since_purchase: 40\nclaimed_amount: '80'\nhas_receipt: false\n", encoding="utf-8")
    out = _kefu("explain", str(POLICY), "--input", str(case))
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[1:3] == ["decision: decision=refund, reason=refund the overcharge", "by: R-BILLING [DOM-REF-6]"]


def test_hot_reload_keeps_the_old_policy_when_the_new_one_fails(tmp_path):
    shutil.copy(POLICY, tmp_path / "refund.yaml")
    shutil.copy(DATA / "refund_test.yaml", tmp_path / "refund_test.yaml")
    suites = suites_for(tmp_path / "refund.yaml", [tmp_path])
    assert suites == [str(tmp_path / "refund_test.yaml")]
    handle = kefu.PolicyHandle(tmp_path / "refund.yaml", suites)
    held = handle.current
    text = (tmp_path / "refund.yaml").read_text(encoding="utf-8")
    (tmp_path / "refund.yaml").write_text(text.replace("[0..7]", "[0..6]").replace('version: "1"', 'version: "2"'), encoding="utf-8")
    result = handle.reload()
    assert not result and "rule test 'day 7 is still inside the window (DOM-REF-1)' fails: decision expected refund, got deny" in result.message
    assert handle.current.version == "1"
    (tmp_path / "refund.yaml").write_text(text.replace('version: "1"', 'version: "2"'), encoding="utf-8")
    result = handle.reload()
    assert result.swapped and result.message == "loaded policy 'refund-test' version 2 (4 rules, 4 rule-test cases passed)"
    assert handle.current.version == "2" and held.version == "1"  # a reader keeps what it holds


def test_rule_arithmetic_overflow_is_an_error_naming_the_rule():
    import pandas as pd

    p = kefu.DecisionPolicy.from_yaml(
        "policy: o\nhit_policy: first\ninputs:\n  a: int\n  m: money\noutputs:\n  ok: bool\nrules:\n"
        "  - id: DOUBLE\n    when: a * 2 > a\n    then: {ok: true}\n"
        "  - id: SUM\n    when: m + m > m\n    then: {ok: true}\n",
        "o.yaml",
    )
    assert p.evaluate({"a": 5, "m": kefu.Money(1)}).rule_id == "DOUBLE"
    limit = "the result is beyond the range of whole numbers (±9.2e18; money ±¥92 trillion)"
    with pytest.raises(kefu.Error) as info:
        p.evaluate({"a": 2**62, "m": kefu.Money(1)})  # a * 2 would wrap negative and decide wrongly
    assert (info.value.id, info.value.rule_id, str(info.value)) == (
        "kefu.rules.overflow", "DOUBLE", f"rule DOUBLE: arithmetic overflow in `a * 2`: {limit}")
    with pytest.raises(kefu.Error, match=r"rule SUM: arithmetic overflow in `m \+ m`"):
        p.evaluate({"a": -1, "m": kefu.Money.from_fen(2**62)})
    for batch in (p.evaluate_many, lambda rows: p.evaluate_columns(pd.DataFrame(rows))):
        with pytest.raises(kefu.Error) as info:
            batch([{"a": 1, "m": kefu.Money(1)}, {"a": 2**62, "m": kefu.Money(1)}])
        assert info.value.id == "kefu.rules.overflow" and "row 1: arithmetic overflow in `a * 2`" in str(info.value)
