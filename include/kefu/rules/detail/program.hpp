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
  // Fused forms made by the compiler's last pass: an input compared with a literal reads the input
  // directly (numbers[slot]) instead of visiting two child nodes. l and r still point at the
  // original children, so the static checks and explanations see the condition as written.
  eq_input, ne_input, lt_input, le_input, gt_input, ge_input,  // numbers[slot] ? a
  in_range_input,                                              // a <= numbers[slot] <= b
  in_mask_input,                                               // (a >> numbers[slot]) & 1
};

/// The unfused operation of a fused one (and any other operation unchanged).
constexpr op base_of(op code) noexcept {
  switch (code) {
    case op::eq_input: return op::eq;
    case op::ne_input: return op::ne;
    case op::lt_input: return op::lt;
    case op::le_input: return op::le;
    case op::gt_input: return op::gt;
    case op::ge_input: return op::ge;
    case op::in_range_input: return op::in_range;
    case op::in_mask_input: return op::in_mask;
    default: return code;
  }
}

/// Thrown by checked arithmetic; policy evaluation adds the rule and the sub-expression's text.
class arithmetic_overflow : public kefu::error {
 public:
  arithmetic_overflow(std::uint32_t begin, std::uint32_t end)
      : kefu::error("arithmetic overflow in a condition: " + std::string(what_it_means), {}, {}, "kefu.rules.overflow"),
        begin_(begin),
        end_(end) {}
  static constexpr const char* what_it_means =
      "the result is beyond the range of whole numbers (±9.2e18; money ±¥92 trillion)";
  std::uint32_t begin() const noexcept { return begin_; }  ///< the sub-expression in the condition's text
  std::uint32_t end() const noexcept { return end_; }

 private:
  std::uint32_t begin_, end_;
};

struct node {
  op code = op::literal;
  std::int32_t l = -1, r = -1;
  std::int64_t a = 0, b = 0;
  std::int32_t slot = -1;                          ///< fused forms: the input read
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
    // The atoms most conditions are made of, without a call: eval inlines into its callers (and into
    // eval_node, for the operands of and/or/not), so a leaf costs no call frame. The rest: eval_node.
    switch (n.code) {
      case op::contains_any: return c.keyword_hits[n.a];
      case op::eq_input: return c.numbers[n.slot] == n.a;
      case op::ne_input: return c.numbers[n.slot] != n.a;
      case op::in_mask_input: return (n.a >> c.numbers[n.slot]) & 1;
      default: return eval_node(n, c);
    }
  }

  std::int64_t eval_node(const node& n, const eval_context& c) const {
    std::int64_t out = 0;
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
      // Arithmetic is checked: a result past the int64 range is an error, never a wrapped number that
      // turns `a * 2 > a` false.
      case op::add: return checked(__builtin_add_overflow(eval(n.l, c), eval(n.r, c), &out), out, n);
      case op::sub: return checked(__builtin_sub_overflow(eval(n.l, c), eval(n.r, c), &out), out, n);
      case op::neg: return checked(__builtin_sub_overflow(std::int64_t{0}, eval(n.l, c), &out), out, n);
      case op::scale: return checked(__builtin_mul_overflow(eval(n.l, c), n.a, &out), out, n) / n.b;
      case op::contains_any: return c.keyword_hits[n.a];
      case op::days_between: return checked(__builtin_sub_overflow(eval(n.r, c), eval(n.l, c), &out), out, n);
      case op::date_of: return zone.local_day(kefu::instant::from_unix(eval(n.l, c)));
      case op::workdays_between:
        return calendars[static_cast<std::size_t>(n.a)]->working_days_between(eval(n.l, c), eval(n.r, c));
      case op::eq_input: return c.numbers[n.slot] == n.a;
      case op::ne_input: return c.numbers[n.slot] != n.a;
      case op::lt_input: return c.numbers[n.slot] < n.a;
      case op::le_input: return c.numbers[n.slot] <= n.a;
      case op::gt_input: return c.numbers[n.slot] > n.a;
      case op::ge_input: return c.numbers[n.slot] >= n.a;
      case op::in_range_input: {
        const std::int64_t v = c.numbers[n.slot];
        return n.a <= v && v <= n.b;
      }
      case op::in_mask_input: return (n.a >> c.numbers[n.slot]) & 1;
    }
    return 0;
  }

 private:
  // `value` by reference: it is read after the overflow builtin (another argument) has written it.
  static std::int64_t checked(bool overflowed, const std::int64_t& value, const node& n) {
    if (overflowed) throw arithmetic_overflow(n.source_begin, n.source_end);
    return value;
  }
};

}  // namespace kefu::rules::detail
