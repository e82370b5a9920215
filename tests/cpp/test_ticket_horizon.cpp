// Tickets and the calendar horizon (DOM-SLA-8): a snapshot says which deadlines rest on provisional
// calendar days; a restore on newer calendars (the year's holiday notice loaded) recomputes them and records
// every deadline that moved, with the old and new due and why.
#include <kefu/calendar/load.hpp>
#include <kefu/ticket/from_triage.hpp>
#include <kefu/ticket/ticket.hpp>

#include "calendar_test_support.hpp"

#include <gtest/gtest.h>

using namespace kefu_test;
using namespace kefu::ticket;

namespace {

// Next year's notice as an overlay, made up for the test (the 2027 notice is not published): 元旦 and two
// extra days off, 2027-01-04 and 2027-01-05, that the holiday law alone would not give.
const char* overlay_2027 = R"(calendar: cn-mainland
extends: cn-mainland
official_until: 2027-12-31
holidays:
  - {date: 2027-01-01, to: 2027-01-03, name: 元旦 New Year's Day}
  - {date: 2027-01-04, to: 2027-01-05, name: made-up days off for the test}
  - {date: 2027-02-05, to: 2027-02-13, name: 春节 Spring Festival}
workdays:
  - {date: 2027-02-14, name: 春节调休}
)";

// Official data for the first days of 2027 only: the deadline moves and is still provisional.
const char* overlay_first_days = R"(calendar: cn-mainland
extends: cn-mainland
official_until: 2027-01-04
holidays:
  - {date: 2027-01-01, to: 2027-01-04, name: made-up days off for the test}
)";

calendar_resolver resolver_with(std::shared_ptr<const kefu::calendar::calendar> mainland) {
  return [mainland](const std::string& name) {
    return name == "cn-mainland" ? mainland : kefu::calendar::builtin(name);
  };
}
const calendar_resolver builtins = [](const std::string& name) { return kefu::calendar::builtin(name); };

/// An L3 ticket received Thursday 2026-12-24: 7 workdays = 12-25, 28, 29, 30, 31, (01-01 off), 01-04, 01-05.
ticket christmas_eve_ticket() {
  ticket t("T-H1", default_plan(), cst("2026-12-24T10:00"), "intake");
  t.fire(event::triage(cst("2026-12-24T10:05"), "alice", tier::L3, "quality defect"));
  t.fire(event::make(event_kind::start, cst("2026-12-24T11:00"), "alice"));
  return t;
}

std::string due_of(const ticket& t, const char* at) { return cst_text(t.sla(cst(at))[clock_name::resolution]->due); }

// Written by kefu before snapshots knew about provisional deadlines (commit 66ef1f5), pasted as they were.
const char* old_provisional_snapshot = R"json({"kefu_ticket":1,"id":"T-OLD-1","received":"2026-12-24T02:00:00Z","received_by":"intake","plan":{"reopen_window":604800,"system_operator":"system","tiers":{
  "L1":{"first_response":{"clock":"wall","amount":3600,"calendar":"always","warning":{"fraction":"0.8"}},"resolution":{"clock":"wall","amount":86400,"calendar":"always","warning":{"fraction":"0.8"}},"follow_up":null,"follow_up_required":false,"report_required":false},
  "L2":{"first_response":{"clock":"wall","amount":7200,"calendar":"always","warning":{"fraction":"0.8"}},"resolution":{"clock":"wall","amount":172800,"calendar":"always","warning":{"fraction":"0.8"}},"follow_up":{"clock":"workdays","amount":3,"calendar":"cn-mainland","warning":{"fraction":"0.8"}},"follow_up_required":true,"report_required":false},
  "L3":{"first_response":{"clock":"wall","amount":86400,"calendar":"always","warning":{"fraction":"0.8"}},"resolution":{"clock":"workdays","amount":7,"calendar":"cn-mainland","warning":{"fraction":"0.8"}},"follow_up":null,"follow_up_required":false,"report_required":true}}},"state":{"progress":"in_progress","tier":"L3"},"flags":{"followed_up":false,"report_attached":false,"reopen_count":0,"closed_at":null},"clocks":{"first_response":{"clock":"wall","amount":86400,"calendar":"always","events":[{"kind":"start","at":"2026-12-24T02:00:00Z"},{"kind":"stop","at":"2026-12-24T03:00:00Z"}]},"resolution":{"clock":"workdays","amount":7,"calendar":"cn-mainland","events":[{"kind":"start","at":"2026-12-24T02:00:00Z"}]},"follow_up":null},"history":[
{"at":"2026-12-24T02:05:00Z","by":"alice","event":"triage","tier":"L3","satisfied":true,"note":"quality defect","from":"received/L1","to":"triaged/L3"},
{"at":"2026-12-24T03:00:00Z","by":"alice","event":"start","tier":"L1","satisfied":true,"note":"","from":"triaged/L3","to":"in_progress/L3"}]}
)json";
const char* old_plain_snapshot = R"json({"kefu_ticket":1,"id":"T-OLD-2","received":"2026-03-02T01:00:00Z","received_by":"intake","plan":{"reopen_window":604800,"system_operator":"system","tiers":{
  "L1":{"first_response":{"clock":"wall","amount":3600,"calendar":"always","warning":{"fraction":"0.8"}},"resolution":{"clock":"wall","amount":86400,"calendar":"always","warning":{"fraction":"0.8"}},"follow_up":null,"follow_up_required":false,"report_required":false},
  "L2":{"first_response":{"clock":"wall","amount":7200,"calendar":"always","warning":{"fraction":"0.8"}},"resolution":{"clock":"wall","amount":172800,"calendar":"always","warning":{"fraction":"0.8"}},"follow_up":{"clock":"workdays","amount":3,"calendar":"cn-mainland","warning":{"fraction":"0.8"}},"follow_up_required":true,"report_required":false},
  "L3":{"first_response":{"clock":"wall","amount":86400,"calendar":"always","warning":{"fraction":"0.8"}},"resolution":{"clock":"workdays","amount":7,"calendar":"cn-mainland","warning":{"fraction":"0.8"}},"follow_up":null,"follow_up_required":false,"report_required":true}}},"state":{"progress":"resolved","tier":"L2"},"flags":{"followed_up":false,"report_attached":false,"reopen_count":0,"closed_at":null},"clocks":{"first_response":{"clock":"wall","amount":7200,"calendar":"always","events":[{"kind":"start","at":"2026-03-02T01:00:00Z"},{"kind":"stop","at":"2026-03-02T01:10:00Z"}]},"resolution":{"clock":"wall","amount":172800,"calendar":"always","events":[{"kind":"start","at":"2026-03-02T01:00:00Z"},{"kind":"stop","at":"2026-03-02T04:00:00Z"}]},"follow_up":{"clock":"workdays","amount":3,"calendar":"cn-mainland","events":[{"kind":"start","at":"2026-03-02T04:00:00Z"}]}},"history":[
{"at":"2026-03-02T01:05:00Z","by":"alice","event":"triage","tier":"L2","satisfied":true,"note":"","from":"received/L1","to":"triaged/L2"},
{"at":"2026-03-02T01:10:00Z","by":"alice","event":"start","tier":"L1","satisfied":true,"note":"","from":"triaged/L2","to":"in_progress/L2"},
{"at":"2026-03-02T04:00:00Z","by":"alice","event":"resolve","tier":"L1","satisfied":true,"note":"fixed","from":"in_progress/L2","to":"resolved/L2"}]}
)json";

}  // namespace

TEST(TicketHorizon, SnapshotsMarkProvisionalDeadlines) {
  const ticket t = christmas_eve_ticket();
  const auto s = *t.sla(cst("2026-12-24T11:00"))[clock_name::resolution];
  EXPECT_EQ(cst_text(s.due), "2027-01-06T00:00:00+08:00");
  EXPECT_TRUE(s.provisional);
  const std::string json = t.to_json();
  EXPECT_NE(json.find("\"resolution\":{\"clock\":\"workdays\",\"amount\":7,\"calendar\":\"cn-mainland\",\"events\":[{\"kind\":"
                      "\"start\",\"at\":\"2026-12-24T02:00:00Z\"}],\"due\":\"2027-01-05T16:00:00Z\",\"provisional\":true,"
                      "\"official_until\":\"2026-12-31\"}"),
            std::string::npos)
      << json;
  // Wall-clock targets never rest on calendar days; nothing changes for them.
  EXPECT_NE(json.find("\"first_response\":{\"clock\":\"wall\",\"amount\":86400,\"calendar\":\"always\",\"events\":[{\"kind\":"
                      "\"start\",\"at\":\"2026-12-24T02:00:00Z\"},{\"kind\":\"stop\",\"at\":\"2026-12-24T03:00:00Z\"}]}"),
            std::string::npos);
  EXPECT_EQ(json.find("deadline_changes"), std::string::npos);
  // Restored on the same calendars: nothing moved, nothing recorded, the same snapshot.
  const ticket back = ticket::from_json(json, builtins);
  EXPECT_TRUE(back.deadline_changes().empty());
  EXPECT_TRUE(back == t);
  EXPECT_EQ(back.to_json(), json);
  EXPECT_TRUE(ticket::from_json(json, default_plan()) == t);
  // As of the last recorded instant: a ticket received in early December is not provisional yet.
  ticket early("T-H0", default_plan(), cst("2026-12-01T10:00"));
  early.fire(event::triage(cst("2026-12-01T10:05"), "alice", tier::L3));
  EXPECT_EQ(early.to_json().find("\"provisional\""), std::string::npos);
}

TEST(TicketHorizon, RestoreOnNextYearsNoticeRecordsTheMovedDeadline) {
  const ticket t = christmas_eve_ticket();
  const std::string json = t.to_json();
  const auto mainland_2027 = kefu::calendar::load_string(overlay_2027, "cn-mainland.yaml");
  const ticket back = ticket::from_json(json, resolver_with(mainland_2027));

  ASSERT_EQ(back.deadline_changes().size(), 1u);
  const deadline_change& d = back.deadline_changes()[0];
  EXPECT_EQ(d.clock, clock_name::resolution);
  EXPECT_EQ(cst_text(d.at), "2026-12-24T11:00:00+08:00");  // the snapshot's last recorded instant
  EXPECT_EQ(cst_text(d.old_due), "2027-01-06T00:00:00+08:00");
  // 12-25, 28, 29, 30, 31, (01-01 … 01-05 off), 01-06, 01-07.
  EXPECT_EQ(cst_text(d.new_due), "2027-01-08T00:00:00+08:00");
  EXPECT_FALSE(d.still_provisional);
  EXPECT_EQ(d.reason,
            "calendar 'cn-mainland' official data now reaches 2027-12-31 (the deadline was projected past 2026-12-31)");
  EXPECT_EQ(describe(d, kefu::time_zone::parse("+08:00")),
            "resolution: 2027-01-06 00:00 → 2027-01-08 00:00 (calendar 'cn-mainland' official data now reaches "
            "2027-12-31 (the deadline was projected past 2026-12-31))");
  // The audit history is the machine's events only; the ticket runs on the new deadline.
  EXPECT_EQ(back.history(), t.history());
  EXPECT_EQ(due_of(back, "2026-12-28T10:00"), "2027-01-08T00:00:00+08:00");
  EXPECT_FALSE(back.sla(cst("2026-12-28T10:00"))[clock_name::resolution]->provisional);
  EXPECT_FALSE(back == t);  // the record differs: a deadline moved

  // The change is part of the record: the next snapshot carries it (and no provisional due any more), and
  // restoring that records nothing new, on either calendar.
  const std::string again = back.to_json();
  EXPECT_NE(again.find(",\"deadline_changes\":[\n{\"clock\":\"resolution\",\"at\":\"2026-12-24T03:00:00Z\",\"old_due\":"
                       "\"2027-01-05T16:00:00Z\",\"new_due\":\"2027-01-07T16:00:00Z\",\"still_provisional\":false,"
                       "\"reason\":\"calendar 'cn-mainland' official data now reaches 2027-12-31 (the deadline was "
                       "projected past 2026-12-31)\"}]}\n"),
            std::string::npos)
      << again;
  EXPECT_EQ(again.find("\"provisional\":true"), std::string::npos);
  const ticket twice = ticket::from_json(again, resolver_with(mainland_2027));
  EXPECT_TRUE(twice == back);
  EXPECT_EQ(twice.to_json(), again);
  EXPECT_EQ(ticket::from_json(again, builtins).deadline_changes(), back.deadline_changes());

  // The ticket goes on; later snapshots keep the change.
  ticket later = twice;
  later.fire(event::make(event_kind::resolve, cst("2027-01-07T15:00"), "alice"));
  EXPECT_EQ(later.sla(cst("2027-01-07T15:00"))[clock_name::resolution]->state, kefu::calendar::sla_state::met);
  EXPECT_TRUE(ticket::from_json(later.to_json(), resolver_with(mainland_2027)) == later);
  EXPECT_EQ(ticket::from_json(later.to_json(), builtins).deadline_changes().size(), 1u);

  // Re-planned: the C++ overload with a plan whose calendars are the new ones does the same.
  ticket_plan plan = default_plan();
  plan.tiers[1].follow_up->on = mainland_2027;
  plan.tiers[2].resolution->on = mainland_2027;
  const ticket replanned = ticket::from_json(json, plan);
  ASSERT_EQ(replanned.deadline_changes().size(), 1u);
  EXPECT_EQ(replanned.deadline_changes()[0], d);
}

TEST(TicketHorizon, AProvisionalDeadlineThatMovesAndStaysProvisionalIsRecordedToo) {
  const std::string json = christmas_eve_ticket().to_json();
  const auto first_days = kefu::calendar::load_string(overlay_first_days, "cn-mainland.yaml");
  const ticket back = ticket::from_json(json, resolver_with(first_days));
  ASSERT_EQ(back.deadline_changes().size(), 1u);
  const deadline_change& d = back.deadline_changes()[0];
  // 12-25, 28, 29, 30, 31, (01-01 … 01-04 off), 01-05, 01-06: still past the official data (01-04).
  EXPECT_EQ(cst_text(d.new_due), "2027-01-07T00:00:00+08:00");
  EXPECT_TRUE(d.still_provisional);
  EXPECT_EQ(d.reason,
            "calendar 'cn-mainland' official data now reaches 2027-01-04 (the deadline was projected past "
            "2026-12-31); the new deadline is still provisional");
  // Its snapshot still marks the deadline provisional; when the whole year arrives it moves again.
  const std::string again = back.to_json();
  EXPECT_NE(again.find("\"due\":\"2027-01-06T16:00:00Z\",\"provisional\":true,\"official_until\":\"2027-01-04\""),
            std::string::npos)
      << again;
  const auto mainland_2027 = kefu::calendar::load_string(overlay_2027, "cn-mainland.yaml");
  const ticket full = ticket::from_json(again, resolver_with(mainland_2027));
  ASSERT_EQ(full.deadline_changes().size(), 2u);
  EXPECT_EQ(full.deadline_changes()[0], d);
  EXPECT_EQ(describe(full.deadline_changes()[1], kefu::time_zone::parse("+08:00")),
            "resolution: 2027-01-07 00:00 → 2027-01-08 00:00 (calendar 'cn-mainland' official data now reaches "
            "2027-12-31 (the deadline was projected past 2027-01-04))");
}

TEST(TicketHorizon, SnapshotsFromBeforeRestoreAsBefore) {
  // Nothing in an old snapshot says a deadline was provisional, so nothing is recomputed or recorded, even on
  // the new calendar (the ticket runs on it all the same, as restored tickets always did).
  const ticket old = ticket::from_json(old_provisional_snapshot, builtins);
  EXPECT_TRUE(old.deadline_changes().empty());
  ticket same("T-OLD-1", default_plan(), cst("2026-12-24T10:00"), "intake");
  same.fire(event::triage(cst("2026-12-24T10:05"), "alice", tier::L3, "quality defect"));
  same.fire(event::make(event_kind::start, cst("2026-12-24T11:00"), "alice"));
  EXPECT_TRUE(old == same);
  // Written again, it now marks the provisional deadline; nothing else changes.
  std::string marked = old_provisional_snapshot;
  const std::string events = "[{\"kind\":\"start\",\"at\":\"2026-12-24T02:00:00Z\"}]";
  marked.insert(marked.find(events) + events.size(),
                ",\"due\":\"2027-01-05T16:00:00Z\",\"provisional\":true,\"official_until\":\"2026-12-31\"");
  EXPECT_EQ(old.to_json(), marked);
  const auto mainland_2027 = kefu::calendar::load_string(overlay_2027, "cn-mainland.yaml");
  const ticket on_new = ticket::from_json(old_provisional_snapshot, resolver_with(mainland_2027));
  EXPECT_TRUE(on_new.deadline_changes().empty());
  EXPECT_EQ(due_of(on_new, "2026-12-28T10:00"), "2027-01-08T00:00:00+08:00");
  // A snapshot without provisional deadlines is written exactly as before.
  const ticket plain = ticket::from_json(old_plain_snapshot, default_plan());
  EXPECT_TRUE(plain.deadline_changes().empty());
  EXPECT_EQ(plain.to_json(), old_plain_snapshot);
}

TEST(TicketHorizon, BadHorizonKeysAreRefused) {
  const std::string json = christmas_eve_ticket().to_json();
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = json;
    const auto at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return s.replace(at, from.size(), to);
  };
  const std::string keys = ",\"due\":\"2027-01-05T16:00:00Z\",\"provisional\":true";
  EXPECT_NE(error_of([&] { ticket::from_json(with(keys, ",\"due\":\"2027-01-05T16:00:00Z\""), builtins); })
                .find("snapshot.clocks.resolution: `due` and `provisional` come together"),
            std::string::npos);
  EXPECT_NE(error_of([&] { ticket::from_json(with("\"official_until\":\"2026-12-31\"", "\"official_until\":\"2026-13-01\""),
                                             builtins); })
                .find("snapshot.clocks.resolution.official_until: expected a date as YYYY-MM-DD"),
            std::string::npos);
  const std::string change =
      ",\"deadline_changes\":[{\"clock\":\"resolution\",\"at\":\"2026-12-24T03:00:00Z\",\"old_due\":\"2027-01-05T16:00:00Z\","
      "\"new_due\":\"2027-01-07T16:00:00Z\",\"still_provisional\":false,\"reason\":\"r\"}]}\n";
  std::string recorded = json;
  recorded.replace(recorded.size() - 2, 2, change);
  const ticket r = ticket::from_json(recorded, builtins);
  ASSERT_EQ(r.deadline_changes().size(), 1u);
  EXPECT_EQ(r.deadline_changes()[0].reason, "r");
  std::string bad_clock = recorded;
  const std::string good_clock = "{\"clock\":\"resolution\",\"at\"";
  bad_clock.replace(bad_clock.find(good_clock), good_clock.size(), "{\"clock\":\"resolved\",\"at\"");
  EXPECT_NE(error_of([&] { ticket::from_json(bad_clock, builtins); })
                .find("snapshot.deadline_changes[0].clock: unknown clock 'resolved'"),
            std::string::npos)
      << error_of([&] { ticket::from_json(bad_clock, builtins); });
}

TEST(TicketHorizon, ASnapshotWithoutOfficialUntilStillRecordsTheMove) {
  // `official_until` is optional on read (a hand-written snapshot): the reason says what is known now.
  std::string json = christmas_eve_ticket().to_json();
  const std::string key = ",\"official_until\":\"2026-12-31\"";
  json.erase(json.find(key), key.size());
  const auto mainland_2027 = kefu::calendar::load_string(overlay_2027, "cn-mainland.yaml");
  const ticket back = ticket::from_json(json, resolver_with(mainland_2027));
  ASSERT_EQ(back.deadline_changes().size(), 1u);
  EXPECT_EQ(cst_text(back.deadline_changes()[0].new_due), "2027-01-08T00:00:00+08:00");
  EXPECT_EQ(back.deadline_changes()[0].reason,
            "calendar 'cn-mainland' official data reaches 2027-12-31 (the deadline was projected)");
  // `"provisional":false` with a due asks for nothing.
  std::string not_provisional = christmas_eve_ticket().to_json();
  not_provisional.replace(not_provisional.find("\"provisional\":true"), 18, "\"provisional\":false");
  EXPECT_TRUE(ticket::from_json(not_provisional, resolver_with(mainland_2027)).deadline_changes().empty());
}
