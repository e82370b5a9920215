// kefu — the KPI formulas (DOM-KPI-1), evaluated on a group's accumulators.
//
// Units: durations in seconds, rates as fractions 0–1, NPS in points (−100…100), QC scores 0–100.
// A metric whose denominator is zero is NaN ("no data"). Every metric is one {name, unit, formula}
// entry below; docs/kpis.md has the table in words (a test checks it names every metric). The metrics
// of a table are the base metrics, then per channel with thresholds frt_mean[CH], art[CH], aht[CH]
// (channel_metrics), then sla_NAME per SLA clock (met / tickets), then targets_met_rate (goals met /
// goals with data) when the table has goals.
#pragma once

#include <kefu/kpi/table.hpp>

#include <cstdint>
#include <iterator>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace kefu::kpi {

namespace detail {
constexpr double ratio(double num, double den) noexcept {
  return den == 0 ? std::numeric_limits<double>::quiet_NaN() : num / den;
}
}  // namespace detail

/// What a metric's value is measured in (targets goals on seconds are written as durations).
enum class metric_unit : std::uint8_t { count, rate, seconds, points, score };

/// A metric of one group: its name, unit and formula over the group's accumulators.
struct metric_def {
  std::string_view name;
  metric_unit unit;
  double (*value)(const group_stats& s, const sketch_mapping& m);
};

namespace detail {
constexpr double v(const group_stats& s, counter k) noexcept { return static_cast<double>(s.c[k]); }
}  // namespace detail

/// The base metrics, in output order.
inline constexpr metric_def base_metrics[] = {
    // clang-format off
  {"tickets", metric_unit::count, [](const group_stats& s, const sketch_mapping&) { return detail::v(s, c_tickets); }},
  {"response_rate", metric_unit::rate,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_responded), detail::v(s, c_tickets)); }},
  {"frt_mean", metric_unit::seconds,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_frt_sum), detail::v(s, c_responded)); }},
  {"frt_p50", metric_unit::seconds, [](const group_stats& s, const sketch_mapping& m) { return s.frt.quantile(0.5, m); }},
  {"frt_p90", metric_unit::seconds, [](const group_stats& s, const sketch_mapping& m) { return s.frt.quantile(0.9, m); }},
  {"frt_within_target", metric_unit::rate,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_frt_within), detail::v(s, c_frt_targeted)); }},
  {"art", metric_unit::seconds,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_response_ms) / 1000, detail::v(s, c_responses)); }},
  {"art_within_target", metric_unit::rate,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_art_within), detail::v(s, c_art_targeted)); }},
  {"aht", metric_unit::seconds,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_handle_ms) / 1000, detail::v(s, c_tickets)); }},
  {"aht_within_target", metric_unit::rate,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_aht_within), detail::v(s, c_aht_targeted)); }},
  {"resolution_rate", metric_unit::rate,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_resolved), detail::v(s, c_tickets)); }},
  {"resolution_mean", metric_unit::seconds,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_resolution_sum), detail::v(s, c_resolved)); }},
  {"fcr_rate", metric_unit::rate,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_fcr), detail::v(s, c_tickets)); }},
  {"escalation_rate", metric_unit::rate,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_escalated), detail::v(s, c_tickets)); }},
  {"reopen_rate", metric_unit::rate,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_reopened), detail::v(s, c_resolved)); }},
  {"csat_mean", metric_unit::score,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_csat_sum), detail::v(s, c_csat_n)); }},
  {"satisfied_rate", metric_unit::rate,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_csat_satisfied), detail::v(s, c_csat_n)); }},
  {"survey_return_rate", metric_unit::rate,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_csat_n), detail::v(s, c_tickets)); }},
  {"nps", metric_unit::points,
   [](const group_stats& s, const sketch_mapping&) {
     return detail::ratio(100 * (detail::v(s, c_promoters) - detail::v(s, c_detractors)), detail::v(s, c_nps_n));
   }},
  {"qc_sampled", metric_unit::count, [](const group_stats& s, const sketch_mapping&) { return detail::v(s, c_qc_n); }},
  {"qc_mean", metric_unit::score,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_qc_centi) / 100, detail::v(s, c_qc_n)); }},
  {"qc_pass_rate", metric_unit::rate,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_qc_pass), detail::v(s, c_qc_n)); }},
  {"qc_timely_rate", metric_unit::rate,
   [](const group_stats& s, const sketch_mapping&) {
     return detail::ratio(detail::v(s, c_qc_n) - detail::v(s, c_qc_late), detail::v(s, c_qc_n));
   }},
  {"repurchase_rate", metric_unit::rate,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_repurchased), detail::v(s, c_repurchase_n)); }},
  {"script_compliance", metric_unit::rate,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_script_ok), detail::v(s, c_script_n)); }},
  {"record_completeness", metric_unit::rate,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_record_ok), detail::v(s, c_record_n)); }},
  {"upheld_complaints", metric_unit::count, [](const group_stats& s, const sketch_mapping&) { return detail::v(s, c_upheld); }},
  // Queue wait (DOM-SLA-7): measured waits, their mean, and the share of them in each of 003's bands.
  {"queue_waits", metric_unit::count, [](const group_stats& s, const sketch_mapping&) { return detail::v(s, c_queue_n); }},
  {"queue_wait_mean", metric_unit::seconds,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_queue_ms) / 1000, detail::v(s, c_queue_n)); }},
  {"wait_patient_rate", metric_unit::rate,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_queue_patient), detail::v(s, c_queue_n)); }},
  {"wait_explain_rate", metric_unit::rate,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_queue_explain), detail::v(s, c_queue_n)); }},
  {"wait_alternatives_rate", metric_unit::rate,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_queue_alternatives), detail::v(s, c_queue_n)); }},
  {"wait_complaint_risk_rate", metric_unit::rate,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_queue_risk), detail::v(s, c_queue_n)); }},
  // Fresh-food standards (003, DOM-KPI-4): true / known of the optional flags.
  {"standard_execution_rate", metric_unit::rate,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_std_executed), detail::v(s, c_std_executed_n)); }},
  {"standard_awareness_rate", metric_unit::rate,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_std_known), detail::v(s, c_std_known_n)); }},
  {"standard_resolution_rate", metric_unit::rate,
   [](const group_stats& s, const sketch_mapping&) { return detail::ratio(detail::v(s, c_std_resolved), detail::v(s, c_std_resolved_n)); }},
    // clang-format on
};

/// A per-channel metric: its name (the output is NAME[CH]), unit and formula over one channel's sums.
struct channel_metric_def {
  std::string_view name;
  metric_unit unit;
  double (*value)(const std::int64_t* sums);
};

/// The per-channel metrics, in output order, for every channel with thresholds.
inline constexpr channel_metric_def channel_metrics[] = {
    {"frt_mean", metric_unit::seconds,
     [](const std::int64_t* cs) {
       return detail::ratio(static_cast<double>(cs[cs_frt_sum]), static_cast<double>(cs[cs_frt_n]));
     }},
    {"art", metric_unit::seconds,
     [](const std::int64_t* cs) {
       return detail::ratio(static_cast<double>(cs[cs_response_ms]) / 1000, static_cast<double>(cs[cs_responses]));
     }},
    {"aht", metric_unit::seconds,
     [](const std::int64_t* cs) {
       return detail::ratio(static_cast<double>(cs[cs_handle_ms]) / 1000, static_cast<double>(cs[cs_handled]));
     }},
};

/// The names of the base metrics, in output order.
const std::vector<std::string>& base_metric_names();

/// The unit of a metric name of any table ("frt_mean[online]" is seconds, "sla_x" and
/// "targets_met_rate" rates); false when no table has such a metric.
bool metric_unit_of(std::string_view name, metric_unit& unit);

/// Every metric of a table: the base ones, then per targeted channel the channel metrics NAME[CH],
/// then sla_NAME per SLA clock, then targets_met_rate when the table has goals.
std::vector<std::string> metric_names(const table& t);

/// Values of metric_names(t) for group g, before targets_met_rate.
std::vector<double> raw_metric_values(const table& t, std::size_t g);

/// The goals' outcomes for group g, one per goals->metrics entry (empty without goals).
std::vector<outcome> evaluate_targets(const table& t, std::size_t g, const std::vector<std::string>& names,
                                      const std::vector<double>& values);

/// Values of metric_names(t) for group g (targets_met_rate included when there are goals).
std::vector<double> metric_values(const table& t, std::size_t g);

/// A metric of group g by name; kefu::error (kefu.kpi.metric) naming the metric when it does not exist.
double metric_value(const table& t, std::size_t g, const std::string& name);

}  // namespace kefu::kpi
