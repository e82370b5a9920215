// Keyword sets: building the automaton, and reading an occurrence's surroundings — word boundaries of
// ASCII words, exception phrases, negation cues (DOM-RISK-5). The scan that finds nothing is inline in
// keywords.hpp; everything here runs only once a word has been found.
#include <kefu/rules/keywords.hpp>

#include <algorithm>
#include <queue>
#include <stdexcept>

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
unsigned char at(std::string_view s, std::size_t i) { return static_cast<unsigned char>(s[i]); }

/// The code point of the UTF-8 sequence s[begin, end), or U+FFFD when it is not one.
char32_t decode(std::string_view s, std::size_t begin, std::size_t end) {
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

/// Characters of a folded word as the negation window counts them (a run of ASCII letters or digits is
/// one, whitespace none): the reach back from a word must cover a cue's own characters too.
std::size_t counted_characters(std::string_view folded) {
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
  build_reverse_trie();

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

void keyword_set::build_reverse_trie() {
  struct node {
    std::vector<std::pair<unsigned char, std::uint32_t>> edges;
    std::vector<std::uint32_t> cues;
    bool is_break = false;
  };
  std::vector<node> nodes(1);
  auto insert = [&](const std::string& text) {
    std::uint32_t at_node = 0;
    for (auto it = text.rbegin(); it != text.rend(); ++it) {
      const auto c = static_cast<unsigned char>(*it);
      auto& edges = nodes[at_node].edges;
      const auto e = std::find_if(edges.begin(), edges.end(), [c](const auto& x) { return x.first == c; });
      if (e != edges.end()) {
        at_node = e->second;
        continue;
      }
      const auto next_node = static_cast<std::uint32_t>(nodes.size());
      nodes[at_node].edges.emplace_back(c, next_node);
      nodes.emplace_back();
      at_node = next_node;
    }
    return at_node;
  };
  for (std::size_t i = 0; i < cues_.size(); ++i) nodes[insert(cues_[i].text)].cues.push_back(static_cast<std::uint32_t>(i));
  for (const auto& b : breaks_) nodes[insert(b)].is_break = true;
  reverse_nodes_.assign(nodes.size(), {});
  reverse_edges_.clear();
  reverse_cues_.clear();
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    auto& nd = reverse_nodes_[i];
    std::sort(nodes[i].edges.begin(), nodes[i].edges.end());
    nd.first_edge = static_cast<std::uint32_t>(reverse_edges_.size());
    nd.edges = static_cast<std::uint32_t>(nodes[i].edges.size());
    reverse_edges_.insert(reverse_edges_.end(), nodes[i].edges.begin(), nodes[i].edges.end());
    nd.first_cue = static_cast<std::uint32_t>(reverse_cues_.size());
    nd.cues = static_cast<std::uint32_t>(nodes[i].cues.size());
    reverse_cues_.insert(reverse_cues_.end(), nodes[i].cues.begin(), nodes[i].cues.end());
    nd.is_break = nodes[i].is_break;
  }
}

bool keyword_set::bounded_ok(std::string_view s, std::size_t w, std::size_t begin, std::size_t end) const {
  if (!bounded_[w]) return true;
  return (begin == 0 || !ascii_alnum(at(s, begin - 1)) || !ascii_alnum(at(s, begin))) &&
         (end == s.size() || !ascii_alnum(at(s, end)) || !ascii_alnum(at(s, end - 1)));
}

const std::string* keyword_set::exception_at(std::string_view s, std::size_t w, std::size_t begin) const {
  for (const auto& fe : word_exceptions_[w])
    for (const std::size_t off : fe.offsets)
      if (begin >= off && begin - off + fe.phrase.size() <= s.size() && s.compare(begin - off, fe.phrase.size(), fe.phrase) == 0)
        return &exceptions_[fe.entry].phrases[fe.index];
  return nullptr;
}

const negation_cue* keyword_set::negated_at(std::string_view s, std::size_t begin) const {
  if (cues_.empty()) return nullptr;
  // The characters before the word, nearest first, up to a stop or as far as any cue can reach.
  struct token {
    std::size_t begin, end;
  };
  std::array<token, 32> small;
  std::vector<token> large;
  token* tokens = small.data();
  if (reach_ > small.size()) {
    large.resize(reach_);
    tokens = large.data();
  }
  std::size_t count = 0;
  std::size_t p = begin;
  while (count < reach_ && p > 0) {
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
        tokens[count++] = {q, p};
        p = q;
        continue;
      }
      const bool decimal_point = c == '.' && p >= 2 && ascii_digit(at(s, p - 2)) && p < s.size() && ascii_digit(at(s, p));
      if (!decimal_point && detail::is_negation_stop(static_cast<char32_t>(c))) break;
      tokens[count++] = {p - 1, p};
      --p;
      continue;
    }
    std::size_t q = p - 1;
    while (q > 0 && p - q < 4 && (at(s, q) & 0xC0) == 0x80) --q;
    if (detail::is_negation_stop(decode(s, q, p))) break;
    tokens[count++] = {q, p};
    p = q;
  }
  auto starts_token = [&](std::size_t pos, std::size_t from) {
    for (std::size_t k = from; k < count; ++k)
      if (tokens[k].begin == pos) return true;
    return false;
  };
  auto child = [&](std::uint32_t node, unsigned char c) -> std::uint32_t {
    const reverse_node& nd = reverse_nodes_[node];
    const auto* first = reverse_edges_.data() + nd.first_edge;
    const auto* last = first + nd.edges;
    if (nd.edges > 8) {  // the root: one edge per last byte of every cue and break; edges are sorted by byte
      first = std::lower_bound(first, last, c, [](const std::pair<unsigned char, std::uint32_t>& e, unsigned char b) { return e.first < b; });
      return first != last && first->first == c ? first->second : 0;
    }
    for (; first != last; ++first)
      if (first->first == c) return first->second;
    return 0;
  };
  for (std::size_t j = 0; j < count; ++j) {
    const std::size_t end = tokens[j].end;
    // Every cue and break ending at `end`, read backwards through the reversed trie: a break whose start is a
    // character boundary ends the reach; otherwise the first cue (in the order written) that starts on a
    // boundary within its window and is not part of a not-cue phrase negates.
    const negation_cue* found = nullptr;
    std::uint32_t node = 0;
    for (std::size_t i = end; i > 0;) {
      node = child(node, at(s, --i));
      if (node == 0) break;
      const reverse_node& nd = reverse_nodes_[node];
      if (!nd.is_break && nd.cues == 0) continue;
      const std::size_t start = i;  // the node spells s[start, end)
      if (!starts_token(start, j)) continue;
      if (nd.is_break) return nullptr;  // the reach ends here
      for (std::uint32_t k = nd.first_cue; k < nd.first_cue + nd.cues; ++k) {
        const folded_cue& cue = cues_[reverse_cues_[k]];
        if (static_cast<int>(j) > cue.window) continue;
        if (found && &negation_.cues[cue.index] > found) break;  // an earlier cue already negates
        bool pseudo = false;
        for (const auto& [n, off] : cue.not_cues) {
          const std::string& nc = not_cues_[n];
          if (start >= off && start - off + nc.size() <= s.size() && s.compare(start - off, nc.size(), nc) == 0) {
            pseudo = true;
            break;
          }
        }
        if (!pseudo) {
          found = &negation_.cues[cue.index];
          break;
        }
      }
    }
    if (found) return found;
  }
  return nullptr;
}

template <class F>
void keyword_set::occurrences(std::string_view folded, F&& f) const {
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

bool keyword_set::counts_at(std::string_view folded, std::size_t w, std::size_t end) const {
  const std::size_t begin = end - folded_length_[w];
  return bounded_ok(folded, w, begin, end) && !exception_at(folded, w, begin) && !negated_at(folded, begin);
}

bool keyword_set::counted_any(std::string_view text) const {
  return detail::with_folded(text, [&](std::string_view folded) {
    bool found = false;
    occurrences(folded, [&](std::size_t, std::size_t, std::size_t, hit_status status, const std::string*) {
      found = status == hit_status::counted;
      return found;
    });
    return found;
  });
}

std::vector<std::size_t> keyword_set::matches(std::string_view text) const {
  std::vector<std::size_t> out;
  detail::with_folded(text, [&](std::string_view folded) {
    std::vector<bool> seen(words_.size());
    occurrences(folded, [&](std::size_t w, std::size_t, std::size_t, hit_status status, const std::string*) {
      if (status == hit_status::counted && !seen[w]) {
        seen[w] = true;
        out.push_back(w);
      }
      return false;
    });
    return 0;
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

keyword_scanner::keyword_scanner(const std::vector<const keyword_set*>& sets) : sets_(sets.size()) {
  if (sets_ > 64) throw std::length_error("kefu: a keyword scanner reads at most 64 sets");
  // Every set's folded words, each with the bit of its set in one of two masks.
  struct entry {
    std::string folded;
    std::uint64_t sure = 0, maybe = 0;
    context_word word{};
  };
  std::vector<entry> words;
  for (std::size_t k = 0; k < sets.size(); ++k) {
    const keyword_set& ks = *sets[k];
    // A word written twice the same after folding is, to the set, its first spelling (with that one's context).
    std::vector<std::string> seen;
    for (std::size_t w = 0; w < ks.words().size(); ++w) {
      entry e{detail::fold(ks.words()[w])};
      if (e.folded.empty() || std::find(seen.begin(), seen.end(), e.folded) != seen.end()) continue;
      seen.push_back(e.folded);
      (ks.context_[w] ? e.maybe : e.sure) = std::uint64_t{1} << k;
      e.word = {static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(w)};
      words.push_back(std::move(e));
    }
  }
  // Byte classes: each byte some word uses gets its own class; the rest share class 0.
  std::array<std::uint16_t, 256> byte_class{};
  classes_ = 1;
  for (const auto& e : words)
    for (const char ch : e.folded) {
      auto& cls = byte_class[static_cast<unsigned char>(ch)];
      if (cls == 0) cls = static_cast<std::uint16_t>(classes_++);
    }
  // Raw bytes: an upper-case letter reads as its lower-case one; 0xEF and 0xE3 may start a full-width character.
  for (unsigned c = 0; c < 256; ++c) raw_class_[c] = byte_class[c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c];
  raw_class_[0xEF] |= wide_lead;
  raw_class_[0xE3] |= wide_lead;
  // Trie, then the full transition table over the classes (Aho-Corasick, as keyword_set::build).
  std::vector<std::vector<std::int32_t>> go(1, std::vector<std::int32_t>(classes_, -1));
  std::vector<std::uint64_t> sure(1, 0), maybe(1, 0);
  std::vector<std::vector<context_word>> context(1);  // per state: the context words ending there
  for (const auto& e : words) {
    std::int32_t s = 0;
    for (const char ch : e.folded) {
      const std::size_t c = byte_class[static_cast<unsigned char>(ch)];
      if (go[static_cast<std::size_t>(s)][c] < 0) {
        go[static_cast<std::size_t>(s)][c] = static_cast<std::int32_t>(go.size());
        go.emplace_back(classes_, -1);
        sure.push_back(0);
        maybe.push_back(0);
        context.emplace_back();
      }
      s = go[static_cast<std::size_t>(s)][c];
    }
    sure[static_cast<std::size_t>(s)] |= e.sure;
    maybe[static_cast<std::size_t>(s)] |= e.maybe;
    if (e.maybe) context[static_cast<std::size_t>(s)].push_back(e.word);
  }
  const std::size_t states = go.size();
  std::vector<std::int32_t> fail(states, 0);
  std::vector<std::uint32_t> delta(states * classes_, 0);
  std::vector<std::size_t> order{0};  // breadth first
  std::queue<std::int32_t> q;
  for (std::size_t c = 0; c < classes_; ++c) {
    const std::int32_t t = go[0][c];
    delta[c] = static_cast<std::uint32_t>(t < 0 ? 0 : t);
    if (t > 0) q.push(t);
  }
  while (!q.empty()) {
    const auto su = static_cast<std::size_t>(q.front());
    q.pop();
    order.push_back(su);
    const auto f = static_cast<std::size_t>(fail[su]);
    sure[su] |= sure[f];  // a word ending here ends every state whose suffix it is
    maybe[su] |= maybe[f];
    context[su].insert(context[su].end(), context[f].begin(), context[f].end());  // f is nearer the root: complete
    for (std::size_t c = 0; c < classes_; ++c) {
      const std::int32_t t = go[su][c];
      if (t < 0) {
        delta[su * classes_ + c] = delta[f * classes_ + c];
      } else {
        delta[su * classes_ + c] = static_cast<std::uint32_t>(t);
        fail[static_cast<std::size_t>(t)] = static_cast<std::int32_t>(delta[f * classes_ + c]);
        q.push(t);
      }
    }
  }
  // Renumber: states without output first (breadth first, so the shallow states the scan is mostly in lie
  // together), then the output states.
  std::vector<std::uint32_t> id(states);
  std::size_t next = 0;
  for (const std::size_t s : order)
    if (!(sure[s] | maybe[s])) id[s] = static_cast<std::uint32_t>(next++);
  first_output_ = next;
  for (const std::size_t s : order)
    if (sure[s] | maybe[s]) {
      id[s] = static_cast<std::uint32_t>(next++);
      sure_.push_back(sure[s]);
      maybe_.push_back(maybe[s]);
      context_begin_.push_back(static_cast<std::uint32_t>(context_words_.size()));
      context_words_.insert(context_words_.end(), context[s].begin(), context[s].end());
    }
  context_begin_.push_back(static_cast<std::uint32_t>(context_words_.size()));
  states_ = states;
  std::vector<std::uint32_t> renumbered(states * classes_);
  for (std::size_t s = 0; s < states; ++s)
    for (std::size_t c = 0; c < classes_; ++c) renumbered[id[s] * classes_ + c] = id[delta[s * classes_ + c]];
  if (states <= 0x10000) {
    delta16_.resize(renumbered.size());
    for (std::size_t k = 0; k < renumbered.size(); ++k) delta16_[k] = static_cast<std::uint16_t>(renumbered[k]);
  } else {
    delta32_ = std::move(renumbered);
  }
}

}  // namespace kefu::rules
