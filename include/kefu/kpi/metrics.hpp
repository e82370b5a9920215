// kefu — the KPI formulas (DOM-KPI-1), evaluated on a group's accumulators.
//
// Units: durations in seconds, rates as fractions 0–1, NPS in points (−100…100), QC scores 0–100.
// A metric whose denominator is zero is NaN ("no data"). Formulas (docs/kpis.md has the table):
//   tickets                 number of tickets
//   response_rate           tickets with a first response / tickets
//   frt_mean                Σ (first_response_at − created_at) / tickets with a first response
//   frt_p50, frt_p90        quantiles of the same (sketch, lower method, relative error ≤ α)
//   frt_within_target       tickets answered within their channel's first_response threshold /
//                           tickets of channels with a threshold (unanswered = not within)
//   art                     Σ response_seconds / Σ responses
//   art_within_target       tickets whose response_seconds / responses ≤ channel threshold / such tickets with responses
//   aht                     Σ handle_seconds / tickets
//   aht_within_target       tickets with handle_seconds ≤ channel threshold / tickets of channels with one
//   resolution_rate         resolved tickets / tickets;  resolution_mean  Σ (resolved_at − created_at) / resolved
//   fcr_rate                resolved with contacts ≤ 1 and not reopened / tickets
//   escalation_rate         escalated / tickets;  reopen_rate  reopened / resolved
//   csat_mean               Σ csat / ratings;  satisfied_rate  ratings ≥ 4 / ratings;  survey_return_rate  ratings / tickets
//   nps                     100 × (promoters (9–10) − detractors (0–6)) / answers
//   qc_sampled, qc_mean     QC-scored tickets, their mean score;  qc_pass_rate  scores ≥ pass mark / scored
//   qc_timely_rate          (scored − scored and late) / scored; late = FRT over the channel threshold or none
//   repurchase_rate, script_compliance, record_completeness   true / known of the optional flag columns
//   upheld_complaints       tickets with complaint_upheld true
//   frt_mean[CH], art[CH], aht[CH]   the means over the group's tickets of channel CH (channels with thresholds)
//   sla_NAME                tickets whose event happened by the deadline / tickets
//   targets_met_rate        goals met / goals with data (when the table has goals)
#pragma once

#include <kefu/kpi/table.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace kefu::kpi {

namespace detail {
inline double ratio(double num, double den) noexcept {
  return den == 0 ? std::numeric_limits<double>::quiet_NaN() : num / den;
}
}  // namespace detail

/// The fixed metrics, in output order.
inline const std::vector<std::string>& base_metric_names() {
  static const std::vector<std::string> names = {
      "tickets", "response_rate", "frt_mean", "frt_p50", "frt_p90", "frt_within_target", "art",
      "art_within_target", "aht", "aht_within_target", "resolution_rate", "resolution_mean", "fcr_rate",
      "escalation_rate", "reopen_rate", "csat_mean", "satisfied_rate", "survey_return_rate", "nps",
      "qc_sampled", "qc_mean", "qc_pass_rate", "qc_timely_rate", "repurchase_rate", "script_compliance",
      "record_completeness", "upheld_complaints"};
  return names;
}

/// Every metric of a table: the fixed ones, then per targeted channel frt_mean[CH], art[CH], aht[CH],
/// then sla_NAME per SLA clock, then targets_met_rate when the table has goals.
inline std::vector<std::string> metric_names(const table& t) {
  std::vector<std::string> names = base_metric_names();
  for (const auto& ch : t.targeted_channels())
    for (const char* m : {"frt_mean", "art", "aht"}) names.push_back(std::string(m) + "[" + ch + "]");
  if (t.config().goals) {
    for (const auto& s : t.config().goals->sla) names.push_back("sla_" + s.name);
    names.push_back("targets_met_rate");
  }
  return names;
}

/// Values of metric_names(t) for group g, before targets_met_rate.
inline std::vector<double> raw_metric_values(const table& t, std::size_t g) {
  using detail::ratio;
  const group_stats& s = t.stats(g);
  const auto v = [&](counter k) { return static_cast<double>(s.c[k]); };
  std::vector<double> out = {
      v(c_tickets),
      ratio(v(c_responded), v(c_tickets)),
      ratio(v(c_frt_sum), v(c_responded)),
      s.frt.quantile(0.5, t.mapping()),
      s.frt.quantile(0.9, t.mapping()),
      ratio(v(c_frt_within), v(c_frt_targeted)),
      ratio(v(c_response_ms) / 1000, v(c_responses)),
      ratio(v(c_art_within), v(c_art_targeted)),
      ratio(v(c_handle_ms) / 1000, v(c_tickets)),
      ratio(v(c_aht_within), v(c_aht_targeted)),
      ratio(v(c_resolved), v(c_tickets)),
      ratio(v(c_resolution_sum), v(c_resolved)),
      ratio(v(c_fcr), v(c_tickets)),
      ratio(v(c_escalated), v(c_tickets)),
      ratio(v(c_reopened), v(c_resolved)),
      ratio(v(c_csat_sum), v(c_csat_n)),
      ratio(v(c_csat_satisfied), v(c_csat_n)),
      ratio(v(c_csat_n), v(c_tickets)),
      ratio(100 * (v(c_promoters) - v(c_detractors)), v(c_nps_n)),
      v(c_qc_n),
      ratio(v(c_qc_centi) / 100, v(c_qc_n)),
      ratio(v(c_qc_pass), v(c_qc_n)),
      ratio(v(c_qc_n) - v(c_qc_late), v(c_qc_n)),
      ratio(v(c_repurchased), v(c_repurchase_n)),
      ratio(v(c_script_ok), v(c_script_n)),
      ratio(v(c_record_ok), v(c_record_n)),
      v(c_upheld),
  };
  for (std::size_t k = 0; k < t.targeted_channels().size(); ++k) {
    const std::int64_t* cs = s.channel_sums.data() + k * channel_sum_width;
    out.push_back(ratio(static_cast<double>(cs[0]), static_cast<double>(cs[1])));
    out.push_back(ratio(static_cast<double>(cs[2]) / 1000, static_cast<double>(cs[3])));
    out.push_back(ratio(static_cast<double>(cs[4]) / 1000, static_cast<double>(cs[5])));
  }
  for (std::size_t k = 0; k < s.sla.size() / 2; ++k)
    out.push_back(ratio(static_cast<double>(s.sla[2 * k]), static_cast<double>(s.sla[2 * k + 1])));
  return out;
}

/// The goals' outcomes for group g, one per goals->metrics entry (empty without goals).
inline std::vector<outcome> evaluate_targets(const table& t, std::size_t g, const std::vector<std::string>& names,
                                             const std::vector<double>& values) {
  std::vector<outcome> out;
  if (!t.config().goals) return out;
  for (const auto& goal : t.config().goals->metrics) {
    const auto it = std::find(names.begin(), names.end(), goal.metric);
    out.push_back(it == names.end() ? outcome::no_data
                                    : judge(goal, values[static_cast<std::size_t>(it - names.begin())]));
  }
  (void)g;
  return out;
}

/// Values of metric_names(t) for group g (targets_met_rate included when there are goals).
inline std::vector<double> metric_values(const table& t, std::size_t g) {
  std::vector<double> values = raw_metric_values(t, g);
  if (t.config().goals) {
    const std::vector<std::string> names = metric_names(t);
    const auto outcomes = evaluate_targets(t, g, names, values);
    double met = 0, judged = 0;
    for (auto o : outcomes) {
      if (o == outcome::no_data) continue;
      ++judged;
      if (o == outcome::met) ++met;
    }
    values.push_back(detail::ratio(met, judged));
  }
  return values;
}

/// A metric of group g by name; kefu::error naming the metric when it does not exist.
inline double metric_value(const table& t, std::size_t g, const std::string& name) {
  const auto names = metric_names(t);
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) throw error("unknown KPI metric '" + name + "'");
  return metric_values(t, g)[static_cast<std::size_t>(it - names.begin())];
}

}  // namespace kefu::kpi
