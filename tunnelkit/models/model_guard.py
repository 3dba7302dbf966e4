"""The invariants of every model result (:mod:`numeric.models.invariants`), checked before anything is returned.

:func:`guarded` takes the values of one route, re-evaluates the points that
break an invariant by the other route (closed form <-> direct solver) and
refuses, with one line naming the point (omega), the quantity and the
invariant, what neither route gets right.  ``Model.evaluate``,
``Model.transmission`` and the ``--model`` commands all go through it.
"""
from __future__ import annotations

import weakref

from typing import Any, Callable, Sequence

import mpmath
import numpy as np

from numeric.models.invariants import Violation, region_kind, tolerance, violations

__all__ = ["guarded", "guard_model", "lead_states", "RouteFailed"]

#: relative distance to a band edge inside which a lead's state is left to the route (not checked)
EDGE_MARGIN = 1e-9
#: guard digits of the first mpmath evaluation; :func:`numeric.precision.stable_digits` raises the precision
#: from there until every value has settled
GUARD_DIGITS = 15


class _NoPrecision:
    """A context that changes nothing (double values)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc) -> None:
        return None


class _LazyList:
    """The list ``make()`` returns, made on the first index (omega as given, for messages and re-evaluation)."""

    def __init__(self, make: Callable[[], list]) -> None:
        self._make, self._items = make, None

    def __getitem__(self, i: int) -> Any:
        if self._items is None:
            self._items = self._make()
        return self._items[i]


#: region kind per numeric model object (a Model builds its numeric model once; the kind of a 2e5-site region
#: costs ~10 ms of sparse arithmetic, which repeated calls on one model need not pay again): id -> (ref, kind)
_KINDS: dict[int, tuple[Any, str]] = {}


def _region_kind(tb: Any) -> str:
    """:func:`numeric.models.invariants.region_kind` of ``tb.H``, once per numeric model object."""
    hit = _KINDS.get(id(tb))
    if hit is not None and hit[0]() is tb:
        return hit[1]
    kind = region_kind(tb.H)
    try:
        ref = weakref.ref(tb, lambda _, key=id(tb): _KINDS.pop(key, None))
    except TypeError:  # an object that cannot be weakly referenced: not cached
        return kind
    _KINDS[id(tb)] = (ref, kind)
    return kind


class RouteFailed(Exception):
    """A route could not evaluate (overflow, no closed form): try the other one."""


def lead_states(tb, w: np.ndarray) -> np.ndarray:
    """``[k, p]``: 1 where lead p propagates at ``w[k]``, 0 where not, -1 next to a band edge (undecided).

    >>> from numeric.models.tight_binding import Lead, TightBinding
    >>> tb = TightBinding(("a",), np.zeros((1, 1), complex), (Lead.make("L", 0, -1.0, 0.0, -1.0),))
    >>> lead_states(tb, np.array([0.5, 3.0, 2.0])).tolist()
    [[1], [0], [-1]]
    """
    leads = tb.leads_at(w)
    out = np.empty((len(w), len(leads)), dtype=int)
    for p, ld in enumerate(leads):
        if ld.is_wide_band:
            out[:, p] = 1
            continue
        with np.errstate(over="ignore", invalid="ignore"):
            x = np.abs(w - np.real(ld.potential)) / np.abs(ld.hopping)  # |omega - eps| / |t|, in [0, inf]
        out[:, p] = np.where(x < 2 * (1 - EDGE_MARGIN), 1, np.where(x > 2 * (1 + EDGE_MARGIN), 0, -1))
    return out


def _message(where: str, v: Violation, omega: Any, routes: str) -> str:
    value = "null" if v.value is None else (mpmath.nstr(v.value, 6) if isinstance(v.value, (mpmath.mpf, mpmath.mpc))
                                            else f"{complex(v.value).real:.6g}")
    return (f"{where}: at omega = {omega}, {v.quantity} breaks the invariant {v.invariant} (got {value}; "
            f"{routes}); no number is printed for it (try --dps, whose exact arithmetic holds any size)")


def guarded(where: str, names: Sequence[str], leads: Sequence[str], values: dict, route: str, *, dps: int | None,
            tb_of: Callable[[], Any], other: Callable[[str, list], dict] | None, omega_inputs: list) -> dict:
    """``values`` after the invariants: broken points re-evaluated by ``other``, or refused.

    Parameters
    ----------
    where : str
        Name of the model (file) for messages.
    names : sequence of str
        The quantities in ``values``.
    leads : sequence of str
        The model's leads.
    values : dict
        ``"omega"`` and one array per quantity, from ``route``.
    route : {"closed", "direct"}
    dps : int or None
        Checked digits (mpmath values) or None (doubles).
    tb_of : callable
        The numeric model (double precision) for the region kind and the leads' states.
    other : callable or None
        ``other(route, indices)`` evaluates the points ``indices`` by ``route`` (same keys); None: no other route.
    omega_inputs : list
        Omega as given, for messages.

    Returns
    -------
    dict
        ``values`` with re-evaluated points replaced.

    Raises
    ------
    ValueError
        (``tunnelkit.models.model.ModelError``, raised by the caller's class) with one line, when a point breaks an
        invariant in every route available.
    """
    checked = {n: values[n] for n in names if n.split(":")[0] in ("T2", "R2", "absorbed", "S")}
    if not checked:
        return values
    tb = tb_of()
    kind = "general" if tb.depends_on_omega else _region_kind(tb)
    states = None
    if dps is None:
        states = lead_states(tb, np.asarray(values["omega"], dtype=float))
    tol = tolerance(dps)
    precision = mpmath.workdps(dps + 10) if dps is not None else _NoPrecision()
    with precision:  # sums of mpf values at their own precision, not the global 15 digits
        bad = violations(checked, leads, kind=kind, tol=tol, is_open=states)
    if not bad:
        return values
    routes = f"{'closed form' if route == 'closed' else 'direct solver'}"
    if other is not None:
        alt = "direct" if route == "closed" else "closed"
        idx = [v.index for v in bad]
        try:
            fixed = other(alt, idx)
        except RouteFailed:
            fixed = None
        if fixed is not None:
            sub = {n: fixed[n] for n in checked}
            sub_states = None if states is None else states[idx]
            with (mpmath.workdps(dps + 10) if dps is not None else _NoPrecision()):
                still = violations(sub, leads, kind=kind, tol=tol, is_open=sub_states)
            if not still:
                for n in names:
                    arr = values[n]
                    if arr.dtype != object and np.asarray(fixed[n]).dtype.kind == "c" and arr.dtype.kind != "c":
                        arr = arr.astype(complex)
                    arr[idx] = fixed[n]
                    values[n] = arr
                return values
            routes += " and direct solver" if alt == "direct" else " and closed form"
            bad = [Violation(idx[s.index], s.quantity, s.invariant, s.value) for s in still]
    raise ValueError(_message(where, bad[0], omega_inputs[bad[0].index], routes))


def guard_model(model, parsed: Sequence[tuple], names: list, omega: Any, dps: int | None, method: str, values: dict,
                route: str) -> dict:
    """:func:`guarded` for a :class:`tunnelkit.models.model.Model` (its routes; the other one only with ``method="auto"``).

    Parameters
    ----------
    model : tunnelkit.models.model.Model
    parsed, names : sequence
        The parsed quantities and their names.
    omega : array_like
        Omega as given.
    dps : int or None
    method : {"auto", "closed", "direct"}
    values : dict
        The values of ``route``.
    route : {"closed", "direct"}

    Returns
    -------
    dict
        The checked values (``tunnelkit.models.model.ModelError`` naming the point otherwise).
    """
    from numeric.errors import ParameterError
    from tunnelkit.models.model_inputs import ModelError, as_list as _as_list, omega_floats as _omega_floats

    inputs = _LazyList(lambda: _as_list(omega))  # (a list of 1e6 Python floats only when a point is broken)
    backend = "numpy" if dps is None else "mpmath"

    def other(alt: str, idx: list) -> dict:
        if alt == "closed" and model._route("auto", names, backend=backend) != "closed":
            raise RouteFailed(alt)
        pts = [inputs[i] for i in idx]
        try:
            if alt == "closed":
                return model._closed(names, _omega_floats(pts)) if dps is None else model._closed_mp(names, pts, dps)
            return model._direct(parsed, names, _omega_floats(pts)) if dps is None else \
                model._direct_mp(parsed, names, pts, dps)
        except (OverflowError, ModelError, ParameterError):
            raise RouteFailed(alt) from None

    def tb_of():  # the model, or its stand-in with short segments beyond the region limit (same kind, leads)
        if dps is None:
            return model._check_model()
        with mpmath.workdps(dps + GUARD_DIGITS):
            return model._check_model("mpmath")

    try:
        return guarded(model.where, names, model.lead_names, values, route, dps=dps, tb_of=tb_of,
                       other=other if method == "auto" else None, omega_inputs=inputs)
    except ModelError:
        raise
    except ValueError as exc:
        raise ModelError(str(exc)) from None
