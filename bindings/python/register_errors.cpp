// C++ errors become kefu exception classes that keep their fields (file, line, column, rule_id, detail).
#include "register.hpp"

#include <kefu/error.hpp>
#include <kefu/kpi/records.hpp>
#include <kefu/ticket/ticket.hpp>

namespace py = pybind11;

namespace kefu::python {
namespace {

// Exception classes live as long as the interpreter; pybind11 itself keeps its types the same way.
PyObject* error_type = nullptr;
PyObject* parse_error_type = nullptr;
PyObject* policy_error_type = nullptr;
PyObject* calendar_range_error_type = nullptr;
PyObject* transition_error_type = nullptr;
PyObject* column_error_type = nullptr;

PyObject* new_exception(py::module_& m, const char* name, py::tuple bases, const char* doc) {
  const std::string qualified = std::string("kefu.") + name;
  PyObject* type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases.ptr(), nullptr);
  if (!type) throw py::error_already_set();
  m.add_object(name, py::handle(type));
  return type;
}

template <class Extra = void (*)(py::object&)>
void raise(PyObject* type, const kefu::error& e, Extra extra = [](py::object&) {}) {
  py::object exc = py::reinterpret_borrow<py::object>(type)(e.what());
  auto optional_int = [](int v) -> py::object { return v > 0 ? py::object(py::int_(v)) : py::object(py::none()); };
  auto optional_str = [](const std::string& v) -> py::object {
    return v.empty() ? py::object(py::none()) : py::object(py::str(v));
  };
  exc.attr("file") = optional_str(e.file());
  exc.attr("line") = optional_int(e.line());
  exc.attr("column") = optional_int(e.column());
  exc.attr("rule_id") = optional_str(e.rule_id());
  exc.attr("detail") = py::str(e.detail());
  exc.attr("id") = py::str(e.id());
  extra(exc);
  PyErr_SetObject(type, exc.ptr());
}

}  // namespace

void register_errors(py::module_& m) {
  py::handle exception(PyExc_Exception), value_error(PyExc_ValueError);
  error_type = new_exception(m, "Error", py::make_tuple(exception),
                             "Base of every kefu error. Fields: id (stable, e.g. 'kefu.calendar.out_of_range'; "
                             "docs/errors.md), file, line, column, rule_id (None when unknown), detail (the message "
                             "without location).");
  py::handle base(error_type);
  for (const char* field : {"file", "line", "column", "rule_id", "detail"}) base.attr(field) = py::none();
  base.attr("id") = py::str("kefu.error");
  parse_error_type = new_exception(m, "ParseError", py::make_tuple(base, value_error),
                                   "A value or file could not be read (money text, date-time, YAML syntax).");
  policy_error_type = new_exception(m, "PolicyError", py::make_tuple(base, value_error),
                                    "A rules file is well-formed but says something kefu cannot accept.");
  calendar_range_error_type = new_exception(m, "CalendarRangeError", py::make_tuple(base, value_error),
                                            "A date or instant outside a calendar's declared range.");
  transition_error_type = new_exception(m, "TransitionError", py::make_tuple(base, value_error),
                                        "An event a ticket does not accept in its state (or a DOM-LC-5 guard refused "
                                        "it); the ticket is unchanged. Fields: state, event, reason.");
  column_error_type = new_exception(m, "ColumnError", py::make_tuple(base, value_error),
                                    "A records column is missing, has the wrong type or holds a bad value. Fields: "
                                    "column_name, row (0-based, None for the column as a whole), detail.");
  // The one translator: every kefu error class, most derived first, keeps its fields and id.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const kefu::kpi::column_error& e) {
      raise(column_error_type, e, [&](py::object& exc) {
        exc.attr("detail") = py::str(e.what());  // the column and row are part of its message
        exc.attr("column_name") = py::str(e.column());
        exc.attr("row") = e.row() >= 0 ? py::object(py::int_(e.row())) : py::object(py::none());
      });
    } catch (const kefu::ticket::transition_error& e) {
      raise(transition_error_type, e, [&](py::object& exc) {
        exc.attr("state") = py::str(kefu::ticket::to_string(e.from()));
        exc.attr("event") = py::str(kefu::ticket::to_string(e.event()));
        exc.attr("reason") = py::str(e.reason());
      });
    } catch (const kefu::parse_error& e) {
      raise(parse_error_type, e);
    } catch (const kefu::policy_error& e) {
      raise(policy_error_type, e);
    } catch (const kefu::calendar_range_error& e) {
      raise(calendar_range_error_type, e);
    } catch (const kefu::error& e) {
      raise(error_type, e);
    }
  });
}

}  // namespace kefu::python
