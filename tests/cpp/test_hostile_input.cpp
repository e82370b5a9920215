// Hostile YAML (docs/reliability.md): nested aliases and deep nesting are refused before anything
// walks the tree, with an error that says where and why, for every kind of rules file.
#include <kefu/calendar/load.hpp>
#include <kefu/kpi/load.hpp>
#include <kefu/rules/policy.hpp>

#include "calendar_test_support.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace kefu_test;

namespace {

/// "Billion laughs": each level repeats the previous one ten times through aliases.
std::string laughs(int levels) {
  std::string y = "calendar: x\nl0: &l0 [a, a, a, a, a, a, a, a, a, a]\n";
  for (int i = 1; i <= levels; ++i) {
    const std::string prev = "*l" + std::to_string(i - 1);
    y += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) y += (k ? ", " : "") + prev;
    y += "]\n";
  }
  return y;
}

}  // namespace

TEST(YamlBounds, NestedAliasesAreRefusedBeforeAnyWalk) {
  const std::string message = error_of([] { kefu::calendar::load_string(laughs(9), "laughs.yaml"); });
  // Refused as soon as the count passes the bound: at the seventh alias of level 5 (line 7), long before
  // the 10^10 values level 9 would expand to.
  EXPECT_EQ(message,
            "laughs.yaml:7:45: the YAML expands to more than 1000000 values (anchors & and aliases * repeat their "
            "values); write the values out or use fewer aliases");
  try {
    kefu::calendar::load_string(laughs(9), "laughs.yaml");
    FAIL();
  } catch (const kefu::parse_error& e) {
    EXPECT_EQ(e.id(), "kefu.parse");
  }
  // A few honest aliases are fine (the file then fails on its own merits: unknown keys).
  EXPECT_EQ(error_of([] { kefu::calendar::load_string(laughs(2), "small.yaml"); }),
            "small.yaml:2:1: unknown key 'l0' in a calendar");
}

TEST(YamlBounds, AParserThatMakesNoProgressIsStopped) {
  // Found by fuzz_kpi_files: 895 bytes of garbage on which yaml-cpp 0.7 emits values without reading on, a
  // million before the expansion bound stopped it (seconds under the sanitizers). A text yields at most a
  // few values per character, so the parse stops after 4 × 895 + 64.
  const std::string path = std::string(KEFU_TEST_DATA_DIR) + "/hostile/yaml-parser-no-progress.bin";
  try {
    kefu::kpi::load_targets_file(path);
    FAIL();
  } catch (const kefu::parse_error& e) {
    EXPECT_EQ(e.detail(),
              "invalid YAML: the text cannot be read from here on (the parser makes no progress); check this line for "
              "stray characters or unbalanced brackets");
    EXPECT_EQ(e.where().file, path);
    EXPECT_EQ(e.where().line, 4);
  }
}

TEST(YamlBounds, DeepNestingIsRefused) {
  const std::string deep = "policy: x\nv: " + std::string(300, '[') + std::string(300, ']') + "\n";
  EXPECT_EQ(error_of([&] { kefu::rules::load_policy_string(deep, "deep.yaml"); }),
            "deep.yaml:2:259: the YAML nests deeper than 256 levels");
}

namespace {

std::string policy_with(const std::string& condition) {
  return "policy: deep\nhit_policy: first\ninputs:\n  a: int\noutputs:\n  ok: bool\nrules:\n"
         "  - id: R1\n    when: \"" + condition + "\"\n    then: {ok: true}\n";
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST(HostileConditions, DeepNestingIsAnErrorNamingTheRuleNotACrash) {
  const std::string limit =
      "the condition nests deeper than 256 levels (parentheses, not, and/or chains); split it into several rules, "
      "or test many values at once with `in {…}`";
  // 5,000 nested parentheses, 20,000 `not`s, a 10,000-term `or` chain, 10,000 unary minus signs.
  for (const std::string& condition :
       {repeat("(", 5000) + "a > 1" + repeat(")", 5000), repeat("not ", 20000) + "a > 1",
        "a > 1" + repeat(" or a > 1", 10000), repeat("-", 10000) + "a > 1"}) {
    const std::string message = error_of([&] { kefu::rules::load_policy_string(policy_with(condition), "deep.yaml"); });
    EXPECT_NE(message.find("deep.yaml:9:"), std::string::npos) << message.substr(0, 200);
    EXPECT_NE(message.find("rule R1: " + limit), std::string::npos) << message.substr(0, 200);
  }
  // 200 levels are fine.
  const auto ok = kefu::rules::load_policy_string(policy_with(repeat("(", 200) + "a > 1" + repeat(")", 200)), "ok.yaml");
  EXPECT_EQ(ok->rules().size(), 1u);
}

TEST(HostileValues, InstantsKeepFourDigitYearsAndDatesStayInBoostsRange) {
  // Found by fuzz_values: 24:00 on 9999-12-31 is 10000-01-01, which used to print as year 0000.
  EXPECT_EQ(error_of([] { kefu::parse_instant("9999-12-31T24:00", kefu::time_zone::parse("+08:00")); }),
            "bad date-time '9999-12-31T24:00': outside the instants kefu handles (0001-01-02T00:00:00Z to "
            "9999-12-30T23:59:59Z)");
  EXPECT_EQ(error_of([] { kefu::parse_instant("9999-12-31T23:59:59+07:00"); }),
            "bad date-time '9999-12-31T23:59:59+07:00': outside the instants kefu handles (0001-01-02T00:00:00Z to "
            "9999-12-30T23:59:59Z)");
  EXPECT_EQ(kefu::format_instant(kefu::parse_instant("9999-12-30T23:59:59Z"), kefu::time_zone::parse("+08:00")),
            "9999-12-31T07:59:59+08:00");
  // Arithmetic can still leave the range: the year is then written in ISO 8601's expanded form, never wrong.
  const kefu::instant far = kefu::instant::from_unix(kefu::max_unix_seconds) + kefu::seconds(2 * 86400);
  EXPECT_EQ(kefu::format_instant(far), "+10000-01-01T23:59:59Z");
  EXPECT_EQ(kefu::format_days(-719529), "-0001-12-31");
  // Boost.Date_Time has years 1400–9999 only: outside, a kefu error instead of boost's bad_year.
  try {
    kefu::from_days(kefu::detail::days_from_civil(1300, 1, 1));
    FAIL();
  } catch (const kefu::error& e) {
    EXPECT_EQ(std::string(e.what()), "the year 1300 is outside 1400–9999, the dates Boost.Date_Time represents");
    EXPECT_EQ(e.id(), "kefu.time.out_of_range");
  }
}

TEST(HostileValues, AnOverlayForAPastYearDoesNotShortenTheOfficialData) {
  // Found by fuzz_notice: the overlay of the 2020 extension notice said official_until 2020-12-31, which
  // cut cn-mainland's official data (and then failed on the 2021–2026 entries).
  const auto cal = kefu::calendar::load_string(
      "calendar: cn-mainland\nextends: cn-mainland\nofficial_until: 2020-12-31\nholidays:\n"
      "  - {date: 2020-02-02, name: 春节 Spring Festival}\n",
      "amendment.yaml");
  EXPECT_EQ(kefu::format_days(cal->official_until()), "2026-12-31");
  EXPECT_FALSE(cal->is_working_day(day("2020-02-02")));
  EXPECT_FALSE(cal->is_working_day(day("2026-10-01")));
}

TEST(YamlBounds, APromotionPeriodPastTenYearsIsRefusedBeforeItBecomesAnInt) {
  // Found by fuzz_kpi_files (UBSan: 8.88889e+79 is outside the range of int): `months` is bounded first.
  const std::string text = R"(scorecard: s
subject: agent
items:
  - {id: kpi, weight: 100, value: targets_met_rate, full: 1}
flags:
  promotion: {months: 88888888888888888888888888888888888888888888888888888888888888888888888888888883}
)";
  for (const std::string months : {"88888888888888888888888888888888888888888888888888888888888888888888888888888883",
                                   "121", "0", "2.5"}) {
    std::string y = text;
    y.replace(y.find("8888"), std::string("88888888888888888888888888888888888888888888888888888888888888888888888888888883").size(), months);
    try {
      kefu::kpi::load_scorecard_string(y, "s.yaml");
      FAIL() << months;
    } catch (const kefu::policy_error& e) {
      EXPECT_EQ(e.detail(), "months must be a whole number from 1 to 120") << months;
      EXPECT_EQ(e.where().line, 6);
    }
  }
  EXPECT_EQ(kefu::kpi::load_scorecard_string(
                std::string(text).replace(text.find("8888"), 80, "120"), "s.yaml")->flags.promotion_months, 120);
}
