"""Classes of split field terms: what each term does (transfer across the junction, change of particle numbers).

A term is a word of split fields labelled ``(species, side)`` (or ``(part,
species, side)`` for a one-body field ``h psi``).  Its *transfer vector*
:math:`t_s = \\Delta N_{s,L}` and its *number change* :math:`\\Delta N_s` (both
sides) decide its class (:func:`classify`): the number-conserving classes of the
field-file format, and for a term that changes some :math:`N_s` the name of what
it does -- conversion between species, creation or annihilation of a particle,
a pair or more -- and where (``L``, ``R`` or ``across the junction``).

>>> from derive.fields.field_algebra import Ladder
>>> classify((Ladder(("b", "L"), True), Ladder(("b", "R"), True)), ("b",))
'pair creation across the junction'
"""
from __future__ import annotations

from typing import Sequence

from derive.fields.field_algebra import Ladder

__all__ = ["CONSERVING", "NON_CONSERVING", "PLACES", "CLASSES", "transfer", "number_change", "classify", "one_side"]

#: classes of number-conserving terms (every N_s = N_sL + N_sR unchanged): the table of the format
CONSERVING = ("reservoir L", "reservoir R", "one-body tunneling", "density-assisted tunneling", "pair tunneling",
              "multi-particle tunneling", "exchange", "induced interaction")
#: where a term that changes some N_s acts: on one side, or on both (across the junction)
PLACES = ("L", "R", "across the junction")
#: classes of terms that change some N_s: what they do, then where
NON_CONSERVING = tuple(f"{what} {where}" for what in
                       ("conversion", "particle creation", "particle annihilation", "pair creation",
                        "pair annihilation", "multi-particle creation", "multi-particle annihilation")
                       for where in PLACES)
CLASSES = CONSERVING + NON_CONSERVING + ("constant",)


def transfer(word: Sequence[Ladder], species: Sequence[str]) -> dict[str, int]:
    """The transfer vector: the change of :math:`N_{s,L}` a word causes.

    .. math:: t_s = \\#\\{\\hat\\psi^\\dagger_{s,L}\\} - \\#\\{\\hat\\psi_{s,L}\\}

    Parameters
    ----------
    word : sequence of Ladder
        Operators labelled ``(species, side)`` or ``(part, species, side)``.
    species : sequence of str

    Returns
    -------
    dict
        Species -> :math:`t_s`, every species present (zeros included).
    """
    t = {s: 0 for s in species}
    for op in word:
        if op.label[-2] not in t:
            raise ValueError(f"field {op} of a species not in {tuple(species)}")
        if op.label[-1] == "L":
            t[op.label[-2]] += 1 if op.dagger else -1
    return t


def number_change(word: Sequence[Ladder], species: Sequence[str]) -> dict[str, int]:
    """The change of :math:`N_s = N_{s,L} + N_{s,R}` a word causes (creators minus annihilators of s).

    Parameters
    ----------
    word : sequence of Ladder
    species : sequence of str

    Returns
    -------
    dict
        Species -> :math:`\\Delta N_s`, every species present (zeros included).
    """
    d = {s: 0 for s in species}
    for op in word:
        if op.label[-2] not in d:
            raise ValueError(f"field {op} of a species not in {tuple(species)}")
        d[op.label[-2]] += 1 if op.dagger else -1
    return d


def classify(word: Sequence[Ladder], species: Sequence[str]) -> str:
    """The class of a word, from its transfer vector, its number change and its sides.

    A word that conserves every :math:`N_s` gets a class of the format's table:

    .. math:: T = \\textstyle\\sum_s t_s:\\quad |T|=1\\ \\text{one-body / density-assisted},\\
              |T|=2\\ \\text{pair},\\ |T|\\ge3\\ \\text{multi-particle},\\ T=0\\ \\text{exchange / induced}

    A word that changes some :math:`N_s` is named for what it does and where
    (``L``, ``R`` or ``across the junction`` when it has fields on both sides):
    ``conversion`` when some species gain and others lose particles, else
    ``particle``/``pair``/``multi-particle`` ``creation``/``annihilation`` by
    :math:`|\\sum_s\\Delta N_s|` = 1, 2, >= 3.

    Parameters
    ----------
    word : sequence of Ladder
    species : sequence of str

    Returns
    -------
    str
        One of :data:`CLASSES` (``constant`` for a word without fields, e.g. a contraction).

    >>> classify((Ladder(("a", "L"), True), Ladder(("b", "L"), True), Ladder(("b", "R"), False),
    ...           Ladder(("a", "R"), False)), ("a", "b"))
    'pair tunneling'
    >>> classify((Ladder(("b", "L"), True), Ladder(("b", "R"), True)), ("b",))
    'pair creation across the junction'
    >>> classify((Ladder(("up", "L"), True), Ladder(("dn", "L"), False)), ("up", "dn"))
    'conversion L'
    """
    if not word:
        return "constant"
    sides = {op.label[-1] for op in word}
    change = number_change(word, species)
    if any(change.values()):
        place = sides.pop() if len(sides) == 1 else "across the junction"
        if any(v > 0 for v in change.values()) and any(v < 0 for v in change.values()):
            return f"conversion {place}"
        net = sum(change.values())
        size = {1: "particle", 2: "pair"}.get(abs(net), "multi-particle")
        return f"{size} {'creation' if net > 0 else 'annihilation'} {place}"
    if sides == {"L"}:
        return "reservoir L"
    if sides == {"R"}:
        return "reservoir R"
    t = transfer(word, species)
    total = abs(sum(t.values()))
    if total == 1:
        return "one-body tunneling" if len(word) == 2 else "density-assisted tunneling"
    if total == 2:
        return "pair tunneling"
    if total >= 3:
        return "multi-particle tunneling"
    return "exchange" if any(t.values()) else "induced interaction"


def one_side(cls: str) -> str | None:
    """``"L"`` or ``"R"`` for a class whose terms have fields on that side only, else None.

    >>> one_side("reservoir L"), one_side("pair creation R"), one_side("conversion across the junction")
    ('L', 'R', None)
    """
    if cls in CLASSES and cls[-2:] in (" L", " R"):
        return cls[-1]
    return None
