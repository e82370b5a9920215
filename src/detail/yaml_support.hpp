// Private to the compiled part: yaml-cpp never appears in kefu's public headers.
#pragma once

#include <kefu/error.hpp>

#include <yaml-cpp/yaml.h>

#include <string>

namespace kefu::detail {

/// yaml-cpp marks are 0-based; kefu locations are 1-based.
inline source_location location_of(const YAML::Mark& mark, const std::string& file) {
  if (mark.line < 0) return {file, 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}
inline source_location location_of(const YAML::Node& node, const std::string& file) {
  return location_of(node.Mark(), file);
}

/// Loads a YAML file; syntax errors become kefu::parse_error with file, line and column.
/// `display_name` is what errors call the file (defaults to the path).
YAML::Node load_yaml_file(const std::string& path, const std::string& display_name = {});

/// Loads YAML text (errors name `display_name`).
YAML::Node load_yaml_string(const std::string& text, const std::string& display_name);

/// The scalar text of a node, without YAML's implicit typing: `no`, `on` and `1e3` stay strings.
/// Throws policy_error at the node when it is not a scalar.
std::string scalar_text(const YAML::Node& node, const std::string& file, const std::string& what);

}  // namespace kefu::detail
