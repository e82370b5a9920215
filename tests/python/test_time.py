"""Instants, zones and local dates (foundation issue)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kefu

UTC = dt.timezone.utc
CST = dt.timezone(dt.timedelta(hours=8))


def test_parse_instant_with_offset_and_local_text():
    assert kefu.parse_instant("2026-02-14T10:00:00+08:00") == dt.datetime(2026, 2, 14, 2, tzinfo=UTC)
    local = kefu.parse_instant("2026-02-14 10:00", "+08:00")
    assert local == dt.datetime(2026, 2, 14, 10, tzinfo=CST)
    assert local.utcoffset() == dt.timedelta(hours=8)


def test_bad_instant_is_a_parse_error_naming_the_text():
    with pytest.raises(kefu.ParseError, match=r"bad date-time '2026-02-30T10:00'"):
        kefu.parse_instant("2026-02-30T10:00")
    with pytest.raises(kefu.ParseError, match="bad date '2025-02-29'"):
        kefu.parse_date("2025-02-29")


def test_local_date_across_midnight():
    shanghai = kefu.TimeZone("Asia/Shanghai")
    t = dt.datetime(2026, 2, 14, 16, 30, tzinfo=UTC)
    assert shanghai.local_date(t) == dt.date(2026, 2, 15)
    assert kefu.TimeZone("UTC").local_date(t) == dt.date(2026, 2, 14)
    assert shanghai.local_date(dt.datetime(2026, 2, 14, 23, 59)) == dt.date(2026, 2, 14)  # naive = local
    assert shanghai.to_local(t) == t and shanghai.to_local(t).utcoffset() == dt.timedelta(hours=8)
    assert shanghai.offset == dt.timedelta(hours=8)
    assert kefu.format_instant(t, shanghai) == "2026-02-15T00:30:00+08:00"
    assert kefu.format_instant(t) == "2026-02-14T16:30:00Z"


def test_zones_with_daylight_saving_are_refused():
    with pytest.raises(kefu.ParseError, match="Europe/Berlin"):
        kefu.TimeZone("Europe/Berlin")
    with pytest.raises(TypeError):
        kefu.format_instant("2026-01-01")


@given(st.datetimes(min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(2999, 12, 31)), st.integers(-14 * 4, 14 * 4))
def test_format_parse_round_trip(naive, quarter_hours):
    zone = dt.timezone(dt.timedelta(minutes=15 * quarter_hours))
    t = naive.replace(microsecond=0, tzinfo=zone)
    text = kefu.format_instant(t, "+08:00")
    assert kefu.parse_instant(text) == t
    assert kefu.TimeZone("+08:00").local_date(t) == t.astimezone(CST).date()
