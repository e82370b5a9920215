// Private to the compiled part: yaml-cpp never appears in kefu's public headers.
//
// yaml-cpp reports 0-based positions in bytes; kefu reports 1-based lines and columns in
// characters (what an editor shows on a line of Chinese text). Loaders work with byte locations
// inside and convert once, at their boundary, with with_char_columns().
#pragma once

#include <kefu/error.hpp>

#include <yaml-cpp/yaml.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace kefu::detail {

/// A YAML document with the text it came from.
struct yaml_file {
  std::string name;  ///< what errors call the file
  std::string text;
  YAML::Node root;
};

/// Reads and parses a file; syntax errors become kefu::parse_error with file, line and (character)
/// column and a message a rule author can act on. Duplicate keys in a mapping are errors too.
yaml_file read_yaml_file(const std::string& path, const std::string& display_name = {});
yaml_file read_yaml_string(const std::string& text, const std::string& display_name);

/// Backwards-compatible forms returning only the document.
inline YAML::Node load_yaml_file(const std::string& path, const std::string& display_name = {}) {
  return read_yaml_file(path, display_name).root;
}
inline YAML::Node load_yaml_string(const std::string& text, const std::string& display_name) {
  return read_yaml_string(text, display_name).root;
}

/// 1-based byte location of a mark (0-based bytes).
inline source_location location_of(const YAML::Mark& mark, const std::string& file) {
  if (mark.line < 0) return {file, 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}
inline source_location location_of(const YAML::Node& node, const std::string& file) {
  if (!node.IsDefined()) return source_location{file, 0, 0};  // a missing key has no place (yaml-cpp would throw)
  return location_of(node.Mark(), file);
}

/// A byte column turned into a character column on its line of `text`.
source_location to_char_columns(const std::string& text, source_location byte_location);

/// The byte location of the character at `offset` of a scalar's value, following the scalar's
/// style in the source (plain, quoted with escapes, literal | or folded > blocks).
source_location locate_in_scalar(const yaml_file& f, const YAML::Node& scalar, std::size_t offset);

/// Runs `load` and rethrows any kefu error from it with character columns.
template <class F>
auto with_char_columns(const std::string& text, F&& load) -> decltype(load()) {
  try {
    return load();
  } catch (const parse_error& e) {
    throw parse_error(e.detail(), to_char_columns(text, e.where()), e.rule_id(), e.id());
  } catch (const calendar_range_error& e) {
    throw calendar_range_error(e.detail(), to_char_columns(text, e.where()), e.rule_id(), e.id());
  } catch (const policy_error& e) {
    throw policy_error(e.detail(), to_char_columns(text, e.where()), e.rule_id(), e.id());
  }
}

/// Throws policy_error at the second of two equal keys of a mapping (and in every nested mapping),
/// "duplicate key 'rules' (first at 7:1)"; `rule_id` names the rule when the caller knows it.
void check_duplicate_keys(const yaml_file& f, const YAML::Node& node, const std::string& rule_id = {});

/// A 128-bit digest of a document as parsed: its structure, tags and scalars (not its comments, layout or
/// file name). Two policies compiled from documents with the same digest are the same policy (kefu diff
/// reuses what such a policy decided); a mutant, whose tree differs from its file's text, gets its own.
std::array<std::uint64_t, 2> tree_digest(const YAML::Node& node);
/// A digest and a text digested together (a pinned policy: its document's digest and the version's name).
std::array<std::uint64_t, 2> mix_digest(const std::array<std::uint64_t, 2>& digest, std::string_view text);

/// The scalar text of a node, without YAML's implicit typing: `no`, `on` and `1e3` stay strings.
/// Throws policy_error at the node when it is not a scalar.
std::string scalar_text(const YAML::Node& node, const std::string& file, const std::string& what);

}  // namespace kefu::detail
