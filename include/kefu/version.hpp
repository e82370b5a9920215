// kefu — version of the library. CMake and the Python package read the version from this file.
#pragma once

#define KEFU_VERSION_MAJOR 0
#define KEFU_VERSION_MINOR 1
#define KEFU_VERSION_PATCH 0
#define KEFU_VERSION_STRING "0.1.0"

namespace kefu {
inline constexpr const char* version_string = KEFU_VERSION_STRING;
}  // namespace kefu
