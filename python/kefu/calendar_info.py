"""``kefu calendar info``: a calendar's ranges, its provisional span and whether its data runs out soon."""

from __future__ import annotations

import datetime as dt
import unicodedata
from itertools import groupby

from ._core import Calendar

#: Days before the end of the official data from which ``info`` (and ``kefu lint``) warn.
WARNING_DAYS = 60


def _runs(days: list[tuple[dt.date, str]]) -> list[str]:
    """Consecutive days of one name as "02-05…02-08 春节 Spring Festival"."""
    out = []
    for name, group in groupby(days, key=lambda d: d[1]):
        dates = [d for d, _ in group]
        start = dates[0]
        for prev, cur in zip(dates, dates[1:] + [None]):
            if cur is None or (cur - prev).days != 1:
                span = f"{start:%m-%d}" if start == prev else f"{start:%m-%d}…{prev:%m-%d}"
                out.append(f"{span} {name}")
                start = cur  # type: ignore[assignment]
    return out


def projected_days_off(calendar: Calendar, year: int) -> list[tuple[dt.date, str]]:
    """The provisional holidays of `year` in `calendar` (empty when the year is official or not covered)."""
    if calendar.provisional_until is None:
        return []
    first = max(dt.date(year, 1, 1), calendar.official_until + dt.timedelta(days=1))
    last = min(dt.date(year, 12, 31), calendar.provisional_until)
    days = []
    day = first
    while day <= last:
        info = calendar.day_info(day)
        if info.kind == "holiday":
            days.append((day, info.name))
        day += dt.timedelta(days=1)
    return days


def _label(text: str, width: int = 26) -> str:
    """`text` padded to `width` terminal columns (CJK characters take two)."""
    used = sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)
    return "  " + text + " " * max(1, width - used)


def info_text(calendar: Calendar, today: dt.date) -> str:
    """What ``kefu calendar info`` prints (English with Chinese labels)."""
    lines = [f"calendar {calendar.name}" + (f" — {calendar.description}" if calendar.description else "")]
    lines.append(_label("zone 时区:") + calendar.zone.name)
    lines.append(_label("official data 官方数据:") + f"{calendar.first_date} … {calendar.official_until}")
    provisional = _label("provisional 暂定:")
    if calendar.provisional_until is not None:
        lines.append(
            provisional + f"{calendar.official_until + dt.timedelta(days=1)} … {calendar.provisional_until}"
            f" (law {calendar.projection_law}: weekends and the law's days off, no make-up days / 仅含法定假日和周末，不含调休)"
        )
    elif calendar.projection_law is not None:
        lines.append(provisional + "none — strict (beyond_official: error) / 严格模式：官方数据之后报错")
    else:
        lines.append(provisional + "none — dates past the official data are errors / 官方数据之后的日期报错")
    if calendar.provisional_until is not None:
        year = (calendar.official_until + dt.timedelta(days=1)).year
        runs = _runs(projected_days_off(calendar, year))
        if runs:
            lines.append(_label(f"{year} projected {year}年推算:") + ", ".join(runs))
    warning = calendar.horizon_warning(today, WARNING_DAYS)
    lines.append(_label(f"as of {today}:") + (f"warning: {warning}" if warning else
                                              f"official data lasts more than {WARNING_DAYS} days / 官方数据充足"))
    return "\n".join(lines) + "\n"
