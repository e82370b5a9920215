#include <kefu/calendar/load.hpp>

#include "calendar_test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <random>
#include <sstream>

using namespace kefu_test;
using kefu::calendar::builtin;
using kefu::calendar::parse_duration;

TEST(Calendar, BuiltinsAreThere) {
  EXPECT_EQ(kefu::calendar::builtin_names(), (std::vector<std::string>{"always", "cn-mainland", "cn-office", "fresh-shifts"}));
  EXPECT_EQ(builtin("cn-mainland")->range_text(), "2004-01-01..2035-12-31");
  EXPECT_EQ(builtin("cn-mainland")->horizon_text(), "2004-01-01..2026-12-31, provisional 2027-01-01..2035-12-31");
  EXPECT_EQ(builtin("cn-office")->horizon_text(), "2004-01-01..2026-12-31, provisional 2027-01-01..2035-12-31");
  EXPECT_EQ(builtin("always")->horizon_text(), "2000-01-01..2099-12-31");
  EXPECT_EQ(builtin("cn-mainland")->zone().name(), "+08:00");
  EXPECT_EQ(error_of([] { builtin("cn-mainlnd"); }),
            "no built-in calendar 'cn-mainlnd' (did you mean 'cn-mainland'?); built-in: always, cn-mainland, cn-office, "
            "fresh-shifts");
}

// Every holiday and make-up working day of 2024–2026 (DOM-SLA-2), against a list kept apart from the YAML.
TEST(Calendar, PinsEveryStatutoryDayOf2024To2026) {
  std::ifstream in(KEFU_TEST_DATA_DIR "/cn_mainland_2024_2026.csv");
  ASSERT_TRUE(in) << "missing tests/data/cn_mainland_2024_2026.csv";
  std::map<std::int64_t, std::string> listed;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string date, kind;
    std::getline(fields, date, ',');
    std::getline(fields, kind, ',');
    listed[day(date.c_str())] = kind;
  }
  ASSERT_EQ(listed.size(), 108u);
  const auto cal = builtin("cn-mainland");
  const auto office = builtin("cn-office");
  int holidays = 0, makeups = 0;
  for (std::int64_t d = day("2024-01-01"); d <= day("2026-12-31"); ++d) {
    const auto it = listed.find(d);
    const bool weekend = kefu::detail::iso_weekday_index(d) >= 5;
    const bool expected = it == listed.end() ? !weekend : it->second == "workday";
    ASSERT_EQ(cal->is_working_day(d), expected) << kefu::format_days(d);
    ASSERT_EQ(office->is_working_day(d), expected) << kefu::format_days(d);
    const auto info = cal->info(d);
    if (it != listed.end() && it->second == "holiday") {
      ++holidays;
      EXPECT_EQ(info.kind, kefu::calendar::day_kind::holiday);
      EXPECT_FALSE(info.name.empty());
    }
    if (it != listed.end() && it->second == "workday") {
      ++makeups;
      EXPECT_EQ(info.kind, kefu::calendar::day_kind::makeup_workday);
      EXPECT_TRUE(weekend) << kefu::format_days(d);
    }
  }
  EXPECT_EQ(holidays, 89);
  EXPECT_EQ(makeups, 19);
  EXPECT_EQ(cal->info(day("2026-02-17")).name, "春节 Spring Festival");
  EXPECT_EQ(cal->info(day("2026-02-14")).name, "春节调休");
}

// DOM-SLA-4: the receipt day is day 0; the deadline is the close of the N-th working day after it.
TEST(Calendar, WorkdayDeadlinesAcrossSpringFestival2026) {
  const auto cal = builtin("cn-mainland");
  const auto office = builtin("cn-office");
  // Fri 13 Feb; Sat 14 is a make-up working day; 15–23 Feb is the holiday.
  EXPECT_EQ(cst_text(cal->add_workdays(cst("2026-02-13T10:00"), 1)), "2026-02-15T00:00:00+08:00");
  EXPECT_EQ(cst_text(cal->add_workdays(cst("2026-02-13T10:00"), 3)), "2026-02-26T00:00:00+08:00");
  EXPECT_EQ(cst_text(office->add_workdays(cst("2026-02-13T10:00"), 3)), "2026-02-25T18:00:00+08:00");
  // Received on a holiday: day 0 is the holiday itself.
  EXPECT_EQ(cst_text(cal->add_workdays(cst("2026-02-16T23:59"), 1)), "2026-02-25T00:00:00+08:00");
  // Saturday + 1 working day = close of Monday (QuantLib/pandas convention, not Tuesday).
  EXPECT_EQ(cst_text(cal->add_workdays(cst("2026-03-07T10:00"), 1)), "2026-03-10T00:00:00+08:00");
  // 0 workdays: the close of the receipt day if it works, else of the next working day.
  EXPECT_EQ(cst_text(office->add_workdays(cst("2026-03-02T10:00"), 0)), "2026-03-02T18:00:00+08:00");
  EXPECT_EQ(cst_text(office->add_workdays(cst("2026-03-07T10:00"), 0)), "2026-03-09T18:00:00+08:00");
  // An instant given in UTC belongs to its Beijing date: 16:30Z on the 13th is the 14th in Beijing.
  EXPECT_EQ(cst_text(cal->add_workdays(kefu::parse_instant("2026-02-13T16:30:00Z"), 1)), "2026-02-25T00:00:00+08:00");
  // 14 Feb and 28 Feb are both make-up Saturdays: 14, 24, 25, 26, 27, 28 Feb, 2 Mar.
  EXPECT_EQ(cst_text(cal->add(cst("2026-02-13T10:00"), parse_duration("7 workdays"))), "2026-03-03T00:00:00+08:00");
}

TEST(Calendar, BusinessHoursWithLunchBreaksAndMakeupDays) {
  const auto office = builtin("cn-office");
  auto plus = [&](const char* t, const char* d) { return cst_text(office->add(cst(t), parse_duration(d))); };
  EXPECT_EQ(plus("2026-02-13T17:00", "4 business hours"), "2026-02-14T12:00:00+08:00");  // into the 调休 Saturday
  EXPECT_EQ(plus("2026-02-14T11:00", "2 business hours"), "2026-02-14T14:30:00+08:00");
  EXPECT_EQ(plus("2026-02-14T17:00", "2 business hours"), "2026-02-24T10:00:00+08:00");  // over the holiday
  EXPECT_EQ(plus("2026-03-02T12:30", "1 business hour"), "2026-03-02T14:30:00+08:00");   // starts inside lunch
  EXPECT_EQ(plus("2026-03-02T11:00", "1 business hour"), "2026-03-02T12:00:00+08:00");   // ends at an interval edge
  EXPECT_EQ(plus("2026-03-06T18:00", "30 business minutes"), "2026-03-09T09:30:00+08:00");
  EXPECT_EQ(plus("2026-03-02T08:00", "0s"), "2026-03-02T08:00:00+08:00");
  EXPECT_EQ(plus("2026-03-07T08:00", "24h"), "2026-03-08T08:00:00+08:00");  // wall clock ignores the calendar
  EXPECT_EQ(office->working_time_between(cst("2026-02-13T09:00"), cst("2026-02-24T10:00")), kefu::seconds(16 * 3600));
  EXPECT_EQ(office->working_time_between(cst("2026-02-24T10:00"), cst("2026-02-13T09:00")), kefu::seconds(-16 * 3600));
  EXPECT_TRUE(office->is_open(cst("2026-02-14T09:00")));
  EXPECT_FALSE(office->is_open(cst("2026-03-02T12:00")));
  EXPECT_FALSE(office->is_open(cst("2026-02-16T10:00")));
}

TEST(Calendar, CountsWorkingDaysHalfOpen) {
  const auto cal = builtin("cn-mainland");
  EXPECT_EQ(cal->working_days_between(day("2026-02-13"), day("2026-02-25")), 3);  // 13, 14, 24
  EXPECT_EQ(cal->working_days_between(day("2026-02-25"), day("2026-02-13")), -3);
  EXPECT_EQ(cal->working_days_between(day("2026-02-15"), day("2026-02-24")), 0);
  // 2026: 261 weekdays − 19 weekday holidays + 6 make-up days; 2025 likewise 248 (13 statutory days since 2025).
  EXPECT_EQ(cal->working_days_between(day("2026-01-01"), day("2027-01-01")), 248);
  EXPECT_EQ(cal->working_days_between(day("2025-01-01"), day("2026-01-01")), 248);
  EXPECT_EQ(cal->working_days_between(day("2024-01-01"), day("2025-01-01")), 251);
}

TEST(Calendar, ShiftsAndAllDayCalendars) {
  const auto fresh = builtin("fresh-shifts");
  // Shifts overlap at handover, so their union covers the clock round: opening time = wall time.
  EXPECT_EQ(cst_text(fresh->add(cst("2026-02-16T03:00"), parse_duration("12 business hours"))),
            "2026-02-16T15:00:00+08:00");
  // A day closes when its night shift ends, at 08:00 the next morning.
  EXPECT_EQ(cst_text(fresh->add_workdays(cst("2026-03-02T10:00"), 1)), "2026-03-04T08:00:00+08:00");
  const auto info = fresh->info(day("2026-03-02"));
  ASSERT_EQ(info.working_hours.size(), 1u);
  EXPECT_EQ(kefu::calendar::format_interval(info.working_hours[0]), "07:00-08:00+1");
  const auto always = builtin("always");
  EXPECT_EQ(cst_text(always->add_workdays(cst("2026-03-07T10:00"), 1)), "2026-03-09T00:00:00+08:00");
  EXPECT_EQ(always->working_days_between(day("2026-02-01"), day("2026-03-01")), 28);
}

TEST(Calendar, OutsideTheDeclaredRangeIsAnErrorNotAGuess) {
  // Strict: the official data only, today's behaviour before the projection (DOM-SLA-2).
  const auto cal = kefu::calendar::with_beyond_official(builtin("cn-mainland"), kefu::calendar::beyond_official::error);
  const std::string strict = ": the calendar is strict (`beyond_official: error`); load the year's holiday notice "
                             "(`kefu calendar notice`) or allow the provisional projection";
  EXPECT_EQ(error_of([&] { cal->is_working_day(day("2027-01-04")); }),
            "date 2027-01-04 is outside calendar 'cn-mainland' (2004-01-01..2026-12-31)" + strict);
  EXPECT_EQ(error_of([&] { cal->add_workdays(cst("2026-12-30T10:00"), 3); }),
            "the close of 3 working days after 2026-12-30 falls after the end of calendar 'cn-mainland' "
            "(2004-01-01..2026-12-31)" + strict);
  EXPECT_EQ(error_of([&] { cal->working_days_between(day("2003-12-31"), day("2004-02-01")); }),
            "date 2003-12-31 is outside calendar 'cn-mainland' (2004-01-01..2026-12-31)");
  const auto office = kefu::calendar::with_beyond_official(builtin("cn-office"), kefu::calendar::beyond_official::error);
  EXPECT_EQ(error_of([&] { office->add_working_time(cst("2026-12-31T17:00"), kefu::seconds(7200)); }),
            "adding 7200s of working time to 2026-12-31T17:00:00+08:00 passes the end of calendar 'cn-office' "
            "(2004-01-01..2026-12-31)" + strict);
  // With the projection, past its own end nothing is guessed either.
  EXPECT_EQ(error_of([&] { builtin("cn-mainland")->is_working_day(day("2036-01-02")); }),
            "date 2036-01-02 is outside calendar 'cn-mainland' (2004-01-01..2026-12-31, provisional "
            "2027-01-01..2035-12-31): past the provisional projection nothing is guessed");
  try {
    cal->is_working_day(day("2030-01-01"));
    FAIL();
  } catch (const kefu::calendar_range_error&) {
  }
  // The last day and the boundary just after it are in range.
  EXPECT_EQ(cal->working_days_between(day("2026-12-31"), day("2027-01-01")), 1);
}

TEST(CalendarFile, TeamCalendarExtendsASiblingAndAddsHalfDays) {
  scratch_dir dir;
  dir.write("base.yaml",
            "calendar: base\nzone: Asia/Shanghai\nrange: {from: 2026-01-01, to: 2026-12-31}\n"
            "hours: [\"09:00-18:00\"]\nholidays:\n  - {date: 2026-10-01, to: 2026-10-07, name: 国庆节}\n"
            "workdays:\n  - {date: 2026-10-10, name: 国庆调休}\n");
  const std::string team = dir.write(
      "team.yaml",
      "calendar: team\nextends: base\nhours: [\"08:00-12:00\", \"13:00-17:00\"]\n"
      "week: {sat: [\"10:00-14:00\"]}\n"
      "special_days:\n  - {date: 2026-09-30, hours: [\"08:00-12:00\"], name: 节前半天}\n");
  const auto cal = kefu::calendar::load_file(team);
  EXPECT_EQ(cal->name(), "team");
  EXPECT_EQ(cal->zone().name(), "Asia/Shanghai");
  EXPECT_FALSE(cal->is_working_day(day("2026-10-05")));
  EXPECT_TRUE(cal->is_working_day(day("2026-10-03")) == false);  // a holiday beats the Saturday hours
  EXPECT_TRUE(cal->is_working_day(day("2026-09-26")));           // an ordinary Saturday works 10–14
  const auto makeup = cal->info(day("2026-10-10"));
  EXPECT_EQ(makeup.kind, kefu::calendar::day_kind::makeup_workday);
  ASSERT_EQ(makeup.working_hours.size(), 2u);  // the team's hours, not the base's
  EXPECT_EQ(kefu::calendar::format_interval(makeup.working_hours[0]), "08:00-12:00");
  // Half day before the holiday: 4 business hours from 09:00 on the 30th run past noon into the 8th.
  EXPECT_EQ(cst_text(cal->add(cst("2026-09-30T09:00"), parse_duration("4 business hours"))),
            "2026-10-08T09:00:00+08:00");
}

TEST(CalendarFile, ErrorsPointAtFileLineAndColumn) {
  scratch_dir dir;
  auto load = [&](const std::string& name, const std::string& text) {
    const std::string path = dir.write(name, text);
    return error_of([&] { kefu::calendar::load_file(path); });
  };
  const std::string head = "calendar: team\nzone: \"+08:00\"\nrange: {from: 2026-01-01, to: 2026-12-31}\n";
  const std::string p = dir.path.generic_string() + "/";
  EXPECT_EQ(load("overlap.yaml", head + "hours: [\"09:00-12:00\", \"11:00-13:00\"]\n"),
            p + "overlap.yaml:4:24: hours: intervals 09:00-12:00 and 11:00-13:00 overlap (use `shifts:` for shifts "
                "that overlap at handover)");
  EXPECT_EQ(load("inverted.yaml", head + "hours: [\"21:00-08:00\"]\n"),
            p + "inverted.yaml:4:9: bad hours '21:00-08:00': ends before it starts (write 21:00-08:00+1 for hours "
                "that cross midnight)");
  EXPECT_EQ(load("both.yaml", head + "hours: [\"09:00-18:00\"]\nholidays:\n  - {date: 2026-02-14, name: x}\n"
                                     "workdays:\n  - {date: 2026-02-14}\n"),
            p + "both.yaml:8:5: 2026-02-14 is both a holiday (line 6) and a make-up working day");
  EXPECT_EQ(load("outside.yaml", head + "hours: [\"09:00-18:00\"]\nholidays:\n  - 2027-01-01\n"),
            p + "outside.yaml:6:5: holiday 2027-01-01 is outside the calendar's range 2026-01-01..2026-12-31");
  EXPECT_EQ(load("twice.yaml", head + "hours: [\"09:00-18:00\"]\nholidays:\n  - 2026-05-01\n  - {date: 2026-04-30, to: 2026-05-02}\n"),
            p + "twice.yaml:7:5: 2026-05-01 is listed as a holiday twice (first at line 6)");
  EXPECT_EQ(load("typo.yaml", head + "hours: [\"09:00-18:00\"]\nholidyas: []\n"),
            p + "typo.yaml:5:1: unknown key 'holidyas' in a calendar (did you mean 'holidays'?)");
  EXPECT_EQ(load("norange.yaml", "calendar: x\nzone: \"+08:00\"\nhours: [\"09:00-18:00\"]\n"),
            p + "norange.yaml:1:11: a calendar needs `range: {from: YYYY-MM-DD, to: YYYY-MM-DD}`: kefu refuses to "
                "guess which days are working days outside the data it has");
  EXPECT_EQ(load("baddate.yaml", head + "hours: [\"09:00-18:00\"]\nholidays: [2026-02-30]\n"),
            p + "baddate.yaml:5:12: bad date '2026-02-30' in holiday: expected an existing date as YYYY-MM-DD");
  EXPECT_EQ(load("ext.yaml", "calendar: x\nextends: cn-mainlnd\n"),
            p + "ext.yaml:2:10: `extends`: no calendar 'cn-mainlnd' next to this file or built in (did you mean "
                "'cn-mainland'?)");
  EXPECT_EQ(load("cycle.yaml", "calendar: cycle\nextends: cycle\n"), p + "cycle.yaml:2:10: `extends: cycle` makes a cycle");
  EXPECT_EQ(load("zone.yaml", "calendar: x\nzone: Europe/Paris\n"),
            p + "zone.yaml:2:7: unknown or unsupported time zone 'Europe/Paris': use a UTC offset such as +08:00 (zone "
                "ids are accepted only for zones without daylight-saving time, e.g. Asia/Shanghai)");
}

// ---- Property tests: the table look-ups against a slow day-by-day reference walk. ----

namespace {
/// Working seconds in [a, b) by walking every day's intervals (a ≤ b, local seconds).
std::int64_t reference_between(const kefu::calendar::calendar& cal, std::int64_t a, std::int64_t b) {
  std::vector<std::pair<std::int64_t, std::int64_t>> ivs;
  for (std::int64_t d = kefu::detail::floor_div(a, 86400) - 1; d <= kefu::detail::floor_div(b, 86400); ++d) {
    if (d < cal.first_day() || d > cal.last_day()) continue;
    for (const auto iv : cal.info(d).working_hours) ivs.emplace_back(d * 86400 + iv.start, d * 86400 + iv.end);
  }
  std::sort(ivs.begin(), ivs.end());
  std::int64_t total = 0, covered_to = a;
  for (const auto& [s, e] : ivs) {
    const std::int64_t lo = std::max(s, covered_to), hi = std::min(e, b);
    if (hi > lo) total += hi - lo;
    covered_to = std::max(covered_to, std::min(e, b));
  }
  return total;
}
std::int64_t reference_add_workdays(const kefu::calendar::calendar& cal, std::int64_t d0, int n) {
  std::int64_t d = d0;
  if (n == 0 && cal.is_working_day(d)) return d;
  for (int found = 0; found < std::max(n, 1);)
    if (cal.is_working_day(++d)) ++found;
  return d;
}
}  // namespace

TEST(CalendarProperty, FastPathsAgreeWithAReferenceWalk) {
  scratch_dir dir;
  // Lunch breaks, a night shift that crosses midnight, half days, holidays and make-up days together.
  const auto custom = kefu::calendar::load_file(dir.write(
      "mixed.yaml",
      "calendar: mixed\nextends: cn-mainland\nrange: {from: 2025-06-01, to: 2026-06-30}\n"
      "hours: [\"09:00-12:00\", \"13:30-18:00\", \"22:00-06:00+1\"]\nweek: {sat: [\"10:00-12:00\"]}\n"
      "special_days:\n  - {date: 2026-02-13, hours: [\"09:00-12:00\"], name: 节前半天}\n"));
  const auto zone = kefu::time_zone::parse("+08:00");
  std::mt19937_64 rng(20261123);
  for (const auto& cal : {builtin("cn-office"), builtin("fresh-shifts"), builtin("always"), custom}) {
    const std::int64_t lo = std::max<std::int64_t>(cal->first_day(), day("2025-06-01")) * 86400;
    const std::int64_t hi = std::min<std::int64_t>(cal->last_day(), day("2026-06-20")) * 86400;
    std::uniform_int_distribution<std::int64_t> when(lo, hi), amount(1, 40 * 3600);
    for (int i = 0; i < 3000; ++i) {
      std::int64_t a = when(rng), b = when(rng);
      if (b < a) std::swap(a, b);
      const auto ta = zone.from_local_seconds(a), tb = zone.from_local_seconds(b);
      ASSERT_EQ(cal->working_time_between(ta, tb).count(), reference_between(*cal, a, b)) << cal->name() << " " << a;
      // add then measure returns the amount; the result is the earliest such instant.
      const kefu::seconds add(amount(rng));
      const auto end = cal->add_working_time(ta, add);
      ASSERT_EQ(cal->working_time_between(ta, end), add) << cal->name();
      ASSERT_LT(cal->working_time_between(ta, end - kefu::seconds(1)), add) << cal->name();
      // monotone
      ASSERT_LE(end, cal->add_working_time(tb, add));
      // working days
      const int n = static_cast<int>(rng() % 8);
      const auto due = cal->add_workdays(ta, n);
      const std::int64_t ref_day = reference_add_workdays(*cal, zone.local_day(ta), n);
      ASSERT_EQ(due, cal->close_of(ref_day)) << cal->name() << " n=" << n;
      const std::int64_t da = kefu::detail::floor_div(a, 86400), db = kefu::detail::floor_div(b, 86400);
      std::int64_t count = 0;
      for (std::int64_t d = da; d < db; ++d) count += cal->is_working_day(d);
      ASSERT_EQ(cal->working_days_between(da, db), count);
      ASSERT_EQ(cal->working_days_between(db, da), -count);
    }
  }
}
