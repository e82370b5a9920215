// Masking of customer personal data (DOM-PRIV-1).
#include "register.hpp"

#include <kefu/privacy.hpp>

namespace py = pybind11;

namespace kefu::python {

void register_privacy(py::module_& m) {
  m.def("mask_name", &kefu::mask_name, py::arg("name"), "'王小明' -> '王**'");
  m.def("mask_phone", &kefu::mask_phone, py::arg("phone"), "'13812345678' -> '138****5678'");
  m.def("mask_address", &kefu::mask_address, py::arg("address"), "any address -> '[address]'");
  m.def("mask_text", &kefu::mask_text, py::arg("text"), "free text with every mainland mobile number masked");
}

}  // namespace kefu::python
