#!/usr/bin/env python3
"""Deterministic generator of kefu's synthetic ticket *records* (the input of the KPIs, docs/kpis.md).

One record per ticket of ``examples/data/tickets.csv`` (same ``ticket_id``, ``channel``, ``category``
and ``created_at`` = the ticket's ``received_at``), handled by one of 24 agents in 4 teams over
Dec 2025 – Mar 2026, with the KPI columns: first response and resolution instants, handling time,
responses, contacts, escalation, reopening, CSAT, NPS, QC score and the optional flags. Two agents are
"stars" (fast, first-contact, top CSAT), one is often the subject of upheld complaints. Also writes
the scorecard inputs that do not come from tickets: ``agent_inputs.csv`` (target workload, exam score,
leads, manager's attitude score, commendations per agent and month) and ``team_inputs.csv``
(improvement actions planned and done). No personal data: agents are staff ids.

Standard library + numpy; one ``numpy.random.default_rng(seed)`` drives everything, so the same seed
gives byte-identical files. ``synthetic(n, seed)`` builds n records as numpy columns in memory (the
10 M-row benchmarks use it; they never write files).

    python3 examples/generate_records.py [--seed 20260107] [--out-dir examples/data]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = REPO_ROOT / "examples" / "data"
DEFAULT_SEED = 20260107
TZ = dt.timezone(dt.timedelta(hours=8))

TEAMS = {
    "hotline": ["phone"],
    "online": ["online", "wecom", "social"],
    "aftersales": ["email", "store", "merchant_platform"],
    "fresh": ["online", "phone"],
}
AGENTS_PER_TEAM = 6
STARS = {"A07", "A14"}
TROUBLE = {"A20"}
MONTHS = ["2025-12", "2026-01", "2026-02", "2026-03"]

#: Median first response (s), seconds per response, handling (s) per channel.
CHANNEL_TIMES = {
    "online": (14, 55, 420), "phone": (9, 40, 330), "email": (2400, 1800, 1500), "wecom": (45, 70, 600),
    "social": (300, 120, 700), "merchant_platform": (1800, 300, 900), "store": (60, 90, 480),
}

COLUMNS = [
    "ticket_id", "agent", "team", "channel", "category", "created_at", "first_response_at", "resolved_at",
    "handle_seconds", "responses", "response_seconds", "contacts", "escalated", "reopened", "csat", "nps",
    "qc_score", "repurchased_30d", "script_compliant", "record_complete", "complaint_upheld", "queue_seconds",
]

#: Median queue wait (s) per channel, before an agent takes the contact; email and merchant messages are not
#: queued live (no wait measured). Drawn from a generator of its own (seed + 3), so the other columns are
#: those of the records before queue waits were added.
QUEUE_MEDIAN = {"online": 20, "phone": 35, "wecom": 40, "social": 60, "store": 25}


def agents() -> list[tuple[str, str]]:
    """(agent id, team) for the 24 agents."""
    out = []
    k = 1
    for team in TEAMS:
        for _ in range(AGENTS_PER_TEAM):
            out.append((f"A{k:02d}", team))
            k += 1
    return out


def _assign(rng: np.random.Generator, channel: str) -> tuple[str, str]:
    teams = [t for t, chans in TEAMS.items() if channel in chans]
    team = teams[int(rng.integers(len(teams)))]
    members = [a for a, t in agents() if t == team]
    return members[int(rng.integers(len(members)))], team


def _lognormal(rng: np.random.Generator, median: float, sigma: float) -> float:
    return float(median * np.exp(sigma * rng.standard_normal()))


def record(rng: np.random.Generator, ticket_id: str, channel: str, category: str, created: dt.datetime) -> dict[str, Any]:
    agent, team = _assign(rng, channel)
    star, trouble = agent in STARS, agent in TROUBLE
    speed = 0.45 if star else (1.6 if trouble else 1.0)
    frt_median, per_response, handle_median = CHANNEL_TIMES[channel]
    answered = star or rng.random() > 0.004
    frt = max(1, round(_lognormal(rng, frt_median * speed, 0.7))) if answered else None
    responses = 1 + int(rng.poisson(2.5)) if answered else 0
    response_seconds = sum(max(1, round(_lognormal(rng, per_response * speed, 0.6))) for _ in range(responses))
    handle = max(30, round(_lognormal(rng, handle_median * speed, 0.5)))
    resolved = answered and rng.random() < (0.99 if star else 0.94)
    resolution = handle + (frt or 0) + round(rng.exponential(4 * 3600 if not star else 1800))
    contacts = 1 if rng.random() < (0.97 if star else 0.86) else 2 + int(rng.integers(2))
    escalated = int(rng.random() < (0.01 if star else 0.06))
    reopened = int(resolved and rng.random() < (0.005 if star else 0.04))
    csat = None
    if rng.random() < (0.9 if star else 0.8):
        p = [0.0, 0.0, 0.02, 0.06, 0.92] if star else [0.04, 0.05, 0.12, 0.32, 0.47]
        csat = int(rng.choice(5, p=p)) + 1
    nps = None
    if rng.random() < 0.5:
        w = np.array([1, 1, 1, 1, 1, 2, 3, 6, 10, 20, 30 if star else 14], dtype=float)
        nps = int(rng.choice(11, p=w / w.sum()))
    qc = None
    if rng.random() < 0.25:
        qc = float(np.clip(np.round(rng.normal(93 if star else 82, 4 if star else 10) * 2) / 2, 0, 100))
    complaint = category in {"service_attitude", "billing_error", "wrong_item", "late_delivery"}
    upheld = int(rng.random() < 0.3) if trouble else int(complaint and rng.random() < 0.15)
    first = created + dt.timedelta(seconds=frt) if frt is not None else None
    closed = created + dt.timedelta(seconds=resolution) if resolved else None
    return {
        "ticket_id": ticket_id, "agent": agent, "team": team, "channel": channel, "category": category,
        "created_at": created.isoformat(), "first_response_at": first.isoformat() if first else "",
        "resolved_at": closed.isoformat() if closed else "", "handle_seconds": handle, "responses": responses,
        "response_seconds": response_seconds, "contacts": contacts, "escalated": escalated, "reopened": reopened,
        "csat": "" if csat is None else csat, "nps": "" if nps is None else nps, "qc_score": "" if qc is None else qc,
        "repurchased_30d": int(rng.random() < (0.5 if star else 0.36)),
        "script_compliant": int(rng.random() < (0.995 if star else 0.95)),
        "record_complete": int(rng.random() < (0.999 if star else 0.985)),
        "complaint_upheld": upheld,
    }


def generate(seed: int = DEFAULT_SEED, tickets: Path = DATA / "tickets.csv") -> list[dict[str, Any]]:
    rng = np.random.default_rng(seed)
    out = []
    with tickets.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            created = dt.datetime.fromisoformat(row["received_at"]).astimezone(TZ)
            out.append(record(rng, row["ticket_id"], row["channel"], row["category"], created))
    queue = np.random.default_rng(seed + 3)
    for r in out:
        median = QUEUE_MEDIAN.get(r["channel"])
        r["queue_seconds"] = round(_lognormal(queue, median, 1.0), 1) if median is not None else ""
    return out


def agent_inputs(seed: int) -> list[dict[str, Any]]:
    rng = np.random.default_rng(seed + 1)
    rows = []
    for agent, team in agents():
        star = agent in STARS
        for month in MONTHS:
            rows.append({
                "agent": agent, "month": month, "target_workload": 30 if team != "aftersales" else 20,
                "exam_score": int(np.clip(rng.normal(95 if star else 78, 4 if star else 10), 0, 100)),
                "leads_submitted": int(rng.integers(3, 13)), "leads_converted_last_month": int(rng.integers(0, 12)),
                "attitude_score": int(np.clip(rng.normal(9 if star else 7.5, 1), 0, 10)),
                "commendations": int(rng.poisson(2.5 if star else 0.4)),
            })
    return rows


def team_inputs(seed: int) -> list[dict[str, Any]]:
    rng = np.random.default_rng(seed + 2)
    rows = []
    for team in TEAMS:
        for month in MONTHS:
            planned = int(rng.integers(3, 8))
            rows.append({"team": team, "month": month, "improvements_planned": planned,
                         "improvements_done": int(rng.integers(1, planned + 1))})
    return rows


def synthetic(n: int, seed: int = 1) -> dict[str, Any]:
    """n records as numpy columns (vectorised; for benchmarks). Labels are int32 codes with
    ``<name>_labels`` lists; instants are datetime64[ns]."""
    rng = np.random.default_rng(seed)
    channels = list(CHANNEL_TIMES)
    start = np.datetime64("2025-12-01T00:00:00", "s") - np.timedelta64(8, "h")
    created = start + rng.integers(0, 121 * 86400, n).astype("timedelta64[s]")
    ch = rng.integers(0, len(channels), n).astype(np.int32)
    frt_median = np.array([CHANNEL_TIMES[c][0] for c in channels], dtype=float)[ch]
    frt = np.maximum(1, np.round(frt_median * np.exp(0.7 * rng.standard_normal(n)))).astype("timedelta64[s]")
    answered = rng.random(n) > 0.004
    first = np.where(answered, created + frt, np.datetime64("NaT"))
    handle = np.maximum(30, np.round(300 * np.exp(0.5 * rng.standard_normal(n))))
    resolved_ok = answered & (rng.random(n) < 0.94)
    resolution = (handle + rng.exponential(4 * 3600, n)).astype("timedelta64[s]")
    resolved = np.where(resolved_ok, created + resolution, np.datetime64("NaT"))
    responses = np.where(answered, 1 + rng.poisson(2.5, n), 0).astype(np.int64)
    csat = np.where(rng.random(n) < 0.8, rng.choice(np.arange(1, 6), n, p=[0.04, 0.05, 0.12, 0.32, 0.47]), np.nan)
    nps = np.where(rng.random(n) < 0.5, rng.integers(0, 11, n), np.nan)
    qc = np.where(rng.random(n) < 0.25, np.clip(np.round(rng.normal(82, 10, n) * 2) / 2, 0, 100), np.nan)
    return {
        "agent": rng.integers(0, 200, n).astype(np.int32), "agent_labels": [f"A{k:03d}" for k in range(200)],
        "team": rng.integers(0, 10, n).astype(np.int32), "team_labels": [f"team{k}" for k in range(10)],
        "channel": ch, "channel_labels": channels,
        "category": rng.integers(0, 26, n).astype(np.int32), "category_labels": [f"cat{k:02d}" for k in range(26)],
        "created_at": created.astype("datetime64[ns]"), "first_response_at": first.astype("datetime64[ns]"),
        "resolved_at": resolved.astype("datetime64[ns]"), "handle_seconds": handle,
        "responses": responses, "response_seconds": responses * 50.0, "contacts": 1 + (rng.random(n) < 0.12).astype(np.int64),
        "escalated": rng.random(n) < 0.05, "reopened": rng.random(n) < 0.04, "csat": csat, "nps": nps, "qc_score": qc,
    }


def _write(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main() -> None:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--out-dir", type=Path, default=DATA)
    a = p.parse_args()
    a.out_dir.mkdir(parents=True, exist_ok=True)
    records = generate(a.seed)
    _write(a.out_dir / "records.csv", records, COLUMNS)
    ai = agent_inputs(a.seed)
    _write(a.out_dir / "agent_inputs.csv", ai, list(ai[0]))
    ti = team_inputs(a.seed)
    _write(a.out_dir / "team_inputs.csv", ti, list(ti[0]))
    print(f"wrote {len(records)} records, {len(ai)} agent-months, {len(ti)} team-months to {a.out_dir}")


if __name__ == "__main__":
    main()
