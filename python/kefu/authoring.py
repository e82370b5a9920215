"""What rule authors run: ``kefu lint``, ``kefu test`` and ``kefu explain``.

Every finding carries file, line and column, so editors and CI can point at it.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, TextIO

from ._core import (
    Calendar,
    Error,
    DecisionPolicy,
    Policy,
    RuleSuite,
    describe_rules_file,
    load_facts,
)


@dataclass
class Finding:
    """One error or warning of ``kefu lint``."""

    file: str
    line: int | None
    column: int | None
    severity: str  # "error" | "warning"
    message: str
    rule_id: str | None = None
    check: str | None = None
    source_line: str | None = None  # the line of the file the finding points at
    id: str | None = None  # the error's stable id (docs/errors.md), or "kefu.lint.<check>" for a warning

    def __post_init__(self) -> None:
        if self.id is None and self.check:
            self.id = f"kefu.lint.{self.check.replace('-', '_')}"

    def caret(self) -> str:
        """The source line and a caret under the column, as compilers show them (wide CJK characters
        take two columns in a terminal)."""
        if self.source_line is None:
            return ""
        text = self.source_line.rstrip("\n")
        if not self.column:
            return f"    {text}\n"
        width = sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text[: self.column - 1])
        return f"    {text}\n    {' ' * width}^\n"

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        rule = f"rule {self.rule_id}: " if self.rule_id else ""
        check = f" [{self.check}]" if self.check else ""
        return f"{where}: {self.severity}: {rule}{self.message}{check}"


def yaml_files(paths: Iterable[str | Path]) -> list[Path]:
    """Every *.yaml / *.yml file named or below the directories named, sorted, without duplicates."""
    found: set[Path] = set()
    for p in map(Path, paths):
        if p.is_dir():
            found.update(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml") and q.is_file())
        elif p.exists():
            found.add(p)
        else:
            raise FileNotFoundError(f"no such file or directory: {p}")
    return sorted(found)


def _source_line(file: str, line: int | None) -> str | None:
    if not line:
        return None
    try:
        lines = Path(file).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return lines[line - 1] if 0 < line <= len(lines) else None


def _from_error(e: Error, path: Path) -> Finding:
    file = e.file or str(path)
    return Finding(file, e.line, e.column, "error", e.detail or str(e), e.rule_id, None, _source_line(file, e.line),
                   getattr(e, "id", None))


#: How many days before a calendar's official data ends ``kefu lint`` starts to warn.
HORIZON_WARNING_DAYS = 60


def _horizon_finding(calendar: Calendar, path: Path, today: _dt.date) -> Finding | None:
    """A warning when the calendar's official data ends within HORIZON_WARNING_DAYS of `today` (DOM-SLA-8),
    pointing at the line that sets where the data ends (`official_until`, `range` or `extends`)."""
    message = calendar.horizon_warning(today, HORIZON_WARNING_DAYS)
    if message is None:
        return None
    line = column = None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    for key in ("official_until", "range", "extends", "calendar"):
        for number, text in enumerate(lines, 1):
            match = re.match(rf"({key})\s*:", text)
            if match:
                line, column = number, 1
                break
        if line:
            break
    return Finding(str(path), line, column, "warning", message, None, "calendar-horizon", _source_line(str(path), line))


def lint(paths: Iterable[str | Path], today: _dt.date | None = None) -> list[Finding]:
    """Load every rules file with all checks; errors stop a file, warnings do not. Rule-test files are run
    against the policy they name (a failing case is an error with id ``kefu.rules.rule_test``), and every
    rules directory among ``paths`` (a directory holding a ``facts:`` file) is loaded as :meth:`Policy.load`
    loads it — the same checks, its rule tests included — so lint refuses exactly what loading refuses.
    With `today`, calendars whose official data ends within 60 days of it get a `calendar-horizon`
    warning (the CLI passes the date it runs on; the library never reads the clock)."""
    paths = list(paths)
    findings: list[Finding] = []
    policies: dict[Path, DecisionPolicy] = {}

    def policy_at(path: str | Path) -> DecisionPolicy:
        key = Path(path).resolve()
        if key not in policies:
            policies[key] = DecisionPolicy.load(path)
        return policies[key]

    facts_files: list[Path] = []
    for path in yaml_files(paths):
        try:
            kind = describe_rules_file(path).kind
            if kind == "policy":
                policy = policy_at(path)
                for w in policy.warnings:
                    findings.append(Finding(w.file, w.line or None, w.column or None, "warning", w.message,
                                            w.rule_id or None, w.check, _source_line(w.file, w.line)))
            elif kind == "calendar":
                calendar = Calendar.load(path)
                if today is not None:
                    horizon = _horizon_finding(calendar, path, today)
                    if horizon is not None:
                        findings.append(horizon)
            elif kind == "suite":
                suite = RuleSuite.load(path)
                suite.check(policy_at(suite.policy_path))
            elif kind == "facts":
                facts_files.append(path)
        except Error as e:
            findings.append(_from_error(e, path))
    # Rules directories as a whole: the directory of each facts file found below a directory given.
    given = [Path(p).resolve() for p in paths if Path(p).is_dir()]
    seen = {(f.id, f.file, f.line, f.column, f.message) for f in findings}
    for directory in sorted({f.parent for f in facts_files if any(f.resolve().is_relative_to(g) for g in given)}):
        try:
            Policy.load(directory)
        except Error as e:
            finding = _from_error(e, directory)
            if (finding.id, finding.file, finding.line, finding.column, finding.message) not in seen:
                findings.append(finding)
    return findings


def format_findings(findings: list[Finding], files: int, fmt: str, out: TextIO) -> None:
    if fmt == "json":
        json.dump({"files": files, "diagnostics": [asdict(f) for f in findings]}, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    for f in findings:
        out.write(f"{f}\n{f.caret()}")
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    out.write(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} in {files} file{'s' * (files != 1)}\n")


@dataclass
class PolicyCoverage:
    policy: str
    file: str
    reached: set[str] = field(default_factory=set)
    rules: list[tuple[str, int]] = field(default_factory=list)  # (id, line)

    @property
    def unreached(self) -> list[tuple[str, int]]:
        return [(rid, line) for rid, line in self.rules if rid not in self.reached]


@dataclass
class TestReport:
    suites: int = 0
    passed: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    coverage: dict[str, PolicyCoverage] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.failed == 0 and not self.errors


def run_tests(paths: Iterable[str | Path], out: TextIO) -> TestReport:
    """Run every rule-test suite found under paths and print failures with a diff, then coverage."""
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
            out.write(f"ERROR {e}\n")
            continue
        policy = policies[suite.policy_path]
        cov = report.coverage.setdefault(
            suite.policy_path, PolicyCoverage(policy.name, suite.policy_path, rules=[(r.id, r.line) for r in policy.rules])
        )
        result = suite.run(policy)
        report.suites += 1
        report.passed += result.passed
        report.failed += result.failed
        out.write(f"{path}: {len(suite.cases)} cases, {result.passed} passed, {result.failed} failed\n")
        for r in result.cases:
            cov.reached.update(r.actual_rules)
            if r.passed:
                continue
            case = suite.cases[r.index]
            out.write(f"FAIL {path}:{case.line}: {case.name}\n")
            for what, expected, actual in r.differences:
                if what == "error":
                    out.write(f"    error: {actual}\n")
                else:
                    out.write(f"    {what}: expected {expected}, got {actual}\n")
    for cov in report.coverage.values():
        unreached = cov.unreached
        n = len(cov.rules)
        out.write(f"coverage: policy {cov.policy} ({cov.file}): {n - len(unreached)}/{n} rules reached")
        if unreached:
            out.write("; not reached: " + ", ".join(f"{rid} (line {line})" for rid, line in unreached))
        out.write("\n")
    out.write(
        f"{report.suites} suites: {report.passed} passed, {report.failed} failed"
        + (f", {len(report.errors)} could not run" if report.errors else "")
        + "\n"
    )
    return report


def suites_for(policy_path: str | Path, paths: Iterable[str | Path]) -> list[str]:
    """The rule-test files under paths whose `policy:` is this policy file."""
    target = Path(policy_path).resolve()
    found = []
    for path in yaml_files(paths):
        try:
            if describe_rules_file(path).kind == "suite" and Path(RuleSuite.load(path).policy_path).resolve() == target:
                found.append(str(path))
        except Error:
            continue  # a broken suite file is lint's business, not this lookup's
    return found


def explain(policy_path: str | Path, facts_path: str | Path) -> str:
    """The decision for a facts file with every condition the policy evaluated."""
    policy = DecisionPolicy.load(policy_path)
    facts = dict(load_facts(facts_path))
    return policy.evaluate(facts, trace=True).explain()


_JSON_TYPES = {
    "bool": {"type": "boolean"},
    "int": {"type": "integer"},
    "decimal": {"oneOf": [{"type": "number"}, {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]{1,6})?$"}]},
    "money": {
        "description": "yuan, exact to the fen: text such as \"1000.50\" (or a whole number of yuan)",
        "oneOf": [{"type": "integer"}, {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]{1,2})?$"}],
    },
    "duration": {"type": "string", "examples": ["90s", "10min", "2h"]},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time", "description": "ISO 8601; without an offset, +08:00"},
    "text": {"type": "string"},
}


def facts_json_schema(policy) -> dict:
    """JSON Schema (draft 2020-12) of the facts a triage accepts, generated from the vocabulary.

    Derived facts are left out (giving them is an error); personal fields are marked."""
    properties: dict[str, dict] = {}
    required = []
    for f in policy.facts:
        if f.derived:
            continue
        if f.type == "enum":
            prop: dict = {"enum": list(f.values)}
        elif f.type == "set":
            prop = {"type": "array", "items": {"enum": list(f.values)}, "uniqueItems": True}
        else:
            prop = dict(_JSON_TYPES[f.type])
        if f.non_negative and f.type == "int":
            prop["minimum"] = 0
        elif f.non_negative and f.type == "money":
            prop["oneOf"] = [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": r"^[0-9]+(\.[0-9]{1,2})?$"}]
        notes = [f.description] if f.description else []
        if f.personal:
            notes.append("personal data: never printed in clear (DOM-PRIV-1)")
        if f.default is not None:
            notes.append(f"default {f.default!r}")
        if notes:
            prop["description"] = "; ".join(n for n in [prop.get("description", "")] + notes if n)
        properties[f.name] = prop
        if f.required:
            required.append(f.name)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://kefu.invalid/schema/facts.schema.json",
        "title": "kefu ticket facts",
        "description": "The facts of one complaint ticket, as kefu's triage reads them (docs/requirements.md §10). "
        "Generated from rules/facts.yaml by `kefu schema facts`; do not edit by hand.",
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
