// KPI targets and scorecards (YAML).
#include <kefu/kpi/load.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string yaml(kefu_fuzz::text(data, size));
  kefu_fuzz::refused_cleanly([&] { kefu::kpi::load_targets_string(yaml, "targets.yaml"); });
  kefu_fuzz::refused_cleanly([&] { kefu::kpi::load_scorecard_string(yaml, "scorecard.yaml"); });
  return 0;
}
