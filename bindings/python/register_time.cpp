// kefu.TimeZone, parse_instant, format_instant … (the conversions themselves are in convert/datetime.cpp).
#include "register.hpp"
#include "convert/datetime.hpp"

#include <kefu/time.hpp>

#include <pybind11/operators.h>

#include <datetime.h>

namespace py = pybind11;

namespace kefu::python {


void register_time(py::module_& m) {
  py::class_<kefu::time_zone>(m, "TimeZone",
                              "A time zone with a fixed UTC offset: '+08:00', 'UTC', or a zone id without "
                              "daylight-saving time such as 'Asia/Shanghai'.")
      .def(py::init([](const std::string& spec) { return kefu::time_zone::parse(spec); }), py::arg("spec"),
           "A zone from its spelling: '+08:00', 'UTC' or a zone id such as 'Asia/Shanghai'.")
      .def_property_readonly("name", &kefu::time_zone::name, "The zone's name as given (e.g. Asia/Shanghai, +08:00).")
      .def_property_readonly("offset",
                             [](const kefu::time_zone& z) { return seconds_to_timedelta(z.offset().count()); },
                             "The zone's UTC offset (a datetime.timedelta).")
      .def(
          "local_date",
          [](const kefu::time_zone& z, const datetime_arg& dt) -> date_result {
            const auto d = kefu::detail::civil_from_days(z.local_day(to_instant(dt, z)));
            return datetime_module().attr("date")(d.year, d.month, d.day);
          },
          py::arg("dt"), "The local date of an instant (a naive datetime is already local time).")
      .def(
          "to_local", [](const kefu::time_zone& z, const datetime_arg& dt) { return to_datetime(to_instant(dt, z), z); },
          py::arg("dt"), "The same instant as an aware datetime in this zone.")
      .def(py::self == py::self)
      .def("__hash__", [](const kefu::time_zone& z) { return py::hash(py::make_tuple(z.name(), z.offset().count())); })
      .def("__str__", &kefu::time_zone::name)
      .def("__repr__", [](const kefu::time_zone& z) { return "TimeZone('" + z.name() + "')"; });

  m.def(
      "parse_instant",
      [](const std::string& text, const zone_arg& zone) {
        const auto z = to_zone(zone);
        return to_datetime(kefu::parse_instant(text, z), z);
      },
      py::arg("text"), py::arg("zone") = "UTC",
      "Parse ISO 8601 ('2026-02-14T10:00:00+08:00'); text without an offset is local time in `zone`. Returns an "
      "aware datetime in `zone`. Fractions of a second are dropped.");
  m.def(
      "format_instant",
      [](const datetime_arg& dt, const zone_arg& zone) {
        const auto z = to_zone(zone);
        return kefu::format_instant(to_instant(dt, z), z);
      },
      py::arg("dt"), py::arg("zone") = "UTC", "ISO 8601 text of an instant in `zone` (a naive dt is read in `zone`).");
  m.def(
      "parse_date",
      [](const std::string& text) -> date_result {
        const auto d = kefu::detail::civil_from_days(kefu::to_days(kefu::parse_date(text)));
        return datetime_module().attr("date")(d.year, d.month, d.day);
      },
      py::arg("text"), "A strict YYYY-MM-DD date.");
}

}  // namespace kefu::python
