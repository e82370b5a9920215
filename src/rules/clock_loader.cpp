// kefu — the `clocks:` document of a rules directory (DOM-SLA-10): milestones and named clocks, checked against
// the facts vocabulary, the calendars and the lifecycle triggers. Every error is a policy_error at the
// offending value's file:line:column with the id kefu.rules.clocks.
#include "clock_loader.hpp"

#include <kefu/calendar/load.hpp>
#include <kefu/detail/suggest.hpp>

#include <algorithm>
#include <set>
#include <utility>

namespace kefu::rules::detail {

namespace {

constexpr const char* clocks_id = "kefu.rules.clocks";
using kefu::detail::location_of;
using kefu::detail::scalar_text;

[[noreturn]] void fail(const std::string& what, const YAML::Node& at, const kefu::detail::yaml_file& f,
                       const std::string& clock = {}) {
  (void)clock;  // the message names the clock already
  throw policy_error(what, location_of(at, f.name), {}, clocks_id);
}

bool is_name(const std::string& s) {
  if (s.empty() || !((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

std::string name_of(const YAML::Node& n, const kefu::detail::yaml_file& f, const char* what) {
  const YAML::Node v = n["name"];
  if (!v) fail(std::string(what) + " needs a `name`", n, f);
  std::string s = scalar_text(v, f.name, "'name'");
  if (!is_name(s))
    fail(std::string(what) + " name '" + s + "': use lower-case letters, digits and _ (e.g. order_confirmation)", v, f);
  return s;
}

bilingual description_of(const YAML::Node& n, const kefu::detail::yaml_file& f, const std::string& who) {
  const YAML::Node d = n["description"];
  if (!d || !d.IsMap() || !d["zh"] || !d["en"])
    fail(who + ": `description` needs both languages, {zh: …, en: …}", d ? d : n, f, who);
  for (const auto& kv : d) {
    const std::string k = scalar_text(kv.first, f.name, "key");
    if (k != "zh" && k != "en") fail(who + ": unknown key '" + k + "' in description (expected zh and en)", kv.first, f, who);
  }
  bilingual b{scalar_text(d["zh"], f.name, "'zh'"), scalar_text(d["en"], f.name, "'en'")};
  if (b.zh.empty() || b.en.empty()) fail(who + ": `description` needs both languages, {zh: …, en: …}", d, f, who);
  return b;
}

std::vector<std::string> list_of(const YAML::Node& v, const kefu::detail::yaml_file& f, const std::string& who,
                                 const char* key) {
  std::vector<std::string> out;
  if (!v) return out;
  if (v.IsScalar()) {
    out.push_back(scalar_text(v, f.name, key));
    return out;
  }
  if (!v.IsSequence()) fail(who + ": `" + key + "` must be a name or a list of names", v, f, who);
  for (const auto& x : v) {
    std::string s = scalar_text(x, f.name, key);
    if (std::find(out.begin(), out.end(), s) != out.end()) fail(who + ": '" + s + "' is listed twice in `" + key + "`", x, f, who);
    out.push_back(std::move(s));
  }
  return out;
}

void check_keys(const YAML::Node& n, const kefu::detail::yaml_file& f, const std::vector<std::string>& allowed,
                const std::string& who) {
  for (const auto& kv : n) {
    const std::string k = scalar_text(kv.first, f.name, "key");
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
      fail(who + ": unknown key '" + k + "'" + kefu::detail::did_you_mean(k, allowed), kv.first, f, who);
  }
}

const field* fact_named(const std::vector<field>& facts, const std::string& name) {
  for (const auto& x : facts)
    if (x.name == name) return &x;
  return nullptr;
}

}  // namespace

clock_book_ptr load_clock_document(const kefu::detail::yaml_file& f, const std::vector<field>& facts,
                                   const calendar_lookup& calendar_named) {
  return kefu::detail::with_char_columns(f.text, [&]() -> clock_book_ptr {
    const YAML::Node& doc = f.root;
    kefu::detail::check_duplicate_keys(f, doc);
    auto book = std::make_shared<clock_book>();
    book->file = f.name;
    book->name = scalar_text(doc["clocks"], f.name, "'clocks'");
    check_keys(doc, f, {"clocks", "version", "description", "milestones", "named"}, "clocks '" + book->name + "'");

    // Milestones first: the clocks' triggers name them.
    if (const YAML::Node ms = doc["milestones"]) {
      if (!ms.IsSequence()) fail("`milestones` must be a list", ms, f);
      for (const auto& m : ms) {
        if (!m.IsMap()) fail("a milestone is a mapping with name, description and source", m, f);
        milestone_definition d;
        d.name = name_of(m, f, "a milestone");
        d.where = location_of(m["name"], f.name);
        const std::string who = "milestone '" + d.name + "'";
        check_keys(m, f, {"name", "description", "source"}, who);
        if (book->milestone(d.name)) fail("a second milestone named '" + d.name + "'", m["name"], f);
        if (is_lifecycle_trigger(d.name))
          fail(who + ": a lifecycle event has that name; choose another (e.g. " + d.name + "_done)", m["name"], f);
        d.description = description_of(m, f, who);
        if (m["source"]) d.source = scalar_text(m["source"], f.name, "'source'");
        book->milestones.push_back(std::move(d));
      }
    }

    const YAML::Node named = doc["named"];
    if (!named || !named.IsSequence() || named.size() == 0)
      fail("a clocks document needs `named:`, a list of clocks (name, description, within, start, stop, …)",
           named ? named : doc, f);
    const field* category = fact_named(facts, "category");
    const field* business = fact_named(facts, "business");
    std::vector<std::string> triggers(std::begin(lifecycle_triggers), std::end(lifecycle_triggers));
    for (const auto& m : book->milestones) triggers.push_back(m.name);

    for (const auto& n : named) {
      if (!n.IsMap()) fail("a named clock is a mapping (name, description, within, start, stop, …)", n, f);
      clock_definition c;
      c.name = name_of(n, f, "a named clock");
      c.where = location_of(n["name"], f.name);
      const std::string who = "clock '" + c.name + "'";
      check_keys(n, f,
                 {"name", "description", "source", "within", "calendar", "warn_at", "start", "start_fact", "pause",
                  "resume", "stop", "categories", "businesses", "escalate"},
                 who);
      if (book->clock(c.name)) fail("a second clock named '" + c.name + "'", n["name"], f, c.name);
      if (c.name == "first_response" || c.name == "resolution" || c.name == "follow_up")
        fail(who + ": a built-in clock has that name (first_response, resolution, follow_up); choose another", n["name"], f,
             c.name);
      c.description = description_of(n, f, who);
      if (n["source"]) c.source = scalar_text(n["source"], f.name, "'source'");
      else fail(who + ": say where it comes from with `source:` (DOM ids, handbook section)", n["name"], f, c.name);

      const YAML::Node within = n["within"];
      if (!within) fail(who + ": needs a target, `within:` (10min, 24h, 4 business hours, 3 workdays)", n["name"], f, c.name);
      try {
        c.within = calendar::parse_duration(scalar_text(within, f.name, "'within'"));
      } catch (const parse_error& e) {
        fail(who + ": " + e.detail(), within, f, c.name);
      }
      if (c.within.amount <= 0) fail(who + ": the target must be more than zero", within, f, c.name);
      std::string cal = "always";
      if (const YAML::Node v = n["calendar"]) cal = scalar_text(v, f.name, "'calendar'");
      else if (c.within.kind != calendar::clock::wall)
        fail(who + ": a business-hours or working-days target needs `calendar:` (e.g. cn-mainland, cn-office)",
             within, f, c.name);
      try {
        c.on = calendar_named(cal);
      } catch (const error& e) {
        fail(who + ": " + e.detail(), n["calendar"], f, c.name);
      }
      if (!c.on) fail(who + ": unknown calendar '" + cal + "'", n["calendar"], f, c.name);
      if (const YAML::Node w = n["warn_at"]) {
        const std::string t = scalar_text(w, f.name, "'warn_at'");
        char* end = nullptr;
        const double x = std::strtod(t.c_str(), &end);
        if (t.empty() || *end != '\0' || !(x >= 0 && x <= 1))
          fail(who + ": `warn_at` is the fraction of the target used when it warns, between 0 and 1 (e.g. 0.8)", w, f,
               c.name);
        c.warning = calendar::sla_warning::at_fraction(x);
      }

      struct trig {
        const char* key;
        std::vector<std::string>* list;
      };
      for (const trig& t : {trig{"start", &c.start}, trig{"pause", &c.pause}, trig{"resume", &c.resume}, trig{"stop", &c.stop}}) {
        const YAML::Node v = n[t.key];
        *t.list = list_of(v, f, who, t.key);
        std::size_t i = 0;
        for (const auto& name : *t.list) {
          const YAML::Node at = v.IsSequence() ? v[i] : v;
          ++i;
          if (std::find(triggers.begin(), triggers.end(), name) == triggers.end())
            fail(who + ": `" + t.key + "` names '" + name +
                     "', which is neither a lifecycle event nor a milestone of this document" +
                     kefu::detail::did_you_mean(name, triggers),
                 at, f, c.name);
          if (name == "receive" && std::string(t.key) != "start")
            fail(who + ": `receive` (the receipt) can only start a clock", at, f, c.name);
        }
      }
      if (const YAML::Node v = n["start_fact"]) {
        c.start_fact = scalar_text(v, f.name, "'start_fact'");
        const field* x = fact_named(facts, c.start_fact);
        if (!x) {
          std::vector<std::string> known;
          for (const auto& y : facts)
            if (y.type == value_type::datetime) known.push_back(y.name);
          fail(who + ": `start_fact` names '" + c.start_fact + "', which is not a fact" +
                   kefu::detail::did_you_mean(c.start_fact, known),
               v, f, c.name);
        }
        if (x->type != value_type::datetime)
          fail(who + ": `start_fact` '" + c.start_fact + "' is a " + to_string(x->type) +
                   " fact; a clock starts at an instant (a datetime fact)",
               v, f, c.name);
      }
      if (c.start.empty() && c.start_fact.empty())
        fail(who + ": nothing starts it: give `start:` (receive, a lifecycle event or a milestone) or `start_fact:`",
             n["name"], f, c.name);
      if (c.stop.empty()) fail(who + ": nothing stops it: give `stop:` (a lifecycle event or a milestone)", n["name"], f, c.name);
      // A trigger has one effect per clock.
      {
        std::set<std::string> seen;
        for (const auto* l : {&c.start, &c.pause, &c.resume, &c.stop})
          for (const auto& x : *l)
            if (!seen.insert(x).second)
              fail(who + ": '" + x + "' appears in two of start, pause, resume and stop; a trigger does one thing to a clock",
                   n["name"], f, c.name);
      }
      if (c.pause.empty() != c.resume.empty())
        fail(who + ": `pause` and `resume` come together (a paused clock needs a way to run again)",
             n[c.pause.empty() ? "resume" : "pause"], f, c.name);

      struct scope {
        const char* key;
        const field* fact;
        std::vector<std::string>* list;
      };
      for (const scope& s : {scope{"categories", category, &c.categories}, scope{"businesses", business, &c.businesses}}) {
        const YAML::Node v = n[s.key];
        *s.list = list_of(v, f, who, s.key);
        if (s.list->empty()) continue;
        if (!s.fact || s.fact->type != value_type::enumeration)
          fail(who + ": `" + s.key + "` needs an enum fact '" + (s.key[0] == 'c' ? "category" : "business") +
                   "' in the facts vocabulary",
               v, f, c.name);
        std::size_t i = 0;
        for (const auto& x : *s.list) {
          const YAML::Node at = v.IsSequence() ? v[i] : v;
          ++i;
          if (s.fact->value_index(x) < 0)
            fail(who + ": '" + x + "' is not a value of fact '" + s.fact->name + "'" + kefu::detail::did_you_mean(x, s.fact->values),
                 at, f, c.name);
        }
      }
      if (const YAML::Node e = n["escalate"]) {
        const std::string t = scalar_text(e, f.name, "'escalate'");
        if (t != "true" && t != "false") fail(who + ": `escalate` is true or false", e, f, c.name);
        c.escalate = t == "true";
      }
      book->clocks.push_back(std::move(c));
    }
    // A milestone no clock uses is a slip (a misspelt trigger, or clocks cut off the end of the file).
    const YAML::Node ms = doc["milestones"];
    for (std::size_t i = 0; i < book->milestones.size(); ++i) {
      const std::string& m = book->milestones[i].name;
      bool used = false;
      for (const auto& c : book->clocks)
        for (const auto* l : {&c.start, &c.pause, &c.resume, &c.stop})
          used = used || std::find(l->begin(), l->end(), m) != l->end();
      if (!used)
        fail("milestone '" + m + "' is used by no clock (in a start, pause, resume or stop): use it or remove it",
             ms[i]["name"], f);
    }
    return book;
  });
}

}  // namespace kefu::rules::detail

namespace kefu::rules {

clock_book_ptr clocks_for(const clock_book_ptr& book, std::string_view category, std::string_view business) {
  if (!book) return book;
  bool all = true;
  for (const auto& c : book->clocks) all = all && c.applies_to(category, business);
  if (all) return book;
  auto out = std::make_shared<clock_book>();
  out->name = book->name;
  out->file = book->file;
  out->milestones = book->milestones;
  for (const auto& c : book->clocks)
    if (c.applies_to(category, business)) out->clocks.push_back(c);
  return out;
}

}  // namespace kefu::rules
