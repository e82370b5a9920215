// kefu — masking of customer personal data (DOM-PRIV-1).
//
// Names, phone numbers and addresses never leave kefu in clear: logs, exports, explanations and
// the demo all print masked forms. Masking keeps just enough to recognise a record when talking
// to the customer (surname, last four digits) and is stable, so masked exports still join.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace kefu {

namespace detail {
/// Byte length of the UTF-8 sequence that starts with `lead` (1 for invalid bytes, so masking
/// never splits or loses input).
constexpr std::size_t utf8_length(unsigned char lead) noexcept {
  return lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 1;
}
/// Number of code points in UTF-8 text.
inline std::size_t utf8_count(std::string_view s) noexcept {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); i += utf8_length(static_cast<unsigned char>(s[i]))) ++n;
  return n;
}
/// The first `n` code points of UTF-8 text.
inline std::string utf8_prefix(std::string_view s, std::size_t n) {
  std::size_t i = 0;
  for (std::size_t k = 0; k < n && i < s.size(); ++k) i += utf8_length(static_cast<unsigned char>(s[i]));
  return std::string(s.substr(0, std::min(i, s.size())));
}
}  // namespace detail

/// "王小明" → "王**", "Li Lei" → "L*****": the first character, then one '*' per further character.
inline std::string mask_name(std::string_view name) {
  if (name.empty()) return {};
  const std::size_t first = detail::utf8_length(static_cast<unsigned char>(name[0]));
  return std::string(name.substr(0, first)) + std::string(detail::utf8_count(name.substr(first)), '*');
}

/// "13812345678" → "138****5678"; any other text keeps its last four digits only ("****5678"),
/// and text with fewer than seven digits is masked whole.
inline std::string mask_phone(std::string_view phone) {
  std::string digits;
  for (const char c : phone)
    if (c >= '0' && c <= '9') digits += c;
  if (digits.size() == 11 && digits[0] == '1') return digits.substr(0, 3) + "****" + digits.substr(7);
  if (digits.size() >= 7) return "****" + digits.substr(digits.size() - 4);
  return std::string(digits.size() ? digits.size() : 4, '*');
}

/// Free text with every mainland mobile number in it masked: "call 13812345678" → "call 138****5678".
/// Customers write their numbers into complaints; explanations and exports show text through this.
inline std::string mask_text(std::string_view text) {
  std::string out(text);
  std::size_t i = 0;
  while (i < out.size()) {
    if (out[i] < '0' || out[i] > '9') {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < out.size() && out[j] >= '0' && out[j] <= '9') ++j;
    if (j - i == 11 && out[i] == '1') out.replace(i + 3, 4, "****");
    i = j;
  }
  return out;
}

/// Addresses keep nothing but their length class: "[address]".
inline std::string mask_address(std::string_view address) { return address.empty() ? std::string() : "[address]"; }

}  // namespace kefu
