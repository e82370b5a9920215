// kefu — deciding on partial facts (`kefu explain` / `kefu triage` with inputs left out): what is already
// settled, and which rules could still fire depending on what is not given.
//
// Conditions are evaluated in three values: an input not given is unknown, and so is everything computed from
// it, except where the known part settles it (`false and x` is false, `true or x` true). A rule whose
// condition is unknown "could fire"; so does one whose arithmetic fails on these facts (evaluate raises that
// only when it reaches the rule).
#pragma once

#include <kefu/rules/policy.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace kefu::rules {

enum class truth : std::uint8_t { no, yes, unknown };
const char* to_string(truth t) noexcept;  ///< "no", "yes", "unknown"

/// The decision of a policy on a record that may leave inputs out (record::present is 0 for them).
struct partial_decision {
  std::vector<std::string> missing;  ///< the inputs not given, in the policy's order
  std::vector<truth> rules;          ///< per rule of the policy: fires, cannot fire, or depends on what is missing
  std::vector<std::vector<std::string>> needs;  ///< per rule: the missing inputs its condition reads
  /// True when no value of the missing inputs can change the decision; then `outcome` is the decision.
  bool settled = false;
  decision outcome;
  /// When not settled: the rules that could still decide (in rule order) and whether the default could apply.
  std::vector<std::uint32_t> candidates;
  bool default_possible = false;
  /// Under hit policy unique, when one rule surely fires: the rules that could fire too, which would make the
  /// decision an error (kefu.rules.not_unique).
  std::vector<std::uint32_t> conflicts;
  /// An effective-dated policy (DOM-RULE-1): index into policy::versions() of the version in force when the
  /// selecting instant is given, −1 when it is not (or the policy has no versions).
  std::int32_t version = -1;
};

/// Decides what the given inputs settle. A record with every input given is settled exactly as
/// policy::evaluate decides it (and errors as it does: two rules under `unique`, no match without a default).
partial_decision evaluate_partial(const policy& p, const record& r);

/// The partial decision as text: the inputs not given, the decision if settled (else the outputs each
/// candidate would give), and every rule with ✓ fires / ✗ cannot fire / ? could fire (needs …).
std::string explain_partial(const policy& p, const partial_decision& d);

}  // namespace kefu::rules
