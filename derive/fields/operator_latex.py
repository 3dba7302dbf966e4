r"""Operator LaTeX as papers print it, read into the word algebra of the split fields.

A small strict reader for the operator expressions of papers on split field
Hamiltonians.  It knows

* fields ``\hat\psi^\dagger_{\uparrow L}(\mathbf r)``, ``\hat\psi_{\sigma,i}`` (species and side in the
  subscript, in any order, separated by spaces or commas; species by the LaTeX the caller gives for
  each, sides ``L``/``R``);
* one-body operators ``\hat h_\sigma``, ``\hat V_\sigma`` (any ``\hat X_s`` with one letter X other than
  the names below) acting on the field to their right: ``\hat\psi^\dagger\hat h\hat\psi`` is the split's
  ``psi^+ (h psi)``;
* densities ``\hat n_{s,i}``, ``\hat N_{s,i}`` = psi^+ psi; pairs ``\hat P^\dagger_i`` = psi^+_{s1,i}
  psi^+_{s2,i}, ``\hat P_i`` its adjoint; spin operators ``\hat S^+_i`` = psi^+_{s1,i} psi_{s2,i},
  ``\hat S^-_i`` = psi^+_{s2,i} psi_{s1,i} (s1, s2 the first two species);
* named operators ``\hat H_{...}`` (looked up in the caller's definitions);
* ``\int d^3r`` (dropped: every word is a local density), ``(\mathbf r)`` (dropped), sums
  ``\sum_\sigma``, ``\sum_i``, ``\sum_{\sigma,i}`` (expanded over the species / sides, scope: the rest of
  the product), ``\bar\sigma`` (the other of two species), ``\eta_\sigma`` (+1 for the first species,
  -1 for the second), ``+ \mathrm{h.c.}`` (the adjoint of the terms before it in its bracket);
* coefficients: numbers, ``\frac{..}{..}``, ``i`` (imaginary unit) and the caller's symbols.

Anything else raises :class:`OperatorLatexError` with the character position.
:func:`read_operator_equation` returns the left-hand side's name, the right-hand side as an
element and its top-level summands with their text spans (for the small-edit search).

>>> import sympy as sp
>>> from derive.fields.field_split import FieldModel, algebra
>>> alg = algebra(FieldModel("fermion", ("up", "dn")))
>>> g = sp.Symbol("g", real=True)
>>> eq = read_operator_equation(r"\hat H_{\rm pair}=g\int d^3r\left[\hat P_L^\dagger\hat P_R+\mathrm{h.c.}\right]",
...                             alg, species={"up": r"\uparrow", "dn": r"\downarrow"}, symbols={g: "g"})
>>> eq.name, len(eq.rhs)
('pair', 2)
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import sympy as sp

from derive.fields.field_algebra import Algebra, Element, Ladder

__all__ = ["OperatorLatexError", "OperatorEquation", "read_operator_equation", "name_key", "merge_one_body"]

_DROP = [r"\\left(?![A-Za-z])", r"\\right(?![A-Za-z])", r"\\[,;!:]", r"\\quad", r"\\qquad",
         r"\\int\s*d\^\{?3\}?\s*(?:\\mathbf\s*\{?r\}?|r)", r"\(\s*\\mathbf\s*\{?r\}?\s*\)",
         r"\\big|\\Big|\\bigg|\\Bigg"]
_HC = r"(?:\\mathrm\s*\{\s*h\.\s*c\.\s*\}|\{\s*\\rm\s+h\.\s*c\.\s*\}|\\text\s*\{\s*h\.\s*c\.\s*\}|\\rm\s+h\.\s*c\.)"
_TOKEN = re.compile(r"(?P<hc>\x00+)|(?P<cmd>\\[A-Za-z]+)|(?P<num>\d+(?:\.\d+)?)|(?P<ch>[A-Za-z]|[{}()\[\]^_+\-=,.*/])|(?P<sp>\s+)")
_NAMES = {"H"}  # \hat H_{...}: a named operator
_FIELD_OPS = {r"\psi", "S", "n", "N", "P"}


class OperatorLatexError(ValueError):
    """Operator LaTeX that cannot be read; ``position`` is the character offset in the text."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} at character {position}")
        self.position = position


@dataclass
class OperatorEquation:
    """``name`` (the left-hand side's subscript, normalised; '' without one), ``rhs`` the element,
    ``summands`` the top-level terms as (start, end, sign, element), ``lhs_text`` and ``rhs_start``."""

    name: str
    rhs: Element
    summands: list = field(default_factory=list)
    lhs_text: str = ""
    rhs_start: int = 0
    per_side: dict = field(default_factory=dict)  # lhs written H_{i=L,R}: side -> its right-hand side


def name_key(latex: str) -> str:
    r"""``{\rm pair}`` -> ``pair``, ``{\rm ind.}`` -> ``ind``, ``{1t}`` -> ``1t`` (a name's subscript, normalised)."""
    text = re.sub(r"\\(?:rm|mathrm|text|mathit)\b", "", latex)
    return re.sub(r"[{}\s.~]", "", text)


def _blank(text: str) -> str:
    """Dropped commands replaced by spaces and h.c. by NULs of the same length (positions stay those of the text)."""
    for pat in _DROP:
        text = re.sub(pat, lambda m: " " * len(m.group()), text)
    return re.sub(_HC, lambda m: "\x00" * len(m.group()), text)


class _Reader:
    def __init__(self, text: str, alg: Algebra, species: Mapping[str, str], symbols: Mapping[sp.Symbol, str],
                 names: Mapping[str, Element]) -> None:
        self.text, self.alg, self.names = text, alg, names
        self.species = list(species)
        self.species_latex = {" ".join(v.split()): s for s, v in species.items()}
        self.species_latex.update({s: s for s in species})
        self.symbols = {" ".join(v.split()): k for k, v in symbols.items()}
        self.toks: list[tuple[str, str, int]] = []
        for m in _TOKEN.finditer(_blank(text)):
            kind = m.lastgroup
            if kind != "sp":
                self.toks.append((kind, m.group(), m.start()))
        self.pos = 0
        self.bound: dict[str, str] = {}
        consumed = sum(len(m.group()) for m in _TOKEN.finditer(_blank(text)))
        if consumed != len(text):
            bad = next(i for i, c in enumerate(_blank(text)) if not _TOKEN.match(_blank(text), i))
            raise OperatorLatexError(f"unexpected character {text[bad]!r}", bad)

    # ------------------------------------------------------------------ tokens
    def peek(self, k: int = 0) -> tuple[str, str, int]:
        i = self.pos + k
        return self.toks[i] if i < len(self.toks) else ("end", "", len(self.text))

    def take(self, value: str | None = None) -> tuple[str, str, int]:
        tok = self.peek()
        if value is not None and tok[1] != value:
            raise OperatorLatexError(f"expected {value!r}, found {tok[1] or 'the end'!r}", tok[2])
        self.pos += 1
        return tok

    def group_text(self) -> tuple[str, int]:
        """A script argument: one token, or a braced group as its raw text."""
        kind, val, at = self.take()
        if val != "{":
            if val == "\\bar":
                nk, nv, _ = self.take()
                return "\\bar " + nv, at
            return val, at
        depth, start = 1, self.pos
        while depth:
            k, v, _ = self.take()
            if k == "end":
                raise OperatorLatexError("unclosed '{'", at)
            depth += (v == "{") - (v == "}")
        return self.text[self.toks[start][2]:self.toks[self.pos - 1][2]] if self.pos - 1 > start else "", at

    def scripts(self) -> tuple[str | None, str | None, int]:
        sup = sub = None
        at = self.peek()[2]
        while self.peek()[1] in ("^", "_"):
            which = self.take()[1]
            text, at = self.group_text()
            if which == "^":
                sup = text
            else:
                sub = text
        return sup, sub, at

    # ------------------------------------------------------------------ labels
    def labels(self, sub: str | None, at: int) -> tuple[str | None, str | None]:
        """(species, side) of a subscript; either may be None when absent."""
        if sub is None:
            return None, None
        species = side = None
        parts = [p for p in re.split(r"[\s,]+|(?<=[A-Za-z}])(?=\\)", sub.strip()) if p]
        i = 0
        while i < len(parts):
            p = parts[i]
            if p in (r"\bar",) and i + 1 < len(parts):
                p, i = r"\bar " + parts[i + 1], i + 1
            if p.startswith(r"\bar "):
                base = self.bound.get(p[5:].strip())
                if base is None or len(self.species) != 2 or base not in self.species:
                    raise OperatorLatexError(f"\\bar needs a bound species index of two species ({sub!r})", at)
                species = self.species[1 - self.species.index(base)]
            elif p in self.bound:
                value = self.bound[p]
                if value in ("L", "R"):
                    side = value
                else:
                    species = value
            elif p in ("L", "R"):
                side = p
            elif p in self.species_latex:
                species = self.species_latex[p]
            elif p.startswith("i=") or p.startswith("i ="):
                side = "*"
            else:
                raise OperatorLatexError(f"subscript {sub!r}: {p!r} is not a species, a side L/R or a summed "
                                         "index", at)
            i += 1
        return species, side

    # ------------------------------------------------------------------ grammar
    def expression(self, stop: Sequence[str] = ()) -> tuple[Element, list]:
        total: Element = {}
        summands = []
        sign = 1
        first = True
        while True:
            kind, val, at = self.peek()
            if kind == "end" or val in stop:
                return total, summands
            if val in ("+", "-"):
                sign = 1 if self.take()[1] == "+" else -1
                kind, val, at = self.peek()
            elif not first:
                raise OperatorLatexError(f"expected + or - before {val!r}", at)
            first = False
            if kind == "hc":
                self.take()
                total = self.alg.add(total, self.alg.scale(hermitian_adjoint(self.alg, total), sign))
                summands.append((at, self.peek()[2], sign, None))
                continue
            start = at
            term = self.product(stop)
            summands.append((start, self.peek()[2], sign, term))
            total = self.alg.add(total, self.alg.scale(term, sign))
            sign = 1

    def product(self, stop: Sequence[str]) -> Element:
        out: Element = {(): sp.Integer(1)}
        while True:
            kind, val, at = self.peek()
            if kind in ("end", "hc") or val in ("+", "-", "=") or val in stop:
                if out == {(): sp.Integer(1)} and val not in stop and kind != "hc":
                    raise OperatorLatexError("expected a term", at)
                return out
            if val == r"\sum":
                self.take()
                sup, sub, at2 = self.scripts()
                if sub is None:
                    raise OperatorLatexError(r"\sum needs an index such as \sum_\sigma or \sum_{\sigma,i}", at)
                indices = [p for p in re.split(r"[\s,]+", sub.strip()) if p]
                return self.alg.mul(out, self._summed(indices, stop, at2))
            out = self.alg.mul(out, self.factor(stop))

    def _summed(self, indices: list, stop: Sequence[str], at: int) -> Element:
        if not indices:
            return self.product(stop)
        index, rest = indices[0], indices[1:]
        values = ["L", "R"] if index == "i" else self.species
        start, parts = self.pos, []
        for v in values:
            self.pos = start
            self.bound[index] = v
            parts.append(self._summed(rest, stop, at))
        del self.bound[index]
        return self.alg.add(*parts)

    def factor(self, stop: Sequence[str]) -> Element:
        kind, val, at = self.take()
        if kind == "num":
            return {(): sp.Rational(val)}
        if val in ("(", "[", "{"):
            close = {"(": ")", "[": "]", "{": "}"}[val]
            inner, _ = self.expression(stop=(close,))
            self.take(close)
            return inner
        if val == r"\frac":
            num, _ = self._braced()
            den, _ = self._braced()
            if set(den) != {()}:
                raise OperatorLatexError("a denominator must be a number or a coefficient", at)
            return self.alg.scale(num, 1 / den[()])
        if val == r"\hat":
            return self.operator(at)
        if val == r"\eta":
            _, sub, _ = self.scripts()
            s, _ = self.labels(sub, at)
            if s is None or len(self.species) != 2:
                raise OperatorLatexError(r"\eta_s needs a species of two", at)
            return {(): sp.Integer(1 if s == self.species[0] else -1)}
        # a coefficient: the longest run of tokens that is a declared symbol's LaTeX
        for n in range(min(6, len(self.toks) - self.pos + 1), 0, -1):
            run = self.toks[self.pos - 1:self.pos - 1 + n]
            text = " ".join(self.text[t[2]:t[2] + len(t[1])] for t in run)
            joined = re.sub(r"\s+", " ", text)
            for cand in (joined, joined.replace(" ", "")):
                if cand in self.symbols:
                    self.pos += n - 1
                    return {(): self.symbols[cand]}
        if val == "i":
            return {(): sp.I}
        raise OperatorLatexError(f"{val!r} is not an operator, a number or a declared symbol", at)

    def _braced(self) -> tuple[Element, int]:
        at = self.take("{")[2]
        inner, _ = self.expression(stop=("}",))
        self.take("}")
        return inner, at

    def operator(self, at: int) -> Element:
        kind, val, _ = self.take()
        if val == "{":  # \hat{\psi}
            kind, val, _ = self.take()
            self.take("}")
        sup, sub, at2 = self.scripts()
        dagger = sup is not None and ("dagger" in sup or sup.strip() == "+" and val != "S")
        alg = self.alg
        if val in _NAMES:
            key = name_key(sub or "")
            if key not in self.names:
                raise OperatorLatexError(f"operator \\hat H_{{{sub}}} is not defined by another equation", at)
            return self.names[key]
        s, side = self.labels(sub, at2)
        if val == r"\psi":
            if s is None or side is None:
                raise OperatorLatexError(f"field {self.text[at:at2 + 1]!r} needs a species and a side", at)
            return alg.creator((s, side)) if dagger else alg.annihilator((s, side))
        if val in ("n", "N"):
            if s is None or side is None:
                raise OperatorLatexError("a density needs a species and a side", at)
            return alg.mul(alg.creator((s, side)), alg.annihilator((s, side)))
        if val in ("S", "P"):
            if side is None or len(self.species) < 2:
                raise OperatorLatexError(f"\\hat {val} needs a side and two species", at)
            a, b = self.species[:2]
            if val == "P":
                pair = alg.mul(alg.creator((a, side)), alg.creator((b, side)))
                return pair if dagger else hermitian_adjoint(alg, pair)
            if sup is None or sup.strip() not in ("+", "-"):
                raise OperatorLatexError("a spin operator is \\hat S^+ or \\hat S^-", at)
            up, dn = (a, b) if sup.strip() == "+" else (b, a)
            return alg.mul(alg.creator((up, side)), alg.annihilator((dn, side)))
        if kind == "ch" and val.isalpha():  # a one-body operator acting on the field to its right
            if s is None or side not in (None,):
                raise OperatorLatexError(f"one-body operator \\hat {val} needs a species (and no side)", at)
            return {(Ladder((val, s, "*"), False),): sp.Integer(1)}
        raise OperatorLatexError(f"unknown operator \\hat {val}", at)


def hermitian_adjoint(alg: Algebra, el: Element) -> Element:
    """The adjoint, one-body operators (``(part, s, "*")`` markers) taken Hermitian."""
    out = alg.adjoint(el)
    return {tuple(Ladder(op.label, False) if op.label[-1] == "*" else op for op in w): c for w, c in out.items()}


def merge_one_body(el: Element) -> Element:
    """A one-body marker followed by an annihilator of its species becomes the split's ``(part, s, side)``."""
    out: Element = {}
    for w, c in el.items():
        word, i = [], 0
        while i < len(w):
            op = w[i]
            if op.label[-1] == "*":
                nxt = w[i + 1] if i + 1 < len(w) else None
                if nxt is None or nxt.dagger or nxt.label[0] != op.label[1] or len(nxt.label) != 2:
                    raise OperatorLatexError(f"one-body operator {op.label[0]}_{op.label[1]} must act on a field "
                                             "of its species (write \\hat\\psi^\\dagger \\hat h \\hat\\psi)", 0)
                word.append(Ladder((op.label[0], op.label[1], nxt.label[1]), False))
                i += 2
                continue
            word.append(op)
            i += 1
        out[tuple(word)] = out.get(tuple(word), 0) + c
    return {w: c for w, c in out.items() if c != 0}


def read_operator_equation(text: str, alg: Algebra, *, species: Mapping[str, str],
                           symbols: Mapping[sp.Symbol, str], names: Mapping[str, Element] | None = None
                           ) -> OperatorEquation:
    """Read ``lhs = rhs`` (or a bare ``rhs``) of operator LaTeX.

    Parameters
    ----------
    text : str
        The printed LaTeX.
    alg : derive.fields.field_algebra.Algebra
        The split's algebra (labels ``(species, side)``).
    species : mapping
        Species name -> its LaTeX (``{"up": "\\uparrow"}``); the name itself is also accepted.
    symbols : mapping
        SymPy symbol -> LaTeX of the coefficients.
    names : mapping, optional
        Normalised subscript -> element, for ``\\hat H_{...}`` on the right-hand side.

    Returns
    -------
    OperatorEquation
        The right-hand side with one-body operators merged (not yet normal-ordered).
    """
    r = _Reader(text, alg, species, symbols, names or {})
    name, lhs_text, sides = "", "", ()
    depth, eq = 0, None
    for k, t in enumerate(r.toks):  # the first '=' outside braces (H_{i=L,R} has one inside)
        depth += (t[1] == "{") - (t[1] == "}")
        if t[1] == "=" and depth == 0:
            eq = k
            break
    if eq is not None:
        lhs = r.toks[:eq]
        lhs_text = text[:r.toks[eq][2]].strip()
        if len(lhs) >= 2 and lhs[0][1] == r"\hat" and lhs[1][1] == "H":  # a name other equations may use
            m = re.search(r"_\s*\{(.*)\}\s*$|_\s*(\S+)\s*$", lhs_text)
            sub = (m.group(1) or m.group(2)) if m else ""
            if re.search(r"i\s*=\s*L\s*,\s*R", sub):
                sides = ("L", "R")
            name = name_key(sub)
        r.pos = eq + 1
    start = r.peek()[2]
    per_side = {}
    if sides:
        summands = []
        for side in sides:
            r.pos, r.bound["i"] = eq + 1, side
            el, summands = r.expression()
            per_side[side] = merge_one_body(el)
        rhs = alg.add(*per_side.values())
        summands = []  # no small edits of an equation written for each side
    else:
        rhs, summands = r.expression()
    if r.peek()[0] != "end":
        raise OperatorLatexError(f"unexpected {r.peek()[1]!r}", r.peek()[2])
    summands = [(a, b, s, merge_one_body(e) if e is not None else None) for a, b, s, e in summands]
    return OperatorEquation(name, merge_one_body(rhs), summands, lhs_text, start, per_side)
