r"""Values of model files evaluated without SymPy: a restricted, safe expression language.

A model file (``docs/model-files.md``) writes on-site energies, hoppings,
couplings and lengths as expressions in its declared parameters, ``omega``,
``I``, ``pi``, ``sqrt``, ``exp``, ``cos``, ``sin`` and numbers, with
``+ - * / **`` (``^`` is a power too).  This module parses them with Python's
:mod:`ast` and accepts only those node types -- no attribute access, no
subscripts, no other calls -- so nothing a file says is ever executed.
Decimal literals are exact (``0.1`` is 1/10).

One parsed :class:`Expression` evaluates on three backends:

``"numpy"``
    complex128 arithmetic, names bound to scalars or arrays (vectorised over
    ``omega``); ``sqrt`` is the principal branch, as in SymPy.
``"mpmath"``
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
numeric.expressions.ExpressionError: 'a.b': not allowed in a value: attribute access (allowed: numbers, names, + - * / ** ^, sqrt exp cos sin, I, pi)
"""
from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Iterable, Mapping

import mpmath
import numpy as np

from numeric.precision import MAX_DECIMAL_EXPONENT, decimal_fraction, exact, mp

__all__ = ["ExpressionError", "Expression", "parse", "FUNCTIONS", "CONSTANTS", "ALLOWED"]

#: function names a value may call (one argument each)
FUNCTIONS = ("sqrt", "exp", "cos", "sin")
#: constant names
CONSTANTS = ("I", "pi")
#: what a value may contain (quoted in every error)
ALLOWED = "numbers, names, + - * / ** ^, sqrt exp cos sin, I, pi"
#: largest |exponent| of an exact integer power (a guard against 10**10**9)
MAX_EXACT_EXPONENT = 4096
#: deepest expression tree (a sum of n terms is n deep): every pass over a tree recurses with its depth
MAX_DEPTH = 200

_NODE_NAMES = {ast.Attribute: "attribute access", ast.Subscript: "subscript", ast.Compare: "comparison",
               ast.BoolOp: "boolean operator", ast.Lambda: "lambda", ast.IfExp: "conditional",
               ast.List: "list", ast.Tuple: "tuple", ast.Dict: "dict", ast.Set: "set"}


class ExpressionError(ValueError):
    """A value that is not in the model language, or names something undeclared.

    ``names`` holds the unknown names (if that is the problem), ``text`` the value.
    """

    def __init__(self, text: str, reason: str, names: Iterable[str] = ()) -> None:
        self.text, self.reason, self.names = text, reason, tuple(names)
        super().__init__(f"{text!r}: {reason}")


def _literal(src: str, node: ast.Constant) -> Fraction:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ExpressionError(src, f"not allowed in a value: literal {value!r} (allowed: {ALLOWED})")
    if isinstance(value, int):
        return Fraction(value)
    text = ast.get_source_segment(src, node) or repr(value)
    try:
        return decimal_fraction(text.replace("_", ""))  # the literal as written: 0.1 is 1/10
    except ValueError:
        raise ExpressionError(src, f"the literal {text} has a decimal exponent beyond "
                                   f"{MAX_DECIMAL_EXPONENT}") from None


def _compile(src: str, node: ast.AST) -> tuple:
    """Node -> nested tuple ('num', Fraction) | ('name', str) | ('neg', e) | (op, a, b) | ('call', f, e)."""
    if isinstance(node, ast.Expression):
        return _compile(src, node.body)
    if isinstance(node, ast.Constant):
        return ("num", _literal(src, node))
    if isinstance(node, ast.Name):
        return ("name", node.id)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _compile(src, node.operand)
        return ("neg", inner) if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp):
        ops = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
        op = ops.get(type(node.op))
        if op is None:
            raise ExpressionError(src, f"not allowed in a value: operator {type(node.op).__name__} "
                                       f"(allowed: {ALLOWED})")
        return (op, _compile(src, node.left), _compile(src, node.right))
    if isinstance(node, ast.Call):
        fname = node.func.id if isinstance(node.func, ast.Name) else None
        if fname not in FUNCTIONS:
            shown = fname or ast.get_source_segment(src, node.func)
            raise ExpressionError(src, f"unknown function {shown!r} (allowed: {', '.join(FUNCTIONS)})",
                                  [shown] if fname else [])
        if len(node.args) != 1 or node.keywords:
            raise ExpressionError(src, f"{fname}() takes exactly one argument")
        return ("call", fname, _compile(src, node.args[0]))
    what = _NODE_NAMES.get(type(node), type(node).__name__)
    raise ExpressionError(src, f"not allowed in a value: {what} (allowed: {ALLOWED})")


def _names(tree: tuple) -> set[str]:
    kind = tree[0]
    if kind == "name":
        return set() if tree[1] in CONSTANTS else {tree[1]}
    if kind == "num":
        return set()
    if kind in ("neg",):
        return _names(tree[1])
    if kind == "call":
        return _names(tree[2])
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
        numeric.expressions.ExpressionError: 't*x': unknown name 'x' (declare it under [parameters]; names allowed here: t)
        """
        allowed = list(allowed)
        unknown = sorted(self.names - set(allowed))
        if unknown:
            listed = ", ".join(allowed) if allowed else "none"
            raise ExpressionError(self.text, f"unknown name{'s' if len(unknown) > 1 else ''} "
                                             f"{', '.join(repr(u) for u in unknown)} (declare it under "
                                             f"[parameters]; names allowed here: {listed})", unknown)
        return self

    def depends_on(self, name: str) -> bool:
        return name in self.names

    def evaluate(self, values: Mapping[str, Any], *, backend: str = "numpy") -> Any:
        """The value with ``values`` bound to the free names (see the module doc for backends).

        >>> import mpmath
        >>> with mpmath.workdps(30):
        ...     print(parse("sqrt(2)/2").evaluate({}, backend="mpmath"))
        (0.707106781186547524400844362105 + 0.0j)
        """
        missing = sorted(self.names - set(values))
        if missing:
            raise ExpressionError(self.text, f"no value for {', '.join(missing)}", missing)
        if backend == "numpy":
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                return _evaluate(self.tree, values, _NUMPY)
        if backend == "mpmath":
            return _evaluate(self.tree, values, _MPMATH)
        if backend == "exact":
            return _eval_exact(self.text, self.tree, values)
        raise ValueError(f"unknown backend {backend!r} (numpy, mpmath, exact)")


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
    src = text.replace("^", "**")
    if not src.strip():
        raise ExpressionError(text, "empty value")
    deep = f"nested deeper than {MAX_DEPTH} levels (a sum or product of more terms, or more parentheses)"
    try:
        node = ast.parse(src.strip(), mode="eval")
        tree = _compile(src.strip(), node)
    except SyntaxError:
        raise ExpressionError(text, f"not a valid expression (allowed: {ALLOWED})") from None
    except (RecursionError, MemoryError):  # Python's own parser and _compile recurse with the nesting
        raise ExpressionError(text, deep) from None
    if _depth(tree) > MAX_DEPTH:  # every later pass over the tree recurses too
        raise ExpressionError(text, deep)
    _check_powers(text, tree)
    return Expression(text, tree, frozenset(_names(tree)))


def _depth(tree: tuple) -> int:
    """Depth of a compiled tree, without recursion."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        t, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((sub, level + 1) for sub in t[1:] if isinstance(sub, tuple))
    return deepest


def _constant(t: tuple) -> bool:
    """A subtree of numbers and arithmetic only (exactly computable)."""
    if t[0] == "num":
        return True
    if t[0] in ("name", "call"):
        return False
    return all(_constant(x) for x in t[1:])


def _check_powers(src: str, t: tuple) -> None:
    """Refuse a constant exponent beyond :data:`MAX_EXACT_EXPONENT` (``10**10**10``: exact arithmetic
    in SymPy or Fractions would not finish)."""
    if t[0] in ("num", "name"):
        return
    for sub in t[1:]:
        if isinstance(sub, tuple):
            _check_powers(src, sub)
    if t[0] == "**" and _constant(t[2]):
        b = _eval_exact(src, t[2], {})
        if abs(b) > MAX_EXACT_EXPONENT:
            raise ExpressionError(src, f"a constant exponent may be at most {MAX_EXACT_EXPONENT} in size "
                                       f"(got {float(b):.6g})")


# ----------------------------------------------------------------------------- backends

class _Numbers:
    """One backend of :func:`_evaluate`: constants, names and functions as complex numbers."""

    def __init__(self, number, name_value, function, i_unit, pi) -> None:
        self.number, self.name_value, self.function, self.I, self.pi = number, name_value, function, i_unit, pi


def _np_name(v: Any):
    return np.asarray(v, dtype=complex) if isinstance(v, np.ndarray) else np.complex128(_float(v))


def _mp_name(v: Any):
    if isinstance(v, (mpmath.mpc, complex)):
        return mpmath.mpc(v)
    return mpmath.mpc(v if isinstance(v, mpmath.mpf) else mp(exact(v)))


#: + 0j: a -0.0 imaginary part (from arithmetic) would put sqrt on the lower lip of its cut
_NUMPY = _Numbers(lambda q: np.complex128(float(q)), _np_name,
                  lambda f, z: getattr(np, f)(np.asarray(z, dtype=complex) + 0j), lambda: np.complex128(1j),
                  lambda: np.complex128(math.pi))
_MPMATH = _Numbers(lambda q: mpmath.mpc(mp(q)), _mp_name, lambda f, z: getattr(mpmath, f)(z),
                   lambda: mpmath.mpc(0, 1), lambda: mpmath.mpc(mpmath.pi))


def _evaluate(t: tuple, env: Mapping[str, Any], b: _Numbers):
    """The complex value of a parsed tree on backend ``b`` (NumPy arrays or mpmath numbers)."""
    kind = t[0]
    if kind == "num":
        return b.number(t[1])
    if kind == "name":
        return b.I() if t[1] == "I" else b.pi() if t[1] == "pi" else b.name_value(env[t[1]])
    if kind == "neg":
        return -_evaluate(t[1], env, b)
    if kind == "call":
        return b.function(t[1], _evaluate(t[2], env, b))
    x, y = _evaluate(t[1], env, b), _evaluate(t[2], env, b)
    if kind == "**" and t[2][0] == "num" and t[2][1].denominator == 1:
        y = int(t[2][1])  # integer powers by repeated multiplication (exact for real bases)
    return _BINARY[kind](x, y)


def _float(v: Any) -> complex | float:
    if isinstance(v, complex):
        return v
    x = exact(v)
    return x if isinstance(x, float) else float(x)


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
