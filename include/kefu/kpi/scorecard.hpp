// kefu — weighted scorecards and the flags that follow from them (DOM-KPI-2, -3, -6).
//
// A scorecard scores one subject (an agent or a team) per period. Each item earns
//     points = weight × min(cap, value / full)        (no cap: uncapped; value or full NaN → 0)
// where value and full are a KPI metric of the subject's records ("satisfied_rate"), a number the
// caller supplies ("input.exam_score"), a constant, or the max / min of such terms. The weights of
// the items sum to 100 (checked when loading). Bonus terms add `points × value`, uncapped (seed 000:
// +1 per commendation). Flags, within each period: `retrain` for the bottom ⌈f·n⌉ totals (ties at the
// boundary included; seed 002 §5.2.3), `promotion` after `months` consecutive months with the
// attainment metric at or above its goal and the ranking metric in the top ⌈p·n⌉, `disciplinary`
// when a count (upheld complaints) summed over a window of months ending with the row's reaches its limit
// (seed 004 §3.10; DOM-KPI-6: by default every month up to the row's, the whole retained record).
// Service stars (seed 002 §7.3 月度服务之星, DOM-KPI-8): per month, the subjects with the highest CSAT and
// the highest first-contact resolution among those measured on at least `min_tickets` tickets; ties all win.
#pragma once

#include <kefu/detail/civil.hpp>
#include <kefu/error.hpp>
#include <kefu/kpi/records.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kefu::kpi {

/// A term of a scorecard formula.
struct term {
  enum class kind : std::uint8_t { constant, metric, input, max_of, min_of };
  kind k = kind::constant;
  double constant = 0;
  std::string name;          ///< metric or input name
  std::vector<term> args;    ///< for max_of / min_of
  source_location where;

  std::string text() const {
    switch (k) {
      case kind::constant: return detail::format_number(constant);
      case kind::metric: return name;
      case kind::input: return "input." + name;
      case kind::max_of:
      case kind::min_of: {
        std::string s = k == kind::max_of ? "max(" : "min(";
        for (std::size_t i = 0; i < args.size(); ++i) s += (i ? ", " : "") + args[i].text();
        return s + ")";
      }
    }
    return {};
  }
};

struct scorecard_item {
  std::string id;
  std::string group;  ///< e.g. core / professional / teamwork (for reports)
  std::string description;
  double weight = 0;
  term value;
  term full;
  std::optional<double> cap = 1.0;  ///< nullopt = uncapped
  source_location where;
};

struct scorecard_bonus {
  std::string id;
  std::string description;
  term value;
  double points = 1;
  source_location where;
};

struct scorecard_flags {
  std::optional<double> retrain_bottom;  ///< fraction, e.g. 0.10
  std::optional<int> promotion_months;   ///< e.g. 3
  std::string promotion_metric = "targets_met_rate";
  double promotion_at_least = 1.0;
  std::string promotion_rank_by = "csat_mean";
  double promotion_top = 0.20;
  std::optional<std::string> disciplinary_metric;  ///< e.g. upheld_complaints
  double disciplinary_at_least = 5;
  /// The months the disciplinary metric (a count) is summed over, ending with the row's month: nullopt =
  /// every month of the records up to the row's (the whole retained record, the default: 004 §3.10 names
  /// no period); 1 = the month alone.
  std::optional<int> disciplinary_window_months;
  /// `service_star: {min_tickets: N}`: flag each month's service stars (nullopt = no such flag).
  std::optional<int> service_star_min_tickets;
};

struct scorecard {
  std::string name;
  std::string description;
  std::string source;
  std::string subject = "agent";  ///< agent or team
  std::vector<scorecard_item> items;
  std::vector<scorecard_bonus> bonuses;
  scorecard_flags flags;
  source_location where;
};

using scorecard_ptr = std::shared_ptr<const scorecard>;

/// What the scorecard reads for one subject and period.
struct scorecard_row {
  std::string subject;
  std::int64_t period_start = 0;  ///< first day of the month (days since 1970-01-01)
  std::map<std::string, double> metrics;
  std::map<std::string, double> inputs;
};

struct scorecard_result {
  std::string subject;
  std::int64_t period_start = 0;
  std::vector<double> points;  ///< per item
  double bonus = 0;
  double total = 0;
  bool retrain = false;
  bool promotion = false;
  bool disciplinary = false;
  bool star_csat = false;  ///< a service star of the month for CSAT (highest csat_mean)
  bool star_fcr = false;   ///< a service star of the month for first-contact resolution (highest fcr_rate)
};

/// How many tickets a subject's month needs before it can be a service star, unless set otherwise: fewer
/// and a few lucky tickets would win (a single 5-star rating is a CSAT of 5.0).
inline constexpr int default_star_min_tickets = 20;

/// The two awards of 002 §7.3's monthly service star.
enum class star_award : std::uint8_t { csat, fcr };

inline const char* to_string(star_award a) noexcept { return a == star_award::csat ? "csat" : "fcr"; }
/// The metric an award goes by: csat_mean or fcr_rate.
inline const char* metric_of(star_award a) noexcept { return a == star_award::csat ? "csat_mean" : "fcr_rate"; }

/// One award of one month: the subjects (sorted) sharing the highest value of the award's metric among the
/// eligible ones. No eligible subject in the month: no entry.
struct service_star {
  std::int64_t period_start = 0;  ///< first day of the month
  star_award award = star_award::csat;
  double value = 0;                   ///< the winning csat_mean or fcr_rate
  std::vector<std::string> subjects;  ///< every subject with that value (ties listed)
};

namespace detail {

inline double eval_term(const scorecard& sc, const term& t, const scorecard_row& row, const std::string& item) {
  const auto fail = [&](const std::string& what) {
    throw error("scorecard '" + sc.name + "', item '" + item + "': " + what, t.where, {}, "kefu.kpi.scorecard");
  };
  switch (t.k) {
    case term::kind::constant: return t.constant;
    case term::kind::metric: {
      const auto it = row.metrics.find(t.name);
      if (it == row.metrics.end()) fail("no KPI metric '" + t.name + "' for " + row.subject);
      return it->second;
    }
    case term::kind::input: {
      const auto it = row.inputs.find(t.name);
      if (it == row.inputs.end()) fail("no input '" + t.name + "' for " + row.subject + " (add a column '" + t.name + "')");
      return it->second;
    }
    case term::kind::max_of:
    case term::kind::min_of: {
      double out = std::numeric_limits<double>::quiet_NaN();
      for (const auto& a : t.args) {
        const double v = eval_term(sc, a, row, item);
        if (std::isnan(v)) continue;
        out = std::isnan(out) ? v : (t.k == term::kind::max_of ? std::max(out, v) : std::min(out, v));
      }
      return out;
    }
  }
  return 0;
}

/// Indices of rows flagged by rank: the ⌈fraction·n⌉ lowest (or highest) values, ties included.
inline std::vector<bool> rank_flag(const std::vector<double>& values, double fraction, bool lowest) {
  std::vector<double> known;
  for (double v : values)
    if (!std::isnan(v)) known.push_back(v);
  std::vector<bool> out(values.size(), false);
  if (known.empty()) return out;
  const auto k = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(known.size()) - 1e-9));
  if (k == 0) return out;
  std::sort(known.begin(), known.end());
  const double cut = lowest ? known[k - 1] : known[known.size() - k];
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!std::isnan(values[i])) out[i] = lowest ? values[i] <= cut : values[i] >= cut;
  return out;
}

inline std::int64_t month_ordinal(std::int64_t day) noexcept {
  const auto c = kefu::detail::civil_from_days(day);
  return c.year * 12 + static_cast<std::int64_t>(c.month) - 1;
}

}  // namespace detail

/// The service stars of each month of `rows` (rows are one subject's month; several months may be mixed),
/// by month then award (CSAT first). Eligible for CSAT: a subject whose month has at least `min_tickets`
/// rated tickets (tickets × survey_return_rate); for FCR: at least `min_tickets` tickets. Rows whose metric
/// is missing (NaN) are not eligible. Rows need the metrics tickets, survey_return_rate, csat_mean, fcr_rate.
inline std::vector<service_star> service_stars(const std::vector<scorecard_row>& rows, int min_tickets) {
  if (min_tickets < 1)
    throw error("service star: min_tickets must be a whole number of at least 1, got " + std::to_string(min_tickets) +
                    " (e.g. " + std::to_string(default_star_min_tickets) + ")",
                {}, {}, "kefu.kpi.scorecard");
  const auto get = [&](const scorecard_row& r, const char* name) {
    const auto it = r.metrics.find(name);
    if (it == r.metrics.end())
      throw error(std::string("service star: no KPI metric '") + name + "' for " + r.subject, {}, {}, "kefu.kpi.scorecard");
    return it->second;
  };
  std::map<std::int64_t, std::vector<std::size_t>> by_month;
  for (std::size_t i = 0; i < rows.size(); ++i) by_month[rows[i].period_start].push_back(i);
  std::vector<service_star> out;
  for (const auto& [month, idx] : by_month)
    for (const star_award award : {star_award::csat, star_award::fcr}) {
      service_star star;
      star.period_start = month;
      star.award = award;
      bool any = false;
      for (const auto i : idx) {
        const double tickets = get(rows[i], "tickets");
        // Rated tickets are an integer; the rate is rated / tickets, so rounding undoes the division.
        const double measured = award == star_award::csat ? std::round(tickets * get(rows[i], "survey_return_rate")) : tickets;
        const double v = get(rows[i], metric_of(award));
        if (std::isnan(v) || std::isnan(measured) || measured < min_tickets) continue;
        if (!any || v > star.value) {
          star.value = v;
          star.subjects.clear();
          any = true;
        }
        if (v == star.value) star.subjects.push_back(rows[i].subject);
      }
      if (!any) continue;
      std::sort(star.subjects.begin(), star.subjects.end());
      star.subjects.erase(std::unique(star.subjects.begin(), star.subjects.end()), star.subjects.end());
      out.push_back(std::move(star));
    }
  return out;
}

/// Scores every row and sets the flags (rows of several periods may be mixed; ranks are per period).
inline std::vector<scorecard_result> evaluate(const scorecard& sc, const std::vector<scorecard_row>& rows) {
  std::vector<scorecard_result> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    scorecard_result r;
    r.subject = row.subject;
    r.period_start = row.period_start;
    for (const auto& item : sc.items) {
      const double v = detail::eval_term(sc, item.value, row, item.id);
      const double f = detail::eval_term(sc, item.full, row, item.id);
      double share = std::isnan(v) || std::isnan(f) || f <= 0 ? 0 : v / f;
      if (item.cap) share = std::min(share, *item.cap);
      share = std::max(share, 0.0);
      r.points.push_back(item.weight * share);
      r.total += item.weight * share;
    }
    for (const auto& b : sc.bonuses) {
      const double v = detail::eval_term(sc, b.value, row, b.id);
      if (!std::isnan(v)) r.bonus += b.points * v;
    }
    r.total += r.bonus;
    out.push_back(std::move(r));
  }

  // Per-period ranks.
  std::map<std::int64_t, std::vector<std::size_t>> by_period;
  for (std::size_t i = 0; i < rows.size(); ++i) by_period[rows[i].period_start].push_back(i);
  std::map<std::pair<std::string, std::int64_t>, bool> month_ok;  // (subject, month ordinal) → attained and top
  const auto metric_of = [&](std::size_t i, const std::string& name) {
    const auto it = rows[i].metrics.find(name);
    if (it == rows[i].metrics.end())
      throw error("scorecard '" + sc.name + "', flags: no KPI metric '" + name + "' for " + rows[i].subject, sc.where,
                  {}, "kefu.kpi.scorecard");
    return it->second;
  };
  for (const auto& kv : by_period) {
    const auto& idx = kv.second;
    if (sc.flags.retrain_bottom) {
      std::vector<double> totals;
      for (auto i : idx) totals.push_back(out[i].total);
      const auto flag = detail::rank_flag(totals, *sc.flags.retrain_bottom, true);
      for (std::size_t j = 0; j < idx.size(); ++j) out[idx[j]].retrain = flag[j];
    }
    if (sc.flags.promotion_months) {
      std::vector<double> ranks;
      for (auto i : idx) ranks.push_back(metric_of(i, sc.flags.promotion_rank_by));
      const auto top = detail::rank_flag(ranks, sc.flags.promotion_top, false);
      for (std::size_t j = 0; j < idx.size(); ++j) {
        const double a = metric_of(idx[j], sc.flags.promotion_metric);
        month_ok[{rows[idx[j]].subject, detail::month_ordinal(kv.first)}] =
            top[j] && !std::isnan(a) && a >= sc.flags.promotion_at_least;
      }
    }
  }
  if (sc.flags.disciplinary_metric) {
    // The metric summed over the subject's rows of the window's months (missing values add nothing).
    std::map<std::string, std::vector<std::size_t>> by_subject;
    for (std::size_t i = 0; i < rows.size(); ++i) by_subject[rows[i].subject].push_back(i);
    const auto& window = sc.flags.disciplinary_window_months;
    for (const auto& kv : by_subject)
      for (const auto i : kv.second) {
        const std::int64_t m = detail::month_ordinal(rows[i].period_start);
        double sum = 0;
        for (const auto j : kv.second) {
          const std::int64_t mj = detail::month_ordinal(rows[j].period_start);
          if (mj > m || (window && mj <= m - *window)) continue;
          const double v = metric_of(j, *sc.flags.disciplinary_metric);
          if (!std::isnan(v)) sum += v;
        }
        out[i].disciplinary = sum >= sc.flags.disciplinary_at_least;
      }
  }
  if (sc.flags.promotion_months)
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::int64_t m = detail::month_ordinal(rows[i].period_start);
      bool ok = true;
      for (int back = 0; back < *sc.flags.promotion_months && ok; ++back) {
        const auto it = month_ok.find({rows[i].subject, m - back});
        ok = it != month_ok.end() && it->second;
      }
      out[i].promotion = ok;
    }
  if (sc.flags.service_star_min_tickets)
    for (const auto& star : service_stars(rows, *sc.flags.service_star_min_tickets))
      for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i].period_start == star.period_start &&
            std::binary_search(star.subjects.begin(), star.subjects.end(), rows[i].subject))
          (star.award == star_award::csat ? out[i].star_csat : out[i].star_fcr) = true;
  return out;
}

}  // namespace kefu::kpi
