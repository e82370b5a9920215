#include <kefu/rules/catalog.hpp>

#include "detail/yaml_support.hpp"
#include "rules/documents.hpp"

#include <algorithm>
#include <filesystem>
#include <utility>

namespace kefu::rules {

const char* to_string(document_kind kind) noexcept {
  switch (kind) {
    case document_kind::calendar: return "calendar";
    case document_kind::policy: return "policy";
    case document_kind::scorecard: return "scorecard";
    case document_kind::targets: return "targets";
    case document_kind::suite: return "suite";
    case document_kind::facts: return "facts";
    case document_kind::clocks: return "clocks";
  }
  return "?";
}

namespace {

constexpr std::pair<const char*, document_kind> kinds[] = {
    {"calendar", document_kind::calendar}, {"policy", document_kind::policy},
    {"scorecard", document_kind::scorecard}, {"targets", document_kind::targets},
    {"suite", document_kind::suite}, {"facts", document_kind::facts},
    {"clocks", document_kind::clocks},
};

std::size_t size_of(const YAML::Node& node) { return node && (node.IsSequence() || node.IsMap()) ? node.size() : 0; }

std::size_t count_entries(const YAML::Node& doc, document_kind kind) {
  switch (kind) {
    case document_kind::calendar: return size_of(doc["holidays"]) + size_of(doc["workdays"]) + size_of(doc["special_days"]);
    case document_kind::policy: return size_of(doc["rules"]);
    case document_kind::scorecard: return size_of(doc["items"]);
    case document_kind::targets: return size_of(doc["metrics"]);
    case document_kind::suite: return size_of(doc["cases"]);
    case document_kind::facts: return size_of(doc["fields"]);
    case document_kind::clocks: return size_of(doc["named"]);
  }
  return 0;
}

document_summary summarise(const kefu::detail::yaml_file& f, std::string relative) {
  const YAML::Node& doc = f.root;
  const std::string& display = f.name;
  if (!doc.IsMap())
    throw policy_error("a rules document must be a mapping whose first key names its kind "
                       "(calendar, policy, scorecard, targets, suite, facts or clocks)",
                       kefu::detail::location_of(doc, display).known() ? kefu::detail::location_of(doc, display)
                                                                 : source_location{display, 1, 1});
  const auto first = doc.begin();
  const std::string key = first->first.IsScalar() ? first->first.Scalar() : std::string();
  const auto found = std::find_if(std::begin(kinds), std::end(kinds), [&](const auto& k) { return key == k.first; });
  if (found == std::end(kinds))
    throw policy_error("unknown rules document kind '" + key +
                           "': the first key must be one of calendar, policy, scorecard, targets, suite, facts, clocks",
                       kefu::detail::location_of(first->first, display));
  document_summary s{std::move(relative), found->second, {}, {}, {}, 0};
  s.name = kefu::detail::scalar_text(first->second, display, std::string("'") + key + "'");
  if (s.name.empty())
    throw policy_error(std::string("'") + key + "' needs a name", kefu::detail::location_of(first->first, display));
  if (const YAML::Node v = doc["version"]) s.version = kefu::detail::scalar_text(v, display, "'version'");
  if (const YAML::Node d = doc["description"]) s.description = kefu::detail::scalar_text(d, display, "'description'");
  s.entries = count_entries(doc, s.kind);
  return s;
}

}  // namespace

}  // namespace kefu::rules

namespace kefu::detail {

std::vector<scanned_document> scan_rules_documents(const std::string& directory) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(directory, ec))
    throw error("rules directory '" + directory + "' does not exist or is not a directory");
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(directory, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const auto ext = it->path().extension();
    if (it->is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(it->path());
  }
  if (ec) throw error("cannot list rules directory '" + directory + "': " + ec.message());
  // Sorted by relative path before parsing: a YAML::Node's assignment writes through to the node it refers
  // to, so parsed documents must never be sorted (moved by assignment) afterwards.
  std::vector<std::pair<std::string, fs::path>> sorted;
  sorted.reserve(files.size());
  for (auto& f : files) sorted.emplace_back(fs::relative(f, directory).generic_string(), std::move(f));
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<scanned_document> out;
  out.reserve(sorted.size());
  for (auto& [relative, f] : sorted) {
    yaml_file parsed = read_yaml_file(f.string(), f.generic_string());
    rules::document_summary summary = rules::summarise(parsed, std::move(relative));
    out.push_back({std::move(summary), std::move(parsed)});
  }
  return out;
}

}  // namespace kefu::detail

namespace kefu::rules {

std::vector<document_summary> scan_rules_directory(const std::string& directory) {
  std::vector<document_summary> out;
  for (auto& d : kefu::detail::scan_rules_documents(directory)) out.push_back(std::move(d.summary));
  return out;
}

document_summary describe_rules_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw error("rules file '" + path + "' does not exist");
  return summarise(kefu::detail::read_yaml_file(path, path), path);
}

}  // namespace kefu::rules
