"""Every notebook runs: the figure notebooks (coarse grids) and the examples' notebooks (small settings)."""
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tunnelkit.figures import FIGURES

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXAMPLE_NOTEBOOKS = sorted((ROOT / "examples").rglob("*.ipynb"))


def test_one_notebook_per_figure():
    assert {p.stem for p in NOTEBOOKS} == set(FIGURES)


@pytest.mark.parametrize("path", NOTEBOOKS + EXAMPLE_NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS + EXAMPLE_NOTEBOOKS])
def test_notebook_runs_and_is_committed_without_outputs(path, monkeypatch):
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
    monkeypatch.setenv("TUNNELKIT_LIGHT", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    # the kernel imports the sources under test, not whichever checkout is installed
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "Traceback" not in text
