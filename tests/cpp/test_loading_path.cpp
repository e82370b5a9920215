// One loading path (docs/reliability.md): triage_policy::load_directory runs the directory's rule tests, and
// triage_policy_handle and policy_handle refuse a failing one with the same error (kefu.rules.rule_test at the
// case's file and line). load_options::run_rule_tests = false is raw loading.
#include <kefu/kpi/load.hpp>
#include <kefu/rules/policy_handle.hpp>
#include <kefu/rules/triage.hpp>

#include "calendar_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

using namespace kefu_test;
namespace kr = kefu::rules;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The text up to (not including) the first line that starts with `marker`.
std::string cut_before(const std::string& text, const std::string& marker) {
  const auto at = text.find("\n" + marker);
  EXPECT_NE(at, std::string::npos) << marker;
  return text.substr(0, at + 1);
}

/// Line and column (1-based, in bytes of ASCII text) of the first `needle` after `after`.
std::pair<int, int> position_of(const std::string& text, const std::string& needle, const std::string& after = "") {
  const auto from = after.empty() ? 0 : text.find(after);
  const auto at = text.find(needle, from);
  EXPECT_NE(at, std::string::npos) << needle;
  const auto line_start = text.rfind('\n', at);
  const int line = static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n')) + 1;
  return {line, static_cast<int>(at - (line_start == std::string::npos ? 0 : line_start + 1)) + 1};
}

kr::load_options raw() {
  kr::load_options o;
  o.run_rule_tests = false;
  return o;
}

/// The error of class E that `f` throws (fails the test when it throws nothing or something else).
template <class E>
E thrown(const std::function<void()>& f) {
  try {
    f();
  } catch (const E& e) {
    return e;
  }
  ADD_FAILURE() << "nothing of the expected class thrown";
  return E("none");
}

kefu::policy_error policy_error_of(const std::function<void()>& f) { return thrown<kefu::policy_error>(f); }

}  // namespace

TEST(LoadingPath, TheShippedRulesRunEveryRuleTestAtLoad) {
  const auto p = kr::triage_policy::load_directory(KEFU_TEST_RULES_DIR);
  EXPECT_TRUE(p->rule_tests_run());
  EXPECT_EQ(p->rule_test_cases(), 666u);  // every case of rules/tests/*.yaml: 10 + 14 + 38 + 85 + 86 + 368 + 4 + 48 + 13
  const auto q = kr::triage_policy::load_directory(KEFU_TEST_RULES_DIR, raw());
  EXPECT_FALSE(q->rule_tests_run());
  EXPECT_EQ(q->rule_test_cases(), 0u);
}

TEST(LoadingPath, ATruncatedPolicyIsRefusedNamingTheSuiteTheCaseAndTheLine) {
  scratch_dir dir;
  const std::string rules = dir.copy_of(KEFU_TEST_RULES_DIR);
  // sla-targets.yaml cut after its channel rules, as a half-written upload leaves it: still a valid policy,
  // but the smart-counter, mall, risk, category and priority targets are gone (a collect policy without a
  // default: a ticket no target applies to is an error).
  const std::string sla = rules + "/sla-targets.yaml";
  dir.write("rules/sla-targets.yaml", cut_before(read_text(sla), "  # --- smart counters, mall ---"));

  const auto loose = kr::triage_policy::load_directory(rules, raw());  // raw loading takes it, silently
  EXPECT_EQ(loose->sla_targets().rules().size(), 7u);

  // The suite is checked against the policy before any case runs: its first case expects a rule the cut removed.
  const std::string suite = read_text(rules + "/tests/sla-targets.yaml");
  const auto e = policy_error_of([&] { kr::triage_policy::load_directory(rules); });
  EXPECT_EQ(e.id(), "kefu.rules.unknown_rule");
  EXPECT_EQ(e.where().file, rules + "/tests/sla-targets.yaml");
  const auto [line, column] = position_of(suite, "SLA-TICKET-COMPLAINT, SLA-PRIORITY-3]");  // the first case's `rules:`
  EXPECT_EQ(e.where().line, line);
  EXPECT_EQ(e.where().column, column);
  EXPECT_EQ(e.detail(), "policy 'sla-targets' has no rule 'SLA-TICKET-COMPLAINT' (`default` means that no rule fires)");

  // A case that names only rules the cut left fails as a case: no rule matches, and there is no default.
  dir.write("rules/tests/sla-targets.yaml",
            "suite: after the cut\npolicy: ../sla-targets.yaml\ncases:\n"
            "  - name: a mall late delivery at the store desk\n"
            "    input: {business: mall, side: consumer, channel: store, category: late_delivery, risk_level: normal,\n"
            "            refund_decision: manual_review, vip: false}\n"
            "    rules: [default]\n");
  const auto f = policy_error_of([&] { kr::triage_policy::load_directory(rules); });
  EXPECT_EQ(f.id(), "kefu.rules.rule_test");
  EXPECT_EQ(f.where().file, rules + "/tests/sla-targets.yaml");
  EXPECT_EQ(f.where().line, 4);  // the case
  EXPECT_EQ(f.where().column, 5);
  EXPECT_EQ(f.detail(),
            "rule test 'a mall late delivery at the store desk' fails: policy 'sla-targets': no rule matches and there "
            "is no default / 规则测试未通过");
}

TEST(LoadingPath, ACaseThatCannotRunFailsTooAndASuiteMustTestAPolicyOfTheDirectory) {
  scratch_dir dir;
  const std::string rules = dir.copy_of(KEFU_TEST_RULES_DIR);
  const std::string text = read_text(rules + "/tests/tiers.yaml");
  const auto at = text.find("cases:\n");
  ASSERT_NE(at, std::string::npos);
  dir.write("rules/tests/tiers.yaml", text.substr(0, at + 7) +
                                          "  - name: a misspelt input\n    input: {tierr: L1}\n    expect: {report_required: false}\n" +
                                          text.substr(at + 7));
  // Checked before any case runs, at the misspelt name itself.
  const auto e = policy_error_of([&] { kr::triage_policy::load_directory(rules); });
  EXPECT_EQ(e.id(), "kefu.rules.unknown_input");
  EXPECT_EQ(e.where().line, static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n')) + 3);
  EXPECT_EQ(e.where().column, 13);
  EXPECT_EQ(e.detail(), "policy 'tiers' has no input 'tierr' (did you mean 'tier'?)");

  dir.write("rules/tests/tiers.yaml", text);
  dir.write("rules/tests/elsewhere.yaml", "suite: elsewhere\npolicy: ../../other.yaml\ncases:\n  - {name: c, input: {}, rule: default}\n");
  dir.write("other.yaml", "policy: other\noutputs: {x: bool}\nrules: []\ndefault: {x: true}\n");
  const auto f = policy_error_of([&] { kr::triage_policy::load_directory(rules); });
  EXPECT_EQ(f.id(), "kefu.policy");
  EXPECT_EQ(f.where().file, rules + "/tests/elsewhere.yaml");
  EXPECT_EQ(f.where().line, 2);
  EXPECT_NE(f.detail().find("which is not a policy of rules directory"), std::string::npos) << f.detail();
  EXPECT_NO_THROW(kr::triage_policy::load_directory(rules, raw()));
}

TEST(LoadingPath, TheDirectoryHandleSwapsOnlyWhatLoadsAndPassesItsRuleTests) {
  scratch_dir dir;
  const std::string rules = dir.copy_of(KEFU_TEST_RULES_DIR);
  kr::triage_policy_handle handle(rules);
  const auto first = handle.current();
  EXPECT_EQ(first->rule_test_cases(), 666u);

  // A refund window of 6 days loads (a valid policy) but breaks the day-7 rule tests: kept.
  const std::string refund = read_text(rules + "/refund.yaml");
  const auto window = refund.find("and days_since_purchase <= 7\n");  // REF-QUALITY-7D's condition
  ASSERT_NE(window, std::string::npos);
  const std::string six = std::string(refund).replace(window, 28, "and days_since_purchase <= 6");
  dir.write("rules/refund.yaml", six);
  auto r = handle.reload();
  EXPECT_FALSE(r.swapped);
  EXPECT_EQ(r.message.rfind(rules + "/tests/refund.yaml:", 0), 0u) << r.message;
  EXPECT_NE(r.message.find(": rule test '"), std::string::npos) << r.message;
  EXPECT_EQ(handle.current(), first);

  // Truncated mid-file: kept; its suite names rules the cut removed.
  dir.write("rules/refund.yaml", refund.substr(0, refund.find("  - id: REF-QUALITY-7D")));
  r = handle.reload();
  EXPECT_FALSE(r.swapped);
  EXPECT_NE(r.message.find("policy 'refund' has no rule 'REF-QUALITY-7D'"), std::string::npos) << r.message;
  EXPECT_EQ(handle.current(), first);

  dir.write("rules/refund.yaml", refund);
  r = handle.reload();
  EXPECT_TRUE(r.swapped);
  EXPECT_EQ(r.cases_passed, 666u);
  EXPECT_EQ(r.message, "loaded rules directory '" + rules + "' (8 policies, 666 rule-test cases passed)");
  EXPECT_NE(handle.current(), first);

  // The first load refuses like load_directory, class and id kept.
  dir.write("rules/refund.yaml", six);
  const auto e = policy_error_of([&] { kr::triage_policy_handle again(rules); });
  EXPECT_EQ(e.id(), "kefu.rules.rule_test");
}

// Suites are checked against the policy they test before any case runs (docs/rules.md): a wrong name or value
// is reported at its own line and column, with what was meant, on every loading path.
TEST(LoadingPath, SuitesAreTypeCheckedAtTheEntryThatIsWrong) {
  scratch_dir dir;
  const std::string rules = dir.copy_of(KEFU_TEST_RULES_DIR);
  const std::string suite = read_text(rules + "/tests/refund.yaml");
  struct edit {
    std::string from, to, id, message, at;  ///< `at`: the text the error points at
  };
  const edit edits[] = {
      {"  has_receipt: true\n", "  has_receipt: 是\n", "kefu.rules.bad_value",
       "input 'has_receipt': bad bool '是': write true (a yes/no value is true or false / 请写 true)", "是"},
      {"  used: false\n", "  usd: false\n", "kefu.rules.unknown_input", "policy 'refund' has no input 'usd' (did you mean 'used'?)",
       "usd"},
      {"expect: {decision: deny}", "expect: {decision: dny}", "kefu.rules.unknown_value",
       "expected output 'decision': 'dny' is not one of refund, exchange, repair_free, repair_paid, compensate, deny, "
       "manual_review (did you mean 'deny'?)",
       "dny"},
      {"expect: {decision: deny}", "expect: {decisoin: deny}", "kefu.rules.unknown_output",
       "policy 'refund' has no output 'decisoin' (did you mean 'decision'?)", "decisoin"},
      {"rule: REF-CLEARANCE-DISCLOSED", "rule: REF-CLEARANCE-DISCLOSD", "kefu.rules.unknown_rule",
       "policy 'refund' has no rule 'REF-CLEARANCE-DISCLOSD' (did you mean 'REF-CLEARANCE-DISCLOSED'?) (`default` means "
       "that no rule fires)",
       "REF-CLEARANCE-DISCLOSD"},
  };
  kr::policy_handle one(rules + "/refund.yaml", {rules + "/tests/refund.yaml"});
  for (const auto& e : edits) {
    SCOPED_TRACE(e.to);
    std::string changed = suite;
    changed.replace(changed.find(e.from), e.from.size(), e.to);
    dir.write("rules/tests/refund.yaml", changed);
    const auto [line, column] = position_of(changed, e.at);
    const kefu::error err = thrown<kefu::error>([&] { kr::triage_policy::load_directory(rules); });
    EXPECT_EQ(err.id(), e.id);
    EXPECT_EQ(err.detail(), e.message);
    EXPECT_EQ(err.where().file, rules + "/tests/refund.yaml");
    EXPECT_EQ(err.where().line, line);
    EXPECT_EQ(err.where().column, column);
    // The one-file handle checks the same way.
    const auto r = one.reload();
    EXPECT_FALSE(r.swapped);
    EXPECT_NE(r.message.find(e.message), std::string::npos) << r.message;
  }
}

// KPI targets and scorecards load with the directory: a misspelt metric or weights that do not sum to 100
// refuse it, and `calendar:` names mean the directory's calendars.
TEST(LoadingPath, KpiFilesLoadAndAreCheckedWithTheirDirectory) {
  scratch_dir dir;
  const std::string rules = dir.copy_of(KEFU_TEST_RULES_DIR);
  const auto p = kr::triage_policy::load_directory(rules);
  ASSERT_EQ(p->kpi_targets().size(), 2u);  // service-kpis and 003's fresh-food-team (DOM-KPI-4)
  EXPECT_EQ(p->kpi_targets().at("fresh-food-team")->where.file, rules + "/kpi/targets-fresh-food.yaml");
  const auto& targets = *p->kpi_targets().at("service-kpis");
  EXPECT_EQ(targets.where.file, rules + "/kpi/targets.yaml");
  const auto closure = std::find_if(targets.sla.begin(), targets.sla.end(), [](const auto& s) { return s.name == "closure_3_workdays"; });
  ASSERT_NE(closure, targets.sla.end());
  EXPECT_EQ(closure->on.get(), p->calendars().at("cn-mainland").get());  // the directory's overlay, not the built-in
  EXPECT_EQ(p->scorecards().size(), 3u);
  EXPECT_EQ(p->scorecards().count("ecommerce-agent-monthly"), 1u);

  const std::string target_text = read_text(rules + "/kpi/targets.yaml");
  std::string misspelt = target_text;
  misspelt.replace(misspelt.find("metric: fcr_rate"), 16, "metric: fcr_rat");
  dir.write("rules/kpi/targets.yaml", misspelt);
  const auto [tline, tcolumn] = position_of(misspelt, "fcr_rat");
  auto e = policy_error_of([&] { kr::triage_policy::load_directory(rules); });
  EXPECT_EQ(e.id(), "kefu.kpi.targets");
  EXPECT_EQ(e.where().file, rules + "/kpi/targets.yaml");
  EXPECT_EQ(e.where().line, tline);
  EXPECT_EQ(e.where().column, tcolumn);
  EXPECT_EQ(e.detail(), "unknown metric 'fcr_rat' (did you mean 'fcr_rate'?)");
  EXPECT_THROW(kr::triage_policy::load_directory(rules, raw()), kefu::policy_error);  // structural: raw loading too
  dir.write("rules/kpi/targets.yaml", target_text);

  const std::string card = read_text(rules + "/kpi/scorecard-agent.yaml");
  std::string heavy = card;
  heavy.replace(heavy.find("weight: 60"), 10, "weight: 65");
  dir.write("rules/kpi/scorecard-agent.yaml", heavy);
  e = policy_error_of([&] { kr::triage_policy::load_directory(rules); });
  EXPECT_EQ(e.id(), "kefu.kpi.scorecard");
  EXPECT_EQ(e.where().file, rules + "/kpi/scorecard-agent.yaml");
  EXPECT_EQ(e.detail(),
            "scorecard 'ecommerce-agent-monthly': item weights sum to 105, not 100 (kpi 65 + customer_feedback 20 + training 20)");
  std::string ranked = card;
  ranked.replace(ranked.find("rank_by: csat_mean"), 18, "rank_by: csat_mea");
  dir.write("rules/kpi/scorecard-agent.yaml", ranked);
  e = policy_error_of([&] { kr::triage_policy::load_directory(rules); });
  EXPECT_EQ(e.id(), "kefu.kpi.scorecard");
  EXPECT_EQ(e.where().line, position_of(ranked, "csat_mea,").first);
  EXPECT_EQ(e.detail(), "promotion 'rank_by': unknown metric 'csat_mea' (did you mean 'csat_mean'?)");
  dir.write("rules/kpi/scorecard-agent.yaml", card);

  dir.write("rules/kpi/targets-copy.yaml", target_text);
  e = policy_error_of([&] { kr::triage_policy::load_directory(rules); });
  EXPECT_EQ(e.id(), "kefu.kpi.targets");
  EXPECT_EQ(e.where().file, rules + "/kpi/targets.yaml");  // files are read in name order: the copy comes first
  EXPECT_EQ(e.detail(), "a second targets file named 'service-kpis' (the first is " + rules + "/kpi/targets-copy.yaml)");
}
