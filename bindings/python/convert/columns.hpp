// Python columns → a kefu::rules::batch: a pandas DataFrame, a dict of columns (lists, numpy arrays, pandas
// Series) or a list of dicts, read value by value with the row reader's rules (convert/rows.hpp), so a value
// means, and is refused, exactly as it would be in a dict given to evaluate(). kefu/rules/batch.hpp decides.
#pragma once

#include "convert/rows.hpp"

#include <kefu/rules/batch.hpp>
#include <kefu/rules/policy.hpp>
#include <kefu/rules/triage_columns.hpp>
#include <kefu/rules/triage_diff.hpp>

#include <pybind11/pybind11.h>

#include <string>

namespace kefu::python {

/// "row N: ", the prefix of a batch's errors.
inline std::string row_prefix(std::size_t row) { return "row " + std::to_string(row) + ": "; }

/// Reads `data` (a DataFrame, a dict of input name → column, a list or tuple of dicts) and decides it with
/// `p`, without the GIL. `index` becomes the DataFrame's index when a DataFrame was given. Errors name the
/// row and the input, as evaluate() names them. Columns that are no input of `p` are skipped unless `strict`
/// (then refused, as evaluate() refuses an unknown key); a list of dicts is always read strictly.
kefu::rules::decision_columns decide_columns(const kefu::rules::policy& p, pybind11::handle data, pybind11::object& index,
                                             bool strict = false);

/// Reads `data` (a DataFrame, a pyarrow Table or a dict of fact name → column) and triages every row with
/// `t` on `threads` threads (0: one per core), without the GIL. `index` becomes the DataFrame's index when a
/// DataFrame (or a Table) was given. Errors name the row and the fact, as Policy.triage names them. Columns
/// that are no fact of the vocabulary are skipped unless `strict` (then refused, naming the column).
kefu::rules::triage_columns triage_columns_of(const kefu::rules::triage_policy& t, pybind11::handle data,
                                              pybind11::object& index, unsigned threads = 0, bool strict = false);

/// Both versions of the rules triage the same tickets and the changes are returned (kefu/rules/triage_diff.hpp).
/// `new_data` None: the old rules' columns are read once and shared (the vocabularies must be the same);
/// otherwise each version reads its own. Columns that are no fact are skipped.
kefu::rules::triage_changes diff_columns_of(const kefu::rules::triage_policy& old_rules, const kefu::rules::triage_policy& new_rules,
                                            pybind11::handle old_data, pybind11::handle new_data,
                                            const std::vector<std::size_t>& outputs, unsigned threads = 0);

/// numpy, imported.
inline pybind11::module_ numpy() { return pybind11::module_::import("numpy"); }

}  // namespace kefu::python
