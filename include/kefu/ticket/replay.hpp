// kefu — many tickets' event logs replayed at once (what kefu.replay does from Python).
//
// The events are grouped by ticket with a counting sort and each ticket's are applied in time order (ties keep
// the log's order); tickets are independent, so they are split over threads (kefu::detail::parallel_shares).
// Nothing is returned when anything fails, and the error is the one a single pass would meet first: every
// row is checked before any ticket runs, then the earliest ticket's error wins. Errors name the events row
// (0-based, in the log's order) and the ticket:
//
//   cannot close a ticket in state triaged/L2: event not allowed in state triaged (ticket 'T-2', events row 1)
//   events row 0: ticket 'T-9' is not among the tickets
//
// A refused event is a transition_error (id kefu.ticket.transition); a log that does not add up (an unknown
// ticket, a follow-up without `satisfied`, columns of different lengths, …) a kefu::error with id
// kefu.ticket.replay; an error opening a ticket keeps its class and id, prefixed with the ticket's row.
#pragma once

#include <kefu/rules/triage.hpp>
#include <kefu/ticket/open.hpp>
#include <kefu/ticket/ticket.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kefu::ticket {

/// An event log as typed columns, one entry per row in the log's order. `ticket_ids`, `at`, `kinds` and
/// `operators` have one entry per row; `notes`, `tiers`, `satisfied` and `reasons` are each either empty (the
/// log has no such column) or one entry per row.
struct event_log {
  std::vector<std::string> ticket_ids;  ///< the ticket each row belongs to
  std::vector<instant> at;
  std::vector<event_kind> kinds;
  std::vector<std::string> operators;  ///< `by` (DOM-LC-6: every audit record names its operator)
  std::vector<std::string> notes;
  /// triage: the tier it assigns; none = the tier the ticket's own triage gave (an error when tickets are held
  /// to one plan and not triaged). Other events take none.
  std::vector<std::optional<tier>> tiers;
  /// follow_up: whether it found the problem solved (required). Other events take none.
  std::vector<std::optional<bool>> satisfied;
  /// triage: why its tier differs from the one the ticket's policy decided (required below it). Other events
  /// take none ("" = none).
  std::vector<std::string> reasons;
  /// Milestones (DOM-SLA-10, ticket::mark): a row whose entry is not empty records that milestone instead of
  /// firing an event (its `kinds` entry is then ignored; it takes no tier, satisfied or reason). Empty (the log
  /// has no such column) or one entry per row.
  std::vector<std::string> milestones;

  std::size_t size() const noexcept { return ticket_ids.size(); }
  void reserve(std::size_t rows);
  /// Appends a row (the optional columns are filled as needed).
  void add(std::string ticket_id, instant at, event_kind kind, std::string by, std::string note = {},
           std::optional<tier> to = std::nullopt, std::optional<bool> satisfied = std::nullopt,
           std::string reason = {});
  /// Appends a milestone row.
  void add_milestone(std::string ticket_id, instant at, std::string milestone, std::string by, std::string note = {});
};

struct replay_options {
  std::string received_by = "system";  ///< the operator recorded for every ticket's receipt
  unsigned threads = 0;                ///< at most this many threads; 0 = one per core
  std::size_t min_share = 500;         ///< never fewer tickets per thread (threads cost more than they save)
};

/// Opens every ticket of `facts` as open() does (triaged, every tier planned from `policy`, received at its
/// fact received_at, its id the fact ticket_id, knowing its policy's tier) and replays its events: a triage row
/// below the policy's tier needs a reason (else kefu.ticket.deescalation, naming the ticket and the row). The tickets come back in the order
/// of `facts`; `triaged`, when not null, receives each one's triage in the same order.
std::vector<ticket> replay(const rules::triage_policy& policy, const std::vector<rules::record>& facts,
                           event_log events, const replay_options& options = {},
                           std::vector<rules::triage_result>* triaged = nullptr);

/// Tickets given by id and receipt time, all held to one `plan` and not triaged (so every triage event must
/// say its tier), with their events replayed; in the order of `ids`.
std::vector<ticket> replay(std::shared_ptr<const ticket_plan> plan, const std::vector<std::string>& ids,
                           const std::vector<instant>& received, event_log events, const replay_options& options = {});

}  // namespace kefu::ticket
