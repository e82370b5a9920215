// State Council holiday notices → festivals, days off, make-up working days, calendar overlay YAML.
// What is accepted and why: docs/calendars.md ("Holiday notices"), include/kefu/calendar/notice.hpp.
//
// The text is decoded to code points and normalised one code point at a time (full-width → ASCII,
// traditional → simplified, spaces and quotation marks dropped), keeping each code point's column in the
// original line for errors. Lines are then read as items (一、元旦：…) made of sentences (。) made of
// clauses (，；：); a clause's dates are read into groups and what is left must be one of the known
// shapes ("G放假调休", "G上班", "共N天", …). Anything else that names a date, or a festival without being
// an instruction (…要…) or the announcement (…通知如下), is an error quoting the text.
//
// This file: holiday_notice itself (parse, amend, the days, the overlay YAML). The parser is in
// notice_parser.cpp, the text layer in notice_text.hpp.
#include "notice_parser.hpp"

#include <kefu/calendar/notice.hpp>
#include <kefu/detail/civil.hpp>
#include <kefu/detail/suggest.hpp>
#include <kefu/time.hpp>
#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <utility>

namespace kefu::calendar {

// ---- holiday_notice ----

holiday_notice holiday_notice::parse(std::string_view text, const holiday_notice* base, const std::string& display_name) {
  return notice_parser(text, display_name).run(base);
}

std::vector<std::int64_t> holiday_notice::days_off() const {
  std::vector<std::int64_t> out;
  for (const auto& f : festivals_) out.insert(out.end(), f.days_off.begin(), f.days_off.end());
  return sorted_unique(std::move(out));
}

std::vector<std::int64_t> holiday_notice::working_days() const {
  std::vector<std::int64_t> out;
  for (const auto& f : festivals_) out.insert(out.end(), f.working_days.begin(), f.working_days.end());
  return sorted_unique(std::move(out));
}

holiday_notice holiday_notice::amend(const holiday_notice& base, const holiday_notice& amendment) {
  const source_location where = amendment.festivals_.empty() ? source_location{} : amendment.festivals_.front().where;
  if (!amendment.is_amendment())
    throw policy_error("'" + amendment.title_ + "' is a yearly notice, not an amendment", where);
  if (base.year() != amendment.year())
    throw policy_error("the amendment is for " + std::to_string(amendment.year()) + " but the notice it amends is for " +
                           std::to_string(base.year()),
                       where);
  holiday_notice out = base;
  out.amendment_ = true;
  out.title_ = amendment.title_;
  out.changes_ = amendment.changes_;
  for (const auto& s : amendment.sources_)
    if (std::find(out.sources_.begin(), out.sources_.end(), s) == out.sources_.end()) out.sources_.push_back(s);
  for (const auto& c : amendment.changes_) {
    auto it = std::find_if(out.festivals_.begin(), out.festivals_.end(),
                           [&](const notice_festival& f) { return f.name == c.festival.name; });
    if (!c.extend_to) {
      if (it != out.festivals_.end()) *it = c.festival;
      else out.festivals_.push_back(c.festival);
      continue;
    }
    if (it == out.festivals_.end())
      throw policy_error("the amendment extends " + c.festival.name + ", which the notice it amends does not have",
                         c.festival.where);
    std::set<std::int64_t> off(it->days_off.begin(), it->days_off.end());
    off.insert(c.festival.days_off.begin(), c.festival.days_off.end());
    if (*c.extend_to < *off.rbegin())
      throw policy_error("the amendment extends " + c.festival.name + " to " + format_days(*c.extend_to) +
                             ", before its last day " + format_days(*off.rbegin()),
                         c.festival.where);
    for (std::int64_t d = *off.begin(); d <= *c.extend_to; ++d) off.insert(d);
    it->days_off.assign(off.begin(), off.end());
    it->working_days = sorted_unique([&] {
      auto w = it->working_days;
      w.insert(w.end(), c.festival.working_days.begin(), c.festival.working_days.end());
      return w;
    }());
    it->where = c.festival.where;
    // Make-up days inside the extended holiday are no longer worked (2020-02-01).
    for (auto& f : out.festivals_)
      f.working_days.erase(std::remove_if(f.working_days.begin(), f.working_days.end(),
                                          [&](std::int64_t d) { return d >= *off.begin() && d <= *c.extend_to; }),
                           f.working_days.end());
  }
  std::map<std::int64_t, const notice_festival*> off_by;
  for (const auto& f : out.festivals_)
    for (const std::int64_t d : f.days_off)
      if (const auto [it, inserted] = off_by.emplace(d, &f); !inserted)
        throw policy_error("after the amendment, " + format_days(d) + " is a day off of both " + it->second->name +
                               " and " + f.name,
                           where);
  for (const auto& f : out.festivals_)
    for (const std::int64_t d : f.working_days)
      if (const auto it = off_by.find(d); it != off_by.end())
        throw policy_error("after the amendment, " + format_days(d) + " is both a day off (" + it->second->name +
                               ") and a make-up working day (" + f.name + ")",
                           where);
  std::sort(out.festivals_.begin(), out.festivals_.end(),
            [](const notice_festival& a, const notice_festival& b) { return a.days_off.front() < b.days_off.front(); });
  return out;
}

std::string festival_display_name(std::string_view name) {
  const char* en = english_name(name);
  return en ? std::string(name) + " " + en : std::string(name);
}

namespace {

/// A YAML flow-mapping scalar: plain when it can be, else double-quoted. A '?' anywhere is quoted too: before a
/// flow indicator (a name ending in '?', then '}') YAML reads it as the explicit-key indicator; so are
/// leading and trailing blanks, which a plain scalar would drop.
std::string yaml_scalar(const std::string& s) {
  const bool plain = !s.empty() && s.find_first_of(",:[]{}#?\"\\\n") == std::string::npos &&
                     std::string("-&*!|>'%@` \t").find(s[0]) == std::string::npos && s.back() != ' ' && s.back() != '\t';
  if (plain) return s;
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string holiday_notice::to_yaml() const { return notices_to_yaml({*this}); }

std::string notices_to_yaml(const std::vector<holiday_notice>& notices) {
  if (notices.empty()) throw error("no notices to turn into calendar data");
  std::map<int, holiday_notice> by_year;
  for (const auto& n : notices) {
    const auto it = by_year.find(n.year());
    if (n.is_amendment() && it != by_year.end()) it->second = holiday_notice::amend(it->second, n);
    else by_year.insert_or_assign(n.year(), n);
  }
  struct entry {
    std::int64_t from, to;
    std::string name;
  };
  std::vector<entry> holidays, workdays;
  std::map<std::int64_t, std::string> off, work;  // day → "<festival> in the YYYY notice", across years
  std::string sources;
  for (const auto& [year, n] : by_year) {
    for (const auto& s : n.sources()) sources += (sources.empty() ? "" : "; ") + s;
    for (const auto& f : n.festivals()) {
      const std::string name = festival_display_name(f.name);
      const std::string owner = f.name + " in the " + std::to_string(year) + " notice";
      for (std::size_t i = 0; i < f.days_off.size();) {
        std::size_t j = i;
        while (j + 1 < f.days_off.size() && f.days_off[j + 1] == f.days_off[j] + 1) ++j;
        holidays.push_back({f.days_off[i], f.days_off[j], name});
        i = j + 1;
      }
      for (const std::int64_t d : f.days_off)
        if (const auto [it, inserted] = off.emplace(d, owner); !inserted)
          throw policy_error(format_days(d) + " is a day off of both " + it->second + " and " + owner);
      for (const std::int64_t d : f.working_days) {
        workdays.push_back({d, d, f.name + "调休"});
        work.emplace(d, owner);
      }
    }
  }
  for (const auto& [d, owner] : work)
    if (const auto it = off.find(d); it != off.end())
      throw policy_error(format_days(d) + " is both a day off (" + it->second + ") and a make-up working day (" + owner + ")");
  auto by_date = [](const entry& a, const entry& b) { return a.from != b.from ? a.from < b.from : a.name < b.name; };
  std::sort(holidays.begin(), holidays.end(), by_date);
  std::sort(workdays.begin(), workdays.end(), by_date);
  std::string out = "# " + sources + " — calendar data made by `kefu calendar notice`\n";
  out += "calendar: cn-mainland\nextends: cn-mainland\n";
  out += "official_until: " + std::to_string(by_year.rbegin()->first) + "-12-31\n";
  out += holidays.empty() ? "holidays: []\n" : "holidays:\n";
  for (const auto& h : holidays)
    out += "  - {date: " + format_days(h.from) + (h.to != h.from ? ", to: " + format_days(h.to) : std::string()) +
           ", name: " + yaml_scalar(h.name) + "}\n";
  out += workdays.empty() ? "workdays: []\n" : "workdays:\n";
  for (const auto& w : workdays) out += "  - {date: " + format_days(w.from) + ", name: " + yaml_scalar(w.name) + "}\n";
  return out;
}

}  // namespace kefu::calendar
