// kefu — what the ticket's source files share (internal to src/ticket): the ticket's state and the SLA clock
// helpers; machine.hpp is the machine's interface (its MSM back end stays inside machine.cpp).
//
//   machine.cpp   the Boost.MSM machine, generated from table.hpp (the only file that includes msm::back)
//   ticket.cpp    the ticket class: fire with the strong guarantee, sla, tick, equality, the default plan
//   clocks.cpp    the SLA clocks: the table's clock effects applied, retargeting on a tier change
//   named_clocks.cpp    named clocks and milestones (DOM-SLA-10): triggers, use_clocks, mark, tick
//   named_snapshot.cpp  their members in snapshots
//   snapshot.cpp  to_json / from_json (nlohmann-json), plan_to_json, plan_difference
//   diagram.cpp   transitions(), Mermaid and DOT
//   open.cpp      open(): a ticket from facts (the rules layer)
//   replay.cpp    replay(): many tickets' event logs at once
#pragma once

#include <kefu/ticket/ticket.hpp>

#include <array>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

namespace kefu::ticket {

/// A T built only when asked for (emplace), without touching its storage before: std::optional's default
/// constructor zero-fills the whole payload with GCC, which for the clock sets fire() may copy costs more than
/// the dispatch itself on the events that need no copy.
template <class T>
class lazy {
 public:
  lazy() noexcept {}  // NOLINT: the storage stays uninitialised on purpose
  lazy(const lazy&) = delete;
  lazy& operator=(const lazy&) = delete;
  ~lazy() {
    if (engaged_) get().~T();
  }
  template <class... Args>
  T& emplace(Args&&... args) {
    new (&storage_) T(std::forward<Args>(args)...);
    engaged_ = true;
    return get();
  }
  T& get() noexcept { return *std::launder(reinterpret_cast<T*>(&storage_)); }

 private:
  alignas(T) unsigned char storage_[sizeof(T)];
  bool engaged_ = false;
};

using clock_set = std::array<std::optional<calendar::sla_clock>, clock_count>;
using report_clock_set = std::array<std::optional<calendar::sla_clock>, report_level_count>;

/// A ticket's named clocks (DOM-SLA-10): its clock book, one clock per book entry (none until started), the
/// instants facts gave as starts, and the milestones recorded.
struct named_clock_set {
  rules::clock_book_ptr book;
  std::vector<std::optional<calendar::sla_clock>> clocks;
  std::vector<std::optional<instant>> fact_starts;
  std::vector<milestone_record> milestones;

  /// Clock events, targets and calendars equal, books equal by content, milestones equal.
  friend bool operator==(const named_clock_set& a, const named_clock_set& b);
};

/// `clocks` (one per entry of `book`) after `trigger` (a lifecycle event's name or a milestone's) at `at`:
/// stop, pause, resume, start, each where the clock's state allows it.
void apply_named(const rules::clock_book& book, std::vector<std::optional<calendar::sla_clock>>& clocks,
                 std::string_view trigger, instant at);
/// Whether `trigger` changes any of `clocks` (most events change none: fire() then copies nothing).
bool named_touched(const rules::clock_book& book, const std::vector<std::optional<calendar::sla_clock>>& clocks,
                   std::string_view trigger);

struct ticket::impl {
  std::function<void(event_kind)> action_hook;  // tests only (set_action_hook_for_testing)
  std::string id;
  std::shared_ptr<const ticket_plan> shared_plan;  // shared by the tickets opened with it (copy-free)
  const ticket_plan& plan() const noexcept { return *shared_plan; }
  instant received;
  std::string received_by;
  std::optional<tier> policy_tier;  // the tier the policy decided, when opened from facts
  state now;           // both regions' active states
  ticket_flags flags;  // changed by the machine's actions
  clock_set clocks;
  report_clock_set reports;  // DOM-LC-8: the upward reports' clocks (ticket.cpp keeps them)
  std::vector<audit_record> history;
  std::vector<deadline_change> deadline_changes;  // recorded by restores on newer calendars (DOM-SLA-8)
  named_clock_set named;  // named clocks and milestones (named_clocks.cpp)

  instant last_instant() const noexcept {
    const instant h = history.empty() ? received : history.back().what.at;
    return named.milestones.empty() || named.milestones.back().what.at < h ? h : named.milestones.back().what.at;
  }
};

// ---- clocks (clocks.cpp) -------------------------------------------------------------------------------

bool stopped(const calendar::sla_clock& c);
const std::optional<sla_target>& target_of(const tier_targets& t, clock_name c);

/// The clocks after an accepted event: the effects of the progress row taken (`progress_row`, -1 for
/// none), then, when the tier changed, every clock retargeted on the new tier's targets.
void apply_clocks(clock_set& clocks, int progress_row, const event& e, state pre, state post, instant received,
                  const ticket_plan& plan);

/// The clock's due as of `at` when it rests on provisional calendar days (DOM-SLA-8), else nothing.
std::optional<instant> provisional_due(const calendar::sla_clock& k, instant at);

const char* clock_kind_name(calendar::clock k);

/// The upward reports' clocks after an accepted event `e` that led to `post` (DOM-LC-8): level 1 stops at the
/// level-1 report or a cancel; level 2 starts at the level-1 report (when the plan gives it a deadline) and
/// stops at the level-2 report, the resolution or a cancel. Returns whether anything changed.
bool apply_report_clocks(report_clock_set& reports, const event& e, state pre, state post, const ticket_plan& plan);


}  // namespace kefu::ticket
