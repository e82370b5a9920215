// kefu — training assessment (DOM-KPI-4, seed 003 培训考核方法): exam results against a pass mark, and the
// follow-up evaluations due 30, 60 and 90 days after a training ends.
//
//   const auto rules = *kefu::kpi::load_targets_file("rules/kpi/targets-fresh-food.yaml")->training;
//   const auto rows = kefu::kpi::assess_training(rules, exams, evaluations, as_of_day);
//   rows[0].passed, rows[0].follow_ups[1].status   // follow_up_status::overdue …
//
// Dates are local calendar days (days since 1970-01-01), as an analyst's tables hold them: a training ends on a
// day, a follow-up is due that many days later, and `as_of` is the day the assessment is made (passed in: no
// clock is read).
#pragma once

#include <kefu/kpi/targets.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kefu::kpi {

/// One agent's theory-exam result for one training.
struct exam_result {
  std::string agent;
  std::string training;
  std::int64_t ended = 0;  ///< the day the training ended (days since 1970-01-01)
  double score = 0;        ///< 0 … training_rules::full_marks
};

/// A follow-up evaluation made (mystery shopper, supervisor's observation, satisfaction survey: 003).
struct follow_up_evaluation {
  std::string agent;
  std::string training;
  std::int32_t after_days = 0;  ///< which follow-up: one of training_rules::follow_up_days
  std::int64_t done = 0;        ///< the day it was made
};

enum class follow_up_status : std::uint8_t {
  done,      ///< evaluated
  upcoming,  ///< not yet evaluated, due on or after as_of
  overdue,   ///< not evaluated and due before as_of
};

inline const char* to_string(follow_up_status s) noexcept {
  switch (s) {
    case follow_up_status::done: return "done";
    case follow_up_status::upcoming: return "upcoming";
    case follow_up_status::overdue: return "overdue";
  }
  return "?";
}

struct follow_up_state {
  std::int32_t after_days = 0;
  std::int64_t due = 0;                ///< ended + after_days
  std::optional<std::int64_t> done;    ///< when it was evaluated
  follow_up_status status = follow_up_status::upcoming;
};

/// One agent and training: the exam judged, and each follow-up's state.
struct training_assessment {
  std::string agent;
  std::string training;
  std::int64_t ended = 0;
  double score = 0;
  bool passed = false;  ///< score ≥ pass_mark
  std::vector<follow_up_state> follow_ups;  ///< in training_rules::follow_up_days order
};

/// The exams in their order, each with its follow-ups as of `as_of`. Every input problem is a kefu::error
/// with id kefu.kpi.training naming the row (counted from 0) and nothing is assessed: a score outside
/// 0 … full_marks or not a number, an agent or training left empty, the same agent and training examined twice,
/// an evaluation for no exam, for a follow-up the rules do not have, made before the training ended, or
/// given twice.
std::vector<training_assessment> assess_training(const training_rules& rules, const std::vector<exam_result>& exams,
                                                 const std::vector<follow_up_evaluation>& evaluations, std::int64_t as_of);

}  // namespace kefu::kpi
