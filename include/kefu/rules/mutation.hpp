// kefu — mutation testing of rule tests (`kefu test --mutate`): does a policy's suite notice when a rule changes?
//
// Each mutant is the policy with one small change an author could make by mistake: a comparison bound
// moved by one unit, `and` swapped for `or` (or back), one condition of a rule dropped, an output changed, a
// word removed from a keyword set, a value dropped from a `{…}` list. The suites of the policy run against
// every mutant; a mutant that no case notices "survives" and names a behaviour nothing tests.
#pragma once

#include <kefu/error.hpp>
#include <kefu/rules/suite.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace kefu::rules {

/// The kinds of change a mutant makes.
enum class mutation_kind {
  bound,           ///< a comparison bound moved one unit (`> 7` → `> 8` and `> 6`; `>` ↔ `>=` between two names)
  and_or,          ///< an `and` chain made `or`, or an `or` chain `and`
  drop_condition,  ///< one operand of an `and`/`or` chain dropped (a rule with one condition: `true`)
  output,          ///< one output of a rule (or of the default) changed: the next enum value, a flipped bool, a number + 1
  keyword,         ///< one word removed from a keyword set (with its exceptions)
  set_item,        ///< one value dropped from a `{…}` list in a condition
};
const char* to_string(mutation_kind k) noexcept;

/// One mutant: what it changes and where.
struct mutant {
  mutation_kind kind = mutation_kind::bound;
  std::string rule_id;  ///< the rule changed; "default" for the default's outputs; empty for a keyword set
  std::string change;   ///< e.g. "days_since_purchase > 7 → days_since_purchase > 8", "removes 小红书 from keyword set media"
  source_location where;  ///< the changed place in the policy file (character columns)
};

enum class mutant_status {
  killed,    ///< a case fails on it
  survived,  ///< every case passes: the change goes unnoticed
  invalid,   ///< the mutant does not load (e.g. a set left empty): it tests nothing
};
const char* to_string(mutant_status s) noexcept;

struct mutant_result {
  mutant what;
  mutant_status status = mutant_status::survived;
  /// killed: the first failing case ("tests/refund.yaml:12: day 7 is refunded"); invalid: why it does not load.
  std::string detail;
};

struct mutation_report {
  std::string policy_file;
  std::vector<std::string> suite_files;
  std::size_t cases = 0;  ///< cases run against each mutant
  std::vector<mutant_result> mutants;
  std::size_t killed() const noexcept;
  std::size_t survived() const noexcept;
  std::size_t invalid() const noexcept;
};

/// Every mutant of the policy file, in file order (loads nothing but the policy).
std::vector<mutant> policy_mutants(const std::string& policy_path);

/// Runs the suites (each of which must test `policy_path`) against every mutant of the policy. The suites must
/// pass on the policy as written: otherwise the first failing case is thrown (policy_error,
/// kefu.rules.rule_test), since a suite that already fails kills every mutant and proves nothing. `kinds`
/// limits the mutants made (empty: every kind).
mutation_report mutate_policy(const std::string& policy_path, const std::vector<suite>& suites,
                              const std::vector<mutation_kind>& kinds = {});

/// The kind named `name` ("bound", "and_or", …); std::invalid_argument naming the kinds otherwise.
mutation_kind mutation_kind_named(const std::string& name);

}  // namespace kefu::rules
