r"""Values of model files evaluated without SymPy: a restricted, safe expression language.

A model file (``docs/model-files.md``) writes on-site energies, hoppings,
couplings and lengths as expressions in its declared parameters, ``omega``,
``I``, ``pi``, ``sqrt``, ``exp``, ``cos``, ``sin`` and numbers, with
``+ - * / **`` (``^`` is a power too).  This module parses them with Python's
:mod:`ast` and accepts only those node types -- no attribute access, no
subscripts, no other calls -- so nothing a file says is ever executed.
Decimal literals are exact (``0.1`` is 1/10).  The grammar is that of the
SymPy side's reader (``derive.models.model_values.read_expression``; the layers do not
import each other, ``tests/test_untrusted_input.py`` checks that both accept and
refuse the same texts): plain decimals only (no ``1_0``, ``0x1``, ``1j``), ASCII
text of at most :data:`MAX_TEXT` characters, at most :data:`MAX_NODES` nodes
and :data:`MAX_NESTING` levels (a chain ``a + b - c ...`` is one level), constant
exponents of at most :data:`MAX_EXACT_EXPONENT` and exact numbers of at most
:data:`MAX_DIGITS` digits, the size of every constant power estimated before it
is computed.  Every refusal is one line naming the construct.

One parsed :class:`Expression` evaluates on the two precisions of
:class:`numeric.precision.Backend` (one tree walk over the Backend's
operations) and in exact arithmetic:

``DOUBLE`` (or ``"numpy"``)
    complex128 arithmetic, names bound to scalars or arrays (vectorised over
    ``omega``); ``sqrt`` is the principal branch, as in SymPy.
``MULTI`` (or ``"mpmath"``)
    :mod:`mpmath` at the working precision (call inside ``mpmath.workdps``);
    exact parameters (:func:`numeric.precision.exact`) are rounded once.
``"exact"``
    :class:`fractions.Fraction` arithmetic for integer lengths of segments
    (no functions, no ``I``, integer powers only).

>>> e = parse("eps - I*gamma/2")
>>> sorted(e.names)
['eps', 'gamma']
>>> complex(e.evaluate({"eps": 0.5, "gamma": 1.0}))
(0.5-0.5j)
>>> parse("2*N + 1").evaluate({"N": 3}, backend="exact")
Fraction(7, 1)
>>> parse("0.1").evaluate({}, backend="exact")
Fraction(1, 10)
>>> parse("a.b")
Traceback (most recent call last):
...
numeric.models.expressions.ExpressionError: 'a.b': not allowed in a value: attribute access (allowed: numbers, names, + - * / ** ^, sqrt exp cos sin, I, pi)
"""
from __future__ import annotations

import ast
import keyword
import math
import operator
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Iterable, Mapping

import mpmath
import numpy as np

from numeric.precision import DOUBLE, MAX_DECIMAL_EXPONENT, MULTI, Backend, as_backend, decimal_fraction, exact

__all__ = ["ExpressionError", "Expression", "parse", "FUNCTIONS", "CONSTANTS", "ALLOWED", "MAX_TEXT", "MAX_NODES",
           "MAX_NESTING", "MAX_EXACT_EXPONENT", "MAX_DIGITS", "excerpt", "ExactConstant", "constant_value"]

#: function names a value may call (one argument each)
FUNCTIONS = ("sqrt", "exp", "cos", "sin")
#: constant names
CONSTANTS = ("I", "pi")
#: what a value may contain (quoted in every error)
ALLOWED = "numbers, names, + - * / ** ^, sqrt exp cos sin, I, pi"
#: longest text read as a value (characters)
MAX_TEXT = 10_000
#: most syntax nodes (numbers, names, operators, calls) of one value
MAX_NODES = 4_000
#: deepest nesting (parentheses, calls, powers; a chain ``a + b - c + ...`` or ``a*b/c*...`` is one level)
MAX_NESTING = 100
#: largest |exponent| of a constant power (a guard against 10**10**9)
MAX_EXACT_EXPONENT = 4096
#: most decimal digits of an exact number, written or computed (numerator and denominator each)
MAX_DIGITS = MAX_DECIMAL_EXPONENT

_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_CHAIN = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2}
_SYMBOL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_NODE_NAMES = {ast.Attribute: "attribute access", ast.Subscript: "a subscript", ast.Lambda: "lambda",
               ast.IfExp: "a conditional expression (if/else)", ast.NamedExpr: "an assignment expression (:=)",
               ast.JoinedStr: "an f-string", ast.FormattedValue: "an f-string", ast.Starred: "a starred argument",
               ast.ListComp: "a comprehension", ast.SetComp: "a comprehension", ast.DictComp: "a comprehension",
               ast.GeneratorExp: "a comprehension", ast.List: "a list", ast.Tuple: "a tuple", ast.Dict: "a dict",
               ast.Set: "a set", ast.Await: "await", ast.Yield: "yield", ast.YieldFrom: "yield",
               ast.Compare: "a comparison", ast.Slice: "a slice"}
_KEYWORD_CONSTRUCTS = {"and": "the boolean operator 'and'", "or": "the boolean operator 'or'",
                       "not": "the boolean operator 'not'", "if": "a conditional expression (if/else)",
                       "else": "a conditional expression (if/else)", "lambda": "lambda", "for": "a comprehension",
                       "in": "the operator 'in'", "is": "the operator 'is'"}
_LOG10_2 = math.log10(2)


def excerpt(text: str, limit: int = 60) -> str:
    """``repr`` of ``text``, shortened to about ``limit`` characters (error lines quote long text this way).

    >>> excerpt("x" * 100)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx ... xxxxxxxxxxxxxxx' (100 characters)"
    """
    text = str(text)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:2 * limit // 3]!r} ... {text[-limit // 4:]!r} ({len(text)} characters)".replace("' ... '", " ... ")


class ExpressionError(ValueError):
    """A value that is not in the model language, or names something undeclared.

    ``names`` holds the unknown names (if that is the problem), ``text`` the value.
    """

    def __init__(self, text: str, reason: str, names: Iterable[str] = ()) -> None:
        self.text, self.reason, self.names = text, reason, tuple(names)
        super().__init__(f"{excerpt(text)}: {reason}")


def _digits(q: Fraction) -> float:
    """Decimal digits of numerator and denominator (an upper estimate from the bit lengths)."""
    return (abs(q.numerator).bit_length() + q.denominator.bit_length()) * _LOG10_2


def _segment(src: str, node: ast.AST) -> str:
    """The text of ``node`` in the one-line ASCII ``src`` (``ast.get_source_segment`` splits the text each call)."""
    return src[node.col_offset:node.end_col_offset]


def _not_allowed(src: str, what: str) -> ExpressionError:
    return ExpressionError(src, f"not allowed in a value: {what} (allowed: {ALLOWED})")


def _syntax(text: str) -> tuple[str, ast.expr]:
    """The checked syntax tree of a value: ASCII text, its length, node types, node count and nesting."""
    if len(text) > MAX_TEXT:
        raise ExpressionError(text, f"longer than {MAX_TEXT} characters")
    bad = next((c for c in text if not (" " <= c <= "~" or c in "\t\n\r")), None)
    if bad is not None:
        raise ExpressionError(text, f"the character {bad!r} (U+{ord(bad):04X}) is not allowed in a value (ASCII "
                                    "letters, digits, operators and parentheses only)")
    src = re.sub(r"[\t\n\r]", " ", text).replace("^", "**").strip()  # one line: segments are column ranges
    if not src:
        raise ExpressionError(text, "empty value")
    try:
        body = ast.parse(src, mode="eval").body
    except (RecursionError, MemoryError):
        raise ExpressionError(text, f"nested too deeply (at most {MAX_NESTING} levels)") from None
    except (SyntaxError, ValueError):
        words = [w for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", src) if keyword.iskeyword(w)]
        if words:
            raise _not_allowed(text, _KEYWORD_CONSTRUCTS.get(words[0], f"the Python keyword {words[0]!r}")) from None
        raise ExpressionError(text, f"not a valid expression (allowed: {ALLOWED})") from None
    count, stack = 0, [(body, 1)]
    while stack:  # iteratively: no recursion on a long chain
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise ExpressionError(text, f"more than {MAX_NODES} terms and operators")
        if depth > MAX_NESTING:
            raise ExpressionError(text, f"nested more than {MAX_NESTING} levels deep")
        _check_node(text, src, node)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.operator, ast.unaryop, ast.cmpop, ast.expr_context, ast.boolop)) or \
                    (isinstance(node, ast.Call) and child is node.func):  # the function's name: checked with the call
                continue
            chain = isinstance(node, ast.BinOp) and child is node.left and isinstance(child, ast.BinOp) \
                and _CHAIN.get(type(child.op), 0) == _CHAIN.get(type(node.op), -1)
            stack.append((child, depth if chain else depth + 1))
    return src, body


def _check_node(text: str, src: str, node: ast.AST) -> None:
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _SYMBOL:
            symbol = {ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|",
                      ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>"}.get(type(node.op), "?")
            raise _not_allowed(text, f"the operator {symbol!r}")
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.UAdd, ast.USub)):
            raise _not_allowed(text, "the boolean operator 'not'" if isinstance(node.op, ast.Not) else "the operator '~'")
    elif isinstance(node, ast.BoolOp):
        raise _not_allowed(text, f"the boolean operator {'and' if isinstance(node.op, ast.And) else 'or'!r}")
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, (str, bytes)):
            raise _not_allowed(text, "a string" if isinstance(value, str) else "bytes")
        written = _segment(src, node) or repr(value)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _not_allowed(text, f"the literal {written}")
        if not _NUMBER.fullmatch(written):
            raise _not_allowed(text, f"the number {written!r} (plain decimals only, such as 12, 0.5, 1e-3)")
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            raise _not_allowed(text, _NODE_NAMES.get(type(node.func), "a call of an expression"))
        if node.func.id not in FUNCTIONS:
            raise ExpressionError(text, f"unknown function {node.func.id!r} (allowed: {', '.join(FUNCTIONS)})",
                                  [node.func.id])
        if node.keywords:
            raise _not_allowed(text, f"a keyword argument ({node.func.id}(... = ...))")
        if len(node.args) != 1:
            raise ExpressionError(text, f"{node.func.id}() takes exactly one argument")
    elif isinstance(node, ast.Name):
        if node.id in FUNCTIONS:
            raise _not_allowed(text, f"the function {node.id!r} without an argument")
    else:
        raise _not_allowed(text, _NODE_NAMES.get(type(node), type(node).__name__))


def _literal(text: str, src: str, node: ast.Constant) -> Fraction:
    written = _segment(src, node) or repr(node.value)
    try:
        return decimal_fraction(written)  # the literal as written: 0.1 is 1/10
    except ValueError:
        raise ExpressionError(text, f"the literal {written} has a decimal exponent beyond "
                                    f"{MAX_DECIMAL_EXPONENT}") from None


def _compile(text: str, src: str, node: ast.expr) -> tuple[tuple, Fraction | None, float]:
    """Node -> (tree, exact value if the subtree is a rational constant, digits of its numbers).

    Trees: ('num', Fraction) | ('name', str) | ('neg', e) | ('call', f, e) | ('**', a, b) |
    ('chain', first, ((op, e), ...)) with op in ``+ -`` or ``* /`` (left to right, as written).
    """
    if isinstance(node, ast.Constant):
        q = _literal(text, src, node)
        return ("num", q), q, _digits(q)
    if isinstance(node, ast.Name):
        return ("name", node.id), None, 0.0
    if isinstance(node, ast.UnaryOp):
        inner, q, size = _compile(text, src, node.operand)
        if isinstance(node.op, ast.UAdd):
            return inner, q, size
        return ("neg", inner), (None if q is None else -q), size
    if isinstance(node, ast.Call):
        inner, _, size = _compile(text, src, node.args[0])
        return ("call", node.func.id, inner), None, size
    if isinstance(node, ast.BinOp) and type(node.op) in _CHAIN:
        return _chain(text, src, node)
    assert isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow)
    (base, qb, sb), (expo, qe, se) = _compile(text, src, node.left), _compile(text, src, node.right)
    value = None
    if qe is not None:
        if abs(qe) > MAX_EXACT_EXPONENT:
            shown = f"{float(qe):.2g}" if _digits(qe) < 300 else f"10^{_digits(qe):.0f}"
            raise ExpressionError(text, f"a constant exponent of about {shown} (at most {MAX_EXACT_EXPONENT} in size)")
        digits = sb * float(abs(qe)) + (sb if qe.denominator != 1 else 0)
        if digits > MAX_DIGITS + 1:
            raise ExpressionError(text, f"the power {excerpt(_segment(src, node) or src)} would have "
                                        f"about {digits:.2g} digits (exact numbers have at most {MAX_DIGITS})")
        inner = Fraction(1, 2) if base[0] == "call" and base[1] == "sqrt" else \
            _inner_exponent(base) if base[0] == "**" else None
        if qe.denominator == 1 and inner is not None and abs(inner * qe) > MAX_EXACT_EXPONENT:  # (x**a)**b = x**(ab)
            raise ExpressionError(text, f"a combined exponent of {inner * qe} (at most {MAX_EXACT_EXPONENT} in size)")
        if qb is not None and qe.denominator == 1 and not (qb == 0 and qe < 0):
            value = qb ** int(qe)
        return ("**", base, expo), value, (sb * float(abs(qe)) if value is None else _digits(value))
    return ("**", base, expo), None, sb + se


def _inner_exponent(power: tuple) -> Fraction | None:
    """The exponent of ``('**', base, exponent)`` when it is a constant (already bounded), else None."""
    t, sign = power[2], 1
    while t[0] == "neg":
        t, sign = t[1], -sign
    if t[0] == "num":
        return sign * t[1]
    return None


def _chain(text: str, src: str, node: ast.BinOp) -> tuple[tuple, Fraction | None, float]:
    """``a + b - c ...`` or ``a * b / c ...`` as one chain (no recursion along it); constants computed, bounded."""
    level, ops = _CHAIN[type(node.op)], []
    while isinstance(node, ast.BinOp) and _CHAIN.get(type(node.op)) == level:
        ops.append((_SYMBOL[type(node.op)], node.right))
        node = node.left
    first, value, size = _compile(text, src, node)
    rest = []
    for op, right in reversed(ops):
        tree, q, s = _compile(text, src, right)
        rest.append((op, tree))
        size += s
        if value is not None and q is not None and not (op == "/" and q == 0):
            value = _BINARY[op](value, q)
            size = _digits(value)
            if size > MAX_DIGITS + 1:
                raise ExpressionError(text, f"holds a number of more than {MAX_DIGITS} digits")
        else:
            value = None
    return ("chain", first, tuple(rest)), value, size


def _names(tree: tuple) -> set[str]:
    kind = tree[0]
    if kind == "name":
        return set() if tree[1] in CONSTANTS else {tree[1]}
    if kind == "num":
        return set()
    if kind == "neg":
        return _names(tree[1])
    if kind == "call":
        return _names(tree[2])
    if kind == "chain":
        return _names(tree[1]).union(*(_names(t) for _, t in tree[2]))
    return _names(tree[1]) | _names(tree[2])


@dataclass(frozen=True)
class Expression:
    """A parsed value: ``text`` as written, ``names`` the free names (without ``I``, ``pi``)."""

    text: str
    tree: tuple
    names: frozenset

    def check_names(self, allowed: Iterable[str]) -> "Expression":
        """Raise :class:`ExpressionError` naming every free name not in ``allowed``.

        >>> parse("t*x").check_names(["t"])
        Traceback (most recent call last):
        ...
        numeric.models.expressions.ExpressionError: 't*x': unknown name 'x' (declare it under [parameters]; names allowed here: t)
        """
        allowed = list(allowed)
        unknown = sorted(self.names - set(allowed))
        if unknown:
            listed = ", ".join(allowed) if allowed else "none"
            hint = "the imaginary unit is I; " if {"i", "j"} & set(unknown) else ""
            raise ExpressionError(self.text, f"unknown name{'s' if len(unknown) > 1 else ''} "
                                             f"{', '.join(repr(u) for u in unknown)} ({hint}declare it under "
                                             f"[parameters]; names allowed here: {listed})", unknown)
        return self

    def depends_on(self, name: str) -> bool:
        return name in self.names

    def evaluate(self, values: Mapping[str, Any], *, backend: Backend | str = DOUBLE) -> Any:
        """The value with ``values`` bound to the free names (see the module doc for backends).

        >>> import mpmath
        >>> with mpmath.workdps(30):
        ...     print(parse("sqrt(2)/2").evaluate({}, backend="mpmath"))
        (0.707106781186547524400844362105 + 0.0j)
        """
        missing = sorted(self.names - set(values))
        if missing:
            raise ExpressionError(self.text, f"no value for {', '.join(missing)}", missing)
        if isinstance(backend, str) and backend == "exact":  # not a precision: Fraction arithmetic
            return _eval_exact(self.text, self.tree, values)
        try:
            xp = as_backend(backend)
        except ValueError:
            raise ValueError(f"unknown backend {backend!r} (numpy, mpmath, exact)") from None
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return _evaluate(self.tree, values, xp)


def parse(text: str) -> Expression:
    """Parse one value of a model file (``^`` is a power, decimals are exact).

    Raises :class:`ExpressionError` for anything outside the language.

    >>> parse("-tau1*sqrt(Lambda)").names == {"tau1", "Lambda"}
    True
    """
    if not isinstance(text, str):
        if isinstance(text, (int, float)) and not isinstance(text, bool):
            text = repr(text)
        else:
            raise ExpressionError(str(text), "a value must be a string or a number")
    src, body = _syntax(text)
    tree = _compile(text, src, body)[0]
    return Expression(text, tree, frozenset(_names(tree)))


def constant_value(text: str) -> Fraction | ExactConstant:
    """The exact value of a constant expression (no names): a Fraction when it is rational, else an
    :class:`ExactConstant`.  Refuses (:class:`ExpressionError`) names and values that are not real.

    >>> constant_value("2**-3 + 0.5"), constant_value("pi")
    (Fraction(5, 8), ExactConstant('pi'))
    >>> constant_value("eps")
    Traceback (most recent call last):
    ...
    numeric.models.expressions.ExpressionError: 'eps': names are not allowed in a constant (numbers, + - * / ** ^, sqrt exp cos sin, I, pi)
    """
    e = parse(text)
    if e.names:
        raise ExpressionError(text, "names are not allowed in a constant (numbers, + - * / ** ^, sqrt exp cos sin, "
                                    "I, pi)", sorted(e.names))
    try:
        return e.evaluate({}, backend="exact")
    except ExpressionError:  # functions, I or pi, a fractional power
        return ExactConstant(text)


class ExactConstant(Fraction):
    """A real constant such as ``pi`` or ``sqrt(2)/2``, exact at every precision.

    It is a :class:`fractions.Fraction` within :math:`10^{-60}` (relative) of the value, for comparisons with
    range bounds and for ``float()``; mpmath evaluates the expression itself at its working precision
    (``mpmath.mpf(c)``, :func:`numeric.precision.mp`), and ``str()`` gives the text (what the SymPy side reads
    exactly).  Arithmetic on it gives plain Fractions (the approximation): use it as a value, not an operand.

    >>> import mpmath
    >>> c = ExactConstant("pi/2")
    >>> round(float(c), 12), str(c)
    (1.570796326795, 'pi/2')
    >>> with mpmath.workdps(40):
    ...     print(mpmath.mpf(c))
    1.570796326794896619231321691639751442099
    """

    _text: str
    _expression: Expression

    def __new__(cls, text: str) -> "ExactConstant":
        e = parse(text)
        if e.names:
            raise ExpressionError(text, "names are not allowed in a constant", sorted(e.names))
        with mpmath.workdps(80):
            z = mpmath.mpc(e.evaluate({}, backend=MULTI))
        if not mpmath.isfinite(z.real) or not mpmath.isfinite(z.imag):
            raise ExpressionError(text, "not a finite number")
        if abs(z.imag) > mpmath.mpf(10) ** -60 * max(abs(z.real), 1):
            raise ExpressionError(text, "not a real number")
        man, exp_ = mpmath.mpf(z.real).man_exp if z.real else (0, 0)
        q = Fraction(man) * Fraction(2) ** exp_
        self = super().__new__(cls, q.numerator, q.denominator)
        self._text, self._expression = text, e
        return self

    def _mpmath_(self, prec: int, rounding: str) -> mpmath.mpf:
        """The value rounded to ``prec`` bits: evaluated with guard bits until two evaluations round alike."""
        previous, extra = None, 20
        while True:
            with mpmath.workprec(prec + extra):
                z = mpmath.mpc(self._expression.evaluate({}, backend=MULTI))
            with mpmath.workprec(prec):
                x = +z.real
            if x == previous or extra > 4 * prec + 200:
                return x
            previous, extra = x, 2 * extra + 20

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"ExactConstant({self._text!r})"

    def __reduce__(self):
        return (type(self), (self._text,))


# ----------------------------------------------------------------------------- backends

#: the functions of the language, by name, as Backend operations
_FUNCTIONS = {name: operator.attrgetter(name) for name in FUNCTIONS}


def _evaluate(t: tuple, env: Mapping[str, Any], xp: Backend):
    """The complex value of a parsed tree on the Backend ``xp`` (NumPy arrays or mpmath numbers).

    Every number is complex (``xp.complex``): ``+ 0j`` keeps a -0.0 imaginary part (from arithmetic)
    off the lower lip of sqrt's cut, so that sqrt is the principal branch on both precisions.
    """
    kind = t[0]
    if kind == "num":
        return xp.complex(t[1])
    if kind == "name":
        return xp.complex(1j) if t[1] == "I" else xp.complex(xp.pi()) if t[1] == "pi" else xp.complex(env[t[1]])
    if kind == "neg":
        return -_evaluate(t[1], env, xp)
    if kind == "call":
        return _FUNCTIONS[t[1]](xp)(xp.complex(_evaluate(t[2], env, xp)) + 0j)
    if kind == "chain":
        acc = _evaluate(t[1], env, xp)
        for op, term in t[2]:
            acc = _BINARY[op](acc, _evaluate(term, env, xp))
        return acc
    x, y = _evaluate(t[1], env, xp), _evaluate(t[2], env, xp)
    if kind == "**" and t[2][0] == "num" and t[2][1].denominator == 1:
        y = int(t[2][1])  # integer powers by repeated multiplication (exact for real bases)
    return _BINARY[kind](x, y)


def _eval_exact(src: str, t: tuple, env: Mapping[str, Any]) -> Fraction:
    kind = t[0]
    if kind == "num":
        return t[1]
    if kind == "name":
        if t[1] in CONSTANTS:
            raise ExpressionError(src, f"{t[1]} is not allowed in a length (an integer expression)")
        v = exact(env[t[1]], t[1])
        if isinstance(v, float):
            raise ExpressionError(src, f"{t[1]} is infinite: a length must be finite", [t[1]])
        return v
    if kind == "neg":
        return -_eval_exact(src, t[1], env)
    if kind == "call":
        raise ExpressionError(src, f"{t[1]}() is not allowed in a length (an integer expression)")
    if kind == "chain":
        acc = _eval_exact(src, t[1], env)
        for op, term in t[2]:
            b = _eval_exact(src, term, env)
            if op == "/" and b == 0:
                raise ExpressionError(src, "division by zero")
            acc = _BINARY[op](acc, b)
        return acc
    a, b = _eval_exact(src, t[1], env), _eval_exact(src, t[2], env)
    if kind == "**":
        if b.denominator != 1 or abs(b) > MAX_EXACT_EXPONENT:
            raise ExpressionError(src, f"a length may only use integer powers up to {MAX_EXACT_EXPONENT}")
        if a == 0 and b < 0:
            raise ExpressionError(src, "division by zero")
        return a ** int(b)
    if kind == "/" and b == 0:
        raise ExpressionError(src, "division by zero")
    return _BINARY[kind](a, b)


_BINARY = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
           "/": lambda a, b: a / b, "**": lambda a, b: a ** b}
