// kefu — rule tests: cases next to the rules (rules/tests/*.yaml), run by `kefu test`.
//
//   suite: refund decisions
//   policy: ../refund.yaml            # relative to this file
//   defaults: {business: mall, has_receipt: true}   # facts every case starts from
//   cases:
//     - name: quality defect on day 7 is refunded (DOM-REF-1)
//       input: {category: quality_defect, days_since_purchase: 7}
//       expect: {decision: refund}     # a subset of the outputs
//       rule: REF-QUALITY-7D           # or `default`; `rules: [A, B]` under hit policy collect
//       expect_each: {REF-VIP: {priority: high}}   # collect: what a matched rule decides, wherever it stands
#pragma once

#include <kefu/rules/policy.hpp>

#include <string>
#include <vector>

namespace kefu::rules {

/// Where a `name: value` entry of a suite is written: its name and its value.
struct entry_location {
  source_location key, value;
};

/// What one matched rule must decide (`expect_each:` under hit policy collect, where `expect` reads only the
/// first matched rule).
struct rule_expectation {
  std::string rule;
  source_location where;
  std::vector<std::pair<std::string, std::string>> outputs;  ///< output name → expected text
  std::vector<entry_location> outputs_where;                 ///< parallel to outputs
};

struct test_case {
  std::string name;
  std::vector<std::pair<std::string, std::string>> input;   ///< input name → text (defaults merged in)
  std::vector<std::pair<std::string, std::string>> expect;  ///< output name → expected text
  std::vector<std::string> expect_rules;                    ///< expected rule ids ("default" = no rule)
  bool check_rules = false;
  source_location where;
  std::vector<entry_location> input_where;       ///< parallel to input (a default's own line when it comes from `defaults`)
  std::vector<entry_location> expect_where;      ///< parallel to expect
  std::vector<source_location> expect_rules_where;  ///< parallel to expect_rules
  std::vector<rule_expectation> expect_each;        ///< each rule must fire and decide these outputs
};

struct suite {
  std::string name;
  std::string file;
  std::string policy_path;  ///< resolved against the suite's directory
  source_location policy_where;  ///< where the suite says `policy:`
  std::vector<test_case> cases;
};

struct case_result {
  std::size_t index = 0;  ///< into suite::cases
  bool passed = false;
  /// What differs: (what, expected, actual); `what` is an output name, "rule", or "RULE-ID output" for an
  /// `expect_each` entry ("RULE-ID" with expected "fires" when the rule did not fire). An error evaluating
  /// the case is reported as ("error", "", message).
  std::vector<std::tuple<std::string, std::string, std::string>> differences;
  std::vector<std::string> actual_rules;
  /// The rules that matched as indices into policy::rules() (a versioned policy repeats ids across versions).
  std::vector<std::uint32_t> actual_rule_indices;
};

struct suite_result {
  std::vector<case_result> cases;
  std::size_t passed = 0, failed = 0;
};

/// Loads a suite file; errors carry file, line and column. Input and output names and values are
/// checked against the policy when the suite runs.
suite load_suite_file(const std::string& path);

/// A YAML mapping of facts (input name → value) as text pairs, for `kefu explain --input`.
std::vector<std::pair<std::string, std::string>> load_facts_file(const std::string& path);
/// The same from YAML text (`kefu triage --input -` reads standard input); errors name `display_name`.
std::vector<std::pair<std::string, std::string>> load_facts_text(const std::string& yaml,
                                                                 const std::string& display_name = "<stdin>");

/// Checks the suite against the policy it tests before any case runs, as a policy's conditions are checked
/// against its inputs: every input and output name exists, every value reads as its field's type (enum
/// values with did-you-mean, `yes`/`是` for a bool told to write true/false), every expected rule id is a rule
/// of the policy or `default`. Throws at the entry's own file, line and column: policy_error with id
/// kefu.rules.unknown_input, kefu.rules.unknown_output or kefu.rules.unknown_rule for a name, parse_error with
/// id kefu.rules.bad_value or kefu.rules.unknown_value for a value. A default is reported once, at its line.
void check_suite_types(const suite& s, const policy& p);

/// Runs every case against the policy. A case whose input is wrong (unknown input, bad value) fails
/// with an "error" difference naming the case's line; it never stops the other cases.
suite_result run_suite(const suite& s, const policy& p);

/// The id of a failing rule test (docs/errors.md): every loading path that runs rule tests
/// (triage_policy::load_directory, policy_handle, triage_policy_handle, `kefu lint`) refuses with it.
inline constexpr const char* rule_test_error_id = "kefu.rules.rule_test";

/// Checks the suite's types (check_suite_types), runs every case (run_suite) and, when any fails, throws a policy_error with id kefu.rules.rule_test at
/// the first failing case (the suite file, the case's line and column) naming the case and what differs:
///   tests/refund.yaml:12:5: rule test 'day 7 is refunded (DOM-REF-1)' fails: decision expected refund, got deny
/// (and how many more cases fail). Returns the number of cases, all passed.
std::size_t check_suite(const suite& s, const policy& p);

}  // namespace kefu::rules
