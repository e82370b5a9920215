// kefu — decision policies: typed inputs, keyword sets, rules with compiled conditions, hit policies.
//
// A policy is loaded from YAML (docs/rules.md), checked, and compiled once; afterwards it is
// immutable and safe to share across threads (std::shared_ptr<const policy>). Evaluating a record
// does no string look-ups; with a reused decision object it does not allocate.
#pragma once

#include <kefu/rules/detail/program.hpp>
#include <kefu/rules/keywords.hpp>
#include <kefu/rules/value.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kefu::rules {

enum class hit_policy : std::uint8_t { first, collect, unique, priority };
const char* to_string(hit_policy h) noexcept;

struct rule {
  std::string id;
  /// Index into policy::versions() of the version the rule belongs to; −1 in a policy without versions.
  std::int32_t version = -1;
  std::string description;
  std::string source;  ///< the requirement it encodes, e.g. "DOM-REF-1 (004 §3.2)"
  std::string when;    ///< the condition as written
  std::int32_t root = -1;  ///< condition root in the policy's program (−1 = always), its version's window included
  std::int32_t condition = -1;  ///< the condition as written, without the version's window (−1 = always)
  std::int64_t priority = 0;
  std::vector<std::optional<value>> then;  ///< per output; unset outputs come from the default
  source_location where;
  source_location when_where;
};

/// A finding of the static checks that does not stop loading (errors throw instead).
struct diagnostic {
  std::string message;
  source_location where;
  std::string rule_id;
  std::string check;  ///< short id of the check, e.g. "unused-keywords", "unreachable-rule"
};

/// One condition as an explanation shows it.
struct condition_trace {
  std::size_t rule = 0;          ///< index into policy::rules()
  std::string text;              ///< the sub-expression as written
  bool result = false;
  std::vector<std::pair<std::string, std::string>> reads;  ///< input name → value as text
  std::vector<std::string> words;  ///< for keyword tests: the words found (that count)
  /// For keyword tests: words found that do not count, each with why — "受伤 (negated by 没有)",
  /// "曝光 (inside the exception 自动曝光)" (DOM-RISK-5).
  std::vector<std::string> discounted;
};

/// The inputs of one decision, by slot (policy::slot gives a name's slot once, ahead of the hot loop).
class record {
 public:
  record() = default;
  // Texts may point into owned_texts: copying would leave them pointing into the original.
  record(const record&) = delete;
  record& operator=(const record&) = delete;
  record(record&&) noexcept = default;
  record& operator=(record&&) noexcept = default;
  std::vector<std::int64_t> numbers;
  std::vector<std::string_view> texts;
  std::vector<std::string> owned_texts;  ///< storage when the record owns its texts (sized on first use)
  std::vector<std::uint8_t> present;
};

struct decision {
  std::vector<std::uint32_t> matched;  ///< rule indices, in order (one for first/unique/priority)
  bool by_default = false;             ///< no rule matched; outputs come from `default`
  std::int32_t version = -1;           ///< index into policy::versions() of the version in force (−1: no versions)
};

/// One version of an effective-dated policy (DOM-RULE-1, docs/rules.md "Versions"): its rules are in force
/// from `effective_from` (none: since always) until the next version's `effective_from` (none: from then on).
/// A policy's versions cover the whole time line without gap or overlap; loading refuses anything else.
struct policy_version {
  std::string name;  ///< its `version:`, e.g. "2027.1"
  std::string description;
  std::optional<instant> effective_from, effective_until;
  std::uint32_t first_rule = 0, end_rule = 0;  ///< its rules are policy::rules()[first_rule, end_rule)
  source_location where;
  time_zone zone;  ///< the policy's zone, for showing the instants
  /// Whether the version is in force at `t` (seconds since 1970-01-01Z, a datetime input's number).
  bool in_force_at(std::int64_t t) const noexcept {
    return (!effective_from || effective_from->unix_seconds() <= t) && (!effective_until || t < effective_until->unix_seconds());
  }
};

class policy {
 public:
  const std::string& name() const noexcept { return name_; }
  const std::string& version() const noexcept { return version_; }
  const std::string& description() const noexcept { return description_; }
  const std::string& file() const noexcept { return file_; }
  hit_policy hits() const noexcept { return hit_policy_; }
  const std::vector<field>& inputs() const noexcept { return inputs_; }
  const std::vector<field>& outputs() const noexcept { return outputs_; }
  const std::vector<keyword_set>& keyword_sets() const noexcept { return keyword_sets_; }
  const std::vector<rule>& rules() const noexcept { return rules_; }
  bool has_default() const noexcept { return has_default_; }
  const time_zone& zone() const noexcept { return program_.zone; }
  /// Warnings of the static checks (unused keyword sets, unreachable rules, overlaps, gaps).
  const std::vector<diagnostic>& warnings() const noexcept { return warnings_; }
  const std::vector<std::optional<value>>& default_outputs() const noexcept { return default_; }

  /// Effective dating (DOM-RULE-1): the policy's versions in the order they take effect (empty for a policy
  /// without `versions:`). The version in force is picked by a datetime input, the receipt instant by default.
  const std::vector<policy_version>& versions() const noexcept { return versions_; }
  /// The slot of the datetime input that picks the version (`versions_by:`, received_at by default); −1 when
  /// the policy has no versions or is pinned to one.
  std::int32_t version_slot() const noexcept { return version_slot_; }
  /// Index into versions() of the version in force at `t`; −1 for a policy without versions.
  std::int32_t version_at(instant t) const noexcept;
  /// This policy with only one version's rules, applied whatever the receipt instant: for re-judging tickets
  /// under another version's rules (`as_of`) and for comparing two versions of one file. kefu::error
  /// (id kefu.rules.unknown_version, with a did-you-mean) for a version the policy does not have, or for a
  /// policy without versions.
  std::shared_ptr<const policy> pinned(const std::string& version) const;
  /// "2027.1, in force from 2027-01-01T00:00:00+08:00 — fifteen days": version k as explanations name it.
  std::string version_text(std::int32_t k) const;
  /// Whether pinned() made this policy (its one version applies at any instant).
  bool is_pinned() const noexcept { return pinned_; }

  /// Slot of an input by name; throws kefu::error with a did-you-mean when there is none.
  std::size_t slot(const std::string& input) const;
  /// Index of an output by name, or throws.
  std::size_t output_index(const std::string& output) const;

  /// An empty record for this policy (inputs with defaults already set).
  record make_record() const;
  /// Sets an input from its text form (parse_value); throws naming the input.
  void set(record& r, std::size_t slot, const std::string& text) const;
  /// Sets an input from an already typed value (bindings convert native values directly).
  void set_value(record& r, std::size_t slot, value v) const {
    if (inputs_.at(slot).type == value_type::text) {
      if (r.owned_texts.empty()) r.owned_texts.resize(inputs_.size());  // once, before any view points into it
      r.owned_texts[slot] = std::move(v.text);
      r.texts[slot] = r.owned_texts[slot];
    } else {
      r.numbers[slot] = v.number;
    }
    r.present[slot] = 1;
  }
  void set_number(record& r, std::size_t slot, std::int64_t number) const {
    r.numbers[slot] = number;
    r.present[slot] = 1;
  }
  void set_text(record& r, std::size_t slot, std::string_view text) const {
    r.texts[slot] = text;
    r.present[slot] = 1;
  }
  /// Throws kefu::error naming every required input the record lacks.
  void check_complete(const record& r) const;

  /// Evaluates; `out` is cleared and filled (reuse it to avoid allocation). With `trace`, every
  /// condition of every rule evaluated is recorded. Throws for a record missing required inputs
  /// and, under hit policy unique, when two rules match.
  void evaluate(const record& r, decision& out, std::vector<condition_trace>* trace = nullptr) const {
    evaluate_with(r, out, trace, nullptr);
  }
  /// Internal (columnar triage): evaluate with the record's keyword hits already found by keyword_hits (one byte
  /// per keyword_tests() entry), so a batch scans its texts together.
  void evaluate_with(const record& r, decision& out, std::vector<condition_trace>* trace, const std::uint8_t* keyword_hits) const;
  /// Internal: the text inputs the keyword tests read, one per group of tests scanned in one pass.
  std::vector<std::size_t> keyword_text_slots() const {
    std::vector<std::size_t> out;
    for (const auto& g : keyword_groups_) out.push_back(g.slot);
    return out;
  }
  /// Internal: the keyword hits of n records whose text input keyword_text_slots()[group] is texts[k]: for each
  /// test of the group, hits[k * stride + test] (test: an index into keyword_tests()). The same as evaluate finds.
  void keyword_hits(std::size_t group, const std::string_view* texts, std::size_t n, std::uint8_t* hits, std::size_t stride) const;
  decision evaluate(const record& r) const {
    decision d;
    evaluate(r, d);
    return d;
  }
  /// Evaluates records[i] into out[i] for i < n (reuse `out` across batches to avoid allocation).
  void evaluate_batch(const record* records, std::size_t n, decision* out) const {
    for (std::size_t i = 0; i < n; ++i) evaluate(records[i], out[i]);
  }

  /// The outputs of a decision: the winning rule's `then` over the default (for collect: the first
  /// matched rule's; use outputs_of for each).
  std::vector<std::optional<value>> outputs_of(const decision& d) const;
  std::vector<std::optional<value>> outputs_of_rule(std::uint32_t rule) const;
  /// One output of a rule (its `then`, else the default), without copying; nullptr when unset.
  const value* output_of_rule(std::uint32_t rule, std::size_t output) const {
    const auto& then = rules_.at(rule).then;
    if (output < then.size() && then[output]) return &*then[output];
    return output < default_.size() && default_[output] ? &*default_[output] : nullptr;
  }
  /// One output of a decision (the winning rule's, else the default), without copying.
  const value* output_of(const decision& d, std::size_t output) const {
    if (!d.matched.empty()) return output_of_rule(d.matched.front(), output);
    return output < default_.size() && default_[output] ? &*default_[output] : nullptr;
  }

  /// The words of each keyword set a rule tests that occur in the record's texts (for risk signals).
  std::vector<std::string> keyword_words(const record& r, std::uint32_t rule) const;

  /// A decision as text: the outputs, the deciding rule(s) with their sources, and — with a trace —
  /// every condition evaluated with the values it read. Text inputs are shortened and mobile
  /// numbers in them masked (DOM-PRIV-1).
  std::string explain(const decision& d, const std::vector<condition_trace>* trace = nullptr) const;

  /// Internal: the compiled program (explain and the static checks read it).
  const detail::program& program() const noexcept { return program_; }
  /// Internal: a digest of the YAML document this policy was compiled from, and of the version it is pinned to.
  /// Two policies with equal digests, compiled against the same facts vocabulary, decide alike: kefu diff takes
  /// the decisions of a policy both versions share from one triage instead of evaluating it twice.
  const std::array<std::uint64_t, 2>& source_digest() const noexcept { return digest_; }
  /// Internal: the keyword tests the rules make, (text input slot, keyword set index), by contains_any's index.
  const std::vector<std::pair<std::size_t, std::size_t>>& keyword_tests() const noexcept { return keyword_tests_; }

 private:
  friend class policy_builder;
  std::string name_, version_, description_, file_;
  hit_policy hit_policy_ = hit_policy::first;
  std::vector<field> inputs_, outputs_;
  std::vector<keyword_set> keyword_sets_;
  std::vector<rule> rules_;
  std::vector<std::optional<value>> default_;
  bool has_default_ = false;
  detail::program program_;
  /// Keyword tests the rules make: (text input slot, keyword set index), computed once per record.
  std::vector<std::pair<std::size_t, std::size_t>> keyword_tests_;
  /// The keyword tests grouped by text input, each group's sets in one scanner (one pass over the text):
  /// tests[j] is the keyword test (index into keyword_tests_) of the scanner's set j.
  struct keyword_group {
    std::size_t slot = 0;
    keyword_scanner scanner;
    std::vector<std::size_t> tests;
  };
  std::vector<keyword_group> keyword_groups_;
  std::vector<diagnostic> warnings_;
  std::vector<policy_version> versions_;
  std::int32_t version_slot_ = -1;
  bool pinned_ = false;
  /// Rules that can match for each value of one enum input (see detail::rule_index); evaluation
  /// without a trace tries only those.
  std::int32_t index_slot_ = -1;
  std::vector<std::vector<std::uint32_t>> index_candidates_;
  /// rules_[i].root for every rule, set with the index: the hot loop reads these, not the (large) rules.
  std::vector<std::int32_t> roots_;
  std::array<std::uint64_t, 2> digest_{};
};

using policy_ptr = std::shared_ptr<const policy>;

/// `p` pinned to the version in force at `t` (policy::pinned); `p` itself when it has no versions or is pinned.
policy_ptr as_of(const policy_ptr& p, instant t);

/// Loads and checks a policy file. Errors (parse_error, policy_error) carry file, line, column and
/// the rule id where one applies. A bad file never yields a half-loaded policy. An enum or set input that
/// says `values: from facts` takes the values of the fact of the same name in the facts file beside the
/// policy file (one file of its directory starting with `facts:`); without one it is a policy_error
/// (id kefu.rules.from_facts), as it is for a policy read from text.
policy_ptr load_policy_file(const std::string& path);
policy_ptr load_policy_string(const std::string& yaml, const std::string& display_name = "<string>");
/// The same with the facts vocabulary given (a rules directory's): `values: from facts` reads `facts`.
policy_ptr load_policy_file(const std::string& path, const std::vector<field>& facts);
policy_ptr load_policy_string(const std::string& yaml, const std::string& display_name, const std::vector<field>& facts);

}  // namespace kefu::rules
