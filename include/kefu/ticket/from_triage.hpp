// kefu — a ticket's plan from a triage result: where the ticket layer meets the rules layer (with open.hpp,
// which opens a ticket from facts, and replay.hpp).
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
  tt.follow_up = r.follow_up ? std::optional<sla_target>(target(*r.follow_up)) : std::nullopt;
  tt.follow_up_required = r.follow_up_required;
  tt.report_required = r.report_required;
  return base;
}

/// The plan for a ticket with these facts: every tier's targets, follow-up and report terms as the
/// policy gives them for these facts (triage_at_tier), so a ticket escalated after triage is held to the
/// policy's targets for its new tier, not to built-in ones. `triaged`, the facts' own triage when the
/// caller has it, stands in for its tier (one triage fewer). `base` gives the reopen window and operator.
inline ticket_plan plan_for(const rules::triage_policy& policy, const rules::record& facts,
                            const rules::triage_result* triaged = nullptr, ticket_plan base = default_plan()) {
  for (std::size_t i = 0; i < tier_count; ++i) {
    const std::string name = to_string(static_cast<tier>(i));
    base = plan_from_triage(triaged && triaged->tier == name ? *triaged : policy.triage_at_tier(facts, name), policy,
                            std::move(base));
  }
  return base;
}

}  // namespace kefu::ticket
