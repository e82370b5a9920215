// Private to the compiled part: targets and scorecards from a file already parsed. A rules directory's
// scan parses every file once to tell its kind; triage_policy::load_directory compiles its KPI files from
// that parse.
#pragma once

#include <kefu/kpi/load.hpp>

#include "../detail/yaml_support.hpp"

namespace kefu::kpi::detail {

targets_ptr load_targets_document(const kefu::detail::yaml_file& f, const calendar_map* calendars = nullptr);
scorecard_ptr load_scorecard_document(const kefu::detail::yaml_file& f);

}  // namespace kefu::kpi::detail
