"""Equation registry: printed form, derived form and the check that compares them.

Every printed equation (and every unnumbered statement a result depends on)
is one :class:`Entry`, keyed by id (``anglin:33``, ``tajima:9``,
``anglin:appB-star``).  Later work only adds entries with :func:`register`, or as
claims of a bundled paper file (:mod:`tunnelkit.registry.paper_data`).

A check returns a :class:`CheckResult` with status ``verified``, ``erratum``
or ``unverifiable``, the method that decided it and a one-line detail; an
erratum carries the corrected LaTeX.  A check that raises is reported as
not run (``tunnelkit verify`` then exits 1).

Results are cached on disk by :mod:`tunnelkit.disk_cache` (one signed entry
per check, kind ``verify``) under a key that hashes every file of the
``tunnelkit``, ``derive`` and ``numeric`` packages (the bundled paper, model and
field files of :mod:`tunnelkit.registry.paper_data` included) and the SymPy/mpmath/NumPy
versions, so any change of code or data invalidates them; an entry edited or
planted without the user's cache key is ignored and recomputed.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time
import traceback
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Literal

from numeric.progress import Progress, tracked
from tunnelkit import disk_cache
from tunnelkit.disk_cache import cache_dir, source_key

if TYPE_CHECKING:  # sympy is not imported at run time here: a warm (cached) verify need not load it
    import sympy as sp

__all__ = ["CheckResult", "Entry", "REGISTRY", "register", "run_checks", "schedule", "source_key", "cache_dir",
           "load_results", "store_results"]

Status = Literal["verified", "erratum", "unverifiable", "definition"]  # definition: paper files only


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one registry check."""

    status: Status
    method: str
    detail: str
    corrected: str | None = None

    def __post_init__(self) -> None:
        if self.status not in ("verified", "erratum", "unverifiable", "definition"):
            raise ValueError(self.status)
        if self.status == "erratum" and not self.corrected:
            raise ValueError("an erratum must carry the corrected form")

    # one line; in Jupyter a table of status, method, detail and the corrected LaTeX
    def __repr__(self) -> str:
        from tunnelkit.result_display import check_repr

        return check_repr(self)

    def _repr_html_(self) -> str:
        from tunnelkit.result_display import outcomes_html

        return outcomes_html([Outcome("", True, self, 0.0)])

    def _repr_markdown_(self) -> str:
        from tunnelkit.result_display import outcomes_markdown

        return outcomes_markdown([Outcome("", True, self, 0.0)])


@dataclass(frozen=True)
class Entry:
    """One printed equation or statement.

    ``printed`` is LaTeX transcribed as printed (misprints included);
    ``derived`` builds the project's SymPy form; ``evaluator`` names the
    generated function that evaluates it (``module:function``), if any.
    """

    id: str
    title: str
    printed: str
    check: Callable[[], CheckResult]
    derived: Callable[[], sp.Basic] | None = None
    evaluator: str | None = None
    note: str = ""
    #: takes seconds when run cold: scheduled first when checks run in parallel
    heavy: bool = False
    #: checks with the same ``share`` key reuse cached intermediate results: they run in one task
    share: str | None = None

    @property
    def paper(self) -> str:
        return self.id.split(":", 1)[0]


REGISTRY: dict[str, Entry] = {}


def register(id: str, title: str, printed: str, *, derived: Callable[[], sp.Basic] | None = None,
             evaluator: str | None = None, note: str = "", heavy: bool = False,
             share: str | None = None) -> Callable:
    """Decorator: register the decorated check function under ``id``.

    ``heavy`` marks a check that takes seconds cold (run first in parallel runs);
    checks with the same ``share`` key run in one task (they share cached work).
    """

    def deco(check: Callable[[], CheckResult]) -> Callable[[], CheckResult]:
        if id in REGISTRY:
            raise KeyError(f"duplicate registry id {id}")
        REGISTRY[id] = Entry(id, title, " ".join(printed.split()), check, derived, evaluator, note, heavy, share)
        return check

    return deco


def _result_of(data: object) -> CheckResult | None:
    try:
        return CheckResult(**data) if isinstance(data, dict) else None
    except (TypeError, ValueError):
        return None


def load_results(name: str, ids: Iterable[str], *, kind: str = "verify") -> dict[str, CheckResult] | None:
    """The results of ``ids`` stored together under ``name``, or None (absent, damaged or without some id).

    An entry whose HMAC matches but holds something other than results is deleted
    (:func:`tunnelkit.disk_cache.discard`) and recomputed by the caller.
    """
    data = disk_cache.load_json(kind, name)
    ids = list(ids)
    if data is None or (isinstance(data, dict) and not all(i in data for i in ids)):
        return None  # absent, or an entry of a run where some check could not run
    results = {i: _result_of(data[i]) for i in ids} if isinstance(data, dict) else {}
    if not isinstance(data, dict) or any(r is None for r in results.values()):
        disk_cache.discard(kind, name)
        return None
    return results  # type: ignore[return-value]


def store_results(name: str, results: dict[str, CheckResult], *, kind: str = "verify") -> None:
    """Store results together under ``name`` (see :mod:`tunnelkit.disk_cache`: atomic, signed)."""
    disk_cache.store_json(kind, name, {i: asdict(r) for i, r in results.items()})


@dataclass
class Outcome:
    """A check result plus bookkeeping for reports."""

    id: str
    ran: bool
    result: CheckResult | None
    seconds: float
    error: str = ""
    cached: bool = False
    printed: str = field(default="")

    # one line; in Jupyter a table of status, method, printed and corrected LaTeX
    def __repr__(self) -> str:
        from tunnelkit.result_display import outcome_repr

        return outcome_repr(self)

    def _repr_html_(self) -> str:
        from tunnelkit.result_display import outcomes_html

        return outcomes_html([self])

    def _repr_markdown_(self) -> str:
        from tunnelkit.result_display import outcomes_markdown

        return outcomes_markdown([self])

    def as_json(self) -> dict:
        r = self.result
        return {
            "id": self.id,
            "status": r.status if r else "unverifiable",
            "printed": self.printed,
            "corrected": r.corrected if r else None,
            "method": r.method if r else "check could not run",
            "detail": r.detail if r else self.error,
        }


def _run_one(id_: str) -> Outcome:
    entry = REGISTRY[id_]
    t0 = time.perf_counter()
    try:
        res = entry.check()
        return Outcome(id_, True, res, time.perf_counter() - t0, printed=entry.printed)
    except Exception as exc:  # a check that cannot run is reported, not raised
        tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return Outcome(id_, False, None, time.perf_counter() - t0, error=tb, printed=entry.printed)


def load() -> None:
    """Import every module of this package: importing one registers its entries (idempotent).

    A new paper's checks are a new module here; nothing else lists them.
    """
    import importlib
    import pkgutil
    from pathlib import Path

    package = __name__.rpartition(".")[0]
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name not in ("core", "report") and not info.name.startswith("_"):
            importlib.import_module(f"{package}.{info.name}")


def _run_group(ids: list[str]) -> list[Outcome]:
    """Worker task: the checks of one registry module, in order (they share cached intermediate results)."""
    load()
    return [_run_one(i) for i in ids]


#: seconds between a worker's checks that its parent is alive (where the parent-death signal is unavailable)
PARENT_POLL = 0.5


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(PARENT_POLL)
        if os.getppid() != parent:  # re-parented: the parent has died
            os._exit(1)


def _worker_init(parent: int) -> None:
    """Start of a pool worker: it ends with its parent (even after SIGKILL) and leaves Ctrl-C to the parent.

    Linux delivers SIGTERM when the parent dies (``prctl(PR_SET_PDEATHSIG)``); elsewhere, and as a second
    guard, a daemon thread exits when the parent pid changes.  SIGINT is ignored (the parent handles it and
    terminates the pool); SIGTERM gets its default action back (the parent's handler must not run here).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="watch-parent").start()


def _terminate(ex) -> None:
    """Stop a process pool now: cancel what has not started and end the running workers."""
    terminate_workers = getattr(ex, "terminate_workers", None)  # Python 3.14
    if terminate_workers is not None:
        terminate_workers()
        return
    processes = list((getattr(ex, "_processes", None) or {}).values())  # no public API before 3.14
    for p in processes:
        p.terminate()
    ex.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        p.join(2)
        if p.is_alive():
            p.kill()


def _raise_exit(signum: int, frame) -> None:
    raise SystemExit(128 + signum)


def _run_pool(tasks: list[list[str]], jobs: int, progress: Progress | None, *, total: int) -> list[Outcome]:
    """Run ``tasks`` (lists of ids) on ``jobs`` worker processes, outcomes in task order.

    Ctrl-C (KeyboardInterrupt) and SIGTERM (turned into ``SystemExit(143)`` while the pool runs) terminate
    the workers at once instead of waiting for the running checks; workers end with the parent
    (:func:`_worker_init`) even when it is killed.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_exit) if main_thread else None
    ex = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_worker_init, initargs=(os.getpid(),))
    try:
        futures = {ex.submit(_run_group, t): k for k, t in enumerate(tasks)}
        groups: list = [None] * len(tasks)

        def finished():  # as the checks finish (the bar advances), kept in task order below
            for f in as_completed(futures):
                groups[futures[f]] = f.result()
                yield from groups[futures[f]]

        list(tracked(finished(), progress, total=total, desc="verify"))
        result = [o for g in groups for o in g]
    except BaseException:
        _terminate(ex)
        raise
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
    ex.shutdown(wait=True)
    return result


def schedule(ids: Iterable[str]) -> list[list[str]]:
    """Tasks for a process pool, longest first: heavy checks (with their ``share`` partners), then the
    rest grouped by registry module (checks of one module share ``lru_cache``d intermediate results)."""
    heavy: dict[str, list[str]] = {}
    groups: dict[str, list[str]] = {}
    for id_ in ids:
        e = REGISTRY[id_]
        if e.heavy:
            heavy.setdefault(e.share or e.id, []).append(id_)
        else:
            groups.setdefault(e.check.__module__, []).append(id_)
    return list(heavy.values()) + sorted(groups.values(), key=len, reverse=True)


def run_checks(ids: Iterable[str], *, use_cache: bool = True, jobs: int = 1,
               progress: Progress | None = None) -> list[Outcome]:
    """Run the checks for ``ids`` (cached results reused when the sources are unchanged).

    ``jobs > 1`` runs the uncached checks in a process pool, one task per registry
    module (checks of one module share intermediate results through ``lru_cache``).
    ``progress`` (a wrapper of :mod:`numeric.progress`) advances once per uncached check.
    """
    ids = list(ids)
    key = source_key()
    done: dict[str, Outcome] = {}
    todo = []
    for id_ in ids:  # one entry per check: concurrent runs never lose each other's results
        cached = load_results(f"{id_}-{key}", [id_]) if use_cache else None
        if cached is not None:
            done[id_] = Outcome(id_, True, cached[id_], 0.0, cached=True, printed=REGISTRY[id_].printed)
        else:
            todo.append(id_)
    if jobs > 1 and len(todo) > 1:
        done.update({o.id: o for o in _run_pool(schedule(todo), jobs, progress, total=len(todo))})
    else:
        done.update({i: _run_one(i) for i in tracked(todo, progress, desc="verify")})
    if use_cache:
        for i in todo:
            if done[i].ran:
                store_results(f"{i}-{key}", {i: done[i].result})
    return [done[i] for i in ids]
