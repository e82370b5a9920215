"""examples/kpi_walkthrough.ipynb runs from top to bottom (nbclient, a real ipykernel) and shows the
numbers an independent pandas computation gives, the scorecard flags and its three charts."""

from __future__ import annotations

from pathlib import Path

import nbclient
import nbformat
import pandas as pd

import kefu.kpi as kk

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "examples" / "kpi_walkthrough.ipynb"


def _outputs(nb: nbformat.NotebookNode) -> tuple[str, list[dict]]:
    text, images = [], []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", out
            if out["output_type"] == "stream":
                text.append(out["text"])
            elif "data" in out:
                text.append(out["data"].get("text/plain", ""))
                if "image/png" in out["data"]:
                    images.append(out)
    return "".join(text), images


def test_notebook_is_stored_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_walkthrough_runs_and_shows_the_right_numbers():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    text, images = _outputs(nb)

    # The FCR rate of the online channel, from the CSV with plain pandas (no kefu).
    raw = pd.read_csv(REPO / "examples" / "data" / "records.csv")
    online = raw[raw["channel"] == "online"]
    fcr = (online["resolved_at"].notna() & (online["contacts"] <= 1) & (online["reopened"] == 0)).mean()
    assert f"online FCR rate: {fcr:.4f}" in text
    assert f"{len(raw)} tickets, {raw['agent'].nunique()} agents" in text

    # The flags of the latest month, as kefu computes them in this process.
    card = kk.scorecard(kk.read_records(REPO / "examples" / "data" / "records.csv"), "monthly",
                        pd.read_csv(REPO / "examples" / "data" / "agent_inputs.csv"))
    latest = card.xs(pd.Timestamp("2026-03-01T00:00:00+08:00"), level="period")
    for flag in ("retrain", "promotion", "disciplinary_review"):
        assert f"{flag} in 2026-03: {sorted(latest.index[latest[flag]])}" in text
    assert latest["retrain"].sum() >= 3  # ⌈10% of 24⌉

    # FRT distribution, SLA attainment by channel, scorecard per agent.
    assert len(images) == 3
