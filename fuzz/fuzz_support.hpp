// Shared by the fuzz targets: kefu errors are the expected way to refuse input; anything else (a crash,
// a sanitizer report, another exception type, a broken round trip) is a bug the fuzzer reports.
#pragma once

#include <kefu/error.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <stdlib.h>  // mkdtemp (POSIX)

namespace kefu_fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Fails the run with a message: a broken invariant the fuzzer found.
[[noreturn]] inline void broken(const std::string& what) {
  std::fprintf(stderr, "kefu fuzz: %s\n", what.c_str());
  std::abort();
}

/// Runs `f`; a kefu::error is a clean refusal. Other exceptions escape and libFuzzer reports them.
template <class F>
void refused_cleanly(F&& f) {
  try {
    f();
  } catch (const kefu::error&) {
  }
}

/// A directory of this process's own under the system's temporary directory (TMPDIR), made with mkdtemp on
/// first use and removed with its files when the process exits normally.
inline const std::filesystem::path& scratch_directory() {
  struct owned {
    std::filesystem::path path;
    owned() {
      std::string pattern = (std::filesystem::temp_directory_path() / "kefu-fuzz-XXXXXX").string();
      if (!::mkdtemp(pattern.data())) broken("cannot make a scratch directory from " + pattern);
      path = pattern;
    }
    ~owned() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const owned dir;
  return dir.path;
}

/// A scratch file for the loaders that only read files (suites, facts), one per process and suffix.
inline std::string scratch_file(std::string_view content, const char* suffix) {
  const std::string path = (scratch_directory() / (std::string("input") + suffix)).string();
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(content.data(), static_cast<std::streamsize>(content.size()));
  return path;
}

}  // namespace kefu_fuzz
