#include <kefu/calendar/sla_clock.hpp>

#include "calendar_test_support.hpp"

#include <gtest/gtest.h>

#include <random>

using namespace kefu_test;
using kefu::calendar::builtin;
using kefu::calendar::parse_duration;
using kefu::calendar::sla_clock;
using kefu::calendar::sla_state;

TEST(SlaClock, BusinessClockPausesWhileWaitingOnTheCustomer) {
  sla_clock c(builtin("cn-office"), parse_duration("4 business hours"));
  c.start(cst("2026-03-02T09:00"));  // Monday
  EXPECT_EQ(cst_text(c.due(cst("2026-03-02T09:00"))), "2026-03-02T14:30:00+08:00");
  c.pause(cst("2026-03-02T10:00"));   // 1 h used
  c.resume(cst("2026-03-03T09:00"));  // the pause costs the rest of Monday
  const auto s = c.status(cst("2026-03-03T10:00"));
  EXPECT_EQ(s.state, sla_state::running);
  EXPECT_EQ(s.elapsed, kefu::seconds(2 * 3600));
  EXPECT_EQ(s.remaining, kefu::seconds(2 * 3600));
  EXPECT_EQ(cst_text(s.due), "2026-03-03T12:00:00+08:00");
  EXPECT_FALSE(s.warning);
  EXPECT_EQ(cst_text(s.warn_at), "2026-03-03T11:12:00+08:00");  // 80 % of 4 h = 3 h 12 min
  EXPECT_TRUE(c.status(cst("2026-03-03T11:30")).warning);
  EXPECT_EQ(c.status(cst("2026-03-03T12:00")).state, sla_state::running);  // the deadline itself is still in time
  // One second late is late, even though no working time passes over lunch.
  EXPECT_EQ(c.status(cst("2026-03-03T12:00:01")).state, sla_state::breached);
  EXPECT_EQ(c.status(cst("2026-03-03T12:00:01")).remaining, kefu::seconds(0));
  // While paused the due instant is "if resumed now".
  const auto paused = c.status(cst("2026-03-02T15:00"));
  EXPECT_EQ(paused.state, sla_state::paused);
  EXPECT_TRUE(paused.paused);
  EXPECT_EQ(cst_text(paused.due), "2026-03-02T18:00:00+08:00");
}

TEST(SlaClock, WorkdayTargetMovesByThePausedWorkingDays) {
  sla_clock c(builtin("cn-mainland"), parse_duration("3 workdays"));
  c.start(cst("2026-02-13T10:00"));
  EXPECT_EQ(cst_text(c.due(cst("2026-02-13T10:00"))), "2026-02-26T00:00:00+08:00");
  // A pause across the Spring Festival holiday moves the deadline only by the working time it
  // covers: 12 h of the make-up Saturday 14 Feb and 12 h of 24 Feb, not the nine days off.
  c.pause(cst("2026-02-14T12:00"));
  c.resume(cst("2026-02-24T12:00"));
  EXPECT_EQ(cst_text(c.due(cst("2026-02-24T12:00"))), "2026-02-27T00:00:00+08:00");
  c.stop(cst("2026-02-26T11:00"));
  EXPECT_EQ(c.status(cst("2026-03-10T00:00")).state, sla_state::met);
  EXPECT_EQ(c.status(cst("2026-02-20T00:00")).state, sla_state::paused);  // as of an earlier instant
}

TEST(SlaClock, WallClockAndLeadWarning) {
  sla_clock c(builtin("always"), parse_duration("24h"), kefu::calendar::sla_warning::before(kefu::seconds(2 * 3600)));
  c.start(cst("2026-02-16T08:00"));
  EXPECT_EQ(cst_text(c.due(cst("2026-02-16T09:00"))), "2026-02-17T08:00:00+08:00");
  EXPECT_EQ(cst_text(c.status(cst("2026-02-16T09:00")).warn_at), "2026-02-17T06:00:00+08:00");
  c.stop(cst("2026-02-17T09:00"));
  const auto s = c.status(cst("2026-02-18T00:00"));
  EXPECT_EQ(s.state, sla_state::breached);
  EXPECT_EQ(s.remaining, kefu::seconds(-3600));
  EXPECT_EQ(cst_text(s.due), "2026-02-17T08:00:00+08:00");
  EXPECT_EQ(c.status(cst("2026-02-16T07:00")).state, sla_state::not_started);
}

TEST(SlaClock, RejectsEventsOutOfOrderAndChangesNothing) {
  sla_clock c(builtin("cn-office"), parse_duration("2 business hours"));
  EXPECT_EQ(error_of([&] { c.pause(cst("2026-03-02T09:00")); }), "cannot pause an SLA clock that is not started");
  c.start(cst("2026-03-02T09:00"));
  EXPECT_EQ(error_of([&] { c.resume(cst("2026-03-02T10:00")); }), "cannot resume an SLA clock that is running");
  EXPECT_EQ(error_of([&] { c.pause(cst("2026-03-02T08:00")); }),
            "cannot pause an SLA clock at 2026-03-02T08:00:00+08:00, before its last event at 2026-03-02T09:00:00+08:00");
  EXPECT_EQ(c.events().size(), 1u);
  sla_clock outside(builtin("cn-office"), parse_duration("2 business hours"));
  EXPECT_EQ(error_of([&] { outside.start(cst("2036-01-02T09:00")); }),
            "date 2036-01-02 is outside calendar 'cn-office' (2004-01-01..2026-12-31, provisional "
            "2027-01-01..2035-12-31): past the provisional projection nothing is guessed");
  EXPECT_TRUE(outside.events().empty());
}

TEST(SlaClock, CopiesAreIndependentAndKeepRoomToGrow) {
  // Tickets copy their clocks to change them (an event that fails changes nothing) and then append: a copy
  // sized exactly to its events would reallocate on that append, once per clock per such event.
  sla_clock c(builtin("cn-office"), parse_duration("4 business hours"));
  EXPECT_EQ(c.events().capacity(), 0u);  // a clock not started holds nothing
  c.start(cst("2026-03-02T09:00"));
  EXPECT_GE(c.events().capacity(), 4u);  // start, pause, resume, stop without growing
  sla_clock copy = c;
  EXPECT_GT(copy.events().capacity(), copy.events().size());
  copy.pause(cst("2026-03-02T10:00"));
  EXPECT_EQ(c.events().size(), 1u);  // the original is untouched
  EXPECT_EQ(copy.events().size(), 2u);
  EXPECT_EQ(cst_text(copy.due(cst("2026-03-02T15:00"))), "2026-03-02T18:00:00+08:00");
  EXPECT_EQ(cst_text(c.due(cst("2026-03-02T15:00"))), "2026-03-02T14:30:00+08:00");
  sla_clock assigned(builtin("always"), parse_duration("1h"));
  assigned = copy;
  EXPECT_EQ(assigned.events(), copy.events());
  EXPECT_EQ(assigned.on().name(), "cn-office");
  EXPECT_GT(assigned.events().capacity(), assigned.events().size());
  const sla_clock& same = assigned;
  assigned = same;  // self-assignment keeps it
  EXPECT_EQ(assigned.events().size(), 2u);
  const sla_clock rebuilt = sla_clock::replay(builtin("cn-office"), parse_duration("4 business hours"), {}, copy.events());
  EXPECT_EQ(rebuilt.events(), copy.events());
  EXPECT_GT(rebuilt.events().capacity(), rebuilt.events().size());
}

// Property: random pause/resume sequences; elapsed equals the sum of running spans measured on the
// calendar, the due instant is where that sum reaches the target, and replay reproduces the clock.
TEST(SlaClockProperty, RandomPausesKeepTheInvariants) {
  std::mt19937_64 rng(42);
  const auto cal = builtin("cn-office");
  for (int round = 0; round < 300; ++round) {
    sla_clock c(cal, kefu::calendar::duration::business_seconds(3600 * (1 + static_cast<int>(rng() % 20))));
    kefu::instant t = cst("2025-01-02T00:00") + kefu::seconds(static_cast<std::int64_t>(rng() % (500 * 86400)));
    c.start(t);
    std::int64_t running = 0;
    bool is_running = true;
    for (int step = 0; step < 12; ++step) {
      const kefu::instant next = t + kefu::seconds(static_cast<std::int64_t>(rng() % (3 * 86400)));
      if (is_running) running += cal->working_time_between(t, next).count();
      t = next;
      if (is_running) {
        c.pause(t);
      } else {
        c.resume(t);
      }
      is_running = !is_running;
      const auto s = c.status(t);
      ASSERT_EQ(s.elapsed.count(), running);
      ASSERT_EQ(s.remaining.count(), s.target.count() - running);
      ASSERT_EQ(s.state == sla_state::breached, running >= s.target.count() && t > s.due);
      if (running > s.target.count()) {
        ASSERT_EQ(s.state, sla_state::breached);
      }
      if (running >= s.target.count()) {
        ASSERT_EQ(c.elapsed(s.due).count(), s.target.count());  // the due instant is where the target was reached
      }
    }
    const auto copy = sla_clock::replay(cal, c.target(), c.warning(), c.events());
    ASSERT_EQ(copy.events(), c.events());
    ASSERT_EQ(copy.status(t).due, c.status(t).due);
  }
}
