#include "detail/yaml_support.hpp"

#include <kefu/detail/hash.hpp>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <fstream>
#include <sstream>
#include <unordered_map>
#include <vector>

namespace kefu::detail {

namespace {

std::size_t line_start(const std::string& text, int line) {  // line 1-based
  std::size_t pos = 0;
  for (int l = 1; l < line && pos != std::string::npos; ++l) {
    pos = text.find('\n', pos);
    if (pos != std::string::npos) ++pos;
  }
  return pos == std::string::npos ? text.size() : pos;
}

source_location location_at(const std::string& text, const std::string& name, std::size_t pos) {
  pos = std::min(pos, text.size());
  int line = 1;
  std::size_t start = 0;
  for (std::size_t i = 0; i < pos; ++i)
    if (text[i] == '\n') {
      ++line;
      start = i + 1;
    }
  return {name, line, static_cast<int>(pos - start) + 1};
}

/// The position of the flow bracket still open at `until` ('{' or '['), or npos.
std::size_t unclosed_bracket(const std::string& text, std::size_t until, char open) {
  std::vector<std::size_t> stack;
  char quote = 0;
  for (std::size_t i = 0; i < until && i < text.size(); ++i) {
    const char c = text[i];
    if (quote) {
      if (c == quote) {
        if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') ++i;
        else quote = 0;
      } else if (c == '\\' && quote == '"') {
        ++i;
      }
      continue;
    }
    if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\n')) {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if ((c == '\'' || c == '"') && (i == 0 || std::string(" \t[{,:\n").find(text[i - 1]) != std::string::npos)) quote = c;
    else if (c == '{' || c == '[') stack.push_back(i);
    else if ((c == '}' || c == ']') && !stack.empty()) stack.pop_back();
  }
  for (auto it = stack.rbegin(); it != stack.rend(); ++it)
    if (text[*it] == open) return *it;
  return std::string::npos;
}

/// Counts what a document expands to before anything walks it: every node, with each alias (`*name`)
/// counting the nodes of the anchored value again, and the nesting depth. A few hundred bytes of nested
/// aliases ("billion laughs") would otherwise cost minutes in every walk over the tree.
class expansion_bound : public YAML::EventHandler {
 public:
  static constexpr std::uint64_t max_nodes = 1'000'000;
  static constexpr std::size_t max_depth = 256;

  /// `text_size`: a YAML text yields at most about one value per character before aliases; a parser that
  /// yields far more is looping on malformed input (found by fuzz_kpi_files: 895 bytes of garbage made
  /// yaml-cpp 0.7 emit a million values), so max_events stops it.
  expansion_bound(const std::string& name, std::size_t text_size) : name_(name), max_events_(4 * text_size + 64) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor, 1); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = sizes_.find(anchor);
    leaf(mark, 0, it == sizes_.end() ? 1 : it->second);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string&) override {
    leaf(mark, anchor, 1);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct frame {
    YAML::anchor_t anchor;
    std::uint64_t size;  // the node and everything below it, aliases expanded
  };
  static std::uint64_t capped(std::uint64_t a, std::uint64_t b) { return std::min(a + b, max_nodes + 1); }
  void count(const YAML::Mark& mark, std::uint64_t n) {
    if (++events_ > max_events_)
      throw parse_error("invalid YAML: the text cannot be read from here on (the parser makes no progress); check "
                            "this line for stray characters or unbalanced brackets",
                        location_of(mark, name_));
    total_ = capped(total_, n);
    if (total_ > max_nodes)
      throw parse_error("the YAML expands to more than " + std::to_string(max_nodes) +
                            " values (anchors & and aliases * repeat their values); write the values out or use "
                            "fewer aliases",
                        location_of(mark, name_));
  }
  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor, std::uint64_t n) {
    if (anchor) sizes_[anchor] = n;
    if (!stack_.empty()) stack_.back().size = capped(stack_.back().size, n);
    count(mark, n);
  }
  void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (stack_.size() >= max_depth)
      throw parse_error("the YAML nests deeper than " + std::to_string(max_depth) + " levels",
                        location_of(mark, name_));
    stack_.push_back({anchor, 1});
    count(mark, 1);
  }
  void close() {
    const frame done = stack_.back();
    stack_.pop_back();
    if (done.anchor) sizes_[done.anchor] = done.size;
    if (!stack_.empty()) stack_.back().size = capped(stack_.back().size, done.size);
  }

  std::string name_;
  std::vector<frame> stack_;
  std::unordered_map<YAML::anchor_t, std::uint64_t> sizes_;
  std::uint64_t total_ = 0;
  std::uint64_t max_events_;
  std::uint64_t events_ = 0;
};

yaml_file parse(std::string text, const std::string& name) {
  yaml_file f{name, std::move(text), {}};
  try {
    {
      std::istringstream in(f.text);
      YAML::Parser parser(in);
      expansion_bound bound(name, f.text.size());
      while (parser.HandleNextDocument(bound)) {
      }
    }
    f.root = YAML::Load(f.text);
  } catch (const YAML::ParserException& e) {
    const source_location at = location_of(e.mark, name);
    // A tab in the indentation of any line up to the error is the usual culprit; say so.
    for (int line = 1; line <= std::max(at.line, 1); ++line) {
      const std::size_t s = line_start(f.text, line);
      for (std::size_t i = s; i < f.text.size() && (f.text[i] == ' ' || f.text[i] == '\t'); ++i)
        if (f.text[i] == '\t')
          throw parse_error("invalid YAML: a tab indents this line; YAML indents with spaces only", {name, line, 1});
    }
    const std::size_t pos = e.mark.pos >= 0 ? static_cast<std::size_t>(e.mark.pos) : f.text.size();
    std::string msg = e.msg;
    source_location where = at;
    if (msg == YAML::ErrorMsg::END_OF_MAP_FLOW || msg == YAML::ErrorMsg::END_OF_SEQ_FLOW) {
      const char open = msg == YAML::ErrorMsg::END_OF_MAP_FLOW ? '{' : '[';
      const std::size_t b = unclosed_bracket(f.text, pos, open);
      if (b != std::string::npos) where = location_at(f.text, name, b);
      msg = std::string("'") + open + "' is not closed (add the matching '" + (open == '{' ? '}' : ']') + "')";
    } else if (msg == YAML::ErrorMsg::MAP_VALUE) {
      msg = "unexpected ':' (is this line indented too far, or does a value containing ': ' need quotes?)";
    } else if (msg == YAML::ErrorMsg::END_OF_MAP || msg == YAML::ErrorMsg::END_OF_SEQ) {
      msg += " (check the indentation of this line and the one before)";
    }
    throw parse_error("invalid YAML: " + msg, to_char_columns(f.text, where));
  }
  return f;
}

}  // namespace

yaml_file read_yaml_file(const std::string& path, const std::string& display_name) {
  const std::string name = display_name.empty() ? path : display_name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw error("cannot open '" + path + "' for reading", {name, 0, 0});
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), name);
}

yaml_file read_yaml_string(const std::string& text, const std::string& display_name) {
  return parse(text, display_name);
}

source_location to_char_columns(const std::string& text, source_location loc) {
  if (loc.line <= 0 || loc.column <= 1) return loc;
  const std::size_t start = line_start(text, loc.line);
  const std::size_t end = std::min(text.size(), start + static_cast<std::size_t>(loc.column - 1));
  int chars = 0;
  for (std::size_t i = start; i < end; ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++chars;  // count lead bytes only
  loc.column = chars + 1;
  return loc;
}

source_location locate_in_scalar(const yaml_file& f, const YAML::Node& scalar, std::size_t offset) {
  const std::string& t = f.text;
  const YAML::Mark m = scalar.Mark();
  if (m.pos < 0 || static_cast<std::size_t>(m.pos) >= t.size()) return location_of(m, f.name);
  std::size_t i = static_cast<std::size_t>(m.pos);
  const char style = t[i];
  std::size_t k = 0;  // offset in the value
  auto skip_break = [&]() {  // a line break and the next line's indentation fold into one character
    ++i;
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
  };
  if (style == '|' || style == '>') {
    while (i < t.size() && t[i] != '\n') ++i;  // the header line
    if (i < t.size()) ++i;
    std::size_t indent = 0;
    while (i + indent < t.size() && t[i + indent] == ' ') ++indent;
    while (i < t.size()) {
      const std::size_t eol = t.find('\n', i) == std::string::npos ? t.size() : t.find('\n', i);
      const std::size_t content = std::min(eol, i + indent);
      const std::size_t length = eol - content;
      if (offset <= k + length || eol == t.size()) return location_at(t, f.name, content + std::min(offset - k, length));
      k += length + 1;  // '\n' (literal) or ' ' (folded)
      i = eol + 1;
    }
    return location_at(t, f.name, t.size());
  }
  const bool single = style == '\'', dbl = style == '"';
  if (single || dbl) ++i;
  while (i < t.size() && k < offset) {
    const char c = t[i];
    if (single && c == '\'') {
      if (i + 1 < t.size() && t[i + 1] == '\'') {
        i += 2;
        ++k;
        continue;
      }
      break;
    }
    if (dbl && c == '"') break;
    if (dbl && c == '\\' && i + 1 < t.size()) {
      const char e = t[i + 1];
      const std::size_t digits = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
      std::size_t produced = 1;
      if (digits) {
        const unsigned long cp = std::stoul(t.substr(i + 2, digits), nullptr, 16);
        produced = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      }
      i += 2 + digits;
      k += produced;
      continue;
    }
    if (c == '\n') {
      skip_break();
      ++k;
      continue;
    }
    ++i;
    ++k;
  }
  return location_at(t, f.name, i);
}

void check_duplicate_keys(const yaml_file& f, const YAML::Node& node, const std::string& rule_id) {
  if (node.IsSequence()) {
    for (const auto& item : node) check_duplicate_keys(f, item, rule_id);
    return;
  }
  if (!node.IsMap()) return;
  std::vector<std::pair<std::string, YAML::Mark>> seen;
  for (const auto& kv : node) {
    if (kv.first.IsScalar()) {
      const std::string key = kv.first.Scalar();
      for (const auto& [k, mark] : seen)
        if (k == key) {
          const source_location first = to_char_columns(f.text, location_of(mark, f.name));
          throw policy_error("duplicate key '" + key + "' (first at " + std::to_string(first.line) + ":" +
                                 std::to_string(first.column) + ")",
                             location_of(kv.first, f.name), rule_id);
        }
      seen.emplace_back(key, kv.first.Mark());
    }
    check_duplicate_keys(f, kv.second, rule_id);
  }
}

std::string scalar_text(const YAML::Node& node, const std::string& file, const std::string& what) {
  if (!node.IsDefined()) throw policy_error(what + " is missing", location_of(node, file));
  if (!node.IsScalar())
    throw policy_error(what + " must be a single value, not " +
                           (node.IsMap() ? "a mapping" : node.IsSequence() ? "a list" : "empty"),
                       location_of(node, file));
  return node.Scalar();
}

}  // namespace kefu::detail

namespace kefu::detail {

namespace {

/// Two independent 64-bit hashes over one byte stream (FNV-1a, and a multiply–rotate hash finished with
/// splitmix64), so an accidental collision of both is out of reach for any rules a person writes.
struct digest_stream {
  std::uint64_t fnv = kefu::detail::fnv1a_basis, mix = 0x9e3779b97f4a7c15ULL;
  void byte(unsigned char c) {
    fnv = kefu::detail::fnv1a(fnv, c);
    mix = (mix ^ c) * 0xff51afd7ed558ccdULL;
    mix = (mix << 31) | (mix >> 33);
  }
  void number(std::uint64_t n) {
    for (int k = 0; k < 8; ++k) byte(static_cast<unsigned char>(n >> (8 * k)));
  }
  void text(std::string_view s) {  // length first: "ab","c" and "a","bc" differ
    number(s.size());
    for (const char c : s) byte(static_cast<unsigned char>(c));
  }
  void node(const YAML::Node& n) {
    byte(static_cast<unsigned char>(n.Type()));
    text(n.Tag());  // "!" for a quoted scalar, "?" for a plain one: the loader may read them differently
    switch (n.Type()) {
      case YAML::NodeType::Scalar: text(n.Scalar()); break;
      case YAML::NodeType::Sequence:
        number(n.size());
        for (const auto& item : n) node(item);
        break;
      case YAML::NodeType::Map:
        number(n.size());
        for (const auto& kv : n) {
          node(kv.first);
          node(kv.second);
        }
        break;
      default: break;
    }
  }
  std::array<std::uint64_t, 2> result() const { return {fnv, kefu::detail::splitmix64(mix)}; }
};

}  // namespace

std::array<std::uint64_t, 2> tree_digest(const YAML::Node& node) {
  digest_stream d;
  d.node(node);
  return d.result();
}

std::array<std::uint64_t, 2> mix_digest(const std::array<std::uint64_t, 2>& digest, std::string_view text) {
  digest_stream d;
  d.number(digest[0]);
  d.number(digest[1]);
  d.text(text);
  return d.result();
}

}  // namespace kefu::detail
