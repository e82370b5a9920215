// Random records for a policy's inputs, as typed columns (for kefu::rules::batch) and as records (for
// policy::evaluate): the batch and partial-facts tests compare the two paths on them.
#pragma once

#include <kefu/rules/batch.hpp>

#include "calendar_test_support.hpp"

#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace kefu_test {

using kefu::rules::batch;
using kefu::rules::value_type;

/// Random typed columns for every input of a policy (as a converter would give them), and the same rows
/// as records for policy::evaluate.
struct random_rows {
  std::size_t n;
  std::vector<std::vector<std::int64_t>> numbers;      // by slot
  std::vector<std::vector<std::string>> strings;       // by slot (text inputs)
  std::vector<std::vector<std::string_view>> views;    // by slot
  std::vector<std::vector<std::uint8_t>> missing;      // by slot; empty: none missing
  std::vector<kefu::rules::record> records;

  random_rows(const kefu::rules::policy& p, std::size_t rows, unsigned seed, double missing_rate = 0.0) : n(rows) {
    std::mt19937_64 rng(seed);
    const auto& inputs = p.inputs();
    numbers.resize(inputs.size());
    strings.resize(inputs.size());
    views.resize(inputs.size());
    missing.resize(inputs.size());
    static const char* texts[] = {"", "我要投诉你们", "要去微博曝光", "打了１２３１５热线", "订单4123159876",
                                  "吃了拉肚子住院了", "律师函已经寄出", "态度差", "hello", "孩子过敏了, 要起诉"};
    auto pick = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
    for (std::size_t s = 0; s < inputs.size(); ++s) {
      const auto& f = inputs[s];
      for (std::size_t i = 0; i < n; ++i) {
        std::int64_t v = 0;
        switch (f.type) {
          case value_type::boolean: v = pick(0, 1); break;
          case value_type::integer: v = pick(0, 2) == 0 ? pick(0, 16) : pick(-3, 400); break;
          case value_type::money: v = pick(0, 3) == 0 ? 100000 + pick(-1, 1) : pick(0, 150001); break;
          case value_type::enumeration: v = pick(0, static_cast<std::int64_t>(f.values.size()) - 1); break;
          case value_type::set: v = pick(0, (std::int64_t{1} << f.values.size()) - 1); break;
          case value_type::date: v = kefu_test::day("2026-01-01") + pick(-400, 400); break;
          case value_type::datetime: v = kefu_test::cst("2026-01-01T00:00:00").unix_seconds() + pick(-30000000, 30000000); break;
          case value_type::duration: v = pick(0, 1000000); break;
          case value_type::decimal: v = pick(0, 10000000); break;
          default: break;
        }
        numbers[s].push_back(v);
        strings[s].push_back(f.type == value_type::text ? texts[pick(0, 9)] : "");
      }
      if (f.default_text && missing_rate > 0) {
        missing[s].resize(n);
        for (auto& m : missing[s]) m = std::bernoulli_distribution(missing_rate)(rng) ? 1 : 0;
      }
      views[s].assign(strings[s].begin(), strings[s].end());
    }
    for (std::size_t i = 0; i < n; ++i) {
      auto r = p.make_record();
      for (std::size_t s = 0; s < inputs.size(); ++s) {
        if (!missing[s].empty() && missing[s][i]) continue;  // the default make_record put there
        if (inputs[s].type == value_type::text)
          p.set_text(r, s, strings[s][i]);
        else
          p.set_number(r, s, numbers[s][i]);
      }
      records.push_back(std::move(r));
    }
  }

  batch columns(const kefu::rules::policy& p) const {
    batch b(p, n);
    for (std::size_t s = 0; s < p.inputs().size(); ++s) {
      const std::uint8_t* m = missing[s].empty() ? nullptr : missing[s].data();
      if (p.inputs()[s].type == value_type::text)
        b.texts(s, views[s].data(), m);
      else
        b.numbers(s, numbers[s].data(), m);
    }
    return b;
  }
};

/// The columns say, row by row, what policy::evaluate says.

}  // namespace kefu_test
