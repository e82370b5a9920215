"""``kefu triage`` and ``kefu explain`` for scripts: facts from standard input (``--input -``) and
``--format json`` (docs/rules.md, docs/triage.md)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from kefu.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEAFOOD = "business: fresh\nchannel: online\ncategory: live_seafood_dead\nreceived_at: 2026-02-16T23:00:00+08:00\n"


def test_triage_json_from_stdin(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(SEAFOOD))
    assert main(["triage", "--input", "-", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["risk"] == {"level": "normal", "signals": []}
    assert (doc["tier"], doc["tier_rules"], doc["owners"]) == ("L2", ["ESC-CATEGORY-L2"], ["supervisor"])
    seafood = next(t for t in doc["targets"] if t["rule_id"] == "SLA-LIVE-SEAFOOD-VERIFY")
    assert (seafood["what"], seafood["due"], seafood["within"], seafood["provisional"]) == (
        "verify and handle dead live seafood", "2026-02-17T11:00:00+08:00", "12h", False)
    assert doc["refund"]["decision"] == "refund" and doc["refund"]["rule_id"] == "REF-FRESH-DEAD-OR-SPOILED"
    assert doc["deadlines"]["first_response"]["due"].endswith("+08:00")
    assert set(doc) == {"risk", "tier", "tier_rules", "owners", "deadlines", "targets", "follow_up_required",
                        "report_required", "priority_routing", "customer_tier", "customer_tier_computed", "refund",
                        "days_since_purchase"}


def test_stdin_errors_name_stdin(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("business: fresh\nchanel: online\n"))
    assert main(["triage", "--input", "-"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kefu: error: ") and "chanel" in err and "did you mean 'channel'" in err
    monkeypatch.setattr(sys, "stdin", io.StringIO("business: [fresh\n"))
    assert main(["triage", "--input", "-"]) == 1
    assert capsys.readouterr().err.startswith("kefu: error: <stdin>:1:11: invalid YAML: '[' is not closed")


def test_explain_json(monkeypatch, capsys):
    policy = ROOT / "examples" / "policies" / "refund-basic.yaml"
    monkeypatch.setattr(sys, "stdin", io.StringIO((ROOT / "examples" / "data" / "refund-case.yaml").read_text(encoding="utf-8")))
    assert main(["explain", str(policy), "--input", "-", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["policy"], doc["rules"], doc["by_default"]) == ("refund-basic", ["REF-MEDIA"], False)
    assert doc["outputs"] == {"decision": "manual_review", "reason": "media threat"}
    media = next(r for r in doc["trace"] if r["rule"] == "REF-MEDIA")
    assert media["fired"] and media["conditions"] == [{
        "condition": "contains_any(text, media)", "result": True, "reads": {"text": "我要去微博曝光"},
        "words": ["微博", "曝光"], "discounted": []}]
    window = next(r for r in doc["trace"] if r["rule"] == "REF-QUALITY-7D")
    assert not window["fired"]
    assert [(c["condition"], c["result"]) for c in window["conditions"]][-1] == ("days_since_purchase <= 7", False)
    # The text form is unchanged.
    assert main(["explain", str(policy), "--input", str(ROOT / "examples" / "data" / "refund-case.yaml")]) == 0
    assert capsys.readouterr().out.startswith("policy refund-basic v2026.1 (hit policy first)\n")


@pytest.mark.parametrize("command", [["triage"], ["explain", str(ROOT / "examples" / "policies" / "refund-basic.yaml")]])
def test_help_mentions_stdin_and_json(command, capsys):
    with pytest.raises(SystemExit):
        main([*command, "--help"])
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps the help
    assert "(- reads it from standard input)" in out and "--format {text,json}" in out
