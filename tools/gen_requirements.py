#!/usr/bin/env python3
"""Generate docs/requirements.md: kefu's requirements catalogue with the rules and tests that cite each one.

What: docs/requirements.yaml (written by hand) holds every requirement (`DOM-<area>-<n>`): what it requires,
the handbook clauses it comes from, its status. This script adds, for each requirement, the policy rules whose
`source:` names it (and the other rules files that name it: calendars, facts, KPI files), the rule-test suites
that name it or check one of those rules, and the C++ and Python tests that name it; then it writes the
catalogue and one conformance table per handbook (clause → requirement → rules → tests → status).
Citations: `DOM-REF-1`, ranges `DOM-LC-1…7` (every id from 1 to 7) and alternatives `DOM-SLA-1/7`.
Regenerate: python tools/gen_requirements.py            (writes docs/requirements.md)
Check:      python tools/gen_requirements.py --check    (exit 1 when docs/requirements.md is stale)
Checked by tests/python/test_requirements.py, which also fails when an id cited anywhere in the repository is
missing from the catalogue.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Set, Tuple

import yaml

REPO = Path(__file__).resolve().parents[1]
CATALOGUE = "docs/requirements.yaml"
OUTPUT = "docs/requirements.md"
STATUSES = ("implemented", "partial", "not yet")
# Files that are not citations: the catalogue, its page, this script and its test (they quote ids as examples).
NOT_CITATIONS = {CATALOGUE, OUTPUT, "tools/gen_requirements.py", "tests/python/test_requirements.py"}

# DOM-REF-1, DOM-LC-1…7 (a range), DOM-SLA-1/7 (alternatives), DOM-SLA-2...4.
CITATION = re.compile(r"DOM-([A-Z]+)-(\d+)((?:\s*(?:…|\.\.\.|/)\s*\d+)*)")
TAIL = re.compile(r"(…|\.\.\.|/)\s*(\d+)")


def cited_ids(text: str) -> List[str]:
    """Every requirement id a text cites, in order, ranges expanded (duplicates kept)."""
    ids: List[str] = []
    for m in CITATION.finditer(text):
        area, last = m.group(1), int(m.group(2))
        ids.append(f"DOM-{area}-{last}")
        for sep, number in TAIL.findall(m.group(3)):
            n = int(number)
            if sep == "/":
                ids.append(f"DOM-{area}-{n}")
            else:
                ids.extend(f"DOM-{area}-{i}" for i in range(last + 1, n + 1))
            last = n
    return ids


def id_key(requirement_id: str) -> Tuple[str, int]:
    _, area, number = requirement_id.split("-")
    return area, int(number)


def tracked_files(repo: Path) -> List[str]:
    """The repository's files as git knows them (tracked and new, not ignored)."""
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=repo,
                         capture_output=True, text=True, check=True).stdout
    return sorted(p for p in set(out.splitlines()) if (repo / p).is_file())


def read_text(path: Path) -> Optional[str]:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None


# ---- citations in rules/ and tests/ ----------------------------------------------------------------------


@dataclass
class Citations:
    rules: Dict[str, List[str]] = field(default_factory=lambda: defaultdict(list))  # id → rule ids / files
    rule_sources: Dict[str, str] = field(default_factory=dict)  # rule id → its source text
    suites: Dict[str, Set[str]] = field(default_factory=lambda: defaultdict(set))  # id → rule-test suites
    tests: Dict[str, Set[str]] = field(default_factory=lambda: defaultdict(set))  # id → C++/Python test files
    everywhere: Dict[str, Set[str]] = field(default_factory=lambda: defaultdict(set))  # id → every citing file


def _policy_rules(text: str) -> List[Tuple[str, str]]:
    """(rule id, source) of a policy file's rules; [] for any other rules file."""
    doc = yaml.load(text, Loader=yaml.BaseLoader)  # every scalar as text, as kefu reads YAML
    if not isinstance(doc, dict) or "policy" not in doc or not isinstance(doc.get("rules"), list):
        return []
    return [(str(r["id"]), str(r.get("source", ""))) for r in doc["rules"] if isinstance(r, dict) and "id" in r]


def _suite_rules(text: str) -> Set[str]:
    """The rule ids a rule-test suite expects to decide (`rule:` or `rules:` of its cases)."""
    doc = yaml.load(text, Loader=yaml.BaseLoader)
    if not isinstance(doc, dict) or "suite" not in doc:
        return set()
    expected: Set[str] = set()
    for case in doc.get("cases") or []:
        if isinstance(case, dict):
            if "rule" in case:
                expected.add(str(case["rule"]))
            if isinstance(case.get("rules"), list):  # hit policy collect: every rule that fires
                expected.update(str(r) for r in case["rules"])
    return expected


def collect(repo: Path, files: Optional[Iterable[str]] = None) -> Citations:
    c = Citations()
    suite_expects: Dict[str, Set[str]] = {}
    for rel in files if files is not None else tracked_files(repo):
        if rel in NOT_CITATIONS:
            continue
        text = read_text(repo / rel)
        if text is None:
            continue
        ids = cited_ids(text)
        for i in ids:
            c.everywhere[i].add(rel)
        if rel.startswith("rules/tests/"):
            for i in ids:
                c.suites[i].add(rel)
            if rel.endswith((".yaml", ".yml")):  # (rules/tests/ also holds data, e.g. risk-texts.csv)
                suite_expects[rel] = _suite_rules(text)
        elif rel.startswith("rules/") and rel.endswith((".yaml", ".yml")):
            named: Set[str] = set()
            for rule_id, source in _policy_rules(text):
                c.rule_sources[rule_id] = source
                for i in dict.fromkeys(cited_ids(source)):
                    c.rules[i].append(rule_id)
                    named.add(i)
            for i in dict.fromkeys(ids):  # cited by the file itself (comments, descriptions), not by a rule
                if i not in named:
                    c.rules[i].append(rel)
        elif rel.startswith(("tests/cpp/", "tests/python/")):
            for i in ids:
                c.tests[i].add(rel)
    # A suite checks a requirement when it expects one of the requirement's rules to decide.
    for i, rules in c.rules.items():
        for suite, expected in suite_expects.items():
            if expected & set(rules):
                c.suites[i].add(suite)
    return c


# ---- the document ------------------------------------------------------------------------------------------


def load_catalogue(repo: Path) -> dict:
    return yaml.safe_load((repo / CATALOGUE).read_text(encoding="utf-8"))


def requirements_of(catalogue: dict) -> List[dict]:
    return [r for s in catalogue["sections"] for r in s.get("requirements") or []]


def _clause_pattern(handbook: str, clause: str) -> re.Pattern:
    """How a rule's source names a clause: `002 §3.2` (also naming `002 §3.2.3`, not `002 §3.20`); a clause
    without a number (the topics of 003) by its handbook alone, `003 …`."""
    if clause.startswith("§"):
        return re.compile(re.escape(f"{handbook} {clause}") + r"(?![\d])")
    return re.compile(r"(?<![\d§.])" + re.escape(handbook) + r"(?![\d.])")


def rules_for_clause(req: dict, handbook: str, clause: str, c: Citations) -> List[str]:
    """The rules of a requirement listed against one of its clauses: those whose source names that clause
    (or a clause below it), and those that name none of the requirement's clauses."""
    patterns = [_clause_pattern(cl["handbook"], cl["clause"]) for cl in req["clauses"]]
    mine = _clause_pattern(handbook, clause)
    out = []
    for rule in c.rules.get(req["id"], []):
        source = c.rule_sources.get(rule, "")
        if not any(p.search(source) for p in patterns) or mine.search(source):
            out.append(rule)
    return out


def _code(items: Iterable[str]) -> str:
    items = list(items)
    return ", ".join(f"`{i}`" for i in items) if items else "—"


def tests_of(req_id: str, c: Citations) -> List[str]:
    return sorted(c.suites.get(req_id, set())) + sorted(c.tests.get(req_id, set()))


def _clause_key(clause: str) -> Tuple[int, Tuple[int, ...], str]:
    if clause.startswith("§"):
        return 0, tuple(int(n) for n in re.findall(r"\d+", clause)), clause
    return 1, (), clause


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render(catalogue: dict, c: Citations) -> str:
    handbooks = {h["key"]: h for h in catalogue["handbooks"]}
    reqs = requirements_of(catalogue)
    out: List[str] = []
    w = out.append
    w("<!-- Generated by tools/gen_requirements.py from docs/requirements.yaml and the citations in rules/ and")
    w("     tests/; do not edit by hand (tests/python/test_requirements.py checks it is current). -->")
    w("")
    w("# Requirements")
    w("")
    w(catalogue["intro"].rstrip())
    w("")
    counts = {s: sum(1 for r in reqs if r["status"] == s) for s in STATUSES}
    w(f"{len(reqs)} requirements: " + ", ".join(f"{n} {s}" for s, n in counts.items()) + ".")
    w("")
    w("## The handbooks")
    w("")
    w("| key | handbook | what it is | how its clauses are numbered |")
    w("| --- | --- | --- | --- |")
    for key, h in handbooks.items():
        w(f"| {key} | 《{h['title']}》 | {_cell(h['about'])} | {_cell(h['numbering'])} |")
    w("")
    w("## Summary")
    w("")
    w("| id | requirement | status |")
    w("| --- | --- | --- |")
    for r in reqs:
        w(f"| [{r['id']}](#{r['id'].lower()}) | {_cell(r['title'])} | {r['status']} |")
    w("")

    for section in catalogue["sections"]:
        w(f"## {section['number']}. {section['title']}")
        w("")
        if section.get("text"):
            w(section["text"].rstrip())
            w("")
        for r in section.get("requirements") or []:
            rid = r["id"]
            w(f"### {rid}")
            w("")
            w(f"**{r['title']}** · *{r['kind']}* · {r['status']}")
            w("")
            w(" ".join(r["requires"].split()))
            w("")
            sources = "; ".join(
                f"{cl['handbook']} {cl['clause']} 《{handbooks[cl['handbook']]['title']}》 ({cl['says']})"
                for cl in r["clauses"])
            w(f"- **From**: {sources}.")
            if r.get("how"):
                w(f"- **How**: {' '.join(r['how'].split())}")
            if r.get("gaps"):
                w(f"- **Missing**: {' '.join(r['gaps'].split())}")
            w(f"- **Rules**: {_code(c.rules.get(rid, []))}")
            w(f"- **Tests**: {_code(tests_of(rid, c))}")
            w("")

    w("## Conformance by handbook")
    w("")
    w("For each clause kefu encodes: the requirement it became, the rules that implement it, the tests that")
    w("check them, and how far it is done. A rule is listed against the clause its `source:` names; a rule that")
    w("names no clause of its requirement is listed against every clause of it.")
    w("")
    for key, h in handbooks.items():
        rows = sorted(((cl["clause"], cl["says"], r) for r in reqs for cl in r["clauses"] if cl["handbook"] == key),
                      key=lambda row: (_clause_key(row[0]), id_key(row[2]["id"])))
        w(f"### {key} 《{h['title']}》")
        w("")
        w("| clause | says | requirement | rules | tests | status |")
        w("| --- | --- | --- | --- | --- | --- |")
        for clause, says, r in rows:
            rules = rules_for_clause(r, key, clause, c)
            w(f"| {clause} | {_cell(says)} | [{r['id']}](#{r['id'].lower()}) | {_code(rules)} | "
              f"{_code(tests_of(r['id'], c))} | {r['status']} |")
        w("")
    return "\n".join(out).rstrip() + "\n"


def problems(catalogue: dict, c: Citations) -> List[str]:
    """What is wrong with the catalogue itself or with the citations against it."""
    found: List[str] = []
    reqs = requirements_of(catalogue)
    handbooks = {h["key"] for h in catalogue["handbooks"]}
    seen: Set[str] = set()
    for r in reqs:
        rid = r.get("id", "?")
        if not re.fullmatch(r"DOM-[A-Z]+-\d+", rid):
            found.append(f"{rid}: not an id of the form DOM-AREA-N")
        if rid in seen:
            found.append(f"{rid}: listed twice")
        seen.add(rid)
        for key in ("title", "kind", "requires", "clauses", "status"):
            if not r.get(key):
                found.append(f"{rid}: no {key}")
        if r.get("status") not in STATUSES:
            found.append(f"{rid}: status {r.get('status')!r} is not one of {', '.join(STATUSES)}")
        if r.get("status") != "implemented" and not r.get("gaps"):
            found.append(f"{rid}: {r.get('status')} but says nothing under gaps")
        for cl in r.get("clauses") or []:
            if cl.get("handbook") not in handbooks:
                found.append(f"{rid}: clause of an unknown handbook {cl.get('handbook')!r}")
        if r.get("status") == "implemented" and not tests_of(rid, c):
            found.append(f"{rid}: implemented, but no test cites it or checks one of its rules")
    for rid, files in sorted(c.everywhere.items(), key=lambda kv: id_key(kv[0])):
        if rid not in seen:
            found.append(f"{rid}: cited in {', '.join(sorted(files))} but not in {CATALOGUE}")
    return found


def generate(repo: Path = REPO) -> Tuple[str, List[str]]:
    catalogue = load_catalogue(repo)
    c = collect(repo)
    return render(catalogue, c), problems(catalogue, c)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help=f"exit 1 when {OUTPUT} is stale (write nothing)")
    args = parser.parse_args(argv)
    text, found = generate()
    for p in found:
        print(f"{CATALOGUE}: {p}", file=sys.stderr)
    target = REPO / OUTPUT
    if args.check:
        current = target.read_text(encoding="utf-8") if target.is_file() else ""
        if current != text:
            print(f"{OUTPUT} is stale: run python tools/gen_requirements.py", file=sys.stderr)
            return 1
        return 1 if found else 0
    target.write_text(text, encoding="utf-8")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
