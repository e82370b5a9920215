// kefu — a ticket's named clocks and milestones (DOM-SLA-10, DOM-SLA-6).
//
// A ticket opened from facts under a rules directory with a `clocks:` document (rules::clock_book) carries,
// beside its three built-in clocks, the named clocks that apply to its category and business. Each runs on its
// own target and calendar, started, paused, resumed and stopped by the triggers the policy gives it: lifecycle
// events (fired as usual), the receipt, a fact instant, and *milestones* — named business events recorded with
// ticket::mark, which change neither state nor tier but are audited (time, operator, milestone, state, note)
// and kept in snapshots.
//
//   auto t = kefu::ticket::open(*policy, facts);                 // named clocks from the policy's clocks.yaml
//   t.mark(kefu::ticket::milestone::make("order_confirmed", at, "alice"));
//   for (const auto& c : t.sla(now).named) …                     // name, status (none before it starts)
//
// On each accepted event or milestone, every named clock takes the trigger: stop (when running or paused),
// pause (when running), resume (when paused), start (when not yet started), in that order. tick() escalates
// an open ticket once per named clock whose policy says `escalate: true` and that is breached.
#pragma once

#include <kefu/calendar/sla_clock.hpp>
#include <kefu/rules/clock_book.hpp>
#include <kefu/time.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kefu::ticket {

/// A milestone as a handler records it.
struct milestone {
  std::string name;  ///< a milestone the ticket's clock book declares
  instant at;
  std::string by;
  std::string note;

  static milestone make(std::string name, instant at, std::string by, std::string note = {}) {
    return {std::move(name), at, std::move(by), std::move(note)};
  }
  friend bool operator==(const milestone& a, const milestone& b) noexcept {
    return a.name == b.name && a.at == b.at && a.by == b.by && a.note == b.note;
  }
  friend bool operator!=(const milestone& a, const milestone& b) noexcept { return !(a == b); }
};

/// An accepted milestone in the ticket's record: the milestone, the number of audit records before it (its
/// place among the lifecycle events: a replay puts it back there) and the state it was recorded in.
struct milestone_record {
  milestone what;
  std::size_t after = 0;  ///< history().size() when it was recorded
  std::string state;      ///< to_string(state) then, e.g. "in_progress/L1"
  friend bool operator==(const milestone_record& a, const milestone_record& b) noexcept {
    return a.what == b.what && a.after == b.after && a.state == b.state;
  }
  friend bool operator!=(const milestone_record& a, const milestone_record& b) noexcept { return !(a == b); }
};

/// One named clock's status in ticket::sla(at): none before it has started.
struct named_clock_status {
  std::string name;
  std::optional<calendar::sla_status> status;
};

}  // namespace kefu::ticket
