"""``kefu test``: suites checked against their policy, failures with the decision's trace, ``-k``, and the
JSON and JUnit XML reports CI systems read (docs/rules.md, "Rule tests")."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from kefu.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "policies"
FAILING = DATA / "refund_failing_test.yaml"
PASSING = DATA / "refund_test.yaml"
BAD_AMOUNT = "input 'claimed_amount': bad amount '12.345': more than two decimal places (amounts are exact to the fen)"


def test_text_points_at_the_bad_value_and_shows_the_trace_of_a_failing_case(capsys):
    assert main(["test", str(FAILING)]) == 1
    out = capsys.readouterr().out
    # The suite checked against its policy: the value itself, with the source line and a caret.
    assert (f"{FAILING}:10:29: error: {BAD_AMOUNT}\n"
            '        input: {claimed_amount: "12.345"}\n'
            "                                ^\n") in out
    # What differs, then how the policy decided.
    assert ("FAIL " + str(FAILING) + ":5: wrong expectation\n"
            "    decision: expected refund, got deny\n"
            "    rule: expected R-QUALITY-7D, got default\n"
            "    trace:\n"
            "      policy refund-test v1 (hit policy first)\n"
            "      decision: decision=deny, reason=no rule applies\n") in out
    assert "            false  days_since_purchase in [0..7]   (days_since_purchase=8)\n" in out
    assert out.splitlines()[-1] == "1 suites: 0 passed, 2 failed, 1 could not run"


def test_k_selects_cases_by_name_suite_or_file(capsys):
    assert main(["test", "-k", "WRONG", str(FAILING)]) == 1
    out = capsys.readouterr().out
    assert "2 cases" not in out and f"{FAILING}: 1 cases, 0 passed, 1 failed" in out
    assert out.splitlines()[-1] == "1 suites: 0 passed, 1 failed, 1 deselected, 1 could not run"
    assert main(["test", "-k", "Day", str(PASSING)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 suites: 2 passed, 0 failed, 2 deselected"
    assert main(["test", "-k", "no such case", str(PASSING)]) == 1
    assert capsys.readouterr().err == "kefu: error: -k 'no such case' selects none of the 4 cases\n"


def test_json_report(capsys):
    assert main(["test", "--format", "json", str(FAILING), str(PASSING)]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert (doc["passed"], doc["failed"], doc["deselected"], doc["ok"]) == (4, 2, 0, False)
    failing = next(s for s in doc["suites"] if s["file"] == str(FAILING))
    assert [(e["line"], e["column"], e["id"], e["message"]) for e in failing["errors"]] == [
        (10, 29, "kefu.rules.bad_value", BAD_AMOUNT)]
    wrong = failing["cases"][0]
    assert (wrong["name"], wrong["line"], wrong["passed"], wrong["rules"]) == ("wrong expectation", 5, False, ["default"])
    assert wrong["differences"] == [
        {"what": "decision", "expected": "refund", "actual": "deny"},
        {"what": "rule", "expected": "R-QUALITY-7D", "actual": "default"}]
    assert wrong["trace"].startswith("policy refund-test v1 (hit policy first)\n")
    assert failing["cases"][1]["differences"] == [{"what": "error", "expected": "", "actual": BAD_AMOUNT}]
    assert failing["cases"][1]["trace"] is None
    assert all(c["trace"] is None for s in doc["suites"] if s["file"] == str(PASSING) for c in s["cases"])
    assert doc["coverage"] == [{"policy": "refund-test", "file": str(DATA / "refund.yaml"), "rules": 4, "reached": 3,
                                "not_reached": [{"rule": "R-LARGE", "line": 32}]}]


def test_junit_report(capsys):
    assert main(["test", "--format", "junit", str(FAILING), str(PASSING)]) == 1
    root = ET.fromstring(capsys.readouterr().out)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("6", "2", "1")
    suites = {s.get("file"): s for s in root.iter("testsuite")}
    failing = suites[str(FAILING)]
    assert (failing.get("tests"), failing.get("failures"), failing.get("errors")) == ("2", "2", "1")
    assert float(failing.get("time")) >= 0
    cases = failing.findall("testcase")
    check = cases[0].find("error")
    assert (cases[0].get("line"), check.get("type"), check.get("message")) == ("10", "kefu.rules.bad_value", BAD_AMOUNT)
    wrong = next(c for c in cases if c.get("name") == "wrong expectation")
    assert (wrong.get("file"), wrong.get("line")) == (str(FAILING), "5")
    failure = wrong.find("failure")
    assert failure.get("message") == "decision: expected refund, got deny; rule: expected R-QUALITY-7D, got default"
    assert "policy refund-test v1 (hit policy first)" in failure.text
    passing = suites[str(PASSING)]
    assert [c.find("failure") for c in passing.findall("testcase")] == [None] * 4
    assert passing.find("system-out").text == "coverage: policy refund-test: 3/4 rules reached\n"
