"""Every fenced ```python block of README.md and docs/*.md runs as written.

A newcomer copies an example from the documentation into a script; it must run. Each block is run on
its own (fresh globals: its imports and names are its own), from the root of the repository, so it may
read what the repository ships (``rules/``, ``examples/data/``) or what the installed package ships
(``kefu.default_rules_dir()``, ``kefu.default_data_path()``). A block must not leave files behind in the
repository: examples that write files write them into a temporary directory.

A block that cannot run as written (an excerpt, a sketch of a backend's own objects) is fenced as
```` ```python notest ```` and says so in the text next to it; ``test_unexecuted_blocks_stay_rare`` counts
them so they stay the exception.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")

#: Python blocks that are shown but not run, by document (``python notest``). Keep this short.
UNEXECUTED_ALLOWED = 0


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # 1-based line of the first code line
    info: str  # the info string: language and flags
    code: str

    @property
    def language(self) -> str:
        return self.info.split()[0] if self.info.split() else ""

    @property
    def flags(self) -> list[str]:
        return self.info.split()[1:]

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(REPO).as_posix()}:{self.line}"


def fenced_blocks(path: Path) -> list[Block]:
    """The fenced code blocks of a Markdown file (CommonMark fences, possibly indented in a list)."""
    blocks: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = len(m["indent"]), m["fence"], m["info"].strip()
        body: list[str] = []
        j = i + 1
        while j < len(lines):
            closing = FENCE.match(lines[j])
            if closing and closing["fence"].startswith(fence[0]) and len(closing["fence"]) >= len(fence) \
                    and not closing["info"].strip():
                break
            line = lines[j]
            body.append(line[indent:] if line[:indent].strip() == "" else line.lstrip())
            j += 1
        else:
            raise AssertionError(f"{path}:{i + 1}: code fence is never closed")
        blocks.append(Block(path, i + 2, info, "\n".join(body) + "\n"))
        i = j + 1
    return blocks


ALL_BLOCKS = [b for doc in DOCUMENTS for b in fenced_blocks(doc)]
PYTHON = [b for b in ALL_BLOCKS if b.language == "python"]
EXECUTED = [b for b in PYTHON if "notest" not in b.flags]


def _untracked_and_modified() -> set[str]:
    out = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=REPO,
                         capture_output=True, text=True, check=True).stdout
    return set(out.splitlines())


@pytest.mark.parametrize("block", EXECUTED, ids=[b.id for b in EXECUTED])
def test_python_example_runs(block: Block, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    before = _untracked_and_modified()
    # Padding puts the code at its own line numbers, so a traceback names the document's line.
    code = compile("\n" * (block.line - 1) + block.code, str(block.path), "exec")
    exec(code, {"__name__": "__main__"})  # noqa: S102 — running the documentation is the point
    assert _untracked_and_modified() == before, f"{block.id} left files in the repository"


def test_documents_have_python_examples() -> None:
    """The collector finds the examples (a broken fence parser would make every test above vanish)."""
    assert len(EXECUTED) >= 10
    assert {b.path.name for b in EXECUTED} >= {"README.md", "triage.md", "rules.md", "lifecycle.md",
                                              "calendars.md", "kpis.md"}


def test_unexecuted_blocks_stay_rare() -> None:
    unexecuted = [b.id for b in PYTHON if "notest" in b.flags]
    assert len(unexecuted) <= UNEXECUTED_ALLOWED, (
        f"python blocks marked notest: {unexecuted}; make them run, or raise UNEXECUTED_ALLOWED with a reason")


def test_python_fences_are_spelled_one_way() -> None:
    """``py``, ``Python`` or ``python3`` fences would escape the runner above."""
    odd = [b.id for b in ALL_BLOCKS if b.language.lower() in {"py", "python3", "pycon", "ipython"}
           or (b.language.lower() == "python" and b.language != "python")]
    assert odd == []
    unknown_flags = [b.id for b in PYTHON if set(b.flags) - {"notest"}]
    assert unknown_flags == []


# ---- files the documentation shows ------------------------------------------------------------------------

FILE_MARK = "# file: "


def test_files_shown_in_the_docs_are_the_shipped_files() -> None:
    """A block whose first line is ``# file: PATH`` shows the repository's file PATH, byte for byte."""
    shown = [b for b in ALL_BLOCKS if b.code.startswith(FILE_MARK)]
    assert len(shown) >= 2  # docs/rules.md shows the example policy and its rule tests
    for b in shown:
        first, rest = b.code.split("\n", 1)
        path = REPO / first[len(FILE_MARK):].strip()
        assert path.is_file(), f"{b.id}: {path} does not exist"
        assert path.read_text(encoding="utf-8") == rest, f"{b.id} differs from {path.relative_to(REPO)}"


def test_policies_written_out_in_the_docs_load() -> None:
    """A complete policy shown in a ```yaml block (first key ``policy:``) loads as it is written."""
    import kefu

    policies = [b for b in ALL_BLOCKS if b.language == "yaml" and not b.code.startswith(FILE_MARK)
                and b.code.lstrip().startswith("policy:")]
    assert policies
    for b in policies:
        kefu.DecisionPolicy.from_yaml(b.code, name=b.id)


def test_the_example_policy_directory_lints_and_its_rule_tests_cover_it() -> None:
    from kefu.cli import main

    assert main(["lint", "--strict", str(REPO / "examples" / "policies")]) == 0
    assert main(["test", "--require-coverage", str(REPO / "examples" / "policies")]) == 0


# ---- command transcripts ----------------------------------------------------------------------------------

PROMPT = "$ kefu "
TRANSCRIPTS = [b for b in ALL_BLOCKS if b.language == "text" and b.code.startswith(PROMPT)]


@pytest.mark.parametrize("block", TRANSCRIPTS, ids=[b.id for b in TRANSCRIPTS])
def test_command_transcripts_print_what_they_show(block: Block) -> None:
    """A ```text block whose first line is ``$ kefu ARGS`` shows that command's output, line for line: the
    command runs (from the repository's root, its language pinned by the transcript's own ``--lang``, else
    English) and prints exactly the rest of the block."""
    import shlex
    import sys

    first, shown = block.code.split("\n", 1)
    args = shlex.split(first[len(PROMPT):])
    env = {**os.environ, "KEFU_LANG": "en"}
    run = subprocess.run([sys.executable, "-m", "kefu", *args], cwd=REPO, env=env, capture_output=True, text=True,
                         encoding="utf-8")
    assert run.returncode == 0, f"{block.id}: {run.stderr}"
    assert run.stdout == shown, f"{block.id}: the command prints\n{run.stdout}"


def test_transcripts_are_found() -> None:
    assert {b.path.name for b in TRANSCRIPTS} >= {"calendars.md", "rules.md"}
