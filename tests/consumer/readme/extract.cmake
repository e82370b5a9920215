# Writes the README's "From a C++ backend" example into OUT exactly as the README shows it: the first ```cmake
# block as CMakeLists.txt, the first ```cpp block as main.cpp and the ```text block after it (what the program
# prints) as expected_output.txt. Files whose text did not change keep their time stamps (no rebuild).
#   cmake -DREADME=README.md -DOUT=dir -P extract.cmake
if(NOT README OR NOT OUT)
  message(FATAL_ERROR "pass -DREADME=<README.md> -DOUT=<directory>")
endif()
file(READ "${README}" text)
set(section "## From a C++ backend")
string(FIND "${text}" "${section}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${README}: no section '${section}'")
endif()
string(SUBSTRING "${text}" ${at} -1 text)
string(FIND "${text}" "\n## " next)  # the section ends at the next heading of its level
if(NOT next EQUAL -1)
  string(SUBSTRING "${text}" 0 ${next} text)
endif()

file(MAKE_DIRECTORY "${OUT}")
foreach(pair "cmake;CMakeLists.txt" "cpp;main.cpp" "text;expected_output.txt")
  list(GET pair 0 lang)
  list(GET pair 1 name)
  set(fence "```${lang}\n")
  string(FIND "${text}" "${fence}" begin)
  if(begin EQUAL -1)
    message(FATAL_ERROR "${README}: section '${section}' has no ```${lang} block")
  endif()
  string(LENGTH "${fence}" fence_length)
  math(EXPR begin "${begin} + ${fence_length}")
  string(SUBSTRING "${text}" ${begin} -1 text)  # later blocks are searched after this one
  string(FIND "${text}" "```" end)
  string(SUBSTRING "${text}" 0 ${end} code)
  file(WRITE "${OUT}/${name}.new" "${code}")
  execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUT}/${name}.new" "${OUT}/${name}")
  file(REMOVE "${OUT}/${name}.new")
endforeach()
