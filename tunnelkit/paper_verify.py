r"""``tunnelkit verify PAPER_FILE``: decide every claim of a paper file (``shared/spec/paper.md``).

For each ``[[equation]]`` the printed LaTeX is read in the file's own symbols
(:mod:`derive.latex_reader`), the model's derived quantity is taken under the
claim's ``where`` (limits for ``inf``, then substitutions; a value on the open
end of a declared range is the one-sided limit), and the two are compared by
:mod:`derive.claim_decision` -- symbolically where a symbolic route reaches
zero, by exact-point identity testing otherwise.  The same exact points are
then handed to the model's **direct solve** (numeric, no formula shared with
the derivation): a verified claim is confirmed there, an erratum's detail
shows the direct value beside the printed and derived ones, and a derivation
that disagrees with the direct solve is reported as ``unverifiable`` (routes
disagree) instead of being trusted.

The model side is a :class:`ModelBackend`: plain callables (the derived
quantity, the direct solve), so tests can stand in for the real model.
Results are cached under a key made of the project's sources
(:func:`tunnelkit.registry.core.source_key`) and the bytes of the paper file and
of its model file: editing either re-decides.
"""
from __future__ import annotations

import hashlib
import sys
import time
import traceback
from dataclasses import asdict, replace
from pathlib import Path

from tunnelkit.disk_cache import source_key
from tunnelkit.paper_context import (ModelBackend, _apply_where, _claim_parts, _Context, _direct_values,
                                     prepare)
from tunnelkit.paper_file import PaperEquation, PaperFile, PaperFileError, load_paper
from tunnelkit.registry.core import CheckResult, Outcome, load_cache, store_cache

__all__ = ["ModelBackend", "verify_paper", "check_equation", "cli_verify_paper", "paper_cache_key", "paper_report",
           "DIRECT_RTOL"]

#: relative agreement required between the derived value and the direct solve (double precision)
DIRECT_RTOL = 1e-9


def _read(eq: PaperEquation, ctx: _Context, *, interpret_lhs: bool):
    """The equation in the file's symbols, with the names defined by earlier equations replaced by their values."""
    from derive.latex_reader import Equation, read_equation

    read = read_equation(eq.latex, ctx.table, interpret_lhs=interpret_lhs)
    if not ctx.definitions:
        return read
    lhs = read.lhs.xreplace(ctx.definitions) if read.lhs is not None else None
    return Equation(read.lhs_latex, lhs, tuple(r.xreplace(ctx.definitions) for r in read.rhs))


def _unverifiable(method: str, detail: str) -> CheckResult:
    return CheckResult("unverifiable", method, detail)


def check_equation(paper: PaperFile, eq: PaperEquation, backend: ModelBackend, ctx: _Context | None = None
                   ) -> CheckResult:
    """Decide one equation of a paper file (the LaTeX is read here; problems are ``unverifiable``).

    Parameters
    ----------
    paper : PaperFile
    eq : PaperEquation
    backend : ModelBackend
    ctx : optional
        The prepared context (:func:`prepare`); built when not given.

    Returns
    -------
    CheckResult
    """
    from derive.claim_decision import NoPoints
    from derive.latex_reader import LatexReadError

    if eq.problem:
        return _unverifiable("paper file", eq.problem)
    ctx = ctx or prepare(paper, eq, backend)
    kind = eq.claims
    try:
        if kind == "definition":
            return _definition(eq, ctx)
        if kind == "identity":
            return _identity(eq, ctx, backend)
        if kind == "det-zero":
            return _noted(eq, _det_zero(eq, ctx, backend))
        if kind not in backend.quantities and _claim_parts(kind, backend) is None:
            return _unverifiable("claim outside the model", f"the model has no quantity {kind!r}; it defines "
                                 f"{', '.join(backend.quantities)} (and sums and multiples of them, such as "
                                 f"'1 + T2:L->R - R2:L'); claims may also be det-zero or identity")
        return _noted(eq, _quantity(eq, ctx, backend))
    except LatexReadError as exc:
        return _unverifiable("LaTeX reader (SymPy lark backend)", str(exc))
    except NoPoints as exc:
        return _unverifiable("exact-point identity testing", f"{exc} (the claim is outside what the model "
                             "defines there -- the direct solve gives null, as for R2:p or absorbed:p where lead p "
                             "has no propagating mode -- or the conditions exclude every point)")


#: time budgets (seconds) of the symbolic steps of writing a corrected form (derive.time_budget)
MISPRINT_SECONDS = 6.0
SIMPLIFY_SECONDS = 8.0
#: what writing the corrected form of an equation found, keyed by id(eq): the likely misprint, or that a
#: step ran out of its budget.  Filled by _corrected/_det_zero and read by check_equation in the same call
#: (verification is sequential; the entry is removed when read).
_NOTES: dict[int, str] = {}


def _noted(eq: PaperEquation, result: CheckResult) -> CheckResult:
    """The result with the note of its corrected form (the edit found, a budget spent) in its detail."""
    note = _NOTES.pop(id(eq), None)
    if note and result.status == "erratum":
        return replace(result, detail=f"{result.detail}; {note}")
    return result


def _definition(eq: PaperEquation, ctx: _Context) -> CheckResult:
    r"""``defines`` without a claim: read it, check that it defines the declared name, and check a chain
    ``\Gamma = a = b`` (every right-hand side equal); its value is used by the later equations."""
    from derive.claim_decision import decide_equal
    from derive.latex_reader import read_equation

    read = _read(eq, ctx, interpret_lhs=False)
    lhs = read_equation(read.lhs_latex or "", ctx.table).rhs[0] if read.lhs_latex else None
    if lhs != ctx.names[eq.defines]:
        return _unverifiable("paper file", f"defines {eq.defines}, but the left-hand side "
                             f"{read.lhs_latex!r} is not its [symbols] LaTeX {ctx.table[ctx.names[eq.defines]]!r}")
    for rhs in read.rhs[1:]:
        d = decide_equal(rhs, read.rhs[0], conditions=ctx.conditions, variables=ctx.variables)
        if not d.holds:
            from derive.latex_writer import to_latex

            return CheckResult("erratum", d.method, f"the sides of the definition differ: {d.detail}",
                               f"{read.lhs_latex} = {to_latex(read.rhs[0], ctx.table)}")
    return CheckResult("definition", "definition (read; its value is used by the later equations)",
                       f"{eq.defines} = {read.rhs[0]}")


def definition_value(eq: PaperEquation, ctx: _Context):
    """The value a ``defines`` equation gives its name (its first right-hand side), or None."""
    try:
        return _read(eq, ctx, interpret_lhs=False).rhs[0]
    except Exception:  # noqa: BLE001 - unreadable: reported on the equation itself
        return None


def _quantity(eq: PaperEquation, ctx: _Context, backend: ModelBackend) -> CheckResult:
    from derive.claim_decision import decide_equal

    read = _read(eq, ctx, interpret_lhs=False)
    combo, parts = _claim_parts(eq.claims, backend)
    derived = _apply_where(combo.xreplace({d: backend.quantity(n, dict(ctx.limits)) for d, n in parts.items()}),
                           ctx, backend)
    def defined(point: dict) -> bool:  # the direct solve's null (R2:p where lead p is closed): no value there
        return backend.direct is None or _direct_values(backend, eq.claims, [point], ctx, failed=...)[0] is not None

    for printed in read.rhs:
        printed = _apply_where(printed, ctx, backend)
        if foreign := _foreign(printed, derived, ctx, backend):
            return foreign
        d = decide_equal(printed, derived, conditions=ctx.conditions, variables=ctx.variables, defined=defined)
        if not d.holds:
            direct = _direct_values(backend, eq.claims, [d.point], ctx)
            extra = ""
            if direct and direct[0] is not None:
                extra = f", direct solve {_fmt(direct[0])}"
                if _rel_diff(complex(d.values[1]), complex(direct[0])) > DIRECT_RTOL:
                    return CheckResult("unverifiable", d.method + " vs direct solve",
                                       f"ROUTES DISAGREE: the derived {eq.claims} and the direct solve differ "
                                       f"{d.detail}{extra}")
            lhs = read.lhs_latex + " = " if read.lhs_latex else ""
            return CheckResult("erratum", d.method, d.detail + extra, lhs + _corrected(eq, derived, ctx, backend, d))
    return _confirm(backend, eq.claims, d, derived, ctx)


def _foreign(printed, derived, ctx: _Context, backend: ModelBackend) -> CheckResult | None:
    """Unverifiable when the printed side holds a symbol that is neither a model parameter, nor tied to one by
    ``where``, nor quantified by ``assume`` (``n integer``: a zero for every n): a [symbols] name that is not
    the model's, such as a typo, would be sampled on its own."""
    quantified = set().union(*[{c[1]} if isinstance(c, tuple) else c.free_symbols for c in ctx.conditions])
    extra = sorted(printed.free_symbols - derived.free_symbols - set(backend.symbols.values()) - quantified, key=str)
    if not extra:
        return None
    which = ", ".join(f"'{ctx.table.get(s, s.name)}' ({s.name} in [symbols])" for s in extra)
    return _unverifiable("claim outside the model", f"{which} is not a symbol of the model (its parameters: "
                         f"{', '.join(sorted(backend.symbols))}) and this equation's 'where' does not express it "
                         "in them (such as omega = \"-2*cos(k)\") nor 'assume' quantifies it")


def _corrected(eq: PaperEquation, derived, ctx: _Context, backend: ModelBackend, d) -> str:
    """The corrected right-hand side in the paper's symbols: the printed LaTeX with the one small edit that
    makes it true (:mod:`derive.misprint_search`), else the derived form written as short as the writer can.

    Each symbolic step runs under a time budget (:mod:`derive.time_budget`); past it the search is given
    up, or the derived form is written unsimplified, and the detail says so.
    """
    import mpmath

    from derive.claim_decision import sample_points, value_at

    ints = [c[1] for c in ctx.conditions if isinstance(c, tuple)]
    syms = sorted(set(ctx.variables) | derived.free_symbols, key=str)
    pts = [p for p in sample_points(syms, ctx.conditions, 12, seed=11, integers=ints)
           if value_at(derived, p) is not None][:3]
    want = [value_at(derived, p, 30) for p in pts]

    def accept(i: int, v) -> bool:
        return abs(v - want[i]) <= mpmath.mpf(10) ** -20 * max(abs(v), abs(want[i]), mpmath.mpf(10) ** -30)

    def confirm(text: str) -> bool:
        from derive.claim_decision import decide_equal

        try:
            sides = _read(replace(eq, latex=text), ctx, interpret_lhs=False).rhs
            return all(decide_equal(_apply_where(r, ctx, backend), derived, conditions=ctx.conditions,
                                    variables=ctx.variables, npoints=4).holds for r in sides)
        except Exception:  # noqa: BLE001 - an edit that cannot be read or decided is no correction
            return False

    fixed = _misprint(eq, ctx, backend, pts, accept, confirm)
    if fixed is not None:
        return fixed
    return _derived_latex(eq, derived, ctx, backend, d)


def _misprint(eq: PaperEquation, ctx: _Context, backend: ModelBackend, pts, accept, confirm) -> str | None:
    """The right-hand side with the likely misprint corrected (its note recorded), or None."""
    from derive.misprint_search import find_misprint
    from derive.time_budget import BudgetExceeded, time_budget

    if not pts:
        return None
    try:
        with time_budget(MISPRINT_SECONDS):
            found = find_misprint(eq.latex, ctx.table, points=pts, accept=accept, confirm=confirm,
                                  transform=lambda e: _apply_where(e.xreplace(ctx.definitions), ctx, backend))
    except BudgetExceeded:
        _NOTES[id(eq)] = (f"misprint search stopped at its time budget ({MISPRINT_SECONDS:g} s): "
                          "the corrected form is the derived one")
        return None
    except Exception:  # noqa: BLE001 - a search that breaks down finds nothing; the derived form is written
        return None
    if found is None:
        return None
    _NOTES[id(eq)] = f"likely misprint: {found.edit} (one edit of the printed form; {found.tried} candidate edits tried)"
    return found.rhs


def _derived_latex(eq: PaperEquation, derived, ctx: _Context, backend: ModelBackend, d) -> str:
    """The derived form in the paper's symbols, the shortest LaTeX of: ``|S|^2`` kept as moduli for T2 and
    R2, roots with branch cuts written with positive arguments, the cancelled or factored form.

    Chebyshev polynomials of a cosine (symbolic lengths under ``omega = -2 cos k``) are written as the
    sines and cosines a physicist prints; every rewritten form is checked against the derived value at
    the decision's points before it is used.  Within :data:`SIMPLIFY_SECONDS`; past it, the derived form
    as it is (and the detail says so).
    """
    from derive.claim_decision import chebyshev_as_trig, sample_points, simplest_form, value_at
    from derive.latex_writer import abs2_latex, real_radicals, to_latex
    from derive.time_budget import BudgetExceeded, time_budget

    pts = [p for p in d.points if value_at(derived, p) is not None][:3]

    def same(value) -> bool:
        return bool(pts) and all(_rel_diff(complex(value(p)), complex(value_at(derived, p))) < 1e-12 for p in pts)

    forms: list[str] = []
    try:
        with time_budget(SIMPLIFY_SECONDS):
            # roots with branch cuts (a lead's band edge): one sign wherever the conditions hold -> real roots
            ints = [c[1] for c in ctx.conditions if isinstance(c, tuple)]
            wide = sample_points(sorted(derived.free_symbols, key=str), ctx.conditions, 24, seed=7, integers=ints)
            radical = real_radicals(derived, wide + list(d.points))
            if radical is not None and same(lambda p: value_at(radical, p)):
                forms.append(to_latex(radical, ctx.table))
            kind, _, rest = eq.claims.partition(":")
            amplitude = {"T2": lambda: "S:{1},{0}".format(*rest.split("->")),
                         "R2": lambda: f"S:{rest},{rest}"}.get(kind)
            if not forms and amplitude is not None and amplitude() in backend.quantities:
                z = _apply_where(backend.quantity(amplitude(), dict(ctx.limits)), ctx, backend)
                for form in (chebyshev_as_trig(z), z):
                    if same(lambda p: abs(complex(value_at(form, p))) ** 2):
                        forms.append(abs2_latex(form, ctx.table))
                        break
            if not forms:
                trig = chebyshev_as_trig(derived)
                forms.append(to_latex(simplest_form(trig if same(lambda p: value_at(trig, p)) else derived),
                                      ctx.table))
    except BudgetExceeded:
        _NOTES[id(eq)] = (f"simplifying the corrected form stopped at its time budget ({SIMPLIFY_SECONDS:g} s): "
                          "it is the derived form as it is")
    if not forms:
        return to_latex(derived, ctx.table)
    return min(forms, key=len)


def _det_zero(eq: PaperEquation, ctx: _Context, backend: ModelBackend) -> CheckResult:
    from derive.claim_decision import decide_root
    from derive.latex_reader import LatexReadError
    from derive.latex_writer import to_latex

    omega = ctx.names["omega"]
    if omega in ctx.subs:
        return _unverifiable("det-zero", "a det-zero claim gives omega itself: remove omega from 'where'")
    det = _apply_where(backend.quantity("det", dict(ctx.limits)), ctx, backend)
    try:
        read = _read(eq, ctx, interpret_lhs=True)
        values = _omega_values(read, omega)
    except LatexReadError:  # the left-hand side is the author's name (omega_n): the right-hand side is omega
        read = _read(eq, ctx, interpret_lhs=False)
        values = list(read.rhs)
    if values is None:
        return _unverifiable("det-zero", "cannot solve the printed equation for omega")
    for value in values:
        value = _apply_where(value, ctx, backend)
        if foreign := _foreign(value, det, ctx, backend):
            return foreign
        d = decide_root(det, omega, value, conditions=ctx.conditions, variables=ctx.variables)
        if not d.holds:
            named = read.lhs_latex and (read.lhs is None or omega not in read.lhs.free_symbols or read.lhs == omega)
            lhs = read.lhs_latex if named else to_latex(omega, ctx.table)
            fixed = _root_misprint(eq, det, omega, ctx, backend, d) if named and values == list(read.rhs) else None
            return CheckResult("erratum", d.method, d.detail,
                               f"{lhs} = {fixed}" if fixed else _roots_latex(det, omega, lhs, ctx, near=(d.point, value)))
    return _confirm_root(backend, d, det, value, ctx)  # the last printed value with 'where' applied


def _omega_values(read, omega) -> list | None:
    """The printed omega: ``omega = v`` gives v; an equation in omega gives its solutions."""
    if read.lhs is None:
        return list(read.rhs)
    if read.lhs == omega:
        return list(read.rhs)
    if omega not in read.lhs.free_symbols and all(omega not in r.free_symbols for r in read.rhs):
        return list(read.rhs)  # the author's name for omega on the left
    return _solve_for(read.lhs - read.rhs[0], omega) or None


def _solve_for(expr, omega) -> list:
    """Complex solutions of ``expr = 0`` for the real symbol ``omega`` (resonances are complex)."""
    import sympy as sp

    w = sp.Dummy("w")
    try:
        return [r.xreplace({w: omega}) for r in sp.solve(expr.xreplace({omega: w}), w, simplify=False)]
    except NotImplementedError:
        return []


def _root_misprint(eq: PaperEquation, det, omega, ctx: _Context, backend: ModelBackend, d) -> str | None:
    """The printed root with the one small edit that makes it a zero of det (:mod:`derive.misprint_search`)."""
    import mpmath

    from derive.claim_decision import decide_root, sample_points

    ints = [c[1] for c in ctx.conditions if isinstance(c, tuple)]
    syms = sorted((set(ctx.variables) | det.free_symbols) - {omega}, key=str)
    pts = sample_points(syms, ctx.conditions, 3, seed=11, integers=ints)

    import sympy as sp

    f = sp.lambdify(syms + [omega], det, modules="mpmath")  # compiled once: called 3x per candidate and point
    with mpmath.workdps(40):  # the exact points, correctly rounded to more digits than the search uses
        args = [[mpmath.mpf(int(p[s].p)) / int(p[s].q) if p[s].is_Rational else mpmath.mpmathify(complex(p[s]))
                 for s in syms] for p in pts]

    def accept(i: int, w) -> bool:
        try:
            r = f(*args[i], w)
            delta = (1 + abs(w)) / 10**6
            scale = max(abs(f(*args[i], w - delta)), abs(f(*args[i], w + delta)), mpmath.mpf(10) ** -30)
        except (ZeroDivisionError, ValueError, TypeError, OverflowError):
            return False
        return abs(r) <= mpmath.mpf(10) ** -15 * scale

    def confirm(text: str) -> bool:
        try:
            sides = _read(replace(eq, latex=text), ctx, interpret_lhs=False).rhs
            return all(decide_root(det, omega, _apply_where(r, ctx, backend), conditions=ctx.conditions,
                                   variables=ctx.variables, npoints=4).holds for r in sides)
        except Exception:  # noqa: BLE001 - an edit that cannot be read or decided is no correction
            return False

    return _misprint(eq, ctx, backend, pts, accept, confirm)


def _roots_latex(det, omega, lhs: str, ctx: _Context, *, near: tuple | None = None) -> str:
    """The zeros of det (:func:`derive.latex_writer.roots_latex`) in the paper's symbols."""
    from derive.latex_writer import roots_latex

    return roots_latex(det, omega, lhs, ctx.table, near=near, seconds=SIMPLIFY_SECONDS)


def _identity(eq: PaperEquation, ctx: _Context, backend: ModelBackend) -> CheckResult:
    from derive.claim_decision import decide_equal

    read = _read(eq, ctx, interpret_lhs=True)
    if read.lhs is None:
        return _unverifiable("identity", "an identity claim needs 'lhs = rhs'")
    lhs = _apply_where(read.lhs, ctx, backend)
    for rhs in read.rhs:
        d = decide_equal(_apply_where(rhs, ctx, backend), lhs, conditions=ctx.conditions)
        if not d.holds:
            return CheckResult("erratum", d.method, d.detail.replace("derived", "left-hand side"),
                               _corrected_identity(eq, read, rhs, ctx))
    return CheckResult("verified", d.method, d.detail)


def _corrected_identity(eq: PaperEquation, read, rhs, ctx: _Context) -> str:
    """``lhs = rhs + (lhs - rhs)``: the printed right-hand side with the term it misses, when there is one."""
    import sympy as sp

    from derive.claim_decision import simplest_form
    from derive.latex_writer import to_latex

    missing = read.lhs - rhs
    missing = sp.simplify(missing) if sp.count_ops(missing) < 60 else simplest_form(missing)
    if len(read.rhs) == 1 and eq.latex.count("=") == 1 and sp.count_ops(missing) <= sp.count_ops(rhs):
        term = to_latex(missing, ctx.table)
        return f"{read.lhs_latex} = {eq.latex.split('=', 1)[1].strip()} {'' if term.startswith('-') else '+ '}{term}"
    return f"{read.lhs_latex} = {to_latex(simplest_form(read.lhs), ctx.table)}"


# ----------------------------------------------------------------------------- the direct solve

def _rel_diff(a: complex, b: complex) -> float:
    """|a - b| relative to the larger modulus (absolute below 1e-12: a quantity that vanishes)."""
    return abs(a - b) / max(abs(a), abs(b), 1e-12)


def _fmt(v) -> str:
    v = complex(v)
    if abs(v.imag) <= 1e-14 * max(1.0, abs(v.real)):
        return f"{v.real:.12g}"
    return f"{v.real:.12g} {'+' if v.imag >= 0 else '-'} {abs(v.imag):.12g}i"


def _confirm(backend: ModelBackend, name: str, d, derived, ctx: _Context) -> CheckResult:
    from derive.claim_decision import value_at

    direct = _direct_values(backend, name, d.points, ctx)
    pairs = [(complex(value_at(derived, pt)), v) for pt, v in zip(d.points, direct) if v is not None]
    if not pairs:
        return CheckResult("verified", d.method, d.detail + "; no direct-solve value to confirm against")
    worst = max(_rel_diff(a, complex(b)) for a, b in pairs)
    if worst > DIRECT_RTOL:
        return CheckResult("unverifiable", d.method + " vs direct solve",
                           f"ROUTES DISAGREE: the derived {name} and the direct solve differ by {worst:.2e} "
                           f"(relative) at exact points; the claim holds against the derivation ({d.detail})")
    return CheckResult("verified", d.method + " + direct solve",
                       f"{d.detail}; direct solve agrees at {len(pairs)} points (max rel. diff {worst:.1e})")


def _confirm_root(backend: ModelBackend, d, det, value, ctx: _Context) -> CheckResult:
    from derive.claim_decision import value_at

    found = []
    for pt in d.points:
        if (w := value_at(value, pt)) is None:  # d.points are det's; the printed omega may be singular there
            continue
        w = complex(w)
        step = 1e-4 * (1 + abs(w))
        vals = [_direct_values(backend, "det", [pt], ctx, omega=w + s)[:1] for s in (0, -step, step)]
        if any(not v or v[0] is None for v in vals):
            continue
        at, *near = (abs(complex(v[0])) for v in vals)
        found.append(at / max(max(near), 1e-300))
    if not found:
        return CheckResult("verified", d.method, d.detail + "; no direct-solve value to confirm against")
    worst = max(found)
    if worst > 1e-6:
        return CheckResult("unverifiable", d.method + " vs direct solve",
                           f"ROUTES DISAGREE: the direct solve's |det| at the printed omega is {worst:.1e} of its "
                           f"size nearby; the derivation says it vanishes ({d.detail})")
    return CheckResult("verified", d.method + " + direct solve",
                       f"{d.detail}; direct-solve |det| there is {worst:.1e} of its size 1e-4 away "
                       f"({len(found)} points)")


# ----------------------------------------------------------------------------- file level, cache, CLI

def paper_cache_key(paper: PaperFile) -> str:
    """Hash of the project's sources and the bytes of the paper file and its model file."""
    return hashlib.sha256((source_key() + paper.digest).encode()).hexdigest()[:24]


def model_backend(path: Path) -> ModelBackend:
    """The backend of a model file: the derivation (derive) and the direct solve (numeric)."""
    from tunnelkit.paper_model import backend_for_file

    try:
        return backend_for_file(path)
    except ImportError as exc:  # a build without the model-file derivation or direct solve
        raise PaperFileError(f"{path.name}: model files are not supported in this build ({exc})") from None


def verify_paper(path: str | Path, *, use_cache: bool = True, backend: ModelBackend | None = None
                 ) -> tuple[PaperFile, list[Outcome]]:
    """Decide every equation of a paper file.

    Parameters
    ----------
    path : str or pathlib.Path
        The paper file.
    use_cache : bool
        Reuse results stored under the same sources, paper file and model file.
    backend : ModelBackend, optional
        The model side (default: built from the model file).

    Returns
    -------
    (PaperFile, list of Outcome)
        One outcome per equation, in file order.  Raises :class:`PaperFileError` for a bad file.
    """
    paper = load_paper(path)
    key = paper_cache_key(paper)
    cache = load_cache(key, kind="paper") if use_cache else {}
    if cache and all(e.id in cache for e in paper.equations):
        return paper, [Outcome(e.id, True, CheckResult(**cache[e.id]), 0.0, cached=True, printed=e.printed)
                       for e in paper.equations]
    backend = backend or model_backend(paper.model_path)
    outcomes, definitions = [], {}
    for eq in paper.equations:
        t0 = time.perf_counter()
        try:  # a bad where/assume is reported on its equation; the others are still checked
            ctx = None if eq.problem else replace(prepare(paper, eq, backend), definitions=dict(definitions))
        except PaperFileError as exc:
            eq = replace(eq, problem=str(exc).removeprefix(f"{paper.path.name}: "))
            ctx = None
        if ctx is not None and eq.defines and (value := definition_value(eq, ctx)) is not None:
            definitions[ctx.names[eq.defines]] = value
        try:
            res = check_equation(paper, eq, backend, ctx)
            outcomes.append(Outcome(eq.id, True, res, time.perf_counter() - t0, printed=eq.printed))
        except Exception as exc:  # a check that cannot run is reported, not raised
            err = traceback.format_exception_only(type(exc), exc)[-1].strip()
            outcomes.append(Outcome(eq.id, False, None, time.perf_counter() - t0, error=err, printed=eq.printed))
    if use_cache:
        store_cache(key, {o.id: asdict(o.result) for o in outcomes if o.ran}, kind="paper")
    return paper, outcomes


def paper_report(paper: PaperFile, outcomes: list[Outcome]) -> str:
    """The Markdown report of a verified paper file (``--report``)."""
    from tunnelkit.paper_report import markdown_report

    return markdown_report(outcomes, title=paper.title or paper.id,
                           source=f"{paper.path.name} (model {paper.model_path.name})")


def cli_verify_paper(path: str, *, as_json: bool = False, report: str | None = None, use_cache: bool = True) -> int:
    """``tunnelkit verify PAPER_FILE``: exit 0 when every equation is verified (or a definition), 1 when any
    is an erratum, unverifiable or could not run, 2 for a file that cannot be read at all."""
    from tunnelkit.registry import print_outcomes

    try:
        paper, outcomes = verify_paper(path, use_cache=use_cache)
    except PaperFileError as exc:
        print(f"tunnelkit: error: {exc}", file=sys.stderr)
        return 2
    if report:
        Path(report).write_text(paper_report(paper, outcomes))
    status = print_outcomes(outcomes, as_json=as_json)
    return status or int(any(o.result.status not in ("verified", "definition") for o in outcomes))
