"""Whole current curves at zero temperature by one cumulative, resonance-aware integration.

At :math:`T = 0` the occupations are steps, so the current is a difference of
cumulative integrals of the flows per unit occupation
:math:`t_{L,R}(\\omega)` (:func:`numeric.anglin.currents.transport_integrand`):

.. math:: I = \\frac{1}{4\\pi}\\Big[\\int_{-\\infty}^{\\mu_L} t_L\\,d\\omega
              - \\int_{-\\infty}^{\\mu_R} t_R\\,d\\omega\\Big]

(anglin Eq. 22/38 with :math:`f = \\theta(\\mu - \\omega)`).  The panels of
*one* integration (:mod:`numeric.quadrature`) are cut at every requested
chemical potential, at the resonance breakpoints of
:mod:`numeric.anglin.resonances` and at the band edges, so a curve at many
:math:`\\mu` is a cumulative sum of panel integrals:

* :func:`current_curve`: :math:`I(\\mu_L)` with nothing incident from the
  right (finite :math:`\\Lambda`); the square-root behaviour at the band
  edges of both leads is removed by interval maps
  (:func:`numeric.anglin.currents.band_segments`).
* :func:`bias_curve`: :math:`I(V)` with :math:`\\mu_{L,R} = \\pm V/2` in the
  reservoir limit :math:`\\Lambda\\to\\infty` (Fig. 2), where the lead
  self-energies :math:`-i\\tau_1^2` do not depend on the lead potentials, so
  :math:`t_{L,R}` are the same for every V; the lower limit is
  :math:`-\\infty` (wide-band leads have no band bottom): a tail panel
  :math:`\\omega = b + S - S/u`.

The tolerance is absolute, a fraction ``rtol`` of the gross flow.

>>> from numeric.anglin.parameters import LossyLattice
>>> lat = LossyLattice(M=3, tau1=0.1, gamma=0.5, Lambda=1.0)
>>> c = current_curve(lat, [-1.0, 0.0, 1.0])
>>> bool(np.all(np.diff(c.I) > 0))
True
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from numeric.anglin.currents import band_segments, exact_lead_band, transport_integrand
from numeric.anglin.parameters import LossyLattice
from numeric.anglin.resonances import breakpoints
from numeric.quadrature import Segment, integrate_segments

__all__ = ["CurrentCurve", "current_curve", "bias_curve"]

#: Gauss-Legendre nodes per panel: a curve cuts its range at every requested point, so panels are short
_ORDER = 10


@dataclass(frozen=True)
class CurrentCurve:
    """Particle current ``I`` at each value of ``x`` (mu_L or V) with absolute error estimates."""

    x: np.ndarray
    I: np.ndarray
    error: np.ndarray

    @property
    def mu(self) -> np.ndarray:
        """The chemical potentials of a :func:`current_curve` (same as ``x``)."""
        return self.x


def _cumulative(q, at: np.ndarray, column: int) -> tuple[np.ndarray, np.ndarray]:
    """Integral of one column from the start of the panels up to each point of ``at`` (a panel end)."""
    cum = np.concatenate([[0.0], np.cumsum(q.panel_value[:, column])])
    cerr = np.concatenate([[0.0], np.cumsum(q.panel_error[:, column])])
    idx = np.searchsorted(q.panel_hi, at, side="right")  # panels that end at or before each point
    before = at <= q.panel_lo[0]
    return np.where(before, 0.0, cum[idx]), np.where(before, 0.0, cerr[idx])


def current_curve(lat: LossyLattice, mu: Sequence[float], *, rtol: float = 1e-13) -> CurrentCurve:
    """I(mu_L) at T = 0 with nothing incident from the right, for many mu_L at once.

    .. math:: I(\\mu_L) = \\frac{1}{4\\pi}\\int_{\\omega_{lo}}^{\\mu_L} t_L(\\omega)\\,d\\omega

    Parameters
    ----------
    lat
        The lossy lattice (finite Lambda: the left band must be bounded).
    mu
        Chemical potentials of the left lead (any order; below the band: 0).
    rtol
        Tolerance relative to the gross flow over the whole band.

    Returns
    -------
    CurrentCurve
    """
    mus = np.asarray(mu, dtype=float)
    if lat.infinite:
        raise ValueError("current_curve needs a finite Lambda (the left band must be bounded)")
    lo_exact, hi_exact = exact_lead_band(lat, "L")
    lo, hi = float(lo_exact), float(hi_exact)
    g = transport_integrand(lat)
    inner = np.concatenate([breakpoints(lat, lo, hi), np.clip(mus, lo, hi)])  # resonances and every mu
    segs = band_segments(lat, lo_exact, hi_exact, list(inner[(inner > lo) & (inner < hi)]))
    q = integrate_segments(lambda w: g(w)[:, :1], segs, rtol=rtol, order=_ORDER)
    I, err = _cumulative(q, np.clip(mus, lo, hi), 0)
    return CurrentCurve(mus, np.where(mus <= lo, 0.0, I), np.where(mus <= lo, 0.0, err))


def bias_curve(lat: LossyLattice, V: Sequence[float], *, rtol: float = 1e-13) -> CurrentCurve:
    """I(V) at T = 0 with mu_L = V/2, mu_R = -V/2 in the reservoir limit, for many V at once (Fig. 2).

    .. math:: I(V) = \\frac{1}{4\\pi}\\Big[\\int_{-\\infty}^{V/2} t_L - \\int_{-\\infty}^{-V/2} t_R\\Big]

    Parameters
    ----------
    lat
        The lossy lattice with Lambda = inf (its own V is not used: with
        wide-band leads the flows per unit occupation do not depend on V).
    V
        Bias voltages.
    rtol
        Tolerance relative to the gross flow.

    Returns
    -------
    CurrentCurve
        ``x`` holds the voltages.
    """
    Vs = np.asarray(V, dtype=float)
    if not lat.infinite:
        raise ValueError("bias_curve needs Lambda = inf (the flows then do not depend on the lead potentials)")
    if not np.all(np.isfinite(Vs)):
        raise ValueError("bias_curve needs finite voltages")
    half = np.abs(Vs) / 2
    top = float(max(half.max(initial=0.0), 2.5))
    pts = np.concatenate([breakpoints(lat, -top, top), half, -half])
    seg = [Segment(-math.inf, -top), Segment(-top, top, points=tuple(pts[(pts > -top) & (pts < top)]))]
    q = integrate_segments(transport_integrand(lat), seg, rtol=rtol, order=_ORDER)
    IL, eL = _cumulative(q, Vs / 2, 0)
    IR, eR = _cumulative(q, -Vs / 2, 1)
    return CurrentCurve(Vs, IL - IR, eL + eR)
