// Missing values as Python spells them (None, NaN, pandas.NA, NaT) and numpy scalars (convert/missing.cpp).
#pragma once

#include <pybind11/pybind11.h>

namespace kefu::python {

/// None, NaN, pandas.NA and NaT: a value that is not given.
bool is_missing(pybind11::handle v);
/// numpy scalars (numpy.bool_, numpy.int64 …) to their Python equivalents.
pybind11::object plain(pybind11::handle v);

}  // namespace kefu::python
