// kefu — the lifecycle's ONE transition table (internal to src/ticket). The Boost.MSM rows (machine.cpp), the
// diagrams (diagram.cpp) and the SLA clock effects (clocks.cpp) are all generated from it; nothing here
// includes MSM, so the files that only read the table do not compile the machine.
//
// Each row says, besides region, source, event, target and guard, what it does to each SLA clock. Those
// effects are data, checked at compile time against the states the row connects (the static_asserts at the
// end): a row into `cancelled` stops every clock, the resolution clock pauses exactly on entering
// `waiting_customer`, and so on. A change of tier (escalation rows) retargets every clock on the new tier's
// targets, keeping its events; that follows from the tiers the row connects, so those rows carry no effects.
#pragma once

#include <kefu/ticket/ticket.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>

namespace kefu::ticket::table {

enum class guard_id : std::uint8_t {
  none,
  triaged,        ///< DOM-LC-5: nothing resolves before triage
  close_ok,       ///< DOM-LC-5: follow-up (L2) and report (L3) before close
  satisfied,      ///< a follow-up that finds the problem solved
  unsatisfied,    ///< a follow-up that finds it unsolved (DOM-LC-3)
  within_window,  ///< reopen of a closed ticket within the plan's window
  triage_to_L2,   ///< the escalation region follows triage's tier
  triage_to_L3,
  open,  ///< neither closed nor cancelled
  report_1_ok,     ///< DOM-LC-8: open, no upward report yet
  report_2_ok,     ///< DOM-LC-8: open, the level-1 report made (level 2 only after level 1)
  improvement_ok,  ///< DOM-LC-1: resolved or closed (improvement tracking follows the handling)
};
inline constexpr const char* guard_names[] = {"",        "triaged",       "follow-up and reports done",
                                              "satisfied", "not satisfied", "within reopen window",
                                              "tier L2",   "tier L3",       "open",
                                              "open, not reported", "open, level 1 reported", "resolved or closed"};
static_assert(std::size(guard_names) == static_cast<std::size_t>(guard_id::improvement_ok) + 1, "a name for every guard");

/// What an accepted row does to one SLA clock.
enum class clock_op : std::uint8_t {
  none,
  start,   ///< a fresh clock from the event when the ticket's tier requires it (the follow-up), else no clock
  stop,    ///< stopped at the event, unless not started or stopped already
  pause,   ///< paused at the event when it runs
  resume,  ///< resumed at the event when paused
  reopen,  ///< a stopped clock runs again: its stop becomes a pause, resumed at the event (the stopped time
           ///< does not count)
};
using clock_effects = std::array<clock_op, clock_count>;  // indexed by clock_name

inline constexpr std::size_t progress_region = 0;
inline constexpr std::size_t escalation_region = 1;

struct row_def {
  std::size_t region;  // progress_region or escalation_region
  int from;            // a progress or a tier, by region
  event_kind ev;
  int to;
  guard_id guard;
  bool internal;
  clock_effects clocks;  // first_response, resolution, follow_up
};

constexpr int P(progress p) { return static_cast<int>(p); }
constexpr int T(tier t) { return static_cast<int>(t); }
constexpr clock_effects fx(clock_op first_response, clock_op resolution, clock_op follow_up) {
  return {first_response, resolution, follow_up};
}

namespace rows_detail {
using pg = progress;
using ek = event_kind;
using gd = guard_id;
using op = clock_op;
constexpr std::size_t R = progress_region, E = escalation_region;
constexpr clock_effects no_clocks = fx(op::none, op::none, op::none);
constexpr clock_effects stop_all = fx(op::stop, op::stop, op::stop);
constexpr clock_effects resolving = fx(op::stop, op::stop, op::start);  // the follow-up runs from the resolution
constexpr clock_effects reopening = fx(op::none, op::reopen, op::stop);

//                      region from                 event               to                     guard            internal clocks
inline constexpr row_def rows[] = {
    {R, P(pg::received), ek::triage, P(pg::triaged), gd::none, false, no_clocks},
    {R, P(pg::received), ek::cancel, P(pg::cancelled), gd::none, false, stop_all},
    {R, P(pg::triaged), ek::start, P(pg::in_progress), gd::none, false, fx(op::stop, op::none, op::none)},
    {R, P(pg::triaged), ek::resolve, P(pg::resolved), gd::triaged, false, resolving},
    {R, P(pg::triaged), ek::cancel, P(pg::cancelled), gd::none, false, stop_all},
    {R, P(pg::in_progress), ek::request_info, P(pg::waiting_customer), gd::none, false, fx(op::none, op::pause, op::none)},
    {R, P(pg::in_progress), ek::hand_off, P(pg::waiting_internal), gd::none, false, no_clocks},
    {R, P(pg::in_progress), ek::resolve, P(pg::resolved), gd::triaged, false, resolving},
    {R, P(pg::in_progress), ek::cancel, P(pg::cancelled), gd::none, false, stop_all},
    {R, P(pg::waiting_customer), ek::customer_reply, P(pg::in_progress), gd::none, false, fx(op::none, op::resume, op::none)},
    {R, P(pg::waiting_customer), ek::cancel, P(pg::cancelled), gd::none, false, stop_all},
    {R, P(pg::waiting_internal), ek::internal_reply, P(pg::in_progress), gd::none, false, no_clocks},
    {R, P(pg::waiting_internal), ek::cancel, P(pg::cancelled), gd::none, false, stop_all},
    {R, P(pg::resolved), ek::follow_up, P(pg::resolved), gd::satisfied, true, fx(op::none, op::none, op::stop)},
    {R, P(pg::resolved), ek::follow_up, P(pg::in_progress), gd::unsatisfied, false, reopening},
    {R, P(pg::resolved), ek::close, P(pg::closed), gd::close_ok, false, fx(op::none, op::none, op::stop)},
    {R, P(pg::resolved), ek::reopen, P(pg::in_progress), gd::none, false, reopening},
    {R, P(pg::closed), ek::reopen, P(pg::in_progress), gd::within_window, false, reopening},
    {E, T(tier::L1), ek::triage, T(tier::L2), gd::triage_to_L2, false, no_clocks},
    {E, T(tier::L1), ek::triage, T(tier::L3), gd::triage_to_L3, false, no_clocks},
    {E, T(tier::L2), ek::triage, T(tier::L3), gd::triage_to_L3, false, no_clocks},
    {E, T(tier::L1), ek::escalate, T(tier::L2), gd::open, false, no_clocks},
    {E, T(tier::L2), ek::escalate, T(tier::L3), gd::open, false, no_clocks},
    {E, T(tier::L1), ek::attach_report, T(tier::L1), gd::open, true, no_clocks},
    {E, T(tier::L2), ek::attach_report, T(tier::L2), gd::open, true, no_clocks},
    {E, T(tier::L3), ek::attach_report, T(tier::L3), gd::open, true, no_clocks},
    // DOM-LC-8 upward reports and DOM-LC-1 improvement items: audited, in any tier, changing no tier and no SLA
    // clock (the reports' own clocks are kept beside these, by ticket.cpp).
    {E, T(tier::L1), ek::report_level_1, T(tier::L1), gd::report_1_ok, true, no_clocks},
    {E, T(tier::L2), ek::report_level_1, T(tier::L2), gd::report_1_ok, true, no_clocks},
    {E, T(tier::L3), ek::report_level_1, T(tier::L3), gd::report_1_ok, true, no_clocks},
    {E, T(tier::L1), ek::report_level_2, T(tier::L1), gd::report_2_ok, true, no_clocks},
    {E, T(tier::L2), ek::report_level_2, T(tier::L2), gd::report_2_ok, true, no_clocks},
    {E, T(tier::L3), ek::report_level_2, T(tier::L3), gd::report_2_ok, true, no_clocks},
    {E, T(tier::L1), ek::track_improvement, T(tier::L1), gd::improvement_ok, true, no_clocks},
    {E, T(tier::L2), ek::track_improvement, T(tier::L2), gd::improvement_ok, true, no_clocks},
    {E, T(tier::L3), ek::track_improvement, T(tier::L3), gd::improvement_ok, true, no_clocks},
};
}  // namespace rows_detail

using rows_detail::rows;
inline constexpr std::size_t row_count = std::size(rows);

/// Whether a row changes no clock (the machine's hot path skips the clocks then).
constexpr bool touches_no_clock(const row_def& r) {
  for (const clock_op o : r.clocks)
    if (o != clock_op::none) return false;
  return true;
}
/// Whether a row's effects only append to existing clocks (stop, pause, resume): those can be applied in place.
constexpr bool appends_only(const row_def& r) {
  for (const clock_op o : r.clocks)
    if (o == clock_op::start || o == clock_op::reopen) return false;
  return true;
}

/// touches_no_clock and appends_only of every row, worked out once: fire() reads them on every event.
struct row_clock_traits {
  bool touches_no_clock = true;
  bool appends_only = true;
};
inline constexpr std::array<row_clock_traits, row_count> row_traits = [] {
  std::array<row_clock_traits, row_count> t{};
  for (std::size_t i = 0; i < row_count; ++i) t[i] = {touches_no_clock(rows[i]), appends_only(rows[i])};
  return t;
}();

// ---- the clock effects, checked against the states each row connects ------------------------------------

namespace checks {
constexpr clock_op op_of(const row_def& r, clock_name c) { return r.clocks[static_cast<std::size_t>(c)]; }
constexpr bool is(const row_def& r, progress from, progress to) {
  return r.region == progress_region && r.from == P(from) && r.to == P(to);
}
constexpr bool into(const row_def& r, progress to) { return r.region == progress_region && r.to == P(to) && r.from != r.to; }
constexpr bool out_of(const row_def& r, progress from) {
  return r.region == progress_region && r.from == P(from) && r.from != r.to;
}

constexpr bool every_row(bool (*ok)(const row_def&)) {
  for (const row_def& r : rows)
    if (!ok(r)) return false;
  return true;
}

constexpr bool escalation_rows_touch_no_clock(const row_def& r) {
  return r.region == progress_region || touches_no_clock(r);
}
constexpr bool cancel_stops_every_clock(const row_def& r) {
  if (!into(r, progress::cancelled)) return true;
  for (const clock_op o : r.clocks)
    if (o != clock_op::stop) return false;
  return true;
}
constexpr bool resolution_pauses_exactly_while_waiting_on_the_customer(const row_def& r) {
  const clock_op o = op_of(r, clock_name::resolution);
  const bool enters = into(r, progress::waiting_customer);
  const bool leaves = out_of(r, progress::waiting_customer) && !into(r, progress::cancelled);
  return (o == clock_op::pause) == enters && (o == clock_op::resume) == leaves;
}
constexpr bool resolving_stops_response_and_resolution_and_starts_the_follow_up(const row_def& r) {
  const bool resolves = into(r, progress::resolved);
  return !resolves || (op_of(r, clock_name::first_response) == clock_op::stop &&
                       op_of(r, clock_name::resolution) == clock_op::stop &&
                       op_of(r, clock_name::follow_up) == clock_op::start);
}
constexpr bool only_resolving_starts_a_clock(const row_def& r) {
  for (const clock_op o : r.clocks)
    if (o == clock_op::start && !into(r, progress::resolved)) return false;
  return op_of(r, clock_name::first_response) != clock_op::start && op_of(r, clock_name::resolution) != clock_op::start;
}
constexpr bool back_to_work_reopens_the_resolution_and_ends_the_follow_up(const row_def& r) {
  const bool back = (out_of(r, progress::resolved) || out_of(r, progress::closed)) && r.to == P(progress::in_progress);
  const bool reopens = op_of(r, clock_name::resolution) == clock_op::reopen;
  return back == reopens && (!back || op_of(r, clock_name::follow_up) == clock_op::stop);
}
constexpr bool leaving_resolved_ends_the_follow_up(const row_def& r) {
  // Out of resolved (or a follow-up inside it) the follow-up is over; nothing else stops it but cancel.
  const bool ends = r.region == progress_region && r.from == P(progress::resolved) && r.ev != event_kind::attach_report;
  return !ends || op_of(r, clock_name::follow_up) == clock_op::stop;
}
constexpr bool starting_work_is_the_first_response(const row_def& r) {
  const clock_op o = op_of(r, clock_name::first_response);
  const bool first = is(r, progress::triaged, progress::in_progress) || into(r, progress::resolved) ||
                     into(r, progress::cancelled);
  return (o == clock_op::stop) == first && (o == clock_op::stop || o == clock_op::none);
}
}  // namespace checks

static_assert(checks::every_row(&checks::escalation_rows_touch_no_clock),
              "escalation rows change no clock: a tier change retargets them all");
static_assert(checks::every_row(&checks::cancel_stops_every_clock), "a row into cancelled stops every clock");
static_assert(checks::every_row(&checks::resolution_pauses_exactly_while_waiting_on_the_customer),
              "the resolution clock pauses on entering waiting_customer and resumes on leaving it, nowhere else");
static_assert(checks::every_row(&checks::resolving_stops_response_and_resolution_and_starts_the_follow_up),
              "a row into resolved stops first response and resolution and starts the follow-up");
static_assert(checks::every_row(&checks::only_resolving_starts_a_clock),
              "only resolving starts a clock (the follow-up); receipt starts the others");
static_assert(checks::every_row(&checks::back_to_work_reopens_the_resolution_and_ends_the_follow_up),
              "going back to work from resolved or closed reopens the resolution clock and ends the follow-up");
static_assert(checks::every_row(&checks::leaving_resolved_ends_the_follow_up), "every event in resolved ends the follow-up");
static_assert(checks::every_row(&checks::starting_work_is_the_first_response),
              "the first response stops when work starts, the ticket is resolved or cancelled, and only then");

}  // namespace kefu::ticket::table
