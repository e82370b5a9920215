"""Partial facts: ``kefu explain`` and ``DecisionPolicy.evaluate_partial`` on facts that leave inputs out
(docs/rules.md, "Explaining one decision"). The C++ tests check on random records that whatever a partial
decision says holds for every completion of the facts; these check what a user reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kefu
from kefu.cli import main

RULES = Path(__file__).resolve().parents[2] / "rules"


@pytest.fixture
def facts(tmp_path: Path):
    def write(text: str) -> Path:
        p = tmp_path / "facts.yaml"
        p.write_text(text, encoding="utf-8")
        return p
    return write


def test_explain_shows_what_is_missing_and_which_rules_could_still_decide(facts, capsys) -> None:
    path = facts("business: ecommerce\ncategory: refund_request\ndays_since_purchase: 5\npurchase_date_known: true\n")
    assert main(["explain", str(RULES / "refund.yaml"), "--input", str(path)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "policy refund v2026.1 (hit policy first)"
    assert lines[1].startswith("not given: item_class, has_receipt, used, packaging_intact, resalable, ")
    assert lines[1].endswith(" (16 of 20 inputs) / 未提供")
    assert lines[2] == "decision: not settled — it depends on what is not given / 尚未确定，取决于未提供的输入"
    assert "  if REF-ECOMMERCE-7D fires: decision=refund, reason=七天无理由退货 (7-day no-reason return)\n" in out
    assert ("  ? REF-ECOMMERCE-7D: business == ecommerce and category == refund_request and purchase_date_known and "
            "days_since_purchase <= 7 and packaging_intact and resalable   (could fire: needs packaging_intact, resalable)\n"
            ) in out
    assert "  ✗ REF-MALL-3D: " in out and "  ✗ REF-SERVICE-ATTITUDE: category == service_attitude\n" in out


def test_facts_that_settle_the_decision_say_so(facts, capsys) -> None:
    # A billing error is refunded whatever else is true: no earlier rule can fire for it.
    path = facts("business: mall\ncategory: billing_error\nitem_class: normal\ndefect_disclosed: false\n"
                 "misuse: false\nunauthorized_dismantle: false\nmodel_mismatch: false\nforce_majeure: false\n")
    assert main(["explain", str(RULES / "refund.yaml"), "--input", str(path)]) == 0
    out = capsys.readouterr().out
    assert ("decision: decision=refund, reason=退还多收款项 (refund the overcharge)   "
            "(settled: what is not given cannot change it / 已确定)\n") in out
    assert "by: REF-BILLING-ERROR [" in out
    assert "  · REF-WRONG-ITEM: category == wrong_item and merchant_error   (not reached)\n" in out


def test_json_for_partial_facts(facts, capsys) -> None:
    path = facts("business: mall\ncategory: quality_defect\ndays_since_purchase: 3\n")
    assert main(["explain", str(RULES / "refund.yaml"), "--input", str(path), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["policy"], doc["complete"], doc["settled"], doc["outputs"], doc["rules"]) == (
        "refund", False, False, None, [])
    assert doc["missing"][:3] == ["item_class", "purchase_date_known", "has_receipt"]
    assert [c["rule"] for c in doc["candidates"]] == [
        "REF-CLEARANCE-DISCLOSED", "REF-PAID-REPAIR", "REF-REPEATED-REPAIR", "REF-QUALITY-7D", "REF-REPAIR-FREE", "default"]
    assert doc["candidates"][3]["outputs"]["decision"] == "refund"
    quality = next(t for t in doc["trace"] if t["rule"] == "REF-QUALITY-7D")
    assert quality == {"rule": "REF-QUALITY-7D", "status": "unknown", "needs": ["purchase_date_known", "has_receipt"]}


def test_complete_facts_decide_exactly_as_evaluate() -> None:
    policy = kefu.DecisionPolicy.load(RULES / "refund.yaml")
    case = kefu._core.RuleSuite.load(RULES / "tests" / "refund.yaml").cases[0]
    facts = dict(case.input)
    partial = policy.evaluate_partial(facts)
    full = policy.evaluate(facts)
    assert partial.missing == [] and partial.settled
    assert (partial.outputs, partial.rule_ids, partial.candidates) == (full.outputs, full.rule_ids, [])
    assert all(status in ("yes", "no") and needs == [] for _, status, needs in partial.rules)


def test_unknown_inputs_are_still_errors() -> None:
    policy = kefu.DecisionPolicy.load(RULES / "refund.yaml")
    with pytest.raises(kefu.Error, match=r"unknown input 'has_reciept' \(did you mean 'has_receipt'\?\)") as e:
        policy.evaluate_partial({"has_reciept": True})
    assert e.value.id == "kefu.rules.unknown_input"


def test_kefu_triage_on_facts_without_the_required_ones(capsys, monkeypatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("business: ecommerce\nchannel: online\ntext: 我要去微博曝光\n"))
    assert main(["triage", "--input", "-"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("triage on partial facts (")
    assert lines[1:6] == [
        "not given: category, received_at / 未提供",
        "risk level: not settled — high or critical / 尚未确定",  # media words: at least high
        "tier: not settled — L2 or L3 / 尚未确定",
        "refund decision: not settled — refund, compensate, deny or manual_review / 尚未确定",
        "deadlines: computed once every fact is given (a complete triage)",
    ]
    assert "  ✓ RISK-MEDIA: contains_any(text, media)\n" in out


def test_kefu_triage_json_on_partial_facts(capsys, monkeypatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("business: mall\nchannel: phone\ncategory: billing_error\n"))
    assert main(["triage", "--input", "-", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["complete"], doc["missing"]) == (False, ["received_at"])
    assert doc["risk_level"] == {"settled": True, "possible": ["normal"]}
    assert doc["tier"] == {"settled": True, "possible": ["L2"]}
    assert doc["refund_decision"] == {"settled": True, "possible": ["refund"]}
    assert list(doc["policies"]) == ["risk", "escalation", "tiers", "refund", "sla-targets", "service-calendar"]
    assert doc["policies"]["refund"]["rules"] == ["REF-BILLING-ERROR"] and doc["policies"]["refund"]["settled"]
