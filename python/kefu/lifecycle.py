"""Ticket lifecycles in bulk: replay many tickets' event logs in one call, and summarise their SLA clocks.

    tickets = kefu.replay(policy, facts, events)          # list of kefu.Ticket, in the order of `facts`
    table = kefu.lifecycle_summary(tickets, at=as_of)     # one row per ticket: state, tier, each clock

``facts`` are the ticket facts (a pandas DataFrame or a list of dicts, each with ``ticket_id`` and
``received_at``). ``events`` is the event log (a DataFrame or a list of dicts) with the columns
``ticket_id``, ``at``, ``event``, ``by`` and optionally ``note``, ``tier`` (for ``triage``) and
``satisfied`` (for ``follow_up``). Each ticket's events are applied in time order (ties keep the log's
order). The first event a ticket does not accept raises :class:`kefu.TransitionError` naming the ticket
and the row, and no ticket is returned.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from ._core import Policy, Ticket, TicketPlan, _replay

_EVENT_COLUMNS = ("ticket_id", "at", "event", "by")
_OPTIONAL_COLUMNS = ("note", "tier", "satisfied")
_CLOCKS = ("first_response", "resolution", "follow_up")


def _is_frame(x: Any) -> bool:
    return hasattr(x, "columns") and hasattr(x, "to_dict")


def _instants(values: Any, policy: Policy) -> Any:
    """A datetime64 column as int64 nanoseconds since the epoch (naive = the policy's local time);
    anything else goes to C++ as it is (datetimes, converted there)."""
    import pandas as pd

    if isinstance(values, pd.Series) and pd.api.types.is_datetime64_any_dtype(values.dtype):
        if values.isna().any():
            raise TypeError(f"events row {int(values.isna().to_numpy().argmax())}: column 'at' is missing")
        if getattr(values.dtype, "tz", None) is not None:
            return values.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[ns]").astype(np.int64)
        offset_ns = int(policy.zone.offset.total_seconds()) * 1_000_000_000
        return values.to_numpy("datetime64[ns]").astype(np.int64) - offset_ns
    return values.to_numpy(dtype=object) if hasattr(values, "to_numpy") else values


def replay(
    policy: Policy,
    facts: Any,
    events: Any,
    *,
    plan: TicketPlan | None = None,
    received_by: str = "system",
) -> list[Ticket]:
    """Open every ticket of ``facts`` and replay its events from ``events``; the work runs in C++ with the
    GIL released. Each ticket is triaged and held to ``policy``'s terms for its facts, or, with ``plan``,
    to that one plan (the facts are then not triaged: only ``ticket_id`` and ``received_at`` are read,
    and ``triage_result`` is None)."""
    rows: Sequence[Mapping[str, Any]] = facts.to_dict("records") if _is_frame(facts) else list(facts)
    if _is_frame(events):
        missing = [c for c in _EVENT_COLUMNS if c not in events.columns]
        unknown = [c for c in events.columns if c not in _EVENT_COLUMNS + _OPTIONAL_COLUMNS]
        cols = {c: events[c] for c in events.columns}
        n = len(events)
    else:
        log = list(events)
        n = len(log)
        present: set[str] = set()
        for i, e in enumerate(log):
            if not isinstance(e, Mapping):
                raise TypeError(f"events row {i}: expected a dict, got {type(e).__name__}")
            present.update(e.keys())
        missing = [c for c in _EVENT_COLUMNS if c not in present and n]
        unknown = [c for c in present if c not in _EVENT_COLUMNS + _OPTIONAL_COLUMNS]
        cols = {c: [e.get(c) for e in log] for c in present}
    if unknown:
        raise TypeError(f"events: unknown column(s) {', '.join(sorted(unknown))} (columns are "
                        f"{', '.join(_EVENT_COLUMNS + _OPTIONAL_COLUMNS)})")
    if missing and n:
        raise TypeError(f"events: missing column(s) {', '.join(missing)}")
    at = _instants(cols["at"], policy) if n else []

    def column(name: str) -> Any:
        c = cols.get(name)
        return c.to_numpy(dtype=object) if hasattr(c, "to_numpy") else c

    return _replay(policy, rows, column("ticket_id") if n else [], at, column("event"), column("by"),
                   column("note"), column("tier"), column("satisfied"), plan, received_by)


def lifecycle_summary(tickets: Iterable[Ticket], at: _dt.datetime) -> Any:
    """One row per ticket as of ``at``: id, state, tier, events, reopen count, and for each clock its
    due instant and state (met, breached, running, paused, or None when the ticket has no such clock)."""
    import pandas as pd

    records = []
    for t in tickets:
        row: dict[str, Any] = {
            "ticket_id": t.id,
            "state": t.state,
            "tier": t.tier,
            "events": len(t),
            "reopened": t.flags["reopen_count"],
        }
        for name, status in t.sla(at).items():
            row[f"{name}_due"] = None if status is None else status.due
            row[f"{name}_state"] = None if status is None else status.state
        records.append(row)
    columns = ["ticket_id", "state", "tier", "events", "reopened"] + [
        f"{c}_{k}" for c in _CLOCKS for k in ("due", "state")
    ]
    return pd.DataFrame.from_records(records, columns=columns)
