r"""Registry entries that are paper-file data: printed equations decided by the general verifier.

The paper files bundled with the package (``tunnelkit/papers_data/*.toml``, the same files as
``examples/papers/anglin.toml`` and ``tajima.toml``) state printed equations as claims about a model
file or a field file (docs/paper-files.md).  A registry module turns the claims of such a file into
registry entries with :func:`register_paper_file`: the entry ``tajima:9`` *is* equation ``9`` of the
file whose ``[paper] id`` is ``tajima``; its printed LaTeX is the file's, and its check runs the
general verifier (:func:`tunnelkit.claims.paper_verify.verify_paper`, once per file and process) and maps the
claim's verdict onto the registry's: ``verified``, ``erratum`` (with the verifier's corrected form) or
``unverifiable``, the method prefixed with :data:`METHOD`.  A claim whose check could not run raises,
so the registry reports it as not run.

Every claim of a bundled file is either such an entry or a declared *part* of an entry, checked in the
file beside it with no entry of its own (``anglin:37-T`` of ``anglin:37``, which code still decides as it
also prints Appendix A intermediates; ``tajima:9K``, Eq. 9 with overlapping modes): nothing in a file is
silently left out.  Results are cached by the registry under :func:`tunnelkit.disk_cache.source_key`, which
hashes every file of the package, the bundled paper, model and field files included: editing one
re-decides.

>>> sorted(bundled_files())
['anglin.toml', 'tajima.toml']
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from tunnelkit.registry.core import CheckResult, register

__all__ = ["DataEntry", "METHOD", "PAPERS_DATA", "bundled_files", "register_paper_file", "claim_result",
           "model_claim_derived"]

#: the folder of the bundled paper files
PAPERS_DATA = Path(__file__).resolve().parents[1] / "papers_data"
#: how a data entry's method starts (the verifier's own method follows)
METHOD = "paper file claim, general verifier"


@dataclass(frozen=True)
class DataEntry:
    """How one claim of a bundled paper file appears in the registry.

    ``derived`` builds the project's SymPy form for ``tunnelkit derive`` (default: the general
    verifier's derived side, :func:`model_claim_derived`, for a paper over a model file).
    """

    title: str
    derived: Callable | None = None
    note: str = ""


def bundled_files() -> list[str]:
    """Names of the paper files in :data:`PAPERS_DATA` (a file there that is not a paper is a field file)."""
    return sorted(p.name for p in PAPERS_DATA.glob("*.toml") if "[paper]" in p.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _outcomes(name: str) -> dict:
    """``{claim id: Outcome}`` of one bundled file, decided once per process (the registry caches results)."""
    from tunnelkit.claims.paper_verify import verify_paper

    _, outcomes = verify_paper(PAPERS_DATA / name, use_cache=False)
    return {o.id: o for o in outcomes}


def claim_result(name: str, id_: str) -> CheckResult:
    """The registry's result for claim ``id_`` of bundled file ``name``.

    Parameters
    ----------
    name : str
        A file of :data:`PAPERS_DATA`.
    id_ : str
        The claim's equation id (``tajima:9``).

    Returns
    -------
    CheckResult
        The verifier's verdict with :data:`METHOD` in front of its method and the claim named in its detail.

    Raises
    ------
    RuntimeError
        When the verifier could not run the claim (the registry reports the entry as not run).
    """
    outcome = _outcomes(name)[id_]
    r = outcome.result
    if r is None:
        raise RuntimeError(f"{name}, equation {id_.split(':', 1)[1]}: {outcome.error}")
    status = r.status if r.status in ("verified", "erratum") else "unverifiable"  # a definition is no verdict
    return CheckResult(status, f"{METHOD}: {r.method}", f"{name}, equation {id_.split(':', 1)[1]}: {r.detail}",
                       r.corrected if status == "erratum" else None)


def model_claim_derived(name: str, number: str):
    """The model's side of a quantity or ``det-zero`` claim of a bundled paper over a model file.

    The claimed quantity (``det`` for ``det-zero``, as ``det = 0``) of the model file, with the claim's
    ``where`` applied: what the verifier compares the printed right-hand side with.
    """
    import sympy as sp

    from tunnelkit.claims.paper_context import _apply_where, _claim_parts, prepare
    from tunnelkit.claims.paper_file import load_paper
    from tunnelkit.claims.paper_verify import model_backend

    paper = load_paper(PAPERS_DATA / name)
    eq = next(e for e in paper.equations if e.number == number)
    backend = model_backend(paper.model_path)
    ctx = prepare(paper, eq, backend)
    if eq.claims == "det-zero":
        return sp.Eq(_apply_where(backend.quantity("det", dict(ctx.limits)), ctx, backend), 0)
    combo, parts = _claim_parts(eq.claims, backend)
    return _apply_where(combo.xreplace({d: backend.quantity(n, dict(ctx.limits)) for d, n in parts.items()}),
                        ctx, backend)


def register_paper_file(name: str, entries: dict[str, DataEntry], *, parts: dict[str, str] | None = None) -> None:
    """Register claims of bundled paper file ``name`` as registry entries.

    Parameters
    ----------
    name : str
        A file of :data:`PAPERS_DATA`; its ``[paper] id`` is the paper of the entries.
    entries : dict
        Claim number -> :class:`DataEntry`: the claims that are registry entries (id ``<paper id>:<number>``).
    parts : dict, optional
        Claim number -> registry id of the entry it is a part of (checked in the file, no entry of its own).

    Raises
    ------
    KeyError
        A claim of the file that is neither an entry nor a part, or a number the file lacks.
    """
    from tunnelkit.claims.paper_file import load_paper

    paper = load_paper(PAPERS_DATA / name)
    numbers = [e.number for e in paper.equations]
    parts = parts or {}
    stray = [n for n in numbers if n not in entries and n not in parts]
    missing = [n for n in [*entries, *parts] if n not in numbers]
    if stray or missing:
        raise KeyError(f"{name}: claims {stray} are neither registry entries nor parts; {missing} are not in the file")
    for eq in paper.equations:
        if eq.number not in entries:
            continue
        spec = entries[eq.number]
        derived = spec.derived
        if derived is None and not paper.fields:
            derived = (lambda number=eq.number: model_claim_derived(name, number))  # noqa: E731
        check = (lambda id_=eq.id: claim_result(name, id_))  # noqa: E731
        # heavy with one share per file: one pool task decides the whole file once
        register(eq.id, spec.title, eq.latex, derived=derived, note=spec.note, heavy=True,
                 share=f"paper-file:{name}")(check)
