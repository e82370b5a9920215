// kefu — what a working-day calendar says, before it is compiled.
//
// A definition is the calendar as its YAML file (or code) states it: zone, declared range, the
// hours of an ordinary week, holidays, make-up working days (调休) and special days such as half
// days. calendar (calendar.hpp) compiles it into dense per-day tables.
#pragma once

#include <kefu/error.hpp>
#include <kefu/time.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kefu::calendar {

/// Working time within a day, in seconds from that day's local midnight. `end` may pass 24:00 (up to
/// 48:00) for hours that cross midnight, such as a night shift 21:00–08:00(+1).
struct interval {
  std::int32_t start = 0;
  std::int32_t end = 0;

  std::int32_t length() const noexcept { return end - start; }
  friend bool operator==(interval a, interval b) noexcept { return a.start == b.start && a.end == b.end; }
};

using hours = std::vector<interval>;

/// What a calendar does past its official data (DOM-SLA-8).
enum class beyond_official : std::uint8_t {
  project,  ///< continue with the projection (weekends and the holiday law), answers marked provisional
  error,    ///< strict: a date past the official data is a calendar_range_error, as if there were no projection
};

inline const char* to_string(beyond_official b) noexcept { return b == beyond_official::error ? "error" : "project"; }

/// "project" | "error"; parse_error otherwise.
inline beyond_official parse_beyond_official(std::string_view text) {
  if (text == "project") return beyond_official::project;
  if (text == "error") return beyond_official::error;
  throw parse_error("beyond_official must be 'project' (continue with provisional days) or 'error' (strict), not '" +
                    std::string(text) + "'");
}

/// How a calendar continues past its official data: the holiday law's days off and the weekends, up to
/// `until`. Days in the projection are provisional: nothing about them is official yet.
struct projection_spec {
  std::string law;          ///< "cn-statutory-2025" (projection.hpp)
  std::int64_t until = 0;   ///< last projected day, days since 1970-01-01
  friend bool operator==(const projection_spec& a, const projection_spec& b) noexcept {
    return a.law == b.law && a.until == b.until;
  }
};

/// A dated entry: a holiday, a make-up working day or a special day.
struct dated_entry {
  std::int64_t day = 0;                ///< days since 1970-01-01
  std::string name;                    ///< "春节 Spring Festival", "春节调休", "除夕半天"
  std::optional<hours> explicit_hours;  ///< hours stated on the entry itself
  source_location where;               ///< where the entry was written, for errors
};

struct definition {
  std::string name;
  std::string description;
  time_zone zone;
  std::int64_t first_day = 0;  ///< declared range, inclusive, days since 1970-01-01
  std::int64_t last_day = -1;  ///< the last day of official data (the projection, if any, continues after it)
  std::optional<projection_spec> projection;  ///< how the calendar continues past last_day, if at all
  beyond_official past_official = beyond_official::project;
  /// Hours of each weekday, Monday first; empty = a rest day.
  std::array<hours, 7> week;
  /// The hours of a working day, used by make-up working days without hours of their own.
  hours workday_hours;
  std::vector<dated_entry> holidays;      ///< one entry per day (ranges expanded)
  std::vector<dated_entry> workdays;      ///< make-up working days
  std::vector<dated_entry> special_days;  ///< days with their own hours (half days, promotions)
  source_location where;                  ///< the file, for errors
};

/// "09:00-12:00" / "21:00-08:00+1" / "00:00-24:00" → interval. Throws parse_error.
inline interval parse_interval(std::string_view text) {
  auto fail = [&](const std::string& why) -> interval {
    throw parse_error("bad hours '" + std::string(text) + "': " + why);
  };
  auto hhmm = [&](std::string_view t, std::int32_t& out) {
    if (t.size() != 5 || t[2] != ':') return false;
    for (const std::size_t i : {0u, 1u, 3u, 4u})
      if (t[i] < '0' || t[i] > '9') return false;
    const int h = (t[0] - '0') * 10 + (t[1] - '0'), m = (t[3] - '0') * 10 + (t[4] - '0');
    if (h > 24 || m > 59 || (h == 24 && m != 0)) return false;
    out = h * 3600 + m * 60;
    return true;
  };
  std::string_view t = text;
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  bool next_day = false;
  if (t.size() > 2 && t.substr(t.size() - 2) == "+1") {
    next_day = true;
    t.remove_suffix(2);
  }
  const std::size_t dash = t.find('-');
  interval iv;
  if (dash == std::string_view::npos || !hhmm(t.substr(0, dash), iv.start) || !hhmm(t.substr(dash + 1), iv.end))
    return fail("expected HH:MM-HH:MM, e.g. 09:00-12:00 (or 21:00-08:00+1 across midnight)");
  if (iv.start == 24 * 3600) return fail("a working interval cannot start at 24:00");
  if (next_day) iv.end += 24 * 3600;
  if (iv.end <= iv.start)
    return fail(next_day ? std::string("ends before it starts")
                         : "ends before it starts (write " + std::string(t) + "+1 for hours that cross midnight)");
  return iv;
}

/// "09:00-12:00", "21:00-08:00+1".
inline std::string format_interval(interval iv) {
  auto hhmm = [](std::int32_t s) {
    const std::int32_t h = s / 3600, m = s / 60 % 60;
    std::string out(5, '0');
    out[0] = static_cast<char>('0' + h / 10);
    out[1] = static_cast<char>('0' + h % 10);
    out[2] = ':';
    out[3] = static_cast<char>('0' + m / 10);
    out[4] = static_cast<char>('0' + m % 10);
    return out;
  };
  if (iv.end > 24 * 3600) return hhmm(iv.start) + "-" + hhmm(iv.end - 24 * 3600) + "+1";
  return hhmm(iv.start) + "-" + hhmm(iv.end);
}

}  // namespace kefu::calendar
