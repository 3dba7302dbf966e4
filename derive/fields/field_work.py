"""The work of a split, bounded before it starts, and couplings kept whole when expanding them would not end.

Splitting a local word of n fields substitutes :math:`\\psi_s=\\psi_{s,L}+\\psi_{s,R}`
into each field, :math:`2^n` words, and normal-orders each: a word written out of
order also gives one term per set of contractions (Wick's theorem), at most
:func:`wick_count` of them.  :func:`split_work` is the sum over the local words of
:math:`2^n\\times` that count; :func:`check_split_work` refuses a model beyond
:data:`MAX_SPLIT_WORK` before any algebra (a 16-field word, 65536 substituted words,
splits in about 8 s; an 18-field word would take about 30 s, a 24-field word hours).

Couplings are opaque during normal ordering; :func:`expansion_size` estimates the
number of terms of ``sympy.expand`` of a coupling, and one beyond
:data:`MAX_EXPANSION` (``(g1+...+g6)**40``: 1.2 million terms) is kept unexpanded as a
factor of the split coefficients instead of being multiplied out.

>>> wick_count([("a", False), ("a", True)]), wick_count([("a", True), ("a", False)])
(2, 1)
>>> split_work([[("a", False), ("a", True)]], overlap="zero"), split_work([[("a", False), ("a", True)]])
(6, 8)
>>> import sympy as sp
>>> g = sp.symbols("g1:7")
>>> expansion_size(sp.Add(*g) ** 40) > MAX_EXPANSION, expansion_size((g[0] + g[1]) ** 2)
(True, 3)
"""
from __future__ import annotations

from fractions import Fraction
from math import comb
from typing import Sequence

import sympy as sp

__all__ = ["MAX_SPLIT_WORK", "MAX_EXPANSION", "wick_count", "split_work", "check_split_work", "expansion_size",
           "placeholders", "with_couplings"]

#: substituted words x Wick terms of all local words of one model (about 10 s at the limit)
MAX_SPLIT_WORK = 100_000
#: terms of the expansion of one coupling beyond which it is kept as an unexpanded factor
MAX_EXPANSION = 2000


def wick_count(word: Sequence[tuple[str, bool]], weight: Fraction | int = 1) -> Fraction | int:
    """Number of sets of contractions of a word: an annihilator with a later creator of its species.

    Parameters
    ----------
    word : sequence of (species, creates)
    weight : Fraction or int
        Each contraction counts this much (1/2: the share of the L/R assignments in which the two
        fields are on the same side, the only contractions of the orthogonal split).

    Returns
    -------
    int or Fraction
        The number of terms Wick's theorem gives (the empty set included), an upper bound on
        the terms of normal ordering the word.
    """
    total = 1
    for s in {sp_ for sp_, _ in word}:
        ways = {0: 1}  # open annihilators waiting for a creator -> number of ways
        for species, creates in word:
            if species != s:
                continue
            new: dict[int, int] = {}
            for k, n in ways.items():
                new[k] = new.get(k, 0) + n  # this field not contracted
                if creates and k:
                    new[k - 1] = new.get(k - 1, 0) + n * k * weight  # closes one of the k open annihilators
                elif not creates:
                    new[k + 1] = new.get(k + 1, 0) + n  # opens a contraction
            ways = new
        total *= sum(n for k, n in ways.items() if k == 0)
    return total


def split_work(words: Sequence[Sequence[tuple[str, bool]]], *, overlap: str = "K") -> int:
    """:math:`\\sum_w 2^{|w|}\\,\\mathrm{wick}(w)` over the local words (the substituted words and their terms).

    Parameters
    ----------
    words : sequence of words, each a sequence of (species, creates)
    overlap : {"zero", "K"}
        With ``"zero"`` a contraction needs both fields on one side (half of the assignments).

    Returns
    -------
    int
    """
    weight = Fraction(1, 2) if overlap == "zero" else 1
    return sum(int(2 ** len(w) * wick_count(w, weight)) for w in words)


def check_split_work(words: Sequence[Sequence[tuple[str, bool]]], *, overlap: str = "K") -> str | None:
    """Why splitting these words would take too long (naming the word and the limit), or None.

    Parameters
    ----------
    words : sequence of words, each a sequence of (species, creates)
    overlap : {"zero", "K"}

    Returns
    -------
    str or None
        A message without the term number (the caller names the term).
    """
    work = 0
    for w in words:
        mine = split_work([w], overlap=overlap)
        work += mine
        if work > MAX_SPLIT_WORK:
            what = f"a word of {len(w)} fields splits into 2^{len(w)} words"
            if mine > 2 ** len(w):
                what += f" and {mine} terms with the contractions of normal ordering"
            return (f"{what} ({work} in all with the words before it, overlap {overlap}); the split is limited "
                    f"to {MAX_SPLIT_WORK} (about 10 s; a word of up to 16 fields written normal-ordered fits)")
    return None


def expansion_size(expr: sp.Basic) -> int:
    """Estimated number of terms of ``sympy.expand(expr)`` (without computing it).

    Parameters
    ----------
    expr : sympy.Basic

    Returns
    -------
    int
        Sums add, products multiply, a positive integer power of k terms gives the number of
        monomials ``comb(n + k - 1, k - 1)``; a function counts what its arguments expand to.
    """
    if isinstance(expr, sp.Add):
        return sum(expansion_size(a) for a in expr.args)
    if isinstance(expr, sp.Mul):
        out = 1
        for a in expr.args:
            out *= expansion_size(a)
            if out > 10**12:
                return out
        return out
    if isinstance(expr, sp.Pow):
        k = expansion_size(expr.base)
        n = expr.exp
        if n.is_Integer and n > 0 and k > 1:
            return comb(min(int(n), 10**6) + k - 1, k - 1) if k < 10**6 else 10**12
        return max(k, expansion_size(expr.exp))
    if expr.args:
        return max(expansion_size(a) for a in expr.args)
    return 1


def placeholders(n: int) -> list:
    """One opaque symbol per term: normal ordering handles signs and contractions, never the couplings."""
    return [sp.Dummy(f"c{k}") for k in range(n)]


def with_couplings(H: dict, marks: Sequence[sp.Dummy], couplings: Sequence[sp.Basic]) -> dict:
    """The placeholders replaced by the couplings, expanded as ``sympy.expand`` would -- except a coupling
    whose expansion is beyond :data:`MAX_EXPANSION` terms, kept as an unexpanded factor.

    Parameters
    ----------
    H : dict
        Word -> coefficient polynomial in the placeholders and the contraction symbols.
    marks, couplings : sequences of the same length

    Returns
    -------
    dict
        Word -> coefficient (zero coefficients dropped).
    """
    small = {m: c for m, c in zip(marks, couplings) if expansion_size(c) <= MAX_EXPANSION}
    whole = {m: c for m, c in zip(marks, couplings) if m not in small}
    out = {w: sp.expand(c.xreplace(small)).xreplace(whole) for w, c in H.items()}
    return {w: c for w, c in out.items() if c != 0}
