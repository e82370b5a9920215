"""``kefu test --mutate``: do the rule tests notice when a rule changes? (docs/rules.md, "Mutation testing").

- A small policy and suite: the survivors are exactly the changes no case looks at, each with file, line and
  column; adding the missing cases kills them.
- The shipped rules: their suites kill every mutant of every kind, keyword removals included (each risk word
  has a text of its own in rules/tests/risk-words.yaml), and `kefu test --mutate` on them passes.
- JSON output, the refusal of a suite that fails as written, and the options that do not go with --mutate.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import kefu
from kefu.authoring import mutate
from kefu.cli import main

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "rules"

POLICY = """policy: window
inputs:
  days: int
  receipt: bool
outputs:
  decision: {type: enum, values: [refund, review]}
rules:
  - id: IN-WINDOW
    when: days <= 7 and receipt
    then: {decision: refund}
default: {decision: review}
"""

SUITE = """suite: window
policy: ../window.yaml
cases:
  - name: day 7 with a receipt is refunded
    input: {days: 7, receipt: true}
    expect: {decision: refund}
"""

MORE_CASES = """  - name: day 8 is outside
    input: {days: 8, receipt: true}
    expect: {decision: review}
  - name: no receipt, no refund
    input: {days: 3, receipt: false}
    expect: {decision: review}
"""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    (tmp_path / "window.yaml").write_text(POLICY, encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "window.yaml").write_text(SUITE, encoding="utf-8")
    return tmp_path


def test_survivors_are_the_changes_no_case_looks_at(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = small / "window.yaml"
    assert main(["test", "--mutate", str(small)]) == 1
    out = capsys.readouterr().out
    assert out == (
        f"{policy}: 7 mutants, 2 killed, 5 survived (1 cases)\n"
        f"  {policy}:9:11: survived [and_or] IN-WINDOW: `days <= 7 and receipt` → `days <= 7 or receipt`\n"
        f"  {policy}:9:11: survived [drop_condition] IN-WINDOW: drops `days <= 7` from `days <= 7 and receipt`\n"
        f"  {policy}:9:25: survived [drop_condition] IN-WINDOW: drops `receipt` from `days <= 7 and receipt`\n"
        f"  {policy}:9:19: survived [bound] IN-WINDOW: `days <= 7` → `days <= 8`\n"
        f"  {policy}:11:21: survived [output] default: decision: review → refund\n"
        "mutation: 7 mutants, 2 killed, 5 survived — add a case that each surviving change would fail"
        " / 有变异未被发现：请为每处补充用例\n"
    )
    # The two cases that were missing kill all five.
    with (small / "tests" / "window.yaml").open("a", encoding="utf-8") as f:
        f.write(MORE_CASES)
    assert main(["test", "--mutate", str(small)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "mutation: 7 mutants, 7 killed, 0 survived — every change is caught / 所有变异均被测试发现")


def test_json_report_names_each_mutant_and_the_case_that_killed_it(small: Path, capsys) -> None:
    assert main(["test", "--mutate", "--format", "json", str(small)]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert (doc["mutants"], doc["killed"], doc["survived"], doc["invalid"]) == (7, 2, 5, 0)
    [policy] = doc["policies"]
    assert policy["policy_file"] == str(small / "window.yaml") and policy["cases"] == 1
    assert policy["suites"] == [str(small / "tests" / "window.yaml")]
    tighter = next(m for m in policy["mutants"] if m["change"] == "`days <= 7` → `days <= 6`")
    assert tighter == {
        "kind": "bound", "rule": "IN-WINDOW", "change": "`days <= 7` → `days <= 6`", "file": str(small / "window.yaml"),
        "line": 9, "column": 19, "status": "killed",
        "detail": f"{small / 'tests' / 'window.yaml'}:4: day 7 with a receipt is refunded (decision expected refund, got review)",
    }


def test_a_suite_that_fails_as_written_is_refused(small: Path) -> None:
    suite = small / "tests" / "window.yaml"
    suite.write_text(SUITE.replace("expect: {decision: refund}", "expect: {decision: review}"), encoding="utf-8")
    with pytest.raises(kefu.PolicyError) as e:
        mutate([small])
    assert (e.value.id, e.value.line) == ("kefu.rules.rule_test", 4)


def test_options_that_do_not_go_with_mutate(small: Path, capsys) -> None:
    assert main(["test", "--mutate", "-k", "day", str(small)]) == 2
    assert "leave out -k and --format junit" in capsys.readouterr().err
    assert main(["test", "--mutate", "--format", "junit", str(small)]) == 2
    capsys.readouterr()


KINDS = ["bound", "and_or", "drop_condition", "output", "keyword", "set_item"]


@pytest.fixture(scope="module")
def shipped():
    return mutate([RULES / "tests"])


def test_the_shipped_suites_kill_every_mutant(shipped) -> None:
    by_kind: dict[str, list[int]] = {}
    for report in shipped:
        for m in report.mutants:
            counts = by_kind.setdefault(m.kind, [0, 0, 0])
            counts[["killed", "survived", "invalid"].index(m.status)] += 1
    assert {Path(r.policy_file).name for r in shipped} == {
        "actions.yaml", "customer-value.yaml", "escalation.yaml", "refund.yaml", "risk.yaml", "service-calendar.yaml",
        "sla-targets.yaml", "tiers.yaml"}
    assert sorted(by_kind) == sorted(KINDS)
    for kind, (killed, survived, invalid) in by_kind.items():
        assert (survived, invalid) == (0, 0), (kind, [
            f"{m.file}:{m.line}: {m.rule_id}: {m.change}" for r in shipped for m in r.mutants
            if m.kind == kind and m.status != "killed"])
        assert killed > 0
    # One keyword mutant per word of every set: none is left out.
    risk_words = sum(len(s.words) for s in kefu.DecisionPolicy.load(RULES / "risk.yaml").keyword_sets.values())
    assert by_kind["keyword"][0] == risk_words


def test_no_word_of_a_set_contains_another_word_of_it() -> None:
    """Such a word can never change a decision (the shorter word matches wherever it does), so its removal is a
    mutant nothing can kill: kefu test --mutate finds them, and the shipped sets have none."""
    for name, s in kefu.DecisionPolicy.load(RULES / "risk.yaml").keyword_sets.items():
        words = [w.lower() for w in s.words]
        assert [(w, v) for w in words for v in words if v != w and v in w] == [], name


def test_kefu_test_mutate_on_the_shipped_rules(capsys) -> None:
    assert main(["test", "--mutate", str(RULES)]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert re.fullmatch(r"mutation: (\d+) mutants, \1 killed, 0 survived — every change is caught / 所有变异均被测试发现", last)
