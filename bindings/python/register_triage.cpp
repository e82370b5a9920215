// kefu.Policy: the handbook policy of a rules directory, and triage of complaint facts.
#include "register.hpp"

#include "fastcall.hpp"
#include "partial_decision.hpp"
#include "convert/columns.hpp"
#include "convert/rows.hpp"

#include <kefu/kpi/scorecard.hpp>
#include <kefu/kpi/targets.hpp>
#include <kefu/rules/policy_handle.hpp>
#include <kefu/rules/triage.hpp>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <limits>
#include <map>
#include <unordered_map>

namespace py = pybind11;
namespace kr = kefu::rules;

namespace kefu::python {

namespace {

using triage_ptr = std::shared_ptr<kr::triage_policy>;

/// A partial triage with the policy it came from.
struct py_partial_triage {
  triage_ptr policy;
  kr::partial_triage t;
};


/// A TriageResult: the compact triage Policy.triage makes, spelled out attribute by attribute when read
/// (docs/architecture.md, "Decision: compact triage results"), or a full result made elsewhere (a ticket's).
struct py_triage {
  triage_ptr policy;
  std::shared_ptr<kr::record> facts;  // kept for explain() and the risk signals' words
  kr::compact_triage codes;           // when `full` is null
  std::shared_ptr<const kr::triage_result> full;
};

datetime_result due(const kr::sla_deadline& d, const kefu::time_zone& z) { return to_datetime(d.due, z); }

std::vector<py_triage> triage_records(const triage_ptr& t, std::vector<kr::record> facts) {
  std::vector<std::shared_ptr<kr::record>> records;
  records.reserve(facts.size());
  for (auto& r : facts) records.push_back(std::make_shared<kr::record>(std::move(r)));
  std::vector<kr::compact_triage> results(records.size());
  {
    py::gil_scoped_release release;
    for (std::size_t i = 0; i < records.size(); ++i) {
      try {
        results[i] = t->triage_compact(*records[i]);
      } catch (const kefu::error& e) {
        kefu::rethrow_with_prefix(e, "row " + std::to_string(i) + ": ");
      }
    }
  }
  std::vector<py_triage> out;
  out.reserve(results.size());
  for (std::size_t i = 0; i < results.size(); ++i) out.push_back({t, records[i], std::move(results[i]), nullptr});
  return out;
}

/// A pandas text column from codes into `distinct` (−1: missing): the column pandas would make of the texts
/// themselves (its default string dtype), built by one `take` instead of one Python str per row.
py::object coded_column(const std::vector<std::string>& distinct, const std::int32_t* codes, std::size_t n) {
  py::list values;
  for (const auto& d : distinct) values.append(py::str(d));
  py::array_t<std::int64_t> index(static_cast<py::ssize_t>(n));
  auto* out = index.mutable_data();
  for (std::size_t i = 0; i < n; ++i) out[i] = codes[i];
  return py::module_::import("pandas").attr("Series")(values).attr("array").attr("take")(index, py::arg("allow_fill") = true);
}

/// A pandas column of lists of text from codes into `distinct` (each a list of texts): pyarrow's
/// list<string> when pyarrow is there (one `take`; lists come back as Python lists, `explode` works), else an
/// object column with a fresh list per row. Lists stay lists: the same values TriageResult gives one at a time.
py::object list_column(const std::vector<std::vector<std::string>>& distinct, const std::vector<std::int32_t>& codes) {
  const std::size_t n = codes.size();
  py::list values;
  for (const auto& d : distinct) {
    py::list one;
    for (const auto& text : d) one.append(py::str(text));
    values.append(std::move(one));
  }
  py::object pa;
  try {
    pa = py::module_::import("pyarrow");
  } catch (const py::error_already_set&) {
    py::array_t<py::object> out(static_cast<py::ssize_t>(n));  // no pyarrow: lists as objects
    for (std::size_t i = 0; i < n; ++i) {
      py::list fresh = values[static_cast<std::size_t>(codes[i])].cast<py::list>();
      out.mutable_at(static_cast<py::ssize_t>(i)) = py::list(fresh);
    }
    return std::move(out);
  }
  py::array_t<std::int32_t> index(static_cast<py::ssize_t>(n));
  std::copy(codes.begin(), codes.end(), index.mutable_data());
  const py::object lists = pa.attr("array")(values, py::arg("type") = pa.attr("list_")(pa.attr("string")()));
  return py::module_::import("pandas").attr("arrays").attr("ArrowExtensionArray")(lists.attr("take")(index));
}

/// Row i's ids of `rules` for the rule indices in [offsets[i], offsets[i + 1]), as a list column; rows that
/// fire the same rules share one list.
py::object rule_id_lists(const std::vector<kr::rule>& rules, const std::vector<std::int64_t>& offsets,
                         const std::vector<std::int32_t>& indices) {
  const std::size_t n = offsets.size() - 1;
  std::map<std::vector<std::int32_t>, std::int32_t> by_rules;
  std::vector<std::vector<std::string>> distinct;
  std::vector<std::int32_t> codes(n);
  std::vector<std::int32_t> key;
  for (std::size_t i = 0; i < n; ++i) {
    key.assign(indices.begin() + offsets[i], indices.begin() + offsets[i + 1]);
    auto it = by_rules.find(key);
    if (it == by_rules.end()) {
      std::vector<std::string> ids;
      for (const auto k : key) ids.push_back(rules[static_cast<std::size_t>(k)].id);
      distinct.push_back(std::move(ids));
      it = by_rules.emplace(key, static_cast<std::int32_t>(distinct.size() - 1)).first;
    }
    codes[i] = it->second;
  }
  return list_column(distinct, codes);
}

/// A set column (a mask per row over `names`) as a list column, each distinct mask spelled once; names in
/// bit order.
template <class Mask>
py::object mask_lists(const std::vector<Mask>& masks, const std::vector<std::string>& names) {
  std::vector<std::vector<std::string>> distinct;
  std::vector<std::int32_t> codes(masks.size());
  std::unordered_map<std::uint64_t, std::int32_t> by_mask;
  std::uint64_t last_mask = 0;
  std::int32_t last_code = -1;
  for (std::size_t i = 0; i < masks.size(); ++i) {
    const auto mask = static_cast<std::uint64_t>(masks[i]);
    if (last_code < 0 || mask != last_mask) {
      auto it = by_mask.find(mask);
      if (it == by_mask.end()) {
        std::vector<std::string> spelled;
        for (std::size_t k = 0; k < names.size() && k < 64; ++k)
          if ((mask >> k) & 1) spelled.push_back(names[k]);
        distinct.push_back(std::move(spelled));
        it = by_mask.emplace(mask, static_cast<std::int32_t>(distinct.size() - 1)).first;
      }
      last_mask = mask;
      last_code = it->second;
    }
    codes[i] = last_code;
  }
  return list_column(distinct, codes);
}

/// Instants (seconds since 1970-01-01Z; `set` false: NaT) as a pandas datetime array in `tzinfo`, microseconds.
py::object due_column(const std::vector<std::int64_t>& seconds, const std::vector<std::uint8_t>* set, const py::object& tzinfo) {
  const std::size_t n = seconds.size();
  py::array_t<std::int64_t> us(static_cast<py::ssize_t>(n));
  auto* out = us.mutable_data();
  for (std::size_t i = 0; i < n; ++i)
    out[i] = set && !(*set)[i] ? std::numeric_limits<std::int64_t>::min() : seconds[i] * 1000000;  // min: NaT
  const py::module_ pd = py::module_::import("pandas");
  return pd.attr("DatetimeIndex")(us.attr("view")("datetime64[us]")).attr("tz_localize")("UTC").attr("tz_convert")(tzinfo).attr("array");
}

template <class F>
py::array_t<bool> bool_column(std::size_t n, F&& get) {
  py::array_t<bool> out(static_cast<py::ssize_t>(n));
  auto* o = out.mutable_data();
  for (std::size_t i = 0; i < n; ++i) o[i] = get(i);
  return out;
}

/// The triage of a batch as a DataFrame: the columns (and dtypes) Policy.triage gives for a DataFrame.
py::object columns_frame(const kr::triage_policy& t, const kr::triage_columns& c, py::handle index) {
  const std::size_t n = c.size();
  const py::object tzinfo = to_datetime(kefu::instant::from_unix(0), t.zone()).attr("tzinfo");
  auto values_of = [&](const char* fact) -> const std::vector<std::string>& { return t.facts()[t.fact_slot(fact)].values; };
  py::dict d;
  d["risk_level"] = coded_column(values_of("risk_level"), c.risk_level.data(), n);
  d["risk_signals"] = rule_id_lists(t.risk().rules(), c.signal_offsets, c.signal_rules);
  d["tier"] = coded_column(values_of("tier"), c.tier.data(), n);
  d["owners"] = mask_lists(c.owners, t.tiers().outputs()[t.tiers().output_index("owners")].values);
  d["first_response_due"] = due_column(c.first_response_due, nullptr, tzinfo);
  d["resolution_due"] = due_column(c.resolution_due, nullptr, tzinfo);
  d["follow_up_due"] = due_column(c.follow_up_due, &c.follow_up_required, tzinfo);
  d["deadlines_provisional"] = bool_column(n, [&](std::size_t i) { return c.provisional[i] != 0; });
  d["follow_up_required"] = bool_column(n, [&](std::size_t i) { return c.follow_up_required[i] != 0; });
  d["report_required"] = bool_column(n, [&](std::size_t i) { return c.report_required[i] != 0; });
  d["priority_routing"] = bool_column(n, [&](std::size_t i) { return c.priority_routing[i] != 0; });
  if (t.facts().end() != std::find_if(t.facts().begin(), t.facts().end(), [](const kr::field& f) { return f.name == "customer_tier"; }))
    d["customer_tier"] = coded_column(values_of("customer_tier"), c.customer_tier.data(), n);  // −1: missing
  d["refund_decision"] = coded_column(values_of("refund_decision"), c.refund_decision.data(), n);
  {
    const kr::refund_texts refund(t.refund());
    std::vector<std::int32_t> rule_codes(n);  // the default (−1) as its own entry, the last
    for (std::size_t i = 0; i < n; ++i) rule_codes[i] = static_cast<std::int32_t>(refund.at(c.refund_rule[i]));
    d["refund_rule_id"] = coded_column(std::vector<std::string>(refund.ids.begin(), refund.ids.end() - 1), c.refund_rule.data(),
                                       n);  // −1 (the default): missing
    d["refund_reason"] = coded_column(refund.reasons, rule_codes.data(), n);
  }
  d["tier_rules"] = rule_id_lists(t.escalation().rules(), c.tier_rule_offsets, c.tier_rules);
  d["target_rules"] = rule_id_lists(t.sla_targets().rules(), c.target_offsets, c.target_rules);
  {
    std::vector<std::string> codes;
    for (const auto& a : t.action_entries()) codes.push_back(a.code);
    d["actions"] = mask_lists(c.actions, codes);
  }
  const py::object frame = py::module_::import("pandas").attr("DataFrame");
  return index ? frame(d, py::arg("index") = index) : frame(d);
}

/// A rules directory's documents by name as a dict of their Python objects (bound with non-const holders).
template <class T>
py::dict by_name(const std::map<std::string, std::shared_ptr<const T>>& documents) {
  py::dict out;
  for (const auto& [name, d] : documents) out[py::str(name)] = std::const_pointer_cast<T>(d);
  return out;
}

kr::load_options load_options_of(const std::optional<std::string>& beyond_official) {
  kr::load_options options;
  if (beyond_official) options.beyond_official = kefu::calendar::parse_beyond_official(*beyond_official);
  return options;
}

/// triage(facts) of one mapping: a TriageResult.
py::object triage_one(py::handle self, const triage_ptr& t, py::handle facts) {
  const auto reader = cached_reader<facts_rows>(self, "_kefu_fact_reader", [&] { return facts_rows(triage_target{t.get()}); });
  auto record = std::make_shared<kr::record>(reader->read(facts));
  kr::compact_triage codes = t->triage_compact(*record);
  return py::cast(py_triage{t, std::move(record), std::move(codes), nullptr});
}

/// Policy.triage(dict), the per-call form, without pybind11's dispatch (fastcall.hpp).
PyObject* triage_fast(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
  if (nargs != 1 || !PyDict_CheckExact(args[0])) return nullptr;
  py::detail::make_caster<triage_ptr> policy;
  if (!policy.load(self, false)) return nullptr;
  return triage_one(self, py::detail::cast_op<const triage_ptr&>(policy), args[0]).release().ptr();
}

}  // namespace

kr::record read_facts(const kr::triage_policy& t, py::handle facts) { return facts_rows(triage_target{&t}).read(facts); }

std::vector<kr::record> read_fact_rows(const kr::triage_policy& t, py::iterable rows) {
  std::vector<kr::record> records;
  std::size_t row = 0;
  const facts_rows reader(triage_target{&t});
  for (auto r : rows) {
    try {
      records.push_back(reader.read(r));
    } catch (const kefu::error& e) {
      kefu::rethrow_with_prefix(e, "row " + std::to_string(row) + ": ");
    }
    ++row;
  }
  return records;
}

py::object triage_result_object(std::shared_ptr<kr::triage_policy> policy, kr::triage_result result, std::shared_ptr<kr::record> facts) {
  return py::cast(py_triage{std::move(policy), std::move(facts), {}, std::make_shared<const kr::triage_result>(std::move(result))});
}

void register_triage(py::module_& m) {
  py::class_<kr::risk_signal>(m, "RiskSignal", "A risk signal that fired: the rule, its level, and the words found.")
      .def_readonly("rule_id", &kr::risk_signal::rule_id, "The risk rule that fired.")
      .def_readonly("level", &kr::risk_signal::level, "The risk level it signals.")
      .def_readonly("description", &kr::risk_signal::description, "What the rule looks for.")
      .def_readonly("source", &kr::risk_signal::source, "The handbook clause the rule encodes.")
      .def_readonly("words", &kr::risk_signal::words, "The keywords that matched.")
      .def("__repr__", [](const kr::risk_signal& s) { return "RiskSignal(" + s.rule_id + ", " + s.level + ")"; });
  py::class_<kr::risk_assessment>(m, "RiskAssessment", "The risk level and the signals behind it.")
      .def_readonly("level", &kr::risk_assessment::level, "The highest level signalled: normal, high or critical.")
      .def_readonly("signals", &kr::risk_assessment::signals, "Every risk rule that fired.")
      .def("__repr__", [](const kr::risk_assessment& r) { return "RiskAssessment(" + r.level + ")"; });
  py::class_<kr::refund_assessment>(m, "RefundAssessment", "The refund decision and the rule that made it.")
      .def_readonly("decision", &kr::refund_assessment::decision, "The refund decision (refund, exchange, repair_free, deny, manual_review …).")
      .def_property_readonly("rule_id", [](const kr::refund_assessment& r) -> optional_str_result {
        return r.rule_id.empty() ? py::object(py::none()) : py::object(py::str(r.rule_id));
      }, "The deciding refund rule, None when the policy's default decided.")
      .def_readonly("reason", &kr::refund_assessment::reason, "Why, in the handbook's words.")
      .def_readonly("source", &kr::refund_assessment::source, "The handbook clause the deciding rule encodes.")
      .def("__repr__", [](const kr::refund_assessment& r) { return "RefundAssessment(" + r.decision + ", " + r.rule_id + ")"; });

  // A deadline with its due instant as an aware datetime in the policy's zone.
  struct py_deadline {
    kr::sla_deadline d;
    kefu::time_zone zone;
  };
  py::class_<py_deadline>(m, "Deadline", "What must happen, within what, on which calendar, and when it is due.")
      .def_property_readonly("what", [](const py_deadline& x) { return x.d.what; }, "Which deadline it is (first_response, resolution, follow_up, or an action's code).")
      .def_property_readonly("within", [](const py_deadline& x) { return x.d.within; }, "The target as written in the rules (e.g. '4 business hours', '3 workdays').")
      .def_property_readonly("calendar", [](const py_deadline& x) -> optional_str_result {
        return x.d.calendar.empty() ? py::object(py::none()) : py::object(py::str(x.d.calendar));
      }, "The calendar the deadline is counted on, None for wall-clock time.")
      .def_property_readonly("due", [](const py_deadline& x) { return due(x.d, x.zone); }, "The due instant (an aware datetime in the policy's zone).")
      .def_property_readonly("rule_id", [](const py_deadline& x) { return x.d.rule_id; }, "The rule that set the target.")
      .def_property_readonly("source", [](const py_deadline& x) { return x.d.source; }, "The handbook clause of that rule.")
      .def_property_readonly("provisional", [](const py_deadline& x) { return x.d.provisional; },
                             "True when the deadline rests on days past its calendar's official data (projected from "
                             "the holiday law): it may move when the year's holiday notice is loaded.")
      .def("__repr__", [](const py_deadline& x) {
        return "Deadline(" + x.d.what + ", within " + x.d.within + ", due " + kefu::format_instant(x.d.due, x.zone) +
               (x.d.provisional ? ", provisional)" : ")");
      });

  // An action (DOM-RISK-4) with its deadline's due instant in the policy's zone.
  struct py_action {
    kr::required_action a;
    kefu::time_zone zone;
  };
  py::class_<py_action>(m, "RequiredAction",
                        "An action the rules require (DOM-RISK-4): a code of the action catalogue (actions.yaml), who "
                        "does it, and by when when the catalogue gives a deadline.")
      .def_property_readonly("code", [](const py_action& x) { return x.a.code; }, "The action's code.")
      .def_property_readonly("description", [](const py_action& x) { return x.a.description; }, "What is to be done.")
      .def_property_readonly("owners", [](const py_action& x) { return x.a.owners; }, "Who does it (roles).")
      .def_property_readonly("policy", [](const py_action& x) { return x.a.policy; }, "the policy whose rule asked for it")
      .def_property_readonly("rule_id", [](const py_action& x) -> optional_str_result {
        return x.a.asked_by.empty() ? py::object(py::none()) : py::object(py::str(x.a.asked_by));
      }, "the rule that asked for it (None: the policy's default)")
      .def_property_readonly("source", [](const py_action& x) { return x.a.source; }, "The handbook clause of the rule that asked for it.")
      .def_property_readonly("deadline", [](const py_action& x) -> optional_deadline_result {
        if (!x.a.deadline) return py::none();
        return py::cast(py_deadline{*x.a.deadline, x.zone});
      }, "a Deadline (within, calendar, due), or None when the catalogue gives the action none")
      .def("__repr__", [](const py_action& x) {
        return "RequiredAction(" + x.a.code + (x.a.deadline ? ", due " + kefu::format_instant(x.a.deadline->due, x.zone) : "") + ")";
      });

  struct py_deadlines {
    py_deadline first_response, resolution;
    std::optional<py_deadline> follow_up;
  };
  py::class_<py_deadlines>(m, "Deadlines", "The ticket's deadlines from its tier: first_response, resolution, follow_up.")
      .def_readonly("first_response", &py_deadlines::first_response, "The first-response deadline.")
      .def_readonly("resolution", &py_deadlines::resolution, "The resolution deadline.")
      .def_readonly("follow_up", &py_deadlines::follow_up, "The follow-up deadline, None when the tier needs no follow-up.");

  py::class_<py_triage>(m, "TriageResult", "Risk, tier, owners, deadlines and refund decision of one complaint.")
      .def_property_readonly("risk", [](const py_triage& r) { return r.full ? r.full->risk : r.codes.risk(*r.facts); },
                             "The risk assessment: level and the signals that raised it.")
      .def_property_readonly("tier", [](const py_triage& r) { return r.full ? r.full->tier : r.codes.tier_name(); },
                             "The escalation tier: L1, L2 or L3.")
      .def_property_readonly("tier_rules", [](const py_triage& r) { return r.full ? r.full->tier_rules : r.codes.tier_rule_ids(); },
                             "The rules that decided the tier.")
      .def_property_readonly("owners", [](const py_triage& r) { return r.full ? r.full->owners : r.codes.owner_names(); },
                             "Who handles the ticket (roles).")
      .def_property_readonly("follow_up_required",
                             [](const py_triage& r) { return r.full ? r.full->follow_up_required : r.codes.follow_up_required; },
                             "Whether a follow-up visit or call is required (DOM-ESC).")
      .def_property_readonly("report_required", [](const py_triage& r) { return r.full ? r.full->report_required : r.codes.report_required; },
                             "Whether a written report upwards is required.")
      .def_property_readonly("priority_routing", [](const py_triage& r) { return r.full ? r.full->priority_routing : r.codes.priority_routing; },
                             "Routed ahead of the queue (DOM-ESC-5, the VIP green channel).")
      .def_property_readonly("customer_tier",
                             [](const py_triage& r) -> std::optional<std::string> {
                               std::string tier = r.full ? r.full->customer_tier : r.codes.customer_tier_name();
                               if (tier.empty()) return std::nullopt;
                               return tier;
                             },
                             "A–D, given or computed from the customer value index (DOM-CH-3); None when neither.")
      .def_property_readonly("customer_tier_computed",
                             [](const py_triage& r) { return r.full ? r.full->customer_tier_computed : r.codes.customer_tier_computed; },
                             "Whether the customer-value policy computed customer_tier (it was not given).")
      .def_property_readonly("deadlines",
                             [](const py_triage& r) {
                               const auto& z = r.policy->zone();
                               if (r.full) {
                                 py_deadlines d{{r.full->first_response, z}, {r.full->resolution, z}, std::nullopt};
                                 if (r.full->follow_up) d.follow_up = py_deadline{*r.full->follow_up, z};
                                 return d;
                               }
                               py_deadlines d{{r.codes.first_response_deadline(), z}, {r.codes.resolution_deadline(), z}, std::nullopt};
                               if (auto follow_up = r.codes.follow_up_deadline()) d.follow_up = py_deadline{std::move(*follow_up), z};
                               return d;
                             },
                             "The first-response, resolution and follow-up deadlines.")
      .def_property_readonly("targets",
                             [](const py_triage& r) {
                               std::vector<py_deadline> out;
                               if (r.full)
                                 for (const auto& t : r.full->targets) out.push_back({t, r.policy->zone()});
                               else
                                 for (std::size_t k = 0; k < r.codes.targets.size(); ++k)
                                   out.push_back({r.codes.target_deadline(k), r.policy->zone()});
                               return out;
                             },
                             "Every SLA target the matched rules set, with its due instant (DOM-SLA).")
      .def_property_readonly("refund", [](const py_triage& r) { return r.full ? r.full->refund : r.codes.refund(); },
                             "The refund assessment: decision, rule, reason.")
      .def_property_readonly("actions",
                             [](const py_triage& r) {
                               std::vector<py_action> out;
                               if (r.full)
                                 for (const auto& a : r.full->actions) out.push_back({a, r.policy->zone()});
                               else
                                 for (std::size_t k = 0; k < r.codes.actions.size(); ++k) out.push_back({r.codes.required(k), r.policy->zone()});
                               return out;
                             },
                             "The actions the matched rules require, each once, in policy then rule order (DOM-RISK-4).")
      .def_property_readonly("days_since_purchase",
                             [](const py_triage& r) { return r.full ? r.full->days_since_purchase : r.codes.days_since_purchase; },
                             "Days from purchase to receipt, None when the purchase date is unknown.")
      .def(
          "explain",
          [](const py_triage& r) { return r.policy->triage(*r.facts, true).explanation; },
          "Every policy's reasoning for this ticket: outputs, deciding rules with their sources, and each condition "
          "with the values it read (mobile numbers masked).")
      .def("__repr__", [](const py_triage& r) {
        if (r.full) return "TriageResult(risk=" + r.full->risk.level + ", tier=" + r.full->tier + ", refund=" + r.full->refund.decision + ")";
        return "TriageResult(risk=" + r.codes.risk_level_name() + ", tier=" + r.codes.tier_name() + ", refund=" + r.codes.refund().decision + ")";
      });

  auto policy_class = py::class_<kr::triage_policy, triage_ptr>(
      m, "Policy", py::dynamic_attr(),
      "The handbook policy of a rules directory: facts vocabulary, risk, escalation, tiers, refund, SLA targets and "
      "calendars. kefu.default_policy() loads the shipped one; Policy.load(directory) a retailer's own.")
      .def_static(
          "load",
          [](const path_arg& dir, const std::optional<std::string>& beyond_official, bool run_rule_tests) {
            kr::load_options options = load_options_of(beyond_official);
            options.run_rule_tests = run_rule_tests;
            return std::const_pointer_cast<kr::triage_policy>(kr::triage_policy::load_directory(to_path(dir), options));
          },
          py::arg("directory"), py::arg("beyond_official") = py::none(), py::kw_only(), py::arg("run_rule_tests") = true,
          "Loads a rules directory with every check, including its rule tests (the `suite:` files below it, e.g. "
          "tests/): a failing case is a PolicyError with id kefu.rules.rule_test naming the suite file, line and "
          "case. run_rule_tests=False loads without running them (raw loading). beyond_official='error' makes every "
          "calendar strict: a deadline past the official holiday data raises CalendarRangeError instead of being "
          "provisional.")
      .def_property_readonly("rule_test_cases", &kr::triage_policy::rule_test_cases,
                             "How many rule-test cases passed when the directory was loaded (0 when loaded with "
                             "run_rule_tests=False).")
      .def_property_readonly("rule_tests_run", &kr::triage_policy::rule_tests_run,
                             "Whether the rule tests ran when the directory was loaded.")
      .def(
          "calendar",
          [](const kr::triage_policy& t, const std::string& name) {
            return std::const_pointer_cast<kefu::calendar::calendar>(t.calendar(name));
          },
          py::arg("name"), "A calendar as this policy uses it: the directory's own first, then the built-ins.")
      .def_property_readonly(
          "kpi_targets",
          [](const kr::triage_policy& t) { return by_name(t.kpi_targets()); },
          "The directory's `targets:` files by name (KpiTargets), loaded and checked with it; their `calendar:` "
          "names mean the directory's calendars.")
      .def_property_readonly(
          "scorecards",
          [](const kr::triage_policy& t) { return by_name(t.scorecards()); },
          "The directory's `scorecard:` files by name (Scorecard), loaded and checked with it.")
      .def(
          "as_of",
          [](const kr::triage_policy& t, const datetime_arg& when) {
            return std::const_pointer_cast<kr::triage_policy>(t.as_of(to_instant(when, t.zone())));
          },
          py::arg("when"),
          "These rules with every effective-dated policy pinned to the version in force at `when` (DOM-RULE-1): "
          "tickets are then judged by those versions whatever their receipt instant — to re-judge old tickets under "
          "new rules, or to compare two versions of one file with kefu.diff.diff_policies.")
      .def_property_readonly("directory", &kr::triage_policy::directory, "The rules directory the policy was loaded from.")
      .def_property_readonly("facts", &kr::triage_policy::facts, "The facts vocabulary (docs/requirements.md §10).")
      .def_property_readonly("zone", &kr::triage_policy::zone, "The policy's time zone (naive datetimes are read in it).")
      .def_property_readonly("policies",
                             [](const kr::triage_policy& t) {
                               py::dict out;
                               if (const auto& cv = t.customer_value()) out[py::str(cv->name())] = unconst(cv);  // first
                               for (const auto& p : t.policies()) out[py::str(p->name())] = unconst(p);
                               if (const kr::policy* a = t.action_catalogue()) out[py::str(a->name())] = unconst(t.action_catalogue_ptr());
                               return out;
                             },
                             "policy name → DecisionPolicy, in triage order (customer-value first, when the directory has it)")
      .def(
          "triage",
          [](const policy_self& self, const facts_batch_arg& facts, bool strict) -> triage_result_any {
            const auto t = self.cast<triage_ptr>();
            if (is_frame(facts)) {
              py::object index;
              const auto columns = triage_columns_of(*t, facts, index, 0, strict);
              return columns_frame(*t, columns, index);
            }
            if (py::isinstance<py::list>(facts) || py::isinstance<py::tuple>(facts))
              return py::cast(triage_records(t, read_fact_rows(*t, py::reinterpret_borrow<py::iterable>(facts))));
            return triage_one(self, t, facts);
          },
          py::arg("facts"), py::kw_only(), py::arg("strict") = false,
          "Triage a dict of facts (a TriageResult), a list of dicts (a list) or a pandas DataFrame (a DataFrame of "
          "results with the same index). Unknown facts of a dict and values outside an enum are errors naming the "
          "field; a DataFrame's columns that are no fact are ignored unless strict=True.")
      .def(
          "triage_columns",
          [](const triage_ptr& t, const arrow_or_columns_arg& data, std::optional<unsigned> threads, bool strict) -> dataframe_result {
            py::object index;
            const auto columns = triage_columns_of(*t, data, index, threads.value_or(0), strict);
            return columns_frame(*t, columns, index);
          },
          py::arg("data"), py::kw_only(), py::arg("threads") = py::none(), py::arg("strict") = false,
          "Triage of many tickets given as columns: a pandas DataFrame, a pyarrow Table or a dict of fact name → "
          "column (numpy arrays, pandas Series, lists). Returns a DataFrame with the columns Policy.triage gives for a "
          "DataFrame (the same index when one was given). Each row is triaged exactly as Policy.triage triages it, "
          "in C++ without the GIL, on `threads` threads (default: one per core); the error is the one the first bad "
          "row gives, with its row number. Columns that are no fact are ignored unless strict=True.")
      .def(
          "_triage_reference",
          [](const triage_ptr& t, const facts_arg& facts) {
            auto record = std::make_shared<kr::record>(facts_rows(triage_target{t.get()}).read(facts));
            auto full = std::make_shared<const kr::triage_result>(t->triage(*record, true));
            return py_triage{t, std::move(record), {}, std::move(full)};
          },
          py::arg("facts"),
          "Internal (tests): the TriageResult of triage's step-by-step path (the one explain() takes), which spells "
          "every answer as it decides: the reference Policy.triage's compact result is compared with.")
      .def(
          "triage_partial",
          [](const triage_ptr& t, const facts_arg& facts) -> partial_triage_result {
            const auto record = facts_rows(triage_target{t.get()}).read(facts);
            return py::cast(py_partial_triage{t, t->triage_partial(record)});
          },
          py::arg("facts"),
          "Triage facts that may leave required ones out (a PartialTriage): each policy decided as far as the facts "
          "go, and the risk level, tier and refund decision each still can take.")
      .def("__repr__", [](const kr::triage_policy& t) { return "Policy('" + t.directory() + "')"; });

  m.def(
      "diff_triage",
      [](const triage_ptr& old_rules, const triage_ptr& new_rules, const dataframe_arg& old_facts, const optional_dataframe_arg& new_facts,
         const std::vector<std::string>& outputs, std::optional<unsigned> threads) {
        std::vector<std::size_t> wanted;
        for (const auto& o : outputs) wanted.push_back(kr::triage_output_index(o));
        const auto changes = diff_columns_of(*old_rules, *new_rules, old_facts, new_facts, wanted, threads.value_or(0));
        py::array_t<std::int64_t> rows(static_cast<py::ssize_t>(changes.size()));
        std::copy(changes.rows.begin(), changes.rows.end(), rows.mutable_data());
        std::vector<std::string> names;
        for (const auto o : changes.outputs) names.push_back(kr::triage_outputs[o]);
        return py::make_tuple(rows, py::cast(names), py::cast(changes.old_values), py::cast(changes.new_values));
      },
      py::arg("old"), py::arg("new"), py::arg("old_facts"), py::arg("new_facts") = py::none(), py::arg("outputs") = std::vector<std::string>{},
      py::kw_only(), py::arg("threads") = py::none(),
      "Internal (kefu.diff.diff_policies): both versions triage the same tickets in C++; returns (rows, outputs, old, "
      "new), one entry per ticket and output that differs, in row order then kefu.diff.OUTPUTS order. new_facts "
      "None: the old version's columns are shared (the vocabularies must be the same).");

  py::class_<py_partial_triage>(m, "PartialTriage", "What facts that leave some out settle (Policy.triage_partial).")
      .def_property_readonly("missing", [](const py_partial_triage& p) { return p.t.missing; }, "The required facts not given.")
      .def_property_readonly("risk_levels", [](const py_partial_triage& p) { return p.t.risk_levels; },
                             "the risk levels still possible (one: settled)")
      .def_property_readonly("tiers", [](const py_partial_triage& p) { return p.t.tiers; }, "The tiers still possible with the missing facts.")
      .def_property_readonly("refund_decisions", [](const py_partial_triage& p) { return p.t.refund_decisions; }, "The refund decisions still possible with the missing facts.")
      .def_property_readonly("policies",
                             [](const py_partial_triage& p) {
                               py::dict out;
                               for (const auto& [policy, d] : p.t.policies) out[py::str(policy->name())] = py_partial{unconst(policy), d};
                               return out;
                             },
                             "policy name → PartialDecision, in triage order")
      .def("explain", [](const py_partial_triage& p) { return p.policy->explain_partial(p.t); },
           "What the given facts settle and what each policy could still decide, as text.");

  bind_fastcall<triage_fast>(policy_class, "triage");

  py::class_<kr::triage_policy_handle>(
      m, "TriagePolicyHandle",
      "A rules directory that reloads safely: reload() loads it as Policy.load does (every check and the rule "
      "tests) and swaps the new Policy in atomically only when all pass; readers keep the Policy they hold. "
      "(PolicyHandle does the same for one policy file.)")
      .def(py::init([](const path_arg& dir, const std::optional<std::string>& beyond_official) {
             return std::make_unique<kr::triage_policy_handle>(to_path(dir), load_options_of(beyond_official));
           }),
           py::arg("directory"), py::arg("beyond_official") = py::none(),
           "A handle on the rules directory, loaded now as Policy.load loads it.")
      .def_property_readonly("current", [](const kr::triage_policy_handle& h) {
        return std::const_pointer_cast<kr::triage_policy>(h.current());
      }, "The Policy now in force.")
      .def_property_readonly("directory", &kr::triage_policy_handle::directory, "The watched rules directory.")
      .def("reload", &kr::triage_policy_handle::reload, py::call_guard<py::gil_scoped_release>(),
           "Loads the directory again; swaps only when it loads and every rule test passes. Returns a ReloadResult "
           "(falsy, with the reason, when the old Policy is kept).");
}

}  // namespace kefu::python
