// The calendar horizon (DOM-SLA-8): official data, the provisional projection past it, strict mode,
// overlays that bring next year's notice, and the warnings that say when the data runs out.
#include <kefu/calendar/load.hpp>
#include <kefu/calendar/sla_clock.hpp>

#include "calendar_test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>
#include <set>

using namespace kefu_test;
using kefu::calendar::beyond_official;
using kefu::calendar::builtin;
using kefu::calendar::day_kind;
using kefu::calendar::parse_duration;

namespace {

// The 2027 overlay of tests/data/calendars (made-up dates in the shape `kefu calendar notice` writes).
std::string overlay_2027() {
  std::ifstream in(std::string(KEFU_TEST_DATA_DIR) + "/calendars/overlay-2027.yaml", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST(CalendarHorizon, MainlandKnowsWhereItsOfficialDataEnds) {
  const auto cal = builtin("cn-mainland");
  EXPECT_EQ(kefu::format_days(cal->official_until()), "2026-12-31");
  EXPECT_EQ(kefu::format_days(cal->last_day()), "2035-12-31");
  EXPECT_TRUE(cal->projects());
  EXPECT_FALSE(cal->strict());
  EXPECT_FALSE(cal->is_provisional(day("2026-12-31")));
  EXPECT_TRUE(cal->is_provisional(day("2027-01-01")));
  EXPECT_FALSE(cal->info(day("2026-10-01")).provisional);
  const auto ny = cal->info(day("2027-01-01"));
  EXPECT_TRUE(ny.provisional);
  EXPECT_EQ(ny.kind, day_kind::holiday);
  EXPECT_EQ(ny.name, "元旦 New Year's Day");
  // Calendars without a projection end where their data ends.
  EXPECT_FALSE(builtin("always")->projects());
  EXPECT_EQ(builtin("always")->official_until(), builtin("always")->last_day());
}

TEST(CalendarHorizon, ProjectsTheHolidayLawOf2024Into2027) {
  const auto cal = builtin("cn-mainland");
  // 元旦 (Friday), then an ordinary Monday: no make-up days are guessed.
  EXPECT_FALSE(cal->is_working_day(day("2027-01-01")));
  EXPECT_TRUE(cal->is_working_day(day("2027-01-04")));
  // 春节: 除夕 2027-02-05 (Friday) and 正月初一..初三 = 02-06..02-08 (Saturday..Monday).
  for (const char* d : {"2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08"}) {
    EXPECT_FALSE(cal->is_working_day(day(d))) << d;
    EXPECT_EQ(cal->info(day(d)).name, "春节 Spring Festival") << d;
  }
  EXPECT_EQ(cal->info(day("2027-02-05")).kind, day_kind::holiday);
  EXPECT_TRUE(cal->is_working_day(day("2027-02-09")));
  // 清明 (solar term, Monday 04-05), 劳动节 05-01..02 (a weekend anyway, no 补休), 端午 06-09, 中秋 09-15,
  // 国庆 10-01..03.
  for (const char* d : {"2027-04-05", "2027-06-09", "2027-09-15", "2027-10-01"})
    EXPECT_EQ(cal->info(day(d)).kind, day_kind::holiday) << d;
  EXPECT_EQ(cal->info(day("2027-05-01")).kind, day_kind::holiday);
  EXPECT_TRUE(cal->is_working_day(day("2027-05-03")));
  EXPECT_TRUE(cal->is_working_day(day("2027-10-04")));  // Monday: the notice may make it a day off; we don't guess
  // 2028: 中秋 falls on 10-03, inside 国庆; the day carries both names.
  EXPECT_EQ(cal->info(day("2028-10-03")).name, "国庆节、中秋节 National Day and Mid-Autumn Festival");
  // Weekends stay rest days; 2027 has 104 weekend days and 7 law days on weekdays (01-01, 02-05, 02-08, 04-05,
  // 06-09, 09-15, 10-01).
  EXPECT_EQ(cal->working_days_between(day("2027-01-01"), day("2028-01-01")), 365 - 104 - 7);
}

TEST(CalendarHorizon, DeadlinesSayWhetherTheyRestOnProvisionalDays) {
  const auto cal = builtin("cn-mainland");
  // An L3 ticket received 2026-12-24 (Thursday): 7 workdays = 12-25, 28, 29, 30, 31, (01-01 off), 01-04, 01-05.
  const auto due = cal->add_workdays(cst("2026-12-24T10:00"), 7);
  EXPECT_EQ(cst_text(due), "2027-01-06T00:00:00+08:00");
  EXPECT_TRUE(cal->provisional_at(due));
  // A deadline that closes at 24:00 on the last official day rests on official days only.
  const auto last = cal->add_workdays(cst("2026-12-30T10:00"), 1);
  EXPECT_EQ(cst_text(last), "2027-01-01T00:00:00+08:00");
  EXPECT_FALSE(cal->provisional_at(last));
  // Business hours on cn-office: 2026-12-31 17:00 + 2 business hours runs into 2027-01-04 (01-01 projected off).
  const auto office = builtin("cn-office");
  const auto b = office->add_working_time(cst("2026-12-31T17:00"), kefu::seconds(7200));
  EXPECT_EQ(cst_text(b), "2027-01-04T10:00:00+08:00");
  EXPECT_TRUE(office->provisional_at(b));
  // SLA clocks report it too; wall-clock clocks never do.
  kefu::calendar::sla_clock resolution(cal, parse_duration("7 workdays"));
  resolution.start(cst("2026-12-24T10:00"));
  const auto s = resolution.status(cst("2026-12-25T10:00"));
  EXPECT_EQ(cst_text(s.due), "2027-01-06T00:00:00+08:00");
  EXPECT_TRUE(s.provisional);
  kefu::calendar::sla_clock wall(cal, parse_duration("72h"));
  wall.start(cst("2026-12-30T10:00"));
  EXPECT_FALSE(wall.status(cst("2026-12-30T11:00")).provisional);
  kefu::calendar::sla_clock early(cal, parse_duration("3 workdays"));
  early.start(cst("2026-12-01T10:00"));
  EXPECT_FALSE(early.status(cst("2026-12-01T11:00")).provisional);
}

TEST(CalendarHorizon, StrictModeRestoresTheRangeError) {
  const auto strict = kefu::calendar::with_beyond_official(builtin("cn-mainland"), beyond_official::error);
  EXPECT_TRUE(strict->strict());
  EXPECT_FALSE(strict->projects());
  EXPECT_EQ(strict->horizon_text(), "2004-01-01..2026-12-31");
  try {
    strict->add_workdays(cst("2026-12-24T10:00"), 7);
    FAIL() << "strict mode must refuse provisional days";
  } catch (const kefu::calendar_range_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "the close of 7 working days after 2026-12-24 falls after the end of calendar 'cn-mainland' "
              "(2004-01-01..2026-12-31): the calendar is strict (`beyond_official: error`); load the year's "
              "holiday notice (`kefu calendar notice`) or allow the provisional projection");
  }
  // Back to projecting, and a no-op returns the same object.
  const auto again = kefu::calendar::with_beyond_official(strict, beyond_official::project);
  EXPECT_TRUE(again->projects());
  const auto same = builtin("cn-mainland");
  EXPECT_EQ(kefu::calendar::with_beyond_official(same, beyond_official::project), same);
  // In YAML, for a calendar that extends the mainland one.
  const auto yaml = kefu::calendar::load_string(
      "calendar: strict-office\nextends: cn-office\nbeyond_official: error\n", "strict.yaml");
  EXPECT_TRUE(yaml->strict());
  EXPECT_EQ(error_of([&] { yaml->is_working_day(day("2027-01-04")); }),
            "date 2027-01-04 is outside calendar 'strict-office' (2004-01-01..2026-12-31): the calendar is strict "
            "(`beyond_official: error`); load the year's holiday notice (`kefu calendar notice`) or allow the "
            "provisional projection");
}

TEST(CalendarHorizon, AnOverlayMakesNextYearOfficial) {
  const auto cal = kefu::calendar::load_string(overlay_2027(), "cn-mainland-2027.yaml");
  EXPECT_EQ(cal->name(), "cn-mainland");
  EXPECT_EQ(kefu::format_days(cal->official_until()), "2027-12-31");
  EXPECT_EQ(cal->horizon_text(), "2004-01-01..2027-12-31, provisional 2028-01-01..2035-12-31");
  EXPECT_FALSE(cal->is_provisional(day("2027-06-01")));
  // The notice's days replace the projection: 02-09..02-13 off, 02-14 (Sunday) worked, 01-04 still worked.
  EXPECT_FALSE(cal->is_working_day(day("2027-02-10")));
  EXPECT_TRUE(cal->is_working_day(day("2027-02-14")));
  EXPECT_EQ(cal->info(day("2027-02-14")).kind, day_kind::makeup_workday);
  // Law days the overlay does not list are ordinary days now: the notice is the whole truth for its year.
  EXPECT_TRUE(cal->is_working_day(day("2027-06-09")));
  // The same L3 ticket: still 2027-01-06, now official.
  const auto due = cal->add_workdays(cst("2026-12-24T10:00"), 7);
  EXPECT_EQ(cst_text(due), "2027-01-06T00:00:00+08:00");
  EXPECT_FALSE(cal->provisional_at(due));
  // 2028 is projected again.
  EXPECT_TRUE(cal->info(day("2028-01-01")).provisional);
  EXPECT_EQ(cal->info(day("2028-01-01")).kind, day_kind::holiday);
}

TEST(CalendarHorizon, OverlayEntriesReplaceTheBaseOnTheirDays) {
  // An amendment to an official year: 2026-10-08 becomes a holiday, 2026-10-10 stops being a make-up day.
  const auto cal = kefu::calendar::load_string(
      "calendar: amended\nextends: cn-mainland\nholidays:\n  - {date: 2026-10-08, to: 2026-10-10, name: 国庆节 National Day}\n",
      "amended.yaml");
  EXPECT_EQ(builtin("cn-mainland")->info(day("2026-10-10")).kind, day_kind::makeup_workday);
  EXPECT_EQ(cal->info(day("2026-10-10")).kind, day_kind::holiday);
  EXPECT_FALSE(cal->is_working_day(day("2026-10-08")));
  // Within one file, a day listed twice is still an error.
  EXPECT_EQ(error_of([] {
              kefu::calendar::load_string("calendar: twice\nextends: cn-mainland\nholidays:\n  - 2026-10-08\n  - 2026-10-08\n",
                                          "twice.yaml");
            }),
            "twice.yaml:5:5: 2026-10-08 is listed as a holiday twice (first at line 4)");
}

TEST(CalendarHorizon, OverlayFileNamedLikeItsBaseBuildsOnTheBuiltIn) {
  scratch_dir dir;
  const std::string path = dir.write("cn-mainland.yaml", overlay_2027());
  const auto cal = kefu::calendar::load_file(path);
  EXPECT_EQ(kefu::format_days(cal->official_until()), "2027-12-31");
  // Built-ins on it are rebuilt for the directory: cn-office sees the 2027 notice too.
  const auto set = kefu::calendar::with_dependent_builtins({{"cn-mainland", cal}});
  ASSERT_EQ(set.count("cn-office"), 1u);
  EXPECT_EQ(kefu::format_days(set.at("cn-office")->official_until()), "2027-12-31");
  EXPECT_FALSE(set.at("cn-office")->is_working_day(day("2027-02-10")));
  EXPECT_EQ(set.count("always"), 0u);  // untouched built-ins are not copied
  EXPECT_EQ(set.at("cn-mainland"), cal);
}

TEST(CalendarHorizon, HorizonKeysAreChecked) {
  auto load = [](const std::string& text) {
    return error_of([&] { kefu::calendar::load_string(text, "h.yaml"); });
  };
  EXPECT_EQ(load("calendar: x\nextends: cn-mainland\nofficial_until: 2036-12-31\n"),
            "h.yaml:3:17: `official_until: 2036-12-31` must lie within 2004-01-01..2035-12-31 (the range and "
            "projection of 'cn-mainland')");
  EXPECT_EQ(load("calendar: x\nzone: \"+08:00\"\nrange: {from: 2026-01-01, to: 2026-12-31}\nhours: [\"09:00-18:00\"]\n"
                 "official_until: 2026-06-30\n"),
            "h.yaml:5:17: `official_until` moves the end of an extended calendar's official data; a calendar of its "
            "own says where its data ends with `range`");
  EXPECT_EQ(load("calendar: x\nextends: cn-mainland\nbeyond_official: warn\n"),
            "h.yaml:3:18: `beyond_official` must be project (continue with provisional days) or error (strict), not "
            "'warn'");
  EXPECT_EQ(load("calendar: x\nzone: \"+08:00\"\nrange: {from: 2026-01-01, to: 2026-12-31}\nhours: [\"09:00-18:00\"]\n"
                 "projection: {law: cn-statutory-2024, until: 2030-12-31}\n"),
            "h.yaml:5:19: unknown holiday law 'cn-statutory-2024' (known: cn-statutory-2025) (did you mean "
            "'cn-statutory-2025'?)");
  EXPECT_EQ(load("calendar: x\nzone: \"+08:00\"\nrange: {from: 2026-01-01, to: 2026-12-31}\nhours: [\"09:00-18:00\"]\n"
                 "projection: {law: cn-statutory-2025, until: 2101-12-31}\n"),
            "h.yaml:5:45: the projection can reach 2100-12-31 at most (the end of the lunar table)");
  EXPECT_EQ(load("calendar: x\nzone: \"+08:00\"\nrange: {from: 2026-01-01, to: 2026-12-31}\nhours: [\"09:00-18:00\"]\n"
                 "projection: {law: cn-statutory-2025, until: 2025-12-31}\n"),
            "h.yaml:5:45: the projection ends (2025-12-31) before the official data does (2026-12-31)");
  // A team calendar of its own may project too.
  const auto team = kefu::calendar::load_string(
      "calendar: team\nzone: \"+08:00\"\nrange: {from: 2026-01-01, to: 2026-12-31}\nhours: [\"09:00-18:00\"]\n"
      "projection: {law: cn-statutory-2025, until: 2028-12-31}\n",
      "team.yaml");
  EXPECT_EQ(team->horizon_text(), "2026-01-01..2026-12-31, provisional 2027-01-01..2028-12-31");
  EXPECT_FALSE(team->is_working_day(day("2027-02-08")));
}

TEST(CalendarHorizon, WarnsBeforeTheOfficialDataRunsOut) {
  const auto cal = builtin("cn-mainland");
  EXPECT_FALSE(kefu::calendar::horizon_warning(*cal, day("2026-10-01")).has_value());
  const auto w = kefu::calendar::horizon_warning(*cal, day("2026-12-01"));
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(*w,
            "calendar 'cn-mainland': official data ends on 2026-12-31 (in 30 days); after it, deadlines are "
            "provisional (projected from the holiday law until 2035-12-31): load the next holiday notice (kefu "
            "calendar notice) / 官方节假日数据即将用完，请导入下一年度国务院通知");
  EXPECT_NE(kefu::calendar::horizon_warning(*cal, day("2027-01-05"))->find("ended on 2026-12-31 (5 days ago)"),
            std::string::npos);
  EXPECT_FALSE(kefu::calendar::horizon_warning(*cal, day("2026-12-01"), 10).has_value());
}

TEST(CalendarHorizon, TheLawsDaysAreASubsetOfTheOfficialDaysOff) {
  // Property: for the years under the 2024 law with official data (2025, 2026), every day the projection
  // would give off is a holiday in the notices' data (the notices add make-up days and bridges, never
  // take a statutory day away).
  const auto cal = builtin("cn-mainland");
  for (int year : {2025, 2026}) {
    const auto days = kefu::calendar::statutory_holidays(kefu::calendar::cn_statutory_2025, year);
    EXPECT_EQ(days.size(), 13u) << year;  // 1 + 4 + 1 + 2 + 1 + 1 + 3, none shared in these years
    for (const auto& d : days) {
      EXPECT_EQ(cal->info(d.day).kind, day_kind::holiday) << kefu::format_days(d.day) << " " << d.name;
      EXPECT_FALSE(cal->info(d.day).provisional);
    }
  }
  EXPECT_EQ(error_of([] { kefu::calendar::statutory_holidays("cn-statutory-2007", 2027); }),
            "unknown holiday law 'cn-statutory-2007' (known: cn-statutory-2025)");
  EXPECT_EQ(error_of([] { kefu::calendar::statutory_holidays(kefu::calendar::cn_statutory_2025, 2101); }),
            "no festival dates for 2101: the lunar table covers 1990..2100");
}

TEST(CalendarHorizon, RandomDeadlinesAreProvisionalExactlyWhenTheyPassTheOfficialData) {
  // Randomized: the flag equals "some day the walk counted is past 2026-12-31", checked by a day walk.
  const auto cal = builtin("cn-mainland");
  std::mt19937 rng(20261201);
  std::uniform_int_distribution<std::int64_t> start(day("2026-10-01"), day("2027-03-31"));
  std::uniform_int_distribution<int> count(0, 40);
  for (int i = 0; i < 2000; ++i) {
    const std::int64_t d0 = start(rng);
    const int n = count(rng);
    const auto due = cal->add_workdays(kefu::time_zone::parse("+08:00").from_local_seconds(d0 * 86400 + 36000), n);
    // Reference walk: the day whose close is `due`.
    std::int64_t d = d0, seen = 0;
    if (n == 0) {
      while (!cal->is_working_day(d)) ++d;
    } else {
      while (seen < n) {
        ++d;
        if (cal->is_working_day(d)) ++seen;
      }
    }
    EXPECT_EQ(cal->provisional_at(due), d > cal->official_until()) << kefu::format_days(d0) << " + " << n;
  }
}
