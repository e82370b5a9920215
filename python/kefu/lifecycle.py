"""Ticket lifecycles in bulk: replay many tickets' event logs in one call, and summarise their SLA clocks.

    tickets = kefu.replay(policy, facts, events)          # list of kefu.Ticket, in the order of `facts`
    table = kefu.lifecycle_summary(tickets, at=as_of)     # one row per ticket: state, tier, each clock
    kefu.clock_attainment(tickets, at=as_of)              # per clock: share met on time (DOM-SLA-10, KPI-7)

``facts`` are the ticket facts (a pandas DataFrame or a list of dicts, each with ``ticket_id`` and
``received_at``). ``events`` is the event log (a DataFrame or a list of dicts) with the columns
``ticket_id``, ``at``, ``event``, ``by`` and optionally ``note``, ``tier`` and ``reason`` (for ``triage``:
a tier below the one the policy decided needs a reason), ``satisfied`` (for ``follow_up``) and ``milestone``
(for event ``mark``, which records a milestone of the policy's named clocks, DOM-SLA-10). Each ticket's
events are applied in time order (ties keep the log's order). The first event a ticket does not accept raises :class:`kefu.TransitionError` naming the ticket
and the row, and no ticket is returned.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Union

import numpy as np

from ._core import Policy, Ticket, TicketPlan, _replay

if TYPE_CHECKING:
    import pandas as pd

    #: Rows given as a DataFrame or as dicts of column → value (one per ticket or event).
    Rows = Union[pd.DataFrame, Iterable[Mapping[str, Any]]]

__all__ = ["lifecycle_summary", "replay"]

_EVENT_COLUMNS = ("ticket_id", "at", "event", "by")
_OPTIONAL_COLUMNS = ("note", "tier", "satisfied", "reason", "milestone")
_CLOCKS = ("first_response", "resolution", "follow_up")


def _is_frame(x: Any) -> bool:
    return hasattr(x, "columns") and hasattr(x, "to_dict")


def _instants(values: Any, policy: Policy, what: str, column: str) -> Any:
    """A datetime64 column as int64 nanoseconds since the epoch (naive = the policy's local time);
    anything else goes to C++ as objects (datetimes, converted there)."""
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        if values.isna().any():
            raise TypeError(f"{what} row {int(values.isna().to_numpy().argmax())}: column '{column}' is missing")
        if getattr(values.dtype, "tz", None) is not None:
            return values.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[ns]").astype(np.int64)
        offset_ns = int(policy.zone.offset.total_seconds()) * 1_000_000_000
        return values.to_numpy("datetime64[ns]").astype(np.int64) - offset_ns
    return values.to_numpy(dtype=object)


def replay(
    policy: Policy,
    facts: Rows,
    events: Rows,
    *,
    plan: TicketPlan | None = None,
    received_by: str = "system",
) -> list[Ticket]:
    """Open every ticket of ``facts`` and replay its events from ``events``; the work runs in C++ with the
    GIL released. Each ticket is triaged and held to ``policy``'s terms for its facts, or, with ``plan``,
    to that one plan (the facts are then not triaged: only ``ticket_id`` and ``received_at`` are read,
    and ``triage_result`` is None)."""
    if _is_frame(facts):
        if plan is None:
            tickets: Any = facts.to_dict("records")
        else:
            missing = [c for c in ("ticket_id", "received_at") if c not in facts.columns]
            if missing:
                raise TypeError(f"tickets: missing column(s) {', '.join(missing)}")
            tickets = {"ticket_id": facts["ticket_id"].to_numpy(dtype=object),
                       "received_at": _instants(facts["received_at"], policy, "tickets", "received_at")}
    else:
        tickets = facts if isinstance(facts, list) else list(facts)
    if _is_frame(events):
        missing = [c for c in _EVENT_COLUMNS if c not in events.columns]
        unknown = [str(c) for c in events.columns if c not in _EVENT_COLUMNS + _OPTIONAL_COLUMNS]
        if unknown:
            raise TypeError(f"events: unknown column(s) {', '.join(sorted(unknown))} (columns are "
                            f"{', '.join(_EVENT_COLUMNS + _OPTIONAL_COLUMNS)})")
        if missing and len(events):
            raise TypeError(f"events: missing column(s) {', '.join(missing)}")
        log: Any = {c: (_instants(events[c], policy, "events", "at") if c == "at" else events[c].to_numpy(dtype=object))
                    for c in events.columns}
    else:
        log = events if isinstance(events, list) else list(events)
    return _replay(policy, tickets, log, plan, received_by)


def lifecycle_summary(tickets: Iterable[Ticket], at: _dt.datetime) -> pd.DataFrame:
    """One row per ticket as of ``at``: id, state, tier, events, reopen count, the upward report made (0, 1, 2;
    DOM-LC-8), the improvement items recorded (DOM-LC-1: their sum is the count a supervisor scorecard's
    improvement actions start from, DOM-KPI-3), and for each clock its due instant and state (met, breached,
    running, paused, or None when the ticket has no such clock)."""
    import pandas as pd

    records = []
    for t in tickets:
        row: dict[str, Any] = {
            "ticket_id": t.id,
            "state": t.state,
            "tier": t.tier,
            "events": len(t),
            "reopened": t.flags["reopen_count"],
            "reported": t.flags["reported"],
            "improvements": t.flags["improvements"],
        }
        for name, status in t.sla(at).items():
            row[f"{name}_due"] = None if status is None else status.due
            row[f"{name}_state"] = None if status is None else status.state
        records.append(row)
    columns = ["ticket_id", "state", "tier", "events", "reopened", "reported", "improvements"] + [
        f"{c}_{k}" for c in _CLOCKS for k in ("due", "state")
    ]
    return pd.DataFrame.from_records(records, columns=columns)


_PERIODS = {"day": "D", "week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}


def clock_attainment(tickets: Iterable[Ticket], at: _dt.datetime, by: str | Iterable[str] | None = None,
                     facts: Any = None, period: str | None = None, named_only: bool = True) -> Any:
    """Per clock, how many tickets met it on time (DOM-SLA-10, DOM-KPI-7): one row per clock (and group) with
    ``tickets`` (that have the clock), ``started``, ``met``, ``breached`` (stopped late, or still running past
    its due at ``at``), ``open`` (running or paused, not yet due) and ``attainment`` = met / (met + breached)
    (NaN when none is decided). ``by`` groups by ticket attributes (``tier``, ``state``) or by columns of
    ``facts`` (a DataFrame or list of dicts with ``ticket_id``: ``category``, ``channel``, ``business``,
    ``agent``, ``team`` …); ``period`` (day, week, month, quarter, year) groups by the local date of each
    ticket's receipt. ``named_only=False`` includes the three built-in clocks."""
    import pandas as pd

    keys = [by] if isinstance(by, str) else list(by or [])
    fact_rows: dict[str, dict[str, Any]] = {}
    if facts is not None:
        records = facts.to_dict("records") if _is_frame(facts) else list(facts)
        fact_rows = {str(r["ticket_id"]): r for r in records}
    rows = []
    for t in tickets:
        group: dict[str, Any] = {}
        for k in keys:
            if k in ("tier", "state", "policy_tier"):
                group[k] = getattr(t, k)
            elif t.id in fact_rows and k in fact_rows[t.id]:
                group[k] = fact_rows[t.id][k]
            else:
                raise KeyError(f"clock_attainment: no '{k}' for ticket {t.id} (give facts= with a '{k}' column, "
                               f"or group by tier or state)")
        if period is not None:
            if period not in _PERIODS:
                raise ValueError(f"unknown period '{period}' (expected {', '.join(_PERIODS)})")
            group["period"] = str(pd.Timestamp(t.received.replace(tzinfo=None)).to_period(_PERIODS[period]))
        for name, status in t.sla(at).items():
            if named_only and name in _CLOCKS:
                continue
            if name in _CLOCKS and status is None:
                continue  # a built-in clock the ticket's tier does not have
            state = None if status is None else status.state
            rows.append({**group, "clock": name, "started": state is not None,
                         "met": state == "met", "breached": state == "breached",
                         "open": state in ("running", "paused")})
    group_cols = keys + (["period"] if period is not None else []) + ["clock"]
    columns = group_cols + ["tickets", "started", "met", "breached", "open", "attainment"]
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows)
    out = frame.groupby(group_cols, sort=False).agg(
        tickets=("clock", "size"), started=("started", "sum"), met=("met", "sum"),
        breached=("breached", "sum"), open=("open", "sum")).reset_index()
    decided = out["met"] + out["breached"]
    out["attainment"] = (out["met"] / decided.where(decided > 0)).astype(float)
    return out[columns]
