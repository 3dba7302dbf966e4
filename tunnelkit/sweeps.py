"""Parameter sweeps through any :class:`concurrent.futures.Executor`.

A sweep is a list of parameter dictionaries; each is evaluated by a
top-level (picklable) task function, so the same call runs on a local
process pool (the default), a thread pool, ``dask.distributed.Client().get_executor()``
or ``mpi4py.futures.MPIPoolExecutor()`` unchanged.  Results come back in the
order of the grid.  Tasks:

``"current"``
    keys of :class:`numeric.anglin.parameters.LossyLattice` plus the optional reservoir
    keys ``muL, muR, TL, TR, stats``; returns ``{"I", "Q", "loss", "error_I"}``.
``"transmission"``
    lattice keys plus ``omega`` (list); returns ``{"T2", "RL2", "RR2"}`` lists.
``"pair_ratio"``
    ``T`` (list) and optional ``damping``; returns ``{"T", "G_over_S"}``.

>>> from concurrent.futures import ThreadPoolExecutor
>>> grid = [dict(M=1, tau1=0.3, gamma=g, Lambda=1.0, omega=[0.1]) for g in (0.0, 1.0)]
>>> out = sweep("transmission", grid, executor=ThreadPoolExecutor(2))
>>> [round(o["T2"][0], 6) for o in out][0] > 0
True
"""
from __future__ import annotations

import itertools
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any, Iterable, Mapping, Sequence

__all__ = ["TASKS", "grid", "sweep"]

_LATTICE_KEYS = ("M", "tau1", "gamma", "Lambda", "V")


def _lattice(p: Mapping[str, Any]):
    from numeric.anglin.parameters import LossyLattice

    return LossyLattice(**{k: p[k] for k in _LATTICE_KEYS if k in p})


def _task_current(p: Mapping[str, Any]) -> dict:
    from numeric.anglin.currents import currents

    kw = {k: p[k] for k in ("muL", "muR", "TL", "TR", "stats") if k in p}
    c = currents(_lattice(p), **kw)
    return {"I": float(c.I), "Q": float(c.Q), "loss": float(c.loss), "error_I": float(c.error_I)}


def _task_transmission(p: Mapping[str, Any]) -> dict:
    from numeric.anglin.transmission import transmission

    tr = transmission(_lattice(p), p["omega"])
    return {k: [float(x) for x in getattr(tr, k)] for k in ("T2", "RL2", "RR2")}


def _task_pair_ratio(p: Mapping[str, Any]) -> dict:
    from numeric.tajima.pair_ratio import pair_ratio

    r = pair_ratio(p["T"], damping=p.get("damping", 0.1))
    return {"T": [float(t) for t in r.T], "G_over_S": [float(g) for g in r.G_over_S]}


TASKS = {"current": _task_current, "transmission": _task_transmission, "pair_ratio": _task_pair_ratio}


def grid(**axes: Sequence[Any]) -> list[dict]:
    """Cartesian product of named axes: ``grid(gamma=[0, 1], V=[0.5, 1])`` -> 4 dicts.

    >>> grid(a=[1, 2], b=["x"])
    [{'a': 1, 'b': 'x'}, {'a': 2, 'b': 'x'}]
    """
    names = list(axes)
    return [dict(zip(names, vals)) for vals in itertools.product(*(axes[n] for n in names))]


def sweep(task: str, params: Iterable[Mapping[str, Any]], *, executor: Executor | None = None,
          chunksize: int = 1) -> list[dict]:
    """Evaluate ``task`` at every parameter set, through ``executor`` (default: a process pool)."""
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; choose from {sorted(TASKS)}")
    params = [dict(p) for p in params]
    own = executor is None
    ex = ProcessPoolExecutor() if own else executor
    try:
        if chunksize > 1 and isinstance(ex, ProcessPoolExecutor):
            return list(ex.map(TASKS[task], params, chunksize=chunksize))
        return [f.result() for f in [ex.submit(TASKS[task], p) for p in params]]
    finally:
        if own:
            ex.shutdown()
