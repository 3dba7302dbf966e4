r"""Uniform chains of any length N (N may be a symbol) through transfer matrices.

A segment is a chain of N sites ``f = 0, 1, ..., N-1 = l`` with on-site energy
:math:`e` and hopping :math:`H_{n,n+1}=h`, :math:`H_{n+1,n}=\bar h`.  Inside it the
Schroedinger equation :math:`(\omega-e)\psi_n = h\psi_{n+1}+\bar h\psi_{n-1}` is a
two-term recursion (a transfer matrix), solved in closed form by the continuants

.. math::

    D_n = (\omega-e)D_{n-1} - h\bar h\,D_{n-2},\quad D_0 = 1,\ D_{-1} = 0,\qquad
    D_n = |h|^n\,U_n\!\Big(\frac{\omega-e}{2|h|}\Big)

(:math:`U_n` Chebyshev polynomials of the second kind; :math:`D_n` is the
determinant of :math:`\omega-H` of an isolated n-site chain).  By induction on j,

.. math:: \psi_j = h^{1-j}\big(D_{j-1}\,\psi_v - \bar h\,D_{j-2}\,\psi_f\big),

where :math:`\psi_v` is the value at site 1 (for N = 1 a *virtual* site just
past the end).  The segment is therefore represented by two unknowns
:math:`(\psi_f, \psi_v)` and two equations: the one at ``f`` and the one at
``l`` with its in-segment part :math:`(\omega-e)\psi_l - \bar h\psi_{l-1} = h\psi_{l+1}`
written through the same formula.  For N = 1 the two equations add up to the
one equation of the single site (``first`` and ``last`` couplings enter one
each), the difference only fixes the virtual :math:`\psi_v`; so one closed form
holds for every N >= 1.  Eliminating the bulk equations (a triangular block
with diagonal :math:`-h`) gives

.. math:: \det(\omega-H-\Sigma) = h^{N-2}\det R

for the reduced matrix R (checked against explicit chains of 1..6 sites in
``tests/derive/models/test_tight_binding_segments.py``).  In R the length enters only
through three atoms, :math:`P = D_{N-2}`, :math:`Q = D_{N-3}`, :math:`W = h^{2-N}`.

>>> import sympy as sp
>>> w = sp.Symbol("omega", real=True)
>>> N = sp.Symbol("N", integer=True, positive=True)
>>> continuant(N, w, sp.Integer(1))
chebyshevu(N, omega/2)
>>> sp.expand(continuant(3, w, sp.Integer(1)))
omega**3 - 2*omega
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

__all__ = ["continuant", "SegmentAtoms", "segment_atoms"]


def continuant(n: sp.Basic | int, d: sp.Basic, hh: sp.Basic) -> sp.Basic:
    r"""Determinant :math:`D_n` of an isolated uniform n-site chain.

    Parameters
    ----------
    n : int or sympy integer expression
        Number of sites (:math:`D_{-1} = 0`, :math:`D_{-2} = -1/(h\bar h)`).
    d : sympy.Expr
        :math:`\omega - e`.
    hh : sympy.Expr
        :math:`h\bar h = |h|^2`.

    Returns
    -------
    sympy.Expr
        .. math:: D_n = |h|^n U_n\Big(\frac{d}{2|h|}\Big)

    >>> continuant(-2, sp.Symbol("d"), sp.Symbol("t")**2)
    -1/t**2
    """
    rho = sp.sqrt(hh)
    return rho ** n * sp.chebyshevu(n, d / (2 * rho))


@dataclass(frozen=True)
class SegmentAtoms:
    """The three length-dependent atoms of one segment and what they stand for.

    ``P`` = :math:`D_{N-2}`, ``Q`` = :math:`D_{N-3}`, ``W`` = :math:`h^{2-N}`
    (symbols used inside the linear algebra); ``values`` maps each atom to its
    closed form and ``conjugates`` to the closed form of its complex conjugate.
    """

    P: sp.Symbol
    Q: sp.Symbol
    W: sp.Symbol
    values: dict
    conjugates: dict
    d: sp.Basic
    h: sp.Basic
    hbar: sp.Basic
    length: sp.Basic

    @property
    def hh(self) -> sp.Basic:
        """:math:`h\\bar h`."""
        return sp.expand(self.h * self.hbar)

    def last_site(self) -> tuple[sp.Basic, sp.Basic]:
        r"""Coefficients of :math:`(\psi_f, \psi_v)` in :math:`\psi_l = W(P\psi_v - \bar hQ\psi_f)`."""
        return -self.W * self.hbar * self.Q, self.W * self.P

    def first_equation(self) -> tuple[sp.Basic, sp.Basic]:
        r"""In-segment part of the equation at ``f``: :math:`(\omega-e)\psi_f - h\psi_v`."""
        return self.d, -self.h

    def last_equation(self) -> tuple[sp.Basic, sp.Basic]:
        r"""In-segment part of the equation at ``l``: :math:`W(D_{N-1}\psi_v - \bar hP\psi_f)`.

        :math:`D_{N-1} = (\omega-e)P - h\bar hQ`.
        """
        d_last = self.d * self.P - self.hh * self.Q
        return -self.W * self.hbar * self.P, self.W * d_last


def segment_atoms(name: str, length: sp.Basic, energy: sp.Basic, hopping: sp.Basic, omega: sp.Symbol,
                  ) -> SegmentAtoms:
    """Atoms of a segment of symbolic ``length`` (assumed an integer >= 1).

    The atoms are real symbols when their values are real for real ``omega``
    (real energy; ``W`` real for a real hopping), so that conjugation leaves
    them alone.
    """
    d = omega - energy
    hbar = sp.conjugate(hopping)
    hh = sp.expand(hopping * hbar)
    real_d = bool(d.is_real)
    P = sp.Symbol(f"_P_{name}", real=True) if real_d else sp.Symbol(f"_P_{name}")
    Q = sp.Symbol(f"_Q_{name}", real=True) if real_d else sp.Symbol(f"_Q_{name}")
    W = sp.Symbol(f"_W_{name}", real=True) if hopping.is_real else sp.Symbol(f"_W_{name}")
    values = {P: continuant(length - 2, d, hh), Q: continuant(length - 3, d, hh), W: hopping ** (2 - length)}
    conjugates = {P: continuant(length - 2, sp.conjugate(d), hh), Q: continuant(length - 3, sp.conjugate(d), hh),
                  W: hbar ** (2 - length)}
    return SegmentAtoms(P, Q, W, values, conjugates, d, hopping, hbar, length)
