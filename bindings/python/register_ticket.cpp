// kefu.Ticket: a complaint ticket's lifecycle (the Boost.MSM machine of the C++ core), its SLA clocks and
// audited history; kefu.TicketPlan; batch replay of many tickets' event logs (kefu::ticket::replay, with the GIL
// released). This file only converts: Python values to the core's types and back.
#include "register.hpp"

#include "convert/events.hpp"

#include <kefu/detail/civil.hpp>
#include <kefu/privacy.hpp>
#include <kefu/ticket/open.hpp>
#include <kefu/ticket/replay.hpp>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>

namespace py = pybind11;
namespace kr = kefu::rules;
namespace kt = kefu::ticket;

namespace kefu::python {

namespace {

using triage_ptr = std::shared_ptr<kr::triage_policy>;

struct py_ticket {
  triage_ptr policy;
  kt::ticket t;
  std::optional<kr::triage_result> triage;  // when opened from facts (not after from_json)
  std::shared_ptr<kr::record> facts;  // kept in memory for triage.explain(); never exported
  bool triage_from_facts = false;     // replayed: the triage result is made from the facts when asked for
};

/// An event from Python arguments. `tier` and `reason` are for triage (default tier: the one the policy decided
/// for this ticket; a reason is required below it) and `satisfied` for follow_up (required: whether the
/// follow-up found the problem solved).
kt::event make_event(const py_ticket& t, kt::event_kind kind, py::handle at, std::string by, std::string note,
                     py::handle tier, py::handle satisfied, py::handle reason = py::none()) {
  const std::string name = kt::to_string(kind);
  kt::event e = kt::event::make(kind, event_time(at, t.policy->zone()), std::move(by), std::move(note));
  if (!tier.is_none()) {
    if (kind != kt::event_kind::triage) throw py::type_error(name + "() takes no tier (only triage does)");
    e.to = kt::tier_named(std::string(py::str(tier)));
  } else if (kind == kt::event_kind::triage) {
    if (!t.t.policy_tier())
      throw py::type_error("triage() needs tier='L1', 'L2' or 'L3': this ticket was not opened from facts");
    e.to = *t.t.policy_tier();
  }
  if (!reason.is_none()) {
    if (kind != kt::event_kind::triage) throw py::type_error(name + "() takes no reason (only triage does)");
    if (!PyUnicode_Check(reason.ptr())) throw py::type_error("reason must be text (why the tier differs from the policy's)");
    e.reason = reason.cast<std::string>();
  }
  if (!satisfied.is_none()) {
    if (kind != kt::event_kind::follow_up) throw py::type_error(name + "() takes no satisfied (only follow_up does)");
    const std::int8_t flag = flag_of(satisfied.ptr(), 0, "satisfied must be True or False");
    if (flag < 0) throw py::type_error("follow_up() needs satisfied=True or False, got a missing value");
    e.satisfied = flag != 0;
  } else if (kind == kt::event_kind::follow_up) {
    throw py::type_error("follow_up() needs satisfied=True or False: whether the follow-up found the problem solved");
  }
  return e;
}

py::object status_object(const std::optional<kefu::calendar::sla_status>& s, const kefu::time_zone& zone) {
  if (!s) return py::none();
  py::object o = py::cast(*s);
  o.attr("__dict__")["due"] = to_datetime(s->due, zone);
  o.attr("__dict__")["warn_at"] = to_datetime(s->warn_at, zone);
  return o;
}

py::dict flags_dict(const kt::ticket_flags& f, const kefu::time_zone& zone) {
  py::dict d;
  d["followed_up"] = f.followed_up;
  d["report_attached"] = f.report_attached;
  d["reopen_count"] = f.reopen_count;
  d["closed_at"] = f.closed_at ? to_datetime(*f.closed_at, zone) : py::object(py::none());
  d["reported"] = f.reported;          // DOM-LC-8: 0, 1 (一级上报) or 2 (二级上报)
  d["improvements"] = f.improvements;  // DOM-LC-1: improvement items recorded
  return d;
}

/// The audit history as a pandas DataFrame. Notes are masked (DOM-PRIV-1): agents write phone numbers
/// into notes, and a DataFrame ends up in exports; the snapshot keeps the exact text. Deadlines that moved
/// when the ticket was restored on newer calendars (DOM-SLA-8) are rows too: event `deadline_moved` at the
/// instant both dues were computed for (after the events up to it), by the plan's system operator, in the
/// state the ticket was in, the note saying which clock moved from when to when and why.
dataframe_result history_frame(const py_ticket& t) {
  const auto& h = t.t.history();
  const auto& moved = t.t.deadline_changes();
  const auto& zone = t.policy->zone();
  py::list at, by, event, from, to, note, tier, satisfied, policy_tier, reason, milestone;
  kt::state now;  // received/L1 until the first record
  std::size_t m = 0;
  const auto& marks = t.t.milestones();  // DOM-SLA-10: rows with event 'mark', in their place among the records
  std::size_t next_mark = 0;
  auto add_marks = [&](std::size_t before_record) {
    for (; next_mark < marks.size() && marks[next_mark].after == before_record; ++next_mark) {
      const kt::milestone_record& r = marks[next_mark];
      at.append(to_datetime(r.what.at, zone));
      by.append(r.what.by);
      event.append("mark");
      from.append(r.state);
      to.append(r.state);
      note.append(kefu::mask_text(r.what.note));
      tier.append(py::none());
      satisfied.append(py::none());
      policy_tier.append(py::none());
      reason.append(py::none());
      milestone.append(r.what.name);
    }
  };
  auto add_moved = [&](const kt::deadline_change& d) {
    at.append(to_datetime(d.at, zone));
    by.append(t.t.plan().system_operator);
    event.append("deadline_moved");
    from.append(kt::to_string(now));
    to.append(kt::to_string(now));
    note.append(kefu::mask_text(kt::describe(d, zone)));
    tier.append(py::none());
    satisfied.append(py::none());
    policy_tier.append(py::none());
    reason.append(py::none());
    milestone.append(py::none());
  };
  for (std::size_t i = 0; i < h.size(); ++i) {
    const auto& r = h[i];
    add_marks(i);
    while (m < moved.size() && moved[m].at < r.what.at) add_moved(moved[m++]);
    now = r.to;
    at.append(to_datetime(r.what.at, zone));
    by.append(r.what.by);
    event.append(kt::to_string(r.what.kind));
    from.append(kt::to_string(r.from));
    to.append(kt::to_string(r.to));
    note.append(kefu::mask_text(r.what.note));
    tier.append(r.what.kind == kt::event_kind::triage ? py::object(py::str(kt::to_string(r.what.to))) : py::object(py::none()));
    satisfied.append(r.what.kind == kt::event_kind::follow_up ? py::object(py::bool_(r.what.satisfied)) : py::object(py::none()));
    policy_tier.append(r.policy_tier ? py::object(py::str(kt::to_string(*r.policy_tier))) : py::object(py::none()));
    reason.append(r.what.reason.empty() ? py::object(py::none()) : py::object(py::str(kefu::mask_text(r.what.reason))));
    milestone.append(py::none());
  }
  add_marks(h.size());
  while (m < moved.size()) add_moved(moved[m++]);
  py::dict c;
  c["at"] = at;
  c["by"] = by;
  c["event"] = event;
  c["from"] = from;
  c["to"] = to;
  c["note"] = note;
  c["tier"] = tier;
  // Missing is pandas' own missing value for each dtype: NaN in the text columns (pandas' str), <NA> in
  // `satisfied` (a nullable bool, not an object column of True/False/None), NaT in instants.
  const py::module_ pd = py::module_::import("pandas");
  c["satisfied"] = pd.attr("array")(satisfied, py::arg("dtype") = "boolean");
  c["policy_tier"] = policy_tier;
  c["reason"] = reason;
  c["milestone"] = milestone;
  py::object frame = pd.attr("DataFrame")(c);
  // A text column with no value at all would come out as objects (None): give it the text columns' dtype.
  const py::object text = frame["event"].attr("dtype");
  for (const char* name : {"tier", "policy_tier", "reason", "milestone"})
    frame[name] = frame[name].attr("astype")(text);
  return frame;
}

kt::calendar_resolver resolver_of(const triage_ptr& policy) {
  return [policy](const std::string& name) { return policy->calendar(name); };
}

/// Opens a ticket from facts (kefu::ticket::open). The facts are kept for triage.explain(), with the receipt
/// that `at` gives them when they have none.
py_ticket open_ticket(const triage_ptr& policy, kr::record facts, std::optional<kefu::instant> at, std::string id,
                      std::string by, const kt::ticket_plan* plan) {
  kt::opened o = kt::open_triaged(*policy, facts, at, std::move(id), std::move(by),
                                  plan ? std::make_shared<const kt::ticket_plan>(*plan) : nullptr);
  const std::size_t received_slot = policy->fact_slot("received_at");
  if (!facts.present[received_slot]) policy->set_fact(facts, received_slot, kefu::format_instant(o.t.received(), policy->zone()));
  return py_ticket{policy, std::move(o.t), std::move(o.triage), std::make_shared<kr::record>(std::move(facts))};
}

std::string repr(const py_ticket& t) {
  return "Ticket('" + t.t.id() + "', " + kt::to_string(t.t.current()) + ", " + std::to_string(t.t.history().size()) +
         (t.t.history().size() == 1 ? " event)" : " events)");
}

/// Many tickets' event logs replayed at once (see kefu.replay in the Python layer for the input forms): the
/// columns and facts converted here, the replay itself kefu::ticket::replay's, without the GIL.
py::list replay(const triage_ptr& policy, py::handle facts_rows, py::handle event_source,
                const std::optional<kt::ticket_plan>& plan, const std::string& received_by) {
  kt::event_log log = PyDict_Check(event_source.ptr()) ? read_event_columns(py::reinterpret_borrow<py::dict>(event_source), policy->zone())
                                                       : read_event_dicts(event_source, policy->zone());
  kt::replay_options options;
  options.received_by = received_by;
  std::vector<kt::ticket> tickets;
  std::vector<py_ticket> out;
  if (plan) {  // one plan for all: only ids and receipt times are read, nothing is triaged
    std::vector<std::string> ids;
    std::vector<kefu::instant> received;
    read_ids_and_receipts(facts_rows, policy->zone(), ids, received);
    const auto shared = std::make_shared<const kt::ticket_plan>(*plan);
    {
      py::gil_scoped_release release;
      tickets = kt::replay(shared, ids, received, std::move(log), options);
    }
    out.reserve(tickets.size());
    for (auto& t : tickets) out.push_back(py_ticket{policy, std::move(t), std::nullopt, nullptr});
  } else {
    std::vector<kr::record> facts = read_fact_rows(*policy, py::reinterpret_borrow<py::iterable>(facts_rows));
    {
      py::gil_scoped_release release;
      tickets = kt::replay(*policy, facts, std::move(log), options);  // triaged and planned by columns
    }
    out.reserve(tickets.size());
    for (std::size_t k = 0; k < tickets.size(); ++k)
      out.push_back(py_ticket{policy, std::move(tickets[k]), std::nullopt, std::make_shared<kr::record>(std::move(facts[k])), true});
  }
  py::list list(out.size());
  for (std::size_t k = 0; k < out.size(); ++k)
    PyList_SET_ITEM(list.ptr(), static_cast<Py_ssize_t>(k), py::cast(std::move(out[k]), py::return_value_policy::move).release().ptr());
  return list;
}

}  // namespace

void register_ticket(py::module_& m) {
  py::class_<kt::ticket_plan>(m, "TicketPlan",
                              "What a ticket is held to, per tier: first-response, resolution and follow-up targets on "
                              "their calendars, whether a follow-up or a written report must come before close, the "
                              "reopen window. Ticket(policy, facts) makes one from the policy; snapshots carry theirs.")
      .def_static("default", &kt::default_plan, "DOM-ESC-1's tiers on the built-in calendars (as rules/tiers.yaml).")
      .def_static(
          "for_facts",
          [](const triage_ptr& policy, const facts_arg& facts) {
            const kr::record f = read_facts(*policy, facts);
            return [&] {
              const kr::triage_result r = policy->triage(f);
              return kt::plan_for(*policy, f, &r);
            }();
          },
          py::arg("policy"), py::arg("facts"), "Every tier's terms as `policy` gives them for these facts.")
      .def_property_readonly("reopen_window",
                             [](const kt::ticket_plan& p) -> timedelta_result {
                               return py::module_::import("datetime").attr("timedelta")(py::arg("seconds") = p.reopen_window.count());
                             },
                             "How long after closing a ticket may be reopened (DOM-LC-3).")
      .def("tier",
           [](const kt::ticket_plan& p, const std::string& name) {
             const kt::tier_targets& t = p.of(kt::tier_named(name));
             py::dict d;
             auto target = [](const std::optional<kt::sla_target>& s) -> py::object {
               if (!s) return py::none();
               return py::str(kefu::calendar::to_string(s->within) + " on " + s->on->name());
             };
             d["first_response"] = target(t.first_response);
             d["resolution"] = target(t.resolution);
             d["follow_up"] = target(t.follow_up);
             d["follow_up_required"] = t.follow_up_required;
             d["report_required"] = t.report_required;
             return d;
           },
           py::arg("tier"), "A tier's terms: {'first_response': '2h on always', ..., 'report_required': False}.")
      .def_property_readonly(
          "reports",
          [](const kt::ticket_plan& p) -> py::dict {
            auto target = [](const std::optional<kt::sla_target>& s) -> py::object {
              if (!s) return py::none();
              return py::str(kefu::calendar::to_string(s->within) + " on " + s->on->name());
            };
            py::dict d;
            d["level_1_required"] = p.reports.level_1_required;
            d["level_1"] = target(p.reports.level_1);
            d["level_2"] = target(p.reports.level_2);
            return d;
          },
          "The upward-report terms (DOM-LC-8): {'level_1_required': True, 'level_1': '2h on always' or None, "
          "'level_2': ... or None}.")
      .def("to_json", &kt::plan_to_json, "The plan as JSON (as snapshots carry it).")
      .def("difference", &kt::plan_difference, py::arg("other"), "The first difference from `other`, or ''.")
      .def("__eq__", [](const kt::ticket_plan& a, const kt::ticket_plan& b) { return a == b; })
      .def("__repr__", [](const kt::ticket_plan& p) {
        std::string s = "TicketPlan(";
        for (std::size_t i = 0; i < kt::tier_count; ++i) {
          const auto& t = p.tiers[i];
          s += std::string(i ? "; " : "") + kt::to_string(static_cast<kt::tier>(i)) + " " +
               (t.first_response ? kefu::calendar::to_string(t.first_response->within) : "-") + "/" +
               (t.resolution ? kefu::calendar::to_string(t.resolution->within) : "-") +
               (t.follow_up_required ? " +follow-up" : "") + (t.report_required ? " +report" : "");
        }
        if (p.reports.level_1_required) s += "; level-1 report required";
        return s + ")";
      });

  auto cls = py::class_<py_ticket>(
      m, "Ticket",
      "A complaint ticket: its lifecycle state (progress and tier), SLA clocks and audited history. "
      "Ticket(policy, facts, at=None, id=None, by='system', plan=None) triages the facts and opens the ticket in "
      "state received/L1 at `at` (or the fact received_at). Times are datetimes; naive ones are the policy's "
      "local time. Nothing reads the wall clock: every call that needs a time takes it.");
  cls.def(py::init([](const triage_ptr& policy, const facts_arg& facts, const optional_datetime_arg& at, const std::string& id,
                      const std::string& by, const std::optional<kt::ticket_plan>& plan) {
            std::optional<kefu::instant> when;
            if (!at.is_none()) when = event_time(at, policy->zone());
            return open_ticket(policy, read_facts(*policy, facts), when, id, by, plan ? &*plan : nullptr);
          }),
          py::arg("policy"), py::arg("facts"), py::arg("at") = py::none(), py::kw_only(), py::arg("id") = "",
          py::arg("by") = "system", py::arg("plan") = py::none(),
          "Triages `facts` under `policy` and opens the ticket at `at` (default: the fact received_at), received by `by`.")
      .def(
          "fire",
          [](py_ticket& t, const std::string& event, const datetime_arg& at, std::string by, std::string note, py::kwargs data) {
            py::object tier = py::none(), satisfied = py::none(), reason = py::none();
            for (auto item : data) {
              const std::string key = py::str(item.first);
              if (key == "tier") tier = py::reinterpret_borrow<py::object>(item.second);
              else if (key == "satisfied") satisfied = py::reinterpret_borrow<py::object>(item.second);
              else if (key == "reason") reason = py::reinterpret_borrow<py::object>(item.second);
              else
                throw py::type_error("fire() got an unexpected argument '" + key +
                                     "' (events take at, by and note; triage also tier and reason, follow_up also "
                                     "satisfied)");
            }
            t.t.fire(make_event(t, kt::event_named(event), at, std::move(by), std::move(note), tier, satisfied, reason));
            return &t;
          },
          py::arg("event"), py::kw_only(), py::arg("at"), py::arg("by"), py::arg("note") = "",
          py::return_value_policy::reference_internal,
          "Applies an event (by name). TransitionError when the state does not accept it; the ticket is then "
          "unchanged. Returns the ticket, so calls chain.");
  for (std::size_t k = 0; k < kt::event_kind_count; ++k) {
    const auto kind = static_cast<kt::event_kind>(k);
    const std::string name = kt::to_string(kind);
    if (kind == kt::event_kind::triage) {
      cls.def(
          "triage",
          [](py_ticket& t, const datetime_arg& at, std::string by, std::string note, const optional_tier_arg& tier,
             const optional_str_arg& reason) {
            t.t.fire(make_event(t, kt::event_kind::triage, at, std::move(by), std::move(note), tier, py::none(), reason));
            return &t;
          },
          py::arg("at"), py::kw_only(), py::arg("by"), py::arg("note") = "", py::arg("tier") = py::none(),
          py::arg("reason") = py::none(), py::return_value_policy::reference_internal,
          "received → triaged; the tier defaults to the one the policy decided (policy_tier). A lower tier needs "
          "reason='why' (else TransitionError, id kefu.ticket.deescalation, ticket unchanged); a higher one does not. "
          "The history records the policy's tier beside the one chosen, who chose it, when and why.");
    } else if (kind == kt::event_kind::follow_up) {
      cls.def(
          "follow_up",
          [](py_ticket& t, const datetime_arg& at, std::string by, const bool_arg& satisfied, std::string note) {
            t.t.fire(make_event(t, kt::event_kind::follow_up, at, std::move(by), std::move(note), py::none(), satisfied));
            return &t;
          },
          py::arg("at"), py::kw_only(), py::arg("by"), py::arg("satisfied"), py::arg("note") = "",
          py::return_value_policy::reference_internal,
          "The follow-up visit: satisfied=True keeps the ticket resolved (and lets it close); False reopens it (DOM-LC-3).");
    } else {
      cls.def(
          name.c_str(),
          [kind](py_ticket& t, const datetime_arg& at, std::string by, std::string note) {
            t.t.fire(make_event(t, kind, at, std::move(by), std::move(note), py::none(), py::none()));
            return &t;
          },
          py::arg("at"), py::kw_only(), py::arg("by"), py::arg("note") = "", py::return_value_policy::reference_internal,
          ("Fires `" + name + "`; see Ticket.fire.").c_str());
    }
  }
  cls.def_property_readonly("id", [](const py_ticket& t) { return t.t.id(); }, "The ticket's id.")
      .def_property_readonly("received", [](const py_ticket& t) { return to_datetime(t.t.received(), t.policy->zone()); }, "When the ticket was received (an aware datetime in the policy's zone).")
      .def_property_readonly("received_by", [](const py_ticket& t) { return t.t.received_by(); }, "Who received the ticket.")
      .def_property_readonly("state", [](const py_ticket& t) { return kt::to_string(t.t.where()); },
                             "The progress state: received, triaged, in_progress, waiting_customer, waiting_internal, "
                             "resolved, closed or cancelled.")
      .def_property_readonly("tier", [](const py_ticket& t) { return kt::to_string(t.t.level()); }, "L1, L2 or L3.")
      .def_property_readonly(
          "policy_tier",
          [](const py_ticket& t) -> optional_str_result {
            return t.t.policy_tier() ? py::object(py::str(kt::to_string(*t.t.policy_tier()))) : py::object(py::none());
          },
          "The tier the policy decided for this ticket (None when it was not opened from facts, or restored from a "
          "snapshot written before kefu recorded it). triage() below it needs a reason.")
      .def_property_readonly("status", [](const py_ticket& t) { return kt::to_string(t.t.current()); },
                             "Both regions: 'in_progress/L2'.")
      .def_property_readonly("is_open", [](const py_ticket& t) { return kt::is_open(t.t.where()); }, "Whether the ticket is still open (not closed or cancelled).")
      .def_property_readonly("flags", [](const py_ticket& t) { return flags_dict(t.t.flags(), t.policy->zone()); }, "followed_up, report_attached, reopen_count and closed_at.")
      .def_property_readonly("plan", [](const py_ticket& t) { return t.t.plan(); }, "The plan the ticket is held to (targets per tier, reopen window).")
      .def_property_readonly("policy", [](const py_ticket& t) { return t.policy; }, "The policy the ticket was opened under.")
      .def_property_readonly(
          "triage_result",
          [](const py_ticket& t) -> optional_triage_result {
            if (t.triage) return triage_result_object(t.policy, *t.triage, t.facts);
            if (t.triage_from_facts && t.facts) return triage_result_object(t.policy, t.policy->triage(*t.facts), t.facts);
            return py::none();
          },
          "The triage the ticket was opened with (None for a ticket restored from JSON).")
      .def_property_readonly("history", &history_frame,
                             "The audit history as a pandas DataFrame: at, by, event, from, to, note (masked), tier "
                             "(triage), satisfied (follow_up), policy_tier (triage: the tier the policy decided, when "
                             "known) and reason (triage: why the tier differs from it, masked). Deadlines moved by a "
                             "restore on newer calendars are rows with event 'deadline_moved' (see deadline_changes).")
      .def_property_readonly(
          "deadline_changes",
          [](const py_ticket& t) {
            const auto& zone = t.policy->zone();
            py::list out;
            for (const auto& d : t.t.deadline_changes()) {
              py::dict x;
              x["clock"] = kt::to_string(d.clock);
              x["at"] = to_datetime(d.at, zone);
              x["old_due"] = to_datetime(d.old_due, zone);
              x["new_due"] = to_datetime(d.new_due, zone);
              x["still_provisional"] = d.still_provisional;
              x["reason"] = d.reason;
              out.append(x);
            }
            return out;
          },
          "Deadlines that moved when a snapshot of this ticket was restored on newer calendars (DOM-SLA-8: the "
          "snapshot said the due rested on provisional days, and the calendar found now puts it elsewhere), oldest "
          "first: [{'clock', 'at', 'old_due', 'new_due', 'still_provisional', 'reason'}]. Part of the ticket's "
          "record: kept in later snapshots and compared by ==.")
      .def("__len__", [](const py_ticket& t) { return t.t.history().size(); })
      .def(
          "allowed_events",
          [](const py_ticket& t, const optional_datetime_arg& at) {
            const kefu::instant when = at.is_none() ? (t.t.history().empty() ? t.t.received() : t.t.history().back().what.at)
                                                    : to_instant(at, t.policy->zone());
            std::vector<std::string> out;
            for (const auto k : t.t.allowed_events(when)) out.emplace_back(kt::to_string(k));
            return out;
          },
          py::arg("at") = py::none(),
          "The events the ticket accepts at `at` (default: the time of its last event); a follow-up counts as "
          "satisfied, a triage as to the current tier.")
      .def(
          "sla",
          [](const py_ticket& t, const datetime_arg& at) -> sla_report_result {
            const auto r = t.t.sla(to_instant(at, t.policy->zone()));
            py::dict d;
            for (std::size_t c = 0; c < kt::clock_count; ++c)
              d[kt::to_string(static_cast<kt::clock_name>(c))] = status_object(r.clocks[c], t.policy->zone());
            for (std::size_t c = 0; c < kt::report_level_count; ++c)  // DOM-LC-8: only the report clocks it has
              if (r.reports[c]) d[kt::to_string(static_cast<kt::report_level>(c))] = status_object(r.reports[c], t.policy->zone());
            for (const auto& n : r.named) d[py::str(n.name)] = status_object(n.status, t.policy->zone());
            return d;
          },
          py::arg("at"),
          "Each clock as of `at`: {'first_response': SlaStatus, 'resolution': ..., 'follow_up': ... or None}, "
          "'report_level_1' / 'report_level_2' when the ticket's plan gives its upward reports a deadline "
          "(DOM-LC-8), then the ticket's named clocks (DOM-SLA-10) by name, None before they start; a status has "
          "state, due, warn_at, elapsed, remaining, warning and paused.")
      .def(
          "mark",
          [](py_ticket& t, const std::string& milestone, const datetime_arg& at, std::string by, std::string note) {
            t.t.mark(kt::milestone{milestone, event_time(at, t.policy->zone()), std::move(by), std::move(note)});
            return &t;
          },
          py::arg("milestone"), py::arg("at"), py::kw_only(), py::arg("by"), py::arg("note") = "",
          py::return_value_policy::reference_internal,
          "Records a milestone (DOM-SLA-10): a named business event of the policy's clocks document, e.g. "
          "'refund_approved' or 'goods_received'. The state does not change; the named clocks it starts, pauses, "
          "resumes or stops do; the history shows it as event 'mark'. KefuError (id kefu.ticket.milestone) for a "
          "milestone the policy does not declare or a time before the last event; the ticket is then unchanged.")
      .def_property_readonly(
          "milestones",
          [](const py_ticket& t) {
            py::list out;
            for (const auto& r : t.t.milestones()) {
              py::dict x;
              x["milestone"] = r.what.name;
              x["at"] = to_datetime(r.what.at, t.policy->zone());
              x["by"] = r.what.by;
              x["note"] = kefu::mask_text(r.what.note);
              x["state"] = r.state;
              out.append(x);
            }
            return out;
          },
          "The milestones recorded, oldest first: [{'milestone', 'at', 'by', 'note' (masked), 'state'}].")
      .def_property_readonly(
          "named_clocks",
          [](const py_ticket& t) {
            py::list out;
            if (const auto* book = t.t.clock_book())
              for (const auto& c : book->clocks) {
                py::dict x;
                x["name"] = c.name;
                x["description_zh"] = c.description.zh;
                x["description_en"] = c.description.en;
                x["within"] = kefu::calendar::to_string(c.within);
                x["calendar"] = c.on->name();
                x["escalate"] = c.escalate;
                x["source"] = c.source;
                out.append(x);
              }
            return out;
          },
          "The ticket's named clocks (DOM-SLA-10: those of the policy's clocks document for its category and "
          "business): [{'name', 'description_zh', 'description_en', 'within', 'calendar', 'escalate', 'source'}].")
      .def(
          "tick", [](py_ticket& t, const datetime_arg& at) { return t.t.tick(to_instant(at, t.policy->zone())); }, py::arg("at"),
          "DOM-ESC-4: escalates one tier when a clock is breached at `at` (recorded as by the plan's system "
          "operator) and records the upward report that goes with it: report_level_1 on the first, report_level_2 "
          "on a further breach (000 §9.1.2.2; at L3 the reports alone). Returns whether it did anything.")
      .def("to_json", [](const py_ticket& t) { return t.t.to_json(); },
           "A JSON snapshot: plan, state names, flags, clocks and the exact history (DOM-LC-7).")
      .def_static(
          "from_json",
          [](const triage_ptr& policy, const std::string& text) {
            return py_ticket{policy, kt::ticket::from_json(text, resolver_of(policy)), std::nullopt, nullptr};
          },
          py::arg("policy"), py::arg("text"),
          "Restores a snapshot under the plan it carries (calendars by name from `policy`), replaying its history; "
          "ParseError with line and column when it is malformed or does not add up. A deadline the snapshot marks "
          "provisional is recomputed on the policy's calendars; when it moved, the change is recorded in "
          "deadline_changes (and shown in history as 'deadline_moved').")
      .def("copy", [](const py_ticket& t) { return t; }, "An independent copy of the ticket (history, clocks and flags).")
      .def("__copy__", [](const py_ticket& t) { return t; })
      .def("__deepcopy__", [](const py_ticket& t, py::handle) { return t; }, py::arg("memo"))
      .def("__eq__", [](const py_ticket& a, const py_ticket& b) { return a.t == b.t; })
      .def("__repr__", &repr);

  m.def("_replay", &replay, py::arg("policy"), py::arg("tickets"), py::arg("events"), py::arg("plan"), py::arg("received_by"));
  m.def(
      "lifecycle_graph",
      [](const std::string& format) {
        if (format == "mermaid") return kt::graph_mermaid();
        if (format == "dot") return kt::graph_dot();
        throw kefu::error("unknown graph format '" + format + "' (expected mermaid or dot)");
      },
      py::arg("format") = "mermaid", "The lifecycle diagram, generated from the machine's own transition table.");
  m.def(
      "lifecycle_transitions",
      [] {
        py::list out;
        for (const auto& t : kt::transitions()) {
          py::dict d;
          d["region"] = t.region;
          d["from"] = t.from;
          d["event"] = t.event;
          d["to"] = t.to;
          d["guard"] = t.guard;
          d["internal"] = t.internal;
          out.append(d);
        }
        return out;
      },
      "The machine's transition table: region, from, event, to, guard, internal.");
}

}  // namespace kefu::python
