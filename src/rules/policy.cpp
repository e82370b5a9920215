// Policies: inputs by slot, records, evaluation (hit policies, the rule index, traces) and explanation.
// Loading from YAML is in policy_loader.cpp.
#include <kefu/detail/suggest.hpp>
#include <kefu/privacy.hpp>
#include <kefu/rules/policy.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <set>

namespace kefu::rules {

const char* to_string(hit_policy h) noexcept {
  switch (h) {
    case hit_policy::first: return "first";
    case hit_policy::collect: return "collect";
    case hit_policy::unique: return "unique";
    case hit_policy::priority: return "priority";
  }
  return "?";
}

namespace {
std::vector<std::string> names_of(const std::vector<field>& fields) {
  std::vector<std::string> out;
  for (const auto& f : fields) out.push_back(f.name);
  return out;
}
}  // namespace

std::size_t policy::slot(const std::string& input) const {
  for (std::size_t i = 0; i < inputs_.size(); ++i)
    if (inputs_[i].name == input) return i;
  throw error("policy '" + name_ + "' has no input '" + input + "'" + kefu::detail::did_you_mean(input, names_of(inputs_)), {},
              {}, "kefu.rules.unknown_input");
}

std::size_t policy::output_index(const std::string& output) const {
  for (std::size_t i = 0; i < outputs_.size(); ++i)
    if (outputs_[i].name == output) return i;
  throw error("policy '" + name_ + "' has no output '" + output + "'" + kefu::detail::did_you_mean(output, names_of(outputs_)),
              {}, {}, "kefu.rules.unknown_output");
}

record policy::make_record() const {
  record r;
  const std::size_t n = inputs_.size();
  r.numbers.assign(n, 0);
  r.texts.assign(n, std::string_view());
  r.present.assign(n, 0);  // owned_texts is sized on the first text set (most rows set few or none)
  for (std::size_t i = 0; i < n; ++i)
    if (inputs_[i].default_text) set(r, i, *inputs_[i].default_text);
  return r;
}

void policy::set(record& r, std::size_t slot, const std::string& text) const {
  const field& f = inputs_.at(slot);
  value v = parse_value(f, text, zone());
  if (f.type == value_type::text) {
    if (r.owned_texts.empty()) r.owned_texts.resize(inputs_.size());
    r.owned_texts[slot] = std::move(v.text);
    r.texts[slot] = r.owned_texts[slot];
  } else {
    r.numbers[slot] = v.number;
  }
  r.present[slot] = 1;
}

void policy::check_complete(const record& r) const {
  std::string missing;
  for (std::size_t i = 0; i < inputs_.size(); ++i)
    if (!r.present[i]) missing += (missing.empty() ? "" : ", ") + inputs_[i].name;
  if (!missing.empty()) throw error("policy '" + name_ + "': missing input(s) " + missing, {}, {}, "kefu.rules.missing_input");
}

void policy::keyword_hits(std::size_t group, const std::string_view* texts, std::size_t n, std::uint8_t* hits,
                          std::size_t stride) const {
  const keyword_group& g = keyword_groups_.at(group);
  std::array<std::uint64_t, 64> counted;  // a block at a time: nothing allocated per call
  for (std::size_t first = 0; first < n; first += counted.size()) {
    const std::size_t m = std::min(counted.size(), n - first);
    g.scanner.counted_many(texts + first, m, counted.data(),
                           [&](std::size_t j) -> const keyword_set& { return keyword_sets_[keyword_tests_[g.tests[j]].second]; });
    for (std::size_t k = 0; k < m; ++k)
      for (std::size_t j = 0; j < g.tests.size(); ++j)
        hits[(first + k) * stride + g.tests[j]] = static_cast<std::uint8_t>((counted[k] >> j) & 1);
  }
}

void policy::evaluate_with(const record& r, decision& out, std::vector<condition_trace>* trace,
                           const std::uint8_t* keyword_hits) const {
  out.matched.clear();
  out.by_default = false;
  out.version = -1;
  // memchr: one vectorised pass over the presence flags (hot in batches); check_complete names the missing.
  if (!inputs_.empty() && std::memchr(r.present.data(), 0, inputs_.size())) check_complete(r);
  // Keyword hits once per (text, set), before any rule reads them.
  std::array<std::uint8_t, 64> small{};
  std::vector<std::uint8_t> large;
  std::uint8_t* hits = small.data();
  if (!keyword_hits && keyword_tests_.size() > small.size()) {
    large.assign(keyword_tests_.size(), 0);
    hits = large.data();
  }
  if (!keyword_hits) {
    for (const auto& g : keyword_groups_) {
      const std::uint64_t counted = g.scanner.counted(
          r.texts[g.slot], [&](std::size_t j) -> const keyword_set& { return keyword_sets_[keyword_tests_[g.tests[j]].second]; });
      for (std::size_t j = 0; j < g.tests.size(); ++j) hits[g.tests[j]] = static_cast<std::uint8_t>((counted >> j) & 1);
    }
  }
  const detail::eval_context ctx{r.numbers.data(), r.texts.data(), keyword_hits ? keyword_hits : hits};
  // The version in force (DOM-RULE-1): rules of the others fail their window; it is found here for explain().
  if (!versions_.empty())
    out.version = version_slot_ < 0 ? 0 : version_at(instant::from_unix(r.numbers[static_cast<std::size_t>(version_slot_)]));

  // Without a trace, only the rules that can match for the indexed input's value are tried.
  const std::vector<std::uint32_t>* candidates = nullptr;
  if (!trace && index_slot_ >= 0) {
    const std::int64_t v = r.numbers[static_cast<std::size_t>(index_slot_)];
    if (v >= 0 && static_cast<std::size_t>(v) < index_candidates_.size()) candidates = &index_candidates_[static_cast<std::size_t>(v)];
  }
  // An overflow in rule i's condition, as the error that names the rule and the part of its condition.
  auto overflow_in = [&](std::uint32_t i, const detail::arithmetic_overflow& e) {
    const rule& ru = rules_[i];
    return error("arithmetic overflow in `" + ru.when.substr(e.begin(), e.end() - e.begin()) + "`: " +
                     detail::arithmetic_overflow::what_it_means,
                 {}, ru.id, e.id());
  };
  const bool first_only = hit_policy_ == hit_policy::first;
  if (!trace) {
    // The hot path (triage, batches): the rules that can match, in order, with one try around the loop
    // rather than one per rule; `tried` is the rule whose condition is being evaluated.
    std::uint32_t tried = 0;
    auto matches = [&](std::uint32_t i) {  // records a match; true when no further rule is to be tried
      tried = i;
      const std::int32_t root = roots_[i];
      if (root >= 0 && !program_.eval(root, ctx)) return false;
      out.matched.push_back(i);
      return first_only;
    };
    try {
      if (candidates) {
        for (const std::uint32_t i : *candidates)
          if (matches(i)) break;
      } else {
        for (std::uint32_t i = 0; i < static_cast<std::uint32_t>(rules_.size()); ++i)
          if (matches(i)) break;
      }
    } catch (const detail::arithmetic_overflow& e) {
      throw overflow_in(tried, e);
    }
  }
  // With a trace: every rule in order (no index), each traced before it is tried.
  const auto traced_rules = static_cast<std::uint32_t>(trace ? rules_.size() : 0);
  for (std::uint32_t i = 0; i < traced_rules; ++i) {
    const rule& ru = rules_[i];
    if (ru.root >= 0 && ru.version == out.version) {  // another version's rules are not shown
      // Every traced atom of the condition, outermost first, with the inputs it reads.
      std::vector<std::int32_t> stack{ru.root};
      std::vector<std::int32_t> atoms;
      while (!stack.empty()) {
        const std::int32_t n = stack.back();
        stack.pop_back();
        const auto& nd = program_.nodes[static_cast<std::size_t>(n)];
        if (nd.traced) {
          atoms.push_back(n);
          continue;
        }
        if (nd.r >= 0) stack.push_back(nd.r);
        if (nd.l >= 0) stack.push_back(nd.l);
      }
      for (const std::int32_t n : atoms) {
        const auto& nd = program_.nodes[static_cast<std::size_t>(n)];
        condition_trace t;
        t.rule = i;
        t.text = ru.when.substr(nd.source_begin, nd.source_end - nd.source_begin);
        try {  // an atom may overflow before its rule is tried: the same error, naming the rule
          t.result = program_.eval(n, ctx) != 0;
        } catch (const detail::arithmetic_overflow& e) {
          throw overflow_in(i, e);
        }
        std::vector<std::int32_t> sub{n};
        std::set<std::size_t> read;
        while (!sub.empty()) {
          const auto& s = program_.nodes[static_cast<std::size_t>(sub.back())];
          sub.pop_back();
          if (s.code == detail::op::input || s.code == detail::op::text_eq || s.code == detail::op::text_ne)
            read.insert(static_cast<std::size_t>(s.a));
          if (s.code == detail::op::contains_any) {
            const auto [slot, set] = keyword_tests_[static_cast<std::size_t>(s.a)];
            read.insert(slot);
            const auto& ks = keyword_sets_[set];
            for (const auto& h : ks.scan(r.texts[slot])) {
              const std::string& w = ks.words()[h.word];
              auto& list = h.status == hit_status::counted ? t.words : t.discounted;
              const std::string entry = h.status == hit_status::counted ? w
                                        : h.status == hit_status::negated ? w + " (negated by " + h.by + ")"
                                                                         : w + " (inside the exception " + h.by + ")";
              if (std::find(list.begin(), list.end(), entry) == list.end()) list.push_back(entry);
            }
          }
          if (s.l >= 0) sub.push_back(s.l);
          if (s.r >= 0) sub.push_back(s.r);
        }
        for (const std::size_t slot : read) {
          value v;
          v.number = r.numbers[slot];
          v.text = std::string(r.texts[slot]);
          t.reads.emplace_back(inputs_[slot].name, format_value(inputs_[slot], v, zone()));
        }
        trace->push_back(std::move(t));
      }
    }
    try {
      if (ru.root >= 0 && !program_.eval(ru.root, ctx)) continue;
    } catch (const detail::arithmetic_overflow& e) {
      throw overflow_in(i, e);
    }
    out.matched.push_back(i);
    if (first_only) break;
  }
  if (hit_policy_ == hit_policy::unique && out.matched.size() > 1)
    throw error("policy '" + name_ + "' (hit policy unique): rules " + rules_[out.matched[0]].id + " and " +
                    rules_[out.matched[1]].id + " both match",
                {}, {}, "kefu.rules.not_unique");
  if (hit_policy_ == hit_policy::priority && out.matched.size() > 1) {
    std::uint32_t best = out.matched[0];
    for (const std::uint32_t m : out.matched)
      if (rules_[m].priority > rules_[best].priority) best = m;
    out.matched.assign(1, best);
  }
  if (out.matched.empty()) {
    if (!has_default_)
      throw error("policy '" + name_ + "': no rule matches and there is no default", {}, {}, "kefu.rules.no_match");
    out.by_default = true;
  }
}

std::vector<std::optional<value>> policy::outputs_of_rule(std::uint32_t rule) const {
  std::vector<std::optional<value>> out = default_;
  out.resize(outputs_.size());
  const auto& then = rules_.at(rule).then;
  for (std::size_t i = 0; i < then.size(); ++i)
    if (then[i]) out[i] = then[i];
  return out;
}

std::vector<std::optional<value>> policy::outputs_of(const decision& d) const {
  if (d.matched.empty()) {
    auto out = default_;
    out.resize(outputs_.size());
    return out;
  }
  return outputs_of_rule(d.matched.front());
}

std::vector<std::string> policy::keyword_words(const record& r, std::uint32_t rule) const {
  std::vector<std::string> out;
  const std::int32_t root = rules_.at(rule).root;
  if (root < 0) return out;
  std::vector<std::int32_t> stack{root};
  while (!stack.empty()) {
    const auto& n = program_.nodes[static_cast<std::size_t>(stack.back())];
    stack.pop_back();
    if (n.code == detail::op::contains_any) {
      const auto [slot, set] = keyword_tests_[static_cast<std::size_t>(n.a)];
      for (const std::size_t w : keyword_sets_[set].matches(r.texts[slot])) {
        const std::string& word = keyword_sets_[set].words()[w];
        if (std::find(out.begin(), out.end(), word) == out.end()) out.push_back(word);
      }
    }
    if (n.l >= 0) stack.push_back(n.l);
    if (n.r >= 0) stack.push_back(n.r);
  }
  return out;
}

std::string policy::version_text(std::int32_t k) const {
  const auto& v = versions_.at(static_cast<std::size_t>(k));
  return v.name + ", in force " +
         (v.effective_from ? "from " + format_instant(*v.effective_from, zone()) : std::string("since always")) +
         (v.effective_until ? " until " + format_instant(*v.effective_until, zone()) : std::string()) +
         (pinned_ ? " (pinned: applied whatever the receipt instant)" : "") + (v.description.empty() ? "" : " — " + v.description);
}

std::string policy::explain(const decision& d, const std::vector<condition_trace>* trace) const {
  std::string out = "policy " + name_ + (version_.empty() || !versions_.empty() ? "" : " v" + version_) + " (hit policy " +
                    to_string(hit_policy_) + ")\n";
  if (d.version >= 0 && static_cast<std::size_t>(d.version) < versions_.size()) out += "version: " + version_text(d.version) + "\n";
  const auto values = outputs_of(d);
  std::string decided;
  for (std::size_t i = 0; i < values.size(); ++i)
    if (values[i]) decided += (decided.empty() ? "" : ", ") + outputs_[i].name + "=" + format_value(outputs_[i], *values[i], zone());
  out += "decision: " + decided + "\n";
  if (d.matched.empty()) out += "by: default (no rule matched)\n";
  for (const auto m : d.matched) {
    const auto& r = rules_[m];
    out += "by: " + r.id + (r.source.empty() ? "" : " [" + r.source + "]") + (r.description.empty() ? "" : " — " + r.description) + "\n";
  }
  if (!trace) return out;
  std::size_t current = static_cast<std::size_t>(-1);
  for (const auto& t : *trace) {
    if (t.rule != current) {
      current = t.rule;
      const auto& r = rules_[t.rule];
      const bool hit = std::find(d.matched.begin(), d.matched.end(), t.rule) != d.matched.end();
      out += std::string(hit ? "  ✓ " : "  ✗ ") + r.id + ": " + r.when + "\n";
    }
    out += std::string("      ") + (t.result ? "true " : "false") + "  " + t.text;
    std::string reads;
    for (const auto& [k, v] : t.reads) {
      std::string shown = kefu::mask_text(v);
      if (kefu::detail::utf8_count(shown) > 40) shown = kefu::detail::utf8_prefix(shown, 40) + "…";
      reads += (reads.empty() ? "" : ", ") + k + "=" + shown;
    }
    if (!reads.empty()) out += "   (" + reads + ")";
    if (!t.words.empty()) {
      std::string words;
      for (const auto& w : t.words) words += (words.empty() ? "" : ", ") + w;
      out += "   matched: " + words;
    }
    if (!t.discounted.empty()) {
      std::string words;
      for (const auto& w : t.discounted) words += (words.empty() ? "" : ", ") + w;
      out += "   not counted: " + words;
    }
    out += "\n";
  }
  return out;
}

}  // namespace kefu::rules
