"""One loading path (docs/reliability.md): Policy.load, default_policy(), TriagePolicyHandle.reload and
``kefu lint`` apply the same checks to a rules directory, its rule tests included, so a truncated or
half-written rules file never goes live silently. ``run_rule_tests=False`` is raw loading."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

import kefu
from kefu.authoring import lint, run_tests, suites_for

RULES = kefu.default_rules_dir()
#: Every shipped rules file, relative to the rules directory.
SHIPPED = sorted(str(p.relative_to(RULES)) for p in RULES.rglob("*.yaml"))


def _copy(tmp: Path) -> Path:
    target = tmp / "rules"
    shutil.copytree(RULES, target)
    return target


def _cut_before(text: str, marker: str) -> str:
    return text[: text.index("\n" + marker) + 1]


def test_every_shipped_file_is_covered():
    # The truncation test below walks these; a new kind of rules file must not slip past it.
    assert len(SHIPPED) == 28
    assert "clocks.yaml" in SHIPPED  # named clocks (DOM-SLA-10)
    assert "sla-targets.yaml" in SHIPPED and "tests/refund.yaml" in SHIPPED and "calendars/cn-mainland.yaml" in SHIPPED
    assert "kpi/targets.yaml" in SHIPPED and "kpi/targets-fresh-food.yaml" in SHIPPED  # DOM-KPI-4


def test_the_shipped_rules_load_with_every_rule_test():
    policy = kefu.default_policy()
    assert policy.rule_tests_run and policy.rule_test_cases == 666
    raw = kefu.Policy.load(RULES, run_rule_tests=False)
    assert not raw.rule_tests_run and raw.rule_test_cases == 0


def test_a_truncated_sla_targets_file_no_longer_loads_silently(tmp_path):
    rules = _copy(tmp_path)
    sla = rules / "sla-targets.yaml"
    sla.write_text(_cut_before(sla.read_text(encoding="utf-8"), "  # --- smart counters, mall ---"), encoding="utf-8")
    # Raw loading takes it and drops every target after the channels (the audit: 1,660 of 3,788 tickets).
    assert len(kefu.Policy.load(rules, run_rule_tests=False).policies["sla-targets"].rules) == 7
    with pytest.raises(kefu.PolicyError) as info:
        kefu.Policy.load(rules)
    e = info.value
    # The suite is checked against the cut policy before any case runs: it names a rule the cut removed.
    suite = (rules / "tests" / "sla-targets.yaml").read_text(encoding="utf-8").splitlines()
    first = "rules: [SLA-TICKET-COMPLAINT, SLA-PRIORITY-3]"  # the first case's
    line = next(i for i, text in enumerate(suite, 1) if first in text)
    column = suite[line - 1].index("SLA-TICKET-COMPLAINT") + 1
    assert (e.id, e.file, e.line, e.column) == ("kefu.rules.unknown_rule", f"{rules}/tests/sla-targets.yaml", line, column)
    assert e.detail == "policy 'sla-targets' has no rule 'SLA-TICKET-COMPLAINT' (`default` means that no rule fires)"
    # kefu lint says the same, once, with the id.
    errors = [f for f in lint([rules]) if f.severity == "error"]
    assert [(f.id, f.file, f.line, f.column, f.message) for f in errors] == [
        ("kefu.rules.unknown_rule", e.file, line, column, e.detail)]


def test_the_directory_handle_keeps_the_old_policy_when_a_rule_test_fails(tmp_path):
    rules = _copy(tmp_path)
    handle = kefu.TriagePolicyHandle(rules)
    held = handle.current
    assert held.rule_test_cases == 666
    refund = rules / "refund.yaml"
    text = refund.read_text(encoding="utf-8")
    refund.write_text(text.replace("and days_since_purchase <= 7\n", "and days_since_purchase <= 6\n", 1), encoding="utf-8")
    result = handle.reload()
    assert not result and handle.current is held
    assert result.message.startswith(f"{rules}/tests/refund.yaml:") and ": rule test '" in result.message
    assert "decision expected refund, got " in result.message
    refund.write_text(text, encoding="utf-8")
    result = handle.reload()
    assert result and result.cases_passed == 666 and handle.current is not held
    assert result.message == f"loaded rules directory '{rules}' (8 policies, 666 rule-test cases passed)"


def test_a_suite_runs_against_its_policy_with_the_same_error(tmp_path):
    rules = _copy(tmp_path)
    suite = kefu._core.RuleSuite.load(rules / "tests" / "tiers.yaml")
    assert suite.check(kefu.DecisionPolicy.load(rules / "tiers.yaml")) == 13
    tiers = rules / "tiers.yaml"
    tiers.write_text(tiers.read_text(encoding="utf-8").replace("report_required: true", "report_required: false"),
                     encoding="utf-8")
    with pytest.raises(kefu.PolicyError) as info:
        suite.check(kefu.DecisionPolicy.load(tiers))
    assert info.value.id == "kefu.rules.rule_test" and info.value.file == str(rules / "tests" / "tiers.yaml")
    assert "report_required expected true, got false" in info.value.detail


def test_a_suite_cut_between_cases_loads_and_kefu_test_agrees(tmp_path):
    rules = _copy(tmp_path)
    suite = rules / "tests" / "refund.yaml"
    text = suite.read_text(encoding="utf-8")
    kept = text[: text.index("\n  - name:", len(text) // 2) + 1]  # the cases of the first half and more
    suite.write_text(kept, encoding="utf-8")
    cases = kept.count("\n  - name:")
    assert kefu.Policy.load(rules).rule_test_cases == 666 - 85 + cases
    report = run_tests([rules], io.StringIO())
    assert report.ok and report.passed == 666 - 85 + cases


# ---- every shipped file, truncated at line boundaries -------------------------------------------------------


@pytest.fixture(scope="module")
def scratch_rules(tmp_path_factory):
    rules = _copy(tmp_path_factory.mktemp("truncated"))
    return rules, kefu.TriagePolicyHandle(rules)


def _cuts(lines: int) -> list[int]:
    """Where to cut a file of `lines` lines: a third, two thirds, and all but the last line (distinct, > 0)."""
    return sorted({k for k in (lines // 3, 2 * lines // 3, lines - 1) if k > 0})


def _loaded(rules: Path) -> kefu.Policy | None:
    try:
        return kefu.Policy.load(rules)
    except kefu.Error:
        return None


def _accepted(load) -> bool:
    try:
        load()
    except kefu.Error:
        return False
    return True


@pytest.mark.parametrize("name", SHIPPED)
def test_truncations_are_refused_or_accepted_by_every_loading_path(scratch_rules, name):
    rules, handle = scratch_rules
    path = rules / name
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    # The schema modeline on the last line (docs/schema/README.md) is a comment: cut the content before it.
    content = len(lines) - 1 if lines[-1].startswith("# yaml-language-server:") else len(lines)
    single_file_policy = kefu._core.describe_rules_file(path).kind == "policy"
    suites = suites_for(path, [rules / "tests"]) if single_file_policy else []
    verdicts = []
    try:
        for k in _cuts(content):
            path.write_text("".join(lines[:k]), encoding="utf-8")
            policy = _loaded(rules)
            loaded = policy is not None
            swapped = bool(handle.reload())
            linted = not any(f.severity == "error" for f in lint([rules]))
            where = f"{name} cut after line {k} of {len(lines)}"
            assert loaded == swapped == linted, f"{where}: Policy.load {loaded}, reload {swapped}, lint {linted}"
            if single_file_policy:  # the one-file handle, with the suites that test that file
                one = _accepted(lambda: kefu.PolicyHandle(path, suites))
                assert one == loaded, f"{where}: PolicyHandle of the file {one}, Policy.load {loaded}"
            if loaded:  # what is accepted ran every rule test left and passed them (lint ran each suite too)
                assert policy.rule_tests_run and policy.rule_test_cases == 666 - _cases_cut(name, original, k), where
            verdicts.append(loaded)
    finally:
        path.write_text(original, encoding="utf-8")
    # A policy, the vocabulary or a calendar cut short is never taken as it is.
    if name.endswith(".yaml") and not name.startswith(("kpi/", "tests/", "calendars/")):
        assert not any(verdicts), f"{name}: a truncation loaded"


def _cases_cut(name: str, original: str, k: int) -> int:
    """Cases a truncated suite file lost (it still loads: its remaining cases run)."""
    if not name.startswith("tests/"):
        return 0
    before = sum(1 for line in original.splitlines() if line.startswith("  - name:"))
    after = sum(1 for line in original.splitlines()[:k] if line.startswith("  - name:"))
    return before - after
