// Hot reload: readers on other threads never see a half-loaded policy; a failed reload keeps the old one.
#include <kefu/rules/policy_handle.hpp>

#include "calendar_test_support.hpp"

#include <gtest/gtest.h>

#include <thread>

using namespace kefu_test;

namespace {
std::string policy_text(const std::string& version, const std::string& decision) {
  return "policy: tier\nversion: '" + version + "'\ninputs: {amount: money}\noutputs: {tier: {type: enum, values: [L1, L3]}}\n"
         "rules:\n  - id: LARGE\n    when: amount > 1000\n    then: {tier: " + decision + "}\ndefault: {tier: L1}\n";
}
const char* suite_text =
    "suite: tier\npolicy: tier.yaml\ncases:\n  - name: over 1000 is L3\n    input: {amount: '1000.01'}\n"
    "    expect: {tier: L3}\n    rule: LARGE\n  - name: 1000 is L1\n    input: {amount: '1000'}\n    rule: default\n";
}  // namespace

TEST(PolicyHandle, ReloadSwapsOnlyWhenLoadAndRuleTestsPass) {
  scratch_dir dir;
  const std::string path = dir.write("tier.yaml", policy_text("1", "L3"));
  const std::string suite = dir.write("tier_test.yaml", suite_text);
  kefu::rules::policy_handle handle(path, {suite});
  EXPECT_EQ(handle.current()->version(), "1");

  dir.write("tier.yaml", policy_text("2", "L3"));
  auto r = handle.reload();
  EXPECT_TRUE(r.swapped);
  EXPECT_EQ(r.message, "loaded policy 'tier' version 2 (1 rules, 2 rule-test cases passed)");
  EXPECT_EQ(handle.current()->version(), "2");

  dir.write("tier.yaml", "policy: tier\nversion: '3'\ninputs: {amount: money\n");  // broken YAML
  r = handle.reload();
  EXPECT_FALSE(r.swapped);
  EXPECT_EQ(r.message, path + ":3:9: invalid YAML: '{' is not closed (add the matching '}')");
  EXPECT_EQ(handle.current()->version(), "2");

  dir.write("tier.yaml", policy_text("4", "L1"));  // loads, but breaks a rule test
  r = handle.reload();
  EXPECT_FALSE(r.swapped);
  // The error every loading path gives for a failing rule test (kefu.rules.rule_test): suite file, case line
  // and column, the case's name and what differs.
  EXPECT_EQ(r.message, suite + ":4:5: rule test 'over 1000 is L3' fails: tier expected L3, got L1 / 规则测试未通过");
  EXPECT_EQ(handle.current()->version(), "2");
}

TEST(PolicyHandle, ReadersNeverSeeAHalfLoadedPolicy) {
  scratch_dir dir;
  const std::string path = dir.write("tier.yaml", policy_text("1", "L3"));
  kefu::rules::policy_handle handle(path);
  std::atomic<bool> stop{false};
  std::atomic<long> decisions{0}, inconsistent{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t)
    readers.emplace_back([&] {
      kefu::rules::decision d;
      while (!stop) {
        const auto p = handle.current();
        auto rec = p->make_record();
        p->set(rec, 0, "2000");
        p->evaluate(rec, d);
        // Every version decides L3 for 2000; the rule set and version always belong together.
        const auto tier = p->outputs_of(d)[0];
        if (!tier || p->outputs()[0].values[static_cast<std::size_t>(tier->number)] != "L3" || p->rules().size() != 1)
          ++inconsistent;
        ++decisions;
      }
    });
  for (int v = 2; v < 60; ++v) {
    dir.write("tier.yaml", v % 3 == 0 ? "policy: tier\nrules: [" : policy_text(std::to_string(v), "L3"));
    handle.reload();
  }
  stop = true;
  for (auto& r : readers) r.join();
  EXPECT_GT(decisions.load(), 0);
  EXPECT_EQ(inconsistent.load(), 0);
  EXPECT_EQ(handle.current()->version(), "59");
}
