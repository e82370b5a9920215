#include <kefu/detail/suggest.hpp>
#include <kefu/rules/suite.hpp>

#include "../detail/yaml_support.hpp"
#include "documents.hpp"

#include <algorithm>
#include <filesystem>

namespace kefu::rules {

namespace {
using kefu::detail::location_of;

std::string scalar_or_list(const YAML::Node& n, const std::string& file, const std::string& what) {
  if (n.IsSequence()) {
    std::string out;
    for (const auto& item : n) out += (out.empty() ? "" : ",") + kefu::detail::scalar_text(item, file, what);
    return out;
  }
  return kefu::detail::scalar_text(n, file, what);
}

std::vector<std::pair<std::string, std::string>> pairs(const YAML::Node& n, const std::string& file, const std::string& what,
                                                       std::vector<entry_location>* where = nullptr) {
  if (!n.IsMap()) throw policy_error(what + " must be a mapping of names to values", location_of(n, file));
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& kv : n) {
    const std::string key = kefu::detail::scalar_text(kv.first, file, "a name");
    out.emplace_back(key, scalar_or_list(kv.second, file, "the value of '" + key + "'"));
    if (where) where->push_back({location_of(kv.first, file), location_of(kv.second, file)});
  }
  return out;
}

std::vector<std::string> names_of(const std::vector<field>& fields) {
  std::vector<std::string> names;
  for (const auto& f : fields) names.push_back(f.name);
  return names;
}

/// A value of a suite read as its field reads it; the error moves to the value's own place in the file.
void check_value(const field& f, const std::string& text, const time_zone& zone, const char* noun, const source_location& at) {
  try {
    parse_value(f, text, zone, noun);
  } catch (const parse_error& e) {
    throw parse_error(e.detail(), at, {}, e.id());
  }
}
}  // namespace

suite read_suite(const YAML::Node& doc, const std::string& path);

suite load_suite_file(const std::string& path) { return detail::load_suite_document(kefu::detail::read_yaml_file(path)); }

suite detail::load_suite_document(const kefu::detail::yaml_file& source) {
  return kefu::detail::with_char_columns(source.text, [&] {
    kefu::detail::check_duplicate_keys(source, source.root);
    return read_suite(source.root, source.name);
  });
}

suite read_suite(const YAML::Node& doc, const std::string& path) {
  auto fail = [&](const YAML::Node& n, const std::string& msg) -> void { throw policy_error(msg, location_of(n, path)); };
  if (!doc.IsMap() || !doc["suite"]) {
    fail(doc, "a rule-test file must be a mapping starting with `suite: NAME`");
  }
  static const std::vector<std::string> keys = {"suite", "version", "description", "policy", "defaults", "cases"};
  for (const auto& kv : doc)
    if (std::find(keys.begin(), keys.end(), kv.first.Scalar()) == keys.end())
      fail(kv.first, "unknown key '" + kv.first.Scalar() + "' in a rule-test file" + kefu::detail::did_you_mean(kv.first.Scalar(), keys));
  suite s;
  s.file = path;
  s.name = kefu::detail::scalar_text(doc["suite"], path, "`suite`");
  if (!doc["policy"]) fail(doc["suite"], "a rule-test file needs `policy:`, the path of the policy it tests");
  const std::string rel = kefu::detail::scalar_text(doc["policy"], path, "`policy`");
  s.policy_path = (std::filesystem::path(path).parent_path() / rel).lexically_normal().generic_string();
  s.policy_where = location_of(doc["policy"], path);
  std::vector<std::pair<std::string, std::string>> defaults;
  std::vector<entry_location> defaults_where;
  if (doc["defaults"]) defaults = pairs(doc["defaults"], path, "`defaults`", &defaults_where);
  if (!doc["cases"] || !doc["cases"].IsSequence() || doc["cases"].size() == 0)
    fail(doc["cases"] ? doc["cases"] : doc["suite"], "a rule-test file needs `cases:`, a list of cases");
  static const std::vector<std::string> case_keys = {"name", "input", "expect", "rule", "rules", "expect_each"};
  for (const auto& c : doc["cases"]) {
    if (!c.IsMap()) fail(c, "a case must be a mapping with name, input and expect");
    for (const auto& kv : c)
      if (std::find(case_keys.begin(), case_keys.end(), kv.first.Scalar()) == case_keys.end())
        fail(kv.first, "unknown key '" + kv.first.Scalar() + "' in a case" + kefu::detail::did_you_mean(kv.first.Scalar(), case_keys));
    test_case t;
    t.where = location_of(c, path);
    t.name = c["name"] ? kefu::detail::scalar_text(c["name"], path, "`name`") : "case at line " + std::to_string(t.where.line);
    t.input = defaults;
    t.input_where = defaults_where;
    if (c["input"]) {
      std::vector<entry_location> given_where;
      const auto given = pairs(c["input"], path, "`input`", &given_where);
      for (std::size_t g = 0; g < given.size(); ++g) {
        const std::string& key = given[g].first;
        auto it = std::find_if(t.input.begin(), t.input.end(), [&](const auto& kv) { return kv.first == key; });
        if (it != t.input.end()) {
          it->second = given[g].second;
          t.input_where[static_cast<std::size_t>(it - t.input.begin())] = given_where[g];
        } else {
          t.input.emplace_back(key, given[g].second);
          t.input_where.push_back(given_where[g]);
        }
      }
    }
    if (c["expect"]) t.expect = pairs(c["expect"], path, "`expect`", &t.expect_where);
    if (c["rule"] && c["rules"]) fail(c["rules"], "give `rule:` or `rules:`, not both");
    if (c["rule"]) {
      t.expect_rules = {kefu::detail::scalar_text(c["rule"], path, "`rule`")};
      t.expect_rules_where = {location_of(c["rule"], path)};
      t.check_rules = true;
    }
    if (c["rules"]) {
      if (!c["rules"].IsSequence()) fail(c["rules"], "`rules` must be a list of rule ids");
      for (const auto& r : c["rules"]) {
        t.expect_rules.push_back(kefu::detail::scalar_text(r, path, "a rule id"));
        t.expect_rules_where.push_back(location_of(r, path));
      }
      t.check_rules = true;
    }
    if (const YAML::Node each = c["expect_each"]) {
      if (!each.IsMap())
        fail(each, "`expect_each` must map rule ids to the outputs each decides, e.g. {SLA-PHONE-ANSWER: {within: 15s}}");
      for (const auto& kv : each) {
        rule_expectation e;
        e.rule = kefu::detail::scalar_text(kv.first, path, "a rule id");
        e.where = location_of(kv.first, path);
        e.outputs = pairs(kv.second, path, "the outputs of '" + e.rule + "' in `expect_each`", &e.outputs_where);
        t.expect_each.push_back(std::move(e));
      }
    }
    if (t.expect.empty() && !t.check_rules && t.expect_each.empty())
      fail(c, "a case needs `expect:`, `expect_each:` or `rule:` (what it checks)");
    s.cases.push_back(std::move(t));
  }
  return s;
}

namespace {
std::vector<std::pair<std::string, std::string>> facts_of(const kefu::detail::yaml_file& f) {
  return kefu::detail::with_char_columns(f.text, [&] {
    const YAML::Node& doc = f.root;
    // A suite case file may nest the facts under `input:`.
    const YAML::Node facts = doc.IsMap() && doc["input"] && doc["input"].IsMap() ? doc["input"] : doc;
    return pairs(facts, f.name, "the facts");
  });
}
}  // namespace

std::vector<std::pair<std::string, std::string>> load_facts_file(const std::string& path) {
  return facts_of(kefu::detail::read_yaml_file(path));
}

std::vector<std::pair<std::string, std::string>> load_facts_text(const std::string& yaml, const std::string& display_name) {
  return facts_of(kefu::detail::read_yaml_string(yaml, display_name));
}

void check_suite_types(const suite& s, const policy& p) {
  const std::vector<std::string> inputs = names_of(p.inputs()), outputs = names_of(p.outputs());
  std::vector<std::string> rule_ids{"default"};
  for (const auto& r : p.rules()) rule_ids.push_back(r.id);
  auto at = [&](const std::vector<entry_location>& where, std::size_t i, bool value) {
    if (i >= where.size()) return source_location{s.file, 0, 0};
    return value ? where[i].value : where[i].key;
  };
  // Expected outputs (`expect`, or one rule's under `expect_each`): names the policy has, values of their type.
  auto check_outputs = [&](const std::vector<std::pair<std::string, std::string>>& expected,
                           const std::vector<entry_location>& where) {
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const auto& [name, text] = expected[i];
      const auto f = std::find(outputs.begin(), outputs.end(), name);
      if (f == outputs.end())
        throw policy_error("policy '" + p.name() + "' has no output '" + name + "'" + kefu::detail::did_you_mean(name, outputs),
                           at(where, i, false), {}, "kefu.rules.unknown_output");
      check_value(p.outputs()[static_cast<std::size_t>(f - outputs.begin())], text, p.zone(), "expected output",
                  at(where, i, true));
    }
  };
  for (const test_case& c : s.cases) {
    for (std::size_t i = 0; i < c.input.size(); ++i) {
      const auto& [name, text] = c.input[i];
      const auto f = std::find(inputs.begin(), inputs.end(), name);
      if (f == inputs.end())
        throw policy_error("policy '" + p.name() + "' has no input '" + name + "'" + kefu::detail::did_you_mean(name, inputs),
                           at(c.input_where, i, false), {}, "kefu.rules.unknown_input");
      check_value(p.inputs()[static_cast<std::size_t>(f - inputs.begin())], text, p.zone(), "input", at(c.input_where, i, true));
    }
    check_outputs(c.expect, c.expect_where);
    for (const rule_expectation& e : c.expect_each) {
      if (p.hits() != hit_policy::collect)  // under first, unique and priority one rule decides: `expect` checks it
        throw policy_error("`expect_each` is for hit policy collect, where every rule that applies fires; policy '" +
                               p.name() + "' is hit policy " + to_string(p.hits()) + ": check its decision with `expect`",
                           e.where);
      if (std::find(rule_ids.begin() + 1, rule_ids.end(), e.rule) == rule_ids.end())
        throw policy_error("policy '" + p.name() + "' has no rule '" + e.rule + "'" +
                               kefu::detail::did_you_mean(e.rule, std::vector<std::string>(rule_ids.begin() + 1, rule_ids.end())),
                           e.where, {}, "kefu.rules.unknown_rule");
      check_outputs(e.outputs, e.outputs_where);
    }
    for (std::size_t i = 0; i < c.expect_rules.size(); ++i) {
      const std::string& id = c.expect_rules[i];
      if (std::find(rule_ids.begin(), rule_ids.end(), id) == rule_ids.end())
        throw policy_error("policy '" + p.name() + "' has no rule '" + id + "'" + kefu::detail::did_you_mean(id, rule_ids) +
                               " (`default` means that no rule fires)",
                           i < c.expect_rules_where.size() ? c.expect_rules_where[i] : c.where, {}, "kefu.rules.unknown_rule");
    }
  }
}

suite_result run_suite(const suite& s, const policy& p) {
  suite_result out;
  decision d;
  for (std::size_t i = 0; i < s.cases.size(); ++i) {
    const test_case& c = s.cases[i];
    case_result r;
    r.index = i;
    try {
      record rec = p.make_record();
      for (const auto& [k, v] : c.input) p.set(rec, p.slot(k), v);
      p.evaluate(rec, d);
      for (const auto m : d.matched) r.actual_rules.push_back(p.rules()[m].id);
      r.actual_rule_indices = d.matched;
      if (d.matched.empty()) r.actual_rules.push_back("default");
      const auto values = p.outputs_of(d);
      for (const auto& [name, text] : c.expect) {
        const std::size_t o = p.output_index(name);
        const field& f = p.outputs()[o];
        value expected;
        try {
          expected = parse_value(f, text, p.zone(), nullptr);
        } catch (const parse_error& e) {
          rethrow_with_prefix(e, "expected value of output '" + name + "': ");
        }
        const std::string actual = values[o] ? format_value(f, *values[o], p.zone()) : "(not set)";
        if (!values[o] || !(*values[o] == expected))
          r.differences.emplace_back(name, format_value(f, expected, p.zone()), actual);
      }
      for (const rule_expectation& e : c.expect_each) {
        const auto fired = std::find_if(d.matched.begin(), d.matched.end(), [&](std::uint32_t m) { return p.rules()[m].id == e.rule; });
        if (fired == d.matched.end()) {
          r.differences.emplace_back(e.rule, "fires", "does not fire");
          continue;
        }
        for (const auto& [name, text] : e.outputs) {
          const std::size_t o = p.output_index(name);
          const field& f = p.outputs()[o];
          const value expected = parse_value(f, text, p.zone(), "expected output");
          const value* actual = p.output_of_rule(*fired, o);
          if (!actual || !(*actual == expected))
            r.differences.emplace_back(e.rule + " " + name, format_value(f, expected, p.zone()),
                                       actual ? format_value(f, *actual, p.zone()) : "(not set)");
        }
      }
      if (c.check_rules && c.expect_rules != r.actual_rules) {
        auto join = [](const std::vector<std::string>& v) {
          std::string j;
          for (const auto& x : v) j += (j.empty() ? "" : ", ") + x;
          return j;
        };
        r.differences.emplace_back("rule", join(c.expect_rules), join(r.actual_rules));
      }
    } catch (const kefu::error& e) {
      r.differences.emplace_back("error", "", e.detail());
    }
    r.passed = r.differences.empty();
    (r.passed ? out.passed : out.failed) += 1;
    out.cases.push_back(std::move(r));
  }
  return out;
}

std::size_t check_suite(const suite& s, const policy& p) {
  check_suite_types(s, p);
  const suite_result r = run_suite(s, p);
  if (r.failed == 0) return r.passed;
  const auto first = std::find_if(r.cases.begin(), r.cases.end(), [](const case_result& c) { return !c.passed; });
  const test_case& c = s.cases[first->index];
  std::string what;
  for (const auto& [name, expected, actual] : first->differences) {
    if (!what.empty()) what += "; ";
    what += name == "error" ? actual : name + " expected " + expected + ", got " + actual;
  }
  std::string detail = "rule test '" + c.name + "' fails: " + what;
  if (r.failed > 1)
    detail += " (and " + std::to_string(r.failed - 1) + " more failing case" + (r.failed > 2 ? "s" : "") + " in this file)";
  detail += " / 规则测试未通过";
  source_location where = c.where;
  if (where.file.empty()) where.file = s.file;
  throw policy_error(std::move(detail), std::move(where), {}, rule_test_error_id);
}

}  // namespace kefu::rules
