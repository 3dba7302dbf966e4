r"""Steady currents of any tight-binding model with leads at their own chemical potential and temperature.

For leads p, q of a :class:`numeric.tight_binding.TightBinding` (``docs/conventions.md``):

.. math::

    I_p = \frac{1}{2\pi}\int d\omega\,\Big[f_p\,(1-R2_p) - \sum_{q\ne p} f_q\,T2_{q\to p}\Big],
    \qquad \text{loss} = \sum_p I_p = \frac{1}{2\pi}\int d\omega\,\sum_p f_p\,a_p ,

the current out of lead p into the region and the particle loss rate, with
:math:`f_p` the Fermi or Bose function of lead p (:mod:`numeric.distributions`).
The integrand uses the direct solver (:mod:`numeric.greens`) and is zero
where lead p has no propagating mode; :math:`1-R2_p` is evaluated as
:math:`\sum_{q\ne p}T2_{p\to q}+a_p` (no cancellation), and the loss as the
integral of :math:`\sum_p f_pa_p` (equal to :math:`\sum_pI_p` by the flux balance).

Integration (the one engine, :func:`numeric.quadrature.integrate_segments`, in
double or in mpmath): the range is the union of the lead bands, cut above at
:math:`\max_p(\mu_p + cT_p)` where every occupation is below :math:`e^{-c}`
(c = 50 in double, :math:`(D+5)\ln 10` at D working digits); segments cut at
the band edges (square-root maps next to them), the chemical potentials,
:math:`\mu_p\pm(1,4,16)T_p` and the resonances (poles of G: eigenvalues of
:math:`H+\Sigma(\omega)` iterated at :math:`\omega=\operatorname{Re}`, centre
and :math:`\pm(1,3,10,30,100)` half widths); a wide-band lead's infinite band
ends in a tail segment.  Tolerances refer to the gross flows (a net current may
cancel); the error estimate is the quadrature's.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Mapping

import mpmath
import numpy as np

from numeric.distributions import Stats, occupation
from numeric.precision import MULTI
from numeric.progress import Progress, tracked
from numeric.errors import ParameterError, require
from numeric.greens import lead_terms, solve
from numeric.quadrature import Segment, integrate_segments
from numeric.tight_binding import TightBinding

__all__ = ["Reservoir", "ModelCurrents", "model_currents", "model_currents_mp", "resonances"]

_THERMAL_CUT = 50.0
#: largest region whose resonances are located (dense eigenvalues, followed per resonance: O(n^4), 234 s of a
#: current at 201 sites); larger regions integrate adaptively without them (same digits, 3.8 s there)
POLE_SITES_MAX = 64


@dataclass(frozen=True)
class Reservoir:
    """Chemical potential and temperature of one lead (``mu = -inf``: empty)."""

    mu: float = -math.inf
    T: float = 0.0


@dataclass(frozen=True)
class ModelCurrents:
    """Currents out of each lead into the region, the loss rate, and their error estimates."""

    I: dict
    loss: float
    error_estimate: float
    errors: dict


def _bands(tb: TightBinding) -> list[tuple[float, float]]:
    out = []
    for ld in tb.leads:
        if np.ndim(ld.potential) or np.iscomplexobj(ld.potential) and np.imag(ld.potential) != 0:
            out.append((math.nan, math.nan))  # complex potential: no propagating mode anywhere
            continue
        eps = float(np.real(ld.potential))
        if ld.is_wide_band:
            out.append((-math.inf, math.inf))
        else:
            t = float(np.abs(ld.hopping))
            out.append((eps - 2 * t, eps + 2 * t))
    return out


def resonances(tb: TightBinding, *, iterations: int = 3) -> np.ndarray:
    """Poles of G: eigenvalues of :math:`H + \\Sigma(\\operatorname{Re}\\omega)`, followed for ``iterations``."""
    if tb.n_sites > POLE_SITES_MAX or tb.depends_on_omega:
        return np.zeros(0, dtype=complex)
    H = tb.H.toarray() if hasattr(tb.H, "toarray") else np.asarray(tb.H)
    out = []
    for e in np.linalg.eigvals(H):
        for _ in range(iterations):
            Heff = H.copy()
            for ld in tb.leads:
                Heff[ld.site, ld.site] += lead_terms(ld, np.array([e.real]))[0][0]
            ev = np.linalg.eigvals(Heff)
            e = ev[np.argmin(np.abs(ev - e))]
        out.append(e)
    return np.array(sorted(out, key=lambda z: z.real))


def model_currents(tb: TightBinding, reservoirs: Mapping[str, Reservoir], *, stats: Stats = "fermi",
                   rtol: float = 1e-10) -> ModelCurrents:
    r"""Currents :math:`I_p` (into the region) and the loss rate, each with an error estimate.

    .. math:: I_p = \frac{1}{2\pi}\int d\omega\,\Big[f_p(1-R2_p) - \sum_{q\ne p} f_q T2_{q\to p}\Big]

    Parameters
    ----------
    tb : TightBinding
        An omega-independent NumPy model.
    reservoirs : dict
        Lead name -> :class:`Reservoir`; a lead not given is empty (mu = -inf).
    stats : {"fermi", "bose"}
        Occupation of every lead (bosons: mu below the bottom of the lead's band).
    rtol : float
        Relative tolerance, referred to the gross particle flows.

    Returns
    -------
    ModelCurrents
        ``I`` (lead -> current), ``loss`` (= sum of the currents), ``error_estimate``, ``errors``.

    >>> from numeric.tight_binding import Lead
    >>> dot = TightBinding(("d",), np.array([[-0.5j]]), (Lead.make("L", 0, -1.0, 0.0, -0.3),
    ...                                                   Lead.make("R", 0, -1.0, 0.0, -0.3)))
    >>> c = model_currents(dot, {"L": Reservoir(mu=0.5)})
    >>> bool(abs(c.I["L"] + c.I["R"] - c.loss) < 1e-10 and c.I["L"] > 0 > c.I["R"])
    True
    """
    if tb.depends_on_omega:
        raise ParameterError("the values of a model for current", "independent of omega (a model with omega "
                             "in its energies, hoppings or leads has transmission and derive, not current)",
                             "omega in a value")
    names = [ld.name for ld in tb.leads]
    unknown = sorted(set(reservoirs) - set(names))
    if unknown:
        raise ParameterError(f"lead {unknown[0]}", f"one of the model's leads ({', '.join(names)})", unknown[0])
    res = [reservoirs.get(n, Reservoir()) for n in names]
    bands = _bands(tb)
    for n, r, (lo, _hi) in zip(names, res, bands):
        require(f"lead {n} T", r.T, lo=0)
        if math.isnan(r.mu) or r.mu == math.inf:
            raise ParameterError(f"lead {n} mu", "a finite number or -inf (empty)", r.mu)
        if stats == "bose" and r.mu > -math.inf and r.T > 0 and not r.mu < lo:
            raise ParameterError(f"lead {n} mu", f"below the bottom of the lead band ({lo:g}) for bosons", r.mu)
    filled = [(r.mu, r.T) for r in res if r.mu > -math.inf and not (stats == "bose" and r.T == 0)]
    P = len(names)
    if not filled or all(math.isnan(b[0]) for b in bands):
        return ModelCurrents(dict.fromkeys(names, 0.0), 0.0, 0.0, dict.fromkeys(names + ["loss"], 0.0))
    pts = []
    for mu, T in filled:
        pts += [mu] + [mu + s * m * T for s in (-1, 1) for m in (1, 4, 16)]
    for p in resonances(tb):
        width = max(abs(p.imag), 1e-300)
        pts += [p.real + s * m * width for s in (-1, 1) for m in (0.0, 1.0, 3.0, 10.0, 30.0, 100.0)]
    segs = _segments(bands, filled, pts, _THERMAL_CUT)
    if not segs:
        return ModelCurrents(dict.fromkeys(names, 0.0), 0.0, 0.0, dict.fromkeys(names + ["loss"], 0.0))
    g = _integrand(tb, names, res, stats)
    # components: I_1..I_P, loss, gross_1..gross_P, gross loss; tolerance from the gross flows
    q = integrate_segments(g, segs, rtol=rtol, scale_from=_scale_from(P))
    total, err = q.value, q.error
    total, err = total / (2 * math.pi), err / (2 * math.pi)
    errors = {n: float(err[p]) for p, n in enumerate(names)}
    errors["loss"] = float(err[P])
    return ModelCurrents({n: float(total[p]) for p, n in enumerate(names)}, float(total[P]),
                         float(sum(err[:P + 1])), errors)


def _scale_from(P: int) -> list[int]:
    """Components I_1..I_P, loss, gross_1..gross_P, gross loss: each net flow's tolerance from its gross flow."""
    return [P + 1 + p for p in range(P)] + [2 * P + 1] + [P + 1 + p for p in range(P)] + [2 * P + 1]


def _segments(bands: list, filled: list, points: list, cut: float) -> list[Segment]:
    """Integration segments over the union of the lead bands below the thermal cut.

    The range runs from the lowest band bottom (``-inf`` for a wide-band lead: a tail segment) to
    ``min(highest band top, max_p(mu_p + cut T_p))``; every breakpoint and band edge inside it cuts a
    segment, and a segment next to a finite band edge gets the square-root map of that edge (the flows
    behave like sqrt|omega - e| there).  Points that round to the same double are merged, band edges
    first (a panel must be wider than one double).
    """
    finite = [b for b in bands if not (isinstance(b[0], float) and math.isnan(b[0]))]
    if not finite or not filled:
        return []
    lo = min(b[0] for b in finite)
    hi = min(max(b[1] for b in finite), max(mu + cut * T for mu, T in filled))
    if not float(lo) < float(hi):
        return []
    edges = {float(e): e for b in finite for e in b if math.isfinite(float(e)) and float(lo) < float(e) < float(hi)}
    cuts = dict(edges)
    for x in points:
        if math.isfinite(float(x)) and float(lo) < float(x) < float(hi):
            cuts.setdefault(float(x), x)
    grid = [lo] + [cuts[k] for k in sorted(cuts)] + [hi]
    edge_values = {float(e) for b in finite for e in b}
    segs = []
    for a, b in zip(grid[:-1], grid[1:]):
        if math.isinf(float(a)) or math.isinf(float(b)):
            segs.append(Segment(a, b))  # a tail (wide-band lead)
            continue
        at_a, at_b = float(a) in edge_values, float(b) in edge_values
        kind = "cosine" if at_a and at_b else "sqrt_left" if at_a else "sqrt_right" if at_b else "linear"
        segs.append(Segment(a, b, map=kind))
    return segs


def _integrand(tb: TightBinding, names: list[str], res: list[Reservoir], stats: Stats):
    P = len(names)

    def g(w: np.ndarray) -> np.ndarray:
        sol = solve(tb, w)
        f = [np.where(sol.open[:, p], occupation(w, r.mu, r.T, stats), 0.0) for p, r in enumerate(res)]
        T2 = {(p, q): sol.T2(names[p], names[q]) for p in range(P) for q in range(P) if p != q}
        a = [np.nan_to_num(sol.absorbed(n), nan=0.0) for n in names]
        out = np.zeros((len(w), 2 * P + 2))
        for p in range(P):
            outflow = sum((T2[(p, q)] for q in range(P) if q != p), start=np.zeros(len(w))) + a[p]
            inflow = sum((f[q] * T2[(q, p)] for q in range(P) if q != p), start=np.zeros(len(w)))
            out[:, p] = f[p] * outflow - inflow
            out[:, P + 1 + p] = np.abs(f[p] * outflow) + np.abs(inflow)
        out[:, P] = sum(f[p] * a[p] for p in range(P))
        out[:, 2 * P + 1] = sum(np.abs(f[p] * a[p]) for p in range(P))
        return out

    return g


def model_currents_mp(build: Callable[[], TightBinding], reservoirs: Mapping[str, tuple], *,
                      stats: Stats = "fermi", dps: int, guard: int = 10,
                      progress: Progress | None = None) -> ModelCurrents:
    r"""The currents and the loss rate to ``dps`` correct digits (mpmath; same integrals as :func:`model_currents`).

    ``build()`` returns the model with ``backend="mpmath"`` at the working precision (it is called
    inside ``mpmath.workdps``); ``reservoirs`` maps lead names to exact ``(mu, T)``.  The integrals use
    the quadrature engine's mpmath backend over the segments of :func:`model_currents` (band edges with
    square-root maps, chemical potentials, :math:`\mu_p\pm(1,4,16)T_p`, the real parts of the
    eigenvalues of H; a thermal cut that follows the working precision; tails for wide-band leads).  The whole computation runs at ``dps + guard``
    and ``dps + 2 guard`` digits; the results must agree to ``dps`` digits, else
    :class:`numeric.errors.ParameterError` is raised.  The error estimate is the larger of the quadrature
    estimate and that difference.

    Parameters
    ----------
    build : callable
        Builds the mpmath model at the current precision.
    reservoirs : dict
        Lead name -> (mu, T), exact values (a lead not given is empty).
    stats : {"fermi", "bose"}
    dps : int
        Correct significant digits wanted.
    guard : int
        Guard digits.
    progress : callable, optional
        Progress wrapper (:mod:`numeric.progress`), advanced per precision.

    Returns
    -------
    ModelCurrents
        mpf values (``I``, ``loss``) and the error estimate.
    """
    runs = []
    for extra in tracked((guard, 2 * guard), progress, desc="current"):
        with mpmath.workdps(dps + extra):
            runs.append(_currents_mp_once(build(), reservoirs, stats))
    (I1, l1, e1), (I2, l2, e2) = runs
    with mpmath.workdps(dps + 2 * guard):
        diff = max([abs(I1[k] - I2[k]) for k in I2] + [abs(l1 - l2)])
        scale = max([abs(v) for v in I2.values()] + [abs(l2)])
        if diff > mpmath.mpf(10) ** (-dps) * scale:
            raise ParameterError("dps", f"reachable for these currents (two precisions differ by {mpmath.nstr(diff, 3)})",
                                 dps)
        err = max(diff, e2)
    return ModelCurrents(I2, l2, err, {})


def _currents_mp_once(tb: TightBinding, reservoirs: Mapping[str, tuple], stats: Stats):
    from numeric.precision import mp

    names = [ld.name for ld in tb.leads]
    res = {n: tuple(mp(x) for x in reservoirs.get(n, (-math.inf, 0))) for n in names}
    bands = []
    for ld in tb.leads:
        if ld.is_wide_band:
            bands.append((-mpmath.inf, mpmath.inf))
        else:
            eps, t = mpmath.re(ld.potential), abs(ld.hopping)
            bands.append((eps - 2 * t, eps + 2 * t))
    filled = [r for r in res.values() if r[0] > -mpmath.inf and not (stats == "bose" and r[1] == 0)]
    if not filled:
        return dict.fromkeys(names, mpmath.mpf(0)), mpmath.mpf(0), mpmath.mpf(0)
    pts = []
    for mu, T in filled:
        pts += [mu] + [mu + s * m * T for s in (-1, 1) for m in (1, 4, 16)]
    H = tb.H
    try:
        ev = mpmath.eig(H, left=False, right=False)
        pts += [mpmath.re(e) for e in (ev[0] if isinstance(ev, tuple) else ev)]
    except (ZeroDivisionError, ValueError):  # no resonance hint: the quadrature still adapts
        pass
    # occupations below 10^-(dps + 5) of their scale are dropped: the cut follows the precision
    segs = _segments(bands, filled, pts, (mpmath.mp.dps + 5) * math.log(10))
    if not segs:
        return dict.fromkeys(names, mpmath.mpf(0)), mpmath.mpf(0), mpmath.mpf(0)
    cache: dict = {}
    P = len(names)

    def parts(w):
        key = mpmath.nstr(w, mpmath.mp.dps + 5)
        if key not in cache:
            sol = solve(tb, [w])
            f = [occupation(w, *res[n], stats, backend=MULTI) if sol.open[0, p] else mpmath.mpf(0)
                 for p, n in enumerate(names)]
            T2 = {(p, q): sol.T2(names[p], names[q])[0] for p in range(P) for q in range(P) if p != q}
            a = [sol.absorbed(n)[0] if sol.open[0, p] else mpmath.mpf(0) for p, n in enumerate(names)]
            net, gross = [], []
            for p in range(P):
                outflow = f[p] * (mpmath.fsum(T2[(p, q)] for q in range(P) if q != p) + a[p])
                inflow = mpmath.fsum(f[q] * T2[(q, p)] for q in range(P) if q != p)
                net.append(outflow - inflow)
                gross.append(abs(outflow) + abs(inflow))
            loss = mpmath.fsum(f[p] * a[p] for p in range(P))
            cache[key] = net + [loss] + gross + [abs(loss)]
        return cache[key]

    dps = mpmath.mp.dps
    q = integrate_segments(parts, segs, dps=dps, rtol=mpmath.mpf(10) ** (7 - dps), scale_from=_scale_from(P))
    vals = [v / (2 * mpmath.pi) for v in q.value]
    errs = [e / (2 * mpmath.pi) for e in q.error[:P + 1]]
    return {n: vals[p] for p, n in enumerate(names)}, vals[P], max(errs)
