// kefu — the ticket: events through the machine with the strong guarantee, SLA status, automatic escalation,
// equality and the default plan. The machine itself is in machine.cpp, the clocks in clocks.cpp.
#include "internal.hpp"
#include "machine.hpp"
#include "table.hpp"

#include <kefu/calendar/load.hpp>
#include <kefu/detail/suggest.hpp>

#include <algorithm>
#include <iterator>
#include <type_traits>
#include <utility>

namespace kefu::ticket {

namespace {

std::string reason_for(const state& s, const ticket_flags& f, const event& e, const ticket_plan& plan) {
  const tier_targets& t = plan.of(s.level);
  switch (e.kind) {
    case event_kind::resolve:
      if (s.where == progress::received) return "a ticket must be triaged before it is resolved";
      break;
    case event_kind::close:
      if (s.where == progress::resolved) {
        if (t.follow_up_required && !f.followed_up)
          return std::string("an ") + to_string(s.level) + " ticket needs a satisfied follow-up before it is closed";
        if (t.report_required && !f.report_attached)
          return std::string("an ") + to_string(s.level) + " ticket needs a written handling report before it is closed";
        if (plan.reports.level_1_required && f.reported == 0)
          return "this ticket needs its level-1 upward report (一级上报, DOM-LC-8; its policy requires one, as for "
                 "critical risk) before it is closed: fire report_level_1 first / 本工单须先完成一级上报才能结案";
      }
      break;
    case event_kind::report_level_1:
      if (is_open(s.where) && f.reported >= 1) return "the level-1 report (一级上报) is already made";
      break;
    case event_kind::report_level_2:
      if (is_open(s.where) && f.reported == 0)
        return "the level-2 report comes only after the level-1 report (000 §9.1.2.2: 一级上报未能解决问题时，再上报二级); "
               "fire report_level_1 first / 须先完成一级上报";
      if (is_open(s.where) && f.reported >= 2) return "the level-2 report (二级上报) is already made";
      break;
    case event_kind::track_improvement:
      return "an improvement item is tracked once the ticket is resolved or closed (DOM-LC-1: 处理 → 回访 → 闭环 → "
             "改进跟踪) / 改进跟踪须在处理完成之后";
    case event_kind::reopen:
      if (s.where == progress::closed && f.closed_at)
        return "the reopen window ended at " + format_instant(*f.closed_at + plan.reopen_window);
      break;
    case event_kind::escalate:
      if (s.level == tier::L3 && is_open(s.where)) return "L3 is the highest tier";
      break;
    case event_kind::triage:
      if (s.where != progress::received) return "the ticket is already triaged";
      break;
    default: break;
  }
  return std::string("event not allowed in state ") + to_string(s.where);
}

/// The error id of a refusal reason_for() explains: kefu.ticket.upward_report for a close that waits on the
/// level-1 report, kefu.ticket.transition otherwise.
const char* refusal_id(const state& s, const ticket_flags& f, const event& e, const ticket_plan& plan) {
  const tier_targets& t = plan.of(s.level);
  if (e.kind == event_kind::close && s.where == progress::resolved && (!t.follow_up_required || f.followed_up) &&
      (!t.report_required || f.report_attached) && plan.reports.level_1_required && f.reported == 0)
    return "kefu.ticket.upward_report";
  return "kefu.ticket.transition";
}

/// Why a payload the machine would accept is refused anyway: a reason on an event other than triage, or a
/// triage below the policy's tier without one. Empty when it is fine. Sets `id` for the error.
std::string payload_refusal(const event& e, const std::optional<tier>& policy, const char*& id) {
  id = "kefu.ticket.transition";
  if (e.kind == event_kind::track_improvement && e.note.find_first_not_of(" \t\r\n") == std::string::npos)
    return "track_improvement needs the systemic cause in its note (DOM-LC-1) / 改进项须在备注中写明系统性原因";
  if (e.kind != event_kind::triage) return e.reason.empty() ? std::string() : "only triage takes a reason";
  if (!policy || e.to >= *policy) return {};
  if (e.reason.find_first_not_of(" \t\r\n") != std::string::npos) return {};
  id = "kefu.ticket.deescalation";
  return std::string("tier ") + to_string(e.to) + " is below " + to_string(*policy) +
         ", the tier the policy decided for this ticket: lowering it needs a reason (recorded in the history)";
}

/// Whether payload_refusal has anything to check: a triage (its tier), an improvement item (its note) or an
/// event with a reason (only triage takes one). Every other event is refused by the machine or not at all.
bool has_payload(const event& e) noexcept {
  return e.kind == event_kind::triage || e.kind == event_kind::track_improvement || !e.reason.empty();
}

}  // namespace

event_kind event_named(std::string_view name) {
  if (const auto k = parse_event_kind(name)) return *k;
  std::vector<std::string> all(std::begin(names::event_kind), std::end(names::event_kind));
  std::string list;
  for (const auto& n : all) list += (list.empty() ? "" : ", ") + n;
  throw error("unknown event '" + std::string(name) + "'" + kefu::detail::did_you_mean(name, all) + "; events are " + list,
              {}, {}, "kefu.ticket.unknown_event");
}

tier tier_named(std::string_view name) {
  if (const auto t = parse_tier(name)) return *t;
  throw error("unknown tier '" + std::string(name) + "' (expected L1, L2 or L3)", {}, {}, "kefu.ticket.unknown_tier");
}

ticket::ticket(std::unique_ptr<impl> p) : p_(std::move(p)) {}

ticket::ticket(std::string id, ticket_plan plan, instant received, std::string by, std::optional<tier> policy_tier)
    : ticket(std::move(id), std::make_shared<const ticket_plan>(std::move(plan)), received, std::move(by), policy_tier) {}

ticket::ticket(std::string id, std::shared_ptr<const ticket_plan> plan, instant received, std::string by,
               std::optional<tier> policy_tier)
    : p_(std::make_unique<impl>()) {
  if (policy_tier && static_cast<std::size_t>(*policy_tier) >= tier_count)
    throw error("unknown policy tier", {}, {}, "kefu.ticket.unknown_tier");
  if (!plan) throw error("ticket plan: none given", {}, {}, "kefu.ticket.plan");
  for (const auto* tg : {&plan->reports.level_1, &plan->reports.level_2})
    if (*tg && !(*tg)->on)
      throw error(std::string("ticket plan: the upward report's ") + (tg == &plan->reports.level_1 ? "level-1" : "level-2") +
                      " target has no calendar",
                  {}, {}, "kefu.ticket.plan");
  for (std::size_t t = 0; t < tier_count; ++t)
    for (std::size_t c = 0; c < clock_count; ++c)
      if (const auto& tg = target_of(plan->tiers[t], static_cast<clock_name>(c)); tg && !tg->on)
        throw error(std::string("ticket plan: the ") + to_string(static_cast<clock_name>(c)) + " target of " +
                        to_string(static_cast<tier>(t)) + " has no calendar",
                    {}, {}, "kefu.ticket.plan");
  p_->id = std::move(id);
  p_->shared_plan = std::move(plan);
  p_->received = received;
  p_->received_by = std::move(by);
  p_->policy_tier = policy_tier;
  const tier_targets& l1 = p_->plan().of(tier::L1);
  for (const clock_name c : {clock_name::first_response, clock_name::resolution})  // the follow-up starts on resolve
    if (const auto& tg = target_of(l1, c)) {
      auto& k = p_->clocks[static_cast<std::size_t>(c)];
      k.emplace(tg->on, tg->within, tg->warning);
      k->start(received);
    }
  const report_terms& rt = p_->plan().reports;
  if (rt.level_1_required && rt.level_1) {  // DOM-LC-8: the level-1 report is due from receipt
    auto& k = p_->reports[static_cast<std::size_t>(report_level::level_1)];
    k.emplace(rt.level_1->on, rt.level_1->within, rt.level_1->warning);
    k->start(received);
  }
}

ticket::~ticket() = default;
ticket::ticket(const ticket& o) : p_(std::make_unique<impl>(*o.p_)) {}
ticket& ticket::operator=(const ticket& o) {
  if (this != &o) p_ = std::make_unique<impl>(*o.p_);
  return *this;
}
ticket::ticket(ticket&&) noexcept = default;
ticket& ticket::operator=(ticket&&) noexcept = default;

const std::string& ticket::id() const noexcept { return p_->id; }
instant ticket::received() const noexcept { return p_->received; }
const std::string& ticket::received_by() const noexcept { return p_->received_by; }
const ticket_plan& ticket::plan() const noexcept { return p_->plan(); }
std::optional<tier> ticket::policy_tier() const noexcept { return p_->policy_tier; }
state ticket::current() const noexcept { return p_->now; }
const ticket_flags& ticket::flags() const noexcept { return p_->flags; }
const std::vector<audit_record>& ticket::history() const noexcept { return p_->history.records; }
const std::vector<deadline_change>& ticket::deadline_changes() const noexcept { return p_->deadline_changes; }
void ticket::reserve(std::size_t events) { p_->history.records.reserve(p_->history.records.size() + events); }
const calendar::sla_clock* ticket::clock(clock_name c) const noexcept {
  const auto& k = p_->clocks[static_cast<std::size_t>(c)];
  return k ? &*k : nullptr;
}
const calendar::sla_clock* ticket::clock(report_level r) const noexcept {
  const auto& k = p_->reports[static_cast<std::size_t>(r)];
  return k ? &*k : nullptr;
}

// ---- the audit history's text (internal.hpp) ------------------------------------------------------------

// A record is plain data (its text is the ticket's): growing the history copies bytes, no strings.
static_assert(std::is_trivially_copyable<audit_record>::value, "audit_record is trivially copyable");

void text_store::grow(std::size_t at_least) {
  const std::size_t size = std::max(at_least, next_chunk_);
  chunks_.push_back(std::unique_ptr<char[]>(new char[size]));  // not zeroed: only what keep() copies is read
  next_ = chunks_.back().get();
  left_ = size;
  next_chunk_ = std::min<std::size_t>(2 * next_chunk_, 16384);
}

std::string_view text_store::intern_other(std::string_view name) {
  constexpr std::size_t scanned = 8;  // up to this many operators a scan beats hashing; more are indexed
  std::size_t i = interned_.size();
  if (index_.empty()) {
    for (std::size_t k = 0; k < interned_.size(); ++k)
      if (interned_[k] == name) {
        i = k;
        break;
      }
  } else if (const auto it = index_.find(name); it != index_.end()) {
    i = it->second;
  }
  if (i == interned_.size()) {  // new: kept, listed, then indexed (a throw leaves unused room, nothing else)
    if (interned_.empty()) interned_.reserve(4);  // a ticket's handful, in one allocation
    interned_.push_back(keep(name));
    if (interned_.size() > scanned) {
      try {
        if (index_.empty())
          for (std::size_t k = 0; k < interned_.size(); ++k) index_.emplace(interned_[k], k);
        else
          index_.emplace(interned_[i], i);
      } catch (...) {
        index_.clear();  // back to scanning, which finds every one
        throw;
      }
    }
  }
  last_ = i;
  return interned_[i];
}

audit_log::audit_log(const audit_log& o) : records(o.records) {
  std::size_t bytes = 0;
  for (const audit_record& r : records) bytes += r.what.note.size() + r.what.reason.size();
  texts.reserve(bytes);
  for (audit_record& r : records) {  // still viewing o's text, which outlives this
    r.what.by = texts.intern(r.what.by);
    r.what.note = texts.keep(r.what.note);
    r.what.reason = texts.keep(r.what.reason);
  }
}

// ---- events ---------------------------------------------------------------------------------------------

void ticket::fire(const event& e) { fire_impl(e); }

// The record keeps its own copy of the text either way: moving the strings in would save nothing.
void ticket::fire(event&& e) { fire_impl(e); }

void ticket::fire_impl(const event& e) {
  impl& p = *p_;
  const state pre = p.now;
  const instant last = p.last_instant();
  if (e.at < last)
    throw transition_error(pre, e.kind,
                           "the event at " + format_instant(e.at) + " is before the ticket's last event at " +
                               format_instant(last));
  if (static_cast<std::size_t>(e.kind) >= event_kind_count) throw transition_error(pre, e.kind, "unknown event");
  // The machine works on copies (state and flags): nothing of the ticket changes until everything that can
  // throw has run, so a refused event, or one whose action throws, leaves the ticket as it was.
  const machine_result r = run_machine(pre, p.flags, e, p.plan(), &p.action_hook);
  if (!r.accepted)
    throw transition_error(pre, e.kind, reason_for(pre, p.flags, e, p.plan()), refusal_id(pre, p.flags, e, p.plan()));
  if (has_payload(e)) {
    const char* refusal_id = nullptr;
    if (const std::string why = payload_refusal(e, p.policy_tier, refusal_id); !why.empty())
      throw transition_error(pre, e.kind, why, refusal_id);
  }
  const table::row_clock_traits* row =
      r.progress_row >= 0 ? &table::row_traits[static_cast<std::size_t>(r.progress_row)] : nullptr;
  const bool tier_changed = r.post.level != pre.level;
  const bool clocks_change = tier_changed || (row && !row->touches_no_clock);
  // Rows that only append stop/pause/resume to existing clocks update them in place once every vector has
  // room: those appends are valid by construction (apply_clocks checks each clock's state first, and no event
  // is earlier than the ticket's last), so nothing can throw after the reservations. Rows that build clocks
  // (resolve, reopen, an unsatisfied follow-up, a tier change) work on a copy and swap.
  const bool in_place = clocks_change && !tier_changed && row->appends_only;
  lazy<clock_set> next;  // built only when used: a clock set is large, and most events need none
  if (clocks_change && !in_place) {
    apply_clocks(next.emplace(p.clocks), r.progress_row, e, pre, r.post, p.received, p.plan());
  }
  // DOM-LC-8: the reports' clocks, on a copy, only for the events that can change them (a report, entering
  // resolved or cancelled) on a ticket that has or may start one — every other event copies nothing.
  lazy<report_clock_set> reports;
  const bool may_touch_reports =
      (e.kind == event_kind::report_level_1 || e.kind == event_kind::report_level_2 ||
       (r.post.where != pre.where && (r.post.where == progress::resolved || r.post.where == progress::cancelled))) &&
      (p.reports[0] || p.reports[1] || p.plan().reports.level_2);
  const bool reports_change = may_touch_reports && [&] {
    return apply_report_clocks(reports.emplace(p.reports), e, pre, r.post, p.plan());
  }();
  // Named clocks (DOM-SLA-10): a start may throw (a calendar's range), so one works on a copy; stops, pauses
  // and resumes, which cannot once each clock has room, change the clocks in place below.
  std::vector<std::optional<calendar::sla_clock>> next_named;
  const named_change named = p.named.book ? named_change_of(*p.named.book, p.named.clocks, to_string(e.kind), e.at)
                                           : named_change::none;
  if (named == named_change::on_copy) {
    next_named = p.named.clocks;
    apply_named(*p.named.book, next_named, to_string(e.kind), e.at);
  }
  std::vector<audit_record>& history = p.history.records;
  if (history.size() == history.capacity()) history.reserve(std::max<std::size_t>(8, 2 * history.size()));
  // The record's text kept: may throw, leaving only unused room in the store.
  const std::string_view by = p.history.texts.intern(e.by);
  const std::string_view note = p.history.texts.keep(e.note);
  const std::string_view reason = p.history.texts.keep(e.reason);
  if (named == named_change::in_place) reserve_named(p.named.clocks);
  if (in_place) {
    for (auto& c : p.clocks)
      if (c) c->reserve_next();
    apply_clocks(p.clocks, r.progress_row, e, pre, r.post, p.received, p.plan());
  }
  if (named == named_change::in_place) apply_named(*p.named.book, p.named.clocks, to_string(e.kind), e.at);
  // Nothing below throws: no reallocation, nothrow moves. The record is written where it stays.
  audit_record& rec = history.emplace_back();
  rec.what.kind = e.kind;
  rec.what.to = e.to;
  rec.what.satisfied = e.satisfied;
  rec.what.at = e.at;
  rec.what.by = by;
  rec.what.note = note;
  rec.what.reason = reason;
  rec.from = pre;
  rec.to = r.post;
  if (e.kind == event_kind::triage) rec.policy_tier = p.policy_tier;
  if (clocks_change && !in_place) p.clocks.swap(next.get());
  if (reports_change) p.reports.swap(reports.get());
  if (named == named_change::on_copy) p.named.clocks.swap(next_named);
  p.now = r.post;
  p.flags = r.flags;
}

bool ticket::can_fire(const event& e) const {
  if (static_cast<std::size_t>(e.kind) >= event_kind_count) return false;
  if (e.at < p_->last_instant()) return false;
  const char* ignored = nullptr;
  if (has_payload(e) && !payload_refusal(e, p_->policy_tier, ignored).empty()) return false;
  try {
    return run_machine(p_->now, p_->flags, e, p_->plan(), nullptr).accepted;
  } catch (...) {
    return false;
  }
}

std::vector<event_kind> ticket::allowed_events(instant at) const {
  std::vector<event_kind> out;
  for (std::size_t k = 0; k < event_kind_count; ++k) {
    event e = event::make(static_cast<event_kind>(k), at, "");
    if (e.kind == event_kind::follow_up) e.satisfied = true;
    if (e.kind == event_kind::track_improvement) e.note = "cause";
    if (e.kind == event_kind::triage && p_->policy_tier) e.to = *p_->policy_tier;
    if (can_fire(e)) out.push_back(e.kind);
  }
  return out;
}

sla_report ticket::sla(instant at) const {
  sla_report r;
  for (std::size_t c = 0; c < clock_count; ++c)
    if (p_->clocks[c]) r.clocks[c] = p_->clocks[c]->status(at);
  for (std::size_t c = 0; c < report_level_count; ++c)
    if (p_->reports[c]) r.reports[c] = p_->reports[c]->status(at);
  if (const auto& book = p_->named.book) {
    r.named.reserve(book->clocks.size());
    for (std::size_t i = 0; i < book->clocks.size(); ++i) {
      const auto& k = p_->named.clocks[i];
      r.named.push_back({book->clocks[i].name, k ? std::optional<calendar::sla_status>(k->status(at)) : std::nullopt});
    }
  }
  return r;
}

bool ticket::tick(instant at) {
  const state s = current();
  if (!is_open(s.where)) return false;
  // The first breached clock, the three SLA clocks first, then the upward reports' (DOM-LC-8).
  const calendar::sla_clock* hit = nullptr;
  const char* hit_name = nullptr;
  calendar::sla_status hit_status;
  auto look = [&](const std::optional<calendar::sla_clock>& k, const char* name) {
    if (hit || !k || k->events().empty() || stopped(*k)) return;
    const auto st = k->status(at);
    if (st.state != calendar::sla_state::breached) return;
    hit = &*k;
    hit_name = name;
    hit_status = st;
  };
  for (std::size_t c = 0; c < clock_count; ++c) look(p_->clocks[c], to_string(static_cast<clock_name>(c)));
  for (std::size_t c = 0; c < report_level_count; ++c) look(p_->reports[c], to_string(static_cast<report_level>(c)));
  if (!hit) return tick_named(at);  // then the named clocks that escalate on breach (DOM-SLA-10)
  const std::string note =
      std::string("auto: ") + hit_name + " breached (due " + format_instant(hit_status.due, hit->on().zone()) + ")";
  bool escalated = false;
  if (s.level != tier::L3) {
    fire(event::make(event_kind::escalate, at, p_->plan().system_operator, note));
    escalated = true;
  }
  // 000 §9.1.2.2: the escalation is reported upward, level 1 first, level 2 on a further breach.
  const std::uint8_t made = p_->flags.reported;
  if (made >= 2) return escalated;
  if (made == 1 && !escalated) {  // at L3: only a breach whose deadline passed after the level-1 report
    instant reported_at = p_->received;
    for (const auto& r : p_->history.records)
      if (r.what.kind == event_kind::report_level_1) reported_at = r.what.at;
    if (hit_status.due <= reported_at) return false;
  }
  fire(event::make(made == 0 ? event_kind::report_level_1 : event_kind::report_level_2, at, p_->plan().system_operator,
                   note));
  return true;
}

ticket ticket::replay(std::string id, ticket_plan plan, instant received, std::string by,
                      const std::vector<audit_record>& history, std::optional<tier> policy_tier) {
  ticket t(std::move(id), std::move(plan), received, std::move(by), policy_tier);
  for (const auto& r : history) t.fire(r.what);
  return t;
}

bool operator==(const ticket& a, const ticket& b) {
  const auto& x = *a.p_;
  const auto& y = *b.p_;
  if (x.id != y.id || x.received != y.received || x.received_by != y.received_by || x.policy_tier != y.policy_tier)
    return false;
  if (x.now != y.now || !(x.flags == y.flags) || x.history.records != y.history.records) return false;
  if (x.plan() != y.plan() || x.deadline_changes != y.deadline_changes) return false;
  if (!(x.named == y.named)) return false;
  for (std::size_t c = 0; c < clock_count; ++c) {
    if (x.clocks[c].has_value() != y.clocks[c].has_value()) return false;
    if (!x.clocks[c]) continue;
    const auto& k = *x.clocks[c];
    const auto& l = *y.clocks[c];
    if (k.events() != l.events() || k.target() != l.target() || k.on().name() != l.on().name() ||
        k.warning().lead != l.warning().lead || (!k.warning().lead && k.warning().fraction != l.warning().fraction))
      return false;
  }
  for (std::size_t c = 0; c < report_level_count; ++c) {
    if (x.reports[c].has_value() != y.reports[c].has_value()) return false;
    if (x.reports[c] && (x.reports[c]->events() != y.reports[c]->events() ||
                         x.reports[c]->target() != y.reports[c]->target() ||
                         x.reports[c]->on().name() != y.reports[c]->on().name()))
      return false;
  }
  return true;
}

ticket_plan default_plan() {
  using calendar::duration;
  const auto always = calendar::builtin("always");
  const auto mainland = calendar::builtin("cn-mainland");
  ticket_plan p;
  p.tiers[0].first_response = sla_target{duration::wall_seconds(3600), always};
  p.tiers[0].resolution = sla_target{duration::wall_seconds(24 * 3600), always};
  p.tiers[1].first_response = sla_target{duration::wall_seconds(2 * 3600), always};
  p.tiers[1].resolution = sla_target{duration::wall_seconds(48 * 3600), always};
  p.tiers[1].follow_up = sla_target{duration::working_days(3), mainland};
  p.tiers[1].follow_up_required = true;
  p.tiers[2].first_response = sla_target{duration::wall_seconds(24 * 3600), always};
  p.tiers[2].resolution = sla_target{duration::working_days(7), mainland};
  p.tiers[2].report_required = true;
  return p;
}

}  // namespace kefu::ticket

namespace kefu::ticket::detail {
void set_action_hook_for_testing(ticket& t, std::function<void(event_kind)> hook) { t.p_->action_hook = std::move(hook); }
}  // namespace kefu::ticket::detail
