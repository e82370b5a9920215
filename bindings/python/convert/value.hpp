// Python values ↔ kefu::rules values: the type checks and conversions every row reader shares (decision
// policies, triage facts, columns).
#pragma once

#include <kefu/rules/policy.hpp>
#include <kefu/time.hpp>

#include <pybind11/pybind11.h>

#include <optional>
#include <string>

namespace kefu::python {

/// Python's name for the type of v ("int", "Timestamp").
std::string type_name(pybind11::handle v);
/// A Python value to the text form kefu::rules::parse_value reads for field f (type-checked).
std::string to_text(const kefu::rules::field& f, pybind11::handle v, const kefu::time_zone& zone);
/// A typed value back to Python (bool, int, Decimal, Money, timedelta, date, datetime, str, frozenset).
pybind11::object to_python(const kefu::rules::field& f, const kefu::rules::value& v, const kefu::time_zone& zone);
/// Python types the converters test against, looked up once per call (not once per value).
struct py_types {
  pybind11::object datetime, date, decimal, timedelta;
  static py_types load();
};
/// A typed value straight from a native Python value (bool, int, Money, date, datetime, str of an enum
/// or text field); nothing when the value needs the general text path (to_text + parse_value).
std::optional<kefu::rules::value> fast_value(const kefu::rules::field& f, pybind11::handle v, const kefu::time_zone& zone,
                                             const py_types& types);

/// Looks like a pandas DataFrame (duck-typed: pandas is not imported for the test).
inline bool is_frame(pybind11::handle x) {
  // The common arguments first: a failing hasattr costs an AttributeError (a formatted message) each time.
  if (PyDict_Check(x.ptr()) || PyList_Check(x.ptr()) || PyTuple_Check(x.ptr()) || PyUnicode_Check(x.ptr())) return false;
  return pybind11::hasattr(x, "to_dict") && pybind11::hasattr(x, "columns") && pybind11::hasattr(x, "index");
}

}  // namespace kefu::python
