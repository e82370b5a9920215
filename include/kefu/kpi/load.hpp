// kefu — KPI targets and scorecards from YAML (rules/kpi/*.yaml; format in docs/kpis.md).
//
// Errors are kefu::policy_error / parse_error with the file, line and column (in characters) of the
// offending entry: an unknown key or metric, a bad duration or percentage, weights that do not sum
// to 100. A file that fails to load leaves nothing half-built.
#pragma once

#include <kefu/kpi/scorecard.hpp>
#include <kefu/kpi/targets.hpp>

#include <string>

namespace kefu::kpi {

/// A `targets:` file. Calendars named by `calendar:` are built-ins or YAML files next to the file.
targets_ptr load_targets_file(const std::string& path);
targets_ptr load_targets_string(const std::string& yaml, const std::string& display_name = "<string>");

/// A `scorecard:` file.
scorecard_ptr load_scorecard_file(const std::string& path);
scorecard_ptr load_scorecard_string(const std::string& yaml, const std::string& display_name = "<string>");

}  // namespace kefu::kpi
