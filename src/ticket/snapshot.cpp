// kefu — ticket snapshots: to_json / from_json, plan_to_json and plan_difference, on nlohmann-json.
//
// The format is the one snapshots have always had (kefu_ticket 1): compact JSON with a line break before each
// tier of the plan and before each history and deadline-change record, escapes as \uXXXX except \" \\ \n \r
// \t. to_json() writes it byte for byte (tests/data/ticket-snapshots/ pins it). from_json() is strict: unknown
// or duplicate members, wrong types and numbers that are not integers are errors naming the member's path,
// with the line and column where its value starts; the history is replayed and must lead to the recorded
// states, flags and clocks. Every error is a parse_error with id kefu.ticket.snapshot.
//
// The JSON layer (snapshot_json.hpp) is nlohmann-json: its lexer and SAX parser read (into a flat document that keeps where each value
// starts), its serializer escapes every text a user gave. No json DOM is built either way: restoring and
// writing cost less than with the hand-written code this replaced (docs/performance.md, bench_ticket).
#include "internal.hpp"
#include "named_snapshot.hpp"
#include "snapshot_json.hpp"

#include <kefu/calendar/load.hpp>


#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <utility>

namespace kefu::ticket {

namespace {

using namespace snapshot_json;  // the writer, the located reader, fail_at

void write_target(writer& w, const std::optional<sla_target>& t) {
  if (!t) return w.null();
  w.begin_object();
  w.key("clock");
  w.plain(clock_kind_name(t->within.kind));
  w.key("amount");
  w.integer(t->within.amount);
  w.key("calendar");
  w.string(t->on ? t->on->name() : std::string());
  w.key("warning");
  w.begin_object();
  if (t->warning.lead) {
    w.key("lead");
    w.integer(t->warning.lead->count());
  } else {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, t->warning.fraction);  // shortest text that reads back exactly
    w.key("fraction");
    w.plain(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
  }
  w.end_object();
  w.end_object();
}

/// The plan, with a line break and two spaces before each tier.
void write_plan(writer& w, const ticket_plan& plan) {
  w.begin_object();
  w.key("reopen_window");
  w.integer(plan.reopen_window.count());
  w.key("system_operator");
  w.string(plan.system_operator);
  w.key("tiers");
  w.begin_object("\n  ");
  for (std::size_t i = 0; i < tier_count; ++i) {
    const tier_targets& t = plan.tiers[i];
    w.key(to_string(static_cast<tier>(i)));
    w.begin_object();
    w.key("first_response");
    write_target(w, t.first_response);
    w.key("resolution");
    write_target(w, t.resolution);
    w.key("follow_up");
    write_target(w, t.follow_up);
    w.key("follow_up_required");
    w.boolean(t.follow_up_required);
    w.key("report_required");
    w.boolean(t.report_required);
    w.end_object();
  }
  w.end_object();
  if (!plan.reports.empty()) {  // DOM-LC-8, only when the plan has upward-report terms (older snapshots as before)
    w.key("reports");
    w.begin_object();
    w.key("level_1_required");
    w.boolean(plan.reports.level_1_required);
    w.key("level_1");
    write_target(w, plan.reports.level_1);
    w.key("level_2");
    write_target(w, plan.reports.level_2);
    w.end_object();
  }
  w.end_object();
}

std::optional<state> parse_state(std::string_view s) {
  const auto slash = s.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto p = parse_progress(s.substr(0, slash));
  const auto t = parse_tier(s.substr(slash + 1));
  if (!p || !t) return std::nullopt;
  return state{*p, *t};
}

std::optional<calendar::clock_event_kind> parse_clock_event(std::string_view s) {
  for (auto k : {calendar::clock_event_kind::start, calendar::clock_event_kind::pause,
                 calendar::clock_event_kind::resume, calendar::clock_event_kind::stop})
    if (s == calendar::to_string(k)) return k;
  return std::nullopt;
}

std::optional<clock_name> parse_clock_name(std::string_view s) {
  for (std::size_t c = 0; c < clock_count; ++c)
    if (s == to_string(static_cast<clock_name>(c))) return static_cast<clock_name>(c);
  return std::nullopt;
}

/// Why a provisional deadline moved: "calendar 'cn-mainland' official data now reaches 2027-12-31 (the
/// deadline was projected past 2026-12-31)". `was_official`: the official_until the snapshot recorded.
std::string moved_reason(const calendar::calendar& cal, std::optional<std::int64_t> was_official, bool still) {
  std::string r = "calendar '" + cal.name() + "' ";
  if (!was_official)  // a snapshot that did not say (hand-written): what is known now
    r += "official data reaches " + format_days(cal.official_until()) + " (the deadline was projected)";
  else if (*was_official != cal.official_until())
    r += "official data now reaches " + format_days(cal.official_until()) + " (the deadline was projected past " +
         format_days(*was_official) + ")";
  else  // same official data, other projected days (another projection under the same name)
    r += "projects the days past " + format_days(cal.official_until()) + " differently now";
  if (still) r += "; the new deadline is still provisional";
  return r;
}

calendar::clock clock_kind(jobject& k, const std::string& path) {
  const node v = k.get("clock");
  if (v.is_string()) {
    const std::string_view s = v.string();
    if (s == "wall") return calendar::clock::wall;
    if (s == "business") return calendar::clock::business;
    if (s == "workdays") return calendar::clock::workdays;
  }
  fail_at(path + ".clock: expected wall, business or workdays", v);
}

std::optional<sla_target> read_target(const node& v, const std::string& path, const calendar_resolver& resolve) {
  if (v.is_null()) return std::nullopt;
  jobject k(v, path);
  sla_target t;
  t.within.kind = clock_kind(k, path);
  t.within.amount = k.integer("amount");
  if (t.within.amount < 0) fail_at(path + ".amount: cannot be negative", v);
  const node cal = k.get("calendar");
  if (!cal.is_string()) fail_at(path + ".calendar: expected a string", cal);
  const std::string name(cal.string());
  try {
    t.on = resolve(name);
  } catch (const kefu::error& e) {
    fail_at(path + ".calendar: " + e.detail(), cal);
  }
  if (!t.on) fail_at(path + ".calendar: unknown calendar '" + name + "'", cal);
  jobject w(k.get("warning"), path, ".warning");
  const node wv = w.value();
  bool found = false;
  for (auto m = wv.first(); m && !found; m = m->next()) {  // the first of lead and fraction, as written
    const node member = *m;
    if (member.key() == "lead") {
      const std::int64_t lead = w.integer("lead");
      if (lead < 0) fail_at(path + ".warning.lead: cannot be negative", member);
      t.warning = calendar::sla_warning::before(seconds(lead));
      found = true;
    } else if (member.key() == "fraction") {
      const std::string text = w.str("fraction");
      double f = 0;
      const auto r = std::from_chars(text.data(), text.data() + text.size(), f);
      if (r.ec != std::errc() || r.ptr != text.data() + text.size() || !(f >= 0 && f <= 1))  // NaN fails too
        fail_at(path + ".warning.fraction: expected a number from 0 to 1 in quotes", member);
      t.warning = calendar::sla_warning::at_fraction(f);
      found = true;
    }
  }
  if (!found) fail_at(path + ".warning: expected {\"fraction\": \"0.8\"} or {\"lead\": seconds}", wv);
  w.done();
  k.done();
  return t;
}

ticket_plan read_plan(const node& v, const calendar_resolver& resolve) {
  jobject p(v, "snapshot.plan");
  ticket_plan plan;
  plan.reopen_window = seconds(p.integer("reopen_window"));
  if (plan.reopen_window.count() < 0) fail_at("snapshot.plan.reopen_window: cannot be negative", p.value());
  plan.system_operator = p.str("system_operator");
  jobject tiers(p.get("tiers"), "snapshot.plan.tiers");
  for (std::size_t i = 0; i < tier_count; ++i) {
    const std::string path = std::string("snapshot.plan.tiers.") + to_string(static_cast<tier>(i));
    jobject t(tiers.get(to_string(static_cast<tier>(i))), path);
    tier_targets& tt = plan.tiers[i];
    tt.first_response = read_target(t.get("first_response"), path + ".first_response", resolve);
    tt.resolution = read_target(t.get("resolution"), path + ".resolution", resolve);
    tt.follow_up = read_target(t.get("follow_up"), path + ".follow_up", resolve);
    tt.follow_up_required = t.boolean("follow_up_required");
    tt.report_required = t.boolean("report_required");
    t.done();
  }
  tiers.done();
  if (p.has("reports")) {
    jobject r(p.get("reports"), "snapshot.plan.reports");
    plan.reports.level_1_required = r.boolean("level_1_required");
    plan.reports.level_1 = read_target(r.get("level_1"), "snapshot.plan.reports.level_1", resolve);
    plan.reports.level_2 = read_target(r.get("level_2"), "snapshot.plan.reports.level_2", resolve);
    r.done();
  }
  p.done();
  return plan;
}

}  // namespace

std::string plan_to_json(const ticket_plan& plan) {
  return written("the plan", 512, [&](writer& w) { write_plan(w, plan); });
}

std::string plan_difference(const ticket_plan& a, const ticket_plan& b) {
  auto text = [](const std::optional<sla_target>& t) {
    if (!t) return std::string("none");
    std::string s = calendar::to_string(t->within) + " on " + (t->on ? t->on->name() : std::string("?"));
    if (t->warning.lead) s += ", warning " + std::to_string(t->warning.lead->count()) + " s before";
    else if (t->warning.fraction != 0.8) s += ", warning at " + std::to_string(t->warning.fraction);
    return s;
  };
  for (std::size_t i = 0; i < tier_count; ++i) {
    const std::string name = to_string(static_cast<tier>(i));
    const tier_targets& x = a.tiers[i];
    const tier_targets& y = b.tiers[i];
    for (std::size_t c = 0; c < clock_count; ++c) {
      const auto& tx = target_of(x, static_cast<clock_name>(c));
      const auto& ty = target_of(y, static_cast<clock_name>(c));
      if (tx != ty) return name + " " + to_string(static_cast<clock_name>(c)) + ": " + text(tx) + " vs " + text(ty);
    }
    if (x.follow_up_required != y.follow_up_required)
      return name + " follow_up_required: " + (x.follow_up_required ? "true" : "false") + " vs " +
             (y.follow_up_required ? "true" : "false");
    if (x.report_required != y.report_required)
      return name + " report_required: " + (x.report_required ? "true" : "false") + " vs " +
             (y.report_required ? "true" : "false");
  }
  if (a.reports.level_1_required != b.reports.level_1_required)
    return std::string("reports level_1_required: ") + (a.reports.level_1_required ? "true" : "false") + " vs " +
           (b.reports.level_1_required ? "true" : "false");
  if (a.reports.level_1 != b.reports.level_1)
    return "reports level_1: " + text(a.reports.level_1) + " vs " + text(b.reports.level_1);
  if (a.reports.level_2 != b.reports.level_2)
    return "reports level_2: " + text(a.reports.level_2) + " vs " + text(b.reports.level_2);
  if (a.reopen_window != b.reopen_window)
    return "reopen_window: " + std::to_string(a.reopen_window.count()) + " s vs " + std::to_string(b.reopen_window.count()) + " s";
  if (a.system_operator != b.system_operator) return "system_operator: " + a.system_operator + " vs " + b.system_operator;
  return {};
}

std::string ticket::to_json() const {
  const impl& p = *p_;
  const instant last = p.last_instant();
  const ticket_flags& f = p.flags;
  return written("ticket '" + p.id + "'", 2048 + (p.history.records.size() + p.deadline_changes.size()) * 192, [&](writer& w) {
    w.begin_object();
    w.key("kefu_ticket");
    w.integer(1);
    w.key("id");
    w.string(p.id);
    w.key("received");
    w.time(p.received);
    w.key("received_by");
    w.string(p.received_by);
    if (p.policy_tier) {  // tickets opened from facts
      w.key("policy_tier");
      w.plain(to_string(*p.policy_tier));
    }
    w.key("plan");
    write_plan(w, p.plan());
    w.key("state");
    w.begin_object();
    w.key("progress");
    w.plain(to_string(p.now.where));
    w.key("tier");
    w.plain(to_string(p.now.level));
    w.end_object();
    w.key("flags");
    w.begin_object();
    w.key("followed_up");
    w.boolean(f.followed_up);
    w.key("report_attached");
    w.boolean(f.report_attached);
    w.key("reopen_count");
    w.integer(f.reopen_count);
    w.key("closed_at");
    if (f.closed_at) w.time(*f.closed_at);
    else w.null();
    if (f.reported) {  // DOM-LC-8 / DOM-LC-1: only when there are any (older snapshots as before)
      w.key("reported");
      w.integer(f.reported);
    }
    if (f.improvements) {
      w.key("improvements");
      w.integer(f.improvements);
    }
    w.end_object();
    w.key("clocks");
    w.begin_object();
    auto write_clock = [&](const std::optional<calendar::sla_clock>& k) {
      if (!k) return w.null();
      w.begin_object();
      w.key("clock");
      w.plain(clock_kind_name(k->target().kind));
      w.key("amount");
      w.integer(k->target().amount);
      w.key("calendar");
      w.string(k->on().name());
      w.key("events");
      w.begin_array();
      for (const auto& e : k->events()) {
        w.begin_object();
        w.key("kind");
        w.plain(calendar::to_string(e.kind));
        w.key("at");
        w.time(e.at);
        w.end_object();
      }
      w.end_array();
      if (const auto due = provisional_due(*k, last)) {
        w.key("due");
        w.time(*due);
        w.key("provisional");
        w.boolean(true);
        w.key("official_until");
        w.plain(format_days(k->on().official_until()));
      }
      w.end_object();
    };
    for (std::size_t c = 0; c < clock_count; ++c) {
      w.key(to_string(static_cast<clock_name>(c)));
      write_clock(p.clocks[c]);
    }
    for (std::size_t c = 0; c < report_level_count; ++c)  // DOM-LC-8: only the reports' clocks that exist
      if (p.reports[c]) {
        w.key(to_string(static_cast<report_level>(c)));
        write_clock(p.reports[c]);
      }
    w.end_object();
    w.key("history");
    w.begin_array("\n");  // one record a line
    for (const auto& r : p.history.records) {
      w.begin_object();
      w.key("at");
      w.time(r.what.at);
      w.key("by");
      w.string(r.what.by);
      w.key("event");
      w.plain(to_string(r.what.kind));
      w.key("tier");
      w.plain(to_string(r.what.to));
      // A triage's audit of the tier it chose against the policy's (only when there is one: older records as before).
      if (r.policy_tier) {
        w.key("policy_tier");
        w.plain(to_string(*r.policy_tier));
      }
      if (!r.what.reason.empty()) {
        w.key("reason");
        w.string(r.what.reason);
      }
      w.key("satisfied");
      w.boolean(r.what.satisfied);
      w.key("note");
      w.string(r.what.note);
      w.key("from");
      w.state_name(r.from);
      w.key("to");
      w.state_name(r.to);
      w.end_object();
    }
    w.end_array();
    if (!p.deadline_changes.empty()) {
      w.key("deadline_changes");
      w.begin_array("\n");
      for (const auto& d : p.deadline_changes) {
        w.begin_object();
        w.key("clock");
        w.plain(to_string(d.clock));
        w.key("at");
        w.time(d.at);
        w.key("old_due");
        w.time(d.old_due);
        w.key("new_due");
        w.time(d.new_due);
        w.key("still_provisional");
        w.boolean(d.still_provisional);
        w.key("reason");
        w.string(d.reason);
        w.end_object();
      }
      w.end_array();
    }
    named_snapshot::write(w, p.named);  // only for a ticket with named clocks (DOM-SLA-10)
    w.end_object();
  }) + '\n';
}

ticket ticket::from_json(std::string_view json, const calendar_resolver& resolve) { return restore(json, nullptr, &resolve); }

ticket ticket::from_json(std::string_view json, ticket_plan plan) { return restore(json, &plan, nullptr); }

ticket ticket::restore(std::string_view text, const ticket_plan* expected_plan, const calendar_resolver* resolve) {
  const char* read = nullptr;  // the last character nlohmann's lexer read
  document doc;
  doc.text = text;
  builder build(doc, &read);
  json::sax_parse(noting_iterator(text.data(), &read), noting_iterator(text.data() + text.size(), &read), &build);
  const node root_v{&doc, 0};
  jobject root(root_v, "snapshot");
  {
    const node version = root.get("kefu_ticket");
    if (!version.is_integer() || version.integer() != 1)
      fail_at("snapshot.kefu_ticket: expected format version 1", version);
  }
  std::string id = root.str("id");
  const instant received = root.time("received");
  std::string by = root.str("received_by");
  std::optional<tier> policy_tier;  // snapshots of tickets not opened from facts, and older ones, have none
  if (root.has("policy_tier")) policy_tier = named<tier>(root, "policy_tier", &parse_tier, "tier");
  ticket_plan plan;
  {
    const node pv = root.get("plan");
    if (expected_plan) {
      // Calendars by the expected plan's names (then the built-ins): a differing name is a plan difference.
      const calendar_resolver by_plan = [&](const std::string& name) -> std::shared_ptr<const calendar::calendar> {
        for (const auto& t : expected_plan->tiers)
          for (std::size_t c = 0; c < clock_count; ++c)
            if (const auto& g = target_of(t, static_cast<clock_name>(c)); g && g->on && g->on->name() == name) return g->on;
        return calendar::builtin(name);
      };
      plan = read_plan(pv, by_plan);
      const std::string diff = plan_difference(plan, *expected_plan);
      if (!diff.empty()) fail_at("snapshot.plan: differs from the given plan: " + diff, pv);
      plan = *expected_plan;
    } else {
      plan = read_plan(pv, *resolve);
    }
  }

  jobject st(root.get("state"), "snapshot.state");
  const state expected{named<progress>(st, "progress", &parse_progress, "progress state"),
                       named<tier>(st, "tier", &parse_tier, "tier")};
  st.done();

  jobject fl(root.get("flags"), "snapshot.flags");
  ticket_flags flags;
  flags.followed_up = fl.boolean("followed_up");
  flags.report_attached = fl.boolean("report_attached");
  const std::int64_t reopen = fl.integer("reopen_count");
  if (reopen < 0 || reopen > 0xFFFFFFFF) fail_at("snapshot.flags.reopen_count: out of range", fl.value());
  flags.reopen_count = static_cast<std::uint32_t>(reopen);
  if (!fl.get("closed_at").is_null()) flags.closed_at = fl.time("closed_at");
  if (fl.has("reported")) {
    const std::int64_t reported = fl.integer("reported");
    if (reported < 0 || reported > 2) fail_at("snapshot.flags.reported: expected 0, 1 or 2", fl.value());
    flags.reported = static_cast<std::uint8_t>(reported);
  }
  if (fl.has("improvements")) {
    const std::int64_t n = fl.integer("improvements");
    if (n < 0 || n > 0xFFFFFFFF) fail_at("snapshot.flags.improvements: out of range", fl.value());
    flags.improvements = static_cast<std::uint32_t>(n);
  }
  fl.done();

  struct clock_text {
    bool present = false;
    calendar::duration target;
    std::string calendar_name;
    std::vector<calendar::clock_event> events;
    std::optional<instant> provisional_due;      // `due` with `"provisional":true` (DOM-SLA-8)
    std::optional<std::int64_t> official_until;  // the calendar's official data then
    std::optional<node> value;  // where it was written (line and column counted only for an error)
  };
  // The three SLA clocks, then the upward reports' (DOM-LC-8), written only when the ticket has them.
  std::array<clock_text, clock_count + report_level_count> clocks;
  auto clock_key = [](std::size_t c) {
    return c < clock_count ? to_string(static_cast<clock_name>(c)) : to_string(static_cast<report_level>(c - clock_count));
  };
  jobject cl(root.get("clocks"), "snapshot.clocks");
  const node clocks_v = cl.value();
  for (std::size_t c = 0; c < clocks.size(); ++c) {
    const char* name = clock_key(c);
    if (c >= clock_count && !cl.has(name)) continue;
    const node v = cl.get(name);
    clocks[c].value = v;
    if (v.is_null()) continue;
    const std::string path = std::string("snapshot.clocks.") + name;
    jobject k(v, path);
    clocks[c].present = true;
    const std::string kind = k.str("clock");
    if (kind == "wall") clocks[c].target.kind = calendar::clock::wall;
    else if (kind == "business") clocks[c].target.kind = calendar::clock::business;
    else if (kind == "workdays") clocks[c].target.kind = calendar::clock::workdays;
    else fail_at(path + ".clock: expected wall, business or workdays", v);
    clocks[c].target.amount = k.integer("amount");
    clocks[c].calendar_name = k.str("calendar");
    const node evs = k.get("events");
    if (!evs.is_array()) fail_at(path + ".events: expected an array", evs);
    for (const node& e : items_of(evs)) {
      jobject eo(e, path, ".events[]");
      const calendar::clock_event_kind ck = named<calendar::clock_event_kind>(eo, "kind", &parse_clock_event, "clock event");
      clocks[c].events.push_back({ck, eo.time("at")});
      eo.done();
    }
    // Optional (snapshots before DOM-SLA-8 have none): the due as of the last recorded instant when it rested
    // on provisional days, and the calendar's official data then.
    if (k.has("due") || k.has("provisional")) {
      if (!k.has("due") || !k.has("provisional")) fail_at(path + ": `due` and `provisional` come together", v);
      const instant due = k.time("due");
      if (k.boolean("provisional")) clocks[c].provisional_due = due;
    }
    if (k.has("official_until")) {
      const node ou = k.get("official_until");
      std::int64_t days = 0;
      if (!ou.is_string() || !parse_days(ou.string(), days))
        fail_at(path + ".official_until: expected a date as YYYY-MM-DD", ou);
      clocks[c].official_until = days;
    }
    k.done();
  }
  cl.done();

  const node hist = root.get("history");
  if (!hist.is_array()) fail_at("snapshot.history: expected an array", hist);
  std::vector<deadline_change> changes;
  if (root.has("deadline_changes")) {
    const node dv = root.get("deadline_changes");
    if (!dv.is_array()) fail_at("snapshot.deadline_changes: expected an array", dv);
    const std::vector<node> items = items_of(dv);
    for (std::size_t i = 0; i < items.size(); ++i) {
      jobject d(items[i], "snapshot.deadline_changes", "", static_cast<std::ptrdiff_t>(i));
      deadline_change x;
      x.clock = named<clock_name>(d, "clock", &parse_clock_name, "clock");
      x.at = d.time("at");
      x.old_due = d.time("old_due");
      x.new_due = d.time("new_due");
      x.still_provisional = d.boolean("still_provisional");
      x.reason = d.str("reason");
      d.done();
      changes.push_back(std::move(x));
    }
  }
  // Named clocks' calendars: by the resolver, or (restoring under a given plan) the plan's, then the built-ins.
  const calendar_resolver by_plan_or_builtin = [&plan](const std::string& name) -> std::shared_ptr<const calendar::calendar> {
    for (const auto& t : plan.tiers)
      for (std::size_t c = 0; c < clock_count; ++c)
        if (const auto& g = target_of(t, static_cast<clock_name>(c)); g && g->on && g->on->name() == name) return g->on;
    return calendar::builtin(name);
  };
  const named_snapshot::parsed named_clocks = named_snapshot::read(root, resolve ? *resolve : by_plan_or_builtin);
  root.done();

  ticket t(std::move(id), std::move(plan), received, std::move(by), policy_tier);
  if (named_clocks.book) {
    try {
      t.use_clocks(named_clocks.book, named_clocks.fact_starts);
    } catch (const kefu::error& x) {
      fail_at(std::string("snapshot.named_clocks: ") + x.what(), *named_clocks.value);
    }
  }
  std::size_t next_milestone = 0;
  const std::vector<node> records = items_of(hist);
  t.reserve(records.size());
  for (std::size_t n = 0; n < records.size(); ++n) {
    const node& h = records[n];
    named_snapshot::mark_before(t, named_clocks, n, next_milestone);
    jobject r(h, "snapshot.history", "", static_cast<std::ptrdiff_t>(n));
    event e;
    e.at = r.time("at");
    e.by = r.str("by");
    e.kind = named<event_kind>(r, "event", &parse_event_kind, "event");
    e.to = named<tier>(r, "tier", &parse_tier, "tier");
    std::optional<tier> recorded_policy_tier;
    if (r.has("policy_tier")) recorded_policy_tier = named<tier>(r, "policy_tier", &parse_tier, "tier");
    if (r.has("reason")) e.reason = r.str("reason");
    e.satisfied = r.boolean("satisfied");
    e.note = r.str("note");
    const state from = named<state>(r, "from", &parse_state, "state");
    const state to = named<state>(r, "to", &parse_state, "state");
    r.done();
    if (t.current() != from)
      fail_at(r.path() + ": recorded from-state " + to_string(from) + " but replay is in " + to_string(t.current()), h);
    try {
      t.fire(std::move(e));
    } catch (const kefu::error& x) {
      fail_at(r.path() + ": replay failed: " + x.what(), h);
    }
    if (t.current() != to)
      fail_at(r.path() + ": recorded to-state " + to_string(to) + " but replay reached " + to_string(t.current()), h);
    if (t.history().back().policy_tier != recorded_policy_tier)
      fail_at(r.path() + ".policy_tier: " + (recorded_policy_tier ? to_string(*recorded_policy_tier) : "none") +
                  " recorded, but the ticket's policy tier is " + (policy_tier ? to_string(*policy_tier) : "unknown"),
              h);
  }
  named_snapshot::mark_before(t, named_clocks, records.size(), next_milestone);
  named_snapshot::check(t, named_clocks, next_milestone, root_v);
  if (t.current() != expected)
    fail_at("snapshot.state: says " + to_string(expected) + " but the history leads to " + to_string(t.current()), root_v);
  if (!(t.flags() == flags)) fail_at("snapshot.flags: do not match what the history leads to", root_v);
  for (std::size_t c = 0; c < clocks.size(); ++c) {
    const char* name = clock_key(c);
    const auto* k = c < clock_count ? t.clock(static_cast<clock_name>(c)) : t.clock(static_cast<report_level>(c - clock_count));
    const auto& x = clocks[c];
    const std::string path = std::string("snapshot.clocks.") + name;
    if (x.present != (k != nullptr))
      fail_at(path + (x.present ? ": the plan and history give no such clock" : ": missing, but the plan and history give one"),
              x.value ? *x.value : clocks_v);
    if (!k) continue;
    if (k->target() != x.target || k->on().name() != x.calendar_name)
      fail_at(path + ": target differs from the plan's (" + std::to_string(k->target().amount) + " " +
                  clock_kind_name(k->target().kind) + " on '" + k->on().name() + "')",
              *x.value);
    if (k->events() != x.events) fail_at(path + ".events: do not match what the history leads to", *x.value);
  }
  // DOM-SLA-8: the recorded changes as they are, then every provisional due recomputed as of the same instant
  // on the calendar found now; one that moved is recorded (once: the next snapshot carries the new due).
  t.p_->deadline_changes = std::move(changes);
  const instant last = t.p_->last_instant();
  for (std::size_t c = 0; c < clock_count; ++c) {
    const auto& x = clocks[c];
    const auto* k = t.clock(static_cast<clock_name>(c));
    if (!x.provisional_due || !k) continue;
    calendar::sla_status now;
    try {
      now = k->status(last);
    } catch (const kefu::error&) {
      continue;  // the calendar cannot compute it now (strict, or past its projection): sla() says so
    }
    if (now.due == *x.provisional_due) continue;
    t.p_->deadline_changes.push_back({static_cast<clock_name>(c), last, *x.provisional_due, now.due, now.provisional,
                                      moved_reason(k->on(), x.official_until, now.provisional)});
  }
  return t;
}

}  // namespace kefu::ticket
