r'''The one printer of generated code: SymPy expressions -> NumPy or mpmath Python source.

Every generated evaluator is printed here: the paper families' modules committed in
``numeric/_generated`` (:mod:`derive.codegen.paper_modules`) and the model evaluators generated into the
disk cache (:mod:`derive.codegen.model_modules`).  Three pieces:

* the printer family, :func:`printer` (:class:`NumPyCodePrinter`, :class:`MpmathCodePrinter`:
  SymPy's code printers plus :class:`AbsSquared` as ``_abs2(z)`` = re(z)^2 + im(z)^2,
  :class:`Reciprocal` as ``1/x``, and ``re``/``im``/``polylog`` in mpmath);
* :func:`render_function`: one evaluator from a :class:`derive.codegen.spec.Spec` -- named steps in
  order, then the outputs with their common subexpressions shared (canonical :func:`sympy.cse`),
  products of scalar arguments hoisted into constants ``_k*``, ``|z|^2`` without a square root,
  equal steps computed once;
* :func:`render_module`: a module -- header docstring (generator, origin, backend, SymPy version,
  digest), the one import, constants, the run-time helpers the body calls, the body.

Escaping: generated source takes no text of a file unescaped.  Function, argument, step and
constant names must be Python identifiers (else ValueError); constants are printed by ``repr``
and must read back as the same literal; docstring text goes through :func:`docstring_text`; a
name that may hold anything (a model's name is a user's file name) enters only as
:func:`name_slug`.  LaTeX printing (the closed forms to paste into a paper,
:mod:`derive.latex.closed_form_print`) is a different job and stays there.

>>> x, y = sp.symbols("x y")
>>> from derive.codegen.spec import Spec
>>> print(render_function(Spec("f", (x, y), (("q", sp.Abs(x - y) ** 2), ("r", Reciprocal(x - y))), "Demo."), "numpy"))
def f(x, y):
    """Demo.
<BLANKLINE>
    Returns (q, r).
    """
    _x0 = x - y
    return (
        _abs2(_x0),
        1/_x0,
    )
<BLANKLINE>
'''
from __future__ import annotations

import ast
import hashlib
import keyword
import re
from typing import Iterable, Sequence

import sympy as sp
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.pycode import MpmathPrinter
from sympy.printing.repr import ReprPrinter

from derive.codegen.spec import Spec

__all__ = ["AbsSquared", "Reciprocal", "NumPyCodePrinter", "MpmathCodePrinter", "printer", "BACKENDS",
           "render_function", "render_module", "helpers_for", "spec_digest", "canonical_srepr", "name_slug",
           "identifier", "is_identifier", "docstring_text", "without_conjugates", "prepared"]

BACKENDS = ("numpy", "mpmath")
_IMPORT = {"numpy": "import numpy", "mpmath": "import mpmath"}


# ----------------------------------------------------------------------------- functions the printers know

class AbsSquared(sp.Function):
    """:math:`|z|^2`, printed as ``_abs2(z)`` = re(z)^2 + im(z)^2 (no square root, no ``hypot``).

    The sign of the argument is dropped (:math:`|-z|^2 = |z|^2`), so no negation is evaluated.

    >>> z = sp.Symbol("z")
    >>> AbsSquared(-z)
    AbsSquared(z)
    """

    nargs = 1

    @classmethod
    def eval(cls, z):
        if z.could_extract_minus_sign():
            return cls(-z)
        return None


class Reciprocal(sp.Function):
    """:math:`1/x`, printed as ``1/x`` (SymPy's printers write ``x**(-1.0)``, a complex power in NumPy)."""

    nargs = 1


class _CorePrinting:
    """What both targets add to SymPy's code printers."""

    def _print_AbsSquared(self, expr):
        return f"_abs2({self._print(expr.args[0])})"

    def _print_Reciprocal(self, expr):
        return f"1/{self.parenthesize(expr.args[0], 50)}"


class NumPyCodePrinter(_CorePrinting, NumPyPrinter):
    """NumPy target (elementwise over arrays)."""


class MpmathCodePrinter(_CorePrinting, MpmathPrinter):
    """mpmath target plus ``re``/``im`` (SymPy writes ``|exp(i k M)|`` as ``exp(-M im k)``) and ``polylog``;
    called inside ``mpmath.workdps`` by the caller."""

    def _print_re(self, expr):
        return f"mpmath.re({self._print(expr.args[0])})"

    def _print_im(self, expr):
        return f"mpmath.im({self._print(expr.args[0])})"

    def _print_polylog(self, expr):
        return f"mpmath.polylog({self._print(expr.args[0])}, {self._print(expr.args[1])})"


def printer(backend: str) -> NumPyCodePrinter | MpmathCodePrinter:
    """The printer of ``backend`` ("numpy" or "mpmath")."""
    settings = {"fully_qualified_modules": True, "inline": True, "allow_unknown_functions": False}
    if backend == "numpy":
        return NumPyCodePrinter(settings)
    if backend == "mpmath":
        return MpmathCodePrinter(settings)
    raise ValueError(f"backend {backend!r} is not one of {', '.join(BACKENDS)}")


# ----------------------------------------------------------------------------- escaping

def name_slug(name: object, limit: int = 40) -> str:
    """A name made safe for generated source and file names: ASCII letters, digits, ``_`` and ``-``.

    Every other character becomes ``_``; at most ``limit`` characters; never empty.

    >>> name_slug('d' + '"' * 3 + ';__import__("os").system("id>x")')
    'd______import____os___system__id_x__'
    """
    slug = re.sub(r"[^A-Za-z0-9_-]", "_", str(name))[:limit].strip("-")
    return slug or "model"


def identifier(name: str) -> str:
    """``name`` if it is an ASCII Python identifier and no keyword, else ValueError (nothing else is printed as a name).

    >>> identifier("Gamma_L")
    'Gamma_L'
    >>> identifier("x); import os")
    Traceback (most recent call last):
    ...
    ValueError: generated code: 'x); import os' is not a Python identifier
    """
    if not is_identifier(name):
        raise ValueError(f"generated code: {name!r} is not a Python identifier")
    return name


def is_identifier(name: object) -> bool:
    """True for an ASCII Python identifier that is no keyword (a name the printer may print as is)."""
    return isinstance(name, str) and name.isascii() and name.isidentifier() and not keyword.iskeyword(name)


def docstring_text(text: str) -> str:
    r"""``text`` safe inside a triple-quoted docstring: backslashes and quotes escaped, control characters dropped.

    >>> print(docstring_text('a ' + '"' * 3 + ' \\c'))
    a \"\"\" \\c
    """
    clean = "".join(ch for ch in str(text) if ch == "\n" or ch.isprintable())
    return clean.replace("\\", "\\\\").replace('"', '\\"')


def _literal(name: str, value: object) -> str:
    """``NAME = repr(value)``, refused unless the text reads back as the same literal."""
    text = repr(value)
    try:
        same = ast.literal_eval(text) == value
    except (ValueError, SyntaxError):
        same = False
    if not same:
        raise ValueError(f"generated code: constant {name} is not a plain literal")
    return f"{identifier(name)} = {text}"


# ----------------------------------------------------------------------------- digests

class _CanonicalRepr(ReprPrinter):
    """``srepr`` with each symbol's full set of assumptions, not the keywords it was created with.

    ``Symbol('g', nonnegative=True)`` and ``Symbol('g', real=True, nonnegative=True)`` are equal, and
    SymPy's cache may hand back either inside an expression; plain ``srepr`` prints the keywords, so
    the digest depended on which tests had built which symbol first.
    """

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        facts = ", ".join(f"{k}={v}" for k, v in sorted(expr.assumptions0.items()))
        return f"{type(expr).__name__}({expr.name!r}, {facts})"


def canonical_srepr(expr: object) -> str:
    """``srepr`` that does not depend on how an equal symbol was created."""
    return _CanonicalRepr().doprint(expr)


def spec_digest(specs: Iterable[Spec]) -> str:
    """16 hexadecimal digits of the names, arguments, bundles, steps and outputs of ``specs``."""
    h = hashlib.sha256()
    for spec in specs:
        h.update(spec.name.encode())
        h.update(canonical_srepr(spec.args).encode())
        for bundle, syms in spec.bundles:
            h.update(f"{bundle}{canonical_srepr(syms)}".encode())
        for name, expr in spec.outputs:
            h.update(name.encode())
            h.update(canonical_srepr(expr).encode())
        for sym, expr in spec.steps:
            h.update(canonical_srepr((sym, expr)).encode())
    return h.hexdigest()[:16]


# ----------------------------------------------------------------------------- expressions -> statements

def without_conjugates(expr: sp.Basic) -> sp.Basic:
    """``conjugate(x)`` as ``re(x) - I*im(x)`` (the code printers have no conjugate)."""
    return expr.replace(lambda e: isinstance(e, sp.conjugate), lambda e: sp.re(e.args[0]) - sp.I * sp.im(e.args[0]))


def _abs_squared(expr: sp.Basic) -> sp.Basic:
    """Replace ``Abs(z)**2`` by :class:`AbsSquared` (same value, cheaper to evaluate)."""
    return expr.replace(lambda e: e.is_Pow and isinstance(e.base, sp.Abs) and e.exp.is_even is True,
                        lambda e: AbsSquared(e.base.args[0]) ** (e.exp / 2))


def _hoist_scalars(expr: sp.Basic, scalars: frozenset, table: dict) -> sp.Basic:
    """Pull products of scalar arguments out of array products into named constants.

    ``-I*C_1/tau_1`` (two array operations as printed) becomes ``_k0*C_1`` with
    ``_k0 = -I/tau_1`` computed once per call; ``table`` maps constant -> symbol.
    """
    if expr.is_Atom:
        return expr
    args = [_hoist_scalars(a, scalars, table) for a in expr.args]
    if isinstance(expr, sp.Mul):
        const = [a for a in args if a.free_symbols <= scalars]
        rest = [a for a in args if not a.free_symbols <= scalars]
        value = sp.Mul(*const)
        if rest and const and value.free_symbols and not value.is_Symbol:
            if value not in table:
                table[value] = sp.Symbol(f"_k{len(table)}")
            return sp.Mul(table[value], *rest)
    return expr.func(*args)


def _once(steps: list) -> tuple[list, dict]:
    """Steps with an equal right-hand side computed once: later ones become the earlier symbol everywhere."""
    seen, alias, out = {}, {}, []
    for sym, expr in steps:
        expr = expr.xreplace(alias) if alias else expr
        if expr in seen and not expr.is_Atom:
            alias[sym] = seen[expr]
            continue
        seen.setdefault(expr, sym)
        out.append((sym, expr))
    return out, alias


def prepared(spec: Spec) -> tuple[list, list, dict, list, list]:
    """What :func:`render_function` prints of ``spec``.

    Returns
    -------
    tuple
        (steps, outputs, hoisted constants {value: symbol}, CSE replacements, reduced outputs).
    """
    table: dict = {}
    scalars = frozenset(spec.scalars)
    steps = [(sym, _hoist_scalars(_abs_squared(sp.sympify(e)), scalars, table)) for sym, e in spec.steps]
    steps, alias = _once(steps)
    exprs = [_hoist_scalars(_abs_squared(sp.sympify(e)), scalars, table).xreplace(alias) for _, e in spec.outputs]
    replacements, reduced = sp.cse(exprs, symbols=sp.numbered_symbols("_x"), order="canonical")
    return steps, exprs, table, replacements, reduced


def _check_names(spec: Spec, steps: list, exprs: list, table: dict) -> None:
    identifier(spec.name)
    for name in [a.name for a in spec.args] + [s.name for s, _ in spec.steps] + [b for b, _ in spec.bundles]:
        identifier(name)
    known = set(spec.args) | {sym for sym, _ in spec.steps} | set(table.values())
    unknown = [s for s in sp.Tuple(*exprs, *(e for _, e in steps)).free_symbols if s not in known]
    if unknown:
        raise ValueError(f"{spec.name}: expressions use symbols not in the argument list: {unknown}")


def render_function(spec: Spec, backend: str) -> str:
    """Python source of one evaluator.

    Parameters
    ----------
    spec : derive.codegen.spec.Spec
    backend : {"numpy", "mpmath"}

    Returns
    -------
    str
        ``def name(...)``: steps (:attr:`Spec.steps`) assigned first, in order (an equal right-hand
        side once); the outputs share common subexpressions via :func:`sympy.cse`; products of
        scalar arguments (:attr:`Spec.scalars`) are hoisted into constants ``_k*``.
    """
    pr = printer(backend)
    steps, exprs, table, replacements, reduced = prepared(spec)
    _check_names(spec, steps, exprs, table)
    positional, keywords = spec.signature()
    params = ", ".join(positional + (["*"] + keywords if keywords else []))
    out_names = ", ".join(n for n, _ in spec.outputs)
    packed = "".join(f"\n    ``{b}`` = ({', '.join(a.name for a in syms)})." for b, syms in spec.bundles)
    packed += "\n" if packed else ""
    lines = [f"def {spec.name}({params}):",
             f'    """{docstring_text(spec.doc)}\n{packed}\n    Returns ({docstring_text(out_names)}).\n    """']
    for bundle, syms in spec.bundles:
        lines.append(f"    {', '.join(a.name for a in syms)}{',' if len(syms) == 1 else ''} = {bundle}")
    for value, sym in table.items():
        lines.append(f"    {sym} = {pr.doprint(value)}")
    for sym, expr in steps + list(replacements):
        lines.append(f"    {sym} = {pr.doprint(expr)}")
    rendered = [pr.doprint(e) for e in reduced]
    if len(rendered) == 1:
        lines.append(f"    return ({rendered[0]},)")
    else:
        lines += ["    return ("] + [f"        {r}," for r in rendered] + ["    )"]
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- modules

_ABS2 = '''
def _abs2(z):
    """|z|**2 as re(z)**2 + im(z)**2 (arrays, complex, mpf, mpc)."""
    return z.real * z.real + z.imag * z.imag
'''

#: run-time helpers of the printed code: the call that needs it -> its definition
HELPERS = {"_abs2(": _ABS2}


def helpers_for(source: str) -> str:
    """Definitions of the printing helpers that ``source`` calls (``_abs2``)."""
    return "\n\n".join(text.strip("\n") + "\n" for call, text in HELPERS.items() if call in source)


def render_module(*, generator: str, origin: str, backend: str, digest: str, notes: Sequence[str] = (),
                  constants: Sequence[tuple[str, object]] = (), runtime: Sequence[str] = (), parts: Sequence[str] = ()) -> str:
    """Text of a generated module.

    Parameters
    ----------
    generator : str
        The module that printed it (a dotted identifier).
    origin : str
        What it was printed from (docstring text; pass a user's name through :func:`name_slug`).
    backend : {"numpy", "mpmath"}
    digest : str
        Hexadecimal digest of what it was printed from.
    notes : sequence of str
        Further header lines (docstring text).
    constants : sequence of (name, value)
        Module constants, printed by ``repr`` (plain literals only).
    runtime : sequence of str
        The caller's run-time helpers (source copied verbatim), first.
    parts : sequence of str
        The printed functions, in order, after the printing helpers they call (:func:`helpers_for`).

    Returns
    -------
    str
    """
    if backend not in _IMPORT:
        raise ValueError(f"backend {backend!r} is not one of {', '.join(BACKENDS)}")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", generator) or not re.fullmatch(r"[0-9a-f]+", digest):
        raise ValueError("generated code: generator must be a dotted name and digest hexadecimal")
    head = [f'"""GENERATED by {generator} from {docstring_text(origin)} -- do not edit.', "",
            f"Backend: {backend}.  SymPy version used: {sp.__version__}.  Digest: {digest}."]
    head += [docstring_text(n) for n in notes]
    head += ['"""', _IMPORT[backend]]
    if constants:
        head += [""] + [_literal(n, v) for n, v in constants]
    blocks = ["\n".join(head) + "\n"]
    body = [p.strip("\n") + "\n" for p in parts]
    helpers = helpers_for("\n".join(body))
    return "\n\n".join(blocks + [r.strip("\n") + "\n" for r in runtime] + ([helpers] if helpers else []) + body)
