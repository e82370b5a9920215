// Policy files → compiled, checked policies (format: docs/rules.md), and the facts vocabulary file, read
// with the same field reader. Evaluation and explanation are in policy.cpp.
#include <kefu/detail/suggest.hpp>
#include <kefu/rules/catalog.hpp>
#include <kefu/rules/policy.hpp>

#include "../detail/yaml_support.hpp"
#include "analysis.hpp"
#include "expression.hpp"
#include "facts.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>

namespace kefu::rules {

namespace {
using kefu::detail::location_of;

std::vector<std::string> names_of(const std::vector<field>& fields) {
  std::vector<std::string> out;
  for (const auto& f : fields) out.push_back(f.name);
  return out;
}
}  // namespace

/// Where `values: from facts` finds the facts vocabulary: given (a rules directory), or the facts file
/// beside the policy file (a policy file loaded alone); a policy read from text has none.
struct facts_source {
  const std::vector<field>* fields = nullptr;
  std::string policy_path;  // when not given: the policy file, whose directory holds the facts file
};

class policy_builder {
 public:
  explicit policy_builder(const kefu::detail::yaml_file& source, facts_source facts = {})
      : source_(source), file_(source.name), facts_(std::move(facts)) {}

  policy_ptr build() {
    return kefu::detail::with_char_columns(source_.text, [&] { return build(source_.root); });
  }

  /// A facts vocabulary file: `facts: NAME`, `fields:` (like inputs, plus required/derived/personal).
  detail::facts_document build_facts() {
    return kefu::detail::with_char_columns(source_.text, [&] {
      const YAML::Node& doc = source_.root;
      if (!doc.IsMap() || !doc["facts"]) fail(doc, "a facts file must be a mapping starting with `facts: NAME`");
      kefu::detail::check_duplicate_keys(source_, doc);
      static const std::vector<std::string> known = {"facts", "version", "description", "source", "zone", "fields"};
      for (const auto& kv : doc)
        if (std::find(known.begin(), known.end(), kv.first.Scalar()) == known.end())
          fail(kv.first, "unknown key '" + kv.first.Scalar() + "' in a facts file" + kefu::detail::did_you_mean(kv.first.Scalar(), known));
      detail::facts_document out;
      out.file = file_;
      out.name = text(doc["facts"], "`facts`");
      if (doc["version"]) out.version = text(doc["version"], "`version`");
      if (doc["description"]) out.description = text(doc["description"], "`description`");
      policy scratch;  // for the zone that defaults are read in
      scratch.program_.zone = kefu::time_zone::parse("+08:00");
      if (const YAML::Node z = doc["zone"]) {
        try {
          scratch.program_.zone = kefu::time_zone::parse(text(z, "`zone`"));
        } catch (const parse_error& e) {
          fail(z, e.detail());
        }
      }
      out.zone = scratch.program_.zone;
      if (!doc["fields"]) fail(doc["facts"], "a facts file needs `fields:`");
      out.fields = fields(doc["fields"], "fact", true, scratch, true);
      return out;
    });
  }

 private:
  policy_ptr build(const YAML::Node& doc) {
    auto p = std::make_shared<policy>();
    p->file_ = file_;
    if (doc.IsNull()) throw policy_error("the file is empty: a policy file starts with `policy: NAME`", {file_, 1, 1});
    if (!doc.IsMap()) fail(doc, "a policy file must be a mapping starting with `policy: NAME`");
    check_keys_outside_rules(doc);
    static const std::vector<std::string> known = {"policy", "version", "description", "source", "zone", "hit_policy",
                                                   "inputs", "outputs", "keywords", "rules", "default"};
    for (const auto& kv : doc) {
      const std::string key = kv.first.Scalar();
      if (std::find(known.begin(), known.end(), key) == known.end())
        fail(kv.first, "unknown key '" + key + "' in a policy" + kefu::detail::did_you_mean(key, known));
    }
    if (!doc["policy"]) fail(doc, "a policy file needs `policy: NAME`");
    p->name_ = text(doc["policy"], "`policy`");
    if (doc["version"]) p->version_ = text(doc["version"], "`version`");
    if (doc["description"]) p->description_ = text(doc["description"], "`description`");
    p->program_.zone = kefu::time_zone::parse("+08:00");
    if (const YAML::Node z = doc["zone"]) {
      try {
        p->program_.zone = kefu::time_zone::parse(text(z, "`zone`"));
      } catch (const parse_error& e) {
        fail(z, e.detail());
      }
    }
    if (const YAML::Node h = doc["hit_policy"]) {
      const std::string v = text(h, "`hit_policy`");
      static const std::vector<std::string> hits = {"first", "collect", "unique", "priority"};
      const auto it = std::find(hits.begin(), hits.end(), v);
      if (it == hits.end())
        fail(h, "unknown hit_policy '" + v + "' (expected first, collect, unique or priority)" + kefu::detail::did_you_mean(v, hits));
      p->hit_policy_ = static_cast<hit_policy>(it - hits.begin());
    }
    if (!doc["inputs"]) fail(doc["policy"], "a policy needs `inputs:` (the facts its rules read)");
    p->inputs_ = fields(doc["inputs"], "input", true, *p);
    if (!doc["outputs"]) fail(doc["policy"], "a policy needs `outputs:` (what its rules decide)");
    p->outputs_ = fields(doc["outputs"], "output", false, *p);
    if (const YAML::Node k = doc["keywords"]) keywords(k, *p);
    if (!doc["rules"] || !doc["rules"].IsSequence() || doc["rules"].size() == 0)
      fail(doc["rules"] ? doc["rules"] : doc["policy"], "a policy needs `rules:`, a list of rules with id, when and then");
    if (const YAML::Node d = doc["default"]) {
      p->default_ = outputs(d, *p, "");
      p->has_default_ = true;
    } else {
      p->default_.assign(p->outputs_.size(), std::nullopt);
    }
    rules(doc["rules"], *p);
    {
      auto idx = detail::index_rules(*p);
      p->index_slot_ = idx.slot;
      p->index_candidates_ = std::move(idx.candidates);
    }
    for (auto& d : detail::analyse_policy(*p)) {
      if (d.where.file.empty()) d.where.file = file_;
      if (d.check == "gap") d.where = location_of(doc["rules"], file_);
      p->warnings_.push_back(std::move(d));
    }
    return p;
  }

  /// Duplicate keys anywhere but inside rules (rules are checked one by one, naming the rule).
  void check_keys_outside_rules(const YAML::Node& doc) const {
    std::vector<std::pair<std::string, YAML::Mark>> seen;
    for (const auto& kv : doc) {
      const std::string key = kv.first.Scalar();
      for (const auto& [k, mark] : seen)
        if (k == key) {
          const auto first = kefu::detail::to_char_columns(source_.text, location_of(mark, file_));
          fail(kv.first, "duplicate key '" + key + "' (first at " + std::to_string(first.line) + ":" +
                             std::to_string(first.column) + ")");
        }
      seen.emplace_back(key, kv.first.Mark());
      if (key == "rules") continue;
      if ((key == "inputs" || key == "outputs" || key == "keywords") && kv.second.IsMap()) {
        // Their own names are checked where they are read ("input 'x' is declared twice"); their bodies here.
        for (const auto& entry : kv.second) kefu::detail::check_duplicate_keys(source_, entry.second);
        continue;
      }
      kefu::detail::check_duplicate_keys(source_, kv.second);
    }
  }

  /// "7:3" of a byte location, in characters (for messages that name a second place).
  std::string first_at(const source_location& byte_location) const {
    const auto c = kefu::detail::to_char_columns(source_.text, byte_location);
    return std::to_string(c.line) + ":" + std::to_string(c.column);
  }

  [[noreturn]] void fail(const YAML::Node& node, const std::string& msg, const std::string& rule_id = {},
                         const std::string& id = "kefu.policy") const {
    throw policy_error(msg, location_of(node, file_), rule_id, id);
  }

  /// The facts vocabulary for `values: from facts` at `node` (input `f`): the one given, else the facts
  /// file beside the policy file, read once.
  const std::vector<field>& vocabulary(const YAML::Node& node, const field& f) {
    if (facts_.fields) return *facts_.fields;
    if (loaded_facts_) return loaded_facts_->fields;
    const std::string head = "input '" + f.name + "' takes `values: from facts`, but ";
    if (facts_.policy_path.empty())
      fail(node, head + "a policy read from text has no facts vocabulary: load it from its rules directory, or list its values",
           {}, "kefu.rules.from_facts");
    namespace fs = std::filesystem;
    fs::path dir = fs::path(facts_.policy_path).parent_path();
    if (dir.empty()) dir = ".";
    std::vector<std::string> found;
    std::error_code ec;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir, ec))
      if (entry.is_regular_file() && (entry.path().extension() == ".yaml" || entry.path().extension() == ".yml"))
        files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      try {
        if (describe_rules_file(file.generic_string()).kind == document_kind::facts) found.push_back(file.generic_string());
      } catch (const error&) {  // a broken neighbour is its own file's problem
      }
    }
    if (found.empty())
      fail(node, head + "there is no facts file (one starting with `facts:`) beside it in " + dir.generic_string() +
                     ": load it with its rules directory, or list its values",
           {}, "kefu.rules.from_facts");
    if (found.size() > 1)
      fail(node, head + "there are two facts files beside it (" + found[0] + ", " + found[1] + "): keep one vocabulary per directory",
           {}, "kefu.rules.from_facts");
    try {
      loaded_facts_ = detail::load_facts_document(found[0]);
    } catch (const error& e) {
      fail(node, head + "the facts file does not load: " + e.what(), {}, "kefu.rules.from_facts");
    }
    return loaded_facts_->fields;
  }

  /// The values of an enum or set input that says `values: from facts`: the fact of the same name's.
  std::vector<std::string> values_from_facts(const YAML::Node& node, const field& f, const std::string& type) {
    const auto& facts = vocabulary(node, f);
    const std::string head = "input '" + f.name + "' takes `values: from facts`, but ";
    const std::string file = facts.empty() ? std::string("the facts file") : facts.front().where.file;
    for (const auto& fact : facts)
      if (fact.name == f.name) {
        if (fact.type != f.type)
          fail(node, head + "fact '" + f.name + "' (" + file + ":" + std::to_string(fact.where.line) + ") is " +
                         to_string(fact.type) + ", not " + type,
               {}, "kefu.rules.from_facts");
        return fact.values;
      }
    fail(node, head + "the facts vocabulary (" + file + ") has no field '" + f.name + "'" +
                   kefu::detail::did_you_mean(f.name, names_of(facts)),
         {}, "kefu.rules.from_facts");
  }
  std::string text(const YAML::Node& node, const std::string& what) const { return kefu::detail::scalar_text(node, file_, what); }

  std::vector<field> fields(const YAML::Node& node, const char* what, bool inputs, const policy& p, bool facts = false) {
    if (!node.IsMap()) fail(node, std::string("`") + what + "s` must map names to types, e.g. vip: bool");
    std::vector<field> out;
    static const std::vector<std::string> types = {"bool", "int", "decimal", "money", "duration", "date", "datetime", "enum", "set", "text", "deadline"};
    for (const auto& kv : node) {
      field f;
      f.name = text(kv.first, std::string("an ") + what + " name");
      f.where = location_of(kv.first, file_);
      for (const auto& existing : out)
        if (existing.name == f.name)
          fail(kv.first, std::string(what) + " '" + f.name + "' is declared twice (first at " + first_at(existing.where) + ")");
      // (yaml-cpp's Node::operator= writes through to the node it refers to: never reassign a Node.)
      const YAML::Node type_node = kv.second.IsMap() ? kv.second["type"] : kv.second;
      if (kv.second.IsMap()) {
        static const std::vector<std::string> policy_keys = {"type", "values", "default", "description"};
        static const std::vector<std::string> facts_keys = {"type", "values", "default", "description", "required", "derived", "personal",
                                                              "non_negative"};
        const auto& keys = facts ? facts_keys : policy_keys;
        for (const auto& k : kv.second) {
          if (!inputs && k.first.Scalar() == "default")
            fail(k.first, "output '" + f.name + "' cannot have a `default` (the policy's `default:` gives the outputs "
                          "when no rule matches)");
          if (std::find(keys.begin(), keys.end(), k.first.Scalar()) == keys.end())
            fail(k.first, "unknown key '" + k.first.Scalar() + "' in " + what + " '" + f.name + "'" +
                              kefu::detail::did_you_mean(k.first.Scalar(), keys));
        }
        if (!kv.second["type"]) fail(kv.second, std::string(what) + " '" + f.name + "' needs `type:`");
        if (kv.second["description"]) f.description = text(kv.second["description"], "`description`");
        if (facts) {
          auto flag = [&](const char* key) {
            if (!kv.second[key]) return false;
            const std::string v = text(kv.second[key], std::string("`") + key + "`");
            if (v != "true" && v != "false") fail(kv.second[key], std::string("`") + key + "` must be true or false");
            return v == "true";
          };
          f.required = flag("required");
          f.personal = flag("personal");
          f.non_negative = flag("non_negative");
          if (kv.second["derived"]) f.derived = text(kv.second["derived"], "`derived`");
          if (f.required && (kv.second["default"] || !f.derived.empty()))
            fail(kv.first, std::string(what) + " '" + f.name + "' cannot be required and have a default or be derived");
        }
      }
      const std::string t = text(type_node, "a type");
      const auto it = std::find(types.begin(), types.end(), t);
      if (it == types.end())
        fail(type_node, "unknown type '" + t + "' for " + what + " '" + f.name + "' (expected bool, int, decimal, money, duration, date, datetime, enum, set, text or deadline)" +
                            kefu::detail::did_you_mean(t, types));
      f.type = static_cast<value_type>(it - types.begin());
      if (f.type == value_type::enumeration || f.type == value_type::set) {
        const YAML::Node values = kv.second.IsMap() ? kv.second["values"] : YAML::Node();
        if (values && values.IsScalar() && values.Scalar() == "from facts") {
          if (!inputs || facts)
            fail(values, std::string("only policy inputs take `values: from facts`; list the values of ") + what + " '" +
                             f.name + "'");
          f.values = values_from_facts(values, f, t);
        } else {
          if (!values || !values.IsSequence() || values.size() == 0)
            fail(kv.second.IsMap() ? kv.second : kv.first,
                 std::string(what) + " '" + f.name + "' (" + t + ") needs `values: [a, b, …]`");
          for (const auto& v : values) {
            const std::string s = text(v, "a value");
            if (f.value_index(s) >= 0) fail(v, "value '" + s + "' is listed twice in " + what + " '" + f.name + "'");
            f.values.push_back(s);
          }
          if (f.type == value_type::set && f.values.size() > 64) fail(values, "a set can have at most 64 values");
        }
      } else if (kv.second.IsMap() && kv.second["values"]) {
        for (const auto& k : kv.second)
          if (k.first.Scalar() == "values")
            fail(k.first, std::string(what) + " '" + f.name + "' is " + t + ": `values` only applies to enum and set " +
                              what + "s");
      }
      if (inputs && kv.second.IsMap() && kv.second["default"]) {
        const YAML::Node d = kv.second["default"];
        try {
          parse_value(f, text(d, "`default`"), p.zone());
        } catch (const parse_error& e) {
          fail(d, e.detail());
        }
        f.default_text = text(d, "`default`");
      }
      out.push_back(std::move(f));
    }
    return out;
  }

  void keywords(const YAML::Node& node, policy& p) {
    if (!node.IsMap()) fail(node, "`keywords` must map set names to lists of words, e.g. media: [曝光, 媒体]");
    for (const auto& kv : node) {
      const std::string name = text(kv.first, "a keyword set name");
      for (std::size_t k = 0; k < p.keyword_sets_.size(); ++k)
        if (p.keyword_sets_[k].name() == name)
          fail(kv.first, "keyword set '" + name + "' is declared twice (first at " + first_at(keyword_where_[k]) + ")");
      if (!kv.second.IsSequence()) fail(kv.second, "keyword set '" + name + "' must be a list of words");
      if (kv.second.size() == 0) fail(kv.second, "keyword set '" + name + "' is empty");
      std::vector<std::string> words;
      for (const auto& w : kv.second) {
        const std::string word = text(w, "a keyword");
        if (word.empty()) fail(w, "empty keyword in set '" + name + "'");
        if (std::find(words.begin(), words.end(), word) != words.end()) fail(w, "'" + word + "' is listed twice in keyword set '" + name + "'");
        words.push_back(word);
      }
      p.keyword_sets_.emplace_back(name, std::move(words));
      keyword_where_.push_back(location_of(kv.first, file_));
    }
  }

  std::vector<std::optional<value>> outputs(const YAML::Node& node, const policy& p, const std::string& rule_id) {
    if (!node.IsMap()) fail(node, "outputs must be a mapping such as {decision: refund}", rule_id);
    std::vector<std::optional<value>> out(p.outputs_.size());
    for (const auto& kv : node) {
      const std::string name = text(kv.first, "an output name");
      std::size_t i = 0;
      for (; i < p.outputs_.size(); ++i)
        if (p.outputs_[i].name == name) break;
      if (i == p.outputs_.size())
        fail(kv.first, "unknown output '" + name + "'" + kefu::detail::did_you_mean(name, names_of(p.outputs_)), rule_id);
      try {
        std::string given;
        if (kv.second.IsSequence() && p.outputs_[i].type == value_type::set) {
          for (const auto& item : kv.second) given += (given.empty() ? "" : ",") + text(item, "a value");
        } else {
          given = text(kv.second, "an output value");
        }
        out[i] = parse_value(p.outputs_[i], given, p.zone(), "output");
      } catch (const parse_error& e) {
        fail(kv.second, e.detail(), rule_id);
      }
    }
    return out;
  }

  source_location when_location(const YAML::Node& when, std::size_t offset) const {
    return kefu::detail::locate_in_scalar(source_, when, offset);
  }

  /// The key node of `key` in a mapping (errors about a key point at it, not at its value).
  static YAML::Node key_of(const YAML::Node& map, const std::string& key) {
    for (const auto& kv : map)
      if (kv.first.Scalar() == key) return kv.first;
    return map;
  }

  void rules(const YAML::Node& node, policy& p) {
    std::vector<bool> keyword_used(p.keyword_sets_.size()), input_used(p.inputs_.size());
    detail::compile_env env{p.inputs_, p.keyword_sets_, p.program_, p.keyword_tests_, keyword_used, input_used};
    std::set<std::string> ids;
    for (const auto& item : node) {
      if (!item.IsMap()) fail(item, "a rule must be a mapping with id, when and then");
      rule r;
      r.where = location_of(item, file_);
      if (!item["id"]) fail(item, "a rule needs `id:`");
      r.id = text(item["id"], "`id`");
      try {
        kefu::detail::check_duplicate_keys(source_, item, r.id);
        read_rule(item, r, p, env, ids);
      } catch (const policy_error& e) {
        if (!e.rule_id().empty()) throw;
        throw policy_error(e.detail(), e.where(), r.id, e.id());
      }
      p.rules_.push_back(std::move(r));
    }
    for (std::size_t k = 0; k < keyword_used.size(); ++k)
      if (!keyword_used[k])
        p.warnings_.push_back({"keyword set '" + p.keyword_sets_[k].name() + "' is not used by any rule", keyword_where_[k], {}, "unused-keywords"});
  }

  void read_rule(const YAML::Node& item, rule& r, policy& p, detail::compile_env& env, std::set<std::string>& ids) {
    static const std::vector<std::string> keys = {"id", "description", "source", "when", "then", "priority"};
    {
      for (const auto& kv : item)
        if (std::find(keys.begin(), keys.end(), kv.first.Scalar()) == keys.end())
          fail(kv.first, "unknown key '" + kv.first.Scalar() + "' in a rule" + kefu::detail::did_you_mean(kv.first.Scalar(), keys), r.id);
      if (!ids.insert(r.id).second) {
        const auto first = std::find_if(p.rules_.begin(), p.rules_.end(), [&](const rule& x) { return x.id == r.id; });
        fail(item["id"], "duplicate rule id '" + r.id + "'" + (first != p.rules_.end() ? " (first at " + first_at(first->where) + ")" : ""), r.id);
      }
      if (item["description"]) r.description = text(item["description"], "`description`");
      if (item["source"]) r.source = text(item["source"], "`source`");
      if (item["priority"]) {
        if (p.hit_policy_ != hit_policy::priority)
          fail(key_of(item, "priority"), "`priority` only applies under hit_policy: priority", r.id);
        field prio;
        prio.name = "priority";
        prio.type = value_type::integer;
        try {
          r.priority = parse_value(prio, text(item["priority"], "`priority`")).number;
        } catch (const parse_error&) {
          fail(item["priority"], "`priority` must be a whole number", r.id);
        }
      } else if (p.hit_policy_ == hit_policy::priority) {
        fail(item, "every rule needs `priority:` under hit_policy: priority", r.id);
      }
      if (!item["when"]) fail(item, "a rule needs `when:` (write `when: true` for a rule that always applies)", r.id);
      const YAML::Node when = item["when"];
      if (when.IsNull() || (when.IsScalar() && when.Scalar().find_first_not_of(" \t\n") == std::string::npos && when.Tag() != "!"))
        fail(key_of(item, "when"), "empty condition (write `when: true` for a rule that always applies)", r.id);
      r.when = text(when, "`when`");
      r.when_where = location_of(when, file_);
      try {
        r.root = detail::compile_condition(r.when, env);
      } catch (const detail::expression_error& e) {
        throw policy_error(e.message, when_location(when, e.offset), r.id, e.id);
      }
      if (!item["then"]) fail(item, "a rule needs `then:` with the outputs it decides", r.id);
      r.then = outputs(item["then"], p, r.id);
    }
  }

  const kefu::detail::yaml_file& source_;
  std::string file_;
  facts_source facts_;
  std::optional<detail::facts_document> loaded_facts_;
  std::vector<source_location> keyword_where_;
};

namespace detail {
facts_document load_facts_document(const std::string& path) {
  const auto source = kefu::detail::read_yaml_file(path);
  return policy_builder(source).build_facts();
}
}  // namespace detail

policy_ptr load_policy_file(const std::string& path) {
  const auto source = kefu::detail::read_yaml_file(path);
  return policy_builder(source, {nullptr, path}).build();
}

policy_ptr load_policy_string(const std::string& yaml, const std::string& display_name) {
  const auto source = kefu::detail::read_yaml_string(yaml, display_name);
  return policy_builder(source).build();
}

policy_ptr load_policy_file(const std::string& path, const std::vector<field>& facts) {
  const auto source = kefu::detail::read_yaml_file(path);
  return policy_builder(source, {&facts, path}).build();
}

policy_ptr load_policy_string(const std::string& yaml, const std::string& display_name, const std::vector<field>& facts) {
  const auto source = kefu::detail::read_yaml_string(yaml, display_name);
  return policy_builder(source, {&facts, {}}).build();
}

}  // namespace kefu::rules
