"""A small algebra of fermionic or bosonic ladder operators with symbolic labels.

Elements are finite linear combinations of *words* (products of ladder
operators) with SymPy coefficients.  :meth:`Algebra.normal_order` brings a
word to a canonical normal-ordered form -- creators left, annihilators
right, each group sorted by label -- using only the canonical relations

.. math::

    b\\,b'^{\\dagger} = s\\,b'^{\\dagger}b + [b, b'^{\\dagger}]_{-s},\\qquad
    b\\,b' = s\\,b'b,\\qquad b^{\\dagger}b'^{\\dagger} = s\\,b'^{\\dagger}b^{\\dagger},

with :math:`s=-1` for fermions and :math:`+1` for bosons.  The
contraction :math:`[b, b'^\\dagger]_{-s}` is supplied by the caller as a
function of the two labels, so index spaces that must not mix (lattice sites,
spin, the L and R halves of a split field) stay separate: a Kronecker delta
is only produced where the caller's contraction says so.  Nothing here uses
``sympy.physics.quantum`` (whose ordering of mixed operators is unreliable).

Examples
--------
>>> import sympy as sp
>>> m, n = sp.symbols("m n", integer=True)
>>> alg = Algebra("fermi", lambda x, y: sp.KroneckerDelta(x, y))
>>> a, ad = alg.annihilator, alg.creator
>>> alg.normal_order(alg.mul(a(m), ad(n)))  # a_m a_n^dag
{(a^dag(n), a(m)): -1, (): KroneckerDelta(m, n)}
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Literal

import sympy as sp

__all__ = ["Ladder", "Algebra", "Element"]


@dataclass(frozen=True)
class Ladder:
    """A creation (``dagger=True``) or annihilation operator with a label (any hashable)."""

    label: object
    dagger: bool
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:  # words are dict keys: hash each operator once
        object.__setattr__(self, "_hash", hash((self.label, self.dagger)))

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        lab = self.label if not isinstance(self.label, tuple) else ",".join(map(str, self.label))
        return f"a^dag({lab})" if self.dagger else f"a({lab})"

    def adjoint(self) -> "Ladder":
        return Ladder(self.label, not self.dagger)


Word = tuple  # tuple[Ladder, ...]
Element = dict  # dict[Word, sp.Basic]


def _key(op: Ladder) -> tuple:
    return (0 if op.dagger else 1, str(op.label))


class Algebra:
    """Ladder-operator algebra for one statistics, one contraction rule and one canonical order.

    Parameters
    ----------
    statistics : {"fermi", "bose", "mixed"}
        Fermions (anticommutators, :math:`s=-1`), bosons (commutators, :math:`s=+1`), or a
        mixture: ``fermionic(label)`` says which labels are fermions; two fermions
        anticommute, every other pair commutes (:math:`s=+1`).
    contraction : callable
        ``contraction(x, y)`` is :math:`[b_x, b_y^\\dagger]_{-s}` for the labels ``x``, ``y``.
    key : callable, optional
        Sort key of a :class:`Ladder`; the canonical order puts a word in
        increasing key.  The key must put every creator before every
        annihilator (normal order) and give distinct operators distinct keys.
        Default: creators first, each group sorted by ``str(label)``.
    fermionic : callable, optional
        ``fermionic(label) -> bool``; required for ``statistics="mixed"`` (and only then).
        A contraction must vanish between a fermion and a boson label.

    Examples
    --------
    >>> mixed = Algebra("mixed", lambda x, y: sp.Integer(int(x == y)), fermionic=lambda lab: lab[0] == "f")
    >>> f, b = ("f", 1), ("b", 1)
    >>> mixed.normal_order(mixed.mul(mixed.annihilator(f), mixed.annihilator(b), mixed.creator(f)))
    {(a^dag(f,1), a(b,1), a(f,1)): -1, (a(b,1),): 1}
    """

    def __init__(self, statistics: Literal["fermi", "bose"],
                 contraction: Callable[[object, object], sp.Basic], *,
                 key: Callable[[Ladder], tuple] | None = None,
                 fermionic: Callable[[object], bool] | None = None) -> None:
        if statistics not in ("fermi", "bose", "mixed"):
            raise ValueError(statistics)
        if (statistics == "mixed") != (fermionic is not None):
            raise ValueError("fermionic(label) is required for statistics='mixed' and only then")
        self.statistics = statistics
        self.sign = {"fermi": -1, "bose": 1, "mixed": 0}[statistics]  # 0: per pair, see _swap_sign
        self._fermionic = fermionic
        self.contraction = contraction
        self.key = _key if key is None else key
        self._ordered: dict[Word, Element] = {}  # memo of _order_word (results are never mutated)

    # ---------------------------------------------------------------- constructors
    def creator(self, label: object) -> Element:
        return {(Ladder(label, True),): sp.Integer(1)}

    def annihilator(self, label: object) -> Element:
        return {(Ladder(label, False),): sp.Integer(1)}

    @staticmethod
    def scalar(c: sp.Basic) -> Element:
        return {(): sp.sympify(c)}

    # ---------------------------------------------------------------- linear structure
    @staticmethod
    def add(*elements: Element) -> Element:
        out: Element = {}
        for el in elements:
            for w, c in el.items():
                out[w] = out.get(w, 0) + c
        return {w: c for w, c in out.items() if c != 0}

    @staticmethod
    def scale(el: Element, c: sp.Basic) -> Element:
        return {w: c * v for w, v in el.items()}

    def mul(self, *elements: Element) -> Element:
        out: Element = {(): sp.Integer(1)}
        for el in elements:
            new: Element = {}
            for w1, c1 in out.items():
                for w2, c2 in el.items():
                    new[w1 + w2] = new.get(w1 + w2, 0) + c1 * c2
            out = new
        return {w: c for w, c in out.items() if c != 0}

    def adjoint(self, el: Element) -> Element:
        return {tuple(op.adjoint() for op in reversed(w)): sp.conjugate(c) for w, c in el.items()}

    # ---------------------------------------------------------------- ordering
    def is_fermion(self, op: Ladder) -> bool:
        """Whether ``op`` is a fermion operator (every one for "fermi", none for "bose")."""
        if self._fermionic is None:
            return self.statistics == "fermi"
        return bool(self._fermionic(op.label))

    def _swap_sign(self, x: Ladder, y: Ladder) -> int:
        """:math:`xy = s\\,yx + \\ldots`: -1 for two fermions, +1 otherwise."""
        if self.sign:
            return self.sign
        return -1 if self.is_fermion(x) and self.is_fermion(y) else 1

    def _order_raw(self, word: Word) -> dict:
        """Normal-ordered form of one word as ``{word: {contraction factors: integer}}``.

        Recursive bubble sort, memoised per algebra.  Coefficients stay integer
        signs times tuples of contraction values until :meth:`normal_order`
        builds one SymPy sum per word (SymPy arithmetic inside the recursion
        would dominate the cost of long words).
        """
        done = self._ordered.get(word)
        if done is not None:
            return done
        out: dict = {word: {(): 1}}
        key = self.key
        for i in range(len(word) - 1):
            x, y = word[i], word[i + 1]
            fermion_pair = x == y and self.is_fermion(x)
            if key(x) <= key(y) and not fermion_pair:
                continue
            if fermion_pair:  # identical fermionic operators: b b = 0
                out = {}
                break
            swapped = word[:i] + (y, x) + word[i + 2:]
            sign = self._swap_sign(x, y)
            out = {w: {f: sign * n for f, n in terms.items()} for w, terms in self._order_raw(swapped).items()}
            if not x.dagger and y.dagger:  # b b'^dag -> s b'^dag b + contraction
                c = self.contraction(x.label, y.label)
                if c != 0:
                    for w, terms in self._order_raw(word[:i] + word[i + 2:]).items():
                        acc = out.setdefault(w, {})
                        for f, n in terms.items():
                            f2 = tuple(sorted(f + (c,), key=hash))
                            acc[f2] = acc.get(f2, 0) + n
                    out = {w: {f: n for f, n in t.items() if n} for w, t in out.items()}
                    out = {w: t for w, t in out.items() if t}
            break
        self._ordered[word] = out
        return out

    def _order_word(self, word: Word) -> Element:
        """Normal-ordered form of a single word."""
        return {w: sp.Add(*(n * sp.Mul(*f) for f, n in t.items())) for w, t in self._order_raw(word).items()}

    def normal_order(self, el: Element) -> Element:
        """Canonical normal-ordered form (coefficients expanded and collected)."""
        parts: dict[Word, list] = {}
        for w, c in el.items():
            for w2, t in self._order_raw(w).items():
                parts.setdefault(w2, []).extend(c * n * sp.Mul(*f) for f, n in t.items())
        out = {w: sp.expand(sp.Add(*cs)) for w, cs in parts.items()}  # one Add per word: no quadratic flattening
        return {w: c for w, c in out.items() if c != 0}

    def commutator(self, A: Element, B: Element) -> Element:
        return self.normal_order(self.add(self.mul(A, B), self.scale(self.mul(B, A), -1)))

    def anticommutator(self, A: Element, B: Element) -> Element:
        return self.normal_order(self.add(self.mul(A, B), self.mul(B, A)))

    # ---------------------------------------------------------------- utilities
    def map_coefficients(self, el: Element, f: Callable[[sp.Basic], sp.Basic]) -> Element:
        out = {w: f(c) for w, c in el.items()}
        return {w: c for w, c in out.items() if c != 0}

    def expectation(self, el: Element, bilinear: Callable[[object, object], sp.Basic]) -> sp.Basic:
        """Replace :math:`a^\\dagger_x a_y` by ``bilinear(x, y)``; only words of length 0 and 2 allowed."""
        total = sp.Integer(0)
        for w, c in el.items():
            if len(w) == 0:
                total += c
            elif len(w) == 2 and w[0].dagger and not w[1].dagger:
                total += c * bilinear(w[0].label, w[1].label)
            else:
                raise ValueError(f"not a bilinear: {w}")
        return total


def words(el: Element) -> Iterable[Word]:  # pragma: no cover - convenience
    return el.keys()
