"""Every decision the shipped policies can give is given by at least one rule-test case (DOM-REF-8: the
refund policy reaches `compensate`): a value no case reaches is either dead (remove it) or untested (test it)."""

from __future__ import annotations

from pathlib import Path

import kefu
from kefu._core import DecisionPolicy, RuleSuite

RULES = Path(__file__).resolve().parents[2] / "rules"


def _reached() -> dict[str, dict[str, set[str]]]:
    """policy name → output → every value the cases of rules/tests/ make it take."""
    reached: dict[str, dict[str, set[str]]] = {}
    for suite_file in sorted((RULES / "tests").glob("*.yaml")):
        suite = RuleSuite.load(suite_file)
        policy = DecisionPolicy.load(suite.policy_path)
        for case in suite.cases:
            outputs = policy.evaluate(dict(case.input)).outputs
            for name, value in outputs.items():
                values = value if isinstance(value, (list, set, frozenset, tuple)) else [value]
                reached.setdefault(policy.name, {}).setdefault(name, set()).update(
                    "true" if v is True else "false" if v is False else str(v) for v in values)
    return reached


def test_every_value_of_every_enum_set_and_bool_output_is_reached():
    reached = _reached()
    missing = []
    for name, policy in kefu.default_policy().policies.items():
        for out in policy.outputs:
            if out.type in ("enum", "set"):
                values = list(out.values)
            elif out.type == "bool":
                values = ["true", "false"]
            else:
                continue
            got = reached.get(name, {}).get(out.name, set())
            missing += [f"{name}.{out.name} = {v}" for v in values if v not in got]
    assert missing == []


def test_compensate_is_reached_by_the_delivery_rule():
    policy = DecisionPolicy.load(RULES / "refund.yaml")
    suite = RuleSuite.load(RULES / "tests" / "refund.yaml")
    decided = {policy.evaluate(dict(c.input)).rule_id for c in suite.cases
               if policy.evaluate(dict(c.input)).outputs["decision"] == "compensate"}
    assert decided == {"REF-DELIVERY-LOST-OR-DAMAGED"}
