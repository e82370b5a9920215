#include <kefu/calendar/duration.hpp>
#include <kefu/detail/suggest.hpp>
#include <kefu/money.hpp>
#include <kefu/rules/value.hpp>

namespace kefu::rules {

namespace {

std::string trim(const std::string& t) {
  const auto b = t.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  return t.substr(b, t.find_last_not_of(" \t") - b + 1);
}

/// "input 'days': " — what messages about a value of `f` start with (nothing without a noun).
std::string prefix(const field& f, const char* noun) { return noun ? std::string(noun) + " '" + f.name + "': " : std::string(); }

[[noreturn]] void bad(const field& f, const char* noun, const std::string& text, const std::string& expected) {
  throw parse_error(prefix(f, noun) + "bad " + to_string(f.type) + " '" + text + "': expected " + expected, {}, {},
                    "kefu.rules.bad_value");
}

/// A parse error of a value's own reader (money, duration) with the field named in front: its own id when it
/// has a specific one, else kefu.rules.bad_value.
[[noreturn]] void bad_because(const field& f, const char* noun, const parse_error& e) {
  const bool generic = e.id() == "kefu.parse" || e.id() == "kefu.error";
  throw parse_error(prefix(f, noun) + e.detail(), e.where(), e.rule_id(), generic ? "kefu.rules.bad_value" : e.id());
}

std::int64_t fixed_point(const field& f, const char* noun, const std::string& text, int decimals, const char* expected) {
  std::string t = trim(text);
  bool negative = false;
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
    negative = t[0] == '-';
    t.erase(0, 1);
  }
  const std::size_t dot = t.find('.');
  const std::string whole = t.substr(0, dot), frac = dot == std::string::npos ? "" : t.substr(dot + 1);
  if (whole.empty() || whole.size() > 15 || (dot != std::string::npos && frac.empty()) ||
      static_cast<int>(frac.size()) > decimals)
    bad(f, noun, text, expected);
  for (const char c : whole + frac)
    if (c < '0' || c > '9') bad(f, noun, text, expected);
  std::int64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  std::int64_t v = std::stoll(whole) * scale, unit = scale;
  for (const char c : frac) {
    unit /= 10;
    v += (c - '0') * unit;
  }
  return negative ? -v : v;
}

std::string fixed_text(std::int64_t v, int decimals) {
  std::int64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const bool negative = v < 0;
  const std::uint64_t a = negative ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  std::string out = std::to_string(a / static_cast<std::uint64_t>(scale));
  std::string frac = std::to_string(a % static_cast<std::uint64_t>(scale));
  frac.insert(0, static_cast<std::size_t>(decimals) - frac.size(), '0');
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  if (!frac.empty()) out += "." + frac;
  return (negative ? "-" : "") + out;
}

}  // namespace

value parse_value(const field& f, const std::string& text, const time_zone& zone, const char* noun) {
  value v;
  switch (f.type) {
    case value_type::boolean:
      if (text == "true") v.number = 1;
      else if (text == "false") v.number = 0;
      else if (const char* meant = kefu::detail::boolean_meant(trim(text)))
        throw parse_error(prefix(f, noun) + "bad bool '" + text + "': write " + meant +
                              " (a yes/no value is true or false / 请写 " + meant + ")",
                          {}, {}, "kefu.rules.bad_value");
      else bad(f, noun, text, "true or false");
      return v;
    case value_type::integer: v.number = fixed_point(f, noun, text, 0, "a whole number such as 3"); return v;
    case value_type::decimal: v.number = fixed_point(f, noun, text, 6, "a number with at most 6 decimals"); return v;
    case value_type::money:
      try {
        v.number = kefu::money::parse(text).fen();
      } catch (const parse_error& e) {
        bad_because(f, noun, e);
      }
      return v;
    case value_type::duration: {
      kefu::calendar::duration d;
      try {
        d = kefu::calendar::parse_duration(text);
      } catch (const parse_error& e) {
        bad_because(f, noun, e);
      }
      if (d.kind != kefu::calendar::clock::wall) bad(f, noun, text, "a wall-clock duration such as 90s, 10min or 2h");
      v.number = d.amount;
      return v;
    }
    case value_type::date:
      if (!kefu::parse_days(trim(text), v.number)) bad(f, noun, text, "an existing date as YYYY-MM-DD");
      return v;
    case value_type::datetime:
      try {
        v.number = kefu::parse_instant(trim(text), zone).unix_seconds();
      } catch (const parse_error&) {
        bad(f, noun, text, "a date-time such as 2026-02-14T10:00:00+08:00");
      }
      return v;
    case value_type::enumeration: {
      const int i = f.value_index(trim(text));
      if (i < 0) {
        std::string list;
        for (const auto& s : f.values) list += (list.empty() ? "" : ", ") + s;
        throw parse_error(prefix(f, noun) + "'" + text + "' is not one of " + list + kefu::detail::did_you_mean(trim(text), f.values),
                          {}, {}, "kefu.rules.unknown_value");
      }
      v.number = i;
      return v;
    }
    case value_type::set: {
      std::string t = trim(text);
      if (!t.empty() && t.front() == '[' && t.back() == ']') t = t.substr(1, t.size() - 2);
      std::size_t start = 0;
      while (start <= t.size()) {
        const std::size_t comma = t.find(',', start);
        const std::string item = trim(t.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (!item.empty()) {
          const int i = f.value_index(item);
          if (i < 0)
            throw parse_error(prefix(f, noun) + "'" + item + "' is not one of its values" + kefu::detail::did_you_mean(item, f.values),
                              {}, {}, "kefu.rules.unknown_value");
          v.number |= std::int64_t(1) << i;
        }
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      return v;
    }
    case value_type::text: v.text = text; return v;
    case value_type::deadline:
      try {
        const auto d = kefu::calendar::parse_duration(text);
        v.number = d.amount;
        v.text = kefu::calendar::to_string(d);
      } catch (const parse_error& e) {
        bad_because(f, noun, e);
      }
      return v;
  }
  return v;
}

std::string format_value(const field& f, const value& v, const time_zone& zone) {
  switch (f.type) {
    case value_type::boolean: return v.number ? "true" : "false";
    case value_type::integer: return std::to_string(v.number);
    case value_type::decimal: return fixed_text(v.number, 6);
    case value_type::money: return kefu::money::from_fen(v.number).to_string();
    case value_type::duration: return kefu::calendar::to_string(kefu::calendar::duration::wall_seconds(v.number));
    case value_type::date: return kefu::format_days(v.number);
    case value_type::datetime: return kefu::format_instant(kefu::instant::from_unix(v.number), zone);
    case value_type::enumeration:
      return v.number >= 0 && static_cast<std::size_t>(v.number) < f.values.size() ? f.values[static_cast<std::size_t>(v.number)]
                                                                                  : "?";
    case value_type::set: {
      std::string out;
      for (std::size_t i = 0; i < f.values.size(); ++i)
        if ((v.number >> i) & 1) out += (out.empty() ? "" : ", ") + f.values[i];
      return "[" + out + "]";
    }
    case value_type::text: return v.text;
    case value_type::deadline: return v.text;
  }
  return {};
}

}  // namespace kefu::rules
