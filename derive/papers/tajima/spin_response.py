"""Dynamical transverse spin susceptibility of a paramagnetic 3D Fermi gas (for tajima Eq. 24).

Convention (stated once, used everywhere): the retarded transverse susceptibility

.. math::

    \\chi_0(q, z) = \\int\\frac{d^3k}{(2\\pi)^3} f_k\\Big[\\frac{1}{\\varepsilon_{k+q}-\\varepsilon_k-z}
                  + \\frac{1}{\\varepsilon_{k+q}-\\varepsilon_k+z}\\Big],\\qquad z = \\omega + i0^+,

which is positive at :math:`\\omega = 0` and tends to the density of states per
spin :math:`N(0) = mk_F/2\\pi^2` as :math:`q\\to0` (Lindhard).  Its imaginary
part is positive for :math:`\\omega > 0` in this sign convention; Eq. 24 only
involves :math:`\\mathrm{Im}\\chi_L\\,\\mathrm{Im}\\chi_R`, which does not depend
on it.  RPA with the contact repulsion g (Stoner):
:math:`\\chi = \\chi_0/(1 - g\\chi_0)`, ferromagnetic instability at
:math:`gN(0) = 1`.  Units :math:`k_F = 1`, :math:`m = 1/2` (:math:`E_F = 1`).

The angular integral is done exactly (a logarithm) and the radial one by an
antiderivative that is checked by differentiation (:func:`antiderivative`).
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

__all__ = ["q", "z", "antiderivative", "lindhard", "specs"]

q = sp.Symbol("q", positive=True)
z = sp.Symbol("z")  # complex frequency, Im z > 0
_k = sp.Symbol("k", positive=True)
_m = sp.Rational(1, 2)
_kF = sp.Integer(1)


@lru_cache(maxsize=None)
def angular() -> sp.Basic:
    """:math:`\\int_{-1}^{1}d\\mu\\,[\\varepsilon_{k+q}-\\varepsilon_k - z]^{-1}` (principal logs are continuous for Im z > 0)."""
    mu = sp.Symbol("mu", real=True)
    d = (_k * q * mu + q**2 / 2) / _m
    return sp.simplify(sp.integrate(1 / (d - z), (mu, -1, 1)))


@lru_cache(maxsize=None)
def antiderivative() -> tuple[sp.Basic, sp.Symbol, sp.Symbol]:
    """:math:`F(k) = \\int k\\log(A + Bk)\\,dk` and a proof that :math:`F' = k\\log(A+Bk)`."""
    A, B = sp.symbols("A B")
    F = sp.integrate(_k * sp.log(A + B * _k), _k)
    assert sp.simplify(sp.diff(F, _k) - _k * sp.log(A + B * _k)) == 0
    return F, A, B


@lru_cache(maxsize=None)
def lindhard() -> sp.Basic:
    """:math:`\\chi_0(q, z)` in closed form (k_F = 1, m = 1/2)."""
    ang = angular()  # m/(kq) [log(q^2 + 2kq - 2mz) - log(q^2 - 2kq - 2mz)]
    F, A, B = antiderivative()
    total = 0
    for sign in (1, -1):  # the +z and -z terms
        a = q**2 - 2 * _m * sign * z
        for BB, s in ((2 * q, 1), (-2 * q, -1)):
            total += s * (F.subs({A: a, B: BB}).subs(_k, _kF) - F.subs({A: a, B: BB}).subs(_k, 0))
    check = sp.simplify(ang - _m / (_k * q) * (sp.log(q**2 + 2 * _k * q - 2 * _m * z)
                                                 - sp.log(q**2 - 2 * _k * q - 2 * _m * z)))
    assert check == 0, check
    return _m / (4 * sp.pi**2 * q) * total


def specs() -> tuple:
    from derive.codegen.spec import Spec

    return (Spec("lindhard_chi0", (q, z), (("chi0", lindhard()),),
                 "Transverse spin susceptibility chi_0(q, z) of a paramagnetic Fermi gas (k_F = 1, m = 1/2); "
                 "pass z = omega + i*eta with eta > 0 small."),)
