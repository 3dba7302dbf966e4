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
   evaluated at many exact rational points (the one sampler,
   :func:`derive.claims.exact_points.sample_points`: angles in (0, pi), integers >= 1,
   the other symbols in (0, 3)) with ``evalf(50)`` and compared
   with the size of its largest term.  This is evidence, not proof, and the
   verdict says so.

Route 1 is :func:`symbolic_zero`, the one symbolic identity decider: the
registry's checks (:func:`decide_zero`) and the paper-file claims
(:func:`derive.claims.claim_decision.decide_equal`) both call it.

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
from typing import Mapping, Sequence

import sympy as sp

__all__ = ["Verdict", "exp_canonical", "symbolic_zero", "decide_zero", "numeric_zero", "exact_random_zero",
           "SYMPY_METHOD", "CANCEL_METHOD", "RANDOM_METHOD"]

SYMPY_METHOD = "sympy: exp-polynomial cancel"
CANCEL_METHOD = "sympy: rational-function identity (numerator expands to 0)"


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
_TRIG = (sp.sin, sp.cos, sp.tan, sp.exp, sp.cot, sp.sec, sp.csc)


def symbolic_zero(expr: sp.Basic, *, angles: Sequence[sp.Symbol] | None = None,
                  integers: Sequence[sp.Symbol] | None = None, cancel_limit: int = 600) -> str | None:
    r"""The method that proves ``expr == 0`` symbolically, or None when the symbolic route does not reach zero.

    The exponential-polynomial canonical form (:func:`exp_canonical`; for a rational function the
    expression itself) is cancelled when it has at most ``cancel_limit`` operations (a proof), and
    otherwise evaluated exactly at random rational points (:func:`exact_random_zero`, a randomised proof).

    Parameters
    ----------
    expr : sympy.Basic
    angles, integers : sequence of sympy.Symbol, optional
        The angles theta and integer symbols n of the exponentials :math:`e^{i	heta n}`
        (default: read off the trigonometric and exponential functions of ``expr``).
    cancel_limit : int
        Operations up to which the canonical form is cancelled rather than sampled.

    Returns
    -------
    str or None
        :data:`SYMPY_METHOD` (exponentials cancelled), :data:`CANCEL_METHOD` (a rational function
        cancelled), :data:`RANDOM_METHOD`, or None.

    .. math:: e \equiv 0 \iff \mathrm{numer}(\mathrm{canon}(e)) = 0 \text{ as a polynomial}

    >>> x = sp.Symbol("x")
    >>> symbolic_zero(1 / (x - 1) - 1 / (x + 1) - 2 / (x**2 - 1))
    'sympy: rational-function identity (numerator expands to 0)'
    >>> symbolic_zero(sp.sin(x)**2 + sp.cos(x)**2 - 1)
    'sympy: exp-polynomial cancel'
    """
    expr = sp.sympify(expr)
    trig = expr.atoms(*_TRIG)
    exponential = bool(trig) or angles is not None
    if angles is None:
        angles = sorted({s for f in trig for s in f.free_symbols if not s.is_integer}, key=str)
    if integers is None:
        integers = sorted({s for f in trig for s in f.free_symbols if s.is_integer}, key=str)
    canon = exp_canonical(expr, angles, integers, cancel=False) if exponential else expr
    if sp.count_ops(canon) <= cancel_limit:
        if exponential:
            return SYMPY_METHOD if sp.cancel(sp.together(canon)) == 0 else None
        return CANCEL_METHOD if sp.expand(sp.numer(sp.together(canon))) == 0 else None
    return RANDOM_METHOD if exact_random_zero(canon) else None


def _sampling_conditions(symbols: Sequence[sp.Symbol], angles: Sequence[sp.Symbol]) -> list:
    """Where the registry's identities are sampled: angles in (0, pi), integers >= 1, the rest in (0, 3)."""
    out: list = []
    for s in symbols:
        if s.is_integer:
            out += [s >= 1]
        elif s in angles:
            out += [s > 0, s < sp.pi]
        else:
            out += [s > 0, s < 3]
    return [c for c in out if isinstance(c, sp.core.relational.Relational)]


def decide_zero(
    expr: sp.Basic,
    *,
    angles: Sequence[sp.Symbol] = (),
    integers: Sequence[sp.Symbol] = (),
    npoints: int = 12,
    cancel_limit: int = 600,
) -> Verdict:
    """Decide ``expr == 0``.

    1. :func:`symbolic_zero` with the declared angles and integers: the exponential-polynomial
       canonical form cancelled (up to ``cancel_limit`` operations, a symbolic proof) or evaluated
       exactly at random rational points (a randomised proof);
    2. if it does not reach zero (the canonical form treats e.g. e^{ikM} and
       e^{ik} as independent), 50-digit evaluation of ``expr`` itself at ``npoints`` exact points
       of :func:`derive.claims.exact_points.sample_points`.
    """
    from derive.claims.exact_points import sample_points

    expr = sp.sympify(expr)
    method = symbolic_zero(expr, angles=list(angles), integers=list(integers), cancel_limit=cancel_limit)
    if method is not None:
        return Verdict(True, method, "reduces to 0 identically" if method == SYMPY_METHOD
                       else "exact zero at every point")
    syms = sorted(expr.free_symbols, key=str)
    points = sample_points(syms, _sampling_conditions(syms, angles), npoints, seed=20241024)
    v = numeric_zero(expr, points)
    if v.holds:
        return Verdict(True, v.method, "SymPy canonical form not 0 (uses M-dependent "
                       "relations); " + v.detail)
    return Verdict(False, v.method, v.detail, residual=exp_canonical(expr, angles, integers, cancel=False))
