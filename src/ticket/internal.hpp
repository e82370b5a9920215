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

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
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
/// What `trigger` at `at` does to `clocks` (one per entry of `book`), found in one pass: nothing (most events:
/// fire() then copies nothing); only stops, pauses and resumes of running clocks, none earlier than their last
/// event — appends that cannot fail once each clock has room (reserve_named), so they are made in place; or a
/// start (which may fail: a calendar's range) or an append before a clock's last event (a clock started from
/// a fact may lie ahead), made on a copy so that a failure changes nothing.
enum class named_change { none, in_place, on_copy };
named_change named_change_of(const rules::clock_book& book, const std::vector<std::optional<calendar::sla_clock>>& clocks,
                             std::string_view trigger, instant at);
/// Room for the next event in every clock (sla_clock::reserve_next): may throw, changes no clock's events.
void reserve_named(std::vector<std::optional<calendar::sla_clock>>& clocks);

/// Whether two texts are equal, short ones (an operator's name) compared as two overlapping words rather than
/// through a memcmp call: intern() compares one on every event.
inline bool same_text(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  auto word = [](const char* p, auto w) {
    std::memcpy(&w, p, sizeof w);
    return w;
  };
  if (n >= 8 && n <= 16)
    return word(a.data(), std::uint64_t()) == word(b.data(), std::uint64_t()) &&
           word(a.data() + n - 8, std::uint64_t()) == word(b.data() + n - 8, std::uint64_t());
  if (n >= 4 && n < 8)
    return word(a.data(), std::uint32_t()) == word(b.data(), std::uint32_t()) &&
           word(a.data() + n - 4, std::uint32_t()) == word(b.data() + n - 4, std::uint32_t());
  return a == b;
}

/// The text a ticket's audit records view (recorded_event's `by`, `note` and `reason`): operators interned (a
/// ticket has a handful, and most events repeat the last one), other text appended to chunks that never move,
/// so a view stays valid while the history grows and when the store itself is moved. Not copyable: a copied
/// history keeps its text anew (audit_log's copy).
class text_store {
 public:
  text_store() = default;
  text_store(const text_store&) = delete;
  text_store& operator=(const text_store&) = delete;
  text_store(text_store&& o) noexcept { swap(o); }
  text_store& operator=(text_store&& o) noexcept {
    text_store gone(std::move(o));
    swap(gone);
    return *this;
  }

  /// A copy of `s` in the store ("" takes no room).
  std::string_view keep(std::string_view s) {
    if (s.empty()) return {};
    if (s.size() > left_) grow(s.size());
    char* at = next_;
    std::memcpy(at, s.data(), s.size());
    next_ += s.size();
    left_ -= s.size();
    return {at, s.size()};
  }
  /// The stored copy of an operator's name, kept on first use.
  std::string_view intern(std::string_view name) {
    if (last_ < interned_.size() && same_text(interned_[last_], name)) return interned_[last_];
    return intern_other(name);
  }
  /// Room for `bytes` of text in the current chunk (a copy knows how much it keeps).
  void reserve(std::size_t bytes) {
    if (bytes > left_) grow(bytes);
  }

 private:
  void grow(std::size_t at_least);
  std::string_view intern_other(std::string_view name);
  void swap(text_store& o) noexcept {
    chunks_.swap(o.chunks_);
    std::swap(next_, o.next_);
    std::swap(left_, o.left_);
    std::swap(next_chunk_, o.next_chunk_);
    interned_.swap(o.interned_);
    std::swap(last_, o.last_);
    index_.swap(o.index_);
  }

  std::vector<std::unique_ptr<char[]>> chunks_;
  char* next_ = nullptr;       // the free room of the last chunk
  std::size_t left_ = 0;
  std::size_t next_chunk_ = 128;  // doubling up to a cap: a short ticket takes one small chunk
  std::vector<std::string_view> interned_;  // the operators, in order of first use
  std::size_t last_ = 0;                    // the one the last intern() returned
  std::unordered_map<std::string_view, std::size_t> index_;  // interned_ by name, once there are more than a few
};

/// A ticket's audit history: the records and the text they view, kept together so that a copy re-points its
/// records into its own text, and a move keeps them pointing where they did (chunks do not move).
struct audit_log {
  std::vector<audit_record> records;
  text_store texts;

  audit_log() = default;
  audit_log(const audit_log& o);
  audit_log& operator=(const audit_log& o) {
    if (this != &o) *this = audit_log(o);
    return *this;
  }
  audit_log(audit_log&&) noexcept = default;
  audit_log& operator=(audit_log&&) noexcept = default;
};

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
  audit_log history;  // the records (history()) and the text they view
  std::vector<deadline_change> deadline_changes;  // recorded by restores on newer calendars (DOM-SLA-8)
  named_clock_set named;  // named clocks and milestones (named_clocks.cpp)

  instant last_instant() const noexcept {
    const instant h = history.records.empty() ? received : history.records.back().what.at;
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
