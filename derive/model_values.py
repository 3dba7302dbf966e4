"""Model values (the strings of a model file) as SymPy expressions, in a closed namespace.

A value may use the declared parameters, ``omega`` (the energy, real), ``I``,
``pi``, ``sqrt``, ``exp``, ``cos``, ``sin``, numbers, ``+ - * /``, ``**``
and ``^`` (both a power).  Decimal literals are exact (``0.1`` is 1/10).
Anything else -- an undeclared name, an attribute, a keyword argument, a
string -- is a :class:`ModelValueError` that names what is not allowed.

The text is read with Python's :mod:`ast` and the expression is built node by
node from an explicit table: nothing is ``eval``-ed and SymPy's own namespace
(where ``gamma``, ``N``, ``E``, ``S``, ``beta``, ``Q`` are functions or
constants) is never consulted.

Parameter symbols follow the model dict (``docs/model-files.md``):
``kind`` "real" (default), "integer" or "complex"; a range ``"> 0"`` makes the
symbol positive, ``">= 0"`` nonnegative (likewise ``"< 0"``, ``"<= 0"``; a
lower bound ``>= 1`` also makes it positive).

>>> pars = {"gamma": {"range": ">= 0"}, "N": {"kind": "integer", "range": ">= 1"}}
>>> parse_value("0.1*gamma^2 - I*N/2", pars)
-I*N/2 + gamma**2/10
>>> parse_value("E + 1", pars)
Traceback (most recent call last):
...
derive.model_values.ModelValueError: unknown name 'E' in 'E + 1' (allowed: gamma, N, omega, I, pi, sqrt, exp, cos, sin)
"""
from __future__ import annotations

import ast
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Mapping, Union

import sympy as sp

__all__ = ["ModelValueError", "OMEGA", "RESERVED", "parameter_symbols", "parse_value", "parse_range"]

#: the energy variable of every model (real)
OMEGA = sp.Symbol("omega", real=True)
_FUNCTIONS = {"sqrt": sp.sqrt, "exp": sp.exp, "cos": sp.cos, "sin": sp.sin}
_CONSTANTS = {"I": sp.I, "pi": sp.pi}
#: names a model may not declare as parameters
RESERVED = ("omega", *_CONSTANTS, *_FUNCTIONS)

_BINARY = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
           ast.Div: lambda a, b: a / b, ast.Pow: lambda a, b: a ** b}
_COMPARISON = re.compile(r"^\s*(>=|<=|>|<)\s*(\S+)\s*$")

ParameterTable = Mapping[str, Union[Mapping, sp.Symbol, None]]


class ModelValueError(ValueError):
    """A model value, parameter declaration or quantity that cannot be used.

    ``names`` holds the unknown names (if that is the problem), ``text`` the
    offending text.  The message is one line, fit for the command line.
    """

    def __init__(self, message: str, *, names: tuple[str, ...] = (), text: str | None = None) -> None:
        self.names, self.text = tuple(names), text
        super().__init__(message)


def parse_range(text: str | None) -> list[tuple[str, Fraction]]:
    """A declared range as a list of ``(operator, bound)``; ``None``/"" is no constraint.

    Conditions are joined by ``,`` or ``and``: ``">= 0, < 1"``.

    >>> parse_range(">= 0.5")
    [('>=', Fraction(1, 2))]
    >>> parse_range("positive")
    Traceback (most recent call last):
    ...
    derive.model_values.ModelValueError: range 'positive' is not a list of comparisons such as '> 0', '>= 1', '< 2'
    """
    if text is None or not str(text).strip():
        return []
    out = []
    for part in re.split(r",|\band\b", str(text)):
        m = _COMPARISON.match(part)
        try:
            bound = Fraction(Decimal(m.group(2))) if m else None
        except (InvalidOperation, ValueError):
            bound = None
        if bound is None:
            raise ModelValueError(f"range {text!r} is not a list of comparisons such as '> 0', '>= 1', '< 2'",
                                  text=str(text))
        out.append((m.group(1), bound))
    return out


def _assumptions(kind: str, rng: list[tuple[str, Fraction]], name: str) -> dict[str, bool]:
    if kind == "complex":
        if rng:
            raise ModelValueError(f"parameter {name}: a complex parameter cannot have a range")
        return {"complex": True}
    if kind not in ("real", "integer"):
        raise ModelValueError(f"parameter {name}: kind {kind!r} is not one of real, integer, complex")
    out = {"integer": True} if kind == "integer" else {"real": True}
    for op, bound in rng:
        if (op == ">" and bound >= 0) or (op == ">=" and bound > 0):
            out["positive"] = True
        elif op == ">=" and bound == 0:
            out.setdefault("nonnegative", True)
        elif (op == "<" and bound <= 0) or (op == "<=" and bound < 0):
            out["negative"] = True
        elif op == "<=" and bound == 0:
            out.setdefault("nonpositive", True)
    if out.get("positive"):
        out.pop("nonnegative", None)
    if out.get("negative"):
        out.pop("nonpositive", None)
    return out


def parameter_symbols(parameters: ParameterTable) -> dict[str, sp.Symbol]:
    """One SymPy symbol per declared parameter, in declaration order.

    ``parameters`` is the model dict's table (name -> ``{"kind", "range",
    "about"}`` or ``None``); a value that is already a :class:`sympy.Symbol`
    is used as it is.

    >>> s = parameter_symbols({"tau1": {"range": "> 0"}, "V": None, "N": {"kind": "integer"}})
    >>> s["tau1"].is_positive, s["V"].is_real, s["N"].is_integer
    (True, True, True)
    """
    out: dict[str, sp.Symbol] = {}
    for name, spec in parameters.items():
        if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
            raise ModelValueError(f"parameter name {name!r} is not an identifier (letters, digits, _)")
        if name in RESERVED:
            raise ModelValueError(f"parameter name {name!r} is reserved ({', '.join(RESERVED)})")
        if isinstance(spec, sp.Symbol):
            out[name] = spec
            continue
        spec = dict(spec or {})
        kind = spec.get("kind") or "real"
        out[name] = sp.Symbol(name, **_assumptions(kind, parse_range(spec.get("range")), name))
    return out


def parse_value(text: str, parameters: ParameterTable, *, allow_omega: bool = True) -> sp.Expr:
    """The SymPy expression of a model value.

    Parameters
    ----------
    text : str
        The value as written in the model file (a number is accepted too).
    parameters : mapping
        The declared parameters (model dict table, or name -> Symbol).
    allow_omega : bool
        Whether the energy ``omega`` may appear (not in segment lengths).

    Returns
    -------
    sympy.Expr
        Exact: decimal literals are rationals, ``^`` is a power.

    Raises
    ------
    ModelValueError
        Naming every unknown name (``.names``), or the unsupported syntax.

    >>> parse_value("-tau1*sqrt(Lambda)", {"tau1": {"range": "> 0"}, "Lambda": {"range": ">= 1"}})
    -sqrt(Lambda)*tau1
    >>> parse_value("1e-3 + 2.5", {})
    2501/1000
    """
    symbols = parameter_symbols(parameters)
    if isinstance(text, bool) or not isinstance(text, (str, int, Fraction)):
        raise ModelValueError(f"value {text!r} is not a string or a number", text=str(text))
    source = str(text).replace("^", "**")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError:
        raise ModelValueError(f"cannot read {str(text)!r} as an expression", text=str(text)) from None
    names = dict(symbols)
    if allow_omega:
        names["omega"] = OMEGA
    names.update(_CONSTANTS)
    unknown: list[str] = []
    expr = _build(tree.body, source.strip(), names, unknown)
    if unknown:
        allowed = ", ".join(list(names) + list(_FUNCTIONS))
        listed = ", ".join(repr(u) for u in dict.fromkeys(unknown))
        plural = "s" if len(set(unknown)) > 1 else ""
        raise ModelValueError(f"unknown name{plural} {listed} in {str(text)!r} (allowed: {allowed})",
                              names=tuple(dict.fromkeys(unknown)), text=str(text))
    if expr.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
        raise ModelValueError(f"value {str(text)!r} is not finite", text=str(text))
    return expr


def _build(node: ast.AST, source: str, names: dict, unknown: list) -> sp.Expr:
    """SymPy expression of one AST node (allowed nodes only)."""
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _BINARY[type(node.op)](_build(node.left, source, names, unknown),
                                      _build(node.right, source, names, unknown))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _build(node.operand, source, names, unknown)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        if isinstance(node.value, int):
            return sp.Integer(node.value)
        frac = Fraction(Decimal(ast.get_source_segment(source, node)))  # the literal as written: exact
        return sp.Rational(frac.numerator, frac.denominator)
    if isinstance(node, ast.Name):
        if node.id in names:
            return names[node.id]
        unknown.append(node.id)
        return sp.Integer(0)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id not in _FUNCTIONS:
            unknown.append(node.func.id)
        if node.keywords or len(node.args) != 1:
            raise ModelValueError(f"{node.func.id}(...) in {source!r} takes exactly one argument", text=source)
        arg = _build(node.args[0], source, names, unknown)
        return _FUNCTIONS[node.func.id](arg) if node.func.id in _FUNCTIONS else arg
    what = ast.get_source_segment(source, node) or type(node).__name__
    raise ModelValueError(f"{what!r} is not allowed in a model value {source!r} (numbers, names, + - * / ** ^, "
                          "sqrt exp cos sin)", text=source)
