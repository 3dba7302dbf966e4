r"""Deciding the claims of a paper file: is a printed expression the derived one, is it a zero of ``det``?

Every decision names the route that reached it:

* **symbolic** -- ``printed - derived`` (``|x|^2`` read as :math:`x\bar x`) is
  brought to zero as a rational function (its numerator expands to 0) or,
  when trigonometric or exponential functions appear, by the
  exponential-polynomial canonical form of :mod:`derive.claims.proof`, cancelled or
  evaluated exactly at random rational points (a randomised proof, Schwartz-Zippel):
  valid for every value of the symbols (:func:`derive.claims.proof.symbolic_zero`, the
  registry's decider too);
* **exact-point identity testing** -- both sides are evaluated to 50 digits
  at random exact (rational) points that satisfy the claim's conditions
  (parameter ranges, ``assume``); an identity agrees to 40 digits at every
  point, a misprint disagrees at some point, and the point with both values is
  the evidence.  This is the route wherever the symbolic one cannot reach zero
  (radicals with branches, Chebyshev forms of symbolic lengths, ...).

A claim is only ever declared false on a point where the two sides differ.

>>> import sympy as sp
>>> x = sp.Symbol("x", positive=True)
>>> decide_equal(sp.sqrt(x**2) + sp.sin(x)**2, x + 1 - sp.cos(x)**2, conditions=[x > 0]).method
'sympy: exp-polynomial cancel'
>>> d = decide_equal(x / (1 + x), 1 / (1 + x), conditions=[x > 0])
>>> d.holds, d.point is not None
(False, True)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Mapping, Sequence

import mpmath
import sympy as sp

from derive.claims.exact_points import NoPoints, sample_draws, sample_points
from derive.models.model_values import ModelValueError, excerpt, read_condition, read_expression
from derive.claims.proof import CANCEL_METHOD
from derive.claims.proof import symbolic_zero as proof_symbolic_zero

__all__ = ["Decision", "NoPoints", "parse_plain", "parse_condition", "sample_points", "value_at", "decide_equal",
           "decide_root", "simplest_form", "chebyshev_as_trig", "CANCEL_METHOD", "POINTS_METHOD", "format_point"]

POINTS_METHOD = "exact-point identity testing ({n} random exact point{s}, 50 digits)"
DPS = 50
#: two values agree when |a - b| <= AGREE * max(|a|, |b|) (50-digit evaluation)
AGREE = mpmath.mpf(10) ** -35
_OPS_LIMIT = 1500


@dataclass(frozen=True)
class Decision:
    """Outcome of one claim: ``holds``, the ``method`` that decided it and a ``detail``.

    ``points`` are the exact points where both sides were evaluated; when the
    claim fails, ``point`` is one where the sides differ and ``values`` holds
    (printed, derived) there.
    """

    holds: bool
    method: str
    detail: str
    points: tuple[dict, ...] = ()
    point: dict | None = None
    values: tuple | None = field(default=None, compare=False)
    #: for a verdict that holds at points only: the Schwartz-Zippel bound on a false claim passing (None: no
    #: bound known; the detail says why), :mod:`derive.claims.point_bound`
    bound: float | None = field(default=None, compare=False)


# ----------------------------------------------------------------------------- plain values

#: the functions of a ``where``/``assume`` value or a claim (one argument each)
_FUNCS = {"sqrt": sp.sqrt, "exp": sp.exp, "cos": sp.cos, "sin": sp.sin, "tan": sp.tan, "acos": sp.acos,
          "asin": sp.asin, "atan": sp.atan, "cosh": sp.cosh, "sinh": sp.sinh, "log": sp.log, "Abs": sp.Abs}
#: the constants of such a value (``oo``: the limit, as ``inf``)
_CONSTANTS = {"I": sp.I, "pi": sp.pi, "E": sp.E, "oo": sp.oo}


class UnknownName(ValueError):
    """A value or condition uses a name that is not declared."""


def _read(read, text: str, names: Mapping[str, sp.Symbol], what: str):
    """``read`` (:func:`derive.models.model_values.read_expression` or ``read_condition``) with this module's errors."""
    try:
        return read(text, _CONSTANTS | dict(names), functions=_FUNCS, what=what)  # a declared E is that name
    except ModelValueError as exc:
        if not exc.names:
            raise ValueError(str(exc)) from None
        hint = " (the imaginary unit is I)" if {"i", "j"} & set(exc.names) else ""
        raise UnknownName(f"unknown name{'s' if len(exc.names) > 1 else ''} {', '.join(exc.names)} in "
                          f"{excerpt(text)}{hint} (known: {', '.join(sorted(names))})") from None


def parse_plain(text: str, names: Mapping[str, sp.Symbol]) -> sp.Expr:
    r"""A value such as ``"-2*cos(k)"`` or ``"0.1"`` (exact) in the declared ``names`` only.

    Read by :func:`derive.models.model_values.read_expression` (nothing is evaluated as Python; the same
    bounds on length, nesting and the size of exact powers).

    Parameters
    ----------
    text : str
        Numbers, names, ``+ - * / **`` (or ``^``) and calls of ``sqrt exp cos sin tan acos asin atan
        cosh sinh log Abs``; ``inf``/``-inf`` are :math:`\pm\infty`.
    names : mapping of str to sympy.Symbol
        The only names allowed besides ``I pi E oo``.

    Returns
    -------
    sympy.Expr

    Raises
    ------
    UnknownName
        Naming the unknown names and the known ones.
    ValueError
        Naming the construct that is not allowed.

    .. math:: \texttt{"0.1"} \mapsto \tfrac{1}{10}

    >>> k = sp.Symbol("k", real=True)
    >>> parse_plain("-2*cos(k) + 0.5", {"k": k})
    1/2 - 2*cos(k)
    >>> parse_plain("k.conjugate()", {"k": k})
    Traceback (most recent call last):
    ...
    ValueError: attribute access is not allowed in a value 'k.conjugate()' (allowed: numbers, + - * / ** ^, k, sqrt exp cos sin tan acos asin atan cosh sinh log Abs, I pi E)
    """
    text = str(text)
    if text.strip() in ("inf", "+inf", "oo"):
        return sp.oo
    if text.strip() in ("-inf", "-oo"):
        return -sp.oo
    return _read(read_expression, text, names, "a value")


def parse_condition(text: str, names: Mapping[str, sp.Symbol]) -> list:
    r"""``"x > 0"``, ``"1 <= n <= 2*M + 1"`` (chained) -> relationals; ``"n integer"`` -> ``[("integer", n)]``.

    Parameters
    ----------
    text : str
        One condition of an ``assume`` list (comparisons ``< <= > >= ==`` of values as in
        :func:`parse_plain`).
    names : mapping of str to sympy.Symbol

    Returns
    -------
    list
        Relationals (``a < b < c`` gives two) or one ``("integer", symbol)`` marker.

    .. math:: a \le n \le b \;\mapsto\; \{a \le n,\ n \le b\}

    >>> n, M = sp.Symbol("n"), sp.Symbol("M")
    >>> parse_condition("1 <= n <= 2*M+1", {"n": n, "M": M})
    [1 <= n, n <= 2*M + 1]
    """
    words = str(text).split()
    if len(words) == 2 and words[1] in ("integer", "is_integer"):
        if words[0] not in names:
            raise UnknownName(f"unknown name {words[0]!r} in {text!r} (known: {', '.join(sorted(names))})")
        return [("integer", names[words[0]])]
    return _read(read_condition, str(text), names, "condition")


# ----------------------------------------------------------------------------- points

@lru_cache(maxsize=512)
def _compiled(expr: sp.Basic):
    """``expr`` as an mpmath function of its free symbols (sorted by name), or None when lambdify fails."""
    syms = tuple(sorted(expr.free_symbols, key=str))
    try:
        return syms, sp.lambdify(syms, expr, modules="mpmath")
    except Exception:  # noqa: BLE001 - an unprintable function: evaluate through SymPy instead
        return syms, None


def _mp(value):
    if isinstance(value, (mpmath.mpf, mpmath.mpc)):
        return value
    value = sp.sympify(value)
    if value.is_Rational:
        return mpmath.mpf(int(value.p)) / int(value.q)
    v = sp.N(value, mpmath.mp.dps)
    return mpmath.mpc(mpmath.mpf(str(sp.re(v))), mpmath.mpf(str(sp.im(v))))


def value_at(expr: sp.Basic, point: Mapping[sp.Symbol, object], dps: int = DPS) -> mpmath.mpc | None:
    r"""``expr`` at an exact point, evaluated to ``dps`` digits (mpmath complex; None if not finite).

    The expression is compiled once (``lambdify`` to mpmath) and evaluated with
    10 guard digits; the exact point values enter correctly rounded.

    Parameters
    ----------
    expr : sympy.Basic
    point : mapping
        Every free symbol -> an exact SymPy number (or an mpmath number).
    dps : int
        Decimal digits.

    Returns
    -------
    mpmath.mpc or None

    .. math:: \mathrm{fl}_{\mathrm{dps}+10}\big(e(x_1, \dots, x_n)\big)

    >>> v = value_at(sp.Symbol("x") ** 2, {sp.Symbol("x"): sp.Rational(1, 3)})
    >>> mpmath.nstr(v.real, 30), v.imag == 0
    ('0.111111111111111111111111111111', True)
    """
    expr = sp.sympify(expr)
    syms, f = _compiled(expr)
    with mpmath.workdps(dps + 10):
        if f is not None and all(s in point for s in syms):
            try:
                v = mpmath.mpmathify(f(*[_mp(point[s]) for s in syms]))
            except (ZeroDivisionError, ValueError, TypeError, OverflowError):
                return None
        else:
            n = sp.N(expr.xreplace({k: sp.sympify(v) for k, v in point.items()}), dps + 10)
            if n.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or n.free_symbols or not n.is_number:
                return None
            v = mpmath.mpc(mpmath.mpf(str(sp.re(n))), mpmath.mpf(str(sp.im(n))))
        if not mpmath.isfinite(v):
            return None
        return mpmath.mpc(v)


def format_point(point: Mapping[sp.Symbol, sp.Basic]) -> str:
    """``"a = 1/2, b = 3"`` for a point (sorted by name).

    >>> format_point({sp.Symbol("b"): 3, sp.Symbol("a"): sp.Rational(1, 2)})
    'a = 1/2, b = 3'
    """
    return ", ".join(f"{s} = {v}" for s, v in sorted(point.items(), key=lambda e: str(e[0])))


def _fmt(v) -> str:
    if v is None:
        return "undefined"
    if abs(v.imag) <= 1e-40 * max(1, abs(v.real)):
        return mpmath.nstr(v.real, 12)
    return f"{mpmath.nstr(v.real, 12)} {'+' if v.imag >= 0 else '-'} {mpmath.nstr(abs(v.imag), 12)}i"


# ----------------------------------------------------------------------------- decisions

def _modulus_squares(expr: sp.Basic) -> sp.Basic:
    """``|x|^(2n)`` -> ``(x conj(x))^n``: the form in which cancellation sees through moduli."""
    return expr.replace(lambda e: e.is_Pow and isinstance(e.base, sp.Abs) and e.exp.is_Integer and e.exp % 2 == 0,
                        lambda e: (e.base.args[0] * sp.conjugate(e.base.args[0])) ** (e.exp // 2))


def symbolic_zero(expr: sp.Basic) -> str | None:
    r"""The method that proves ``expr == 0`` symbolically, or None when no symbolic route reaches zero.

    Parameters
    ----------
    expr : sympy.Basic

    Returns
    -------
    str or None
        The method's name.

    .. math:: e \equiv 0 \iff \mathrm{numer}(e) = 0 \text{ as a polynomial}

    >>> x = sp.Symbol("x")
    >>> symbolic_zero(1 / (x - 1) - 1 / (x + 1) - 2 / (x**2 - 1))
    'sympy: rational-function identity (numerator expands to 0)'

    The one symbolic decider, :func:`derive.claims.proof.symbolic_zero` (also the registry's): a rational
    function's numerator expands to 0 (small expressions) or vanishes exactly at random rational
    points (Schwartz-Zippel); with trigonometric or exponential functions the exponential-polynomial
    canonical form (``e^{ik}``, ``e^{ikM}`` as independent symbols) is cancelled (small) or tested
    the same way at exact random points.  Here only expressions of elementary functions with at most
    1500 operations are tried, ``|x|^2`` read as :math:`x\bar x`.
    """
    expr = _modulus_squares(sp.sympify(expr))
    elementary = (sp.sin, sp.cos, sp.tan, sp.exp, sp.cot, sp.sec, sp.csc, sp.conjugate)
    if sp.count_ops(expr) > _OPS_LIMIT or any(not isinstance(f, elementary) for f in expr.atoms(sp.Function)):
        return None  # Abs, sign, Piecewise, Chebyshev polynomials of symbolic order, ...: points decide
    try:
        return proof_symbolic_zero(expr, cancel_limit=400)
    except Exception:  # noqa: BLE001 - a symbolic route that breaks down proves nothing; the points decide
        return None


#: seconds the symbolic identity route may take before the exact-point verdict stands alone
SYMBOLIC_SECONDS = 5.0


def _symbolic_within(expr: sp.Basic) -> tuple[str | None, str]:
    """(:func:`symbolic_zero` within :data:`SYMBOLIC_SECONDS`, why the points decide when it gives None)."""
    from derive.claims.time_budget import BudgetExceeded, time_budget

    try:
        with time_budget(SYMBOLIC_SECONDS):
            return symbolic_zero(expr), "no symbolic route reached zero"
    except BudgetExceeded:
        return None, f"the symbolic route stopped at its time budget of {SYMBOLIC_SECONDS:g} s"


def _points_method(n: int) -> str:
    return POINTS_METHOD.format(n=n, s="" if n == 1 else "s")


def _agree(a, b) -> bool:
    return abs(a - b) <= AGREE * max(abs(a), abs(b), mpmath.mpf(10) ** -45)


def decide_equal(printed: sp.Basic, derived: sp.Basic, *, conditions: Sequence = (), npoints: int = 6,
                 seed: int = 20250101, variables: Sequence[sp.Symbol] | None = None,
                 defined: Callable[[dict], bool] | None = None, symbolic: bool = True) -> Decision:
    r"""Is ``printed`` the same function as ``derived`` wherever ``conditions`` hold?

    Parameters
    ----------
    printed, derived : sympy.Expr
        The two sides.
    conditions : sequence
        Relationals (``x > 0``) and ``("integer", n)`` markers restricting the symbols.
    npoints : int
        Exact points for the identity test (and for the numeric confirmation that follows).
    variables : sequence of sympy.Symbol, optional
        Symbols to draw (default: the free symbols of both sides).
    defined : callable, optional
        ``defined(point)`` is False where the claimed quantity has no value (a reflection
        probability where its lead has no propagating mode): such points are skipped, never
        evidence either way.
    symbolic : bool
        Try a symbolic route to zero when the points agree (False: the points decide; for a
        claim already tried symbolically on a wider domain).

    Returns
    -------
    Decision

    .. math:: \text{printed}(x) - \text{derived}(x) \equiv 0 \quad \text{on } \{x : \text{conditions}\}

    >>> x = sp.Symbol("x", real=True)
    >>> d = decide_equal(sp.sqrt(x**2), x, conditions=[x > 0])
    >>> d.holds, d.method.startswith("exact-point")
    (True, True)
    """
    printed, derived = sp.sympify(printed), sp.sympify(derived)
    syms = sorted(set(variables or ()) | printed.free_symbols | derived.free_symbols, key=str)
    ints = [c[1] for c in conditions if isinstance(c, tuple)]
    points, bad, undefined = [], None, 0
    draws = sample_draws(syms, conditions, 4 * npoints, seed=seed, integers=ints)
    grid, skipped = [], draws.rejected
    for pt, sizes in zip(draws.points, draws.grid):
        a, b = value_at(printed, pt), value_at(derived, pt)
        if a is None or b is None:
            skipped += 1
            continue
        if defined is not None and not defined(pt):
            undefined += 1
            skipped += 1
            continue
        points.append((pt, a, b))
        grid.append(sizes)
        if not _agree(a, b):
            bad = (pt, a, b)
            break
        if len(points) == npoints:
            break
    if bad is not None:
        pt, a, b = bad
        return Decision(False, _points_method(len(points)),
                        f"at {format_point(pt)}: printed {_fmt(a)}, derived {_fmt(b)}",
                        tuple(p for p, _, _ in points), pt, (a, b))
    if not points and undefined:
        raise NoPoints(f"the claimed quantity has no value at any of the {undefined} sampled points "
                       f"(e.g. {format_point(pt)})")
    if not points:
        raise NoPoints("no sampled point where both sides are finite")
    pts = tuple(p for p, _, _ in points)
    method, why = _symbolic_within(printed - derived) if symbolic else (None, "symbolic routes tried on the whole domain")
    if method is not None:
        return Decision(True, method, f"identical; equal at {len(points)} exact points too", pts)
    bound, p = _bound(printed - derived, grid, skipped, conditions)
    return Decision(True, _points_method(len(points)),
                    f"agree to 35 digits at {len(points)} exact points ({why}); {bound}", pts, bound=p)


def _bound(difference: sp.Basic, grid: list, rejected: int, conditions: Sequence) -> tuple[str, float | None]:
    """:func:`derive.claims.point_bound.points_bound` of a points verdict, the signs the conditions fix applied."""
    from derive.claims.point_bound import points_bound
    from derive.claims.radical_identity import signs_from

    sign_of = signs_from([c for c in conditions if not isinstance(c, tuple)])
    return points_bound(_modulus_squares(difference), len(grid), grid, rejected=rejected, sign_of=sign_of)


def decide_root(det: sp.Basic, omega: sp.Symbol, value: sp.Basic, *, conditions: Sequence = (),
                npoints: int = 6, seed: int = 20250101, variables: Sequence[sp.Symbol] | None = None,
                symbolic: bool = True) -> Decision:
    r"""Does ``det`` vanish at ``omega = value`` wherever ``conditions`` hold?

    Parameters
    ----------
    det : sympy.Expr
        The determinant, a function of ``omega`` and the other symbols.
    omega : sympy.Symbol
    value : sympy.Expr
        The printed zero (may be complex, may depend on the symbols).
    conditions, npoints, seed, variables, symbolic
        As for :func:`decide_equal`.

    Returns
    -------
    Decision

    At each point the residual :math:`|\det(\omega_*)|` is compared with
    :math:`|\det|` a relative distance :math:`10^{-6}` away on either side: a
    root gives a residual 20 orders of magnitude below that.

    .. math:: \det(\omega_* - H - \Sigma(\omega_*)) = 0

    >>> w, e = sp.Symbol("omega", real=True), sp.Symbol("e", real=True)
    >>> decide_root(w**2 - e**2, w, -e).holds, decide_root(w**2 - e**2, w, 2 * e).holds
    (True, False)
    """
    det, value = sp.sympify(det), sp.sympify(value)
    syms = sorted((set(variables or ()) | value.free_symbols | det.free_symbols) - {omega}, key=str)
    ints = [c[1] for c in conditions if isinstance(c, tuple)]
    points, grid = [], []
    draws = sample_draws(syms, conditions, 4 * npoints, seed=seed, integers=ints)
    skipped = draws.rejected
    for pt, sizes in zip(draws.points, draws.grid):
        w = value_at(value, pt)
        r = None if w is None else value_at(det, pt | {omega: w})
        if r is None:
            skipped += 1
            continue
        grid.append(sizes)
        delta = (1 + abs(w)) / 10**6
        scale = [value_at(det, pt | {omega: w + s * delta}) for s in (-1, 1)]
        scale_v = max([abs(x) for x in scale if x is not None] + [mpmath.mpf(10) ** -45])
        points.append(pt)
        if abs(r) > mpmath.mpf(10) ** -20 * scale_v:
            return Decision(False, _points_method(len(points)),
                            f"at {format_point(pt)}: omega = {_fmt(w)} gives det = {_fmt(r)} "
                            f"(|det| {mpmath.nstr(scale_v, 3)} nearby): not a zero", tuple(points), pt, (w, r))
        if len(points) == npoints:
            break
    if not points:
        raise NoPoints("no sampled point where the printed omega and det are finite")
    method, why = (_symbolic_within(det.xreplace({omega: value})) if symbolic
                   else (None, "symbolic routes tried on the whole domain"))
    if method is not None:
        return Decision(True, method, f"det vanishes identically at the printed omega ({len(points)} points too)",
                        tuple(points))
    bound, p = _bound(det.xreplace({omega: value}), grid, skipped, conditions)
    return Decision(True, _points_method(len(points)),
                    f"det vanishes to 20 digits at the printed omega at {len(points)} exact points ({why}); {bound}",
                    tuple(points), bound=p)


def chebyshev_as_trig(expr: sp.Basic) -> sp.Basic:
    r"""Chebyshev polynomials of a cosine written as sines and cosines.

    Parameters
    ----------
    expr : sympy.Basic

    Returns
    -------
    sympy.Basic

    .. math:: U_n(\cos k) = \frac{\sin[(n+1)k]}{\sin k},\qquad T_n(\cos k) = \cos(nk)

    >>> k, n = sp.Symbol("k", real=True), sp.Symbol("n", integer=True)
    >>> chebyshev_as_trig(sp.chebyshevu(n - 1, sp.cos(k)) + sp.chebyshevt(n, sp.cos(k)))
    cos(k*n) + sin(k*n)/sin(k)
    """
    def is_cheb_of_cos(e: sp.Basic) -> bool:
        return isinstance(e, (sp.chebyshevu, sp.chebyshevt)) and isinstance(e.args[1], sp.cos)

    def rewrite(e: sp.Basic) -> sp.Basic:
        n, a = e.args[0], e.args[1].args[0]
        return sp.sin((n + 1) * a) / sp.sin(a) if isinstance(e, sp.chebyshevu) else sp.cos(n * a)

    return sp.sympify(expr).replace(is_cheb_of_cos, rewrite)


def simplest_form(expr: sp.Basic) -> sp.Expr:
    r"""The shortest of ``expr``, its cancelled and its factored form (count of operations).

    Parameters
    ----------
    expr : sympy.Basic

    Returns
    -------
    sympy.Expr

    .. math:: \operatorname{argmin}_{f \in \{e,\ \mathrm{cancel}\,e,\ \mathrm{factor}\,e\}} \mathrm{ops}(f)

    >>> x = sp.Symbol("x")
    >>> simplest_form((x**2 - 1) / (x - 1))
    x + 1
    """
    expr = sp.sympify(expr)
    forms = [expr]
    if sp.count_ops(expr) <= _OPS_LIMIT:
        for f in (sp.cancel, sp.factor):
            try:
                forms.append(f(expr))
            except (sp.PolynomialError, NotImplementedError):
                pass
    return min(forms, key=sp.count_ops)
