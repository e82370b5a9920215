// Compiled working-day calendars (DOM-SLA-2…4): the per-ticket queries, the cost of compiling a
// calendar, and what one compiled calendar costs in memory.
//
// Every query benchmark walks a precomputed array of pseudo-random instants (or days) spread over
// 2024-01-01 … 2026-12-01 local time, so the timed loop does no random-number generation and
// the answers are not all the same cached day. Run: build/cpp/benchmarks/kefu_bench_calendar
#include <kefu/calendar/calendar.hpp>
#include <kefu/calendar/load.hpp>
#include <kefu/calendar/notice.hpp>
#include <kefu/time.hpp>

#include <benchmark/benchmark.h>

#include <malloc.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <new>
#include <sstream>
#include <string>
#include <vector>

// --- Heap accounting: live bytes (malloc_usable_size) through the global operator new/delete. ----
namespace {
std::atomic<std::int64_t> g_live_bytes{0};
std::atomic<std::int64_t> g_peak_bytes{0};

void* counted_alloc(std::size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (!p) throw std::bad_alloc();
  const auto live = g_live_bytes.fetch_add(static_cast<std::int64_t>(malloc_usable_size(p)), std::memory_order_relaxed) +
                    static_cast<std::int64_t>(malloc_usable_size(p));
  auto peak = g_peak_bytes.load(std::memory_order_relaxed);
  while (live > peak && !g_peak_bytes.compare_exchange_weak(peak, live, std::memory_order_relaxed)) {
  }
  return p;
}
void counted_free(void* p) noexcept {
  if (!p) return;
  g_live_bytes.fetch_sub(static_cast<std::int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
  std::free(p);
}
}  // namespace

void* operator new(std::size_t n) { return counted_alloc(n); }
void* operator new[](std::size_t n) { return counted_alloc(n); }
void operator delete(void* p) noexcept { counted_free(p); }
void operator delete[](void* p) noexcept { counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_free(p); }

namespace {

using kefu::instant;
using kefu::calendar::calendar;
using kefu::calendar::calendar_ptr;

constexpr std::size_t kSamples = 4096;  // a power of two: index with `i & (kSamples - 1)`
constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kZone = 8 * 3600;                          // cn-* calendars are +08:00
constexpr std::int64_t kFrom = kefu::detail::days_from_civil(2024, 1, 1) * kDay - kZone;  // 2024-01-01T00:00+08:00
constexpr std::int64_t kTo = kefu::detail::days_from_civil(2026, 12, 1) * kDay - kZone;  // room for +10 workdays

std::uint64_t splitmix64(std::uint64_t& s) {
  std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// kSamples instants, uniform over [kFrom, kTo), from a fixed seed.
std::vector<instant> make_instants(std::uint64_t seed) {
  std::vector<instant> out;
  for (std::size_t i = 0; i < kSamples; ++i)
    out.push_back(instant::from_unix(kFrom + static_cast<std::int64_t>(splitmix64(seed) % (kTo - kFrom))));
  return out;
}
const std::vector<instant>& sample_instants() {
  static const std::vector<instant> v = make_instants(2024);
  return v;
}
/// A second, independent sample: the other end of the "between" queries.
const std::vector<instant>& sample_instants_b() {
  static const std::vector<instant> v = make_instants(2026);
  return v;
}
/// Local days (since 1970-01-01) of the sample instants.
std::vector<std::int64_t> days_of(const std::vector<instant>& v) {
  std::vector<std::int64_t> out;
  for (const instant t : v) out.push_back(kefu::detail::floor_div(t.unix_seconds() + kZone, kDay));
  return out;
}

const calendar& mainland() {
  static const calendar_ptr c = kefu::calendar::builtin("cn-mainland");
  return *c;
}
const calendar& office() {
  static const calendar_ptr c = kefu::calendar::builtin("cn-office");
  return *c;
}

// --- Queries ------------------------------------------------------------------------------------

/// "N workdays" from a random instant: close of the N-th working day (cn-office: 18:00).
void BM_add_workdays(benchmark::State& state) {
  const calendar& cal = office();
  const auto& ts = sample_instants();
  const std::int64_t n = state.range(0);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(cal.add_workdays(ts[i++ & (kSamples - 1)], n));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_add_workdays)->Arg(1)->Arg(3)->Arg(10);

/// The same with the deadline's provisional flag (DOM-SLA-8), as triage computes it: one more day look-up.
void BM_add_workdays_with_provisional_flag(benchmark::State& state) {
  const calendar& cal = office();
  const auto& ts = sample_instants();
  std::size_t i = 0;
  for (auto _ : state) {
    const instant due = cal.add_workdays(ts[i++ & (kSamples - 1)], 3);
    benchmark::DoNotOptimize(cal.provisional_at(due));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_add_workdays_with_provisional_flag);

/// "3 workdays" from instants in the provisional projection (2027-01-01 … 2035-11-30): the projected
/// days are compiled into the same tables, so queries past the official data cost the same.
void BM_add_workdays_projected(benchmark::State& state) {
  const calendar& cal = office();
  static const std::vector<instant> ts = [] {
    std::vector<instant> out;
    std::uint64_t seed = 2027;
    const std::int64_t from = kefu::detail::days_from_civil(2027, 1, 1) * kDay - kZone;
    const std::int64_t to = kefu::detail::days_from_civil(2035, 11, 30) * kDay - kZone;
    for (std::size_t i = 0; i < kSamples; ++i)
      out.push_back(instant::from_unix(from + static_cast<std::int64_t>(splitmix64(seed) % (to - from))));
    return out;
  }();
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(cal.add_workdays(ts[i++ & (kSamples - 1)], 3));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_add_workdays_projected);

/// "4 business hours" on cn-office (09:00-12:00, 13:30-18:00, holidays and 调休).
void BM_add_working_time_4h(benchmark::State& state) {
  const calendar& cal = office();
  const auto& ts = sample_instants();
  std::size_t i = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(cal.add_working_time(ts[i++ & (kSamples - 1)], kefu::seconds(4 * 3600)));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_add_working_time_4h);

/// Opening time between two random instants (on average a year apart) on cn-office.
void BM_working_time_between(benchmark::State& state) {
  const calendar& cal = office();
  const auto& a = sample_instants();
  const auto& b = sample_instants_b();
  std::size_t i = 0;
  for (auto _ : state) {
    const std::size_t k = i++ & (kSamples - 1);
    benchmark::DoNotOptimize(cal.working_time_between(a[k], b[k]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_working_time_between);

/// Working days in [a, b) for two random dates on cn-mainland.
void BM_working_days_between(benchmark::State& state) {
  const calendar& cal = mainland();
  const auto a = days_of(sample_instants());
  const auto b = days_of(sample_instants_b());
  std::size_t i = 0;
  for (auto _ : state) {
    const std::size_t k = i++ & (kSamples - 1);
    benchmark::DoNotOptimize(cal.working_days_between(a[k], b[k]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_working_days_between);

void BM_is_working_day(benchmark::State& state) {
  const calendar& cal = mainland();
  const auto d = days_of(sample_instants());
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(cal.is_working_day(d[i++ & (kSamples - 1)]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_is_working_day);

// --- Load cost ----------------------------------------------------------------------------------

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Compiling cn-mainland (2004–2026, 8401 days) from its already parsed definition: validation and
/// the dense tables. The copy of the definition handed to the constructor is made outside the timing.
void BM_compile_cn_mainland(benchmark::State& state) {
  const kefu::calendar::definition& def = mainland().source();
  for (auto _ : state) {
    state.PauseTiming();
    kefu::calendar::definition copy = def;
    state.ResumeTiming();
    calendar c(std::move(copy));
    benchmark::DoNotOptimize(c.interval_count());
    state.PauseTiming();  // the destructor is not part of the compile
    { calendar gone(std::move(c)); }
    state.ResumeTiming();
  }
  state.counters["days"] = static_cast<double>(mainland().last_day() - mainland().first_day() + 1);
  state.counters["official_days"] = static_cast<double>(def.last_day - def.first_day + 1);
}
BENCHMARK(BM_compile_cn_mainland)->Unit(benchmark::kMicrosecond);

/// Parsing a State Council notice (the 2026 one, as stored in tests/data/notices) into days off and
/// make-up working days, and writing the overlay YAML (DOM-SLA-9).
void BM_parse_notice_2026(benchmark::State& state) {
  const std::string text = read_text(std::string(KEFU_BENCH_NOTICES_DIR) + "/2026.txt");
  for (auto _ : state) {
    const auto notice = kefu::calendar::holiday_notice::parse(text, nullptr, "2026.txt");
    benchmark::DoNotOptimize(notice.to_yaml());
  }
  state.counters["text_bytes"] = static_cast<double>(text.size());
}
BENCHMARK(BM_parse_notice_2026)->Unit(benchmark::kMicrosecond);

/// Loading cn-mainland from its YAML text: parse + definition + compile (what load_file costs
/// without the file read).
void BM_load_cn_mainland_yaml(benchmark::State& state) {
  const std::string yaml = read_text(std::string(KEFU_BENCH_RULES_DIR) + "/calendars/cn-mainland.yaml");
  for (auto _ : state) benchmark::DoNotOptimize(kefu::calendar::load_string(yaml, "cn-mainland.yaml"));
  state.counters["yaml_bytes"] = static_cast<double>(yaml.size());
}
BENCHMARK(BM_load_cn_mainland_yaml)->Unit(benchmark::kMicrosecond);

// --- Memory -------------------------------------------------------------------------------------

/// Heap held by one compiled calendar, measured as live bytes (malloc_usable_size) before and
/// after: `definition_bytes` for the definition it keeps (names, entries, source locations),
/// `tables_bytes` for the compiled tables, `compile_peak_bytes` for the transient peak while compiling.
void report_memory(benchmark::State& state, const calendar& source) {
  std::int64_t def_bytes = 0, table_bytes = 0, peak = 0;
  std::size_t days = 0, intervals = 0;
  for (auto _ : state) {
    const auto before = g_live_bytes.load();
    kefu::calendar::definition copy = source.source();
    const auto after_copy = g_live_bytes.load();
    g_peak_bytes.store(after_copy);
    calendar c(std::move(copy));
    const auto after_compile = g_live_bytes.load();
    def_bytes = after_copy - before;
    table_bytes = after_compile - after_copy;
    peak = g_peak_bytes.load() - after_copy;
    days = static_cast<std::size_t>(c.last_day() - c.first_day() + 1);
    intervals = c.interval_count();
    benchmark::DoNotOptimize(c);
  }
  state.counters["sizeof"] = static_cast<double>(sizeof(calendar));
  state.counters["definition_bytes"] = static_cast<double>(def_bytes);
  state.counters["tables_bytes"] = static_cast<double>(table_bytes);
  state.counters["total_bytes"] = static_cast<double>(sizeof(calendar) + def_bytes + table_bytes);
  state.counters["compile_peak_bytes"] = static_cast<double>(peak);
  state.counters["days"] = static_cast<double>(days);
  state.counters["intervals"] = static_cast<double>(intervals);
  state.counters["table_bytes_per_day"] = static_cast<double>(table_bytes) / static_cast<double>(days);
}

void BM_memory_cn_mainland(benchmark::State& state) { report_memory(state, mainland()); }
BENCHMARK(BM_memory_cn_mainland)->Unit(benchmark::kMicrosecond)->Iterations(20);

void BM_memory_cn_office(benchmark::State& state) { report_memory(state, office()); }
BENCHMARK(BM_memory_cn_office)->Unit(benchmark::kMicrosecond)->Iterations(20);

}  // namespace
