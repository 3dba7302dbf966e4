r"""The likely misprint: the one small edit of a printed formula that makes it true.

Physicists' misprints are small: a sign, a factor 2 or 1/2, two symbols or lead labels
swapped, a power off by one, a conjugate or an ``i`` missing, :math:`\gamma` for
:math:`\gamma/2`, the other root, a term dropped.  :func:`find_misprint` tries these edits
**on the printed LaTeX itself** (so the corrected form keeps the author's notation and
length) and returns the first one under which the printed side equals the derived one.

How it stays cheap: each kind of edit is read **once**.  A *marker* symbol is put into the
LaTeX where the edit would act (a factor :math:`m_j` at the start of every term, a symbol
:math:`n_j` in place of every number, of every ``i``, of every occurrence of a declared
symbol, an added :math:`a_j` at the end of every bracket), the marked text is read with
:mod:`derive.latex.latex_reader` and compiled to an mpmath function of the symbols and the markers.
A candidate is then a choice of marker values (:math:`m_j = -1`: the sign of term j flipped;
:math:`n_j = 2n`: a factor 2; ...), evaluated at a few exact points (30 digits, stopping at the
first point where it fails).  Only a candidate that passes is written as LaTeX (the text with the
edit), read back and decided by the caller with the same exact machinery as the claim itself.

Bounds: at most ``max_candidates`` (:data:`MAX_CANDIDATES`) candidates, and the caller runs it
under a :func:`derive.claims.time_budget.time_budget`; the search stops at the first confirmed edit.

>>> import sympy as sp
>>> x, y = sp.symbols("x y", positive=True)
>>> pts = [{x: sp.Rational(1, 3), y: sp.Rational(5, 7)}, {x: sp.Rational(2, 5), y: sp.Rational(3, 11)}]
>>> want = [x**2 - y for _ in pts]
>>> m = find_misprint(r"f = x^2 + y", {x: "x", y: "y"}, points=pts,
...                   accept=lambda i, v: abs(v - value_at(x**2 - y, pts[i], 30)) < 1e-20,
...                   confirm=lambda text: True)
>>> m.corrected, m.edit
('f = x^2 - y', 'sign of the term + y: + -> -')
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Callable, Iterator, Mapping, Sequence

import mpmath
import sympy as sp

from derive.claims.claim_decision import value_at
from derive.latex.latex_layout import flatten_display, prime_runs
from derive.latex.latex_reader import LatexReadError, _raw_tokens, read_equation
from derive.claims.time_budget import BudgetExceeded

__all__ = ["Misprint", "find_misprint", "MAX_CANDIDATES", "EDIT_KINDS"]

#: candidates evaluated at most per printed side (each costs a few compiled evaluations: ~0.1 ms)
MAX_CANDIDATES = 4000
#: the kinds of edit, in the order they are tried (the most common misprints first)
EDIT_KINDS = ("sign", "number", "factor", "i", "label", "swap", "half", "symbol", "term")
_DPS = 30
_AGREE = mpmath.mpf(10) ** -20
_OPEN, _CLOSE = {"(": ")", "[": "]", "{": "}"}, {")", "]", "}"}
_SIZING = (r"\left", r"\right", r"\bigl", r"\bigr", r"\Bigl", r"\Bigr", r"\biggl", r"\biggr", r"\Biggl",
           r"\Biggr", r"\big", r"\Big", r"\bigg", r"\Bigg")


@dataclass(frozen=True)
class Misprint:
    """A confirmed small edit: ``corrected`` is the printed LaTeX with it (``rhs``: its right-hand side),
    ``edit`` says what changed, ``tried`` how many candidates were evaluated."""

    corrected: str
    edit: str
    tried: int
    rhs: str = ""


@dataclass
class _Sym:
    name: str
    start: int
    end: int
    group: int


@dataclass
class _Side:
    """The printed right-hand side as spans of the text: terms, numbers, i's, symbols, groups."""

    start: int
    end: int
    terms: list  # (sign position or None, insert position, term text, group index)
    numbers: list  # (start, end, value, in exponent, group index)
    units: list  # (start, end, group index) of the imaginary unit
    symbols: list  # _Sym
    groups: list  # (open position or side start, close position or side end, parent group index)


def _tokens(text: str):
    toks = _raw_tokens(text)
    for k, t in enumerate(toks):  # tokens without a tracked end: up to the next token
        if t.end == -1:
            t.end = toks[k + 1].pos if k + 1 < len(toks) else len(text)
    return toks


def _symbol_runs(toks, table: Mapping[sp.Symbol, str]) -> dict[int, tuple[int, str]]:
    """Token index -> (tokens in the run, symbol name) for every declared symbol written in ``toks``."""
    runs = sorted(((tuple(t.text for t in _raw_tokens(tex)), s.name) for s, tex in table.items()
                   if isinstance(s, sp.Symbol)), key=lambda e: -len(e[0]))
    out, i = {}, 0
    while i < len(toks):
        for texts, name in runs:
            n = len(texts)
            if tuple(t.text for t in toks[i:i + n]) == texts and not (
                    i + n < len(toks) and toks[i + n].text in ("_", "'")):
                out[i] = (n, name)
                i += n
                break
        else:
            i += 1
    return out


def _insert_at(text: str, pos: int) -> int:
    """Where to insert before the token at ``pos``: before a sizing command (``\\left(``) that precedes it."""
    head = text[:pos].rstrip()
    for cmd in _SIZING:
        if head.endswith(cmd):
            return len(head) - len(cmd)
    return pos


def _side(text: str, table: Mapping[sp.Symbol, str]) -> _Side | None:
    toks = _tokens(text)
    depth, eq = 0, None
    for k, t in enumerate(toks):
        depth += (t.kind == "char" and t.text in _OPEN) - (t.kind == "char" and t.text in _CLOSE)
        if depth == 0 and t.kind == "char" and t.text == "=":
            if eq is not None:
                return None  # a chain a = b = c: no single printed side to edit
            eq = k
    body = toks[eq + 1:] if eq is not None else toks
    if not body:
        return None
    side = _Side(body[0].pos, len(text.rstrip()), [], [], [], [], [(body[0].pos, len(text.rstrip()), -1)])
    runs = _symbol_runs(body, table)
    stack, skip_depth = [0], None  # group indices; skip_depth: inside a subscript group
    start_term = True
    k = 0
    while k < len(body):
        t = body[k]
        g = stack[-1]
        prev = body[k - 1] if k else None
        if k in runs:
            n, name = runs[k]
            if start_term:
                side.terms.append((None, _insert_at(text, t.pos), name, g))
            side.symbols.append(_Sym(name, t.pos, body[k + n - 1].end, g))
            k += n
            start_term = False
            continue
        opener = (t.kind == "char" and t.text in _OPEN) or t.kind == "lbar"
        closer = (t.kind == "char" and t.text in _CLOSE) or t.kind == "rbar"
        if opener:
            if start_term and skip_depth is None and not (prev is not None and prev.text in ("_", "^")):
                side.terms.append((None, _insert_at(text, t.pos), "", g))
            if skip_depth is None and prev is not None and prev.text == "_":
                skip_depth = len(stack)
            side.groups.append((t.pos, -1, g))
            stack.append(len(side.groups) - 1)
            start_term = True
            k += 1
            continue
        if closer:
            if len(stack) > 1:
                gi = stack.pop()
                side.groups[gi] = (side.groups[gi][0], t.pos, side.groups[gi][2])
                if skip_depth is not None and len(stack) < skip_depth:
                    skip_depth = None
            start_term = False
            k += 1
            continue
        if skip_depth is not None:
            k += 1
            continue
        if t.kind == "char" and t.text in "+-":
            nxt = body[k + 1] if k + 1 < len(body) else None
            if nxt is not None:
                side.terms.append((t.pos, _insert_at(text, nxt.pos), t.text, g))
            start_term = False  # the term after the sign is recorded with it
            k += 1
            continue
        if start_term and t.kind in ("num", "cmd", "letter", "I", "E") and not (prev is not None and prev.text == "^"):
            side.terms.append((None, _insert_at(text, t.pos), "", g))
        if t.kind == "num" and t.text.isdigit():
            in_exp = prev is not None and (prev.text == "^" or (prev.text == "{" and k >= 2 and body[k - 2].text == "^"))
            side.numbers.append((t.pos, t.end, int(t.text), in_exp, g))
        elif t.kind == "I":
            side.units.append((t.pos, t.end, g))
        start_term = False
        k += 1
    return side


def _term_text(text: str, side: _Side, k: int) -> str:
    """The printed term k (with its sign) for the description of an edit."""
    sign_pos, ins, _, g = side.terms[k]
    start = sign_pos if sign_pos is not None else ins
    later = [p for p in (side.terms[j][0] for j in range(k + 1, len(side.terms)) if side.terms[j][3] == g)
             if p is not None and p > start]
    end = min(later + [side.groups[g][1] if side.groups[g][1] != -1 else side.end])
    return " ".join(text[start:end].split())


def _in_term(text: str, side: _Side, pos: int) -> str:
    """' in the term ...' of the innermost printed term holding ``pos`` (for describing an edit)."""
    best = None
    for k, (sign_pos, ins, _, _) in enumerate(side.terms):
        start = sign_pos if sign_pos is not None else ins
        term = _term_text(text, side, k)
        if start <= pos and (best is None or start >= best[0]):
            if pos < start + len(term) + text[start:].count(" ", 0, len(term) + 4):
                best = (start, term)
    return f" in the term {best[1]}" if best else f" at character {pos}"


def _edit(text: str, edits: Sequence[tuple[int, int, str]]) -> str:
    for a, b, new in sorted(edits, reverse=True):
        text = text[:a] + new + text[b:]
    return text


def _number_tex(v: sp.Rational, exponent: bool) -> str:
    if v.q == 1:
        return str(v.p) if exponent or v >= 0 else f"({v.p})"
    return f"{{{v.p}/{v.q}}}" if exponent else rf"\tfrac{{{v.p}}}{{{v.q}}}"


def _compiled(expr: sp.Expr, args: Sequence[sp.Symbol]):
    return sp.lambdify(list(args), expr, modules="mpmath")


class _Search:
    def __init__(self, text, table, points, accept, transform, max_candidates):
        self.text, self.table, self.points, self.accept = text, dict(table), list(points), accept
        self.transform = transform or (lambda e: e)
        self.max = max_candidates
        self.tried = 0
        self.args = sorted({s for p in self.points for s in p}, key=str)
        with mpmath.workdps(_DPS + 5):
            self.values = [[mpmath.mpmathify(_mp(p[s])) for s in self.args] for p in self.points]

    def marked(self, edits: Sequence[tuple[int, int, str]], markers: Sequence[sp.Symbol]):
        """Read the text with markers put in; the compiled right-hand sides, or None when unreadable."""
        tex = {m: rf"\mathfrak{{M}}_{{{j}}}" for j, m in enumerate(markers)}
        marked = _edit(self.text, [(a, b, new.format(*[tex[m] for m in ms])) for (a, b, new), ms in edits])
        try:
            read = read_equation(marked, {**self.table, **tex}, interpret_lhs=False)
        except (LatexReadError, ValueError, TypeError):
            return None
        return [_compiled(self.transform(r), self.args + list(markers)) for r in read.rhs]

    def passes(self, funcs, marker_values) -> bool:
        """Every right-hand side accepted at every point (stops at the first failure)."""
        self.tried += 1
        if self.tried > self.max:
            raise _Exhausted
        with mpmath.workdps(_DPS):
            marker_values = [_mp(m) if isinstance(m, (sp.Basic, int)) else m for m in marker_values]
            for i, vals in enumerate(self.values):
                for f in funcs:
                    try:
                        v = mpmath.mpmathify(f(*vals, *marker_values))
                    except (ZeroDivisionError, ValueError, TypeError, OverflowError):
                        return False
                    if not mpmath.isfinite(v) or not self.accept(i, v):
                        return False
        return True


class _Exhausted(Exception):
    pass


def _mp(v):
    v = sp.sympify(v)
    if v.is_Rational:
        return mpmath.mpf(int(v.p)) / int(v.q)
    n = sp.N(v, _DPS + 5)
    return mpmath.mpc(mpmath.mpf(str(sp.re(n))), mpmath.mpf(str(sp.im(n))))


def _candidates(search: _Search, side: _Side, kind: str) -> Iterator[tuple[list, str]]:
    """(edits of the printed text, description) of every candidate of one kind that passes numerically."""
    text = search.text
    if kind == "sign" or kind == "i":
        ms = [sp.Dummy(f"m{j}") for j in range(len(side.terms))]
        funcs = search.marked([((ins, ins, "{} "), [m]) for m, (_, ins, _, _) in zip(ms, side.terms)], ms)
        if funcs is None:
            return
        unit = r"\mathrm{i}" if any(text[a:b].strip().startswith(r"\mathrm") for a, b, _ in side.units) else "i"
        flips = [(-1, "sign")] if kind == "sign" else [(sp.I, "i"), (-sp.I, "-i")]
        order = sorted(range(len(side.terms)), key=lambda j: side.terms[j][0] is None)  # printed signs first
        for j in order:
            sign_pos, ins, sign, _ = side.terms[j]
            for value, what in flips:
                if search.passes(funcs, [value if k == j else 1 for k in range(len(ms))]):
                    term = _term_text(text, side, j)
                    if what == "sign":
                        if sign_pos is not None:
                            new = "-" if sign == "+" else "+"
                            yield [(sign_pos, sign_pos + 1, new)], f"sign of the term {term}: {sign} -> {new}"
                        else:
                            yield [(ins, ins, "-")], f"sign of the term {term}: + -> -"
                    else:
                        pre = "-" if what == "-i" else ""
                        if sign_pos is not None and pre:
                            new = "-" if sign == "+" else "+"
                            yield ([(sign_pos, sign_pos + 1, new), (ins, ins, unit)],
                                   f"an i missing in the term {term}: times -i")
                        else:
                            yield [(ins, ins, pre + unit)], f"an i missing in the term {term}: times {what}"
        if kind == "i" and side.units:
            us = [sp.Dummy(f"u{j}") for j in range(len(side.units))]
            funcs = search.marked([((a, b, "{}"), [u]) for u, (a, b, _) in zip(us, side.units)], us)
            if funcs is None:
                return
            for j, (a, b, _) in enumerate(side.units):
                if search.passes(funcs, [1 if k == j else sp.I for k in range(len(us))]):
                    yield [(a, b, "")], f"the i of {text[a:b]} dropped{_in_term(text, side, a)}"
            for gi, (ga, gb, _) in enumerate(side.groups):  # the conjugate of one bracket (or of the side)
                inside = [k for k, (a, _, _) in enumerate(side.units) if ga <= a and (gb == -1 or a < gb)]
                if not inside:
                    continue
                if search.passes(funcs, [-sp.I if k in inside else sp.I for k in range(len(us))]):
                    edits = []
                    for k in inside:
                        a, b, _ = side.units[k]
                        edits.append((a, b, "(-" + text[a:b] + ")"))
                    yield edits, f"complex conjugate of {' '.join(text[ga:gb + 1 if gb != -1 else side.end].split())}"
    elif kind == "number":
        ns = [sp.Dummy(f"n{j}") for j in range(len(side.numbers))]
        funcs = search.marked([((a, b, "{{{}}}"), [n]) for n, (a, b, *_) in zip(ns, side.numbers)], ns)
        if funcs is None:
            return
        orig = [sp.Integer(v) for _, _, v, _, _ in side.numbers]
        for j, (a, b, v, in_exp, _) in enumerate(side.numbers):
            options = [v + 1, v - 1, 2 * v, sp.Rational(v, 2)] if in_exp else [2 * v, sp.Rational(v, 2)]
            for new in dict.fromkeys(sp.Rational(o) for o in options):
                if new == v or (in_exp and new == 0):
                    continue
                if search.passes(funcs, [new if k == j else orig[k] for k in range(len(ns))]):
                    what = "power" if in_exp else "factor"
                    yield [(a, b, _number_tex(new, in_exp))], f"{what} {v} -> {new}{_in_term(text, side, a)}"
    elif kind == "factor":
        f = sp.Dummy("f")
        funcs = search.marked([((side.start, side.start, "{} "), [f])], [f])
        if funcs is None:
            return
        body = text[side.start:side.end]
        for value, tex in ((2, "2"), (sp.Rational(1, 2), r"\frac{1}{2}"), (4, "4"), (sp.Rational(1, 4), r"\frac{1}{4}")):
            if search.passes(funcs, [value]):
                yield ([(side.start, side.end, tex + r"\left(" + body + r"\right)")],
                       f"the whole right-hand side times {value}")
    elif kind in ("label", "half", "symbol"):
        marks = _symbol_marks(search, side)
        if marks is None:
            return
        syms, ss, funcs, by_name, index = marks
        with mpmath.workdps(_DPS):
            def val(name, i):
                sym = by_name[name]
                return search.values[i][index[sym]] if sym in index else None

            names = sorted({s.name for s in syms})
            for j, s in enumerate(syms):
                if kind in ("label", "symbol"):  # an index/label of the same head first, then any symbol
                    options = [(n, None) for n in sorted(by_name) if n != s.name and by_name[n] in index
                               and (kind == "symbol") != _siblings(search.table, by_name[n], by_name[s.name])]
                else:
                    options = [(s.name, sp.Rational(1, 2)), (s.name, 2)]
                for other, scale in options:
                    ok = True
                    for i in range(len(search.points)):
                        current = [val(x.name, i) for x in syms]
                        if None in current or val(other, i) is None:
                            ok = False
                            break
                    if not ok:
                        continue
                    search.tried += 1
                    if search.tried > search.max:
                        raise _Exhausted
                    if _passes_with(search, funcs, syms, val, j, other, scale):
                        tex_other = search.table[by_name[other]]
                        if scale is None:
                            yield ([(s.start, s.end, tex_other)],
                                   f"{search.table[by_name[s.name]]} -> {tex_other}{_in_term(text, side, s.start)}")
                        else:
                            new = _scaled(text, s.start, s.end, tex_other, scale)
                            yield [(s.start, s.end, new)], f"{tex_other} -> {new}{_in_term(text, side, s.start)}"
            if kind == "half":
                for name in names:  # every occurrence of one symbol scaled
                    for scale in (sp.Rational(1, 2), 2):
                        if _passes_global(search, funcs, syms, val, {name: (name, scale)}):
                            tex = search.table[by_name[name]]
                            yield ([(s.start, s.end, _scaled(text, s.start, s.end, tex, scale)) for s in syms
                                    if s.name == name], f"{tex} -> {_scaled('', 0, 0, tex, scale)} everywhere")
    elif kind == "swap":
        marks = _symbol_marks(search, side)
        if marks is None:
            return
        syms, ss, funcs, by_name, index = marks

        def val(name, i):
            sym = by_name[name]
            return search.values[i][index[sym]] if sym in index else None

        names = sorted({s.name for s in syms})
        for a, b in itertools.combinations(names, 2):
            if _passes_global(search, funcs, syms, val, {a: (b, None), b: (a, None)}):
                ta, tb = search.table[by_name[a]], search.table[by_name[b]]
                yield ([(s.start, s.end, tb if s.name == a else ta) for s in syms if s.name in (a, b)],
                       f"{ta} and {tb} swapped")
    elif kind == "term":
        yield from _missing_terms(search, side)


def _scaled(text: str, start: int, end: int, tex: str, scale) -> str:
    """``tex/2`` or ``2tex`` in place of text[start:end]; in parentheses unless it stands alone as a term."""
    new = f"{tex}/2" if scale == sp.Rational(1, 2) else f"2{tex}"
    before, after = text[:start].rstrip()[-1:], text[end:].lstrip()[:1]
    alone = before in ("(", "[", "+", "-") and after in (")", "]", "+", "-", "\\")
    return new if alone and not text[end:].lstrip().startswith("^") else f"({new})"


def _siblings(table, a: sp.Symbol, b: sp.Symbol) -> bool:
    """Two symbols written with the same head and different indices (``\\Gamma_L``, ``\\Gamma_R``)."""
    ta, tb = table[a].replace("{", "").replace("}", ""), table[b].replace("{", "").replace("}", "")
    return "_" in ta and "_" in tb and ta.split("_")[0] == tb.split("_")[0]


def _passes_with(search, funcs, syms, val, j, other, scale) -> bool:
    with mpmath.workdps(_DPS):
        for i in range(len(search.points)):
            marker = [val(x.name, i) for x in syms]
            if None in marker or val(other, i) is None:
                return False
            marker[j] = val(other, i) * (scale if scale is not None else 1)
            if not _accepts(search, funcs, i, marker):
                return False
    return True


def _passes_global(search, funcs, syms, val, mapping) -> bool:
    search.tried += 1
    if search.tried > search.max:
        raise _Exhausted
    with mpmath.workdps(_DPS):
        for i in range(len(search.points)):
            marker = []
            for x in syms:
                name, scale = mapping.get(x.name, (x.name, None))
                v = val(name, i)
                if v is None:  # a symbol fixed by where: not a variable of the claim
                    return False
                marker.append(v * (scale if scale is not None else 1))
            if not _accepts(search, funcs, i, marker):
                return False
    return True


def _accepts(search, funcs, i, marker) -> bool:
    for f in funcs:
        try:
            v = mpmath.mpmathify(f(*search.values[i], *[_mp(m) if isinstance(m, sp.Basic) else m for m in marker]))
        except (ZeroDivisionError, ValueError, TypeError, OverflowError):
            return False
        if not mpmath.isfinite(v) or not search.accept(i, v):
            return False
    return True


def _missing_terms(search: _Search, side: _Side) -> Iterator[tuple[list, str]]:
    """A term dropped from one bracket: +- c * (a monomial of degree 1 or 2 in the side's symbols)."""
    text = search.text
    groups = [(gi, g) for gi, g in enumerate(side.groups)
              if any(t[3] == gi for t in side.terms)]  # brackets that hold terms (not subscripts)
    adds = [sp.Dummy(f"a{j}") for j in range(len(groups))]
    edits = []
    for a, (gi, (ga, gb, _)) in zip(adds, groups):
        at = gb if gb != -1 else side.end
        edits.append(((_insert_at(text, at), _insert_at(text, at), " + {}"), [a]))
    funcs = search.marked(edits, adds)
    if funcs is None:
        return
    present = [s for s in search.args if s in search.table]  # the dropped term may hold a symbol not printed
    monomials = list(present) + [a * b for a, b in itertools.combinations_with_replacement(present, 2)]
    index = {s: k for k, s in enumerate(search.args)}
    for j, (gi, (ga, gb, _)) in enumerate(groups):
        for mono in monomials:
            for coeff in (1, -1, 2, -2, sp.Rational(1, 2), -sp.Rational(1, 2)):
                search.tried += 1
                if search.tried > search.max:
                    raise _Exhausted
                ok = True
                with mpmath.workdps(_DPS):
                    for i in range(len(search.points)):
                        mv = _mp(coeff) * mpmath.fprod(search.values[i][index[s]] ** int(e)
                                                       for s, e in mono.as_powers_dict().items())
                        if not _accepts(search, funcs, i, [mv if k == j else 0 for k in range(len(adds))]):
                            ok = False
                            break
                if ok:
                    from derive.latex.latex_writer import to_latex

                    term = to_latex(coeff * mono, search.table)
                    term = "- " + term[1:].lstrip() if term.startswith("-") else "+ " + term
                    at = _insert_at(text, gb if gb != -1 else side.end)
                    where = " ".join(text[_insert_at(text, ga):(gb + 1 if gb != -1 else side.end)].split())
                    yield [(at, at, " " + term)], f"a term {term} missing in {where}"


def find_misprint(latex: str, table: Mapping[sp.Symbol, str], *, points: Sequence[dict],
                  accept: Callable[[int, mpmath.mpc], bool], confirm: Callable[[str], bool],
                  transform: Callable[[sp.Expr], sp.Expr] | None = None, kinds: Sequence[str] = EDIT_KINDS,
                  max_candidates: int = MAX_CANDIDATES) -> Misprint | None:
    r"""The first small edit of the printed ``latex`` under which ``accept`` holds at every point.

    Parameters
    ----------
    latex : str
        The printed equation (``lhs = rhs`` or a bare right-hand side); only the right-hand side is edited.
    table : mapping
        The paper's ``[symbols]`` (sympy.Symbol -> LaTeX).
    points : sequence of dict
        Exact points of the claim's variables (2 - 4 suffice: a wrong edit fails at the first).
    accept : callable
        ``accept(i, value)``: is ``value`` (mpmath, 30 digits) of an edited right-hand side right at point i?
    confirm : callable
        ``confirm(edited_latex)``: the exact decision (read back, decided like the claim) of a passing edit.
    transform : callable, optional
        Applied to every read right-hand side (definitions, ``where``).
    kinds : sequence of str
        Which edits (:data:`EDIT_KINDS`), in order.
    max_candidates : int
        Stop after this many candidates.

    Returns
    -------
    Misprint or None
        None when no edit of these kinds holds (or the budget is spent).  The caller bounds the time
        with :func:`derive.claims.time_budget.time_budget` (:class:`BudgetExceeded` propagates).

    .. math:: \text{printed}_{\text{edit}}(x_i) = \text{derived}(x_i),\quad i = 1..n
    """
    try:
        text = prime_runs(flatten_display(latex))
    except Exception:  # noqa: BLE001 - a layout the reader refuses has no edit either
        return None
    if len(text) != len(latex):
        return None
    side = _side(text, table)
    if side is None or not points:
        return None
    search = _Search(latex, table, points, accept, transform, max_candidates)
    try:
        for kind in kinds:
            for edits, what in _candidates(search, side, kind):
                corrected = _edit(latex, edits)
                if confirm(corrected):
                    return Misprint(corrected, what, search.tried, corrected[side.start:].strip())
    except _Exhausted:
        return None
    except BudgetExceeded:
        raise
    return None


def _symbol_marks(search, side):
    """The printed symbols of ``side``, a placeholder for each, the search's compiled function of those
    placeholders (None when it cannot be built), the table's symbols by name and the argument positions."""
    syms = side.symbols
    ss = [sp.Dummy(f"s{j}") for j in range(len(syms))]
    funcs = search.marked([((s.start, s.end, "{{{}}}"), [m]) for m, s in zip(ss, syms)], ss)
    if funcs is None:
        return None
    by_name = {s.name: s for s in search.table if isinstance(s, sp.Symbol)}
    return syms, ss, funcs, by_name, {s: k for k, s in enumerate(search.args)}
