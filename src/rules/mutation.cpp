// Mutation testing of rule tests (include/kefu/rules/mutation.hpp). A mutant is an edit of the policy's YAML
// tree: the file is parsed again for each one, the edit applied, and the tree built by the policy loader,
// so a mutant is checked exactly as an author's edit would be.
#include <kefu/rules/mutation.hpp>

#include "../detail/yaml_support.hpp"
#include "condition_syntax.hpp"
#include "documents.hpp"
#include "facts.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <stdexcept>
#include <utility>

namespace kefu::rules {

const char* to_string(mutation_kind k) noexcept {
  switch (k) {
    case mutation_kind::bound: return "bound";
    case mutation_kind::and_or: return "and_or";
    case mutation_kind::drop_condition: return "drop_condition";
    case mutation_kind::output: return "output";
    case mutation_kind::keyword: return "keyword";
    case mutation_kind::set_item: return "set_item";
  }
  return "?";
}

const char* to_string(mutant_status s) noexcept {
  switch (s) {
    case mutant_status::killed: return "killed";
    case mutant_status::survived: return "survived";
    case mutant_status::invalid: return "invalid";
  }
  return "?";
}

namespace {
std::size_t count_status(const std::vector<mutant_result>& results, mutant_status s) {
  std::size_t n = 0;
  for (const auto& r : results) n += r.status == s;
  return n;
}
}  // namespace

std::size_t mutation_report::killed() const noexcept { return count_status(mutants, mutant_status::killed); }
std::size_t mutation_report::survived() const noexcept { return count_status(mutants, mutant_status::survived); }
std::size_t mutation_report::invalid() const noexcept { return count_status(mutants, mutant_status::invalid); }

namespace {
using kefu::detail::yaml_file;
using detail::ast;
using detail::ast_kind;
using detail::tok;

/// A mutant and the edit that makes it from a freshly parsed tree of the policy file.
struct planned_mutant {
  mutant what;
  std::function<void(YAML::Node& root)> edit;
  std::string refused;  ///< why the mutant is not made (it would change more than one place)
};

/// Nodes written at one place and used at another through a YAML alias (`&x` … `*x`) are one node: an edit
/// of one would change both, and the mutant would test neither alone.
struct alias_guard {
  std::vector<YAML::Node> places;
  void add(const YAML::Node& n) {
    if (n) places.push_back(n);
  }
  std::string check(const YAML::Node& n) const {
    std::size_t uses = 0;
    for (const auto& p : places) uses += p.is(n);
    return uses > 1 ? "not made: the value is shared with another place through a YAML alias (&name / *name); "
                      "write it out at each place to test them one by one"
                    : std::string();
  }
};

std::string text_of(const std::string& c, const ast& n) { return c.substr(n.begin, n.end - n.begin); }

bool is_chain(const ast& n) { return n.kind == ast_kind::binary && (n.tk.kind == tok::kw_and || n.tk.kind == tok::kw_or); }
// The parser moves a parenthesised node's begin onto its '('; a binary node otherwise starts where its left operand does.
bool parenthesised(const ast& n) { return !n.kids.empty() && n.begin < n.kids.front()->begin; }

/// The operands of an and/or chain: `a and b and c` parses as ((a and b) and c).
void chain_operands(const ast& n, tok op, std::vector<const ast*>& out) {
  for (const auto& k : n.kids) {
    if (is_chain(*k) && k->tk.kind == op && !parenthesised(*k))
      chain_operands(*k, op, out);
    else
      out.push_back(k.get());
  }
}

std::string operand_text(const std::string& c, const ast& n) {
  const std::string t = text_of(c, n);
  return is_chain(n) && !parenthesised(n) ? "(" + t + ")" : t;  // keeps its grouping under either operator
}

std::string joined(const std::string& c, const std::vector<const ast*>& operands, const char* op, std::size_t skip = SIZE_MAX) {
  std::string out;
  for (std::size_t i = 0; i < operands.size(); ++i) {
    if (i == skip) continue;
    if (!out.empty()) out += std::string(" ") + op + " ";
    out += operand_text(c, *operands[i]);
  }
  return out;
}

std::string format_fen(std::int64_t fen) {
  char buf[48];
  const bool negative = fen < 0;
  const std::uint64_t a = negative ? 0 - static_cast<std::uint64_t>(fen) : static_cast<std::uint64_t>(fen);
  std::snprintf(buf, sizeof buf, "%s¥%llu.%02llu", negative ? "-" : "", static_cast<unsigned long long>(a / 100),
                static_cast<unsigned long long>(a % 100));
  return buf;
}

std::string format_days(std::int64_t days) {  // days since 1970-01-01 → YYYY-MM-DD (civil calendar)
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld", static_cast<long long>(y), static_cast<long long>(m),
                static_cast<long long>(d));
  return buf;
}

/// The first run of digits in `text` moved by `delta` (a number as written: "7", "4.5", "24h", "2 business
/// hours"); nullopt when there is none or the result would be negative.
std::optional<std::string> shift_digits(const std::string& text, int delta) {
  const std::size_t b = text.find_first_of("0123456789");
  if (b == std::string::npos) return std::nullopt;
  std::size_t e = b;
  while (e < text.size() && (std::isdigit(static_cast<unsigned char>(text[e])) || text[e] == '.')) ++e;
  std::string digits = text.substr(b, e - b);
  const std::size_t dot = digits.find('.');
  const std::size_t decimals = dot == std::string::npos ? 0 : digits.size() - dot - 1;
  if (dot != std::string::npos) digits.erase(dot, 1);
  if (digits.empty() || digits.size() > 17 || digits.find('.') != std::string::npos) return std::nullopt;
  const long long shifted = std::stoll(digits) + delta;  // one unit of the last digit written
  if (shifted < 0) return std::nullopt;
  std::string out = std::to_string(shifted);
  if (decimals > 0) {
    if (out.size() <= decimals) out.insert(0, decimals + 1 - out.size(), '0');
    out.insert(out.size() - decimals, ".");
  }
  return text.substr(0, b) + out + text.substr(e);
}

/// A literal bound moved one unit of what it is written in.
std::optional<std::string> shifted_literal(const std::string& c, const ast& n, int delta) {
  if (n.kind != ast_kind::literal) return std::nullopt;
  switch (n.tk.kind) {
    case tok::number:
    case tok::duration: return shift_digits(text_of(c, n), delta);
    case tok::money:
    case tok::date: {
      std::int64_t moved = 0;
      if (__builtin_add_overflow(n.tk.number, delta, &moved)) return std::nullopt;  // the largest literal: no mutant
      return n.tk.kind == tok::money ? format_fen(moved) : format_days(moved);
    }
    default: return std::nullopt;
  }
}

/// The condition mutants of one rule: (new condition, change, offset of the change in the condition).
struct condition_edit {
  mutation_kind kind;
  std::string condition;
  std::string change;
  std::size_t offset;
};

class condition_mutator {
 public:
  explicit condition_mutator(const std::string& condition) : c_(condition) {}

  std::vector<condition_edit> run(const ast& root) {
    visit(root, true);
    if (!is_chain(root) && !(root.kind == ast_kind::literal && root.tk.kind == tok::kw_true))
      add(mutation_kind::drop_condition, root, "true", "drops the condition `" + text_of(c_, root) + "` (the rule always applies)");
    return std::move(out_);
  }

 private:
  /// Whether the node's text is wrapped in its own parentheses (the parser moves its begin onto the '(').
  bool wrapped(const ast& n) const { return n.kids.empty() ? c_[n.begin] == '(' : n.begin < n.kids.front()->begin; }
  void add(mutation_kind kind, const ast& n, const std::string& replacement, std::string change) {
    const std::string r = wrapped(n) ? "(" + replacement + ")" : replacement;
    out_.push_back({kind, c_.substr(0, n.begin) + r + c_.substr(n.end), std::move(change), n.begin});
  }
  static std::string quoted(const std::string& s) { return "`" + s + "`"; }

  void visit(const ast& n, bool whole) {
    if (is_chain(n)) {
      const tok op = n.tk.kind;
      const char* same = op == tok::kw_and ? "and" : "or";
      const char* other = op == tok::kw_and ? "or" : "and";
      std::vector<const ast*> operands;
      chain_operands(n, op, operands);
      auto wrap = [&](const std::string& s) { return whole ? s : "(" + s + ")"; };
      const std::string swapped = joined(c_, operands, other);
      add(mutation_kind::and_or, n, wrap(swapped), quoted(text_of(c_, n)) + " → " + quoted(swapped));
      for (std::size_t i = 0; i < operands.size(); ++i) {
        const std::string rest = joined(c_, operands, same, i);
        add(mutation_kind::drop_condition, n, wrap(rest), "drops " + quoted(text_of(c_, *operands[i])) + " from " + quoted(text_of(c_, n)));
        out_.back().offset = operands[i]->begin;  // points at what it drops
      }
      for (const ast* o : operands) visit(*o, false);
      return;
    }
    if (n.kind == ast_kind::binary) {
      const std::string& op = n.tk.text;
      if (op == "<" || op == "<=" || op == ">" || op == ">=") {
        bool literal = false;
        for (std::size_t side = 0; side < 2; ++side) {
          const ast& lit = *n.kids[side];
          for (const int delta : {+1, -1}) {
            if (auto moved = shifted_literal(c_, lit, delta)) {
              literal = true;
              add(mutation_kind::bound, lit, *moved,
                  quoted(text_of(c_, n)) + " → " + quoted(c_.substr(n.begin, lit.begin - n.begin) + *moved + c_.substr(lit.end, n.end - lit.end)));
            }
          }
        }
        if (!literal) {  // two names: move the boundary by flipping strictness
          static const std::pair<const char*, const char*> flips[] = {{"<", "<="}, {"<=", "<"}, {">", ">="}, {">=", ">"}};
          for (const auto& [from, to] : flips)
            if (op == from) {
              const std::string t = text_of(c_, *n.kids[0]) + " " + to + " " + text_of(c_, *n.kids[1]);
              add(mutation_kind::bound, n, t, quoted(text_of(c_, n)) + " → " + quoted(t));
            }
        }
      }
      for (const auto& k : n.kids) visit(*k, false);
      return;
    }
    if (n.kind == ast_kind::in_range) {
      for (std::size_t end = 1; end <= 2; ++end)
        for (const int delta : {+1, -1})
          if (auto moved = shifted_literal(c_, *n.kids[end], delta))
            add(mutation_kind::bound, *n.kids[end], *moved,
                quoted(text_of(c_, n)) + " → " + quoted(c_.substr(n.begin, n.kids[end]->begin - n.begin) + *moved +
                                                        c_.substr(n.kids[end]->end, n.end - n.kids[end]->end)));
      return;
    }
    if (n.kind == ast_kind::in_set && n.tk.text != "in-input" && n.kids.size() > 2) {
      for (std::size_t i = 1; i < n.kids.size(); ++i) {
        std::string items;
        for (std::size_t j = 1; j < n.kids.size(); ++j)
          if (j != i) items += (items.empty() ? "" : ", ") + text_of(c_, *n.kids[j]);
        std::string t = text_of(c_, *n.kids[0]) + (n.negated ? " not in {" : " in {") + items + "}";
        if (wrapped(n)) t = "(" + t + ")";
        out_.push_back({mutation_kind::set_item, c_.substr(0, n.begin) + t + c_.substr(n.end),
                        "drops " + text_of(c_, *n.kids[i]) + " from " + quoted(text_of(c_, n)), n.kids[i]->begin});
      }
      return;
    }
    for (const auto& k : n.kids) visit(*k, false);
  }

  const std::string& c_;
  std::vector<condition_edit> out_;
};

/// The changed value of an output, or nullopt when the output is not mutated (text: reasons and labels).
std::optional<std::string> mutated_output(const field& f, const std::string& text, const time_zone& zone) {
  std::optional<std::string> changed;
  switch (f.type) {
    case value_type::enumeration: {
      const int i = f.value_index(text);
      if (i < 0 || f.values.size() < 2) return std::nullopt;
      changed = f.values[(static_cast<std::size_t>(i) + 1) % f.values.size()];
      break;
    }
    case value_type::boolean:
      if (text == "true") changed = "false";
      else if (text == "false") changed = "true";
      break;
    case value_type::integer:
    case value_type::decimal:
    case value_type::money:
    case value_type::duration:
    case value_type::deadline:
    case value_type::date:
    case value_type::datetime: changed = shift_digits(text, +1); break;
    case value_type::set:
    case value_type::text: return std::nullopt;
  }
  if (!changed) return std::nullopt;
  try {  // must read as the field does, and differ
    if (parse_value(f, *changed, zone, nullptr) == parse_value(f, text, zone, nullptr)) return std::nullopt;
  } catch (const error&) {
    return std::nullopt;
  }
  return changed;
}

source_location char_location(const yaml_file& f, source_location byte_location) {
  return kefu::detail::to_char_columns(f.text, std::move(byte_location));
}

std::vector<planned_mutant> plan(const yaml_file& f, const policy& p) {
  using kefu::detail::location_of;
  using kefu::detail::scalar_text;
  std::vector<planned_mutant> out;
  const YAML::Node& root = f.root;
  // The rule lists: `rules:`, or each version's (`versions:`, DOM-RULE-1), each with how to reach it in a copy.
  std::vector<std::pair<YAML::Node, std::function<YAML::Node(YAML::Node&)>>> lists;
  if (const YAML::Node rules = root["rules"]) lists.emplace_back(rules, [](YAML::Node& r) { return r["rules"]; });
  if (const YAML::Node versions = root["versions"]; versions && versions.IsSequence())
    for (std::size_t v = 0; v < versions.size(); ++v)
      if (const YAML::Node rules = versions[v]["rules"])
        lists.emplace_back(rules, [v](YAML::Node& r) { return r["versions"][v]["rules"]; });
  alias_guard guard;
  auto add_then = [&](const YAML::Node& then) {
    if (!then || !then.IsMap()) return;
    for (const auto& kv : then) guard.add(kv.second);
  };
  for (const auto& [rules, unused] : lists)
    for (std::size_t i = 0; rules.IsSequence() && i < rules.size(); ++i) {
      guard.add(rules[i]["when"]);
      add_then(rules[i]["then"]);
    }
  add_then(root["default"]);
  if (const YAML::Node sets = root["keywords"]; sets && sets.IsMap())
    for (const auto& kv : sets) guard.add(kv.second.IsMap() ? kv.second["words"] : kv.second);
  auto output_edits = [&](const YAML::Node& then, const std::string& rule_id, std::function<YAML::Node(YAML::Node&)> where) {
    if (!then || !then.IsMap()) return;
    for (const auto& kv : then) {
      const std::string name = kv.first.Scalar();
      const auto o = std::find_if(p.outputs().begin(), p.outputs().end(), [&](const field& x) { return x.name == name; });
      if (o == p.outputs().end() || !kv.second.IsScalar()) continue;
      const std::string was = kv.second.Scalar();
      const auto now = mutated_output(*o, was, p.zone());
      if (!now) continue;
      planned_mutant m;
      m.what = {mutation_kind::output, rule_id, name + ": " + was + " → " + *now, char_location(f, location_of(kv.second, f.name))};
      m.refused = guard.check(kv.second);
      m.edit = [where, name, now = *now](YAML::Node& r) {
        YAML::Node target = where(r)[name];
        target = now;
      };
      out.push_back(std::move(m));
    }
  };
  for (const auto& [rules, list_of] : lists)
    for (std::size_t i = 0; rules.IsSequence() && i < rules.size(); ++i) {
      const YAML::Node item = rules[i];
      const std::string id = item["id"] ? item["id"].Scalar() : std::to_string(i + 1);
      if (const YAML::Node when = item["when"]) {
        const std::string condition = scalar_text(when, f.name, "`when`");
        for (auto& e : condition_mutator(condition).run(*detail::parse_condition(condition))) {
          planned_mutant m;
          m.what = {e.kind, id, std::move(e.change), char_location(f, kefu::detail::locate_in_scalar(f, when, e.offset))};
          m.refused = guard.check(when);
          m.edit = [i, list_of = list_of, condition = std::move(e.condition)](YAML::Node& r) {
            YAML::Node w = list_of(r)[i]["when"];
            w = condition;
          };
          out.push_back(std::move(m));
        }
      }
      output_edits(item["then"], id, [i, list_of = list_of](YAML::Node& r) { return list_of(r)[i]["then"]; });
    }
  output_edits(root["default"], "default", [](YAML::Node& r) { return r["default"]; });
  if (const YAML::Node sets = root["keywords"]; sets && sets.IsMap()) {
    for (const auto& kv : sets) {
      const std::string set = kv.first.Scalar();
      const YAML::Node list = kv.second.IsMap() ? kv.second["words"] : kv.second;
      if (!list || !list.IsSequence() || list.size() < 2) continue;
      for (std::size_t w = 0; w < list.size(); ++w) {
        if (!list[w].IsScalar()) continue;
        const std::string word = list[w].Scalar();
        planned_mutant m;
        m.what = {mutation_kind::keyword, {}, "removes " + word + " from keyword set " + set, char_location(f, location_of(list[w], f.name))};
        m.refused = guard.check(list);
        m.edit = [set, w, word](YAML::Node& r) {
          YAML::Node body = r["keywords"][set];
          YAML::Node words = body.IsMap() ? body["words"] : body;
          YAML::Node kept(YAML::NodeType::Sequence);
          for (std::size_t j = 0; j < words.size(); ++j)
            if (j != w) kept.push_back(words[j]);
          words = kept;
          if (body.IsMap() && body["exceptions"] && body["exceptions"].IsMap() && body["exceptions"][word]) {
            YAML::Node exceptions = body["exceptions"];
            exceptions.remove(word);
            if (exceptions.size() == 0) body.remove("exceptions");
          }
        };
        out.push_back(std::move(m));
      }
    }
  }
  return out;
}

/// The facts vocabulary the policy file reads `values: from facts` from, loaded once for all its mutants.
std::optional<std::vector<field>> vocabulary_beside(const std::string& policy_path) {
  const auto found = detail::facts_files_beside(policy_path);
  if (found.size() != 1) return std::nullopt;  // the loader reports it (for the original) when it matters
  try {
    return detail::load_facts_document(found[0]).fields;
  } catch (const error&) {
    return std::nullopt;
  }
}

std::string first_failure(const suite& s, const suite_result& r) {
  for (const case_result& c : r.cases) {
    if (c.passed) continue;
    const test_case& t = s.cases[c.index];
    std::string what;
    if (!c.differences.empty()) {
      const auto& [name, expected, actual] = c.differences.front();
      what = name == "error" ? actual : name + " expected " + expected + ", got " + actual;
    }
    return s.file + ":" + std::to_string(t.where.line) + ": " + t.name + " (" + what + ")";
  }
  return {};
}
}  // namespace

std::vector<mutant> policy_mutants(const std::string& policy_path) {
  const yaml_file f = kefu::detail::read_yaml_file(policy_path);
  const policy_ptr p = detail::load_policy_document(f, policy_path, nullptr);
  std::vector<mutant> out;
  for (auto& m : plan(f, *p)) out.push_back(std::move(m.what));
  return out;
}

mutation_kind mutation_kind_named(const std::string& name) {
  for (const auto k : {mutation_kind::bound, mutation_kind::and_or, mutation_kind::drop_condition, mutation_kind::output,
                       mutation_kind::keyword, mutation_kind::set_item})
    if (name == to_string(k)) return k;
  throw std::invalid_argument("unknown kind of mutant '" + name +
                              "' (expected bound, and_or, drop_condition, output, keyword or set_item)");
}

mutation_report mutate_policy(const std::string& policy_path, const std::vector<suite>& suites,
                              const std::vector<mutation_kind>& kinds) {
  const yaml_file original = kefu::detail::read_yaml_file(policy_path);
  const auto vocabulary = vocabulary_beside(policy_path);
  const std::vector<field>* facts = vocabulary ? &*vocabulary : nullptr;
  const policy_ptr p = detail::load_policy_document(original, policy_path, facts);
  mutation_report report;
  report.policy_file = policy_path;
  for (const suite& s : suites) {
    report.cases += check_suite(s, *p);  // a suite that fails as written would kill every mutant
    report.suite_files.push_back(s.file);
  }
  for (planned_mutant& m : plan(original, *p)) {
    if (!kinds.empty() && std::find(kinds.begin(), kinds.end(), m.what.kind) == kinds.end()) continue;
    mutant_result r;
    r.what = std::move(m.what);
    if (!m.refused.empty()) {
      r.status = mutant_status::invalid;
      r.detail = std::move(m.refused);
      report.mutants.push_back(std::move(r));
      continue;
    }
    policy_ptr mutated;
    try {
      yaml_file copy = kefu::detail::read_yaml_string(original.text, original.name);
      m.edit(copy.root);
      mutated = detail::load_policy_document(copy, policy_path, facts);
    } catch (const error& e) {
      r.status = mutant_status::invalid;
      r.detail = e.what();
      report.mutants.push_back(std::move(r));
      continue;
    }
    r.status = mutant_status::survived;
    for (const suite& s : suites) {
      const suite_result result = run_suite(s, *mutated);
      if (result.failed > 0) {
        r.status = mutant_status::killed;
        r.detail = first_failure(s, result);
        break;
      }
    }
    report.mutants.push_back(std::move(r));
  }
  return report;
}

}  // namespace kefu::rules
