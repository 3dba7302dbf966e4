r"""Exact Green's functions of sparse symbolic matrices by Schur complements (no ``simplify``).

For a square matrix :math:`R` with polynomial entries (tight-binding regions:
chains, rings, trees, small junctions) this computes :math:`\det R` and chosen
entries of :math:`R^{-1} = \operatorname{adj}R/\det R` as polynomials.

Route: the vertices outside a kept set :math:`K` are eliminated one at a time
(minimum-degree order, ties by index, so the route is deterministic),

.. math:: R_{ij} \leftarrow R_{ij} - R_{iv}R_{vv}^{-1}R_{vj}\qquad(i,j\in\text{neighbours of }v),

which leaves the Schur complement :math:`S = R_{KK}-R_{KO}R_{OO}^{-1}R_{OK}` with
:math:`(R^{-1})_{KK} = S^{-1}` and :math:`\det R = \prod\text{pivots}\cdot\det S`.
Entries are fractions whose denominators are products of earlier pivot
numerators, held as *factor ids*; after every update each such factor is
divided out of the numerator where it divides exactly (Sylvester's identity
guarantees that the true denominators are single principal minors).  Nothing
calls a multivariate gcd: on a chain of n sites the cost is O(n) polynomial
products (see ``tests/derive/test_tight_binding_perf.py``).

>>> import sympy as sp
>>> w, t = sp.symbols("omega t")
>>> det, G = green_numerators({(0, 0): w, (0, 1): t, (1, 0): t, (1, 1): w, (1, 2): t, (2, 1): t, (2, 2): w},
...                           3, [(0, 2), (1, 1)])
>>> det, G[0, 2], G[1, 1]
(omega**3 - 2*omega*t**2, t**2, omega**2)
"""
from __future__ import annotations

import random
from collections import Counter
from typing import Iterable, Sequence

import sympy as sp
from sympy.polys.polyerrors import ExactQuotientFailed
from sympy.polys.polytools import parallel_poly_from_expr
from sympy.polys.rings import PolyRing

__all__ = ["green_numerators", "lowest_terms"]


class _Algebra:
    """Fractions ``num / prod(factor[id]**e)`` over one polynomial ring; factors registered once."""

    def __init__(self, ring: PolyRing) -> None:
        self.ring = ring
        self.factors: list = []
        self._ids: dict = {}

    def factor_id(self, poly) -> int:
        if poly not in self._ids:
            self._ids[poly] = len(self.factors)
            self.factors.append(poly)
        return self._ids[poly]

    def reduce(self, num, den: Counter, keep: int | None = None) -> tuple:
        """Divide the denominator factors (except ``keep``) out of ``num`` where they divide exactly."""
        den = Counter(den)
        for fid in sorted(den, reverse=True):
            while fid != keep and den[fid] > 0 and num:
                try:
                    num = num.exquo(self.factors[fid])
                except ExactQuotientFailed:
                    break
                den[fid] -= 1
        return num, +den

    def lift(self, num, den: Counter, to: Counter):
        """``num / den`` rewritten over the larger denominator ``to`` (numerator only)."""
        for fid, e in to.items():
            extra = e - den.get(fid, 0)
            if extra:
                num = num * self.factors[fid] ** extra
        return num

    def schur_term(self, a_iv: tuple, a_vj: tuple, pivot_num, pivot_id: int | None, pivot_den: Counter) -> tuple:
        """:math:`a_{iv}a_{vj}/a_{vv}` with :math:`a_{vv}` = ``pivot_num`` (factor ``pivot_id``) / ``pivot_den``.

        The pivot's denominator cancels against those of :math:`a_{iv}, a_{vj}` by id (no division).
        """
        num = a_iv[0] * a_vj[0]
        den = a_iv[1] + a_vj[1]
        for fid, e in pivot_den.items():
            common = min(e, den.get(fid, 0))
            den[fid] -= common
            if e > common:
                num = num * self.factors[fid] ** (e - common)
        if pivot_id is None:  # a constant pivot numerator is inverted in the field
            num = num.quo_ground(pivot_num.LC)
        else:
            den[pivot_id] += 1
        return num, +den

    def sub(self, a: tuple, b: tuple, keep: int | None = None) -> tuple:
        """``a - b``; factors other than ``keep`` are divided out where exact (Sylvester's identity)."""
        den = a[1] | b[1]
        return self.reduce(self.lift(a[0], a[1], den) - self.lift(b[0], b[1], den), den, keep)

    def expand(self, num, exps: Counter):
        """``num * prod(factor**e)`` for exponents of either sign; the division must be exact."""
        for fid, e in sorted(exps.items()):
            if e > 0:
                num = num * self.factors[fid] ** e
        for fid, e in sorted(exps.items()):
            for _ in range(-e):
                num = num.exquo(self.factors[fid])
        return num


class _Sparse:
    """A square sparse matrix of fractions with row and column adjacency."""

    def __init__(self, alg: _Algebra, entries: dict, size: int) -> None:
        self.alg = alg
        self.alive = set(range(size))
        self.rows: dict[int, dict[int, tuple]] = {}
        self.cols: dict[int, set[int]] = {}
        for (i, j), v in entries.items():
            if v[0]:
                self.rows.setdefault(i, {})[j] = v
                self.cols.setdefault(j, set()).add(i)

    def copy(self) -> "_Sparse":
        out = _Sparse.__new__(_Sparse)
        out.alg = self.alg
        out.alive = set(self.alive)
        out.rows = {i: dict(r) for i, r in self.rows.items()}
        out.cols = {j: set(c) for j, c in self.cols.items()}
        return out

    def _set(self, i: int, j: int, value: tuple) -> None:
        if value[0]:
            self.rows.setdefault(i, {})[j] = value
            self.cols.setdefault(j, set()).add(i)
        else:
            self.rows.get(i, {}).pop(j, None)
            self.cols.get(j, set()).discard(i)

    def eliminate(self, v: int) -> tuple:
        """Remove vertex ``v`` (row v and column v) by its Schur complement; returns the pivot."""
        alg = self.alg
        pivot = self.rows[v][v]
        row_v = {j: x for j, x in self.rows.pop(v).items() if j != v}
        col_v = [i for i in self.cols.pop(v) if i != v]
        zero = (alg.ring.zero, Counter())
        pivot_id = None if pivot[0].is_ground else alg.factor_id(pivot[0])
        for i in col_v:
            a_iv = self.rows[i].pop(v)
            for j, a_vj in row_v.items():
                term = alg.schur_term(a_iv, a_vj, pivot[0], pivot_id, pivot[1])
                self._set(i, j, alg.sub(self.rows[i].get(j, zero), term, keep=pivot_id))
        for j in row_v:
            self.cols[j].discard(v)
        self.alive.discard(v)
        return pivot

    def degree(self, v: int, active: set[int]) -> int:
        return len((set(self.rows.get(v, {})) | self.cols.get(v, set())) & active)

    def eliminate_all_but(self, keep: Iterable[int]) -> list[tuple]:
        """Eliminate every remaining vertex not in ``keep`` (minimum degree first); returns the pivots."""
        keep = set(keep)
        active = self.alive - keep
        pivots = []
        while active:
            ranked = sorted(active, key=lambda v: (self.degree(v, active | keep), v))
            v = next((u for u in ranked if self.rows.get(u, {}).get(u, (None,))[0]), None)
            if v is None:
                raise ZeroDivisionError("every remaining pivot is identically zero: the matrix is singular")
            pivots.append(self.eliminate(v))
            active.discard(v)
        return pivots


def _ring_of(entries: dict) -> tuple[PolyRing, dict]:
    """One polynomial ring (over a field) for all entries, and the entries in it."""
    keys = sorted(entries)
    exprs = [sp.expand(sp.sympify(entries[k])) for k in keys]
    polys, opt = parallel_poly_from_expr(exprs + [sp.Integer(1)])
    field = opt.domain.get_field() if opt.domain.has_assoc_Field else opt.domain
    ring = PolyRing(opt.gens, field)
    out = {k: ring.from_dict({m: field.convert_from(c, opt.domain) for m, c in p.rep.to_dict().items()})
           for k, p in zip(keys, polys)}
    return ring, out


def green_numerators(
    entries: dict[tuple[int, int], sp.Expr],
    size: int,
    pairs: Sequence[tuple[int, int]],
) -> tuple[sp.Expr, dict[tuple[int, int], sp.Expr]]:
    r"""Determinant and adjugate entries of a sparse polynomial matrix.

    .. math:: (R^{-1})_{ij} = \frac{\operatorname{adj}(R)_{ij}}{\det R}

    Parameters
    ----------
    entries : dict
        ``(row, col) -> expression`` (polynomial in its symbols; other atoms
        such as ``sqrt(2)`` or ``1/t`` are treated as independent generators).
    size : int
        The matrix is ``size x size``.
    pairs : sequence of (i, j)
        The entries of the inverse wanted.

    Returns
    -------
    (det, numerators)
        ``det`` = :math:`\det R` and ``numerators[i, j]`` = :math:`\operatorname{adj}(R)_{ij}`,
        expanded polynomials.
    """
    ring, polys = _ring_of(entries)
    alg = _Algebra(ring)
    matrix = _Sparse(alg, {k: (p, Counter()) for k, p in polys.items()}, size)
    keep = sorted({i for pair in pairs for i in pair})
    outside = matrix.eliminate_all_but(keep)
    det = _determinant(alg, outside + matrix.copy().eliminate_all_but(()))
    numerators = {}
    for i, j in dict.fromkeys(pairs):
        numerators[i, j] = _minor(alg, matrix, outside, i, j).as_expr()
    return det.as_expr(), numerators


def _determinant(alg: _Algebra, pivots: list[tuple]):
    """Product of the pivots; their denominators cancel factor by factor (telescoping ids)."""
    exps, num = Counter(), alg.ring.one
    for piv in pivots:
        if piv[0].is_ground:
            num = num * piv[0]
        else:
            exps[alg.factor_id(piv[0])] += 1
        exps.subtract(piv[1])
    return alg.expand(num, exps)


def _minor(alg: _Algebra, schur: _Sparse, outside: list[tuple], i: int, j: int):
    """:math:`\\operatorname{adj}(R)_{ij}` from the Schur complement left on the kept vertices.

    :math:`\\operatorname{adj}(R)_{ij} = (-1)^{i+j}\\det R^{(j,i)}` (row j and column i deleted) and
    :math:`\\det R^{(j,i)} = \\det R_{OO}\\,\\det S^{(j,i)}`.  For :math:`i\\ne j` row i is
    paired with column j (vertex i of the reduced matrix); moving column j to the place of
    column i costs :math:`(-1)^{|i-j|-1}`, so :math:`\\operatorname{adj}(R)_{ij} = -\\det P`.
    """
    block = schur.copy()
    if i == j:
        sign = 1
        block.rows.pop(i, None)
        block.cols.pop(i, None)
        for r in block.rows.values():
            r.pop(i, None)
        for c in block.cols.values():
            c.discard(i)
    else:
        sign = -1
        row_i = block.rows.pop(i, {})
        block.rows.pop(j, None)
        for c in block.cols.values():
            c.discard(j)
            c.discard(i)
        col_j = {r: x for r, x in ((r, block.rows[r].pop(j)) for r in list(block.cols.pop(j, ()))
                                   if r in block.rows and j in block.rows[r])}
        block.cols.pop(i, None)
        for r in block.rows.values():
            r.pop(i, None)
        merged = {c: x for c, x in row_i.items() if c not in (i, j)}
        if j in row_i:
            merged[i] = row_i[j]
        for r, x in col_j.items():
            block.rows[r][i] = x
        block.rows[i] = merged
        block.cols[i] = set(col_j) | ({i} if j in row_i else set())
        for c in merged:
            block.cols.setdefault(c, set()).add(i)
    block.alive.discard(j)
    try:
        pivots = block.eliminate_all_but(())
    except ZeroDivisionError:
        return alg.ring.zero
    return _determinant(alg, outside + pivots) * sign


def lowest_terms(num: sp.Expr, den: sp.Expr, variable: sp.Symbol) -> tuple[sp.Expr, sp.Expr]:
    r"""``num/den`` with their common polynomial factors in ``variable`` cancelled exactly.

    .. math:: \frac{N}{D} = \frac{N/g}{D/g},\qquad g = \gcd(N, D)

    over the polynomials in every symbol (parameters, Bloch factors, segment atoms, conjugates and
    constants such as ``sqrt(2)`` are independent generators).  A decoupled state (a region
    eigenstate with no weight on the sites a numerator connects) makes :math:`D` and :math:`N`
    vanish together for every value of the others: :math:`g` holds its factor
    :math:`\omega - E` and the quotient is the continuous function.  The multivariate gcd is only
    computed when the gcd in ``variable`` at a random integer point of the other generators
    (fixed seed) has positive degree, so that a quantity without such a factor costs two
    univariate gcds.

    Returns
    -------
    (num, den)
        Expanded polynomials, ``den`` = ``D/g`` (up to sign: its leading coefficient in ``variable`` is kept positive).

    >>> w, t, c = sp.symbols("omega t c")
    >>> lowest_terms(sp.expand((w - t) * 2 * t), sp.expand((w - t) * (w + t) * (w - c)), w)
    (2*t, -c*omega - c*t + omega**2 + omega*t)
    """
    if num == 0 or not den.has(variable) or not num.has(variable):
        return num, den
    try:
        (p, q), opt = parallel_poly_from_expr([num, den])
    except sp.PolificationFailed:
        return num, den
    if variable not in opt.gens or not opt.domain.is_Exact:
        return num, den
    draw = random.Random(20240518)
    point = {g: draw.randrange(10 ** 6, 10 ** 7) for g in opt.gens if g != variable}
    if point:
        probe = p.eval(point).gcd(q.eval(point)) if len(point) < len(opt.gens) else None
        if probe is None or probe.degree() < 1:
            return num, den
    g = p.gcd(q)
    if g.total_degree() < 1:
        return num, den
    num, den = p.exquo(g).as_expr(), q.exquo(g).as_expr()
    if sp.Poly(den, variable).LC().could_extract_minus_sign():  # the sign of D: monic in omega
        num, den = -num, -den
    return num, den
