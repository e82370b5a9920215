"""Typed use of kefu's main API, as a user's code would write it (#14).

tests/python/test_typing.py runs ``mypy --strict`` and pyright over this file (with the examples and the
documentation's Python blocks): every call here must type-check without a cast or an ignore. It is also
run as a script, so the asserts hold at run time too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

import kefu
import kefu.kpi
from kefu.tickets import read_tickets

CST = dt.timezone(dt.timedelta(hours=8))

# Policy.load takes a str or any os.PathLike (here a pathlib.Path).
policy: kefu.Policy = kefu.Policy.load(Path(kefu.default_rules_dir()))
assert policy.zone.name

# One ticket as a dict: dict[str, object] and dict[str, Any] both type-check (Mapping[str, Any] parameters).
facts: dict[str, object] = {"business": "mall", "channel": "phone", "category": "quality_defect",
                            "claimed_amount": kefu.Money("1500"), "received_at": dt.datetime(2026, 3, 2, 10, tzinfo=CST)}
result: kefu.TriageResult = policy.triage(facts)
assert result.tier == "L3"
first_response: dt.datetime = result.deadlines.first_response.due
assert first_response.tzinfo is not None

# Many tickets as a list of dicts: a list[TriageResult], whatever the dicts' value type.
rows: list[dict[str, Any]] = [dict(facts), {**facts, "category": "consultation", "claimed_amount": None}]
results: list[kefu.TriageResult] = policy.triage(rows)
assert results[0].tier == "L3" and all(r.tier in ("L1", "L2", "L3") for r in results)
typed_rows: list[dict[str, object]] = [facts]
assert len(policy.triage(typed_rows)) == 1

# A DataFrame in, a DataFrame out; the columnar path too.
tickets = [t for t, _ in zip(read_tickets(kefu.default_data_path()), range(50))]
names = {f.name for f in policy.facts}
frame = pd.DataFrame([{k: v for k, v in t.items() if k in names} for t in tickets])
triaged: pd.DataFrame = policy.triage(frame)
columns: pd.DataFrame = policy.triage_columns(frame, threads=1)
assert len(triaged) == len(columns) == 50
assert list(triaged["tier"]) == list(columns["tier"])

# A decision policy (a file of the repository), on a mapping and on a sequence of mappings.
refund = kefu.DecisionPolicy.load(Path(__file__).resolve().parents[2] / "examples" / "policies" / "refund-basic.yaml")
case: dict[str, object] = {"business": "mall", "category": "quality_defect", "days_since_purchase": 3,
                           "claimed_amount": kefu.Money("99.50"), "has_receipt": True}
decision: kefu.Decision = refund.evaluate(case)
assert decision["decision"] == "refund" and decision.rule_id == "REF-QUALITY-7D"
value: kefu._core.FactValue = decision.outputs["reason"]
assert isinstance(value, str)
decisions: list[kefu.Decision] = refund.evaluate([case, {**case, "days_since_purchase": 30}])
assert [d["decision"] for d in decisions] == ["refund", "repair_free"]
assert len(refund.evaluate_columns([case, case])) == 2

# A ticket: open, fire events, read its clocks; datetimes in, aware datetimes out.
ticket = kefu.Ticket(policy, facts, at=dt.datetime(2026, 3, 2, 10), id="T-1")
ticket.triage(dt.datetime(2026, 3, 2, 10, 5), by="alice").start(dt.datetime(2026, 3, 2, 10, 10), by="alice")
clocks = ticket.sla(dt.datetime(2026, 3, 2, 11))
resolution = clocks["resolution"]
assert resolution is not None and resolution.due > dt.datetime(2026, 3, 2, 11, tzinfo=CST)
assert ticket.flags["reopen_count"] == 0
history: pd.DataFrame = ticket.history
assert list(history["event"])[-1] == "start"
restored = kefu.Ticket.from_json(policy, ticket.to_json())
assert restored.state == ticket.state and restored.triage_result is None

# A calendar: adding a duration (text, Duration or timedelta) to a datetime gives a datetime.
calendar: kefu.Calendar = policy.calendar("cn-mainland")
due: dt.datetime = calendar.add(dt.datetime(2026, 2, 13, 17, tzinfo=CST), "3 workdays")
assert due.date() > dt.date(2026, 2, 13)
assert calendar.add(dt.datetime(2026, 2, 13, 17, tzinfo=CST), dt.timedelta(hours=1)) > due - dt.timedelta(days=30)
assert calendar.is_working_day(dt.date(2026, 2, 14)) in (True, False)

# The KPI table of the shipped records.
records = kefu.kpi.read_records(kefu.default_data_path("records.csv"))
by_channel: pd.DataFrame = kefu.kpi.kpis(records, by="channel", targets="default")
assert "frt_mean" in by_channel.columns
evaluated: kefu.kpi.KpiResult = kefu.kpi.evaluate(records, by="channel")
assert evaluated.outcomes.shape[0] == by_channel.shape[0]
