"""The calendar horizon from Python (DOM-SLA-8): provisional days past cn-mainland's official data, triage
and tickets that say so, strict mode, overlays that bring next year's notice, horizon warnings."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kefu

CST = dt.timezone(dt.timedelta(hours=8))
mainland = kefu.Calendar.builtin("cn-mainland")
policy = kefu.default_policy()
strict_policy = kefu.default_policy(beyond_official="error")

# Made-up 2027 dates in the shape `kefu calendar notice` writes (shared with the C++ horizon tests).
OVERLAY_2027 = (Path(__file__).resolve().parents[1] / "data" / "calendars" / "overlay-2027.yaml").read_text(encoding="utf-8")


def facts(category: str, received: dt.datetime) -> dict[str, object]:
    return dict(business="mall", channel="phone", category=category, received_at=received)


def test_the_horizon_is_visible():
    assert mainland.official_until == dt.date(2026, 12, 31)
    assert mainland.provisional_until == dt.date(2035, 12, 31)
    assert not mainland.strict
    assert not mainland.is_provisional(dt.date(2026, 12, 31)) and mainland.is_provisional("2027-01-01")
    days = np.array(["2026-12-31", "2027-01-01"], dtype="datetime64[D]")
    assert mainland.is_provisional(days).tolist() == [False, True]
    info = mainland.day_info("2027-02-06")
    assert (info.kind, info.name, info.provisional) == ("holiday", "春节 Spring Festival", True)
    assert repr(mainland) == "Calendar('cn-mainland', 2004-01-01..2026-12-31, provisional 2027-01-01..2035-12-31)"
    assert kefu.Calendar.builtin("always").provisional_until is None


def test_2027_under_the_holiday_law():
    assert not mainland.is_working_day(dt.date(2027, 1, 1))
    for day in (5, 6, 7, 8):  # 除夕 and 正月初一..初三
        assert not mainland.is_working_day(dt.date(2027, 2, day))
    assert mainland.is_working_day(dt.date(2027, 1, 4))
    assert mainland.is_working_day(dt.date(2027, 2, 9))
    assert kefu.statutory_holidays(2027)[:2] == [
        (dt.date(2027, 1, 1), "元旦 New Year's Day"),
        (dt.date(2027, 2, 5), "春节 Spring Festival"),
    ]


def test_an_l3_ticket_received_on_christmas_eve_triages_with_provisional_deadlines():
    r = policy.triage(facts("quality_defect", dt.datetime(2026, 12, 24, 10, tzinfo=CST)))
    assert r.tier == "L3"
    assert r.deadlines.resolution.due == dt.datetime(2027, 1, 6, tzinfo=CST)
    assert r.deadlines.resolution.provisional
    assert not r.deadlines.first_response.provisional  # 24 h of wall-clock time
    assert "provisional" in repr(r.deadlines.resolution)
    explained = r.explain()
    assert "provisional: the resolution deadline 2027-01-06T00:00:00+08:00 rests on days after 2026-12-31" in explained
    assert "以国务院通知为准" in explained
    frame = policy.triage([facts("quality_defect", dt.datetime(2026, 12, 24, 10, tzinfo=CST))])
    assert frame[0].deadlines.resolution.provisional


@settings(max_examples=60, deadline=None)
@given(
    day=st.integers(20, 31),
    hour=st.integers(0, 23),
    category=st.sampled_from(["quality_defect", "cold_chain_break", "refund_request", "service_attitude"]),
)
def test_l2_and_l3_tickets_of_late_december_triage_and_flag_exactly_the_provisional_deadlines(day, hour, category):
    received = dt.datetime(2026, 12, day, hour, tzinfo=CST)
    r = policy.triage(facts(category, received))
    deadlines = [r.deadlines.first_response, r.deadlines.resolution] + ([r.deadlines.follow_up] if r.deadlines.follow_up else [])
    for d in deadlines:
        if d.calendar is None:
            assert not d.provisional
        else:
            # The day of the deadline's last second is past the official data exactly when it is provisional.
            last_second = (d.due - dt.timedelta(seconds=1)).astimezone(CST).date()
            assert d.provisional == (last_second > dt.date(2026, 12, 31)), (d, last_second)
    frame = policy.triage(__import__("pandas").DataFrame([facts(category, received)]))
    assert bool(frame["deadlines_provisional"].iloc[0]) == any(d.provisional for d in deadlines + list(r.targets))


def test_strict_mode_restores_the_range_error_and_names_the_clock():
    l3 = facts("quality_defect", dt.datetime(2026, 12, 24, 10, tzinfo=CST))
    with pytest.raises(kefu.CalendarRangeError) as info:
        strict_policy.triage(l3)
    assert str(info.value).startswith(
        "rule TIER-L3: resolution deadline (7 workdays on cn-mainland): the close of 7 working days after 2026-12-24 "
        "falls after the end of calendar 'cn-mainland' (2004-01-01..2026-12-31): the calendar is strict"
    )
    l2 = facts("refund_request", dt.datetime(2026, 12, 28, 10, tzinfo=CST))
    with pytest.raises(kefu.CalendarRangeError, match=r"follow-up deadline \(3 workdays on cn-mainland\)"):
        strict_policy.triage(l2)
    # In a batch the row is named and the class is kept.
    with pytest.raises(kefu.CalendarRangeError, match=r"^rule TIER-L3: row 1: resolution deadline"):
        strict_policy.triage([facts("consultation", dt.datetime(2026, 12, 1, tzinfo=CST)), l3])
    # Strict tickets of early December are unaffected.
    assert not strict_policy.triage(facts("quality_defect", dt.datetime(2026, 12, 1, 10, tzinfo=CST))).deadlines.resolution.provisional
    assert strict_policy.calendar("cn-office").strict


def test_ticket_clocks_say_provisional():
    received = dt.datetime(2026, 12, 24, 10, tzinfo=CST)
    t = kefu.Ticket(policy, facts("quality_defect", received), at=received)
    t.triage(received + dt.timedelta(minutes=5), by="agent")
    assert t.tier == "L3"
    sla = t.sla(dt.datetime(2026, 12, 24, 11, tzinfo=CST))
    assert sla["resolution"].provisional
    assert sla["resolution"].due == dt.datetime(2027, 1, 6, tzinfo=CST)
    assert not sla["first_response"].provisional


@settings(max_examples=40, deadline=None)
@given(year=st.sampled_from([2025, 2026]), index=st.integers(0, 12))
def test_the_laws_days_are_official_days_off_in_2025_and_2026(year, index):
    days = kefu.statutory_holidays(year)
    assert len(days) == 13
    day, name = days[index]
    info = mainland.day_info(day)
    assert info.kind == "holiday" and not info.provisional, (day, name, info)


def test_a_rules_directory_overlay_makes_2027_official_everywhere(tmp_path: Path):
    rules = tmp_path / "rules"
    shutil.copytree(kefu.default_rules_dir(), rules)
    (rules / "calendars" / "cn-mainland.yaml").write_text(OVERLAY_2027, encoding="utf-8")
    amended = kefu.Policy.load(rules)
    assert amended.calendar("cn-mainland").official_until == dt.date(2027, 12, 31)
    assert amended.calendar("cn-office").official_until == dt.date(2027, 12, 31)  # rebuilt on the overlay
    r = amended.triage(facts("quality_defect", dt.datetime(2026, 12, 24, 10, tzinfo=CST)))
    assert (r.deadlines.resolution.due, r.deadlines.resolution.provisional) == (dt.datetime(2027, 1, 6, tzinfo=CST), False)
    # The notice's long Spring Festival moves a February deadline that the law alone would not.
    received = dt.datetime(2027, 2, 4, 10, tzinfo=CST)
    before = policy.triage(facts("quality_defect", received)).deadlines.resolution
    after = amended.triage(facts("quality_defect", received)).deadlines.resolution
    assert before.provisional and not after.provisional
    # Law only: 02-05..08 off, so 02-09..12, 15, 16, 17 are the 7 working days. The notice: 02-05..13 off,
    # Sunday 02-14 worked, so 02-14..19 and 02-22.
    assert before.due == dt.datetime(2027, 2, 18, tzinfo=CST)
    assert after.due == dt.datetime(2027, 2, 23, tzinfo=CST)


def test_horizon_warning_for_alerts():
    assert mainland.horizon_warning(dt.date(2026, 10, 1)) is None
    warning = mainland.horizon_warning(dt.date(2026, 12, 1))
    assert warning is not None and warning.startswith("calendar 'cn-mainland': official data ends on 2026-12-31 (in 30 days)")
    assert mainland.horizon_warning(dt.date(2026, 12, 1), within_days=10) is None


def test_errors_carry_stable_ids():
    strict = kefu.Calendar.builtin("cn-mainland", beyond_official="error")
    with pytest.raises(kefu.CalendarRangeError) as info:
        strict.add(dt.datetime(2026, 12, 30, 10), "3 workdays")
    assert info.value.id == "kefu.calendar.out_of_range"
    with pytest.raises(kefu.CalendarRangeError) as batch:
        strict_policy.triage([facts("quality_defect", dt.datetime(2026, 12, 24, 10, tzinfo=CST))])
    assert batch.value.id == "kefu.calendar.out_of_range"  # context added, id and class kept
    with pytest.raises(kefu.ParseError) as parse:
        kefu.Duration("3 wrkdays")
    assert parse.value.id == "kefu.parse"
    assert kefu.Error.id == "kefu.error"


def _kefu(*args: str):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "kefu", *args], capture_output=True, text=True, encoding="utf-8")


def test_cli_calendar_info(tmp_path: Path):
    result = _kefu("calendar", "info", "cn-mainland", "--today", "2026-12-01")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("calendar cn-mainland — ")
    assert lines[1] == "  zone:                   +08:00"
    assert lines[2] == "  official data:          2004-01-01 … 2026-12-31"
    assert "2027-01-01 … 2035-12-31 (law cn-statutory-2025" in lines[3]
    assert "01-01 元旦 New Year's Day, 02-05…02-08 春节 Spring Festival, 04-05 清明节 Qingming Festival" in lines[4]
    assert "warning: calendar 'cn-mainland': official data ends on 2026-12-31 (in 30 days)" in lines[5]
    calm = _kefu("calendar", "info", "cn-office", "--today", "2026-06-01").stdout
    assert "official data lasts more than 60 days" in calm
    # With a rules directory, its overlay applies (cn-office is rebuilt on it).
    rules = tmp_path / "rules"
    shutil.copytree(kefu.default_rules_dir(), rules)
    (rules / "calendars" / "cn-mainland.yaml").write_text(OVERLAY_2027, encoding="utf-8")
    amended = _kefu("calendar", "info", "cn-office", "--rules", str(rules), "--today", "2026-12-01").stdout
    assert "2004-01-01 … 2027-12-31" in amended and "2028-01-01 … 2035-12-31" in amended
    assert "2028 projected:         01-01 元旦 New Year's Day" in amended
    bad = _kefu("calendar", "info", "cn-mainlnd")
    assert bad.returncode == 1 and "did you mean 'cn-mainland'?" in bad.stderr


def test_cli_calendar_info_in_chinese():
    """`kefu calendar info --lang zh` reads as Chinese: labels, the projection, holiday names as on the notices
    (without the English half), the horizon warning with the days left, and a calendar whose data has run out."""
    lines = _kefu("calendar", "info", "cn-mainland", "--today", "2026-12-01", "--lang", "zh").stdout.splitlines()
    assert lines[0].startswith("日历 cn-mainland — ")
    assert lines[1:5] == [
        "  时区：                  +08:00",
        "  官方数据：              2004-01-01 … 2026-12-31",
        "  暂定范围：              2027-01-01 … 2035-12-31（按节假日法 cn-statutory-2025 推算：仅含周末和法定假日，不含调休）",
        "  2027年推算：            01-01 元旦，02-05…02-08 春节，04-05 清明节，05-01…05-02 劳动节，06-09 端午节，"
        "09-15 中秋节，10-01…10-03 国庆节",
    ]
    assert lines[5] == ("  截至 2026-12-01：       注意：日历 'cn-mainland'：官方数据截至 2026-12-31（还剩 30 天）；"
                        "此后的时限为暂定（按节假日规则推算至 2035-12-31）：请导入下一年度的国务院节假日通知"
                        "（kefu calendar notice）")  # as kefu lint --lang zh says it
    late = _kefu("calendar", "info", "cn-office", "--today", "2027-02-02", "--lang", "zh").stdout
    assert "官方数据已于 2026-12-31 截止（33 天前）" in late
    calm = _kefu("calendar", "info", "fresh-shifts", "--today", "2026-12-01", "--lang", "zh").stdout.splitlines()
    assert calm[3:] == ["  暂定范围：              无——官方数据之后的日期报错", "  截至 2026-12-01：       官方数据还可用 60 天以上"]
