// kefu — State Council holiday notices as calendar data (DOM-SLA-9).
//
// The General Office's yearly notice (国务院办公厅关于YYYY年部分节假日安排的通知) and its amendments
// (关于调整…/关于延长…, special days such as the 2015 Victory Day) decide mainland China's public
// holidays and make-up working days (调休). holiday_notice reads the text as published — simplified or
// traditional characters, full- or half-width punctuation, the 2004–2007 wording with 其中…为法定假日,
// 将…公休日调至… — and refuses every sentence about holidays it does not understand, naming the line.
// What is accepted is described in docs/calendars.md ("Holiday notices").
#pragma once

#include <kefu/error.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kefu::calendar {

/// One festival of a notice: its days off and the make-up working days that go with it.
struct notice_festival {
  std::string name;                        ///< simplified: "春节", "国庆节、中秋节" (“五一” → 劳动节, “十一” → 国庆节)
  std::vector<std::int64_t> days_off;      ///< days since 1970-01-01, sorted: every day of every range + 补休 days
  std::vector<std::int64_t> working_days;  ///< make-up working days (上班), sorted
  source_location where;                   ///< the line that declared it
};

class holiday_notice {
 public:
  /// Parses a notice. `base` is the notice an amendment modifies; the result is then the whole year as
  /// amended. Throws kefu::parse_error naming `display_name`, the line, the column and the text it did not
  /// understand (policy_error for a notice that reads well but contradicts itself or its base).
  static holiday_notice parse(std::string_view text, const holiday_notice* base = nullptr,
                              const std::string& display_name = "<notice>");

  /// The year the notice arranges (2019 for the 2019 notice, whose 元旦 starts on 2018-12-30).
  int year() const noexcept { return year_; }
  /// Whether the notice modifies another one (调整, 延长, or a special day such as the 2015 Victory Day).
  bool is_amendment() const noexcept { return amendment_; }
  /// The notice's title line(s), simplified and without spaces; empty when the text has none.
  std::string title() const { return title_; }
  /// The festivals, ordered by their first day off.
  const std::vector<notice_festival>& festivals() const noexcept { return festivals_; }
  /// Titles of the notices this result is made of (a base and its amendments), in order.
  const std::vector<std::string>& sources() const noexcept { return sources_; }

  /// Every day off, sorted and unique.
  std::vector<std::int64_t> days_off() const;
  /// Every make-up working day, sorted and unique.
  std::vector<std::int64_t> working_days() const;

  /// The notice as a calendar overlay on cn-mainland (format: docs/calendars.md).
  std::string to_yaml() const;

  /// An amendment applied on top of `base` (the same year): its festivals replace the base's festivals of
  /// the same name or are added; 延长…至 extends a festival and removes the make-up days it now covers.
  /// Throws policy_error when the years differ or the result has a day that is both off and working.
  static holiday_notice amend(const holiday_notice& base, const holiday_notice& amendment);

 private:
  /// What an amendment states about one festival, kept so that it can be applied again (amend()).
  struct change {
    notice_festival festival;
    std::optional<std::int64_t> extend_to;  ///< 延长…假期至 this day
  };
  friend class notice_parser;

  int year_ = 0;
  bool amendment_ = false;
  std::string title_;
  std::vector<std::string> sources_;
  std::vector<notice_festival> festivals_;
  std::vector<change> changes_;  ///< an amendment's own statements (empty for a yearly notice)
};

/// Several notices in order → one calendar overlay. Amendments apply to the latest earlier notice of their
/// year (or stand alone when there is none); official_until is 31 December of the latest year.
std::string notices_to_yaml(const std::vector<holiday_notice>& notices);

/// The calendar's name for a festival: "春节 Spring Festival", "国庆节、中秋节 National Day and Mid-Autumn
/// Festival"; other festivals keep their Chinese name alone.
std::string festival_display_name(std::string_view name);

}  // namespace kefu::calendar
