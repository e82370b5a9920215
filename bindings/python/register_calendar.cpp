// kefu.Calendar, kefu.Duration and kefu.SlaClock. Scalars take datetimes (naive = the calendar's
// local time, aware = converted; results keep the input's awareness); the same methods take numpy
// datetime64 arrays (read as calendar-local time) and loop in C++ with the GIL released.
#include "register.hpp"

#include "fastcall.hpp"

#include <kefu/calendar/load.hpp>
#include <kefu/calendar/sla_clock.hpp>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <datetime.h>

namespace py = pybind11;
namespace cal = kefu::calendar;

namespace kefu::python {

namespace {

constexpr std::int64_t nat = std::numeric_limits<std::int64_t>::min();

py::module_ numpy() { return py::module_::import("numpy"); }

bool is_datetime(py::handle x) { return is_datetime_object(x); }
bool is_date(py::handle x) { return is_date_object(x); }

/// A numpy datetime64 array (or anything numpy turns into one) in `unit`, as int64 values; none when x
/// is not array-like.
std::optional<py::array_t<std::int64_t>> as_datetime64(py::handle x, const char* unit) {
  if (is_date(x) || py::isinstance<py::str>(x)) return std::nullopt;
  const bool array_like = py::isinstance<py::array>(x) || py::isinstance<py::list>(x) || py::isinstance<py::tuple>(x) ||
                          PyObject_HasAttrString(x.ptr(), "__array__");
  if (!array_like) return std::nullopt;
  py::array arr = numpy().attr("asarray")(x);
  if (arr.dtype().kind() != 'M')
    throw py::type_error("expected datetime64 values, got an array of dtype " + std::string(py::str(arr.dtype())));
  py::array converted = arr.attr("astype")(std::string("datetime64[") + unit + "]");
  return py::array_t<std::int64_t>(converted.attr("view")("int64"));
}

py::array as_dtype(py::array_t<std::int64_t>& values, const char* dtype) { return values.attr("view")(dtype); }

/// Applies f to each element (NaT stays NaT) without the GIL.
template <class F>
py::array_t<std::int64_t> map_values(const py::array_t<std::int64_t>& in, F f) {
  py::array_t<std::int64_t> out(in.request().shape);
  const auto n = in.size();
  const std::int64_t* src = in.data();
  std::int64_t* dst = out.mutable_data();
  {
    py::gil_scoped_release release;
    for (py::ssize_t i = 0; i < n; ++i) dst[i] = src[i] == nat ? nat : f(src[i]);
  }
  return out;
}

template <class F>
py::array_t<std::int64_t> map_pairs(const py::array_t<std::int64_t>& a, const py::array_t<std::int64_t>& b, F f) {
  py::object broadcast = numpy().attr("broadcast_arrays")(a, b);
  py::array_t<std::int64_t> aa = numpy().attr("ascontiguousarray")(broadcast.attr("__getitem__")(0));
  py::array_t<std::int64_t> bb = numpy().attr("ascontiguousarray")(broadcast.attr("__getitem__")(1));
  py::array_t<std::int64_t> out(aa.request().shape);
  const auto n = aa.size();
  const std::int64_t *pa = aa.data(), *pb = bb.data();
  std::int64_t* dst = out.mutable_data();
  {
    py::gil_scoped_release release;
    for (py::ssize_t i = 0; i < n; ++i) dst[i] = pa[i] == nat || pb[i] == nat ? nat : f(pa[i], pb[i]);
  }
  return out;
}

/// A date, or the calendar-local date of a datetime, as days since 1970-01-01.
std::int64_t to_day(py::handle x, const cal::calendar& c) {
  if (is_datetime(x)) return c.zone().local_day(to_instant(x, c.zone()));
  if (is_date(x))
    return kefu::detail::days_from_civil(PyDateTime_GET_YEAR(x.ptr()), static_cast<unsigned>(PyDateTime_GET_MONTH(x.ptr())),
                                         static_cast<unsigned>(PyDateTime_GET_DAY(x.ptr())));
  if (py::isinstance<py::str>(x)) return kefu::to_days(kefu::parse_date(x.cast<std::string>()));
  throw py::type_error("expected a datetime.date, a datetime.datetime or 'YYYY-MM-DD'");
}

date_result to_date(std::int64_t days) {
  const auto d = kefu::detail::civil_from_days(days);
  PyObject* r = PyDateTimeAPI->Date_FromDate(static_cast<int>(d.year), static_cast<int>(d.month), static_cast<int>(d.day),
                                             PyDateTimeAPI->DateType);
  if (!r) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(r);
}

/// An instant back to Python with the awareness of `like`.

cal::duration to_duration(py::handle spec) {
  if (py::isinstance<cal::duration>(spec)) return spec.cast<cal::duration>();
  if (PyUnicode_Check(spec.ptr())) return cal::parse_duration(spec.cast<std::string>());
  if (py::isinstance<py::str>(spec)) return cal::parse_duration(spec.cast<std::string>());
  if (py::isinstance(spec, datetime_module().attr("timedelta"))) {
    const double s = spec.attr("total_seconds")().cast<double>();
    if (s != static_cast<double>(static_cast<std::int64_t>(s)))
      throw py::value_error("a timedelta duration must be a whole number of seconds");
    return cal::duration::wall_seconds(static_cast<std::int64_t>(s));
  }
  throw py::type_error("expected a duration such as '4 business hours', a kefu.Duration or a timedelta");
}


/// t (a datetime) plus d on c's clocks, with t's awareness: naive in, naive out (the calendar's local time).
py::object add_to_datetime(const cal::calendar& c, py::handle t, const cal::duration& d) {
  kefu::instant at;
  std::int64_t offset = 0;
  if (fixed_offset_instant(t, at, offset)) return datetime_at_offset(c.add(at, d), offset, t);  // the common aware case
  return datetime_like(c.add(to_instant(t, c.zone()), d), c.zone(), t);
}

/// The bound classes, set once when the module is made: the fast call checks its arguments' exact types against
/// them instead of through pybind11's casters (two casters were a third of the call).
PyTypeObject* duration_type = nullptr;
PyTypeObject* calendar_type = nullptr;

/// The C++ object inside an instance of a bound class of exactly `type`; nullptr for anything else (another type,
/// a subclass, an instance whose __init__ has not run): the general method then decides.
template <class T>
const T* exact_instance(PyObject* o, PyTypeObject* type) {
  if (!type || Py_TYPE(o) != type) return nullptr;
  auto* inst = reinterpret_cast<py::detail::instance*>(o);
  const py::detail::value_and_holder v = inst->get_value_and_holder(nullptr, false);
  if (!v || !v.holder_constructed()) return nullptr;
  return static_cast<const T*>(v.value_ptr());
}

/// Calendar.add(datetime, Duration), the per-call form, without pybind11's dispatch (fastcall.hpp).
PyObject* calendar_add_fast(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
  if (nargs != 2 || !PyDateTime_CheckExact(args[0])) return nullptr;
  const auto* duration = exact_instance<cal::duration>(args[1], duration_type);
  const auto* calendar = exact_instance<cal::calendar>(self, calendar_type);
  if (!duration || !calendar) return nullptr;
  return add_to_datetime(*calendar, args[0], *duration).release().ptr();
}

// pybind11 holders cannot be shared_ptr<const T>; every bound method is const, so nothing mutates.
using calendar_ptr = std::shared_ptr<cal::calendar>;
calendar_ptr unconst(std::shared_ptr<const cal::calendar> c) { return std::const_pointer_cast<cal::calendar>(std::move(c)); }

}  // namespace

void register_calendar(py::module_& m) {
  PyDateTime_IMPORT;  // this translation unit's copy of the datetime C API
  if (!PyDateTimeAPI) throw py::error_already_set();
  py::enum_<cal::clock>(m, "Clock", "The clock a duration runs on.")
      .value("wall", cal::clock::wall)
      .value("business", cal::clock::business)
      .value("workdays", cal::clock::workdays);

  py::class_<cal::duration>(m, "Duration",
                            "An amount on a clock: '24h' (wall), '4 business hours' (opening time), '3 workdays'.")
      .def(py::init([](const std::string& text) { return cal::parse_duration(text); }), py::arg("text"),
           "A duration from its spelling: '24h', '90min', '4 business hours', '3 workdays'.")
      .def_readonly("clock", &cal::duration::kind, "The clock the duration counts on: wall, business (opening hours) or workdays.")
      .def_readonly("amount", &cal::duration::amount, "seconds (wall, business) or days (workdays)")
      .def("__str__", [](const cal::duration& d) { return cal::to_string(d); })
      .def("__repr__", [](const cal::duration& d) { return "Duration('" + cal::to_string(d) + "')"; })
      .def("__eq__", [](const cal::duration& a, const cal::duration& b) { return a == b; })
      .def("__hash__", [](const cal::duration& d) { return py::hash(py::make_tuple(static_cast<int>(d.kind), d.amount)); });

  py::class_<cal::day_info>(m, "DayInfo", "What a calendar says about one date.")
      .def_property_readonly("date", [](const cal::day_info& d) { return to_date(d.day); }, "The day (a datetime.date).")
      .def_property_readonly("kind", [](const cal::day_info& d) { return cal::to_string(d.kind); }, "What the day is: workday, rest_day, holiday, makeup_workday (调休上班) or special_day.")
      .def_readonly("working", &cal::day_info::working, "Whether the day is a working day.")
      .def_readonly("name", &cal::day_info::name, "The holiday's name ('' on an ordinary day).")
      .def_readonly("provisional", &cal::day_info::provisional,
                    "Past the calendar's official data: projected from the holiday law, not yet official.")
      .def_property_readonly("hours",
                             [](const cal::day_info& d) {
                               std::vector<std::string> out;
                               for (const auto iv : d.working_hours) out.push_back(cal::format_interval(iv));
                               return out;
                             },
                             "The opening hours of the day ('09:00-18:00'), empty when closed.")
      .def("__repr__", [](const cal::day_info& d) {
        return "DayInfo(" + kefu::format_days(d.day) + ", " + cal::to_string(d.kind) + (d.name.empty() ? "" : ", " + d.name) +
               (d.provisional ? ", provisional)" : ")");
      });

  auto calendar_class = py::class_<cal::calendar, calendar_ptr>(m, "Calendar",
                                          "A compiled working-day calendar. Calendar.builtin('cn-mainland'), "
                                          "Calendar.load('team.yaml').")
      .def_static(
          "builtin",
          [](const std::string& name, const std::optional<std::string>& beyond_official) {
            auto c = cal::builtin(name);
            if (beyond_official) c = cal::with_beyond_official(c, cal::parse_beyond_official(*beyond_official));
            return unconst(c);
          },
          py::arg("name"), py::arg("beyond_official") = py::none(),
          "A built-in calendar. beyond_official='error' makes it strict: dates past its official data raise "
          "CalendarRangeError instead of using the provisional projection.")
      .def_static("builtin_names", &cal::builtin_names, "The names Calendar.builtin knows, sorted.")
      .def_static("load", [](path_arg path) { return unconst(cal::load_file(to_path(path))); }, py::arg("path"),
                  "A calendar from its YAML file (docs/calendars.md).")
      .def_static(
          "from_yaml",
          [](const std::string& text, const std::string& name) { return unconst(cal::load_string(text, name)); },
          py::arg("text"), py::arg("name") = "<string>",
          "A calendar from YAML text; `name` stands for the file in error messages.")
      .def_property_readonly("name", &cal::calendar::name, "The calendar's name (as policies and Policy.calendar name it).")
      .def_property_readonly("description", &cal::calendar::description, "What the calendar is for, from its YAML file.")
      .def_property_readonly("zone", &cal::calendar::zone, "The time zone of the calendar's days and opening hours.")
      .def_property_readonly("first_date", [](const cal::calendar& c) { return to_date(c.first_day()); }, "The first day the calendar has data for.")
      .def_property_readonly("last_date", [](const cal::calendar& c) { return to_date(c.last_day()); },
                             "The last date queries may touch (the end of the projection, if any).")
      .def_property_readonly("official_until", [](const cal::calendar& c) { return to_date(c.official_until()); },
                             "The last date of official data; later dates are provisional.")
      .def_property_readonly("provisional_until",
                             [](const cal::calendar& c) -> optional_date_result {
                               if (c.projects()) return to_date(c.last_day());
                               return py::none();
                             },
                             "The end of the provisional projection, or None when the calendar does not project.")
      .def_property_readonly("projection_law",
                             [](const cal::calendar& c) -> optional_str_result {
                               const auto& p = c.source().projection;
                               return p ? py::object(py::str(p->law)) : py::object(py::none());
                             },
                             "The holiday law the calendar projects past its official data ('cn-statutory-2025'), or None.")
      .def_property_readonly("strict", &cal::calendar::strict,
                             "Whether `beyond_official: error` turned the projection off.")
      .def(
          "is_provisional",
          [](const cal::calendar& c, date_like_arg d) -> bool_or_array_result {
            if (auto days = as_datetime64(d, "D")) {
              auto out = map_values(*days, [&](std::int64_t x) -> std::int64_t { return c.is_provisional(x) ? 1 : 0; });
              return out.attr("astype")("bool");
            }
            return py::bool_(c.is_provisional(to_day(d, c)));
          },
          py::arg("date"), "Whether a date (or each date of a datetime64 array) is past the official data.")
      .def(
          "horizon_warning",
          [](const cal::calendar& c, date_or_text_arg today, std::int64_t within_days) -> optional_str_result {
            auto w = cal::horizon_warning(c, to_day(today, c), within_days);
            return w ? py::object(py::str(*w)) : py::object(py::none());
          },
          py::arg("today"), py::arg("within_days") = 60,
          "A warning when the official data ends within `within_days` of `today` (or has ended), else None: "
          "what a service should raise as an alert.")
      .def(
          "is_working_day",
          [](const cal::calendar& c, date_like_arg d) -> bool_or_array_result {
            if (auto days = as_datetime64(d, "D")) {
              auto out = map_values(*days, [&](std::int64_t x) -> std::int64_t { return c.is_working_day(x) ? 1 : 0; });
              return out.attr("astype")("bool");
            }
            return py::bool_(c.is_working_day(to_day(d, c)));
          },
          py::arg("date"), "Whether a date (or each date of a datetime64 array) is a working day.")
      .def("day_info", [](const cal::calendar& c, date_or_text_arg d) { return c.info(to_day(d, c)); }, py::arg("date"),
           "What the calendar says about a day: kind, working, holiday name, opening hours, provisional.")
      .def(
          "is_open", [](const cal::calendar& c, datetime_arg t) { return c.is_open(to_instant(t, c.zone())); },
          py::arg("t"), "Whether an instant lies inside working hours.")
      .def(
          "add",
          [](const cal::calendar& c, instant_like_arg t, duration_arg spec) -> datetime_or_array_result {
            const cal::duration d = to_duration(spec);
            if (PyDateTime_CheckExact(t.ptr())) return add_to_datetime(c, t, d);
            if (auto values = as_datetime64(t, "s")) {
              const auto& zone = c.zone();
              auto out = map_values(*values, [&](std::int64_t local) {
                return zone.local_seconds(c.add(zone.from_local_seconds(local), d));
              });
              return as_dtype(out, "datetime64[s]");
            }
            return datetime_like(c.add(to_instant(t, c.zone()), d), c.zone(), t);
          },
          py::arg("t"), py::arg("spec"),
          "t plus a duration on its clock ('24h', '4 business hours', '3 workdays'); DOM-SLA-4 semantics (docs/requirements.md, docs/calendars.md).")
      .def(
          "working_time_between",
          [](const cal::calendar& c, instant_like_arg a, instant_like_arg b) -> timedelta_or_array_result {
            auto va = as_datetime64(a, "s");
            auto vb = as_datetime64(b, "s");
            if (va || vb) {
              if (!va || !vb) throw py::type_error("give both a and b as datetime64 arrays");
              const auto& zone = c.zone();
              auto out = map_pairs(*va, *vb, [&](std::int64_t x, std::int64_t y) {
                return c.working_time_between(zone.from_local_seconds(x), zone.from_local_seconds(y)).count();
              });
              return as_dtype(out, "timedelta64[s]");
            }
            return seconds_to_timedelta(c.working_time_between(to_instant(a, c.zone()), to_instant(b, c.zone())).count());
          },
          py::arg("a"), py::arg("b"), "Working time in [a, b); negative when b < a.")
      .def(
          "working_days_between",
          [](const cal::calendar& c, date_like_arg a, date_like_arg b) -> int_or_array_result {
            auto va = as_datetime64(a, "D");
            auto vb = as_datetime64(b, "D");
            if (va || vb) {
              if (!va || !vb) throw py::type_error("give both a and b as datetime64 arrays");
              return map_pairs(*va, *vb, [&](std::int64_t x, std::int64_t y) { return c.working_days_between(x, y); });
            }
            return py::int_(c.working_days_between(to_day(a, c), to_day(b, c)));
          },
          py::arg("a"), py::arg("b"), "Working days in [a, b) (numpy.busday_count's convention).")
      .def("__repr__", [](const cal::calendar& c) { return "Calendar('" + c.name() + "', " + c.horizon_text() + ")"; });
  duration_type = reinterpret_cast<PyTypeObject*>(py::type::of<cal::duration>().ptr());
  calendar_type = reinterpret_cast<PyTypeObject*>(calendar_class.ptr());
  bind_fastcall<calendar_add_fast>(calendar_class, "add");

  m.def(
      "statutory_holidays",
      [](int year, const std::string& law) {
        py::list out;
        for (const auto& d : cal::statutory_holidays(law, year)) out.append(py::make_tuple(to_date(d.day), d.name));
        return out;
      },
      py::arg("year"), py::arg("law") = std::string(cal::cn_statutory_2025),
      "The days off the holiday law gives in `year` as (date, name) pairs: what the provisional projection of "
      "cn-mainland uses past its official data (no make-up days, no 补休).");

  py::class_<cal::sla_status>(m, "SlaStatus", py::dynamic_attr(), "An SLA clock as of an instant.")
      .def_property_readonly("state", [](const cal::sla_status& s) { return cal::to_string(s.state); }, "The clock's state: not_started, running, paused, met or breached.")
      .def_readonly("paused", &cal::sla_status::paused, "Whether the clock is paused (waiting on the customer).")
      .def_readonly("warning", &cal::sla_status::warning, "Whether the warning point has passed while the clock runs.")
      .def_readonly("provisional", &cal::sla_status::provisional,
                    "True when `due` rests on days past the calendar's official data (it may move when the year's "
                    "holiday notice is loaded).")
      .def_property_readonly("elapsed", [](const cal::sla_status& s) { return seconds_to_timedelta(s.elapsed.count()); }, "Working time counted so far (a datetime.timedelta).")
      .def_property_readonly("remaining",
                             [](const cal::sla_status& s) { return seconds_to_timedelta(s.remaining.count()); },
                             "Working time left before the target (negative once breached).")
      .def_property_readonly("target", [](const cal::sla_status& s) { return seconds_to_timedelta(s.target.count()); }, "The clock's target as working time (a datetime.timedelta).")
      .def("__repr__", [](const cal::sla_status& s) {
        return std::string("SlaStatus(") + cal::to_string(s.state) + (s.warning ? ", warning" : "") + ")";
      });

  py::class_<cal::sla_clock>(m, "SlaClock",
                             "A pausable SLA clock: SlaClock(calendar, '4 business hours', warn_at=0.8 or "
                             "warn_before='30min'). Times are datetimes (naive = the calendar's local time).")
      .def(py::init([](calendar_ptr c, duration_arg target, double warn_at, optional_duration_arg warn_before) {
             cal::sla_warning w = cal::sla_warning::at_fraction(warn_at);
             if (!warn_before.is_none()) {
               const cal::duration lead = to_duration(warn_before);
               if (lead.kind == cal::clock::workdays) throw py::value_error("warn_before cannot be in workdays");
               w = cal::sla_warning::before(kefu::seconds(lead.amount));
             }
             return cal::sla_clock(std::move(c), to_duration(target), w);
           }),
           py::arg("calendar"), py::arg("target"), py::arg("warn_at") = 0.8, py::arg("warn_before") = py::none(),
           "A clock on `calendar` towards `target`; it warns at `warn_at` of the target, or `warn_before` it.")
      .def("start", [](cal::sla_clock& s, datetime_arg t) { s.start(to_instant(t, s.on().zone())); }, py::arg("at"),
           "Starts the clock at `at`.")
      .def("pause", [](cal::sla_clock& s, datetime_arg t) { s.pause(to_instant(t, s.on().zone())); }, py::arg("at"),
           "Pauses the clock at `at` (waiting on the customer).")
      .def("resume", [](cal::sla_clock& s, datetime_arg t) { s.resume(to_instant(t, s.on().zone())); }, py::arg("at"),
           "Resumes a paused clock at `at`.")
      .def("stop", [](cal::sla_clock& s, datetime_arg t) { s.stop(to_instant(t, s.on().zone())); }, py::arg("at"),
           "Stops the clock at `at` (the target is met or breached for good).")
      .def_property_readonly("target", &cal::sla_clock::target, "The target the clock counts towards.")
      .def_property_readonly("events",
                             [](const cal::sla_clock& s) {
                               py::list out;
                               for (const auto& e : s.events())
                                 out.append(py::make_tuple(cal::to_string(e.kind), to_datetime(e.at, s.on().zone())));
                               return out;
                             },
                             "What happened to the clock, in order: (kind, aware datetime) pairs.")
      .def(
          "status",
          [](const cal::sla_clock& s, datetime_arg at) -> sla_status_result {
            const auto st = s.status(to_instant(at, s.on().zone()));
            py::object status = py::cast(st);
            status.attr("__dict__")["due"] = datetime_like(st.due, s.on().zone(), at);
            status.attr("__dict__")["warn_at"] = datetime_like(st.warn_at, s.on().zone(), at);
            return status;
          },
          py::arg("at"), "state, due, warn_at, elapsed, remaining, warning and paused as of `at`.")
      .def(
          "due", [](const cal::sla_clock& s, datetime_arg at) { return datetime_like(s.due(to_instant(at, s.on().zone())), s.on().zone(), at); },
          py::arg("at"), "When the clock's target falls due, as of `at` (pauses so far counted).");
}

}  // namespace kefu::python
