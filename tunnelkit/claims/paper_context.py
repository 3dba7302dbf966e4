r"""One equation of a paper file made ready for deciding, and the model side it is decided against.

:class:`ModelBackend` is what the verifier needs from a model (plain callables: the derived
quantity, the direct solve), so that tests can stand in for the real model
(:mod:`tunnelkit.claims.paper_model` builds it from a model file).  :func:`prepare` turns an equation's
``[symbols]``, ``where`` and ``assume`` into SymPy symbols, limits, substitutions and conditions;
:func:`_apply_where` applies them to an expression; :func:`_direct_values` evaluates a claim by
the direct solve at an exact point of the claim's variables.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Mapping

from tunnelkit.claims.paper_file import QUANTITY_NAME, PaperEquation, PaperFile, PaperFileError

__all__ = ["ModelBackend", "prepare"]

@dataclass(frozen=True)
class ModelBackend:
    """What verifying needs from a model.

    Attributes
    ----------
    parameters : dict
        The model dict's ``parameters`` table (``kind``, ``range`` per name).
    symbols : dict
        Every parameter name and ``"omega"`` -> its SymPy symbol (with assumptions).
    quantities : tuple of str
        The quantity names the model defines (``T2:L->R``, ``det``, ...).
    quantity : callable
        ``quantity(name, limits)`` -> SymPy expression in ``symbols``; ``limits``
        maps parameter names to ``"inf"``/``"-inf"`` (taken as limits).
    direct : callable or None
        ``direct(name, params, omega)`` -> complex value of the quantity from the
        direct solve (None where it is null); ``params`` maps every parameter to
        a :class:`fractions.Fraction`, a decimal string or ``"inf"``; ``omega`` is
        a Fraction, a decimal string or a complex number.
    bands : callable or None
        ``bands(limits)`` -> list of ``(lead, centre, half_width)`` (SymPy expressions) of the leads
        with a finite band: the regimes of the model's domain (each lead open or closed at omega).
    """

    parameters: Mapping[str, Mapping]
    symbols: Mapping
    quantities: tuple[str, ...]
    quantity: Callable
    direct: Callable | None = None
    bands: Callable | None = None


# ----------------------------------------------------------------------------- one equation

@dataclass(frozen=True)
class _Context:
    """An equation prepared for deciding: names, LaTeX table, where and conditions (SymPy objects)."""

    names: dict
    table: dict
    limits: dict
    subs: dict
    conditions: list
    variables: list
    definitions: dict = field(default_factory=dict)  # symbol -> value given by an earlier `defines` equation


def _ranges(backend: ModelBackend) -> dict:
    """Parameter name -> list of (operator, bound) from the model's ``range`` strings (``"> 0"``)."""
    import re

    import sympy as sp

    out = {}
    for name, decl in backend.parameters.items():
        text = (decl or {}).get("range") or ""
        out[name] = [(m.group(1), sp.Rational(m.group(2)) if m.group(2) not in ("inf", "-inf") else None)
                     for m in re.finditer(r"(>=|<=|>|<)\s*([-+]?[\d.]+(?:/\d+)?|-?inf)", text)]
    return out


def _relation(op: str, a, b, *, evaluate: bool = False):
    import sympy as sp

    return {">": sp.Gt, ">=": sp.Ge, "<": sp.Lt, "<=": sp.Le}[op](a, b, evaluate=evaluate)


def _open_end(op: str, bound, value) -> bool:
    return op in (">", "<") and value == bound


def prepare(paper: PaperFile, eq: PaperEquation, backend: ModelBackend) -> _Context:
    """Names, LaTeX table, where (limits and substitutions) and conditions of one equation.

    Raises :class:`PaperFileError` for a bad ``where`` or ``assume`` (exit status 2).
    """
    import sympy as sp

    from derive.claims.claim_decision import UnknownName, parse_condition, parse_plain

    integer_names = {a.split()[0] for a in eq.assume if len(a.split()) == 2 and a.split()[1] == "integer"}
    names = dict(backend.symbols)
    for name in paper.symbols:
        if name not in names:
            names[name] = sp.Symbol(name, integer=True) if name in integer_names else sp.Symbol(name, real=True)
    table = {names[n]: tex for n, tex in paper.symbols.items()}
    if any(r"\mathrm{i}" in e.latex for e in paper.equations):  # corrected forms write i as the paper does
        table[sp.I] = r"\mathrm{i}"
    where_ = f"equation {eq.number}"
    ranges = _ranges(backend)
    limits, subs = {}, {}
    for name, text in eq.where.items():
        if name not in backend.symbols:
            raise PaperFileError(f"{paper.path.name}: {where_}: where: {name!r} is not a parameter of the model "
                                 f"(allowed: {', '.join(sorted(backend.symbols))})")
        try:
            value = parse_plain(text, names)
        except ValueError as exc:
            raise PaperFileError(f"{paper.path.name}: {where_}: where: {name}: {exc}") from None
        if value in (sp.oo, -sp.oo):
            if name == "omega":
                raise PaperFileError(f"{paper.path.name}: {where_}: where: omega must be finite")
            limits[name] = "inf" if value == sp.oo else "-inf"
            continue
        subs[names[name]] = value
    written = {names[n]: n for n in eq.where}
    closed = _closed(subs, {names[n] for n in limits}, f"{paper.path.name}: {where_}: where")
    for s, value in closed.items():
        name = written[s]
        text = eq.where[name] if value == subs[s] else f"{eq.where[name]} (= {value})"
        integer = names[name].is_integer or (backend.parameters.get(name) or {}).get("kind") == "integer"
        if integer and value.is_number and value.is_integer is False:
            raise PaperFileError(f"{paper.path.name}: {where_}: where: {name} = {text} is not an integer ({name} is an "
                                 "integer parameter of the model)")
        if value.is_number and value.is_real is False and names[name].is_real:
            raise PaperFileError(f"{paper.path.name}: {where_}: where: {name} = {text} is not real ({name} is a real "
                                 "symbol of the model)")
        if value.is_number and value.is_real:
            bad = [f"{op} {b}" for op, b in ranges.get(name, []) if b is not None
                   and not bool(_relation(op, value, b, evaluate=True)) and not _open_end(op, b, value)]
            if bad:
                raise PaperFileError(f"{paper.path.name}: {where_}: where: {name} = {text} is outside the "
                                     f"model's range {name} {' and '.join(bad)}")
    subs = closed
    conditions: list = []
    for name, rng in ranges.items():
        if name in limits:
            continue
        target = subs.get(names[name], names[name])
        for op, b in rng:
            if b is not None and not (target.is_number and _open_end(op, b, target)):
                rel = _relation(op, target, b)
                if rel.free_symbols:
                    conditions.append(rel)
    for text in eq.assume:
        try:
            parsed = parse_condition(text, names)
        except (UnknownName, ValueError) as exc:
            raise PaperFileError(f"{paper.path.name}: {where_}: assume: {exc}") from None
        if any(isinstance(c, sp.Eq) for c in parsed):  # no random point satisfies an equation
            raise PaperFileError(f"{paper.path.name}: {where_}: assume: {text!r} fixes a value: write it in "
                                 "'where' (where = { NAME = VALUE }); assume takes <, <=, >, >= and 'NAME integer'")
        conditions += parsed
    variables = [names[n] for n in backend.symbols if n not in limits and names[n] not in subs]
    for v in subs.values():
        variables += [s for s in v.free_symbols if s not in variables]
    return _Context(names, table, limits, subs, conditions, variables)


def _closed(subs: dict, limited: set, where_: str) -> dict:
    """``where`` as simultaneous equations: a value naming another where-name takes that name's value
    (``{gamma = 1, tau = "gamma"}`` is tau = 1 in either order); a cycle or a limit inside a value is refused."""
    for _ in range(len(subs) + 1):
        if not any(v.free_symbols & (set(subs) | limited) for v in subs.values()):
            return subs
        if any(v.free_symbols & limited for v in subs.values()):
            s = next(s for s, v in subs.items() if v.free_symbols & limited)
            raise PaperFileError(f"{where_}: the value of {s} refers to a parameter taken as a limit (inf)")
        subs = {s: v.xreplace(subs) for s, v in subs.items()}
    s = next(s for s, v in subs.items() if v.free_symbols & set(subs))
    raise PaperFileError(f"{where_}: the value of {s} refers back to {s} through the other values")


def _apply_where(expr, ctx: _Context, backend: ModelBackend):
    """Limits (``inf``) and then substitutions; a substitution that is singular becomes a limit."""
    import sympy as sp

    for name, lim in ctx.limits.items():
        s = ctx.names[name]
        if s in expr.free_symbols:
            expr = sp.limit(expr, s, sp.oo if lim == "inf" else -sp.oo)
    ranges = _ranges(backend)
    for s, value in ctx.subs.items():
        if s not in expr.free_symbols:
            continue
        new = expr.xreplace({s: value})
        if new.has(sp.nan, sp.zoo):
            ops = dict(ranges.get(s.name, []))
            direction = "-" if ("<" in ops or "<=" in ops) and not (">" in ops or ">=" in ops) else "+"
            new = sp.limit(expr, s, value, dir=direction)
        expr = new
    return expr


def _claim_parts(claim: str, backend: ModelBackend):
    """A claim as (expression in placeholders, {placeholder: quantity name}); None if it is not one.

    Beyond a single quantity (the spec), a claim may combine quantities with numbers:
    ``"1 + T2:L->R - R2:L"`` (the transport factor of anglin Eq. 24), ``"T2:L->R + R2:L"``.
    """
    import re

    import sympy as sp

    from derive.claims.claim_decision import parse_plain

    names: dict = {}

    def placeholder(m: re.Match) -> str:
        key = f"q{len(names)}"
        names[key] = m.group(0)
        return key

    text = re.sub(QUANTITY_NAME, placeholder, claim)
    if not names or any(n not in backend.quantities for n in names.values()):
        return None
    dummies = {k: sp.Dummy(k) for k in names}
    try:
        expr = parse_plain(text, dummies)
    except ValueError:
        return None
    return expr, {dummies[k]: n for k, n in names.items()}


# ----------------------------------------------------------------------------- the direct solve

def _exact(value):
    """A model value for the direct solve: Fraction when rational, else a 40-digit decimal (or complex)."""
    import sympy as sp

    value = sp.nsimplify(value) if isinstance(value, sp.Float) else value
    if value.is_Rational:
        return Fraction(int(value.p), int(value.q))
    v = sp.N(value, 40)
    if v.is_real:
        return str(v)
    return complex(v)


def _model_point(point: dict, ctx: _Context, backend: ModelBackend, omega=None) -> tuple[dict, object]:
    """Parameter values and omega for the direct solve at an exact point of the claim's variables.

    A ``where`` value on the open end of a declared range (``tau1 = 0`` for ``tau1 > 0``: the limit)
    is moved inside by a relative 1e-30, which the double-precision direct solve cannot tell apart.
    """
    params = {}
    ranges = _ranges(backend)
    for name in backend.parameters:
        s = ctx.names[name]
        if name in ctx.limits:
            params[name] = ctx.limits[name]
            continue
        value = ctx.subs.get(s, s).xreplace(point)
        for op, b in ranges.get(name, []):
            if b is not None and _open_end(op, b, value):
                value = b + (1 if op == ">" else -1) * (1 + abs(b)) * Fraction(1, 10**30)
        params[name] = _exact(value) if not isinstance(value, Fraction) else value
    if omega is not None:  # a complex omega of a det-zero check, or its real value
        return params, (repr(omega.real) if omega.imag == 0 else omega)
    return params, _exact(ctx.subs.get(ctx.names["omega"], ctx.names["omega"]).xreplace(point))


def _direct_values(backend: ModelBackend, name: str, points, ctx: _Context, omega=None, *, failed=None) -> list:
    """The direct solve at each point: a value, None where the quantity is null (docs/conventions.md), or ``failed``
    where the direct solve cannot evaluate there (a limit it cannot take, a complex omega)."""
    if backend.direct is None:
        return []
    combo, parts = _claim_parts(name, backend) if name not in backend.quantities else (None, {})
    out = []
    for pt in points:
        params, w = _model_point(pt, ctx, backend, omega)
        try:
            if combo is None:
                out.append(backend.direct(name, params, w))
                continue
            values = {d: backend.direct(n, params, w) for d, n in parts.items()}
            out.append(None if None in values.values() else complex(combo.xreplace(values)))
        except (NotImplementedError, ValueError, ArithmeticError):
            out.append(failed)
    return out


def _read(eq: PaperEquation, ctx: _Context, *, interpret_lhs: bool):
    """The equation in the file's symbols, with the names defined by earlier equations replaced by their values."""
    from derive.latex.latex_reader import Equation, read_equation

    read = read_equation(eq.latex, ctx.table, interpret_lhs=interpret_lhs)
    if not ctx.definitions:
        return read
    lhs = read.lhs.xreplace(ctx.definitions) if read.lhs is not None else None
    return Equation(read.lhs_latex, lhs, tuple(r.xreplace(ctx.definitions) for r in read.rhs))


def _rel_diff(a: complex, b: complex) -> float:
    """|a - b| relative to the larger modulus (absolute below 1e-12: a quantity that vanishes)."""
    return abs(a - b) / max(abs(a), abs(b), 1e-12)
