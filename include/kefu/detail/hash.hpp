// kefu — internal: the stable 64-bit mixing kefu hashes with (QC sampling, policy digests). Values must not
// change between versions: QC samples are reproducible from their seed.
#pragma once

#include <cstdint>

namespace kefu::detail {

/// splitmix64's step: a bijective 64-bit mix.
inline std::uint64_t splitmix64(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

inline constexpr std::uint64_t fnv1a_basis = 0xcbf29ce484222325ULL;
/// One byte into an FNV-1a hash.
inline std::uint64_t fnv1a(std::uint64_t h, unsigned char byte) noexcept { return (h ^ byte) * 0x100000001b3ULL; }

}  // namespace kefu::detail
