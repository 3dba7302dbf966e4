"""The figure notebooks of ``notebooks/``: written from :data:`NOTEBOOKS` and executed, outputs saved.

``python -m tunnelkit.notebooks [FOLDER] [--light]`` writes one notebook per figure of
:data:`tunnelkit.figures.FIGURES` into FOLDER (default ``notebooks``), runs each in a Jupyter kernel
(nbclient; ``%matplotlib inline``, the figure is the last expression of its cell) and saves it with its
outputs, the figure as a PNG, so a reader sees it on the repository page.  The committed notebooks use the
full grids (the whole run takes about a minute); ``--light`` uses the coarse grids of the test suite, which
runs every notebook that way (``TUNNELKIT_LIGHT=1``) and checks that the committed ones have a figure, no
error and the cells written here.

>>> cells = notebook_cells("anglin-fig2")
>>> cells[0][0], cells[1][0], cells[1][1].splitlines()[0], cells[1][1].splitlines()[-1]
('markdown', 'code', '%matplotlib inline', 'fig')
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Sequence

__all__ = ["NOTEBOOKS", "notebook_cells", "new_notebook", "write_notebooks"]

_LIGHT_NOTE = "Set `TUNNELKIT_LIGHT=1` for coarse grids (this is how the test suite runs the notebook)."

#: figure -> (title, text, extra code cells after the figure)
NOTEBOOKS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "anglin-fig2": (
        "anglin Fig. 2: current through a five-site lossy chain between wide-band leads",
        "M = 2, tau1 = 0.1, Lambda -> infinity, gamma in {0, 0.5, 5, 100}; I/tau1^2 against the bias V at zero "
        "temperature (T = 0), the bias applied symmetrically: mu_L = +V/2, mu_R = -V/2 (both leads at equal "
        "filling at V = 0).  The steps sit at the isolated-chain frequencies (anglin:25); the gamma = 0 step "
        "heights are checked against isolated-chain eigenvectors in `tests/numeric/test_currents.py`.",
        ("import math\n\nfrom tunnelkit import LossyLattice, currents\n\nprint('I/tau1^2 at V = 4, gamma = 0:', "
         "currents(LossyLattice(M=2, tau1=0.1, gamma=0.0, Lambda=math.inf, V=4.0)).I / 0.01)",)),
    "anglin-fig3": (
        "anglin Fig. 3: zero-temperature current against mu_L (Lambda = 1, no particles from the right)",
        "(a) gamma = 0.5 tau, (b) gamma = 5 tau; both panels M = 3 (seven sites), tau1 = 0.1, Lambda = 1, V = 0, "
        "T = 0, the right lead empty (mu_R -> -infinity).  Loss smooths the even-parity steps; the odd-parity "
        "channels have a node at the lossy site and keep their steps.", ()),
    "anglin-fig4": (
        "anglin Fig. 4: finite left temperature",
        "k_B T_L = 0.1, 0.01 (gamma = 0.5) and 0.1 (gamma = 5); thick grey: T = 0.", ()),
    "anglin-fig5": (
        "anglin Fig. 5: finite lattices, Delta N/2 against time",
        "N = 20, 40, 80 outer sites per side, left end half filled. Dashed: slope -I of the infinite lattice; "
        "finite-size effects set in at t = N/tau.", ()),
    "anglin-fig6": (
        "anglin Fig. 6: long transients near the conductance step at mu_L = -sqrt(2)",
        "Initial fermion numbers around (N+1)/4 for N = 20, 40, 80.", ()),
    "anglin-fig7": (
        "anglin Fig. 7: current estimator against mu_L at t = N/4, N/2, 3N/4",
        "Markers: -(dN_half(t+1) - dN_half(t-1))/2, the estimator of the spec; the printed estimator without the "
        "minus sign and with [n_R - n_L] is twice the current (erratum anglin:fig7-estimator). Grey: steady "
        "I(mu) of the infinite lattice.", ()),
    "anglin-fig8": (
        "anglin Fig. 8: bosons at mu_L = -2 against temperature",
        "No conductance steps: the Bose distribution spreads over all seven resonances.", ()),
    "tajima-fig2": (
        "tajima Fig. 2: pair-tunnelling G/S in the strong-coupling BEC limit",
        "Molecule propagator with damping 0.1 E_F, mu_B from the corrected strong-coupling number equation (the "
        "printed exponent has the wrong sign of E_b: erratum tajima:strong-coupling-ansatz). T_c/T_F = 0.2180 "
        "from the closed form.",
        ("from numeric.papers.tajima.pair_ratio import critical_temperature\n\nprint('T_c / T_F =', "
         "critical_temperature())",)),
}


def notebook_cells(name: str) -> list[tuple[str, str]]:
    """The cells of a figure's notebook: ``(cell type, source)``.

    Parameters
    ----------
    name : str
        A figure name (key of :data:`NOTEBOOKS`).

    Returns
    -------
    list of (str, str)
        A Markdown cell, the figure's code cell (its last expression the figure), the extra code cells.
    """
    title, text, extra = NOTEBOOKS[name]
    figure = ("%matplotlib inline\nimport os\n\nfrom tunnelkit.figures import figure_data, plot\n\n"
              "light = os.environ.get('TUNNELKIT_LIGHT') == '1'  # coarse grids\n"
              f"fig = plot({name!r}, figure_data({name!r}, light=light))\nfig")
    return [("markdown", f"# {title}\n\n{text}\n\n{_LIGHT_NOTE}"), ("code", figure)] + [("code", c) for c in extra]


def new_notebook(name: str):
    """The notebook of a figure, not executed (nbformat v4, stable cell ids).

    Parameters
    ----------
    name : str
        A figure name.

    Returns
    -------
    nbformat.NotebookNode
    """
    import nbformat

    cells = []
    for k, (kind, source) in enumerate(notebook_cells(name)):
        make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        cells.append(make(source, id=f"{name}-{k}"))
    return nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {
        "display_name": "Python 3", "language": "python", "name": "python3"}})


def write_notebooks(folder: str | os.PathLike = "notebooks", *, light: bool = False,
                    names: Sequence[str] | None = None) -> list[str]:
    """Write and execute the figure notebooks into ``folder`` (each written atomically, outputs saved).

    Parameters
    ----------
    folder : str or path-like
        An existing folder.
    light : bool
        Coarse grids (``TUNNELKIT_LIGHT=1`` in the kernel).
    names : sequence of str, optional
        Only these figures (default: all).

    Returns
    -------
    list of str
        The paths written.
    """
    import nbformat
    from nbclient import NotebookClient

    from tunnelkit.cli_output import atomic_output

    root = str(Path(__file__).resolve().parents[1])  # the kernel imports these sources
    env = {"TUNNELKIT_LIGHT": "1" if light else "0",
           "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    saved = {k: os.environ.get(k) for k in env}
    out = []
    try:
        os.environ.update(env)
        for name in names or sorted(NOTEBOOKS):
            nb = new_notebook(name)
            NotebookClient(nb, timeout=1800, kernel_name="python3", record_timing=False,
                           resources={"metadata": {"path": str(folder)}}).execute()
            nb.metadata.pop("widgets", None)
            path = Path(folder) / f"{name}.ipynb"
            with atomic_output(path) as tmp:
                nbformat.write(nb, tmp)
            out.append(str(path))
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return out


if __name__ == "__main__":  # pragma: no cover
    args = [a for a in sys.argv[1:] if a != "--light"]
    for p in write_notebooks(*(args[:1] or ["notebooks"]), light="--light" in sys.argv[1:]):
        print(p)
