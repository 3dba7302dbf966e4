"""Split any local field Hamiltonian into tunneling terms (contract: shared/spec/fields.md).

A :class:`FieldModel` lists species (all fermions or all bosons) and terms: the
one-body term :math:`\\sum_s\\int\\hat\\psi_s^\\dagger\\hat h_s\\hat\\psi_s` and
local words :math:`c\\int\\hat\\phi_1\\cdots\\hat\\phi_n` in the written order.
:func:`split` substitutes

.. math::

    \\hat\\psi_s = \\hat\\psi_{s,L} + \\hat\\psi_{s,R}

into every field, normal-orders with :mod:`derive.field_algebra` (one point, so
every contraction is a coincident-point kernel), brings each word to the
canonical order of the spec (creators by species order, then L before R;
annihilators the opposite way; fermion signs in the coefficient), collects
equal terms and classifies them by the transfer vector
:math:`t_s = \\Delta N_{s,L}`.  The contractions are

.. math::

    [\\hat\\psi_{s,i}, \\hat\\psi^\\dagger_{s,i}]_\\mp = \\delta_{s,i},\\qquad
    [\\hat\\psi_{s,L}, \\hat\\psi^\\dagger_{s,R}]_\\mp = K_s,\\qquad
    [\\hat\\psi_{s,R}, \\hat\\psi^\\dagger_{s,L}]_\\mp = K_s^*,

with :math:`K_s = 0` for ``overlap="zero"`` (orthogonal L and R mode sets) and
a complex symbol ``K_s`` for ``overlap="K"``; :math:`\\delta_{s,i}` (symbol
``delta_s_i``) is the coincident-point kernel of side :math:`i`'s modes, needed
only for words not written normal-ordered.  Different species (anti)commute.
The one-body operator acts on the field to its right: the annihilator labelled
``("h", s, j)`` stands for :math:`(\\hat h_s\\hat\\psi_{s,j})(\\mathbf r)`.

Examples
--------
>>> m = FieldModel("fermion", ("up", "dn"), (OneBody(), Local("g", ("up+", "dn+", "dn", "up"))))
>>> sp_ = split(m)
>>> sp_.summary["pair tunneling"], sp_.summary["exchange"]
(2, 2)
>>> t = sp_.terms_of("pair tunneling")[0]
>>> t.fields, t.coefficient, t.transfer
(('up_L+', 'dn_L+', 'dn_R', 'up_R'), g, {'up': 1, 'dn': 1})
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations
from typing import Literal, Sequence

import sympy as sp
from derive.field_algebra import Algebra, Element, Ladder
from derive.model_values import ModelValueError, excerpt, read_expression

__all__ = ["FieldError", "OneBody", "Local", "FieldModel", "Term", "Split", "split", "classify", "transfer",
           "current_operators", "overlap_symbol", "coincidence_symbol", "to_sympy", "op_latex", "CLASSES",
           "parse_field", "parse_coupling", "species_latex"]

SIDES = ("L", "R")
STATISTICS = {"fermion": "fermi", "boson": "bose"}
CLASSES = ("reservoir L", "reservoir R", "one-body tunneling", "density-assisted tunneling", "pair tunneling",
           "multi-particle tunneling", "exchange", "induced interaction", "constant")
_SPECIES_RE = re.compile(r"^[A-Za-z0-9]+$")
_FIELD_RE = re.compile(r"^([A-Za-z0-9]+)(\+?)$")
_COUPLING_FUNCTIONS = {"sqrt": sp.sqrt, "exp": sp.exp, "log": sp.log, "sin": sp.sin, "cos": sp.cos}
_COUPLING_CONSTANTS = {"pi": sp.pi, "I": sp.I, "E": sp.E, "oo": sp.oo, "zoo": sp.zoo, "nan": sp.nan}  # SymPy's
_ARROWS = {"up": r"\uparrow", "dn": r"\downarrow", "down": r"\downarrow"}
_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "mu", "nu", "sigma", "tau", "xi", "eta", "rho", "phi", "chi"}


class FieldError(ValueError):
    """A bad field description; the message names the term and what is allowed."""


# ----------------------------------------------------------------------------- description

def parse_field(text: object) -> tuple[str, bool]:
    """One written field: ``"up+"`` creates, ``"up"`` annihilates.

    Parameters
    ----------
    text : str
        A species name (letters and digits), optionally followed by ``+``.

    Returns
    -------
    tuple of (str, bool)
        The species and whether the field creates (:math:`\\hat\\psi^\\dagger_s`).

    >>> parse_field("dn+")
    ('dn', True)
    """
    m = _FIELD_RE.match(text) if isinstance(text, str) else None
    if m is None:
        raise FieldError(f"malformed field {text!r} in word (write `s+` to create, `s` to annihilate, "
                         "s a species name of letters and digits)")
    return m.group(1), bool(m.group(2))


def parse_coupling(text: object) -> sp.Expr:
    """A coupling as a SymPy expression; every name becomes a real symbol, decimals exact rationals.

    Read by :func:`derive.model_values.read_expression`: nothing is evaluated as Python, and its bounds
    hold (length, nesting, constant exponents and the digits of exact numbers, checked before computing).

    Parameters
    ----------
    text : str, int or float
        Names (an ASCII letter, then letters, digits, ``_``), numbers, ``+ - * / ** ^ ( )``,
        ``sqrt exp log sin cos`` and SymPy's ``pi I E`` (a float is read from its shortest decimal
        representation).  Python's logic (``and``, ``or``, ``if``/``else``) is refused like any other syntax.

    Returns
    -------
    sympy.Expr
        A finite expression; anything else raises :class:`FieldError`.

    >>> parse_coupling("U/2"), parse_coupling("0.1*g"), parse_coupling(3)
    (U/2, g/10, 3)
    >>> parse_coupling("g and 0")
    Traceback (most recent call last):
    ...
    derive.field_split.FieldError: the boolean operator 'and' is not allowed in a coupling 'g and 0' (allowed: numbers, + - * / ** ^, names, sqrt exp log sin cos, pi I E)
    """
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise FieldError(f"coupling must be a string or a number (got {excerpt(repr(text))})")
    if isinstance(text, float) and not math.isfinite(text):  # TOML inf / nan: not a name
        raise FieldError(f"coupling {text!r} is not a finite number")
    src = repr(text) if isinstance(text, float) else str(text)
    try:
        expr = read_expression(src, _COUPLING_CONSTANTS, functions=_COUPLING_FUNCTIONS,
                               free=lambda name: sp.Symbol(name, real=True), what="a coupling")
    except ModelValueError as exc:
        raise FieldError(str(exc)) from None
    if not isinstance(expr, sp.Expr) or expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise FieldError(f"coupling {excerpt(src)} is not a finite expression")
    return expr


@dataclass(frozen=True)
class OneBody:
    """:math:`\\sum_s\\int\\hat\\psi_s^\\dagger\\hat h_s\\hat\\psi_s`; ``parts`` splits h (e.g. ``("T", "V")``)."""

    parts: tuple[str, ...] = ("h",)

    def __post_init__(self) -> None:
        if not self.parts or len(set(self.parts)) != len(self.parts) or \
                not all(isinstance(p, str) and _SPECIES_RE.match(p) for p in self.parts):
            raise FieldError(f"one-body parts must be distinct names of letters and digits (got {self.parts!r})")


def _pair(w: tuple) -> tuple[str, bool]:
    """A field given as ``(species, creates)``: a species name and a bool."""
    if len(w) != 2 or not isinstance(w[1], bool) or not (isinstance(w[0], str) and _SPECIES_RE.match(w[0])):
        raise FieldError(f"malformed field {w!r} in word (a pair is (species, True to create / False to "
                         "annihilate); or write `s+`, `s`)")
    return w


@dataclass(frozen=True)
class Local:
    """``coupling`` times a product of fields at one point, in the written order.

    ``word`` holds strings (``"up+"`` creates, ``"up"`` annihilates) or
    ``(species, creates)`` pairs; it is stored as pairs.
    """

    coupling: sp.Expr
    word: tuple[tuple[str, bool], ...]

    def __post_init__(self) -> None:
        if isinstance(self.word, str) or not isinstance(self.word, Sequence) or len(self.word) == 0:
            raise FieldError(f"word must be a non-empty list of fields like [\"up+\", \"up\"] (got {self.word!r})")
        word = tuple(_pair(w) if isinstance(w, tuple) else parse_field(w) for w in self.word)
        object.__setattr__(self, "word", word)
        object.__setattr__(self, "coupling", parse_coupling(self.coupling) if isinstance(self.coupling, (str, int, float))
                           else sp.sympify(self.coupling))

    @property
    def written(self) -> list[str]:
        return [s + ("+" if c else "") for s, c in self.word]


@dataclass(frozen=True)
class FieldModel:
    """Species (all fermions or all bosons) and the terms of the Hamiltonian density.

    Parameters
    ----------
    statistics : {"fermion", "boson"}
    species : tuple of str
        Names of letters and digits; their order is the canonical order.
    terms : tuple of OneBody and Local
    """

    statistics: str
    species: tuple[str, ...]
    terms: tuple = field(default=())

    def __post_init__(self) -> None:
        if self.statistics not in STATISTICS:
            raise FieldError(f"statistics must be \"fermion\" or \"boson\" (got {self.statistics!r})")
        species = tuple(self.species) if isinstance(self.species, (list, tuple)) else None
        if not species or not all(isinstance(s, str) and _SPECIES_RE.match(s) for s in species) \
                or len(set(species)) != len(species):
            raise FieldError("species must be a non-empty list of distinct names of letters and digits "
                             f"(got {self.species!r})")
        object.__setattr__(self, "species", species)
        object.__setattr__(self, "terms", tuple(self.terms))
        reserved = {str(overlap_symbol(s)) for s in species} | {str(coincidence_symbol(s, i))
                                                                 for s in species for i in SIDES}
        for n, term in enumerate(self.terms, 1):
            if isinstance(term, OneBody):
                continue
            if not isinstance(term, Local):
                raise FieldError(f"term {n}: not a one-body or local term ({term!r})")
            bad = [s for s, _ in term.word if s not in species]
            if bad:
                raise FieldError(f"term {n} (local): unknown species {bad[0]!r} in word {term.written} "
                                 f"(species are {', '.join(species)}; `s+` creates, `s` annihilates)")
            clash = sorted(str(x) for x in term.coupling.free_symbols if str(x) in reserved)
            if clash:
                raise FieldError(f"term {n} (local): coupling name {clash[0]} is reserved for a contraction "
                                 f"(reserved: K_s, delta_s_L, delta_s_R)")

    @property
    def sign(self) -> int:
        return -1 if self.statistics == "fermion" else 1


# ----------------------------------------------------------------------------- symbols and algebra

def overlap_symbol(s: str) -> sp.Symbol:
    """:math:`K_s = [\\hat\\psi_{s,L}, \\hat\\psi^\\dagger_{s,R}]_\\mp` at coincident points (complex)."""
    return sp.Symbol(f"K_{s}")


def coincidence_symbol(s: str, side: str) -> sp.Symbol:
    """:math:`\\delta_{s,i} = [\\hat\\psi_{s,i}, \\hat\\psi^\\dagger_{s,i}]_\\mp` at coincident points."""
    return sp.Symbol(f"delta_{s}_{side}", positive=True)


def _contraction(overlap: str):
    def contraction(x: tuple, y: tuple) -> sp.Basic:
        if len(x) != 2 or len(y) != 2:  # (h psi) is only ever written normal-ordered
            raise ValueError(f"unexpected reordering of {x} past {y}")
        (s1, i1), (s2, i2) = x, y
        if s1 != s2:
            return sp.Integer(0)
        if i1 == i2:
            return coincidence_symbol(s1, i1)
        if overlap == "zero":
            return sp.Integer(0)
        return overlap_symbol(s1) if i1 == "L" else sp.conjugate(overlap_symbol(s1))
    return contraction


def canonical_key(species: Sequence[str]):
    """Sort key of the spec: creators by (species, L before R), annihilators the opposite way."""
    index = {s: k for k, s in enumerate(species)}

    def key(op: Ladder) -> tuple:
        lab = op.label
        part = lab[0] if len(lab) == 3 else ""
        s, side = index[lab[-2]], SIDES.index(lab[-1])
        return (0, s, side, part) if op.dagger else (1, -s, -side, part)
    return key


def algebra(model: FieldModel, overlap: Literal["zero", "K"] = "zero") -> Algebra:
    """The ladder algebra of the split fields of ``model`` in the canonical order of the spec."""
    if overlap not in ("zero", "K"):
        raise FieldError(f"overlap must be 'zero' or 'K' (got {overlap!r})")
    return Algebra(STATISTICS[model.statistics], _contraction(overlap), key=canonical_key(model.species))


def unsplit_element(model: FieldModel, alg: Algebra) -> Element:
    """Every term with :math:`\\psi_s\\to\\psi_{s,L}+\\psi_{s,R}` substituted, in the written order."""
    parts = []
    for term in model.terms:
        if isinstance(term, OneBody):
            parts += [alg.mul(alg.creator((s, i)), alg.annihilator((p, s, j)))
                      for s in model.species for p in term.parts for i in SIDES for j in SIDES]
        else:
            factors = [alg.add(*((alg.creator if c else alg.annihilator)((s, i)) for i in SIDES))
                       for s, c in term.word]
            parts.append(alg.scale(alg.mul(*factors), term.coupling))
    return alg.add(*parts)


# ----------------------------------------------------------------------------- classes

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


def classify(word: Sequence[Ladder], species: Sequence[str]) -> str:
    """The class of a word: the table of shared/spec/fields.md, from the transfer vector and the sides.

    .. math:: T = \\textstyle\\sum_s t_s:\\quad |T|=1\\ \\text{one-body / density-assisted},\\
              |T|=2\\ \\text{pair},\\ |T|\\ge3\\ \\text{multi-particle},\\ T=0\\ \\text{exchange / induced}

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
    """
    if not word:
        return "constant"
    sides = {op.label[-1] for op in word}
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


# ----------------------------------------------------------------------------- display

def species_latex(s: str) -> str:
    """LaTeX of a species name: arrows for up/dn, Greek letters, otherwise the name."""
    if s in _ARROWS:
        return _ARROWS[s]
    if s in _GREEK:
        return "\\" + s
    return s if len(s) == 1 or s.isdigit() else rf"\mathrm{{{s}}}"


def op_latex(op: Ladder) -> str:
    """``\\hat\\psi^{\\dagger}_{\\uparrow L}``; a one-body field is ``\\hat h_{\\uparrow}\\hat\\psi_{\\uparrow R}``."""
    lab = op.label
    s, i = species_latex(lab[-2]), lab[-1]
    core = rf"\hat\psi^{{\dagger}}_{{{s} {i}}}" if op.dagger else rf"\hat\psi_{{{s} {i}}}"
    if len(lab) == 3:
        part = lab[0] if len(lab[0]) == 1 else rf"\mathrm{{{lab[0]}}}"
        core = rf"\hat {part}_{{{s}}}" + core
    return core


def op_name(op: Ladder) -> str:
    """``up_L+``, ``dn_R``; a one-body field is ``h up_R`` (h applied to up_R)."""
    lab = op.label
    core = f"{lab[-2]}_{lab[-1]}" + ("+" if op.dagger else "")
    return f"{lab[0]} {core}" if len(lab) == 3 else core


def to_sympy(el: Element) -> sp.Basic:
    """A SymPy expression with non-commutative symbols (for LaTeX / srepr output only)."""
    return sp.Add(*[sp.sympify(c) * sp.Mul(*[sp.Symbol(op_latex(op), commutative=False) for op in w])
                    for w, c in el.items()])


def term_latex(coefficient: sp.Basic, word: Sequence[Ladder]) -> str:
    """``g\\,\\hat\\psi^{\\dagger}...``: the coefficient (bracketed if a sum) times the operator."""
    ops = "".join(op_latex(op) for op in word)
    c = sp.sympify(coefficient)
    if not ops:
        return sp.latex(c)
    if c == 1:
        return ops
    if c == -1:
        return "-" + ops
    text = sp.latex(c)
    return (rf"\left({text}\right)" if isinstance(c, sp.Add) else text) + r"\," + ops


# ----------------------------------------------------------------------------- the split

@dataclass(frozen=True)
class Term:
    """One collected term: class, transfer, coefficient and operator (canonical order)."""

    cls: str
    transfer: dict
    coefficient: sp.Expr
    operator: tuple

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(op_name(op) for op in self.operator)

    @property
    def latex(self) -> str:
        return term_latex(self.coefficient, self.operator)

    def as_json(self) -> dict:
        """The spec's JSON object of the term."""
        return {"class": self.cls, "transfer": dict(self.transfer), "coefficient": str(self.coefficient),
                "operator": list(self.fields), "latex": self.latex}


@dataclass(frozen=True)
class Split:
    """The split Hamiltonian: ``hamiltonian`` (word -> coefficient) and its classified ``terms``."""

    model: FieldModel
    overlap: str
    hamiltonian: Element
    terms: tuple[Term, ...]

    @property
    def summary(self) -> dict[str, int]:
        """Number of terms per class (classes present, in the order of the spec's table)."""
        counts = {c: sum(1 for t in self.terms if t.cls == c) for c in CLASSES}
        return {c: n for c, n in counts.items() if n}

    def terms_of(self, cls: str) -> list[Term]:
        return [t for t in self.terms if t.cls == cls]

    def classes(self) -> dict[str, Element]:
        """Class -> the element holding its words."""
        out: dict[str, Element] = {}
        for t in self.terms:
            out.setdefault(t.cls, {})[t.operator] = t.coefficient
        return out

    def as_json(self) -> dict:
        return {"terms": [t.as_json() for t in self.terms], "summary": self.summary}

    def latex(self) -> str:
        """The split Hamiltonian density, one class per line (an ``aligned`` block)."""
        rows = []
        for c in CLASSES:
            ts = self.terms_of(c)
            if ts:
                body = " + ".join(t.latex for t in ts).replace("+ -", "- ")
                rows.append(rf"&\text{{{c}:}}\quad {body}")
        return r"\begin{aligned}" + r"\\ ".join(rows) + r"\end{aligned}"

    def _repr_latex_(self) -> str:
        return "$" + self.latex() + "$"

    @cached_property
    def algebra(self) -> Algebra:
        return algebra(self.model, self.overlap)  # type: ignore[arg-type]


def split(model: FieldModel, *, overlap: Literal["zero", "K"] = "zero") -> Split:
    """Substitute :math:`\\psi_s=\\psi_{s,L}+\\psi_{s,R}`, normal-order, collect and classify.

    Parameters
    ----------
    model : FieldModel
        Species and terms.
    overlap : {"zero", "K"}
        ``"zero"``: :math:`[\\psi_{s,L},\\psi^\\dagger_{s,R}]_\\mp=0`; ``"K"``: the symbol ``K_s``.

    Returns
    -------
    Split
        Terms in the order of the class table, then by length and canonical order.
    """
    alg = algebra(model, overlap)
    H = alg.normal_order(unsplit_element(model, alg))
    key = alg.key
    terms = [Term(classify(w, model.species), transfer(w, model.species), c, w) for w, c in H.items()]
    terms.sort(key=lambda t: (CLASSES.index(t.cls), len(t.operator), [key(op) for op in t.operator]))
    return Split(model, overlap, H, tuple(terms))


def current_operators(result: Split) -> dict[str, Element]:
    """:math:`I_s = i[N_{s,L}, H]` per species, the total and the differences :math:`I_a - I_b`.

    Parameters
    ----------
    result : Split
        A split with ``overlap="zero"``.

    .. math::

        [N_{s,L}, w] = t_s(w)\\,w \\quad\\Rightarrow\\quad I_s = i\\sum_w t_s(w)\\,c_w\\,w,

    since every field of side L carries charge one under :math:`N_{s,L}` (this
    needs the orthogonal split: with :math:`K_s\\neq0`, :math:`[N_{s,L},\\psi_{s,R}]\\neq0`).

    Returns
    -------
    dict
        ``"I_<s>"`` for each species, ``"I_total"``, and ``"I_<a>-I_<b>"`` for every pair a before b.
    """
    if result.overlap != "zero":
        raise FieldError("current operators need the orthogonal split (overlap zero): with K_s != 0 "
                         "the number N_{s,L} does not commute with psi_{s,R}")
    species = result.model.species
    out: dict[str, Element] = {}
    for s in species:
        out[f"I_{s}"] = {w: sp.I * n * c for w, c in result.hamiltonian.items()
                         if (n := transfer(w, species)[s])}
    out["I_total"] = result.algebra.add(*(out[f"I_{s}"] for s in species))
    for a, b in combinations(species, 2):
        out[f"I_{a}-I_{b}"] = result.algebra.add(out[f"I_{a}"], result.algebra.scale(out[f"I_{b}"], -1))
    return out
