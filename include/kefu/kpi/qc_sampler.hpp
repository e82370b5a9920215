// kefu — a reproducible QC sampler (DOM-KPI-5: QC samples at least 20% of interactions daily).
//
// For every (agent, local day of created_at) the sampler takes k = ⌈rate · n⌉ of the n tickets: the k
// with the smallest hash of (seed, ticket_id). The choice depends only on the seed, the ids, the agent
// and the day — not on row order or partitioning — so the same seed always picks the same tickets,
// and every agent-day gets at least `rate` of its tickets (and at least one).
#pragma once

#include <kefu/detail/hash.hpp>
#include <kefu/kpi/records.hpp>
#include <kefu/time.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kefu::kpi {

namespace detail {
using kefu::detail::splitmix64;
/// A stable 64-bit hash of (seed, text): FNV-1a, then splitmix64.
inline std::uint64_t sample_hash(std::uint64_t seed, std::string_view text) noexcept {
  std::uint64_t h = kefu::detail::fnv1a_basis ^ splitmix64(seed);
  for (unsigned char ch : text) h = kefu::detail::fnv1a(h, ch);
  return splitmix64(h);
}
}  // namespace detail

struct qc_sampler {
  double rate = 0.2;
  std::uint64_t seed = 0;
  time_zone zone = time_zone::fixed(seconds(8 * 3600));

  /// A 0/1 mask over the rows: 1 = sampled. `ticket_id[i]` must be unique; `unit` as records::instant_unit.
  std::vector<std::uint8_t> sample(const label_column& agent, const instant_column& created_at,
                                   const std::vector<std::string>& ticket_id, std::int64_t unit = 1) const {
    if (!(rate > 0 && rate <= 1)) throw error("QC sample rate must be in (0, 1], got " + std::to_string(rate));
    detail::check_required("agent", agent.present());
    detail::check_required("created_at", created_at.present());
    const std::size_t n = ticket_id.size();
    detail::check_size("agent", agent.size, n);
    detail::check_size("created_at", created_at.size, n);
    std::map<std::pair<std::int32_t, std::int64_t>, std::vector<std::pair<std::uint64_t, std::size_t>>> cells;
    for (std::size_t i = 0; i < n; ++i) {
      const std::int32_t a = agent.code(i);
      if (a < 0 || static_cast<std::size_t>(a) >= agent.labels.size())
        throw column_error("agent", static_cast<std::int64_t>(i), "missing value (the sampler works per agent)");
      if (created_at.data[i] == missing_instant)
        throw column_error("created_at", static_cast<std::int64_t>(i), "missing value");
      const std::int64_t s = kefu::detail::floor_div(created_at.data[i], unit);
      cells[{a, zone.local_day(instant::from_unix(s))}].emplace_back(detail::sample_hash(seed, ticket_id[i]), i);
    }
    std::vector<std::uint8_t> mask(n, 0);
    for (auto& cell : cells) {
      auto& v = cell.second;
      const auto k = static_cast<std::size_t>(std::ceil(rate * static_cast<double>(v.size()) - 1e-9));
      std::sort(v.begin(), v.end(), [&](const auto& x, const auto& y) {
        return x.first != y.first ? x.first < y.first : ticket_id[x.second] < ticket_id[y.second];
      });
      for (std::size_t j = 0; j < std::max<std::size_t>(k, 1) && j < v.size(); ++j) mask[v[j].second] = 1;
    }
    return mask;
  }
};

}  // namespace kefu::kpi
