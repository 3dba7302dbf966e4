"""Whole current curves I(mu_L) at zero temperature by one cumulative, resonance-aware integration.

With :math:`T_L = 0` and no particles from the right (:math:`\\mu_R = -\\infty`),

.. math:: I(\\mu) = \\int_{\\omega_{\\rm lo}}^{\\mu} g(\\omega)\\,d\\omega

(anglin Eq. 22/38 with :math:`f_L = \\theta(\\mu - \\omega)`), so the curve at
many :math:`\\mu` is a cumulative sum of panel integrals of *one* integrand.
The panels are cut at every requested :math:`\\mu`, at the resonance
breakpoints of :mod:`numeric.anglin.resonances` and at the band edges; the band-edge
square roots are removed by :math:`\\omega = \\omega_{lo} + (\\omega_{hi}-\\omega_{lo})(1-\\cos\\theta)/2`.
All panels are refined together (vectorised Gauss-Legendre bisection); the
tolerance is absolute, a fraction ``rtol`` of the full gross flow.

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

from numeric.anglin.currents import Reservoirs, _integrand_np
from numeric.anglin.parameters import LossyLattice
from numeric.quadrature import gauss_legendre
from numeric.anglin.resonances import breakpoints

__all__ = ["CurrentCurve", "current_curve", "integrate_panels"]


@dataclass(frozen=True)
class CurrentCurve:
    mu: np.ndarray
    I: np.ndarray
    error: np.ndarray


def integrate_panels(f, edges: np.ndarray, *, atol: float, order: int = 16, max_rounds: int = 60,
                     max_panels: int = 20000):
    """Integrals of vectorised ``f`` over every panel ``[edges[i], edges[i+1]]`` with absolute errors.

    Panels are bisected until each piece's two-level difference is below its
    share of ``atol`` (share proportional to its width) or its round-off floor.
    When more than ``max_panels`` pieces would remain open (an integrand whose
    own evaluation noise exceeds the floor, e.g. next to a very narrow
    resonance) all are accepted and their differences go into the error.
    """
    x, w = gauss_legendre(order)
    n = len(edges) - 1
    out, err = np.zeros(n), np.zeros(n)
    lo, hi, owner = edges[:-1].astype(float), edges[1:].astype(float), np.arange(n)
    span = float(edges[-1] - edges[0])

    def gl(a, b):
        mid, half = (a + b) / 2, (b - a) / 2
        nodes = mid[:, None] + half[:, None] * x[None, :]
        vals = f(nodes.ravel()).reshape(nodes.shape)
        return (vals @ w) * half, (np.abs(vals) @ w) * half

    coarse, _ = gl(lo, hi)
    eps = np.finfo(float).eps
    for _ in range(max_rounds):
        mid = (lo + hi) / 2
        (left, aleft), (right, aright) = gl(lo, mid), gl(mid, hi)
        fine = left + right
        diff = np.abs(fine - coarse)
        # accepted: below the panel's share of atol, or at the round-off floor of its |f| integral
        ok = (diff <= atol * (hi - lo) / span) | (diff <= 1000 * eps * (aleft + aright))
        if 2 * np.count_nonzero(~ok) > max(max_panels, n):
            ok[:] = True
        np.add.at(out, owner[ok], fine[ok])
        np.add.at(err, owner[ok], diff[ok])
        if ok.all():
            return out, err
        bad = ~ok
        lo, hi, owner = (np.concatenate([lo[bad], mid[bad]]), np.concatenate([mid[bad], hi[bad]]),
                         np.concatenate([owner[bad], owner[bad]]))
        coarse = np.concatenate([left[bad], right[bad]])
    np.add.at(out, owner, coarse)
    np.add.at(err, owner, np.abs(coarse))
    return out, err


def current_curve(lat: LossyLattice, mu: Sequence[float], *, rtol: float = 1e-13) -> CurrentCurve:
    """I(mu_L) at T = 0 with nothing incident from the right, for many mu_L at once."""
    mus = np.asarray(mu, dtype=float)
    if lat.infinite:
        raise ValueError("current_curve needs a finite Lambda (the left band must be bounded)")
    lo, hi = lat.lead_band("L")
    # the integrand of currents() with f_L = 1 (mu_L = +inf) and f_R = 0; column 0 is I
    full = _integrand_np(lat, Reservoirs.for_lattice(lat, muL=math.inf, muR=-math.inf))
    g = lambda om: full(om)[:, 0]  # noqa: E731
    to_theta = lambda om: np.arccos(np.clip(1 - 2 * (om - lo) / (hi - lo), -1, 1))  # noqa: E731

    def h(th):
        om = lo + (hi - lo) * (1 - np.cos(th)) / 2
        return g(om) * (hi - lo) * np.sin(th) / 2

    # interior kinks: resonances, every requested mu, and the other lead's band edges (where X_R switches)
    inner = np.concatenate([breakpoints(lat, lo, hi), np.clip(mus, lo, hi), lat.lead_band("R")])
    edges = np.unique(np.concatenate([[0.0, math.pi], to_theta(inner[(inner > lo) & (inner < hi)])]))
    gross_panels, _ = integrate_panels(lambda t: np.abs(h(t)), edges, atol=1e-6 * math.pi, order=10, max_rounds=10)
    gross = float(gross_panels.sum())
    vals, errs = integrate_panels(h, edges, atol=rtol * gross)
    cum = np.concatenate([[0.0], np.cumsum(vals)])
    cerr = np.concatenate([[0.0], np.cumsum(errs)])
    idx = np.searchsorted(edges, to_theta(np.clip(mus, lo, hi)))
    idx = np.clip(idx, 0, len(edges) - 1)
    I = np.where(mus <= lo, 0.0, cum[idx])
    return CurrentCurve(mus, I, np.where(mus <= lo, 0.0, cerr[idx]))
