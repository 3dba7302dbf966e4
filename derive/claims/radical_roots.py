r"""The zeros of det in omega written as roots, per sign regime of the parameters.

A lead of finite band enters det through the retarded root :math:`\sqrt{x-1}\sqrt{x+1}`
(:math:`x = (\omega - \varepsilon_p)/2|t_p|`): det is not a polynomial in omega and its zeros are
not found by factoring it.  Here

1. every square root of det is squared away (:func:`eliminate_radicals`: det's numerator
   :math:`P + Qy` with :math:`y^2 = b` becomes :math:`P^2 - Q^2 b`, root by root), which leaves a
   polynomial in omega whose zeros hold those of det on every sheet of the roots;
2. its factors up to degree 2 in omega are solved (the quadratic formula), giving candidates;
3. the parameter space is split where a candidate can change sheets or become complex: the signs of
   the irreducible factors of the polynomial at each band edge (a root crosses the edge there) and of
   the discriminants, together with any signs the caller names (the arguments of ``sgn`` and ``|.|``
   of the printed form), except where the conditions fix them;
4. in each sign regime the candidates that are zeros of det itself -- on the physical sheet, which the
   principal branches of det's roots encode (:math:`|z_p| < 1`), and not at a band edge -- are kept,
   at exact points of the regime; a regime whose points disagree ends the route (None).

Regimes whose roots differ only by a sign are combined as :math:`\mathrm{sgn}(f)\,r`
(:func:`combine`).  Every step runs inside the caller's time budget (:mod:`derive.claims.time_budget`).

>>> w, e = sp.Symbol("omega", real=True), sp.Symbol("eps", real=True)
>>> t = sp.Symbol("t", positive=True)
>>> x = w / (2 * t)
>>> det = w - e - 2 * t / (x + sp.sqrt(x - 1) * sp.sqrt(x + 1))   # an impurity in a chain
>>> eliminate_radicals(det, w)
eps**2 - omega**2 + 4*t**2
>>> found = regime_roots(det, w, conditions=[t > 0])
>>> [(text, roots) for text, _, roots, _ in found.regimes]
[('eps > 0', [sqrt(eps**2 + 4*t**2)]), ('eps < 0', [-sqrt(eps**2 + 4*t**2)])]
>>> combine(found)
[([], [sqrt(eps**2 + 4*t**2)*sign(eps)])]
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Sequence

import mpmath
import sympy as sp

__all__ = ["RegimeRoots", "eliminate_radicals", "regime_roots", "combine", "split_factors", "sign_regimes",
           "MAX_SPLITS", "MAX_RADICALS"]

#: at most this many sign splits (2^3 = 8 regimes); further factors are not split
MAX_SPLITS = 3
#: at most this many distinct square roots are squared away (the degree doubles with each)
MAX_RADICALS = 4


@dataclass(frozen=True)
class RegimeRoots:
    """The zeros of det per sign regime: ``regimes`` lists ``(description, conditions, roots, signs)`` (signs:
    +-1 per split factor); ``splits``
    the factors whose signs define the regimes; ``polynomial`` the radical-free polynomial solved."""

    regimes: tuple
    splits: tuple
    polynomial: sp.Expr


def _half_powers(expr: sp.Basic) -> set:
    return {p for p in expr.atoms(sp.Pow) if p.exp.is_Rational and p.exp.q == 2}


def eliminate_radicals(expr: sp.Basic, omega: sp.Symbol) -> sp.Expr | None:
    r"""The numerator of ``expr`` with every square root squared away: a polynomial vanishing wherever ``expr``
    does (on any sheet of its roots); None when a root is nested in another or there are more than
    :data:`MAX_RADICALS`.

    Parameters
    ----------
    expr : sympy.Expr
        Rational in the symbols and in square roots of rational expressions.
    omega : sympy.Symbol
        Kept as the polynomial's variable (the result is expanded).

    Returns
    -------
    sympy.Expr or None

    .. math:: P + Q\sqrt b = 0 \;\Rightarrow\; P^2 - Q^2 b = 0
    """
    expr = sp.sympify(expr)
    roots = sorted({p.base for p in _half_powers(expr)}, key=sp.default_sort_key)
    if len(roots) > MAX_RADICALS or any(_half_powers(b) for b in roots):
        return None
    ys = [sp.Dummy(f"y{k}") for k in range(len(roots))]
    body = expr.replace(lambda e: e.is_Pow and e.exp.is_Rational and e.exp.q == 2,
                        lambda e: ys[roots.index(e.base)] ** e.exp.p)
    num = sp.numer(sp.together(body))
    for y, b in zip(ys, roots):
        if not num.has(y):
            continue
        bn, bd = sp.fraction(sp.together(b))
        poly = sp.Poly(sp.expand(num), y)
        even = sum(c * b ** (k // 2) for (k,), c in poly.terms() if k % 2 == 0)
        odd = sum(c * b ** (k // 2) for (k,), c in poly.terms() if k % 2 == 1)
        num = sp.numer(sp.together(even**2 - odd**2 * bn / bd if odd != 0 else even))
    num = sp.expand(num)
    try:  # the content (free of omega) holds no zero in omega
        return sp.Poly(num, omega).primitive()[1].as_expr() if num.has(omega) else num
    except (sp.PolynomialError, sp.CoercionFailed):
        return num


def _factors(poly: sp.Expr, omega: sp.Symbol) -> list:
    """The irreducible factors of ``poly`` that hold omega (i as a symbol: factoring over Z is fast)."""
    unit = sp.Dummy("j")
    _, factors = sp.factor_list(sp.expand(poly).xreplace({sp.I: unit}))
    return [f.xreplace({unit: sp.I}) for f, _ in factors if f.has(omega)]


def _candidates(factor: sp.Expr, omega: sp.Symbol) -> list | None:
    coeffs = sp.Poly(factor, omega).all_coeffs()
    if len(coeffs) == 2:
        return [sp.cancel(-coeffs[1] / coeffs[0])]
    if len(coeffs) == 3:
        a, b, c = coeffs
        disc = sp.sqrt(sp.factor(sp.expand(b**2 - 4 * a * c)))
        return [_short((-b + s * disc) / (2 * a)) for s in (1, -1)]
    return None


def _short(r: sp.Expr) -> sp.Expr:
    forms = [r, sp.expand(r), sp.radsimp(r)]
    return min(forms, key=sp.count_ops)


def split_factors(det: sp.Basic, omega: sp.Symbol, polynomial: sp.Expr, factors: Sequence, sign_of) -> list:
    """Irreducible factors (in the parameters) whose signs can move a zero of det between sheets or off the
    real axis: those of ``polynomial`` at each band edge (a zero of a radicand of det, linear in omega) and of
    the discriminants of real quadratic factors; those ``sign_of`` fixes (the conditions) are left out."""
    out: list = []

    def add(expr: sp.Expr) -> None:
        if expr.has(sp.I) or expr.is_number:
            return
        try:
            _, fs = sp.factor_list(sp.numer(sp.together(expr)))
        except sp.PolynomialError:
            return
        for f, _ in fs:
            f = f if sp.Poly(f, *sorted(f.free_symbols, key=str)).LC() > 0 else -f
            if f.free_symbols and not f.is_number and sign_of(f) is None and f not in out:
                out.append(f)

    for b in {p.base for p in _half_powers(sp.sympify(det))}:
        for edge in sp.solve(sp.numer(sp.together(b)), omega):
            add(polynomial.xreplace({omega: edge}))
    for f in factors:
        if sp.Poly(f, omega).degree() == 2:
            a, b, c = sp.Poly(f, omega).all_coeffs()
            add(b**2 - 4 * a * c)
    return out


def sign_regimes(splits: Sequence, conditions: Sequence = ()) -> list[tuple[str, list]]:
    """``(description, conditions)`` of every sign combination of ``splits`` (``"eps > 0; eps - t < 0"``).

    >>> x, y = sp.symbols("x y", real=True)
    >>> [text for text, _ in sign_regimes([x, y - x])]
    ['x > 0; -x + y > 0', 'x > 0; -x + y < 0', 'x < 0; -x + y > 0', 'x < 0; -x + y < 0']
    """
    out = []
    for signs in itertools.product((1, -1), repeat=len(splits)):
        conds = [f > 0 if s > 0 else f < 0 for f, s in zip(splits, signs)]
        out.append(("; ".join(f"{f} {'>' if s > 0 else '<'} 0" for f, s in zip(splits, signs)), conds))
    return out


def _zero_of_det(det, omega, radicands, w, point) -> bool:
    """``det(w) = 0`` at the point (20 digits below |det| a relative 1e-6 away), ``w`` at no band edge."""
    from derive.claims.claim_decision import value_at

    if w is None or any((v := value_at(b, point | {omega: w})) is None or abs(v) < mpmath.mpf(10) ** -30
                        for b in radicands):
        return False
    r = value_at(det, point | {omega: w})
    if r is None:
        return False
    delta = (1 + abs(w)) / 10**6
    near = [value_at(det, point | {omega: w + s * delta}) for s in (-1, 1)]
    scale = max([abs(v) for v in near if v is not None] + [mpmath.mpf(10) ** -45])
    return abs(r) <= mpmath.mpf(10) ** -20 * scale


def regime_roots(det: sp.Basic, omega: sp.Symbol, *, conditions: Sequence = (), variables: Sequence = (),
                 splits: Sequence = (), near: tuple | None = None, npoints: int = 4) -> RegimeRoots | None:
    r"""The zeros of det in omega, as roots, in every sign regime of the parameters.

    Parameters
    ----------
    det : sympy.Expr
        The determinant (square roots of rational expressions allowed: finite-band leads).
    omega : sympy.Symbol
    conditions : sequence
        The claim's conditions (ranges, ``assume``); signs they fix are not split.
    variables : sequence of sympy.Symbol
        Symbols to draw besides det's.
    splits : sequence of sympy.Expr
        Further factors whose signs split the regimes (the arguments of ``sgn``/``|.|`` of a printed form).
    near : (dict, sympy.Expr), optional
        A point and a printed root: only the factor whose zero of det lies nearest it is solved (a bound
        state, not the factor of an unrelated site).
    npoints : int
        Exact points per regime.

    Returns
    -------
    RegimeRoots or None
        None when det cannot be made a polynomial, a factor of degree > 2 holds a zero of det, or the
        zeros kept differ between points of one regime.

    .. math:: \omega_* \in \{\text{roots of } \mathrm{numer}(\det)|_{\sqrt b \to \pm\sqrt b}\}
              \text{ with } \det(\omega_*) = 0
    """
    from derive.claims.claim_decision import value_at
    from derive.claims.exact_points import NoPoints, sample_points
    from derive.claims.radical_identity import signs_from

    det = sp.sympify(det)
    polynomial = eliminate_radicals(det, omega)
    if polynomial is None or not polynomial.has(omega):
        return None
    factors = _factors(polynomial, omega)
    solved = [(f, _candidates(f, omega)) for f in factors]
    radicands = [p.base for p in _half_powers(det)]
    syms = sorted((set(variables) | det.free_symbols) - {omega}, key=str)
    ints = [c[1] for c in conditions if isinstance(c, tuple)]
    if near is not None:  # the factor whose zero of det lies nearest the printed value
        point, printed = near
        target = value_at(printed, point)

        def distance(pair) -> float:
            vals = [value_at(r, point) for r in pair[1] or []]
            return min((abs(v - target) for v in vals if v is not None and target is not None
                        and _zero_of_det(det, omega, radicands, v, point)), default=mpmath.inf)

        best = min(solved, key=distance)
        if distance(best) != mpmath.inf:  # else no factor has a zero of det there: every factor is solved
            solved = [best]
    if any(c is None for _, c in solved):
        return None  # a factor beyond the quadratic formula (it might hold the zero): not this route
    rel = [c for c in conditions if not isinstance(c, tuple)]
    sign_of = signs_from(rel)
    found = split_factors(det, omega, polynomial, [f for f, _ in solved], sign_of)
    extra = [f for f in splits if sign_of(f) is None and f not in found]
    every = (found + extra)[:MAX_SPLITS]
    candidates = [r for _, c in solved for r in c]
    regimes = []
    for (text, conds), signs in zip(sign_regimes(every), itertools.product((1, -1), repeat=len(every))):
        try:
            pts = sample_points(syms, [*conditions, *conds], npoints, seed=5, integers=ints)
        except NoPoints:
            continue
        kept = {tuple(k for k, r in enumerate(candidates) if _zero_of_det(det, omega, radicands, value_at(r, p), p))
                for p in pts}
        if len(kept) != 1:
            return None  # the zeros change inside the regime: a split is missing
        regimes.append((text, conds, [candidates[k] for k in kept.pop()], signs))
    if not regimes:
        return None
    return RegimeRoots(tuple(regimes), tuple(every), polynomial)


def _same(a: Sequence, b: Sequence) -> bool:
    return len(a) == len(b) and all(any(sp.expand(x - y) == 0 for y in b) for x in a)


def combine(found: RegimeRoots) -> list[tuple[list, list]]:
    r"""The regimes merged where their roots agree, or agree up to the sign of one split factor ``f``
    (written :math:`\mathrm{sgn}(f)\,r`): ``[(conditions, roots)]``, no conditions when one form holds
    everywhere.

    A regime without points (excluded by the conditions) takes whatever its partner holds.
    """
    splits = list(found.splits)
    keys = {signs: roots for _, _, roots, signs in found.regimes}
    changed = True
    while changed and splits:
        changed = False
        for i, f in enumerate(splits):
            pairs = {}
            for key, roots in keys.items():
                pairs.setdefault(key[:i] + key[i + 1:], {})[key[i]] = roots
            merged = {}
            for rest, both in pairs.items():
                plus, minus = both.get(1), both.get(-1)
                if plus is None or minus is None or _same(plus, minus):
                    merged[rest] = plus if plus is not None else minus
                elif _same(plus, [-r for r in minus]):
                    merged[rest] = [sp.sign(f) * r for r in plus]
                else:
                    break
            else:
                keys, splits, changed = merged, splits[:i] + splits[i + 1:], True
                break
    return [([f > 0 if s > 0 else f < 0 for f, s in zip(splits, key)], roots) for key, roots in keys.items()]
