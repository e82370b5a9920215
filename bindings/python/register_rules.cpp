// Rules directories: what they hold.
#include "register.hpp"

#include <kefu/rules/catalog.hpp>

#include <pybind11/stl.h>

namespace py = pybind11;

namespace kefu::python {

void register_rules(py::module_& m) {
  using kefu::rules::document_summary;
  py::class_<document_summary>(m, "RulesDocument", "Summary of one YAML document in a rules directory.")
      .def_readonly("path", &document_summary::path, "The file's path.")
      .def_property_readonly("kind", [](const document_summary& d) { return kefu::rules::to_string(d.kind); }, "The document's kind: policy, calendar, suite, targets, scorecard, vocabulary ….")
      .def_readonly("name", &document_summary::name, "The document's name.")
      .def_readonly("version", &document_summary::version, "The document's version ('' when it has none).")
      .def_readonly("description", &document_summary::description, "What the document is for.")
      .def_readonly("entries", &document_summary::entries, "How many entries it has (rules, cases, days …).")
      .def("__repr__", [](const document_summary& d) {
        return std::string("RulesDocument(") + kefu::rules::to_string(d.kind) + " '" + d.name + "', '" + d.path + "')";
      });
  m.def(
      "scan_rules_directory", [](const path_arg& dir) { return kefu::rules::scan_rules_directory(to_path(dir)); },
      py::arg("directory"),
      "Summaries of every rules document (*.yaml) below a directory, sorted by path. Raises ParseError or "
      "PolicyError with file, line and column for the first bad file.");
  m.def(
      "describe_rules_file", [](const path_arg& path) { return kefu::rules::describe_rules_file(to_path(path)); },
      py::arg("path"), "The summary of one rules file.");
}

}  // namespace kefu::python
