r"""Exact random points of a region: where claims are decided (one sampler for paper-file claims).

:func:`sample_points` draws exact rationals (integers for integer symbols) that satisfy every condition:
each symbol from the interval its own assumptions and the conditions on already-drawn symbols leave, the
symbols that no condition bounds by itself first (so ``omega > 2*t`` draws t, then omega above 2t).
Conditions are checked in mpmath at 30 digits, exactly only within 1e-25 of zero; a region with no
point after :data:`MAX_EMPTY_ATTEMPTS` draws is taken as empty (:class:`NoPoints`).
"""
from __future__ import annotations

import random
from typing import Callable, Mapping, NamedTuple, Sequence

import mpmath
import sympy as sp

__all__ = ["NoPoints", "Draws", "sample_points", "sample_draws", "grid_size", "MAX_EMPTY_ATTEMPTS"]


class NoPoints(ValueError):
    """No exact point where the claim can be tested: conditions unsatisfiable, or a side undefined everywhere."""



def _bounds(sym: sp.Symbol, conditions: Sequence, known: Mapping[sp.Symbol, sp.Basic]) -> tuple:
    """The interval a symbol is drawn from: its own assumptions (``positive``: a condition ``t > 0``
    on such a symbol is ``True`` before it gets here) and the conditions whose other symbols are drawn."""
    lo = mpmath.mpf(0) if sym.is_nonnegative else -mpmath.inf
    hi = mpmath.mpf(0) if sym.is_nonpositive else mpmath.inf
    if sym.is_integer:  # a positive integer is >= 1 (its condition n >= 1 is True before it gets here)
        lo = mpmath.mpf(1) if sym.is_positive else lo
        hi = mpmath.mpf(-1) if sym.is_negative else hi
    for c in conditions:
        if not isinstance(c, sp.core.relational.Relational) or isinstance(c, sp.Eq):
            continue
        small, big = (c.lhs, c.rhs) if isinstance(c, (sp.Lt, sp.Le)) else (c.rhs, c.lhs)
        for mine, other, is_lower in ((big, small, True), (small, big, False)):
            if mine == sym and not (other.free_symbols - set(known)):
                try:
                    v = mpmath.mpf(sp.N(other.xreplace(dict(known)), 20))
                except (TypeError, ValueError):
                    continue
                lo, hi = (max(lo, v), hi) if is_lower else (lo, min(hi, v))
    return lo, hi


class Draws(NamedTuple):
    """The points drawn, per point the number of values each symbol's draw could take (``grid``: the ``N`` of a
    Schwartz-Zippel bound, :mod:`derive.claims.point_bound`), and how many draws the conditions rejected."""

    points: list
    grid: list
    rejected: int


def sample_points(symbols: Sequence[sp.Symbol], conditions: Sequence, n: int, *, seed: int = 20250101,
                  integers: Sequence[sp.Symbol] = ()) -> list[dict]:
    r"""Up to ``n`` distinct exact points (Rationals; integers for integer symbols) satisfying every condition.

    Real symbols are drawn from their bounds (default width 3 around them, or
    [-3, 3]) as fractions with denominator 1000; integer symbols from 0..4 above
    their lower bound; symbols that are not known to be real and appear in no
    comparison get an imaginary part from [-3, 3] too.  Symbols bounded by others are drawn after them.

    Parameters
    ----------
    symbols : sequence of sympy.Symbol
    conditions : sequence
        Relationals; those involving other symbols are ignored.
    n : int
        How many points at most.
    seed : int
        The random stream (results are reproducible).
    integers : sequence of sympy.Symbol
        Symbols to draw as integers besides those declared integer.

    Returns
    -------
    list of dict
        Fewer than ``n`` when the conditions leave fewer points; :class:`NoPoints` when none.

    .. math:: x_j = \mathrm{lo}_j + (\mathrm{hi}_j - \mathrm{lo}_j)\,u/1000,\quad u \in \{1..999\}

    >>> x, y = sp.symbols("x y", real=True)
    >>> pts = sample_points([x, y], [x > 0, y < x], 3)
    >>> all(p[x] > 0 and p[y] < p[x] for p in pts)
    True
    """
    return sample_draws(symbols, conditions, n, seed=seed, integers=integers).points


def grid_size(lo, hi, integer: bool) -> int:
    """How many distinct values :func:`sample_points` can draw for one symbol from ``(lo, hi)``.

    >>> import mpmath
    >>> grid_size(mpmath.mpf(0), mpmath.inf, False), grid_size(mpmath.mpf(0), mpmath.mpf("0.1"), False)
    (999, 101)
    >>> grid_size(mpmath.mpf(1), mpmath.inf, True)
    5
    """
    if integer:
        a = int(mpmath.ceil(lo)) if lo != -mpmath.inf else (int(mpmath.floor(hi)) - 4 if hi != mpmath.inf else 0)
        b = min(a + 4, int(mpmath.floor(hi))) if hi != mpmath.inf else a + 4
        return max(a, b) - a + 1
    lo, hi = _finite(lo, hi)
    if hi - lo >= 1:  # neighbouring draws differ by >= 1/1000: distinct after rounding
        return 999
    return len({int(mpmath.nint((lo + (hi - lo) * u / 1000) * 1000)) for u in range(1, 1000)})


def sample_draws(symbols: Sequence[sp.Symbol], conditions: Sequence, n: int, *, seed: int = 20250101,
                 integers: Sequence[sp.Symbol] = ()) -> Draws:
    """:func:`sample_points` with the size of each symbol's grid at each point and the count of rejected draws."""
    rng = random.Random(seed)
    grid: list[dict] = []
    rejected = 0
    ints = set(integers) | {s for s in symbols if s.is_integer}
    rel = [c for c in conditions if not isinstance(c, tuple) and c.free_symbols <= set(symbols)]
    order = sorted(symbols, key=lambda s: sum(s in c.free_symbols and len(c.free_symbols) > 1 for c in rel))
    ordered = set().union(*(c.free_symbols for c in rel))  # compared with something: real
    points: list[dict] = []
    holds = _fast_conditions(rel)
    for attempt in range(200 * n):
        if len(points) == n or (not points and attempt >= MAX_EMPTY_ATTEMPTS):
            break
        pt: dict = {}
        sizes: dict = {}
        pending = list(order)
        while pending:  # draw first a symbol whose bounds involve only drawn ones
            s = next((s for s in pending if all(not (c.free_symbols - set(pt) - {s}) for c in rel
                                                if s in c.free_symbols)), None)
            if s is None:  # bounds depend on each other: first the symbols no condition bounds by itself
                s = min(pending, key=lambda s: sum(s in (getattr(c, "lhs", None), getattr(c, "rhs", None))
                                                   for c in rel))
            pending.remove(s)
            lo, hi = _bounds(s, rel, pt)
            pt[s] = _draw(rng, lo, hi, s in ints)
            sizes[s] = grid_size(lo, hi, s in ints)
            if s.is_real is None and s not in ints and s not in ordered:  # kind = "complex": x + iy
                pt[s] += sp.I * _draw(rng, -mpmath.inf, mpmath.inf, False)
        if not holds(pt):
            rejected += 1
        elif pt not in points:
            points.append(pt)
            grid.append(sizes)
    if not points:
        raise NoPoints(f"no point satisfies {', '.join(dict.fromkeys(map(str, rel)))}")
    return Draws(points, grid, rejected)  # fewer than n when the conditions leave fewer (integer symbols in a small range)


def _draw(rng: random.Random, lo, hi, integer: bool) -> sp.Rational:
    if integer:
        a = int(mpmath.ceil(lo)) if lo != -mpmath.inf else (int(mpmath.floor(hi)) - 4 if hi != mpmath.inf else 0)
        b = min(a + 4, int(mpmath.floor(hi))) if hi != mpmath.inf else a + 4
        return sp.Integer(rng.randint(a, max(a, b)))
    lo, hi = _finite(lo, hi)
    u = rng.randint(1, 999)
    return sp.Rational(int(mpmath.nint((lo + (hi - lo) * u / 1000) * 1000)), 1000)


def _finite(lo, hi) -> tuple:
    """The interval a draw is taken from: an unbounded side is 3 from the other, [-3, 3] when both are."""
    if lo == -mpmath.inf and hi == mpmath.inf:  # unbounded: [-3, 3] (it was [-3, 0]: never a positive value)
        return mpmath.mpf(-3), mpmath.mpf(3)
    if lo == -mpmath.inf:
        return hi - 3, hi
    if hi == mpmath.inf:
        return lo, lo + 3
    return lo, hi


#: a region with no point after this many draws is taken as empty (a regime the substitutions exclude)
MAX_EMPTY_ATTEMPTS = 400


def _fast_conditions(rel: Sequence) -> Callable[[dict], bool]:
    """``holds(point)`` for all of ``rel``: each side difference evaluated with mpmath at 30 digits, the exact
    comparison only where the difference is within 1e-25 of zero (SymPy's own comparison of, say,
    ``-2 cos(3/7) > 2`` is exact but slow)."""
    checks = []
    for c in rel:
        if not isinstance(c, sp.core.relational.Relational) or isinstance(c, (sp.Eq, sp.Ne)):
            checks.append((c, None, None))
            continue
        syms = sorted(c.free_symbols, key=str)
        checks.append((c, syms, sp.lambdify(syms, c.lhs - c.rhs, "mpmath")))

    def holds(pt: dict) -> bool:
        for c, syms, f in checks:
            if f is None:
                if not _holds(c, pt):
                    return False
                continue
            try:
                with mpmath.workdps(30):
                    v = f(*[mpmath.mpmathify(complex(pt[s]) if pt[s].has(sp.I) else mpmath.mpf(
                        sp.Rational(pt[s]).p) / sp.Rational(pt[s]).q) for s in syms])
            except (TypeError, ValueError, ZeroDivisionError):
                v = None
            if v is None or isinstance(v, mpmath.mpc) and v.imag != 0 or abs(v) < mpmath.mpf(10) ** -25:
                if not _holds(c, pt):
                    return False
                continue
            v = mpmath.re(v)
            ok = {sp.StrictGreaterThan: v > 0, sp.GreaterThan: v > 0, sp.StrictLessThan: v < 0,
                  sp.LessThan: v < 0}.get(type(c))
            if ok is None:
                ok = _holds(c, pt)
            if not ok:
                return False
        return True

    return holds


def _holds(cond, pt: dict) -> bool:
    try:
        return bool(cond.xreplace(pt))
    except TypeError:  # undecidable comparison (e.g. complex) counts as violated
        return False
