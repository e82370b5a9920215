// Deciding on partial facts (kefu/rules/partial.hpp, `kefu explain` with inputs left out): three-valued
// conditions, what each hit policy settles, and — on random records of the shipped policies — that whatever a
// partial decision says holds for every completion of the facts.
#include <kefu/rules/partial.hpp>

#include "random_rows.hpp"

#include <gtest/gtest.h>

#include <random>

namespace kr = kefu::rules;
using kefu_test::random_rows;

namespace {

const std::string rules_dir = KEFU_TEST_RULES_DIR;

kr::record with(const kr::policy& p, const std::vector<std::pair<std::string, std::string>>& given) {
  kr::record r = p.make_record();
  for (const auto& [k, v] : given) p.set(r, p.slot(k), v);
  return r;
}

std::vector<std::string> ids(const kr::policy& p, const std::vector<std::uint32_t>& rules) {
  std::vector<std::string> out;
  for (const auto i : rules) out.push_back(p.rules()[i].id);
  return out;
}

const char* const small = R"(policy: small
hit_policy: first
inputs:
  vip: bool
  days: int
  category: {type: enum, values: [a, b]}
  text: text
outputs:
  decision: {type: enum, values: [refund, review, deny]}
keywords:
  angry: [气死]
rules:
  - id: ANGRY
    when: contains_any(text, angry) and category == a
    then: {decision: deny}
  - id: VIP
    when: vip or days <= 7
    then: {decision: refund}
default: {decision: review}
)";

}  // namespace

TEST(PartialFacts, FalseAndUnknownIsFalseTrueOrUnknownIsTrue) {
  const auto p = kr::load_policy_string(small, "small.yaml");
  // category b settles ANGRY (false whatever the text); days 3 settles VIP (true whatever vip is).
  auto d = kr::evaluate_partial(*p, with(*p, {{"category", "b"}, {"days", "3"}}));
  EXPECT_EQ(d.missing, (std::vector<std::string>{"vip", "text"}));
  EXPECT_EQ(d.rules, (std::vector<kr::truth>{kr::truth::no, kr::truth::yes}));
  ASSERT_TRUE(d.settled);
  EXPECT_EQ(ids(*p, d.outcome.matched), (std::vector<std::string>{"VIP"}));
  // category a leaves ANGRY to the text; under `first` both it and VIP could decide.
  d = kr::evaluate_partial(*p, with(*p, {{"category", "a"}, {"days", "3"}}));
  EXPECT_FALSE(d.settled);
  EXPECT_EQ(ids(*p, d.candidates), (std::vector<std::string>{"ANGRY", "VIP"}));
  EXPECT_FALSE(d.default_possible);  // VIP surely fires if ANGRY does not
  EXPECT_EQ(d.needs[0], (std::vector<std::string>{"text"}));
  // Nothing given but the text: every rule could fire, and so could the default.
  d = kr::evaluate_partial(*p, with(*p, {{"text", "你好"}}));
  EXPECT_EQ(d.rules, (std::vector<kr::truth>{kr::truth::no, kr::truth::unknown}));  // no angry word: false and x
  EXPECT_EQ(ids(*p, d.candidates), (std::vector<std::string>{"VIP"}));
  EXPECT_TRUE(d.default_possible);
  EXPECT_EQ(d.needs[1], (std::vector<std::string>{"vip", "days"}));
}

TEST(PartialFacts, ExplainSaysWhatIsMissingAndWhatEachCandidateWouldDecide) {
  const auto p = kr::load_policy_string(small, "small.yaml");
  const auto d = kr::evaluate_partial(*p, with(*p, {{"category", "a"}, {"text", "气死我了"}, {"days", "30"}}));
  EXPECT_EQ(kr::explain_partial(*p, d),
            "policy small (hit policy first)\n"
            "not given: vip (1 of 4 inputs) / 未提供\n"
            "decision: decision=deny   (settled: what is not given cannot change it / 已确定)\n"
            "by: ANGRY\n"
            "rules:\n"
            "  ✓ ANGRY: contains_any(text, angry) and category == a\n"
            "  · VIP: vip or days <= 7   (not reached)\n");
  const auto open = kr::evaluate_partial(*p, with(*p, {{"category", "b"}, {"days", "30"}}));
  EXPECT_EQ(kr::explain_partial(*p, open),
            "policy small (hit policy first)\n"
            "not given: vip, text (2 of 4 inputs) / 未提供\n"
            "decision: not settled — it depends on what is not given / 尚未确定，取决于未提供的输入\n"
            "  if VIP fires: decision=refund\n"
            "  if no rule fires: decision=review (default)\n"
            "rules:\n"
            "  ✗ ANGRY: contains_any(text, angry) and category == a\n"
            "  ? VIP: vip or days <= 7   (could fire: needs vip)\n");
}

// Whatever the partial decision says must hold for every way of filling in what is missing: a settled
// decision is the decision, a rule said to fire or not does so, and the real decision is among the
// candidates. Checked on random records of every shipped policy with random inputs left out.
TEST(PartialFacts, WhatAPartialDecisionSaysHoldsForTheCompleteFacts) {
  std::mt19937_64 rng(2026);
  std::size_t settled = 0, open = 0;
  for (const char* name : {"refund", "risk", "escalation", "tiers", "sla-targets", "service-calendar"}) {
    const auto p = kr::load_policy_file(rules_dir + "/" + name + ".yaml");
    const random_rows rows(*p, 400, 17);
    for (const auto& full : rows.records) {
      kr::decision truth;
      p->evaluate(full, truth);
      const auto exact = kr::evaluate_partial(*p, full);
      ASSERT_TRUE(exact.settled);
      ASSERT_EQ(exact.outcome.matched, truth.matched) << name;  // complete facts: exactly evaluate
      kr::record partial = p->make_record();
      for (std::size_t s = 0; s < p->inputs().size(); ++s) {
        if (std::bernoulli_distribution(0.3)(rng)) continue;  // left out
        partial.numbers[s] = full.numbers[s];
        partial.texts[s] = full.texts[s];
        partial.present[s] = 1;
      }
      const auto d = kr::evaluate_partial(*p, partial);
      for (std::size_t i = 0; i < d.rules.size(); ++i) {
        if (d.rules[i] != kr::truth::unknown) {
          ASSERT_EQ(d.rules[i], exact.rules[i]) << name << " rule " << p->rules()[i].id;
        }
      }
      if (d.settled) {
        ++settled;
        ASSERT_EQ(d.outcome.matched, truth.matched) << name;
        continue;
      }
      ++open;
      if (p->hits() == kr::hit_policy::collect) {
        for (const auto m : d.outcome.matched)  // what fires whatever is missing does fire
          ASSERT_NE(std::find(truth.matched.begin(), truth.matched.end(), m), truth.matched.end()) << name;
        for (const auto m : truth.matched)
          ASSERT_TRUE(std::find(d.outcome.matched.begin(), d.outcome.matched.end(), m) != d.outcome.matched.end() ||
                      std::find(d.candidates.begin(), d.candidates.end(), m) != d.candidates.end()) << name;
      } else if (truth.matched.empty()) {
        ASSERT_TRUE(d.default_possible) << name;
      } else {
        ASSERT_NE(std::find(d.candidates.begin(), d.candidates.end(), truth.matched.front()), d.candidates.end()) << name;
      }
    }
  }
  EXPECT_GT(settled, 100u);  // both kinds of answer were exercised
  EXPECT_GT(open, 100u);
}

TEST(PartialFacts, ArithmeticThatFailsOnlyWhereEvaluateWouldNotLookIsNotAnError) {
  // Found in review: R2 overflows, but under `first` evaluate() never reaches it when R1 fires.
  const auto p = kr::load_policy_string(R"(policy: o
inputs: {amount: money, flag: bool}
outputs: {d: {type: enum, values: [a, b, c]}}
rules:
  - {id: R1, when: amount > ¥0, then: {d: a}}
  - {id: R2, when: flag and amount * 100000000000 > ¥1, then: {d: b}}
default: {d: c}
)",
                                        "o.yaml");
  const auto full = kr::evaluate_partial(*p, with(*p, {{"amount", "100000000"}, {"flag", "true"}}));
  ASSERT_TRUE(full.settled);
  EXPECT_EQ(ids(*p, full.outcome.matched), (std::vector<std::string>{"R1"}));
  const auto partial = kr::evaluate_partial(*p, with(*p, {{"amount", "100000000"}}));  // flag missing
  ASSERT_TRUE(partial.settled);
  EXPECT_EQ(partial.rules[1], kr::truth::unknown);
}

TEST(PartialFacts, PriorityAndUniqueSettleAsEvaluateWould) {
  const auto pri = kr::load_policy_string(R"(policy: p
hit_policy: priority
inputs: {x: bool, y: bool}
outputs: {d: {type: enum, values: [a, b]}}
rules:
  - {id: HI, when: x, priority: 10, then: {d: a}}
  - {id: LO, when: y, priority: 1, then: {d: b}}
)",
                                          "p.yaml");
  auto d = kr::evaluate_partial(*pri, with(*pri, {{"x", "true"}}));  // HI surely fires and LO cannot beat it
  ASSERT_TRUE(d.settled);
  EXPECT_EQ(ids(*pri, d.outcome.matched), (std::vector<std::string>{"HI"}));
  d = kr::evaluate_partial(*pri, with(*pri, {{"y", "true"}}));  // LO fires, HI could beat it
  EXPECT_FALSE(d.settled);
  EXPECT_EQ(ids(*pri, d.candidates), (std::vector<std::string>{"HI", "LO"}));

  const auto uni = kr::load_policy_string(R"(policy: u
hit_policy: unique
inputs: {x: bool, y: bool}
outputs: {d: {type: enum, values: [a, b]}}
rules:
  - {id: X, when: x, then: {d: a}}
  - {id: Y, when: y, then: {d: b}}
default: {d: a}
)",
                                          "u.yaml");
  d = kr::evaluate_partial(*uni, with(*uni, {{"y", "true"}}));
  EXPECT_FALSE(d.settled);
  EXPECT_EQ(ids(*uni, d.candidates), (std::vector<std::string>{"Y"}));
  EXPECT_EQ(ids(*uni, d.conflicts), (std::vector<std::string>{"X"}));
  EXPECT_NE(kr::explain_partial(*uni, d).find("  if X fires too: an error — two rules match under hit policy unique"),
            std::string::npos);
}
