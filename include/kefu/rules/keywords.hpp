// kefu — keyword sets matched with one Aho-Corasick automaton per set (DOM-RISK-1, DOM-RISK-2), with
// negation cues and phrase exceptions (DOM-RISK-5).
//
// Matching is over UTF-8 bytes after folding: full-width ASCII (Ｕ+FF01…FF5E, e.g. "１２３１５") is
// read as half-width and ASCII letters as lower case, both in the words and in the text, so
// "１２３１５" matches 12315 and "Weibo" matches weibo. Folding is done on the fly while scanning
// (no copy of the text). Traditional characters are matched when the set lists them.
//
// A word that begins or ends with an ASCII letter or digit ("12315", "Weibo") matches only where
// the text does not continue that run of letters or digits, so 12315 is found in "打了12315" but
// not inside the order number "4123159876". Chinese words match anywhere.
//
// An occurrence of a word does not count when
//   - it lies inside one of the word's exception phrases as they occur in the text ("曝光" inside
//     "自动曝光"), or
//   - a negation cue ends at most `window` characters before it, with no stop between them
//     ("还好孩子没有受伤": 没有 right before 受伤). The scan back from the word stops at punctuation
//     (see is_negation_stop), at whitespace between two non-ASCII characters, and at a `breaks` word
//     ("没有人管我就去曝光": 就 ends the reach of 没有). A cue inside a `not_cues` phrase negates nothing
//     ("是不是要我报警": 不是 is part of 是不是). Characters are counted after folding; a run of ASCII
//     letters or digits counts as one character and whitespace does not count.
// The text contains a word when at least one occurrence counts. A set without cues or exceptions
// scans exactly as before; with them, the scan is the same until a word is found, and only then are
// the word's surroundings read (texts without any word cost the same).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace kefu::rules {

namespace detail {
/// Full-width ASCII and the ideographic space at p[i] (a lead byte 0xEF or 0xE3): the folded byte in `c` and
/// the 3 bytes it stands for, or 0 when the bytes there are not one of them (c is left alone).
inline std::size_t fold_wide(const unsigned char* p, std::size_t i, std::size_t n, unsigned char& c) noexcept {
  // U+FF01..U+FF5E is EF BC 81..EF BC BF and EF BD 80..EF BD 9E; U+3000 (ideographic space) is E3 80 80.
  if (p[i] == 0xEF && i + 2 < n && (p[i + 1] == 0xBC || p[i + 1] == 0xBD)) {
    const unsigned code = 0xFF00u + ((p[i + 1] & 0x03u) << 6) + (p[i + 2] & 0x3Fu);
    if (code >= 0xFF01 && code <= 0xFF5E) {
      unsigned char ascii = static_cast<unsigned char>(code - 0xFF01 + 0x21);
      if (ascii >= 'A' && ascii <= 'Z') ascii = static_cast<unsigned char>(ascii - 'A' + 'a');
      c = ascii;
      return 3;
    }
  }
  if (p[i] == 0xE3 && i + 2 < n && p[i + 1] == 0x80 && p[i + 2] == 0x80) {
    c = static_cast<unsigned char>(' ');
    return 3;
  }
  return 0;
}

/// Calls f(byte, offset, length) for each byte of text with full-width ASCII folded to ASCII and A–Z
/// to a–z (offset and length: where the folded character is in the text, in bytes). Stops early when f
/// returns true (f may also return void, to see every byte).
template <class F>
void for_each_folded_byte(std::string_view text, F&& f) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  auto call = [&](unsigned char c, std::size_t i, std::size_t len) {
    if constexpr (std::is_same_v<decltype(f(c, i, len)), bool>)
      return f(c, i, len);
    else
      return (f(c, i, len), false);
  };
  for (std::size_t i = 0; i < n;) {
    unsigned char c = p[i];
    if (c == 0xEF || c == 0xE3) {
      if (const std::size_t len = fold_wide(p, i, n, c)) {
        if (call(c, i, len)) return;
        i += len;
        continue;
      }
    }
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    if (call(c, i, 1)) return;
    ++i;
  }
}

/// Calls f(folded) with `text` folded (as for_each_folded_byte folds it) into a buffer on the stack when it
/// fits (folding never lengthens a text), else on the heap; returns what f returns.
template <class F>
auto with_folded(std::string_view text, F&& f) {
  std::array<char, 512> small;
  std::string large;
  char* out = small.data();
  if (text.size() > small.size()) {
    large.resize(text.size());
    out = large.data();
  }
  std::size_t n = 0;
  for_each_folded_byte(text, [&](unsigned char c, std::size_t, std::size_t) { out[n++] = static_cast<char>(c); });
  return f(std::string_view(out, n));
}

inline std::string fold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for_each_folded_byte(text, [&](unsigned char c, std::size_t, std::size_t) { out.push_back(static_cast<char>(c)); });
  return out;
}

/// Whether the code point stops the scan from a word back to a negation cue: , . ! ? ; : ~ and line
/// breaks (after folding, so their full-width forms ，．！？；：～ too), and 。、｡､…—―〜 and the small forms
/// ﹐﹑﹒﹔﹕﹖﹗. Brackets and quotation marks do not stop it ("没有（受伤）": the bracket continues the
/// sentence). A '.' between two digits ("3.15") is a decimal point, not a stop; that is decided by the
/// caller, which sees the neighbours.
constexpr bool is_negation_stop(char32_t c) noexcept {
  switch (c) {
    case U',': case U'.': case U'!': case U'?': case U';': case U':': case U'~': case U'\n': case U'\r':
    case U'\u3002': case U'\u3001': case U'\uFF61': case U'\uFF64': case U'\u2026': case U'\u2014': case U'\u2015':
    case U'\u301C':
    case U'\uFE50': case U'\uFE51': case U'\uFE52': case U'\uFE54': case U'\uFE55': case U'\uFE56': case U'\uFE57':
      return true;
    default:
      return false;
  }
}
}  // namespace detail

/// A negation cue: a word that, written shortly before a keyword, says it did not happen or will not.
struct negation_cue {
  std::string text;
  int window = -1;  ///< characters allowed between the cue and the word; −1: the negation's window
};

/// How negation reaches keywords (DOM-RISK-5). Empty cues: no negation.
struct negation_rules {
  std::vector<negation_cue> cues;
  std::vector<std::string> not_cues;  ///< phrases containing a cue that negate nothing (是不是, 还没)
  std::vector<std::string> breaks;    ///< words that end a cue's reach, like punctuation (就, 但是)
  int window = 4;                     ///< characters allowed between a cue and the word it negates
  bool empty() const noexcept { return cues.empty(); }
};

/// Phrases inside which one word of a set does not count ("曝光" in "自动曝光").
struct keyword_exception {
  std::string word;
  std::vector<std::string> phrases;
};

enum class hit_status : std::uint8_t { counted, negated, excepted };
const char* to_string(hit_status s) noexcept;

/// One occurrence of a word in a text (keyword_set::scan).
struct keyword_hit {
  std::size_t word = 0;            ///< index into keyword_set::words()
  std::size_t begin = 0, end = 0;  ///< where it is in the text, in bytes
  hit_status status = hit_status::counted;
  std::string by;                  ///< the negation cue or exception phrase that discounts it, as written
};

/// A compiled keyword set. Immutable after construction; safe to share between threads.
class keyword_set {
 public:
  keyword_set() { build(); }
  keyword_set(std::string name, std::vector<std::string> words) : name_(std::move(name)), words_(std::move(words)) {
    build();
  }
  /// A set with negation cues and exceptions; an exception naming no word of the set, or not containing
  /// its word, never applies (kefu lint warns about it when the set comes from a policy file).
  keyword_set(std::string name, std::vector<std::string> words, negation_rules negation,
              std::vector<keyword_exception> exceptions)
      : name_(std::move(name)), words_(std::move(words)), negation_(std::move(negation)), exceptions_(std::move(exceptions)) {
    build();
  }

  const std::string& name() const noexcept { return name_; }
  const std::vector<std::string>& words() const noexcept { return words_; }
  const negation_rules& negation() const noexcept { return negation_; }
  const std::vector<keyword_exception>& exceptions() const noexcept { return exceptions_; }

  /// Whether some occurrence of some word counts. Stops at the first word found when nothing can
  /// discount it; otherwise (negation, exceptions, or an ASCII word that may continue a longer run of
  /// letters or digits) the found word's surroundings are read before going on.
  bool contains_any(std::string_view text) const {
    bool found = false, closer = false;
    std::int32_t state = 0;
    detail::for_each_folded_byte(text, [&](unsigned char c, std::size_t, std::size_t) {
      state = next(state, c);
      const std::int32_t w = output_[static_cast<std::size_t>(state)];
      if (w < 0) return false;
      if (context_[static_cast<std::size_t>(w)])
        closer = true;  // counted_any reads every occurrence with what surrounds it
      else
        found = true;
      return true;
    });
    if (closer) return counted_any(text);
    return found;
  }

  /// contains_any for a text in which keyword_scanner found only words whose occurrences count in context
  /// (its `maybe` bit for this set, not its `sure` one): the occurrences are read with their surroundings at once.
  bool contains_in_context(std::string_view text) const { return counted_any(text); }

  /// Indices of the words with an occurrence that counts (each once, in order of first such occurrence).
  std::vector<std::size_t> matches(std::string_view text) const;

  /// Every occurrence of every word, in order of where it ends (longer words first), with whether it
  /// counts and, when not, the cue or exception phrase that discounts it.
  std::vector<keyword_hit> scan(std::string_view text) const;

 private:
  std::int32_t next(std::int32_t state, unsigned char c) const {
    return delta_[static_cast<std::size_t>(state) * 256 + c];
  }
  bool counted_any(std::string_view text) const;
  /// Calls f(word, folded begin, folded end, status, by) for each occurrence in the folded text; stops
  /// when f returns true.
  template <class F>
  void occurrences(std::string_view folded, F&& f) const;
  /// Whether the occurrence of word `w` ending at `end` in the folded text counts (its boundaries, exceptions
  /// and negation read as occurrences() reads them).
  bool counts_at(std::string_view folded, std::size_t w, std::size_t end) const;
  bool bounded_ok(std::string_view folded, std::size_t word, std::size_t begin, std::size_t end) const;
  const std::string* exception_at(std::string_view folded, std::size_t word, std::size_t begin) const;
  const negation_cue* negated_at(std::string_view folded, std::size_t begin) const;
  void build();
  void build_reverse_trie();
  friend class keyword_scanner;

  std::string name_;
  std::vector<std::string> words_;
  negation_rules negation_;
  std::vector<keyword_exception> exceptions_;
  std::vector<std::int32_t> delta_;      // states × 256
  std::vector<std::int32_t> output_;     // a word ending at the state (its own or a suffix's), −1 for none
  std::vector<std::int32_t> own_;        // the word spelled by the state, −1 for none
  std::vector<std::int32_t> dict_link_;  // next state on the suffix chain that spells a word
  std::vector<std::uint8_t> bounded_;    // word starts or ends with an ASCII letter or digit
  std::vector<std::uint8_t> context_;    // an occurrence of the word may not count: read its surroundings
  std::vector<std::size_t> folded_length_;
  // Folded forms for the slow path: per word, its exception phrases and where the word sits in each.
  struct folded_exception {
    std::string phrase;                 // folded
    std::vector<std::size_t> offsets;   // where the folded word occurs inside the phrase
    std::size_t index = 0;              // into exceptions_[..].phrases, for reporting
    std::size_t entry = 0;              // into exceptions_
  };
  std::vector<std::vector<folded_exception>> word_exceptions_;
  struct folded_cue {
    std::string text;                 // folded
    int window = 0;                   // resolved
    std::size_t index = 0;            // into negation_.cues
    std::vector<std::pair<std::size_t, std::size_t>> not_cues;  // (not_cue index, offset of the cue in it)
  };
  std::vector<folded_cue> cues_;
  std::vector<std::string> not_cues_, breaks_;  // folded
  // The cues and breaks spelled backwards as a trie, so the scan back from a word finds every cue or break
  // ending at a character boundary in one walk, whatever their number. Node 0 is the root; a node's depth
  // is the length in bytes of what it spells.
  struct reverse_node {
    std::uint32_t first_edge = 0, edges = 0;  // into reverse_edges_
    std::uint32_t first_cue = 0, cues = 0;    // into reverse_cues_: indices into cues_, ascending
    bool is_break = false;
  };
  std::vector<reverse_node> reverse_nodes_;
  std::vector<std::pair<unsigned char, std::uint32_t>> reverse_edges_;  // (byte, child), sorted per node
  std::vector<std::uint32_t> reverse_cues_;
  std::size_t reach_ = 0;                       // characters to read back from a word
};

/// Several keyword sets read in one pass over a text (a policy's sets tested on one text input): the
/// automaton holds every set's words, so each byte of the text is read once whatever the number of sets.
/// Up to 64 sets (std::length_error beyond). It keeps no reference to the sets it was built from. Immutable; safe to share.
class keyword_scanner {
 public:
  keyword_scanner() = default;
  explicit keyword_scanner(const std::vector<const keyword_set*>& sets);

  std::size_t size() const noexcept { return sets_; }

  /// Bit k of `sure`: set k has a word in the text that counts whatever surrounds it. Bit k of `maybe`: set
  /// k has a word whose occurrence counts only in context (negation cues, exceptions, ASCII runs) — ask
  /// that set's contains_any. Together: exactly keyword_set::contains_any for every set.
  void scan(std::string_view text, std::uint64_t& sure, std::uint64_t& maybe) const {
    sure = 0;
    maybe = 0;
    if (states_ == 0) return;  // default-constructed: no sets
    if (!delta16_.empty())
      scan_with(delta16_.data(), text, sure, maybe);
    else
      scan_with(delta32_.data(), text, sure, maybe);
    maybe &= ~sure;
  }

  /// Bit k: keyword_set::contains_any(text) of set k, for every set at once; `set_of(k)` gives set k (the sets
  /// the scanner was built from, in the same order). When some word found counts only in context, the text is
  /// folded once and every occurrence of such words is read with its surroundings — one pass for all the sets,
  /// not one per set.
  template <class SetOf>
  std::uint64_t counted(std::string_view text, SetOf&& set_of) const {
    std::uint64_t sure = 0, maybe = 0;
    scan(text, sure, maybe);
    if (!maybe) return sure;
    return sure | in_context(text, maybe, set_of);
  }

  /// counted() of n texts: out[k] = counted(texts[k], set_of). Four texts are scanned together, so the table
  /// reads of one text (a large automaton's deeper states are not in the nearest cache) overlap the others'.
  template <class SetOf>
  void counted_many(const std::string_view* texts, std::size_t n, std::uint64_t* out, SetOf&& set_of) const {
    if (states_ == 0) {
      std::fill(out, out + n, std::uint64_t{0});
      return;
    }
    std::size_t k = 0;
    for (; k + 4 <= n; k += 4) {
      std::array<std::uint64_t, 4> sure{}, maybe{};
      if (!delta16_.empty())
        scan4_with(delta16_.data(), texts + k, sure, maybe);
      else
        scan4_with(delta32_.data(), texts + k, sure, maybe);
      for (std::size_t j = 0; j < 4; ++j) {
        maybe[j] &= ~sure[j];
        out[k + j] = maybe[j] ? sure[j] | in_context(texts[k + j], maybe[j], set_of) : sure[j];
      }
    }
    for (; k < n; ++k) out[k] = counted(texts[k], set_of);
  }

 private:
  /// A word that counts only in context, of set `set` (its index `word` in that set), ends at an output state.
  struct context_word {
    std::uint32_t set, word;
  };
  static constexpr std::uint16_t wide_lead = 0x8000;  // in raw_class_: the byte may start a full-width character

  template <class T>
  void scan_with(const T* delta, std::string_view text, std::uint64_t& sure, std::uint64_t& maybe) const {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size(), classes = classes_, first_output = first_output_;
    std::size_t state = 0;
    for (std::size_t i = 0; i < n;) {
      // Upper-case letters share their lower-case letter's class; only 0xEF and 0xE3 need reading further.
      std::size_t cls = raw_class_[p[i]];
      std::size_t len = 1;
      if (cls & wide_lead) {
        unsigned char c = p[i];
        if (const std::size_t wide = detail::fold_wide(p, i, n, c)) len = wide;
        cls = raw_class_[c] & ~std::size_t{wide_lead};
      }
      i += len;
      state = delta[state * classes + cls];
      if (state >= first_output) {  // states where a word ends are numbered last
        sure |= sure_[state - first_output];
        maybe |= maybe_[state - first_output];
      }
    }
  }

  /// scan_with over four texts at once, each with its own state: the loop runs while any has bytes left.
  template <class T>
  void scan4_with(const T* delta, const std::string_view* texts, std::array<std::uint64_t, 4>& sure,
                  std::array<std::uint64_t, 4>& maybe) const {
    const std::size_t classes = classes_, first_output = first_output_;
    std::array<const unsigned char*, 4> p{};
    std::array<std::size_t, 4> i{}, n{}, state{};
    std::size_t longest = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      p[j] = reinterpret_cast<const unsigned char*>(texts[j].data());
      n[j] = texts[j].size();
      longest = std::max(longest, n[j]);
    }
    // Each lane takes one step (one character) per round; a lane that is done stays put.
    for (std::size_t round = 0; round < longest; ++round) {
      bool any = false;
      for (std::size_t j = 0; j < 4; ++j) {
        if (i[j] >= n[j]) continue;
        any = true;
        std::size_t cls = raw_class_[p[j][i[j]]];
        std::size_t len = 1;
        if (cls & wide_lead) {
          unsigned char c = p[j][i[j]];
          if (const std::size_t wide = detail::fold_wide(p[j], i[j], n[j], c)) len = wide;
          cls = raw_class_[c] & ~std::size_t{wide_lead};
        }
        i[j] += len;
        state[j] = delta[state[j] * classes + cls];
        if (state[j] >= first_output) {
          sure[j] |= sure_[state[j] - first_output];
          maybe[j] |= maybe_[state[j] - first_output];
        }
      }
      if (!any) break;
    }
  }

  /// Calls f(output state − first_output_, end) at each output state the automaton reaches in a folded text
  /// (end: just past the byte that reached it); stops when f returns true.
  template <class T, class F>
  void walk_folded(const T* delta, std::string_view folded, F& f) const {
    const auto* p = reinterpret_cast<const unsigned char*>(folded.data());
    std::size_t state = 0;
    for (std::size_t i = 0; i < folded.size(); ++i) {
      state = delta[state * classes_ + (raw_class_[p[i]] & ~std::size_t{wide_lead})];
      if (state >= first_output_ && f(state - first_output_, i + 1)) return;
    }
  }

  template <class SetOf>
  std::uint64_t in_context(std::string_view text, std::uint64_t pending, SetOf& set_of) const {
    std::uint64_t found = 0;
    detail::with_folded(text, [&](std::string_view folded) {
      auto at_output = [&](std::size_t out, std::size_t end) {
        for (std::uint32_t e = context_begin_[out]; e < context_begin_[out + 1]; ++e) {
          const context_word& cw = context_words_[e];
          const std::uint64_t bit = std::uint64_t{1} << cw.set;
          if ((pending & bit) && set_of(static_cast<std::size_t>(cw.set)).counts_at(folded, cw.word, end)) {
            found |= bit;
            pending &= ~bit;
            if (!pending) return true;
          }
        }
        return false;
      };
      if (!delta16_.empty())
        walk_folded(delta16_.data(), folded, at_output);
      else
        walk_folded(delta32_.data(), folded, at_output);
      return 0;
    });
    return found;
  }

  std::size_t sets_ = 0;
  std::size_t states_ = 0;
  // Class of each byte (bytes no word has share class 0), upper-case letters as their lower-case ones; with
  // wide_lead on 0xEF and 0xE3, which may start a character folded to one byte.
  std::array<std::uint16_t, 256> raw_class_{};
  std::size_t classes_ = 1;
  // Transitions, states × classes_ (classes, not 256 bytes: the hot rows stay in cache), in 16 bits when the
  // states fit (half the cache lines). States are numbered so that those where some word ends come last, from
  // first_output_: the scan tests one number per byte, and reads the masks only there.
  std::vector<std::uint16_t> delta16_;
  std::vector<std::uint32_t> delta32_;
  std::size_t first_output_ = 0;
  std::vector<std::uint64_t> sure_;   // per output state: sets with a word ending here that always counts
  std::vector<std::uint64_t> maybe_;  // per output state: sets with a word ending here that counts only in context
  std::vector<std::uint32_t> context_begin_;  // per output state: its context_words_, up to the next one's
  std::vector<context_word> context_words_;
};

}  // namespace kefu::rules
