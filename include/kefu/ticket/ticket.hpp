// kefu — the ticket lifecycle (DOM-LC-1…7): a state machine with two orthogonal regions, SLA clocks,
// an audited history and exact snapshots.
//
//   progress    received → triaged → in_progress ⇄ waiting_customer / waiting_internal → resolved → closed,
//               cancelled from any open state, reopening from resolved (a follow-up that finds the problem
//               unsolved, or `reopen`) and from closed (within the plan's reopen window)
//   escalation  L1 → L2 → L3: by triage, by hand (`escalate`) or automatically on an SLA breach (`tick`)
//
// A ticket opened from facts knows the tier its policy decided (`policy_tier`). Triage may set another tier:
// higher needs nothing, lower (de-escalation) needs a `reason`, else a transition_error with id
// kefu.ticket.deescalation; either way the triage's audit record keeps the policy's tier beside the one chosen,
// who chose it, when and why, and snapshots carry both.
//
// The machine is a Boost.MSM back end compiled in exactly one translation unit (src/ticket/machine.cpp);
// this header does not include MSM. States have stable names (`to_string`), never MSM ids.
//
// Time is always passed in. Every accepted event appends one audit record; a rejected event, or one whose
// action throws, raises and leaves the ticket unchanged (state, flags, clocks and history).
#pragma once

#include <kefu/calendar/sla_clock.hpp>
#include <kefu/error.hpp>
#include <kefu/ticket/named_clocks.hpp>
#include <kefu/time.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kefu::ticket {

/// The progress region's states.
enum class progress : std::uint8_t {
  received,
  triaged,
  in_progress,
  waiting_customer,
  waiting_internal,
  resolved,
  closed,
  cancelled
};
inline constexpr std::size_t progress_count = 8;

/// The escalation region's states.
enum class tier : std::uint8_t { L1, L2, L3 };
inline constexpr std::size_t tier_count = 3;

enum class event_kind : std::uint8_t {
  triage,
  start,
  request_info,
  customer_reply,
  hand_off,
  internal_reply,
  resolve,
  follow_up,
  close,
  reopen,
  cancel,
  escalate,
  attach_report,
  report_level_1,    ///< DOM-LC-8: 一级上报, the upward report to project management
  report_level_2,    ///< DOM-LC-8: 二级上报, only after the level-1 report (000 §9.1.2.2)
  track_improvement  ///< DOM-LC-1: an improvement item (改进跟踪) from a systemic cause; the note names the cause
};
inline constexpr std::size_t event_kind_count = 16;

/// The stable names (snapshots, Python, diagrams), in enum order.
namespace names {
inline constexpr const char* progress[] = {"received", "triaged",  "in_progress", "waiting_customer",
                                           "waiting_internal", "resolved", "closed", "cancelled"};
inline constexpr const char* tier[] = {"L1", "L2", "L3"};
inline constexpr const char* event_kind[] = {"triage",  "start",     "request_info", "customer_reply", "hand_off",
                                             "internal_reply", "resolve", "follow_up", "close", "reopen",
                                             "cancel", "escalate", "attach_report", "report_level_1",
                                             "report_level_2", "track_improvement"};
}  // namespace names

// Each count is the enum's last value + 1 and the size of its name table: adding a state or an event without
// its count or name does not compile.
static_assert(progress_count == static_cast<std::size_t>(progress::cancelled) + 1, "progress_count");
static_assert(tier_count == static_cast<std::size_t>(tier::L3) + 1, "tier_count");
static_assert(event_kind_count == static_cast<std::size_t>(event_kind::track_improvement) + 1, "event_kind_count");
static_assert(sizeof(names::progress) / sizeof(names::progress[0]) == progress_count, "a name for every progress state");
static_assert(sizeof(names::tier) / sizeof(names::tier[0]) == tier_count, "a name for every tier");
static_assert(sizeof(names::event_kind) / sizeof(names::event_kind[0]) == event_kind_count, "a name for every event");

inline const char* to_string(progress p) noexcept {
  return static_cast<std::size_t>(p) < progress_count ? names::progress[static_cast<std::size_t>(p)] : "?";
}
inline const char* to_string(tier t) noexcept {
  return static_cast<std::size_t>(t) < tier_count ? names::tier[static_cast<std::size_t>(t)] : "?";
}
inline const char* to_string(event_kind e) noexcept {
  return static_cast<std::size_t>(e) < event_kind_count ? names::event_kind[static_cast<std::size_t>(e)] : "?";
}
inline std::optional<progress> parse_progress(std::string_view s) noexcept {
  for (std::size_t i = 0; i < progress_count; ++i)
    if (s == to_string(static_cast<progress>(i))) return static_cast<progress>(i);
  return std::nullopt;
}
inline std::optional<tier> parse_tier(std::string_view s) noexcept {
  for (std::size_t i = 0; i < tier_count; ++i)
    if (s == to_string(static_cast<tier>(i))) return static_cast<tier>(i);
  return std::nullopt;
}
inline std::optional<event_kind> parse_event_kind(std::string_view s) noexcept {
  for (std::size_t i = 0; i < event_kind_count; ++i)
    if (s == to_string(static_cast<event_kind>(i))) return static_cast<event_kind>(i);
  return std::nullopt;
}

/// The event kind a name stands for; kefu::error with id kefu.ticket.unknown_event (naming the events, with a
/// did-you-mean) for any other name.
event_kind event_named(std::string_view name);
/// The tier a name stands for; kefu::error with id kefu.ticket.unknown_tier for anything but L1, L2 and L3.
tier tier_named(std::string_view name);

/// The active state of both regions.
struct state {
  progress where = progress::received;
  tier level = tier::L1;
  friend bool operator==(state a, state b) noexcept { return a.where == b.where && a.level == b.level; }
  friend bool operator!=(state a, state b) noexcept { return !(a == b); }
};
/// "in_progress/L2".
inline std::string to_string(state s) { return std::string(to_string(s.where)) + '/' + to_string(s.level); }

/// Whether a state is open (neither closed nor cancelled).
inline bool is_open(progress p) noexcept { return p != progress::closed && p != progress::cancelled; }

/// One event: what, when, by whom, with an optional note, plus the payload some events carry.
struct event {
  event_kind kind = event_kind::start;
  instant at;
  std::string by;
  std::string note;
  tier to = tier::L1;      ///< triage: the tier it assigns (escalate always goes one tier up)
  bool satisfied = true;   ///< follow_up: false when the follow-up finds the problem unsolved (DOM-LC-3)
  /// triage: why the tier differs from the one the policy decided; required to set a lower one (recorded).
  /// Only triage takes a reason.
  std::string reason;

  static event make(event_kind k, instant at, std::string by, std::string note = {}) {
    event e;
    e.kind = k;
    e.at = at;
    e.by = std::move(by);
    e.note = std::move(note);
    return e;
  }
  static event triage(instant at, std::string by, tier t, std::string note = {}, std::string reason = {}) {
    event e = make(event_kind::triage, at, std::move(by), std::move(note));
    e.to = t;
    e.reason = std::move(reason);
    return e;
  }
  static event follow_up(instant at, std::string by, bool satisfied, std::string note = {}) {
    event e = make(event_kind::follow_up, at, std::move(by), std::move(note));
    e.satisfied = satisfied;
    return e;
  }

  friend bool operator==(const event& a, const event& b) noexcept {
    return a.kind == b.kind && a.at == b.at && a.by == b.by && a.note == b.note && a.to == b.to &&
           a.satisfied == b.satisfied && a.reason == b.reason;
  }
  friend bool operator!=(const event& a, const event& b) noexcept { return !(a == b); }
};

/// An accepted event as its audit record keeps it: the members of `event`, with `by`, `note` and `reason`
/// viewing text the ticket owns — its operators stored once, notes and reasons in a store whose chunks never
/// move — so a record is plain data and recording an event by an operator the ticket has seen, without a note,
/// copies no string (docs/architecture.md, "audit records without owned strings"). The views stay valid while
/// the ticket lives and is not assigned to: moving the ticket keeps them, a copy of the ticket views its own
/// copy of the text. To keep an event beyond that, convert it: `event e = r.what;`.
struct recorded_event {
  event_kind kind = event_kind::start;
  tier to = tier::L1;     ///< triage: the tier it assigned
  bool satisfied = true;  ///< follow_up: whether it found the problem solved
  instant at;
  std::string_view by;
  std::string_view note;
  std::string_view reason;  ///< triage: why its tier differs from the policy's ("" when none was given)

  /// The event with its own copies of the strings (`t.fire(r.what)` replays a record).
  operator event() const {
    event e;
    e.kind = kind;
    e.at = at;
    e.by = std::string(by);
    e.note = std::string(note);
    e.to = to;
    e.satisfied = satisfied;
    e.reason = std::string(reason);
    return e;
  }

  /// Equal when every member is, the text by content (a record of one ticket equals its copy's).
  friend bool operator==(const recorded_event& a, const recorded_event& b) noexcept { return same(a, b); }
  friend bool operator!=(const recorded_event& a, const recorded_event& b) noexcept { return !same(a, b); }
  friend bool operator==(const recorded_event& a, const event& b) noexcept { return same(a, b); }
  friend bool operator!=(const recorded_event& a, const event& b) noexcept { return !same(a, b); }
  friend bool operator==(const event& a, const recorded_event& b) noexcept { return same(b, a); }
  friend bool operator!=(const event& a, const recorded_event& b) noexcept { return !same(b, a); }

 private:
  template <class E>
  static bool same(const recorded_event& a, const E& b) noexcept {
    return a.kind == b.kind && a.at == b.at && a.by == b.by && a.note == b.note && a.to == b.to &&
           a.satisfied == b.satisfied && a.reason == b.reason;
  }
};

/// One accepted event (DOM-LC-6: time, operator, event, from-state, to-state, result/note). Trivially copyable
/// (about 72 bytes): its text is the ticket's, see recorded_event.
struct audit_record {
  recorded_event what;
  state from;
  state to;
  /// triage: the tier the policy decided for this ticket, when the ticket knows it (opened from facts). With
  /// what.to (the tier chosen), what.by, what.at and what.reason it is the audit of a tier override.
  std::optional<tier> policy_tier;
  friend bool operator==(const audit_record& a, const audit_record& b) noexcept {
    return a.what == b.what && a.from == b.from && a.to == b.to && a.policy_tier == b.policy_tier;
  }
  friend bool operator!=(const audit_record& a, const audit_record& b) noexcept { return !(a == b); }
};

/// An event not allowed in the current state (or refused by a DOM-LC-5 guard).
/// Its id is kefu.ticket.transition, kefu.ticket.deescalation for a triage below the policy's tier without a
/// reason, or kefu.ticket.upward_report for a `close` of a ticket whose plan requires the level-1 report
/// (DOM-LC-8, critical risk) before it is made.
class transition_error : public kefu::error {
 public:
  transition_error(state from, event_kind ev, std::string reason, std::string id = "kefu.ticket.transition")
      : kefu::error("cannot " + std::string(to_string(ev)) + " a ticket in state " + to_string(from) + ": " + reason,
                    {}, {}, std::move(id)),
        from_(from),
        event_(ev),
        reason_(std::move(reason)) {}
  state from() const noexcept { return from_; }
  event_kind event() const noexcept { return event_; }
  const std::string& reason() const noexcept { return reason_; }

 private:
  state from_;
  event_kind event_;
  std::string reason_;
};

// ---- SLA plan -------------------------------------------------------------------------------------

/// A target: within what, on which calendar (wall targets still name one, e.g. `always`), warning point.
struct sla_target {
  calendar::duration within;
  std::shared_ptr<const calendar::calendar> on;
  calendar::sla_warning warning{};
};

/// What a tier demands. A clock exists while the ticket's current tier has a target for it.
struct tier_targets {
  std::optional<sla_target> first_response;  ///< runs from receipt to `start` (or a direct `resolve`)
  std::optional<sla_target> resolution;      ///< runs from receipt to `resolve`; paused while waiting on the customer
  std::optional<sla_target> follow_up;       ///< runs from `resolve` to `follow_up`, when a follow-up is required
  bool follow_up_required = false;           ///< DOM-LC-5: no `close` before a satisfied follow-up
  bool report_required = false;              ///< DOM-LC-5: no `close` before `attach_report`
};

/// Same target: duration, calendar (by name) and warning point.
inline bool operator==(const sla_target& a, const sla_target& b) noexcept {
  const bool same_calendar = a.on == b.on || (a.on && b.on && a.on->name() == b.on->name());
  // A lead-time warning has no fraction (snapshots keep only the lead).
  return a.within == b.within && same_calendar && a.warning.lead == b.warning.lead &&
         (a.warning.lead || a.warning.fraction == b.warning.fraction);
}
inline bool operator!=(const sla_target& a, const sla_target& b) noexcept { return !(a == b); }
inline bool operator==(const tier_targets& a, const tier_targets& b) noexcept {
  return a.first_response == b.first_response && a.resolution == b.resolution && a.follow_up == b.follow_up &&
         a.follow_up_required == b.follow_up_required && a.report_required == b.report_required;
}
inline bool operator!=(const tier_targets& a, const tier_targets& b) noexcept { return !(a == b); }

/// Upward reporting (DOM-LC-8, 000 §9.1.2.2 一级上报 → 二级上报): whether the ticket must make its level-1 report
/// before it closes, and the reports' deadlines when the policy gives them (000 gives none: the default policy
/// has none, so no report clock runs unless a policy sets one).
struct report_terms {
  bool level_1_required = false;       ///< no `close` before `report_level_1` (critical risk)
  std::optional<sla_target> level_1;   ///< the level-1 report is due this long after receipt (when required)
  std::optional<sla_target> level_2;   ///< the level-2 report is due this long after the level-1 report
  bool empty() const noexcept { return !level_1_required && !level_1 && !level_2; }
  friend bool operator==(const report_terms& a, const report_terms& b) noexcept {
    return a.level_1_required == b.level_1_required && a.level_1 == b.level_1 && a.level_2 == b.level_2;
  }
  friend bool operator!=(const report_terms& a, const report_terms& b) noexcept { return !(a == b); }
};

/// Everything a ticket needs from policy; plain data, so the ticket layer does not depend on rules.
/// Snapshots carry the plan, so a restored ticket keeps the terms it was opened under even when the
/// policy has changed since.
struct ticket_plan {
  std::array<tier_targets, tier_count> tiers;
  seconds reopen_window{7 * 24 * 3600};  ///< a closed ticket may be reopened until closed_at + window
  std::string system_operator = "system";  ///< the operator of automatic escalations
  report_terms reports;                     ///< DOM-LC-8 (snapshots write it only when not empty)

  const tier_targets& of(tier t) const noexcept { return tiers[static_cast<std::size_t>(t)]; }
  friend bool operator==(const ticket_plan& a, const ticket_plan& b) noexcept {
    return a.tiers == b.tiers && a.reopen_window == b.reopen_window && a.system_operator == b.system_operator &&
           a.reports == b.reports;
  }
  friend bool operator!=(const ticket_plan& a, const ticket_plan& b) noexcept { return !(a == b); }
};

/// Finds a calendar by the name a snapshot gives (e.g. a triage policy's `calendar(name)`); throws
/// kefu::error for a name it does not know.
using calendar_resolver = std::function<std::shared_ptr<const calendar::calendar>(const std::string&)>;

/// DOM-ESC-1's tiers on the built-in calendars, as rules/tiers.yaml: L1 respond 1 h / resolve 24 h; L2 2 h /
/// 48 h and a follow-up within 3 workdays (cn-mainland); L3 24 h / 7 workdays (cn-mainland) and a report.
ticket_plan default_plan();

enum class clock_name : std::uint8_t { first_response, resolution, follow_up };
inline constexpr std::size_t clock_count = 3;
namespace names {
inline constexpr const char* clock[] = {"first_response", "resolution", "follow_up"};
}  // namespace names
static_assert(clock_count == static_cast<std::size_t>(clock_name::follow_up) + 1, "clock_count");
static_assert(sizeof(names::clock) / sizeof(names::clock[0]) == clock_count, "a name for every clock");
inline const char* to_string(clock_name c) noexcept {
  return static_cast<std::size_t>(c) < clock_count ? names::clock[static_cast<std::size_t>(c)] : "?";
}

/// A deadline that moved when the ticket was restored on newer calendars (DOM-SLA-8): the snapshot said
/// the clock's due rested on provisional days (past its calendar's official data), and the calendar the
/// restore found under the same name now puts it elsewhere, typically because the year's holiday notice
/// has been loaded. Part of the ticket's record: written in snapshots, restored as it is, compared by ==.
struct deadline_change {
  clock_name clock = clock_name::resolution;
  instant at;         ///< as of when both dues are computed: the snapshot's last recorded instant
  instant old_due;    ///< the provisional due the snapshot carried
  instant new_due;    ///< the due on the calendar the restore found
  bool still_provisional = false;  ///< the new due rests on provisional days too
  std::string reason;  ///< "calendar 'cn-mainland' official data now reaches 2027-12-31 (…)"

  friend bool operator==(const deadline_change& a, const deadline_change& b) noexcept {
    return a.clock == b.clock && a.at == b.at && a.old_due == b.old_due && a.new_due == b.new_due &&
           a.still_provisional == b.still_provisional && a.reason == b.reason;
  }
  friend bool operator!=(const deadline_change& a, const deadline_change& b) noexcept { return !(a == b); }
};

/// "resolution: 2027-01-06 00:00 → 2027-01-08 00:00 (reason)", times local to `zone`: the note of the
/// `deadline_moved` row Python's Ticket.history shows for it.
inline std::string describe(const deadline_change& d, const time_zone& zone) {
  auto local = [&](instant t) {
    std::string s = format_instant(t, zone);  // 2027-01-08T00:00:00+08:00
    s[10] = ' ';
    return s.substr(0, 16);
  };
  return std::string(to_string(d.clock)) + ": " + local(d.old_due) + " → " + local(d.new_due) + " (" + d.reason + ")";
}

/// The upward reports' clocks (DOM-LC-8), beside the three SLA clocks: level 1 runs from receipt until the
/// level-1 report when the plan requires it and gives it a deadline; level 2 runs from the level-1 report until
/// the level-2 report, the resolution or a cancel, when the plan gives it a deadline.
enum class report_level : std::uint8_t { level_1, level_2 };
inline constexpr std::size_t report_level_count = 2;
namespace names {
inline constexpr const char* report_clock[] = {"report_level_1", "report_level_2"};
}  // namespace names
inline const char* to_string(report_level r) noexcept {
  return static_cast<std::size_t>(r) < report_level_count ? names::report_clock[static_cast<std::size_t>(r)] : "?";
}

/// `ticket::sla(at)`: each clock's status, empty for a clock the ticket does not have.
struct sla_report {
  std::array<std::optional<calendar::sla_status>, clock_count> clocks;
  /// The upward reports' deadlines (DOM-LC-8), empty without one.
  std::array<std::optional<calendar::sla_status>, report_level_count> reports;
  const std::optional<calendar::sla_status>& operator[](clock_name c) const noexcept {
    return clocks[static_cast<std::size_t>(c)];
  }
  const std::optional<calendar::sla_status>& operator[](report_level r) const noexcept {
    return reports[static_cast<std::size_t>(r)];
  }
  /// The ticket's named clocks (DOM-SLA-10), in the order its clock book declares them.
  std::vector<named_clock_status> named;
  bool any_breached() const noexcept {
    for (const auto& c : clocks)
      if (c && c->state == calendar::sla_state::breached) return true;
    for (const auto& c : reports)
      if (c && c->state == calendar::sla_state::breached) return true;
    for (const auto& c : named)
      if (c.status && c.status->state == calendar::sla_state::breached) return true;
    return false;
  }
};

/// Data beside the two states.
struct ticket_flags {
  bool followed_up = false;      ///< a satisfied follow-up since the last resolve
  bool report_attached = false;  ///< a written handling report was attached
  std::uint32_t reopen_count = 0;
  std::optional<instant> closed_at;
  std::uint8_t reported = 0;         ///< DOM-LC-8: the highest upward report made (0 none, 1 一级, 2 二级)
  std::uint32_t improvements = 0;    ///< DOM-LC-1: improvement items recorded (track_improvement)
  friend bool operator==(const ticket_flags& a, const ticket_flags& b) noexcept {
    return a.followed_up == b.followed_up && a.report_attached == b.report_attached &&
           a.reopen_count == b.reopen_count && a.closed_at == b.closed_at && a.reported == b.reported &&
           a.improvements == b.improvements;
  }
};

// ---- the ticket -------------------------------------------------------------------------------------

class ticket;
namespace detail {
void set_action_hook_for_testing(ticket& t, std::function<void(event_kind)> hook);
}  // namespace detail

class ticket {
 public:
  /// A ticket received at `received` (state received/L1); starts the first-response and resolution clocks.
  /// `policy_tier`: the tier the policy decided for it (open() gives the triage's); a triage below it then needs
  /// a reason, and every triage record keeps it.
  ticket(std::string id, ticket_plan plan, instant received, std::string by = "system",
         std::optional<tier> policy_tier = std::nullopt);
  /// The same with a plan shared by many tickets (nothing copied per ticket).
  ticket(std::string id, std::shared_ptr<const ticket_plan> plan, instant received, std::string by = "system",
         std::optional<tier> policy_tier = std::nullopt);
  ~ticket();
  ticket(const ticket&);
  ticket& operator=(const ticket&);
  ticket(ticket&&) noexcept;
  ticket& operator=(ticket&&) noexcept;

  const std::string& id() const noexcept;
  instant received() const noexcept;
  const std::string& received_by() const noexcept;
  const ticket_plan& plan() const noexcept;
  /// The tier the policy decided for this ticket, when it was opened from facts (none otherwise).
  std::optional<tier> policy_tier() const noexcept;

  state current() const noexcept;
  progress where() const noexcept { return current().where; }
  tier level() const noexcept { return current().level; }
  const ticket_flags& flags() const noexcept;

  /// Applies an event. transition_error when it is not allowed (naming state and event), or when it is a triage
  /// below policy_tier() without a reason (id kefu.ticket.deescalation); the ticket is then unchanged, as it is
  /// when anything else throws on the way (strong guarantee).
  void fire(const event& e);
  /// The same (the record keeps the ticket's own copy of the text either way; `e` is left as it was).
  void fire(event&& e);
  /// Whether `fire(e)` would be accepted by the machine's guards (clocks are not consulted).
  bool can_fire(const event& e) const;
  /// The kinds of event acceptable now (with default payloads: triage to the policy's tier, L1 when the ticket
  /// does not know it; a satisfied follow-up).
  std::vector<event_kind> allowed_events(instant at) const;

  /// Each clock's status as of `at`.
  sla_report sla(instant at) const;
  /// DOM-ESC-4: when an open ticket has a running or paused clock (an upward report's included) that is breached
  /// at `at`, escalate one tier (operator plan().system_operator, the note names the clock) and record the upward
  /// report that goes with it (000 §9.1.2.2): `report_level_1` on the first such escalation, `report_level_2` on a
  /// further one. At L3 there is no tier left: a breach still records the level-1 report when it is not made, and
  /// the level-2 report for a breach whose deadline passed after the level-1 report. Returns whether it did
  /// anything.
  bool tick(instant at);

  /// The accepted events, oldest first. Their text views the ticket's own (see recorded_event): valid while
  /// the ticket lives and is not assigned to, across later events and moves of the ticket.
  const std::vector<audit_record>& history() const noexcept;
  /// Deadlines that moved when a snapshot of this ticket was restored on newer calendars, oldest first
  /// (DOM-SLA-8; see deadline_change). Kept beside the audit history: they are not events of the machine.
  const std::vector<deadline_change>& deadline_changes() const noexcept;
  /// Room in the history for `events` more records (a replay knows how many are coming).
  void reserve(std::size_t events);
  /// A clock, or nullptr when the current tier has no such target (or it has not started: follow_up).
  const calendar::sla_clock* clock(clock_name c) const noexcept;
  /// An upward report's clock (DOM-LC-8), or nullptr when it has none (see report_level).
  const calendar::sla_clock* clock(report_level r) const noexcept;

  // ---- named clocks and milestones (DOM-SLA-10; include/kefu/ticket/named_clocks.hpp) ----
  /// Gives the ticket named clocks: `book`'s clocks (all of them: rules::clocks_for selects a ticket's) with
  /// its milestones. Only before the first event. Clocks triggered by `receive` start at the receipt; one with a
  /// start_fact starts at `fact_starts[i]` (same order as book->clocks) when given, which must not be after
  /// the receipt. kefu::error with id kefu.ticket.named_clock otherwise; the ticket is then unchanged.
  void use_clocks(rules::clock_book_ptr book, const std::vector<std::optional<instant>>& fact_starts = {});
  /// The clock book, or nullptr when the ticket has no named clocks.
  const rules::clock_book* clock_book() const noexcept;
  /// A named clock, or nullptr when the ticket has none of that name or it has not started.
  const calendar::sla_clock* clock(std::string_view name) const noexcept;
  /// Records a milestone: audited, state unchanged, named clocks triggered. kefu::error with id
  /// kefu.ticket.milestone for a name the clock book does not declare (or a ticket without one), or a time
  /// before the ticket's last event; the ticket is then unchanged.
  void mark(const milestone& m);
  /// The milestones recorded, oldest first.
  const std::vector<milestone_record>& milestones() const noexcept;

  /// A JSON snapshot: the plan (every tier's targets and terms), state names, flags, clocks (targets and
  /// event lists) and the history. A clock whose due, as of the last recorded instant (the latest history
  /// record's time, else the receipt), rests on provisional calendar days also carries that `due`,
  /// `"provisional":true` and its calendar's `official_until`; recorded deadline changes follow the history
  /// as `deadline_changes`. A ticket that knows its policy's tier has `policy_tier` after `received_by`, and a
  /// triage record its `policy_tier` and `reason` (when given). A ticket with named clocks has `named_clocks`
  /// (its clock book, each clock's fact start and events) and `milestones` last. All of these only when there
  /// are any, so other snapshots read and write as before.
  std::string to_json() const;
  /// Restores a snapshot under the plan it carries, its calendars found by name with `resolve`: replays the
  /// history and checks that state, flags and clocks are exactly what the snapshot says. parse_error with
  /// line and column for malformed JSON, naming the field for anything inconsistent. A clock the snapshot
  /// marks provisional is recomputed as of the same instant on the calendar found now; when its due differs,
  /// a deadline_change is recorded (after the ones the snapshot carries, which are restored as they are).
  static ticket from_json(std::string_view json, const calendar_resolver& resolve);
  /// The same, and the snapshot's plan must equal `plan` (an error names the first difference).
  static ticket from_json(std::string_view json, ticket_plan plan);
  /// A fresh ticket with every recorded event fired again.
  static ticket replay(std::string id, ticket_plan plan, instant received, std::string by,
                       const std::vector<audit_record>& history, std::optional<tier> policy_tier = std::nullopt);

  /// Same id, receipt, policy tier, plan, state, flags, clocks (targets, calendars, warnings, events), history
  /// and deadline changes.
  friend bool operator==(const ticket& a, const ticket& b);
  friend bool operator!=(const ticket& a, const ticket& b) { return !(a == b); }
  friend void detail::set_action_hook_for_testing(ticket& t, std::function<void(event_kind)> hook);

 private:
  struct impl;
  std::unique_ptr<impl> p_;
  explicit ticket(std::unique_ptr<impl> p);
  static ticket restore(std::string_view json, const ticket_plan* expected, const calendar_resolver* resolve);
  void fire_impl(const event& e);
  bool tick_named(instant at);
};

/// The plan as the JSON object snapshots carry (`"plan"`).
std::string plan_to_json(const ticket_plan& plan);
/// The first difference between two plans ("L2 resolution: 48h on always vs 72h on always"), or "".
std::string plan_difference(const ticket_plan& a, const ticket_plan& b);

// ---- the machine's own description --------------------------------------------------------------------

/// One row of the machine's transition table (the same table the MSM rows are generated from).
struct transition_info {
  const char* region;  ///< "progress" | "escalation"
  const char* from;
  const char* event;
  const char* to;      ///< equals `from` for an internal transition
  const char* guard;   ///< "" when unguarded
  bool internal;
};
const std::vector<transition_info>& transitions();
/// The lifecycle diagram, generated from the transition table.
std::string graph_mermaid();
std::string graph_dot();

namespace detail {
/// Tests only: called with the event kind inside every MSM action of this ticket (so an action can be
/// made to throw). Per ticket, so kefu keeps no global mutable state.
void set_action_hook_for_testing(ticket& t, std::function<void(event_kind)> hook);
}  // namespace detail

}  // namespace kefu::ticket
