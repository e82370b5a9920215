// kefu — KPI targets and scorecards from YAML (rules/kpi/*.yaml; format in docs/kpis.md).
//
// Errors are kefu::policy_error / parse_error with the file, line and column (in characters) of the
// offending entry: an unknown key or metric, a bad duration or percentage, weights that do not sum
// to 100. A file that fails to load leaves nothing half-built.
#pragma once

#include <kefu/kpi/scorecard.hpp>
#include <kefu/kpi/targets.hpp>

#include <kefu/calendar/load.hpp>

#include <map>
#include <string>

namespace kefu::kpi {

/// Calendars by name, as a rules directory holds them (rules::triage_policy::calendars()).
using calendar_map = std::map<std::string, calendar::calendar_ptr>;

/// A `targets:` file. Calendars named by `calendar:` are built-ins or YAML files next to the file.
targets_ptr load_targets_file(const std::string& path);
/// The same, with `calendar:` names looked up first among `calendars`: how a rules directory loads its
/// targets, so `calendar: cn-mainland` means the directory's calendars/cn-mainland.yaml when it has one.
targets_ptr load_targets_file(const std::string& path, const calendar_map& calendars);
targets_ptr load_targets_string(const std::string& yaml, const std::string& display_name = "<string>");

/// A `scorecard:` file.
scorecard_ptr load_scorecard_file(const std::string& path);
scorecard_ptr load_scorecard_string(const std::string& yaml, const std::string& display_name = "<string>");

}  // namespace kefu::kpi
