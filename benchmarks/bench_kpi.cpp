// KPIs over columnar records (docs/performance.md, "KPIs"): kefu::kpi::compute on N synthetic records
// laid out as numpy/pandas hand them to the Python binding (datetime64[ns] instants, int32 codes,
// float64 with NaN for missing scores, int64 counts, bool flags).
//
//   BM_KpiAgentMonth/N     by agent × month, no targets (the grouping of benchmarks/kpi_peers.py)
//   BM_KpiChannelTargets/N by channel with the shipped targets: per-channel thresholds, SLA clocks
//                          (wall hours and cn-mainland working days) and goals
//   BM_KpiMergePartials    8 partial tables of N/8 rows each, serialised, read back and merged (what
//                          kefu.dask does with the workers' results)
//   BM_Floor/N             one pass summing the 7 numeric columns (the floor of any KPI pass)
//
// The data mimic examples/generate_records.py's synthetic(): 200 agents, 10 teams, 7 channels,
// 26 categories over 121 days from 2025-12-01 (+08:00).
#include <kefu/kpi/kpi.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace kpi = kefu::kpi;

namespace {

constexpr std::int64_t ns = 1'000'000'000;
const double nan = std::numeric_limits<double>::quiet_NaN();

std::vector<std::string> labels(const std::string& prefix, int n, int width) {
  std::vector<std::string> out;
  for (int k = 0; k < n; ++k) {
    std::string digits = std::to_string(k);
    out.push_back(prefix + std::string(static_cast<std::size_t>(std::max(0, width - static_cast<int>(digits.size()))), '0') +
                  digits);
  }
  return out;
}

/// N synthetic records, as the Python benchmark builds them.
struct dataset {
  std::size_t n;
  std::vector<std::int32_t> agent, team, channel, category;
  std::vector<std::int64_t> created, first, resolved;  // ns since the epoch, UTC; INT64_MIN = NaT
  std::vector<double> handle, response_s, csat, nps, qc;
  std::vector<std::int64_t> responses, contacts;
  std::vector<std::uint8_t> escalated, reopened;

  explicit dataset(std::size_t rows) : n(rows) {
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> u(0, 1);
    std::normal_distribution<double> z(0, 1);
    std::exponential_distribution<double> resolution(1.0 / (4 * 3600));
    std::poisson_distribution<int> more(2.5);
    std::discrete_distribution<int> stars({4, 5, 12, 32, 47});
    const double frt_median[] = {14, 9, 2400, 45, 300, 1800, 60};
    const std::int64_t start = 1764518400;  // 2025-12-01T00:00+08:00
    for (auto* v : {&agent, &team, &channel, &category}) v->resize(n);
    for (auto* v : {&created, &first, &resolved, &responses, &contacts}) v->resize(n);
    for (auto* v : {&handle, &response_s, &csat, &nps, &qc}) v->resize(n);
    escalated.resize(n);
    reopened.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      agent[i] = static_cast<std::int32_t>(rng() % 200);
      team[i] = static_cast<std::int32_t>(rng() % 10);
      channel[i] = static_cast<std::int32_t>(rng() % 7);
      category[i] = static_cast<std::int32_t>(rng() % 26);
      const std::int64_t c = start + static_cast<std::int64_t>(rng() % (121 * 86400));
      created[i] = c * ns;
      const bool answered = u(rng) > 0.004;
      const auto frt = std::max<std::int64_t>(1, std::llround(frt_median[channel[i]] * std::exp(0.7 * z(rng))));
      first[i] = answered ? (c + frt) * ns : kpi::missing_instant;
      handle[i] = std::max(30.0, std::round(300 * std::exp(0.5 * z(rng))));
      const bool resolved_ok = answered && u(rng) < 0.94;
      resolved[i] = resolved_ok ? (c + static_cast<std::int64_t>(handle[i] + resolution(rng))) * ns : kpi::missing_instant;
      responses[i] = answered ? 1 + more(rng) : 0;
      response_s[i] = static_cast<double>(responses[i]) * 50.0;
      contacts[i] = 1 + (u(rng) < 0.12);
      escalated[i] = u(rng) < 0.05;
      reopened[i] = u(rng) < 0.04;
      csat[i] = u(rng) < 0.8 ? stars(rng) + 1 : nan;
      nps[i] = u(rng) < 0.5 ? static_cast<double>(rng() % 11) : nan;
      qc[i] = u(rng) < 0.25 ? std::clamp(std::round((82 + 10 * z(rng)) * 2) / 2, 0.0, 100.0) : nan;
    }
  }

  kpi::records view(std::size_t from, std::size_t to) const {
    kpi::records r;
    r.rows = to - from;
    r.instant_unit = ns;
    const auto lab = [&](const std::vector<std::int32_t>& c, std::vector<std::string> l) {
      kpi::label_column col;
      col.codes = c.data() + from;
      col.size = r.rows;
      col.labels = std::move(l);
      return col;
    };
    r.agent = lab(agent, labels("A", 200, 3));
    r.team = lab(team, labels("team", 10, 1));
    r.channel = lab(channel, {"online", "phone", "email", "wecom", "social", "merchant_platform", "store"});
    r.category = lab(category, labels("cat", 26, 2));
    r.created_at = {created.data() + from, r.rows};
    r.first_response_at = {first.data() + from, r.rows};
    r.resolved_at = {resolved.data() + from, r.rows};
    r.handle_seconds = {handle.data() + from, r.rows};
    r.responses = {responses.data() + from, r.rows};
    r.response_seconds = {response_s.data() + from, r.rows};
    r.contacts = {contacts.data() + from, r.rows};
    r.escalated = {escalated.data() + from, r.rows};
    r.reopened = {reopened.data() + from, r.rows};
    r.csat = {csat.data() + from, r.rows};
    r.nps = {nps.data() + from, r.rows};
    r.qc_score = {qc.data() + from, r.rows};
    return r;
  }
  kpi::records view() const { return view(0, n); }
};

/// One dataset per size, built once (10 M rows take a few seconds and about 1 GB).
const dataset& data(std::size_t rows) {
  static std::map<std::size_t, std::unique_ptr<dataset>> cache;
  auto it = cache.find(rows);
  if (it == cache.end()) {
    cache.clear();  // keep one size in memory at a time
    it = cache.emplace(rows, std::make_unique<dataset>(rows)).first;
  }
  return *it->second;
}

kpi::options agent_month() {
  kpi::options o;
  o.by = {kpi::dimension::agent};
  o.per = kpi::period::month;
  return o;
}

void rates(benchmark::State& state, std::size_t rows) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(rows));
  state.counters["ns/row"] = benchmark::Counter(static_cast<double>(state.iterations()) * static_cast<double>(rows),
                                                benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_KpiAgentMonth(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const dataset& d = data(rows);
  const kpi::records r = d.view();
  const kpi::options o = agent_month();
  std::size_t groups = 0;
  for (auto _ : state) {
    const kpi::table t = kpi::compute(r, o);
    groups = t.size();
    benchmark::DoNotOptimize(groups);
  }
  rates(state, rows);
  state.counters["groups"] = static_cast<double>(groups);
}
BENCHMARK(BM_KpiAgentMonth)->Arg(100'000)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_KpiChannelTargets(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const dataset& d = data(rows);
  const kpi::records r = d.view();
  kpi::options o;
  o.by = {kpi::dimension::channel};
  o.goals = kpi::load_targets_file(std::string(KEFU_BENCH_RULES_DIR) + "/kpi/targets.yaml");
  for (auto _ : state) {
    const kpi::table t = kpi::compute(r, o);
    benchmark::DoNotOptimize(t.size());
  }
  rates(state, rows);
  state.counters["sla_clocks"] = static_cast<double>(o.goals->sla.size());
}
BENCHMARK(BM_KpiChannelTargets)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_KpiMergePartials(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const dataset& d = data(rows);
  const kpi::options o = agent_month();
  std::vector<std::string> parts;
  for (std::size_t k = 0; k < 8; ++k) parts.push_back(kpi::compute(d.view(rows * k / 8, rows * (k + 1) / 8), o).to_bytes());
  std::size_t bytes = 0;
  for (const auto& p : parts) bytes += p.size();
  for (auto _ : state) {
    kpi::table merged = kpi::table::from_bytes(parts[0], o);
    for (std::size_t k = 1; k < parts.size(); ++k) merged.merge(kpi::table::from_bytes(parts[k], o));
    benchmark::DoNotOptimize(merged.size());
  }
  state.counters["partial_bytes"] = static_cast<double>(bytes) / 8;
}
BENCHMARK(BM_KpiMergePartials)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

/// The floor: sum the 7 numeric columns kefu reads (NaN-skipping for the optional ones), one pass each.
void BM_Floor(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const dataset& d = data(rows);
  for (auto _ : state) {
    double total = 0;
    for (const auto* col : {&d.handle, &d.response_s, &d.csat, &d.nps, &d.qc}) {
      double s = 0;
      for (double v : *col) s += std::isnan(v) ? 0 : v;
      total += s;
    }
    for (const auto* col : {&d.responses, &d.contacts}) {
      std::int64_t s = 0;
      for (auto v : *col) s += v;
      total += static_cast<double>(s);
    }
    benchmark::DoNotOptimize(total);
  }
  rates(state, rows);
}
BENCHMARK(BM_Floor)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
