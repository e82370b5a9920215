// kefu — pausable SLA clocks (DOM-SLA-1, DOM-SLA-7).
//
// A clock measures time towards a target on its calendar: wall time for "24h" targets, opening
// time for "4 business hours" and "3 workdays" targets. A workdays target is turned into opening
// time when the clock starts (the opening time from the start to the close of the N-th working
// day), so pausing for one working day moves the deadline by one working day and a pause that
// spans a holiday costs nothing. Every query is "as of" an instant: events after it are ignored,
// so the same clock answers for any moment of its history.
#pragma once

#include <kefu/calendar/calendar.hpp>
#include <kefu/calendar/duration.hpp>

#include <memory>
#include <optional>
#include <vector>

namespace kefu::calendar {

enum class sla_state : std::uint8_t { not_started, running, paused, met, breached };

inline const char* to_string(sla_state s) noexcept {
  switch (s) {
    case sla_state::not_started: return "not_started";
    case sla_state::running: return "running";
    case sla_state::paused: return "paused";
    case sla_state::met: return "met";
    case sla_state::breached: return "breached";
  }
  return "?";
}

enum class clock_event_kind : std::uint8_t { start, pause, resume, stop };

inline const char* to_string(clock_event_kind k) noexcept {
  switch (k) {
    case clock_event_kind::start: return "start";
    case clock_event_kind::pause: return "pause";
    case clock_event_kind::resume: return "resume";
    case clock_event_kind::stop: return "stop";
  }
  return "?";
}

struct clock_event {
  clock_event_kind kind;
  instant at;
  friend bool operator==(const clock_event& a, const clock_event& b) noexcept { return a.kind == b.kind && a.at == b.at; }
};

/// When to warn: at a fraction of the target (0.8 = 80 % used) or a lead time before the deadline.
struct sla_warning {
  double fraction = 0.8;
  std::optional<seconds> lead;  ///< measured on the clock's own time (wall or opening time)

  static sla_warning at_fraction(double f) { return {f, std::nullopt}; }
  static sla_warning before(seconds lead) { return {0.0, lead}; }
};

struct sla_status {
  sla_state state = sla_state::not_started;
  bool paused = false;   ///< also true for a breached clock that is paused
  bool warning = false;  ///< the warning point has passed and the clock is not met
  instant due;           ///< the deadline given the pauses so far (if paused: as if resumed now)
  instant warn_at;       ///< the warning point, likewise
  seconds elapsed{0};    ///< measured time so far
  seconds remaining{0};  ///< target − elapsed; negative once breached
  seconds target{0};     ///< the target in measured time (0 before a workdays clock starts)
  /// `due` rests on days past the calendar's official data (DOM-SLA-8): it may move when the year's
  /// holiday notice is loaded. Never set for wall-clock targets.
  bool provisional = false;
};

class sla_clock {
 public:
  sla_clock(std::shared_ptr<const calendar> cal, duration target, sla_warning warning = {})
      : cal_(std::move(cal)), target_(target), warning_(warning) {
    if (!cal_) throw error("an SLA clock needs a calendar");
    if (target.amount < 0) throw error("an SLA target cannot be negative");
    if (!warning.lead && !(warning.fraction >= 0.0 && warning.fraction <= 1.0))  // NaN fails too
      throw error("an SLA warning fraction must be between 0 and 1");
    if (warning.lead && warning.lead->count() < 0) throw error("an SLA warning lead time cannot be negative");
  }

  // Copies keep room for a few more events: a ticket copies its clocks to change them (fire()'s strong
  // guarantee) and then appends, which would otherwise reallocate the exactly-sized copy at once.
  sla_clock(const sla_clock& o) : cal_(o.cal_), target_(o.target_), warning_(o.warning_) {
    events_.reserve(room_for(o.events_.size()));
    events_.insert(events_.end(), o.events_.begin(), o.events_.end());
  }
  sla_clock& operator=(const sla_clock& o) {
    if (this != &o) *this = sla_clock(o);
    return *this;
  }
  sla_clock(sla_clock&&) noexcept = default;
  sla_clock& operator=(sla_clock&&) noexcept = default;
  ~sla_clock() = default;

  void start(instant t) { append(clock_event_kind::start, t); }
  void pause(instant t) { append(clock_event_kind::pause, t); }
  void resume(instant t) { append(clock_event_kind::resume, t); }
  void stop(instant t) { append(clock_event_kind::stop, t); }

  const std::vector<clock_event>& events() const noexcept { return events_; }
  /// Room for `n` events, so the appends up to it do not allocate (and so cannot fail for memory).
  void reserve(std::size_t n) { events_.reserve(n); }
  /// Room for the next event (growing geometrically, as appending does), so appending it cannot fail for memory.
  void reserve_next() {
    if (events_.size() == events_.capacity()) events_.reserve(room_for(events_.size()));
  }
  duration target() const noexcept { return target_; }
  const sla_warning& warning() const noexcept { return warning_; }
  const calendar& on() const noexcept { return *cal_; }
  const std::shared_ptr<const calendar>& calendar_ptr() const noexcept { return cal_; }

  /// Rebuilds a clock from its events (snapshots); the same checks as appending them one by one.
  static sla_clock replay(std::shared_ptr<const calendar> cal, duration target, sla_warning warning,
                          const std::vector<clock_event>& events) {
    sla_clock c(std::move(cal), target, warning);
    c.events_.reserve(room_for(events.size()));
    for (const auto& e : events) c.append(e.kind, e.at);
    return c;
  }

  seconds elapsed(instant at) const { return status(at).elapsed; }
  instant due(instant at) const { return status(at).due; }

  sla_status status(instant at) const {
    sla_status s;
    std::int64_t closed = 0;
    bool running = false;
    instant open_since;
    std::optional<instant> stopped_at, paused_since;
    std::optional<instant> due_in_closed, warn_in_closed;
    std::int64_t target = 0;
    const std::int64_t warn_threshold_unset = -1;
    std::int64_t warn_threshold = warn_threshold_unset;
    for (const auto& e : events_) {
      if (at < e.at) break;
      switch (e.kind) {
        case clock_event_kind::start:
          target = target_measure(e.at);
          warn_threshold = threshold(target);
          open_since = e.at;
          running = true;
          break;
        case clock_event_kind::resume:
          open_since = e.at;
          running = true;
          paused_since.reset();
          break;
        case clock_event_kind::pause:
        case clock_event_kind::stop: {
          if (running) {
            const std::int64_t len = measure(e.at) - measure(open_since);
            if (!due_in_closed && closed + len >= target) due_in_closed = inverse(open_since, target - closed);
            if (!warn_in_closed && closed + len >= warn_threshold)
              warn_in_closed = inverse(open_since, warn_threshold - closed);
            closed += len;
            running = false;
          }
          if (e.kind == clock_event_kind::stop) stopped_at = e.at;
          else paused_since = e.at;
          break;
        }
      }
    }
    if (events_.empty() || at < events_.front().at) {
      s.state = sla_state::not_started;
      if (target_.kind != clock::workdays) {
        s.target = seconds(target_.amount);
        s.remaining = s.target;
        s.due = inverse(at, target_.amount);
        s.warn_at = inverse(at, threshold(target_.amount));
      } else {
        s.due = cal_->add_workdays(at, target_.amount);
      }
      s.provisional = !is_wall() && cal_->provisional_at(s.due);
      return s;
    }
    const std::int64_t elapsed = closed + (running ? measure(at) - measure(open_since) : 0);
    s.target = seconds(target);
    s.elapsed = seconds(elapsed);
    s.remaining = seconds(target - elapsed);
    // Where the clock would continue from if it is not running now.
    const instant continue_from = running ? open_since : stopped_at ? *stopped_at : at;
    s.due = due_in_closed ? *due_in_closed : inverse(continue_from, target - closed);
    s.warn_at = warn_in_closed ? *warn_in_closed : inverse(continue_from, warn_threshold - closed);
    s.paused = paused_since.has_value();
    // Late is after the due instant, even when no measured time passes after it (a lunch break).
    if (stopped_at) s.state = *stopped_at <= s.due ? sla_state::met : sla_state::breached;
    else if (elapsed >= target && at > s.due) s.state = sla_state::breached;
    else s.state = running ? sla_state::running : sla_state::paused;
    s.warning = s.state != sla_state::met && elapsed >= warn_threshold;
    s.provisional = !is_wall() && cal_->provisional_at(s.due);
    return s;
  }

 private:
  void append(clock_event_kind kind, instant t) {
    const bool started = !events_.empty();
    const clock_event_kind last = started ? events_.back().kind : clock_event_kind::stop;
    const char* state = !started ? "not started" : last == clock_event_kind::stop ? "stopped"
                                                 : last == clock_event_kind::pause ? "paused" : "running";
    bool ok = false;
    switch (kind) {
      case clock_event_kind::start: ok = !started; break;
      case clock_event_kind::pause: ok = started && (last == clock_event_kind::start || last == clock_event_kind::resume); break;
      case clock_event_kind::resume: ok = started && last == clock_event_kind::pause; break;
      case clock_event_kind::stop: ok = started && last != clock_event_kind::stop; break;
    }
    if (!ok) throw error(std::string("cannot ") + to_string(kind) + " an SLA clock that is " + state);
    if (started && t < events_.back().at)
      throw error(std::string("cannot ") + to_string(kind) + " an SLA clock at " + format_instant(t, cal_->zone()) +
                  ", before its last event at " + format_instant(events_.back().at, cal_->zone()));
    if (kind == clock_event_kind::start && !is_wall()) {
      measure(t);  // a start outside the calendar fails here, not at a later query
      target_measure(t);
    }
    reserve_next();
    events_.push_back({kind, t});
  }
  /// Capacity for `n` events and the next few: most clocks see start, pause, resume and stop, so the first
  /// start makes room for four rather than growing 1, 2, 4.
  static std::size_t room_for(std::size_t n) noexcept { return n < 2 ? 4 : 2 * n; }

  bool is_wall() const noexcept { return target_.kind == clock::wall; }
  std::int64_t measure(instant t) const { return is_wall() ? t.unix_seconds() : cal_->working_time_at(t).count(); }
  /// The instant at which `amount` more measured time has passed after `from`.
  instant inverse(instant from, std::int64_t amount) const {
    if (amount <= 0) return from;
    if (is_wall()) return from + seconds(amount);
    return cal_->add_working_time(from, seconds(amount));
  }
  std::int64_t target_measure(instant start) const {
    if (target_.kind != clock::workdays) return target_.amount;
    return measure(cal_->add_workdays(start, target_.amount)) - measure(start);
  }
  std::int64_t threshold(std::int64_t target) const {
    if (warning_.lead) return std::max<std::int64_t>(0, target - warning_.lead->count());
    return static_cast<std::int64_t>(static_cast<double>(target) * warning_.fraction);
  }

  std::shared_ptr<const calendar> cal_;
  duration target_;
  sla_warning warning_;
  std::vector<clock_event> events_;
};

}  // namespace kefu::calendar
