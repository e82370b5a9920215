"""``kefu demo``: the main job on the embedded default data.

Loads the shipped rules directory and the synthetic tickets, and prints what kefu can tell about
them. Personal data is masked (DOM-PRIV-1).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

import datetime as _dt

from . import __version__, default_data_path, default_rules_dir, scan_rules
from ._core import Calendar, Money, Policy, mask_name, mask_phone, mask_text
from .tickets import read_tickets, received_local_date


def _table(out: TextIO, title: str, counts: Counter[str], total: int, limit: int | None = None) -> None:
    out.write(f"  {title}:\n")
    rows = counts.most_common(limit)
    width = max([20] + [len(key) for key, _ in rows])
    for key, n in rows:
        out.write(f"    {key:<{width}} {n:>6}  {100.0 * n / total:5.1f}%\n")


def run(rules_dir: str | Path | None = None, tickets: str | Path | None = None, out: TextIO = sys.stdout,
        html: str | Path | None = None) -> int:
    rules_path = Path(rules_dir) if rules_dir else default_rules_dir()
    tickets_path = Path(tickets) if tickets else default_data_path("tickets.csv")
    out.write(f"kefu {__version__} — demo on the embedded default data\n\n")

    documents = scan_rules(rules_path)
    out.write(f"Rules in {rules_path}: {len(documents)} documents\n")
    for doc in documents:
        out.write(f"  {doc.kind:<10} {doc.name:<24} {doc.path:<36} {doc.entries:>5} entries\n")

    rows = list(read_tickets(tickets_path))
    if not rows:
        out.write(f"\nNo tickets in {tickets_path}\n")
        return 0
    total = len(rows)
    dates = sorted(received_local_date(t) for t in rows)
    out.write(f"\nTickets in {tickets_path}: {total}, received {dates[0]} … {dates[-1]} (+08:00)\n")
    for column, limit in (("business", None), ("channel", None), ("category", 8)):
        _table(out, f"by {column}" + (f" (top {limit})" if limit else ""), Counter(t[column] for t in rows), total, limit)

    claimed = [t["claimed_amount"] for t in rows if t.get("claimed_amount") is not None]
    limit = Money(1000)
    over = sum(1 for m in claimed if m > limit)
    out.write(
        f"  claimed amounts (exact, in fen): total {sum(claimed, Money(0)).display()}, "
        f"largest {max(claimed).display()}, over ¥1,000.00: {over}\n"
    )

    _spring_festival_deadlines(rows, out)
    policy, results = _triage(rules_path, rows, out)
    _horizon(policy, rows, out)
    _lifecycles(policy, rows, results, out)

    out.write("\nFirst tickets (personal data masked, DOM-PRIV-1):\n")
    for t in rows[:5]:
        text = t["text"] if len(t["text"]) <= 30 else t["text"][:29] + "…"
        out.write(
            f"  {t['ticket_id']}  {mask_name(t.get('customer_name') or ''):<4} "
            f"{mask_phone(t.get('customer_phone') or ''):<12} {t['business']:<13} {t['category']:<18} {text}\n"
        )

    # KPIs and scorecards of the same tickets' service records (docs/requirements.md §8).
    from . import report

    out.write("\n")
    if html:
        Path(html).parent.mkdir(parents=True, exist_ok=True)
    # A rules directory given on the command line brings its own KPI targets and scorecard (the policy loaded
    # above holds them: the directory is not loaded a second time).
    report.run(None, None, html, out, rules_dir=policy if rules_dir else None)
    return 0


# The handbooks' clocks (DOM-SLA-1): wall hours, opening time and working days.
_DEADLINES = (
    ("first response 24h", "always", "24h"),          # 000 §8.1.2 b
    ("complaint 2 business h", "cn-office", "2 business hours"),  # 002 §6.4
    ("close 3 workdays", "cn-mainland", "3 workdays"),  # 000 §8.1.2 a
    ("L3 7 workdays", "cn-mainland", "7 workdays"),     # 002 §3.3.2
)


def _close_text(t: _dt.datetime) -> str:
    """Midnight is shown as 24:00 of the day that closes, as the handbooks say it."""
    if (t.hour, t.minute, t.second) == (0, 0, 0):
        return f"{t - _dt.timedelta(days=1):%a %m-%d} 24:00"
    return f"{t:%a %m-%d %H:%M}"


def _spring_festival_deadlines(rows: list[dict], out: TextIO) -> None:
    """Deadlines for tickets received around Spring Festival 2026 (holiday 15–23 Feb, make-up
    working days Sat 14 Feb and Sat 28 Feb)."""
    calendars = {name: Calendar.builtin(name) for _, name, _ in _DEADLINES}
    window = [t for t in rows if _dt.date(2026, 2, 12) <= received_local_date(t) <= _dt.date(2026, 2, 16)]
    picked: list[dict] = []
    for day in range(12, 17):  # one ticket a day, the first of the day
        picked += [t for t in window if received_local_date(t).day == day][:1]
    out.write("\nDeadlines across Spring Festival 2026 (DOM-SLA-1, DOM-SLA-4; times +08:00):\n")
    out.write(f"  {'ticket':<8} {'received':<17}" + "".join(f" {label:<22}" for label, _, _ in _DEADLINES) + "\n")
    for t in picked:
        received = t["received_at"]
        cells = []
        for _, name, spec in _DEADLINES:
            due = calendars[name].add(received, spec)
            cells.append(f" {_close_text(due.astimezone(received.tzinfo))}".ljust(23))
        out.write(f"  {t['ticket_id']:<8} {received:%a %m-%d %H:%M}    " + "".join(cells) + "\n")
    mainland = calendars["cn-mainland"]
    counts = Counter(
        "on a working day" if mainland.is_working_day(received_local_date(t)) else "on a day off"
        for t in rows
    )
    out.write(
        "  tickets received "
        + ", ".join(f"{what}: {n}" for what, n in sorted(counts.items()))
        + " (cn-mainland, 调休 included)\n"
    )


def _triage(rules_path: Path, rows: list[dict], out: TextIO) -> tuple[Policy, list]:
    """Triage every ticket with the handbook policy: risk, tier, refund decision, deadlines."""
    policy = Policy.load(rules_path)
    results = policy.triage(rows)
    total = len(results)
    out.write(f"\nTriage of {total} tickets with the policy in {rules_path} (docs/requirements.md §5–7, §11):\n")
    _table(out, "risk level", Counter(r.risk.level for r in results), total)
    _table(out, "escalation tier", Counter(r.tier for r in results), total)
    _table(out, "refund decision", Counter(r.refund.decision for r in results), total)
    signals = Counter(s.rule_id for r in results for s in r.risk.signals)
    _table(out, "risk signals (top 6)", signals, total, 6)
    _table(out, "actions required (DOM-RISK-4)", Counter(a.code for r in results for a in r.actions), total)
    follow = sum(r.follow_up_required for r in results)
    report = sum(r.report_required for r in results)
    out.write(f"  follow-up visit required: {follow}, written report required: {report}\n")

    # A few explained cases: the most serious first.
    order = {"critical": 0, "high": 1, "normal": 2}
    picked = sorted(range(total), key=lambda i: (order[results[i].risk.level], i))[:2]
    picked += [i for i in range(total) if results[i].refund.decision == "repair_free"][:1]
    out.write("\nExplained cases (personal data masked):\n")
    for i in picked:
        t, r = rows[i], results[i]
        text = mask_text(t["text"])
        out.write(f"  {t['ticket_id']} {t['business']}/{t['category']} via {t['channel']}, "
                  f"received {t['received_at']:%Y-%m-%d %H:%M}, customer {mask_name(t.get('customer_name') or '')}\n")
        out.write(f"    text: {text}\n")
        for s in r.risk.signals:
            words = f" words {', '.join(s.words)}" if s.words else ""
            out.write(f"    risk signal {s.rule_id} ({s.level}){words} — {s.source}\n")
        out.write(f"    risk {r.risk.level} → tier {r.tier} by {', '.join(r.tier_rules)}; owners {', '.join(r.owners)}\n")
        d = r.deadlines
        out.write(f"    first response by {d.first_response.due:%m-%d %H:%M} ({d.first_response.within}), "
                  f"resolution by {d.resolution.due:%m-%d %H:%M} ({d.resolution.within}"
                  f"{', ' + d.resolution.calendar if d.resolution.calendar else ''})"
                  + (f", follow-up by {d.follow_up.due:%m-%d %H:%M}" if d.follow_up else "")
                  + (", written report required" if r.report_required else "") + "\n")
        out.write(f"    refund: {r.refund.decision} by {r.refund.rule_id or 'default'} — {r.refund.reason} [{r.refund.source}]\n")
        for a in r.actions:
            due = f", due {a.deadline.due:%m-%d %H:%M} ({a.deadline.within})" if a.deadline else ""
            out.write(f"    action {a.code} ({', '.join(a.owners)}{due}) — {a.description}; asked by {a.rule_id or 'default'}\n")
    return policy, results


def _horizon(policy: Policy, rows: list[dict], out: TextIO) -> None:
    """Where the calendar's official data ends, and a deadline past it (DOM-SLA-8)."""
    mainland = policy.calendar("cn-mainland")
    out.write(f"\nCalendar horizon (DOM-SLA-8): cn-mainland has official data {mainland.first_date} … "
              f"{mainland.official_until}")
    if mainland.provisional_until:
        out.write(f", then a provisional projection of the holiday law to {mainland.provisional_until}")
    out.write("\n")
    from .calendar_info import projected_days_off

    projected = projected_days_off(mainland, 2027)
    if projected:
        out.write("  2027 days off as the law projects them (make-up days unknown until the notice): "
                  + ", ".join(f"{d:%m-%d}" for d, _ in projected) + "\n")
    template = next((t for t in rows if t["category"] == "quality_defect"), None)
    if template is not None:
        received = _dt.datetime(2026, 12, 24, 10, tzinfo=_dt.timezone(_dt.timedelta(hours=8)))
        r = policy.triage({**template, "received_at": received, "purchased_at": None})
        d = r.deadlines.resolution
        mark = " — provisional (暂定): rests on 2027 days not yet official" if d.provisional else ""
        out.write(f"  an {r.tier} ticket received {received:%Y-%m-%d %H:%M}: resolution by {_close_text(d.due)} "
                  f"({d.within} on {d.calendar}){mark}\n")
    warning = mainland.horizon_warning(_dt.date.today())
    if warning:
        out.write(f"  warning: {warning}\n")


#: The demo looks at the tickets as of the end of the data (the library never reads the wall clock).
_AS_OF = _dt.datetime(2026, 4, 1, tzinfo=_dt.timezone(_dt.timedelta(hours=8)))


def _named_clocks(tickets: list, out: TextIO) -> None:
    """The policy's named clocks (rules/clocks.yaml, DOM-SLA-10): the share met on time, per clock."""
    from .lifecycle import clock_attainment

    table = clock_attainment(tickets, _AS_OF)
    table = table[table["started"] > 0]
    out.write("  named clocks from rules/clocks.yaml (DOM-SLA-10; met / breached / open, share met on time):\n")
    for r in table.to_dict("records"):
        rate = f"{100.0 * r['attainment']:5.1f}% met" if r["met"] + r["breached"] else "       -"
        out.write(f"    {r['clock']:<24} {r['met']:>5} / {r['breached']:>4} / {r['open']:>3}   {rate}\n")


def _lifecycles(policy: Policy, rows: list[dict], results: list, out: TextIO) -> None:
    """Replay a synthetic event log through every ticket's state machine; report deadlines met and breached."""
    from .lifecycle import lifecycle_summary, replay
    from .simulate import simulate_events

    events = simulate_events(rows, [r.tier for r in results], until=_AS_OF, milestones=True)
    tickets = replay(policy, rows, events)
    table = lifecycle_summary(tickets, _AS_OF)
    out.write(f"\nLifecycles (docs/requirements.md §3–4): {len(events)} events of a synthetic log replayed through {len(tickets)} "
              f"ticket state machines, as of {_AS_OF:%Y-%m-%d %H:%M} +08:00\n")
    _table(out, "state", Counter(table["state"]), len(table))
    out.write("  deadlines by tier (met / breached / still running or paused / no such clock):\n")
    for clock in ("first_response", "resolution", "follow_up"):
        for tier in ("L1", "L2", "L3"):
            states = Counter(table.loc[table["tier"] == tier, f"{clock}_state"].fillna("none"))
            n = sum(states.values())
            if not n:
                continue
            met, breached = states["met"], states["breached"]
            open_ = states["running"] + states["paused"]
            rate = f"{100.0 * met / (met + breached):5.1f}% met" if met + breached else "       -"
            out.write(f"    {clock:<15} {tier}  {met:>5} / {breached:>4} / {open_:>3} / {states['none']:>4}   {rate}\n")
    _named_clocks(tickets, out)
    reopened = int((table["reopened"] > 0).sum())
    due = [t for t in tickets if t.is_open and t.copy().tick(_AS_OF)]
    out.write(f"  reopened after a follow-up found the problem unsolved: {reopened}; open tickets that tick() "
              f"escalates at {_AS_OF:%m-%d %H:%M} (DOM-ESC-4): {len(due)}\n")
    example = next((t for t in tickets if t.flags["reopen_count"] > 0), tickets[0])
    out.write(f"\n  Audit history of {example.id} (notes masked, DOM-LC-6):\n")
    for r in example.history.to_dict("records"):
        note = f" — {r['note']}" if r["note"] else ""
        event = r["event"] if r["event"] != "mark" else f"mark {r['milestone']}"  # a milestone (DOM-SLA-10)
        out.write(f"    {r['at']:%m-%d %H:%M} {r['by']:<10} {event:<14} {r['from']:<20} → {r['to']}{note}\n")
