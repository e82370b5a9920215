"""``kefu report``: KPIs and scorecards of ticket records as terminal tables and an HTML page.

The HTML page is self-contained: charts (FRT distribution per channel, SLA attainment per channel,
monthly scorecard per agent) are rendered with matplotlib to PNG and embedded as base64. Only
aggregates and staff ids appear: no customer personal data (DOM-PRIV-1) — the records columns kefu
reads hold none, and the report never prints a record.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import pandas as pd

from . import kpi as kk
from ._core import KpiTargets, Policy, Scorecard, TimeZone
from .i18n import MESSAGES, duration, ljust, rjust, tr, width

#: Metrics shown in the terminal and HTML tables, with how to print them ("dur": a duration in readable units).
#: The headings come from kefu.i18n ("kpi.<metric>"), in English or Chinese.
SHOWN_METRICS = [
    ("tickets", "{:.0f}"), ("frt_mean", "dur"), ("frt_p90", "dur"), ("frt_within_target", "{:.1%}"), ("art", "dur"),
    ("aht", "dur"), ("fcr_rate", "{:.1%}"), ("escalation_rate", "{:.1%}"), ("csat_mean", "{:.2f}"),
    ("satisfied_rate", "{:.1%}"), ("nps", "{:.0f}"), ("sla_closure_3_workdays", "{:.1%}"),
]


def shown(lang: str = "en") -> list[tuple[str, str, str]]:
    """The KPI tables' columns: (metric, heading in `lang`, format)."""
    return [(m, tr(f"kpi.{m}", lang), pattern) for m, pattern in SHOWN_METRICS]


#: The English columns (kept for code that imported them).
SHOWN = shown("en")


def _seconds_text(s: int) -> str:
    return f"{s // 60}min" if s % 60 == 0 and s >= 60 else f"{s}s"


def wait_columns(targets: KpiTargets, lang: str = "en") -> list[tuple[str, str, str]]:
    """The queue-wait table's columns (DOM-SLA-7): measured waits, their mean and the share in each of the
    targets' waiting bands (003: patient 耐心等待, explain 解释, alternatives 替代方案, complaint risk 投诉风险)."""
    if lang == "zh":
        a, b, c = (duration(x, "zh") for x in targets.waiting_bands)
    else:
        a, b, c = (_seconds_text(x) for x in targets.waiting_bands)
    return [("queue_waits", tr("kpi.queue_waits", lang), "{:.0f}"),
            ("queue_wait_mean", tr("kpi.queue_wait_mean", lang), "dur"),
            ("wait_patient_rate", tr("kpi.wait_patient_rate", lang, a=a), "{:.1%}"),
            ("wait_explain_rate", tr("kpi.wait_explain_rate", lang, a=a, b=b), "{:.1%}"),
            ("wait_alternatives_rate", tr("kpi.wait_alternatives_rate", lang, b=b, c=c), "{:.1%}"),
            ("wait_complaint_risk_rate", tr("kpi.wait_complaint_risk_rate", lang, c=c), "{:.1%}")]


def _fmt(value: Any, pattern: str, lang: str = "en") -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    if pattern == "dur":
        return duration(value, lang)
    return pattern.format(value)


def label(kind: str, value: object, lang: str) -> str:
    """A channel's, team's or SLA's name as the report shows it: in Chinese where the catalogue has one
    ("channel.online" → 在线), else the value itself."""
    key = f"{kind}.{value}"
    return tr(key, lang) if key in MESSAGES else str(value)


def _text_table(frame: pd.DataFrame, columns: Sequence[tuple[str, str, str]], index_name: str, lang: str = "en",
                index_kind: str | None = None) -> str:
    """A terminal table whose columns line up by display width (a CJK character takes two columns)."""
    rows = [[index_name] + [heading for _, heading, _ in columns]]
    for key, row in frame.iterrows():
        name = " ".join(map(str, key)) if isinstance(key, tuple) else str(key)
        if index_kind:
            name = label(index_kind, name, lang)
        rows.append([name] + [_fmt(row.get(col), pat, lang) for col, _, pat in columns])
    widths = [max(width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(ljust(c, w) if i == 0 else rjust(c, w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _png(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


#: Fonts with Simplified Chinese glyphs, in order of preference (charts and the HTML page's CSS).
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei",
             "WenQuanYi Zen Hei", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "SimHei", "Droid Sans Fallback")


def cjk_font() -> str | None:
    """The first of CJK_FONTS matplotlib can use, registering system font files it has not seen yet (a font
    installed after matplotlib built its cache); None when the machine has none."""
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in known:
            return name
    for path in font_manager.findSystemFonts():
        lower = path.lower()
        if any(k in lower for k in ("wqy", "notosanscjk", "noto-cjk", "sourcehansans", "droidsansfallback")):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
    known = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in known), None)


def _legend_outside(ax: Any, **kw: Any) -> None:
    """The legend right of the plot: it never covers a bar, a line or a flag."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, fontsize=8, frameon=False, **kw)


def chart_targets(by_channel: pd.DataFrame, targets: KpiTargets | None, lang: str = "en") -> dict[str, list[str]]:
    """The target lines each chart draws, as text (the page lists them under the chart): per channel the
    targets' first-response threshold on the FRT chart, goals on sla_* metrics on the SLA chart."""
    targets = targets if targets is not None else kk.default_targets()
    channels = [str(c) for c in by_channel.index]
    frt = [f"{label('channel', ch, lang)} ≤ {duration(t['first_response'], lang)}"
           for ch, t in targets.channels.items() if "first_response" in t and ch in channels]
    sla = [f"{label('sla', metric.removeprefix('sla_'), lang)} {op} {value:.0%}"
           for metric, op, value, _ in _sla_goals(targets)]
    return {"frt": frt, "sla": sla}


def _sla_goals(targets: KpiTargets) -> list[tuple[str, str, float, str]]:
    return [g for g in targets.goals if g[0].startswith("sla_")]


def charts(records: pd.DataFrame, by_channel: pd.DataFrame, card: pd.DataFrame, month: str,
           targets: KpiTargets | None = None, lang: str = "en", names: dict[str, str] | None = None) -> dict[str, str]:
    """The three charts as data URIs: FRT distribution with each channel's first-response target, SLA
    attainment by channel with the targets' SLA goals, scorecard per agent with its flags. Labels in `lang`
    (`names`: the scorecard columns' names, item_names()); legends outside the plots."""
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    targets = targets if targets is not None else kk.default_targets()
    font = cjk_font()
    rc = {"font.sans-serif": ([font] if font else []) + list(matplotlib.rcParams["font.sans-serif"]),
          "font.family": "sans-serif", "axes.unicode_minus": False}
    out = {}
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from")  # no CJK font on this machine
        frt = (records["first_response_at"] - records["created_at"]).dt.total_seconds()
        fig, ax = plt.subplots(figsize=(8, 3.6))
        top = max(frt.max(), 10, *[t.get("first_response", 0) for t in targets.channels.values()])
        bins = np.logspace(0, np.log10(top) + 0.1, 40)
        for channel, values in frt.groupby(records["channel"].astype(str), observed=True):
            (patch,) = ax.hist(values.dropna().clip(lower=1), bins=bins, histtype="step", linewidth=1.6,
                               label=label("channel", channel, lang))[2]
            goal = targets.channels.get(channel, {}).get("first_response")
            if goal:
                ax.axvline(goal, color=patch.get_edgecolor(), linestyle="--", linewidth=1.2,
                           label=f"{tr('chart.target', lang)} {label('channel', channel, lang)} ≤ {duration(goal, lang)}")
        ax.set_xscale("log")
        ticks = [t for t in (1, 10, 30, 60, 300, 900, 3600, 7200, 86400) if t <= top * 1.3]
        ax.set_xticks(ticks, [duration(t, lang) for t in ticks])
        ax.set_xlabel(tr("chart.frt.x", lang))
        ax.set_ylabel(tr("chart.tickets", lang))
        ax.set_title(tr("chart.frt.title", lang))
        _legend_outside(ax)
        out["frt"] = _png(fig)

        sla_cols = [c for c in by_channel.columns if c.startswith("sla_")]
        fig, ax = plt.subplots(figsize=(8, 3.6))
        x = np.arange(len(by_channel))
        bar = 0.8 / max(len(sla_cols), 1)
        colors = {}
        for k, col in enumerate(sla_cols):
            bars = ax.bar(x + k * bar, by_channel[col] * 100, bar, label=label("sla", col.removeprefix("sla_"), lang))
            colors[col] = bars.patches[0].get_facecolor() if bars.patches else None
        for metric, _op, value, _ in _sla_goals(targets):
            if metric in colors:
                ax.axhline(value * 100, color=colors[metric], linestyle="--", linewidth=1.2,
                           label=f"{tr('chart.target', lang)} {label('sla', metric.removeprefix('sla_'), lang)} "
                                 f"{value:.0%}")
        ax.set_xticks(x + bar * (len(sla_cols) - 1) / 2, [label("channel", i, lang) for i in by_channel.index],
                      rotation=20)
        ax.set_ylim(0, 105)
        ax.set_ylabel(tr("chart.sla.y", lang))
        ax.set_title(tr("chart.sla.title", lang))
        _legend_outside(ax)
        out["sla"] = _png(fig)

        month_card = card.xs(month, level="month").sort_values("total")
        items = [c for c in month_card.columns if c not in ("bonus", "total") and c not in FLAG_COLUMNS]
        names = names or {}
        fig, ax = plt.subplots(figsize=(8, max(3.6, 0.28 * len(month_card))))
        left = np.zeros(len(month_card))
        for col in items + ["bonus"]:
            ax.barh(month_card.index, month_card[col], left=left, label=names.get(col, col))
            left += month_card[col].to_numpy()
        flagged = False
        for y, (_, row) in enumerate(month_card.iterrows()):
            marks = [tr(f"flag.{f}", lang) for f in ("retrain", "disciplinary_review") if row.get(f)]
            if marks:
                flagged = True
                ax.text(row["total"] + 1, y, " · ".join(marks), va="center", fontsize=7, color="crimson")
        ax.set_xlim(0, max(float(month_card["total"].max()) if len(month_card) else 0, 100) * 1.3)
        ax.set_xlabel(tr("chart.card.x", lang))
        ax.set_title(tr("chart.card.title", lang, month=month))
        handles, labels_ = ax.get_legend_handles_labels()
        if flagged:
            handles.append(Line2D([], [], linestyle="none", marker="$!$", color="crimson"))
            labels_.append(tr("chart.flag", lang))
        ax.legend(handles, labels_, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, fontsize=7,
                  frameon=False)
        out["scorecard"] = _png(fig)
    return out


def item_names(card: Scorecard, lang: str = "en") -> dict[str, str]:
    """Scorecard column names in `lang`: in Chinese the handbook's name at the head of each item's description
    ("效能达成 = …" → 效能达成), else the id with spaces."""
    names = {}
    for item in [*card.items, *card.bonuses]:
        head = re.split(r"\s*[=:：]\s*", str(item.get("description", "")), maxsplit=1)[0].strip()
        cjk = head and any(width(ch) == 2 for ch in head)
        names[item["id"]] = head if lang == "zh" and cjk else item["id"].replace("_", " ")
    names["bonus"] = tr("score.bonus", lang)
    names["total"] = tr("score.total", lang)
    return names


def provisional_notes(records: pd.DataFrame, targets: Any = None, lang: str = "en") -> list[str]:
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
            notes.append(tr("report.provisional", lang, name=name, within=within, calendar=calendar.name, count=count,
                            total=len(created), until=calendar.official_until))
    return notes


#: Scorecard columns that are flags, not points.
FLAG_COLUMNS = ("retrain", "promotion", "disciplinary_review", "star_csat", "star_fcr")

#: The scorecard the report shows when a rules directory has several: seed 000 Table 1's.
REPORT_SCORECARD = "smart-counter-monthly"


def local_span(records: pd.DataFrame, zone: Any = kk.DEFAULT_ZONE) -> tuple[_dt.date, _dt.date]:
    """The first and last local dates of the records' ``created_at`` in `zone` (the KPI periods' zone): a ticket
    created 2025-12-01 00:30 +08:00 is on 2025-12-01, not on its UTC date 2025-11-30."""
    tz = _dt.timezone(zone.offset if isinstance(zone, TimeZone) else TimeZone(zone).offset)
    created = records["created_at"]
    if created.dt.tz is None:
        raise ValueError("records' created_at must be timezone-aware (kefu.kpi.read_records makes it so)")
    local = created.dt.tz_convert(tz)
    return local.min().date(), local.max().date()


def month_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame indexed by (…, period) re-indexed by (…, month): the period's local month as YYYY-MM text."""
    index = frame.index.to_frame(index=False)
    index["period"] = index["period"].dt.strftime("%Y-%m")
    return frame.set_axis(pd.MultiIndex.from_frame(index.rename(columns={"period": "month"})), axis=0)


def build(records: pd.DataFrame, agent_inputs: pd.DataFrame, card: Scorecard | str = "monthly",
          targets: KpiTargets | None = None, lang: str = "en") -> dict[str, Any]:
    """Every table of the report, against `targets` (default: the shipped ones) and the scorecard `card`
    (a Scorecard, or the name of a shipped one); texts in `lang`."""
    targets = targets if targets is not None else kk.default_targets()
    card = kk.default_scorecard(card) if isinstance(card, str) else card
    by_channel = kk.evaluate(records, by="channel", targets=targets)
    by_team = kk.kpis(records, by="team", targets=targets)
    # The report labels months as text ("2025-12"); kefu's frames key them by `period`, an aware local midnight.
    scores = month_labels(kk.scorecard(records, card, agent_inputs, targets=targets))
    month = sorted(set(scores.index.get_level_values("month")))[-1]
    star_rule = card.service_star or {"min_tickets": kk.DEFAULT_STAR_MIN_TICKETS}
    stars = kk.service_stars(records, min_tickets=star_rule["min_tickets"])
    stars = stars.assign(month=stars["period"].dt.strftime("%Y-%m"))
    return {"stars": star_table(stars, sorted(set(scores.index.get_level_values("month"))), lang),
            "star_min_tickets": star_rule["min_tickets"],
            "by_channel": by_channel, "by_team": by_team, "card": scores, "card_name": card.name, "month": month,
            "provisional": provisional_notes(records, targets, lang), "disciplinary": card.disciplinary_review,
            "waits": wait_columns(targets, lang), "targets": targets, "lang": lang,
            "item_names": item_names(card, lang), "span": local_span(records)}


#: The targets the report measures against when a rules directory has several: the service KPIs (DOM-KPI-1).
REPORT_TARGETS = "service-kpis"


def kpi_files(rules: "Policy | str | Path", out: TextIO, scorecard: str = REPORT_SCORECARD,
              targets: str = REPORT_TARGETS, lang: str = "en") -> tuple[KpiTargets, Scorecard]:
    """The targets and the scorecard a report uses for a rules directory (or the ``Policy`` already loaded from
    it): its own, loaded and checked with it (``Policy.kpi_targets`` / ``.scorecards``), both by name.
    Where it has no KPI files, the shipped ones are used and a note says so: never silently."""
    policy = rules if isinstance(rules, Policy) else Policy.load(rules)
    rules_dir = policy.directory
    goals = policy.kpi_targets
    if targets in goals:
        chosen = goals[targets]
    elif goals:
        raise ValueError(tr("report.no_such_targets", lang, rules=rules_dir, name=targets,
                            have=", ".join(sorted(goals))))
    else:
        chosen = kk.default_targets(targets)
        print(tr("report.no_targets_file", lang, rules=rules_dir, name=chosen.name), file=out)
    targets = chosen
    cards = policy.scorecards
    if scorecard in cards:
        card = cards[scorecard]
    elif cards:
        raise ValueError(tr("report.no_such_scorecard", lang, rules=rules_dir, name=scorecard,
                            have=", ".join(sorted(cards))))
    else:
        card = kk.default_scorecard("monthly")
        if scorecard != card.name:
            raise ValueError(tr("report.no_scorecards", lang, rules=rules_dir, name=scorecard))
        print(tr("report.no_scorecard_file", lang, rules=rules_dir, name=card.name), file=out)
    return targets, card


def star_columns(lang: str = "en") -> list[tuple[str, str, str]]:
    """The service-star table's columns: the award and its heading."""
    return [("csat", tr("report.star_csat", lang), "{}"), ("fcr", tr("report.star_fcr", lang), "{}")]


#: The service-star table's columns in English (kept for code that imported them).
STAR_COLUMNS = star_columns("en")


def star_table(stars: pd.DataFrame, months: Sequence[str], lang: str = "en") -> pd.DataFrame:
    """Per month, the service stars of each award as text, "A07 (4.71)", ties "A03, A11 (93.0%)"; a month with
    no agent eligible for an award says so (002 §7.3, DOM-KPI-8)."""
    rows = {}
    for month in months:
        row = {}
        for award, pattern in (("csat", "{:.2f}"), ("fcr", "{:.1%}")):
            won = stars[(stars["month"] == month) & (stars["award"] == award)]
            row[award] = (f"{', '.join(won['agent'])} ({pattern.format(won['value'].iloc[0])})" if len(won)
                          else tr("report.none_eligible", lang))
        rows[month] = row
    return pd.DataFrame.from_dict(rows, orient="index", columns=["csat", "fcr"])


def _star_heading(parts: dict[str, Any]) -> str:
    return tr("report.stars", parts.get("lang", "en"), n=parts["star_min_tickets"])


def _disciplinary_text(parts: dict[str, Any]) -> str:
    """What the disciplinary flag counts (DOM-KPI-6)."""
    lang = parts.get("lang", "en")
    rule = parts.get("disciplinary")
    if rule is None:
        return tr("report.disciplinary", lang)
    window = rule["window"]
    over = (tr("report.whole_record", lang) if window is None
            else tr("report.months", lang, n=window, s="s" if window != 1 else ""))
    metric = _goal_name(rule["metric"], lang)
    return tr("report.disciplinary_rule", lang, at_least=f"{rule['at_least']:g}", metric=metric, over=over)


def _card_columns(parts: dict[str, Any], card: pd.DataFrame) -> list[tuple[str, str, str]]:
    names = parts.get("item_names", {}) if parts.get("lang", "en") == "zh" else {}
    return [(c, names.get(c, c), "{:.1f}") for c in card.columns if c not in FLAG_COLUMNS]


def _goal_name(goal: str, lang: str) -> str:
    """A goal's metric as the report names it: fcr_rate → 一次解决率 in Chinese; frt_mean[online] → 平均首次响应…[在线]."""
    if lang != "zh":
        return goal
    base, _, channel = goal.partition("[")
    name = tr(f"kpi.{base}", lang) if f"kpi.{base}" in MESSAGES else base
    return f"{name}[{label('channel', channel.rstrip(']'), lang)}]" if channel else name


def write_text(parts: dict[str, Any], out: TextIO) -> None:
    """The report's tables for a terminal, in the language `parts` was built in."""
    lang = parts.get("lang", "en")
    columns = shown(lang)
    by_channel = parts["by_channel"]
    print(tr("report.by_channel", lang), file=out)
    print(_text_table(by_channel.metrics, columns, tr("report.channel", lang), lang, "channel"), file=out)
    outcomes = by_channel.outcomes
    missed = [(ch, goal) for ch, row in outcomes.iterrows() for goal, o in row.items() if o == "missed"]
    sep = "：" if lang == "zh" else ":"
    print("\n" + tr("report.missed", lang, count=len(missed))
          + ("、" if lang == "zh" else ", ").join(f"{label('channel', ch, lang)}{sep}{_goal_name(g, lang)}"
                                                 for ch, g in missed[:20])
          + (" …" if len(missed) > 20 else ""), file=out)
    for note in parts.get("provisional", []):
        print(tr("report.note", lang, note=note), file=out)
    waited = by_channel.metrics[by_channel.metrics["queue_waits"] > 0]
    print("\n" + tr("report.queue", lang), file=out)
    print(_text_table(waited, parts["waits"], tr("report.channel", lang), lang, "channel") if len(waited) else
          tr("report.no_waits", lang), file=out)
    print("\n" + tr("report.by_team", lang), file=out)
    print(_text_table(parts["by_team"], columns, tr("report.team", lang), lang, "team"), file=out)
    month = parts["month"]
    card = parts["card"].xs(month, level="month").sort_values("total", ascending=False)
    print(f"\n{_star_heading(parts)}", file=out)
    print(_text_table(parts["stars"], star_columns(lang), tr("report.month", lang), lang), file=out)
    print("\n" + tr("report.scorecard", lang, name=parts["card_name"], month=month), file=out)
    print(_text_table(card, _card_columns(parts, card), tr("report.agent", lang), lang), file=out)
    colon = "：" if lang == "zh" else ": "
    for flag, what in [("retrain", tr("report.retrain", lang)), ("disciplinary_review", _disciplinary_text(parts))]:
        names = list(card.index[card[flag]])
        print(f"{what}{colon}{', '.join(names) if names else tr('report.none', lang)}", file=out)


#: Fonts of the HTML page: the system's UI font, then fonts with Simplified Chinese glyphs on macOS,
#: Windows and Linux, so Chinese text never falls back to a font without them.
CSS_FONTS = ('system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
             '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", sans-serif')


def write_html(parts: dict[str, Any], records: pd.DataFrame, path: Path) -> None:
    """A self-contained page: tables, the three charts (PNG as data URIs) and the target lines they draw,
    ``<html lang>`` of the report's language, dates in the KPI periods' zone."""
    lang = parts.get("lang", "en")
    columns = shown(lang)
    by_channel = parts["by_channel"]
    targets = parts.get("targets") or kk.default_targets()
    pics = charts(records, by_channel.metrics, parts["card"], parts["month"], targets, lang, parts.get("item_names"))
    drawn = chart_targets(by_channel.metrics, targets, lang)

    def table(frame: pd.DataFrame, cols: Sequence[tuple[str, str, str]], outcomes: pd.DataFrame | None = None,
              kind: str | None = None) -> str:
        head = "".join(f"<th title='{html.escape(col)}'>{html.escape(heading)}</th>" for col, heading, _ in cols)
        body = []
        for key, row in frame.iterrows():
            cells = []
            for col, _, pat in cols:
                cls = ""
                if outcomes is not None:
                    goals = [g for g in outcomes.columns if g == col or g.startswith(col + "[")]
                    states = {outcomes.loc[key, g] for g in goals} - {"no data"}
                    cls = " class='missed'" if "missed" in states else (" class='met'" if states == {"met"} else "")
                cells.append(f"<td{cls}>{html.escape(_fmt(row.get(col), pat, lang))}</td>")
            name = label(kind, key, lang) if kind else str(key)
            body.append(f"<tr><th>{html.escape(name)}</th>{''.join(cells)}</tr>")
        return f"<div class='scroll'><table><tr><th></th>{head}</tr>{''.join(body)}</table></div>"

    def figure(key: str, alt: str, lines: list[str] | None) -> str:
        if lines is None:
            caption = ""
        elif lines:
            caption = f"<figcaption>{html.escape(tr('html.targets_drawn', lang, lines=('；' if lang == 'zh' else '; ').join(lines)))}</figcaption>"
        else:
            caption = f"<figcaption>{html.escape(tr('html.no_target_lines', lang, targets=targets.name))}</figcaption>"
        return f"<figure id='chart-{key}'><img alt=\"{html.escape(alt)}\" src=\"{pics[key]}\">{caption}</figure>"

    card = parts["card"].xs(parts["month"], level="month").sort_values("total", ascending=False)
    flags = card[[c for c in FLAG_COLUMNS if c in card.columns]]
    flagged = "".join(f"<li>{html.escape(str(a))}: "
                      f"{html.escape(('、' if lang == 'zh' else ', ').join(tr(f'flag.{f}', lang) for f in flags.columns if flags.loc[a, f]))}</li>"
                      for a in flags.index if flags.loc[a].any())
    first, last = parts.get("span") or local_span(records)
    waited = by_channel.metrics[by_channel.metrics["queue_waits"] > 0]
    page = f"""<!doctype html>
<html lang="{'zh-CN' if lang == 'zh' else 'en'}"><head><meta charset="utf-8"><title>{html.escape(tr('html.title', lang))}</title>
<style>
body {{ font: 14px/1.5 {CSS_FONTS}; margin: 2em auto; max-width: 80em; padding: 0 1em; color: #222; }}
.scroll {{ overflow-x: auto; }}
table {{ border-collapse: collapse; margin: 1em 0; }} td, th {{ padding: .25em .6em; text-align: right; white-space: nowrap; }}
tr:nth-child(even) {{ background: #f5f5f5; }} th {{ text-align: left; }}
td.met {{ color: #1a7f37; }} td.missed {{ color: #c62828; font-weight: 600; }}
figure {{ margin: 1em 0; }} figcaption {{ font-size: 12px; color: #555; }}
img {{ max-width: 100%; }}
</style></head><body>
<h1>{html.escape(tr('html.h1', lang))}</h1>
<p id="summary">{html.escape(tr('html.summary', lang, tickets=len(records), first=first.isoformat(), last=last.isoformat(), zone=kk.DEFAULT_ZONE))}
{html.escape(tr('html.legend', lang, targets=targets.name))}</p>
<h2>{html.escape(tr('html.by_channel', lang))}</h2>{table(by_channel.metrics, columns, by_channel.outcomes, 'channel')}
{''.join(f"<p class='note'>{html.escape(n)}</p>" for n in parts.get("provisional", []))}
{figure('frt', tr('html.alt.frt', lang), drawn['frt'])}
{figure('sla', tr('html.alt.sla', lang), drawn['sla'])}
<h2>{html.escape(tr('html.queue', lang))}</h2>{table(waited, parts["waits"], kind='channel')}
<h2>{html.escape(tr('html.by_team', lang))}</h2>{table(parts['by_team'], columns, kind='team')}
<h2>{html.escape(_star_heading(parts))}</h2>{table(parts["stars"], star_columns(lang))}
<h2>{html.escape(tr('html.scorecard', lang, name=parts['card_name'], month=parts['month']))}</h2>
{figure('scorecard', tr('html.alt.scorecard', lang), None)}
{table(card, _card_columns(parts, card))}
<h3>{html.escape(tr('html.flags', lang))}</h3><ul id="flags">{flagged or f"<li>{html.escape(tr('report.none', lang))}</li>"}</ul>
</body></html>
"""
    path.write_text(page, encoding="utf-8")


def run(records_path: str | Path | None, inputs_path: str | Path | None, html_path: str | Path | None,
        out: TextIO, rules_dir: "Policy | str | Path | None" = None, scorecard: str = REPORT_SCORECARD,
        targets: str = REPORT_TARGETS, lang: str = "en") -> int:
    """The report of `records_path` (default: the shipped records) in `lang` ("en" or "zh"). With `rules_dir`,
    its KPI targets and scorecard (kpi_files); without, the shipped ones."""
    from . import default_data_path
    from .i18n import check_lang

    check_lang(lang)
    records = kk.read_records(records_path or default_data_path("records.csv"))
    inputs = pd.read_csv(inputs_path or default_data_path("agent_inputs.csv"))
    if rules_dir is not None:
        goals, card = kpi_files(rules_dir, out, scorecard, targets, lang)
        parts = build(records, inputs, card, goals, lang)
    elif targets != REPORT_TARGETS:
        parts = build(records, inputs, "monthly", kk.default_targets(targets), lang)
    else:
        parts = build(records, inputs, lang=lang)
    write_text(parts, out)
    if html_path:
        write_html(parts, records, Path(html_path))
        print("\n" + tr("cli.wrote", lang, path=html_path), file=out)
    return 0
