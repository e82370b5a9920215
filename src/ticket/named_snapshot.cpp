// kefu — named clocks and milestones in ticket snapshots (see named_snapshot.hpp).
#include "named_snapshot.hpp"

#include <charconv>
#include <utility>

namespace kefu::ticket::named_snapshot {

using namespace snapshot_json;

namespace {

const char* kind_name(calendar::clock k) { return clock_kind_name(k); }

void names(writer& w, const std::vector<std::string>& list) {
  w.begin_array();
  for (const auto& s : list) w.string(s);
  w.end_array();
}

std::vector<std::string> read_names(jobject& o, const char* key) {
  const node v = o.get(key);
  if (!v.is_array()) fail_at(o.where(key) + ": expected an array of names", v);
  std::vector<std::string> out;
  for (const node& x : items_of(v)) {
    if (!x.is_string()) fail_at(o.where(key) + ": expected an array of names", x);
    out.emplace_back(x.string());
  }
  return out;
}

}  // namespace

void write(writer& w, const named_clock_set& n) {
  if (!n.book) return;
  const rules::clock_book& b = *n.book;
  w.key("named_clocks");
  w.begin_object();
  w.key("book");
  w.string(b.name);
  w.key("milestones");
  w.begin_array();
  for (const auto& m : b.milestones) {
    w.begin_object();
    w.key("name");
    w.string(m.name);
    w.key("zh");
    w.string(m.description.zh);
    w.key("en");
    w.string(m.description.en);
    w.key("source");
    w.string(m.source);
    w.end_object();
  }
  w.end_array();
  w.key("clocks");
  w.begin_array("\n");  // one clock a line
  for (std::size_t i = 0; i < b.clocks.size(); ++i) {
    const rules::clock_definition& d = b.clocks[i];
    w.begin_object();
    w.key("name");
    w.string(d.name);
    w.key("zh");
    w.string(d.description.zh);
    w.key("en");
    w.string(d.description.en);
    w.key("source");
    w.string(d.source);
    w.key("clock");
    w.plain(kind_name(d.within.kind));
    w.key("amount");
    w.integer(d.within.amount);
    w.key("calendar");
    w.string(d.on->name());
    w.key("warn_at");
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, d.warning.fraction);
    w.plain(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
    w.key("start");
    names(w, d.start);
    w.key("pause");
    names(w, d.pause);
    w.key("resume");
    names(w, d.resume);
    w.key("stop");
    names(w, d.stop);
    w.key("start_fact");
    w.string(d.start_fact);
    w.key("categories");
    names(w, d.categories);
    w.key("businesses");
    names(w, d.businesses);
    w.key("escalate");
    w.boolean(d.escalate);
    w.key("fact_start");
    if (n.fact_starts[i]) w.time(*n.fact_starts[i]);
    else w.null();
    w.key("events");
    if (!n.clocks[i]) {
      w.null();
    } else {
      w.begin_array();
      for (const auto& e : n.clocks[i]->events()) {
        w.begin_object();
        w.key("kind");
        w.plain(calendar::to_string(e.kind));
        w.key("at");
        w.time(e.at);
        w.end_object();
      }
      w.end_array();
    }
    w.end_object();
  }
  w.end_array();
  w.end_object();
  w.key("milestones");
  w.begin_array("\n");
  for (const auto& m : n.milestones) {
    w.begin_object();
    w.key("at");
    w.time(m.what.at);
    w.key("by");
    w.string(m.what.by);
    w.key("milestone");
    w.string(m.what.name);
    w.key("note");
    w.string(m.what.note);
    w.key("after");
    w.integer(static_cast<std::int64_t>(m.after));
    w.key("state");
    w.plain(m.state);
    w.end_object();
  }
  w.end_array();
}

parsed read(jobject& root, const calendar_resolver& resolve) {
  parsed p;
  if (!root.has("named_clocks")) {
    if (root.has("milestones")) fail_at("snapshot.milestones: a ticket without named_clocks has none", root.get("milestones"));
    return p;
  }
  const node nv = root.get("named_clocks");
  p.value = nv;
  jobject n(nv, "snapshot.named_clocks");
  auto book = std::make_shared<rules::clock_book>();
  book->name = n.str("book");
  book->file = "<snapshot>";
  {
    const node ms = n.get("milestones");
    if (!ms.is_array()) fail_at("snapshot.named_clocks.milestones: expected an array", ms);
    const auto items = items_of(ms);
    for (std::size_t i = 0; i < items.size(); ++i) {
      jobject m(items[i], "snapshot.named_clocks.milestones", "", static_cast<std::ptrdiff_t>(i));
      rules::milestone_definition d;
      d.name = m.str("name");
      d.description = {m.str("zh"), m.str("en")};
      d.source = m.str("source");
      m.done();
      if (book->milestone(d.name)) fail_at(m.path() + ".name: a second milestone '" + d.name + "'", items[i]);
      book->milestones.push_back(std::move(d));
    }
  }
  const node cs = n.get("clocks");
  if (!cs.is_array()) fail_at("snapshot.named_clocks.clocks: expected an array", cs);
  const auto items = items_of(cs);
  for (std::size_t i = 0; i < items.size(); ++i) {
    jobject c(items[i], "snapshot.named_clocks.clocks", "", static_cast<std::ptrdiff_t>(i));
    const std::string path = c.path();
    rules::clock_definition d;
    d.name = c.str("name");
    if (book->clock(d.name)) fail_at(path + ".name: a second clock '" + d.name + "'", items[i]);
    d.description = {c.str("zh"), c.str("en")};
    d.source = c.str("source");
    const std::string kind = c.str("clock");
    if (kind == "wall") d.within.kind = calendar::clock::wall;
    else if (kind == "business") d.within.kind = calendar::clock::business;
    else if (kind == "workdays") d.within.kind = calendar::clock::workdays;
    else fail_at(path + ".clock: expected wall, business or workdays", c.get("clock"));
    d.within.amount = c.integer("amount");
    if (d.within.amount <= 0) fail_at(path + ".amount: must be more than zero", c.get("amount"));
    const std::string cal = c.str("calendar");
    try {
      d.on = resolve(cal);
    } catch (const kefu::error& e) {
      fail_at(path + ".calendar: " + e.detail(), c.get("calendar"));
    }
    if (!d.on) fail_at(path + ".calendar: unknown calendar '" + cal + "'", c.get("calendar"));
    {
      const std::string text = c.str("warn_at");
      double f = 0;
      const auto r = std::from_chars(text.data(), text.data() + text.size(), f);
      if (r.ec != std::errc() || r.ptr != text.data() + text.size() || !(f >= 0 && f <= 1))
        fail_at(path + ".warn_at: expected a number from 0 to 1 in quotes", c.get("warn_at"));
      d.warning = calendar::sla_warning::at_fraction(f);
    }
    d.start = read_names(c, "start");
    d.pause = read_names(c, "pause");
    d.resume = read_names(c, "resume");
    d.stop = read_names(c, "stop");
    d.start_fact = c.str("start_fact");
    d.categories = read_names(c, "categories");
    d.businesses = read_names(c, "businesses");
    d.escalate = c.boolean("escalate");
    std::optional<instant> fact_start;
    if (!c.get("fact_start").is_null()) fact_start = c.time("fact_start");
    std::optional<std::vector<calendar::clock_event>> events;
    const node ev = c.get("events");
    if (!ev.is_null()) {
      if (!ev.is_array()) fail_at(path + ".events: expected an array or null", ev);
      events.emplace();
      for (const node& e : items_of(ev)) {
        jobject eo(e, path, ".events[]");
        const node k = eo.get("kind");
        std::optional<calendar::clock_event_kind> ck;
        for (auto x : {calendar::clock_event_kind::start, calendar::clock_event_kind::pause,
                       calendar::clock_event_kind::resume, calendar::clock_event_kind::stop})
          if (k.is_string() && k.string() == calendar::to_string(x)) ck = x;
        if (!ck) fail_at(path + ".events[].kind: expected start, pause, resume or stop", k);
        events->push_back({*ck, eo.time("at")});
        eo.done();
      }
    }
    c.done();
    book->clocks.push_back(std::move(d));
    p.fact_starts.push_back(fact_start);
    p.events.push_back(std::move(events));
    p.where.push_back(items[i]);
  }
  n.done();
  const node mv = root.get("milestones");
  if (!mv.is_array()) fail_at("snapshot.milestones: expected an array", mv);
  const auto ms = items_of(mv);
  for (std::size_t i = 0; i < ms.size(); ++i) {
    jobject m(ms[i], "snapshot.milestones", "", static_cast<std::ptrdiff_t>(i));
    milestone_record r;
    r.what.at = m.time("at");
    r.what.by = m.str("by");
    r.what.name = m.str("milestone");
    r.what.note = m.str("note");
    const std::int64_t after = m.integer("after");
    if (after < 0 || (!p.milestones.empty() && static_cast<std::size_t>(after) < p.milestones.back().after))
      fail_at(m.path() + ".after: must not be negative nor less than the previous milestone's", m.get("after"));
    r.after = static_cast<std::size_t>(after);
    r.state = m.str("state");
    m.done();
    p.milestones.push_back(std::move(r));
    p.milestone_where.push_back(ms[i]);
  }
  p.book = std::move(book);
  return p;
}

void mark_before(ticket& t, const parsed& p, std::size_t n, std::size_t& next) {
  for (; next < p.milestones.size() && p.milestones[next].after == n; ++next) {
    const milestone_record& r = p.milestones[next];
    const std::string path = "snapshot.milestones[" + std::to_string(next) + "]";
    if (to_string(t.current()) != r.state)
      fail_at(path + ": recorded in state " + r.state + " but replay is in " + to_string(t.current()),
              p.milestone_where[next]);
    try {
      t.mark(r.what);
    } catch (const kefu::error& x) {
      fail_at(path + ": replay failed: " + x.what(), p.milestone_where[next]);
    }
  }
}

void check(const ticket& t, const parsed& p, std::size_t next, const node& root) {
  if (!p.book) return;
  if (next != p.milestones.size())
    fail_at("snapshot.milestones[" + std::to_string(next) + "].after: past the end of the history",
            p.milestone_where[next]);
  (void)root;
  for (std::size_t i = 0; i < p.book->clocks.size(); ++i) {
    const auto* k = t.clock(p.book->clocks[i].name);
    const std::string path = "snapshot.named_clocks.clocks[" + std::to_string(i) + "].events";
    if (bool(k) != p.events[i].has_value())
      fail_at(path + (k ? ": null, but the history and milestones start the clock" : ": the history and milestones never start the clock"),
              p.where[i]);
    if (k && k->events() != *p.events[i]) fail_at(path + ": do not match what the history and milestones lead to", p.where[i]);
  }
}

}  // namespace kefu::ticket::named_snapshot
