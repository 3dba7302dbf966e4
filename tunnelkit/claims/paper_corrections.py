r"""The corrected form of an erratum, in the paper's own symbols (``tunnelkit verify PAPER_FILE``).

First the small edits physicists make (:mod:`derive.claims.misprint_search`: a sign, a factor 2 or 1/2, a swapped
label, a power off by one, a conjugate or an i, the other root): when one makes the printed equation hold,
the corrected form is the printed LaTeX with that edit, and the note names it.  Otherwise the derived form,
written as short as the writer can (:mod:`derive.latex.latex_writer`).  Each symbolic step runs under a time
budget (:mod:`derive.claims.time_budget`); past it the search is given up or the form written unsimplified, and
the note says so.
"""
from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

from tunnelkit.claims.paper_context import ModelBackend, _apply_where, _Context, _read, _rel_diff
from tunnelkit.claims.paper_file import PaperEquation

__all__ = ["Correction", "corrected_form", "root_misprint", "physical_roots", "roots_form", "corrected_identity",
           "MISPRINT_SECONDS", "SIMPLIFY_SECONDS", "ROOTS_SECONDS"]

#: time budgets (seconds) of the symbolic steps of writing a corrected form (derive.claims.time_budget)
MISPRINT_SECONDS = 6.0
SIMPLIFY_SECONDS = 8.0
ROOTS_SECONDS = 8.0


class Correction(NamedTuple):
    """A corrected right-hand side (LaTeX) and what the detail should add (the edit found, a budget spent)."""

    latex: str
    note: str = ""

    @property
    def note_text(self) -> str:
        return f"; {self.note}" if self.note else ""


def corrected_form(eq: PaperEquation, derived, ctx: _Context, backend: ModelBackend, d) -> Correction:
    """The corrected right-hand side in the paper's symbols: the printed LaTeX with the one small edit that
    makes it true (:mod:`derive.claims.misprint_search`), else the derived form written as short as the writer can.

    Each symbolic step runs under a time budget (:mod:`derive.claims.time_budget`); past it the search is given
    up, or the derived form is written unsimplified, and the detail says so.
    """
    import mpmath

    from derive.claims.claim_decision import sample_points, value_at

    ints = [c[1] for c in ctx.conditions if isinstance(c, tuple)]
    syms = sorted(set(ctx.variables) | derived.free_symbols, key=str)
    pts = [p for p in sample_points(syms, ctx.conditions, 12, seed=11, integers=ints)
           if value_at(derived, p) is not None][:3]
    want = [value_at(derived, p, 30) for p in pts]

    def accept(i: int, v) -> bool:
        return abs(v - want[i]) <= mpmath.mpf(10) ** -20 * max(abs(v), abs(want[i]), mpmath.mpf(10) ** -30)

    def confirm(text: str) -> bool:
        from derive.claims.claim_decision import decide_equal

        try:
            sides = _read(replace(eq, latex=text), ctx, interpret_lhs=False).rhs
            return all(decide_equal(_apply_where(r, ctx, backend), derived, conditions=ctx.conditions,
                                    variables=ctx.variables, npoints=4).holds for r in sides)
        except Exception:  # noqa: BLE001 - an edit that cannot be read or decided is no correction
            return False

    found = _misprint(eq, ctx, backend, pts, accept, confirm)
    if found is not None and found.latex:
        return found
    written = _derived_latex(eq, derived, ctx, backend, d)
    notes = [n for n in (found.note if found else "", written.note) if n]
    return written._replace(note="; ".join(notes))


def _misprint(eq: PaperEquation, ctx: _Context, backend: ModelBackend, pts, accept, confirm) -> Correction | None:
    """The right-hand side with the likely misprint corrected; None when there is none; an empty form with a
    note when the search ran out of its time budget (then the derived form is written)."""
    from derive.claims.misprint_search import find_misprint
    from derive.claims.time_budget import BudgetExceeded, time_budget

    if not pts:
        return None
    try:
        with time_budget(MISPRINT_SECONDS):
            found = find_misprint(eq.latex, ctx.table, points=pts, accept=accept, confirm=confirm,
                                  transform=lambda e: _apply_where(e.xreplace(ctx.definitions), ctx, backend))
    except BudgetExceeded:
        return Correction("", f"misprint search stopped at its time budget ({MISPRINT_SECONDS:g} s): "
                              "the corrected form is the derived one")

    except Exception:  # noqa: BLE001 - a search that breaks down finds nothing; the derived form is written
        return None
    if found is None:
        return None
    return Correction(found.rhs, f"likely misprint: {found.edit} (one edit of the printed form; {found.tried} "
                                 "candidate edits tried)")


def _derived_latex(eq: PaperEquation, derived, ctx: _Context, backend: ModelBackend, d) -> Correction:
    """The derived form in the paper's symbols, the shortest LaTeX of: ``|S|^2`` kept as moduli for T2 and
    R2, roots with branch cuts written with positive arguments, the cancelled or factored form.

    Chebyshev polynomials of a cosine (symbolic lengths under ``omega = -2 cos k``) are written as the
    sines and cosines a physicist prints; every rewritten form is checked against the derived value at
    the decision's points before it is used.  Within :data:`SIMPLIFY_SECONDS`; past it, the derived form
    as it is (and the detail says so).
    """
    from derive.claims.claim_decision import chebyshev_as_trig, sample_points, simplest_form, value_at
    from derive.latex.latex_writer import abs2_latex, real_radicals, to_latex
    from derive.claims.time_budget import BudgetExceeded, time_budget

    pts = [p for p in d.points if value_at(derived, p) is not None][:3]

    def same(value) -> bool:
        return bool(pts) and all(_rel_diff(complex(value(p)), complex(value_at(derived, p))) < 1e-12 for p in pts)

    forms: list[str] = []
    note = ""
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
        note = (f"simplifying the corrected form stopped at its time budget ({SIMPLIFY_SECONDS:g} s): "
                "it is the derived form as it is")
    return Correction(min(forms, key=len) if forms else to_latex(derived, ctx.table), note)


def root_misprint(eq: PaperEquation, det, omega, ctx: _Context, backend: ModelBackend) -> Correction | None:
    """The printed root with the one small edit that makes it a zero of det (:mod:`derive.claims.misprint_search`)."""
    import mpmath

    from derive.claims.claim_decision import decide_root, sample_points

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

    found = _misprint(eq, ctx, backend, pts, accept, confirm)
    return found if found is not None and found.latex else None


def physical_roots(det, omega, ctx: _Context, *, splits=(), near: tuple | None = None) -> tuple:
    """The zeros of det per sign regime (:func:`derive.claims.radical_roots.regime_roots`: radicals squared away, the
    polynomial solved, the candidates kept that are zeros of det on the physical sheet), within
    :data:`ROOTS_SECONDS`; returns ``(RegimeRoots or None, note)``, the note saying why there are none."""
    from derive.claims.radical_roots import regime_roots
    from derive.claims.time_budget import BudgetExceeded, time_budget

    try:
        with time_budget(ROOTS_SECONDS):
            found = regime_roots(det, omega, conditions=ctx.conditions, variables=ctx.variables, splits=splits,
                                 near=near)
    except BudgetExceeded:
        return None, (f"solving det for omega stopped at its time budget ({ROOTS_SECONDS:g} s): the corrected "
                      "form is written from det's factors")
    except Exception:  # noqa: BLE001 - a route that breaks down finds nothing; the factors of det are written
        return None, ""
    return found, ""


def roots_form(det, omega, lhs: str, ctx: _Context, *, near: tuple | None = None, found=None) -> str:
    """The zeros of det in the paper's symbols: per sign regime as roots when :func:`physical_roots` found them
    (``found``; regimes whose roots differ by a sign combined as sgn(f) r: :func:`derive.claims.radical_roots.combine`,
    written by :func:`derive.latex.latex_writer.regime_roots_latex`), else the roots of det's factors up to degree 2
    (:func:`derive.latex.latex_writer.roots_latex`)."""
    from derive.latex.latex_writer import regime_roots_latex, roots_latex
    from derive.claims.radical_roots import combine

    if found is not None:
        written = regime_roots_latex(combine(found), lhs, ctx.table)
        if written is not None:
            return written
    return roots_latex(det, omega, lhs, ctx.table, near=near, seconds=SIMPLIFY_SECONDS)


def corrected_identity(eq: PaperEquation, read, rhs, ctx: _Context) -> str:
    """``lhs = rhs + (lhs - rhs)``: the printed right-hand side with the term it misses, when there is one."""
    import sympy as sp

    from derive.claims.claim_decision import simplest_form
    from derive.latex.latex_writer import to_latex

    missing = read.lhs - rhs
    missing = sp.simplify(missing) if sp.count_ops(missing) < 60 else simplest_form(missing)
    if len(read.rhs) == 1 and eq.latex.count("=") == 1 and sp.count_ops(missing) <= sp.count_ops(rhs):
        term = to_latex(missing, ctx.table)
        return f"{read.lhs_latex} = {eq.latex.split('=', 1)[1].strip()} {'' if term.startswith('-') else '+ '}{term}"
    return f"{read.lhs_latex} = {to_latex(simplest_form(read.lhs), ctx.table)}"
