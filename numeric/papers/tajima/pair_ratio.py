r"""Pair-tunnelling conductance over Seebeck coefficient, G/S, in the strong-coupling BEC limit (tajima Fig. 2).

Conventions (``tunnelkit pair-ratio`` contract and :mod:`derive.papers.tajima.pair_spectral`):
:math:`E_F = T_F = 1`, :math:`k_F = 1`, :math:`m = 1/2`; molecule propagator
:math:`\Gamma^R = 1/(\omega - q^2/4m + i\gamma\theta(\omega))`; molecular
distribution :math:`b = 1/(e^{(\omega-\mu_B)/T}-1)` with :math:`\mu_B = 2\mu+E_b`
fixed by the corrected strong-coupling number equation
:math:`n = 2\sum_q b(q^2/4m)` (``tajima:strong-coupling-ansatz``).

.. math::

    \frac{\mathcal G}{\mathcal S} = \frac{\int_0^\infty d\omega\,K(\omega)\,\partial_\mu b}
                                      {\int_0^\infty d\omega\,K(\omega)\,\partial_T b}

(tajima:21 at equal reservoirs; the prefactor :math:`8\tilde g^2` and the
scale of :math:`a^{-1}` cancel).  Near :math:`T_c` the Bose factor makes the
G integrand :math:`\propto T/(\omega+|\mu_B|)^2`: the quadrature uses
breakpoints at :math:`|\mu_B|2^j` so the scale :math:`|\mu_B|\to0` is resolved.
The integrands are generated from :mod:`derive.papers.tajima.pair_spectral`.

Both roots (:math:`T_c`, :math:`\mu_B`) are found by bracketing in mpmath at
the working precision, :math:`\mu_B` as :math:`y = \log(-\mu_B/T)` (so that
:math:`\mu_B\to0^-` near :math:`T_c` keeps its relative precision), and are
returned only with the digits that :func:`numeric.precision.stable_digits`
verified (17 for the double path).  Accepted: :math:`T_c < T \le` :data:`T_MAX`,
damping in :data:`DAMPING_RANGE` (beyond it the double integrand over- or
underflows: :math:`\gamma^3` appears).

>>> r = pair_ratio([0.5])
>>> 0.2 < r.Tc < 0.22, bool(r.G_over_S[0] > 0)
(True, True)
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Sequence

import mpmath
import numpy as np

from numeric._generated import pair_tunneling_mp as gmp
from numeric._generated import pair_tunneling_np as gnp
from numeric.errors import ParameterError
from numeric.precision import DOUBLE, MULTI, Backend, PrecisionError, check_dps, exact, is_infinite, mp, stable_digits
from numeric.progress import Progress, tracked
from numeric.quadrature import Segment, integrate, integrate_segments

__all__ = ["critical_temperature", "molecular_chemical_potential", "PairRatio", "pair_ratio", "response",
           "pair_current", "T_MAX", "DAMPING_RANGE", "MAX_DPS"]

#: highest temperature accepted (T_F)
T_MAX = 1e6
#: damping range accepted (E_F), both paths
DAMPING_RANGE = (1e-100, 1e100)
#: largest --dps / dps=: measured (benchmarks/README.md, "Precision limits")
MAX_DPS = 100

_T_MAX_EXACT = exact(T_MAX)
_DAMPING_EXACT = tuple(exact(f"{x:g}") for x in DAMPING_RANGE)  # the decimal bounds, exactly
_X_MAX = 80.0  # Bose tail cut: e^-80 ~ 1e-35 of the integrand scale
_DOUBLE_DIGITS = 17


def _density_target():
    return 1 / (3 * mpmath.pi**2)  # k_F^3 / 3 pi^2 with k_F = 1, both spins


def _bracketed_root(f: Callable, lo, hi):
    r"""Root of the monotone ``f`` in [lo, hi] (signs differ at the ends), to the working precision.

    Ridders' method: at the midpoint m, :math:`x = m + (m - lo)\,\mathrm{sgn}(f_{lo} - f_{hi})\,
    f_m/\sqrt{f_m^2 - f_{lo}f_{hi}}` always lies in the bracket, which is then
    replaced by the smallest sub-bracket with a sign change (quadratic
    convergence, two evaluations per step).  Stops when an iterate moves by
    less than a few units of the working precision or the bracket is that small.
    """
    flo, fhi = f(lo), f(hi)
    if flo == 0 or fhi == 0:
        return lo if flo == 0 else hi
    if (flo > 0) == (fhi > 0):
        raise PrecisionError("no sign change in the bracket")
    eps = mpmath.mpf(2) ** (6 - mpmath.mp.prec)
    x_prev = None
    for _ in range(4 * mpmath.mp.prec):
        m = (lo + hi) / 2
        fm = f(m)
        if fm == 0:
            return m
        x = m + (m - lo) * (1 if flo > fhi else -1) * fm / mpmath.sqrt(fm * fm - flo * fhi)
        fx = f(x)
        if fx == 0 or (x_prev is not None and abs(x - x_prev) <= eps * max(abs(x), 1)):
            return x
        x_prev = x
        points = sorted([(lo, flo), (m, fm), (x, fx), (hi, fhi)], key=lambda p: p[0])
        lo, flo, hi, fhi = next((a, fa, b, fb) for (a, fa), (b, fb) in zip(points, points[1:])
                                if (fa > 0) != (fb > 0))
        if hi - lo <= eps * max(abs(lo), abs(hi), 1):
            return (lo + hi) / 2
    raise PrecisionError("bracketing did not converge")  # pragma: no cover - the bracket at least halves


def _tc_at_working_precision():
    target = _density_target()
    return _bracketed_root(lambda T: gmp.molecule_density(T, mpmath.mpf(0))[0] - target,
                           mpmath.mpf("0.1"), mpmath.mpf("0.5"))


@lru_cache(maxsize=None)
def _tc(digits: int):
    return stable_digits(_tc_at_working_precision, digits, what="T_c")


def critical_temperature(*, dps: int | None = None):
    r""":math:`T_c/T_F` by root finding on the number equation at :math:`\mu_B = 0` (no closed form used).

    Parameters
    ----------
    dps : int, optional
        Significant digits (an mpf, every digit verified); default a float.

    Returns
    -------
    float or mpf

    >>> round(critical_temperature(), 10)
    0.2180329612
    """
    if dps is None:
        return float(_tc(_DOUBLE_DIGITS))
    return _tc(check_dps(dps, limit=MAX_DPS))


def _chemical_potential_at_working_precision(T):
    """:math:`\\mu_B(T)` at the working precision; ``T`` an mpf above T_c."""
    target = _density_target()

    def f(y):  # y = log(-mu_B / T): keeps mu_B < 0 and resolves mu_B -> 0-
        return gmp.molecule_density(T, -T * mpmath.exp(y))[0] - target

    lo, hi = mpmath.mpf(-8), mpmath.mpf(8)
    while f(lo) <= 0:  # mu_B -> 0: (T - Tc)^2 scale; at y = -2000 the working precision sees mu_B = 0
        if lo < -2000:
            raise ParameterError("T", "resolvably above Tc (raise dps)", T)
        lo *= 2
    while f(hi) >= 0:  # high T: -mu_B / T ~ log(T^(3/2))
        hi *= 2
    return -T * mpmath.exp(_bracketed_root(f, lo, hi))


def _check_temperature(T: Any):
    Te = exact(T, "T")
    if is_infinite(Te) or not Te <= _T_MAX_EXACT:
        raise ParameterError("T", f"a temperature in (Tc, {T_MAX:g}] T_F", T)
    with mpmath.workdps(30):
        if not mp(Te) > _tc(25):
            raise ParameterError("T", f"above Tc = {float(_tc(17)):.6f} T_F (the normal phase)", T)
    return Te


def molecular_chemical_potential(T: Any, *, dps: int | None = None):
    r""":math:`\mu_B(T) < 0` above :math:`T_c`: root of the number equation (17 verified digits, or ``dps``).

    .. math:: \frac{1}{3\pi^2} = \frac{\sqrt2\,T^{3/2}}{2\pi^{3/2}}\,\mathrm{Li}_{3/2}(e^{\mu_B/T})

    Parameters
    ----------
    T : number
        Temperature in T_F (exact: decimal strings, Fractions, mpf; a float is its binary value).
    dps : int, optional
        Significant digits of the result.

    Returns
    -------
    mpf
        :math:`\mu_B/E_F`, of which 17 (or ``dps``) significant digits are right.

    >>> round(float(molecular_chemical_potential(0.5)), 6)
    -0.276755
    """
    Te = _check_temperature(T)
    digits = _DOUBLE_DIGITS if dps is None else check_dps(dps, limit=MAX_DPS)
    return _mu_b(Te, digits)


@lru_cache(maxsize=256)
def _mu_b(Te, digits: int):
    return stable_digits(lambda: _chemical_potential_at_working_precision(mp(Te)), digits, what="mu_B")


@dataclass(frozen=True)
class PairRatio:
    """G/S at several temperatures, with quadrature error estimates (relative); mpf entries with ``dps``."""

    Tc: Any
    T: np.ndarray
    mu_B: list
    G_over_S: list
    error: np.ndarray


def _breakpoints(T: float, muB: float, damping: float) -> np.ndarray:
    a = abs(muB)
    wmax = muB + _X_MAX * T
    pts = [a * 2.0**j for j in range(-6, 60) if a * 2.0**j < wmax] + [damping, T, 10 * T]
    return np.unique(np.clip(pts, 0, wmax))


def _integrate_response(T, muB, damping, pts: np.ndarray, xp: Backend) -> tuple:
    """(G, S, error_G, error_S): the response integrals over [0, oo), split at ``pts``.

    The one quadrature engine (:func:`numeric.quadrature.integrate_segments`): the
    breakpoints resolve the scales |mu_B| 2^j, damping and T on ``[0, pts[-1]]``; the
    Bose tail beyond ``pts[-1]`` (where the integrands are below e^-80 of their scale)
    is a semi-infinite segment, so no cut limits the digits.  ``xp`` picks the generated
    integrands of its precision: doubles vectorised (relative tolerance 1e-13), or mpmath at
    the working precision (called inside ``workdps``; relative tolerance 10^(7 - dps), both
    integrands from one evaluation per node).
    """
    wmax = float(pts[-1])
    segs = [Segment(0.0, wmax, points=tuple(float(p) for p in pts[1:-1])), Segment(wmax, math.inf)]

    def vectorised(w):
        with np.errstate(over="ignore"):  # exp overflow far in the tail: the integrand is 0 there
            return np.stack(gnp.pair_response_integrands(w, damping, T, muB), axis=-1)

    dps = mpmath.mp.dps
    q = integrate_segments(xp.pick(vectorised, lambda w: gmp.pair_response_integrands(w, damping, T, muB)), segs,
                           dps=xp.pick(None, dps), rtol=xp.pick(1e-13, mpmath.mpf(10) ** (7 - dps)))
    (G, S), (eG, eS) = q.value, q.error
    return G, S, eG, eS


def _check_damping(damping: Any):
    d = exact(damping, "damping")
    lo, hi = DAMPING_RANGE
    if is_infinite(d) or not _DAMPING_EXACT[0] <= d <= _DAMPING_EXACT[1]:
        raise ParameterError("damping", f"a number in [{lo:g}, {hi:g}] (E_F)", damping)
    return d


def response(T: Any, *, damping: Any = 0.1, dps: int | None = None) -> tuple:
    """(G, S, error_G, error_S) per unit :math:`8\\tilde g^2` at equal reservoirs (tajima:21).

    ``dps=None``: double precision (vectorised adaptive Gauss-Legendre);
    otherwise mpmath quadrature inside ``workdps(dps)`` (no check of the
    digits: :func:`pair_ratio` checks them).
    """
    de = _check_damping(damping)
    Te = _check_temperature(T)
    muB = _mu_b(Te, _DOUBLE_DIGITS if dps is None else max(dps, _DOUBLE_DIGITS))
    pts = _breakpoints(float(Te), float(muB), float(de))
    if dps is None:
        return _integrate_response(float(Te), float(muB), float(de), pts, DOUBLE)
    with mpmath.workdps(dps):
        return tuple(+x for x in _integrate_response(mp(Te), +muB, mp(de), pts, MULTI))


def pair_current(mu: tuple[float, float], T: tuple[float, float], *, E_b: float, g_tilde: float = 1.0,
                 damping: float = 0.1) -> float:
    r"""Mass current of tajima:21 between reservoirs with fermion chemical potentials ``mu`` and temperatures ``T``.

    .. math:: I = 8\tilde g^2\int_0^\infty\frac{d\omega}{2\pi}\frac{K(\omega)}{2\pi^2}[b_L(\omega)-b_R(\omega)],
              \quad b_i = n_B\big((\omega - 2\mu_i - E_b)/T_i\big)

    (used to cross-check the analytic G and S by finite differences, and to show that
    G/S depends neither on ``g_tilde`` nor on ``E_b = 1/ma^2``).
    """
    from numeric.distributions import occupation

    muB = [2 * m + E_b for m in mu]
    if max(muB) >= 0:
        raise ParameterError("mu", "below -E_b/2 (mu_B = 2 mu + E_b < 0)", mu)

    def f(w):
        K = gnp.pair_spectral_weight(w, damping)[0]
        return (8 * g_tilde**2 / (2 * math.pi) / (2 * math.pi**2) * K
                * (occupation(w, muB[0], T[0], "bose") - occupation(w, muB[1], T[1], "bose")))
    pts = np.union1d(_breakpoints(T[0], muB[0], damping), _breakpoints(T[1], muB[1], damping))
    val, _ = integrate(f, 0.0, float(pts[-1]), points=pts, rtol=1e-13)
    return float(val[0])


def pair_ratio(T: Sequence[Any], *, damping: Any = 0.1, dps: int | None = None,
               progress: Progress | None = None) -> PairRatio:
    r"""G/S (dimensionless: G and S are both currents per unit energy) at each temperature above T_c.

    Parameters
    ----------
    T : sequence
        Temperatures in T_F, :math:`T_c < T \le` :data:`T_MAX` (exact with ``dps``: decimal strings are
        exact, a float is its binary value).
    damping : number
        Molecule damping in E_F, in :data:`DAMPING_RANGE`.
    dps : int, optional
        Significant digits of ``Tc``, ``mu_B`` and ``G_over_S`` (mpf, every digit verified by
        :func:`numeric.precision.stable_digits`); at most :data:`MAX_DPS`.
    progress : callable, optional
        Progress wrapper (:mod:`numeric.progress`), advanced per temperature.

    Returns
    -------
    PairRatio
        ``Tc``, ``T``, ``mu_B``, ``G_over_S`` and the relative quadrature error estimates.
    """
    de = _check_damping(damping)
    temps = [_check_temperature(t) for t in T]
    Ts = np.array([float(t) for t in temps])
    if dps is None:
        ratios, errs, mus = [], [], []
        for t in tracked(temps, progress, desc="pair-ratio"):
            G, S, eG, eS = response(t, damping=de)
            ratios.append(float(G / S))
            errs.append(float(abs(eG / G) + abs(eS / S)))
            mus.append(float(_mu_b(t, _DOUBLE_DIGITS)))
        return PairRatio(critical_temperature(), Ts, mus, ratios, np.asarray(errs))
    digits = check_dps(dps, limit=MAX_DPS)
    mus, ratios, errs = [], [], []
    for t in tracked(temps, progress, desc="pair-ratio"):
        pts = _breakpoints(float(t), float(_mu_b(t, _DOUBLE_DIGITS)), float(de))

        def evaluate(t=t, pts=pts):
            Tm = mp(t)
            muB = _chemical_potential_at_working_precision(Tm)
            G, S, eG, eS = _integrate_response(Tm, muB, mp(de), pts, MULTI)
            return muB, G / S, abs(eG / G) + abs(eS / S)

        muB, ratio, err = _stable_pair(evaluate, digits)
        mus.append(muB)
        ratios.append(ratio)
        errs.append(float(err))
    return PairRatio(_tc(digits), Ts, mus, ratios, np.asarray(errs))


def _stable_pair(evaluate: Callable, digits: int):
    """(mu_B, G/S) stable to ``digits``; the error estimate is carried along, not compared."""
    last: list = []

    def values():
        muB, ratio, err = evaluate()
        last[:] = [err]
        return muB, ratio

    muB, ratio = stable_digits(values, digits, what="G/S")
    return muB, ratio, last[0]

