// Python objects with a type for the signatures pybind11 prints (help(), __doc__, stub generators).
//
// A parameter or result that kefu converts itself (a datetime, a path, a dict of facts, a DataFrame) is a
// py::object or py::handle in C++, and pybind11 prints it as `object`. typed<Tag> is that same object with the
// Python type Tag::name in the signature instead: it accepts every object (the conversion and its error
// messages stay where they are), so nothing changes at run time. pybind11 2.10 (Debian's) and 3.x both name
// a py::object subclass by handle_type_name<T>, which is what is specialised here.
#pragma once

#include <pybind11/pybind11.h>

#include <utility>

namespace kefu::python {

template <class Tag>
class typed : public pybind11::object {
 public:
  using pybind11::object::object;
  typed() = default;
  typed(const pybind11::object& o) : pybind11::object(o) {}  // NOLINT: implicit, like py::object's own
  typed(pybind11::object&& o) : pybind11::object(std::move(o)) {}  // NOLINT
  template <class Policy>
  typed(const pybind11::detail::accessor<Policy>& a) : pybind11::object(a) {}  // NOLINT: d["key"], o.attr("x")
  static bool check_(pybind11::handle h) { return h.ptr() != nullptr; }
};

#define KEFU_PY_TYPE(NAME, TEXT)                                             \
  struct NAME##_tag {                                                         \
    static constexpr auto name = pybind11::detail::const_name(TEXT);          \
  };                                                                          \
  using NAME = typed<NAME##_tag>

// Parameters.
KEFU_PY_TYPE(path_arg, "str | os.PathLike[str]");
KEFU_PY_TYPE(datetime_arg, "datetime.datetime");
KEFU_PY_TYPE(optional_datetime_arg, "datetime.datetime | None");
KEFU_PY_TYPE(date_like_arg, "datetime.date | datetime.datetime | str | numpy.ndarray");
KEFU_PY_TYPE(date_or_text_arg, "datetime.date | datetime.datetime | str");
KEFU_PY_TYPE(instant_like_arg, "datetime.datetime | numpy.ndarray");
KEFU_PY_TYPE(duration_arg, "kefu.Duration | str | datetime.timedelta");
KEFU_PY_TYPE(optional_duration_arg, "kefu.Duration | str | datetime.timedelta | None");
KEFU_PY_TYPE(zone_arg, "kefu.TimeZone | str");
KEFU_PY_TYPE(money_arg, "kefu.Money | str | int | decimal.Decimal");
KEFU_PY_TYPE(facts_arg, "collections.abc.Mapping[str, typing.Any]");
KEFU_PY_TYPE(facts_batch_arg,
             "collections.abc.Mapping[str, typing.Any] | collections.abc.Sequence[collections.abc.Mapping[str, "
             "typing.Any]] | pandas.DataFrame");
KEFU_PY_TYPE(columns_arg, "pandas.DataFrame | collections.abc.Mapping[str, typing.Any] | "
                          "collections.abc.Sequence[collections.abc.Mapping[str, typing.Any]]");
KEFU_PY_TYPE(index_arg, "pandas.Index | collections.abc.Sequence[typing.Hashable] | numpy.ndarray | None");
KEFU_PY_TYPE(negation_arg, "dict[str, typing.Any] | None");
KEFU_PY_TYPE(optional_str_arg, "str | None");
KEFU_PY_TYPE(optional_bool_arg, "bool | None");
KEFU_PY_TYPE(rows_arg, "pandas.DataFrame | collections.abc.Iterable[collections.abc.Mapping[str, typing.Any]]");

// Results.
KEFU_PY_TYPE(date_result, "datetime.date");
KEFU_PY_TYPE(optional_date_result, "datetime.date | None");
KEFU_PY_TYPE(datetime_result, "datetime.datetime");
KEFU_PY_TYPE(optional_datetime_result, "datetime.datetime | None");
KEFU_PY_TYPE(timedelta_result, "datetime.timedelta");
KEFU_PY_TYPE(decimal_result, "decimal.Decimal");
KEFU_PY_TYPE(optional_str_result, "str | None");
KEFU_PY_TYPE(dataframe_result, "pandas.DataFrame");
KEFU_PY_TYPE(index_result, "pandas.Index | None");
KEFU_PY_TYPE(ndarray_result, "numpy.ndarray");
KEFU_PY_TYPE(fact_value_result, "str | bool | int | decimal.Decimal | kefu.Money | datetime.timedelta | "
                                "datetime.date | datetime.datetime | frozenset[str] | None");

KEFU_PY_TYPE(bool_or_array_result, "bool | numpy.ndarray");
KEFU_PY_TYPE(int_or_array_result, "int | numpy.ndarray");
KEFU_PY_TYPE(datetime_or_array_result, "datetime.datetime | numpy.ndarray");
KEFU_PY_TYPE(timedelta_or_array_result, "datetime.timedelta | numpy.ndarray");
KEFU_PY_TYPE(sla_status_result, "kefu.SlaStatus");
KEFU_PY_TYPE(optional_sla_status_result, "kefu.SlaStatus | None");

KEFU_PY_TYPE(evaluate_result, "kefu.Decision | list[kefu.Decision] | pandas.DataFrame");
KEFU_PY_TYPE(triage_result_any, "kefu.TriageResult | list[kefu.TriageResult] | pandas.DataFrame");
KEFU_PY_TYPE(optional_triage_result, "kefu.TriageResult | None");
KEFU_PY_TYPE(optional_deadline_result, "kefu.Deadline | None");
KEFU_PY_TYPE(optional_dict_result, "dict[str, typing.Any] | None");
KEFU_PY_TYPE(trace_result, "list[tuple[str, kefu.ConditionTrace]] | None");
KEFU_PY_TYPE(decision_columns_result, "kefu.DecisionColumns");
KEFU_PY_TYPE(decision_policy_self, "kefu.DecisionPolicy");
KEFU_PY_TYPE(policy_self, "kefu.Policy");

KEFU_PY_TYPE(partial_triage_result, "kefu.PartialTriage");
KEFU_PY_TYPE(arrow_or_columns_arg, "pandas.DataFrame | collections.abc.Mapping[str, typing.Any] | pyarrow.Table");

KEFU_PY_TYPE(dataframe_arg, "pandas.DataFrame");
KEFU_PY_TYPE(optional_dataframe_arg, "pandas.DataFrame | None");

KEFU_PY_TYPE(optional_tier_arg, "typing.Literal['L1', 'L2', 'L3'] | None");
KEFU_PY_TYPE(sla_report_result, "dict[str, kefu.SlaStatus | None]");

KEFU_PY_TYPE(bool_arg, "bool");

KEFU_PY_TYPE(optional_zone_arg, "kefu.TimeZone | str | None");

#undef KEFU_PY_TYPE

}  // namespace kefu::python

namespace pybind11::detail {
template <class Tag>
struct handle_type_name<kefu::python::typed<Tag>> {
  static constexpr auto name = Tag::name;
};
}  // namespace pybind11::detail
