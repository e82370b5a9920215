#include <kefu/calendar/duration.hpp>

#include <gtest/gtest.h>

using kefu::calendar::clock;
using kefu::calendar::duration;
using kefu::calendar::parse_duration;

TEST(Duration, ParsesEverySpellingOnItsClock) {
  EXPECT_EQ(parse_duration("90s"), duration::wall_seconds(90));
  EXPECT_EQ(parse_duration("10min"), duration::wall_seconds(600));
  EXPECT_EQ(parse_duration("24h"), duration::wall_seconds(86400));
  EXPECT_EQ(parse_duration("1.5 hours"), duration::wall_seconds(5400));
  EXPECT_EQ(parse_duration("2 days"), duration::wall_seconds(2 * 86400));
  EXPECT_EQ(parse_duration("4 business hours"), duration::business_seconds(4 * 3600));
  EXPECT_EQ(parse_duration("30 Business Minutes"), duration::business_seconds(1800));
  EXPECT_EQ(parse_duration("3 workdays"), duration::working_days(3));
  EXPECT_EQ(parse_duration("1 working day"), duration::working_days(1));
  EXPECT_EQ(parse_duration("7个工作日"), duration::working_days(7));
  EXPECT_EQ(parse_duration("24小时"), duration::wall_seconds(86400));
  EXPECT_EQ(parse_duration("5分钟"), duration::wall_seconds(300));
  EXPECT_EQ(parse_duration(" 2 工作小时 "), duration::business_seconds(7200));
}

TEST(Duration, RejectsWhatItCannotReadExactly) {
  auto message = [](const char* text) {
    try {
      parse_duration(text);
    } catch (const kefu::parse_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("3 wrkdays"),
            "bad duration '3 wrkdays': unknown unit 'wrkdays' (expected s, min, h, d, business hours, business minutes "
            "or workdays)");
  EXPECT_EQ(message("1.5 workdays"), "bad duration '1.5 workdays': working days must be a whole number");
  EXPECT_EQ(message("0.5s"), "bad duration '0.5s': not a whole number of seconds");
  EXPECT_EQ(message("-2h"), "bad duration '-2h': durations cannot be negative");
  EXPECT_EQ(message("24"), "bad duration '24': missing unit (s, min, h, d, business hours, business minutes, workdays)");
  EXPECT_EQ(message("soon"), "bad duration 'soon': expected a number followed by a unit, e.g. 24h, 4 business hours, 3 workdays");
}

TEST(Duration, CanonicalTextRoundTrips) {
  for (const char* text : {"90s", "10min", "24h", "4 business hours", "1 business hour", "90 business minutes",
                           "3 workdays", "1 workday", "0s", "7 business seconds"}) {
    EXPECT_EQ(kefu::calendar::to_string(parse_duration(text)), text);
  }
}
