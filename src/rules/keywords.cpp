// Keyword sets: building the automaton, and reading an occurrence's surroundings — word boundaries of
// ASCII words, exception phrases, negation cues (DOM-RISK-5). The scan that finds nothing is inline in
// keywords.hpp; everything here runs only once a word has been found.
#include <kefu/rules/keywords.hpp>

#include <algorithm>
#include <queue>

namespace kefu::rules {

const char* to_string(hit_status s) noexcept {
  switch (s) {
    case hit_status::counted: return "counted";
    case hit_status::negated: return "negated";
    case hit_status::excepted: return "excepted";
  }
  return "?";
}

namespace {

bool ascii_alnum(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'); }
bool ascii_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool ascii_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }
unsigned char at(const std::string& s, std::size_t i) { return static_cast<unsigned char>(s[i]); }

/// The code point of the UTF-8 sequence s[begin, end), or U+FFFD when it is not one.
char32_t decode(const std::string& s, std::size_t begin, std::size_t end) {
  const unsigned char lead = at(s, begin);
  const std::size_t n = end - begin;
  char32_t c = 0;
  if (n == 2 && (lead & 0xE0) == 0xC0)
    c = lead & 0x1Fu;
  else if (n == 3 && (lead & 0xF0) == 0xE0)
    c = lead & 0x0Fu;
  else if (n == 4 && (lead & 0xF8) == 0xF0)
    c = lead & 0x07u;
  else
    return 0xFFFD;
  for (std::size_t i = begin + 1; i < end; ++i) {
    if ((at(s, i) & 0xC0) != 0x80) return 0xFFFD;
    c = (c << 6) | (at(s, i) & 0x3Fu);
  }
  return c;
}

bool ends_at(const std::string& s, std::size_t end, const std::string& what) {
  return !what.empty() && end >= what.size() && s.compare(end - what.size(), what.size(), what) == 0;
}

/// Characters of a folded word as the negation window counts them (a run of ASCII letters or digits is
/// one, whitespace none): the reach back from a word must cover a cue's own characters too.
std::size_t counted_characters(const std::string& folded) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < folded.size(); ++i) {
    const unsigned char c = at(folded, i);
    if ((c & 0xC0) == 0x80 || ascii_space(c)) continue;
    if (ascii_alnum(c) && i > 0 && ascii_alnum(at(folded, i - 1))) continue;
    ++n;
  }
  return n;
}

std::vector<std::size_t> offsets_of(const std::string& word, const std::string& phrase) {
  std::vector<std::size_t> out;
  if (word.empty()) return out;
  for (auto i = phrase.find(word); i != std::string::npos; i = phrase.find(word, i + 1)) out.push_back(i);
  return out;
}

}  // namespace

void keyword_set::build() {
  const std::size_t n = words_.size();
  bounded_.assign(n, 0);
  context_.assign(n, 0);
  folded_length_.assign(n, 0);
  word_exceptions_.assign(n, {});
  std::vector<std::string> folded(n);
  for (std::size_t w = 0; w < n; ++w) {
    folded[w] = detail::fold(words_[w]);
    const std::string& f = folded[w];
    bounded_[w] = !f.empty() && (ascii_alnum(at(f, 0)) || ascii_alnum(at(f, f.size() - 1)));
    folded_length_[w] = f.size();
  }
  // Exceptions: the folded phrase and where the folded word sits in it (a phrase without the word never applies).
  for (std::size_t e = 0; e < exceptions_.size(); ++e) {
    const std::string word = detail::fold(exceptions_[e].word);
    for (std::size_t w = 0; w < n; ++w) {
      if (folded[w] != word) continue;
      for (std::size_t k = 0; k < exceptions_[e].phrases.size(); ++k) {
        folded_exception fe;
        fe.phrase = detail::fold(exceptions_[e].phrases[k]);
        fe.offsets = offsets_of(word, fe.phrase);
        fe.index = k;
        fe.entry = e;
        if (!fe.offsets.empty()) word_exceptions_[w].push_back(std::move(fe));
      }
      break;
    }
  }
  // Negation: folded cues with their resolved windows and the not-cues that contain them.
  cues_.clear();
  not_cues_.clear();
  breaks_.clear();
  reach_ = 0;
  for (const auto& nc : negation_.not_cues) not_cues_.push_back(detail::fold(nc));
  for (const auto& b : negation_.breaks)
    if (!b.empty()) breaks_.push_back(detail::fold(b));
  for (std::size_t i = 0; i < negation_.cues.size(); ++i) {
    folded_cue c;
    c.text = detail::fold(negation_.cues[i].text);
    if (c.text.empty()) continue;
    c.window = negation_.cues[i].window >= 0 ? negation_.cues[i].window : negation_.window;
    if (c.window < 0) c.window = 0;
    c.index = i;
    for (std::size_t k = 0; k < not_cues_.size(); ++k)
      for (const std::size_t off : offsets_of(c.text, not_cues_[k])) c.not_cues.emplace_back(k, off);
    reach_ = std::max(reach_, static_cast<std::size_t>(c.window) + 1 + counted_characters(c.text));
    cues_.push_back(std::move(c));
  }
  for (std::size_t w = 0; w < n; ++w) context_[w] = bounded_[w] || !word_exceptions_[w].empty() || !cues_.empty();

  // Trie over folded words, then a full transition table (dense: sets are small, scans are hot).
  std::vector<std::array<std::int32_t, 256>> go(1);
  go[0].fill(-1);
  own_.assign(1, -1);
  for (std::size_t w = 0; w < n; ++w) {
    std::int32_t s = 0;
    for (const char ch : folded[w]) {
      const auto c = static_cast<unsigned char>(ch);
      if (go[static_cast<std::size_t>(s)][c] < 0) {
        go[static_cast<std::size_t>(s)][c] = static_cast<std::int32_t>(go.size());
        go.emplace_back();
        go.back().fill(-1);
        own_.push_back(-1);
      }
      s = go[static_cast<std::size_t>(s)][c];
    }
    if (s != 0 && own_[static_cast<std::size_t>(s)] < 0) own_[static_cast<std::size_t>(s)] = static_cast<std::int32_t>(w);
  }
  const std::size_t states = go.size();
  std::vector<std::int32_t> fail(states, 0);
  dict_link_.assign(states, 0);
  output_.assign(states, -1);
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
    const auto f = static_cast<std::size_t>(fail[su]);
    dict_link_[su] = own_[f] >= 0 ? static_cast<std::int32_t>(f) : dict_link_[f];
    // A word ending here: this state's own, else the longest suffix's (contains_any reads output_ only).
    output_[su] = own_[su] >= 0 ? own_[su] : (dict_link_[su] > 0 ? own_[static_cast<std::size_t>(dict_link_[su])] : -1);
    for (unsigned c = 0; c < 256; ++c) {
      const std::int32_t t = go[su][c];
      if (t < 0) {
        delta_[su * 256 + c] = delta_[f * 256 + c];
      } else {
        delta_[su * 256 + c] = t;
        fail[static_cast<std::size_t>(t)] = delta_[f * 256 + c];
        q.push(t);
      }
    }
  }
}

bool keyword_set::bounded_ok(const std::string& s, std::size_t w, std::size_t begin, std::size_t end) const {
  if (!bounded_[w]) return true;
  return (begin == 0 || !ascii_alnum(at(s, begin - 1)) || !ascii_alnum(at(s, begin))) &&
         (end == s.size() || !ascii_alnum(at(s, end)) || !ascii_alnum(at(s, end - 1)));
}

const std::string* keyword_set::exception_at(const std::string& s, std::size_t w, std::size_t begin) const {
  for (const auto& fe : word_exceptions_[w])
    for (const std::size_t off : fe.offsets)
      if (begin >= off && begin - off + fe.phrase.size() <= s.size() && s.compare(begin - off, fe.phrase.size(), fe.phrase) == 0)
        return &exceptions_[fe.entry].phrases[fe.index];
  return nullptr;
}

const negation_cue* keyword_set::negated_at(const std::string& s, std::size_t begin) const {
  if (cues_.empty()) return nullptr;
  // The characters before the word, nearest first, up to a stop or as far as any cue can reach.
  struct token {
    std::size_t begin, end;
  };
  std::vector<token> tokens;
  tokens.reserve(reach_);
  std::size_t p = begin;
  while (tokens.size() < reach_ && p > 0) {
    const unsigned char c = at(s, p - 1);
    if (ascii_space(c)) {
      std::size_t q = p - 1;
      while (q > 0 && ascii_space(at(s, q - 1))) --q;
      // Whitespace between two non-ASCII characters separates clauses the way punctuation does.
      if (p < s.size() && at(s, p) >= 0x80 && q > 0 && at(s, q - 1) >= 0x80) break;
      p = q;
      continue;
    }
    if (c < 0x80) {
      if (ascii_alnum(c)) {
        std::size_t q = p - 1;
        while (q > 0 && ascii_alnum(at(s, q - 1))) --q;
        tokens.push_back({q, p});
        p = q;
        continue;
      }
      const bool decimal_point = c == '.' && p >= 2 && ascii_digit(at(s, p - 2)) && p < s.size() && ascii_digit(at(s, p));
      if (!decimal_point && detail::is_negation_stop(static_cast<char32_t>(c))) break;
      tokens.push_back({p - 1, p});
      --p;
      continue;
    }
    std::size_t q = p - 1;
    while (q > 0 && p - q < 4 && (at(s, q) & 0xC0) == 0x80) --q;
    if (detail::is_negation_stop(decode(s, q, p))) break;
    tokens.push_back({q, p});
    p = q;
  }
  auto starts_token = [&](std::size_t pos, std::size_t from) {
    for (std::size_t k = from; k < tokens.size(); ++k)
      if (tokens[k].begin == pos) return true;
    return false;
  };
  for (std::size_t j = 0; j < tokens.size(); ++j) {
    const std::size_t end = tokens[j].end;
    for (const auto& b : breaks_)
      if (ends_at(s, end, b) && starts_token(end - b.size(), j)) return nullptr;  // the reach ends here
    for (const auto& cue : cues_) {
      if (static_cast<int>(j) > cue.window || !ends_at(s, end, cue.text)) continue;
      const std::size_t start = end - cue.text.size();
      if (!starts_token(start, j)) continue;
      bool pseudo = false;
      for (const auto& [k, off] : cue.not_cues) {
        const std::string& nc = not_cues_[k];
        if (start >= off && start - off + nc.size() <= s.size() && s.compare(start - off, nc.size(), nc) == 0) {
          pseudo = true;
          break;
        }
      }
      if (!pseudo) return &negation_.cues[cue.index];
    }
  }
  return nullptr;
}

template <class F>
void keyword_set::occurrences(const std::string& folded, F&& f) const {
  std::int32_t state = 0;
  for (std::size_t i = 0; i < folded.size(); ++i) {
    state = next(state, at(folded, i));
    const std::size_t end = i + 1;
    for (std::int32_t s = own_[static_cast<std::size_t>(state)] >= 0 ? state : dict_link_[static_cast<std::size_t>(state)]; s > 0;
         s = dict_link_[static_cast<std::size_t>(s)]) {
      const auto w = static_cast<std::size_t>(own_[static_cast<std::size_t>(s)]);
      const std::size_t begin = end - folded_length_[w];
      if (!bounded_ok(folded, w, begin, end)) continue;
      hit_status status = hit_status::counted;
      const std::string* by = nullptr;
      if ((by = exception_at(folded, w, begin)) != nullptr) {
        status = hit_status::excepted;
      } else if (const negation_cue* cue = negated_at(folded, begin)) {
        status = hit_status::negated;
        by = &cue->text;
      }
      if (f(w, begin, end, status, by)) return;
    }
  }
}

bool keyword_set::counted_any(std::string_view text) const {
  bool found = false;
  occurrences(detail::fold(text), [&](std::size_t, std::size_t, std::size_t, hit_status status, const std::string*) {
    found = status == hit_status::counted;
    return found;
  });
  return found;
}

std::vector<std::size_t> keyword_set::matches(std::string_view text) const {
  std::vector<std::size_t> out;
  std::vector<bool> seen(words_.size());
  occurrences(detail::fold(text), [&](std::size_t w, std::size_t, std::size_t, hit_status status, const std::string*) {
    if (status == hit_status::counted && !seen[w]) {
      seen[w] = true;
      out.push_back(w);
    }
    return false;
  });
  return out;
}

std::vector<keyword_hit> keyword_set::scan(std::string_view text) const {
  // Folded text with, for each folded byte, where its character starts in the text.
  std::string folded;
  std::vector<std::size_t> from;
  folded.reserve(text.size());
  from.reserve(text.size() + 1);
  detail::for_each_folded_byte(text, [&](unsigned char c, std::size_t i, std::size_t) {
    folded.push_back(static_cast<char>(c));
    from.push_back(i);
  });
  from.push_back(text.size());
  std::vector<keyword_hit> out;
  occurrences(folded, [&](std::size_t w, std::size_t begin, std::size_t end, hit_status status, const std::string* by) {
    out.push_back({w, from[begin], from[end], status, by ? *by : std::string()});
    return false;
  });
  return out;
}

}  // namespace kefu::rules
