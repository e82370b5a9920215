// The facts vocabulary file (rules/facts.yaml), read with the policy loader's field reader.
#pragma once

#include <kefu/rules/value.hpp>

#include <string>
#include <vector>

namespace kefu::rules::detail {

struct facts_document {
  std::string name, version, description, file;
  kefu::time_zone zone;
  std::vector<field> fields;
};

facts_document load_facts_document(const std::string& path);

/// facts.yaml's `non_negative: true`: a count or an amount below zero is refused (parse_error naming the fact,
/// id kefu.rules.negative_fact).
void check_fact_not_negative(const field& f, const value& v);

/// The facts files (documents starting with `facts:`) in the directory of a policy file, sorted; a
/// policy's `values: from facts` needs exactly one.
std::vector<std::string> facts_files_beside(const std::string& policy_path);

}  // namespace kefu::rules::detail
