// kefu — named clocks declared in policy (DOM-SLA-10, DOM-SLA-6): a `clocks:` document of a rules directory.
//
// Beside the three built-in clocks of every ticket (first response, resolution, follow-up, from the tiers), a
// policy declares clocks of its own: "order confirmed within 10 minutes", "refund completed within 72 hours"
// (002 §3.2–3.3), "return or exchange done within 3 working days after handling" (001). Each has a target on a
// named calendar (any clock kind durations know) and the *triggers* that start, pause, resume and stop it:
//
//   - lifecycle events, by their names (`triage`, `start`, `request_info`, `resolve`, …; lifecycle_triggers),
//     and `receive` (the ticket's receipt);
//   - milestones: named business events (`order_confirmed`, `goods_received`, …) the document declares, which a
//     handler records on a ticket without changing its state (ticket::mark);
//   - optionally a datetime fact (`start_fact`) whose instant starts it when the ticket is opened from facts.
//
// A clock applies to the tickets of the categories and businesses it lists (all when it lists none), and says
// whether its breach escalates the ticket in tick(). The loader (src/rules/clock_loader.cpp) checks every
// name against the facts vocabulary, the calendars and the triggers; its errors carry file:line:column and the
// id kefu.rules.clocks.
#pragma once

#include <kefu/calendar/calendar.hpp>
#include <kefu/calendar/duration.hpp>
#include <kefu/calendar/sla_clock.hpp>
#include <kefu/error.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kefu::rules {

/// The lifecycle triggers a clock may name: `receive`, then every lifecycle event (ticket::event_kind's names;
/// a test checks the two lists agree).
inline constexpr const char* lifecycle_triggers[] = {
    "receive", "triage",  "start",     "request_info", "customer_reply", "hand_off",     "internal_reply",
    "resolve", "follow_up", "close",   "reopen",       "cancel",         "escalate",     "attach_report",
    "report_level_1", "report_level_2", "track_improvement"};

/// Whether `name` is a lifecycle trigger.
inline bool is_lifecycle_trigger(std::string_view name) noexcept {
  for (const char* t : lifecycle_triggers)
    if (name == t) return true;
  return false;
}

/// A text in both languages (rule-author and report text comes in Simplified Chinese and English).
struct bilingual {
  std::string zh;
  std::string en;
};

/// A named business event a handler records on a ticket (ticket::mark).
struct milestone_definition {
  std::string name;
  bilingual description;
  std::string source;  ///< DOM ids and handbook sections, as rules give them
  source_location where;
};

/// One named clock.
struct clock_definition {
  std::string name;
  bilingual description;
  std::string source;
  calendar::duration within;                       ///< the target
  std::shared_ptr<const calendar::calendar> on;    ///< the calendar it counts on (`always` for wall time)
  calendar::sla_warning warning{};                 ///< when it warns (default: at 80 % of the target)
  std::vector<std::string> start, pause, resume, stop;  ///< triggers: lifecycle events, `receive`, milestones
  std::string start_fact;                          ///< a datetime fact whose instant starts it ("" = none)
  std::vector<std::string> categories;             ///< the tickets it applies to (empty = every category)
  std::vector<std::string> businesses;             ///< (empty = every business)
  bool escalate = false;                           ///< its breach escalates the ticket in tick() (once)
  source_location where;

  /// Whether it applies to a ticket of this category and business.
  bool applies_to(std::string_view category, std::string_view business) const {
    auto in = [](const std::vector<std::string>& list, std::string_view v) {
      if (list.empty()) return true;
      for (const auto& x : list)
        if (x == v) return true;
      return false;
    };
    return in(categories, category) && in(businesses, business);
  }
};

/// A `clocks:` document: milestones and clocks.
struct clock_book {
  std::string name;
  std::string file;
  std::vector<milestone_definition> milestones;
  std::vector<clock_definition> clocks;

  const milestone_definition* milestone(std::string_view n) const noexcept {
    for (const auto& m : milestones)
      if (m.name == n) return &m;
    return nullptr;
  }
  const clock_definition* clock(std::string_view n) const noexcept {
    for (const auto& c : clocks)
      if (c.name == n) return &c;
    return nullptr;
  }
};
using clock_book_ptr = std::shared_ptr<const clock_book>;

/// The same book with only the clocks that apply to a ticket of this category and business (every milestone
/// kept); `book` itself when all apply.
clock_book_ptr clocks_for(const clock_book_ptr& book, std::string_view category, std::string_view business);

}  // namespace kefu::rules
