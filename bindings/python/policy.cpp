// kefu.Policy: load, evaluate (a dict, a list of dicts, a pandas DataFrame), explain.
#include "register.hpp"
#include "rows.hpp"

#include <kefu/detail/suggest.hpp>
#include <kefu/money.hpp>
#include <kefu/rules/policy.hpp>
#include <kefu/rules/policy_handle.hpp>

#include <pybind11/stl.h>

namespace py = pybind11;
namespace kr = kefu::rules;

namespace kefu::python {

namespace {
py::module_ datetime_module() { return py::module_::import("datetime"); }
}  // namespace

policy_ptr unconst(kr::policy_ptr p) { return std::const_pointer_cast<kr::policy>(std::move(p)); }

std::string type_name(py::handle v) { return py::str(py::type::of(v).attr("__name__")); }

/// A Python value to the text form parse_value reads, checking its Python type against the field.
std::string to_text(const kr::field& f, py::handle v, const kefu::time_zone& zone) {
  auto wrong = [&](const char* expected) -> std::string {
    throw kefu::parse_error("input '" + f.name + "': expected " + expected + ", got " + type_name(v));
  };
  if (py::isinstance<py::str>(v)) return v.cast<std::string>();
  switch (f.type) {
    case kr::value_type::boolean:
      if (!py::isinstance<py::bool_>(v)) return wrong("a bool");
      return v.cast<bool>() ? "true" : "false";
    case kr::value_type::integer:
      if (py::isinstance<py::bool_>(v) || !py::isinstance<py::int_>(v)) {
        if (py::hasattr(v, "__index__") && !py::isinstance<py::bool_>(v)) return py::str(v.attr("__index__")());  // numpy ints
        return wrong("an int");
      }
      return py::str(v);
    case kr::value_type::decimal:
      if (py::isinstance<py::bool_>(v)) return wrong("a number");
      if (py::isinstance<py::int_>(v) || py::isinstance<py::float_>(v) || py::hasattr(v, "__index__"))
        return py::str(py::module_::import("decimal").attr("Decimal")(py::str(v)).attr("__format__")("f"));
      if (py::isinstance(v, py::module_::import("decimal").attr("Decimal"))) return py::str(v.attr("__format__")("f"));
      return wrong("a number");
    case kr::value_type::money:
      if (py::isinstance<kefu::money>(v)) return v.cast<kefu::money>().to_string();
      if (py::isinstance<py::bool_>(v)) return wrong("money");
      if (py::isinstance<py::int_>(v)) return py::str(v);
      if (py::isinstance(v, py::module_::import("decimal").attr("Decimal"))) return py::str(v.attr("__format__")("f"));
      if (py::isinstance<py::float_>(v))
        throw kefu::parse_error("input '" + f.name + "': money cannot be a float (inexact); pass text, a Decimal or kefu.Money");
      return wrong("money (kefu.Money, int, Decimal or text)");
    case kr::value_type::duration:
      if (py::isinstance(v, datetime_module().attr("timedelta")))
        return std::to_string(static_cast<std::int64_t>(v.attr("total_seconds")().cast<double>())) + "s";
      return wrong("a timedelta or text such as '2h'");
    case kr::value_type::date:
      if (py::isinstance(v, datetime_module().attr("datetime"))) return wrong("a date (not a datetime)");
      if (py::isinstance(v, datetime_module().attr("date"))) return py::str(v.attr("isoformat")());
      return wrong("a date");
    case kr::value_type::datetime:
      if (py::isinstance(v, datetime_module().attr("datetime")))
        return kefu::format_instant(to_instant(v, zone), zone);
      if (py::hasattr(v, "to_pydatetime")) return kefu::format_instant(to_instant(v.attr("to_pydatetime")(), zone), zone);
      return wrong("a datetime");
    case kr::value_type::enumeration: return wrong("text");
    case kr::value_type::set: {
      if (!(py::isinstance<py::list>(v) || py::isinstance<py::tuple>(v) || py::isinstance<py::set>(v) ||
            py::isinstance<py::frozenset>(v)))
        return wrong("a list or set of values");
      std::string out;
      for (auto item : v) {
        if (!py::isinstance<py::str>(item)) return wrong("a list of text values");
        out += (out.empty() ? "" : ",") + item.cast<std::string>();
      }
      return out;
    }
    case kr::value_type::text: return wrong("text");
  }
  return {};
}

py::object to_python(const kr::field& f, const kr::value& v, const kefu::time_zone& zone) {
  switch (f.type) {
    case kr::value_type::boolean: return py::bool_(v.number != 0);
    case kr::value_type::integer: return py::int_(v.number);
    case kr::value_type::decimal:
      return py::module_::import("decimal").attr("Decimal")(kr::format_value(f, v));
    case kr::value_type::money: return py::cast(kefu::money::from_fen(v.number));
    case kr::value_type::duration: return datetime_module().attr("timedelta")(py::arg("seconds") = v.number);
    case kr::value_type::date: {
      const auto c = kefu::detail::civil_from_days(v.number);
      return datetime_module().attr("date")(c.year, c.month, c.day);
    }
    case kr::value_type::datetime: return to_datetime(kefu::instant::from_unix(v.number), zone);
    case kr::value_type::enumeration: return py::str(kr::format_value(f, v));
    case kr::value_type::set: {
      py::list items;
      for (std::size_t i = 0; i < f.values.size(); ++i)
        if ((v.number >> i) & 1) items.append(f.values[i]);
      return py::frozenset(items);
    }
    case kr::value_type::text: return py::str(v.text);
  }
  return py::none();
}

py_types py_types::load() {
  const py::module_ dt = py::module_::import("datetime");
  return {dt.attr("datetime"), dt.attr("date"), py::module_::import("decimal").attr("Decimal"), dt.attr("timedelta")};
}

std::optional<kr::value> fast_value(const kr::field& f, py::handle v, const kefu::time_zone& zone, const py_types& t) {
  kr::value out;
  switch (f.type) {
    case kr::value_type::boolean:
      if (!py::isinstance<py::bool_>(v)) return std::nullopt;
      out.number = v.ptr() == Py_True ? 1 : 0;
      return out;
    case kr::value_type::integer:
      if (!PyLong_CheckExact(v.ptr())) return std::nullopt;
      out.number = v.cast<std::int64_t>();
      return out;
    case kr::value_type::money:
      if (py::isinstance<kefu::money>(v)) {
        out.number = v.cast<kefu::money>().fen();
        return out;
      }
      if (PyLong_CheckExact(v.ptr())) {
        const auto yuan = v.cast<std::int64_t>();
        if (yuan > INT64_MAX / 100 || yuan < -INT64_MAX / 100) return std::nullopt;
        out.number = yuan * 100;
        return out;
      }
      return std::nullopt;
    case kr::value_type::date:
      if (!py::isinstance(v, t.date) || py::isinstance(v, t.datetime)) return std::nullopt;
      out.number = kefu::detail::days_from_civil(v.attr("year").cast<std::int64_t>(), v.attr("month").cast<unsigned>(),
                                                 v.attr("day").cast<unsigned>());
      return out;
    case kr::value_type::datetime:
      if (!py::isinstance(v, t.datetime)) return std::nullopt;
      out.number = to_instant(v, zone).unix_seconds();
      return out;
    case kr::value_type::enumeration: {
      if (!PyUnicode_Check(v.ptr())) return std::nullopt;
      const int i = f.value_index(v.cast<std::string>());
      if (i < 0) return std::nullopt;  // the text path explains the error
      out.number = i;
      return out;
    }
    case kr::value_type::text:
      if (!PyUnicode_Check(v.ptr())) return std::nullopt;
      out.text = v.cast<std::string>();
      return out;
    default: return std::nullopt;
  }
}

/// None, NaN, pandas.NA and NaT mean "not given" (a default applies, or the input is missing).
bool is_missing(py::handle v) {
  if (v.is_none()) return true;
  PyObject* o = v.ptr();
  if (PyBool_Check(o) || PyLong_CheckExact(o) || PyUnicode_CheckExact(o)) return false;  // the common cases, cheaply
  if (PyFloat_Check(o)) {
    const double d = PyFloat_AS_DOUBLE(o);
    return d != d;
  }
  const std::string t = type_name(v);
  return t == "NAType" || t == "NaTType";
}

/// numpy scalars (numpy.bool_, numpy.int64 …) to their Python equivalents.
py::object plain(py::handle v) {
  PyObject* o = v.ptr();
  // Built-in values need nothing; testing them for `dtype` would raise and swallow an AttributeError each.
  if (PyBool_Check(o) || PyLong_CheckExact(o) || PyUnicode_CheckExact(o) || PyFloat_CheckExact(o))
    return py::reinterpret_borrow<py::object>(v);
  if (py::isinstance<kefu::money>(v)) return py::reinterpret_borrow<py::object>(v);
  if (PyObject_HasAttrString(o, "dtype") && PyObject_HasAttrString(o, "item")) return v.attr("item")();
  return py::reinterpret_borrow<py::object>(v);
}

namespace {
/// A decision policy as a row_reader target: inputs, with their defaults, must all be given.
struct policy_target {
  const kr::policy* p;
  const std::vector<kr::field>& fields() const { return p->inputs(); }
  const kefu::time_zone& zone() const { return p->zone(); }
  kr::record make() const { return p->make_record(); }
  void set_value(kr::record& r, std::size_t slot, kr::value v) const { p->set_value(r, slot, std::move(v)); }
  void set_text(kr::record& r, std::size_t slot, const std::string& text) const { p->set(r, slot, text); }
  void finish(const kr::record& r) const { p->check_complete(r); }
  [[noreturn]] void unknown(const std::string& name) const {
    std::vector<std::string> names;
    for (const auto& f : p->inputs()) names.push_back(f.name);
    throw kefu::error("policy '" + p->name() + "': unknown input '" + name + "'" + kefu::detail::did_you_mean(name, names));
  }
};
using policy_rows = row_reader<policy_target>;

struct py_decision {
  policy_ptr policy;
  kr::decision decision;
  std::vector<kr::condition_trace> trace;
  bool traced = false;
  py::object rule_id_cache;  // batches set it from one list of id strings (no new str per row)

  py::dict outputs_of(const std::vector<std::optional<kr::value>>& values) const {
    py::dict out;
    for (std::size_t i = 0; i < values.size(); ++i)
      out[py::str(policy->outputs()[i].name)] =
          values[i] ? to_python(policy->outputs()[i], *values[i], policy->zone()) : py::object(py::none());
    return out;
  }
  py::dict outputs() const { return outputs_of(policy->outputs_of(decision)); }
  py::object rule_id() const {
    if (rule_id_cache) return rule_id_cache;
    if (decision.matched.empty()) return py::none();
    return py::str(policy->rules()[decision.matched.front()].id);
  }
  std::vector<std::string> rule_ids() const {
    std::vector<std::string> out;
    for (const auto m : decision.matched) out.push_back(policy->rules()[m].id);
    return out;
  }
  std::string explain() const { return policy->explain(decision, traced ? &trace : nullptr); }
};

}  // namespace

/// A DataFrame of the decisions: one column per output, then rule_id (and rule_ids under collect).
py::object decisions_frame(const kr::policy& p, const std::vector<py_decision>& ds, py::handle index) {
  py::dict columns;
  for (std::size_t o = 0; o < p.outputs().size(); ++o) {
    py::list col;
    for (const auto& d : ds) {
      const auto values = p.outputs_of(d.decision);
      col.append(values[o] ? to_python(p.outputs()[o], *values[o], p.zone()) : py::object(py::none()));
    }
    columns[py::str(p.outputs()[o].name)] = col;
  }
  py::list ids;
  for (const auto& d : ds) ids.append(d.rule_id());
  columns["rule_id"] = ids;
  if (p.hits() == kr::hit_policy::collect) {
    py::list all;
    for (const auto& d : ds) all.append(py::cast(d.rule_ids()));
    columns["rule_ids"] = all;
  }
  return py::module_::import("pandas").attr("DataFrame")(columns, py::arg("index") = index);
}

std::vector<py_decision> evaluate_rows(const policy_ptr& p, py::iterable rows) {
  std::vector<kr::record> records;
  if (PyList_Check(rows.ptr())) records.reserve(static_cast<std::size_t>(PyList_GET_SIZE(rows.ptr())));
  std::size_t row = 0;
  const policy_rows reader(policy_target{p.get()});
  for (auto r : rows) {
    try {
      records.push_back(reader.read(r));
    } catch (const kefu::error& e) {
      throw kefu::error("row " + std::to_string(row) + ": " + e.detail(), e.where(), e.rule_id());
    }
    ++row;
  }
  std::vector<py_decision> out(records.size(), py_decision{p, {}, {}, false});
  std::vector<kr::decision> ds(records.size());
  {
    py::gil_scoped_release release;
    p->evaluate_batch(records.data(), records.size(), ds.data());
  }
  std::vector<py::object> ids;
  ids.reserve(p->rules().size());
  for (const auto& rule : p->rules()) ids.push_back(py::str(rule.id));
  for (std::size_t i = 0; i < ds.size(); ++i) {
    out[i].rule_id_cache = ds[i].matched.empty() ? py::object(py::none()) : ids[ds[i].matched.front()];
    out[i].decision = std::move(ds[i]);
  }
  return out;
}

bool is_frame(py::handle x) { return py::hasattr(x, "to_dict") && py::hasattr(x, "columns") && py::hasattr(x, "index"); }

void register_policy(py::module_& m) {
  py::class_<kr::field>(m, "Field", "An input or output of a policy.")
      .def_readonly("name", &kr::field::name)
      .def_property_readonly("type", [](const kr::field& f) { return kr::to_string(f.type); })
      .def_readonly("values", &kr::field::values)
      .def_readonly("default", &kr::field::default_text)
      .def_readonly("description", &kr::field::description)
      .def_readonly("required", &kr::field::required, "facts vocabulary: every set of facts must give it")
      .def_readonly("derived", &kr::field::derived, "facts vocabulary: how triage computes it (empty: given)")
      .def_readonly("personal", &kr::field::personal, "facts vocabulary: customer personal data")
      .def("__repr__", [](const kr::field& f) { return "Field('" + f.name + "', " + kr::to_string(f.type) + ")"; });

  py::class_<kr::rule>(m, "Rule", "A rule of a policy.")
      .def_readonly("id", &kr::rule::id)
      .def_readonly("description", &kr::rule::description)
      .def_readonly("source", &kr::rule::source)
      .def_readonly("when", &kr::rule::when)
      .def_readonly("priority", &kr::rule::priority)
      .def_property_readonly("line", [](const kr::rule& r) { return r.where.line; })
      .def("__repr__", [](const kr::rule& r) { return "Rule('" + r.id + "')"; });

  py::class_<kr::diagnostic>(m, "Diagnostic", "A warning of the static checks.")
      .def_readonly("message", &kr::diagnostic::message)
      .def_readonly("rule_id", &kr::diagnostic::rule_id)
      .def_readonly("check", &kr::diagnostic::check)
      .def_property_readonly("file", [](const kr::diagnostic& d) { return d.where.file; })
      .def_property_readonly("line", [](const kr::diagnostic& d) { return d.where.line; })
      .def_property_readonly("column", [](const kr::diagnostic& d) { return d.where.column; })
      .def("__str__", [](const kr::diagnostic& d) { return kefu::error::render(d.message, d.where, d.rule_id); });

  py::class_<kr::condition_trace>(m, "ConditionTrace", "One condition of an explanation.")
      .def_readonly("text", &kr::condition_trace::text)
      .def_readonly("result", &kr::condition_trace::result)
      .def_readonly("reads", &kr::condition_trace::reads)
      .def_readonly("words", &kr::condition_trace::words);

  py::class_<py_decision>(m, "Decision", "What a policy decided for one set of facts.")
      .def_property_readonly("outputs", &py_decision::outputs, "output name → value (None when not set)")
      .def_property_readonly("rule_id", &py_decision::rule_id, "the deciding rule, None when the default decided")
      .def_property_readonly("rule_ids", &py_decision::rule_ids, "every matched rule, in order (collect)")
      .def_property_readonly("by_default", [](const py_decision& d) { return d.decision.by_default; })
      .def_property_readonly("trace",
                             [](const py_decision& d) -> py::object {
                               if (!d.traced) return py::none();
                               py::list out;
                               for (const auto& t : d.trace)
                                 out.append(py::make_tuple(d.policy->rules()[t.rule].id, py::cast(t)));
                               return out;
                             })
      .def("explain", &py_decision::explain, "The decision and, when traced, every condition with the values it read.")
      .def("__getitem__",
           [](const py_decision& d, const std::string& name) -> py::object {
             const py::dict outputs = d.outputs();
             if (!outputs.contains(name)) throw py::key_error("no output '" + name + "' in policy '" + d.policy->name() + "'");
             return outputs[py::str(name)];
           })
      .def("__repr__", [](const py_decision& d) {
        return "Decision(" + std::string(py::str(d.outputs())) + ", rule=" + std::string(py::str(d.rule_id())) + ")";
      });

  py::class_<kr::policy, policy_ptr>(m, "DecisionPolicy", "One policy file: a loaded, checked, immutable decision table.")
      .def_static("load", [](py::handle path) { return unconst(kr::load_policy_file(to_path(path))); }, py::arg("path"))
      .def_static(
          "from_yaml", [](const std::string& text, const std::string& name) { return unconst(kr::load_policy_string(text, name)); },
          py::arg("text"), py::arg("name") = "<string>")
      .def_property_readonly("name", &kr::policy::name)
      .def_property_readonly("version", &kr::policy::version)
      .def_property_readonly("description", &kr::policy::description)
      .def_property_readonly("file", &kr::policy::file)
      .def_property_readonly("hit_policy", [](const kr::policy& p) { return kr::to_string(p.hits()); })
      .def_property_readonly("inputs", &kr::policy::inputs)
      .def_property_readonly("outputs", &kr::policy::outputs)
      .def_property_readonly("rules", &kr::policy::rules)
      .def_property_readonly("warnings", &kr::policy::warnings)
      .def_property_readonly("has_default", &kr::policy::has_default)
      .def(
          "evaluate",
          [](const policy_ptr& p, py::handle facts, bool trace) -> py::object {
            if (is_frame(facts)) {
              if (trace) throw py::value_error("trace is for one decision at a time; explain rows one by one");
              const auto ds = evaluate_rows(p, facts.attr("to_dict")("records"));
              return decisions_frame(*p, ds, facts.attr("index"));
            }
            if (py::isinstance<py::list>(facts) || py::isinstance<py::tuple>(facts)) {
              if (trace) throw py::value_error("trace is for one decision at a time; explain rows one by one");
              return py::cast(evaluate_rows(p, py::reinterpret_borrow<py::iterable>(facts)));
            }
            py_decision d{p, {}, {}, trace};
            const kr::record r = policy_rows(policy_target{p.get()}).read(facts);
            p->evaluate(r, d.decision, trace ? &d.trace : nullptr);
            return py::cast(std::move(d));
          },
          py::arg("facts"), py::arg("trace") = false,
          "Decide for a dict of facts (a Decision), a list of dicts (a list of Decisions) or a pandas DataFrame (a "
          "DataFrame of outputs and rule_id, same index). Unknown keys and missing inputs are errors naming the "
          "field; None/NaN/NaT mean not given. Batches evaluate without the GIL.")
      .def("evaluate_many", &evaluate_rows, py::arg("rows"),
           "Decide for many dicts of facts; evaluation runs without the GIL.");

  py::class_<kr::reload_result>(m, "ReloadResult", "What a reload did.")
      .def_readonly("swapped", &kr::reload_result::swapped)
      .def_readonly("message", &kr::reload_result::message)
      .def_readonly("cases_passed", &kr::reload_result::cases_passed)
      .def("__bool__", [](const kr::reload_result& r) { return r.swapped; })
      .def("__repr__", [](const kr::reload_result& r) { return "ReloadResult(" + std::string(r.swapped ? "swapped" : "kept") + ": " + r.message + ")"; });

  py::class_<kr::policy_handle>(m, "PolicyHandle",
                                "A policy that reloads safely: reload() loads, checks and runs the rule tests of the new "
                                "version, and swaps it in atomically only when all pass; readers keep the policy they hold.")
      .def(py::init([](py::handle path, std::vector<std::string> suites) {
             return std::make_unique<kr::policy_handle>(to_path(path), std::move(suites));
           }),
           py::arg("path"), py::arg("suite_files") = std::vector<std::string>{})
      .def_property_readonly("current", [](const kr::policy_handle& h) { return unconst(h.current()); })
      .def_property_readonly("path", &kr::policy_handle::path)
      .def_property_readonly("suite_files", &kr::policy_handle::suite_files)
      .def("reload", &kr::policy_handle::reload, py::call_guard<py::gil_scoped_release>());
}

}  // namespace kefu::python
