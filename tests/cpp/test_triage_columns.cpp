// Columnar triage (kefu/rules/triage_columns.hpp) against triage_policy::triage, row by row, on random
// facts over the shipped vocabulary: every answer equal, the same error for the first bad row, the same on
// any number of threads.
#include <kefu/rules/triage_columns.hpp>
#include <kefu/rules/triage_diff.hpp>

#include "calendar_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <typeinfo>
#include <random>
#include <tuple>

using namespace kefu_test;
namespace kr = kefu::rules;

namespace {

const kr::triage_policy& shipped() {
  static const auto p = kr::triage_policy::load_directory(KEFU_TEST_RULES_DIR);
  return *p;
}

/// Random facts for every fact the vocabulary lets a caller give, as columns and as records.
struct random_facts {
  std::size_t n;
  std::vector<std::vector<std::int64_t>> numbers;
  std::vector<std::vector<std::string>> strings;
  std::vector<std::vector<std::string_view>> views;
  std::vector<std::vector<std::uint8_t>> missing;
  std::vector<std::uint8_t> given;

  random_facts(const kr::triage_policy& t, std::size_t rows, unsigned seed) : n(rows) {
    std::mt19937_64 rng(seed);
    auto pick = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
    static const char* texts[] = {"", "我要投诉你们", "要去微博曝光", "打了１２３１５热线", "还好孩子没有受伤，就是包装破了",
                                  "吃了拉肚子住院了", "律师函已经寄出", "态度差", "再不處理我就報警", "不会去微博曝光的，放心",
                                  "十几个人一起来维权", "孩子过敏了, 要起诉", "订单4123159876"};
    const auto& facts = t.facts();
    const std::size_t k = facts.size();
    numbers.resize(k);
    strings.resize(k);
    views.resize(k);
    missing.resize(k);
    given.assign(k, 0);
    const std::int64_t base = cst("2025-06-01T00:00:00").unix_seconds();
    std::vector<std::int64_t> received(n);
    for (auto& r : received) r = base + pick(0, 3 * 365 * 86400);
    // The customer value index facts (DOM-CH-3) come all four or none: given together, missing at the same rows.
    std::vector<std::size_t> index_slots;
    if (t.customer_value())
      for (const auto& in : t.customer_value()->inputs()) index_slots.push_back(t.fact_slot(in.name));
    const auto in_index = [&](std::size_t s) { return std::find(index_slots.begin(), index_slots.end(), s) != index_slots.end(); };
    for (std::size_t s = 0; s < k; ++s) {
      const auto& f = facts[s];
      if (!f.derived.empty()) continue;
      // Leave some optional facts out altogether, so defaults apply.
      if (!f.required && !in_index(s) && pick(0, 4) == 0) continue;
      given[s] = 1;
      for (std::size_t i = 0; i < n; ++i) {
        std::int64_t v = 0;
        switch (f.type) {
          case kr::value_type::boolean: v = pick(0, 1); break;
          case kr::value_type::integer: v = pick(0, 6); break;
          case kr::value_type::money: v = pick(0, 3) == 0 ? 20000 : pick(0, 3) == 0 ? pick(0, 2000000) : pick(0, 300000); break;
          case kr::value_type::decimal: v = pick(0, 1000000); break;  // 0 to 1 in millionths
          case kr::value_type::enumeration: v = pick(0, static_cast<std::int64_t>(f.values.size()) - 1); break;
          case kr::value_type::date: v = received[i] / 86400 - pick(0, 400); break;
          case kr::value_type::datetime: v = received[i]; break;
          default: break;
        }
        numbers[s].push_back(v);
        strings[s].push_back(f.type == kr::value_type::text ? texts[pick(0, 12)] : "");
      }
      views[s].assign(strings[s].begin(), strings[s].end());
      if (!f.required) {  // optional facts are sometimes not given at a row
        missing[s].resize(n);
        for (auto& m : missing[s]) m = pick(0, 5) == 0;
      }
    }
    for (const std::size_t s : index_slots) missing[s] = missing[index_slots.front()];
  }

  kr::batch batch(const kr::triage_policy& t) const {
    kr::batch b(t, n);
    for (std::size_t s = 0; s < given.size(); ++s) {
      if (!given[s]) continue;
      const std::uint8_t* m = missing[s].empty() ? nullptr : missing[s].data();
      if (t.facts()[s].type == kr::value_type::text)
        b.texts(s, views[s].data(), m);
      else
        b.numbers(s, numbers[s].data(), m);
    }
    return b;
  }

  kr::record record(const kr::triage_policy& t, std::size_t i) const {
    kr::record r = t.make_facts();
    for (std::size_t s = 0; s < given.size(); ++s) {
      if (!given[s] || (!missing[s].empty() && missing[s][i])) continue;
      kr::value v;
      if (t.facts()[s].type == kr::value_type::text)
        v.text = strings[s][i];
      else
        v.number = numbers[s][i];
      t.set_fact_value(r, s, std::move(v));
    }
    return r;
  }
};

std::vector<std::string> names(const std::vector<kr::rule>& rules, const std::vector<std::int32_t>& indices,
                               const std::vector<std::int64_t>& offsets, std::size_t i) {
  std::vector<std::string> out;
  for (auto k = offsets[i]; k < offsets[i + 1]; ++k) out.push_back(rules[static_cast<std::size_t>(indices[static_cast<std::size_t>(k)])].id);
  return out;
}

/// Every answer of row i of the columns equals the per-ticket triage.
void expect_row_equal(const kr::triage_policy& t, const kr::triage_columns& c, std::size_t i, const kr::triage_result& r) {
  SCOPED_TRACE("row " + std::to_string(i));
  const auto value_of = [&](const char* fact, std::int32_t code) {
    return t.facts()[t.fact_slot(fact)].values.at(static_cast<std::size_t>(code));
  };
  EXPECT_EQ(value_of("risk_level", c.risk_level[i]), r.risk.level);
  std::vector<std::string> signals;
  for (const auto& s : r.risk.signals) signals.push_back(s.rule_id);
  EXPECT_EQ(names(t.risk().rules(), c.signal_rules, c.signal_offsets, i), signals);
  EXPECT_EQ(value_of("tier", c.tier[i]), r.tier);
  EXPECT_EQ(names(t.escalation().rules(), c.tier_rules, c.tier_rule_offsets, i), r.tier_rules);
  const auto& owner_values = t.tiers().outputs()[t.tiers().output_index("owners")].values;
  std::vector<std::string> owners;
  for (std::size_t k = 0; k < owner_values.size(); ++k)
    if ((c.owners[i] >> k) & 1) owners.push_back(owner_values[k]);
  EXPECT_EQ(owners, r.owners);
  EXPECT_EQ(c.follow_up_required[i] != 0, r.follow_up_required);
  EXPECT_EQ(c.report_required[i] != 0, r.report_required);
  EXPECT_EQ(c.priority_routing[i] != 0, r.priority_routing);
  EXPECT_EQ(c.customer_tier[i] < 0 ? std::string() : value_of("customer_tier", c.customer_tier[i]), r.customer_tier);
  EXPECT_EQ(c.customer_tier_computed[i] != 0, r.customer_tier_computed);
  EXPECT_EQ(c.first_response_due[i], r.first_response.due.unix_seconds());
  EXPECT_EQ(c.resolution_due[i], r.resolution.due.unix_seconds());
  EXPECT_EQ(c.follow_up_due[i], r.follow_up ? r.follow_up->due.unix_seconds() : 0);
  EXPECT_EQ((c.provisional[i] & 1) != 0, r.first_response.provisional);
  EXPECT_EQ((c.provisional[i] & 2) != 0, r.resolution.provisional);
  EXPECT_EQ((c.provisional[i] & 4) != 0, r.follow_up && r.follow_up->provisional);
  EXPECT_EQ(value_of("refund_decision", c.refund_decision[i]), r.refund.decision);
  EXPECT_EQ(c.refund_rule[i] < 0 ? std::string() : t.refund().rules()[static_cast<std::size_t>(c.refund_rule[i])].id, r.refund.rule_id);
  EXPECT_EQ(c.tiers_rule[i] < 0 ? std::string() : t.tiers().rules()[static_cast<std::size_t>(c.tiers_rule[i])].id,
            r.first_response.rule_id);
  EXPECT_EQ(c.days_since_purchase[i], r.days_since_purchase ? *r.days_since_purchase : -1);
  const auto& service = t.service_calendar();
  EXPECT_EQ(service.outputs()[service.output_index("business_hours")].values[static_cast<std::size_t>(c.business_calendar[i])] ==
                r.first_response.calendar ||
            service.outputs()[service.output_index("working_days")].values[static_cast<std::size_t>(c.workday_calendar[i])] ==
                r.first_response.calendar ||
            r.first_response.calendar.empty(),
            true);
  ASSERT_EQ(static_cast<std::size_t>(c.target_offsets[i + 1] - c.target_offsets[i]), r.targets.size());
  bool any_provisional = false;
  for (std::size_t k = 0; k < r.targets.size(); ++k) {
    const auto at = static_cast<std::size_t>(c.target_offsets[i]) + k;
    EXPECT_EQ(t.sla_targets().rules()[static_cast<std::size_t>(c.target_rules[at])].id, r.targets[k].rule_id);
    EXPECT_EQ(c.target_due[at], r.targets[k].due.unix_seconds());
    EXPECT_EQ(c.target_provisional[at] != 0, r.targets[k].provisional);
    any_provisional = any_provisional || r.targets[k].provisional;
  }
  EXPECT_EQ((c.provisional[i] & 8) != 0, any_provisional);
  std::uint64_t asked = 0;  // the actions (DOM-RISK-4) as a set: each once, whatever the order
  for (const auto& a : r.actions)
    for (std::size_t k = 0; k < t.action_entries().size(); ++k)
      if (t.action_entries()[k].code == a.code) {
        EXPECT_EQ((asked >> k) & 1, 0u) << a.code << " asked twice";
        asked |= std::uint64_t(1) << k;
      }
  EXPECT_EQ(c.actions[i], asked);
  EXPECT_EQ(t.actions_text(c.actions[i]).empty(), r.actions.empty());
}

}  // namespace

TEST(TriageColumns, EveryRowIsTriagedAsTriageTriagesItsFacts) {
  const auto& t = shipped();
  std::size_t rows = 0, routed = 0, computed = 0, unknown = 0;
  for (unsigned seed = 1; seed <= 6; ++seed) {
    const random_facts facts(t, 400, seed);
    const auto b = facts.batch(t);
    const auto c = kr::triage_batch(b);
    ASSERT_EQ(c.size(), facts.n);
    for (std::size_t i = 0; i < facts.n; ++i) expect_row_equal(t, c, i, t.triage(facts.record(t, i)));
    rows += facts.n;
    routed += static_cast<std::size_t>(std::count(c.priority_routing.begin(), c.priority_routing.end(), 1));
    computed += static_cast<std::size_t>(std::count(c.customer_tier_computed.begin(), c.customer_tier_computed.end(), 1));
    unknown += static_cast<std::size_t>(std::count(c.customer_tier.begin(), c.customer_tier.end(), -1));
  }
  // The random rows reach both values of priority routing, and customer tiers computed from the value index, given
  // and neither, so the comparisons above can tell them apart.
  EXPECT_GT(routed, 0u);
  EXPECT_LT(routed, rows);
  EXPECT_GT(computed, 0u);
  EXPECT_GT(unknown, 0u);
  EXPECT_LT(computed + unknown, rows);
}

// DOM-ESC-5, the VIP green channel: whatever the other facts, a VIP is never served later than the same ticket of a
// customer who is not one — first response, resolution, follow-up and priority — and is marked for priority routing.
TEST(TriageVip, AVipIsNeverServedSlowerAndIsRoutedAhead) {
  const auto& t = shipped();
  const std::size_t vip = t.fact_slot("vip");
  std::size_t faster_priority = 0;
  for (unsigned seed = 11; seed <= 14; ++seed) {
    const random_facts facts(t, 300, seed);
    for (std::size_t i = 0; i < facts.n; ++i) {
      SCOPED_TRACE("seed " + std::to_string(seed) + " row " + std::to_string(i));
      auto as_vip = facts.record(t, i), not_vip = facts.record(t, i);
      t.set_fact(as_vip, vip, "true");
      t.set_fact(not_vip, vip, "false");
      const auto a = t.triage(as_vip), b = t.triage(not_vip);
      EXPECT_TRUE(a.priority_routing);
      EXPECT_FALSE(b.priority_routing);
      EXPECT_LE(a.first_response.due.unix_seconds(), b.first_response.due.unix_seconds());
      EXPECT_LE(a.resolution.due.unix_seconds(), b.resolution.due.unix_seconds());
      if (b.follow_up) {
        ASSERT_TRUE(a.follow_up.has_value());
        EXPECT_LE(a.follow_up->due.unix_seconds(), b.follow_up->due.unix_seconds());
      }
      auto priority = [](const kr::triage_result& r) {
        std::vector<std::int64_t> due;
        for (const auto& target : r.targets)
          if (target.rule_id.rfind("SLA-PRIORITY-", 0) == 0) due.push_back(target.due.unix_seconds());
        return due;
      };
      const auto pa = priority(a), pb = priority(b);
      ASSERT_EQ(pa.size(), 1u);  // every ticket has exactly one priority (DOM-ESC-2)
      ASSERT_EQ(pb.size(), 1u);
      EXPECT_LE(pa[0], pb[0]);
      faster_priority += pa[0] < pb[0];
    }
  }
  EXPECT_GT(faster_priority, 100u);  // the green channel does speed tickets up (三级 → 二级, 二级 → 一级)
}

TEST(TriageColumns, ThreadsGiveTheSameColumns) {
  const auto& t = shipped();
  const random_facts facts(t, 3000, 42);
  const auto b = facts.batch(t);
  const auto one = kr::triage_batch(b, {1, 1});
  const auto four = kr::triage_batch(b, {4, 100});
  EXPECT_EQ(one.risk_level, four.risk_level);
  EXPECT_EQ(one.signal_offsets, four.signal_offsets);
  EXPECT_EQ(one.signal_rules, four.signal_rules);
  EXPECT_EQ(one.tier_rules, four.tier_rules);
  EXPECT_EQ(one.resolution_due, four.resolution_due);
  EXPECT_EQ(one.follow_up_due, four.follow_up_due);
  EXPECT_EQ(one.target_offsets, four.target_offsets);
  EXPECT_EQ(one.target_rules, four.target_rules);
  EXPECT_EQ(one.target_due, four.target_due);
  EXPECT_EQ(one.refund_decision, four.refund_decision);
}

// triage_rows reads the columns a block of rows at a time, within each thread's share of the rows: batches that
// end inside a block, shares that start inside one, missing values anywhere in them — every row is still
// triaged as triage triages its facts, and a value from one row never stays for the next.
TEST(TriageColumns, RowsAreTriagedAlikeWhereverBlocksAndSharesBeginAndEnd) {
  const auto& t = shipped();
  for (const std::size_t n : {std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{65}, std::size_t{130}, std::size_t{257}}) {
    const random_facts facts(t, n, static_cast<unsigned>(100 + n));
    const auto b = facts.batch(t);
    for (const kr::batch_options options : {kr::batch_options{1, 1}, kr::batch_options{3, 1}}) {
      SCOPED_TRACE(std::to_string(n) + " rows on " + std::to_string(options.threads) + " threads");
      const auto c = kr::triage_batch(b, options);
      ASSERT_EQ(c.size(), n);
      for (std::size_t i = 0; i < n; ++i) expect_row_equal(t, c, i, t.triage(facts.record(t, i)));
    }
  }
}

TEST(TriageColumns, TheFirstRowAtFaultGivesTriagesOwnErrorWithItsRow) {
  const auto& t = shipped();
  for (const unsigned threads : {1u, 4u}) {
    random_facts facts(t, 2000, 7);
    const std::size_t purchased = t.fact_slot("purchased_at"), received = t.fact_slot("received_at");
    // Row 1500: bought after it was received; row 900: no business (a required fact).
    if (!facts.given[purchased]) {
      facts.given[purchased] = 1;
      facts.numbers[purchased].assign(facts.n, facts.numbers[received][0] / 86400 - 3);
    }
    if (!facts.missing[purchased].empty()) facts.missing[purchased][1500] = 0;
    facts.numbers[purchased][1500] = facts.numbers[received][1500] / 86400 + 30;
    const std::size_t business = t.fact_slot("business");
    facts.missing[business].assign(facts.n, 0);
    facts.missing[business][900] = 1;
    auto b = facts.batch(t);
    try {
      kr::triage_batch(b, {threads, 100});
      FAIL() << "no error";
    } catch (const kefu::error& e) {
      EXPECT_EQ(std::string(e.what()), "row 900: missing fact(s) business");
      EXPECT_EQ(e.id(), "kefu.rules.missing_fact");
    }
    facts.missing[business][900] = 0;
    auto b2 = facts.batch(t);
    try {
      kr::triage_batch(b2, {threads, 100});
      FAIL() << "no error";
    } catch (const kefu::error& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind("row 1500: fact 'purchased_at' (", 0), 0u) << what;
      try {
        t.triage(facts.record(t, 1500));
      } catch (const kefu::error& single) {
        EXPECT_EQ(what, "row 1500: " + std::string(single.what()));
      }
    }
  }
}

TEST(TriageColumns, BadValuesAreRefusedBeforeAnyRowIsTriaged) {
  const auto& t = shipped();
  random_facts facts(t, 50, 3);
  const std::size_t amount = t.fact_slot("claimed_amount");
  facts.given[amount] = 1;
  facts.numbers[amount].assign(facts.n, 100);
  facts.missing[amount].clear();
  facts.numbers[amount][20] = -5;  // non_negative
  const std::size_t category = t.fact_slot("category");
  facts.numbers[category][30] = 99;  // not one of its values
  try {
    kr::triage_batch(facts.batch(t));
    FAIL() << "no error";
  } catch (const kefu::error& e) {
    EXPECT_EQ(std::string(e.what()), "row 20: fact 'claimed_amount' cannot be negative (got -¥0.05)");
    EXPECT_EQ(e.id(), "kefu.rules.negative_fact");
  }
}

TEST(TriageColumns, DerivedAndUnknownFactsAreRefusedAsColumns) {
  const auto& t = shipped();
  const random_facts facts(t, 3, 1);
  // A derived fact's column is refused at the first row that gives it a value, as a dict giving it is …
  std::vector<std::int64_t> tiers{0, 1, 2};
  std::vector<std::uint8_t> missing{1, 1, 0};
  auto with_tier = facts.batch(t);
  with_tier.numbers(t.fact_slot("tier"), tiers.data(), missing.data());
  try {
    kr::triage_batch(with_tier);
    FAIL() << "no error";
  } catch (const kefu::error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("row 2: fact 'tier' is derived (", 0), 0u) << e.what();
    EXPECT_EQ(e.id(), "kefu.rules.derived_fact");
  }
  // … and a column that gives it on no row changes nothing (a dict holding None for it is read the same).
  missing[2] = 1;
  auto without_values = facts.batch(t);
  without_values.numbers(t.fact_slot("tier"), tiers.data(), missing.data());
  EXPECT_EQ(kr::triage_batch(without_values).tier, kr::triage_batch(facts.batch(t)).tier);
  kr::batch b(t, 3);
  try {
    b.slot("categroy");
    FAIL() << "no error";
  } catch (const kefu::error& e) {
    EXPECT_EQ(std::string(e.what()), "unknown fact 'categroy' (did you mean 'category'?)");
  }
  EXPECT_THROW(kr::evaluate_columns(b), kefu::error);  // a batch of facts is not one policy's inputs
  kr::batch inputs(t.risk(), 0);
  EXPECT_THROW(kr::triage_batch(inputs), kefu::error);
}

namespace {
/// The shipped rules with REF-QUALITY-7D's window widened from 7 to 15 days, loaded without their rule tests.
std::shared_ptr<const kr::triage_policy> window_15(const std::filesystem::path& dir) {
  std::filesystem::copy(KEFU_TEST_RULES_DIR, dir, std::filesystem::copy_options::recursive);
  std::ifstream in(dir / "refund.yaml");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto rule = text.find("  - id: REF-QUALITY-7D");
  const auto at = text.find("and days_since_purchase <= 7\n", rule);
  text.replace(at, std::string("and days_since_purchase <= 7").size(), "and days_since_purchase <= 15");
  std::ofstream(dir / "refund.yaml") << text;
  kr::load_options options;
  options.run_rule_tests = false;
  return kr::triage_policy::load_directory(dir.string(), options);
}
}  // namespace

TEST(TriageDiff, TheChangesAreExactlyWhereTheTicketsDecideDifferently) {
  const auto& old_rules = shipped();
  const scratch_dir dir;
  const auto new_rules = window_15(dir.path / "rules");
  random_facts facts(old_rules, 3000, 5);
  // Many quality complaints 8–15 days after purchase: where the two versions part.
  const std::size_t purchased = old_rules.fact_slot("purchased_at"), received = old_rules.fact_slot("received_at"),
                    category = old_rules.fact_slot("category");
  const auto quality = old_rules.facts()[category].value_index("quality_defect");
  const std::size_t receipt = old_rules.fact_slot("has_receipt");
  facts.given[receipt] = facts.given[purchased] = 1;
  facts.numbers[receipt].assign(facts.n, 1);
  facts.missing[receipt].clear();
  facts.numbers[purchased].resize(facts.n);
  facts.missing[purchased].clear();
  for (std::size_t i = 0; i < facts.n; ++i) {
    facts.numbers[purchased][i] = facts.numbers[received][i] / 86400 - static_cast<std::int64_t>(2 + i % 20);
    if (i % 2 == 0) facts.numbers[category][i] = quality;
  }
  const auto b = facts.batch(old_rules);
  const auto changes = kr::diff_policies(old_rules, *new_rules, b);
  // Compare with triage one ticket at a time under both.
  std::vector<std::tuple<std::int64_t, std::string, std::string, std::string>> expected;
  for (std::size_t i = 0; i < facts.n; ++i) {
    const auto a = old_rules.triage(facts.record(old_rules, i));
    const auto z = new_rules->triage(facts.record(*new_rules, i));
    if (a.refund.decision != z.refund.decision) expected.emplace_back(i, "refund_decision", a.refund.decision, z.refund.decision);
    if (a.refund.rule_id != z.refund.rule_id) expected.emplace_back(i, "refund_rule_id", a.refund.rule_id, z.refund.rule_id);
    if (a.refund.reason != z.refund.reason) expected.emplace_back(i, "refund_reason", a.refund.reason, z.refund.reason);
    EXPECT_EQ(a.tier, z.tier);
  }
  std::vector<std::tuple<std::int64_t, std::string, std::string, std::string>> got;
  for (std::size_t k = 0; k < changes.size(); ++k)
    got.emplace_back(changes.rows[k], kr::triage_outputs[changes.outputs[k]], changes.old_values[k], changes.new_values[k]);
  EXPECT_EQ(got, expected);
  EXPECT_GT(got.size(), 30u);  // the random tickets do reach the changed window
  // The same rules change nothing; only the outputs asked for are compared.
  EXPECT_EQ(kr::diff_policies(old_rules, old_rules, b).size(), 0u);
  const auto decisions = kr::diff_policies(old_rules, *new_rules, b, {kr::triage_output_index("refund_decision")});
  EXPECT_EQ(decisions.size() * 3, changes.size());
  EXPECT_THROW(kr::triage_output_index("refund_decison"), kefu::error);
}

namespace {
/// The shipped rules with one text replaced in one file, loaded without their rule tests.
std::shared_ptr<const kr::triage_policy> edited(const std::filesystem::path& dir, const std::string& file,
                                                const std::string& from, const std::string& to) {
  std::filesystem::copy(KEFU_TEST_RULES_DIR, dir, std::filesystem::copy_options::recursive);
  std::ifstream in(dir / file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::logic_error(file + " has no '" + from + "'");
  text.replace(at, from.size(), to);
  std::ofstream(dir / file) << text;
  kr::load_options options;
  options.run_rule_tests = false;
  return kr::triage_policy::load_directory(dir.string(), options);
}

/// Every column of two triages equal.
void expect_same_columns(const kr::triage_columns& x, const kr::triage_columns& y) {
  EXPECT_EQ(x.risk_level, y.risk_level);
  EXPECT_EQ(x.signal_offsets, y.signal_offsets);
  EXPECT_EQ(x.signal_rules, y.signal_rules);
  EXPECT_EQ(x.tier, y.tier);
  EXPECT_EQ(x.tier_rule_offsets, y.tier_rule_offsets);
  EXPECT_EQ(x.tier_rules, y.tier_rules);
  EXPECT_EQ(x.tiers_rule, y.tiers_rule);
  EXPECT_EQ(x.refund_rule, y.refund_rule);
  EXPECT_EQ(x.refund_decision, y.refund_decision);
  EXPECT_EQ(x.owners, y.owners);
  EXPECT_EQ(x.follow_up_required, y.follow_up_required);
  EXPECT_EQ(x.report_required, y.report_required);
  EXPECT_EQ(x.priority_routing, y.priority_routing);
  EXPECT_EQ(x.first_response_due, y.first_response_due);
  EXPECT_EQ(x.resolution_due, y.resolution_due);
  EXPECT_EQ(x.follow_up_due, y.follow_up_due);
  EXPECT_EQ(x.provisional, y.provisional);
  EXPECT_EQ(x.business_calendar, y.business_calendar);
  EXPECT_EQ(x.workday_calendar, y.workday_calendar);
  EXPECT_EQ(x.customer_tier, y.customer_tier);
  EXPECT_EQ(x.customer_tier_computed, y.customer_tier_computed);
  EXPECT_EQ(x.days_since_purchase, y.days_since_purchase);
  EXPECT_EQ(x.target_offsets, y.target_offsets);
  EXPECT_EQ(x.target_rules, y.target_rules);
  EXPECT_EQ(x.target_due, y.target_due);
  EXPECT_EQ(x.target_provisional, y.target_provisional);
  EXPECT_EQ(x.actions, y.actions);
  EXPECT_EQ(x.at_tier, y.at_tier);
}

std::string stage_names(const kr::triage_stages& s) {
  static const char* names[] = {"risk", "escalation", "tiers", "refund", "targets", "service", "deadlines"};
  std::string out;
  for (std::size_t k = 0; k < s.size(); ++k)
    if (s[k]) out += (out.empty() ? "" : ",") + std::string(names[k]);
  return out;
}
}  // namespace

// kefu diff decides again only what the new rules change (docs/triage.md, "Policy impact"): each stage the two
// versions share is taken from the old triage, and the new triage must equal one made from scratch, column for column.
TEST(TriageDiff, WhatTheNewRulesShareIsTakenFromTheOldTriageAndNothingElse) {
  const auto& old_rules = shipped();
  random_facts facts(old_rules, 2000, 21);
  const kr::batch b = facts.batch(old_rules);
  const auto a = kr::triage_batch(b);
  struct edit {
    std::string file, from, to, shared;
  };
  const std::vector<edit> edits = {
      // refund decides differently; sla-targets, which reads refund_decision, is decided again where it changed
      {"refund.yaml", "and days_since_purchase <= 7\n", "and days_since_purchase <= 15\n",
       "risk,escalation,tiers,targets,service,deadlines"},
      // an action no longer asked for: the old triage's mask must not leak it
      {"refund.yaml", "with a small gift)\",\n           actions: [reship_with_gift]}", "with a small gift)\"}",
       "risk,escalation,tiers,targets,service,deadlines"},
      // risk: escalation reads the level, tiers the tier, sla-targets the level: each decided again where they changed
      {"risk.yaml", "then: {level: critical, actions: [supervisor_steps_in, report_level_1, delist_and_qc_test]}",
       "then: {level: high, actions: [supervisor_steps_in, report_level_1, delist_and_qc_test]}",
       "escalation,tiers,refund,targets,service,deadlines"},
      // a holiday more on the working-day calendar every deadline and target counts on
      {"calendars/cn-mainland.yaml", "{date: 2026-06-19, to: 2026-06-21,", "{date: 2026-06-18, to: 2026-06-21,",
       "risk,escalation,tiers,refund,service"},
      // comments and layout are not the policy
      {"tiers.yaml", "hit_policy: unique", "hit_policy:    unique   # the same", "risk,escalation,tiers,refund,targets,service,deadlines"},
      // another catalogue order: the action masks mean other codes, so nothing is shared
      {"actions.yaml", "values: [supervisor_steps_in, report_level_1,", "values: [report_level_1, supervisor_steps_in,", ""},
  };
  for (const auto& e : edits) {
    SCOPED_TRACE(e.file);
    const scratch_dir dir;
    const auto new_rules = edited(dir.path / "rules", e.file, e.from, e.to);
    const kr::triage_stages shared = kr::shared_stages(old_rules, *new_rules);
    EXPECT_EQ(stage_names(shared), e.shared);
    const kr::batch rebound = kr::rebind(b, *new_rules);
    const auto reused = kr::triage_rows(rebound, {}, -1, kr::triage_reuse{&a, shared});
    const auto scratch = kr::triage_batch(rebound);
    expect_same_columns(reused, scratch);
    const auto changes = kr::diff_policies(old_rules, *new_rules, b);
    const auto expected = kr::diff_triage(a, scratch);
    EXPECT_EQ(changes.rows, expected.rows);
    EXPECT_EQ(changes.outputs, expected.outputs);
    EXPECT_EQ(changes.new_values, expected.new_values);
  }
  EXPECT_EQ(stage_names(kr::shared_stages(old_rules, old_rules)), "risk,escalation,tiers,refund,targets,service,deadlines");
  // A stage the rules do not share cannot be asked for, nor a triage of other rows or at another tier.
  const scratch_dir dir;
  const auto window = edited(dir.path / "rules", "refund.yaml", "and days_since_purchase <= 7\n", "and days_since_purchase <= 15\n");
  const kr::batch rebound = kr::rebind(b, *window);
  kr::triage_stages all{};
  all.fill(true);
  const auto message = [&](const kr::batch& facts, std::int64_t tier, const kr::triage_reuse& reuse) {
    try {
      kr::triage_rows(facts, {}, tier, reuse);
    } catch (const kefu::error& x) {
      EXPECT_EQ(x.id(), "kefu.rules.column");
      return std::string(x.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message(rebound, -1, {&a, all}), "triage_rows: stage 3 of the triage to reuse is not shared by these rules");
  EXPECT_EQ(message(rebound, 0, {&a, kr::shared_stages(old_rules, *window)}), "triage_rows: the triage to reuse was made at another tier");
  const kr::batch fewer = random_facts(old_rules, 10, 3).batch(old_rules);
  EXPECT_EQ(message(fewer, -1, {&a, all}), "triage_rows: the triage to reuse is of 2000 rows, not 10");
  kr::triage_columns risk_only;  // what a pass at a tier is given: the risk columns alone
  risk_only.policy = a.policy;
  risk_only.risk_level = a.risk_level;
  risk_only.signal_offsets = a.signal_offsets;
  risk_only.signal_rules = a.signal_rules;
  EXPECT_EQ(message(b, -1, {&risk_only, all}), "triage_rows: the triage to reuse is not a whole triage");
  kr::triage_stages risk_stage_only{};
  risk_stage_only[kr::risk_stage] = true;
  expect_same_columns(kr::triage_rows(b, {}, -1, {&risk_only, risk_stage_only}), a);
}

TEST(TriageDiff, ColumnsAreSharedOnlyBetweenTheSameVocabularies) {
  const auto& old_rules = shipped();
  const scratch_dir dir;
  std::filesystem::copy(KEFU_TEST_RULES_DIR, dir.path / "rules", std::filesystem::copy_options::recursive);
  {
    std::ifstream in(dir.path / "rules" / "facts.yaml");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto at = text.find("  customer_tier:");
    text.insert(at, "  store_id: {type: text, description: a fact the old vocabulary does not have}\n");
    std::ofstream(dir.path / "rules" / "facts.yaml") << text;
  }
  kr::load_options options;
  options.run_rule_tests = false;
  const auto other = kr::triage_policy::load_directory((dir.path / "rules").string(), options);
  kr::batch b(old_rules, 0);
  try {
    kr::rebind(b, *other);
    FAIL() << "no error";
  } catch (const kefu::error& e) {
    EXPECT_EQ(e.id(), "kefu.rules.vocabulary");
    EXPECT_NE(std::string(e.what()).find("the facts vocabularies differ at fact"), std::string::npos) << e.what();
  }
}

TEST(TriageColumns, AtATierEveryRowIsTriagedAsTriageAtTierTriagesIt) {
  const auto& t = shipped();
  const random_facts facts(t, 300, 9);
  const auto b = facts.batch(t);
  for (const std::string tier : {"L1", "L2", "L3"}) {
    const auto c = kr::triage_batch_at_tier(b, tier);
    EXPECT_TRUE(c.tier_rules.empty());
    for (std::size_t i = 0; i < facts.n; ++i) {
      const auto r = t.triage_at_tier(facts.record(t, i), tier);
      ASSERT_EQ(t.facts()[t.fact_slot("tier")].values[static_cast<std::size_t>(c.tier[i])], tier);
      EXPECT_EQ(c.resolution_due[i], r.resolution.due.unix_seconds()) << i;
      EXPECT_EQ(c.follow_up_due[i], r.follow_up ? r.follow_up->due.unix_seconds() : 0) << i;
      EXPECT_EQ(c.report_required[i] != 0, r.report_required) << i;
      EXPECT_EQ(c.priority_routing[i] != 0, r.priority_routing) << i;  // decided at a forced tier too
      EXPECT_EQ(t.refund().rules().size() > 0 && c.refund_rule[i] >= 0 ? t.refund().rules()[static_cast<std::size_t>(c.refund_rule[i])].id : "",
                r.refund.rule_id) << i;
    }
  }
  try {
    kr::triage_batch_at_tier(b, "L4");
    FAIL() << "no error";
  } catch (const kefu::error& e) {
    EXPECT_EQ(std::string(e.what()), "unknown tier 'L4' (the vocabulary's tiers are L1, L2, L3)");
  }
}

TEST(TriageColumns, DerivedFactsStartFromTheirDefaultsOnEveryRow) {
  // A vocabulary whose refund_decision has a default, read by an escalation rule before the refund policy
  // decides it: every row must see the default there, not the row before's decision.
  const scratch_dir dir;
  const std::string rules = dir.copy_of(KEFU_TEST_RULES_DIR);
  auto edit = [&](const std::string& file, const std::string& after, const std::string& insert) {
    std::ifstream in(rules + "/" + file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto at = text.find(after);
    ASSERT_NE(at, std::string::npos) << after;
    text.insert(at + after.size(), insert);
    std::ofstream(rules + "/" + file) << text;
  };
  edit("facts.yaml", "    derived: the refund policy's decision\n", "    default: manual_review\n");
  edit("escalation.yaml", "inputs:\n", "  refund_decision: {type: enum, values: from facts}\n");
  edit("escalation.yaml", "rules:\n",
       "  - id: ESC-REFUND-L3\n    description: test\n    when: refund_decision == refund\n    then: {tier: L3}\n");
  kr::load_options options;
  options.run_rule_tests = false;
  const auto t = kr::triage_policy::load_directory(rules, options);
  const random_facts facts(*t, 300, 4);
  const auto c = kr::triage_batch(facts.batch(*t), {1, 1});
  for (std::size_t i = 0; i < facts.n; ++i) expect_row_equal(*t, c, i, t->triage(facts.record(*t, i)));
}

TEST(Keywords, AWordWrittenTwiceAfterFoldingCountsAsItsFirstSpelling) {
  // "#曝光#" and "＃曝光＃" fold alike; the set answers with the first (which has an exception), and so must a
  // policy's one-pass scanner.
  const auto p = kr::load_policy_string(
      "policy: dup\nhit_policy: first\ninputs:\n  text: text\nkeywords:\n"
      "  media: {words: [\"#曝光#\", \"＃曝光＃\"], exceptions: {\"#曝光#\": [\"自动#曝光#\"]}}\n"
      "outputs:\n  hit: bool\nrules:\n  - id: R\n    when: contains_any(text, media)\n    then: {hit: true}\n"
      "default: {hit: false}\n",
      "dup.yaml");
  for (const std::string text : {"相机自动#曝光#了", "我要#曝光#你们", "我要＃曝光＃你们"}) {
    auto r = p->make_record();
    p->set(r, 0, text);
    EXPECT_EQ(p->evaluate(r).matched.size() == 1, p->keyword_sets()[0].contains_any(text)) << text;
  }
  std::uint64_t sure = 1, maybe = 1;
  kr::keyword_scanner().scan("曝光", sure, maybe);  // no sets: nothing found, nothing read
  EXPECT_EQ(sure | maybe, 0u);
}

// ---- The compact triage (docs/architecture.md, "Decision: compact triage results") ----

namespace {

std::string spelled(const kr::sla_deadline& d) {
  return d.what + "|" + d.within + "|" + d.calendar + "|" + std::to_string(d.due.unix_seconds()) + "|" + d.rule_id + "|" +
         d.source + "|" + (d.provisional ? "provisional" : "firm");
}

/// Every field of a triage result but the explanation, as text (exact comparison; a difference shows where).
std::string spelled(const kr::triage_result& r) {
  std::string o = "risk " + r.risk.level + "\n";
  for (const auto& s : r.risk.signals) {
    o += "  signal " + s.rule_id + "|" + s.level + "|" + s.description + "|" + s.source + "|";
    for (const auto& w : s.words) o += w + ",";
    o += "\n";
  }
  o += "tier " + r.tier + " by";
  for (const auto& t : r.tier_rules) o += " " + t;
  o += "\nowners";
  for (const auto& w : r.owners) o += " " + w;
  o += "\nflags " + std::to_string(r.follow_up_required) + std::to_string(r.report_required) + std::to_string(r.priority_routing) +
       std::to_string(r.customer_tier_computed) + " customer " + r.customer_tier + " days " +
       (r.days_since_purchase ? std::to_string(*r.days_since_purchase) : "-") + "\n";
  o += "first " + spelled(r.first_response) + "\nresolution " + spelled(r.resolution) + "\nfollow-up " +
       (r.follow_up ? spelled(*r.follow_up) : "-") + "\n";
  for (const auto& t : r.targets) o += "target " + spelled(t) + "\n";
  o += "calendars " + r.business_calendar + " " + r.workday_calendar + "\n";
  o += "refund " + r.refund.decision + "|" + r.refund.rule_id + "|" + r.refund.reason + "|" + r.refund.source + "\n";
  for (const auto& a : r.actions) {
    o += "action " + a.code + "|" + a.description + "|" + a.policy + "|" + a.asked_by + "|" + a.source + "|";
    for (const auto& w : a.owners) o += w + ",";
    o += "|" + (a.deadline ? spelled(*a.deadline) : std::string("-")) + "\n";
  }
  return o;
}

/// What a triage gives (spelled out) or raises (the message, id, rule and class).
std::string outcome(const std::function<kr::triage_result()>& triage) {
  try {
    return spelled(triage());
  } catch (const kefu::error& e) {
    return std::string("error ") + e.what() + " [" + e.id() + "] rule '" + e.rule_id() + "' " + typeid(e).name();
  }
}

}  // namespace

// triage(facts) is the compact triage spelled out; triage(facts, true) is the step-by-step path that spells each
// answer as it decides. Both must say the same on every field, for any facts.
TEST(TriageCompact, SpelledOutItIsTheStepByStepTriageOnEveryField) {
  const auto& t = shipped();
  std::size_t signals = 0, follow_ups = 0, actions = 0, action_deadlines = 0, provisional = 0, no_purchase = 0;
  for (unsigned seed = 21; seed <= 26; ++seed) {
    const random_facts facts(t, 400, seed);
    for (std::size_t i = 0; i < facts.n; ++i) {
      const kr::record f = facts.record(t, i);
      const kr::triage_result reference = t.triage(f, true);
      const kr::compact_triage c = t.triage_compact(f);
      ASSERT_EQ(spelled(c.full(f)), spelled(reference)) << "seed " << seed << " row " << i;
      ASSERT_EQ(spelled(t.triage(f)), spelled(reference)) << "seed " << seed << " row " << i;
      signals += reference.risk.signals.size();
      follow_ups += reference.follow_up ? 1 : 0;
      actions += reference.actions.size();
      for (const auto& a : reference.actions) action_deadlines += a.deadline ? 1 : 0;
      provisional += reference.resolution.provisional ? 1 : 0;
      no_purchase += reference.days_since_purchase ? 0 : 1;
    }
  }
  // The rows reach what the compact result spells out lazily, so the comparison above can fail there.
  EXPECT_GT(signals, 0u);
  EXPECT_GT(follow_ups, 0u);
  EXPECT_GT(actions, 0u);
  EXPECT_GT(action_deadlines, 0u);
  EXPECT_GT(provisional, 0u);  // receipts up to 2028: past the official calendar data (DOM-SLA-8)
  EXPECT_GT(no_purchase, 0u);
}

TEST(TriageCompact, FactsTriageRefusesAreRefusedWithTheSameError) {
  const auto& t = shipped();
  auto both = [&](const kr::record& f) {
    const std::string compact = outcome([&] { return t.triage(f); });
    const std::string reference = outcome([&] { return t.triage(f, true); });
    EXPECT_EQ(compact, reference);
    return compact;
  };
  kr::record missing = t.make_facts();
  t.set_fact(missing, "business", "mall");
  EXPECT_EQ(both(missing).rfind("error missing fact(s) channel, category, received_at [kefu.rules.missing_fact]", 0), 0u);
  kr::record early = t.make_facts();
  t.set_fact(early, "business", "mall");
  t.set_fact(early, "channel", "phone");
  t.set_fact(early, "category", "quality_defect");
  t.set_fact(early, "received_at", "2026-03-01T10:00:00+08:00");
  t.set_fact(early, "purchased_at", "2026-03-02");
  EXPECT_EQ(both(early).rfind("error fact 'purchased_at' (2026-03-02) is after the local date of received_at", 0), 0u);
  kr::record half_index = t.make_facts();  // the customer value index is given whole or not at all (DOM-CH-3)
  t.set_fact(half_index, "business", "mall");
  t.set_fact(half_index, "channel", "phone");
  t.set_fact(half_index, "category", "quality_defect");
  t.set_fact(half_index, "received_at", "2026-03-01T10:00:00+08:00");
  t.set_fact(half_index, "spend_12m", "1000");
  EXPECT_EQ(both(half_index).rfind("error missing fact(s) orders_12m", 0), 0u);
  // A strict calendar (beyond_official: error): a deadline past the official data is an error naming the clock.
  kr::load_options strict;
  strict.beyond_official = kefu::calendar::beyond_official::error;
  strict.run_rule_tests = false;
  const auto s = kr::triage_policy::load_directory(KEFU_TEST_RULES_DIR, strict);
  kr::record late = s->make_facts();
  s->set_fact(late, "business", "mall");
  s->set_fact(late, "channel", "phone");
  s->set_fact(late, "category", "quality_defect");
  s->set_fact(late, "received_at", "2031-06-01T10:00:00+08:00");
  const std::string compact = outcome([&] { return s->triage(late); });
  EXPECT_EQ(compact, outcome([&] { return s->triage(late, true); }));
  EXPECT_NE(compact.find("resolution deadline (7 workdays on cn-mainland): date 2031-06-01 is outside calendar"), std::string::npos)
      << compact;
  EXPECT_NE(compact.find("calendar_range_error"), std::string::npos) << compact;  // the class kept (DOM-SLA-8)
}

TEST(TriageCompact, AsOfPinnedRulesTriageCompactlyAsStepByStep) {
  const auto& t = shipped();
  const auto pinned = t.as_of(cst("2026-01-15T00:00:00"));
  const random_facts facts(*pinned, 200, 31);
  for (std::size_t i = 0; i < facts.n; ++i) {
    const kr::record f = facts.record(*pinned, i);
    ASSERT_EQ(outcome([&] { return pinned->triage(f); }), outcome([&] { return pinned->triage(f, true); })) << i;
  }
}
