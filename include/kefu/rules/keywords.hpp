// kefu — keyword sets matched with one Aho-Corasick automaton per set (DOM-RISK-1, DOM-RISK-2).
//
// Matching is over UTF-8 bytes after folding: full-width ASCII (Ｕ+FF01…FF5E, e.g. "１２３１５") is
// read as half-width and ASCII letters as lower case, both in the words and in the text, so
// "１２３１５" matches 12315 and "Weibo" matches weibo. Folding is done on the fly while scanning
// (no copy of the text). Traditional characters are matched when the set lists them.
//
// A word that begins or ends with an ASCII letter or digit ("12315", "Weibo") matches only where
// the text does not continue that run of letters or digits, so 12315 is found in "打了12315" but
// not inside the order number "4123159876". Chinese words match anywhere.
#pragma once

#include <array>
#include <cstdint>
#include <queue>
#include <string>
#include <string_view>
#include <vector>

namespace kefu::rules {

namespace detail {
/// Calls f(byte) for each byte of text with full-width ASCII folded to ASCII and A–Z to a–z.
template <class F>
void for_each_folded_byte(std::string_view text, F&& f) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    unsigned char c = p[i];
    // U+FF01..U+FF5E is EF BC 81..EF BC BF and EF BD 80..EF BD 9E; U+3000 (ideographic space) is E3 80 80.
    if (c == 0xEF && i + 2 < n && (p[i + 1] == 0xBC || p[i + 1] == 0xBD)) {
      const unsigned code = 0xFF00u + ((p[i + 1] & 0x03u) << 6) + (p[i + 2] & 0x3Fu);
      if (code >= 0xFF01 && code <= 0xFF5E) {
        unsigned char ascii = static_cast<unsigned char>(code - 0xFF01 + 0x21);
        if (ascii >= 'A' && ascii <= 'Z') ascii = static_cast<unsigned char>(ascii - 'A' + 'a');
        f(ascii, i, 3);
        i += 3;
        continue;
      }
    }
    if (c == 0xE3 && i + 2 < n && p[i + 1] == 0x80 && p[i + 2] == 0x80) {
      f(static_cast<unsigned char>(' '), i, 3);
      i += 3;
      continue;
    }
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    f(c, i, 1);
    ++i;
  }
}

inline std::string fold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for_each_folded_byte(text, [&](unsigned char c, std::size_t, std::size_t) { out.push_back(static_cast<char>(c)); });
  return out;
}
}  // namespace detail

/// A compiled keyword set.
class keyword_set {
 public:
  keyword_set() = default;
  keyword_set(std::string name, std::vector<std::string> words) : name_(std::move(name)), words_(std::move(words)) {
    build();
  }

  const std::string& name() const noexcept { return name_; }
  const std::vector<std::string>& words() const noexcept { return words_; }

  /// Whether any word occurs in text. Stops at the first match; only when the match found may be an
  /// ASCII word inside a longer run of letters or digits does it look closer (rare).
  bool contains_any(std::string_view text) const {
    bool found = false, check_bounds = false;
    std::int32_t state = 0;
    detail::for_each_folded_byte(text, [&](unsigned char c, std::size_t, std::size_t) {
      if (found || check_bounds) return;
      state = next(state, c);
      const std::int32_t w = output_[static_cast<std::size_t>(state)];
      if (w < 0) return;
      if (has_bounded_ && bounded_[static_cast<std::size_t>(w)])
        check_bounds = true;  // matches() checks this word's boundaries and every other word
      else
        found = true;
    });
    if (check_bounds) return !matches(text).empty();
    return found;
  }

  /// Indices of the words that occur in text (each once, in order of first occurrence).
  std::vector<std::size_t> matches(std::string_view text) const {
    std::vector<std::size_t> out;
    std::vector<bool> seen(words_.size());
    const std::string folded = has_bounded_ ? detail::fold(text) : std::string();
    auto alnum = [](unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'); };
    std::size_t pos = 0;  // bytes of folded text consumed
    std::int32_t state = 0;
    detail::for_each_folded_byte(text, [&](unsigned char c, std::size_t, std::size_t) {
      state = next(state, c);
      ++pos;
      for (std::int32_t s = state; s > 0; s = dict_link_[static_cast<std::size_t>(s)]) {
        const std::int32_t w = output_[static_cast<std::size_t>(s)];
        if (w >= 0 && !seen[static_cast<std::size_t>(w)]) {
          const auto wi = static_cast<std::size_t>(w);
          bool ok = true;
          if (bounded_[wi]) {
            const std::size_t end = pos, begin = pos - folded_length_[wi];
            ok = (begin == 0 || !alnum(static_cast<unsigned char>(folded[begin - 1])) || !alnum(static_cast<unsigned char>(folded[begin]))) &&
                 (end == folded.size() || !alnum(static_cast<unsigned char>(folded[end])) || !alnum(static_cast<unsigned char>(folded[end - 1])));
          }
          if (ok) {
            seen[wi] = true;
            out.push_back(wi);
          }
        }
        if (w < 0 && dict_link_[static_cast<std::size_t>(s)] == 0) break;
      }
    });
    return out;
  }

 private:
  std::int32_t next(std::int32_t state, unsigned char c) const {
    return delta_[static_cast<std::size_t>(state) * 256 + c];
  }

  void build() {
    bounded_.clear();
    folded_length_.clear();
    for (const auto& w : words_) {
      const std::string f = detail::fold(w);
      auto alnum = [](unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'); };
      bounded_.push_back(!f.empty() && (alnum(static_cast<unsigned char>(f.front())) || alnum(static_cast<unsigned char>(f.back()))));
      folded_length_.push_back(f.size());
      has_bounded_ = has_bounded_ || bounded_.back();
    }
    // Trie over folded words, then a full transition table (dense: sets are small, scans are hot).
    std::vector<std::array<std::int32_t, 256>> go(1);
    go[0].fill(-1);
    output_.assign(1, -1);
    for (std::size_t w = 0; w < words_.size(); ++w) {
      std::int32_t s = 0;
      for (const char ch : detail::fold(words_[w])) {
        const auto c = static_cast<unsigned char>(ch);
        if (go[static_cast<std::size_t>(s)][c] < 0) {
          go[static_cast<std::size_t>(s)][c] = static_cast<std::int32_t>(go.size());
          go.emplace_back();
          go.back().fill(-1);
          output_.push_back(-1);
        }
        s = go[static_cast<std::size_t>(s)][c];
      }
      if (s != 0 && output_[static_cast<std::size_t>(s)] < 0) output_[static_cast<std::size_t>(s)] = static_cast<std::int32_t>(w);
    }
    const std::size_t states = go.size();
    std::vector<std::int32_t> fail(states, 0);
    dict_link_.assign(states, 0);
    delta_.assign(states * 256, 0);
    std::queue<std::int32_t> q;
    for (unsigned c = 0; c < 256; ++c) {
      const std::int32_t t = go[0][c];
      delta_[c] = t < 0 ? 0 : t;
      if (t > 0) q.push(t);
    }
    while (!q.empty()) {
      const std::int32_t s = q.front();
      q.pop();
      const auto su = static_cast<std::size_t>(s);
      const std::int32_t f = fail[su];
      dict_link_[su] = output_[static_cast<std::size_t>(f)] >= 0 ? f : dict_link_[static_cast<std::size_t>(f)];
      if (output_[su] < 0 && output_[static_cast<std::size_t>(f)] >= 0) {
        // A shorter word ends here too: report it from this state as well (contains_any checks output_ only).
        output_[su] = output_[static_cast<std::size_t>(f)];
      }
      for (unsigned c = 0; c < 256; ++c) {
        const std::int32_t t = go[su][c];
        if (t < 0) {
          delta_[su * 256 + c] = delta_[static_cast<std::size_t>(f) * 256 + c];
        } else {
          delta_[su * 256 + c] = t;
          fail[static_cast<std::size_t>(t)] = delta_[static_cast<std::size_t>(f) * 256 + c];
          q.push(t);
        }
      }
    }
  }

  std::string name_;
  std::vector<std::string> words_;
  std::vector<std::int32_t> delta_;      // states × 256
  std::vector<std::int32_t> output_;     // word ending at the state (or a suffix state), −1 for none
  std::vector<std::int32_t> dict_link_;  // next state on the suffix chain that ends a word
  std::vector<bool> bounded_;             // word starts or ends with an ASCII letter or digit
  std::vector<std::size_t> folded_length_;
  bool has_bounded_ = false;
};

}  // namespace kefu::rules
