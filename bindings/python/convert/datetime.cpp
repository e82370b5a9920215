// Python datetimes, dates, zones and paths cross into kefu here and nowhere else (aware datetimes are
// converted, naive ones are local time in the given zone).
#include "convert/datetime.hpp"

#include <kefu/time.hpp>

#include <datetime.h>

namespace py = pybind11;

namespace kefu::python {

py::module_ datetime_module() { return py::module_::import("datetime"); }

timedelta_result seconds_to_timedelta(std::int64_t s) { return datetime_module().attr("timedelta")(py::arg("seconds") = s); }

// The C API of datetime: conversions sit on every scalar calendar call, so they avoid attribute look-ups.
void import_datetime_api() {
  if (!PyDateTimeAPI) {
    PyDateTime_IMPORT;
    if (!PyDateTimeAPI) throw py::error_already_set();
  }
}

namespace {
/// A datetime's wall-clock fields as seconds since 1970-01-01 (its fraction of a second dropped).
std::int64_t local_seconds_of(PyObject* o) {
  const std::int64_t days = kefu::detail::days_from_civil(PyDateTime_GET_YEAR(o), static_cast<unsigned>(PyDateTime_GET_MONTH(o)),
                                                          static_cast<unsigned>(PyDateTime_GET_DAY(o)));
  return days * 86400 + PyDateTime_DATE_GET_HOUR(o) * 3600 + PyDateTime_DATE_GET_MINUTE(o) * 60 + PyDateTime_DATE_GET_SECOND(o);
}

/// "utcoffset", made once (an immutable interned str): method calls by name skip building the name each time.
PyObject* utcoffset_name() {
  static PyObject* const name = PyUnicode_InternFromString("utcoffset");
  return name;
}
}  // namespace

namespace {
bool fixed_offset_of(PyObject* o, std::int64_t& offset);
}  // namespace

kefu::instant to_instant(py::handle dt, const kefu::time_zone& naive_zone) {
  import_datetime_api();
  PyObject* o = dt.ptr();
  if (!PyDateTime_Check(o))
    throw py::type_error("expected a datetime.datetime, got " + std::string(py::str(py::type::of(dt).attr("__name__"))));
  const std::int64_t local = local_seconds_of(o);
  const bool has_tz = reinterpret_cast<PyDateTime_DateTime*>(o)->hastzinfo;
  if (!has_tz) return naive_zone.from_local_seconds(local);
  if (std::int64_t fixed = 0; fixed_offset_of(o, fixed)) return kefu::instant::from_unix(local - fixed);
  const py::object offset = py::reinterpret_steal<py::object>(PyObject_CallMethodNoArgs(o, utcoffset_name()));
  if (!offset) throw py::error_already_set();
  if (offset.is_none()) return naive_zone.from_local_seconds(local);
  const std::int64_t delta = PyDateTime_DELTA_GET_DAYS(offset.ptr()) * 86400LL + PyDateTime_DELTA_GET_SECONDS(offset.ptr());
  return kefu::instant::from_unix(local - delta);
}

namespace {
py::object make_local_datetime(std::int64_t local, PyObject* tzinfo) {
  const std::int64_t day = kefu::detail::floor_div(local, 86400);
  const std::int64_t sod = local - day * 86400;
  const auto c = kefu::detail::civil_from_days(day);
  PyObject* r = PyDateTimeAPI->DateTime_FromDateAndTime(static_cast<int>(c.year), static_cast<int>(c.month), static_cast<int>(c.day),
                                                         static_cast<int>(sod / 3600), static_cast<int>(sod / 60 % 60),
                                                         static_cast<int>(sod % 60), 0, tzinfo, PyDateTimeAPI->DateTimeType);
  if (!r) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(r);
}

py::object make_datetime(kefu::instant t, const kefu::time_zone& zone, PyObject* tzinfo) {
  return make_local_datetime(zone.local_seconds(t), tzinfo);
}
}  // namespace

namespace {
/// datetime.timezone.utcoffset as its C function (METH_O), found once; nullptr if this Python's differs. The
/// type is final and its methods fixed, so the function stays valid: calling it skips the method look-up that
/// was a fifth of a Calendar.add call.
PyCFunction timezone_utcoffset() {
  static const PyCFunction function = [] {
    PyObject* descriptor = PyObject_GetAttr(reinterpret_cast<PyObject*>(Py_TYPE(PyDateTime_TimeZone_UTC)), utcoffset_name());
    if (!descriptor) {
      PyErr_Clear();
      return PyCFunction{nullptr};
    }
    PyCFunction f = nullptr;
    if (Py_TYPE(descriptor) == &PyMethodDescr_Type) {
      const PyMethodDef* def = reinterpret_cast<PyMethodDescrObject*>(descriptor)->d_method;
      if ((def->ml_flags & (METH_O | METH_VARARGS | METH_KEYWORDS | METH_NOARGS | METH_FASTCALL)) == METH_O) f = def->ml_meth;
    }
    Py_DECREF(descriptor);  // the type keeps it
    return f;
  }();
  return function;
}

/// The offset of an aware datetime whose tzinfo is a fixed offset (datetime.timezone), by one utcoffset call;
/// false for any other value.
bool fixed_offset_of(PyObject* o, std::int64_t& offset) {
  if (!PyDateTime_Check(o) || !reinterpret_cast<PyDateTime_DateTime*>(o)->hastzinfo) return false;
  PyObject* tzinfo = reinterpret_cast<PyDateTime_DateTime*>(o)->tzinfo;
  if (Py_TYPE(tzinfo) != Py_TYPE(PyDateTime_TimeZone_UTC)) return false;
  const PyCFunction utcoffset = timezone_utcoffset();
  const py::object delta = py::reinterpret_steal<py::object>(
      utcoffset ? utcoffset(tzinfo, Py_None) : PyObject_CallMethodOneArg(tzinfo, utcoffset_name(), Py_None));
  if (!delta) throw py::error_already_set();
  offset = PyDateTime_DELTA_GET_DAYS(delta.ptr()) * 86400LL + PyDateTime_DELTA_GET_SECONDS(delta.ptr());
  return true;
}
}  // namespace

bool fixed_offset_instant(py::handle dt, kefu::instant& at, std::int64_t& offset) {
  import_datetime_api();
  if (!fixed_offset_of(dt.ptr(), offset)) return false;
  at = kefu::instant::from_unix(local_seconds_of(dt.ptr()) - offset);
  return true;
}

py::object datetime_at_offset(kefu::instant t, std::int64_t offset, py::handle like) {
  return make_local_datetime(t.unix_seconds() + offset, reinterpret_cast<PyDateTime_DateTime*>(like.ptr())->tzinfo);
}

datetime_result datetime_like(kefu::instant t, const kefu::time_zone& zone, py::handle like) {
  import_datetime_api();
  std::int64_t offset = 0;
  if (fixed_offset_of(like.ptr(), offset)) return datetime_at_offset(t, offset, like);  // no astimezone
  const bool has_tz = PyDateTime_Check(like.ptr()) && reinterpret_cast<PyDateTime_DateTime*>(like.ptr())->hastzinfo;
  if (!has_tz || like.attr("utcoffset")().is_none()) return to_naive_datetime(t, zone);
  return to_datetime(t, zone).attr("astimezone")(like.attr("tzinfo"));
}

datetime_result to_datetime(kefu::instant t, const kefu::time_zone& zone) {
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
