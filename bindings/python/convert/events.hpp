// Python event logs and ticket rows → kefu::ticket types: a list of event dicts or a dict of columns (numpy,
// pandas, lists) into a kefu::ticket::event_log, ticket ids and receipt instants; cells checked one by one,
// errors naming the row and the column.
#pragma once

#include <kefu/ticket/replay.hpp>
#include <kefu/time.hpp>

#include <pybind11/pybind11.h>

#include <cstdint>
#include <string>
#include <vector>

namespace kefu::python {

/// A follow-up's `satisfied` cell: 1 / 0 (Python or numpy bools), or -1 when absent; other values are
/// errors (`message`, when given, replaces the default text).
std::int8_t flag_of(PyObject* o, std::size_t row, const char* message = nullptr);
/// An event time from the Ticket API: whole seconds, naive = `zone`.
kefu::instant event_time(pybind11::handle at, const kefu::time_zone& zone);
/// A list of event dicts (ticket_id, event, at, by, note, tier, satisfied, reason, milestone; event "mark" with a
/// milestone records it, DOM-SLA-10).
kefu::ticket::event_log read_event_dicts(pybind11::handle list, const kefu::time_zone& zone);
/// A dict of event columns (the same names).
kefu::ticket::event_log read_event_columns(const pybind11::dict& cols, const kefu::time_zone& zone);
/// Only ticket_id and received_at of each ticket (a list of dicts or a dict of columns).
void read_ids_and_receipts(pybind11::handle facts, const kefu::time_zone& zone, std::vector<std::string>& ids,
                           std::vector<kefu::instant>& received);

}  // namespace kefu::python
