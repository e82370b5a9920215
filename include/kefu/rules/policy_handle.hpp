// kefu — policies that can be reloaded while other threads decide with them (policies are immutable:
// docs/architecture.md).
//
// reload() builds and checks a new version, runs its rule tests, and only then swaps it in with one atomic
// store. Readers take a std::shared_ptr<const …> with current() and keep using it for as long as they hold
// it, so no reader ever sees a half-loaded policy; a reload that fails (bad file, failing rule test) keeps
// the old version and says why.
//
//   policy_handle          one policy file and the rule-test files given for it
//   triage_policy_handle   a whole rules directory (kefu.Policy), loaded as triage_policy::load_directory
//                          loads it: the same checks and the directory's rule tests (rules/tests/)
//
// A failing rule test is the same error on every loading path: id kefu.rules.rule_test, at the case's file
// and line (check_suite in suite.hpp).
#pragma once

#include <kefu/rules/policy.hpp>
#include <kefu/rules/suite.hpp>
#include <kefu/rules/triage.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace kefu::rules {

struct reload_result {
  bool swapped = false;
  std::string message;          ///< why not, or what was loaded
  std::size_t cases_passed = 0;  ///< rule-test cases run against the new version
};

namespace detail {
/// The swap shared by both handles: `build()` returns the new version and its result, or nullptr and why.
template <class T>
class reloadable {
 public:
  using pointer = std::shared_ptr<const T>;
  /// The version now in force. Cheap (one atomic load); hold the pointer for as long as needed.
  pointer current() const { return std::atomic_load(&current_); }

 protected:
  void store(pointer p) { std::atomic_store(&current_, std::move(p)); }
  template <class Build>
  reload_result reload_with(Build build) {
    const std::lock_guard<std::mutex> lock(reload_mutex_);  // one reload at a time; readers never wait
    auto [p, result] = build();
    if (p) std::atomic_store(&current_, p);
    return result;
  }

 private:
  pointer current_;
  std::mutex reload_mutex_;
};
}  // namespace detail

class policy_handle : public detail::reloadable<policy> {
 public:
  /// Loads the policy and the suites (rule-test files) that test it; throws when the first load or
  /// any of its cases fails, like a reload would refuse it.
  explicit policy_handle(std::string path, std::vector<std::string> suite_files = {})
      : path_(std::move(path)), suite_files_(std::move(suite_files)) {
    auto [p, result] = build();
    if (!p) throw error("policy '" + path_ + "' not loaded: " + result.message);
    store(std::move(p));
  }

  /// Loads the file again, runs the rule tests, and swaps only when everything passed.
  reload_result reload() {
    return reload_with([this] { return build(); });
  }

  const std::string& path() const noexcept { return path_; }
  const std::vector<std::string>& suite_files() const noexcept { return suite_files_; }

 private:
  std::pair<policy_ptr, reload_result> build() const {
    reload_result r;
    policy_ptr p;
    try {
      p = load_policy_file(path_);
      for (const auto& file : suite_files_) r.cases_passed += check_suite(load_suite_file(file), *p);
    } catch (const error& e) {
      r.message = e.what();
      r.cases_passed = 0;
      return {nullptr, r};
    }
    r.swapped = true;
    r.message = "loaded policy '" + p->name() + "'" + (p->version().empty() ? "" : " version " + p->version()) + " (" +
                std::to_string(p->rules().size()) + " rules, " + std::to_string(r.cases_passed) + " rule-test cases passed)";
    return {p, r};
  }

  std::string path_;
  std::vector<std::string> suite_files_;
};

/// A rules directory that reloads safely: reload() calls triage_policy::load_directory (every structural check
/// and, unless `options` turn them off, the directory's rule tests) and swaps only when it succeeds.
class triage_policy_handle : public detail::reloadable<triage_policy> {
 public:
  /// Loads the directory; throws (the load's error, class and id kept) when the first load fails.
  explicit triage_policy_handle(std::string directory, load_options options = {})
      : directory_(std::move(directory)), options_(std::move(options)) {
    store(triage_policy::load_directory(directory_, options_));
  }

  /// Loads the directory again (with its rule tests) and swaps only when everything passed.
  reload_result reload() {
    return reload_with([this] {
      reload_result r;
      triage_policy_ptr p;
      try {
        p = triage_policy::load_directory(directory_, options_);
      } catch (const error& e) {
        r.message = e.what();
        return std::make_pair(triage_policy_ptr(), r);
      }
      r.swapped = true;
      r.cases_passed = p->rule_test_cases();
      r.message = "loaded rules directory '" + directory_ + "' (" + std::to_string(p->policies().size() + (p->action_catalogue() ? 1 : 0) + (p->customer_value() ? 1 : 0)) + " policies, " +
                  (p->rule_tests_run() ? std::to_string(r.cases_passed) + " rule-test cases passed)"
                                       : std::string("rule tests not run)"));
      return std::make_pair(p, r);
    });
  }

  const std::string& directory() const noexcept { return directory_; }
  const load_options& options() const noexcept { return options_; }

 private:
  std::string directory_;
  load_options options_;
};

}  // namespace kefu::rules
