r"""A user's own lattice: load a model (file, dict or Python), set parameters, get numbers and closed forms.

>>> import tunnelkit.models.model as tm
>>> dot = tm.Model(parameters={"eps": {}, "gamma": {"range": ">= 0"}},
...                sites={"d": "eps - I*gamma/2"},
...                leads=[{"name": "L", "site": "d", "hopping": "-1", "coupling": "-0.5"},
...                       {"name": "R", "site": "d", "hopping": "-1", "coupling": "-0.5"}], name="dot")
>>> tr = dot.with_params(eps=0, gamma=0).transmission([0.0])
>>> round(float(tr.T2["L->R"][0]), 12)        # a symmetric resonant level: full transmission
1.0
>>> r = dot.with_params(eps=0, gamma="0.1").transmission([0.0])
>>> round(float(r.T2["L->R"][0] + r.R2["L"][0] + r.absorbed["L"][0]), 12)   # flux balance
1.0

The numbers come from the closed-form evaluators of the SymPy derivation
where one is available (``method="closed"``), else from the independent direct
solver (:mod:`numeric.models.greens`, ``method="direct"``); ``method="auto"``
(default) uses the closed form for regions of at most
:data:`CLOSED_FORM_MAX_SITES` sites (a segment counts as its two ends, at any
length) whose closed form is cached or predicted
to take at most :data:`tunnelkit.limits.CLOSED_FORM_MAX_SECONDS` cold
(:mod:`tunnelkit.models.closed_form_cost`; else the direct solver answers first, and
``method="closed"`` or ``derive`` derives on request).  ``dps=D`` evaluates
with mpmath and exact parameters and returns D correct significant digits
(object arrays of ``mpmath.mpf``).  Every result passes the invariants
(:mod:`tunnelkit.models.model_guard`) or is re-evaluated by the other route or refused.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import mpmath
import numpy as np

from numeric.errors import ParameterError
from numeric.models.greens import lead_terms, parse_quantity, solve
from numeric.models.model_currents import CurrentCurve
from numeric.precision import check_dps, exact
from numeric.models.tight_binding import DENSE_MAX, TightBinding, bind_parameters, from_model, segment_lengths
from tunnelkit.models.closed_form_cost import predicted_seconds
from tunnelkit.limits import CLOSED_FORM_MAX_SECONDS, MP_MAX_SITES, REGION_MAX_SITES, model_chunk
from tunnelkit.models.model_region import beyond_region, check_model, check_region_size
from tunnelkit.models.model_guard import GUARD_DIGITS, guard_model
from tunnelkit.models.model_file import ModelFileError, load_model_file, normalise
from tunnelkit.models.model_flows import model_bound_states, model_current, model_current_curve
from tunnelkit.models.model_inputs import ModelError, as_list as _as_list, omega_floats as _omega_floats, \
    quantity_names as _quantity_names, parameter_value, rational_or as _rational
from tunnelkit.models.model_results import Currents, Transmission, settled as _settled
from tunnelkit.result_display import model_html, model_markdown, model_repr

__all__ = ["Model", "Transmission", "Currents", "ModelError", "CLOSED_FORM_MAX_SITES", "REGION_MAX_SITES",
           "CLOSED_CHUNK"]

if TYPE_CHECKING:  # pragma: no cover
    from tunnelkit.models.model_evaluators import Derived

#: closed forms over up to this many sites (named sites and two per segment, whatever its length) are used by
#: default (derivation cost grows fast)
CLOSED_FORM_MAX_SITES = 12
#: frequencies per call of a generated NumPy evaluator (its intermediate arrays grow with them)
CLOSED_CHUNK = 4096


@dataclass(frozen=True)
class Model:
    """A tight-binding scattering model (``docs/model-files.md``) with (some) parameter values.

    Build it from a file (:meth:`from_file`), a model dict (:meth:`from_dict`) or directly from the
    tables: ``Model(parameters=..., sites=..., hoppings=..., segments=..., leads=..., name=...)``
    (the same shapes as the file's tables), checked as a file is (:class:`ModelFileError`).

    Parameters
    ----------
    parameters, sites, hoppings, segments, leads : dict or sequence of dict
        The tables of docs/model-files.md (``{"kind", "range", "about"}`` per parameter, site -> energy,
        ``{"sites", "value", "reverse"}``, ``{"name", "length", "hopping", "energy"}``,
        ``{"name", "site", "hopping", "coupling", "potential"}``).
    name, source : str
        The model's name and what error messages name (a file path).
    values : dict
        Parameter values set so far (:meth:`with_params`); the others stay symbolic.
    """

    parameters: Mapping[str, Any] = field(default_factory=dict)
    sites: Mapping[str, str] = field(default_factory=dict)
    hoppings: Sequence[Mapping[str, Any]] = ()
    segments: Sequence[Mapping[str, Any]] = ()
    leads: Sequence[Mapping[str, Any]] = ()
    name: str = "model"
    values: Mapping[str, Any] = field(default_factory=dict)
    source: str | None = None

    def __post_init__(self) -> None:
        raw = {"parameters": dict(self.parameters), "sites": dict(self.sites), "hoppings": list(self.hoppings),
               "segments": list(self.segments), "leads": list(self.leads)}
        d = normalise(raw, name=self.name, source=self.source)
        for key in ("parameters", "sites", "hoppings", "segments", "leads"):
            object.__setattr__(self, key, d[key])
        object.__setattr__(self, "values", dict(self.values))
        self._check_names(self.values)

    # -- construction
    @classmethod
    def from_file(cls, path: str | Path) -> "Model":
        """Load a model file (name: the file stem).

        Parameters
        ----------
        path : str or pathlib.Path
            A TOML model file (``docs/model-files.md``).

        Returns
        -------
        Model
            Without parameter values; :class:`ModelFileError` for a file that breaks a rule.
        """
        d = load_model_file(path)
        return cls.from_dict(d, source=str(path))

    @classmethod
    def from_dict(cls, model: Mapping[str, Any], *, source: str | None = None) -> "Model":
        """A model from a model dict (docs/model-files.md, "The model dict") or a dict shaped like the file.

        Parameters
        ----------
        model : dict
            The tables and optionally ``name``.
        source : str, optional
            What error messages name.
        """
        d = normalise(model, name=str(model.get("name") or "model"), source=source)
        return cls(d["parameters"], d["sites"], d["hoppings"], d["segments"], d["leads"], d["name"], {}, source)

    def with_params(self, values: Mapping[str, Any] | None = None, /, **kw: Any) -> "Model":
        """A copy with parameter values set (exact: decimal strings, ints, Fractions, floats, ``"inf"``).

        Parameters
        ----------
        values : dict, optional
            Name -> value, merged with ``**kw``; ``"inf"`` is the limit; an unknown name is a ModelError.

        >>> m = Model(parameters={"t": {}}, sites={"a": "t"}, leads=[{"name": "L", "site": "a",
        ...           "hopping": "-1", "coupling": "-1"}])
        >>> m.with_params(t=1).values, m.with_params({"t": "0.5"}).values
        ({'t': 1}, {'t': '0.5'})
        """
        new = dict(self.values)
        for name, value in {**(values or {}), **kw}.items():  # pi, sqrt(2)/2: exact constants, as on the command line
            spec = self.parameters.get(name)
            new[name] = value if spec is None else parameter_value(name, value, (spec or {}).get("kind") or "real")
        return Model(self.parameters, self.sites, self.hoppings, self.segments, self.leads, self.name, new,
                     self.source)

    # -- description (a one-line repr; name, parameters, sites and leads as tables in Jupyter)
    __repr__, _repr_html_, _repr_markdown_ = model_repr, model_html, model_markdown

    @property
    def where(self) -> str:
        return self.source or self.name

    @property
    def model_dict(self) -> dict:
        """The model dict shared with derive and numeric (JSON-serialisable)."""
        return {"name": self.name, "parameters": {k: dict(v) for k, v in self.parameters.items()},
                "sites": dict(self.sites), "hoppings": [dict(h) for h in self.hoppings],
                "segments": [dict(s) for s in self.segments], "leads": [dict(ld) for ld in self.leads]}

    @property
    def lead_names(self) -> tuple[str, ...]:
        return tuple(ld["name"] for ld in self.leads)

    @property
    def missing(self) -> list[str]:
        """Declared parameters without a value (symbolic in ``derive``)."""
        return [p for p in self.parameters if p not in self.values]

    def quantities(self) -> list[str]:
        """Every quantity name of this model (docs/conventions.md), G elements between the named sites only."""
        L = self.lead_names
        out = [f"S:{q},{p}" for p in L for q in L] + [f"T2:{p}->{q}" for p in L for q in L if p != q]
        out += [f"R2:{p}" for p in L] + [f"absorbed:{p}" for p in L]
        out += [f"G:{i},{j}" for i in self.sites for j in self.sites] + ["det"]
        return out

    def _check_names(self, values: Mapping[str, Any]) -> None:
        unknown = sorted(set(values) - set(self.parameters))
        if unknown:
            raise ModelError(f"{self.where}: unknown parameter {unknown[0]!r} (declared: "
                             f"{', '.join(self.parameters) or 'none'})")

    def _require_all(self, *, region: bool = True) -> None:
        if self.missing:
            raise ModelError(f"{self.where}: no value for parameter{'s' if len(self.missing) > 1 else ''} "
                             f"{', '.join(self.missing)} (every parameter needs a value here)")
        check_region_size(self, closed=not region)

    @property
    def _memo(self) -> dict:
        """Work done once per instance (its values never change): lengths, numeric models, evaluators."""
        return self.__dict__.setdefault("_memo_store", {})

    def _segment_lengths(self) -> dict[str, int]:
        if "lengths" not in (memo := self._memo):
            try:
                memo["lengths"] = segment_lengths(self.model_dict | {"name": self.where}, self.values)
            except ParameterError as exc:
                raise ModelError(str(exc)) from None
        return dict(memo["lengths"])

    def _n_sites(self, *, region: bool = True) -> int:
        """Region size at the current values (checked; no double-precision binding of the values)."""
        self._require_all(region=region)
        return len(self.sites) + sum(self._segment_lengths().values())

    def tight_binding(self, *, backend: str = "numpy", sparse: bool | None = None) -> TightBinding:
        """The numeric model at the current values (``backend="mpmath"``: inside ``mpmath.workdps``).

        Parameters
        ----------
        backend : {"numpy", "mpmath"}
        sparse : bool, optional
            Force a sparse or dense region matrix (default: by size).
        """
        self._require_all()
        key = ("built", backend, sparse, mpmath.mp.prec if backend == "mpmath" else None)
        if key not in (built := self._memo):
            try:
                built[key] = from_model(self.model_dict | {"name": self.where}, self.values, backend=backend,
                                        sparse=sparse)
            except ParameterError as exc:
                raise ModelError(str(exc)) from None
        return built[key]

    def _check_model(self, backend: str = "numpy") -> TightBinding:
        return check_model(self, backend)

    # -- numbers
    def evaluate(self, quantities: str | Iterable[str], omega: Any, *, dps: int | None = None,
                 method: str = "auto") -> dict:
        """Arrays over ``omega`` of the named quantities (``"T2:L->R"``, ``"S:R,L"``, ``"G:a,d"``, ``"det"``).

        Parameters
        ----------
        quantities : str or iterable of str
            A quantity name (docs/conventions.md) or several; a string is one name.
        omega : array_like
            Real energies (exact values with ``dps``: decimal strings are exact).
        dps : int, optional
            Correct significant digits (mpmath, exact parameters, guard digits checked).
        method : {"auto", "closed", "direct"}
            Closed-form evaluators, the direct solver, or the closed form where it applies.

        Returns
        -------
        dict
            ``"omega"`` and one array per quantity (NaN: null -- ``S:q,p`` where lead p or q, ``R2:p`` and
            ``absorbed:p`` where lead p has no propagating mode; object arrays of mpf with ``dps``).
        """
        return self._evaluate(_quantity_names(quantities), omega, dps, method)[0]

    def _evaluate(self, names: list[str], omega: Any, dps: int | None, method: str) -> tuple[dict, str]:
        """(:meth:`evaluate`'s dict, the route taken: "closed" or "direct")."""
        parsed = [self._parse_quantity(q) for q in names]
        route = self._route(method, names, backend="numpy" if dps is None else "mpmath")
        if route == "closed" and method == "auto":  # the numeric model's checks of the values (finite, ...)
            if dps is None:
                self._check_model()
            else:
                with mpmath.workdps(check_dps(dps, name="dps") + GUARD_DIGITS):
                    self._check_model("mpmath")
        vals = None
        if route == "closed":
            if dps is not None:
                vals = self._closed_mp(names, omega, check_dps(dps, name="dps"))
            else:
                try:
                    vals = self._closed(names, _omega_floats(omega))
                except OverflowError:  # products of huge parameters beyond the double range in the closed form
                    if method == "closed":
                        raise ModelError(f"{self.where}: the closed form overflows double precision at these "
                                         "parameters (use method='direct' or dps)") from None
                    route = "direct"
        if vals is None:
            vals = self._direct(parsed, names, _omega_floats(omega)) if dps is None else \
                self._direct_mp(parsed, names, omega, check_dps(dps, name="dps"))
        return guard_model(self, parsed, names, omega, dps, method, vals, route), route  # invariants

    def transmission(self, omega: Any, *, dps: int | None = None, method: str = "auto") -> Transmission:
        r"""T2 for every ordered pair of leads, R2 and absorbed for every lead, over ``omega``.

        .. math:: T2_{p\to q} = |S_{qp}|^2,\quad R2_p = |S_{pp}|^2,\quad
                  \text{absorbed}_p = 1 - \sum_{q\ne p} T2_{p\to q} - R2_p

        Parameters
        ----------
        omega : array_like
            Real energies.
        dps : int, optional
            Correct significant digits (mpmath).
        method : {"auto", "closed", "direct"}

        Returns
        -------
        Transmission
            ``T2["p->q"]``, ``R2["p"]``, ``absorbed["p"]`` (NaN where null), ``method`` used.
        """
        L = self.lead_names
        keys = [f"T2:{p}->{q}" for p in L for q in L if p != q] + [f"R2:{p}" for p in L] + \
            [f"absorbed:{p}" for p in L]
        s_keys = [f"S:{q},{p}" for p in L for q in L]  # for the invariants (S subunitary), not returned
        vals, route = self._evaluate(keys + s_keys, omega, dps, method)
        w = vals.pop("omega")
        return Transmission(w, L, {k[3:]: vals[k] for k in keys if k.startswith("T2:")},
                            {k[3:]: vals[k] for k in keys if k.startswith("R2:")},
                            {k[9:]: vals[k] for k in keys if k.startswith("absorbed:")}, route, dps)

    def derive(self, quantity: str) -> "Derived":
        """The closed form of ``quantity`` (``"T2:L->R"``, ``"S:R,L"``, ``"G:a,d"``, ``"det"``, ...).

        Parameters with values are substituted (``inf``: the limit, by ``sympy.limit``); the others
        stay symbolic.  The result shows as LaTeX in Jupyter (``_repr_latex_``).

        Parameters
        ----------
        quantity : str
            A quantity name (docs/conventions.md).

        Returns
        -------
        tunnelkit.models.model_evaluators.Derived
            ``.expr`` (SymPy), ``.latex()``, ``.srepr()``, ``.python()`` (evaluator source).
        """
        from tunnelkit.models.model_evaluators import closed_forms_available, derive_quantity

        self._parse_quantity(quantity)
        try:  # the values given, against their declared kinds and ranges (the others stay symbolic)
            bind_parameters({k: self.parameters[k] for k in self.values}, self.values, backend="mpmath",
                            source=self.where)
        except ParameterError as exc:
            raise ModelError(str(exc)) from None
        if not closed_forms_available():
            raise ModelError("closed forms of models need the derive layer's model_codegen (not in this build)")
        try:
            return derive_quantity(self.model_dict, quantity, self.values)
        except ValueError as exc:
            raise ModelError(f"{self.where}: {exc}") from None

    def current(self, leads: Mapping[str, Any] | None = None, *, stats: str = "fermi", rtol: float = 1e-10,
                dps: int | None = None, method: str = "auto", progress: Any = None) -> Currents:
        r"""Currents out of every lead into the region and the loss rate (docs/conventions.md).

        .. math:: I_p = \frac{1}{2\pi}\int d\omega\,\Big[f_p(1-R2_p) - \sum_{q\ne p} f_q T2_{q\to p}\Big],
                  \qquad \text{loss} = \sum_p I_p

        Parameters
        ----------
        leads : dict, optional
            Lead name -> ``{"mu": X, "T": Y}`` (or ``(mu, T)`` or ``mu``); a lead not given is empty.
        stats : {"fermi", "bose"}
        rtol : float
            Relative tolerance of the quadrature (referred to the gross flows).
        dps : int, optional
            Correct significant digits (mpmath quadrature of the mpmath direct solve, checked at two
            precisions; at most :data:`tunnelkit.limits.CURRENT_MAX_DPS` digits and :data:`tunnelkit.limits.CURRENT_MP_MAX_SITES` sites).
        method : {"auto", "closed", "direct"}
            The flows integrated in double precision: the closed form (where affordable with "auto"; points
            where it is not finite by the direct solver) or the direct solver.
        progress : bool or callable, optional
            With ``dps``, ``True`` draws a ``tqdm.auto`` bar advanced per precision (the double path takes
            about a second and draws none).

        Returns
        -------
        Currents
            ``I`` (lead -> current), ``loss``, ``error_estimate``, ``Q`` (energy currents; -+inf where
            divergent, :mod:`numeric.models.model_currents`).
        """
        return model_current(self, leads, stats=stats, rtol=rtol, dps=dps, method=method, progress=progress)

    def current_curve(self, mu: Mapping[str, Any], *, rtol: float = 1e-13, method: str = "auto") -> CurrentCurve:
        r"""Currents at T = 0 for many sets of chemical potentials from one cumulative integration.

        Parameters
        ----------
        mu : dict
            Lead name -> N chemical potentials (``-inf``: empty; a lead not given is empty).  The flows must
            not depend on them (wide-band leads: the lead potentials do not enter).
        rtol : float
            Tolerance relative to each flow's integral.
        method : {"auto", "closed", "direct"}
            As :meth:`current`.

        Returns
        -------
        numeric.models.model_currents.CurrentCurve
            ``I[lead]`` (arrays of N), ``loss``, ``error[lead]``.
        """
        return model_current_curve(self, mu, rtol=rtol, method=method)

    def bound_states(self, *, dps: int = 20, seeds: int = 24) -> list:
        """States that decay into every lead (:mod:`numeric.models.model_bound_states`; finite-band leads only).

        Parameters
        ----------
        dps, seeds : int
            Working digits and seeds along Re omega of the root search.

        Returns
        -------
        list of numeric.models.model_bound_states.BoundState
            ``omega`` and the leads' Bloch factors ``z`` (|z| < 1).
        """
        return model_bound_states(self, dps=dps, seeds=seeds)

    # -- internals
    def _parse_quantity(self, q: str) -> tuple:
        try:
            return parse_quantity(q, self.lead_names, self._region_sites_static())
        except ParameterError as exc:
            raise ModelError(f"{self.where}: {exc}") from None

    def _region_sites_static(self) -> list[str] | None:
        return None if self.segments else list(self.sites)

    def _route(self, method: str, names: Sequence[str], *, backend: str = "numpy") -> str:
        """"closed" or "direct" (auto: closed for small regions when the closed form is cached or cheap)."""
        from tunnelkit.models.model_evaluators import closed_forms_available

        if method not in ("auto", "closed", "direct"):
            raise ModelError(f"method must be auto, closed or direct (got {method!r})")
        if method == "direct":
            return "direct"
        ok = closed_forms_available()
        if method == "closed":
            if not ok:
                raise ModelError("closed-form evaluators need the derive layer's model_codegen (not in this build)")
            return "closed"
        if beyond_region(self) and method == "auto":  # only the closed form takes it
            return "closed"
        if not ok or self._closed_form_sites() > CLOSED_FORM_MAX_SITES or not self._closed_affordable(names, backend):
            return "direct"
        try:
            self._evaluator(names, "numpy")
        except (ValueError, NotImplementedError):  # e.g. a limit the closed form cannot take: direct route
            return "direct"
        return "closed"

    def _closed_form_sites(self) -> int:  # a segment's interior enters through its continuants, at any length
        return len(self.sites) + 2 * len(self.segments)

    def _closed_affordable(self, names: Sequence[str], backend: str) -> bool:
        """The evaluator is cached, or predicted to be derived within CLOSED_FORM_MAX_SECONDS cold."""
        from tunnelkit.models.model_evaluators import evaluator_path, limit_where

        memo, key = self._memo, ("affordable", tuple(names), backend)
        if not memo.get(key):  # (once True, the evaluator exists: no second look at the disk)
            where = limit_where(self.values)
            memo[key] = evaluator_path(self.model_dict, list(names), backend, where).exists() or \
                predicted_seconds(self.model_dict, fixed=where) <= CLOSED_FORM_MAX_SECONDS
        return memo[key]

    def _evaluator(self, names: Sequence[str], backend: str):
        from tunnelkit.models.model_evaluators import evaluator, limit_where

        memo, key = self._memo, ("evaluator", tuple(names), backend)
        if key not in memo:  # the loaded module, once per Model (its values and so its limits never change)
            memo[key] = evaluator(self.model_dict, list(names), backend=backend, where=limit_where(self.values))
        return memo[key]

    def _arguments(self, module, backend: str) -> list:
        """Parameter values in the evaluator's ARGUMENTS order (after omega), checked against the model."""
        memo, key = self._memo, ("bound", backend, mpmath.mp.prec if backend == "mpmath" else None)
        if key not in memo:
            try:
                memo[key], _ = bind_parameters(self.parameters, self.values, backend=backend, source=self.where)
            except ParameterError as exc:
                raise ModelError(str(exc)) from None
        return [memo[key][name] for name in module.ARGUMENTS[1:]]

    def _closed(self, names: Sequence[str], w: np.ndarray) -> dict:
        self._require_all(region=False)
        mod = self._evaluator(names, "numpy")
        args = self._arguments(mod, "numpy")
        out: dict[str, Any] = {"omega": w}
        cols: list = [None] * len(names)  # filled in place, block by block (no concatenation pass)
        for a in range(0, len(w), CLOSED_CHUNK):
            block = w[a:a + CLOSED_CHUNK]
            try:  # an intermediate beyond the doubles: the result cannot be trusted; 0/0: _singular_points
                with np.errstate(over="raise", divide="ignore", invalid="ignore"):
                    res = mod.evaluate(block, *args)
            except FloatingPointError as exc:
                raise OverflowError(str(exc)) from None
            for k, v in enumerate(res):
                if cols[k] is None:
                    cols[k] = np.empty(len(w), dtype=np.result_type(v, float))
                cols[k][a:a + CLOSED_CHUNK] = v
        for k, n in enumerate(names):
            out[n] = cols[k] if cols[k] is not None else np.zeros(0)
        return self._singular_points(names, w, out)

    def _singular_points(self, names: Sequence[str], w: np.ndarray, out: dict) -> dict:
        """Points where a closed form is 0/0 although its leads are open (a decoupled state that exists only
        at these parameter values, so that no common factor cancels for all values): the direct route
        there (its reduced resolvent gives the limit), the other points untouched."""
        T2 = [n for n in names if n.startswith("T2:")]
        if T2:  # T2 is never null (0 where a lead is closed): non-finite only at a 0/0 point
            bad = np.logical_or.reduce([~np.isfinite(out[n]) for n in T2])
        else:
            parsed = [self._parse_quantity(n) for n in names]
            scattering = [(n, q) for n, q in zip(names, parsed) if q[0] in ("S", "R2", "absorbed")]
            if not scattering or all(np.all(np.isfinite(out[n])) for n, _ in scattering):
                return out
            tb = self._check_model()
            is_open = {ld.name: np.broadcast_to(lead_terms(ld, w)[2], w.shape) for ld in tb.leads_at(w)}
            bad = np.zeros(w.shape, dtype=bool)
            for n, q in scattering:
                bad |= ~np.isfinite(out[n]) & np.logical_and.reduce([is_open[p] for p in q[1:]])
        if bad.any():
            parsed = [self._parse_quantity(n) for n in names]
            direct = self._direct(parsed, names, w[bad])
            for n in names:
                out[n][bad] = direct[n]
        return out

    def _closed_mp(self, names: Sequence[str], omega: Any, dps: int) -> dict:
        self._require_all(region=False)
        ws = [exact(x, "omega") for x in _as_list(omega)]
        if any(isinstance(x, float) for x in ws):
            raise ModelError("omega must be finite")
        mod = self._evaluator(names, "mpmath")

        def point(x):  # exact omega and rational real parameters: band edges decided exactly
            args = [_rational(self.values[n], a) if (self.parameters[n].get("kind") or "real") == "real" else a
                    for n, a in zip(mod.ARGUMENTS[1:], self._arguments(mod, "mpmath"))]
            try:
                return list(mod.evaluate(x, *args))
            except ZeroDivisionError:  # 0/0 of a decoupled state at these values only: the direct route
                tb = self.tight_binding(backend="mpmath")
                parsed = [self._parse_quantity(q) for q in names]
                sol = solve(tb, [x], elements=self._elements(tb, parsed), det=any(q[0] == "det" for q in parsed))
                one = self._collect(sol, tb, parsed, names)
                return [np.ravel(one[n])[0] for n in names]

        return _settled(point, ws, names, dps, guard=GUARD_DIGITS)

    def _elements(self, tb: TightBinding, parsed: Sequence[tuple]) -> list[tuple[int, int]]:
        out = []
        for q in parsed:
            if q[0] == "G":
                try:
                    out.append((tb.index(q[1]), tb.index(q[2])))
                except ParameterError as exc:
                    raise ModelError(f"{self.where}: quantity G:{q[1]},{q[2]}: {exc}") from None
        return out

    def _collect(self, sol, tb: TightBinding, parsed: Sequence[tuple], names: Sequence[str]) -> dict:
        out: dict[str, Any] = {"omega": sol.omega}
        for n, q in zip(names, parsed):
            out[n] = sol.G(tb.index(q[1]), tb.index(q[2])) if q[0] == "G" else sol.quantity(q)
        return out

    def _direct(self, parsed: Sequence[tuple], names: Sequence[str], w: np.ndarray) -> dict:
        """The direct solver over ``w`` in chunks whose memory is bounded (:func:`tunnelkit.limits.model_chunk`)."""
        n = self._n_sites()
        columns = len(self.leads) + sum(1 for q in parsed if q[0] == "G")
        chunk = model_chunk(n_sites=n, columns=columns, dense=n <= DENSE_MAX, n_omega=len(w), where=self.where)
        tb = self.tight_binding()
        if tb.depends_on_omega and n > DENSE_MAX:  # the region is formed densely per frequency
            chunk = model_chunk(n_sites=n, columns=columns, dense=True, n_omega=len(w), where=self.where)
        elements, want_det = self._elements(tb, parsed), any(q[0] == "det" for q in parsed)
        parts = [self._collect(solve(tb, w[a:a + chunk], elements=elements, det=want_det), tb, parsed, names)
                 for a in range(0, max(len(w), 1), chunk)]
        return parts[0] if len(parts) == 1 else {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}

    def _direct_mp(self, parsed: Sequence[tuple], names: Sequence[str], omega: Any, dps: int) -> dict:
        ws = [exact(x, "omega") for x in _as_list(omega)]
        if any(isinstance(x, float) for x in ws):
            raise ModelError("omega must be finite")

        def point(x):
            tb = self.tight_binding(backend="mpmath")
            if tb.n_sites > MP_MAX_SITES:
                raise ModelError(f"{self.where}: dps evaluation of the direct solver needs a region of at "
                                 f"most {MP_MAX_SITES} sites (this one has {tb.n_sites})")
            sol = solve(tb, [x], elements=self._elements(tb, parsed), det=any(q[0] == "det" for q in parsed))
            got = self._collect(sol, tb, parsed, names)
            return [np.ravel(got[n])[0] for n in names]

        return _settled(point, ws, names, dps, guard=GUARD_DIGITS)


__all__ += ["ModelFileError"]
