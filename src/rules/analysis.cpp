#include "analysis.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>

namespace kefu::rules::detail {

namespace {

constexpr std::int64_t lowest = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t highest = std::numeric_limits<std::int64_t>::max();

/// The values one input may take: a mask for bool/enum, an inclusive interval for numbers.
struct constraint {
  bool is_mask = false;
  std::uint64_t mask = 0;
  std::int64_t lo = lowest, hi = highest;

  bool empty() const { return is_mask ? mask == 0 : lo > hi; }
  bool within(const constraint& o) const { return is_mask ? (mask & ~o.mask) == 0 : lo >= o.lo && hi <= o.hi; }
  constraint meet(const constraint& o) const {
    constraint c = *this;
    if (is_mask) c.mask &= o.mask;
    else {
      c.lo = std::max(lo, o.lo);
      c.hi = std::min(hi, o.hi);
    }
    return c;
  }
  /// This minus o, as at most two constraints.
  std::vector<constraint> minus(const constraint& o) const {
    std::vector<constraint> out;
    if (is_mask) {
      constraint c = *this;
      c.mask &= ~o.mask;
      if (!c.empty()) out.push_back(c);
      return out;
    }
    if (o.lo > lo) {
      constraint c = *this;
      c.hi = std::min(hi, o.lo - 1);
      if (!c.empty()) out.push_back(c);
    }
    if (o.hi < hi) {
      constraint c = *this;
      c.lo = std::max(lo, o.hi + 1);
      if (!c.empty()) out.push_back(c);
    }
    return out;
  }
};

using box = std::map<std::size_t, constraint>;  // input slot → constraint; absent = any value

struct term {
  box b;
  bool exact = true;  // false when unknown parts were dropped (the box is then a superset)
};

class analyser {
 public:
  explicit analyser(const policy& p) : p_(p) {}

  constraint domain(std::size_t slot) const {
    const field& f = p_.inputs()[slot];
    constraint c;
    if (f.type == value_type::boolean) {
      c.is_mask = true;
      c.mask = 0b11;
    } else if (f.type == value_type::enumeration) {
      c.is_mask = true;
      c.mask = f.values.size() >= 64 ? ~std::uint64_t(0) : (std::uint64_t(1) << f.values.size()) - 1;
    }
    return c;
  }
  bool analysable(std::size_t slot) const {
    const auto t = p_.inputs()[slot].type;
    return t != value_type::text && t != value_type::set;
  }

  /// Disjunctive normal form of a condition (negated when `neg`), capped in size.
  std::vector<term> dnf(std::int32_t i, bool neg) {
    const node& n = p_.program().nodes[static_cast<std::size_t>(i)];
    switch (base_of(n.code)) {
      case op::not_: return dnf(n.l, !neg);
      case op::and_:
      case op::or_: {
        const bool conj = (n.code == op::and_) != neg;
        auto l = dnf(n.l, neg), r = dnf(n.r, neg);
        if (!conj) {
          l.insert(l.end(), r.begin(), r.end());
          return cap(std::move(l));
        }
        std::vector<term> out;
        for (const auto& a : l)
          for (const auto& b : r)
            if (auto m = meet(a, b)) out.push_back(*m);
        return cap(std::move(out));
      }
      case op::literal: return (n.a != 0) != neg ? std::vector<term>{term{}} : std::vector<term>{};
      case op::input: {  // a bool input
        const auto slot = static_cast<std::size_t>(n.a);
        constraint c = domain(slot);
        c.mask = neg ? 0b01 : 0b10;
        return {term{{{slot, c}}, true}};
      }
      case op::eq: case op::ne: case op::lt: case op::le: case op::gt: case op::ge: return comparison(n, neg);
      case op::in_range: {
        const node& x = p_.program().nodes[static_cast<std::size_t>(n.l)];
        if (x.code != op::input || !analysable(static_cast<std::size_t>(x.a))) return unknown();
        constraint c = domain(static_cast<std::size_t>(x.a));
        c.lo = n.a;
        c.hi = n.b;
        return split(static_cast<std::size_t>(x.a), c, neg);
      }
      case op::in_mask: {
        const node& x = p_.program().nodes[static_cast<std::size_t>(n.l)];
        if (x.code != op::input) return unknown();
        constraint c = domain(static_cast<std::size_t>(x.a));
        c.mask &= static_cast<std::uint64_t>(n.a);
        return split(static_cast<std::size_t>(x.a), c, neg);
      }
      default: return unknown();
    }
  }

  std::string describe(const box& b) const {
    std::string out;
    for (const auto& [slot, c] : b) {
      const field& f = p_.inputs()[slot];
      if (c.within(domain(slot))) {
        if (domain(slot).within(c)) continue;  // any value
      }
      std::string part;
      if (c.is_mask) {
        std::vector<std::string> names;
        for (std::size_t v = 0; v < 64; ++v)
          if ((c.mask >> v) & 1) names.push_back(f.type == value_type::boolean ? (v ? "true" : "false") : f.values[v]);
        if (names.size() == 1) part = f.name + "=" + names[0];
        else {
          part = f.name + " in {";
          for (std::size_t k = 0; k < names.size(); ++k) part += (k ? ", " : "") + names[k];
          part += "}";
        }
      } else {
        auto text = [&](std::int64_t v) { return format_value(f, value{v, {}}, p_.zone()); };
        if (c.lo == lowest) part = f.name + " <= " + text(c.hi);
        else if (c.hi == highest) part = f.name + " >= " + text(c.lo);
        else if (c.lo == c.hi) part = f.name + " == " + text(c.lo);
        else part = f.name + " in [" + text(c.lo) + ".." + text(c.hi) + "]";
      }
      out += (out.empty() ? "" : ", ") + part;
    }
    return out.empty() ? "any input" : out;
  }

  /// An uncovered part of `b`, or nothing when the boxes cover it.
  std::optional<box> uncovered(const box& b, const std::vector<const box*>& cover) {
    if (++steps_ > 200000) return std::nullopt;  // give up quietly rather than report a guess
    for (const box* c : cover) {
      if (!intersects(b, *c)) continue;
      // Find a dimension where b sticks out of c; split there.
      for (const auto& [slot, cc] : *c) {
        const constraint bb = get(b, slot);
        if (bb.within(cc)) continue;
        for (const auto& outside : bb.minus(cc)) {
          box part = b;
          part[slot] = outside;
          if (auto w = uncovered(part, cover)) return w;
        }
        box inside = b;
        inside[slot] = bb.meet(cc);
        return uncovered(inside, cover);
      }
      return std::nullopt;  // b within c
    }
    return b;
  }

  bool intersects(const box& a, const box& b) const {
    for (const auto& [slot, c] : b)
      if (get(a, slot).meet(c).empty()) return false;
    return true;
  }

  constraint get(const box& b, std::size_t slot) const {
    const auto it = b.find(slot);
    return it == b.end() ? domain(slot) : it->second;
  }

 private:
  std::vector<term> unknown() { return {term{{}, false}}; }
  std::vector<term> cap(std::vector<term> t) {
    if (t.size() > 256) return unknown();
    return t;
  }
  std::optional<term> meet(const term& a, const term& b) {
    term t{a.b, a.exact && b.exact};
    for (const auto& [slot, c] : b.b) {
      const constraint m = get(t.b, slot).meet(c);
      if (m.empty()) return std::nullopt;
      t.b[slot] = m;
    }
    return t;
  }
  std::vector<term> split(std::size_t slot, const constraint& c, bool neg) {
    if (!neg) return c.empty() ? std::vector<term>{} : std::vector<term>{term{{{slot, c}}, true}};
    std::vector<term> out;
    for (const auto& part : domain(slot).minus(c)) out.push_back(term{{{slot, part}}, true});
    return out;
  }
  std::vector<term> comparison(const node& n, bool neg) {
    const auto& nodes = p_.program().nodes;
    const node* x = &nodes[static_cast<std::size_t>(n.l)];
    const node* k = &nodes[static_cast<std::size_t>(n.r)];
    op code = base_of(n.code);
    if (x->code == op::literal && k->code == op::input) {
      std::swap(x, k);
      code = code == op::lt ? op::gt : code == op::le ? op::ge : code == op::gt ? op::lt : code == op::ge ? op::le : code;
    }
    if (x->code != op::input || k->code != op::literal || !analysable(static_cast<std::size_t>(x->a))) return unknown();
    const auto slot = static_cast<std::size_t>(x->a);
    constraint c = domain(slot);
    const std::int64_t v = k->a;
    if (c.is_mask) {
      if (code != op::eq && code != op::ne) return unknown();
      c.mask &= std::uint64_t(1) << v;
      return split(slot, c, neg != (code == op::ne));
    }
    switch (code) {
      case op::eq: c.lo = c.hi = v; break;
      case op::ne: c.lo = c.hi = v; neg = !neg; break;
      case op::lt: if (v == lowest) return neg ? std::vector<term>{term{}} : std::vector<term>{}; c.hi = v - 1; break;
      case op::le: c.hi = v; break;
      case op::gt: if (v == highest) return neg ? std::vector<term>{term{}} : std::vector<term>{}; c.lo = v + 1; break;
      case op::ge: c.lo = v; break;
      default: return unknown();
    }
    return split(slot, c, neg);
  }

  const policy& p_;
  std::size_t steps_ = 0;
};

}  // namespace

rule_index index_rules(const policy& p) {
  analyser a(p);
  std::vector<std::vector<term>> shapes;
  for (const auto& r : p.rules()) shapes.push_back(r.root < 0 ? std::vector<term>{term{}} : a.dnf(r.root, false));
  rule_index best;
  std::size_t best_cost = shapes.size();  // average rules tried per value must beat trying all of them
  for (std::size_t slot = 0; slot < p.inputs().size(); ++slot) {
    const field& f = p.inputs()[slot];
    if (f.type != value_type::enumeration && f.type != value_type::boolean) continue;
    const std::size_t values = f.type == value_type::boolean ? 2 : f.values.size();
    if (values > 64) continue;
    rule_index idx;
    idx.slot = static_cast<std::int32_t>(slot);
    idx.candidates.assign(values, {});
    for (std::uint32_t r = 0; r < shapes.size(); ++r) {
      std::uint64_t possible = 0;  // values for which some term of the rule can hold
      for (const auto& t : shapes[r]) possible |= a.get(t.b, slot).mask;
      for (std::size_t v = 0; v < values; ++v)
        if ((possible >> v) & 1) idx.candidates[v].push_back(r);
    }
    std::size_t cost = 0;
    for (const auto& c : idx.candidates) cost += c.size();
    cost = (cost + values - 1) / values;
    if (cost < best_cost) {
      best_cost = cost;
      best = std::move(idx);
    }
  }
  for (const auto& r : p.rules()) best.roots.push_back(r.root);
  return best;
}

std::vector<diagnostic> analyse_policy(const policy& p) {
  std::vector<diagnostic> out;
  analyser a(p);
  std::vector<std::vector<term>> shapes;
  for (const auto& r : p.rules()) shapes.push_back(r.root < 0 ? std::vector<term>{term{}} : a.dnf(r.root, false));

  if (p.hits() == hit_policy::first) {
    std::vector<bool> unreachable(shapes.size());
    for (std::size_t j = 0; j < shapes.size(); ++j) {
      std::vector<const box*> earlier;
      std::vector<std::size_t> owners;
      for (std::size_t i = 0; i < j; ++i)
        for (const auto& t : shapes[i])
          if (t.exact) {
            earlier.push_back(&t.b);
            owners.push_back(i);
          }
      if (earlier.empty() || shapes[j].empty()) continue;
      bool shadowed = true;
      for (const auto& t : shapes[j])
        if (a.uncovered(t.b, earlier)) {
          shadowed = false;
          break;
        }
      if (!shadowed) continue;
      // Name one earlier rule that covers it alone if there is one, else every reachable earlier rule it meets.
      std::vector<std::size_t> named;
      for (std::size_t i = 0; i < j && named.empty(); ++i) {
        std::vector<const box*> alone;
        for (std::size_t k = 0; k < earlier.size(); ++k)
          if (owners[k] == i) alone.push_back(earlier[k]);
        if (alone.empty()) continue;
        bool covers = true;
        for (const auto& t : shapes[j]) covers = covers && !a.uncovered(t.b, alone);
        if (covers) named.push_back(i);
      }
      if (named.empty())
        for (std::size_t k = 0; k < earlier.size(); ++k)
          for (const auto& t : shapes[j])
            if (!unreachable[owners[k]] && a.intersects(t.b, *earlier[k]) &&
                std::find(named.begin(), named.end(), owners[k]) == named.end())
              named.push_back(owners[k]);
      unreachable[j] = true;
      std::string by;
      for (const auto i : named) by += (by.empty() ? "" : ", ") + p.rules()[i].id;
      out.push_back({"rule " + p.rules()[j].id + " can never fire: earlier rule" + (named.size() > 1 ? "s " : " ") + by +
                         " always match" + (named.size() > 1 ? "" : "es") + " first (hit policy first)",
                     p.rules()[j].where, p.rules()[j].id, "unreachable-rule"});
    }
  }

  if (p.hits() == hit_policy::unique) {
    for (std::size_t i = 0; i < shapes.size(); ++i)
      for (std::size_t j = i + 1; j < shapes.size(); ++j) {
        bool reported = false;
        for (const auto& ti : shapes[i])
          for (const auto& tj : shapes[j])
            if (!reported && ti.exact && tj.exact && a.intersects(ti.b, tj.b)) {
              box both = ti.b;
              for (const auto& [slot, c] : tj.b) both[slot] = a.get(both, slot).meet(c);
              out.push_back({"rules " + p.rules()[i].id + " and " + p.rules()[j].id +
                                 " both match when " + a.describe(both) + " (hit policy unique)",
                             p.rules()[j].where, p.rules()[j].id, "overlap"});
              reported = true;
            }
      }
  }

  if (!p.has_default()) {
    std::vector<const box*> all;
    for (const auto& s : shapes)
      for (const auto& t : s) all.push_back(&t.b);
    if (auto gap = a.uncovered(box{}, all))
      out.push_back({"no rule matches when " + a.describe(*gap) + ", and there is no `default`",
                     {p.file(), 0, 0}, {}, "gap"});
  }
  return out;
}

}  // namespace kefu::rules::detail
