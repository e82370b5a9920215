"""The generated Chinese festival table (include/kefu/calendar/detail/cn_festival_table.hpp).

(a) The checked-in header must be exactly what tools/gen_cn_festival_table.py (lunar-python) writes.
(b) Every year 1990..2100 is cross-checked against sources independent of lunar-python:
    lunardate's lunar tables (春节, 端午, 中秋, 除夕; lunardate stops at lunar year 2099), and ephem:
    清明 as the China-time day the Sun's apparent longitude reaches 15°, and a lunar calendar computed
    from ephem's new moons and solar terms by the GB/T 33661-2017 rules (covers 2100 too).
Needs lunar-python, lunardate and ephem; does not need the compiled kefu module.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Dict, List, Tuple

import ephem  # lunar-python, lunardate and ephem come with `make deps` (PY_TEST_PACKAGES)
import lunar_python  # noqa: F401  (the generator's source: missing, this module fails rather than skips)
import lunardate
import pytest
from _scripts import load_script

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "tools" / "gen_cn_festival_table.py"
HEADER = ROOT / "include" / "kefu" / "calendar" / "detail" / "cn_festival_table.hpp"
FIRST, LAST = 1990, 2100
FIELDS = ("chuxi", "spring", "qingming", "dragon_boat", "mid_autumn")
ONE_DAY = dt.timedelta(days=1)


ROW = re.compile(r"^\s*\{(\d{4}),((?:\s*\d{1,2},){9}\s*\d{1,2})\},\s*$", re.M)


def _header_text() -> str:
    return HEADER.read_bytes().decode("utf-8")


def _parse(text: str) -> Dict[int, Dict[str, dt.date]]:
    table: Dict[int, Dict[str, dt.date]] = {}
    for m in ROW.finditer(text):
        year = int(m.group(1))
        nums = [int(x) for x in m.group(2).split(",")]
        assert year not in table, f"year {year} twice"
        table[year] = {f: dt.date(year, nums[2 * i], nums[2 * i + 1]) for i, f in enumerate(FIELDS)}
    return table


@pytest.fixture(scope="module")
def table() -> Dict[int, Dict[str, dt.date]]:
    return _parse(_header_text())


# --- (a) the header is the generator's output ---------------------------------------------------


def test_header_is_the_generators_output_byte_for_byte():
    gen = load_script(GENERATOR, "gen_cn_festival_table")
    text = _header_text()
    recorded = re.search(r"^// Source: PyPI lunar-python (\S+) ", text, re.M)
    assert recorded, "the header does not record the lunar-python version it was generated from"
    # Regenerate with the recorded version string so that a newer lunar-python release with the same
    # data does not fail here; any difference in the table (or anything else) does.
    expected = gen.render(gen.table(), version=recorded.group(1))
    assert text == expected, (
        "cn_festival_table.hpp differs from the generator's output; do not edit it by hand, run "
        "`python tools/gen_cn_festival_table.py > include/kefu/calendar/detail/cn_festival_table.hpp`"
    )


def test_table_shape(table):
    text = _header_text()
    assert len(table) == 111
    assert sorted(table) == list(range(FIRST, LAST + 1))
    assert list(table) == sorted(table), "rows out of year order"
    assert f"cn_festival_first_year = {FIRST};" in text
    assert f"cn_festival_last_year = {LAST};" in text
    includes = re.findall(r"^#include\s*(\S+)", text, re.M)
    assert set(includes) <= {"<cstdint>", "<cstddef>"}


SPOT = {
    2025: ("01-28", "01-29", "04-04", "05-31", "10-06"),
    2026: ("02-16", "02-17", "04-05", "06-19", "09-25"),
    2027: ("02-05", "02-06", "04-05", "06-09", "09-15"),
}


@pytest.mark.parametrize("year", sorted(SPOT))
def test_spot_dates(table, year):
    got = tuple(table[year][f].strftime("%m-%d") for f in FIELDS)
    assert got == SPOT[year]


def test_festival_invariants(table):
    for year, row in table.items():
        assert row["chuxi"] + ONE_DAY == row["spring"], year
        assert dt.date(year, 1, 21) <= row["spring"] <= dt.date(year, 2, 20), year
        assert row["qingming"] in (dt.date(year, 4, 4), dt.date(year, 4, 5), dt.date(year, 4, 6)), year
        assert row["spring"] < row["qingming"] < row["dragon_boat"] < row["mid_autumn"], year


# --- (b) lunardate ---------------------------------------------------------------------------------


def _to_solar(year: int, month: int, day: int) -> dt.date:
    d = lunardate.LunarDate(year, month, day)
    return d.to_solar_date() if hasattr(d, "to_solar_date") else d.toSolarDate()


def _from_solar(day: dt.date):
    cls = lunardate.LunarDate
    f = cls.from_solar_date if hasattr(cls, "from_solar_date") else cls.fromSolarDate
    return f(day.year, day.month, day.day)


def test_lunar_dates_agree_with_lunardate(table):
    mismatches: List[Tuple[int, str, dt.date, dt.date]] = []
    for year, row in table.items():
        if year <= 2099:  # lunardate covers lunar years 1900..2099
            for field, (m, d) in (("spring", (1, 1)), ("dragon_boat", (5, 5)), ("mid_autumn", (8, 15))):
                want = _to_solar(year, m, d)
                if row[field] != want:
                    mismatches.append((year, field, row[field], want))
        # 除夕 is the last day of month 12 of the previous lunar year (29 or 30 days long).
        chuxi = _from_solar(row["chuxi"])
        leap = chuxi.is_leap_month if hasattr(chuxi, "is_leap_month") else chuxi.isLeapMonth
        last_of_12 = 30 if chuxi.day == 30 else 29
        ok = (chuxi.year, chuxi.month, chuxi.day, leap) == (year - 1, 12, last_of_12, False)
        if ok and year <= 2099:
            ok = _from_solar(row["spring"]) == lunardate.LunarDate(year, 1, 1)
        if ok and chuxi.day == 29:  # a 29-day month 12 has no 三十
            with pytest.raises(ValueError):
                _to_solar(year - 1, 12, 30)
        if not ok:
            mismatches.append((year, "chuxi", row["chuxi"], chuxi))
    assert not mismatches, mismatches


# --- (b) ephem ---------------------------------------------------------------------------------------


def _china_date(d) -> dt.date:
    return ephem.Date(float(d) + 8 * ephem.hour).datetime().date()


def _china_midnight(day: dt.date):
    return ephem.Date(dt.datetime(day.year, day.month, day.day) - dt.timedelta(hours=8))


def _sun_longitude(d) -> float:
    """The Sun's apparent geocentric ecliptic longitude (degrees, ecliptic and equinox of date)."""
    d = ephem.Date(d)
    sun = ephem.Sun(d)  # no observer: ra/dec are apparent geocentric, of date
    return math.degrees(float(ephem.Ecliptic(ephem.Equatorial(sun.ra, sun.dec, epoch=d), epoch=d).lon))


def _when_sun_reaches(target: float, lo: str, hi: str):
    def f(x: float) -> float:
        return (_sun_longitude(x) - target + 180.0) % 360.0 - 180.0

    a, b = float(ephem.Date(lo)), float(ephem.Date(hi))
    assert f(a) < 0 < f(b), (target, lo, hi)
    while b - a > 1.0 / 86400:  # one second
        mid = (a + b) / 2
        if f(mid) < 0:
            a = mid
        else:
            b = mid
    return ephem.Date((a + b) / 2)


def test_qingming_agrees_with_ephem(table):
    mismatches = []
    for year, row in table.items():
        instant = _when_sun_reaches(15.0, f"{year}/3/31", f"{year}/4/9")
        if _china_date(instant) != row["qingming"]:
            mismatches.append((year, row["qingming"], str(ephem.Date(instant + 8 * ephem.hour)) + " UTC+8"))
    assert not mismatches, mismatches


def _month11_start(year: int):
    """The new moon that starts the lunar month holding the winter solstice of `year` (China dates)."""
    solstice = _when_sun_reaches(270.0, f"{year}/12/18", f"{year}/12/26")
    after = ephem.next_new_moon(solstice)
    return after if _china_date(after) == _china_date(solstice) else ephem.previous_new_moon(solstice)


def _astronomical_month_starts(year: int) -> Dict[int, dt.date]:
    """First days of the non-leap months 11, 12 (of year-1) and 1..10 in the 岁 ending at 冬至 `year`.

    GB/T 33661-2017: a month starts on the China-time day of a new moon; month 11 holds the winter
    solstice; with 13 months between two months 11, the first month holding no 中气 (a multiple of
    30° of solar longitude) is the leap month.
    """
    new_moons = [_month11_start(year - 1)]
    end = _month11_start(year)
    while _china_date(new_moons[-1]) != _china_date(end):
        new_moons.append(ephem.next_new_moon(ephem.Date(new_moons[-1] + 1)))
    days = [_china_date(n) for n in new_moons]
    count = len(days) - 1
    assert count in (12, 13), (year, count)
    leap = None
    if count == 13:
        lons = [_sun_longitude(_china_midnight(d)) for d in days]
        for i in range(1, len(lons)):
            while lons[i] < lons[i - 1]:
                lons[i] += 360.0
        leap = next(i for i in range(count) if math.floor(lons[i + 1] / 30) == math.floor(lons[i] / 30))
    starts: Dict[int, dt.date] = {}
    number = 10
    for i in range(count):
        if i == leap:
            continue
        number = number % 12 + 1
        starts[number] = days[i]
    return starts


def test_lunar_dates_agree_with_an_ephem_astronomical_calendar(table):
    mismatches = []
    for year, row in table.items():
        starts = _astronomical_month_starts(year)
        want = {
            "chuxi": starts[1] - ONE_DAY,
            "spring": starts[1],
            "dragon_boat": starts[5] + 4 * ONE_DAY,
            "mid_autumn": starts[8] + 14 * ONE_DAY,
        }
        for field, day in want.items():
            if row[field] != day:
                mismatches.append((year, field, row[field], day))
    assert not mismatches, mismatches


def test_the_parser_sees_a_wrong_row():
    text = _header_text()
    broken = text.replace("{2026, 2, 16, 2, 17,", "{2026, 2, 17, 2, 18,", 1)
    assert broken != text
    row = _parse(broken)[2026]
    assert row["spring"] != _to_solar(2026, 1, 1)
