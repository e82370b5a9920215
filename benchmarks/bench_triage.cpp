// Triage throughput with the shipped rules directory: facts in, risk/tier/deadlines/refund out.
#include <kefu/rules/triage.hpp>
#include <kefu/rules/triage_columns.hpp>

#include <benchmark/benchmark.h>

#include <array>
#include <memory>
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
  const auto facts = sample_facts(*policy);
  constexpr std::size_t rows = 4096;
  const auto& vocabulary = policy->facts();
  std::vector<std::vector<std::int64_t>> numbers(vocabulary.size());
  std::vector<std::vector<std::string_view>> texts(vocabulary.size());
  std::vector<std::vector<std::uint8_t>> missing(vocabulary.size());
  std::vector<std::uint8_t> given(vocabulary.size(), 0);
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
  kefu::rules::batch b(*policy, rows);
  for (std::size_t s = 0; s < vocabulary.size(); ++s) {
    if (!given[s]) continue;
    if (vocabulary[s].type == kefu::rules::value_type::text)
      b.texts(s, texts[s].data(), missing[s].data());
    else
      b.numbers(s, numbers[s].data(), missing[s].data());
  }
  kefu::rules::batch_options options;
  options.threads = state.range(0) == 0 ? 1 : 0;
  options.min_share = 1024;
  for (auto _ : state) benchmark::DoNotOptimize(kefu::rules::triage_batch(b, options));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows));
}
BENCHMARK(BM_triage_columns)->Arg(0)->Arg(1)->UseRealTime();
