#include "register.hpp"

#include <kefu/version.hpp>

PYBIND11_MODULE(_core, m) {
  m.doc() = "kefu native core: calendars, rules, tickets and KPIs (see the kefu package for the Python face)";
  m.attr("__version__") = kefu::version_string;
  kefu::python::register_errors(m);
  kefu::python::register_time(m);
  kefu::python::register_money(m);
  kefu::python::register_rules(m);
  kefu::python::register_privacy(m);
  kefu::python::register_calendar(m);
  kefu::python::register_notice(m);
  kefu::python::register_decision_columns(m);
  kefu::python::register_keywords(m);
  kefu::python::register_policy(m);
  kefu::python::register_suite(m);
  kefu::python::register_triage(m);
  kefu::python::register_kpi(m);
  kefu::python::register_ticket(m);
}
