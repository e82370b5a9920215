// kefu — calendars from YAML files, and the built-in ones.
//
// The file format is documented for rule authors in docs/calendars.md. Built-in calendars
// (cn-mainland, cn-office, always, fresh-shifts) are compiled into the library from
// rules/calendars/, so a backend needs no data files to use them.
#pragma once

#include <kefu/calendar/calendar.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace kefu::calendar {

using calendar_ptr = std::shared_ptr<const calendar>;

/// Loads a calendar file. `extends: NAME` finds NAME.yaml next to the file first, then a built-in
/// calendar; `extends: path/to/file.yaml` is relative to the file. Errors name file, line, column.
calendar_ptr load_file(const std::string& path);

/// Loads calendar YAML text; errors call it `display_name`. `extends:` may name built-ins only.
calendar_ptr load_string(const std::string& yaml, const std::string& display_name = "<string>");

/// A built-in calendar by name; kefu::error listing the names when there is none.
calendar_ptr builtin(const std::string& name);

/// `c` with `beyond_official` set to `mode`: `error` makes it strict (no provisional projection), `project`
/// restores the projection its data declares. Returns `c` itself when nothing changes.
calendar_ptr with_beyond_official(const calendar_ptr& c, beyond_official mode);

/// Names of the built-in calendars, sorted.
std::vector<std::string> builtin_names();

/// A directory's calendars together with the built-ins they affect: every built-in that extends one of
/// `own` (directly or through other built-ins) is rebuilt on it, so an overlay `calendars/cn-mainland.yaml`
/// that brings next year's notice reaches `cn-office` too. Returns `own` plus those rebuilt built-ins.
std::map<std::string, calendar_ptr> with_dependent_builtins(std::map<std::string, calendar_ptr> own);

}  // namespace kefu::calendar
