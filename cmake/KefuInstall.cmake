# Installs headers, the library, the default rules (share/kefu/rules) and a CMake package so that a
# backend writes find_package(kefu CONFIG REQUIRED) and links kefu::kefu.
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
install(EXPORT kefuTargets NAMESPACE kefu:: DESTINATION ${KEFU_INSTALL_CMAKEDIR})

configure_package_config_file(cmake/kefuConfig.cmake.in "${CMAKE_CURRENT_BINARY_DIR}/kefuConfig.cmake"
  INSTALL_DESTINATION ${KEFU_INSTALL_CMAKEDIR}
  PATH_VARS KEFU_INSTALL_RULESDIR)
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/kefuConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/kefuConfig.cmake" "${CMAKE_CURRENT_BINARY_DIR}/kefuConfigVersion.cmake"
  DESTINATION ${KEFU_INSTALL_CMAKEDIR})
