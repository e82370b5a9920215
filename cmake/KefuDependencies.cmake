# Dependencies come from Debian's packages (libboost-dev, libyaml-cpp-dev, nlohmann-json3-dev, libgtest-dev,
# libbenchmark-dev, pybind11-dev) or from PyPI inside a Python build (pybind11).
include(GNUInstallDirs)

if(POLICY CMP0167)
  cmake_policy(SET CMP0167 NEW)  # use Boost's own BoostConfig.cmake
endif()
find_package(Boost 1.74 REQUIRED CONFIG COMPONENTS headers)

find_package(yaml-cpp 0.6 REQUIRED CONFIG)
# yaml-cpp 0.7 (Debian 12) exports a plain `yaml-cpp` target; 0.8 exports `yaml-cpp::yaml-cpp`.
if(TARGET yaml-cpp::yaml-cpp)
  set(KEFU_YAML_TARGET yaml-cpp::yaml-cpp)
elseif(TARGET yaml-cpp)
  set(KEFU_YAML_TARGET yaml-cpp)
else()
  message(FATAL_ERROR "yaml-cpp was found but exports neither yaml-cpp::yaml-cpp nor yaml-cpp")
endif()

# Ticket snapshots are read and written with nlohmann-json (header-only, used by src/ticket/snapshot.cpp only:
# linked PRIVATE to the build tree, so neither the installed package nor its users need it).
find_package(nlohmann_json 3 REQUIRED CONFIG)
