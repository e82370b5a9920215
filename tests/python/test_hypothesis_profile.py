"""The Hypothesis profile the run uses (tests/python/conftest.py): ``make test`` runs the ``ci`` profile."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import conftest

HERE = Path(__file__).resolve().parent


def test_the_selected_profile_is_loaded():
    assert conftest.PROFILE == os.environ.get("KEFU_HYPOTHESIS_PROFILE", "dev")
    s = settings.default
    assert s.print_blob and s.deadline == dt.timedelta(seconds=5)
    if conftest.PROFILE == "ci":
        assert s.derandomize and s.database is None


def test_the_ci_profile_finds_the_same_examples_every_run(tmp_path):
    # Two runs of the same property under the ci profile see the same examples, and a failure prints the
    # blob that reproduces it.
    probe = tmp_path / "test_probe.py"
    probe.write_text(
        "from hypothesis import given, strategies as st\n"
        "seen = []\n"
        "@given(st.integers())\n"
        "def test_probe(x):\n"
        "    seen.append(x)\n"
        "    assert x < 10**6\n",
        encoding="utf-8",
    )
    runs = []
    for _ in range(2):
        out = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "conftest", "--rootdir",
             str(tmp_path), "-c", os.devnull, str(probe)],
            capture_output=True, text=True, cwd=tmp_path, check=False,
            env={**os.environ, "KEFU_HYPOTHESIS_PROFILE": "ci", "PYTHONPATH": str(HERE)},
        )
        runs.append(out)
    # The probe lies outside tests/python: `-p conftest` loads ours as a plugin.
    assert all(r.returncode == 1 for r in runs), runs[0].stdout + runs[0].stderr
    # pytest may echo the failure message in its short summary, so the blob can appear more than once; every
    # copy, in both runs, must be the same blob.
    blobs = [re.findall(r"@reproduce_failure\((.*?)\)", r.stdout) for r in runs]
    assert blobs[0], runs[0].stdout
    assert len({b for run in blobs for b in run}) == 1, blobs
    falsifying = [x for r in runs for x in re.findall(r"\bx=(-?\d+)", r.stdout)]
    assert falsifying and len(set(falsifying)) == 1, falsifying


@given(st.integers(0, 10))
def test_a_property_runs_under_the_profile(n):
    assert 0 <= n <= 10
