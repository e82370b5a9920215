"""kefu.Ticket: the lifecycle state machine from Python (DOM-LC-1…7, DOM-SLA-1/7, DOM-ESC-1/4)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kefu
from kefu.simulate import simulate_events
from kefu.tickets import read_tickets

CST = dt.timezone(dt.timedelta(hours=8))
ROOT = Path(__file__).resolve().parents[2]


def cst(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=CST)


@pytest.fixture(scope="module")
def policy() -> kefu.Policy:
    return kefu.default_policy()


# An L3 complaint on the Friday before the 2026 Spring Festival (holidays 15–23 Feb, make-up working days
# Saturday 14 and Saturday 28 Feb).
L3_FACTS = {
    "ticket_id": "T-1",
    "business": "mall",
    "channel": "phone",
    "category": "quality_defect",
    "claimed_amount": kefu.Money("1500"),
    "has_receipt": True,
    "purchased_at": dt.date(2026, 2, 10),
    "customer_name": "王小明",
    "customer_phone": "13812345678",
}
L2_FACTS = {"ticket_id": "T-2", "business": "mall", "channel": "phone", "category": "service_attitude"}
# Critical risk (DOM-LC-8: no close before the level-1 report) and an e-commerce complaint (DOM-LC-1: a follow-up
# at every tier, 002 §3.3.3).
CRITICAL_FACTS = {"ticket_id": "T-3", "business": "ecommerce", "channel": "online", "category": "safety_injury"}


def test_l3_lifecycle_across_the_spring_festival(policy):
    t = kefu.Ticket(policy, L3_FACTS, cst("2026-02-13T10:00"), by="intake")
    assert (t.id, t.status, len(t)) == ("T-1", "received/L1", 0)
    assert t.triage_result.tier == "L3"
    assert t.allowed_events() == ["triage", "cancel", "escalate", "attach_report", "report_level_1"]

    t.triage(cst("2026-02-13T10:05"), by="alice", note="quality defect, loss over 1000")
    assert t.status == "triaged/L3"
    sla = t.sla(cst("2026-02-13T10:05"))
    # L3 (DOM-ESC-1): respond within 24 h; resolve within 7 workdays from receipt on cn-mainland:
    # 13 Feb (day 0), 14, 24, 25, 26, 27, 28 Feb, 2 Mar → close of Monday 2 March.
    assert sla["first_response"].due == cst("2026-02-14T10:00")
    assert sla["resolution"].due == cst("2026-03-03T00:00")
    assert sla["follow_up"] is None
    # The ticket's deadlines are triage's.
    assert sla["resolution"].due == t.triage_result.deadlines.resolution.due

    t.start(cst("2026-02-13T11:00"), by="alice")
    assert t.sla(cst("2026-02-13T11:00"))["first_response"].state == "met"
    t.request_info(cst("2026-02-24T10:00"), by="alice", note="photos of the defect")
    assert t.sla(cst("2026-02-24T12:00"))["resolution"].paused
    t.customer_reply(cst("2026-02-25T10:00"), by="customer")
    # One working day waiting on the customer moves the deadline by one working day (DOM-LC-2, DOM-SLA-7).
    assert t.sla(cst("2026-02-25T10:00"))["resolution"].due == cst("2026-03-04T00:00")
    t.hand_off(cst("2026-02-25T11:00"), by="alice", note="QC").internal_reply(cst("2026-02-26T09:00"), by="qc-team")
    t.resolve(cst("2026-02-27T15:00"), by="alice")
    assert t.sla(cst("2026-02-27T15:00"))["resolution"].state == "met"

    with pytest.raises(kefu.TransitionError) as e:
        t.close(cst("2026-02-27T16:00"), by="alice")
    assert str(e.value) == ("cannot close a ticket in state resolved/L3: an L3 ticket needs a written handling "
                            "report before it is closed")
    assert (e.value.state, e.value.event) == ("resolved/L3", "close")
    t.attach_report(cst("2026-02-28T11:00"), by="alice", note="report QC-2026-17")
    t.close(cst("2026-02-28T12:00"), by="alice")
    assert (t.state, t.tier, t.is_open) == ("closed", "L3", False)
    assert t.flags == {"followed_up": False, "report_attached": True, "reopen_count": 0,
                       "closed_at": cst("2026-02-28T12:00"), "reported": 0, "improvements": 0}

    h = t.history
    assert list(h.columns) == ["at", "by", "event", "from", "to", "note", "tier", "satisfied", "policy_tier", "reason",
                               "milestone"]
    assert list(h["event"]) == ["triage", "start", "request_info", "customer_reply", "hand_off", "internal_reply",
                                "resolve", "attach_report", "close"]
    first = h.iloc[0].to_dict()
    assert {k: first.pop(k) for k in ("satisfied", "reason", "milestone")} and pd.isna(h.iloc[0][["satisfied", "reason", "milestone"]]).all()
    assert first == {"at": cst("2026-02-13T10:05"), "by": "alice", "event": "triage", "from": "received/L1",
                     "to": "triaged/L3", "note": "quality defect, loss over 1000", "tier": "L3", "policy_tier": "L3"}


def test_l2_needs_a_satisfied_follow_up_and_an_unsatisfied_one_reopens(policy):
    t = kefu.Ticket(policy, L2_FACTS, cst("2026-03-02T09:00"))
    t.triage(cst("2026-03-02T09:05"), by="a").start(cst("2026-03-02T09:30"), by="a").resolve(cst("2026-03-02T15:00"), by="a")
    assert t.status == "resolved/L2"
    # Follow-up within 3 working days after the resolution (002 §3.3.3), on cn-mainland.
    assert t.sla(cst("2026-03-02T15:00"))["follow_up"].due == cst("2026-03-06T00:00")
    with pytest.raises(kefu.TransitionError, match="an L2 ticket needs a satisfied follow-up before it is closed"):
        t.close(cst("2026-03-02T16:00"), by="a")
    t.follow_up(cst("2026-03-03T10:00"), by="b", satisfied=False, note="still broken, call 13812345678")
    assert t.status == "in_progress/L2"
    assert t.flags["reopen_count"] == 1
    # Notes are masked in the history table (DOM-PRIV-1); the snapshot keeps the exact record.
    assert t.history["note"].iloc[-1] == "still broken, call 138****5678"
    assert "13812345678" in t.to_json()
    t.resolve(cst("2026-03-03T11:00"), by="a")
    t.fire("follow_up", at=cst("2026-03-03T12:00"), by="b", satisfied=True).close(cst("2026-03-03T12:30"), by="a")
    assert t.status == "closed/L2"


def test_rejected_events_leave_the_ticket_unchanged(policy):
    t = kefu.Ticket(policy, L2_FACTS, cst("2026-03-02T09:00"))
    before = t.to_json()
    with pytest.raises(kefu.TransitionError) as e:
        t.resolve(cst("2026-03-02T09:10"), by="a")
    assert str(e.value) == "cannot resolve a ticket in state received/L1: a ticket must be triaged before it is resolved"
    assert e.value.reason == "a ticket must be triaged before it is resolved"
    assert isinstance(e.value, kefu.Error) and isinstance(e.value, ValueError)
    with pytest.raises(kefu.TransitionError, match="before the ticket's last event"):
        t.triage(cst("2026-03-02T08:00"), by="a")
    assert t.to_json() == before


def test_argument_errors_name_what_is_wrong(policy):
    t = kefu.Ticket(policy, L2_FACTS, cst("2026-03-02T09:00"))
    with pytest.raises(kefu.Error) as e:
        t.fire("triag", at=cst("2026-03-02T09:05"), by="a")
    assert str(e.value) == ("unknown event 'triag' (did you mean 'triage'?); events are triage, start, request_info, "
                            "customer_reply, hand_off, internal_reply, resolve, follow_up, close, reopen, cancel, "
                            "escalate, attach_report, report_level_1, report_level_2, track_improvement")
    with pytest.raises(TypeError, match="fire\\(\\) got an unexpected argument 'satisfid'"):
        t.fire("triage", at=cst("2026-03-02T09:05"), by="a", satisfid=True)
    with pytest.raises(TypeError, match=r"start\(\) takes no tier \(only triage does\)"):
        t.fire("start", at=cst("2026-03-02T09:05"), by="a", tier="L2")
    t.triage(cst("2026-03-02T09:05"), by="a").start(cst("2026-03-02T09:06"), by="a").resolve(cst("2026-03-02T09:07"), by="a")
    with pytest.raises(TypeError, match=r"follow_up\(\) needs satisfied=True or False"):
        t.fire("follow_up", at=cst("2026-03-02T10:00"), by="a")
    with pytest.raises(kefu.Error, match="at has a fraction of a second; kefu keeps whole seconds"):
        t.follow_up(cst("2026-03-02T10:00:00.500"), by="a", satisfied=True)
    t.follow_up(cst("2026-03-02T10:00"), by="a", satisfied=np.bool_(True))  # numpy bools are bools
    assert t.flags["followed_up"] is True
    with pytest.raises(kefu.Error, match="unknown tier 'L4'"):
        kefu.Ticket(policy, L2_FACTS, cst("2026-03-02T09:00")).triage(cst("2026-03-02T09:05"), by="a", tier="L4")
    with pytest.raises(kefu.Error, match=r"at \(2026-03-02T10:00:00\+08:00\) differs from the fact received_at"):
        kefu.Ticket(policy, {**L2_FACTS, "received_at": cst("2026-03-02T09:00")}, cst("2026-03-02T10:00"))
    with pytest.raises(kefu.Error, match="missing fact\\(s\\) received_at"):
        kefu.Ticket(policy, L2_FACTS)
    with pytest.raises(kefu.Error, match="id 'X' differs from the fact ticket_id 'T-2'"):
        kefu.Ticket(policy, L2_FACTS, cst("2026-03-02T09:00"), id="X")
    with pytest.raises(kefu.Error, match="unknown fact 'categroy' \\(did you mean 'category'\\?\\)"):
        kefu.Ticket(policy, {"categroy": "x"}, cst("2026-03-02T09:00"))


def test_triage_tier_override_and_escalation_use_the_policy_terms(policy):
    t = kefu.Ticket(policy, L2_FACTS, cst("2026-03-02T09:00"))
    assert t.plan == kefu.TicketPlan.for_facts(policy, L2_FACTS | {"received_at": cst("2026-03-02T09:00")})
    assert t.plan.tier("L2") == {"first_response": "2h on always", "resolution": "48h on always",
                                 "follow_up": "3 workdays on cn-mainland", "follow_up_required": True,
                                 "report_required": False}
    # Below the policy's tier (L2) only with a reason; without one the ticket is unchanged.
    assert t.policy_tier == "L2"
    with pytest.raises(kefu.TransitionError) as refused:
        t.triage(cst("2026-03-02T09:05"), by="a", tier="L1")
    assert refused.value.id == "kefu.ticket.deescalation" and (t.status, len(t)) == ("received/L1", 0)
    t.triage(cst("2026-03-02T09:05"), by="a", tier="L1", reason="customer only asked for the store's opening hours")
    assert t.status == "triaged/L1"
    t.escalate(cst("2026-03-02T09:10"), by="lead", note="customer asked for a supervisor")
    assert t.tier == "L2"
    # Clocks keep their events and move to L2's targets, counted from receipt.
    assert t.sla(cst("2026-03-02T09:10"))["resolution"].due == cst("2026-03-04T09:00")


def test_de_escalation_needs_a_reason_and_every_override_is_audited(policy):
    # The policy makes this ticket L3 (a quality defect over ¥1000 at the mall).
    t = kefu.Ticket(policy, L3_FACTS, cst("2026-02-13T10:00"))
    assert t.policy_tier == "L3" and t.triage_result.tier == "L3"
    before = t.to_json()
    for call in (lambda: t.triage(cst("2026-02-13T10:05"), by="alice", tier="L1"),
                 lambda: t.triage(cst("2026-02-13T10:05"), by="alice", tier="L2", reason="   "),
                 lambda: t.fire("triage", at=cst("2026-02-13T10:05"), by="alice", tier="L1")):
        with pytest.raises(kefu.TransitionError) as e:
            call()
        assert e.value.id == "kefu.ticket.deescalation"
        assert "is below L3, the tier the policy decided for this ticket: lowering it needs a reason" in str(e.value)
        assert t.to_json() == before and len(t) == 0 and t.status == "received/L1"
    with pytest.raises(TypeError, match=r"start\(\) takes no reason \(only triage does\)"):
        t.fire("start", at=cst("2026-02-13T10:05"), by="alice", reason="x")

    t.triage(cst("2026-02-13T10:05"), by="lead-wang", tier="L1", reason="客户已撤回投诉, call 13812345678 to confirm")
    assert t.status == "triaged/L1"
    row = t.history.iloc[0]
    # Who, when, why (masked like notes), the policy's tier beside the one chosen.
    assert (row["by"], row["at"], row["reason"]) == ("lead-wang", cst("2026-02-13T10:05"), "客户已撤回投诉, call 138****5678 to confirm")
    assert (row["policy_tier"], row["tier"]) == ("L3", "L1")

    # Snapshots keep it; the restored ticket still knows the policy's tier and the exact reason.
    text = t.to_json()
    doc = json.loads(text)
    assert doc["policy_tier"] == "L3"
    assert doc["history"][0]["policy_tier"] == "L3" and doc["history"][0]["reason"] == "客户已撤回投诉, call 13812345678 to confirm"
    back = kefu.Ticket.from_json(policy, text)
    assert back == t and back.to_json() == text and back.policy_tier == "L3"
    assert back.history.iloc[0]["policy_tier"] == "L3"

    # Raising needs no reason, and is audited the same way.
    up = kefu.Ticket(policy, L2_FACTS, cst("2026-03-02T09:00"))
    up.fire("triage", at=cst("2026-03-02T09:05"), by="alice", tier="L3")
    row = up.history.iloc[0]
    assert (row["policy_tier"], row["tier"]) == ("L2", "L3") and pd.isna(row["reason"])   # missing: NaN (pandas' str)
    # A restored snapshot that did not record the policy's tier (older ones) has none, and no check.
    assert kefu.Ticket.from_json(policy, (ROOT / "tests" / "data" / "ticket-snapshots" / "fresh.json").read_text(
        encoding="utf-8")).policy_tier is None


def test_replayed_logs_give_the_reason_in_a_column(policy):
    rows = [{**L3_FACTS, "received_at": cst("2026-02-13T10:00")}]
    lower = {"ticket_id": "T-1", "at": cst("2026-02-13T10:05"), "event": "triage", "by": "a", "tier": "L2"}
    with pytest.raises(kefu.TransitionError) as e:
        kefu.replay(policy, rows, [lower])
    assert e.value.id == "kefu.ticket.deescalation" and str(e.value).endswith("(ticket 'T-1', events row 0)")
    for events in ([{**lower, "reason": "agreed with the customer"}], pd.DataFrame([{**lower, "reason": "agreed with the customer"}])):
        (t,) = kefu.replay(policy, rows, events)
        assert (t.status, t.policy_tier) == ("triaged/L2", "L3")
        assert t.history.iloc[0]["reason"] == "agreed with the customer"
    with pytest.raises(kefu.Error, match="events row 0: start takes no reason"):
        kefu.replay(policy, rows, [{**lower, "event": "start", "tier": None, "reason": "x"}])


def test_tick_escalates_on_a_breach_and_records_it(policy):
    t = kefu.Ticket(policy, {"ticket_id": "T-3", "business": "mall", "channel": "phone", "category": "consultation"},
                    cst("2026-03-02T09:00"))
    t.triage(cst("2026-03-02T09:01"), by="a")
    assert t.tier == "L1"
    assert not t.tick(cst("2026-03-02T09:59"))
    assert t.sla(cst("2026-03-02T10:00:01"))["first_response"].state == "breached"
    assert t.tick(cst("2026-03-02T10:00:01"))
    # The escalation and the level-1 upward report that goes with it (DOM-ESC-4, DOM-LC-8), with the same note.
    rows = t.history.iloc[-2:]
    assert list(zip(rows["by"], rows["event"], rows["from"], rows["to"])) == [
        ("system", "escalate", "triaged/L1", "triaged/L2"), ("system", "report_level_1", "triaged/L2", "triaged/L2")]
    assert set(rows["note"]) == {"auto: first_response breached (due 2026-03-02T10:00:00+08:00)"}
    assert t.flags["reported"] == 1
    # A further breach (L2's 2 h first response) escalates again, with the level-2 report.
    assert t.tick(cst("2026-03-02T11:00:01"))
    assert list(t.history["event"].iloc[-2:]) == ["escalate", "report_level_2"] and t.status == "triaged/L3"


def test_upward_reports_and_improvement_items(policy):
    """DOM-LC-8: a critical ticket closes only after its level-1 report, level 2 only after level 1; DOM-LC-1: an
    e-commerce complaint is followed up at any tier, and an improvement item is recorded with its cause."""
    t = kefu.Ticket(policy, CRITICAL_FACTS, cst("2026-03-02T09:00"))
    assert t.triage_result.risk.level == "critical" and t.triage_result.tier == "L3"
    assert t.plan.reports == {"level_1_required": True, "level_1": None, "level_2": None}
    assert t.plan.tier("L3")["follow_up_required"] and t.plan.tier("L3")["follow_up"] == "3 workdays on cn-mainland"
    t.triage(cst("2026-03-02T09:05"), by="alice")
    with pytest.raises(kefu.TransitionError, match="the level-2 report comes only after the level-1 report") as early:
        t.report_level_2(cst("2026-03-02T09:10"), by="bob")
    assert early.value.id == "kefu.ticket.transition"
    t.resolve(cst("2026-03-02T15:00"), by="alice").attach_report(cst("2026-03-02T16:00"), by="alice")
    t.follow_up(cst("2026-03-03T10:00"), by="carol", satisfied=True)
    before = t.to_json()
    with pytest.raises(kefu.TransitionError) as refused:
        t.close(cst("2026-03-03T11:00"), by="alice")
    assert refused.value.id == "kefu.ticket.upward_report"
    assert str(refused.value) == (
        "cannot close a ticket in state resolved/L3: this ticket needs its level-1 upward report (一级上报, DOM-LC-8; "
        "its policy requires one, as for critical risk) before it is closed: fire report_level_1 first / "
        "本工单须先完成一级上报才能结案")
    assert t.to_json() == before
    t.fire("report_level_1", at=cst("2026-03-03T11:00"), by="lead-wang", note="项目管理层已知悉")
    t.close(cst("2026-03-03T11:10"), by="alice")
    with pytest.raises(kefu.TransitionError, match="needs the systemic cause in its note"):
        t.track_improvement(cst("2026-03-04T09:00"), by="qc")
    t.track_improvement(cst("2026-03-04T09:00"), by="qc", note="货架边角无防护")
    assert t.status == "closed/L3" and t.flags["reported"] == 1 and t.flags["improvements"] == 1
    assert list(t.history["event"].iloc[-3:]) == ["report_level_1", "close", "track_improvement"]
    assert t.history.iloc[-1]["note"] == "货架边角无防护"
    doc = json.loads(t.to_json())
    assert doc["flags"]["reported"] == 1 and doc["flags"]["improvements"] == 1
    assert doc["plan"]["reports"] == {"level_1_required": True, "level_1": None, "level_2": None}
    back = kefu.Ticket.from_json(policy, t.to_json())
    assert back == t and back.to_json() == t.to_json()
    # The same log through kefu.replay gives the same ticket.
    events = [{"ticket_id": "T-3", "at": r["at"], "event": r["event"], "by": r["by"], "note": r["note"],
               "tier": r["tier"], "satisfied": r["satisfied"]} for r in t.history.to_dict("records")]
    [replayed] = kefu.replay(policy, [{**CRITICAL_FACTS, "received_at": cst("2026-03-02T09:00")}], events)
    assert replayed == t
    # The lifecycle table counts them per ticket (what a supervisor's improvement KPI starts from, DOM-KPI-3).
    row = kefu.lifecycle_summary([replayed], cst("2026-03-05T00:00")).iloc[0]
    assert (row["reported"], row["improvements"], row["follow_up_state"]) == (1, 1, "met")


def test_snapshot_round_trip_and_strict_errors(policy):
    """A snapshot restores exactly, and writes the same text again (DOM-LC-7, DOM-PRIV-2)."""
    t = kefu.Ticket(policy, L3_FACTS, cst("2026-02-13T10:00"))
    t.triage(cst("2026-02-13T10:05"), by="客服小王", note='line1\n"quoted"').start(cst("2026-02-13T11:00"), by="a")
    text = t.to_json()
    back = kefu.Ticket.from_json(policy, text)
    assert back == t and back.to_json() == text
    assert back.triage_result is None
    assert back.plan == t.plan
    doc = json.loads(text)
    assert doc["state"] == {"progress": "in_progress", "tier": "L3"}
    assert doc["plan"]["tiers"]["L3"]["resolution"] == {"clock": "workdays", "amount": 7, "calendar": "cn-mainland",
                                                        "warning": {"fraction": "0.8"}}
    # No customer personal data in the snapshot (DOM-PRIV-1): facts are not part of it.
    assert "王小明" not in text and "13812345678" not in text
    with pytest.raises(kefu.ParseError) as e:
        kefu.Ticket.from_json(policy, '{"kefu_ticket":1,')
    assert (e.value.line, e.value.column) == (1, 18)
    assert str(e.value) == "<json>:1:18: ticket snapshot: expected a member name in quotes"
    lie = text.replace('"tier":"L3"}', '"tier":"L2"}', 1)
    with pytest.raises(kefu.ParseError, match="snapshot.state: says in_progress/L2 but the history leads to in_progress/L3"):
        kefu.Ticket.from_json(policy, lie)



def test_snapshots_written_before_the_json_library_restore_byte_for_byte(policy):
    # tests/data/ticket-snapshots/ holds snapshots written by the hand-written JSON writer kefu had before.
    for name in ("fresh", "busy", "provisional", "text"):
        text = (ROOT / "tests" / "data" / "ticket-snapshots" / f"{name}.json").read_bytes().decode("utf-8")
        t = kefu.Ticket.from_json(policy, text)
        assert t.to_json() == text, name
        assert kefu.Ticket.from_json(policy, t.to_json()) == t


def test_ticket_errors_carry_stable_ids(policy):
    t = kefu.Ticket(policy, L2_FACTS, cst("2026-03-02T09:00"))
    with pytest.raises(kefu.ParseError) as snapshot:
        kefu.Ticket.from_json(policy, '{"kefu_ticket":1,')
    assert snapshot.value.id == "kefu.ticket.snapshot"
    with pytest.raises(kefu.TransitionError) as refused:
        t.close(cst("2026-03-02T09:10"), by="a")
    assert refused.value.id == "kefu.ticket.transition"
    with pytest.raises(kefu.Error) as unknown:
        t.fire("clsoe", at=cst("2026-03-02T09:10"), by="a")
    assert unknown.value.id == "kefu.ticket.unknown_event"
    assert str(unknown.value).startswith("unknown event 'clsoe' (did you mean 'close'?); events are triage, start, ")
    with pytest.raises(kefu.Error) as tier:
        t.triage(cst("2026-03-02T09:10"), by="a", tier="L4")
    assert tier.value.id == "kefu.ticket.unknown_tier"
    with pytest.raises(kefu.Error) as opening:
        kefu.Ticket(policy, {**L2_FACTS, "received_at": cst("2026-03-02T09:00")}, cst("2026-03-02T10:00"))
    assert opening.value.id == "kefu.ticket.open"
    with pytest.raises(kefu.Error) as no_receipt:
        kefu.Ticket(policy, L2_FACTS)
    assert (no_receipt.value.id, str(no_receipt.value)) == ("kefu.ticket.open", "missing fact(s) received_at")
    rows = [{**L2_FACTS, "received_at": cst("2026-03-02T09:00")}]
    ok = {"ticket_id": "T-2", "at": cst("2026-03-02T09:05"), "event": "triage", "by": "a"}
    with pytest.raises(kefu.Error) as replayed:
        kefu.replay(policy, rows, [{**ok, "ticket_id": "T-9"}])
    assert replayed.value.id == "kefu.ticket.replay"
    with pytest.raises(kefu.Error) as misspelt:
        kefu.replay(policy, rows, [{**ok, "event": "clsoe"}])
    assert misspelt.value.id == "kefu.ticket.unknown_event"
    assert str(misspelt.value).startswith("events row 0: unknown event 'clsoe' (did you mean 'close'?); events are ")


def test_replay_many_tickets_equals_firing_one_by_one(policy):
    rows = list(read_tickets(kefu.default_data_path("tickets.csv")))[:200]
    events = simulate_events(rows, policy.triage(rows), seed=7)  # follow-ups and reports as each triage requires
    tickets = kefu.replay(policy, rows, events)
    assert [t.id for t in tickets] == [r["ticket_id"] for r in rows]
    by_id = {r["ticket_id"]: kefu.Ticket(policy, r) for r in rows}
    for e in events:
        data = {k: e[k] for k in ("tier", "satisfied") if e[k] is not None}
        by_id[e["ticket_id"]].fire(e["event"], at=e["at"], by=e["by"], note=e["note"], **data)
    assert all(t == by_id[t.id] for t in tickets)
    # DataFrames give the same, and events out of order are applied in time order.
    frame = pd.DataFrame(events).sample(frac=1.0, random_state=1).sort_values("ticket_id", kind="stable")
    assert all(a == b for a, b in zip(kefu.replay(policy, pd.DataFrame(rows), frame), tickets))
    table = kefu.lifecycle_summary(tickets, cst("2026-04-01T00:00"))
    assert len(table) == 200
    assert set(table["first_response_state"].dropna()) <= {"met", "breached", "running", "paused"}
    first = tickets[0].sla(cst("2026-04-01T00:00"))["first_response"]
    assert table.loc[0, "first_response_due"] == first.due


def test_replay_reads_each_datetimes_own_offset(policy):
    # datetime.fromisoformat makes a tzinfo per string, and one log may mix offsets: each row's offset is read
    # for its own tzinfo (the reader keeps the last one it asked, never carries it over to another).
    rows = [{**L2_FACTS, "received_at": cst("2026-03-02T09:00")}]
    texts = ["2026-03-02T09:05:00+08:00", "2026-03-02T01:10:00+00:00", "2026-03-01T20:15:00-05:00",
             "2026-03-02T09:20:00+08:00"]
    kinds = ["triage", "start", "request_info", "customer_reply"]
    events = [{"ticket_id": "T-2", "at": dt.datetime.fromisoformat(s), "event": k, "by": "a"}
              for s, k in zip(texts, kinds)]
    assert len({id(e["at"].tzinfo) for e in events}) == 4
    [t] = kefu.replay(policy, rows, events)
    assert [a.isoformat() for a in t.history["at"]] == ["2026-03-02T09:05:00+08:00", "2026-03-02T09:10:00+08:00",
                                                       "2026-03-02T09:15:00+08:00", "2026-03-02T09:20:00+08:00"]
    # The same instant written at yet another offset reads the same.
    shifted = [*events[:2], {**events[2], "at": dt.datetime.fromisoformat("2026-03-01T19:15:00-06:00")}, events[3]]
    [u] = kefu.replay(policy, rows, shifted)
    assert u.history["at"][2].isoformat() == "2026-03-02T09:15:00+08:00"


def test_replay_errors_name_the_ticket_and_row(policy):
    rows = [{**L2_FACTS, "received_at": cst("2026-03-02T09:00")}]
    ok = {"ticket_id": "T-2", "at": cst("2026-03-02T09:05"), "event": "triage", "by": "a"}
    with pytest.raises(kefu.TransitionError) as e:
        kefu.replay(policy, rows, [ok, {**ok, "event": "close", "at": cst("2026-03-02T09:06")}])
    assert str(e.value) == ("cannot close a ticket in state triaged/L2: event not allowed in state triaged "
                            "(ticket 'T-2', events row 1)")
    with pytest.raises(kefu.Error, match="events row 0: ticket 'T-9' is not among the tickets"):
        kefu.replay(policy, rows, [{**ok, "ticket_id": "T-9"}])
    with pytest.raises(kefu.Error, match="events row 0: unknown event 'clsoe'"):
        kefu.replay(policy, rows, [{**ok, "event": "clsoe"}])
    with pytest.raises(kefu.Error, match="events row 0: follow_up needs satisfied"):
        kefu.replay(policy, rows, [{**ok, "event": "follow_up"}])
    with pytest.raises(TypeError, match="events row 0: missing column 'by'"):
        kefu.replay(policy, rows, [{k: v for k, v in ok.items() if k != "by"}])
    with pytest.raises(TypeError, match="events: missing column\\(s\\) by"):
        kefu.replay(policy, rows, pd.DataFrame([{k: v for k, v in ok.items() if k != "by"}]))
    with pytest.raises(TypeError, match=r"events row 0: unknown column 'colour' \(columns are ticket_id, at, event, by, "
                                        r"note, tier, satisfied, reason, milestone\)"):
        kefu.replay(policy, rows, [{**ok, "colour": "red"}])
    with pytest.raises(TypeError, match="events: unknown column\\(s\\) colour"):
        kefu.replay(policy, rows, pd.DataFrame([{**ok, "colour": "red"}]))
    with pytest.raises(TypeError, match="events row 0: column 'at' must be a datetime, got '2026-03-02'"):
        kefu.replay(policy, rows, [{**ok, "at": "2026-03-02"}])
    with pytest.raises(TypeError, match="events row 0: column 'satisfied' must be True or False, got 'yes'"):
        kefu.replay(policy, rows, [{**ok, "satisfied": "yes"}])
    with pytest.raises(kefu.Error, match="events row 0: at has a fraction of a second"):
        kefu.replay(policy, rows, pd.DataFrame([{**ok, "at": pd.Timestamp("2026-03-02T09:05:00.5+08:00")}]))
    with pytest.raises(kefu.Error, match="events row 0: at has a fraction of a second"):
        kefu.replay(policy, rows, [{**ok, "at": cst("2026-03-02T09:05:00.250")}])
    # Aware times in any fixed offset, and naive (local) ones, are the same instants.
    utc = [{**ok, "at": dt.datetime(2026, 3, 2, 1, 5, tzinfo=dt.timezone.utc)}]
    naive = [{**ok, "at": dt.datetime(2026, 3, 2, 9, 5)}]
    assert kefu.replay(policy, rows, utc)[0] == kefu.replay(policy, rows, naive)[0] == kefu.replay(policy, rows, [ok])[0]
    with pytest.raises(kefu.Error, match="row 1: ticket_id 'T-2' appears twice"):
        kefu.replay(policy, rows + rows, [])
    # With one plan for all, facts are not triaged.
    [t] = kefu.replay(policy, rows, [{**ok, "tier": "L1"}], plan=kefu.TicketPlan.default())
    assert (t.status, t.triage_result) == ("triaged/L1", None)
    [u] = kefu.replay(policy, pd.DataFrame(rows), pd.DataFrame([{**ok, "tier": "L1"}]), plan=kefu.TicketPlan.default())
    assert u == t
    with pytest.raises(kefu.Error, match="tickets row 0: column 'received_at' is missing"):
        kefu.replay(policy, [{"ticket_id": "T-2"}], [], plan=kefu.TicketPlan.default())
    with pytest.raises(kefu.Error, match="tickets row 0: column 'received_at' is missing"):
        kefu.replay(policy, [{"ticket_id": "T-2", "received_at": pd.NaT}], [], plan=kefu.TicketPlan.default())
    # Missing cells are missing, whatever pandas calls them; a missing operator is refused (DOM-LC-6).
    with pytest.raises(kefu.Error, match="events row 0: column 'by' is missing"):
        kefu.replay(policy, rows, [{**ok, "by": None}])
    with pytest.raises(kefu.Error, match="events row 0: column 'by' is missing"):
        kefu.replay(policy, rows, pd.DataFrame([{**ok, "by": float("nan")}]))
    with pytest.raises(kefu.Error, match="events row 0: column 'at' is missing"):
        kefu.replay(policy, rows, [{**ok, "at": pd.NaT}])
    [v] = kefu.replay(policy, rows, [{**ok, "tier": pd.NA, "note": pd.NA, "satisfied": pd.NA}])
    assert v.status == "triaged/L2"
    with pytest.raises(kefu.Error, match="events row 0: at has a fraction of a second"):
        kefu.replay(policy, rows, [{**ok, "at": pd.Timestamp("2026-03-02T09:05:00.000000500+08:00")}])
    with pytest.raises(kefu.Error, match="events row 0: triage needs a tier \\(with plan=, facts are not triaged\\)"):
        kefu.replay(policy, rows, [ok], plan=kefu.TicketPlan.default())


def test_graph_comes_from_the_transition_table_and_docs_show_it():
    table = kefu.lifecycle_transitions()
    assert len(table) == 35
    assert {"region": "progress", "from": "resolved", "event": "close", "to": "closed",
            "guard": "follow-up and reports done", "internal": False} in table
    mermaid = kefu.lifecycle_graph("mermaid")
    assert "    resolved --> closed : close [follow-up and reports done]\n" in mermaid
    assert 'L2 -> L3 [label="escalate [open]"];' in kefu.lifecycle_graph("dot")
    with pytest.raises(kefu.Error, match="unknown graph format 'svg' \\(expected mermaid or dot\\)"):
        kefu.lifecycle_graph("svg")
    # docs/lifecycle.md shows exactly what the machine says (regenerate with `kefu graph`).
    docs = (ROOT / "docs" / "lifecycle.md").read_text(encoding="utf-8")
    block = re.search(r"```mermaid\n(.*?)```", docs, re.S)
    assert block and block.group(1) == mermaid
    cli = subprocess.run([sys.executable, "-m", "kefu", "graph", "--format", "dot"], capture_output=True, text=True,
                         check=True)
    assert cli.stdout == kefu.lifecycle_graph("dot")


# ---- property test: random event sequences against a reference model of the table and guards ----------

EVENTS = ["triage", "start", "request_info", "customer_reply", "hand_off", "internal_reply", "resolve", "follow_up",
          "close", "reopen", "cancel", "escalate", "attach_report", "report_level_1", "report_level_2",
          "track_improvement"]
OPEN_STATES = {"received", "triaged", "in_progress", "waiting_customer", "waiting_internal", "resolved"}


def expected_after(state: str, tier: str, flags: dict, plan: kefu.TicketPlan, event: str, data: dict,
                   at: dt.datetime, policy_tier: str | None = None) -> tuple[str, str] | None:
    """The DOM-LC rules written out independently of the C++ machine: the new (state, tier), or None."""
    terms = plan.tier(tier)
    nxt_state, nxt_tier = state, tier
    progress = {
        ("received", "triage"): "triaged", ("triaged", "start"): "in_progress",
        ("in_progress", "request_info"): "waiting_customer", ("waiting_customer", "customer_reply"): "in_progress",
        ("in_progress", "hand_off"): "waiting_internal", ("waiting_internal", "internal_reply"): "in_progress",
        ("triaged", "resolve"): "resolved", ("in_progress", "resolve"): "resolved",
        ("resolved", "reopen"): "in_progress",
    }
    accepted = False
    if (state, event) in progress:
        nxt_state, accepted = progress[(state, event)], True
    elif event == "cancel" and state in OPEN_STATES - {"resolved"}:
        nxt_state, accepted = "cancelled", True
    elif event == "follow_up" and state == "resolved":
        nxt_state, accepted = ("resolved" if data["satisfied"] else "in_progress"), True
    elif event == "close" and state == "resolved":
        accepted = ((not terms["follow_up_required"] or flags["followed_up"])
                    and (not terms["report_required"] or flags["report_attached"])
                    and (not plan.reports["level_1_required"] or flags["reported"] >= 1))
        nxt_state = "closed"
    elif event == "reopen" and state == "closed":
        accepted = at - flags["closed_at"] <= plan.reopen_window
        nxt_state = "in_progress"
    if event == "triage" and accepted:
        # Below the policy's tier only with a reason (the ticket is unchanged otherwise).
        if policy_tier is not None and data["tier"] < policy_tier and not data.get("reason"):
            return None
        nxt_tier = max(tier, data["tier"])  # triage raises the tier, never lowers it
    if event == "escalate" and state in OPEN_STATES and tier != "L3":
        nxt_tier, accepted = {"L1": "L2", "L2": "L3"}[tier], True
    if event == "attach_report" and state in OPEN_STATES:
        accepted = True
    # DOM-LC-8: level 1 once, then level 2 once, while open; DOM-LC-1: an improvement item, with its cause, once
    # the ticket is resolved or closed.
    if event == "report_level_1" and state in OPEN_STATES and flags["reported"] == 0:
        accepted = True
    if event == "report_level_2" and state in OPEN_STATES and flags["reported"] == 1:
        accepted = True
    if event == "track_improvement" and state in ("resolved", "closed") and data.get("note", "").strip():
        accepted = True
    return (nxt_state, nxt_tier) if accepted else None


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(EVENTS), st.integers(0, 72 * 60), st.sampled_from(["L1", "L2", "L3"]),
                          st.booleans()), max_size=30),
       st.sampled_from([L2_FACTS, L3_FACTS, CRITICAL_FACTS]))
def test_random_event_sequences_keep_every_invariant(policy, steps, facts):
    t = kefu.Ticket(policy, facts, cst("2026-02-10T09:00"))
    at = cst("2026-02-10T09:00")
    for event, minutes, tier, flag in steps:
        at = at + dt.timedelta(minutes=minutes)
        if event == "triage":  # a reason now and then (required below the policy's tier)
            data = {"tier": tier, "reason": "agreed with the customer"} if flag else {"tier": tier}
        elif event == "track_improvement":  # with its cause now and then (required)
            data = {"note": "no temperature log at the hand-over"} if flag else {}
        else:
            data = {"satisfied": flag} if event == "follow_up" else {}
        before, n = t.to_json(), len(t)
        expected = expected_after(t.state, t.tier, t.flags, t.plan, event, data, at, t.policy_tier)
        assert (event in t.allowed_events(at)) == (expected is not None) or event in ("triage", "follow_up",
                                                                                     "track_improvement")
        try:
            t.fire(event, at=at, by="p", **data)
        except kefu.TransitionError:
            assert expected is None, (event, t.status)
            assert t.to_json() == before and len(t) == n
            continue
        assert expected == (t.state, t.tier), (event, data)
        assert len(t) == n + 1
        row = t.history.iloc[-1]
        assert (row["event"], row["to"], row["at"]) == (event, t.status, at)
        # A critical ticket never closes without its level-1 report (DOM-LC-8).
        if t.state == "closed" and t.plan.reports["level_1_required"]:
            assert "report_level_1" in set(t.history["event"])
        # Snapshot → restore is identity at every step, and writes the same bytes again.
        back = kefu.Ticket.from_json(policy, t.to_json())
        assert back == t and back.to_json() == t.to_json()


def test_large_batches_split_over_threads_report_the_earliest_error(policy):
    # 1,200 tickets run on up to one thread per core; the error is the earliest ticket's, as in one pass.
    start = cst("2026-03-02T09:00")
    rows = [{"ticket_id": f"T{k:04d}", "received_at": start} for k in range(1200)]
    events = []
    for k in range(1200):
        events.append({"ticket_id": f"T{k:04d}", "at": start + dt.timedelta(minutes=1), "event": "triage", "by": "a",
                       "tier": "L1"})
        if k in (700, 1100):
            events.append({"ticket_id": f"T{k:04d}", "at": start + dt.timedelta(minutes=2), "event": "close", "by": "a"})
    with pytest.raises(kefu.TransitionError) as e:
        kefu.replay(policy, rows, events, plan=kefu.TicketPlan.default())
    assert str(e.value).endswith("(ticket 'T0700', events row 701)")
    good = [e for e in events if e["event"] != "close"]
    tickets = kefu.replay(policy, rows, good, plan=kefu.TicketPlan.default())
    assert [t.status for t in tickets] == ["triaged/L1"] * 1200
    assert [t.id for t in tickets] == [r["ticket_id"] for r in rows]


# ---- the calendar horizon (DOM-SLA-8): provisional deadlines and next year's holiday notice ------------------

# Next year's notice as an overlay in a rules directory, made up for the test (the 2027 notice is not
# published): 元旦 and two extra days off, 2027-01-04 and 2027-01-05, the holiday law alone would not give.
OVERLAY_2027 = """calendar: cn-mainland
extends: cn-mainland
official_until: 2027-12-31
holidays:
  - {date: 2027-01-01, to: 2027-01-03, name: 元旦 New Year's Day}
  - {date: 2027-01-04, to: 2027-01-05, name: made-up days off for the test}
"""
MOVED_REASON = ("calendar 'cn-mainland' official data now reaches 2027-12-31 (the deadline was projected past "
                "2026-12-31)")


def test_provisional_deadlines_are_recomputed_and_recorded_when_next_years_notice_arrives(policy, tmp_path):
    # An L3 complaint on Thursday 2026-12-24: 7 workdays = 12-25, 28, 29, 30, 31, (01-01 off), 01-04, 01-05,
    # past cn-mainland's official data (2026-12-31): provisional.
    facts = {**L3_FACTS, "ticket_id": "T-H", "purchased_at": dt.date(2026, 12, 20)}
    t = kefu.Ticket(policy, facts, cst("2026-12-24T10:00"))
    assert t.triage_result.tier == "L3"
    t.triage(cst("2026-12-24T10:05"), by="alice").start(cst("2026-12-24T11:00"), by="alice")
    resolution = t.sla(cst("2026-12-24T11:00"))["resolution"]
    assert (resolution.due, resolution.provisional) == (cst("2027-01-06T00:00"), True)
    assert t.sla(cst("2026-12-24T11:00"))["first_response"].provisional is False  # 24 h of wall time
    text = t.to_json()
    assert '"due":"2027-01-05T16:00:00Z","provisional":true,"official_until":"2026-12-31"' in text
    assert t.deadline_changes == []
    # Restored on the same calendars: nothing moved.
    same = kefu.Ticket.from_json(policy, text)
    assert same == t and same.deadline_changes == [] and same.to_json() == text

    # The notice arrives: a rules directory = the shipped rules + calendars/cn-mainland.yaml with 2027
    # (cn-office, which extends cn-mainland, is rebuilt on it).
    rules = tmp_path / "rules"
    shutil.copytree(kefu.default_rules_dir(), rules)
    (rules / "calendars" / "cn-mainland.yaml").write_text(OVERLAY_2027, encoding="utf-8")
    noticed = kefu.Policy.load(rules)
    back = kefu.Ticket.from_json(noticed, text)
    assert back.deadline_changes == [{
        "clock": "resolution", "at": cst("2026-12-24T11:00"), "old_due": cst("2027-01-06T00:00"),
        "new_due": cst("2027-01-08T00:00"), "still_provisional": False, "reason": MOVED_REASON,
    }]
    assert back.deadline_changes[0]["new_due"].utcoffset() == dt.timedelta(hours=8)
    assert back.sla(cst("2026-12-28T10:00"))["resolution"].due == cst("2027-01-08T00:00")
    assert back.sla(cst("2026-12-28T10:00"))["resolution"].provisional is False
    assert back != t

    # History: the events, then the moved deadline, with the same columns and dtypes.
    h = back.history
    before = t.history
    assert list(h.columns) == list(before.columns) == ["at", "by", "event", "from", "to", "note", "tier", "satisfied",
                                                       "policy_tier", "reason", "milestone"]
    assert h.dtypes.to_dict() == before.dtypes.to_dict()
    assert list(h["event"]) == ["triage", "start", "deadline_moved"]
    row = h.iloc[-1].to_dict()
    assert pd.isna(row.pop("tier"))  # as for every event but triage (a string column: pandas' missing value)
    assert pd.isna(row.pop("policy_tier")) and pd.isna(row.pop("reason")) and pd.isna(row.pop("milestone"))
    assert row == {
        "at": cst("2026-12-24T11:00"), "by": "system", "event": "deadline_moved", "from": "in_progress/L3",
        "to": "in_progress/L3", "note": f"resolution: 2027-01-06 00:00 → 2027-01-08 00:00 ({MOVED_REASON})",
        "satisfied": None,
    }
    assert len(back) == 2  # len() counts the machine's events

    # Part of the record: later snapshots carry it, restored as it is (no recompute, no second record).
    back.resolve(cst("2027-01-07T15:00"), by="alice")
    again = kefu.Ticket.from_json(noticed, back.to_json())
    assert again == back and again.deadline_changes == back.deadline_changes
    assert list(again.history["event"]) == ["triage", "start", "deadline_moved", "resolve"]
    assert kefu.Ticket.from_json(policy, back.to_json()).deadline_changes == back.deadline_changes


def test_a_report_deadline_from_the_action_catalogue_shows_in_sla_and_tick_reports_it(tmp_path):
    """DOM-LC-8: 000 gives no time limit, so the shipped catalogue has none; one a policy gives the level-1 report
    (`within` of ACT-REPORT-LEVEL-1) is a clock from receipt in Ticket.sla, and its breach escalates and reports."""
    rules = tmp_path / "rules"
    shutil.copytree(kefu.default_rules_dir(), rules)
    actions = rules / "actions.yaml"
    actions.write_text(actions.read_text(encoding="utf-8").replace(
        'then: {owners: [supervisor], description: "一级上报',
        'then: {owners: [supervisor], within: 2h, description: "一级上报'), encoding="utf-8")
    policy = kefu.Policy.load(rules)
    facts = {"ticket_id": "T-6", "business": "fresh", "channel": "phone", "category": "safety_injury"}
    t = kefu.Ticket(policy, facts, cst("2026-03-02T09:00"))
    assert t.plan.reports == {"level_1_required": True, "level_1": "2h on always", "level_2": None}
    assert "report_level_1" not in kefu.Ticket(kefu.default_policy(), facts, cst("2026-03-02T09:00")).sla(
        cst("2026-03-02T09:00"))
    status = t.sla(cst("2026-03-02T10:00"))["report_level_1"]
    assert (status.due, status.state) == (cst("2026-03-02T11:00"), "running")
    t.triage(cst("2026-03-02T09:05"), by="alice").start(cst("2026-03-02T09:30"), by="alice")
    assert t.sla(cst("2026-03-02T11:00:01"))["report_level_1"].state == "breached"
    assert t.tick(cst("2026-03-02T11:00:01"))  # L3 already: the report alone, by the system
    last = t.history.iloc[-1]
    assert (last["by"], last["event"], last["note"]) == (
        "system", "report_level_1", "auto: report_level_1 breached (due 2026-03-02T11:00:00+08:00)")
    assert t.sla(cst("2026-03-02T12:00"))["report_level_1"].state == "breached"  # made late
    back = kefu.Ticket.from_json(policy, t.to_json())
    assert back == t and back.to_json() == t.to_json()


def test_history_marks_missing_values_the_pandas_way(policy):
    """#14: one missing value per dtype — NaN in text columns (pandas' str), <NA> in the nullable bool
    `satisfied`, never None in an object column; instants aware in the policy's zone."""
    t = kefu.Ticket(policy, {"ticket_id": "H-1", "business": "mall", "channel": "phone", "category": "quality_defect"},
                    at=dt.datetime(2026, 3, 2, 9))
    t.triage(dt.datetime(2026, 3, 2, 9, 5), by="a").start(dt.datetime(2026, 3, 2, 9, 10), by="a")
    t.resolve(dt.datetime(2026, 3, 2, 10), by="a").follow_up(dt.datetime(2026, 3, 3, 10), by="c", satisfied=True)
    h = t.history
    assert str(h["satisfied"].dtype) == "boolean"
    assert h["satisfied"].isna().tolist() == [True, True, True, False] and bool(h["satisfied"].iloc[-1])
    assert str(h["at"].dtype) == "datetime64[us, UTC+08:00]"
    assert not any(v is None for c in h.columns for v in h[c].tolist() if h[c].dtype == object)
