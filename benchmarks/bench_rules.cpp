// The rules engine (DOM-REF, DOM-RISK): evaluating a 30-rule first-hit decision table, and scanning
// Chinese complaint text for risk words with a keyword set.
//
// Fixtures (benchmarks/data): refund_30.yaml, the table; risk_words.txt, 60 risk words. The records are
// 4,096 pseudo-random tickets drawn by the same generator as benchmarks/rules_peers.py (its first 4,096
// rows are these), built before timing, so the timed loop only evaluates. The text is the `text`
// column of examples/data/tickets.csv (3,000 complaints) repeated five times and shuffled: ~1 MB.
//
// Run: build/cpp/benchmarks/kefu_bench_rules --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <kefu/rules/keywords.hpp>
#include <kefu/rules/policy.hpp>

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

namespace kr = kefu::rules;

constexpr std::size_t kRecords = 4096;  // a power of two: index with `i & (kRecords - 1)`
constexpr int kCorpusRepeats = 5;       // 3,000 tickets × 5 ≈ 1 MB of UTF-8

std::uint64_t splitmix64(std::uint64_t& s) {
  std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// --- the decision table ---------------------------------------------------------------------------

const kr::policy_ptr& refund_policy() {
  static const kr::policy_ptr p = kr::load_policy_file(KEFU_BENCH_DATA_DIR "/refund_30.yaml");
  return p;
}

/// One ticket's inputs in their text form, in the policy's input order. Keep in step with
/// `make_rows` in benchmarks/rules_peers.py: same seed, same draws in the same order.
using row = std::vector<std::pair<std::string, std::string>>;

std::string yuan(std::uint64_t fen) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%llu.%02llu", static_cast<unsigned long long>(fen / 100),
                static_cast<unsigned long long>(fen % 100));
  return buf;
}

std::vector<row> make_rows(std::size_t n, std::uint64_t seed) {
  static const char* business[] = {"ecommerce", "mall", "smart_counter", "fresh"};
  static const char* channel[] = {"phone", "online", "email", "wecom", "merchant_platform", "social", "store"};
  static const char* category[] = {"consultation",    "order_query",       "logistics_delay",    "refund_request",
                                   "abnormal_order",  "duplicate_charge",  "delayed_charge",     "quality_defect",
                                   "expiry",          "service_attitude",  "billing_error",      "wrong_item",
                                   "safety_injury",   "live_seafood_dead", "spoiled_on_arrival", "ripening",
                                   "cold_chain_break"};
  static const char* item_class[] = {"normal", "clearance", "fresh", "live_seafood", "cold_chain"};
  // Amounts on the table's edges (¥200, ¥300, ¥500, ¥1,000 and a fen above), in fen.
  static const std::uint64_t edges[] = {20000, 20001, 30000, 30001, 50000, 50001, 100000, 100001};
  auto b = [](bool v) { return std::string(v ? "true" : "false"); };
  std::vector<row> out;
  std::uint64_t s = seed;
  auto r = [&] { return splitmix64(s); };
  // Each business's own kinds of ticket (indices into `category`), docs/requirements.md §2.
  static const std::vector<std::vector<std::size_t>> own = {{0, 1, 2, 3, 7, 8, 9, 11},      // ecommerce
                                                            {0, 3, 7, 9, 10, 11, 12},       // mall
                                                            {0, 4, 5, 6, 7, 8},             // smart_counter
                                                            {1, 2, 3, 7, 13, 14, 15, 16}};  // fresh
  for (std::size_t i = 0; i < n; ++i) {
    row x;
    const std::size_t biz = r() % 4;
    x.emplace_back("business", business[biz]);
    x.emplace_back("channel", channel[r() % 7]);
    // Three tickets in four are of the business's own kinds, the rest of any kind (those fall to the
    // default more often: a duplicate charge at a mall is for a person to look at).
    std::size_t cat = 0;
    if (r() % 4 == 0)
      cat = r() % 17;
    else
      cat = own[biz][r() % own[biz].size()];
    x.emplace_back("category", category[cat]);
    x.emplace_back("item_class", item_class[r() % 5]);
    std::uint64_t days = 0;
    if (r() % 2)
      days = r() % 17;  // half inside the 0-16 day windows, half anywhere in a year
    else
      days = r() % 401;
    x.emplace_back("days_since_purchase", std::to_string(days));
    std::uint64_t fen = 0;
    const std::uint64_t k = r() % 10;
    if (k < 7)
      fen = r() % 50001;  // up to ¥500
    else if (k < 9)
      fen = r() % 150001;  // up to ¥1,500
    else
      fen = edges[r() % 8];
    x.emplace_back("claimed_amount", yuan(fen));
    const std::uint64_t rep = r() % 10;
    std::uint64_t repeats = rep < 6 ? 0 : rep < 8 ? 1 : rep == 8 ? 2 : 0;
    if (rep == 9) repeats = 3 + r() % 2;
    x.emplace_back("repeat_complaints", std::to_string(repeats));
    x.emplace_back("has_receipt", b(r() % 4 != 0));
    x.emplace_back("used", b(r() % 2 != 0));
    x.emplace_back("packaging_intact", b(r() % 3 != 0));
    x.emplace_back("vip", b(r() % 7 == 0));
    x.emplace_back("verified", b(r() % 2 != 0));
    out.push_back(std::move(x));
  }
  return out;
}

struct prepared {
  std::vector<row> rows;
  std::vector<kr::record> records;
  std::string label;
};

const prepared& refund_records() {
  static const prepared p = [] {
    const auto& pol = *refund_policy();
    prepared out;
    out.rows = make_rows(kRecords, 2026);
    for (const auto& x : out.rows) {
      auto rec = pol.make_record();
      for (const auto& [name, text] : x) pol.set(rec, pol.slot(name), text);
      out.records.push_back(std::move(rec));
    }
    // How the decisions spread: a table whose first rule always fires would measure nothing.
    std::vector<std::size_t> hits(pol.rules().size() + 1);
    std::size_t tried = 0;
    kr::decision d;
    for (const auto& rec : out.records) {
      pol.evaluate(rec, d);
      const std::size_t k = d.by_default ? pol.rules().size() : d.matched[0];
      ++hits[k];
      tried += d.by_default ? pol.rules().size() : k + 1;
    }
    std::size_t rules_hit = 0;
    for (std::size_t k = 0; k < pol.rules().size(); ++k) rules_hit += hits[k] ? 1 : 0;
    char buf[160];
    std::snprintf(buf, sizeof buf, "%zu of %zu rules decide, the default %.1f%%, %.1f rules tried per record",
                  rules_hit, pol.rules().size(),
                  100.0 * static_cast<double>(hits.back()) / static_cast<double>(out.records.size()),
                  static_cast<double>(tried) / static_cast<double>(out.records.size()));
    out.label = buf;
    return out;
  }();
  return p;
}

/// The hot path: a record already built, one decision object reused (no allocation).
void BM_policy_evaluate_refund30(benchmark::State& state) {
  const auto& pol = *refund_policy();
  const auto& data = refund_records();
  kr::decision d;
  d.matched.reserve(4);
  std::size_t i = 0;
  for (auto _ : state) {
    pol.evaluate(data.records[i++ & (kRecords - 1)], d);
    benchmark::DoNotOptimize(d.matched.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetLabel(data.label);
}
BENCHMARK(BM_policy_evaluate_refund30);

/// What a caller holding text (CSV, JSON strings) pays: 12 × policy::set (parse_value) into a reused
/// record, then evaluate. The Python binding does this for every dict, plus converting Python objects.
void BM_policy_set_from_text_and_evaluate_refund30(benchmark::State& state) {
  const auto& pol = *refund_policy();
  const auto& data = refund_records();
  std::vector<std::vector<std::pair<std::size_t, std::string>>> slotted;
  for (const auto& x : data.rows) {
    slotted.emplace_back();
    for (const auto& [name, text] : x) slotted.back().emplace_back(pol.slot(name), text);
  }
  auto rec = pol.make_record();
  kr::decision d;
  d.matched.reserve(4);
  std::size_t i = 0;
  for (auto _ : state) {
    for (const auto& [slot, text] : slotted[i++ & (kRecords - 1)]) pol.set(rec, slot, text);
    pol.evaluate(rec, d);
    benchmark::DoNotOptimize(d.matched.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_policy_set_from_text_and_evaluate_refund30);

/// make_record + set by name (slot look-up per field) + evaluate: the naive way, a fresh record per ticket.
void BM_policy_fresh_record_by_name_and_evaluate_refund30(benchmark::State& state) {
  const auto& pol = *refund_policy();
  const auto& data = refund_records();
  std::size_t i = 0;
  for (auto _ : state) {
    auto rec = pol.make_record();
    for (const auto& [name, text] : data.rows[i++ & (kRecords - 1)]) pol.set(rec, pol.slot(name), text);
    auto d = pol.evaluate(rec);
    benchmark::DoNotOptimize(d.matched.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_policy_fresh_record_by_name_and_evaluate_refund30);

// --- keyword scan ---------------------------------------------------------------------------------

std::vector<std::string> risk_words() {
  std::vector<std::string> out;
  std::istringstream in(read_file(KEFU_BENCH_DATA_DIR "/risk_words.txt"));
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty() && line[0] != '#') out.push_back(line);
  }
  return out;
}

/// The `text` column of a CSV file (RFC 4180 quoting).
std::vector<std::string> csv_column(const std::string& csv, const std::string& column) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (std::size_t i = 0; i < csv.size(); ++i) {
    const char c = csv[i];
    if (quoted) {
      if (c == '"' && i + 1 < csv.size() && csv[i + 1] == '"') {
        rows.back().back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        rows.back().back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().emplace_back();
    } else if (c == '\n') {
      rows.emplace_back(1);
    } else if (c != '\r') {
      rows.back().back() += c;
    }
  }
  std::size_t col = 0;
  while (col < rows[0].size() && rows[0][col] != column) ++col;
  if (col == rows[0].size()) throw std::runtime_error("no column " + column);
  std::vector<std::string> out;
  for (std::size_t i = 1; i < rows.size(); ++i)
    if (rows[i].size() > col) out.push_back(rows[i][col]);
  return out;
}

/// The ticket texts repeated kCorpusRepeats times, shuffled (Fisher-Yates on splitmix64, seed 2026 —
/// the same order as benchmarks/rules_peers.py).
const std::vector<std::string>& corpus() {
  static const std::vector<std::string> c = [] {
    const auto texts = csv_column(read_file(KEFU_BENCH_TICKETS_CSV), "text");
    std::vector<std::string> out;
    for (int k = 0; k < kCorpusRepeats; ++k) out.insert(out.end(), texts.begin(), texts.end());
    std::uint64_t s = 2026;
    for (std::size_t i = out.size() - 1; i > 0; --i) std::swap(out[i], out[splitmix64(s) % (i + 1)]);
    return out;
  }();
  return c;
}

std::int64_t corpus_bytes() {
  std::int64_t n = 0;
  for (const auto& t : corpus()) n += static_cast<std::int64_t>(t.size());
  return n;
}

const kr::keyword_set& risk_set() {
  static const kr::keyword_set k("risk", risk_words());
  return k;
}

/// The per-ticket question a rule asks: does this complaint contain any risk word? Stops at the
/// first hit, so texts with a risk word are not read to the end (bytes counted are all bytes).
void BM_keywords_contains_any_per_ticket(benchmark::State& state) {
  const auto& k = risk_set();
  const auto& texts = corpus();
  std::size_t found = 0;
  for (auto _ : state) {
    found = 0;
    for (const auto& t : texts) found += k.contains_any(t) ? 1 : 0;
    benchmark::DoNotOptimize(found);
  }
  state.SetBytesProcessed(state.iterations() * corpus_bytes());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(texts.size()));
  state.SetLabel(std::to_string(texts.size()) + " texts, " + std::to_string(corpus_bytes()) + " bytes, " +
                 std::to_string(k.words().size()) + " words, " + std::to_string(found) + " texts with a risk word");
}
BENCHMARK(BM_keywords_contains_any_per_ticket);

/// The same without the words that begin or end with an ASCII letter or digit (12315, 12345): those
/// match only as whole numbers or words, which keyword_set checks on a folded copy of the text.
void BM_keywords_contains_any_per_ticket_chinese_only(benchmark::State& state) {
  std::vector<std::string> chinese;
  auto ascii_alnum = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  for (const auto& w : risk_words())
    if (!ascii_alnum(w.front()) && !ascii_alnum(w.back())) chinese.push_back(w);
  const kr::keyword_set k("risk-chinese", chinese);
  const auto& texts = corpus();
  std::size_t found = 0;
  for (auto _ : state) {
    found = 0;
    for (const auto& t : texts) found += k.contains_any(t) ? 1 : 0;
    benchmark::DoNotOptimize(found);
  }
  state.SetBytesProcessed(state.iterations() * corpus_bytes());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(texts.size()));
  state.SetLabel(std::to_string(k.words().size()) + " words, " + std::to_string(found) + " texts with a risk word");
}
BENCHMARK(BM_keywords_contains_any_per_ticket_chinese_only);

// --- negation cues and exceptions (DOM-RISK-5) -----------------------------------------------------

/// The shipped risk policy's negation (rules/risk.yaml: 38 cues, 29 not-cues, 23 breaks, window 4).
const kr::negation_rules& shipped_negation() {
  static const kr::negation_rules n = [] {
    const auto p = kr::load_policy_file(KEFU_BENCH_RULES_DIR "/risk.yaml");
    for (const auto& k : p->keyword_sets())
      if (!k.negation().empty()) return k.negation();
    throw std::runtime_error("rules/risk.yaml declares no negation");
  }();
  return n;
}

const kr::keyword_set& risk_set_with_negation() {
  static const kr::keyword_set k("risk", risk_words(), shipped_negation(), {});
  return k;
}

/// The corpus texts with no risk word at all (the common path: nothing found, nothing to look around).
const std::vector<std::string>& texts_without_a_risk_word() {
  static const std::vector<std::string> out = [] {
    std::vector<std::string> v;
    for (const auto& t : corpus())
      if (risk_set().matches(t).empty()) v.push_back(t);
    return v;
  }();
  return out;
}

std::int64_t bytes_of(const std::vector<std::string>& texts) {
  std::int64_t n = 0;
  for (const auto& t : texts) n += static_cast<std::int64_t>(t.size());
  return n;
}

void contains_any_over(benchmark::State& state, const kr::keyword_set& k, const std::vector<std::string>& texts) {
  std::size_t found = 0;
  for (auto _ : state) {
    found = 0;
    for (const auto& t : texts) found += k.contains_any(t) ? 1 : 0;
    benchmark::DoNotOptimize(found);
  }
  state.SetBytesProcessed(state.iterations() * bytes_of(texts));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(texts.size()));
  state.SetLabel(std::to_string(texts.size()) + " texts, " + std::to_string(found) + " with a word that counts");
}

/// The same 60 words and texts as BM_keywords_contains_any_per_ticket, with the shipped negation: texts
/// with a word found now read what stands before it (and keep scanning when it is negated).
void BM_keywords_contains_any_per_ticket_negation(benchmark::State& state) {
  contains_any_over(state, risk_set_with_negation(), corpus());
}
BENCHMARK(BM_keywords_contains_any_per_ticket_negation);

/// The no-hit path without and with negation: the texts with no risk word (most tickets). Negation must
/// cost nothing here — the scan is the same until a word is found.
void BM_keywords_contains_any_no_hit(benchmark::State& state) { contains_any_over(state, risk_set(), texts_without_a_risk_word()); }
BENCHMARK(BM_keywords_contains_any_no_hit);
void BM_keywords_contains_any_no_hit_negation(benchmark::State& state) {
  contains_any_over(state, risk_set_with_negation(), texts_without_a_risk_word());
}
BENCHMARK(BM_keywords_contains_any_no_hit_negation);

/// The shipped risk policy (rules/risk.yaml: 7 keyword sets with negation and exceptions, 13 rules) on
/// every corpus text, the other facts neutral: what triage spends on risk per ticket. KEFU_BENCH_RISK_POLICY
/// names another risk policy file to compare (e.g. an older version, with a facts.yaml beside it).
void BM_policy_shipped_risk_per_ticket(benchmark::State& state) {
  const char* other = std::getenv("KEFU_BENCH_RISK_POLICY");
  const auto pol = kr::load_policy_file(other && *other ? std::string(other) : std::string(KEFU_BENCH_RULES_DIR "/risk.yaml"));
  const auto& texts = corpus();
  std::vector<kr::record> records;
  for (const auto& t : texts) {
    auto r = pol->make_record();
    for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
             {"category", "consultation"}, {"claimed_amount", "0"}, {"collective", "false"}, {"repeat_complaints", "0"},
             {"vip", "false"}, {"cold_chain_break_confirmed", "false"}, {"counterfeit_suspected", "false"}})
      pol->set(r, pol->slot(name), value);
    pol->set_text(r, pol->slot("text"), t);
    records.push_back(std::move(r));
  }
  kr::decision d;
  d.matched.reserve(8);
  std::size_t raised = 0;
  for (auto _ : state) {
    raised = 0;
    for (const auto& r : records) {
      pol->evaluate(r, d);
      raised += d.by_default ? 0 : 1;
    }
    benchmark::DoNotOptimize(raised);
  }
  state.SetBytesProcessed(state.iterations() * corpus_bytes());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(texts.size()));
  state.SetLabel(std::to_string(pol->keyword_sets().size()) + " keyword sets, " + std::to_string(raised) + " of " +
                 std::to_string(texts.size()) + " texts with a signal");
}
BENCHMARK(BM_policy_shipped_risk_per_ticket);

/// The automaton's raw speed: every byte of the ~1 MB corpus as one text, every match reported
/// (keyword_set::matches, as explanations use it).
void BM_keywords_matches_whole_corpus(benchmark::State& state) {
  const auto& k = risk_set();
  std::string blob;
  for (const auto& t : corpus()) {
    blob += t;
    blob += '\n';
  }
  std::size_t words = 0;
  for (auto _ : state) {
    const auto m = k.matches(blob);
    words = m.size();
    benchmark::DoNotOptimize(m.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(blob.size()));
  state.SetLabel(std::to_string(blob.size()) + " bytes, " + std::to_string(words) + " distinct words found");
}
BENCHMARK(BM_keywords_matches_whole_corpus);

/// The same scan through a policy: one text input, one rule `contains_any(text, risk)`.
void BM_policy_keyword_rule_per_ticket(benchmark::State& state) {
  std::string yaml = "policy: risk-scan\nhit_policy: first\ninputs:\n  text: text\nkeywords:\n  risk: [";
  const auto words = risk_words();
  for (std::size_t i = 0; i < words.size(); ++i) yaml += (i ? ", " : "") + words[i];
  yaml +=
      "]\noutputs:\n  risk: {type: enum, values: [normal, high]}\nrules:\n"
      "  - id: RISK-WORD\n    when: contains_any(text, risk)\n    then: {risk: high}\n"
      "default: {risk: normal}\n";
  const auto pol = kr::load_policy_string(yaml, "risk-scan.yaml");
  const std::size_t slot = pol->slot("text");
  const auto& texts = corpus();
  std::vector<kr::record> records;
  for (const auto& t : texts) {
    auto r = pol->make_record();
    pol->set_text(r, slot, t);  // a view into corpus(), which outlives the benchmark
    records.push_back(std::move(r));
  }
  kr::decision d;
  d.matched.reserve(4);
  std::size_t high = 0;
  for (auto _ : state) {
    high = 0;
    for (const auto& r : records) {
      pol->evaluate(r, d);
      high += d.by_default ? 0 : 1;
    }
    benchmark::DoNotOptimize(high);
  }
  state.SetBytesProcessed(state.iterations() * corpus_bytes());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(texts.size()));
  state.SetLabel(std::to_string(high) + " of " + std::to_string(texts.size()) + " texts high risk");
}
BENCHMARK(BM_policy_keyword_rule_per_ticket);

/// Compiling the 60-word set (trie, failure links, dense 256-wide transition table).
void BM_keywords_build_60_words(benchmark::State& state) {
  const auto words = risk_words();
  for (auto _ : state) {
    kr::keyword_set k("risk", words);
    benchmark::DoNotOptimize(&k);
  }
}
BENCHMARK(BM_keywords_build_60_words);

/// Loading refund_30.yaml: YAML parse, type checks, compiling 30 conditions, static checks.
void BM_policy_load_refund30(benchmark::State& state) {
  const std::string yaml = read_file(KEFU_BENCH_DATA_DIR "/refund_30.yaml");
  for (auto _ : state) {
    auto p = kr::load_policy_string(yaml, "refund_30.yaml");
    benchmark::DoNotOptimize(p.get());
  }
}
BENCHMARK(BM_policy_load_refund30)->Unit(benchmark::kMillisecond);

}  // namespace
