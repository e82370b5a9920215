// kefu — what a rules directory holds.
//
// A rules directory (the shipped default in rules/, or a retailer's own) contains YAML documents of
// a few kinds, told apart by their first key: `calendar:`, `policy:`, `scorecard:`, `targets:`,
// `suite:` (rule tests), `facts:` (the ticket facts vocabulary) and `clocks:` (named clocks, DOM-SLA-10). scan_rules_directory reads every *.yaml / *.yml below a directory, checks
// that each is valid YAML of a known kind, and summarises it. It is what `kefu rules` prints and
// what later loaders start from.
#pragma once

#include <kefu/error.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace kefu::rules {

enum class document_kind { calendar, policy, scorecard, targets, suite, facts, clocks };

/// "calendar", "policy", …
const char* to_string(document_kind kind) noexcept;

struct document_summary {
  std::string path;         ///< relative to the scanned directory, '/'-separated
  document_kind kind;
  std::string name;         ///< the value of the kind key, e.g. "cn-mainland"
  std::string version;      ///< `version:` if present
  std::string description;  ///< `description:` if present
  std::size_t entries = 0;  ///< rules, holidays + workdays, cases … depending on the kind
};

/// Summaries of every rules document below `directory`, sorted by path. Throws kefu::parse_error
/// (YAML syntax, with file:line:column) or kefu::policy_error (unknown kind, missing name) for the
/// first bad file; a directory that does not exist is a kefu::error.
std::vector<document_summary> scan_rules_directory(const std::string& directory);

/// The summary of one rules file (its path as given); the same errors as scan_rules_directory.
document_summary describe_rules_file(const std::string& path);

}  // namespace kefu::rules
