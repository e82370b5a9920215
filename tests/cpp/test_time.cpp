#include <kefu/time.hpp>

#include <gtest/gtest.h>

#include <random>

using kefu::instant;
using kefu::time_zone;

namespace {
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const kefu::parse_error& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST(Time, ParsesIsoInstantsWithAndWithoutOffsets) {
  const auto shanghai = time_zone::parse("+08:00");
  EXPECT_EQ(kefu::parse_instant("1970-01-01T00:00:00Z").unix_seconds(), 0);
  EXPECT_EQ(kefu::parse_instant("2026-02-14T10:00:00+08:00").unix_seconds(), 1771034400);
  EXPECT_EQ(kefu::parse_instant("2026-02-14T02:00:00Z").unix_seconds(), 1771034400);
  EXPECT_EQ(kefu::parse_instant("2026-02-14 10:00", shanghai).unix_seconds(), 1771034400);
  EXPECT_EQ(kefu::parse_instant("2026-02-14T10:00:00.999+0800").unix_seconds(), 1771034400);
  EXPECT_EQ(kefu::parse_instant("2026-02-14T24:00:00Z"), kefu::parse_instant("2026-02-15T00:00:00Z"));
  EXPECT_EQ(kefu::parse_instant("1969-12-31T23:59:59Z").unix_seconds(), -1);
}

TEST(Time, RejectsMalformedInstantsWithTheText) {
  EXPECT_EQ(error_of([] { kefu::parse_instant("2026-02-30T10:00:00Z"); }),
            "bad date-time '2026-02-30T10:00:00Z': expected YYYY-MM-DDTHH:MM[:SS] with an optional Z or +HH:MM offset");
  EXPECT_NE(error_of([] { kefu::parse_instant("2026-02-14T25:00"); }), "no error");
  EXPECT_NE(error_of([] { kefu::parse_instant("2026-02-14T10:00+8"); }), "no error");
  EXPECT_NE(error_of([] { kefu::parse_instant("2026-02-14"); }), "no error");
  EXPECT_EQ(error_of([] { kefu::parse_date("2025-02-29"); }),
            "bad date '2025-02-29': expected an existing date as YYYY-MM-DD");
}

TEST(Time, ZonesGiveLocalDates) {
  const auto cn = time_zone::parse("Asia/Shanghai");
  EXPECT_EQ(cn.name(), "Asia/Shanghai");
  EXPECT_EQ(cn.offset(), kefu::seconds(8 * 3600));
  // 2026-02-14T16:30Z is already Sunday the 15th in Beijing.
  const instant t = kefu::parse_instant("2026-02-14T16:30:00Z");
  EXPECT_EQ(kefu::format_date(cn.local_date(t)), "2026-02-15");
  EXPECT_EQ(kefu::format_date(time_zone::utc().local_date(t)), "2026-02-14");
  EXPECT_EQ(kefu::format_instant(t, cn), "2026-02-15T00:30:00+08:00");
  EXPECT_EQ(kefu::format_instant(t), "2026-02-14T16:30:00Z");
  EXPECT_EQ(cn.at(kefu::parse_date("2026-02-15"), kefu::seconds(1800)), t);
  EXPECT_EQ(time_zone::parse("-0330").name(), "-03:30");
  EXPECT_EQ(time_zone::parse("+05").offset(), kefu::seconds(5 * 3600));
}

TEST(Time, RefusesZonesItCannotGetRight) {
  EXPECT_EQ(error_of([] { time_zone::parse("Europe/Berlin"); }),
            "unknown or unsupported time zone 'Europe/Berlin': use a UTC offset such as +08:00 (zone ids are "
            "accepted only for zones without daylight-saving time, e.g. Asia/Shanghai)");
  EXPECT_NE(error_of([] { time_zone::parse("+15:00"); }), "no error");
  EXPECT_NE(error_of([] { time_zone::parse("+08:60"); }), "no error");
}

TEST(Time, BoostEdgesRoundTrip) {
  const boost::posix_time::ptime p(boost::gregorian::date(2026, 2, 14), boost::posix_time::hours(2));
  const instant t = instant::from_ptime(p);
  EXPECT_EQ(t.unix_seconds(), 1771034400);
  EXPECT_EQ(t.to_ptime(), p);
  EXPECT_EQ(time_zone::parse("+08:00").local_time(t),
            boost::posix_time::ptime(boost::gregorian::date(2026, 2, 14), boost::posix_time::hours(10)));
  EXPECT_THROW(instant::from_ptime(boost::posix_time::ptime()), kefu::parse_error);
}

TEST(Time, CivilArithmeticAgreesWithBoostOnRandomDays) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::int64_t> day(-25000, 60000);  // 1901 … 2134
  for (int i = 0; i < 20000; ++i) {
    const std::int64_t d = day(rng);
    const auto bd = kefu::from_days(d);
    ASSERT_EQ(kefu::to_days(bd), d);
    ASSERT_EQ(bd, boost::gregorian::date(1970, 1, 1) + boost::gregorian::days(static_cast<long>(d)));
    ASSERT_EQ(kefu::detail::iso_weekday_index(d), (bd.day_of_week().as_number() + 6) % 7);
    const instant t = instant::from_unix(d * 86400 + 12345);
    ASSERT_EQ(kefu::parse_instant(kefu::format_instant(t)), t);
  }
}
