"""The flows per unit occupation of a :class:`tunnelkit.models.model.Model` for its currents, from its closed form.

:func:`numeric.models.model_currents.model_currents` and :func:`numeric.models.model_currents.current_curve`
integrate ``T2`` and ``absorbed`` over energy; by default they take them from the direct solver
(O(n) per energy and a sparse factorisation per block).  Where the model's closed form is affordable
(the route of :meth:`tunnelkit.models.model.Model.evaluate`), :func:`closed_flows` evaluates the generated
NumPy evaluator instead: O(1) per energy for any segment length.  Points where the closed form is not
finite although a lead is open (overflow of a long segment far outside its band, a decoupled state's
0/0) are taken by the direct solver, only those points.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Mapping

import mpmath
import numpy as np

from numeric.errors import ParameterError
from numeric.models.greens import lead_terms
from numeric.models.model_bound_states import BoundState, bound_states
from numeric.models.pole_search import poles
from numeric.models.model_currents import CurrentCurve, Flows, Reservoir, current_curve, direct_flows, model_currents, \
    model_currents_mp
from numeric.precision import check_dps, exact
from numeric.models.tight_binding import TightBinding
from tunnelkit.models.model_inputs import ModelError, reservoir as _reservoir
from tunnelkit.models.model_results import Currents
from tunnelkit.terminal import progress_option

#: a :class:`tunnelkit.models.model.Model` (not imported: models imports this module)
Model = Any

__all__ = ["closed_flows", "model_current", "model_current_curve", "model_bound_states"]


def closed_flows(model: Model, tb: TightBinding, *, method: str = "auto") -> Callable[[np.ndarray], Flows] | None:
    """omega array -> :class:`numeric.models.model_currents.Flows` from the closed form, or None (use the direct solver).

    Parameters
    ----------
    model : tunnelkit.models.model.Model
        With every parameter set.
    tb : numeric.models.tight_binding.TightBinding
        The same model, numeric (its leads give the propagating masks, its direct solve the fallback).
    method : {"auto", "closed", "direct"}
        As :meth:`tunnelkit.models.model.Model.evaluate`.

    Returns
    -------
    callable or None
        None where the route is the direct solver (an omega-dependent model, a closed form too costly).
    """
    if tb.depends_on_omega:
        return None
    L = model.lead_names
    pairs = [f"{p}->{q}" for p in L for q in L if p != q]
    # the quantities of Model.transmission (one evaluator, one cache entry for both)
    keys = [f"T2:{pq}" for pq in pairs] + [f"R2:{p}" for p in L] + [f"absorbed:{p}" for p in L] + \
        [f"S:{q},{p}" for p in L for q in L]
    if model._route(method, keys) != "closed":
        return None
    mod = model._evaluator(keys, "numpy")
    args = model._arguments(mod, "numpy")
    direct = direct_flows(tb)
    P = len(L)
    picked = list(range(len(pairs))) + [len(pairs) + P + p for p in range(P)]

    def flows(w: np.ndarray) -> Flows:
        with np.errstate(all="ignore"):
            out = mod.evaluate(w, *args)
            vals = [np.broadcast_to(np.asarray(out[k], dtype=float), w.shape) for k in picked]
        is_open = np.column_stack([np.broadcast_to(lead_terms(ld, w)[2], w.shape) for ld in tb.leads])
        T2 = dict(zip([(p, q) for p in range(P) for q in range(P) if p != q], vals[:P * (P - 1)]))
        absorbed = [np.where(is_open[:, p], a, 0.0) for p, a in enumerate(vals[P * (P - 1):])]
        bad = np.logical_or.reduce([~np.isfinite(v) for v in list(T2.values()) + absorbed])
        if bad.any():
            fix = direct(w[bad])
            for k in T2:
                T2[k] = np.where(bad, 0.0, T2[k])
                T2[k][bad] = fix.T2[k]
            for p in range(P):
                absorbed[p] = np.where(bad, 0.0, absorbed[p])
                absorbed[p][bad] = fix.absorbed[p]
        return Flows(is_open, T2, absorbed)

    return flows


def model_current(model: Model, leads: Mapping[str, Any] | None, *, stats: str, rtol: float,
                  dps: int | None, method: str = "auto", progress: Any = None) -> Currents:
    """:meth:`tunnelkit.models.model.Model.current` (its docstring): the closed-form flows where affordable."""
    from tunnelkit.limits import CURRENT_MAX_DPS, CURRENT_MP_MAX_SITES

    if stats not in ("fermi", "bose"):
        raise ModelError(f"stats must be 'fermi' or 'bose' (got {stats!r})")
    res = {}
    for name, spec in (leads or {}).items():
        if name not in model.lead_names:
            raise ModelError(f"{model.where}: unknown lead {name!r} (leads: {', '.join(model.lead_names)})")
        res[name] = _reservoir(name, spec)
    tb = model.tight_binding()
    try:
        c = model_currents(tb, res, stats=stats, rtol=rtol,  # type: ignore[arg-type]
                           flows=closed_flows(model, tb, method=method))
        if dps is not None:  # the double result checks the reservoirs; then the digits
            d = check_dps(dps, limit=CURRENT_MAX_DPS, name="dps")
            flows_mp = _closed_flows_mp(model, method)
            if flows_mp is None and tb.n_sites > CURRENT_MP_MAX_SITES:
                raise ModelError(f"{model.where}: current with dps needs a region of at most "
                                 f"{CURRENT_MP_MAX_SITES} sites (this one has {tb.n_sites}) or an affordable "
                                 "closed form")
            exact_res = {n: tuple(exact(x) for x in _exact_reservoir(n, (leads or {})[n])) for n in res}
            converges = [n for n, q in c.Q.items() if math.isfinite(q)]  # the double route's tail test decides
            divergent = {n: mpmath.mpf(q) for n, q in c.Q.items() if n not in converges}
            c = model_currents_mp(lambda: model.tight_binding(backend="mpmath"), exact_res,  # type: ignore[arg-type]
                                  stats=stats, dps=d, flows=flows_mp, progress=progress_option(progress),
                                  hints=None if flows_mp is None else [float(x) for x in poles(tb).real],
                                  energy=converges)
            Q = {n: c.Q.get(n, divergent.get(n)) for n in model.lead_names if n in c.Q or n in divergent}
            return Currents(c.I, c.loss, c.error_estimate, dps, Q, {n: c.errors[f"Q:{n}"] for n in c.Q})
    except ParameterError as exc:
        raise ModelError(f"{model.where}: {exc}") from None
    return Currents(c.I, c.loss, c.error_estimate, dps, c.Q)


def _closed_flows_mp(model: Model, method: str) -> Callable | None:
    """One exact-or-mpf omega -> (open, T2, absorbed) from the closed form's mpmath evaluator (exact real parameters,
    band edges decided exactly; a 0/0 point by the direct solve), or None (the direct route)."""
    from numeric.models.model_currents import direct_flows_mp

    L = model.lead_names
    pairs = [(p, q) for p in range(len(L)) for q in range(len(L)) if p != q]
    keys = [f"T2:{L[p]}->{L[q]}" for p, q in pairs] + [f"absorbed:{x}" for x in L]
    if method == "direct" or model._route(method, keys, backend="mpmath") != "closed":
        return None
    mod = model._evaluator(keys, "mpmath")

    def flows(w):
        args = [exact(model.values[n]) if (model.parameters[n].get("kind") or "real") == "real" else a
                for n, a in zip(mod.ARGUMENTS[1:], model._arguments(mod, "mpmath"))]
        try:
            out = mod.evaluate(w, *args)
        except ZeroDivisionError:
            return direct_flows_mp(model.tight_binding(backend="mpmath"), list(L))(w)
        absorbed = list(out[len(pairs):])
        is_open = [not mpmath.isnan(a) for a in absorbed]
        return is_open, dict(zip(pairs, out[:len(pairs)])), absorbed

    return flows


def model_current_curve(model: Model, mu: Mapping[str, Any], *, rtol: float, method: str = "auto") -> CurrentCurve:
    """:meth:`tunnelkit.models.model.Model.current_curve` (its docstring)."""
    for name in mu:
        if name not in model.lead_names:
            raise ModelError(f"{model.where}: unknown lead {name!r} (leads: {', '.join(model.lead_names)})")
    tb = model.tight_binding()
    try:
        return current_curve(tb, mu, rtol=rtol, flows=closed_flows(model, tb, method=method))
    except ParameterError as exc:
        raise ModelError(f"{model.where}: {exc}") from None


def _exact_reservoir(name: str, spec: Any) -> tuple:
    """(mu, T) of a reservoir as given (exact values for the dps path)."""
    if isinstance(spec, Reservoir):
        return spec.mu, spec.T
    if isinstance(spec, Mapping):
        return spec.get("mu", "-inf"), spec.get("T", 0)
    if isinstance(spec, (tuple, list)):
        return tuple((list(spec) + [0])[:2])
    return spec, 0


def model_bound_states(model: Model, *, dps: int, seeds: int) -> list[BoundState]:
    """:meth:`tunnelkit.models.model.Model.bound_states`: the zeros of the closed form's det where it is affordable (any
    segment length), else of the mpmath determinant of the region (at most MP_MAX_SITES sites)."""
    from tunnelkit.limits import MP_MAX_SITES

    with mpmath.workdps(dps):
        tb = model.tight_binding(backend="mpmath")
    for ld in tb.leads:
        if ld.is_wide_band:
            raise ModelError(f"{model.where}: bound states need finite-band leads (lead {ld.name} is wide-band: "
                             "it has no decaying sheet to search)")
    det = None
    if model._route("auto", ["det"], backend="mpmath") == "closed":
        mod = model._evaluator(["det"], "mpmath")
        det = lambda w: mod.evaluate(w, *model._arguments(mod, "mpmath"))[0]  # noqa: E731
    elif tb.n_sites > MP_MAX_SITES:
        raise ModelError(f"{model.where}: bound states by the direct determinant need a region of at most "
                         f"{MP_MAX_SITES} sites (this one has {tb.n_sites}) or an affordable closed form")
    return bound_states(tb, det=det, dps=dps, seeds=seeds)
