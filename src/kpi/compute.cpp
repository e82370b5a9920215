// KPIs: the one pass over the records (kefu::kpi::compute, declared in kefu/kpi/table.hpp).
//
// Rows are read in chunks: each column is decoded once per chunk (one switch on its storage type, a loop
// the compiler vectorises), then the chunk's rows are accumulated from plain arrays into the group's
// integer counters (table.hpp), the per-channel sums, the SLA pairs and the FRT sketch. Which column
// feeds which counter is written here, column by column; the column table (records.hpp) gives the
// columns' names, buffer slots and value rules (counts, seconds, scores, flags), checked at compile time.
#include <kefu/detail/civil.hpp>
#include <kefu/detail/parallel.hpp>
#include <kefu/kpi/table.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <type_traits>
#include <unordered_map>
#include <vector>

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
  return x - static_cast<double>(k) >= 0.5 ? k + 1 : k;
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

  const sketch_mapping& mapping = t.mapping_;
  const double pass_mark = t.opt_.qc_pass_mark;
  const std::array<std::int64_t, 3> wait_ms{t.opt_.wait_bands[0] * 1000, t.opt_.wait_bands[1] * 1000,
                                            t.opt_.wait_bands[2] * 1000};
  const std::size_t n_sla = goals ? goals->sla.size() : 0;

  // Per-chunk buffers: cn values per instant column (as UTC seconds), per grouping column and the
  // channel (as int32 codes) and per number column (as doubles), instants and numbers at their slot_of().
  constexpr std::size_t cn = chunk_rows;
  constexpr std::size_t n_numbers = columns_of_kind(column_kind::number);
  std::vector<std::int64_t> ibuf(columns_of_kind(column_kind::instant) * cn), gbuf(cn);
  std::vector<std::int32_t> cbuf((dimension_count + 1) * cn), slots(cn);
  std::vector<double> nbuf(n_numbers * cn);
  std::int64_t* const created_s = ibuf.data() + slot_of(column::created_at) * cn;
  std::int64_t* const first_s = ibuf.data() + slot_of(column::first_response_at) * cn;
  std::int64_t* const resolved_s = ibuf.data() + slot_of(column::resolved_at) * cn;
  std::array<const double*, n_numbers> number{};  // a chunk of each number column; null when absent
  const bool has_first = r.first_response_at.present(), has_resolved = r.resolved_at.present();

  for (std::size_t from = 0; from < n; from += cn) {
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

    // Columns of the chunk.
    const std::int32_t* channel_codes =
        per_channel ? codes_of(r.channel, from, m, cbuf.data() + dimension_count * cn) : nullptr;
    for_each_column(r, [&](column c, const auto& field) {
      if constexpr (std::is_same_v<std::decay_t<decltype(field)>, number_column>)
        number[slot_of(c)] = field.present() ? doubles(field, from, m, nbuf.data() + slot_of(c) * cn) : nullptr;
    });
    const auto col = [&](column c) { return number[slot_of(c)]; };
    const double* handle = col(column::handle_seconds);
    const double* responses_v = col(column::responses);
    const double* response_s = col(column::response_seconds);
    const double* contacts_v = col(column::contacts);
    const double* escalated_v = col(column::escalated);
    const double* reopened_v = col(column::reopened);
    const double* csat_v = col(column::csat);
    const double* nps_v = col(column::nps);
    const double* qc_v = col(column::qc_score);
    const double* repurchased_v = col(column::repurchased_30d);
    const double* script_v = col(column::script_compliant);
    const double* record_v = col(column::record_complete);
    const double* upheld_v = col(column::complaint_upheld);
    const double* queue_v = col(column::queue_seconds);
    const double* std_executed_v = col(column::standard_executed);
    const double* std_known_v = col(column::standard_known);
    const double* std_resolved_v = col(column::standard_resolved);

    std::int64_t* const frt_buf = gi;  // the group indices are no longer needed: FRT per row, -1 = none
    std::fill(frt_buf, frt_buf + m, -1);
    for (std::size_t j = 0; j < m; ++j) {
      const std::size_t i = from + j;
#if defined(__GNUC__)
      if (j + 4 < m) {  // the group a few rows ahead: its counters span a few cache lines
        const char* ahead = reinterpret_cast<const char*>(stats[static_cast<std::size_t>(slots[j + 4])].c.data());
        for (std::size_t b = 0; b < sizeof(group_stats::c); b += 64) __builtin_prefetch(ahead + b, 1);
      }
#endif
      group_stats& s = stats[static_cast<std::size_t>(slots[j])];
      auto& c = s.c;
      ++c[c_tickets];

      const std::int32_t ch = per_channel ? channel_codes[j] : -1;
      if (per_channel && (ch < 0 || static_cast<std::size_t>(ch) >= channel_slot.size()))
        bad(name_of(column::channel), i, ch < 0 ? "missing value (targets have per-channel thresholds)" : "code out of range");
      const std::int32_t cs = per_channel ? channel_slot[static_cast<std::size_t>(ch)] : -1;
      const channel_thresholds* th = cs >= 0 ? thresholds[static_cast<std::size_t>(cs)] : nullptr;
      std::int64_t* csum = cs >= 0 ? s.channel_sums.data() + static_cast<std::size_t>(cs) * channel_sum_width : nullptr;

      // First response.
      const std::int64_t created = created_s[j];
      std::int64_t frt = -1;
      if (has_first && first_s[j] != missing_instant) {
        frt = first_s[j] - created;
        frt_buf[j] = frt;
        if (frt < 0) bad(name_of(column::first_response_at), i, "is before created_at");
        ++c[c_responded];
        c[c_frt_sum] += frt;
        if (csum) csum[cs_frt_sum] += frt, ++csum[cs_frt_n];
      }
      bool late = false;
      if (th && th->first_response) {
        ++c[c_frt_targeted];
        if (frt >= 0 && frt <= *th->first_response) ++c[c_frt_within];
        else late = true;
      }

      // Responses over the conversation, handling.
      const std::int64_t responses = count_of<column::responses>(responses_v[j], i);
      const std::int64_t response_ms = millis_of<column::response_seconds>(response_s[j], i);
      const std::int64_t handle_ms = millis_of<column::handle_seconds>(handle[j], i);
      c[c_responses] += responses;
      c[c_response_ms] += response_ms;
      c[c_handle_ms] += handle_ms;
      if (csum)
        csum[cs_response_ms] += response_ms, csum[cs_responses] += responses, csum[cs_handle_ms] += handle_ms,
            ++csum[cs_handled];
      if (th && th->average_response && responses > 0) {
        ++c[c_art_targeted];
        if (response_ms <= *th->average_response * 1000 * responses) ++c[c_art_within];
      }
      if (th && th->handling) {
        ++c[c_aht_targeted];
        if (handle_ms <= *th->handling * 1000) ++c[c_aht_within];
      }

      // Resolution, first-contact resolution, escalation, reopening.
      const std::int64_t contacts = count_of<column::contacts>(contacts_v[j], i);
      const int escalated = flag_of<column::escalated>(escalated_v[j], i);
      const int reopened = flag_of<column::reopened>(reopened_v[j], i);
      std::int64_t resolved_at = missing_instant;
      if (has_resolved && resolved_s[j] != missing_instant) {
        resolved_at = resolved_s[j];
        if (resolved_at < created) bad(name_of(column::resolved_at), i, "is before created_at");
        ++c[c_resolved];
        c[c_resolution_sum] += resolved_at - created;
        if (contacts <= 1 && !reopened) ++c[c_fcr];
      }
      c[c_escalated] += escalated;
      c[c_reopened] += reopened;

      // Customer feedback.
      if (csat_v) {
        const double csat = score_of<column::csat>(csat_v[j], i);
        if (!std::isnan(csat)) {
          ++c[c_csat_n];
          c[c_csat_sum] += static_cast<std::int64_t>(csat);
          if (csat >= 4) ++c[c_csat_satisfied];
        }
      }
      if (nps_v) {
        const double nps = score_of<column::nps>(nps_v[j], i);
        if (!std::isnan(nps)) {
          ++c[c_nps_n];
          if (nps >= 9) ++c[c_promoters];
          else if (nps <= 6) ++c[c_detractors];
        }
      }
      if (qc_v) {
        const double qc = score_of<column::qc_score>(qc_v[j], i);
        if (!std::isnan(qc)) {
          ++c[c_qc_n];
          c[c_qc_centi] += round_nonnegative(qc * 100);
          if (qc >= pass_mark) ++c[c_qc_pass];
          if (late) ++c[c_qc_late];
        }
      }
      // Optional flags: known and true.
      const auto flag = [&](auto which, const double* v, counter known, counter yes) {
        if (!v) return;
        const int f = flag_of<decltype(which)::value>(v[j], i);
        if (f >= 0) ++c[known], c[yes] += f;
      };
      flag(tag<column::repurchased_30d>, repurchased_v, c_repurchase_n, c_repurchased);
      flag(tag<column::script_compliant>, script_v, c_script_n, c_script_ok);
      flag(tag<column::record_complete>, record_v, c_record_n, c_record_ok);
      flag(tag<column::complaint_upheld>, upheld_v, c_upheld_n, c_upheld);
      flag(tag<column::standard_executed>, std_executed_v, c_std_executed_n, c_std_executed);
      flag(tag<column::standard_known>, std_known_v, c_std_known_n, c_std_known);
      flag(tag<column::standard_resolved>, std_resolved_v, c_std_resolved_n, c_std_resolved);

      // Queue wait in 003's bands (DOM-SLA-7): a band's upper bound belongs to it (30 s is patient waiting).
      if (queue_v) {
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
                                                                       : resolved_at;
        if (at == missing_instant) continue;
        if (instant::from_unix(at) <= sla.deadline(instant::from_unix(created))) ++s.sla[2 * k];
      }
    }

    // FRT sketches, in a loop of their own: with hundreds of groups the sketches' buckets do not fit
    // in the caches, so the bucket a few rows ahead is prefetched while this row's is counted.
    if (has_first) {
      std::int32_t* const bucket = cbuf.data();  // the code buffers are no longer needed
      std::size_t kept = 0;
      for (std::size_t j = 0; j < m; ++j) {
        if (frt_buf[j] < 0) continue;
        bucket[kept] = frt_buf[j] == 0 ? quantile_sketch::zero_bucket : mapping.index_whole(frt_buf[j]);
        slots[kept] = slots[j];
        ++kept;
      }
      constexpr std::size_t ahead = 8;
      for (std::size_t j = 0; j < kept; ++j) {
#if defined(__GNUC__)
        if (j + ahead < kept)
          __builtin_prefetch(stats[static_cast<std::size_t>(slots[j + ahead])].frt.address_of(bucket[j + ahead]), 1);
#endif
        stats[static_cast<std::size_t>(slots[j])].frt.add_bucket(bucket[j]);
      }
    }
  }

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
