// Rule tests from Python: kefu.RuleSuite.load(path).run(policy), .check(policy).
#include "register.hpp"

#include <kefu/rules/suite.hpp>

#include <pybind11/stl.h>

namespace py = pybind11;
namespace kr = kefu::rules;

namespace kefu::python {

void register_suite(py::module_& m) {
  py::class_<kr::test_case>(m, "RuleCase", "One case of a rule-test suite.")
      .def_readonly("name", &kr::test_case::name)
      .def_readonly("input", &kr::test_case::input)
      .def_readonly("expect", &kr::test_case::expect)
      .def_readonly("expect_rules", &kr::test_case::expect_rules)
      .def_property_readonly("line", [](const kr::test_case& c) { return c.where.line; });

  py::class_<kr::case_result>(m, "RuleCaseResult", "The outcome of one case.")
      .def_readonly("index", &kr::case_result::index)
      .def_readonly("passed", &kr::case_result::passed)
      .def_readonly("differences", &kr::case_result::differences, "(what, expected, actual) for each difference")
      .def_readonly("actual_rules", &kr::case_result::actual_rules);

  py::class_<kr::suite_result>(m, "RuleSuiteResult", "The outcome of a suite.")
      .def_readonly("cases", &kr::suite_result::cases)
      .def_readonly("passed", &kr::suite_result::passed)
      .def_readonly("failed", &kr::suite_result::failed);

  m.def("load_facts", [](py::handle path) { return kr::load_facts_file(to_path(path)); }, py::arg("path"),
        "A YAML mapping of facts as (name, text) pairs.");
  m.def("load_facts_text", &kr::load_facts_text, py::arg("yaml"), py::arg("display_name") = "<stdin>",
        "The same from YAML text; errors name display_name.");

  py::class_<kr::suite>(m, "RuleSuite", "Rule tests: cases with inputs, expected outputs and rule ids.")
      .def_static("load", [](py::handle path) { return kr::load_suite_file(to_path(path)); }, py::arg("path"))
      .def_readonly("name", &kr::suite::name)
      .def_readonly("file", &kr::suite::file)
      .def_readonly("policy_path", &kr::suite::policy_path)
      .def_readonly("cases", &kr::suite::cases)
      .def(
          "run", [](const kr::suite& s, const kr::policy& p) { return kr::run_suite(s, p); }, py::arg("policy"),
          "Run every case against the policy (errors in a case fail that case only).")
      .def(
          "check_types", [](const kr::suite& s, const kr::policy& p) { kr::check_suite_types(s, p); }, py::arg("policy"),
          "Check the suite against the policy without running it: every input and output name, value and expected "
          "rule id, raising at the entry's own file, line and column (PolicyError with id kefu.rules.unknown_input, "
          "unknown_output or unknown_rule; ParseError with id kefu.rules.bad_value or unknown_value).")
      .def(
          "check", [](const kr::suite& s, const kr::policy& p) { return kr::check_suite(s, p); }, py::arg("policy"),
          "Check the types (check_types), run every case and raise PolicyError (id kefu.rules.rule_test, at the first failing case's file and line) "
          "when any fails, as loading a rules directory does; returns the number of cases.");
}

}  // namespace kefu::python
