// A bound method with a METH_FASTCALL entry for its common call, for the per-call hot paths (Calendar.add,
// DecisionPolicy.evaluate of one dict).
//
// pybind11's dispatcher costs about 100 ns per call (the arguments copied into heap vectors, the overload loop,
// the casters) — as much as the work of a calendar step. The fast entry takes the common positional call
// straight from CPython's argument array; every other call (keywords, other argument types, anything that
// raises) goes to the pybind11 overload, kept on the class as `_<name>_general`, so behaviour, error messages
// and the exceptions raised are exactly the general method's. help() shows the general method's docstring.
#pragma once

#include <pybind11/pybind11.h>

#include <string>

namespace kefu::python {

/// The fast part of a method: a new reference for a call it handles; nullptr, without a Python error set, for
/// one it leaves to the general method. It may throw (a C++ or Python error): the general method then runs the
/// call again and raises its own error — the same one, said the same way.
using fast_method = PyObject* (*)(PyObject* self, PyObject* const* args, Py_ssize_t nargs);

namespace detail {

template <fast_method Fast>
struct fastcall_method {
  static inline PyObject* general_name = nullptr;  // interned "_<name>_general", set once by bind_fastcall

  static PyObject* call(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
    if (!kwnames) {
      try {
        if (PyObject* result = Fast(self, args, nargs)) return result;
        if (PyErr_Occurred()) PyErr_Clear();
      } catch (const pybind11::error_already_set&) {
        // restored and cleared by the destructor; the general method raises it again
      } catch (...) {  // NOLINT: the general method raises this error itself, through pybind11's translators
      }
    }
    PyObject* general = PyObject_GetAttr(self, general_name);
    if (!general) return nullptr;
    PyObject* result = PyObject_Vectorcall(general, args, static_cast<std::size_t>(nargs), kwnames);
    Py_DECREF(general);
    return result;
  }
};

}  // namespace detail

/// Replaces method `name` of `cls` (bound by pybind11 beforehand) with a METH_FASTCALL descriptor that runs
/// `Fast` and falls back to the pybind11 method, which stays on the class as `_<name>_general`.
template <fast_method Fast>
void bind_fastcall(pybind11::handle cls, const char* name) {
  using method = detail::fastcall_method<Fast>;
  const std::string general = std::string("_") + name + "_general";
  pybind11::object pybind11_method = cls.attr(name);
  cls.attr(general.c_str()) = pybind11_method;
  if (!method::general_name) {
    method::general_name = PyUnicode_InternFromString(general.c_str());
    if (!method::general_name) throw pybind11::error_already_set();
  }
  // The definition and its docstring live as long as the process (CPython keeps pointers to both).
  auto* doc = new std::string(pybind11::str(pybind11_method.attr("__doc__")));
  auto* def = new PyMethodDef{name, reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(&method::call)),
                              METH_FASTCALL | METH_KEYWORDS, doc->c_str()};
  PyObject* descriptor = PyDescr_NewMethod(reinterpret_cast<PyTypeObject*>(cls.ptr()), def);
  if (!descriptor) throw pybind11::error_already_set();
  cls.attr(name) = pybind11::reinterpret_steal<pybind11::object>(descriptor);
}

}  // namespace kefu::python
