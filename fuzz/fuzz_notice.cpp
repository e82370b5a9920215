// State Council holiday notices: the parser, and the overlay it writes must load as calendar data.
#include <kefu/calendar/load.hpp>
#include <kefu/calendar/notice.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kefu_fuzz::refused_cleanly([&] {
    const auto notice = kefu::calendar::holiday_notice::parse(kefu_fuzz::text(data, size), nullptr, "fuzz.txt");
    const std::string yaml = notice.to_yaml();
    // Within cn-mainland's reach (official data from 2004, projection to 2035) the overlay must load.
    if (notice.year() >= 2005 && notice.year() <= 2035) {
      try {
        kefu::calendar::load_string(yaml, "overlay.yaml");
      } catch (const kefu::error& e) {
        kefu_fuzz::broken(std::string("the overlay of a parsed notice does not load: ") + e.what() + "\n" + yaml);
      }
    }
  });
  return 0;
}
