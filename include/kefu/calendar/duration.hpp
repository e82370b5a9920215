// kefu — durations with a clock (DOM-SLA-1, DOM-SLA-4).
//
// A handbook deadline is wall-clock time ("24 h"), opening time ("4 business hours") or working
// days ("3 working days"). One parser reads every spelling used in YAML and the APIs.
#pragma once

#include <kefu/error.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace kefu::calendar {

enum class clock : std::uint8_t {
  wall,      ///< elapsed real time: "24h"
  business,  ///< opening time of a calendar: "4 business hours"
  workdays,  ///< working days, closing at the end of the N-th working day: "3 workdays"
};

/// An amount on a clock: seconds for wall and business, days for workdays.
struct duration {
  clock kind = clock::wall;
  std::int64_t amount = 0;

  static constexpr duration wall_seconds(std::int64_t s) noexcept { return {clock::wall, s}; }
  static constexpr duration business_seconds(std::int64_t s) noexcept { return {clock::business, s}; }
  static constexpr duration working_days(std::int64_t n) noexcept { return {clock::workdays, n}; }

  friend constexpr bool operator==(duration a, duration b) noexcept { return a.kind == b.kind && a.amount == b.amount; }
  friend constexpr bool operator!=(duration a, duration b) noexcept { return !(a == b); }
};

namespace detail {
inline std::string_view trim(std::string_view t) noexcept {
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  return t;
}
inline std::string lower_ascii(std::string_view t) {
  std::string out(t);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}
}  // namespace detail

/// Parses "90s", "10min", "24h", "1.5h", "2 days" (wall), "4 business hours", "30 business minutes"
/// (opening time), "3 workdays", "1 working day" (working days), and the Chinese "24小时", "30分钟",
/// "4工作小时", "3个工作日". Throws parse_error naming the text and what was expected.
inline duration parse_duration(std::string_view text) {
  const std::string_view t = detail::trim(text);
  auto fail = [&](const std::string& why) -> duration {
    throw parse_error("bad duration '" + std::string(text) + "': " + why);
  };
  std::size_t i = 0;
  std::int64_t whole = 0, frac_num = 0, frac_den = 1;
  bool digits = false;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
    if (whole > 1'000'000'000'000LL) return fail("amount too large");
    whole = whole * 10 + (t[i++] - '0');
    digits = true;
  }
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
      if (frac_den >= 1'000'000'000LL) return fail("too many decimals");
      frac_num = frac_num * 10 + (t[i++] - '0');
      frac_den *= 10;
      digits = true;
    }
  }
  if (!digits) {
    if (!t.empty() && t[0] == '-') return fail("durations cannot be negative");
    return fail("expected a number followed by a unit, e.g. 24h, 4 business hours, 3 workdays");
  }
  const std::string unit = detail::lower_ascii(detail::trim(t.substr(i)));
  struct unit_def {
    std::string_view name;
    clock kind;
    std::int64_t seconds;  // 0 for workdays
  };
  static constexpr unit_def units[] = {
      {"s", clock::wall, 1}, {"sec", clock::wall, 1}, {"secs", clock::wall, 1}, {"second", clock::wall, 1},
      {"seconds", clock::wall, 1}, {"秒", clock::wall, 1}, {"秒钟", clock::wall, 1},
      {"min", clock::wall, 60}, {"mins", clock::wall, 60}, {"minute", clock::wall, 60},
      {"minutes", clock::wall, 60}, {"分钟", clock::wall, 60},
      {"h", clock::wall, 3600}, {"hr", clock::wall, 3600}, {"hrs", clock::wall, 3600}, {"hour", clock::wall, 3600},
      {"hours", clock::wall, 3600}, {"小时", clock::wall, 3600}, {"个小时", clock::wall, 3600},
      {"d", clock::wall, 86400}, {"day", clock::wall, 86400}, {"days", clock::wall, 86400}, {"天", clock::wall, 86400},
      {"business second", clock::business, 1}, {"business seconds", clock::business, 1},
      {"business minute", clock::business, 60}, {"business minutes", clock::business, 60},
      {"business hour", clock::business, 3600}, {"business hours", clock::business, 3600},
      {"工作分钟", clock::business, 60}, {"工作小时", clock::business, 3600}, {"个工作小时", clock::business, 3600},
      {"workday", clock::workdays, 0}, {"workdays", clock::workdays, 0}, {"working day", clock::workdays, 0},
      {"working days", clock::workdays, 0}, {"business day", clock::workdays, 0},
      {"business days", clock::workdays, 0}, {"工作日", clock::workdays, 0}, {"个工作日", clock::workdays, 0},
  };
  for (const auto& u : units) {
    if (unit != u.name) continue;
    if (u.kind == clock::workdays) {
      if (frac_num != 0) return fail("working days must be a whole number");
      return {clock::workdays, whole};
    }
    const std::int64_t scaled = frac_num * u.seconds;
    if (scaled % frac_den != 0) return fail("not a whole number of seconds");
    return {u.kind, whole * u.seconds + scaled / frac_den};
  }
  return fail(unit.empty() ? std::string("missing unit (s, min, h, d, business hours, business minutes, workdays)")
                           : "unknown unit '" + unit +
                                 "' (expected s, min, h, d, business hours, business minutes or workdays)");
}

/// The canonical spelling: "90s", "10min", "24h", "4 business hours", "90 business minutes", "3 workdays".
inline std::string to_string(duration d) {
  const std::int64_t a = d.amount;
  switch (d.kind) {
    case clock::workdays: return std::to_string(a) + (a == 1 ? " workday" : " workdays");
    case clock::business:
      if (a % 3600 == 0) return std::to_string(a / 3600) + (a == 3600 ? " business hour" : " business hours");
      if (a % 60 == 0) return std::to_string(a / 60) + (a == 60 ? " business minute" : " business minutes");
      return std::to_string(a) + (a == 1 ? " business second" : " business seconds");
    case clock::wall:
      if (a != 0 && a % 3600 == 0) return std::to_string(a / 3600) + "h";
      if (a != 0 && a % 60 == 0) return std::to_string(a / 60) + "min";
      return std::to_string(a) + "s";
  }
  return {};
}

}  // namespace kefu::calendar
