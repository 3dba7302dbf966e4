"""Pair-tunnelling conductance over Seebeck coefficient, G/S, in the strong-coupling BEC limit (tajima Fig. 2).

Conventions (``tunnelkit pair-ratio`` contract and :mod:`derive.tajima.pair_spectral`):
:math:`E_F = T_F = 1`, :math:`k_F = 1`, :math:`m = 1/2`; molecule propagator
:math:`\\Gamma^R = 1/(\\omega - q^2/4m + i\\gamma\\theta(\\omega))`; molecular
distribution :math:`b = 1/(e^{(\\omega-\\mu_B)/T}-1)` with :math:`\\mu_B = 2\\mu+E_b`
fixed by the corrected strong-coupling number equation
:math:`n = 2\\sum_q b(q^2/4m)` (``tajima:strong-coupling-ansatz``).

.. math::

    \\frac{\\mathcal G}{\\mathcal S} = \\frac{\\int_0^\\infty d\\omega\\,K(\\omega)\\,\\partial_\\mu b}
                                      {\\int_0^\\infty d\\omega\\,K(\\omega)\\,\\partial_T b}

(tajima:21 at equal reservoirs; the prefactor :math:`8\\tilde g^2` and the
scale of :math:`a^{-1}` cancel).  Near :math:`T_c` the Bose factor makes the
G integrand :math:`\\propto T/(\\omega+|\\mu_B|)^2`: the quadrature uses
breakpoints at :math:`|\\mu_B|2^j` so the scale :math:`|\\mu_B|\\to0` is resolved.
The integrands are generated from :mod:`derive.tajima.pair_spectral`.

>>> r = pair_ratio([0.5])
>>> 0.2 < r.Tc < 0.22, bool(r.G_over_S[0] > 0)
(True, True)
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import mpmath
import numpy as np

from numeric._generated import pair_tunneling_mp as gmp
from numeric._generated import pair_tunneling_np as gnp
from numeric.errors import ParameterError
from numeric.progress import Progress, tracked
from numeric.quadrature import integrate

__all__ = ["critical_temperature", "molecular_chemical_potential", "PairRatio", "pair_ratio", "response",
           "pair_current"]

#: density of both spins, k_F^3 / 3 pi^2 with k_F = 1
_DENSITY = 1 / (3 * math.pi**2)
_X_MAX = 80.0  # Bose tail cut: e^-80 ~ 1e-35 of the integrand scale


@lru_cache(maxsize=None)
def critical_temperature(dps: int = 30) -> float:
    """:math:`T_c/T_F` by root finding on the number equation at :math:`\\mu_B = 0` (no closed form used)."""
    with mpmath.workdps(dps):
        return float(mpmath.findroot(lambda T: gmp.molecule_density(T, mpmath.mpf(0))[0] - mpmath.mpf(1) / (3 * mpmath.pi**2),
                                     mpmath.mpf("0.2")))


@lru_cache(maxsize=256)
def molecular_chemical_potential(T: float, *, dps: int = 30):
    """:math:`\\mu_B(T) < 0` above :math:`T_c` (an mpf at ``dps`` digits)."""
    Tc = critical_temperature()
    if not (T > Tc):
        raise ParameterError("T", f"above Tc = {Tc:.6f} T_F (the normal phase)", T)
    with mpmath.workdps(dps + 10):
        Tm = mpmath.mpf(T)
        target = mpmath.mpf(1) / (3 * mpmath.pi**2)

        def f(y):  # y = log(-mu_B / T): keeps mu_B < 0 and resolves mu_B -> 0
            return gmp.molecule_density(Tm, -Tm * mpmath.exp(y))[0] - target
        lo, hi = mpmath.mpf(-60), mpmath.mpf(10)
        y = mpmath.findroot(f, (lo, hi), solver="illinois")
        mu = -Tm * mpmath.exp(y)
    return +mu


@dataclass(frozen=True)
class PairRatio:
    """G/S at several temperatures, with quadrature error estimates (relative)."""

    Tc: float
    T: np.ndarray
    mu_B: list
    G_over_S: list
    error: np.ndarray


def _breakpoints(T: float, muB: float, damping: float) -> np.ndarray:
    a = abs(muB)
    wmax = muB + _X_MAX * T
    pts = [a * 2.0**j for j in range(-6, 60) if a * 2.0**j < wmax] + [damping, T, 10 * T]
    return np.unique(np.clip(pts, 0, wmax))


def response(T: float, *, damping: float = 0.1, dps: int | None = None) -> tuple:
    """(G, S, error_G, error_S) per unit :math:`8\\tilde g^2` at equal reservoirs (tajima:21).

    ``dps=None``: double precision (vectorised adaptive Gauss-Legendre);
    otherwise mpmath quadrature inside ``workdps(dps)``.
    """
    if not (damping > 0 and math.isfinite(damping)):
        raise ParameterError("damping", "a finite number > 0", damping)
    muB = molecular_chemical_potential(T, dps=max(dps or 0, 30))
    pts = _breakpoints(T, float(muB), damping)
    if dps is None:
        f = lambda w: np.stack(gnp.pair_response_integrands(w, damping, T, float(muB)), axis=-1)  # noqa: E731
        (G, S), (eG, eS) = integrate(f, 0.0, float(pts[-1]), points=pts, rtol=1e-13)
        return G, S, eG, eS
    with mpmath.workdps(dps):
        d, Tm, mb = mpmath.mpf(damping), mpmath.mpf(T), mpmath.mpf(muB)
        nodes = [mpmath.mpf(0)] + [mpmath.mpf(float(p)) for p in pts[1:]]
        G, eG = mpmath.quad(lambda w: gmp.pair_response_integrands(w, d, Tm, mb)[0], nodes, error=True)
        S, eS = mpmath.quad(lambda w: gmp.pair_response_integrands(w, d, Tm, mb)[1], nodes, error=True)
        return +G, +S, +eG, +eS


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


def pair_ratio(T: Sequence[float], *, damping: float = 0.1, dps: int | None = None,
               progress: Progress | None = None) -> PairRatio:
    """G/S (dimensionless: G and S are both currents per unit energy) at each temperature above T_c.

    ``progress``: optional progress wrapper (:mod:`numeric.progress`), advanced per temperature.
    """
    Ts = np.asarray(T, dtype=float)
    ratios, errs, mus = [], [], []
    for t in tracked(Ts, progress, desc="pair-ratio"):
        G, S, eG, eS = response(float(t), damping=damping, dps=dps)
        ratios.append(G / S)
        errs.append(float(abs(eG / G) + abs(eS / S)))
        mus.append(molecular_chemical_potential(float(t), dps=max(dps or 0, 30)))
    return PairRatio(critical_temperature(), Ts, mus if dps else [float(m) for m in mus],
                     ratios if dps else [float(r) for r in ratios], np.asarray(errs))
