"""Asymptotic modes of tajima Eqs. (11), (12) for concrete barriers, in one dimension.

Units :math:`\\hbar = 1`, mass ``m``; energy :math:`\\varepsilon_k = k^2/2m`.
The left-incident mode (tajima:11) is

.. math::

    f_{k,L}(x) = \\begin{cases} e^{ikx} + A_k e^{-ikx} & x < -b \\\\
                                B_k e^{ikx} & x > b \\end{cases}

and the right-incident one (tajima:12) its mirror image,
:math:`f_{k,R}(x) = f_{k,L}(-x)`, which solves the same equation with the same
:math:`A_k, B_k` only for a mirror-symmetric barrier :math:`V(-x) = V(x)`.

Barriers: ``delta`` (:math:`V = \\alpha\\,\\delta(x)`, b = 0) and ``square``
(:math:`V = V_0` for :math:`|x| < b`).

>>> A, B = delta_barrier().A, delta_barrier().B
>>> sp.simplify(1 + A - B)
0
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

__all__ = ["Barrier", "delta_barrier", "square_barrier", "k", "m", "alpha", "V0", "b",
           "flux_residual", "orthogonality_residual", "B_at_zero", "schrodinger_residuals"]

k, m, alpha, V0, b = sp.symbols("k m alpha V_0 b", positive=True)
x = sp.Symbol("x", real=True)


@dataclass(frozen=True)
class Barrier:
    """Piecewise mode :math:`f_{k,L}`: list of (region, expression, potential) and A, B."""

    name: str
    A: sp.Basic
    B: sp.Basic
    pieces: tuple  # ((lo, hi, f(x), V), ...)
    matching: tuple  # residuals that must vanish (continuity, derivative conditions)


@lru_cache(maxsize=None)
def delta_barrier() -> Barrier:
    """:math:`V=\\alpha\\delta(x)`: continuity and :math:`f'(0^+)-f'(0^-) = 2m\\alpha f(0)`."""
    A, B = sp.symbols("A B")
    left = sp.exp(sp.I * k * x) + A * sp.exp(-sp.I * k * x)
    right = B * sp.exp(sp.I * k * x)
    eqs = [(left - right).subs(x, 0),
           (sp.diff(right, x) - sp.diff(left, x) - 2 * m * alpha * right).subs(x, 0)]
    sol = sp.solve(eqs, [A, B], dict=True)[0]
    pieces = ((-sp.oo, 0, left.subs(sol), 0), (0, sp.oo, right.subs(sol), 0))
    return Barrier("delta", sp.simplify(sol[A]), sp.simplify(sol[B]), pieces,
                   tuple(sp.simplify(e.subs(sol)) for e in eqs))


@lru_cache(maxsize=None)
def square_barrier() -> Barrier:
    """:math:`V = V_0` on :math:`|x|<b`; inside :math:`C e^{iqx} + D e^{-iqx}`, :math:`q^2 = k^2 - 2mV_0`."""
    A, B, C, D = sp.symbols("A B C D")
    q = sp.sqrt(k**2 - 2 * m * V0)
    left = sp.exp(sp.I * k * x) + A * sp.exp(-sp.I * k * x)
    mid = C * sp.exp(sp.I * q * x) + D * sp.exp(-sp.I * q * x)
    right = B * sp.exp(sp.I * k * x)
    eqs = []
    for f1, f2, x0 in ((left, mid, -b), (mid, right, b)):
        eqs += [(f1 - f2).subs(x, x0), (sp.diff(f1, x) - sp.diff(f2, x)).subs(x, x0)]
    sol = sp.solve(eqs, [A, B, C, D], dict=True)[0]
    pieces = ((-sp.oo, -b, left.subs(sol), 0), (-b, b, mid.subs(sol), V0), (b, sp.oo, right.subs(sol), 0))
    return Barrier("square", sol[A], sol[B], pieces, tuple(e.subs(sol) for e in eqs))


def schrodinger_residuals(bar: Barrier) -> list[sp.Basic]:
    """:math:`-f''/2m + V f - \\varepsilon_k f` on every piece (must vanish)."""
    eps = k**2 / (2 * m)
    return [sp.simplify(-sp.diff(f, x, 2) / (2 * m) + V * f - eps * f) for _, _, f, V in bar.pieces]


def flux_residual(bar: Barrier) -> sp.Basic:
    """:math:`|A_k|^2 + |B_k|^2 - 1` for real k (above the barrier for the square one)."""
    return bar.A * sp.conjugate(bar.A) + bar.B * sp.conjugate(bar.B) - 1


def orthogonality_residual(bar: Barrier) -> sp.Basic:
    """:math:`A_k B_k^* + A_k^* B_k`: its vanishing makes :math:`f_{k,L}\\perp f_{k,R}` (no delta(k-p) term)."""
    return bar.A * sp.conjugate(bar.B) + sp.conjugate(bar.A) * bar.B


def B_at_zero(bar: Barrier) -> sp.Basic:
    """:math:`B_0 = \\lim_{k\\to 0} B_k` (the long-wavelength transmission amplitude)."""
    return sp.limit(bar.B, k, 0, "+")
