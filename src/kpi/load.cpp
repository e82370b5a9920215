// KPI targets and scorecards: YAML → compiled objects. Format: docs/kpis.md.
#include <kefu/calendar/load.hpp>
#include <kefu/detail/suggest.hpp>
#include <kefu/kpi/load.hpp>
#include <kefu/kpi/metrics.hpp>

#include "detail/yaml_support.hpp"
#include "load_documents.hpp"

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

namespace kefu::kpi {

namespace {

namespace fs = std::filesystem;
using kefu::detail::location_of;

/// The ids of errors in targets and scorecard files (docs/errors.md).
constexpr const char* targets_error = "kefu.kpi.targets";
constexpr const char* scorecard_error = "kefu.kpi.scorecard";

struct reader {
  const kefu::detail::yaml_file& f;
  const char* id;  ///< of every error of this file: targets_error or scorecard_error
  const calendar_map* calendars = nullptr;  ///< a rules directory's own calendars, looked up first

  [[noreturn]] void fail(const YAML::Node& node, const std::string& what) const {
    throw policy_error(what, location_of(node, f.name), {}, id);
  }
  std::string text(const YAML::Node& node, const std::string& what) const {
    try {
      return kefu::detail::scalar_text(node, f.name, what);
    } catch (const policy_error& e) {
      throw policy_error(e.detail(), e.where(), e.rule_id(), id);
    }
  }
  void check_duplicate_keys(const YAML::Node& doc) const {
    try {
      kefu::detail::check_duplicate_keys(f, doc);
    } catch (const policy_error& e) {
      throw policy_error(e.detail(), e.where(), e.rule_id(), id);
    }
  }
  template <class Keys>
  void check_keys(const YAML::Node& map, const Keys& known, const std::string& where) const {
    if (!map.IsMap()) fail(map, where + " must be a mapping");
    for (const auto& kv : map) {
      const std::string key = kv.first.Scalar();
      if (std::find(std::begin(known), std::end(known), key) == std::end(known)) {
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        fail(kv.first, "unknown key '" + key + "' in " + where + " (expected " + list + ")" +
                           kefu::detail::did_you_mean(key, known));
      }
    }
  }
  /// A number; with `percent`, "90%" is 0.9 and a plain number is taken as is.
  double number(const YAML::Node& node, const std::string& what, bool percent = false) const {
    std::string t = text(node, what);
    double scale = 1;
    if (percent && !t.empty() && t.back() == '%') {
      t.pop_back();
      scale = 0.01;
    }
    const char* begin = t.c_str();
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(begin, &end);
    if (t.empty() || end != begin + t.size() || errno != 0 || !std::isfinite(v))
      fail(node, "bad number '" + text(node, what) + "' for " + what + (percent ? " (expected e.g. 90% or 0.9)" : ""));
    return v * scale;
  }
  calendar::duration duration(const YAML::Node& node, const std::string& what) const {
    try {
      return calendar::parse_duration(text(node, what));
    } catch (const parse_error& e) {
      throw policy_error(e.detail() + " (" + what + ")", location_of(node, f.name), {}, id);
    }
  }
  std::int64_t wall_seconds(const YAML::Node& node, const std::string& what) const {
    const calendar::duration d = duration(node, what);
    if (d.kind != calendar::clock::wall)
      fail(node, what + " must be wall-clock time such as 30s, 5min or 2h, not '" + calendar::to_string(d) + "'");
    return d.amount;
  }
  std::string optional_text(const YAML::Node& map, const char* key) const {
    return map[key] ? text(map[key], std::string("'") + key + "'") : std::string();
  }
};

/// Every metric a targets file may name, for a set of channels and SLA names.
std::vector<std::string> known_metrics(const targets& t) {
  std::vector<std::string> names = base_metric_names();
  for (const auto& c : t.channels)
    for (const auto& m : channel_metrics) names.push_back(std::string(m.name) + "[" + c.channel + "]");
  for (const auto& s : t.sla) names.push_back("sla_" + s.name);
  return names;
}

/// Metrics in seconds, whose goals are durations ("30s", "5min").
bool is_time_metric(const std::string& m) {
  metric_unit unit{};
  return metric_unit_of(m, unit) && unit == metric_unit::seconds;
}

std::shared_ptr<const calendar::calendar> find_calendar(const reader& r, const YAML::Node& node) {
  const std::string spec = r.text(node, "'calendar'");
  if (r.calendars)
    if (const auto it = r.calendars->find(spec); it != r.calendars->end()) return it->second;
  const bool is_path = spec.find('/') != std::string::npos || (spec.size() > 5 && spec.substr(spec.size() - 5) == ".yaml");
  const fs::path dir = r.f.name.empty() || r.f.name[0] == '<' ? fs::path() : fs::path(r.f.name).parent_path();
  std::error_code ec;
  if (!dir.empty()) {
    const fs::path candidate = is_path ? dir / spec : dir / (spec + ".yaml");
    if (fs::is_regular_file(candidate, ec)) return calendar::load_file(candidate.lexically_normal().generic_string());
  }
  try {
    return calendar::builtin(spec);
  } catch (const error& e) {
    throw policy_error(e.detail(), location_of(node, r.f.name), {}, r.id);
  }
}

/// 100, 62.5: a number as an author writes it.
std::string plain_number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

/// `training: {full_marks: 100, pass_mark: 60, follow_up_days: [30, 60, 90], source: …}` (003).
training_rules read_training(const reader& r, const YAML::Node& node) {
  static constexpr std::array<const char*, 4> keys = {"full_marks", "pass_mark", "follow_up_days", "source"};
  r.check_keys(node, keys, "`training`");
  training_rules t;
  t.where = location_of(node, r.f.name);
  t.source = r.optional_text(node, "source");
  if (node["full_marks"]) {
    t.full_marks = r.number(node["full_marks"], "full_marks");
    if (!(t.full_marks > 0) || t.full_marks > 1000) r.fail(node["full_marks"], "full_marks must be above 0 and at most 1000 (003: 100)");
  }
  if (node["pass_mark"]) {
    t.pass_mark = r.number(node["pass_mark"], "pass_mark");
    if (t.pass_mark < 0 || t.pass_mark > t.full_marks)
      r.fail(node["pass_mark"], "pass_mark must be between 0 and full_marks (" + plain_number(t.full_marks) +
                                    "); 003 passes an exam at 60 of 100");
  } else if (node["full_marks"]) {
    r.fail(node, "`training` with full_marks needs its pass_mark too (003: pass_mark 60 of full_marks 100)");
  }
  if (const YAML::Node days = node["follow_up_days"]) {
    if (!days.IsSequence())
      r.fail(days, "follow_up_days is a list of whole days after the training ends, e.g. [30, 60, 90]");
    t.follow_up_days.clear();
    for (const auto& d : days) {
      const double v = r.number(d, "a follow-up day");
      if (v != std::floor(v) || v < 1 || v > 3650)
        r.fail(d, "a follow-up day is a whole number of days from 1 to 3650, not '" + r.text(d, "a follow-up day") + "'");
      const auto day = static_cast<std::int32_t>(v);
      if (!t.follow_up_days.empty() && day <= t.follow_up_days.back())
        r.fail(d, "follow_up_days must go up: " + std::to_string(day) + " comes after " + std::to_string(t.follow_up_days.back()));
      t.follow_up_days.push_back(day);
    }
  }
  return t;
}

targets_ptr compile_targets(const kefu::detail::yaml_file& f, const calendar_map* calendars) {
  const reader r{f, targets_error, calendars};
  const YAML::Node& doc = f.root;
  r.check_duplicate_keys(doc);
  static constexpr std::array<const char*, 10> keys = {"targets", "description", "source", "version", "qc_pass_mark",
                                                       "waiting_bands", "channels", "sla", "metrics", "training"};
  r.check_keys(doc, keys, "a targets file");
  if (!doc["targets"]) r.fail(doc, "a targets file starts with `targets: NAME` (the name its scorecards use)");
  auto t = std::make_shared<targets>();
  t->name = r.text(doc["targets"], "'targets'");
  t->where = location_of(doc["targets"], f.name);
  if (t->name.empty()) r.fail(doc["targets"], "'targets' needs a name");
  t->description = r.optional_text(doc, "description");
  t->source = r.optional_text(doc, "source");
  if (doc["qc_pass_mark"]) {
    t->qc_pass_mark = r.number(doc["qc_pass_mark"], "qc_pass_mark");
    if (t->qc_pass_mark < 0 || t->qc_pass_mark > 100) r.fail(doc["qc_pass_mark"], "qc_pass_mark must be between 0 and 100");
  }
  if (const YAML::Node bands = doc["waiting_bands"]) {
    // 003's waiting times: patient up to the first, explain up to the second, alternatives up to the third.
    if (!bands.IsSequence() || bands.size() != 3)
      r.fail(bands, "`waiting_bands` is a list of three wall-clock durations, e.g. [30s, 2min, 5min] (patient waiting "
                    "up to the first, explain up to the second, offer alternatives up to the third, complaint risk past it)");
    for (std::size_t k = 0; k < 3; ++k) {
      t->wait_bands[k] = r.wall_seconds(bands[k], "a waiting band");
      if (t->wait_bands[k] <= (k ? t->wait_bands[k - 1] : 0))
        r.fail(bands[k], "waiting band '" + r.text(bands[k], "a waiting band") + "' must be longer than " +
                             (k ? "the one before it" : std::string("0s")) + " (e.g. [30s, 2min, 5min])");
    }
  }
  if (const YAML::Node channels = doc["channels"]) {
    if (!channels.IsMap()) r.fail(channels, "`channels` must map a channel to its thresholds, e.g. online: {first_response: 30s}");
    static constexpr std::array<const char*, 3> ckeys = {"first_response", "average_response", "handling"};
    for (const auto& kv : channels) {
      channel_thresholds c;
      c.channel = kv.first.Scalar();
      c.where = location_of(kv.first, f.name);
      r.check_keys(kv.second, ckeys, "channel '" + c.channel + "'");
      if (kv.second["first_response"]) c.first_response = r.wall_seconds(kv.second["first_response"], "first_response");
      if (kv.second["average_response"])
        c.average_response = r.wall_seconds(kv.second["average_response"], "average_response");
      if (kv.second["handling"]) c.handling = r.wall_seconds(kv.second["handling"], "handling");
      t->channels.push_back(std::move(c));
      const channel_thresholds& cc = t->channels.back();
      const auto add = [&](const char* metric, const std::optional<std::int64_t>& s, const char* key) {
        if (!s) return;
        metric_target m;
        m.metric = std::string(metric) + "[" + cc.channel + "]";
        m.cmp = comparison::at_most;
        m.threshold = static_cast<double>(*s);
        m.text = "≤ " + calendar::to_string(calendar::duration::wall_seconds(*s));
        m.where = location_of(kv.second[key], f.name);
        t->metrics.push_back(m);
      };
      add("frt_mean", cc.first_response, "first_response");
      add("art", cc.average_response, "average_response");
      add("aht", cc.handling, "handling");
    }
  }
  if (const YAML::Node sla = doc["sla"]) {
    if (!sla.IsSequence()) r.fail(sla, "`sla` must be a list of {name, until, within, calendar} entries");
    static constexpr std::array<const char*, 4> skeys = {"name", "until", "within", "calendar"};
    std::set<std::string> names;
    for (const auto& item : sla) {
      r.check_keys(item, skeys, "an sla entry");
      for (const char* k : {"name", "until", "within"})
        if (!item[k]) r.fail(item, std::string("an sla entry needs `") + k + ":`");
      sla_target s;
      s.where = location_of(item, f.name);
      s.name = r.text(item["name"], "'name'");
      if (!names.insert(s.name).second) r.fail(item["name"], "sla '" + s.name + "' is defined twice");
      const std::string until = r.text(item["until"], "'until'");
      if (until == "first_response") s.until = sla_event::first_response;
      else if (until == "resolution") s.until = sla_event::resolution;
      else r.fail(item["until"], "unknown sla event '" + until + "' (expected first_response or resolution)");
      s.within = r.duration(item["within"], "sla '" + s.name + "'");
      if (s.within.amount < 0) r.fail(item["within"], "an sla needs a duration ≥ 0");
      if (item["calendar"]) s.on = find_calendar(r, item["calendar"]);
      if (s.within.kind != calendar::clock::wall && !s.on)
        r.fail(item["within"], "sla '" + s.name + "' counts " + calendar::to_string(s.within) +
                                   ": name the calendar that defines them (calendar: cn-mainland)");
      t->sla.push_back(std::move(s));
    }
  }
  if (const YAML::Node metrics = doc["metrics"]) {
    if (!metrics.IsSequence()) r.fail(metrics, "`metrics` must be a list of {metric, at_least | at_most} entries");
    static constexpr std::array<const char*, 4> mkeys = {"metric", "at_least", "at_most", "source"};
    const std::vector<std::string> known = known_metrics(*t);
    for (const auto& item : metrics) {
      r.check_keys(item, mkeys, "a metric goal");
      if (!item["metric"]) r.fail(item, "a metric goal needs `metric:`");
      metric_target m;
      m.where = location_of(item, f.name);
      m.metric = r.text(item["metric"], "'metric'");
      if (std::find(known.begin(), known.end(), m.metric) == known.end())
        r.fail(item["metric"], "unknown metric '" + m.metric + "'" + kefu::detail::did_you_mean(m.metric, known));
      if (static_cast<bool>(item["at_least"]) == static_cast<bool>(item["at_most"]))
        r.fail(item, "metric goal '" + m.metric + "' needs exactly one of at_least and at_most");
      const YAML::Node bound = item["at_least"] ? item["at_least"] : item["at_most"];
      m.cmp = item["at_least"] ? comparison::at_least : comparison::at_most;
      const std::string written = r.text(bound, "the goal");
      const bool is_time = is_time_metric(m.metric);
      m.threshold = is_time ? static_cast<double>(r.wall_seconds(bound, "goal of " + m.metric))
                            : r.number(bound, "goal of " + m.metric, true);
      m.text = std::string(m.cmp == comparison::at_least ? "≥ " : "≤ ") + written;
      t->metrics.push_back(std::move(m));
    }
  }
  if (const YAML::Node training = doc["training"]) t->training = read_training(r, training);
  // A file with no goals at all is half-written (cut before its lists), not a choice: say so.
  if (t->channels.empty() && t->sla.empty() && t->metrics.empty() && !t->training)
    r.fail(doc["targets"], "targets '" + t->name + "' set no goals: give `channels:`, `sla:`, `metrics:` or `training:` (docs/kpis.md)");
  return t;
}

/// A metric a scorecard reads: a KPI metric name, a per-channel or SLA one (`frt_mean[online]`, `sla_…`) or
/// targets_met_rate.
void check_metric(const reader& r, const YAML::Node& node, const std::string& text, const std::string& what,
                  const std::string& expected) {
  const auto& known = base_metric_names();
  const bool qualified = text.find('[') != std::string::npos || text.rfind("sla_", 0) == 0 || text == "targets_met_rate";
  if (!qualified && std::find(known.begin(), known.end(), text) == known.end())
    r.fail(node, what + ": unknown metric '" + text + "'" + expected + kefu::detail::did_you_mean(text, known));
}

std::string metric_name(const reader& r, const YAML::Node& node, const std::string& what) {
  const std::string text = r.text(node, what);
  check_metric(r, node, text, what, "");
  return text;
}

term compile_term(const reader& r, const YAML::Node& node, const std::string& what) {
  term t;
  t.where = location_of(node, r.f.name);
  if (node.IsMap()) {
    if (node.size() != 1 || !(node["max"] || node["min"]))
      r.fail(node, what + ": a formula mapping is {max: [terms]} or {min: [terms]}");
    const YAML::Node args = node["max"] ? node["max"] : node["min"];
    t.k = node["max"] ? term::kind::max_of : term::kind::min_of;
    if (!args.IsSequence() || args.size() == 0) r.fail(args, what + ": max/min takes a non-empty list of terms");
    for (const auto& a : args) t.args.push_back(compile_term(r, a, what));
    return t;
  }
  const std::string text = r.text(node, what);
  if (text.rfind("input.", 0) == 0) {
    t.k = term::kind::input;
    t.name = text.substr(6);
    if (t.name.empty()) r.fail(node, what + ": 'input.' needs a name");
    return t;
  }
  const char* begin = text.c_str();
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  if (!text.empty() && end == begin + text.size()) {
    t.k = term::kind::constant;
    t.constant = v;
    return t;
  }
  check_metric(r, node, text, what, " (a KPI metric, input.NAME or a number)");
  t.k = term::kind::metric;
  t.name = text;
  return t;
}

/// A disciplinary window: `all` (nullopt: the whole record) or `N month(s)`, N from 1 to 120.
std::optional<int> window_months(const reader& r, const YAML::Node& node) {
  const std::string text = r.text(node, "'window'");
  if (text == "all") return std::nullopt;
  const auto space = text.find(' ');
  const std::string unit = space == std::string::npos ? std::string() : text.substr(space + 1);
  const char* begin = text.c_str();
  char* end = nullptr;
  errno = 0;
  const long n = std::strtol(begin, &end, 10);
  if (space == std::string::npos || end != begin + space || errno != 0 || n < 1 || n > 120 ||
      (unit != "month" && unit != "months"))
    r.fail(node, "bad window '" + text + "' for disciplinary_review (expected all, the whole record, or 1 to 120 "
                 "months, e.g. 1 month or 12 months)");
  return static_cast<int>(n);
}

scorecard_ptr compile_scorecard(const kefu::detail::yaml_file& f) {
  const reader r{f, scorecard_error};
  const YAML::Node& doc = f.root;
  r.check_duplicate_keys(doc);
  static constexpr std::array<const char*, 8> keys = {"scorecard", "description", "source", "version",
                                                      "subject", "items", "bonus", "flags"};
  r.check_keys(doc, keys, "a scorecard file");
  auto sc = std::make_shared<scorecard>();
  if (!doc["scorecard"]) r.fail(doc, "a scorecard file starts with `scorecard: NAME`");
  sc->where = location_of(doc["scorecard"], f.name);
  sc->name = r.text(doc["scorecard"], "'scorecard'");
  if (sc->name.empty()) r.fail(doc["scorecard"], "'scorecard' needs a name");
  sc->description = r.optional_text(doc, "description");
  sc->source = r.optional_text(doc, "source");
  if (doc["subject"]) {
    sc->subject = r.text(doc["subject"], "'subject'");
    if (sc->subject != "agent" && sc->subject != "team")
      r.fail(doc["subject"], "unknown subject '" + sc->subject + "' (expected agent or team)");
  }
  const YAML::Node items = doc["items"];
  if (!items || !items.IsSequence() || items.size() == 0)
    r.fail(items ? items : doc["scorecard"], "a scorecard needs `items:`, a list of weighted items");
  static constexpr std::array<const char*, 7> ikeys = {"id", "group", "description", "weight", "value", "full", "cap"};
  std::set<std::string> ids;
  double sum = 0;
  std::string parts;
  for (const auto& item : items) {
    r.check_keys(item, ikeys, "a scorecard item");
    for (const char* k : {"id", "weight", "value", "full"})
      if (!item[k]) r.fail(item, std::string("a scorecard item needs `") + k + ":`");
    scorecard_item it;
    it.where = location_of(item, f.name);
    it.id = r.text(item["id"], "'id'");
    if (!ids.insert(it.id).second) r.fail(item["id"], "item '" + it.id + "' is defined twice");
    it.group = r.optional_text(item, "group");
    it.description = r.optional_text(item, "description");
    it.weight = r.number(item["weight"], "weight of '" + it.id + "'", false);
    if (it.weight < 0) r.fail(item["weight"], "weight of '" + it.id + "' is negative");
    it.value = compile_term(r, item["value"], "item '" + it.id + "' value");
    it.full = compile_term(r, item["full"], "item '" + it.id + "' full");
    if (item["cap"]) {
      const std::string c = r.text(item["cap"], "'cap'");
      if (c == "none") it.cap.reset();
      else it.cap = r.number(item["cap"], "cap of '" + it.id + "'", true);
    }
    sum += it.weight;
    parts += (parts.empty() ? "" : " + ") + it.id + " " + detail::format_number(it.weight);
    sc->items.push_back(std::move(it));
  }
  if (std::fabs(sum - 100) > 1e-9)
    r.fail(items, "scorecard '" + sc->name + "': item weights sum to " + detail::format_number(sum) +
                      ", not 100 (" + parts + ")");
  if (const YAML::Node bonus = doc["bonus"]) {
    if (!bonus.IsSequence()) r.fail(bonus, "`bonus` must be a list of {id, value, points} entries");
    static constexpr std::array<const char*, 4> bkeys = {"id", "description", "value", "points"};
    for (const auto& item : bonus) {
      r.check_keys(item, bkeys, "a bonus entry");
      if (!item["id"] || !item["value"]) r.fail(item, "a bonus entry needs `id:` and `value:`");
      scorecard_bonus b;
      b.where = location_of(item, f.name);
      b.id = r.text(item["id"], "'id'");
      b.description = r.optional_text(item, "description");
      b.value = compile_term(r, item["value"], "bonus '" + b.id + "' value");
      if (item["points"]) b.points = r.number(item["points"], "points of '" + b.id + "'");
      sc->bonuses.push_back(std::move(b));
    }
  }
  if (const YAML::Node flags = doc["flags"]) {
    static constexpr std::array<const char*, 4> fkeys = {"retrain_bottom", "promotion", "disciplinary_review",
                                                         "service_star"};
    r.check_keys(flags, fkeys, "`flags`");
    if (flags["retrain_bottom"]) {
      const double v = r.number(flags["retrain_bottom"], "retrain_bottom", true);
      if (v <= 0 || v > 1) r.fail(flags["retrain_bottom"], "retrain_bottom must be a share such as 10%");
      sc->flags.retrain_bottom = v;
    }
    if (const YAML::Node p = flags["promotion"]) {
      static constexpr std::array<const char*, 5> pkeys = {"months", "metric", "at_least", "rank_by", "top"};
      r.check_keys(p, pkeys, "`promotion`");
      if (!p["months"]) r.fail(p, "`promotion` needs `months:`");
      const double months = r.number(p["months"], "months");
      // Bounded before the conversion to int (a fuzzer wrote 8.9e79 months): ten years is far beyond any review.
      if (months < 1 || months > 120 || months != std::floor(months))
        r.fail(p["months"], "months must be a whole number from 1 to 120");
      sc->flags.promotion_months = static_cast<int>(months);
      if (p["metric"]) sc->flags.promotion_metric = metric_name(r, p["metric"], "promotion 'metric'");
      if (p["at_least"]) sc->flags.promotion_at_least = r.number(p["at_least"], "at_least", true);
      if (p["rank_by"]) sc->flags.promotion_rank_by = metric_name(r, p["rank_by"], "promotion 'rank_by'");
      if (p["top"]) sc->flags.promotion_top = r.number(p["top"], "top", true);
    }
    if (const YAML::Node d = flags["disciplinary_review"]) {
      static constexpr std::array<const char*, 3> dkeys = {"metric", "at_least", "window"};
      r.check_keys(d, dkeys, "`disciplinary_review`");
      sc->flags.disciplinary_metric =
          d["metric"] ? metric_name(r, d["metric"], "disciplinary_review 'metric'") : std::string("upheld_complaints");
      if (d["at_least"]) sc->flags.disciplinary_at_least = r.number(d["at_least"], "at_least");
      if (d["window"]) sc->flags.disciplinary_window_months = window_months(r, d["window"]);
      // Summing over months means something for counts only (upheld complaints, tickets), not for rates.
      metric_unit unit{};
      const std::string& metric = *sc->flags.disciplinary_metric;
      const auto& window = sc->flags.disciplinary_window_months;
      if (window != 1 && !(metric_unit_of(metric, unit) && unit == metric_unit::count))
        r.fail(d["metric"] ? d["metric"] : d,
               "disciplinary_review sums '" + metric + "' over " +
                   (window ? std::to_string(*window) + " months" : std::string("the whole record (window: all)")) +
                   ", but it is not a count: give `window: 1 month` to judge each month alone");
    }
    if (const YAML::Node star = flags["service_star"]) {
      // 002 §7.3 月度服务之星 (DOM-KPI-8): `service_star: {}` takes the default minimum.
      static constexpr std::array<const char*, 1> skeys = {"min_tickets"};
      r.check_keys(star, skeys, "`service_star`");
      sc->flags.service_star_min_tickets = default_star_min_tickets;
      if (star["min_tickets"]) {
        const double n = r.number(star["min_tickets"], "min_tickets");
        if (n < 1 || n > 1000000 || n != std::floor(n))
          r.fail(star["min_tickets"], "min_tickets must be a whole number of tickets from 1 to 1000000, not '" +
                                          r.text(star["min_tickets"], "min_tickets") + "' (default " +
                                          std::to_string(default_star_min_tickets) + ")");
        sc->flags.service_star_min_tickets = static_cast<int>(n);
      }
    }
  }
  return sc;
}

template <class F>
auto load(const kefu::detail::yaml_file& f, F compile) {
  return kefu::detail::with_char_columns(f.text, [&] { return compile(f); });
}

}  // namespace

targets_ptr load_targets_file(const std::string& path) { return detail::load_targets_document(kefu::detail::read_yaml_file(path)); }
targets_ptr load_targets_file(const std::string& path, const calendar_map& calendars) {
  return detail::load_targets_document(kefu::detail::read_yaml_file(path), &calendars);
}
targets_ptr load_targets_string(const std::string& yaml, const std::string& display_name) {
  return detail::load_targets_document(kefu::detail::read_yaml_string(yaml, display_name));
}
scorecard_ptr load_scorecard_file(const std::string& path) { return detail::load_scorecard_document(kefu::detail::read_yaml_file(path)); }
scorecard_ptr load_scorecard_string(const std::string& yaml, const std::string& display_name) {
  return detail::load_scorecard_document(kefu::detail::read_yaml_string(yaml, display_name));
}

targets_ptr detail::load_targets_document(const kefu::detail::yaml_file& f, const calendar_map* calendars) {
  return load(f, [&](const kefu::detail::yaml_file& file) { return compile_targets(file, calendars); });
}
scorecard_ptr detail::load_scorecard_document(const kefu::detail::yaml_file& f) { return load(f, compile_scorecard); }

}  // namespace kefu::kpi
