// kefu — errors with context.
//
// Every error kefu throws derives from kefu::error, which derives from std::runtime_error, so
// `catch (const std::exception&)` still works. An error knows where it happened when that is known:
// file, line and column (1-based, 0 = unknown), the rule id it concerns, and the bare detail
// without the location prefix. what() renders them the way compilers do:
//
//   refund.yaml:42:9: rule REF-QUALITY-7D: unknown input 'day_since' (did you mean 'days_since_purchase'?)
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace kefu {

/// Where in a source text something is. line and column are 1-based; 0 means unknown.
struct source_location {
  std::string file;
  int line = 0;
  int column = 0;

  bool known() const noexcept { return !file.empty() || line > 0; }
};

/// Base of every kefu error. Every error has a stable id ("kefu.rules.unknown_input"): a program or a CI
/// job matches on the id, never on the message, which may be reworded. docs/errors.md lists them.
class error : public std::runtime_error {
 public:
  explicit error(std::string detail, source_location where = {}, std::string rule_id = {},
                 std::string id = "kefu.error")
      : std::runtime_error(render(detail, where, rule_id)),
        detail_(std::move(detail)),
        where_(std::move(where)),
        rule_id_(std::move(rule_id)),
        id_(std::move(id)) {}

  /// The stable id of this kind of error, e.g. "kefu.calendar.out_of_range".
  const std::string& id() const noexcept { return id_; }

  /// The message without location or rule prefix.
  const std::string& detail() const noexcept { return detail_; }
  const source_location& where() const noexcept { return where_; }
  const std::string& file() const noexcept { return where_.file; }
  int line() const noexcept { return where_.line; }
  int column() const noexcept { return where_.column; }
  /// The rule the error concerns, or empty.
  const std::string& rule_id() const noexcept { return rule_id_; }

  /// "file:line:col: rule ID: detail", leaving out the parts that are unknown.
  static std::string render(const std::string& detail, const source_location& where,
                            const std::string& rule_id) {
    std::string out;
    if (!where.file.empty()) out += where.file + ':';
    if (where.line > 0) {
      out += std::to_string(where.line) + ':';
      if (where.column > 0) out += std::to_string(where.column) + ':';
    }
    if (!out.empty()) out += ' ';
    if (!rule_id.empty()) out += "rule " + rule_id + ": ";
    return out + detail;
  }

 private:
  std::string detail_;
  source_location where_;
  std::string rule_id_;
  std::string id_;
};

/// A value or a file could not be read: bad money text, a malformed instant, invalid YAML.
class parse_error : public error {
 public:
  explicit parse_error(std::string detail, source_location where = {}, std::string rule_id = {},
                       std::string id = "kefu.parse")
      : error(std::move(detail), std::move(where), std::move(rule_id), std::move(id)) {}
};

/// A rules file is well-formed but says something kefu cannot accept (unknown key, wrong type,
/// contradiction between entries).
class policy_error : public error {
 public:
  explicit policy_error(std::string detail, source_location where = {}, std::string rule_id = {},
                        std::string id = "kefu.policy")
      : error(std::move(detail), std::move(where), std::move(rule_id), std::move(id)) {}
};

/// A date or instant outside a calendar's range (official data, or its provisional projection in strict
/// mode or past the projection's end): kefu never guesses which days are working days where its data ends.
class calendar_range_error : public error {
 public:
  explicit calendar_range_error(std::string detail, source_location where = {}, std::string rule_id = {},
                                std::string id = "kefu.calendar.out_of_range")
      : error(std::move(detail), std::move(where), std::move(rule_id), std::move(id)) {}
};

/// Rethrows `e` with `prefix` put before its detail ("row 3: "), keeping its class and location.
[[noreturn]] inline void rethrow_with_prefix(const error& e, const std::string& prefix) {
  if (dynamic_cast<const calendar_range_error*>(&e))
    throw calendar_range_error(prefix + e.detail(), e.where(), e.rule_id(), e.id());
  if (dynamic_cast<const policy_error*>(&e)) throw policy_error(prefix + e.detail(), e.where(), e.rule_id(), e.id());
  if (dynamic_cast<const parse_error*>(&e)) throw parse_error(prefix + e.detail(), e.where(), e.rule_id(), e.id());
  throw error(prefix + e.detail(), e.where(), e.rule_id(), e.id());
}

}  // namespace kefu
