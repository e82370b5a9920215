// kefu — holiday notices, the parser: lines read as items (一、元旦：…) made of sentences (。) made of clauses
// (，；：); a clause's dates are read into groups and what is left must be one of the known shapes ("G放假调休",
// "G上班", "共N天", …). Anything else that names a date, or a festival without being an instruction (…要…) or
// the announcement (…通知如下), is an error quoting the text. Internal to src/calendar.
#pragma once

#include "notice_text.hpp"

#include <kefu/calendar/notice.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kefu::calendar {

using namespace notice_text;  // internal to src/calendar: the parser speaks in its text types

class notice_parser {
 public:
  notice_parser(std::string_view input, std::string file) : file_(std::move(file)) { read_lines(input); }

  holiday_notice run(const holiday_notice* base);

 private:
  // A date as written, resolved.
  struct date_tok {
    std::int64_t day = 0;
    span where;
  };
  struct range_tok {
    date_tok first, last;
  };
  struct group {
    std::vector<range_tok> items;
    std::vector<std::int64_t> days() const {
      std::vector<std::int64_t> out;
      for (const auto& r : items)
        for (std::int64_t d = r.first.day; d <= r.last.day; ++d) out.push_back(d);
      return out;
    }
  };
  struct stated {  // where a day was stated
    int line = 0;
    span where;
  };
  struct festival_data {
    std::string name;
    source_location where;
    std::map<std::int64_t, stated> off, work;
    std::optional<std::int64_t> extend_to;
    span extend_where;
    std::vector<date_tok> must_be_off;  // 其中…为法定假日 / 照常公休 / 调至…: checks, not new days
    std::vector<date_tok> swapped_from;  // 将…公休日调至…: worked unless they are days off
    std::optional<date_tok> resumes;    // …起正常上班
    std::optional<span> no_makeup;      // 不调休
  };
  enum class title_kind { none, yearly, adjust, extend, special };

  [[noreturn]] void fail(const span& s, const std::string& what) const {
    throw parse_error(what, {file_, s.line_number(), s.column()});
  }
  [[noreturn]] void fail_line(int line_number, const std::string& what) const {
    throw parse_error(what, {file_, line_number, 0});
  }
  [[noreturn]] void contradiction(const span& s, const std::string& what) const {
    throw policy_error(what, {file_, s.line_number(), s.column()});
  }

  void read_lines(std::string_view input);
  void find_title();
  void use_title(const text& title);
  void join_paragraphs();
  void find_year();
  bool ignorable_line(const line& l) const;
  void read_line(const line& l);
  void read_sentence(const span& s);
  struct sentence_state {
    bool explain = false;                        // after 其中: statements check days, they add none
    std::optional<std::pair<int, span>> count;   // 共N天
    std::optional<span> with_weekend;            // 与周末连休
    std::vector<std::int64_t> days;              // days off this sentence adds
    std::optional<std::pair<span, std::vector<group>>> pending;  // dates alone, waiting for 为…
  };
  void read_clause(span c, std::vector<group> groups, text shape, sentence_state& st);
  bool scan_date(const line& l, std::size_t& i, std::size_t end, bool group_start, date_tok& out);
  bool scan_group(const line& l, std::size_t& i, std::size_t end, group& g);
  void check_annotation(const line& l, std::size_t b, std::size_t e, const date_tok& d);
  festival_data& festival(const span& where);
  festival_data& festival_named(const std::string& name, const span& where);
  void finish_festival(festival_data& f);
  std::string format(std::int64_t day) const;
  /// The day of the current item's holiday whose day of the month is `dom`, if any.
  std::optional<std::int64_t> day_of_holiday(int dom) const;
  std::string unknown_festival(std::u32string_view name) const;

  std::string file_;
  std::vector<raw_line> raw_;
  std::vector<line> lines_;     // paragraphs
  std::vector<bool> consumed_;  // header comments and title lines (per raw line)
  std::string title_;
  int title_line_ = 0;
  title_kind kind_ = title_kind::none;
  std::string subject_;  // the festival an amendment or special notice is about
  text subject_text_;
  int year_ = 0;
  bool seen_item_ = false;
  // The item being read.
  std::string item_festival_;
  bool have_context_ = false;
  std::int64_t context_year_ = 0;
  unsigned context_month_ = 0;
  std::vector<festival_data> festivals_;
};

}  // namespace kefu::calendar
