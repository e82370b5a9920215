"""The repository stands alone: its requirements catalogue (docs/requirements.md, generated from
docs/requirements.yaml by tools/gen_requirements.py) is current and names every DOM-… id cited anywhere,
and no file links or refers to a place outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _scripts import load_script

REPO = Path(__file__).resolve().parents[2]


gen = load_script(REPO / "tools" / "gen_requirements.py")


@pytest.fixture(scope="module")
def files() -> list[str]:
    return gen.tracked_files(REPO)


@pytest.fixture(scope="module")
def citations(files):
    return gen.collect(REPO, files)


@pytest.fixture(scope="module")
def catalogue():
    return gen.load_catalogue(REPO)


def test_every_cited_id_is_in_the_catalogue(catalogue, citations):
    known = {r["id"] for r in gen.requirements_of(catalogue)}
    missing = {i: sorted(f) for i, f in citations.everywhere.items() if i not in known}
    assert missing == {}, "add these to docs/requirements.yaml (and run python tools/gen_requirements.py)"


def test_the_catalogue_is_complete_and_honest(catalogue, citations):
    """Ids well-formed and unique; every field given; a requirement not implemented says what is missing;
    one marked implemented has a test that cites it or checks one of its rules."""
    assert gen.problems(catalogue, citations) == []


def test_requirements_md_is_generated_from_the_catalogue(catalogue, citations):
    current = (REPO / gen.OUTPUT).read_text(encoding="utf-8")
    assert current == gen.render(catalogue, citations), "run python tools/gen_requirements.py"


def test_every_handbook_has_a_conformance_table(catalogue):
    text = (REPO / gen.OUTPUT).read_text(encoding="utf-8")
    tables = text.split("## Conformance by handbook", 1)[1]
    for h in catalogue["handbooks"]:
        assert f"### {h['key']} 《{h['title']}》" in tables
        assert any(cl["handbook"] == h["key"] for r in gen.requirements_of(catalogue) for cl in r["clauses"])


def test_citations_are_read_with_ranges_and_alternatives():
    assert gen.cited_ids("DOM-LC-1…3, DOM-SLA-1/7 and DOM-REF-2") == [
        "DOM-LC-1", "DOM-LC-2", "DOM-LC-3", "DOM-SLA-1", "DOM-SLA-7", "DOM-REF-2"]
    assert gen.cited_ids("DOM-SLA-2...4") == ["DOM-SLA-2", "DOM-SLA-3", "DOM-SLA-4"]


# ---- nothing leaves the repository -------------------------------------------------------------------------

# Spelled in pieces so that this file does not match itself.
_UP = ".." + "/"
OUTSIDE = [
    (re.compile(re.escape(_UP + "shared")), "the briefing folder beside the repository"),
    (re.compile(r"\bshared/(?:" + "DOM" + "AIN|" + "DES" + "IGN|seeds)"), "the briefing folder"),
    (re.compile(r"\b(?:" + "DOM" + "AIN|" + "DES" + "IGN" + r")\b"), "a document that is not in the repository"),
    (re.compile(r"\b00[0-4]_[0-9a-f]{16}\.txt\b"), "a handbook file that is not in the repository"),
]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _texts(files):
    for rel in files:
        text = gen.read_text(REPO / rel)
        if text is not None:
            yield rel, text


def test_no_file_refers_to_a_place_outside_the_repository(files):
    parent = str(REPO.parent) + "/"
    found = []
    for rel, text in _texts(files):
        for lineno, line in enumerate(text.splitlines(), 1):
            for pattern, what in OUTSIDE:
                if pattern.search(line):
                    found.append(f"{rel}:{lineno}: {what}: {line.strip()[:120]}")
            if parent in line:
                found.append(f"{rel}:{lineno}: an absolute path outside the repository: {line.strip()[:120]}")
    assert found == [], "\n".join(found)


def test_markdown_links_stay_inside_the_repository(files):
    found = []
    for rel, text in _texts(f for f in files if f.endswith(".md")):
        for target in LINK.findall(text):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue  # a web address, or a place on the same page
            path = (REPO / rel).parent / target.split("#", 1)[0]
            resolved = path.resolve()
            if not resolved.is_relative_to(REPO.resolve()):
                found.append(f"{rel}: link to {target} leaves the repository")
            elif not resolved.exists():
                found.append(f"{rel}: link to {target}, which does not exist")
    assert found == [], "\n".join(found)


def test_the_checks_see_what_they_look_for():
    assert any(p.search(_UP + "shared/" + "DOM" + "AIN.md") for p, _ in OUTSIDE)
    assert any(p.search("see " + "DES" + "IGN \"Hostile input\"") for p, _ in OUTSIDE)
    assert not any(p.search("docs/requirements.md §11") for p, _ in OUTSIDE)
    assert LINK.findall("[x](" + _UP + "shared/x.md) and [a](b.md#c)") == [_UP + "shared/x.md", "b.md#c"]
