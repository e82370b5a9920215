// Triage on partial facts (triage_policy::triage_partial): the chain of triage.cpp — risk, escalation, tier
// terms, refund, SLA targets, calendars — with every policy decided in three values (partial.hpp). A chained
// result (risk level, tier, refund decision) feeds the next policy only when it is settled.
#include <kefu/rules/triage.hpp>

#include <algorithm>
#include <set>

namespace kefu::rules {

namespace {
/// The values a "highest of every rule that fires" output can still take (risk level, tier): what surely
/// fires sets a floor; each rule that could fire may raise it; with nothing firing the default applies.
std::set<std::int64_t> possible_highest(const policy& p, const partial_decision& d, std::size_t output) {
  auto level = [&](std::uint32_t rule) {
    const value* v = p.output_of_rule(rule, output);
    return v ? v->number : std::int64_t{-1};
  };
  std::int64_t floor = -1;
  for (const auto m : d.outcome.matched) floor = std::max(floor, level(m));
  std::set<std::int64_t> out;
  if (floor >= 0) {
    out.insert(floor);
  } else {
    const value* fallback = p.output_of(decision{}, output);
    out.insert(fallback ? fallback->number : 0);
  }
  for (const auto c : d.candidates) out.insert(std::max(floor, level(c)));
  out.erase(-1);
  return out;
}

/// The values an output of a `first` policy can still take: each candidate's, and the default's.
std::set<std::int64_t> possible_first(const policy& p, const partial_decision& d, std::size_t output) {
  std::set<std::int64_t> out;
  auto add = [&](const value* v) {
    if (v) out.insert(v->number);
  };
  if (d.settled) {
    add(p.output_of(d.outcome, output));
    return out;
  }
  for (const auto c : d.candidates) add(p.output_of_rule(c, output));
  if (d.default_possible) add(p.output_of(decision{}, output));
  return out;
}

std::vector<std::string> names_of(const field& f, const std::set<std::int64_t>& values) {
  std::vector<std::string> out;
  for (const auto v : values) out.push_back(f.values.at(static_cast<std::size_t>(v)));
  return out;
}

std::string either(const std::vector<std::string>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i == 0 ? "" : i + 1 == v.size() ? " or " : ", ") + v[i];
  return out;
}
}  // namespace

partial_triage triage_policy::triage_partial(const record& given) const {
  const std::size_t n = facts_.size();
  if (given.numbers.size() != n) throw error("facts record does not belong to this triage policy (use make_facts())");
  record f;
  f.numbers = given.numbers;
  f.texts = given.texts;
  f.present = given.present;
  partial_triage out;
  // Facts not given: every required one, and any other a policy reads that has no default. (Not purchased_at:
  // without it a complete triage decides on "no purchase date", and so does this one.)
  for (std::size_t i = 0; i < n; ++i) {
    if (given.present[i] || !facts_[i].derived.empty() || i == slot_purchased_) continue;
    const bool read = std::any_of(input_slots_.begin(), input_slots_.end(), [&](const std::vector<std::size_t>& slots) {
      return std::find(slots.begin(), slots.end(), i) != slots.end();
    });
    if (facts_[i].required || read) out.missing.push_back(facts_[i].name);
  }
  // The purchase facts, as triage derives them; the day count needs both dates.
  if (f.present[slot_purchased_]) {
    f.numbers[slot_known_] = 1;
    f.present[slot_known_] = 1;
    if (f.present[slot_received_]) {
      const std::int64_t days = zone_.local_day(instant::from_unix(f.numbers[slot_received_])) - f.numbers[slot_purchased_];
      if (days < 0) throw error("fact 'purchased_at' is after the local date of received_at");
      f.numbers[slot_days_] = days;
      f.present[slot_days_] = 1;
    } else {
      f.present[slot_days_] = 0;
    }
  } else {
    f.numbers[slot_days_] = -1;  // no purchase date: as triage, the rules test purchase_date_known first
    f.numbers[slot_known_] = 0;
    f.present[slot_days_] = f.present[slot_known_] = 1;
  }
  f.present[slot_risk_] = f.present[slot_tier_] = f.present[slot_refund_] = 0;

  const auto policies_in_order = policies();
  auto evaluate = [&](std::size_t which) {
    const policy& p = *policies_in_order[which];
    try {
      return evaluate_partial(p, inputs_of(which, f));
    } catch (const error& e) {
      rethrow_with_prefix(e, "policy '" + p.name() + "': ");
    }
  };
  auto run = [&](std::size_t which) -> const partial_decision& {
    out.policies.emplace_back(policies_in_order[which], evaluate(which));
    return out.policies.back().second;
  };
  auto settle = [&](std::size_t slot, const std::set<std::int64_t>& values) {
    if (values.size() != 1) return;
    f.numbers[slot] = *values.begin();
    f.present[slot] = 1;
  };

  const std::size_t level_out = risk_->output_index("level");
  const auto levels = possible_highest(*risk_, run(0), level_out);
  out.risk_levels = names_of(risk_->outputs()[level_out], levels);
  settle(slot_risk_, levels);

  const std::size_t tier_out = escalation_->output_index("tier");
  std::set<std::int64_t> tiers = possible_highest(*escalation_, run(1), tier_out);
  if (levels.size() > 1) {  // the tier for each level the risk can still take (shown above: with it unknown)
    tiers.clear();
    for (const auto level : levels) {
      f.numbers[slot_risk_] = level;
      f.present[slot_risk_] = 1;
      for (const auto t : possible_highest(*escalation_, evaluate(1), tier_out)) tiers.insert(t);
    }
    f.present[slot_risk_] = 0;
  }
  out.tiers = names_of(escalation_->outputs()[tier_out], tiers);
  settle(slot_tier_, tiers);

  run(2);  // what the tier means

  const std::size_t decision_out = refund_->output_index("decision");
  const auto decisions = possible_first(*refund_, run(3), decision_out);
  out.refund_decisions = names_of(refund_->outputs()[decision_out], decisions);
  settle(slot_refund_, decisions);

  run(4);  // SLA targets
  run(5);  // calendars
  out.deadlines_note = out.missing.empty()
                           ? "every fact is given: a complete triage computes the deadlines"
                           : "computed once every fact is given (a complete triage)";
  return out;
}

std::string triage_policy::explain_partial(const partial_triage& t) const {
  std::string out = "triage on partial facts (" + directory_ + ")\n";
  if (!t.missing.empty()) {
    std::string names;
    for (const auto& m : t.missing) names += (names.empty() ? "" : ", ") + m;
    out += "not given: " + names + " / 未提供\n";
  }
  auto line = [](const char* what, const std::vector<std::string>& values) {
    if (values.size() == 1) return std::string(what) + ": " + values.front() + "   (settled / 已确定)\n";
    return std::string(what) + ": not settled — " + either(values) + " / 尚未确定\n";
  };
  out += line("risk level", t.risk_levels);
  out += line("tier", t.tiers);
  out += line("refund decision", t.refund_decisions);
  out += "deadlines: " + t.deadlines_note + "\n";
  for (const auto& [p, d] : t.policies) out += "\n" + rules::explain_partial(*p, d);
  return out;
}

}  // namespace kefu::rules
