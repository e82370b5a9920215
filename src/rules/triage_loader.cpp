// A rules directory → a triage policy (triage_policy::load_directory): every document parsed once, the facts
// vocabulary, the policies in their roles, calendars, KPI files, clocks, the action catalogue, and the rule tests
// run as part of loading. Triage itself is in triage.cpp.
#include <kefu/detail/suggest.hpp>
#include <kefu/kpi/load.hpp>
#include <kefu/rules/catalog.hpp>
#include <kefu/rules/suite.hpp>
#include <kefu/rules/triage.hpp>
#include <kefu/money.hpp>

#include "clock_loader.hpp"
#include "documents.hpp"
#include "facts.hpp"
#include "triage_internal.hpp"
#include "../kpi/load_documents.hpp"

#include <algorithm>
#include <filesystem>

namespace kefu::rules {

namespace {

namespace fs = std::filesystem;
using detail::find_field;
using detail::routing_output;

/// "facts.yaml:12:3".
std::string where_text(const source_location& w) {
  std::string out = w.file;
  if (w.line > 0) out += ":" + std::to_string(w.line);
  if (w.column > 0) out += ":" + std::to_string(w.column);
  return out;
}

/// An output the triage reads must exist with the expected type.
const field& need_output(const policy& p, const std::string& name, value_type type) {
  const field* f = find_field(p.outputs(), name);
  if (!f || f->type != type)
    throw policy_error("policy '" + p.name() + "' needs an output '" + name + "' of type " + to_string(type) +
                           " for triage" + (f ? std::string(", not ") + to_string(f->type) : std::string()),
                       {p.file(), 0, 0});
  return *f;
}

std::size_t need_fact(const std::vector<field>& facts, const std::string& file, const std::string& name, value_type type,
                      bool derived) {
  for (std::size_t i = 0; i < facts.size(); ++i)
    if (facts[i].name == name) {
      if (facts[i].type != type)
        throw policy_error("fact '" + name + "' must be of type " + to_string(type) + " for triage", facts[i].where);
      if (derived && facts[i].derived.empty())
        throw policy_error("fact '" + name + "' is computed by triage: mark it `derived: <how>`", facts[i].where);
      return i;
    }
  throw policy_error("the facts vocabulary needs a field '" + name + "' (" + to_string(type) + (derived ? ", derived" : "") +
                         ") for triage",
                     {file, 0, 0});
}

}  // namespace

std::shared_ptr<const triage_policy> triage_policy::load_directory(const std::string& directory,
                                                                   const load_options& options) {
  auto t = std::make_shared<triage_policy>();
  t->directory_ = directory;
  // Every file parsed once to tell its kind; the rule tests below are read from that parse.
  const auto scanned = kefu::detail::scan_rules_documents(directory);
  std::vector<document_summary> docs;
  docs.reserve(scanned.size());
  for (const auto& d : scanned) docs.push_back(d.summary);
  std::map<std::string, policy_ptr> policies;
  std::map<std::string, policy_ptr> by_file;  // lexically normal path → policy, for the rule tests
  std::string facts_file;
  for (const auto& d : docs) {
    const std::string path = (fs::path(directory) / d.path).generic_string();
    if (d.kind == document_kind::facts) {
      if (!facts_file.empty())
        throw policy_error("a second facts file (the first is " + facts_file + "): a rules directory has one vocabulary",
                           {path, 1, 1});
      facts_file = path;
    } else if (d.kind == document_kind::calendar) {
      auto c = kefu::calendar::load_file(path);
      t->calendars_[c->name()] = c;
    }
  }
  if (facts_file.empty())
    throw policy_error("rules directory '" + directory + "' has no facts file (a file starting with `facts:`)");
  const auto facts = detail::load_facts_document(facts_file);
  // Policies after the vocabulary: an input's `values: from facts` reads it.
  for (const auto& d : docs) {
    if (d.kind != document_kind::policy) continue;
    const std::string path = (fs::path(directory) / d.path).generic_string();
    auto p = load_policy_file(path, facts.fields);
    if (policies.count(p->name()))
      throw policy_error("a second policy named '" + p->name() + "' (the first is " + policies[p->name()]->file() + ")",
                         {path, 1, 1});
    policies[p->name()] = p;
    by_file[fs::path(path).lexically_normal().generic_string()] = p;
  }
  // An overlay of a built-in (calendars/cn-mainland.yaml with next year's notice) reaches the built-ins on it.
  t->calendars_ = kefu::calendar::with_dependent_builtins(std::move(t->calendars_));
  if (options.beyond_official) {
    for (const auto& name : kefu::calendar::builtin_names())
      if (!t->calendars_.count(name)) t->calendars_[name] = kefu::calendar::builtin(name);
    for (auto& kv : t->calendars_) kv.second = kefu::calendar::with_beyond_official(kv.second, *options.beyond_official);
  }
  t->facts_ = facts.fields;
  t->zone_ = facts.zone;
  // Defaults are parsed once here; make_facts() copies them.
  t->default_numbers_.assign(t->facts_.size(), 0);
  t->default_texts_.assign(t->facts_.size(), std::string());
  t->default_present_.assign(t->facts_.size(), 0);
  for (std::size_t i = 0; i < t->facts_.size(); ++i)
    if (t->facts_[i].default_text) {
      const value v = parse_value(t->facts_[i], *t->facts_[i].default_text, t->zone_);
      t->default_numbers_[i] = v.number;
      t->default_texts_[i] = v.text;
      t->default_present_[i] = 1;
    }

  auto get = [&](const char* name) {
    const auto it = policies.find(name);
    if (it == policies.end()) {
      std::vector<std::string> names;
      for (const auto& kv : policies) names.push_back(kv.first);
      throw policy_error(std::string("rules directory '") + directory + "' has no policy named '" + name +
                         "' (triage needs risk, escalation, tiers, refund, sla-targets and service-calendar)" +
                         kefu::detail::did_you_mean(name, names));
    }
    return it->second;
  };
  t->risk_ = get("risk");
  t->escalation_ = get("escalation");
  t->tiers_ = get("tiers");
  t->refund_ = get("refund");
  t->sla_ = get("sla-targets");
  t->service_calendar_ = get("service-calendar");

  // The outputs triage reads.
  const field& level = need_output(*t->risk_, "level", value_type::enumeration);
  const field& tier = need_output(*t->escalation_, "tier", value_type::enumeration);
  routing_output(*t->escalation_);  // optional; of type bool when given
  need_output(*t->tiers_, "first_response", value_type::deadline);
  need_output(*t->tiers_, "resolution", value_type::deadline);
  need_output(*t->tiers_, "follow_up", value_type::deadline);
  need_output(*t->tiers_, "owners", value_type::set);
  need_output(*t->tiers_, "follow_up_required", value_type::boolean);
  need_output(*t->tiers_, "report_required", value_type::boolean);
  const field& decision = need_output(*t->refund_, "decision", value_type::enumeration);
  need_output(*t->refund_, "reason", value_type::text);
  need_output(*t->sla_, "target", value_type::text);
  need_output(*t->sla_, "within", value_type::deadline);
  const field& business_hours = need_output(*t->service_calendar_, "business_hours", value_type::enumeration);
  const field& working_days = need_output(*t->service_calendar_, "working_days", value_type::enumeration);
  for (const field* f : {&business_hours, &working_days})
    for (const auto& name : f->values) t->calendar(name);  // every calendar named must exist

  // Actions (DOM-RISK-4): a policy's `actions` output names codes of the catalogue, which gives each its owners
  // and deadline. Resolved here once, per rule, so triage only ORs masks.
  if (const auto it = policies.find("actions"); it != policies.end()) t->actions_ = it->second;
  {
    const auto chain = t->policies();
    std::vector<const field*> asking(chain.size(), nullptr);
    for (std::size_t w = 0; w < chain.size(); ++w)
      if (const field* f = find_field(chain[w]->outputs(), "actions")) {
        if (f->type != value_type::set)
          throw policy_error("output 'actions' of policy '" + chain[w]->name() + "' must be a set of action codes, not " +
                                 to_string(f->type),
                             f->where, {}, "kefu.rules.actions");
        if (!t->actions_)
          throw policy_error("policy '" + chain[w]->name() + "' asks for actions, but rules directory '" + directory +
                                 "' has no policy named 'actions' (the catalogue that gives each action code its owners and "
                                 "deadline; docs/triage.md, \"Actions\")",
                             f->where, {}, "kefu.rules.actions");
        asking[w] = f;
      }
    if (t->actions_) {
      const policy& cat = *t->actions_;
      const field* code = find_field(cat.inputs(), "action");
      if (!code || code->type != value_type::enumeration || cat.inputs().size() != 1)
        throw policy_error("policy 'actions' (the action catalogue) takes one input, `action: {type: enum, values: [...]}`",
                           {cat.file(), 1, 1}, {}, "kefu.rules.actions");
      if (code->values.size() > 64)
        throw policy_error("the action catalogue has " + std::to_string(code->values.size()) + " codes; at most 64",
                           code->where, {}, "kefu.rules.actions");
      need_output(cat, "owners", value_type::set);
      need_output(cat, "description", value_type::text);
      const field* within = find_field(cat.outputs(), "within");
      if (within && within->type != value_type::deadline)
        throw policy_error("output 'within' of the action catalogue must be a deadline", within->where, {}, "kefu.rules.actions");
      const std::size_t owners_out = cat.output_index("owners"), description_out = cat.output_index("description");
      const field& owners_field = cat.outputs()[owners_out];
      for (std::size_t k = 0; k < code->values.size(); ++k) {
        record r = cat.make_record();
        cat.set_number(r, 0, static_cast<std::int64_t>(k));
        rules::decision d;
        try {
          cat.evaluate(r, d);
        } catch (const error& e) {
          rethrow_with_prefix(e, "action catalogue, action '" + code->values[k] + "': ");
        }
        action_entry entry;
        entry.code = code->values[k];
        if (!d.matched.empty()) {
          entry.rule_id = cat.rules()[d.matched.front()].id;
          entry.source = cat.rules()[d.matched.front()].source;
        }
        if (const value* v = cat.output_of(d, description_out)) entry.description = v->text;
        if (const value* v = cat.output_of(d, owners_out))
          for (std::size_t i = 0; i < owners_field.values.size(); ++i)
            if ((v->number >> i) & 1) entry.owners.push_back(owners_field.values[i]);
        if (entry.owners.empty())
          throw policy_error("action '" + entry.code + "' has no owners in the action catalogue: say who does it",
                             d.matched.empty() ? code->where : cat.rules()[d.matched.front()].where, entry.rule_id,
                             "kefu.rules.actions");
        if (within)
          if (const value* v = cat.output_of(d, cat.output_index("within"))) entry.within = *v;
        t->action_entries_.push_back(std::move(entry));
      }
    }
    for (std::size_t w = 0; w < chain.size(); ++w)
      if (const field* f = asking[w]) {
        std::vector<std::string> known;
        for (const auto& e : t->action_entries_) known.push_back(e.code);
        for (const auto& code : f->values)
          if (std::find(known.begin(), known.end(), code) == known.end())
            throw policy_error("action '" + code + "' of policy '" + chain[w]->name() + "' is not in the action catalogue (" +
                                   t->actions_->file() + ")" + kefu::detail::did_you_mean(code, known),
                               f->where, {}, "kefu.rules.actions");
      }
    t->resolve_rule_actions();
  }

  // The facts triage reads and computes.
  t->slot_received_ = need_fact(t->facts_, facts_file, "received_at", value_type::datetime, false);
  t->slot_purchased_ = need_fact(t->facts_, facts_file, "purchased_at", value_type::date, false);
  t->slot_days_ = need_fact(t->facts_, facts_file, "days_since_purchase", value_type::integer, true);
  t->slot_known_ = need_fact(t->facts_, facts_file, "purchase_date_known", value_type::boolean, true);
  t->slot_risk_ = need_fact(t->facts_, facts_file, "risk_level", value_type::enumeration, true);
  t->slot_tier_ = need_fact(t->facts_, facts_file, "tier", value_type::enumeration, true);
  t->slot_refund_ = need_fact(t->facts_, facts_file, "refund_decision", value_type::enumeration, true);
  // The customer value tier (DOM-CH-3): a given fact that the optional customer-value policy fills when left out.
  for (std::size_t i = 0; i < t->facts_.size(); ++i)
    if (t->facts_[i].name == "customer_tier" && t->facts_[i].type == value_type::enumeration) t->slot_customer_tier_ = i;
  if (const auto it = policies.find("customer-value"); it != policies.end()) {
    t->customer_value_ = it->second;
    const field& computed = need_output(*t->customer_value_, "customer_tier", value_type::enumeration);
    const std::size_t slot = need_fact(t->facts_, facts_file, "customer_tier", value_type::enumeration, false);
    if (!t->facts_[slot].derived.empty() || t->facts_[slot].values != computed.values)
      throw policy_error("fact 'customer_tier' must be a given fact with the values of output 'customer_tier' (" +
                             where_text(computed.where) + ")",
                         t->facts_[slot].where, {}, "kefu.rules.vocabulary");
  }
  const std::pair<std::size_t, const field*> chained[] = {
      {t->slot_risk_, &level}, {t->slot_tier_, &tier}, {t->slot_refund_, &decision}};
  for (const auto& [slot, out] : chained)
    if (t->facts_[slot].values != out->values)
      throw policy_error("fact '" + t->facts_[slot].name + "' must have the values of output '" + out->name + "' (" +
                             where_text(out->where) + ")",
                         t->facts_[slot].where, {}, "kefu.rules.vocabulary");

  // Every policy input is a fact of the same type and values.
  auto checked = t->policies();
  if (t->customer_value_) checked.push_back(t->customer_value_);
  for (const auto& p : checked) {
    std::vector<std::size_t> slots;
    for (const auto& in : p->inputs()) {
      const auto it = std::find_if(t->facts_.begin(), t->facts_.end(), [&](const field& f) { return f.name == in.name; });
      if (it == t->facts_.end()) {
        std::vector<std::string> names;
        for (const auto& f : t->facts_) names.push_back(f.name);
        throw policy_error("input '" + in.name + "' is not in the facts vocabulary (" + facts_file + ")" +
                               kefu::detail::did_you_mean(in.name, names),
                           in.where, {}, "kefu.rules.vocabulary");
      }
      if (it->type != in.type || it->values != in.values)
        throw policy_error("input '" + in.name + "' differs from the fact in the vocabulary (" + where_text(it->where) +
                               "): give it the same type and values",
                           in.where, {}, "kefu.rules.vocabulary");
      if (in.default_text)
        throw policy_error("input '" + in.name + "' has a default: under triage, defaults belong in the facts vocabulary (" +
                               where_text(it->where) + ")",
                           in.where, {}, "kefu.rules.vocabulary");
      slots.push_back(static_cast<std::size_t>(it - t->facts_.begin()));
    }
    t->input_slots_.push_back(std::move(slots));
  }
  if (t->customer_value_) {
    t->customer_value_slots_ = std::move(t->input_slots_.back());
    t->input_slots_.pop_back();
  }

  // KPI targets and scorecards: part of the set, so a half-written one never goes live with the rest. Their
  // calendars are the directory's (overlays included) before the built-ins.
  for (const auto& d : scanned) {
    if (d.summary.kind == document_kind::targets) {
      auto k = kefu::kpi::detail::load_targets_document(d.file, &t->calendars_);
      if (const auto it = t->targets_.find(k->name); it != t->targets_.end())
        throw policy_error("a second targets file named '" + k->name + "' (the first is " + it->second->where.file + ")",
                           k->where, {}, "kefu.kpi.targets");
      t->targets_[k->name] = std::move(k);
    } else if (d.summary.kind == document_kind::scorecard) {
      auto c = kefu::kpi::detail::load_scorecard_document(d.file);
      if (const auto it = t->scorecards_.find(c->name); it != t->scorecards_.end())
        throw policy_error("a second scorecard named '" + c->name + "' (the first is " + it->second->where.file + ")",
                           c->where, {}, "kefu.kpi.scorecard");
      t->scorecards_[c->name] = std::move(c);
    }
  }

  // Named clocks (DOM-SLA-10): one `clocks:` document at most, checked against the vocabulary and calendars.
  for (const auto& d : scanned) {
    if (d.summary.kind != document_kind::clocks) continue;
    if (t->clock_book_)
      throw policy_error("a second clocks document (the first is " + t->clock_book_->file +
                             "): a rules directory declares its named clocks in one file",
                         {d.file.name, 1, 1}, {}, "kefu.rules.clocks");
    t->clock_book_ = detail::load_clock_document(d.file, t->facts_, [&](const std::string& name) { return t->calendar(name); });
  }
  if (t->clock_book_) {
    // One book per category × business, shared by every ticket of that pair (no copy per ticket).
    for (std::size_t i = 0; i < t->facts_.size(); ++i) {
      if (t->facts_[i].name == "category" && t->facts_[i].type == value_type::enumeration) t->slot_category_ = i;
      if (t->facts_[i].name == "business" && t->facts_[i].type == value_type::enumeration) t->slot_business_ = i;
    }
    const std::size_t nc = t->slot_category_ < t->facts_.size() ? t->facts_[t->slot_category_].values.size() : 0;
    const std::size_t nb = t->slot_business_ < t->facts_.size() ? t->facts_[t->slot_business_].values.size() : 0;
    std::map<std::vector<bool>, clock_book_ptr> same;
    for (std::size_t c = 0; c <= nc; ++c)  // index n = the fact left out
      for (std::size_t b = 0; b <= nb; ++b) {
        const std::string cat = c < nc ? t->facts_[t->slot_category_].values[c] : std::string();
        const std::string bus = b < nb ? t->facts_[t->slot_business_].values[b] : std::string();
        std::vector<bool> which;
        for (const auto& k : t->clock_book_->clocks) which.push_back(k.applies_to(cat, bus));
        auto& book = same[which];
        if (!book) book = rules::clocks_for(t->clock_book_, cat, bus);
        t->clock_books_.push_back(book);
      }
  }

  t->make_plan();  // what triage_compact works out once

  // The rule tests, last: the structural errors above are the more precise ones. Each suite runs against the
  // policy just loaded from the file it names, so what the tests pass is exactly what goes live.
  if (options.run_rule_tests) {
    t->rule_tests_run_ = true;
    for (const auto& d : scanned) {
      if (d.summary.kind != document_kind::suite) continue;
      const suite s = detail::load_suite_document(d.file);
      const auto it = by_file.find(fs::path(s.policy_path).lexically_normal().generic_string());
      if (it == by_file.end())
        throw policy_error("rule-test file tests '" + s.policy_path + "', which is not a policy of rules directory '" +
                               directory + "'",
                           s.policy_where);
      t->rule_test_cases_ += check_suite(s, *it->second);
    }
  }
  return t;
}

}  // namespace kefu::rules
