"""kefu's public API type-checks as users write it: ``mypy --strict`` and pyright, zero errors (#14).

Checked: the examples' Python files (examples/*.py), the notebook's code cells (examples/kpi_walkthrough.ipynb), every executed Python block of README.md and docs/*.md (extracted as test_doc_examples.py collects them, each as its own
file padded to its document's line numbers), and tests/typing/usage.py (the main API in typed code). The checkers
read the installed package: its ``py.typed`` marker, ``_core.pyi`` stubs and annotated modules. Their caches live
in build/typing, so a run after the first takes seconds.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from test_doc_examples import EXECUTED, REPO

BUILD = REPO / "build" / "typing"


def _snippets() -> list[Path]:
    """The documentation's executed blocks as files under build/typing/snippets."""
    out = BUILD / "snippets"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    files = []
    for block in EXECUTED:
        # One module per block (unique names: mypy refuses two modules of one name).
        stem = re.sub(r"\W", "_", block.path.stem.lower())
        path = out / f"{stem}_line{block.line}.py"
        path.write_text("\n" * (block.line - 1) + block.code, encoding="utf-8")
        files.append(path)
    return files


def _notebook() -> Path:
    """The walkthrough notebook's code cells, in order, as one file (shell and magic lines left out)."""
    cells = json.loads((REPO / "examples" / "kpi_walkthrough.ipynb").read_text(encoding="utf-8"))["cells"]
    code = ["\n".join(line for line in "".join(c["source"]).splitlines() if not line.lstrip().startswith(("%", "!")))
            for c in cells if c["cell_type"] == "code"]
    path = BUILD / "snippets" / "kpi_walkthrough_notebook.py"
    path.write_text("\n\n".join(code) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def checked_files() -> list[str]:
    files = [*sorted((REPO / "examples").glob("*.py")), *_snippets(), _notebook(), REPO / "tests" / "typing" / "usage.py"]
    assert len(files) >= 20
    return [str(f) for f in files]


def _require(module: str) -> None:
    """The checkers are test dependencies (make python-deps installs them): missing, the test fails, not skips."""
    if importlib.util.find_spec(module) is None:
        pytest.fail(f"{module} is not installed: run `make python-deps` (it installs mypy, pyright and pandas-stubs)")


def _run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=REPO, capture_output=True, text=True, check=False, timeout=600,
                          env={**os.environ, **(env or {})})


def test_mypy_strict_passes(checked_files: list[str]) -> None:
    _require("mypy")
    result = _run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(BUILD / "mypy-cache"),
                   "--no-error-summary", "--hide-error-context", *checked_files])
    assert result.returncode == 0, result.stdout + result.stderr


def test_pyright_passes(checked_files: list[str]) -> None:
    _require("pyright")
    if shutil.which("node") is None:
        pytest.fail("pyright needs Node.js (the Debian package nodejs, make system-deps)")
    # The pyright package runs the bundled pyright with the machine's node; nothing is downloaded.
    result = _run([sys.executable, "-m", "pyright", "--pythonpath", sys.executable, "--outputjson", *checked_files],
                  env={"PYRIGHT_PYTHON_CACHE_DIR": str(BUILD / "pyright-python"), "PYRIGHT_PYTHON_IGNORE_WARNINGS": "1"})
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"pyright did not run: {result.stdout}{result.stderr}")
    errors = [f"{d['file']}:{d['range']['start']['line'] + 1}: {d['message']}"
              for d in report["generalDiagnostics"] if d["severity"] == "error"]
    assert errors == []
    assert report["summary"]["filesAnalyzed"] >= len(checked_files)


def test_the_typed_usage_file_runs() -> None:
    """usage.py's asserts hold at run time: the types it checks are the values kefu gives."""
    result = _run([sys.executable, str(REPO / "tests" / "typing" / "usage.py")])
    assert result.returncode == 0, result.stderr
