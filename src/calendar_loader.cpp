// Calendar YAML → definition → compiled calendar. Format: docs/calendars.md.
#include <kefu/calendar/load.hpp>
#include <kefu/detail/suggest.hpp>

#include "detail/builtin_calendars.hpp"
#include "detail/yaml_support.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

namespace kefu::calendar {

namespace {

namespace fs = std::filesystem;
using kefu::detail::location_of;

constexpr std::array<const char*, 17> known_keys = {
    "calendar", "description", "version", "source", "zone", "range", "weekdays",
    "hours", "shifts", "week", "holidays", "workdays", "special_days", "extends",
    "projection", "beyond_official", "official_until"};
constexpr std::array<const char*, 7> weekday_keys = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/// Resolves `extends:` for one load; remembers the chain to refuse cycles.
struct resolver {
  std::vector<std::string> chain;
  /// How to find a built-in by name (while the built-ins are being compiled, they resolve each other).
  std::function<calendar_ptr(const std::string&)> find_builtin;
  calendar_ptr resolve(const std::string& spec, const std::string& from_file, const source_location& where);
};

struct reader {
  std::string file;
  resolver& resolve;

  [[noreturn]] void fail(const YAML::Node& node, const std::string& what) const {
    throw policy_error(what, location_of(node, file));
  }
  std::string text(const YAML::Node& node, const std::string& what) const {
    return kefu::detail::scalar_text(node, file, what);
  }
  std::int64_t date(const YAML::Node& node, const std::string& what) const {
    std::int64_t days = 0;
    const std::string t = text(node, what);
    if (!parse_days(t, days)) fail(node, "bad date '" + t + "' in " + what + ": expected an existing date as YYYY-MM-DD");
    return days;
  }
  interval one_interval(const YAML::Node& node) const {
    try {
      return parse_interval(text(node, "an interval"));
    } catch (const parse_error& e) {
      throw policy_error(e.detail(), location_of(node, file));
    }
  }
  /// A list of intervals that must not overlap (or, for shifts, may overlap and are merged).
  hours hour_list(const YAML::Node& node, const std::string& what, bool merge_overlaps = false) const {
    if (node.IsScalar()) return {one_interval(node)};
    if (!node.IsSequence()) fail(node, what + " must be a list of intervals such as [\"09:00-12:00\", \"13:30-18:00\"]");
    std::vector<std::pair<interval, YAML::Node>> items;
    for (const auto& item : node) {
      const YAML::Node source = item.IsMap() && item["hours"] ? item["hours"] : item;
      if (item.IsMap()) {
        for (const auto& kv : item)
          if (kv.first.Scalar() != "hours" && kv.first.Scalar() != "name")
            fail(kv.first, "unknown key '" + kv.first.Scalar() + "' in a shift (expected name and hours)");
        if (!item["hours"]) fail(item, "a shift needs `hours:`");
      }
      items.emplace_back(one_interval(source), source);
    }
    std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first.start < b.first.start; });
    hours out;
    for (const auto& [iv, src] : items) {
      if (!out.empty() && iv.start < out.back().end) {
        if (!merge_overlaps)
          fail(src, what + ": intervals " + format_interval(out.back()) + " and " + format_interval(iv) +
                        " overlap (use `shifts:` for shifts that overlap at handover)");
        out.back().end = std::max(out.back().end, iv.end);
        continue;
      }
      out.push_back(iv);
    }
    return out;
  }
  std::size_t weekday(const YAML::Node& node) const {
    std::string t = text(node, "a weekday");
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    static const char* full[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    for (std::size_t w = 0; w < 7; ++w)
      if (t == weekday_keys[w] || t == full[w]) return w;
    fail(node, "unknown weekday '" + t + "' (expected mon, tue, wed, thu, fri, sat or sun)" +
                   kefu::detail::did_you_mean(t, weekday_keys));
  }

  /// Dated entries: `- 2026-01-01`, `- {date: D, name: N}`, `- {date: D, to: E, name: N, hours: [...]}`.
  void entries(const YAML::Node& node, const char* what, bool hours_allowed, std::vector<dated_entry>& out) const {
    if (!node.IsSequence()) fail(node, std::string("`") + what + "` must be a list of dates or {date, to, name} entries");
    for (const auto& item : node) {
      dated_entry entry;
      entry.where = location_of(item, file);
      std::int64_t last = 0;
      if (item.IsScalar()) {
        entry.day = date(item, what);
        last = entry.day;
      } else if (item.IsMap()) {
        for (const auto& kv : item) {
          const std::string key = kv.first.Scalar();
          if (key != "date" && key != "to" && key != "name" && !(hours_allowed && key == "hours"))
            fail(kv.first, "unknown key '" + key + "' in " + what + " (expected date, to, name" +
                               (hours_allowed ? ", hours)" : ")") +
                               kefu::detail::did_you_mean(key, std::array<const char*, 4>{"date", "to", "name", "hours"}));
        }
        if (!item["date"]) fail(item, std::string("a ") + what + " entry needs `date:`");
        entry.day = date(item["date"], what);
        last = item["to"] ? date(item["to"], what) : entry.day;
        if (last < entry.day)
          fail(item["to"], "range ends (" + format_days(last) + ") before it starts (" + format_days(entry.day) + ")");
        if (item["name"]) entry.name = text(item["name"], "a name");
        if (item["hours"]) entry.explicit_hours = hour_list(item["hours"], "hours");
      } else {
        fail(item, std::string("a ") + what + " entry must be a date or a mapping with `date:`");
      }
      for (std::int64_t d = entry.day; d <= last; ++d) {
        dated_entry copy = entry;
        copy.day = d;
        out.push_back(std::move(copy));
      }
    }
  }

  definition read(const YAML::Node& doc) const {
    if (!doc.IsMap()) fail(doc, "a calendar file must be a mapping starting with `calendar: NAME`");
    for (const auto& kv : doc) {
      const std::string key = kv.first.Scalar();
      if (std::find(known_keys.begin(), known_keys.end(), key) == known_keys.end())
        fail(kv.first, "unknown key '" + key + "' in a calendar" + kefu::detail::did_you_mean(key, known_keys));
    }
    if (!doc["calendar"]) fail(doc, "a calendar file needs `calendar: NAME`");

    definition def;
    definition base_def;  // the calendar extended, if any (its entries may be replaced by this file's)
    std::set<std::size_t> base_working;  // weekdays the base calendar works
    if (const YAML::Node ext = doc["extends"]) {
      const calendar_ptr base = resolve.resolve(text(ext, "`extends`"), file, location_of(ext, file));
      def = base->source();
      base_def = def;
      for (std::size_t w = 0; w < 7; ++w)
        if (!def.week[w].empty()) base_working.insert(w);
    }
    def.name = text(doc["calendar"], "`calendar`");
    def.where = {file, 1, 1};
    def.description = doc["description"] ? text(doc["description"], "`description`") : std::string();

    if (const YAML::Node z = doc["zone"]) {
      try {
        def.zone = time_zone::parse(text(z, "`zone`"));
      } catch (const parse_error& e) {
        fail(z, e.detail());
      }
    } else if (!doc["extends"]) {
      fail(doc["calendar"], "a calendar needs `zone:` (e.g. \"+08:00\" or Asia/Shanghai)");
    }

    if (const YAML::Node r = doc["range"]) {
      if (!r.IsMap() || !r["from"] || !r["to"]) fail(r, "`range` must be {from: YYYY-MM-DD, to: YYYY-MM-DD}");
      const std::int64_t from = date(r["from"], "`range`"), to = date(r["to"], "`range`");
      if (to < from) fail(r, "`range` ends (" + format_days(to) + ") before it starts (" + format_days(from) + ")");
      if (doc["extends"] && (from < def.first_day || to > def.last_day))
        fail(r, "`range` " + format_days(from) + ".." + format_days(to) + " reaches outside the range of '" +
                    text(doc["extends"], "`extends`") + "' (" + format_days(def.first_day) + ".." +
                    format_days(def.last_day) + ")");
      def.first_day = from;
      def.last_day = to;
      if (doc["extends"] && to < base_def.last_day) def.projection.reset();  // narrowed: ends where it says
      auto inside = [&](const dated_entry& e) { return e.day < from || e.day > to; };
      def.holidays.erase(std::remove_if(def.holidays.begin(), def.holidays.end(), inside), def.holidays.end());
      def.workdays.erase(std::remove_if(def.workdays.begin(), def.workdays.end(), inside), def.workdays.end());
      def.special_days.erase(std::remove_if(def.special_days.begin(), def.special_days.end(), inside),
                             def.special_days.end());
    } else if (!doc["extends"]) {
      fail(doc["calendar"], "a calendar needs `range: {from: YYYY-MM-DD, to: YYYY-MM-DD}`: kefu refuses to guess "
                            "which days are working days outside the data it has");
    }

    read_horizon(doc, def, base_def);

    if (doc["hours"] && doc["shifts"]) fail(doc["shifts"], "give either `hours:` or `shifts:`, not both");
    if (const YAML::Node h = doc["hours"]) def.workday_hours = hour_list(h, "hours");
    if (const YAML::Node s = doc["shifts"]) def.workday_hours = hour_list(s, "shifts", true);
    std::set<std::size_t> working = base_working;
    if (const YAML::Node wd = doc["weekdays"]) {
      if (!wd.IsSequence()) fail(wd, "`weekdays` must be a list such as [mon, tue, wed, thu, fri]");
      working.clear();
      for (const auto& w : wd) working.insert(weekday(w));
    } else if (!doc["extends"]) {
      working = {0, 1, 2, 3, 4};
    }
    if (doc["weekdays"] || doc["hours"] || doc["shifts"] || !doc["extends"])
      for (std::size_t w = 0; w < 7; ++w) def.week[w] = working.count(w) ? def.workday_hours : hours{};
    if (const YAML::Node week = doc["week"]) {
      if (!week.IsMap()) fail(week, "`week` must map weekdays to hours, e.g. {sat: [\"10:00-16:00\"], sun: []}");
      for (const auto& kv : week) def.week[weekday(kv.first)] = kv.second.IsSequence() && kv.second.size() == 0
                                                                    ? hours{}
                                                                    : hour_list(kv.second, "hours of " + kv.first.Scalar());
    }
    if (def.workday_hours.empty() && !doc["extends"] && !doc["week"])
      fail(doc["calendar"], "a calendar needs `hours:` (e.g. [\"09:00-18:00\"], or [\"00:00-24:00\"] for whole days)");

    // This file's entries replace the base's on the same days (an overlay: a new notice, an amendment).
    std::vector<dated_entry> holidays, workdays, special_days;
    if (const YAML::Node n = doc["holidays"]) entries(n, "holiday", false, holidays);
    if (const YAML::Node n = doc["workdays"]) entries(n, "make-up working day", true, workdays);
    if (const YAML::Node n = doc["special_days"]) entries(n, "special day", true, special_days);
    if (doc["extends"]) {
      std::set<std::int64_t> mine;
      for (const auto* list : {&holidays, &workdays, &special_days})
        for (const auto& e : *list) mine.insert(e.day);
      auto replaced = [&](const dated_entry& e) { return mine.count(e.day) != 0; };
      for (auto* list : {&def.holidays, &def.workdays, &def.special_days})
        list->erase(std::remove_if(list->begin(), list->end(), replaced), list->end());
    }
    def.holidays.insert(def.holidays.end(), holidays.begin(), holidays.end());
    def.workdays.insert(def.workdays.end(), workdays.begin(), workdays.end());
    def.special_days.insert(def.special_days.end(), special_days.begin(), special_days.end());
    return def;
  }

  /// `projection:`, `beyond_official:` and `official_until:` (DOM-SLA-8).
  void read_horizon(const YAML::Node& doc, definition& def, const definition& base_def) const {
    if (const YAML::Node p = doc["projection"]) {
      if (!p.IsMap() || !p["law"] || !p["until"])
        fail(p, "`projection` must be {law: cn-statutory-2025, until: YYYY-MM-DD}");
      for (const auto& kv : p)
        if (kv.first.Scalar() != "law" && kv.first.Scalar() != "until")
          fail(kv.first, "unknown key '" + kv.first.Scalar() + "' in `projection` (expected law and until)");
      projection_spec spec;
      spec.law = text(p["law"], "`projection.law`");
      const auto laws = projection_laws();
      if (std::find(laws.begin(), laws.end(), spec.law) == laws.end())
        fail(p["law"], "unknown holiday law '" + spec.law + "' (known: cn-statutory-2025)" +
                           kefu::detail::did_you_mean(spec.law, laws));
      spec.until = date(p["until"], "`projection.until`");
      const int last_year = kefu::detail::civil_from_days(spec.until).year;
      if (last_year > projection_last_year())
        fail(p["until"], "the projection can reach " + std::to_string(projection_last_year()) +
                             "-12-31 at most (the end of the lunar table)");
      def.projection = spec;
    }
    if (const YAML::Node b = doc["beyond_official"]) {
      const std::string t = text(b, "`beyond_official`");
      if (t == "project") def.past_official = beyond_official::project;
      else if (t == "error") def.past_official = beyond_official::error;
      else
        fail(b, "`beyond_official` must be project (continue with provisional days) or error (strict), not '" + t +
                    "'" + kefu::detail::did_you_mean(t, std::array<const char*, 2>{"project", "error"}));
    }
    if (const YAML::Node o = doc["official_until"]) {
      if (!doc["extends"])
        fail(o, "`official_until` moves the end of an extended calendar's official data; a calendar of its own "
                "says where its data ends with `range`");
      const std::int64_t until = date(o, "`official_until`");
      const std::int64_t reach = base_def.projection ? std::max(base_def.last_day, base_def.projection->until)
                                                     : base_def.last_day;
      if (until < def.first_day || until > reach)
        fail(o, "`official_until: " + format_days(until) + "` must lie within " + format_days(def.first_day) + ".." +
                    format_days(reach) + " (the range and projection of '" + text(doc["extends"], "`extends`") + "')");
      if (doc["range"]) fail(o, "give either `range` (to narrow the calendar) or `official_until`, not both");
      // An overlay never shortens the official data: one for a past year (an amendment) only replaces days.
      def.last_day = std::max(def.last_day, until);
    }
    if (def.projection && def.projection->until < def.last_day && doc["projection"])
      fail(doc["projection"]["until"], "the projection ends (" + format_days(def.projection->until) +
                                            ") before the official data does (" + format_days(def.last_day) + ")");
  }
};

calendar_ptr compile(const kefu::detail::yaml_file& source, resolver& r) {
  return kefu::detail::with_char_columns(source.text, [&] {
    kefu::detail::check_duplicate_keys(source, source.root);
    return std::make_shared<const calendar>(reader{source.name, r}.read(source.root));
  });
}

const std::map<std::string, calendar_ptr>& builtins() {
  // Built once, immutable afterwards (thread-safe initialisation of a function-local static).
  static const std::map<std::string, calendar_ptr> table = [] {
    std::map<std::string, calendar_ptr> out;
    std::map<std::string, std::string> sources;
    for (const auto& [name, text] : detail::builtin_calendar_sources()) sources.emplace(name, text);
    // A built-in may extend another built-in: compile bases first, resolving on demand.
    std::function<calendar_ptr(const std::string&, std::vector<std::string>&)> get =
        [&](const std::string& name, std::vector<std::string>& chain) -> calendar_ptr {
      if (auto it = out.find(name); it != out.end()) return it->second;
      const std::string display = "<builtin>/calendars/" + name + ".yaml";
      const auto doc = kefu::detail::read_yaml_string(std::string(sources.at(name)), display);
      resolver r;
      r.chain = chain;
      r.chain.push_back(name);
      r.find_builtin = [&](const std::string& base) -> calendar_ptr {
        if (!sources.count(base)) return nullptr;
        return get(base, r.chain);
      };
      calendar_ptr c = compile(doc, r);
      out.emplace(name, c);
      return c;
    };
    for (const auto& kv : sources) {
      std::vector<std::string> chain;
      get(kv.first, chain);
    }
    return out;
  }();
  return table;
}

calendar_ptr resolver::resolve(const std::string& spec, const std::string& from_file, const source_location& where) {
  auto ends_with = [&](const char* suffix) {
    const std::string s(suffix);
    return spec.size() > s.size() && spec.compare(spec.size() - s.size(), s.size(), s) == 0;
  };
  const bool is_path = spec.find('/') != std::string::npos || ends_with(".yaml") || ends_with(".yml");
  const fs::path dir = from_file.empty() || from_file[0] == '<' ? fs::path() : fs::path(from_file).parent_path();
  fs::path candidate = is_path ? dir / spec : dir / (spec + ".yaml");
  std::error_code ec;
  // A file that extends its own name (an overlay such as calendars/cn-mainland.yaml with `extends:
  // cn-mainland`) builds on the built-in of that name, not on itself.
  const bool is_self = !from_file.empty() && from_file[0] != '<' &&
                       fs::weakly_canonical(candidate, ec) == fs::weakly_canonical(fs::path(from_file), ec);
  if (!dir.empty() && !is_self && fs::is_regular_file(candidate, ec)) {
    if (std::find(chain.begin(), chain.end(), spec) != chain.end())
      throw policy_error("`extends: " + spec + "` makes a cycle", where);
    chain.push_back(spec);
    const std::string path = candidate.lexically_normal().generic_string();
    calendar_ptr c = compile(kefu::detail::read_yaml_file(path), *this);
    chain.pop_back();
    return c;
  }
  if (is_path) throw policy_error("`extends`: no calendar file '" + candidate.generic_string() + "'", where);
  if (is_self && !builtins().count(spec)) throw policy_error("`extends: " + spec + "` makes a cycle", where);
  if (find_builtin) {
    if (calendar_ptr c = find_builtin(spec)) return c;
  } else if (auto it = builtins().find(spec); it != builtins().end()) {
    return it->second;
  }
  throw policy_error("`extends`: no calendar '" + spec + "' next to this file or built in" +
                         kefu::detail::did_you_mean(spec, builtin_names()),
                     where);
}

}  // namespace

calendar_ptr load_file(const std::string& path) {
  resolver r;
  return compile(kefu::detail::read_yaml_file(path), r);
}

calendar_ptr load_string(const std::string& yaml, const std::string& display_name) {
  resolver r;
  return compile(kefu::detail::read_yaml_string(yaml, display_name), r);
}

calendar_ptr builtin(const std::string& name) {
  const auto& table = builtins();
  if (auto it = table.find(name); it != table.end()) return it->second;
  std::string list;
  for (const auto& kv : table) list += (list.empty() ? "" : ", ") + kv.first;
  std::vector<std::string> names;
  for (const auto& kv : table) names.push_back(kv.first);
  throw error("no built-in calendar '" + name + "'" + kefu::detail::did_you_mean(name, names) + "; built-in: " + list);
}

std::map<std::string, calendar_ptr> with_dependent_builtins(std::map<std::string, calendar_ptr> own) {
  std::map<std::string, std::string_view> sources;
  for (const auto& [name, text] : detail::builtin_calendar_sources()) sources.emplace(std::string(name), text);
  // Which built-in each built-in extends ("" for none): read once, not on every directory load.
  static const std::map<std::string, std::string> bases = [&] {
    std::map<std::string, std::string> m;
    for (const auto& [name, text] : sources) {
      const auto doc = kefu::detail::read_yaml_string(std::string(text), "<builtin>/calendars/" + name + ".yaml");
      m[name] = doc.root["extends"] ? doc.root["extends"].Scalar() : std::string();
    }
    return m;
  }();
  std::map<std::string, calendar_ptr> out = own;
  // A built-in is rebuilt when the calendar it extends is not the built-in of that name any more.
  std::function<calendar_ptr(const std::string&, int)> get = [&](const std::string& name, int depth) -> calendar_ptr {
    if (auto it = out.find(name); it != out.end()) return it->second;
    const auto src = sources.find(name);
    if (src == sources.end() || depth > 16) return nullptr;
    const calendar_ptr shipped = builtins().at(name);
    const std::string& base = bases.at(name);
    if (base.empty()) return shipped;
    const calendar_ptr resolved = get(base, depth + 1);
    const auto shipped_base = builtins().find(base);
    if (!resolved || (shipped_base != builtins().end() && resolved == shipped_base->second)) return shipped;
    resolver r;
    r.find_builtin = [&](const std::string& b) { return get(b, depth + 1); };
    const auto doc = kefu::detail::read_yaml_string(std::string(src->second), "<builtin>/calendars/" + name + ".yaml");
    calendar_ptr rebuilt = compile(doc, r);
    out.emplace(name, rebuilt);
    return rebuilt;
  };
  for (const auto& kv : sources) get(kv.first, 0);
  return out;
}

calendar_ptr with_beyond_official(const calendar_ptr& c, beyond_official mode) {
  if (!c || c->source().past_official == mode) return c;
  definition def = c->source();
  def.past_official = mode;
  return std::make_shared<const calendar>(std::move(def));
}

std::vector<std::string> builtin_names() {
  std::vector<std::string> out;
  for (const auto& kv : builtins()) out.push_back(kv.first);
  return out;
}

}  // namespace kefu::calendar
