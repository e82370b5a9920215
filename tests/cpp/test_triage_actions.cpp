// Actions as policy outputs (DOM-RISK-4, docs/triage.md "Actions"): the policies' `actions` outputs name codes of
// the directory's action catalogue (actions.yaml), which gives each its owners and deadline; triage lists them
// once each, in policy then rule order; the directory refuses actions it cannot resolve.
#include <kefu/rules/triage.hpp>
#include <kefu/rules/triage_columns.hpp>

#include "calendar_test_support.hpp"
#include "policy_test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

namespace kr = kefu::rules;
using kefu_test::shipped_policy;

namespace {

kr::record facts(const kr::triage_policy& t, const std::vector<std::pair<std::string, std::string>>& given) {
  kr::record r = t.make_facts();
  for (const auto& [k, v] : given) t.set_fact(r, k, v);
  return r;
}

std::vector<std::string> listed(const kr::triage_result& r) {
  std::vector<std::string> out;
  for (const auto& a : r.actions) {
    std::string owners;
    for (const auto& o : a.owners) owners += (owners.empty() ? "" : "+") + o;
    out.push_back(a.code + " [" + owners + "] by " + a.policy + " " + (a.asked_by.empty() ? "default" : a.asked_by) +
                  (a.deadline ? " due " + kefu::format_instant(a.deadline->due, kefu::time_zone::parse("+08:00")) : ""));
  }
  return out;
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The shipped rules copied into a scratch directory with `edit` applied to one file (its text in, new text out).
std::string shipped_with(kefu_test::scratch_dir& dir, const std::string& file, const std::function<std::string(std::string)>& edit) {
  const std::string to = dir.copy_of(KEFU_TEST_RULES_DIR);
  const std::string path = to + "/" + file;
  const std::string text = edit(read(path));
  std::ofstream(path, std::ios::trunc) << text;
  return to;
}

std::string thrown(const std::function<void()>& f) {
  try {
    f();
  } catch (const kefu::error& e) {
    return e.id() + " " + std::filesystem::path(e.file()).filename().string() + ":" + std::to_string(e.line()) + ":" +
           std::to_string(e.column()) + " " + e.detail();
  }
  return "nothing thrown";
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("not in the file: " + from);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST(TriageActions, PoisoningWithAMediaThreatAsksForFourActionsOnce) {
  const auto t = shipped_policy();
  const auto r = t->triage(facts(*t, {{"business", "fresh"}, {"channel", "phone"}, {"category", "quality_defect"},
                                       {"received_at", "2026-03-02T10:00:00+08:00"},
                                       {"text", "孩子吃了以后腹泻住院了，我要去微博曝光"}}));
  EXPECT_EQ(listed(r), (std::vector<std::string>{
                           "supervisor_steps_in [supervisor] by risk RISK-SAFETY-WORDS due 2026-03-02T10:05:00+08:00",
                           "report_level_1 [supervisor] by risk RISK-SAFETY-WORDS",
                           "delist_and_qc_test [qc] by risk RISK-SAFETY-WORDS",
                           "notify_pr_legal [legal+pr] by risk RISK-MEDIA"}));
  EXPECT_EQ(r.actions[0].source, "DOM-RISK-4, DOM-SLA-5 (002 §7.1 投诉关键词预警，主管5分钟内介入)");
  EXPECT_EQ(r.actions[0].deadline->within, "5min");
  const auto explained = t->triage(facts(*t, {{"business", "fresh"}, {"channel", "phone"}, {"category", "quality_defect"},
                                               {"received_at", "2026-03-02T10:00:00+08:00"}, {"text", "孩子吃了以后腹泻住院了"}}),
                                   true)
                             .explanation;
  EXPECT_NE(explained.find("actions / 处置措施:\n  supervisor_steps_in — 主管介入 (a supervisor steps in) (supervisor), due "
                           "2026-03-02T10:05:00+08:00 (within 5min); asked by risk RISK-SAFETY-WORDS\n"),
            std::string::npos)
      << explained;
}

TEST(TriageActions, RefundRulesAskForTheirActionsAndAPlainTicketForNone) {
  const auto t = shipped_policy();
  const auto lost = t->triage(facts(*t, {{"business", "ecommerce"}, {"channel", "online"}, {"category", "lost_in_delivery"},
                                          {"received_at", "2026-03-02T10:00:00+08:00"}}));
  EXPECT_EQ(listed(lost), std::vector<std::string>{"reship_with_gift [agent] by refund REF-DELIVERY-LOST-OR-DAMAGED"});
  const auto cold = t->triage(facts(*t, {{"business", "fresh"}, {"channel", "store"}, {"category", "cold_chain_break"},
                                          {"cold_chain_break_confirmed", "true"}, {"received_at", "2026-03-02T10:00:00+08:00"}}));
  EXPECT_EQ(listed(cold), std::vector<std::string>{"qc_test_goods [qc] by refund REF-FRESH-COLD-CHAIN"});
  const auto fake = t->triage(facts(*t, {{"business", "mall"}, {"channel", "store"}, {"category", "quality_defect"},
                                          {"counterfeit_suspected", "true"}, {"received_at", "2026-03-02T10:00:00+08:00"}}));
  EXPECT_EQ(listed(fake), (std::vector<std::string>{
                              "supervisor_steps_in [supervisor] by risk RISK-COUNTERFEIT due 2026-03-02T10:05:00+08:00",
                              "seal_goods [legal+operations] by risk RISK-COUNTERFEIT"}));
  const auto plain = t->triage(facts(*t, {{"business", "mall"}, {"channel", "store"}, {"category", "consultation"},
                                           {"received_at", "2026-03-02T10:00:00+08:00"}}));
  EXPECT_TRUE(plain.actions.empty());
}

TEST(TriageActions, ColumnsCarryTheSameActionsAsAMask) {
  const auto t = shipped_policy();
  kr::batch b(*t, 2);
  const auto& business = t->facts()[t->fact_slot("business")].values;
  const auto& channel = t->facts()[t->fact_slot("channel")].values;
  const auto& category = t->facts()[t->fact_slot("category")].values;
  auto code = [](const std::vector<std::string>& values, const std::string& v) {
    return static_cast<std::int32_t>(std::find(values.begin(), values.end(), v) - values.begin());
  };
  const std::vector<std::int32_t> businesses{code(business, "fresh"), code(business, "mall")};
  const std::vector<std::int32_t> channels{code(channel, "phone"), code(channel, "store")};
  const std::vector<std::int32_t> categories{code(category, "quality_defect"), code(category, "consultation")};
  const std::vector<std::string_view> texts{"孩子吃了以后中毒了", ""};
  const std::vector<std::int64_t> received{kefu::parse_instant("2026-03-02T02:00:00Z").unix_seconds(),
                                           kefu::parse_instant("2026-03-02T02:00:00Z").unix_seconds()};
  b.codes("business", businesses.data()).codes("channel", channels.data()).codes("category", categories.data())
      .texts("text", texts.data()).numbers("received_at", received.data());
  const auto c = kr::triage_batch(b);
  EXPECT_EQ(t->actions_text(c.actions[0]), "supervisor_steps_in,report_level_1,delist_and_qc_test");
  EXPECT_EQ(c.actions[1], 0u);
}

TEST(TriageActions, TheDirectoryRefusesActionsItCannotResolve) {
  {
    kefu_test::scratch_dir dir;
    const auto rules = shipped_with(dir, "refund.yaml", [](std::string s) {
      return replaced(s, "actions: [reship_with_gift]", "actions: [reship_with_gfit]");
    });
    EXPECT_EQ(thrown([&] { kr::triage_policy::load_directory(rules); }),
              "kefu.policy refund.yaml:95:21 output 'actions': 'reship_with_gfit' is not one of its values (did you mean "
              "'reship_with_gift'?)");
  }
  {
    kefu_test::scratch_dir dir;
    const auto rules = shipped_with(dir, "refund.yaml", [](std::string s) {
      return replaced(s, "actions: {type: set, values: [qc_test_goods, reship_with_gift]}",
                      "actions: {type: set, values: [qc_test_goods, reship_with_gift, refund_in_cash]}");
    });
    EXPECT_EQ(thrown([&] { kr::triage_policy::load_directory(rules); }),
              "kefu.rules.actions refund.yaml:33:3 action 'refund_in_cash' of policy 'refund' is not in the action "
              "catalogue (" + rules + "/actions.yaml)");
  }
  {
    kefu_test::scratch_dir dir;
    const auto rules = shipped_with(dir, "refund.yaml", [](std::string s) { return s; });
    std::filesystem::remove(std::filesystem::path(rules) / "actions.yaml");
    std::filesystem::remove(std::filesystem::path(rules) / "tests" / "actions.yaml");
    EXPECT_EQ(thrown([&] { kr::triage_policy::load_directory(rules); }),
              "kefu.rules.actions risk.yaml:147:3 policy 'risk' asks for actions, but rules directory '" + rules +
                  "' has no policy named 'actions' (the catalogue that gives each action code its owners and deadline; "
                  "docs/triage.md, \"Actions\")");
  }
  {
    kefu_test::scratch_dir dir;
    const auto rules = shipped_with(dir, "actions.yaml", [](std::string s) {
      return replaced(s, "then: {owners: [agent], description:", "then: {owners: [], description:");
    });
    EXPECT_EQ(thrown([&] { kr::triage_policy::load_directory(rules, {std::nullopt, false}); }),
              "kefu.rules.actions actions.yaml:47:5 action 'reship_with_gift' has no owners in the action catalogue: say who "
              "does it");
  }
}
