"""State Council holiday notices as calendar data (``kefu calendar notice``, DOM-SLA-9).

The parsing is native (``kefu.HolidayNotice``); this module reads files in order, applies amendments
to the notice of their year, and compares the result with a calendar day by day.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import Iterable, Union

from ._core import Calendar, CalendarRangeError, HolidayNotice, festival_display_name

_Path = Union[str, "os.PathLike[str]"]


def read_notices(paths: Iterable[_Path]) -> list[HolidayNotice]:
    """Parses notice files in order (``-`` is standard input). An amendment applies to the latest
    earlier notice of its year; the result is one notice per year, as amended, in order of appearance."""
    latest: dict[int, HolidayNotice] = {}
    for path in paths:
        name = "<stdin>" if str(path) == "-" else os.fspath(path)
        data = sys.stdin.buffer.read() if name == "<stdin>" else open(path, "rb").read()
        notice = HolidayNotice.parse(data, name=name)
        if notice.is_amendment and notice.year in latest:
            notice = HolidayNotice.parse(data, base=latest[notice.year], name=name)
        latest[notice.year] = notice
    return list(latest.values())


def calendar_named(name: str) -> Calendar:
    """A built-in calendar by name, else a calendar YAML file."""
    if name in Calendar.builtin_names() or not os.path.exists(name):
        return Calendar.builtin(name)
    return Calendar.load(name)


def _notice_days(notices: Iterable[HolidayNotice]) -> dict[dt.date, tuple[str, str]]:
    days: dict[dt.date, tuple[str, str]] = {}
    for n in notices:
        for festival, off in n.festivals.items():
            for d in off:
                days[d] = ("off", festival)
        for festival, work in n.festival_working_days.items():
            for d in work:
                days[d] = ("makeup", festival)
    return days


def compare(notices: list[HolidayNotice], calendar: Calendar) -> tuple[list[str], int]:
    """Lines describing each day where the notices and ``calendar`` differ, over every day of the
    notices' years (and the days they name outside them), and the number of differing days."""
    said = _notice_days(notices)
    days = set(said)
    for year in {n.year for n in notices}:
        d = dt.date(year, 1, 1)
        while d.year == year:
            days.add(d)
            d += dt.timedelta(days=1)
    lines: list[str] = []
    outside: list[dt.date] = []
    for d in sorted(days):
        kind, festival = said.get(d, ("ordinary", ""))
        if kind == "off":
            notice_text = f"day off ({festival_display_name(festival)})"
        elif kind == "makeup":
            notice_text = f"working day ({festival}调休)"
        else:
            notice_text = "rest day" if d.weekday() >= 5 else "working day"
        try:
            info = calendar.day_info(d)
        except CalendarRangeError:
            outside.append(d)
            continue
        if info.kind == "holiday":
            cal_kind, cal_text = "off", f"day off ({info.name})"
        elif info.kind == "makeup_workday":
            cal_kind, cal_text = "makeup", f"working day ({info.name})"
        elif info.kind == "special_day":
            cal_kind, cal_text = "ordinary", f"special day ({info.name})"
        else:
            cal_kind, cal_text = "ordinary", "working day" if info.working else "rest day"
        if info.provisional:
            cal_text += ", provisional"
        if cal_kind != kind:
            lines.append(f"{d.isoformat()} notice: {notice_text}; {calendar.name}: {cal_text}")
    if outside:
        lines.append(
            f"{outside[0].isoformat()}..{outside[-1].isoformat()}: {calendar.name} has no data for these "
            f"{len(outside)} days (its range ends {calendar.last_date.isoformat()})"
        )
    return lines, len(lines) - (1 if outside else 0) + len(outside)
