// Ticket snapshots stay what they were: the files in tests/data/ticket-snapshots/ were written by the
// hand-written JSON writer snapshots had before they used a JSON library, and to_json() must still write
// them byte for byte; from_json() must restore them and keep its strictness and its messages.
#include <kefu/calendar/load.hpp>
#include <kefu/ticket/ticket.hpp>

#include "calendar_test_support.hpp"
#include "ticket_snapshot_cases.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace kefu_test;
using namespace kefu::ticket;

namespace {

std::string pinned(const char* name) {
  std::ifstream in(std::string(KEFU_TEST_DATA_DIR) + "/ticket-snapshots/" + name + ".json", std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const calendar_resolver builtins = [](const std::string& name) { return kefu::calendar::builtin(name); };
calendar_resolver with_2027() {
  const auto mainland = kefu::calendar::load_string(snapshots::overlay_2027, "cn-mainland.yaml");
  return [mainland](const std::string& name) { return name == "cn-mainland" ? mainland : kefu::calendar::builtin(name); };
}

std::string replaced(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? s : s.replace(at, from.size(), to);
}

}  // namespace

TEST(TicketSnapshotFormat, ToJsonWritesTheSameBytesAsBefore) {
  EXPECT_EQ(snapshots::fresh().to_json(), pinned("fresh"));
  EXPECT_EQ(snapshots::busy().to_json(), pinned("busy"));
  EXPECT_EQ(snapshots::provisional().to_json(), pinned("provisional"));
  EXPECT_EQ(snapshots::moved().to_json(), pinned("moved"));
  EXPECT_EQ(snapshots::text().to_json(), pinned("text"));
}

TEST(TicketSnapshotFormat, PinnedSnapshotsRestoreToTheSameTicketAndBytes) {
  for (const char* name : {"fresh", "busy", "provisional", "text"}) {
    const std::string json = pinned(name);
    const ticket t = ticket::from_json(json, builtins);
    EXPECT_EQ(t.to_json(), json) << name;
    EXPECT_TRUE(t.deadline_changes().empty()) << name;
  }
  EXPECT_TRUE(ticket::from_json(pinned("busy"), builtins) == snapshots::busy());
  EXPECT_TRUE(ticket::from_json(pinned("text"), default_plan()) == snapshots::text());
  // The provisional deadline moves when restored on next year's notice; the recorded change restores as it is.
  EXPECT_TRUE(ticket::from_json(pinned("provisional"), with_2027()).deadline_changes().size() == 1u);
  const ticket moved = ticket::from_json(pinned("moved"), with_2027());
  EXPECT_TRUE(moved == snapshots::moved());
  EXPECT_EQ(moved.to_json(), pinned("moved"));
}

TEST(TicketSnapshotFormat, MalformedSnapshotsAreRefusedWithPlaceAndReason) {
  const std::string busy = pinned("busy");
  const std::pair<std::string, std::string> cases[] = {
      {"{\"kefu_ticket\":1,", "<json>:1:18: ticket snapshot: expected a member name in quotes"},
      {"[]", "<json>:1:1: ticket snapshot: snapshot: expected an object"},
      {"", "<json>:1:1: ticket snapshot: unexpected end of input"},
      {"  \n  ", "<json>:2:3: ticket snapshot: unexpected end of input"},
      {"{\"a\":tru}", "<json>:1:6: ticket snapshot: expected a JSON value"},
      // Where the hand-written parser pointed after the integer part, a misread number is pointed at where it
      // starts; a bad escape at the character after the backslash.
      {"{\"kefu_ticket\":1.5}", "<json>:1:16: ticket snapshot: only integers are expected in a ticket snapshot"},
      {"{\"kefu_ticket\":1,\"kefu_ticket\":1}", "<json>:1:18: ticket snapshot: duplicate member 'kefu_ticket'"},
      {"{\"kefu_ticket\":1} x", "<json>:1:19: ticket snapshot: unexpected text after the JSON value"},
      {"{\"id\":\"\\q\"}", "<json>:1:9: ticket snapshot: bad escape '\\q'"},
      {"{\"id\":\"\\ud800\"}", "<json>:1:14: ticket snapshot: unpaired surrogate in \\u escape"},
      {"{\"id\":\"a\x01\"}", "<json>:1:9: ticket snapshot: control character in a string (escape it)"},
      {std::string(40, '[') + std::string(40, ']'), "<json>:1:34: ticket snapshot: nesting too deep"},
      {"{\"kefu_ticket\":99999999999999999999}", "<json>:1:16: ticket snapshot: integer too large"},
      {"{\"kefu_ticket\":9223372036854775808}", "<json>:1:16: ticket snapshot: integer too large"},
      {"{\"kefu_ticket\":01}", "<json>:1:16: ticket snapshot: leading zero"},
      {"{\"kefu_ticket\":1 \"id\":2}", "<json>:1:18: ticket snapshot: expected ',' or '}'"},
      {"{\"kefu_ticket\":[1,]}", "<json>:1:19: ticket snapshot: expected a JSON value"},
      {"{\"kefu_ticket\":1,}", "<json>:1:18: ticket snapshot: expected a member name in quotes"},
      {"{\"id\":\"\xff\"}", "<json>:1:8: ticket snapshot: a string is not valid UTF-8"},
      {"{\"kefu_ticket\":-}", "<json>:1:17: ticket snapshot: expected digits"},
      {"{\"kefu_ticket\" 1}", "<json>:1:16: ticket snapshot: expected ':'"},
      {"{\"id\":\"abc", "<json>:1:11: ticket snapshot: unterminated string"},
      {"{\"id\":\"\\u12g4\"}", "<json>:1:12: ticket snapshot: bad \\u escape"},
      {replaced(busy, "\"kefu_ticket\":1", "\"kefu_ticket\":2"),
       "<json>:1:16: ticket snapshot: snapshot.kefu_ticket: expected format version 1"},
      {replaced(busy, "\"id\":\"T-S2\"", "\"id\":5"), "<json>:1:23: ticket snapshot: snapshot.id: expected a string"},
      {replaced(busy, "\"received_by\":\"intake\",", ""), "<json>:1:1: ticket snapshot: snapshot: missing member 'received_by'"},
      {replaced(busy, "\"received\":\"2026-03-02T01:00:00Z\"", "\"received\":\"2026-03-32T01:00:00Z\""),
       "<json>:1:41: ticket snapshot: snapshot.received: bad date-time '2026-03-32T01:00:00Z': expected "
       "YYYY-MM-DDTHH:MM[:SS] with an optional Z or +HH:MM offset"},
      {replaced(busy, "\"note\":\"still broken\"", "\"note\":\"still broken\",\"colour\":1"),
       "<json>:15:122: ticket snapshot: snapshot.history[10]: unknown member 'colour'"},
      {replaced(busy, "\"to\":\"waiting_internal/L2\"", "\"to\":\"in_progress/L2\""),
       "<json>:9:1: ticket snapshot: snapshot.history[4]: recorded to-state in_progress/L2 but replay reached "
       "waiting_internal/L2"},
      {replaced(busy, "\"event\":\"hand_off\"", "\"event\":\"close\""),
       "<json>:9:1: ticket snapshot: snapshot.history[4]: replay failed: cannot close a ticket in state in_progress/L2: "
       "event not allowed in state in_progress"},
      {replaced(busy, "\"reopen_count\":2", "\"reopen_count\":3"),
       "<json>:1:1: ticket snapshot: snapshot.flags: do not match what the history leads to"},
      {replaced(busy, "{\"kind\":\"pause\",\"at\":\"2026-03-02T02:00:00Z\"}", "{\"kind\":\"pause\",\"at\":\"2026-03-02T02:00:01Z\"}"),
       "<json>:4:608: ticket snapshot: snapshot.clocks.resolution.events: do not match what the history leads to"},
      {replaced(busy, "\"satisfied\":false", "\"satisfied\":0"),
       "<json>:15:85: ticket snapshot: snapshot.history[10].satisfied: expected true or false"},
      {replaced(busy, "\"by\":\"bob\"", "\"by\":null"), "<json>:15:35: ticket snapshot: snapshot.history[10].by: expected a string"},
  };
  for (const auto& c : cases) {
    const std::string& text = c.first;  // (not a structured binding: clang 14 cannot capture one)
    const std::string& message = c.second;
    const std::string got = error_of([&] { ticket::from_json(text, builtins); });
    EXPECT_EQ(got, message) << text.substr(0, 60);
    try {
      ticket::from_json(text, builtins);
    } catch (const kefu::parse_error& e) {
      EXPECT_EQ(e.id(), "kefu.ticket.snapshot") << message;
    }
  }
}

TEST(TicketSnapshotFormat, TextThatIsNotUtf8IsRefusedNotCorrupted) {
  // JSON holds UTF-8 text; a note with a stray byte cannot be written as it is, and is not silently replaced.
  ticket t("T-S5", default_plan(), cst("2026-03-02T09:00"));
  t.fire(event::make(event_kind::cancel, cst("2026-03-02T09:10"), "a", std::string("bad \xff byte")));
  try {
    (void)t.to_json();
    ADD_FAILURE() << "to_json() wrote text that is not UTF-8";
  } catch (const kefu::error& e) {
    EXPECT_EQ(e.id(), "kefu.ticket.snapshot");
    EXPECT_NE(std::string(e.what()).find("ticket snapshot: cannot write ticket 'T-S5': a text in it is not valid UTF-8"),
              std::string::npos)
        << e.what();
  }
}
