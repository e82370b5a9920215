"""Effective-dated policies (DOM-RULE-1, docs/rules.md "Versions: effective dating"): a rules directory whose
refund.yaml widens REF-QUALITY-7D's window from 7 to 15 days at midnight 2026-02-01 (+08:00). Tickets are judged
by the version in force at their receipt; ``as_of`` pins the versions; ``kefu diff --old-as-of/--new-as-of``
compares two versions of one file; a handle reloads a file with a scheduled version; lint refuses overlaps."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import kefu
from kefu import diff
from kefu.authoring import lint
from kefu.cli import main

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "rules"
TICKETS = ROOT / "examples" / "data" / "tickets.csv"
CST = dt.timezone(dt.timedelta(hours=8))
CUTOVER = dt.datetime(2026, 2, 1, tzinfo=CST)


def versioned_refund(text: str, effective_from: str = "2026-02-01T00:00:00+08:00", extra: str = "",
                     first_rule: str = "") -> str:
    """The shipped refund.yaml as two versions: 2026.1 (as shipped) and 2026.2 (REF-QUALITY-7D up to 15 days)."""
    head, rest = text.split("\nrules:\n", 1)
    rules, tail = rest.split("\ndefault:", 1)
    head = head.replace('version: "2026.1"\n', "").replace("\ninputs:\n", "\ninputs:\n  received_at: datetime\n", 1)
    indented = "\n".join(("    " + line) if line.strip() else line for line in rules.split("\n"))
    rule = indented.index("  - id: REF-QUALITY-7D")
    at = indented.index("and days_since_purchase <= 7\n", rule)
    widened = indented[:at] + "and days_since_purchase <= 15\n" + indented[at + len("and days_since_purchase <= 7\n"):]
    return (head + "\nversions:\n"
            + '  - version: "2026.1"\n    description: seven days for quality problems\n' + extra + "    rules:\n" + first_rule
            + indented
            + '\n  - version: "2026.2"\n    description: fifteen days for quality problems\n'
            + f"    effective_from: {effective_from}\n    rules:\n" + widened + "\ndefault:" + tail)


def make_rules(tmp: Path, **kwargs) -> Path:
    d = tmp / "rules"
    shutil.copytree(RULES, d)
    refund = d / "refund.yaml"
    refund.write_text(versioned_refund(refund.read_text(encoding="utf-8"), **kwargs), encoding="utf-8")
    suite = d / "tests" / "refund.yaml"  # the cases judge tickets received before the change
    suite.write_text(suite.read_text(encoding="utf-8").replace(
        "defaults:\n", 'defaults:\n  received_at: "2026-01-15T10:00:00+08:00"\n', 1), encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def rules(tmp_path_factory) -> Path:
    return make_rules(tmp_path_factory.mktemp("versions"))


@pytest.fixture(scope="module")
def policy(rules) -> kefu.Policy:
    return kefu.Policy.load(rules)


def quality_ticket(received_at: dt.datetime) -> dict:
    """A mall quality defect bought 10 days before receipt: inside 15 days, outside 7."""
    return {"business": "mall", "channel": "store", "category": "quality_defect", "received_at": received_at,
            "purchased_at": (received_at - dt.timedelta(days=10)).date(), "has_receipt": True,
            "warranty_card_valid": True}


def test_the_version_in_force_at_receipt_decides(policy):
    refund = policy.policies["refund"]
    assert [v.name for v in refund.versions] == ["2026.1", "2026.2"]
    assert refund.versions[1].effective_from == CUTOVER
    assert refund.versions[0].effective_until == CUTOVER and refund.versions[1].effective_until is None
    before = policy.triage(quality_ticket(CUTOVER - dt.timedelta(seconds=1)))
    after = policy.triage(quality_ticket(CUTOVER))
    assert (before.refund.decision, before.refund.rule_id) == ("repair_free", "REF-REPAIR-FREE")
    assert (after.refund.decision, after.refund.rule_id) == ("refund", "REF-QUALITY-7D")
    assert refund.version_at(CUTOVER) == "2026.2" and refund.version_at(dt.datetime(2026, 1, 31, 23, 59, 59)) == "2026.1"


def test_explain_names_the_version(policy):
    text = policy.triage(quality_ticket(CUTOVER + dt.timedelta(days=3))).explain()
    assert "version: 2026.2, in force from 2026-02-01T00:00:00+08:00 — fifteen days for quality problems\n" in text
    text = policy.triage(quality_ticket(CUTOVER - dt.timedelta(days=3))).explain()
    assert "version: 2026.1, in force since always until 2026-02-01T00:00:00+08:00 — seven days for quality problems\n" in text


def test_columns_and_one_ticket_at_a_time_agree_around_the_cutover(policy):
    instants = [CUTOVER + dt.timedelta(seconds=s) for s in (-86400, -1, 0, 1, 86400)]
    frame = pd.DataFrame([quality_ticket(t) for t in instants])
    columns = policy.triage(frame)
    assert list(columns["refund_decision"]) == [policy.triage(quality_ticket(t)).refund.decision for t in instants]
    assert list(columns["refund_decision"]) == ["repair_free", "repair_free", "refund", "refund", "refund"]


def test_as_of_pins_every_versioned_policy(policy):
    old_rules, new_rules = policy.as_of(CUTOVER - dt.timedelta(seconds=1)), policy.as_of(CUTOVER)
    late = quality_ticket(CUTOVER + dt.timedelta(days=30))
    early = quality_ticket(CUTOVER - dt.timedelta(days=30))
    assert old_rules.triage(late).refund.decision == "repair_free"  # a new ticket under the old rules
    assert new_rules.triage(early).refund.decision == "refund"  # an old ticket under the new rules
    assert old_rules.policies["refund"].is_pinned and old_rules.policies["refund"].version == "2026.1"
    assert [r.id for r in old_rules.policies["refund"].rules] == [r.id for r in policy.policies["refund"].rules[:len(old_rules.policies["refund"].rules)]]
    assert policy.policies["refund"].pinned("2026.2").evaluate_partial  # a DecisionPolicy
    with pytest.raises(kefu.Error, match=r"has no version '2026\.3' \(it has 2026\.1, 2026\.2\)") as e:
        policy.policies["refund"].pinned("2026.3")
    assert e.value.id == "kefu.rules.unknown_version"
    unversioned = kefu.default_policy()
    assert unversioned.as_of(CUTOVER).policies["refund"].versions == [] and not unversioned.as_of(CUTOVER).policies["refund"].is_pinned


def test_diff_compares_two_versions_of_one_file(rules, capsys):
    tickets = diff.read_ticket_table(TICKETS)
    policy = kefu.Policy.load(rules)
    changes = diff.diff_policies(policy.as_of(CUTOVER - dt.timedelta(seconds=1)), policy.as_of(CUTOVER), tickets)
    # The same 117 tickets as widening the shipped window for every ticket (tests/python/test_diff.py).
    assert diff.summarize(changes, tickets)["changed"] == 117
    # By receipt, only tickets received from February on change against the shipped rules.
    by_receipt = diff.diff_policies(RULES, rules, tickets)
    changed = tickets.loc[by_receipt["ticket"].unique()]
    received = pd.to_datetime(changed["received_at"], utc=True)
    assert len(changed) > 0 and (received >= pd.Timestamp(CUTOVER)).all()
    assert len(changed) < 117
    assert main(["diff", str(rules), str(rules), "--tickets", str(TICKETS), "--format", "json",
                 "--old-as-of", "2026-01-31T23:59:59+08:00", "--new-as-of", "2026-02-01"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["changed"] == 117 and report["rules"]["gained"] == {"REF-QUALITY-7D": 117}
    assert main(["diff", str(rules), str(rules), "--tickets", str(TICKETS), "--new-as-of", "2026-02-01"]) == 0
    assert capsys.readouterr().out.startswith(f"{rules} → {rules} as of 2026-02-01T00:00:00: ")
    with pytest.raises(SystemExit):
        main(["diff", str(rules), str(rules), "--tickets", str(TICKETS), "--new-as-of", "next monday"])
    assert "expected an instant such as 2027-01-01T00:00:00+08:00" in capsys.readouterr().err


def test_a_handle_reloads_a_scheduled_version(tmp_path):
    shipped = tmp_path / "rules"
    shutil.copytree(RULES, shipped)
    handle = kefu.TriagePolicyHandle(shipped)
    late = quality_ticket(CUTOVER + dt.timedelta(days=1))
    assert handle.current.triage(late).refund.decision == "repair_free"
    versioned = make_rules(tmp_path / "next")
    for name in ("refund.yaml", "tests/refund.yaml"):
        (shipped / name).write_text((versioned / name).read_text(encoding="utf-8"), encoding="utf-8")
    assert handle.reload()
    assert handle.current.triage(late).refund.decision == "refund"
    assert handle.current.triage(quality_ticket(CUTOVER - dt.timedelta(days=1))).refund.decision == "repair_free"


def test_lint_refuses_overlapping_versions_at_their_line(tmp_path):
    rules = make_rules(tmp_path, extra="    effective_until: 2026-03-01T00:00:00+08:00\n")
    errors = [f for f in lint([rules]) if f.severity == "error"]
    refund = rules / "refund.yaml"
    line = refund.read_text(encoding="utf-8").split("\n").index("    effective_until: 2026-03-01T00:00:00+08:00") + 1
    assert [(f.id, Path(f.file).name, f.line, f.column) for f in errors] == [("kefu.rules.versions", "refund.yaml", line, 22)]
    assert errors[0].message.startswith("overlap: version '2026.1' is in force until 2026-03-01T00:00:00+08:00, after "
                                        "version '2026.2' takes effect at 2026-02-01T00:00:00+08:00")


def test_coverage_counts_each_versions_rules(rules):
    import io

    from kefu.authoring import run_tests

    report = run_tests([rules], io.StringIO())
    assert report.failed == 0
    cov = next(c for c in report.coverage.values() if c.policy == "refund")
    refund = kefu.Policy.load(rules).policies["refund"]
    first, second = refund.versions
    n_first = sum(1 for r in refund.rules if r.version_index == 0)
    assert len(cov.rules) == len(refund.rules) == 2 * n_first
    # Every case is received before the change: the second version's rules are all unreached, by their own lines.
    unreached = cov.unreached
    assert unreached == [(r.id, r.line) for r in refund.rules if r.version_index == 1]
    assert all(line > second.line for _, line in unreached)


def test_as_of_keeps_each_rules_actions(tmp_path):
    """Pinning drops the other versions' rules, so rule positions move: the actions must follow the rules."""
    rules = make_rules(tmp_path, first_rule="      - {id: REF-OLD-ONLY, when: false, then: {decision: deny, reason: gone}}\n")
    policy = kefu.Policy.load(rules)
    lost = {"business": "ecommerce", "channel": "online", "category": "lost_in_delivery", "received_at": CUTOVER}
    live = [(a.code, a.rule_id) for a in policy.triage(lost).actions]
    assert live == [("reship_with_gift", "REF-DELIVERY-LOST-OR-DAMAGED")]
    for when in (CUTOVER - dt.timedelta(days=1), CUTOVER):
        pinned = policy.as_of(when)
        assert [(a.code, a.rule_id) for a in pinned.triage(lost).actions] == live
        assert list(pinned.triage(pd.DataFrame([lost]))["actions"]) == [["reship_with_gift"]]
