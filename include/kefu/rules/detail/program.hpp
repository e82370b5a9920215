// Compiled rule conditions: a flat array of nodes evaluated by a small recursive switch. Built by
// src/rules/expression.cpp; users do not touch it.
#pragma once

#include <kefu/calendar/calendar.hpp>
#include <kefu/rules/keywords.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kefu::rules::detail {

enum class op : std::uint8_t {
  literal,           // a
  input,             // numbers[a]
  not_, and_, or_,   // l, r
  eq, ne, lt, le, gt, ge,  // l ? r
  text_eq, text_ne,  // texts[a] ==/!= strings[b]
  in_range,          // a <= l <= b
  in_mask,           // (1 << l) & a
  set_any,           // l & a (a set input against a literal mask)
  add, sub, neg,     // l ± r, −l
  scale,             // l * a / b (exact ratio; truncation toward zero)
  contains_any,      // keyword hit a (precomputed per text input × keyword set)
  days_between,      // r − l (dates)
  date_of,           // local date of the datetime l in the policy's zone
  workdays_between,  // calendars[a].working_days_between(l, r)
};

struct node {
  op code = op::literal;
  std::int32_t l = -1, r = -1;
  std::int64_t a = 0, b = 0;
  std::uint32_t source_begin = 0, source_end = 0;  ///< the sub-expression's text in `source`
  bool traced = false;                             ///< an atom worth showing in an explanation
};

/// What one evaluation reads: input numbers and texts, and the keyword hits computed up front.
struct eval_context {
  const std::int64_t* numbers = nullptr;
  const std::string_view* texts = nullptr;
  const std::uint8_t* keyword_hits = nullptr;
};

struct program {
  std::vector<node> nodes;
  std::vector<std::string> strings;
  std::vector<std::shared_ptr<const kefu::calendar::calendar>> calendars;
  kefu::time_zone zone;

  std::int64_t eval(std::int32_t i, const eval_context& c) const {
    const node& n = nodes[static_cast<std::size_t>(i)];
    switch (n.code) {
      case op::literal: return n.a;
      case op::input: return c.numbers[n.a];
      case op::not_: return !eval(n.l, c);
      case op::and_: return eval(n.l, c) && eval(n.r, c);
      case op::or_: return eval(n.l, c) || eval(n.r, c);
      case op::eq: return eval(n.l, c) == eval(n.r, c);
      case op::ne: return eval(n.l, c) != eval(n.r, c);
      case op::lt: return eval(n.l, c) < eval(n.r, c);
      case op::le: return eval(n.l, c) <= eval(n.r, c);
      case op::gt: return eval(n.l, c) > eval(n.r, c);
      case op::ge: return eval(n.l, c) >= eval(n.r, c);
      case op::text_eq: return c.texts[n.a] == strings[static_cast<std::size_t>(n.b)];
      case op::text_ne: return c.texts[n.a] != strings[static_cast<std::size_t>(n.b)];
      case op::in_range: {
        const std::int64_t v = eval(n.l, c);
        return n.a <= v && v <= n.b;
      }
      case op::in_mask: return (n.a >> eval(n.l, c)) & 1;
      case op::set_any: return (eval(n.l, c) & n.a) != 0;
      case op::add: return eval(n.l, c) + eval(n.r, c);
      case op::sub: return eval(n.l, c) - eval(n.r, c);
      case op::neg: return -eval(n.l, c);
      case op::scale: return eval(n.l, c) * n.a / n.b;
      case op::contains_any: return c.keyword_hits[n.a];
      case op::days_between: return eval(n.r, c) - eval(n.l, c);
      case op::date_of: return zone.local_day(kefu::instant::from_unix(eval(n.l, c)));
      case op::workdays_between:
        return calendars[static_cast<std::size_t>(n.a)]->working_days_between(eval(n.l, c), eval(n.r, c));
    }
    return 0;
  }
};

}  // namespace kefu::rules::detail
