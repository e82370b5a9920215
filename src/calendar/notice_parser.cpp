// kefu — holiday notices, the parser (notice_parser.hpp).
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

namespace {

/// Any "N月" or "N日" (arabic or Chinese month numbers): the text names a date, well formed or not.
bool has_month_day(const text& t) {
  static constexpr std::u32string_view numerals = U"〇一二三四五六七八九十";
  for (std::size_t i = 0; i + 1 < t.size(); ++i) {
    const bool digit = is_digit(t[i]), numeral = numerals.find(t[i]) != std::u32string_view::npos;
    if (digit && (t[i + 1] == U'月' || t[i + 1] == U'日')) return true;
    if (numeral && t[i + 1] == U'月') return true;
  }
  return false;
}

/// "一、" "十一、" "3." "(二)" at `p`: the position after it, else 0.
std::size_t item_number(const text& t) {
  static constexpr std::u32string_view numerals = U"一二三四五六七八九十";
  std::size_t p = 0;
  const bool paren = !t.empty() && t[0] == U'(';
  if (paren) ++p;
  const std::size_t start = p;
  while (p < t.size() && p - start < 3 && (numerals.find(t[p]) != std::u32string_view::npos || is_digit(t[p]))) ++p;
  if (p == start || p >= t.size()) return 0;
  if (paren) return t[p] == U')' ? p + 1 : 0;
  return t[p] == U'、' || t[p] == U'.' ? p + 1 : 0;
}

/// A whole line that is a date: the signature date (2015年12月10日, 二〇〇六年十二月十四日, 12月11日).
bool is_date_line(text t) {
  for (std::u32string_view org : {std::u32string_view(U"国务院办公厅"), std::u32string_view(U"国务院")})
    if (starts_with(t, 0, org)) {
      t.erase(0, org.size());
      break;
    }
  if (t.empty()) return false;
  static constexpr std::u32string_view numerals = U"〇一二三四五六七八九十";
  auto number = [&](std::size_t& p, std::size_t max_len) {
    const std::size_t s = p;
    const bool arabic = p < t.size() && is_digit(t[p]);
    while (p < t.size() && p - s < max_len &&
           (arabic ? is_digit(t[p]) : numerals.find(t[p]) != std::u32string_view::npos))
      ++p;
    return p > s;
  };
  std::size_t p = 0;
  const std::size_t s = p;
  if (number(p, 4) && p < t.size() && t[p] == U'年') ++p;
  else p = s;
  if (!number(p, 3) || p >= t.size() || t[p] != U'月') return false;
  ++p;
  if (!number(p, 3) || p >= t.size() || t[p] != U'日') return false;
  return p + 1 == t.size();
}

/// Splits [b, e) at any of `separators` outside parentheses.
std::vector<std::pair<std::size_t, std::size_t>> split_outside_parens(const text& t, std::size_t b, std::size_t e,
                                                                     std::u32string_view separators) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  int depth = 0;
  std::size_t start = b;
  for (std::size_t i = b; i < e; ++i) {
    if (t[i] == U'(') ++depth;
    else if (t[i] == U')' && depth > 0) --depth;
    else if (depth == 0 && separators.find(t[i]) != std::u32string_view::npos) {
      out.emplace_back(start, i);
      start = i + 1;
    }
  }
  out.emplace_back(start, e);
  return out;
}

/// Reads a clause's shape: literals, group marks and numbers.
struct cursor {
  const text& s;
  std::size_t p = 0;
  std::size_t groups = 0;

  bool lit(std::u32string_view w) {
    if (!starts_with(s, p, w)) return false;
    p += w.size();
    return true;
  }
  bool mark() {
    if (p >= s.size() || s[p] != group_mark) return false;
    ++p;
    ++groups;
    return true;
  }
  /// 3, 12, 三, 两 (a count of days).
  bool number(int& v) {
    const std::size_t start = p;
    if (p < s.size() && is_digit(s[p])) {
      v = 0;
      while (p < s.size() && is_digit(s[p]) && p - start < 3) v = v * 10 + static_cast<int>(s[p++] - U'0');
      return true;
    }
    static constexpr std::u32string_view numerals = U"〇一二三四五六七八九十两";
    while (p < s.size() && numerals.find(s[p]) != std::u32string_view::npos && p - start < 3) ++p;
    v = chinese_number(std::u32string_view(s).substr(start, p - start));
    if (v < 0) p = start;
    return v >= 0;
  }
  bool end() const { return p == s.size(); }
};

}  // namespace

void notice_parser::read_lines(std::string_view input) {
  if (input.size() > max_text_bytes)
    throw parse_error("the notice is " + std::to_string(input.size()) +
                          " bytes long; a notice is at most 1 MB (1048576 bytes): paste the notice alone",
                      {file_, 0, 0});
  if (input.substr(0, 3) == "\xEF\xBB\xBF") input.remove_prefix(3);
  int number = 0;
  for (std::size_t pos = 0;;) {
    std::size_t nl = input.find('\n', pos);
    if (nl == std::string_view::npos) nl = input.size();
    const std::string_view raw = input.substr(pos, nl - pos);
    raw_line l;
    l.number = ++number;
    if (raw.size() > max_line_bytes)
      fail_line(l.number, "the line is " + std::to_string(raw.size()) +
                              " bytes long; lines are at most 10000 bytes (is this the text of a notice?)");
    if (!decode_utf8(raw, l.original)) fail_line(l.number, "the line is not UTF-8 text (save the notice as UTF-8)");
    for (std::size_t i = 0; i < l.original.size(); ++i)
      if (const char32_t c = normalise(l.original[i])) {
        l.t.push_back(c);
        l.col.push_back(static_cast<int>(i) + 1);
      }
    raw_.push_back(std::move(l));
    if (nl == input.size()) break;
    pos = nl + 1;
  }
}

void notice_parser::find_title() {
  consumed_.assign(raw_.size(), false);
  std::size_t i = 0;
  // Header comments at the top ("# title: …", "# amends: 2019.txt"), as in files that keep notices; a
  // "# title:" stands in for a text that lacks its title line.
  std::string header_title;
  for (; i < raw_.size() && (raw_[i].t.empty() || raw_[i].t[0] == U'#'); ++i) {
    if (raw_[i].t.empty()) continue;
    consumed_[i] = true;
    if (starts_with(raw_[i].t, 0, U"#title:")) header_title = utf8(raw_[i].t.substr(7));
  }
  int seen = 0;
  for (; i < raw_.size() && seen < 8; ++i) {
    if (raw_[i].t.empty()) continue;
    ++seen;
    if (!contains(raw_[i].t, U"关于") || item_number(raw_[i].t) || has_month_day(raw_[i].t)) continue;
    // A title may be broken over up to three lines, even with blank lines between ("国务院关于中国人民抗日战争暨"
    // / "世界反法西斯战争胜利70周年纪念日" / "调休放假的通知").
    text joined = raw_[i].t;
    std::vector<std::size_t> parts{i};
    for (std::size_t j = i + 1; !ends_with(joined, U"通知") && j < raw_.size() && parts.size() < 3; ++j) {
      if (raw_[j].t.empty()) continue;
      if (item_number(raw_[j].t) || has_month_day(raw_[j].t) || ends_with(raw_[j].t, U":")) break;
      joined += raw_[j].t;
      parts.push_back(j);
    }
    if (!ends_with(joined, U"通知")) continue;
    for (const std::size_t k : parts) consumed_[k] = true;
    title_line_ = raw_[i].number;
    use_title(joined);
    return;
  }
  if (!header_title.empty()) {
    text t;
    decode_utf8(header_title, t);
    use_title(t);
  }
}

void notice_parser::use_title(const text& joined) {
  title_ = utf8(joined);
  const std::size_t about = joined.find(U"关于");
  if (about == text::npos) return;
  text rest = joined.substr(about + 2);
  if (contains(rest, U"部分节假日安排")) {
    kind_ = title_kind::yearly;
    return;
  }
  kind_ = starts_with(rest, 0, U"调整") ? title_kind::adjust
          : starts_with(rest, 0, U"延长") ? title_kind::extend
                                          : title_kind::special;
  if (kind_ != title_kind::special) rest.erase(0, 2);
  if (rest.size() > 5 && std::all_of(rest.begin(), rest.begin() + 4, is_digit) && rest[4] == U'年') rest.erase(0, 5);
  for (std::u32string_view suffix : {U"调休放假的通知", U"放假调休的通知", U"假期安排的通知", U"放假安排的通知",
                                     U"节假日安排的通知", U"安排的通知", U"假期的通知", U"放假的通知", U"的通知",
                                     U"通知"})
    if (ends_with(rest, suffix)) {
      rest.erase(rest.size() - suffix.size());
      break;
    }
  if (const char* name = festival_of(rest)) subject_ = name;
  else subject_ = utf8(rest);
  subject_text_ = rest;
}

void notice_parser::join_paragraphs() {
  // A line that does not end a sentence (。) or a heading (：；) continues on the next line, unless a blank
  // line or an item number (二、) comes between.
  line* open = nullptr;
  for (std::size_t i = 0; i < raw_.size(); ++i) {
    const raw_line& r = raw_[i];
    if (consumed_[i] || r.t.empty()) {
      open = nullptr;
      continue;
    }
    if (!open || item_number(r.t)) {
      lines_.emplace_back();
      open = &lines_.back();
      open->number = r.number;
    }
    const int row = static_cast<int>(open->rows.size());
    open->rows.push_back(&r);
    open->t += r.t;
    open->col.insert(open->col.end(), r.col.begin(), r.col.end());
    open->row.insert(open->row.end(), r.t.size(), row);
    const char32_t last = r.t.back();
    if (last == U'。' || last == U':' || last == U';') open = nullptr;
  }
}

void notice_parser::find_year() {
  auto year_after = [](const text& t, std::size_t p) {
    if (starts_with(t, p, U"调整") || starts_with(t, p, U"延长")) p += 2;
    if (t.size() < p + 5 || !std::all_of(t.begin() + p, t.begin() + p + 4, is_digit) || t[p + 4] != U'年') return 0;
    int y = 0;
    for (std::size_t k = p; k < p + 4; ++k) y = y * 10 + static_cast<int>(t[k] - U'0');
    return y;
  };
  if (!title_.empty()) {
    text t;
    decode_utf8(title_, t);
    year_ = year_after(t, t.find(U"关于") + 2);
  }
  for (std::size_t i = 0; i < lines_.size() && !year_; ++i)
    if (const std::size_t p = lines_[i].t.find(U"现将"); p != text::npos) year_ = year_after(lines_[i].t, p + 2);
}

bool notice_parser::ignorable_line(const line& l) const {
  const text& t = l.t;
  if (t.empty()) return true;
  // The document number: 国办发明电〔2015〕18号.
  if (t.size() <= 30 && ends_with(t, U"号") && (contains(t, U"〔") || contains(t, U"[")) && contains(t, U"发") &&
      !has_month_day(t))
    return true;
  if (is_date_line(t)) return true;  // the signature date
  // The approval preamble before the items (经国务院批准，现将…; 2025: 经党中央、国务院批准，根据…).
  if (!seen_item_ && starts_with(t, 0, U"经")) {
    const std::size_t comma = std::min(t.find(U','), t.size());
    if (t.substr(0, comma).find(U"批准") != text::npos) return true;
  }
  return false;
}

std::string notice_parser::unknown_festival(std::u32string_view name) const {
  std::vector<std::string> known(standard_festivals.begin(), standard_festivals.end());
  std::string known_list;
  for (const auto& k : known) known_list += (known_list.empty() ? "" : ", ") + k;
  return "unknown festival '" + utf8(text(name)) + "'" + kefu::detail::did_you_mean(utf8(text(name)), known) +
         " (expected " + known_list + ")";
}

void notice_parser::read_line(const line& l) {
  std::size_t p = item_number(l.t);
  const bool item = p > 0;
  bool header = false;
  std::string header_name;
  if (const std::size_t colon = l.t.find(U':', p); colon != text::npos && colon > p) {
    const text prefix = l.t.substr(p, colon - p);
    const bool plain = prefix.size() <= 24 && std::none_of(prefix.begin(), prefix.end(), [](char32_t c) {
                         return is_digit(c) || c == U'(' || c == U',' || c == U'。';
                       });
    if (plain) {
      std::vector<std::string> names;
      std::optional<std::pair<std::size_t, std::size_t>> unknown;
      for (const auto& [b, e] : split_outside_parens(l.t, p, colon, U"、和")) {
        const std::u32string_view word = std::u32string_view(l.t).substr(b, e - b);
        if (const char* n = festival_of(word)) names.emplace_back(n);
        else if (!subject_.empty() && utf8(text(word)) == subject_) names.push_back(subject_);
        else if (!unknown) unknown = std::make_pair(b, e);
      }
      if (!unknown) {
        header = true;
        header_name = join_festivals(names);
      } else if (item) {
        fail({&l, unknown->first, unknown->second},
             unknown_festival(std::u32string_view(l.t).substr(unknown->first, unknown->second - unknown->first)));
      }
      if (header) {
        span where{&l, p, colon};
        for (const auto& f : festivals_)
          if (f.name == header_name)
            fail(where, header_name + " is given twice (lines " + std::to_string(f.where.line) + " and " +
                            std::to_string(where.line_number()) + ")");
        festival_data f;
        f.name = header_name;
        f.where = {file_, where.line_number(), where.column()};
        festivals_.push_back(std::move(f));
        p = colon + 1;
      }
    }
  }
  if (item || header) {
    seen_item_ = true;
    item_festival_ = header ? header_name : subject_;
    have_context_ = false;
  }
  for (const auto& [b, e] : split_outside_parens(l.t, p, l.t.size(), U"。")) read_sentence({&l, b, e});
}

void notice_parser::read_sentence(const span& s) {
  const text t = s.str();
  if (t.empty()) return;
  if (starts_with(t, 0, U"鼓励") || starts_with(t, 0, U"新华社")) return;  // advice to employers; a wire lead-in
  if (!has_month_day(t)) {
    const bool festival =
        std::any_of(festival_words.begin(), festival_words.end(), [&](std::u32string_view w) { return contains(t, w); }) ||
        (!subject_text_.empty() && contains(t, subject_text_));
    // Sentences about nothing in particular, instructions (各地区、各部门要…; …期间，要妥善安排好值班) and the
    // announcement (现将…通知如下) carry no days.
    if (!festival || contains(t, U"通知如下") || contains(t, U"安排如下") || contains(t, U"要") || contains(t, U"应")) return;
    fail(s, "cannot read '" + s.quote() + "': it names a festival but no dates (expected e.g. 5月1日至5日放假调休，共5天)");
  }
  sentence_state st;
  for (const auto& [b, e] : split_outside_parens(s.l->t, s.b, s.e, U",;:")) {
    const line& l = *s.l;
    std::vector<group> groups;
    text shape;
    for (std::size_t i = b; i < e;) {
      if (is_digit(l.t[i])) {
        std::size_t j = i;
        group g;
        if (scan_group(l, j, e, g)) {
          shape += group_mark;
          groups.push_back(std::move(g));
          i = j;
          continue;
        }
        while (i < e && is_digit(l.t[i])) shape += l.t[i++];
        continue;
      }
      shape += l.t[i++];
    }
    read_clause({&l, b, e}, std::move(groups), std::move(shape), st);
  }
  if (st.pending) fail(st.pending->first, "cannot read '" + st.pending->first.quote() + "' (dates without 放假, 补休 or 上班)");
  if (st.count) {
    std::vector<std::int64_t> days = sorted_unique(st.days);
    if (days.empty()) fail(st.count->second, "'" + st.count->second.quote() + "' but the sentence gives no days off");
    if (static_cast<std::size_t>(st.count->first) != days.size())
      contradiction(st.count->second, "the notice says '" + st.count->second.quote() + "' but gives " +
                                          std::to_string(days.size()) + (days.size() == 1 ? " day" : " days") + " off (" +
                                          format(days.front()) + (days.size() > 1 ? "至" + format(days.back()) : "") + ")");
  }
  if (st.with_weekend) {
    if (st.days.empty()) fail(*st.with_weekend, "'与周末连休' but the sentence gives no days off");
    const auto [lo, hi] = std::minmax_element(st.days.begin(), st.days.end());
    const bool touches = is_weekend(*lo - 1) || is_weekend(*hi + 1) ||
                         std::any_of(st.days.begin(), st.days.end(), [](std::int64_t d) { return is_weekend(d); });
    if (!touches)
      contradiction(*st.with_weekend, "the notice says 与周末连休 but " + format(*lo) + " is " +
                                          weekday_english(iso_weekday_index(*lo)) + ", not next to a weekend");
  }
}

void notice_parser::read_clause(span c, std::vector<group> groups, text shape, sentence_state& st) {
  if (st.pending) {  // "4月4日（清明节），为法定节假日"
    if (!starts_with(shape, 0, U"为"))
      fail(st.pending->first, "cannot read '" + st.pending->first.quote() + "' (dates without 放假, 补休 or 上班)");
    shape.insert(shape.begin(), group_mark);
    groups.insert(groups.begin(), st.pending->second.begin(), st.pending->second.end());
    c.b = st.pending->first.b;
    st.pending.reset();
  }
  if (starts_with(shape, 0, U"其中")) {
    st.explain = true;
    shape.erase(0, 2);
  }
  if (shape.empty()) return;
  if (shape.size() == 1 && shape[0] == group_mark) {
    st.pending = std::make_pair(c, std::move(groups));
    return;
  }
  if (groups.empty()) {
    // Clauses without dates: the purpose (为使…、为方便…) and the heading of a special notice's arrangement.
    if (starts_with(shape, 0, U"为") || shape == U"特作如下调休" || shape == U"特作如下安排") return;
    if (shape == U"不调休") {
      festival(c).no_makeup = c;
      return;
    }
    if (shape == U"与周末连休" || shape == U"与双休日连休") {
      st.with_weekend = c;
      return;
    }
    cursor k{shape};
    int n = 0;
    if ((k.lit(U"共计") || k.lit(U"共")) && k.number(n) && k.lit(U"天") && k.end()) {
      st.count = std::make_pair(n, c);
      return;
    }
  }
  auto must_be_off = [&](const group& g) {
    auto& f = festival(c);
    for (const auto& r : g.items) {
      for (std::int64_t d = r.first.day; d <= r.last.day; ++d) f.must_be_off.push_back({d, r.first.where});
    }
  };
  // Days off: "5月1日至5日放假调休" "1月1日（周三）放假1天" "2015年9月3日全国放假1天".
  {
    cursor k{shape};
    k.lit(U"全国");
    if (k.mark()) {
      k.lit(U"全国");
      if (k.lit(U"放假调休") || k.lit(U"调休放假") || k.lit(U"放假公休") || k.lit(U"放假")) {
        const std::size_t before_count = k.p;
        int n = -1;
        const bool counted = (k.lit(U"共"), k.number(n) && k.lit(U"天"));
        if (!counted) {
          k.p = before_count;
          n = -1;
        }
        if (k.end()) {
          if (st.explain) {
            must_be_off(groups[0]);
            return;
          }
          auto& f = festival(c);
          for (const auto& r : groups[0].items)
            for (std::int64_t d = r.first.day; d <= r.last.day; ++d) {
              f.off.emplace(d, stated{r.first.where.line_number(), r.first.where});
              st.days.push_back(d);
            }
          if (counted) st.count = std::make_pair(n, c);
          return;
        }
      }
    }
  }
  const bool one_group = groups.size() == 1;
  auto ends_with_word = [&](std::u32string_view w) {
    return one_group && shape.size() == w.size() + 1 && shape[0] == group_mark && starts_with(shape, 1, w);
  };
  if (ends_with_word(U"补休")) {  // "4月7日（星期一）补休": the day and the weekend before it are off
    auto& f = festival(c);
    for (const auto& r : groups[0].items)
      for (std::int64_t b = r.first.day; b <= r.last.day; ++b) {
        const auto before = f.off.lower_bound(b);
        if (before != f.off.begin()) {
          const std::int64_t last = std::prev(before)->first;
          if (b - last > 7)
            contradiction(r.first.where, "补休 " + format(b) + " is more than a week after the holiday's last day " +
                                             format(last));
          for (std::int64_t d = last + 1; d < b; ++d)
            if (is_weekend(d)) {
              f.off.emplace(d, stated{r.first.where.line_number(), r.first.where});
              st.days.push_back(d);
            }
        }
        f.off.emplace(b, stated{r.first.where.line_number(), r.first.where});
        st.days.push_back(b);
      }
    return;
  }
  if (ends_with_word(U"上班")) {  // make-up working days
    auto& f = festival(c);
    for (const auto& r : groups[0].items)
      for (std::int64_t d = r.first.day; d <= r.last.day; ++d) f.work.emplace(d, stated{r.first.where.line_number(), r.first.where});
    return;
  }
  if (ends_with_word(U"起正常上班") || ends_with_word(U"起照常上班") || ends_with_word(U"正常上班")) {
    festival(c).resumes = groups[0].items.front().first;
    return;
  }
  // Explanations (其中…): they must agree with the days off, and add none.
  if (ends_with_word(U"为公休日") || ends_with_word(U"照常公休") ||
      (st.explain && (ends_with_word(U"调休") || ends_with_word(U"休息")))) {
    must_be_off(groups[0]);
    return;
  }
  auto festival_word = [](cursor& k) {
    for (const auto& a : festival_aliases)
      if (k.lit(a.alias)) return true;
    return false;
  };
  {  // "1月1日为法定假日", "10月1日、2日、3日为国庆节法定节假日"
    cursor k{shape};
    if (k.mark() && k.lit(U"为")) {
      festival_word(k);
      if (k.lit(U"法定") && (k.lit(U"节假日") || k.lit(U"假日")) && k.end()) {
        must_be_off(groups[0]);
        return;
      }
    }
  }
  {  // "将4月28日（星期六）、29日（星期日）两个公休日（分别）调至5月4日（星期五）、7日（星期一）",
     // "10月3日（星期六）公休日及中秋节分别调至10月5日（星期一）、10月6日（星期二）"
    cursor k{shape};
    k.lit(U"将");
    int n = 0;
    if (k.mark()) {
      const std::size_t at = k.p;
      if (!(k.number(n) && k.lit(U"个"))) k.p = at;
      if (k.lit(U"公休日")) {
        const bool and_festival_ok = !k.lit(U"及") || festival_word(k);  // "公休日及中秋节"
        k.lit(U"分别");
        if (and_festival_ok && k.lit(U"调至") && k.mark() && k.end()) {
          must_be_off(groups[1]);
          auto& f = festival(c);
          for (const auto& r : groups[0].items) {
            f.swapped_from.push_back(r.first);
            if (r.last.day != r.first.day) f.swapped_from.push_back(r.last);
          }
          return;
        }
      }
    }
  }
  {  // "延长2020年春节假期至2月2日"
    cursor k{shape};
    if (k.lit(U"延长")) {
      std::size_t q = k.p;
      while (q < shape.size() && is_digit(shape[q])) ++q;
      if (q - k.p == 4 && q < shape.size() && shape[q] == U'年') k.p = q + 1;
      const std::size_t name_start = k.p;
      const std::size_t holiday = shape.find(U"假期至", k.p);
      if (holiday != text::npos) {
        const std::u32string_view name = std::u32string_view(shape).substr(name_start, holiday - name_start);
        k.p = holiday + 3;
        if (k.mark() && k.end() && groups[0].items.size() == 1) {
          festival_data* f = nullptr;
          if (name.empty()) {
            f = &festival(c);
          } else if (const char* known = festival_of(name)) {
            f = &festival_named(known, c);
          } else if (!subject_.empty() && utf8(text(name)) == subject_) {
            f = &festival_named(subject_, c);
          } else {
            fail(c, unknown_festival(name));
          }
          f->extend_to = groups[0].items.front().last.day;
          f->extend_where = groups[0].items.front().last.where;
          return;
        }
      }
    }
  }
  fail(c, "cannot read '" + c.quote() + "' (expected dates with 放假, 补休 or 上班, e.g. 5月1日至5日放假调休)");
}

bool notice_parser::scan_date(const line& l, std::size_t& i, std::size_t end, bool group_start, date_tok& out) {
  const text& t = l.t;
  std::size_t p = i;
  auto digits = [&](int& v, std::size_t max_len) {
    const std::size_t s = p;
    v = 0;
    while (p < end && is_digit(t[p]) && p - s < max_len + 1) v = v * 10 + static_cast<int>(t[p++] - U'0');
    return p - s;
  };
  int n1 = 0, year = 0, month = 0, dom = 0;
  const std::size_t len1 = digits(n1, 4);
  if (len1 == 0 || len1 > 4 || p >= end) return false;
  bool explicit_year = false, has_month = false;
  auto day_part = [&] {
    if (digits(dom, 2) == 0 || p >= end || t[p] != U'日') return false;
    ++p;
    return true;
  };
  if (t[p] == U'年' && len1 == 4) {
    ++p;
    if (digits(month, 2) == 0 || p >= end || t[p] != U'月') return false;
    ++p;
    if (!day_part()) return false;
    year = n1;
    explicit_year = has_month = true;
  } else if (t[p] == U'月' && len1 <= 2) {
    ++p;
    month = n1;
    has_month = true;
    if (!day_part()) return false;
  } else if (t[p] == U'日' && len1 <= 2) {
    ++p;
    dom = n1;
  } else {
    return false;
  }
  const span where{&l, i, p};
  if (!has_month) {
    if (!have_context_) fail(where, "'" + where.quote() + "' has no month (write it with its month, e.g. 5月" +
                                        std::to_string(dom) + "日)");
    year = static_cast<int>(context_year_);
    month = static_cast<int>(context_month_);
    // A bare day that starts a list ("其中，29日、30日、31日为法定假日" after 1月29日至2月4日) names the day of
    // the festival's holiday with that number.
    if (group_start)
      if (const auto d = day_of_holiday(dom)) {
        const auto c = civil_from_days(*d);
        year = static_cast<int>(c.year);
        month = static_cast<int>(c.month);
      }
  } else if (!explicit_year) {
    if (!year_)
      fail(where, "the notice names no year (paste it with its title, e.g. 国务院办公厅关于2027年部分节假日安排的通知)");
    year = year_;
    if (month == 12 && item_festival_ == "元旦") year = year_ - 1;  // 元旦's December days are the year before
  }
  if (month < 1 || month > 12) fail(where, where.quote() + " does not exist (there is no month " + std::to_string(month) + ")");
  const unsigned dim = days_in_month(year, static_cast<unsigned>(month));
  if (dom < 1 || static_cast<unsigned>(dom) > dim)
    fail(where, where.quote() + " does not exist (" + std::to_string(year) + "年" + std::to_string(month) + "月 has " +
                    std::to_string(dim) + " days)");
  if (explicit_year) {
    if (!year_) year_ = year;
    else if (year < year_ - 1 || year > year_ + 1)
      fail(where, where.quote() + " is not in or next to the notice's year " + std::to_string(year_) + " (check the year)");
  }
  have_context_ = true;
  context_year_ = year;
  context_month_ = static_cast<unsigned>(month);
  out.day = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(dom));
  out.where = where;
  if (p < end && t[p] == U'(') {
    const std::size_t close = t.find(U')', p);
    if (close == text::npos || close >= end) fail({&l, p, end}, "'(' without ')' after " + where.quote());
    check_annotation(l, p + 1, close, out);
    p = close + 1;
  }
  i = p;
  return true;
}

void notice_parser::check_annotation(const line& l, std::size_t b, std::size_t e, const date_tok& d) {
  static constexpr std::u32string_view weekday_chars = U"一二三四五六日天";
  for (auto [pb, pe] : split_outside_parens(l.t, b, e, U"、,;")) {
    if (starts_with(l.t, pb, U"即")) ++pb;
    const std::u32string_view part = std::u32string_view(l.t).substr(pb, pe - pb);
    std::size_t prefix = 0;
    if (part.substr(0, 2) == U"星期" || part.substr(0, 2) == U"礼拜") prefix = 2;
    else if (part.size() == 2 && part[0] == U'周' && weekday_chars.find(part[1]) != std::u32string_view::npos) prefix = 1;
    if (prefix == 0) continue;  // 农历除夕, 即农历大年初一至初七, 端午节: not checked
    const span where{&l, pb, pe};
    const std::size_t k = part.size() == prefix + 1 ? weekday_chars.find(part[prefix]) : std::u32string_view::npos;
    if (k == std::u32string_view::npos) fail(where, "unknown weekday '" + where.quote() + "' after " + d.where.quote());
    const unsigned said = static_cast<unsigned>(std::min<std::size_t>(k, 6));
    const unsigned actual = iso_weekday_index(d.day);
    if (said != actual)
      contradiction(where, format(d.day) + " is " + weekday_english(actual) + ", the notice says " + where.quote());
  }
}

bool notice_parser::scan_group(const line& l, std::size_t& i, std::size_t end, group& g) {
  static constexpr std::u32string_view range_separators = U"至到-~";
  static constexpr std::u32string_view list_separators = U"、和及";
  date_tok first;
  if (!scan_date(l, i, end, true, first)) return false;
  for (;;) {
    range_tok r{first, first};
    if (i < end && range_separators.find(l.t[i]) != std::u32string_view::npos) {
      std::size_t j = i + 1;
      while (j < end && (l.t[j] == U'-' || l.t[j] == U'~')) ++j;  // "1月22日———28日"
      date_tok last;
      if (scan_date(l, j, end, false, last)) {
        i = j;
        r.last = last;
        const span whole{&l, first.where.b, last.where.e};
        if (last.day < first.day)
          contradiction(whole, "the range " + whole.quote() + " ends before it starts");
        if (last.day - first.day + 1 > max_range_days)
          contradiction(whole, "the range " + whole.quote() + " is " + std::to_string(last.day - first.day + 1) +
                                   " days long; a holiday is at most 31 days");
      }
    }
    g.items.push_back(r);
    if (i < end && list_separators.find(l.t[i]) != std::u32string_view::npos) {
      std::size_t j = i + 1;
      date_tok next;
      if (j < end && is_digit(l.t[j]) && scan_date(l, j, end, false, next)) {
        i = j;
        first = next;
        continue;
      }
    }
    return true;
  }
}

notice_parser::festival_data& notice_parser::festival_named(const std::string& name, const span& where) {
  for (auto& f : festivals_)
    if (f.name == name) return f;
  festival_data f;
  f.name = name;
  f.where = {file_, where.line_number(), where.column()};
  festivals_.push_back(std::move(f));
  return festivals_.back();
}

notice_parser::festival_data& notice_parser::festival(const span& where) {
  if (item_festival_.empty())
    fail(where, "'" + where.quote() + "' names no festival (begin the item with it, e.g. 五、端午节：…)");
  return festival_named(item_festival_, where);
}

std::optional<std::int64_t> notice_parser::day_of_holiday(int dom) const {
  for (const auto& f : festivals_)
    if (f.name == item_festival_)
      for (const auto& kv : f.off)
        if (civil_from_days(kv.first).day == static_cast<unsigned>(dom)) return kv.first;
  return std::nullopt;
}

std::string notice_parser::format(std::int64_t day) const {
  const auto c = civil_from_days(day);
  std::string out = c.year == year_ ? std::string() : std::to_string(c.year) + "年";
  return out + std::to_string(c.month) + "月" + std::to_string(c.day) + "日";
}

void notice_parser::finish_festival(festival_data& f) {
  if (f.off.empty() && !f.extend_to)
    throw parse_error(f.name + " has no days off (expected e.g. 5月1日至5日放假)", f.where);
  std::set<std::int64_t> off;
  for (const auto& kv : f.off) off.insert(kv.first);
  if (f.extend_to) {
    if (!off.empty() && *f.extend_to < *off.rbegin())
      contradiction(f.extend_where, "the holiday is extended to " + format(*f.extend_to) + ", before its last day " +
                                        format(*off.rbegin()));
    if (!off.empty())
      for (std::int64_t d = *off.begin(); d <= *f.extend_to; ++d) off.insert(d);
    off.insert(*f.extend_to);
  }
  // A weekend day whose rest is moved elsewhere (将…公休日调至…) is worked, unless it is itself a day off.
  for (const auto& d : f.swapped_from) {
    if (off.count(d.day)) continue;
    if (!is_weekend(d.day))
      contradiction(d.where, format(d.day) + " is " + weekday_english(iso_weekday_index(d.day)) +
                                 ", not a 公休日 (a weekend day) whose rest can be moved");
    f.work.emplace(d.day, stated{d.where.line_number(), d.where});
  }
  for (const auto& d : f.must_be_off)
    if (!off.count(d.day))
      contradiction(d.where, format(d.day) + " is not one of " + f.name + "'s days off (" + format(*off.begin()) +
                                 (off.size() > 1 ? "至" + format(*off.rbegin()) : "") + ")");
  if (f.resumes && !off.empty() && f.resumes->day != *off.rbegin() + 1)
    contradiction(f.resumes->where, "work resumes on " + format(f.resumes->day) + " but " + f.name + " ends on " +
                                        format(*off.rbegin()));
  if (f.no_makeup && !f.work.empty())
    contradiction(*f.no_makeup, f.name + " says 不调休 but has make-up working days (" + format(f.work.begin()->first) + ")");
}

holiday_notice notice_parser::run(const holiday_notice* base) {
  find_title();
  join_paragraphs();
  if (lines_.empty()) fail_line(1, "the notice is empty (paste the text of the State Council notice)");
  find_year();
  item_festival_ = subject_;
  for (const line& l : lines_)
    if (!ignorable_line(l)) read_line(l);

  const int first_line = std::find_if(raw_.begin(), raw_.end(), [](const raw_line& r) { return !r.t.empty(); })->number;
  if (!year_)
    fail_line(first_line, "the notice names no year (paste it with its title, e.g. 国务院办公厅关于2027年部分节假日安排的通知)");
  if (festivals_.empty())
    fail_line(first_line, "the notice arranges no holidays (expected items such as 一、元旦：1月1日放假)");
  for (auto& f : festivals_) finish_festival(f);

  // Across festivals: a day is off for one festival at most, and never both off and working.
  std::map<std::int64_t, const festival_data*> off_by;
  for (const auto& f : festivals_)
    for (const auto& [d, s] : f.off) {
      const auto [it, inserted] = off_by.emplace(d, &f);
      if (!inserted && it->second != &f)
        contradiction(s.where, format(d) + " is a day off of both " + it->second->name + " (line " +
                                   std::to_string(it->second->off.at(d).line) + ") and " + f.name + " (line " +
                                   std::to_string(s.line) + ")");
    }
  std::map<std::int64_t, const festival_data*> work_by;
  for (const auto& f : festivals_)
    for (const auto& [d, s] : f.work) {
      if (const auto it = off_by.find(d); it != off_by.end())
        contradiction(s.where, format(d) + " is both a day off (" + it->second->name + ", line " +
                                   std::to_string(it->second->off.at(d).line) + ") and a make-up working day (" +
                                   f.name + ", line " + std::to_string(s.line) + ")");
      // Found by fuzz_notice: one weekend day worked for two festivals (a garbled notice) wrote an overlay
      // that lists it twice, which calendar loading refuses.
      const auto [it, inserted] = work_by.emplace(d, &f);
      if (!inserted && it->second != &f)
        contradiction(s.where, format(d) + " is a make-up working day of both " + it->second->name + " (line " +
                                   std::to_string(it->second->work.at(d).line) + ") and " + f.name + " (line " +
                                   std::to_string(s.line) + ")");
    }

  holiday_notice n;
  n.year_ = year_;
  n.amendment_ = base != nullptr || (kind_ != title_kind::none && kind_ != title_kind::yearly);
  n.title_ = title_;
  n.sources_ = {title_.empty() ? "untitled notice for " + std::to_string(year_) : title_};
  if (base && kind_ == title_kind::yearly)
    fail_line(title_line_ ? title_line_ : first_line, "this is a yearly notice, not an amendment: parse it without a base");
  for (const auto& f : festivals_) {
    notice_festival out;
    out.name = f.name;
    out.where = f.where;
    for (const auto& kv : f.off) out.days_off.push_back(kv.first);
    for (const auto& kv : f.work) out.working_days.push_back(kv.first);
    if (n.amendment_) n.changes_.push_back({out, f.extend_to});
    if (f.extend_to) {  // on its own, an extension knows the days it states and its last day
      std::set<std::int64_t> off(out.days_off.begin(), out.days_off.end());
      if (!off.empty())
        for (std::int64_t d = *off.begin(); d <= *f.extend_to; ++d) off.insert(d);
      off.insert(*f.extend_to);
      out.days_off.assign(off.begin(), off.end());
    }
    n.festivals_.push_back(std::move(out));
  }
  std::sort(n.festivals_.begin(), n.festivals_.end(),
            [](const notice_festival& a, const notice_festival& b) { return a.days_off.front() < b.days_off.front(); });
  if (base) {
    if (base->year() != year_)
      throw policy_error("this notice is for " + std::to_string(year_) + " but the notice it amends is for " +
                             std::to_string(base->year()),
                         {file_, title_line_ ? title_line_ : first_line, 0});
    return holiday_notice::amend(*base, n);
  }
  return n;
}

}  // namespace kefu::calendar
