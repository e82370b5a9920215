// kefu — KPIs grouped by agent, team, channel, category and period (DOM-KPI-1, DOM-KPI-7).
//
// compute() reads the records once and keeps, per group, integer accumulators (counts and sums in
// seconds, milliseconds or hundredths) and a quantile sketch of first-response times. Every
// accumulator merges by addition, so tables computed on partitions (threads, Dask workers) and
// merged are identical to the table of all rows: counts, sums, means and rates exactly, percentiles
// exactly too (the sketches add bucket by bucket), within the sketch's relative accuracy of the
// true percentile. Formulas: docs/kpis.md and metrics.hpp.
#pragma once

#include <kefu/detail/civil.hpp>
#include <kefu/kpi/records.hpp>
#include <kefu/kpi/sketch.hpp>
#include <kefu/kpi/targets.hpp>
#include <kefu/time.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <map>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace kefu::kpi {

/// Calendar periods (in the options' zone; weeks start on Monday).
enum class period : std::uint8_t { none, day, week, month };

inline const char* to_string(period p) noexcept {
  switch (p) {
    case period::none: return "none";
    case period::day: return "day";
    case period::week: return "week";
    case period::month: return "month";
  }
  return "?";
}

inline period parse_period(std::string_view t) {
  if (t == "none" || t.empty()) return period::none;
  if (t == "day") return period::day;
  if (t == "week") return period::week;
  if (t == "month") return period::month;
  throw error("unknown period '" + std::string(t) + "' (expected day, week or month)");
}

inline dimension parse_dimension(std::string_view t) {
  for (std::size_t d = 0; d < dimension_count; ++d)
    if (t == to_string(static_cast<dimension>(d))) return static_cast<dimension>(d);
  throw error("cannot group by '" + std::string(t) + "' (expected agent, team, channel, category or period)");
}

struct options {
  std::vector<dimension> by;       ///< grouping dimensions, in output order
  period per = period::none;       ///< grouping period of created_at
  time_zone zone = time_zone::fixed(seconds(8 * 3600));  ///< local dates for periods (+08:00)
  targets_ptr goals;               ///< thresholds, SLA clocks and goals (optional)
  double relative_accuracy = 0.005;  ///< of the FRT percentiles
  double qc_pass_mark = 60;        ///< used when there are no goals (goals carry their own)
};

/// The scalar accumulators of one group. All are integers; see metrics.hpp for their use.
enum counter : std::size_t {
  c_tickets, c_responded, c_frt_sum, c_frt_targeted, c_frt_within,
  c_responses, c_response_ms, c_handle_ms, c_art_targeted, c_art_within, c_aht_targeted, c_aht_within,
  c_resolved, c_resolution_sum, c_fcr, c_escalated, c_reopened,
  c_csat_n, c_csat_sum, c_csat_satisfied, c_nps_n, c_promoters, c_detractors,
  c_qc_n, c_qc_centi, c_qc_pass, c_qc_late,
  c_repurchase_n, c_repurchased, c_script_n, c_script_ok, c_record_n, c_record_ok, c_upheld_n, c_upheld,
  counter_count
};

/// Per targeted channel: FRT sum and count, response ms and responses, handle ms and count.
constexpr std::size_t channel_sum_width = 6;

struct group_stats {
  std::array<std::int64_t, counter_count> c{};
  std::vector<std::int64_t> channel_sums;  ///< channel_sum_width per channel with thresholds
  std::vector<std::int64_t> sla;           ///< met, total per SLA target
  quantile_sketch frt;

  void merge(const group_stats& o) {
    for (std::size_t k = 0; k < counter_count; ++k) c[k] += o.c[k];
    for (std::size_t k = 0; k < channel_sums.size(); ++k) channel_sums[k] += o.channel_sums[k];
    for (std::size_t k = 0; k < sla.size(); ++k) sla[k] += o.sla[k];
    frt.merge(o.frt);
  }
  friend bool operator==(const group_stats& a, const group_stats& b) {
    return a.c == b.c && a.channel_sums == b.channel_sums && a.sla == b.sla && a.frt == b.frt;
  }
};

/// A group's key: a label index per grouping dimension (into the table's labels) and the period's
/// first local day (days since 1970-01-01; 0 when not grouped by period).
struct group_key {
  std::array<std::int32_t, dimension_count> codes{};
  std::int64_t period_start = 0;
  friend bool operator<(const group_key& a, const group_key& b) {
    return a.codes != b.codes ? a.codes < b.codes : a.period_start < b.period_start;
  }
  friend bool operator==(const group_key& a, const group_key& b) {
    return a.codes == b.codes && a.period_start == b.period_start;
  }
};

class table;
table compute(const records& r, const options& opt);

/// KPI accumulators per group. Mergeable (merge), serialisable (to_bytes / from_bytes).
class table {
 public:
  explicit table(options opt) : opt_(std::move(opt)), mapping_(opt_.relative_accuracy) {
    if (opt_.goals) {
      opt_.qc_pass_mark = opt_.goals->qc_pass_mark;
      for (const auto& c : opt_.goals->channels) targeted_channels_.push_back(c.channel);
    }
    labels_.resize(dimension_count);
  }

  const options& config() const noexcept { return opt_; }
  const sketch_mapping& mapping() const noexcept { return mapping_; }
  std::size_t size() const noexcept { return keys_.size(); }
  const group_key& key(std::size_t g) const { return keys_[g]; }
  const group_stats& stats(std::size_t g) const { return stats_[g]; }
  /// The label of a group's value of a grouping dimension.
  const std::string& label(std::size_t g, dimension d) const {
    return labels_[static_cast<std::size_t>(d)][static_cast<std::size_t>(keys_[g].codes[static_cast<std::size_t>(d)])];
  }
  /// Channels with per-channel thresholds, in the goals' order.
  const std::vector<std::string>& targeted_channels() const noexcept { return targeted_channels_; }

  /// A text that is equal for tables whose options agree (what merge checks).
  std::string fingerprint() const {
    std::string f = "by=";
    for (auto d : opt_.by) f += std::string(to_string(d)) + ",";
    f += ";per=" + std::string(to_string(opt_.per)) + ";zone=" + std::to_string(opt_.zone.offset().count());
    f += ";alpha=" + std::to_string(opt_.relative_accuracy) + ";qc=" + std::to_string(opt_.qc_pass_mark);
    if (opt_.goals) {
      f += ";goals=" + opt_.goals->name;
      for (const auto& c : opt_.goals->channels)
        f += ";" + c.channel + ":" + std::to_string(c.first_response.value_or(-1)) + "/" +
             std::to_string(c.average_response.value_or(-1)) + "/" + std::to_string(c.handling.value_or(-1));
      for (const auto& s : opt_.goals->sla)
        f += ";sla:" + s.name + ":" + calendar::to_string(s.within) + ":" + to_string(s.until) + ":" +
             (s.on ? s.on->name() : std::string());
    }
    return f;
  }

  /// Adds another table's groups (computed with the same options) into this one. Exact.
  void merge(const table& o) {
    if (o.fingerprint() != fingerprint())
      throw error("cannot merge KPI tables computed with different options (" + o.fingerprint() + " vs " +
                  fingerprint() + ")");
    std::vector<std::vector<std::int32_t>> remap(dimension_count);
    for (std::size_t d = 0; d < dimension_count; ++d)
      for (const auto& l : o.labels_[d]) remap[d].push_back(intern(d, l));
    std::map<group_key, std::size_t> index;
    for (std::size_t g = 0; g < keys_.size(); ++g) index.emplace(keys_[g], g);
    for (std::size_t g = 0; g < o.keys_.size(); ++g) {
      group_key k = o.keys_[g];
      for (auto d : opt_.by) {
        const auto i = static_cast<std::size_t>(d);
        k.codes[i] = remap[i][static_cast<std::size_t>(k.codes[i])];
      }
      const auto it = index.find(k);
      if (it == index.end()) {
        index.emplace(k, keys_.size());
        keys_.push_back(k);
        stats_.push_back(o.stats_[g]);
      } else {
        stats_[it->second].merge(o.stats_[g]);
      }
    }
    sort_groups();
  }

  /// Binary form for shipping partial tables between processes (same byte order on both sides).
  std::string to_bytes() const {
    std::string out = "KEFUKPI2";
    put_string(out, fingerprint());
    for (std::size_t d = 0; d < dimension_count; ++d) {
      put(out, static_cast<std::uint64_t>(labels_[d].size()));
      for (const auto& l : labels_[d]) put_string(out, l);
    }
    put(out, static_cast<std::uint64_t>(keys_.size()));
    for (std::size_t g = 0; g < keys_.size(); ++g) {
      for (auto code : keys_[g].codes) put(out, code);
      put(out, keys_[g].period_start);
      const group_stats& s = stats_[g];
      for (auto v : s.c) put(out, v);
      for (auto v : s.channel_sums) put(out, v);
      for (auto v : s.sla) put(out, v);
      // The sketch sparsely: its non-empty buckets as (gap from the previous one, count), in varints.
      put(out, s.frt.zero_count());
      put(out, s.frt.offset());
      const auto& counts = s.frt.counts();
      std::uint64_t nonzero = 0;
      for (auto v : counts) nonzero += v != 0;
      put_varint(out, counts.size());
      put_varint(out, nonzero);
      std::size_t last = 0;
      for (std::size_t k = 0; k < counts.size(); ++k)
        if (counts[k]) {
          put_varint(out, k - last);
          put_varint(out, counts[k]);
          last = k;
        }
    }
    return out;
  }

  /// Reads to_bytes() output into a table with the same options (checked).
  static table from_bytes(std::string_view bytes, const options& opt) {
    table t(opt);
    reader in{bytes, 0};
    if (bytes.substr(0, 8) != "KEFUKPI2") throw error("not a kefu KPI partial (bad header)");
    in.pos = 8;
    const std::string fp = in.str();
    if (fp != t.fingerprint())
      throw error("KPI partial was computed with different options (" + fp + " vs " + t.fingerprint() + ")");
    for (std::size_t d = 0; d < dimension_count; ++d) {
      const auto n = in.get<std::uint64_t>();
      for (std::uint64_t k = 0; k < n; ++k) t.intern(d, in.str());
    }
    const auto groups = in.get<std::uint64_t>();
    for (std::uint64_t g = 0; g < groups; ++g) {
      group_key k;
      for (auto& code : k.codes) code = in.get<std::int32_t>();
      k.period_start = in.get<std::int64_t>();
      group_stats s = t.fresh_stats();
      for (auto& v : s.c) v = in.get<std::int64_t>();
      for (auto& v : s.channel_sums) v = in.get<std::int64_t>();
      for (auto& v : s.sla) v = in.get<std::int64_t>();
      const auto zero = in.get<std::uint64_t>();
      const auto offset = in.get<std::int32_t>();
      const std::uint64_t size = in.varint(), nonzero = in.varint();
      if (size > (std::uint64_t(1) << 24) || nonzero > size) throw error("KPI partial is corrupt (sketch size)");
      std::vector<std::uint64_t> counts(static_cast<std::size_t>(size));
      std::uint64_t at = 0;
      for (std::uint64_t k = 0; k < nonzero; ++k) {
        at += in.varint();
        if (at >= size) throw error("KPI partial is corrupt (sketch bucket)");
        counts[static_cast<std::size_t>(at)] = in.varint();
      }
      s.frt = quantile_sketch::from_state(zero, offset, std::move(counts));
      t.keys_.push_back(k);
      t.stats_.push_back(std::move(s));
    }
    if (in.pos != bytes.size()) throw error("KPI partial has trailing bytes");
    t.sort_groups();
    return t;
  }

  friend bool operator==(const table& a, const table& b) {
    if (a.fingerprint() != b.fingerprint() || a.size() != b.size()) return false;
    for (std::size_t g = 0; g < a.size(); ++g) {
      if (a.keys_[g].period_start != b.keys_[g].period_start) return false;
      for (auto d : a.opt_.by)
        if (a.label(g, d) != b.label(g, d)) return false;
      if (!(a.stats_[g] == b.stats_[g])) return false;
    }
    return true;
  }

 private:
  friend table compute(const records& r, const options& opt);

  group_stats fresh_stats() const {
    group_stats s;
    s.channel_sums.assign(targeted_channels_.size() * channel_sum_width, 0);
    s.sla.assign(opt_.goals ? opt_.goals->sla.size() * 2 : 0, 0);
    return s;
  }
  std::int32_t intern(std::size_t d, const std::string& l) {
    auto& v = labels_[d];
    const auto it = std::find(v.begin(), v.end(), l);
    if (it != v.end()) return static_cast<std::int32_t>(it - v.begin());
    v.push_back(l);
    return static_cast<std::int32_t>(v.size() - 1);
  }
  /// Groups in label order, then period order: the same order whatever the partitioning.
  void sort_groups() {
    std::vector<std::size_t> order(keys_.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      for (auto d : opt_.by) {
        const auto i = static_cast<std::size_t>(d);
        const auto& la = labels_[i][static_cast<std::size_t>(keys_[a].codes[i])];
        const auto& lb = labels_[i][static_cast<std::size_t>(keys_[b].codes[i])];
        if (la != lb) return la < lb;
      }
      return keys_[a].period_start < keys_[b].period_start;
    });
    std::vector<group_key> keys;
    std::vector<group_stats> stats;
    keys.reserve(order.size());
    stats.reserve(order.size());
    for (auto k : order) {
      keys.push_back(keys_[k]);
      stats.push_back(std::move(stats_[k]));
    }
    keys_ = std::move(keys);
    stats_ = std::move(stats);
  }

  template <class T>
  static void put(std::string& out, T v) {
    char buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));
    out.append(buf, sizeof(T));
  }
  static void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
      out.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out.push_back(static_cast<char>(v));
  }
  static void put_string(std::string& out, const std::string& s) {
    put(out, static_cast<std::uint64_t>(s.size()));
    out += s;
  }
  struct reader {
    std::string_view b;
    std::size_t pos;
    template <class T>
    T get() {
      if (pos + sizeof(T) > b.size()) throw error("KPI partial is truncated");
      T v;
      std::memcpy(&v, b.data() + pos, sizeof(T));
      pos += sizeof(T);
      return v;
    }
    std::uint64_t varint() {
      std::uint64_t v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= b.size()) throw error("KPI partial is truncated");
        const auto byte = static_cast<unsigned char>(b[pos++]);
        v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
        if (!(byte & 0x80)) return v;
      }
      throw error("KPI partial is corrupt (varint)");
    }
    std::string str() {
      const auto n = get<std::uint64_t>();
      if (pos + n > b.size()) throw error("KPI partial is truncated");
      std::string s(b.substr(pos, n));
      pos += n;
      return s;
    }
  };

  options opt_;
  sketch_mapping mapping_;
  std::vector<std::string> targeted_channels_;
  std::vector<std::vector<std::string>> labels_;
  std::vector<group_key> keys_;
  std::vector<group_stats> stats_;
};

namespace detail {

/// The period ordinal of a local day: the day itself, the week (Monday-based) or the month.
inline std::int64_t period_ordinal(period p, std::int64_t day) noexcept {
  switch (p) {
    case period::none: return 0;
    case period::day: return day;
    case period::week: return kefu::detail::floor_div(day + 3, 7);  // 1970-01-01 is a Thursday
    case period::month: {
      const auto c = kefu::detail::civil_from_days(day);
      return c.year * 12 + static_cast<std::int64_t>(c.month) - 1;
    }
  }
  return 0;
}
/// The first local day of a period ordinal.
inline std::int64_t period_start(period p, std::int64_t ordinal) noexcept {
  switch (p) {
    case period::none: return 0;
    case period::day: return ordinal;
    case period::week: return ordinal * 7 - 3;
    case period::month: {
      const std::int64_t y = kefu::detail::floor_div(ordinal, 12);
      return kefu::detail::days_from_civil(y, static_cast<unsigned>(ordinal - y * 12 + 1), 1);
    }
  }
  return 0;
}

[[noreturn]] inline void bad(const char* column, std::size_t row, const std::string& what) {
  throw column_error(column, static_cast<std::int64_t>(row), what);
}

/// Rows are read in chunks: each column is decoded once per chunk (one switch on its storage type,
/// a loop the compiler vectorises), then the chunk's rows are accumulated from plain arrays.
constexpr std::size_t chunk_rows = 1024;

/// Values [from, from + n) of a number column as doubles: the column itself when it stores float64,
/// else converted into `buf`.
inline const double* doubles(const number_column& c, std::size_t from, std::size_t n, double* buf) noexcept {
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
inline const std::int32_t* codes_of(const label_column& c, std::size_t from, std::size_t n,
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
inline void utc_seconds(const instant_column& c, std::size_t from, std::size_t n, std::int64_t unit,
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

KEFU_KPI_COLD [[noreturn]] inline void bad_count(double v, const char* name, std::size_t i) {
  if (std::isnan(v)) bad(name, i, "missing value (a count is required)");
  if (v >= whole_limit) bad(name, i, format_number(v) + " is too large for a count");
  bad(name, i, format_number(v) + " is not a whole number ≥ 0");
}
KEFU_KPI_COLD [[noreturn]] inline void bad_seconds(double v, const char* name, std::size_t i) {
  if (std::isnan(v)) bad(name, i, "missing value (seconds are required)");
  if (v < 0) bad(name, i, format_number(v) + " seconds is negative");
  bad(name, i, format_number(v) + " seconds is too large (over 10^12)");
}
KEFU_KPI_COLD [[noreturn]] inline void bad_flag(double v, const char* name, std::size_t i) {
  if (std::isnan(v)) bad(name, i, "missing value (true or false is required)");
  bad(name, i, format_number(v) + " is not a flag (expected 0/1 or true/false)");
}
KEFU_KPI_COLD [[noreturn]] inline void bad_score(double v, const char* name, std::size_t i, double lo, double hi,
                                                 bool whole) {
  bad(name, i,
      format_number(v) + " is outside " + format_number(lo) + "–" + format_number(hi) + (whole ? " (whole numbers)" : ""));
}

/// A count: a whole number ≥ 0; errors name the column and row.
inline std::int64_t count_of(double v, const char* name, std::size_t i) {
  if (v >= 0 && v < whole_limit) {
    const auto k = static_cast<std::int64_t>(v);
    if (static_cast<double>(k) == v) return k;
  }
  bad_count(v, name, i);
}
/// x ≥ 0 (below 2^62) rounded half up: std::llround for such values, without a library call.
inline std::int64_t round_nonnegative(double x) noexcept {
  const auto k = static_cast<std::int64_t>(x);
  return x - static_cast<double>(k) >= 0.5 ? k + 1 : k;
}
/// Seconds ≥ 0 as whole milliseconds (rounded half up).
inline std::int64_t millis_of(double v, const char* name, std::size_t i) {
  if (v >= 0 && v < 1e12) return round_nonnegative(v * 1000);
  bad_seconds(v, name, i);
}
/// 0 or 1; -1 when missing and `optional`.
inline int flag_of(double v, const char* name, std::size_t i, bool optional) {
  if (v == 0) return 0;
  if (v == 1) return 1;
  if (optional && std::isnan(v)) return -1;
  bad_flag(v, name, i);
}
/// An optional score in [lo, hi] (whole when `whole`); NaN when missing.
inline double score_of(double v, const char* name, std::size_t i, double lo, double hi, bool whole) {
  if (std::isnan(v)) return v;
  if (v < lo || v > hi || (whole && static_cast<double>(static_cast<std::int64_t>(v)) != v))
    bad_score(v, name, i, lo, hi, whole);
  return v;
}

}  // namespace detail

/// Reads the records once and returns the KPI accumulators per group.
inline table compute(const records& r, const options& opt) {
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
        detail::bad("created_at", i, "missing value (every ticket has a creation instant)");
  const auto local_day = [&](std::int64_t utc) { return kefu::detail::floor_div(utc + zone_offset, 86400); };
  std::int64_t pmin = 0, pmax = 0, dmin = 0;
  std::vector<std::int64_t> day_ordinal;
  if (n > 0 && opt.per != period::none) {
    dmin = local_day(kefu::detail::floor_div(lo, unit) - offset);
    const std::int64_t dmax = local_day(kefu::detail::floor_div(hi, unit) - offset);
    pmin = detail::period_ordinal(opt.per, dmin);
    pmax = detail::period_ordinal(opt.per, dmax);
    if (dmax - dmin < (std::int64_t(1) << 22)) {
      day_ordinal.resize(static_cast<std::size_t>(dmax - dmin + 1));
      for (std::int64_t d = dmin; d <= dmax; ++d)
        day_ordinal[static_cast<std::size_t>(d - dmin)] = detail::period_ordinal(opt.per, d) - pmin;
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
  const std::size_t n_sla = goals ? goals->sla.size() : 0;

  // Per-chunk buffers.
  constexpr std::size_t cn = detail::chunk_rows;
  std::vector<std::int64_t> ibuf(3 * cn), gbuf(cn);
  std::vector<std::int32_t> cbuf((dimension_count + 1) * cn), slots(cn);
  std::vector<double> nbuf(13 * cn);
  const auto nb = [&](std::size_t k) { return nbuf.data() + k * cn; };
  std::int64_t* const created_s = ibuf.data();
  std::int64_t* const first_s = ibuf.data() + cn;
  std::int64_t* const resolved_s = ibuf.data() + 2 * cn;
  const bool has_first = r.first_response_at.present(), has_resolved = r.resolved_at.present();

  for (std::size_t from = 0; from < n; from += cn) {
    const std::size_t m = std::min(cn, n - from);

    // Instants as UTC seconds.
    detail::utc_seconds(r.created_at, from, m, unit, offset, created_s);
    if (has_first) detail::utc_seconds(r.first_response_at, from, m, unit, offset, first_s);
    if (has_resolved) detail::utc_seconds(r.resolved_at, from, m, unit, offset, resolved_s);

    // Group of each row.
    std::int64_t* const gi = gbuf.data();
    std::fill(gi, gi + m, 0);
    for (std::size_t k = 0; k < group_cols.size(); ++k) {
      const std::int32_t* codes = detail::codes_of(*group_cols[k], from, m, cbuf.data() + k * cn);
      const std::int64_t rk = radix[k];
      for (std::size_t j = 0; j < m; ++j) {
        const std::int32_t code = codes[j];
        if (code < 0 || code >= rk) {
          const char* name = to_string(static_cast<dimension>(dims[k]));
          detail::bad(name, from + j, code < 0 ? "missing value (needed to group by it)" : "code out of range of the labels");
        }
        gi[j] = gi[j] * rk + code;
      }
    }
    if (opt.per != period::none) {
      for (std::size_t j = 0; j < m; ++j) {
        const std::int64_t day = local_day(created_s[j]);
        const std::int64_t p = day_ordinal.empty() ? detail::period_ordinal(opt.per, day) - pmin
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
        per_channel ? detail::codes_of(r.channel, from, m, cbuf.data() + dimension_count * cn) : nullptr;
    const double* handle = detail::doubles(r.handle_seconds, from, m, nb(0));
    const double* responses_v = detail::doubles(r.responses, from, m, nb(1));
    const double* response_s = detail::doubles(r.response_seconds, from, m, nb(2));
    const double* contacts_v = detail::doubles(r.contacts, from, m, nb(3));
    const double* escalated_v = detail::doubles(r.escalated, from, m, nb(4));
    const double* reopened_v = detail::doubles(r.reopened, from, m, nb(5));
    const auto optional = [&](const number_column& c, std::size_t k) {
      return c.present() ? detail::doubles(c, from, m, nb(k)) : static_cast<const double*>(nullptr);
    };
    const double* csat_v = optional(r.csat, 6);
    const double* nps_v = optional(r.nps, 7);
    const double* qc_v = optional(r.qc_score, 8);
    const double* repurchased_v = optional(r.repurchased_30d, 9);
    const double* script_v = optional(r.script_compliant, 10);
    const double* record_v = optional(r.record_complete, 11);
    const double* upheld_v = optional(r.complaint_upheld, 12);

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
        detail::bad("channel", i, ch < 0 ? "missing value (targets have per-channel thresholds)" : "code out of range");
      const std::int32_t cs = per_channel ? channel_slot[static_cast<std::size_t>(ch)] : -1;
      const channel_thresholds* th = cs >= 0 ? thresholds[static_cast<std::size_t>(cs)] : nullptr;
      std::int64_t* csum = cs >= 0 ? s.channel_sums.data() + static_cast<std::size_t>(cs) * channel_sum_width : nullptr;

      // First response.
      const std::int64_t created = created_s[j];
      std::int64_t frt = -1;
      if (has_first && first_s[j] != missing_instant) {
        frt = first_s[j] - created;
        frt_buf[j] = frt;
        if (frt < 0) detail::bad("first_response_at", i, "is before created_at");
        ++c[c_responded];
        c[c_frt_sum] += frt;
        if (csum) csum[0] += frt, ++csum[1];
      }
      bool late = false;
      if (th && th->first_response) {
        ++c[c_frt_targeted];
        if (frt >= 0 && frt <= *th->first_response) ++c[c_frt_within];
        else late = true;
      }

      // Responses over the conversation, handling.
      const std::int64_t responses = detail::count_of(responses_v[j], "responses", i);
      const std::int64_t response_ms = detail::millis_of(response_s[j], "response_seconds", i);
      const std::int64_t handle_ms = detail::millis_of(handle[j], "handle_seconds", i);
      c[c_responses] += responses;
      c[c_response_ms] += response_ms;
      c[c_handle_ms] += handle_ms;
      if (csum) csum[2] += response_ms, csum[3] += responses, csum[4] += handle_ms, ++csum[5];
      if (th && th->average_response && responses > 0) {
        ++c[c_art_targeted];
        if (response_ms <= *th->average_response * 1000 * responses) ++c[c_art_within];
      }
      if (th && th->handling) {
        ++c[c_aht_targeted];
        if (handle_ms <= *th->handling * 1000) ++c[c_aht_within];
      }

      // Resolution, first-contact resolution, escalation, reopening.
      const std::int64_t contacts = detail::count_of(contacts_v[j], "contacts", i);
      const int escalated = detail::flag_of(escalated_v[j], "escalated", i, false);
      const int reopened = detail::flag_of(reopened_v[j], "reopened", i, false);
      std::int64_t resolved_at = missing_instant;
      if (has_resolved && resolved_s[j] != missing_instant) {
        resolved_at = resolved_s[j];
        if (resolved_at < created) detail::bad("resolved_at", i, "is before created_at");
        ++c[c_resolved];
        c[c_resolution_sum] += resolved_at - created;
        if (contacts <= 1 && !reopened) ++c[c_fcr];
      }
      c[c_escalated] += escalated;
      c[c_reopened] += reopened;

      // Customer feedback.
      if (csat_v) {
        const double csat = detail::score_of(csat_v[j], "csat", i, 1, 5, true);
        if (!std::isnan(csat)) {
          ++c[c_csat_n];
          c[c_csat_sum] += static_cast<std::int64_t>(csat);
          if (csat >= 4) ++c[c_csat_satisfied];
        }
      }
      if (nps_v) {
        const double nps = detail::score_of(nps_v[j], "nps", i, 0, 10, true);
        if (!std::isnan(nps)) {
          ++c[c_nps_n];
          if (nps >= 9) ++c[c_promoters];
          else if (nps <= 6) ++c[c_detractors];
        }
      }
      if (qc_v) {
        const double qc = detail::score_of(qc_v[j], "qc_score", i, 0, 100, false);
        if (!std::isnan(qc)) {
          ++c[c_qc_n];
          c[c_qc_centi] += detail::round_nonnegative(qc * 100);
          if (qc >= pass_mark) ++c[c_qc_pass];
          if (late) ++c[c_qc_late];
        }
      }
      const auto flag = [&](const double* col, const char* name, counter known, counter yes) {
        if (!col) return;
        const int f = detail::flag_of(col[j], name, i, true);
        if (f >= 0) ++c[known], c[yes] += f;
      };
      flag(repurchased_v, "repurchased_30d", c_repurchase_n, c_repurchased);
      flag(script_v, "script_compliant", c_script_n, c_script_ok);
      flag(record_v, "record_complete", c_record_n, c_record_ok);
      flag(upheld_v, "complaint_upheld", c_upheld_n, c_upheld);

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
      k.period_start = detail::period_start(opt.per, gi % np + pmin);
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

/// compute() on `threads` threads, each over a contiguous share of the rows, merged: the same table
/// as compute() (the accumulators merge exactly). The rows are checked as by compute(); when several
/// shares hold bad values, the error of the first share is thrown. threads ≤ 1 is compute().
inline table compute(const records& r, const options& opt, unsigned threads) {
  if (threads <= 1 || r.rows < 2 * static_cast<std::size_t>(threads)) return compute(r, opt);
  check_shape(r, false);
  std::vector<table> parts(threads, table(opt));
  std::vector<std::exception_ptr> errors(threads);
  const auto run = [&](unsigned k) {
    try {
      parts[k] = compute(slice(r, r.rows * k / threads, r.rows * (k + 1) / threads), opt);
    } catch (...) {
      errors[k] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned k = 1; k < threads; ++k) pool.emplace_back(run, k);
  run(0);
  for (auto& th : pool) th.join();
  for (unsigned k = 0; k < threads; ++k)
    if (errors[k]) {
      // Report rows of the whole records, not of the share.
      try {
        std::rethrow_exception(errors[k]);
      } catch (const column_error& e) {
        if (e.row() < 0) throw;
        const auto row = e.row() + static_cast<std::int64_t>(r.rows * k / threads);
        const std::string prefix = "column '" + e.column() + "', row " + std::to_string(e.row()) + ": ";
        std::string what = e.what();
        throw column_error(e.column(), row, what.compare(0, prefix.size(), prefix) == 0 ? what.substr(prefix.size()) : what);
      }
    }
  table out = std::move(parts[0]);
  for (unsigned k = 1; k < threads; ++k) out.merge(parts[k]);
  return out;
}

}  // namespace kefu::kpi
