// Static checks at load time (issue: rules engine, item 4).
#include <kefu/rules/policy.hpp>

#include <gtest/gtest.h>

#include <random>

using kefu::rules::load_policy_string;

namespace {
std::vector<std::string> warnings(const std::string& yaml) {
  const auto p = load_policy_string(yaml, "p.yaml");
  std::vector<std::string> out;
  for (const auto& w : p->warnings()) out.push_back(kefu::error::render(w.message, w.where, w.rule_id) + " [" + w.check + "]");
  return out;
}
// Lines 1–8; `rules:` is line 9 and rule k (from 0) starts on line 10 + 3k, column 5.
const std::string head =
    "policy: p\ninputs:\n  category: {type: enum, values: [quality, refund, billing]}\n  days: int\n  vip: bool\n"
    "  amount: money\n  text: text\noutputs: {decision: {type: enum, values: [yes, no]}}\nrules:\n";
std::string rule(const std::string& id, const std::string& when, const std::string& decision = "yes") {
  return "  - id: " + id + "\n    when: " + when + "\n    then: {decision: " + decision + "}\n";
}
}  // namespace

TEST(PolicyChecks, UnreachableRuleUnderFirst) {
  EXPECT_EQ(warnings(head + rule("A", "days <= 7") + rule("B", "days <= 3 and category == refund", "no") +
                     rule("C", "days > 7 and days < 30", "no") + rule("D", "days in [10..20] and not vip") +
                     "default: {decision: no}\n"),
            (std::vector<std::string>{
                "p.yaml:13:5: rule B: rule B can never fire: earlier rule A always matches first (hit policy first) [unreachable-rule]",
                "p.yaml:19:5: rule D: rule D can never fire: earlier rule C always matches first (hit policy first) [unreachable-rule]"}));
}

TEST(PolicyChecks, UnionOfEarlierRulesAndUnknownParts) {
  // B is covered by A and C only together; E reads only text, so nothing can be said about it; D is
  // inside A whatever its text test says.
  EXPECT_EQ(warnings(head + rule("A", "category in {quality, refund}") + rule("C", "category == billing and amount > ¥100", "no") +
                     rule("B", "amount > ¥500", "no") + rule("D", "category == quality and text == 'x'") +
                     rule("E", "text == 'y'") + "default: {decision: no}\n"),
            (std::vector<std::string>{
                "p.yaml:16:5: rule B: rule B can never fire: earlier rules A, C always match first (hit policy first) [unreachable-rule]",
                "p.yaml:19:5: rule D: rule D can never fire: earlier rule A always matches first (hit policy first) [unreachable-rule]"}));
}

TEST(PolicyChecks, OverlapsUnderUnique) {
  EXPECT_EQ(warnings("hit_policy: unique\n" + head + rule("A", "days <= 7 and category != billing") +
                     rule("B", "days >= 5 and category == refund", "no") + rule("C", "days > 30 and category == quality", "no") +
                     rule("D", "text == 'x' and days == 6", "no") + "default: {decision: no}\n"),
            (std::vector<std::string>{"p.yaml:14:5: rule B: rules A and B both match when category=refund, days in [5..7] "
                                      "(hit policy unique) [overlap]"}));
}

TEST(PolicyChecks, GapsWithoutDefault) {
  EXPECT_EQ(warnings(head + rule("A", "category == quality and days <= 7") + rule("B", "category == quality and days > 7", "no") +
                     rule("C", "category == refund", "no")),
            (std::vector<std::string>{"p.yaml:10:3: no rule matches when category=billing, and there is no `default` [gap]"}));
  EXPECT_EQ(warnings(head + rule("A", "vip or days < 0") + rule("B", "not vip and days in [0..10]", "no")),
            (std::vector<std::string>{"p.yaml:10:3: no rule matches when days >= 11, vip=false, and there is no `default` [gap]"}));
  // A rule with an unknown part may cover the rest: no gap is claimed where a rule could still fire.
  EXPECT_TRUE(warnings(head + rule("A", "vip") + rule("B", "not vip and text == 'x'", "no")).empty());
  EXPECT_TRUE(warnings(head + rule("A", "vip") + rule("B", "not vip", "no")).empty());
}

// Evaluation without a trace tries only the rules an enum input's value allows (a rule index built
// from the same analysis). It must never change a decision: compare with the traced path, which
// tries every rule, on random records of the shipped refund, risk and escalation policies.
TEST(PolicyIndex, IndexedEvaluationDecidesLikeTryingEveryRule) {
  std::mt19937_64 rng(99);
  for (const char* name : {"refund.yaml", "risk.yaml", "escalation.yaml", "sla-targets.yaml"}) {
    const auto p = kefu::rules::load_policy_file(std::string(KEFU_TEST_RULES_DIR) + "/" + name);
    for (int round = 0; round < 4000; ++round) {
      auto r = p->make_record();
      for (std::size_t s = 0; s < p->inputs().size(); ++s) {
        const auto& f = p->inputs()[s];
        switch (f.type) {
          case kefu::rules::value_type::enumeration: p->set_number(r, s, static_cast<std::int64_t>(rng() % f.values.size())); break;
          case kefu::rules::value_type::boolean: p->set_number(r, s, static_cast<std::int64_t>(rng() % 2)); break;
          case kefu::rules::value_type::money: p->set_number(r, s, static_cast<std::int64_t>(rng() % 300000)); break;
          case kefu::rules::value_type::integer: p->set_number(r, s, static_cast<std::int64_t>(rng() % 12) - 1); break;
          case kefu::rules::value_type::text: p->set_text(r, s, rng() % 3 ? "普通的投诉" : "要去微博曝光，孩子腹泻了"); break;
          default: p->set_number(r, s, 0); break;
        }
      }
      kefu::rules::decision fast, full;
      std::vector<kefu::rules::condition_trace> trace;
      p->evaluate(r, fast);
      p->evaluate(r, full, &trace);
      ASSERT_EQ(fast.matched, full.matched) << name << " round " << round;
      ASSERT_EQ(fast.by_default, full.by_default);
    }
  }
}
