"""Every notebook reproduces its figure from the public API (executed on coarse grids).

``notebooks/``: one per paper figure; ``examples/models/``: one per example model file, each with a figure.
"""
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tunnelkit.figures import FIGURES

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXAMPLES = sorted((ROOT / "examples" / "models").glob("*.ipynb"))


def test_one_notebook_per_figure():
    assert {p.stem for p in NOTEBOOKS} == set(FIGURES)


def test_one_notebook_per_example_model():
    assert {p.stem for p in EXAMPLES} == {p.stem for p in (ROOT / "examples" / "models").glob("*.toml")}


def _env(monkeypatch) -> None:
    monkeypatch.setenv("TUNNELKIT_LIGHT", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # the kernel runs this checkout's sources


def _run(path, monkeypatch, *, needs_figure: bool = False, km=None):
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
    _env(monkeypatch)
    NotebookClient(nb, timeout=600, kernel_name="python3", km=km,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    text = "".join(o.get("text", "") for o in outputs)
    assert "Traceback" not in text and not any(o.get("output_type") == "error" for o in outputs)
    if needs_figure:
        assert any("image/png" in o.get("data", {}) for o in outputs), "no figure"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_is_committed_without_outputs(path, monkeypatch):
    _run(path, monkeypatch)


@pytest.fixture(scope="module")
def examples_kernel():
    """One kernel for the example notebooks (started in their folder): kernel start-up dominates their cost."""
    from jupyter_client import KernelManager

    mp = pytest.MonkeyPatch()
    _env(mp)
    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(ROOT / "examples" / "models"))
    mp.undo()
    yield km
    km.shutdown_kernel(now=True)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_notebook_runs_with_a_figure(path, monkeypatch, examples_kernel):
    _run(path, monkeypatch, needs_figure=True, km=examples_kernel)
