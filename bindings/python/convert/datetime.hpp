// Python datetimes, dates, timedeltas, zones and paths to kefu types and back (convert/datetime.cpp).
#pragma once

#include <kefu/time.hpp>

#include <pybind11/pybind11.h>

#include "typed.hpp"

#include <cstdint>
#include <string>

namespace kefu::python {

/// The datetime module (imported on use; the C API is used where conversions are hot).
pybind11::module_ datetime_module();
/// Whole seconds as a datetime.timedelta.
timedelta_result seconds_to_timedelta(std::int64_t s);
/// A datetime to an instant: aware datetimes are converted, naive ones are local time in `naive_zone`.
kefu::instant to_instant(pybind11::handle datetime, const kefu::time_zone& naive_zone);
/// An aware datetime in `zone`.
datetime_result to_datetime(kefu::instant t, const kefu::time_zone& zone);
/// For an aware datetime whose tzinfo is a fixed offset (datetime.timezone): its instant and offset in seconds
/// (one utcoffset call); false for any other value.
bool fixed_offset_instant(pybind11::handle dt, kefu::instant& at, std::int64_t& offset);
/// An instant as a datetime in the tzinfo of `like`, a datetime that fixed_offset_instant read (offset: its offset).
pybind11::object datetime_at_offset(kefu::instant t, std::int64_t offset, pybind11::handle like);
/// An instant as a datetime like `like`: naive (local time in `zone`) when `like` is naive, else in `like`'s zone.
datetime_result datetime_like(kefu::instant t, const kefu::time_zone& zone, pybind11::handle like);
/// The same instant as a naive datetime in `zone`'s local time.
pybind11::object to_naive_datetime(kefu::instant t, const kefu::time_zone& zone);
/// datetime.datetime / datetime.date (a datetime is a date too) without importing the module.
bool is_datetime_object(pybind11::handle x);
bool is_date_object(pybind11::handle x);
/// Days since 1970-01-01 of a datetime.date that is exactly a date (not a datetime); false otherwise.
bool exact_date_days(PyObject* x, std::int64_t& days);
/// Whether x is exactly a datetime.datetime (not a subclass such as pandas.Timestamp).
bool exact_datetime(PyObject* x);
/// A zone from a TimeZone object or its text ("+08:00", "Asia/Shanghai").
kefu::time_zone to_zone(pybind11::handle zone);
/// os.PathLike or str to a filesystem path string.
std::string to_path(pybind11::handle path);

}  // namespace kefu::python
