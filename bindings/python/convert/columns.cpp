// Python columns → a kefu::rules::batch (convert/columns.hpp).
#include "convert/columns.hpp"
#include "convert/datetime.hpp"

#include <kefu/money.hpp>
#include <kefu/rules/triage_diff.hpp>

#include <pybind11/numpy.h>

#include <climits>
#include <limits>
#include <memory>
#include <cstdint>
#include <exception>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace py = pybind11;
namespace kr = kefu::rules;

namespace kefu::python {

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
  std::vector<std::string_view> views;  // the texts, for the batch (made by add_to unless read in place)
  bool in_place = false;                // views point into `keep` (an Arrow array's buffers)
  py::object keep;
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
      if (!in_place) {
        views.resize(ends.size());
        for (std::size_t i = 0; i < ends.size(); ++i) views[i] = text_at(i);
      }
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

/// Reads the columns of a batch into typed input columns, value by value with the row reader's rules,
/// so a value means (and is refused) exactly as it would be in a dict given to evaluate().
template <class Rows>
class column_reader {
 public:
  explicit column_reader(const Rows& rows) : rows_(rows), scratch_(rows.target.make()) {}

  /// Converts one column of n values into `c` (for input `slot`); stops at the first bad value.
  void read(input_column& c, std::size_t slot, py::handle values, std::size_t n) {
    c.given = true;
    c.rows = n;
    const auto& f = fields()[slot];
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
    if (f.type == kr::value_type::datetime && read_datetimes(c, slot, values, n)) return;
    const py::object arrow = arrow_array(values, n);  // once: the readers below share it
    if (f.type == kr::value_type::enumeration && read_arrow_coded(c, slot, arrow, n)) return;
    if (f.type == kr::value_type::enumeration && py::hasattr(values, "dtype") && py::hasattr(values, "to_numpy") &&
        py::isinstance(values.attr("dtype"), py::module_::import("pandas").attr("StringDtype"))) {
      const py::tuple fu = py::module_::import("pandas").attr("factorize")(values);  // missing values: code -1
      read_coded(c, slot, fu[0], py::list(fu[1]), n);
      return;
    }
    if (f.type == kr::value_type::date && read_dates(c, slot, values, arrow, n)) return;
    if (f.type == kr::value_type::text && read_arrow_texts(c, arrow, n)) return;
    if (f.type != kr::value_type::text && read_arrow_parsed(c, slot, arrow, n)) return;
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
    if (fields()[slot].type == kr::value_type::text)
      c.ends.reserve(n);
    else
      c.numbers.reserve(n);
    for (std::size_t row = 0; row < n; ++row) {
      if (!items[row])
        push_missing(c, fields()[slot], row);
      else if (!put(c, slot, row, items[row]))
        return;
    }
  }

 private:
  /// One value; false (and the error kept) when it is bad.
  bool put(input_column& c, std::size_t slot, std::size_t row, py::handle item) {
    const auto& f = fields()[slot];
    PyObject* o = item.ptr();
    // The common cases directly (as row_reader::set reads them); everything else through it.
    if (f.type == kr::value_type::enumeration && PyUnicode_CheckExact(o)) {
      if (PyObject* index = dict_find(rows_.enum_values[slot], o)) {
        push(c, f, PyLong_AsLongLong(index), {});
        return true;
      }
    } else if (f.type == kr::value_type::text && PyUnicode_CheckExact(o)) {
      Py_ssize_t size = 0;
      if (const char* utf8 = PyUnicode_AsUTF8AndSize(o, &size)) {
        push(c, f, 0, std::string_view(utf8, static_cast<std::size_t>(size)));
        return true;
      }
      PyErr_Clear();  // not valid Unicode (a lone surrogate): the general path below says so, naming the fact
    } else if (f.type == kr::value_type::boolean && PyBool_Check(o)) {
      push(c, f, o == Py_True ? 1 : 0, {});
      return true;
    }
    if (f.type == kr::value_type::money && py::isinstance<kefu::money>(item)) {
      push(c, f, item.cast<const kefu::money&>().fen(), {});
      return true;
    }
    if (f.type == kr::value_type::date) {
      std::int64_t days = 0;
      if (exact_date_days(o, days)) {
        push(c, f, days, {});
        return true;
      }
    }
    const char* utf8 = nullptr;
    Py_ssize_t size = 0;
    if (PyUnicode_CheckExact(o) && f.type != kr::value_type::text && !(utf8 = PyUnicode_AsUTF8AndSize(o, &size)))
      PyErr_Clear();  // not valid Unicode: the general path below says so
    if (utf8) return put_text(c, slot, row, std::string_view(utf8, static_cast<std::size_t>(size)));
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
      push_missing(c, fields()[slot], row);
    }
    return true;
  }

  /// A non-text input's value given as text ("1000.50", "2026-03-01"), parsed as its type; false (and the error
  /// kept with its row) when it cannot be.
  bool put_text(input_column& c, std::size_t slot, std::size_t row, std::string_view text) {
    try {
      rows_.target.set_text(scratch_, slot, std::string(text));
    } catch (const kefu::error&) {
      c.error_row = row;
      c.error = std::current_exception();
      return false;
    }
    push(c, fields()[slot], scratch_.numbers[slot], {});
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
    const auto& f = fields()[slot];
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

  /// The pyarrow array behind a pandas column stored by pyarrow (pandas' default string dtype, or an
  /// ArrowDtype column), as one chunk; None for a column stored otherwise.
  static py::object arrow_array(py::handle values, std::size_t n) {
    if (!py::hasattr(values, "dtype") || !py::hasattr(values, "array")) return py::none();
    const py::object dtype = values.attr("dtype");
    const bool arrow_strings = py::hasattr(dtype, "storage") && py::str(dtype.attr("storage")).cast<std::string>() == "pyarrow";
    if (!arrow_strings && !py::hasattr(dtype, "pyarrow_dtype")) return py::none();
    py::object arrow = py::module_::import("pyarrow").attr("array")(values.attr("array"));
    if (py::hasattr(arrow, "combine_chunks")) arrow = arrow.attr("combine_chunks")();
    if (py::len(arrow) != n) return py::none();
    return arrow;
  }

  /// The validity bitmap of a pyarrow array (nullptr: every value is there).
  static const std::uint8_t* arrow_validity(const py::list& buffers) {
    return buffers[0].is_none() ? nullptr : static_cast<const std::uint8_t*>(py::buffer(buffers[0]).request().ptr);
  }
  static bool arrow_valid(const std::uint8_t* validity, std::size_t k) {
    return !validity || ((validity[k / 8] >> (k % 8)) & 1);
  }

  /// The texts of a pyarrow string or large_string array, read where Arrow keeps them (no Python str per
  /// row): views[row], or missing[row] = 1 (missing stays empty when every row has a text). False for an
  /// array of another type.
  static bool arrow_text_views(const py::object& arrow, std::size_t n, std::vector<std::string_view>& views,
                               std::vector<std::uint8_t>& missing) {
    const std::string type = py::str(arrow.attr("type")).cast<std::string>();
    const bool large = type == "large_string";
    if (!large && type != "string") return false;
    const py::list buffers = arrow.attr("buffers")();
    const auto offset = arrow.attr("offset").cast<std::size_t>();
    const std::uint8_t* validity = arrow_validity(buffers);
    const auto* offsets = static_cast<const char*>(py::buffer(buffers[1]).request().ptr);
    const char* data = buffers[2].is_none() ? "" : static_cast<const char*>(py::buffer(buffers[2]).request().ptr);
    auto at = [&](std::size_t i) -> std::int64_t {
      if (large) return reinterpret_cast<const std::int64_t*>(offsets)[i];
      return reinterpret_cast<const std::int32_t*>(offsets)[i];
    };
    views.resize(n);
    for (std::size_t row = 0; row < n; ++row) {
      const std::size_t k = offset + row;
      if (!arrow_valid(validity, k)) {
        if (missing.empty()) missing.assign(n, 0);
        missing[row] = 1;
        continue;
      }
      const std::int64_t begin = at(k), end = at(k + 1);
      views[row] = std::string_view(data + begin, static_cast<std::size_t>(end - begin));
    }
    return true;
  }

  /// A pandas text column stored by pyarrow (pandas' default string dtype; `arrow` is its arrow_array) for a
  /// text input: the texts are read where Arrow keeps them, without a Python str per row. False for any other
  /// column.
  bool read_arrow_texts(input_column& c, const py::object& arrow, std::size_t n) {
    if (arrow.is_none() || !arrow_text_views(arrow, n, c.views, c.missing)) return false;
    c.keep = arrow;
    c.in_place = true;
    return true;
  }

  /// A text column stored by pyarrow for a money, date, datetime, decimal, int or bool input: each text is
  /// parsed as a Python str of it would be in a dict ("1000.50", "2026-03-01"), without making that str.
  /// False for any other column.
  bool read_arrow_parsed(input_column& c, std::size_t slot, const py::object& arrow, std::size_t n) {
    std::vector<std::string_view> views;
    std::vector<std::uint8_t> missing;
    if (arrow.is_none() || !arrow_text_views(arrow, n, views, missing)) return false;
    const auto& f = fields()[slot];
    for (std::size_t row = 0; row < n; ++row) {
      if (!missing.empty() && missing[row]) {
        push_missing(c, f, row);
        continue;
      }
      if (!put_text(c, slot, row, views[row])) break;
    }
    return true;
  }

  /// A pyarrow date32 column (pandas ArrowDtype) or numpy datetime64[D] array for a date input, read as day
  /// numbers; a null or NaT is a missing value. False for any other column.
  bool read_dates(input_column& c, std::size_t slot, py::handle values, const py::object& arrow, std::size_t n) {
    const auto& f = fields()[slot];
    if (py::isinstance<py::array>(values)) {
      const auto a = py::reinterpret_borrow<py::array>(values);
      if (a.dtype().kind() != 'M' || py::str(numpy().attr("datetime_data")(a.dtype())[py::int_(0)]).cast<std::string>() != "D")
        return false;
      const auto ints = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(a.attr("view")("int64"));
      if (!ints || static_cast<std::size_t>(ints.size()) != n) return false;
      const std::int64_t* v = ints.data();
      for (std::size_t row = 0; row < n; ++row) {
        if (v[row] == std::numeric_limits<std::int64_t>::min())
          push_missing(c, f, row);
        else
          push(c, f, v[row], {});
      }
      return true;
    }
    if (arrow.is_none() || py::str(arrow.attr("type")).cast<std::string>() != "date32[day]") return false;
    const py::list buffers = arrow.attr("buffers")();
    const auto offset = arrow.attr("offset").cast<std::size_t>();
    const std::uint8_t* validity = arrow_validity(buffers);
    const auto* days = static_cast<const std::int32_t*>(py::buffer(buffers[1]).request().ptr);
    for (std::size_t row = 0; row < n; ++row) {
      if (arrow_valid(validity, offset + row))
        push(c, f, days[offset + row], {});
      else
        push_missing(c, f, row);
    }
    return true;
  }

  /// A datetime64 column (numpy, or pandas naive or aware) for a datetime input, read as integers: aware
  /// values are instants, naive ones local time in the zone (as a naive datetime in a dict is read); the
  /// fraction of a second is dropped, as it is for a datetime; NaT is a missing value. False when the
  /// column holds something else.
  bool read_datetimes(input_column& c, std::size_t slot, py::handle values, std::size_t n) {
    if (!py::hasattr(values, "dtype")) return false;
    const py::object dtype = values.attr("dtype");
    if (!py::hasattr(dtype, "kind") || py::str(dtype.attr("kind")).cast<std::string>() != "M") return false;
    // numpy datetime64 and pandas' DatetimeTZDtype only (a pyarrow timestamp[…][pyarrow] column is read value by value).
    const bool numpy_dtype = py::isinstance(dtype, numpy().attr("dtype"));
    if (!numpy_dtype && !(py::hasattr(dtype, "unit") && py::hasattr(dtype, "tz"))) return false;
    const bool aware = !numpy_dtype && !dtype.attr("tz").is_none();
    const std::string unit = numpy_dtype ? py::str(numpy().attr("datetime_data")(dtype)[py::int_(0)]).cast<std::string>()
                                         : py::str(dtype.attr("unit")).cast<std::string>();
    const std::int64_t per_second = unit == "s" ? 1 : unit == "ms" ? 1000 : unit == "us" ? 1000000 : unit == "ns" ? 1000000000 : 0;
    if (per_second == 0) return false;
    // pandas: as numpy datetime64 in the same unit (aware values become UTC); numpy: as is.
    const py::object numpy_values = py::isinstance<py::array>(values)
                                        ? py::reinterpret_borrow<py::object>(values)
                                        : values.attr("to_numpy")(py::arg("dtype") = py::str("datetime64[" + unit + "]"));
    const auto ints = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(numpy_values.attr("view")("int64"));
    if (!ints || static_cast<std::size_t>(ints.size()) != n) return false;
    const std::int64_t* v = ints.data();
    const auto& zone = rows_.target.zone();
    for (std::size_t row = 0; row < n; ++row) {
      if (v[row] == std::numeric_limits<std::int64_t>::min()) {  // NaT
        push_missing(c, fields()[slot], row);
        continue;
      }
      const std::int64_t s = kefu::detail::floor_div(v[row], per_second);
      c.numbers.push_back(aware ? s : zone.from_local_seconds(s).unix_seconds());
    }
    return true;
  }

  /// Values given as codes into a few distinct values (a pandas Categorical, a factorized string
  /// column): each distinct value is read once; a code below 0 is a missing value.
  void read_coded(input_column& c, std::size_t slot, py::handle codes_array, const py::list& distinct, std::size_t n) {
    const auto codes = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(codes_array);
    if (!codes) throw py::error_already_set();
    read_coded(c, slot, codes.data(), distinct, n);
  }

  /// The texts of an Arrow string column for an enum input, coded here (a hash of each text) rather than by
  /// pandas.factorize, which goes through Arrow's dictionary_encode and a Python round trip: each distinct text is
  /// then read once as read_coded reads it. False for a column that is not Arrow strings.
  bool read_arrow_coded(input_column& c, std::size_t slot, const py::object& arrow, std::size_t n) {
    std::vector<std::string_view> views;
    std::vector<std::uint8_t> missing;
    if (arrow.is_none() || !arrow_text_views(arrow, n, views, missing)) return false;
    std::unordered_map<std::string_view, std::int64_t> index;
    std::vector<std::int64_t> codes(n);
    py::list distinct;
    std::string_view last;
    std::int64_t last_code = -1;
    for (std::size_t row = 0; row < n; ++row) {
      if (!missing.empty() && missing[row]) {
        codes[row] = -1;
        continue;
      }
      const std::string_view v = views[row];
      if (last_code >= 0 && v == last) {  // runs of one value (sorted or grouped tickets) skip the hash
        codes[row] = last_code;
        continue;
      }
      const auto [at, added] = index.emplace(v, static_cast<std::int64_t>(index.size()));
      if (added) {
        PyObject* text = PyUnicode_DecodeUTF8(v.data(), static_cast<Py_ssize_t>(v.size()), "strict");
        if (!text) throw py::error_already_set();
        distinct.append(py::reinterpret_steal<py::object>(text));
      }
      codes[row] = last_code = at->second;
      last = v;
    }
    read_coded(c, slot, codes.data(), distinct, n);
    return true;
  }

  void read_coded(input_column& c, std::size_t slot, const std::int64_t* code, const py::list& distinct, std::size_t n) {
    const auto& f = fields()[slot];
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
    for (std::size_t row = 0; row < n; ++row) {
      const std::int64_t k = code[row];
      if (k < 0) {
        push_missing(c, fields()[slot], row);
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

  const std::vector<kr::field>& fields() const { return rows_.target.fields(); }

  const Rows& rows_;
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

/// A list of dicts, gathered into columns. Any row that cannot be read is read again by the row
/// reader, so the error is the one evaluate_many raises.
kr::decision_columns decide_dicts(const kr::policy& policy, const policy_rows& reader, py::handle data) {
  const kr::policy* p = &policy;
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
  column_reader<policy_rows> columns(reader);
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
  py::gil_scoped_release release;
  return kr::evaluate_columns(b);
}


/// The columns of a DataFrame or a dict of columns (`items`: its items()), read for `reader`'s fields; n is
/// the number of rows.
template <class Rows>
void read_columns(const Rows& reader, py::handle items, std::vector<input_column>& cols, std::vector<std::size_t>& order,
                  std::size_t& n, bool strict) {
  const auto& fields = reader.target.fields();
  column_reader<Rows> columns(reader);
  cols.assign(fields.size(), input_column{});
  order.clear();
  n = 0;
  std::string first;
  for (auto item : items) {
    const py::tuple kv = item.cast<py::tuple>();
    // A frame's other columns (ids, names, notes …) are not the policy's business unless strict asks.
    if (!strict && !dict_find(reader.slots, kv[0].ptr())) continue;
    const std::size_t slot = reader.slot_of(kv[0]);
    const std::string name = fields[slot].name;
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
}

/// The items of a DataFrame (its index kept in `index`) or of a mapping of columns; `what` names the caller.
py::object column_items(py::handle data, py::object& index, const char* what) {
  if (is_frame(data)) {
    index = data.attr("index");
    return data.attr("items")();
  }
  if (py::hasattr(data, "column_names") && py::hasattr(data, "to_pandas")) {  // a pyarrow Table
    // Dates stay Arrow date32 (read as day numbers), not a Python date object per row.
    const py::object is_date32 = py::module_::import("pyarrow").attr("types").attr("is_date32");
    const py::object arrow_dtype = py::module_::import("pandas").attr("ArrowDtype");
    const py::cpp_function keep_dates([is_date32, arrow_dtype](const py::object& type) -> py::object {
      return is_date32(type).cast<bool>() ? arrow_dtype(type) : py::none();
    });
    const py::object frame = data.attr("to_pandas")(py::arg("types_mapper") = keep_dates);
    index = frame.attr("index");
    return frame.attr("items")();
  }
  if (PyDict_Check(data.ptr()) || (py::hasattr(data, "items") && py::hasattr(data, "keys"))) return data.attr("items")();
  throw py::type_error(std::string(what) + ": expected a pandas DataFrame, a pyarrow Table or a dict of columns, got " +
                       type_name(data));
}

}  // namespace

kr::decision_columns decide_columns(const kr::policy& policy, py::handle data, py::object& index, bool strict) {
  const kr::policy* p = &policy;
  const policy_rows reader(policy_target{p});
  if (PyList_Check(data.ptr()) || PyTuple_Check(data.ptr())) return decide_dicts(policy, reader, data);
  if (!is_frame(data) && !PyDict_Check(data.ptr()) && !(py::hasattr(data, "items") && py::hasattr(data, "keys")))
    throw py::type_error("evaluate_columns: expected a pandas DataFrame, a dict of columns or a list of dicts, got " +
                         type_name(data));
  const py::object items = column_items(data, index, "evaluate_columns");
  std::vector<input_column> cols;
  std::vector<std::size_t> order;
  std::size_t n = 0;
  read_columns(reader, items, cols, order, n, strict);
  if (order.empty() && index) n = py::len(index);  // a frame of other columns: its rows take the defaults
  return decide(*p, cols, order, n);
}

namespace {

/// A DataFrame, Table or dict of columns read as facts of a triage policy: the batch and the converted
/// columns it borrows.
struct fact_columns {
  std::vector<input_column> cols;
  std::unique_ptr<kr::batch> batch;

  fact_columns(const kr::triage_policy& t, py::handle data, py::object& index, const char* what, bool strict) {
    const facts_rows reader(triage_target{&t});
    const py::object items = column_items(data, index, what);
    std::vector<std::size_t> order;
    std::size_t n = 0;
    if (index && py::len(index) == 0) {  // no rows: nothing to read (and nothing to refuse, as for an empty list)
      batch = std::make_unique<kr::batch>(t, 0);
      return;
    }
    try {
      read_columns(reader, items, cols, order, n, strict);
    } catch (const kefu::error& e) {  // an unknown fact: the first row read names it, as a dict would
      kefu::rethrow_with_prefix(e, row_prefix(0));
    }
    if (order.empty() && index) n = py::len(index);
    batch = std::make_unique<kr::batch>(t, n);
    for (const std::size_t s : order) cols[s].add_to(*batch, s, t.facts()[s].type == kr::value_type::text);
  }
};

}  // namespace

kr::triage_columns triage_columns_of(const kr::triage_policy& t, py::handle data, py::object& index, unsigned threads,
                                     bool strict) {
  const fact_columns facts(t, data, index, "triage_columns", strict);
  kr::batch_options options;
  options.threads = threads;
  py::gil_scoped_release release;
  return kr::triage_batch(*facts.batch, options);
}

kr::triage_changes diff_columns_of(const kr::triage_policy& old_rules, const kr::triage_policy& new_rules, py::handle old_data,
                                   py::handle new_data, const std::vector<std::size_t>& outputs, unsigned threads) {
  py::object index;
  const fact_columns old_facts(old_rules, old_data, index, "diff_policies", false);
  kr::batch_options options;
  options.threads = threads;
  if (new_data.is_none()) {
    py::gil_scoped_release release;
    return kr::diff_policies(old_rules, new_rules, *old_facts.batch, outputs, options);
  }
  py::object new_index;
  const fact_columns new_facts(new_rules, new_data, new_index, "diff_policies", false);
  if (new_facts.batch->rows() != old_facts.batch->rows())
    throw py::value_error("diff_policies: the new rules' facts have " + std::to_string(new_facts.batch->rows()) +
                          " rows, the old rules' " + std::to_string(old_facts.batch->rows()));
  py::gil_scoped_release release;
  const auto a = kr::triage_batch(*old_facts.batch, options);
  const auto b = kr::triage_batch(*new_facts.batch, options);
  return kr::diff_triage(a, b, outputs);
}

}  // namespace kefu::python
