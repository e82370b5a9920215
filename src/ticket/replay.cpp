// kefu — many tickets' event logs replayed at once: every row checked first, the events grouped by ticket
// with a counting sort, each ticket's put in time order and fired, tickets split over threads.
#include <kefu/detail/parallel.hpp>
#include <kefu/ticket/replay.hpp>

#include <algorithm>
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
  std::vector<event> evs(n);
  for (std::size_t i = 0; i < n; ++i) {
    event& e = evs[i];
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

std::vector<ticket> replay(const rules::triage_policy& policy, const std::vector<rules::record>& facts, event_log events,
                           const replay_options& options, std::vector<rules::triage_result>* triaged) {
  const std::size_t id_slot = policy.fact_slot("ticket_id");
  std::vector<std::string> ids(facts.size());
  for (std::size_t k = 0; k < facts.size(); ++k) ids[k] = fact_text(facts[k], id_slot);
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
