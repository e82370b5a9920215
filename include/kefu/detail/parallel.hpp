// kefu — the one parallel loop every multi-threaded batch uses (replay, KPI compute, columnar evaluation).
//
// Work is split into contiguous shares, one per thread; the calling thread runs the first share. Each
// share's exception is caught; after every thread has joined, the exception of the earliest share is
// rethrown, so a batch reports the same error (the earliest bad row) as a single pass would.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace kefu::detail {

/// How many shares to cut `items` into: at most `threads` (0 = one per core), and never shares smaller
/// than `min_share` items (threads cost more than they save on small batches).
inline std::size_t share_count(std::size_t items, unsigned threads = 0, std::size_t min_share = 1) {
  const std::size_t cores = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t by_size = std::max<std::size_t>(1, items / std::max<std::size_t>(1, min_share));
  return std::max<std::size_t>(1, std::min(cores, by_size));
}

/// Calls `body(share, from, to)` for `shares` contiguous ranges [from, to) of [0, items), share 0 on the
/// calling thread and the others on their own threads; rethrows the earliest share's exception.
template <class Body>
void parallel_shares(std::size_t items, std::size_t shares, Body&& body) {
  if (shares <= 1) {
    body(std::size_t{0}, std::size_t{0}, items);
    return;
  }
  std::vector<std::exception_ptr> errors(shares);
  const auto run = [&](std::size_t k) {
    try {
      body(k, items * k / shares, items * (k + 1) / shares);
    } catch (...) {
      errors[k] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(shares - 1);
  for (std::size_t k = 1; k < shares; ++k) pool.emplace_back(run, k);
  run(0);
  for (auto& t : pool) t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace kefu::detail
