// Triage with the shipped rules directory, from C++ (issue: default policy).
#include <kefu/rules/triage.hpp>

#include "calendar_test_support.hpp"

#include <gtest/gtest.h>

using namespace kefu_test;

namespace {
const kefu::rules::triage_policy& shipped() {
  static const auto p = kefu::rules::triage_policy::load_directory(KEFU_TEST_RULES_DIR);
  return *p;
}
kefu::rules::record facts(std::vector<std::pair<std::string, std::string>> given) {
  const auto& t = shipped();
  auto r = t.make_facts();
  for (const auto& [k, v] : given) t.set_fact(r, k, v);
  return r;
}
}  // namespace

TEST(Triage, QualityDefectWithMediaThreatAcrossSpringFestival) {
  const auto r = shipped().triage(facts({{"business", "mall"},
                                          {"channel", "phone"},
                                          {"category", "quality_defect"},
                                          {"received_at", "2026-02-13T10:00:00+08:00"},
                                          {"purchased_at", "2026-02-08"},
                                          {"has_receipt", "true"},
                                          {"text", "再不退我就发微博曝光"}}));
  EXPECT_EQ(r.risk.level, "high");
  ASSERT_EQ(r.risk.signals.size(), 1u);
  EXPECT_EQ(r.risk.signals[0].rule_id, "RISK-MEDIA");
  EXPECT_EQ(r.risk.signals[0].words, (std::vector<std::string>{"微博", "曝光"}));
  EXPECT_EQ(r.tier, "L3");
  EXPECT_EQ(r.tier_rules, (std::vector<std::string>{"ESC-CATEGORY-L3"}));
  EXPECT_EQ(r.owners, (std::vector<std::string>{"supervisor", "qc", "legal"}));
  EXPECT_TRUE(r.report_required);
  EXPECT_EQ(cst_text(r.first_response.due), "2026-02-14T10:00:00+08:00");
  EXPECT_EQ(cst_text(r.resolution.due), "2026-03-03T00:00:00+08:00");
  EXPECT_EQ(r.resolution.calendar, "cn-mainland");
  EXPECT_EQ(r.refund.decision, "refund");
  EXPECT_EQ(r.refund.rule_id, "REF-QUALITY-7D");
  EXPECT_EQ(*r.days_since_purchase, 5);
}

TEST(Triage, FreshFoodUsesTheShiftCalendarForBusinessHours) {
  const auto r = shipped().triage(facts({{"business", "fresh"},
                                          {"channel", "online"},
                                          {"category", "live_seafood_dead"},
                                          {"received_at", "2026-02-16T23:00:00+08:00"}}));
  EXPECT_EQ(r.tier, "L2");
  EXPECT_EQ(r.refund.rule_id, "REF-FRESH-DEAD-OR-SPOILED");
  const auto verify = std::find_if(r.targets.begin(), r.targets.end(), [](const auto& t) { return t.rule_id == "SLA-LIVE-SEAFOOD-VERIFY"; });
  ASSERT_NE(verify, r.targets.end());
  EXPECT_EQ(cst_text(verify->due), "2026-02-17T11:00:00+08:00");
  ASSERT_TRUE(r.follow_up.has_value());
  EXPECT_EQ(cst_text(r.resolution.due), "2026-02-18T23:00:00+08:00");
  EXPECT_EQ(cst_text(r.follow_up->due), "2026-02-27T00:00:00+08:00");  // 3 workdays after 18 Feb: 24, 25, 26 Feb
}

TEST(Triage, BadFactsNameTheField) {
  const auto& t = shipped();
  auto r = t.make_facts();
  EXPECT_EQ(error_of([&] { t.set_fact(r, "chanel", "phone"); }), "unknown fact 'chanel' (did you mean 'channel'?)");
  EXPECT_EQ(error_of([&] { t.set_fact(r, "business", "supermarket"); }),
            "fact 'business': 'supermarket' is not one of ecommerce, mall, smart_counter, fresh");
  EXPECT_EQ(error_of([&] { t.set_fact(r, "tier", "L1"); }), "fact 'tier' is derived (the escalation policy's tier); do not give it");
  EXPECT_EQ(error_of([&] { t.triage(r); }), "missing fact(s) business, channel, category, received_at");
}

TEST(Triage, DirectoryErrorsAreCaughtAtLoad) {
  scratch_dir dir;
  // A policy input that disagrees with the facts vocabulary is an error at the input.
  std::filesystem::copy(KEFU_TEST_RULES_DIR, dir.path / "rules", std::filesystem::copy_options::recursive);
  const auto risk = dir.path / "rules" / "risk.yaml";
  std::string text;
  {
    std::ifstream in(risk);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  const auto at = text.find("  repeat_complaints: int");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, std::string("  repeat_complaints: int").size(), "  repeat_complaints: decimal");
  std::ofstream(risk) << text;
  const std::string msg = error_of([&] { kefu::rules::triage_policy::load_directory((dir.path / "rules").string()); });
  EXPECT_NE(msg.find("risk.yaml:"), std::string::npos) << msg;
  EXPECT_NE(msg.find(": input 'repeat_complaints' differs from the fact in the vocabulary ("), std::string::npos) << msg;
}

TEST(TriagePartial, WhatTheGivenFactsSettleIsPassedDownTheChain) {
  // No category and no receipt time (both required): RISK-SAFETY-CATEGORY could fire, so the level is normal
  // or critical; the tier could be any; the refund depends on the category too.
  const auto& t = shipped();
  auto open = t.triage_partial(facts({{"business", "ecommerce"}, {"channel", "online"}, {"text", "快递三天了还没到"}}));
  EXPECT_EQ(open.missing, (std::vector<std::string>{"category", "received_at"}));  // no purchased_at: "no purchase date", as in triage
  EXPECT_EQ(open.risk_levels, (std::vector<std::string>{"normal", "critical"}));
  EXPECT_EQ(open.tiers, (std::vector<std::string>{"L1", "L2", "L3"}));
  EXPECT_GT(open.refund_decisions.size(), 1u);
  ASSERT_EQ(open.policies.size(), 6u);
  EXPECT_FALSE(open.policies[0].second.settled);
  EXPECT_EQ(open.policies[0].second.missing, (std::vector<std::string>{"category"}));
  const std::string text = t.explain_partial(open);
  EXPECT_NE(text.find("not given: category, received_at / 未提供\n"
                      "risk level: not settled — normal or critical / 尚未确定\n"
                      "tier: not settled — L1, L2 or L3 / 尚未确定\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  ? RISK-SAFETY-CATEGORY: category == safety_injury   (could fire: needs category)\n"), std::string::npos);
  EXPECT_NE(text.find("  ✗ RISK-MEDIA: contains_any(text, media)\n"), std::string::npos);

  // The category settles the chain: a late delivery with a calm text is normal risk and L2.
  auto settled = t.triage_partial(facts({{"business", "ecommerce"}, {"channel", "online"}, {"category", "late_delivery"},
                                         {"text", "快递三天了还没到"}}));
  EXPECT_EQ(settled.missing, (std::vector<std::string>{"received_at"}));
  EXPECT_EQ(settled.risk_levels, (std::vector<std::string>{"normal"}));
  EXPECT_EQ(settled.tiers, (std::vector<std::string>{"L2"}));
  EXPECT_EQ(settled.refund_decisions, (std::vector<std::string>{"manual_review"}));  // no purchase date
  EXPECT_TRUE(settled.policies[2].second.settled);  // the tier's terms follow from the settled tier
}

// DOM-CH-3: customer_tier given is taken as it is; left out, it is computed from the customer value index.
TEST(TriageCustomerTier, GivenWinsComputedOtherwiseAllFourIndexFactsOrNone) {
  const std::vector<std::pair<std::string, std::string>> ticket = {
      {"business", "mall"}, {"channel", "phone"}, {"category", "consultation"}, {"received_at", "2026-03-02T10:00:00+08:00"}};
  auto with = [&](std::vector<std::pair<std::string, std::string>> more) {
    auto all = ticket;
    all.insert(all.end(), more.begin(), more.end());
    return shipped().triage(facts(all));
  };
  const std::vector<std::pair<std::string, std::string>> big = {
      {"spend_12m", "10000.00"}, {"orders_12m", "12"}, {"repurchase_rate", "0.5"}, {"complaints_12m", "1"}};
  auto computed = with(big);
  EXPECT_EQ(computed.customer_tier, "A");
  EXPECT_TRUE(computed.customer_tier_computed);
  auto small = big;
  small[0].second = "499.99";
  EXPECT_EQ(with(small).customer_tier, "D");  // CVI-C needs ¥500.00: the default
  // Given explicitly, the tier wins over an index that says otherwise (the CRM's grade is the record).
  auto given_too = big;
  given_too.push_back({"customer_tier", "C"});
  const auto given = with(given_too);
  EXPECT_EQ(given.customer_tier, "C");
  EXPECT_FALSE(given.customer_tier_computed);
  // Neither: no tier.
  const auto neither = with({});
  EXPECT_EQ(neither.customer_tier, "");
  EXPECT_FALSE(neither.customer_tier_computed);
  // Part of the index is an error naming what is missing.
  try {
    with({{"spend_12m", "8000"}, {"orders_12m", "3"}});
    FAIL() << "no error";
  } catch (const kefu::error& e) {
    EXPECT_EQ(std::string(e.what()), "missing fact(s) repurchase_rate, complaints_12m: the customer value index (policy "
                                     "'customer-value') needs all of its facts, or give customer_tier");
    EXPECT_EQ(e.id(), "kefu.rules.missing_fact");
  }
  // The explanation starts with the customer-value policy's reasoning.
  const auto explained = shipped().triage(facts([&] {
                                            auto all = ticket;
                                            all.insert(all.end(), big.begin(), big.end());
                                            return all;
                                          }()),
                                          true);
  EXPECT_EQ(explained.explanation.rfind("policy customer-value", 0), 0u) << explained.explanation.substr(0, 200);
}
