#include <kefu/detail/suggest.hpp>
#include <kefu/rules/policy.hpp>

#include "calendar_test_support.hpp"

#include <gtest/gtest.h>

#include <tuple>

using namespace kefu_test;
using kefu::rules::load_policy_string;

namespace {
const char* refund_policy = R"(policy: refund-demo
version: "1"
hit_policy: first
inputs:
  business: {type: enum, values: [ecommerce, mall, smart_counter, fresh]}
  category: {type: enum, values: [quality_defect, refund_request, billing_error, service_attitude]}
  days_since_purchase: int
  claimed_amount: money
  has_receipt: bool
  used: {type: bool, default: "false"}
  text: {type: text, default: ""}
  tags: {type: set, values: [vip, repeat, collective]}
  received_at: datetime
  purchased_at: date
keywords:
  media: [曝光, 媒体, 微博, 12315]
outputs:
  decision: {type: enum, values: [refund, exchange, deny, manual_review]}
  reason: text
rules:
  - id: R-BILLING
    source: DOM-REF-6
    when: category == billing_error
    then: {decision: refund, reason: refund the overcharge}
  - id: R-QUALITY-7D
    source: DOM-REF-1
    when: category == quality_defect and has_receipt and days_since_purchase in [0..7]
    then: {decision: refund, reason: quality defect within 7 days}
  - id: R-MALL-3D
    when: business == mall and category == refund_request and days_since_purchase <= 3 and not used
    then: {decision: refund}
  - id: R-LARGE
    when: claimed_amount > ¥1,000 or vip in tags
    then: {decision: manual_review, reason: large or VIP}
  - id: R-MEDIA
    when: contains_any(text, media) and business in {ecommerce, mall}
    then: {decision: manual_review, reason: media threat}
  - id: R-CAL
    when: workdays_between(purchased_at, received_at, 'cn-mainland') > 20
    then: {decision: deny, reason: too late}
default: {decision: deny, reason: no rule applies}
)";

kefu::rules::record facts(const kefu::rules::policy& p, std::vector<std::pair<std::string, std::string>> values) {
  auto r = p.make_record();
  for (const auto& [k, v] : values) p.set(r, p.slot(k), v);
  return r;
}

std::vector<std::pair<std::string, std::string>> base() {
  return {{"business", "mall"},          {"category", "quality_defect"},
          {"days_since_purchase", "5"},  {"claimed_amount", "120.00"},
          {"has_receipt", "true"},       {"tags", "[]"},
          {"received_at", "2026-03-02T10:00:00+08:00"}, {"purchased_at", "2026-02-25"}};
}

std::string decide(const kefu::rules::policy& p, std::vector<std::pair<std::string, std::string>> v) {
  const auto d = p.evaluate(facts(p, std::move(v)));
  const auto out = p.outputs_of(d);
  return (d.by_default ? std::string("default") : p.rules()[d.matched[0]].id) + " -> " +
         kefu::rules::format_value(p.outputs()[0], *out[0]);
}

std::vector<std::pair<std::string, std::string>> with(std::vector<std::pair<std::string, std::string>> v,
                                                      const std::string& key, const std::string& value) {
  for (auto& kv : v)
    if (kv.first == key) {
      kv.second = value;
      return v;
    }
  v.emplace_back(key, value);
  return v;
}
}  // namespace

TEST(Policy, FirstHitDecisionsAndBoundaries) {
  const auto p = load_policy_string(refund_policy, "refund.yaml");
  EXPECT_EQ(p->name(), "refund-demo");
  EXPECT_EQ(p->rules().size(), 6u);
  EXPECT_EQ(decide(*p, base()), "R-QUALITY-7D -> refund");
  EXPECT_EQ(decide(*p, with(base(), "days_since_purchase", "7")), "R-QUALITY-7D -> refund");
  EXPECT_EQ(decide(*p, with(base(), "days_since_purchase", "8")), "default -> deny");
  EXPECT_EQ(decide(*p, with(with(base(), "days_since_purchase", "8"), "claimed_amount", "1000.00")), "default -> deny");
  EXPECT_EQ(decide(*p, with(with(base(), "days_since_purchase", "8"), "claimed_amount", "1000.01")), "R-LARGE -> manual_review");
  EXPECT_EQ(decide(*p, with(with(base(), "days_since_purchase", "8"), "tags", "[vip]")), "R-LARGE -> manual_review");
  EXPECT_EQ(decide(*p, with(base(), "category", "billing_error")), "R-BILLING -> refund");
  auto mall = with(with(base(), "category", "refund_request"), "days_since_purchase", "3");
  EXPECT_EQ(decide(*p, mall), "R-MALL-3D -> refund");
  EXPECT_EQ(decide(*p, with(mall, "used", "true")), "default -> deny");
}

TEST(Policy, KeywordsFoldFullWidthAndMatchInsideSentences) {
  const auto p = load_policy_string(refund_policy, "refund.yaml");
  auto v = with(with(base(), "days_since_purchase", "9"), "text", "再不处理我就去微博曝光你们");
  EXPECT_EQ(decide(*p, v), "R-MEDIA -> manual_review");
  EXPECT_EQ(decide(*p, with(v, "text", "我要打１２３１５投诉")), "R-MEDIA -> manual_review");
  EXPECT_EQ(decide(*p, with(v, "text", "请尽快处理")), "default -> deny");
  EXPECT_EQ(decide(*p, with(with(v, "business", "fresh"), "text", "媒体")), "default -> deny");
}

TEST(Policy, CalendarFunctionsInConditions) {
  const auto p = load_policy_string(refund_policy, "refund.yaml");
  // [2026-01-26, 2026-03-02) crosses Spring Festival: 21 working days (the make-up Saturdays 14 and
  // 28 Feb count, 15–23 Feb do not); from 01-27 it is 20, which is not over 20.
  auto v = with(with(with(base(), "days_since_purchase", "30"), "purchased_at", "2026-01-26"), "category", "refund_request");
  EXPECT_EQ(decide(*p, v), "R-CAL -> deny");
  EXPECT_EQ(decide(*p, with(v, "purchased_at", "2026-01-27")), "default -> deny");
}

TEST(Policy, ExplainTracesEveryConditionWithTheValuesRead) {
  const auto p = load_policy_string(refund_policy, "refund.yaml");
  std::vector<kefu::rules::condition_trace> trace;
  kefu::rules::decision d;
  p->evaluate(facts(*p, with(with(base(), "days_since_purchase", "9"), "text", "我要去微博曝光")), d, &trace);
  ASSERT_EQ(d.matched.size(), 1u);
  EXPECT_EQ(p->rules()[d.matched[0]].id, "R-MEDIA");
  // R-QUALITY-7D: three atoms, the last one false.
  std::vector<std::string> quality;
  for (const auto& t : trace)
    if (p->rules()[t.rule].id == "R-QUALITY-7D") quality.push_back(t.text + (t.result ? " = true" : " = false"));
  EXPECT_EQ(quality, (std::vector<std::string>{"category == quality_defect = true", "has_receipt = true",
                                                 "days_since_purchase in [0..7] = false"}));
  const auto media = std::find_if(trace.begin(), trace.end(), [](const auto& t) { return t.text == "contains_any(text, media)"; });
  ASSERT_NE(media, trace.end());
  EXPECT_TRUE(media->result);
  EXPECT_EQ(media->words, (std::vector<std::string>{"微博", "曝光"}));
  EXPECT_EQ(media->reads.at(0), (std::pair<std::string, std::string>{"text", "我要去微博曝光"}));
}

TEST(Policy, MissingInputsAndBadValuesNameTheField) {
  const auto p = load_policy_string(refund_policy, "refund.yaml");
  auto r = p->make_record();
  EXPECT_EQ(error_of([&] { p->evaluate(r); }),
            "policy 'refund-demo': missing input(s) business, category, days_since_purchase, claimed_amount, has_receipt, "
            "tags, received_at, purchased_at");
  EXPECT_EQ(error_of([&] { p->set(r, p->slot("business"), "malls"); }),
            "input 'business': 'malls' is not one of ecommerce, mall, smart_counter, fresh (did you mean 'mall'?)");
  EXPECT_EQ(error_of([&] { p->set(r, p->slot("claimed_amount"), "12.345"); }),
            "input 'claimed_amount': bad amount '12.345': more than two decimal places (amounts are exact to the fen)");
  EXPECT_EQ(error_of([&] { p->set(r, p->slot("has_receipt"), "yes"); }), "input 'has_receipt': bad bool 'yes': write true (a yes/no value is true or false / 请写 true)");
  EXPECT_EQ(error_of([&] { p->slot("day_since_purchase"); }),
            "policy 'refund-demo' has no input 'day_since_purchase' (did you mean 'days_since_purchase'?)");
}

// The rules are tried by one loop without a trace and another with one: both decide alike, and both refuse an
// overflow with the error that names the rule and the part of its condition (with a trace, the traced atom's
// own evaluation is where it is found).
TEST(Policy, ArithmeticOverflowNamesTheRuleWithOrWithoutATrace) {
  const auto p = load_policy_string(
      "policy: o\nhit_policy: first\ninputs:\n  a: int\n  m: money\noutputs:\n  ok: bool\nrules:\n"
      "  - id: DOUBLE\n    when: a * 2 > a\n    then: {ok: true}\n"
      "  - id: SUM\n    when: m + m > m\n    then: {ok: true}\n",
      "o.yaml");
  const std::string limit = "the result is beyond the range of whole numbers (±9.2e18; money ±¥92 trillion)";
  auto r = p->make_record();
  for (const bool traced : {false, true}) {
    SCOPED_TRACE(traced ? "with a trace" : "without a trace");
    std::vector<kefu::rules::condition_trace> trace;
    kefu::rules::decision d;
    auto evaluate = [&](std::int64_t a, std::int64_t m_fen) {
      p->set_number(r, p->slot("a"), a);
      p->set_number(r, p->slot("m"), m_fen);
      p->evaluate(r, d, traced ? &trace : nullptr);
    };
    evaluate(-1, 100);
    EXPECT_EQ(d.matched, (std::vector<std::uint32_t>{1}));
    evaluate(3, 100);
    EXPECT_EQ(d.matched, (std::vector<std::uint32_t>{0}));
    for (const auto& [a, m, rule, part] : {std::tuple{std::int64_t{1} << 62, std::int64_t{100}, "DOUBLE", "a * 2"},
                                           std::tuple{std::int64_t{-1}, std::int64_t{1} << 62, "SUM", "m + m"}}) {
      try {
        evaluate(a, m);  // a * 2 or m + m would wrap negative and decide wrongly
        ADD_FAILURE() << "no error for " << rule;
      } catch (const kefu::error& e) {
        EXPECT_EQ(e.id(), "kefu.rules.overflow");
        EXPECT_EQ(std::string(e.what()), "rule " + std::string(rule) + ": arithmetic overflow in `" + part + "`: " + limit);
        EXPECT_EQ(e.rule_id(), rule);
      }
    }
  }
}

TEST(Policy, HitPoliciesCollectUniquePriority) {
  const std::string head =
      "inputs: {amount: money, vip: bool}\noutputs: {tier: {type: enum, values: [L1, L2, L3]}}\nrules:\n";
  const auto collect = load_policy_string("policy: c\nhit_policy: collect\n" + head +
                                              "  - {id: A, when: amount > 1000, then: {tier: L3}}\n"
                                              "  - {id: B, when: vip, then: {tier: L2}}\n"
                                              "  - {id: C, when: true, then: {tier: L1}}\n",
                                          "c.yaml");
  auto r = collect->make_record();
  collect->set(r, 0, "2000");
  collect->set(r, 1, "true");
  EXPECT_EQ(collect->evaluate(r).matched, (std::vector<std::uint32_t>{0, 1, 2}));
  const auto prio = load_policy_string("policy: p\nhit_policy: priority\n" + head +
                                           "  - {id: A, priority: 1, when: amount > 1000, then: {tier: L3}}\n"
                                           "  - {id: B, priority: 5, when: vip, then: {tier: L2}}\n",
                                       "p.yaml");
  EXPECT_EQ(prio->evaluate(r).matched, (std::vector<std::uint32_t>{1}));
  const auto unique = load_policy_string("policy: u\nhit_policy: unique\n" + head +
                                             "  - {id: A, when: amount > 1000, then: {tier: L3}}\n"
                                             "  - {id: B, when: vip, then: {tier: L2}}\n",
                                         "u.yaml");
  EXPECT_EQ(error_of([&] { unique->evaluate(r); }), "policy 'u' (hit policy unique): rules A and B both match");
  unique->set(r, 1, "false");
  unique->set(r, 0, "10");
  EXPECT_EQ(error_of([&] { unique->evaluate(r); }), "policy 'u': no rule matches and there is no default");
}

TEST(Policy, ChineseNamesWork) {
  const auto p = load_policy_string(
      "policy: 退款\ninputs:\n  类别: {type: enum, values: [质量问题, 服务态度]}\n  天数: int\n"
      "outputs:\n  决定: {type: enum, values: [退款, 拒绝]}\nrules:\n"
      "  - {id: 质量七天, when: 类别 == 质量问题 and 天数 <= 7, then: {决定: 退款}}\ndefault: {决定: 拒绝}\n",
      "退款.yaml");
  auto r = p->make_record();
  p->set(r, p->slot("类别"), "质量问题");
  p->set(r, p->slot("天数"), "7");
  EXPECT_EQ(kefu::rules::format_value(p->outputs()[0], *p->outputs_of(p->evaluate(r))[0]), "退款");
}

TEST(Policy, UnusedKeywordSetsAreWarnings) {
  const auto p = load_policy_string(
      "policy: w\ninputs: {text: text}\nkeywords:\n  used: [a]\n  spare: [b]\noutputs: {hit: bool}\n"
      "rules:\n  - id: A\n    when: contains_any(text, used)\n    then: {hit: true}\ndefault: {hit: false}\n",
      "w.yaml");
  ASSERT_EQ(p->warnings().size(), 1u);
  EXPECT_EQ(kefu::error::render(p->warnings()[0].message, p->warnings()[0].where, ""),
            "w.yaml:5:3: keyword set 'spare' is not used by any rule");
}

TEST(Policy, ArithmeticKeepsUnitsAndStaysExact) {
  const auto p = load_policy_string(
      "policy: a\ninputs: {claimed: money, order: money, wait: duration}\noutputs: {hit: bool}\nrules:\n"
      "  - {id: DOUBLE, when: claimed > order * 2, then: {hit: true}}\n"
      "  - {id: TENTH, when: claimed * 10 < order and wait >= 1.5 * 1h, then: {hit: true}}\n"
      "  - {id: SUM, when: claimed + order > ¥1000.00 and order / 4 == ¥250.01, then: {hit: true}}\n"
      "default: {hit: false}\n",
      "a.yaml");
  auto decide = [&](const char* claimed, const char* order, const char* wait) {
    auto r = p->make_record();
    p->set(r, 0, claimed);
    p->set(r, 1, order);
    p->set(r, 2, wait);
    const auto d = p->evaluate(r);
    return d.by_default ? std::string("default") : p->rules()[d.matched[0]].id;
  };
  EXPECT_EQ(decide("200.01", "100", "0s"), "DOUBLE");
  EXPECT_EQ(decide("200.00", "100", "0s"), "default");
  EXPECT_EQ(decide("9.99", "100", "90min"), "TENTH");
  EXPECT_EQ(decide("9.99", "100", "89min"), "default");
  EXPECT_EQ(decide("500", "1000.04", "0s"), "SUM");
  EXPECT_EQ(decide("500", "1000.00", "0s"), "default");
  EXPECT_EQ(error_of([] { load_policy_string("policy: a\ninputs: {claimed: money, order: money}\noutputs: {hit: bool}\n"
                                             "rules:\n  - {id: X, when: claimed > order * order, then: {hit: true}}\n",
                                             "a.yaml"); }),
            "a.yaml:5:29: rule X: '*' needs a number literal on one side (e.g. order_amount * 2)");
}

// People who type Chinese: full-width punctuation and yes/是 get a hint that says what to type instead.
TEST(Policy, FullWidthPunctuationAndYesNoGetHints) {
  auto message = [](const std::string& when) {
    try {
      load_policy_string("policy: p\ninputs: {has_receipt: bool, days: int}\noutputs: {ok: bool}\nrules:\n"
                         "  - {id: R, when: \"" + when + "\", then: {ok: true}}\n",
                         "p.yaml");
    } catch (const kefu::error& e) {
      return std::string(e.what());
    }
    return std::string("loaded");
  };
  EXPECT_EQ(message("has_receipt ＝＝ true"),
            "p.yaml:5:32: rule R: full-width '＝' here: use ASCII '=' (switch the input method to half-width "
            "punctuation / 请改用半角 '=')");
  EXPECT_EQ(message("（days > 7) and has_receipt"),
            "p.yaml:5:20: rule R: full-width '（' here: use ASCII '(' (switch the input method to half-width "
            "punctuation / 请改用半角 '(')");
  EXPECT_EQ(message("days>7，has_receipt"),
            "p.yaml:5:26: rule R: full-width '，' here: use ASCII ',' (switch the input method to half-width "
            "punctuation / 请改用半角 ',')");
  EXPECT_EQ(message("has_receipt == yes"),
            "p.yaml:5:35: rule R: write true, not 'yes' (a yes/no input is true or false / 请写 true)");
  EXPECT_EQ(message("has_receipt == 否"),
            "p.yaml:5:35: rule R: write false, not '否' (a yes/no input is true or false / 请写 false)");
  EXPECT_EQ(message("has_receipt == true and days > 7"), "loaded");
}

// Did-you-mean counts a swap of two neighbouring characters as one edit, the commonest typo (#13).
TEST(Policy, DidYouMeanForgivesASwappedPair) {
  EXPECT_EQ(kefu::detail::edit_distance("medai", "media"), 1u);
  EXPECT_EQ(kefu::detail::edit_distance("退款", "款退"), 1u);
  EXPECT_EQ(kefu::detail::edit_distance("abc", "abc"), 0u);
  EXPECT_EQ(kefu::detail::edit_distance("kitten", "sitting"), 3u);
  const std::string yaml =
      "policy: p\ninputs: {text: text}\nkeywords:\n  media: [微博]\noutputs: {ok: bool}\nrules:\n"
      "  - {id: A, when: 'contains_any(text, medai)', then: {ok: true}}\ndefault: {ok: false}\n";
  EXPECT_EQ(error_of([&] { load_policy_string(yaml, "p.yaml"); }),
            "p.yaml:7:39: rule A: unknown keyword set 'medai' (did you mean 'media'?)");
}
