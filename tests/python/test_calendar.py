"""Working-day calendars from Python (issue: SLA calendars; DOM-SLA-1…4, DOM-SLA-7)."""

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kefu

CST = dt.timezone(dt.timedelta(hours=8))
office = kefu.Calendar.builtin("cn-office")
mainland = kefu.Calendar.builtin("cn-mainland")


def test_builtins_by_name():
    assert kefu.Calendar.builtin_names() == ["always", "cn-mainland", "cn-office", "fresh-shifts"]
    assert (mainland.first_date, mainland.official_until, mainland.last_date) == (
        dt.date(2004, 1, 1),
        dt.date(2026, 12, 31),
        dt.date(2035, 12, 31),
    )
    assert office.zone == kefu.TimeZone("+08:00")
    with pytest.raises(kefu.Error, match=r"did you mean 'cn-office'\?"):
        kefu.Calendar.builtin("cn-ofice")


def test_statutory_days_and_makeup_days():
    assert not mainland.is_working_day(dt.date(2026, 2, 17))
    assert mainland.is_working_day(dt.date(2026, 2, 14))  # 调休 Saturday
    info = mainland.day_info("2026-02-14")
    assert (info.kind, info.name, info.hours) == ("makeup_workday", "春节调休", ["00:00-24:00"])
    assert office.day_info(dt.date(2026, 2, 14)).hours == ["09:00-12:00", "13:30-18:00"]


def test_deadlines_keep_the_inputs_awareness():
    naive = office.add(dt.datetime(2026, 2, 13, 17), "4 business hours")
    assert naive == dt.datetime(2026, 2, 14, 12) and naive.tzinfo is None
    aware = office.add(dt.datetime(2026, 2, 13, 9, tzinfo=dt.timezone.utc), "4 business hours")
    assert aware == dt.datetime(2026, 2, 14, 12, tzinfo=CST) and aware.tzinfo is dt.timezone.utc
    assert mainland.add(dt.datetime(2026, 3, 7, 10), "1 workday") == dt.datetime(2026, 3, 10)  # Saturday → close of Monday
    assert mainland.add(dt.datetime(2026, 2, 13, 10), kefu.Duration("3个工作日")) == dt.datetime(2026, 2, 26)
    assert office.add(dt.datetime(2026, 2, 13, 10), dt.timedelta(hours=24)) == dt.datetime(2026, 2, 14, 10)


def test_measuring():
    assert office.working_time_between(dt.datetime(2026, 2, 13, 9), dt.datetime(2026, 2, 24, 10)) == dt.timedelta(hours=16)
    assert mainland.working_days_between(dt.date(2026, 2, 13), dt.date(2026, 2, 25)) == 3
    assert mainland.working_days_between(dt.date(2026, 2, 25), dt.date(2026, 2, 13)) == -3
    assert office.is_open(dt.datetime(2026, 2, 14, 9)) and not office.is_open(dt.datetime(2026, 3, 2, 12, 30))


def test_range_errors_are_explicit():
    strict = kefu.Calendar.builtin("cn-mainland", beyond_official="error")
    with pytest.raises(kefu.CalendarRangeError) as info:
        strict.add(dt.datetime(2026, 12, 30, 10), "3 workdays")
    assert str(info.value) == (
        "the close of 3 working days after 2026-12-30 falls after the end of calendar 'cn-mainland' "
        "(2004-01-01..2026-12-31): the calendar is strict (`beyond_official: error`); load the year's holiday "
        "notice (`kefu calendar notice`) or allow the provisional projection"
    )
    with pytest.raises(kefu.CalendarRangeError):
        strict.is_working_day(np.array(["2027-01-04"], dtype="datetime64[D]"))
    with pytest.raises(kefu.CalendarRangeError, match="past the provisional projection nothing is guessed"):
        mainland.is_working_day(np.array(["2036-01-04"], dtype="datetime64[D]"))


def test_bad_calendar_file_names_file_line_column(tmp_path):
    path = tmp_path / "team.yaml"
    path.write_text('calendar: team\nzone: "+08:00"\nrange: {from: 2026-01-01, to: 2026-12-31}\nhours: ["21:00-08:00"]\n')
    with pytest.raises(kefu.PolicyError) as info:
        kefu.Calendar.load(path)
    e = info.value
    assert (e.file, e.line, e.column) == (str(path), 4, 9)
    assert e.detail == "bad hours '21:00-08:00': ends before it starts (write 21:00-08:00+1 for hours that cross midnight)"


def test_durations():
    assert str(kefu.Duration("2 工作小时")) == "2 business hours"
    assert kefu.Duration("3 workdays").clock == kefu.Clock.workdays
    with pytest.raises(kefu.ParseError, match="unknown unit 'fortnights'"):
        kefu.Duration("2 fortnights")


def test_vectorised_forms_match_scalars_and_keep_nat():
    starts = np.array(["2026-02-13T17:00", "2026-03-02T12:30", "NaT", "2026-02-16T10:00"], dtype="datetime64[s]")
    out = office.add(starts, "4 business hours")
    assert out.dtype == np.dtype("datetime64[s]")
    for s, o in zip(starts, out):
        if np.isnat(s):
            assert np.isnat(o)
        else:
            assert o == np.datetime64(office.add(s.astype(dt.datetime), "4 business hours"))
    days = np.array(["2026-02-13", "2026-02-14", "2026-02-15"], dtype="datetime64[D]")
    assert mainland.is_working_day(days).tolist() == [True, True, False]
    assert mainland.working_days_between(days, np.datetime64("2026-02-25")).tolist() == [3, 2, 1]
    between = office.working_time_between(starts[:2], starts[:2] + np.timedelta64(3, "D"))
    assert between.dtype == np.dtype("timedelta64[s]")
    with pytest.raises(TypeError, match="datetime64"):
        office.add(np.array([1, 2]), "1h")


def test_sla_clock_pauses_and_reports():
    clock = kefu.SlaClock(office, "4 business hours", warn_before="30 business minutes")
    clock.start(dt.datetime(2026, 3, 2, 9))
    clock.pause(dt.datetime(2026, 3, 2, 10))
    clock.resume(dt.datetime(2026, 3, 3, 9))
    s = clock.status(dt.datetime(2026, 3, 3, 10))
    assert (s.state, s.elapsed, s.remaining, s.due) == ("running", dt.timedelta(hours=2), dt.timedelta(hours=2), dt.datetime(2026, 3, 3, 12))
    assert s.warn_at == dt.datetime(2026, 3, 3, 11, 30)
    assert clock.status(dt.datetime(2026, 3, 3, 12, 0, 1)).state == "breached"
    assert [kind for kind, _ in clock.events] == ["start", "pause", "resume"]
    with pytest.raises(kefu.Error, match="cannot resume an SLA clock that is running"):
        clock.resume(dt.datetime(2026, 3, 3, 11))


# ---- properties, against a slow reference walk written here ----

def reference_working_seconds(cal, a: dt.datetime, b: dt.datetime) -> int:
    """Walk day by day over the calendar's stated hours and intersect them with [a, b)."""
    spans = []
    day = a.date() - dt.timedelta(days=1)
    while day <= b.date():
        for text in cal.day_info(day).hours:
            start, end = text.removesuffix("+1").split("-")
            s = dt.datetime.combine(day, dt.time.fromisoformat(start))
            e_day = day + dt.timedelta(days=1) if text.endswith("+1") or end == "24:00" else day
            e = dt.datetime.combine(e_day, dt.time.fromisoformat("00:00" if end == "24:00" else end))
            spans.append((s, e))
        day += dt.timedelta(days=1)
    total, covered = 0, a
    for s, e in sorted(spans):
        lo, hi = max(s, covered), min(e, b)
        if hi > lo:
            total += int((hi - lo).total_seconds())
        covered = max(covered, min(e, b))
    return total


instants = st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2026, 11, 30)).map(
    lambda t: t.replace(microsecond=0)
)


@settings(max_examples=300, deadline=None)
@given(instants, instants, st.sampled_from(["cn-office", "cn-mainland", "fresh-shifts"]))
def test_measure_agrees_with_reference_walk(a, b, name):
    cal = kefu.Calendar.builtin(name)
    a, b = min(a, b), max(a, b)
    assert cal.working_time_between(a, b).total_seconds() == reference_working_seconds(cal, a, b)


@settings(max_examples=300, deadline=None)
@given(instants, st.integers(1, 60 * 3600), st.integers(0, 3 * 86400))
def test_add_then_measure_returns_the_amount_and_is_monotone(t, seconds, later):
    amount = dt.timedelta(seconds=seconds)
    end = office.add(t, f"{seconds} business seconds")
    assert office.working_time_between(t, end) == amount
    assert office.working_time_between(t, end - dt.timedelta(seconds=1)) < amount  # earliest such instant
    assert office.add(t + dt.timedelta(seconds=later), f"{seconds} business seconds") >= end


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 11, 30)), st.integers(1, 15))
def test_workdays_agree_with_a_day_by_day_count(day, n):
    due = mainland.add(dt.datetime.combine(day, dt.time(10)), f"{n} workdays")
    d, found = day, 0
    while found < n:
        d += dt.timedelta(days=1)
        found += mainland.is_working_day(d)
    assert due == dt.datetime.combine(d + dt.timedelta(days=1), dt.time())
    assert mainland.working_days_between(day + dt.timedelta(days=1), d + dt.timedelta(days=1)) == n
