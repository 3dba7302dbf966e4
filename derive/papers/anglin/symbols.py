"""Shared SymPy symbols of the lossy-lattice model (``anglin``).

Conventions (paper's units): hbar = 1, energies and rates in units of the
middle-chain hopping tau, so tau = 1 inside expressions unless it is kept
explicitly (``tau``).

``k``, ``kL``, ``kR`` carry no assumptions: they are complex in the regimes of
Appendix B.  Real copies (``real_angles``) are substituted only where a
complex conjugate is taken for propagating waves.
"""
from __future__ import annotations

import sympy as sp

omega = sp.Symbol("omega")
k = sp.Symbol("k")
kL = sp.Symbol("k_L")
kR = sp.Symbol("k_R")
m = sp.Symbol("m", integer=True)
M = sp.Symbol("M", integer=True, positive=True)
tau = sp.Symbol("tau", positive=True)
tau1 = sp.Symbol("tau_1", positive=True)
Lam = sp.Symbol("Lambda", positive=True)
V = sp.Symbol("V", real=True)
gamma = sp.Symbol("gamma", nonnegative=True)
hbar = sp.Symbol("hbar", positive=True)

#: real stand-ins used when conjugating propagating-wave expressions
real_angles = {s: sp.Symbol(s.name, real=True) for s in (k, kL, kR, omega)}


def conj_real(expr: sp.Basic, syms=(k, kL, kR, omega)) -> sp.Basic:
    """Complex conjugate of ``expr`` assuming ``syms`` real (propagating waves)."""
    fwd = {s: real_angles.get(s) or sp.Symbol(s.name, real=True) for s in syms}
    back = {v: s for s, v in fwd.items()}
    return sp.conjugate(expr.subs(fwd)).subs(back)


def star(expr: sp.Basic) -> sp.Basic:
    """The paper's ``*`` on A, B (Eq. 33-36): :math:`k_{L,R} \\to -k_{L,R}`.

    For real wave numbers this is complex conjugation; it is also the only
    reading under which Eqs. (33)-(36) stay valid for complex k (App. B),
    which the direct solver confirms (registry entry ``anglin:appB-star``).
    """
    return expr.subs({kL: -kL, kR: -kR}, simultaneous=True)
