"""kefu report: terminal tables and a self-contained HTML page with three charts, no personal data."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

from kefu.cli import main  # noqa: E402
from kefu.report import run  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "examples" / "data"


def test_report_tables_and_html(tmp_path, capsys):
    page = tmp_path / "kpi.html"
    assert main(["report", "--records", str(DATA / "records.csv"), "--inputs", str(DATA / "agent_inputs.csv"),
                 "--html", str(page)]) == 0
    out = capsys.readouterr().out
    assert "KPIs by channel" in out and "Scorecard 2026-03" in out and "retrain (bottom 10%)" in out
    text = page.read_text(encoding="utf-8")
    assert text.count("data:image/png;base64,") == 3
    assert "SLA attainment by channel" in text and "Scorecard per agent" in text
    # DOM-PRIV-1: no customer names or phone numbers from the ticket file.
    tickets = (DATA / "tickets.csv").read_text(encoding="utf-8").splitlines()[1:50]
    for line in tickets:
        name, phone = line.rsplit(",", 2)[-2:]
        assert phone not in text and phone not in out and name not in out


def test_report_without_html():
    buf = io.StringIO()
    assert run(DATA / "records.csv", DATA / "agent_inputs.csv", None, buf) == 0
    assert "goals missed" in buf.getvalue()
