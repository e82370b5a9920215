// Policy files → compiled, checked policies (format: docs/rules.md), and the facts vocabulary file, read
// with the same field reader. Evaluation and explanation are in policy.cpp, the version in force in policy_versions.cpp.
#include <kefu/detail/suggest.hpp>
#include <kefu/rules/catalog.hpp>
#include <kefu/rules/policy.hpp>

#include "../detail/yaml_support.hpp"
#include "analysis.hpp"
#include "documents.hpp"
#include "expression.hpp"
#include "facts.hpp"

#include <algorithm>
#include <filesystem>
#include <limits>
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
          fail(kv.first, "unknown key '" + kv.first.Scalar() + "' in a facts file (expected " + listed(known) + ")" +
                             kefu::detail::did_you_mean(kv.first.Scalar(), known));
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
    p->digest_ = kefu::detail::tree_digest(doc);
    if (doc.IsNull()) throw policy_error("the file is empty: a policy file starts with `policy: NAME`", {file_, 1, 1});
    if (!doc.IsMap()) fail(doc, "a policy file must be a mapping starting with `policy: NAME`");
    check_keys_outside_rules(doc);
    static const std::vector<std::string> known = {"policy", "version", "description", "source", "zone", "hit_policy",
                                                   "inputs", "outputs", "negation", "keywords", "rules", "default",
                                                   "versions", "versions_by"};
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
    if (const YAML::Node n = doc["negation"]) {
      policy_negation_.emplace();
      read_negation(n, *policy_negation_, "the policy's `negation`");
      check_negation(*policy_negation_, *p);
    }
    if (const YAML::Node k = doc["keywords"]) keywords(k, *p);
    if (doc["versions"] && doc["rules"])
      fail(key_of(doc, "rules"), "a policy has either `rules:` or `versions:` (each version with its own rules), not both");
    if (doc["versions_by"] && !doc["versions"])
      fail(key_of(doc, "versions_by"), "`versions_by` names the input that picks a version; it needs `versions:`");
    if (doc["versions"] && doc["version"])
      fail(key_of(doc, "version"),
           "with `versions:` each version names itself (`version:` under each); remove the top-level `version`");
    if (!doc["versions"] && (!doc["rules"] || !doc["rules"].IsSequence() || doc["rules"].size() == 0))
      fail(doc["rules"] ? doc["rules"] : doc["policy"], "a policy needs `rules:`, a list of rules with id, when and then");
    if (const YAML::Node d = doc["default"]) {
      p->default_ = outputs(d, *p, "");
      p->has_default_ = true;
    } else {
      p->default_.assign(p->outputs_.size(), std::nullopt);
    }
    if (doc["versions"]) versions(doc, *p);
    else rules(doc["rules"], *p);
    {
      auto idx = detail::index_rules(*p);
      p->index_slot_ = idx.slot;
      p->index_candidates_ = std::move(idx.candidates);
      p->roots_ = std::move(idx.roots);
    }
    // One scanner per text input over the sets its keyword tests read (64 sets at most per scanner).
    for (std::size_t k = 0; k < p->keyword_tests_.size(); ++k) {
      const std::size_t slot = p->keyword_tests_[k].first;
      auto g = std::find_if(p->keyword_groups_.begin(), p->keyword_groups_.end(),
                            [&](const policy::keyword_group& x) { return x.slot == slot && x.tests.size() < 64; });
      if (g == p->keyword_groups_.end()) {
        p->keyword_groups_.emplace_back();
        g = std::prev(p->keyword_groups_.end());
        g->slot = slot;
      }
      g->tests.push_back(k);
    }
    for (auto& g : p->keyword_groups_) {
      std::vector<const keyword_set*> sets;
      for (const std::size_t k : g.tests) sets.push_back(&p->keyword_sets_[p->keyword_tests_[k].second]);
      g.scanner = keyword_scanner(sets);
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
        // (Inside a keyword set's exceptions, duplicate words are checked where they are read, too.)
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
    const std::vector<std::string> found = detail::facts_files_beside(facts_.policy_path);
    std::string dir = std::filesystem::path(facts_.policy_path).parent_path().generic_string();
    if (dir.empty()) dir = ".";
    if (found.empty())
      fail(node, head + "there is no facts file (one starting with `facts:`) beside it in " + dir +
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

  /// "a, b, c": the keys a mapping accepts, for an unknown-key error.
  static std::string listed(const std::vector<std::string>& keys) {
    std::string out;
    for (const auto& k : keys) out += (out.empty() ? "" : ", ") + k;
    return out;
  }

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
          // A facts file's keys are listed, as the KPI loaders list theirs (docs/schema keeps them equal).
          if (std::find(keys.begin(), keys.end(), k.first.Scalar()) == keys.end())
            fail(k.first, "unknown key '" + k.first.Scalar() + "' in " + what + " '" + f.name + "'" +
                              (facts ? " (expected " + listed(keys) + ")" : std::string()) +
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

  /// Negation as read from a `negation:` block, with where each entry was written (for lint).
  struct negation_source {
    negation_rules rules;
    std::vector<source_location> cue_where, not_cue_where, break_where;
  };

  /// A list of non-empty, distinct texts (cues, not-cues, breaks, exception phrases), with their places.
  std::vector<std::string> text_list(const YAML::Node& node, const std::string& what, std::vector<source_location>* where) {
    if (!node.IsSequence() || node.size() == 0) fail(node, what + " must be a non-empty list");
    std::vector<std::string> out;
    for (const auto& item : node) {
      const std::string t = text(item, what);
      if (t.empty()) fail(item, "empty entry in " + what);
      if (std::find(out.begin(), out.end(), t) != out.end()) fail(item, "'" + t + "' is listed twice in " + what);
      out.push_back(t);
      if (where) where->push_back(location_of(item, file_));
    }
    return out;
  }

  int window_value(const YAML::Node& node, const std::string& what) {
    const std::string t = text(node, what);
    field f;
    f.name = "window";
    f.type = value_type::integer;
    std::int64_t n = -1;
    try {
      n = parse_value(f, t).number;
    } catch (const parse_error&) {
    }
    if (n < 0 || n > 20) fail(node, what + " must be a whole number of characters from 0 to 20, not '" + t + "'");
    return static_cast<int>(n);
  }

  /// Reads a `negation:` mapping over `out` (keys given replace what `out` had: a keyword set's own
  /// negation starts from the policy's).
  void read_negation(const YAML::Node& node, negation_source& out, const std::string& what) {
    if (!node.IsMap())
      fail(node, what + " must be a mapping with `cues:` (and `window`, `not_cues`, `breaks`), e.g. "
                        "{cues: [没有, 不会], window: 4}");
    static const std::vector<std::string> keys = {"cues", "window", "not_cues", "breaks"};
    for (const auto& kv : node)
      if (std::find(keys.begin(), keys.end(), kv.first.Scalar()) == keys.end())
        fail(kv.first, "unknown key '" + kv.first.Scalar() + "' in " + what + kefu::detail::did_you_mean(kv.first.Scalar(), keys));
    if (const YAML::Node w = node["window"]) out.rules.window = window_value(w, "`window`");
    if (const YAML::Node cues = node["cues"]) {
      if (!cues.IsSequence() || cues.size() == 0) fail(cues, "`cues` must be a non-empty list of words such as 没有, or {cue: 不, window: 1}");
      out.rules.cues.clear();
      out.cue_where.clear();
      for (const auto& item : cues) {
        negation_cue c;
        if (item.IsMap()) {
          static const std::vector<std::string> cue_keys = {"cue", "window"};
          for (const auto& kv : item)
            if (std::find(cue_keys.begin(), cue_keys.end(), kv.first.Scalar()) == cue_keys.end())
              fail(kv.first, "unknown key '" + kv.first.Scalar() + "' in a negation cue" + kefu::detail::did_you_mean(kv.first.Scalar(), cue_keys));
          if (!item["cue"]) fail(item, "a negation cue written as a mapping needs `cue:` (and `window:`), e.g. {cue: 不, window: 1}");
          c.text = text(item["cue"], "a negation cue");
          if (item["window"]) c.window = window_value(item["window"], "the cue's `window`");
        } else {
          c.text = text(item, "a negation cue");
        }
        if (c.text.empty()) fail(item, "empty negation cue");
        for (const auto& other : out.rules.cues)
          if (other.text == c.text) fail(item, "negation cue '" + c.text + "' is listed twice");
        out.rules.cues.push_back(std::move(c));
        out.cue_where.push_back(location_of(item.IsMap() ? item["cue"] : item, file_));
      }
    } else if (out.rules.cues.empty()) {
      fail(node, what + " needs `cues:`, the words that negate a keyword written shortly after them (没有, 不会 …)");
    }
    if (const YAML::Node nc = node["not_cues"]) {
      out.not_cue_where.clear();
      out.rules.not_cues = text_list(nc, "`not_cues`", &out.not_cue_where);
    }
    if (const YAML::Node b = node["breaks"]) {
      out.break_where.clear();
      out.rules.breaks = text_list(b, "`breaks`", &out.break_where);
    }
  }

  void warn(policy& p, const std::string& message, const source_location& byte_location, const std::string& check) {
    const source_location where = kefu::detail::to_char_columns(source_.text, byte_location);
    for (const auto& w : p.warnings_)
      if (w.message == message && w.where.line == where.line && w.where.column == where.column) return;
    p.warnings_.push_back({message, where, {}, check});
  }

  /// Lint: cues and not-cues that can never apply (DOM-RISK-5).
  void check_negation(const negation_source& n, policy& p) {
    const auto& r = n.rules;
    std::vector<std::string> breaks;
    for (const auto& b : r.breaks) breaks.push_back(detail::fold(b));
    for (std::size_t i = 0; i < r.cues.size(); ++i) {
      const std::string& cue = r.cues[i].text;
      const std::string folded = detail::fold(cue);
      if (const std::string stop = negation_stop_in(cue); !stop.empty()) {
        warn(p, "negation cue '" + cue + "' contains " + stop + ", where the scan back from a keyword stops: it can never apply",
             n.cue_where[i], "negation-cue");
        continue;
      }
      bool warned = false;
      for (std::size_t b = 0; b < breaks.size() && !warned; ++b)
        if (folded.find(breaks[b]) != std::string::npos) {
          warn(p, "negation cue '" + cue + "' contains the break '" + r.breaks[b] + "', which ends a cue's reach: it can never apply",
               n.cue_where[i], "negation-cue");
          warned = true;
        }
      for (std::size_t k = 0; k < r.not_cues.size() && !warned; ++k)
        if (detail::fold(r.not_cues[k]) == folded) {
          warn(p, "negation cue '" + cue + "' is also listed in `not_cues`: it can never apply", n.cue_where[i], "negation-cue");
          warned = true;
        }
    }
    for (std::size_t k = 0; k < r.not_cues.size(); ++k) {
      const std::string folded = detail::fold(r.not_cues[k]);
      bool has_cue = false;
      for (const auto& c : r.cues) has_cue = has_cue || folded.find(detail::fold(c.text)) != std::string::npos;
      if (!has_cue)
        warn(p, "not-cue '" + r.not_cues[k] + "' contains no negation cue, so it has nothing to cancel: it can never apply",
             n.not_cue_where[k], "negation-not-cue");
    }
  }

  /// The first thing in a cue that stops the scan back from a keyword, quoted as written, or "" when none.
  static std::string negation_stop_in(const std::string& cue) {
    std::string s;  // folded, with where each folded byte's character starts in the cue
    std::vector<std::size_t> from;
    detail::for_each_folded_byte(cue, [&](unsigned char c, std::size_t i, std::size_t) {
      s.push_back(static_cast<char>(c));
      from.push_back(i);
    });
    from.push_back(cue.size());
    for (std::size_t i = 0; i < s.size();) {
      const auto c = static_cast<unsigned char>(s[i]);
      std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      if (i + len > s.size()) len = s.size() - i;
      char32_t cp = c;
      if (len > 1) {
        cp = c & (len == 2 ? 0x1Fu : len == 3 ? 0x0Fu : 0x07u);
        for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
      }
      const bool digit_before = i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9';
      const bool digit_after = i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '9';
      if (detail::is_negation_stop(cp) && !(cp == U'.' && digit_before && digit_after))
        return "'" + cue.substr(from[i], from[i + len] - from[i]) + "'";
      if ((c == ' ' || c == '\t') && i > 0 && static_cast<unsigned char>(s[i - 1]) >= 0x80) {
        std::size_t j = i;
        while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
        if (j < s.size() && static_cast<unsigned char>(s[j]) >= 0x80) return "a space between two Chinese characters";
      }
      i += len;
    }
    return {};
  }

  void keywords(const YAML::Node& node, policy& p) {
    if (!node.IsMap()) fail(node, "`keywords` must map set names to lists of words, e.g. media: [曝光, 媒体]");
    for (const auto& kv : node) {
      const std::string name = text(kv.first, "a keyword set name");
      for (std::size_t k = 0; k < p.keyword_sets_.size(); ++k)
        if (p.keyword_sets_[k].name() == name)
          fail(kv.first, "keyword set '" + name + "' is declared twice (first at " + first_at(keyword_where_[k]) + ")");
      const YAML::Node body = kv.second;
      if (!body.IsSequence() && !body.IsMap())
        fail(body, "keyword set '" + name + "' must be a list of words");  // (or a mapping with `words:`: docs/rules.md)
      if (body.IsMap()) {
        static const std::vector<std::string> keys = {"words", "negation", "exceptions", "description"};
        for (const auto& e : body)
          if (std::find(keys.begin(), keys.end(), e.first.Scalar()) == keys.end())
            fail(e.first, "unknown key '" + e.first.Scalar() + "' in keyword set '" + name + "'" + kefu::detail::did_you_mean(e.first.Scalar(), keys));
        if (!body["words"]) fail(body, "keyword set '" + name + "' needs `words:`, its list of words");
        if (!body["words"].IsSequence()) fail(body["words"], "`words` of keyword set '" + name + "' must be a list of words");
      }
      // (yaml-cpp's Node::operator= writes through to the node it refers to: never reassign a Node.)
      const YAML::Node list = body.IsMap() ? body["words"] : body;
      if (list.size() == 0) fail(list, "keyword set '" + name + "' is empty");
      std::vector<std::string> words;
      for (const auto& w : list) {
        const std::string word = text(w, "a keyword");
        if (word.empty()) fail(w, "empty keyword in set '" + name + "'");
        if (std::find(words.begin(), words.end(), word) != words.end()) fail(w, "'" + word + "' is listed twice in keyword set '" + name + "'");
        words.push_back(word);
      }
      // Negation: the policy's, unless the set says `negation: false` or gives its own (over the policy's).
      negation_rules negation;
      if (policy_negation_) negation = policy_negation_->rules;
      if (body.IsMap() && body["negation"]) {
        const YAML::Node n = body["negation"];
        if (n.IsScalar() && (n.Scalar() == "false" || n.Scalar() == "true")) {
          if (n.Scalar() == "false")
            negation = {};
          else if (!policy_negation_)
            fail(n, "`negation: true` takes the policy's `negation:`, but the policy has none: give the cues here or there");
        } else {
          negation_source own;
          if (policy_negation_) own = *policy_negation_;
          read_negation(n, own, "the `negation` of keyword set '" + name + "'");
          check_negation(own, p);
          negation = own.rules;
        }
      }
      std::vector<keyword_exception> exceptions;
      if (body.IsMap() && body["exceptions"]) exceptions = keyword_exceptions(body["exceptions"], name, words, p);
      p.keyword_sets_.emplace_back(name, std::move(words), std::move(negation), std::move(exceptions));
      keyword_where_.push_back(location_of(kv.first, file_));
    }
  }

  /// `exceptions: {word: [phrase, …]}`; lint warns about an exception that can never apply.
  std::vector<keyword_exception> keyword_exceptions(const YAML::Node& node, const std::string& set,
                                                    const std::vector<std::string>& words, policy& p) {
    if (!node.IsMap())
      fail(node, "`exceptions` of keyword set '" + set + "' must map words to the phrases they do not count in, e.g. {曝光: [自动曝光]}");
    std::vector<keyword_exception> out;
    for (const auto& kv : node) {
      keyword_exception e;
      e.word = text(kv.first, "a keyword");
      for (const auto& other : out)
        if (other.word == e.word) fail(kv.first, "exceptions for '" + e.word + "' are given twice in keyword set '" + set + "'");
      std::vector<source_location> where;
      if (kv.second.IsScalar()) {
        e.phrases.push_back(text(kv.second, "an exception phrase"));
        if (e.phrases.back().empty()) fail(kv.second, "empty exception phrase");
        where.push_back(location_of(kv.second, file_));
      } else {
        e.phrases = text_list(kv.second, "the exceptions of '" + e.word + "'", &where);
      }
      const std::string word = detail::fold(e.word);
      const bool known = std::any_of(words.begin(), words.end(), [&](const std::string& w) { return detail::fold(w) == word; });
      if (!known) {
        warn(p, "exception for '" + e.word + "': keyword set '" + set + "' has no such word, so it can never apply" +
                    kefu::detail::did_you_mean(e.word, words),
             location_of(kv.first, file_), "keyword-exception");
      } else {
        for (std::size_t k = 0; k < e.phrases.size(); ++k) {
          const std::string phrase = detail::fold(e.phrases[k]);
          if (phrase == word)
            warn(p, "exception '" + e.phrases[k] + "' is the word itself: '" + e.word + "' would never count (remove the word instead)",
                 where[k], "keyword-exception");
          else if (phrase.find(word) == std::string::npos)
            warn(p, "exception '" + e.phrases[k] + "' does not contain the word '" + e.word + "', so it can never apply",
                 where[k], "keyword-exception");
        }
      }
      out.push_back(std::move(e));
    }
    return out;
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
    rule_list(node, p, env, -1);
    warn_unused_keywords(p, keyword_used);
  }

  /// `versions:` (DOM-RULE-1): each version's rules, in force from its `effective_from` until the next one's. The
  /// versions must cover the whole time line: the first has no `effective_from` (tickets before any dated change
  /// need rules too), each later one has one, later than the one before, and only the last may be open-ended.
  void versions(const YAML::Node& doc, policy& p) {
    const YAML::Node list = doc["versions"];
    if (!list.IsSequence() || list.size() == 0)
      fail(list, "`versions:` is a list of versions, each with `version:`, `rules:` and (all but the first) `effective_from:`");
    const std::string by = doc["versions_by"] ? text(doc["versions_by"], "`versions_by`") : "received_at";
    const YAML::Node by_node = doc["versions_by"] ? doc["versions_by"] : key_of(doc, "versions");
    const auto input = std::find_if(p.inputs_.begin(), p.inputs_.end(), [&](const field& f) { return f.name == by; });
    if (input == p.inputs_.end())
      fail(by_node, "the version in force is picked by the datetime input '" + by + "', which the policy does not declare: add `" +
                        by + ": datetime` under `inputs:`" + (doc["versions_by"] ? std::string() : " or name another input with `versions_by:`"),
           {}, "kefu.rules.versions");
    if (input->type != value_type::datetime)
      fail(by_node, "the version in force is picked by input '" + by + "', which is " + to_string(input->type) +
                        ", not datetime (the instant a ticket is judged at)", {}, "kefu.rules.versions");
    p.version_slot_ = static_cast<std::int32_t>(input - p.inputs_.begin());
    static const std::vector<std::string> keys = {"version", "description", "effective_from", "effective_until", "rules"};
    std::vector<YAML::Node> from_nodes, until_nodes;
    for (std::size_t k = 0; k < list.size(); ++k) {
      const YAML::Node item = list[k];
      if (!item.IsMap()) fail(item, "a version must be a mapping with version, effective_from and rules");
      kefu::detail::check_duplicate_keys(source_, item);
      for (const auto& kv : item)
        if (std::find(keys.begin(), keys.end(), kv.first.Scalar()) == keys.end())
          fail(kv.first, "unknown key '" + kv.first.Scalar() + "' in a version (expected " + listed(keys) + ")" +
                             kefu::detail::did_you_mean(kv.first.Scalar(), keys));
      policy_version v;
      v.where = location_of(item, file_);
      v.zone = p.zone();
      if (!item["version"]) fail(item, "a version needs `version:` (its name, e.g. \"2027.1\")");
      v.name = text(item["version"], "`version`");
      for (const auto& other : p.versions_)
        if (other.name == v.name)
          fail(item["version"], "duplicate version '" + v.name + "' (first at " + first_at(other.where) + ")", {}, "kefu.rules.versions");
      if (item["description"]) v.description = text(item["description"], "`description`");
      v.effective_from = effective_instant(item["effective_from"], "effective_from", p);
      v.effective_until = effective_instant(item["effective_until"], "effective_until", p);
      from_nodes.push_back(item["effective_from"] ? item["effective_from"] : item);
      until_nodes.push_back(item["effective_until"]);
      p.versions_.push_back(std::move(v));
    }
    check_tiling(p, from_nodes, until_nodes);
    for (std::size_t k = 0; k + 1 < p.versions_.size(); ++k) p.versions_[k].effective_until = p.versions_[k + 1].effective_from;
    std::vector<bool> keyword_used(p.keyword_sets_.size()), input_used(p.inputs_.size());
    detail::compile_env env{p.inputs_, p.keyword_sets_, p.program_, p.keyword_tests_, keyword_used, input_used};
    for (std::size_t k = 0; k < list.size(); ++k) {
      const YAML::Node rules = list[k]["rules"];
      if (!rules || !rules.IsSequence() || rules.size() == 0)
        fail(rules ? rules : list[k], "version '" + p.versions_[k].name + "' needs `rules:`, a list of rules with id, when and then");
      p.versions_[k].first_rule = static_cast<std::uint32_t>(p.rules_.size());
      rule_list(rules, p, env, static_cast<std::int32_t>(k));
      p.versions_[k].end_rule = static_cast<std::uint32_t>(p.rules_.size());
    }
    // Each rule is tried only inside its version's window: the window is part of its compiled condition, so
    // every evaluator (one record, columns, partial facts, the static checks) sees versions without knowing them.
    const auto slot = static_cast<std::size_t>(p.version_slot_);
    for (auto& r : p.rules_) {
      const auto& v = p.versions_[static_cast<std::size_t>(r.version)];
      detail::node in;
      in.code = detail::op::input;
      in.a = static_cast<std::int64_t>(slot);
      p.program_.nodes.push_back(in);
      detail::node window;
      window.code = detail::op::in_range_input;
      window.l = static_cast<std::int32_t>(p.program_.nodes.size() - 1);
      window.slot = static_cast<std::int32_t>(slot);
      window.a = v.effective_from ? v.effective_from->unix_seconds() : std::numeric_limits<std::int64_t>::min();
      window.b = v.effective_until ? v.effective_until->unix_seconds() - 1 : std::numeric_limits<std::int64_t>::max();
      p.program_.nodes.push_back(window);
      const auto window_root = static_cast<std::int32_t>(p.program_.nodes.size() - 1);
      if (r.condition < 0) {
        r.root = window_root;
      } else {
        detail::node both;
        both.code = detail::op::and_;
        both.l = window_root;
        both.r = r.condition;
        both.source_begin = 0;
        both.source_end = static_cast<std::uint32_t>(r.when.size());
        p.program_.nodes.push_back(both);
        r.root = static_cast<std::int32_t>(p.program_.nodes.size() - 1);
      }
    }
    p.version_ = p.versions_.back().name;
    warn_unused_keywords(p, keyword_used);
  }

  std::optional<instant> effective_instant(const YAML::Node& node, const char* key, const policy& p) const {
    if (!node) return std::nullopt;
    field f;
    f.name = key;
    f.type = value_type::datetime;
    try {
      return instant::from_unix(parse_value(f, text(node, std::string("`") + key + "`"), p.zone(), nullptr).number);
    } catch (const parse_error& e) {
      fail(node, std::string("`") + key + "`: " + e.detail(), {}, "kefu.rules.versions");
    }
  }

  /// The versions tile the time line: no gap, no overlap, no instant without a version.
  void check_tiling(const policy& p, const std::vector<YAML::Node>& from, const std::vector<YAML::Node>& until) const {
    auto shown = [&](instant t) { return format_instant(t, p.zone()); };
    auto& vs = p.versions_;
    if (vs.front().effective_from)
      fail(from.front(),
           "the first version '" + vs.front().name + "' has `effective_from`: tickets received before " +
               shown(*vs.front().effective_from) +
               " would be judged by no version. Leave it out (the first version is in force since always), or put the "
               "rules that applied before it in a version of their own ahead of it",
           {}, "kefu.rules.versions");
    for (std::size_t k = 1; k < vs.size(); ++k) {
      const auto& prev = vs[k - 1];
      const auto& v = vs[k];
      if (!v.effective_from)
        fail(from[k], "version '" + v.name + "' needs `effective_from:` (the instant it takes over from '" + prev.name + "')", {},
             "kefu.rules.versions");
      if (prev.effective_from && *v.effective_from <= *prev.effective_from)
        fail(from[k],
             "version '" + v.name + "' takes effect at " + shown(*v.effective_from) + ", not after version '" + prev.name +
                 "' (" + shown(*prev.effective_from) + "): list versions in the order they take effect",
             {}, "kefu.rules.versions");
      if (prev.effective_until && *prev.effective_until < *v.effective_from)
        fail(until[k - 1],
             "gap: no version is in force from " + shown(*prev.effective_until) + " (the end of '" + prev.name + "') until " +
                 shown(*v.effective_from) + " (the start of '" + v.name + "'); end '" + prev.name + "' where '" + v.name +
                 "' begins, or leave its `effective_until` out",
             {}, "kefu.rules.versions");
      if (prev.effective_until && *v.effective_from < *prev.effective_until)
        fail(until[k - 1],
             "overlap: version '" + prev.name + "' is in force until " + shown(*prev.effective_until) + ", after version '" +
                 v.name + "' takes effect at " + shown(*v.effective_from) + "; end '" + prev.name + "' where '" + v.name +
                 "' begins, or leave its `effective_until` out",
             {}, "kefu.rules.versions");
      if (prev.effective_until && prev.effective_from && *prev.effective_until <= *prev.effective_from)
        fail(until[k - 1], "version '" + prev.name + "' ends before it begins", {}, "kefu.rules.versions");
    }
    if (vs.back().effective_until)
      fail(until.back(),
           "the last version '" + vs.back().name + "' ends at " + shown(*vs.back().effective_until) +
               ": tickets received after it would be judged by no version. Leave `effective_until` out, or add the "
               "version that follows",
           {}, "kefu.rules.versions");
  }

  void warn_unused_keywords(policy& p, const std::vector<bool>& keyword_used) {
    for (std::size_t k = 0; k < keyword_used.size(); ++k)
      if (!keyword_used[k])
        warn(p, "keyword set '" + p.keyword_sets_[k].name() + "' is not used by any rule", keyword_where_[k], "unused-keywords");
  }

  /// One list of rules (a policy's, or one version's: rule ids are unique within it).
  void rule_list(const YAML::Node& node, policy& p, detail::compile_env& env, std::int32_t version) {
    std::set<std::string> ids;
    for (const auto& item : node) {
      if (!item.IsMap()) fail(item, "a rule must be a mapping with id, when and then");
      rule r;
      r.version = version;
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
  }

  void read_rule(const YAML::Node& item, rule& r, policy& p, detail::compile_env& env, std::set<std::string>& ids) {
    static const std::vector<std::string> keys = {"id", "description", "source", "when", "then", "priority"};
    {
      for (const auto& kv : item)
        if (std::find(keys.begin(), keys.end(), kv.first.Scalar()) == keys.end())
          fail(kv.first, "unknown key '" + kv.first.Scalar() + "' in a rule" + kefu::detail::did_you_mean(kv.first.Scalar(), keys), r.id);
      if (!ids.insert(r.id).second) {
        const auto first = std::find_if(p.rules_.begin(), p.rules_.end(), [&](const rule& x) { return x.id == r.id && x.version == r.version; });
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
        r.root = r.condition = detail::compile_condition(r.when, env);
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
  std::optional<negation_source> policy_negation_;
};

namespace detail {
std::vector<std::string> facts_files_beside(const std::string& policy_path) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(policy_path).parent_path();
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
  return found;
}

policy_ptr load_policy_document(const kefu::detail::yaml_file& source, const std::string& policy_path,
                                const std::vector<field>* facts) {
  return policy_builder(source, {facts, policy_path}).build();
}

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
