// kefu against QuantLib's China calendar, on the same dates in one binary.
//
//   QuantLib: China(China::SSE).advance(date, n, Days), .businessDaysBetween(a, b)
//   kefu:     cn-mainland add_workdays(t, n), working_days_between(a, b)
//
// Before timing, the program prints where QuantLib's China data ends, counts the days of 2024–2026
// on which QuantLib SSE and kefu cn-mainland disagree about being a business day, and checks that
// both libraries compute identical answers when given the same days: kefu is run on a calendar
// built from QuantLib SSE's own business days ("ql-sse-mirror"). After timing it prints the
// QuantLib / kefu time ratios. Built only when QuantLib is installed (libquantlib0-dev).
// Run: build/cpp/benchmarks/kefu_bench_quantlib
#include <kefu/calendar/calendar.hpp>
#include <kefu/calendar/load.hpp>
#include <kefu/time.hpp>

#include <ql/time/calendars/china.hpp>
#include <ql/version.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace {

using kefu::instant;
using kefu::calendar::calendar;
using kefu::calendar::calendar_ptr;

constexpr std::size_t kSamples = 4096;  // a power of two
constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kZone = 8 * 3600;
constexpr std::int64_t kFirst = kefu::detail::days_from_civil(2024, 1, 1);
constexpr std::int64_t kLast = kefu::detail::days_from_civil(2026, 12, 31);
constexpr std::int64_t kSampleEnd = kefu::detail::days_from_civil(2026, 12, 1);  // room for +10 working days
constexpr QuantLib::Date::serial_type kExcelEpoch = 25569;  // QuantLib serial of 1970-01-01

QuantLib::Date ql_date(std::int64_t days) { return QuantLib::Date(static_cast<QuantLib::Date::serial_type>(days + kExcelEpoch)); }
std::int64_t days_of(const QuantLib::Date& d) { return static_cast<std::int64_t>(d.serialNumber()) - kExcelEpoch; }

std::uint64_t splitmix64(std::uint64_t& s) {
  std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// The shared sample: random dates in 2024-01-01 … 2026-11-30, and for each a second date either
/// anywhere in that range ("far", on average a year away, either direction) or 0–30 days later ("near").
struct sample {
  std::vector<std::int64_t> day, far, near;
  std::vector<QuantLib::Date> ql_day, ql_far, ql_near;
  std::vector<instant> noon;  // 12:00 local on `day`: what a ticket received that day looks like
};

const sample& the_sample() {
  static const sample s = [] {
    sample out;
    std::uint64_t seed = 2024;
    for (std::size_t i = 0; i < kSamples; ++i) {
      const auto span = static_cast<std::uint64_t>(kSampleEnd - kFirst);
      const std::int64_t d = kFirst + static_cast<std::int64_t>(splitmix64(seed) % span);
      const std::int64_t f = kFirst + static_cast<std::int64_t>(splitmix64(seed) % span);
      const std::int64_t n = d + static_cast<std::int64_t>(splitmix64(seed) % 31);
      out.day.push_back(d);
      out.far.push_back(f);
      out.near.push_back(n);
      out.ql_day.push_back(ql_date(d));
      out.ql_far.push_back(ql_date(f));
      out.ql_near.push_back(ql_date(n));
      out.noon.push_back(instant::from_unix(d * kDay + 12 * 3600 - kZone));
    }
    return out;
  }();
  return s;
}

const QuantLib::Calendar& ql_sse() {
  static const QuantLib::Calendar c = QuantLib::China(QuantLib::China::SSE);
  return c;
}
const calendar& mainland() {
  static const calendar_ptr c = kefu::calendar::builtin("cn-mainland");
  return *c;
}
/// kefu calendar whose working days are exactly QuantLib SSE's, 2024-01-01 … 2027-12-31.
const calendar& mirror() {
  static const calendar c = [] {
    kefu::calendar::definition d;
    d.name = "ql-sse-mirror";
    d.zone = kefu::time_zone::parse("+08:00");
    d.first_day = kFirst;
    d.last_day = kLast + 365;
    const kefu::calendar::interval whole{0, 24 * 3600};
    for (int w = 0; w < 5; ++w) d.week[static_cast<std::size_t>(w)] = {whole};
    d.workday_hours = {whole};
    for (std::int64_t day = d.first_day; day <= d.last_day; ++day) {
      const QuantLib::Date q = ql_date(day);
      const bool weekend = q.weekday() == QuantLib::Saturday || q.weekday() == QuantLib::Sunday;
      if (!weekend && !ql_sse().isBusinessDay(q)) d.holidays.push_back({day, "QuantLib SSE holiday", {}, {}});
      if (weekend && ql_sse().isBusinessDay(q)) d.workdays.push_back({day, "QuantLib SSE weekend business day", {}, {}});
    }
    return calendar(std::move(d));
  }();
  return c;
}

/// The day a kefu whole-day working day's close (24:00) belongs to.
std::int64_t close_day(const calendar& cal, instant close) { return cal.zone().local_day(close - kefu::seconds(1)); }

// --- Data range, disagreements, agreement on equal definitions -----------------------------------

int check() {
  const auto& ql = ql_sse();
  const auto& kf = mainland();
  std::printf("QuantLib %s China(SSE) vs kefu cn-mainland (%s)\n\n", QL_VERSION, kf.range_text().c_str());

  // Data range: per year, weekdays QuantLib SSE closes and weekdays kefu marks as holidays.
  std::printf("weekday closures per year (QuantLib SSE / kefu cn-mainland public holidays on weekdays):\n");
  int last_ql_data_year = 0;
  for (int y = 2004; y <= 2026; ++y) {
    int ql_closed = 0, kefu_holiday = 0;
    const std::int64_t from = kefu::detail::days_from_civil(y, 1, 1), to = kefu::detail::days_from_civil(y + 1, 1, 1);
    for (std::int64_t day = from; day < to; ++day) {
      const QuantLib::Date q = ql_date(day);
      if (q.weekday() == QuantLib::Saturday || q.weekday() == QuantLib::Sunday) continue;
      if (!ql.isBusinessDay(q)) ++ql_closed;
      if (kf.info(day).kind == kefu::calendar::day_kind::holiday) ++kefu_holiday;
    }
    if (ql_closed > 1) last_ql_data_year = y;  // more than the fixed 1 January rule
    std::printf("  %d: %2d / %2d\n", y, ql_closed, kefu_holiday);
  }
  std::printf("QuantLib SSE has holiday data up to %d; later years close only on fixed-date rules.\n\n",
              last_ql_data_year);

  // Disagreements by kefu's day kind: 2024–2026 (the benchmark's years), and the years QuantLib has data for.
  auto disagreements = [&](std::int64_t first, std::int64_t last) {
    int differ = 0, makeup_closed = 0, holiday_open = 0, other = 0;
    std::string other_days;
    for (std::int64_t day = first; day <= last; ++day) {
      const bool q = ql.isBusinessDay(ql_date(day));
      const auto info = kf.info(day);
      if (q == info.working) continue;
      ++differ;
      if (info.kind == kefu::calendar::day_kind::makeup_workday && !q) ++makeup_closed;
      else if (info.kind == kefu::calendar::day_kind::holiday && q) ++holiday_open;
      else {
        ++other;
        other_days += " " + kefu::format_days(day);
      }
    }
    std::printf("%s … %s (%lld days): isBusinessDay differs from kefu on %d days:\n", kefu::format_days(first).c_str(),
                kefu::format_days(last).c_str(), static_cast<long long>(last - first + 1), differ);
    std::printf("  %d make-up working days (调休, a Saturday or Sunday) that QuantLib SSE treats as closed\n", makeup_closed);
    std::printf("  %d weekday public holidays that QuantLib SSE treats as business days\n", holiday_open);
    std::printf("  %d other:%s\n\n", other, other_days.c_str());
  };
  disagreements(kFirst, kLast);
  disagreements(kefu::detail::days_from_civil(2004, 1, 1), kefu::detail::days_from_civil(2023, 12, 31));

  // Same definition, same answers: kefu on QuantLib's own days.
  const auto& s = the_sample();
  const auto& m = mirror();
  long long mismatches = 0, compared = 0, backward = 0, backward_unshifted_differ = 0;
  for (std::size_t k = 0; k < kSamples; ++k) {
    for (const int n : {1, 3, 10}) {
      const std::int64_t q = days_of(ql.advance(s.ql_day[k], n, QuantLib::Days));
      const std::int64_t c = close_day(m, m.add_workdays(s.noon[k], n));
      mismatches += q != c;
      ++compared;
    }
    for (const auto* other : {&s.far, &s.near}) {
      const std::int64_t a = s.day[k], b = (*other)[k];
      const auto q = ql.businessDaysBetween(ql_date(a), ql_date(b));
      // Forward, both count [a, b). Backward (b < a) QuantLib returns −(business days in (b, a]),
      // kefu −(working days in [b, a)): the same count on the interval shifted by one day.
      const std::int64_t c = a <= b ? m.working_days_between(a, b) : m.working_days_between(a + 1, b + 1);
      if (a > b) {
        ++backward;
        backward_unshifted_differ += q != m.working_days_between(a, b);
      }
      mismatches += q != c;
      ++compared;
    }
  }
  std::printf("kefu on QuantLib SSE's own business days vs QuantLib: %lld of %lld results identical\n"
              "  (advance(d, n, Days) n=1,3,10 vs the day of add_workdays(d 12:00, n); businessDaysBetween(a, b)\n"
              "  vs working_days_between(a, b), or (a+1, b+1) when b < a: QuantLib counts (b, a] backwards,\n"
              "  kefu [b, a); unshifted, %lld of the %lld backward pairs differ)\n\n",
              compared - mismatches, compared, backward_unshifted_differ, backward);
  return mismatches == 0 ? 0 : 1;
}

// --- Benchmarks ---------------------------------------------------------------------------------

void BM_quantlib_advance(benchmark::State& state) {
  const auto& cal = ql_sse();
  const auto& d = the_sample().ql_day;
  const auto n = static_cast<QuantLib::Integer>(state.range(0));
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(cal.advance(d[i++ & (kSamples - 1)], n, QuantLib::Days));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_quantlib_advance)->Arg(1)->Arg(3)->Arg(10);

void BM_kefu_add_workdays(benchmark::State& state) {
  const auto& cal = mainland();
  const auto& t = the_sample().noon;
  const std::int64_t n = state.range(0);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(cal.add_workdays(t[i++ & (kSamples - 1)], n));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_kefu_add_workdays)->Arg(1)->Arg(3)->Arg(10);

/// kefu returns an instant (the close); this variant also turns it back into a date, as QuantLib does.
void BM_kefu_add_workdays_to_date(benchmark::State& state) {
  const auto& cal = mainland();
  const auto& t = the_sample().noon;
  const std::int64_t n = state.range(0);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(close_day(cal, cal.add_workdays(t[i++ & (kSamples - 1)], n)));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_kefu_add_workdays_to_date)->Arg(1)->Arg(3)->Arg(10);

void BM_quantlib_businessDaysBetween_near(benchmark::State& state) {
  const auto& cal = ql_sse();
  const auto& s = the_sample();
  std::size_t i = 0;
  for (auto _ : state) {
    const std::size_t k = i++ & (kSamples - 1);
    benchmark::DoNotOptimize(cal.businessDaysBetween(s.ql_day[k], s.ql_near[k]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_quantlib_businessDaysBetween_near);

void BM_kefu_working_days_between_near(benchmark::State& state) {
  const auto& cal = mainland();
  const auto& s = the_sample();
  std::size_t i = 0;
  for (auto _ : state) {
    const std::size_t k = i++ & (kSamples - 1);
    benchmark::DoNotOptimize(cal.working_days_between(s.day[k], s.near[k]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_kefu_working_days_between_near);

void BM_quantlib_businessDaysBetween_far(benchmark::State& state) {
  const auto& cal = ql_sse();
  const auto& s = the_sample();
  std::size_t i = 0;
  for (auto _ : state) {
    const std::size_t k = i++ & (kSamples - 1);
    benchmark::DoNotOptimize(cal.businessDaysBetween(s.ql_day[k], s.ql_far[k]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_quantlib_businessDaysBetween_far);

void BM_kefu_working_days_between_far(benchmark::State& state) {
  const auto& cal = mainland();
  const auto& s = the_sample();
  std::size_t i = 0;
  for (auto _ : state) {
    const std::size_t k = i++ & (kSamples - 1);
    benchmark::DoNotOptimize(cal.working_days_between(s.day[k], s.far[k]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_kefu_working_days_between_far);

void BM_quantlib_isBusinessDay(benchmark::State& state) {
  const auto& cal = ql_sse();
  const auto& d = the_sample().ql_day;
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(cal.isBusinessDay(d[i++ & (kSamples - 1)]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_quantlib_isBusinessDay);

void BM_kefu_is_working_day(benchmark::State& state) {
  const auto& cal = mainland();
  const auto& d = the_sample().day;
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(cal.is_working_day(d[i++ & (kSamples - 1)]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_kefu_is_working_day);

/// Console output as usual, and the time of every run kept for the ratio table.
class keeping_reporter : public benchmark::ConsoleReporter {
 public:
  std::map<std::string, double> ns;
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& r : runs)
      if (r.run_type == Run::RT_Iteration && !r.error_occurred)
        ns[r.benchmark_name()] = r.GetAdjustedRealTime() * benchmark::GetTimeUnitMultiplier(benchmark::kNanosecond) /
                                 benchmark::GetTimeUnitMultiplier(r.time_unit);
    ConsoleReporter::ReportRuns(runs);
  }
};

void print_ratios(const std::map<std::string, double>& ns) {
  struct pair {
    const char* what;
    std::string ql, kefu;
  };
  const std::vector<pair> pairs = {
      {"advance 1 day / add_workdays 1", "BM_quantlib_advance/1", "BM_kefu_add_workdays/1"},
      {"advance 3 days / add_workdays 3", "BM_quantlib_advance/3", "BM_kefu_add_workdays/3"},
      {"advance 10 days / add_workdays 10", "BM_quantlib_advance/10", "BM_kefu_add_workdays/10"},
      {"advance 3 days / add_workdays 3 + date", "BM_quantlib_advance/3", "BM_kefu_add_workdays_to_date/3"},
      {"businessDaysBetween, 0-30 days apart", "BM_quantlib_businessDaysBetween_near", "BM_kefu_working_days_between_near"},
      {"businessDaysBetween, random 2024-2026", "BM_quantlib_businessDaysBetween_far", "BM_kefu_working_days_between_far"},
      {"isBusinessDay / is_working_day", "BM_quantlib_isBusinessDay", "BM_kefu_is_working_day"},
  };
  std::printf("\n%-42s %12s %12s %10s\n", "operation", "QuantLib ns", "kefu ns", "QL/kefu");
  for (const auto& p : pairs) {
    const auto q = ns.find(p.ql), k = ns.find(p.kefu);
    if (q == ns.end() || k == ns.end()) continue;  // filtered out
    std::printf("%-42s %12.1f %12.1f %9.1fx\n", p.what, q->second, k->second, q->second / k->second);
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const int status = check();
  if (status != 0) std::printf("WARNING: kefu and QuantLib disagree on equal definitions\n");
  keeping_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  print_ratios(reporter.ns);
  return status;
}
