// Deciding on partial facts (include/kefu/rules/partial.hpp): three-valued evaluation of the compiled
// conditions, then what the hit policy makes of rules that fire, cannot fire or could fire.
#include <kefu/rules/partial.hpp>

#include <algorithm>
#include <array>

namespace kefu::rules {

const char* to_string(truth t) noexcept {
  switch (t) {
    case truth::no: return "no";
    case truth::yes: return "yes";
    case truth::unknown: return "unknown";
  }
  return "?";
}

namespace {
using detail::op;

struct three_valued {
  const policy& p;
  const detail::eval_context& ctx;
  const std::vector<std::uint8_t>& present;  // per input slot

  /// The input slot a node reads itself (a keyword test reads its text input), or -1.
  std::int64_t slot_read(const detail::node& n) const {
    if (n.code == op::contains_any) return static_cast<std::int64_t>(p.keyword_tests()[static_cast<std::size_t>(n.a)].first);
    if (n.code == op::input || n.code == op::text_eq || n.code == op::text_ne) return n.a;
    return n.slot;  // fused forms; -1 otherwise
  }

  /// The missing inputs a subtree reads (slots, each once), appended to `out`; with `first_only`, stops at one.
  void missing_reads(std::int32_t i, std::vector<std::size_t>& out, bool first_only = false) const {
    std::vector<std::int32_t> stack{i};
    while (!stack.empty()) {
      const auto& n = p.program().nodes[static_cast<std::size_t>(stack.back())];
      stack.pop_back();
      const std::int64_t slot = slot_read(n);
      if (slot >= 0 && !present[static_cast<std::size_t>(slot)] &&
          std::find(out.begin(), out.end(), static_cast<std::size_t>(slot)) == out.end()) {
        out.push_back(static_cast<std::size_t>(slot));
        if (first_only) return;
      }
      if (n.l >= 0) stack.push_back(n.l);
      if (n.r >= 0) stack.push_back(n.r);
    }
  }

  bool reads_missing(std::int32_t i) const {
    std::vector<std::size_t> found;
    missing_reads(i, found, true);
    return !found.empty();
  }

  truth eval(std::int32_t i) const {
    const auto& n = p.program().nodes[static_cast<std::size_t>(i)];
    switch (n.code) {
      case op::not_: {
        const truth t = eval(n.l);
        return t == truth::unknown ? t : (t == truth::yes ? truth::no : truth::yes);
      }
      case op::and_: {  // false settles it, whatever the other side
        const truth l = eval(n.l);
        if (l == truth::no) return truth::no;
        const truth r = eval(n.r);
        if (r == truth::no) return truth::no;
        return l == truth::yes && r == truth::yes ? truth::yes : truth::unknown;
      }
      case op::or_: {  // true settles it
        const truth l = eval(n.l);
        if (l == truth::yes) return truth::yes;
        const truth r = eval(n.r);
        if (r == truth::yes) return truth::yes;
        return l == truth::no && r == truth::no ? truth::no : truth::unknown;
      }
      default:
        if (reads_missing(i)) return truth::unknown;
        try {
          return p.program().eval(i, ctx) != 0 ? truth::yes : truth::no;  // everything it reads is given
        } catch (const error&) {
          // Arithmetic past int64 or a date past a calendar's data: evaluate() raises it only if it reaches this
          // part, which depends on the rest; say "could fire" rather than fail where evaluate() would not.
          return truth::unknown;
        }
    }
  }
};

std::string outputs_text(const policy& p, const std::vector<std::optional<value>>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i)
    if (values[i]) out += (out.empty() ? "" : ", ") + p.outputs()[i].name + "=" + format_value(p.outputs()[i], *values[i], p.zone());
  return out;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}
}  // namespace

partial_decision evaluate_partial(const policy& p, const record& r) {
  partial_decision out;
  const auto& inputs = p.inputs();
  std::vector<std::uint8_t> present(r.present.begin(), r.present.end());
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (!present[i]) out.missing.push_back(inputs[i].name);
  const auto& tests = p.keyword_tests();
  std::vector<std::uint8_t> hits(tests.size());
  for (std::size_t k = 0; k < tests.size(); ++k)
    hits[k] = present[tests[k].first] && p.keyword_sets()[tests[k].second].contains_any(r.texts[tests[k].first]) ? 1 : 0;
  const detail::eval_context ctx{r.numbers.data(), r.texts.data(), hits.data()};
  const three_valued tv{p, ctx, present};
  const auto& rules = p.rules();
  if (!p.versions().empty())
    out.version = p.version_slot() < 0 ? 0
                  : present[static_cast<std::size_t>(p.version_slot())]
                      ? p.version_at(instant::from_unix(r.numbers[static_cast<std::size_t>(p.version_slot())]))
                      : -1;
  out.rules.assign(rules.size(), truth::yes);
  out.needs.assign(rules.size(), {});
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].root < 0) continue;  // always applies
    out.rules[i] = tv.eval(rules[i].root);
    if (out.rules[i] == truth::unknown) {
      std::vector<std::size_t> slots;
      tv.missing_reads(rules[i].root, slots);
      std::sort(slots.begin(), slots.end());
      for (const auto s : slots) out.needs[i].push_back(inputs[s].name);
    }
  }
  if (out.missing.empty()) {  // complete: exactly what evaluate decides (and its errors)
    p.evaluate(r, out.outcome);
    out.settled = true;
    return out;
  }

  const auto n = static_cast<std::uint32_t>(rules.size());
  bool any_unknown = false, any_yes = false;
  if (p.hits() == hit_policy::first) {
    for (std::uint32_t i = 0; i < n; ++i) {
      if (out.rules[i] == truth::no) continue;
      if (out.rules[i] == truth::yes) {
        any_yes = true;
        if (!any_unknown) out.outcome.matched = {i};
        else out.candidates.push_back(i);
        break;
      }
      any_unknown = true;
      out.candidates.push_back(i);
    }
  } else {
    for (std::uint32_t i = 0; i < n; ++i) {
      if (out.rules[i] == truth::yes) {
        any_yes = true;
        out.outcome.matched.push_back(i);
      } else if (out.rules[i] == truth::unknown) {
        any_unknown = true;
        out.candidates.push_back(i);
      }
    }
    if (any_unknown && p.hits() == hit_policy::priority && !out.outcome.matched.empty()) {
      // The sure rule evaluate() would keep (highest priority, the earliest among equals) wins unless a rule that
      // could fire beats it; only those stay open.
      std::uint32_t best = out.outcome.matched[0];
      for (const auto m : out.outcome.matched)
        if (rules[m].priority > rules[best].priority) best = m;
      std::vector<std::uint32_t> rivals;
      for (const auto c : out.candidates)
        if (rules[c].priority > rules[best].priority || (rules[c].priority == rules[best].priority && c < best))
          rivals.push_back(c);
      out.candidates = rivals;
      any_unknown = !rivals.empty();
      if (any_unknown) {
        out.candidates.push_back(best);
        std::sort(out.candidates.begin(), out.candidates.end());
        out.outcome.matched.clear();
      }
    } else if (any_unknown && p.hits() == hit_policy::unique && !out.outcome.matched.empty()) {
      // One rule surely fires: any other that fires too makes the ticket an error (two rules match).
      if (out.outcome.matched.size() > 1)
        throw error("policy '" + p.name() + "' (hit policy unique): rules " + rules[out.outcome.matched[0]].id + " and " +
                        rules[out.outcome.matched[1]].id + " both match",
                    {}, {}, "kefu.rules.not_unique");
      out.conflicts = out.candidates;
      out.candidates = out.outcome.matched;
      out.outcome.matched.clear();
    } else if (any_unknown && p.hits() != hit_policy::collect) {
      for (const auto m : out.outcome.matched) out.candidates.push_back(m);
      std::sort(out.candidates.begin(), out.candidates.end());
      out.outcome.matched.clear();
    }
  }
  out.settled = !any_unknown;
  out.default_possible = !any_yes && p.has_default();
  if (!out.settled) return out;
  out.candidates.clear();
  if (p.hits() == hit_policy::unique && out.outcome.matched.size() > 1)
    throw error("policy '" + p.name() + "' (hit policy unique): rules " + rules[out.outcome.matched[0]].id + " and " +
                    rules[out.outcome.matched[1]].id + " both match",
                {}, {}, "kefu.rules.not_unique");
  if (p.hits() == hit_policy::priority && out.outcome.matched.size() > 1) {
    std::uint32_t best = out.outcome.matched[0];
    for (const auto m : out.outcome.matched)
      if (rules[m].priority > rules[best].priority) best = m;
    out.outcome.matched.assign(1, best);
  }
  if (out.outcome.matched.empty()) {
    if (!p.has_default())
      throw error("policy '" + p.name() + "': no rule matches and there is no default", {}, {}, "kefu.rules.no_match");
    out.outcome.by_default = true;
  }
  return out;
}

std::string explain_partial(const policy& p, const partial_decision& d) {
  std::string out = "policy " + p.name() + (p.version().empty() || !p.versions().empty() ? "" : " v" + p.version()) +
                    " (hit policy " + to_string(p.hits()) + ")\n";
  if (!p.versions().empty())
    out += d.version >= 0 ? "version: " + p.version_text(d.version) + "\n"
                          : "version: not known — the instant that picks it is not given; each rule shows its version / "
                            "版本未定\n";
  if (!d.missing.empty())
    out += "not given: " + joined(d.missing) + " (" + std::to_string(d.missing.size()) + " of " +
           std::to_string(p.inputs().size()) + " inputs) / 未提供\n";
  const auto& rules = p.rules();
  if (d.settled) {
    out += "decision: " + outputs_text(p, p.outputs_of(d.outcome)) +
           (d.missing.empty() ? "" : "   (settled: what is not given cannot change it / 已确定)") + "\n";
    if (d.outcome.matched.empty()) out += "by: default (no rule matched)\n";
    for (const auto m : d.outcome.matched) {
      const auto& r = rules[m];
      out += "by: " + r.id + (r.source.empty() ? "" : " [" + r.source + "]") + (r.description.empty() ? "" : " — " + r.description) + "\n";
    }
  } else {
    out += "decision: not settled — it depends on what is not given / 尚未确定，取决于未提供的输入\n";
    if (p.hits() == hit_policy::collect && !d.outcome.matched.empty()) {
      std::vector<std::string> fired;
      for (const auto m : d.outcome.matched) fired.push_back(rules[m].id);
      out += "  fires whatever is missing: " + joined(fired) + "\n";
    }
    for (const auto c : d.candidates)
      out += "  if " + rules[c].id + " fires: " + outputs_text(p, p.outputs_of_rule(c)) + "\n";
    for (const auto c : d.conflicts)
      out += "  if " + rules[c].id + " fires too: an error — two rules match under hit policy unique / 规则冲突\n";
    if (d.default_possible) {
      decision none;
      out += "  if no rule fires: " + outputs_text(p, p.outputs_of(none)) + " (default)\n";
    }
  }
  out += "rules:\n";
  bool decided_above = false;  // under `first`, rules after one that surely fires are not reached
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto& r = rules[i];
    if (d.version >= 0 && r.version >= 0 && r.version != d.version) continue;  // another version's rule
    const std::string head = (d.version < 0 && r.version >= 0 ? "[" + p.versions()[static_cast<std::size_t>(r.version)].name + "] " : "") +
                             r.id + ": " + (r.when.empty() ? "true" : r.when);
    if (decided_above) {
      out += "  · " + head + "   (not reached)\n";
      continue;
    }
    switch (d.rules[i]) {
      case truth::yes: out += "  ✓ " + head + "\n"; break;
      case truth::no: out += "  ✗ " + head + "\n"; break;
      case truth::unknown: out += "  ? " + head + "   (could fire: needs " + joined(d.needs[i]) + ")\n"; break;
    }
    if (p.hits() == hit_policy::first && d.rules[i] == truth::yes) decided_above = true;
  }
  return out;
}

}  // namespace kefu::rules
