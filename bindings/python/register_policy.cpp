// kefu.DecisionPolicy: load, evaluate (a dict, a list of dicts, a pandas DataFrame), explain; evaluate_columns
// converts Python columns into a kefu::rules::batch (kefu/rules/batch.hpp decides) and wraps the decisions as numpy.
#include "register.hpp"
#include "rows.hpp"

#include <kefu/detail/suggest.hpp>
#include <kefu/money.hpp>
#include <kefu/rules/batch.hpp>
#include <kefu/rules/policy.hpp>
#include <kefu/rules/policy_handle.hpp>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <climits>
#include <cstdint>

namespace py = pybind11;
namespace kr = kefu::rules;

namespace kefu::python {


policy_ptr unconst(kr::policy_ptr p) { return std::const_pointer_cast<kr::policy>(std::move(p)); }

std::string type_name(py::handle v) { return py::str(py::type::of(v).attr("__name__")); }

/// A Python value to the text form parse_value reads, checking its Python type against the field.
std::string to_text(const kr::field& f, py::handle v, const kefu::time_zone& zone) {
  auto wrong = [&](const char* expected) -> std::string {
    throw kefu::parse_error("input '" + f.name + "': expected " + expected + ", got " + type_name(v), {}, {},
                            "kefu.rules.type_mismatch");
  };
  if (py::isinstance<py::str>(v)) return v.cast<std::string>();
  switch (f.type) {
    case kr::value_type::boolean:
      if (!py::isinstance<py::bool_>(v)) return wrong("a bool");
      return v.cast<bool>() ? "true" : "false";
    case kr::value_type::integer:
      if (py::isinstance<py::bool_>(v) || !py::isinstance<py::int_>(v)) {
        if (py::hasattr(v, "__index__") && !py::isinstance<py::bool_>(v)) return py::str(v.attr("__index__")());  // numpy ints
        return wrong("an int");
      }
      return py::str(v);
    case kr::value_type::decimal:
      if (py::isinstance<py::bool_>(v)) return wrong("a number");
      if (py::isinstance<py::int_>(v) || py::isinstance<py::float_>(v) || py::hasattr(v, "__index__"))
        return py::str(py::module_::import("decimal").attr("Decimal")(py::str(v)).attr("__format__")("f"));
      if (py::isinstance(v, py::module_::import("decimal").attr("Decimal"))) return py::str(v.attr("__format__")("f"));
      return wrong("a number");
    case kr::value_type::money:
      if (py::isinstance<kefu::money>(v)) return v.cast<kefu::money>().to_string();
      if (py::isinstance<py::bool_>(v)) return wrong("money");
      if (py::isinstance<py::int_>(v)) return py::str(v);
      if (py::isinstance(v, py::module_::import("decimal").attr("Decimal"))) return py::str(v.attr("__format__")("f"));
      if (py::isinstance<py::float_>(v))
        throw kefu::parse_error("input '" + f.name + "': money cannot be a float (inexact); pass text, a Decimal or kefu.Money",
                                {}, {}, "kefu.rules.type_mismatch");
      return wrong("money (kefu.Money, int, Decimal or text)");
    case kr::value_type::duration:
      if (py::isinstance(v, datetime_module().attr("timedelta")))
        return std::to_string(static_cast<std::int64_t>(v.attr("total_seconds")().cast<double>())) + "s";
      return wrong("a timedelta or text such as '2h'");
    case kr::value_type::date:
      if (py::isinstance(v, datetime_module().attr("datetime"))) return wrong("a date (not a datetime)");
      if (py::isinstance(v, datetime_module().attr("date"))) return py::str(v.attr("isoformat")());
      return wrong("a date");
    case kr::value_type::datetime:
      if (py::isinstance(v, datetime_module().attr("datetime")))
        return kefu::format_instant(to_instant(v, zone), zone);
      if (py::hasattr(v, "to_pydatetime")) return kefu::format_instant(to_instant(v.attr("to_pydatetime")(), zone), zone);
      return wrong("a datetime");
    case kr::value_type::enumeration: return wrong("text");
    case kr::value_type::set: {
      if (!(py::isinstance<py::list>(v) || py::isinstance<py::tuple>(v) || py::isinstance<py::set>(v) ||
            py::isinstance<py::frozenset>(v)))
        return wrong("a list or set of values");
      std::string out;
      for (auto item : v) {
        if (!py::isinstance<py::str>(item)) return wrong("a list of text values");
        out += (out.empty() ? "" : ",") + item.cast<std::string>();
      }
      return out;
    }
    case kr::value_type::text: return wrong("text");
  }
  return {};
}

py::object to_python(const kr::field& f, const kr::value& v, const kefu::time_zone& zone) {
  switch (f.type) {
    case kr::value_type::boolean: return py::bool_(v.number != 0);
    case kr::value_type::integer: return py::int_(v.number);
    case kr::value_type::decimal:
      return py::module_::import("decimal").attr("Decimal")(kr::format_value(f, v));
    case kr::value_type::money: return py::cast(kefu::money::from_fen(v.number));
    case kr::value_type::duration: return datetime_module().attr("timedelta")(py::arg("seconds") = v.number);
    case kr::value_type::date: {
      const auto c = kefu::detail::civil_from_days(v.number);
      return datetime_module().attr("date")(c.year, c.month, c.day);
    }
    case kr::value_type::datetime: return to_datetime(kefu::instant::from_unix(v.number), zone);
    case kr::value_type::enumeration: return py::str(kr::format_value(f, v));
    case kr::value_type::set: {
      py::list items;
      for (std::size_t i = 0; i < f.values.size(); ++i)
        if ((v.number >> i) & 1) items.append(f.values[i]);
      return py::frozenset(items);
    }
    case kr::value_type::text: return py::str(v.text);
    case kr::value_type::deadline: return py::str(v.text);  // its spelling: "4 business hours", "3 workdays"
  }
  return py::none();
}

py_types py_types::load() {
  const py::module_ dt = py::module_::import("datetime");
  return {dt.attr("datetime"), dt.attr("date"), py::module_::import("decimal").attr("Decimal"), dt.attr("timedelta")};
}

std::optional<kr::value> fast_value(const kr::field& f, py::handle v, const kefu::time_zone& zone, const py_types& t) {
  kr::value out;
  switch (f.type) {
    case kr::value_type::boolean:
      if (!py::isinstance<py::bool_>(v)) return std::nullopt;
      out.number = v.ptr() == Py_True ? 1 : 0;
      return out;
    case kr::value_type::integer:
      if (!PyLong_CheckExact(v.ptr())) return std::nullopt;
      out.number = v.cast<std::int64_t>();
      return out;
    case kr::value_type::money:
      if (py::isinstance<kefu::money>(v)) {
        out.number = v.cast<kefu::money>().fen();
        return out;
      }
      if (PyLong_CheckExact(v.ptr())) {
        const auto yuan = v.cast<std::int64_t>();
        if (yuan > INT64_MAX / 100 || yuan < -INT64_MAX / 100) return std::nullopt;
        out.number = yuan * 100;
        return out;
      }
      return std::nullopt;
    case kr::value_type::date:
      if (!py::isinstance(v, t.date) || py::isinstance(v, t.datetime)) return std::nullopt;
      out.number = kefu::detail::days_from_civil(v.attr("year").cast<std::int64_t>(), v.attr("month").cast<unsigned>(),
                                                 v.attr("day").cast<unsigned>());
      return out;
    case kr::value_type::datetime:
      if (!py::isinstance(v, t.datetime)) return std::nullopt;
      out.number = to_instant(v, zone).unix_seconds();
      return out;
    case kr::value_type::enumeration: {
      if (!PyUnicode_Check(v.ptr())) return std::nullopt;
      const int i = f.value_index(v.cast<std::string>());
      if (i < 0) return std::nullopt;  // the text path explains the error
      out.number = i;
      return out;
    }
    case kr::value_type::text:
      if (!PyUnicode_Check(v.ptr())) return std::nullopt;
      out.text = v.cast<std::string>();
      return out;
    default: return std::nullopt;
  }
}

namespace {
/// A decision policy as a row_reader target: inputs, with their defaults, must all be given.
struct policy_target {
  static constexpr const char* noun = "input";
  const kr::policy* p;
  const std::vector<kr::field>& fields() const { return p->inputs(); }
  const kefu::time_zone& zone() const { return p->zone(); }
  kr::record make() const { return p->make_record(); }
  void set_value(kr::record& r, std::size_t slot, kr::value v) const { p->set_value(r, slot, std::move(v)); }
  void set_text(kr::record& r, std::size_t slot, const std::string& text) const { p->set(r, slot, text); }
  void finish(const kr::record& r) const { p->check_complete(r); }
  [[noreturn]] void unknown(const std::string& name) const {
    kr::batch(*p, 0).slot(name);  // throws "policy 'P': unknown input 'x' (did you mean …)", kefu.rules.unknown_input
    throw std::logic_error("kefu: input '" + name + "' is unknown and known");
  }
};
using policy_rows = row_reader<policy_target>;

struct py_decision {
  policy_ptr policy;
  kr::decision decision;
  std::vector<kr::condition_trace> trace;
  bool traced = false;
  py::object rule_id_cache;  // batches set it from one list of id strings (no new str per row)

  py::dict outputs_of(const std::vector<std::optional<kr::value>>& values) const {
    py::dict out;
    for (std::size_t i = 0; i < values.size(); ++i)
      out[py::str(policy->outputs()[i].name)] =
          values[i] ? to_python(policy->outputs()[i], *values[i], policy->zone()) : py::object(py::none());
    return out;
  }
  py::dict outputs() const { return outputs_of(policy->outputs_of(decision)); }
  py::object rule_id() const {
    if (rule_id_cache) return rule_id_cache;
    if (decision.matched.empty()) return py::none();
    return py::str(policy->rules()[decision.matched.front()].id);
  }
  std::vector<std::string> rule_ids() const {
    std::vector<std::string> out;
    for (const auto m : decision.matched) out.push_back(policy->rules()[m].id);
    return out;
  }
  std::string explain() const { return policy->explain(decision, traced ? &trace : nullptr); }
};

}  // namespace

std::string row_prefix(std::size_t row) { return "row " + std::to_string(row) + ": "; }

/// A DataFrame of the decisions: one column per output, then rule_id (and rule_ids under collect).
py::object decisions_frame(const kr::policy& p, const std::vector<py_decision>& ds, py::handle index) {
  py::dict columns;
  for (std::size_t o = 0; o < p.outputs().size(); ++o) {
    py::list col;
    for (const auto& d : ds) {
      const auto values = p.outputs_of(d.decision);
      col.append(values[o] ? to_python(p.outputs()[o], *values[o], p.zone()) : py::object(py::none()));
    }
    columns[py::str(p.outputs()[o].name)] = col;
  }
  py::list ids;
  for (const auto& d : ds) ids.append(d.rule_id());
  columns["rule_id"] = ids;
  if (p.hits() == kr::hit_policy::collect) {
    py::list all;
    for (const auto& d : ds) all.append(py::cast(d.rule_ids()));
    columns["rule_ids"] = all;
  }
  return py::module_::import("pandas").attr("DataFrame")(columns, py::arg("index") = index);
}

std::vector<py_decision> evaluate_rows(const policy_ptr& p, py::iterable rows) {
  std::vector<kr::record> records;
  if (PyList_Check(rows.ptr())) records.reserve(static_cast<std::size_t>(PyList_GET_SIZE(rows.ptr())));
  std::size_t row = 0;
  const policy_rows reader(policy_target{p.get()});
  for (auto r : rows) {
    try {
      records.push_back(reader.read(r));
    } catch (const kefu::error& e) {
      kefu::rethrow_with_prefix(e, row_prefix(row));
    }
    ++row;
  }
  std::vector<py_decision> out(records.size(), py_decision{p, {}, {}, false, {}});
  std::vector<kr::decision> ds(records.size());
  std::size_t failed = records.size();
  std::exception_ptr error;
  {
    py::gil_scoped_release release;
    for (std::size_t i = 0; i < records.size() && !error; ++i) {
      try {
        p->evaluate(records[i], ds[i]);
      } catch (const kefu::error&) {
        failed = i;
        error = std::current_exception();
      }
    }
  }
  if (error) {
    try {
      std::rethrow_exception(error);
    } catch (const kefu::error& e) {
      kefu::rethrow_with_prefix(e, row_prefix(failed));
    }
  }
  std::vector<py::object> ids;
  ids.reserve(p->rules().size());
  for (const auto& rule : p->rules()) ids.push_back(py::str(rule.id));
  for (std::size_t i = 0; i < ds.size(); ++i) {
    out[i].rule_id_cache = ds[i].matched.empty() ? py::object(py::none()) : ids[ds[i].matched.front()];
    out[i].decision = std::move(ds[i]);
  }
  return out;
}

bool is_frame(py::handle x) { return py::hasattr(x, "to_dict") && py::hasattr(x, "columns") && py::hasattr(x, "index"); }

// ---- columnar batches: Python columns → kefu::rules::batch (the core decides) → numpy columns ----------

namespace {

/// One input's values for every row of a batch, converted from Python for a kefu::rules::batch: numbers in
/// the input's unit, or text (row i is text[ends[i-1], ends[i])); rows without a value are marked missing
/// (the core applies the default or reports the missing input); reading stops at the first refused value,
/// kept with its row for the batch to report in order.
struct input_column {
  bool given = false;                 // the batch has this column
  std::size_t rows = 0;               // how many rows the column is for
  std::vector<std::int64_t> numbers;  // non-text inputs
  std::string text;                   // text inputs: row i is text[ends[i-1], ends[i])
  std::vector<std::size_t> ends;
  std::vector<std::string_view> views;  // the texts, for the batch (made by add_to)
  std::vector<std::uint8_t> missing;    // one byte per row when some row has no value
  std::size_t error_row = SIZE_MAX;  // the first row whose value is bad, and why
  std::exception_ptr error;
  std::string_view text_at(std::size_t row) const {
    const std::size_t begin = row ? ends[row - 1] : 0;
    return std::string_view(text).substr(begin, ends[row] - begin);
  }
  /// Lends the column to the batch (keep it alive until the batch is decided).
  void add_to(kr::batch& b, std::size_t slot, bool is_text) {
    const std::uint8_t* mask = missing.empty() ? nullptr : missing.data();
    if (is_text) {
      views.resize(ends.size());
      for (std::size_t i = 0; i < ends.size(); ++i) views[i] = text_at(i);
      b.texts(slot, views.data(), mask);
    } else {
      b.numbers(slot, numbers.data(), mask, true);  // read from names or checked by the row reader's rules
    }
    if (error) b.refuse(slot, error_row, error);
  }
};

/// Decides the rows of the columns read from a batch, in the order given, without the GIL.
kr::decision_columns decide(const kr::policy& p, std::vector<input_column>& cols, const std::vector<std::size_t>& order,
                            std::size_t n) {
  kr::batch b(p, n);
  for (const std::size_t s : order) cols[s].add_to(b, s, p.inputs()[s].type == kr::value_type::text);
  py::gil_scoped_release release;
  return kr::evaluate_columns(b);
}

py::module_ numpy() { return py::module_::import("numpy"); }

/// Reads the columns of a batch into typed input columns, value by value with the row reader's rules,
/// so a value means (and is refused) exactly as it would be in a dict given to evaluate().
class column_reader {
 public:
  column_reader(const kr::policy& p, const policy_rows& rows) : p_(p), rows_(rows), scratch_(p.make_record()) {}

  /// Converts one column of n values into `c` (for input `slot`); stops at the first bad value.
  void read(input_column& c, std::size_t slot, py::handle values, std::size_t n) {
    c.given = true;
    c.rows = n;
    const auto& f = p_.inputs()[slot];
    const bool text = f.type == kr::value_type::text;
    if (text) {
      c.ends.reserve(n);
    } else {
      c.numbers.reserve(n);
    }
    // pandas: categories are read once each; numpy-backed integer and bool columns in place.
    if (py::hasattr(values, "cat") && py::hasattr(values, "dtype") &&
        py::str(values.attr("dtype")).cast<std::string>() == "category") {
      read_coded(c, slot, values.attr("cat").attr("codes").attr("to_numpy")(), py::list(values.attr("cat").attr("categories")), n);
      return;
    }
    if (f.type == kr::value_type::enumeration && py::hasattr(values, "dtype") && py::hasattr(values, "to_numpy") &&
        py::isinstance(values.attr("dtype"), py::module_::import("pandas").attr("StringDtype"))) {
      const py::tuple fu = py::module_::import("pandas").attr("factorize")(values);  // missing values: code -1
      read_coded(c, slot, fu[0], py::list(fu[1]), n);
      return;
    }
    py::object array;
    if (py::isinstance<py::array>(values)) {
      array = py::reinterpret_borrow<py::object>(values);
    } else if (py::hasattr(values, "to_numpy") && py::hasattr(values, "dtype")) {
      const py::object dtype = values.attr("dtype");
      const std::string kind = py::hasattr(dtype, "kind") ? py::str(dtype.attr("kind")).cast<std::string>() : "O";
      const bool numpy_dtype = py::isinstance(dtype, numpy().attr("dtype"));
      array = (numpy_dtype && (kind == "b" || kind == "i" || kind == "u")) ? values.attr("to_numpy")()
                                                                          : values.attr("to_numpy")(py::arg("dtype") = py::str("object"));
    }
    if (array && read_typed(c, slot, py::reinterpret_borrow<py::array>(array))) return;
    const py::object items = array ? array.attr("tolist")() : py::reinterpret_borrow<py::object>(values);
    const py::sequence seq = PyList_Check(items.ptr()) || PyTuple_Check(items.ptr()) ? py::reinterpret_borrow<py::sequence>(items)
                                                                                     : py::sequence(py::list(items));
    PyObject** item = PySequence_Fast_ITEMS(seq.ptr());
    for (std::size_t row = 0; row < n; ++row) {
      if (!put(c, slot, row, item[row])) return;
    }
  }

 private:
 public:
  /// A column gathered from dicts: items[row] is the row's value, nullptr when the row lacks the key.
  void read_items(input_column& c, std::size_t slot, const std::vector<PyObject*>& items, std::size_t n) {
    c.given = true;
    c.rows = n;
    if (p_.inputs()[slot].type == kr::value_type::text)
      c.ends.reserve(n);
    else
      c.numbers.reserve(n);
    for (std::size_t row = 0; row < n; ++row) {
      if (!items[row])
        push_missing(c, p_.inputs()[slot], row);
      else if (!put(c, slot, row, items[row]))
        return;
    }
  }

 private:
  /// One value; false (and the error kept) when it is bad.
  bool put(input_column& c, std::size_t slot, std::size_t row, py::handle item) {
    const auto& f = p_.inputs()[slot];
    PyObject* o = item.ptr();
    // The common cases directly (as row_reader::set reads them); everything else through it.
    if (f.type == kr::value_type::enumeration && PyUnicode_CheckExact(o)) {
      if (PyObject* index = dict_find(rows_.enum_values[slot], o)) {
        push(c, f, PyLong_AsLongLong(index), {});
        return true;
      }
    } else if (f.type == kr::value_type::text && PyUnicode_CheckExact(o)) {
      Py_ssize_t size = 0;
      const char* utf8 = PyUnicode_AsUTF8AndSize(o, &size);
      if (!utf8) throw py::error_already_set();
      push(c, f, 0, std::string_view(utf8, static_cast<std::size_t>(size)));
      return true;
    } else if (f.type == kr::value_type::boolean && PyBool_Check(o)) {
      push(c, f, o == Py_True ? 1 : 0, {});
      return true;
    }
    if (PyUnicode_CheckExact(o) && f.type != kr::value_type::text) {  // text such as "1000.50": parsed as its type
      Py_ssize_t size = 0;
      const char* utf8 = PyUnicode_AsUTF8AndSize(o, &size);
      if (!utf8) throw py::error_already_set();
      try {
        p_.set(scratch_, slot, std::string(utf8, static_cast<std::size_t>(size)));
      } catch (const kefu::error&) {
        c.error_row = row;
        c.error = std::current_exception();
        return false;
      }
      push(c, f, scratch_.numbers[slot], {});
      return true;
    }
    if (f.type == kr::value_type::integer && PyLong_CheckExact(o)) {
      int overflow = 0;
      const std::int64_t number = PyLong_AsLongLongAndOverflow(o, &overflow);
      if (!overflow) {
        push(c, f, number, {});
        return true;
      }
    }
    scratch_.present[slot] = 0;
    try {
      rows_.set(scratch_, slot, item);
    } catch (const kefu::error&) {
      c.error_row = row;
      c.error = std::current_exception();
      return false;
    }
    if (scratch_.present[slot]) {
      push(c, f, scratch_.numbers[slot], scratch_.texts[slot]);
    } else {  // None, NaN, NaT, pandas.NA: the default, or missing
      push_missing(c, p_.inputs()[slot], row);
    }
    return true;
  }

  static void push(input_column& c, const kr::field& f, std::int64_t number, std::string_view text) {
    if (f.type == kr::value_type::text) {
      c.text.append(text);
      c.ends.push_back(c.text.size());
    } else {
      c.numbers.push_back(number);
    }
  }

  /// numpy bool and integer columns for bool, int and money inputs, read in place; false when the
  /// column needs the value-by-value path.
  bool read_typed(input_column& c, std::size_t slot, const py::array& a) {
    const auto& f = p_.inputs()[slot];
    const char kind = a.dtype().kind();
    const bool ints = kind == 'i' || (kind == 'u' && a.itemsize() < 8);
    if (a.ndim() != 1) return false;
    if (!((f.type == kr::value_type::boolean && kind == 'b') ||
          ((f.type == kr::value_type::integer || f.type == kr::value_type::money) && ints)))
      return false;
    const auto values = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(a);
    if (!values) throw py::error_already_set();
    const auto v = values.unchecked<1>();
    const auto n = static_cast<std::size_t>(v.shape(0));
    for (std::size_t row = 0; row < n; ++row) {
      std::int64_t x = v(static_cast<py::ssize_t>(row));
      if (f.type == kr::value_type::money) {
        if (x > INT64_MAX / 100 || x < -INT64_MAX / 100) {  // the reader says why
          if (!put(c, slot, row, py::int_(x))) return true;
          continue;
        }
        x *= 100;  // whole yuan, as an int in a dict is read
      }
      c.numbers.push_back(x);
    }
    return true;
  }

  /// Values given as codes into a few distinct values (a pandas Categorical, a factorized string
  /// column): each distinct value is read once; a code below 0 is a missing value.
  void read_coded(input_column& c, std::size_t slot, py::handle codes_array, const py::list& distinct, std::size_t n) {
    const auto& f = p_.inputs()[slot];
    const auto codes = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(codes_array);
    if (!codes) throw py::error_already_set();
    input_column values;  // row k: distinct value k
    values.rows = distinct.size();
    std::vector<std::uint8_t> ok(distinct.size(), 1);
    for (std::size_t k = 0; k < distinct.size(); ++k) {
      if (!put(values, slot, k, distinct[k])) {
        ok[k] = 0;
        push(values, f, 0, {});
        values.error = nullptr;
      }
    }
    const auto code = codes.unchecked<1>();
    for (std::size_t row = 0; row < n; ++row) {
      const std::int64_t k = code(static_cast<py::ssize_t>(row));
      if (k < 0) {
        push_missing(c, p_.inputs()[slot], row);
        continue;
      }
      const auto ku = static_cast<std::size_t>(k);
      if (!ok[ku]) {
        put(c, slot, row, distinct[ku]);  // keeps the error, at this row
        return;
      }
      if (!values.missing.empty() && values.missing[ku]) {  // a distinct value that means "not given"
        push_missing(c, f, row);
        continue;
      }
      if (f.type == kr::value_type::text)
        push(c, f, 0, values.text_at(ku));
      else
        push(c, f, values.numbers[ku], {});
    }
  }

  /// A row without a value (None, NaN, not in the dict): marked; the core applies the default or reports it.
  static void push_missing(input_column& c, const kr::field& f, std::size_t row) {
    if (c.missing.empty()) c.missing.assign(c.rows, 0);
    c.missing[row] = 1;
    push(c, f, 0, {});
  }

  const kr::policy& p_;
  const policy_rows& rows_;
  kr::record scratch_;
};


/// A column as the reader takes it: a numpy array, a pandas Series, a list or tuple (other iterables
/// become lists). Text, mappings and scalars are refused: one value is never spread over every row.
py::object as_column(py::handle v, const std::string& name) {
  if (py::isinstance<py::str>(v) || py::isinstance<py::bytes>(v) || PyDict_Check(v.ptr()))
    throw py::type_error("column '" + name + "': expected a sequence of values (list, numpy array or pandas Series), got " +
                         type_name(v));
  if (py::isinstance<py::array>(v)) {
    const auto a = py::reinterpret_borrow<py::array>(v);
    if (a.ndim() != 1)
      throw py::type_error("column '" + name + "': expected one value per row (a 1-dimensional array), got " +
                           std::to_string(a.ndim()) + " dimensions");
    return py::reinterpret_borrow<py::object>(v);
  }
  if (PyList_Check(v.ptr()) || PyTuple_Check(v.ptr()) || (py::hasattr(v, "to_numpy") && py::hasattr(v, "dtype")))
    return py::reinterpret_borrow<py::object>(v);
  if (py::hasattr(v, "__iter__")) return py::list(py::reinterpret_borrow<py::object>(v));
  throw py::type_error("column '" + name + "': expected a sequence of values (list, numpy array or pandas Series), got " +
                       type_name(v));
}

/// The decisions of a batch as columns (kefu.DecisionColumns).
struct py_decision_columns {
  policy_ptr policy;
  kr::decision_columns m;
  py::object index;  // the DataFrame's index, or None
  py::dict outputs;
  py::object rule_index, rule_id, by_default;

  std::size_t size() const { return m.size(); }

  /// numpy's take of a palette (one entry per rule, then the default's) by each row's deciding rule.
  py::object take(const py::array& palette) const {
    py::array_t<std::int64_t> pick(static_cast<py::ssize_t>(size()));
    auto out = pick.mutable_unchecked<1>();
    const auto rules = static_cast<std::int64_t>(policy->rules().size());
    for (std::size_t i = 0; i < size(); ++i) out(static_cast<py::ssize_t>(i)) = m.rule_index[i] < 0 ? rules : m.rule_index[i];
    return palette.attr("take")(pick);
  }

  /// The value of output o when rule r decides (r = rules: the default); nullptr when unset.
  const kr::value* value_of(std::size_t r, std::size_t o) const {
    return m.decided(r < policy->rules().size() ? static_cast<std::int32_t>(r) : -1, o);
  }

  py::object column(std::size_t o) const {
    const auto& p = *policy;
    const auto& f = p.outputs()[o];
    const std::size_t n = p.rules().size() + 1;
    const bool typed = m.always_set(o) && (f.type == kr::value_type::boolean || f.type == kr::value_type::integer ||
                                  f.type == kr::value_type::duration || f.type == kr::value_type::date);
    if (typed) {
      py::array_t<std::int64_t> palette(static_cast<py::ssize_t>(n));
      auto v = palette.mutable_unchecked<1>();
      for (std::size_t r = 0; r < n; ++r) {
        const kr::value* x = value_of(r, o);
        v(static_cast<py::ssize_t>(r)) = x ? x->number : 0;
      }
      const char* dtype = f.type == kr::value_type::boolean   ? "bool"
                          : f.type == kr::value_type::integer ? "int64"
                          : f.type == kr::value_type::duration ? "timedelta64[s]"
                                                               : "datetime64[D]";
      return take(palette.attr("astype")(dtype));
    }
    py::array palette = numpy().attr("empty")(n, py::arg("dtype") = "object");
    for (std::size_t r = 0; r < n; ++r) {
      const kr::value* x = value_of(r, o);
      palette[py::int_(r)] = x ? to_python(f, *x, p.zone()) : py::object(py::none());
    }
    return take(palette);
  }

  void build() {
    const auto& p = *policy;
    const std::size_t n = size();
    py::array_t<std::int32_t> index(static_cast<py::ssize_t>(n));
    py::array_t<bool> by(static_cast<py::ssize_t>(n));
    auto iv = index.mutable_unchecked<1>();
    auto bv = by.mutable_unchecked<1>();
    for (std::size_t i = 0; i < n; ++i) {
      iv(static_cast<py::ssize_t>(i)) = m.rule_index[i];
      bv(static_cast<py::ssize_t>(i)) = m.by_default[i] != 0;
    }
    rule_index = index;
    by_default = by;
    py::array ids = numpy().attr("empty")(p.rules().size() + 1, py::arg("dtype") = "object");
    for (std::size_t r = 0; r < p.rules().size(); ++r) ids[py::int_(r)] = py::str(p.rules()[r].id);
    ids[py::int_(p.rules().size())] = py::none();
    rule_id = take(ids);
    for (std::size_t o = 0; o < p.outputs().size(); ++o) outputs[py::str(p.outputs()[o].name)] = column(o);
  }

  std::size_t output(const std::string& name) const {
    for (std::size_t o = 0; o < policy->outputs().size(); ++o)
      if (policy->outputs()[o].name == name) return o;
    throw py::key_error("no output '" + name + "' in policy '" + policy->name() + "'");
  }

  /// Value indices of an enum output per row (−1: not set).
  py::object codes(const std::string& name) const {
    const std::size_t o = output(name);
    const auto& f = policy->outputs()[o];
    if (f.type != kr::value_type::enumeration)
      throw py::type_error("output '" + name + "' is " + kr::to_string(f.type) + ", not enum: codes are for enum outputs");
    const std::size_t n = policy->rules().size() + 1;
    py::array_t<std::int32_t> palette(static_cast<py::ssize_t>(n));
    auto v = palette.mutable_unchecked<1>();
    for (std::size_t r = 0; r < n; ++r) {
      const kr::value* x = value_of(r, o);
      v(static_cast<py::ssize_t>(r)) = x ? static_cast<std::int32_t>(x->number) : -1;
    }
    return take(palette);
  }

  py::list rule_ids() const {
    std::vector<py::object> ids;
    for (const auto& r : policy->rules()) ids.push_back(py::str(r.id));
    py::list out(size());
    for (std::size_t i = 0; i < size(); ++i) {
      py::list row(static_cast<std::size_t>(m.match_offsets[i + 1] - m.match_offsets[i]));
      for (auto k = m.match_offsets[i]; k < m.match_offsets[i + 1]; ++k)
        row[static_cast<std::size_t>(k - m.match_offsets[i])] = ids[static_cast<std::size_t>(m.match_rules[static_cast<std::size_t>(k)])];
      out[i] = row;
    }
    return out;
  }

  py::object to_pandas(py::object index, bool categorical) const {
    const py::module_ pd = py::module_::import("pandas");
    py::dict columns;
    for (std::size_t o = 0; o < policy->outputs().size(); ++o) {
      const auto& f = policy->outputs()[o];
      if (categorical && f.type == kr::value_type::enumeration)
        columns[py::str(f.name)] = pd.attr("Categorical").attr("from_codes")(codes(f.name), py::arg("categories") = py::cast(f.values));
      else
        columns[py::str(f.name)] = outputs[py::str(f.name)];
    }
    columns["rule_id"] = rule_id;
    if (policy->hits() == kr::hit_policy::collect) columns["rule_ids"] = rule_ids();
    return pd.attr("DataFrame")(columns, py::arg("index") = index.is_none() ? this->index : index);
  }
};

/// A list of dicts, gathered into columns. Any row that cannot be read is read again by the row
/// reader, so the error is the one evaluate_many raises.
py_decision_columns evaluate_dicts(const policy_ptr& p, const policy_rows& reader, py::handle data) {
  const auto& inputs = p->inputs();
  const py::sequence rows = py::reinterpret_borrow<py::sequence>(data);
  const std::size_t n = py::len(rows);
  PyObject** row = PySequence_Fast_ITEMS(rows.ptr());
  std::vector<std::vector<PyObject*>> items(inputs.size());
  std::vector<py::object> converted;  // mappings other than dict, as dicts
  std::size_t stop = n;                // the first row that is not a mapping of known inputs
  for (std::size_t i = 0; i < n && stop == n; ++i) {
    PyObject* r = row[i];
    if (!PyDict_Check(r)) {
      if (!py::hasattr(r, "items") || !py::hasattr(r, "keys")) {
        stop = i;
        break;
      }
      converted.push_back(py::dict(py::reinterpret_borrow<py::object>(r)));
      r = converted.back().ptr();
    }
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(r, &pos, &key, &value)) {
      PyObject* slot = dict_find(reader.slots, key);
      if (!slot) {
        stop = i;
        break;
      }
      auto& column = items[static_cast<std::size_t>(PyLong_AsSsize_t(slot))];
      if (column.empty()) column.resize(n, nullptr);
      column[i] = value;
    }
  }
  column_reader columns(*p, reader);
  std::vector<input_column> cols(inputs.size());
  std::vector<std::size_t> order;
  for (std::size_t s = 0; s < inputs.size(); ++s) {
    if (items[s].empty()) continue;
    columns.read_items(cols[s], s, items[s], stop);
    order.push_back(s);
  }
  // The rows before `stop` as a batch; its first row at fault (a bad value, a missing input), or the
  // row that is no mapping of known inputs, is read again as a row, so the error is evaluate_many's.
  kr::batch b(*p, stop);
  for (const std::size_t s : order) cols[s].add_to(b, s, inputs[s].type == kr::value_type::text);
  const std::size_t first = b.first_bad_row();
  if (first < n) {
    try {
      reader.read(row[first]);
    } catch (const kefu::error& e) {
      kefu::rethrow_with_prefix(e, row_prefix(first));
    }
    throw std::logic_error("kefu: row " + std::to_string(first) + " was refused as a column but read as a row");
  }
  py_decision_columns out{p, {}, py::none(), {}, {}, {}, {}};
  {
    py::gil_scoped_release release;
    out.m = kr::evaluate_columns(b);
  }
  out.build();
  return out;
}

py_decision_columns evaluate_columns(const policy_ptr& p, py::handle data) {
  const policy_rows reader(policy_target{p.get()});
  py_decision_columns out{p, {}, py::none(), {}, {}, {}, {}};
  if (PyList_Check(data.ptr()) || PyTuple_Check(data.ptr())) return evaluate_dicts(p, reader, data);
  py::object items;
  if (is_frame(data)) {
    items = data.attr("items")();
    out.index = data.attr("index");
  } else if (PyDict_Check(data.ptr()) || (py::hasattr(data, "items") && py::hasattr(data, "keys"))) {
    items = data.attr("items")();
  } else {
    throw py::type_error("evaluate_columns: expected a pandas DataFrame, a dict of columns or a list of dicts, got " +
                         type_name(data));
  }
  const auto& inputs = p->inputs();
  column_reader columns(*p, reader);
  std::vector<input_column> cols(inputs.size());
  std::vector<std::size_t> order;  // slots in the order the columns came
  std::size_t n = 0;
  std::string first;
  for (auto item : items) {
    const py::tuple kv = item.cast<py::tuple>();
    const std::size_t slot = reader.slot_of(kv[0]);
    const std::string name = inputs[slot].name;
    if (cols[slot].given) throw py::value_error("column '" + name + "' is given twice");
    const py::object values = as_column(kv[1], name);
    const std::size_t len = py::len(values);
    if (order.empty()) {
      n = len;
      first = name;
    } else if (len != n) {
      throw py::value_error("column '" + name + "' has " + std::to_string(len) + " values, column '" + first + "' has " +
                            std::to_string(n));
    }
    columns.read(cols[slot], slot, values, n);
    order.push_back(slot);
  }
  out.m = decide(*p, cols, order, n);
  out.build();
  return out;
}

}  // namespace

void register_policy(py::module_& m) {
  py::class_<kr::field>(m, "Field", "An input or output of a policy.")
      .def_readonly("name", &kr::field::name)
      .def_property_readonly("type", [](const kr::field& f) { return kr::to_string(f.type); })
      .def_readonly("values", &kr::field::values)
      .def_readonly("default", &kr::field::default_text)
      .def_readonly("description", &kr::field::description)
      .def_readonly("required", &kr::field::required, "facts vocabulary: every set of facts must give it")
      .def_readonly("derived", &kr::field::derived, "facts vocabulary: how triage computes it (empty: given)")
      .def_readonly("personal", &kr::field::personal, "facts vocabulary: customer personal data")
      .def_readonly("non_negative", &kr::field::non_negative, "facts vocabulary: a count or amount below zero is refused")
      .def("__repr__", [](const kr::field& f) { return "Field('" + f.name + "', " + kr::to_string(f.type) + ")"; });

  py::class_<kr::rule>(m, "Rule", "A rule of a policy.")
      .def_readonly("id", &kr::rule::id)
      .def_readonly("description", &kr::rule::description)
      .def_readonly("source", &kr::rule::source)
      .def_readonly("when", &kr::rule::when)
      .def_readonly("priority", &kr::rule::priority)
      .def_property_readonly("line", [](const kr::rule& r) { return r.where.line; })
      .def("__repr__", [](const kr::rule& r) { return "Rule('" + r.id + "')"; });

  py::class_<kr::diagnostic>(m, "Diagnostic", "A warning of the static checks.")
      .def_readonly("message", &kr::diagnostic::message)
      .def_readonly("rule_id", &kr::diagnostic::rule_id)
      .def_readonly("check", &kr::diagnostic::check)
      .def_property_readonly("file", [](const kr::diagnostic& d) { return d.where.file; })
      .def_property_readonly("line", [](const kr::diagnostic& d) { return d.where.line; })
      .def_property_readonly("column", [](const kr::diagnostic& d) { return d.where.column; })
      .def("__str__", [](const kr::diagnostic& d) { return kefu::error::render(d.message, d.where, d.rule_id); });

  py::class_<kr::condition_trace>(m, "ConditionTrace", "One condition of an explanation.")
      .def_readonly("text", &kr::condition_trace::text)
      .def_readonly("result", &kr::condition_trace::result)
      .def_readonly("reads", &kr::condition_trace::reads)
      .def_readonly("words", &kr::condition_trace::words);

  py::class_<py_decision>(m, "Decision", "What a policy decided for one set of facts.")
      .def_property_readonly("outputs", &py_decision::outputs, "output name → value (None when not set)")
      .def_property_readonly("rule_id", &py_decision::rule_id, "the deciding rule, None when the default decided")
      .def_property_readonly("rule_ids", &py_decision::rule_ids, "every matched rule, in order (collect)")
      .def_property_readonly("by_default", [](const py_decision& d) { return d.decision.by_default; })
      .def_property_readonly("trace",
                             [](const py_decision& d) -> py::object {
                               if (!d.traced) return py::none();
                               py::list out;
                               for (const auto& t : d.trace)
                                 out.append(py::make_tuple(d.policy->rules()[t.rule].id, py::cast(t)));
                               return out;
                             })
      .def("explain", &py_decision::explain, "The decision and, when traced, every condition with the values it read.")
      .def("__getitem__",
           [](const py_decision& d, const std::string& name) -> py::object {
             const py::dict outputs = d.outputs();
             if (!outputs.contains(name)) throw py::key_error("no output '" + name + "' in policy '" + d.policy->name() + "'");
             return outputs[py::str(name)];
           })
      .def("__repr__", [](const py_decision& d) {
        return "Decision(" + std::string(py::str(d.outputs())) + ", rule=" + std::string(py::str(d.rule_id())) + ")";
      });

  py::class_<py_decision_columns>(
      m, "DecisionColumns",
      "The decisions of a batch as columns (DecisionPolicy.evaluate_columns): numpy arrays with one entry per row.")
      .def("__len__", &py_decision_columns::size)
      .def_readonly("outputs", &py_decision_columns::outputs,
                    "output name → numpy array: bool/int64/timedelta64[s]/datetime64[D] when every rule sets the "
                    "output, else object (money: kefu.Money, decimal: Decimal, enum and text: str, None when unset)")
      .def_readonly("rule_index", &py_decision_columns::rule_index,
                    "int32: index into policy.rules of the deciding rule (collect: the first matched), -1 for the default")
      .def_readonly("rule_id", &py_decision_columns::rule_id, "object: the deciding rule's id, None when the default decided")
      .def_readonly("by_default", &py_decision_columns::by_default, "bool: no rule matched")
      .def_property_readonly(
          "match_offsets",
          [](const py_decision_columns& c) { return py::array_t<std::int64_t>(static_cast<py::ssize_t>(c.m.match_offsets.size()), c.m.match_offsets.data()); },
          "int64, len(self) + 1: row i matched match_rules[match_offsets[i]:match_offsets[i + 1]]")
      .def_property_readonly(
          "match_rules",
          [](const py_decision_columns& c) { return py::array_t<std::int32_t>(static_cast<py::ssize_t>(c.m.match_rules.size()), c.m.match_rules.data()); },
          "int32: indices into policy.rules of every matched rule, row after row, in order")
      .def_property_readonly("rule_ids", &py_decision_columns::rule_ids, "per row, the ids of every matched rule in order")
      .def_readonly("index", &py_decision_columns::index, "the DataFrame's index when a DataFrame was given, else None")
      .def("codes", &py_decision_columns::codes, py::arg("output"),
           "int32 value indices of an enum output (into policy.outputs[...].values), -1 when unset")
      .def("to_pandas", &py_decision_columns::to_pandas, py::arg("index") = py::none(), py::arg("categorical") = false,
           "A DataFrame: one column per output, then rule_id (and rule_ids under collect); enum outputs as "
           "pandas.Categorical with categorical=True. The index is the given one, else the input DataFrame's.")
      .def("__getitem__",
           [](const py_decision_columns& c, const std::string& name) -> py::object {
             c.output(name);  // throws a KeyError naming the policy
             return c.outputs[py::str(name)];
           })
      .def("__repr__", [](const py_decision_columns& c) {
        std::string names;
        for (const auto& f : c.policy->outputs()) names += (names.empty() ? "" : ", ") + f.name;
        return "DecisionColumns(policy '" + c.policy->name() + "', " + std::to_string(c.size()) + " rows; outputs " + names + ")";
      });

  py::class_<kr::policy, policy_ptr>(m, "DecisionPolicy", "One policy file: a loaded, checked, immutable decision table.")
      .def_static("load", [](py::handle path) { return unconst(kr::load_policy_file(to_path(path))); }, py::arg("path"))
      .def_static(
          "from_yaml", [](const std::string& text, const std::string& name) { return unconst(kr::load_policy_string(text, name)); },
          py::arg("text"), py::arg("name") = "<string>")
      .def_property_readonly("name", &kr::policy::name)
      .def_property_readonly("version", &kr::policy::version)
      .def_property_readonly("description", &kr::policy::description)
      .def_property_readonly("file", &kr::policy::file)
      .def_property_readonly("hit_policy", [](const kr::policy& p) { return kr::to_string(p.hits()); })
      .def_property_readonly("inputs", &kr::policy::inputs)
      .def_property_readonly("outputs", &kr::policy::outputs)
      .def_property_readonly("rules", &kr::policy::rules)
      .def_property_readonly("warnings", &kr::policy::warnings)
      .def_property_readonly("has_default", &kr::policy::has_default)
      .def(
          "evaluate",
          [](const policy_ptr& p, py::handle facts, bool trace) -> py::object {
            if (is_frame(facts)) {
              if (trace) throw py::value_error("trace is for one decision at a time; explain rows one by one");
              const auto ds = evaluate_rows(p, facts.attr("to_dict")("records"));
              return decisions_frame(*p, ds, facts.attr("index"));
            }
            if (py::isinstance<py::list>(facts) || py::isinstance<py::tuple>(facts)) {
              if (trace) throw py::value_error("trace is for one decision at a time; explain rows one by one");
              return py::cast(evaluate_rows(p, py::reinterpret_borrow<py::iterable>(facts)));
            }
            py_decision d{p, {}, {}, trace, {}};
            const kr::record r = policy_rows(policy_target{p.get()}).read(facts);
            p->evaluate(r, d.decision, trace ? &d.trace : nullptr);
            return py::cast(std::move(d));
          },
          py::arg("facts"), py::arg("trace") = false,
          "Decide for a dict of facts (a Decision), a list of dicts (a list of Decisions) or a pandas DataFrame (a "
          "DataFrame of outputs and rule_id, same index). Unknown keys and missing inputs are errors naming the "
          "field; None/NaN/NaT mean not given. Batches evaluate without the GIL.")
      .def("evaluate_many", &evaluate_rows, py::arg("rows"),
           "Decide for many dicts of facts; evaluation runs without the GIL.")
      .def("evaluate_columns", &evaluate_columns, py::arg("data"),
           "Decide for a batch and return the decisions as columns (DecisionColumns). data: a pandas DataFrame, a "
           "dict of input name → column (list, numpy array, pandas Series) or a list of dicts. Values are read "
           "and refused as evaluate() reads them; errors name the row and the input. Evaluation runs without the GIL.");

  py::class_<kr::reload_result>(m, "ReloadResult", "What a reload did.")
      .def_readonly("swapped", &kr::reload_result::swapped)
      .def_readonly("message", &kr::reload_result::message)
      .def_readonly("cases_passed", &kr::reload_result::cases_passed)
      .def("__bool__", [](const kr::reload_result& r) { return r.swapped; })
      .def("__repr__", [](const kr::reload_result& r) { return "ReloadResult(" + std::string(r.swapped ? "swapped" : "kept") + ": " + r.message + ")"; });

  py::class_<kr::policy_handle>(m, "PolicyHandle",
                                "A policy that reloads safely: reload() loads, checks and runs the rule tests of the new "
                                "version, and swaps it in atomically only when all pass; readers keep the policy they hold.")
      .def(py::init([](py::handle path, std::vector<std::string> suites) {
             return std::make_unique<kr::policy_handle>(to_path(path), std::move(suites));
           }),
           py::arg("path"), py::arg("suite_files") = std::vector<std::string>{})
      .def_property_readonly("current", [](const kr::policy_handle& h) { return unconst(h.current()); })
      .def_property_readonly("path", &kr::policy_handle::path)
      .def_property_readonly("suite_files", &kr::policy_handle::suite_files)
      .def("reload", &kr::policy_handle::reload, py::call_guard<py::gil_scoped_release>());
}

}  // namespace kefu::python
