// kefu — the lifecycle machine's interface (internal to src/ticket). Its Boost.MSM back end lives in machine.cpp
// alone; this header and what it includes are all that file shares with the others, so a change to the
// ticket's state (internal.hpp), its clocks, snapshots or diagrams does not recompile the machine.
#pragma once

#include <kefu/ticket/ticket.hpp>

#include <functional>

namespace kefu::ticket {

/// What the machine made of an event: whether a row took it, the states and flags after it and the
/// progress row taken (an index into table::rows, or -1 when only the escalation region moved).
struct machine_result {
  bool accepted = false;
  state post;
  ticket_flags flags;
  int progress_row = -1;
};

/// Runs `e` through the machine from `pre` with `flags`; guards read `plan`. Changes nothing outside: a
/// throwing `hook` (tests) propagates. `hook` may be null.
machine_result run_machine(state pre, const ticket_flags& flags, const event& e, const ticket_plan& plan,
                           const std::function<void(event_kind)>* hook);

}  // namespace kefu::ticket
