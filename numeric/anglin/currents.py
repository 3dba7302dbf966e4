"""Steady-state particle current, energy current and loss rate of the lossy lattice.

.. math::

    I = \\frac{1}{4\\pi}\\int d\\omega\\,\\big[f_L(1+X_L|\\mathcal T|^2-|\\mathcal R_L|^2)
        - f_R(1+X_R|\\mathcal T|^2-|\\mathcal R_R|^2)\\big]

(anglin:22/38 with the prefactor :math:`1/4\\pi`, erratum ``anglin:38``),
:math:`Q` the same with an extra :math:`\\omega` (anglin:42, hbar = tau = 1)
and :math:`\\gamma\\bar n_0 = \\frac{1}{2\\pi}\\int d\\omega\\,(f_La_L+f_Ra_R)`
(from anglin:21).  The integrands are the generated stable forms
(flux balance; no :math:`1-|\\mathcal R|^2` cancellation).

Integration: the support of the occupations intersected with the lead bands
is split at band edges, chemical potentials, thermal scales and at the
resonance poles (centre and +-1..100 half widths, :mod:`numeric.anglin.resonances`);
panels next to a lead band edge use :math:`\\omega = e\\pm u^2` (square-root
edge), infinite ranges :math:`\\omega = \\pm W/u`.  The NumPy path uses
:func:`numeric.quadrature.integrate`, the mpmath path ``mpmath.quad``
(tanh-sinh) inside ``workdps``; both return an error estimate.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath
import numpy as np

from numeric._generated import lossy_lattice_mp as gmp
from numeric._generated import lossy_lattice_np as gnp
from numeric.distributions import Stats, occupation
from numeric.errors import ParameterError, require
from numeric.anglin.parameters import LossyLattice
from numeric.quadrature import integrate
from numeric.anglin.resonances import breakpoints
from numeric.anglin.transmission import transmission, transmission_point
from numeric.precision import MULTI

__all__ = ["Reservoirs", "Currents", "currents"]

_THERMAL_CUT = 50.0  # f < e^-50 beyond mu + 50 T


@dataclass(frozen=True)
class Reservoirs:
    """Chemical potentials, temperatures and statistics of the two outer lattices.

    ``muL``/``muR`` default to +-V/2 (equal filling, anglin Eq. 26).
    """

    muL: float
    muR: float
    TL: float = 0.0
    TR: float = 0.0
    stats: Stats = "fermi"

    @classmethod
    def for_lattice(cls, lat: LossyLattice, *, muL: float | None = None, muR: float | None = None,
                    TL: float = 0.0, TR: float = 0.0, stats: str = "fermi") -> "Reservoirs":
        """Validated reservoirs for ``lat`` (Bose: mu at most the band bottom, finite Lambda)."""
        muL = lat.V / 2 if muL is None else require("muL", muL, allow_inf=True)
        muR = -lat.V / 2 if muR is None else require("muR", muR, allow_inf=True)
        TL = require("TL", TL, lo=0)
        TR = require("TR", TR, lo=0)
        if stats not in ("fermi", "bose"):
            raise ParameterError("stats", "'fermi' or 'bose'", stats)
        if stats == "bose":
            if lat.infinite:
                raise ParameterError("Lambda", "finite for bose statistics (no band bottom at inf)",
                                     lat.Lambda)
            for name, mu, side in (("muL", muL, "L"), ("muR", muR, "R")):
                bottom = lat.lead_band(side)[0]
                if mu > bottom:
                    raise ParameterError(name, f"<= the band bottom {bottom:g} for bose statistics", mu)
        return cls(muL, muR, TL, TR, stats)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Currents:
    """Particle current ``I``, energy current ``Q``, loss rate ``loss`` and absolute error estimates."""

    I: float
    Q: float
    loss: float
    error_I: float
    error_Q: float
    error_loss: float


def _side_support(lat: LossyLattice, res: Reservoirs, side: str) -> tuple[float, float] | None:
    mu, T = (res.muL, res.TL) if side == "L" else (res.muR, res.TR)
    if mu == -math.inf:
        return None
    lo, hi = lat.lead_band(side)
    if res.stats == "bose":
        return (lo, min(hi, mu + _THERMAL_CUT * T)) if T > 0 else None
    top = mu + _THERMAL_CUT * T
    return (lo, min(hi, top))


def _segments(lat: LossyLattice, res: Reservoirs):
    """Integration range split into (a, b, kind) segments and the interior breakpoints."""
    sup = [s for s in (_side_support(lat, res, "L"), _side_support(lat, res, "R")) if s]
    if not sup:
        return [], np.array([])
    lo, hi = min(s[0] for s in sup), max(s[1] for s in sup)
    if hi <= lo:
        return [], np.array([])
    finite_pts = [x for x in (res.muL, res.muR) if math.isfinite(x)]
    W = 8.0 + 2 * max([abs(x) for x in finite_pts] + [abs(lat.V)])
    flo, fhi = max(lo, -W), min(hi, W)
    pts = [x for x in breakpoints(lat, flo, fhi)]
    for mu, T in ((res.muL, res.TL), (res.muR, res.TR)):
        if math.isfinite(mu):
            pts.append(mu)
            pts += [mu + s * m * T for s in (-1, 1) for m in (1, 4, 16)] if T > 0 else []
    edges = []
    if not lat.infinite:
        for side in ("L", "R"):
            edges += list(lat.lead_band(side))
    pts += edges
    pts = np.unique([p for p in pts if flo < p < fhi])
    segs = []
    grid = np.concatenate([[flo], pts, [fhi]])
    for a, b in zip(grid[:-1], grid[1:]):
        kind = "plain"
        if any(abs(a - e) == 0 for e in edges):
            kind = "sqrt_left"
        elif any(abs(b - e) == 0 for e in edges):
            kind = "sqrt_right"
        segs.append((a, b, kind))
    if lo < flo:
        segs.append((-math.inf, flo, "tail_left"))
    if hi > fhi:
        segs.append((fhi, math.inf, "tail_right"))
    return segs, pts


def _integrand_np(lat: LossyLattice, res: Reservoirs):
    def g(w: np.ndarray) -> np.ndarray:
        tr = transmission(lat, w)
        fL = np.where(tr.incident_L, occupation(w, res.muL, res.TL, res.stats), 0.0)
        fR = np.where(tr.incident_R, occupation(w, res.muR, res.TR, res.stats), 0.0)
        z = lambda x: np.nan_to_num(x, nan=0.0)  # noqa: E731  (no incident wave -> no term)
        args = (z(tr.T2), z(tr.absorbed_L), z(tr.absorbed_R), tr.incident_R.astype(float),
                tr.incident_L.astype(float))
        with np.errstate(invalid="ignore", over="ignore"):
            net = gnp.integrands(w, fL, fR, *args)
            gross = gnp.integrands(w, fL, -fR, *args)  # f_L and f_R flows added, not subtracted
        comps = [net[0], net[1], net[2], gross[0], np.abs(gross[1])]
        vals = np.stack([np.broadcast_to(np.real(o), w.shape) for o in comps], axis=-1)
        # |omega|^(M+1) can overflow far in the tails, where the integrand is < 1e-150
        bad = ~np.isfinite(vals)
        if bad.any():
            if np.any(bad & (np.abs(w)[:, None] < 1e8)):
                raise FloatingPointError("non-finite integrand inside |omega| < 1e8")
            vals = np.where(bad, 0.0, vals)
        return vals
    return g


def _mapped(g, a: float, b: float, kind: str):
    """Integrand and finite interval after the substitution for ``kind``."""
    if kind == "plain":
        return g, a, b, lambda x: x
    if kind == "sqrt_left":  # omega = a + u^2
        return (lambda u: g(a + u * u) * (2 * u)[:, None]), 0.0, math.sqrt(b - a), lambda x: math.sqrt(x - a)
    if kind == "sqrt_right":  # omega = b - u^2
        return (lambda u: g(b - u * u) * (2 * u)[:, None]), 0.0, math.sqrt(b - a), lambda x: math.sqrt(b - x)
    if kind == "tail_left":  # omega = b / u, b < 0, u in (0, 1]
        return (lambda u: g(b / u) * (abs(b) / (u * u))[:, None]), 0.0, 1.0, None
    if kind == "tail_right":  # omega = a / u, a > 0
        return (lambda u: g(a / u) * (a / (u * u))[:, None]), 0.0, 1.0, None
    raise ValueError(kind)


#: tolerance of (I, Q, loss, gross particle flow, gross energy flow) is set by component ...
_SCALE_FROM = [3, 4, 2, 3, 4]


def _currents_np(lat: LossyLattice, res: Reservoirs, rtol: float) -> Currents:
    """I, Q, loss with errors; tolerances relative to the gross flows (a net current may vanish)."""
    segs, _ = _segments(lat, res)
    g = _integrand_np(lat, res)
    # the tolerance refers to the whole integral: estimate the gross flows first
    scale = np.zeros(5)
    for a, b, kind in segs:
        h, ua, ub, _ = _mapped(g, a, b, kind)
        v, _e = integrate(h, ua, ub, rtol=1e-3, order=10, max_rounds=8)
        scale += np.abs(v)
    atol = rtol * scale[_SCALE_FROM] / max(len(segs), 1)
    total, err = np.zeros(5), np.zeros(5)
    for a, b, kind in segs:
        h, ua, ub, _ = _mapped(g, a, b, kind)
        v, e = integrate(h, ua, ub, rtol=rtol, atol=atol, scale_from=_SCALE_FROM)
        total += v
        err += e
    return Currents(*total[:3], *err[:3])


def _currents_mp(lat: LossyLattice, res: Reservoirs, dps: int) -> Currents:
    segs, pts = _segments(lat, res)
    with mpmath.workdps(dps):
        muL, muR = mpmath.mpf(res.muL), mpmath.mpf(res.muR)
        TL, TR = mpmath.mpf(res.TL), mpmath.mpf(res.TR)

        def parts(w):
            tr = transmission_point(lat, w, amplitudes=False)
            incL, incR = tr.incident_L, tr.incident_R
            if not (incL or incR):
                return None
            fL = occupation(w, muL, TL, res.stats, backend=MULTI) if incL else 0
            fR = occupation(w, muR, TR, res.stats, backend=MULTI) if incR else 0
            return gmp.integrands(w, fL, fR, tr.T2, tr.absorbed_L if incL else 0,
                                  tr.absorbed_R if incR else 0, int(incR), int(incL))

        memo: dict = {}

        def cached(w):  # the three quadratures visit the same tanh-sinh nodes
            if w not in memo:
                memo[w] = parts(w)
            return memo[w]

        results = []
        for idx in range(3):
            f = lambda w, i=idx: _re(cached(w), i)  # noqa: E731
            total, err = mpmath.mpf(0), mpmath.mpf(0)
            for a, b, kind in segs:
                inner = [mpmath.mpf(p) for p in pts if a < p < b]
                lo = -mpmath.inf if kind == "tail_left" else mpmath.mpf(a)
                hi = mpmath.inf if kind == "tail_right" else mpmath.mpf(b)
                v, e = mpmath.quad(f, [lo] + inner + [hi], error=True)
                total += v
                err += e
            results.append((total, err))
    (I, eI), (Q, eQ), (loss, eL) = results
    return Currents(I, Q, loss, eI, eQ, eL)


def _re(out, i):
    return mpmath.mpf(0) if out is None else mpmath.re(out[i])


def currents(lat: LossyLattice, *, muL: float | None = None, muR: float | None = None,
             TL: float = 0.0, TR: float = 0.0, stats: str = "fermi", dps: int | None = None,
             rtol: float = 1e-12) -> Currents:
    """Steady-state I, Q and gamma*n_0 with absolute error estimates.

    >>> lat = LossyLattice(M=2, tau1=0.1, gamma=0.0, Lambda=math.inf, V=1.0)
    >>> c = currents(lat)
    >>> round(float(c.I / lat.tau1**2), 3), bool(c.error_I < 1e-12)
    (0.333, True)
    """
    res = Reservoirs.for_lattice(lat, muL=muL, muR=muR, TL=TL, TR=TR, stats=stats)
    if dps is None:
        return _currents_np(lat, res, rtol)
    if int(dps) < 1:
        raise ParameterError("dps", "an integer >= 1", dps)
    return _currents_mp(lat, res, int(dps))
