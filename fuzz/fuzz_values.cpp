// Money, durations and instants as people type them: parse, and what is written back parses to the same.
#include <kefu/calendar/duration.hpp>
#include <kefu/money.hpp>
#include <kefu/time.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in = kefu_fuzz::text(data, size);
  kefu_fuzz::refused_cleanly([&] {
    const kefu::money m = kefu::money::parse(in);
    if (kefu::money::parse(m.to_string()) != m) kefu_fuzz::broken("money round trip: " + m.to_string());
    if (kefu::money::parse(m.to_display()) != m) kefu_fuzz::broken("money display round trip: " + m.to_display());
  });
  kefu_fuzz::refused_cleanly([&] {
    const auto d = kefu::calendar::parse_duration(in);
    if (kefu::calendar::parse_duration(kefu::calendar::to_string(d)) != d)
      kefu_fuzz::broken("duration round trip: " + kefu::calendar::to_string(d));
  });
  kefu_fuzz::refused_cleanly([&] {
    const auto zone = kefu::time_zone::parse("+08:00");
    const kefu::instant t = kefu::parse_instant(in, zone);
    const std::string written = kefu::format_instant(t, zone);
    if (kefu::parse_instant(written, zone) != t) kefu_fuzz::broken("instant round trip: " + written);
  });
  return 0;
}
