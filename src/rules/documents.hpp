// Private to the compiled part: the documents of a rules directory, each parsed once. load_directory reads
// its rule tests from the parse the directory scan made (the scan has to parse every file to tell its kind).
#pragma once

#include <kefu/rules/catalog.hpp>
#include <kefu/rules/suite.hpp>

#include "../detail/yaml_support.hpp"

#include <string>
#include <vector>

namespace kefu::detail {

/// A rules document: its summary and its parsed YAML.
struct scanned_document {
  rules::document_summary summary;
  yaml_file file;
};

/// What scan_rules_directory returns, with each file's parse kept (same order, same errors).
std::vector<scanned_document> scan_rules_documents(const std::string& directory);

}  // namespace kefu::detail

namespace kefu::rules::detail {

/// A policy from a file already parsed (its tree may have been edited: mutation testing does). `facts` is the
/// vocabulary for `values: from facts`; nullptr looks for the facts file beside `policy_path`.
policy_ptr load_policy_document(const kefu::detail::yaml_file& f, const std::string& policy_path,
                                const std::vector<field>* facts);

/// A suite from a file already parsed; load_suite_file is read_yaml_file + this.
suite load_suite_document(const kefu::detail::yaml_file& f);

}  // namespace kefu::rules::detail
