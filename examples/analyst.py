"""An analyst's script: a month of tickets triaged, their deadlines, and the teams' KPIs against the handbooks'
targets — the Python counterpart of examples/cpp (run: ``python examples/analyst.py``; ``make test`` runs it).

分析员脚本：读取工单、批量分诊、查看截止时间，并按团队与月份对照手册目标计算 KPI。
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import kefu
import kefu.kpi as kk

DATA = Path(__file__).resolve().parent / "data"


def main() -> None:
    policy = kefu.default_policy()                      # load once, share it (immutable)

    # 1. Tickets as the file has them: phone numbers keep their leading zeros, amounts stay exact.
    tickets = kefu.read_tickets(DATA / "tickets.csv")
    triaged = policy.triage(tickets)                    # one row per ticket, the file's index; lists stay lists
    print(f"{len(triaged)} tickets triaged")
    print(triaged.groupby("tier")["resolution_due"].count().rename("tickets").to_string())

    # 2. Who owns what, and which actions the rules ask for (DOM-RISK-4): lists explode into rows.
    actions = triaged.explode("actions").dropna(subset=["actions"])
    print(actions["actions"].value_counts().head(5).to_string())

    # 3. Deadlines are aware datetimes in the calendar's zone (+08:00); a Spring Festival ticket waits longer.
    late = triaged[triaged["resolution_due"] >= pd.Timestamp("2026-02-15T00:00:00+08:00")]
    print(f"{len(late)} tickets due on or after the 2026 Spring Festival")

    # 4. KPIs per team and month against the shipped targets (DOM-KPI-1, DOM-KPI-7); periods are local midnights.
    records = kk.read_records(DATA / "records.csv")
    result = kk.evaluate(records, by="team", period="month")
    march = result.outcomes.xs(pd.Timestamp("2026-03-01T00:00:00+08:00"), level="period")
    print(march[["fcr_rate", "satisfied_rate"]].to_string())

    # 5. The month's service stars (002 §7.3) and the agents the scorecard sends to retraining (000 Table 1).
    stars = kk.service_stars(records)
    print(stars[stars["period"] == stars["period"].max()].to_string(index=False))
    card = kk.scorecard(records, "monthly", pd.read_csv(DATA / "agent_inputs.csv"))
    latest = card.xs(card.index.get_level_values("period").max(), level="period")
    print("retrain:", sorted(latest.index[latest["retrain"]]))


if __name__ == "__main__":
    main()
