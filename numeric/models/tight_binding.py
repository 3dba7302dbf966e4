r"""Numeric tight-binding models: a region matrix and semi-infinite leads, from a model dict and values.

The model dict is the plain-data description shared with :mod:`derive`
(``docs/model-files.md``, "The model dict"; the file format is described there too).
:func:`from_model` binds parameter values (kinds and ranges checked) and
builds a :class:`TightBinding`: the region sites in order (the ``sites``
table, then each segment's sites), the region Hamiltonian and the leads.
Nothing here uses a closed form; the solver is :mod:`numeric.models.greens`.

Conventions.  A hopping ``{"sites": [a, b], "value": v}`` sets
:math:`H_{ab}=v` and :math:`H_{ba}=v^*` (or ``reverse``); a segment of length
L is the chain ``name[0] .. name[L-1]`` with :math:`H_{k,k}=` energy and
:math:`H_{k,k+1}=` hopping.  A lead is the semi-infinite chain n = 1, 2, ...
with :math:`H_{n,n+1}=t`, :math:`H_{nn}=\varepsilon` and
:math:`H_{s,1}=c` (s its region site).  It enters the solver only through

.. math:: \Sigma = |c|^2 g,\qquad g=\frac{\tilde z}{|t|},\qquad
          \tilde z+\tilde z^{-1}=\frac{\omega-\varepsilon}{|t|},

so a lead is stored with its *strength* :math:`w=|c|^2/|t|`, finite in the
wide-band limit :math:`|t|\to\infty` (then :math:`\tilde z=-i` on the band).

Parameters set to ``inf``.  The numeric route takes the limit term by term:
every value that depends on such a parameter X (a region entry, a lead's
potential, :math:`|t|` and :math:`w`) is sampled at exact
:math:`X_k = X_0 2^k` and extrapolated to :math:`1/X\to0` by a Neville
(Richardson) tableau in :math:`1/X` (or :math:`X^{-1/2}` when that
converges); a lead hopping with :math:`|t|/X` or :math:`|t|/\sqrt X` tending
to a nonzero limit is a wide-band lead.  A value whose tableau does not settle
raises :class:`numeric.errors.ParameterError` naming the parameter and the
value.  This covers the wide-band limit of a coupling that scales like the
square root of the lead hopping (``coupling = -tau1*sqrt(Lambda)``,
``hopping = -Lambda``: :math:`w=\tau_1^2`).

>>> model = {"name": "dot", "parameters": {"e": {"kind": "real", "range": None, "about": ""}},
...          "sites": {"d": "e"}, "hoppings": [], "segments": [],
...          "leads": [{"name": "L", "site": "d", "hopping": "-1", "potential": "0", "coupling": "-0.5"},
...                    {"name": "R", "site": "d", "hopping": "-1", "potential": "0", "coupling": "-0.5"}]}
>>> tb = from_model(model, {"e": "0.25"})
>>> tb.sites, complex(tb.H[0, 0]), [round(float(l.strength), 12) for l in tb.leads]
(('d',), (0.25+0j), [0.25, 0.25])
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence

import mpmath
import numpy as np
import scipy.sparse as sps

from numeric.errors import ParameterError
from numeric.models.expressions import Expression, ExpressionError, parse
from numeric.precision import DOUBLE, DOUBLE_MAX, MULTI, Backend, as_backend, exact

__all__ = ["Lead", "TightBinding", "chain_matrix", "from_model", "segment_lengths", "bind_parameters", "parse_range",
           "region_layout", "SITE_REF", "DENSE_MAX"]

#: largest region solved with dense (batched) linear algebra; larger regions are sparse
DENSE_MAX = 64
#: the largest double (a parameter value beyond it is refused on the double route)
#: site references: ``a``, ``wire[3]``, ``wire.first``, ``wire.last``
SITE_REF = re.compile(r"^\s*([A-Za-z_][A-Za-z_0-9]*)\s*(?:\[\s*(\d+)\s*\]|\.(first|last))?\s*$")
_RANGE = re.compile(r"^\s*(>=|<=|>|<)\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?inf)\s*$")


# ----------------------------------------------------------------------------- parameters

def parse_range(text: str | None) -> tuple[tuple[str, Fraction | float], ...]:
    """``"> 0"``, ``">= 1"``, ``"> 0, <= 1"`` (or ``and``) -> ((op, bound), ...).

    >>> parse_range("> 0, <= 1")
    (('>', Fraction(0, 1)), ('<=', Fraction(1, 1)))
    >>> parse_range(None)
    ()
    """
    if text is None or not str(text).strip():
        return ()
    out = []
    for part in re.split(r",|\band\b", str(text)):
        m = _RANGE.match(part)
        if not m:
            raise ValueError(f"range {text!r} is not a list of comparisons with numbers "
                             "(allowed: '> 0', '>= 1', '< 2', '<= 3', joined by ',' or 'and')")
        out.append((m.group(1), exact(m.group(2))))
    return tuple(out)


def _in_range(x: Fraction | float, rng: Sequence[tuple[str, Any]]) -> bool:
    ops = {">": lambda a, b: a > b, ">=": lambda a, b: a >= b, "<": lambda a, b: a < b, "<=": lambda a, b: a <= b}
    return all(ops[op](x, b) for op, b in rng)


def bind_parameters(parameters: Mapping[str, Mapping[str, Any]], values: Mapping[str, Any], *,
                    backend: Backend | str = DOUBLE, source: str = "") -> tuple[dict[str, Any], tuple[str, ...]]:
    """Check ``values`` against the declared parameters; return (values for ``backend``, names set to inf).

    Real and integer values are exact (:func:`numeric.precision.exact`: decimal strings, ints,
    Fractions, floats, mpf); ``"inf"`` is the limit and allowed where the declared range allows it.
    Complex parameters take Python/mpmath complex numbers or constant expressions (``"0.1+0.2*I"``).
    Returns floats/complex for ``DOUBLE`` (or ``"numpy"``), mpf/mpc (at the working precision) for ``MULTI``
    (or ``"mpmath"``).

    >>> spec = {"g": {"kind": "real", "range": ">= 0", "about": ""}}
    >>> bind_parameters(spec, {"g": "0.5"})
    ({'g': 0.5}, ())
    >>> bind_parameters(spec, {"g": "-1"})
    Traceback (most recent call last):
    ...
    numeric.errors.ParameterError: g must be a real number >= 0 (got -1)
    """
    xp = as_backend(backend)
    prefix = f"{source}: " if source else ""
    unknown = sorted(set(values) - set(parameters))
    if unknown:
        raise ParameterError(prefix + unknown[0], f"a declared parameter ({', '.join(parameters) or 'none declared'})",
                             values[unknown[0]])
    missing = [n for n in parameters if n not in values]
    if missing:
        raise ParameterError(prefix + ", ".join(missing), "given a value (no default)", "nothing")
    out: dict[str, Any] = {}
    infinite = []
    for name, spec in parameters.items():
        kind = spec.get("kind", "real") or "real"
        v = values[name]
        if kind == "complex":
            out[name] = _complex_value(prefix + name, v, xp)
            continue
        rng = parse_range(spec.get("range"))
        allowed = ("an integer" if kind == "integer" else "a real number") + \
            (" " + " and ".join(f"{op} {b}" for op, b in rng) if rng else "")
        try:
            x = exact(v, prefix + name)
        except ParameterError as exc:
            detail = exc.allowed.partition("a real number")[2]  # e.g. the decimal exponent's limit
            raise ParameterError(prefix + name, allowed + detail, v) from None
        if kind == "integer" and (isinstance(x, float) or x.denominator != 1):
            raise ParameterError(prefix + name, allowed, v)
        if not _in_range(x, rng):
            raise ParameterError(prefix + name, allowed, v)
        if isinstance(x, float):  # +-inf: the limit
            infinite.append(name)
            out[name] = x
        elif kind == "integer":
            out[name] = int(x)
        else:
            try:
                out[name] = xp.num(x)
            except OverflowError:  # beyond the double range: only the exact (dps) route holds it
                raise ParameterError(prefix + name, allowed + f" with |value| <= {DOUBLE_MAX:.4g} in double "
                                     "precision (larger values need dps)", v) from None
    return out, tuple(infinite)


def _complex_value(name: str, v: Any, xp: Backend):
    if isinstance(v, str):
        try:
            e = parse(v)
        except ExpressionError:
            raise ParameterError(name, "a complex number (e.g. 0.1+0.2*I)", v) from None
        if e.names:
            raise ParameterError(name, "a complex number (e.g. 0.1+0.2*I)", v)
        return _scalar(xp.complex(e.evaluate({}, backend=xp)))
    if isinstance(v, (complex, mpmath.mpc)):
        return _scalar(xp.complex(v))
    x = exact(v, name)
    if isinstance(x, float):
        raise ParameterError(name, "a finite complex number", v)
    return _scalar(xp.complex(x))


def _scalar(z: Any) -> Any:
    """A Python complex for a NumPy complex scalar (mpc unchanged): bound values are plain numbers."""
    return complex(z) if isinstance(z, np.complexfloating) else z


# ----------------------------------------------------------------------------- the model

@dataclass(frozen=True)
class Lead:
    """A semi-infinite lead: ``hopping`` t, ``potential`` eps, ``coupling`` c to region site ``site``.

    ``strength`` is :math:`|c|^2/|t|`; a wide-band lead has ``hopping = inf`` (then ``coupling`` is
    inf as well and only ``strength`` is used).  Values are numbers or arrays over omega.
    """

    name: str
    site: int
    hopping: Any
    potential: Any
    coupling: Any
    strength: Any
    #: (potential, |hopping|) as exact Fractions when they are rational (mpmath models): band edges exact
    exact_band: Any = None

    @classmethod
    def make(cls, name: str, site: int, hopping: Any, potential: Any, coupling: Any) -> "Lead":
        """Lead from its three values (strength computed)."""
        absc = abs(coupling) if np.isscalar(coupling) or isinstance(coupling, mpmath.mpc) else np.abs(coupling)
        abst = abs(hopping) if np.isscalar(hopping) or isinstance(hopping, mpmath.mpc) else np.abs(hopping)
        with np.errstate(over="ignore"):  # beyond the doubles: refused by name in from_model
            return cls(name, site, hopping, potential, coupling, absc * absc / abst)

    @classmethod
    def wide_band(cls, name: str, site: int, potential: Any, strength: Any) -> "Lead":
        """Wide-band lead (|t| -> inf with |c|^2/|t| -> ``strength``)."""
        return cls(name, site, math.inf, potential, math.inf, strength)

    @property
    def is_wide_band(self) -> bool:
        return _is_inf(self.hopping)


def _is_inf(x: Any) -> bool:
    try:
        return bool(np.all(np.isinf(np.abs(np.asarray(x, dtype=complex)))))
    except TypeError:
        return mpmath.isinf(abs(x))


def chain_matrix(onsite: Sequence[Any], bonds: Sequence[Any], *, reverse: Sequence[Any] | None = None,
                 sparse: bool = False):
    """Tridiagonal matrix: :math:`H_{kk}` = ``onsite[k]``, :math:`H_{k,k+1}` = ``bonds[k]``,
    :math:`H_{k+1,k}` = ``reverse[k]`` (default :math:`\\overline{\\text{bonds}[k]}`).

    The one chain builder: segments, lead truncations, the anglin lattice and the Fock chain use it.

    >>> chain_matrix([0, 1], [-2.0]).real
    array([[ 0., -2.],
           [-2.,  1.]])
    """
    d = np.asarray(onsite, dtype=complex)
    b = np.asarray(bonds, dtype=complex)
    r = np.conj(b) if reverse is None else np.asarray(reverse, dtype=complex)
    if len(b) != max(len(d) - 1, 0) or len(r) != len(b):
        raise ValueError(f"a chain of {len(d)} sites has {max(len(d) - 1, 0)} bonds (got {len(b)})")
    if sparse:
        return sps.diags([r, d, b], [-1, 0, 1], shape=(len(d), len(d)), format="csr", dtype=complex)
    h = np.diag(d)
    if len(b):
        idx = np.arange(len(b))
        h[idx, idx + 1] = b
        h[idx + 1, idx] = r
    return h


@dataclass(frozen=True)
class TightBinding:
    """Region sites, region Hamiltonian and leads of a numeric model.

    ``H`` is the region matrix (dense ``ndarray``, ``scipy.sparse`` CSR, or ``mpmath.matrix``).  For
    models whose values depend on ``omega``, ``omega_terms`` holds ``(rows, cols, f)`` with
    ``f(omega)`` the entries to add and ``omega_leads(omega)`` the leads at those energies;
    use :meth:`region` and :meth:`leads_at` rather than the raw fields.
    """

    sites: tuple[str, ...]
    H: Any
    leads: tuple[Lead, ...]
    omega_terms: tuple = ()
    omega_leads: Callable[[Any], tuple[Lead, ...]] | None = field(default=None, compare=False)

    @property
    def n_sites(self) -> int:
        return len(self.sites)

    @property
    def depends_on_omega(self) -> bool:
        return bool(self.omega_terms) or self.omega_leads is not None

    def index(self, site: str) -> int:
        """Position of a region site (``wire.first``/``wire.last`` accepted)."""
        return _resolve(site, self._layout(), "site")

    def _layout(self) -> dict[str, tuple[int, int]]:
        groups: dict[str, list[int]] = {}
        for i, s in enumerate(self.sites):
            m = re.match(r"^(.*)\[(\d+)\]$", s)
            key = m.group(1) if m else s
            groups.setdefault(key, []).append(i)
        return {k: (v[0], len(v)) if re.match(r"^.*\[\d+\]$", self.sites[v[0]]) else (v[0], -1)
                for k, v in groups.items()}

    def lead(self, name: str) -> Lead:
        for lead in self.leads:
            if lead.name == name:
                return lead
        raise KeyError(name)

    def leads_at(self, omega: Any) -> tuple[Lead, ...]:
        """The leads at ``omega`` (their values broadcast against it when they depend on it)."""
        return self.omega_leads(omega) if self.omega_leads is not None else self.leads

    def region(self, omega: Any = None):
        """Region matrix; for an omega-dependent model: shape (n_omega, n, n) (mpmath: one omega)."""
        if not self.omega_terms:
            return self.H
        if isinstance(self.H, mpmath.matrix):
            H = self.H.copy()
            for rows, cols, f in self.omega_terms:
                v = f(omega)
                for i, j in zip(rows, cols):
                    H[int(i), int(j)] += v
            return H
        w = np.atleast_1d(np.asarray(omega, dtype=float))
        dense = self.H.toarray() if sps.issparse(self.H) else self.H
        H = np.broadcast_to(dense, (len(w),) + dense.shape).copy()
        for rows, cols, f in self.omega_terms:
            v = np.broadcast_to(np.asarray(f(w), dtype=complex), w.shape)
            H[:, rows, cols] += v[:, None]
        return H

    def truncated(self, N: int, *, sparse: bool = False):
        """Closed finite system: the region plus the first N sites of every lead.

        Ordering: the first lead's sites outermost first (N .. 1), the region, then every other lead's
        sites 1 .. N -- for a two-lead chain, the sites in spatial order.  Needs finite lead hoppings
        and an omega-independent model.

        >>> tb = TightBinding(("d",), np.zeros((1, 1), complex), (Lead.make("L", 0, -1.0, 0.0, -0.5),
        ...                                                        Lead.make("R", 0, -1.0, 0.0, -0.5)))
        >>> tb.truncated(1).real
        array([[ 0. , -0.5,  0. ],
               [-0.5,  0. , -0.5],
               [ 0. , -0.5,  0. ]])
        """
        if self.depends_on_omega:
            raise ParameterError("model", "independent of omega to be truncated", "omega-dependent values")
        if isinstance(N, bool) or int(N) != N or N < 0:
            raise ParameterError("N", "an integer >= 0", N)
        N, n = int(N), self.n_sites
        offset = N if self.leads else 0
        total = n + len(self.leads) * N
        R = sps.coo_matrix(self.H)
        rows, cols, vals = [R.row + offset], [R.col + offset], [R.data.astype(complex)]
        for p, lead in enumerate(self.leads):
            if lead.is_wide_band:
                raise ParameterError(f"lead {lead.name} hopping", "finite to truncate the lead", "inf")
            if not N:
                continue
            pos = np.arange(N)[::-1] if p == 0 else n + N + (p - 1) * N + np.arange(N)  # lead site n at pos[n-1]
            chain = sps.coo_matrix(chain_matrix([lead.potential] * N, [lead.hopping] * (N - 1), sparse=True))
            s = lead.site + offset
            rows += [pos[chain.row], np.array([s, pos[0]])]
            cols += [pos[chain.col], np.array([pos[0], s])]
            vals += [chain.data, np.array([lead.coupling, np.conj(lead.coupling)], dtype=complex)]
        out = sps.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                             shape=(total, total)).tocsr()
        return out if sparse else out.toarray()


# ----------------------------------------------------------------------------- from a model dict

def _evaluator(model: Mapping[str, Any], values: Mapping[str, Any], xp: Backend):
    from numeric.models.model_evaluation import Evaluator

    src = model.get("name", "model")
    bound, infinite = bind_parameters(model.get("parameters", {}), values, backend=xp, source=src)
    return Evaluator(bound, infinite, xp, src, exact_values=xp.pick(None, values))


def segment_lengths(model: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, int]:
    """``{segment name: length}`` at ``values`` (exact integer arithmetic; lengths may be 0 here).

    Parameters
    ----------
    model : dict
        The model dict (``docs/model-files.md``).
    values : dict
        A value for every declared parameter.

    Returns
    -------
    dict
        The length of every segment, in the model's order.

    >>> segment_lengths({"parameters": {"M": {"kind": "integer"}}, "sites": {"c": "0"},
    ...                  "segments": [{"name": "wire", "length": "2*M + 1", "energy": "0", "hopping": "-1"}],
    ...                  "leads": []}, {"M": 3})
    {'wire': 7}
    """
    ev = _evaluator(model, values, MULTI)  # lengths are exact integers: no double range involved
    return {seg["name"]: ev.length(seg) for seg in model.get("segments", [])}


def region_layout(model: Mapping[str, Any], lengths: Mapping[str, int]) -> tuple[list[str], dict[str, tuple[int, int]]]:
    """Region site names in order and ``{group: (first index, length or -1 for a single site)}``."""
    names: list[str] = []
    layout: dict[str, tuple[int, int]] = {}
    for s in model.get("sites", {}):
        layout[s] = (len(names), -1)
        names.append(s)
    for seg in model.get("segments", []):
        L = lengths[seg["name"]]
        layout[seg["name"]] = (len(names), L)
        names += [f"{seg['name']}[{k}]" for k in range(L)]
    return names, layout


def _resolve(ref: str, layout: Mapping[str, tuple[int, int]], where: str) -> int:
    m = SITE_REF.match(str(ref))
    if not m or m.group(1) not in layout:
        raise ParameterError(where, f"a region site ({', '.join(layout)})", ref)
    first, length = layout[m.group(1)]
    if length < 0:
        if m.group(2) is not None or m.group(3):
            raise ParameterError(where, f"{m.group(1)} is a single site: refer to it as {m.group(1)!r}", ref)
        return first
    if m.group(2) is None and not m.group(3):
        raise ParameterError(where, f"a site of segment {m.group(1)} ({m.group(1)}[k], .first, .last)", ref)
    if length == 0:
        raise ParameterError(where, f"a site of segment {m.group(1)}, which has length 0 here", ref)
    k = int(m.group(2)) if m.group(2) is not None else (0 if m.group(3) == "first" else length - 1)
    if k >= length:
        raise ParameterError(where, f"a site of segment {m.group(1)}: index in [0, {length - 1}]", ref)
    return first + k


def from_model(model: Mapping[str, Any], values: Mapping[str, Any], *, backend: Backend | str = DOUBLE,
               sparse: bool | None = None) -> TightBinding:
    """Numeric model from a model dict and parameter values (see the module doc).

    Parameters
    ----------
    model : dict
        The model dict (``docs/model-files.md``; :func:`tunnelkit.models.model_file.normalise` gives one).
    values : dict
        A value for every declared parameter (exact numbers or ``"inf"``).
    backend : Backend or {"numpy", "mpmath"}
        :data:`numeric.precision.DOUBLE`: complex doubles (dense or sparse matrices);
        :data:`numeric.precision.MULTI`: mpmath numbers at the working precision (an ``mpmath.matrix``;
        call inside ``mpmath.workdps``).
    sparse : bool, optional
        CSR region matrix (NumPy); default when the region has more than :data:`DENSE_MAX` sites.

    Returns
    -------
    TightBinding
        Region sites, Hamiltonian and leads.
    """
    src = model.get("name", "model")
    xp = as_backend(backend)
    ev = _evaluator(model, values, xp)
    lengths = {seg["name"]: ev.length(seg) for seg in model.get("segments", [])}
    names, layout = region_layout(model, lengths)
    n = len(names)
    use_sparse = xp.vectorised and (n > DENSE_MAX if sparse is None else sparse)
    terms: list[tuple[np.ndarray, np.ndarray, Any]] = []
    omega_terms = []

    def put(rows, cols, text: str, what: str, conj: bool = False) -> None:
        if not len(rows):
            return
        val = ev.value(str(text), f"{what}", conj=conj)
        (omega_terms if callable(val) else terms).append((np.asarray(rows), np.asarray(cols), val))

    for s, e in model.get("sites", {}).items():
        put([layout[s][0]], [layout[s][0]], e, f"sites.{s}")
    for seg in model.get("segments", []):
        first, L = layout[seg["name"]]
        idx = np.arange(first, first + L)
        put(idx, idx, seg["energy"], f"segment {seg['name']} energy")
        put(idx[:-1], idx[1:], seg["hopping"], f"segment {seg['name']} hopping")
        put(idx[1:], idx[:-1], seg["hopping"], f"segment {seg['name']} hopping", conj=True)
    bonds: set[frozenset] = set()
    for h in model.get("hoppings", []):
        what = f"hopping {h['sites'][0]}-{h['sites'][1]}"
        a, b = (_resolve(r, layout, f"{src}: {what}") for r in h["sites"])
        same_segment = any(f <= min(a, b) and max(a, b) < f + L for f, L in layout.values() if L > 0)
        if a == b or frozenset((a, b)) in bonds or (same_segment and abs(a - b) == 1):
            raise ParameterError(f"{src}: {what}", "a bond between two different sites, given once",
                                 f"{names[a]}-{names[b]} at these parameters")
        bonds.add(frozenset((a, b)))
        put([a], [b], h["value"], what)
        if h.get("reverse") is not None:
            put([b], [a], h["reverse"], what + " (reverse)")
        else:
            put([b], [a], h["value"], what, conj=True)
    H = xp.pick(_assemble_double, _assemble_multi)(terms, n, use_sparse)
    specs = [(ld, _resolve(ld["site"], layout, f"{src}: lead {ld['name']} site")) for ld in model.get("leads", [])]
    leads, omega_leads = ev.leads(specs, Lead)
    for lead, (ld, _) in zip(leads, specs):
        if not lead.is_wide_band and not np.all(xp.isfinite(lead.strength)):  # (mpf never overflow)
            raise ParameterError(f"{src}: lead {lead.name} coupling", f"a value with |coupling|^2/|hopping| <= "
                                 f"{DOUBLE_MAX:.4g} in double precision (larger values need dps)",
                                 f"{ld['coupling']} at these parameters")
    return TightBinding(tuple(names), H, leads, tuple(omega_terms), omega_leads)


def _assemble_multi(terms: Sequence[tuple[np.ndarray, np.ndarray, Any]], n: int, sparse: bool):
    """Sum of ``value`` at ``(rows, cols)`` over the terms (repeated positions add): an ``mpmath.matrix``.

    The region matrix is the one container that differs by precision (chosen by
    :meth:`numeric.precision.Backend.pick`): LAPACK and SciPy take NumPy (sparse) arrays, mpmath's
    ``lu_solve``/``det``/``eig`` take its own matrix.
    """
    H = mpmath.matrix(n, n)
    for rows, cols, v in terms:
        for i, j in zip(rows, cols):
            H[int(i), int(j)] += v
    return H


def _assemble_double(terms: Sequence[tuple[np.ndarray, np.ndarray, Any]], n: int, sparse: bool):
    """:func:`_assemble_multi` in complex doubles: a dense array, or CSR when ``sparse``."""
    if terms:
        rows = np.concatenate([t[0] for t in terms])
        cols = np.concatenate([t[1] for t in terms])
        vals = np.concatenate([np.full(len(t[0]), complex(t[2])) for t in terms])
    else:
        rows = cols = np.zeros(0, dtype=np.int64)
        vals = np.zeros(0, dtype=complex)
    H = sps.coo_matrix((vals, (rows, cols)), shape=(n, n)).tocsr()
    return H if sparse else H.toarray()


def with_leads(tb: TightBinding, leads: Sequence[Lead]) -> TightBinding:
    """The same region with other leads."""
    return replace(tb, leads=tuple(leads))
