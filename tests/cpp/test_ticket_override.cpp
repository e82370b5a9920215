// A triage tier other than the policy's (hardening issue): lowering it needs a reason (else
// kefu.ticket.deescalation, ticket unchanged), raising it does not; both are audited in the history (who, when,
// why, the policy's tier beside the one chosen) and survive snapshots, replays and batch replay.
#include <kefu/ticket/open.hpp>
#include <kefu/ticket/replay.hpp>

#include "calendar_test_support.hpp"
#include "policy_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace kefu_test;
using namespace kefu::ticket;

namespace {

kefu::rules::record facts_of(const std::string& id, const char* category) {
  const auto& policy = *shipped_policy();
  auto f = policy.make_facts();
  policy.set_fact(f, "ticket_id", id);
  policy.set_fact(f, "business", "mall");
  policy.set_fact(f, "channel", "phone");
  policy.set_fact(f, "category", category);
  policy.set_fact(f, "received_at", "2026-03-02T09:00:00+08:00");
  return f;
}

/// The transition_error `f` throws (fails the test when it throws none).
transition_error refusal(const std::function<void()>& f) {
  try {
    f();
  } catch (const transition_error& e) {
    return e;
  }
  ADD_FAILURE() << "no transition_error";
  return transition_error({}, event_kind::triage, "none");
}

const calendar_resolver builtins = [](const std::string& name) { return kefu::calendar::builtin(name); };

}  // namespace

TEST(TicketTierOverride, LoweringThePolicysTierNeedsAReasonAndIsAudited) {
  ticket t = open(*shipped_policy(), facts_of("T-L3", "quality_defect"));  // the policy makes it L3
  ASSERT_EQ(t.policy_tier(), tier::L3);
  const ticket before = t;
  const auto at = cst("2026-03-02T09:05");

  for (const char* no_reason : {"", "  \n"}) {
    const auto e = refusal([&] { t.fire(event::triage(at, "alice", tier::L1, "looks minor", no_reason)); });
    EXPECT_EQ(e.id(), "kefu.ticket.deescalation");
    EXPECT_EQ(std::string(e.what()),
              "cannot triage a ticket in state received/L1: tier L1 is below L3, the tier the policy decided for this "
              "ticket: lowering it needs a reason (recorded in the history)");
    EXPECT_TRUE(t == before);  // state, clocks, history: unchanged
    EXPECT_TRUE(t.history().empty());
  }
  EXPECT_FALSE(t.can_fire(event::triage(at, "alice", tier::L2)));
  EXPECT_TRUE(t.can_fire(event::triage(at, "alice", tier::L2, "", "customer withdrew the complaint to the media")));
  // allowed_events offers triage at the policy's tier (no reason needed there).
  const auto allowed = t.allowed_events(at);
  EXPECT_NE(std::find(allowed.begin(), allowed.end(), event_kind::triage), allowed.end());

  t.fire(event::triage(at, "lead-wang", tier::L1, "", "duplicate of T-7, already handled at L3"));
  EXPECT_EQ(to_string(t.current()), "triaged/L1");
  ASSERT_EQ(t.history().size(), 1u);
  const audit_record& r = t.history()[0];
  EXPECT_EQ(r.what.by, "lead-wang");                             // who
  EXPECT_EQ(r.what.at, at);                                      // when
  EXPECT_EQ(r.what.reason, "duplicate of T-7, already handled at L3");  // why
  EXPECT_EQ(r.policy_tier, tier::L3);                            // the policy's tier
  EXPECT_EQ(r.what.to, tier::L1);                                // the tier chosen

  // The snapshot carries both; the restored ticket is the same ticket and still knows the policy's tier.
  const std::string json = t.to_json();
  EXPECT_NE(json.find("\"received_by\":\"system\",\"policy_tier\":\"L3\",\"plan\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"event\":\"triage\",\"tier\":\"L1\",\"policy_tier\":\"L3\","
                      "\"reason\":\"duplicate of T-7, already handled at L3\",\"satisfied\""),
            std::string::npos)
      << json;
  const ticket back = ticket::from_json(json, builtins);
  EXPECT_TRUE(back == t);
  EXPECT_EQ(back.to_json(), json);
  EXPECT_EQ(back.policy_tier(), tier::L3);
  // ticket::replay fires the history again on the plan; the named clocks open() gave the ticket are given again.
  ticket again = ticket::replay(t.id(), t.plan(), t.received(), t.received_by(), {}, tier::L3);
  again.use_clocks(std::make_shared<const kefu::rules::clock_book>(*t.clock_book()));
  for (const auto& r : t.history()) again.fire(r.what);
  EXPECT_TRUE(again == t);

  // A snapshot whose reason was removed does not restore: the replay refuses the de-escalation.
  std::string unexplained = json;
  unexplained.erase(unexplained.find(",\"reason\":"), std::string(",\"reason\":\"duplicate of T-7, already handled at L3\"").size());
  EXPECT_EQ(id_of([&] { ticket::from_json(unexplained, builtins); }), "kefu.ticket.snapshot");
  const std::string why_not = error_of([&] { ticket::from_json(unexplained, builtins); });
  EXPECT_NE(why_not.find("snapshot.history[0]: replay failed: "), std::string::npos) << why_not;
  EXPECT_NE(why_not.find("lowering it needs a reason"), std::string::npos) << why_not;
  // Nor one whose record says another policy tier than the ticket's.
  std::string other = json;
  const std::string recorded = "\"tier\":\"L1\",\"policy_tier\":\"L3\"";
  other.replace(other.find(recorded), recorded.size(), "\"tier\":\"L1\",\"policy_tier\":\"L2\"");
  EXPECT_NE(error_of([&] { ticket::from_json(other, builtins); })
                .find("snapshot.history[0].policy_tier: L2 recorded, but the ticket's policy tier is L3"),
            std::string::npos)
      << error_of([&] { ticket::from_json(other, builtins); });
}

TEST(TicketTierOverride, RaisingNeedsNoReasonButIsAuditedToo) {
  ticket t = open(*shipped_policy(), facts_of("T-L2", "service_attitude"));  // L2
  ASSERT_EQ(t.policy_tier(), tier::L2);
  t.fire(event::triage(cst("2026-03-02T09:05"), "alice", tier::L3));
  EXPECT_EQ(t.level(), tier::L3);
  EXPECT_EQ(t.history()[0].policy_tier, tier::L2);
  EXPECT_EQ(t.history()[0].what.to, tier::L3);
  EXPECT_EQ(t.history()[0].what.reason, "");
  EXPECT_TRUE(ticket::from_json(t.to_json(), builtins) == t);

  // At the policy's tier: nothing to explain, still recorded.
  ticket same = open(*shipped_policy(), facts_of("T-L2b", "service_attitude"));
  same.fire(event::triage(cst("2026-03-02T09:05"), "alice", tier::L2));
  EXPECT_EQ(same.history()[0].policy_tier, tier::L2);
}

TEST(TicketTierOverride, OnlyTriageTakesAReasonAndTicketsWithoutAPolicyTierAreAsBefore) {
  ticket t = open(*shipped_policy(), facts_of("T-R", "consultation"));  // L1
  t.fire(event::triage(cst("2026-03-02T09:05"), "alice", tier::L1));
  event start = event::make(event_kind::start, cst("2026-03-02T09:06"), "alice");
  start.reason = "because";
  EXPECT_EQ(refusal([&] { t.fire(start); }).reason(), "only triage takes a reason");
  EXPECT_EQ(t.history().size(), 1u);

  // A ticket made from a plan alone knows no policy tier: any triage tier, and the snapshot is the old format.
  ticket plain("T-P", default_plan(), cst("2026-03-02T09:00"), "intake");
  EXPECT_EQ(plain.policy_tier(), std::nullopt);
  plain.fire(event::triage(cst("2026-03-02T09:05"), "alice", tier::L1));
  EXPECT_EQ(plain.history()[0].policy_tier, std::nullopt);
  EXPECT_EQ(plain.to_json().find("policy_tier"), std::string::npos);
  EXPECT_EQ(plain.to_json().find("reason"), std::string::npos);
}

TEST(TicketTierOverride, BatchReplayNeedsTheReasonToo) {
  const auto policy = shipped_policy();
  std::vector<kefu::rules::record> facts;  // records move, they do not copy
  facts.push_back(facts_of("T-1", "consultation"));
  facts.push_back(facts_of("T-2", "quality_defect"));
  event_log log;
  log.add("T-1", cst("2026-03-02T09:05"), event_kind::triage, "a");
  log.add("T-2", cst("2026-03-02T09:05"), event_kind::triage, "a", "", tier::L2);
  const auto e = refusal([&] { replay(*policy, facts, log); });
  EXPECT_EQ(e.id(), "kefu.ticket.deescalation");
  EXPECT_NE(std::string(e.what()).find("lowering it needs a reason (recorded in the history) (ticket 'T-2', events row 1)"),
            std::string::npos)
      << e.what();

  event_log explained;
  explained.add("T-1", cst("2026-03-02T09:05"), event_kind::triage, "a");
  explained.add("T-2", cst("2026-03-02T09:05"), event_kind::triage, "a", "", tier::L2, std::nullopt, "agreed with the customer");
  const auto tickets = replay(*policy, facts, explained);
  EXPECT_EQ(tickets[1].level(), tier::L2);
  EXPECT_EQ(tickets[1].history()[0].policy_tier, tier::L3);
  EXPECT_EQ(tickets[1].history()[0].what.reason, "agreed with the customer");

  event_log misplaced;
  misplaced.add("T-1", cst("2026-03-02T09:05"), event_kind::start, "a", "", std::nullopt, std::nullopt, "why");
  EXPECT_EQ(error_of([&] { replay(*policy, facts, misplaced); }), "events row 0: start takes no reason (only triage does)");
}
