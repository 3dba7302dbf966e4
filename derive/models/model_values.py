"""Model values (the strings of a model file) as SymPy expressions, in a closed namespace.

A value may use the declared parameters, ``omega`` (the energy, real), ``I``,
``pi``, ``sqrt``, ``exp``, ``cos``, ``sin``, numbers, ``+ - * /``, ``**``
and ``^`` (both a power).  Decimal literals are exact (``0.1`` is 1/10).
Anything else -- an undeclared name, an attribute, a keyword argument, a
string -- is a :class:`ModelValueError` that names what is not allowed.

:func:`read_expression` (and :func:`read_condition` for comparisons) is the one
reader of expression text on the SymPy side: model values, the ``where``,
``assume`` and ``claims`` values of paper files and the couplings of field
files all go through it, each with its own names and functions.  The text is
read with Python's :mod:`ast` and the expression is built node by node from an
explicit table: nothing is ``eval``-ed and SymPy's own namespace (where
``gamma``, ``N``, ``E``, ``S``, ``beta``, ``Q`` are functions or constants) is
never consulted.  Only numbers (plain decimals: no ``1_0``, ``0x1``, ``1j``),
names, unary ``+ -``, ``+ - * / ** ^``, calls of the given functions with one
positional argument and, in a condition, comparisons are accepted; every other
construct is refused with one line naming it.  The work is bounded before it
starts: at most :data:`MAX_TEXT` characters of ASCII text, :data:`MAX_NODES`
syntax nodes, :data:`MAX_NESTING` levels of nesting (a sum or product of many
terms is one level), constant exponents of at most :data:`MAX_EXPONENT` in size
and exact numbers of at most :data:`MAX_DIGITS` digits (the size of every
constant power is estimated before it is computed: ``9**9**9`` and
``((2**4096)**4096)**4096`` are refused at once).

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
derive.models.model_values.ModelValueError: unknown name 'E' in 'E + 1' (allowed: gamma, N, omega, I, pi, sqrt, exp, cos, sin)
>>> parse_value("9**9**9", {})
Traceback (most recent call last):
...
derive.models.model_values.ModelValueError: a constant exponent of about 3.9e+08 in '9**9**9' (at most 4096 in size)
"""
from __future__ import annotations

import ast
import keyword
import math
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Callable, Mapping, Union

import sympy as sp

__all__ = ["ModelValueError", "OMEGA", "RESERVED", "parameter_symbols", "parse_value", "parse_range",
           "read_expression", "read_condition", "excerpt", "FUNCTIONS", "CONSTANTS", "MAX_TEXT", "MAX_NODES",
           "MAX_NESTING", "MAX_EXPONENT", "MAX_DIGITS"]

#: the energy variable of every model (real)
OMEGA = sp.Symbol("omega", real=True)
#: the functions of a model value (one argument each)
FUNCTIONS = {"sqrt": sp.sqrt, "exp": sp.exp, "cos": sp.cos, "sin": sp.sin}
#: the constants of a model value
CONSTANTS = {"I": sp.I, "pi": sp.pi}
#: names a model may not declare as parameters: the language's own names and Python keywords
RESERVED = ("omega", *CONSTANTS, *FUNCTIONS)

#: longest text read as an expression (characters)
MAX_TEXT = 10_000
#: most syntax nodes (numbers, names, operators, calls) of one expression
MAX_NODES = 4_000
#: deepest nesting (parentheses, calls, powers; a chain ``a + b - c + ...`` or ``a*b/c*...`` is one level)
MAX_NESTING = 100
#: largest |exponent| of a constant power (``x**4097`` and ``10**10**10`` are refused)
MAX_EXPONENT = 4096
#: most decimal digits of an exact number, written or computed (numerator and denominator each)
MAX_DIGITS = 100_000

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_COMPARISON = re.compile(r"\s*(>=|<=|>|<)\s*(\S+)\s*")
_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_CHAIN = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2}
_CONSTRUCTS = {ast.Attribute: "attribute access", ast.Subscript: "a subscript", ast.Lambda: "lambda",
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
_TEN = math.log10(2)

ParameterTable = Mapping[str, Union[Mapping, sp.Symbol, None]]


class ModelValueError(ValueError):
    """A model value, parameter declaration or quantity that cannot be used.

    ``names`` holds the unknown names (if that is the problem), ``text`` the
    offending text.  The message is one line, fit for the command line.
    """

    def __init__(self, message: str, *, names: tuple[str, ...] = (), text: str | None = None) -> None:
        self.names, self.text = tuple(names), text
        super().__init__(message)


def excerpt(text: str, limit: int = 60) -> str:
    """``repr`` of ``text``, shortened to about ``limit`` characters (error lines quote long text this way).

    >>> excerpt("a + " * 40 + "b")
    "'a + a + a + a + a + a + a + a + a + a +  ... a + a + a + b' (161 characters)"
    """
    text = str(text)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:2 * limit // 3]!r} ... {text[-limit // 4:]!r} ({len(text)} characters)".replace("' ... '", " ... ")


def parse_range(text: str | None) -> list[tuple[str, Fraction]]:
    """A declared range as a list of ``(operator, bound)``; ``None``/"" is no constraint.

    Conditions are joined by ``,`` or ``and``: ``">= 0, < 1"``.

    >>> parse_range(">= 0.5")
    [('>=', Fraction(1, 2))]
    >>> parse_range("positive")
    Traceback (most recent call last):
    ...
    derive.models.model_values.ModelValueError: range 'positive' is not a list of comparisons such as '> 0', '>= 1', '< 2'
    """
    if text is None or not str(text).strip():
        return []
    out = []
    for part in re.split(r",|\band\b", str(text)):
        m = _COMPARISON.fullmatch(part)
        number = m.group(2).lstrip("+-") if m else ""
        bound = None
        if _NUMBER.fullmatch(number):  # plain decimals, as in values (Decimal alone takes 1_0 and other digits)
            d = Decimal(m.group(2))
            bound = Fraction(d) if not d or abs(d.adjusted()) <= MAX_DIGITS else None
        if bound is None:
            raise ModelValueError(f"range {excerpt(text)} is not a list of comparisons such as '> 0', '>= 1', '< 2'",
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
        if not isinstance(name, str) or not _IDENTIFIER.fullmatch(name):
            raise ModelValueError(f"parameter name {excerpt(repr(name))} is not an identifier (an ASCII letter, "
                                  "then letters, digits, _)")
        if name in RESERVED or keyword.iskeyword(name):
            raise ModelValueError(f"parameter name {name!r} is reserved ({', '.join(RESERVED)} and Python's "
                                  "keywords such as lambda)")
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
        raise ModelValueError(f"value {excerpt(repr(text))} is not a string or a number", text=str(text))
    names: dict[str, sp.Basic] = dict(symbols)
    if allow_omega:
        names["omega"] = OMEGA
    names.update(CONSTANTS)
    expr = read_expression(str(text), names, what="a model value")
    if expr.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
        raise ModelValueError(f"value {excerpt(text)} is not finite", text=str(text))
    return expr


def read_expression(text: str, names: Mapping[str, sp.Basic], *,
                    functions: Mapping[str, Callable] = FUNCTIONS,
                    free: Callable[[str], sp.Basic] | None = None, what: str = "a value") -> sp.Expr:
    """An expression from text, built node by node (nothing is evaluated as Python).

    Parameters
    ----------
    text : str
        The expression (``^`` is a power, decimals are exact).
    names : mapping of str to sympy object
        The names the text may use and what they stand for.
    functions : mapping of str to callable
        The functions it may call (one positional argument each).
    free : callable, optional
        Makes the symbol of any other name (a field coupling's names); without it another name is unknown.
    what : str
        What the text is, for error messages ("a model value", "a coupling").

    Returns
    -------
    sympy.Expr

    Raises
    ------
    ModelValueError
        One line naming the construct that is not allowed (or every unknown name, in ``.names``).

    >>> read_expression("2*x^2 + sqrt(4)", {"x": sp.Symbol("x")})
    2*x**2 + 2
    >>> read_expression("x.real", {"x": sp.Symbol("x")})
    Traceback (most recent call last):
    ...
    derive.models.model_values.ModelValueError: attribute access is not allowed in a value 'x.real' (allowed: numbers, + - * / ** ^, x, sqrt exp cos sin)
    """
    return _Reader(text, names, functions, free, what, comparisons=False).read()


def read_condition(text: str, names: Mapping[str, sp.Basic], *, functions: Mapping[str, Callable] = FUNCTIONS,
                   what: str = "a condition") -> list:
    """A comparison ``a < b``, or a chain ``a <= b < c``, as a list of unevaluated relationals.

    The sides are read as by :func:`read_expression`; the operators are ``< <= > >= ==``.

    Parameters
    ----------
    text : str
    names : mapping of str to sympy object
    functions : mapping of str to callable
    what : str

    Returns
    -------
    list of sympy.core.relational.Relational

    >>> n, M = sp.Symbol("n"), sp.Symbol("M")
    >>> read_condition("1 <= n <= 2*M+1", {"n": n, "M": M})
    [1 <= n, n <= 2*M + 1]
    """
    return _Reader(text, names, functions, free=None, what=what, comparisons=True).read()


_RELATIONS = {ast.Lt: sp.Lt, ast.LtE: sp.Le, ast.Gt: sp.Gt, ast.GtE: sp.Ge, ast.Eq: sp.Eq}


def _digits(n: int) -> float:
    """Decimal digits of ``|n|`` (an upper estimate from the bit length, no conversion)."""
    return abs(n).bit_length() * _TEN


def _size(expr: sp.Basic) -> float:
    """Digits of the exact numbers in ``expr`` (summed: what a power of it may multiply out to)."""
    if isinstance(expr, sp.Rational):
        return _digits(expr.p) + _digits(expr.q)
    return sum(_digits(r.p) + _digits(r.q) for r in expr.atoms(sp.Rational))


class _Reader:
    """One reading of one text: checks of the raw text and of the syntax tree, then the build."""

    def __init__(self, text: str, names: Mapping[str, sp.Basic], functions: Mapping[str, Callable],
                 free: Callable[[str], sp.Basic] | None, what: str, *, comparisons: bool) -> None:
        self.text, self.names, self.functions, self.free = str(text), names, functions, free
        self.what, self.comparisons = what, comparisons
        self.unknown: list[str] = []

    def error(self, reason: str, names: tuple[str, ...] = ()) -> ModelValueError:
        return ModelValueError(reason, names=names, text=self.text)

    def refuse(self, construct: str) -> ModelValueError:
        return self.error(f"{construct} is not allowed in {self.what} {excerpt(self.text)} "
                          f"(allowed: {self.allowed()})")

    def allowed(self) -> str:
        shown = [n for n in self.names if n not in CONSTANTS and n not in ("E", "oo", "zoo", "nan")]
        listed = ", ".join(shown[:12]) + (", ..." if len(shown) > 12 else "")
        parts = ["numbers", "+ - * / ** ^"] + (["comparisons < <= > >= =="] if self.comparisons else [])
        parts += ["names" if self.free else listed, " ".join(self.functions)]
        parts += [" ".join(n for n in self.names if n in CONSTANTS or n == "E")]
        return ", ".join(p for p in parts if p)

    # ----------------------------------------------------------------- text and tree
    def tree(self) -> ast.expr:
        text = self.text
        if len(text) > MAX_TEXT:
            raise self.error(f"{self.what} {excerpt(text)} is longer than {MAX_TEXT} characters")
        bad = next((c for c in text if not (" " <= c <= "~" or c in "\t\n\r")), None)
        if bad is not None:
            raise self.error(f"the character {bad!r} (U+{ord(bad):04X}) is not allowed in {self.what} "
                             f"{excerpt(text)} (ASCII letters, digits, operators and parentheses only)")
        if not text.strip():
            raise self.error(f"{self.what} is empty")
        source = re.sub(r"[\t\n\r]", " ", text).replace("^", "**").strip()  # one line: segments are columns
        try:
            body = ast.parse(source, mode="eval").body
        except (RecursionError, MemoryError):
            raise self.error(f"{self.what} {excerpt(text)} is nested too deeply (at most {MAX_NESTING} levels)")
        except (SyntaxError, ValueError):
            words = [w for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", re.sub(r"[0-9.]+[eE][+-]?[0-9]+", "", source))
                     if keyword.iskeyword(w)]
            if words:
                construct = _KEYWORD_CONSTRUCTS.get(words[0], f"the Python keyword {words[0]!r}")
                raise self.refuse(construct) from None
            if self.comparisons:
                raise self.error(f"{self.what} {excerpt(text)} is not a comparison such as 'omega > -2'") from None
            raise self.error(f"cannot read {self.what} {excerpt(text)} as an expression "
                             f"(allowed: {self.allowed()})") from None
        self.source = source
        self.check(body)
        return body

    def segment(self, node: ast.AST) -> str:
        """The text of ``node`` (the source is one line of ASCII: columns are characters)."""
        return self.source[node.col_offset:node.end_col_offset]

    def check(self, body: ast.expr) -> None:
        """Node types, node count and nesting, before anything is built (iteratively: no recursion)."""
        count, stack = 0, [(body, 1, True)]
        while stack:
            node, depth, top = stack.pop()
            count += 1
            if count > MAX_NODES:
                raise self.error(f"{self.what} {excerpt(self.text)} has more than {MAX_NODES} terms and operators")
            if depth > MAX_NESTING:
                raise self.error(f"{self.what} {excerpt(self.text)} is nested more than {MAX_NESTING} levels deep")
            self.check_node(node, top)
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.operator, ast.unaryop, ast.cmpop, ast.expr_context, ast.boolop)) or \
                        (isinstance(node, ast.Call) and child is node.func):  # the function's name: checked with the call
                    continue
                chain = isinstance(node, ast.BinOp) and child is node.left and isinstance(child, ast.BinOp) \
                    and _CHAIN.get(type(child.op), 0) == _CHAIN.get(type(node.op), -1)
                stack.append((child, depth if chain else depth + 1, False))

    def check_node(self, node: ast.AST, top: bool) -> None:
        if isinstance(node, ast.BinOp):
            if type(node.op) not in _CHAIN and not isinstance(node.op, ast.Pow):
                symbol = {ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|",
                          ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>"}.get(type(node.op), "?")
                raise self.refuse(f"the operator {symbol!r}")
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.UAdd, ast.USub)):
                raise self.refuse("the boolean operator 'not'" if isinstance(node.op, ast.Not) else "the operator '~'")
        elif isinstance(node, ast.BoolOp):
            raise self.refuse(f"the boolean operator {'and' if isinstance(node.op, ast.And) else 'or'!r}")
        elif isinstance(node, ast.Constant):
            self.literal(node)
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name):
                raise self.refuse(_CONSTRUCTS.get(type(node.func), "a call of an expression"))
            if node.func.id not in self.functions:
                raise self.error(f"unknown function {node.func.id!r} in {excerpt(self.text)} (functions: "
                                 f"{', '.join(self.functions)})", (node.func.id,))
            if node.keywords:
                raise self.refuse(f"a keyword argument ({node.func.id}(... = ...))")
            if len(node.args) != 1:
                raise self.error(f"{node.func.id}() takes exactly one argument (in {excerpt(self.text)})")
        elif isinstance(node, ast.Compare):
            if not (self.comparisons and top):
                raise self.refuse("a comparison")
            for op in node.ops:
                if type(op) not in _RELATIONS:
                    sym = {ast.NotEq: "!=", ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not"}
                    raise self.refuse(f"the comparison {sym.get(type(op), '?')!r}")
        elif not isinstance(node, ast.Name):
            raise self.refuse(_CONSTRUCTS.get(type(node), type(node).__name__))

    def literal(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, (str, bytes)):
            raise self.refuse("a string" if isinstance(value, str) else "bytes")
        if isinstance(value, bool) or value is None or value is Ellipsis or not isinstance(value, (int, float)):
            raise self.refuse(f"the literal {self.segment(node) or repr(value)}")
        written = self.segment(node) or ""
        if not _NUMBER.fullmatch(written):
            raise self.refuse(f"the number {written!r} (plain decimals only, such as 12, 0.5, 1e-3)")

    # ----------------------------------------------------------------- build
    def read(self):
        body = self.tree()
        if isinstance(body, ast.Compare):
            sides = [self.build(n) for n in [body.left, *body.comparators]]
            self.report_unknown()
            return [_RELATIONS[type(op)](a, b, evaluate=False) for a, op, b in zip(sides, body.ops, sides[1:])]
        if self.comparisons:
            raise self.error(f"{self.what} {excerpt(self.text)} is not a comparison such as 'omega > -2'")
        expr = self.build(body)
        self.report_unknown()
        return expr

    def report_unknown(self) -> None:
        if not self.unknown:
            return
        names = tuple(dict.fromkeys(self.unknown))
        listed = ", ".join(repr(u) for u in names)
        hint = " (the imaginary unit is I)" if {"i", "j"} & set(names) and "I" in self.names else ""
        known = list(self.names) + list(self.functions)
        allowed = ", ".join(known[:20]) + (", ..." if len(known) > 20 else "")
        raise self.error(f"unknown name{'s' if len(names) > 1 else ''} {listed} in {excerpt(self.text)}"
                         f"{hint} (allowed: {allowed})", names)

    def number(self, node: ast.Constant) -> sp.Rational:
        written = self.segment(node)
        d = Decimal(written)
        if d and abs(d.adjusted()) > MAX_DIGITS:
            raise self.error(f"the number {excerpt(written)} in {excerpt(self.text)} has a decimal exponent "
                             f"beyond {MAX_DIGITS}")
        try:
            f = Fraction(d)
        except (InvalidOperation, ValueError):  # pragma: no cover - the literal matched _NUMBER
            raise self.refuse(f"the number {written!r}") from None
        return sp.Rational(f.numerator, f.denominator)

    def build(self, node: ast.expr) -> sp.Basic:
        if isinstance(node, ast.BinOp) and type(node.op) in _CHAIN:
            return self.chain(node)
        if isinstance(node, ast.BinOp):
            return self.power(self.build(node.left), self.build(node.right), node)
        if isinstance(node, ast.UnaryOp):
            value = self.build(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            return self.name(node.id)
        assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        arg = self.build(node.args[0])
        return self.functions[node.func.id](arg)

    def name(self, name: str) -> sp.Basic:
        if name in self.names:
            return self.names[name]
        if name in self.functions:
            raise self.refuse(f"the function {name!r} without an argument")
        if self.free is not None and not name.startswith("_"):
            return self.free(name)
        self.unknown.append(name)
        return sp.Integer(0)

    def chain(self, node: ast.BinOp) -> sp.Basic:
        """``a + b - c ...`` or ``a * b / c ...`` (left-associated) as one Add or Mul: no recursion along it."""
        level, ops = _CHAIN[type(node.op)], []
        while isinstance(node, ast.BinOp) and _CHAIN.get(type(node.op)) == level:
            ops.append((node.op, node.right))
            node = node.left
        terms = [self.build(node)]
        for op, right in reversed(ops):
            value = self.build(right)
            terms.append(-value if isinstance(op, ast.Sub) else 1 / value if isinstance(op, ast.Div) else value)
        result = sp.Add(*terms) if level == 1 else sp.Mul(*terms)
        if _size(result) > MAX_DIGITS + 1:
            raise self.error(f"{excerpt(self.text)} holds a number of more than {MAX_DIGITS} digits")
        return result

    def power(self, base: sp.Basic, exponent: sp.Basic, node: ast.BinOp) -> sp.Basic:
        """``base**exponent``, refused before it is computed when a constant exponent or the result is too large."""
        if exponent.is_Rational:
            e = abs(exponent)
            if e > MAX_EXPONENT:
                shown = f"{float(e):.2g}" if _size(e) < 300 else f"10^{_size(e):.0f}"
                raise self.error(f"a constant exponent of about {shown} in {excerpt(self.text)} (at most "
                                 f"{MAX_EXPONENT} in size)")
            digits = _size(base) * float(e) + (_size(base) if e.q != 1 else 0)
            if digits > MAX_DIGITS + 1:
                src = self.segment(node) or self.text
                raise self.error(f"the power {excerpt(src)} in {excerpt(self.text)} would have about {digits:.2g} "
                                 f"digits (exact numbers have at most {MAX_DIGITS})")
        result = base ** exponent
        if exponent.is_Integer and base.is_Pow and base.exp.is_Rational and abs(base.exp * exponent) > MAX_EXPONENT:
            # (x**a)**b is x**(a*b) for an integer b
            raise self.error(f"a combined exponent of {base.exp * exponent} in {excerpt(self.text)} (at most "
                             f"{MAX_EXPONENT} in size)")
        return result
