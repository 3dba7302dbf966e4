"""The equation registry of both papers (see :mod:`tunnelkit.registry.core`).

>>> load()
>>> "anglin:24" in REGISTRY
True
"""
from __future__ import annotations

import importlib
import json
import re
import sys

from numeric.progress import Progress
from tunnelkit.registry.core import REGISTRY, CheckResult, Entry, Outcome, load, register, run_checks, source_key

__all__ = ["REGISTRY", "CheckResult", "Entry", "register", "run_checks", "load", "ordered_ids",
           "cli_verify", "cli_derive", "UnknownId", "source_key", "Outcome", "print_outcomes"]



class UnknownId(KeyError):
    """An equation id that is not registered."""


def _sort_key(id_: str):
    paper, rest = id_.split(":", 1)
    m = re.match(r"(\d+)", rest)
    return (paper, 0 if m else 1, int(m.group(1)) if m else 0, rest)


def ordered_ids(paper: str | None = None) -> list[str]:
    """Registered ids in paper order (numbered equations first)."""
    load()
    return sorted((i for i in REGISTRY if paper is None or i.startswith(paper + ":")), key=_sort_key)


def get(id_: str) -> Entry:
    load()
    if id_ not in REGISTRY:
        raise UnknownId(id_)
    return REGISTRY[id_]


def cli_verify(*, paper: str | None = None, as_json: bool = False, ids: list[str] | None = None,
               use_cache: bool = True, progress: Progress | None = None, report: str | None = None) -> int:
    """``tunnelkit verify``: exit 0 when every check ran, 1 otherwise, 2 for an unknown id.

    ``progress``: optional progress wrapper (:mod:`numeric.progress`), advanced per check run;
    ``report``: also write the Markdown report (:mod:`tunnelkit.claims.paper_markdown`) to this file.
    """
    load()
    if ids:
        bad = [i for i in ids if i not in REGISTRY]
        if bad:
            print(f"tunnelkit: error: unknown equation id {bad[0]!r} (see `tunnelkit verify` for the list)",
                  file=sys.stderr)
            return 2
        todo = ids
    else:
        todo = ordered_ids(paper)
    import os

    outcomes = run_checks(todo, use_cache=use_cache, jobs=min(4, os.cpu_count() or 1), progress=progress)
    written = 0
    if report:
        from tunnelkit.cli_output import write_text_file
        from tunnelkit.claims.paper_markdown import markdown_report

        written = write_text_file(report, markdown_report(outcomes, title=f"registered equations ({paper or 'all papers'})"),
                                  what="--report")
    return print_outcomes(outcomes, as_json=as_json) or written


def print_outcomes(outcomes: list[Outcome], *, as_json: bool) -> int:
    """Print checks as the ``verify`` table or its JSON (docs/cli.md); exit status 0 when every check ran, else 1."""
    if as_json:
        json.dump({"checks": [o.as_json() for o in outcomes]}, sys.stdout)
        sys.stdout.write("\n")
    else:
        _print_report(outcomes)
    return 0 if all(o.ran for o in outcomes) else 1


def _print_report(outcomes: list[Outcome]) -> None:
    rows = [(o.id, (o.result.status if o.result else "NOT RUN"),
             (o.result.method if o.result else "-"),
             (o.result.detail if o.result else o.error)) for o in outcomes]
    w_id = max(len(r[0]) for r in rows)
    w_st = max(len(r[1]) for r in rows)
    print(f"{'id'.ljust(w_id)}  {'status'.ljust(w_st)}  method | detail")
    for r, o in zip(rows, outcomes):
        print(f"{r[0].ljust(w_id)}  {r[1].ljust(w_st)}  {r[2]} | {r[3]}")
        if o.result and o.result.status == "erratum":
            print(f"{''.ljust(w_id)}    printed:   {o.printed}")
            print(f"{''.ljust(w_id)}    corrected: {o.result.corrected}")
    counts = {s: sum(1 for r in rows if r[1] == s) for s in ("verified", "erratum", "unverifiable", "definition", "NOT RUN")}
    print(", ".join(f"{v} {k}" for k, v in counts.items() if v))


def _as_list(expr) -> list:
    import sympy as sp

    if isinstance(expr, (list, tuple, sp.Tuple)):
        return list(expr)
    return [expr]


def cli_derive(id_: str, fmt: str = "latex") -> int:
    """``tunnelkit derive ID``: LaTeX, ``srepr`` or Python source of the derived form.

    The printed text is cached (:mod:`tunnelkit.disk_cache`, kind ``derive``) under the id, the format
    and the source key, like verification results: a second run neither derives nor imports SymPy.
    """
    from tunnelkit import disk_cache

    name = f"{id_}-{fmt}-{source_key()}"
    cached = disk_cache.load_json("derive", name)
    if isinstance(cached, str):  # stored only for a registered id that printed this text
        print(cached)
        return 0
    try:
        entry = get(id_)
    except UnknownId:
        print(f"tunnelkit: error: unknown equation id {id_!r} (see `tunnelkit verify` for the list)",
              file=sys.stderr)
        return 2
    if entry.derived is None:
        print(f"tunnelkit: error: {id_} has no derived expression (it is a {entry.title.lower()})",
              file=sys.stderr)
        return 2
    import sympy as sp

    parts = _as_list(entry.derived())
    if fmt == "latex":
        text = latex_of(parts)
    elif fmt == "sympy":
        text = "\n".join(sp.srepr(p) for p in parts)
    else:
        try:
            text = python_of(entry, parts)
        except (TypeError, ValueError, NotImplementedError) as exc:  # e.g. an unevaluated Integral
            print(f"tunnelkit: error: {id_} has no Python evaluator ({type(exc).__name__}); "
                  "use --format latex or --format sympy", file=sys.stderr)
            return 2
    disk_cache.store_json("derive", name, text)
    print(text)
    return 0


def latex_of(parts: list) -> str:
    """LaTeX of one or several derived expressions (several are joined by ``,\\quad``)."""
    import sympy as sp

    return r",\quad ".join(sp.latex(p) for p in parts)


def python_of(entry: Entry, parts: list) -> str:
    """Source of the generated evaluator, or a freshly rendered NumPy function.

    The printing helpers the function calls (:func:`derive.codegen.paper_modules.helpers_for`)
    follow it, so that the text runs on its own after ``import numpy``.
    """
    import sympy as sp

    from derive.codegen.paper_modules import helpers_for, render_function
    from derive.codegen.spec import Spec

    def standalone(src: str) -> str:
        helpers = helpers_for(src)
        return src if not helpers else src.rstrip("\n") + "\n\n\n" + helpers

    if entry.evaluator:
        import inspect

        mod_name, func = entry.evaluator.split(":")
        mod = importlib.import_module(mod_name)
        return standalone(inspect.getsource(getattr(mod, func)))

    if any(not s.is_commutative for p in parts for s in sp.sympify(p).free_symbols):
        from derive.papers.tajima.split_fields import operator_python

        fname = "op_" + re.sub(r"\W", "_", entry.id)
        return "\n\n".join(operator_python(p, fname + (f"_{i}" if len(parts) > 1 else ""), f"{entry.id}: {entry.title}")
                           for i, p in enumerate(parts))

    # Chebyshev polynomials of symbolic order (chain segments of length M) at cos x, as the NumPy printer
    # cannot print them: U_n(cos x) = sin((n+1)x)/sin x, T_n(cos x) = cos(nx) (exact for sin x != 0)
    x, n = sp.Wild("x"), sp.Wild("n")
    parts = [sp.sympify(p).replace(sp.chebyshevu(n, sp.cos(x)), sp.sin((n + 1) * x) / sp.sin(x))
             .replace(sp.chebyshevt(n, sp.cos(x)), sp.cos(n * x)) for p in parts]
    outputs = []
    for i, p in enumerate(parts):
        if isinstance(p, sp.Equality):
            name = re.sub(r"\W", "_", str(p.lhs)) if p.lhs.is_Symbol else f"residual_{i}"
            outputs.append((name, p.rhs if p.lhs.is_Symbol else p.lhs - p.rhs))
        else:
            outputs.append((f"value_{i}", p))
    args = tuple(sorted(set().union(*(sp.sympify(e).free_symbols for _, e in outputs)), key=str))
    fname = "eval_" + re.sub(r"\W", "_", entry.id)
    return standalone(render_function(Spec(fname, args, tuple(outputs), f"{entry.id}: {entry.title}"), "numpy"))
