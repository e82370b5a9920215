// Policy YAML and its condition language: loading (parse, type-check, compile, static analyses).
#include <kefu/rules/policy.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kefu_fuzz::refused_cleanly([&] { kefu::rules::load_policy_string(std::string(kefu_fuzz::text(data, size)), "fuzz.yaml"); });
  return 0;
}
