// Parsing at the edges: money and instants are parsed for every incoming ticket.
#include <kefu/money.hpp>
#include <kefu/time.hpp>

#include <benchmark/benchmark.h>

static void BM_money_parse(benchmark::State& state) {
  const char* texts[] = {"1000", "¥1,000.50", "12.3", "￥88888.88"};
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(kefu::money::parse(texts[i++ & 3]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_money_parse);

static void BM_parse_instant(benchmark::State& state) {
  const auto zone = kefu::time_zone::parse("+08:00");
  for (auto _ : state) benchmark::DoNotOptimize(kefu::parse_instant("2026-02-14T10:00:00+08:00", zone));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_parse_instant);

static void BM_local_day(benchmark::State& state) {
  const auto zone = kefu::time_zone::parse("+08:00");
  std::int64_t s = 1771034400;
  for (auto _ : state) benchmark::DoNotOptimize(zone.local_day(kefu::instant::from_unix(s += 3607)));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_local_day);
