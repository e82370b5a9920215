// KPI tables: merging, serialisation of partials and the layout tag that guards it (kefu/kpi/table.hpp).
#include <kefu/kpi/table.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>

namespace kefu::kpi {

namespace {

/// Bump only when the byte encoding of to_bytes() changes (its order of fields, the sketch's varints).
/// Changes of the counters, channel sums or columns change the layout tag by themselves.
constexpr int partial_encoding = 3;

const char* const partial_error_id = "kefu.kpi.partial";
const char* const options_error_id = "kefu.kpi.options";

[[noreturn]] void bad_partial(const std::string& what) { throw error(what, {}, {}, partial_error_id); }

template <class T>
void put(std::string& out, T v) {
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));
  out.append(buf, sizeof(T));
}
void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
char* write_varint(char* p, std::uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}
void put_string(std::string& out, const std::string& s) {
  put(out, static_cast<std::uint64_t>(s.size()));
  out += s;
}

struct reader {
  std::string_view b;
  std::size_t pos;
  template <class T>
  T get() {
    if (pos + sizeof(T) > b.size()) bad_partial("KPI partial is truncated");
    T v;
    std::memcpy(&v, b.data() + pos, sizeof(T));
    pos += sizeof(T);
    return v;
  }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= b.size()) bad_partial("KPI partial is truncated");
      const auto byte = static_cast<unsigned char>(b[pos++]);
      v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return v;
    }
    bad_partial("KPI partial is corrupt (varint)");
  }
  std::string str() {
    const auto n = get<std::uint64_t>();
    if (n > b.size() - pos) bad_partial("KPI partial is truncated");
    std::string s(b.substr(pos, n));
    pos += n;
    return s;
  }
};

constexpr std::string_view tag_prefix = "KEFUKPI";  // then ':' and the layout hash; "2" before layouts were hashed

}  // namespace

const std::string& partial_layout() {
  static const std::string layout = [] {
    std::string s = "encoding " + std::to_string(partial_encoding) + "; counters";
    for (auto n : counter_names) s += " " + std::string(n);
    s += "; channel sums";
    for (auto n : channel_sum_names) s += " " + std::string(n);
    s += "; sla met total; columns";
    for (const auto& c : columns) s += " " + std::string(c.name) + ":" + to_string(c.kind);
    return s;
  }();
  return layout;
}

const std::string& partial_tag() {
  static const std::string tag = [] {
    std::uint32_t h = 2166136261u;  // FNV-1a
    for (const char ch : partial_layout()) h = (h ^ static_cast<unsigned char>(ch)) * 16777619u;
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", h);
    return std::string(tag_prefix) + ":" + hex;
  }();
  return tag;
}

std::string table::fingerprint() const {
  std::string f = "by=";
  for (auto d : opt_.by) f += std::string(to_string(d)) + ",";
  f += ";per=" + std::string(to_string(opt_.per)) + ";zone=" + std::to_string(opt_.zone.offset().count());
  f += ";alpha=" + std::to_string(opt_.relative_accuracy) + ";qc=" + std::to_string(opt_.qc_pass_mark);
  f += ";wait=" + std::to_string(opt_.wait_bands[0]) + "/" + std::to_string(opt_.wait_bands[1]) + "/" +
       std::to_string(opt_.wait_bands[2]);
  if (opt_.goals) {
    f += ";goals=" + opt_.goals->name;
    for (const auto& c : opt_.goals->channels)
      f += ";" + c.channel + ":" + std::to_string(c.first_response.value_or(-1)) + "/" +
           std::to_string(c.average_response.value_or(-1)) + "/" + std::to_string(c.handling.value_or(-1));
    for (const auto& s : opt_.goals->sla)
      f += ";sla:" + s.name + ":" + calendar::to_string(s.within) + ":" + to_string(s.until) + ":" +
           (s.on ? s.on->name() : std::string());
  }
  return f;
}

void table::merge(const table& o) {
  if (o.fingerprint() != fingerprint())
    throw error("cannot merge KPI tables computed with different options (" + o.fingerprint() + " vs " +
                    fingerprint() + ")",
                {}, {}, options_error_id);
  // First, without changing anything, where each of o's groups goes (a group of this table, or a new one)
  // and whether adding it would overflow: a refused merge leaves this table as it was, with no copy of it.
  constexpr std::int32_t unknown = -1;
  std::vector<std::vector<std::int32_t>> known(dimension_count);
  for (std::size_t d = 0; d < dimension_count; ++d)
    for (const auto& l : o.labels_[d]) {
      const auto it = std::find(labels_[d].begin(), labels_[d].end(), l);
      known[d].push_back(it == labels_[d].end() ? unknown : static_cast<std::int32_t>(it - labels_[d].begin()));
    }
  std::map<group_key, std::size_t> index;
  for (std::size_t g = 0; g < keys_.size(); ++g) index.emplace(keys_[g], g);
  constexpr std::size_t fresh = static_cast<std::size_t>(-1);
  std::vector<std::size_t> into(o.keys_.size(), fresh);
  for (std::size_t g = 0; g < o.keys_.size(); ++g) {
    group_key k = o.keys_[g];
    bool new_label = false;
    for (auto d : opt_.by) {
      const auto i = static_cast<std::size_t>(d);
      k.codes[i] = known[i][static_cast<std::size_t>(k.codes[i])];
      new_label |= k.codes[i] == unknown;
    }
    if (new_label) continue;
    const auto it = index.find(k);
    if (it == index.end()) continue;
    stats_[it->second].check_addable(o.stats_[g]);
    into[g] = it->second;
  }
  // Then the merge, which cannot fail (but for memory).
  std::vector<std::vector<std::int32_t>> remap(dimension_count);
  for (std::size_t d = 0; d < dimension_count; ++d)
    for (const auto& l : o.labels_[d]) remap[d].push_back(intern(d, l));
  bool added = false;
  for (std::size_t g = 0; g < o.keys_.size(); ++g) {
    if (into[g] != fresh) {
      stats_[into[g]].add(o.stats_[g]);
      continue;
    }
    group_key k = o.keys_[g];
    for (auto d : opt_.by) {
      const auto i = static_cast<std::size_t>(d);
      k.codes[i] = remap[i][static_cast<std::size_t>(k.codes[i])];
    }
    keys_.push_back(k);
    stats_.push_back(o.stats_[g]);
    added = true;
  }
  if (added) sort_groups();
}

std::string table::to_bytes() const {
  std::string out = partial_tag();
  put_string(out, fingerprint());
  for (std::size_t d = 0; d < dimension_count; ++d) {
    put(out, static_cast<std::uint64_t>(labels_[d].size()));
    for (const auto& l : labels_[d]) put_string(out, l);
  }
  put(out, static_cast<std::uint64_t>(keys_.size()));
  for (std::size_t g = 0; g < keys_.size(); ++g) {
    for (auto code : keys_[g].codes) put(out, code);
    put(out, keys_[g].period_start);
    const group_stats& s = stats_[g];
    for (auto v : s.c) put(out, v);
    for (auto v : s.channel_sums) put(out, v);
    for (auto v : s.sla) put(out, v);
    // The sketch sparsely: its non-empty buckets as (gap from the previous one, count), in varints.
    put(out, s.frt.zero_count());
    put(out, s.frt.offset());
    const auto& counts = s.frt.counts();
    std::uint64_t nonzero = 0;
    for (auto v : counts) nonzero += v != 0;
    put_varint(out, counts.size());
    put_varint(out, nonzero);
    // Written through a pointer into room made once (at most 10 bytes a varint), not byte by byte.
    const std::size_t at = out.size();
    out.resize(at + 20 * static_cast<std::size_t>(nonzero));
    char* p = out.data() + at;
    std::size_t last = 0;
    for (std::size_t k = 0; k < counts.size(); ++k)
      if (counts[k]) {
        p = write_varint(p, k - last);
        p = write_varint(p, counts[k]);
        last = k;
      }
    out.resize(static_cast<std::size_t>(p - out.data()));
  }
  return out;
}

table table::from_bytes(std::string_view bytes, const options& opt) {
  table t(opt);
  const std::string& tag = partial_tag();
  if (bytes.substr(0, tag_prefix.size()) != tag_prefix) bad_partial("not a kefu KPI partial (bad header)");
  if (bytes.substr(0, tag.size()) != tag) {
    const std::string_view theirs = bytes.substr(tag_prefix.size(), bytes.substr(tag_prefix.size(), 1) == ":" ? 9 : 1);
    bad_partial("KPI partial has another layout (" + std::string(tag_prefix) + std::string(theirs) + ", this kefu reads " +
                tag + "): it was written by another version of kefu; compute and merge partials with one version");
  }
  reader in{bytes, tag.size()};
  const std::string fp = in.str();
  if (fp != t.fingerprint())
    throw error("KPI partial was computed with different options (" + fp + " vs " + t.fingerprint() + ")", {}, {},
                options_error_id);
  for (std::size_t d = 0; d < dimension_count; ++d) {
    const auto n = in.get<std::uint64_t>();
    for (std::uint64_t k = 0; k < n; ++k) t.intern(d, in.str());
  }
  const auto groups = in.get<std::uint64_t>();
  for (std::uint64_t g = 0; g < groups; ++g) {
    group_key k;
    for (auto& code : k.codes) code = in.get<std::int32_t>();
    k.period_start = in.get<std::int64_t>();
    group_stats s = t.fresh_stats();
    for (auto& v : s.c) v = in.get<std::int64_t>();
    for (auto& v : s.channel_sums) v = in.get<std::int64_t>();
    for (auto& v : s.sla) v = in.get<std::int64_t>();
    // Every field is checked before the table trusts it (partials cross process boundaries on Dask):
    // label codes index the labels, counts are not negative, the sketch's buckets stay within the
    // values a duration can have, and its total fits.
    for (std::size_t d = 0; d < dimension_count; ++d) {
      const bool grouped = std::find(opt.by.begin(), opt.by.end(), static_cast<dimension>(d)) != opt.by.end();
      const auto code = k.codes[d];
      if (grouped ? (code < 0 || static_cast<std::size_t>(code) >= t.labels_[d].size()) : code != 0)
        bad_partial("KPI partial is corrupt (group " + std::to_string(g) + ": label code " + std::to_string(code) +
                    " of " + to_string(static_cast<dimension>(d)) + ")");
    }
    if (opt.per == period::none ? k.period_start != 0
                                : k.period_start < min_unix_seconds || k.period_start > max_unix_seconds)
      bad_partial("KPI partial is corrupt (group " + std::to_string(g) + ": period start " +
                  std::to_string(k.period_start) + ")");
    for (const auto* values : {&s.channel_sums, &s.sla})
      for (const auto v : *values)
        if (v < 0) bad_partial("KPI partial is corrupt (group " + std::to_string(g) + ": a negative count)");
    for (std::size_t c = 0; c < counter_count; ++c)
      if (s.c[c] < 0)
        bad_partial("KPI partial is corrupt (group " + std::to_string(g) + ": " + std::string(counter_names[c]) + " is negative)");
    const auto zero = in.get<std::uint64_t>();
    const auto offset = in.get<std::int32_t>();
    const std::uint64_t size = in.varint(), nonzero = in.varint();
    const std::int64_t top_bucket = static_cast<std::int64_t>(t.mapping_.index_whole(std::numeric_limits<std::int64_t>::max()));
    if (size > (std::uint64_t(1) << 24) || nonzero > size || offset < -1 ||
        static_cast<std::int64_t>(offset) + static_cast<std::int64_t>(size) > top_bucket + 2)
      bad_partial("KPI partial is corrupt (sketch size)");
    std::vector<std::uint64_t> counts(static_cast<std::size_t>(size));
    std::uint64_t at = 0, total = zero;
    for (std::uint64_t k = 0; k < nonzero; ++k) {
      at += in.varint();
      if (at >= size) bad_partial("KPI partial is corrupt (sketch bucket)");
      const std::uint64_t n = in.varint();
      counts[static_cast<std::size_t>(at)] = n;
      if (__builtin_add_overflow(total, n, &total) || total > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        bad_partial("KPI partial is corrupt (sketch counts)");
    }
    s.frt = quantile_sketch::from_state(zero, offset, std::move(counts));
    t.keys_.push_back(k);
    t.stats_.push_back(std::move(s));
  }
  if (in.pos != bytes.size()) bad_partial("KPI partial has trailing bytes");
  t.sort_groups();
  for (std::size_t g = 1; g < t.keys_.size(); ++g)
    if (t.keys_[g] == t.keys_[g - 1]) bad_partial("KPI partial is corrupt (a group appears twice)");
  return t;
}

bool operator==(const table& a, const table& b) {
  if (a.fingerprint() != b.fingerprint() || a.size() != b.size()) return false;
  for (std::size_t g = 0; g < a.size(); ++g) {
    if (a.keys_[g].period_start != b.keys_[g].period_start) return false;
    for (auto d : a.opt_.by)
      if (a.label(g, d) != b.label(g, d)) return false;
    if (!(a.stats_[g] == b.stats_[g])) return false;
  }
  return true;
}

std::int32_t table::intern(std::size_t d, const std::string& l) {
  auto& v = labels_[d];
  const auto it = std::find(v.begin(), v.end(), l);
  if (it != v.end()) return static_cast<std::int32_t>(it - v.begin());
  v.push_back(l);
  return static_cast<std::int32_t>(v.size() - 1);
}

void table::sort_groups() {
  std::vector<std::size_t> order(keys_.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  const auto before = [&](std::size_t a, std::size_t b) {
    for (auto d : opt_.by) {
      const auto i = static_cast<std::size_t>(d);
      const auto& la = labels_[i][static_cast<std::size_t>(keys_[a].codes[i])];
      const auto& lb = labels_[i][static_cast<std::size_t>(keys_[b].codes[i])];
      if (la != lb) return la < lb;
    }
    return keys_[a].period_start < keys_[b].period_start;
  };
  if (std::is_sorted(order.begin(), order.end(), before)) return;  // e.g. read back from to_bytes()
  std::sort(order.begin(), order.end(), before);
  std::vector<group_key> keys;
  std::vector<group_stats> stats;
  keys.reserve(order.size());
  stats.reserve(order.size());
  for (auto k : order) {
    keys.push_back(keys_[k]);
    stats.push_back(std::move(stats_[k]));
  }
  keys_ = std::move(keys);
  stats_ = std::move(stats);
}

}  // namespace kefu::kpi
