"""Synthetic event logs for synthetic tickets: how agents might have worked them (for ``kefu demo``, the
lifecycle benchmark and tests). Deterministic: the same tickets and seed always give the same log.

Each ticket is triaged, started, maybe waits on the customer or on another department, is resolved, and
closes after the follow-up visit (L2, or any ticket whose triage requires one: an e-commerce complaint) or the
written report (L3) its tier demands, and a critical one after its level-1 upward report (一级上报, DOM-LC-8); a
few are cancelled,
a few follow-ups find the problem unsolved and reopen the ticket, and a few agents are slow enough to
breach a deadline. Events after ``until`` are left out, so late tickets are still open.

With ``milestones=True`` the log also records milestones of the named clocks (rules/clocks.yaml, DOM-SLA-10)
as ``mark`` rows: the result fed back to the customer after the resolution, and for e-commerce returns and
refunds approval, pickup, goods shipped back and received, refund paid; for returns and exchanges their
completion after the resolution. They come from their own random
stream, so the lifecycle events are the same with or without them.
"""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["simulate_events"]

_H = _dt.timedelta(hours=1)
_M = _dt.timedelta(minutes=1)
# Typical wall hours to first response and to resolution per tier (DOM-ESC-1's targets are 1/24, 2/48, 24/168).
_RESPOND_H = {"L1": 0.3, "L2": 0.6, "L3": 8.0}
_RESOLVE_H = {"L1": 12.0, "L2": 30.0, "L3": 96.0}
_AGENTS = [f"A{n:03d}" for n in range(1, 41)]


def simulate_events(
    tickets: Sequence[Mapping[str, Any]],
    tiers: Sequence[Any],
    *,
    seed: int = 20261123,
    until: _dt.datetime | None = None,
    milestones: bool = False,
) -> list[dict[str, Any]]:
    """One list of event dicts (ticket_id, at, event, by, note, tier, satisfied) for all ``tickets``;
    ``tiers`` gives each ticket's triaged tier (e.g. from ``policy.triage``), or its whole triage result: then the
    follow-up is made when the triage requires one (not only at L2) and a critical ticket makes its level-1 report,
    as a ticket opened from the policy needs before it closes. ``milestones``: add
    ``mark`` rows (with a ``milestone`` key) for the named clocks of the shipped rules."""
    if len(tiers) != len(tickets):
        raise ValueError(f"tiers has {len(tiers)} entries for {len(tickets)} tickets")
    log: list[dict[str, Any]] = []
    for index, (facts, given) in enumerate(zip(tickets, tiers)):
        if isinstance(given, str):
            tier, follow_up, report = given, given == "L2", False
        else:  # a triage result
            tier, follow_up = given.tier, given.follow_up_required
            report = given.risk.level == "critical" or any(a.code == "report_level_1" for a in given.actions)
        rng = random.Random(seed * 1_000_003 + index)
        tid = facts["ticket_id"]
        agent = rng.choice(_AGENTS)
        t: _dt.datetime = facts["received_at"]
        events: list[dict[str, Any]] = []

        def add(event: str, after: _dt.timedelta, by: str = agent, **data: Any) -> None:
            nonlocal t
            t = t + _dt.timedelta(seconds=max(1, int(after.total_seconds())))  # kefu keeps whole seconds
            events.append({"ticket_id": tid, "at": t, "event": event, "by": by, "note": data.pop("note", ""),
                           "tier": data.pop("tier", None), "satisfied": data.pop("satisfied", None)})

        add("triage", rng.randint(1, 20) * _M, by="intake", tier=tier)
        if rng.random() < 0.03:
            add("cancel", rng.randint(5, 120) * _M, note="customer withdrew the complaint")
        else:
            # A slow first response now and then (1 in 12 breaches its target).
            slow = 3.0 if rng.random() < 1 / 12 else 1.0
            add("start", _dt.timedelta(hours=rng.expovariate(1 / (_RESPOND_H[tier] * slow))))
            if report:
                add("report_level_1", _dt.timedelta(minutes=20), by="supervisor", note="已告知项目管理层")
            work = _RESOLVE_H[tier] * (2.5 if rng.random() < 0.08 else 1.0)
            if rng.random() < 0.3:
                add("request_info", _dt.timedelta(hours=rng.uniform(0.1, 0.3) * work), note="photos and order number")
                add("customer_reply", _dt.timedelta(hours=rng.uniform(1, 30)), by="customer")
            if rng.random() < 0.15:
                add("hand_off", _dt.timedelta(hours=rng.uniform(0.1, 0.2) * work),
                    note=rng.choice(["logistics", "QC", "product", "legal"]))
                add("internal_reply", _dt.timedelta(hours=rng.uniform(1, 20)), by="backoffice")
            add("resolve", _dt.timedelta(hours=rng.uniform(0.3, 0.8) * work))
            if tier == "L3":
                add("attach_report", _dt.timedelta(hours=rng.uniform(2, 24)), note="written handling report")
            if follow_up:
                if rng.random() < 0.1:
                    add("follow_up", _dt.timedelta(hours=rng.uniform(20, 60)), by="callback", satisfied=False,
                        note="still not solved")
                    add("resolve", _dt.timedelta(hours=rng.uniform(2, 24)))
                add("follow_up", _dt.timedelta(hours=rng.uniform(4, 90)), by="callback", satisfied=True)
            add("close", _dt.timedelta(hours=rng.uniform(0.1, 4)))
        if milestones:
            events.extend(_milestones(facts, events, agent, random.Random(seed * 7_000_003 + index)))
        log.extend(e for e in events if until is None or e["at"] <= until)
    return log


_REFUND_CATEGORIES = {"refund_request", "quality_defect", "expiry", "wrong_item", "damaged_in_delivery"}


def _milestones(facts: Mapping[str, Any], events: list[dict[str, Any]], agent: str,
                rng: random.Random) -> list[dict[str, Any]]:
    """Milestone rows for one ticket's events (see the module's docstring), each after the event it follows."""
    out: list[dict[str, Any]] = []

    def mark(name: str, at: _dt.datetime, by: str = agent) -> _dt.datetime:
        at = at.replace(microsecond=0)
        out.append({"ticket_id": facts["ticket_id"], "at": at, "event": "mark", "by": by, "note": "",
                    "tier": None, "satisfied": None, "milestone": name})
        return at

    by_event = {e["event"]: e["at"] for e in reversed(events)}  # the first of each
    if facts.get("business") == "ecommerce" and facts.get("category") in _REFUND_CATEGORIES and "triage" in by_event:
        t = mark("refund_approved", by_event["triage"] + _dt.timedelta(hours=rng.uniform(0.2, 3)))
        t = mark("pickup_arranged", t + _dt.timedelta(hours=rng.expovariate(1 / 10)))
        t = mark("goods_shipped_back", t + _dt.timedelta(hours=rng.uniform(2, 40)), by="customer")
        t = mark("goods_received", t + _dt.timedelta(hours=rng.expovariate(1 / 20)), by="warehouse")
        mark("refund_completed", t + _dt.timedelta(hours=rng.expovariate(1 / 24)), by="finance")
    if "resolve" in by_event:
        mark("result_fed_back", by_event["resolve"] + _dt.timedelta(hours=rng.expovariate(1 / 10)))
        if facts.get("category") in _REFUND_CATEGORIES:
            mark("return_exchange_completed", by_event["resolve"] + _dt.timedelta(hours=rng.expovariate(1 / 40)))
    return out
