r"""Proving identities with square roots: the radicals eliminated with their minimal polynomials.

Transport formulas hold their band structure in square roots (:math:`\sqrt{4t^2-\omega^2}`,
:math:`\sqrt{\omega/2-1}\sqrt{\omega/2+1}`); SymPy's simplifiers rarely bring a difference of two
such forms to zero, so those claims were decided at random exact points only.  In a region where
every radicand has a fixed sign (a regime of the domain: each lead open or closed), the principal
square root of a real radicand :math:`b = c\prod_i f_i^{e_i}` (:math:`f_i` irreducible over
:math:`\mathbb Q`, signs :math:`s_i` fixed there) is

.. math:: \sqrt b = \bigl(i \text{ if } b<0\bigr)\,\sqrt{|c|}\prod_i |f_i|^{\lfloor e_i/2\rfloor}
          \prod_{e_i\ \mathrm{odd}} u_i,\qquad u_i > 0,\quad u_i^2 = s_i f_i .

With every radical written so, the difference is a rational function of the symbols and the
:math:`u_i`; its numerator, reduced modulo :math:`u_i^2 = s_i f_i` to degree at most one in each
:math:`u_i`, is zero exactly when every coefficient (a polynomial in the symbols) expands to zero --
the :math:`u_i` of distinct square-free factors are linearly independent over the rational
functions.  That is a proof, valid wherever the signs :math:`s_i` hold.

The sign of each irreducible factor in the region comes from ``sign_of`` (the caller knows its
region: :func:`signs_from` reads them off the region's defining inequalities and the symbols'
assumptions); a factor whose sign is not known there leaves the identity to other routes.

>>> w = sp.Symbol("omega", real=True)
>>> lhs = sp.sqrt(4 - w**2)
>>> rhs = 2 * sp.I * sp.sqrt(w/2 - 1) * sp.sqrt(w/2 + 1)   # equal for |omega| < 2: sqrt(w/2 - 1) = i sqrt(1 - w/2)
>>> inside = signs_from([w > -2, w < 2])
>>> radical_zero(lhs + rhs, inside), radical_zero(lhs - rhs, inside)
(True, False)
>>> radical_zero(lhs + rhs, signs_from([w > 2])), radical_zero(lhs - rhs, signs_from([w > 2]))  # above the band
(False, True)
"""
from __future__ import annotations

from typing import Callable

import sympy as sp

__all__ = ["radical_zero", "signs_from", "MAX_RADICALS", "MAX_OPS"]

#: at most this many independent square-root factors (the reduced numerator has 2^n coefficients)
MAX_RADICALS = 8
#: larger differences (SymPy operation count) are left to other routes: the expansion would not be cheap
MAX_OPS = 600


def _half_powers(expr: sp.Basic) -> set:
    return {p for p in expr.atoms(sp.Pow) if p.exp.is_Rational and p.exp.q == 2}


def signs_from(conditions) -> Callable[[sp.Expr], int | None]:
    """``sign_of(f)`` for a region given by strict inequalities: +-1 when ``f`` is a positive or negative
    multiple of one side difference ``a - b`` of a condition ``a > b`` (or fixed by the symbols'
    assumptions), None otherwise."""
    positive = []
    for c in conditions:
        if isinstance(c, (sp.StrictGreaterThan, sp.GreaterThan)):
            positive.append(c.lhs - c.rhs)
        elif isinstance(c, (sp.StrictLessThan, sp.LessThan)):
            positive.append(c.rhs - c.lhs)

    def sign_of(f: sp.Expr) -> int | None:
        if f.is_positive:
            return 1
        if f.is_negative:
            return -1
        for g in positive:
            ratio = sp.cancel(f / g)
            if ratio.is_number and ratio.is_real and ratio != 0:
                return 1 if ratio > 0 else -1
            for x in g.free_symbols & f.free_symbols:  # f = c g + r with c > 0, r >= 0 (or both < 0, r <= 0)
                try:
                    gx, fx = sp.Poly(g, x), sp.Poly(f, x)
                except sp.PolynomialError:
                    continue
                if gx.degree() != 1 or fx.degree() != 1:
                    continue
                c = sp.cancel(fx.LC() / gx.LC())
                rest = sp.expand(f - c * g)
                if c.is_positive and rest.is_nonnegative:
                    return 1
                if c.is_negative and rest.is_nonpositive:
                    return -1
        return None

    return sign_of


def radical_zero(expr: sp.Basic, sign_of: Callable[[sp.Expr], int | None]) -> bool | None:
    """Is ``expr`` identically zero in a region where ``sign_of`` fixes the sign of every radicand factor?

    Parameters
    ----------
    expr : sympy.Expr
        A difference of two forms in real symbols, with square roots (``Pow`` with exponent p/2),
        absolute values and conjugates.
    sign_of : callable
        ``sign_of(f)`` -> +1 / -1, the sign of an irreducible polynomial factor ``f`` throughout the
        region, or None when it is not fixed there (see :func:`signs_from`).

    Returns
    -------
    bool or None
        True: proved zero in the region; False: the reduced numerator is not zero (``expr`` is not
        identically zero there); None: outside this route (complex symbols, a factor of unknown sign,
        more than :data:`MAX_RADICALS` factors, radicals inside radicands).
    """
    expr = sp.sympify(expr)
    if any(not s.is_real for s in expr.free_symbols) or sp.count_ops(expr) > MAX_OPS:
        return None
    units: dict[sp.Expr, tuple[sp.Symbol, int]] = {}  # irreducible factor -> (u, sign)
    rewrite: dict[sp.Basic, sp.Basic] = {}
    for power in sorted(_half_powers(expr), key=sp.count_ops):
        root = _root(power.base, units, sign_of)
        if root is None:
            return None
        rewrite[power] = root ** power.exp.p
    if len(units) > MAX_RADICALS:
        return None
    body = expr.xreplace(rewrite)
    if _half_powers(body):  # radicals inside radicands: not this route
        return None
    body = body.replace(sp.Abs, lambda a: _abs(a, sign_of)).doit()
    if body.has(sp.Abs, sp.conjugate, sp.sign, sp.re, sp.im):
        return None
    num = sp.fraction(sp.together(body))[0]
    us = [u for u, _ in units.values()]
    signed = {u: s * f for f, (u, s) in units.items()}
    if not us:
        return sp.expand(num) == 0
    try:
        poly = sp.Poly(sp.expand(num), *us)
    except sp.PolynomialError:
        return None
    reduced: dict[tuple, sp.Expr] = {}
    for monom, coeff in poly.terms():
        key = tuple(e % 2 for e in monom)
        factor = sp.Mul(*[signed[u] ** (e // 2) for u, e in zip(us, monom)])
        reduced[key] = reduced.get(key, 0) + coeff * factor
    return all(sp.expand(c) == 0 for c in reduced.values())


def _factors(expr: sp.Expr):
    """``(constant, [(irreducible factor, exponent), ...])`` of a rational expression (negative exponents
    for the denominator), or None when it is not rational in its symbols."""
    num, den = sp.fraction(sp.together(expr))
    try:
        cn, fn = sp.factor_list(num)
        cd, fd = sp.factor_list(den)
    except sp.PolynomialError:
        return None
    return cn / cd, [*fn, *((f, -e) for f, e in fd)]


def _sign(expr: sp.Expr, sign_of) -> int | None:
    """The sign of a real rational expression from the signs of its irreducible factors."""
    got = _factors(expr)
    if got is None or not got[0].is_real or got[0] == 0:
        return None
    sign = 1 if got[0] > 0 else -1
    for f, e in got[1]:
        s = sign_of(f)
        if s is None:
            return None
        sign *= s ** (e % 2)
    return sign


def _root(base: sp.Expr, units: dict, sign_of) -> sp.Expr | None:
    """The principal square root of a real ``base`` in terms of the positive units ``u_i``."""
    if base.is_number:
        return sp.sqrt(base)
    got = _factors(base)
    if got is None or not got[0].is_real:
        return None
    const, factors = got
    out = sp.sqrt(abs(const))
    sign = 1 if const > 0 else -1
    for f, e in factors:
        s = sign_of(f)
        if s is None:
            return None
        sign *= s ** (e % 2)
        if e % 2:
            if f not in units:
                units[f] = (sp.Dummy(f"u{len(units)}", positive=True), s)
            out *= (s * f) ** ((e - 1) // 2) * units[f][0]
        else:
            out *= (s * f) ** (e // 2)
    return out * (sp.I if sign < 0 else 1)


def _abs(a: sp.Expr, sign_of) -> sp.Expr:
    """|a| of a real expression whose sign is fixed in the region (left as is otherwise)."""
    s = _sign(a, sign_of)
    return sp.Abs(a) if s is None else s * a
