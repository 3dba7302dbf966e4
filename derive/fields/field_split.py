"""Split any local field Hamiltonian into tunneling terms (format: docs/field-files.md).

A :class:`FieldModel` lists species (fermions, bosons or a mixture of both) and terms: the
one-body term :math:`\\sum_s\\int\\hat\\psi_s^\\dagger\\hat h_s\\hat\\psi_s` and
local words :math:`c\\int\\hat\\phi_1\\cdots\\hat\\phi_n` in the written order.
:func:`split` substitutes

.. math::

    \\hat\\psi_s = \\hat\\psi_{s,L} + \\hat\\psi_{s,R}

into every field, normal-orders with :mod:`derive.fields.field_algebra` (one point, so
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
only for words not written normal-ordered.  Different species anticommute when
both are fermions and commute otherwise (a Bose-Fermi mixture).
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
from derive.fields.field_algebra import Algebra, Element, Ladder
from derive.fields.field_work import check_split_work, placeholders, with_couplings
from derive.fields.field_classes import (CLASSES, CONSERVING, NON_CONSERVING, classify, number_change, one_side,
                                  transfer)
from derive.models.model_values import ModelValueError, excerpt, read_expression

__all__ = ["FieldError", "OneBody", "Local", "FieldModel", "Term", "Split", "split", "classify", "transfer",
           "number_change", "one_side", "CONSERVING", "NON_CONSERVING",
           "current_operators", "overlap_symbol", "coincidence_symbol", "to_sympy", "op_latex", "CLASSES",
           "parse_field", "parse_coupling", "species_latex"]

SIDES = ("L", "R")
STATISTICS = {"fermion": "fermi", "boson": "bose"}
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

    Read by :func:`derive.models.model_values.read_expression`: nothing is evaluated as Python, and its bounds
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
    derive.fields.field_split.FieldError: the boolean operator 'and' is not allowed in a coupling 'g and 0' (allowed: numbers, + - * / ** ^, names, sqrt exp log sin cos, pi I E)
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
        c = self.coupling
        if isinstance(c, sp.Expr):
            coupling = c
        elif isinstance(c, (str, int, float)) and not isinstance(c, bool):
            coupling = parse_coupling(c)
        else:  # a TOML list, table, date or boolean: never handed to SymPy
            raise FieldError(f"coupling must be a string (a SymPy expression such as \"U/2\") or a number "
                             f"(got {_toml_type(c)}: {_excerpt(c)})")
        object.__setattr__(self, "coupling", coupling)

    @property
    def written(self) -> list[str]:
        return [s + ("+" if c else "") for s, c in self.word]


def _statistics_problem(statistics: object, species: tuple) -> str | None:
    """Why ``statistics`` is not one statistics for all species nor a table of one per species, or None."""
    allowed = ('statistics must be "fermion", "boson" or a table with one of them per species, such as '
               f'{{ {species[0]} = "boson" }}')
    if isinstance(statistics, str):
        return None if statistics in STATISTICS else f"{allowed} (got {_excerpt(statistics)})"
    if isinstance(statistics, tuple) and all(isinstance(p, tuple) and len(p) == 2 for p in statistics):
        statistics = dict(statistics)
    if not isinstance(statistics, dict):
        return f"{allowed} (got {_toml_type(statistics)}: {_excerpt(statistics)})"
    missing = [s for s in species if s not in statistics]
    extra = sorted(str(k) for k in statistics if k not in species)
    if extra:
        return f"{allowed}: {_excerpt(extra[0])} is not a species (species are {', '.join(species)})"
    if missing:
        return f"{allowed}: no statistics for species {missing[0]!r}"
    bad = next((k for k, v in statistics.items() if not (isinstance(v, str) and v in STATISTICS)), None)
    if bad is not None:
        return f"{allowed}: statistics.{bad} is {_excerpt(statistics[bad])}"
    return None


def _toml_type(value: object) -> str:
    """What a TOML value is, in TOML's words (an array, a table, a date, a boolean, ...)."""
    if isinstance(value, bool):
        return "a boolean"
    for kinds, name in (((list, tuple), "an array"), (dict, "a table"), (int, "an integer"), (float, "a float"),
                        (str, "a string")):
        if isinstance(value, kinds):
            return name
    if hasattr(value, "isoformat"):
        return "a date or time"
    return f"a {type(value).__name__}"


def _excerpt(value: object, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters (an error line quotes at most this much of an input)."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit - 20]}...{text[-12:]} ({len(text)} characters)"


@dataclass(frozen=True)
class FieldModel:
    """Species (fermions, bosons or a mixture) and the terms of the Hamiltonian density.

    Parameters
    ----------
    statistics : {"fermion", "boson"} or dict
        One statistics for every species, or a table species -> ``"fermion"`` / ``"boson"``
        (a mixture: fermions anticommute among themselves and commute with bosons).  A table
        is stored as ``(species, statistics)`` pairs in species order.
    species : tuple of str
        Names of letters and digits; their order is the canonical order.
    terms : tuple of OneBody and Local

    Examples
    --------
    >>> FieldModel({"f": "fermion", "b": "boson"}, ("b", "f")).kinds
    {'b': 'boson', 'f': 'fermion'}
    """

    statistics: object
    species: tuple[str, ...]
    terms: tuple = field(default=())

    def __post_init__(self) -> None:
        species = tuple(self.species) if isinstance(self.species, (list, tuple)) else None
        if not species or not all(isinstance(s, str) and _SPECIES_RE.match(s) for s in species) \
                or len(set(species)) != len(species):
            raise FieldError("species must be a non-empty list of distinct names of letters and digits "
                             f"(got {_excerpt(self.species)})")
        if why := _statistics_problem(self.statistics, species):
            raise FieldError(why)
        if not isinstance(self.statistics, str):
            table = dict(self.statistics)
            object.__setattr__(self, "statistics", tuple((s, table[s]) for s in species))
        object.__setattr__(self, "species", species)
        object.__setattr__(self, "terms", tuple(self.terms))
        reserved = {str(overlap_symbol(s)) for s in species} | {str(coincidence_symbol(s, i))
                                                                 for s in species for i in SIDES}
        for n, term in enumerate(self.terms, 1):
            if isinstance(term, OneBody):
                continue
            if not isinstance(term, Local):
                raise FieldError(f"term {n}: not a one-body or local term ({_excerpt(term)})")
            bad = [s for s, _ in term.word if s not in species]
            if bad:
                raise FieldError(f"term {n} (local): unknown species {bad[0]!r} in word {term.written} "
                                 f"(species are {', '.join(species)}; `s+` creates, `s` annihilates)")
            clash = sorted(str(x) for x in term.coupling.free_symbols if str(x) in reserved)
            if clash:
                raise FieldError(f"term {n} (local): coupling name {clash[0]} is reserved for a contraction "
                                 f"(reserved: K_s, delta_s_L, delta_s_R)")

    def work_problem(self, overlap: str = "zero") -> str | None:
        """Why splitting this model would not end in seconds (:mod:`derive.fields.field_work`), or None."""
        words = []
        for n, term in enumerate(self.terms, 1):
            if isinstance(term, Local):
                words.append(term.word)
                if why := check_split_work(words, overlap=overlap):
                    return f"term {n} (local): {why}"
        return None

    @property
    def kinds(self) -> dict[str, str]:
        """Species -> ``"fermion"`` or ``"boson"``."""
        if isinstance(self.statistics, str):
            return {s: self.statistics for s in self.species}
        return dict(self.statistics)

    @property
    def mixture(self) -> bool:
        """Both fermions and bosons."""
        return len(set(self.kinds.values())) > 1

    @property
    def fermions(self) -> tuple[str, ...]:
        """The fermion species, in species order."""
        return tuple(s for s, k in self.kinds.items() if k == "fermion")

    @property
    def sign(self) -> int:
        """-1 for fermions, +1 for bosons (one statistics only; a mixture has a sign per pair)."""
        if self.mixture:
            raise FieldError("a mixture has no single exchange sign: -1 between two fermions, +1 otherwise")
        return -1 if self.kinds[self.species[0]] == "fermion" else 1


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
    kinds = set(model.kinds.values())
    if len(kinds) == 1:
        return Algebra(STATISTICS[kinds.pop()], _contraction(overlap), key=canonical_key(model.species))
    fermions = frozenset(model.fermions)
    return Algebra("mixed", _contraction(overlap), key=canonical_key(model.species),
                   fermionic=lambda label: label[-2] in fermions)


def unsplit_element(model: FieldModel, alg: Algebra, couplings: Sequence[sp.Basic] | None = None) -> Element:
    """Every term with :math:`\\psi_s\\to\\psi_{s,L}+\\psi_{s,R}` substituted, in the written order.

    ``couplings`` (one per term, optional) replaces the terms' couplings (placeholders).
    """
    parts = []
    for k, term in enumerate(model.terms):
        if isinstance(term, OneBody):
            parts += [alg.mul(alg.creator((s, i)), alg.annihilator((p, s, j)))
                      for s in model.species for p in term.parts for i in SIDES for j in SIDES]
        else:
            factors = [alg.add(*((alg.creator if c else alg.annihilator)((s, i)) for i in SIDES))
                       for s, c in term.word]
            parts.append(alg.scale(alg.mul(*factors), term.coupling if couplings is None else couplings[k]))
    return alg.add(*parts)


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
    if why := model.work_problem(overlap):
        raise FieldError(why)
    alg = algebra(model, overlap)
    couplings = [t.coupling if isinstance(t, Local) else sp.Integer(1) for t in model.terms]
    marks = placeholders(len(couplings))
    H = with_couplings(alg.normal_order(unsplit_element(model, alg, marks)), marks, couplings)
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
