// Python event logs and ticket rows → kefu::ticket types (convert/events.hpp).
#include "convert/events.hpp"

#include "convert/datetime.hpp"
#include "convert/missing.hpp"
#include "convert/value.hpp"

#include <kefu/ticket/ticket.hpp>

#include <pybind11/numpy.h>
#include <datetime.h>

#include <array>
#include <cmath>
#include <iterator>
#include <optional>
#include <string_view>

namespace py = pybind11;
namespace kt = kefu::ticket;

namespace kefu::python {

namespace {

/// PyDateTimeAPI is a static of datetime.h, one per translation unit: this file's, imported on first use.
void datetime_api() {
  if (!PyDateTimeAPI) {
    PyDateTime_IMPORT;
    if (!PyDateTimeAPI) throw py::error_already_set();
  }
}

/// None, NaN, pandas.NA and NaT (convert/missing.hpp), with datetimes, the common cell here, tested first.
bool is_absent(PyObject* o) {
  if (o == nullptr || o == Py_None) return true;
  if (Py_TYPE(o) == PyDateTimeAPI->DateTimeType) return false;
  return is_missing(py::handle(o));
}

/// A required cell that is absent.
[[noreturn]] void missing_cell(const std::string& where, const char* column) {
  throw kefu::error(where + ": column '" + column + "' is missing");
}

std::string row_text(const char* what, std::size_t row) { return std::string(what) + " row " + std::to_string(row); }

/// A text cell: "" when absent (None, NaN), else it must be a str. The view is into the str's own UTF-8
/// (kept by the str), valid while the caller's batch holds the str.
std::string_view text_view_of(PyObject* o, const char* what, std::size_t row, const char* column) {
  if (is_absent(o)) return {};
  if (!PyUnicode_Check(o))
    throw py::type_error(row_text(what, row) + ": column '" + column + "' must be text, got " + type_name(o));
  Py_ssize_t len = 0;
  const char* utf8 = PyUnicode_AsUTF8AndSize(o, &len);
  if (!utf8) throw py::error_already_set();
  return std::string_view(utf8, static_cast<std::size_t>(len));
}
std::string text_of(PyObject* o, const char* what, std::size_t row, const char* column) {
  return std::string(text_view_of(o, what, row, column));
}

}  // namespace

/// satisfied: 1 / 0 (Python or numpy bools), or -1 when absent.
std::int8_t flag_of(PyObject* o, std::size_t row, const char* message) {
  datetime_api();
  if (is_absent(o)) return -1;
  if (o == Py_True || o == Py_False) return o == Py_True;
  if (std::string(Py_TYPE(o)->tp_name) == "numpy.bool_" || std::string(Py_TYPE(o)->tp_name) == "numpy.bool")
    return static_cast<std::int8_t>(PyObject_IsTrue(o));
  throw py::type_error((message ? std::string(message) : row_text("events", row) + ": column 'satisfied' must be True or False") +
                       ", got " + py::repr(o).cast<std::string>());
}

namespace {

/// A datetime with microseconds (or a pandas Timestamp with nanoseconds): kefu keeps whole seconds.
bool has_fraction(PyObject* o) {
  if (!PyDateTime_Check(o)) return false;
  if (PyDateTime_DATE_GET_MICROSECOND(o) != 0) return true;
  if (Py_TYPE(o) == PyDateTimeAPI->DateTimeType) return false;
  const py::handle h(o);
  return py::hasattr(h, "nanosecond") && h.attr("nanosecond").cast<long long>() != 0;
}

}  // namespace

/// An event time from the Ticket API: whole seconds, naive = the policy's zone.
kefu::instant event_time(py::handle at, const kefu::time_zone& zone) {
  datetime_api();
  if (has_fraction(at.ptr())) throw kefu::error("at has a fraction of a second; kefu keeps whole seconds");
  return to_instant(at, zone);
}

namespace {

/// The UTC offset of the last fixed-offset tzinfo (datetime.timezone) seen in a batch: a log's datetimes
/// mostly share one (or one per ticket: fromisoformat makes a tzinfo per string), and asking it costs a call.
/// Valid while the batch holds its datetimes.
struct offset_cache {
  PyObject* tzinfo = nullptr;
  std::int64_t offset = 0;
};

kefu::instant instant_of(PyObject* o, const char* what, std::size_t row, const char* column, const kefu::time_zone& zone,
                         offset_cache* cache = nullptr) {
  if (is_absent(o)) missing_cell(row_text(what, row), column);
  if (!is_datetime_object(o))
    throw py::type_error(row_text(what, row) + ": column '" + column + "' must be a datetime, got " + py::repr(o).cast<std::string>());
  if (has_fraction(o)) throw kefu::error(row_text(what, row) + ": " + column + " has a fraction of a second; kefu keeps whole seconds");
  if (cache && PyDateTime_Check(o) && reinterpret_cast<PyDateTime_DateTime*>(o)->hastzinfo) {
    PyObject* tz = reinterpret_cast<PyDateTime_DateTime*>(o)->tzinfo;
    if (tz != cache->tzinfo) {  // a fixed offset (datetime.timezone) is the same for every date: asked once
      kefu::instant at;
      std::int64_t offset = 0;
      if (fixed_offset_instant(o, at, offset)) {  // timezone.utcoffset's C function, not datetime.utcoffset()
        cache->tzinfo = tz;
        cache->offset = offset;
        return at;
      }
    }
    if (tz == cache->tzinfo) {
      const std::int64_t days = kefu::detail::days_from_civil(PyDateTime_GET_YEAR(o), static_cast<unsigned>(PyDateTime_GET_MONTH(o)),
                                                              static_cast<unsigned>(PyDateTime_GET_DAY(o)));
      return kefu::instant::from_unix(days * 86400 + PyDateTime_DATE_GET_HOUR(o) * 3600 + PyDateTime_DATE_GET_MINUTE(o) * 60 +
                                      PyDateTime_DATE_GET_SECOND(o) - cache->offset);
    }
  }
  try {
    return to_instant(o, zone);
  } catch (const kefu::error& e) {
    throw kefu::error(row_text(what, row) + ": " + column + ": " + e.detail());
  }
}

/// Instants from a column: int64 nanoseconds since the epoch (a datetime64 column) or a sequence of datetimes.
std::vector<kefu::instant> instant_column(py::handle column, const char* what, const char* name, const kefu::time_zone& zone) {
  std::vector<kefu::instant> out;
  if (py::isinstance<py::array>(column) && py::array(py::reinterpret_borrow<py::array>(column)).dtype().kind() == 'i') {
    const auto ns = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(column);
    const auto v = ns.unchecked<1>();
    out.resize(static_cast<std::size_t>(ns.size()));
    for (std::size_t i = 0; i < out.size(); ++i) {
      const std::int64_t x = v(static_cast<py::ssize_t>(i));
      if (x % 1'000'000'000 != 0)
        throw kefu::error(row_text(what, i) + ": " + name + " has a fraction of a second; kefu keeps whole seconds");
      out[i] = kefu::instant::from_unix(x / 1'000'000'000);
    }
    return out;
  }
  const py::object fast = py::reinterpret_steal<py::object>(PySequence_Fast(column.ptr(), "a column must be a sequence"));
  if (!fast) throw py::error_already_set();
  const Py_ssize_t size = PySequence_Fast_GET_SIZE(fast.ptr());
  PyObject** items = PySequence_Fast_ITEMS(fast.ptr());
  out.resize(static_cast<std::size_t>(size));
  for (Py_ssize_t i = 0; i < size; ++i) out[static_cast<std::size_t>(i)] = instant_of(items[i], what, static_cast<std::size_t>(i), name, zone);
  return out;
}

/// Cells of a column (a sequence; a numpy array counts), or n absent ones for None. The items live as long
/// as `keep` holds the sequence made of them (numpy arrays of str make new str objects).
template <class F>
void for_each_cell(py::handle column, std::size_t n, const char* name, std::vector<py::object>& keep, F f) {
  if (column.is_none()) {
    for (std::size_t i = 0; i < n; ++i) f(i, nullptr);
    return;
  }
  const py::object fast = py::reinterpret_steal<py::object>(PySequence_Fast(column.ptr(), "a column must be a sequence"));
  keep.push_back(fast);
  if (!fast) throw py::error_already_set();
  const auto size = static_cast<std::size_t>(PySequence_Fast_GET_SIZE(fast.ptr()));
  if (size != n)
    throw kefu::error(std::string("events column '") + name + "' has " + std::to_string(size) + " rows, ticket_id has " +
                      std::to_string(n));
  PyObject** items = PySequence_Fast_ITEMS(fast.ptr());
  for (std::size_t i = 0; i < n; ++i) f(i, items[i]);
}

/// A row's event name and tier as the core's types; an unknown one is an error naming the row (its id kept).
kt::event_kind kind_in_row(std::string_view name, std::size_t row) {
  try {
    return kt::event_named(name);
  } catch (const kefu::error& e) {
    kefu::rethrow_with_prefix(e, row_text("events", row) + ": ");
  }
}
/// `event` of a row, where "mark" records a milestone (DOM-SLA-10): such a row is flagged in `marks` and read as
/// a milestone, so the event kind stored for it is never used.
kt::event_kind kind_or_mark(std::string_view name, std::size_t row, std::vector<bool>& marks) {
  if (name == "mark") {
    marks[row] = true;
    return kt::event_kind::start;
  }
  return kind_in_row(name, row);
}
/// The milestone column against the "mark" rows: each mark names a milestone, no other row does. The log gets
/// its milestones column only when some row is a mark.
void check_marks(kt::event_log& log, const std::vector<bool>& marks, std::vector<std::string>& milestones) {
  bool any = false;
  for (std::size_t i = 0; i < marks.size(); ++i) {
    const bool named = i < milestones.size() && !milestones[i].empty();
    if (marks[i] && !named) throw kefu::error(row_text("events", i) + ": event 'mark' needs a milestone (column 'milestone')", {}, {}, "kefu.ticket.replay");
    if (!marks[i] && named)
      throw kefu::error(row_text("events", i) + ": only event 'mark' takes a milestone ('" + milestones[i] + "')", {}, {}, "kefu.ticket.replay");
    any = any || marks[i];
  }
  if (any) log.milestones = std::move(milestones);
}
std::optional<kt::tier> tier_in_row(std::string_view name, std::size_t row) {
  if (name.empty()) return std::nullopt;
  try {
    return kt::tier_named(name);
  } catch (const kefu::error& e) {
    kefu::rethrow_with_prefix(e, row_text("events", row) + ": ");
  }
}
std::optional<bool> satisfied_in_row(std::int8_t flag) {
  return flag < 0 ? std::nullopt : std::optional<bool>(flag != 0);
}

/// Room for n rows in every column of a log.
void size_log(kt::event_log& log, std::size_t n) {
  log.ticket_ids.resize(n);
  log.at.resize(n);
  log.kinds.resize(n);
  log.operators.resize(n);
  log.notes.resize(n);
  log.tiers.resize(n);
  log.satisfied.resize(n);
  log.reasons.resize(n);
}

constexpr const char* event_columns[] = {"ticket_id", "at", "event", "by", "note", "tier", "satisfied", "reason", "milestone"};
constexpr std::size_t event_column_count = std::size(event_columns);
constexpr std::size_t required_event_columns = 4;

std::string event_column_list() {
  std::string s;
  for (const char* c : event_columns) s += (s.empty() ? "" : ", ") + std::string(c);
  return s;
}

}  // namespace

/// A list of event dicts, read here (no Python loop): every key must be a known column.
kt::event_log read_event_dicts(py::handle list, const kefu::time_zone& zone) {
  datetime_api();
  const py::object fast = py::reinterpret_steal<py::object>(PySequence_Fast(list.ptr(), "events must be a sequence"));
  if (!fast) throw py::error_already_set();
  const auto n = static_cast<std::size_t>(PySequence_Fast_GET_SIZE(fast.ptr()));
  PyObject** items = PySequence_Fast_ITEMS(fast.ptr());
  std::array<py::object, event_column_count> keys;
  for (std::size_t c = 0; c < event_column_count; ++c) keys[c] = py::reinterpret_steal<py::object>(PyUnicode_InternFromString(event_columns[c]));
  kt::event_log log;
  size_log(log, n);
  std::vector<bool> marks(n, false);
  std::vector<std::string> milestones(n);
  offset_cache cache;
  for (std::size_t i = 0; i < n; ++i) {
    PyObject* d = items[i];
    // The log's dicts are scattered over the heap: ask for the ones a few rows ahead early.
    if (i + 8 < n) __builtin_prefetch(items[i + 8]);
    if (i + 4 < n && PyDict_Check(items[i + 4])) __builtin_prefetch(reinterpret_cast<PyDictObject*>(items[i + 4])->ma_keys);
    if (!PyDict_Check(d)) throw py::type_error(row_text("events", i) + ": expected a dict, got " + type_name(d));
    // One pass over the dict's few items (key identity first: literal keys are interned), not 8 look-ups.
    std::array<PyObject*, event_column_count> v{};
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(d, &pos, &key, &value)) {
      std::size_t c = 0;
      while (c < event_column_count && keys[c].ptr() != key) ++c;
      if (c == event_column_count) {
        c = 0;
        while (c < event_column_count &&
               !(PyUnicode_Check(key) && PyUnicode_CompareWithASCIIString(key, event_columns[c]) == 0))
          ++c;
      }
      if (c == event_column_count) {
        const std::string k = PyUnicode_Check(key) ? py::str(key).cast<std::string>() : py::repr(key).cast<std::string>();
        throw py::type_error(row_text("events", i) + ": unknown column '" + k + "' (columns are " + event_column_list() + ")");
      }
      v[c] = value;
    }
    for (std::size_t c = 0; c < required_event_columns; ++c) {
      if (!v[c]) throw py::type_error(row_text("events", i) + ": missing column '" + event_columns[c] + "'");
      if (is_absent(v[c])) missing_cell(row_text("events", i), event_columns[c]);
    }
    log.ticket_ids[i] = text_view_of(v[0], "events", i, "ticket_id");
    log.at[i] = instant_of(v[1], "events", i, "at", zone, &cache);
    log.kinds[i] = kind_or_mark(text_view_of(v[2], "events", i, "event"), i, marks);
    log.operators[i] = text_view_of(v[3], "events", i, "by");
    log.notes[i] = text_view_of(v[4], "events", i, "note");
    log.tiers[i] = tier_in_row(text_view_of(v[5], "events", i, "tier"), i);
    log.satisfied[i] = satisfied_in_row(flag_of(v[6], i));
    log.reasons[i] = text_view_of(v[7], "events", i, "reason");
    milestones[i] = text_view_of(v[8], "events", i, "milestone");
  }
  check_marks(log, marks, milestones);
  return log;
}

/// A dict of columns (a DataFrame's, with `at` as int64 nanoseconds or datetimes).
kt::event_log read_event_columns(const py::dict& cols, const kefu::time_zone& zone) {
  datetime_api();
  auto column = [&](const char* name) -> py::object {
    return cols.contains(name) ? py::reinterpret_borrow<py::object>(cols[name]) : py::object(py::none());
  };
  kt::event_log log;
  std::vector<py::object> keep;  // the sequences being read
  const py::object ids = column("ticket_id");
  const std::size_t n = ids.is_none() ? 0 : static_cast<std::size_t>(py::len(ids));
  size_log(log, n);
  const auto required = [](PyObject* o, std::size_t i, const char* name) {
    if (is_absent(o)) missing_cell(row_text("events", i), name);
    return o;
  };
  for_each_cell(ids, n, "ticket_id", keep, [&](std::size_t i, PyObject* o) {
    log.ticket_ids[i] = text_view_of(required(o, i, "ticket_id"), "events", i, "ticket_id");
  });
  std::vector<bool> marks(n, false);
  std::vector<std::string> milestones(n);
  for_each_cell(column("event"), n, "event", keep, [&](std::size_t i, PyObject* o) {
    log.kinds[i] = kind_or_mark(text_view_of(required(o, i, "event"), "events", i, "event"), i, marks);
  });
  for_each_cell(column("milestone"), n, "milestone", keep,
                [&](std::size_t i, PyObject* o) { milestones[i] = text_view_of(o, "events", i, "milestone"); });
  check_marks(log, marks, milestones);
  for_each_cell(column("by"), n, "by", keep, [&](std::size_t i, PyObject* o) {
    log.operators[i] = text_view_of(required(o, i, "by"), "events", i, "by");
  });
  for_each_cell(column("note"), n, "note", keep, [&](std::size_t i, PyObject* o) { log.notes[i] = text_view_of(o, "events", i, "note"); });
  for_each_cell(column("tier"), n, "tier", keep,
                [&](std::size_t i, PyObject* o) { log.tiers[i] = tier_in_row(text_view_of(o, "events", i, "tier"), i); });
  for_each_cell(column("satisfied"), n, "satisfied", keep,
                [&](std::size_t i, PyObject* o) { log.satisfied[i] = satisfied_in_row(flag_of(o, i)); });
  for_each_cell(column("reason"), n, "reason", keep,
                [&](std::size_t i, PyObject* o) { log.reasons[i] = text_view_of(o, "events", i, "reason"); });
  if (n) {
    log.at = instant_column(column("at"), "events", "at", zone);
    if (log.at.size() != n)
      throw kefu::error("events column 'at' has " + std::to_string(log.at.size()) + " rows, ticket_id has " + std::to_string(n));
  }
  return log;
}

/// Only ticket_id and received_at of each ticket (replay with one plan for all: nothing is triaged).
void read_ids_and_receipts(py::handle facts, const kefu::time_zone& zone, std::vector<std::string>& ids,
                           std::vector<kefu::instant>& received) {
  datetime_api();
  if (PyDict_Check(facts.ptr())) {
    const py::dict cols = py::reinterpret_borrow<py::dict>(facts);
    if (!cols.contains("ticket_id") || !cols.contains("received_at"))
      throw py::type_error("tickets: the columns ticket_id and received_at are needed");
    const py::object id_column = cols["ticket_id"];
    ids.assign(static_cast<std::size_t>(py::len(id_column)), std::string());
    std::vector<py::object> keep;
    for_each_cell(id_column, ids.size(), "ticket_id", keep, [&](std::size_t i, PyObject* o) { ids[i] = text_of(o, "tickets", i, "ticket_id"); });
    received = instant_column(cols["received_at"], "tickets", "received_at", zone);
    return;
  }
  const py::object fast = py::reinterpret_steal<py::object>(PySequence_Fast(facts.ptr(), "tickets must be a sequence"));
  if (!fast) throw py::error_already_set();
  const auto n = static_cast<std::size_t>(PySequence_Fast_GET_SIZE(fast.ptr()));
  PyObject** items = PySequence_Fast_ITEMS(fast.ptr());
  ids.resize(n);
  received.resize(n);
  offset_cache cache;
  const py::object id_key = py::reinterpret_steal<py::object>(PyUnicode_InternFromString("ticket_id"));
  const py::object received_key = py::reinterpret_steal<py::object>(PyUnicode_InternFromString("received_at"));
  for (std::size_t k = 0; k < n; ++k) {
    PyObject* d = items[k];
    if (!PyDict_Check(d)) throw py::type_error(row_text("tickets", k) + ": expected a dict, got " + type_name(d));
    ids[k] = text_of(PyDict_GetItemWithError(d, id_key.ptr()), "tickets", k, "ticket_id");
    received[k] = instant_of(PyDict_GetItemWithError(d, received_key.ptr()), "tickets", k, "received_at", zone, &cache);
    if (PyErr_Occurred()) throw py::error_already_set();
  }
}

}  // namespace kefu::python
