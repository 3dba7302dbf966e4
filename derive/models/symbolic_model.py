r"""Closed-form scattering of any tight-binding model (region + semi-infinite leads).

Conventions (``docs/conventions.md``, hbar = 1).  Lead p has hopping
:math:`t_p` (real), potential :math:`\varepsilon_p` (real), coupling :math:`c_p`
to region site :math:`s_p`.  Its Bloch factor :math:`z_p = e^{ik_p}` solves

.. math:: \omega - \varepsilon_p = t_p\,(z_p + z_p^{-1}),

retarded root: :math:`|z_p| < 1` off the band; on the band the outgoing root,
:math:`\operatorname{Im} z_p\,\operatorname{sign}(-t_p) > 0` (group velocity
:math:`-2t_p\sin k_p` pointing away from the region, lead sites n = 1, 2, ...).
In closed form, with :math:`w = (\omega-\varepsilon_p)/(2|t_p|)` and principal roots,

.. math:: z_p = \frac{\operatorname{sign} t_p}{w + \sqrt{w-1}\sqrt{w+1}}

(:meth:`SymbolicModel.bloch_factor`).  Surface Green's function :math:`g_p = z_p/t_p`,
:math:`\Sigma_p = |c_p|^2 z_p/t_p`, :math:`\Gamma_p = i(\Sigma_p-\bar\Sigma_p)`, and

.. math::

    G = (\omega - H - \Sigma)^{-1},\quad
    S_{qp} = -\delta_{qp} + i\sqrt{\Gamma_q\Gamma_p}\,G_{s_qs_p},\quad
    T2_{p\to q} = \Gamma_q\Gamma_p|G_{s_qs_p}|^2,\quad R2_p = |S_{pp}|^2,

and the absorbed fraction, from :math:`1 - S^\dagger S = \Gamma^{1/2}G^\dagger LG\,\Gamma^{1/2}`
with the loss matrix :math:`L = i(H - H^\dagger)`,

.. math:: \text{absorbed}_p = 1-\sum_{q\ne p}T2_{p\to q}-R2_p = \Gamma_p\,(G^\dagger L G)_{s_ps_p}.

**Canonical form: rational in the Bloch factors.**  Every quantity is returned
as a rational function of :math:`\omega`, the parameters and the :math:`z_p`:
:math:`G_{ij} = N_{ij}/D` with :math:`D = \det(\omega-H-\Sigma)` and :math:`N_{ij}`
expanded polynomials, :math:`|x|^2` kept as :math:`x\bar x`.  Why not
:math:`\omega` with explicit roots: the :math:`z_p` keep the expressions
polynomial (no nested square roots), make the branch choice one explicit
formula instead of a choice hidden in every expression, and make the
conjugation regime explicit: on lead p's band :math:`\bar z_p = 1/z_p`
(``regime="band"``, the default), off it :math:`z_p` is real
(``"evanescent"``; then T2 = 0 and S, R2, absorbed are undefined, ``nan``), or
:math:`\bar z_p` stays symbolic (``"general"``).  Segments of symbolic length
enter through Chebyshev polynomials :math:`U_n` (:mod:`derive.models.chain_segments`).

A parameter set to ``"inf"`` is a limit taken by :func:`sympy.limit`: of each
lead self-energy that depends on it (written with the explicit :math:`z_p`); the
quantity is continuous in the self-energies where :math:`D \ne 0`, so its limit
follows.  If the region itself depends on the parameter, :func:`sympy.limit`
is taken of the whole quantity.

>>> fano = {"parameters": {"t": {"range": "> 0"}, "eps": {}},
...         "sites": {"a": "0", "d": "eps"}, "hoppings": [{"sites": ["a", "d"], "value": "-t"}],
...         "leads": [{"name": "L", "site": "a", "hopping": "-1", "coupling": "-1"},
...                   {"name": "R", "site": "a", "hopping": "-1", "coupling": "-1"}]}
>>> model = SymbolicModel(fano)
>>> model.quantity("det")
-eps*omega - eps*z_L - eps*z_R + omega**2 + omega*z_L + omega*z_R - t**2
>>> model.self_energy("L"), model.quantity("G:a,a", where={"eps": 0})
(-z_L, omega/(omega**2 + omega*z_L + omega*z_R - t**2))
>>> model.quantity("T2:L->R", where={"eps": 0, "t": 1})  # on both bands: conj(z) = 1/z
-omega**2*(-z_L + 1/z_L)*(-z_R + 1/z_R)/((omega**2 + omega*z_L + omega*z_R - 1)*(omega**2 + omega/z_R + omega/z_L - 1))
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import lru_cache
from typing import Callable, Mapping, Union

import sympy as sp

from derive.models.model_system import ParsedModel, System, build_system, parse_model
from derive.models.model_values import OMEGA, ModelValueError, parse_range, parse_value
from derive.models.schur_elimination import green_numerators, lowest_terms

__all__ = ["SymbolicModel", "Pieces", "assemble", "parse_quantity", "Regime"]

Regime = Union[str, Mapping[str, str]]
_INF = {"inf": 1, "+inf": 1, "infinity": 1, "+infinity": 1, "oo": 1, "-inf": -1, "-infinity": -1, "-oo": -1}
_REGIMES = ("band", "evanescent", "general")


def parse_quantity(name: str) -> tuple[str, tuple[str, ...]]:
    """Split a quantity name: ``"T2:L->R"`` -> ``("T2", ("L", "R"))``.

    >>> parse_quantity("S:R,L"), parse_quantity("det")
    (('S', ('R', 'L')), ('det', ()))
    """
    text = str(name).strip()
    if text == "det":
        return "det", ()
    kind, sep, rest = text.partition(":")
    parts: tuple[str, ...] = ()
    if sep and kind in ("S", "G"):
        parts = tuple(x.strip() for x in rest.split(","))
        ok = len(parts) == 2
    elif sep and kind == "T2":
        parts = tuple(x.strip() for x in rest.split("->"))
        ok = len(parts) == 2
    elif sep and kind in ("R2", "absorbed"):
        parts = (rest.strip(),)
        ok = True
    else:
        ok = False
    if not ok or not all(parts):
        raise ModelValueError(f"quantity {name!r} is not one of S:q,p  T2:p->q  R2:p  absorbed:p  G:i,j  det")
    return kind, parts


@dataclass(frozen=True)
class Pieces:
    r"""Structural results for one set of parameter values.

    ``det`` = :math:`D = \det R` (``det * det_scale`` = :math:`\det(\omega-H-\Sigma)`),
    ``num[a, b]`` = :math:`N_{ab}` with :math:`G_{ab} = N_{ab}/D`, ``gamma[p]`` =
    :math:`\Gamma_p` (``sympy.conjugate`` of :math:`z_p` left symbolic), ``site[p]``,
    ``z[p]`` the Bloch symbol (None for a lead replaced by its limit), ``loss``
    the loss matrix (or None), ``atoms`` the segment atoms.  ``den[a, b]`` is the
    denominator of :math:`G_{ab}` in lowest terms where it is not ``det``: ``num[a, b]/den[a, b]``
    = :math:`N_{ab}/D` with the common factors cancelled (:func:`derive.models.schur_elimination.lowest_terms`;
    a decoupled state's :math:`\omega - E`).
    """

    det: sp.Basic
    det_scale: sp.Basic
    num: dict
    gamma: dict
    site: dict
    z: dict
    loss: dict | None
    atoms: list
    den: dict = field(default_factory=dict)

    def denominator(self, pair: tuple) -> sp.Basic:
        """The denominator of :math:`G_{ab}` in lowest terms (``det`` unless a factor cancelled)."""
        return self.den.get(pair, self.det)


def assemble(kind: str, args: tuple, pieces: Pieces, *, conj: Callable, abs2: Callable) -> sp.Basic:
    """A quantity from :class:`Pieces`; ``conj`` and ``abs2`` say how to conjugate (symbolic or numeric).

    Each :math:`G_{ab}` enters as ``num[a, b]/denominator((a, b))`` (lowest terms).
    """
    D, N, Gam, site, den = pieces.det, pieces.num, pieces.gamma, pieces.site, pieces.denominator
    if kind == "det":
        return D * pieces.det_scale
    if kind == "G":
        return N[args] / den(args)
    if kind == "S":
        q, p = args
        ab = site[q], site[p]
        if q == p:
            return -1 + sp.I * Gam[p] * N[ab] / den(ab)
        return sp.I * sp.sqrt(Gam[q]) * sp.sqrt(Gam[p]) * N[ab] / den(ab)
    if kind == "T2":
        p, q = args
        ab = site[q], site[p]
        return Gam[q] * Gam[p] * abs2(N[ab]) / abs2(den(ab))
    (p,) = args
    if kind == "R2":
        pp = site[p], site[p]
        return abs2(den(pp) - sp.I * Gam[p] * N[pp]) / abs2(den(pp))
    if pieces.loss is not None:
        s = site[p]
        dens = {den((i, s)) for ij in pieces.loss for i in ij}
        if len(dens) == 1:  # one denominator for the column: a single fraction
            total = sp.Add(*[(val * abs2(N[i, s]) if i == j else val * conj(N[i, s]) * N[j, s])
                             for (i, j), val in sorted(pieces.loss.items())])
            return Gam[p] * total / abs2(dens.pop())
        total = sp.Add(*[val * conj(N[i, s] / den((i, s))) * N[j, s] / den((j, s))
                         for (i, j), val in sorted(pieces.loss.items())])
        return Gam[p] * total
    others = [q for q in site if q != p]
    return 1 - sp.Add(*[assemble("T2", (p, q), pieces, conj=conj, abs2=abs2) for q in others]) \
        - assemble("R2", (p,), pieces, conj=conj, abs2=abs2)


class SymbolicModel:
    """A tight-binding model (model dict) with closed-form scattering quantities.

    Parameters
    ----------
    model : mapping
        The model dict (``docs/model-files.md``).

    Attributes
    ----------
    name : str
    symbols : dict
        Parameter name -> SymPy symbol, in declaration order.
    omega : sympy.Symbol
        The energy (real).
    leads : tuple of str
    """

    def __init__(self, model: Mapping) -> None:
        self._parsed: ParsedModel = parse_model(model)
        self.name = self._parsed.name
        self.symbols: dict[str, sp.Symbol] = dict(self._parsed.symbols)
        self.omega = OMEGA
        self.leads = tuple(p.name for p in self._parsed.leads)
        declared = model.get("parameters") or {}
        self._ranges = {n: parse_range((spec or {}).get("range")) if isinstance(spec, Mapping) or spec is None else []
                        for n, spec in declared.items()}
        self._engine: dict = {}
        self._pieces: dict = {}
        self._quantities: dict = {}
        self._substituted: dict = {}
        self._system(())  # validates every site reference now

    # ----------------------------------------------------------------- where
    def _where(self, where: Mapping | None) -> tuple:
        """Normalised ``where``: tuple of (name, value) with value a SymPy number/expression or +-oo."""
        out = []
        for name, value in (where or {}).items():
            if name not in self.symbols:
                raise ModelValueError(f"where: unknown parameter {name!r} (parameters: {', '.join(self.symbols)})")
            out.append((name, self._value(name, value)))
        return tuple(out)

    def _value(self, name: str, value: object) -> sp.Basic:
        sym = self.symbols[name]
        if isinstance(value, str) and value.strip().lower() in _INF:
            return _INF[value.strip().lower()] * sp.oo
        if isinstance(value, float) and math.isinf(value):
            return sp.oo if value > 0 else -sp.oo
        if isinstance(value, str):
            expr = parse_value(value, self._parsed.symbols, allow_omega=False)
        elif isinstance(value, Fraction):
            expr = sp.Rational(value.numerator, value.denominator)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            expr = sp.Rational(value) if isinstance(value, float) else sp.Integer(value)
        elif isinstance(value, sp.Basic):
            expr = value
        else:
            raise ModelValueError(f"where: {name} = {value!r} is not a number, a string or a SymPy expression")
        if expr in (sp.oo, -sp.oo):
            return expr
        if sym.is_integer and expr.is_integer is not True:
            raise ModelValueError(f"where: {name} must be an integer (got {value!r})")
        if expr.is_number:
            if sym.is_real and expr.is_real is False:
                raise ModelValueError(f"where: {name} must be real (got {value!r})")
            for op, bound in self._ranges.get(name, []):
                if not {">": expr > bound, ">=": expr >= bound, "<": expr < bound, "<=": expr <= bound}[op]:
                    raise ModelValueError(f"where: {name} must be {op} {bound} (got {value!r})")
        return expr

    @lru_cache(maxsize=64)
    def _specialized(self, key: tuple) -> tuple[ParsedModel, tuple]:
        finite = {self.symbols[n]: v for n, v in key if v not in (sp.oo, -sp.oo)}
        limits = tuple((self.symbols[n], v) for n, v in key if v in (sp.oo, -sp.oo))
        return self._parsed.substitute(finite), limits

    @lru_cache(maxsize=64)
    def _system(self, key: tuple) -> System:
        return build_system(self._specialized(key)[0])

    # ------------------------------------------------------------ public API
    def sites(self, *, where: Mapping | None = None) -> tuple[str, ...]:
        """Region site names in order (segments of numeric length as ``seg[k]``, symbolic as ``.first``/``.last``)."""
        return self._system(self._where(where)).sites

    def quantities(self, *, where: Mapping | None = None) -> tuple[str, ...]:
        """Every quantity name the model has: S, T2, R2, absorbed, G (all site pairs), det."""
        sites = self.sites(where=where)
        L = self.leads
        return (tuple(f"S:{q},{p}" for q in L for p in L) + tuple(f"T2:{p}->{q}" for p in L for q in L if q != p)
                + tuple(f"R2:{p}" for p in L) + tuple(f"absorbed:{p}" for p in L)
                + tuple(f"G:{i},{j}" for i in sites for j in sites) + ("det",))

    def hamiltonian(self, *, where: Mapping | None = None) -> sp.Matrix:
        """The region Hamiltonian H (explicit sites in :meth:`sites` order); lengths must be numeric."""
        sys_ = self._system(self._where(where))
        if sys_.segments:
            raise ModelValueError("hamiltonian: segment(s) " + ", ".join(a.P.name[3:] for a in sys_.segments)
                                  + " have symbolic length: give the length in where")
        idx = {s: k for k, s in enumerate(sys_.sites)}
        H = sp.zeros(len(idx), len(idx))
        for (a, b), val in sys_.hamiltonian.items():
            H[idx[a], idx[b]] += val
        return H

    def bloch_symbol(self, lead: str) -> sp.Symbol:
        """The symbol :math:`z_p` of lead ``lead`` used in the closed forms."""
        self._lead(lead)
        return sp.Symbol(f"z_{lead}")

    def bloch_factor(self, lead: str, *, where: Mapping | None = None) -> sp.Expr:
        r"""Explicit retarded :math:`z_p(\omega)` (principal roots; see the module docstring).

        >>> m = SymbolicModel({"sites": {"a": "0"}, "leads": [{"name": "L", "site": "a", "hopping": "-1",
        ...                   "coupling": "-1"}]})
        >>> m.bloch_factor("L")
        -1/(omega/2 + sqrt(omega/2 - 1)*sqrt(omega/2 + 1))
        """
        p = self._lead(lead, where)
        w = (OMEGA - p.e) / (2 * sp.Abs(p.t))
        return sp.sign(p.t) / (w + sp.sqrt(w - 1) * sp.sqrt(w + 1))

    def lead_band(self, lead: str, *, where: Mapping | None = None) -> tuple[sp.Expr, sp.Expr] | None:
        r"""Centre :math:`\varepsilon_p` and half-width :math:`2|t_p|` of lead ``lead``'s band, or None where
        the lead depends on a parameter taken to ``inf`` (a wide-band lead: open at every omega)."""
        p = self._lead(lead, where)
        if _depends(p, {s for s, _ in self._specialized(self._where(where))[1]}):
            return None
        return p.e, 2 * sp.Abs(p.t)

    def self_energy(self, lead: str, *, where: Mapping | None = None) -> sp.Expr:
        r""":math:`\Sigma_p = |c_p|^2 z_p/t_p`, or its ``sympy.limit`` where a parameter is ``inf``."""
        p = self._lead(lead, where)
        limits = self._specialized(self._where(where))[1]
        if _depends(p, {s for s, _ in limits}):
            value = self._sigma_limit(p, limits)
            if value is None:
                raise ModelValueError(f"lead {lead}: the self-energy has no finite limit")
            return value
        return self._sigma(p)

    def quantity(self, name: str, *, where: Mapping | None = None, regime: Regime = "band") -> sp.Expr:
        """Closed form of a quantity (``S:q,p``, ``T2:p->q``, ``R2:p``, ``absorbed:p``, ``G:i,j``, ``det``).

        Parameters
        ----------
        name : str
        where : mapping, optional
            Parameter values: numbers (exact), strings (model values), or
            ``"inf"``/``"-inf"`` for a limit.
        regime : str or mapping
            ``"band"`` (default), ``"evanescent"`` or ``"general"``, for all
            leads or per lead (missing leads: band).

        Returns
        -------
        sympy.Expr
            Rational in :math:`\\omega`, the parameters and the Bloch symbols ``z_p``.
        """
        kind, args = parse_quantity(name)
        key = self._where(where)
        regimes = self._regimes(regime)
        args = self._check_args(kind, args, key)
        cache_key = (kind, args, key, tuple(sorted(regimes.items())))
        if cache_key not in self._quantities:
            self._quantities[cache_key] = self._quantity(kind, args, key, regimes, name, regime)
        return self._quantities[cache_key]

    def _quantity(self, kind: str, args: tuple, key: tuple, regimes: dict, name: str, regime: Regime) -> sp.Expr:
        if kind in ("S", "T2", "R2", "absorbed") and any(regimes[p] == "evanescent" for p in args if p in regimes):
            return sp.Integer(0) if kind == "T2" else sp.nan  # no propagating mode: S, R2, absorbed null
        pieces = self.pieces(key, _pairs(kind, args, self._system(key), self.leads))
        if pieces is None:  # the region depends on a parameter sent to infinity
            return self._whole_limit(name, key, regime)
        rep = {sp.conjugate(z): (1 / z if regimes[p] == "band" else z)
               for p, z in pieces.z.items() if z is not None and regimes[p] != "general"}

        def conj(e: sp.Basic) -> sp.Basic:
            return sp.conjugate(e).xreplace(rep)

        if pieces.atoms:  # D = det R = det(omega - H - Sigma) / det_scale: show the true det in every quantity
            atoms = [x for at in pieces.atoms for x in (at.P, at.Q, at.W)]
            scaled = {ab: _group(sp.expand(n * pieces.det_scale), atoms) for ab, n in pieces.num.items()}
            dens = {ab: _group(sp.expand(d * pieces.det_scale), atoms) for ab, d in pieces.den.items()}
            pieces = replace(pieces, det=_group(sp.expand(pieces.det * pieces.det_scale), atoms), num=scaled,
                             det_scale=sp.Integer(1), den=dens)
        expr = assemble(kind, args, pieces, conj=conj, abs2=lambda x: x * conj(x)).xreplace(rep)
        return _atoms_to_values(expr, pieces.atoms)

    # -------------------------------------------------------------- internals
    def _lead(self, lead: str, where: Mapping | None = None):
        sys_ = self._system(self._where(where))
        for p in sys_.leads:
            if p.name == lead:
                return p
        raise ModelValueError(f"unknown lead {lead!r} (leads: {', '.join(self.leads)})")

    def _regimes(self, regime: Regime) -> dict[str, str]:
        table = {p: regime for p in self.leads} if isinstance(regime, str) else {p: "band" for p in self.leads}
        if not isinstance(regime, str):
            for p, r in regime.items():
                if p not in self.leads:
                    raise ModelValueError(f"regime: unknown lead {p!r} (leads: {', '.join(self.leads)})")
                table[p] = r
        bad = [r for r in table.values() if r not in _REGIMES]
        if bad:
            raise ModelValueError(f"regime {bad[0]!r} is not one of {', '.join(_REGIMES)}")
        return table

    def _check_args(self, kind: str, args: tuple, key: tuple) -> tuple:
        if kind == "G":
            sys_ = self._system(key)
            out = []
            for s in args:
                s2 = sys_.aliases.get(s, s)
                if s2 not in sys_.forms:
                    raise ModelValueError(f"quantity G:{','.join(args)}: unknown site {s!r} "
                                          f"(sites: {', '.join(sys_.sites)})")
                out.append(s2)
            return tuple(out)
        for p in args:
            if p not in self.leads:
                raise ModelValueError(f"quantity {kind}:{'->'.join(args) if kind == 'T2' else ','.join(args)}: "
                                      f"unknown lead {p!r} (leads: {', '.join(self.leads)})")
        if kind == "T2" and args[0] == args[1]:
            raise ModelValueError(f"quantity T2:{args[0]}->{args[1]}: use R2:{args[0]} for reflection")
        return args

    def _sigma(self, p) -> sp.Expr:
        abs_c2 = sp.expand(p.c * sp.conjugate(p.c))
        return sp.cancel(abs_c2 / p.t) * sp.Symbol(f"z_{p.name}")

    def _sigma_limit(self, p, limits) -> sp.Expr | None:
        w = (OMEGA - p.e) / (2 * sp.Abs(p.t))
        z = sp.sign(p.t) / (w + sp.sqrt(w - 1) * sp.sqrt(w + 1))
        value = sp.expand(p.c * sp.conjugate(p.c)) * z / p.t
        for sym, inf in limits:
            if value.has(sym):
                value = sp.limit(value, sym, inf)
        if value.has(sp.oo, -sp.oo, sp.zoo, sp.nan, sp.AccumBounds, sp.Limit) or \
                any(value.has(s) for s, _ in limits):
            return None
        return sp.simplify(value) if sp.count_ops(value) < 40 else value

    def pieces(self, key: tuple, pairs: tuple) -> Pieces | None:
        """:class:`Pieces` for normalised ``where`` ``key`` and engine ``pairs``; None if the limit is global."""
        if (key, pairs) not in self._pieces:
            self._pieces[key, pairs] = self._make_pieces(key, pairs)
        return self._pieces[key, pairs]

    @lru_cache(maxsize=64)
    def _leads_at(self, key: tuple) -> tuple | None:
        """(sigma substitution, Gamma_p, z_p) for ``key``; None if a limit acts on the region itself."""
        _, limits = self._specialized(key)
        sys_ = self._system(key)
        limit_syms = {s for s, _ in limits}
        region = [v for v in sys_.entries.values()] + [a.values[x] for a in sys_.segments for x in (a.P, a.Q, a.W)]
        if any(sp.sympify(v).free_symbols & limit_syms for v in region):
            return None
        sigma, gamma, zs = {}, {}, {}
        for p in sys_.leads:
            if _depends(p, limit_syms):
                value = self._sigma_limit(p, limits)
                if value is None:
                    return None
                zs[p.name] = None
                gamma[p.name] = sp.expand(sp.I * (value - sp.conjugate(value)))
            else:
                value = self._sigma(p)
                zs[p.name] = sp.Symbol(f"z_{p.name}")
                gamma[p.name] = sp.I * (value - sp.conjugate(value))
            sigma[sys_.sigma[p.name]] = value
        return sigma, gamma, zs

    def _make_pieces(self, key: tuple, pairs: tuple) -> Pieces | None:
        leads = self._leads_at(key)
        if leads is None:
            return None
        sigma, gamma, zs = leads
        sys_ = self._system(key)
        det, nums = self._engine_results(key, tuple(sorted(set(pairs) | set(_standard_pairs(sys_)))))
        atoms = [x for at in sys_.segments for x in (at.P, at.Q, at.W)]
        done = self._substituted.setdefault(key, {})

        def sub(e: sp.Basic) -> sp.Basic:
            return _group(_cassini(sp.expand(e.xreplace(sigma)), sys_.segments), atoms)

        if "det" not in done:
            done["det"] = sub(det)
        for a, b in pairs:
            if (a, b) not in done:
                full = sub(sp.Add(*[c * nums[col, sys_.rows[b]] for col, c in sys_.forms[a].items()]))
                n, d = lowest_terms(full, done["det"], OMEGA)  # a decoupled state's factor cancels
                done[a, b] = (n, d) if d is done["det"] else (_group(n, atoms), _group(d, atoms))
        den = {ab: done[ab][1] for ab in pairs if done[ab][1] is not done["det"]}
        return Pieces(done["det"], sys_.det_scale, {ab: done[ab][0] for ab in pairs}, gamma,
                      {p.name: p.site for p in sys_.leads}, zs, sys_.loss, sys_.segments, den)

    def _engine_results(self, key: tuple, pairs: tuple) -> tuple:
        """det R and adj(R) entries (engine index pairs) for the site ``pairs``; one engine run per new set."""
        sys_ = self._system(key)
        wanted = {(col, sys_.rows[b]) for a, b in pairs for col in sys_.forms[a]}
        det, have = self._engine.get(key, (None, {}))
        missing = sorted(wanted - set(have))
        if missing or det is None:
            det, new = green_numerators(sys_.entries, sys_.size, missing)
            have = {**have, **new}
            self._engine[key] = (det, have)
        return det, have

    def _whole_limit(self, name: str, key: tuple, regime: Regime) -> sp.Expr:
        finite = tuple((n, v) for n, v in key if v not in (sp.oo, -sp.oo))
        limits = [(self.symbols[n], v) for n, v in key if v in (sp.oo, -sp.oo)]
        expr = self.quantity(name, where=dict(finite), regime=regime)
        for p in self.leads:
            z = sp.Symbol(f"z_{p}")
            expr = expr.xreplace({z: self.bloch_factor(p, where=dict(finite))})
        for sym, inf in limits:
            expr = sp.limit(expr, sym, inf)
        return expr


def _depends(lead, symbols: set) -> bool:
    """Whether a lead's hopping, potential or coupling (hence its Bloch factor) involves ``symbols``."""
    return bool(sp.Tuple(lead.t, lead.e, lead.c).free_symbols & symbols)


def _standard_pairs(sys_: System) -> tuple:
    """Site pairs of every S, T2, R2 and absorbed (lead sites; loss sites x lead sites)."""
    sites = sorted({p.site for p in sys_.leads})
    out = {(a, b) for a in sites for b in sites}
    if sys_.loss is not None:
        out |= {(i, b) for ij in sys_.loss for i in ij for b in sites}
    return tuple(sorted(out))


def _pairs(kind: str, args: tuple, sys_: System, leads: tuple) -> tuple:
    """Site pairs (a, b) whose :math:`N_{ab}` a quantity needs."""
    site = {p.name: p.site for p in sys_.leads}
    scattering = {(site[q], site[p]) for q in leads for p in leads}
    if kind == "G":
        return tuple(sorted({args}))
    if kind == "det":
        return ()
    if kind == "absorbed" and sys_.loss is not None:
        rows = {i for ij in sys_.loss for i in ij}
        scattering |= {(i, site[args[0]]) for i in rows}
    return tuple(sorted(scattering))


def _cassini(expr: sp.Basic, segments: list) -> sp.Basic:
    r"""Normal form modulo Cassini's identity of each segment with a real hopping.

    :math:`D_{N-2}^2 - D_{N-1}D_{N-3} = (h\bar h)^{N-2}` with :math:`W^2 = h^{2(2-N)}` reads
    :math:`W^2(P^2 - dPQ + h^2Q^2) = 1`; every :math:`W^2P^2` is reduced by it (lex order P > Q > W).
    """
    for at in segments:
        if at.h.is_real and expr.has(at.P):
            relation = at.W ** 2 * (at.P ** 2 - at.d * at.P * at.Q + at.hh * at.Q ** 2) - 1
            expr = sp.expand(sp.reduced(expr, [relation], at.P, at.Q, at.W, order="lex")[1])
    return expr


def _group(expr: sp.Basic, atoms: list) -> sp.Basic:
    """An expanded polynomial written as sum over monomials in the segment ``atoms`` of expanded coefficients."""
    if not atoms:
        return expr
    return sp.Add(*[monomial * sp.expand(coefficient)
                    for monomial, coefficient in expr.as_coefficients_dict(*atoms).items()])


def _atoms_to_values(expr: sp.Basic, atoms: list) -> sp.Basic:
    """Replace the segment atoms (and their conjugates) by their Chebyshev closed forms."""
    rep = {}
    for at in atoms:
        for sym in (at.P, at.Q, at.W):
            rep[sp.conjugate(sym)] = at.conjugates[sym]
    expr = expr.xreplace(rep)
    rep = {sym: at.values[sym] for at in atoms for sym in (at.P, at.Q, at.W)}
    return expr.xreplace(rep)
