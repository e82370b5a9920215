#include <kefu/ticket/from_triage.hpp>
#include <kefu/ticket/open.hpp>
#include <kefu/ticket/ticket.hpp>

#include "calendar_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace kefu_test;
using namespace kefu::ticket;
using kefu::calendar::sla_state;

namespace {

event ev(event_kind k, const char* at, const char* by = "alice", const char* note = "") {
  return event::make(k, cst(at), by, note);
}

std::string trail(const ticket& t) {
  std::string out;
  for (const auto& r : t.history())
    out += cst_text(r.what.at) + " " + std::string(r.what.by) + " " + to_string(r.what.kind) + " " +
           to_string(r.from) + " -> " + to_string(r.to) +
           (r.what.note.empty() ? "" : " (" + std::string(r.what.note) + ")") + "\n";
  return out;
}

std::string due(const ticket& t, clock_name c, const char* at) {
  const auto s = t.sla(cst(at))[c];
  return s ? cst_text(s->due) : "none";
}

std::string rejection(ticket& t, const event& e) {
  try {
    t.fire(e);
  } catch (const transition_error& x) {
    return x.what();
  }
  return "accepted";
}

}  // namespace

TEST(TicketLifecycle, L3AcrossSpringFestivalWithExactAuditAndDeadlines) {
  // Friday 2026-02-13 10:00, the last working day before the Spring Festival (holidays 15–23 Feb,
  // make-up working days Saturday 14 and Saturday 28 Feb).
  ticket t("T-1", default_plan(), cst("2026-02-13T10:00"), "intake");
  EXPECT_EQ(to_string(t.current()), "received/L1");
  EXPECT_EQ(due(t, clock_name::first_response, "2026-02-13T10:00"), "2026-02-13T11:00:00+08:00");
  EXPECT_EQ(due(t, clock_name::resolution, "2026-02-13T10:00"), "2026-02-14T10:00:00+08:00");

  t.fire(event::triage(cst("2026-02-13T10:05"), "alice", tier::L3, "quality defect, loss over 1000"));
  EXPECT_EQ(to_string(t.current()), "triaged/L3");
  // L3: respond within 24 h, resolve within 7 workdays from receipt on cn-mainland:
  // 13 Feb (day 0), 14, 24, 25, 26, 27, 28 Feb, 2 Mar → close of Monday 2 March.
  EXPECT_EQ(due(t, clock_name::first_response, "2026-02-13T10:05"), "2026-02-14T10:00:00+08:00");
  EXPECT_EQ(due(t, clock_name::resolution, "2026-02-13T10:05"), "2026-03-03T00:00:00+08:00");

  t.fire(ev(event_kind::start, "2026-02-13T11:00"));
  EXPECT_EQ(t.sla(cst("2026-02-13T11:00"))[clock_name::first_response]->state, sla_state::met);
  t.fire(ev(event_kind::request_info, "2026-02-24T10:00", "alice", "photos of the defect"));
  EXPECT_TRUE(t.sla(cst("2026-02-24T12:00"))[clock_name::resolution]->paused);
  t.fire(ev(event_kind::customer_reply, "2026-02-25T10:00", "customer"));
  // One working day waiting on the customer moves the deadline by one working day.
  EXPECT_EQ(due(t, clock_name::resolution, "2026-02-25T10:00"), "2026-03-04T00:00:00+08:00");
  t.fire(ev(event_kind::hand_off, "2026-02-25T11:00", "alice", "QC"));
  t.fire(ev(event_kind::internal_reply, "2026-02-26T09:00", "qc-team"));
  t.fire(ev(event_kind::resolve, "2026-02-27T15:00"));
  EXPECT_EQ(t.sla(cst("2026-02-27T15:00"))[clock_name::resolution]->state, sla_state::met);
  // DOM-ESC-1 and rules/tiers.yaml: L3 demands a written report, not a follow-up, so no follow-up clock runs.
  EXPECT_EQ(t.clock(clock_name::follow_up), nullptr);

  EXPECT_EQ(rejection(t, ev(event_kind::close, "2026-02-27T16:00")),
            "cannot close a ticket in state resolved/L3: an L3 ticket needs a written handling report before it is closed");
  t.fire(event::follow_up(cst("2026-02-28T10:00"), "bob", true));  // allowed all the same
  EXPECT_EQ(rejection(t, ev(event_kind::close, "2026-02-28T10:30")),
            "cannot close a ticket in state resolved/L3: an L3 ticket needs a written handling report before it is closed");
  t.fire(ev(event_kind::attach_report, "2026-02-28T11:00", "alice", "report QC-2026-17"));
  t.fire(ev(event_kind::close, "2026-02-28T12:00"));
  EXPECT_EQ(to_string(t.current()), "closed/L3");

  EXPECT_EQ(trail(t),
            "2026-02-13T10:05:00+08:00 alice triage received/L1 -> triaged/L3 (quality defect, loss over 1000)\n"
            "2026-02-13T11:00:00+08:00 alice start triaged/L3 -> in_progress/L3\n"
            "2026-02-24T10:00:00+08:00 alice request_info in_progress/L3 -> waiting_customer/L3 (photos of the defect)\n"
            "2026-02-25T10:00:00+08:00 customer customer_reply waiting_customer/L3 -> in_progress/L3\n"
            "2026-02-25T11:00:00+08:00 alice hand_off in_progress/L3 -> waiting_internal/L3 (QC)\n"
            "2026-02-26T09:00:00+08:00 qc-team internal_reply waiting_internal/L3 -> in_progress/L3\n"
            "2026-02-27T15:00:00+08:00 alice resolve in_progress/L3 -> resolved/L3\n"
            "2026-02-28T10:00:00+08:00 bob follow_up resolved/L3 -> resolved/L3\n"
            "2026-02-28T11:00:00+08:00 alice attach_report resolved/L3 -> resolved/L3 (report QC-2026-17)\n"
            "2026-02-28T12:00:00+08:00 alice close resolved/L3 -> closed/L3\n");
}

TEST(TicketLifecycle, ResolutionPausesWhileWaitingOnTheCustomer) {
  ticket t("T-2", default_plan(), cst("2026-03-02T09:00"));
  t.fire(event::triage(cst("2026-03-02T09:01"), "a", tier::L1));
  t.fire(ev(event_kind::start, "2026-03-02T09:10"));
  t.fire(ev(event_kind::request_info, "2026-03-02T10:00"));
  const auto paused = *t.sla(cst("2026-03-02T15:00"))[clock_name::resolution];
  EXPECT_EQ(paused.state, sla_state::paused);
  EXPECT_EQ(paused.elapsed, kefu::seconds(3600));
  EXPECT_EQ(cst_text(paused.due), "2026-03-03T14:00:00+08:00");  // as if resumed at 15:00: 23 h left
  t.fire(ev(event_kind::customer_reply, "2026-03-02T16:00"));
  EXPECT_EQ(due(t, clock_name::resolution, "2026-03-02T16:00"), "2026-03-03T15:00:00+08:00");  // 24 h + 6 h paused
  // The hand-off to another department does not pause the customer's clock.
  t.fire(ev(event_kind::hand_off, "2026-03-02T17:00"));
  EXPECT_EQ(t.sla(cst("2026-03-02T18:00"))[clock_name::resolution]->state, sla_state::running);
}

TEST(TicketGuards, NothingResolvesBeforeTriage) {
  ticket t("T-3", default_plan(), cst("2026-03-02T09:00"));
  const ticket before = t;
  EXPECT_EQ(rejection(t, ev(event_kind::resolve, "2026-03-02T09:30")),
            "cannot resolve a ticket in state received/L1: a ticket must be triaged before it is resolved");
  EXPECT_TRUE(t == before);
  EXPECT_EQ(t.to_json(), before.to_json());
}

TEST(TicketGuards, L2NeedsAFollowUpAndAnUnsatisfiedOneReopens) {
  ticket t("T-4", default_plan(), cst("2026-03-02T09:00"));
  t.fire(event::triage(cst("2026-03-02T09:05"), "a", tier::L2));
  t.fire(ev(event_kind::start, "2026-03-02T09:10"));
  t.fire(ev(event_kind::resolve, "2026-03-02T12:00"));
  EXPECT_EQ(rejection(t, ev(event_kind::close, "2026-03-02T13:00")),
            "cannot close a ticket in state resolved/L2: an L2 ticket needs a satisfied follow-up before it is closed");
  t.fire(event::follow_up(cst("2026-03-03T10:00"), "bob", false, "still broken"));
  EXPECT_EQ(to_string(t.current()), "in_progress/L2");
  EXPECT_EQ(t.flags().reopen_count, 1u);
  // The resolved interval (12:00 → next day 10:00) does not count towards resolution.
  const auto& res_events = t.clock(clock_name::resolution)->events();
  ASSERT_EQ(res_events.size(), 3u);
  EXPECT_EQ(res_events[1].kind, kefu::calendar::clock_event_kind::pause);
  EXPECT_EQ(t.sla(cst("2026-03-03T10:00"))[clock_name::resolution]->elapsed, kefu::seconds(3 * 3600));
  t.fire(ev(event_kind::resolve, "2026-03-03T11:00"));
  t.fire(event::follow_up(cst("2026-03-03T12:00"), "bob", true));
  t.fire(ev(event_kind::close, "2026-03-03T12:05"));
  EXPECT_EQ(to_string(t.current()), "closed/L2");
  // L1 needs no follow-up.
  ticket l1("T-5", default_plan(), cst("2026-03-02T09:00"));
  l1.fire(event::triage(cst("2026-03-02T09:05"), "a", tier::L1));
  l1.fire(ev(event_kind::resolve, "2026-03-02T09:06"));
  EXPECT_EQ(l1.clock(clock_name::follow_up), nullptr);
  l1.fire(ev(event_kind::close, "2026-03-02T09:07"));
  EXPECT_EQ(to_string(l1.current()), "closed/L1");
}

TEST(TicketGuards, ReopenWindowAfterClose) {
  auto plan = default_plan();
  plan.reopen_window = kefu::seconds(3 * 86400);
  ticket t("T-6", plan, cst("2026-03-02T09:00"));
  t.fire(event::triage(cst("2026-03-02T09:05"), "a", tier::L1));
  t.fire(ev(event_kind::resolve, "2026-03-02T09:30"));
  t.fire(ev(event_kind::close, "2026-03-02T10:00"));
  ticket late = t;
  EXPECT_EQ(rejection(late, ev(event_kind::reopen, "2026-03-05T10:00:01")),
            "cannot reopen a ticket in state closed/L1: the reopen window ended at 2026-03-05T02:00:00Z");
  EXPECT_TRUE(late == t);
  t.fire(ev(event_kind::reopen, "2026-03-05T10:00"));  // the last second of the window
  EXPECT_EQ(to_string(t.current()), "in_progress/L1");
  EXPECT_FALSE(t.flags().closed_at.has_value());
}

TEST(TicketGuards, RejectedEventsNameStateAndEventAndChangeNothing) {
  ticket t("T-7", default_plan(), cst("2026-03-02T09:00"));
  t.fire(event::triage(cst("2026-03-02T09:05"), "a", tier::L2));
  const std::string json = t.to_json();
  EXPECT_EQ(rejection(t, ev(event_kind::customer_reply, "2026-03-02T09:10")),
            "cannot customer_reply a ticket in state triaged/L2: event not allowed in state triaged");
  EXPECT_EQ(rejection(t, event::triage(cst("2026-03-02T09:10"), "a", tier::L3)),
            "cannot triage a ticket in state triaged/L2: the ticket is already triaged");
  EXPECT_EQ(rejection(t, ev(event_kind::start, "2026-03-02T09:00")),
            "cannot start a ticket in state triaged/L2: the event at 2026-03-02T01:00:00Z is before the ticket's "
            "last event at 2026-03-02T01:05:00Z");
  t.fire(ev(event_kind::escalate, "2026-03-02T09:20"));
  EXPECT_EQ(rejection(t, ev(event_kind::escalate, "2026-03-02T09:21")),
            "cannot escalate a ticket in state triaged/L3: L3 is the highest tier");
  t.fire(ev(event_kind::cancel, "2026-03-02T09:30"));
  for (std::size_t k = 0; k < event_kind_count; ++k) {
    const ticket before = t;
    EXPECT_THROW(t.fire(ev(static_cast<event_kind>(k), "2026-03-02T10:00")), transition_error) << k;
    EXPECT_TRUE(t == before);
  }
  EXPECT_TRUE(t.allowed_events(cst("2026-03-02T10:00")).empty());
  try {
    t.fire(ev(event_kind::start, "2026-03-02T10:00"));
  } catch (const transition_error& e) {
    EXPECT_EQ(to_string(e.from()), "cancelled/L3");
    EXPECT_EQ(e.event(), event_kind::start);
  }
  (void)json;
}

TEST(TicketGuards, AThrowingActionLeavesStateClocksAndAuditUnchanged) {
  ticket t("T-8", default_plan(), cst("2026-03-02T09:00"));
  t.fire(event::triage(cst("2026-03-02T09:05"), "a", tier::L1));
  t.fire(ev(event_kind::start, "2026-03-02T09:10"));
  for (auto k : {event_kind::request_info, event_kind::resolve, event_kind::escalate, event_kind::attach_report}) {
    const ticket before = t;
    const std::string json = t.to_json();
    detail::set_action_hook_for_testing(t, [](event_kind) { throw std::runtime_error("injected"); });
    EXPECT_THROW(t.fire(ev(k, "2026-03-02T10:00")), std::runtime_error);
    detail::set_action_hook_for_testing(t, nullptr);
    EXPECT_TRUE(t == before) << to_string(k);
    EXPECT_EQ(t.to_json(), json);
    EXPECT_EQ(to_string(t.current()), "in_progress/L1");
  }
  t.fire(ev(event_kind::request_info, "2026-03-02T10:00"));  // the machine still works afterwards
  EXPECT_EQ(to_string(t.current()), "waiting_customer/L1");
}

TEST(TicketEscalation, TickEscalatesOneTierOnBreachAndRecordsIt) {
  ticket t("T-9", default_plan(), cst("2026-03-02T09:00"));
  t.fire(event::triage(cst("2026-03-02T09:05"), "a", tier::L1));
  EXPECT_FALSE(t.tick(cst("2026-03-02T10:00")));  // the 1 h first response is due at 10:00 itself
  EXPECT_TRUE(t.tick(cst("2026-03-02T10:00:01")));
  EXPECT_EQ(to_string(t.current()), "triaged/L2");
  // The escalation, then the level-1 upward report that goes with it (DOM-ESC-4, DOM-LC-8; test_ticket_reports.cpp).
  ASSERT_EQ(t.history().size(), 3u);
  EXPECT_EQ(t.history()[1].what.kind, event_kind::escalate);
  EXPECT_EQ(t.history()[1].what.by, "system");
  EXPECT_EQ(t.history()[1].what.note, "auto: first_response breached (due 2026-03-02T10:00:00+08:00)");
  EXPECT_EQ(t.history().back().what.kind, event_kind::report_level_1);
  // On L2 the first response has 2 h: no longer breached, so no further escalation.
  EXPECT_EQ(due(t, clock_name::first_response, "2026-03-02T10:00:01"), "2026-03-02T11:00:00+08:00");
  EXPECT_FALSE(t.tick(cst("2026-03-02T10:30")));
  EXPECT_TRUE(t.tick(cst("2026-03-02T11:00:01")));
  EXPECT_EQ(to_string(t.current()), "triaged/L3");
  EXPECT_FALSE(t.tick(cst("2026-03-09T11:00")));  // L3 is the top
  // Manual escalation and a waiting ticket whose clock is paused do not breach.
  ticket w("T-10", default_plan(), cst("2026-03-02T09:00"));
  w.fire(event::triage(cst("2026-03-02T09:05"), "a", tier::L1));
  w.fire(ev(event_kind::start, "2026-03-02T09:10"));
  w.fire(ev(event_kind::request_info, "2026-03-02T09:20"));
  EXPECT_FALSE(w.tick(cst("2026-03-05T09:00")));
  EXPECT_EQ(w.level(), tier::L1);
}

TEST(TicketSnapshot, RoundTripIsIdentityAndStrict) {
  ticket t("T-11 \"quoted\" 退款", default_plan(), cst("2026-02-13T10:00"));
  t.fire(event::triage(cst("2026-02-13T10:05"), "客服小王", tier::L2, "line1\nline2\ttab"));
  t.fire(ev(event_kind::start, "2026-02-13T10:30"));
  t.fire(ev(event_kind::request_info, "2026-02-13T11:00"));
  const std::string json = t.to_json();
  const ticket back = ticket::from_json(json, default_plan());
  EXPECT_TRUE(back == t);
  EXPECT_EQ(back.to_json(), json);
  EXPECT_TRUE(ticket::replay(t.id(), default_plan(), t.received(), t.received_by(), t.history()) == t);

  auto err = [&](const std::string& text) { return error_of([&] { ticket::from_json(text, default_plan()); }); };
  EXPECT_EQ(err("{\"kefu_ticket\":1,"), "<json>:1:18: ticket snapshot: expected a member name in quotes");
  EXPECT_EQ(err("[]"), "<json>:1:1: ticket snapshot: snapshot: expected an object");
  std::string bad_state = json;
  bad_state.replace(bad_state.find("\"waiting_customer\""), 18, "\"waiting_custard\"");
  EXPECT_EQ(err(bad_state).find("snapshot.state.progress: unknown progress state 'waiting_custard'") != std::string::npos, true)
      << err(bad_state);
  std::string extra = json;
  extra.insert(1, "\"extra\":0,");
  EXPECT_NE(err(extra).find("unknown member 'extra'"), std::string::npos) << err(extra);
  std::string lie = json;
  lie.replace(lie.find("\"tier\":\"L2\"}"), 12, "\"tier\":\"L3\"}");
  EXPECT_NE(err(lie).find("snapshot.state: says waiting_customer/L3 but the history leads to waiting_customer/L2"),
            std::string::npos)
      << err(lie);
  // A snapshot restored against a different plan is refused, naming the first difference.
  auto other = default_plan();
  other.tiers[1].resolution->within = kefu::calendar::duration::wall_seconds(72 * 3600);
  EXPECT_NE(error_of([&] { ticket::from_json(json, other); })
                .find("snapshot.plan: differs from the given plan: L2 resolution: 48h on always vs 72h on always"),
            std::string::npos)
      << error_of([&] { ticket::from_json(json, other); });
  // The snapshot carries its plan: restoring by calendar name alone gives the same ticket.
  const kefu::ticket::calendar_resolver builtins = [](const std::string& name) { return kefu::calendar::builtin(name); };
  const ticket by_name = ticket::from_json(json, builtins);
  EXPECT_TRUE(by_name == t);
  EXPECT_TRUE(by_name.plan() == default_plan());
  EXPECT_EQ(by_name.to_json(), json);
  std::string unknown_calendar = json;
  unknown_calendar.replace(unknown_calendar.find("\"calendar\":\"cn-mainland\""), 24, "\"calendar\":\"cn-mars\"");
  EXPECT_NE(error_of([&] { ticket::from_json(unknown_calendar, builtins); }).find("snapshot.plan.tiers.L2.follow_up.calendar: "),
            std::string::npos)
      << error_of([&] { ticket::from_json(unknown_calendar, builtins); });
  std::string bad_warning = json;
  bad_warning.replace(bad_warning.find("{\"fraction\":\"0.8\"}"), 18, "{\"fraction\":\"1.5\"}");
  EXPECT_NE(error_of([&] { ticket::from_json(bad_warning, builtins); })
                .find("snapshot.plan.tiers.L1.first_response.warning.fraction: expected a number from 0 to 1 in quotes"),
            std::string::npos)
      << error_of([&] { ticket::from_json(bad_warning, builtins); });
}

TEST(TicketPlan, FromTheTriagePolicyForEveryTier) {
  // plan_for: each tier's terms from rules/tiers.yaml for these facts; the triaged tier's deadlines are
  // the ones triage reports.
  const auto policy = kefu::rules::triage_policy::load_directory(KEFU_TEST_RULES_DIR);
  auto facts = policy->make_facts();
  policy->set_fact(facts, "business", "mall");
  policy->set_fact(facts, "channel", "phone");
  policy->set_fact(facts, "category", "service_attitude");
  policy->set_fact(facts, "received_at", "2026-02-13T10:00:00+08:00");
  const auto r = policy->triage(facts);
  ASSERT_EQ(r.tier, "L2");
  const ticket_plan plan = plan_for(*policy, facts);
  EXPECT_TRUE(plan_for(*policy, facts, &r) == plan);  // the caller's own triage stands in for its tier
  EXPECT_EQ(kefu::calendar::to_string(plan.of(tier::L1).resolution->within), "24h");
  EXPECT_FALSE(plan.of(tier::L1).follow_up_required);
  EXPECT_EQ(kefu::calendar::to_string(plan.of(tier::L2).resolution->within), "48h");
  EXPECT_TRUE(plan.of(tier::L2).follow_up_required);
  EXPECT_EQ(kefu::calendar::to_string(plan.of(tier::L2).follow_up->within), "3 workdays");
  EXPECT_EQ(plan.of(tier::L3).resolution->on->name(), "cn-mainland");
  EXPECT_TRUE(plan.of(tier::L3).report_required);
  EXPECT_FALSE(plan.of(tier::L3).follow_up_required);
  // The shipped policy says what default_plan() says (DOM-ESC-1).
  EXPECT_EQ(plan_difference(plan, default_plan()), "");

  ticket t = open(*policy, facts, std::nullopt, "T-9", "alice");  // received at the fact received_at
  EXPECT_TRUE(t.plan() == plan);
  t.fire(event::triage(cst("2026-02-13T10:05"), "alice", tier_named(r.tier)));
  EXPECT_EQ(to_string(t.current()), "triaged/L2");
  EXPECT_EQ(format_instant(t.sla(cst("2026-02-13T10:05"))[clock_name::resolution]->due), kefu::format_instant(r.resolution.due));
  EXPECT_EQ(format_instant(t.sla(cst("2026-02-13T10:05"))[clock_name::first_response]->due),
            kefu::format_instant(r.first_response.due));
  EXPECT_THROW(policy->triage_at_tier(facts, "L4"), kefu::error);
  EXPECT_EQ(error_of([&] { policy->triage_at_tier(facts, "L4"); }),
            "unknown tier 'L4' (the vocabulary's tiers are L1, L2, L3)");
}

TEST(TicketGraph, GeneratedFromTheTransitionTable) {
  EXPECT_EQ(transitions().size(), 35u);  // 26 + the upward reports and improvement items (3 events × 3 tiers)
  const std::string m = graph_mermaid();
  EXPECT_NE(m.find("    received --> triaged : triage\n"), std::string::npos);
  EXPECT_NE(m.find("    resolved --> closed : close [follow-up and reports done]\n"), std::string::npos);
  EXPECT_NE(m.find("    --\n    [*] --> L1\n"), std::string::npos);
  EXPECT_NE(m.find("    L1 --> L1 : report_level_2 [open, level 1 reported]\n"), std::string::npos);
  EXPECT_NE(m.find("    L3 --> L3 : track_improvement [resolved or closed]\n"), std::string::npos);
  const std::string d = graph_dot();
  EXPECT_NE(d.find("    L2 -> L3 [label=\"escalate [open]\"];\n"), std::string::npos);
}

TEST(TicketGraph, TheMachineDoesWhatTheTableSays) {
  // Every state a ticket can reach is explored (breadth first, every event with every payload: triage to each
  // tier, a satisfied and an unsatisfied follow-up), and what the machine does is compared with transitions(),
  // the table the diagrams are drawn from: every row is seen to happen, every change of state the machine makes
  // is a row, and an event with an unguarded row from the current state is never refused. So the graph cannot
  // drift from the machine.
  const auto& rows = transitions();
  const auto row_for = [&](const char* region, const std::string& from, event_kind ev, const std::string& to) {
    return std::find_if(rows.begin(), rows.end(), [&](const transition_info& r) {
      return std::string(r.region) == region && r.from == from && r.event == std::string(to_string(ev)) && r.to == to;
    }) != rows.end();
  };
  std::vector<bool> seen(rows.size(), false);
  const auto mark = [&](const char* region, const std::string& from, event_kind ev, const std::string& to) {
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (std::string(rows[i].region) == region && rows[i].from == from &&
          rows[i].event == std::string(to_string(ev)) && rows[i].to == to)
        seen[i] = true;
  };

  std::vector<ticket> queue{ticket("G", default_plan(), cst("2026-03-02T09:00"))};
  std::set<std::string> visited;
  std::size_t fired = 0;
  for (std::size_t q = 0; q < queue.size(); ++q) {
    const ticket t = queue[q];
    const state pre = t.current();
    const kefu::instant at = (t.history().empty() ? t.received() : t.history().back().what.at) + kefu::seconds(60);
    for (std::size_t k = 0; k < event_kind_count; ++k) {
      const auto kind = static_cast<event_kind>(k);
      std::vector<event> payloads;
      if (kind == event_kind::triage) {
        for (const tier to : {tier::L1, tier::L2, tier::L3}) payloads.push_back(event::triage(at, "op", to));
      } else if (kind == event_kind::follow_up) {
        for (const bool ok : {true, false}) payloads.push_back(event::follow_up(at, "op", ok));
      } else {
        payloads.push_back(event::make(kind, at, "op", kind == event_kind::track_improvement ? "cause" : ""));
      }
      for (const event& e : payloads) {
        ticket next = t;
        bool accepted = true;
        try {
          next.fire(e);
        } catch (const transition_error&) {
          accepted = false;
        }
        const std::string where = to_string(pre.where), level = to_string(pre.level);
        if (!accepted) {
          // Refused: no unguarded row leaves the current state on this event (guards may refuse guarded ones).
          for (const auto& r : rows)
            if (!*r.guard && r.event == std::string(to_string(kind)) &&
                ((std::string(r.region) == "progress" && r.from == where) ||
                 (std::string(r.region) == "escalation" && r.from == level && kind != event_kind::triage)))
              ADD_FAILURE() << to_string(kind) << " refused in " << to_string(pre) << " although row " << r.region << " "
                            << r.from << " -> " << r.to << " has no guard";
          continue;
        }
        ++fired;
        const state post = next.current();
        const std::string to_where = to_string(post.where), to_level = to_string(post.level);
        if (post.where != pre.where) {
          EXPECT_TRUE(row_for("progress", where, kind, to_where)) << to_string(pre) << " " << to_string(kind) << " -> " << to_string(post);
        }
        if (post.level != pre.level) {
          EXPECT_TRUE(row_for("escalation", level, kind, to_level)) << to_string(pre) << " " << to_string(kind) << " -> " << to_string(post);
        }
        if (post == pre) {  // an internal transition: a row from this state to itself
          EXPECT_TRUE(row_for("progress", where, kind, where) || row_for("escalation", level, kind, level))
              << to_string(pre) << " " << to_string(kind);
        }
        // What each region did (an unchanged region did nothing, unless it has an internal row for the event).
        if (post.where != pre.where || row_for("progress", where, kind, where)) mark("progress", where, kind, to_where);
        if (post.level != pre.level || row_for("escalation", level, kind, level)) mark("escalation", level, kind, to_level);
        const auto& f = next.flags();
        const std::string key = to_string(post) + (f.followed_up ? " followed" : "") + (f.report_attached ? " report" : "") +
                                " reported " + std::to_string(f.reported);
        if (visited.insert(key).second) queue.push_back(next);
      }
    }
  }
  EXPECT_GT(fired, 100u);
  EXPECT_GE(visited.size(), 20u);
  for (std::size_t i = 0; i < rows.size(); ++i)
    EXPECT_TRUE(seen[i]) << "row never happened: " << rows[i].region << " " << rows[i].from << " --" << rows[i].event
                         << (*rows[i].guard ? std::string(" [") + rows[i].guard + "]" : std::string()) << "--> " << rows[i].to;
}

TEST(TicketProperty, RandomSequencesKeepInvariantsAndSnapshotsRestore) {
  std::mt19937_64 rng(20260213);
  const auto plan = default_plan();
  for (int run = 0; run < 60; ++run) {
    ticket t("P-" + std::to_string(run), plan, cst("2026-02-10T09:00"));
    kefu::instant now = cst("2026-02-10T09:00");
    for (int step = 0; step < 40; ++step) {
      now += kefu::seconds(std::uniform_int_distribution<int>(0, 20 * 3600)(rng));
      if (now > cst("2026-12-01T00:00")) break;
      event e = event::make(static_cast<event_kind>(std::uniform_int_distribution<int>(0, event_kind_count - 1)(rng)),
                            now, "op");
      e.to = static_cast<tier>(std::uniform_int_distribution<int>(0, 2)(rng));
      e.satisfied = std::uniform_int_distribution<int>(0, 1)(rng) == 1;
      const ticket before = t;
      const bool predicted = t.can_fire(e);
      bool accepted = true;
      if (std::uniform_int_distribution<int>(0, 4)(rng) == 0) {
        accepted = t.tick(now);
        // A tick's escalation comes with its upward report (DOM-LC-8): keep only the escalation for the checks below.
        if (accepted && t.history().size() == before.history().size() + 2) {
          ASSERT_TRUE(t.history().back().what.kind == event_kind::report_level_1 ||
                      t.history().back().what.kind == event_kind::report_level_2);
          ticket escalated = before;
          escalated.fire(t.history()[before.history().size()].what);
          t = escalated;
        }
      } else {
        try {
          t.fire(e);
        } catch (const transition_error&) {
          accepted = false;
        }
        EXPECT_EQ(accepted, predicted);
      }
      if (!accepted) {
        EXPECT_TRUE(t == before);
        continue;
      }
      // Invariants: one record per accepted event, chained states, monotone time, tiers never go down,
      // closed tickets satisfied their guards, stopped clocks stay stopped unless reopened.
      ASSERT_EQ(t.history().size(), before.history().size() + 1);
      const auto& r = t.history().back();
      EXPECT_EQ(r.from, before.current());
      EXPECT_EQ(r.to, t.current());
      EXPECT_GE(t.level(), before.level());
      if (t.where() == progress::closed) {
        const auto& tt = plan.of(t.level());
        EXPECT_TRUE(!tt.follow_up_required || t.flags().followed_up);
        EXPECT_TRUE(!tt.report_required || t.flags().report_attached);
      }
      if (t.where() == progress::waiting_customer && t.clock(clock_name::resolution)) {
        EXPECT_TRUE(t.sla(now)[clock_name::resolution]->paused);
      }
      const ticket restored = ticket::from_json(t.to_json(), plan);
      ASSERT_TRUE(restored == t) << t.to_json();
    }
  }
}

TEST(TicketSnapshot, PlanTermsRoundTripAndBadTermsAreRefused) {
  // A lead-time warning survives the snapshot (it has no fraction to compare).
  auto plan = default_plan();
  plan.tiers[0].first_response->warning = kefu::calendar::sla_warning::before(kefu::seconds(600));
  ticket t("T-20", plan, cst("2026-03-02T09:00"));
  t.fire(event::triage(cst("2026-03-02T09:05"), "a", tier::L1));
  const std::string json = t.to_json();
  EXPECT_TRUE(ticket::from_json(json, plan) == t);
  const kefu::ticket::calendar_resolver builtins = [](const std::string& name) { return kefu::calendar::builtin(name); };
  EXPECT_TRUE(ticket::from_json(json, builtins).plan() == plan);
  // Equality covers the plan: the same history under other terms is another ticket.
  EXPECT_FALSE(ticket::replay(t.id(), default_plan(), t.received(), t.received_by(), t.history()) == t);

  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = json;
    const auto at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return s.replace(at, from.size(), to);
  };
  EXPECT_NE(error_of([&] { ticket::from_json(with("{\"fraction\":\"0.8\"}", "{\"fraction\":\"nan\"}"), builtins); })
                .find("warning.fraction: expected a number from 0 to 1 in quotes"),
            std::string::npos);
  EXPECT_NE(error_of([&] { ticket::from_json(with("{\"lead\":600}", "{\"lead\":-600}"), builtins); })
                .find("snapshot.plan.tiers.L1.first_response.warning.lead: cannot be negative"),
            std::string::npos);
  EXPECT_NE(error_of([&] { ticket::from_json(with("\"reopen_window\":604800", "\"reopen_window\":-1"), builtins); })
                .find("snapshot.plan.reopen_window: cannot be negative"),
            std::string::npos);
  EXPECT_THROW(kefu::calendar::sla_clock(kefu::calendar::builtin("always"), kefu::calendar::duration::wall_seconds(60),
                                         kefu::calendar::sla_warning::at_fraction(std::nan(""))),
               kefu::error);
}

TEST(TicketLifecycle, EscalatedWhileResolvedIntoATierThatWantsAFollowUp) {
  // L1 resolved, then escalated to L2: the follow-up L2 demands runs from the resolution (3 workdays).
  ticket t("T-21", default_plan(), cst("2026-03-02T09:00"));
  t.fire(event::triage(cst("2026-03-02T09:05"), "a", tier::L1));
  t.fire(ev(event_kind::resolve, "2026-03-02T15:00"));
  EXPECT_EQ(t.clock(clock_name::follow_up), nullptr);
  t.fire(ev(event_kind::escalate, "2026-03-03T10:00", "lead"));
  EXPECT_EQ(to_string(t.current()), "resolved/L2");
  EXPECT_EQ(due(t, clock_name::follow_up, "2026-03-03T10:00"), "2026-03-06T00:00:00+08:00");
  EXPECT_EQ(rejection(t, ev(event_kind::close, "2026-03-03T11:00")),
            "cannot close a ticket in state resolved/L2: an L2 ticket needs a satisfied follow-up before it is closed");
  t.fire(event::follow_up(cst("2026-03-04T10:00"), "b", true));
  t.fire(ev(event_kind::close, "2026-03-04T11:00"));
  EXPECT_EQ(t.sla(cst("2026-03-04T11:00"))[clock_name::follow_up]->state, sla_state::met);
}

// ---- audit records view the ticket's text (docs/architecture.md, "audit records without owned strings") ----

namespace {

/// A ticket in progress with `n` more events alternating hand_off / internal_reply, by 11 operators (more than
/// the store scans before it indexes them), notes empty, short and long (past a chunk), and what was fired.
ticket worked(std::vector<event>& fired, int n) {
  ticket t("T-audit", default_plan(), cst("2026-03-02T09:00"), "intake", tier::L2);
  auto fire = [&](event e) {
    fired.push_back(e);
    t.fire(std::move(e));
  };
  fire(event::triage(cst("2026-03-02T09:05"), "lead-wang", tier::L1, "duplicate", "handled under T-7"));
  fire(ev(event_kind::start, "2026-03-02T09:10", "alice"));
  for (int i = 0; i < n; ++i) {
    const std::string by = "agent-" + std::to_string(i % 11);
    std::string note = i % 3 == 0 ? "" : i % 3 == 1 ? "note " + std::to_string(i) : std::string(300 + 97 * i, 'x');
    fire(event::make(i % 2 ? event_kind::internal_reply : event_kind::hand_off,
                     cst("2026-03-02T09:20") + kefu::seconds(60 * i), by, std::move(note)));
  }
  return t;
}

/// Where a view's text is (compared, never printed: the text has no terminating NUL).
const void* addr(std::string_view s) { return s.data(); }

void expect_records(const ticket& t, const std::vector<event>& fired) {
  ASSERT_EQ(t.history().size(), fired.size());
  for (std::size_t i = 0; i < fired.size(); ++i) {
    EXPECT_TRUE(t.history()[i].what == fired[i]) << i;
    const event back = t.history()[i].what;  // the owning copy
    EXPECT_EQ(back, fired[i]) << i;
  }
}

}  // namespace

TEST(TicketAudit, RecordsKeepTheEventsFiredAndConvertBackToThem) {
  // DOM-LC-6: time, operator, event, note (and a triage's reason) exactly as fired.
  std::vector<event> fired;
  const ticket t = worked(fired, 40);
  expect_records(t, fired);
  const recorded_event& triage = t.history()[0].what;
  EXPECT_EQ(triage.by, "lead-wang");
  EXPECT_EQ(triage.note, "duplicate");
  EXPECT_EQ(triage.reason, "handled under T-7");
  EXPECT_EQ(triage.to, tier::L1);
  EXPECT_EQ(t.history()[0].policy_tier, tier::L2);
  EXPECT_TRUE(t.history()[2].what.note.empty());
  EXPECT_EQ(t.history()[40].what.note, std::string(300 + 97 * 38, 'x'));
  // Unequal in any member, either way round.
  event other = fired[3];
  other.note += "!";
  EXPECT_TRUE(t.history()[3].what != other);
  EXPECT_TRUE(other != t.history()[3].what);
  EXPECT_FALSE(t.history()[3].what == t.history()[4].what);
  // One operator's records view one copy of the name.
  EXPECT_EQ(addr(t.history()[2].what.by), addr(t.history()[2 + 11].what.by));
  // Replaying the records gives an equal ticket.
  EXPECT_TRUE(ticket::replay(t.id(), default_plan(), t.received(), t.received_by(), t.history(), tier::L2) == t);
}

TEST(TicketAudit, ViewsSurviveTheHistoryGrowing) {
  std::vector<event> fired;
  ticket t = worked(fired, 2);
  const void* note = addr(t.history()[3].what.note);
  const void* by = addr(t.history()[3].what.by);
  for (int i = 0; i < 600; ++i) {  // reallocates the history many times and fills several chunks
    event e = event::make(i % 2 ? event_kind::internal_reply : event_kind::hand_off,
                          cst("2026-03-02T12:00") + kefu::seconds(i), "bob-" + std::to_string(i % 3),
                          std::string(static_cast<std::size_t>(i), 'n'));
    fired.push_back(e);
    t.fire(e);
  }
  EXPECT_EQ(addr(t.history()[3].what.note), note);
  EXPECT_EQ(addr(t.history()[3].what.by), by);
  expect_records(t, fired);
}

TEST(TicketAudit, CopiesViewTheirOwnTextAndMovesKeepTheirs) {
  std::vector<event> fired;
  auto source = std::make_unique<ticket>(worked(fired, 30));
  const ticket copied(*source);  // copy construction
  EXPECT_TRUE(copied == *source);
  for (std::size_t i = 0; i < fired.size(); ++i) {
    if (!fired[i].note.empty()) {
      EXPECT_NE(addr(copied.history()[i].what.note), addr(source->history()[i].what.note));
    }
    EXPECT_NE(addr(copied.history()[i].what.by), addr(source->history()[i].what.by));
  }
  ticket assigned("T-other", default_plan(), cst("2026-03-01T09:00"));
  assigned.fire(event::triage(cst("2026-03-01T09:05"), "someone", tier::L3, "to be replaced"));
  assigned = *source;  // copy assignment
  source.reset();      // the copies read their own text after the source is gone
  expect_records(copied, fired);
  expect_records(assigned, fired);

  // Moving keeps the views where they were (the text moves with the ticket without being copied).
  const void* note = addr(assigned.history()[3].what.note);
  ticket moved(std::move(assigned));  // move construction
  EXPECT_EQ(addr(moved.history()[3].what.note), note);
  ticket target("T-target", default_plan(), cst("2026-03-01T09:00"));
  target.fire(event::triage(cst("2026-03-01T09:05"), "someone", tier::L1));
  target = std::move(moved);  // move assignment
  EXPECT_EQ(addr(target.history()[3].what.note), note);
  expect_records(target, fired);

  ticket& same = target;
  target = same;  // self-assignment changes nothing
  EXPECT_EQ(addr(target.history()[3].what.note), note);
  expect_records(target, fired);

  // A copy goes on by itself: its events do not reach the original, and the other way round.
  ticket fork = target;
  fork.fire(ev(event_kind::resolve, "2026-03-03T09:00", "agent-3", "fixed on the copy"));
  target.fire(ev(event_kind::cancel, "2026-03-03T09:00", "agent-4", "withdrawn"));
  EXPECT_EQ(fork.history().back().what.note, "fixed on the copy");
  EXPECT_EQ(target.history().back().what.note, "withdrawn");
  EXPECT_EQ(fork.history().size(), target.history().size());
  for (std::size_t i = 0; i + 1 < fork.history().size(); ++i) EXPECT_TRUE(fork.history()[i] == target.history()[i]) << i;
}

TEST(TicketGuards, OnlyEventsWithAPayloadHaveItChecked) {
  // fire() checks a payload only on the events that have one (triage, track_improvement, any reason): a hand_off
  // with a reason is still refused (only triage takes one), without one it is accepted and recorded as fired.
  ticket t("T-pay", default_plan(), cst("2026-03-02T09:00"), "intake", tier::L2);
  t.fire(event::triage(cst("2026-03-02T09:05"), "a", tier::L2));
  t.fire(ev(event_kind::start, "2026-03-02T09:06"));
  event off = ev(event_kind::hand_off, "2026-03-02T09:07", "b", "to billing");
  off.reason = "because";
  EXPECT_FALSE(t.can_fire(off));
  EXPECT_EQ(rejection(t, off), "cannot hand_off a ticket in state in_progress/L2: only triage takes a reason");
  EXPECT_EQ(t.history().size(), 2u);
  off.reason.clear();
  EXPECT_TRUE(t.can_fire(off));
  t.fire(off);
  EXPECT_EQ(to_string(t.current()), "waiting_internal/L2");
  EXPECT_TRUE(t.history().back().what == off);
  // A triage is checked: below the policy's tier without a reason it is refused (a fresh ticket).
  ticket low("T-low", default_plan(), cst("2026-03-02T09:00"), "intake", tier::L2);
  EXPECT_FALSE(low.can_fire(event::triage(cst("2026-03-02T09:05"), "a", tier::L1, "", " ")));
}

TEST(TicketAudit, OperatorsDifferingInOneByteAreKeptApart) {
  // The store compares a name with the last one used by length and words: names of every length up to 20,
  // each differing from the other in one position, alternate and are recorded as fired (DOM-LC-6).
  std::vector<event> fired;
  ticket t = worked(fired, 0);
  std::int64_t s = 0;
  for (std::size_t n = 1; n <= 20; ++n)
    for (std::size_t k = 0; k < n; ++k) {
      std::string other(n, 'a');
      other[k] = 'b';
      for (const std::string& by : {std::string(n, 'a'), other}) {
        event e = event::make(fired.size() % 2 ? event_kind::internal_reply : event_kind::hand_off,
                              cst("2026-03-02T10:00") + kefu::seconds(s++), by);
        fired.push_back(e);
        t.fire(e);
      }
    }
  expect_records(t, fired);
  EXPECT_TRUE(ticket(t) == t);
}
