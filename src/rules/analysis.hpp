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

}  // namespace kefu::rules::detail
