// Policy impact analysis (kefu/rules/triage_diff.hpp): two triages of one batch, compared column by column.
#include <kefu/detail/suggest.hpp>
#include <kefu/rules/triage_diff.hpp>

#include <algorithm>
#include <tuple>

namespace kefu::rules {

std::size_t triage_output_index(const std::string& name) {
  for (std::size_t i = 0; i < triage_outputs.size(); ++i)
    if (name == triage_outputs[i]) return i;
  throw error("unknown output '" + name + "'" +
                  kefu::detail::did_you_mean(name, std::vector<std::string>(triage_outputs.begin(), triage_outputs.end())),
              {}, {}, "kefu.rules.unknown_output");
}

batch rebind(const batch& facts, const triage_policy& other) {
  const triage_policy* mine = facts.triage();
  if (!mine) throw error("rebind needs a batch of facts (batch(triage_policy, rows))", {}, {}, "kefu.rules.column");
  const auto &a = mine->facts(), &b = other.facts();
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    if (i < a.size() && i < b.size() && a[i].name == b[i].name && a[i].type == b[i].type && a[i].values == b[i].values &&
        a[i].derived.empty() == b[i].derived.empty())
      continue;
    const std::string which = i < a.size() ? a[i].name : b[i].name;
    throw error("the facts vocabularies differ at fact '" + which + "' (" + std::to_string(i + 1) +
                    "): the same columns cannot be read for both",
                {}, {}, "kefu.rules.vocabulary");
  }
  if (mine->zone().name() != other.zone().name())
    throw error("the facts vocabularies differ in their zone (" + mine->zone().name() + ", " + other.zone().name() +
                    "): the same columns cannot be read for both",
                {}, {}, "kefu.rules.vocabulary");
  batch out(other, facts.rows());
  out.columns_ = facts.columns_;
  out.given_ = facts.given_;
  out.order_ = facts.order_;
  return out;
}

namespace {

/// Names of one version's rule ids in a row's list.
struct id_list {
  const std::vector<rule>& rules;
  const std::vector<std::int64_t>& offsets;
  const std::vector<std::int32_t>& indices;
  std::int64_t begin(std::size_t i) const { return offsets[i]; }
  std::int64_t end(std::size_t i) const { return offsets[i + 1]; }
  const std::string& id(std::int64_t k) const { return rules[static_cast<std::size_t>(indices[static_cast<std::size_t>(k)])].id; }
  std::string text(std::size_t i) const {
    std::string out;
    for (auto k = begin(i); k < end(i); ++k) out += (out.empty() ? "" : ",") + id(k);
    return out;
  }
};

bool same_ids(const id_list& a, const id_list& b, std::size_t i) {
  if (a.end(i) - a.begin(i) != b.end(i) - b.begin(i)) return false;
  for (auto j = a.begin(i), k = b.begin(i); j < a.end(i); ++j, ++k)
    if (a.id(j) != b.id(k)) return false;
  return true;
}

const std::vector<std::string>& values_of(const triage_policy& t, const char* fact) { return t.facts()[t.fact_slot(fact)].values; }

}  // namespace

triage_changes diff_triage(const triage_columns& a, const triage_columns& b, const std::vector<std::size_t>& outputs) {
  if (!a.policy || !b.policy) throw error("diff_triage needs two triages", {}, {}, "kefu.rules.column");
  if (a.size() != b.size())
    throw error("diff_triage compares the same rows: " + std::to_string(a.size()) + " and " + std::to_string(b.size()) +
                    " rows given",
                {}, {}, "kefu.rules.column");
  const triage_policy &ta = *a.policy, &tb = *b.policy;
  std::array<bool, triage_outputs.size()> wanted{};
  if (outputs.empty()) wanted.fill(true);
  for (const std::size_t o : outputs) {
    if (o >= wanted.size()) throw error("no triage output " + std::to_string(o), {}, {}, "kefu.rules.unknown_output");
    wanted[o] = true;
  }
  const auto &levels_a = values_of(ta, "risk_level"), &levels_b = values_of(tb, "risk_level");
  const auto &tiers_a = values_of(ta, "tier"), &tiers_b = values_of(tb, "tier");
  const auto &decisions_a = values_of(ta, "refund_decision"), &decisions_b = values_of(tb, "refund_decision");
  const id_list signals_a{ta.risk().rules(), a.signal_offsets, a.signal_rules}, signals_b{tb.risk().rules(), b.signal_offsets, b.signal_rules};
  const id_list tier_rules_a{ta.escalation().rules(), a.tier_rule_offsets, a.tier_rules},
      tier_rules_b{tb.escalation().rules(), b.tier_rule_offsets, b.tier_rules};
  const id_list targets_a{ta.sla_targets().rules(), a.target_offsets, a.target_rules},
      targets_b{tb.sla_targets().rules(), b.target_offsets, b.target_rules};
  const refund_texts refund_a(ta.refund()), refund_b(tb.refund());
  const auto& owners_a = ta.tiers().outputs()[ta.tiers().output_index("owners")].values;
  const auto& owners_b = tb.tiers().outputs()[tb.tiers().output_index("owners")].values;
  const bool same_owner_values = owners_a == owners_b;
  const bool same_zone = ta.zone().name() == tb.zone().name();
  // With the same catalogue codes in the same order, equal masks spell equal texts: the texts (two strings per
  // row) are made only where the masks differ.
  const bool same_action_codes = std::equal(
      ta.action_entries().begin(), ta.action_entries().end(), tb.action_entries().begin(), tb.action_entries().end(),
      [](const triage_policy::action_entry& x, const triage_policy::action_entry& y) { return x.code == y.code; });
  // Likewise names of levels, tiers and decisions: equal codes of the same values are equal names.
  const bool same_levels = levels_a == levels_b, same_tiers = tiers_a == tiers_b, same_decisions = decisions_a == decisions_b;

  triage_changes out;
  auto add = [&](std::size_t row, std::size_t output, std::string old_value, std::string new_value) {
    out.rows.push_back(static_cast<std::int64_t>(row));
    out.outputs.push_back(static_cast<std::uint8_t>(output));
    out.old_values.push_back(std::move(old_value));
    out.new_values.push_back(std::move(new_value));
  };
  auto name = [](const std::vector<std::string>& values, std::int32_t code) -> const std::string& {
    return values[static_cast<std::size_t>(code)];
  };
  auto instant_text = [](std::int64_t s, bool set, const triage_policy& t) {
    return set ? format_instant(instant::from_unix(s), t.zone()) : std::string();
  };
  auto bool_text = [](bool x) { return std::string(x ? "true" : "false"); };
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (wanted[0] && !(same_levels && a.risk_level[i] == b.risk_level[i]) &&
        name(levels_a, a.risk_level[i]) != name(levels_b, b.risk_level[i]))
      add(i, 0, name(levels_a, a.risk_level[i]), name(levels_b, b.risk_level[i]));
    if (wanted[1] && !same_ids(signals_a, signals_b, i)) add(i, 1, signals_a.text(i), signals_b.text(i));
    if (wanted[2] && !(same_tiers && a.tier[i] == b.tier[i]) && name(tiers_a, a.tier[i]) != name(tiers_b, b.tier[i])) add(i, 2, name(tiers_a, a.tier[i]), name(tiers_b, b.tier[i]));
    if (wanted[3] && !same_ids(tier_rules_a, tier_rules_b, i)) add(i, 3, tier_rules_a.text(i), tier_rules_b.text(i));
    if (wanted[4] && !(same_owner_values && a.owners[i] == b.owners[i])) {
      std::string x = owners_text(ta, a.owners[i]), y = owners_text(tb, b.owners[i]);
      if (x != y) add(i, 4, std::move(x), std::move(y));
    }
    const std::array<std::tuple<std::size_t, std::int64_t, bool, std::int64_t, bool>, 3> deadlines{{
        {5, a.first_response_due[i], true, b.first_response_due[i], true},
        {6, a.resolution_due[i], true, b.resolution_due[i], true},
        {7, a.follow_up_due[i], a.follow_up_required[i] != 0, b.follow_up_due[i], b.follow_up_required[i] != 0},
    }};
    for (const auto& [o, x, x_set, y, y_set] : deadlines) {
      if (!wanted[o] || (same_zone && x_set == y_set && (!x_set || x == y))) continue;
      std::string old_text = instant_text(x, x_set, ta), new_text = instant_text(y, y_set, tb);
      if (old_text != new_text) add(i, o, std::move(old_text), std::move(new_text));
    }
    if (wanted[8] && a.follow_up_required[i] != b.follow_up_required[i])
      add(i, 8, bool_text(a.follow_up_required[i]), bool_text(b.follow_up_required[i]));
    if (wanted[9] && a.report_required[i] != b.report_required[i])
      add(i, 9, bool_text(a.report_required[i]), bool_text(b.report_required[i]));
    if (wanted[10] && !(same_decisions && a.refund_decision[i] == b.refund_decision[i]) &&
        name(decisions_a, a.refund_decision[i]) != name(decisions_b, b.refund_decision[i]))
      add(i, 10, name(decisions_a, a.refund_decision[i]), name(decisions_b, b.refund_decision[i]));
    const std::size_t ra = refund_a.at(a.refund_rule[i]), rb = refund_b.at(b.refund_rule[i]);
    if (wanted[11] && refund_a.ids[ra] != refund_b.ids[rb]) add(i, 11, refund_a.ids[ra], refund_b.ids[rb]);
    if (wanted[12] && refund_a.reasons[ra] != refund_b.reasons[rb]) add(i, 12, refund_a.reasons[ra], refund_b.reasons[rb]);
    if (wanted[13] && !same_ids(targets_a, targets_b, i)) add(i, 13, targets_a.text(i), targets_b.text(i));
    if (wanted[14] && !(same_action_codes && a.actions[i] == b.actions[i])) {  // as codes: the catalogues may number them differently
      std::string x = ta.actions_text(a.actions[i]), y = tb.actions_text(b.actions[i]);
      if (x != y) add(i, 14, std::move(x), std::move(y));
    }
  }
  return out;
}

triage_changes diff_policies(const triage_policy& old_rules, const triage_policy& new_rules, const batch& facts,
                             const std::vector<std::size_t>& outputs, const batch_options& options) {
  if (facts.triage() != &old_rules)
    throw error("diff_policies: the batch of facts was made for another triage policy than the old rules", {}, {},
                "kefu.rules.column");
  const triage_columns a = triage_batch(facts, options);
  const batch rebound = rebind(facts, new_rules);
  // What the new rules share with the old (a change usually touches one file) is taken from the old triage.
  const triage_columns b = triage_rows(rebound, options, -1, triage_reuse{&a, shared_stages(old_rules, new_rules)});
  return diff_triage(a, b, outputs);
}

}  // namespace kefu::rules
