"""Every notebook runs: the figure notebooks (coarse grids) and the examples' notebooks (small settings).

The figure notebooks are written and executed by ``python -m tunnelkit.notebooks`` (committed with their
outputs, so the figures show on the repository page); the tests run the cells that script writes and check
that the committed notebooks hold those cells, a figure and no error.

``examples/models/`` has one notebook per example model file, each showing a figure; they run in one
kernel (started in that folder), since kernel start-up dominates their cost.
"""
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tunnelkit.figures import FIGURES
from tunnelkit.notebooks import new_notebook, notebook_cells

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "examples" / "models"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXAMPLE_NOTEBOOKS = sorted(p for p in (ROOT / "examples").rglob("*.ipynb") if p.parent != MODELS)
MODEL_NOTEBOOKS = sorted(MODELS.glob("*.ipynb"))


def test_one_notebook_per_figure():
    assert {p.stem for p in NOTEBOOKS} == set(FIGURES)


def test_one_notebook_per_example_model():
    assert {p.stem for p in MODEL_NOTEBOOKS} == {p.stem for p in MODELS.glob("*.toml")}


def _env(monkeypatch) -> None:
    monkeypatch.setenv("TUNNELKIT_LIGHT", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    # the kernel imports the sources under test, not whichever checkout is installed
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))


def _run(path, monkeypatch, *, km=None, nb=None) -> list:
    if nb is None:
        nb = nbformat.read(path, as_version=4)
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells
                   if c.cell_type == "code")
    _env(monkeypatch)
    NotebookClient(nb, timeout=600, kernel_name="python3", km=km,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    text = "".join(o.get("text", "") for o in outputs)
    assert "Traceback" not in text and not any(o.get("output_type") == "error" for o in outputs)
    return outputs


@pytest.mark.parametrize("path", EXAMPLE_NOTEBOOKS, ids=[p.stem for p in EXAMPLE_NOTEBOOKS])
def test_notebook_runs_and_is_committed_without_outputs(path, monkeypatch):
    _run(path, monkeypatch)


def _has_figure(outputs: list) -> bool:
    return any("image/png" in o.get("data", {}) for o in outputs)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_figure_notebook_displays_its_figure_when_run(path, monkeypatch):
    """The cells ``python -m tunnelkit.notebooks`` writes, run on coarse grids with MPLBACKEND=Agg in the
    environment (as a script would have it): the figure is still displayed, once."""
    outputs = _run(path, monkeypatch, nb=new_notebook(path.stem))
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 1, "the figure is displayed once"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_figure_notebook_is_committed_executed_with_its_figure(path):
    nb = nbformat.read(path, as_version=4)
    assert [(c.cell_type, c.source) for c in nb.cells] == notebook_cells(path.stem), \
        "regenerate with python -m tunnelkit.notebooks (the cells differ from the script's)"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None and c.outputs for c in code), "commit it executed"
    outputs = [o for c in code for o in c.outputs]
    assert _has_figure(outputs), "no figure"
    assert not any(o.get("output_type") == "error" or "Traceback" in o.get("text", "") for o in outputs)


@pytest.fixture(scope="module")
def models_kernel():
    from jupyter_client import KernelManager

    mp = pytest.MonkeyPatch()
    _env(mp)
    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(MODELS))
    mp.undo()
    yield km
    km.shutdown_kernel(now=True)


@pytest.mark.parametrize("path", MODEL_NOTEBOOKS, ids=[p.stem for p in MODEL_NOTEBOOKS])
def test_example_model_notebook_runs_with_a_figure(path, monkeypatch, models_kernel):
    outputs = _run(path, monkeypatch, km=models_kernel)
    assert _has_figure(outputs), "no figure"


TUTORIAL = ROOT / "docs" / "tutorial.ipynb"


def _masked_text(outputs: list) -> list[str]:
    """Text of each output with its numbers masked (the last digits depend on the BLAS kernel)."""
    import re

    def text(o) -> str:
        raw = o.get("text") or o.get("data", {}).get("text/plain", "")
        return re.sub(r"\d[\d.]*(?:e[+-]?\d+)?", "#", "".join(raw))
    return [f"{o.get('output_type')}:{'image' if 'image/png' in o.get('data', {}) else text(o)}" for o in outputs]


def test_tutorial_runs_and_its_committed_outputs_are_current(monkeypatch):
    """docs/tutorial.ipynb is committed executed (readers see the results); running it again gives the same
    outputs (numbers masked), with a figure and no error."""
    committed = nbformat.read(TUTORIAL, as_version=4)
    code = [c for c in committed.cells if c.cell_type == "code"]
    assert all(c.get("outputs") for c in code), "commit the tutorial executed (every code cell has an output)"
    fresh = nbformat.read(TUTORIAL, as_version=4)
    for c in fresh.cells:
        if c.cell_type == "code":
            c.outputs, c.execution_count = [], None
    _env(monkeypatch)
    NotebookClient(fresh, timeout=600, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(TUTORIAL.parent)}}).execute()
    outputs = [o for c in fresh.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not any(o.get("output_type") == "error" for o in outputs)
    assert any("image/png" in o.get("data", {}) for o in outputs), "no figure"
    old = [_masked_text(c.outputs) for c in code]
    new = [_masked_text(c.outputs) for c in fresh.cells if c.cell_type == "code"]
    assert old == new, "re-execute docs/tutorial.ipynb and commit it (outputs differ from the current code's)"


def test_figure_2_states_zero_temperature_and_the_bias_convention():
    from tunnelkit.figures import figure_data, plot

    fig = plot("anglin-fig2", figure_data("anglin-fig2", light=True))
    title = fig.axes[0].get_title()
    assert "T=0" in title and r"\mu_L=+V/2" in title and r"\mu_R=-V/2" in title
    text = notebook_cells("anglin-fig2")[0][1]
    assert "T = 0" in text and "mu_L = +V/2, mu_R = -V/2" in text


def test_figure_3_has_panel_labels_and_its_parameters_below_not_in_titles():
    from tunnelkit.figures import figure_data, plot

    fig = plot("anglin-fig3", figure_data("anglin-fig3", light=True))
    assert [ax.get_title() for ax in fig.axes] == ["", ""]
    labels = [[t.get_text() for t in ax.texts] for ax in fig.axes]
    assert [lab[0] for lab in labels] == ["(a)", "(b)"]
    assert [lab[1] for lab in labels] == [r"$\gamma=0.5\tau$", r"$\gamma=5\tau$"]
    caption = " ".join(t.get_text() for t in fig.texts)
    assert r"M=3" in caption and r"\tau_1=0.1" in caption and r"\Lambda=1" in caption and "T=0" in caption
