// Private to the compiled part: the `clocks:` document of a rules directory, compiled from a file already
// parsed (load_directory's scan parses every file once to tell its kind).
#pragma once

#include <kefu/rules/clock_book.hpp>
#include <kefu/rules/value.hpp>

#include "../detail/yaml_support.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace kefu::rules::detail {

/// Finds a calendar by name (the directory's, then the built-ins); throws kefu::error for an unknown one.
using calendar_lookup = std::function<std::shared_ptr<const calendar::calendar>(const std::string&)>;

/// The clock book of a `clocks:` document; policy_error (id kefu.rules.clocks, file:line:column) for anything
/// that does not check against `facts` (the vocabulary), the calendars or the triggers.
clock_book_ptr load_clock_document(const kefu::detail::yaml_file& f, const std::vector<field>& facts,
                                   const calendar_lookup& calendar_named);

}  // namespace kefu::rules::detail
