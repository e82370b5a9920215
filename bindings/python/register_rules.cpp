// Rules directories: what they hold.
#include "register.hpp"

#include <kefu/rules/catalog.hpp>

#include <pybind11/stl.h>

namespace py = pybind11;

namespace kefu::python {

void register_rules(py::module_& m) {
  using kefu::rules::document_summary;
  py::class_<document_summary>(m, "RulesDocument", "Summary of one YAML document in a rules directory.")
      .def_readonly("path", &document_summary::path)
      .def_property_readonly("kind", [](const document_summary& d) { return kefu::rules::to_string(d.kind); })
      .def_readonly("name", &document_summary::name)
      .def_readonly("version", &document_summary::version)
      .def_readonly("description", &document_summary::description)
      .def_readonly("entries", &document_summary::entries)
      .def("__repr__", [](const document_summary& d) {
        return std::string("RulesDocument(") + kefu::rules::to_string(d.kind) + " '" + d.name + "', '" + d.path + "')";
      });
  m.def(
      "scan_rules_directory", [](py::handle dir) { return kefu::rules::scan_rules_directory(to_path(dir)); },
      py::arg("directory"),
      "Summaries of every rules document (*.yaml) below a directory, sorted by path. Raises ParseError or "
      "PolicyError with file, line and column for the first bad file.");
  m.def(
      "describe_rules_file", [](py::handle path) { return kefu::rules::describe_rules_file(to_path(path)); },
      py::arg("path"), "The summary of one rules file.");
}

}  // namespace kefu::python
