// kefu — the syntax of rule conditions: tokens, the syntax tree and the parser (src/rules/condition_syntax.cpp).
// expression.cpp type-checks the tree and compiles it. Internal to src/rules. Grammar (lowest precedence first):
//
//   or   := and ('or' and)*          and := not ('and' not)*        not := 'not' not | cmp
//   cmp  := sum [('=='|'!='|'<'|'<='|'>'|'>=') sum | ['not'] 'in' (range | set | name)]
//   sum  := prod (('+'|'-') prod)*   prod := unary (('*'|'/') unary)*   unary := '-' unary | primary
//   primary := number | ¥money | duration (24h, 30min) | date (2026-02-14) | 'text' | true | false
//            | name | name '(' args ')' | '(' or ')'
//   range := '[' sum '..' sum ']'    set := '{' item (',' item)* '}'
#pragma once

#include "expression.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kefu::rules::detail {

enum class tok { end, number, money, duration, date, string, name, op, kw_and, kw_or, kw_not, kw_in, kw_true, kw_false };

struct token {
  tok kind = tok::end;
  std::string text;  // as written (for names and operators), or the literal's content
  std::size_t begin = 0, end = 0;
  std::int64_t number = 0;  // duration seconds, date days, money fen
};

enum class ast_kind { literal, name, unary_not, unary_neg, binary, in_range, in_set, call, group };

struct ast {
  ast_kind kind;
  token tk;  // the operator / literal / name token
  std::vector<std::unique_ptr<ast>> kids;
  std::size_t begin = 0, end = 0;
  bool negated = false;  // not in
  int depth = 1;         // levels of this subtree (bounded, so compiling and evaluating cannot overflow the stack)
};
using ast_ptr = std::unique_ptr<ast>;

/// The deepest a condition may nest: parentheses, `not`, `-` and chains of `and`/`or`/arithmetic all
/// count. Conditions are written by people; a limit keeps hostile files from overflowing the stack.
constexpr int max_condition_depth = 256;

/// The syntax tree of a condition; expression_error (offset, message) on a syntax error or a condition nested
/// past max_condition_depth (kefu.rules.too_deep).
ast_ptr parse_condition(const std::string& text);

}  // namespace kefu::rules::detail
