// kefu — the ticket's SLA clocks: the effects the transition table gives each row (table.hpp), and the
// retargeting of every clock when the tier changes.
#include "internal.hpp"
#include "table.hpp"

namespace kefu::ticket {

namespace {

bool running(const calendar::sla_clock& c) {
  return !c.events().empty() && (c.events().back().kind == calendar::clock_event_kind::start ||
                                 c.events().back().kind == calendar::clock_event_kind::resume);
}

calendar::sla_clock make_clock(const sla_target& t, const std::vector<calendar::clock_event>& events) {
  return calendar::sla_clock::replay(t.on, t.within, t.warning, events);
}

/// One clock's effect of a row. `tt` is the tier's targets after the event, `before` the tier's before it.
void apply(table::clock_op op, clock_name name, std::optional<calendar::sla_clock>& c, instant at,
           const tier_targets& tt, const tier_targets& before) {
  using table::clock_op;
  switch (op) {
    case clock_op::none: break;
    case clock_op::start: {
      const auto& target = target_of(tt, name);
      if (name == clock_name::follow_up ? tt.follow_up_required && target : bool(target)) {
        c.emplace(target->on, target->within, target->warning);
        c->start(at);
      } else {
        c.reset();
      }
      break;
    }
    case clock_op::stop:
      if (c && !c->events().empty() && !stopped(*c)) c->stop(at);
      break;
    case clock_op::pause:
      if (c && running(*c)) c->pause(at);
      break;
    case clock_op::resume:
      if (c && !c->events().empty() && c->events().back().kind == calendar::clock_event_kind::pause) c->resume(at);
      break;
    case clock_op::reopen:
      if (c && stopped(*c)) {  // the stopped interval does not count: stop → pause, then resume
        auto events = c->events();
        events.back().kind = calendar::clock_event_kind::pause;
        events.push_back({calendar::clock_event_kind::resume, at});
        c = make_clock(*target_of(before, name), events);
      }
      break;
  }
}

}  // namespace

bool stopped(const calendar::sla_clock& c) {
  return !c.events().empty() && c.events().back().kind == calendar::clock_event_kind::stop;
}

const std::optional<sla_target>& target_of(const tier_targets& t, clock_name c) {
  return c == clock_name::first_response ? t.first_response : c == clock_name::resolution ? t.resolution : t.follow_up;
}

const char* clock_kind_name(calendar::clock k) {
  return k == calendar::clock::wall ? "wall" : k == calendar::clock::business ? "business" : "workdays";
}

void apply_clocks(clock_set& next, int progress_row, const event& e, state pre, state post, instant received,
                  const ticket_plan& plan) {
  if (progress_row >= 0) {
    const table::row_def& row = table::rows[static_cast<std::size_t>(progress_row)];
    for (std::size_t i = 0; i < clock_count; ++i)
      apply(row.clocks[i], static_cast<clock_name>(i), next[i], e.at, plan.of(post.level), plan.of(pre.level));
  }
  if (post.level != pre.level) {  // retarget on the new tier's targets, keeping each clock's events
    const tier_targets& t = plan.of(post.level);
    auto& resolution = next[static_cast<std::size_t>(clock_name::resolution)];
    for (std::size_t i = 0; i < clock_count; ++i) {
      const auto name = static_cast<clock_name>(i);
      const auto& target = target_of(t, name);
      auto& c = next[i];
      if (!target) {
        c.reset();
      } else if (c) {
        c = make_clock(*target, c->events());
      } else if (name != clock_name::follow_up) {  // a clock the lower tier did not have runs from receipt
        c.emplace(target->on, target->within, target->warning);
        c->start(received);
      } else if (post.where == progress::resolved && t.follow_up_required && resolution && stopped(*resolution)) {
        // Escalated while resolved into a tier that wants a follow-up: it runs from the resolution.
        c.emplace(target->on, target->within, target->warning);
        c->start(resolution->events().back().at);
      }
    }
  }
}

bool apply_report_clocks(report_clock_set& reports, const event& e, state pre, state post, const ticket_plan& plan) {
  auto& one = reports[static_cast<std::size_t>(report_level::level_1)];
  auto& two = reports[static_cast<std::size_t>(report_level::level_2)];
  auto stop = [&](std::optional<calendar::sla_clock>& c) {
    if (!c || c->events().empty() || stopped(*c)) return false;
    c->stop(e.at);
    return true;
  };
  bool changed = false;
  if (e.kind == event_kind::report_level_1) {
    changed |= stop(one);
    if (const auto& t = plan.reports.level_2) {
      two.emplace(t->on, t->within, t->warning);
      two->start(e.at);
      changed = true;
    }
  } else if (e.kind == event_kind::report_level_2) {
    changed |= stop(two);
  } else if (post.where == progress::cancelled && pre.where != progress::cancelled) {
    changed |= stop(one);
    changed |= stop(two);
  } else if (post.where == progress::resolved && pre.where != progress::resolved) {
    changed |= stop(two);  // the level-1 report helped: no level-2 report is due
  }
  return changed;
}

/// Wall-clock targets and calendars without a projection never rest on provisional days; a due the calendar
/// cannot compute (past the projection, a strict calendar) is left to sla(), which says so.
std::optional<instant> provisional_due(const calendar::sla_clock& k, instant at) {
  if (k.target().kind == calendar::clock::wall || !k.on().projects()) return std::nullopt;
  try {
    const calendar::sla_status s = k.status(at);
    if (s.provisional) return s.due;
  } catch (const kefu::error&) {
  }
  return std::nullopt;
}

}  // namespace kefu::ticket
