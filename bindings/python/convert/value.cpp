// Python values ↔ kefu::rules values (convert/value.hpp).
#include "convert/value.hpp"

#include "convert/datetime.hpp"

#include <kefu/money.hpp>

#include <climits>
#include <cstdint>

namespace py = pybind11;
namespace kr = kefu::rules;

namespace kefu::python {

std::string type_name(py::handle v) { return py::str(py::type::of(v).attr("__name__")); }

/// A Python value to the text form parse_value reads, checking its Python type against the field.
std::string to_text(const kr::field& f, py::handle v, const kefu::time_zone& zone) {
  auto wrong = [&](const char* expected, const std::string& way_out = {}) -> std::string {
    throw kefu::parse_error("input '" + f.name + "': expected " + expected + ", got " + type_name(v) + way_out, {}, {},
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
        throw kefu::parse_error("input '" + f.name + "': money cannot be a float (inexact); pass text, a Decimal or kefu.Money"
                                " (a CSV read by pandas.read_csv gives floats: read it with kefu.read_tickets(path), or "
                                "pd.read_csv(path, dtype={'" + f.name + "': str}))",
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
    case kr::value_type::text:
      if (py::isinstance<py::int_>(v) || py::isinstance<py::float_>(v) || py::hasattr(v, "__index__"))
        return wrong("text", " (digits read as a number lose their leading zeros, as pandas.read_csv reads a phone or "
                             "order number: read the file with kefu.read_tickets(path), or pd.read_csv(path, dtype={'" + f.name +
                             "': str}))");
      return wrong("text");
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
      if (exact_date_days(v.ptr(), out.number)) return out;
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

}  // namespace kefu::python
