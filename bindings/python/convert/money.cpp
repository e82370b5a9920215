// Python values → kefu::money (convert/money.hpp).
#include "convert/money.hpp"

#include <cstdint>

namespace py = pybind11;

namespace kefu::python {

kefu::money to_money(py::handle value) {
  if (py::isinstance<kefu::money>(value)) return value.cast<kefu::money>();
  if (py::isinstance<py::str>(value)) return kefu::money::parse(value.cast<std::string>());
  if (py::isinstance<py::bool_>(value)) throw py::type_error("Money does not take a bool");
  if (py::isinstance<py::int_>(value)) {
    const py::int_ limit(INT64_MAX / 100);
    if (value > limit || value < -limit) throw py::value_error("amount too large");
    return kefu::money::from_yuan(value.cast<std::int64_t>());
  }
  const py::object decimal = py::module_::import("decimal").attr("Decimal");
  if (py::isinstance(value, decimal))
    return kefu::money::parse(py::str(py::module_::import("builtins").attr("format")(value, "f")).cast<std::string>());
  if (py::isinstance<py::float_>(value))
    throw py::type_error("Money does not take a float (inexact); pass text or a Decimal, e.g. Money('12.30')");
  throw py::type_error("Money takes text ('¥1,000.50'), an int number of yuan, a Decimal or a Money");
}

}  // namespace kefu::python
