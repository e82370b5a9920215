// kefu — ticket snapshots: to_json / from_json, plan_to_json and plan_difference, on nlohmann-json.
//
// The format is the one snapshots have always had (kefu_ticket 1): compact JSON with a line break before each
// tier of the plan and before each history and deadline-change record, escapes as \uXXXX except \" \\ \n \r
// \t. to_json() writes it byte for byte (tests/data/ticket-snapshots/ pins it). from_json() is strict: unknown
// or duplicate members, wrong types and numbers that are not integers are errors naming the member's path,
// with the line and column where its value starts; the history is replayed and must lead to the recorded
// states, flags and clocks. Every error is a parse_error with id kefu.ticket.snapshot.
#include "internal.hpp"

#include <kefu/calendar/load.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <iterator>
#include <limits>
#include <utility>

namespace kefu::ticket {

namespace {

using json = nlohmann::ordered_json;  // members keep the order they are written and read in

constexpr const char* snapshot_error_id = "kefu.ticket.snapshot";

[[noreturn]] void fail_at(const std::string& what, int line, int column) {
  throw parse_error("ticket snapshot: " + what, source_location{"<json>", line, column}, {}, snapshot_error_id);
}

// ---- writing ----------------------------------------------------------------------------------------------

/// An object built member by member in the order they are written, with room made first (a member of
/// ordered_json is copied, not moved, when its object grows).
class object_builder {
 public:
  explicit object_builder(std::size_t members) { v_.get_ref<json::object_t&>().reserve(members); }
  object_builder& add(const char* key, json value) {
    v_.get_ref<json::object_t&>().emplace_back(key, std::move(value));
    return *this;
  }
  json done() { return std::move(v_); }

 private:
  json v_ = json::object();
};

json target_json(const std::optional<sla_target>& t) {
  if (!t) return nullptr;
  object_builder w(1);
  if (t->warning.lead) {
    w.add("lead", t->warning.lead->count());
  } else {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, t->warning.fraction);  // shortest text that reads back exactly
    w.add("fraction", std::string(buf, r.ptr));
  }
  return object_builder(4)
      .add("clock", clock_kind_name(t->within.kind))
      .add("amount", t->within.amount)
      .add("calendar", t->on ? t->on->name() : std::string())
      .add("warning", w.done())
      .done();
}

json plan_json(const ticket_plan& plan) {
  object_builder tiers(tier_count);
  for (std::size_t i = 0; i < tier_count; ++i) {
    const tier_targets& t = plan.tiers[i];
    tiers.add(to_string(static_cast<tier>(i)), object_builder(5)
                                                   .add("first_response", target_json(t.first_response))
                                                   .add("resolution", target_json(t.resolution))
                                                   .add("follow_up", target_json(t.follow_up))
                                                   .add("follow_up_required", t.follow_up_required)
                                                   .add("report_required", t.report_required)
                                                   .done());
  }
  return object_builder(3)
      .add("reopen_window", plan.reopen_window.count())
      .add("system_operator", plan.system_operator)
      .add("tiers", tiers.done())
      .done();
}

void dump(std::string& out, const json& v) { out += v.dump(); }

/// `{"key":value,...}`, each value written by `value(out, key, v)`, each member after `before`.
template <class F>
void object_to(std::string& out, const json& object, F value, const char* before = "") {
  out += '{';
  bool first = true;
  for (const auto& [key, v] : object.items()) {
    if (!first) out += ',';
    first = false;
    out += before;
    out += '"';  // the keys are kefu's own identifiers: nothing to escape
    out += key;
    out += "\":";
    value(out, key, v);
  }
  out += '}';
}

/// The plan, with a line break and two spaces before each tier.
void plan_layout(std::string& out, const json& plan) {
  object_to(out, plan, [](std::string& o, const std::string& key, const json& v) {
    if (key != "tiers") return dump(o, v);
    object_to(o, v, [](std::string& oo, const std::string&, const json& tier) { dump(oo, tier); }, "\n  ");
  });
}

/// `[\n{…},\n{…}]`: one record a line.
void records_to(std::string& out, const json& records) {
  out += '[';
  bool first = true;
  for (const auto& r : records) {
    if (!first) out += ',';
    first = false;
    out += '\n';
    dump(out, r);
  }
  out += ']';
}

/// nlohmann-json writes U+0008 and U+000C as \b and \f, where snapshots have always had \u0008 and \u000c
/// (both read back the same; the bytes stay what they were). In the output every backslash starts an escape.
void classic_escapes(std::string& out) {
  std::size_t at = out.find('\\');
  if (at == std::string::npos) return;
  std::string fixed;
  std::size_t copied = 0;
  for (; at != std::string::npos; at = out.find('\\', at + 2)) {
    const char next = out[at + 1];
    if (next != 'b' && next != 'f') continue;
    if (fixed.empty()) fixed.reserve(out.size() + 16);
    fixed.append(out, copied, at - copied);
    fixed += next == 'b' ? "\\u0008" : "\\u000c";
    copied = at + 2;
  }
  if (copied == 0) return;
  fixed.append(out, copied, std::string::npos);
  out.swap(fixed);
}

/// Runs a writer; text that is not UTF-8 cannot be written as JSON and is refused, naming the ticket.
template <class F>
std::string written(const std::string& what, F write) {
  std::string out;
  try {
    write(out);
  } catch (const json::type_error& e) {
    throw error("ticket snapshot: cannot write " + what + ": a text in it is not valid UTF-8 (" + e.what() + ")", {}, {},
                snapshot_error_id);
  }
  classic_escapes(out);
  return out;
}

// ---- reading: a JSON document with where each value starts --------------------------------------------------

/// Where each value of the document starts (a byte offset), in a tree beside nlohmann's: the items of an array
/// and the members of an object in document order (ordered_json keeps that order). Lines and columns are
/// counted from the offset only for an error.
struct located {
  std::size_t at = 0;
  std::vector<located> kids;
};

/// Line and column (1-based, in bytes) of the byte at `offset`.
struct position {
  int line = 1;
  int column = 1;
};
position position_of(std::string_view text, std::size_t offset) {
  position p;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  return p;
}

/// The text as nlohmann's lexer reads it, one character at a time and each once: the iterator notes the last
/// character read, so the SAX events below know where the lexer stands.
class noting_iterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  noting_iterator(const char* p, const char** last) : p_(p), last_(last) {}
  const char& operator*() const {
    *last_ = p_;
    return *p_;
  }
  noting_iterator& operator++() {
    ++p_;
    return *this;
  }
  noting_iterator operator++(int) {
    noting_iterator old = *this;
    ++p_;
    return old;
  }
  friend bool operator==(const noting_iterator& a, const noting_iterator& b) { return a.p_ == b.p_; }
  friend bool operator!=(const noting_iterator& a, const noting_iterator& b) { return a.p_ != b.p_; }

 private:
  const char* p_;
  const char** last_;
};

bool word_char(char c) {
  return c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/// Where the number or literal (true, false, null) that ends at or just before `end` starts (the lexer reads
/// one character past a number).
std::size_t word_start(std::string_view text, std::size_t end) {
  if (end >= text.size() || (!word_char(text[end]) && end > 0)) --end;
  while (end > 0 && word_char(text[end - 1])) --end;
  return end;
}

/// Where the string whose closing quote is at `close` opens: the nearest quote before it not escaped (preceded
/// by an even number of backslashes).
std::size_t string_start(std::string_view text, std::size_t close) {
  std::size_t q = close;
  while (q > 0) {
    q = text.rfind('"', q - 1);
    if (q == std::string_view::npos) return 0;
    std::size_t slashes = 0;
    while (q > slashes && text[q - 1 - slashes] == '\\') ++slashes;
    if (slashes % 2 == 0) return q;
  }
  return 0;
}

/// A syntax error as nlohmann-json reports it, in the words snapshots' errors have always used where there
/// is one (tests pin some), else nlohmann's own.
std::string syntax_message(std::string m, const std::string& last_token) {
  if (const auto colon = m.find(": "); m.rfind("[json.exception", 0) == 0 && colon != std::string::npos) m.erase(0, colon + 2);
  const bool lexer = m.find("; last read: ") != std::string::npos;
  auto has = [&](const char* s) { return m.find(s) != std::string::npos; };
  if (has("while parsing object key")) return "expected a member name in quotes";
  if (has("; expected end of input")) return "unexpected text after the JSON value";
  if (lexer) {
    if (has("control character")) return "control character in a string (escape it)";
    if (has("forbidden character after backslash"))
      return last_token.empty() ? "bad escape" : "bad escape '\\" + last_token.substr(last_token.size() - 1) + "'";
    if (has("must be followed by 4 hex digits")) return "bad \\u escape";
    if (has("surrogate")) return "unpaired surrogate in \\u escape";
    if (has("missing closing quote")) return "unterminated string";
    if (has("ill-formed UTF-8")) return "a string is not valid UTF-8";
    if (has("expected digit after '-'")) return "expected digits";
    if (has("after '.'") || has("after exponent")) return "only integers are expected in a ticket snapshot";
    if (has("invalid literal")) return "expected a JSON value";
  }
  if (has("unexpected end of input")) return "unexpected end of input";
  if (has("expected ':'")) return "expected ':'";
  if (has("while parsing object")) return "expected ',' or '}'";
  if (has("while parsing array")) return "expected ',' or ']'";
  if (has("while parsing value")) return "expected a JSON value";
  if (m.rfind("syntax error ", 0) == 0) m.erase(0, 13);
  return m;
}

/// nlohmann-json's SAX events into an ordered_json document and the tree of where each value starts.
class builder {
 public:
  builder(std::string_view text, const char* const* last) : text_(text), last_(last) {}

  json root;
  located root_at;

  bool null() { return scalar(nullptr, word()); }
  bool boolean(bool b) { return scalar(b, word()); }
  bool number_integer(json::number_integer_t n) { return scalar(n, word()); }
  bool number_unsigned(json::number_unsigned_t n) {
    if (n > static_cast<json::number_unsigned_t>(std::numeric_limits<std::int64_t>::max())) fail("integer too large", word());
    return scalar(static_cast<std::int64_t>(n), word());
  }
  bool number_float(json::number_float_t, const json::string_t& text) {
    const bool integer = text.find_first_of(".eE") == std::string::npos;  // an integer past the 64-bit range
    fail(integer ? "integer too large" : "only integers are expected in a ticket snapshot", word());
  }
  bool string(json::string_t& s) { return scalar(std::move(s), quoted()); }
  bool binary(json::binary_t&) { return false; }  // not in JSON text
  bool start_object(std::size_t) {
    json object = json::object();
    object.get_ref<json::object_t&>().reserve(12);  // snapshots' objects have at most 11 members: no regrowth
    return open(std::move(object), here());
  }
  bool key(json::string_t& k) {
    if (open_.back().value->contains(k)) fail("duplicate member '" + k + "'", quoted());
    key_ = std::move(k);
    return true;
  }
  bool end_object() {
    open_.pop_back();
    return true;
  }
  bool start_array(std::size_t) { return open(json::array(), here()); }
  bool end_array() {
    open_.pop_back();
    return true;
  }
  bool parse_error(std::size_t byte, const std::string& last_token, const json::exception& e) {
    // `byte` counts the characters read, the offending one included. A character the lexer could not take is
    // pointed at; an unexpected token or a misspelt literal at its first character; a missing value at the
    // end of the text.
    const std::string_view what = e.what();
    auto has = [&](const char* s) { return what.find(s) != std::string_view::npos; };
    const std::size_t at = byte == 0 ? 0 : byte - 1;
    std::size_t offset = at;
    if (has("unexpected end of input")) offset = text_.size();
    else if (has("invalid literal")) offset = word_start(text_, at);
    else if (has("; last read: ")) offset = at;
    else if (has("unexpected string literal")) offset = quoted();
    else if (has("unexpected number literal") || has("unexpected true literal") || has("unexpected false literal") ||
             has("unexpected null literal"))
      offset = word();
    const position p = position_of(text_, offset);
    // JSON numbers have no leading zeros: nlohmann reads 01 as 0 followed by an unexpected 1.
    const std::string_view number = text_.substr(std::min(offset, text_.size()));
    const std::string_view digits = number.substr(!number.empty() && number[0] == '-' ? 1 : 0);
    if (has("unexpected number literal") && digits.size() > 1 && digits[0] == '0' && digits[1] >= '0' && digits[1] <= '9')
      fail_at("leading zero", p.line, p.column);
    fail_at(syntax_message(e.what(), last_token), p.line, p.column);
  }

 private:
  struct frame {
    json* value;
    located* at;
  };

  std::size_t here() const { return *last_ ? static_cast<std::size_t>(*last_ - text_.data()) : 0; }
  std::size_t word() const { return word_start(text_, here()); }
  std::size_t quoted() const { return string_start(text_, here()); }

  [[noreturn]] void fail(const std::string& what, std::size_t offset) const {
    const position p = position_of(text_, offset);
    fail_at(what, p.line, p.column);
  }

  /// Adds a value where the document stands; returns where it went.
  frame add(json v, std::size_t offset) {
    if (open_.size() > max_depth) fail("nesting too deep", offset);
    if (open_.empty()) {
      root = std::move(v);
      root_at.at = offset;
      return {&root, &root_at};
    }
    frame& parent = open_.back();
    parent.at->kids.push_back({offset, {}});
    if (parent.value->is_array()) {
      parent.value->push_back(std::move(v));
      return {&parent.value->back(), &parent.at->kids.back()};
    }
    auto placed = parent.value->get_ref<json::object_t&>().emplace(std::move(key_), std::move(v));
    return {&placed.first->second, &parent.at->kids.back()};
  }
  bool scalar(json v, std::size_t offset) {
    add(std::move(v), offset);
    return true;
  }
  bool open(json v, std::size_t offset) {
    open_.push_back(add(std::move(v), offset));
    return true;
  }

  static constexpr std::size_t max_depth = 32;
  std::string_view text_;
  const char* const* last_;
  std::vector<frame> open_;
  std::string key_;
};

/// A value of the document with where it starts.
struct node {
  const json& v;
  const located& at;
  std::string_view text;
};

/// An object's member by index (ordered_json's object is a vector of pairs in document order).
const json::object_t::value_type& member_at(const json::object_t& members, std::size_t k) {
  return *(members.begin() + static_cast<std::ptrdiff_t>(k));
}

[[noreturn]] void fail_at(const std::string& what, const node& n) {
  const position p = position_of(n.text, n.at.at);
  fail_at(what, p.line, p.column);
}

/// Typed access to an object's members: every member must be read exactly once (unknown ones are errors).
class jobject {
 public:
  jobject(node n, std::string path) : n_(n), path_(std::move(path)) {
    if (!n.v.is_object()) fail_at(path_ + ": expected an object", n);
    used_.assign(n.v.size(), false);
  }
  node get(const char* key) {
    const auto& members = n_.v.get_ref<const json::object_t&>();
    for (std::size_t k = 0; k < members.size(); ++k)
      if (member_at(members, k).first == key) {
        used_[k] = true;
        return {member_at(members, k).second, n_.at.kids[k], n_.text};
      }
    fail_at(path_ + ": missing member '" + key + "'", n_);
  }
  bool has(const char* key) const { return n_.v.contains(key); }
  std::string str(const char* key) {
    const node x = get(key);
    if (!x.v.is_string()) fail_at(where(key) + ": expected a string", x);
    return x.v.get_ref<const std::string&>();
  }
  bool boolean(const char* key) {
    const node x = get(key);
    if (!x.v.is_boolean()) fail_at(where(key) + ": expected true or false", x);
    return x.v.get<bool>();
  }
  std::int64_t integer(const char* key) {
    const node x = get(key);
    if (!x.v.is_number_integer()) fail_at(where(key) + ": expected an integer", x);
    return x.v.get<std::int64_t>();
  }
  instant time(const char* key) {
    const node x = get(key);
    if (!x.v.is_string()) fail_at(where(key) + ": expected a date-time string", x);
    try {
      return parse_instant(x.v.get_ref<const std::string&>());
    } catch (const parse_error& e) {
      fail_at(where(key) + ": " + e.detail(), x);
    }
  }
  void done() const {
    const auto& members = n_.v.get_ref<const json::object_t&>();
    for (std::size_t k = 0; k < used_.size(); ++k)
      if (!used_[k]) fail_at(path_ + ": unknown member '" + member_at(members, k).first + "'", node{member_at(members, k).second, n_.at.kids[k], n_.text});
  }
  std::string where(const char* key) const { return path_ + "." + key; }
  node value() const { return n_; }

 private:
  node n_;
  std::string path_;
  std::vector<bool> used_;
};

/// The items of an array value.
std::vector<node> items_of(const node& n) {
  std::vector<node> out;
  const auto& items = n.v.get_ref<const json::array_t&>();
  out.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) out.push_back({items[i], n.at.kids[i], n.text});
  return out;
}

template <class T>
T named(const node& x, const std::string& path, std::optional<T> (*parse)(std::string_view), const char* what) {
  if (!x.v.is_string()) fail_at(path + ": expected a string", x);
  const std::string& s = x.v.get_ref<const std::string&>();
  const auto v = parse(s);
  if (!v) fail_at(path + ": unknown " + what + " '" + s + "'", x);
  return *v;
}

std::optional<state> parse_state(std::string_view s) {
  const auto slash = s.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto p = parse_progress(s.substr(0, slash));
  const auto t = parse_tier(s.substr(slash + 1));
  if (!p || !t) return std::nullopt;
  return state{*p, *t};
}

std::optional<calendar::clock_event_kind> parse_clock_event(std::string_view s) {
  for (auto k : {calendar::clock_event_kind::start, calendar::clock_event_kind::pause,
                 calendar::clock_event_kind::resume, calendar::clock_event_kind::stop})
    if (s == calendar::to_string(k)) return k;
  return std::nullopt;
}

std::optional<clock_name> parse_clock_name(std::string_view s) {
  for (std::size_t c = 0; c < clock_count; ++c)
    if (s == to_string(static_cast<clock_name>(c))) return static_cast<clock_name>(c);
  return std::nullopt;
}

/// Why a provisional deadline moved: "calendar 'cn-mainland' official data now reaches 2027-12-31 (the
/// deadline was projected past 2026-12-31)". `was_official`: the official_until the snapshot recorded.
std::string moved_reason(const calendar::calendar& cal, std::optional<std::int64_t> was_official, bool still) {
  std::string r = "calendar '" + cal.name() + "' ";
  if (!was_official)  // a snapshot that did not say (hand-written): what is known now
    r += "official data reaches " + format_days(cal.official_until()) + " (the deadline was projected)";
  else if (*was_official != cal.official_until())
    r += "official data now reaches " + format_days(cal.official_until()) + " (the deadline was projected past " +
         format_days(*was_official) + ")";
  else  // same official data, other projected days (another projection under the same name)
    r += "projects the days past " + format_days(cal.official_until()) + " differently now";
  if (still) r += "; the new deadline is still provisional";
  return r;
}

calendar::clock clock_kind(jobject& k, const std::string& path) {
  const node v = k.get("clock");
  if (v.v.is_string()) {
    const std::string& s = v.v.get_ref<const std::string&>();
    if (s == "wall") return calendar::clock::wall;
    if (s == "business") return calendar::clock::business;
    if (s == "workdays") return calendar::clock::workdays;
  }
  fail_at(path + ".clock: expected wall, business or workdays", v);
}

std::optional<sla_target> read_target(const node& v, const std::string& path, const calendar_resolver& resolve) {
  if (v.v.is_null()) return std::nullopt;
  jobject k(v, path);
  sla_target t;
  t.within.kind = clock_kind(k, path);
  t.within.amount = k.integer("amount");
  if (t.within.amount < 0) fail_at(path + ".amount: cannot be negative", v);
  const node cal = k.get("calendar");
  if (!cal.v.is_string()) fail_at(path + ".calendar: expected a string", cal);
  const std::string& name = cal.v.get_ref<const std::string&>();
  try {
    t.on = resolve(name);
  } catch (const kefu::error& e) {
    fail_at(path + ".calendar: " + e.detail(), cal);
  }
  if (!t.on) fail_at(path + ".calendar: unknown calendar '" + name + "'", cal);
  jobject w(k.get("warning"), path + ".warning");
  const node wv = w.value();
  bool found = false;
  const auto& members = wv.v.get_ref<const json::object_t&>();
  for (std::size_t m = 0; m < members.size() && !found; ++m) {  // the first of lead and fraction, as written
    const node member{member_at(members, m).second, wv.at.kids[m], wv.text};
    if (member_at(members, m).first == "lead") {
      const std::int64_t lead = w.integer("lead");
      if (lead < 0) fail_at(path + ".warning.lead: cannot be negative", member);
      t.warning = calendar::sla_warning::before(seconds(lead));
      found = true;
    } else if (member_at(members, m).first == "fraction") {
      const std::string text = w.str("fraction");
      double f = 0;
      const auto r = std::from_chars(text.data(), text.data() + text.size(), f);
      if (r.ec != std::errc() || r.ptr != text.data() + text.size() || !(f >= 0 && f <= 1))  // NaN fails too
        fail_at(path + ".warning.fraction: expected a number from 0 to 1 in quotes", member);
      t.warning = calendar::sla_warning::at_fraction(f);
      found = true;
    }
  }
  if (!found) fail_at(path + ".warning: expected {\"fraction\": \"0.8\"} or {\"lead\": seconds}", wv);
  w.done();
  k.done();
  return t;
}

ticket_plan read_plan(const node& v, const calendar_resolver& resolve) {
  jobject p(v, "snapshot.plan");
  ticket_plan plan;
  plan.reopen_window = seconds(p.integer("reopen_window"));
  if (plan.reopen_window.count() < 0) fail_at("snapshot.plan.reopen_window: cannot be negative", p.value());
  plan.system_operator = p.str("system_operator");
  jobject tiers(p.get("tiers"), "snapshot.plan.tiers");
  for (std::size_t i = 0; i < tier_count; ++i) {
    const std::string path = std::string("snapshot.plan.tiers.") + to_string(static_cast<tier>(i));
    jobject t(tiers.get(to_string(static_cast<tier>(i))), path);
    tier_targets& tt = plan.tiers[i];
    tt.first_response = read_target(t.get("first_response"), path + ".first_response", resolve);
    tt.resolution = read_target(t.get("resolution"), path + ".resolution", resolve);
    tt.follow_up = read_target(t.get("follow_up"), path + ".follow_up", resolve);
    tt.follow_up_required = t.boolean("follow_up_required");
    tt.report_required = t.boolean("report_required");
    t.done();
  }
  tiers.done();
  p.done();
  return plan;
}

}  // namespace

std::string plan_to_json(const ticket_plan& plan) {
  return written("the plan", [&](std::string& out) { plan_layout(out, plan_json(plan)); });
}

std::string plan_difference(const ticket_plan& a, const ticket_plan& b) {
  auto text = [](const std::optional<sla_target>& t) {
    if (!t) return std::string("none");
    std::string s = calendar::to_string(t->within) + " on " + (t->on ? t->on->name() : std::string("?"));
    if (t->warning.lead) s += ", warning " + std::to_string(t->warning.lead->count()) + " s before";
    else if (t->warning.fraction != 0.8) s += ", warning at " + std::to_string(t->warning.fraction);
    return s;
  };
  for (std::size_t i = 0; i < tier_count; ++i) {
    const std::string name = to_string(static_cast<tier>(i));
    const tier_targets& x = a.tiers[i];
    const tier_targets& y = b.tiers[i];
    for (std::size_t c = 0; c < clock_count; ++c) {
      const auto& tx = target_of(x, static_cast<clock_name>(c));
      const auto& ty = target_of(y, static_cast<clock_name>(c));
      if (tx != ty) return name + " " + to_string(static_cast<clock_name>(c)) + ": " + text(tx) + " vs " + text(ty);
    }
    if (x.follow_up_required != y.follow_up_required)
      return name + " follow_up_required: " + (x.follow_up_required ? "true" : "false") + " vs " +
             (y.follow_up_required ? "true" : "false");
    if (x.report_required != y.report_required)
      return name + " report_required: " + (x.report_required ? "true" : "false") + " vs " +
             (y.report_required ? "true" : "false");
  }
  if (a.reopen_window != b.reopen_window)
    return "reopen_window: " + std::to_string(a.reopen_window.count()) + " s vs " + std::to_string(b.reopen_window.count()) + " s";
  if (a.system_operator != b.system_operator) return "system_operator: " + a.system_operator + " vs " + b.system_operator;
  return {};
}

std::string ticket::to_json() const {
  const impl& p = *p_;
  const instant last = p.last_instant();
  const ticket_flags& f = p.flags;
  object_builder clocks(clock_count);
  for (std::size_t c = 0; c < clock_count; ++c) {
    const auto& k = p.clocks[c];
    if (!k) {
      clocks.add(to_string(static_cast<clock_name>(c)), nullptr);
      continue;
    }
    json events = json::array();
    events.get_ref<json::array_t&>().reserve(k->events().size());
    for (const auto& e : k->events())
      events.push_back(object_builder(2).add("kind", calendar::to_string(e.kind)).add("at", format_instant(e.at)).done());
    object_builder x(7);
    x.add("clock", clock_kind_name(k->target().kind))
        .add("amount", k->target().amount)
        .add("calendar", k->on().name())
        .add("events", std::move(events));
    if (const auto due = provisional_due(*k, last))
      x.add("due", format_instant(*due)).add("provisional", true).add("official_until", format_days(k->on().official_until()));
    clocks.add(to_string(static_cast<clock_name>(c)), x.done());
  }
  json history = json::array();
  history.get_ref<json::array_t&>().reserve(p.history.size());
  for (const auto& r : p.history) {
    object_builder rec(10);
    rec.add("at", format_instant(r.what.at))
        .add("by", r.what.by)
        .add("event", to_string(r.what.kind))
        .add("tier", to_string(r.what.to));
    // A triage's audit of the tier it chose against the policy's (only when there is one: older records as before).
    if (r.policy_tier) rec.add("policy_tier", to_string(*r.policy_tier));
    if (!r.what.reason.empty()) rec.add("reason", r.what.reason);
    history.push_back(rec.add("satisfied", r.what.satisfied)
                          .add("note", r.what.note)
                          .add("from", to_string(r.from))
                          .add("to", to_string(r.to))
                          .done());
  }
  object_builder doc(11);
  doc.add("kefu_ticket", 1)
      .add("id", p.id)
      .add("received", format_instant(p.received))
      .add("received_by", p.received_by);
  if (p.policy_tier) doc.add("policy_tier", to_string(*p.policy_tier));  // tickets opened from facts
  doc.add("plan", plan_json(p.plan()))
      .add("state", object_builder(2).add("progress", to_string(p.now.where)).add("tier", to_string(p.now.level)).done())
      .add("flags", object_builder(4)
                        .add("followed_up", f.followed_up)
                        .add("report_attached", f.report_attached)
                        .add("reopen_count", f.reopen_count)
                        .add("closed_at", f.closed_at ? json(format_instant(*f.closed_at)) : json(nullptr))
                        .done())
      .add("clocks", clocks.done())
      .add("history", std::move(history));
  if (!p.deadline_changes.empty()) {
    json changes = json::array();
    for (const auto& d : p.deadline_changes)
      changes.push_back(object_builder(6)
                            .add("clock", to_string(d.clock))
                            .add("at", format_instant(d.at))
                            .add("old_due", format_instant(d.old_due))
                            .add("new_due", format_instant(d.new_due))
                            .add("still_provisional", d.still_provisional)
                            .add("reason", d.reason)
                            .done());
    doc.add("deadline_changes", std::move(changes));
  }
  return written("ticket '" + p.id + "'", [&](std::string& out) {
    out.reserve(1024 + p.history.size() * 160);
    object_to(out, doc.done(), [](std::string& o, const std::string& key, const json& v) {
      if (key == "plan") plan_layout(o, v);
      else if (key == "history" || key == "deadline_changes") records_to(o, v);
      else dump(o, v);
    });
    out += '\n';
  });
}

ticket ticket::from_json(std::string_view json, const calendar_resolver& resolve) { return restore(json, nullptr, &resolve); }

ticket ticket::from_json(std::string_view json, ticket_plan plan) { return restore(json, &plan, nullptr); }

ticket ticket::restore(std::string_view text, const ticket_plan* expected_plan, const calendar_resolver* resolve) {
  const char* read = nullptr;  // the last character nlohmann's lexer read
  builder doc(text, &read);
  json::sax_parse(noting_iterator(text.data(), &read), noting_iterator(text.data() + text.size(), &read), &doc);
  const node root_v{doc.root, doc.root_at, text};
  jobject root(root_v, "snapshot");
  {
    const node version = root.get("kefu_ticket");
    if (!version.v.is_number_integer() || version.v.get<std::int64_t>() != 1)
      fail_at("snapshot.kefu_ticket: expected format version 1", version);
  }
  std::string id = root.str("id");
  const instant received = root.time("received");
  std::string by = root.str("received_by");
  std::optional<tier> policy_tier;  // snapshots of tickets not opened from facts, and older ones, have none
  if (root.has("policy_tier"))
    policy_tier = named<tier>(root.get("policy_tier"), "snapshot.policy_tier", &parse_tier, "tier");
  ticket_plan plan;
  {
    const node pv = root.get("plan");
    if (expected_plan) {
      // Calendars by the expected plan's names (then the built-ins): a differing name is a plan difference.
      const calendar_resolver by_plan = [&](const std::string& name) -> std::shared_ptr<const calendar::calendar> {
        for (const auto& t : expected_plan->tiers)
          for (std::size_t c = 0; c < clock_count; ++c)
            if (const auto& g = target_of(t, static_cast<clock_name>(c)); g && g->on && g->on->name() == name) return g->on;
        return calendar::builtin(name);
      };
      plan = read_plan(pv, by_plan);
      const std::string diff = plan_difference(plan, *expected_plan);
      if (!diff.empty()) fail_at("snapshot.plan: differs from the given plan: " + diff, pv);
      plan = *expected_plan;
    } else {
      plan = read_plan(pv, *resolve);
    }
  }

  jobject st(root.get("state"), "snapshot.state");
  const state expected{named<progress>(st.get("progress"), "snapshot.state.progress", &parse_progress, "progress state"),
                       named<tier>(st.get("tier"), "snapshot.state.tier", &parse_tier, "tier")};
  st.done();

  jobject fl(root.get("flags"), "snapshot.flags");
  ticket_flags flags;
  flags.followed_up = fl.boolean("followed_up");
  flags.report_attached = fl.boolean("report_attached");
  const std::int64_t reopen = fl.integer("reopen_count");
  if (reopen < 0 || reopen > 0xFFFFFFFF) fail_at("snapshot.flags.reopen_count: out of range", fl.value());
  flags.reopen_count = static_cast<std::uint32_t>(reopen);
  if (!fl.get("closed_at").v.is_null()) flags.closed_at = fl.time("closed_at");
  fl.done();

  struct clock_text {
    bool present = false;
    calendar::duration target;
    std::string calendar_name;
    std::vector<calendar::clock_event> events;
    std::optional<instant> provisional_due;      // `due` with `"provisional":true` (DOM-SLA-8)
    std::optional<std::int64_t> official_until;  // the calendar's official data then
    int line = 0, column = 0;
  };
  std::array<clock_text, clock_count> clocks;
  jobject cl(root.get("clocks"), "snapshot.clocks");
  for (std::size_t c = 0; c < clock_count; ++c) {
    const char* name = to_string(static_cast<clock_name>(c));
    const node v = cl.get(name);
    const position at = position_of(text, v.at.at);
    clocks[c].line = at.line;
    clocks[c].column = at.column;
    if (v.v.is_null()) continue;
    const std::string path = std::string("snapshot.clocks.") + name;
    jobject k(v, path);
    clocks[c].present = true;
    const std::string kind = k.str("clock");
    if (kind == "wall") clocks[c].target.kind = calendar::clock::wall;
    else if (kind == "business") clocks[c].target.kind = calendar::clock::business;
    else if (kind == "workdays") clocks[c].target.kind = calendar::clock::workdays;
    else fail_at(path + ".clock: expected wall, business or workdays", v);
    clocks[c].target.amount = k.integer("amount");
    clocks[c].calendar_name = k.str("calendar");
    const node evs = k.get("events");
    if (!evs.v.is_array()) fail_at(path + ".events: expected an array", evs);
    for (const node& e : items_of(evs)) {
      jobject eo(e, path + ".events[]");
      const calendar::clock_event_kind ck =
          named<calendar::clock_event_kind>(eo.get("kind"), path + ".events[].kind", &parse_clock_event, "clock event");
      clocks[c].events.push_back({ck, eo.time("at")});
      eo.done();
    }
    // Optional (snapshots before DOM-SLA-8 have none): the due as of the last recorded instant when it rested
    // on provisional days, and the calendar's official data then.
    if (k.has("due") || k.has("provisional")) {
      if (!k.has("due") || !k.has("provisional")) fail_at(path + ": `due` and `provisional` come together", v);
      const instant due = k.time("due");
      if (k.boolean("provisional")) clocks[c].provisional_due = due;
    }
    if (k.has("official_until")) {
      const node ou = k.get("official_until");
      std::int64_t days = 0;
      if (!ou.v.is_string() || !parse_days(ou.v.get_ref<const std::string&>(), days))
        fail_at(path + ".official_until: expected a date as YYYY-MM-DD", ou);
      clocks[c].official_until = days;
    }
    k.done();
  }
  cl.done();

  const node hist = root.get("history");
  if (!hist.v.is_array()) fail_at("snapshot.history: expected an array", hist);
  std::vector<deadline_change> changes;
  if (root.has("deadline_changes")) {
    const node dv = root.get("deadline_changes");
    if (!dv.v.is_array()) fail_at("snapshot.deadline_changes: expected an array", dv);
    const std::vector<node> items = items_of(dv);
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string path = "snapshot.deadline_changes[" + std::to_string(i) + "]";
      jobject d(items[i], path);
      deadline_change x;
      x.clock = named<clock_name>(d.get("clock"), path + ".clock", &parse_clock_name, "clock");
      x.at = d.time("at");
      x.old_due = d.time("old_due");
      x.new_due = d.time("new_due");
      x.still_provisional = d.boolean("still_provisional");
      x.reason = d.str("reason");
      d.done();
      changes.push_back(std::move(x));
    }
  }
  root.done();

  ticket t(std::move(id), std::move(plan), received, std::move(by), policy_tier);
  const std::vector<node> records = items_of(hist);
  t.reserve(records.size());
  for (std::size_t n = 0; n < records.size(); ++n) {
    const node& h = records[n];
    const std::string path = "snapshot.history[" + std::to_string(n) + "]";
    jobject r(h, path);
    event e;
    e.at = r.time("at");
    e.by = r.str("by");
    e.kind = named<event_kind>(r.get("event"), path + ".event", &parse_event_kind, "event");
    e.to = named<tier>(r.get("tier"), path + ".tier", &parse_tier, "tier");
    std::optional<tier> recorded_policy_tier;
    if (r.has("policy_tier"))
      recorded_policy_tier = named<tier>(r.get("policy_tier"), path + ".policy_tier", &parse_tier, "tier");
    if (r.has("reason")) e.reason = r.str("reason");
    e.satisfied = r.boolean("satisfied");
    e.note = r.str("note");
    const state from = named<state>(r.get("from"), path + ".from", &parse_state, "state");
    const state to = named<state>(r.get("to"), path + ".to", &parse_state, "state");
    r.done();
    if (t.current() != from)
      fail_at(path + ": recorded from-state " + to_string(from) + " but replay is in " + to_string(t.current()), h);
    try {
      t.fire(std::move(e));
    } catch (const kefu::error& x) {
      fail_at(path + ": replay failed: " + x.what(), h);
    }
    if (t.current() != to)
      fail_at(path + ": recorded to-state " + to_string(to) + " but replay reached " + to_string(t.current()), h);
    if (t.history().back().policy_tier != recorded_policy_tier)
      fail_at(path + ".policy_tier: " + (recorded_policy_tier ? to_string(*recorded_policy_tier) : "none") +
                  " recorded, but the ticket's policy tier is " + (policy_tier ? to_string(*policy_tier) : "unknown"),
              h);
  }
  if (t.current() != expected)
    fail_at("snapshot.state: says " + to_string(expected) + " but the history leads to " + to_string(t.current()), root_v);
  if (!(t.flags() == flags)) fail_at("snapshot.flags: do not match what the history leads to", root_v);
  for (std::size_t c = 0; c < clock_count; ++c) {
    const char* name = to_string(static_cast<clock_name>(c));
    const auto* k = t.clock(static_cast<clock_name>(c));
    const auto& x = clocks[c];
    const std::string path = std::string("snapshot.clocks.") + name;
    if (x.present != (k != nullptr))
      fail_at(path + (x.present ? ": the plan and history give no such clock" : ": missing, but the plan and history give one"),
              x.line, x.column);
    if (!k) continue;
    if (k->target() != x.target || k->on().name() != x.calendar_name)
      fail_at(path + ": target differs from the plan's (" + std::to_string(k->target().amount) + " " +
                  clock_kind_name(k->target().kind) + " on '" + k->on().name() + "')",
              x.line, x.column);
    if (k->events() != x.events) fail_at(path + ".events: do not match what the history leads to", x.line, x.column);
  }
  // DOM-SLA-8: the recorded changes as they are, then every provisional due recomputed as of the same instant
  // on the calendar found now; one that moved is recorded (once: the next snapshot carries the new due).
  t.p_->deadline_changes = std::move(changes);
  const instant last = t.p_->last_instant();
  for (std::size_t c = 0; c < clock_count; ++c) {
    const auto& x = clocks[c];
    const auto* k = t.clock(static_cast<clock_name>(c));
    if (!x.provisional_due || !k) continue;
    calendar::sla_status now;
    try {
      now = k->status(last);
    } catch (const kefu::error&) {
      continue;  // the calendar cannot compute it now (strict, or past its projection): sla() says so
    }
    if (now.due == *x.provisional_due) continue;
    t.p_->deadline_changes.push_back({static_cast<clock_name>(c), last, *x.provisional_due, now.due, now.provisional,
                                      moved_reason(k->on(), x.official_until, now.provisional)});
  }
  return t;
}

}  // namespace kefu::ticket
