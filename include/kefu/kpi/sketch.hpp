// kefu — a mergeable quantile sketch with a relative error bound (DDSketch-style log buckets).
//
// A value x > 0 falls in bucket i = ceil(log_γ x), γ = (1 + α) / (1 − α); the bucket (γ^(i−1), γ^i]
// is represented by 2γ^i / (γ + 1), which is within α·x of every x in it. Zero has its own bucket.
// Counts are integers, so merging two sketches (adding counts bucket by bucket) is exact and
// associative: a sketch built from partitions in any order equals the one built from all values.
//
// Quantile definition (the "lower" method of numpy.quantile): the q-quantile of n values is the
// value of 0-based rank ⌊q·(n − 1)⌋ in sorted order. quantile(q) returns a value v̂ with
// |v̂ − v| ≤ α·v for that exact value v (α = 0.5% by default).
#pragma once

#include <kefu/error.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace kefu::kpi {

/// Bucket mapping shared by all sketches of one computation.
class sketch_mapping {
 public:
  explicit sketch_mapping(double relative_accuracy = 0.005) : alpha_(relative_accuracy) {
    if (!(relative_accuracy > 0 && relative_accuracy < 0.5))
      throw error("sketch relative accuracy must be in (0, 0.5), got " + std::to_string(relative_accuracy));
    gamma_ = (1 + alpha_) / (1 - alpha_);
    inv_log_gamma_ = 1.0 / std::log(gamma_);
    small_.resize(small_limit);
    for (std::size_t x = 1; x < small_limit; ++x) small_[x] = slow_index(static_cast<double>(x));
  }
  double relative_accuracy() const noexcept { return alpha_; }
  double gamma() const noexcept { return gamma_; }

  /// The bucket of x > 0.
  std::int32_t index(double x) const noexcept {
    if (x < static_cast<double>(small_limit) && x == std::floor(x)) return small_[static_cast<std::size_t>(x)];
    return slow_index(x);
  }
  /// The bucket of a whole number x > 0 (equal to index(x)).
  std::int32_t index_whole(std::int64_t x) const noexcept {
    if (x < static_cast<std::int64_t>(small_limit)) return small_[static_cast<std::size_t>(x)];
    return slow_index(static_cast<double>(x));
  }
  /// Whole numbers below this have their bucket in a table: 1 … table_limit − 1 fall in buckets 0 …
  /// table_buckets() − 1.
  static constexpr std::int64_t table_limit = 1 << 14;
  std::int32_t table_buckets() const noexcept { return small_.back() + 1; }
  /// The representative value of bucket i.
  double value(std::int32_t i) const noexcept { return 2 * std::pow(gamma_, i) / (gamma_ + 1); }

 private:
  static constexpr std::size_t small_limit = table_limit;
  std::int32_t slow_index(double x) const noexcept {
    return static_cast<std::int32_t>(std::ceil(std::log(x) * inv_log_gamma_));
  }
  double alpha_ = 0.005;
  double gamma_ = 1;
  double inv_log_gamma_ = 1;
  std::vector<std::int32_t> small_;
};

/// Counts per bucket over a contiguous range of bucket indices.
class quantile_sketch {
 public:
  std::uint64_t count() const noexcept { return zero_ + total_; }
  bool empty() const noexcept { return count() == 0; }

  /// Adds a value ≥ 0 (negative values are the caller's error; they are counted as zero).
  void add(double x, const sketch_mapping& m) {
    if (!(x > 0)) {
      ++zero_;
      return;
    }
    add_index(m.index(x), 1);
  }

  /// Adds a whole number ≥ 0 (e.g. seconds); the same as add(double(x)).
  void add_whole(std::int64_t x, const sketch_mapping& m) {
    if (x <= 0) {
      ++zero_;
      return;
    }
    add_index(m.index_whole(x), 1);
  }

  /// Adds one value by its bucket (`zero_bucket` for zero): add_whole(x) = add_bucket(bucket of x).
  static constexpr std::int32_t zero_bucket = std::numeric_limits<std::int32_t>::min();
  void add_bucket(std::int32_t i) {
    if (i == zero_bucket) ++zero_;
    else add_index(i, 1);
  }
  /// Adds c values of bucket i (not `zero_bucket`): the same as c calls of add_bucket(i).
  void add_bucket(std::int32_t i, std::uint64_t c) { add_index(i, c); }
  /// Adds counts[k] values of bucket first + k for k in [0, n): the range grows once to cover the non-zero
  /// counts (adding them one by one grew it bucket by bucket, a reallocation and copy each time).
  template <class Count>
  void add_buckets(std::int32_t first, const Count* counts, std::size_t n) {
    std::size_t lo = 0, hi = n;
    while (lo < hi && !counts[lo]) ++lo;
    while (hi > lo && !counts[hi - 1]) --hi;
    if (lo == hi) return;
    cover(first + static_cast<std::int32_t>(lo), first + static_cast<std::int32_t>(hi - 1));
    std::uint64_t* into = counts_.data() + (first + static_cast<std::int32_t>(lo) - offset_);
    std::uint64_t added = 0;
    for (std::size_t k = lo; k < hi; ++k) {
      into[k - lo] += counts[k];
      added += counts[k];
    }
    total_ += added;
  }
  /// Where bucket i's count lives (for prefetching when adding many values); null when not allocated.
  const void* address_of(std::int32_t i) const noexcept {
    const auto k = static_cast<std::size_t>(static_cast<std::int64_t>(i) - offset_);
    return i >= offset_ && k < counts_.size() ? counts_.data() + k : nullptr;
  }

  void merge(const quantile_sketch& o) {
    zero_ += o.zero_;
    // o's non-empty buckets, added as one block: the range grows once to cover them (the layout that
    // adding them one by one gives), then the counts add in a loop the compiler vectorises.
    std::size_t lo = 0, hi = o.counts_.size();
    while (lo < hi && !o.counts_[lo]) ++lo;
    while (hi > lo && !o.counts_[hi - 1]) --hi;
    if (lo == hi) return;
    const std::int32_t first = o.offset_ + static_cast<std::int32_t>(lo);
    cover(first, o.offset_ + static_cast<std::int32_t>(hi - 1));
    std::uint64_t* into = counts_.data() + (first - offset_);
    const std::uint64_t* from = o.counts_.data() + lo;
    for (std::size_t k = 0; k < hi - lo; ++k) into[k] += from[k];
    total_ += o.total_;
  }

  /// The q-quantile (0 ≤ q ≤ 1) by the lower method, within the mapping's relative accuracy; NaN when
  /// empty.
  double quantile(double q, const sketch_mapping& m) const {
    if (!(q >= 0 && q <= 1)) throw error("quantile must be between 0 and 1, got " + std::to_string(q));
    const std::uint64_t n = count();
    if (n == 0) return std::numeric_limits<double>::quiet_NaN();
    const auto rank = static_cast<std::uint64_t>(std::floor(q * static_cast<double>(n - 1)));
    if (rank < zero_) return 0;
    std::uint64_t seen = zero_;
    for (std::size_t k = 0; k < counts_.size(); ++k) {
      seen += counts_[k];
      if (seen > rank) return m.value(offset_ + static_cast<std::int32_t>(k));
    }
    return m.value(offset_ + static_cast<std::int32_t>(counts_.size()) - 1);
  }

  friend bool operator==(const quantile_sketch& a, const quantile_sketch& b) {
    return a.zero_ == b.zero_ && a.total_ == b.total_ && a.offset_ == b.offset_ && a.counts_ == b.counts_;
  }

  // Raw state, for serialisation.
  std::uint64_t zero_count() const noexcept { return zero_; }
  std::int32_t offset() const noexcept { return offset_; }
  const std::vector<std::uint64_t>& counts() const noexcept { return counts_; }
  static quantile_sketch from_state(std::uint64_t zero, std::int32_t offset, std::vector<std::uint64_t> counts) {
    quantile_sketch s;
    s.zero_ = zero;
    s.offset_ = offset;
    s.counts_ = std::move(counts);
    for (auto c : s.counts_) s.total_ += c;
    return s;
  }

 private:
  void add_index(std::int32_t i, std::uint64_t c) {
    const auto k = static_cast<std::size_t>(static_cast<std::int64_t>(i) - offset_);
    if (!counts_.empty() && i >= offset_ && k < counts_.size()) {
      counts_[k] += c;
      total_ += c;
      return;
    }
    grow(i, c);
  }
  /// Widens the bucket range to hold buckets first … last (first ≤ last).
  void cover(std::int32_t first, std::int32_t last) {
    if (counts_.empty()) {
      offset_ = first;
      counts_.assign(static_cast<std::size_t>(last - first) + 1, 0);
      return;
    }
    if (first < offset_) {
      counts_.insert(counts_.begin(), static_cast<std::size_t>(offset_ - first), 0);
      offset_ = first;
    }
    if (static_cast<std::size_t>(last - offset_) >= counts_.size()) counts_.resize(static_cast<std::size_t>(last - offset_) + 1, 0);
  }
  void grow(std::int32_t i, std::uint64_t c) {
    if (counts_.empty()) {
      offset_ = i;
      counts_.assign(1, 0);
    } else if (i < offset_) {
      counts_.insert(counts_.begin(), static_cast<std::size_t>(offset_ - i), 0);
      offset_ = i;
    } else if (static_cast<std::size_t>(i - offset_) >= counts_.size()) {
      counts_.resize(static_cast<std::size_t>(i - offset_) + 1, 0);
    }
    counts_[static_cast<std::size_t>(i - offset_)] += c;
    total_ += c;
  }

  std::uint64_t zero_ = 0;
  std::uint64_t total_ = 0;
  std::int32_t offset_ = 0;
  std::vector<std::uint64_t> counts_;
};

}  // namespace kefu::kpi
