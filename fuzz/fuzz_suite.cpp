// Rule-test suites and facts files (YAML), read from a scratch file as the loaders read files.
#include <kefu/rules/suite.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = kefu_fuzz::scratch_file(kefu_fuzz::text(data, size), ".yaml");
  kefu_fuzz::refused_cleanly([&] { kefu::rules::load_suite_file(path); });
  kefu_fuzz::refused_cleanly([&] { kefu::rules::load_facts_file(path); });
  return 0;
}
