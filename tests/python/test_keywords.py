"""Keyword sets from Python: negation cues, exceptions, places as str indices, and what the default policy,
triage, explanations and kefu lint make of them (DOM-RISK-5)."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime

import pytest

kefu = pytest.importorskip("kefu")

NEGATION = {"cues": ["没有", "不会", ("不", 1), "not"], "window": 4, "not_cues": ["是不是"], "breaks": ["就"]}


def test_a_keyword_set_built_in_python_negates_and_excepts():
    k = kefu.KeywordSet("risk", ["受伤", "曝光", "报警", "police"], negation=NEGATION, exceptions={"曝光": ["自动曝光"]})
    assert not k.contains_any("还好孩子没有受伤，就是包装破了")
    assert not k.contains_any("不会去微博曝光的")
    assert k.contains_any("没有人管我就去曝光")
    assert k.contains_any("是不是要我报警")
    assert not k.contains_any("相机自动曝光不准")
    assert not k.contains_any("I am not calling the police")
    assert k.matches("我没有受伤，但我女儿受伤了") == ["受伤"]
    assert k.negation["cues"] == ["没有", "不会", ("不", 1), "not"]
    assert k.exceptions == {"曝光": ["自动曝光"]}
    assert repr(k) == "KeywordSet('risk', 4 words, negation, exceptions)"


def test_scan_gives_str_indices_status_and_the_reason():
    k = kefu.KeywordSet("risk", ["受伤", "12315"], negation=NEGATION)
    text = "👍没有受伤，已经打了１２３１５"  # an astral character and full-width digits before the words
    hits = k.scan(text)
    assert [(h.word, text[h.start:h.end], h.status, h.by, h.counted) for h in hits] == [
        ("受伤", "受伤", "negated", "没有", False),
        ("12315", "１２３１５", "counted", "", True),
    ]


def test_a_plain_set_has_no_negation_and_bad_arguments_are_refused():
    k = kefu.KeywordSet("media", ["曝光"])
    assert k.negation is None and k.exceptions == {}
    assert k.contains_any("没有曝光")
    with pytest.raises(ValueError, match="window"):
        kefu.KeywordSet("m", ["曝光"], negation={"cues": ["没有"], "window": 21})
    with pytest.raises(ValueError, match="unknown key 'cue'"):
        kefu.KeywordSet("m", ["曝光"], negation={"cue": ["没有"]})
    with pytest.raises(ValueError, match="at least one word"):
        kefu.KeywordSet("m", [])


def test_the_default_policy_exposes_its_keyword_sets():
    risk = kefu.DecisionPolicy.load(kefu.default_rules_dir() / "risk.yaml")
    sets = risk.keyword_sets
    assert {"safety", "collective", "media", "regulator", "police", "legal", "anger"} <= set(sets)
    assert sets["safety"].negation["window"] == 4
    assert "自动曝光" in sets["media"].exceptions["曝光"]
    assert risk.warnings == []


@pytest.mark.parametrize(
    "text, level, signals",
    [
        ("还好孩子没有受伤，就是包装破了", "normal", []),
        ("不会去微博曝光的，放心", "normal", []),
        ("再不處理我就報警", "high", ["RISK-POLICE"]),
        ("再不处理我就报警", "high", ["RISK-POLICE"]),
        ("没有人管我就去曝光", "high", ["RISK-MEDIA"]),
        ("我们小区三十多户准备集体投诉", "critical", ["RISK-COLLECTIVE-WORDS"]),
        ("我已经拨打了１２３１５，也找了律师", "high", ["RISK-REGULATOR", "RISK-LEGAL"]),
    ],
)
def test_triage_of_the_issues_examples(text, level, signals):
    policy = kefu.default_policy()
    r = policy.triage({"business": "mall", "channel": "phone", "category": "quality_defect",
                       "received_at": datetime(2026, 3, 2, 10), "text": text})
    assert r.risk.level == level
    assert [s.rule_id for s in r.risk.signals if s.words] == signals


def test_explanations_say_what_did_not_count():
    risk = kefu.DecisionPolicy.load(kefu.default_rules_dir() / "risk.yaml")
    facts = {"category": "consultation", "text": "还好孩子没有受伤，相机自动曝光不准", "claimed_amount": "0",
             "collective": False, "repeat_complaints": 0, "vip": False, "cold_chain_break_confirmed": False, "counterfeit_suspected": False}
    d = risk.evaluate(facts, trace=True)
    assert d["level"] == "normal"
    discounted = {rule: t.discounted for rule, t in d.trace if t.discounted}
    assert discounted == {"RISK-SAFETY-WORDS": ["受伤 (negated by 没有)"],
                          "RISK-MEDIA": ["曝光 (inside the exception 自动曝光)"]}
    assert "not counted: 受伤 (negated by 没有)" in d.explain()


def test_lint_warns_about_negation_that_can_never_apply(tmp_path):
    (tmp_path / "risk.yaml").write_text(
        "policy: r\ninputs:\n  text: text\nnegation:\n  cues: [没有, 没有，]\n  not_cues: [还好]\n"
        "keywords:\n  media:\n    words: [曝光]\n    exceptions: {曝光: [不会]}\n"
        "outputs:\n  level: {type: enum, values: [normal, high]}\n"
        "rules:\n  - id: MEDIA\n    when: contains_any(text, media)\n    then: {level: high}\ndefault: {level: normal}\n",
        encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "kefu", "lint", str(tmp_path / "risk.yaml")], capture_output=True,
                         text=True, check=False).stdout
    path = (tmp_path / "risk.yaml").as_posix()
    assert f"{path}:5:14: warning: negation cue '没有，' contains '，'" in out
    assert f"{path}:6:14: warning: not-cue '还好' contains no negation cue" in out
    assert f"{path}:10:23: warning: exception '不会' does not contain the word '曝光'" in out
    assert "[negation-cue]" in out and "[negation-not-cue]" in out and "[keyword-exception]" in out
