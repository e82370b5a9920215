// Training assessment (DOM-KPI-4, seed 003 培训考核方法): the exam's pass mark and the 30/60/90-day follow-ups.
#include <kefu/kpi/load.hpp>
#include <kefu/kpi/training.hpp>
#include <kefu/time.hpp>

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace kpi = kefu::kpi;

namespace {

std::int64_t day(int y, int m, int d) { return kefu::detail::days_from_civil(y, m, d); }

kpi::training_rules shipped() {
  const auto t = kpi::load_targets_file(std::string(KEFU_TEST_RULES_DIR) + "/kpi/targets-fresh-food.yaml");
  EXPECT_TRUE(t->training.has_value());
  return *t->training;
}

std::string error_of(const kpi::training_rules& r, const std::vector<kpi::exam_result>& exams,
                     const std::vector<kpi::follow_up_evaluation>& evaluations) {
  try {
    kpi::assess_training(r, exams, evaluations, day(2026, 6, 1));
  } catch (const kefu::error& e) {
    EXPECT_EQ(e.id(), "kefu.kpi.training");
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(Training, TheShippedRulesAre003s) {
  const auto r = shipped();
  EXPECT_EQ(r.full_marks, 100);
  EXPECT_EQ(r.pass_mark, 60);
  EXPECT_EQ(r.follow_up_days, (std::vector<std::int32_t>{30, 60, 90}));
}

TEST(Training, SixtyPassesFiftyNineDoesNotAndFollowUpsFallDue) {
  const auto r = shipped();
  const std::int64_t ended = day(2026, 1, 31);
  const auto rows = kpi::assess_training(r, {{"A01", "fresh-2026-01", ended, 60}, {"A02", "fresh-2026-01", ended, 59.5}},
                                         {{"A01", "fresh-2026-01", 30, day(2026, 3, 2)}}, day(2026, 4, 1));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(rows[0].passed);
  EXPECT_FALSE(rows[1].passed);
  // 30, 60 and 90 days after 31 January: 2 March, 1 April, 1 May.
  EXPECT_EQ(rows[0].follow_ups[0].due, day(2026, 3, 2));
  EXPECT_EQ(rows[0].follow_ups[1].due, day(2026, 4, 1));
  EXPECT_EQ(rows[0].follow_ups[2].due, day(2026, 5, 1));
  EXPECT_EQ(rows[0].follow_ups[0].status, kpi::follow_up_status::done);
  EXPECT_EQ(*rows[0].follow_ups[0].done, day(2026, 3, 2));
  EXPECT_EQ(rows[0].follow_ups[1].status, kpi::follow_up_status::upcoming);  // due today: not yet overdue
  EXPECT_EQ(rows[1].follow_ups[0].status, kpi::follow_up_status::overdue);
  EXPECT_EQ(rows[1].follow_ups[2].status, kpi::follow_up_status::upcoming);
}

TEST(Training, BadInputIsRefusedNamingTheRow) {
  const auto r = shipped();
  const std::int64_t ended = day(2026, 1, 31);
  EXPECT_EQ(error_of(r, {{"A01", "t", ended, 101}}, {}), "exam row 0: score 101 of agent 'A01' is not between 0 and 100 (the exam's full marks)");
  EXPECT_EQ(error_of(r, {{"A01", "t", ended, 70}, {"A01", "t", ended, 80}}, {}),
            "exam row 1: agent 'A01' has a second result for training 't' (the first is exam row 0); give a retake its own "
            "training name, e.g. 't retake'");
  EXPECT_EQ(error_of(r, {{"", "t", ended, 70}}, {}), "exam row 0: an exam result names its agent and its training");
  EXPECT_EQ(error_of(r, {{"A01", "t", ended, 70}}, {{"A02", "t", 30, ended + 30}}),
            "evaluation row 0: agent 'A02' has no exam result for training 't' (a follow-up evaluation follows an exam: add the "
            "exam, or check the names)");
  EXPECT_EQ(error_of(r, {{"A01", "t", ended, 70}}, {{"A01", "t", 45, ended + 45}}),
            "evaluation row 0: there is no 45-day follow-up (the rules have 30, 60, 90 days)");
  EXPECT_EQ(error_of(r, {{"A01", "t", ended, 70}}, {{"A01", "t", 30, ended - 1}}),
            "evaluation row 0: the 30-day evaluation of agent 'A01' (2026-01-30) is before training 't' ended (2026-01-31)");
  EXPECT_EQ(error_of(r, {{"A01", "t", ended, 70}}, {{"A01", "t", 30, ended + 30}, {"A01", "t", 30, ended + 31}}),
            "evaluation row 1: agent 'A01' already has the 30-day evaluation of training 't' (on 2026-03-02)");
}

TEST(Training, TheYamlBlockIsChecked) {
  auto error_of_yaml = [](const std::string& training) -> std::string {
    try {
      kpi::load_targets_string("targets: t\ntraining: " + training + "\n", "t.yaml");
    } catch (const kefu::error& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(error_of_yaml("{pass_mark: 60}"), "no error");  // a file may set only training goals
  EXPECT_EQ(error_of_yaml("{full_marks: 100, pass_mark: 120}"),
            "t.yaml:2:40: pass_mark must be between 0 and full_marks (100); 003 passes an exam at 60 of 100");
  EXPECT_EQ(error_of_yaml("{full_marks: 150}"),
            "t.yaml:2:11: `training` with full_marks needs its pass_mark too (003: pass_mark 60 of full_marks 100)");
  EXPECT_EQ(error_of_yaml("{follow_up_days: [30, 30]}"), "t.yaml:2:33: follow_up_days must go up: 30 comes after 30");
  EXPECT_EQ(error_of_yaml("{follow_up_days: [0.5]}"),
            "t.yaml:2:29: a follow-up day is a whole number of days from 1 to 3650, not '0.5'");
  EXPECT_EQ(error_of_yaml("{pass_mrk: 60}").rfind("t.yaml:2:12: unknown key 'pass_mrk' in `training`", 0), 0u)
      << error_of_yaml("{pass_mrk: 60}");
}

TEST(Training, RandomEvaluationsAgreeWithTheirDates) {
  // Property: a follow-up is done exactly when evaluated, else overdue exactly when its due day is before as_of.
  std::mt19937 rng(20261202);
  const auto r = shipped();
  for (int round = 0; round < 200; ++round) {
    std::vector<kpi::exam_result> exams;
    std::vector<kpi::follow_up_evaluation> evaluations;
    const int n = 1 + static_cast<int>(rng() % 6);
    for (int i = 0; i < n; ++i) {
      const std::int64_t ended = day(2026, 1, 1) + static_cast<std::int64_t>(rng() % 200);
      exams.push_back({"A" + std::to_string(i), "t", ended, static_cast<double>(rng() % 101)});
      for (const auto d : r.follow_up_days)
        if (rng() % 2) evaluations.push_back({"A" + std::to_string(i), "t", d, ended + d + static_cast<std::int64_t>(rng() % 10) - 3});
    }
    const std::int64_t as_of = day(2026, 1, 1) + static_cast<std::int64_t>(rng() % 400);
    const auto rows = kpi::assess_training(r, exams, evaluations, as_of);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ(rows[i].passed, exams[i].score >= 60);
      for (const auto& f : rows[i].follow_ups) {
        bool evaluated = false;
        for (const auto& v : evaluations) evaluated |= v.agent == rows[i].agent && v.after_days == f.after_days;
        EXPECT_EQ(f.status == kpi::follow_up_status::done, evaluated);
        if (!evaluated) {
          EXPECT_EQ(f.status == kpi::follow_up_status::overdue, f.due < as_of);
        }
        EXPECT_EQ(f.due, exams[i].ended + f.after_days);
      }
    }
  }
}
