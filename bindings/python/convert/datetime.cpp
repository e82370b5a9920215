// Python datetimes, dates, zones and paths cross into kefu here and nowhere else (aware datetimes are
// converted, naive ones are local time in the given zone).
#include "convert/datetime.hpp"

#include <kefu/time.hpp>

#include <datetime.h>

namespace py = pybind11;

namespace kefu::python {

py::module_ datetime_module() { return py::module_::import("datetime"); }

py::object seconds_to_timedelta(std::int64_t s) { return datetime_module().attr("timedelta")(py::arg("seconds") = s); }

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

bool exact_datetime(PyObject* x) {
  import_datetime_api();
  return PyDateTime_CheckExact(x);
}

bool exact_date_days(PyObject* x, std::int64_t& days) {
  import_datetime_api();
  if (!PyDate_CheckExact(x)) return false;
  days = kefu::detail::days_from_civil(PyDateTime_GET_YEAR(x), static_cast<unsigned>(PyDateTime_GET_MONTH(x)),
                                       static_cast<unsigned>(PyDateTime_GET_DAY(x)));
  return true;
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

}  // namespace kefu::python
