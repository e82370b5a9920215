// Errors of the rules area carry specific ids (docs/errors.md, "Rules"); context is added in front of the
// message without losing the class or the id.
#include <kefu/rules/policy.hpp>
#include <kefu/rules/suite.hpp>
#include <kefu/rules/triage.hpp>

#include "calendar_test_support.hpp"

#include <gtest/gtest.h>

namespace {

const char* base = R"(policy: p
inputs:
  kind: {type: enum, values: [a, b]}
  amount: money
  note: {type: text, default: ""}
outputs:
  ok: bool
  label: {type: enum, values: [x, y]}
rules:
  - id: R1
    when: WHEN
    then: {ok: true, label: LABEL}
default: {ok: false, label: x}
)";

std::string policy_with(const std::string& when, const std::string& label = "y") {
  std::string s = base;
  s.replace(s.find("WHEN"), 4, when);
  s.replace(s.find("LABEL"), 5, label);
  return s;
}

/// "class id: message" of what `f` throws.
std::string thrown(const std::function<void()>& f) {
  try {
    f();
  } catch (const kefu::parse_error& e) {
    return "parse_error " + e.id() + ": " + e.detail();
  } catch (const kefu::policy_error& e) {
    return "policy_error " + e.id() + ": " + e.detail();
  } catch (const kefu::error& e) {
    return "error " + e.id() + ": " + e.detail();
  }
  return "no error";
}

}  // namespace

TEST(RulesErrorIds, Loading) {
  // A rules file kefu cannot accept is a policy_error with id kefu.policy (what `kefu lint` reports for it);
  // the output's message names the output without rewriting an input's message.
  auto load = [](const std::string& text) { return [text] { kefu::rules::load_policy_string(text, "p.yaml"); }; };
  EXPECT_EQ(thrown(load(policy_with("knd == a"))), "policy_error kefu.rules.unknown_input: unknown input 'knd' (did you mean 'kind'?)");
  EXPECT_EQ(thrown(load(policy_with("true", "premium"))), "policy_error kefu.policy: output 'label': 'premium' is not one of x, y");
  EXPECT_EQ(thrown(load("policy: p\ninputs: {n: int}\noutputs: {ok: bool}\nrules:\n  - {id: A, when: true, then: {ok: yes}}\n")),
            "policy_error kefu.policy: output 'ok': bad bool 'yes': write true (a yes/no value is true or false / 请写 true)");
  EXPECT_EQ(thrown(load("policy: p\ninputs: {n: {type: enum, values: from facts}}\noutputs: {ok: bool}\nrules:\n"
                        "  - {id: A, when: true, then: {ok: true}}\n")).substr(0, 38),
            "policy_error kefu.rules.from_facts: in");
}

TEST(RulesErrorIds, Values) {
  const auto p = kefu::rules::load_policy_string(policy_with("kind == a"), "p.yaml");
  auto r = p->make_record();
  EXPECT_EQ(thrown([&] { p->set(r, p->slot("kind"), "premium"); }),
            "parse_error kefu.rules.unknown_value: input 'kind': 'premium' is not one of a, b");
  EXPECT_EQ(thrown([&] { p->set(r, p->slot("amount"), "12.345"); }).rfind("parse_error kefu.rules.bad_value: input 'amount': bad amount", 0),
            0u);
  EXPECT_EQ(thrown([&] { p->slot("knd"); }), "error kefu.rules.unknown_input: policy 'p' has no input 'knd' (did you mean 'kind'?)");
  EXPECT_EQ(thrown([&] { p->evaluate(r); }), "error kefu.rules.missing_input: policy 'p': missing input(s) kind, amount");
  kefu::rules::field f;
  f.name = "label";
  f.type = kefu::rules::value_type::enumeration;
  f.values = {"x"};
  EXPECT_EQ(thrown([&] { kefu::rules::parse_value(f, "premium", kefu::time_zone::utc(), nullptr); }),
            "parse_error kefu.rules.unknown_value: 'premium' is not one of x");
  EXPECT_EQ(thrown([&] { kefu::rules::parse_value(f, "premium", kefu::time_zone::utc(), "fact"); }),
            "parse_error kefu.rules.unknown_value: fact 'label': 'premium' is not one of x");
}

TEST(RulesErrorIds, TriageFactsKeepTheirIds) {
  const auto t = kefu::rules::triage_policy::load_directory(KEFU_TEST_RULES_DIR);
  auto facts = t->make_facts();
  EXPECT_EQ(thrown([&] { t->set_fact(facts, "channel", "wechat"); })
                .rfind("parse_error kefu.rules.unknown_value: fact 'channel': 'wechat' is not one of phone, online", 0),
            0u);
  EXPECT_EQ(thrown([&] { t->fact_slot("catgory"); }), "error kefu.rules.unknown_fact: unknown fact 'catgory' (did you mean 'category'?)");
  EXPECT_EQ(thrown([&] { t->set_fact(facts, "tier", "L1"); }).substr(0, 50), "error kefu.rules.derived_fact: fact 'tier' is deri");
  EXPECT_EQ(thrown([&] { t->triage(facts); }), "error kefu.rules.missing_fact: missing fact(s) business, channel, category, received_at");
}
