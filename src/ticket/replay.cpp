// kefu — many tickets' event logs replayed at once: every row checked first, the events grouped by ticket
// with a counting sort, each ticket's put in time order and fired, tickets split over threads.
#include <kefu/detail/parallel.hpp>
#include <kefu/ticket/replay.hpp>
#include <kefu/rules/triage_columns.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace kefu::ticket {

namespace {

constexpr const char* replay_error_id = "kefu.ticket.replay";

[[noreturn]] void fail(const std::string& what) { throw error(what, {}, {}, replay_error_id); }

std::string events_row(std::size_t row) { return "events row " + std::to_string(row); }

/// The log's rows as events (strings moved out of the log), after checking the columns' lengths and every
/// row's payload in the log's order.
std::vector<event> typed_events(event_log& log) {
  const std::size_t n = log.ticket_ids.size();
  const auto check_column = [n](const char* name, std::size_t size, bool optional) {
    if (size != n && !(optional && size == 0))
      fail(std::string("events column '") + name + "' has " + std::to_string(size) + " rows, ticket_id has " +
           std::to_string(n));
  };
  check_column("at", log.at.size(), false);
  check_column("event", log.kinds.size(), false);
  check_column("by", log.operators.size(), false);
  check_column("note", log.notes.size(), true);
  check_column("tier", log.tiers.size(), true);
  check_column("satisfied", log.satisfied.size(), true);
  check_column("reason", log.reasons.size(), true);
  check_column("milestone", log.milestones.size(), true);
  std::vector<event> evs(n);
  for (std::size_t i = 0; i < n; ++i) {
    event& e = evs[i];
    if (!log.milestones.empty() && !log.milestones[i].empty()) {  // a milestone: at, by, note and its name
      const bool extra = (!log.tiers.empty() && log.tiers[i]) || (!log.reasons.empty() && !log.reasons[i].empty()) ||
                         (!log.satisfied.empty() && log.satisfied[i].has_value());
      if (extra) fail(events_row(i) + ": milestone '" + log.milestones[i] + "' takes no tier, satisfied or reason");
      e.at = log.at[i];
      e.by = std::move(log.operators[i]);
      if (!log.notes.empty()) e.note = std::move(log.notes[i]);
      continue;
    }
    e.kind = log.kinds[i];
    if (static_cast<std::size_t>(e.kind) >= event_kind_count) fail(events_row(i) + ": unknown event");
    const char* name = to_string(e.kind);
    e.at = log.at[i];
    e.by = std::move(log.operators[i]);
    if (!log.notes.empty()) e.note = std::move(log.notes[i]);
    if (!log.tiers.empty() && log.tiers[i]) {
      if (e.kind != event_kind::triage) fail(events_row(i) + ": " + name + " takes no tier (only triage does)");
      e.to = *log.tiers[i];
    }
    if (!log.reasons.empty() && !log.reasons[i].empty()) {
      if (e.kind != event_kind::triage) fail(events_row(i) + ": " + name + " takes no reason (only triage does)");
      e.reason = std::move(log.reasons[i]);
    }
    const bool has_satisfied = !log.satisfied.empty() && log.satisfied[i].has_value();
    if (e.kind == event_kind::follow_up) {
      if (!has_satisfied) fail(events_row(i) + ": follow_up needs satisfied (true or false)");
      e.satisfied = *log.satisfied[i];
    } else if (has_satisfied) {
      fail(events_row(i) + ": " + name + " takes no satisfied (only follow_up does)");
    }
  }
  return evs;
}

/// Each ticket's rows: order[start[k] .. start[k + 1]) are ticket k's, in time order (ties keep the log's).
struct grouping {
  std::vector<std::size_t> order;
  std::vector<std::size_t> start;
};

grouping group_by_ticket(const std::vector<std::string>& ids, const event_log& log, const std::vector<event>& evs) {
  const std::size_t tickets = ids.size();
  const std::size_t n = evs.size();
  std::unordered_map<std::string_view, std::size_t> index;
  index.reserve(tickets);
  for (std::size_t k = 0; k < tickets; ++k) {
    if (ids[k].empty()) fail("row " + std::to_string(k) + ": a ticket to replay needs its ticket_id");
    if (!index.emplace(ids[k], k).second) fail("row " + std::to_string(k) + ": ticket_id '" + ids[k] + "' appears twice");
  }
  // A counting sort (one array for all tickets), then each ticket's events in time order with an insertion
  // sort (logs are nearly sorted already; ties keep the log's order).
  grouping g;
  std::vector<std::uint32_t> owner(n);
  g.start.assign(tickets + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && log.ticket_ids[i] == log.ticket_ids[i - 1]) {  // logs usually list a ticket's events together
      owner[i] = owner[i - 1];
    } else {
      const auto it = index.find(log.ticket_ids[i]);
      if (it == index.end()) fail(events_row(i) + ": ticket '" + log.ticket_ids[i] + "' is not among the tickets");
      owner[i] = static_cast<std::uint32_t>(it->second);
    }
    ++g.start[owner[i] + 1];
  }
  for (std::size_t k = 0; k < tickets; ++k) g.start[k + 1] += g.start[k];
  g.order.resize(n);
  {
    std::vector<std::size_t> next(g.start.begin(), g.start.end() - 1);
    for (std::size_t i = 0; i < n; ++i) g.order[next[owner[i]]++] = i;
  }
  const auto earlier = [&](std::size_t a, std::size_t b) { return evs[a].at < evs[b].at; };
  for (std::size_t k = 0; k < tickets; ++k) {
    const auto first = g.order.begin() + static_cast<std::ptrdiff_t>(g.start[k]);
    const auto last = g.order.begin() + static_cast<std::ptrdiff_t>(g.start[k + 1]);
    if (last - first > 64) {
      std::stable_sort(first, last, earlier);
      continue;
    }
    for (auto a = first; a != last; ++a)
      for (auto b = a; b != first && earlier(*b, *(b - 1)); --b) std::iter_swap(b, b - 1);
  }
  return g;
}

/// Opens ticket k with `open(k)` (returning the ticket and, when it was triaged, triage's tier) and fires its
/// events, the tickets split over threads; the earliest ticket's error is the one reported.
template <class Open>
std::vector<ticket> run(const std::vector<std::string>& ids, event_log log, const replay_options& options, Open open) {
  std::vector<event> evs = typed_events(log);
  const grouping g = group_by_ticket(ids, log, evs);
  const std::size_t tickets = ids.size();
  std::vector<std::optional<ticket>> done(tickets);
  const auto run_range = [&](std::size_t, std::size_t from, std::size_t to) {
    for (std::size_t k = from; k < to; ++k) {
      std::optional<tier> own_tier;
      try {
        done[k].emplace(open(k, own_tier));
      } catch (const kefu::error& e) {
        rethrow_with_prefix(e, "row " + std::to_string(k) + " (ticket '" + ids[k] + "'): ");
      }
      ticket& t = *done[k];
      t.reserve(g.start[k + 1] - g.start[k]);
      for (std::size_t r = g.start[k]; r < g.start[k + 1]; ++r) {
        const std::size_t i = g.order[r];
        event& e = evs[i];
        if (!log.milestones.empty() && !log.milestones[i].empty()) {
          try {
            t.mark(milestone{std::move(log.milestones[i]), e.at, std::move(e.by), std::move(e.note)});
          } catch (const kefu::error& x) {
            throw error(std::string(x.what()) + " (ticket '" + ids[k] + "', " + events_row(i) + ")", {}, {}, x.id());
          }
          continue;
        }
        if (e.kind == event_kind::triage && (log.tiers.empty() || !log.tiers[i])) {  // triage's own tier
          if (!own_tier) fail(events_row(i) + ": triage needs a tier (with plan=, facts are not triaged)");
          e.to = *own_tier;
        }
        try {
          t.fire(std::move(e));
        } catch (const transition_error& x) {
          throw transition_error(x.from(), x.event(), x.reason() + " (ticket '" + ids[k] + "', " + events_row(i) + ")",
                                 x.id());
        }
      }
    }
  };
  kefu::detail::parallel_shares(tickets, kefu::detail::share_count(tickets, options.threads, options.min_share), run_range);
  std::vector<ticket> out;
  out.reserve(tickets);
  for (auto& t : done) out.push_back(std::move(*t));
  return out;
}

std::string fact_text(const rules::record& facts, std::size_t slot) {
  return facts.present[slot] ? std::string(facts.texts[slot]) : std::string();
}

/// Every ticket's tier, plan and receipt, from columnar triage.
struct column_plans {
  std::vector<tier> tiers;
  std::vector<std::shared_ptr<const ticket_plan>> plans;
  std::vector<instant> received;
};

/// The tickets' tiers and plans by columns (what open() gives each of them, without a triage result per
/// ticket); nothing when a ticket cannot be opened that way (a missing id, any triage error): the caller then
/// opens the tickets one by one, which reports the error of the first ticket at fault.
std::optional<column_plans> plan_by_columns(const rules::triage_policy& policy, const std::vector<rules::record>& facts,
                                            const std::vector<std::string>& ids, const replay_options& options) {
  const std::size_t n = facts.size();
  for (const auto& id : ids)
    if (id.empty()) return std::nullopt;
  const auto& vocabulary = policy.facts();
  // The records as columns (derived facts are triage's to compute; a fact a record lacks is missing there).
  std::vector<std::vector<std::int64_t>> numbers(vocabulary.size());
  std::vector<std::vector<std::string_view>> texts(vocabulary.size());
  std::vector<std::vector<std::uint8_t>> missing(vocabulary.size());
  rules::batch b(policy, n);
  for (std::size_t s = 0; s < vocabulary.size(); ++s) {
    if (!vocabulary[s].derived.empty()) continue;
    const bool text = vocabulary[s].type == rules::value_type::text;
    missing[s].resize(n);
    if (text)
      texts[s].resize(n);
    else
      numbers[s].resize(n);
    for (std::size_t k = 0; k < n; ++k) {
      if (facts[k].numbers.size() != vocabulary.size()) return std::nullopt;
      missing[s][k] = facts[k].present[s] ? 0 : 1;
      if (text)
        texts[s][k] = facts[k].texts[s];
      else
        numbers[s][k] = facts[k].numbers[s];
    }
    if (text)
      b.texts(s, texts[s].data(), missing[s].data());
    else
      b.numbers(s, numbers[s].data(), missing[s].data(), true);
  }
  rules::batch_options batch_options;
  batch_options.threads = options.threads;
  batch_options.min_share = options.min_share;
  const auto& tier_values = vocabulary[policy.fact_slot("tier")].values;
  std::optional<rules::triage_columns> own;
  std::vector<tier> tier_of_value;
  std::array<std::int64_t, tier_count> tier_value{};  // each tier's index among the tier fact's values
  try {
    for (const auto& v : tier_values) tier_of_value.push_back(tier_named(v));
    for (std::size_t t = 0; t < tier_count; ++t) {
      const auto value = std::find(tier_values.begin(), tier_values.end(), to_string(static_cast<tier>(t)));
      if (value == tier_values.end()) return std::nullopt;
      tier_value[t] = value - tier_values.begin();
    }
    own.emplace(rules::triage_batch(b, batch_options));
  } catch (const kefu::error&) {
    return std::nullopt;
  }

  const std::size_t received_slot = policy.fact_slot("received_at");
  // What a tiers rule's deadline output means as a plan target, per (rule, calendar) pair.
  const rules::policy& tiers = policy.tiers();
  const rules::policy& service = policy.service_calendar();
  const auto& business_names = service.outputs()[service.output_index("business_hours")].values;
  const auto& workday_names = service.outputs()[service.output_index("working_days")].values;
  const std::size_t first_out = tiers.output_index("first_response"), resolution_out = tiers.output_index("resolution"),
                    follow_up_out = tiers.output_index("follow_up");
  // A pass at tier t over some of the rows (gathered: the batch borrows its columns), own's risk standing in for
  // the risk policy (triage_rows reads its level and signals).
  const auto pass_at = [&](std::size_t t, const std::vector<std::uint32_t>& rows) {
    const std::size_t m = rows.size();
    std::vector<std::vector<std::int64_t>> sub_numbers(vocabulary.size());
    std::vector<std::vector<std::string_view>> sub_texts(vocabulary.size());
    std::vector<std::vector<std::uint8_t>> sub_missing(vocabulary.size());
    rules::batch sub(policy, m);
    for (std::size_t s = 0; s < vocabulary.size(); ++s) {
      if (!vocabulary[s].derived.empty()) continue;
      sub_missing[s].resize(m);
      for (std::size_t j = 0; j < m; ++j) sub_missing[s][j] = missing[s][rows[j]];
      if (vocabulary[s].type == rules::value_type::text) {
        sub_texts[s].resize(m);
        for (std::size_t j = 0; j < m; ++j) sub_texts[s][j] = texts[s][rows[j]];
        sub.texts(s, sub_texts[s].data(), sub_missing[s].data());
      } else {
        sub_numbers[s].resize(m);
        for (std::size_t j = 0; j < m; ++j) sub_numbers[s][j] = numbers[s][rows[j]];
        sub.numbers(s, sub_numbers[s].data(), sub_missing[s].data(), true);
      }
    }
    rules::triage_columns risk;
    risk.policy = own->policy;
    risk.risk_level.resize(m);
    for (std::size_t j = 0; j < m; ++j) {
      const std::size_t k = rows[j];
      risk.risk_level[j] = own->risk_level[k];
      for (auto i = own->signal_offsets[k]; i < own->signal_offsets[k + 1]; ++i)
        risk.signal_rules.push_back(own->signal_rules[static_cast<std::size_t>(i)]);
      risk.signal_offsets.push_back(static_cast<std::int64_t>(risk.signal_rules.size()));
    }
    rules::triage_reuse reuse{&risk, {}};
    reuse.stages[rules::risk_stage] = true;
    return rules::triage_rows(sub, batch_options, tier_value[t], reuse);
  };

  // Row k's terms at tier t. At its own tier they are its own triage's (as plan_for takes them). At another
  // tier they are what a pass at that tier gives, found one of two ways:
  //  - when the tier can change nothing but the tiers policy's decision (no other policy reads the tier, and the
  //    tiers policy reads only given facts, the risk level and the tier), rows that give the tiers policy the
  //    same inputs get the same decision: one row of each kind is triaged at each tier, and every other row's
  //    deadlines at that tier are computed as triage would, so a row whose deadline triage could not compute
  //    still sends the batch to the one-by-one path that reports it;
  //  - otherwise each tier's pass triages every row triage put at another tier.
  struct terms {
    std::int32_t rule, business, workdays;
    bool follow_up_required, report_required;
  };
  std::array<std::vector<terms>, tier_count> terms_of;  // [t][k]
  for (auto& v : terms_of) v.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t t = static_cast<std::size_t>(tier_of_value[static_cast<std::size_t>(own->tier[k])]);
    terms_of[t][k] = {own->tiers_rule[k], own->business_calendar[k], own->workday_calendar[k], own->follow_up_required[k] != 0,
                      own->report_required[k] != 0};
  }
  const auto reads = [&](const rules::policy* p, const char* name) {
    if (!p) return false;
    for (const auto& f : p->inputs())
      if (f.name == name) return true;
    return false;
  };
  const std::size_t risk_slot = policy.fact_slot("risk_level");
  bool by_kind = !reads(&policy.risk(), "tier") && !reads(&policy.escalation(), "tier") && !reads(&policy.refund(), "tier") &&
                 !reads(&policy.sla_targets(), "tier") && !reads(&policy.service_calendar(), "tier") &&
                 !reads(policy.customer_value().get(), "tier");
  std::vector<std::size_t> kind_slots;  // the facts the tiers policy reads besides the tier
  for (const auto& f : policy.tiers().inputs()) {
    if (f.name == "tier") continue;
    const std::size_t s = policy.fact_slot(f.name);
    if (s != risk_slot && !vocabulary[s].derived.empty()) by_kind = false;
    if (f.name == "customer_tier" && policy.customer_value()) by_kind = false;  // triage may compute it
    kind_slots.push_back(s);
  }
  try {
    if (by_kind) {
      std::unordered_map<std::string, std::uint32_t> kind_index;
      std::vector<std::uint32_t> kind_of(n), first_of_kind;
      std::string key;
      for (std::size_t k = 0; k < n; ++k) {
        key.clear();
        for (const std::size_t s : kind_slots) {
          if (s == risk_slot) {
            key.append(reinterpret_cast<const char*>(&own->risk_level[k]), sizeof(own->risk_level[k]));
          } else if (missing[s][k]) {
            key.push_back('\0');
          } else if (vocabulary[s].type == rules::value_type::text) {
            const std::uint64_t size = texts[s][k].size();
            key.push_back('\1');
            key.append(reinterpret_cast<const char*>(&size), sizeof(size)).append(texts[s][k]);
          } else {
            key.push_back('\2');
            key.append(reinterpret_cast<const char*>(&numbers[s][k]), sizeof(numbers[s][k]));
          }
        }
        const auto [it, added] = kind_index.emplace(key, static_cast<std::uint32_t>(first_of_kind.size()));
        if (added) first_of_kind.push_back(static_cast<std::uint32_t>(k));
        kind_of[k] = it->second;
      }
      const rules::policy& tiers = policy.tiers();
      std::vector<std::shared_ptr<const calendar::calendar>> business_calendars, workday_calendars;
      for (const auto& name : business_names) business_calendars.push_back(policy.calendar(name));
      for (const auto& name : workday_names) workday_calendars.push_back(policy.calendar(name));
      // A rule's deadline output as triage reads it (the kinds' passes have checked that it reads).
      const auto duration_of = [&](std::int32_t rule, std::size_t output) {
        const rules::value* v = rule < 0 ? tiers.output_of(rules::decision{}, output)
                                         : tiers.output_of_rule(static_cast<std::uint32_t>(rule), output);
        return calendar::parse_duration(v->text);
      };
      for (std::size_t t = 0; t < tier_count; ++t) {
        const rules::triage_columns c = pass_at(t, first_of_kind);
        std::vector<std::array<std::optional<calendar::duration>, 3>> durations(first_of_kind.size());
        for (std::size_t j = 0; j < first_of_kind.size(); ++j) {
          durations[j][0] = duration_of(c.tiers_rule[j], first_out);
          durations[j][1] = duration_of(c.tiers_rule[j], resolution_out);
          if (c.follow_up_required[j]) durations[j][2] = duration_of(c.tiers_rule[j], follow_up_out);
        }
        for (std::size_t k = 0; k < n; ++k) {
          if (own->tier[k] == tier_value[t]) continue;
          const std::uint32_t j = kind_of[k];
          terms_of[t][k] = {c.tiers_rule[j], own->business_calendar[k], own->workday_calendar[k], c.follow_up_required[j] != 0,
                            c.report_required[j] != 0};
          // The deadlines triage at tier t computes for this row (the follow-up's from the resolution's): only
          // whether they can be computed matters here.
          const calendar::calendar* business = business_calendars[static_cast<std::size_t>(own->business_calendar[k])].get();
          const calendar::calendar* workdays = workday_calendars[static_cast<std::size_t>(own->workday_calendar[k])].get();
          const auto due = [&](const calendar::duration& d, instant from) {
            const calendar::calendar* cal = d.kind == calendar::clock::business   ? business
                                            : d.kind == calendar::clock::workdays ? workdays
                                                                                  : nullptr;
            return cal ? cal->add(from, d) : from + seconds(d.amount);
          };
          const instant received = instant::from_unix(numbers[received_slot][k]);
          due(*durations[j][0], received);
          const instant resolution = due(*durations[j][1], received);
          if (durations[j][2]) due(*durations[j][2], resolution);
        }
      }
    } else {
      for (std::size_t t = 0; t < tier_count; ++t) {
        std::vector<std::uint32_t> rows;
        for (std::size_t k = 0; k < n; ++k)
          if (own->tier[k] != tier_value[t]) rows.push_back(static_cast<std::uint32_t>(k));
        if (rows.empty()) continue;
        const rules::triage_columns c = pass_at(t, rows);
        for (std::size_t j = 0; j < rows.size(); ++j)
          terms_of[t][rows[j]] = {c.tiers_rule[j], c.business_calendar[j], c.workday_calendar[j], c.follow_up_required[j] != 0,
                                  c.report_required[j] != 0};
      }
    }
  } catch (const kefu::error&) {
    return std::nullopt;
  }
  column_plans out;
  out.tiers.resize(n);
  out.plans.resize(n);
  out.received.resize(n);
  const auto always = calendar::builtin("always");
  auto target = [&](std::int32_t rule, std::size_t output, std::int32_t business, std::int32_t workdays) {
    const rules::value* v = rule < 0 ? tiers.output_of(rules::decision{}, output) : tiers.output_of_rule(static_cast<std::uint32_t>(rule), output);
    sla_target s;
    s.within = calendar::parse_duration(v->text);
    s.on = s.within.kind == calendar::clock::business   ? policy.calendar(business_names[static_cast<std::size_t>(business)])
           : s.within.kind == calendar::clock::workdays ? policy.calendar(workday_names[static_cast<std::size_t>(workdays)])
                                                        : always;
    return s;
  };
  // DOM-LC-8, as reports_from_triage (from_triage.hpp): the level-1 report is required for critical risk or when a
  // rule asks for report_level_1; the catalogue's `within` for report_level_1 / report_level_2 are their deadlines,
  // on the row's calendars for the clock they name.
  const auto& level_values = vocabulary[policy.fact_slot("risk_level")].values;
  const auto critical = std::find(level_values.begin(), level_values.end(), "critical") - level_values.begin();
  std::uint64_t report_1_bit = 0;
  std::optional<calendar::duration> report_within[2];
  for (std::size_t e = 0; e < policy.action_entries().size(); ++e) {
    const auto& entry = policy.action_entries()[e];
    if (entry.code == "report_level_1") report_1_bit = std::uint64_t{1} << e;
    for (int level = 0; level < 2; ++level)
      if (entry.code == (level == 0 ? "report_level_1" : "report_level_2") && entry.within)
        report_within[level] = calendar::parse_duration(entry.within->text);
  }
  auto report_target = [&](const calendar::duration& d, std::int32_t business, std::int32_t workdays) {
    sla_target s;
    s.within = d;
    s.on = d.kind == calendar::clock::business   ? policy.calendar(business_names[static_cast<std::size_t>(business)])
           : d.kind == calendar::clock::workdays ? policy.calendar(workday_names[static_cast<std::size_t>(workdays)])
                                                 : always;
    return s;
  };
  std::map<std::array<std::int32_t, 3 * tier_count + 3>, std::shared_ptr<const ticket_plan>> shared;
  for (std::size_t k = 0; k < n; ++k) {
    out.tiers[k] = tier_of_value[static_cast<std::size_t>(own->tier[k])];
    out.received[k] = instant::from_unix(facts[k].numbers[received_slot]);
    const bool report_required = own->risk_level[k] == critical || (own->actions[k] & report_1_bit) != 0;
    std::array<std::int32_t, 3 * tier_count + 3> key{};
    for (std::size_t t = 0; t < tier_count; ++t) {
      const terms& x = terms_of[t][k];
      key[3 * t] = x.rule, key[3 * t + 1] = x.business, key[3 * t + 2] = x.workdays;
    }
    key[3 * tier_count] = report_required ? 1 : 0;
    key[3 * tier_count + 1] = own->business_calendar[k];
    key[3 * tier_count + 2] = own->workday_calendar[k];
    auto& plan = shared[key];
    if (!plan) {
      ticket_plan p = default_plan();
      for (std::size_t t = 0; t < tier_count; ++t) {
        const terms& x = terms_of[t][k];
        tier_targets& tt = p.tiers[t];
        tt.first_response = target(x.rule, first_out, x.business, x.workdays);
        tt.resolution = target(x.rule, resolution_out, x.business, x.workdays);
        tt.follow_up_required = x.follow_up_required;
        tt.report_required = x.report_required;
        tt.follow_up = tt.follow_up_required ? std::optional<sla_target>(target(x.rule, follow_up_out, x.business, x.workdays))
                                             : std::nullopt;
      }
      p.reports.level_1_required = report_required;
      if (report_required && report_within[0] && (own->actions[k] & report_1_bit))
        p.reports.level_1 = report_target(*report_within[0], own->business_calendar[k], own->workday_calendar[k]);
      if (report_within[1])
        p.reports.level_2 = report_target(*report_within[1], own->business_calendar[k], own->workday_calendar[k]);
      plan = std::make_shared<const ticket_plan>(std::move(p));
    }
    out.plans[k] = plan;
  }
  return out;
}

}  // namespace

void event_log::reserve(std::size_t rows) {
  ticket_ids.reserve(rows);
  at.reserve(rows);
  kinds.reserve(rows);
  operators.reserve(rows);
}

void event_log::add(std::string ticket_id, instant when, event_kind kind, std::string by, std::string note,
                    std::optional<tier> to, std::optional<bool> is_satisfied, std::string reason) {
  const std::size_t row = ticket_ids.size();
  ticket_ids.push_back(std::move(ticket_id));
  at.push_back(when);
  kinds.push_back(kind);
  operators.push_back(std::move(by));
  // An optional column comes into being with its first value (the rows before it get empty ones).
  if (!note.empty() || !notes.empty()) {
    notes.resize(row);
    notes.push_back(std::move(note));
  }
  if (to || !tiers.empty()) {
    tiers.resize(row);
    tiers.push_back(to);
  }
  if (is_satisfied || !satisfied.empty()) {
    satisfied.resize(row);
    satisfied.push_back(is_satisfied);
  }
  if (!reason.empty() || !reasons.empty()) {
    reasons.resize(row);
    reasons.push_back(std::move(reason));
  }
}

void event_log::add_milestone(std::string ticket_id, instant when, std::string milestone, std::string by,
                              std::string note) {
  const std::size_t row = ticket_ids.size();
  add(std::move(ticket_id), when, event_kind::start, std::move(by), std::move(note));
  milestones.resize(row);
  milestones.push_back(std::move(milestone));
}

std::vector<ticket> replay(const rules::triage_policy& policy, const std::vector<rules::record>& facts, event_log events,
                           const replay_options& options, std::vector<rules::triage_result>* triaged) {
  const std::size_t id_slot = policy.fact_slot("ticket_id");
  std::vector<std::string> ids(facts.size());
  for (std::size_t k = 0; k < facts.size(); ++k) ids[k] = fact_text(facts[k], id_slot);
  if (!triaged) {
    // Without the per-ticket results, every ticket is triaged and planned by columns: one pass of triage_batch,
    // then the other tiers' terms (see plan_by_columns); tickets with the same terms share one plan.
    if (auto planned = plan_by_columns(policy, facts, ids, options))
      return run(ids, std::move(events), options, [&](std::size_t k, std::optional<tier>& own_tier) {
        own_tier = planned->tiers[k];
        ticket t(ids[k], planned->plans[k], planned->received[k], options.received_by, planned->tiers[k]);
        use_policy_clocks(t, policy, facts[k]);  // named clocks (DOM-SLA-10), as open() gives them
        return t;
      });
  }
  if (triaged) triaged->assign(facts.size(), rules::triage_result{});
  return run(ids, std::move(events), options, [&](std::size_t k, std::optional<tier>& own_tier) {
    opened o = open_triaged(policy, facts[k], std::nullopt, ids[k], options.received_by);
    own_tier = tier_named(o.triage.tier);
    if (triaged) (*triaged)[k] = std::move(o.triage);
    return std::move(o.t);
  });
}

std::vector<ticket> replay(std::shared_ptr<const ticket_plan> plan, const std::vector<std::string>& ids,
                           const std::vector<instant>& received, event_log events, const replay_options& options) {
  if (!plan) fail("replay: no plan given");
  if (received.size() != ids.size())
    fail("tickets: " + std::to_string(ids.size()) + " ids but " + std::to_string(received.size()) + " receipt times");
  return run(ids, std::move(events), options, [&](std::size_t k, std::optional<tier>&) {
    return ticket(ids[k], plan, received[k], options.received_by);
  });
}

}  // namespace kefu::ticket
