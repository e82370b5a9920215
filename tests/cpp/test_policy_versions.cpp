// Effective-dated policies (DOM-RULE-1, docs/rules.md "Versions"): a policy file holds versions, a record is
// judged by the version in force at its receipt instant, versions tile the time line, pinning applies one
// version at any instant.
#include <kefu/rules/mutation.hpp>
#include <kefu/rules/partial.hpp>
#include <kefu/rules/policy.hpp>
#include <kefu/rules/suite.hpp>

#include "calendar_test_support.hpp"

#include <gtest/gtest.h>

#include <functional>

namespace kr = kefu::rules;

namespace {

// The refund window widens from 7 to 15 days at midnight 2027-01-01 (+08:00), announced in advance.
const char* refund_window = R"(policy: refund-window
description: the dissatisfaction window
hit_policy: first
inputs:
  received_at: datetime
  days: int
outputs:
  decision: {type: enum, values: [refund, deny]}
versions:
  - version: "2026.1"
    description: seven days
    rules:
      - id: WINDOW
        when: days <= 7
        then: {decision: refund}
  - version: "2027.1"
    description: fifteen days
    effective_from: 2027-01-01T00:00:00+08:00
    rules:
      - id: WINDOW
        when: days <= 15
        then: {decision: refund}
default: {decision: deny}
)";

struct judged {
  std::string decision, version;
};

judged judge(const kr::policy& p, const std::string& received_at, int days) {
  kr::record r = p.make_record();
  p.set(r, p.slot("received_at"), received_at);
  p.set(r, p.slot("days"), std::to_string(days));
  const kr::decision d = p.evaluate(r);
  const auto out = p.outputs_of(d);
  return {kr::format_value(p.outputs()[0], *out[0], p.zone()), d.version < 0 ? "" : p.versions()[d.version].name};
}

std::string thrown(const std::function<void()>& f) {
  try {
    f();
  } catch (const kefu::error& e) {
    return e.id() + " " + std::to_string(e.line()) + ":" + std::to_string(e.column()) + " " + e.detail();
  }
  return "nothing thrown";
}

std::string with_versions(const std::string& versions) {
  return "policy: p\ninputs:\n  received_at: datetime\n  days: int\noutputs:\n  ok: bool\nversions:\n" + versions +
         "default: {ok: false}\n";
}

}  // namespace

TEST(PolicyVersions, TheVersionInForceAtReceiptDecides) {
  const auto p = kr::load_policy_string(refund_window, "refund.yaml");
  ASSERT_EQ(p->versions().size(), 2u);
  EXPECT_EQ(p->version(), "2027.1");  // the latest
  EXPECT_FALSE(p->versions()[0].effective_from.has_value());
  EXPECT_EQ(kefu::format_instant(*p->versions()[0].effective_until, p->zone()), "2027-01-01T00:00:00+08:00");
  EXPECT_EQ(p->versions()[1].first_rule, 1u);
  // One second before midnight: still seven days.
  EXPECT_EQ(judge(*p, "2026-12-31T23:59:59+08:00", 10).decision, "deny");
  EXPECT_EQ(judge(*p, "2026-12-31T23:59:59+08:00", 10).version, "2026.1");
  EXPECT_EQ(judge(*p, "2026-12-31T23:59:59+08:00", 7).decision, "refund");
  // Midnight and after: fifteen days, with no deploy at midnight.
  EXPECT_EQ(judge(*p, "2027-01-01T00:00:00+08:00", 10).decision, "refund");
  EXPECT_EQ(judge(*p, "2027-01-01T00:00:00+08:00", 10).version, "2027.1");
  EXPECT_EQ(judge(*p, "2026-12-31T16:00:00Z", 16).decision, "deny");  // the same instant in UTC
  EXPECT_EQ(judge(*p, "2026-12-31T16:00:00Z", 16).version, "2027.1");
  // Old tickets are judged under the rules of their time.
  EXPECT_EQ(judge(*p, "2020-06-01T12:00:00+08:00", 10).decision, "deny");
}

TEST(PolicyVersions, ExplainNamesTheVersionAndShowsOnlyItsRules) {
  const auto p = kr::load_policy_string(refund_window, "refund.yaml");
  kr::record r = p->make_record();
  p->set(r, p->slot("received_at"), "2027-03-01T09:00:00+08:00");
  p->set(r, p->slot("days"), "10");
  kr::decision d;
  std::vector<kr::condition_trace> trace;
  p->evaluate(r, d, &trace);
  EXPECT_EQ(p->explain(d, &trace),
            "policy refund-window (hit policy first)\n"
            "version: 2027.1, in force from 2027-01-01T00:00:00+08:00 — fifteen days\n"
            "decision: decision=refund\n"
            "by: WINDOW\n"
            "  ✓ WINDOW: days <= 15\n"
            "      true   days <= 15   (days=10)\n");
  p->set(r, p->slot("received_at"), "2026-03-01T09:00:00+08:00");
  trace.clear();
  p->evaluate(r, d, &trace);
  EXPECT_EQ(p->explain(d, &trace),
            "policy refund-window (hit policy first)\n"
            "version: 2026.1, in force since always until 2027-01-01T00:00:00+08:00 — seven days\n"
            "decision: decision=deny\n"
            "by: default (no rule matched)\n"
            "  ✗ WINDOW: days <= 7\n"
            "      false  days <= 7   (days=10)\n");
}

TEST(PolicyVersions, PinnedAppliesOneVersionAtAnyInstant) {
  const auto p = kr::load_policy_string(refund_window, "refund.yaml");
  const auto old_rules = p->pinned("2026.1");
  EXPECT_TRUE(old_rules->is_pinned());
  EXPECT_EQ(old_rules->rules().size(), 1u);
  EXPECT_EQ(old_rules->version(), "2026.1");
  EXPECT_EQ(judge(*old_rules, "2027-06-01T00:00:00+08:00", 10).decision, "deny");  // a 2027 ticket under 2026 rules
  EXPECT_EQ(judge(*old_rules, "2027-06-01T00:00:00+08:00", 10).version, "2026.1");
  const auto new_rules = kr::as_of(p, kefu::parse_instant("2027-01-01T00:00:00+08:00"));
  EXPECT_EQ(judge(*new_rules, "2020-06-01T00:00:00+08:00", 10).decision, "refund");  // an old ticket under 2027 rules
  EXPECT_EQ(kr::as_of(new_rules, kefu::parse_instant("2020-01-01T00:00:00Z")), new_rules);  // pinned stays pinned
  EXPECT_EQ(thrown([&] { p->pinned("2027.2"); }),
            "kefu.rules.unknown_version 0:0 policy 'refund-window' has no version '2027.2' (it has 2026.1, 2027.1) (did you "
            "mean '2027.1'?)");
  const auto plain = kr::load_policy_string(with_versions("").substr(0, 0) + "policy: q\ninputs: {days: int}\noutputs: {ok: bool}\n"
                                            "rules:\n  - {id: R, when: days > 1, then: {ok: true}}\ndefault: {ok: false}\n");
  EXPECT_EQ(kr::as_of(plain, kefu::parse_instant("2027-01-01T00:00:00Z")), plain);
  EXPECT_EQ(thrown([&] { plain->pinned("1"); }),
            "kefu.rules.unknown_version 0:0 policy 'q' has no versions (it has no `versions:`), so none can be pinned");
}

// kefu diff reuses what a policy both versions share (policy::source_digest): the same document gives the same
// digest whatever its comments, layout or file name; each pinned version is another policy.
TEST(PolicyVersions, EachPinnedVersionHasItsOwnDigest) {
  const auto p = kr::load_policy_string(refund_window, "refund.yaml");
  const auto again = kr::load_policy_string(std::string("# the same policy, read again\n") + refund_window, "other/refund.yaml");
  EXPECT_EQ(p->source_digest(), again->source_digest());
  EXPECT_EQ(p->pinned("2026.1")->source_digest(), again->pinned("2026.1")->source_digest());
  EXPECT_NE(p->pinned("2026.1")->source_digest(), p->pinned("2027.1")->source_digest());
  EXPECT_NE(p->pinned("2026.1")->source_digest(), p->source_digest());
  std::string wider = refund_window;
  wider.replace(wider.find("days <= 7"), 9, "days <= 8");
  EXPECT_NE(kr::load_policy_string(wider, "refund.yaml")->source_digest(), p->source_digest());
}

TEST(PolicyVersions, PartialFactsWithoutTheReceiptInstantLeaveTheVersionOpen) {
  const auto p = kr::load_policy_string(refund_window, "refund.yaml");
  kr::record r = p->make_record();
  p->set(r, p->slot("days"), "10");
  const auto partial = kr::evaluate_partial(*p, r);
  EXPECT_FALSE(partial.settled);  // 10 days: deny before 2027, refund after
  // Three-valued logic does not know that exactly one version is in force: even where both would refund, the
  // decision waits for the instant (documented in docs/rules.md).
  p->set(r, p->slot("days"), "3");
  EXPECT_FALSE(kr::evaluate_partial(*p, r).settled);
  EXPECT_EQ(kr::evaluate_partial(*p, r).missing, std::vector<std::string>{"received_at"});
  p->set(r, p->slot("received_at"), "2027-02-01T00:00:00+08:00");
  p->set(r, p->slot("days"), "10");
  EXPECT_TRUE(kr::evaluate_partial(*p, r).settled);
}

TEST(PolicyVersions, UniqueHitPolicyChecksOverlapsWithinAVersionOnly) {
  const auto p = kr::load_policy_string(with_versions(R"(  - version: a
    rules:
      - {id: R1, when: days > 1, then: {ok: true}}
  - version: b
    effective_from: 2027-01-01T00:00:00+08:00
    rules:
      - {id: R1, when: days > 2, then: {ok: true}}
)").replace(std::string("policy: p\n").size(), 0, "hit_policy: unique\n"));
  for (const auto& w : p->warnings()) EXPECT_NE(w.check, "overlap") << w.message;
  EXPECT_EQ(judge(*p, "2026-01-01T00:00:00+08:00", 2).version, "a");
}

TEST(PolicyVersions, VersionsMustTileTheTimeLine) {
  auto load = [](const std::string& versions) { return thrown([&] { kr::load_policy_string(with_versions(versions), "p.yaml"); }); };
  const std::string rules = "    rules: [{id: R, when: days > 1, then: {ok: true}}]\n";
  EXPECT_EQ(load("  - version: a\n    effective_from: 2026-01-01T00:00:00+08:00\n" + rules),
            "kefu.rules.versions 9:21 the first version 'a' has `effective_from`: tickets received before "
            "2026-01-01T00:00:00+08:00 would be judged by no version. Leave it out (the first version is in force since "
            "always), or put the rules that applied before it in a version of their own ahead of it");
  EXPECT_EQ(load("  - version: a\n" + rules + "  - version: b\n" + rules),
            "kefu.rules.versions 10:5 version 'b' needs `effective_from:` (the instant it takes over from 'a')");
  EXPECT_EQ(load("  - version: a\n    effective_until: 2027-01-01T00:00:00+08:00\n" + rules +
                 "  - version: b\n    effective_from: 2027-01-02T00:00:00+08:00\n" + rules),
            "kefu.rules.versions 9:22 gap: no version is in force from 2027-01-01T00:00:00+08:00 (the end of 'a') until "
            "2027-01-02T00:00:00+08:00 (the start of 'b'); end 'a' where 'b' begins, or leave its `effective_until` out");
  EXPECT_EQ(load("  - version: a\n    effective_until: 2027-01-02T00:00:00+08:00\n" + rules +
                 "  - version: b\n    effective_from: 2027-01-01T00:00:00+08:00\n" + rules),
            "kefu.rules.versions 9:22 overlap: version 'a' is in force until 2027-01-02T00:00:00+08:00, after version 'b' "
            "takes effect at 2027-01-01T00:00:00+08:00; end 'a' where 'b' begins, or leave its `effective_until` out");
  EXPECT_EQ(load("  - version: a\n" + rules + "  - version: b\n    effective_from: 2027-01-01T00:00:00+08:00\n" + rules +
                 "  - version: c\n    effective_from: 2026-06-01T00:00:00+08:00\n" + rules),
            "kefu.rules.versions 14:21 version 'c' takes effect at 2026-06-01T00:00:00+08:00, not after version 'b' "
            "(2027-01-01T00:00:00+08:00): list versions in the order they take effect");
  EXPECT_EQ(load("  - version: a\n" + rules + "  - version: b\n    effective_from: 2027-01-01T00:00:00+08:00\n"
                 "    effective_until: 2028-01-01T00:00:00+08:00\n" + rules),
            "kefu.rules.versions 12:22 the last version 'b' ends at 2028-01-01T00:00:00+08:00: tickets received after it "
            "would be judged by no version. Leave `effective_until` out, or add the version that follows");
  EXPECT_EQ(load("  - version: a\n" + rules + "  - version: a\n    effective_from: 2027-01-01T00:00:00+08:00\n" + rules),
            "kefu.rules.versions 10:14 duplicate version 'a' (first at 8:5)");
  EXPECT_EQ(load("  - version: a\n" + rules + "  - version: b\n    effective_from: next monday\n" + rules),
            "kefu.rules.versions 11:21 `effective_from`: bad datetime 'next monday': expected a date-time such as "
            "2026-02-14T10:00:00+08:00");
  EXPECT_EQ(load("  - version: a\n    rules: []\n"), "kefu.policy 9:12 version 'a' needs `rules:`, a list of rules with id, when and then");
  EXPECT_EQ(load("  - version: a\n    effective: 2027\n" + rules),
            "kefu.policy 9:5 unknown key 'effective' in a version (expected version, description, effective_from, "
            "effective_until, rules)");
  // Rule ids are unique within a version, and may repeat across versions.
  EXPECT_EQ(load("  - version: a\n    rules:\n      - {id: R, when: days > 1, then: {ok: true}}\n"
                 "      - {id: R, when: days > 2, then: {ok: true}}\n"),
            "kefu.policy 11:14 duplicate rule id 'R' (first at 10:9)");
}

TEST(PolicyVersions, TheSelectingInputMustBeADeclaredDatetime) {
  EXPECT_EQ(thrown([] {
              kr::load_policy_string("policy: p\ninputs: {days: int}\noutputs: {ok: bool}\nversions:\n  - version: a\n"
                                     "    rules: [{id: R, when: days > 1, then: {ok: true}}]\n",
                                     "p.yaml");
            }),
            "kefu.rules.versions 4:1 the version in force is picked by the datetime input 'received_at', which the policy "
            "does not declare: add `received_at: datetime` under `inputs:` or name another input with `versions_by:`");
  EXPECT_EQ(thrown([] {
              kr::load_policy_string("policy: p\ninputs: {days: int}\noutputs: {ok: bool}\nversions_by: days\nversions:\n"
                                     "  - version: a\n    rules: [{id: R, when: days > 1, then: {ok: true}}]\n",
                                     "p.yaml");
            }),
            "kefu.rules.versions 4:14 the version in force is picked by input 'days', which is int, not datetime (the "
            "instant a ticket is judged at)");
  EXPECT_EQ(thrown([] {
              kr::load_policy_string("policy: p\ninputs: {days: int}\noutputs: {ok: bool}\nversions_by: days\n"
                                     "rules: [{id: R, when: days > 1, then: {ok: true}}]\n",
                                     "p.yaml");
            }),
            "kefu.policy 4:1 `versions_by` names the input that picks a version; it needs `versions:`");
  const auto by_order = kr::load_policy_string(
      "policy: p\ninputs: {ordered_at: datetime, days: int}\noutputs: {ok: bool}\nversions_by: ordered_at\nversions:\n"
      "  - version: a\n    rules: [{id: R, when: days > 1, then: {ok: true}}]\n"
      "  - version: b\n    effective_from: 2027-01-01T00:00:00+08:00\n    rules: [{id: R, when: days > 9, then: {ok: true}}]\n"
      "default: {ok: false}\n");
  EXPECT_EQ(by_order->version_slot(), 0);
  EXPECT_EQ(by_order->version_at(kefu::parse_instant("2027-01-01T00:00:00+08:00")), 1);
  EXPECT_EQ(by_order->version_at(kefu::parse_instant("2026-12-31T15:59:59Z")), 0);
}

TEST(PolicyVersions, RuleTestsAndMutantsReachEveryVersion) {
  kefu_test::scratch_dir dir;
  const std::string policy = dir.write("refund.yaml", refund_window);
  const std::string suite_file = dir.write("tests/refund.yaml", R"(suite: refund window by version
policy: ../refund.yaml
defaults: {received_at: "2026-06-01T10:00:00+08:00"}
cases:
  - name: day 7 is the last day in 2026
    input: {days: 7}
    expect: {decision: refund}
    rule: WINDOW
  - name: day 8 is too late in 2026
    input: {days: 8}
    expect: {decision: deny}
  - name: day 15 is the last day from 2027
    input: {days: 15, received_at: "2027-01-01T00:00:00+08:00"}
    expect: {decision: refund}
)");
  const auto s = kr::load_suite_file(suite_file);
  const auto p = kr::load_policy_file(policy);
  EXPECT_EQ(kr::run_suite(s, *p).failed, 0u);
  const auto report = kr::mutate_policy(policy, {s});
  // Both versions' conditions and outputs are mutated; the 2027 bound is pinned from below only.
  std::vector<std::string> survived, killed;
  for (const auto& m : report.mutants)
    (m.status == kr::mutant_status::killed ? killed : survived).push_back(m.what.change + " @" + std::to_string(m.what.where.line));
  EXPECT_EQ(killed, (std::vector<std::string>{"`days <= 7` → `days <= 8` @14", "`days <= 7` → `days <= 6` @14",
                                              "drops the condition `days <= 7` (the rule always applies) @14",
                                              "decision: refund → deny @15", "`days <= 15` → `days <= 14` @21",
                                              "decision: refund → deny @22", "decision: deny → refund @23"}));
  EXPECT_EQ(survived, (std::vector<std::string>{"`days <= 15` → `days <= 16` @21",
                                                "drops the condition `days <= 15` (the rule always applies) @21"}));
}

TEST(PolicyVersions, PinningRunsTheStaticChecksOnItsVersionAlone) {
  const auto p = kr::load_policy_string(
      "policy: p\ninputs: {received_at: datetime, days: int}\noutputs:\n  d: {type: enum, values: [refund, deny]}\n"
      "versions:\n"
      "  - version: \"1\"\n    rules:\n      - {id: A, when: days <= 15, then: {d: refund}}\n"
      "      - {id: B, when: days > 15, then: {d: deny}}\n"
      "  - version: \"2\"\n    effective_from: 2027-01-01T00:00:00+08:00\n    rules:\n"
      "      - {id: A, when: days <= 7, then: {d: refund}}\n      - {id: B, when: days <= 3, then: {d: deny}}\n",
      "p.yaml");
  std::vector<std::string> all;
  for (const auto& w : p->warnings()) all.push_back(w.check + " " + w.rule_id);
  EXPECT_EQ(all, (std::vector<std::string>{"unreachable-rule B", "gap "}));  // both about version 2
  EXPECT_TRUE(p->pinned("1")->warnings().empty());
  std::vector<std::string> second;
  const auto pinned = p->pinned("2");  // (held: a range-for would not keep a temporary alive)
  for (const auto& w : pinned->warnings()) second.push_back(w.check + " " + w.rule_id + " " + std::to_string(w.where.line));
  EXPECT_EQ(second, (std::vector<std::string>{"unreachable-rule B 14", "gap  10"}));
}

TEST(PolicyVersions, PartialExplanationsNameTheVersionAndShowItsRules) {
  const auto p = kr::load_policy_string(refund_window, "refund.yaml");
  kr::record r = p->make_record();
  p->set(r, p->slot("received_at"), "2026-06-01T00:00:00+08:00");
  const auto known = kr::evaluate_partial(*p, r);
  EXPECT_EQ(known.version, 0);
  EXPECT_EQ(kr::explain_partial(*p, known),
            "policy refund-window (hit policy first)\n"
            "version: 2026.1, in force since always until 2027-01-01T00:00:00+08:00 — seven days\n"
            "not given: days (1 of 2 inputs) / 未提供\n"
            "decision: not settled — it depends on what is not given / 尚未确定，取决于未提供的输入\n"
            "  if WINDOW fires: decision=refund\n"
            "  if no rule fires: decision=deny (default)\n"
            "rules:\n"
            "  ? WINDOW: days <= 7   (could fire: needs days)\n");
  kr::record none = p->make_record();
  p->set(none, p->slot("days"), "10");
  const auto open = kr::evaluate_partial(*p, none);
  EXPECT_EQ(open.version, -1);
  const std::string text = kr::explain_partial(*p, open);
  EXPECT_NE(text.find("version: not known — the instant that picks it is not given; each rule shows its version / 版本未定\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("[2026.1] WINDOW: days <= 7"), std::string::npos) << text;
  EXPECT_NE(text.find("[2027.1] WINDOW: days <= 15"), std::string::npos) << text;
}
