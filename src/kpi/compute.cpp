// KPIs: the one pass over the records (kefu::kpi::compute, declared in kefu/kpi/table.hpp).
//
// Rows are read in chunks: each column is decoded once per chunk (one switch on its storage type, a loop
// the compiler vectorises); then what each row adds to its group is worked out column by column for the
// whole chunk (row_values), added to the group's row sums (one cache line or two per group, flushed into
// its integer counters of table.hpp every few chunks), and the FRT sketch counts go to a byte per group
// and bucket. Targets (per-channel sums and thresholds, SLA clocks) and the optional flags take a second
// loop over the chunk's rows, only when there are any. Which column feeds which counter is written here,
// column by column; the column table (records.hpp) gives the columns' names, buffer slots and value rules
// (counts, seconds, scores, flags), checked at compile time.
#include <kefu/detail/civil.hpp>
#include <kefu/detail/parallel.hpp>
#include <kefu/kpi/table.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <type_traits>
#include <unordered_map>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kefu::kpi {

namespace {

using detail::format_number;

/// The period ordinal of a local day: the day itself, the week (Monday-based), the month, the quarter or
/// the year.
std::int64_t period_ordinal(period p, std::int64_t day) noexcept {
  switch (p) {
    case period::none: return 0;
    case period::day: return day;
    case period::week: return kefu::detail::floor_div(day + 3, 7);  // 1970-01-01 is a Thursday
    case period::month: {
      const auto c = kefu::detail::civil_from_days(day);
      return c.year * 12 + static_cast<std::int64_t>(c.month) - 1;
    }
    case period::quarter: {
      const auto c = kefu::detail::civil_from_days(day);
      return c.year * 4 + (static_cast<std::int64_t>(c.month) - 1) / 3;
    }
    case period::year: return kefu::detail::civil_from_days(day).year;
  }
  return 0;
}
/// The first local day of a period ordinal.
std::int64_t period_start(period p, std::int64_t ordinal) noexcept {
  switch (p) {
    case period::none: return 0;
    case period::day: return ordinal;
    case period::week: return ordinal * 7 - 3;
    case period::month: {
      const std::int64_t y = kefu::detail::floor_div(ordinal, 12);
      return kefu::detail::days_from_civil(y, static_cast<unsigned>(ordinal - y * 12 + 1), 1);
    }
    case period::quarter: {
      const std::int64_t y = kefu::detail::floor_div(ordinal, 4);
      return kefu::detail::days_from_civil(y, static_cast<unsigned>((ordinal - y * 4) * 3 + 1), 1);
    }
    case period::year: return kefu::detail::days_from_civil(ordinal, 1, 1);
  }
  return 0;
}

[[noreturn]] void bad(const char* column, std::size_t row, const std::string& what) {
  throw column_error(column, static_cast<std::int64_t>(row), what);
}

/// Rows are read in chunks: each column is decoded once per chunk (one switch on its storage type,
/// a loop the compiler vectorises), then the chunk's rows are accumulated from plain arrays.
constexpr std::size_t chunk_rows = 1024;

/// Values [from, from + n) of a number column as doubles: the column itself when it stores float64,
/// else converted into `buf`.
const double* doubles(const number_column& c, std::size_t from, std::size_t n, double* buf) noexcept {
  const auto conv = [&](const auto* p) {
    p += from;
    for (std::size_t i = 0; i < n; ++i) buf[i] = static_cast<double>(p[i]);
    return static_cast<const double*>(buf);
  };
  switch (c.type) {
    case number_type::f64: return static_cast<const double*>(c.data) + from;
    case number_type::f32: return conv(static_cast<const float*>(c.data));
    case number_type::i64: return conv(static_cast<const std::int64_t*>(c.data));
    case number_type::i32: return conv(static_cast<const std::int32_t*>(c.data));
    case number_type::i16: return conv(static_cast<const std::int16_t*>(c.data));
    case number_type::i8: return conv(static_cast<const std::int8_t*>(c.data));
    case number_type::u8: return conv(static_cast<const std::uint8_t*>(c.data));
  }
  return buf;
}

/// Codes [from, from + n) of a label column as int32: the column itself or converted into `buf`.
const std::int32_t* codes_of(const label_column& c, std::size_t from, std::size_t n,
                                    std::int32_t* buf) noexcept {
  const auto conv = [&](const auto* p) {
    p += from;
    for (std::size_t i = 0; i < n; ++i) buf[i] = p[i];
    return static_cast<const std::int32_t*>(buf);
  };
  switch (c.type) {
    case code_type::i32: return static_cast<const std::int32_t*>(c.codes) + from;
    case code_type::i16: return conv(static_cast<const std::int16_t*>(c.codes));
    case code_type::i8: return conv(static_cast<const std::int8_t*>(c.codes));
  }
  return buf;
}

template <std::int64_t Unit>
void utc_seconds(const std::int64_t* p, std::size_t n, std::int64_t unit, std::int64_t offset,
                 std::int64_t* out) noexcept {
  const std::int64_t u = Unit != 0 ? Unit : unit;  // a constant divisor becomes a multiplication
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t v = p[i];
    out[i] = v == missing_instant ? missing_instant : kefu::detail::floor_div(v, u) - offset;
  }
}
/// Instants [from, from + n) as UTC seconds (missing stays missing).
void utc_seconds(const instant_column& c, std::size_t from, std::size_t n, std::int64_t unit,
                        std::int64_t offset, std::int64_t* out) noexcept {
  const std::int64_t* p = c.data + from;
  switch (unit) {
    case 1: return utc_seconds<1>(p, n, unit, offset, out);
    case 1'000: return utc_seconds<1'000>(p, n, unit, offset, out);
    case 1'000'000: return utc_seconds<1'000'000>(p, n, unit, offset, out);
    case 1'000'000'000: return utc_seconds<1'000'000'000>(p, n, unit, offset, out);
    default: return utc_seconds<0>(p, n, unit, offset, out);
  }
}

constexpr double whole_limit = 9007199254740992.0;  // 2^53: every whole double below is exact

#if defined(__GNUC__)
#define KEFU_KPI_COLD [[gnu::cold, gnu::noinline]]
#else
#define KEFU_KPI_COLD
#endif

KEFU_KPI_COLD [[noreturn]] void bad_count(double v, const char* name, std::size_t i) {
  if (std::isnan(v)) bad(name, i, "missing value (a count is required)");
  if (v >= whole_limit) bad(name, i, format_number(v) + " is too large for a count");
  bad(name, i, format_number(v) + " is not a whole number ≥ 0");
}
KEFU_KPI_COLD [[noreturn]] void bad_seconds(double v, const char* name, std::size_t i) {
  if (std::isnan(v)) bad(name, i, "missing value (seconds are required)");
  if (v < 0) bad(name, i, format_number(v) + " seconds is negative");
  bad(name, i, format_number(v) + " seconds is too large (over 10^12)");
}
KEFU_KPI_COLD [[noreturn]] void bad_flag(double v, const char* name, std::size_t i) {
  if (std::isnan(v)) bad(name, i, "missing value (true or false is required)");
  bad(name, i, format_number(v) + " is not a flag (expected 0/1 or true/false)");
}
KEFU_KPI_COLD [[noreturn]] void bad_score(double v, const char* name, std::size_t i, double lo, double hi,
                                                 bool whole) {
  bad(name, i,
      format_number(v) + " is outside " + format_number(lo) + "–" + format_number(hi) + (whole ? " (whole numbers)" : ""));
}

/// A column as a type, to pass it to a generic lambda.
template <column C>
constexpr std::integral_constant<column, C> tag{};

/// The name of a column, for errors.
constexpr const char* name_of(column c) noexcept { return info(c).name.data(); }

/// A count: a whole number ≥ 0; errors name the column and row.
template <column C>
std::int64_t count_of(double v, std::size_t i) {
  static_assert(info(C).unit.t == column_unit::type::count, "the column table says this column is not a count");
  if (v >= 0 && v < whole_limit) {
    const auto k = static_cast<std::int64_t>(v);
    if (static_cast<double>(k) == v) return k;
  }
  bad_count(v, name_of(C), i);
}
/// x ≥ 0 (below 2^62) rounded half up: std::llround for such values, without a library call.
inline std::int64_t round_nonnegative(double x) noexcept {
  const auto k = static_cast<std::int64_t>(x);
  return k + static_cast<std::int64_t>(x - static_cast<double>(k) >= 0.5);
}
/// Seconds ≥ 0 as whole milliseconds (rounded half up).
template <column C>
std::int64_t millis_of(double v, std::size_t i) {
  static_assert(info(C).unit.t == column_unit::type::seconds, "the column table says this column is not seconds");
  if (v >= 0 && v < 1e12) return round_nonnegative(v * 1000);
  bad_seconds(v, name_of(C), i);
}
/// Optional seconds ≥ 0 as whole milliseconds (rounded half up); -1 when missing (not measured).
template <column C>
std::int64_t optional_millis_of(double v, std::size_t i) {
  static_assert(info(C).unit.t == column_unit::type::seconds && info(C).need == column_need::optional,
                "the column table says this column is not optional seconds");
  if (v >= 0 && v < 1e12) return round_nonnegative(v * 1000);
  if (std::isnan(v)) return -1;
  bad_seconds(v, name_of(C), i);
}
/// 0 or 1; -1 when missing and the column is optional.
template <column C>
int flag_of(double v, std::size_t i) {
  static_assert(info(C).kind == column_kind::flag, "the column table says this column is not a flag");
  constexpr bool optional = info(C).need == column_need::optional;
  if (v == 0) return 0;
  if (v == 1) return 1;
  if (optional && std::isnan(v)) return -1;
  bad_flag(v, name_of(C), i);
}
/// An optional score in the column's range (whole when the table says so); NaN when missing.
template <column C>
double score_of(double v, std::size_t i) {
  constexpr column_unit u = info(C).unit;
  static_assert(u.t == column_unit::type::score && info(C).need == column_need::optional,
                "the column table says this column is not an optional score");
  if (std::isnan(v)) return v;
  if (v < u.lo || v > u.hi || (u.whole && static_cast<double>(static_cast<std::int64_t>(v)) != v))
    bad_score(v, name_of(C), i, u.lo, u.hi, u.whole);
  return v;
}

// ---------------------------------------------------------------------------------------------------
// The row loop. Every row adds to the same 19 counters of its group; they are kept per group in a
// row_sums of 72 bytes (the group's full counters and sketch stay out of the loop), flags and small
// values as 16-bit lanes of shared words, so a row costs 9 additions. What each row adds is worked out
// first for the whole chunk, column by column, two rows at a time (row_values_fast) and without a
// branch per row: an absent optional column reads as a column of NaN (or NaT), and bad values only
// clear one flag per chunk. A chunk with a bad value is read again row by row with the checks of the
// column readers above, in the order of the columns, which throw its first error.
// ---------------------------------------------------------------------------------------------------

/// A block of rows between flushes of the row sums into the groups' counters: no 16-bit lane can
/// carry into the next (5 · 8192 < 2^16: csat_sum adds up to 5 a row), nor the QC hundredths past 32
/// bits (10,000 · 8192 < 2^32).
constexpr std::size_t block_rows = 8 * chunk_rows;
static_assert(block_rows % chunk_rows == 0);
static_assert(5 * block_rows < (std::size_t(1) << 16) && 10'000 * block_rows < (std::uint64_t(1) << 32),
              "a block of rows would overflow the row sums' lanes");

/// The counters every row adds to, of one group over one block of rows.
struct row_sums {
  /// 16-bit lanes, lowest first: {tickets, responded, resolved, fcr}, {escalated, reopened, csat_n,
  /// csat_satisfied}, {csat_sum, nps_n, promoters, detractors}, {qc_n, qc_pass, qc_centi (32 bits)}.
  std::uint64_t lanes[4];
  std::int64_t frt_sum, responses, response_ms, handle_ms, resolution_sum;
};

/// Adds the row sums into the groups' counters and clears them.
void flush(std::vector<row_sums>& sums, std::vector<group_stats>& stats) noexcept {
  for (std::size_t g = 0; g < sums.size(); ++g) {
    row_sums& h = sums[g];
    auto& c = stats[g].c;
    const auto lane = [&](int w, int k) { return static_cast<std::int64_t>((h.lanes[w] >> (16 * k)) & 0xffff); };
    c[c_tickets] += lane(0, 0), c[c_responded] += lane(0, 1), c[c_resolved] += lane(0, 2), c[c_fcr] += lane(0, 3);
    c[c_escalated] += lane(1, 0), c[c_reopened] += lane(1, 1), c[c_csat_n] += lane(1, 2);
    c[c_csat_satisfied] += lane(1, 3);
    c[c_csat_sum] += lane(2, 0), c[c_nps_n] += lane(2, 1), c[c_promoters] += lane(2, 2), c[c_detractors] += lane(2, 3);
    c[c_qc_n] += lane(3, 0), c[c_qc_pass] += lane(3, 1), c[c_qc_centi] += static_cast<std::int64_t>(h.lanes[3] >> 32);
    c[c_frt_sum] += h.frt_sum, c[c_responses] += h.responses, c[c_response_ms] += h.response_ms;
    c[c_handle_ms] += h.handle_ms, c[c_resolution_sum] += h.resolution_sum;
    h = row_sums{};
  }
}

// The column readers of row_values_exact(): the values of count_of, millis_of, flag_of and score_of for
// valid values, without branches; `bad` is set where those would throw. Values are clamped into range
// first (max then min; NaN gives lo), so that every conversion is defined.
inline double clamp(double x, double lo, double hi) noexcept {
#if defined(__SSE2__)
  // Said with intrinsics: for the ternaries GCC emits branches, which mispredict on columns with random gaps.
  const __m128d m = _mm_max_sd(_mm_set_sd(x), _mm_set_sd(lo));
  return _mm_cvtsd_f64(_mm_min_sd(m, _mm_set_sd(hi)));
#else
  x = x > lo ? x : lo;
  return x < hi ? x : hi;
#endif
}
/// b ? x : 0 without a branch.
inline std::int64_t when(bool b, std::int64_t x) noexcept { return x & -static_cast<std::int64_t>(b); }

template <column C>
inline std::int64_t count_value(double v, bool& bad) noexcept {
  static_assert(info(C).unit.t == column_unit::type::count);
  const auto k = static_cast<std::int64_t>(clamp(v, 0, whole_limit));
  bad |= !((v < whole_limit) & (static_cast<double>(k) == v));
  return k;
}
template <column C>
inline std::int64_t millis_value(double v, bool& bad) noexcept {
  static_assert(info(C).unit.t == column_unit::type::seconds && info(C).need == column_need::required);
  bad |= !((v >= 0) & (v < 1e12));
  return round_nonnegative(clamp(v, 0, 1e12) * 1000);
}
template <column C>
inline std::uint64_t flag_value(double v, bool& bad) noexcept {
  static_assert(info(C).kind == column_kind::flag && info(C).need == column_need::required);
  bad |= !((v == 0) | (v == 1));
  return v == 1;
}
/// An optional score: whether present, and the value clamped to the column's range (lo when missing).
template <column C>
inline bool score_value(double v, double& value, bool& bad) noexcept {
  constexpr column_unit u = info(C).unit;
  static_assert(u.t == column_unit::type::score && info(C).need == column_need::optional);
  value = clamp(v, u.lo, u.hi);
  bool ok = value == v;  // in range (NaN is not)
  if constexpr (u.whole) ok &= static_cast<double>(static_cast<std::int64_t>(value)) == v;
  const bool present = v == v;
  bad |= present & !ok;
  return present;
}

/// The columns the row loop reads, for one chunk (row j at [j]): instants as UTC seconds, numbers as
/// doubles. Absent optional columns are chunks of NaT or NaN.
struct core_columns {
  const std::int64_t *created, *first, *resolved;
  const double *responses, *response_seconds, *handle_seconds, *contacts, *escalated, *reopened, *csat, *nps,
      *qc_score;
};

/// What each row of a chunk adds to its group's row_sums (the lanes and the sums of row_sums, in order).
struct row_values {
  std::uint64_t lanes[4][chunk_rows];
  std::int64_t frt[chunk_rows];  ///< also each row's first-response time, -1 when none
  std::int64_t responses[chunk_rows], response_ms[chunk_rows], handle_ms[chunk_rows], resolution[chunk_rows];
};

/// A comparison as 0 or 1.
inline std::uint64_t one(bool b) noexcept { return static_cast<std::uint64_t>(b); }

/// The row values of rows [from, to) of a chunk, one row at a time. False when a value breaks its
/// column's rule.
bool row_values_exact(const core_columns& k, std::size_t from, std::size_t to, double pass_mark,
                      row_values& v) noexcept {
  bool bad = false;
  for (std::size_t j = from; j < to; ++j) {
    const std::int64_t created = k.created[j];
    const std::int64_t first = k.first[j];
    const bool answered = first != missing_instant;
    // Differences in unsigned arithmetic: a missing instant (INT64_MIN) minus created would overflow.
    const auto frt = static_cast<std::int64_t>(static_cast<std::uint64_t>(first) - static_cast<std::uint64_t>(created));
    bad |= answered & (frt < 0);
    v.frt[j] = answered ? frt : -1;
    v.responses[j] = count_value<column::responses>(k.responses[j], bad);
    v.response_ms[j] = millis_value<column::response_seconds>(k.response_seconds[j], bad);
    v.handle_ms[j] = millis_value<column::handle_seconds>(k.handle_seconds[j], bad);
    const std::int64_t contacts = count_value<column::contacts>(k.contacts[j], bad);
    const std::uint64_t escalated = flag_value<column::escalated>(k.escalated[j], bad);
    const std::uint64_t reopened = flag_value<column::reopened>(k.reopened[j], bad);
    const bool resolved = k.resolved[j] != missing_instant;
    const std::int64_t resolution =
        when(resolved, static_cast<std::int64_t>(static_cast<std::uint64_t>(k.resolved[j]) - static_cast<std::uint64_t>(created)));
    bad |= resolution < 0;
    v.resolution[j] = resolution;
    const bool fcr = resolved & (contacts <= 1) & (reopened == 0);
    double csat, nps, qc;
    const bool rated = score_value<column::csat>(k.csat[j], csat, bad);
    const bool scored = score_value<column::nps>(k.nps[j], nps, bad);
    const bool sampled = score_value<column::qc_score>(k.qc_score[j], qc, bad);
    v.lanes[0][j] = 1 | one(answered) << 16 | one(resolved) << 32 | one(fcr) << 48;
    v.lanes[1][j] = escalated | reopened << 16 | one(rated) << 32 | one(rated & (csat >= 4)) << 48;
    v.lanes[2][j] = static_cast<std::uint64_t>(when(rated, static_cast<std::int64_t>(csat))) | one(scored) << 16 |
                    one(scored & (nps >= 9)) << 32 | one(scored & (nps <= 6)) << 48;
    v.lanes[3][j] = one(sampled) | one(sampled & (qc >= pass_mark)) << 16 |
                    static_cast<std::uint64_t>(round_nonnegative(qc * 100)) << 32;  // qc is 0 when not sampled
  }
  return !bad;
}

#if defined(__SSE2__)
/// row_values_exact() two rows at a time (SSE2 has no double ↔ int64 conversion, so whole numbers are
/// read exactly by adding 2^52: for 0 ≤ x < 2^52, (x + 2^52) − 2^52 is x rounded to a whole number, and
/// a whole k < 2^52 is the low bits of k + 2^52). False also for a count of 2^52 or more (valid, rare:
/// then row_values_exact() decides).
bool row_values_fast(const core_columns& k, std::size_t m, double pass_mark, row_values& v) noexcept {
  constexpr double two52 = 4503599627370496.0;
  constexpr auto nat = static_cast<std::uint64_t>(missing_instant);
  std::uint64_t bad_instants = 0;
  for (std::size_t j = 0; j < m; ++j) {  // instants, as integers (the compiler vectorises this one)
    const auto c = static_cast<std::uint64_t>(k.created[j]);
    const auto f = static_cast<std::uint64_t>(k.first[j]) ^ nat, r = static_cast<std::uint64_t>(k.resolved[j]) ^ nat;
    const std::uint64_t answered = (f | (0 - f)) >> 63, resolved = (r | (0 - r)) >> 63;  // not missing
    const std::uint64_t frt = ((f ^ nat) - c) | (answered - 1);                         // -1 when missing
    const std::uint64_t resolution = ((r ^ nat) - c) & (0 - resolved);                  // 0 when missing
    bad_instants |= ((frt & (0 - answered)) | resolution) >> 63;                         // negative
    v.frt[j] = static_cast<std::int64_t>(frt);
    v.resolution[j] = static_cast<std::int64_t>(resolution);
    v.lanes[0][j] = 1 | answered << 16 | resolved << 32;
  }

  constexpr column_unit cu = info(column::csat).unit, nu = info(column::nps).unit, qu = info(column::qc_score).unit;
  static_assert(cu.whole && nu.whole && !qu.whole && cu.lo >= 0 && nu.lo >= 0 && qu.lo >= 0 && qu.hi * 100 < two52,
                "the scores are read as small whole numbers (csat, nps) and hundredths (qc_score)");
  const __m128d zero = _mm_setzero_pd(), unit = _mm_set1_pd(1), half = _mm_set1_pd(0.5), t52 = _mm_set1_pd(two52);
  const __m128i t52_bits = _mm_castpd_si128(t52);
  const auto bit = [](__m128d mask) { return _mm_srli_epi64(_mm_castpd_si128(mask), 63); };  // 0 or 1
  const auto whole = [&](__m128d x) { return _mm_cmpeq_pd(_mm_sub_pd(_mm_add_pd(x, t52), t52), x); };
  const auto to_int = [&](__m128d whole_x) { return _mm_sub_epi64(_mm_castpd_si128(_mm_add_pd(whole_x, t52)), t52_bits); };
  const auto round_half_up = [&](__m128d x) {  // round_nonnegative(), 0 ≤ x < 2^52
    __m128d f = _mm_sub_pd(_mm_add_pd(x, t52), t52);       // the nearest whole number
    f = _mm_sub_pd(f, _mm_and_pd(_mm_cmpgt_pd(f, x), unit));  // floor
    return _mm_add_pd(f, _mm_and_pd(_mm_cmpge_pd(_mm_sub_pd(x, f), half), unit));
  };
  const auto clamp2 = [](__m128d x, double lo, double hi) {  // NaN gives lo
    return _mm_min_pd(_mm_max_pd(x, _mm_set1_pd(lo)), _mm_set1_pd(hi));
  };
  const auto count = [&](__m128d x, __m128d& ok) {
    ok = _mm_and_pd(ok, _mm_and_pd(_mm_and_pd(_mm_cmpge_pd(x, zero), _mm_cmplt_pd(x, t52)), whole(x)));
    return to_int(clamp2(x, 0, two52 - 1));
  };
  const auto millis = [&](__m128d x, __m128d& ok) {
    ok = _mm_and_pd(ok, _mm_and_pd(_mm_cmpge_pd(x, zero), _mm_cmplt_pd(x, _mm_set1_pd(1e12))));
    return to_int(round_half_up(_mm_mul_pd(clamp2(x, 0, 1e12), _mm_set1_pd(1000))));
  };
  const __m128d pass = _mm_set1_pd(pass_mark);
  __m128d ok = _mm_castsi128_pd(_mm_set1_epi32(-1));
  std::size_t j = 0;
  for (; j + 2 <= m; j += 2) {
    const auto store = [&](auto* to, __m128i x) { _mm_storeu_si128(reinterpret_cast<__m128i*>(to + j), x); };
    const __m128d e = _mm_loadu_pd(k.escalated + j), ro = _mm_loadu_pd(k.reopened + j);
    const __m128d e1 = _mm_cmpeq_pd(e, unit), r0 = _mm_cmpeq_pd(ro, zero), r1 = _mm_cmpeq_pd(ro, unit);
    ok = _mm_and_pd(ok, _mm_and_pd(_mm_or_pd(_mm_cmpeq_pd(e, zero), e1), _mm_or_pd(r0, r1)));
    const __m128d contacts = _mm_loadu_pd(k.contacts + j);
    count(contacts, ok);
    // fcr: resolved (bit 32 of the first lanes), at most one contact, not reopened.
    const __m128i l0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(v.lanes[0] + j));
    const __m128i fcr = _mm_and_si128(_mm_and_si128(_mm_srli_epi64(l0, 32), bit(_mm_cmple_pd(contacts, unit))), bit(r0));
    store(v.lanes[0], _mm_or_si128(l0, _mm_slli_epi64(fcr, 48)));

    const __m128d cs = _mm_loadu_pd(k.csat + j), ns = _mm_loadu_pd(k.nps + j), qs = _mm_loadu_pd(k.qc_score + j);
    const __m128d cc = clamp2(cs, cu.lo, cu.hi), nc = clamp2(ns, nu.lo, nu.hi), qc = clamp2(qs, qu.lo, qu.hi);
    const __m128d rated = _mm_cmpord_pd(cs, cs), scored = _mm_cmpord_pd(ns, ns), sampled = _mm_cmpord_pd(qs, qs);
    // A present score is in range (clamping keeps it) and whole where the column says so.
    ok = _mm_andnot_pd(_mm_andnot_pd(_mm_and_pd(_mm_cmpeq_pd(cc, cs), whole(cc)), rated), ok);
    ok = _mm_andnot_pd(_mm_andnot_pd(_mm_and_pd(_mm_cmpeq_pd(nc, ns), whole(nc)), scored), ok);
    ok = _mm_andnot_pd(_mm_andnot_pd(_mm_cmpeq_pd(qc, qs), sampled), ok);
    store(v.lanes[1], _mm_or_si128(_mm_or_si128(bit(e1), _mm_slli_epi64(bit(r1), 16)),
                                   _mm_or_si128(_mm_slli_epi64(bit(rated), 32),
                                                _mm_slli_epi64(bit(_mm_and_pd(rated, _mm_cmpge_pd(cs, _mm_set1_pd(4)))), 48))));
    store(v.lanes[2],
          _mm_or_si128(_mm_or_si128(_mm_and_si128(to_int(cc), _mm_castpd_si128(rated)), _mm_slli_epi64(bit(scored), 16)),
                       _mm_or_si128(_mm_slli_epi64(bit(_mm_and_pd(scored, _mm_cmpge_pd(ns, _mm_set1_pd(9)))), 32),
                                    _mm_slli_epi64(bit(_mm_and_pd(scored, _mm_cmple_pd(ns, _mm_set1_pd(6)))), 48))));
    store(v.lanes[3], _mm_or_si128(_mm_or_si128(bit(sampled), _mm_slli_epi64(bit(_mm_and_pd(sampled, _mm_cmpge_pd(qs, pass))), 16)),
                                   _mm_slli_epi64(to_int(round_half_up(_mm_mul_pd(qc, _mm_set1_pd(100)))), 32)));

    store(v.responses, count(_mm_loadu_pd(k.responses + j), ok));
    store(v.response_ms, millis(_mm_loadu_pd(k.response_seconds + j), ok));
    store(v.handle_ms, millis(_mm_loadu_pd(k.handle_seconds + j), ok));
  }
  const bool tail_ok = row_values_exact(k, j, m, pass_mark, v);  // an odd last row
  return bad_instants == 0 && _mm_movemask_pd(ok) == 3 && tail_ok;
}
#else
bool row_values_fast(const core_columns& k, std::size_t m, double pass_mark, row_values& v) noexcept {
  return row_values_exact(k, 0, m, pass_mark, v);
}
#endif

/// Adds the row values of rows [0, m) to their groups' row sums.
void add_rows(const row_values& v, const std::int32_t* slots, std::size_t m, row_sums* sums) noexcept {
  for (std::size_t j = 0; j < m; ++j) {
    row_sums& h = sums[slots[j]];
    h.lanes[0] += v.lanes[0][j];
    h.lanes[1] += v.lanes[1][j];
    h.lanes[2] += v.lanes[2][j];
    h.lanes[3] += v.lanes[3][j];
    h.frt_sum += v.frt[j] & ~(v.frt[j] >> 63);  // 0 when none (-1)
    h.responses += v.responses[j];
    h.response_ms += v.response_ms[j];
    h.handle_ms += v.handle_ms[j];
    h.resolution_sum += v.resolution[j];
  }
}

/// FRT sketch counts of one computation, before they go into the groups' sketches: one byte per group
/// and bucket of the whole seconds below the mapping's table_limit (4.5 hours; longer times and zeros go
/// to the sketch directly). A byte per count keeps the hundreds of groups' counts within a few hundred
/// kilobytes (the sketches' 8-byte counts take megabytes, so each row's count was a cache miss); a count
/// that reaches 255 is moved into the sketch. Merged into the sketches at the end (exact: the sketches
/// add counts bucket by bucket, in any order).
class frt_counts {
 public:
  /// At most this many bytes of counts; groups past it count in their sketches directly.
  static constexpr std::size_t max_bytes = std::size_t(16) << 20;

  explicit frt_counts(const sketch_mapping& m) : width_(static_cast<std::size_t>(m.table_buckets())) {}

  /// The place of (group, bucket), or `direct` when the group has no room here.
  static constexpr std::uint32_t direct = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t place(std::size_t group, std::int32_t bucket) const noexcept {
    return group < groups_ ? static_cast<std::uint32_t>(group * width_ + static_cast<std::size_t>(bucket)) : direct;
  }
  /// Makes room for groups [0, n) within max_bytes.
  void reserve(std::size_t n) {
    if (n <= groups_ || groups_ * width_ >= max_bytes) return;
    groups_ = std::min(n, std::max<std::size_t>(max_bytes / width_, groups_));
    counts_.resize(groups_ * width_, 0);
  }
  const std::uint8_t* at(std::uint32_t p) const noexcept { return counts_.data() + p; }
  /// Counts one value at place p.
  void add(std::uint32_t p, std::vector<group_stats>& stats) {
    if (++counts_[p] == 255) {
      stats[p / width_].frt.add_bucket(static_cast<std::int32_t>(p % width_), 255);
      counts_[p] = 0;
    }
  }
  /// Moves every count into the sketches.
  void flush(std::vector<group_stats>& stats) {
    for (std::size_t g = 0; g < groups_; ++g) {
      std::uint8_t* counts = counts_.data() + g * width_;
      stats[g].frt.add_buckets(0, counts, width_);
      std::fill(counts, counts + width_, std::uint8_t{0});
    }
  }

 private:
  std::size_t width_;
  std::size_t groups_ = 0;
  std::vector<std::uint8_t> counts_;
};

}  // namespace

table compute(const records& r, const options& opt) {
  table t(opt);
  const targets* goals = opt.goals.get();
  const bool per_channel = goals && !goals->channels.empty();
  bool need_channel = per_channel;
  for (auto d : opt.by) need_channel = need_channel || d == dimension::channel;
  check_shape(r, need_channel);
  for (auto d : opt.by)
    if (!r.of(d).present()) throw column_error(to_string(d), -1, "is required to group by it but missing");

  const std::size_t n = r.rows;
  const std::int64_t unit = r.instant_unit;
  const std::int64_t offset = r.instant_offset;
  const std::int64_t zone_offset = opt.zone.offset().count();

  // Channel code → index into the thresholds (or -1).
  std::vector<std::int32_t> channel_slot;
  std::vector<const channel_thresholds*> thresholds;
  if (per_channel) {
    for (const auto& l : r.channel.labels) {
      const channel_thresholds* th = goals->thresholds_of(l);
      std::int32_t slot = -1;
      if (th) {
        for (std::size_t k = 0; k < goals->channels.size(); ++k)
          if (&goals->channels[k] == th) slot = static_cast<std::int32_t>(k);
      }
      channel_slot.push_back(slot);
    }
    for (const auto& c : goals->channels) thresholds.push_back(&c);
  }

  // created_at: every ticket has one; its range gives the periods' range, and a table from local day
  // to period ordinal replaces the calendar arithmetic per row.
  std::int64_t lo = std::numeric_limits<std::int64_t>::max(), hi = std::numeric_limits<std::int64_t>::min();
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t v = r.created_at.data[i];
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (n > 0 && lo == missing_instant)
    for (std::size_t i = 0; i < n; ++i)
      if (r.created_at.data[i] == missing_instant)
        bad(name_of(column::created_at), i, "missing value (every ticket has a creation instant)");
  const auto local_day = [&](std::int64_t utc) { return kefu::detail::floor_div(utc + zone_offset, 86400); };
  std::int64_t pmin = 0, pmax = 0, dmin = 0;
  std::vector<std::int64_t> day_ordinal;
  if (n > 0 && opt.per != period::none) {
    dmin = local_day(kefu::detail::floor_div(lo, unit) - offset);
    const std::int64_t dmax = local_day(kefu::detail::floor_div(hi, unit) - offset);
    pmin = period_ordinal(opt.per, dmin);
    pmax = period_ordinal(opt.per, dmax);
    if (dmax - dmin < (std::int64_t(1) << 22)) {
      day_ordinal.resize(static_cast<std::size_t>(dmax - dmin + 1));
      for (std::int64_t d = dmin; d <= dmax; ++d)
        day_ordinal[static_cast<std::size_t>(d - dmin)] = period_ordinal(opt.per, d) - pmin;
    }
  }

  // Mixed-radix group index: dense when small, hashed otherwise.
  std::vector<std::int64_t> radix;
  std::vector<const label_column*> group_cols;
  std::vector<std::size_t> dims;
  std::int64_t total = 1;
  bool dense = true;
  for (auto d : opt.by) {
    const auto& col = r.of(d);
    const auto k = static_cast<std::int64_t>(std::max<std::size_t>(col.labels.size(), 1));
    radix.push_back(k);
    group_cols.push_back(&col);
    dims.push_back(static_cast<std::size_t>(d));
    if (total > (std::int64_t(1) << 40) / k) dense = false;
    total *= k;
  }
  const std::int64_t np = pmax - pmin + 1;
  if (total > (std::int64_t(1) << 40) / np) dense = false;
  total *= np;
  dense = dense && total <= (std::int64_t(1) << 20);
  std::vector<std::int32_t> dense_slot(dense ? static_cast<std::size_t>(total) : 0, -1);
  std::unordered_map<std::int64_t, std::int32_t> hashed_slot;
  std::vector<std::int64_t> slot_index;  // group index of each slot
  std::vector<group_stats>& stats = t.stats_;
  std::vector<row_sums> sums;            // per slot, the current block's row sums

  const sketch_mapping& mapping = t.mapping_;
  frt_counts frt(mapping);
  const double pass_mark = t.opt_.qc_pass_mark;
  const std::array<std::int64_t, 3> wait_ms{t.opt_.wait_bands[0] * 1000, t.opt_.wait_bands[1] * 1000,
                                            t.opt_.wait_bands[2] * 1000};
  const std::size_t n_sla = goals ? goals->sla.size() : 0;

  // Per-chunk buffers: cn values per instant column (as UTC seconds), per grouping column and the
  // channel (as int32 codes) and per number column (as doubles), instants and numbers at their slot_of().
  constexpr std::size_t cn = chunk_rows;
  constexpr std::size_t n_numbers = columns_of_kind(column_kind::number);
  std::vector<std::int64_t> ibuf(columns_of_kind(column_kind::instant) * cn), gbuf(cn);
  const auto values_buf = std::make_unique<row_values>();  // 72 kB: not on the stack
  row_values& values = *values_buf;
  std::vector<std::int32_t> cbuf((dimension_count + 1) * cn), slots(cn);
  std::vector<double> nbuf(n_numbers * cn);
  const std::vector<std::int64_t> no_instants(cn, missing_instant);  // an absent optional instant column
  const std::vector<double> no_numbers(cn, std::numeric_limits<double>::quiet_NaN());  // … number column
  std::int64_t* const created_s = ibuf.data() + slot_of(column::created_at) * cn;
  std::int64_t* const first_s = ibuf.data() + slot_of(column::first_response_at) * cn;
  std::int64_t* const resolved_s = ibuf.data() + slot_of(column::resolved_at) * cn;
  std::array<const double*, n_numbers> number{};  // a chunk of each number column; null when absent
  const bool has_first = r.first_response_at.present(), has_resolved = r.resolved_at.present();
  bool any_optional_flag = false;  // optional columns the row loop does not read (flags, queue wait)
  for_each_column(r, [&](column c, const auto& field) {
    if constexpr (std::is_same_v<std::decay_t<decltype(field)>, number_column>)
      any_optional_flag = any_optional_flag || (field.present() && info(c).need == column_need::optional &&
                                                c != column::csat && c != column::nps && c != column::qc_score);
  });
  // The counters of targets (per-channel thresholds, SLA clocks) and of the optional flags are added by a
  // second loop over the chunk's rows, only when there are any.
  const bool extras = per_channel || n_sla > 0 || any_optional_flag;

  for (std::size_t from = 0, chunk = 0; from < n; from += cn, ++chunk) {
    const std::size_t m = std::min(cn, n - from);

    // Instants as UTC seconds.
    utc_seconds(r.created_at, from, m, unit, offset, created_s);
    if (has_first) utc_seconds(r.first_response_at, from, m, unit, offset, first_s);
    if (has_resolved) utc_seconds(r.resolved_at, from, m, unit, offset, resolved_s);

    // Group of each row.
    std::int64_t* const gi = gbuf.data();
    std::fill(gi, gi + m, 0);
    for (std::size_t k = 0; k < group_cols.size(); ++k) {
      const std::int32_t* codes = codes_of(*group_cols[k], from, m, cbuf.data() + k * cn);
      const std::int64_t rk = radix[k];
      for (std::size_t j = 0; j < m; ++j) {
        const std::int32_t code = codes[j];
        if (code < 0 || code >= rk) {
          const char* name = to_string(static_cast<dimension>(dims[k]));
          bad(name, from + j, code < 0 ? "missing value (needed to group by it)" : "code out of range of the labels");
        }
        gi[j] = gi[j] * rk + code;
      }
    }
    if (opt.per != period::none) {
      for (std::size_t j = 0; j < m; ++j) {
        const std::int64_t day = local_day(created_s[j]);
        const std::int64_t p = day_ordinal.empty() ? period_ordinal(opt.per, day) - pmin
                                                   : day_ordinal[static_cast<std::size_t>(day - dmin)];
        gi[j] = gi[j] * np + p;
      }
    }
    for (std::size_t j = 0; j < m; ++j) {
      std::int32_t slot;
      if (dense) {
        slot = dense_slot[static_cast<std::size_t>(gi[j])];
        if (slot < 0) {
          slot = dense_slot[static_cast<std::size_t>(gi[j])] = static_cast<std::int32_t>(stats.size());
          stats.push_back(t.fresh_stats());
          slot_index.push_back(gi[j]);
        }
      } else {
        auto [it, inserted] = hashed_slot.emplace(gi[j], static_cast<std::int32_t>(stats.size()));
        if (inserted) {
          stats.push_back(t.fresh_stats());
          slot_index.push_back(gi[j]);
        }
        slot = it->second;
      }
      slots[j] = slot;
    }
    sums.resize(stats.size(), row_sums{});
    frt.reserve(stats.size());

    // Columns of the chunk.
    const std::int32_t* channel_codes =
        per_channel ? codes_of(r.channel, from, m, cbuf.data() + dimension_count * cn) : nullptr;
    for_each_column(r, [&](column c, const auto& field) {
      if constexpr (std::is_same_v<std::decay_t<decltype(field)>, number_column>)
        number[slot_of(c)] = field.present() ? doubles(field, from, m, nbuf.data() + slot_of(c) * cn) : nullptr;
    });
    const auto col = [&](column c) { return number[slot_of(c)] ? number[slot_of(c)] : no_numbers.data(); };
    const core_columns core{created_s,
                            has_first ? first_s : no_instants.data(),
                            has_resolved ? resolved_s : no_instants.data(),
                            col(column::responses),
                            col(column::response_seconds),
                            col(column::handle_seconds),
                            col(column::contacts),
                            col(column::escalated),
                            col(column::reopened),
                            col(column::csat),
                            col(column::nps),
                            col(column::qc_score)};

    // The rest of a row: per-channel sums and thresholds, the optional flags, the queue wait, the SLA
    // clocks (the row's core values are valid when this runs).
    const auto check_channel = [&](std::size_t j) {
      const std::int32_t ch = channel_codes[j];
      if (ch < 0 || static_cast<std::size_t>(ch) >= channel_slot.size())
        bad(name_of(column::channel), from + j,
            ch < 0 ? "missing value (targets have per-channel thresholds)" : "code out of range");
    };
    const auto extra_row = [&](group_stats& s, std::size_t j) {
      const std::size_t i = from + j;
      auto& c = s.c;
      const std::int32_t cs = per_channel ? channel_slot[static_cast<std::size_t>(channel_codes[j])] : -1;
      const channel_thresholds* th = cs >= 0 ? thresholds[static_cast<std::size_t>(cs)] : nullptr;
      std::int64_t* csum = cs >= 0 ? s.channel_sums.data() + static_cast<std::size_t>(cs) * channel_sum_width : nullptr;
      const std::int64_t frt = values.frt[j];
      const std::int64_t created = created_s[j];
      bool late = false;
      if (th) {
        if (frt >= 0) csum[cs_frt_sum] += frt, ++csum[cs_frt_n];
        if (th->first_response) {
          ++c[c_frt_targeted];
          if (frt >= 0 && frt <= *th->first_response) ++c[c_frt_within];
          else late = true;
        }
        const auto responses = static_cast<std::int64_t>(core.responses[j]);
        const std::int64_t response_ms = round_nonnegative(core.response_seconds[j] * 1000);
        const std::int64_t handle_ms = round_nonnegative(core.handle_seconds[j] * 1000);
        csum[cs_response_ms] += response_ms, csum[cs_responses] += responses, csum[cs_handle_ms] += handle_ms,
            ++csum[cs_handled];
        if (th->average_response && responses > 0) {
          ++c[c_art_targeted];
          if (response_ms <= *th->average_response * 1000 * responses) ++c[c_art_within];
        }
        if (th->handling) {
          ++c[c_aht_targeted];
          if (handle_ms <= *th->handling * 1000) ++c[c_aht_within];
        }
        if (late && !std::isnan(core.qc_score[j])) ++c[c_qc_late];
      }
      // Optional flags: known and true.
      const auto flag = [&](auto which, counter known, counter yes) {
        const double* v = number[slot_of(decltype(which)::value)];
        if (!v) return;
        const int f = flag_of<decltype(which)::value>(v[j], i);
        if (f >= 0) ++c[known], c[yes] += f;
      };
      flag(tag<column::repurchased_30d>, c_repurchase_n, c_repurchased);
      flag(tag<column::script_compliant>, c_script_n, c_script_ok);
      flag(tag<column::record_complete>, c_record_n, c_record_ok);
      flag(tag<column::complaint_upheld>, c_upheld_n, c_upheld);
      flag(tag<column::standard_executed>, c_std_executed_n, c_std_executed);
      flag(tag<column::standard_known>, c_std_known_n, c_std_known);
      flag(tag<column::standard_resolved>, c_std_resolved_n, c_std_resolved);

      // Queue wait in 003's bands (DOM-SLA-7): a band's upper bound belongs to it (30 s is patient waiting).
      if (const double* queue_v = number[slot_of(column::queue_seconds)]) {
        const std::int64_t ms = optional_millis_of<column::queue_seconds>(queue_v[j], i);
        if (ms >= 0) {
          ++c[c_queue_n];
          c[c_queue_ms] += ms;
          ++c[ms <= wait_ms[0] ? c_queue_patient
                : ms <= wait_ms[1] ? c_queue_explain
                : ms <= wait_ms[2] ? c_queue_alternatives
                                   : c_queue_risk];
        }
      }

      // SLA clocks: met when the event happened by the deadline; an event that has not happened counts
      // as not met.
      for (std::size_t k = 0; k < n_sla; ++k) {
        const sla_target& sla = goals->sla[k];
        ++s.sla[2 * k + 1];
        const std::int64_t at = sla.until == sla_event::first_response ? (frt >= 0 ? created + frt : missing_instant)
                                                                       : core.resolved[j];
        if (at == missing_instant) continue;
        if (instant::from_unix(at) <= sla.deadline(instant::from_unix(created))) ++s.sla[2 * k];
      }
    };

    if (!row_values_fast(core, m, pass_mark, values)) {
      // A bad value: the chunk's rows again, each checked column by column as the table lists them, so
      // that the error is the first one in row order (a row's later columns and clocks may throw first).
      group_stats scratch = t.fresh_stats();
      for (std::size_t j = 0; j < m; ++j) {
        const std::size_t i = from + j;
        if (per_channel) check_channel(j);
        if (core.first[j] != missing_instant && core.first[j] - core.created[j] < 0)
          bad(name_of(column::first_response_at), i, "is before created_at");
        count_of<column::responses>(core.responses[j], i);
        millis_of<column::response_seconds>(core.response_seconds[j], i);
        millis_of<column::handle_seconds>(core.handle_seconds[j], i);
        count_of<column::contacts>(core.contacts[j], i);
        flag_of<column::escalated>(core.escalated[j], i);
        flag_of<column::reopened>(core.reopened[j], i);
        if (core.resolved[j] != missing_instant && core.resolved[j] < core.created[j])
          bad(name_of(column::resolved_at), i, "is before created_at");
        score_of<column::csat>(core.csat[j], i);
        score_of<column::nps>(core.nps[j], i);
        score_of<column::qc_score>(core.qc_score[j], i);
        extra_row(scratch, j);
      }
      row_values_exact(core, 0, m, pass_mark, values);  // no error: a count of 2^52 or more
    }
    add_rows(values, slots.data(), m, sums.data());
    if (extras) {
      for (std::size_t j = 0; j < m; ++j) {
        if (per_channel) check_channel(j);
        extra_row(stats[static_cast<std::size_t>(slots[j])], j);
      }
    }

    // FRT sketches, in a loop of their own: the count of a row a few ahead is prefetched while this
    // row's is counted.
    if (has_first) {
      std::uint32_t* const place = reinterpret_cast<std::uint32_t*>(gbuf.data());  // the group indices are done
      std::size_t kept = 0;
      for (std::size_t j = 0; j < m; ++j) {
        const std::int64_t x = values.frt[j];
        if (x <= 0 || x >= sketch_mapping::table_limit) {
          if (x >= 0) stats[static_cast<std::size_t>(slots[j])].frt.add_whole(x, mapping);
          continue;
        }
        place[kept] = frt.place(static_cast<std::size_t>(slots[j]), mapping.index_whole(x));
        if (place[kept] == frt_counts::direct) stats[static_cast<std::size_t>(slots[j])].frt.add_whole(x, mapping);
        else ++kept;
      }
      constexpr std::size_t ahead = 16;
      for (std::size_t j = 0; j < kept; ++j) {
#if defined(__GNUC__)
        if (j + ahead < kept) __builtin_prefetch(frt.at(place[j + ahead]), 1);
#endif
        frt.add(place[j], stats);
      }
    }
    if ((chunk + 1) % (block_rows / chunk_rows) == 0) flush(sums, stats);
  }
  flush(sums, stats);
  frt.flush(stats);

  // Keys from group indices.
  t.keys_.resize(stats.size());
  for (std::size_t g = 0; g < stats.size(); ++g) {
    std::int64_t gi = slot_index[g];
    group_key& k = t.keys_[g];
    if (opt.per != period::none) {
      k.period_start = period_start(opt.per, gi % np + pmin);
      gi /= np;
    }
    for (std::size_t j = dims.size(); j-- > 0;) {
      k.codes[dims[j]] = static_cast<std::int32_t>(gi % radix[j]);
      gi /= radix[j];
    }
  }
  for (std::size_t d = 0; d < dimension_count; ++d) t.labels_[d] = r.of(static_cast<dimension>(d)).labels;
  for (auto d : opt.by)
    if (t.labels_[static_cast<std::size_t>(d)].empty()) t.labels_[static_cast<std::size_t>(d)].push_back("");
  t.sort_groups();
  return t;
}

table compute(const records& r, const options& opt, unsigned threads) {
  if (threads <= 1 || r.rows < 2 * static_cast<std::size_t>(threads)) return compute(r, opt);
  check_shape(r, false);
  std::vector<table> parts(threads, table(opt));
  kefu::detail::parallel_shares(r.rows, threads, [&](std::size_t k, std::size_t from, std::size_t to) {
    try {
      parts[k] = compute(slice(r, from, to), opt);
    } catch (const column_error& e) {
      throw e.shifted(static_cast<std::int64_t>(from));  // rows of the whole records, not of the share
    }
  });
  table out = std::move(parts[0]);
  for (unsigned k = 1; k < threads; ++k) out.merge(parts[k]);
  return out;
}

}  // namespace kefu::kpi
