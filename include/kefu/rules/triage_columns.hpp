// kefu — columnar triage: many tickets' facts in, every triage answer out as columns.
//
//   kefu::rules::batch facts(*policy, n);                 // a batch over the facts vocabulary
//   facts.codes("business", business).codes("category", category)
//        .texts("text", texts).numbers("received_at", seconds).numbers("claimed_amount", fen);
//   const auto t = kefu::rules::triage_batch(facts);      // t.risk_level[i], t.resolution_due[i] …
//
// Every row is triaged exactly as triage_policy::triage triages its facts (the same policies in the same
// order, the same deadlines), without building the per-ticket result: codes and rule indices instead of
// names, instants as seconds since 1970-01-01Z, lists as offsets into one array. The error is the one
// triage gives for the first row at fault, with "row N: " in front (class and id kept). Large batches run on
// several threads (kefu/detail/parallel.hpp) with the same result and the same error.
#pragma once

#include <kefu/rules/batch.hpp>
#include <kefu/rules/triage.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace kefu::rules {

/// The triage of a batch of tickets. It refers to the triage policy that made it (keep the policy alive).
struct triage_columns {
  const triage_policy* policy = nullptr;

  /// Risk level, tier and refund decision: indices into the values of the facts risk_level, tier and
  /// refund_decision (facts()[…].values; the same as the policies' outputs).
  std::vector<std::int32_t> risk_level, tier, refund_decision;
  /// Row i's risk signals: risk().rules()[signal_rules[signal_offsets[i] .. signal_offsets[i + 1])], in order.
  std::vector<std::int64_t> signal_offsets{0};
  std::vector<std::int32_t> signal_rules;
  /// Row i's escalation rules that gave its tier (indices into escalation().rules()), as signals above.
  std::vector<std::int64_t> tier_rule_offsets{0};
  std::vector<std::int32_t> tier_rules;
  /// The tiers rule (into tiers().rules()) and the refund rule (into refund().rules()); −1: the default.
  std::vector<std::int32_t> tiers_rule, refund_rule;
  /// The owners as a set: bit k is value k of the tiers policy's `owners` output.
  std::vector<std::int64_t> owners;
  std::vector<std::uint8_t> follow_up_required, report_required;
  /// Routed ahead of the queue (triage_result::priority_routing, DOM-ESC-5).
  std::vector<std::uint8_t> priority_routing;
  /// Deadlines in seconds since 1970-01-01Z; follow_up_due only where follow_up_required (0 elsewhere).
  std::vector<std::int64_t> first_response_due, resolution_due, follow_up_due;
  /// Per row, bit 0: the first-response deadline is provisional (DOM-SLA-8), bit 1: resolution, bit 2:
  /// follow-up, bit 3: some target.
  std::vector<std::uint8_t> provisional;
  /// The calendars the deadlines used: indices into the values of service_calendar()'s business_hours and
  /// working_days outputs.
  std::vector<std::int32_t> business_calendar, workday_calendar;
  /// The customer value tier (triage_result::customer_tier, DOM-CH-3): an index into the values of the customer_tier
  /// fact, −1 where neither given nor computed; customer_tier_computed where the customer-value policy gave it.
  std::vector<std::int32_t> customer_tier;
  std::vector<std::uint8_t> customer_tier_computed;
  /// Days from purchase to receipt (local dates); −1 where purchased_at is not given.
  std::vector<std::int64_t> days_since_purchase;
  /// Row i's channel and category targets: sla_targets().rules()[target_rules[k]] due target_due[k] (provisional
  /// when target_provisional[k]) for k in [target_offsets[i], target_offsets[i + 1]).
  std::vector<std::int64_t> target_offsets{0};
  std::vector<std::int32_t> target_rules;
  std::vector<std::int64_t> target_due;
  std::vector<std::uint8_t> target_provisional;
  /// The actions the row's rules ask for (DOM-RISK-4): bit k is triage_policy::action_entries()[k] (actions_text
  /// spells a mask). Each action's owners and deadline are on triage()'s result.
  std::vector<std::uint64_t> actions;
  /// The tier every row was triaged at (triage_batch_at_tier: an index into the tier fact's values); −1 for
  /// triage_batch, where the escalation policy decided each row's tier.
  std::int64_t at_tier = -1;

  std::size_t size() const noexcept { return risk_level.size(); }
};

/// The owners of a set mask of the tiers policy's `owners` output, as a report shows them: "supervisor,qc,legal".
std::string owners_text(const triage_policy& t, std::int64_t mask);

/// What the refund policy's rules say, per rule (the last entry: the default), as a report shows it: the rule's
/// id ("" for the default) and its `reason`. at(refund_rule[i]) is row i's entry.
struct refund_texts {
  std::vector<std::string> ids, reasons;
  explicit refund_texts(const policy& refund);
  std::size_t at(std::int32_t rule) const { return rule < 0 ? ids.size() - 1 : static_cast<std::size_t>(rule); }
};

/// Triage of every row of a batch of facts (made with batch(triage_policy, rows)). Throws as described at the
/// top of this file; kefu::error (kefu.rules.column) for a batch of one policy's inputs.
triage_columns triage_batch(const batch& facts, const batch_options& options = {});

/// The same as if the escalation policy had given every row `tier` (triage_policy::triage_at_tier row by row):
/// that tier's owners, deadlines and terms; tier_rules are empty. kefu::error for a tier the vocabulary lacks.
triage_columns triage_batch_at_tier(const batch& facts, const std::string& tier, const batch_options& options = {});

/// The stages of a triage, in the order triage_rows indexes them: the six policies in policies() order, then the
/// tier's deadlines (first response, resolution, follow-up) computed on the calendars the service-calendar chose.
enum triage_stage : std::size_t { risk_stage, escalation_stage, tiers_stage, refund_stage, targets_stage, service_stage,
                                  deadlines_stage, stage_count };
using triage_stages = std::array<bool, stage_count>;

/// Internal: the stages whose answers triage_rows takes from `from`, another triage of the same rows and facts,
/// instead of deciding them again: on every row where the results a stage reads (the risk level, the tier, the
/// refund decision) came out as in `from`; the deadlines and targets where the tiers rule and calendars did too.
struct triage_reuse {
  const triage_columns* from = nullptr;
  triage_stages stages{};
};

/// The stages a triage by `to` can take from a triage by `from` of the same facts (kefu diff takes them from the
/// old version's triage): the same facts vocabulary, zone, action catalogue codes and customer-value policy; then
/// a stage whose policy was compiled from the same document (policy::source_digest) and asks for the same actions;
/// the deadlines when the tiers and service-calendar policies are shared and every calendar the service-calendar
/// policy can pick agrees day by day, and the targets only then. A stage whose actions cannot be told from the row's
/// decision (not risk, nor a first or unique tiers or refund policy) is shared only when no stage that may be
/// decided again can ask for the same actions.
triage_stages shared_stages(const triage_policy& from, const triage_policy& to);

/// Internal: triage_batch and triage_batch_at_tier (forced_tier: an index into the tier fact's values, or −1),
/// with the stages `reuse` names taken from its triage where they would decide the same: passes at several tiers
/// decide the risk policy once (it never reads the tier or anything decided after it), and kefu diff decides only
/// what the new rules change. kefu::error (kefu.rules.column) when `reuse` is of another number of rows, of
/// another tier for a stage after risk, or names a stage another policy's triage does not share (shared_stages).
triage_columns triage_rows(const batch& facts, const batch_options& options, std::int64_t forced_tier,
                           const triage_reuse& reuse);

}  // namespace kefu::rules
