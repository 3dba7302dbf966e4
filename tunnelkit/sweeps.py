"""Parameter sweeps through any :class:`concurrent.futures.Executor`.

A sweep is a list of parameter dictionaries; each is evaluated by a
top-level (picklable) task function, so the same call runs on a local
process pool (the default), a thread pool, ``dask.distributed.Client().get_executor()``
or ``mpi4py.futures.MPIPoolExecutor()`` unchanged.  Results come back in the
order of the grid.  Tasks:

``"current"``
    keys of :class:`tunnelkit.models.lossy_lattice.LossyLattice` (the bundled lattice model) plus the optional reservoir
    keys ``muL, muR, TL, TR, stats``; returns ``{"I", "Q", "loss", "error_I"}``.
``"transmission"``
    lattice keys plus ``omega`` (list); returns ``{"T2", "RL2", "RR2"}`` lists.
``"pair_ratio"``
    ``T`` (list) and optional ``damping``; returns ``{"T", "G_over_S"}``.
``"model_transmission"``
    a user's model (``docs/model-files.md``): ``model`` (the model dict, e.g.
    ``Model.from_file(path).model_dict``), ``params`` (values), ``omega`` (list) and optional
    ``quantities`` (default: T2, R2, absorbed of every lead); returns ``{quantity: list}`` (NaN as None).
``"model_current"``
    ``model``, ``params``, ``leads`` (``{name: {"mu": X, "T": Y}}``) and optional ``stats``; returns
    ``{"I": {lead: I}, "loss", "error_estimate"}``.

:func:`model_map` evaluates one number of a model over a grid of two parameters (a map of T2,
absorption, a current or the loss rate) through the same executors.

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

import numpy as np

__all__ = ["TASKS", "grid", "sweep", "model_map"]

_LATTICE_KEYS = ("M", "tau1", "gamma", "Lambda", "V")


def _lattice(p: Mapping[str, Any]):
    from tunnelkit.models.lossy_lattice import LossyLattice

    return LossyLattice(**{k: p[k] for k in _LATTICE_KEYS if k in p})


def _task_current(p: Mapping[str, Any]) -> dict:
    from tunnelkit.models.lossy_lattice import currents

    kw = {k: p[k] for k in ("muL", "muR", "TL", "TR", "stats") if k in p}
    c = currents(_lattice(p), **kw)
    return {"I": float(c.I), "Q": float(c.Q), "loss": float(c.loss), "error_I": float(c.error_I)}


def _task_transmission(p: Mapping[str, Any]) -> dict:
    from tunnelkit.models.lossy_lattice import transmission

    tr = transmission(_lattice(p), p["omega"])
    return {k: [float(x) for x in getattr(tr, k)] for k in ("T2", "RL2", "RR2")}


def _task_pair_ratio(p: Mapping[str, Any]) -> dict:
    from numeric.papers.tajima.pair_ratio import pair_ratio

    r = pair_ratio(p["T"], damping=p.get("damping", 0.1))
    return {"T": [float(t) for t in r.T], "G_over_S": [float(g) for g in r.G_over_S]}


def _model(p: Mapping[str, Any]):
    from tunnelkit.models.model import Model

    return Model.from_dict(p["model"]).with_params(p.get("params", {}))


def _task_model_transmission(p: Mapping[str, Any]) -> dict:
    m = _model(p)
    L = m.lead_names
    names = p.get("quantities") or ([f"T2:{a}->{b}" for a in L for b in L if a != b] + [f"R2:{a}" for a in L] +
                                    [f"absorbed:{a}" for a in L])
    vals = m.evaluate(names, p["omega"])
    out = {}
    for n in names:
        v = np.asarray(vals[n])
        conv = complex if np.iscomplexobj(v) else float
        out[n] = [None if np.isnan(x) else conv(x) for x in v]
    return out


def _task_model_current(p: Mapping[str, Any]) -> dict:
    c = _model(p).current(p.get("leads", {}), stats=p.get("stats", "fermi"))
    return {"I": dict(c.I), "loss": c.loss, "error_estimate": c.error_estimate}


TASKS = {"current": _task_current, "transmission": _task_transmission, "pair_ratio": _task_pair_ratio,
         "model_transmission": _task_model_transmission, "model_current": _task_model_current}


def grid(**axes: Sequence[Any]) -> list[dict]:
    """Cartesian product of named axes: ``grid(gamma=[0, 1], V=[0.5, 1])`` -> 4 dicts.

    Parameters
    ----------
    **axes : sequence
        Parameter name -> its values.

    Returns
    -------
    list of dict
        Every combination, the last axis varying fastest.

    >>> grid(a=[1, 2], b=["x"])
    [{'a': 1, 'b': 'x'}, {'a': 2, 'b': 'x'}]
    """
    names = list(axes)
    return [dict(zip(names, vals)) for vals in itertools.product(*(axes[n] for n in names))]


def sweep(task: str, params: Iterable[Mapping[str, Any]], *, executor: Executor | None = None,
          chunksize: int = 1, progress: Any = None) -> list[dict]:
    """Evaluate ``task`` at every parameter set, through ``executor`` (default: a process pool).

    Parameters
    ----------
    task : str
        One of :data:`TASKS`: ``"current"``, ``"transmission"``, ``"pair_ratio"`` (the lattice's and the
        function's keyword arguments in each set), ``"model_transmission"``, ``"model_current"``.
    params : iterable of dict
        The parameter sets, e.g. from :func:`grid`.
    executor : concurrent.futures.Executor, optional
        Where to run (a process pool by default; Dask's or mpi4py's executors work unchanged).
    chunksize : int
        Parameter sets per task sent to a process pool.
    progress : bool or callable, optional
        ``True``: a ``tqdm.auto`` bar advanced per finished parameter set
        (:func:`tunnelkit.terminal.progress_option`).

    Returns
    -------
    list of dict
        One result per parameter set, in order (plain floats: JSON-serialisable).
    """
    from numeric.progress import tracked
    from tunnelkit.terminal import progress_option

    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; choose from {sorted(TASKS)}")
    bar = progress_option(progress)
    params = [dict(p) for p in params]
    own = executor is None
    ex = ProcessPoolExecutor() if own else executor
    try:
        if chunksize > 1 and isinstance(ex, ProcessPoolExecutor):
            return list(tracked(ex.map(TASKS[task], params, chunksize=chunksize), bar, total=len(params), desc=task))
        return [f.result() for f in tracked([ex.submit(TASKS[task], p) for p in params], bar, desc=task)]
    finally:
        if own:
            ex.shutdown()


def model_map(model: Any, x: tuple[str, Sequence[Any]], y: tuple[str, Sequence[Any]], *,
              params: Mapping[str, Any] | None = None, quantity: str = "T2", omega: Any = None,
              leads: Mapping[str, Any] | None = None, stats: str = "fermi",
              executor: Executor | None = None, progress: Any = None) -> np.ndarray:
    """One number of a model over two parameters: ``out[i, j]`` at ``x = x[1][i]``, ``y = y[1][j]``.

    Parameters
    ----------
    model : tunnelkit.models.model.Model or dict
        The model (its own parameter values are the defaults for ``params``).
    x, y : (name, values)
        The two swept parameters.
    params : dict, optional
        Values of the other parameters.
    quantity : str
        A quantity (docs/conventions.md) at the single energy ``omega`` (``"T2:L->R"``, ``"absorbed:L"``, ...),
        or, with ``leads``, ``"I:NAME"`` (current out of lead NAME) or ``"loss"``.
    omega : float, optional
        The energy of a transmission quantity.
    leads, stats
        Reservoirs of a current map (``{name: {"mu": X, "T": Y}}``).
    executor : concurrent.futures.Executor, optional
        Where the grid points run (default: a local process pool); e.g. a
        ``dask.distributed.Client(...).get_executor()``.
    progress : bool or callable, optional
        ``True``: a ``tqdm.auto`` bar advanced per grid point.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(x values), len(y values))``; NaN where the quantity is null.

    >>> from concurrent.futures import ThreadPoolExecutor
    >>> from tunnelkit.models.model import Model
    >>> dot = Model(parameters={"eps": {}, "gamma": {"range": ">= 0"}}, sites={"d": "eps - I*gamma/2"},
    ...             leads=[{"name": n, "site": "d", "hopping": "-1", "coupling": "-0.5"} for n in "LR"])
    >>> m = model_map(dot, ("eps", [0.0, 1.0]), ("gamma", [0.0, 0.1]), quantity="T2:L->R", omega=0.0,
    ...               executor=ThreadPoolExecutor(2))
    >>> m.shape, round(float(m[0, 0]), 12)
    ((2, 2), 1.0)
    """
    from tunnelkit.models.model import Model

    m = model if isinstance(model, Model) else Model.from_dict(model)
    base = dict(m.values)
    base.update(params or {})
    (xn, xs), (yn, ys) = x, y
    points = [dict(base, **{xn: a, yn: b}) for a in xs for b in ys]
    if leads is None:
        if omega is None:
            raise ValueError("model_map of a transmission quantity needs omega")
        out = sweep("model_transmission", [{"model": m.model_dict, "params": p, "omega": [omega],
                                            "quantities": [quantity]} for p in points], executor=executor,
                    progress=progress)
        vals = [o[quantity][0] for o in out]
    else:
        out = sweep("model_current", [{"model": m.model_dict, "params": p, "leads": dict(leads), "stats": stats}
                                      for p in points], executor=executor, progress=progress)
        if quantity == "loss":
            vals = [o["loss"] for o in out]
        elif quantity.startswith("I:"):
            vals = [o["I"][quantity[2:]] for o in out]
        else:
            raise ValueError(f"a current map shows 'loss' or 'I:LEAD' (got {quantity!r})")
    return np.array([np.nan if v is None else v for v in vals], dtype=float).reshape(len(xs), len(ys))
