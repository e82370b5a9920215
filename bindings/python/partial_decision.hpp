// The Python face of a partial decision (kefu.PartialDecision): shared by DecisionPolicy.evaluate_partial
// and Policy.triage_partial.
#pragma once

#include "convert/value.hpp"
#include "register.hpp"

#include <kefu/rules/partial.hpp>

#include <pybind11/pybind11.h>

namespace kefu::python {

/// A policy's output values as a dict of output name → Python value (None when not set).
inline pybind11::dict outputs_dict(const kefu::rules::policy& p, const std::vector<std::optional<kefu::rules::value>>& values) {
  pybind11::dict out;
  for (std::size_t i = 0; i < values.size(); ++i)
    out[pybind11::str(p.outputs()[i].name)] =
        values[i] ? to_python(p.outputs()[i], *values[i], p.zone()) : pybind11::object(pybind11::none());
  return out;
}

/// A decision on partial facts, with the policy it came from (outputs are converted on access).
struct py_partial {
  policy_ptr policy;
  kefu::rules::partial_decision d;

  pybind11::dict outputs_of(const std::vector<std::optional<kefu::rules::value>>& values) const {
    return outputs_dict(*policy, values);
  }
};

}  // namespace kefu::python
