// KPI partials (the bytes kefu.dask ships between processes): read, merge with a real table and with
// itself, and compute every metric. Refused bytes are a kefu error; anything read must be safe to use.
#include <kefu/kpi/metrics.hpp>
#include <kefu/kpi/table.hpp>

#include "fuzz_support.hpp"

#include <cmath>

namespace {

kefu::kpi::options grouping() {
  kefu::kpi::options o;
  o.by = {kefu::kpi::dimension::channel, kefu::kpi::dimension::agent};
  o.per = kefu::kpi::period::month;
  return o;
}

void use(const kefu::kpi::table& t) {
  for (std::size_t g = 0; g < t.size(); ++g) {
    for (const double v : kefu::kpi::metric_values(t, g))
      if (std::isinf(v)) kefu_fuzz::broken("a metric of a partial read back is infinite");
    for (auto d : t.config().by) (void)t.label(g, d);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto opt = grouping();
  const std::string bytes(kefu_fuzz::text(data, size));  // seeds: real partials (fuzz/corpus/kpi_partial)
  kefu_fuzz::refused_cleanly([&] {
    const auto t = kefu::kpi::table::from_bytes(bytes, opt);
    use(t);
    kefu::kpi::table twice = t;
    kefu_fuzz::refused_cleanly([&] {
      twice.merge(t);
      use(twice);
    });
    const auto again = kefu::kpi::table::from_bytes(t.to_bytes(), opt);
    if (!(again == t)) kefu_fuzz::broken("a partial written back does not read back equal");
  });
  return 0;
}
