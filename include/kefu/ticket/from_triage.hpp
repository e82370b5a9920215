// kefu — a ticket from a triage result (the one place where the ticket layer meets the rules layer).
#pragma once

#include <kefu/calendar/load.hpp>
#include <kefu/rules/triage.hpp>
#include <kefu/ticket/ticket.hpp>

#include <string>

namespace kefu::ticket {

/// `base` with the triaged tier's targets replaced by the deadlines triage computed (first response,
/// resolution, follow-up, on the calendars triage named; wall targets run on `always`) and its
/// follow-up and report requirements. Other tiers keep `base`'s targets (used after escalation).
inline ticket_plan plan_from_triage(const rules::triage_result& r, const rules::triage_policy& policy,
                                    ticket_plan base = default_plan()) {
  const auto t = parse_tier(r.tier);
  if (!t) throw error("triage gave an unknown tier '" + r.tier + "' (expected L1, L2 or L3)");
  auto target = [&](const rules::sla_deadline& d) {
    sla_target s;
    s.within = calendar::parse_duration(d.within);
    s.on = d.calendar.empty() ? calendar::builtin("always") : policy.calendar(d.calendar);
    return s;
  };
  tier_targets& tt = base.tiers[static_cast<std::size_t>(*t)];
  tt.first_response = target(r.first_response);
  tt.resolution = target(r.resolution);
  if (r.follow_up) tt.follow_up = target(*r.follow_up);
  tt.follow_up_required = r.follow_up_required;
  tt.report_required = r.report_required;
  return base;
}

/// A ticket received at `received` and triaged at `triaged_at` by `by` with triage's tier.
inline ticket ticket_from_triage(std::string id, const rules::triage_result& r, const rules::triage_policy& policy,
                                 instant received, instant triaged_at, std::string by,
                                 ticket_plan base = default_plan()) {
  ticket t(std::move(id), plan_from_triage(r, policy, std::move(base)), received, by);
  t.fire(event::triage(triaged_at, std::move(by), *parse_tier(r.tier), "triage: " + r.risk.level + " risk"));
  return t;
}

}  // namespace kefu::ticket
