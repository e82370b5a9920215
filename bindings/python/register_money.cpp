// kefu.Money: exact yuan amounts. Floats are refused because they cannot hold 0.10 exactly.
#include "register.hpp"

#include <kefu/money.hpp>

#include <pybind11/operators.h>

namespace py = pybind11;

namespace kefu::python {


void register_money(py::module_& m) {
  py::class_<kefu::money>(m, "Money",
                          "An exact amount of yuan, stored in fen. Money('¥1,000.50'), Money(1000), "
                          "Money(Decimal('12.30')); more than two decimals is an error.")
      .def(py::init([](const money_arg& value) { return to_money(value); }), py::arg("value"),
           "An exact amount from text ('¥1,000.50', '12.3'), a whole number of yuan, a Decimal or a Money; a float "
           "is a TypeError (inexact).")
      .def_static("from_fen", &kefu::money::from_fen, py::arg("fen"), "The amount of `fen` fen (1 yuan = 100 fen).")
      .def_property_readonly("fen", &kefu::money::fen, "The amount in fen (1 yuan = 100 fen), an exact int.")
      .def("to_decimal",
           [](const kefu::money& v) -> decimal_result { return py::module_::import("decimal").attr("Decimal")(v.to_string()); },
           "The amount in yuan as an exact decimal.Decimal.")
      .def("display", &kefu::money::to_display, "The amount for people: '¥1,000.50'.")
      .def("__str__", &kefu::money::to_string)
      .def("__repr__", [](const kefu::money& v) { return "Money('" + v.to_string() + "')"; })
      .def("__hash__", [](const kefu::money& v) { return py::hash(py::int_(v.fen())); })
      .def("__bool__", [](const kefu::money& v) { return v.fen() != 0; })
      .def("__add__", [](const kefu::money& a, const money_arg& b) { return a + to_money(b); }, py::is_operator())
      .def("__radd__", [](const kefu::money& a, const money_arg& b) { return to_money(b) + a; }, py::is_operator())
      .def("__sub__", [](const kefu::money& a, const money_arg& b) { return a - to_money(b); }, py::is_operator())
      .def("__rsub__", [](const kefu::money& a, const money_arg& b) { return to_money(b) - a; }, py::is_operator())
      .def("__mul__", [](const kefu::money& a, std::int64_t k) { return a * k; }, py::is_operator())
      .def("__rmul__", [](const kefu::money& a, std::int64_t k) { return a * k; }, py::is_operator())
      .def("__neg__", [](const kefu::money& a) { return -a; })
      .def("__eq__", [](const kefu::money& a, py::handle b) {
             try { return a == to_money(b); } catch (const std::exception&) { return false; }
           }, py::is_operator())
      .def("__lt__", [](const kefu::money& a, const money_arg& b) { return a < to_money(b); }, py::is_operator())
      .def("__le__", [](const kefu::money& a, const money_arg& b) { return a <= to_money(b); }, py::is_operator())
      .def("__gt__", [](const kefu::money& a, const money_arg& b) { return a > to_money(b); }, py::is_operator())
      .def("__ge__", [](const kefu::money& a, const money_arg& b) { return a >= to_money(b); }, py::is_operator())
      .def(py::pickle([](const kefu::money& v) { return v.fen(); },
                      [](std::int64_t fen) { return kefu::money::from_fen(fen); }));
}

}  // namespace kefu::python
