// kefu — instants, time zones and local dates.
//
// An instant is a point on the UTC time line in whole seconds (int64 seconds since 1970-01-01Z).
// All local reasoning (which date is it, when does the working day close) goes through a
// time_zone. Boost.Date_Time types appear only at the edges (from_ptime / to_ptime, local_date),
// so hot paths do integer arithmetic. The library never reads the clock: callers pass time in.
#pragma once

#include <kefu/detail/civil.hpp>
#include <kefu/error.hpp>

#include <boost/date_time/gregorian/gregorian_types.hpp>
#include <boost/date_time/posix_time/posix_time_types.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace kefu {

using seconds = std::chrono::seconds;

namespace detail {
/// Boost.Date_Time represents the years 1400–9999 only; outside them, a kefu error instead of its bad_year.
inline void check_boost_year(std::int64_t year) {
  if (year < 1400 || year > 9999)
    throw error("the year " + std::to_string(year) + " is outside 1400–9999, the dates Boost.Date_Time represents",
                {}, {}, "kefu.time.out_of_range");
}
}  // namespace detail

/// A point in time, UTC, whole seconds.
class instant {
 public:
  constexpr instant() noexcept = default;
  static constexpr instant from_unix(std::int64_t unix_seconds) noexcept { return instant(unix_seconds); }
  constexpr std::int64_t unix_seconds() const noexcept { return s_; }

  /// From a UTC ptime; sub-second parts are dropped (kefu works in whole seconds).
  static instant from_ptime(const boost::posix_time::ptime& utc) {
    if (utc.is_special()) throw parse_error("not a date-time: special ptime value");
    const auto since = utc - boost::posix_time::ptime(boost::gregorian::date(1970, 1, 1));
    return instant(detail::floor_div(since.ticks(), since.ticks_per_second()));
  }
  boost::posix_time::ptime to_ptime() const {
    const std::int64_t day = detail::floor_div(s_, 86400);
    const auto c = detail::civil_from_days(day);
    detail::check_boost_year(c.year);
    return {boost::gregorian::date(static_cast<unsigned short>(c.year), static_cast<unsigned short>(c.month),
                                   static_cast<unsigned short>(c.day)),
            boost::posix_time::seconds(static_cast<long>(s_ - day * 86400))};
  }

  constexpr instant& operator+=(seconds d) noexcept { s_ += d.count(); return *this; }
  constexpr instant& operator-=(seconds d) noexcept { s_ -= d.count(); return *this; }
  friend constexpr instant operator+(instant t, seconds d) noexcept { return t += d; }
  friend constexpr instant operator-(instant t, seconds d) noexcept { return t -= d; }
  friend constexpr seconds operator-(instant a, instant b) noexcept { return seconds(a.s_ - b.s_); }
  friend constexpr bool operator==(instant a, instant b) noexcept { return a.s_ == b.s_; }
  friend constexpr bool operator!=(instant a, instant b) noexcept { return a.s_ != b.s_; }
  friend constexpr bool operator<(instant a, instant b) noexcept { return a.s_ < b.s_; }
  friend constexpr bool operator<=(instant a, instant b) noexcept { return a.s_ <= b.s_; }
  friend constexpr bool operator>(instant a, instant b) noexcept { return a.s_ > b.s_; }
  friend constexpr bool operator>=(instant a, instant b) noexcept { return a.s_ >= b.s_; }

 private:
  constexpr explicit instant(std::int64_t s) noexcept : s_(s) {}
  std::int64_t s_ = 0;
};

/// Days since 1970-01-01 of a Boost date.
inline std::int64_t to_days(const boost::gregorian::date& d) {
  if (d.is_special()) throw parse_error("not a date: special date value");
  const auto ymd = d.year_month_day();
  return detail::days_from_civil(ymd.year, ymd.month, ymd.day);
}
/// The Boost date of days since 1970-01-01.
inline boost::gregorian::date from_days(std::int64_t days) {
  const auto c = detail::civil_from_days(days);
  detail::check_boost_year(c.year);
  return {static_cast<unsigned short>(c.year), static_cast<unsigned short>(c.month),
          static_cast<unsigned short>(c.day)};
}

/// A time zone with a fixed UTC offset. Named zones are accepted for the zones whose offset has not
/// changed since 1992 (China's, Hong Kong's, Singapore's …): kefu has no tz database and refuses to
/// guess daylight-saving rules, so a zone with DST must be given as an explicit offset.
class time_zone {
 public:
  time_zone() = default;  // UTC
  static time_zone utc() { return {}; }

  /// A fixed offset east of UTC, between -14:00 and +14:00, whole minutes.
  static time_zone fixed(seconds offset) {
    if (offset.count() % 60 != 0 || offset.count() > 14 * 3600 || offset.count() < -14 * 3600)
      throw parse_error("UTC offset must be whole minutes between -14:00 and +14:00");
    time_zone z;
    z.offset_ = offset.count();
    z.name_ = offset_text(offset.count());
    return z;
  }

  /// "+08:00", "+0800", "+08", "UTC", "Z", or a zone id without daylight-saving time in use
  /// ("Asia/Shanghai").
  static time_zone parse(std::string_view text) {
    if (text == "UTC" || text == "Z" || text == "Etc/UTC" || text == "GMT") return {};
    if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
      std::int64_t off = 0;
      if (!parse_offset(text, off))
        throw parse_error("bad UTC offset '" + std::string(text) + "': expected +HH:MM, +HHMM or +HH");
      return fixed(seconds(off));
    }
    for (const auto& z : named_zones())
      if (text == z.first) {
        time_zone tz = fixed(seconds(z.second));
        tz.name_ = std::string(text);
        return tz;
      }
    throw parse_error("unknown or unsupported time zone '" + std::string(text) +
                      "': use a UTC offset such as +08:00 (zone ids are accepted only for zones without "
                      "daylight-saving time, e.g. Asia/Shanghai)");
  }

  seconds offset() const noexcept { return seconds(offset_); }
  const std::string& name() const noexcept { return name_; }

  /// Seconds since 1970-01-01T00:00 local time (a "local instant"), for day arithmetic.
  std::int64_t local_seconds(instant t) const noexcept { return t.unix_seconds() + offset_; }
  instant from_local_seconds(std::int64_t local) const noexcept { return instant::from_unix(local - offset_); }
  /// Local date as days since 1970-01-01.
  std::int64_t local_day(instant t) const noexcept { return detail::floor_div(local_seconds(t), 86400); }

  boost::gregorian::date local_date(instant t) const { return from_days(local_day(t)); }
  boost::posix_time::ptime local_time(instant t) const {
    return instant::from_unix(local_seconds(t)).to_ptime();
  }
  instant from_local(const boost::posix_time::ptime& local) const {
    return from_local_seconds(instant::from_ptime(local).unix_seconds());
  }
  /// The instant of local midnight starting a date, plus an offset into the day.
  instant at(const boost::gregorian::date& d, seconds since_midnight = seconds(0)) const {
    return from_local_seconds(to_days(d) * 86400 + since_midnight.count());
  }

  friend bool operator==(const time_zone& a, const time_zone& b) noexcept {
    return a.offset_ == b.offset_ && a.name_ == b.name_;
  }
  friend bool operator!=(const time_zone& a, const time_zone& b) noexcept { return !(a == b); }

  /// "+08:00" for 28800.
  static std::string offset_text(std::int64_t off) {
    const char sign = off < 0 ? '-' : '+';
    const std::int64_t a = off < 0 ? -off : off;
    char buf[8];
    buf[0] = sign;
    buf[1] = static_cast<char>('0' + a / 36000);
    buf[2] = static_cast<char>('0' + a / 3600 % 10);
    buf[3] = ':';
    buf[4] = static_cast<char>('0' + a / 600 % 6);
    buf[5] = static_cast<char>('0' + a / 60 % 10);
    return std::string(buf, 6);
  }

  /// Parses "+08:00", "+0800" or "+08"; false when the text is anything else.
  static bool parse_offset(std::string_view t, std::int64_t& out) noexcept {
    if (t.size() < 3 || (t[0] != '+' && t[0] != '-')) return false;
    auto digit = [&](std::size_t i) { return i < t.size() && t[i] >= '0' && t[i] <= '9'; };
    if (!digit(1) || !digit(2)) return false;
    std::int64_t h = (t[1] - '0') * 10 + (t[2] - '0'), m = 0;
    std::size_t i = 3;
    if (i < t.size() && t[i] == ':') ++i;
    if (i < t.size()) {
      if (!digit(i) || !digit(i + 1) || i + 2 != t.size()) return false;
      m = (t[i] - '0') * 10 + (t[i + 1] - '0');
    } else if (i != 3) {
      return false;  // "+08:" with nothing after the colon
    }
    if (h > 14 || m > 59) return false;
    out = (t[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
    return true;
  }

 private:
  static const std::array<std::pair<std::string_view, std::int64_t>, 12>& named_zones() {
    static constexpr std::array<std::pair<std::string_view, std::int64_t>, 12> zones{{
        {"Asia/Shanghai", 8 * 3600}, {"Asia/Chongqing", 8 * 3600}, {"Asia/Harbin", 8 * 3600},
        {"PRC", 8 * 3600}, {"Asia/Hong_Kong", 8 * 3600}, {"Asia/Macau", 8 * 3600},
        {"Asia/Taipei", 8 * 3600}, {"Asia/Singapore", 8 * 3600}, {"Asia/Kuala_Lumpur", 8 * 3600},
        {"Asia/Manila", 8 * 3600}, {"Asia/Tokyo", 9 * 3600}, {"Asia/Seoul", 9 * 3600},
    }};
    return zones;
  }

  std::int64_t offset_ = 0;
  std::string name_ = "UTC";
};

/// A strict ISO date "YYYY-MM-DD" as days since 1970-01-01; false when malformed or impossible.
inline bool parse_days(std::string_view t, std::int64_t& days) noexcept {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return false;
  unsigned v[8];
  const std::size_t pos[8] = {0, 1, 2, 3, 5, 6, 8, 9};
  for (int i = 0; i < 8; ++i) {
    const char c = t[pos[i]];
    if (c < '0' || c > '9') return false;
    v[i] = static_cast<unsigned>(c - '0');
  }
  const std::int64_t y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
  const unsigned m = v[4] * 10 + v[5], d = v[6] * 10 + v[7];
  if (m < 1 || m > 12 || d < 1 || d > detail::days_in_month(y, m)) return false;
  days = detail::days_from_civil(y, m, d);
  return true;
}

/// A date "YYYY-MM-DD"; throws parse_error naming the text.
inline boost::gregorian::date parse_date(std::string_view text) {
  std::int64_t days = 0;
  if (!parse_days(text, days))
    throw parse_error("bad date '" + std::string(text) + "': expected an existing date as YYYY-MM-DD");
  return from_days(days);
}

namespace detail {
/// A year as ISO 8601 writes it: four digits for 0000–9999, else the expanded form with a sign
/// ("+10000", "-0001"), so a year out of the usual range is never printed wrong.
inline std::string iso_year(std::int64_t year) {
  if (year >= 0 && year <= 9999) {
    std::string out(4, '0');
    for (int k = 3; k >= 0; --k, year /= 10) out[static_cast<std::size_t>(k)] = static_cast<char>('0' + year % 10);
    return out;
  }
  std::string digits = std::to_string(year < 0 ? -year : year);
  if (digits.size() < 4) digits.insert(0, 4 - digits.size(), '0');
  return (year < 0 ? "-" : "+") + digits;
}
}  // namespace detail

/// The instants kefu reads: UTC 0001-01-02T00:00:00 … 9999-12-30T23:59:59, so that local time in any
/// zone (offsets within a day) still has a four-digit year.
inline constexpr std::int64_t min_unix_seconds = detail::days_from_civil(1, 1, 2) * 86400;
inline constexpr std::int64_t max_unix_seconds = detail::days_from_civil(9999, 12, 31) * 86400 - 1;

/// "YYYY-MM-DD" of days since 1970-01-01 (years outside 0000–9999 in ISO 8601's expanded form).
inline std::string format_days(std::int64_t days) {
  const auto c = detail::civil_from_days(days);
  char buf[10];
  buf[0] = buf[1] = buf[2] = buf[3] = '0';
  buf[4] = '-';
  buf[5] = static_cast<char>('0' + c.month / 10);
  buf[6] = static_cast<char>('0' + c.month % 10);
  buf[7] = '-';
  buf[8] = static_cast<char>('0' + c.day / 10);
  buf[9] = static_cast<char>('0' + c.day % 10);
  return detail::iso_year(c.year) + std::string(buf + 4, 6);
}

inline std::string format_date(const boost::gregorian::date& d) { return format_days(to_days(d)); }

/// An instant in ISO 8601: "YYYY-MM-DDTHH:MM[:SS[.fraction]]" followed by "Z", "+HH:MM" or nothing
/// ('T' may be a space). Without an offset the text is local time in `zone`. A fraction of a second is
/// accepted and dropped (kefu works in whole seconds).
inline instant parse_instant(std::string_view text, const time_zone& zone = time_zone::utc()) {
  auto fail = [&]() -> instant {
    throw parse_error("bad date-time '" + std::string(text) +
                      "': expected YYYY-MM-DDTHH:MM[:SS] with an optional Z or +HH:MM offset");
  };
  std::int64_t days = 0;
  if (text.size() < 16 || !parse_days(text.substr(0, 10), days) || (text[10] != 'T' && text[10] != ' '))
    return fail();
  auto two = [&](std::size_t i, std::int64_t& out) {
    if (i + 1 >= text.size() || text[i] < '0' || text[i] > '9' || text[i + 1] < '0' || text[i + 1] > '9')
      return false;
    out = (text[i] - '0') * 10 + (text[i + 1] - '0');
    return true;
  };
  std::int64_t h = 0, mi = 0, s = 0;
  if (!two(11, h) || text[13] != ':' || !two(14, mi)) return fail();
  std::size_t i = 16;
  if (i < text.size() && text[i] == ':') {
    if (!two(i + 1, s)) return fail();
    i += 3;
    if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
      ++i;
      const std::size_t start = i;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
      if (i == start) return fail();
    }
  }
  if (h > 24 || mi > 59 || s > 59 || (h == 24 && (mi != 0 || s != 0))) return fail();
  const std::int64_t local = days * 86400 + h * 3600 + mi * 60 + s;
  const std::string_view rest = text.substr(i);
  instant t;
  if (rest.empty()) {
    t = zone.from_local_seconds(local);
  } else if (rest == "Z" || rest == "z") {
    t = instant::from_unix(local);
  } else {
    std::int64_t off = 0;
    if (!time_zone::parse_offset(rest, off)) return fail();
    t = instant::from_unix(local - off);
  }
  if (t.unix_seconds() < min_unix_seconds || t.unix_seconds() > max_unix_seconds)
    throw parse_error("bad date-time '" + std::string(text) +
                      "': outside the instants kefu handles (0001-01-02T00:00:00Z to 9999-12-30T23:59:59Z)");
  return t;
}

/// "2026-02-14T10:00:00+08:00" (or "…Z" in UTC).
namespace detail {
/// Appends format_instant's text to `out` (writers of many instants, such as ticket snapshots, allocate
/// nothing per instant).
inline void append_instant(std::string& out, instant t, const time_zone& zone) {
  const std::int64_t local = zone.local_seconds(t);
  const std::int64_t day = floor_div(local, 86400);
  const std::int64_t sod = local - day * 86400;
  const auto c = civil_from_days(day);
  char buf[32];
  auto put = [&](int pos, std::int64_t v, int width) {
    for (int k = width - 1; k >= 0; --k, v /= 10) buf[pos + k] = static_cast<char>('0' + v % 10);
  };
  put(0, c.year >= 0 && c.year <= 9999 ? c.year : 0, 4);
  buf[4] = '-';
  put(5, c.month, 2);
  buf[7] = '-';
  put(8, c.day, 2);
  buf[10] = 'T';
  put(11, sod / 3600, 2);
  buf[13] = ':';
  put(14, sod / 60 % 60, 2);
  buf[16] = ':';
  put(17, sod % 60, 2);
  if (c.year >= 0 && c.year <= 9999) {
    out.append(buf, 19);
  } else {
    out += iso_year(c.year);
    out.append(buf + 4, 15);
  }
  if (zone.offset().count() == 0) out += 'Z';
  else out += time_zone::offset_text(zone.offset().count());
}
}  // namespace detail

inline std::string format_instant(instant t, const time_zone& zone = time_zone::utc()) {
  std::string out;
  out.reserve(25);
  detail::append_instant(out, t, zone);
  return out;
}

}  // namespace kefu
