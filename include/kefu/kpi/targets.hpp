// kefu — KPI targets (DOM-KPI-1): per-channel response thresholds, SLA clocks and metric goals.
//
// A targets object is what rules/kpi/*.yaml files starting with `targets:` compile to
// (kefu/kpi/load.hpp). The KPI computation uses its per-channel thresholds and SLA clocks while it
// reads the records; evaluate() then says, per group, which goals are met and which are missed.
#pragma once

#include <kefu/calendar/calendar.hpp>
#include <kefu/calendar/duration.hpp>
#include <kefu/error.hpp>
#include <kefu/kpi/records.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kefu::kpi {

/// Per-ticket response thresholds of one channel, in seconds (absent = no threshold).
struct channel_thresholds {
  std::string channel;
  std::optional<std::int64_t> first_response;    ///< FRT of one ticket
  std::optional<std::int64_t> average_response;  ///< response_seconds / responses of one ticket
  std::optional<std::int64_t> handling;          ///< handle_seconds of one ticket
  source_location where;
};

/// Where an SLA clock stops.
enum class sla_event : std::uint8_t { first_response, resolution };

inline const char* to_string(sla_event e) noexcept {
  return e == sla_event::first_response ? "first_response_at" : "resolved_at";
}

/// "the first response / resolution within D of created_at", D on its clock (wall, business hours of
/// a calendar, working days of a calendar; DOM-SLA-1, DOM-SLA-4).
struct sla_target {
  std::string name;
  sla_event until = sla_event::resolution;
  calendar::duration within;
  std::shared_ptr<const calendar::calendar> on;  ///< required for business and workdays clocks
  source_location where;

  /// The deadline of a ticket created at t.
  instant deadline(instant t) const {
    if (within.kind == calendar::clock::wall) return t + seconds(within.amount);
    return on->add(t, within);
  }
};

/// 003's waiting-time bands (DOM-SLA-7): up to 30 s patient waiting, to 2 min explain, to 5 min offer
/// alternatives, past 5 min a complaint is likely.
inline constexpr std::array<std::int64_t, 3> default_wait_bands{30, 120, 300};

enum class comparison : std::uint8_t { at_least, at_most };

/// A goal for one metric: value ≥ threshold or value ≤ threshold.
struct metric_target {
  std::string metric;     ///< a metric name (kefu/kpi/metrics.hpp), possibly channel-qualified "frt_mean[online]"
  comparison cmp = comparison::at_least;
  double threshold = 0;   ///< in the metric's unit (seconds, fraction 0–1, points)
  std::string text;       ///< the goal as written, "≤ 30s", "≥ 90%"
  source_location where;

  bool met(double value) const noexcept { return cmp == comparison::at_least ? value >= threshold : value <= threshold; }
};

/// 003's training assessment (培训考核方法, DOM-KPI-4): a theory exam marked out of `full_marks` and passed at
/// `pass_mark` (满分100分，60分为及格线), then follow-up evaluations `follow_up_days` after the training ends
/// (培训结束后的30天、60天和90天). kefu/kpi/training.hpp assesses agents against it.
struct training_rules {
  double full_marks = 100;
  double pass_mark = 60;
  std::vector<std::int32_t> follow_up_days{30, 60, 90};  ///< ascending, each 1–3650
  std::string source;
  source_location where;  ///< of `training:`
};

/// A compiled targets file.
struct targets {
  std::string name;
  std::string description;
  std::string source;
  double qc_pass_mark = 60;  ///< a QC score at or above this passes (0–100)
  /// Queue-wait bands in seconds, ascending (`waiting_bands:`; 003's 30 s, 2 min, 5 min by default).
  std::array<std::int64_t, 3> wait_bands = default_wait_bands;
  std::vector<channel_thresholds> channels;
  std::vector<sla_target> sla;
  std::vector<metric_target> metrics;
  std::optional<training_rules> training;  ///< `training:`, when the file assesses training (003)
  source_location where;  ///< of `targets: NAME`

  const channel_thresholds* thresholds_of(const std::string& channel) const noexcept {
    for (const auto& c : channels)
      if (c.channel == channel) return &c;
    return nullptr;
  }
};

using targets_ptr = std::shared_ptr<const targets>;

/// Outcome of one goal for one group.
enum class outcome : std::int8_t { no_data = -1, missed = 0, met = 1 };

inline const char* to_string(outcome o) noexcept {
  switch (o) {
    case outcome::met: return "met";
    case outcome::missed: return "missed";
    case outcome::no_data: return "no data";
  }
  return "?";
}

inline outcome judge(const metric_target& t, double value) noexcept {
  if (std::isnan(value)) return outcome::no_data;
  return t.met(value) ? outcome::met : outcome::missed;
}

}  // namespace kefu::kpi
