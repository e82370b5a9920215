// A corpus of malformed policy files (tests/data/malformed_policies), each with exactly one defect.
// Every file must fail to load with an exact message: file, line and column (1-based, pointing at
// the offending token; inside a `when` at the exact character of the condition), the rule id where
// one applies, and the wording — so a change to any of them is a visible, reviewed change.
// Columns count characters, not UTF-8 bytes: they must match what an editor shows on a line with
// Chinese names. An entry marked LOADER records what the loader said when the corpus was written,
// before it was fixed to give the pinned message.
#include <kefu/rules/policy.hpp>

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace {

enum class thrown { parse_error, policy_error };

struct corpus_case {
  const char* file;
  thrown kind;
  /// what() after "<dir>/<file>:": "line:col: [rule ID: ]detail", or " detail" when there is no position.
  const char* message;
};

std::ostream& operator<<(std::ostream& os, const corpus_case& c) { return os << c.file; }

const std::string corpus_dir = KEFU_TEST_DATA_DIR "/malformed_policies/";

constexpr thrown yaml = thrown::parse_error;
constexpr thrown policy = thrown::policy_error;

const corpus_case corpus[] = {
    // ---- YAML syntax (kefu::parse_error) ----
    // LOADER: yaml-cpp reports where it gave up (17:7, the next rule's `id:`) in its own jargon;
    // the unclosed '{' is at 16:11.
    {"01_yaml_unclosed_flow_mapping.yaml", yaml, "16:11: invalid YAML: '{' is not closed (add the matching '}')"},
    // LOADER: "illegal map value" says nothing a rule author can act on.
    {"02_yaml_bad_indentation.yaml", yaml,
     "13:11: invalid YAML: unexpected ':' (is this line indented too far, or does a value containing ': ' need quotes?)"},
    // LOADER: reported as "5:2: end of map not found"; the tab is at 5:1 and is the whole problem.
    {"03_yaml_tab_indentation.yaml", yaml, "5:1: invalid YAML: a tab indents this line; YAML indents with spaces only"},

    // ---- the document ----
    {"04_not_a_mapping.yaml", policy, "1:1: a policy file must be a mapping starting with `policy: NAME`"},
    {"05_missing_policy_key.yaml", policy, "1:1: a policy file needs `policy: NAME`"},
    {"06_unknown_top_level_key.yaml", policy, "6:1: unknown key 'ouputs' in a policy (did you mean 'outputs'?)"},
    {"07_missing_inputs.yaml", policy, "1:9: a policy needs `inputs:` (the facts its rules read)"},
    {"08_inputs_not_a_mapping.yaml", policy, "4:3: `inputs` must map names to types, e.g. vip: bool"},
    {"09_unknown_type_did_you_mean.yaml", policy,
     "4:19: unknown type 'mony' for input 'claimed_amount' (expected bool, int, decimal, money, duration, date, datetime, "
     "enum, set, text or deadline) (did you mean 'money'?)"},
    {"10_enum_without_values.yaml", policy, "3:3: input 'category' (enum) needs `values: [a, b, …]`"},
    // LOADER: columns count UTF-8 bytes (reported 3:61); the second 质量问题 is character 41.
    {"11_duplicate_enum_value.yaml", policy, "3:41: value '质量问题' is listed twice in input '类别'"},
    // LOADER: reported "4:44: `values` only applies to enum and set inputs": points at the list rather than
    // the `values` key, and does not name the input.
    {"12_values_on_non_enum.yaml", policy, "4:36: input 'days_since_purchase' is int: `values` only applies to enum and set inputs"},
    {"13_bad_input_default.yaml", policy, "5:31: input 'used': bad bool 'no': write false (a yes/no value is true or false / 请写 false)"},
    {"14_duplicate_input.yaml", policy, "6:3: input 'claimed_amount' is declared twice (first at 4:3)"},
    {"15_missing_outputs.yaml", policy, "1:9: a policy needs `outputs:` (what its rules decide)"},

    // ---- keyword sets ----
    // LOADER: byte column (reported 6:11).
    {"16_empty_keyword_set.yaml", policy, "6:7: keyword set '监管' is empty"},
    {"17_duplicate_keyword_set.yaml", policy, "7:3: keyword set '媒体曝光' is declared twice (first at 5:3)"},
    // LOADER: byte column (reported 5:11).
    {"18_keyword_set_not_a_list.yaml", policy, "5:7: keyword set '监管' must be a list of words"},
    // LOADER: byte column (reported 5:36).
    {"19_duplicate_keyword.yaml", policy, "5:20: '中毒' is listed twice in keyword set '安全'"},

    // ---- rules ----
    {"20_missing_rules.yaml", policy, "1:9: a policy needs `rules:`, a list of rules with id, when and then"},
    {"21_rule_not_a_mapping.yaml", policy, "10:5: a rule must be a mapping with id, when and then"},
    {"22_rule_missing_id.yaml", policy, "11:5: a rule needs `id:`"},
    {"23_duplicate_rule_id.yaml", policy, "15:9: rule 退款-质量: duplicate rule id '退款-质量' (first at 9:5)"},
    {"24_unknown_rule_key.yaml", policy, "9:5: rule REF-BILLING: unknown key 'than' in a rule (did you mean 'then'?)"},
    {"25_rule_missing_when.yaml", policy,
     "7:5: rule ESC-L3-QUALITY: a rule needs `when:` (write `when: true` for a rule that always applies)"},
    {"26_rule_missing_then.yaml", policy, "7:5: rule 风险-集体: a rule needs `then:` with the outputs it decides"},
    {"27_unknown_output_in_then.yaml", policy, "10:12: rule REF-BILLING: unknown output 'decison' (did you mean 'decision'?)"},
    // LOADER: byte column (reported 11:20).
    {"28_bad_output_value.yaml", policy, "11:16: rule 风险-安全: output '风险': '很高' is not one of 普通, 高, 严重 (did you mean '高'?)"},
    // LOADER: reported at the value (10:15); the `priority` key is what does not belong.
    {"29_priority_without_priority_hit_policy.yaml", policy,
     "10:5: rule ESC-L3-AMOUNT: `priority` only applies under hit_policy: priority"},
    {"30_missing_priority_under_priority.yaml", policy,
     "13:5: rule ESC-L2-REFUND: every rule needs `priority:` under hit_policy: priority"},
    {"31_bad_hit_policy.yaml", policy,
     "2:13: unknown hit_policy 'priorty' (expected first, collect, unique or priority) (did you mean 'priority'?)"},
    {"32_bad_zone.yaml", policy,
     "2:7: unknown or unsupported time zone 'Asia/Beijing': use a UTC offset such as +08:00 (zone ids are accepted only "
     "for zones without daylight-saving time, e.g. Asia/Shanghai)"},

    // ---- conditions (`when`) ----
    {"33_when_unknown_input.yaml", policy,
     "11:58: rule REF-QUALITY-7D: unknown input 'day_since_purchase' (did you mean 'days_since_purchase'?)"},
    {"34_when_enum_value_not_in_enum.yaml", policy,
     "9:39: rule REF-QUALITY: 'qualty_defect' is not a value of category (values: quality_defect, refund_request, "
     "billing_error) (did you mean 'quality_defect'?)"},
    {"35_when_type_mismatch_money_vs_date.yaml", policy, "10:42: rule REF-NEW-POLICY: cannot compare an amount of money with a date"},
    // LOADER: reported 9:11 (the start of the comparison); the offending token is '<' (character 16).
    {"36_when_text_compared_with_less_than.yaml", policy, "9:16: rule 风险-原话: text can only be compared with == or !="},
    {"37_when_single_equals.yaml", policy, "8:20: rule REF-BILLING: use '==' to compare ('=' is not an operator)"},
    {"38_when_double_ampersand.yaml", policy, "9:38: rule REF-QUALITY: use 'and' instead of '&&'"},
    // LOADER: byte column (reported 10:54).
    {"39_when_exclamation_not.yaml", policy, "10:38: rule 退款-三天: use 'not' instead of '!'"},
    {"40_when_unclosed_parenthesis.yaml", policy, "10:97: rule REF-7D: expected ')' to close '(' (the condition ended)"},
    // LOADER: byte column (reported 8:27).
    {"41_when_unclosed_text_literal.yaml", policy, "8:19: rule 风险-曝光: text literal is not closed"},
    // LOADER: no way out (reported "empty condition"); the missing-`when` error already has the right hint.
    {"42_when_empty_condition.yaml", policy,
     "8:12: rule REF-BILLING: empty condition (write `when: true` for a rule that always applies)"},
    {"43_when_trailing_garbage.yaml", policy, "8:37: rule REF-BILLING: unexpected 'refund' after a complete condition"},
    {"44_when_money_too_many_decimals.yaml", policy,
     "9:58: rule REF-SMALL: '12.345' has more decimals than money (two decimals) allows"},
    {"45_when_duration_without_unit.yaml", policy,
     "10:33: rule ESC-SLOW-RESPONSE: a duration needs a unit: write e.g. 30min or 30h"},
    {"46_when_unknown_function.yaml", policy,
     "10:42: rule REF-LATE: unknown function 'workday_between' (did you mean 'workdays_between'?) (functions: "
     "contains_any, days_between, workdays_between)"},
    // LOADER: byte column (reported 10:38).
    {"47_when_unknown_keyword_set.yaml", policy, "10:30: rule 风险-安全: unknown keyword set '安全词' (did you mean '安全'?)"},
    // LOADER: byte column (reported 11:27), and the hint "contains_any(text, 媒体曝光)" names an input this policy
    // does not have: it should name the policy's text input.
    {"48_when_keyword_set_as_value.yaml", policy,
     "11:19: rule 风险-高: keyword set '媒体曝光' can only be used inside contains_any(客户原话, 媒体曝光)"},
    {"49_when_bad_date_literal.yaml", policy,
     "9:58: rule REF-SPRING-FESTIVAL: bad date '2026-02-30': expected an existing date as YYYY-MM-DD"},
    {"50_when_range_ends_before_start.yaml", policy, "9:69: rule REF-QUALITY-7D: the range ends before it starts"},
    {"51_when_not_boolean.yaml", policy, "8:11: rule REF-LARGE: a condition must be true or false, but this is an amount of money"},
    {"52_when_workdays_unknown_calendar.yaml", policy,
     "11:86: rule ESC-L3-OVERDUE: no built-in calendar 'cn-mainlnd' (did you mean 'cn-mainland'?); built-in: always, "
     "cn-mainland, cn-office, fresh-shifts"},

    // ---- further defects ----
    // LOADER: reported "unknown key 'default' in output 'decision' (did you mean 'default'?)": suggests the very
    // key it rejects.
    {"53_output_with_default.yaml", policy,
     "5:65: output 'decision' cannot have a `default` (the policy's `default:` gives the outputs when no rule matches)"},
    // LOADER: loads without an error: the second `rules:` is silently ignored (yaml-cpp keeps duplicate keys).
    {"54_duplicate_top_level_key.yaml", policy, "12:1: duplicate key 'rules' (first at 7:1)"},
    // LOADER: loads without an error: the second `when:` is silently ignored.
    {"55_rule_duplicate_when.yaml", policy, "11:5: rule REF-QUALITY: duplicate key 'when' (first at 9:5)"},
    // LOADER: loads without an error: the last value silently wins.
    {"56_then_duplicate_output.yaml", policy, "9:20: rule 退款-帐务: duplicate key '决定' (first at 9:12)"},
    // LOADER: reported 10:59 (past the end of the `when: >` line); day_since_purchase is at 12:11.
    {"57_when_folded_block_error.yaml", policy,
     "12:11: rule REF-QUALITY-7D: unknown input 'day_since_purchase' (did you mean 'days_since_purchase'?)"},
    // LOADER: reported 12:17 (the column of '|' + 2 is taken for the content's indentation); it is 12:11.
    {"58_when_literal_block_error.yaml", policy,
     "12:11: rule REF-QUALITY-7D: unknown input 'day_since_purchase' (did you mean 'days_since_purchase'?)"},
    // LOADER: reported 10:58 (a plain scalar's line breaks are folded away); it is 11:11.
    {"59_when_plain_multiline_error.yaml", policy,
     "11:11: rule REF-QUALITY-7D: unknown input 'day_since_purchase' (did you mean 'days_since_purchase'?)"},
    // LOADER: reported 9:47: byte column, and the two '' escapes before the '=' are not counted.
    {"60_when_single_quoted_escape.yaml", policy, "9:33: rule 风险-曝光: use '==' to compare ('=' is not an operator)"},
    // LOADER: reported "cannot compare a int with a money".
    {"61_when_int_vs_money.yaml", policy, "10:42: rule REF-QUALITY-7D: cannot compare an int with an amount of money"},
    // LOADER: reported "9:5: `when` must be a single value, not a null": the line of the next key, no rule id,
    // YAML jargon for "you wrote nothing".
    {"62_when_null.yaml", policy,
     "8:5: rule REF-BILLING: empty condition (write `when: true` for a rule that always applies)"},
    {"63_empty_file.yaml", policy, "1:1: the file is empty: a policy file starts with `policy: NAME`"},
    // LOADER: byte column (reported 10:36).
    {"64_when_chinese_column.yaml", policy,
     "10:27: rule 风险-高: unknown input '重复投诉数' (did you mean '重复投诉次数'?)"},
};

class PolicyCorpusFile : public ::testing::TestWithParam<corpus_case> {};

TEST_P(PolicyCorpusFile, FailsWithExactMessage) {
  const corpus_case& c = GetParam();
  const std::string path = corpus_dir + c.file;
  try {
    kefu::rules::load_policy_file(path);
    ADD_FAILURE() << c.file << " loaded without an error";
  } catch (const kefu::error& e) {
    EXPECT_EQ(e.what(), path + ":" + c.message);
    const bool is_parse = dynamic_cast<const kefu::parse_error*>(&e) != nullptr;
    const bool is_policy = dynamic_cast<const kefu::policy_error*>(&e) != nullptr;
    if (c.kind == thrown::parse_error)
      EXPECT_TRUE(is_parse) << "expected kefu::parse_error for invalid YAML";
    else
      EXPECT_TRUE(is_policy) << "expected kefu::policy_error";
  }
}

std::string test_name(const ::testing::TestParamInfo<corpus_case>& info) {
  std::string name = info.param.file;
  name = name.substr(0, name.rfind(".yaml"));
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(PolicyCorpus, PolicyCorpusFile, ::testing::ValuesIn(corpus), test_name);

TEST(PolicyCorpus, EveryFileHasAnExpectationAndEveryExpectationAFile) {
  std::set<std::string> on_disk, listed;
  for (const auto& entry : std::filesystem::directory_iterator(corpus_dir))
    if (entry.path().extension() == ".yaml") on_disk.insert(entry.path().filename().string());
  for (const corpus_case& c : corpus) {
    EXPECT_TRUE(listed.insert(c.file).second) << c.file << " is listed twice";
  }
  for (const auto& f : on_disk) EXPECT_TRUE(listed.count(f)) << f << " has no expectation in the corpus table";
  for (const auto& f : listed) EXPECT_TRUE(on_disk.count(f)) << f << " is listed but not in " << corpus_dir;
  EXPECT_GE(on_disk.size(), 45u);
}

}  // namespace
