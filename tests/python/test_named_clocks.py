"""Named clocks from policy and milestones from Python (DOM-SLA-10, DOM-SLA-6): Ticket.mark, sla(), history,
snapshots, kefu.replay with `mark` rows, and kefu.clock_attainment (DOM-KPI-7)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import kefu

CST = dt.timezone(dt.timedelta(hours=8))


def cst(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=CST)


@pytest.fixture(scope="module")
def policy():
    return kefu.default_policy()


def refund(ticket_id: str = "R-1", at: str = "2026-02-13T10:00") -> dict:
    return {"ticket_id": ticket_id, "business": "ecommerce", "channel": "online", "category": "refund_request",
            "received_at": cst(at)}


def test_marks_drive_the_refund_clocks_across_the_spring_festival(policy):
    t = kefu.Ticket(policy, refund())
    assert [c["name"] for c in t.named_clocks] == ["manual_review", "pickup_arrangement", "goods_receipt",
                                                   "refund_completion", "initial_assessment", "result_feedback",
                                                   "return_exchange"]
    assert t.named_clocks[6]["within"] == "3 workdays" and t.named_clocks[6]["calendar"] == "cn-mainland"
    assert "DOM-SLA-6" in t.named_clocks[3]["source"] and t.named_clocks[3]["escalate"] is True
    t.triage(cst("2026-02-13T10:10"), by="alice")
    assert t.mark("refund_approved", cst("2026-02-13T11:30"), by="bob", note="call 13812345678") is t
    t.mark("pickup_arranged", cst("2026-02-14T09:00"), by="bob")
    t.mark("goods_shipped_back", cst("2026-02-16T10:00"), by="customer")
    t.mark("goods_received", cst("2026-02-19T08:00"), by="warehouse")
    t.start(cst("2026-02-19T08:30"), by="alice")
    t.resolve(cst("2026-02-19T09:00"), by="alice")
    sla = t.sla(cst("2026-02-19T09:00"))
    assert list(sla)[:3] == ["first_response", "resolution", "follow_up"]
    assert {k: (v.state, v.due) for k, v in sla.items() if k not in ("first_response", "resolution", "follow_up")
            and v is not None} == {
        "pickup_arrangement": ("met", cst("2026-02-14T11:30")),
        "goods_receipt": ("breached", cst("2026-02-18T10:00")),
        "refund_completion": ("running", cst("2026-02-22T08:00")),
        "initial_assessment": ("met", cst("2026-02-14T10:00")),
        "result_feedback": ("running", cst("2026-02-20T09:00")),
        # Thursday 19 February is a Spring Festival day off (day 0): 24, 25, 26 February → close of the 26th.
        "return_exchange": ("running", cst("2026-02-27T00:00")),
    }
    assert sla["manual_review"] is None
    h = t.history
    assert list(h.columns) == ["at", "by", "event", "from", "to", "note", "tier", "satisfied", "policy_tier", "reason",
                               "milestone"]
    marks = h[h["event"] == "mark"]
    assert list(marks["milestone"]) == ["refund_approved", "pickup_arranged", "goods_shipped_back", "goods_received"]
    assert list(h["event"])[:3] == ["triage", "mark", "mark"]
    assert marks.iloc[0]["from"] == marks.iloc[0]["to"] == "triaged/L2"
    assert "13812345678" not in marks.iloc[0]["note"]  # masked (DOM-PRIV-1); the snapshot keeps it
    assert t.milestones[0] == {"milestone": "refund_approved", "at": cst("2026-02-13T11:30"), "by": "bob",
                               "note": kefu.mask_text("call 13812345678"), "state": "triaged/L2"}
    assert t.tick(cst("2026-02-22T09:00"))
    assert t.status == "resolved/L3"
    assert t.history.iloc[-1]["note"] == "auto: refund_completion breached (due 2026-02-22T08:00:00+08:00)"
    assert not t.tick(cst("2026-02-22T10:00"))
    back = kefu.Ticket.from_json(policy, t.to_json())
    assert back == t and back.to_json() == t.to_json()
    assert "13812345678" in t.to_json()


def test_bad_milestones_change_nothing(policy):
    t = kefu.Ticket(policy, refund())
    t.triage(cst("2026-02-13T10:10"), by="alice")
    before = t.to_json()
    with pytest.raises(kefu.Error) as e:
        t.mark("refund_aproved", cst("2026-02-13T11:00"), by="bob")
    assert e.value.id == "kefu.ticket.milestone"
    assert "unknown milestone 'refund_aproved' (did you mean 'refund_approved'?)" in str(e.value)
    with pytest.raises(kefu.Error, match="is before the ticket's last event"):
        t.mark("refund_approved", cst("2026-02-13T10:00"), by="bob")
    assert t.to_json() == before


def test_replay_takes_mark_rows_from_dicts_and_frames(policy):
    facts = [refund("R-1"), refund("R-2")]
    events = [
        {"ticket_id": "R-1", "at": cst("2026-02-13T10:10"), "event": "triage", "by": "alice"},
        {"ticket_id": "R-1", "at": cst("2026-02-13T11:30"), "event": "mark", "by": "bob", "milestone": "refund_approved"},
        {"ticket_id": "R-2", "at": cst("2026-02-13T10:20"), "event": "triage", "by": "alice"},
        {"ticket_id": "R-1", "at": cst("2026-02-14T09:00"), "event": "mark", "by": "bob", "milestone": "pickup_arranged"},
    ]
    tickets = kefu.replay(policy, facts, events)
    one = kefu.Ticket(policy, facts[0])
    one.triage(cst("2026-02-13T10:10"), by="alice")
    one.mark("refund_approved", cst("2026-02-13T11:30"), by="bob")
    one.mark("pickup_arranged", cst("2026-02-14T09:00"), by="bob")
    assert tickets[0] == one and tickets[1].milestones == []
    frame = pd.DataFrame(events)
    assert all(a == b for a, b in zip(kefu.replay(policy, pd.DataFrame(facts), frame), tickets))
    with pytest.raises(kefu.Error, match=r"events row 1: event 'mark' needs a milestone \(column 'milestone'\)"):
        kefu.replay(policy, facts, [events[0], {**events[1], "milestone": None}])
    with pytest.raises(kefu.Error, match=r"events row 0: only event 'mark' takes a milestone \('refund_approved'\)"):
        kefu.replay(policy, facts, [{**events[0], "milestone": "refund_approved"}])
    with pytest.raises(kefu.Error) as e:
        kefu.replay(policy, facts, [events[0], {**events[1], "milestone": "goods_recieved"}])
    assert e.value.id == "kefu.ticket.milestone" and "(ticket 'R-1', events row 1)" in str(e.value)


def test_clock_attainment_counts_met_breached_and_open(policy):
    facts = [refund("R-1"), refund("R-2"), {**refund("M-1"), "business": "mall", "category": "quality_defect"}]
    events = [
        {"ticket_id": "R-1", "at": cst("2026-02-13T10:10"), "event": "triage", "by": "a"},          # assessment met
        {"ticket_id": "R-1", "at": cst("2026-02-13T11:00"), "event": "mark", "by": "b", "milestone": "refund_approved"},
        {"ticket_id": "R-1", "at": cst("2026-02-13T12:00"), "event": "mark", "by": "b", "milestone": "pickup_arranged"},
        {"ticket_id": "R-2", "at": cst("2026-02-14T11:00"), "event": "triage", "by": "a"},          # assessment late
        {"ticket_id": "R-2", "at": cst("2026-02-14T12:00"), "event": "mark", "by": "b", "milestone": "refund_approved"},
    ]
    tickets = kefu.replay(policy, facts, events)
    at = cst("2026-02-15T10:00")  # R-2's pickup (due 02-15 12:00) still open; M-1's assessment overdue, running
    table = kefu.clock_attainment(tickets, at)
    rows = {r["clock"]: r for r in table.to_dict("records")}
    assert list(table.columns) == ["clock", "tickets", "started", "met", "breached", "open", "attainment"]
    assert (rows["initial_assessment"]["tickets"], rows["initial_assessment"]["met"],
            rows["initial_assessment"]["breached"], rows["initial_assessment"]["open"]) == (3, 1, 2, 0)
    assert rows["initial_assessment"]["attainment"] == pytest.approx(1 / 3)
    assert (rows["pickup_arrangement"]["tickets"], rows["pickup_arrangement"]["met"],
            rows["pickup_arrangement"]["open"]) == (2, 1, 1)
    assert rows["pickup_arrangement"]["attainment"] == 1.0
    assert rows["goods_receipt"]["started"] == 0 and pd.isna(rows["goods_receipt"]["attainment"])
    by = kefu.clock_attainment(tickets, at, by="business", facts=facts, period="month")
    mall = by[(by["business"] == "mall")]
    assert set(mall["clock"]) == {"initial_assessment", "result_feedback", "return_exchange"}
    assert set(by["period"]) == {"2026-02"}
    with pytest.raises(KeyError, match="give facts= with a 'agent' column"):
        kefu.clock_attainment(tickets, at, by="agent")
    every = kefu.clock_attainment(tickets, at, named_only=False)
    assert {"first_response", "resolution"} <= set(every["clock"])


def test_random_tickets_keep_their_promises(policy):
    # Property (DOM-SLA-10), from Python: random tickets of every business and category, random lifecycle events
    # and milestones; each named clock's due is never before its start (the first event of a running clock is
    # its start, so due >= receipt or the fact start), a snapshot restores to the same ticket, and the share met
    # counts exactly the met and breached clocks.
    import random

    rng = random.Random(20261202)
    vocab = policy.facts
    businesses = [f for f in vocab if f.name == "business"][0].values
    categories = [f for f in vocab if f.name == "category"][0].values
    milestones = ["order_confirmed", "customer_contacted", "manual_review_requested", "refund_approved",
                  "refund_declined", "pickup_arranged", "goods_shipped_back", "goods_received", "refund_completed",
                  "result_fed_back", "return_exchange_completed"]
    tickets = []
    for n in range(60):
        received = cst("2026-09-28T10:00")
        facts = {"ticket_id": f"P-{n}", "business": rng.choice(businesses), "channel": "online",
                 "category": rng.choice(categories), "received_at": received}
        if rng.random() < 0.5:
            facts["ordered_at"] = received - dt.timedelta(minutes=rng.randint(0, 30))
        t = kefu.Ticket(policy, facts)
        at = received
        for _ in range(12):
            at = at + dt.timedelta(minutes=rng.randint(1, 1200))
            if rng.random() < 0.5:
                t.mark(rng.choice(milestones), at, by="m")
            else:
                allowed = t.allowed_events(at)
                if allowed:
                    event = rng.choice(allowed)
                    data: dict[str, object] = {"satisfied": True} if event == "follow_up" else {}
                    if event == "track_improvement":
                        data["note"] = "systemic cause"  # refused without one (DOM-LC-1)
                    t.fire(event, at=at, by="e", **data)
            for name, status in t.sla(at).items():
                if status is not None:
                    assert status.due >= facts.get("ordered_at", received) - dt.timedelta(minutes=30), name
        back = kefu.Ticket.from_json(policy, t.to_json())
        assert back == t and back.to_json() == t.to_json()
        tickets.append(t)
    table = kefu.clock_attainment(tickets, cst("2026-10-20T00:00"))
    assert (table["met"] + table["breached"] + table["open"] == table["started"]).all()
    assert (table["started"] <= table["tickets"]).all()
