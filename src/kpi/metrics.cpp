// KPI metrics of a table's groups: the entries of kefu/kpi/metrics.hpp evaluated in output order.
#include <kefu/kpi/metrics.hpp>

#include <algorithm>

namespace kefu::kpi {

const std::vector<std::string>& base_metric_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& m : base_metrics) out.emplace_back(m.name);
    return out;
  }();
  return names;
}

bool metric_unit_of(std::string_view name, metric_unit& unit) {
  const auto bracket = name.find('[');
  if (bracket != std::string_view::npos) {
    if (name.back() != ']') return false;
    for (const auto& m : channel_metrics)
      if (m.name == name.substr(0, bracket)) return unit = m.unit, true;
    return false;
  }
  if (name.substr(0, 4) == "sla_" || name == "targets_met_rate") return unit = metric_unit::rate, true;
  for (const auto& m : base_metrics)
    if (m.name == name) return unit = m.unit, true;
  return false;
}

std::vector<std::string> metric_names(const table& t) {
  std::vector<std::string> names = base_metric_names();
  for (const auto& ch : t.targeted_channels())
    for (const auto& m : channel_metrics) names.push_back(std::string(m.name) + "[" + ch + "]");
  if (t.config().goals) {
    for (const auto& s : t.config().goals->sla) names.push_back("sla_" + s.name);
    names.push_back("targets_met_rate");
  }
  return names;
}

std::vector<double> raw_metric_values(const table& t, std::size_t g) {
  const group_stats& s = t.stats(g);
  std::vector<double> out;
  out.reserve(std::size(base_metrics) + std::size(channel_metrics) * t.targeted_channels().size() + s.sla.size() / 2 + 1);
  for (const auto& m : base_metrics) out.push_back(m.value(s, t.mapping()));
  for (std::size_t k = 0; k < t.targeted_channels().size(); ++k)
    for (const auto& m : channel_metrics) out.push_back(m.value(s.channel_sums.data() + k * channel_sum_width));
  for (std::size_t k = 0; k < s.sla.size() / 2; ++k)
    out.push_back(detail::ratio(static_cast<double>(s.sla[2 * k]), static_cast<double>(s.sla[2 * k + 1])));
  return out;
}

std::vector<outcome> evaluate_targets(const table& t, std::size_t, const std::vector<std::string>& names,
                                      const std::vector<double>& values) {
  std::vector<outcome> out;
  if (!t.config().goals) return out;
  for (const auto& goal : t.config().goals->metrics) {
    const auto it = std::find(names.begin(), names.end(), goal.metric);
    out.push_back(it == names.end() ? outcome::no_data
                                    : judge(goal, values[static_cast<std::size_t>(it - names.begin())]));
  }
  return out;
}

std::vector<double> metric_values(const table& t, std::size_t g) {
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

double metric_value(const table& t, std::size_t g, const std::string& name) {
  const auto names = metric_names(t);
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) throw error("unknown KPI metric '" + name + "'", {}, {}, "kefu.kpi.metric");
  return metric_values(t, g)[static_cast<std::size_t>(it - names.begin())];
}

}  // namespace kefu::kpi
