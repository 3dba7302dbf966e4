r"""Steady currents of any tight-binding model with leads at their own chemical potential and temperature.

For leads p, q of a :class:`numeric.models.tight_binding.TightBinding` (``docs/conventions.md``):

.. math::

    I_p = \frac{1}{2\pi}\int d\omega\,\Big[f_p\,(1-R2_p) - \sum_{q\ne p} f_q\,T2_{q\to p}\Big],
    \qquad \text{loss} = \sum_p I_p = \frac{1}{2\pi}\int d\omega\,\sum_p f_p\,a_p ,

the current out of lead p into the region and the particle loss rate, with
:math:`f_p` the Fermi or Bose function of lead p (:mod:`numeric.distributions`).
The integrand uses the direct solver (:mod:`numeric.models.greens`) and is zero
where lead p has no propagating mode; :math:`1-R2_p` is evaluated as
:math:`\sum_{q\ne p}T2_{p\to q}+a_p` (no cancellation), and the loss as the
integral of :math:`\sum_p f_pa_p` (equal to :math:`\sum_pI_p` by the flux balance).

Integration (the one engine, :func:`numeric.quadrature.integrate_segments`, in
double or in mpmath): the range is the union of the lead bands, cut above at
:math:`\max_p(\mu_p + cT_p)` where every occupation is below :math:`e^{-c}`
(c = 50 in double, :math:`(D+5)\ln 10` at D working digits); segments cut at
the band edges (square-root maps next to them), the chemical potentials,
:math:`\mu_p\pm(1,4,16)T_p` and the resonances (the poles of
:mod:`numeric.models.pole_search`: centre and a geometric ladder of half widths); a
wide-band lead's infinite band ends in a tail segment.  Tolerances refer to the
gross flows (a net current may cancel); the error estimate is the quadrature's.

The energy current :math:`Q_p` is the same integral with an extra :math:`\omega`.
With a wide-band lead the flows fall off like :math:`c_p/\omega^2` at
:math:`\omega\to-\infty` where every filled lead is occupied, so :math:`Q_p`
diverges logarithmically unless :math:`c_p = 0`; :math:`c_p` is read from the
flows at :math:`\omega = -10^6, -10^7` and a divergent :math:`Q_p` is returned
as :math:`-\operatorname{sign}(c_p)\infty`.  A weighted sum of the leads' flows
(``combination``, e.g. the lossy lattice's :math:`(I_L - I_R)/2`) is integrated
as one more column, so its Q is finite where the leads' divergences cancel.

The flows come from the direct solver (:func:`direct_flows`) or from any other
route with the same shape (the closed-form evaluators: ``flows=``).
:func:`current_curve` gives the currents at T = 0 for many sets of chemical
potentials from one cumulative integration of the flows per unit occupation.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import mpmath
import numpy as np

from numeric.distributions import Stats, occupation
from numeric.precision import MULTI
from numeric.progress import Progress, tracked
from numeric.errors import ParameterError, require
from numeric.models.greens import solve
from numeric.quadrature import Segment, integrate_segments
from numeric.models.pole_search import breakpoints, poles
from numeric.models.tight_binding import TightBinding

__all__ = ["Reservoir", "ModelCurrents", "Flows", "direct_flows", "direct_flows_mp", "model_currents", "model_currents_mp",
           "current_curve", "CurrentCurve"]

_THERMAL_CUT = 50.0
#: energies of the tail test of Q (wide-band leads): the flows there are c/omega^2 to ~1e-12
_TAIL_PROBES = (-1e6, -1e7)
#: Gauss-Legendre nodes per panel of a current curve (its range is cut at every requested point: short panels)
_CURVE_ORDER = 10


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
    #: energy currents out of each lead (-+inf: divergent, see the module docstring)
    Q: dict = field(default_factory=dict)
    #: the ``combination``'s particle and energy current (None without one; their errors: ``errors["combined_I"]``,
    #: ``errors["combined_Q"]``)
    combined: tuple | None = None


@dataclass(frozen=True)
class Flows:
    """Flows per unit occupation at an array of energies: ``open[:, p]`` (lead p propagates),
    ``T2[(p, q)]`` (p -> q, 0 where closed) and ``absorbed[p]`` (0 where closed)."""

    open: np.ndarray
    T2: dict
    absorbed: list


def direct_flows(tb: TightBinding) -> Callable[[np.ndarray], Flows]:
    """The flows of ``tb`` from the direct solver (:func:`numeric.models.greens.solve`)."""
    names = [ld.name for ld in tb.leads]
    P = len(names)

    def flows(w: np.ndarray) -> Flows:
        sol = solve(tb, w)
        T2 = {(p, q): sol.T2(names[p], names[q]) for p in range(P) for q in range(P) if p != q}
        return Flows(sol.open, T2, [np.nan_to_num(sol.absorbed(n), nan=0.0) for n in names])

    return flows


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


def model_currents(tb: TightBinding, reservoirs: Mapping[str, Reservoir], *, stats: Stats = "fermi",
                   rtol: float = 1e-10, flows: Callable[[np.ndarray], Flows] | None = None,
                   combination: Mapping[str, float] | None = None) -> ModelCurrents:
    r"""Currents :math:`I_p` (into the region), energy currents :math:`Q_p` and the loss rate, with error estimates.

    .. math:: I_p = \frac{1}{2\pi}\int d\omega\,\Big[f_p(1-R2_p) - \sum_{q\ne p} f_q T2_{q\to p}\Big]

    Parameters
    ----------
    tb : TightBinding
        An omega-independent NumPy model (its leads set the bands, its region the resonances).
    reservoirs : dict
        Lead name -> :class:`Reservoir`; a lead not given is empty (mu = -inf).
    stats : {"fermi", "bose"}
        Occupation of every lead (bosons: mu below the bottom of the lead's band).
    rtol : float
        Relative tolerance, referred to the gross particle flows.
    flows : callable, optional
        omega array -> :class:`Flows` (default: :func:`direct_flows`; the closed-form evaluators give the same).
    combination : dict, optional
        Lead name -> weight: the weighted sum of the leads' I and Q integrated as one more column
        (``combined``).

    Returns
    -------
    ModelCurrents
        ``I`` (lead -> current), ``loss`` (= sum of the currents), ``Q``, ``combined``, ``error_estimate``,
        ``errors``.

    >>> from numeric.models.tight_binding import Lead
    >>> dot = TightBinding(("d",), np.array([[-0.5j]]), (Lead.make("L", 0, -1.0, 0.0, -0.3),
    ...                                                   Lead.make("R", 0, -1.0, 0.0, -0.3)))
    >>> c = model_currents(dot, {"L": Reservoir(mu=0.5)})
    >>> bool(abs(c.I["L"] + c.I["R"] - c.loss) < 1e-10 and c.I["L"] > 0 > c.I["R"])
    True
    """
    names, res, bands = _checked(tb, reservoirs, stats)
    P = len(names)
    weights = np.array([float((combination or {}).get(n, 0.0)) for n in names])
    filled = [(r.mu, r.T) for r in res if r.mu > -math.inf and not (stats == "bose" and r.T == 0)]
    zero = ModelCurrents(dict.fromkeys(names, 0.0), 0.0, 0.0, dict.fromkeys(names + ["loss"], 0.0),
                         dict.fromkeys(names, 0.0), (0.0, 0.0) if combination else None)
    if not filled or all(math.isnan(b[0]) for b in bands):
        return zero
    flows = flows or direct_flows(tb)
    p = poles(tb)
    W = _central_range(bands, filled, p)
    pts = []
    for mu, T in filled:
        pts += [mu] + [mu + s * m * T for s in (-1, 1) for m in (1, 4, 16)]
    pts += list(breakpoints(p, -W, W))
    segs = _segments(bands, filled, pts, _THERMAL_CUT, W)
    if not segs:
        return zero
    diverges = _energy_divergence(flows, names, res, stats, bands, weights)
    g = _integrand(flows, names, res, stats, W, weights, diverges)
    q = integrate_segments(g, segs, rtol=rtol, scale_from=_scale_from(P), order=16)
    total, err = q.value / (2 * math.pi), q.error / (2 * math.pi)
    errors = {n: float(err[p]) for p, n in enumerate(names)}
    errors["loss"] = float(err[P])
    Q = {n: float(diverges[p]) if diverges[p] else float(total[P + 1 + p]) for p, n in enumerate(names)}
    combined = None
    if combination:
        comb_Q = float(diverges[P]) if diverges[P] else float(total[2 * P + 2])
        combined = (float(total[2 * P + 1]), comb_Q)
        errors["combined_I"], errors["combined_Q"] = float(err[2 * P + 1]), float(err[2 * P + 2])
    return ModelCurrents({n: float(total[p]) for p, n in enumerate(names)}, float(total[P]),
                         float(sum(err[:P + 1])), errors, Q, combined)


def _checked(tb: TightBinding, reservoirs: Mapping[str, Reservoir], stats: Stats):
    """(lead names, reservoirs in lead order, bands), every reservoir checked."""
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
        if stats == "bose" and r.mu > -math.inf and r.T > 0 and not r.mu <= lo:  # at the bottom: f ~ T/(w - lo)
            # against flows ~ sqrt(w - lo), integrable (the square-root map of the edge panel takes it)
            raise ParameterError(f"lead {n} mu", f"below the bottom of the lead band ({lo:g}) or at it for bosons",
                                 r.mu)
    return names, res, bands


def _central_range(bands: list, filled: list, p: np.ndarray) -> float:
    """W: the central range [-W, W] holds every finite band edge, chemical potential and resonance (tails beyond;
    the energy scale of Q's tolerance)."""
    scale = [abs(x) for b in bands for x in b if math.isfinite(x)] + [abs(mu) for mu, _ in filled]
    scale += [float(np.max(np.abs(p.real)))] if p.size else []
    return 8.0 + 2 * max(scale + [0.0])


def _scale_from(P: int) -> list[int]:
    """Columns I_1..I_P, loss, Q_1..Q_P, I_c, Q_c, then the gross flows of each in the same order: each net
    flow's tolerance from its gross flow."""
    n = 2 * P + 3
    return [n + c for c in range(n)] * 2


def _mp_scale_from(P: int) -> list[int]:
    """The mpmath path's columns I_1..I_P, loss, gross_1..gross_P, gross loss."""
    return [P + 1 + p for p in range(P)] + [2 * P + 1] + [P + 1 + p for p in range(P)] + [2 * P + 1]


def _segments(bands: list, filled: list, points: list, cut: float, W: float | None = None) -> list[Segment]:
    """Integration segments over the union of the lead bands below the thermal cut.

    The range runs from the lowest band bottom to ``min(highest band top, max_p(mu_p + cut T_p))``; an
    infinite end (a wide-band lead) becomes a tail beyond ``-+W``.  The band edges inside cut segments;
    the panel next to a finite band edge gets the square-root map of that edge (the flows behave like
    sqrt|omega - e| there), the other points are breakpoints inside the segments (far from an edge
    x = u keeps every digit of x).  Points that round to the same double are merged, band edges first.
    """
    finite = [b for b in bands if not (isinstance(b[0], float) and math.isnan(b[0]))]
    if not finite or not filled:
        return []
    lo = min(b[0] for b in finite)
    hi = min(max(b[1] for b in finite), max(mu + cut * T for mu, T in filled))
    if not float(lo) < float(hi):
        return []
    if W is None:
        W = 8.0 + 2 * max([abs(float(x)) for x in points if math.isfinite(float(x))] + [0.0]
                          + [abs(float(mu)) for mu, _ in filled if math.isfinite(float(mu))])
    flo = lo if math.isfinite(float(lo)) else -W
    fhi = hi if math.isfinite(float(hi)) else W
    segs = []
    if not math.isfinite(float(lo)):
        flo = min(flo, fhi - 1.0) if math.isfinite(float(fhi)) else flo
        segs.append(Segment(-math.inf, flo))
    edge_values = {float(e) for b in finite for e in b if math.isfinite(float(e))}
    inside = lambda x, a, b: float(a) < float(x) < float(b)  # noqa: E731
    cuts = [flo] + [e for e in sorted({float(e): e for b in finite for e in b if math.isfinite(float(e))
                                        and inside(e, flo, fhi)}.values(), key=float)] + [fhi]
    for a, b in zip(cuts[:-1], cuts[1:]):
        at_a, at_b = float(a) in edge_values, float(b) in edge_values
        inner = sorted({float(x): x for x in points if math.isfinite(float(x)) and inside(x, a, b)}.items())
        if not inner:
            kind = "cosine" if at_a and at_b else "sqrt_left" if at_a else "sqrt_right" if at_b else "linear"
            segs.append(Segment(a, b, map=kind))
            continue
        first, last = inner[0][1], inner[-1][1]
        segs.append(Segment(a, first, map="sqrt_left" if at_a else "linear"))
        if len(inner) > 1:
            segs.append(Segment(first, last, points=tuple(x for _, x in inner[1:-1])))
        segs.append(Segment(last, b, map="sqrt_right" if at_b else "linear"))
    if not math.isfinite(float(hi)):
        segs.append(Segment(fhi, math.inf))
    return segs


def _net_flows(fl: Flows, f: list, P: int, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(net, gross) of I_p (columns p), the loss and its gross value, from flows and occupations f."""
    net, gross = np.zeros((n, P)), np.zeros((n, P))
    for p in range(P):
        outflow = sum((fl.T2[(p, q)] for q in range(P) if q != p), start=np.zeros(n)) + fl.absorbed[p]
        inflow = sum((f[q] * fl.T2[(q, p)] for q in range(P) if q != p), start=np.zeros(n))
        net[:, p] = f[p] * outflow - inflow
        gross[:, p] = np.abs(f[p] * outflow) + np.abs(inflow)
    loss = sum(f[p] * fl.absorbed[p] for p in range(P))
    return net, gross, np.asarray(loss, dtype=float), np.abs(loss)


def _occupations(fl: Flows, w: np.ndarray, res: list, stats: Stats) -> list:
    return [np.where(fl.open[:, p], occupation(w, r.mu, r.T, stats), 0.0) for p, r in enumerate(res)]


def _integrand(flows, names: list[str], res: list[Reservoir], stats: Stats, W: float, weights: np.ndarray,
               diverges: np.ndarray):
    """omega -> columns I_1..I_P, loss, Q_1..Q_P, I_c, Q_c and their gross flows (Q's cut at |omega| <= W)."""
    P = len(names)

    def g(w: np.ndarray) -> np.ndarray:
        fl = flows(w)
        net, gross, loss, gloss = _net_flows(fl, _occupations(fl, w, res, stats), P, len(w))
        comb, gcomb = net @ weights, gross @ np.abs(weights)
        cut = np.minimum(np.abs(w), W)
        Q = np.where(diverges[None, :P] != 0, 0.0, w[:, None] * net)
        Qc = np.where(diverges[P] != 0, 0.0, w * comb)
        out = np.column_stack([net, loss, Q, comb, Qc, gross, gloss, cut[:, None] * gross, gcomb, cut * gcomb])
        bad = ~np.isfinite(out)
        return np.where(bad, 0.0, out) if bad.any() and not np.any(bad & (np.abs(w) <= W)[:, None]) else out

    return g


def _energy_divergence(flows, names: list[str], res: list[Reservoir], stats: Stats, bands: list,
                       weights: np.ndarray) -> np.ndarray:
    """Per lead (and the combination, last): 0 where Q converges, -sign(c) inf where the flows fall off like
    c/omega^2 at omega -> -inf (a wide-band lead), nan where that cannot be read.

    The flows of wide-band leads are rational in omega: omega^2 times them either tends to c != 0 (the same
    at both probes) or falls by at least 10x per decade (omega^-(2+k), k >= 1: Q converges)."""
    P = len(names)
    out = np.zeros(P + 1)
    if not any(math.isinf(b[0]) for b in bands if not math.isnan(b[0])):
        return out
    w = np.array(_TAIL_PROBES)
    fl = flows(w)
    net, _, _, _ = _net_flows(fl, _occupations(fl, w, res, stats), P, len(w))
    nets = np.column_stack([net, net @ weights]) * (w * w)[:, None]
    for c in range(P + 1):
        c1, c2 = nets[0, c], nets[1, c]
        if (c1 == 0 and c2 == 0) or abs(c2) <= 0.2 * abs(c1):  # decays like omega^-(2+k), k >= 1: converges
            continue
        out[c] = -math.copysign(math.inf, c2) if abs(c1 - c2) <= 1e-3 * abs(c2) else math.nan
    return out


@dataclass(frozen=True)
class CurrentCurve:
    """Currents at T = 0 for many sets of chemical potentials: ``I[lead]``, ``loss`` and their absolute errors."""

    I: dict
    loss: np.ndarray
    error: dict


def current_curve(tb: TightBinding, mu: Mapping[str, Sequence[float]], *, rtol: float = 1e-13,
                  flows: Callable[[np.ndarray], Flows] | None = None) -> CurrentCurve:
    r"""I_p and the loss at T = 0 for N sets of chemical potentials from one cumulative integration.

    At T = 0 the occupations are steps, so

    .. math:: I_p(\mu) = \frac{1}{2\pi}\Big[\int^{\mu_p}\Big(\sum_{q\ne p}T2_{p\to q}+a_p\Big)d\omega
              - \sum_{q\ne p}\int^{\mu_q}T2_{q\to p}\,d\omega\Big]

    and every column (flow per unit occupation) is integrated once over panels cut at every requested
    chemical potential, the resonance breakpoints and the band edges; the curve is a cumulative sum of
    panel integrals.  The flows must not depend on the chemical potentials (a bias that moves a lead's
    band is a different model; with wide-band leads the potentials do not enter).

    Parameters
    ----------
    tb : TightBinding
        An omega-independent NumPy model.
    mu : dict
        Lead name -> N chemical potentials (``-inf``: empty); leads not given are empty.
    rtol : float
        Tolerance relative to each column's integral.
    flows : callable, optional
        As :func:`model_currents`.

    Returns
    -------
    CurrentCurve

    >>> from numeric.models.tight_binding import Lead
    >>> dot = TightBinding(("d",), np.array([[0j]]), (Lead.wide_band("L", 0, 0.0, 0.5),
    ...                                               Lead.wide_band("R", 0, 0.0, 0.5)))
    >>> c = current_curve(dot, {"L": [0.0, 1e9], "R": [-np.inf, -np.inf]})
    >>> [round(float(x), 6) for x in c.I["L"]]     # half of the Lorentzian, then all of it: 1/4, 1/2
    [0.25, 0.5]
    """
    names, _, bands = _checked(tb, {}, "fermi")
    unknown = sorted(set(mu) - set(names))
    if unknown:
        raise ParameterError(f"lead {unknown[0]}", f"one of the model's leads ({', '.join(names)})", unknown[0])
    P = len(names)
    N = max([len(np.atleast_1d(v)) for v in mu.values()] + [0])
    grid = np.full((P, N), -math.inf)
    for p, n in enumerate(names):
        if n in mu:
            grid[p] = np.broadcast_to(np.asarray(mu[n], dtype=float), (N,))
            if np.any(np.isnan(grid[p]) | (grid[p] == math.inf)):
                raise ParameterError(f"lead {n} mu", "finite numbers or -inf (empty)", list(grid[p]))
    finite_mu = grid[np.isfinite(grid)]
    zeros = {n: np.zeros(N) for n in names}
    if finite_mu.size == 0 or all(math.isnan(b[0]) for b in bands):
        return CurrentCurve(zeros, np.zeros(N), dict(zeros))
    flows = flows or direct_flows(tb)
    p_ = poles(tb)
    top = float(finite_mu.max())
    W = _central_range(bands, [(top, 0.0), (float(finite_mu.min()), 0.0)], p_)
    pts = list(np.unique(finite_mu)) + list(breakpoints(p_, -W, W))
    segs = _segments(bands, [(top, 0.0)], pts, 0.0, W)
    pairs = [(q, p) for p in range(P) for q in range(P) if q != p]

    def g(w: np.ndarray) -> np.ndarray:
        fl = flows(w)
        outs = [sum((fl.T2[(p, q)] for q in range(P) if q != p), start=np.zeros(len(w))) + fl.absorbed[p]
                for p in range(P)]
        out = np.column_stack(outs + [fl.absorbed[p] for p in range(P)] + [fl.T2[pq] for pq in pairs])
        return np.where(np.isfinite(out), out, 0.0)

    if not segs:
        return CurrentCurve(zeros, np.zeros(N), dict(zeros))
    q = integrate_segments(g, segs, rtol=rtol, order=_CURVE_ORDER)
    cum = np.concatenate([np.zeros((1, q.panel_value.shape[1])), np.cumsum(q.panel_value, axis=0)])
    cerr = np.concatenate([np.zeros((1, q.panel_value.shape[1])), np.cumsum(q.panel_error, axis=0)])

    def upto(x: np.ndarray, col: int) -> tuple[np.ndarray, np.ndarray]:
        idx = np.searchsorted(q.panel_hi, x, side="right")  # panels that end at or before each point
        return np.where(x == -math.inf, 0.0, cum[idx, col]), np.where(x == -math.inf, 0.0, cerr[idx, col])

    I, err, loss = {}, {}, np.zeros(N)
    for p, n in enumerate(names):
        v, e = upto(grid[p], p)
        a, ea = upto(grid[p], P + p)
        loss += a
        for k, (qq, pp) in enumerate(pairs):
            if pp == p:
                vin, ein = upto(grid[qq], 2 * P + k)
                v, e = v - vin, e + ein
        I[n], err[n] = v / (2 * math.pi), e / (2 * math.pi)
    return CurrentCurve(I, loss / (2 * math.pi), err)


def model_currents_mp(build: Callable[[], TightBinding], reservoirs: Mapping[str, tuple], *,
                      stats: Stats = "fermi", dps: int, guard: int = 10, flows: Callable | None = None,
                      hints: Sequence[float] | None = None, progress: Progress | None = None,
                      energy: Sequence[str] = ()) -> ModelCurrents:
    r"""The currents and the loss rate to ``dps`` correct digits (mpmath; same integrals as :func:`model_currents`).

    A genuine twin of :func:`model_currents`, not a second copy: the double route integrates
    vectorised :class:`Flows` over arrays of energies once, this one calls the flows one mpmath point at a
    time (a dict per point, as the mpmath solver and closed forms give them) and runs the whole integral at
    two precisions to check its digits; both use the one quadrature engine and the same segments
    (:func:`_segments`).

    ``build()`` returns the model with ``backend=MULTI`` at the working precision (it is called
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
    flows : callable, optional
        One mpf omega -> (open per lead, ``T2[(p, q)]``, absorbed per lead) at the working precision (default:
        the mpmath direct solve; the closed form's mpmath evaluator gives the same).
    hints : sequence of float, optional
        Breakpoints (resonances) instead of the eigenvalues of H (an O(n^3) mpmath eig).
    progress : callable, optional
        Progress wrapper (:mod:`numeric.progress`), advanced per precision.
    energy : sequence of str
        Leads whose energy current :math:`Q_p` (the same integral with :math:`\omega`) is integrated too:
        those the double route found convergent (the caller decides; a divergent Q is not integrated).

    Returns
    -------
    ModelCurrents
        mpf values (``I``, ``loss``, ``Q`` of the ``energy`` leads) and the error estimate;
        ``errors["Q:p"]``: the error of :math:`Q_p`.
    """
    runs = []
    for extra in tracked((guard, 2 * guard), progress, desc="current"):
        with mpmath.workdps(dps + extra):
            runs.append(_currents_mp_once(build(), reservoirs, stats, flows, hints, energy))
    (I1, l1, e1, Q1, eQ1), (I2, l2, e2, Q2, eQ2) = runs
    with mpmath.workdps(dps + 2 * guard):
        diff = max([abs(I1[k] - I2[k]) for k in I2] + [abs(l1 - l2)])
        scale = max([abs(v) for v in I2.values()] + [abs(l2)])
        for k in Q2:  # each Q to its own digits (it carries an energy: another scale than the currents)
            if abs(Q1[k] - Q2[k]) > mpmath.mpf(10) ** (-dps) * abs(Q2[k]):
                raise ParameterError("dps", f"reachable for the energy current of {k} (two precisions differ by "
                                            f"{mpmath.nstr(abs(Q1[k] - Q2[k]), 3)})", dps)
        if diff > mpmath.mpf(10) ** (-dps) * scale:
            raise ParameterError("dps", f"reachable for these currents (two precisions differ by {mpmath.nstr(diff, 3)})",
                                 dps)
        err = max(diff, e2)
        errors = {f"Q:{k}": max(abs(Q1[k] - Q2[k]), eQ2[k]) for k in Q2}
    return ModelCurrents(I2, l2, err, errors, Q2)


def direct_flows_mp(tb: TightBinding, names: list[str]) -> Callable:
    """One mpf omega -> (open per lead, T2 per ordered pair, absorbed per lead) from the mpmath direct solve."""
    P = len(names)

    def flows(w):
        sol = solve(tb, [w])
        T2 = {(p, q): sol.T2(names[p], names[q])[0] for p in range(P) for q in range(P) if p != q}
        return list(sol.open[0]), T2, [sol.absorbed(n)[0] for n in names]

    return flows


def _currents_mp_once(tb: TightBinding, reservoirs: Mapping[str, tuple], stats: Stats, flows: Callable | None,
                      hints: Sequence[float] | None, energy: Sequence[str] = ()):
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
    E = [names.index(n) for n in energy]  # leads whose energy current is integrated too
    zero = (dict.fromkeys(names, mpmath.mpf(0)), mpmath.mpf(0), mpmath.mpf(0), {names[p]: mpmath.mpf(0) for p in E},
            {names[p]: mpmath.mpf(0) for p in E})
    if not filled:
        return zero
    pts = []
    for mu, T in filled:
        pts += [mu] + [mu + s * m * T for s in (-1, 1) for m in (1, 4, 16)]
    if hints is not None:
        pts += list(hints)
    else:
        try:
            ev = mpmath.eig(tb.H, left=False, right=False)
            pts += [mpmath.re(e) for e in (ev[0] if isinstance(ev, tuple) else ev)]
        except (ZeroDivisionError, ValueError):  # no resonance hint: the quadrature still adapts
            pass
    # occupations below 10^-(dps + 5) of their scale are dropped: the cut follows the precision
    segs = _segments(bands, filled, pts, (mpmath.mp.dps + 5) * math.log(10))
    if not segs:
        return zero
    cache: dict = {}
    P = len(names)

    def parts(w):
        key = mpmath.nstr(w, mpmath.mp.dps + 5)
        if key not in cache:
            is_open, T2, a = (flows or direct_flows_mp(tb, names))(w)
            f = [occupation(w, *res[n], stats, backend=MULTI) if is_open[p] else mpmath.mpf(0)
                 for p, n in enumerate(names)]
            a = [a[p] if is_open[p] else mpmath.mpf(0) for p in range(P)]
            net, gross = [], []
            for p in range(P):
                outflow = f[p] * (mpmath.fsum(T2[(p, q)] for q in range(P) if q != p) + a[p])
                inflow = mpmath.fsum(f[q] * T2[(q, p)] for q in range(P) if q != p)
                net.append(outflow - inflow)
                gross.append(abs(outflow) + abs(inflow))
            loss = mpmath.fsum(f[p] * a[p] for p in range(P))
            cache[key] = net + [loss] + gross + [abs(loss)] + [w * net[p] for p in E] + [abs(w) * gross[p] for p in E]
        return cache[key]

    dps, k = mpmath.mp.dps, len(E)
    scale = _mp_scale_from(P) + [2 * P + 2 + k + j for j in range(k)] * 2  # Q_e by its gross energy flow
    q = integrate_segments(parts, segs, dps=dps, rtol=mpmath.mpf(10) ** (7 - dps), scale_from=scale)
    vals = [v / (2 * mpmath.pi) for v in q.value]
    errs = [e / (2 * mpmath.pi) for e in q.error]
    Q = {names[p]: vals[2 * P + 2 + j] for j, p in enumerate(E)}
    eQ = {names[p]: errs[2 * P + 2 + j] for j, p in enumerate(E)}
    return {n: vals[p] for p, n in enumerate(names)}, vals[P], max(errs[:P + 1]), Q, eQ
