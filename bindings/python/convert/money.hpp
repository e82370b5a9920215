// Python values → kefu::money: text, int yuan, Decimal or Money; floats are refused (inexact).
#pragma once

#include <kefu/money.hpp>

#include <pybind11/pybind11.h>

namespace kefu::python {

/// kefu.Money(value): TypeError for a bool, a float or another type, ValueError past the range.
kefu::money to_money(pybind11::handle value);

}  // namespace kefu::python
