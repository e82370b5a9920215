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
from .calendar_info import horizon_text
from .i18n import check_lang, duration_text, ljust, tr, value_label as _value, value_name as _name, \
    value_names as _names, width
from .tickets import read_tickets, received_local_date


def _table(out: TextIO, title: str, counts: Counter[str], total: int, limit: int | None = None,
           lang: str = "en") -> None:
    out.write(f"  {title}{'：' if lang == 'zh' else ':'}\n")
    rows = [(_value(key, lang), n) for key, n in counts.most_common(limit)]
    columns = max([20] + [width(key) for key, _ in rows])
    for key, n in rows:
        out.write(f"    {ljust(key, columns)} {n:>6}  {100.0 * n / total:5.1f}%\n")


def run(rules_dir: str | Path | None = None, tickets: str | Path | None = None, out: TextIO = sys.stdout,
        html: str | Path | None = None, lang: str = "en") -> int:
    """The demo, written to `out` in `lang` ("en" or "zh"); with `html`, the KPI report's page too."""
    check_lang(lang)
    rules_path = Path(rules_dir) if rules_dir else default_rules_dir()
    tickets_path = Path(tickets) if tickets else default_data_path("tickets.csv")
    out.write(tr("demo.title", lang, version=__version__) + "\n\n")

    documents = scan_rules(rules_path)
    out.write(tr("demo.rules", lang, path=rules_path, count=len(documents)) + "\n")
    kinds = max(width(tr("kind." + d.kind, lang)) for d in documents) if documents else 0
    names = min(28, max(width(d.name) for d in documents)) if documents else 0  # suites have long names
    paths = max(width(d.path) for d in documents) if documents else 0
    for doc in documents:
        out.write(f"  {ljust(tr('kind.' + doc.kind, lang), kinds)} {ljust(doc.name, names)} {ljust(doc.path, paths)} "
                  f"{doc.entries:>5} {tr('demo.entries', lang)}\n")

    rows = list(read_tickets(tickets_path))
    if not rows:
        out.write("\n" + tr("demo.no_tickets", lang, path=tickets_path) + "\n")
        return 0
    total = len(rows)
    dates = sorted(received_local_date(t) for t in rows)
    out.write("\n" + tr("demo.tickets", lang, path=tickets_path, total=total, first=dates[0], last=dates[-1]) + "\n")
    for column, limit in (("business", None), ("channel", None), ("category", 8)):
        title = tr("demo.by", lang, column=tr(f"demo.col.{column}", lang)) + (tr("demo.top", lang, n=limit) if limit else "")
        _table(out, title, Counter(t[column] for t in rows), total, limit, lang)

    claimed = [t["claimed_amount"] for t in rows if t.get("claimed_amount") is not None]
    limit = Money(1000)
    over = sum(1 for m in claimed if m > limit)
    out.write("  " + tr("demo.claimed", lang, total=sum(claimed, Money(0)).display(), largest=max(claimed).display(),
                        over=over) + "\n")

    _spring_festival_deadlines(rows, out, lang)
    policy, results = _triage(rules_path, rows, out, lang)
    _horizon(policy, rows, out, lang)
    _lifecycles(policy, rows, results, out, lang)

    out.write("\n" + tr("demo.first", lang) + "\n")
    for t in rows[:5]:
        text = t["text"] if len(t["text"]) <= 30 else t["text"][:29] + "…"
        out.write(
            f"  {t['ticket_id']}  {mask_name(t.get('customer_name') or ''):<4} "
            f"{mask_phone(t.get('customer_phone') or ''):<12} {ljust(_name(t['business'], lang), 13)} "
            f"{ljust(_name(t['category'], lang), 18)} {text}\n"
        )

    # KPIs and scorecards of the same tickets' service records (docs/requirements.md §8).
    from . import report

    out.write("\n")
    if html:
        Path(html).parent.mkdir(parents=True, exist_ok=True)
    # A rules directory given on the command line brings its own KPI targets and scorecard (the policy loaded
    # above holds them: the directory is not loaded a second time).
    report.run(None, None, html, out, rules_dir=policy if rules_dir else None, lang=lang)
    return 0


# The handbooks' clocks (DOM-SLA-1): wall hours, opening time and working days.
_DEADLINES = (
    ("demo.dl.first_response", "always", "24h"),          # 000 §8.1.2 b
    ("demo.dl.complaint", "cn-office", "2 business hours"),  # 002 §6.4
    ("demo.dl.close", "cn-mainland", "3 workdays"),  # 000 §8.1.2 a
    ("demo.dl.l3", "cn-mainland", "7 workdays"),     # 002 §3.3.2
)


_WEEKDAYS_ZH = "一二三四五六日"


def _day(t: _dt.datetime, lang: str) -> str:
    """Weekday and date: "Thu 02-12" / "周四 02-12" (not the C library's locale: the same on every machine)."""
    return f"周{_WEEKDAYS_ZH[t.weekday()]} {t:%m-%d}" if lang == "zh" else f"{t:%a %m-%d}"


def _close_text(t: _dt.datetime, lang: str = "en") -> str:
    """Midnight is shown as 24:00 of the day that closes, as the handbooks say it."""
    if (t.hour, t.minute, t.second) == (0, 0, 0):
        return f"{_day(t - _dt.timedelta(days=1), lang)} 24:00"
    return f"{_day(t, lang)} {t:%H:%M}"


def _spring_festival_deadlines(rows: list[dict], out: TextIO, lang: str = "en") -> None:
    """Deadlines for tickets received around Spring Festival 2026 (holiday 15–23 Feb, make-up
    working days Sat 14 Feb and Sat 28 Feb)."""
    calendars = {name: Calendar.builtin(name) for _, name, _ in _DEADLINES}
    window = [t for t in rows if _dt.date(2026, 2, 12) <= received_local_date(t) <= _dt.date(2026, 2, 16)]
    picked: list[dict] = []
    for day in range(12, 17):  # one ticket a day, the first of the day
        picked += [t for t in window if received_local_date(t).day == day][:1]
    out.write("\n" + tr("demo.sf", lang) + "\n")
    out.write(f"  {ljust(tr('demo.sf.ticket', lang), 8)} {ljust(tr('demo.sf.received', lang), 17)}"
              + "".join(f" {ljust(tr(key, lang), 22)}" for key, _, _ in _DEADLINES) + "\n")
    for t in picked:
        received = t["received_at"]
        cells = []
        for _, name, spec in _DEADLINES:
            due = calendars[name].add(received, spec)
            cells.append(ljust(f" {_close_text(due.astimezone(received.tzinfo), lang)}", 23))
        out.write(f"  {t['ticket_id']:<8} {ljust(_day(received, lang) + f' {received:%H:%M}', 15)}    " + "".join(cells) + "\n")
    mainland = calendars["cn-mainland"]
    counts = Counter(
        tr("demo.working", lang) if mainland.is_working_day(received_local_date(t)) else tr("demo.day_off", lang)
        for t in rows
    )
    sep, colon = ("，", " ") if lang == "zh" else (", ", ": ")
    out.write(tr("demo.received_on", lang, counts=sep.join(f"{what}{colon}{n}" for what, n in sorted(counts.items())))
              + "\n")


def _triage(rules_path: Path, rows: list[dict], out: TextIO, lang: str = "en") -> tuple[Policy, list]:
    """Triage every ticket with the handbook policy: risk, tier, refund decision, deadlines."""
    policy = Policy.load(rules_path)
    results = policy.triage(rows)
    total = len(results)
    out.write("\n" + tr("demo.triage", lang, total=total, path=rules_path) + "\n")
    _table(out, tr("demo.t.risk", lang), Counter(r.risk.level for r in results), total, lang=lang)
    _table(out, tr("demo.t.tier", lang), Counter(r.tier for r in results), total, lang=lang)
    _table(out, tr("demo.t.refund", lang), Counter(r.refund.decision for r in results), total, lang=lang)
    signals = Counter(s.rule_id for r in results for s in r.risk.signals)
    _table(out, tr("demo.t.signals", lang), signals, total, 6, lang)
    _table(out, tr("demo.t.actions", lang), Counter(a.code for r in results for a in r.actions), total, lang=lang)
    follow = sum(r.follow_up_required for r in results)
    report = sum(r.report_required for r in results)
    out.write(tr("demo.follow", lang, follow=follow, report=report) + "\n")

    # A few explained cases: the most serious first.
    order = {"critical": 0, "high": 1, "normal": 2}
    picked = sorted(range(total), key=lambda i: (order[results[i].risk.level], i))[:2]
    picked += [i for i in range(total) if results[i].refund.decision == "repair_free"][:1]
    out.write("\n" + tr("demo.explained", lang) + "\n")
    for i in picked:
        t, r = rows[i], results[i]
        text = mask_text(t["text"])
        zh = lang == "zh"
        out.write(tr("demo.case.head", lang, id=t["ticket_id"], business=_name(t["business"], lang),
                     category=_name(t["category"], lang), channel=_name(t["channel"], lang), received=f"{t['received_at']:%Y-%m-%d %H:%M}",
                     name=mask_name(t.get("customer_name") or "")) + "\n")
        out.write(tr("demo.case.text", lang, text=text) + "\n")
        for s in r.risk.signals:
            words = tr("demo.case.words", lang, words=", ".join(s.words)) if s.words else ""
            out.write(tr("demo.case.signal", lang, rule=s.rule_id, level=_value(s.level, lang), words=words,
                         source=s.source) + "\n")
        out.write(tr("demo.case.tier", lang, level=_value(r.risk.level, lang), tier=r.tier, rules=", ".join(r.tier_rules),
                     owners=_names(r.owners, lang)) + "\n")
        d = r.deadlines
        out.write(tr("demo.case.deadlines", lang, frt=f"{d.first_response.due:%m-%d %H:%M}",
                     frt_within=duration_text(d.first_response.within, lang), res=f"{d.resolution.due:%m-%d %H:%M}",
                     res_within=duration_text(d.resolution.within, lang),
                     calendar=("，" if zh else ", ") + d.resolution.calendar if d.resolution.calendar else "")
                  + (tr("demo.case.follow", lang, at=f"{d.follow_up.due:%m-%d %H:%M}") if d.follow_up else "")
                  + (tr("demo.case.report", lang) if r.report_required else "") + "\n")
        default = tr("demo.default", lang)
        out.write(tr("demo.case.refund", lang, decision=_value(r.refund.decision, lang), rule=r.refund.rule_id or default,
                     reason=r.refund.reason, source=r.refund.source) + "\n")
        for a in r.actions:
            due = tr("demo.case.due", lang, at=f"{a.deadline.due:%m-%d %H:%M}",
                     within=duration_text(a.deadline.within, lang)) if a.deadline else ""
            out.write(tr("demo.case.action", lang, code=a.code, owners=_names(a.owners, lang), due=due,
                         description=a.description, rule=a.rule_id or default) + "\n")
    return policy, results


def _horizon(policy: Policy, rows: list[dict], out: TextIO, lang: str = "en") -> None:
    """Where the calendar's official data ends, and a deadline past it (DOM-SLA-8)."""
    mainland = policy.calendar("cn-mainland")
    out.write("\n" + tr("demo.horizon", lang, first=mainland.first_date, until=mainland.official_until))
    if mainland.provisional_until:
        out.write(tr("demo.horizon.provisional", lang, until=mainland.provisional_until))
    out.write("\n")
    from .calendar_info import projected_days_off

    projected = projected_days_off(mainland, 2027)
    if projected:
        out.write(tr("demo.horizon.projected", lang)
                  + ", ".join(f"{d:%m-%d}" for d, _ in projected) + "\n")
    template = next((t for t in rows if t["category"] == "quality_defect"), None)
    if template is not None:
        received = _dt.datetime(2026, 12, 24, 10, tzinfo=_dt.timezone(_dt.timedelta(hours=8)))
        r = policy.triage({**template, "received_at": received, "purchased_at": None})
        d = r.deadlines.resolution
        mark = tr("demo.horizon.mark", lang) if d.provisional else ""
        out.write(tr("demo.horizon.ticket", lang, tier=r.tier, received=f"{received:%Y-%m-%d %H:%M}",
                     due=_close_text(d.due, lang), within=duration_text(d.within, lang), calendar=d.calendar,
                     mark=mark) + "\n")
    warning = horizon_text(mainland, _dt.date.today(), lang)
    if warning:
        out.write(tr("demo.warning", lang, warning=warning) + "\n")


#: The demo looks at the tickets as of the end of the data (the library never reads the wall clock).
_AS_OF = _dt.datetime(2026, 4, 1, tzinfo=_dt.timezone(_dt.timedelta(hours=8)))


def _named_clocks(tickets: list, out: TextIO, lang: str = "en") -> None:
    """The policy's named clocks (rules/clocks.yaml, DOM-SLA-10): the share met on time, per clock."""
    from .lifecycle import clock_attainment

    table = clock_attainment(tickets, _AS_OF)
    table = table[table["started"] > 0]
    out.write(tr("demo.named_clocks", lang) + "\n")
    described = {c["name"]: c[f"description_{lang}"] for t in tickets for c in t.named_clocks}
    for r in table.to_dict("records"):
        rate = tr("demo.named_clock_rate", lang, rate=f"{100.0 * r['attainment']:5.1f}") if r["met"] + r["breached"] else "       -"
        about = f"  — {described[r['clock']]}" if described.get(r["clock"]) else ""
        out.write(f"    {r['clock']:<24} {r['met']:>5} / {r['breached']:>4} / {r['open']:>3}   {rate}{about}\n")


def _lifecycles(policy: Policy, rows: list[dict], results: list, out: TextIO, lang: str = "en") -> None:
    """Replay a synthetic event log through every ticket's state machine; report deadlines met and breached."""
    from .lifecycle import lifecycle_summary, replay
    from .simulate import simulate_events

    events = simulate_events(rows, results, until=_AS_OF, milestones=True)
    tickets = replay(policy, rows, events)
    table = lifecycle_summary(tickets, _AS_OF)
    out.write("\n" + tr("demo.lifecycles", lang, events=len(events), tickets=len(tickets), as_of=f"{_AS_OF:%Y-%m-%d %H:%M}")
              + "\n")
    _table(out, tr("demo.state", lang), Counter(table["state"]), len(table), lang=lang)
    out.write(tr("demo.clocks", lang) + "\n")
    for clock in ("first_response", "resolution", "follow_up"):
        for tier in ("L1", "L2", "L3"):
            states = Counter(table.loc[table["tier"] == tier, f"{clock}_state"].fillna("none"))
            n = sum(states.values())
            if not n:
                continue
            met, breached = states["met"], states["breached"]
            open_ = states["running"] + states["paused"]
            rate = f"{100.0 * met / (met + breached):5.1f}% {tr('demo.met', lang)}" if met + breached else "       -"
            out.write(f"    {ljust(tr('clock.' + clock, lang), 15)} {tier}  {met:>5} / {breached:>4} / {open_:>3} / "
                      f"{states['none']:>4}   {rate}\n")
    _named_clocks(tickets, out, lang)
    reopened = int((table["reopened"] > 0).sum())
    due = [t for t in tickets if t.is_open and t.copy().tick(_AS_OF)]
    out.write(tr("demo.reopened", lang, reopened=reopened, at=f"{_AS_OF:%m-%d %H:%M}", due=len(due)) + "\n")
    # Upward reporting (DOM-LC-8, 000 §9.1.2.2): a critical ticket closes only after its level-1 report.
    critical = [t for t in tickets if t.plan.reports["level_1_required"]]
    reported = [t for t in critical if t.flags["reported"] >= 1]
    out.write(tr("demo.critical", lang, critical=len(critical), reported=len(reported),
                 closed=sum(t.state == "closed" for t in critical)) + "\n")
    if reported:
        first = reported[0]
        r = next(r for r in first.history.to_dict("records") if r["event"] == "report_level_1")
        out.write(tr("demo.report_example", lang, id=first.id, at=f"{r['at']:%m-%d %H:%M}", by=r["by"],
                     event=_name(r["event"], lang),
                     state=r["from"], note=r["note"]) + "\n")
    example = next((t for t in tickets if t.flags["reopen_count"] > 0), tickets[0])
    out.write("\n" + tr("demo.audit", lang, id=example.id) + "\n")
    for r in example.history.to_dict("records"):
        note = f" — {r['note']}" if r["note"] else ""
        event = r["event"] if r["event"] != "mark" else f"mark {r['milestone']}"  # a milestone (DOM-SLA-10)
        out.write(f"    {r['at']:%m-%d %H:%M} {r['by']:<10} {event:<22} {r['from']:<20} → {r['to']}{note}\n")
