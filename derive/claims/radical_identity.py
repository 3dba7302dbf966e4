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

__all__ = ["radical_zero", "signs_from", "fixed_signs", "MAX_RADICALS", "MAX_OPS", "MAX_DEPTH"]

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
    r"""Is ``expr`` identically zero in a region where ``sign_of`` fixes the sign of every radicand factor?

    Parameters
    ----------
    expr : sympy.Expr
        A difference of two forms in real symbols, with square roots (``Pow`` with exponent p/2),
        absolute values, signs and conjugates.  ``sign(x)`` and ``|x|`` become :math:`\pm 1` and
        :math:`\pm x` where the region fixes the sign of ``x``.  Radicals inside radicands (a root of
        det at a root such as :math:`\omega = \sqrt{\varepsilon^2 + 4t^2}`) are taken one level at a
        time: a product :math:`\sqrt a\sqrt b` of such roots is first merged into
        :math:`\pm\sqrt{ab}` (signs of ``a`` and ``b`` known), which often leaves a rational radicand;
        a radicand :math:`A + B u` (``u`` an inner root) gets its sign from those of ``A``, ``B`` and
        :math:`A^2 - B^2u^2`.
    sign_of : callable
        ``sign_of(f)`` -> +1 / -1, the sign of an irreducible polynomial factor ``f`` throughout the
        region, or None when it is not fixed there (see :func:`signs_from`).

    Returns
    -------
    bool or None
        True: proved zero in the region; False: the reduced numerator is not zero (``expr`` is not
        identically zero there; only said when no root is nested in another); None: outside this route
        (complex symbols, a factor of unknown sign, more than :data:`MAX_RADICALS` roots, a nested root
        that is not a merged product or of the form :math:`A + Bu`).

    >>> e, t = sp.Symbol("eps", real=True), sp.Symbol("t", positive=True)
    >>> radical_zero(sp.Abs(e) - sp.sign(e) * e, signs_from([e < 0]))
    True
    >>> w = sp.sign(e) * sp.sqrt(e**2 + 4 * t**2)   # the bound state of an impurity in a chain
    >>> det = w - e - 2 * t / (w / (2 * t) + sp.sqrt(w / (2 * t) - 1) * sp.sqrt(w / (2 * t) + 1))
    >>> radical_zero(det, signs_from([e > 0])), radical_zero(det, signs_from([e < 0]))
    (True, True)
    """
    expr = sp.sympify(expr)
    if any(not s.is_real for s in expr.free_symbols) or sp.count_ops(expr) > MAX_OPS:
        return None
    expr = fixed_signs(expr, sign_of)
    units: dict[sp.Expr, tuple[sp.Symbol, int]] = {}  # irreducible factor -> (u, sign)
    nested: list[tuple[sp.Symbol, sp.Expr]] = []  # inner roots of nested radicands: (v, v^2), innermost first
    for _ in range(MAX_DEPTH):
        level = [p for p in _half_powers(expr) if not _half_powers(p.base)]
        if not level:
            break
        if any(p.base.free_symbols & _unit_symbols(units, nested) for p in level):
            expr = _merge_products(expr, level, units, nested, sign_of)
            if expr is None:
                return None
            level = [p for p in _half_powers(expr) if not _half_powers(p.base)]
        rewrite: dict[sp.Basic, sp.Basic] = {}
        for power in sorted(level, key=sp.count_ops):
            if power.base.free_symbols & _unit_symbols(units, nested):
                root = _nested_root(power.base, units, nested, sign_of)
            else:
                root = _root(power.base, units, sign_of)
            if root is None:
                return None
            rewrite[power] = root ** power.exp.p
        expr = expr.xreplace(rewrite)
    if len(units) + len(nested) > MAX_RADICALS or _half_powers(expr):
        return None
    body = fixed_signs(expr, sign_of).doit()
    if body.has(sp.Abs, sp.conjugate, sp.sign, sp.re, sp.im):
        return None
    num = sp.fraction(sp.together(body))[0]
    us = [u for u, _ in units.values()] + [v for v, _ in nested]
    if not us:
        return sp.expand(num) == 0
    try:
        poly = sp.Poly(_reduce(num, units, nested), *us)
    except sp.PolynomialError:
        return None
    if all(sp.expand(c) == 0 for c in poly.coeffs()):
        return True
    return None if nested else False  # nested roots need not be independent: a nonzero remainder proves nothing


#: radicals nested at most this deep are taken (a root of det at a printed root: two levels)
MAX_DEPTH = 4


def fixed_signs(expr: sp.Basic, sign_of: Callable[[sp.Expr], int | None]) -> sp.Basic:
    """``sign(x)`` -> +-1 and ``|x|`` -> +-x wherever ``sign_of`` fixes the sign of the real rational ``x``
    (left as they are elsewhere).

    >>> x = sp.Symbol("x", real=True)
    >>> fixed_signs(sp.sign(x) * sp.Abs(x - 1) + sp.Abs(x**2 - 4), signs_from([x > 3]))
    x**2 + x - 5
    """
    def sign(a: sp.Expr) -> sp.Expr:
        s = _sign(a, sign_of) if not _half_powers(a) else None
        return sp.sign(a) if s is None else sp.Integer(s)

    def absolute(a: sp.Expr) -> sp.Expr:
        return _abs(a, sign_of) if not _half_powers(a) else sp.Abs(a)

    return sp.sympify(expr).replace(sp.sign, sign).replace(sp.Abs, absolute)


def _unit_symbols(units: dict, nested: list) -> set:
    return {u for u, _ in units.values()} | {v for v, _ in nested}


def _reduce(expr: sp.Expr, units: dict, nested: list) -> sp.Expr:
    """``expr`` (polynomial in the roots) reduced to degree <= 1 in each: v^2 -> its radicand, outermost first."""
    relations = [(u, s * f) for f, (u, s) in units.items()] + list(nested)
    expr = sp.expand(expr)
    for u, square in reversed(relations):
        if not expr.has(u):
            continue
        poly = sp.Poly(expr, u)
        expr = sp.expand(sum(c * square ** (k // 2) * u ** (k % 2) for (k,), c in poly.terms()))
    return expr


def _linear_sign(expr: sp.Expr, units: dict, nested: list, sign_of) -> int | None:
    """The sign of a real expression ``A + B u`` (``u`` one positive root, ``A``, ``B`` rational in the symbols):
    from the signs of ``A``, ``B`` and ``A^2 - B^2 u^2``; None for any other form or an unknown sign."""
    num, den = sp.fraction(sp.together(expr))
    num, den = _reduce(num, units, nested), _reduce(den, units, nested)
    present = [u for u in _unit_symbols(units, nested) if num.has(u) or den.has(u)]
    if not present:
        return _sign(num / den, sign_of)
    if len(present) > 1 or den.has(present[0]):
        return None
    u = present[0]
    poly = sp.Poly(num, u)
    if poly.degree() != 1:
        return None
    b, a = (poly.coeff_monomial(u), poly.coeff_monomial(1))
    sd, sb = _sign(den, sign_of), _sign(b, sign_of)
    if sd is None or sb is None:
        return None
    if a == 0:
        return sb * sd
    sa = _sign(a, sign_of)
    if sa is None:
        return None
    if sa == sb:
        return sa * sd
    sc = _sign(_reduce(a**2 - b**2 * u**2, units, nested), sign_of)  # (A + Bu)(A - Bu), A - Bu has A's sign
    return None if sc is None else sa * sc * sd


def _merge_products(expr: sp.Expr, level: list, units: dict, nested: list, sign_of) -> sp.Expr | None:
    """Products of square roots of nested radicands merged: sqrt(a) sqrt(b) = i^m sqrt(+-ab) (m of a, b negative),
    so that a radicand whose inner roots cancel in the product (``(u/2t)^2 - 1``, u^2 rational) is rational."""
    inner = _unit_symbols(units, nested)
    mergeable = {p for p in level if p.exp in (sp.S.Half, -sp.S.Half) and p.base.free_symbols & inner}
    failed = []

    def merge(m: sp.Mul) -> sp.Expr:
        roots = [f for f in m.args if f in mergeable]
        if len(roots) < 2 or {f.exp for f in roots} != {roots[0].exp}:
            return m
        signs = [_linear_sign(f.base, units, nested, sign_of) for f in roots]
        if None in signs:
            failed.append(m)
            return m
        negative = signs.count(-1)
        product = sp.together(_reduce(sp.Mul(*[f.base for f in roots]) * (-1) ** negative, units, nested))
        merged = sp.I ** negative * sp.sqrt(product)
        rest = sp.Mul(*[f for f in m.args if f not in roots])
        return rest * (merged if roots[0].exp > 0 else 1 / merged)

    out = expr.replace(lambda e: e.is_Mul, merge)
    return None if failed else out


def _nested_root(base: sp.Expr, units: dict, nested: list, sign_of) -> sp.Expr | None:
    """The principal square root of a real radicand ``A + B u`` (``u`` an inner root) as a new positive root."""
    sign = _linear_sign(base, units, nested, sign_of)
    if sign is None:
        return None
    v = sp.Dummy(f"v{len(nested)}", positive=True)
    nested.append((v, sp.together(sign * base)))
    return v * (sp.I if sign < 0 else 1)


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
        if e % 2 == 0:
            continue
        s = sign_of(f)
        if s is None:
            return None
        sign *= s
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
        if e % 4 == 0:  # |f|^(e/2) = f^(e/2): no sign needed
            out *= f ** (e // 2)
            continue
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
