"""Figures of both papers from the public API (``tunnelkit figure NAME --out FILE``).

Each figure is split into a *data* function (NumPy arrays, no plotting) and
a *render* step (matplotlib, imported lazily; ``pip install -e ".[plot]"``).
``light=True`` uses coarse grids (tests and notebooks in CI); the default
resolution is the one committed under ``docs/figures``.

Units as in the papers: anglin energies in units of the middle-chain hopping
tau, currents I/tau1^2 with the 1/(4 pi) prefactor of Eq. (22); tajima
temperatures in T_F.

>>> sorted(FIGURES)[:3]
['anglin-fig2', 'anglin-fig3', 'anglin-fig4']
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from numeric.errors import ParameterError
from numeric.progress import Progress, tracked
from tunnelkit.cli_output import atomic_output

__all__ = ["FIGURES", "SUFFIXES", "figure_data", "plot", "render", "regenerate_all", "atomic_output"]

#: output formats, from the file name's suffix
SUFFIXES = (".png", ".pdf", ".svg")

TAU1 = 0.1


def _lattice(M, gamma, Lambda, V=0.0):
    from tunnelkit.models.lossy_lattice import LossyLattice

    return LossyLattice(M=M, tau1=TAU1, gamma=gamma, Lambda=Lambda, V=V)


def _fig2(light: bool, progress: Optional[Progress] = None) -> dict:
    from tunnelkit.models.lossy_lattice import bias_curve

    V = np.linspace(0.0, 4.0, 41 if light else 401)
    curves = {}
    for g in tracked((0.0, 0.5, 5.0, 100.0), progress, desc="anglin-fig2"):  # one cumulative integration per loss rate
        curves[g] = bias_curve(_lattice(2, g, math.inf), V).I / TAU1**2
    return {"x": V, "curves": curves}


def _mu_grid(light: bool) -> np.ndarray:
    return np.linspace(-2.2, 2.2, 12 if light else 441)


def _fig3(light: bool, progress: Optional[Progress] = None) -> dict:
    from tunnelkit.models.lossy_lattice import current_curve

    mu = _mu_grid(light)
    panels = {g: current_curve(_lattice(3, g, 1.0), mu).I / TAU1**2
              for g in tracked((0.5, 5.0), progress, desc="anglin-fig3")}
    return {"x": mu, "panels": panels}


def _fig4(light: bool, progress: Optional[Progress] = None) -> dict:
    from tunnelkit.models.lossy_lattice import current_curve, currents

    mu = _mu_grid(light)
    mu_warm = np.linspace(-2.2, 2.2, 12 if light else 111)  # finite-T curves are smooth
    panels = {}
    for label, g, T in tracked((("a", 0.5, 0.1), ("b", 0.5, 0.01), ("c", 5.0, 0.1)), progress, desc="anglin-fig4"):
        lat = _lattice(3, g, 1.0)
        warm = np.array([currents(lat, muL=m, muR=-math.inf, TL=T).I for m in mu_warm]) / TAU1**2
        cold = current_curve(lat, mu).I / TAU1**2
        panels[label] = (g, T, warm, cold)
    return {"x": mu, "x_warm": mu_warm, "panels": panels}


def _steady_half_filling() -> float:
    from tunnelkit.models.lossy_lattice import currents

    return currents(_lattice(3, 0.5, 1.0), muL=0.0, muR=-math.inf).I


def _fig5(light: bool, progress: Optional[Progress] = None) -> dict:
    from numeric.papers.anglin.dynamics import FiniteLattice, evolve

    out = {}
    for N in tracked((20, 40) if light else (20, 40, 80), progress, desc="anglin-fig5"):
        t = np.linspace(0, 2.5 * N, 60 if light else 400)
        r = evolve(FiniteLattice(M=3, tau1=TAU1, gamma=0.5, N=N), N // 2, t)
        out[N] = (t, np.asarray(r.dN_half))
    return {"runs": out, "I": _steady_half_filling()}


def _fig6(light: bool, progress: Optional[Progress] = None) -> dict:
    from numeric.papers.anglin.dynamics import FiniteLattice, evolve

    rows = {20: (3, 4, 5, 6), 40: (8, 9, 10, 11), 80: (19, 20, 21, 22)}
    if light:
        rows = {20: (4, 5)}
    out = {}
    for N, parts in tracked(list(rows.items()), progress, desc="anglin-fig6"):
        lat = FiniteLattice(M=3, tau1=TAU1, gamma=0.5, N=N)
        t = np.linspace(0, N, 40 if light else 200)
        out[N] = {p: (t, np.asarray(evolve(lat, p, t).dN_half)) for p in parts}
    return {"rows": out}


def _fig7(light: bool, progress: Optional[Progress] = None) -> dict:
    from tunnelkit.models.lossy_lattice import current_curve
    from numeric.papers.anglin.dynamics import FiniteLattice, evolve

    mu = _mu_grid(light)
    steady = current_curve(_lattice(3, 0.5, 1.0), mu).I
    runs = {}
    for N in tracked((20,) if light else (20, 40, 80), progress, desc="anglin-fig7"):
        lat = FiniteLattice(M=3, tau1=TAU1, gamma=0.5, N=N)
        levels = -2 * np.cos(np.arange(1, N + 1) * np.pi / (N + 1))  # isolated-end modes: mu of each filling
        times = [0.25 * N, 0.5 * N, 0.75 * N]
        est = np.array([evolve(lat, p, times).current_fd for p in range(1, N + 1)])
        runs[N] = (levels, times, est)
    return {"x": mu, "steady": steady, "runs": runs}


def _fig8(light: bool, progress: Optional[Progress] = None) -> dict:
    from tunnelkit.models.lossy_lattice import currents

    T = np.linspace(0.02, 2.0, 8 if light else 60)
    curves = {g: np.array([currents(_lattice(3, g, 1.0), muL=-2.0, muR=-math.inf, TL=t, stats="bose").I for t in T])
              / TAU1**2 for g in tracked((0.5, 5.0), progress, desc="anglin-fig8")}
    return {"x": T, "curves": curves}


def _tajima_fig2(light: bool, progress: Optional[Progress] = None) -> dict:
    from numeric.papers.tajima.pair_ratio import pair_ratio

    T = np.concatenate([np.geomspace(0.2185, 0.3, 5 if light else 30), np.linspace(0.32, 1.5, 4 if light else 40)])
    r = pair_ratio(T, progress=progress)
    return {"T": T, "ratio": np.asarray(r.G_over_S), "Tc": r.Tc}


#: name -> data function ``(light, progress) -> dict``
FIGURES: dict[str, Callable[[bool, Optional[Progress]], dict]] = {
    "anglin-fig2": _fig2, "anglin-fig3": _fig3, "anglin-fig4": _fig4, "anglin-fig5": _fig5,
    "anglin-fig6": _fig6, "anglin-fig7": _fig7, "anglin-fig8": _fig8, "tajima-fig2": _tajima_fig2,
}


def _check_name(name: str) -> None:
    if name not in FIGURES:
        raise ParameterError("NAME", "one of " + ", ".join(sorted(FIGURES)), name)


def figure_data(name: str, *, light: bool = False, progress: Optional[Progress] = None) -> dict:
    """The numbers behind a figure (no plotting).

    Parameters
    ----------
    name
        A key of :data:`FIGURES`.
    light
        Coarse grids (seconds instead of minutes).
    progress
        Optional progress wrapper (:mod:`numeric.progress`), advanced per curve or panel.

    Returns
    -------
    dict
        Arrays of the figure's curves.
    """
    _check_name(name)
    return FIGURES[name](light, progress)


def _new_figure(nrows: int = 1, ncols: int = 1, **options):
    """A figure and its axes, not registered with pyplot: no backend is selected and nothing is shown twice
    (a notebook displays the figure it is given; ``savefig`` writes any format)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=options.pop("figsize"))
    FigureCanvasAgg(fig)
    return fig, fig.subplots(nrows, ncols, **options)


def plot(name: str, d: dict):
    """A matplotlib figure of ``figure_data(name)`` (a ``matplotlib.figure.Figure``, outside pyplot's state)."""
    ylab = r"$I/\tau_1^2$"
    line_panels = {"anglin-fig2": (r"$V/\tau$", r"$M=2,\ \tau_1=0.1,\ \Lambda\to\infty,\ T=0,\ "
                                               r"\mu_L=+V/2,\ \mu_R=-V/2$"),
                   "anglin-fig8": (r"$k_BT_L/\tau$", r"bosons, $\mu_L=-2\tau$, $M=3$, $\Lambda=1$")}
    if name in line_panels:  # one curve per loss rate
        fig, ax = _new_figure(figsize=(5.4, 3.6))
        for g, y in d["curves"].items():
            ax.plot(d["x"], y, lw=1.2, label=rf"$\gamma={g:g}$")
        ax.set(xlabel=line_panels[name][0], ylabel=ylab)
        ax.set_title(line_panels[name][1], fontsize=9)
        ax.legend(frameon=False)
    elif name in ("anglin-fig3", "anglin-fig4"):
        panels = d["panels"]
        fig, axes = _new_figure(1, len(panels), figsize=(4.2 * len(panels), 3.7), sharey=True)
        for n, (ax, (key, val)) in enumerate(zip(np.atleast_1d(axes), panels.items())):
            if name == "anglin-fig3":  # panel label and its loss rate inside; the shared parameters below
                ax.plot(d["x"], val, color="k", lw=1.2)
                ax.text(0.04, 0.95, f"({'abcdefgh'[n]})", transform=ax.transAxes, va="top", fontweight="bold")
                ax.text(0.04, 0.84, rf"$\gamma={key:g}\tau$", transform=ax.transAxes, va="top")
            else:
                g, T, warm, cold = val
                ax.plot(d["x"], cold, color="0.7", lw=3, label="$T_L=0$")
                ax.plot(d["x_warm"], warm, color="k", lw=1, label=rf"$k_BT_L={T:g}\tau$")
                ax.set_title(rf"{key}) $\gamma={g:g}$")
                ax.legend(frameon=False, loc="upper left")
            ax.set_xlabel(r"$\mu_L/\tau$")
        np.atleast_1d(axes)[0].set_ylabel(ylab)
        if name == "anglin-fig3":
            fig.text(0.5, 0.01, r"$M=3,\ \tau_1=0.1,\ \Lambda=1,\ T=0$; right lead empty ($\mu_R\to-\infty$)",
                     ha="center", va="bottom", fontsize=9)
            fig.tight_layout(rect=(0, 0.06, 1, 1))
            return fig
    elif name == "anglin-fig5":
        fig, ax = _new_figure(figsize=(5, 3.6))
        for N, (t, y) in d["runs"].items():
            ax.plot(t / N, y, lw=1.2, label=f"N={N}")
            ax.plot(t / N, y[0] - d["I"] * t, "k--", lw=0.6)
        ax.axvline(1.0, color="0.6", lw=0.6)
        ax.set(xlabel=r"$\tau t/N$", ylabel=r"$\Delta N/2$", title=r"$M=3,\ \tau_1=0.1,\ \gamma=0.5,\ \mu_L=0$")
        ax.legend(frameon=False)
    elif name == "anglin-fig6":
        rows = d["rows"]
        ncol = max(len(v) for v in rows.values())
        fig, axes = _new_figure(len(rows), ncol, figsize=(2.6 * ncol, 2.2 * len(rows)), squeeze=False)
        for r, (N, runs) in enumerate(rows.items()):
            for c, (p, (t, y)) in enumerate(runs.items()):
                axes[r, c].plot(t, y, "k", lw=1)
                axes[r, c].set_title(f"N={N}, {p} fermions", fontsize=8)
                axes[r, c].set_xlabel(r"$\tau t$", fontsize=8)
        axes[0, 0].set_ylabel(r"$\Delta N/2$")
    elif name == "anglin-fig7":
        runs = d["runs"]
        fig, axes = _new_figure(1, len(runs), figsize=(4.2 * len(runs), 3.4), squeeze=False)
        for ax, (N, (levels, times, est)) in zip(axes[0], runs.items()):
            ax.plot(d["x"], d["steady"], color="0.7", lw=3, label="steady state")
            for j, (t, mk) in enumerate(zip(times, "o+x")):
                ax.plot(levels, est[:, j], mk, ms=3, mfc="none", color="k", label=rf"$\tau t={t:g}$")
            ax.set(title=f"N={N}", xlabel=r"$\mu_L/\tau$", ylabel=r"$I/\tau$")
        axes[0, 0].legend(frameon=False, fontsize=7)
    else:  # tajima-fig2
        fig, ax = _new_figure(figsize=(5, 3.6))
        ax.semilogy(d["T"], d["ratio"], "k", lw=1.2)
        ax.axvline(d["Tc"], color="0.6", ls="--", lw=0.8)
        ax.text(d["Tc"] * 1.03, d["ratio"].max() / 3, rf"$T_c={d['Tc']:.4f}\,T_F$", fontsize=8)
        ax.set(xlabel=r"$T/T_F$", ylabel=r"$\mathcal{G}/\mathcal{S}$",
               title=r"strong-coupling BEC limit, $\gamma=0.1E_F$")
    fig.tight_layout()
    return fig


def render(name: str, out: str, *, light: bool = False, progress: Optional[Progress] = None) -> str:
    """Compute and write a figure; the format comes from the suffix (.png, .pdf or .svg).

    The name, the suffix and the folder are checked before any computing, and the
    file is written atomically (:func:`atomic_output`).

    Parameters
    ----------
    name
        A key of :data:`FIGURES`.
    out
        Output file.
    light
        Coarse grids.
    progress
        Optional progress wrapper (:mod:`numeric.progress`).

    Returns
    -------
    str
        ``out``.
    """
    _check_name(name)
    suffix = Path(out).suffix.lower()
    if suffix not in SUFFIXES:
        raise ParameterError("out", "a file name ending in " + ", ".join(SUFFIXES), out)
    with atomic_output(out) as tmp:
        fig = plot(name, figure_data(name, light=light, progress=progress))
        fig.savefig(tmp, dpi=150, format=suffix[1:])
    return out


def regenerate_all(directory: str = "docs/figures", *, light: bool = False) -> list[str]:
    """Write every figure as PNG into ``directory`` (``python -m tunnelkit.figures``)."""
    from pathlib import Path

    Path(directory).mkdir(parents=True, exist_ok=True)
    return [render(n, str(Path(directory) / f"{n}.png"), light=light) for n in sorted(FIGURES)]


if __name__ == "__main__":  # pragma: no cover
    import sys

    for p in regenerate_all(*(sys.argv[1:2] or [])):
        print(p)
