// Rule tests from Python: kefu.RuleSuite.load(path).run(policy), .check(policy).
#include "register.hpp"

#include <kefu/rules/mutation.hpp>
#include <kefu/rules/suite.hpp>

#include <pybind11/stl.h>

namespace py = pybind11;
namespace kr = kefu::rules;

namespace kefu::python {

void register_suite(py::module_& m) {
  py::class_<kr::test_case>(m, "RuleCase", "One case of a rule-test suite.")
      .def_readonly("name", &kr::test_case::name, "The case's name.")
      .def_readonly("input", &kr::test_case::input, "The facts the case gives: (name, value as text) pairs.")
      .def_readonly("expect", &kr::test_case::expect, "The outputs the case expects: (name, value as text) pairs.")
      .def_readonly("expect_rules", &kr::test_case::expect_rules, "The rule ids the case expects to match, in order.")
      .def_property_readonly(
          "expect_each",
          [](const kr::test_case& c) {
            std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> out;
            for (const auto& e : c.expect_each) out.emplace_back(e.rule, e.outputs);
            return out;
          },
          "(rule id, [(output, expected text)]) for each rule of `expect_each`")
      .def_property_readonly("line", [](const kr::test_case& c) { return c.where.line; }, "The line of the case in its YAML file.");

  py::class_<kr::case_result>(m, "RuleCaseResult", "The outcome of one case.")
      .def_readonly("index", &kr::case_result::index, "The case's position in its suite.")
      .def_readonly("passed", &kr::case_result::passed, "Whether the case passed.")
      .def_readonly("differences", &kr::case_result::differences, "(what, expected, actual) for each difference")
      .def_readonly("actual_rules", &kr::case_result::actual_rules, "The rule ids that matched.")
      .def_readonly("actual_rule_indices", &kr::case_result::actual_rule_indices,
                    "the matched rules as indices into DecisionPolicy.rules (ids repeat across a policy's versions)");

  py::class_<kr::suite_result>(m, "RuleSuiteResult", "The outcome of a suite.")
      .def_readonly("cases", &kr::suite_result::cases, "One result per case, in order.")
      .def_readonly("passed", &kr::suite_result::passed, "How many cases passed.")
      .def_readonly("failed", &kr::suite_result::failed, "How many cases failed.");

  m.def("load_facts", [](const path_arg& path) { return kr::load_facts_file(to_path(path)); }, py::arg("path"),
        "A YAML mapping of facts as (name, text) pairs.");
  m.def("load_facts_text", &kr::load_facts_text, py::arg("yaml"), py::arg("display_name") = "<stdin>",
        "The same from YAML text; errors name display_name.");

  py::class_<kr::suite>(m, "RuleSuite", "Rule tests: cases with inputs, expected outputs and rule ids.")
      .def_static("load", [](const path_arg& path) { return kr::load_suite_file(to_path(path)); }, py::arg("path"),
                  "A rule-test suite from its YAML file.")
      .def_readonly("name", &kr::suite::name, "The suite's name.")
      .def_readonly("file", &kr::suite::file, "The suite's YAML file.")
      .def_readonly("policy_path", &kr::suite::policy_path, "The policy file the suite tests.")
      .def_readonly("cases", &kr::suite::cases, "The cases, in file order.")
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

  py::class_<kr::mutant_result>(m, "Mutant", "One mutant of a policy and what the suites made of it (kefu test --mutate).")
      .def_property_readonly("kind", [](const kr::mutant_result& r) { return kr::to_string(r.what.kind); },
                             "bound, and_or, drop_condition, output, keyword or set_item")
      .def_property_readonly("rule_id", [](const kr::mutant_result& r) { return r.what.rule_id; },
                             "the rule changed ('default' for the default, '' for a keyword set)")
      .def_property_readonly("change", [](const kr::mutant_result& r) { return r.what.change; }, "What the mutant changed.")
      .def_property_readonly("file", [](const kr::mutant_result& r) { return r.what.where.file; }, "The file of the mutated rule.")
      .def_property_readonly("line", [](const kr::mutant_result& r) { return r.what.where.line; }, "The line of the change.")
      .def_property_readonly("column", [](const kr::mutant_result& r) { return r.what.where.column; }, "The column of the change.")
      .def_property_readonly("status", [](const kr::mutant_result& r) { return kr::to_string(r.status); },
                             "killed, survived or invalid")
      .def_readonly("detail", &kr::mutant_result::detail,
                    "killed: the first failing case (file:line: name (what differs)); invalid: why it does not load")
      .def("__repr__", [](const kr::mutant_result& r) {
        return "<Mutant " + std::string(kr::to_string(r.status)) + " " + r.what.where.file + ":" +
               std::to_string(r.what.where.line) + ":" + std::to_string(r.what.where.column) + " " + r.what.rule_id + ": " +
               r.what.change + ">";
      });

  py::class_<kr::mutation_report>(m, "MutationReport", "The mutants of one policy run against its suites.")
      .def_readonly("policy_file", &kr::mutation_report::policy_file, "The mutated policy file.")
      .def_readonly("suite_files", &kr::mutation_report::suite_files, "The rule-test files run against each mutant.")
      .def_readonly("cases", &kr::mutation_report::cases, "cases run against each mutant")
      .def_readonly("mutants", &kr::mutation_report::mutants, "Every mutant, in order.")
      .def_property_readonly("killed", &kr::mutation_report::killed, "How many mutants a rule test killed.")
      .def_property_readonly("survived", &kr::mutation_report::survived, "How many mutants every rule test passed (a gap in the tests).")
      .def_property_readonly("invalid", &kr::mutation_report::invalid, "How many mutants did not load.");

  m.def(
      "mutate_policy",
      [](const path_arg& path, const std::vector<kr::suite>& suites, const std::vector<std::string>& kinds) {
        const std::string p = to_path(path);
        std::vector<kr::mutation_kind> chosen;
        for (const auto& k : kinds) chosen.push_back(kr::mutation_kind_named(k));  // ValueError before any work
        py::gil_scoped_release release;
        return kr::mutate_policy(p, suites, chosen);
      },
      py::arg("policy_path"), py::arg("suites"), py::arg("kinds") = std::vector<std::string>{},
      "Run the suites against every mutant of the policy file (a bound moved, and/or swapped, a condition dropped, an "
      "output changed, a keyword or a listed value removed; `kinds` limits them, default all). The suites must pass on the policy as written "
      "(PolicyError kefu.rules.rule_test otherwise).");
}

}  // namespace kefu::python
