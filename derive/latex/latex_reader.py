r"""Reading equations as physicists write them in LaTeX (writing back: :mod:`derive.latex.latex_writer`).

SymPy's LaTeX parser (``sympy.parsing.latex``, ``lark`` backend, SymPy 1.14) reads fractions, roots,
powers, ``|x|``, ``\overline``, the elementary functions and ``\infty``, but on its own it misreads or
rejects much of what authors write: ``\sin(k)A`` becomes ``sin(A k)``, ``x^{2}y``, ``\sqrt{x}y`` and
``|x|^2|y|^2`` do not parse, ``a(b+c)`` comes back as an ambiguity tree, uppercase Greek, ``\pi``,
``\mathrm{i}``, ``\bar{z}``, ``z^*``, ``\Big(`` and ``\cos[\dots]`` are unknown, and ``2.5`` is a float.
So a front end runs first:

1. **Tokens** (with their positions in the text).  Spacing and sizing commands (``\left``, ``\right``,
   ``\Big``, ``\,``, ``\quad``, ...) are dropped, ``\left|``/``\right|`` become opening/closing bars,
   ``[ ]`` and ``\{ \}`` group like ``( )``, ``\imath`` is the imaginary unit, ``\dfrac``/``\tfrac`` are
   ``\frac``, ``\cdot``/``\times`` are products; ``x_{d}`` and ``x_d`` are the same token run,
   ``A^{*}_{R}`` is read as ``A_{R}^{*}``.
2. **Symbols** of the ``[symbols]`` table are matched as whole token runs (longest first; a run
   followed by ``_`` or ``'`` is a different symbol).  ``i`` and ``\mathrm{i}`` are the imaginary unit,
   ``e`` and ``\mathrm{e}`` Euler's number, ``\pi`` is pi -- unless the table declares them.
3. **Structure**: a small recursive-descent pass decides what the author meant where the grammar is
   ambiguous: juxtaposition is a product (``a(b+c)``, ``\frac{a}{b}c``, ``\sin(k)A`` = sin(k) A), a
   function takes a parenthesised argument, or else the run of plain factors after it (``\sin kM`` =
   sin(kM), ``\sin k\cos k`` = sin(k) cos(k)), ``\sin^2 x`` is sin(x)^2 and ``\cos^{-1} x`` is
   arccos(x), ``^*``/``^\ast``/``^\dagger`` and ``\bar``/``\overline`` conjugate.  ``a^b^c`` is refused
   as TeX does, so are powers of more than 4000 digits and nesting deeper than 32 levels (latex_nesting).
4. The structure is written out as fully braced LaTeX, with placeholders for the symbols and explicit
   ``\cdot``, which **SymPy's parser** turns into the expression; the placeholders are then replaced
   by the table's symbols.

What cannot be read raises :class:`LatexReadError` with the position (0-based
character offset in the text) and the token; symbols that the table does not
declare raise :class:`UndeclaredSymbols`, naming each one as written.

>>> import sympy as sp
>>> w, eps, g = sp.symbols("omega eps gamma", real=True)
>>> table = {w: r"\omega", eps: r"\varepsilon_d", g: r"\gamma"}
>>> read_equation(r"G = \dfrac{1}{\omega-\varepsilon_{d}+\mathrm{i}\gamma/2}", table, interpret_lhs=False).rhs[0]
1/(-eps + I*gamma/2 + omega)
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Mapping, Sequence

import sympy as sp
from derive.latex.latex_nesting import NestingGuard, parser_failure

from derive.latex.latex_backend import GRAMMAR, MissingDependency, require_parser, sympy_parse as _sympy_parse  # noqa: F401
from derive.latex.latex_layout import LayoutError, flatten_display, prime_runs

__all__ = ["LatexReadError", "UndeclaredSymbols", "Equation", "read_equation", "read_expression"]


class LatexReadError(ValueError):
    """The LaTeX cannot be read: ``position`` (character offset) and ``token`` say where."""

    def __init__(self, message: str, position: int, token: str) -> None:
        super().__init__(f"{message} at character {position} ('{token}')")
        self.position, self.token = position, token


class UndeclaredSymbols(LatexReadError):
    """Symbols used in the LaTeX that the symbol table does not declare (``names``, as written)."""

    def __init__(self, names: Sequence[tuple[str, int]]) -> None:
        listed = ", ".join(f"'{n}' (character {p})" for n, p in names)
        ValueError.__init__(self, f"undeclared symbol{'s' if len(names) > 1 else ''} {listed}: "
                                  "declare them in [symbols]")
        self.position, self.token = names[0][1], names[0][0]
        self.names = [n for n, _ in names]


@dataclass(frozen=True)
class Equation:
    """A read equation: ``lhs`` (None when not interpreted) and every right-hand side of ``a = b = c``."""

    lhs_latex: str | None
    lhs: sp.Expr | None
    rhs: tuple[sp.Expr, ...]


# ----------------------------------------------------------------------------- tokens

@dataclass
class _Tok:
    kind: str  # cmd, num, letter, char, sym, lbar, rbar, I, E
    text: str
    pos: int
    end: int = -1  # one past the token's last character in the text (-1: not tracked)


_TOKEN_RE = re.compile(r"\\[A-Za-z]+|\\.|\d+(?:\.\d+)?|\.\d+|[A-Za-z]|\S")
_DROP = {r"\left", r"\right", r"\big", r"\Big", r"\bigg", r"\Bigg", r"\bigl", r"\bigr", r"\Bigl", r"\Bigr",
         r"\biggl", r"\biggr", r"\Biggl", r"\Biggr", r"\,", r"\;", r"\:", r"\!", "\\ ", "~", r"\quad", r"\qquad",
         r"\displaystyle", r"\textstyle", r"\limits", r"\nolimits"}
_OPENERS = {r"\left", r"\bigl", r"\Bigl", r"\biggl", r"\Biggl"}
_CLOSERS = {r"\right", r"\bigr", r"\Bigr", r"\biggr", r"\Biggr"}
_ALIAS = {r"\dfrac": r"\frac", r"\tfrac": r"\frac", r"\cfrac": r"\frac", r"\cdot": "*", r"\times": "*",
          r"\ast": "*", r"\star": "*", r"\dagger": "*", r"\lbrack": "[", r"\rbrack": "]", r"\{": "[", r"\}": "]",
          r"\lbrace": "[", r"\rbrace": "]", r"\bar": r"\overline", r"\vert": "|", r"\mid": "|", r"\lvert": "|",
          r"\rvert": "|", r"\arccosh": r"\arcosh", r"\arcsinh": r"\arsinh", r"\arctanh": r"\artanh"}
_ROMAN = {r"\mathrm", r"\text", r"\textrm", r"\rm", r"\mathit", r"\operatorname"}
GREEK = ("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi omicron "
         "rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma "
         "Upsilon Phi Psi Omega hbar ell").split()
_FUNCS = {r"\sin": "sin", r"\cos": "cos", r"\tan": "tan", r"\cot": "cot", r"\sec": "sec", r"\csc": "csc",
          r"\sinh": "sinh", r"\cosh": "cosh", r"\tanh": "tanh", r"\exp": "exp", r"\ln": "ln", r"\log": "ln",
          r"\arcsin": "arcsin", r"\arccos": "arccos", r"\arctan": "arctan", r"\arsinh": "arsinh",
          r"\arcosh": "arcosh", r"\artanh": "artanh"}
_FUNCS.update({r"\sgn": "sgn", r"\Re": "Re", r"\Im": "Im"})  # grammar rules sgn, re_part, im_part
# \operatorname{...}, \mathrm{...}, \text{...} of these words are functions
_NAMED_FUNCS = {"acos": "arccos", "asin": "arcsin", "atan": "arctan", "asinh": "arsinh", "acosh": "arcosh",
                "atanh": "artanh", "arccosh": "arcosh", "arcsinh": "arsinh", "arctanh": "artanh", "sign": "sgn"}
_INVERSE = {"sin": "arcsin", "cos": "arccos", "tan": "arctan", "sinh": "arsinh", "cosh": "arcosh",
            "tanh": "artanh"}


def _raw_tokens(text: str) -> list[_Tok]:
    """Tokens with sizing/spacing dropped, bars oriented, aliases applied, roman i/e recognised."""
    raw = [(m.group(), m.start()) for m in _TOKEN_RE.finditer(prime_runs(text))]
    out: list[_Tok] = []
    i = 0
    while i < len(raw):
        t, p = raw[i]
        if t in _ROMAN and i + 2 < len(raw) and raw[i + 1][0] == "{":
            close = next((j for j in range(i + 2, len(raw)) if raw[j][0] == "}"), None)
            word = "".join(r[0] for r in raw[i + 2:close]) if close else ""
            name = "\\" + _NAMED_FUNCS.get(word, word)
            if name in _FUNCS:
                out.append(_Tok("cmd", name, p, raw[close][1] + 1))
                i = close + 1
                continue
        nxt = raw[i + 1][0] if i + 1 < len(raw) else ""
        if t in _DROP:
            if t in _OPENERS | _CLOSERS and nxt in ("|", r"\vert", r"\lvert", r"\rvert", r"\|"):
                out.append(_Tok("lbar" if t in _OPENERS else "rbar", "|", p))
                i += 2
                continue
            if t in _OPENERS | _CLOSERS and nxt == ".":
                i += 2
                continue
            i += 1
            continue
        if t in _ROMAN and i + 3 < len(raw) and nxt == "{" and raw[i + 2][0] in ("i", "e") and raw[i + 3][0] == "}":
            out.append(_Tok("I" if raw[i + 2][0] == "i" else "E", t + "{" + raw[i + 2][0] + "}", p))
            i += 4
            continue
        end = p + len(t)
        if t in (r"\imath", r"\jmath"):  # the dotless i/j some authors print for the imaginary unit
            out.append(_Tok("I", t, p, end))
            i += 1
            continue
        t = _ALIAS.get(t, t)
        if t[0] == "\\" and t[1:].isalpha():
            out.append(_Tok("cmd", t, p, end))
        elif t[0].isdigit() or t[0] == ".":
            out.append(_Tok("num", t, p, end) if t != "." else _Tok("char", t, p, end))
        elif t.isalpha():
            out.append(_Tok("letter", t, p, end))
        else:
            out.append(_Tok("char", t, p, end))
        i += 1
    while out and out[-1].kind == "char" and out[-1].text in (",", "."):  # display-math punctuation
        out.pop()
    return _normalise(out)


def _normalise(toks: list[_Tok]) -> list[_Tok]:
    """``_{x}`` -> ``_x`` for one token, ``^{*}`` -> ``^*``, ``X^*_s`` -> ``X_s^*``."""
    out: list[_Tok] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if (t.kind == "char" and t.text in "_^" and i + 3 < len(toks) and toks[i + 1].text == "{"
                and toks[i + 3].text == "}" and toks[i + 2].text not in "{}"
                and not (toks[i + 2].kind == "num" and len(toks[i + 2].text) > 1)):
            out += [t, _Tok(toks[i + 2].kind, toks[i + 2].text, toks[i + 2].pos, toks[i + 3].end)]
            i += 4
            continue
        out.append(t)
        i += 1
    j = 0
    while j + 3 < len(out):  # X ^ * _ s  ->  X _ s ^ *
        if out[j].text == "^" and out[j + 1].text == "*" and out[j + 2].text == "_":
            end = _group_end(out, j + 3) + 1 if out[j + 3].text == "{" else j + 4
            out[j:end] = out[j + 2:end] + out[j:j + 2]
        j += 1
    return out


def _group_end(toks: list[_Tok], start: int) -> int:
    depth = 0
    for j in range(start, len(toks)):
        depth += (toks[j].text == "{") - (toks[j].text == "}")
        if depth == 0:
            return j
    raise LatexReadError("unbalanced brace", toks[start].pos, "{")


def _match_symbols(toks: list[_Tok], table: Sequence[tuple[tuple[str, ...], str]]) -> list[_Tok]:
    """Replace declared symbol runs by ``sym`` tokens (longest first, not followed by ``_`` or ``'``)."""
    out: list[_Tok] = []
    i = 0
    while i < len(toks):
        for texts, name in table:
            n = len(texts)
            if tuple(t.text for t in toks[i:i + n]) == texts and not (
                    i + n < len(toks) and toks[i + n].text in ("_", "'")):
                out.append(_Tok("sym", name, toks[i].pos))
                i += n
                break
        else:
            out.append(toks[i])
            i += 1
    return out


# ----------------------------------------------------------------------------- structure

class _Parser(NestingGuard):
    """Recursive descent over the tokens; every method returns fully braced LaTeX for SymPy's parser."""

    def __init__(self, toks: list[_Tok], text: str, declared: set[str]) -> None:
        self.toks, self.text, self.i = toks, text, 0
        self.declared = declared
        self.undeclared: dict[str, int] = {}
        self.context: list[str] = []  # open groups: "bar" (plain |...|), "lbar" (\left|), "group"

    # helpers
    def peek(self, k: int = 0) -> _Tok | None:
        return self.toks[self.i + k] if self.i + k < len(self.toks) else None

    def take(self) -> _Tok:
        t = self.peek()
        if t is None:
            raise LatexReadError("unexpected end of the formula", len(self.text), "")
        self.i += 1
        return t

    def fail(self, t: _Tok | None, why: str = "cannot read") -> LatexReadError:
        if t is None:
            return LatexReadError("unexpected end of the formula", len(self.text), "")
        return LatexReadError(why, t.pos, t.text)

    def expect(self, text: str) -> None:
        t = self.peek()
        if t is None or t.text != text:
            raise self.fail(t, f"expected {text!r}")
        self.i += 1

    # grammar
    def expression(self) -> str:
        parts: list[str] = []
        t = self.peek()
        if t is not None and t.kind == "char" and t.text in "+-":
            self.i += 1
            parts.append("-" if t.text == "-" else "")
        parts.append("{" + self.term() + "}")
        while (t := self.peek()) is not None and t.kind == "char" and t.text in "+-":
            self.i += 1
            parts.append(t.text + "{" + self.term() + "}")
        return "".join(parts)

    def starts_factor(self, t: _Tok | None) -> bool:
        if t is None:
            return False
        if t.kind in ("sym", "num", "letter", "I", "E", "cmd", "lbar"):
            return True
        return t.kind == "char" and (t.text in "([{" or (t.text == "|" and self.context[-1:] != ["bar"]))

    def term(self) -> str:
        out = "{" + self.factor() + "}"
        while True:
            t = self.peek()
            if t is not None and t.kind == "char" and t.text in "*/":
                self.i += 1
                rhs = self.factor()
                out = (out + r" \cdot {" + rhs + "}") if t.text == "*" else (r"\frac{" + out + "}{" + rhs + "}")
            elif self.starts_factor(t):
                out += r" \cdot {" + self.factor() + "}"
            else:
                return out

    def factor(self) -> str:
        base = self.primary()
        return self.postfix(base)

    def postfix(self, base: str) -> str:
        raised = False
        while (t := self.peek()) is not None and t.kind == "char" and t.text in "^_'":
            if t.text != "^":
                raise self.fail(t, "a subscript or prime here is not part of a declared symbol")
            if raised:  # a^b^c is TeX's "double superscript" error: {a^b}^c or a^{b^c} says which
                raise self.fail(t, "double superscript (write {a^b}^c or a^{b^c})")
            raised = True
            self.i += 1
            if (s := self.peek()) is not None and s.text == "*":
                self.i += 1
                base = r"\overline{{" + base + "}}"
                continue
            exponent = self.nested(self.argument)
            if base.isdigit() and _digits(int(base), exponent) > 4000:  # 10^{10^{10}}: SymPy would compute it
                raise self.fail(t, "a number too large to evaluate (more than 4000 digits)")
            base = "{" + base + "}^{" + exponent + "}"
        return base

    def argument(self) -> str:
        """Argument of ``^``, ``\\frac``, ``\\sqrt``: a braced group or one token (one digit of a number)."""
        t = self.peek()
        if t is not None and t.text == "{":
            self.i += 1
            inner = self.expression()
            self.expect("}")
            return inner
        if t is not None and t.kind == "num" and len(t.text) > 1 and "." not in t.text:
            self.toks[self.i] = _Tok("num", t.text[1:], t.pos + 1)
            return t.text[0]
        if t is not None and t.kind == "char" and t.text == "-":  # x^-1
            self.i += 1
            return "-{" + self.nested(self.argument) + "}"
        return self.primary()

    def name_with_scripts(self, head: _Tok) -> str:
        """An undeclared symbol as written: the letter/command with its subscripts and primes."""
        end = self.i
        while end < len(self.toks) and self.toks[end].text in ("_", "'"):
            end += 1
            if self.toks[end - 1].text == "_" and end < len(self.toks):
                end = _group_end(self.toks, end) + 1 if self.toks[end].text == "{" else end + 1
        used = [head] + self.toks[self.i:end]
        self.i = end
        if all(a.end != -1 and a.end <= b.pos for a, b in zip(used, used[1:])) and used[-1].end != -1:
            return self.text[head.pos:used[-1].end]  # as written
        return "".join(t.text for t in used)

    def _primary(self) -> str:
        t = self.take()
        k, x = t.kind, t.text
        if k == "sym":
            return _placeholder(x)
        if k == "num":
            if "." in x:
                whole, frac = (x.split(".") + [""])[:2]
                return r"\frac{" + str(int((whole or "0") + frac)) + "}{" + str(10 ** len(frac)) + "}"
            return x
        if k == "I":
            return r"\imaginaryunit"
        if k == "E":
            return _placeholder("E")
        if k == "letter":
            nxt = self.peek()
            if x in ("i", "e") and x not in self.declared and (nxt is None or nxt.text not in ("_", "'")):
                return r"\imaginaryunit" if x == "i" else _placeholder("E")
            return self.undeclared_symbol(t)
        if k == "lbar" or (k == "char" and x == "|"):
            self.context.append("lbar" if k == "lbar" else "bar")
            inner = self.expression()
            self.context.pop()
            c = self.take()
            if c.text != "|":
                raise self.fail(c, "expected a closing |")
            return "|{" + inner + "}|"
        if k == "char" and x in "([{":
            close = {"(": ")", "[": "]", "{": "}"}[x]
            self.context.append("group")
            inner = self.expression()
            self.context.pop()
            self.expect(close)
            return "(" + inner + ")"
        if k == "cmd":
            return self.command(t)
        raise self.fail(t)

    def undeclared_symbol(self, head: _Tok) -> str:
        name = self.name_with_scripts(head)
        self.undeclared.setdefault(name, head.pos)
        return _placeholder("undeclared")

    def command(self, t: _Tok) -> str:
        x = t.text
        if x == r"\frac":
            num = self.argument()
            return r"\frac{" + num + "}{" + self.argument() + "}"
        if x == r"\sqrt":
            if (b := self.peek()) is not None and b.text == "[":
                self.i += 1
                n = self.expression()
                self.expect("]")
                return r"\sqrt[" + n + "]{" + self.argument() + "}"
            return r"\sqrt{" + self.argument() + "}"
        if x == r"\overline":
            return r"\overline{{" + self.argument() + "}}"
        if x == r"\pi":
            return _placeholder("pi")
        if x == r"\infty":
            return r"\infty"
        if x in _FUNCS:
            return self.function(_FUNCS[x])
        if x[1:] in GREEK:
            return self.undeclared_symbol(t)
        raise self.fail(t, "unknown command")

    def function(self, name: str) -> str:
        power = None
        if (t := self.peek()) is not None and t.text == "^":
            self.i += 1
            written = [u.text for u in self.toks[self.i:self.i + 4]]
            if name in _INVERSE and (written[:2] == ["-", "1"] or written == ["{", "-", "1", "}"]):
                self.i += 2 if written[0] == "-" else 4
                name = _INVERSE[name]
            else:
                power = self.argument()
        t = self.peek()
        if t is not None and t.kind == "char" and t.text in "([{":
            arg = self.primary()
            value = "\\" + name + "(" + arg + ")"
            if t.text != "{":
                value = self.postfix(value)  # \sin(k)^2 is sin(k)^2
        else:  # bare argument: the run of plain factors after the function
            parts = ["{" + self.factor() + "}"]
            while (t := self.peek()) is not None and t.kind in ("sym", "num", "letter", "I") or (
                    t is not None and t.kind == "cmd" and (t.text[1:] in GREEK or t.text == r"\pi")):
                parts.append("{" + self.factor() + "}")
            value = "\\" + name + "(" + r" \cdot ".join(parts) + ")"
        return value if power is None else "{" + value + "}^{" + power + "}"


def _digits(base: int, exponent: str) -> float:
    """About how many digits ``base^exponent`` has when the exponent is a number (0 when it is not)."""
    try:
        e = _sympy_parse(exponent)
        return 0 if e.free_symbols or base < 2 else abs(complex(sp.N(e, 15))) * math.log10(base)
    except Exception:  # noqa: BLE001 - not a plain number: SymPy keeps such a power symbolic
        return 0


def _placeholder(name: str) -> str:
    """A one-letter-with-subscript symbol SymPy's grammar reads; letters only (``Q_{zab}``)."""
    return "Q_{zz" + "".join(chr(ord("a") + int(c)) for c in str(_code(name))) + "}"


_CODES: dict[str, int] = {}


def _code(name: str) -> int:
    return _CODES.setdefault(name, len(_CODES))


# ----------------------------------------------------------------------------- public API

def _prepare(text: str, symbols: Mapping[sp.Symbol, str]):
    symbols = {s: tex for s, tex in symbols.items() if isinstance(s, sp.Symbol)}  # (a writer's I entry: skip)
    runs = [(tuple(t.text for t in _raw_tokens(tex)), s.name) for s, tex in symbols.items()]
    # a name written with its arguments, \Gamma(\omega), is also the name written without them
    runs += [(r[:r.index("(")], name) for r, name in runs if r[-1:] == (")",) and "(" in r[1:]]
    table = sorted(runs, key=lambda e: -len(e[0]))
    declared = {tex.strip() for tex in symbols.values()}
    return _match_symbols(_raw_tokens(text), table), declared


def _to_sympy(braced: str, symbols: Mapping[sp.Symbol, str], pos: int) -> sp.Expr:
    try:
        expr = _sympy_parse(braced)
    except MissingDependency:  # an installation problem, never a reading of the formula
        raise
    except Exception as exc:  # the front end should never emit what SymPy's grammar rejects
        raise LatexReadError(parser_failure(exc), pos, "") from None
    if not isinstance(expr, sp.Basic):
        raise LatexReadError("SymPy's LaTeX parser returned an ambiguous reading", pos, "")
    rep = {sp.Symbol(_placeholder(s.name)): s for s in symbols if isinstance(s, sp.Symbol)}
    rep[sp.Symbol(_placeholder("E"))] = sp.E
    rep[sp.Symbol(_placeholder("pi"))] = sp.pi
    return expr.xreplace(rep)


_ARROWS = (r"\to", r"\rightarrow", r"\longrightarrow")


def _split_top_level(toks: list[_Tok]) -> tuple[list[list[_Tok]], list[int]]:
    """The sides of ``a = b = c`` (split at ``=``, or an arrow ``a \\to b`` of a limit, outside any group)
    and the positions of the ``=``."""
    parts: list[list[_Tok]] = [[]]
    equals: list[int] = []
    depth = 0
    for t in toks:
        if t.kind == "char" and t.text in "([{":
            depth += 1
        elif t.kind == "char" and t.text in ")]}":
            depth -= 1
        if depth == 0 and (t.kind == "char" and t.text == "=" or t.text in _ARROWS):
            parts.append([])
            equals.append(t.pos)
        else:
            parts[-1].append(t)
    return parts, equals


def _read_tokens(toks: list[_Tok], text: str, symbols: Mapping[sp.Symbol, str], declared: set[str]) -> sp.Expr:
    if not toks:
        raise LatexReadError("empty side of the equation", len(text), "=")
    p = _Parser(toks, text, declared)
    braced = p.expression()
    if p.peek() is not None:
        raise p.fail(p.peek())
    if p.undeclared:
        raise UndeclaredSymbols(sorted(p.undeclared.items(), key=lambda e: e[1]))
    return _to_sympy(braced, symbols, toks[0].pos)


def read_equation(text: str, symbols: Mapping[sp.Symbol, str], *, interpret_lhs: bool = True) -> Equation:
    r"""Read ``lhs = rhs`` (or ``a = b = c``, or a bare expression: then ``lhs`` is None).

    Parameters
    ----------
    text : str
        The LaTeX as printed.
    symbols : mapping of sympy.Symbol to str
        Each symbol with the LaTeX the paper writes for it (``{tau1: r'\tau_1'}``).
    interpret_lhs : bool
        False: the left-hand side is the author's name for the quantity (``|T|^2``), kept as text only.

    Returns
    -------
    Equation
        ``rhs`` holds every part after the first ``=`` (all of them are claimed equal).

    ``\pm`` (``\mp``) gives both values as right-hand sides.

    .. math:: \text{``}a = b_1 = b_2\text{''} \;\mapsto\; (a;\ b_1, b_2)

    >>> x = sp.Symbol("x", real=True)
    >>> read_equation(r"f = \left|x + \mathrm{i}\right|^2", {x: "x"}, interpret_lhs=False)
    Equation(lhs_latex='f', lhs=None, rhs=(x**2 + 1,))
    """
    try:
        text = prime_runs(flatten_display(text))
    except LayoutError as exc:
        raise LatexReadError(str(exc), exc.position, exc.token) from None
    toks, declared = _prepare(text, symbols)
    parts, equals = _split_top_level(toks)

    def read_all(part: list[_Tok]) -> list[sp.Expr]:
        out: list[sp.Expr] = []
        for variant in _sign_variants(part):
            e = _read_tokens(variant, text, symbols, declared)
            if e not in out:
                out.append(e)
        return out

    if len(parts) == 1:
        return Equation(None, None, tuple(read_all(parts[0])))
    lhs_latex = text[:equals[0]].strip()
    lhs = _read_tokens(parts[0], text, symbols, declared) if interpret_lhs else None
    return Equation(lhs_latex, lhs, tuple(e for p in parts[1:] for e in read_all(p)))


def _sign_variants(toks: list[_Tok]) -> list[list[_Tok]]:
    """``a \\pm b`` -> ``[a + b, a - b]`` (``\\mp`` the other way round): both values are claimed."""
    if not any(t.text in (r"\pm", r"\mp") for t in toks):
        return [toks]
    return [[_Tok("char", (s if t.text == r"\pm" else "-+"["+-".index(s)]), t.pos) if t.text in (r"\pm", r"\mp")
             else t for t in toks] for s in "+-"]


def read_expression(text: str, symbols: Mapping[sp.Symbol, str]) -> sp.Expr:
    r"""Read one expression (no ``=``).

    Parameters
    ----------
    text : str
        The LaTeX of an expression.
    symbols : mapping of sympy.Symbol to str
        Each symbol with the LaTeX the paper writes for it.

    Returns
    -------
    sympy.Expr

    .. math:: \sin^{2}[k] + \cos(k)^2 \mapsto \sin^2 k + \cos^2 k

    >>> k = sp.Symbol("k", real=True)
    >>> read_expression(r"\sin^{2}[k] + \cos(k)^2", {k: "k"})
    sin(k)**2 + cos(k)**2
    """
    eq = read_equation(text, symbols)
    if eq.lhs_latex is not None:
        raise LatexReadError("expected an expression, found an equation", text.index("="), "=")
    return eq.rhs[0]
