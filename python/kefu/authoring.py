"""What rule authors run: ``kefu lint``, ``kefu test`` (its runner in _rule_tests.py, findings in _findings.py),
``kefu test --mutate`` and ``kefu explain``.

Every finding carries file, line and column, so editors and CI can point at it.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any, Iterable, TextIO

from .i18n import localize_error, tr

from ._core import (
    Calendar,
    Error,
    Deadline,
    DecisionPolicy,
    KpiTargets,
    Policy,
    RuleSuite,
    Scorecard,
    MutationReport,
    PartialDecision,
    PartialTriage,
    TriageResult,
    describe_rules_file,
    load_facts,
    mutate_policy,
    load_facts_text,
)

__all__ = [
    "CaseOutcome", "Finding", "HORIZON_WARNING_DAYS", "MUTATION_KINDS", "PolicyCoverage", "RULES_SCHEMAS", "SuiteOutcome",
    "TestReport", "explain", "facts_json_schema", "format_findings", "format_mutations", "lint", "mutate",
    "partial_triage_json", "read_facts", "rules_schema_path", "run_tests", "suites_for", "triage_json", "yaml_files",
]


from ._findings import Finding, _from_error, _source_line, yaml_files  # noqa: E402  (re-exported)
from ._rule_tests import CaseOutcome, PolicyCoverage, SuiteOutcome, TestReport, run_tests  # noqa: E402  (re-exported)

#: How many days before a calendar's official data ends ``kefu lint`` starts to warn.
HORIZON_WARNING_DAYS = 60

MUTATION_KINDS = ("bound", "and_or", "drop_condition", "output", "keyword", "set_item")


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


def _key(f: Finding) -> tuple:
    return (f.id, str(Path(f.file).resolve()) if f.file else None, f.line, f.column, f.message)


def lint(paths: Iterable[str | os.PathLike[str]], today: _dt.date | None = None) -> list[Finding]:
    """Check rules files as loading checks them, and more.

    Every rules directory among ``paths`` (a directory holding a ``facts:`` file, at or below a directory
    given) is loaded as :meth:`Policy.load` loads it: the facts vocabulary, every policy, calendar, KPI
    targets and scorecard file, and the rule tests, with the same errors (id, file, line, column), so lint
    refuses exactly what loading refuses. Each file is also loaded on its own, so the first error of every
    broken file is reported, not only the first of the directory; policies add the static analyses
    (unreachable rules, overlaps, gaps) as warnings. Each diagnostic is reported once. With `today`,
    calendars whose official data ends within 60 days of it get a ``calendar-horizon`` warning (the CLI
    passes the date it runs on; the library never reads the clock)."""
    paths = list(paths)
    findings: list[Finding] = []
    seen: set[tuple] = set()

    def add(finding: Finding) -> None:
        if _key(finding) not in seen:
            seen.add(_key(finding))
            findings.append(finding)

    policies: dict[Path, DecisionPolicy] = {}

    def policy_at(path: str | Path) -> DecisionPolicy:
        key = Path(path).resolve()
        if key not in policies:
            policies[key] = DecisionPolicy.load(path)
        return policies[key]

    kinds: dict[Path, str] = {}
    for path in yaml_files(paths):
        try:
            kinds[path] = describe_rules_file(path).kind
        except Error as e:
            add(_from_error(e, path))
    given = [Path(p).resolve() for p in paths if Path(p).is_dir()]
    rules_dirs = sorted({f.parent.resolve() for f, kind in kinds.items() if kind == "facts"
                         and any(f.resolve().is_relative_to(g) for g in given)})

    def in_rules_dir(path: Path) -> bool:
        return any(path.resolve().is_relative_to(d) for d in rules_dirs)

    for path, kind in kinds.items():
        try:
            if kind == "policy":
                policy = policy_at(path)
                for w in policy.warnings:
                    add(Finding(w.file, w.line or None, w.column or None, "warning", w.message,
                                w.rule_id or None, w.check, _source_line(w.file, w.line)))
            elif kind == "calendar":
                calendar = Calendar.load(path)
                if today is not None:
                    horizon = _horizon_finding(calendar, path, today)
                    if horizon is not None:
                        add(horizon)
            elif kind == "suite":
                suite = RuleSuite.load(path)
                suite.check(policy_at(suite.policy_path))
            elif kind in ("targets", "scorecard") and not in_rules_dir(path):
                # Inside a rules directory, a targets file's `calendar:` names mean the directory's calendars:
                # the directory load below checks it as loading does.
                (KpiTargets if kind == "targets" else Scorecard).load(path)
        except Error as e:
            add(_from_error(e, path))
    for directory in rules_dirs:
        try:
            Policy.load(directory)
        except Error as e:
            add(_from_error(e, directory))
    return findings


def format_findings(findings: list[Finding], files: int, fmt: str, out: TextIO, lang: str = "en") -> None:
    """`kefu lint`'s output: each finding (its message in `lang`; location, severity word and check kept in
    English for editors' problem matchers) and a summary line in `lang`; or JSON, whose ``message`` stays
    English (tools match on ``id``), with ``message_zh`` added to each diagnostic when `lang` is ``"zh"``."""
    if fmt == "json":
        diagnostics = [asdict(f) for f in findings]
        if lang == "zh":
            for d, f in zip(diagnostics, findings):
                d["message_zh"] = localize_error(f.message, f.id, lang)
        json.dump({"files": files, "diagnostics": diagnostics}, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    for f in findings:
        out.write(f"{f.text(lang)}\n{f.caret()}")
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    out.write(tr("lint.summary", lang, errors=errors, es="s" * (errors != 1), warnings=warnings, ws="s" * (warnings != 1),
                 files=files, fs="s" * (files != 1)) + "\n")


def mutate(paths: Iterable[str | os.PathLike[str]], kinds: Iterable[str] | None = None) -> list[MutationReport]:
    """Mutation testing (``kefu test --mutate``): every policy that a rule-test suite under paths tests, run
    with each of its mutants (of `kinds`, default all of MUTATION_KINDS) against all its suites. Raises the
    first failing case (PolicyError, kefu.rules.rule_test) when a suite fails on the policy as written, and a
    file's load error."""
    by_policy: dict[str, list] = {}
    for path in yaml_files(paths):
        if describe_rules_file(path).kind != "suite":
            continue
        suite = RuleSuite.load(path)
        by_policy.setdefault(suite.policy_path, []).append(suite)
    chosen = list(kinds or [])
    return [mutate_policy(policy, suites, chosen) for policy, suites in by_policy.items()]


def format_mutations(reports: list[MutationReport], fmt: str, out: TextIO, lang: str = "en") -> int:
    """Writes the mutation reports (text in `lang`, or json). Returns how many mutants survived."""
    rows = [(r, r.mutants) for r in reports]
    survived = sum(m.status == "survived" for _, ms in rows for m in ms)
    if fmt == "json":
        doc = {
            "mutants": sum(len(ms) for _, ms in rows),
            "killed": sum(m.status == "killed" for _, ms in rows for m in ms),
            "survived": survived,
            "invalid": sum(m.status == "invalid" for _, ms in rows for m in ms),
            "policies": [{
                "policy_file": r.policy_file, "suites": list(r.suite_files), "cases": r.cases,
                "mutants": [{"kind": m.kind, "rule": m.rule_id, "change": m.change, "file": m.file, "line": m.line,
                             "column": m.column, "status": m.status, "detail": m.detail} for m in ms],
            } for r, ms in rows],
        }
        json.dump(doc, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return survived
    total = killed = invalid = 0
    for r, ms in rows:
        k = sum(m.status == "killed" for m in ms)
        v = sum(m.status == "invalid" for m in ms)
        s = len(ms) - k - v
        total, killed, invalid = total + len(ms), killed + k, invalid + v
        out.write(tr("mutate.policy", lang, file=r.policy_file, mutants=len(ms), killed=k, survived=s)
                  + (tr("mutate.invalid", lang, count=v) if v else "") + tr("mutate.cases", lang, cases=r.cases) + "\n")
        for m in ms:
            if m.status == "survived":
                rule = f"{m.rule_id}: " if m.rule_id else ""
                out.write(tr("mutate.survived", lang, where=f"{m.file}:{m.line}:{m.column}", kind=m.kind, rule=rule,
                             change=m.change) + "\n")
    out.write(tr("mutate.total", lang, mutants=total, killed=killed, survived=survived)
              + (tr("mutate.invalid", lang, count=invalid) if invalid else "")
              + tr("mutate.all_caught" if survived == 0 else "mutate.some_survive", lang) + "\n")
    return survived


def suites_for(policy_path: str | os.PathLike[str], paths: Iterable[str | os.PathLike[str]]) -> list[str]:
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


def read_facts(source: str | os.PathLike[str]) -> dict[str, str]:
    """Facts from a YAML file (a mapping of name to value, or a case with ``input:``), or from standard input
    when `source` is ``-``."""
    if str(source) == "-":
        import sys

        return dict(load_facts_text(sys.stdin.read(), "<stdin>"))
    return dict(load_facts(source))


def explain(policy_path: str | os.PathLike[str], facts_path: str | os.PathLike[str], fmt: str = "text") -> str:
    """The decision for a facts file (``-``: standard input) with every condition the policy evaluated; `fmt`
    ``json`` gives it as a JSON document (outputs, rules, and per rule each condition with its result and
    the values it read). Facts that leave inputs out are explained as far as they go: the inputs not given,
    the decision if they cannot change it, else each rule that could still decide and what it would give,
    and every rule as firing, not firing or could fire (with the missing inputs it needs)."""
    policy = DecisionPolicy.load(policy_path)
    facts = read_facts(facts_path)
    partial = policy.evaluate_partial(facts)
    if partial.missing:  # inputs left out: what the given ones settle, and which rules could still fire
        if fmt != "json":
            return partial.explain()
        doc = {"policy": policy.name, "version": policy.version, "file": policy.file, "complete": False,
               **_partial_json(partial)}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    decision = policy.evaluate(facts, trace=True)
    if fmt != "json":
        return decision.explain()
    rules: dict[str, list[dict]] = {}
    for rule_id, c in decision.trace or []:
        rules.setdefault(rule_id, []).append({"condition": c.text, "result": c.result, "reads": dict(c.reads),
                                              "words": list(c.words), "discounted": list(c.discounted)})
    doc = {"policy": policy.name, "version": policy.version, "file": policy.file, "complete": True,
           "outputs": {k: _json_value(v) for k, v in decision.outputs.items()},
           "rules": list(decision.rule_ids), "by_default": decision.by_default,
           "trace": [{"rule": r, "fired": r in decision.rule_ids, "conditions": cs} for r, cs in rules.items()]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _json_value(v: object) -> object:
    """A decided value as JSON: text for money, durations and instants (exact), lists for sets."""
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, (list, tuple, set, frozenset)):
        return [_json_value(x) for x in v]
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)


def triage_json(result: TriageResult) -> str:
    """A triage result as a JSON document (``kefu triage --format json``): deadlines in ISO 8601 with their
    zone, every decision with the rule that made it."""
    def deadline(d: Deadline | None) -> dict[str, Any] | None:
        if d is None:
            return None
        return {"what": d.what, "within": d.within, "calendar": d.calendar, "due": d.due.isoformat(),
                "rule_id": d.rule_id, "source": d.source, "provisional": d.provisional}

    doc = {
        "risk": {"level": result.risk.level,
                 "signals": [{"rule_id": s.rule_id, "level": s.level, "words": list(s.words)} for s in result.risk.signals]},
        "tier": result.tier, "tier_rules": list(result.tier_rules), "owners": list(result.owners),
        "deadlines": {"first_response": deadline(result.deadlines.first_response),
                      "resolution": deadline(result.deadlines.resolution),
                      "follow_up": deadline(result.deadlines.follow_up)},
        "targets": [deadline(t) for t in result.targets],
        "follow_up_required": result.follow_up_required, "report_required": result.report_required,
        "priority_routing": result.priority_routing,
        "customer_tier": result.customer_tier, "customer_tier_computed": result.customer_tier_computed,
        "refund": {"decision": result.refund.decision, "rule_id": result.refund.rule_id,
                   "reason": result.refund.reason, "source": result.refund.source},
        "days_since_purchase": result.days_since_purchase,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _partial_json(partial: PartialDecision) -> dict[str, Any]:
    return {"settled": partial.settled, "missing": list(partial.missing),
            "outputs": None if partial.outputs is None else {k: _json_value(v) for k, v in partial.outputs.items()},
            "rules": list(partial.rule_ids),
            "candidates": [{"rule": rule, "outputs": {k: _json_value(v) for k, v in outputs.items()}}
                           for rule, outputs in partial.candidates],
            "conflicts": list(partial.conflicts),
            "trace": [{"rule": rule, "status": status, "needs": list(needs)} for rule, status, needs in partial.rules]}


def partial_triage_json(t: PartialTriage) -> str:
    """A triage on partial facts as JSON (``kefu triage --format json`` when required facts are left out): the
    facts not given, the values the risk level, tier and refund decision can still take, and each policy's
    partial decision."""
    def chained(values: list[str]) -> dict[str, Any]:
        return {"settled": len(values) == 1, "possible": list(values)}

    doc = {"complete": False, "missing": list(t.missing), "risk_level": chained(t.risk_levels),
           "tier": chained(t.tiers), "refund_decision": chained(t.refund_decisions),
           "policies": {name: _partial_json(d) for name, d in t.policies.items()}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


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


# The JSON Schemas of rules files that ship with kefu (docs/schema/README.md), by the name `kefu schema` takes.
RULES_SCHEMAS = ("policy", "calendar", "suite", "targets", "scorecard", "vocabulary", "clocks", "rules")


def rules_schema_path(kind: str) -> Path:
    """The shipped JSON Schema of a kind of rules file (RULES_SCHEMAS): in the installed package,
    kefu/docs/schema/KIND.schema.json (next to kefu/rules, so a rules file's modeline
    ``$schema=../docs/schema/KIND.schema.json`` resolves there too), else the checkout's docs/schema."""
    if kind not in RULES_SCHEMAS:
        raise ValueError(f"unknown schema {kind!r} (expected {', '.join(RULES_SCHEMAS)})")
    name = f"{kind}.schema.json"
    installed = Path(__file__).resolve().parent / "docs" / "schema" / name
    if installed.is_file():
        return installed
    checkout = Path(__file__).resolve().parents[2] / "docs" / "schema" / name
    if checkout.is_file():
        return checkout
    raise FileNotFoundError(f"{name} is not installed with kefu (looked in {installed.parent} and {checkout.parent})")


def facts_json_schema(policy: Policy) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the facts a triage accepts, generated from the vocabulary.

    Derived facts are left out (giving them is an error); personal fields are marked."""
    properties: dict[str, dict[str, Any]] = {}
    required: list[str] = []
    for f in policy.facts:
        if f.derived:
            continue
        if f.type == "enum":
            prop: dict[str, Any] = {"enum": list(f.values)}
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
