// Tickets whose snapshots are pinned byte for byte in test_ticket_snapshot.cpp (the literals there were
// written by the hand-written JSON writer that snapshots had before they used a JSON library).
#pragma once

#include <kefu/calendar/load.hpp>
#include <kefu/ticket/ticket.hpp>

#include "calendar_test_support.hpp"

#include <string>

namespace kefu_test::snapshots {

using namespace kefu::ticket;

inline event op(event_kind k, const char* at, const char* by = "alice", std::string note = "") {
  return event::make(k, cst(at), by, std::move(note));
}

/// Received, nothing else.
inline ticket fresh() { return ticket("T-S1", default_plan(), cst("2026-03-02T09:00"), "intake"); }

/// Pauses, a hand-off, escalation, an unsatisfied follow-up, a report, close and reopen within the window;
/// a lead-time warning in the plan.
inline ticket busy() {
  auto plan = default_plan();
  plan.tiers[0].first_response->warning = kefu::calendar::sla_warning::before(kefu::seconds(600));
  plan.tiers[2].resolution->warning = kefu::calendar::sla_warning::at_fraction(0.75);
  ticket t("T-S2", plan, cst("2026-03-02T09:00"), "intake");
  t.fire(event::triage(cst("2026-03-02T09:05"), "alice", tier::L2, "service attitude"));
  t.fire(op(event_kind::start, "2026-03-02T09:30"));
  t.fire(op(event_kind::request_info, "2026-03-02T10:00", "alice", "order number please"));
  t.fire(op(event_kind::customer_reply, "2026-03-03T11:00", "customer"));
  t.fire(op(event_kind::hand_off, "2026-03-03T11:30", "alice", "warehouse"));
  t.fire(op(event_kind::internal_reply, "2026-03-03T15:00", "warehouse"));
  t.fire(op(event_kind::escalate, "2026-03-03T16:00", "lead", "customer called twice"));
  t.fire(op(event_kind::request_info, "2026-03-04T09:00"));
  t.fire(op(event_kind::customer_reply, "2026-03-05T09:00", "customer"));
  t.fire(op(event_kind::resolve, "2026-03-05T15:00"));
  t.fire(event::follow_up(cst("2026-03-06T10:00"), "bob", false, "still broken"));
  t.fire(op(event_kind::resolve, "2026-03-06T16:00"));
  t.fire(op(event_kind::attach_report, "2026-03-07T10:00", "alice", "report QC-2026-31"));
  t.fire(event::follow_up(cst("2026-03-09T10:00"), "bob", true));
  t.fire(op(event_kind::close, "2026-03-09T11:00"));
  t.fire(op(event_kind::reopen, "2026-03-10T09:00", "lead", "customer disputes"));
  t.fire(op(event_kind::request_info, "2026-03-10T10:00"));
  return t;
}

// Next year's notice as an overlay (made up, as in test_ticket_horizon.cpp).
inline const char* overlay_2027 = R"(calendar: cn-mainland
extends: cn-mainland
official_until: 2027-12-31
holidays:
  - {date: 2027-01-01, to: 2027-01-03, name: 元旦 New Year's Day}
  - {date: 2027-01-04, to: 2027-01-05, name: made-up days off for the test}
)";

/// An L3 ticket received on Christmas Eve 2026: its 7-workday resolution deadline is provisional.
inline ticket provisional() {
  ticket t("T-S3", default_plan(), cst("2026-12-24T10:00"), "intake");
  t.fire(event::triage(cst("2026-12-24T10:05"), "alice", tier::L3, "quality defect"));
  t.fire(op(event_kind::start, "2026-12-24T11:00"));
  return t;
}

/// The same restored on the 2027 notice (a deadline change recorded), then resolved.
inline ticket moved() {
  const auto mainland = kefu::calendar::load_string(overlay_2027, "cn-mainland.yaml");
  const calendar_resolver resolve = [mainland](const std::string& name) {
    return name == "cn-mainland" ? mainland : kefu::calendar::builtin(name);
  };
  ticket t = ticket::from_json(provisional().to_json(), resolve);
  t.fire(op(event_kind::resolve, "2027-01-07T15:00"));
  return t;
}

/// Non-ASCII and every character the writer escapes, in the id, operators and notes.
inline ticket text() {
  ticket t("T-S4 \"引号\" 退款/返修", default_plan(), cst("2026-03-02T09:00"), "客服小王");
  t.fire(event::triage(cst("2026-03-02T09:05"), "客服小王", tier::L1, "顾客称：屏幕有划痕 ¥1,500 — 😀"));
  t.fire(op(event_kind::start, "2026-03-02T09:10", "王**", "line1\nline2\r\n\ttab \\ back \"q\""));
  t.fire(op(event_kind::hand_off, "2026-03-02T09:20", "a", std::string("ctl \b \f \x01 \x1f \x7f end")));
  t.fire(op(event_kind::cancel, "2026-03-02T09:30", "a", "重复工单 duplicate of T-S1"));
  return t;
}

}  // namespace kefu_test::snapshots
