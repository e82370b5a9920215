"""``kefu calendar info``: a calendar's ranges, its provisional span and whether its data runs out soon."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from ._core import Calendar
from .i18n import localize_error, tr, width as display_width

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


def _label(text: str, width: int = 24) -> str:
    """`text` padded to `width` terminal columns (CJK characters take two)."""
    return "  " + text + " " * max(1, width - display_width(text))


def _holiday_name(name: str, lang: str) -> str:
    """A holiday's name in `lang`: the calendars name days bilingually ("春节 Spring Festival"); Chinese keeps
    the Chinese words, English the whole name (the Chinese name is the one on the notices)."""
    if lang == "zh":
        head, _, rest = name.partition(" ")
        if rest and any(display_width(ch) == 2 for ch in head):
            return head
    return name


def horizon_text(calendar: Calendar, today: dt.date, lang: str = "en", within_days: int = WARNING_DAYS) -> str | None:
    """The calendar's horizon warning as of `today` in `lang` (None while its official data lasts more than
    `within_days` days): the library's own wording (``Calendar.horizon_warning``, as ``kefu lint`` and services
    print it), in Chinese as ``kefu lint --lang zh`` says it."""
    warning = calendar.horizon_warning(today, within_days)
    return None if warning is None else localize_error(warning, "kefu.lint.calendar_horizon", lang)


def info_text(calendar: Calendar, today: dt.date, lang: str = "en") -> str:
    """What ``kefu calendar info`` prints, in `lang` ("en" or "zh"): the official data, the provisional span,
    the projected days off of the first provisional year and the horizon warning as of `today`."""

    def _(key: str, **values: object) -> str:
        return tr(key, lang, **values)

    description = f" — {calendar.description}" if calendar.description else ""
    lines = [_("info.head", name=calendar.name, description=description)]
    lines.append(_label(_("info.zone")) + calendar.zone.name)
    lines.append(_label(_("info.official")) + f"{calendar.first_date} … {calendar.official_until}")
    provisional = _label(_("info.provisional"))
    if calendar.provisional_until is not None:
        lines.append(provisional + _("info.provisional_span", first=calendar.official_until + dt.timedelta(days=1),
                                     last=calendar.provisional_until, law=calendar.projection_law))
    elif calendar.projection_law is not None:
        lines.append(provisional + _("info.strict"))
    else:
        lines.append(provisional + _("info.no_projection"))
    if calendar.provisional_until is not None:
        year = (calendar.official_until + dt.timedelta(days=1)).year
        runs = _runs([(day, _holiday_name(name, lang)) for day, name in projected_days_off(calendar, year)])
        if runs:
            lines.append(_label(_("info.projected", year=year)) + ("，" if lang == "zh" else ", ").join(runs))
    as_of = _label(_("info.as_of", today=today))
    warning = horizon_text(calendar, today, lang)
    if warning:
        lines.append(as_of + _("info.warning_label", warning=warning))
    else:
        lines.append(as_of + _("info.calm", days=WARNING_DAYS))
    return "\n".join(lines) + "\n"
