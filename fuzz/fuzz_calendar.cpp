// Calendar YAML: hours, shifts, dated entries, extends, the horizon keys; a loaded calendar answers queries.
#include <kefu/calendar/load.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kefu_fuzz::refused_cleanly([&] {
    const auto cal = kefu::calendar::load_string(std::string(kefu_fuzz::text(data, size)), "fuzz.yaml");
    const std::int64_t mid = cal->first_day() + (cal->last_day() - cal->first_day()) / 2;
    (void)cal->is_working_day(mid);
    (void)cal->working_days_between(cal->first_day(), cal->last_day() + 1);
    const kefu::instant t = cal->zone().from_local_seconds(mid * 86400 + 36000);
    kefu_fuzz::refused_cleanly([&] { (void)cal->add_workdays(t, 3); });
    kefu_fuzz::refused_cleanly([&] { (void)cal->add_working_time(t, kefu::seconds(4 * 3600)); });
  });
  return 0;
}
