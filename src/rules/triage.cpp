// Triage of one ticket's facts by a loaded triage policy (kefu/rules/triage.hpp): the policies in order, the
// deadlines on their calendars, the actions asked for. Loading a rules directory is triage_loader.cpp's.
#include <kefu/detail/suggest.hpp>
#include <kefu/rules/triage.hpp>
#include <kefu/money.hpp>

#include "facts.hpp"
#include "triage_internal.hpp"

#include <algorithm>

namespace kefu::rules {

namespace {

using detail::find_field;
using detail::routing_output;

/// Index of the highest level among a collect decision's matches (values are listed lowest first).
std::int64_t highest(const policy& p, const decision& d, std::size_t output, std::int64_t fallback) {
  std::int64_t best = -1;
  for (const auto m : d.matched)
    if (const value* v = p.output_of_rule(m, output)) best = std::max(best, v->number);
  if (best < 0) {
    const value* v = p.output_of(decision{}, output);
    best = v ? v->number : fallback;
  }
  return best;
}

}  // namespace

std::shared_ptr<const triage_policy> triage_policy::as_of(instant t) const {
  auto out = std::make_shared<triage_policy>(*this);
  for (policy_ptr* p : {&out->risk_, &out->escalation_, &out->tiers_, &out->refund_, &out->sla_, &out->service_calendar_})
    *p = rules::as_of(*p, t);
  out->resolve_rule_actions();  // by rule position: a pinned policy has only its version's rules
  out->make_plan();
  return out;
}

clock_book_ptr triage_policy::clocks_for(const record& facts) const {
  if (!clock_book_) return nullptr;
  const std::size_t nc = slot_category_ < facts_.size() ? facts_[slot_category_].values.size() : 0;
  const std::size_t nb = slot_business_ < facts_.size() ? facts_[slot_business_].values.size() : 0;
  auto index = [&](std::size_t slot, std::size_t n) {
    if (slot >= facts_.size() || slot >= facts.present.size() || !facts.present[slot]) return n;
    const auto v = static_cast<std::size_t>(facts.numbers[slot]);
    return v < n ? v : n;
  };
  return clock_books_[index(slot_category_, nc) * (nb + 1) + index(slot_business_, nb)];
}

std::shared_ptr<const kefu::calendar::calendar> triage_policy::calendar(const std::string& name) const {
  if (const auto it = calendars_.find(name); it != calendars_.end()) return it->second;
  try {
    return kefu::calendar::builtin(name);
  } catch (const error&) {
    throw policy_error("calendar '" + name + "' is neither in " + directory_ + "/calendars nor built in");
  }
}

std::size_t triage_policy::fact_slot(const std::string& name) const {
  for (std::size_t i = 0; i < facts_.size(); ++i)
    if (facts_[i].name == name) return i;
  std::vector<std::string> names;
  for (const auto& f : facts_) names.push_back(f.name);
  throw error("unknown fact '" + name + "'" + kefu::detail::did_you_mean(name, names), {}, {}, "kefu.rules.unknown_fact");
}

record triage_policy::make_facts() const {
  record r;
  r.numbers = default_numbers_;
  // Most facts have no default text: construct empty strings and copy only the defaults there are (copying
  // the whole vector was a third of reading a row of facts).
  r.owned_texts.resize(default_texts_.size());
  for (std::size_t i = 0; i < default_texts_.size(); ++i)
    if (!default_texts_[i].empty()) r.owned_texts[i] = default_texts_[i];
  r.present = default_present_;
  r.texts.assign(r.owned_texts.begin(), r.owned_texts.end());
  return r;
}

namespace detail {
void check_fact_not_negative(const field& f, const value& v) {
  if (!f.non_negative || v.number >= 0) return;
  if (f.type != value_type::integer && f.type != value_type::money && f.type != value_type::decimal &&
      f.type != value_type::duration)
    return;
  const std::string shown = f.type == value_type::money     ? kefu::money::from_fen(v.number).to_display()
                            : f.type == value_type::decimal ? format_value(f, v)  // millionths → "-0.1"
                                                            : std::to_string(v.number);
  throw parse_error("fact '" + f.name + "' cannot be negative (got " + shown + ")", {}, {}, "kefu.rules.negative_fact");
}
}  // namespace detail

void triage_policy::set_fact(record& r, std::size_t slot, const std::string& text) const {
  const field& f = facts_.at(slot);
  if (!f.derived.empty())
    throw error("fact '" + f.name + "' is derived (" + f.derived + "); do not give it", {}, {}, "kefu.rules.derived_fact");
  value v = parse_value(f, text, zone_, "fact");
  detail::check_fact_not_negative(f, v);
  r.numbers[slot] = v.number;
  r.owned_texts[slot] = std::move(v.text);
  r.texts[slot] = r.owned_texts[slot];
  r.present[slot] = 1;
}

namespace {
void refuse_derived(const field& f) {
  if (!f.derived.empty())
    throw error("fact '" + f.name + "' is derived (" + f.derived + "); do not give it", {}, {}, "kefu.rules.derived_fact");
}
}  // namespace

void triage_policy::set_fact_value(record& r, std::size_t slot, value v) const {
  const field& f = facts_.at(slot);
  refuse_derived(f);
  detail::check_fact_not_negative(f, v);
  r.numbers[slot] = v.number;
  r.owned_texts[slot] = std::move(v.text);
  r.texts[slot] = r.owned_texts[slot];
  r.present[slot] = 1;
}

void triage_policy::set_fact_number(record& r, std::size_t slot, std::int64_t number) const {
  const field& f = facts_.at(slot);
  refuse_derived(f);
  if (f.non_negative && number < 0) {
    value v;
    v.number = number;
    detail::check_fact_not_negative(f, v);
  }
  r.numbers[slot] = number;
  r.texts[slot] = std::string_view();  // as set_fact_value leaves a number's text: empty
  r.present[slot] = 1;
}

record triage_policy::inputs_of(std::size_t which, const record& f) const {
  const auto& slots = input_slots_[which];
  record r;
  r.numbers.resize(slots.size());
  r.texts.resize(slots.size());
  r.present.resize(slots.size());
  for (std::size_t k = 0; k < slots.size(); ++k) {
    const std::size_t s = slots[k];
    r.numbers[k] = f.numbers[s];
    r.texts[k] = f.texts[s];
    r.present[k] = f.present[s];
  }
  return r;
}

std::int64_t triage_policy::computed_customer_tier(const record& f, std::string* explanation) const {
  if (!customer_value_ || f.present[slot_customer_tier_]) return -1;  // given: taken as it is
  const auto& slots = customer_value_slots_;
  if (std::none_of(slots.begin(), slots.end(), [&](std::size_t s) { return f.present[s] != 0; })) return -1;
  std::string missing;  // the index is given whole or not at all
  for (const std::size_t s : slots)
    if (!f.present[s]) missing += (missing.empty() ? "" : ", ") + facts_[s].name;
  if (!missing.empty())
    throw error("missing fact(s) " + missing + ": the customer value index (policy '" + customer_value_->name() +
                    "') needs all of its facts, or give customer_tier",
                {}, {}, "kefu.rules.missing_fact");
  record r;
  r.numbers.resize(slots.size());
  r.texts.resize(slots.size());
  r.present.resize(slots.size());
  for (std::size_t k = 0; k < slots.size(); ++k) {
    r.numbers[k] = f.numbers[slots[k]];
    r.texts[k] = f.texts[slots[k]];
    r.present[k] = f.present[slots[k]];
  }
  decision d;
  std::vector<condition_trace> trace;
  try {
    customer_value_->evaluate(r, d, explanation ? &trace : nullptr);
  } catch (const error& e) {
    rethrow_with_prefix(e, "policy '" + customer_value_->name() + "': ");
  }
  if (explanation) *explanation += customer_value_->explain(d, &trace) + "\n";
  const value* v = customer_value_->output_of(d, customer_value_->output_index("customer_tier"));
  if (!v) throw error("policy '" + customer_value_->name() + "' decided no `customer_tier` (give its default one)");
  return v->number;
}

triage_result triage_policy::triage(const record& given, bool explain) const {
  if (explain) return triage_with(given, true, -1);
  return compact_with(given, -1).full(given);
}

compact_triage triage_policy::triage_compact(const record& given) const { return compact_with(given, -1); }

triage_result triage_policy::triage_at_tier(const record& given, const std::string& tier) const {
  const field& tier_field = facts_[slot_tier_];
  for (std::size_t i = 0; i < tier_field.values.size(); ++i)
    if (tier_field.values[i] == tier) return compact_with(given, static_cast<std::int64_t>(i)).full(given);
  std::string known;
  for (const auto& v : tier_field.values) known += (known.empty() ? "" : ", ") + v;
  throw error("unknown tier '" + tier + "' (the vocabulary's tiers are " + known + ")");
}

triage_result triage_policy::triage_with(const record& given, bool explain, std::int64_t forced_tier) const {
  const std::size_t n = facts_.size();
  if (given.numbers.size() != n) throw error("facts record does not belong to this triage policy (use make_facts())");
  std::string missing;
  for (std::size_t i = 0; i < n; ++i)
    if (facts_[i].required && !given.present[i]) missing += (missing.empty() ? "" : ", ") + facts_[i].name;
  if (!missing.empty()) throw error("missing fact(s) " + missing, {}, {}, "kefu.rules.missing_fact");

  // Working view: the given facts (texts stay in the caller's record) plus the derived ones.
  record f;
  f.numbers = given.numbers;
  f.texts = given.texts;
  f.present = given.present;
  triage_result out;
  const instant received = instant::from_unix(f.numbers[slot_received_]);
  const std::int64_t received_day = zone_.local_day(received);
  if (f.present[slot_purchased_]) {
    const std::int64_t days = received_day - f.numbers[slot_purchased_];
    if (days < 0)
      throw error("fact 'purchased_at' (" + format_days(f.numbers[slot_purchased_]) +
                  ") is after the local date of received_at (" + format_days(received_day) + ")");
    f.numbers[slot_days_] = days;
    f.numbers[slot_known_] = 1;
    out.days_since_purchase = days;
  } else {
    f.numbers[slot_days_] = -1;  // rules test purchase_date_known first (documented in facts.yaml)
    f.numbers[slot_known_] = 0;
  }
  f.present[slot_days_] = f.present[slot_known_] = 1;
  // 0. The customer value tier (DOM-CH-3): given, or computed from the customer value index.
  if (const std::int64_t computed = computed_customer_tier(f, explain ? &out.explanation : nullptr); computed >= 0) {
    f.numbers[slot_customer_tier_] = computed;
    f.present[slot_customer_tier_] = 1;
    out.customer_tier_computed = true;
  }
  if (slot_customer_tier_ != static_cast<std::size_t>(-1) && f.present[slot_customer_tier_])
    out.customer_tier = facts_[slot_customer_tier_].values[static_cast<std::size_t>(f.numbers[slot_customer_tier_])];

  const auto policies_in_order = policies();
  // Actions asked for, each once, in policy then rule order: (policy, rule or −1 for the default, code).
  std::vector<std::tuple<std::size_t, std::int64_t, std::size_t>> asked;
  std::uint64_t asked_mask = 0;
  auto ask = [&](std::size_t which, const decision& d) {
    const auto& masks = rule_actions_[which];
    if (masks.empty()) return;
    auto add = [&](std::int64_t rule, std::uint64_t mask) {
      for (std::uint64_t fresh = mask & ~asked_mask; fresh; fresh &= fresh - 1) {  // each new code, lowest first
        const auto k = static_cast<std::size_t>(__builtin_ctzll(fresh));
        asked.emplace_back(which, rule, k);
      }
      asked_mask |= mask;
    };
    if (d.matched.empty()) add(-1, masks.back());
    for (const auto m : d.matched) add(m, masks[m]);
  };
  auto run = [&](std::size_t which, decision& d) {
    const policy& p = *policies_in_order[which];
    record r = inputs_of(which, f);
    std::vector<condition_trace> trace;
    try {
      p.evaluate(r, d, explain ? &trace : nullptr);
    } catch (const error& e) {
      rethrow_with_prefix(e, "policy '" + p.name() + "': ");
    }
    if (explain) out.explanation += p.explain(d, &trace) + "\n";
    ask(which, d);
    return r;
  };

  // 1. Risk: every signal that fires; the level is the highest.
  decision d;
  const record risk_record = run(0, d);
  const std::size_t level_out = risk_->output_index("level");
  const field& level_field = risk_->outputs()[level_out];
  const std::int64_t level = highest(*risk_, d, level_out, 0);
  out.risk.level = level_field.values[static_cast<std::size_t>(level)];
  out.risk.signals.reserve(d.matched.size());
  for (const auto m : d.matched) {
    const auto& rule = risk_->rules()[m];
    const value* v = risk_->output_of_rule(m, level_out);
    out.risk.signals.push_back({rule.id, v ? level_field.values[static_cast<std::size_t>(v->number)] : "",
                                rule.description, rule.source, risk_->keyword_words(risk_record, m)});
  }
  f.numbers[slot_risk_] = level;
  f.present[slot_risk_] = 1;

  // 2. Escalation tier: the highest of every rule that applies.
  // A forced tier (triage_at_tier) skips the escalation policy: the tier is given.
  // Priority routing (DOM-ESC-5) is the escalation policy's too, also at a forced tier: true when a rule says so.
  const std::size_t tier_out = escalation_->output_index("tier");
  std::int64_t tier = forced_tier;
  run(1, d);
  if (const std::size_t routing_out = routing_output(*escalation_); routing_out != static_cast<std::size_t>(-1))
    out.priority_routing = highest(*escalation_, d, routing_out, 0) > 0;
  if (forced_tier < 0) {
    tier = highest(*escalation_, d, tier_out, 0);
    for (const auto m : d.matched) {
      const value* v = escalation_->output_of_rule(m, tier_out);
      if (v && v->number == tier) out.tier_rules.push_back(escalation_->rules()[m].id);
    }
  }
  out.tier = escalation_->outputs()[tier_out].values[static_cast<std::size_t>(tier)];
  f.numbers[slot_tier_] = tier;
  f.present[slot_tier_] = 1;

  // 3. What the tier means: targets, owners, follow-up and report.
  decision tier_decision;  // read again below, after other policies reuse `d`
  run(2, tier_decision);
  auto tier_output = [&](const char* name) { return tiers_->output_of(tier_decision, tiers_->output_index(name)); };
  const std::string tier_rule = tier_decision.matched.empty() ? std::string() : tiers_->rules()[tier_decision.matched.front()].id;
  const std::string tier_source = tier_decision.matched.empty() ? std::string() : tiers_->rules()[tier_decision.matched.front()].source;
  if (const auto owners = tier_output("owners")) {
    const field& f_owners = tiers_->outputs()[tiers_->output_index("owners")];
    for (std::size_t i = 0; i < f_owners.values.size(); ++i)
      if ((owners->number >> i) & 1) out.owners.push_back(f_owners.values[i]);
  }
  out.follow_up_required = tier_output("follow_up_required") && tier_output("follow_up_required")->number != 0;
  out.report_required = tier_output("report_required") && tier_output("report_required")->number != 0;

  // 4. Refund decision.
  run(3, d);
  const std::size_t decision_out = refund_->output_index("decision");
  const field& decision_field = refund_->outputs()[decision_out];
  const value* decided = refund_->output_of(d, decision_out);
  if (!decided) throw error("policy 'refund' decided no `decision` (give its default one)");
  out.refund.decision = decision_field.values[static_cast<std::size_t>(decided->number)];
  if (const value* reason = refund_->output_of(d, refund_->output_index("reason"))) out.refund.reason = reason->text;
  if (!d.matched.empty()) {
    out.refund.rule_id = refund_->rules()[d.matched.front()].id;
    out.refund.source = refund_->rules()[d.matched.front()].source;
  }
  f.numbers[slot_refund_] = decided->number;
  f.present[slot_refund_] = 1;

  // 5. Calendars for the deadlines.
  run(5, d);
  auto calendar_named = [&](const char* output) -> const std::string& {
    const std::size_t o = service_calendar_->output_index(output);
    const value* v = service_calendar_->output_of(d, o);
    if (!v) throw error(std::string("policy 'service-calendar' decided no `") + output + "` (give its default one)");
    return service_calendar_->outputs()[o].values[static_cast<std::size_t>(v->number)];
  };
  const std::string& business_calendar = calendar_named("business_hours");
  const std::string& workday_calendar = calendar_named("working_days");
  out.business_calendar = business_calendar;
  out.workday_calendar = workday_calendar;
  auto deadline = [&](const std::string& what, const value& within, instant from, const std::string& rule,
                      const std::string& source) {
    const auto dur = kefu::calendar::parse_duration(within.text);
    sla_deadline s{what, within.text, "", from, rule, source};
    if (dur.kind == kefu::calendar::clock::business) s.calendar = business_calendar;
    if (dur.kind == kefu::calendar::clock::workdays) s.calendar = workday_calendar;
    if (s.calendar.empty()) {
      s.due = from + seconds(dur.amount);
      return s;
    }
    const auto cal = calendar(s.calendar);
    try {
      s.due = cal->add(from, dur);
    } catch (const calendar_range_error& e) {  // name the clock; keep the class
      throw calendar_range_error((what.empty() ? std::string("target") : what) + " deadline (" + within.text +
                                     " on " + s.calendar + "): " + e.detail(),
                                 e.where(), rule, e.id());
    }
    s.provisional = cal->provisional_at(s.due);
    return s;
  };
  const auto first = tier_output("first_response");
  const auto resolve = tier_output("resolution");
  if (!first || !resolve) throw error("policy 'tiers' gave tier " + out.tier + " no first_response or resolution");
  out.first_response = deadline("first response", *first, received, tier_rule, tier_source);
  out.resolution = deadline("resolution", *resolve, received, tier_rule, tier_source);
  if (out.follow_up_required) {
    const auto follow = tier_output("follow_up");
    if (!follow) throw error("policy 'tiers' requires a follow-up for tier " + out.tier + " but gives no follow_up");
    out.follow_up = deadline("follow-up", *follow, out.resolution.due, tier_rule, tier_source);
  }

  if (explain) {
    for (const sla_deadline* dl : {&out.first_response, &out.resolution, out.follow_up ? &*out.follow_up : nullptr}) {
      if (!dl || !dl->provisional) continue;
      const auto cal = calendar(dl->calendar);
      out.explanation += "provisional: the " + dl->what + " deadline " + format_instant(dl->due, zone_) +
                         " rests on days after " + format_days(cal->official_until()) +
                         ", where calendar '" + cal->name() +
                         "' has no official data yet (projected from the holiday law; it moves if the year's "
                         "holiday notice says otherwise) / 该期限依据尚未公布的节假日安排推算，以国务院通知为准\n";
    }
  }

  // 6. Channel and category targets.
  run(4, d);
  const std::size_t target_out = sla_->output_index("target"), within_out = sla_->output_index("within");
  out.targets.reserve(d.matched.size());
  for (const auto m : d.matched) {
    const value* within = sla_->output_of_rule(m, within_out);
    if (!within) continue;
    const value* target = sla_->output_of_rule(m, target_out);
    const auto& rule = sla_->rules()[m];
    out.targets.push_back(deadline(target ? target->text : std::string(), *within, received, rule.id, rule.source));
  }

  // 7. The actions the rules asked for, with owners and deadlines from the catalogue (DOM-RISK-4).
  out.actions.reserve(asked.size());
  for (const auto& [which, rule, code] : asked) {
    const action_entry& e = action_entries_[code];
    const policy& p = *policies_in_order[which];
    required_action a{e.code, e.description, e.owners, p.name(), rule < 0 ? std::string() : p.rules()[static_cast<std::size_t>(rule)].id,
                      e.source, std::nullopt};
    if (e.within) a.deadline = deadline(e.description, *e.within, received, e.rule_id, e.source);
    out.actions.push_back(std::move(a));
  }
  if (explain && !out.actions.empty()) {
    out.explanation += "actions / 处置措施:\n";
    for (const auto& a : out.actions) {
      std::string owners;
      for (const auto& o : a.owners) owners += (owners.empty() ? "" : ", ") + o;
      out.explanation += "  " + a.code + " — " + a.description + " (" + owners + ")" +
                         (a.deadline ? ", due " + format_instant(a.deadline->due, zone_) + " (within " + a.deadline->within + ")"
                                     : std::string()) +
                         "; asked by " + a.policy + " " + (a.asked_by.empty() ? std::string("default") : a.asked_by) + "\n";
    }
  }
  return out;
}

void triage_policy::resolve_rule_actions() {
  const auto chain = policies();
  rule_actions_.assign(chain.size(), {});
  for (std::size_t w = 0; w < chain.size(); ++w) {
    const policy& p = *chain[w];
    const field* f = find_field(p.outputs(), "actions");
    if (!f) continue;
    const std::size_t out = p.output_index("actions");
    std::vector<std::int32_t> to_code(f->values.size());  // checked against the catalogue at load
    for (std::size_t i = 0; i < f->values.size(); ++i)
      for (std::size_t k = 0; k < action_entries_.size(); ++k)
        if (action_entries_[k].code == f->values[i]) to_code[i] = static_cast<std::int32_t>(k);
    auto& masks = rule_actions_[w];
    masks.assign(p.rules().size() + 1, 0);
    for (std::size_t r = 0; r <= p.rules().size(); ++r) {
      const value* v = r < p.rules().size() ? p.output_of_rule(static_cast<std::uint32_t>(r), out)
                                            : (out < p.default_outputs().size() && p.default_outputs()[out] ? &*p.default_outputs()[out] : nullptr);
      if (!v) continue;
      for (std::size_t i = 0; i < to_code.size(); ++i)
        if ((v->number >> i) & 1) masks[r] |= std::uint64_t(1) << to_code[i];
    }
  }
}

std::string triage_policy::actions_text(std::uint64_t mask) const {
  std::string out;
  for (std::size_t k = 0; k < action_entries_.size(); ++k)
    if ((mask >> k) & 1) out += (out.empty() ? "" : ",") + action_entries_[k].code;
  return out;
}

// ---- The compact path (docs/architecture.md, "Decision: compact triage results") ----

namespace detail {

/// A deadline output (a tiers rule's, an SLA target's, a catalogue entry's), its text parsed once.
struct planned_within {
  const value* within = nullptr;  // nullptr: not given
  bool readable = false;          // false: parse_duration raises its error at the ticket, as triage does
  kefu::calendar::duration d;
};

/// What triage_compact works out once per loaded policy instead of once per ticket: output indices, each rule's
/// numbers and parsed deadlines, the calendars the service-calendar policy can name.
struct triage_plan {
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::size_t level_out = npos, tier_out = npos, routing_out = npos, owners_out = npos, follow_up_required_out = npos,
              report_required_out = npos, first_out = npos, resolution_out = npos, follow_up_out = npos,
              decision_out = npos, reason_out = npos, business_out = npos, workday_out = npos, target_out = npos,
              within_out = npos;
  /// Per rule (the last entry: the default) the number an output decides, −1 when unset.
  std::vector<std::int64_t> level_of, tier_of, routing_of;
  /// Per tiers rule (the last entry: the default), and per SLA target rule.
  std::vector<planned_within> first_of, resolution_of, follow_up_of, within_of;
  std::size_t max_inputs = 0;  ///< the most inputs of one policy
  /// Per action catalogue entry.
  std::vector<planned_within> action_within;
  /// The calendars of the service-calendar policy's business_hours and working_days values (nullptr: the name
  /// resolves to none; triage_policy::calendar raises that error when a deadline needs it).
  std::vector<std::shared_ptr<const kefu::calendar::calendar>> business_calendars, workday_calendars;
};

}  // namespace detail

namespace {

constexpr std::size_t npos = detail::triage_plan::npos;
const std::string no_text;

std::size_t find_output(const policy& p, const char* name) {
  const auto& outs = p.outputs();
  for (std::size_t i = 0; i < outs.size(); ++i)
    if (outs[i].name == name) return i;
  return npos;
}

/// An output index of the plan; npos (an output the loader requires, so never at run time) raises
/// output_index's own error.
std::size_t out_index(const policy& p, std::size_t planned, const char* name) {
  return planned != npos ? planned : p.output_index(name);
}

detail::planned_within plan_within(const value* v) {
  detail::planned_within p;
  p.within = v;
  if (!v) return p;
  try {
    p.d = kefu::calendar::parse_duration(v->text);
    p.readable = true;
  } catch (const error&) {
  }
  return p;
}

std::vector<std::int64_t> numbers_of(const policy& p, std::size_t output) {
  std::vector<std::int64_t> out(p.rules().size() + 1, -1);
  if (output == npos) return out;
  for (std::size_t r = 0; r < p.rules().size(); ++r)
    if (const value* v = p.output_of_rule(static_cast<std::uint32_t>(r), output)) out[r] = v->number;
  if (const value* v = p.output_of(decision{}, output)) out.back() = v->number;
  return out;
}

std::vector<detail::planned_within> withins_of(const policy& p, std::size_t output) {
  std::vector<detail::planned_within> out;
  out.reserve(p.rules().size() + 1);
  for (std::size_t r = 0; r < p.rules().size(); ++r)
    out.push_back(output == npos ? detail::planned_within{} : plan_within(p.output_of_rule(static_cast<std::uint32_t>(r), output)));
  out.push_back(output == npos ? detail::planned_within{} : plan_within(p.output_of(decision{}, output)));
  return out;
}

/// The highest number among a collect decision's matches, else the default's, else `fallback` (as `highest`).
std::int64_t highest_of(const decision& d, const std::vector<std::int64_t>& per_rule, std::int64_t fallback) {
  std::int64_t best = -1;
  for (const auto m : d.matched) best = std::max(best, per_rule[m]);
  if (best < 0) best = per_rule.back() >= 0 ? per_rule.back() : fallback;
  return best;
}

std::size_t rule_or_default(const policy& p, std::int32_t rule) {
  return rule < 0 ? p.rules().size() : static_cast<std::size_t>(rule);
}

}  // namespace

void triage_policy::make_plan() {
  auto plan = std::make_shared<detail::triage_plan>();
  detail::triage_plan& p = *plan;
  p.level_out = find_output(*risk_, "level");
  p.tier_out = find_output(*escalation_, "tier");
  p.routing_out = routing_output(*escalation_);
  p.owners_out = find_output(*tiers_, "owners");
  p.follow_up_required_out = find_output(*tiers_, "follow_up_required");
  p.report_required_out = find_output(*tiers_, "report_required");
  p.first_out = find_output(*tiers_, "first_response");
  p.resolution_out = find_output(*tiers_, "resolution");
  p.follow_up_out = find_output(*tiers_, "follow_up");
  p.decision_out = find_output(*refund_, "decision");
  p.reason_out = find_output(*refund_, "reason");
  p.business_out = find_output(*service_calendar_, "business_hours");
  p.workday_out = find_output(*service_calendar_, "working_days");
  p.target_out = find_output(*sla_, "target");
  p.within_out = find_output(*sla_, "within");
  p.level_of = numbers_of(*risk_, p.level_out);
  p.tier_of = numbers_of(*escalation_, p.tier_out);
  p.routing_of = numbers_of(*escalation_, p.routing_out);
  p.first_of = withins_of(*tiers_, p.first_out);
  p.resolution_of = withins_of(*tiers_, p.resolution_out);
  p.follow_up_of = withins_of(*tiers_, p.follow_up_out);
  p.within_of = withins_of(*sla_, p.within_out);
  for (const auto& slots : input_slots_) p.max_inputs = std::max(p.max_inputs, slots.size());
  for (const auto& e : action_entries_) p.action_within.push_back(plan_within(e.within ? &*e.within : nullptr));
  auto calendars_of = [&](std::size_t out, std::vector<std::shared_ptr<const kefu::calendar::calendar>>& into) {
    if (out == npos) return;
    for (const auto& name : service_calendar_->outputs()[out].values) {
      try {
        into.push_back(calendar(name));
      } catch (const error&) {
        into.push_back(nullptr);
      }
    }
  };
  calendars_of(p.business_out, p.business_calendars);
  calendars_of(p.workday_out, p.workday_calendars);
  plan_ = std::move(plan);
}

compact_triage triage_policy::compact_with(const record& given, std::int64_t forced_tier) const {
  const std::size_t n = facts_.size();
  if (given.numbers.size() != n) throw error("facts record does not belong to this triage policy (use make_facts())");
  for (std::size_t i = 0; i < n; ++i)
    if (facts_[i].required && !given.present[i]) {
      std::string missing;
      for (std::size_t j = i; j < n; ++j)
        if (facts_[j].required && !given.present[j]) missing += (missing.empty() ? "" : ", ") + facts_[j].name;
      throw error("missing fact(s) " + missing, {}, {}, "kefu.rules.missing_fact");
    }
  const detail::triage_plan& plan = *plan_;

  // Working view: the given facts (texts stay in the caller's record) plus the derived ones.
  record f;
  f.numbers = given.numbers;
  f.texts = given.texts;
  f.present = given.present;
  compact_triage out;
  out.policy = this;
  const instant received = instant::from_unix(f.numbers[slot_received_]);
  const std::int64_t received_day = zone_.local_day(received);
  if (f.present[slot_purchased_]) {
    const std::int64_t days = received_day - f.numbers[slot_purchased_];
    if (days < 0)
      throw error("fact 'purchased_at' (" + format_days(f.numbers[slot_purchased_]) +
                  ") is after the local date of received_at (" + format_days(received_day) + ")");
    f.numbers[slot_days_] = days;
    f.numbers[slot_known_] = 1;
    out.days_since_purchase = days;
  } else {
    f.numbers[slot_days_] = -1;  // rules test purchase_date_known first (documented in facts.yaml)
    f.numbers[slot_known_] = 0;
  }
  f.present[slot_days_] = f.present[slot_known_] = 1;
  // 0. The customer value tier (DOM-CH-3): given, or computed from the customer value index.
  if (const std::int64_t computed = computed_customer_tier(f, nullptr); computed >= 0) {
    f.numbers[slot_customer_tier_] = computed;
    f.present[slot_customer_tier_] = 1;
    out.customer_tier_computed = true;
  }
  if (slot_customer_tier_ != npos && f.present[slot_customer_tier_])
    out.customer_tier = static_cast<std::int32_t>(f.numbers[slot_customer_tier_]);

  const policy* const chain[] = {risk_.get(), escalation_.get(), tiers_.get(), refund_.get(), sla_.get(), service_calendar_.get()};
  // One inputs record and one decision for every policy in turn (tiers' decision is read again after refund's).
  record r;
  r.numbers.reserve(plan.max_inputs);  // grown once, not per policy
  r.texts.reserve(plan.max_inputs);
  r.present.reserve(plan.max_inputs);
  std::uint64_t asked_mask = 0;
  auto ask = [&](std::size_t which, const decision& d) {
    const auto& masks = rule_actions_[which];
    if (masks.empty()) return;
    auto add = [&](std::int32_t rule, std::uint64_t mask) {
      for (std::uint64_t fresh = mask & ~asked_mask; fresh; fresh &= fresh - 1)  // each new code, lowest first
        out.actions.push_back({static_cast<std::uint32_t>(__builtin_ctzll(fresh)), static_cast<std::uint32_t>(which), rule, std::nullopt});
      asked_mask |= mask;
    };
    if (d.matched.empty()) add(-1, masks.back());
    for (const auto m : d.matched) add(static_cast<std::int32_t>(m), masks[m]);
  };
  auto run = [&](std::size_t which, decision& d) {
    const policy& p = *chain[which];
    const auto& slots = input_slots_[which];
    const std::size_t k = slots.size();
    r.numbers.resize(k);
    r.texts.resize(k);
    r.present.resize(k);
    for (std::size_t i = 0; i < k; ++i) {
      const std::size_t s = slots[i];
      r.numbers[i] = f.numbers[s];
      r.texts[i] = f.texts[s];
      r.present[i] = f.present[s];
    }
    try {
      p.evaluate(r, d);
    } catch (const error& e) {
      rethrow_with_prefix(e, "policy '" + p.name() + "': ");
    }
    ask(which, d);
  };

  // 1. Risk: every signal that fires; the level is the highest.
  decision d;
  run(0, d);
  out.risk_level = static_cast<std::int32_t>(highest_of(d, plan.level_of, 0));
  out.signals.assign(d.matched.begin(), d.matched.end());
  out_index(*risk_, plan.level_out, "level");
  f.numbers[slot_risk_] = out.risk_level;
  f.present[slot_risk_] = 1;

  // 2. Escalation tier (or the forced one) and priority routing (DOM-ESC-5).
  out_index(*escalation_, plan.tier_out, "tier");
  std::int64_t tier = forced_tier;
  run(1, d);
  if (plan.routing_out != npos) out.priority_routing = highest_of(d, plan.routing_of, 0) > 0;
  if (forced_tier < 0) {
    tier = highest_of(d, plan.tier_of, 0);
    for (const auto m : d.matched)
      if (plan.tier_of[m] == tier) out.tier_rules.push_back(m);
  }
  out.tier = static_cast<std::int32_t>(tier);
  f.numbers[slot_tier_] = tier;
  f.present[slot_tier_] = 1;

  // 3. What the tier means.
  decision tier_decision;
  run(2, tier_decision);
  out.tiers_rule = tier_decision.matched.empty() ? -1 : static_cast<std::int32_t>(tier_decision.matched.front());
  if (const value* v = tiers_->output_of(tier_decision, out_index(*tiers_, plan.owners_out, "owners"))) out.owners = v->number;
  const value* fur = tiers_->output_of(tier_decision, out_index(*tiers_, plan.follow_up_required_out, "follow_up_required"));
  out.follow_up_required = fur && fur->number != 0;
  const value* rr = tiers_->output_of(tier_decision, out_index(*tiers_, plan.report_required_out, "report_required"));
  out.report_required = rr && rr->number != 0;

  // 4. Refund decision.
  run(3, d);
  const value* decided = refund_->output_of(d, out_index(*refund_, plan.decision_out, "decision"));
  if (!decided) throw error("policy 'refund' decided no `decision` (give its default one)");
  out_index(*refund_, plan.reason_out, "reason");
  out.refund_decision = static_cast<std::int32_t>(decided->number);
  out.refund_rule = d.matched.empty() ? -1 : static_cast<std::int32_t>(d.matched.front());
  f.numbers[slot_refund_] = decided->number;
  f.present[slot_refund_] = 1;

  // 5. Calendars, then the deadlines.
  run(5, d);
  auto calendar_index = [&](std::size_t planned, const char* output) {
    const std::size_t o = out_index(*service_calendar_, planned, output);
    const value* v = service_calendar_->output_of(d, o);
    if (!v) throw error(std::string("policy 'service-calendar' decided no `") + output + "` (give its default one)");
    return static_cast<std::int32_t>(v->number);
  };
  out.business_calendar = calendar_index(plan.business_out, "business_hours");
  out.workday_calendar = calendar_index(plan.workday_out, "working_days");
  const kefu::calendar::calendar* business = plan.business_calendars[static_cast<std::size_t>(out.business_calendar)].get();
  const kefu::calendar::calendar* workdays = plan.workday_calendars[static_cast<std::size_t>(out.workday_calendar)].get();
  auto due = [&](const detail::planned_within& w, instant from, std::string_view what, const std::string& rule) {
    if (!w.readable) (void)kefu::calendar::parse_duration(w.within->text);  // raises its error
    const bool on_business = w.d.kind == kefu::calendar::clock::business, on_workdays = w.d.kind == kefu::calendar::clock::workdays;
    if (!on_business && !on_workdays) return compact_triage::due_at{from + seconds(w.d.amount), false};
    const std::string& name = service_calendar_->outputs()[on_business ? plan.business_out : plan.workday_out]
                                  .values[static_cast<std::size_t>(on_business ? out.business_calendar : out.workday_calendar)];
    const kefu::calendar::calendar* cal = on_business ? business : workdays;
    std::shared_ptr<const kefu::calendar::calendar> held;
    if (!cal) {  // a name that resolved to no calendar at load: calendar() raises "calendar '…' is neither in …"
      held = calendar(name);
      cal = held.get();
    }
    compact_triage::due_at at;
    try {
      at.at = cal->add(from, w.d);
    } catch (const calendar_range_error& e) {  // name the clock; keep the class
      throw calendar_range_error((what.empty() ? std::string("target") : std::string(what)) + " deadline (" + w.within->text +
                                     " on " + name + "): " + e.detail(),
                                 e.where(), rule, e.id());
    }
    at.provisional = cal->provisional_at(at.at);
    return at;
  };
  auto tier_name_of = [&](std::int32_t t) { return escalation_->outputs()[out_index(*escalation_, plan.tier_out, "tier")].values[static_cast<std::size_t>(t)]; };
  const std::size_t tr = rule_or_default(*tiers_, out.tiers_rule);
  const std::string& tier_rule = out.tiers_rule < 0 ? no_text : tiers_->rules()[tr].id;
  out_index(*tiers_, plan.first_out, "first_response");
  out_index(*tiers_, plan.resolution_out, "resolution");
  if (!plan.first_of[tr].within || !plan.resolution_of[tr].within)
    throw error("policy 'tiers' gave tier " + tier_name_of(out.tier) + " no first_response or resolution");
  out.first_response = due(plan.first_of[tr], received, "first response", tier_rule);
  out.resolution = due(plan.resolution_of[tr], received, "resolution", tier_rule);
  if (out.follow_up_required) {
    out_index(*tiers_, plan.follow_up_out, "follow_up");
    if (!plan.follow_up_of[tr].within)
      throw error("policy 'tiers' requires a follow-up for tier " + tier_name_of(out.tier) + " but gives no follow_up");
    out.follow_up = due(plan.follow_up_of[tr], out.resolution.at, "follow-up", tier_rule);
  }

  // 6. Channel and category targets.
  run(4, d);
  out_index(*sla_, plan.target_out, "target");
  out_index(*sla_, plan.within_out, "within");
  out.targets.reserve(d.matched.size());
  for (const auto m : d.matched) {
    const detail::planned_within& w = plan.within_of[m];
    if (!w.within) continue;
    const value* target = sla_->output_of_rule(m, plan.target_out);
    out.targets.push_back({m, due(w, received, target ? std::string_view(target->text) : std::string_view(), sla_->rules()[m].id)});
  }

  // 7. The actions' deadlines, from the catalogue (DOM-RISK-4).
  for (auto& a : out.actions) {
    const detail::planned_within& w = plan.action_within[a.code];
    if (w.within) {
      const action_entry& e = action_entries_[a.code];
      a.due = due(w, received, e.description, e.rule_id);
    }
  }
  return out;
}

// Spelling a compact triage out: each part as triage_with writes it.

namespace {
/// A deadline of a compact triage as triage_with's `deadline` makes it.
sla_deadline spelled(const triage_policy& t, const detail::triage_plan& plan, const compact_triage& c, const detail::planned_within& w,
                     const compact_triage::due_at& due, std::string what, const std::string& rule, const std::string& source) {
  sla_deadline s{std::move(what), w.within->text, "", due.at, rule, source, due.provisional};
  const policy& service = t.service_calendar();
  if (w.d.kind == kefu::calendar::clock::business)
    s.calendar = service.outputs()[plan.business_out].values[static_cast<std::size_t>(c.business_calendar)];
  if (w.d.kind == kefu::calendar::clock::workdays)
    s.calendar = service.outputs()[plan.workday_out].values[static_cast<std::size_t>(c.workday_calendar)];
  return s;
}
}  // namespace

risk_assessment compact_triage::risk(const record& facts) const {
  const triage_policy& t = *policy;
  const rules::policy& p = *t.risk_;
  const std::size_t level_out = t.plan_->level_out;
  const field& level_field = p.outputs()[level_out];
  risk_assessment out;
  out.level = level_field.values[static_cast<std::size_t>(risk_level)];
  if (signals.empty()) return out;
  const record inputs = t.inputs_of(0, facts);  // the signals' words are in its texts (derived facts are numbers)
  out.signals.reserve(signals.size());
  for (const auto m : signals) {
    const auto& rule = p.rules()[m];
    const value* v = p.output_of_rule(m, level_out);
    out.signals.push_back({rule.id, v ? level_field.values[static_cast<std::size_t>(v->number)] : "", rule.description, rule.source,
                           p.keyword_words(inputs, m)});
  }
  return out;
}

const std::string& compact_triage::risk_level_name() const {
  return policy->risk_->outputs()[policy->plan_->level_out].values[static_cast<std::size_t>(risk_level)];
}

const std::string& compact_triage::tier_name() const {
  return policy->escalation_->outputs()[policy->plan_->tier_out].values[static_cast<std::size_t>(tier)];
}

std::vector<std::string> compact_triage::tier_rule_ids() const {
  std::vector<std::string> out;
  out.reserve(tier_rules.size());
  for (const auto m : tier_rules) out.push_back(policy->escalation_->rules()[m].id);
  return out;
}

std::vector<std::string> compact_triage::owner_names() const {
  std::vector<std::string> out;
  const auto& values = policy->tiers_->outputs()[policy->plan_->owners_out].values;
  for (std::size_t i = 0; i < values.size(); ++i)
    if ((owners >> i) & 1) out.push_back(values[i]);
  return out;
}

namespace {
/// One of the tier's deadlines (`which`: the tiers rule's plan of it) as triage_with spells it.
sla_deadline tier_deadline(const triage_policy& t, const detail::triage_plan& plan, const compact_triage& c,
                           const std::vector<detail::planned_within>& which, const compact_triage::due_at& due, const char* what) {
  const policy& tiers = t.tiers();
  const std::size_t tr = rule_or_default(tiers, c.tiers_rule);
  return spelled(t, plan, c, which[tr], due, what, c.tiers_rule < 0 ? no_text : tiers.rules()[tr].id,
                 c.tiers_rule < 0 ? no_text : tiers.rules()[tr].source);
}
}  // namespace

sla_deadline compact_triage::first_response_deadline() const {
  return tier_deadline(*policy, *policy->plan_, *this, policy->plan_->first_of, first_response, "first response");
}

sla_deadline compact_triage::resolution_deadline() const {
  return tier_deadline(*policy, *policy->plan_, *this, policy->plan_->resolution_of, resolution, "resolution");
}

std::optional<sla_deadline> compact_triage::follow_up_deadline() const {
  if (!follow_up) return std::nullopt;
  return tier_deadline(*policy, *policy->plan_, *this, policy->plan_->follow_up_of, *follow_up, "follow-up");
}

sla_deadline compact_triage::target_deadline(std::size_t k) const {
  const triage_policy& t = *policy;
  const target& g = targets.at(k);
  const value* what = t.sla_->output_of_rule(g.rule, t.plan_->target_out);
  const auto& rule = t.sla_->rules()[g.rule];
  return spelled(t, *t.plan_, *this, t.plan_->within_of[g.rule], g.due, what ? what->text : std::string(), rule.id, rule.source);
}

std::vector<sla_deadline> compact_triage::target_deadlines() const {
  std::vector<sla_deadline> out;
  out.reserve(targets.size());
  for (std::size_t k = 0; k < targets.size(); ++k) out.push_back(target_deadline(k));
  return out;
}

const std::string& compact_triage::business_calendar_name() const {
  return policy->service_calendar_->outputs()[policy->plan_->business_out].values[static_cast<std::size_t>(business_calendar)];
}

const std::string& compact_triage::workday_calendar_name() const {
  return policy->service_calendar_->outputs()[policy->plan_->workday_out].values[static_cast<std::size_t>(workday_calendar)];
}

refund_assessment compact_triage::refund() const {
  const triage_policy& t = *policy;
  const rules::policy& p = *t.refund_;
  refund_assessment out;
  out.decision = p.outputs()[t.plan_->decision_out].values[static_cast<std::size_t>(refund_decision)];
  const value* reason = refund_rule < 0 ? p.output_of(decision{}, t.plan_->reason_out)
                                        : p.output_of_rule(static_cast<std::uint32_t>(refund_rule), t.plan_->reason_out);
  if (reason) out.reason = reason->text;
  if (refund_rule >= 0) {
    out.rule_id = p.rules()[static_cast<std::size_t>(refund_rule)].id;
    out.source = p.rules()[static_cast<std::size_t>(refund_rule)].source;
  }
  return out;
}

std::string compact_triage::customer_tier_name() const {
  if (customer_tier < 0) return std::string();
  return policy->facts_[policy->slot_customer_tier_].values[static_cast<std::size_t>(customer_tier)];
}

required_action compact_triage::required(std::size_t k) const {
  const triage_policy& t = *policy;
  const action& a = actions.at(k);
  const triage_policy::action_entry& e = t.action_entries_[a.code];
  const policy_ptr p = t.policies()[a.policy];
  required_action out{e.code, e.description, e.owners, p->name(),
                      a.rule < 0 ? std::string() : p->rules()[static_cast<std::size_t>(a.rule)].id, e.source, std::nullopt};
  if (a.due) out.deadline = spelled(t, *t.plan_, *this, t.plan_->action_within[a.code], *a.due, e.description, e.rule_id, e.source);
  return out;
}

std::vector<required_action> compact_triage::required_actions() const {
  std::vector<required_action> out;
  out.reserve(actions.size());
  for (std::size_t k = 0; k < actions.size(); ++k) out.push_back(required(k));
  return out;
}

triage_result compact_triage::full(const record& facts) const {
  triage_result out;
  out.risk = risk(facts);
  out.tier = tier_name();
  out.tier_rules = tier_rule_ids();
  out.owners = owner_names();
  out.follow_up_required = follow_up_required;
  out.report_required = report_required;
  out.priority_routing = priority_routing;
  out.first_response = first_response_deadline();
  out.resolution = resolution_deadline();
  out.follow_up = follow_up_deadline();
  out.targets = target_deadlines();
  out.business_calendar = business_calendar_name();
  out.workday_calendar = workday_calendar_name();
  out.refund = refund();
  out.customer_tier = customer_tier_name();
  out.customer_tier_computed = customer_tier_computed;
  out.days_since_purchase = days_since_purchase;
  out.actions = required_actions();
  return out;
}

}  // namespace kefu::rules
