// Columnar triage (kefu/rules/triage_columns.hpp): the steps of triage_policy::triage for many rows, with
// everything that does not depend on the row — output indices, parsed durations, calendars, levels per rule —
// worked out once, and no per-row allocation. A row that fails is triaged again by triage_policy::triage so
// its error is exactly the one triage gives.
#include <kefu/detail/parallel.hpp>
#include <kefu/rules/triage_columns.hpp>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace kefu::rules {

namespace {

/// A deadline output of one rule (or of the default), parsed once.
struct planned_duration {
  bool set = false;       // the rule gives this output
  bool readable = false;  // its text parsed (otherwise triage raises the parse error at the row)
  kefu::calendar::duration d;
};

planned_duration plan_duration(const value* v) {
  planned_duration p;
  if (!v) return p;
  p.set = true;
  try {
    p.d = kefu::calendar::parse_duration(v->text);
    p.readable = true;
  } catch (const error&) {
  }
  return p;
}

/// Per rule of a policy (the last entry: the default), the number an output decides; −1 when unset.
std::vector<std::int64_t> numbers_per_rule(const policy& p, std::size_t output) {
  std::vector<std::int64_t> out(p.rules().size() + 1, -1);
  for (std::size_t r = 0; r < p.rules().size(); ++r)
    if (const value* v = p.output_of_rule(static_cast<std::uint32_t>(r), output)) out[r] = v->number;
  if (const value* v = p.output_of(decision{}, output)) out.back() = v->number;
  return out;
}

std::vector<planned_duration> durations_per_rule(const policy& p, std::size_t output) {
  std::vector<planned_duration> out;
  out.reserve(p.rules().size() + 1);
  for (std::size_t r = 0; r < p.rules().size(); ++r) out.push_back(plan_duration(p.output_of_rule(static_cast<std::uint32_t>(r), output)));
  out.push_back(plan_duration(p.output_of(decision{}, output)));
  return out;
}

/// Rows whose given values are copied out of the columns at a time (see fill_block in triage_rows).
constexpr std::size_t block_rows = 64;

/// The row triage cannot go on with; the caller triages the row again to raise triage's own error.
struct row_fails {};

/// Joins per-share lists into one: offsets[i + 1] were counted within the share.
void join_shares(std::size_t n, std::size_t shares, std::vector<std::int64_t>& offsets,
                 std::vector<std::vector<std::int32_t>>& parts, std::vector<std::int32_t>& joined) {
  std::int64_t before = 0;
  for (std::size_t k = 0; k < shares; ++k) {
    const std::size_t from = n * k / shares, to = n * (k + 1) / shares;
    if (before)
      for (std::size_t i = from; i < to; ++i) offsets[i + 1] += before;
    before += static_cast<std::int64_t>(parts[k].size());
  }
  if (shares == 1) {
    joined = std::move(parts[0]);
    return;
  }
  joined.reserve(static_cast<std::size_t>(before));
  for (const auto& p : parts) joined.insert(joined.end(), p.begin(), p.end());
}

}  // namespace

std::string owners_text(const triage_policy& t, std::int64_t mask) {
  const auto& values = t.tiers().outputs()[t.tiers().output_index("owners")].values;
  std::string out;
  for (std::size_t k = 0; k < values.size(); ++k)
    if ((mask >> k) & 1) out += (out.empty() ? "" : ",") + values[k];
  return out;
}

refund_texts::refund_texts(const policy& refund) {
  const std::size_t reason_out = refund.output_index("reason");
  for (std::size_t r = 0; r <= refund.rules().size(); ++r) {
    const bool by_default = r == refund.rules().size();
    ids.push_back(by_default ? std::string() : refund.rules()[r].id);
    const value* v = by_default ? refund.output_of(decision{}, reason_out) : refund.output_of_rule(static_cast<std::uint32_t>(r), reason_out);
    reasons.push_back(v ? v->text : std::string());
  }
}

triage_columns triage_batch(const batch& b, const batch_options& options) { return triage_rows(b, options, -1, {}); }

triage_columns triage_batch_at_tier(const batch& b, const std::string& tier, const batch_options& options) {
  const triage_policy* tp = b.triage();
  if (!tp) throw error("triage_batch needs a batch of facts (batch(triage_policy, rows))", {}, {}, "kefu.rules.column");
  const auto& values = tp->facts()[tp->fact_slot("tier")].values;
  const auto it = std::find(values.begin(), values.end(), tier);
  if (it == values.end()) tp->triage_at_tier(tp->make_facts(), tier);  // throws "unknown tier 'x' (the vocabulary's tiers are …)"
  return triage_rows(b, options, it - values.begin(), {});
}

namespace {

/// Whether a stage's actions can be told from the row's decision alone (triage_rows recovers them): the risk
/// signals are every rule that matched, and a first or unique policy's one rule is kept.
bool actions_recoverable(const triage_policy& t, std::size_t stage) {
  if (stage == risk_stage) return true;
  if (stage != tiers_stage && stage != refund_stage) return false;
  const hit_policy h = t.policies()[stage]->hits();
  return h == hit_policy::first || h == hit_policy::unique;
}

/// Every action bit a stage's rules (and default) can ask for.
std::uint64_t possible_actions(const triage_policy& t, std::size_t stage) {
  std::uint64_t m = 0;
  for (const auto mask : t.rule_actions(stage)) m |= mask;
  return m;
}

/// Which earlier results each stage reads (the risk level, the tier, the refund decision): where they came out as
/// in the triage reused, the stage decides as it did there. A result decided after the stage is its default then.
struct stage_reads {
  std::array<bool, 6> risk{}, tier{}, refund{};
  explicit stage_reads(const triage_policy& t) {
    const auto policies = t.policies();
    auto reads = [&](std::size_t s, const char* name) {
      const auto& inputs = policies[s]->inputs();
      return std::any_of(inputs.begin(), inputs.end(), [&](const field& f) { return f.name == name; });
    };
    for (std::size_t s = 0; s < 6; ++s) {
      risk[s] = s != risk_stage && reads(s, "risk_level");
      tier[s] = s != risk_stage && s != escalation_stage && reads(s, "tier");
      refund[s] = (s == targets_stage || s == service_stage) && reads(s, "refund_decision");
    }
  }
  bool any(std::size_t s) const { return risk[s] || tier[s] || refund[s]; }
};

/// Whether the actions of every shared stage that cannot be recovered are told apart from those of the stages that
/// may be decided again (a stage's own bits aside).
bool actions_apart(const triage_policy& from, const triage_stages& shared, const stage_reads& reads, std::size_t stage) {
  std::uint64_t others = 0;
  for (std::size_t s = 0; s < 6; ++s)
    if (s != stage && (!shared[s] || reads.any(s))) others |= possible_actions(from, s);
  return (possible_actions(from, stage) & others) == 0;
}

bool same_vocabulary(const std::vector<field>& a, const std::vector<field>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const field& x, const field& y) {
    return x.name == y.name && x.type == y.type && x.values == y.values && x.default_text == y.default_text &&
           x.required == y.required && x.derived.empty() == y.derived.empty() && x.non_negative == y.non_negative;
  });
}

}  // namespace

triage_stages shared_stages(const triage_policy& from, const triage_policy& to) {
  triage_stages shared{};
  const auto& ca = from.customer_value();
  const auto& cb = to.customer_value();
  const auto& ea = from.action_entries();
  const auto& eb = to.action_entries();
  if (!same_vocabulary(from.facts(), to.facts()) || !(from.zone() == to.zone()) || bool(ca) != bool(cb) ||
      (ca && ca->source_digest() != cb->source_digest()) ||
      !std::equal(ea.begin(), ea.end(), eb.begin(), eb.end(),
                  [](const triage_policy::action_entry& x, const triage_policy::action_entry& y) { return x.code == y.code; }))
    return shared;
  const auto pa = from.policies(), pb = to.policies();
  for (std::size_t s = 0; s < 6; ++s)
    shared[s] = pa[s]->source_digest() == pb[s]->source_digest() && from.rule_actions(s) == to.rule_actions(s);
  // Deadlines and targets are counted on the calendars the service-calendar policy picks: every one it can pick
  // must agree day by day.
  bool calendars_agree = shared[service_stage] && shared[tiers_stage];
  if (calendars_agree) {
    const policy& service = to.service_calendar();
    for (const char* output : {"business_hours", "working_days"})
      for (const auto& name : service.outputs()[service.output_index(output)].values)
        calendars_agree = calendars_agree && from.calendar(name)->same_days_and_hours(*to.calendar(name));
  }
  shared[deadlines_stage] = calendars_agree;
  shared[targets_stage] = shared[targets_stage] && calendars_agree;
  // A stage whose actions only the old triage's masks can give is shared only while no stage that may be decided
  // again can set the same bits (dropping one may make another's bits ambiguous: until nothing changes).
  const stage_reads reads(from);
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t s = 0; s < 6; ++s)
      if (shared[s] && !actions_recoverable(from, s) && !actions_apart(from, shared, reads, s)) {
        shared[s] = false;
        changed = true;
      }
  }
  return shared;
}

triage_columns triage_rows(const batch& b, const batch_options& options, std::int64_t forced_tier, const triage_reuse& reuse) {
  const triage_policy* tp = b.triage();
  if (!tp) throw error("triage_batch needs a batch of facts (batch(triage_policy, rows))", {}, {}, "kefu.rules.column");
  const triage_policy& t = *tp;
  const triage_columns* base = reuse.from;
  const triage_stages same = base ? reuse.stages : triage_stages{};
  if (base) {
    if (!base->policy || base->size() != b.rows())
      throw error("triage_rows: the triage to reuse is of " + std::to_string(base->size()) + " rows, not " +
                      std::to_string(b.rows()),
                  {}, {}, "kefu.rules.column");
    if (std::any_of(same.begin() + 1, same.end(), [](bool x) { return x; })) {
      if (base->at_tier != forced_tier)
        throw error("triage_rows: the triage to reuse was made at another tier", {}, {}, "kefu.rules.column");
      // Past the risk stage every column is read: a whole triage, not the risk columns a tier pass is given.
      const std::size_t n = b.rows();
      const bool whole = base->tier.size() == n && base->tiers_rule.size() == n && base->refund_rule.size() == n &&
                         base->refund_decision.size() == n && base->priority_routing.size() == n &&
                         base->business_calendar.size() == n && base->workday_calendar.size() == n &&
                         base->provisional.size() == n && base->first_response_due.size() == n &&
                         base->resolution_due.size() == n && base->follow_up_due.size() == n && base->actions.size() == n &&
                         base->tier_rule_offsets.size() == n + 1 && base->target_offsets.size() == n + 1;
      if (!whole) throw error("triage_rows: the triage to reuse is not a whole triage", {}, {}, "kefu.rules.column");
    }
    if (base->policy != tp) {
      const triage_stages shared = shared_stages(*base->policy, t);
      for (std::size_t s = 0; s < stage_count; ++s)
        if (same[s] && !shared[s])
          throw error("triage_rows: stage " + std::to_string(s) + " of the triage to reuse is not shared by these rules", {},
                      {}, "kefu.rules.column");
    }
  }
  // Actions (DOM-RISK-4) are one mask per row ORed over the stages. A reused stage's are recovered from its rules
  // where they can be (risk, first or unique tiers and refund); the others' are the bits of the old mask that no
  // stage decided again on the row can set (shared_stages keeps such a stage only when its bits are apart).
  const stage_reads reads(t);
  bool copy_actions = false;
  std::array<bool, 6> recoverable{};
  std::array<std::uint64_t, 6> old_bits{};  // what each stage could set in the old mask
  for (std::size_t s = 0; s < 6; ++s) {
    recoverable[s] = actions_recoverable(t, s);
    if (same[s] && !recoverable[s]) {
      copy_actions = true;
      if (!actions_apart(*base->policy, same, reads, s))
        throw error("triage_rows: the actions of stage " + std::to_string(s) + " cannot be told from those decided again",
                    {}, {}, "kefu.rules.column");
    }
    if (base) old_bits[s] = possible_actions(*base->policy, s);
  }
  if (copy_actions && base->actions.size() != b.rows())
    throw error("triage_rows: the triage to reuse has no actions", {}, {}, "kefu.rules.column");
  // The old triage's calendars of a row (−1 without one, so nothing compares equal).
  const auto base_calendar = [&](std::size_t i, bool business) -> std::int32_t {
    if (!same[deadlines_stage] && !same[targets_stage]) return -1;
    return business ? base->business_calendar[i] : base->workday_calendar[i];
  };
  b.check();  // values that cannot be read: the first row at fault
  const std::size_t n = b.rows();
  const auto policies = t.policies();  // risk, escalation, tiers, refund, sla-targets, service-calendar

  // Everything that does not depend on the row.
  const policy &risk = t.risk(), &escalation = t.escalation(), &tiers = t.tiers(), &refund = t.refund(),
               &sla = t.sla_targets(), &service = t.service_calendar();
  const auto level_of = numbers_per_rule(risk, risk.output_index("level"));
  const auto tier_of = numbers_per_rule(escalation, escalation.output_index("tier"));
  // Priority routing (DOM-ESC-5): the escalation policy's optional bool output; −1 everywhere without it.
  const auto& outputs_of_escalation = escalation.outputs();
  const bool has_routing = std::any_of(outputs_of_escalation.begin(), outputs_of_escalation.end(),
                                       [](const field& f) { return f.name == "priority_routing"; });
  const auto routing_of = has_routing ? numbers_per_rule(escalation, escalation.output_index("priority_routing"))
                                      : std::vector<std::int64_t>(escalation.rules().size() + 1, -1);
  const auto owners_of = numbers_per_rule(tiers, tiers.output_index("owners"));
  const auto follow_up_required_of = numbers_per_rule(tiers, tiers.output_index("follow_up_required"));
  const auto report_required_of = numbers_per_rule(tiers, tiers.output_index("report_required"));
  const auto first_of = durations_per_rule(tiers, tiers.output_index("first_response"));
  const auto resolution_of = durations_per_rule(tiers, tiers.output_index("resolution"));
  const auto follow_up_of = durations_per_rule(tiers, tiers.output_index("follow_up"));
  const auto decision_of = numbers_per_rule(refund, refund.output_index("decision"));
  const auto within_of = durations_per_rule(sla, sla.output_index("within"));
  const std::size_t business_out = service.output_index("business_hours"), workday_out = service.output_index("working_days");
  const auto business_of = numbers_per_rule(service, business_out);
  const auto workday_of = numbers_per_rule(service, workday_out);
  std::vector<std::shared_ptr<const kefu::calendar::calendar>> business_calendars, workday_calendars;
  for (const auto& name : service.outputs()[business_out].values) business_calendars.push_back(t.calendar(name));
  for (const auto& name : service.outputs()[workday_out].values) workday_calendars.push_back(t.calendar(name));
  const time_zone& zone = t.zone();

  // The given columns, numbers and texts apart (the block copy below writes each kind into its own buffer).
  struct given_column {
    std::size_t slot;
    const batch::column* c;
    bool text;
  };
  std::vector<given_column> given, given_numbers, given_texts;
  for (const std::size_t s : b.order())  // a derived fact's column gives no value (check() refused any)
    if (t.facts()[s].derived.empty()) {
      given.push_back({s, b.column_of(s), t.facts()[s].type == value_type::text});
      (given.back().text ? given_texts : given_numbers).push_back(given.back());
    }
  const record defaults = t.make_facts();
  std::vector<std::size_t> required, derived;
  for (std::size_t s = 0; s < t.facts().size(); ++s) {
    if (t.facts()[s].required) required.push_back(s);
    if (!t.facts()[s].derived.empty()) derived.push_back(s);
  }

  // Each policy's inputs, as (input slot, fact slot), that can change from row to row: the given facts, the
  // derived ones and the customer tier. Every other fact keeps the vocabulary's default on every row, so it is
  // copied into the policy's record once, not per row. Text facts change only in their text, the others only
  // in their number (the loop below writes no text fact's number, and another fact's text only to its default).
  std::vector<bool> varies(t.facts().size(), false);
  for (const auto& g : given) varies[g.slot] = true;
  for (const std::size_t s : derived) varies[s] = true;
  for (const std::size_t s : {t.slot_customer_tier_, t.slot_days_, t.slot_known_, t.slot_risk_, t.slot_tier_, t.slot_refund_})
    if (s < varies.size()) varies[s] = true;
  struct slot_pair {
    std::size_t input, fact;
  };
  std::array<std::vector<slot_pair>, 6> varying_numbers, varying_texts;
  for (std::size_t p = 0; p < 6; ++p) {
    const auto& slots = t.input_slots_[p];
    for (std::size_t s = 0; s < slots.size(); ++s)
      if (varies[slots[s]])
        (t.facts()[slots[s]].type == value_type::text ? varying_texts : varying_numbers)[p].push_back({s, slots[s]});
  }

  triage_columns out;
  out.policy = &t;
  out.at_tier = forced_tier;
  out.risk_level.resize(n);
  out.tier.resize(n);
  out.refund_decision.resize(n);
  out.signal_offsets.assign(n + 1, 0);
  out.tier_rule_offsets.assign(n + 1, 0);
  out.tiers_rule.resize(n);
  out.refund_rule.resize(n);
  out.owners.resize(n);
  out.follow_up_required.resize(n);
  out.report_required.resize(n);
  out.priority_routing.resize(n);
  out.first_response_due.resize(n);
  out.resolution_due.resize(n);
  out.follow_up_due.resize(n);
  out.provisional.resize(n);
  out.business_calendar.resize(n);
  out.workday_calendar.resize(n);
  out.days_since_purchase.resize(n);
  out.customer_tier.resize(n);
  out.customer_tier_computed.resize(n);
  out.target_offsets.assign(n + 1, 0);
  out.actions.assign(n, 0);

  // The keyword tests to scan a block of rows at a time: each policy's text inputs that keyword sets read, as a
  // given text column (its index among given_texts) or the vocabulary's default on every row (−1). A policy
  // reading a derived text, or one taken from another triage, scans in evaluate as before.
  struct keyword_plan {
    std::size_t policy, group, fact;
    std::int64_t given;
  };
  std::vector<keyword_plan> keyword_plans;
  for (std::size_t p = 0; p < 6; ++p) {
    if (same[p] && p == risk_stage) continue;  // never evaluated here
    const auto slots = policies[p]->keyword_text_slots();
    std::vector<keyword_plan> mine;
    bool plannable = true;
    for (std::size_t g = 0; g < slots.size(); ++g) {
      const std::size_t fact = t.input_slots_[p][slots[g]];
      if (!t.facts()[fact].derived.empty()) plannable = false;
      std::int64_t given_at = -1;
      for (std::size_t j = 0; j < given_texts.size(); ++j)
        if (given_texts[j].slot == fact) given_at = static_cast<std::int64_t>(j);
      mine.push_back({p, g, fact, given_at});
    }
    if (plannable) keyword_plans.insert(keyword_plans.end(), mine.begin(), mine.end());
  }
  const std::size_t shares = kefu::detail::share_count(n, options.threads, std::max<std::size_t>(1, options.min_share));
  std::vector<std::vector<std::int32_t>> signals(shares), tier_rules(shares), target_rules(shares);
  std::vector<std::vector<std::int64_t>> target_due(shares);
  std::vector<std::vector<std::uint8_t>> target_provisional(shares);

  kefu::detail::parallel_shares(n, shares, [&](std::size_t k, std::size_t from, std::size_t to) {
    // The working facts (given and derived) and each policy's inputs, reused row after row.
    record f;
    f.numbers = defaults.numbers;
    f.texts = defaults.texts;
    f.present = defaults.present;
    std::array<record, 6> inputs;
    std::array<decision, 6> decided;
    for (std::size_t p = 0; p < 6; ++p) {
      inputs[p] = policies[p]->make_record();
      const auto& slots = t.input_slots_[p];
      for (std::size_t s = 0; s < slots.size(); ++s) {  // every input as the facts start; run() copies what varies
        inputs[p].numbers[s] = f.numbers[slots[s]];
        inputs[p].texts[s] = f.texts[slots[s]];
        inputs[p].present[s] = f.present[slots[s]];
      }
    }
    // Keyword hits of a block of rows, per policy with keyword tests on given or constant texts: the block's
    // texts are scanned together (keyword_scanner::counted_many), not one row at a time inside evaluate.
    std::array<std::vector<std::uint8_t>, 6> block_hits;
    std::array<std::size_t, 6> hit_stride{};
    std::size_t in_block_row = 0;
    for (const auto& plan : keyword_plans) {
      hit_stride[plan.policy] = policies[plan.policy]->keyword_tests().size();
      block_hits[plan.policy].assign(block_rows * hit_stride[plan.policy], 0);
    }
    auto run = [&](std::size_t p) -> const decision& {
      record& r = inputs[p];
      // Raw pointers in locals: a byte store may alias anything, so the vectors' own pointers would be
      // loaded again after every presence flag written.
      std::int64_t* numbers = r.numbers.data();
      std::string_view* texts = r.texts.data();
      std::uint8_t* present = r.present.data();
      const std::int64_t* fact_numbers = f.numbers.data();
      const std::string_view* fact_texts = f.texts.data();
      const std::uint8_t* fact_present = f.present.data();
      for (const auto& [in, fact] : varying_numbers[p]) {
        numbers[in] = fact_numbers[fact];
        present[in] = fact_present[fact];
      }
      for (const auto& [in, fact] : varying_texts[p]) {
        texts[in] = fact_texts[fact];
        present[in] = fact_present[fact];
      }
      policies[p]->evaluate_with(r, decided[p], nullptr,
                                 block_hits[p].empty() ? nullptr : block_hits[p].data() + in_block_row * hit_stride[p]);
      return decided[p];
    };
    auto highest = [](const decision& d, const std::vector<std::int64_t>& per_rule) {
      std::int64_t best = -1;
      for (const auto m : d.matched) best = std::max(best, per_rule[m]);
      if (best < 0) best = per_rule.back() >= 0 ? per_rule.back() : 0;
      return best;
    };
    // The actions a policy's decision asks for (DOM-RISK-4), as a mask of the catalogue's codes.
    auto actions_of = [&](std::size_t p, const decision& d) -> std::uint64_t {
      const auto& masks = t.rule_actions(p);
      if (masks.empty()) return 0;
      if (d.matched.empty()) return masks.back();
      std::uint64_t m = 0;
      for (const auto r : d.matched) m |= masks[r];
      return m;
    };
    auto& my_signals = signals[k];
    auto& my_tier_rules = tier_rules[k];
    auto& my_targets = target_rules[k];
    auto& my_due = target_due[k];
    auto& my_provisional = target_provisional[k];

    // A row that fails is triaged on its own: its error, with the row in front, is the batch's.
    auto raise_row_error = [&](std::size_t i) {
      record row = t.make_facts();
      for (const auto& g : given) {
        if (g.c->missing && g.c->missing[i]) continue;
        if (g.text) {
          row.owned_texts[g.slot] = std::string(g.c->texts[i]);
          row.texts[g.slot] = row.owned_texts[g.slot];
        } else {
          row.numbers[g.slot] = g.c->numbers[i];
        }
        row.present[g.slot] = 1;
      }
      try {
        if (forced_tier < 0)
          t.triage(row);
        else
          t.triage_at_tier(row, t.facts()[t.slot_tier_].values[static_cast<std::size_t>(forced_tier)]);
      } catch (const error& x) {
        rethrow_with_prefix(x, "row " + std::to_string(i) + ": ");
      }
      throw std::logic_error("kefu: row " + std::to_string(i) + " failed in triage_batch but not in triage");
    };

    // The given values of a block of rows, row-major, missing ones already replaced by the defaults. A row
    // reads every given column; read row by row, that is one cache line per column per row, too many streams
    // for the hardware prefetcher to follow. Copied column by column, a block reads each column as one stream.
    const std::size_t gn = given_numbers.size(), gt = given_texts.size();
    std::vector<std::size_t> number_slots, text_slots;
    for (const auto& g : given_numbers) number_slots.push_back(g.slot);
    for (const auto& g : given_texts) text_slots.push_back(g.slot);
    std::vector<std::int64_t> block_numbers(block_rows * gn);
    std::vector<std::string_view> block_texts(block_rows * gt);
    std::vector<std::uint8_t> block_number_present(block_rows * gn), block_text_present(block_rows * gt);
    // One column's values of the block (with a missing value, the default) into every `stride`th element.
    auto copy_column = [](auto* to_value, std::uint8_t* to_present, std::size_t stride, const auto* values,
                          const std::uint8_t* missing, std::size_t rows, auto absent, std::uint8_t absent_present) {
      if (!missing) {
        for (std::size_t r = 0; r < rows; ++r) {
          to_value[r * stride] = values[r];
          to_present[r * stride] = 1;
        }
        return;
      }
      for (std::size_t r = 0; r < rows; ++r) {
        to_value[r * stride] = missing[r] ? absent : values[r];
        to_present[r * stride] = missing[r] ? absent_present : 1;
      }
    };
    std::vector<std::string_view> block_keyword_texts(block_rows);
    auto scan_block = [&](std::size_t rows) {
      std::string_view* texts = block_keyword_texts.data();
      for (const auto& plan : keyword_plans) {
        for (std::size_t r = 0; r < rows; ++r)
          texts[r] = plan.given < 0 ? defaults.texts[plan.fact] : block_texts[r * gt + static_cast<std::size_t>(plan.given)];
        policies[plan.policy]->keyword_hits(plan.group, texts, rows, block_hits[plan.policy].data(), hit_stride[plan.policy]);
      }
    };
    auto fill_block = [&](std::size_t first, std::size_t rows) {
      for (std::size_t j = 0; j < gn; ++j) {
        const batch::column& c = *given_numbers[j].c;
        const std::size_t s = given_numbers[j].slot;
        copy_column(block_numbers.data() + j, block_number_present.data() + j, gn, c.numbers + first,
                    c.missing ? c.missing + first : nullptr, rows, defaults.numbers[s], defaults.present[s]);
      }
      for (std::size_t j = 0; j < gt; ++j) {
        const batch::column& c = *given_texts[j].c;
        const std::size_t s = given_texts[j].slot;
        copy_column(block_texts.data() + j, block_text_present.data() + j, gt, c.texts + first,
                    c.missing ? c.missing + first : nullptr, rows, defaults.texts[s], defaults.present[s]);
      }
    };

    for (std::size_t i = from; i < to; ++i) {
      const std::size_t in_block = (i - from) % block_rows;
      if (in_block == 0) {
        fill_block(i, std::min(block_rows, to - i));
        scan_block(std::min(block_rows, to - i));
      }
      in_block_row = in_block;
      // Derived facts start from the vocabulary's defaults on every row, as triage's fresh facts do.
      for (const std::size_t s : derived) {
        f.numbers[s] = defaults.numbers[s];
        f.texts[s] = defaults.texts[s];
        f.present[s] = defaults.present[s];
      }
      if (t.slot_customer_tier_ != static_cast<std::size_t>(-1)) {  // the row before may have computed it
        f.numbers[t.slot_customer_tier_] = defaults.numbers[t.slot_customer_tier_];
        f.present[t.slot_customer_tier_] = defaults.present[t.slot_customer_tier_];
      }
      {
        std::int64_t* numbers = f.numbers.data();  // in locals, as in run()
        std::string_view* texts = f.texts.data();
        std::uint8_t* present = f.present.data();
        const std::int64_t* row_numbers = block_numbers.data() + in_block * gn;
        const std::uint8_t* row_number_present = block_number_present.data() + in_block * gn;
        for (std::size_t j = 0; j < gn; ++j) {
          numbers[number_slots[j]] = row_numbers[j];
          present[number_slots[j]] = row_number_present[j];
        }
        const std::string_view* row_texts = block_texts.data() + in_block * gt;
        const std::uint8_t* row_text_present = block_text_present.data() + in_block * gt;
        for (std::size_t j = 0; j < gt; ++j) {
          texts[text_slots[j]] = row_texts[j];
          present[text_slots[j]] = row_text_present[j];
        }
      }
      try {
        for (const std::size_t s : required)
          if (!f.present[s]) throw row_fails{};
        const instant received = instant::from_unix(f.numbers[t.slot_received_]);
        const std::int64_t received_day = zone.local_day(received);
        if (f.present[t.slot_purchased_]) {
          const std::int64_t days = received_day - f.numbers[t.slot_purchased_];
          if (days < 0) throw row_fails{};
          f.numbers[t.slot_days_] = days;
          f.numbers[t.slot_known_] = 1;
          out.days_since_purchase[i] = days;
        } else {
          f.numbers[t.slot_days_] = -1;
          f.numbers[t.slot_known_] = 0;
          out.days_since_purchase[i] = -1;
        }
        f.present[t.slot_days_] = f.present[t.slot_known_] = 1;
        // 0. The customer value tier (DOM-CH-3), as triage computes it.
        const std::size_t tier_slot = t.slot_customer_tier_;
        out.customer_tier_computed[i] = 0;
        if (const std::int64_t computed = t.computed_customer_tier(f, nullptr); computed >= 0) {
          f.numbers[tier_slot] = computed;
          f.present[tier_slot] = 1;
          out.customer_tier_computed[i] = 1;
        }
        out.customer_tier[i] = tier_slot != static_cast<std::size_t>(-1) && f.present[tier_slot]
                                   ? static_cast<std::int32_t>(f.numbers[tier_slot])
                                   : -1;

        // 1. Risk: the highest level of every signal (or, reused, another triage's over the same facts).
        std::int64_t level = 0;
        std::uint64_t actions = 0, redone = 0;  // redone: the old bits of the stages decided again on this row
        // A shared stage decides as in the old triage when the earlier results it reads came out the same.
        auto alike = [&](std::size_t s) {
          return same[s] && (!reads.risk[s] || out.risk_level[i] == base->risk_level[i]) &&
                 (!reads.tier[s] || out.tier[i] == base->tier[i]) &&
                 (!reads.refund[s] || out.refund_decision[i] == base->refund_decision[i]);
        };
        // A first-hit stage (tiers, refund): the rule that decided (rule_count: the default), taken or decided.
        auto first_rule = [&](std::size_t stage, std::size_t rule_count, std::vector<std::int32_t> triage_columns::*column) {
          std::int32_t& rule = (out.*column)[i];
          if (alike(stage)) {
            rule = ((*base).*column)[i];
            const std::size_t r = rule < 0 ? rule_count : static_cast<std::size_t>(rule);
            const auto& masks = t.rule_actions(stage);
            if (recoverable[stage] && !masks.empty()) actions |= masks[r];
            return r;
          }
          const decision& d = run(stage);
          redone |= old_bits[stage];
          actions |= actions_of(stage, d);
          rule = d.matched.empty() ? -1 : static_cast<std::int32_t>(d.matched.front());
          return d.matched.empty() ? rule_count : static_cast<std::size_t>(d.matched.front());
        };
        if (same[risk_stage]) {
          level = base->risk_level[i];
          for (auto k = base->signal_offsets[i]; k < base->signal_offsets[i + 1]; ++k)
            my_signals.push_back(base->signal_rules[static_cast<std::size_t>(k)]);
          const auto& masks = t.rule_actions(risk_stage);
          if (!masks.empty()) {
            if (base->signal_offsets[i] == base->signal_offsets[i + 1]) actions |= masks.back();
            for (auto k = base->signal_offsets[i]; k < base->signal_offsets[i + 1]; ++k)
              actions |= masks[static_cast<std::size_t>(base->signal_rules[static_cast<std::size_t>(k)])];
          }
        } else {
          const decision& r = run(risk_stage);
          redone |= old_bits[risk_stage];
          level = highest(r, level_of);
          my_signals.insert(my_signals.end(), r.matched.begin(), r.matched.end());  // one call, not one per signal
          actions |= actions_of(risk_stage, r);
        }
        out.risk_level[i] = static_cast<std::int32_t>(level);
        f.numbers[t.slot_risk_] = level;
        f.present[t.slot_risk_] = 1;

        // 2. Tier: the highest of every escalation rule, and the rules that gave it (or the tier given).
        // Priority routing is decided at a forced tier too (as triage_with does).
        std::int64_t tier = forced_tier;
        if (alike(escalation_stage)) {  // its actions are in the old mask
          out.priority_routing[i] = base->priority_routing[i];
          tier = base->tier[i];
          for (auto k = base->tier_rule_offsets[i]; k < base->tier_rule_offsets[i + 1]; ++k)
            my_tier_rules.push_back(base->tier_rules[static_cast<std::size_t>(k)]);
        } else {
          const decision& e = run(escalation_stage);
          redone |= old_bits[escalation_stage];
          out.priority_routing[i] = highest(e, routing_of) > 0;
          if (forced_tier < 0) {
            tier = highest(e, tier_of);
            for (const auto m : e.matched)
              if (tier_of[m] == tier) my_tier_rules.push_back(static_cast<std::int32_t>(m));
            actions |= actions_of(escalation_stage, e);
          }
        }
        out.tier[i] = static_cast<std::int32_t>(tier);
        f.numbers[t.slot_tier_] = tier;
        f.present[t.slot_tier_] = 1;

        // 3. What the tier means.
        const std::size_t tr = first_rule(tiers_stage, tiers.rules().size(), &triage_columns::tiers_rule);
        out.owners[i] = owners_of[tr] < 0 ? 0 : owners_of[tr];
        out.follow_up_required[i] = follow_up_required_of[tr] > 0;
        out.report_required[i] = report_required_of[tr] > 0;

        // 4. Refund.
        const std::size_t rr = first_rule(refund_stage, refund.rules().size(), &triage_columns::refund_rule);
        if (decision_of[rr] < 0) throw row_fails{};
        out.refund_decision[i] = static_cast<std::int32_t>(decision_of[rr]);
        f.numbers[t.slot_refund_] = decision_of[rr];
        f.present[t.slot_refund_] = 1;

        // 5. Calendars, then the deadlines.
        if (alike(service_stage)) {
          out.business_calendar[i] = base->business_calendar[i];
          out.workday_calendar[i] = base->workday_calendar[i];
        } else {
          const decision& sc = run(service_stage);
          redone |= old_bits[service_stage];
          const std::size_t sr = sc.matched.empty() ? service.rules().size() : sc.matched.front();
          actions |= actions_of(service_stage, sc);
          if (business_of[sr] < 0 || workday_of[sr] < 0) throw row_fails{};
          out.business_calendar[i] = static_cast<std::int32_t>(business_of[sr]);
          out.workday_calendar[i] = static_cast<std::int32_t>(workday_of[sr]);
        }
        const kefu::calendar::calendar* business = business_calendars[static_cast<std::size_t>(out.business_calendar[i])].get();
        const kefu::calendar::calendar* workdays = workday_calendars[static_cast<std::size_t>(out.workday_calendar[i])].get();
        auto due = [&](const planned_duration& p, instant start, bool& provisional) {
          if (!p.readable) throw row_fails{};
          const kefu::calendar::calendar* cal = p.d.kind == kefu::calendar::clock::business   ? business
                                                : p.d.kind == kefu::calendar::clock::workdays ? workdays
                                                                                              : nullptr;
          if (!cal) {
            provisional = false;
            return start + seconds(p.d.amount);
          }
          const instant at = cal->add(start, p.d);
          provisional = cal->provisional_at(at);
          return at;
        };
        std::uint8_t provisional = 0;
        // The same tiers rule and calendars (shared_stages: the same policies, calendars agreeing): the same deadlines.
        const bool same_calendars = out.business_calendar[i] == base_calendar(i, true) && out.workday_calendar[i] == base_calendar(i, false);
        if (same[deadlines_stage] && same_calendars && out.tiers_rule[i] == base->tiers_rule[i]) {
          out.first_response_due[i] = base->first_response_due[i];
          out.resolution_due[i] = base->resolution_due[i];
          out.follow_up_due[i] = base->follow_up_due[i];
          provisional = base->provisional[i] & 7;
        } else {
          if (!first_of[tr].set || !resolution_of[tr].set) throw row_fails{};
          bool p_first = false, p_resolution = false, p_follow_up = false;
          out.first_response_due[i] = due(first_of[tr], received, p_first).unix_seconds();
          const instant resolution = due(resolution_of[tr], received, p_resolution);
          out.resolution_due[i] = resolution.unix_seconds();
          out.follow_up_due[i] = 0;
          if (out.follow_up_required[i]) {
            if (!follow_up_of[tr].set) throw row_fails{};
            out.follow_up_due[i] = due(follow_up_of[tr], resolution, p_follow_up).unix_seconds();
          }
          provisional = static_cast<std::uint8_t>((p_first ? 1 : 0) | (p_resolution ? 2 : 0) | (p_follow_up ? 4 : 0));
        }

        // 6. Channel and category targets.
        if (same_calendars && alike(targets_stage)) {
          for (auto k = base->target_offsets[i]; k < base->target_offsets[i + 1]; ++k) {
            const auto j = static_cast<std::size_t>(k);
            my_targets.push_back(base->target_rules[j]);
            my_due.push_back(base->target_due[j]);
            my_provisional.push_back(base->target_provisional[j]);
          }
          provisional |= base->provisional[i] & 8;
        } else {
          bool p_target = false;
          const decision& st = run(targets_stage);
          redone |= old_bits[targets_stage];
          for (const auto m : st.matched) {
            if (!within_of[m].set) continue;
            bool p = false;
            my_due.push_back(due(within_of[m], received, p).unix_seconds());
            my_targets.push_back(static_cast<std::int32_t>(m));
            my_provisional.push_back(p ? 1 : 0);
            p_target = p_target || p;
          }
          actions |= actions_of(targets_stage, st);
          if (p_target) provisional |= 8;
        }
        if (copy_actions) actions |= base->actions[i] & ~redone;
        out.actions[i] = actions;
        out.provisional[i] = provisional;
      } catch (const row_fails&) {
        raise_row_error(i);
      } catch (const error&) {
        raise_row_error(i);
      }
      out.signal_offsets[i + 1] = static_cast<std::int64_t>(my_signals.size());
      out.tier_rule_offsets[i + 1] = static_cast<std::int64_t>(my_tier_rules.size());
      out.target_offsets[i + 1] = static_cast<std::int64_t>(my_targets.size());
    }
  });

  join_shares(n, shares, out.signal_offsets, signals, out.signal_rules);
  join_shares(n, shares, out.tier_rule_offsets, tier_rules, out.tier_rules);
  // Targets: three parallel lists with one set of offsets.
  {
    join_shares(n, shares, out.target_offsets, target_rules, out.target_rules);
    for (std::size_t k = 0; k < shares; ++k) {
      out.target_due.insert(out.target_due.end(), target_due[k].begin(), target_due[k].end());
      out.target_provisional.insert(out.target_provisional.end(), target_provisional[k].begin(), target_provisional[k].end());
    }
  }
  return out;
}

}  // namespace kefu::rules
