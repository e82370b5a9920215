// Named clocks from policy and milestones (DOM-SLA-10, DOM-SLA-6): the shipped rules/clocks.yaml on tickets
// opened from facts, with exact due instants across the 2026 Spring Festival (调休: Saturday 14 February is a
// working day, 15–23 February are days off), pause/resume, fact starts, tick() escalation, snapshots, loader
// errors, and a randomized property test.
#include <kefu/ticket/open.hpp>
#include <kefu/ticket/replay.hpp>
#include <kefu/ticket/ticket.hpp>

#include "calendar_test_support.hpp"
#include "policy_test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <random>
#include <sstream>

using namespace kefu_test;
using namespace kefu::ticket;
using kefu::calendar::sla_state;

namespace {

kefu::rules::record facts_of(const char* business, const char* category, const char* received,
                             const char* ordered = nullptr) {
  const auto& policy = *shipped_policy();
  auto f = policy.make_facts();
  policy.set_fact(f, "business", business);
  policy.set_fact(f, "channel", "online");
  policy.set_fact(f, "category", category);
  policy.set_fact(f, "received_at", received);
  if (ordered) policy.set_fact(f, "ordered_at", ordered);
  return f;
}

ticket open_ticket(const char* business, const char* category, const char* received, const char* ordered = nullptr) {
  return open(*shipped_policy(), facts_of(business, category, received, ordered), std::nullopt, "T-1", "intake");
}

/// "name state due" for every named clock, one a line.
std::string named_sla(const ticket& t, const char* at) {
  std::string out;
  for (const auto& c : t.sla(cst(at)).named) {
    out += c.name + " ";
    out += c.status ? std::string(kefu::calendar::to_string(c.status->state)) + " " + cst_text(c.status->due) : "-";
    out += "\n";
  }
  return out;
}

void mark(ticket& t, const char* name, const char* at, const char* by = "alice") {
  t.mark(milestone::make(name, cst(at), by));
}

event ev(event_kind k, const char* at, const char* by = "alice") { return event::make(k, cst(at), by); }

kefu::ticket::calendar_resolver builtins() {
  return [](const std::string& n) { return kefu::calendar::builtin(n); };
}

std::string error_id(const std::function<void()>& f) {
  try {
    f();
  } catch (const kefu::error& e) {
    return e.id() + ": " + e.what();
  }
  return "no error";
}

}  // namespace

TEST(NamedClocks, TheShippedBookDeclaresTheHandbooksTimings) {
  const auto& book = shipped_policy()->clock_book();
  ASSERT_TRUE(book);
  std::vector<std::string> names;
  for (const auto& c : book->clocks) names.push_back(c.name + " " + std::to_string(c.within.amount));
  EXPECT_EQ(names, (std::vector<std::string>{"order_confirmation 600", "order_exception_contact 7200", "manual_review 7200",
                                             "pickup_arrangement 86400", "goods_receipt 172800", "refund_completion 259200",
                                             "live_seafood_handling 43200", "initial_assessment 86400",
                                             "result_feedback 86400", "return_exchange 3"}));
  EXPECT_EQ(book->milestones.size(), 11u);
  for (const auto& c : book->clocks) {
    EXPECT_NE(c.source.find("DOM-SLA-"), std::string::npos) << c.name;
    EXPECT_FALSE(c.description.zh.empty() || c.description.en.empty()) << c.name;
  }
  EXPECT_EQ(book->clock("return_exchange")->on->name(), "cn-mainland");
}

TEST(NamedClocks, LifecycleTriggersAreTheEventsPlusReceipt) {
  // rules::lifecycle_triggers is the rules layer's copy of the event names (rules cannot include the ticket
  // layer): this pins the two lists together.
  std::vector<std::string> expected{"receive"};
  for (std::size_t k = 0; k < event_kind_count; ++k) expected.emplace_back(to_string(static_cast<event_kind>(k)));
  EXPECT_EQ(std::vector<std::string>(std::begin(kefu::rules::lifecycle_triggers), std::end(kefu::rules::lifecycle_triggers)),
            expected);
}

TEST(NamedClocks, AnECommerceRefundAcrossTheSpringFestival) {
  // DOM-SLA-6 / 002 §3.3.1: manual review ≤ 2 h, pickup ≤ 24 h after approval, goods confirmed ≤ 48 h after they
  // were shipped back, refund ≤ 72 h; 001: assessment ≤ 24 h, feedback ≤ 24 h and return/exchange ≤ 3 working
  // days after handling.
  ticket t = open_ticket("ecommerce", "refund_request", "2026-02-13T10:00:00+08:00");
  EXPECT_EQ(named_sla(t, "2026-02-13T10:00"),
            "manual_review -\npickup_arrangement -\ngoods_receipt -\nrefund_completion -\n"
            "initial_assessment running 2026-02-14T10:00:00+08:00\nresult_feedback -\nreturn_exchange -\n");
  mark(t, "manual_review_requested", "2026-02-13T10:05");
  t.fire(event::triage(cst("2026-02-13T10:10"), "alice", *t.policy_tier()));
  mark(t, "refund_approved", "2026-02-13T11:30", "bob");
  t.fire(ev(event_kind::start, "2026-02-13T11:40"));
  mark(t, "pickup_arranged", "2026-02-14T09:00");
  mark(t, "goods_shipped_back", "2026-02-16T10:00", "customer");
  mark(t, "goods_received", "2026-02-19T08:00", "warehouse");  // after the 48 h: breached
  t.fire(ev(event_kind::resolve, "2026-02-19T09:00"));
  EXPECT_EQ(named_sla(t, "2026-02-19T09:00"),
            "manual_review met 2026-02-13T12:05:00+08:00\n"
            "pickup_arrangement met 2026-02-14T11:30:00+08:00\n"
            "goods_receipt breached 2026-02-18T10:00:00+08:00\n"
            "refund_completion running 2026-02-22T08:00:00+08:00\n"
            "initial_assessment met 2026-02-14T10:00:00+08:00\n"
            "result_feedback running 2026-02-20T09:00:00+08:00\n"
            // Resolved on Thursday 19 February, a day off: day 0; then 24, 25, 26 February → close of the 26th.
            "return_exchange running 2026-02-27T00:00:00+08:00\n");
  EXPECT_EQ(t.where(), progress::resolved);
  ASSERT_EQ(t.milestones().size(), 5u);
  EXPECT_EQ(t.milestones()[1].what.by, "bob");
  EXPECT_EQ(t.milestones()[1].after, 1u);  // after the triage record (the policy's tier for a refund: L2)
  EXPECT_EQ(t.milestones()[1].state, "triaged/L2");
  EXPECT_EQ(t.milestones()[4].state, "in_progress/L2");

  // DOM-ESC-4: refund_completion escalates on its breach (rules/clocks.yaml `escalate: true`), once.
  EXPECT_FALSE(t.tick(cst("2026-02-22T08:00")));  // due, not yet past
  EXPECT_TRUE(t.tick(cst("2026-02-22T09:00")));
  EXPECT_EQ(to_string(t.current()), "resolved/L3");
  EXPECT_EQ(t.history().back().what.note, "auto: refund_completion breached (due 2026-02-22T08:00:00+08:00)");
  EXPECT_EQ(t.history().back().what.by, "system");
  EXPECT_FALSE(t.tick(cst("2026-02-22T09:30")));  // the same breach escalates once
  // goods_receipt is breached too, but does not escalate (no `escalate: true`).
  mark(t, "refund_completed", "2026-02-22T10:00");
  mark(t, "result_fed_back", "2026-02-22T10:05");
  EXPECT_EQ(t.sla(cst("2026-02-23T00:00")).named[3].status->state, sla_state::breached);
  EXPECT_EQ(t.sla(cst("2026-02-23T00:00")).named[5].status->state, sla_state::breached);
  mark(t, "return_exchange_completed", "2026-02-26T18:00");
  EXPECT_EQ(t.sla(cst("2026-03-01T00:00")).named[6].status->state, sla_state::met);

  // Snapshots keep the book, the clocks and the milestones; restoring replays them to the same ticket, and
  // writes the same bytes.
  const std::string json = t.to_json();
  EXPECT_NE(json.find("\"named_clocks\":{\"book\":\"handbook-clocks\""), std::string::npos);
  EXPECT_NE(json.find("\n{\"at\":\"2026-02-13T03:30:00Z\",\"by\":\"bob\",\"milestone\":\"refund_approved\",\"note\":\"\","
                      "\"after\":1,\"state\":\"triaged/L2\"}"),
            std::string::npos);
  const ticket back = ticket::from_json(json, builtins());
  EXPECT_TRUE(back == t);
  EXPECT_EQ(back.to_json(), json);
  EXPECT_EQ(back.milestones(), t.milestones());
  const ticket by_plan = ticket::from_json(json, t.plan());
  EXPECT_TRUE(by_plan == t);
}

TEST(NamedClocks, PausedWhileWaitingOnTheCustomer) {
  // 003: live seafood dead on arrival, verified and handled within 12 h; paused while waiting on the customer.
  ticket t = open_ticket("fresh", "live_seafood_dead", "2026-05-01T20:00:00+08:00");
  ASSERT_EQ(t.sla(cst("2026-05-01T20:00")).named.size(), 3u);  // live seafood, assessment, feedback
  EXPECT_EQ(t.sla(cst("2026-05-01T20:00")).named[0].name, "live_seafood_handling");
  t.fire(event::triage(cst("2026-05-01T20:05"), "alice", *t.policy_tier()));
  t.fire(ev(event_kind::start, "2026-05-01T20:10"));
  t.fire(ev(event_kind::request_info, "2026-05-01T21:00"));  // 1 h used
  EXPECT_EQ(named_sla(t, "2026-05-02T09:00").substr(0, 58), "live_seafood_handling paused 2026-05-02T20:00:00+08:00\nini");
  t.fire(ev(event_kind::customer_reply, "2026-05-02T09:00", "customer"));
  EXPECT_EQ(cst_text(t.clock("live_seafood_handling")->due(cst("2026-05-02T09:00"))), "2026-05-02T20:00:00+08:00");
  // Breached at 20:00:01: the resolution clock (24 h from receipt) is not, so tick escalates on the named clock.
  EXPECT_TRUE(t.tick(cst("2026-05-02T20:30")));
  EXPECT_EQ(t.history().back().what.note, "auto: live_seafood_handling breached (due 2026-05-02T20:00:00+08:00)");
  t.fire(ev(event_kind::resolve, "2026-05-02T21:00"));
  EXPECT_EQ(t.sla(cst("2026-05-02T21:00")).named[0].status->state, sla_state::breached);
  EXPECT_EQ(t.sla(cst("2026-05-02T21:00")).named[2].status->state, sla_state::running);  // feedback from resolve
}

TEST(NamedClocks, PausesResumesAndStopsChangeTheClocksInPlace) {
  // A pause, resume or stop cannot fail once the clock has room, so fire() appends it where the clock is
  // instead of copying every named clock on every such event (a start, which can fail, works on a copy).
  ticket t = open_ticket("fresh", "live_seafood_dead", "2026-05-01T20:00:00+08:00");
  t.fire(event::triage(cst("2026-05-01T20:05"), "alice", *t.policy_tier()));
  t.fire(ev(event_kind::start, "2026-05-01T20:10"));
  const kefu::calendar::sla_clock* k = t.clock("live_seafood_handling");
  ASSERT_NE(k, nullptr);
  const auto* events = k->events().data();
  t.fire(ev(event_kind::request_info, "2026-05-01T21:00"));
  t.fire(ev(event_kind::customer_reply, "2026-05-02T09:00", "customer"));
  ASSERT_EQ(t.clock("live_seafood_handling"), k);
  EXPECT_EQ(k->events().data(), events);  // the same storage: nothing was copied
  ASSERT_EQ(k->events().size(), 3u);
  EXPECT_EQ(k->events()[1].kind, kefu::calendar::clock_event_kind::pause);
  EXPECT_EQ(k->events()[2].kind, kefu::calendar::clock_event_kind::resume);
  // A refused event changes none of them; the ticket equals itself rebuilt from its snapshot (which fires the
  // same events one by one).
  const ticket before = t;
  EXPECT_THROW(t.fire(ev(event_kind::close, "2026-05-02T10:00")), transition_error);
  EXPECT_TRUE(t == before);
  // resolve stops this clock and starts result_feedback: a start, so the clocks are rebuilt on a copy.
  t.fire(ev(event_kind::resolve, "2026-05-02T10:00"));
  EXPECT_EQ(t.clock("live_seafood_handling")->events().back().kind, kefu::calendar::clock_event_kind::stop);
  EXPECT_EQ(t.clock("result_feedback")->events().size(), 1u);
  EXPECT_TRUE(ticket::from_json(t.to_json(), builtins()) == t);
}

TEST(NamedClocks, AFactStartsTheOrderConfirmation) {
  // 002 §3.2.1: confirmation within 10 minutes of the order, which was placed before the complaint came in.
  ticket t = open_ticket("ecommerce", "order_query", "2026-02-13T10:00:00+08:00", "2026-02-13T09:58:00+08:00");
  const auto s = t.sla(cst("2026-02-13T10:09"));
  ASSERT_EQ(s.named[0].name, "order_confirmation");
  EXPECT_EQ(cst_text(s.named[0].status->due), "2026-02-13T10:08:00+08:00");
  EXPECT_EQ(s.named[0].status->state, sla_state::breached);
  EXPECT_FALSE(t.tick(cst("2026-02-13T10:09")));  // no escalate: true
  // Without the fact, nothing starts it (its only start is the fact).
  ticket u = open_ticket("ecommerce", "order_query", "2026-02-13T10:00:00+08:00");
  EXPECT_FALSE(u.sla(cst("2026-02-13T10:09")).named[0].status);
  // An order after the complaint was received cannot start it.
  EXPECT_EQ(error_id([] { open_ticket("ecommerce", "order_query", "2026-02-13T10:00:00+08:00", "2026-02-13T10:01:00+08:00"); }),
            "kefu.ticket.named_clock: named clock 'order_confirmation': its start (fact 'ordered_at', "
            "2026-02-13T10:01:00+08:00) is after the ticket's receipt (2026-02-13T10:00:00+08:00)");
  // A mall ticket has only the clocks for every business.
  ticket m = open_ticket("mall", "order_query", "2026-02-13T10:00:00+08:00");
  EXPECT_EQ(named_sla(m, "2026-02-13T10:00"),
            "initial_assessment running 2026-02-14T10:00:00+08:00\nresult_feedback -\n");
}

TEST(NamedClocks, BadMilestonesChangeNothing) {
  ticket t = open_ticket("ecommerce", "refund_request", "2026-02-13T10:00:00+08:00");
  t.fire(event::triage(cst("2026-02-13T10:10"), "alice", *t.policy_tier()));
  const ticket before = t;
  EXPECT_EQ(error_id([&] { mark(t, "refund_aproved", "2026-02-13T11:00"); }).substr(0, 130),
            "kefu.ticket.milestone: unknown milestone 'refund_aproved' (did you mean 'refund_approved'?); clock book 'handbook-clocks' "
            "declares");
  EXPECT_EQ(error_id([&] { mark(t, "refund_approved", "2026-02-13T10:00"); }),
            "kefu.ticket.milestone: milestone 'refund_approved' at 2026-02-13T02:00:00Z is before the ticket's last event "
            "at 2026-02-13T02:10:00Z");
  EXPECT_TRUE(t == before);
  // A milestone moves the last instant: an event may not go back before it.
  mark(t, "refund_approved", "2026-02-13T11:00");
  EXPECT_THROW(t.fire(ev(event_kind::start, "2026-02-13T10:30")), transition_error);
  // A ticket without a clock book has no milestones.
  ticket plain("P-1", default_plan(), cst("2026-02-13T10:00"));
  EXPECT_EQ(error_id([&] { mark(plain, "refund_approved", "2026-02-13T11:00"); }).substr(0, 70),
            "kefu.ticket.milestone: ticket 'P-1' has no named clocks, so no milesto");
  EXPECT_EQ(plain.to_json().find("named_clocks"), std::string::npos);  // old snapshots stay as they were
}

TEST(NamedClocks, LoaderErrorsNameFileLineColumnAndId) {
  scratch_dir dir;
  std::filesystem::copy(KEFU_TEST_RULES_DIR, dir.path, std::filesystem::copy_options::recursive);
  std::ifstream in(dir.path / "clocks.yaml");
  const std::string good((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto load_with = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    dir.write("clocks.yaml", text);
    return error_id([&] {
      kefu::rules::load_options o;
      o.run_rule_tests = false;
      kefu::rules::triage_policy::load_directory(dir.path.generic_string(), o);
    });
  };
  const std::string file = (dir.path / "clocks.yaml").generic_string();
  EXPECT_EQ(load_with("    stop: [pickup_arranged, cancel]", "    stop: [pickup_arange, cancel]"),
            "kefu.rules.clocks: " + file +
                ":79:12: clock 'pickup_arrangement': `stop` names 'pickup_arange', which is neither a lifecycle event nor "
                "a milestone of this document (did you mean 'pickup_arranged'?)");
  EXPECT_EQ(load_with("    categories: [order_query, abnormal_order]", "    categories: [order_qery, abnormal_order]"),
            "kefu.rules.clocks: " + file +
                ":57:18: clock 'order_confirmation': 'order_qery' is not a value of fact 'category' (did you mean "
                "'order_query'?)");
  EXPECT_EQ(load_with("    within: 3 workdays\n    calendar: cn-mainland\n", "    within: 3 workdays\n"),
            "kefu.rules.clocks: " + file +
                ":126:13: clock 'return_exchange': a business-hours or working-days target needs `calendar:` (e.g. "
                "cn-mainland, cn-office)");
  EXPECT_EQ(load_with("    start_fact: ordered_at", "    start_fact: orderd_at"),
            "kefu.rules.clocks: " + file +
                ":54:17: clock 'order_confirmation': `start_fact` names 'orderd_at', which is not a fact (did you mean "
                "'ordered_at'?)");
  EXPECT_EQ(load_with("    start_fact: ordered_at", "    start_fact: purchased_at"),
            "kefu.rules.clocks: " + file +
                ":54:17: clock 'order_confirmation': `start_fact` 'purchased_at' is a date fact; a clock starts at an "
                "instant (a datetime fact)");
  EXPECT_EQ(load_with("    within: 12h\n", "    within: twelve hours\n"),
            "kefu.rules.clocks: " + file +
                ":101:13: clock 'live_seafood_handling': bad duration 'twelve hours': expected a number followed by a "
                "unit, e.g. 24h, 4 business hours, 3 workdays");
  // Every milestone is used by a clock, so clocks cut off the end of the file are noticed.
  const std::string last = "  - name: return_exchange\n";
  EXPECT_EQ(load_with(good.substr(good.find(last)), "# yaml-language-server: $schema=../docs/schema/clocks.schema.json\n"),
            "kefu.rules.clocks: " + file +
                ":45:11: milestone 'return_exchange_completed' is used by no clock (in a start, pause, resume or stop): "
                "use it or remove it");
  EXPECT_EQ(load_with("    resume: [customer_reply]\n", ""),
            "kefu.rules.clocks: " + file +
                ":103:12: clock 'live_seafood_handling': `pause` and `resume` come together (a paused clock needs a way "
                "to run again)");
}

TEST(NamedClocks, RandomTicketsKeepTheirPromises) {
  // Property (DOM-SLA-10): for random tickets of every business and category with random events and
  // milestones, a named clock's due never precedes its start; pausing never makes it earlier than the same
  // clock without pauses; a snapshot restores to the same ticket and the same bytes.
  const auto& policy = *shipped_policy();
  const auto& businesses = policy.facts()[policy.fact_slot("business")].values;
  const auto& categories = policy.facts()[policy.fact_slot("category")].values;
  const auto& milestones = policy.clock_book()->milestones;
  std::mt19937 rng(20261202);
  std::size_t checked = 0;
  for (int n = 0; n < 300; ++n) {
    const std::string b = businesses[rng() % businesses.size()];
    const std::string c = categories[rng() % categories.size()];
    ticket t = open_ticket(b.c_str(), c.c_str(), "2026-09-28T10:00:00+08:00",
                      rng() % 2 ? "2026-09-28T09:50:00+08:00" : nullptr);
    kefu::instant at = cst("2026-09-28T10:00");
    for (int k = 0; k < 14; ++k) {
      at = at + kefu::seconds(static_cast<std::int64_t>(rng() % (20 * 3600)));
      if (rng() % 2) {
        t.mark(milestone::make(milestones[rng() % milestones.size()].name, at, "m"));
      } else {
        const auto allowed = t.allowed_events(at);
        if (allowed.empty()) continue;
        const event_kind kind = allowed[rng() % allowed.size()];
        event e = event::make(kind, at, "e");
        if (kind == event_kind::triage) e.to = *t.policy_tier();
        if (kind == event_kind::track_improvement) e.note = "systemic cause";  // refused without one (DOM-LC-1)
        t.fire(e);
      }
      for (const auto& s : t.sla(at).named) {
        const auto* k = t.clock(s.name);
        ASSERT_EQ(bool(k), bool(s.status));
        if (!k) continue;
        const kefu::instant start = k->events().front().at;
        EXPECT_LE(start, s.status->due) << s.name;
        kefu::calendar::sla_clock unpaused(k->calendar_ptr(), k->target(), k->warning());
        unpaused.start(start);
        EXPECT_LE(unpaused.due(at), s.status->due) << s.name;
        ++checked;
      }
    }
    const std::string json = t.to_json();
    const ticket back = ticket::from_json(json, builtins());
    ASSERT_TRUE(back == t) << json;
    ASSERT_EQ(back.to_json(), json);
  }
  EXPECT_GT(checked, 3000u);
}

TEST(NamedClocks, BatchReplayRecordsMilestones) {
  // kefu::ticket::replay (what kefu.replay does): milestone rows beside event rows, in time order per ticket;
  // by columns (no triage results asked for) and one by one, the same tickets as opening and marking each.
  const auto& policy = *shipped_policy();
  std::vector<kefu::rules::record> facts;
  for (const char* id : {"R-1", "R-2"}) {
    facts.push_back(facts_of("ecommerce", "refund_request", "2026-02-13T10:00:00+08:00"));
    policy.set_fact(facts.back(), "ticket_id", id);
  }
  event_log log;
  log.add("R-2", cst("2026-02-13T10:10"), event_kind::triage, "alice");
  log.add_milestone("R-1", cst("2026-02-13T11:30"), "refund_approved", "bob", "auto review");
  log.add("R-1", cst("2026-02-13T10:10"), event_kind::triage, "alice");
  log.add_milestone("R-1", cst("2026-02-14T09:00"), "pickup_arranged", "carol");
  std::vector<kefu::rules::triage_result> triaged;
  for (const bool by_columns : {true, false}) {
    const auto got = by_columns ? replay(policy, facts, log) : replay(policy, facts, log, {}, &triaged);
    ASSERT_EQ(got.size(), 2u);
    ticket expected = open(policy, facts[0]);
    expected.fire(event::triage(cst("2026-02-13T10:10"), "alice", *expected.policy_tier()));
    expected.mark(milestone::make("refund_approved", cst("2026-02-13T11:30"), "bob", "auto review"));
    expected.mark(milestone::make("pickup_arranged", cst("2026-02-14T09:00"), "carol"));
    EXPECT_TRUE(got[0] == expected) << got[0].to_json();
    EXPECT_EQ(got[0].sla(cst("2026-02-14T09:00")).named[1].status->state, sla_state::met);  // pickup_arrangement
    EXPECT_TRUE(got[1].milestones().empty());
  }
  event_log bad = log;
  bad.add_milestone("R-2", cst("2026-02-13T12:00"), "goods_recieved", "dave");
  EXPECT_EQ(error_id([&] { replay(policy, facts, bad); }).substr(0, 102),
            "kefu.ticket.milestone: unknown milestone 'goods_recieved' (did you mean 'goods_received'?); clock book");
  EXPECT_NE(error_id([&] { replay(policy, facts, bad); }).find("(ticket 'R-2', events row 4)"), std::string::npos);
  event_log extra = log;
  extra.add_milestone("R-2", cst("2026-02-13T12:00"), "goods_received", "dave");
  extra.tiers.resize(extra.size());
  extra.tiers.back() = tier::L2;
  EXPECT_EQ(error_id([&] { replay(policy, facts, extra); }),
            "kefu.ticket.replay: events row 4: milestone 'goods_received' takes no tier, satisfied or reason");
}

TEST(NamedClocks, ReturnExchangeCountsTheMakeUpSaturday) {
  // 001: return/exchange within 3 working days of handling, on cn-mainland. Resolved on Friday 13 February
  // 2026 (day 0): Saturday 14 February is a make-up working day (调休) = 1, then the Spring Festival days off,
  // Tuesday 24 = 2, Wednesday 25 = 3 → the close of the 25th.
  ticket t = open_ticket("mall", "quality_defect", "2026-02-13T09:00:00+08:00");
  t.fire(event::triage(cst("2026-02-13T09:05"), "alice", *t.policy_tier()));
  t.fire(ev(event_kind::start, "2026-02-13T09:30"));
  t.fire(ev(event_kind::resolve, "2026-02-13T16:00"));
  EXPECT_EQ(cst_text(t.clock("return_exchange")->due(cst("2026-02-13T16:00"))), "2026-02-26T00:00:00+08:00");
  EXPECT_EQ(cst_text(t.clock("result_feedback")->due(cst("2026-02-13T16:00"))), "2026-02-14T16:00:00+08:00");
  // Completed on the Saturday make-up day: met.
  mark(t, "return_exchange_completed", "2026-02-14T11:00");
  EXPECT_EQ(t.sla(cst("2026-02-20T00:00")).named.back().status->state, sla_state::met);
}
