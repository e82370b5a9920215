"""The analyst's script in examples/ runs as a user runs it and prints what the data says (#14: each user gets a
runnable example; the C++ backend is examples/cpp, the notebook examples/kpi_walkthrough.ipynb, the rule author's
change the worked example of docs/rules.md)."""

import subprocess
import sys
from pathlib import Path

import kefu

REPO = Path(__file__).resolve().parents[2]


def test_the_analyst_script_runs_and_reports_the_data():
    out = subprocess.run([sys.executable, str(REPO / "examples" / "analyst.py")], capture_output=True, text=True,
                         check=True, timeout=300).stdout
    tiers = kefu.default_policy().triage(kefu.read_tickets(REPO / "examples" / "data" / "tickets.csv"))["tier"]
    assert out.startswith("3000 tickets triaged\n")
    for tier, n in tiers.value_counts().items():
        assert f"{tier}  {n:>5}" in out or f"{tier} {n}" in " ".join(out.split()), (tier, n)
    assert "report_level_1         102" in out                 # the critical tickets' upward reports (DOM-LC-8)
    assert "tickets due on or after the 2026 Spring Festival" in out
    assert "retrain: ['A01', 'A02', 'A04']" in out
