"""`values: from facts`: an enum input takes the facts vocabulary's values (docs/rules.md)."""

from pathlib import Path

import pytest

import kefu

FACTS = """facts: shop
fields:
  category: {type: enum, values: [quality, billing, attitude], required: true}
  days: {type: int, default: "0"}
"""

POLICY = """policy: returns
inputs:
  category: {type: enum, values: from facts}
  days: int
outputs:
  ok: bool
rules:
  - {id: QUALITY, when: category == quality and days <= 7, then: {ok: true}}
default: {ok: false}
"""


def test_a_policy_file_alone_reads_the_facts_file_beside_it(tmp_path: Path):
    (tmp_path / "facts.yaml").write_text(FACTS, encoding="utf-8")
    (tmp_path / "returns.yaml").write_text(POLICY, encoding="utf-8")
    policy = kefu.DecisionPolicy.load(tmp_path / "returns.yaml")
    assert policy.inputs[0].values == ["quality", "billing", "attitude"]
    assert policy.evaluate({"category": "quality", "days": 3}).rule_id == "QUALITY"
    with pytest.raises(kefu.ParseError, match="'qualty' is not one of quality, billing, attitude"):
        policy.evaluate({"category": "qualty", "days": 3})


def test_without_a_vocabulary_it_is_a_policy_error_with_its_id(tmp_path: Path):
    (tmp_path / "returns.yaml").write_text(POLICY, encoding="utf-8")
    with pytest.raises(kefu.PolicyError) as e:
        kefu.DecisionPolicy.load(tmp_path / "returns.yaml")
    assert e.value.id == "kefu.rules.from_facts"
    assert (e.value.line, e.value.column) == (3, 34)
    assert "there is no facts file (one starting with `facts:`) beside it" in e.value.detail
    with pytest.raises(kefu.PolicyError) as e:
        kefu.DecisionPolicy.from_yaml(POLICY, "returns.yaml")
    assert e.value.id == "kefu.rules.from_facts"
    assert "a policy read from text has no facts vocabulary" in str(e.value)
    (tmp_path / "facts.yaml").write_text(FACTS.replace("category:", "categry:"), encoding="utf-8")
    with pytest.raises(kefu.PolicyError, match=r"has no field 'category' \(did you mean 'categry'\?\)") as e:
        kefu.DecisionPolicy.load(tmp_path / "returns.yaml")
    assert e.value.id == "kefu.rules.from_facts"


def test_the_shipped_policies_keep_the_category_list_in_facts_yaml():
    from kefu.authoring import lint

    rules = Path(kefu.default_rules_dir())
    facts = {f.name: f.values for f in kefu.default_policy().facts}
    copies = [p.name for p in rules.glob("*.yaml") if "counter_operation, contract, rent_settlement" in p.read_text(encoding="utf-8")]
    assert copies == ["facts.yaml"]
    for name in ("refund", "risk", "escalation", "sla-targets"):
        alone = kefu.DecisionPolicy.load(rules / f"{name}.yaml")  # the facts.yaml beside it
        in_directory = kefu.default_policy().policies[name]
        assert {f.name: f.values for f in alone.inputs}["category"] == facts["category"], name
        assert [f.values for f in alone.inputs] == [f.values for f in in_directory.inputs], name
    assert [f for f in lint([rules]) if f.severity == "error"] == []
