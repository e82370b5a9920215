// One function per area; module.cpp calls them in order (errors first: the others throw them).
#pragma once

#include <kefu/time.hpp>

#include <pybind11/pybind11.h>

namespace kefu::python {

void register_errors(pybind11::module_& m);
void register_time(pybind11::module_& m);
void register_money(pybind11::module_& m);
void register_rules(pybind11::module_& m);
void register_privacy(pybind11::module_& m);
void register_calendar(pybind11::module_& m);
void register_policy(pybind11::module_& m);
void register_suite(pybind11::module_& m);

/// A datetime to an instant: aware datetimes are converted, naive ones are local time in `naive_zone`.
kefu::instant to_instant(pybind11::handle datetime, const kefu::time_zone& naive_zone);
/// An aware datetime in `zone`.
pybind11::object to_datetime(kefu::instant t, const kefu::time_zone& zone);
/// A zone from a TimeZone object or its text ("+08:00", "Asia/Shanghai").
kefu::time_zone to_zone(pybind11::handle zone);
/// os.PathLike or str to a filesystem path string.
std::string to_path(pybind11::handle path);

}  // namespace kefu::python
