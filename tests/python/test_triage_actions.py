"""Actions as policy outputs (DOM-RISK-4, docs/triage.md "Actions"): what the shipped rules require for each kind of
ticket, one at a time and as a DataFrame, with owners and due instants from rules/actions.yaml."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

import kefu

CST = timezone(timedelta(hours=8))
AT = datetime(2026, 3, 2, 10, 0, tzinfo=CST)


@pytest.fixture(scope="module")
def policy() -> kefu.Policy:
    return kefu.default_policy()


def ticket(**facts) -> dict:
    return {"business": "mall", "channel": "store", "category": "consultation", "received_at": AT} | facts


CASES = [
    (ticket(text="孩子吃了以后腹泻住院了"), ["supervisor_steps_in", "report_level_1", "delist_and_qc_test"]),
    (ticket(category="safety_injury"), ["supervisor_steps_in", "report_level_1", "evacuate_and_call_police"]),
    (ticket(collective=True), ["supervisor_steps_in", "report_level_1", "crisis_pr"]),
    (ticket(text="不给说法我就去微博曝光，再打12315"), ["supervisor_steps_in", "notify_pr_legal"]),
    (ticket(counterfeit_suspected=True), ["supervisor_steps_in", "seal_goods"]),
    (ticket(business="smart_counter", category="equipment_fault", side="merchant"), ["switch_to_backup"]),
    (ticket(business="fresh", category="cold_chain_break", cold_chain_break_confirmed=True), ["qc_test_goods"]),
    (ticket(business="ecommerce", channel="online", category="lost_in_delivery"), ["reship_with_gift"]),
    (ticket(text="还好孩子没有受伤，就是包装破了"), []),  # negated (DOM-RISK-5): no signal, no action
    (ticket(), []),
]


@pytest.mark.parametrize("facts, codes", CASES)
def test_each_kind_of_ticket_gets_its_actions(policy, facts, codes):
    assert [a.code for a in policy.triage(facts).actions] == codes


def test_owners_deadlines_and_the_rule_that_asked(policy):
    r = policy.triage(ticket(counterfeit_suspected=True))
    alert, seal = r.actions
    assert (alert.owners, alert.policy, alert.rule_id) == (["supervisor"], "risk", "RISK-COUNTERFEIT")
    assert (alert.deadline.within, alert.deadline.due) == ("5min", AT + timedelta(minutes=5))
    assert (seal.owners, seal.deadline) == (["legal", "operations"], None)
    assert seal.description == "封存涉嫌商品并通知政府相关部门 (seal the suspect goods; notify the authorities)"
    assert seal.source.startswith("DOM-RISK-4 (004 §3.3")
    assert "  seal_goods — 封存涉嫌商品并通知政府相关部门" in r.explain()


def test_the_dataframe_has_the_same_codes(policy):
    frame = pd.DataFrame([f for f, _ in CASES])
    out = policy.triage(frame)
    catalogue = policy.policies["actions"].inputs[0].values
    for (facts, codes), listed in zip(CASES, out["actions"]):  # a list per row, in catalogue order
        assert listed == sorted(codes, key=catalogue.index)


def test_the_64th_code_of_a_full_catalogue(tmp_path):
    """A catalogue may hold 64 codes; asking for the last one works one ticket at a time and as columns."""
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(kefu.default_rules_dir(), rules)
    extra = [f"c{i:02d}" for i in range(54)]
    catalogue = rules / "actions.yaml"
    text = catalogue.read_text(encoding="utf-8").replace(
        "qc_test_goods, reship_with_gift, evacuate_and_call_police, switch_to_backup]",
        "qc_test_goods, reship_with_gift, evacuate_and_call_police, switch_to_backup, " + ", ".join(extra) + "]")
    catalogue.write_text(text.replace("# yaml-language-server",
                                      'default: {owners: [operations], description: "a code of the retailer"}\n'
                                      "# yaml-language-server"), encoding="utf-8")
    risk = rules / "risk.yaml"
    text = risk.read_text(encoding="utf-8").replace("             evacuate_and_call_police]",
                                                   "             evacuate_and_call_police, c53]")
    risk.write_text(text.replace("actions: [supervisor_steps_in, seal_goods]}", "actions: [supervisor_steps_in, seal_goods, c53]}"),
                    encoding="utf-8")
    policy = kefu.Policy.load(rules, run_rule_tests=False)
    assert len(policy.policies["actions"].inputs[0].values) == 64
    t = ticket(counterfeit_suspected=True)
    assert [a.code for a in policy.triage(t).actions] == ["supervisor_steps_in", "seal_goods", "c53"]
    assert list(policy.triage(pd.DataFrame([t]))["actions"]) == [["supervisor_steps_in", "seal_goods", "c53"]]


def test_a_diff_sees_a_change_of_actions_alone(tmp_path):
    """Removing seal_goods from RISK-COUNTERFEIT changes no level, tier or deadline: the diff reports the actions."""
    import shutil

    from kefu import diff

    rules = tmp_path / "rules"
    shutil.copytree(kefu.default_rules_dir(), rules)
    risk = rules / "risk.yaml"
    risk.write_text(risk.read_text(encoding="utf-8").replace(
        "actions: [supervisor_steps_in, seal_goods]}", "actions: [supervisor_steps_in]}"), encoding="utf-8")
    tickets = pd.DataFrame([ticket(counterfeit_suspected=True), ticket()])
    changes = diff.diff_policies(kefu.default_rules_dir(), rules, tickets)
    assert changes[["ticket", "output", "old", "new"]].values.tolist() == [
        [0, "actions", "supervisor_steps_in,seal_goods", "supervisor_steps_in"]]
    assert diff.diff_policies(kefu.default_rules_dir(), rules, tickets, outputs=["tier"]).empty
