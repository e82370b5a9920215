// kefu — KPIs grouped by agent, team, channel, category and period (DOM-KPI-1, DOM-KPI-7).
//
// compute() reads the records once and keeps, per group, integer accumulators (counts and sums in
// seconds, milliseconds or hundredths) and a quantile sketch of first-response times. Every
// accumulator merges by addition, so tables computed on partitions (threads, Dask workers) and
// merged are identical to the table of all rows: counts, sums, means and rates exactly, percentiles
// exactly too (the sketches add bucket by bucket), within the sketch's relative accuracy of the
// true percentile. Formulas: docs/kpis.md and metrics.hpp. The pass itself is src/kpi/compute.cpp,
// merging and serialisation src/kpi/table.cpp.
#pragma once

#include <kefu/kpi/records.hpp>
#include <kefu/kpi/sketch.hpp>
#include <kefu/kpi/targets.hpp>
#include <kefu/time.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kefu::kpi {

/// Calendar periods of created_at's local date in the options' zone (weeks start on Monday; quarters on
/// 1 January, 1 April, 1 July and 1 October). DOM-KPI-7, DOM-KPI-8.
enum class period : std::uint8_t { none, day, week, month, quarter, year };

inline const char* to_string(period p) noexcept {
  switch (p) {
    case period::none: return "none";
    case period::day: return "day";
    case period::week: return "week";
    case period::month: return "month";
    case period::quarter: return "quarter";
    case period::year: return "year";
  }
  return "?";
}

inline period parse_period(std::string_view t) {
  if (t == "none" || t.empty()) return period::none;
  if (t == "day") return period::day;
  if (t == "week") return period::week;
  if (t == "month") return period::month;
  if (t == "quarter") return period::quarter;
  if (t == "year") return period::year;
  throw error("unknown period '" + std::string(t) + "' (expected day, week, month, quarter or year)");
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
  /// Queue-wait bands in seconds (DOM-SLA-7, 003's waiting times): a wait up to [0] is patient waiting, up
  /// to [1] calls for an explanation, up to [2] for alternatives, past [2] risks a complaint. Used when
  /// there are no goals (goals carry their own, the same by default).
  std::array<std::int64_t, 3> wait_bands = default_wait_bands;
};

/// The scalar accumulators of one group, in serialisation order: KEFU_KPI_COUNTERS(X) is X(name) per
/// counter, c_NAME its index. All are integers; compute.cpp adds to them, metrics.hpp reads them. Their
/// names are part of the layout tag of serialised partials (partial_tag()).
#define KEFU_KPI_COUNTERS(X)                                                                             \
  X(tickets) X(responded) X(frt_sum) X(frt_targeted) X(frt_within)                                       \
  X(responses) X(response_ms) X(handle_ms) X(art_targeted) X(art_within) X(aht_targeted) X(aht_within)  \
  X(resolved) X(resolution_sum) X(fcr) X(escalated) X(reopened)                                          \
  X(csat_n) X(csat_sum) X(csat_satisfied) X(nps_n) X(promoters) X(detractors)                            \
  X(qc_n) X(qc_centi) X(qc_pass) X(qc_late)                                                              \
  X(repurchase_n) X(repurchased) X(script_n) X(script_ok) X(record_n) X(record_ok) X(upheld_n) X(upheld) \
  X(queue_n) X(queue_ms) X(queue_patient) X(queue_explain) X(queue_alternatives) X(queue_risk)          \
  X(std_executed_n) X(std_executed) X(std_known_n) X(std_known) X(std_resolved_n) X(std_resolved)

enum counter : std::size_t {
#define KEFU_KPI_COUNTER_ENUM(name) c_##name,
  KEFU_KPI_COUNTERS(KEFU_KPI_COUNTER_ENUM)
#undef KEFU_KPI_COUNTER_ENUM
  counter_count
};
inline constexpr std::string_view counter_names[] = {
#define KEFU_KPI_COUNTER_NAME(name) #name,
    KEFU_KPI_COUNTERS(KEFU_KPI_COUNTER_NAME)
#undef KEFU_KPI_COUNTER_NAME
};
static_assert(sizeof(counter_names) / sizeof(counter_names[0]) == counter_count);

/// Per channel with thresholds, the sums behind frt_mean[CH], art[CH] and aht[CH], in this order.
#define KEFU_KPI_CHANNEL_SUMS(X) X(frt_sum) X(frt_n) X(response_ms) X(responses) X(handle_ms) X(handled)

enum channel_sum : std::size_t {
#define KEFU_KPI_CHANNEL_SUM_ENUM(name) cs_##name,
  KEFU_KPI_CHANNEL_SUMS(KEFU_KPI_CHANNEL_SUM_ENUM)
#undef KEFU_KPI_CHANNEL_SUM_ENUM
  channel_sum_width
};
inline constexpr std::string_view channel_sum_names[] = {
#define KEFU_KPI_CHANNEL_SUM_NAME(name) #name,
    KEFU_KPI_CHANNEL_SUMS(KEFU_KPI_CHANNEL_SUM_NAME)
#undef KEFU_KPI_CHANNEL_SUM_NAME
};
static_assert(sizeof(channel_sum_names) / sizeof(channel_sum_names[0]) == channel_sum_width);

struct group_stats {
  std::array<std::int64_t, counter_count> c{};
  std::vector<std::int64_t> channel_sums;  ///< channel_sum_width per channel with thresholds
  std::vector<std::int64_t> sla;           ///< met, total per SLA target
  quantile_sketch frt;

  /// Adds another group's counts. Checked: a sum past the int64 range is an error (kefu.kpi.overflow),
  /// never a wrap to a negative count.
  void merge(const group_stats& o) {
    check_addable(o);
    add(o);
  }
  /// Throws kefu.kpi.overflow when merging `o` would take a count past the int64 range; changes nothing.
  void check_addable(const group_stats& o) const {
    std::int64_t sum;
    auto fits = [&](const std::int64_t* a, const std::int64_t* b, std::size_t n) {
      for (std::size_t k = 0; k < n; ++k)
        if (__builtin_add_overflow(a[k], b[k], &sum)) return false;
      return true;
    };
    if (!fits(c.data(), o.c.data(), counter_count) || !fits(channel_sums.data(), o.channel_sums.data(), channel_sums.size()) ||
        !fits(sla.data(), o.sla.data(), sla.size()))
      throw error("KPI counts overflow when merging partials (a count past 9.2e18)", {}, {}, "kefu.kpi.overflow");
  }
  /// merge() after check_addable() said yes.
  void add(const group_stats& o) {
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

/// The layout of serialised partials, as text: the encoding, the counters, the channel sums and the
/// column table. Tables of one layout can exchange partials; the layout changes when a list changes.
const std::string& partial_layout();
/// The first bytes of every to_bytes(): "KEFUKPI:" and 8 hex digits of a hash of partial_layout().
/// from_bytes() refuses partials of another layout (kefu.kpi.partial) instead of misreading them.
const std::string& partial_tag();

class table;

/// Reads the records once and returns the KPI accumulators per group. Column errors are
/// kefu::kpi::column_error naming the column and the row.
table compute(const records& r, const options& opt);

/// compute() on `threads` threads, each over a contiguous share of the rows (kefu::detail::parallel_shares),
/// merged: the same table as compute() (the accumulators merge exactly). The rows are checked as by
/// compute() and errors name rows of the whole records; when several shares hold bad values, the error
/// of the first share is thrown. threads ≤ 1 is compute().
table compute(const records& r, const options& opt, unsigned threads);

/// KPI accumulators per group. Mergeable (merge), serialisable (to_bytes / from_bytes).
class table {
 public:
  explicit table(options opt) : opt_(std::move(opt)), mapping_(opt_.relative_accuracy) {
    if (opt_.goals) {
      opt_.qc_pass_mark = opt_.goals->qc_pass_mark;
      opt_.wait_bands = opt_.goals->wait_bands;
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
  std::string fingerprint() const;

  /// Adds another table's groups (computed with the same options) into this one. Exact. Tables of
  /// other options are refused (kefu.kpi.options).
  void merge(const table& o);

  /// Binary form for shipping partial tables between processes (same byte order on both sides), starting
  /// with partial_tag().
  std::string to_bytes() const;

  /// Reads to_bytes() output into a table with the same options (checked: kefu.kpi.options). Bytes that are
  /// not a partial of this layout, or are truncated or corrupt, are refused (kefu.kpi.partial).
  static table from_bytes(std::string_view bytes, const options& opt);

  friend bool operator==(const table& a, const table& b);

 private:
  friend table compute(const records& r, const options& opt);

  group_stats fresh_stats() const {
    group_stats s;
    s.channel_sums.assign(targeted_channels_.size() * channel_sum_width, 0);
    s.sla.assign(opt_.goals ? opt_.goals->sla.size() * 2 : 0, 0);
    return s;
  }
  std::int32_t intern(std::size_t d, const std::string& l);
  /// Groups in label order, then period order: the same order whatever the partitioning.
  void sort_groups();

  options opt_;
  sketch_mapping mapping_;
  std::vector<std::string> targeted_channels_;
  std::vector<std::vector<std::string>> labels_;
  std::vector<group_key> keys_;
  std::vector<group_stats> stats_;
};

}  // namespace kefu::kpi
