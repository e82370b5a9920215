// kefu — ticket snapshots: to_json / from_json, plan_to_json and plan_difference.
#include "internal.hpp"

#include <kefu/calendar/load.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <utility>

namespace kefu::ticket {

// ---- snapshots: hand-written JSON, strict ---------------------------------------------------------------

namespace {

void put_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}


void put_target(std::string& o, const std::optional<sla_target>& t) {
  if (!t) {
    o += "null";
    return;
  }
  o += "{\"clock\":\"" + std::string(clock_kind_name(t->within.kind)) + "\",\"amount\":" + std::to_string(t->within.amount) +
       ",\"calendar\":";
  put_string(o, t->on ? t->on->name() : std::string());
  if (t->warning.lead) {
    o += ",\"warning\":{\"lead\":" + std::to_string(t->warning.lead->count()) + "}}";
  } else {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, t->warning.fraction);  // shortest text that reads back exactly
    o += ",\"warning\":{\"fraction\":\"" + std::string(buf, r.ptr) + "\"}}";
  }
}

/// A parsed JSON value with its position (for messages).
struct jvalue {
  enum kind_t { null_v, bool_v, number_v, string_v, array_v, object_v } kind = null_v;
  bool b = false;
  std::int64_t n = 0;
  std::string s;
  std::vector<jvalue> items;
  std::vector<std::pair<std::string, jvalue>> members;
  int line = 1, column = 1;
};

class jparser {
 public:
  explicit jparser(std::string_view t) : t_(t) {}

  jvalue parse_document() {
    jvalue v = value(0);
    skip_ws();
    if (i_ != t_.size()) fail("unexpected text after the JSON value");
    return v;
  }

  [[noreturn]] void fail(const std::string& what) const { fail_at(what, line_, col_); }
  [[noreturn]] static void fail_at(const std::string& what, int line, int col) {
    throw parse_error("ticket snapshot: " + what, source_location{"<json>", line, col});
  }

 private:
  char peek() const { return i_ < t_.size() ? t_[i_] : '\0'; }
  void advance() {
    if (t_[i_] == '\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
    ++i_;
  }
  void skip_ws() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\n' || t_[i_] == '\t' || t_[i_] == '\r')) advance();
  }
  void expect(char c) {
    if (peek() != c || i_ >= t_.size()) fail(std::string("expected '") + c + "'");
    advance();
  }
  void literal(std::string_view word) {
    if (t_.substr(i_, word.size()) != word) fail("expected a JSON value");
    for (std::size_t k = 0; k < word.size(); ++k) advance();
  }

  jvalue value(int depth) {
    if (depth > 32) fail("nesting too deep");
    skip_ws();
    jvalue v;
    v.line = line_;
    v.column = col_;
    if (i_ >= t_.size()) fail("unexpected end of input");
    const char c = peek();
    if (c == '{') {
      v.kind = jvalue::object_v;
      advance();
      skip_ws();
      if (peek() == '}') {
        advance();
        return v;
      }
      for (;;) {
        skip_ws();
        const int kl = line_, kc = col_;
        if (peek() != '"') fail("expected a member name in quotes");
        std::string key = string_text();
        for (const auto& m : v.members)
          if (m.first == key) fail_at("duplicate member '" + key + "'", kl, kc);
        skip_ws();
        expect(':');
        jvalue member = value(depth + 1);
        v.members.emplace_back(std::move(key), std::move(member));
        skip_ws();
        if (peek() == ',') {
          advance();
          continue;
        }
        expect('}');
        return v;
      }
    }
    if (c == '[') {
      v.kind = jvalue::array_v;
      advance();
      skip_ws();
      if (peek() == ']') {
        advance();
        return v;
      }
      for (;;) {
        v.items.push_back(value(depth + 1));
        skip_ws();
        if (peek() == ',') {
          advance();
          continue;
        }
        expect(']');
        return v;
      }
    }
    if (c == '"') {
      v.kind = jvalue::string_v;
      v.s = string_text();
      return v;
    }
    if (c == 't') {
      literal("true");
      v.kind = jvalue::bool_v;
      v.b = true;
      return v;
    }
    if (c == 'f') {
      literal("false");
      v.kind = jvalue::bool_v;
      return v;
    }
    if (c == 'n') {
      literal("null");
      return v;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      v.kind = jvalue::number_v;
      bool neg = false;
      if (c == '-') {
        neg = true;
        advance();
      }
      if (!(peek() >= '0' && peek() <= '9')) fail("expected digits");
      if (peek() == '0' && i_ + 1 < t_.size() && t_[i_ + 1] >= '0' && t_[i_ + 1] <= '9') fail("leading zero");
      std::int64_t n = 0;
      while (peek() >= '0' && peek() <= '9' && i_ < t_.size()) {
        if (n > (INT64_MAX - 9) / 10) fail("integer too large");
        n = n * 10 + (peek() - '0');
        advance();
      }
      if (peek() == '.' || peek() == 'e' || peek() == 'E') fail("only integers are expected in a ticket snapshot");
      v.n = neg ? -n : n;
      return v;
    }
    fail("expected a JSON value");
  }

  static void utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  std::uint32_t hex4() {
    std::uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = peek();
      if (i_ >= t_.size()) fail("unterminated \\u escape");
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
      else fail("bad \\u escape");
      advance();
    }
    return v;
  }
  std::string string_text() {
    expect('"');
    std::string out;
    for (;;) {
      if (i_ >= t_.size()) fail("unterminated string");
      const char c = peek();
      if (c == '"') {
        advance();
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in a string (escape it)");
      if (c != '\\') {
        out += c;
        advance();
        continue;
      }
      advance();
      const char e = peek();
      if (i_ >= t_.size()) fail("unterminated string");
      advance();
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          std::uint32_t cp = hex4();
          if (cp >= 0xD800 && cp < 0xDC00) {
            if (peek() != '\\') fail("unpaired surrogate in \\u escape");
            advance();
            if (peek() != 'u') fail("unpaired surrogate in \\u escape");
            advance();
            const std::uint32_t lo = hex4();
            if (lo < 0xDC00 || lo >= 0xE000) fail("unpaired surrogate in \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp < 0xE000) {
            fail("unpaired surrogate in \\u escape");
          }
          utf8(out, cp);
          break;
        }
        default: fail(std::string("bad escape '\\") + e + "'");
      }
    }
  }

  std::string_view t_;
  std::size_t i_ = 0;
  int line_ = 1, col_ = 1;
};

/// Typed access to an object's members: every member must be read exactly once (unknown ones are errors).
class jobject {
 public:
  jobject(const jvalue& v, std::string path) : v_(v), path_(std::move(path)) {
    if (v.kind != jvalue::object_v) jparser::fail_at(path_ + ": expected an object", v.line, v.column);
    used_.assign(v.members.size(), false);
  }
  const jvalue& get(const char* key) {
    for (std::size_t k = 0; k < v_.members.size(); ++k)
      if (v_.members[k].first == key) {
        used_[k] = true;
        return v_.members[k].second;
      }
    jparser::fail_at(path_ + ": missing member '" + key + "'", v_.line, v_.column);
  }
  bool has(const char* key) const {
    for (const auto& m : v_.members)
      if (m.first == key) return true;
    return false;
  }
  std::string str(const char* key) {
    const jvalue& x = get(key);
    if (x.kind != jvalue::string_v) jparser::fail_at(where(key) + ": expected a string", x.line, x.column);
    return x.s;
  }
  bool boolean(const char* key) {
    const jvalue& x = get(key);
    if (x.kind != jvalue::bool_v) jparser::fail_at(where(key) + ": expected true or false", x.line, x.column);
    return x.b;
  }
  std::int64_t integer(const char* key) {
    const jvalue& x = get(key);
    if (x.kind != jvalue::number_v) jparser::fail_at(where(key) + ": expected an integer", x.line, x.column);
    return x.n;
  }
  instant time(const char* key) {
    const jvalue& x = get(key);
    if (x.kind != jvalue::string_v) jparser::fail_at(where(key) + ": expected a date-time string", x.line, x.column);
    try {
      return parse_instant(x.s);
    } catch (const parse_error& e) {
      jparser::fail_at(where(key) + ": " + e.detail(), x.line, x.column);
    }
  }
  void done() const {
    for (std::size_t k = 0; k < used_.size(); ++k)
      if (!used_[k])
        jparser::fail_at(path_ + ": unknown member '" + v_.members[k].first + "'", v_.members[k].second.line,
                         v_.members[k].second.column);
  }
  std::string where(const char* key) const { return path_ + "." + key; }
  const jvalue& value() const { return v_; }

 private:
  const jvalue& v_;
  std::string path_;
  std::vector<bool> used_;
};

template <class T>
T named(const jvalue& x, const std::string& path, std::optional<T> (*parse)(std::string_view), const char* what) {
  if (x.kind != jvalue::string_v) jparser::fail_at(path + ": expected a string", x.line, x.column);
  const auto v = parse(x.s);
  if (!v) jparser::fail_at(path + ": unknown " + what + " '" + x.s + "'", x.line, x.column);
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

}  // namespace

std::string plan_to_json(const ticket_plan& plan) {
  std::string o = "{\"reopen_window\":" + std::to_string(plan.reopen_window.count()) + ",\"system_operator\":";
  put_string(o, plan.system_operator);
  o += ",\"tiers\":{";
  for (std::size_t i = 0; i < tier_count; ++i) {
    const tier_targets& t = plan.tiers[i];
    o += std::string(i ? "," : "") + "\n  \"" + to_string(static_cast<tier>(i)) + "\":{\"first_response\":";
    put_target(o, t.first_response);
    o += ",\"resolution\":";
    put_target(o, t.resolution);
    o += ",\"follow_up\":";
    put_target(o, t.follow_up);
    o += std::string(",\"follow_up_required\":") + (t.follow_up_required ? "true" : "false") +
         ",\"report_required\":" + (t.report_required ? "true" : "false") + "}";
  }
  o += "}}";
  return o;
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
  const instant last = p.history.empty() ? p.received : p.history.back().what.at;
  std::string o;
  o.reserve(1024 + p.history.size() * 160);
  o += "{\"kefu_ticket\":1,\"id\":";
  put_string(o, p.id);
  o += ",\"received\":\"" + format_instant(p.received) + "\",\"received_by\":";
  put_string(o, p.received_by);
  o += ",\"plan\":" + plan_to_json(p.plan());
  const state s = current();
  o += ",\"state\":{\"progress\":\"" + std::string(to_string(s.where)) + "\",\"tier\":\"" + to_string(s.level) + "\"}";
  const ticket_flags& f = flags();
  o += ",\"flags\":{\"followed_up\":" + std::string(f.followed_up ? "true" : "false") +
       ",\"report_attached\":" + (f.report_attached ? "true" : "false") +
       ",\"reopen_count\":" + std::to_string(f.reopen_count) + ",\"closed_at\":" +
       (f.closed_at ? "\"" + format_instant(*f.closed_at) + "\"" : std::string("null")) + "}";
  o += ",\"clocks\":{";
  for (std::size_t c = 0; c < clock_count; ++c) {
    if (c) o += ',';
    o += '"';
    o += to_string(static_cast<clock_name>(c));
    o += "\":";
    const auto& k = p.clocks[c];
    if (!k) {
      o += "null";
      continue;
    }
    o += "{\"clock\":\"" + std::string(clock_kind_name(k->target().kind)) +
         "\",\"amount\":" + std::to_string(k->target().amount) + ",\"calendar\":";
    put_string(o, k->on().name());
    o += ",\"events\":[";
    bool first = true;
    for (const auto& e : k->events()) {
      if (!first) o += ',';
      first = false;
      o += "{\"kind\":\"" + std::string(calendar::to_string(e.kind)) + "\",\"at\":\"" + format_instant(e.at) + "\"}";
    }
    o += ']';
    if (const auto due = provisional_due(*k, last))
      o += ",\"due\":\"" + format_instant(*due) + "\",\"provisional\":true,\"official_until\":\"" +
           format_days(k->on().official_until()) + "\"";
    o += '}';
  }
  o += "},\"history\":[";
  bool first = true;
  for (const auto& r : p.history) {
    if (!first) o += ',';
    first = false;
    o += "\n{\"at\":\"" + format_instant(r.what.at) + "\",\"by\":";
    put_string(o, r.what.by);
    o += ",\"event\":\"" + std::string(to_string(r.what.kind)) + "\",\"tier\":\"" + to_string(r.what.to) +
         "\",\"satisfied\":" + (r.what.satisfied ? "true" : "false") + ",\"note\":";
    put_string(o, r.what.note);
    o += ",\"from\":\"" + to_string(r.from) + "\",\"to\":\"" + to_string(r.to) + "\"}";
  }
  o += ']';
  if (!p.deadline_changes.empty()) {
    o += ",\"deadline_changes\":[";
    first = true;
    for (const auto& d : p.deadline_changes) {
      if (!first) o += ',';
      first = false;
      o += "\n{\"clock\":\"" + std::string(to_string(d.clock)) + "\",\"at\":\"" + format_instant(d.at) +
           "\",\"old_due\":\"" + format_instant(d.old_due) + "\",\"new_due\":\"" + format_instant(d.new_due) +
           "\",\"still_provisional\":" + (d.still_provisional ? "true" : "false") + ",\"reason\":";
      put_string(o, d.reason);
      o += '}';
    }
    o += ']';
  }
  o += "}\n";
  return o;
}

namespace {

calendar::clock clock_kind(jobject& k, const std::string& path) {
  const jvalue& v = k.get("clock");
  if (v.kind == jvalue::string_v) {
    if (v.s == "wall") return calendar::clock::wall;
    if (v.s == "business") return calendar::clock::business;
    if (v.s == "workdays") return calendar::clock::workdays;
  }
  jparser::fail_at(path + ".clock: expected wall, business or workdays", v.line, v.column);
}

std::optional<sla_target> read_target(const jvalue& v, const std::string& path, const calendar_resolver& resolve) {
  if (v.kind == jvalue::null_v) return std::nullopt;
  jobject k(v, path);
  sla_target t;
  t.within.kind = clock_kind(k, path);
  t.within.amount = k.integer("amount");
  if (t.within.amount < 0) jparser::fail_at(path + ".amount: cannot be negative", v.line, v.column);
  const jvalue& cal = k.get("calendar");
  if (cal.kind != jvalue::string_v) jparser::fail_at(path + ".calendar: expected a string", cal.line, cal.column);
  try {
    t.on = resolve(cal.s);
  } catch (const kefu::error& e) {
    jparser::fail_at(path + ".calendar: " + e.detail(), cal.line, cal.column);
  }
  if (!t.on) jparser::fail_at(path + ".calendar: unknown calendar '" + cal.s + "'", cal.line, cal.column);
  jobject w(k.get("warning"), path + ".warning");
  const jvalue& wv = w.value();
  bool found = false;
  for (const auto& m : wv.members) {
    if (m.first == "lead") {
      const std::int64_t lead = w.integer("lead");
      if (lead < 0) jparser::fail_at(path + ".warning.lead: cannot be negative", m.second.line, m.second.column);
      t.warning = calendar::sla_warning::before(seconds(lead));
      found = true;
    } else if (m.first == "fraction") {
      const std::string text = w.str("fraction");
      double f = 0;
      const auto r = std::from_chars(text.data(), text.data() + text.size(), f);
      if (r.ec != std::errc() || r.ptr != text.data() + text.size() || !(f >= 0 && f <= 1))  // NaN fails too
        jparser::fail_at(path + ".warning.fraction: expected a number from 0 to 1 in quotes", m.second.line, m.second.column);
      t.warning = calendar::sla_warning::at_fraction(f);
      found = true;
    }
    if (found) break;
  }
  if (!found) jparser::fail_at(path + ".warning: expected {\"fraction\": \"0.8\"} or {\"lead\": seconds}", wv.line, wv.column);
  w.done();
  k.done();
  return t;
}

ticket_plan read_plan(const jvalue& v, const calendar_resolver& resolve) {
  jobject p(v, "snapshot.plan");
  ticket_plan plan;
  plan.reopen_window = seconds(p.integer("reopen_window"));
  if (plan.reopen_window.count() < 0)
    jparser::fail_at("snapshot.plan.reopen_window: cannot be negative", p.value().line, p.value().column);
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

ticket ticket::from_json(std::string_view json, const calendar_resolver& resolve) { return restore(json, nullptr, &resolve); }

ticket ticket::from_json(std::string_view json, ticket_plan plan) { return restore(json, &plan, nullptr); }

ticket ticket::restore(std::string_view json, const ticket_plan* expected_plan, const calendar_resolver* resolve) {
  const jvalue root_v = jparser(json).parse_document();
  jobject root(root_v, "snapshot");
  {
    const jvalue& version = root.get("kefu_ticket");
    if (version.kind != jvalue::number_v || version.n != 1)
      jparser::fail_at("snapshot.kefu_ticket: expected format version 1", version.line, version.column);
  }
  std::string id = root.str("id");
  const instant received = root.time("received");
  std::string by = root.str("received_by");
  ticket_plan plan;
  {
    const jvalue& pv = root.get("plan");
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
      if (!diff.empty()) jparser::fail_at("snapshot.plan: differs from the given plan: " + diff, pv.line, pv.column);
      plan = *expected_plan;
    } else {
      plan = read_plan(pv, *resolve);
    }
  }

  jobject st(root.get("state"), "snapshot.state");
  const jvalue& pv = st.get("progress");
  const jvalue& tv = st.get("tier");
  const state expected{named<progress>(pv, "snapshot.state.progress", &parse_progress, "progress state"),
                       named<tier>(tv, "snapshot.state.tier", &parse_tier, "tier")};
  st.done();

  jobject fl(root.get("flags"), "snapshot.flags");
  ticket_flags flags;
  flags.followed_up = fl.boolean("followed_up");
  flags.report_attached = fl.boolean("report_attached");
  const std::int64_t reopen = fl.integer("reopen_count");
  if (reopen < 0 || reopen > 0xFFFFFFFF) jparser::fail_at("snapshot.flags.reopen_count: out of range", fl.value().line, fl.value().column);
  flags.reopen_count = static_cast<std::uint32_t>(reopen);
  if (fl.get("closed_at").kind != jvalue::null_v) flags.closed_at = fl.time("closed_at");
  fl.done();

  struct clock_text {
    bool present = false;
    calendar::duration target;
    std::string calendar_name;
    std::vector<calendar::clock_event> events;
    std::optional<instant> provisional_due;        // `due` with `"provisional":true` (DOM-SLA-8)
    std::optional<std::int64_t> official_until;  // the calendar's official data then
    int line = 0, column = 0;
  };
  std::array<clock_text, clock_count> clocks;
  jobject cl(root.get("clocks"), "snapshot.clocks");
  for (std::size_t c = 0; c < clock_count; ++c) {
    const char* name = to_string(static_cast<clock_name>(c));
    const jvalue& v = cl.get(name);
    clocks[c].line = v.line;
    clocks[c].column = v.column;
    if (v.kind == jvalue::null_v) continue;
    const std::string path = std::string("snapshot.clocks.") + name;
    jobject k(v, path);
    clocks[c].present = true;
    const std::string kind = k.str("clock");
    if (kind == "wall") clocks[c].target.kind = calendar::clock::wall;
    else if (kind == "business") clocks[c].target.kind = calendar::clock::business;
    else if (kind == "workdays") clocks[c].target.kind = calendar::clock::workdays;
    else jparser::fail_at(path + ".clock: expected wall, business or workdays", v.line, v.column);
    clocks[c].target.amount = k.integer("amount");
    clocks[c].calendar_name = k.str("calendar");
    const jvalue& evs = k.get("events");
    if (evs.kind != jvalue::array_v) jparser::fail_at(path + ".events: expected an array", evs.line, evs.column);
    for (const auto& e : evs.items) {
      jobject eo(e, path + ".events[]");
      const calendar::clock_event_kind ck =
          named<calendar::clock_event_kind>(eo.get("kind"), path + ".events[].kind", &parse_clock_event, "clock event");
      clocks[c].events.push_back({ck, eo.time("at")});
      eo.done();
    }
    // Optional (snapshots before DOM-SLA-8 have none): the due as of the last recorded instant when it rested
    // on provisional days, and the calendar's official data then.
    if (k.has("due") || k.has("provisional")) {
      if (!k.has("due") || !k.has("provisional"))
        jparser::fail_at(path + ": `due` and `provisional` come together", v.line, v.column);
      const instant due = k.time("due");
      if (k.boolean("provisional")) clocks[c].provisional_due = due;
    }
    if (k.has("official_until")) {
      const jvalue& ou = k.get("official_until");
      std::int64_t days = 0;
      if (ou.kind != jvalue::string_v || !parse_days(ou.s, days))
        jparser::fail_at(path + ".official_until: expected a date as YYYY-MM-DD", ou.line, ou.column);
      clocks[c].official_until = days;
    }
    k.done();
  }
  cl.done();

  const jvalue& hist = root.get("history");
  if (hist.kind != jvalue::array_v) jparser::fail_at("snapshot.history: expected an array", hist.line, hist.column);
  std::vector<deadline_change> changes;
  if (root.has("deadline_changes")) {
    const jvalue& dv = root.get("deadline_changes");
    if (dv.kind != jvalue::array_v)
      jparser::fail_at("snapshot.deadline_changes: expected an array", dv.line, dv.column);
    for (std::size_t i = 0; i < dv.items.size(); ++i) {
      const std::string path = "snapshot.deadline_changes[" + std::to_string(i) + "]";
      jobject d(dv.items[i], path);
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

  ticket t(std::move(id), std::move(plan), received, std::move(by));
  std::size_t n = 0;
  for (const auto& h : hist.items) {
    const std::string path = "snapshot.history[" + std::to_string(n++) + "]";
    jobject r(h, path);
    event e;
    e.at = r.time("at");
    e.by = r.str("by");
    e.kind = named<event_kind>(r.get("event"), path + ".event", &parse_event_kind, "event");
    e.to = named<tier>(r.get("tier"), path + ".tier", &parse_tier, "tier");
    e.satisfied = r.boolean("satisfied");
    e.note = r.str("note");
    const state from = named<state>(r.get("from"), path + ".from", &parse_state, "state");
    const state to = named<state>(r.get("to"), path + ".to", &parse_state, "state");
    r.done();
    if (t.current() != from)
      jparser::fail_at(path + ": recorded from-state " + to_string(from) + " but replay is in " + to_string(t.current()),
                       h.line, h.column);
    try {
      t.fire(e);
    } catch (const kefu::error& x) {
      jparser::fail_at(path + ": replay failed: " + x.what(), h.line, h.column);
    }
    if (t.current() != to)
      jparser::fail_at(path + ": recorded to-state " + to_string(to) + " but replay reached " + to_string(t.current()),
                       h.line, h.column);
  }
  if (t.current() != expected)
    jparser::fail_at("snapshot.state: says " + to_string(expected) + " but the history leads to " + to_string(t.current()),
                     root_v.line, root_v.column);
  if (!(t.flags() == flags))
    jparser::fail_at("snapshot.flags: do not match what the history leads to", root_v.line, root_v.column);
  for (std::size_t c = 0; c < clock_count; ++c) {
    const char* name = to_string(static_cast<clock_name>(c));
    const auto* k = t.clock(static_cast<clock_name>(c));
    const auto& x = clocks[c];
    const std::string path = std::string("snapshot.clocks.") + name;
    if (x.present != (k != nullptr))
      jparser::fail_at(path + (x.present ? ": the plan and history give no such clock" : ": missing, but the plan and history give one"),
                       x.line, x.column);
    if (!k) continue;
    if (k->target() != x.target || k->on().name() != x.calendar_name)
      jparser::fail_at(path + ": target differs from the plan's (" + std::to_string(k->target().amount) + " " +
                           clock_kind_name(k->target().kind) + " on '" + k->on().name() + "')",
                       x.line, x.column);
    if (k->events() != x.events)
      jparser::fail_at(path + ".events: do not match what the history leads to", x.line, x.column);
  }
  // DOM-SLA-8: the recorded changes as they are, then every provisional due recomputed as of the same instant
  // on the calendar found now; one that moved is recorded (once: the next snapshot carries the new due).
  t.p_->deadline_changes = std::move(changes);
  const instant last = t.history().empty() ? t.received() : t.history().back().what.at;
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
