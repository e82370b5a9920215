// kefu — a ticket's named clocks and milestones (DOM-SLA-10): the clock book's triggers applied on every
// accepted event and milestone, use_clocks, mark, and tick()'s escalation on a named clock's breach.
#include "internal.hpp"

#include <kefu/detail/suggest.hpp>

#include <algorithm>
#include <utility>

namespace kefu::ticket {

namespace {

constexpr const char* named_clock_id = "kefu.ticket.named_clock";
constexpr const char* milestone_id = "kefu.ticket.milestone";

bool lists(const std::vector<std::string>& list, std::string_view trigger) {
  return std::find(list.begin(), list.end(), trigger) != list.end();
}

bool is_running(const calendar::sla_clock& c) {
  const auto k = c.events().back().kind;
  return k == calendar::clock_event_kind::start || k == calendar::clock_event_kind::resume;
}

/// The note of an automatic escalation on a named clock's breach: tick() escalates once per clock, and
/// finds whether it has by this note in the history.
std::string breach_note_prefix(const std::string& clock) { return "auto: " + clock + " breached"; }

}  // namespace

void apply_named(const rules::clock_book& book, std::vector<std::optional<calendar::sla_clock>>& clocks,
                 std::string_view trigger, instant at) {
  for (std::size_t i = 0; i < book.clocks.size(); ++i) {
    const rules::clock_definition& d = book.clocks[i];
    auto& c = clocks[i];
    if (c && !c->events().empty() && !stopped(*c)) {
      if (lists(d.stop, trigger)) {
        c->stop(at);
        continue;
      }
      if (lists(d.pause, trigger) && is_running(*c)) {
        c->pause(at);
        continue;
      }
      if (lists(d.resume, trigger) && c->events().back().kind == calendar::clock_event_kind::pause) {
        c->resume(at);
        continue;
      }
    }
    if (!c && lists(d.start, trigger)) {
      c.emplace(d.on, d.within, d.warning);
      c->start(at);
    }
  }
}

named_change named_change_of(const rules::clock_book& book, const std::vector<std::optional<calendar::sla_clock>>& clocks,
                             std::string_view trigger, instant at) {
  bool touched = false, on_copy = false;
  for (std::size_t i = 0; i < book.clocks.size(); ++i) {
    const rules::clock_definition& d = book.clocks[i];
    const auto& c = clocks[i];
    if (!c) {
      if (lists(d.start, trigger)) touched = on_copy = true;
    } else if (!c->events().empty()) {
      if (!stopped(*c) && (lists(d.stop, trigger) || lists(d.pause, trigger) || lists(d.resume, trigger))) touched = true;
      if (at < c->events().back().at) on_copy = true;
    }
  }
  return !touched ? named_change::none : on_copy ? named_change::on_copy : named_change::in_place;
}

void reserve_named(std::vector<std::optional<calendar::sla_clock>>& clocks) {
  for (auto& c : clocks)
    if (c) c->reserve_next();
}

bool operator==(const named_clock_set& a, const named_clock_set& b) {
  if (bool(a.book) != bool(b.book)) return false;
  if (!a.book) return true;
  if (a.milestones != b.milestones || a.fact_starts != b.fact_starts || a.clocks.size() != b.clocks.size()) return false;
  const auto& x = *a.book;
  const auto& y = *b.book;
  if (x.clocks.size() != y.clocks.size() || x.milestones.size() != y.milestones.size()) return false;
  for (std::size_t i = 0; i < x.milestones.size(); ++i)
    if (x.milestones[i].name != y.milestones[i].name) return false;
  for (std::size_t i = 0; i < x.clocks.size(); ++i) {
    const auto& c = x.clocks[i];
    const auto& d = y.clocks[i];
    if (c.name != d.name || c.within != d.within || c.on->name() != d.on->name() || c.start != d.start ||
        c.pause != d.pause || c.resume != d.resume || c.stop != d.stop || c.escalate != d.escalate ||
        c.warning.lead != d.warning.lead || (!c.warning.lead && c.warning.fraction != d.warning.fraction))
      return false;
    if (a.clocks[i].has_value() != b.clocks[i].has_value()) return false;
    if (a.clocks[i] && a.clocks[i]->events() != b.clocks[i]->events()) return false;
  }
  return true;
}

void ticket::use_clocks(rules::clock_book_ptr book, const std::vector<std::optional<instant>>& fact_starts) {
  impl& p = *p_;
  if (!book) throw error("named clocks: no clock book given", {}, {}, named_clock_id);
  if (!p.history.records.empty() || !p.named.milestones.empty())
    throw error("named clocks are given to a ticket before its first event (ticket '" + p.id + "' has " +
                    std::to_string(p.history.records.size()) + ")",
                {}, {}, named_clock_id);
  if (!fact_starts.empty() && fact_starts.size() != book->clocks.size())
    throw error("named clocks: " + std::to_string(fact_starts.size()) + " fact starts for " +
                    std::to_string(book->clocks.size()) + " clocks",
                {}, {}, named_clock_id);
  named_clock_set next;
  next.clocks.resize(book->clocks.size());
  next.fact_starts.resize(book->clocks.size());
  for (std::size_t i = 0; i < book->clocks.size(); ++i) {
    const rules::clock_definition& d = book->clocks[i];
    if (!d.on) throw error("named clock '" + d.name + "' has no calendar", {}, {}, named_clock_id);
    if (i < fact_starts.size() && fact_starts[i]) {
      if (p.received < *fact_starts[i])
        throw error("named clock '" + d.name + "': its start (fact '" + d.start_fact + "', " +
                        format_instant(*fact_starts[i], d.on->zone()) + ") is after the ticket's receipt (" +
                        format_instant(p.received, d.on->zone()) + ")",
                    {}, {}, named_clock_id);
      next.fact_starts[i] = fact_starts[i];
      next.clocks[i].emplace(d.on, d.within, d.warning);
      next.clocks[i]->start(*fact_starts[i]);
    }
  }
  apply_named(*book, next.clocks, "receive", p.received);
  next.book = std::move(book);
  p.named = std::move(next);
}

const rules::clock_book* ticket::clock_book() const noexcept { return p_->named.book.get(); }

const calendar::sla_clock* ticket::clock(std::string_view name) const noexcept {
  const auto& n = p_->named;
  if (!n.book) return nullptr;
  for (std::size_t i = 0; i < n.book->clocks.size(); ++i)
    if (n.book->clocks[i].name == name) return n.clocks[i] ? &*n.clocks[i] : nullptr;
  return nullptr;
}

const std::vector<milestone_record>& ticket::milestones() const noexcept { return p_->named.milestones; }

void ticket::mark(const milestone& m) {
  impl& p = *p_;
  if (!p.named.book)
    throw error("ticket '" + p.id + "' has no named clocks, so no milestones: open it under a rules directory with a " +
                    "clocks document (docs/rules.md, \"Named clocks\")",
                {}, {}, milestone_id);
  const rules::clock_book& book = *p.named.book;
  if (!book.milestone(m.name)) {
    std::vector<std::string> known;
    for (const auto& x : book.milestones) known.push_back(x.name);
    std::string list;
    for (const auto& n : known) list += (list.empty() ? "" : ", ") + n;
    throw error("unknown milestone '" + m.name + "'" + kefu::detail::did_you_mean(m.name, known) + "; clock book '" +
                    book.name + "' declares " + (list.empty() ? std::string("none") : list),
                {}, {}, milestone_id);
  }
  const instant last = p.last_instant();
  if (m.at < last)
    throw error("milestone '" + m.name + "' at " + format_instant(m.at) + " is before the ticket's last event at " +
                    format_instant(last),
                {}, {}, milestone_id);
  // As in fire(): a start works on a copy, stops, pauses and resumes in place once each clock has room.
  const named_change change = named_change_of(book, p.named.clocks, m.name, m.at);
  std::vector<std::optional<calendar::sla_clock>> next;
  if (change == named_change::on_copy) {
    next = p.named.clocks;
    apply_named(book, next, m.name, m.at);
  }
  milestone_record rec{m, p.history.records.size(), to_string(p.now)};
  if (p.named.milestones.size() == p.named.milestones.capacity())
    p.named.milestones.reserve(std::max<std::size_t>(4, 2 * p.named.milestones.size()));
  if (change == named_change::in_place) reserve_named(p.named.clocks);
  // Nothing below throws.
  if (change == named_change::in_place) apply_named(book, p.named.clocks, m.name, m.at);
  p.named.milestones.push_back(std::move(rec));
  if (change == named_change::on_copy) p.named.clocks.swap(next);
}

bool ticket::tick_named(instant at) {
  const impl& p = *p_;
  if (!p.named.book) return false;
  const state s = p.now;
  if (!is_open(s.where) || s.level == tier::L3) return false;
  const rules::clock_book& book = *p.named.book;
  for (std::size_t i = 0; i < book.clocks.size(); ++i) {
    const rules::clock_definition& d = book.clocks[i];
    const auto& k = p.named.clocks[i];
    if (!d.escalate || !k || stopped(*k)) continue;
    const auto st = k->status(at);
    if (st.state != calendar::sla_state::breached) continue;
    const std::string prefix = breach_note_prefix(d.name);
    const bool done = std::any_of(p.history.records.begin(), p.history.records.end(), [&](const audit_record& r) {
      return r.what.kind == event_kind::escalate && r.what.note.compare(0, prefix.size(), prefix) == 0;
    });
    if (done) continue;  // once per clock: the tier it reached is the answer to this breach
    fire(event::make(event_kind::escalate, at, p.plan().system_operator,
                     prefix + " (due " + format_instant(st.due, k->on().zone()) + ")"));
    return true;
  }
  return false;
}

}  // namespace kefu::ticket
