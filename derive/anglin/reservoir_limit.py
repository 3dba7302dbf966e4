"""The reservoir limit :math:`\\Lambda\\to\\infty` (anglin Sec. III.6, App. A.3, Eqs. 24, 37).

The lead wave numbers are written through the dispersion relation (Eq. 17)

.. math:: k_{L,R}(\\omega) = \\arccos\\Big(-\\frac{\\omega \\mp V/2}{2\\Lambda}\\Big),

and :func:`sympy.limit` is taken of every scaled outer coefficient
(:func:`derive.anglin.scattering.scaled_blocks`).  The amplitudes are polynomials
in these blocks divided by ``Z`` (:func:`derive.anglin.scattering.assemble`), so
their limits follow from the blocks' (all finite) limits; the value
:math:`k_{L,R}\\to\\pi/2` is an output of ``sympy.limit``, never substituted.
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

from derive.anglin.scattering import Amplitudes, assemble, scaled_blocks
from derive.anglin.symbols import V, Lam, kL, kR, omega

__all__ = [
    "lead_wavenumbers", "lead_limits", "blocks_at_infinity", "amplitudes_at_infinity", "middle_wavenumber",
]


def lead_wavenumbers() -> dict[sp.Symbol, sp.Basic]:
    """:math:`k_{L,R}(\\omega)` from anglin:17 (principal branch, real in the band)."""
    return {
        kL: sp.acos(-(omega - V / 2) / (2 * Lam)),
        kR: sp.acos(-(omega + V / 2) / (2 * Lam)),
    }


@lru_cache(maxsize=None)
def lead_limits() -> dict[str, sp.Basic]:
    """``sympy.limit`` of :math:`k_j`, :math:`\\sin k_j`, :math:`e^{ik_j}` as Lambda -> oo.

    >>> lead_limits()["k_L"], lead_limits()["sin k_R"]
    (pi/2, 1)
    """
    out = {}
    for sym, expr in lead_wavenumbers().items():
        out[sym.name] = sp.limit(expr, Lam, sp.oo)
        out[f"sin {sym.name}"] = sp.limit(sp.sin(expr), Lam, sp.oo)
        out[f"exp(i {sym.name})"] = sp.limit(sp.exp(sp.I * expr), Lam, sp.oo)
    return out


@lru_cache(maxsize=None)
def blocks_at_infinity() -> tuple[dict, dict]:
    """Limits of the scaled blocks :math:`2\\sqrt\\Lambda\\,(\\alpha, \\beta)` as Lambda -> oo."""
    a, b = scaled_blocks()
    sub = lead_wavenumbers()

    def lim(e: sp.Basic) -> sp.Basic:
        out = sp.limit(e.subs(sub), Lam, sp.oo)
        # sympy.limit may leave tan(k)/tan(k): write tan = sin/cos and cancel, so that the
        # result has no removable 0/0 at cos k = 0 (omega = 0)
        return sp.cancel(sp.together(out.replace(sp.tan, lambda x: sp.sin(x) / sp.cos(x))))

    return ({key: lim(v) for key, v in a.items()}, {key: lim(v) for key, v in b.items()})


@lru_cache(maxsize=None)
def amplitudes_at_infinity() -> Amplitudes:
    """Amplitudes in the reservoir limit; functions of ``k``, ``M``, ``tau_1``, ``gamma`` only."""
    a, b = blocks_at_infinity()
    lims = lead_limits()
    amp = assemble(a, b, lims["sin k_L"], lims["sin k_R"])
    assert not ({Lam, kL, kR, omega, V} & amp.Z.free_symbols), amp.Z.free_symbols
    return amp


def middle_wavenumber() -> sp.Basic:
    """anglin:23 / 30: :math:`k(\\omega) = \\arccos(-\\omega/2)`."""
    return sp.acos(-omega / 2)

