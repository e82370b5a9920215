"""``kefu report``: KPIs and scorecards of ticket records as terminal tables and an HTML page.

The HTML page is self-contained: charts (FRT distribution per channel, SLA attainment per channel,
monthly scorecard per agent) are rendered with matplotlib to PNG and embedded as base64. Only
aggregates and staff ids appear: no customer personal data (DOM-PRIV-1) — the records columns kefu
reads hold none, and the report never prints a record.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import pandas as pd

from . import kpi as kk
from ._core import KpiTargets, Policy, Scorecard

#: Metrics shown in the terminal and HTML tables, with how to print them.
SHOWN = [
    ("tickets", "tickets", "{:.0f}"), ("frt_mean", "FRT mean", "{:.0f} s"), ("frt_p90", "FRT p90", "{:.0f} s"),
    ("frt_within_target", "FRT in target", "{:.1%}"), ("art", "ART", "{:.0f} s"), ("aht", "AHT", "{:.0f} s"),
    ("fcr_rate", "FCR", "{:.1%}"), ("escalation_rate", "escalated", "{:.1%}"), ("csat_mean", "CSAT", "{:.2f}"),
    ("satisfied_rate", "satisfied", "{:.1%}"), ("nps", "NPS", "{:.0f}"), ("sla_closure_3_workdays", "3 workdays", "{:.1%}"),
]


def _seconds_text(s: int) -> str:
    return f"{s // 60}min" if s % 60 == 0 and s >= 60 else f"{s}s"


def wait_columns(targets: KpiTargets) -> list[tuple[str, str, str]]:
    """The queue-wait table's columns (DOM-SLA-7): measured waits, their mean and the share in each of the
    targets' waiting bands (003: patient 耐心等待, explain 解释, alternatives 替代方案, complaint risk 投诉风险)."""
    a, b, c = (_seconds_text(x) for x in targets.waiting_bands)
    return [("queue_waits", "waits 等待数", "{:.0f}"), ("queue_wait_mean", "mean 平均", "{:.0f} s"),
            ("wait_patient_rate", f"≤{a} patient 耐心等待", "{:.1%}"),
            ("wait_explain_rate", f"{a}–{b} explain 解释", "{:.1%}"),
            ("wait_alternatives_rate", f"{b}–{c} alternatives 替代方案", "{:.1%}"),
            ("wait_complaint_risk_rate", f">{c} complaint risk 投诉风险", "{:.1%}")]


def _fmt(value: Any, pattern: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    return pattern.format(value)


def _text_table(frame: pd.DataFrame, columns: Sequence[tuple[str, str, str]], index_name: str) -> str:
    rows = [[index_name] + [label for _, label, _ in columns]]
    for key, row in frame.iterrows():
        name = " ".join(map(str, key)) if isinstance(key, tuple) else str(key)
        rows.append([name] + [_fmt(row.get(col), pat) for col, _, pat in columns])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _png(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def charts(records: pd.DataFrame, by_channel: pd.DataFrame, card: pd.DataFrame, month: str) -> dict[str, str]:
    """The three charts as data URIs: FRT distribution, SLA attainment by channel, scorecard per agent."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = {}
    frt = (records["first_response_at"] - records["created_at"]).dt.total_seconds()
    fig, ax = plt.subplots(figsize=(8, 3.6))
    bins = np.logspace(0, np.log10(max(frt.max(), 10)) + 0.1, 40)
    for channel, values in frt.groupby(records["channel"].astype(str)):
        ax.hist(values.dropna().clip(lower=1), bins=bins, histtype="step", linewidth=1.6, label=channel)
    ax.set_xscale("log")
    ax.set_xlabel("first response time (s, log scale)")
    ax.set_ylabel("tickets")
    ax.set_title("First response time by channel")
    ax.legend(fontsize=8, ncol=2)
    out["frt"] = _png(fig)

    sla_cols = [c for c in by_channel.columns if c.startswith("sla_")]
    fig, ax = plt.subplots(figsize=(8, 3.6))
    x = np.arange(len(by_channel))
    width = 0.8 / max(len(sla_cols), 1)
    for k, col in enumerate(sla_cols):
        ax.bar(x + k * width, by_channel[col] * 100, width, label=col.removeprefix("sla_"))
    ax.set_xticks(x + width * (len(sla_cols) - 1) / 2, [str(i) for i in by_channel.index], rotation=20)
    ax.set_ylim(0, 105)
    ax.set_ylabel("% of tickets")
    ax.set_title("SLA attainment by channel")
    ax.legend(fontsize=8)
    out["sla"] = _png(fig)

    month_card = card.xs(month, level="month").sort_values("total")
    items = [c for c in month_card.columns if c not in ("bonus", "total", "retrain", "promotion", "disciplinary_review")]
    fig, ax = plt.subplots(figsize=(8, max(3.6, 0.28 * len(month_card))))
    left = np.zeros(len(month_card))
    for col in items + ["bonus"]:
        ax.barh(month_card.index, month_card[col], left=left, label=col)
        left += month_card[col].to_numpy()
    for y, (name, row) in enumerate(month_card.iterrows()):
        marks = ("  retrain" if row["retrain"] else "") + ("  review" if row["disciplinary_review"] else "")
        if marks:
            ax.text(row["total"] + 0.5, y, marks.strip(), va="center", fontsize=7, color="crimson")
    ax.set_xlabel("points (weights sum to 100; bonus uncapped)")
    ax.set_title(f"Monthly scorecard per agent, {month}")
    ax.legend(fontsize=7, loc="lower right")
    out["scorecard"] = _png(fig)
    return out


def provisional_notes(records: pd.DataFrame, targets: Any = None) -> list[str]:
    """One note per SLA whose deadlines, for some of the records, rest on calendar days past the official
    data (DOM-SLA-8): those attainment figures may change when the year's holiday notice is loaded."""
    targets = targets if targets is not None else kk.default_targets()
    created = records["created_at"]
    if created.dt.tz is None:
        raise ValueError("records' created_at must be timezone-aware (kefu.kpi.read_records makes it so)")
    notes = []
    for name, _until, within in targets.sla:
        calendar = targets.sla_calendars.get(name)
        if calendar is None or not len(created):
            continue
        # Local wall time as naive datetime64 (how calendars read arrays), then the deadlines' last seconds.
        local = (created.dt.tz_convert("UTC").dt.tz_localize(None) + calendar.zone.offset).to_numpy("datetime64[s]")
        due = calendar.add(local, within) - np.timedelta64(1, "s")
        provisional = calendar.is_provisional(due.astype("datetime64[D]"))
        count = int(provisional.sum())
        if count:
            notes.append(
                f"SLA {name} ({within} on {calendar.name}): {count} of {len(created)} tickets have deadlines past "
                f"{calendar.official_until}, where the calendar's data is provisional (projected from the holiday "
                f"law) / {count} 张工单的期限依据尚未公布的节假日安排推算，以国务院通知为准"
            )
    return notes


#: Scorecard columns that are flags, not points.
FLAG_COLUMNS = ("retrain", "promotion", "disciplinary_review", "star_csat", "star_fcr")

#: The scorecard the report shows when a rules directory has several: seed 000 Table 1's.
REPORT_SCORECARD = "smart-counter-monthly"


def build(records: pd.DataFrame, agent_inputs: pd.DataFrame, card: Scorecard | str = "monthly",
          targets: KpiTargets | None = None) -> dict[str, Any]:
    """Every table of the report, against `targets` (default: the shipped ones) and the scorecard `card`
    (a Scorecard, or the name of a shipped one)."""
    targets = targets if targets is not None else kk.default_targets()
    card = kk.default_scorecard(card) if isinstance(card, str) else card
    by_channel = kk.evaluate(records, by="channel", targets=targets)
    by_team = kk.kpis(records, by="team", targets=targets)
    scores = kk.scorecard(records, card, agent_inputs, targets=targets)
    month = sorted(set(scores.index.get_level_values("month")))[-1]
    star_rule = card.service_star or {"min_tickets": kk.DEFAULT_STAR_MIN_TICKETS}
    stars = kk.service_stars(records, min_tickets=star_rule["min_tickets"])
    return {"stars": star_table(stars, sorted(set(scores.index.get_level_values("month")))),
            "star_min_tickets": star_rule["min_tickets"],
            "by_channel": by_channel, "by_team": by_team, "card": scores, "card_name": card.name, "month": month,
            "provisional": provisional_notes(records, targets), "disciplinary": card.disciplinary_review,
            "waits": wait_columns(targets)}


#: The targets the report measures against when a rules directory has several: the service KPIs (DOM-KPI-1).
REPORT_TARGETS = "service-kpis"


def kpi_files(rules: "Policy | str | Path", out: TextIO, scorecard: str = REPORT_SCORECARD,
              targets: str = REPORT_TARGETS) -> tuple[KpiTargets, Scorecard]:
    """The targets and the scorecard a report uses for a rules directory (or the ``Policy`` already loaded from
    it): its own, loaded and checked with it (``Policy.kpi_targets`` / ``.scorecards``), both by name.
    Where it has no KPI files, the shipped ones are used and a note says so: never silently."""
    policy = rules if isinstance(rules, Policy) else Policy.load(rules)
    rules_dir = policy.directory
    goals = policy.kpi_targets
    if targets in goals:
        chosen = goals[targets]
    elif goals:
        raise ValueError(f"rules directory {rules_dir} has no targets {targets!r} (it has "
                         f"{', '.join(sorted(goals))}): name one with --targets "
                         f"/ 规则目录中没有目标 {targets!r}，请用 --targets 指定")
    else:
        chosen = kk.default_targets(targets)
        print(f"note: {rules_dir} has no targets file: the shipped targets '{chosen.name}' are used "
              f"/ 规则目录中没有 targets 文件，使用内置目标", file=out)
    targets = chosen
    cards = policy.scorecards
    if scorecard in cards:
        card = cards[scorecard]
    elif cards:
        raise ValueError(f"rules directory {rules_dir} has no scorecard {scorecard!r} (it has "
                         f"{', '.join(sorted(cards))}): name one with --scorecard")
    else:
        card = kk.default_scorecard("monthly")
        if scorecard != card.name:
            raise ValueError(f"rules directory {rules_dir} has no scorecards, and {scorecard!r} is not shipped")
        print(f"note: {rules_dir} has no scorecard file: the shipped scorecard '{card.name}' is used "
              f"/ 规则目录中没有 scorecard 文件，使用内置评分卡", file=out)
    return targets, card


#: The service-star table's columns: the award, its heading in English and Chinese.
STAR_COLUMNS = [("csat", "highest CSAT / 满意度最高", "{}"), ("fcr", "highest FCR / 一次解决率最高", "{}")]


def star_table(stars: pd.DataFrame, months: Sequence[str]) -> pd.DataFrame:
    """Per month, the service stars of each award as text, "A07 (4.71)", ties "A03, A11 (93.0%)"; a month with
    no agent eligible for an award says so (002 §7.3, DOM-KPI-8)."""
    rows = {}
    for month in months:
        row = {}
        for award, pattern in (("csat", "{:.2f}"), ("fcr", "{:.1%}")):
            won = stars[(stars["month"] == month) & (stars["award"] == award)]
            row[award] = (f"{', '.join(won['agent'])} ({pattern.format(won['value'].iloc[0])})" if len(won)
                          else "none eligible / 无人达标")
        rows[month] = row
    return pd.DataFrame.from_dict(rows, orient="index", columns=["csat", "fcr"])


def _star_heading(parts: dict[str, Any]) -> str:
    n = parts["star_min_tickets"]
    return (f"Monthly service stars / 月度服务之星 (002 §7.3; agents with at least {n} tickets, rated tickets for CSAT "
            f"/ 至少{n}张工单，满意度按已评价工单计)")


def _disciplinary_text(parts: dict[str, Any]) -> str:
    """What the disciplinary flag counts, in English and Chinese (DOM-KPI-6)."""
    rule = parts.get("disciplinary")
    if rule is None:
        return "disciplinary review / 纪律审查"
    window = rule["window"]
    over = ("the whole record / 全部记录" if window is None
            else f"{window} month{'s' if window != 1 else ''} / 近{window}个月")
    return f"disciplinary review (≥{rule['at_least']:g} {rule['metric']}, {over}) / 纪律审查"


def write_text(parts: dict[str, Any], out: TextIO) -> None:
    by_channel = parts["by_channel"]
    print("KPIs by channel", file=out)
    print(_text_table(by_channel.metrics, SHOWN, "channel"), file=out)
    outcomes = by_channel.outcomes
    missed = [(ch, goal) for ch, row in outcomes.iterrows() for goal, o in row.items() if o == "missed"]
    print(f"\ngoals missed ({len(missed)}): " + ", ".join(f"{ch}:{g}" for ch, g in missed[:20])
          + (" …" if len(missed) > 20 else ""), file=out)
    for note in parts.get("provisional", []):
        print(f"note: {note}", file=out)
    waited = by_channel.metrics[by_channel.metrics["queue_waits"] > 0]
    print("\nQueue wait by channel / 各渠道排队等待 (003)", file=out)
    print(_text_table(waited, parts["waits"], "channel") if len(waited) else
          "no queue waits measured (column queue_seconds) / 无排队等待数据", file=out)
    print("\nKPIs by team", file=out)
    print(_text_table(parts["by_team"], SHOWN, "team"), file=out)
    month = parts["month"]
    card = parts["card"].xs(month, level="month").sort_values("total", ascending=False)
    cols = [(c, c, "{:.1f}") for c in card.columns if c not in FLAG_COLUMNS]
    print(f"\n{_star_heading(parts)}", file=out)
    print(_text_table(parts["stars"], STAR_COLUMNS, "month"), file=out)
    print(f"\nScorecard {parts['card_name']} {month}", file=out)
    print(_text_table(card, cols, "agent"), file=out)
    for flag, what in [("retrain", "retrain (bottom 10%)"), ("disciplinary_review", _disciplinary_text(parts))]:
        names = list(card.index[card[flag]])
        print(f"{what}: {', '.join(names) if names else 'none'}", file=out)


def write_html(parts: dict[str, Any], records: pd.DataFrame, path: Path) -> None:
    by_channel = parts["by_channel"]
    pics = charts(records, by_channel.metrics, parts["card"], parts["month"])

    def table(frame: pd.DataFrame, columns: Sequence[tuple[str, str, str]], outcomes: pd.DataFrame | None = None) -> str:
        head = "".join(f"<th>{html.escape(label)}</th>" for _, label, _ in columns)
        body = []
        for key, row in frame.iterrows():
            cells = []
            for col, _, pat in columns:
                cls = ""
                if outcomes is not None:
                    goals = [g for g in outcomes.columns if g == col or g.startswith(col + "[")]
                    states = {outcomes.loc[key, g] for g in goals} - {"no data"}
                    cls = " class='missed'" if "missed" in states else (" class='met'" if states == {"met"} else "")
                cells.append(f"<td{cls}>{html.escape(_fmt(row.get(col), pat))}</td>")
            body.append(f"<tr><th>{html.escape(str(key))}</th>{''.join(cells)}</tr>")
        return f"<table><tr><th></th>{head}</tr>{''.join(body)}</table>"

    card = parts["card"].xs(parts["month"], level="month").sort_values("total", ascending=False)
    card_cols = [(c, c.replace("_", " "), "{:.1f}") for c in card.columns if c not in FLAG_COLUMNS]
    flags = card[[c for c in FLAG_COLUMNS if c in card.columns]]
    flagged = "".join(f"<li>{html.escape(str(a))}: {', '.join(f for f in flags.columns if flags.loc[a, f])}</li>"
                      for a in flags.index if flags.loc[a].any())
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kefu KPI report</title>
<style>
body {{ font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; }} td, th {{ padding: .25em .6em; text-align: right; }}
tr:nth-child(even) {{ background: #f5f5f5; }} th {{ text-align: left; }}
td.met {{ color: #1a7f37; }} td.missed {{ color: #c62828; font-weight: 600; }}
img {{ max-width: 100%; }}
</style></head><body>
<h1>Customer-service KPIs</h1>
<p>{len(records)} tickets, {records['created_at'].min():%Y-%m-%d} – {records['created_at'].max():%Y-%m-%d}.
Green: goal met, red: missed (rules/kpi/targets.yaml). Formulas: docs/kpis.md.</p>
<h2>By channel</h2>{table(by_channel.metrics, SHOWN, by_channel.outcomes)}
{''.join(f"<p class='note'>{html.escape(n)}</p>" for n in parts.get("provisional", []))}
<img alt="FRT distribution" src="{pics['frt']}">
<img alt="SLA attainment by channel" src="{pics['sla']}">
<h2>Queue wait by channel / 各渠道排队等待</h2>{table(by_channel.metrics[by_channel.metrics["queue_waits"] > 0], parts["waits"])}
<h2>By team</h2>{table(parts['by_team'], SHOWN)}
<h2>{html.escape(_star_heading(parts))}</h2>{table(parts["stars"], STAR_COLUMNS)}
<h2>Scorecard {html.escape(parts['card_name'])} {parts['month']}</h2>
<img alt="Scorecard per agent" src="{pics['scorecard']}">
{table(card, card_cols)}
<h3>Flags</h3><ul>{flagged or '<li>none</li>'}</ul>
</body></html>
"""
    path.write_text(page, encoding="utf-8")


def run(records_path: str | Path | None, inputs_path: str | Path | None, html_path: str | Path | None,
        out: TextIO, rules_dir: "Policy | str | Path | None" = None, scorecard: str = REPORT_SCORECARD,
        targets: str = REPORT_TARGETS) -> int:
    """The report of `records_path` (default: the shipped records). With `rules_dir`, its KPI targets and
    scorecard (kpi_files); without, the shipped ones."""
    from . import default_data_path

    records = kk.read_records(records_path or default_data_path("records.csv"))
    inputs = pd.read_csv(inputs_path or default_data_path("agent_inputs.csv"))
    if rules_dir is not None:
        goals, card = kpi_files(rules_dir, out, scorecard, targets)
        parts = build(records, inputs, card, goals)
    elif targets != REPORT_TARGETS:
        parts = build(records, inputs, "monthly", kk.default_targets(targets))
    else:
        parts = build(records, inputs)
    write_text(parts, out)
    if html_path:
        write_html(parts, records, Path(html_path))
        print(f"\nwrote {html_path}", file=out)
    return 0
