// The condition language of policy rules: parse, type-check against the inputs, compile to nodes.
#pragma once

#include <kefu/rules/policy.hpp>

#include <string>
#include <vector>

namespace kefu::rules::detail {

/// A problem in a condition at a byte offset of its text.
struct expression_error {
  std::size_t offset;
  std::string message;
  std::string id = "kefu.rules.condition";  ///< docs/errors.md
};

struct compile_env {
  const std::vector<field>& inputs;
  const std::vector<keyword_set>& keyword_sets;
  program& prog;
  std::vector<std::pair<std::size_t, std::size_t>>& keyword_tests;
  std::vector<bool>& keyword_set_used;
  std::vector<bool>& input_used;
};

/// Compiles a boolean condition; throws expression_error.
std::int32_t compile_condition(const std::string& text, compile_env& env);

}  // namespace kefu::rules::detail
