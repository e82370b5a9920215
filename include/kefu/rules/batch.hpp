// kefu — columnar evaluation: a policy decides a whole batch of rows given as typed columns.
//
// A batch holds one column per input, in the input's unit (value.hpp): bool 0/1, int as is, decimal in
// millionths, money in fen, duration in seconds, date in days since 1970-01-01, datetime in seconds since
// 1970-01-01Z, enum as the index of its value, set as a bit mask of its values; text as string_views. A
// column may mark rows as missing (one byte per row, non-zero = not given): the input's default applies
// there, and without a default the row misses the input. An input left out altogether takes its default.
//
//   kefu::rules::batch b(policy, n);
//   b.codes("category", category_codes)          // enum value indices, −1 = not given
//    .numbers("claimed_amount", fen)             // money in fen
//    .bools("has_receipt", receipts);
//   const auto decided = kefu::rules::evaluate_columns(b);   // decided.rule_index[i], decided.output(o) …
//
// Every row decides exactly as policy::evaluate decides its record; errors are the ones evaluate gives,
// with "row N: " in front (class and id kept), for the first row at fault: a value that is not one of the
// input's values, a missing input, no rule and no default, two rules under `unique`. Large batches are
// decided on several threads (kefu/detail/parallel.hpp) with the same result and the same error.
#pragma once

#include <kefu/rules/policy.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

namespace kefu::rules {

class triage_policy;

/// The inputs of a batch of rows for one policy. Columns given as pointers are borrowed: their values must
/// stay alive until the batch is evaluated. Columns given as vectors are kept by the batch.
class batch {
 public:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  batch(const policy& p, std::size_t rows);
  /// A batch of ticket facts for triage_batch (kefu/rules/triage_columns.hpp): one column per fact of the
  /// vocabulary, in the fact's unit. A fact left out, or missing at a row, takes the vocabulary's default;
  /// a required fact without one is triage's error at that row ("missing fact(s) …"), so check() and
  /// first_bad_row() look at the values only. A derived fact's column may only leave every row missing (a row
  /// giving it a value is refused: kefu.rules.derived_fact); counts and amounts marked `non_negative` are checked.
  batch(const triage_policy& t, std::size_t rows);
  batch(const batch&) = delete;
  batch& operator=(const batch&) = delete;
  batch(batch&&) noexcept = default;
  batch& operator=(batch&&) noexcept = default;

  /// The policy whose inputs the columns are; kefu::error for a batch of facts.
  const policy& decider() const;
  /// The triage policy whose facts the columns are; nullptr for a batch of policy inputs.
  const triage_policy* triage() const noexcept { return triage_; }
  /// The fields the columns are for: the policy's inputs or the vocabulary's facts.
  const std::vector<field>& fields() const noexcept { return *fields_; }
  std::size_t rows() const noexcept { return rows_; }

  /// Slot of an input; kefu::error "policy 'P': unknown input 'x' (did you mean 'y'?)", id kefu.rules.unknown_input
  /// (for facts: "unknown fact 'x' (did you mean 'y'?)", id kefu.rules.unknown_fact).
  std::size_t slot(const std::string& input) const;

  /// A column of a non-text input: rows() values in the input's unit (borrowed). `missing`, when given, has
  /// rows() bytes, non-zero where the row gives no value. An input takes one column (kefu.rules.column).
  /// Enum indices, bools and set masks are checked to be in range unless `checked` says the values already
  /// are (a converter that made them from value names).
  batch& numbers(std::size_t slot, const std::int64_t* values, const std::uint8_t* missing = nullptr, bool checked = false);
  batch& numbers(const std::string& input, const std::int64_t* values, const std::uint8_t* missing = nullptr,
                 bool checked = false) {
    return numbers(slot(input), values, missing, checked);
  }
  /// The same, kept by the batch.
  batch& numbers(std::size_t slot, std::vector<std::int64_t> values, std::vector<std::uint8_t> missing = {});
  batch& numbers(const std::string& input, std::vector<std::int64_t> values, std::vector<std::uint8_t> missing = {}) {
    return numbers(slot(input), std::move(values), std::move(missing));
  }
  /// A bool input from bools (converted and kept).
  batch& bools(std::size_t slot, const bool* values, const std::uint8_t* missing = nullptr);
  batch& bools(const std::string& input, const bool* values, const std::uint8_t* missing = nullptr) {
    return bools(slot(input), values, missing);
  }
  /// An enum input from value indices (into field::values); a code below 0 is a row without a value
  /// (pandas' Categorical codes). Converted and kept.
  batch& codes(std::size_t slot, const std::int32_t* values);
  batch& codes(const std::string& input, const std::int32_t* values) { return codes(slot(input), values); }
  /// A text input: rows() views (borrowed, as is the text they view).
  batch& texts(std::size_t slot, const std::string_view* values, const std::uint8_t* missing = nullptr);
  batch& texts(const std::string& input, const std::string_view* values, const std::uint8_t* missing = nullptr) {
    return texts(slot(input), values, missing);
  }
  /// The same, kept by the batch.
  batch& texts(std::size_t slot, std::vector<std::string> values, std::vector<std::uint8_t> missing = {});
  batch& texts(const std::string& input, std::vector<std::string> values, std::vector<std::uint8_t> missing = {}) {
    return texts(slot(input), std::move(values), std::move(missing));
  }

  /// For converters (the Python binding): the value of input `slot` at `row` could not be read, for the
  /// reason `why` (a kefu::error naming the input). The column's values before `row` are valid, the ones
  /// from `row` on are not read. The batch raises it for that row unless an earlier row is at fault.
  batch& refuse(std::size_t slot, std::size_t row, std::exception_ptr why);

  /// The first row that cannot be decided because of its inputs — a refused value, a value that is not
  /// one of the input's values (enum code, bool other than 0/1, set bit), a missing input — or rows().
  std::size_t first_bad_row() const;
  /// Throws the error of that row ("row N: " + what policy::evaluate or the converter said; class and id
  /// kept): a bad value before missing inputs; among bad values of one row, the column given first.
  void check() const;

  /// Internal (evaluate_columns): the column of an input, or nullptr when it was not given.
  struct column {
    const std::int64_t* numbers = nullptr;
    const std::string_view* texts = nullptr;
    const std::uint8_t* missing = nullptr;
    bool checked = false;  // the values are known to be in range
    std::size_t refused_row = npos;
    std::exception_ptr refused;
  };
  const column* column_of(std::size_t slot) const noexcept { return given_[slot] ? &columns_[slot] : nullptr; }
  /// Slots of the given columns, in the order they were given.
  const std::vector<std::size_t>& order() const noexcept { return order_; }

 private:
  friend batch rebind(const batch& facts, const triage_policy& other);  // kefu/rules/triage_diff.hpp
  column& add(std::size_t slot, bool text);
  /// The first row at fault in one column (a refused or invalid value), npos when none; `error` says why.
  std::size_t first_bad_value(std::size_t slot, std::exception_ptr& error) const;
  /// The first row at fault, npos when none; `bad` is the bad value's error, null when inputs are missing.
  std::size_t find_fault(std::exception_ptr& bad) const;

  /// Whether a row must give the field for the batch to be readable: every input of a policy without a
  /// default (facts: none; triage checks the required ones row by row).
  bool needed(std::size_t slot) const;

  const policy* policy_ = nullptr;
  const triage_policy* triage_ = nullptr;
  const std::vector<field>* fields_;
  const char* noun_;  // "input" or "fact", in messages
  std::size_t rows_;
  std::vector<column> columns_;
  std::vector<std::uint8_t> given_;
  std::vector<std::size_t> order_;
  // Storage of the columns kept by the batch (moving a vector keeps its buffer, so views stay valid).
  std::vector<std::vector<std::int64_t>> kept_numbers_;
  std::vector<std::vector<std::uint8_t>> kept_masks_;
  std::vector<std::vector<std::string>> kept_strings_;
  std::vector<std::vector<std::string_view>> kept_views_;
};

/// One output for every row: value::number (0 where unset), value::text for text and deadline outputs
/// (views into the policy), and whether the row has a value.
struct output_column {
  std::vector<std::int64_t> numbers;
  std::vector<std::string_view> texts;
  std::vector<std::uint8_t> set;
};

/// The decisions of a batch as columns. It refers to the policy that decided (keep the policy alive).
struct decision_columns {
  const policy* decider = nullptr;
  /// Per row: the deciding rule (index into policy::rules(); under collect the first matched), −1 when
  /// the default decided.
  std::vector<std::int32_t> rule_index;
  /// Per row: 1 when no rule matched.
  std::vector<std::uint8_t> by_default;
  /// size() + 1 offsets: row i matched match_rules[match_offsets[i] .. match_offsets[i + 1]), in order
  /// (one rule under first/unique/priority, every matched rule under collect).
  std::vector<std::int64_t> match_offsets{0};
  std::vector<std::int32_t> match_rules;

  std::size_t size() const noexcept { return rule_index.size(); }
  /// What rule `rule` (−1: the default) decides for `output`; nullptr when it leaves it unset.
  const value* decided(std::int32_t rule, std::size_t output) const;
  /// The value of `output` at `row`; nullptr when unset.
  const value* value_at(std::size_t row, std::size_t output) const { return decided(rule_index.at(row), output); }
  /// Whether every row has `output` whatever it matched: every rule sets it, and so does the default when
  /// the policy has one (without a default no row is decided by it).
  bool always_set(std::size_t output) const;
  /// `output` for every row.
  output_column output(std::size_t output) const;
};

struct batch_options {
  /// Threads to decide on: 0 = one per core. The result and the error are the same on any number.
  unsigned threads = 0;
  /// No thread gets fewer rows than this (threads cost more than they save on small batches).
  std::size_t min_share = 16384;
};

/// Decides every row of the batch (batch::check() first). Throws as described at the top of this file.
decision_columns evaluate_columns(const batch& b, const batch_options& options = {});

/// Decides records (made by policy::make_record and filled, as a row reader fills them) one by one, each
/// exactly as policy::evaluate decides it; the first error has "row N: " in front (class and id kept).
std::vector<decision> evaluate_records(const policy& p, const std::vector<record>& rows);

}  // namespace kefu::rules
