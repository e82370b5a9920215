// kefu — a ticket opened from facts: the one way both languages do it (Python's kefu.Ticket(policy, facts,
// at, id=, by=) calls it).
//
//   const auto policy = kefu::rules::triage_policy::load_directory("rules");
//   kefu::ticket::ticket t = kefu::ticket::open(*policy, facts, kefu::parse_instant("2026-02-13T10:00+08:00"),
//                                               "T-1", "intake");
//   t.fire(kefu::ticket::event::triage(at, "alice", *kefu::ticket::parse_tier(r.tier)));
//   // or, below the tier the policy decided, with the reason the history records (required):
//   t.fire(kefu::ticket::event::triage(at, "alice", kefu::ticket::tier::L1, "", "customer withdrew the threat"));
#pragma once

#include <kefu/rules/triage.hpp>
#include <kefu/ticket/from_triage.hpp>
#include <kefu/ticket/ticket.hpp>

#include <memory>
#include <optional>
#include <string>

namespace kefu::ticket {

/// A ticket opened from facts, and the triage it was planned with.
struct opened {
  ticket t;
  rules::triage_result triage;
};

/// Opens a ticket from `facts` in state received/L1: the facts are triaged (risk, tier, deadlines) and the
/// ticket is held to plan_for(policy, facts) — every tier's terms as the policy gives them for these facts, so a
/// ticket escalated later is held to the policy's targets for its new tier. The ticket knows the tier triage
/// decided (ticket::policy_tier): a `triage` event setting a lower one needs a reason, and is audited.
///  - `at`: when it was received; the fact received_at when not given (then it must be there). Given both,
///    they must agree. The facts are triaged as received at `at`.
///  - `id`: the ticket's id; the fact ticket_id when empty. Given both, they must agree.
///  - `by`: the operator recorded for the receipt.
/// kefu::error with id kefu.ticket.open when the receipt or the id is missing or given twice differently;
/// triage's own errors (a bad fact, a calendar range) pass through as they are.
ticket open(const rules::triage_policy& policy, const rules::record& facts, std::optional<instant> at = std::nullopt,
            std::string id = {}, std::string by = "system");

/// Gives `t` (before its first event) the named clocks of `policy` that apply to `facts` (DOM-SLA-10:
/// triage_policy::clocks_for, each clock's start_fact read from the facts); nothing when the policy has no
/// clock book. open() calls it; kefu::error with id kefu.ticket.named_clock as ticket::use_clocks.
void use_policy_clocks(ticket& t, const rules::triage_policy& policy, const rules::record& facts);

/// open() that also returns the triage; with `plan`, the ticket is held to that plan instead of the policy's for
/// these facts (the facts are triaged all the same, for the triage result).
opened open_triaged(const rules::triage_policy& policy, const rules::record& facts, std::optional<instant> at = std::nullopt,
                    std::string id = {}, std::string by = "system", std::shared_ptr<const ticket_plan> plan = nullptr);

}  // namespace kefu::ticket
