"""The labelled complaint texts (rules/tests/risk-texts.csv) and the risk policy's keyword quality (DOM-RISK-5).

- The set is what the docs say it is: at least 300 texts, positives, negated texts, near misses, traditional,
  full-width and mixed English ones; every label names a keyword rule of rules/risk.yaml and the level follows
  from the labelled signals.
- Every keyword signal has precision and recall >= 0.97 on it (tools/keyword_quality.py computes them).
- docs/triage.md carries the table the script writes (a stale table fails).
- The measure can fail: without its negation cues and exceptions the same policy falls below the bar.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from _scripts import load_script

kefu = pytest.importorskip("kefu")

REPO = Path(__file__).resolve().parents[2]
BAR = 0.97


kq = load_script(REPO / "tools" / "keyword_quality.py")


@pytest.fixture(scope="module")
def report():
    return kq.evaluate(REPO)


@pytest.fixture(scope="module")
def cases():
    return kq.read_cases(REPO / kq.TEXTS)


def test_the_set_is_large_and_varied(cases):
    assert len(cases) >= 300
    tags = {t for c in cases for t in c.tags}
    assert {"pos", "neg", "scope", "near", "trad", "fw", "en", "multi", "hard", "dev", "heldout"} <= tags
    count = lambda tag: sum(tag in c.tags for c in cases)  # noqa: E731
    assert count("neg") >= 50 and count("near") >= 50 and count("trad") >= 30 and count("en") >= 20
    # Every text is either development or held-out, and hard cases carry a note saying why they are hard.
    assert all(("dev" in c.tags) != ("heldout" in c.tags) for c in cases)
    assert all(c.note for c in cases if "hard" in c.tags)
    # Texts are written out, not generated from a template: no two share their first six characters... mostly.
    openings = [c.text[:6] for c in cases]
    assert len(set(openings)) > 0.95 * len(openings)


def test_labels_name_keyword_rules_and_the_level_follows_from_them(cases):
    policy = kefu.DecisionPolicy.load(REPO / kq.POLICY)
    level_of = {r.id: None for r in policy.rules if "contains_any(" in r.when}
    order = ["normal", "high", "critical"]
    for c in cases:
        assert set(c.signals) <= set(level_of), f"line {c.line}: {c.signals}"
    # A rule's level is its `then`: read it from the texts of the set that fire that rule alone.
    rule_level = {}
    for c in cases:
        d = policy.evaluate(dict(kq.NEUTRAL, text=c.text))
        if len(d.rule_ids) == 1 and d.rule_ids[0] in level_of:
            rule_level.setdefault(d.rule_ids[0], d["level"])
    assert set(rule_level) == set(level_of)
    for c in cases:
        expected = max((rule_level[s] for s in c.signals), key=order.index, default="normal")
        assert c.level == expected, f"{kq.TEXTS}:{c.line}: level {c.level}, but its signals make it {expected}"


def test_every_signal_has_precision_and_recall_of_at_least_97_percent(report):
    low = {s: (round(v.precision, 3), round(v.recall, 3)) for s, v in report.signals.items()
           if v.precision < BAR or v.recall < BAR}
    assert low == {}, "signal: (precision, recall) below the bar; see python tools/keyword_quality.py --errors"
    assert all(v.labelled >= 30 for v in report.signals.values()), "too few labelled texts to measure a signal"


def test_docs_carry_the_current_table(report):
    page = (REPO / kq.PAGE).read_text(encoding="utf-8")
    assert kq.replace_generated(page, kq.render(report)) == page, "run python tools/keyword_quality.py"


def test_the_measure_can_fail_without_negation_and_exceptions(tmp_path):
    """The same vocabulary without `negation:` and `exceptions:` falls below the bar: the set does test them."""
    text = (REPO / kq.POLICY).read_text(encoding="utf-8")
    start, end = text.index("\nnegation:\n"), text.index("\nkeywords:\n")
    stripped = text[:start] + "\n" + text[end:]
    stripped = re.sub(r"\n    exceptions:\n(?:      .*\n|        .*\n)+", "\n", stripped)
    assert "\n    exceptions:" not in stripped and "not_cues:" not in stripped
    (tmp_path / "facts.yaml").write_text((REPO / "rules" / "facts.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "risk.yaml").write_text(stripped, encoding="utf-8")
    plain = kq.evaluate(REPO, policy_path=tmp_path / "risk.yaml")
    assert min(v.precision for v in plain.signals.values()) < 0.9
    assert plain.signals["RISK-SAFETY-WORDS"].precision < BAR


def test_a_malformed_row_is_an_error_naming_its_line(tmp_path):
    bad = tmp_path / "texts.csv"
    bad.write_text("id,tags,text,signals,level,note\nT1,pos,我要报警,RISK-POLICE,urgent,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"texts.csv:2: level 'urgent'"):
        kq.read_cases(bad)
    bad.write_text("id,tags,text,signals,level,note\nT1,pos,我要报警,RISK-POLICE,high,\nT2,pos,我要报警,,normal,\n",
                   encoding="utf-8")
    with pytest.raises(ValueError, match=r"texts.csv:3: text '我要报警' repeats line 2"):
        kq.read_cases(bad)


def test_labels_naming_no_keyword_rule_are_refused(tmp_path):
    texts = tmp_path / "texts.csv"
    with texts.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([kq.COLUMNS, ["T1", "pos", "我要报警", "RISK-POLICEE", "high", ""]])
    with pytest.raises(ValueError, match="RISK-POLICEE"):
        kq.evaluate(REPO, texts=texts)
