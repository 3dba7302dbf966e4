"""Two semi-infinite lattices joined by one weak link: exact Landauer current vs the tunnelling formulas.

Each lead is a half-infinite chain of hopping :math:`-\\Lambda` (sites
0, 1, 2, ... away from the junction) with on-site energy :math:`\\epsilon_i`;
the surface sites :math:`0_L, 0_R` are joined by :math:`-t'`.  This is the
lossy lattice of anglin with :math:`\\gamma = 0` and the middle chain reduced to
one bond.

* **Exact** (any order in :math:`t'`): Caroli formula on the two-site device,
  :math:`\\mathcal T(\\omega) = \\Gamma_L\\Gamma_R|G_{LR}|^2` by the direct solver
  :func:`numeric.models.greens.solve` (the rest of each chain is a lead of hopping and coupling
  :math:`-\\Lambda`), :math:`I = \\frac1{2\\pi}\\int
  \\mathcal T(\\omega)[f_L-f_R]d\\omega` per species (Fermi or Bose).
* **Tunnelling formula** (tajima:20; tajima:21 with bosons): with the lead
  spectral functions of the decoupled surface sites,
  :math:`\\sum_k|\\phi_k(0)|^2\\mathrm{Im}G_k = \\mathrm{Im}\\,g_i`,
  :math:`I^{(2)} = 4\\int\\frac{d\\omega}{2\\pi}\\,t'^2\\,\\mathrm{Im}g_L\\mathrm{Im}g_R\\,[f_L-f_R]`
  per species; the pair (tajima:21) and spin (tajima:24) versions carry
  :math:`8\\tilde g^2 = 2\\times4\\tilde g^2` because each transferred boson
  changes :math:`N_L` (or :math:`N_{\\uparrow L}-N_{\\downarrow L}`) by 2.

>>> ex, pt = landauer_pair(0.05, eps=(0.2, -0.2), mu=(0.1, -0.1), T=(0.0, 0.0))
>>> bool(abs(ex / pt - 1) < 1e-2)
True
"""
from __future__ import annotations

import numpy as np

from numeric.distributions import Stats, occupation
from numeric.models.greens import bloch_factor, solve
from numeric.quadrature import Segment, integrate_segments
from numeric.models.tight_binding import Lead, TightBinding

__all__ = ["surface_green", "transmission_exact", "landauer_pair", "exponent"]


def surface_green(omega: np.ndarray, eps: float, Lambda: float = 1.0) -> np.ndarray:
    """Retarded GF of the surface site of an isolated half chain: :math:`g = \\tilde z/\\Lambda`, with
    :math:`\\tilde z` the retarded Bloch factor of :func:`numeric.models.greens.bloch_factor`
    (:math:`\\tilde z + 1/\\tilde z = (\\omega - \\epsilon)/\\Lambda`, :math:`|\\tilde z| \\le 1`)."""
    return bloch_factor((np.asarray(omega, dtype=float) - eps) / Lambda) / Lambda


def transmission_exact(omega: np.ndarray, t: float, eps: tuple[float, float], Lambda: float = 1.0) -> np.ndarray:
    """Caroli transmission of the weak link, all orders in ``t``: the one direct solver
    (:func:`numeric.models.greens.solve`) on the two surface sites, each carrying the rest of its chain as a lead."""
    w = np.asarray(omega, dtype=float)
    H = np.array([[eps[0], -t], [-t, eps[1]]], dtype=complex)
    leads = tuple(Lead.make(name, k, -Lambda, e, -Lambda) for k, (name, e) in enumerate(zip("LR", eps)))
    return solve(TightBinding(("0_L", "0_R"), H, leads), w.ravel()).T2("L", "R").reshape(w.shape)


def _integrand(t, eps, mu, T, stats, Lambda):
    def f(w):
        df = occupation(w, mu[0], T[0], stats) - occupation(w, mu[1], T[1], stats)
        ex = transmission_exact(w, t, eps, Lambda) * df / (2 * np.pi)
        gL, gR = surface_green(w, eps[0], Lambda), surface_green(w, eps[1], Lambda)
        pt = 4 * t**2 * gL.imag * gR.imag * df / (2 * np.pi)
        return np.stack([ex, pt], axis=-1)
    return f


def landauer_pair(t: float, *, eps: tuple[float, float], mu: tuple[float, float], T: tuple[float, float],
                  stats: Stats = "fermi", Lambda: float = 1.0, rtol: float = 1e-13) -> tuple[float, float]:
    """(exact current, second-order tunnelling current) of one species, L -> R positive.

    .. math:: I = \\int_{lo}^{hi}\\frac{d\\omega}{2\\pi}\\,\\mathcal T(\\omega)[f_L - f_R],\\qquad
              I^{(2)} = 4t^2\\int_{lo}^{hi}\\frac{d\\omega}{2\\pi}\\,\\mathrm{Im}g_L\\mathrm{Im}g_R[f_L - f_R]

    over the overlap [lo, hi] of the two bands (tajima:20, :21 per species),
    one :mod:`numeric.quadrature` integration with the cosine map for the band
    edges and breakpoints at the chemical potentials.

    Parameters
    ----------
    t
        Link hopping t'.
    eps, mu, T
        On-site energies, chemical potentials and temperatures of the two leads.
    stats
        ``"fermi"`` or ``"bose"``.
    Lambda
        Lead hopping.
    rtol
        Relative tolerance.

    Returns
    -------
    (float, float)
        Exact (Caroli) and second-order currents.
    """
    lo = max(e - 2 * Lambda for e in eps)
    hi = min(e + 2 * Lambda for e in eps)
    if hi <= lo:
        return 0.0, 0.0
    pts = [p for p in mu if np.isfinite(p) and lo < p < hi]
    # band edges: square-root behaviour, removed by the cosine map w = lo + (hi-lo)(1 - cos th)/2
    seg = Segment(lo, hi, map="cosine", points=tuple(pts))
    ex, pt = integrate_segments(_integrand(t, eps, mu, T, stats, Lambda), [seg], rtol=rtol).value
    return float(ex), float(pt)


def exponent(ts: np.ndarray, diffs: np.ndarray) -> float:
    """Least-squares slope of log|diff| against log t."""
    return float(np.polyfit(np.log(ts), np.log(np.abs(diffs)), 1)[0])
