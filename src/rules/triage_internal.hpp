// kefu — helpers shared by the triage loader (triage_loader.cpp) and triage itself (triage.cpp). Internal.
#pragma once

#include <kefu/error.hpp>
#include <kefu/rules/policy.hpp>

#include <string>
#include <vector>

namespace kefu::rules::detail {

inline const field* find_field(const std::vector<field>& fields, const std::string& name) {
  for (const auto& f : fields)
    if (f.name == name) return &f;
  return nullptr;
}

/// Index of the escalation policy's optional bool output `priority_routing` (DOM-ESC-5); npos without it.
inline std::size_t routing_output(const policy& escalation) {
  const field* f = find_field(escalation.outputs(), "priority_routing");
  if (f && f->type != value_type::boolean)
    throw policy_error("policy '" + escalation.name() + "': output 'priority_routing' must be of type bool for triage, not " +
                           to_string(f->type),
                       f->where);
  return f ? escalation.output_index("priority_routing") : static_cast<std::size_t>(-1);
}

}  // namespace kefu::rules::detail
