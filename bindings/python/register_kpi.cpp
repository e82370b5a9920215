// KPIs over columnar records: kefu._core.KpiTable, KpiTargets, Scorecard, qc_sample.
// Numeric columns are read in place from numpy arrays of float64/float32/int64/int32/int16/int8/
// uint8/bool (zero-copy; other dtypes are refused with the column's name), label codes from int32/
// int16/int8 arrays (what pandas categoricals hold; other integer codes are converted), instants from
// int64 arrays (datetime64 viewed as int64, any unit); the work runs with the GIL released, on
// `threads` threads. The pandas face is python/kefu/kpi.py.
#include "register.hpp"

#include <kefu/kpi/kpi.hpp>
#include <kefu/kpi/training.hpp>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

namespace py = pybind11;
namespace kpi = kefu::kpi;

namespace kefu::python {

namespace {


template <class T>
std::shared_ptr<T> unconst(std::shared_ptr<const T> p) {
  return std::const_pointer_cast<T>(std::move(p));
}

kpi::number_type number_type_of(const py::array& a, const std::string& name) {
  const py::dtype dt = a.dtype();
  const char kind = dt.kind();
  const auto size = dt.itemsize();
  if (kind == 'f' && size == 8) return kpi::number_type::f64;
  if (kind == 'f' && size == 4) return kpi::number_type::f32;
  if (kind == 'i' && size == 8) return kpi::number_type::i64;
  if (kind == 'i' && size == 4) return kpi::number_type::i32;
  if (kind == 'i' && size == 2) return kpi::number_type::i16;
  if (kind == 'i' && size == 1) return kpi::number_type::i8;
  if ((kind == 'u' || kind == 'b') && size == 1) return kpi::number_type::u8;
  throw kpi::column_error(name, -1, "has dtype " + std::string(py::str(dt)) +
                                        "; expected float64, float32, int64, int32, int16, int8, uint8 or bool");
}

/// Options from Python values.
kpi::options make_options(const std::vector<std::string>& by, const std::string& period, py::handle zone,
                          const std::shared_ptr<kpi::targets>& goals, double relative_accuracy) {
  kpi::options o;
  for (const auto& b : by) {
    if (b == "period") throw error("group by period with period='day', 'week', 'month', 'quarter' or 'year', not by=['period']");
    o.by.push_back(kpi::parse_dimension(b));
  }
  o.per = kpi::parse_period(period);
  if (!zone.is_none()) o.zone = to_zone(zone);
  o.goals = goals;
  o.relative_accuracy = relative_accuracy;
  return o;
}

/// Records borrowing numpy arrays; `keep` holds the arrays alive.
struct py_records {
  kpi::records r;
  std::vector<py::array> keep;
};

py_records make_records(std::size_t rows, const py::dict& numbers, const py::dict& instants, std::int64_t unit,
                        std::int64_t offset, const py::dict& labels) {
  py_records out;
  kpi::records& r = out.r;
  r.rows = rows;
  r.instant_unit = unit;
  r.instant_offset = offset;
  for (const auto& kv : labels) {
    const std::string name = py::str(kv.first);
    const auto pair = kv.second.cast<py::tuple>();
    if (!py::isinstance<py::array>(pair[0])) throw kpi::column_error(name, -1, "codes must be an integer array");
    py::array codes = py::reinterpret_borrow<py::array>(pair[0]);
    if (codes.dtype().kind() != 'i' && codes.dtype().kind() != 'u')
      throw kpi::column_error(name, -1, "codes must be an integer array");
    if (codes.ndim() != 1) throw kpi::column_error(name, -1, "must be one-dimensional");
    kpi::label_column col;
    const auto size = codes.dtype().itemsize();
    if (codes.dtype().kind() == 'i' && (size == 4 || size == 2 || size == 1) && (codes.flags() & py::array::c_style)) {
      col.type = size == 4 ? kpi::code_type::i32 : size == 2 ? kpi::code_type::i16 : kpi::code_type::i8;
    } else {
      codes = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>::ensure(codes);
      if (!codes) throw kpi::column_error(name, -1, "codes must be an integer array");
    }
    col.codes = codes.data();
    col.size = static_cast<std::size_t>(codes.size());
    col.labels = pair[1].cast<std::vector<std::string>>();
    out.keep.push_back(codes);
    kpi::label_column* slot = kpi::find_column<kpi::label_column>(r, name);
    if (!slot)
      throw kpi::column_error(name, -1, "is not a grouping column (" + kpi::column_list<kpi::label_column>() + ")");
    *slot = std::move(col);
  }
  for (const auto& kv : instants) {
    const std::string name = py::str(kv.first);
    py::array a = py::reinterpret_borrow<py::array>(kv.second);
    if (a.dtype().kind() != 'i' || a.dtype().itemsize() != 8 || a.ndim() != 1 ||
        !(a.flags() & py::array::c_style))
      throw kpi::column_error(name, -1, "instants must be a contiguous int64 array (datetime64 viewed as int64)");
    const kpi::instant_column col{static_cast<const std::int64_t*>(a.data()), static_cast<std::size_t>(a.size())};
    out.keep.push_back(a);
    kpi::instant_column* slot = kpi::find_column<kpi::instant_column>(r, name);
    if (!slot)
      throw kpi::column_error(name, -1, "is not an instant column (" + kpi::column_list<kpi::instant_column>() + ")");
    *slot = col;
  }
  for (const auto& kv : numbers) {
    const std::string name = py::str(kv.first);
    py::array a = py::reinterpret_borrow<py::array>(kv.second);
    if (a.ndim() != 1) throw kpi::column_error(name, -1, "must be one-dimensional");
    if (!(a.flags() & py::array::c_style)) a = py::module_::import("numpy").attr("ascontiguousarray")(a);
    const kpi::number_column col(a.data(), number_type_of(a, name), static_cast<std::size_t>(a.size()));
    out.keep.push_back(a);
    kpi::number_column* slot = kpi::find_column<kpi::number_column>(r, name);
    if (!slot) throw kpi::column_error(name, -1, "is not a KPI column");
    *slot = col;
  }
  return out;
}

/// The table as columns: group labels, period start days, metrics, goal outcomes.
py::dict table_columns(const kpi::table& t) {
  py::dict out;
  const std::size_t n = t.size();
  py::list groups;
  for (auto d : t.config().by) {
    py::list col;
    for (std::size_t g = 0; g < n; ++g) col.append(t.label(g, d));
    out[kpi::to_string(d)] = col;
    groups.append(kpi::to_string(d));
  }
  if (t.config().per != kpi::period::none) {
    py::array_t<std::int64_t> days(static_cast<py::ssize_t>(n));
    for (std::size_t g = 0; g < n; ++g) days.mutable_data()[g] = t.key(g).period_start;
    out["period"] = days;
  }
  const auto names = kpi::metric_names(t);
  std::vector<py::array_t<double>> cols;
  for (std::size_t k = 0; k < names.size(); ++k) cols.emplace_back(static_cast<py::ssize_t>(n));
  const auto goals = t.config().goals;
  const std::size_t n_goals = goals ? goals->metrics.size() : 0;
  std::vector<py::array_t<std::int8_t>> outcome_cols;
  for (std::size_t k = 0; k < n_goals; ++k) outcome_cols.emplace_back(static_cast<py::ssize_t>(n));
  for (std::size_t g = 0; g < n; ++g) {
    const auto v = kpi::metric_values(t, g);
    for (std::size_t k = 0; k < names.size(); ++k) cols[k].mutable_data()[g] = v[k];
    const auto o = kpi::evaluate_targets(t, g, names, v);
    for (std::size_t k = 0; k < n_goals; ++k) outcome_cols[k].mutable_data()[g] = static_cast<std::int8_t>(o[k]);
  }
  py::dict metrics;
  for (std::size_t k = 0; k < names.size(); ++k) metrics[py::str(names[k])] = cols[k];
  py::dict outcomes;
  for (std::size_t k = 0; k < n_goals; ++k) outcomes[py::str(goals->metrics[k].metric)] = outcome_cols[k];
  return py::dict(py::arg("groups") = groups, py::arg("keys") = out, py::arg("metrics") = metrics,
                  py::arg("outcomes") = outcomes);
}

/// The column table (kefu/kpi/records.hpp) as a list of dicts: python/kefu/kpi.py takes its column lists
/// from it and a test compares it with docs/kpis.md.
py::list column_table() {
  py::list out;
  for (const auto& c : kpi::columns) {
    py::object range = py::none();
    if (c.unit.t == kpi::column_unit::type::score) range = py::make_tuple(c.unit.lo, c.unit.hi);
    static constexpr const char* units[] = {"", "seconds", "count", "score"};
    out.append(py::dict(py::arg("name") = std::string(c.name), py::arg("kind") = kpi::to_string(c.kind),
                        py::arg("need") = kpi::to_string(c.need),
                        py::arg("unit") = units[static_cast<std::size_t>(c.unit.t)], py::arg("range") = range,
                        py::arg("whole") = c.unit.whole, py::arg("description") = std::string(c.description)));
  }
  return out;
}

}  // namespace

namespace {
/// Scorecard rows from columns (one entry per subject and period); every column as long as the subjects.
std::vector<kpi::scorecard_row> scorecard_rows(const char* what, const std::vector<std::string>& subjects,
                                               const std::vector<std::int64_t>& periods,
                                               const std::map<std::string, std::vector<double>>& metrics,
                                               const std::map<std::string, std::vector<double>>* inputs) {
  const std::size_t n = subjects.size();
  if (periods.size() != n) throw error(std::string(what) + ": periods and subjects differ in length");
  std::vector<kpi::scorecard_row> rows(n);
  auto fill = [n](const std::map<std::string, std::vector<double>>& columns, std::vector<kpi::scorecard_row>& out, bool metric) {
    for (const auto& kv : columns) {
      if (kv.second.size() != n) throw kpi::column_error(kv.first, -1, "length differs from the subjects");
      for (std::size_t i = 0; i < n; ++i) (metric ? out[i].metrics : out[i].inputs)[kv.first] = kv.second[i];
    }
  };
  for (std::size_t i = 0; i < n; ++i) {
    rows[i].subject = subjects[i];
    rows[i].period_start = periods[i];
  }
  fill(metrics, rows, true);
  if (inputs) fill(*inputs, rows, false);
  return rows;
}
}  // namespace

void register_kpi(py::module_& m) {
  m.def("kpi_columns", &column_table,
        "The KPI records columns, one dict per column: name, kind (label, instant, number, flag), need (required, "
        "optional, grouping), unit ('', seconds, count, score), range ((lo, hi) of a score or None), whole, "
        "description.");
  py::class_<kpi::targets, std::shared_ptr<kpi::targets>>(m, "KpiTargets",
                                                          "KPI targets from a `targets:` YAML file (DOM-KPI-1).")
      .def_static("load", [](const path_arg& path) { return unconst(kpi::load_targets_file(to_path(path))); },
                  py::arg("path"), "KPI targets from their YAML file.")
      .def_static(
          "from_string",
          [](const std::string& yaml, const std::string& name) { return unconst(kpi::load_targets_string(yaml, name)); },
          py::arg("yaml"), py::arg("name") = "<string>", "KPI targets from YAML text; `name` stands for the file in errors.")
      .def_property_readonly("name", [](const kpi::targets& t) { return t.name; }, "The targets file's name.")
      .def_property_readonly("description", [](const kpi::targets& t) { return t.description; }, "What the targets are for, from the YAML file.")
      .def_property_readonly("source", [](const kpi::targets& t) { return t.source; }, "The handbook clause the targets come from.")
      .def_property_readonly("qc_pass_mark", [](const kpi::targets& t) { return t.qc_pass_mark; }, "The QC score at or above which a ticket passes quality control.")
      .def_property_readonly(
          "training",
          [](const kpi::targets& t) -> optional_dict_result {
            if (!t.training) return py::none();
            return py::dict(py::arg("full_marks") = t.training->full_marks, py::arg("pass_mark") = t.training->pass_mark,
                            py::arg("follow_up_days") = t.training->follow_up_days, py::arg("source") = t.training->source);
          },
          "003's training assessment when the file has `training:` (full_marks, pass_mark, follow_up_days, source), "
          "else None")
      .def_property_readonly(
          "waiting_bands", [](const kpi::targets& t) { return py::make_tuple(t.wait_bands[0], t.wait_bands[1], t.wait_bands[2]); },
          "the queue-wait bands' upper bounds in seconds: patient, explain, alternatives (past the last: complaint risk)")
      .def_property_readonly("goals",
                             [](const kpi::targets& t) {
                               py::list out;
                               for (const auto& g : t.metrics)
                                 out.append(py::make_tuple(g.metric, g.cmp == kpi::comparison::at_least ? ">=" : "<=",
                                                           g.threshold, g.text));
                               return out;
                             },
                             "(metric, '>=' or '<=', threshold in the metric's unit, text as written) per goal")
      .def_property_readonly("sla",
                             [](const kpi::targets& t) {
                               py::list out;
                               for (const auto& s : t.sla)
                                 out.append(py::make_tuple(s.name, kpi::to_string(s.until),
                                                           kefu::calendar::to_string(s.within)));
                               return out;
                             },
                             "(name, when the clock stops, target as written) per SLA target.")
      .def_property_readonly("sla_calendars",
                             [](const kpi::targets& t) {
                               py::dict out;
                               for (const auto& s : t.sla)
                                 out[py::str(s.name)] =
                                     s.on ? py::cast(std::const_pointer_cast<kefu::calendar::calendar>(s.on))
                                          : py::object(py::none());
                               return out;
                             },
                             "SLA name → the Calendar its working days or business hours count on (None for wall time)")
      .def_property_readonly("channels", [](const kpi::targets& t) {
        py::dict out;
        for (const auto& c : t.channels) {
          py::dict d;
          if (c.first_response) d["first_response"] = *c.first_response;
          if (c.average_response) d["average_response"] = *c.average_response;
          if (c.handling) d["handling"] = *c.handling;
          out[py::str(c.channel)] = d;
        }
        return out;
      }, "Channel → its own response and handling targets in seconds (first_response, average_response, handling).");

  py::class_<kpi::table>(m, "KpiTable", "KPI accumulators per group: mergeable and serialisable (kefu.kpi.kpis).")
      .def_static(
          "compute",
          [](std::size_t rows, const py::dict& numbers, const py::dict& instants, std::int64_t unit, const py::dict& labels,
             const std::vector<std::string>& by, const std::string& period, const zone_arg& zone,
             std::shared_ptr<kpi::targets> goals, double relative_accuracy, std::int64_t instant_offset,
             unsigned threads) {
            const kpi::options o = make_options(by, period, zone, goals, relative_accuracy);
            py_records rec = make_records(rows, numbers, instants, unit, instant_offset, labels);
            py::gil_scoped_release release;
            return kpi::compute(rec.r, o, threads);
          },
          py::arg("rows"), py::arg("numbers"), py::arg("instants"), py::arg("instant_unit"), py::arg("labels"),
          py::arg("by"), py::arg("period"), py::arg("zone"), py::arg("targets"), py::arg("relative_accuracy"),
          py::arg("instant_offset") = 0, py::arg("threads") = 1,
          "Internal (kefu.kpi.partial): the accumulators of records given as numpy columns.")
      .def_static(
          "from_bytes",
          [](const py::bytes& data, const std::vector<std::string>& by, const std::string& period, const zone_arg& zone,
             std::shared_ptr<kpi::targets> goals, double relative_accuracy) {
            const kpi::options o = make_options(by, period, zone, goals, relative_accuracy);
            const std::string s = data;
            return kpi::table::from_bytes(s, o);
          },
          py::arg("data"), py::arg("by"), py::arg("period"), py::arg("zone"), py::arg("targets"),
          py::arg("relative_accuracy"), "A table from to_bytes() (kefu.dask ships partitions' tables so).")
      .def("to_bytes", [](const kpi::table& t) { return py::bytes(t.to_bytes()); }, "The accumulators as bytes (from_bytes reads them).")
      .def("merge", [](kpi::table& t, const kpi::table& o) { t.merge(o); }, py::arg("other"),
           "Adds another table's accumulators (same grouping): exact for counts and sums, within the sketch accuracy "
           "for percentiles.")
      .def("copy", [](const kpi::table& t) { return t; }, "An independent copy (merge() into it leaves this table as it is).")
      .def("__copy__", [](const kpi::table& t) { return t; })
      .def("__deepcopy__", [](const kpi::table& t, const py::dict&) { return t; }, py::arg("memo"))
      .def("__len__", &kpi::table::size)
      .def("__eq__", [](const kpi::table& a, const kpi::table& b) { return a == b; })
      .def("metric_names", [](const kpi::table& t) { return kpi::metric_names(t); }, "The KPI columns the table computes, in order.")
      .def_property_readonly("relative_accuracy", [](const kpi::table& t) { return t.config().relative_accuracy; }, "The relative accuracy of the percentile sketches (e.g. 0.005 = 0.5%).")
      .def("columns", &table_columns, "groups, keys (labels and period start days), metrics, outcomes (1/0/-1)")
      .def_property_readonly(
          "zone_offset", [](const kpi::table& t) { return t.config().zone.offset().count(); },
          "seconds east of UTC of the zone whose local dates make the periods (for period labels as aware datetimes)");

  py::class_<kpi::scorecard, std::shared_ptr<kpi::scorecard>>(m, "Scorecard",
                                                              "A weighted scorecard from a `scorecard:` YAML file.")
      .def_static("load", [](const path_arg& path) { return unconst(kpi::load_scorecard_file(to_path(path))); },
                  py::arg("path"), "A scorecard from its YAML file.")
      .def_static(
          "from_string",
          [](const std::string& yaml, const std::string& name) { return unconst(kpi::load_scorecard_string(yaml, name)); },
          py::arg("yaml"), py::arg("name") = "<string>", "A scorecard from YAML text; `name` stands for the file in errors.")
      .def_property_readonly("name", [](const kpi::scorecard& s) { return s.name; }, "The scorecard's name.")
      .def_property_readonly("description", [](const kpi::scorecard& s) { return s.description; }, "What the scorecard is for, from the YAML file.")
      .def_property_readonly("source", [](const kpi::scorecard& s) { return s.source; }, "The handbook clause the scorecard comes from.")
      .def_property_readonly("subject", [](const kpi::scorecard& s) { return s.subject; }, "Who is scored: agent or team.")
      .def_property_readonly("items",
                             [](const kpi::scorecard& s) {
                               py::list out;
                               for (const auto& i : s.items)
                                 out.append(py::dict(py::arg("id") = i.id, py::arg("group") = i.group,
                                                     py::arg("weight") = i.weight, py::arg("value") = i.value.text(),
                                                     py::arg("full") = i.full.text(),
                                                     py::arg("cap") = i.cap ? py::object(py::float_(*i.cap)) : py::none(),
                                                     py::arg("description") = i.description));
                               return out;
                             },
                             "The scored items: {id, group, weight, value, full, cap, description} each.")
      .def_property_readonly("bonuses",
                             [](const kpi::scorecard& s) {
                               py::list out;
                               for (const auto& b : s.bonuses)
                                 out.append(py::dict(py::arg("id") = b.id, py::arg("value") = b.value.text(),
                                                     py::arg("points") = b.points, py::arg("description") = b.description));
                               return out;
                             },
                             "The bonus items: {id, value, points, description} each.")
      .def_property_readonly(
          "disciplinary_review",
          [](const kpi::scorecard& s) -> optional_dict_result {
            const auto& f = s.flags;
            if (!f.disciplinary_metric) return py::none();
            return py::dict(py::arg("metric") = *f.disciplinary_metric, py::arg("at_least") = f.disciplinary_at_least,
                            py::arg("window") = f.disciplinary_window_months ? py::object(py::int_(*f.disciplinary_window_months))
                                                                             : py::object(py::none()));
          },
          "None, or {metric, at_least, window}: window is the months counted (None: the whole record)")
      .def_property_readonly(
          "service_star",
          [](const kpi::scorecard& s) -> optional_dict_result {
            if (!s.flags.service_star_min_tickets) return py::none();
            return py::dict(py::arg("min_tickets") = *s.flags.service_star_min_tickets);
          },
          "None, or {min_tickets}: the card flags each month's service stars (002 §7.3)")
      .def_property_readonly("inputs",
                             [](const kpi::scorecard& s) {
                               std::vector<std::string> out;
                               std::function<void(const kpi::term&)> walk = [&](const kpi::term& t) {
                                 if (t.k == kpi::term::kind::input &&
                                     std::find(out.begin(), out.end(), t.name) == out.end())
                                   out.push_back(t.name);
                                 for (const auto& a : t.args) walk(a);
                               };
                               for (const auto& i : s.items) walk(i.value), walk(i.full);
                               for (const auto& b : s.bonuses) walk(b.value);
                               return out;
                             },
                             "names of the inputs (input.NAME) the scorecard reads")
      .def(
          "evaluate",
          [](const kpi::scorecard& s, const std::vector<std::string>& subjects, const std::vector<std::int64_t>& periods,
             const std::map<std::string, std::vector<double>>& metrics,
             const std::map<std::string, std::vector<double>>& inputs) {
            const auto res = kpi::evaluate(s, scorecard_rows("scorecard", subjects, periods, metrics, &inputs));
            py::dict out;
            for (std::size_t k = 0; k < s.items.size(); ++k) {
              std::vector<double> col;
              for (const auto& r : res) col.push_back(r.points[k]);
              out[py::str(s.items[k].id)] = col;
            }
            std::vector<double> bonus, total;
            std::vector<bool> retrain, promotion, disciplinary, star_csat, star_fcr;
            for (const auto& r : res) {
              bonus.push_back(r.bonus), total.push_back(r.total);
              retrain.push_back(r.retrain), promotion.push_back(r.promotion), disciplinary.push_back(r.disciplinary);
              star_csat.push_back(r.star_csat), star_fcr.push_back(r.star_fcr);
            }
            out["bonus"] = bonus;
            out["total"] = total;
            out["retrain"] = retrain;
            out["promotion"] = promotion;
            out["disciplinary_review"] = disciplinary;
            if (s.flags.service_star_min_tickets) {
              out["star_csat"] = star_csat;
              out["star_fcr"] = star_fcr;
            }
            return out;
          },
          py::arg("subjects"), py::arg("periods"), py::arg("metrics"), py::arg("inputs"),
          "Internal (kefu.kpi.scorecard): each subject-period's item points, total and flags, as columns.");

  m.attr("default_star_min_tickets") = kpi::default_star_min_tickets;
  m.def(
      "service_stars",
      [](const std::vector<std::string>& subjects, const std::vector<std::int64_t>& periods,
         const std::map<std::string, std::vector<double>>& metrics, int min_tickets) {
        const auto rows = scorecard_rows("service stars", subjects, periods, metrics, nullptr);
        py::list out;
        for (const auto& star : kpi::service_stars(rows, min_tickets))
          out.append(py::dict(py::arg("period") = star.period_start, py::arg("award") = kpi::to_string(star.award),
                              py::arg("metric") = kpi::metric_of(star.award), py::arg("value") = star.value,
                              py::arg("subjects") = star.subjects));
        return out;
      },
      py::arg("subjects"), py::arg("periods"), py::arg("metrics"), py::arg("min_tickets"),
      "002 §7.3's monthly service stars: per period, {period, award (csat/fcr), metric, value, subjects}");

  m.def(
      "assess_training",
      [](const kpi::targets& t, const std::vector<std::tuple<std::string, std::string, std::int64_t, double>>& exams,
         const std::vector<std::tuple<std::string, std::string, std::int32_t, std::int64_t>>& evaluations, std::int64_t as_of) {
        if (!t.training)
          throw kefu::error("targets '" + t.name + "' have no `training:` block (the shipped one is in "
                            "rules/kpi/targets-fresh-food.yaml, fresh-food-team)", {}, {}, "kefu.kpi.training");
        std::vector<kpi::exam_result> e;
        for (const auto& [agent, training, ended, score] : exams) e.push_back({agent, training, ended, score});
        std::vector<kpi::follow_up_evaluation> v;
        for (const auto& [agent, training, after, done] : evaluations) v.push_back({agent, training, after, done});
        py::list out;
        for (const auto& a : kpi::assess_training(*t.training, e, v, as_of)) {
          py::list follow_ups;
          for (const auto& f : a.follow_ups)
            follow_ups.append(py::make_tuple(f.after_days, f.due, f.done ? py::object(py::int_(*f.done)) : py::object(py::none()),
                                             kpi::to_string(f.status)));
          out.append(py::make_tuple(a.passed, follow_ups));
        }
        return out;
      },
      py::arg("targets"), py::arg("exams"), py::arg("evaluations"), py::arg("as_of"),
      "Internal (kefu.kpi.training): exams (agent, training, ended day, score) and evaluations (agent, training, "
      "after_days, done day), days since 1970-01-01; per exam (passed, [(after_days, due, done or None, status)])");

  m.def(
      "qc_sample",
      [](py::array_t<std::int32_t, py::array::c_style | py::array::forcecast> codes, std::vector<std::string> labels,
         py::array_t<std::int64_t, py::array::c_style> created, std::int64_t unit, std::vector<std::string> ids,
         double rate, std::uint64_t seed, const optional_zone_arg& zone) {
        kpi::label_column agent;
        agent.codes = codes.data();
        agent.size = static_cast<std::size_t>(codes.size());
        agent.labels = std::move(labels);
        const kpi::instant_column c{created.data(), static_cast<std::size_t>(created.size())};
        kpi::qc_sampler s;
        s.rate = rate;
        s.seed = seed;
        if (!zone.is_none()) s.zone = to_zone(zone);
        std::vector<std::uint8_t> mask;
        {
          py::gil_scoped_release release;
          mask = s.sample(agent, c, ids, unit);
        }
        py::array_t<bool> out(static_cast<py::ssize_t>(mask.size()));
        std::copy(mask.begin(), mask.end(), reinterpret_cast<std::uint8_t*>(out.mutable_data()));
        return out;
      },
      py::arg("agent_codes"), py::arg("agent_labels"), py::arg("created_at"), py::arg("instant_unit"),
      py::arg("ticket_ids"), py::arg("rate"), py::arg("seed"), py::arg("zone"),
      "Internal (kefu.kpi.qc_sample): the seeded QC sample mask (DOM-KPI-5).");
}

}  // namespace kefu::python
