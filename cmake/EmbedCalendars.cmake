# cmake -DOUTPUT=… -DSOURCES="a.yaml;b.yaml" -P EmbedCalendars.cmake
# Writes a C++ file that holds each calendar's YAML text as a raw string literal.
set(_body "")
foreach(_file IN LISTS SOURCES)
  get_filename_component(_name "${_file}" NAME_WE)
  file(READ "${_file}" _text)
  string(FIND "${_text}" ")kefu_yaml\"" _clash)
  if(NOT _clash EQUAL -1)
    message(FATAL_ERROR "${_file} contains the raw-string delimiter )kefu_yaml\"")
  endif()
  string(APPEND _body "      {\"${_name}\", R\"kefu_yaml(${_text})kefu_yaml\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from rules/calendars by cmake/EmbedCalendars.cmake. Do not edit.
#include \"detail/builtin_calendars.hpp\"

namespace kefu::calendar::detail {
const std::vector<std::pair<std::string_view, std::string_view>>& builtin_calendar_sources() {
  static const std::vector<std::pair<std::string_view, std::string_view>> sources{
${_body}  };
  return sources;
}
}  // namespace kefu::calendar::detail
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
