// Triage throughput with the shipped rules directory: facts in, risk/tier/deadlines/refund out.
#include <kefu/rules/triage.hpp>
#include <kefu/rules/triage_columns.hpp>
#include <kefu/rules/triage_diff.hpp>

#include <benchmark/benchmark.h>

#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

namespace {

// Varied tickets: all four businesses, several channels and categories, risk words, amounts.
std::vector<kefu::rules::record> sample_facts(const kefu::rules::triage_policy& t) {
  struct ticket {
    const char *business, *channel, *category, *text, *amount, *purchased;
  };
  const std::array<ticket, 8> tickets{{
      {"mall", "phone", "quality_defect", "榨汁机刀头不转，小票还在，要求退换", "399.00", "2026-02-08"},
      {"ecommerce", "online", "refund_request", "衣服不合适，七天无理由退货", "129.00", "2026-02-10"},
      {"fresh", "online", "live_seafood_dead", "配送到家的鲍鱼一动不动，已经发臭了", "268.00", "2026-02-16"},
      {"smart_counter", "wecom", "duplicate_charge", "同一瓶水扣了我两次钱", "4.50", "2026-02-13"},
      {"mall", "store", "billing_error", "收银台多收了我113.28元，再不解决我就打12315", "113.28", "2026-02-12"},
      {"ecommerce", "email", "logistics_delay", "快递十天了还没到，我要去微博曝光", "59.90", "2026-02-01"},
      {"fresh", "phone", "cold_chain_break", "孩子吃了以后腹泻住院，冷链根本没保证", "1288.00", "2026-02-14"},
      {"mall", "social", "service_attitude", "店员态度差，我要投诉你们", "0", "2026-02-15"},
  }};
  std::vector<kefu::rules::record> out;
  for (int i = 0; i < 512; ++i) {
    const auto& k = tickets[static_cast<std::size_t>(i) % tickets.size()];
    auto r = t.make_facts();
    t.set_fact(r, "business", k.business);
    t.set_fact(r, "channel", k.channel);
    t.set_fact(r, "category", k.category);
    t.set_fact(r, "text", k.text);
    t.set_fact(r, "claimed_amount", k.amount);
    t.set_fact(r, "purchased_at", k.purchased);
    t.set_fact(r, "received_at", "2026-02-16T" + std::to_string(10 + i % 12) + ":00:00+08:00");
    t.set_fact(r, "has_receipt", i % 3 ? "true" : "false");
    t.set_fact(r, "repeat_complaints", std::to_string(i % 4));
    out.push_back(std::move(r));
  }
  return out;
}

/// The same tickets as 4,096 rows of columns (the batch borrows them: keep this alive).
struct sample_columns {
  static constexpr std::size_t rows = 4096;
  std::vector<std::vector<std::int64_t>> numbers;
  std::vector<std::vector<std::string_view>> texts;
  std::vector<std::vector<std::uint8_t>> missing;
  std::vector<std::uint8_t> given;
  std::vector<kefu::rules::record> facts;

  explicit sample_columns(const kefu::rules::triage_policy& policy) : facts(sample_facts(policy)) {
    const auto& vocabulary = policy.facts();
    numbers.resize(vocabulary.size());
    texts.resize(vocabulary.size());
    missing.resize(vocabulary.size());
    given.assign(vocabulary.size(), 0);
    for (std::size_t i = 0; i < rows; ++i) {
      const auto& r = facts[i % facts.size()];
      for (std::size_t s = 0; s < vocabulary.size(); ++s) {
        if (!vocabulary[s].derived.empty()) continue;
        numbers[s].push_back(r.numbers[s]);
        texts[s].push_back(r.texts[s]);
        missing[s].push_back(r.present[s] ? 0 : 1);
        given[s] = given[s] || r.present[s];
      }
    }
  }

  kefu::rules::batch batch(const kefu::rules::triage_policy& policy) const {
    const auto& vocabulary = policy.facts();
    kefu::rules::batch b(policy, rows);
    for (std::size_t s = 0; s < vocabulary.size(); ++s) {
      if (!given[s]) continue;
      if (vocabulary[s].type == kefu::rules::value_type::text)
        b.texts(s, texts[s].data(), missing[s].data());
      else
        b.numbers(s, numbers[s].data(), missing[s].data());
    }
    return b;
  }
};

}  // namespace

static void BM_triage(benchmark::State& state) {
  const auto policy = kefu::rules::triage_policy::load_directory(KEFU_BENCH_RULES_DIR);
  const auto facts = sample_facts(*policy);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(policy->triage(facts[i++ % facts.size()]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_triage);

static void BM_load_default_policy(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(kefu::rules::triage_policy::load_directory(KEFU_BENCH_RULES_DIR));
}
BENCHMARK(BM_load_default_policy)->Unit(benchmark::kMillisecond);

// Columnar triage (kefu/rules/triage_columns.hpp) of the same tickets as columns: 4,096 rows per batch, the
// columns borrowed from the caller. Arg 0: one thread; arg 1: one per core.
static void BM_triage_columns(benchmark::State& state) {
  const auto policy = kefu::rules::triage_policy::load_directory(KEFU_BENCH_RULES_DIR);
  const sample_columns columns(*policy);
  const kefu::rules::batch b = columns.batch(*policy);
  kefu::rules::batch_options options;
  options.threads = state.range(0) == 0 ? 1 : 0;
  options.min_share = 1024;
  for (auto _ : state) benchmark::DoNotOptimize(kefu::rules::triage_batch(b, options));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * sample_columns::rows));
}
BENCHMARK(BM_triage_columns)->Arg(0)->Arg(1)->UseRealTime();

// kefu diff's question in C++ (kefu/rules/triage_diff.hpp): the shipped rules against a copy with the refund
// window widened from 7 to 15 days, on the same 4,096 tickets, one thread. Arg 0: both versions triaged in full,
// then compared; arg 1: diff_policies, which takes what the new rules share from the old triage.
static void BM_diff_policies(benchmark::State& state) {
  namespace fs = std::filesystem;
  const auto old_rules = kefu::rules::triage_policy::load_directory(KEFU_BENCH_RULES_DIR);
  const fs::path dir = fs::temp_directory_path() / ("kefu-bench-diff-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::copy(KEFU_BENCH_RULES_DIR, dir, fs::copy_options::recursive);
  {
    std::ifstream in(dir / "refund.yaml");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string from = "and days_since_purchase <= 7\n    then: {decision: refund";
    text.replace(text.find(from), from.size(), "and days_since_purchase <= 15\n    then: {decision: refund");
    std::ofstream(dir / "refund.yaml") << text;
  }
  kefu::rules::load_options load;
  load.run_rule_tests = false;
  const auto new_rules = kefu::rules::triage_policy::load_directory(dir.string(), load);
  fs::remove_all(dir);
  const sample_columns columns(*old_rules);
  const kefu::rules::batch b = columns.batch(*old_rules);
  kefu::rules::batch_options options;
  options.threads = 1;
  for (auto _ : state) {
    if (state.range(0) == 0) {
      const auto a = kefu::rules::triage_batch(b, options);
      const auto z = kefu::rules::triage_batch(kefu::rules::rebind(b, *new_rules), options);
      benchmark::DoNotOptimize(kefu::rules::diff_triage(a, z));
    } else {
      benchmark::DoNotOptimize(kefu::rules::diff_policies(*old_rules, *new_rules, b, {}, options));
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * sample_columns::rows));
}
BENCHMARK(BM_diff_policies)->Arg(0)->Arg(1)->UseRealTime();
