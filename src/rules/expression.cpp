// Type checker and code generator of rule conditions: the syntax tree (condition_syntax.hpp) → program nodes.
// Names are inputs, keyword sets (only as arguments), or enum values where an enum is expected.
#include "condition_syntax.hpp"

#include <kefu/calendar/load.hpp>
#include <kefu/detail/suggest.hpp>
#include <kefu/money.hpp>

#include <algorithm>
#include <memory>

namespace kefu::rules::detail {

namespace {

// ---- type checking and code generation ----

struct typed {
  std::int32_t node = -1;
  value_type type = value_type::boolean;
  int field = -1;         // enum/set: input index whose values apply
  bool untyped = false;   // a plain number literal that adopts the other side's type
  bool is_literal = false;
  std::int64_t literal = 0;
  std::string number_text;  // of an untyped number
  int text_slot = -1;       // a text input
};

bool numeric(value_type t) {
  return t == value_type::integer || t == value_type::decimal || t == value_type::money || t == value_type::duration ||
         t == value_type::date || t == value_type::datetime;
}

class compiler {
 public:
  explicit compiler(compile_env& env) : env_(env) {}

  std::int32_t compile(const ast& root) {
    typed t = expr(root, nullptr);
    if (t.type != value_type::boolean || t.untyped)
      fail(root, "a condition must be true or false, but this is " + describe(t));
    return t.node;
  }

 private:
  [[noreturn]] void fail(const ast& a, const std::string& msg) const { throw expression_error{a.begin, msg}; }

  std::string describe(const typed& t) const {
    if (t.untyped) return "a number";
    if (t.type == value_type::enumeration || t.type == value_type::set)
      return std::string(to_string(t.type)) + " '" + env_.inputs[static_cast<std::size_t>(t.field)].name + "'";
    switch (t.type) {
      case value_type::integer: return "an int";
      case value_type::money: return "an amount of money";
      case value_type::text: return "text";
      case value_type::boolean: return "a bool";
      default: return std::string("a ") + to_string(t.type);
    }
  }

  std::int32_t emit(op code, const ast& a, std::int32_t l = -1, std::int32_t r = -1, std::int64_t x = 0,
                    std::int64_t y = 0, bool traced = false) {
    node n;
    n.code = code;
    n.l = l;
    n.r = r;
    n.a = x;
    n.b = y;
    n.source_begin = static_cast<std::uint32_t>(a.begin);
    n.source_end = static_cast<std::uint32_t>(a.end);
    n.traced = traced;
    env_.prog.nodes.push_back(n);
    return static_cast<std::int32_t>(env_.prog.nodes.size() - 1);
  }

  typed literal_of(const ast& a, value_type type, std::int64_t v, int field = -1) {
    typed t;
    t.type = type;
    t.field = field;
    t.is_literal = true;
    t.literal = v;
    t.node = emit(op::literal, a, -1, -1, v);
    return t;
  }

  /// Gives an untyped number literal the type `want` (exactly: 12.305 is no money).
  typed adopt(const ast& a, const typed& number, const typed& want) {
    const std::string& text = number.number_text;
    const bool negative = !text.empty() && text[0] == '-';
    const std::string digits = negative ? text.substr(1) : text;
    const std::size_t dot = digits.find('.');
    const std::string whole = digits.substr(0, dot);
    const std::string frac = dot == std::string::npos ? "" : digits.substr(dot + 1);
    auto scaled = [&](std::int64_t scale, int max_decimals, const char* what) -> std::int64_t {
      if (static_cast<int>(frac.size()) > max_decimals)
        fail(a, "'" + text + "' has more decimals than " + what + " allows");
      if (whole.size() > 15) fail(a, "'" + text + "' is too large");
      std::int64_t v = std::stoll(whole) * scale;
      std::int64_t unit = scale;
      for (const char c : frac) {
        unit /= 10;
        v += (c - '0') * unit;
      }
      return negative ? -v : v;
    };
    switch (want.type) {
      case value_type::integer: return literal_of(a, value_type::integer, scaled(1, 0, "a whole number"));
      case value_type::decimal: return literal_of(a, value_type::decimal, scaled(decimal_scale, 6, "a decimal"));
      case value_type::money: return literal_of(a, value_type::money, scaled(100, 2, "money (two decimals)"));
      case value_type::duration:
        fail(a, "a duration needs a unit: write e.g. " + text + "min or " + text + "h");
      case value_type::date:
        fail(a, "compare a date with a date such as 2026-02-14, not a number");
      default:
        fail(a, "cannot compare " + describe(want) + " with the number " + text);
    }
  }

  typed resolve_name(const ast& a, const typed* hint) {
    const std::string& name = a.tk.text;
    for (std::size_t i = 0; i < env_.inputs.size(); ++i) {
      const field& f = env_.inputs[i];
      if (f.name != name) continue;
      env_.input_used[i] = true;
      typed t;
      t.type = f.type;
      t.field = static_cast<int>(i);
      if (f.type == value_type::text) {
        t.text_slot = static_cast<int>(i);
        return t;
      }
      if (f.type == value_type::deadline)
        fail(a, "'" + name + "' is a deadline: deadlines are decided by rules, not compared in conditions");
      t.node = emit(op::input, a, -1, -1, static_cast<std::int64_t>(i), 0, f.type == value_type::boolean);
      return t;
    }
    if (hint && (hint->type == value_type::enumeration || hint->type == value_type::set) && hint->field >= 0) {
      const field& f = env_.inputs[static_cast<std::size_t>(hint->field)];
      const int v = f.value_index(name);
      if (v >= 0) return literal_of(a, value_type::enumeration, v, hint->field);
      fail(a, "'" + name + "' is not a value of " + f.name + " (values: " + join(f.values) + ")" +
                  kefu::detail::did_you_mean(name, f.values));
    }
    for (const auto& ks : env_.keyword_sets)
      if (ks.name() == name) {
        std::string text_input = "text_input";
        for (const auto& f : env_.inputs)
          if (f.type == value_type::text) {
            text_input = f.name;
            break;
          }
        fail(a, "keyword set '" + name + "' can only be used inside contains_any(" + text_input + ", " + name + ")");
      }
    // `has_receipt == yes`: a bool is written true or false (people who type Chinese write 是/否).
    if (const char* meant = kefu::detail::boolean_meant(name))
      fail(a, std::string("write ") + meant + ", not '" + name + "' (a yes/no input is true or false / 请写 " + meant + ")");
    std::vector<std::string> names;
    for (const auto& f : env_.inputs) names.push_back(f.name);
    throw expression_error{a.begin, "unknown input '" + name + "'" + kefu::detail::did_you_mean(name, names),
                           "kefu.rules.unknown_input"};
  }

  static std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
  }

  typed expr(const ast& a, const typed* hint) {
    switch (a.kind) {
      case ast_kind::literal: return literal(a, hint);
      case ast_kind::name: return resolve_name(a, hint);
      case ast_kind::group: return expr(*a.kids[0], hint);
      case ast_kind::unary_not: {
        typed x = boolean(*a.kids[0]);
        typed t;
        t.node = emit(op::not_, a, x.node);
        return t;
      }
      case ast_kind::unary_neg: {
        typed x = expr(*a.kids[0], hint);
        if (x.untyped) {
          x.number_text = "-" + x.number_text;  // adopt() handles the sign through stoll
          return x;
        }
        if (!numeric(x.type) || x.type == value_type::date || x.type == value_type::datetime)
          fail(a, "cannot negate " + describe(x));
        typed t = x;
        t.is_literal = false;
        t.node = emit(op::neg, a, x.node);
        return t;
      }
      case ast_kind::binary: return binary(a);
      case ast_kind::in_range: return in_range(a);
      case ast_kind::in_set: return in_set(a);
      case ast_kind::call: return call(a);
    }
    fail(a, "unsupported expression");
  }

  typed literal(const ast& a, const typed* hint) {
    const token& t = a.tk;
    switch (t.kind) {
      case tok::kw_true: return literal_of(a, value_type::boolean, 1);
      case tok::kw_false: return literal_of(a, value_type::boolean, 0);
      case tok::money: return literal_of(a, value_type::money, t.number);
      case tok::duration: return literal_of(a, value_type::duration, t.number);
      case tok::date: return literal_of(a, value_type::date, t.number);
      case tok::string: {
        if (hint && hint->type == value_type::enumeration && hint->field >= 0) {
          const field& f = env_.inputs[static_cast<std::size_t>(hint->field)];
          const int v = f.value_index(t.text);
          if (v < 0)
            fail(a, "'" + t.text + "' is not a value of " + f.name + " (values: " + join(f.values) + ")" +
                        kefu::detail::did_you_mean(t.text, f.values));
          return literal_of(a, value_type::enumeration, v, hint->field);
        }
        typed x;
        x.type = value_type::text;
        x.is_literal = true;
        env_.prog.strings.push_back(t.text);
        x.literal = static_cast<std::int64_t>(env_.prog.strings.size() - 1);
        return x;
      }
      case tok::number: {
        typed x;
        x.untyped = true;
        x.type = value_type::integer;
        x.number_text = t.text;
        if (hint && !hint->untyped && numeric(hint->type)) return adopt(a, x, *hint);
        return x;
      }
      default: break;
    }
    fail(a, "unexpected '" + t.text + "'");
  }

  typed boolean(const ast& a) {
    typed x = expr(a, nullptr);
    if (x.type != value_type::boolean || x.untyped) fail(a, "expected true or false here, but this is " + describe(x));
    return x;
  }

  /// Compiles both sides of a comparison so that literals and enum names take the other side's type.
  std::pair<typed, typed> operands(const ast& l, const ast& r) {
    const bool l_loose = l.kind == ast_kind::literal || (l.kind == ast_kind::name && !is_input(l.tk.text));
    if (l_loose && !(r.kind == ast_kind::literal || (r.kind == ast_kind::name && !is_input(r.tk.text)))) {
      typed b = expr(r, nullptr);
      typed a = expr(l, &b);
      return {a, b};
    }
    typed a = expr(l, nullptr);
    typed b = expr(r, &a);
    if (a.untyped && !b.untyped) a = adopt(l, a, b);
    if (a.untyped && b.untyped) {
      typed as_decimal;
      as_decimal.type = value_type::decimal;
      a = adopt(l, a, as_decimal);
      b = adopt(r, b, as_decimal);
    }
    return {a, b};
  }

  bool is_input(const std::string& name) const {
    return std::any_of(env_.inputs.begin(), env_.inputs.end(), [&](const field& f) { return f.name == name; });
  }

  typed binary(const ast& a) {
    const std::string& o = a.tk.text;
    if (a.tk.kind == tok::kw_and || a.tk.kind == tok::kw_or) {
      typed l = boolean(*a.kids[0]);
      typed r = boolean(*a.kids[1]);
      typed t;
      t.node = emit(a.tk.kind == tok::kw_and ? op::and_ : op::or_, a, l.node, r.node);
      return t;
    }
    if (o == "*" || o == "/") return scaling(a, o);
    auto [l, r] = operands(*a.kids[0], *a.kids[1]);
    if (o == "+" || o == "-") return arithmetic(a, o, l, r);
    // Comparisons.
    if (l.type == value_type::text || r.type == value_type::text) {
      if (o != "==" && o != "!=") throw expression_error{a.tk.begin, "text can only be compared with == or !="};
      if (l.type != value_type::text || r.type != value_type::text || (l.text_slot < 0) == (r.text_slot < 0))
        fail(a, "compare a text input with a text literal such as 'abc'");
      const typed& in = l.text_slot >= 0 ? l : r;
      const typed& lit = l.text_slot >= 0 ? r : l;
      typed t;
      t.node = emit(o == "==" ? op::text_eq : op::text_ne, a, -1, -1, in.text_slot, lit.literal, true);
      return t;
    }
    if (l.type != r.type) fail(a, "cannot compare " + describe(l) + " with " + describe(r));
    if (l.type == value_type::enumeration && l.field != r.field && !l.is_literal && !r.is_literal)
      fail(a, "cannot compare " + describe(l) + " with " + describe(r) + ": they have different values");
    if (l.type == value_type::set) fail(a, "sets are tested with 'in', e.g. vip in tags");
    const bool ordered = o == "<" || o == "<=" || o == ">" || o == ">=";
    if (ordered && (l.type == value_type::boolean || l.type == value_type::enumeration))
      throw expression_error{a.tk.begin, "'" + o + "' needs numbers, amounts, durations or dates, not " + describe(l)};
    const op code = o == "==" ? op::eq : o == "!=" ? op::ne : o == "<" ? op::lt : o == "<=" ? op::le : o == ">" ? op::gt : op::ge;
    typed t;
    t.node = emit(code, a, l.node, r.node, 0, 0, true);
    return t;
  }

  typed arithmetic(const ast& a, const std::string& o, typed l, typed r) {
    if (!numeric(l.type) || !numeric(r.type)) fail(a, "'" + o + "' needs numbers, not " + describe(l) + " and " + describe(r));
    typed t;
    if (o == "+" || o == "-") {
      if (l.type != r.type) fail(a, "cannot " + std::string(o == "+" ? "add " : "subtract ") + describe(r) + (o == "+" ? " to " : " from ") + describe(l));
      if (l.type == value_type::date || l.type == value_type::datetime)
        fail(a, "dates cannot be added or subtracted; use days_between(a, b)");
      t.type = l.type;
      t.field = l.field;
      t.node = emit(o == "+" ? op::add : op::sub, a, l.node, r.node);
      return t;
    }
    fail(a, "unsupported arithmetic");
  }

  /// `x * 2`, `2 * x`, `x / 10`, `x * 1.5`: a value scaled by an exact number literal keeps its unit
  /// (money stays money). The literal is read as an exact ratio, never as a float.
  typed scaling(const ast& a, const std::string& o) {
    const ast& lhs = *a.kids[0];
    const ast& rhs = *a.kids[1];
    const bool r_number = rhs.kind == ast_kind::literal && rhs.tk.kind == tok::number;
    const bool l_number = lhs.kind == ast_kind::literal && lhs.tk.kind == tok::number;
    if (o == "/" && !r_number) fail(rhs, "divide by a number literal, e.g. order_amount / 10");
    if (!r_number && !l_number) fail(a, "'" + o + "' needs a number literal on one side (e.g. order_amount * 2)");
    const ast& factor = r_number ? rhs : lhs;
    const ast& operand = r_number ? lhs : rhs;
    typed x = expr(operand, nullptr);
    if (x.untyped || !numeric(x.type) || x.type == value_type::date || x.type == value_type::datetime)
      fail(operand, "'" + o + "' scales numbers, amounts and durations, not " + describe(x));
    const std::string& text = factor.tk.text;
    const std::size_t dot = text.find('.');
    std::int64_t num = 0, den = 1;
    for (const char c : text) {
      if (c == '.') continue;
      if (num > 100'000'000'000LL) fail(factor, "'" + text + "' is too large a factor");
      num = num * 10 + (c - '0');
    }
    if (dot != std::string::npos)
      for (std::size_t k = dot + 1; k < text.size(); ++k) den *= 10;
    if (o == "/") std::swap(num, den);
    if (den == 0) fail(factor, "division by zero");
    typed t;
    t.type = x.type;
    t.field = x.field;
    t.node = emit(op::scale, a, x.node, -1, num, den);
    return t;
  }

  std::int64_t constant(const ast& a, const typed& want) {
    typed t = expr(a, &want);
    if (t.untyped) t = adopt(a, t, want);
    if (!t.is_literal) fail(a, "range ends must be literal values");
    if (t.type != want.type) fail(a, "a range of " + describe(want) + " needs ends of the same type, not " + describe(t));
    return t.literal;
  }

  typed in_range(const ast& a) {
    typed x = expr(*a.kids[0], nullptr);
    if (!numeric(x.type) || x.untyped) fail(a, "'in [..]' needs a number, amount, duration or date on the left, not " + describe(x));
    const std::int64_t lo = constant(*a.kids[1], x), hi = constant(*a.kids[2], x);
    if (hi < lo) fail(*a.kids[2], "the range ends before it starts");
    typed t;
    t.node = emit(op::in_range, a, x.node, -1, lo, hi, true);
    if (a.negated) t.node = emit(op::not_, a, t.node);
    return t;
  }

  typed in_set(const ast& a) {
    if (a.tk.text == "in-input") {  // value in set_input
      typed s = expr(*a.kids[1], nullptr);
      if (s.type != value_type::set) fail(*a.kids[1], "'in' needs a set input or a {…} list on the right, not " + describe(s));
      typed v = expr(*a.kids[0], &s);
      if (!v.is_literal || v.field != s.field) fail(*a.kids[0], "the left of 'in " + env_.inputs[static_cast<std::size_t>(s.field)].name + "' must be one of its values");
      typed t;
      t.node = emit(op::set_any, a, s.node, -1, std::int64_t(1) << v.literal, 0, true);
      if (a.negated) t.node = emit(op::not_, a, t.node);
      return t;
    }
    typed x = expr(*a.kids[0], nullptr);
    if (x.type == value_type::enumeration || x.type == value_type::set) {
      std::int64_t mask = 0;
      for (std::size_t i = 1; i < a.kids.size(); ++i) {
        typed v = expr(*a.kids[i], &x);
        if (!v.is_literal || v.type != value_type::enumeration) fail(*a.kids[i], "expected a value of " + describe(x));
        mask |= std::int64_t(1) << v.literal;
      }
      typed t;
      t.node = emit(x.type == value_type::set ? op::set_any : op::in_mask, a, x.node, -1, mask, 0, true);
      if (a.negated) t.node = emit(op::not_, a, t.node);
      return t;
    }
    if (x.type == value_type::text && x.text_slot >= 0) {
      // text in {'a', 'b'}: an or of equalities.
      std::int32_t acc = -1;
      for (std::size_t i = 1; i < a.kids.size(); ++i) {
        typed v = expr(*a.kids[i], &x);
        if (v.type != value_type::text || !v.is_literal) fail(*a.kids[i], "expected a text literal such as 'abc'");
        const std::int32_t eq = emit(op::text_eq, a, -1, -1, x.text_slot, v.literal);
        acc = acc < 0 ? eq : emit(op::or_, a, acc, eq);
      }
      env_.prog.nodes[static_cast<std::size_t>(acc)].traced = true;
      typed t;
      t.node = a.negated ? emit(op::not_, a, acc) : acc;
      return t;
    }
    if (numeric(x.type) && !x.untyped) {
      std::int32_t acc = -1;
      for (std::size_t i = 1; i < a.kids.size(); ++i) {
        const std::int64_t v = constant(*a.kids[i], x);
        const std::int32_t lit = emit(op::literal, *a.kids[i], -1, -1, v);
        const std::int32_t eq = emit(op::eq, a, x.node, lit);
        acc = acc < 0 ? eq : emit(op::or_, a, acc, eq);
      }
      env_.prog.nodes[static_cast<std::size_t>(acc)].traced = true;
      typed t;
      t.node = a.negated ? emit(op::not_, a, acc) : acc;
      return t;
    }
    fail(a, "'in {…}' needs an enum, set, text or number on the left, not " + describe(x));
  }

  typed call(const ast& a) {
    const std::string& fn = a.tk.text;
    auto arity = [&](std::size_t n, const char* signature) {
      if (a.kids.size() != n) fail(a, fn + " takes " + std::to_string(n) + " arguments: " + signature);
    };
    if (fn == "contains_any") {
      arity(2, "contains_any(text_input, keyword_set)");
      typed t_in = expr(*a.kids[0], nullptr);
      if (t_in.type != value_type::text || t_in.text_slot < 0) fail(*a.kids[0], "contains_any needs a text input first, not " + describe(t_in));
      const ast& set = *a.kids[1];
      if (set.kind != ast_kind::name) fail(set, "contains_any needs the name of a keyword set second");
      std::size_t k = 0;
      for (; k < env_.keyword_sets.size(); ++k)
        if (env_.keyword_sets[k].name() == set.tk.text) break;
      if (k == env_.keyword_sets.size()) {
        std::vector<std::string> names;
        for (const auto& ks : env_.keyword_sets) names.push_back(ks.name());
        throw expression_error{set.begin, "unknown keyword set '" + set.tk.text + "'" +
                                              kefu::detail::did_you_mean(set.tk.text, names),
                               "kefu.rules.unknown_keyword_set"};
      }
      env_.keyword_set_used[k] = true;
      const std::pair<std::size_t, std::size_t> test{static_cast<std::size_t>(t_in.text_slot), k};
      auto it = std::find(env_.keyword_tests.begin(), env_.keyword_tests.end(), test);
      if (it == env_.keyword_tests.end()) it = env_.keyword_tests.insert(env_.keyword_tests.end(), test);
      typed t;
      t.node = emit(op::contains_any, a, -1, -1, it - env_.keyword_tests.begin(), 0, true);
      return t;
    }
    if (fn == "days_between" || fn == "workdays_between") {
      if (fn == "days_between") arity(2, "days_between(from, to)");
      else if (a.kids.size() != 3) fail(a, "workdays_between takes 3 arguments: workdays_between(from, to, 'calendar-name')");
      typed from = date_arg(*a.kids[0]);
      typed to = date_arg(*a.kids[1]);
      typed t;
      t.type = value_type::integer;
      if (fn == "days_between") {
        t.node = emit(op::days_between, a, from.node, to.node);
        return t;
      }
      const ast& cal = *a.kids[2];
      if (cal.kind != ast_kind::literal || cal.tk.kind != tok::string) fail(cal, "the calendar is named in quotes, e.g. 'cn-mainland'");
      std::shared_ptr<const kefu::calendar::calendar> c;
      try {
        c = kefu::calendar::builtin(cal.tk.text);
      } catch (const kefu::error& e) {
        fail(cal, e.detail());
      }
      env_.prog.calendars.push_back(c);
      t.node = emit(op::workdays_between, a, from.node, to.node, static_cast<std::int64_t>(env_.prog.calendars.size() - 1));
      return t;
    }
    static const std::vector<std::string> functions = {"contains_any", "days_between", "workdays_between"};
    fail(a, "unknown function '" + fn + "'" + kefu::detail::did_you_mean(fn, functions) +
                " (functions: contains_any, days_between, workdays_between)");
  }

  typed date_arg(const ast& a) {
    typed x = expr(a, nullptr);
    if (x.type == value_type::datetime) {
      typed t;
      t.type = value_type::date;
      t.node = emit(op::date_of, a, x.node);
      return t;
    }
    if (x.type != value_type::date || x.untyped) fail(a, "expected a date or datetime, not " + describe(x));
    return x;
  }

  compile_env& env_;
};

}  // namespace

namespace {
/// The last pass: comparisons of an input with a literal read the input directly (see op::eq_input).
void fuse(std::vector<node>& nodes, std::size_t from) {
  auto is = [&](std::int32_t i, op code) { return i >= 0 && nodes[static_cast<std::size_t>(i)].code == code; };
  for (std::size_t i = from; i < nodes.size(); ++i) {
    node& n = nodes[i];
    switch (n.code) {
      case op::eq: case op::ne: case op::lt: case op::le: case op::gt: case op::ge: {
        bool flipped = false;
        std::int32_t in = n.l, lit = n.r;
        if (is(n.l, op::literal) && is(n.r, op::input)) {
          std::swap(in, lit);
          flipped = true;
        }
        if (!is(in, op::input) || !is(lit, op::literal)) break;
        op code = n.code;
        if (flipped) code = code == op::lt ? op::gt : code == op::le ? op::ge : code == op::gt ? op::lt : code == op::ge ? op::le : code;
        static constexpr op fused[] = {op::eq_input, op::ne_input, op::lt_input, op::le_input, op::gt_input, op::ge_input};
        n.code = fused[static_cast<int>(code) - static_cast<int>(op::eq)];
        n.slot = static_cast<std::int32_t>(nodes[static_cast<std::size_t>(in)].a);
        n.a = nodes[static_cast<std::size_t>(lit)].a;
        break;
      }
      case op::in_range:
        if (is(n.l, op::input)) {
          n.code = op::in_range_input;
          n.slot = static_cast<std::int32_t>(nodes[static_cast<std::size_t>(n.l)].a);
        }
        break;
      case op::in_mask:
        if (is(n.l, op::input)) {
          n.code = op::in_mask_input;
          n.slot = static_cast<std::int32_t>(nodes[static_cast<std::size_t>(n.l)].a);
        }
        break;
      default: break;
    }
  }
}
}  // namespace

std::int32_t compile_condition(const std::string& text, compile_env& env) {
  const ast_ptr root = parse_condition(text);
  const std::size_t first_node = env.prog.nodes.size();
  compiler c(env);
  const std::int32_t result = c.compile(*root);
  fuse(env.prog.nodes, first_node);
  return result;
}

}  // namespace kefu::rules::detail
