// KPIs over ticket records: hand-computed expectations on a five-ticket fixture, exact merging,
// periods in the zone, column errors, targets and scorecards from YAML, the QC sampler.
#include <kefu/kpi/kpi.hpp>

#include "calendar_test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

namespace kpi = kefu::kpi;

namespace {

const double nan = std::numeric_limits<double>::quiet_NaN();
constexpr std::int64_t na = kpi::missing_instant;
// 2026-01-05 09:00 +08:00, a Monday.
constexpr std::int64_t t0 = 1767574800;

/// Five tickets: agent A (online, online, phone next day), agent B (phone, email).
struct fixture {
  std::vector<std::int32_t> agent{0, 0, 0, 1, 1}, team{0, 0, 0, 0, 0}, channel{0, 0, 1, 1, 2}, category{0, 1, 0, 1, 0};
  std::vector<std::int64_t> created{t0, t0 + 3600, t0 + 86400, t0, t0};
  std::vector<std::int64_t> first{t0 + 20, t0 + 3600 + 40, t0 + 86400 + 10, t0 + 20, na};
  std::vector<std::int64_t> resolved{t0 + 600, t0 + 3600 + 7200, t0 + 86400 + 300, na, na};
  std::vector<double> handle{300, 1200, 200, 700, 0};
  std::vector<std::int64_t> responses{4, 2, 3, 1, 0};
  std::vector<double> response_s{400, 100, 90, 20, 0};
  std::vector<std::int32_t> contacts{1, 2, 1, 1, 1};
  std::vector<std::uint8_t> escalated{0, 1, 0, 0, 0}, reopened{0, 0, 1, 0, 0};
  std::vector<double> csat{5, 3, nan, 4, nan}, nps{10, 6, 8, nan, nan}, qc{90, nan, 50, 70, nan};
  std::vector<double> upheld{0, 1, 1, nan, 0};

  kpi::records view(std::size_t from = 0, std::size_t to = 5) const {
    kpi::records r;
    r.rows = to - from;
    const auto lab = [&](const std::vector<std::int32_t>& c, std::vector<std::string> labels) {
      kpi::label_column l;
      l.codes = c.data() + from;
      l.size = r.rows;
      l.labels = std::move(labels);
      return l;
    };
    r.agent = lab(agent, {"A", "B"});
    r.team = lab(team, {"T1"});
    r.channel = lab(channel, {"online", "phone", "email"});
    r.category = lab(category, {"refund_request", "consultation"});
    r.created_at = {created.data() + from, r.rows};
    r.first_response_at = {first.data() + from, r.rows};
    r.resolved_at = {resolved.data() + from, r.rows};
    r.handle_seconds = {handle.data() + from, r.rows};
    r.responses = {responses.data() + from, r.rows};
    r.response_seconds = {response_s.data() + from, r.rows};
    r.contacts = {contacts.data() + from, r.rows};
    r.escalated = {escalated.data() + from, r.rows};
    r.reopened = {reopened.data() + from, r.rows};
    r.csat = {csat.data() + from, r.rows};
    r.nps = {nps.data() + from, r.rows};
    r.qc_score = {qc.data() + from, r.rows};
    r.complaint_upheld = {upheld.data() + from, r.rows};
    return r;
  }
};

kpi::targets_ptr default_targets() { return kpi::load_targets_file(std::string(KEFU_TEST_RULES_DIR) + "/kpi/targets.yaml"); }

kpi::options by_agent() {
  kpi::options o;
  o.by = {kpi::dimension::agent};
  o.goals = default_targets();
  return o;
}

double metric(const kpi::table& t, std::size_t g, const std::string& name) { return kpi::metric_value(t, g, name); }

}  // namespace

TEST(KpiMetrics, HandComputedPerAgent) {
  const fixture f;
  const kpi::table t = kpi::compute(f.view(), by_agent());
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t.label(0, kpi::dimension::agent), "A");
  EXPECT_EQ(metric(t, 0, "tickets"), 3);
  EXPECT_EQ(metric(t, 0, "response_rate"), 1);
  EXPECT_NEAR(metric(t, 0, "frt_mean"), 70.0 / 3, 1e-12);
  EXPECT_NEAR(metric(t, 0, "frt_within_target"), 2.0 / 3, 1e-12);  // online 20 ≤ 30, 40 > 30; phone 10 ≤ 15
  EXPECT_NEAR(metric(t, 0, "art"), 590.0 / 9, 1e-12);
  EXPECT_NEAR(metric(t, 0, "aht"), 1700.0 / 3, 1e-12);
  EXPECT_EQ(metric(t, 0, "resolution_rate"), 1);
  EXPECT_EQ(metric(t, 0, "resolution_mean"), 2700);
  EXPECT_NEAR(metric(t, 0, "fcr_rate"), 1.0 / 3, 1e-12);  // two contacts, reopened
  EXPECT_NEAR(metric(t, 0, "escalation_rate"), 1.0 / 3, 1e-12);
  EXPECT_NEAR(metric(t, 0, "reopen_rate"), 1.0 / 3, 1e-12);
  EXPECT_EQ(metric(t, 0, "csat_mean"), 4);
  EXPECT_EQ(metric(t, 0, "satisfied_rate"), 0.5);
  EXPECT_NEAR(metric(t, 0, "survey_return_rate"), 2.0 / 3, 1e-12);
  EXPECT_EQ(metric(t, 0, "nps"), 0);  // one promoter, one detractor, one passive
  EXPECT_EQ(metric(t, 0, "qc_sampled"), 2);
  EXPECT_EQ(metric(t, 0, "qc_mean"), 70);
  EXPECT_EQ(metric(t, 0, "qc_pass_rate"), 0.5);
  EXPECT_EQ(metric(t, 0, "qc_timely_rate"), 1);
  EXPECT_EQ(metric(t, 0, "upheld_complaints"), 2);
  EXPECT_EQ(metric(t, 0, "frt_mean[online]"), 30);
  EXPECT_NEAR(metric(t, 0, "art[online]"), 500.0 / 6, 1e-12);
  EXPECT_EQ(metric(t, 0, "aht[phone]"), 200);
  EXPECT_TRUE(std::isnan(metric(t, 0, "frt_mean[email]")));
  EXPECT_EQ(metric(t, 0, "sla_first_response_24h"), 1);
  EXPECT_EQ(metric(t, 0, "sla_closure_3_workdays"), 1);
  EXPECT_TRUE(std::isnan(metric(t, 0, "repurchase_rate")));  // column absent
  // Goals with data: response_rate, frt/art/aht online and phone met (7); fcr, escalation, csat, survey, nps and
  // 001's satisfaction ≥ 90% (satisfied_rate 0.5; DOM-KPI-8) missed (6).
  EXPECT_NEAR(metric(t, 0, "targets_met_rate"), 7.0 / 13, 1e-12);

  EXPECT_EQ(t.label(1, kpi::dimension::agent), "B");
  EXPECT_EQ(metric(t, 1, "response_rate"), 0.5);
  EXPECT_EQ(metric(t, 1, "frt_within_target"), 0);  // phone 20 > 15, email unanswered
  EXPECT_EQ(metric(t, 1, "qc_timely_rate"), 0);     // its one QC sample was late
  EXPECT_EQ(metric(t, 1, "resolution_rate"), 0);
  EXPECT_TRUE(std::isnan(metric(t, 1, "reopen_rate")));
  EXPECT_EQ(metric(t, 1, "sla_closure_72h"), 0);  // unresolved counts as missed
}

TEST(KpiMetrics, QueueWaitInTheFreshFoodCoursesBands) {
  // DOM-SLA-7 (003 等待时间): up to 30 s patient waiting, 30 s–2 min explain, 2–5 min offer alternatives, past
  // 5 min complaint risk; a band's upper bound belongs to it. A missing wait is not measured, not 0.
  fixture f;
  const std::vector<double> queue{30, 30.0004, 120, 300.001, std::numeric_limits<double>::quiet_NaN()};
  kpi::records r = f.view();
  r.queue_seconds = {queue.data(), queue.size()};
  kpi::options o;  // no goals: the course's bands
  kpi::table t = kpi::compute(r, o);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(metric(t, 0, "queue_waits"), 4);
  EXPECT_NEAR(metric(t, 0, "queue_wait_mean"), (30 + 30 + 120 + 300.001) / 4, 1e-9);  // kept to the millisecond
  EXPECT_EQ(metric(t, 0, "wait_patient_rate"), 0.5);  // 30 s, and 30.0004 s read as 30.000 s
  EXPECT_EQ(metric(t, 0, "wait_explain_rate"), 0.25);  // 2 min exactly
  EXPECT_EQ(metric(t, 0, "wait_alternatives_rate"), 0);
  EXPECT_EQ(metric(t, 0, "wait_complaint_risk_rate"), 0.25);  // 300.001 s is past 5 min
  // Shipped targets give the same bands; a targets file may set others, which merging then checks.
  EXPECT_EQ(default_targets()->wait_bands, kpi::default_wait_bands);
  o.goals = kpi::load_targets_string("targets: t\nwaiting_bands: [1min, 3min, 10min]\nmetrics:\n"
                                     "  - {metric: wait_complaint_risk_rate, at_most: 0%}\n");
  t = kpi::compute(r, o);
  EXPECT_EQ(metric(t, 0, "wait_patient_rate"), 0.5);       // 30 s, 30 s
  EXPECT_EQ(metric(t, 0, "wait_explain_rate"), 0.25);      // 2 min ≤ 3 min
  EXPECT_EQ(metric(t, 0, "wait_alternatives_rate"), 0.25);  // 5 min ≤ 10 min
  EXPECT_EQ(metric(t, 0, "wait_complaint_risk_rate"), 0);
  EXPECT_EQ(metric(t, 0, "targets_met_rate"), 1);
  kpi::table course = kpi::compute(r, kpi::options{});
  try {
    course.merge(t);
    FAIL();
  } catch (const kefu::error& e) {
    EXPECT_EQ(e.id(), "kefu.kpi.options");
  }
  // Without the column nothing is measured.
  t = kpi::compute(f.view(), kpi::options{});
  EXPECT_EQ(metric(t, 0, "queue_waits"), 0);
  EXPECT_TRUE(std::isnan(metric(t, 0, "wait_patient_rate")));
  // Bad waits and bands name themselves.
  const std::vector<double> negative{5, -1, 5, 5, 5};
  r.queue_seconds = {negative.data(), negative.size()};
  try {
    kpi::compute(r, kpi::options{});
    FAIL();
  } catch (const kpi::column_error& e) {
    EXPECT_STREQ(e.what(), "column 'queue_seconds', row 1: -1 seconds is negative");
  }
  const auto error_of = [](const std::string& bands) {
    try {
      kpi::load_targets_string("targets: t\nwaiting_bands: " + bands + "\nmetrics:\n  - {metric: tickets, at_least: 1}\n",
                               "t.yaml");
    } catch (const kefu::error& e) {
      return std::string(e.what());
    }
    return std::string("loaded");
  };
  EXPECT_EQ(error_of("[30s, 2min]"),
            "t.yaml:2:16: `waiting_bands` is a list of three wall-clock durations, e.g. [30s, 2min, 5min] (patient "
            "waiting up to the first, explain up to the second, offer alternatives up to the third, complaint risk past it)");
  EXPECT_EQ(error_of("[30s, 20s, 5min]"),
            "t.yaml:2:22: waiting band '20s' must be longer than the one before it (e.g. [30s, 2min, 5min])");
  EXPECT_EQ(error_of("[30s, 2min, 5min]"), "loaded");
}

TEST(KpiMetrics, FreshFoodStandardsAreSharesOfTheKnownFlags) {
  // DOM-KPI-4 (003): standard execution, awareness and standardised resolution, each true / known.
  fixture f;
  const double x = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> executed{1, 1, 0, x, 1}, known{1, 1, 1, 1, x}, resolved{1, 0, x, x, x};
  kpi::records r = f.view();
  r.standard_executed = {executed.data(), 5};
  r.standard_known = {known.data(), 5};
  r.standard_resolved = {resolved.data(), 5};
  const kpi::table t = kpi::compute(r, kpi::options{});
  EXPECT_EQ(metric(t, 0, "standard_execution_rate"), 0.75);
  EXPECT_EQ(metric(t, 0, "standard_awareness_rate"), 1);
  EXPECT_EQ(metric(t, 0, "standard_resolution_rate"), 0.5);
  const std::vector<double> two{1, 2, 0, 0, 0};
  r.standard_known = {two.data(), 5};
  try {
    kpi::compute(r, kpi::options{});
    FAIL();
  } catch (const kpi::column_error& e) {
    EXPECT_STREQ(e.what(), "column 'standard_known', row 1: 2 is not a flag (expected 0/1 or true/false)");
  }
}

TEST(KpiMerge, PartialsOfTheLayoutBeforeQueueWaitsAreRefused) {
  // Partials written before the queue-wait and fresh-food columns (their tag was KEFUKPI:32f7637b) are refused
  // with the reason, not misread: the tag hashes the counters and columns, which both changed.
  const fixture f;
  const kpi::options o = by_agent();
  const std::string bytes = kpi::compute(f.view(), o).to_bytes();
  EXPECT_NE(kpi::partial_tag(), "KEFUKPI:32f7637b");
  try {
    kpi::table::from_bytes("KEFUKPI:32f7637b" + bytes.substr(16), o);
    FAIL();
  } catch (const kefu::error& e) {
    EXPECT_EQ(e.id(), "kefu.kpi.partial");
    EXPECT_EQ(e.detail(), "KPI partial has another layout (KEFUKPI:32f7637b, this kefu reads " + kpi::partial_tag() +
                              "): it was written by another version of kefu; compute and merge partials with one version");
  }
}

TEST(KpiMetrics, ClosureWithin72HoursAndWithin3WorkdaysAreDifferentClocks) {
  // targets.yaml: closure_72h on the wall clock, closure_3_workdays on cn-mainland (whole working days, the
  // receipt's day is day 0, due at the end of the third). Six tickets of one agent whose resolutions tell them
  // apart (times +08:00):
  //   Mon 01-05 09:00 → 11:00            2 h     both met
  //   Mon 01-05 09:00 → Thu 01-08 12:00  75 h    72 h missed (due Thu 09:00); 3 workdays met (due Fri 01-09 00:00)
  //   Fri 01-09 09:00 → Tue 01-13 12:00  99 h    72 h missed (due Mon 09:00); 3 workdays met (due Thu 01-15 00:00)
  //   Fri 02-13 10:00 → Wed 02-25 10:00  12 days over the Spring Festival (02-15 to 02-23 off, Saturday 02-14 a
  //                                              make-up working day): 72 h missed; 3 workdays met (due Thu 02-26)
  //   Fri 01-09 09:00 → Thu 01-15 10:00  both missed
  //   Mon 01-05 09:00, unresolved        both missed
  constexpr std::int64_t h = 3600;
  constexpr std::int64_t mon = t0, fri = t0 + 4 * 86400, feb13 = t0 + 39 * 86400 + h;  // 2026-02-13 10:00
  std::vector<std::int32_t> codes(6, 0);
  std::vector<std::int64_t> created{mon, mon, fri, feb13, fri, mon};
  std::vector<std::int64_t> first{mon + 60, mon + 60, fri + 60, feb13 + 60, fri + 60, mon + 60};
  std::vector<std::int64_t> resolved{mon + 2 * h, mon + 75 * h, fri + 99 * h, feb13 + 12 * 86400, fri + 6 * 86400 + h, na};
  std::vector<double> zeros(6, 0.0);
  std::vector<std::int64_t> ones(6, 1);
  std::vector<std::int32_t> contacts(6, 1);
  std::vector<std::uint8_t> no(6, 0);
  kpi::records r;
  r.rows = 6;
  const auto lab = [&](std::vector<std::string> labels) {
    kpi::label_column l;
    l.codes = codes.data();
    l.size = r.rows;
    l.labels = std::move(labels);
    return l;
  };
  r.agent = lab({"C"});
  r.team = lab({"T1"});
  r.channel = lab({"phone"});
  r.category = lab({"refund_request"});
  r.created_at = {created.data(), r.rows};
  r.first_response_at = {first.data(), r.rows};
  r.resolved_at = {resolved.data(), r.rows};
  r.handle_seconds = {zeros.data(), r.rows};
  r.responses = {ones.data(), r.rows};
  r.response_seconds = {zeros.data(), r.rows};
  r.contacts = {contacts.data(), r.rows};
  r.escalated = {no.data(), r.rows};
  r.reopened = {no.data(), r.rows};
  const kpi::table t = kpi::compute(r, by_agent());
  ASSERT_EQ(t.size(), 1u);
  EXPECT_DOUBLE_EQ(metric(t, 0, "sla_closure_72h"), 1.0 / 6);
  EXPECT_DOUBLE_EQ(metric(t, 0, "sla_closure_3_workdays"), 4.0 / 6);
}

TEST(KpiMetrics, PercentilesWithinTheSketchBound) {
  const fixture f;
  const kpi::table t = kpi::compute(f.view(), by_agent());
  // A's FRTs are 10, 20, 40: the lower-method median (rank 1) is 20; p90 is rank ⌊0.9·2⌋ = 1 → 20.
  EXPECT_NEAR(metric(t, 0, "frt_p50"), 20, 20 * 0.005);
  EXPECT_NEAR(metric(t, 0, "frt_p90"), 20, 20 * 0.005);
  // Many values: every quantile within α of the exact one.
  kpi::sketch_mapping m(0.01);
  kpi::quantile_sketch s;
  std::vector<double> v;
  for (int i = 0; i < 5000; ++i) v.push_back(std::fmod(i * 7919.0, 86400.0));
  for (double x : v) s.add(x, m);
  std::sort(v.begin(), v.end());
  for (double q : {0.0, 0.1, 0.5, 0.9, 0.99, 1.0}) {
    const double exact = v[static_cast<std::size_t>(std::floor(q * (v.size() - 1)))];
    EXPECT_LE(std::fabs(s.quantile(q, m) - exact), 0.01 * exact * (1 + 1e-9)) << q;
  }
}

// Counts added as a block are the same sketch as the same counts added bucket by bucket (the end of a KPI pass
// moves its one-byte counts this way), whatever the buckets the sketch already held, on both sides of them.
TEST(KpiSketch, BlockOfCountsEqualsOneByOne) {
  std::mt19937 rng(17);
  for (int round = 0; round < 200; ++round) {
    kpi::quantile_sketch block, one_by_one;
    std::uniform_int_distribution<int> bucket(-50, 400), count(0, 3);
    for (int k = 0, n = count(rng); k < n; ++k) {  // what the sketch held before
      const int b = bucket(rng);
      block.add_bucket(b, 1);
      one_by_one.add_bucket(b, 1);
    }
    const std::int32_t first = bucket(rng);
    std::vector<std::uint8_t> counts(static_cast<std::size_t>(std::uniform_int_distribution<int>(0, 300)(rng)));
    for (auto& c : counts) c = static_cast<std::uint8_t>(rng() % 4 == 0 ? rng() % 256 : 0);
    block.add_buckets(first, counts.data(), counts.size());
    for (std::size_t k = 0; k < counts.size(); ++k)
      if (counts[k]) one_by_one.add_bucket(first + static_cast<std::int32_t>(k), counts[k]);
    ASSERT_EQ(block.count(), one_by_one.count()) << round;
    ASSERT_EQ(block.offset(), one_by_one.offset()) << round;
    ASSERT_EQ(block.counts(), one_by_one.counts()) << round;
  }
}

// A partial written with to_bytes and read back merges into exactly the whole table (DOM-PRIV-2: the records
// kefu owns serialise without loss).
TEST(KpiMerge, PartitionsMergeToTheWholeExactly) {
  const fixture f;
  kpi::options o = by_agent();
  o.by = {kpi::dimension::agent, kpi::dimension::channel};
  o.per = kpi::period::day;
  const kpi::table whole = kpi::compute(f.view(), o);
  for (std::size_t cut = 0; cut <= 5; ++cut) {
    kpi::table left = kpi::compute(f.view(0, cut), o);
    const kpi::table right = kpi::compute(f.view(cut, 5), o);
    left.merge(kpi::table::from_bytes(right.to_bytes(), o));
    EXPECT_TRUE(left == whole) << "cut at " << cut;
    for (std::size_t g = 0; g < whole.size(); ++g) {
      const auto a = kpi::metric_values(left, g), b = kpi::metric_values(whole, g);
      for (std::size_t k = 0; k < a.size(); ++k)
        EXPECT_TRUE((std::isnan(a[k]) && std::isnan(b[k])) || a[k] == b[k]) << kpi::metric_names(whole)[k];
    }
  }
}

/// The fixture repeated `copies` times (ticket k of copy c shifted by c days), as a larger input.
struct repeated {
  fixture f;
  std::vector<std::int32_t> agent, team, channel, category;
  std::vector<std::int64_t> created, first, resolved, responses;
  std::vector<double> handle, response_s, csat, nps, qc, upheld;
  std::vector<std::int32_t> contacts;
  std::vector<std::uint8_t> escalated, reopened;
  explicit repeated(std::size_t copies) {
    for (std::size_t c = 0; c < copies; ++c) {
      const auto shift = [&](std::int64_t v) { return v == na ? na : v + static_cast<std::int64_t>(c % 40) * 86400; };
      for (std::size_t i = 0; i < 5; ++i) {
        agent.push_back(f.agent[i]), team.push_back(f.team[i]), channel.push_back(f.channel[i]);
        category.push_back(f.category[i]), created.push_back(shift(f.created[i])), first.push_back(shift(f.first[i]));
        resolved.push_back(shift(f.resolved[i])), responses.push_back(f.responses[i]), handle.push_back(f.handle[i]);
        response_s.push_back(f.response_s[i]), csat.push_back(f.csat[i]), nps.push_back(f.nps[i]);
        qc.push_back(f.qc[i]), upheld.push_back(f.upheld[i]), contacts.push_back(f.contacts[i]);
        escalated.push_back(f.escalated[i]), reopened.push_back(f.reopened[i]);
      }
    }
  }
  kpi::records view() const {
    kpi::records r = f.view();
    r.rows = agent.size();
    const auto lab = [&](kpi::label_column l, const std::vector<std::int32_t>& c) {
      l.codes = c.data();
      l.size = r.rows;
      return l;
    };
    r.agent = lab(r.agent, agent), r.team = lab(r.team, team), r.channel = lab(r.channel, channel);
    r.category = lab(r.category, category);
    r.created_at = {created.data(), r.rows}, r.first_response_at = {first.data(), r.rows};
    r.resolved_at = {resolved.data(), r.rows};
    r.handle_seconds = {handle.data(), r.rows}, r.responses = {responses.data(), r.rows};
    r.response_seconds = {response_s.data(), r.rows}, r.contacts = {contacts.data(), r.rows};
    r.escalated = {escalated.data(), r.rows}, r.reopened = {reopened.data(), r.rows};
    r.csat = {csat.data(), r.rows}, r.nps = {nps.data(), r.rows}, r.qc_score = {qc.data(), r.rows};
    r.complaint_upheld = {upheld.data(), r.rows};
    return r;
  }
};

TEST(KpiMerge, ThreadsGiveTheSameTable) {
  // 3 × 1024 + 7 rows: several chunks, shares that do not end on chunk boundaries.
  const repeated big(3 * 1024 / 5 + 7);
  kpi::options o = by_agent();
  o.by = {kpi::dimension::channel, kpi::dimension::agent};
  o.per = kpi::period::week;
  const kpi::table one = kpi::compute(big.view(), o);
  for (unsigned threads : {2u, 3u, 7u}) EXPECT_TRUE(kpi::compute(big.view(), o, threads) == one) << threads;
  double tickets = 0;
  for (std::size_t g = 0; g < one.size(); ++g) tickets += metric(one, g, "tickets");
  EXPECT_EQ(tickets, static_cast<double>(big.agent.size()));

  // A bad value in the second share is reported with its row in the whole records.
  repeated bad(3 * 1024 / 5 + 7);
  bad.csat[2000] = 9;
  try {
    kpi::compute(bad.view(), o, 2);
    FAIL();
  } catch (const kpi::column_error& e) {
    EXPECT_EQ(e.row(), 2000);
    EXPECT_STREQ(e.what(), "column 'csat', row 2000: 9 is outside 1–5 (whole numbers)");
  }
}

TEST(KpiColumns, NarrowCodesNanosecondsAndLocalInstants) {
  const fixture f;
  const kpi::options o = [] {
    kpi::options x = by_agent();
    x.by = {kpi::dimension::agent, kpi::dimension::channel};
    x.per = kpi::period::day;
    return x;
  }();
  const kpi::table expected = kpi::compute(f.view(), o);

  // int8 / int16 codes (pandas categoricals) read in place.
  const std::vector<std::int8_t> agent8{0, 0, 0, 1, 1};
  const std::vector<std::int16_t> channel16{0, 0, 1, 1, 2};
  kpi::records r = f.view();
  r.agent.codes = agent8.data();
  r.agent.type = kpi::code_type::i8;
  r.channel.codes = channel16.data();
  r.channel.type = kpi::code_type::i16;
  EXPECT_TRUE(kpi::compute(r, o) == expected);
  EXPECT_TRUE(kpi::compute(kpi::slice(r, 3, 5), o) == kpi::compute(f.view(3, 5), o));

  // Nanoseconds of local +08:00 time (numpy's naive datetime64[ns] read as local time).
  const std::int64_t ns = 1'000'000'000, local = 8 * 3600;
  std::vector<std::int64_t> created, first, resolved;
  for (std::size_t i = 0; i < 5; ++i) {
    created.push_back((f.created[i] + local) * ns);
    first.push_back(f.first[i] == na ? na : (f.first[i] + local) * ns + 999'999'999);  // fractions are floored
    resolved.push_back(f.resolved[i] == na ? na : (f.resolved[i] + local) * ns);
  }
  r = f.view();
  r.instant_unit = ns;
  r.instant_offset = local;
  r.created_at = {created.data(), 5}, r.first_response_at = {first.data(), 5}, r.resolved_at = {resolved.data(), 5};
  EXPECT_TRUE(kpi::compute(r, o) == expected);
  // Read as UTC instead (offset 0), the tickets are 8 hours later: 17:00 +08:00, the same days, the same FRTs.
  r.instant_offset = 0;
  const kpi::table shifted = kpi::compute(r, o);
  EXPECT_EQ(shifted.size(), expected.size());
  EXPECT_EQ(metric(shifted, 0, "frt_mean"), metric(expected, 0, "frt_mean"));
  // 20:00 local on Jan 5 read as UTC is 04:00 on Jan 6 in +08:00: the period moves.
  for (auto& c : created) c += 11 * 3600 * ns;
  for (auto& x : first) x = x == na ? na : x + 11 * 3600 * ns;
  for (auto& x : resolved) x = x == na ? na : x + 11 * 3600 * ns;
  EXPECT_EQ(kefu::from_days(kpi::compute(r, o).key(0).period_start), boost::gregorian::date(2026, 1, 6));
  r.instant_offset = local;
  EXPECT_EQ(kefu::from_days(kpi::compute(r, o).key(0).period_start), boost::gregorian::date(2026, 1, 5));
}

TEST(KpiMerge, RefusesTablesWithOtherOptions) {
  const fixture f;
  kpi::table a = kpi::compute(f.view(), by_agent());
  kpi::options o = by_agent();
  o.per = kpi::period::month;
  const kpi::table b = kpi::compute(f.view(), o);
  EXPECT_THROW(a.merge(b), kefu::error);
  EXPECT_THROW(kpi::table::from_bytes("garbage", o), kefu::error);
  // Truncated or trailing bytes are refused, never read past the end.
  const std::string bytes = b.to_bytes();
  for (std::size_t cut : {std::size_t(9), bytes.size() / 2, bytes.size() - 1})
    EXPECT_THROW(kpi::table::from_bytes(bytes.substr(0, cut), o), kefu::error) << cut;
  EXPECT_THROW(kpi::table::from_bytes(bytes + "x", o), kefu::error);
  EXPECT_TRUE(kpi::table::from_bytes(bytes, o) == b);
}

TEST(KpiPeriods, DayWeekMonthInTheZone) {
  const fixture f;
  kpi::options o = by_agent();
  o.per = kpi::period::day;
  kpi::table t = kpi::compute(f.view(), o);
  ASSERT_EQ(t.size(), 3u);  // A on Jan 5 and Jan 6, B on Jan 5
  EXPECT_EQ(kefu::from_days(t.key(0).period_start), boost::gregorian::date(2026, 1, 5));
  EXPECT_EQ(kefu::from_days(t.key(1).period_start), boost::gregorian::date(2026, 1, 6));
  EXPECT_EQ(metric(t, 0, "tickets"), 2);
  o.per = kpi::period::week;
  t = kpi::compute(f.view(), o);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(kefu::from_days(t.key(0).period_start), boost::gregorian::date(2026, 1, 5));  // Monday

  // 2026-01-31T17:30Z is 2026-02-01 01:30 in +08:00 but still January in UTC.
  fixture g;
  for (auto& c : g.created) c = 1769880600;
  for (auto& x : g.first) x = x == na ? na : 1769880600 + 5;
  for (auto& x : g.resolved) x = x == na ? na : 1769880600 + 60;
  o.per = kpi::period::month;
  t = kpi::compute(g.view(), o);
  EXPECT_EQ(kefu::from_days(t.key(0).period_start), boost::gregorian::date(2026, 2, 1));
  o.zone = kefu::time_zone::utc();
  t = kpi::compute(g.view(), o);
  EXPECT_EQ(kefu::from_days(t.key(0).period_start), boost::gregorian::date(2026, 1, 1));
}

TEST(KpiPeriods, QuarterAndYearStartOnLocalDaysOfTheZone) {
  // DOM-KPI-8: quarters (001 §6.2 每季度评估) and years (003 月度、季度和年度评估) of created_at's local date.
  // 2025-12-31T16:30Z is 2026-01-01 00:30 in +08:00: the first quarter and the year 2026 there, the last
  // quarter of 2025 in UTC. 2026-03-31T16:00Z is 2026-04-01 00:00 +08:00 exactly: the second quarter.
  fixture g;
  const std::int64_t new_year = 1767198600, april = 1774972800;
  g.created = {new_year, new_year, april - 1, april, april};
  for (std::size_t i = 0; i < g.first.size(); ++i) {
    g.first[i] = g.first[i] == na ? na : g.created[i] + 5;
    g.resolved[i] = g.resolved[i] == na ? na : g.created[i] + 60;
  }
  kpi::options o;
  o.per = kpi::period::quarter;
  kpi::table t = kpi::compute(g.view(), o);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(kefu::from_days(t.key(0).period_start), boost::gregorian::date(2026, 1, 1));
  EXPECT_EQ(metric(t, 0, "tickets"), 3);  // 00:30 on 1 January and 23:59:59 on 31 March, +08:00
  EXPECT_EQ(kefu::from_days(t.key(1).period_start), boost::gregorian::date(2026, 4, 1));
  EXPECT_EQ(metric(t, 1, "tickets"), 2);
  o.per = kpi::period::year;
  t = kpi::compute(g.view(), o);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(kefu::from_days(t.key(0).period_start), boost::gregorian::date(2026, 1, 1));
  o.zone = kefu::time_zone::utc();
  t = kpi::compute(g.view(), o);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(kefu::from_days(t.key(0).period_start), boost::gregorian::date(2025, 1, 1));
  EXPECT_EQ(metric(t, 0, "tickets"), 2);
  o.per = kpi::period::quarter;
  t = kpi::compute(g.view(), o);
  ASSERT_EQ(t.size(), 2u);  // in UTC, 15:59:59 and 16:00 on 31 March are both still the first quarter
  EXPECT_EQ(kefu::from_days(t.key(0).period_start), boost::gregorian::date(2025, 10, 1));
  EXPECT_EQ(kefu::from_days(t.key(1).period_start), boost::gregorian::date(2026, 1, 1));
  EXPECT_EQ(metric(t, 1, "tickets"), 3);

  // Partials of quarters merge exactly and say their period.
  o = kpi::options{};
  o.per = kpi::period::quarter;
  kpi::table left = kpi::compute(g.view(0, 2), o);
  left.merge(kpi::compute(g.view(2, 5), o));
  EXPECT_TRUE(left == kpi::compute(g.view(), o));
  EXPECT_TRUE(kpi::table::from_bytes(left.to_bytes(), o) == left);
  kpi::options y = o;
  y.per = kpi::period::year;
  EXPECT_THROW(kpi::table::from_bytes(left.to_bytes(), y), kefu::error);

  EXPECT_EQ(kpi::parse_period("quarter"), kpi::period::quarter);
  EXPECT_STREQ(kpi::to_string(kpi::period::year), "year");
  try {
    kpi::parse_period("quater");
    FAIL();
  } catch (const kefu::error& e) {
    EXPECT_STREQ(e.what(), "unknown period 'quater' (expected day, week, month, quarter or year)");
  }
}

TEST(KpiColumns, ErrorsNameTheColumn) {
  fixture f;
  kpi::records r = f.view();
  r.handle_seconds = {};
  try {
    kpi::compute(r, by_agent());
    FAIL();
  } catch (const kpi::column_error& e) {
    EXPECT_EQ(e.column(), "handle_seconds");
    EXPECT_STREQ(e.what(), "column 'handle_seconds': is required but missing");
  }
  f.csat[3] = 6;
  try {
    kpi::compute(f.view(), by_agent());
    FAIL();
  } catch (const kpi::column_error& e) {
    EXPECT_EQ(e.column(), "csat");
    EXPECT_EQ(e.row(), 3);
    EXPECT_STREQ(e.what(), "column 'csat', row 3: 6 is outside 1–5 (whole numbers)");
  }
  f.csat[3] = 4;
  f.first[1] = f.created[1] - 1;
  try {
    kpi::compute(f.view(), by_agent());
    FAIL();
  } catch (const kpi::column_error& e) {
    EXPECT_EQ(e.column(), "first_response_at");
    EXPECT_EQ(e.row(), 1);
  }
  f.first[1] = f.created[1] + 40;
  r = f.view();
  r.team = {};
  kpi::options o;
  o.by = {kpi::dimension::team};
  EXPECT_THROW(kpi::compute(r, o), kpi::column_error);
  r = f.view();
  std::vector<double> short_nps{1, 2};
  r.nps = {short_nps.data(), 2};
  try {
    kpi::compute(r, o);
    FAIL();
  } catch (const kpi::column_error& e) {
    EXPECT_EQ(e.column(), "nps");
  }
}

TEST(KpiTargets, LoadErrorsCarryFileLineColumn) {
  try {
    kpi::load_targets_string("targets: t\nmetrics:\n  - {metric: fcr_rte, at_least: 90%}\n", "t.yaml");
    FAIL();
  } catch (const kefu::policy_error& e) {
    EXPECT_EQ(e.where().line, 3);
    EXPECT_EQ(e.where().column, 14);
    EXPECT_NE(std::string(e.what()).find("unknown metric 'fcr_rte'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("fcr_rate"), std::string::npos) << e.what();
  }
  EXPECT_THROW(kpi::load_targets_string("targets: t\nsla:\n  - {name: x, until: resolution, within: 3 workdays}\n", "t"),
               kefu::policy_error);
  EXPECT_THROW(kpi::load_targets_string("targets: t\nchannels:\n  online: {first_response: 4 business hours}\n", "t"),
               kefu::policy_error);
  const auto t = default_targets();
  EXPECT_EQ(t->name, "service-kpis");
  EXPECT_EQ(t->sla.size(), 3u);
  EXPECT_EQ(t->thresholds_of("phone")->first_response.value(), 15);
}

TEST(KpiTargets, AFileWithoutItsNameIsAKefuErrorNotYamlCpps) {
  // Found by fuzz_kpi_files: yaml-cpp's InvalidNode escaped from the missing key.
  try {
    kpi::load_targets_string("description: x\n", "t.yaml");
    FAIL();
  } catch (const kefu::policy_error& e) {
    EXPECT_STREQ(e.what(), "t.yaml:1:1: a targets file starts with `targets: NAME` (the name its scorecards use)");
    EXPECT_EQ(e.id(), "kefu.kpi.targets");
  }
  EXPECT_EQ(kefu_test::error_of([] { kpi::load_targets_string("targets:\ndescription: x\n", "t.yaml"); }),
            "t.yaml:2:1: 'targets' must be a single value, not empty");
  // A file cut before its goals (a half-written upload) is refused, not loaded as "no goals".
  EXPECT_EQ(kefu_test::error_of([] { kpi::load_targets_string("targets: t\ndescription: x\nqc_pass_mark: 60\n", "t.yaml"); }),
            "t.yaml:1:10: targets 't' set no goals: give `channels:`, `sla:`, `metrics:` or `training:` (docs/kpis.md)");
  try {
    kpi::load_scorecard_string("description: x\nitems: []\n", "s.yaml");
    FAIL();
  } catch (const kefu::policy_error& e) {
    EXPECT_STREQ(e.what(), "s.yaml:1:1: a scorecard file starts with `scorecard: NAME`");
    EXPECT_EQ(e.id(), "kefu.kpi.scorecard");
  }
}

TEST(KpiScorecard, WeightsMustSumTo100AtLoad) {
  const std::string yaml =
      "scorecard: s\n"
      "items:\n"
      "  - {id: a, weight: 60, value: csat_mean, full: 5}\n"
      "  - {id: b, weight: 35, value: input.exam, full: 100}\n";
  try {
    kpi::load_scorecard_string(yaml, "s.yaml");
    FAIL();
  } catch (const kefu::policy_error& e) {
    EXPECT_STREQ(e.what(), "s.yaml:3:3: scorecard 's': item weights sum to 95, not 100 (a 60 + b 35)");
  }
  try {
    kpi::load_scorecard_string("scorecard: 客服\nitems:\n  - {id: a, weight: 100, value: csat_maen, full: 5}\n", "s.yaml");
    FAIL();
  } catch (const kefu::policy_error& e) {
    EXPECT_EQ(e.where().line, 3);
    EXPECT_EQ(e.where().column, 33);
  }
}

TEST(KpiScorecard, Table1MonthlyScoreByHand) {
  const auto sc = kpi::load_scorecard_file(std::string(KEFU_TEST_RULES_DIR) + "/kpi/scorecard-monthly.yaml");
  double weights = 0;
  for (const auto& i : sc->items) weights += i.weight;
  EXPECT_EQ(weights, 100);
  kpi::scorecard_row row;
  row.subject = "A";
  row.period_start = kefu::to_days(boost::gregorian::date(2026, 1, 1));
  row.metrics = {{"tickets", 150}, {"qc_mean", 88}, {"survey_return_rate", 0.6}, {"qc_timely_rate", 0.9},
                 {"satisfied_rate", 0.8}, {"upheld_complaints", 5}};
  row.inputs = {{"target_workload", 200}, {"exam_score", 90}, {"leads_submitted", 6},
                {"leads_converted_last_month", 12}, {"attitude_score", 8}, {"commendations", 3}};
  const auto r = kpi::evaluate(*sc, {row});
  // 20·150/200 + 25·0.88 + 5·0.6 + 15·0.9 + 5·0.9 + 10·0.8 + 10·min(1, 12/10) + 10·0.8 = 82; +3 commendations.
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NEAR(r[0].total - r[0].bonus, 15 + 22 + 3 + 13.5 + 4.5 + 8 + 10 + 8, 1e-9);
  EXPECT_EQ(r[0].bonus, 3);
  EXPECT_NEAR(r[0].total, 87, 1e-9);
  EXPECT_TRUE(r[0].disciplinary);  // 5 upheld complaints
  row.inputs.erase("exam_score");
  try {
    kpi::evaluate(*sc, {row});
    FAIL();
  } catch (const kefu::error& e) {
    EXPECT_NE(std::string(e.what()).find("no input 'exam_score' for A"), std::string::npos) << e.what();
  }
}

TEST(KpiScorecard, RetrainAndPromotionFlags) {
  const auto sc = kpi::load_scorecard_file(std::string(KEFU_TEST_RULES_DIR) + "/kpi/scorecard-agent.yaml");
  std::vector<kpi::scorecard_row> rows;
  const std::int64_t months[] = {kefu::to_days(boost::gregorian::date(2026, 1, 1)),
                                 kefu::to_days(boost::gregorian::date(2026, 2, 1)),
                                 kefu::to_days(boost::gregorian::date(2026, 3, 1))};
  for (int m = 0; m < 3; ++m)
    for (int a = 0; a < 10; ++a) {
      kpi::scorecard_row r;
      r.subject = "agent" + std::to_string(a);
      r.period_start = months[m];
      // agent0 meets every goal with the best CSAT each month; agent1 only in March.
      const bool star = a == 0 || (a == 1 && m == 2);
      r.metrics = {{"targets_met_rate", star ? 1.0 : 0.5}, {"csat_mean", star ? 4.9 : 4.0 + a * 0.01},
                   {"upheld_complaints", 0}, {"tickets", 40}, {"survey_return_rate", 0.5}, {"fcr_rate", 0.8}};
      r.inputs = {{"exam_score", 50.0 + a}, {"commendations", 0}};
      rows.push_back(r);
    }
  const auto res = kpi::evaluate(*sc, rows);
  for (std::size_t i = 0; i < res.size(); ++i) {
    const bool march = i >= 20;
    EXPECT_EQ(res[i].promotion, march && res[i].subject == "agent0") << res[i].subject << " " << i;
    // Bottom 10% of 10 agents = 1: agent2 (lowest CSAT and exam among non-stars; agent1 in Jan/Feb).
    const bool bottom = (i % 10 == 1 && !march) || (i % 10 == 2 && march);
    EXPECT_EQ(res[i].retrain, bottom) << res[i].subject << " " << i << " " << res[i].total;
  }
}

TEST(KpiScorecard, ServiceStarsAreTheMonthsHighestCsatAndFcrAmongTheEligible) {
  // DOM-KPI-8 (002 §7.3 月度服务之星): per month the highest csat_mean and the highest fcr_rate win, ties all
  // listed, among agents measured on at least min_tickets tickets (rated tickets for CSAT).
  const std::int64_t jan = kefu::to_days(boost::gregorian::date(2026, 1, 1));
  const std::int64_t feb = kefu::to_days(boost::gregorian::date(2026, 2, 1));
  const auto row = [](std::string who, std::int64_t month, double tickets, double rated, double csat, double fcr) {
    kpi::scorecard_row r;
    r.subject = std::move(who);
    r.period_start = month;
    r.metrics = {{"tickets", tickets}, {"survey_return_rate", rated / tickets}, {"csat_mean", csat}, {"fcr_rate", fcr},
                 {"targets_met_rate", 1}, {"upheld_complaints", 0}};
    r.inputs = {{"exam_score", 80}, {"commendations", 0}};
    return r;
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<kpi::scorecard_row> rows = {
      row("lucky", jan, 3, 1, 5.0, 1.0),       // one 5-star rating, 3 tickets all solved: too few for either
      row("B", jan, 40, 20, 4.6, 0.90),         // CSAT 4.6 on 20 rated tickets
      row("A", jan, 50, 19, 4.8, 0.90),         // higher CSAT but 19 rated tickets: FCR star only (tie with B)
      row("C", jan, 30, 25, 4.6, 0.85),         // ties B on CSAT
      row("A", feb, 60, 30, 4.2, 0.95),
      row("B", feb, 60, 30, nan, 0.70),         // no ratings: not a CSAT candidate
  };
  const auto stars = kpi::service_stars(rows, 20);
  ASSERT_EQ(stars.size(), 4u);
  EXPECT_EQ(stars[0].period_start, jan);
  EXPECT_EQ(stars[0].award, kpi::star_award::csat);
  EXPECT_EQ(stars[0].value, 4.6);
  EXPECT_EQ(stars[0].subjects, (std::vector<std::string>{"B", "C"}));
  EXPECT_EQ(stars[1].award, kpi::star_award::fcr);
  EXPECT_EQ(stars[1].value, 0.90);
  EXPECT_EQ(stars[1].subjects, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(stars[2].period_start, feb);
  EXPECT_EQ(stars[2].subjects, (std::vector<std::string>{"A"}));  // CSAT 4.2: B has none
  EXPECT_EQ(stars[3].subjects, (std::vector<std::string>{"A"}));  // FCR 95%
  // With a minimum of 1 ticket the lucky agent wins both awards of January.
  const auto any = kpi::service_stars(rows, 1);
  EXPECT_EQ(any[0].subjects, (std::vector<std::string>{"lucky"}));
  EXPECT_EQ(any[1].subjects, (std::vector<std::string>{"lucky"}));
  // Nobody eligible: no award that month.
  EXPECT_TRUE(kpi::service_stars(rows, 100).empty());
  EXPECT_EQ(kefu_test::error_of([&] { kpi::service_stars(rows, 0); }),
            "service star: min_tickets must be a whole number of at least 1, got 0 (e.g. 20)");

  // The shipped agent scorecard flags them (service_star: {min_tickets: 20}).
  const auto sc = kpi::load_scorecard_file(std::string(KEFU_TEST_RULES_DIR) + "/kpi/scorecard-agent.yaml");
  ASSERT_EQ(sc->flags.service_star_min_tickets, std::optional<int>(20));
  const auto res = kpi::evaluate(*sc, rows);
  std::vector<std::string> csat, fcr;
  for (const auto& r : res) {
    if (r.star_csat) csat.push_back(r.subject + "@" + std::to_string(r.period_start - jan));
    if (r.star_fcr) fcr.push_back(r.subject + "@" + std::to_string(r.period_start - jan));
  }
  EXPECT_EQ(csat, (std::vector<std::string>{"B@0", "C@0", "A@31"}));
  EXPECT_EQ(fcr, (std::vector<std::string>{"B@0", "A@0", "A@31"}));
}

TEST(KpiScorecard, ServiceStarMinimumIsAWholeNumberOfTickets) {
  const std::string head =
      "scorecard: s\nitems:\n  - {id: a, weight: 100, value: csat_mean, full: 5}\nflags:\n  service_star: ";
  EXPECT_EQ(kpi::load_scorecard_string(head + "{}\n", "s.yaml")->flags.service_star_min_tickets,
            std::optional<int>(kpi::default_star_min_tickets));
  EXPECT_EQ(kefu_test::error_of([&] { kpi::load_scorecard_string(head + "{min_tickets: 0.5}\n", "s.yaml"); }),
            "s.yaml:5:31: min_tickets must be a whole number of tickets from 1 to 1000000, not '0.5' (default 20)");
  EXPECT_EQ(kefu_test::error_of([&] { kpi::load_scorecard_string(head + "{min_ticket: 5}\n", "s.yaml"); }),
            "s.yaml:5:18: unknown key 'min_ticket' in `service_star` (expected min_tickets) (did you mean 'min_tickets'?)");
}

TEST(KpiScorecard, UpheldComplaintsCountOverTheWholeRecordByDefault) {
  // DOM-KPI-6 (004 §3.10 被客户有理投诉超过5次(含)): 3 upheld complaints in January and 3 in February flag the
  // agent in February; the window is the whole retained record unless the scorecard names one.
  const auto card = [](const std::string& window) {
    return kpi::load_scorecard_string("scorecard: s\nitems:\n  - {id: a, weight: 100, value: csat_mean, full: 5}\n"
                                      "flags:\n  disciplinary_review: {metric: upheld_complaints, at_least: 5" +
                                          window + "}\n",
                                      "s.yaml");
  };
  std::vector<kpi::scorecard_row> rows;
  const auto month = [](int y, int m) { return kefu::to_days(boost::gregorian::date(y, m, 1)); };
  const std::pair<std::int64_t, double> history[] = {{month(2026, 1), 3}, {month(2026, 2), 3}, {month(2026, 3), 0},
                                                     {month(2026, 5), 1}};
  for (const auto& [start, upheld] : history) {
    kpi::scorecard_row r;
    r.subject = "A";
    r.period_start = start;
    r.metrics = {{"csat_mean", 4.5}, {"upheld_complaints", upheld}};
    rows.push_back(r);
    r.subject = "B";  // 4 in all: never flagged
    r.metrics["upheld_complaints"] = upheld == 3 ? 2 : 0;
    rows.push_back(r);
  }
  const auto flags = [&](const kpi::scorecard_ptr& sc) {
    std::string out;
    for (const auto& r : kpi::evaluate(*sc, rows)) out += r.disciplinary ? '1' : '0';
    return out;  // A Jan, B Jan, A Feb, B Feb, A Mar, B Mar, A May, B May
  };
  EXPECT_FALSE(card("")->flags.disciplinary_window_months.has_value());
  EXPECT_EQ(flags(card("")), "00101010");
  EXPECT_EQ(flags(card(", window: all")), "00101010");
  EXPECT_EQ(flags(card(", window: 1 month")), "00000000");  // the old per-month count
  EXPECT_EQ(flags(card(", window: 2 months")), "00100000");  // Jan–Feb holds 6, Feb–Mar 3, Apr–May 1
  EXPECT_EQ(flags(card(", window: 3 months")), "00101000");  // Jan–Mar holds 6, Mar–May 1 (April has no row)
  // Shipped scorecards count over the whole record.
  for (const char* f : {"/kpi/scorecard-agent.yaml", "/kpi/scorecard-monthly.yaml"})
    EXPECT_FALSE(kpi::load_scorecard_file(std::string(KEFU_TEST_RULES_DIR) + f)->flags.disciplinary_window_months) << f;

  const auto error_of = [&](const std::string& yaml) {
    try {
      kpi::load_scorecard_string(yaml, "s.yaml");
    } catch (const kefu::error& e) {
      return std::string(e.what());
    }
    return std::string("loaded");
  };
  const std::string head = "scorecard: s\nitems:\n  - {id: a, weight: 100, value: csat_mean, full: 5}\nflags:\n";
  EXPECT_EQ(error_of(head + "  disciplinary_review: {window: 3 weeks}\n"),
            "s.yaml:5:33: bad window '3 weeks' for disciplinary_review (expected all, the whole record, or 1 to 120 "
            "months, e.g. 1 month or 12 months)");
  EXPECT_EQ(error_of(head + "  disciplinary_review: {metric: csat_mean, at_least: 2}\n"),
            "s.yaml:5:33: disciplinary_review sums 'csat_mean' over the whole record (window: all), but it is not a "
            "count: give `window: 1 month` to judge each month alone");
  EXPECT_EQ(error_of(head + "  disciplinary_review: {metric: csat_mean, at_least: 2, window: 1 month}\n"), "loaded");
}

TEST(KpiQcSampler, AtLeastTwentyPercentPerAgentDayReproducibly) {
  const std::size_t n = 997;
  std::vector<std::int32_t> agent(n);
  std::vector<std::int64_t> created(n);
  std::vector<std::string> ids(n);
  for (std::size_t i = 0; i < n; ++i) {
    agent[i] = static_cast<std::int32_t>(i % 7);
    created[i] = t0 + static_cast<std::int64_t>(i % 5) * 86400 + static_cast<std::int64_t>(i);
    ids[i] = "T" + std::to_string(100000 + i);
  }
  kpi::label_column a;
  a.codes = agent.data();
  a.size = n;
  a.labels = {"a0", "a1", "a2", "a3", "a4", "a5", "a6"};
  const kpi::instant_column c{created.data(), n};
  kpi::qc_sampler s;
  s.seed = 42;
  const auto mask = s.sample(a, c, ids);
  EXPECT_EQ(mask, s.sample(a, c, ids));
  std::map<std::pair<int, std::int64_t>, std::pair<int, int>> cells;
  for (std::size_t i = 0; i < n; ++i) {
    auto& cell = cells[{agent[i], (created[i] + 8 * 3600) / 86400}];
    ++cell.first;
    cell.second += mask[i];
  }
  for (const auto& kv : cells) {
    EXPECT_GE(kv.second.second, 0.2 * kv.second.first);
    EXPECT_EQ(kv.second.second, static_cast<int>(std::ceil(0.2 * kv.second.first - 1e-9)));
  }
  s.seed = 43;
  EXPECT_NE(mask, s.sample(a, c, ids));
  // Row order does not matter.
  std::vector<std::size_t> perm(n);
  std::iota(perm.begin(), perm.end(), 0);
  std::reverse(perm.begin(), perm.end());
  std::vector<std::int32_t> agent2(n);
  std::vector<std::int64_t> created2(n);
  std::vector<std::string> ids2(n);
  for (std::size_t i = 0; i < n; ++i) agent2[i] = agent[perm[i]], created2[i] = created[perm[i]], ids2[i] = ids[perm[i]];
  a.codes = agent2.data();
  s.seed = 42;
  const auto mask2 = s.sample(a, {created2.data(), n}, ids2);
  for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(mask2[i], mask[perm[i]]);
}

// --- One source of truth: the column table, the counters, the metric entries, the partial layout ---

TEST(KpiColumns, TheTableDrivesTheRecords) {
  EXPECT_EQ(kpi::columns_of_kind(kpi::column_kind::label), kpi::dimension_count);
  EXPECT_EQ(kpi::columns_of_kind(kpi::column_kind::instant), 3u);
  EXPECT_EQ(kpi::columns_of_kind(kpi::column_kind::label) + kpi::columns_of_kind(kpi::column_kind::instant) +
                kpi::columns_of_kind(kpi::column_kind::number),  // numbers and flags
            kpi::column_count);
  EXPECT_EQ(kpi::info(kpi::column::csat).name, "csat");
  EXPECT_EQ(kpi::info(kpi::column::csat).unit.hi, 5);
  EXPECT_EQ(kpi::slot_of(kpi::column::handle_seconds), 0u);
  EXPECT_EQ(kpi::slot_of(kpi::column::csat), 6u);
  EXPECT_EQ(kpi::slot_of(kpi::column::resolved_at), 2u);

  // Every field is visited once, in the table's order, with its own storage.
  const fixture f;
  kpi::records r = f.view();
  std::vector<std::string> visited;
  std::size_t present = 0;
  kpi::for_each_column(r, [&](kpi::column c, const auto& field) {
    visited.emplace_back(kpi::info(c).name);
    present += field.present();
  });
  ASSERT_EQ(visited.size(), kpi::column_count);
  for (std::size_t k = 0; k < kpi::column_count; ++k) EXPECT_EQ(visited[k], kpi::columns[k].name);
  EXPECT_EQ(present, 17u);  // the fixture leaves out three optional flags
  EXPECT_EQ(kpi::find_column<kpi::number_column>(r, "nps"), &r.nps);
  EXPECT_EQ(kpi::find_column<kpi::instant_column>(r, "nps"), nullptr);
  EXPECT_EQ(kpi::find_column<kpi::label_column>(r, "channel"), &r.channel);
  EXPECT_EQ(kpi::column_list<kpi::instant_column>(), "created_at, first_response_at, resolved_at");

  // slice() moves every present column, whatever its storage.
  const kpi::records s = kpi::slice(r, 2, 5);
  EXPECT_EQ(s.rows, 3u);
  EXPECT_EQ(s.created_at.data, f.created.data() + 2);
  EXPECT_EQ(static_cast<const double*>(s.complaint_upheld.data), f.upheld.data() + 2);
  EXPECT_EQ(s.agent.code(0), 0);
  EXPECT_EQ(s.agent.code(1), 1);
}

TEST(KpiColumns, ShiftedErrorsKeepTheirReason) {
  const kpi::column_error e("csat", 3, "7 is outside 1–5 (whole numbers)");
  EXPECT_EQ(e.reason(), "7 is outside 1–5 (whole numbers)");
  EXPECT_EQ(e.id(), "kefu.kpi.column");
  const kpi::column_error moved = e.shifted(1000);
  EXPECT_EQ(moved.row(), 1003);
  EXPECT_EQ(moved.column(), "csat");
  EXPECT_STREQ(moved.what(), "column 'csat', row 1003: 7 is outside 1–5 (whole numbers)");
  // A column as a whole stays one (a reason that looks like a row prefix is not parsed).
  const kpi::column_error whole("nps", -1, "row 2: not rewritten");
  EXPECT_EQ(whole.shifted(10).row(), -1);
  EXPECT_STREQ(whole.shifted(10).what(), "column 'nps': row 2: not rewritten");
}

TEST(KpiMetrics, EveryMetricIsANameWithItsFormula) {
  const auto& names = kpi::base_metric_names();
  ASSERT_EQ(names.size(), std::size(kpi::base_metrics));
  for (std::size_t k = 0; k < names.size(); ++k) EXPECT_EQ(names[k], kpi::base_metrics[k].name);
  kpi::metric_unit u{};
  ASSERT_TRUE(kpi::metric_unit_of("frt_p90", u));
  EXPECT_EQ(u, kpi::metric_unit::seconds);
  ASSERT_TRUE(kpi::metric_unit_of("aht[phone]", u));
  EXPECT_EQ(u, kpi::metric_unit::seconds);
  ASSERT_TRUE(kpi::metric_unit_of("sla_closure_72h", u));
  EXPECT_EQ(u, kpi::metric_unit::rate);
  EXPECT_FALSE(kpi::metric_unit_of("fcr_rte", u));
  const fixture f;
  const kpi::table t = kpi::compute(f.view(), by_agent());
  const auto all = kpi::metric_names(t);
  EXPECT_EQ(all.size(), names.size() + 3 * t.targeted_channels().size() + t.config().goals->sla.size() + 1);
  try {
    kpi::metric_value(t, 0, "fcr_rte");
    FAIL();
  } catch (const kefu::error& e) {
    EXPECT_EQ(e.id(), "kefu.kpi.metric");
  }
}

TEST(KpiMerge, PartialsCarryTheirLayout) {
  // The tag is derived from the counters, channel sums and columns, not written by hand.
  const std::string& layout = kpi::partial_layout();
  for (auto name : kpi::counter_names) EXPECT_NE(layout.find(" " + std::string(name)), std::string::npos) << name;
  for (const auto& c : kpi::columns) EXPECT_NE(layout.find(" " + std::string(c.name) + ":"), std::string::npos);
  const std::string& tag = kpi::partial_tag();
  ASSERT_EQ(tag.size(), 16u);
  EXPECT_EQ(tag.substr(0, 8), "KEFUKPI:");

  const fixture f;
  const kpi::options o = by_agent();
  const std::string bytes = kpi::compute(f.view(), o).to_bytes();
  EXPECT_EQ(bytes.substr(0, tag.size()), tag);
  const auto id_of = [&](const std::string& b) {
    try {
      kpi::table::from_bytes(b, o);
    } catch (const kefu::error& e) {
      return e.id() + ": " + e.detail();
    }
    return std::string("read");
  };
  // A partial of the layout before tags were derived, or of another layout: refused, saying why.
  const std::string body = bytes.substr(tag.size());
  EXPECT_EQ(id_of("KEFUKPI2" + body).substr(0, 59), "kefu.kpi.partial: KPI partial has another layout (KEFUKPI2,");
  std::string other = bytes;
  other[10] = other[10] == '0' ? '1' : '0';
  EXPECT_NE(id_of(other).find("kefu.kpi.partial: KPI partial has another layout (KEFUKPI:"), std::string::npos);
  EXPECT_NE(id_of(other).find("this kefu reads " + tag), std::string::npos);
  EXPECT_EQ(id_of("garbage"), "kefu.kpi.partial: not a kefu KPI partial (bad header)");
  EXPECT_EQ(id_of(bytes.substr(0, bytes.size() - 1)), "kefu.kpi.partial: KPI partial is truncated");
  EXPECT_EQ(id_of(bytes + "x"), "kefu.kpi.partial: KPI partial has trailing bytes");
  kpi::options month = o;
  month.per = kpi::period::month;
  EXPECT_EQ(id_of(kpi::compute(f.view(), month).to_bytes()).rfind("kefu.kpi.options: KPI partial was computed with "
                                                                  "different options (",
                                                                  0),
            0u);
  kpi::table a = kpi::compute(f.view(), o);
  try {
    a.merge(kpi::compute(f.view(), month));
    FAIL();
  } catch (const kefu::error& e) {
    EXPECT_EQ(e.id(), "kefu.kpi.options");
  }
}

TEST(KpiTargets, ErrorsHaveTheirIds) {
  const auto id_of = [](auto load, const std::string& yaml) {
    try {
      load(yaml, "f.yaml");
    } catch (const kefu::policy_error& e) {
      return e.id();
    } catch (const kefu::error& e) {
      return "not a policy_error: " + e.id();
    }
    return std::string("loaded");
  };
  const auto targets = [](const std::string& y, const std::string& n) { kpi::load_targets_string(y, n); };
  const auto scorecard = [](const std::string& y, const std::string& n) { kpi::load_scorecard_string(y, n); };
  EXPECT_EQ(id_of(targets, "targets: t\nmetrics:\n  - {metric: fcr_rte, at_least: 90%}\n"), "kefu.kpi.targets");
  EXPECT_EQ(id_of(targets, "targets: t\nchannels:\n  online: {first_response: soon}\n"), "kefu.kpi.targets");
  EXPECT_EQ(id_of(targets, "targets: t\ntargets: u\n"), "kefu.kpi.targets");   // duplicate key
  EXPECT_EQ(id_of(targets, "targets: [a, b]\n"), "kefu.kpi.targets");           // not a single value
  EXPECT_EQ(id_of(scorecard, "scorecard: s\nitems:\n  - {id: a, weight: 90, value: csat_mean, full: 5}\n"),
            "kefu.kpi.scorecard");
  try {
    kpi::load_targets_string("targets: [\n", "f.yaml");  // YAML syntax stays a parse error
    FAIL();
  } catch (const kefu::parse_error& e) {
    EXPECT_EQ(e.id(), "kefu.parse");
  }
}

namespace {

/// Where the first group of a partial starts (after tag, fingerprint and the label lists).
std::size_t first_group_at(const std::string& bytes) {
  std::size_t pos = kpi::partial_tag().size();
  auto u64 = [&] {
    std::uint64_t v;
    std::memcpy(&v, bytes.data() + pos, 8);
    pos += 8;
    return v;
  };
  pos += u64();  // fingerprint
  for (std::size_t d = 0; d < kpi::dimension_count; ++d)
    for (std::uint64_t n = u64(), k = 0; k < n; ++k) pos += u64();
  u64();  // group count
  return pos;
}

template <class T>
std::string with(std::string bytes, std::size_t at, T v) {
  std::memcpy(&bytes[at], &v, sizeof(T));
  return bytes;
}

std::string partial_error(const std::string& bytes, const kpi::options& o) {
  try {
    kpi::table::from_bytes(bytes, o);
  } catch (const kefu::error& e) {
    EXPECT_EQ(e.id(), "kefu.kpi.partial") << e.what();
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(KpiPartials, EveryFieldIsCheckedBeforeItIsTrusted) {
  // Partials cross process boundaries (kefu.dask): a changed field is an error, never a crash or a
  // negative count (the hardening audit made both with one changed field).
  const fixture f;
  kpi::options o;
  o.by = {kpi::dimension::channel};
  o.per = kpi::period::month;
  const std::string bytes = kpi::compute(f.view(), o).to_bytes();
  const std::size_t g = first_group_at(bytes);
  const std::size_t channel_code = g + 4 * static_cast<std::size_t>(kpi::dimension::channel);
  const std::size_t period = g + 4 * kpi::dimension_count, tickets = period + 8;
  EXPECT_EQ(kpi::table::from_bytes(bytes, o).size(), 3u);
  EXPECT_EQ(partial_error(with<std::int32_t>(bytes, channel_code, 7), o),
            "KPI partial is corrupt (group 0: label code 7 of channel)");
  EXPECT_EQ(partial_error(with<std::int32_t>(bytes, channel_code, -1), o),
            "KPI partial is corrupt (group 0: label code -1 of channel)");
  EXPECT_EQ(partial_error(with<std::int32_t>(bytes, g, 1), o),  // agent is not grouped: its code must be 0
            "KPI partial is corrupt (group 0: label code 1 of agent)");
  EXPECT_EQ(partial_error(with<std::int64_t>(bytes, tickets, -2), o), "KPI partial is corrupt (group 0: tickets is negative)");
  EXPECT_EQ(partial_error(with<std::int64_t>(bytes, period, std::int64_t{1} << 62), o),
            "KPI partial is corrupt (group 0: period start 4611686018427387904)");
  // Counts that would overflow when merged: an error, and the table is left as it was.
  const kpi::table huge = kpi::table::from_bytes(with<std::int64_t>(bytes, tickets, std::numeric_limits<std::int64_t>::max() - 1), o);
  kpi::table merged = huge;
  try {
    merged.merge(huge);
    FAIL() << "a merge past the int64 range must not wrap";
  } catch (const kefu::error& e) {
    EXPECT_EQ(std::string(e.what()), "KPI counts overflow when merging partials (a count past 9.2e18)");
    EXPECT_EQ(e.id(), "kefu.kpi.overflow");
  }
  EXPECT_TRUE(merged == huge);
}

// A merge is checked whole before it changes anything: here the overflow is in the other table's second group,
// after a group with a label this table has never seen, and the table (labels included) stays as it was.
TEST(KpiPartials, ARefusedMergeChangesNothingWhereverTheOverflowIs) {
  const fixture f;
  const kpi::options o = by_agent();
  const std::string bytes = kpi::compute(f.view(), o).to_bytes();
  const std::size_t tickets = first_group_at(bytes) + 4 * kpi::dimension_count + 8;  // agent A's tickets
  const kpi::table huge = kpi::table::from_bytes(with<std::int64_t>(bytes, tickets, std::numeric_limits<std::int64_t>::max() - 1), o);
  kpi::records r = f.view();
  r.agent.labels = {"0", "A"};  // code 0 becomes a new agent "0" (sorting first); code 1 (2 tickets) becomes A
  const kpi::table other = kpi::compute(r, o);
  ASSERT_EQ(other.size(), 2u);
  ASSERT_EQ(other.label(0, kpi::dimension::agent), "0");
  kpi::table merged = huge;
  EXPECT_THROW(merged.merge(other), kefu::error);
  EXPECT_TRUE(merged == huge);
  EXPECT_EQ(merged.to_bytes(), huge.to_bytes());
}

// Merging a table into itself doubles every count and every sketch bucket (the merge reads and writes one table).
TEST(KpiPartials, ATableMergedIntoItselfCountsTwice) {
  const fixture f;
  kpi::table twice = kpi::compute(f.view(), by_agent());
  twice.merge(twice);
  kpi::table expected = kpi::compute(f.view(), by_agent());
  expected.merge(kpi::compute(f.view(), by_agent()));
  EXPECT_TRUE(twice == expected);
  EXPECT_EQ(metric(twice, 0, "tickets"), 6);
}

// The sketch's block merge gives the layout and counts of adding the other sketch's values one by one,
// whichever side reaches lower or higher buckets (random sketches; the merge is what kefu.dask relies on).
TEST(KpiSketch, MergeEqualsAddingTheValuesOneByOne) {
  const kpi::sketch_mapping m(0.005);
  std::uint64_t state = 12345;
  auto next = [&] { state = state * 6364136223846793005ULL + 1442695040888963407ULL; return state >> 33; };
  for (int round = 0; round < 500; ++round) {
    kpi::quantile_sketch a, b, expected;
    std::vector<std::int64_t> bs;
    const auto base_a = static_cast<std::int64_t>(next() % 100000), base_b = static_cast<std::int64_t>(next() % 100000);
    for (auto n = next() % 40; n > 0; --n) {
      const std::int64_t x = next() % 8 == 0 ? 0 : base_a + static_cast<std::int64_t>(next() % 5000);
      a.add_whole(x, m);
      expected.add_whole(x, m);
    }
    for (auto n = next() % 40; n > 0; --n) {
      const std::int64_t x = next() % 8 == 0 ? 0 : base_b + static_cast<std::int64_t>(next() % 5000);
      b.add_whole(x, m);
      bs.push_back(x);
    }
    for (auto x : bs) expected.add_whole(x, m);
    a.merge(b);
    ASSERT_TRUE(a == expected) << "round " << round;
    ASSERT_EQ(a.offset(), expected.offset()) << "round " << round;
    ASSERT_EQ(a.counts().size(), expected.counts().size()) << "round " << round;
  }
}

// DOM-KPI-1: the pass counts every row the same whatever its chunk — an odd last row, hundreds of equal FRTs in
// one group (more than a byte per bucket holds), a zero FRT, one past the table of whole seconds (4.5 h), and a
// count of 2^52 or more (exact, read one row at a time) — and the sketch equals one built value by value.
TEST(KpiMetrics, EveryRowCountsOnceWhateverItsChunk) {
  const std::size_t n = 2 * 1024 + 1;
  const std::int64_t na = kpi::missing_instant, big = (std::int64_t(1) << 52) + 2;
  std::vector<std::int32_t> codes(n, 0);
  std::vector<std::int64_t> created(n), first(n), resolved(n, na), responses(n, 1), contacts(n, 1);
  std::vector<double> handle(n, 0.0005), response_s(n, 1.25);  // 0.5 ms rounds up to 1 ms
  std::vector<std::uint8_t> no(n, 0);
  kpi::sketch_mapping m(0.005);
  kpi::quantile_sketch expected;
  std::int64_t frt_sum = 0, responded = 0;
  for (std::size_t i = 0; i < n; ++i) {
    created[i] = t0 + static_cast<std::int64_t>(i);
    const std::int64_t frt = i == 7 ? 0 : i == 8 ? 20'000 : i % 10 == 9 ? -1 : i < 1500 ? 30 : 100;
    first[i] = frt < 0 ? na : created[i] + frt;
    if (frt >= 0) expected.add_whole(frt, m), frt_sum += frt, ++responded;
  }
  responses[n - 1] = big;  // the odd last row
  responses[1030] = big;
  kpi::records r;
  r.rows = n;
  kpi::label_column agent;
  agent.codes = codes.data();
  agent.size = n;
  agent.labels = {"A"};
  r.agent = agent;
  r.created_at = {created.data(), n};
  r.first_response_at = {first.data(), n};
  r.resolved_at = {resolved.data(), n};
  r.handle_seconds = {handle.data(), n};
  r.responses = {responses.data(), n};
  r.response_seconds = {response_s.data(), n};
  r.contacts = {contacts.data(), n};
  r.escalated = {no.data(), n};
  r.reopened = {no.data(), n};
  kpi::options o;  // no targets: the row loop alone
  o.by = {kpi::dimension::agent};
  const kpi::table t = kpi::compute(r, o);
  ASSERT_EQ(t.size(), 1u);
  const auto& c = t.stats(0).c;
  EXPECT_EQ(c[kpi::c_tickets], static_cast<std::int64_t>(n));
  EXPECT_EQ(c[kpi::c_responded], responded);
  EXPECT_EQ(c[kpi::c_frt_sum], frt_sum);
  EXPECT_EQ(c[kpi::c_responses], static_cast<std::int64_t>(n - 2) + 2 * big);
  EXPECT_EQ(c[kpi::c_handle_ms], static_cast<std::int64_t>(n));
  EXPECT_EQ(c[kpi::c_response_ms], static_cast<std::int64_t>(n) * 1250);
  EXPECT_TRUE(t.stats(0).frt == expected);
  EXPECT_EQ(t.stats(0).frt.zero_count(), 1u);
  EXPECT_TRUE(kpi::compute(r, o, 3) == t);
}
