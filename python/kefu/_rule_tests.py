"""``kefu test``: the rule tests of a rules directory run, with coverage per policy, in text, JSON or JUnit.
Internal: use :mod:`kefu.authoring`, which re-exports it."""

from __future__ import annotations

import json
import os
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from dataclasses import asdict, dataclass, field
from typing import Iterable, TextIO

from ._core import DecisionPolicy, Error, RuleSuite, describe_rules_file
from ._findings import Finding, _from_error, yaml_files
from ._explain_zh import localize_explanation
from .i18n import localize_error, tr

@dataclass
class PolicyCoverage:
    """Which rules of one policy the rule tests reach (``kefu test --require-coverage``)."""

    policy: str
    file: str
    reached: set[int] = field(default_factory=set)  # indices into the policy's rules
    rules: list[tuple[str, int]] = field(default_factory=list)  # (id, line), by index

    @property
    def unreached(self) -> list[tuple[str, int]]:
        """Rules no case reached, (id, line) in file order; each version's rules count on their own (DOM-RULE-1)."""
        return [rule for i, rule in enumerate(self.rules) if i not in self.reached]


@dataclass
class CaseOutcome:
    """One case of a rule-test run."""

    name: str
    line: int
    passed: bool
    differences: list[tuple[str, str, str]]  # (what, expected, actual); what == "error" for a case that cannot run
    actual_rules: list[str]
    trace: str | None = None  # the decision's explanation, for a failing case


@dataclass
class SuiteOutcome:
    """One suite of a rule-test run: its cases (those -k selected) and how long running them took."""

    file: str
    name: str
    policy: str
    policy_file: str
    cases: list[CaseOutcome] = field(default_factory=list)
    seconds: float = 0.0
    problems: list[Finding] = field(default_factory=list)  # the suite checked against its policy (types, names)


@dataclass
class TestReport:
    """What ``kefu test`` found: suites run, cases passed and failed, errors, coverage per policy."""

    suites: int = 0
    passed: int = 0
    failed: int = 0
    deselected: int = 0
    errors: list[str] = field(default_factory=list)
    coverage: dict[str, PolicyCoverage] = field(default_factory=dict)
    results: list[SuiteOutcome] = field(default_factory=list)
    broken: list[Finding] = field(default_factory=list)  # files that do not load (a suite or its policy)

    @property
    def ok(self) -> bool:
        """Whether every case passed and every file loaded."""
        return self.failed == 0 and not self.errors


def _selected(pattern: str | None, suite_file: str, suite_name: str, case_name: str) -> bool:
    """-k: a case runs when the pattern is part of its name, its suite's name or its suite's file (any case)."""
    if not pattern:
        return True
    p = pattern.casefold()
    return any(p in text.casefold() for text in (case_name, suite_name, suite_file))


def run_tests(paths: Iterable[str | os.PathLike[str]], out: TextIO, fmt: str = "text", pattern: str | None = None,
              lang: str = "en") -> TestReport:
    """Run every rule-test suite found under paths (``kefu test``).

    Each suite is first checked against its policy (names, values, rule ids: an error at the entry's own
    line and column), then its cases run; a case that cannot run fails with the reason and the others still
    run. `pattern` (``-k``) selects the cases whose name, suite name or suite file contains it (ignoring
    case). `fmt` is ``text`` (failures with the case's line, what differs and the decision's trace, then
    coverage), ``json`` or ``junit`` (JUnit XML, which CI systems read)."""
    report = TestReport()
    policies: dict[str, DecisionPolicy] = {}
    for path in yaml_files(paths):
        try:
            if describe_rules_file(path).kind != "suite":
                continue
            suite = RuleSuite.load(path)
            if suite.policy_path not in policies:
                policies[suite.policy_path] = DecisionPolicy.load(suite.policy_path)
        except Error as e:
            report.errors.append(str(e))
            report.broken.append(_from_error(e, path))
            continue
        policy = policies[suite.policy_path]
        chosen = [i for i, c in enumerate(suite.cases) if _selected(pattern, str(path), suite.name, c.name)]
        report.deselected += len(suite.cases) - len(chosen)
        if not chosen:
            continue
        outcome = SuiteOutcome(str(path), suite.name, policy.name, suite.policy_path)
        try:
            suite.check_types(policy)
        except Error as e:
            outcome.problems.append(_from_error(e, path))
            report.errors.append(str(e))
        cov = report.coverage.setdefault(
            suite.policy_path, PolicyCoverage(policy.name, suite.policy_path, rules=[(r.id, r.line) for r in policy.rules])
        )
        started = time.perf_counter()
        result = suite.run(policy)
        outcome.seconds = time.perf_counter() - started
        report.suites += 1
        for r in result.cases:
            if r.index not in chosen:
                continue
            case = suite.cases[r.index]
            cov.reached.update(r.actual_rule_indices)
            trace = None
            if not r.passed:
                try:
                    trace = policy.evaluate(dict(case.input), trace=True).explain()
                except Error:
                    trace = None  # the reason is already the case's error
            outcome.cases.append(CaseOutcome(case.name, case.line, r.passed, [tuple(d) for d in r.differences],
                                             list(r.actual_rules), trace))
            report.passed += r.passed
            report.failed += not r.passed
        report.results.append(outcome)
    if fmt == "text":
        _tests_text(report, out, lang)
    else:
        {"json": _tests_json, "junit": _tests_junit}[fmt](report, out)
    return report


def _difference(what: str, expected: str, actual: str, lang: str) -> str:
    """One line of what a failing case got wrong, in `lang` (a case's error: the core's message, translated)."""
    if what == "error":
        return tr("test.error", lang, actual=localize_error(actual, None, lang))
    if lang == "zh":
        words = {"(not set)": "（未设置）", "fires": "触发", "does not fire": "未触发"}
        what = "触发的规则" if what == "rule" else f"输出 {what}"
        expected, actual = words.get(expected, expected), words.get(actual, actual)
    return tr("test.differs", lang, what=what, expected=expected, actual=actual)


def _tests_text(report: TestReport, out: TextIO, lang: str = "en") -> None:
    for f in report.broken:
        out.write(f"{f.text(lang)}\n{f.caret()}")
    for s in report.results:
        n_failed = sum(not c.passed for c in s.cases)
        out.write(tr("test.suite", lang, file=s.file, cases=len(s.cases), passed=len(s.cases) - n_failed, failed=n_failed,
                     ms=f"{s.seconds * 1000:.1f}") + "\n")
        for f in s.problems:
            out.write(f"{f.text(lang)}\n{f.caret()}")
        for c in s.cases:
            if c.passed:
                continue
            out.write(tr("test.fail", lang, where=f"{s.file}:{c.line}", name=c.name) + "\n")
            for what, expected, actual in c.differences:
                out.write(_difference(what, expected, actual, lang) + "\n")
            if c.trace:
                out.write(tr("test.trace", lang) + "\n"
                          + "".join(f"      {line}\n"
                                    for line in localize_explanation(c.trace.rstrip("\n"), lang).splitlines()))
    for cov in report.coverage.values():
        unreached = cov.unreached
        n = len(cov.rules)
        out.write(tr("test.coverage", lang, policy=cov.policy, file=cov.file, reached=n - len(unreached), rules=n))
        if unreached:
            sep = "、" if lang == "zh" else ", "
            out.write(tr("test.unreached", lang,
                         rules=sep.join(tr("test.line", lang, rule=rid, line=line) for rid, line in unreached)))
        out.write("\n")
    out.write(
        tr("test.summary", lang, suites=report.suites, passed=report.passed, failed=report.failed)
        + (tr("test.deselected", lang, count=report.deselected) if report.deselected else "")
        + (tr("test.not_run", lang, count=len(report.errors)) if report.errors else "")
        + "\n"
    )


def _tests_json(report: TestReport, out: TextIO) -> None:
    doc = {
        "passed": report.passed, "failed": report.failed, "deselected": report.deselected, "ok": report.ok,
        "errors": [asdict(f) for f in report.broken],
        "suites": [{
            "file": s.file, "name": s.name, "policy": s.policy, "policy_file": s.policy_file,
            "seconds": round(s.seconds, 6), "errors": [asdict(f) for f in s.problems],
            "cases": [{"name": c.name, "line": c.line, "passed": c.passed, "rules": c.actual_rules,
                       "differences": [{"what": w, "expected": e, "actual": a} for w, e, a in c.differences],
                       "trace": c.trace} for c in s.cases],
        } for s in report.results],
        "coverage": [{"policy": c.policy, "file": c.file, "rules": len(c.rules),
                      "reached": len(c.rules) - len(c.unreached),
                      "not_reached": [{"rule": rid, "line": line} for rid, line in c.unreached]}
                     for c in report.coverage.values()],
    }
    json.dump(doc, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _tests_junit(report: TestReport, out: TextIO) -> None:
    """JUnit XML: a testsuite per suite file, a testcase per case (file and line attributes for the CI's
    annotations), a failure with what differs and the trace; problems and unloadable files are errors."""
    root = ET.Element("testsuites", tests=str(report.passed + report.failed), failures=str(report.failed),
                      errors=str(len(report.errors)))
    for s in report.results:
        failed = sum(not c.passed for c in s.cases)
        suite = ET.SubElement(root, "testsuite", name=s.name, file=s.file, tests=str(len(s.cases)),
                              failures=str(failed), errors=str(len(s.problems)), time=f"{s.seconds:.6f}")
        for f in s.problems:
            case = ET.SubElement(suite, "testcase", classname=s.name, name=f"check {Path(s.file).name}", file=s.file,
                                 line=str(f.line or 0))
            ET.SubElement(case, "error", message=f.message, type=f.id or "kefu.error").text = str(f)
        for c in s.cases:
            case = ET.SubElement(suite, "testcase", classname=s.name, name=c.name, file=s.file, line=str(c.line))
            if not c.passed:
                what = "; ".join(a if w == "error" else f"{w}: expected {e}, got {a}" for w, e, a in c.differences)
                failure = ET.SubElement(case, "failure", message=what, type="kefu.rules.rule_test")
                failure.text = what + ("\n\n" + c.trace if c.trace else "")
        ET.SubElement(suite, "system-out").text = "".join(
            f"coverage: policy {cov.policy}: {len(cov.rules) - len(cov.unreached)}/{len(cov.rules)} rules reached\n"
            for cov in report.coverage.values() if cov.file == s.policy_file)
    if report.broken:
        suite = ET.SubElement(root, "testsuite", name="files that do not load", tests=str(len(report.broken)),
                              failures="0", errors=str(len(report.broken)))
        for f in report.broken:
            case = ET.SubElement(suite, "testcase", classname="load", name=Path(f.file).name, file=f.file,
                                 line=str(f.line or 0))
            ET.SubElement(case, "error", message=f.message, type=f.id or "kefu.error").text = str(f)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n")

