// kefu.DecisionPolicy: load, evaluate (a dict, a list of dicts, a pandas DataFrame), explain. Rows are read
// by convert/rows.hpp and decided by kefu/rules/batch.hpp; evaluate_columns is register_decision_columns.cpp's.
#include "register.hpp"

#include "fastcall.hpp"

#include "convert/columns.hpp"
#include "convert/rows.hpp"
#include "partial_decision.hpp"

#include <kefu/detail/suggest.hpp>
#include <kefu/money.hpp>
#include <kefu/rules/batch.hpp>
#include <kefu/rules/partial.hpp>
#include <kefu/rules/policy.hpp>
#include <kefu/rules/policy_handle.hpp>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <climits>
#include <cstdint>

namespace py = pybind11;
namespace kr = kefu::rules;

namespace kefu::python {

policy_ptr unconst(kr::policy_ptr p) { return std::const_pointer_cast<kr::policy>(std::move(p)); }

namespace {
struct py_decision {
  policy_ptr policy;
  kr::decision decision;
  std::vector<kr::condition_trace> trace;
  bool traced = false;
  py::object rule_id_cache;  // batches set it from one list of id strings (no new str per row)

  py::dict outputs_of(const std::vector<std::optional<kr::value>>& values) const { return outputs_dict(*policy, values); }
  py::dict outputs() const { return outputs_of(policy->outputs_of(decision)); }
  optional_str_result rule_id() const {
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

/// What evaluate(dict) keeps on its policy object between calls: the row reader and each rule's id as a Python
/// str, so a decision's rule_id is a shared str rather than a new one per call.
struct evaluate_cache : policy_rows {
  std::vector<py::object> rule_ids;
  explicit evaluate_cache(const policy_ptr& p) : policy_rows(policy_target{p.get()}) {
    rule_ids.reserve(p->rules().size());
    for (const auto& rule : p->rules()) rule_ids.push_back(py::str(rule.id));
  }
};

/// evaluate(facts) of one mapping: a Decision.
py::object evaluate_one(py::handle self, const policy_ptr& p, py::handle facts, bool trace) {
  py_decision d{p, {}, {}, trace, {}};
  const auto cache = cached_reader<evaluate_cache>(self, "_kefu_input_reader", [&] { return evaluate_cache(p); });
  const kr::record r = cache->read(facts);
  p->evaluate(r, d.decision, trace ? &d.trace : nullptr);
  d.rule_id_cache = d.decision.matched.empty() ? py::object(py::none()) : cache->rule_ids[d.decision.matched.front()];
  return py::cast(std::move(d));
}

/// DecisionPolicy.evaluate(dict), the per-call form, without pybind11's dispatch (fastcall.hpp).
PyObject* evaluate_fast(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
  if (nargs != 1 || !PyDict_CheckExact(args[0])) return nullptr;
  py::detail::make_caster<policy_ptr> policy;
  if (!policy.load(self, false)) return nullptr;
  return evaluate_one(self, py::detail::cast_op<const policy_ptr&>(policy), args[0], false).release().ptr();
}

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
      kefu::rethrow_with_prefix(e, row_prefix(row));
    }
    ++row;
  }
  std::vector<py_decision> out(records.size(), py_decision{p, {}, {}, false, {}});
  std::vector<kr::decision> ds;
  {
    py::gil_scoped_release release;
    ds = kr::evaluate_records(*p, records);
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

void register_policy(py::module_& m) {
  py::class_<kr::field>(m, "Field", "An input or output of a policy.")
      .def_readonly("name", &kr::field::name, "The field's name.")
      .def_property_readonly("type", [](const kr::field& f) { return kr::to_string(f.type); }, "The field's type: bool, int, decimal, money, duration, date, datetime, enum, set, text or deadline.")
      .def_readonly("values", &kr::field::values, "The allowed values of an enum or set field, in order.")
      .def_readonly("default", &kr::field::default_text, "The default value as written in the YAML file, None when the field has none.")
      .def_readonly("description", &kr::field::description, "What the field means, from the YAML file.")
      .def_readonly("required", &kr::field::required, "facts vocabulary: every set of facts must give it")
      .def_readonly("derived", &kr::field::derived, "facts vocabulary: how triage computes it (empty: given)")
      .def_readonly("personal", &kr::field::personal, "facts vocabulary: customer personal data")
      .def_readonly("non_negative", &kr::field::non_negative, "facts vocabulary: a count or amount below zero is refused")
      .def("__repr__", [](const kr::field& f) { return "Field('" + f.name + "', " + kr::to_string(f.type) + ")"; });

  py::class_<kr::rule>(m, "Rule", "A rule of a policy.")
      .def_readonly("id", &kr::rule::id, "The rule's id (unique in its policy).")
      .def_readonly("description", &kr::rule::description, "What the rule does, in the author's words.")
      .def_readonly("source", &kr::rule::source, "The handbook clause the rule encodes (DOM-… id and section).")
      .def_readonly("when", &kr::rule::when, "The rule's condition as written in the YAML file.")
      .def_readonly("priority", &kr::rule::priority, "The rule's priority (hit_policy: priority).")
      .def_property_readonly("line", [](const kr::rule& r) { return r.where.line; }, "The line of the rule in its YAML file.")
      .def_readonly("version_index", &kr::rule::version,
                    "index into DecisionPolicy.versions of the version the rule belongs to (-1: the policy has no versions)")
      .def("__repr__", [](const kr::rule& r) { return "Rule('" + r.id + "')"; });

  py::class_<kr::policy_version>(m, "PolicyVersion",
                                 "One version of an effective-dated policy (DOM-RULE-1): its rules are in force from "
                                 "effective_from (None: since always) until effective_until (None: from then on).")
      .def_readonly("name", &kr::policy_version::name, "The version's name.")
      .def_readonly("description", &kr::policy_version::description, "What changed in this version.")
      .def_property_readonly("effective_from",
                             [](const kr::policy_version& v) -> optional_datetime_result {
                               if (v.effective_from) return to_datetime(*v.effective_from, v.zone);
                               return py::none();
                             },
                             "an aware datetime in the policy's zone, None for the first version")
      .def_property_readonly("effective_until",
                             [](const kr::policy_version& v) -> optional_datetime_result {
                               if (v.effective_until) return to_datetime(*v.effective_until, v.zone);
                               return py::none();
                             },
                             "an aware datetime in the policy's zone: the next version's effective_from; None for the last "
                             "version")
      .def_property_readonly("line", [](const kr::policy_version& v) { return v.where.line; }, "The line of the version in its YAML file.")
      .def("__repr__", [](const kr::policy_version& v) {
        return "PolicyVersion('" + v.name + "'" +
               (v.effective_from ? ", from " + kefu::format_instant(*v.effective_from, v.zone) : std::string()) + ")";
      });

  py::class_<kr::diagnostic>(m, "Diagnostic", "A warning of the static checks.")
      .def_readonly("message", &kr::diagnostic::message, "What the check found.")
      .def_readonly("rule_id", &kr::diagnostic::rule_id, "The rule it concerns ('' for the policy as a whole).")
      .def_readonly("check", &kr::diagnostic::check, "The check that found it (e.g. unreachable, overlap).")
      .def_property_readonly("file", [](const kr::diagnostic& d) { return d.where.file; }, "The YAML file it is in.")
      .def_property_readonly("line", [](const kr::diagnostic& d) { return d.where.line; }, "The line in the YAML file.")
      .def_property_readonly("column", [](const kr::diagnostic& d) { return d.where.column; }, "The column in the YAML file.")
      .def("__str__", [](const kr::diagnostic& d) { return kefu::error::render(d.message, d.where, d.rule_id); });

  py::class_<kr::condition_trace>(m, "ConditionTrace", "One condition of an explanation.")
      .def_readonly("text", &kr::condition_trace::text, "The condition's text.")
      .def_readonly("result", &kr::condition_trace::result, "Whether the condition held.")
      .def_readonly("reads", &kr::condition_trace::reads, "The facts the condition read: (name, value as text) pairs.")
      .def_readonly("words", &kr::condition_trace::words, "The keywords the condition matched.")
      .def_readonly("discounted", &kr::condition_trace::discounted,
                    "keyword tests: words found that do not count, with why ('受伤 (negated by 没有)')");

  py::class_<py_decision>(m, "Decision", "What a policy decided for one set of facts.")
      .def_property_readonly("outputs", &py_decision::outputs, "output name → value (None when not set)")
      .def_property_readonly("rule_id", &py_decision::rule_id, "the deciding rule, None when the default decided")
      .def_property_readonly("rule_ids", &py_decision::rule_ids, "every matched rule, in order (collect)")
      .def_property_readonly("by_default", [](const py_decision& d) { return d.decision.by_default; }, "Whether no rule matched and the policy's default decided.")
      .def_property_readonly(
          "version",
          [](const py_decision& d) -> optional_str_result {
            if (d.decision.version < 0) return py::none();
            return py::str(d.policy->versions()[static_cast<std::size_t>(d.decision.version)].name);
          },
          "the name of the version in force that decided (DOM-RULE-1); None for a policy without versions")
      .def_property_readonly("trace",
                             [](const py_decision& d) -> trace_result {
                               if (!d.traced) return py::none();
                               py::list out;
                               for (const auto& t : d.trace)
                                 out.append(py::make_tuple(d.policy->rules()[t.rule].id, py::cast(t)));
                               return out;
                             },
                             "With trace=True: (rule id, ConditionTrace) for every condition evaluated; else None.")
      .def("explain", &py_decision::explain, "The decision and, when traced, every condition with the values it read.")
      .def("__getitem__",
           [](const py_decision& d, const std::string& name) -> fact_value_result {
             const py::dict outputs = d.outputs();
             if (!outputs.contains(name)) throw py::key_error("no output '" + name + "' in policy '" + d.policy->name() + "'");
             return outputs[py::str(name)];
           })
      .def("__repr__", [](const py_decision& d) {
        return "Decision(" + std::string(py::str(d.outputs())) + ", rule=" + std::string(py::str(d.rule_id())) + ")";
      });

  py::class_<py_partial>(m, "PartialDecision",
                         "What a policy decides on facts that leave inputs out (DecisionPolicy.evaluate_partial).")
      .def_property_readonly("missing", [](const py_partial& p) { return p.d.missing; }, "the inputs not given")
      .def_property_readonly("settled", [](const py_partial& p) { return p.d.settled; },
                             "True when no value of the missing inputs can change the decision")
      .def_property_readonly("outputs",
                             [](const py_partial& p) -> optional_dict_result {
                               if (!p.d.settled) return py::none();
                               return p.outputs_of(p.policy->outputs_of(p.d.outcome));
                             },
                             "when settled: output name → value; else None")
      .def_property_readonly("rule_ids",
                             [](const py_partial& p) {
                               std::vector<std::string> out;
                               for (const auto m : p.d.outcome.matched) out.push_back(p.policy->rules()[m].id);
                               return out;
                             },
                             "the rules that surely decide (settled), or that fire whatever is missing (collect)")
      .def_property_readonly("candidates",
                             [](const py_partial& p) {
                               py::list out;
                               for (const auto c : p.d.candidates)
                                 out.append(py::make_tuple(p.policy->rules()[c].id, p.outputs_of(p.policy->outputs_of_rule(c))));
                               if (p.d.default_possible) out.append(py::make_tuple("default", p.outputs_of(p.policy->outputs_of(kr::decision{}))));
                               return out;
                             },
                             "when not settled: (rule id or 'default', the outputs it would give) for each that could still decide")
      .def_property_readonly("conflicts",
                             [](const py_partial& p) {
                               std::vector<std::string> out;
                               for (const auto c : p.d.conflicts) out.push_back(p.policy->rules()[c].id);
                               return out;
                             },
                             "hit policy unique: rules that could fire beside the one that surely does (an error if they do)")
      .def_property_readonly("rules",
                             [](const py_partial& p) {
                               py::list out;
                               for (std::size_t i = 0; i < p.d.rules.size(); ++i)
                                 out.append(py::make_tuple(p.policy->rules()[i].id, kr::to_string(p.d.rules[i]), p.d.needs[i]));
                               return out;
                             },
                             "(rule id, 'yes' | 'no' | 'unknown', the missing inputs it needs) for every rule")
      .def("explain", [](const py_partial& p) { return kr::explain_partial(*p.policy, p.d); },
           "What is settled, what could still decide, and which missing inputs each rule needs, as text.")
      .def("__repr__", [](const py_partial& p) {
        return "PartialDecision(settled=" + std::string(p.d.settled ? "True" : "False") + ", missing=" +
               std::to_string(p.d.missing.size()) + ")";
      });

  auto policy_class = py::class_<kr::policy, policy_ptr>(m, "DecisionPolicy", py::dynamic_attr(), "One policy file: a loaded, checked, immutable decision table.")
      .def_static("load", [](const path_arg& path) { return unconst(kr::load_policy_file(to_path(path))); }, py::arg("path"),
                  "A policy from its YAML file, loaded and checked (errors carry file, line and column).")
      .def_static(
          "from_yaml", [](const std::string& text, const std::string& name) { return unconst(kr::load_policy_string(text, name)); },
          py::arg("text"), py::arg("name") = "<string>",
          "A policy from YAML text; `name` stands for the file in error messages.")
      .def_property_readonly("name", &kr::policy::name, "The policy's name.")
      .def_property_readonly("version", &kr::policy::version, "The policy's version string.")
      .def_property_readonly("description", &kr::policy::description, "What the policy decides, from its YAML file.")
      .def_property_readonly("file", &kr::policy::file, "The YAML file the policy was loaded from.")
      .def_property_readonly("hit_policy", [](const kr::policy& p) { return kr::to_string(p.hits()); }, "How matches combine: first, unique, priority or collect.")
      .def_property_readonly("inputs", &kr::policy::inputs, "The facts the rules read.")
      .def_property_readonly("outputs", &kr::policy::outputs, "What the rules decide.")
      .def_property_readonly("rules", &kr::policy::rules, "The rules, in file order.")
      .def_property_readonly("keyword_sets", &keyword_sets_of, "name → kefu.KeywordSet")
      .def_property_readonly("warnings", &kr::policy::warnings, "What the load-time checks found (unreachable rules, overlaps …).")
      .def_property_readonly("has_default", &kr::policy::has_default, "Whether the policy has a default decision.")
      .def_property_readonly("versions", &kr::policy::versions,
                             "the versions of an effective-dated policy in the order they take effect (DOM-RULE-1; "
                             "empty without `versions:`)")
      .def_property_readonly("is_pinned", &kr::policy::is_pinned, "whether pinned() or as_of() made this policy")
      .def(
          "version_at",
          [](const kr::policy& p, const datetime_arg& when) -> optional_str_result {
            const std::int32_t k = p.version_at(to_instant(when, p.zone()));
            if (k < 0) return py::none();
            return py::str(p.versions()[static_cast<std::size_t>(k)].name);
          },
          py::arg("when"),
          "The name of the version in force at `when` (a datetime; naive means the policy's zone); None without "
          "versions.")
      .def(
          "pinned", [](const kr::policy& p, const std::string& version) { return unconst(p.pinned(version)); },
          py::arg("version"),
          "This policy with only one version's rules, applied whatever the receipt instant (to compare two versions "
          "of one file, or to re-judge tickets under another version). Error kefu.rules.unknown_version otherwise.")
      .def(
          "as_of",
          [](const policy_ptr& p, const datetime_arg& when) { return unconst(kr::as_of(p, to_instant(when, p->zone()))); },
          py::arg("when"),
          "This policy pinned to the version in force at `when` (itself when it has no versions or is pinned).")
      .def(
          "evaluate",
          [](const decision_policy_self& self, const facts_batch_arg& facts, bool trace, bool strict) -> evaluate_result {
            const auto p = self.cast<policy_ptr>();
            if (is_frame(facts)) {
              if (trace) throw py::value_error("trace is for one decision at a time; explain rows one by one");
              py::object inputs = py::reinterpret_borrow<py::object>(facts);
              if (!strict) {  // the frame's other columns are not the policy's business
                const policy_rows reader(policy_target{p.get()});
                py::list keep;
                for (auto c : facts.attr("columns"))
                  if (dict_find(reader.slots, c.ptr())) keep.append(c);
                inputs = facts.attr("__getitem__")(keep);
              }
              const auto ds = evaluate_rows(p, inputs.attr("to_dict")("records"));
              return decisions_frame(*p, ds, facts.attr("index"));
            }
            if (py::isinstance<py::list>(facts) || py::isinstance<py::tuple>(facts)) {
              if (trace) throw py::value_error("trace is for one decision at a time; explain rows one by one");
              return py::cast(evaluate_rows(p, py::reinterpret_borrow<py::iterable>(facts)));
            }
            return evaluate_one(self, p, facts, trace);
          },
          py::arg("facts"), py::arg("trace") = false, py::kw_only(), py::arg("strict") = false,
          "Decide for a dict of facts (a Decision), a list of dicts (a list of Decisions) or a pandas DataFrame (a "
          "DataFrame of outputs and rule_id, same index). Unknown keys of a dict and missing inputs are errors naming "
          "the field; a DataFrame's columns that are no input are ignored unless strict=True. None/NaN/NaT mean not "
          "given. Batches evaluate without the GIL.")
      .def(
          "evaluate_partial",
          [](const policy_ptr& p, const facts_arg& facts) {
            const kr::record r = partial_policy_rows(partial_policy_target{{p.get()}}).read(facts);
            return py_partial{p, kr::evaluate_partial(*p, r)};
          },
          py::arg("facts"),
          "Decide on facts that may leave inputs out: what they settle, and which rules could still fire depending on "
          "the inputs not given (a PartialDecision). With every input given it decides exactly as evaluate().")
      .def("evaluate_many", &evaluate_rows, py::arg("rows"),
           "Decide for many dicts of facts; evaluation runs without the GIL.")
      .def(
          "evaluate_columns",
          [](const policy_ptr& p, const columns_arg& data, bool strict) -> decision_columns_result {
            return evaluate_columns(p, data, strict);
          },
          py::arg("data"), py::kw_only(), py::arg("strict") = false,
           "Decide for a batch and return the decisions as columns (DecisionColumns). data: a pandas DataFrame, a "
           "dict of input name → column (list, numpy array, pandas Series) or a list of dicts. Values are read "
           "and refused as evaluate() reads them; errors name the row and the input. Columns that are no input are "
           "ignored unless strict=True (a dict in a list is always read strictly). Evaluation runs without the GIL.");
  bind_fastcall<evaluate_fast>(policy_class, "evaluate");

  py::class_<kr::reload_result>(m, "ReloadResult", "What a reload did.")
      .def_readonly("swapped", &kr::reload_result::swapped, "Whether the new rules replaced the old ones.")
      .def_readonly("message", &kr::reload_result::message, "What happened, or why the old rules stay.")
      .def_readonly("cases_passed", &kr::reload_result::cases_passed, "How many rule-test cases the new rules passed.")
      .def("__bool__", [](const kr::reload_result& r) { return r.swapped; })
      .def("__repr__", [](const kr::reload_result& r) { return "ReloadResult(" + std::string(r.swapped ? "swapped" : "kept") + ": " + r.message + ")"; });

  py::class_<kr::policy_handle>(m, "PolicyHandle",
                                "A policy that reloads safely: reload() loads, checks and runs the rule tests of the new "
                                "version, and swaps it in atomically only when all pass; readers keep the policy they hold.")
      .def(py::init([](const path_arg& path, std::vector<std::string> suites) {
             return std::make_unique<kr::policy_handle>(to_path(path), std::move(suites));
           }),
           py::arg("path"), py::arg("suite_files") = std::vector<std::string>{},
           "A handle on the policy file at `path`, loaded and checked against `suite_files` (rule tests) now.")
      .def_property_readonly("current", [](const kr::policy_handle& h) { return unconst(h.current()); }, "The policy in force (the last one that loaded and passed its rule tests).")
      .def_property_readonly("path", &kr::policy_handle::path, "The watched policy file.")
      .def_property_readonly("suite_files", &kr::policy_handle::suite_files, "The rule-test files run before a reload is accepted.")
      .def("reload", &kr::policy_handle::reload, py::call_guard<py::gil_scoped_release>(),
           "Loads the file again and swaps it in when it loads and passes its rule tests (see ReloadResult).");
}

}  // namespace kefu::python
