// kefu — rule conditions: lexer and recursive-descent parser (the grammar: condition_syntax.hpp). The depth
// of the tree is bounded as it is built, so a hostile condition is an error, never a stack overflow.
#include "condition_syntax.hpp"

#include <kefu/calendar/load.hpp>
#include <kefu/money.hpp>

#include <algorithm>

namespace kefu::rules::detail {

namespace {

bool name_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

/// Full-width and CJK punctuation that a Chinese input method types where a condition needs ASCII: the
/// UTF-8 sequence and the ASCII it stands for.
struct wide_mark {
  const char* utf8;
  const char* ascii;
};
constexpr wide_mark wide_marks[] = {
    {"\xEF\xBC\x9A", ":"},  {"\xEF\xBC\x9D", "="},  {"\xEF\xBC\x88", "("},  {"\xEF\xBC\x89", ")"},
    {"\xEF\xBC\x8C", ","},  {"\xEF\xBC\x9C", "<"},  {"\xEF\xBC\x9E", ">"},  {"\xEF\xBC\x81", "!"},
    {"\xEF\xBC\xBB", "["},  {"\xEF\xBC\xBD", "]"},  {"\xEF\xBD\x9B", "{"},  {"\xEF\xBD\x9D", "}"},
    {"\xEF\xBC\x8B", "+"},  {"\xEF\xBC\x8D", "-"},  {"\xEF\xBC\x8A", "*"},  {"\xEF\xBC\x8F", "/"},
    {"\xEF\xBC\x8E", "."},  {"\xE3\x80\x90", "["},  {"\xE3\x80\x91", "]"},  {"\xE3\x80\x81", ","},
    {"\xE3\x80\x82", "."},  {"\xE2\x80\x98", "'"},  {"\xE2\x80\x99", "'"},  {"\xE2\x80\x9C", "\""},
    {"\xE2\x80\x9D", "\""}, {"\xEF\xBC\x87", "'"},  {"\xEF\xBC\x82", "\""}, {"\xEF\xBD\x9C", "|"},
    {"\xEF\xBC\x86", "&"},
};

/// The ASCII mark that the full-width one at s[i] stands for, or nullptr.
const wide_mark* wide_mark_at(const std::string& s, std::size_t i) {
  for (const auto& m : wide_marks)
    if (s.compare(i, std::char_traits<char>::length(m.utf8), m.utf8) == 0) return &m;
  return nullptr;
}

std::vector<token> lex(const std::string& s) {
  std::vector<token> out;
  std::size_t i = 0;
  auto fail = [&](std::size_t at, const std::string& msg) { throw expression_error{at, msg}; };
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    token t;
    t.begin = i;
    if (c >= 0x80) {
      if (const wide_mark* m = wide_mark_at(s, i))
        fail(i, std::string("full-width '") + m->utf8 + "' here: use ASCII '" + m->ascii +
                    "' (switch the input method to half-width punctuation / 请改用半角 '" + m->ascii + "')");
    }
    // ¥ (C2 A5) or ￥ (EF BF A5) starts a money literal.
    const bool yen = s.compare(i, 2, "\xC2\xA5") == 0 || s.compare(i, 3, "\xEF\xBF\xA5") == 0;
    if (yen) {
      std::size_t j = i + (s[i] == '\xC2' ? 2 : 3);
      while (j < s.size() && ((s[j] >= '0' && s[j] <= '9') || s[j] == ',' || s[j] == '.')) {
        if (s[j] == '.' && j + 1 < s.size() && s[j + 1] == '.') break;  // ¥0..¥100
        ++j;
      }
      try {
        t.number = kefu::money::parse(s.substr(i, j - i)).fen();
      } catch (const kefu::parse_error& e) {
        fail(i, e.detail());
      }
      t.kind = tok::money;
      t.text = s.substr(i, j - i);
      i = j;
    } else if (c >= '0' && c <= '9') {
      std::size_t j = i;
      while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
      if (j - i == 4 && j + 5 < s.size() + 0 && s[j] == '-' && j + 6 <= s.size()) {  // a date 2026-02-14
        std::int64_t days = 0;
        if (j + 6 <= s.size() && kefu::parse_days(s.substr(i, 10), days)) {
          t.kind = tok::date;
          t.number = days;
          t.text = s.substr(i, 10);
          i += 10;
          t.end = i;
          out.push_back(t);
          continue;
        }
        fail(i, "bad date '" + s.substr(i, std::min<std::size_t>(10, s.size() - i)) + "': expected an existing date as YYYY-MM-DD");
      }
      if (j < s.size() && s[j] == '.' && j + 1 < s.size() && s[j + 1] >= '0' && s[j + 1] <= '9') {
        ++j;
        while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
      }
      std::size_t k = j;
      while (k < s.size() && ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z'))) ++k;
      if (k > j) {  // 24h, 30min, 90s, 2d
        try {
          const auto d = kefu::calendar::parse_duration(s.substr(i, k - i));
          if (d.kind != kefu::calendar::clock::wall) fail(i, "only wall-clock durations (s, min, h, d) can be literals");
          t.number = d.amount;
        } catch (const kefu::parse_error& e) {
          fail(i, e.detail());
        }
        t.kind = tok::duration;
        t.text = s.substr(i, k - i);
        i = k;
      } else {
        t.kind = tok::number;
        t.text = s.substr(i, j - i);
        i = j;
      }
    } else if (c == '\'' || c == '"') {
      const std::size_t close = s.find(static_cast<char>(c), i + 1);
      if (close == std::string::npos) fail(i, "text literal is not closed");
      t.kind = tok::string;
      t.text = s.substr(i + 1, close - i - 1);
      i = close + 1;
    } else if (name_byte(c)) {
      std::size_t j = i;
      while (j < s.size() && name_byte(static_cast<unsigned char>(s[j])) && !(static_cast<unsigned char>(s[j]) >= 0x80 && wide_mark_at(s, j)))
        ++j;
      t.text = s.substr(i, j - i);
      t.kind = t.text == "and" ? tok::kw_and
               : t.text == "or" ? tok::kw_or
               : t.text == "not" ? tok::kw_not
               : t.text == "in" ? tok::kw_in
               : t.text == "true" ? tok::kw_true
               : t.text == "false" ? tok::kw_false
                                   : tok::name;
      i = j;
    } else {
      static const char* ops[] = {"==", "!=", "<=", ">=", "..", "&&", "||", "<", ">", "+", "-", "*", "/",
                                  "(", ")", "[", "]", "{", "}", ",", "!", "="};
      const char* found = nullptr;
      for (const char* o : ops)
        if (s.compare(i, std::char_traits<char>::length(o), o) == 0) {
          found = o;
          break;
        }
      if (!found) fail(i, std::string("unexpected character '") + s[i] + "'");
      t.text = found;
      if (t.text == "=") fail(i, "use '==' to compare ('=' is not an operator)");
      if (t.text == "&&") fail(i, "use 'and' instead of '&&'");
      if (t.text == "||") fail(i, "use 'or' instead of '||'");
      if (t.text == "!") fail(i, "use 'not' instead of '!'");
      t.kind = tok::op;
      i += t.text.size();
    }
    t.end = i;
    out.push_back(t);
  }
  token e;
  e.kind = tok::end;
  e.begin = e.end = s.size();
  out.push_back(e);
  return out;
}

class parser {
 public:
  explicit parser(const std::string& text) : toks_(lex(text)) {}

  ast_ptr parse() {
    if (toks_[pos_].kind == tok::end)
      throw expression_error{0, "empty condition (write `when: true` for a rule that always applies)"};
    ast_ptr e = parse_or();
    if (peek().kind != tok::end)
      throw expression_error{peek().begin, "unexpected '" + peek().text + "' after a complete condition"};
    return e;
  }

 private:
  const token& peek() const { return toks_[pos_]; }
  const token& take() { return toks_[pos_++]; }
  bool is_op(const char* o) const { return peek().kind == tok::op && peek().text == o; }
  void expect(const char* o, const char* where) {
    if (!is_op(o))
      throw expression_error{peek().begin, std::string("expected '") + o + "' " + where +
                                               (peek().kind == tok::end ? " (the condition ended)" : ", found '" + peek().text + "'")};
    ++pos_;
  }
  ast_ptr node(ast_kind k, const token& t, std::size_t begin) {
    auto n = std::make_unique<ast>();
    n->kind = k;
    n->tk = t;
    n->begin = begin;
    return n;
  }
  ast_ptr binary(const token& t, ast_ptr l, ast_ptr r) {
    auto n = node(ast_kind::binary, t, l->begin);
    n->end = r->end;
    n->kids.push_back(std::move(l));
    n->kids.push_back(std::move(r));
    return checked(std::move(n));
  }
  /// Sets the node's depth from its children and refuses a condition nested past the limit.
  ast_ptr checked(ast_ptr n) {
    for (const auto& k : n->kids) n->depth = std::max(n->depth, k->depth + 1);
    if (n->depth > max_condition_depth) too_deep(n->tk.begin);
    return n;
  }
  [[noreturn]] void too_deep(std::size_t at) const {
    throw expression_error{at,
                           "the condition nests deeper than " + std::to_string(max_condition_depth) +
                               " levels (parentheses, not, and/or chains); split it into several rules, or "
                               "test many values at once with `in {…}`",
                           "kefu.rules.too_deep"};
  }
  /// Counts the parser's own recursion (parentheses, `not`, unary minus) before any node is built.
  struct nesting {
    parser& p;
    explicit nesting(parser& owner, std::size_t at) : p(owner) {
      if (++p.nesting_ > max_condition_depth) p.too_deep(at);
    }
    ~nesting() { --p.nesting_; }
  };
  int nesting_ = 0;
  ast_ptr parse_or() {
    ast_ptr l = parse_and();
    while (peek().kind == tok::kw_or) {
      const token t = take();
      l = binary(t, std::move(l), parse_and());
    }
    return l;
  }
  ast_ptr parse_and() {
    ast_ptr l = parse_not();
    while (peek().kind == tok::kw_and) {
      const token t = take();
      l = binary(t, std::move(l), parse_not());
    }
    return l;
  }
  ast_ptr parse_not() {
    if (peek().kind == tok::kw_not) {
      const token t = take();
      const nesting guard(*this, t.begin);
      auto n = node(ast_kind::unary_not, t, t.begin);
      n->kids.push_back(parse_not());
      n->end = n->kids[0]->end;
      return checked(std::move(n));
    }
    return parse_cmp();
  }
  ast_ptr parse_cmp() {
    ast_ptr l = parse_sum();
    static const char* cmps[] = {"==", "!=", "<=", ">=", "<", ">"};
    for (const char* c : cmps)
      if (is_op(c)) {
        const token t = take();
        return binary(t, std::move(l), parse_sum());
      }
    bool negated = false;
    if (peek().kind == tok::kw_not && toks_[pos_ + 1].kind == tok::kw_in) {
      ++pos_;
      negated = true;
    }
    if (peek().kind == tok::kw_in) {
      const token t = take();
      if (is_op("[")) {
        const std::size_t open = take().begin;
        auto n = node(ast_kind::in_range, t, l->begin);
        n->kids.push_back(std::move(l));
        n->kids.push_back(parse_sum());
        expect("..", "between the ends of a range such as [0..7]");
        n->kids.push_back(parse_sum());
        expect("]", "to close the range");
        n->end = toks_[pos_ - 1].end;
        n->negated = negated;
        (void)open;
        return checked(std::move(n));
      }
      if (is_op("{")) {
        take();
        auto n = node(ast_kind::in_set, t, l->begin);
        n->kids.push_back(std::move(l));
        do {
          n->kids.push_back(parse_sum());
        } while (is_op(",") && (take(), true));
        expect("}", "to close the set");
        n->end = toks_[pos_ - 1].end;
        n->negated = negated;
        return checked(std::move(n));
      }
      // x in set_input
      auto n = node(ast_kind::in_set, t, l->begin);
      n->kids.push_back(std::move(l));
      n->kids.push_back(parse_sum());
      n->end = n->kids.back()->end;
      n->negated = negated;
      n->tk.text = "in-input";
      return checked(std::move(n));
    }
    if (negated) throw expression_error{peek().begin, "expected 'in' after 'not'"};
    return l;
  }
  ast_ptr parse_sum() {
    ast_ptr l = parse_prod();
    while (is_op("+") || is_op("-")) {
      const token t = take();
      l = binary(t, std::move(l), parse_prod());
    }
    return l;
  }
  ast_ptr parse_prod() {
    ast_ptr l = parse_unary();
    while (is_op("*") || is_op("/")) {
      const token t = take();
      l = binary(t, std::move(l), parse_unary());
    }
    return l;
  }
  ast_ptr parse_unary() {
    if (is_op("-")) {
      const token t = take();
      const nesting guard(*this, t.begin);
      auto n = node(ast_kind::unary_neg, t, t.begin);
      n->kids.push_back(parse_unary());
      n->end = n->kids[0]->end;
      return checked(std::move(n));
    }
    return parse_primary();
  }
  ast_ptr parse_primary() {
    const token& t = peek();
    switch (t.kind) {
      case tok::number:
      case tok::money:
      case tok::duration:
      case tok::date:
      case tok::string:
      case tok::kw_true:
      case tok::kw_false: {
        auto n = node(ast_kind::literal, take(), t.begin);
        n->end = n->tk.end;
        return n;
      }
      case tok::name: {
        const token name = take();
        if (is_op("(")) {
          take();
          auto n = node(ast_kind::call, name, name.begin);
          if (!is_op(")")) {
            do {
              n->kids.push_back(parse_sum());
            } while (is_op(",") && (take(), true));
          }
          expect(")", ("to close the call of " + name.text + "(").c_str());
          n->end = toks_[pos_ - 1].end;
          return checked(std::move(n));
        }
        auto n = node(ast_kind::name, name, name.begin);
        n->end = name.end;
        return n;
      }
      case tok::op:
        if (t.text == "(") {
          const std::size_t begin = take().begin;
          const nesting guard(*this, begin);
          ast_ptr inner = parse_or();
          expect(")", "to close '('");
          inner->begin = begin;
          inner->end = toks_[pos_ - 1].end;
          return inner;
        }
        break;
      default: break;
    }
    if (t.kind == tok::end) throw expression_error{t.begin, "the condition ends too early: expected a value"};
    throw expression_error{t.begin, "expected a value, found '" + t.text + "'"};
  }

  std::vector<token> toks_;
  std::size_t pos_ = 0;
};

}  // namespace

ast_ptr parse_condition(const std::string& text) { return parser(text).parse(); }

}  // namespace kefu::rules::detail
