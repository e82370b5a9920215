// Mutation testing of rule tests (include/kefu/rules/mutation.hpp, `kefu test --mutate`, DOM-RULE-1) and the
// suites' `expect_each` for collect policies.
#include <kefu/rules/mutation.hpp>

#include "calendar_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace kr = kefu::rules;
using kefu_test::scratch_dir;

namespace {

const char* const demo_policy = R"(policy: demo
hit_policy: first
inputs:
  days: int
  vip: bool
  category: {type: enum, values: [a, b, c]}
  amount: money
  text: text
outputs:
  decision: {type: enum, values: [refund, deny]}
  reason: text
keywords:
  angry:
    words: [气死, 投诉你]
    exceptions: {气死: [气死人的天气]}
rules:
  - id: R1
    when: days <= 7 and vip
    then: {decision: refund, reason: within the window}
  - id: R2
    when: category in {a, b} or amount > ¥100.00
    then: {decision: deny}
  - id: R3
    when: contains_any(text, angry)
    then: {decision: deny}
default: {decision: deny}
)";

std::vector<std::string> changes(const std::vector<kr::mutant>& ms) {
  std::vector<std::string> out;
  for (const auto& m : ms) out.push_back(std::string(kr::to_string(m.kind)) + " " + m.rule_id + ": " + m.change);
  return out;
}

const kr::mutant_result& find(const kr::mutation_report& r, const std::string& change) {
  const auto it = std::find_if(r.mutants.begin(), r.mutants.end(), [&](const kr::mutant_result& m) { return m.what.change == change; });
  if (it == r.mutants.end()) throw std::runtime_error("no mutant " + change);
  return *it;
}

}  // namespace

TEST(Mutation, EveryKindOfMutantIsMadeInFileOrder) {
  scratch_dir dir;
  const std::string file = dir.write("demo.yaml", demo_policy);
  const std::vector<std::string> expected = {
      "and_or R1: `days <= 7 and vip` → `days <= 7 or vip`",
      "drop_condition R1: drops `days <= 7` from `days <= 7 and vip`",
      "drop_condition R1: drops `vip` from `days <= 7 and vip`",
      "bound R1: `days <= 7` → `days <= 8`",
      "bound R1: `days <= 7` → `days <= 6`",
      "output R1: decision: refund → deny",  // text outputs (reason) are not mutated
      "and_or R2: `category in {a, b} or amount > ¥100.00` → `category in {a, b} and amount > ¥100.00`",
      "drop_condition R2: drops `category in {a, b}` from `category in {a, b} or amount > ¥100.00`",
      "drop_condition R2: drops `amount > ¥100.00` from `category in {a, b} or amount > ¥100.00`",
      "set_item R2: drops a from `category in {a, b}`",
      "set_item R2: drops b from `category in {a, b}`",
      "bound R2: `amount > ¥100.00` → `amount > ¥100.01`",
      "bound R2: `amount > ¥100.00` → `amount > ¥99.99`",
      "output R2: decision: deny → refund",
      "drop_condition R3: drops the condition `contains_any(text, angry)` (the rule always applies)",
      "output R3: decision: deny → refund",
      "output default: decision: deny → refund",
      "keyword : removes 气死 from keyword set angry",
      "keyword : removes 投诉你 from keyword set angry",
  };
  const auto ms = kr::policy_mutants(file);
  EXPECT_EQ(changes(ms), expected);
  // Each points at what it changes, in characters: `7` of R1's condition, the ¥ literal, the word 投诉你.
  EXPECT_EQ(ms[3].where.file, file);
  EXPECT_EQ(ms[3].where.line, 18);
  EXPECT_EQ(ms[3].where.column, 19);
  EXPECT_EQ(ms[11].where.line, 21);
  EXPECT_EQ(ms[11].where.column, 42);
  EXPECT_EQ(ms[18].where.line, 14);
  EXPECT_EQ(ms[18].where.column, 17);
}

TEST(Mutation, ASuiteKillsWhatItTestsAndNamesTheCaseThatNoticed) {
  scratch_dir dir;
  const std::string policy = dir.write("demo.yaml", demo_policy);
  const std::string suite_file = dir.write("tests/demo.yaml", R"(suite: demo
policy: ../demo.yaml
defaults: {days: 3, vip: true, category: c, amount: "0", text: ""}
cases:
  - name: a VIP within the window is refunded
    input: {}
    expect: {decision: refund}
    rule: R1
  - name: day 7 is the last day
    input: {days: 7}
    expect: {decision: refund}
)");
  const auto report = kr::mutate_policy(policy, {kr::load_suite_file(suite_file)});
  EXPECT_EQ(report.cases, 2u);
  EXPECT_EQ(report.mutants.size(), 19u);
  EXPECT_EQ(report.killed() + report.survived() + report.invalid(), 19u);
  EXPECT_EQ(report.invalid(), 0u);  // removing 气死 removes its exception too, so the mutant loads

  const auto& swapped = find(report, "`days <= 7 and vip` → `days <= 7 or vip`");
  EXPECT_EQ(swapped.status, kr::mutant_status::survived);  // no case has a non-VIP or a late day
  const auto& tighter = find(report, "`days <= 7` → `days <= 6`");
  EXPECT_EQ(tighter.status, kr::mutant_status::killed);
  EXPECT_EQ(tighter.detail, suite_file + ":9: day 7 is the last day (decision expected refund, got deny)");
  EXPECT_EQ(find(report, "`days <= 7` → `days <= 8`").status, kr::mutant_status::survived);  // nothing at day 8
  EXPECT_EQ(find(report, "decision: refund → deny").status, kr::mutant_status::killed);
  EXPECT_EQ(find(report, "removes 投诉你 from keyword set angry").status, kr::mutant_status::survived);
  EXPECT_EQ(find(report, "drops `vip` from `days <= 7 and vip`").status, kr::mutant_status::survived);
  EXPECT_EQ(find(report, "drops the condition `contains_any(text, angry)` (the rule always applies)").status,
            kr::mutant_status::survived);  // R1 decides every case first
}

TEST(Mutation, ASuiteThatFailsAsWrittenIsRefusedBeforeAnyMutant) {
  scratch_dir dir;
  const std::string policy = dir.write("demo.yaml", demo_policy);
  const std::string suite_file = dir.write("tests/demo.yaml", R"(suite: demo
policy: ../demo.yaml
defaults: {days: 3, vip: true, category: c, amount: "0", text: ""}
cases:
  - name: wrong on purpose
    input: {}
    expect: {decision: deny}
)");
  try {
    kr::mutate_policy(policy, {kr::load_suite_file(suite_file)});
    FAIL() << "a failing suite kills every mutant and proves nothing";
  } catch (const kefu::policy_error& e) {
    EXPECT_EQ(e.id(), "kefu.rules.rule_test");
    EXPECT_EQ(e.where().line, 5);
    EXPECT_EQ(e.detail(), "rule test 'wrong on purpose' fails: decision expected deny, got refund / 规则测试未通过");
  }
}

TEST(Mutation, AKeywordSetOfOneWordGetsNoRemovalMutant) {
  scratch_dir dir;  // (an empty set does not load: the mutant would test nothing)
  const std::string policy = dir.write("p.yaml", R"(policy: p
inputs: {text: text}
outputs: {hit: bool}
keywords: {one: [独词]}
rules:
  - id: K
    when: contains_any(text, one)
    then: {hit: true}
default: {hit: false}
)");
  const auto ms = kr::policy_mutants(policy);
  EXPECT_EQ(changes(ms), (std::vector<std::string>{
                             "drop_condition K: drops the condition `contains_any(text, one)` (the rule always applies)",
                             "output K: hit: true → false", "output default: hit: false → true"}));
}

TEST(SuiteExpectEach, EveryMatchedRuleIsCheckedWhereverItStands) {
  scratch_dir dir;
  const std::string policy = dir.write("c.yaml", R"(policy: c
hit_policy: collect
inputs: {n: int}
outputs: {within: deadline, label: text}
rules:
  - id: FIRST
    when: n > 0
    then: {within: 1h, label: first}
  - id: SECOND
    when: n > 1
    then: {within: 30s, label: second}
)");
  const std::string suite_file = dir.write("t.yaml", R"(suite: c
policy: c.yaml
cases:
  - name: both fire
    input: {n: 2}
    expect_each: {SECOND: {within: 31s}, FIRST: {label: first}}
  - name: second does not fire
    input: {n: 1}
    expect_each:
      SECOND: {within: 30s}
)");
  const kr::suite s = kr::load_suite_file(suite_file);
  ASSERT_EQ(s.cases[0].expect_each.size(), 2u);
  EXPECT_EQ(s.cases[0].expect_each[0].rule, "SECOND");
  EXPECT_EQ(s.cases[0].expect_each[0].where.line, 6);
  const auto p = kr::load_policy_file(policy);
  kr::check_suite_types(s, *p);
  const auto r = kr::run_suite(s, *p);
  using diff = std::tuple<std::string, std::string, std::string>;
  EXPECT_EQ(r.cases[0].differences, (std::vector<diff>{{"SECOND within", "31s", "30s"}}));
  EXPECT_EQ(r.cases[1].differences, (std::vector<diff>{{"SECOND", "fires", "does not fire"}}));
  // A rule id or an output that the policy does not have is an error at its own place, with a suggestion.
  const std::string bad = dir.write("bad.yaml", R"(suite: c
policy: c.yaml
cases:
  - name: misspelt
    input: {n: 2}
    expect_each: {SECCOND: {within: 30s}}
)");
  try {
    kr::check_suite_types(kr::load_suite_file(bad), *p);
    FAIL() << "unknown rule accepted";
  } catch (const kefu::policy_error& e) {
    EXPECT_EQ(e.id(), "kefu.rules.unknown_rule");
    EXPECT_EQ(e.where().line, 6);
    EXPECT_EQ(e.where().column, 19);
    EXPECT_EQ(e.detail(), "policy 'c' has no rule 'SECCOND' (did you mean 'SECOND'?)");
  }
  const std::string bad_output = dir.write("bad2.yaml", R"(suite: c
policy: c.yaml
cases:
  - input: {n: 2}
    expect_each: {SECOND: {withn: 30s}}
)");
  try {
    kr::check_suite_types(kr::load_suite_file(bad_output), *p);
    FAIL() << "unknown output accepted";
  } catch (const kefu::policy_error& e) {
    EXPECT_EQ(e.id(), "kefu.rules.unknown_output");
    EXPECT_EQ(e.where().line, 5);
    EXPECT_EQ(e.where().column, 28);
  }
}

TEST(Mutation, AValueSharedThroughAnAliasIsNotMutatedInOnePlaceOnly) {
  scratch_dir dir;
  // Found in review: R2's `then` is R1's through an alias; editing it changed R1 too, and a case of R1's
  // "killed" a mutant of R2.
  const std::string policy = dir.write("a.yaml", R"(policy: a
inputs: {x: bool, y: bool, n: {type: enum, values: [p, q, r]}}
outputs: {d: {type: enum, values: [yes, no]}}
rules:
  - id: R1
    when: x
    then: &shared {d: yes}
  - id: R2
    when: (n in {p, q, r}) == true
    then: *shared
default: {d: no}
)");
  const std::string suite_file = dir.write("t.yaml", R"(suite: a
policy: a.yaml
cases:
  - {name: x, input: {x: true, y: false, n: p}, expect: {d: yes}}
)");
  const auto report = kr::mutate_policy(policy, {kr::load_suite_file(suite_file)});
  std::size_t refused = 0;
  for (const auto& m : report.mutants) {
    if (m.what.kind == kr::mutation_kind::output && m.what.rule_id != "default") {
      EXPECT_EQ(m.status, kr::mutant_status::invalid) << m.what.change;
      EXPECT_NE(m.detail.find("shared with another place through a YAML alias"), std::string::npos);
      ++refused;
    }
    if (m.what.kind == kr::mutation_kind::set_item) {  // parentheses kept: `((n in {q, r})) == true` loads
      EXPECT_NE(m.status, kr::mutant_status::invalid) << m.what.change << ": " << m.detail;
    }
  }
  EXPECT_EQ(refused, 2u);
  // The largest amount a literal can hold has no "+ 1" mutant (and no overflow).
  const std::string big = dir.write("b.yaml", R"(policy: b
inputs: {m: money}
outputs: {d: bool}
rules:
  - {id: M, when: m > ¥92233720368547758.07, then: {d: true}}
default: {d: false}
)");
  const auto ms = kr::policy_mutants(big);
  EXPECT_EQ(std::count_if(ms.begin(), ms.end(), [](const kr::mutant& m) { return m.kind == kr::mutation_kind::bound; }), 1);
}

TEST(SuiteExpectEach, IsForCollectPoliciesOnly) {
  scratch_dir dir;
  const std::string policy = dir.write("f.yaml", R"(policy: f
inputs: {n: int}
outputs: {d: int}
rules:
  - {id: A, when: n > 0, then: {d: 1}}
default: {d: 0}
)");
  const std::string suite_file = dir.write("t.yaml", R"(suite: f
policy: f.yaml
cases:
  - input: {n: 1}
    expect_each: {A: {d: 1}}
)");
  try {
    kr::check_suite_types(kr::load_suite_file(suite_file), *kr::load_policy_file(policy));
    FAIL();
  } catch (const kefu::policy_error& e) {
    EXPECT_EQ(e.detail(), "`expect_each` is for hit policy collect, where every rule that applies fires; policy 'f' is "
                          "hit policy first: check its decision with `expect`");
    EXPECT_EQ(e.where().line, 5);
  }
}
