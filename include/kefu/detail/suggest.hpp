// "did you mean …?" for misspelt keys and names.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace kefu::detail {

/// UTF-8 text as code points (invalid bytes count as one each), so distances count characters.
inline std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    char32_t cp = n == 1 ? c : c & (0xFF >> (n + 1));
    for (std::size_t k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

/// Edit distance in characters, counting a swap of two neighbours as one edit (optimal string alignment):
/// `medai` is one edit from `media`, as a typist sees it.
inline std::size_t edit_distance(std::string_view a_text, std::string_view b_text) {
  const auto a = code_points(a_text);
  const auto b = code_points(b_text);
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    before.swap(previous);
    previous.swap(row);
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) row[j] = std::min(row[j], before[j - 2] + 1);
    }
  }
  return row[b.size()];
}

/// " (did you mean 'x'?)" for the closest candidate within a third of the word's length, else "".
template <class Range>
std::string did_you_mean(std::string_view word, const Range& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(1, code_points(word).size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t dist = edit_distance(word, c);
    if (dist < best_distance) {
      best_distance = dist;
      best = std::string(c);
    }
  }
  return best.empty() ? std::string() : " (did you mean '" + best + "'?)";
}

/// "true" or "false" when `word` is how people say yes or no (`yes`, `Y`, `是`, `否`, …), else nullptr: rule
/// authors who type Chinese write 是/否 where kefu reads true/false.
inline const char* boolean_meant(std::string_view word) {
  static constexpr std::string_view yes[] = {"yes", "Yes", "YES", "y", "Y", "True", "TRUE", "是", "对", "有"};
  static constexpr std::string_view no[] = {"no", "No", "NO", "n", "N", "False", "FALSE", "否", "不是", "错", "没有", "无"};
  for (const auto w : yes)
    if (word == w) return "true";
  for (const auto w : no)
    if (word == w) return "false";
  return nullptr;
}

}  // namespace kefu::detail
