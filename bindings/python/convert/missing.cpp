// None, NaN, pandas.NA and NaT mean "not given"; numpy scalars become plain Python values.
#include "convert/missing.hpp"

#include <kefu/money.hpp>

#include <string>

namespace py = pybind11;

namespace kefu::python {

std::string type_name(py::handle v);

/// None, NaN, pandas.NA and NaT mean "not given" (a default applies, or the input is missing).
bool is_missing(py::handle v) {
  if (v.is_none()) return true;
  PyObject* o = v.ptr();
  if (PyBool_Check(o) || PyLong_CheckExact(o) || PyUnicode_CheckExact(o)) return false;  // the common cases, cheaply
  if (PyFloat_Check(o)) {
    const double d = PyFloat_AS_DOUBLE(o);
    return d != d;
  }
  if (py::isinstance<kefu::money>(v)) return false;
  const std::string t = type_name(v);
  return t == "NAType" || t == "NaTType";
}

/// numpy scalars (numpy.bool_, numpy.int64 …) to their Python equivalents.
py::object plain(py::handle v) {
  PyObject* o = v.ptr();
  // Built-in values need nothing; testing them for `dtype` would raise and swallow an AttributeError each.
  if (PyBool_Check(o) || PyLong_CheckExact(o) || PyUnicode_CheckExact(o) || PyFloat_CheckExact(o))
    return py::reinterpret_borrow<py::object>(v);
  if (py::isinstance<kefu::money>(v)) return py::reinterpret_borrow<py::object>(v);
  if (PyObject_HasAttrString(o, "dtype") && PyObject_HasAttrString(o, "item")) return v.attr("item")();
  return py::reinterpret_borrow<py::object>(v);
}

}  // namespace kefu::python
