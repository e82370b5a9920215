#include "detail/yaml_support.hpp"

#include <fstream>
#include <sstream>

namespace kefu::detail {

namespace {
YAML::Node parse(std::istream& in, const std::string& name) {
  try {
    return YAML::Load(in);
  } catch (const YAML::ParserException& e) {
    // e.msg is yaml-cpp's bare message; e.what() repeats the position in its own format.
    throw parse_error("invalid YAML: " + e.msg, location_of(e.mark, name));
  }
}
}  // namespace

YAML::Node load_yaml_file(const std::string& path, const std::string& display_name) {
  const std::string name = display_name.empty() ? path : display_name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw error("cannot open '" + path + "' for reading", {name, 0, 0});
  return parse(in, name);
}

YAML::Node load_yaml_string(const std::string& text, const std::string& display_name) {
  std::istringstream in(text);
  return parse(in, display_name);
}

std::string scalar_text(const YAML::Node& node, const std::string& file, const std::string& what) {
  if (!node.IsScalar())
    throw policy_error(what + " must be a single value, not a " +
                           (node.IsMap() ? "mapping" : node.IsSequence() ? "list" : "null"),
                       location_of(node, file));
  return node.Scalar();
}

}  // namespace kefu::detail
