// Training assessment (kefu/kpi/training.hpp): exams judged against the pass mark, follow-ups matched to the
// exam they follow.
#include <kefu/error.hpp>
#include <kefu/kpi/training.hpp>
#include <kefu/time.hpp>

#include <cmath>
#include <map>
#include <sstream>
#include <utility>

namespace kefu::kpi {

namespace {

constexpr const char* training_error = "kefu.kpi.training";

[[noreturn]] void refuse(const std::string& what) { throw error(what, {}, {}, training_error); }

std::string plain(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

std::string days_list(const std::vector<std::int32_t>& days) {
  std::string out;
  for (const auto d : days) out += (out.empty() ? "" : ", ") + std::to_string(d);
  return out;
}

}  // namespace

std::vector<training_assessment> assess_training(const training_rules& rules, const std::vector<exam_result>& exams,
                                                 const std::vector<follow_up_evaluation>& evaluations, std::int64_t as_of) {
  std::vector<training_assessment> out;
  out.reserve(exams.size());
  std::map<std::pair<std::string, std::string>, std::size_t> row_of;  // (agent, training) → exam row
  for (std::size_t i = 0; i < exams.size(); ++i) {
    const exam_result& e = exams[i];
    const std::string row = "exam row " + std::to_string(i) + ": ";
    if (e.agent.empty() || e.training.empty()) refuse(row + "an exam result names its agent and its training");
    if (!std::isfinite(e.score) || e.score < 0 || e.score > rules.full_marks)
      refuse(row + "score " + plain(e.score) + " of agent '" + e.agent + "' is not between 0 and " + plain(rules.full_marks) +
             " (the exam's full marks)");
    const auto [it, fresh] = row_of.emplace(std::make_pair(e.agent, e.training), i);
    if (!fresh)
      refuse(row + "agent '" + e.agent + "' has a second result for training '" + e.training + "' (the first is exam row " +
             std::to_string(it->second) + "); give a retake its own training name, e.g. '" + e.training + " retake'");
    training_assessment a{e.agent, e.training, e.ended, e.score, e.score >= rules.pass_mark, {}};
    a.follow_ups.reserve(rules.follow_up_days.size());
    for (const auto d : rules.follow_up_days) a.follow_ups.push_back({d, e.ended + d, std::nullopt, follow_up_status::upcoming});
    out.push_back(std::move(a));
  }
  for (std::size_t i = 0; i < evaluations.size(); ++i) {
    const follow_up_evaluation& v = evaluations[i];
    const std::string row = "evaluation row " + std::to_string(i) + ": ";
    const auto it = row_of.find({v.agent, v.training});
    if (it == row_of.end())
      refuse(row + "agent '" + v.agent + "' has no exam result for training '" + v.training +
             "' (a follow-up evaluation follows an exam: add the exam, or check the names)");
    training_assessment& a = out[it->second];
    follow_up_state* state = nullptr;
    for (auto& f : a.follow_ups)
      if (f.after_days == v.after_days) state = &f;
    if (!state)
      refuse(row + "there is no " + std::to_string(v.after_days) + "-day follow-up (the rules have " +
             (rules.follow_up_days.empty() ? std::string("none") : days_list(rules.follow_up_days) + " days") + ")");
    if (v.done < a.ended)
      refuse(row + "the " + std::to_string(v.after_days) + "-day evaluation of agent '" + v.agent + "' (" + format_days(v.done) +
             ") is before training '" + v.training + "' ended (" + format_days(a.ended) + ")");
    if (state->done)
      refuse(row + "agent '" + v.agent + "' already has the " + std::to_string(v.after_days) + "-day evaluation of training '" +
             v.training + "' (on " + format_days(*state->done) + ")");
    state->done = v.done;
    state->status = follow_up_status::done;
  }
  for (auto& a : out)
    for (auto& f : a.follow_ups)
      if (!f.done) f.status = f.due < as_of ? follow_up_status::overdue : follow_up_status::upcoming;
  return out;
}

}  // namespace kefu::kpi
