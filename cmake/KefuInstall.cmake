# Installs headers, the library, the default rules (share/kefu/rules) with their JSON Schemas
# (share/kefu/docs/schema) and a CMake package so that a backend writes
# find_package(kefu CONFIG REQUIRED) and links kefu::kefu.
include(CMakePackageConfigHelpers)

set(KEFU_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/kefu" CACHE STRING "Where kefuConfig.cmake goes")
set(KEFU_INSTALL_RULESDIR "${CMAKE_INSTALL_DATADIR}/kefu/rules" CACHE STRING "Where the default rules go")

# Programs that link the installed kefu::kefu find its rules with kefu::rules::default_rules_dir(): the
# exported target defines KEFU_DEFAULT_RULES_DIR relative to the installation's prefix, so a moved
# installation still points at its own rules.
if(IS_ABSOLUTE "${KEFU_INSTALL_RULESDIR}")
  set(_kefu_installed_rules "${KEFU_INSTALL_RULESDIR}")
else()
  set(_kefu_installed_rules "$<INSTALL_PREFIX>/${KEFU_INSTALL_RULESDIR}")
endif()
target_compile_definitions(kefu INTERFACE $<INSTALL_INTERFACE:KEFU_DEFAULT_RULES_DIR="${_kefu_installed_rules}">)

install(TARGETS kefu EXPORT kefuTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY include/kefu DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY rules/ DESTINATION ${KEFU_INSTALL_RULESDIR})
# The rules files' JSON Schemas go to the sibling docs/schema of the rules (share/kefu/docs/schema), where the
# modelines of the shipped rules files ($schema=../docs/schema/…) point.
string(REGEX REPLACE "/+$" "" _kefu_rules_dir "${KEFU_INSTALL_RULESDIR}")
get_filename_component(_kefu_rules_parent "${_kefu_rules_dir}" DIRECTORY)
if(_kefu_rules_parent STREQUAL "")
  set(_kefu_schema_dir "docs/schema")
else()
  set(_kefu_schema_dir "${_kefu_rules_parent}/docs/schema")
endif()
install(DIRECTORY docs/schema/ DESTINATION ${_kefu_schema_dir} FILES_MATCHING PATTERN "*.json")
install(EXPORT kefuTargets NAMESPACE kefu:: DESTINATION ${KEFU_INSTALL_CMAKEDIR})

configure_package_config_file(cmake/kefuConfig.cmake.in "${CMAKE_CURRENT_BINARY_DIR}/kefuConfig.cmake"
  INSTALL_DESTINATION ${KEFU_INSTALL_CMAKEDIR}
  PATH_VARS KEFU_INSTALL_RULESDIR)
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/kefuConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/kefuConfig.cmake" "${CMAKE_CURRENT_BINARY_DIR}/kefuConfigVersion.cmake"
  DESTINATION ${KEFU_INSTALL_CMAKEDIR})
