// The shipped rules directory as a triage policy, loaded once per test binary (tests that open tickets
// from facts share it; a policy is immutable, so sharing is safe).
#pragma once

#include <kefu/rules/triage.hpp>

#include <memory>

namespace kefu_test {

inline std::shared_ptr<const kefu::rules::triage_policy> shipped_policy() {
  static const auto policy = kefu::rules::triage_policy::load_directory(KEFU_TEST_RULES_DIR);
  return policy;
}

}  // namespace kefu_test
