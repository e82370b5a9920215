// One function per area; module.cpp calls them in order (errors first: the others throw them).
#pragma once

#include <kefu/rules/policy.hpp>
#include <kefu/rules/triage.hpp>
#include <kefu/time.hpp>

#include <pybind11/pybind11.h>

#include "convert/datetime.hpp"
#include "convert/missing.hpp"

#include <optional>

namespace kefu::python {

void register_errors(pybind11::module_& m);
void register_time(pybind11::module_& m);
void register_money(pybind11::module_& m);
void register_rules(pybind11::module_& m);
void register_privacy(pybind11::module_& m);
void register_calendar(pybind11::module_& m);
void register_notice(pybind11::module_& m);
void register_policy(pybind11::module_& m);
void register_suite(pybind11::module_& m);
void register_kpi(pybind11::module_& m);
void register_triage(pybind11::module_& m);
void register_ticket(pybind11::module_& m);

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

/// Facts for a triage policy from a dict (as Policy.triage reads them): unknown facts and bad values are
/// errors naming the field.
kefu::rules::record read_facts(const kefu::rules::triage_policy& policy, pybind11::handle facts);
/// Many rows of facts (one reader for the batch); errors start with "row N: ".
std::vector<kefu::rules::record> read_fact_rows(const kefu::rules::triage_policy& policy, pybind11::iterable rows);
/// A kefu.TriageResult for `facts` (kept for its explain()).
pybind11::object triage_result_object(std::shared_ptr<kefu::rules::triage_policy> policy, kefu::rules::triage_result result,
                                      std::shared_ptr<kefu::rules::record> facts);

/// pybind11 holders cannot be shared_ptr<const T>; kefu's objects are immutable once loaded.
using policy_ptr = std::shared_ptr<kefu::rules::policy>;
policy_ptr unconst(std::shared_ptr<const kefu::rules::policy> p);

}  // namespace kefu::python
