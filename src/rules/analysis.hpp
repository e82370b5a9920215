// Static checks over compiled conditions: unreachable rules under `first`, overlaps under `unique`,
// and input combinations no rule covers when there is no default.
#pragma once

#include <kefu/rules/policy.hpp>

#include <vector>

namespace kefu::rules::detail {

/// Warnings for the policy (empty when all is well). Conditions are analysed over bool, enum and
/// numeric-interval inputs; anything else (text, sets, arithmetic, functions) is treated as unknown,
/// and a finding is reported only when it holds whatever the unknown parts are.
std::vector<diagnostic> analyse_policy(const policy& p);

/// A rule index: for one enum (or bool) input, the rules that can possibly match for each of its
/// values, in rule order. Built from the same analysis (a rule's boxes are a superset of where it can
/// match), so skipping the other rules never changes a decision. `slot` is -1 when no input prunes.
struct rule_index {
  std::int32_t slot = -1;
  std::vector<std::vector<std::uint32_t>> candidates;  // per value of the input
  std::vector<std::int32_t> roots;                     // per rule, its condition's root (rule::root)
};
rule_index index_rules(const policy& p);

}  // namespace kefu::rules::detail
