// Instants and zones. Python datetimes cross the boundary here and nowhere else.
#include "register.hpp"

#include <kefu/time.hpp>

#include <pybind11/operators.h>

#include <datetime.h>

namespace py = pybind11;

namespace kefu::python {

namespace {
py::module_ datetime_module() { return py::module_::import("datetime"); }

std::int64_t local_seconds_of(py::handle dt) {
  const auto field = [&](const char* name) { return dt.attr(name).cast<std::int64_t>(); };
  const std::int64_t days = kefu::detail::days_from_civil(field("year"), static_cast<unsigned>(field("month")),
                                                          static_cast<unsigned>(field("day")));
  return days * 86400 + field("hour") * 3600 + field("minute") * 60 + field("second");
}
}  // namespace

// The C API of datetime: conversions sit on every scalar calendar call, so they avoid attribute look-ups.
void import_datetime_api() {
  if (!PyDateTimeAPI) {
    PyDateTime_IMPORT;
    if (!PyDateTimeAPI) throw py::error_already_set();
  }
}

kefu::instant to_instant(py::handle dt, const kefu::time_zone& naive_zone) {
  import_datetime_api();
  PyObject* o = dt.ptr();
  if (!PyDateTime_Check(o))
    throw py::type_error("expected a datetime.datetime, got " + std::string(py::str(py::type::of(dt).attr("__name__"))));
  const std::int64_t days = kefu::detail::days_from_civil(PyDateTime_GET_YEAR(o), static_cast<unsigned>(PyDateTime_GET_MONTH(o)),
                                                          static_cast<unsigned>(PyDateTime_GET_DAY(o)));
  const std::int64_t local = days * 86400 + PyDateTime_DATE_GET_HOUR(o) * 3600 + PyDateTime_DATE_GET_MINUTE(o) * 60 +
                             PyDateTime_DATE_GET_SECOND(o);
  const bool has_tz = reinterpret_cast<PyDateTime_DateTime*>(o)->hastzinfo;
  if (!has_tz) return naive_zone.from_local_seconds(local);
  const py::object offset = dt.attr("utcoffset")();
  if (offset.is_none()) return naive_zone.from_local_seconds(local);
  const std::int64_t delta = PyDateTime_DELTA_GET_DAYS(offset.ptr()) * 86400LL + PyDateTime_DELTA_GET_SECONDS(offset.ptr());
  return kefu::instant::from_unix(local - delta);
}

namespace {
py::object make_datetime(kefu::instant t, const kefu::time_zone& zone, PyObject* tzinfo) {
  const std::int64_t local = zone.local_seconds(t);
  const std::int64_t day = kefu::detail::floor_div(local, 86400);
  const std::int64_t sod = local - day * 86400;
  const auto c = kefu::detail::civil_from_days(day);
  PyObject* r = PyDateTimeAPI->DateTime_FromDateAndTime(static_cast<int>(c.year), static_cast<int>(c.month), static_cast<int>(c.day),
                                                         static_cast<int>(sod / 3600), static_cast<int>(sod / 60 % 60),
                                                         static_cast<int>(sod % 60), 0, tzinfo, PyDateTimeAPI->DateTimeType);
  if (!r) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(r);
}
}  // namespace

py::object to_datetime(kefu::instant t, const kefu::time_zone& zone) {
  import_datetime_api();
  py::object tz;
  if (zone.offset().count() == 0) {
    tz = py::reinterpret_borrow<py::object>(PyDateTime_TimeZone_UTC);
  } else {
    const py::object delta = py::reinterpret_steal<py::object>(PyDelta_FromDSU(0, static_cast<int>(zone.offset().count()), 0));
    tz = py::reinterpret_steal<py::object>(PyTimeZone_FromOffset(delta.ptr()));
    if (!tz) throw py::error_already_set();
  }
  return make_datetime(t, zone, tz.ptr());
}

py::object to_naive_datetime(kefu::instant t, const kefu::time_zone& zone) {
  import_datetime_api();
  return make_datetime(t, zone, Py_None);
}

bool is_datetime_object(py::handle x) {
  import_datetime_api();
  return PyDateTime_Check(x.ptr());
}
bool is_date_object(py::handle x) {
  import_datetime_api();
  return PyDate_Check(x.ptr());
}

kefu::time_zone to_zone(py::handle zone) {
  if (zone.is_none()) return kefu::time_zone::utc();
  if (py::isinstance<kefu::time_zone>(zone)) return zone.cast<kefu::time_zone>();
  if (py::isinstance<py::str>(zone)) return kefu::time_zone::parse(zone.cast<std::string>());
  throw py::type_error("expected a kefu.TimeZone or a zone text such as '+08:00'");
}

std::string to_path(py::handle path) {
  return py::str(py::module_::import("os").attr("fspath")(path)).cast<std::string>();
}

void register_time(py::module_& m) {
  py::class_<kefu::time_zone>(m, "TimeZone",
                              "A time zone with a fixed UTC offset: '+08:00', 'UTC', or a zone id without "
                              "daylight-saving time such as 'Asia/Shanghai'.")
      .def(py::init([](const std::string& spec) { return kefu::time_zone::parse(spec); }), py::arg("spec"))
      .def_property_readonly("name", &kefu::time_zone::name)
      .def_property_readonly("offset",
                             [](const kefu::time_zone& z) {
                               return datetime_module().attr("timedelta")(py::arg("seconds") = z.offset().count());
                             })
      .def(
          "local_date",
          [](const kefu::time_zone& z, py::handle dt) {
            const auto d = kefu::detail::civil_from_days(z.local_day(to_instant(dt, z)));
            return datetime_module().attr("date")(d.year, d.month, d.day);
          },
          py::arg("dt"), "The local date of an instant (a naive datetime is already local time).")
      .def(
          "to_local", [](const kefu::time_zone& z, py::handle dt) { return to_datetime(to_instant(dt, z), z); },
          py::arg("dt"), "The same instant as an aware datetime in this zone.")
      .def(py::self == py::self)
      .def("__hash__", [](const kefu::time_zone& z) { return py::hash(py::make_tuple(z.name(), z.offset().count())); })
      .def("__str__", &kefu::time_zone::name)
      .def("__repr__", [](const kefu::time_zone& z) { return "TimeZone('" + z.name() + "')"; });

  m.def(
      "parse_instant",
      [](const std::string& text, py::handle zone) {
        const auto z = to_zone(zone);
        return to_datetime(kefu::parse_instant(text, z), z);
      },
      py::arg("text"), py::arg("zone") = "UTC",
      "Parse ISO 8601 ('2026-02-14T10:00:00+08:00'); text without an offset is local time in `zone`. Returns an "
      "aware datetime in `zone`. Fractions of a second are dropped.");
  m.def(
      "format_instant",
      [](py::handle dt, py::handle zone) {
        const auto z = to_zone(zone);
        return kefu::format_instant(to_instant(dt, z), z);
      },
      py::arg("dt"), py::arg("zone") = "UTC", "ISO 8601 text of an instant in `zone` (a naive dt is read in `zone`).");
  m.def(
      "parse_date",
      [](const std::string& text) {
        const auto d = kefu::detail::civil_from_days(kefu::to_days(kefu::parse_date(text)));
        return datetime_module().attr("date")(d.year, d.month, d.day);
      },
      py::arg("text"), "A strict YYYY-MM-DD date.");
}

}  // namespace kefu::python
