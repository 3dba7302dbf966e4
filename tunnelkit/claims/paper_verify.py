r"""``tunnelkit verify PAPER_FILE``: decide every claim of a paper file (``docs/paper-files.md``).

For each ``[[equation]]`` the printed LaTeX is read in the file's own symbols
(:mod:`derive.latex.latex_reader`), the model's derived quantity is taken under the
claim's ``where`` (limits for ``inf``, then substitutions; a value on the open
end of a declared range is the one-sided limit), and the two are compared by
:mod:`derive.claims.claim_decision` -- symbolically where a symbolic route reaches
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
from dataclasses import replace
from pathlib import Path
from typing import Any

from tunnelkit.disk_cache import source_key
from tunnelkit.claims.paper_corrections import corrected_form, corrected_identity, physical_roots, root_misprint, roots_form
from tunnelkit.claims.paper_context import (ModelBackend, _apply_where, _claim_parts, _Context, _direct_values, _read, _rel_diff,
                                     prepare)
from tunnelkit.claims.paper_file import PaperEquation, PaperFile, PaperFileError, load_paper
from tunnelkit.registry.core import CheckResult, Outcome, load_results, store_results

__all__ = ["ModelBackend", "verify_paper", "check_equation", "cli_verify_paper", "paper_cache_key", "paper_report",
           "DIRECT_RTOL"]

#: relative agreement required between the derived value and the direct solve (double precision)
DIRECT_RTOL = 1e-9


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
    from derive.claims.claim_decision import NoPoints
    from derive.latex.latex_reader import LatexReadError

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
            return _det_zero(eq, ctx, backend)
        if kind not in backend.quantities and _claim_parts(kind, backend) is None:
            return _unverifiable("claim outside the model", f"the model has no quantity {kind!r}; it defines "
                                 f"{', '.join(backend.quantities)} (and sums and multiples of them, such as "
                                 f"'1 + T2:L->R - R2:L'); claims may also be det-zero or identity")
        return _quantity(eq, ctx, backend)
    except LatexReadError as exc:
        return _unverifiable("LaTeX reader (SymPy lark backend)", str(exc))
    except NoPoints as exc:
        return _unverifiable("exact-point identity testing", f"{exc} (the claim is outside what the model "
                             "defines there -- the direct solve gives null, as for R2:p or absorbed:p where lead p "
                             "has no propagating mode -- or the conditions exclude every point)")


def _definition(eq: PaperEquation, ctx: _Context) -> CheckResult:
    r"""``defines`` without a claim: read it, check that it defines the declared name, and check a chain
    ``\Gamma = a = b`` (every right-hand side equal); its value is used by the later equations."""
    from derive.claims.claim_decision import decide_equal
    from derive.latex.latex_reader import read_equation

    read = _read(eq, ctx, interpret_lhs=False)
    lhs = read_equation(read.lhs_latex or "", ctx.table).rhs[0] if read.lhs_latex else None
    if lhs != ctx.names[eq.defines]:
        return _unverifiable("paper file", f"defines {eq.defines}, but the left-hand side "
                             f"{read.lhs_latex!r} is not its [symbols] LaTeX {ctx.table[ctx.names[eq.defines]]!r}")
    for rhs in read.rhs[1:]:
        d = decide_equal(rhs, read.rhs[0], conditions=ctx.conditions, variables=ctx.variables)
        if not d.holds:
            from derive.latex.latex_writer import to_latex

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
    from derive.claims.claim_decision import decide_equal

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
        d, where = _per_regime(printed, derived, d, ctx, backend, defined)
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
            fixed = corrected_form(eq, derived, ctx, backend, d)
            return CheckResult("erratum", d.method, where + d.detail + extra + fixed.note_text, lhs + fixed.latex)
    result = _confirm(backend, eq.claims, d, derived, ctx)
    return replace(result, detail=where + result.detail) if where else result


def _per_regime(printed, derived, d, ctx: _Context, backend: ModelBackend, defined, *, sampled: bool = True) -> tuple:
    """:func:`tunnelkit.claims.paper_regimes.per_regime` of ``printed = derived``: the regimes of omega relative to the
    lead bands (when omega enters the claim) and the signs of the arguments of sgn and |.| in either side;
    ``sampled``: the model's parameters are drawn too (quantity claims; an identity draws its own symbols)."""
    from derive.claims.claim_decision import decide_equal
    from tunnelkit.claims.paper_regimes import per_regime, regimes, sign_arguments

    def decide(conditions):
        return decide_equal(printed, derived, conditions=[*ctx.conditions, *conditions], defined=defined,
                            variables=ctx.variables if sampled else None, symbolic=False)

    omega = ctx.names.get("omega")
    w = ctx.subs.get(omega, omega) if omega is not None else None
    bands = w is not None and bool(w.free_symbols & (printed.free_symbols | derived.free_symbols))
    split = regimes(ctx, backend, signs=sign_arguments(printed, derived), bands=bands)
    return per_regime(d, split, decide, printed - derived, ctx.conditions)


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


def _det_zero(eq: PaperEquation, ctx: _Context, backend: ModelBackend) -> CheckResult:
    from derive.claims.claim_decision import decide_root
    from derive.latex.latex_reader import LatexReadError
    from derive.latex.latex_writer import to_latex
    from tunnelkit.claims.paper_regimes import per_regime, regimes, sign_arguments

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
    where = ""
    for value in values:
        value = _apply_where(value, ctx, backend)
        if foreign := _foreign(value, det, ctx, backend):
            return foreign
        d = decide_root(det, omega, value, conditions=ctx.conditions, variables=ctx.variables)
        found, note = (None, "") if d.holds else physical_roots(det, omega, ctx, splits=sign_arguments(value),
                                                                  near=(d.point, value))
        splits = sign_arguments(value, det) + [f for f in (found.splits if found else ()) if f not in
                                               sign_arguments(value, det)]

        def decide(conditions, value=value):
            return decide_root(det, omega, value, conditions=[*ctx.conditions, *conditions], variables=ctx.variables,
                               symbolic=False)

        d, where = per_regime(d, regimes(ctx, backend, signs=splits, bands=False), decide,
                              det.xreplace({omega: value}), ctx.conditions)
        if not d.holds:
            named = read.lhs_latex and (read.lhs is None or omega not in read.lhs.free_symbols or read.lhs == omega)
            lhs = read.lhs_latex if named else to_latex(omega, ctx.table)
            fixed = root_misprint(eq, det, omega, ctx, backend) if named and values == list(read.rhs) else None
            if fixed is not None:
                return CheckResult("erratum", d.method, where + d.detail + fixed.note_text, f"{lhs} = {fixed.latex}")
            return CheckResult("erratum", d.method, where + d.detail + (f"; {note}" if note else ""),
                               roots_form(det, omega, lhs, ctx, near=(d.point, value), found=found))
    result = _confirm_root(backend, d, det, value, ctx)  # the last printed value with 'where' applied
    return replace(result, detail=where + result.detail) if where else result


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


def _identity(eq: PaperEquation, ctx: _Context, backend: ModelBackend) -> CheckResult:
    from derive.claims.claim_decision import decide_equal

    read = _read(eq, ctx, interpret_lhs=True)
    if read.lhs is None:
        return _unverifiable("identity", "an identity claim needs 'lhs = rhs'")
    lhs = _apply_where(read.lhs, ctx, backend)
    for rhs in read.rhs:
        printed = _apply_where(rhs, ctx, backend)
        d = decide_equal(printed, lhs, conditions=ctx.conditions)
        d, where = _per_regime(printed, lhs, d, ctx, backend, None, sampled=False)
        if not d.holds:
            return CheckResult("erratum", d.method, where + d.detail.replace("derived", "left-hand side"),
                               corrected_identity(eq, read, rhs, ctx))
    return CheckResult("verified", d.method, where + d.detail)


# ----------------------------------------------------------------------------- the direct solve

def _fmt(v) -> str:
    v = complex(v)
    if abs(v.imag) <= 1e-14 * max(1.0, abs(v.real)):
        return f"{v.real:.12g}"
    return f"{v.real:.12g} {'+' if v.imag >= 0 else '-'} {abs(v.imag):.12g}i"


def _confirm(backend: ModelBackend, name: str, d, derived, ctx: _Context) -> CheckResult:
    from derive.claims.claim_decision import value_at

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
    from derive.claims.claim_decision import value_at

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
    from tunnelkit.claims.paper_model import backend_for_file

    try:
        return backend_for_file(path)
    except ImportError as exc:  # a build without the model-file derivation or direct solve
        raise PaperFileError(f"{path.name}: model files are not supported in this build ({exc})") from None


def verify_paper(path: str | Path, *, use_cache: bool = True, backend: ModelBackend | None = None,
                 progress: Any = None) -> tuple[PaperFile, list[Outcome]]:
    """Decide every equation of a paper file.

    Parameters
    ----------
    path : str or pathlib.Path
        The paper file.
    use_cache : bool
        Reuse results stored under the same sources, paper file and model file.
    backend : ModelBackend, optional
        The model side (default: built from the model file).
    progress : bool or callable, optional
        ``True``: a ``tqdm.auto`` bar advanced per equation checked (:func:`tunnelkit.terminal.progress_option`).

    Returns
    -------
    (PaperFile, list of Outcome)
        One outcome per equation, in file order.  Raises :class:`PaperFileError` for a bad file and
        :class:`derive.latex.latex_backend.MissingDependency` when the LaTeX parser is missing or too old.
    """
    from derive.latex.latex_backend import require_parser

    paper = load_paper(path)
    require_parser()  # a missing or too-old LaTeX parser is an error naming the package, never a verdict
    key = paper_cache_key(paper)
    cached = load_results(key, [e.id for e in paper.equations], kind="paper") if use_cache else None
    if cached is not None:
        return paper, [Outcome(e.id, True, cached[e.id], 0.0, cached=True, printed=e.printed)
                       for e in paper.equations]
    if paper.fields:  # claims about the split of a field file (tunnelkit.claims.paper_fields)
        from tunnelkit.claims.paper_fields import check_field_paper

        from tunnelkit.fields.field_file import FieldFileError

        t0 = time.perf_counter()
        try:
            results = check_field_paper(paper)
        except FieldFileError as exc:  # the field file itself is bad: exit 2
            raise PaperFileError(f"{paper.path.name}: [paper] fields: {exc}") from None
        seconds = (time.perf_counter() - t0) / max(len(results), 1)
        outcomes = [Outcome(e.id, True, r, seconds, printed=e.printed) for e, r in zip(paper.equations, results)]
        if use_cache:
            store_results(key, {o.id: o.result for o in outcomes}, kind="paper")
        return paper, outcomes
    backend = backend or model_backend(paper.model_path)
    outcomes, definitions = [], {}
    from numeric.progress import tracked
    from tunnelkit.terminal import progress_option

    for eq in tracked(paper.equations, progress_option(progress), desc=paper.path.name):
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
        store_results(key, {o.id: o.result for o in outcomes if o.ran}, kind="paper")
    return paper, outcomes


def paper_report(paper: PaperFile, outcomes: list[Outcome]) -> str:
    """The Markdown report of a verified paper file (``--report``).

    Parameters
    ----------
    paper : PaperFile
        As returned by :func:`verify_paper`.
    outcomes : list of Outcome
        The outcomes :func:`verify_paper` returned for it.

    Returns
    -------
    str
        Markdown: one section per equation with printed and corrected LaTeX side by side.
    """
    from tunnelkit.claims.paper_markdown import markdown_report

    return markdown_report(outcomes, title=paper.title or paper.id,
                           source=f"{paper.path.name} (model {paper.model_path.name})")


def cli_verify_paper(path: str, *, as_json: bool = False, report: str | None = None, use_cache: bool = True) -> int:
    """``tunnelkit verify PAPER_FILE``: exit 0 when every equation is verified (or a definition), 1 when any
    is an erratum, unverifiable or could not run, 2 for a file that cannot be read at all or a missing
    dependency (one line naming the package and the version needed)."""
    from derive.latex.latex_backend import MissingDependency
    from tunnelkit.registry import print_outcomes

    try:
        paper, outcomes = verify_paper(path, use_cache=use_cache)
    except (PaperFileError, MissingDependency) as exc:
        from tunnelkit.cli_output import one_line

        print(f"tunnelkit: error: {one_line(exc)}", file=sys.stderr)
        return 2
    written = 0
    if report:
        from tunnelkit.cli_output import write_text_file

        written = write_text_file(report, paper_report(paper, outcomes), what="--report")
    status = print_outcomes(outcomes, as_json=as_json) or written
    return status or int(any(o.result.status not in ("verified", "definition") for o in outcomes))
