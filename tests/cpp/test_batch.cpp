// Columnar evaluation (kefu/rules/batch.hpp): a batch decides each row exactly as policy::evaluate decides
// its record; errors name the row and the input; threads change nothing.
#include <kefu/rules/batch.hpp>

#include "calendar_test_support.hpp"
#include "random_rows.hpp"

#include <gtest/gtest.h>


using kefu::rules::batch;
using kefu::rules::batch_options;
using kefu::rules::decision_columns;
using kefu::rules::value_type;
using kefu_test::random_rows;

namespace {

const std::string rules_dir = KEFU_TEST_RULES_DIR;
const std::string refund_30 = KEFU_TEST_DATA_DIR "/../../benchmarks/data/refund_30.yaml";

void expect_same(const kefu::rules::policy& p, const random_rows& rows, const decision_columns& c) {
  ASSERT_EQ(c.size(), rows.n);
  ASSERT_EQ(c.match_offsets.size(), rows.n + 1);
  std::vector<kefu::rules::output_column> outputs;
  for (std::size_t o = 0; o < p.outputs().size(); ++o) outputs.push_back(c.output(o));
  for (std::size_t i = 0; i < rows.n; ++i) {
    const auto d = p.evaluate(rows.records[i]);
    const std::vector<std::int32_t> matched(c.match_rules.begin() + c.match_offsets[i], c.match_rules.begin() + c.match_offsets[i + 1]);
    ASSERT_EQ(matched, std::vector<std::int32_t>(d.matched.begin(), d.matched.end())) << "row " << i;
    ASSERT_EQ(c.rule_index[i], d.matched.empty() ? -1 : static_cast<std::int32_t>(d.matched.front())) << "row " << i;
    ASSERT_EQ(c.by_default[i] != 0, d.by_default) << "row " << i;
    for (std::size_t o = 0; o < p.outputs().size(); ++o) {
      const kefu::rules::value* want = p.output_of(d, o);
      ASSERT_EQ(c.value_at(i, o), want) << "row " << i << " output " << o;
      ASSERT_EQ(outputs[o].set[i] != 0, want != nullptr);
      if (want) {
        ASSERT_EQ(outputs[o].numbers[i], want->number);
        if (!outputs[o].texts.empty()) {
          ASSERT_EQ(outputs[o].texts[i], want->text);
        }
      }
    }
  }
}

std::string error_of(const std::function<void()>& f) { return kefu_test::error_of(f); }
using kefu_test::id_of;

}  // namespace

TEST(Batch, DecidesAsEvaluateRowByRowOnTheShippedPolicies) {
  for (const char* name : {"refund", "risk", "escalation", "sla-targets", "tiers", "service-calendar"}) {
    const auto p = kefu::rules::load_policy_file(rules_dir + "/" + name + ".yaml");
    for (unsigned seed = 1; seed <= 3; ++seed) {
      const random_rows rows(*p, 2000, seed);
      expect_same(*p, rows, kefu::rules::evaluate_columns(rows.columns(*p), {1, 1}));
    }
  }
}

TEST(Batch, DecidesAsEvaluateRowByRowOnTheBenchmarkTable) {
  const auto p = kefu::rules::load_policy_file(refund_30);
  const random_rows rows(*p, 20000, 7);
  const auto c = kefu::rules::evaluate_columns(rows.columns(*p), {1, 1});
  expect_same(*p, rows, c);
  std::vector<std::int32_t> seen(c.rule_index.begin(), c.rule_index.end());
  std::sort(seen.begin(), seen.end());
  EXPECT_GE(std::unique(seen.begin(), seen.end()) - seen.begin(), 20);  // most rules decide some row
}

TEST(Batch, CollectListsEveryMatchedRuleInOrder) {
  const auto p = kefu::rules::load_policy_file(rules_dir + "/risk.yaml");
  ASSERT_EQ(p->hits(), kefu::rules::hit_policy::collect);
  const random_rows rows(*p, 3000, 11);
  const auto c = kefu::rules::evaluate_columns(rows.columns(*p), {1, 1});
  expect_same(*p, rows, c);
  std::size_t several = 0;
  for (std::size_t i = 0; i < c.size(); ++i) several += c.match_offsets[i + 1] - c.match_offsets[i] >= 2;
  EXPECT_GT(several, 100u);
}

namespace {
const char* with_defaults = R"(policy: defaults
inputs:
  kind: {type: enum, values: [a, b, c]}
  amount: money
  vip: {type: bool, default: "true"}
  note: {type: text, default: "急"}
  level: {type: enum, values: [low, high], default: high}
keywords:
  urgent: [急]
outputs:
  decision: {type: enum, values: [yes, no, maybe]}
  why: text
  score: int
rules:
  - id: URGENT
    when: contains_any(note, urgent) and kind == a
    then: {decision: yes, why: urgent, score: 3}
  - id: VIP
    when: vip and level == high
    then: {decision: maybe, score: 2}
  - id: LARGE
    when: amount > 1000
    then: {decision: no, why: large}
default: {decision: no, why: nothing applies}
)";
}  // namespace

TEST(Batch, MissingValuesTakeTheDefault) {
  const auto p = kefu::rules::load_policy_string(with_defaults, "defaults.yaml");
  const random_rows rows(*p, 3000, 5, 0.3);
  expect_same(*p, rows, kefu::rules::evaluate_columns(rows.columns(*p), {1, 1}));
  // Inputs with a default may be left out altogether.
  batch b(*p, 3);
  b.codes("kind", std::vector<std::int32_t>{0, 1, 2}.data()).numbers("amount", std::vector<std::int64_t>{0, 0, 200000});
  const auto c = kefu::rules::evaluate_columns(b);
  EXPECT_EQ(c.rule_index, (std::vector<std::int32_t>{0, 1, 1}));
  const auto why = c.output(1);
  EXPECT_EQ(why.texts[0], "urgent");
  EXPECT_EQ(why.set, (std::vector<std::uint8_t>{1, 1, 1}));  // VIP leaves `why` to the default
  EXPECT_EQ(why.texts[1], "nothing applies");
  EXPECT_TRUE(c.always_set(0));
  EXPECT_TRUE(c.always_set(1));
  const auto score = c.output(2);
  EXPECT_FALSE(c.always_set(2));
  EXPECT_EQ(score.set, (std::vector<std::uint8_t>{1, 1, 1}));
  EXPECT_EQ(score.numbers, (std::vector<std::int64_t>{3, 2, 2}));
}

TEST(Batch, TypedHelpersAndOwnedColumns) {
  const auto p = kefu::rules::load_policy_string(with_defaults, "defaults.yaml");
  const bool vip[] = {false, true, false, false};
  const std::int32_t kinds[] = {0, 0, 2, -1};
  const std::uint8_t vip_missing[] = {0, 0, 1, 0};
  batch b(*p, 4);
  b.codes("kind", kinds).numbers("amount", std::vector<std::int64_t>{0, 0, 0, 0});
  EXPECT_EQ(b.first_bad_row(), 3u);  // kind is missing at row 3 and has no default
  EXPECT_EQ(error_of([&] { b.check(); }), "row 3: policy 'defaults': missing input(s) kind");
  b = batch(*p, 3);
  b.codes("kind", kinds).numbers("amount", std::vector<std::int64_t>{0, 0, 0}).bools("vip", vip, vip_missing).texts(
      "note", std::vector<std::string>{"", "急", ""});
  EXPECT_EQ(b.first_bad_row(), 3u);
  const auto c = kefu::rules::evaluate_columns(b);
  // row 0: not urgent, not vip → default; row 1: urgent a → URGENT; row 2: vip missing → default true, high → VIP.
  EXPECT_EQ(c.rule_index, (std::vector<std::int32_t>{-1, 0, 1}));
  EXPECT_EQ(c.by_default, (std::vector<std::uint8_t>{1, 0, 0}));
}

TEST(Batch, ErrorsNameTheRowAndTheInput) {
  const auto p = kefu::rules::load_policy_string(with_defaults, "defaults.yaml");
  std::vector<std::int64_t> kind{0, 1, 7, 1}, amount{0, 0, 0, 0}, vip{0, 1, 1, 2};
  std::vector<std::uint8_t> no_amount{0, 1, 0, 0};
  {
    batch b(*p, 4);
    b.numbers("kind", kind.data()).numbers("amount", amount.data());
    EXPECT_EQ(b.first_bad_row(), 2u);
    EXPECT_EQ(error_of([&] { kefu::rules::evaluate_columns(b); }), "row 2: input 'kind': value index 7 is not one of its 3 values");
    EXPECT_EQ(id_of([&] { b.check(); }), "kefu.rules.unknown_value");
    EXPECT_THROW(b.check(), kefu::parse_error);  // the class a bad value has
  }
  {  // a missing input at row 1 comes before the bad value at row 2
    batch b(*p, 4);
    b.numbers("kind", kind.data()).numbers("amount", amount.data(), no_amount.data());
    EXPECT_EQ(error_of([&] { b.check(); }), "row 1: policy 'defaults': missing input(s) amount");
    EXPECT_EQ(id_of([&] { b.check(); }), "kefu.rules.missing_input");
  }
  {  // a converter that says its values are checked is believed (no scan), the others are scanned
    batch b(*p, 4);
    b.numbers("kind", kind.data(), nullptr, true).numbers("amount", amount.data());
    EXPECT_EQ(b.first_bad_row(), 4u);
  }
  {  // bools are 0 or 1
    batch b(*p, 4);
    b.numbers("kind", std::vector<std::int64_t>{0, 0, 0, 0}).numbers("amount", amount.data()).numbers("vip", vip.data());
    EXPECT_EQ(error_of([&] { b.check(); }), "row 3: input 'vip': 2 is not a bool (0 or 1)");
    EXPECT_EQ(id_of([&] { b.check(); }), "kefu.rules.type_mismatch");
  }
  {  // a converter's refusal, at its row; in one row, the column given first wins
    batch b(*p, 4);
    b.numbers("amount", amount.data()).numbers("kind", kind.data());
    b.refuse(0, 2, std::make_exception_ptr(kefu::parse_error("input 'kind': 'x' is not one of a, b, c", {}, {}, "kefu.rules.unknown_value")));
    b.refuse(1, 2, std::make_exception_ptr(kefu::parse_error("input 'amount': bad amount", {}, {}, "kefu.parse")));
    EXPECT_EQ(error_of([&] { b.check(); }), "row 2: input 'amount': bad amount");
    b.refuse(0, 1, std::make_exception_ptr(kefu::parse_error("input 'kind': earlier", {}, {}, "kefu.rules.unknown_value")));
    EXPECT_EQ(error_of([&] { b.check(); }), "row 1: input 'kind': earlier");
  }
  EXPECT_EQ(error_of([&] { batch(*p, 1).slot("knd"); }), "policy 'defaults': unknown input 'knd' (did you mean 'kind'?)");
  EXPECT_EQ(id_of([&] { batch(*p, 1).slot("knd"); }), "kefu.rules.unknown_input");
  EXPECT_EQ(error_of([&] { batch(*p, 1).numbers("kind", kind.data()).numbers("kind", kind.data()); }), "column 'kind' is given twice");
  EXPECT_EQ(error_of([&] { batch(*p, 1).numbers("note", kind.data()); }),
            "column 'note': input 'note' is text, give its values as texts");
  EXPECT_EQ(id_of([&] { batch(*p, 2).numbers("kind", std::vector<std::int64_t>{1}); }), "kefu.rules.column");
  EXPECT_EQ(error_of([&] { batch(*p, 2).numbers("kind", std::vector<std::int64_t>{1}); }),
            "column 'kind' has 1 values, the batch has 2 rows");
}

TEST(Batch, EvaluationErrorsNameTheRow) {
  const auto strict = kefu::rules::load_policy_string(
      "policy: strict\nhit_policy: unique\ninputs: {n: int}\noutputs: {ok: bool}\nrules:\n"
      "  - {id: LOW, when: n < 5, then: {ok: true}}\n  - {id: MID, when: n > 3 and n < 10, then: {ok: false}}\n",
      "strict.yaml");
  const std::vector<std::int64_t> none{1, 2, 20, 4}, both{1, 2, 4, 20};
  for (const unsigned threads : {1u, 3u}) {
    const batch_options opt{threads, 1};
    batch a(*strict, 4);
    a.numbers("n", none.data());
    EXPECT_EQ(error_of([&] { kefu::rules::evaluate_columns(a, opt); }), "row 2: policy 'strict': no rule matches and there is no default");
    EXPECT_EQ(id_of([&] { kefu::rules::evaluate_columns(a, opt); }), "kefu.rules.no_match");
    batch b(*strict, 4);
    b.numbers("n", both.data());
    EXPECT_EQ(error_of([&] { kefu::rules::evaluate_columns(b, opt); }), "row 2: policy 'strict' (hit policy unique): rules LOW and MID both match");
    EXPECT_EQ(id_of([&] { kefu::rules::evaluate_columns(b, opt); }), "kefu.rules.not_unique");
  }
}

TEST(Batch, RecordsDecideAsEvaluateAndErrorsNameTheRow) {
  const auto p = kefu::rules::load_policy_file(rules_dir + "/refund.yaml");
  const random_rows rows(*p, 500, 11);
  const auto decided = kefu::rules::evaluate_records(*p, rows.records);
  ASSERT_EQ(decided.size(), rows.records.size());
  for (std::size_t i = 0; i < decided.size(); ++i) {
    const auto d = p->evaluate(rows.records[i]);
    ASSERT_EQ(decided[i].matched, d.matched) << "row " << i;
    ASSERT_EQ(decided[i].by_default, d.by_default) << "row " << i;
  }
  const auto strict = kefu::rules::load_policy_string(
      "policy: strict\nhit_policy: unique\ninputs: {n: int}\noutputs: {ok: bool}\nrules:\n"
      "  - {id: LOW, when: n < 5, then: {ok: true}}\n  - {id: MID, when: n > 3 and n < 10, then: {ok: false}}\n",
      "strict.yaml");
  std::vector<kefu::rules::record> records;
  for (const char* n : {"1", "2", "4", "20"}) {
    records.push_back(strict->make_record());
    strict->set(records.back(), 0, n);
  }
  EXPECT_EQ(error_of([&] { kefu::rules::evaluate_records(*strict, records); }),
            "row 2: policy 'strict' (hit policy unique): rules LOW and MID both match");
  EXPECT_EQ(id_of([&] { kefu::rules::evaluate_records(*strict, records); }), "kefu.rules.not_unique");
  records.pop_back();
  records.erase(records.begin() + 2);
  EXPECT_EQ(kefu::rules::evaluate_records(*strict, records).size(), 2u);
}

TEST(Batch, ThreadsGiveTheSameResultAndTheSameError) {
  const auto p = kefu::rules::load_policy_file(rules_dir + "/risk.yaml");
  const random_rows rows(*p, 30000, 3);
  const auto one = kefu::rules::evaluate_columns(rows.columns(*p), {1, 1});
  for (const unsigned threads : {2u, 3u, 8u}) {
    const auto many = kefu::rules::evaluate_columns(rows.columns(*p), {threads, 1});
    EXPECT_EQ(many.rule_index, one.rule_index);
    EXPECT_EQ(many.by_default, one.by_default);
    EXPECT_EQ(many.match_offsets, one.match_offsets);
    EXPECT_EQ(many.match_rules, one.match_rules);
  }
  EXPECT_EQ(kefu::rules::evaluate_columns(rows.columns(*p)).match_rules, one.match_rules);  // the default options

  // The earliest failing row wins, whichever share it falls in.
  const auto strict = kefu::rules::load_policy_string(
      "policy: strict\ninputs: {n: int}\noutputs: {ok: bool}\nrules:\n  - {id: LOW, when: n < 5, then: {ok: true}}\n", "strict.yaml");
  std::vector<std::int64_t> n(10000, 1);
  n[9000] = n[7000] = n[2500] = 9;
  batch b(*strict, n.size());
  b.numbers("n", n.data());
  for (const unsigned threads : {1u, 2u, 4u, 7u})
    EXPECT_EQ(error_of([&] { kefu::rules::evaluate_columns(b, {threads, 1}); }),
              "row 2500: policy 'strict': no rule matches and there is no default");
}

TEST(Batch, EmptyBatches) {
  const auto p = kefu::rules::load_policy_string(with_defaults, "defaults.yaml");
  const batch b(*p, 0);  // no columns at all: no row misses anything
  const auto c = kefu::rules::evaluate_columns(b);
  EXPECT_EQ(c.size(), 0u);
  EXPECT_EQ(c.match_offsets, std::vector<std::int64_t>{0});
  EXPECT_TRUE(c.output(0).numbers.empty());
}
