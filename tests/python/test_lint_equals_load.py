"""``kefu lint DIR`` refuses exactly what loading refuses (docs/rules.md, "Lint = load").

A corpus of broken rules directories, each a copy of the shipped rules/ with one realistic mistake: an enum
value added to a policy but not to the vocabulary, an input retyped, a misspelt KPI metric, scorecard
weights that sum to 105, a suite that writes ``yes`` for a bool, a truncated file, … For each, loading the
directory fails with an error (id, file, line, column), and lint reports that very error, once; and lint
finds an error only when loading fails. The shipped directory lints without errors and loads.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

import kefu
from kefu.authoring import lint

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "rules"


def replace(rel: str, old: str, new: str):
    def edit(d: Path) -> None:
        p = d / rel
        text = p.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return edit


def truncate(rel: str, fraction: float):
    def edit(d: Path) -> None:
        p = d / rel
        lines = p.read_text(encoding="utf-8").splitlines(keepends=True)
        p.write_text("".join(lines[: int(len(lines) * fraction)]), encoding="utf-8")
    return edit


def add_file(rel: str, text: str):
    def edit(d: Path) -> None:
        (d / rel).write_text(text, encoding="utf-8")
    return edit


# name → (edit, the id loading refuses with, the file it points at)
BROKEN = {
    "enum value the vocabulary lacks": (
        replace("refund.yaml", "business: {type: enum, values: from facts}",
                "business: {type: enum, values: [ecommerce, mall, smart_counter, fresh, outlet]}"),
        "kefu.rules.vocabulary", "refund.yaml"),
    "input retyped int → decimal": (
        replace("refund.yaml", "  days_since_purchase: int\n", "  days_since_purchase: decimal\n"),
        "kefu.rules.vocabulary", "refund.yaml"),
    "condition names a value that is not an input": (
        replace("refund.yaml", "when: business == mall and item_class == clearance",
                "when: business == mal and item_class == clearance"),
        "kefu.rules.condition", "refund.yaml"),
    "fact misspelt in the vocabulary": (
        replace("facts.yaml", "  has_receipt:", "  has_reciept:"), "kefu.rules.vocabulary", "refund.yaml"),
    "calendar shift without hours": (
        replace("calendars/fresh-shifts.yaml", '{name: 中班 middle, hours: "14:00-22:00"}', "{name: 中班 middle}"),
        "kefu.policy", "calendars/fresh-shifts.yaml"),
    "targets: misspelt metric": (
        replace("kpi/targets.yaml", "metric: fcr_rate", "metric: fcr_rat"), "kefu.kpi.targets", "kpi/targets.yaml"),
    "targets: unknown calendar": (
        replace("kpi/targets.yaml", "calendar: cn-mainland", "calendar: cn-mainlnd"),
        "kefu.kpi.targets", "kpi/targets.yaml"),
    "targets: cut before its metrics": (truncate("kpi/targets.yaml", 0.25), "kefu.kpi.targets", "kpi/targets.yaml"),
    "scorecard: weights sum to 105": (
        replace("kpi/scorecard-agent.yaml", "weight: 60", "weight: 65"),
        "kefu.kpi.scorecard", "kpi/scorecard-agent.yaml"),
    "scorecard: misspelt promotion metric": (
        replace("kpi/scorecard-agent.yaml", "rank_by: csat_mean", "rank_by: csat_mea"),
        "kefu.kpi.scorecard", "kpi/scorecard-agent.yaml"),
    "scorecard: a second one of the same name": (
        add_file("kpi/scorecard-copy.yaml", (RULES / "kpi" / "scorecard-agent.yaml").read_text(encoding="utf-8")),
        "kefu.kpi.scorecard", None),
    "suite: yes for a bool": (
        replace("tests/refund.yaml", "has_receipt: true", "has_receipt: yes"), "kefu.rules.bad_value",
        "tests/refund.yaml"),
    "suite: 是 for a bool": (
        replace("tests/refund.yaml", "has_receipt: true", "has_receipt: 是"), "kefu.rules.bad_value",
        "tests/refund.yaml"),
    "suite: misspelt input": (
        replace("tests/refund.yaml", "  used: false", "  usd: false"), "kefu.rules.unknown_input", "tests/refund.yaml"),
    "suite: expected value outside the enum": (
        replace("tests/refund.yaml", "expect: {decision: deny}", "expect: {decision: denied}"),
        "kefu.rules.unknown_value", "tests/refund.yaml"),
    "suite: misspelt rule id": (
        replace("tests/refund.yaml", "rule: REF-CLEARANCE-DISCLOSED", "rule: REF-CLEARANCE-DISCLOSD"),
        "kefu.rules.unknown_rule", "tests/refund.yaml"),
    "suite: a case that fails": (
        replace("tests/refund.yaml", "expect: {decision: deny}", "expect: {decision: refund}"),
        "kefu.rules.rule_test", "tests/refund.yaml"),
    "policy: a key given twice": (
        replace("refund.yaml", "hit_policy: first\n", "hit_policy: first\nhit_policy: first\n"), None, "refund.yaml"),
    "policy: cut at two thirds": (truncate("sla-targets.yaml", 2 / 3), None, None),
    "facts: cut at a third": (truncate("facts.yaml", 1 / 3), None, None),
}


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    d = tmp_path / "rules"
    shutil.copytree(RULES, d)
    return d


def key(file: str | None, line, column, id_) -> tuple:
    return (str(Path(file).resolve()) if file else None, line or None, column or None, id_)


def test_the_shipped_rules_lint_clean_and_load():
    findings = lint([RULES])
    assert [str(f) for f in findings if f.severity == "error"] == []
    policy = kefu.Policy.load(RULES)
    assert sorted(policy.kpi_targets) == ["fresh-food-team", "service-kpis"]  # DOM-KPI-4: 003's team targets
    assert sorted(policy.scorecards) == ["ecommerce-agent-monthly", "ecommerce-supervisor-monthly", "smart-counter-monthly"]


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_lint_reports_the_error_loading_stops_at(name: str, rules_copy: Path):
    edit, expected_id, expected_file = BROKEN[name]
    edit(rules_copy)
    with pytest.raises(kefu.Error) as refused:
        kefu.Policy.load(rules_copy)
    e = refused.value
    if expected_id is not None:
        assert e.id == expected_id, str(e)
    if expected_file is not None:
        assert Path(e.file).resolve() == (rules_copy / expected_file).resolve(), str(e)
    assert e.line and e.column, str(e)

    findings = lint([rules_copy])
    errors = [f for f in findings if f.severity == "error"]
    keys = [key(f.file, f.line, f.column, f.id) for f in errors]
    assert key(e.file, e.line, e.column, e.id) in keys, (str(e), [str(f) for f in errors])
    # Reported once: no diagnostic twice.
    everything = [(key(f.file, f.line, f.column, f.id), f.message) for f in findings]
    assert [k for k, n in Counter(everything).items() if n > 1] == []


def test_a_directory_that_lints_clean_loads_and_one_that_does_not_does_not(rules_copy: Path):
    # A change that keeps everything consistent: both accept it.
    replace("kpi/targets.yaml", "{metric: fcr_rate, at_least: 90%}", "{metric: fcr_rate, at_least: 85%}")(rules_copy)
    assert [f for f in lint([rules_copy]) if f.severity == "error"] == []
    assert kefu.Policy.load(rules_copy).kpi_targets["service-kpis"] is not None


def test_kefu_rules_loads_the_directory_it_lists(rules_copy: Path, capsys):
    from kefu.cli import main

    assert main(["rules", str(rules_copy)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "loaded: 8 policies, 2 targets, 3 scorecards, 666 rule-test cases passed"
    BROKEN["scorecard: weights sum to 105"][0](rules_copy)
    assert main(["rules", str(rules_copy)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"kefu: error: {rules_copy}/kpi/scorecard-agent.yaml:8:3: scorecard 'ecommerce-agent-monthly': "
                          "item weights sum to 105, not 100")


def test_a_kpi_file_linted_on_its_own_is_loaded_on_its_own(rules_copy: Path):
    BROKEN["targets: misspelt metric"][0](rules_copy)
    BROKEN["scorecard: misspelt promotion metric"][0](rules_copy)
    files = [rules_copy / "kpi" / "targets.yaml", rules_copy / "kpi" / "scorecard-agent.yaml"]
    found = [(Path(f.file).name, f.id, f.message) for f in lint(files) if f.severity == "error"]
    assert sorted(found) == [
        ("scorecard-agent.yaml", "kefu.kpi.scorecard",
         "promotion 'rank_by': unknown metric 'csat_mea' (did you mean 'csat_mean'?)"),
        ("targets.yaml", "kefu.kpi.targets", "unknown metric 'fcr_rat' (did you mean 'fcr_rate'?)"),
    ]
