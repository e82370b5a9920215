// kefu — a policy that can be reloaded while other threads decide with it (policies are immutable: docs/architecture.md).
//
// reload() builds and checks a new policy from the file, runs its rule tests, and only then swaps it
// in with one atomic store. Readers take a std::shared_ptr<const policy> with current() and keep
// using it for as long as they hold it, so no reader ever sees a half-loaded policy; a reload that
// fails (bad file, failing rule test) keeps the old policy and says why.
#pragma once

#include <kefu/rules/policy.hpp>
#include <kefu/rules/suite.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace kefu::rules {

struct reload_result {
  bool swapped = false;
  std::string message;          ///< why not, or what was loaded
  std::size_t cases_passed = 0;  ///< rule-test cases run against the new version
};

class policy_handle {
 public:
  /// Loads the policy and the suites (rule-test files) that test it; throws when the first load or
  /// any of its cases fails, like a reload would refuse it.
  explicit policy_handle(std::string path, std::vector<std::string> suite_files = {})
      : path_(std::move(path)), suite_files_(std::move(suite_files)) {
    const auto [p, result] = build();
    if (!p) throw error("policy '" + path_ + "' not loaded: " + result.message);
    std::atomic_store(&current_, p);
  }

  /// The policy now in force. Cheap (one atomic load); hold the pointer for as long as needed.
  policy_ptr current() const { return std::atomic_load(&current_); }

  /// Loads the file again, runs the rule tests, and swaps only when everything passed.
  reload_result reload() {
    const std::lock_guard<std::mutex> lock(reload_mutex_);  // one reload at a time; readers never wait
    auto [p, result] = build();
    if (p) std::atomic_store(&current_, p);
    return result;
  }

  const std::string& path() const noexcept { return path_; }
  const std::vector<std::string>& suite_files() const noexcept { return suite_files_; }

 private:
  std::pair<policy_ptr, reload_result> build() const {
    reload_result r;
    policy_ptr p;
    try {
      p = load_policy_file(path_);
      for (const auto& file : suite_files_) {
        const suite s = load_suite_file(file);
        const suite_result sr = run_suite(s, *p);
        r.cases_passed += sr.passed;
        if (sr.failed) {
          for (const auto& c : sr.cases)
            if (!c.passed) {
              const auto& [what, expected, actual] = c.differences.front();
              r.message = file + ":" + std::to_string(s.cases[c.index].where.line) + ": rule test '" + s.cases[c.index].name +
                          "' fails: " + (what == "error" ? actual : what + " expected " + expected + ", got " + actual);
              return {nullptr, r};
            }
        }
      }
    } catch (const error& e) {
      r.message = e.what();
      return {nullptr, r};
    }
    r.swapped = true;
    r.message = "loaded policy '" + p->name() + "'" + (p->version().empty() ? "" : " version " + p->version()) + " (" +
                std::to_string(p->rules().size()) + " rules, " + std::to_string(r.cases_passed) + " rule-test cases passed)";
    return {p, r};
  }

  std::string path_;
  std::vector<std::string> suite_files_;
  std::shared_ptr<const policy> current_;
  std::mutex reload_mutex_;
};

}  // namespace kefu::rules
