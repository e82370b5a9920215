// Upward reporting (DOM-LC-8, DOM-ESC-4: 000 §9.1.2.2 一级上报 → 二级上报), follow-ups after every e-commerce
// complaint (DOM-LC-1, 002 §3.3.3) and improvement tracking (DOM-LC-1, 001 §6.3).
#include <kefu/calendar/load.hpp>
#include <kefu/ticket/from_triage.hpp>
#include <kefu/ticket/open.hpp>
#include <kefu/ticket/replay.hpp>
#include <kefu/ticket/ticket.hpp>

#include "calendar_test_support.hpp"
#include "policy_test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

using namespace kefu_test;
using namespace kefu::ticket;
using kefu::calendar::sla_state;

namespace {

event ev(event_kind k, const char* at, const char* by = "alice", const char* note = "") {
  return event::make(k, cst(at), by, note);
}

// What firing `e` is refused with: the shared helpers of calendar_test_support.hpp ("no error" when accepted).
std::string rejection(ticket& t, const event& e) { return error_of([&] { t.fire(e); }); }
std::string rejection_id(ticket& t, const event& e) { return id_of([&] { t.fire(e); }); }

std::string trail(const ticket& t, std::size_t from = 0) {
  std::string out;
  for (std::size_t i = from; i < t.history().size(); ++i) {
    const auto& r = t.history()[i];
    out += cst_text(r.what.at) + " " + std::string(r.what.by) + " " + to_string(r.what.kind) + " " +
           to_string(r.from) + " -> " + to_string(r.to) +
           (r.what.note.empty() ? "" : " (" + std::string(r.what.note) + ")") + "\n";
  }
  return out;
}

/// default_plan() where the level-1 report is required (critical risk), due 2 h after receipt, and the level-2
/// report is due 1 working day (cn-mainland) after the level-1 report.
ticket_plan reporting_plan() {
  ticket_plan p = default_plan();
  p.reports.level_1_required = true;
  p.reports.level_1 = sla_target{kefu::calendar::duration::wall_seconds(2 * 3600), kefu::calendar::builtin("always")};
  p.reports.level_2 = sla_target{kefu::calendar::duration::working_days(1), kefu::calendar::builtin("cn-mainland")};
  return p;
}

}  // namespace

TEST(TicketReports, LevelTwoOnlyAfterLevelOneEachOnceAuditedWithoutChangingState) {
  ticket t("R-1", default_plan(), cst("2026-03-02T09:00"), "intake");
  t.fire(event::triage(cst("2026-03-02T09:05"), "alice", tier::L2));
  const ticket before = t;
  EXPECT_EQ(rejection(t, ev(event_kind::report_level_2, "2026-03-02T09:10")),
            "cannot report_level_2 a ticket in state triaged/L2: the level-2 report comes only after the level-1 report "
            "(000 §9.1.2.2: 一级上报未能解决问题时，再上报二级); fire report_level_1 first / 须先完成一级上报");
  EXPECT_TRUE(t == before);
  t.fire(ev(event_kind::report_level_1, "2026-03-02T09:10", "bob", "项目管理层已知悉"));
  EXPECT_EQ(to_string(t.current()), "triaged/L2");
  EXPECT_EQ(t.flags().reported, 1);
  EXPECT_EQ(rejection(t, ev(event_kind::report_level_1, "2026-03-02T09:20")),
            "cannot report_level_1 a ticket in state triaged/L2: the level-1 report (一级上报) is already made");
  t.fire(ev(event_kind::report_level_2, "2026-03-02T15:00", "bob", "regional director"));
  EXPECT_EQ(t.flags().reported, 2);
  EXPECT_EQ(rejection(t, ev(event_kind::report_level_2, "2026-03-02T15:10")),
            "cannot report_level_2 a ticket in state triaged/L2: the level-2 report (二级上报) is already made");
  EXPECT_EQ(trail(t, 1),
            "2026-03-02T09:10:00+08:00 bob report_level_1 triaged/L2 -> triaged/L2 (项目管理层已知悉)\n"
            "2026-03-02T15:00:00+08:00 bob report_level_2 triaged/L2 -> triaged/L2 (regional director)\n");
  // The default plan gives the reports no deadline (000 gives none): no report clock.
  EXPECT_FALSE(t.sla(cst("2026-03-02T15:00")).reports[0].has_value());
  EXPECT_EQ(t.clock(report_level::level_2), nullptr);
  // A cancelled ticket reports nothing.
  ticket c("R-2", default_plan(), cst("2026-03-02T09:00"));
  c.fire(ev(event_kind::cancel, "2026-03-02T09:01"));
  EXPECT_EQ(rejection(c, ev(event_kind::report_level_1, "2026-03-02T09:02")),
            "cannot report_level_1 a ticket in state cancelled/L1: event not allowed in state cancelled");
}

TEST(TicketReports, ACriticalTicketDoesNotCloseWithoutItsLevelOneReport) {
  ticket_plan plan = default_plan();
  plan.reports.level_1_required = true;
  ticket t("R-3", plan, cst("2026-03-02T09:00"));
  t.fire(event::triage(cst("2026-03-02T09:05"), "alice", tier::L1));
  t.fire(ev(event_kind::resolve, "2026-03-02T10:00"));
  const ticket before = t;
  EXPECT_EQ(rejection(t, ev(event_kind::close, "2026-03-02T10:30")),
            "cannot close a ticket in state resolved/L1: this ticket needs its level-1 upward report (一级上报, DOM-LC-8; "
            "its policy requires one, as for critical risk) before it is closed: fire report_level_1 first / "
            "本工单须先完成一级上报才能结案");
  EXPECT_EQ(rejection_id(t, ev(event_kind::close, "2026-03-02T10:30")), "kefu.ticket.upward_report");
  EXPECT_TRUE(t == before);
  EXPECT_FALSE(t.can_fire(ev(event_kind::close, "2026-03-02T10:30")));
  const auto allowed = t.allowed_events(cst("2026-03-02T10:30"));
  EXPECT_EQ(std::count(allowed.begin(), allowed.end(), event_kind::close), 0);
  EXPECT_EQ(std::count(allowed.begin(), allowed.end(), event_kind::report_level_1), 1);
  t.fire(ev(event_kind::report_level_1, "2026-03-02T10:40", "bob"));
  t.fire(ev(event_kind::close, "2026-03-02T10:50"));
  EXPECT_EQ(to_string(t.current()), "closed/L1");
  // Other guards first: an L2 critical ticket names the follow-up it lacks (id kefu.ticket.transition).
  ticket u("R-4", plan, cst("2026-03-02T09:00"));
  u.fire(event::triage(cst("2026-03-02T09:05"), "alice", tier::L2));
  u.fire(ev(event_kind::resolve, "2026-03-02T10:00"));
  EXPECT_EQ(rejection_id(u, ev(event_kind::close, "2026-03-02T10:30")), "kefu.ticket.transition");
  u.fire(event::follow_up(cst("2026-03-03T10:00"), "carol", true));
  EXPECT_EQ(rejection_id(u, ev(event_kind::close, "2026-03-03T10:30")), "kefu.ticket.upward_report");
}

TEST(TicketReports, ReportDeadlinesShowInSlaWithBreaches) {
  // Friday 2026-02-13 10:00, before the Spring Festival (Saturday 14 Feb is a make-up working day).
  ticket t("R-5", reporting_plan(), cst("2026-02-13T10:00"));
  auto s = t.sla(cst("2026-02-13T11:00"));
  ASSERT_TRUE(s[report_level::level_1]);
  EXPECT_EQ(cst_text(s[report_level::level_1]->due), "2026-02-13T12:00:00+08:00");
  EXPECT_EQ(s[report_level::level_1]->state, sla_state::running);
  EXPECT_FALSE(s[report_level::level_2]);  // runs from the level-1 report
  EXPECT_EQ(t.sla(cst("2026-02-13T12:00:01"))[report_level::level_1]->state, sla_state::breached);
  EXPECT_TRUE(t.sla(cst("2026-02-13T12:00:01")).any_breached());
  t.fire(event::triage(cst("2026-02-13T10:05"), "alice", tier::L1));
  t.fire(ev(event_kind::start, "2026-02-13T10:10"));
  t.fire(ev(event_kind::report_level_1, "2026-02-13T11:30", "bob"));
  s = t.sla(cst("2026-02-13T11:30"));
  EXPECT_EQ(s[report_level::level_1]->state, sla_state::met);
  ASSERT_TRUE(s[report_level::level_2]);
  // 1 working day from Friday 11:30: the close of Saturday 14 Feb (调休 working day), 24:00 local.
  EXPECT_EQ(cst_text(s[report_level::level_2]->due), "2026-02-15T00:00:00+08:00");
  EXPECT_EQ(s[report_level::level_2]->state, sla_state::running);
  // Resolving without the level-2 report: the level-1 report helped, no level-2 report is due any more.
  t.fire(ev(event_kind::resolve, "2026-02-13T16:00"));
  EXPECT_EQ(t.sla(cst("2026-02-20T00:00"))[report_level::level_2]->state, sla_state::met);
  EXPECT_FALSE(t.sla(cst("2026-02-20T00:00")).any_breached());
  // Cancelling stops a report clock too.
  ticket c("R-6", reporting_plan(), cst("2026-02-13T10:00"));
  c.fire(ev(event_kind::cancel, "2026-02-13T10:30"));
  EXPECT_EQ(c.sla(cst("2026-02-14T10:00"))[report_level::level_1]->state, sla_state::met);
}

TEST(TicketReports, TickEscalatesAndReportsLevelOneThenLevelTwoOnAFurtherBreach) {
  ticket t("R-7", default_plan(), cst("2026-03-02T09:00"));
  t.fire(event::triage(cst("2026-03-02T09:05"), "a", tier::L1));
  EXPECT_FALSE(t.tick(cst("2026-03-02T10:00")));
  EXPECT_TRUE(t.tick(cst("2026-03-02T10:00:01")));
  EXPECT_TRUE(t.tick(cst("2026-03-02T11:00:01")));  // L2's 2 h first response breached too
  EXPECT_EQ(trail(t, 1),
            "2026-03-02T10:00:01+08:00 system escalate triaged/L1 -> triaged/L2 (auto: first_response breached (due "
            "2026-03-02T10:00:00+08:00))\n"
            "2026-03-02T10:00:01+08:00 system report_level_1 triaged/L2 -> triaged/L2 (auto: first_response breached (due "
            "2026-03-02T10:00:00+08:00))\n"
            "2026-03-02T11:00:01+08:00 system escalate triaged/L2 -> triaged/L3 (auto: first_response breached (due "
            "2026-03-02T11:00:00+08:00))\n"
            "2026-03-02T11:00:01+08:00 system report_level_2 triaged/L3 -> triaged/L3 (auto: first_response breached (due "
            "2026-03-02T11:00:00+08:00))\n");
  EXPECT_EQ(t.flags().reported, 2);
  EXPECT_FALSE(t.tick(cst("2026-03-20T11:00")));  // L3 and both reports made: nothing left to do
}

TEST(TicketReports, AtL3ABreachReportsLevelOneAndOnlyAFurtherBreachLevelTwo) {
  ticket t("R-8", default_plan(), cst("2026-03-02T09:00"));
  t.fire(event::triage(cst("2026-03-02T09:05"), "a", tier::L3));
  // L3: first response 24 h; resolution 7 workdays on cn-mainland → close of Wednesday 11 March.
  EXPECT_TRUE(t.tick(cst("2026-03-03T09:00:01")));
  EXPECT_EQ(to_string(t.current()), "triaged/L3");
  EXPECT_EQ(t.history().back().what.kind, event_kind::report_level_1);
  EXPECT_EQ(t.history().back().what.note, "auto: first_response breached (due 2026-03-03T09:00:00+08:00)");
  EXPECT_FALSE(t.tick(cst("2026-03-05T09:00")));  // the same breach: already reported
  t.fire(ev(event_kind::start, "2026-03-05T10:00"));
  EXPECT_FALSE(t.tick(cst("2026-03-12T00:00")));
  EXPECT_TRUE(t.tick(cst("2026-03-12T00:00:01")));  // a further breach, after the level-1 report
  EXPECT_EQ(t.history().back().what.kind, event_kind::report_level_2);
  EXPECT_EQ(t.history().back().what.note, "auto: resolution breached (due 2026-03-12T00:00:00+08:00)");
  EXPECT_FALSE(t.tick(cst("2026-03-13T00:00")));
}

TEST(TicketReports, AnOverdueLevelOneReportIsABreachThatTickEscalatesAndReports) {
  ticket t("R-9", reporting_plan(), cst("2026-03-02T09:00"));
  t.fire(event::triage(cst("2026-03-02T09:05"), "a", tier::L1));
  t.fire(ev(event_kind::start, "2026-03-02T09:10"));
  EXPECT_FALSE(t.tick(cst("2026-03-02T11:00")));
  EXPECT_TRUE(t.tick(cst("2026-03-02T11:00:01")));
  EXPECT_EQ(trail(t, 2),
            "2026-03-02T11:00:01+08:00 system escalate in_progress/L1 -> in_progress/L2 (auto: report_level_1 breached "
            "(due 2026-03-02T11:00:00+08:00))\n"
            "2026-03-02T11:00:01+08:00 system report_level_1 in_progress/L2 -> in_progress/L2 (auto: report_level_1 "
            "breached (due 2026-03-02T11:00:00+08:00))\n");
  // The report stops its clock (as met late: breached) and starts the level-2 one.
  EXPECT_EQ(t.sla(cst("2026-03-02T12:00"))[report_level::level_1]->state, sla_state::breached);
  EXPECT_EQ(cst_text(t.sla(cst("2026-03-02T12:00"))[report_level::level_2]->due), "2026-03-04T00:00:00+08:00");
}

TEST(TicketImprovement, TrackedAfterResolutionWithItsCauseAudited) {
  ticket t("I-1", default_plan(), cst("2026-03-02T09:00"));
  t.fire(event::triage(cst("2026-03-02T09:05"), "a", tier::L1));
  EXPECT_EQ(rejection(t, ev(event_kind::track_improvement, "2026-03-02T09:10", "a", "cause")),
            "cannot track_improvement a ticket in state triaged/L1: an improvement item is tracked once the ticket is "
            "resolved or closed (DOM-LC-1: 处理 → 回访 → 闭环 → 改进跟踪) / 改进跟踪须在处理完成之后");
  t.fire(ev(event_kind::resolve, "2026-03-02T10:00"));
  const ticket before = t;
  EXPECT_EQ(rejection(t, ev(event_kind::track_improvement, "2026-03-02T10:10", "a", " ")),
            "cannot track_improvement a ticket in state resolved/L1: track_improvement needs the systemic cause in its "
            "note (DOM-LC-1) / 改进项须在备注中写明系统性原因");
  EXPECT_TRUE(t == before);
  t.fire(ev(event_kind::track_improvement, "2026-03-02T10:10", "qc-lead", "冷链交接无温度记录"));
  t.fire(ev(event_kind::close, "2026-03-02T10:20"));
  t.fire(ev(event_kind::track_improvement, "2026-03-03T09:00", "qc-lead", "拣货单缺少保质期校验"));
  EXPECT_EQ(to_string(t.current()), "closed/L1");
  EXPECT_EQ(t.flags().improvements, 2u);
  EXPECT_EQ(trail(t, 2),
            "2026-03-02T10:10:00+08:00 qc-lead track_improvement resolved/L1 -> resolved/L1 (冷链交接无温度记录)\n"
            "2026-03-02T10:20:00+08:00 alice close resolved/L1 -> closed/L1\n"
            "2026-03-03T09:00:00+08:00 qc-lead track_improvement closed/L1 -> closed/L1 (拣货单缺少保质期校验)\n");
  // The reopen window still counts from the close.
  EXPECT_EQ(*t.flags().closed_at, cst("2026-03-02T10:20"));
}

TEST(TicketReports, SnapshotsKeepReportsClocksAndImprovements) {
  ticket t("S-1", reporting_plan(), cst("2026-02-13T10:00"));
  t.fire(event::triage(cst("2026-02-13T10:05"), "alice", tier::L1));
  t.fire(ev(event_kind::report_level_1, "2026-02-13T11:30", "bob"));
  t.fire(ev(event_kind::resolve, "2026-02-13T16:00"));
  t.fire(ev(event_kind::track_improvement, "2026-02-13T16:10", "qc", "cause"));
  const std::string json = t.to_json();
  EXPECT_NE(json.find("\"reports\":{\"level_1_required\":true,\"level_1\":{\"clock\":\"wall\",\"amount\":7200,"
                      "\"calendar\":\"always\",\"warning\":{\"fraction\":\"0.8\"}},\"level_2\":{\"clock\":\"workdays\","
                      "\"amount\":1,\"calendar\":\"cn-mainland\",\"warning\":{\"fraction\":\"0.8\"}}}"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"closed_at\":null,\"reported\":1,\"improvements\":1}"), std::string::npos) << json;
  EXPECT_NE(json.find("\"report_level_1\":{\"clock\":\"wall\",\"amount\":7200,\"calendar\":\"always\",\"events\":["
                      "{\"kind\":\"start\",\"at\":\"2026-02-13T02:00:00Z\"},{\"kind\":\"stop\",\"at\":\"2026-02-13T03:30:00Z\"}]}"),
            std::string::npos)
      << json;
  const ticket back = ticket::from_json(json, reporting_plan());
  EXPECT_TRUE(back == t);
  EXPECT_EQ(back.to_json(), json);
  EXPECT_TRUE(ticket::from_json(json, [](const std::string& n) { return kefu::calendar::builtin(n); }) == t);
  // Under a plan without the report terms the snapshot is refused, naming the difference.
  EXPECT_EQ(error_of([&] { ticket::from_json(json, default_plan()); }).find("reports level_1_required: true vs false") !=
                std::string::npos,
            true);
  // A snapshot whose flags say otherwise than its history is refused.
  std::string wrong = json;
  wrong.replace(wrong.find("\"improvements\":1"), 16, "\"improvements\":2");
  EXPECT_NE(error_of([&] { ticket::from_json(wrong, reporting_plan()); }).find("snapshot.flags: do not match"),
            std::string::npos);
  // A plan without report terms writes no `reports` key, flags without reports no `reported`.
  ticket plain("S-2", default_plan(), cst("2026-02-13T10:00"));
  EXPECT_EQ(plain.to_json().find("reports"), std::string::npos);
  EXPECT_EQ(plain.to_json().find("reported"), std::string::npos);
}

TEST(TicketReports, ThePolicyRequiresTheLevelOneReportForCriticalRiskAndTheFollowUpForEveryComplaint) {
  const auto policy = shipped_policy();
  auto facts = policy->make_facts();
  policy->set_fact(facts, "business", "ecommerce");
  policy->set_fact(facts, "channel", "online");
  policy->set_fact(facts, "category", "safety_injury");
  policy->set_fact(facts, "received_at", "2026-03-02T09:00:00+08:00");
  const auto r = policy->triage(facts);
  ASSERT_EQ(r.risk.level, "critical");
  const ticket_plan plan = plan_for(*policy, facts, &r);
  EXPECT_TRUE(plan.reports.level_1_required);
  EXPECT_FALSE(plan.reports.level_1);  // the catalogue gives report_level_1 no `within`: 000 gives no time limit
  EXPECT_FALSE(plan.reports.level_2);
  // An e-commerce complaint needs its follow-up (回访) within 3 working days at every tier (002 §3.3.3).
  for (const tier l : {tier::L1, tier::L2, tier::L3}) {
    EXPECT_TRUE(plan.of(l).follow_up_required) << to_string(l);
    EXPECT_EQ(kefu::calendar::to_string(plan.of(l).follow_up->within), "3 workdays");
  }
  ticket t = open(*policy, facts, std::nullopt, "C-1", "intake");
  t.fire(event::triage(cst("2026-03-02T09:05"), "alice", tier_named(r.tier)));
  t.fire(ev(event_kind::resolve, "2026-03-02T12:00"));
  t.fire(event::follow_up(cst("2026-03-03T10:00"), "carol", true));
  if (plan.of(t.level()).report_required) t.fire(ev(event_kind::attach_report, "2026-03-03T11:00"));
  EXPECT_EQ(rejection_id(t, ev(event_kind::close, "2026-03-03T12:00")), "kefu.ticket.upward_report");
  t.fire(ev(event_kind::report_level_1, "2026-03-03T12:00", "bob"));
  t.fire(ev(event_kind::close, "2026-03-03T12:10"));
  EXPECT_EQ(t.where(), progress::closed);

  // A mall consultation of normal risk: no upward report, no follow-up at L1.
  auto calm = policy->make_facts();
  policy->set_fact(calm, "business", "mall");
  policy->set_fact(calm, "channel", "phone");
  policy->set_fact(calm, "category", "consultation");
  policy->set_fact(calm, "received_at", "2026-03-02T09:00:00+08:00");
  const ticket_plan quiet = plan_for(*policy, calm);
  EXPECT_TRUE(quiet.reports.empty());
  EXPECT_FALSE(quiet.of(tier::L1).follow_up_required);
  // An e-commerce complaint at L1 (a delayed parcel): the call-back is due 3 working days after the resolution.
  auto refund = policy->make_facts();
  policy->set_fact(refund, "business", "ecommerce");
  policy->set_fact(refund, "channel", "online");
  policy->set_fact(refund, "category", "logistics_delay");
  policy->set_fact(refund, "received_at", "2026-03-02T09:00:00+08:00");
  const auto rr = policy->triage(refund);
  ASSERT_EQ(rr.tier, "L1");
  ASSERT_TRUE(rr.follow_up_required);
  ticket f = open(*policy, refund, std::nullopt, "C-2");
  f.fire(event::triage(cst("2026-03-02T09:05"), "alice", tier::L1));
  f.fire(ev(event_kind::resolve, "2026-03-02T10:00"));  // Monday: the follow-up is due by the close of Thursday
  EXPECT_EQ(cst_text(f.sla(cst("2026-03-02T10:00"))[clock_name::follow_up]->due), "2026-03-06T00:00:00+08:00");
  EXPECT_EQ(rejection(f, ev(event_kind::close, "2026-03-02T10:30")),
            "cannot close a ticket in state resolved/L1: an L1 ticket needs a satisfied follow-up before it is closed");
}

TEST(TicketReports, ACatalogueWithinGivesTheReportsTheirDeadlinesInOpenAndReplayAlike) {
  scratch_dir dir;
  std::filesystem::copy(KEFU_TEST_RULES_DIR, dir.path / "rules", std::filesystem::copy_options::recursive);
  const auto actions = dir.path / "rules" / "actions.yaml";
  std::stringstream text;
  text << std::ifstream(actions).rdbuf();
  std::string yaml = text.str();
  yaml.replace(yaml.find("report_level_1, delist_and_qc_test"), 34, "report_level_1, report_level_2, delist_and_qc_test");
  const std::string anchor = "description: \"一级上报，告知项目管理层 (level-1 report to project management)\"}";
  const auto at = yaml.find(anchor);
  ASSERT_NE(at, std::string::npos);
  yaml.replace(at, anchor.size(),
               "within: 2h, description: \"一级上报\"}\n"
               "  - id: ACT-REPORT-LEVEL-2\n    source: DOM-LC-8\n    when: action == report_level_2\n"
               "    then: {owners: [supervisor], within: 1 workdays, description: \"二级上报\"}");
  std::ofstream(actions) << yaml;
  kefu::rules::load_options options;
  options.run_rule_tests = false;
  const auto policy = kefu::rules::triage_policy::load_directory((dir.path / "rules").string(), options);
  auto facts = policy->make_facts();
  policy->set_fact(facts, "business", "fresh");
  policy->set_fact(facts, "channel", "phone");
  policy->set_fact(facts, "category", "safety_injury");
  policy->set_fact(facts, "received_at", "2026-02-13T10:00:00+08:00");
  ticket t = open(*policy, facts, std::nullopt, "D-1");
  ASSERT_TRUE(t.plan().reports.level_1);
  EXPECT_EQ(cst_text(t.sla(cst("2026-02-13T10:00"))[report_level::level_1]->due), "2026-02-13T12:00:00+08:00");
  ASSERT_TRUE(t.plan().reports.level_2);
  EXPECT_EQ(kefu::calendar::to_string(t.plan().reports.level_2->within), "1 workday");
  // The batch replay builds the same plan from columns.
  event_log log;
  log.add("D-1", cst("2026-02-13T10:05"), event_kind::triage, "alice");
  log.add("D-1", cst("2026-02-13T11:00"), event_kind::report_level_1, "bob");
  std::vector<kefu::rules::record> rows;
  rows.push_back(policy->make_facts());
  policy->set_fact(rows.back(), "ticket_id", "D-1");
  policy->set_fact(rows.back(), "business", "fresh");
  policy->set_fact(rows.back(), "channel", "phone");
  policy->set_fact(rows.back(), "category", "safety_injury");
  policy->set_fact(rows.back(), "received_at", "2026-02-13T10:00:00+08:00");
  const std::vector<ticket> replayed = replay(*policy, rows, log);
  ASSERT_EQ(replayed.size(), 1u);
  EXPECT_TRUE(replayed[0].plan() == t.plan()) << plan_difference(replayed[0].plan(), t.plan());
  EXPECT_EQ(replayed[0].flags().reported, 1);
  EXPECT_EQ(replayed[0].sla(cst("2026-02-13T11:00"))[report_level::level_1]->state, sla_state::met);
}

TEST(TicketReports, RandomWalksNeverCloseACriticalTicketWithoutItsReportAndSnapshotsRoundTrip) {
  std::mt19937_64 rng(20261202);
  const ticket_plan plans[] = {default_plan(), reporting_plan()};
  for (int run = 0; run < 80; ++run) {
    const ticket_plan& plan = plans[run % 2];
    ticket t("W-" + std::to_string(run), plan, cst("2026-02-10T09:00"));
    kefu::instant now = cst("2026-02-10T09:00");
    for (int step = 0; step < 40; ++step) {
      now += kefu::seconds(std::uniform_int_distribution<int>(0, 12 * 3600)(rng));
      if (now > cst("2026-12-01T00:00")) break;
      event e = event::make(static_cast<event_kind>(std::uniform_int_distribution<int>(0, event_kind_count - 1)(rng)),
                            now, "op");
      e.to = static_cast<tier>(std::uniform_int_distribution<int>(0, 2)(rng));
      e.satisfied = std::uniform_int_distribution<int>(0, 1)(rng) == 1;
      if (std::uniform_int_distribution<int>(0, 3)(rng) != 0) e.note = "cause " + std::to_string(step);
      const ticket before = t;
      bool accepted = true;
      if (std::uniform_int_distribution<int>(0, 3)(rng) == 0) {
        accepted = t.tick(now);
        if (accepted) {  // an escalation and/or the report that goes with it, by the system
          const std::size_t added = t.history().size() - before.history().size();
          ASSERT_TRUE(added == 1 || added == 2);
          const auto& last = t.history().back().what;
          EXPECT_EQ(last.by, "system");
          EXPECT_TRUE(last.kind == event_kind::escalate || last.kind == event_kind::report_level_1 ||
                      last.kind == event_kind::report_level_2);
        }
      } else {
        const bool predicted = t.can_fire(e);
        try {
          t.fire(e);
        } catch (const transition_error&) {
          accepted = false;
        }
        EXPECT_EQ(accepted, predicted);
        if (accepted) {
          EXPECT_EQ(t.history().size(), before.history().size() + 1);
        }
      }
      if (!accepted) {
        EXPECT_TRUE(t == before);
        continue;
      }
      // Level 2 never before level 1; a ticket that needs its level-1 report never closes without it.
      int first = -1, second = -1;
      for (std::size_t i = 0; i < t.history().size(); ++i) {
        if (t.history()[i].what.kind == event_kind::report_level_1) first = static_cast<int>(i);
        if (t.history()[i].what.kind == event_kind::report_level_2) second = static_cast<int>(i);
      }
      if (second >= 0) {
        EXPECT_LT(first, second);
      }
      EXPECT_EQ(t.flags().reported, (first >= 0 ? 1 : 0) + (second >= 0 ? 1 : 0));
      if (t.where() == progress::closed && plan.reports.level_1_required) {
        EXPECT_GE(first, 0);
      }
      std::uint32_t improvements = 0;
      for (const auto& r : t.history()) improvements += r.what.kind == event_kind::track_improvement;
      EXPECT_EQ(t.flags().improvements, improvements);
      const ticket restored = ticket::from_json(t.to_json(), plan);
      ASSERT_TRUE(restored == t) << t.to_json();
      ASSERT_EQ(restored.to_json(), t.to_json());
    }
  }
}
