// One loading path (docs/reliability.md): triage_policy::load_directory runs the directory's rule tests, and
// triage_policy_handle and policy_handle refuse a failing one with the same error (kefu.rules.rule_test at the
// case's file and line). load_options::run_rule_tests = false is raw loading.
#include <kefu/rules/policy_handle.hpp>
#include <kefu/rules/triage.hpp>

#include "calendar_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

using namespace kefu_test;
namespace kr = kefu::rules;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The text up to (not including) the first line that starts with `marker`.
std::string cut_before(const std::string& text, const std::string& marker) {
  const auto at = text.find("\n" + marker);
  EXPECT_NE(at, std::string::npos) << marker;
  return text.substr(0, at + 1);
}

kr::load_options raw() {
  kr::load_options o;
  o.run_rule_tests = false;
  return o;
}

/// The policy_error `f` throws (fails the test when it throws nothing or something else).
kefu::policy_error policy_error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const kefu::policy_error& e) {
    return e;
  }
  ADD_FAILURE() << "no policy_error";
  return kefu::policy_error("none");
}

}  // namespace

TEST(LoadingPath, TheShippedRulesRunEveryRuleTestAtLoad) {
  const auto p = kr::triage_policy::load_directory(KEFU_TEST_RULES_DIR);
  EXPECT_TRUE(p->rule_tests_run());
  EXPECT_EQ(p->rule_test_cases(), 216u);  // every case of rules/tests/*.yaml: 31 + 73 + 78 + 4 + 24 + 6
  const auto q = kr::triage_policy::load_directory(KEFU_TEST_RULES_DIR, raw());
  EXPECT_FALSE(q->rule_tests_run());
  EXPECT_EQ(q->rule_test_cases(), 0u);
}

TEST(LoadingPath, ATruncatedPolicyIsRefusedNamingTheSuiteTheCaseAndTheLine) {
  scratch_dir dir;
  const std::string rules = dir.copy_of(KEFU_TEST_RULES_DIR);
  // sla-targets.yaml cut after its channel rules, as a half-written upload leaves it: still a valid policy,
  // but the smart-counter, mall, risk and category targets are gone, and so is its `default: {}` (collect
  // without a default: a ticket no target applies to is an error).
  const std::string sla = rules + "/sla-targets.yaml";
  dir.write("rules/sla-targets.yaml", cut_before(read_text(sla), "  # --- smart counters, mall ---"));

  const auto loose = kr::triage_policy::load_directory(rules, raw());  // raw loading takes it, silently
  EXPECT_EQ(loose->sla_targets().rules().size(), 7u);

  const auto e = policy_error_of([&] { kr::triage_policy::load_directory(rules); });
  EXPECT_EQ(e.id(), "kefu.rules.rule_test");
  EXPECT_EQ(e.where().file, rules + "/tests/sla-targets.yaml");
  EXPECT_EQ(e.where().line, 16);  // the suite's first case
  EXPECT_EQ(e.where().column, 5);
  EXPECT_EQ(e.detail(),
            "rule test 'a late delivery at the store desk has no channel or category target (DOM-SLA-5, DOM-SLA-6)' "
            "fails: policy 'sla-targets': no rule matches and there is no default (and 21 more failing cases in this "
            "file) / 规则测试未通过");
}

TEST(LoadingPath, ACaseThatCannotRunFailsTooAndASuiteMustTestAPolicyOfTheDirectory) {
  scratch_dir dir;
  const std::string rules = dir.copy_of(KEFU_TEST_RULES_DIR);
  const std::string text = read_text(rules + "/tests/tiers.yaml");
  const auto at = text.find("cases:\n");
  ASSERT_NE(at, std::string::npos);
  dir.write("rules/tests/tiers.yaml", text.substr(0, at + 7) +
                                          "  - name: a misspelt input\n    input: {tierr: L1}\n    expect: {report_required: false}\n" +
                                          text.substr(at + 7));
  const auto e = policy_error_of([&] { kr::triage_policy::load_directory(rules); });
  EXPECT_EQ(e.id(), "kefu.rules.rule_test");
  EXPECT_EQ(e.where().line, static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n')) + 2);
  EXPECT_EQ(e.detail(), "rule test 'a misspelt input' fails: policy 'tiers' has no input 'tierr' (did you mean 'tier'?) / 规则测试未通过");

  dir.write("rules/tests/tiers.yaml", text);
  dir.write("rules/tests/elsewhere.yaml", "suite: elsewhere\npolicy: ../../other.yaml\ncases:\n  - {name: c, input: {}, rule: default}\n");
  dir.write("other.yaml", "policy: other\noutputs: {x: bool}\nrules: []\ndefault: {x: true}\n");
  const auto f = policy_error_of([&] { kr::triage_policy::load_directory(rules); });
  EXPECT_EQ(f.id(), "kefu.policy");
  EXPECT_EQ(f.where().file, rules + "/tests/elsewhere.yaml");
  EXPECT_EQ(f.where().line, 2);
  EXPECT_NE(f.detail().find("which is not a policy of rules directory"), std::string::npos) << f.detail();
  EXPECT_NO_THROW(kr::triage_policy::load_directory(rules, raw()));
}

TEST(LoadingPath, TheDirectoryHandleSwapsOnlyWhatLoadsAndPassesItsRuleTests) {
  scratch_dir dir;
  const std::string rules = dir.copy_of(KEFU_TEST_RULES_DIR);
  kr::triage_policy_handle handle(rules);
  const auto first = handle.current();
  EXPECT_EQ(first->rule_test_cases(), 216u);

  // A refund window of 6 days loads (a valid policy) but breaks the day-7 rule tests: kept.
  const std::string refund = read_text(rules + "/refund.yaml");
  const auto window = refund.find("and days_since_purchase <= 7\n");  // REF-QUALITY-7D's condition
  ASSERT_NE(window, std::string::npos);
  const std::string six = std::string(refund).replace(window, 28, "and days_since_purchase <= 6");
  dir.write("rules/refund.yaml", six);
  auto r = handle.reload();
  EXPECT_FALSE(r.swapped);
  EXPECT_EQ(r.message.rfind(rules + "/tests/refund.yaml:", 0), 0u) << r.message;
  EXPECT_NE(r.message.find(": rule test '"), std::string::npos) << r.message;
  EXPECT_EQ(handle.current(), first);

  // Truncated mid-file: kept, for the same reason.
  dir.write("rules/refund.yaml", refund.substr(0, refund.find("  - id: REF-QUALITY-7D")));
  r = handle.reload();
  EXPECT_FALSE(r.swapped);
  EXPECT_NE(r.message.find("rule test '"), std::string::npos) << r.message;
  EXPECT_EQ(handle.current(), first);

  dir.write("rules/refund.yaml", refund);
  r = handle.reload();
  EXPECT_TRUE(r.swapped);
  EXPECT_EQ(r.cases_passed, 216u);
  EXPECT_EQ(r.message, "loaded rules directory '" + rules + "' (6 policies, 216 rule-test cases passed)");
  EXPECT_NE(handle.current(), first);

  // The first load refuses like load_directory, class and id kept.
  dir.write("rules/refund.yaml", six);
  const auto e = policy_error_of([&] { kr::triage_policy_handle again(rules); });
  EXPECT_EQ(e.id(), "kefu.rules.rule_test");
}
