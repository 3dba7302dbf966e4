r"""Bound states of any model: zeros of the determinant on the physical sheet of every lead.

A bound state decays into every lead: its amplitude there goes like :math:`z_p^m` with
:math:`|z_p| < 1` (:math:`\operatorname{Im}k_p > 0`).  With the leads' self-energies continued to
complex :math:`\omega` on that sheet (:func:`numeric.models.greens.lead_terms`: the decaying root of
:math:`\tilde z + 1/\tilde z = x`, analytic off the band), the bound states are the zeros of

.. math:: D(\omega) = \det\big(\omega - H - \textstyle\sum_p\Sigma_p(\omega)\big)

at which every lead decays (:math:`|z_p| < e^{-10^{-6}}`: a decay length below 10^6 sites;
resonances approaching the real axis have :math:`|z_p|` at round-off distance from 1 and are not
bound states).  :func:`bound_states` runs secant iterations (mpmath) from a grid of seeds over a
rectangle that holds the spectrum of the effective Hamiltonian (Gershgorin discs of the region and
the lead couplings); ``det`` may be any function with the same zeros (the closed form's D).
Wide-band leads have no physical sheet to search (refused by the caller).

>>> import mpmath
>>> from numeric.models.tight_binding import Lead, TightBinding
>>> H = mpmath.matrix([[mpmath.mpc(0, -2.25)]])          # one site, loss 4.5, two chains coupled with -1
>>> tb = TightBinding(("c",), H, (Lead.make("L", 0, -1, 0, -1), Lead.make("R", 0, -1, 0, -1)))
>>> [round(float(mpmath.im(b.omega)), 6) for b in bound_states(tb, seeds=6)]  # -2 sinh(arccosh(4.5/4))
[-1.030776]
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import mpmath
import numpy as np

from numeric.models.greens import lead_terms
from numeric.precision import MULTI
from numeric.models.tight_binding import TightBinding

__all__ = ["BoundState", "bound_states", "determinant", "MIN_DECAY"]

#: smallest Im k_p accepted for a bound state (decay length 1e6 sites)
MIN_DECAY = 1e-6


@dataclass(frozen=True)
class BoundState:
    """A bound state: ``omega`` (complex) and the leads' Bloch factors ``z[lead]`` (|z| < 1)."""

    omega: complex
    z: dict


def determinant(tb: TightBinding) -> Callable[[Any], Any]:
    r""":math:`\omega \mapsto \det(\omega - H - \sum_p\Sigma_p(\omega))` of an mpmath model (complex omega)."""
    n = tb.n_sites

    def det(w):
        A = -tb.region(w)
        for i in range(n):
            A[i, i] += w
        for ld in tb.leads_at(w):
            A[ld.site, ld.site] -= lead_terms(ld, w, backend=MULTI)[0]
        return mpmath.det(A)

    return det


def _bloch_factors(tb: TightBinding, w) -> dict:
    out = {}
    for ld in tb.leads_at(w):
        sigma = lead_terms(ld, w, backend=MULTI)[0]
        out[ld.name] = sigma / ld.strength
    return out


def _region(tb: TightBinding) -> tuple[float, float, float]:
    """(lo, hi, depth): Re omega in [lo, hi] and Im omega in [-depth, 0] hold the effective Hamiltonian's spectrum
    (Gershgorin discs of H, each lead site's disc widened by its band and coupling)."""
    n = tb.n_sites
    H = tb.H
    centre = [complex(H[i, i]) for i in range(n)]
    radius = [sum(abs(complex(H[i, j])) for j in range(n) if j != i) for i in range(n)]
    for ld in tb.leads:
        t = abs(complex(ld.hopping))
        radius[ld.site] += float(abs(complex(ld.strength))) * 2 + abs(complex(ld.potential)) + 2 * t
    lo = min(c.real - r for c, r in zip(centre, radius)) - 2
    hi = max(c.real + r for c, r in zip(centre, radius)) + 2
    depth = max([-(c.imag - r) for c, r in zip(centre, radius)] + [0.0])
    return lo, hi, depth


def bound_states(tb: TightBinding, *, det: Callable[[Any], Any] | None = None, dps: int = 20,
                 seeds: int = 24) -> list[BoundState]:
    """Zeros of ``det`` at which every lead decays, sorted by (Re, Im).

    Parameters
    ----------
    tb : TightBinding
        An mpmath model (``from_model(..., backend=MULTI)``) with finite-band leads.
    det : callable, optional
        Complex omega -> a function with the zeros of :math:`\\det(\\omega - H - \\Sigma)` (default:
        :func:`determinant`; the closed form's det is the same function and cheaper for long segments).
    dps : int
        Working digits of the root search.
    seeds : int
        Starting points along Re omega (each with six along Im omega).

    Returns
    -------
    list of BoundState
    """
    det = det or determinant(tb)
    lo, hi, depth = _region(tb)
    found: list[BoundState] = []
    with mpmath.workdps(dps):
        tol = mpmath.mpf(10) ** (-(dps // 2))
        decay = math.exp(-MIN_DECAY)
        for re in np.linspace(lo, hi, seeds):
            for im in np.linspace(-depth - 0.5, 0.5, 6):
                w0 = mpmath.mpc(re, im)
                try:
                    w = mpmath.findroot(det, (w0, w0 + mpmath.mpc(0.01, 0.01)), solver="secant", tol=tol ** 2,
                                        maxsteps=60, verify=False)
                    z = _bloch_factors(tb, w)
                    # a zero, relative to the size of det around it (the closed form's det grows like the
                    # continuants of its segments)
                    step = mpmath.mpf(10) ** -6 * (1 + abs(w))
                    is_zero = abs(det(w)) <= tol * abs(det(w + step))
                except (ValueError, ZeroDivisionError):  # a seed ran into a singular point
                    continue
                if is_zero and all(abs(x) < decay for x in z.values()) and lo <= mpmath.re(w) <= hi \
                        and -depth - tol <= mpmath.im(w) <= tol:
                    if all(abs(complex(w) - b.omega) > 1e-8 for b in found):
                        found.append(BoundState(complex(w), {k: complex(v) for k, v in z.items()}))
    return sorted(found, key=lambda b: (b.omega.real, b.omega.imag))
