// Effective-dated policies (DOM-RULE-1): which version is in force at an instant, and a policy pinned to one
// version. The versions themselves are read and checked by the loader (policy_loader.cpp).
#include <kefu/detail/suggest.hpp>
#include <kefu/rules/policy.hpp>

#include "analysis.hpp"
#include "../detail/yaml_support.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace kefu::rules {

std::int32_t policy::version_at(instant t) const noexcept {
  for (std::size_t k = 0; k < versions_.size(); ++k)
    if (versions_[k].in_force_at(t.unix_seconds())) return static_cast<std::int32_t>(k);
  return -1;  // no versions (loading makes the versions of a policy cover every instant)
}

policy_ptr policy::pinned(const std::string& version) const {
  std::vector<std::string> names;
  for (const auto& v : versions_) names.push_back(v.name);
  const auto it = std::find(names.begin(), names.end(), version);
  if (it == names.end())
    throw error(versions_.empty() ? "policy '" + name_ + "' has no versions (it has no `versions:`), so none can be pinned"
                                  : "policy '" + name_ + "' has no version '" + version + "' (it has " +
                                        [&] {
                                          std::string all;
                                          for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
                                          return all;
                                        }() + ")" + kefu::detail::did_you_mean(version, names),
                {}, {}, "kefu.rules.unknown_version");
  const auto k = static_cast<std::int32_t>(it - names.begin());
  auto p = std::make_shared<policy>(*this);
  const policy_version& v = versions_[static_cast<std::size_t>(k)];
  p->rules_.assign(rules_.begin() + v.first_rule, rules_.begin() + v.end_rule);
  for (auto& r : p->rules_) {
    r.root = r.condition;  // its window dropped: the version applies at any instant
    r.version = 0;
  }
  p->versions_.assign(1, v);
  p->versions_[0].first_rule = 0;
  p->versions_[0].end_rule = static_cast<std::uint32_t>(p->rules_.size());
  p->version_ = v.name;
  p->version_slot_ = -1;
  p->pinned_ = true;
  p->digest_ = kefu::detail::mix_digest(digest_, "pinned:" + v.name);  // another version: another policy
  auto idx = detail::index_rules(*p);
  p->index_slot_ = idx.slot;
  p->index_candidates_ = std::move(idx.candidates);
  p->roots_ = std::move(idx.roots);
  // The static checks again, on this version alone; the loader's own warnings (keywords, negation) stay.
  p->warnings_.clear();
  for (const auto& d : warnings_)
    if (d.check != "unreachable-rule" && d.check != "overlap" && d.check != "gap") p->warnings_.push_back(d);
  for (auto& d : detail::analyse_policy(*p)) {
    if (d.where.file.empty() || d.check == "gap") d.where = v.where;
    p->warnings_.push_back(std::move(d));
  }
  return p;
}

policy_ptr as_of(const policy_ptr& p, instant t) {
  if (p->versions().empty() || p->is_pinned()) return p;
  return p->pinned(p->versions()[static_cast<std::size_t>(p->version_at(t))].name);
}

}  // namespace kefu::rules
