// kefu — the JSON layer of ticket snapshots (src/ticket/snapshot.cpp holds the format): a writer in the layout
// snapshots have always had, and a reader that keeps where each value starts, both on nlohmann-json (its lexer
// and SAX parser read, its serializer escapes user text; no json DOM is built). Internal to src/ticket.
#pragma once

#include <kefu/error.hpp>
#include <kefu/time.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kefu::ticket::snapshot_json {

using json = nlohmann::ordered_json;  // members keep the order they are written and read in

inline constexpr const char* snapshot_error_id = "kefu.ticket.snapshot";

[[noreturn]] inline void fail_at(const std::string& what, int line, int column) {
  throw parse_error("ticket snapshot: " + what, source_location{"<json>", line, column}, {}, snapshot_error_id);
}

// ---- writing ----------------------------------------------------------------------------------------------

/// Snapshot text written front to back in the layout snapshots have always had: the structure (braces, member
/// names, the line breaks) here, every string by nlohmann-json's serializer (escapes, and text that is not UTF-8
/// refused with a type_error). No document is built first: writing costs what the text costs. The serializer
/// is nlohmann's own (detail::serializer, what json::dump() runs) so that its output goes straight into `out`.
class writer {
 public:
  explicit writer(std::string& out)
      : out_(out), ser_(nlohmann::detail::output_adapter<char, std::string>(out), ' ', nlohmann::detail::error_handler_t::strict) {}

  /// `{`; `before` goes before each member (a line break for the plan's tiers).
  void begin_object(const char* before = "") { open('{', before); }
  void end_object() { close('}'); }
  /// `[`; `before` goes before each item (a line break for history records).
  void begin_array(const char* before = "") { open('[', before); }
  void end_array() { close(']'); }

  void key(std::string_view name) {
    next();
    const std::size_t end = out_.size();
    out_.resize(end + name.size() + 3);  // member names are kefu's own identifiers: nothing to escape
    char* o = &out_[end];
    *o++ = '"';
    o = std::copy(name.begin(), name.end(), o);
    *o++ = '"';
    *o = ':';
    after_key_ = true;
  }
  void string(std::string_view s) {
    item();
    scratch_.get_ref<std::string&>().assign(s.data(), s.size());
    ser_.dump(scratch_, false, false, 0);
  }
  /// Text kefu writes itself (instants, state and event names, dates): ASCII letters, digits and
  /// punctuation that JSON needs no escape for, written without the serializer.
  void plain(std::string_view s) {
    item();
    out_ += '"';
    out_ += s;
    out_ += '"';
  }
  void state_name(state s) {  // "progress/tier", as to_string(state) has it
    item();
    out_ += '"';
    out_ += to_string(s.where);
    out_ += '/';
    out_ += to_string(s.level);
    out_ += '"';
  }
  void time(instant t) {
    item();
    out_ += '"';
    kefu::detail::append_instant(out_, t, time_zone::utc());
    out_ += '"';
  }
  void integer(std::int64_t n) {
    item();
    char buf[24];
    out_.append(buf, std::to_chars(buf, buf + sizeof buf, n).ptr);
  }
  void boolean(bool b) {
    item();
    out_ += b ? "true" : "false";
  }
  void null() {
    item();
    out_ += "null";
  }

 private:
  struct level {
    bool first = true;
    const char* before = "";
  };
  /// Before a member: a comma after the first, then the level's `before`.
  void next() {
    level& l = levels_[depth_ - 1];
    if (!l.first) out_ += ',';
    l.first = false;
    if (*l.before) out_ += l.before;
  }
  /// Before a value: nothing after its member name; else (an array item) as before a member.
  void item() {
    if (after_key_) {
      after_key_ = false;
    } else if (depth_ > 0) {
      next();
    }
  }
  void open(char c, const char* before) {
    item();
    out_ += c;
    levels_[depth_++] = level{true, before};
  }
  void close(char c) {
    --depth_;
    out_ += c;
  }

  std::string& out_;
  nlohmann::detail::serializer<json> ser_;
  json scratch_ = json::string_t();
  std::array<level, 8> levels_{};  // snapshots nest four deep
  std::size_t depth_ = 0;
  bool after_key_ = false;
};


/// nlohmann-json writes U+0008 and U+000C as \b and \f, where snapshots have always had \u0008 and \u000c
/// (both read back the same; the bytes stay what they were). In the output every backslash starts an escape.
inline void classic_escapes(std::string& out) {
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
std::string written(const std::string& what, std::size_t room, F write) {
  std::string out;
  out.reserve(room);
  try {
    writer w(out);
    write(w);
  } catch (const json::type_error& e) {
    throw error("ticket snapshot: cannot write " + what + ": a text in it is not valid UTF-8 (" + e.what() + ")", {}, {},
                snapshot_error_id);
  }
  classic_escapes(out);
  return out;
}

// ---- reading: a JSON document with where each value starts --------------------------------------------------

/// Line and column (1-based, in bytes) of the byte at `offset`.
struct position {
  int line = 1;
  int column = 1;
};
inline position position_of(std::string_view text, std::size_t offset) {
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

inline bool word_char(char c) {
  return c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/// Where the number or literal (true, false, null) that ends at or just before `end` starts (the lexer reads
/// one character past a number).
inline std::size_t word_start(std::string_view text, std::size_t end) {
  if (end >= text.size() || (!word_char(text[end]) && end > 0)) --end;
  while (end > 0 && word_char(text[end - 1])) --end;
  return end;
}

/// Where the string whose closing quote is at `close` opens: the nearest quote before it not escaped (preceded
/// by an even number of backslashes).
inline std::size_t string_start(std::string_view text, std::size_t close) {
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
inline std::string syntax_message(std::string m, const std::string& last_token) {
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

/// A parsed snapshot: every value in document order (a container's first item or member right after it, then
/// each sibling by `next`), strings in one arena, and the byte offset where each value starts (lines and
/// columns are counted from it only for an error). Smaller and faster to build than a json DOM, and it keeps
/// where each value was.
struct document {
  enum class kind : std::uint8_t { null, boolean, integer, string, array, object };
  struct value {
    kind type = kind::null;
    bool b = false;
    std::int64_t i = 0;
    std::size_t text_at = 0, text_size = 0;  // a string's text in the arena
    std::size_t key_at = 0, key_size = 0;    // an object member's name in the arena
    std::size_t count = 0;                   // items or members
    std::size_t next = 0;                    // the next item or member of the same container (0: none)
    std::size_t at = 0;                      // byte offset in the text where the value starts
  };
  std::string_view text;
  std::vector<value> values;
  std::string arena;

  std::string_view string_of(const value& v) const { return {arena.data() + v.text_at, v.text_size}; }
  std::string_view key_of(const value& v) const { return {arena.data() + v.key_at, v.key_size}; }
};

/// nlohmann-json's SAX events into a document.
class builder {
 public:
  builder(document& doc, const char* const* last) : doc_(doc), text_(doc.text), last_(last) {
    doc_.values.reserve(text_.size() / 16 + 4);
    doc_.arena.reserve(text_.size());
  }

  bool null() { return add({}, word()); }
  bool boolean(bool b) {
    document::value v;
    v.type = document::kind::boolean;
    v.b = b;
    return add(v, word());
  }
  bool number_integer(json::number_integer_t n) {
    document::value v;
    v.type = document::kind::integer;
    v.i = n;
    return add(v, word());
  }
  bool number_unsigned(json::number_unsigned_t n) {
    if (n > static_cast<json::number_unsigned_t>(std::numeric_limits<std::int64_t>::max())) fail("integer too large", word());
    return number_integer(static_cast<std::int64_t>(n));
  }
  bool number_float(json::number_float_t, const json::string_t& text) {
    const bool integer = text.find_first_of(".eE") == std::string::npos;  // an integer past the 64-bit range
    fail(integer ? "integer too large" : "only integers are expected in a ticket snapshot", word());
  }
  bool string(json::string_t& s) {
    document::value v;
    v.type = document::kind::string;
    v.text_at = doc_.arena.size();
    v.text_size = s.size();
    doc_.arena += s;
    return add(v, quoted());
  }
  bool binary(json::binary_t&) { return false; }  // not in JSON text
  bool start_object(std::size_t) {
    document::value v;
    v.type = document::kind::object;
    return open(v, here());
  }
  bool key(json::string_t& k) {
    const frame& f = open_.back();
    const document::value& object = doc_.values[f.index];
    // A snapshot's objects have at most ten members; a bound keeps the duplicate check linear in the text.
    if (object.count >= max_members) fail("more than " + std::to_string(max_members) + " members in one object", quoted());
    for (std::size_t m = object.count ? f.index + 1 : 0; m; m = doc_.values[m].next)
      if (doc_.key_of(doc_.values[m]) == k) fail("duplicate member '" + k + "'", quoted());
    key_at_ = doc_.arena.size();
    key_size_ = k.size();
    doc_.arena += k;
    return true;
  }
  bool end_object() {
    open_.pop_back();
    return true;
  }
  bool start_array(std::size_t) {
    document::value v;
    v.type = document::kind::array;
    return open(v, here());
  }
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
    std::size_t index;  // the open container
    std::size_t last;   // its last item or member so far (0: none yet)
  };

  std::size_t here() const { return *last_ ? static_cast<std::size_t>(*last_ - text_.data()) : 0; }
  std::size_t word() const { return word_start(text_, here()); }
  std::size_t quoted() const { return string_start(text_, here()); }

  [[noreturn]] void fail(const std::string& what, std::size_t offset) const {
    const position p = position_of(text_, offset);
    fail_at(what, p.line, p.column);
  }

  /// Adds a value where the document stands.
  bool add(document::value v, std::size_t offset) {
    if (open_.size() > max_depth) fail("nesting too deep", offset);
    v.at = offset;
    const std::size_t index = doc_.values.size();
    if (!open_.empty()) {
      frame& parent = open_.back();
      document::value& container = doc_.values[parent.index];
      ++container.count;
      if (container.type == document::kind::object) {
        v.key_at = key_at_;
        v.key_size = key_size_;
      }
      if (parent.last) doc_.values[parent.last].next = index;
      parent.last = index;
    }
    doc_.values.push_back(v);
    return true;
  }
  bool open(const document::value& v, std::size_t offset) {
    add(v, offset);
    open_.push_back({doc_.values.size() - 1, 0});
    return true;
  }

  static constexpr std::size_t max_depth = 32;
  static constexpr std::size_t max_members = 64;
  document& doc_;
  std::string_view text_;
  const char* const* last_;
  std::vector<frame> open_;
  std::size_t key_at_ = 0, key_size_ = 0;
};

/// A value of the document.
struct node {
  const document* doc;
  std::size_t index;

  const document::value& v() const { return doc->values[index]; }
  bool is_null() const { return v().type == document::kind::null; }
  bool is_boolean() const { return v().type == document::kind::boolean; }
  bool is_integer() const { return v().type == document::kind::integer; }
  bool is_string() const { return v().type == document::kind::string; }
  bool is_array() const { return v().type == document::kind::array; }
  bool is_object() const { return v().type == document::kind::object; }
  std::string_view string() const { return doc->string_of(v()); }
  std::int64_t integer() const { return v().i; }
  bool boolean() const { return v().b; }
  std::string_view key() const { return doc->key_of(v()); }
  /// The first item or member (a container's), the next one (an item's or member's); empty at the end.
  std::optional<node> first() const {
    if (v().count == 0) return std::nullopt;
    return node{doc, index + 1};
  }
  std::optional<node> next() const {
    if (v().next == 0) return std::nullopt;
    return node{doc, v().next};
  }
};

[[noreturn]] inline void fail_at(const std::string& what, const node& n) {
  const position p = position_of(n.doc->text, n.v().at);
  fail_at(what, p.line, p.column);
}

/// Typed access to an object's members: every member must be read exactly once (unknown ones are errors).
class jobject {
 public:
  /// `base` (outliving the jobject) + `tail` + `[index]` when index ≥ 0 is the object's path, put together
  /// only for an error: reading a long history builds no strings.
  jobject(node n, std::string_view base, const char* tail = "", std::ptrdiff_t index = -1)
      : n_(n), base_(base), tail_(tail), index_(index) {
    if (!n.is_object()) fail_at(path() + ": expected an object", n);
  }
  std::string path() const {
    std::string p(base_);
    p += tail_;
    if (index_ >= 0) p += "[" + std::to_string(index_) + "]";
    return p;
  }
  node get(const char* key) {
    const std::string_view name(key);
    std::size_t k = 0;
    for (auto m = n_.first(); m; m = m->next(), ++k)
      if (m->key() == name) {
        used_ |= std::uint64_t{1} << k;  // the builder allows at most 64 members
        return *m;
      }
    fail_at(path() + ": missing member '" + key + "'", n_);
  }
  bool has(const char* key) const {
    const std::string_view name(key);
    for (auto m = n_.first(); m; m = m->next())
      if (m->key() == name) return true;
    return false;
  }
  std::string str(const char* key) {
    const node x = get(key);
    if (!x.is_string()) fail_at(where(key) + ": expected a string", x);
    return std::string(x.string());
  }
  bool boolean(const char* key) {
    const node x = get(key);
    if (!x.is_boolean()) fail_at(where(key) + ": expected true or false", x);
    return x.boolean();
  }
  std::int64_t integer(const char* key) {
    const node x = get(key);
    if (!x.is_integer()) fail_at(where(key) + ": expected an integer", x);
    return x.integer();
  }
  instant time(const char* key) {
    const node x = get(key);
    if (!x.is_string()) fail_at(where(key) + ": expected a date-time string", x);
    try {
      return parse_instant(x.string());
    } catch (const parse_error& e) {
      fail_at(where(key) + ": " + e.detail(), x);
    }
  }
  void done() const {
    std::size_t k = 0;
    for (auto m = n_.first(); m; m = m->next(), ++k)
      if (!(used_ >> k & 1)) fail_at(path() + ": unknown member '" + std::string(m->key()) + "'", *m);
  }
  std::string where(const char* key) const { return path() + "." + key; }
  node value() const { return n_; }

 private:
  node n_;
  std::string_view base_;
  const char* tail_;
  std::ptrdiff_t index_;
  std::uint64_t used_ = 0;
};

/// The items of an array value.
inline std::vector<node> items_of(const node& n) {
  std::vector<node> out;
  out.reserve(n.v().count);
  for (auto i = n.first(); i; i = i->next()) out.push_back(*i);
  return out;
}

/// Member `key` of `o`, a name `parse` knows.
template <class T>
T named(jobject& o, const char* key, std::optional<T> (*parse)(std::string_view), const char* what) {
  const node x = o.get(key);
  if (!x.is_string()) fail_at(o.where(key) + ": expected a string", x);
  const auto v = parse(x.string());
  if (!v) fail_at(o.where(key) + ": unknown " + what + " '" + std::string(x.string()) + "'", x);
  return *v;
}

}  // namespace kefu::ticket::snapshot_json
