// kefu — the typed values that policies read and write.
//
// Every value is an int64 in its type's unit, so evaluation compares integers and never parses or
// allocates: bool 0/1, int as is, decimal in millionths, money in fen, duration in seconds, date in
// days since 1970-01-01, datetime in seconds since 1970-01-01Z, enum as the index of its value, set
// as a bit mask of enum values (at most 64). Text is kept as text. A deadline keeps its amount in
// `number` and its canonical spelling ("3 workdays") in `text`; it is read by triage, not compared.
#pragma once

#include <kefu/error.hpp>
#include <kefu/time.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kefu::rules {

enum class value_type : std::uint8_t {
  boolean, integer, decimal, money, duration, date, datetime, enumeration, set, text,
  deadline,  ///< a duration on a clock ("24h", "4 business hours", "3 workdays"): outputs that set SLA targets
};

inline const char* to_string(value_type t) noexcept {
  switch (t) {
    case value_type::boolean: return "bool";
    case value_type::integer: return "int";
    case value_type::decimal: return "decimal";
    case value_type::money: return "money";
    case value_type::duration: return "duration";
    case value_type::date: return "date";
    case value_type::datetime: return "datetime";
    case value_type::enumeration: return "enum";
    case value_type::set: return "set";
    case value_type::text: return "text";
    case value_type::deadline: return "deadline";
  }
  return "?";
}

/// Decimal values are millionths.
inline constexpr std::int64_t decimal_scale = 1'000'000;

/// A declared input or output of a policy.
struct field {
  std::string name;
  value_type type = value_type::text;
  std::vector<std::string> values;        ///< enum and set values
  std::optional<std::string> default_text;  ///< inputs: used when a record leaves the field out
  std::string description;
  source_location where;
  // Facts vocabulary only (facts.yaml): how the field is given.
  bool required = false;  ///< every set of facts must give it
  std::string derived;    ///< non-empty: kefu computes it (this says how); giving it is an error
  bool personal = false;  ///< customer personal data: never printed in clear (DOM-PRIV-1)
  bool non_negative = false;  ///< a count or an amount that cannot be below zero (refused when given)

  /// Index of an enum/set value, or -1.
  int value_index(const std::string& v) const {
    for (std::size_t i = 0; i < values.size(); ++i)
      if (values[i] == v) return static_cast<int>(i);
    return -1;
  }
};

/// One typed value: `number` in the type's unit, `text` for text fields.
struct value {
  std::int64_t number = 0;
  std::string text;
  friend bool operator==(const value& a, const value& b) noexcept { return a.number == b.number && a.text == b.text; }
};

/// Reads the text form of a value of `f` ("true", "12", "1000.50", "¥1,000", "2h", "2026-02-14",
/// "2026-02-14T10:00:00+08:00", an enum value, "[a, b]" or "a, b" for sets). Throws parse_error with
/// a message that names the field — "<noun> 'name': " in front ("input", "output", "fact"; nullptr: no
/// prefix) — and what it expected; id kefu.rules.unknown_value for a value not among an enum's or set's
/// values, else kefu.rules.bad_value (or the money or duration reader's own specific id).
value parse_value(const field& f, const std::string& text, const time_zone& zone = time_zone::utc(),
                  const char* noun = "input");

/// The text form of a value (inverse of parse_value).
std::string format_value(const field& f, const value& v, const time_zone& zone = time_zone::utc());

}  // namespace kefu::rules
