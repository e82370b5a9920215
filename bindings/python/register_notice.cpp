// kefu.HolidayNotice and kefu.notices_to_yaml: State Council holiday notices as calendar data (DOM-SLA-9).
#include "register.hpp"

#include <kefu/calendar/notice.hpp>
#include <kefu/detail/civil.hpp>

#include <pybind11/stl.h>

namespace py = pybind11;
namespace cal = kefu::calendar;

namespace kefu::python {

namespace {

py::list to_dates(const std::vector<std::int64_t>& days) {
  const py::object date = py::module_::import("datetime").attr("date");
  py::list out;
  for (const std::int64_t d : days) {
    const auto c = kefu::detail::civil_from_days(d);
    out.append(date(c.year, c.month, c.day));
  }
  return out;
}

}  // namespace

void register_notice(py::module_& m) {
  py::class_<cal::holiday_notice>(
      m, "HolidayNotice",
      "A State Council holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知) or an amendment, parsed: "
      "HolidayNotice.parse(text, base=None).")
      .def_static(
          "parse",
          [](const std::string& text, const cal::holiday_notice* base, const std::string& name) {
            return cal::holiday_notice::parse(text, base, name);
          },
          py::arg("text"), py::arg("base") = nullptr, py::arg("name") = "<notice>",
          "Parses the text of a notice. `base` is the notice an amendment modifies (the result is then the whole "
          "year as amended); `name` is what errors call the text. Raises kefu.ParseError / kefu.PolicyError with "
          "the line.")
      .def_property_readonly("year", &cal::holiday_notice::year, "The year the notice is about.")
      .def_property_readonly("is_amendment", &cal::holiday_notice::is_amendment, "Whether the notice amends an earlier notice of the same year.")
      .def_property_readonly("title", &cal::holiday_notice::title, "The notice's title.")
      .def_property_readonly("sources", &cal::holiday_notice::sources,
                             "Titles of the notices the result is made of (a base and its amendments).")
      .def_property_readonly("days_off", [](const cal::holiday_notice& n) { return to_dates(n.days_off()); }, "The days off the notice gives (holidays and bridge days), in order.")
      .def_property_readonly("working_days", [](const cal::holiday_notice& n) { return to_dates(n.working_days()); }, "The weekend days the notice makes working days (调休上班), in order.")
      .def_property_readonly(
          "festivals",
          [](const cal::holiday_notice& n) {
            py::dict out;
            for (const auto& f : n.festivals()) out[py::str(f.name)] = to_dates(f.days_off);
            return out;
          },
          "Festival name → its days off (sorted dates), in the order of the first day off.")
      .def_property_readonly(
          "festival_working_days",
          [](const cal::holiday_notice& n) {
            py::dict out;
            for (const auto& f : n.festivals()) out[py::str(f.name)] = to_dates(f.working_days);
            return out;
          },
          "Festival name → its make-up working days (sorted dates).")
      .def("to_yaml", &cal::holiday_notice::to_yaml, "The notice as a calendar overlay on cn-mainland.")
      .def("__repr__", [](const cal::holiday_notice& n) {
        return "HolidayNotice(" + std::to_string(n.year()) + (n.is_amendment() ? ", amendment" : "") + ", " +
               std::to_string(n.festivals().size()) + " festivals)";
      });
  m.def("notices_to_yaml", &cal::notices_to_yaml, py::arg("notices"),
        "Several notices in order → one calendar overlay; amendments apply to the latest earlier notice of their "
        "year.");
  m.def(
      "festival_display_name", [](const std::string& name) { return cal::festival_display_name(name); },
      py::arg("name"), "The calendar's name for a festival: '春节' → '春节 Spring Festival'.");
}

}  // namespace kefu::python
