// kefu.DecisionColumns: the decisions of a batch as numpy columns (convert/columns.hpp reads the batch,
// kefu/rules/batch.hpp decides it).
#include "register.hpp"

#include "convert/columns.hpp"

#include <kefu/rules/batch.hpp>
#include <kefu/rules/policy.hpp>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstdint>

namespace py = pybind11;
namespace kr = kefu::rules;

namespace kefu::python {

namespace {

/// The decisions of a batch as columns (kefu.DecisionColumns).
struct py_decision_columns {
  policy_ptr policy;
  kr::decision_columns m;
  py::object index;  // the DataFrame's index, or None
  py::dict outputs;
  py::object rule_index, rule_id, by_default;

  std::size_t size() const { return m.size(); }

  /// numpy's take of a palette (one entry per rule, then the default's) by each row's deciding rule.
  py::object take(const py::array& palette) const {
    py::array_t<std::int64_t> pick(static_cast<py::ssize_t>(size()));
    auto out = pick.mutable_unchecked<1>();
    const auto rules = static_cast<std::int64_t>(policy->rules().size());
    for (std::size_t i = 0; i < size(); ++i) out(static_cast<py::ssize_t>(i)) = m.rule_index[i] < 0 ? rules : m.rule_index[i];
    return palette.attr("take")(pick);
  }

  /// The value of output o when rule r decides (r = rules: the default); nullptr when unset.
  const kr::value* value_of(std::size_t r, std::size_t o) const {
    return m.decided(r < policy->rules().size() ? static_cast<std::int32_t>(r) : -1, o);
  }

  py::object column(std::size_t o) const {
    const auto& p = *policy;
    const auto& f = p.outputs()[o];
    const std::size_t n = p.rules().size() + 1;
    const bool typed = m.always_set(o) && (f.type == kr::value_type::boolean || f.type == kr::value_type::integer ||
                                  f.type == kr::value_type::duration || f.type == kr::value_type::date);
    if (typed) {
      py::array_t<std::int64_t> palette(static_cast<py::ssize_t>(n));
      auto v = palette.mutable_unchecked<1>();
      for (std::size_t r = 0; r < n; ++r) {
        const kr::value* x = value_of(r, o);
        v(static_cast<py::ssize_t>(r)) = x ? x->number : 0;
      }
      const char* dtype = f.type == kr::value_type::boolean   ? "bool"
                          : f.type == kr::value_type::integer ? "int64"
                          : f.type == kr::value_type::duration ? "timedelta64[s]"
                                                               : "datetime64[D]";
      return take(palette.attr("astype")(dtype));
    }
    py::array palette = numpy().attr("empty")(n, py::arg("dtype") = "object");
    for (std::size_t r = 0; r < n; ++r) {
      const kr::value* x = value_of(r, o);
      palette[py::int_(r)] = x ? to_python(f, *x, p.zone()) : py::object(py::none());
    }
    return take(palette);
  }

  void build() {
    const auto& p = *policy;
    const std::size_t n = size();
    py::array_t<std::int32_t> index(static_cast<py::ssize_t>(n));
    py::array_t<bool> by(static_cast<py::ssize_t>(n));
    auto iv = index.mutable_unchecked<1>();
    auto bv = by.mutable_unchecked<1>();
    for (std::size_t i = 0; i < n; ++i) {
      iv(static_cast<py::ssize_t>(i)) = m.rule_index[i];
      bv(static_cast<py::ssize_t>(i)) = m.by_default[i] != 0;
    }
    rule_index = index;
    by_default = by;
    py::array ids = numpy().attr("empty")(p.rules().size() + 1, py::arg("dtype") = "object");
    for (std::size_t r = 0; r < p.rules().size(); ++r) ids[py::int_(r)] = py::str(p.rules()[r].id);
    ids[py::int_(p.rules().size())] = py::none();
    rule_id = take(ids);
    for (std::size_t o = 0; o < p.outputs().size(); ++o) outputs[py::str(p.outputs()[o].name)] = column(o);
  }

  std::size_t output(const std::string& name) const {
    for (std::size_t o = 0; o < policy->outputs().size(); ++o)
      if (policy->outputs()[o].name == name) return o;
    throw py::key_error("no output '" + name + "' in policy '" + policy->name() + "'");
  }

  /// Value indices of an enum output per row (−1: not set).
  py::object codes(const std::string& name) const {
    const std::size_t o = output(name);
    const auto& f = policy->outputs()[o];
    if (f.type != kr::value_type::enumeration)
      throw py::type_error("output '" + name + "' is " + kr::to_string(f.type) + ", not enum: codes are for enum outputs");
    const std::size_t n = policy->rules().size() + 1;
    py::array_t<std::int32_t> palette(static_cast<py::ssize_t>(n));
    auto v = palette.mutable_unchecked<1>();
    for (std::size_t r = 0; r < n; ++r) {
      const kr::value* x = value_of(r, o);
      v(static_cast<py::ssize_t>(r)) = x ? static_cast<std::int32_t>(x->number) : -1;
    }
    return take(palette);
  }

  py::list rule_ids() const {
    std::vector<py::object> ids;
    for (const auto& r : policy->rules()) ids.push_back(py::str(r.id));
    py::list out(size());
    for (std::size_t i = 0; i < size(); ++i) {
      py::list row(static_cast<std::size_t>(m.match_offsets[i + 1] - m.match_offsets[i]));
      for (auto k = m.match_offsets[i]; k < m.match_offsets[i + 1]; ++k)
        row[static_cast<std::size_t>(k - m.match_offsets[i])] = ids[static_cast<std::size_t>(m.match_rules[static_cast<std::size_t>(k)])];
      out[i] = row;
    }
    return out;
  }

  py::object to_pandas(py::object index, bool categorical) const {
    const py::module_ pd = py::module_::import("pandas");
    py::dict columns;
    for (std::size_t o = 0; o < policy->outputs().size(); ++o) {
      const auto& f = policy->outputs()[o];
      if (categorical && f.type == kr::value_type::enumeration)
        columns[py::str(f.name)] = pd.attr("Categorical").attr("from_codes")(codes(f.name), py::arg("categories") = py::cast(f.values));
      else
        columns[py::str(f.name)] = outputs[py::str(f.name)];
    }
    columns["rule_id"] = rule_id;
    if (policy->hits() == kr::hit_policy::collect) columns["rule_ids"] = rule_ids();
    return pd.attr("DataFrame")(columns, py::arg("index") = index.is_none() ? this->index : index);
  }
};

}  // namespace

py::object evaluate_columns(const policy_ptr& p, py::handle data, bool strict) {
  py_decision_columns out{p, {}, py::none(), {}, {}, {}, {}};
  out.m = decide_columns(*p, data, out.index, strict);
  out.build();
  return py::cast(std::move(out));
}

void register_decision_columns(py::module_& m) {
  py::class_<py_decision_columns>(
      m, "DecisionColumns",
      "The decisions of a batch as columns (DecisionPolicy.evaluate_columns): numpy arrays with one entry per row.")
      .def("__len__", &py_decision_columns::size)
      .def_readonly("outputs", &py_decision_columns::outputs,
                    "output name → numpy array: bool/int64/timedelta64[s]/datetime64[D] when every rule sets the "
                    "output, else object (money: kefu.Money, decimal: Decimal, enum and text: str, None when unset)")
      .def_property_readonly("rule_index", [](const py_decision_columns& c) -> ndarray_result { return c.rule_index; },
                    "int32: index into policy.rules of the deciding rule (collect: the first matched), -1 for the default")
      .def_property_readonly("rule_id", [](const py_decision_columns& c) -> ndarray_result { return c.rule_id; },
                             "object: the deciding rule's id, None when the default decided")
      .def_property_readonly("by_default", [](const py_decision_columns& c) -> ndarray_result { return c.by_default; },
                             "bool: no rule matched")
      .def_property_readonly(
          "match_offsets",
          [](const py_decision_columns& c) { return py::array_t<std::int64_t>(static_cast<py::ssize_t>(c.m.match_offsets.size()), c.m.match_offsets.data()); },
          "int64, len(self) + 1: row i matched match_rules[match_offsets[i]:match_offsets[i + 1]]")
      .def_property_readonly(
          "match_rules",
          [](const py_decision_columns& c) { return py::array_t<std::int32_t>(static_cast<py::ssize_t>(c.m.match_rules.size()), c.m.match_rules.data()); },
          "int32: indices into policy.rules of every matched rule, row after row, in order")
      .def_property_readonly("rule_ids", &py_decision_columns::rule_ids, "per row, the ids of every matched rule in order")
      .def_property_readonly("index", [](const py_decision_columns& c) -> index_result { return c.index; },
                             "the DataFrame's index when a DataFrame was given, else None")
      .def("codes", [](const py_decision_columns& c, const std::string& output) -> ndarray_result { return c.codes(output); },
           py::arg("output"),
           "int32 value indices of an enum output (into policy.outputs[...].values), -1 when unset")
      .def("to_pandas",
           [](const py_decision_columns& c, const index_arg& index, bool categorical) -> dataframe_result {
             return c.to_pandas(index, categorical);
           },
           py::arg("index") = py::none(), py::arg("categorical") = false,
           "A DataFrame: one column per output, then rule_id (and rule_ids under collect); enum outputs as "
           "pandas.Categorical with categorical=True. The index is the given one, else the input DataFrame's.")
      .def("__getitem__",
           [](const py_decision_columns& c, const std::string& name) -> ndarray_result {
             c.output(name);  // throws a KeyError naming the policy
             return c.outputs[py::str(name)];
           })
      .def("__repr__", [](const py_decision_columns& c) {
        std::string names;
        for (const auto& f : c.policy->outputs()) names += (names.empty() ? "" : ", ") + f.name;
        return "DecisionColumns(policy '" + c.policy->name() + "', " + std::to_string(c.size()) + " rows; outputs " + names + ")";
      });
}

}  // namespace kefu::python
