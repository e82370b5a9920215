#pragma once

#include <kefu/calendar/load.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

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

/// A scratch directory removed at the end of the test.
struct scratch_dir {
  std::filesystem::path path;
  scratch_dir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path = std::filesystem::temp_directory_path() /
           (std::string("kefu-") + info->test_suite_name() + "-" + info->name());
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~scratch_dir() { std::filesystem::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).generic_string();
  }
};

}  // namespace kefu_test
