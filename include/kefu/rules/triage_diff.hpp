// kefu — policy impact analysis in the core: which tickets decide differently under two versions of the
// rules (kefu diff, kefu.diff.diff_policies). Both versions triage the same batch of facts (triage_batch,
// on every core); the comparison reads the two sets of columns once.
//
//   kefu::rules::batch facts(*old_rules, n);  …fill…
//   const auto changes = kefu::rules::diff_policies(*old_rules, *new_rules, facts);
//   // changes.rows[k], triage_outputs[changes.outputs[k]], changes.old_values[k] → changes.new_values[k]
//
// Values are compared as a report shows them: names of levels, tiers and decisions; rule ids (comma-joined
// in order) rather than rule indices, so inserting a rule changes nothing by itself; deadlines as ISO 8601 in
// each version's zone ("" where there is none); booleans as true/false.
#pragma once

#include <kefu/rules/triage_columns.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace kefu::rules {

/// The triage outputs a diff compares, in report order (kefu.diff.OUTPUTS).
inline constexpr std::array<const char*, 15> triage_outputs = {
    "risk_level",         "risk_signals",    "tier",           "tier_rules",     "owners",
    "first_response_due", "resolution_due",  "follow_up_due",  "follow_up_required", "report_required",
    "refund_decision",    "refund_rule_id",  "refund_reason",  "target_rules",   "actions"};

/// Index of an output in triage_outputs; kefu::error with a did-you-mean for any other name.
std::size_t triage_output_index(const std::string& name);

/// One entry per ticket and output that differs, in row order then triage_outputs order.
struct triage_changes {
  std::vector<std::int64_t> rows;
  std::vector<std::uint8_t> outputs;  ///< index into triage_outputs
  std::vector<std::string> old_values, new_values;
  std::size_t size() const noexcept { return rows.size(); }
};

/// The changes between two triages of the same rows (a.size() == b.size()), for the outputs listed
/// (indices into triage_outputs; empty: all of them).
triage_changes diff_triage(const triage_columns& a, const triage_columns& b, const std::vector<std::size_t>& outputs = {});

/// The same facts for another triage policy: its vocabulary must have the same facts, in the same order, with
/// the same types and values, and the same zone (kefu::error kefu.rules.vocabulary naming the first difference). The columns are
/// shared, not copied (keep `facts` and what it borrows alive).
batch rebind(const batch& facts, const triage_policy& other);

/// Triage of `facts` under `old_rules` (the policy the batch was made for) and `new_rules` (its facts rebound),
/// then diff_triage. Errors are each triage's, the old version's first.
triage_changes diff_policies(const triage_policy& old_rules, const triage_policy& new_rules, const batch& facts,
                             const std::vector<std::size_t>& outputs = {}, const batch_options& options = {});

}  // namespace kefu::rules
