// The Python face of a partial decision (kefu.PartialDecision): shared by DecisionPolicy.evaluate_partial
// and Policy.triage_partial.
#pragma once

#include "convert/value.hpp"
#include "register.hpp"

#include <kefu/rules/partial.hpp>

#include <pybind11/pybind11.h>

namespace kefu::python {

/// A decision on partial facts, with the policy it came from (outputs are converted on access).
struct py_partial {
  policy_ptr policy;
  kefu::rules::partial_decision d;

  pybind11::dict outputs_of(const std::vector<std::optional<kefu::rules::value>>& values) const {
    pybind11::dict out;
    for (std::size_t i = 0; i < values.size(); ++i)
      out[pybind11::str(policy->outputs()[i].name)] =
          values[i] ? to_python(policy->outputs()[i], *values[i], policy->zone()) : pybind11::object(pybind11::none());
    return out;
  }
};

}  // namespace kefu::python
