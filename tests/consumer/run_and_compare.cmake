# Runs a program and compares what it prints (stdout) with a file, line for line; it must exit 0.
#   cmake -DEXE=program -DEXPECTED=expected_output.txt [-DARGS=a;b] -P run_and_compare.cmake
execute_process(COMMAND "${EXE}" ${ARGS} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${EXE} exited with ${rc}\n${err}")
endif()
file(READ "${EXPECTED}" expected)
if(NOT out STREQUAL expected)
  message(FATAL_ERROR "${EXE} printed\n${out}\ninstead of (${EXPECTED})\n${expected}")
endif()
message(STATUS "${EXE}: output as expected (${EXPECTED})")
