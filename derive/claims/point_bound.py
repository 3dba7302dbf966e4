r"""How much a verdict that rests on exact points is worth: the Schwartz-Zippel bound, where one applies.

A claim decided at random exact points (:data:`derive.claims.claim_decision.POINTS_METHOD`) is evidence,
not proof.  When the difference of the two sides is rational in the sampled symbols, its numerator
after clearing denominators is a polynomial of total degree at most ``d`` (counted from the
expression's structure, before any cancellation: :func:`degree_bound`), and a **nonzero** polynomial
of total degree ``d`` vanishes at a point drawn uniformly from a grid of at least ``N`` values per
symbol with probability at most ``d/N`` (Schwartz-Zippel; the grid of a symbol may depend on the
symbols drawn before it: the bound holds one variable at a time).  At ``k`` independent points:

.. math:: P(\text{a nonzero difference vanishes at all } k \text{ points}) \le (d/N)^k .

``N`` is the sampler's (:mod:`derive.claims.exact_points`): a real symbol takes the values
``lo + (hi - lo) u/1000`` rounded to multiples of 1/1000, ``u = 1..999`` (999 values on an interval of
width >= 1, fewer on a narrower one), an integer symbol one of five.  What is not bounded, and said:
transcendental functions of the symbols (``cos k``, ``e^{ikM}``, Chebyshev polynomials of symbolic
order: no degree), square roots whose branch may change inside the region (the difference can vanish
on part of it), absolute values and signs the region does not fix, symbolic exponents; the draws the
conditions reject (the bound is for the grid, and the accepted points are conditioned on acceptance);
and a difference that is not exactly zero but below the 35-digit agreement of the test.  The seed is
fixed (reproducible verdicts), so the probability is over the choice of seed.

>>> x, y = sp.symbols("x y", real=True)
>>> degree_bound(x**2 * y / (x - y) - y)
3
>>> degree_bound(sp.cos(x) - 1) is None
True
"""
from __future__ import annotations

from typing import Sequence

import sympy as sp

__all__ = ["degree_bound", "points_bound", "BOUND_SECONDS"]

#: seconds the degree count may take before the verdict is given without a bound
BOUND_SECONDS = 2.0


def _shape(expr: sp.Basic, syms: set) -> tuple[int, dict] | None:
    """``expr = P / prod q_k^{m_k}`` read off its structure: ``(deg P, {q_k: (deg q_k, m_k)})``, denominators
    shared between terms counted once (their least common multiple), nothing cancelled; None when not rational."""
    if expr.is_number or not (expr.free_symbols & syms):
        return 0, {}
    if expr.is_Symbol:
        return 1, {}
    if isinstance(expr, sp.conjugate):  # real symbols: the conjugate coefficients, the same degrees
        return _shape(expr.args[0], syms)
    if expr.is_Add or expr.is_Mul:
        parts = [_shape(a, syms) for a in expr.args]
        if None in parts:
            return None
        if expr.is_Mul:
            den: dict = {}
            for _, d in parts:
                for k, (g, m) in d.items():
                    den[k] = (g, den.get(k, (g, 0))[1] + m)
            return sum(n for n, _ in parts), den
        lcm: dict = {}
        for _, d in parts:
            for k, (g, m) in d.items():
                lcm[k] = (g, max(m, lcm.get(k, (g, 0))[1]))
        num = max(n + sum(g * (m - d.get(k, (g, 0))[1]) for k, (g, m) in lcm.items()) for n, d in parts)
        return num, lcm
    if expr.is_Pow and expr.exp.is_Integer:
        inner = _shape(expr.base, syms)
        if inner is None:
            return None
        n, d = inner
        e = int(expr.exp)
        if e >= 0:
            return e * n, {k: (g, e * m) for k, (g, m) in d.items()}
        key = expr.base if not d else ("numerator of", expr.base)
        return -e * sum(g * m for g, m in d.values()), {key: (n, -e)}
    return None


def _obstacle(expr: sp.Basic) -> str | None:
    """Why the difference is not rational in the symbols (None when it is)."""
    funcs = sorted({type(f).__name__ for f in expr.atoms(sp.Function) if not isinstance(f, sp.conjugate)})
    if funcs:
        kinds = ", ".join(funcs)
        if {"Abs", "sign"} & set(funcs) and not set(funcs) - {"Abs", "sign"}:
            return f"it holds {kinds} of an argument whose sign the region does not fix"
        return f"it holds {kinds} of the symbols (transcendental: no degree)"
    for p in expr.atoms(sp.Pow):
        if p.free_symbols and not p.exp.is_Integer:
            if p.exp.is_Rational:
                return (f"square roots remain ({sp.sstr(p.base)} of a sign the region does not fix, or nested): a "
                        "branch of a root may make the difference vanish on part of the region")
            return f"a symbolic exponent ({sp.sstr(p)})"
    if any(not s.is_real for s in expr.free_symbols):
        return "a complex symbol enters through its real and imaginary parts"
    return None


def degree_bound(difference: sp.Basic) -> int | None:
    """Total degree (in all free symbols) of the numerator of ``difference`` after clearing denominators,
    counted from its structure before any cancellation; None when it is not rational in the symbols.

    Parameters
    ----------
    difference : sympy.Expr

    Returns
    -------
    int or None
    """
    difference = sp.sympify(difference)
    if _obstacle(difference) is not None:
        return None
    shape = _shape(difference, difference.free_symbols)
    return None if shape is None else shape[0]


def points_bound(difference: sp.Basic, npoints: int, grid: Sequence[dict], *, rejected: int = 0,
                 sign_of=None) -> tuple[str, float | None]:
    """The sentence a points verdict carries about its reliability, and the bound (None: no bound known).

    Parameters
    ----------
    difference : sympy.Expr
        ``printed - derived`` (or det at the printed root), in the sampled symbols.
    npoints : int
        The independent points at which it vanished.
    grid : sequence of dict
        Per point, symbol -> the number of values its draw could take (:func:`derive.claims.exact_points.sample_points`).
    rejected : int
        Draws the conditions or undefined values rejected.
    sign_of : callable, optional
        Signs the region fixes (:func:`derive.claims.radical_identity.signs_from`): ``sgn`` and ``|.|`` of those
        arguments become rational.

    Returns
    -------
    (str, float or None)

    >>> x, y = sp.symbols("x y", real=True)
    >>> text, p = points_bound(x * y - y * (x**2 + x) / x + y, 6, [{x: 999, y: 999}] * 6)
    >>> text.split(":")[0], f"{p:.2e}"   # degree 3 (x^2 y over x): (3/999)^6
    ('Schwartz-Zippel bound', '7.33e-16')
    """
    from derive.claims.time_budget import BudgetExceeded, time_budget

    difference = sp.sympify(difference)
    if sign_of is not None:
        from derive.claims.radical_identity import fixed_signs

        difference = fixed_signs(difference, sign_of)
    why = _obstacle(difference)
    if why is not None:
        return f"no probabilistic bound is known: {why}", None
    try:
        with time_budget(BOUND_SECONDS):
            d = degree_bound(difference)
    except BudgetExceeded:
        return f"no probabilistic bound given: counting the degree stopped at its time budget ({BOUND_SECONDS:g} s)", \
            None
    sizes = [n for point in grid for n in point.values()]
    if d is None or not sizes:
        return "no probabilistic bound is known: the difference is not rational in the symbols", None
    n = min(sizes)
    if d == 0:
        return "the difference is constant: one point decides it", 0.0
    p = float(min(1.0, d / n)) ** npoints
    text = (f"Schwartz-Zippel bound: were the difference not zero, its numerator (total degree <= {d} after clearing "
            f"denominators) would vanish at all {npoints} independent points (each symbol from a grid of >= {n} "
            f"values) with probability <= ({d}/{n})^{npoints} = {p:.1e}")
    if rejected:
        text += (f" for draws from the grid; {rejected} draw{'s were' if rejected > 1 else ' was'} rejected "
                 "(conditions, undefined values), which can raise it by the inverse acceptance rate per point")
    return text, p
