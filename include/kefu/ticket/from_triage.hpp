// kefu — a ticket's plan from a triage result: where the ticket layer meets the rules layer (with open.hpp,
// which opens a ticket from facts, and replay.hpp).
#pragma once

#include <kefu/calendar/load.hpp>
#include <kefu/rules/triage.hpp>
#include <kefu/ticket/ticket.hpp>

#include <string>
#include <vector>

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

/// The upward-report terms of a triaged ticket (DOM-LC-8, 000 §9.1.2.2): the level-1 report is required when the
/// risk is critical or a rule asks for the action `report_level_1`; its deadline is that action's, when the action
/// catalogue gives it a `within`. The level-2 report's deadline is the catalogue's `within` for a code
/// `report_level_2`, when it has one, counted from the level-1 report (wall time on `always`, working days and
/// business hours on the calendars triage chose for these facts). 000 gives neither report a time limit, so
/// the default policy has no report deadline: only the requirement.
inline report_terms reports_from_triage(const rules::triage_result& r, const rules::triage_policy& policy) {
  report_terms out;
  out.level_1_required = r.risk.level == "critical";
  auto target = [&](const std::string& within, const std::string& calendar_name) {
    sla_target s;
    s.within = calendar::parse_duration(within);
    s.on = calendar_name.empty() ? calendar::builtin("always") : policy.calendar(calendar_name);
    return s;
  };
  for (const auto& a : r.actions)
    if (a.code == "report_level_1") {
      out.level_1_required = true;
      if (a.deadline) out.level_1 = target(a.deadline->within, a.deadline->calendar);
    }
  for (const auto& e : policy.action_entries())
    if (e.code == "report_level_2" && e.within) {
      const auto d = calendar::parse_duration(e.within->text);
      out.level_2 = target(e.within->text, d.kind == calendar::clock::business   ? r.business_calendar
                                           : d.kind == calendar::clock::workdays ? r.workday_calendar
                                                                                 : std::string());
    }
  return out;
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
  base.reports = reports_from_triage(triaged ? *triaged : policy.triage(facts), policy);  // DOM-LC-8
  return base;
}

}  // namespace kefu::ticket
