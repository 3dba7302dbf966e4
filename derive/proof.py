"""Deciding whether a symbolic identity holds, and saying how it was decided.

Two routes, tried in this order:

1. **SymPy, exponential-polynomial canonical form.**  Trigonometric functions
   and powers of :math:`\\pm i` are rewritten as exponentials, exponentials of
   sums are split, and every :math:`e^{i\\theta n}` (``theta`` one of the
   declared angles, ``n`` 1 or a declared integer symbol such as ``M``) is
   replaced by an independent symbol.  What remains is a rational function of
   independent symbols; if :func:`sympy.cancel` reduces it to ``0`` the
   identity is *proved* (substituting the exponentials back cannot make a zero
   polynomial non-zero).
2. **mpmath, exact points at 50 digits.**  Where route 1 does not reach
   zero (it cannot use relations such as :math:`Y = y^M`), the expression is
   evaluated at many exact algebraic points with ``evalf(50)`` and compared
   with the size of its largest term.  This is evidence, not proof, and the
   verdict says so.

Examples
--------
>>> import sympy as sp
>>> k = sp.Symbol('k'); M = sp.Symbol('M', integer=True, positive=True)
>>> v = decide_zero(sp.sin(k*(M+1))*sp.cos(k*M) - sp.sin(k*M)*sp.cos(k*(M+1)) - sp.sin(k),
...                 angles=[k], integers=[M])
>>> v.holds, v.method
(True, 'sympy: exp-polynomial cancel')
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

import sympy as sp

__all__ = ["Verdict", "exp_canonical", "decide_zero", "numeric_zero", "sample_points"]

SYMPY_METHOD = "sympy: exp-polynomial cancel"


@dataclass(frozen=True)
class Verdict:
    """Outcome of an identity check.

    ``holds`` is the verdict, ``method`` names the route that decided it,
    ``detail`` says what was seen (a residual, a number of points, ...).
    """

    holds: bool
    method: str
    detail: str = ""
    residual: sp.Basic | None = field(default=None, compare=False)

    def __bool__(self) -> bool:  # pragma: no cover - convenience
        return self.holds


def _powers_of_i_to_exp(expr: sp.Basic) -> sp.Basic:
    """Rewrite ``I**e`` and ``(-I)**e`` with symbolic ``e`` as exponentials."""

    def is_ipow(e: sp.Basic) -> bool:
        return e.is_Pow and e.base in (sp.I, -sp.I) and not e.exp.is_Integer

    def to_exp(e: sp.Pow) -> sp.Basic:
        sign = 1 if e.base == sp.I else -1
        return sp.exp(sign * sp.I * sp.pi * e.exp / 2)

    return expr.replace(is_ipow, to_exp)


def exp_canonical(
    expr: sp.Basic,
    angles: Sequence[sp.Symbol],
    integers: Sequence[sp.Symbol] = (),
    *,
    cancel: bool = True,
) -> sp.Basic:
    """Rational function of independent symbols equal to ``expr``.

    Every ``exp(I*theta*n)`` with ``theta`` in ``angles`` (or ``pi/2``) and
    ``n`` in ``(1, *integers)`` becomes a fresh symbol ``E_theta_n``.
    """
    e = _powers_of_i_to_exp(sp.sympify(expr))
    e = e.rewrite(sp.exp)
    # split exp(a + b) -> exp(a) exp(b) without distributing products (that blows up)
    e = e.replace(lambda x: isinstance(x, sp.exp), lambda x: sp.exp(sp.expand(x.args[0])))
    e = sp.expand_power_exp(e)
    subs: list[tuple[sp.Basic, sp.Symbol]] = []
    for theta in list(angles) + [sp.pi / 2]:
        for n in list(integers) + [sp.Integer(1)]:
            old = sp.exp(sp.I * theta * n)
            if not isinstance(old, sp.exp):  # e.g. exp(I*pi/2) evaluates to I
                continue
            name = f"E_{theta}_{n}".replace("/", "_").replace("*", "")
            subs.append((old, sp.Symbol(name)))
    # fast path: every exponential atom exp(I*theta*n*q) with integer q -> E**q (xreplace,
    # no pattern matching); multi-index exponentials first (exp(I*k*M)) so that exp(I*k)
    # does not swallow them
    rep = {}
    for atom in e.atoms(sp.exp):
        arg = sp.expand(atom.args[0])
        for old, new in subs:
            q = arg / old.args[0]  # Mul auto-cancels common factors: 2*I*k*M / (I*k*M) -> 2
            if not q.is_Integer and q.is_Add:
                q = sp.expand(q)
            if q.is_Integer:
                rep[atom] = new ** int(q)
                break
    e = e.xreplace(rep)
    names = {str(theta) for theta in angles}
    if any(str(s_) in names for a in e.atoms(sp.exp) for s_ in a.free_symbols):
        for old, new in subs:  # slow path: SymPy's algebraic pattern matching
            e = e.subs(old, new)
    return e if not cancel else sp.cancel(sp.together(e))


def sample_points(
    symbols: Iterable[sp.Symbol],
    n: int,
    *,
    seed: int = 20241024,
    fixed: Mapping[sp.Symbol, Sequence[sp.Basic]] | None = None,
) -> list[dict[sp.Symbol, sp.Basic]]:
    """Exact sample points: rationals in (0.05, 2.95), angles ``acos(p/q)``.

    Symbols whose name starts with ``k`` are treated as angles and get
    ``acos(r)`` with rational ``r`` in (-1, 1); integer symbols get small
    integers from ``fixed`` or 1..8.
    """
    rng = random.Random(seed)
    fixed = dict(fixed or {})
    pts = []
    for _ in range(n):
        pt: dict[sp.Symbol, sp.Basic] = {}
        for s in symbols:
            if s in fixed:
                pt[s] = rng.choice(list(fixed[s]))
            elif s.is_integer:
                pt[s] = sp.Integer(rng.randint(1, 8))
            elif s.name.startswith("k"):
                pt[s] = sp.acos(sp.Rational(rng.randint(-95, 95), 97))
            else:
                pt[s] = sp.Rational(rng.randint(5, 295), 100)
        pts.append(pt)
    return pts


def _mp_value(val: sp.Basic, dps: int):
    import mpmath

    v = sp.N(val, dps + 10)
    if v.is_real:
        return mpmath.mpf(str(v))
    return mpmath.mpc(str(sp.re(v)), str(sp.im(v)))


def numeric_zero(
    expr: sp.Basic,
    points: Sequence[Mapping[sp.Symbol, sp.Basic]],
    *,
    dps: int = 50,
    digits: int = 40,
) -> Verdict:
    """Evaluate ``expr`` at exact points with ``dps`` digits (mpmath).

    The identity is accepted at a point when ``|expr| <= 10**-digits`` times
    the largest magnitude among its top-level additive terms there (so that
    a cancellation of large terms is not mistaken for a small residual).
    """
    import mpmath

    syms = sorted(expr.free_symbols, key=str)
    terms = sp.Add.make_args(expr)
    f_terms = [sp.lambdify(syms, t, modules="mpmath") for t in terms]
    worst = mpmath.mpf(0)
    method = f"mpmath: {dps}-digit evaluation at exact points"
    with mpmath.workdps(dps):
        for pt in points:
            args = [_mp_value(pt[s_], dps) for s_ in syms]
            vals = [f(*args) for f in f_terms]
            scale = max([abs(v) for v in vals] + [mpmath.mpf(1)])
            rel = abs(mpmath.fsum(vals)) / scale
            worst = max(worst, rel)
            if rel > mpmath.mpf(10) ** (-digits):
                return Verdict(False, method, f"relative residual {mpmath.nstr(rel, 5)} at {dict(pt)}")
        worst_s = mpmath.nstr(worst, 3)
    return Verdict(True, method, f"{len(points)} exact points, worst relative residual {worst_s}")


def exact_random_zero(canon: sp.Basic, *, points: int = 4, seed: int = 20241024) -> bool:
    """Exact evaluation of a canonical form at random rational points (Schwartz-Zippel).

    ``Lambda``-like symbols under square roots get perfect squares so that the
    result is an exact Gaussian rational polynomial in pi.  A non-zero
    rational function vanishes at a random point with probability at most
    degree/10^9 per point; ``points`` independent points are used.
    """
    rng = random.Random(seed)
    roots = {b for p in canon.atoms(sp.Pow) if p.exp == sp.Rational(1, 2) for b in p.base.free_symbols}
    syms = sorted(canon.free_symbols, key=str)
    for _ in range(points):
        vals = {}
        for s_ in syms:
            r = sp.Rational(rng.randint(1, 10**9), rng.randint(1, 10**9))
            vals[s_] = r**2 if s_ in roots else r
        v = sp.expand(canon.xreplace(vals))
        if v != 0:
            return False
    return True


RANDOM_METHOD = "sympy: exact exp-polynomial identity test at 4 random rational points (Schwartz-Zippel)"


def decide_zero(
    expr: sp.Basic,
    *,
    angles: Sequence[sp.Symbol] = (),
    integers: Sequence[sp.Symbol] = (),
    points: Sequence[Mapping[sp.Symbol, sp.Basic]] | None = None,
    npoints: int = 12,
    fixed: Mapping[sp.Symbol, Sequence[sp.Basic]] | None = None,
    cancel_limit: int = 600,
) -> Verdict:
    """Decide ``expr == 0``.

    1. exponential-polynomial canonical form; if it has at most
       ``cancel_limit`` operations, :func:`sympy.cancel` (a symbolic proof);
    2. otherwise exact evaluation of the canonical form at random rational
       points (:func:`exact_random_zero`; a randomised proof);
    3. if neither reaches zero (the canonical form treats e.g. e^{ikM} and
       e^{ik} as independent), 50-digit evaluation of ``expr`` itself.
    """
    expr = sp.sympify(expr)
    canon = exp_canonical(expr, angles, integers, cancel=False)
    if sp.count_ops(canon) <= cancel_limit:
        if sp.cancel(sp.together(canon)) == 0:
            return Verdict(True, SYMPY_METHOD, "reduces to 0 identically")
    elif exact_random_zero(canon):
        return Verdict(True, RANDOM_METHOD, "exact zero at every point")
    if points is None:
        points = sample_points(sorted(expr.free_symbols, key=str), npoints, fixed=fixed)
    v = numeric_zero(expr, points)
    if v.holds:
        return Verdict(True, v.method, "SymPy canonical form not 0 (uses M-dependent "
                       "relations); " + v.detail)
    return Verdict(False, v.method, v.detail, residual=canon)
