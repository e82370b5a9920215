// kefu — a compiled working-day calendar (DOM-SLA-2…4).
//
// Compilation turns a definition into dense tables over the declared range: per day its kind,
// hours and close; a prefix count of working days and its inverse (the n-th working day); and the
// day's working intervals merged into one sorted list of absolute local intervals with prefix sums of
// working seconds, reached by day or by bucket of working time. Every query — add or measure working
// time, add or count working days — is a few table look-ups: nothing searches or walks day by day.
//
// Reference semantics (DOM-SLA-4, docs/requirements.md):
// - "N workdays" from t: the close of the N-th working day after the local date of t (the receipt
//   day is day 0, working or not). The close of a day is the end of its last working interval;
//   24:00 for a whole-day calendar. 0 workdays: the close of the receipt day if it is a working
//   day, else of the next working day.
// - "N business hours" from t: N hours of opening time counted from t, or from the next opening
//   when t is outside the hours. Adding 0 returns t.
// - working days between dates a and b: the working days in [a, b), negative when b < a.
//
// Horizon (DOM-SLA-8): a calendar's declared range ends where its official data ends. A calendar with a
// projection (cn-mainland: the holiday law up to 2035) continues past it with provisional days; every
// answer that rests on one can say so (is_provisional, provisional_at). `beyond_official: error` turns
// the projection off, and past the projection's own end every query is a calendar_range_error.
#pragma once

#include <kefu/calendar/definition.hpp>
#include <kefu/calendar/duration.hpp>
#include <kefu/calendar/projection.hpp>
#include <kefu/error.hpp>
#include <kefu/time.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kefu::calendar {

enum class day_kind : std::uint8_t {
  workday,         ///< an ordinary working weekday
  rest_day,        ///< an ordinary weekend day
  holiday,         ///< a public holiday (no working time)
  makeup_workday,  ///< 调休: a weekend day that is a working day
  special_day,     ///< a day with its own hours (half day, promotion)
};

inline const char* to_string(day_kind k) noexcept {
  switch (k) {
    case day_kind::workday: return "workday";
    case day_kind::rest_day: return "rest_day";
    case day_kind::holiday: return "holiday";
    case day_kind::makeup_workday: return "makeup_workday";
    case day_kind::special_day: return "special_day";
  }
  return "?";
}

/// What a calendar says about one date.
struct day_info {
  std::int64_t day = 0;  ///< days since 1970-01-01
  day_kind kind = day_kind::rest_day;
  bool working = false;
  std::string name;  ///< holiday / make-up / special day name, empty for ordinary days
  hours working_hours;
  bool provisional = false;  ///< past the official data: projected from the holiday law, not yet official
};

class calendar {
 public:
  /// Validates and compiles. Throws policy_error (at the entry's source location) for an empty or
  /// inverted range, overlapping hours, a date outside the range, a date listed twice, a holiday
  /// that is also a make-up working day, or a make-up day without hours.
  explicit calendar(definition def) : def_(std::move(def)) { compile(); }

  const std::string& name() const noexcept { return def_.name; }
  const std::string& description() const noexcept { return def_.description; }
  const time_zone& zone() const noexcept { return def_.zone; }
  const definition& source() const noexcept { return def_; }
  std::int64_t first_day() const noexcept { return def_.first_day; }
  /// The last day queries may touch: the end of the projection if there is one, else of the official data.
  std::int64_t last_day() const noexcept { return last_day_; }
  /// The last day of official data; later days are provisional.
  std::int64_t official_until() const noexcept { return def_.last_day; }
  /// Whether the calendar continues past its official data (a projection that is not turned off).
  bool projects() const noexcept { return last_day_ > def_.last_day; }
  /// Whether `beyond_official: error` turned the projection off.
  bool strict() const noexcept { return def_.past_official == beyond_official::error; }
  /// Whether `other` gives every answer this calendar gives: the same zone, range, official data, days and hours
  /// (names, descriptions and source files aside). kefu diff reuses deadlines computed on calendars that agree.
  bool same_days_and_hours(const calendar& other) const noexcept {
    return def_.zone == other.def_.zone && def_.first_day == other.def_.first_day && def_.last_day == other.def_.last_day &&
           last_day_ == other.last_day_ && def_.past_official == other.def_.past_official && kind_ == other.kind_ &&
           working_ == other.working_ && day_hours_begin_ == other.day_hours_begin_ && day_hours_ == other.day_hours_;
  }
  /// Whether a day is past the official data (projected, or outside the calendar altogether).
  bool is_provisional(std::int64_t day) const noexcept { return day > official_until(); }
  bool is_provisional(const boost::gregorian::date& d) const { return is_provisional(to_days(d)); }
  /// Whether a deadline computed on this calendar rests on provisional days: the day it falls in (the
  /// day of its last second, so a 24:00 close counts for the day it closes) is past the official data.
  /// Every day a deadline depends on comes no later than that day.
  bool provisional_at(instant due) const noexcept { return is_provisional(zone().local_day(due - seconds(1))); }
  /// "2004-01-01..2035-12-31".
  std::string range_text() const { return format_days(first_day()) + ".." + format_days(last_day()); }
  /// "2004-01-01..2026-12-31" (official) with ", provisional 2027-01-01..2035-12-31" when it projects.
  std::string horizon_text() const {
    std::string out = format_days(first_day()) + ".." + format_days(official_until());
    if (projects()) out += ", provisional " + format_days(official_until() + 1) + ".." + format_days(last_day());
    return out;
  }

  bool is_working_day(std::int64_t day) const { return working_[index_of(day)] != 0; }
  bool is_working_day(const boost::gregorian::date& d) const { return is_working_day(to_days(d)); }

  day_info info(std::int64_t day) const {
    const std::size_t k = index_of(day);
    day_info out;
    out.day = day;
    out.kind = static_cast<day_kind>(kind_[k]);
    out.working = working_[k] != 0;
    out.name = names_[name_index_[k]];
    out.working_hours.assign(day_hours_.begin() + day_hours_begin_[k], day_hours_.begin() + day_hours_begin_[k + 1]);
    out.provisional = is_provisional(day);
    return out;
  }

  /// The instant a working day closes (end of its last interval). Throws for a non-working day.
  instant close_of(std::int64_t day) const {
    const std::size_t k = index_of(day);
    if (!working_[k]) throw error(format_days(day) + " is not a working day in calendar '" + name() + "'");
    return zone().from_local_seconds(close_[k]);
  }

  /// Working days in [a, b); negative when b < a. a and b may be one past the last day.
  std::int64_t working_days_between(std::int64_t a, std::int64_t b) const {
    return static_cast<std::int64_t>(workday_prefix_[boundary_index(b)]) - workday_prefix_[boundary_index(a)];
  }

  /// Close of the n-th working day after the local date of t (DOM-SLA-4).
  instant add_workdays(instant t, std::int64_t n) const {
    if (n < 0) throw error("cannot add a negative number of working days (" + std::to_string(n) + ")");
    const std::int64_t d0 = zone().local_day(t);
    const std::size_t k0 = index_of(d0);
    // The target working day's ordinal (1 = the range's first working day), then its index: two look-ups.
    const std::int64_t target = n == 0 ? workday_prefix_[k0] + 1 : workday_prefix_[k0 + 1] + n;
    if (target > static_cast<std::int64_t>(workday_index_.size()))
      throw calendar_range_error("the close of " + std::to_string(n) + (n == 1 ? " working day" : " working days") +
                                 " after " + format_days(d0) + " falls after the end of calendar '" + name() + "' (" +
                                 horizon_text() + ")" + way_out());
    return zone().from_local_seconds(close_[workday_index_[static_cast<std::size_t>(target - 1)]]);
  }

  /// Working time from the start of the range to t (the calendar's working-time clock).
  seconds working_time_at(instant t) const { return seconds(working_seconds_at(zone().local_seconds(t))); }

  /// Working time in [a, b); negative when b < a.
  seconds working_time_between(instant a, instant b) const { return working_time_at(b) - working_time_at(a); }

  /// t plus `amount` of opening time, counted from the next opening when t is outside the hours.
  instant add_working_time(instant t, seconds amount) const {
    if (amount.count() < 0) throw error("cannot add negative working time");
    if (amount.count() == 0) return t;
    return at_working_time(working_seconds_at(zone().local_seconds(t)) + amount.count(), t, amount);
  }

  /// The earliest instant at which the working-time clock reads `clock` (clock > 0).
  instant at_working_time(seconds clock) const { return at_working_time(clock.count(), instant(), clock); }

  /// t plus a duration on its clock: wall time, opening time, or working days.
  instant add(instant t, duration d) const {
    switch (d.kind) {
      case clock::wall:
        if (d.amount < 0) throw error("cannot add a negative duration");
        return t + seconds(d.amount);
      case clock::business: return add_working_time(t, seconds(d.amount));
      case clock::workdays: return add_workdays(t, d.amount);
    }
    return t;
  }

  /// Whether t lies inside working hours.
  bool is_open(instant t) const {
    const std::int64_t local = zone().local_seconds(t);
    const std::size_t i = interval_at_or_after(local);
    return i < start_.size() && start_[i] <= local;
  }

  /// Number of merged working intervals (memory and benchmark reporting).
  std::size_t interval_count() const noexcept { return start_.size(); }

 private:
  [[noreturn]] void out_of_range(std::int64_t day) const {
    throw calendar_range_error("date " + format_days(day) + " is outside calendar '" + name() + "' (" +
                               horizon_text() + ")" + (day > last_day() ? way_out() : std::string()));
  }
  /// What to do when a query runs past the end.
  std::string way_out() const {
    if (strict() && def_.projection)
      return ": the calendar is strict (`beyond_official: error`); load the year's holiday notice "
             "(`kefu calendar notice`) or allow the provisional projection";
    if (projects()) return ": past the provisional projection nothing is guessed";
    return ": load the year's data (for cn-mainland, the holiday notice via `kefu calendar notice`)";
  }
  std::size_t index_of(std::int64_t day) const {
    if (day < first_day() || day > last_day()) out_of_range(day);
    return static_cast<std::size_t>(day - first_day());
  }
  std::size_t boundary_index(std::int64_t day) const {
    if (day < first_day() || day > last_day() + 1) out_of_range(day);
    return static_cast<std::size_t>(day - first_day());
  }

  /// First merged interval whose end is after `local`.
  std::size_t interval_at_or_after(std::int64_t local) const {
    const std::int64_t day = kefu::detail::floor_div(local, 86400);
    if (local < first_day() * 86400 || local > upper_local_) out_of_range(day);
    const std::int64_t k = std::min<std::int64_t>(day - first_day(), static_cast<std::int64_t>(day_interval_.size()) - 1);
    std::size_t i = day_interval_[static_cast<std::size_t>(k)];
    while (i < end_.size() && end_[i] <= local) ++i;  // at most the few intervals of one day
    return i;
  }

  std::int64_t working_seconds_at(std::int64_t local) const {
    const std::size_t i = interval_at_or_after(local);
    if (i == start_.size()) return cumulative_.back();
    return cumulative_[i] + std::max<std::int64_t>(0, local - start_[i]);
  }

  instant at_working_time(std::int64_t target, instant from, seconds amount) const {
    // cumulative_[j + 1] is the working time at the end of interval j; the bucket of `target` names the
    // first interval that can hold it, and a few steps find the one that does.
    if (target <= 0 || target > cumulative_.back())
      throw calendar_range_error("adding " + std::to_string(amount.count()) + "s of working time to " +
                                 format_instant(from, zone()) + " passes the end of calendar '" + name() + "' (" +
                                 horizon_text() + ")" + way_out());
    std::size_t j = bucket_interval_[static_cast<std::size_t>(target / bucket_seconds_)];
    while (cumulative_[j + 1] < target) ++j;
    return zone().from_local_seconds(start_[j] + (target - cumulative_[j]));
  }

  static void check_hours(const hours& h, const source_location& where, const std::string& what) {
    hours sorted = h;
    std::sort(sorted.begin(), sorted.end(), [](interval a, interval b) { return a.start < b.start; });
    for (std::size_t i = 1; i < sorted.size(); ++i)
      if (sorted[i].start < sorted[i - 1].end)
        throw policy_error(what + ": intervals " + format_interval(sorted[i - 1]) + " and " + format_interval(sorted[i]) +
                               " overlap",
                           where);
  }

  void compile() {
    const definition& d = def_;
    if (d.name.empty()) throw policy_error("a calendar needs a name", d.where);
    if (d.last_day < d.first_day)
      throw policy_error("calendar range ends (" + format_days(d.last_day) + ") before it starts (" +
                             format_days(d.first_day) + ")",
                         d.where);
    last_day_ = d.last_day;
    if (d.projection && d.past_official == beyond_official::project && d.projection->until > d.last_day)
      last_day_ = d.projection->until;
    const auto ndays = static_cast<std::size_t>(last_day_ - d.first_day + 1);
    static const char* weekday_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    for (std::size_t w = 0; w < 7; ++w) check_hours(d.week[w], d.where, std::string("hours of ") + weekday_names[w]);
    check_hours(d.workday_hours, d.where, "hours");

    // Which entry (if any) claims each day; conflicts are errors at the later entry.
    constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
    constexpr std::uint32_t projected_base = 1u << 31;  // holiday slots at or above it index `projected`
    std::vector<std::uint32_t> holiday(ndays, none), workday(ndays, none), special(ndays, none);
    auto claim = [&](const std::vector<dated_entry>& entries, std::vector<std::uint32_t>& slot, const char* what) {
      for (std::uint32_t e = 0; e < entries.size(); ++e) {
        const dated_entry& entry = entries[e];
        if (entry.day < d.first_day || entry.day > d.last_day)
          throw policy_error(std::string(what) + " " + format_days(entry.day) + " is outside the calendar's range " +
                                 range_text(),
                             entry.where);
        const auto k = static_cast<std::size_t>(entry.day - d.first_day);
        if (slot[k] != none)
          throw policy_error(format_days(entry.day) + " is listed as a " + what + " twice (first at line " +
                                 std::to_string(entries[slot[k]].where.line) + ")",
                             entry.where);
        slot[k] = e;
        if (entry.explicit_hours) check_hours(*entry.explicit_hours, entry.where, std::string("hours of ") + what);
      }
    };
    claim(d.holidays, holiday, "holiday");
    claim(d.workdays, workday, "make-up working day");
    claim(d.special_days, special, "special day");
    // The projection: the law's days off after the official data, where nothing else claims the day.
    std::vector<dated_entry> projected;
    if (last_day_ > d.last_day) {
      const int first_year = kefu::detail::civil_from_days(d.last_day + 1).year;
      const int last_year = kefu::detail::civil_from_days(last_day_).year;
      for (int y = first_year; y <= last_year; ++y) {
        std::vector<statutory_day> days;
        try {
          days = statutory_holidays(d.projection->law, y);
        } catch (const error& e) {
          throw policy_error("projection: " + e.detail(), d.where);
        }
        for (auto& s : days)
          if (s.day > d.last_day && s.day <= last_day_) projected.push_back({s.day, std::move(s.name), std::nullopt, d.where});
      }
      for (std::uint32_t e = 0; e < projected.size(); ++e) holiday[static_cast<std::size_t>(projected[e].day - d.first_day)] = e + projected_base;
    }

    names_.assign(1, std::string());
    kind_.resize(ndays);
    working_.resize(ndays);
    name_index_.resize(ndays);
    close_.resize(ndays);
    day_hours_begin_.resize(ndays + 1);
    workday_prefix_.resize(ndays + 1);
    workday_index_.clear();
    workday_index_.reserve(ndays);
    day_hours_.clear();
    std::vector<std::pair<std::int64_t, std::int64_t>> absolute;
    for (std::size_t k = 0; k < ndays; ++k) {
      const std::int64_t day = d.first_day + static_cast<std::int64_t>(k);
      const hours* h = &d.week[kefu::detail::iso_weekday_index(day)];
      day_kind kind = h->empty() ? day_kind::rest_day : day_kind::workday;
      const dated_entry* entry = nullptr;
      static const hours no_hours;
      const dated_entry* holiday_entry =
          holiday[k] == none ? nullptr
                             : holiday[k] >= projected_base ? &projected[holiday[k] - projected_base] : &d.holidays[holiday[k]];
      if (holiday[k] != none && workday[k] != none)
        throw policy_error(format_days(day) + " is both a holiday (line " +
                               std::to_string(holiday_entry->where.line) + ") and a make-up working day",
                           d.workdays[workday[k]].where);
      if (special[k] != none) {
        entry = &d.special_days[special[k]];
        if (!entry->explicit_hours)
          throw policy_error("special day " + format_days(day) + " needs its hours", entry->where);
        h = &*entry->explicit_hours;
        kind = day_kind::special_day;
      } else if (workday[k] != none) {
        entry = &d.workdays[workday[k]];
        h = entry->explicit_hours ? &*entry->explicit_hours : &d.workday_hours;
        if (h->empty())
          throw policy_error("make-up working day " + format_days(day) +
                                 " has no hours: give it `hours:` or give the calendar `hours:`",
                             entry->where);
        kind = day_kind::makeup_workday;
      } else if (holiday[k] != none) {
        entry = holiday_entry;
        h = &no_hours;
        kind = day_kind::holiday;
      }
      kind_[k] = static_cast<std::uint8_t>(kind);
      working_[k] = h->empty() ? 0 : 1;
      if (entry && !entry->name.empty()) {
        if (names_.back() != entry->name) names_.push_back(entry->name);
        name_index_[k] = static_cast<std::uint32_t>(names_.size() - 1);
      } else {
        name_index_[k] = 0;
      }
      hours sorted = *h;
      std::sort(sorted.begin(), sorted.end(), [](interval a, interval b) { return a.start < b.start; });
      day_hours_begin_[k] = static_cast<std::uint32_t>(day_hours_.size());
      std::int64_t close = std::numeric_limits<std::int64_t>::min();
      for (const interval iv : sorted) {
        day_hours_.push_back(iv);
        absolute.emplace_back(day * 86400 + iv.start, day * 86400 + iv.end);
        close = std::max<std::int64_t>(close, day * 86400 + iv.end);
      }
      close_[k] = close;
      workday_prefix_[k + 1] = workday_prefix_[k] + working_[k];
      if (working_[k]) workday_index_.push_back(static_cast<std::uint32_t>(k));
    }
    day_hours_begin_[ndays] = static_cast<std::uint32_t>(day_hours_.size());

    // Merge into one sorted list (night shifts overlap the next day's hours; whole days touch).
    std::sort(absolute.begin(), absolute.end());
    start_.clear();
    end_.clear();
    for (const auto& [s, e] : absolute) {
      if (!end_.empty() && s <= end_.back()) {
        end_.back() = std::max(end_.back(), e);
      } else {
        start_.push_back(s);
        end_.push_back(e);
      }
    }
    cumulative_.assign(start_.size() + 1, 0);
    for (std::size_t i = 0; i < start_.size(); ++i) cumulative_[i + 1] = cumulative_[i] + (end_[i] - start_[i]);
    // Working time in buckets of about one interval's length: bucket b's first interval is the first whose
    // end comes at or after b * bucket_seconds_ of working time (at_working_time starts there).
    const std::int64_t total = cumulative_.back();
    bucket_seconds_ = std::max<std::int64_t>(3600, total / std::max<std::int64_t>(1, static_cast<std::int64_t>(start_.size())));
    bucket_interval_.assign(static_cast<std::size_t>(total / bucket_seconds_) + 1, 0);
    for (std::size_t b = 0, j = 0; b < bucket_interval_.size(); ++b) {
      while (j + 1 < cumulative_.size() - 1 && cumulative_[j + 1] < static_cast<std::int64_t>(b) * bucket_seconds_) ++j;
      bucket_interval_[b] = static_cast<std::uint32_t>(j);
    }
    day_interval_.resize(ndays + 1);
    std::size_t i = 0;
    for (std::size_t k = 0; k <= ndays; ++k) {
      const std::int64_t midnight = (d.first_day + static_cast<std::int64_t>(k)) * 86400;
      while (i < end_.size() && end_[i] <= midnight) ++i;
      day_interval_[k] = static_cast<std::uint32_t>(i);
    }
    upper_local_ = std::max<std::int64_t>((last_day_ + 1) * 86400, end_.empty() ? 0 : end_.back());
  }

  definition def_;
  // Per day of the range.
  std::vector<std::uint8_t> kind_;
  std::vector<std::uint8_t> working_;
  std::vector<std::uint32_t> name_index_;
  std::vector<std::string> names_;
  std::vector<std::int64_t> close_;              // absolute local seconds of the day's close
  std::vector<std::uint32_t> day_hours_begin_;   // into day_hours_, ndays + 1 entries
  hours day_hours_;
  std::vector<std::int32_t> workday_prefix_;     // working days before day k, ndays + 1 entries
  std::vector<std::uint32_t> workday_index_;     // the j-th working day's index (j from 0): ordinal → day
  std::vector<std::uint32_t> day_interval_;      // first merged interval ending after day k's midnight
  // Merged working intervals, absolute local seconds, and working time before each.
  std::vector<std::int64_t> start_, end_, cumulative_;
  std::int64_t bucket_seconds_ = 3600;           // working time per bucket of bucket_interval_
  std::vector<std::uint32_t> bucket_interval_;   // first interval reaching each bucket (see compile)
  std::int64_t upper_local_ = 0;
  std::int64_t last_day_ = -1;  // the compiled range's end: the projection's, or the official data's
};

/// A warning when `c`'s official data ends within `within_days` days of `today` (or has ended): what a
/// service raises as an alert so the year's holiday notice is loaded in time. Empty when all is well.
inline std::optional<std::string> horizon_warning(const calendar& c, std::int64_t today, std::int64_t within_days = 60) {
  const std::int64_t left = c.official_until() - today;
  if (left > within_days) return std::nullopt;
  std::string out = "calendar '" + c.name() + "': official data ";
  out += left < 0 ? "ended on " + format_days(c.official_until()) + " (" + std::to_string(-left) + " days ago)"
                  : "ends on " + format_days(c.official_until()) + " (in " + std::to_string(left) +
                        (left == 1 ? " day)" : " days)");
  if (c.projects())
    out += "; after it, deadlines are provisional (projected from the holiday law until " + format_days(c.last_day()) +
           ")";
  else
    out += "; after it, every date is an error";
  out += ": load the next holiday notice (kefu calendar notice) / 官方节假日数据即将用完，请导入下一年度国务院通知";
  return out;
}

}  // namespace kefu::calendar
