// Threads at once (the hardening issue: sanitizers and threads in CI): a policy_handle reloaded from good and
// bad rules directories while readers decide with it, triage on two threads, and at the same time the core's
// multi-threaded batch paths — columnar evaluation, replay and KPI compute, each with threads > 1 — on shared
// immutable policies, the way the Python bindings call them with the GIL released. Every result must equal the
// single-threaded result computed before the threads start, exactly; a reader must always hold a whole old or
// new policy; a refused reload must keep the old one.
//
// KEFU_STRESS (environment, default 1) sets the rounds: one round is 7 reloads (4 good, 3 refused), and the
// other threads run for as long as the reloads last (at least once each). The normal and ASan builds run one
// round; `make test-tsan` runs KEFU_STRESS=10 under ThreadSanitizer (docs/reliability.md, "Threads and TSan").
#include <kefu/kpi/kpi.hpp>
#include <kefu/rules/batch.hpp>
#include <kefu/rules/policy_handle.hpp>
#include <kefu/rules/triage.hpp>
#include <kefu/ticket/replay.hpp>

#include "calendar_test_support.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
namespace kr = kefu::rules;
namespace kt = kefu::ticket;
namespace kpi = kefu::kpi;
using namespace kefu_test;

namespace {

const std::string rules_dir = KEFU_TEST_RULES_DIR;

/// KEFU_STRESS rounds (at least 1).
int stress_rounds() {
  const char* env = std::getenv("KEFU_STRESS");
  const int n = env ? std::atoi(env) : 1;
  return n > 0 ? n : 1;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
void write_file(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}
/// `text` with the first `from` replaced by `to`; fails the test when `from` is not there.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

/// A scratch directory of its own per run (pid and a random number), removed at the end.
struct unique_scratch {
  fs::path path;
  unique_scratch() {
    path = fs::temp_directory_path() /
           ("kefu-thread-stress-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~unique_scratch() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

/// Failures seen on worker threads, reported on the main thread (GoogleTest assertions stay there).
struct failures {
  std::mutex m;
  std::vector<std::string> list;
  void add(std::string what) {
    const std::lock_guard<std::mutex> lock(m);
    if (list.size() < 20) list.push_back(std::move(what));
  }
};

/// The message of whatever `f` throws ("no error" when nothing).
std::string outcome_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const kefu::error& e) {
    return std::string(e.id()) + ": " + e.what();
  } catch (const std::exception& e) {
    return std::string("std::exception: ") + e.what();
  }
  return "no error";
}

// ---- the texts and facts every part uses ------------------------------------------------------------------

const char* const texts[] = {"",
                             "请问我昨天下的单什么时候发货？",
                             "我要投诉你们",
                             "再不退我就发微博曝光",
                             "打了１２３１５热线",
                             "订单4123159876",
                             "吃了拉肚子住院了",
                             "律师函已经寄出，准备起诉",
                             "客服态度差",
                             "服务烂透了",  // an anger word only in version B below
                             "孩子过敏了, 要去消协",
                             "hello"};
constexpr std::size_t text_count = sizeof(texts) / sizeof(texts[0]);

// ---- the policy handle: good and bad rules directories, alternating ------------------------------------------

/// Rules directories a handle is pointed at through the symlink `live`: version A (the shipped risk policy),
/// version B (one more anger word: decides some texts differently), and three that must be refused: a
/// half-written risk.yaml (invalid YAML), one that loads but fails a rule test, one without its facts file.
struct rules_dirs {
  fs::path root, live;
  std::vector<std::string> good{"good-A", "good-B"};

  explicit rules_dirs(const fs::path& scratch) : root(scratch), live(scratch / "live") {
    const std::string risk = read_file(rules_dir + "/risk.yaml"), facts = read_file(rules_dir + "/facts.yaml"),
                      tests = read_file(rules_dir + "/tests/risk.yaml");
    const std::string a = replaced(risk, "version: \"2026.2\"", "version: \"A\"");
    const std::string b = replaced(replaced(risk, "version: \"2026.2\"", "version: \"B\""),
                                   "  anger:\n    words: [态度差,", "  anger:\n    words: [烂透, 态度差,");
    const std::string safety_high = replaced(a, "then: {level: critical", "then: {level: high");
    const std::string half_written = a.substr(0, a.find("then: {level: critical") + std::strlen("then: {level: cri"));
    const auto make = [&](const std::string& name, const std::string& risk_text, bool with_facts) {
      write_file(root / name / "risk.yaml", risk_text);
      if (with_facts) write_file(root / name / "facts.yaml", facts);
      write_file(root / name / "tests" / "risk.yaml", tests);
    };
    make("good-A", a, true);
    make("good-B", b, true);
    make("bad-yaml", half_written, true);
    make("bad-test", safety_high, true);
    make("bad-facts", a, false);
    point_at("good-A");
  }
  /// Points `live` at a directory: a new symlink renamed over the old one (one atomic step, as a deploy would).
  void point_at(const std::string& name) const {
    const fs::path next = root / "live.next";
    fs::remove(next);
    fs::create_directory_symlink(root / name, next);
    fs::rename(next, live);
  }
  std::string policy_path() const { return (live / "risk.yaml").generic_string(); }
  std::string suite_path() const { return (live / "tests" / "risk.yaml").generic_string(); }
};

/// Records for the risk policy (one per text, with claims and flags varied) and what a policy decides for them.
struct risk_cases {
  struct input {
    std::string category, text, claimed;
    bool collective, vip, cold_chain_break;
    int repeat;
  };
  std::vector<input> inputs;
  risk_cases() {
    const char* categories[] = {"consultation", "quality_defect", "safety_injury", "logistics_delay"};
    for (std::size_t i = 0; i < 4 * text_count; ++i)
      inputs.push_back({categories[i % 4], texts[i % text_count],
                        i % 5 == 0 ? "1000.01" : (i % 5 == 1 ? "1000" : "12.5"),
                        i % 11 == 3, i % 2 == 0, i % 13 == 5, static_cast<int>(i % 3)});
  }
  std::vector<kr::record> records(const kr::policy& p) const {
    std::vector<kr::record> out;
    for (const auto& in : inputs) {
      auto r = p.make_record();
      p.set(r, p.slot("category"), in.category);
      p.set(r, p.slot("text"), in.text);
      p.set(r, p.slot("claimed_amount"), in.claimed);
      p.set(r, p.slot("collective"), in.collective ? "true" : "false");
      p.set(r, p.slot("vip"), in.vip ? "true" : "false");
      p.set(r, p.slot("cold_chain_break_confirmed"), in.cold_chain_break ? "true" : "false");
      p.set(r, p.slot("counterfeit_suspected"), "false");
      p.set(r, p.slot("repeat_complaints"), std::to_string(in.repeat));
      out.push_back(std::move(r));
    }
    return out;
  }
  /// Each record's matched rules, by id, and its level.
  std::vector<std::string> decide(const kr::policy& p, const std::vector<kr::record>& rs) const {
    std::vector<std::string> out;
    kr::decision d;
    for (const auto& r : rs) {
      p.evaluate(r, d);
      std::string s = d.by_default ? "default" : "";
      for (const auto m : d.matched) s += p.rules()[m].id + ",";
      const auto level = p.outputs_of(d)[0];
      s += " → " + (level ? p.outputs()[0].values[static_cast<std::size_t>(level->number)] : std::string("unset"));
      out.push_back(std::move(s));
    }
    return out;
  }
};

// ---- triage -----------------------------------------------------------------------------------------------

std::string render(const kr::sla_deadline& d) {
  return d.what + "/" + d.within + "/" + d.calendar + "/" + kefu::format_instant(d.due) + "/" + d.rule_id +
         (d.provisional ? "/provisional" : "");
}
/// Everything a triage result says, as text (exact comparison).
std::string render(const kr::triage_result& r) {
  std::ostringstream o;
  o << r.risk.level << " [";
  for (const auto& s : r.risk.signals) {
    o << s.rule_id << ':' << s.level << ':';
    for (const auto& w : s.words) o << w << ',';
    o << ';';
  }
  o << "] " << r.tier << " [";
  for (const auto& t : r.tier_rules) o << t << ',';
  o << "] [";
  for (const auto& w : r.owners) o << w << ',';
  o << "] " << r.follow_up_required << r.report_required << ' ' << render(r.first_response) << ' '
    << render(r.resolution) << ' ' << (r.follow_up ? render(*r.follow_up) : "-") << " [";
  for (const auto& t : r.targets) o << render(t) << ';';
  o << "] " << r.refund.decision << '/' << r.refund.rule_id << '/' << r.refund.reason << ' '
    << (r.days_since_purchase ? std::to_string(*r.days_since_purchase) : "-") << '\n'
    << r.explanation;
  return o.str();
}

/// Ticket facts received every 37 hours from 2026-02-10 (the Spring Festival, Qingming, May Day …; past 2026 the
/// calendar's projection), with the texts above.
std::vector<kr::record> triage_facts(const kr::triage_policy& t, std::size_t n, const char* id_prefix) {
  const char* business[] = {"mall", "ecommerce", "fresh", "smart_counter"};
  const char* channel[] = {"phone", "online", "email", "wecom"};
  const char* category[] = {"quality_defect", "consultation", "refund_request", "logistics_delay", "safety_injury"};
  std::vector<kr::record> out;
  for (std::size_t k = 0; k < n; ++k) {
    auto f = t.make_facts();
    t.set_fact(f, "ticket_id", id_prefix + std::to_string(1000 + k));
    t.set_fact(f, "business", business[k % 4]);
    t.set_fact(f, "channel", channel[(k / 4) % 4]);
    t.set_fact(f, "category", category[k % 5]);
    const kefu::instant received = cst("2026-02-10T09:30") + kefu::seconds(static_cast<std::int64_t>(k) * 37 * 3600);
    t.set_fact(f, "received_at", kefu::format_instant(received));
    if (k % 3) t.set_fact(f, "purchased_at", "2026-02-0" + std::to_string(1 + k % 9));
    t.set_fact(f, "has_receipt", k % 2 ? "true" : "false");
    t.set_fact(f, "text", texts[k % text_count]);
    t.set_fact(f, "claimed_amount", k % 7 == 0 ? "1500" : "88.8");
    t.set_fact(f, "repeat_complaints", std::to_string(k % 4));
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<std::string> triage_all(const kr::triage_policy& t, const std::vector<kr::record>& facts) {
  std::vector<std::string> out;
  for (const auto& f : facts) {
    std::string r;
    const std::string error = outcome_of([&] { r = render(t.triage(f, true)); });
    out.push_back(error == "no error" ? r : error);
  }
  return out;
}

// ---- columnar evaluation (what Policy.evaluate_columns hands the core) ------------------------------------

/// Typed columns for every input of a policy, random but seeded: borrowed numbers with a missing mask where
/// the input has a default (as the binding passes them, checked), borrowed texts.
struct columns {
  std::size_t n;
  std::vector<std::vector<std::int64_t>> numbers;
  std::vector<std::vector<std::string_view>> views;
  std::vector<std::vector<std::uint8_t>> missing;

  columns(const kr::policy& p, std::size_t rows, unsigned seed) : n(rows) {
    std::mt19937_64 rng(seed);
    const auto pick = [&](std::int64_t lo, std::int64_t hi) {
      return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    const auto& inputs = p.inputs();
    numbers.resize(inputs.size());
    views.resize(inputs.size());
    missing.resize(inputs.size());
    for (std::size_t s = 0; s < inputs.size(); ++s) {
      const auto& f = inputs[s];
      for (std::size_t i = 0; i < n; ++i) {
        std::int64_t v = 0;
        switch (f.type) {
          case kr::value_type::boolean: v = pick(0, 1); break;
          case kr::value_type::integer: v = pick(0, 5); break;
          case kr::value_type::money: v = pick(0, 3) == 0 ? 100000 + pick(-1, 1) : pick(0, 150001); break;
          case kr::value_type::enumeration: v = pick(0, static_cast<std::int64_t>(f.values.size()) - 1); break;
          case kr::value_type::set: v = pick(0, (std::int64_t{1} << f.values.size()) - 1); break;
          case kr::value_type::date: v = day("2026-01-01") + pick(-400, 400); break;
          case kr::value_type::datetime: v = cst("2026-01-01T00:00").unix_seconds() + pick(-30000000, 30000000); break;
          case kr::value_type::duration: v = pick(0, 1000000); break;
          case kr::value_type::decimal: v = pick(0, 10000000); break;
          default: break;
        }
        numbers[s].push_back(v);
        views[s].push_back(texts[pick(0, text_count - 1)]);
      }
      if (f.default_text) {
        missing[s].resize(n);
        for (auto& m : missing[s]) m = pick(0, 9) == 0 ? 1 : 0;
      }
    }
  }
  kr::batch batch(const kr::policy& p) const {
    kr::batch b(p, n);
    for (std::size_t s = 0; s < numbers.size(); ++s) {
      const std::uint8_t* mask = missing[s].empty() ? nullptr : missing[s].data();
      if (p.inputs()[s].type == kr::value_type::text)
        b.texts(s, views[s].data(), mask);
      else
        b.numbers(s, numbers[s].data(), mask, true);
    }
    return b;
  }
};

bool same(const kr::decision_columns& a, const kr::decision_columns& b) {
  return a.rule_index == b.rule_index && a.by_default == b.by_default && a.match_offsets == b.match_offsets &&
         a.match_rules == b.match_rules;
}

// ---- replay (what kefu.replay hands the core) ---------------------------------------------------------------

/// Each ticket of `facts`: triage (its own tier), start, for some a request for information and the reply, then
/// resolve — events every tier accepts; rows interleaved across tickets in time order.
kt::event_log replay_log(const kr::triage_policy& t, const std::vector<kr::record>& facts) {
  struct row {
    std::string id;
    kefu::instant at;
    kt::event_kind kind;
  };
  std::vector<row> rows;
  const std::size_t id_slot = t.fact_slot("ticket_id"), received_slot = t.fact_slot("received_at");
  for (std::size_t k = 0; k < facts.size(); ++k) {
    const std::string id(facts[k].texts[id_slot]);
    kefu::instant at = kefu::instant::from_unix(facts[k].numbers[received_slot]);
    const auto next = [&](std::int64_t minutes) { return at += kefu::seconds(60 * minutes); };
    rows.push_back({id, next(5), kt::event_kind::triage});
    rows.push_back({id, next(30), kt::event_kind::start});
    if (k % 3 == 0) {
      rows.push_back({id, next(60), kt::event_kind::request_info});
      rows.push_back({id, next(300), kt::event_kind::customer_reply});
    }
    rows.push_back({id, next(120), kt::event_kind::resolve});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const row& a, const row& b) { return a.at < b.at; });
  kt::event_log log;
  for (const auto& r : rows) log.add(r.id, r.at, r.kind, "op-" + r.id);
  return log;
}

// ---- KPI records (what kefu.kpi hands the core) -------------------------------------------------------------

struct kpi_rows {
  std::vector<std::int32_t> agent, team, channel, category, contacts;
  std::vector<std::int64_t> created, first, resolved, responses;
  std::vector<double> handle, response_s, csat, nps, qc;
  std::vector<std::uint8_t> escalated, reopened;

  kpi_rows(std::size_t n, unsigned seed) {
    std::mt19937_64 rng(seed);
    const auto pick = [&](std::int64_t lo, std::int64_t hi) {
      return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::int64_t t0 = cst("2026-01-26T08:00").unix_seconds();  // weeks around the Spring Festival
    for (std::size_t i = 0; i < n; ++i) {
      agent.push_back(static_cast<std::int32_t>(pick(0, 5)));
      team.push_back(static_cast<std::int32_t>(pick(0, 1)));
      channel.push_back(static_cast<std::int32_t>(pick(0, 2)));
      category.push_back(static_cast<std::int32_t>(pick(0, 3)));
      const std::int64_t c = t0 + pick(0, 40 * 86400);
      created.push_back(c);
      first.push_back(pick(0, 9) == 0 ? kpi::missing_instant : c + pick(1, 4000));
      resolved.push_back(pick(0, 4) == 0 ? kpi::missing_instant : c + pick(600, 6 * 86400));
      handle.push_back(static_cast<double>(pick(30, 3000)) + 0.25);
      const std::int64_t k = pick(0, 6);
      responses.push_back(k);
      response_s.push_back(static_cast<double>(k * pick(5, 400)));
      contacts.push_back(static_cast<std::int32_t>(pick(1, 3)));
      escalated.push_back(pick(0, 9) == 0);
      reopened.push_back(pick(0, 14) == 0);
      csat.push_back(pick(0, 2) == 0 ? nan : static_cast<double>(pick(1, 5)));
      nps.push_back(pick(0, 2) == 0 ? nan : static_cast<double>(pick(0, 10)));
      qc.push_back(pick(0, 4) == 0 ? static_cast<double>(pick(0, 100)) : nan);
    }
  }
  kpi::records view() const {
    kpi::records r;
    r.rows = agent.size();
    const auto lab = [&](const std::vector<std::int32_t>& c, std::vector<std::string> labels) {
      kpi::label_column l;
      l.codes = c.data();
      l.size = r.rows;
      l.labels = std::move(labels);
      return l;
    };
    r.agent = lab(agent, {"张", "王", "李", "赵", "陈", "刘"});
    r.team = lab(team, {"T1", "T2"});
    r.channel = lab(channel, {"online", "phone", "email"});
    r.category = lab(category, {"refund_request", "consultation", "quality_defect", "logistics_delay"});
    r.created_at = {created.data(), r.rows};
    r.first_response_at = {first.data(), r.rows};
    r.resolved_at = {resolved.data(), r.rows};
    r.handle_seconds = {handle.data(), r.rows};
    r.responses = {responses.data(), r.rows};
    r.response_seconds = {response_s.data(), r.rows};
    r.contacts = {contacts.data(), r.rows};
    r.escalated = {escalated.data(), r.rows};
    r.reopened = {reopened.data(), r.rows};
    r.csat = {csat.data(), r.rows};
    r.nps = {nps.data(), r.rows};
    r.qc_score = {qc.data(), r.rows};
    return r;
  }
};

/// Every metric of every group, as text (NaN printed as such).
std::string metrics_text(const kpi::table& t) {
  std::ostringstream o;
  o.precision(17);
  const auto names = kpi::metric_names(t);
  for (std::size_t g = 0; g < t.size(); ++g) {
    const auto values = kpi::metric_values(t, g);
    for (std::size_t k = 0; k < values.size(); ++k) o << g << ':' << names[k] << '=' << values[k] << ';';
  }
  return o.str();
}

}  // namespace

TEST(ThreadStress, ReloadTriageBatchReplayAndKpiAtOnce) {
  const int rounds = stress_rounds();
  unique_scratch scratch;
  failures failed;

  // ---- what one thread computes, before any thread starts ----
  const rules_dirs dirs(scratch.path);
  const risk_cases cases;
  std::map<std::string, std::vector<std::string>> expected_risk;  // by version
  std::map<std::string, std::size_t> rule_count;
  for (const auto& name : dirs.good) {
    const auto p = kr::load_policy_file((dirs.root / name / "risk.yaml").generic_string());
    expected_risk[p->version()] = cases.decide(*p, cases.records(*p));
    rule_count[p->version()] = p->rules().size();
  }
  ASSERT_EQ(expected_risk.size(), 2u);
  ASSERT_NE(expected_risk["A"], expected_risk["B"]);  // the versions decide differently, so a mix would show

  const auto triage = kr::triage_policy::load_directory(rules_dir);
  const std::vector<kr::record> facts = triage_facts(*triage, 40, "S-");
  const std::vector<std::string> expected_triage = triage_all(*triage, facts);
  for (const auto& t : expected_triage) ASSERT_NE(t.rfind("kefu.", 0), 0u) << t;  // results, not errors

  const auto risk = triage->policies()[0];
  const columns cols(*risk, 6000, 17);
  const auto expected_columns = kr::evaluate_columns(cols.batch(*risk), {1, 1});
  // The binding's conversion errors: a value refused at row 4100 and one at 1200 of another column (the earlier wins).
  const auto refused_batch = [&] {
    kr::batch b = cols.batch(*risk);
    b.refuse(risk->slot("repeat_complaints"), 4100,
             std::make_exception_ptr(kefu::error("input 'repeat_complaints': bad value")));
    b.refuse(risk->slot("claimed_amount"), 1200,
             std::make_exception_ptr(kefu::error("input 'claimed_amount': bad value")));
    return b;
  };
  const std::string expected_refusal = outcome_of([&] { kr::evaluate_columns(refused_batch(), {1, 1}); });
  ASSERT_NE(expected_refusal, "no error");
  // An error met while the shares decide (no rule and no default) at rows 9000 and 15000: row 9000's.
  const auto strict = kr::load_policy_string(
      "policy: strict\ninputs: {n: int}\noutputs: {ok: bool}\nrules:\n  - {id: LOW, when: n < 5, then: {ok: true}}\n",
      "strict.yaml");
  std::vector<std::int64_t> strict_n(20000, 1);
  strict_n[15000] = strict_n[9000] = 9;
  const auto strict_batch = [&] {
    kr::batch b(*strict, strict_n.size());
    b.numbers("n", strict_n.data());
    return b;
  };
  const std::string expected_no_match = outcome_of([&] { kr::evaluate_columns(strict_batch(), {1, 1}); });
  ASSERT_NE(expected_no_match.find("row 9000: "), std::string::npos) << expected_no_match;

  const std::vector<kr::record> replay_facts = triage_facts(*triage, 240, "R-");
  const kt::event_log log = replay_log(*triage, replay_facts);
  kt::replay_options one, many;
  one.threads = 1;
  many.threads = 4;
  many.min_share = 1;
  std::vector<kr::triage_result> expected_triaged;
  const std::vector<kt::ticket> expected_tickets = kt::replay(*triage, replay_facts, log, one, &expected_triaged);
  ASSERT_EQ(expected_tickets.size(), replay_facts.size());
  // Two refused events, in tickets of different shares: the earlier ticket's error, whatever the threads.
  kt::event_log refused_log = log;
  refused_log.add("R-1200", cst("2027-12-30T09:00"), kt::event_kind::start, "op");
  refused_log.add("R-1070", cst("2027-12-30T09:00"), kt::event_kind::start, "op");
  const std::string expected_replay_error = outcome_of([&] { kt::replay(*triage, replay_facts, refused_log, one); });
  ASSERT_NE(expected_replay_error.find("ticket 'R-1070'"), std::string::npos) << expected_replay_error;

  const kpi_rows kpi_data(6000, 23);
  const kpi::records kpi_records = kpi_data.view();
  kpi::options kpi_options;
  kpi_options.by = {kpi::dimension::channel, kpi::dimension::agent};
  kpi_options.per = kpi::period::week;
  kpi_options.goals = kpi::load_targets_file(rules_dir + "/kpi/targets.yaml");
  const kpi::table expected_kpi = kpi::compute(kpi_records, kpi_options);
  const std::string expected_metrics = metrics_text(expected_kpi);
  ASSERT_GT(expected_kpi.size(), 20u);

  // ---- the threads ----
  kr::policy_handle handle(dirs.policy_path(), {dirs.suite_path()});
  ASSERT_EQ(handle.current()->version(), "A");
  constexpr int readers = 2;
  std::atomic<bool> reloads_done{false};
  std::atomic<long> reader_iterations[readers] = {};
  std::atomic<long> decisions{0}, triaged_count{0}, reloads{0}, refused_reloads{0}, batch_runs{0}, replay_runs{0},
      kpi_runs{0};
  std::vector<std::thread> threads;

  // The reloader: good and bad directories alternating. After each reload it waits until every reader has run
  // two iterations since, so every version is decided with and the next reload overlaps reading.
  threads.emplace_back([&] {
    const char* order[] = {"bad-yaml", "good-B", "bad-test", "good-A", "bad-facts", "good-B", "good-A"};
    const std::map<std::string, std::string> refused_for = {
        {"bad-yaml", "invalid YAML"}, {"bad-test", "rule test"}, {"bad-facts", "no facts file"}};
    std::string live_version = "A";
    for (int round = 0; round < rounds; ++round)
      for (const std::string name : order) {
        try {
          dirs.point_at(name);
          const kr::reload_result r = handle.reload();
          const bool good = name.rfind("good-", 0) == 0;
          if (r.swapped != good || (!good && r.message.find(refused_for.at(name)) == std::string::npos))
            failed.add("reload of " + name + ": swapped " + std::to_string(r.swapped) + ": " + r.message);
          if (good) live_version = name.substr(5);
          if (!good) ++refused_reloads;
          ++reloads;
          if (handle.current()->version() != live_version)
            failed.add("after " + name + " the handle holds version " + handle.current()->version());
        } catch (const std::exception& e) {
          failed.add("reloader: " + std::string(e.what()));
        }
        long seen[readers];
        for (int k = 0; k < readers; ++k) seen[k] = reader_iterations[k].load();
        for (int k = 0; k < readers; ++k)
          while (reader_iterations[k].load() < seen[k] + 2) std::this_thread::yield();
      }
    reloads_done = true;
  });

  // Readers: the handle's current policy on every risk record — a whole version A or B, never a mix. They touch
  // nothing but the handle and their policy, so nothing else orders their reads against the reloader's swaps.
  for (int k = 0; k < readers; ++k)
    threads.emplace_back([&, k] {
      std::map<std::string, long> versions_seen;
      const std::vector<kr::record> records = cases.records(*handle.current());
      while (!reloads_done.load()) {
        try {
          const kr::policy_ptr p = handle.current();
          const auto expected = expected_risk.find(p->version());
          if (expected == expected_risk.end() || p->rules().size() != rule_count.at(p->version())) {
            failed.add("reader " + std::to_string(k) + " holds version '" + p->version() + "' with " +
                       std::to_string(p->rules().size()) + " rules");
          } else if (cases.decide(*p, records) != expected->second) {
            failed.add("reader " + std::to_string(k) + ": version " + p->version() + " decided otherwise than alone");
          }
          ++versions_seen[p->version()];
          decisions += static_cast<long>(records.size());
        } catch (const std::exception& e) {
          failed.add("reader " + std::to_string(k) + ": " + e.what());
        }
        ++reader_iterations[k];
      }
      if (versions_seen.size() != 2) failed.add("reader " + std::to_string(k) + " did not decide with both versions");
    });

  // Triage from two threads on the shared directory policy (what a service does between reloads).
  for (int k = 0; k < 2; ++k)
    threads.emplace_back([&, k] {
      for (int i = 0; i < rounds || !reloads_done.load(); ++i) {
        for (std::size_t f = static_cast<std::size_t>(k); f < facts.size(); f += 2) {
          std::string r;
          const std::string error = outcome_of([&] { r = render(triage->triage(facts[f], true)); });
          if ((error == "no error" ? r : error) != expected_triage[f])
            failed.add("triage thread " + std::to_string(k) + ": facts " + std::to_string(f) +
                       " triaged otherwise than alone");
          ++triaged_count;
        }
      }
    });

  // The batch paths, each with threads > 1, repeated.
  threads.emplace_back([&] {
    for (int i = 0; i < rounds || !reloads_done.load(); ++i) {
      try {
        if (!same(kr::evaluate_columns(cols.batch(*risk), {4, 1}), expected_columns))
          failed.add("evaluate_columns on 4 threads differs from 1");
        if (!same(kr::evaluate_columns(cols.batch(*risk), {3, 1000}), expected_columns))
          failed.add("evaluate_columns on 3 threads differs from 1");
        const std::string refusal = outcome_of([&] { kr::evaluate_columns(refused_batch(), {4, 1}); });
        if (refusal != expected_refusal) failed.add("evaluate_columns error on 4 threads: " + refusal);
        const std::string no_match = outcome_of([&] { kr::evaluate_columns(strict_batch(), {4, 1}); });
        if (no_match != expected_no_match) failed.add("evaluate_columns error on 4 threads: " + no_match);
        ++batch_runs;
      } catch (const std::exception& e) {
        failed.add(std::string("batch: ") + e.what());
      }
    }
  });
  threads.emplace_back([&] {
    for (int i = 0; i < rounds || !reloads_done.load(); ++i) {
      try {
        std::vector<kr::triage_result> triaged;
        const auto tickets = kt::replay(*triage, replay_facts, log, many, &triaged);
        bool equal = tickets.size() == expected_tickets.size() && triaged.size() == expected_triaged.size();
        for (std::size_t t = 0; equal && t < tickets.size(); ++t)
          equal = tickets[t] == expected_tickets[t] && render(triaged[t]) == render(expected_triaged[t]);
        if (!equal) failed.add("replay on 4 threads differs from 1");
        const std::string error = outcome_of([&] { kt::replay(*triage, replay_facts, refused_log, many); });
        if (error != expected_replay_error) failed.add("replay error on 4 threads: " + error);
        ++replay_runs;
      } catch (const std::exception& e) {
        failed.add(std::string("replay: ") + e.what());
      }
    }
  });
  threads.emplace_back([&] {
    for (int i = 0; i < rounds || !reloads_done.load(); ++i) {
      try {
        const kpi::table three = kpi::compute(kpi_records, kpi_options, 3);
        if (!(three == expected_kpi) || metrics_text(three) != expected_metrics)
          failed.add("KPI compute on 3 threads differs from 1");
        // Partials as Dask ships them: four slices computed apart, serialised, merged in reverse order.
        const std::size_t n = kpi_records.rows;
        kpi::table merged(kpi_options);
        for (std::size_t s = 4; s-- > 0;) {
          const kpi::table part = kpi::compute(kpi::slice(kpi_records, n * s / 4, n * (s + 1) / 4), kpi_options);
          merged.merge(kpi::table::from_bytes(part.to_bytes(), kpi_options));
        }
        if (!(merged == expected_kpi) || metrics_text(merged) != expected_metrics)
          failed.add("merged KPI partials differ from one pass");
        ++kpi_runs;
      } catch (const std::exception& e) {
        failed.add(std::string("kpi: ") + e.what());
      }
    }
  });
  for (auto& t : threads) t.join();

  for (const auto& f : failed.list) ADD_FAILURE() << f;
  EXPECT_EQ(reloads.load(), rounds * 7);
  EXPECT_EQ(refused_reloads.load(), rounds * 3);
  EXPECT_GT(decisions.load(), 0);
  EXPECT_GT(triaged_count.load(), 0);
  EXPECT_GE(batch_runs.load(), rounds);
  EXPECT_GE(replay_runs.load(), rounds);
  EXPECT_GE(kpi_runs.load(), rounds);
  std::printf("[ stress   ] %d rounds: %ld reloads (%ld refused), %ld risk decisions on %d readers, %ld triages, "
              "%ld columnar batches, %ld replays, %ld KPI passes\n",
              rounds, reloads.load(), refused_reloads.load(), decisions.load(), readers, triaged_count.load(),
              batch_runs.load(), replay_runs.load(), kpi_runs.load());
}
