#pragma once

#include <kefu/calendar/load.hpp>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <stdlib.h>  // mkdtemp (POSIX)

namespace kefu_test {

inline kefu::instant cst(const char* text) { return kefu::parse_instant(text, kefu::time_zone::parse("+08:00")); }
inline std::string cst_text(kefu::instant t) { return kefu::format_instant(t, kefu::time_zone::parse("+08:00")); }
inline std::int64_t day(const char* text) { return kefu::to_days(kefu::parse_date(text)); }

/// The message of the kefu::error `f` throws, or "no error".
inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const kefu::error& e) {
    return e.what();
  }
  return "no error";
}

/// The id of the kefu::error `f` throws, or "no error".
inline std::string id_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const kefu::error& e) {
    return e.id();
  }
  return "no error";
}

/// A fresh directory, unique to this process and call (mkdtemp), under the system's temporary directory
/// (TMPDIR): `<tmp>/kefu-<tag>-XXXXXX`. Two runs at once (ctest -j, the sanitizer build, another engineer's
/// checkout) never share one. A test that cannot make one fails with the reason (std::runtime_error).
inline std::filesystem::path unique_temp_dir(std::string tag) {
  for (char& c : tag)  // parameterised tests have '/' in their names
    if (c == '/') c = '_';
  std::string pattern = (std::filesystem::temp_directory_path() / ("kefu-" + tag + "-XXXXXX")).string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp " + pattern + ": " + std::strerror(errno));
  return pattern;
}

/// A scratch directory of its own for the running test (unique per run: see unique_temp_dir), removed with
/// everything in it at the end of the test.
struct scratch_dir {
  std::filesystem::path path;
  scratch_dir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path = unique_temp_dir(info ? std::string(info->test_suite_name()) + "-" + info->name() : std::string("scratch"));
  }
  ~scratch_dir() {
    std::error_code ignored;  // never throw from a destructor; a leftover directory is only untidy
    std::filesystem::remove_all(path, ignored);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;
  std::string write(const std::string& name, const std::string& text) const {
    std::filesystem::create_directories((path / name).parent_path());
    std::ofstream(path / name, std::ios::binary | std::ios::trunc) << text;
    return (path / name).generic_string();
  }
  /// A copy of a directory (e.g. the shipped rules) at `name` inside this one; returns its path.
  std::string copy_of(const std::string& directory, const std::string& name = "rules") const {
    std::filesystem::copy(directory, path / name, std::filesystem::copy_options::recursive);
    return (path / name).generic_string();
  }
};

}  // namespace kefu_test
