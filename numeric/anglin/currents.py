"""Steady-state particle current, energy current and loss rate of the lossy lattice.

.. math::

    I = \\frac{1}{4\\pi}\\int d\\omega\\,\\big[f_L(1+X_L|\\mathcal T|^2-|\\mathcal R_L|^2)
        - f_R(1+X_R|\\mathcal T|^2-|\\mathcal R_R|^2)\\big]

(anglin:22/38 with the prefactor :math:`1/4\\pi`, erratum ``anglin:38``),
:math:`Q` the same with an extra :math:`\\omega` (anglin:42, hbar = tau = 1)
and :math:`\\gamma\\bar n_0 = \\frac{1}{2\\pi}\\int d\\omega\\,(f_La_L+f_Ra_R)`
(from anglin:21).  The integrands are the generated stable forms
(flux balance; no :math:`1-|\\mathcal R|^2` cancellation).

Integration (:mod:`numeric.quadrature`, the same adaptive Gauss-Legendre
bisection in both precisions, all panels at once): the support of the
occupations intersected with the lead bands is cut at the lead band edges
(square-root maps on the panels next to them), with tails
:math:`(-\\infty, -W]`, :math:`[W, \\infty)` in the reservoir limit;
breakpoints at the chemical potentials, the thermal scales and the resonance
poles (centre and a geometric ladder of half widths,
:mod:`numeric.anglin.resonances`).  Tolerances are relative to the gross
flows (a net current may vanish).  ``dps=D`` evaluates everything
in mpmath at D + 10 digits from the exact parameter values
(:mod:`numeric.precision`; a Python float is its exact binary value), with
tolerance :math:`10^{-D-3}` of the gross flows, and repeats with more digits
when a current cancels so far that fewer than D of its digits are covered.
"""
from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Sequence

import mpmath
import numpy as np

from numeric._generated import lossy_lattice_mp as gmp
from numeric._generated import lossy_lattice_np as gnp
from numeric.anglin.parameters import LossyLattice
from numeric.anglin.resonances import breakpoints
from numeric.anglin.transmission import transmission, transmission_point
from numeric.distributions import Stats, occupation
from numeric.errors import ParameterError, require
from numeric.precision import MULTI, Exact, check_dps, exact, mp
from numeric.quadrature import Segment, integrate_segments

__all__ = ["Reservoirs", "Currents", "currents", "transport_integrand", "band_segments", "exact_lead_band"]

_THERMAL_CUT = 50.0  # double precision: f < e^-50 beyond mu + 50 T
_GUARD = 10  # extra decimal digits of the mpmath path


@dataclass(frozen=True)
class Reservoirs:
    """Chemical potentials, temperatures and statistics of the two outer lattices.

    ``muL``/``muR`` default to +-V/2 (equal filling, anglin Eq. 26).  The
    fields are doubles; ``exact`` holds the exact values (muL, muR, TL, TR)
    used by the mpmath path (:func:`numeric.precision.exact`).
    """

    muL: float
    muR: float
    TL: float = 0.0
    TR: float = 0.0
    stats: Stats = "fermi"
    exact: tuple = field(default=(), compare=False, repr=False)

    @classmethod
    def for_lattice(cls, lat: LossyLattice, *, muL: Any = None, muR: Any = None, TL: Any = 0.0, TR: Any = 0.0,
                    stats: str = "fermi") -> "Reservoirs":
        """Validated reservoirs for ``lat`` (Bose: mu at most the band bottom, finite Lambda).

        Parameters
        ----------
        lat
            The lattice (its V sets the default chemical potentials +-V/2).
        muL, muR, TL, TR
            Chemical potentials and temperatures: any number :func:`numeric.precision.exact` accepts.
        stats
            ``"fermi"`` or ``"bose"``.

        Returns
        -------
        Reservoirs
        """
        V = _exact_parameters(lat)["V"]
        ex = [V / 2 if muL is None else exact(muL, "muL"), -V / 2 if muR is None else exact(muR, "muR"),
              exact(TL, "TL"), exact(TR, "TR")]
        for name, x in zip(("muL", "muR", "TL", "TR"), ex):
            if not isinstance(x, float) and abs(x) > sys.float_info.max:  # the reservoirs also work in doubles
                raise ParameterError(name, f"within the double range |x| <= {sys.float_info.max:.4g} (inf for mu: "
                                           "the limit)", f"{mpmath.nstr(mpmath.mpf(x.numerator) / x.denominator, 6)}")
        muL_f = require("muL", float(ex[0]), allow_inf=True)
        muR_f = require("muR", float(ex[1]), allow_inf=True)
        TL_f = require("TL", float(ex[2]), lo=0)
        TR_f = require("TR", float(ex[3]), lo=0)
        if stats not in ("fermi", "bose"):
            raise ParameterError("stats", "'fermi' or 'bose'", stats)
        if stats == "bose":
            if lat.infinite:
                raise ParameterError("Lambda", "finite for bose statistics (no band bottom at inf)",
                                     lat.Lambda)
            for name, mu, side in (("muL", ex[0], "L"), ("muR", ex[1], "R")):
                bottom = exact_lead_band(lat, side)[0]
                if mu > bottom:
                    raise ParameterError(name, f"<= the band bottom {float(bottom):g} for bose statistics", mu)
        return cls(muL_f, muR_f, TL_f, TR_f, stats, tuple(ex))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Currents:
    """Particle current ``I``, energy current ``Q``, loss rate ``loss`` and absolute error estimates."""

    I: float
    Q: float
    loss: float
    error_I: float
    error_Q: float
    error_loss: float


def _exact_parameters(lat: LossyLattice) -> dict[str, Exact]:
    """Exact tau1, gamma, Lambda, V of ``lat``.

    The lattice's own exact values when it carries them (attribute ``exact``,
    a mapping or an object with these names), else the exact binary values of
    its doubles.  The one place that reads parameters for the mpmath path.
    """
    held = getattr(lat, "exact", None)
    out = {}
    for name in ("tau1", "gamma", "Lambda", "V"):
        if held is None:
            v = getattr(lat, name)
        else:
            v = held[name] if isinstance(held, dict) else getattr(held, name)
        out[name] = exact(v, name)
    return out


def exact_lead_band(lat: LossyLattice, side: str) -> tuple[Exact, Exact]:
    """Exact band of the outer lattice on ``side``: :math:`\\pm V/2 + [-2\\Lambda, 2\\Lambda]`.

    Parameters
    ----------
    lat
        The lossy lattice.
    side
        ``"L"`` or ``"R"``.

    Returns
    -------
    (Exact, Exact)
        Band bottom and top (``-inf, inf`` in the reservoir limit).
    """
    p = _exact_parameters(lat)
    shift = p["V"] / 2 if side == "L" else -p["V"] / 2
    if math.isinf(p["Lambda"]):
        return -math.inf, math.inf
    return shift - 2 * p["Lambda"], shift + 2 * p["Lambda"]


def _side_support(lat: LossyLattice, res: Reservoirs, side: str, cut: float):
    mu, T = (res.exact[0], res.exact[2]) if side == "L" else (res.exact[1], res.exact[3])
    if mu == -math.inf or (res.stats == "bose" and T == 0):
        return None
    lo, hi = exact_lead_band(lat, side)
    top = mu + Fraction(cut) * T if math.isfinite(mu) and T > 0 else mu
    return lo, min(hi, top)


def _segments(lat: LossyLattice, res: Reservoirs, *, cut: float = _THERMAL_CUT) -> list[Segment]:
    """The integration range as segments: band edges get square-root maps, infinite ends tails.

    Anchors (chemical potentials, thermal points, band edges) are exact;
    resonance breakpoints are doubles (only their placement matters).
    """
    sup = [s for s in (_side_support(lat, res, "L", cut), _side_support(lat, res, "R", cut)) if s]
    if not sup:
        return []
    lo, hi = min(s[0] for s in sup), max(s[1] for s in sup)
    if not lo < hi:
        return []
    mus = [(m, t) for m, t in ((res.exact[0], res.exact[2]), (res.exact[1], res.exact[3])) if math.isfinite(m)]
    W = _energy_scale(lat, res)
    flo = lo if math.isfinite(lo) else -W
    fhi = hi if math.isfinite(hi) else W
    anchors: list = []
    for mu, T in mus:
        anchors.append(mu)
        anchors += [mu + s * m * T for s in (-1, 1) for m in (1, 4, 16)] if T > 0 else []
    pts = [p for p in anchors + list(breakpoints(lat, float(flo), float(fhi))) if flo < p < fhi]
    segs = band_segments(lat, flo, fhi, pts)
    if not math.isfinite(lo):
        segs.insert(0, Segment(-math.inf, flo))
    if not math.isfinite(hi):
        segs.append(Segment(fhi, math.inf))
    return segs


def band_segments(lat: LossyLattice, a: Any, b: Any, points: Sequence[Any]) -> list[Segment]:
    """``[a, b]`` cut at the lead band edges inside it, with square-root maps at every band edge.

    Next to a band edge the flows behave like :math:`\\sqrt{|\\omega - e|}` on
    both sides (propagating on one side, evanescent on the other): the panel
    next to an edge gets the map ``sqrt_left``/``sqrt_right`` (``cosine``
    between two edges with no breakpoint between them).

    Parameters
    ----------
    lat
        The lossy lattice.
    a, b
        Finite ends (exact numbers or floats).
    points
        Interior breakpoints, distributed to the segments.

    Returns
    -------
    list of Segment
    """
    edges = [] if lat.infinite else sorted(set(exact_lead_band(lat, "L") + exact_lead_band(lat, "R")))
    # a cut or breakpoint within rounding of another (exact edges beside double breakpoints) would make a
    # panel narrower than one double: strictly inside in exact AND in double arithmetic
    inside = lambda p, lo, hi: lo < p < hi and float(lo) < float(p) < float(hi)  # noqa: E731
    cuts = [a] + [e for e in edges if inside(e, a, b)] + [b]
    segs = []
    for lo, hi in zip(cuts[:-1], cuts[1:]):
        at_lo, at_hi = lo in edges, hi in edges
        inner = sorted({float(p): p for p in points if inside(p, lo, hi)}.items())
        if not inner:
            kind = "cosine" if at_lo and at_hi else "sqrt_left" if at_lo else "sqrt_right" if at_hi else "linear"
            segs.append(Segment(lo, hi, map=kind))
            continue
        # the maps only on the panels next to the edges: far from them x = u holds every digit of x
        # (a map x = e + u^2 rounds x to eps*|e|, noise next to a narrow resonance)
        first, last = inner[0][1], inner[-1][1]
        segs.append(Segment(lo, first, map="sqrt_left" if at_lo else "linear"))
        if len(inner) > 1:
            segs.append(Segment(first, last, points=tuple(p for _, p in inner[1:-1])))
        segs.append(Segment(last, hi, map="sqrt_right" if at_hi else "linear"))
    return segs


def _scattering_np(lat: LossyLattice, w: np.ndarray):
    """(|T|^2, a_L, a_R, incident_L, incident_R) with 0 where a side has no incident wave.

    A value that is not finite although its side has an incident wave is a
    failure of the double-precision evaluation: outside the chain band
    (|omega| > 2, evanescent through 2M+1 sites, negligible for the M where
    it happens) it is taken as 0; inside it is refused.
    """
    with np.errstate(over="ignore", invalid="ignore"):  # overflow far outside the chain band: see _finite
        tr = transmission(lat, w)
    T2, aL, aR = tr.T2, tr.absorbed_L, tr.absorbed_R
    failed = ((tr.incident_L | tr.incident_R) & ~np.isfinite(T2)) | (tr.incident_L & ~np.isfinite(aL)) \
        | (tr.incident_R & ~np.isfinite(aR))
    if np.any(failed & (np.abs(w) <= 2.0)):
        where = float(w[failed & (np.abs(w) <= 2.0)][0])
        raise ParameterError("M", f"small enough for the double-precision chain trigonometry (non-finite "
                                  f"transmission at omega = {where:.6g} inside the band; evaluate with dps)", lat.M)
    z = lambda x: np.nan_to_num(x, nan=0.0, posinf=0.0, neginf=0.0)  # noqa: E731
    return z(T2), z(aL), z(aR), tr.incident_L, tr.incident_R


def _finite(vals: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Overflow far outside the chain band (|omega|^(M+1) products; the integrand is negligible there) -> 0."""
    bad = ~np.isfinite(vals)
    if bad.any():
        if np.any(bad & (np.abs(w) <= 2.0)[:, None]):
            raise FloatingPointError("non-finite integrand inside the chain band |omega| <= 2")
        vals = np.where(bad, 0.0, vals)
    return vals


def _integrand_np(lat: LossyLattice, res: Reservoirs) -> Callable[[np.ndarray], np.ndarray]:
    """omega -> (I, Q, loss, gross particle flow, gross energy flow) integrands, shape (n, 5)."""
    def g(w: np.ndarray) -> np.ndarray:
        T2, aL, aR, incL, incR = _scattering_np(lat, w)
        fL = np.where(incL, occupation(w, res.muL, res.TL, res.stats), 0.0)
        fR = np.where(incR, occupation(w, res.muR, res.TR, res.stats), 0.0)
        args = (T2, aL, aR, incR.astype(float), incL.astype(float))
        with np.errstate(invalid="ignore", over="ignore"):
            net = gnp.integrands(w, fL, fR, *args)
            gross = gnp.integrands(w, fL, -fR, *args)  # f_L and f_R flows added, not subtracted
            comps = [net[0], 0.0 if energy_diverges else net[1], net[2], gross[0], np.minimum(np.abs(w), E0) * gross[0]]
            vals = np.stack([np.broadcast_to(np.real(o), w.shape) for o in comps], axis=-1)
        return _finite(vals, w)
    energy_diverges = _energy_divergence(lat, res) != 0
    E0 = float(_energy_scale(lat, res))
    return g


def transport_integrand(lat: LossyLattice) -> Callable[[np.ndarray], np.ndarray]:
    """omega -> (t_L, t_R)/(4 pi), shape (n, 2): the flows per unit occupation from each side.

    :math:`t_{L} = 1 + X_L|\\mathcal T|^2 - |\\mathcal R_L|^2` (0 without an
    incident wave), so that at T = 0, :math:`I = \\int^{\\mu_L} t_L/4\\pi - \\int^{\\mu_R} t_R/4\\pi`.

    Parameters
    ----------
    lat
        The lossy lattice.

    Returns
    -------
    callable
        Vectorised integrand for :mod:`numeric.quadrature`.
    """
    def g(w: np.ndarray) -> np.ndarray:
        T2, aL, aR, incL, incR = _scattering_np(lat, w)
        args = (T2, aL, aR, incR.astype(float), incL.astype(float))
        one, zero = incL.astype(float), np.zeros_like(w)
        with np.errstate(invalid="ignore", over="ignore"):
            left = gnp.integrands(w, one, zero, *args)[0]
            right = -gnp.integrands(w, zero, incR.astype(float), *args)[0]
            vals = np.stack([np.broadcast_to(np.real(left), w.shape), np.broadcast_to(np.real(right), w.shape)], -1)
        return _finite(vals, w)
    return g


#: integrand columns: I, Q, loss, the gross particle flow g = (f_L t_L + f_R t_R)/4 pi and min(|omega|, E0) g;
#: the tolerance of each column is relative to the integral of column ... (a net current may cancel to 0;
#: the gross energy flow |omega| g of wide-band leads diverges, its cut at the scale E0 of the problem does not)
_SCALE_FROM = [3, 4, 2, 3, 4]


def _energy_scale(lat: LossyLattice, res: Reservoirs) -> Exact:
    """W = 8 + 2 max(|mu|, |V|): the edge of the central range (tails beyond; the energy scale of Q's tolerance)."""
    mus = [abs(m) for m in res.exact[:2] if math.isfinite(m)]
    return Fraction(8) + 2 * max(mus + [abs(_exact_parameters(lat)["V"])])


def _energy_divergence(lat: LossyLattice, res: Reservoirs) -> float:
    """+-inf when Q diverges logarithmically (Lambda = inf: t ~ 1/omega^2 and one reservoir filled to -inf
    or emptied from +inf while the other is not), nan when both ends diverge, else 0."""
    if not lat.infinite:
        return 0.0
    muL, muR = res.exact[0], res.exact[1]
    low = (muR == -math.inf) - (muL == -math.inf)   # f_L - f_R at omega -> -inf (T-independent)
    high = (muL == math.inf) - (muR == math.inf)    # f_L - f_R at omega -> +inf
    ends = [-math.inf * low if low else 0.0, math.inf * high if high else 0.0]
    return math.nan if (ends[0] and ends[1]) else ends[0] + ends[1]


def _currents_np(lat: LossyLattice, res: Reservoirs, rtol: float) -> Currents:
    """I, Q, loss with errors; tolerances relative to the gross flows (a net current may vanish)."""
    segs = _segments(lat, res)
    if not segs:
        return Currents(0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    q = integrate_segments(_integrand_np(lat, res), segs, rtol=rtol, scale_from=_SCALE_FROM, order=16)
    return _result(lat, res, q.value, q.error)


def _result(lat: LossyLattice, res: Reservoirs, value, error) -> Currents:
    """Currents from the integrated columns (Q replaced by its divergence where it diverges)."""
    div = _energy_divergence(lat, res)
    Q, eQ = (value[1], error[1]) if div == 0 else (value[1] * 0 + div, error[1] * 0)
    return Currents(value[0], Q, value[2], error[0], eQ, error[2])


def _integrand_mp(lat: LossyLattice, res: Reservoirs, dps: int):
    """omega -> [I, Q, loss, gross flows] at one mpf point (constants rounded once, inside ``workdps(dps)``)."""
    muL, muR, TL, TR = (mp(x) for x in res.exact)
    zero = mpmath.mpf(0)

    def f(w):
        tr = transmission_point(lat, w, amplitudes=False)  # flux-normalised T2 (0 unless both sides propagate)
        incL, incR = tr.incident_L, tr.incident_R
        if not (incL or incR):
            return [zero] * 5
        T2, aL, aR = tr.T2, tr.absorbed_L if incL else zero, tr.absorbed_R if incR else zero
        fL = occupation(w, muL, TL, res.stats, backend=MULTI) if incL else zero
        fR = occupation(w, muR, TR, res.stats, backend=MULTI) if incR else zero
        net = gmp.integrands(w, fL, fR, T2, aL, aR, int(incR), int(incL))
        gross = net if not fR else gmp.integrands(w, fL, -fR, T2, aL, aR, int(incR), int(incL))
        return [net[0], zero if energy_diverges else net[1], net[2], gross[0], min(abs(w), E0) * gross[0]]
    energy_diverges = _energy_divergence(lat, res) != 0
    E0 = mp(_energy_scale(lat, res))
    return f


def _currents_mp(lat: LossyLattice, res: Reservoirs, dps: int) -> Currents:
    """D = ``dps`` digits: work at D + guard digits; more digits where a net flow cancels."""
    extra = 0
    for _ in range(2):
        work = dps + _GUARD + extra
        segs = _segments(lat, res, cut=(work + 5) * math.log(10))
        if not segs:
            return Currents(*(mpmath.mpf(0),) * 6)
        with mpmath.workdps(work):
            f = _integrand_mp(lat, res, work)
            q = integrate_segments(f, segs, dps=work, rtol=mpmath.mpf(10) ** (-(dps + 3 + extra)),
                                   scale_from=_SCALE_FROM)
            value, gross = q.value, q.value[_SCALE_FROM]
            # digits lost to cancellation in each net flow that is not zero to D digits of its gross flow
            lost = [mpmath.log10(abs(gross[c]) / abs(value[c])) for c in range(3)
                    if abs(value[c]) > mpmath.mpf(10) ** (-dps) * abs(gross[c])]
        need = int(math.ceil(max([float(x) for x in lost] + [0.0])))
        if need <= extra + 3:  # the tolerance 10^-(D+3+extra) of the gross flow covers D digits
            break
        extra = min(need, dps)
    return _result(lat, res, q.value, q.error)


def currents(lat: LossyLattice, *, muL: Any = None, muR: Any = None, TL: Any = 0.0, TR: Any = 0.0,
             stats: str = "fermi", dps: int | None = None, rtol: float = 1e-12) -> Currents:
    """Steady-state I, Q and gamma*n_0 with absolute error estimates (anglin:22/38, 42, 21).

    .. math:: I = \\frac{1}{4\\pi}\\int d\\omega\\,[f_L t_L(\\omega) - f_R t_R(\\omega)],\\qquad
              t_{L,R} = 1 + X_{L,R}|\\mathcal T|^2 - |\\mathcal R_{L,R}|^2

    Parameters
    ----------
    lat
        The lossy lattice.
    muL, muR, TL, TR
        Chemical potentials (default +-V/2; ``-inf``: empty) and temperatures
        of the outer lattices; exact numbers are kept exact on the ``dps`` path.
    stats
        ``"fermi"`` or ``"bose"`` (finite Lambda, mu at most the band bottom).
    dps
        None: double precision; D: D correct digits (mpmath, see the module docstring).
    rtol
        Double precision: tolerance relative to the gross flows.

    Returns
    -------
    Currents
        Values and absolute error estimates (mpf on the ``dps`` path).

    >>> lat = LossyLattice(M=2, tau1=0.1, gamma=0.0, Lambda=math.inf, V=1.0)
    >>> c = currents(lat)
    >>> round(float(c.I / lat.tau1**2), 3), bool(c.error_I < 1e-12)
    (0.333, True)
    """
    res = Reservoirs.for_lattice(lat, muL=muL, muR=muR, TL=TL, TR=TR, stats=stats)
    if dps is None:
        return _currents_np(lat, res, rtol)
    return _currents_mp(lat, res, check_dps(dps))
