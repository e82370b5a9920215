// kefu — named clocks and milestones in ticket snapshots (internal to src/ticket; snapshot.cpp calls it).
//
// A ticket with named clocks (DOM-SLA-10) has two more members after `history` (and `deadline_changes`):
//   "named_clocks": {"book": name, "milestones": [definitions], "clocks": [one a line: the definition, the
//                    fact start and the clock's events]}
//   "milestones":   [one a line: at, by, milestone, note, after (the audit records before it), state]
// written only when it has them, so every other snapshot reads and writes as before. A snapshot carries its
// clock book, as it carries its plan: a restored ticket keeps the clocks it was opened with.
#pragma once

#include "internal.hpp"
#include "snapshot_json.hpp"

#include <optional>
#include <string>
#include <vector>

namespace kefu::ticket::named_snapshot {

/// Writes `"named_clocks"` and `"milestones"` when the ticket has a clock book; nothing otherwise.
void write(snapshot_json::writer& w, const named_clock_set& n);

/// What a snapshot says of its named clocks.
struct parsed {
  rules::clock_book_ptr book;  ///< none: the snapshot has no named clocks
  std::vector<std::optional<instant>> fact_starts;
  std::vector<std::optional<std::vector<calendar::clock_event>>> events;  ///< per clock; none = not started
  std::vector<snapshot_json::node> where;                                 ///< per clock, for errors
  std::vector<milestone_record> milestones;
  std::vector<snapshot_json::node> milestone_where;
  std::optional<snapshot_json::node> value;
};

/// Reads `named_clocks` and `milestones` from the snapshot's root (when there); calendars by `resolve`.
parsed read(snapshot_json::jobject& root, const calendar_resolver& resolve);

/// Records the milestones whose place is before audit record `n` (after == n), in order, checking each
/// one's recorded state; `next` is the index of the first milestone not yet recorded.
void mark_before(ticket& t, const parsed& p, std::size_t n, std::size_t& next);

/// After the replay: every milestone placed, every clock's events as the snapshot says.
void check(const ticket& t, const parsed& p, std::size_t next, const snapshot_json::node& root);

}  // namespace kefu::ticket::named_snapshot
