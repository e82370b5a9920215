// One function per area; module.cpp calls them in order (errors first: the others throw them).
#pragma once

#include <kefu/rules/policy.hpp>
#include <kefu/rules/triage.hpp>
#include <kefu/time.hpp>

#include <pybind11/pybind11.h>

#include "convert/datetime.hpp"
#include "convert/missing.hpp"
#include "convert/money.hpp"
#include "convert/value.hpp"

#include <optional>

namespace kefu::python {

void register_errors(pybind11::module_& m);
void register_time(pybind11::module_& m);
void register_money(pybind11::module_& m);
void register_rules(pybind11::module_& m);
void register_privacy(pybind11::module_& m);
void register_calendar(pybind11::module_& m);
void register_notice(pybind11::module_& m);
void register_decision_columns(pybind11::module_& m);
void register_keywords(pybind11::module_& m);
void register_policy(pybind11::module_& m);
void register_suite(pybind11::module_& m);
void register_kpi(pybind11::module_& m);
void register_triage(pybind11::module_& m);
void register_ticket(pybind11::module_& m);

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
/// DecisionPolicy.evaluate_columns: a kefu.DecisionColumns for a DataFrame, a dict of columns or a list of dicts.
pybind11::object evaluate_columns(const policy_ptr& p, pybind11::handle data, bool strict);
/// DecisionPolicy.keyword_sets: name → kefu.KeywordSet (each keeps its policy alive).
pybind11::dict keyword_sets_of(const policy_ptr& p);

}  // namespace kefu::python
