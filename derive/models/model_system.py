r"""A model dict as SymPy data, and the linear system :math:`R\psi = b` of its region.

:func:`parse_model` validates a model dict (``docs/model-files.md``)
and parses every value with :func:`derive.models.model_values.parse_value`;
:meth:`ParsedModel.substitute` fixes parameters; :func:`build_system` writes
:math:`(\omega - H - \Sigma)\psi = b` with the lead self-energies as symbols
:math:`\sigma_p` and every segment of symbolic length reduced to two unknowns
(:mod:`derive.models.chain_segments`).  Segments of numeric length become explicit
sites ``name[0] ... name[n-1]``.

Site references: a name of the ``sites`` table, ``seg[k]`` (numeric length
only), ``seg.first``, ``seg.last``.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Mapping

import sympy as sp

from derive.models.chain_segments import SegmentAtoms, segment_atoms
from derive.models.model_values import OMEGA, ModelValueError, parameter_symbols, parse_value

__all__ = ["LeadSpec", "SegmentSpec", "HoppingSpec", "ParsedModel", "parse_model", "System", "build_system"]

_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_REF = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)\s*(?:\[\s*(\d+)\s*\]|\.\s*(first|last))?\s*$")


@dataclass(frozen=True)
class LeadSpec:
    """A semi-infinite lead: hopping ``t``, potential ``e``, coupling ``c`` to region site ``site``."""

    name: str
    site: str
    t: sp.Basic
    e: sp.Basic
    c: sp.Basic


@dataclass(frozen=True)
class SegmentSpec:
    """A uniform chain of ``length`` sites (energy ``e``, hopping ``h``)."""

    name: str
    length: sp.Basic
    e: sp.Basic
    h: sp.Basic


@dataclass(frozen=True)
class HoppingSpec:
    """:math:`H_{ab}` = ``value``; :math:`H_{ba}` = ``reverse`` (None: the conjugate)."""

    a: str
    b: str
    value: sp.Basic
    reverse: sp.Basic | None
    label: str


@dataclass(frozen=True)
class ParsedModel:
    """The model dict with SymPy values (parameters in declaration order)."""

    name: str
    symbols: dict
    sites: dict
    hoppings: tuple
    segments: tuple
    leads: tuple

    def substitute(self, values: Mapping[sp.Symbol, sp.Basic]) -> "ParsedModel":
        """The same model with parameters replaced (they leave ``symbols``)."""
        if not values:
            return self
        sub = dict(values)

        def f(e):
            return None if e is None else sp.sympify(e).xreplace(sub)

        return ParsedModel(
            self.name,
            {n: s for n, s in self.symbols.items() if s not in sub},
            {n: f(e) for n, e in self.sites.items()},
            tuple(replace(h, value=f(h.value), reverse=f(h.reverse)) for h in self.hoppings),
            tuple(replace(g, length=f(g.length), e=f(g.e), h=f(g.h)) for g in self.segments),
            tuple(replace(p, t=f(p.t), e=f(p.e), c=f(p.c)) for p in self.leads),
        )


def _name(kind: str, value: object) -> str:
    if not isinstance(value, str) or not _IDENT.match(value):
        raise ModelValueError(f"{kind} name {value!r} is not a name (a letter, then letters, digits, _)")
    return value


def _value(text: object, table: str, symbols: dict, *, allow_omega: bool = True) -> sp.Basic:
    try:
        return parse_value(text, symbols, allow_omega=allow_omega)
    except ModelValueError as exc:
        raise ModelValueError(f"{table}: {exc}", names=exc.names, text=exc.text) from None


def parse_model(model: Mapping) -> ParsedModel:
    """Validate a model dict and parse its values.

    Raises :class:`ModelValueError` naming the table (``sites``, ``hopping 2``,
    ``segment wire``, ``lead L``) and what is allowed.

    >>> pm = parse_model({"sites": {"a": "0.5"}, "leads": [{"name": "L", "site": "a", "hopping": "-1",
    ...                                                    "coupling": "-0.25"}]})
    >>> pm.sites, pm.leads[0].c
    ({'a': 1/2}, -1/4)
    >>> parse_model({"sites": {"a": "x"}, "leads": []})
    Traceback (most recent call last):
    ...
    derive.models.model_values.ModelValueError: sites.a: unknown name 'x' in 'x' (allowed: omega, I, pi, sqrt, exp, cos, sin)
    """
    symbols = parameter_symbols(model.get("parameters") or {})
    unknown_keys = set(model) - {"name", "parameters", "sites", "hoppings", "segments", "leads"}
    if unknown_keys:
        raise ModelValueError(f"model: unknown table(s) {sorted(unknown_keys)} (allowed: name, parameters, sites, "
                              "hoppings, segments, leads)")
    sites = {_name("site", n): _value(v, f"sites.{n}", symbols) for n, v in (model.get("sites") or {}).items()}
    segments = []
    for g in model.get("segments") or ():
        name = _name("segment", g.get("name"))
        if name in sites or any(name == s.name for s in segments):
            raise ModelValueError(f"segment {name}: the name is already used by a site or segment")
        length = _value(g.get("length"), f"segment {name} length", symbols, allow_omega=False)
        if length.is_integer is not True or (length.is_number and length < 1):
            raise ModelValueError(f"segment {name}: length {g.get('length')!r} must be an integer >= 1 "
                                  "(a number or an expression in integer parameters)")
        segments.append(SegmentSpec(name, length, _value(g.get("energy", "0"), f"segment {name} energy", symbols),
                                    _value(g.get("hopping"), f"segment {name} hopping", symbols)))
    hoppings = []
    for k, h in enumerate(model.get("hoppings") or (), start=1):
        label = f"hopping {k}"
        pair = h.get("sites")
        if not isinstance(pair, (list, tuple)) or len(pair) != 2 or not all(isinstance(s, str) for s in pair):
            raise ModelValueError(f"{label}: sites must be a list of two site names")
        rev = h.get("reverse")
        hoppings.append(HoppingSpec(pair[0], pair[1], _value(h.get("value"), label, symbols),
                                    None if rev is None else _value(rev, f"{label} reverse", symbols), label))
    leads = []
    for p in model.get("leads") or ():
        name = _name("lead", p.get("name"))
        if any(name == q.name for q in leads):
            raise ModelValueError(f"lead {name}: the name is used twice")
        if f"z_{name}" in symbols:
            raise ModelValueError(f"lead {name}: a parameter is named z_{name}, the lead's Bloch factor")
        t, e, c = (_value(p.get(key, default), f"lead {name} {key}", symbols, allow_omega=False)
                   for key, default in (("hopping", None), ("potential", "0"), ("coupling", None)))
        if t == 0 or t.is_real is False or e.is_real is False:
            raise ModelValueError(f"lead {name}: hopping must be real and non-zero and potential real "
                                  f"(got {p.get('hopping')!r}, {p.get('potential', '0')!r})")
        if not isinstance(p.get("site"), str):
            raise ModelValueError(f"lead {name}: site must be a site name")
        leads.append(LeadSpec(name, p["site"], t, e, c))
    if not leads:
        raise ModelValueError("leads: a model needs at least one lead")
    if not sites and not segments:
        raise ModelValueError("sites: the region has no site (give a sites table or a segment)")
    return ParsedModel(str(model.get("name") or "model"), symbols, sites, tuple(hoppings), tuple(segments),
                       tuple(leads))


@dataclass
class System:
    r"""The reduced linear system of a model with fixed lengths where numeric.

    ``entries[(row, col)]`` of :math:`R`; ``forms[site]`` = ``{col: coefficient}``
    giving :math:`\psi_{site}` in the unknowns; ``rows[site]`` = the row where a
    source at ``site`` enters.  :math:`\det(\omega-H-\Sigma)` = ``det_scale`` :math:`\det R`.
    ``loss[(a, b)]`` = :math:`i(H_{ab}-\bar H_{ba})` over explicit sites, or None
    where a symbolic segment may absorb (then absorption is 1 - sum of the
    probabilities).
    """

    size: int
    entries: dict
    forms: dict
    rows: dict
    sites: tuple
    aliases: dict
    segments: list
    det_scale: sp.Basic
    loss: dict | None
    leads: tuple
    sigma: dict
    hamiltonian: dict = field(default_factory=dict)


def _site_table(pm: ParsedModel) -> tuple[dict, dict, list, dict]:
    """Explicit sites (name -> energy), aliases, symbolic segments, and in-segment bonds of numeric segments."""
    explicit = dict(pm.sites)
    aliases: dict[str, str] = {}
    symbolic = []
    bonds = {}
    for g in pm.segments:
        if g.length.is_number:
            n = int(g.length)
            if n < 1 or n != g.length:
                raise ModelValueError(f"segment {g.name}: length must be an integer >= 1 (got {g.length}; "
                                      "a segment needs at least one site)")
            names = [f"{g.name}[{k}]" for k in range(n)]
            explicit.update({s: g.e for s in names})
            aliases[f"{g.name}.first"], aliases[f"{g.name}.last"] = names[0], names[-1]
            for a, b in zip(names, names[1:]):
                bonds[a, b] = (g.h, sp.conjugate(g.h))
        else:
            symbolic.append(g)
    return explicit, aliases, symbolic, bonds


def _resolve(ref: str, table: str, pm: ParsedModel, explicit: dict, aliases: dict, symbolic: list) -> str:
    m = _REF.match(ref) if isinstance(ref, str) else None
    text = ref.replace(" ", "") if isinstance(ref, str) else ref
    if m and text in explicit:
        return text
    if m and text in aliases:
        return aliases[text]
    sym = {g.name: g for g in symbolic}
    if m and m.group(1) in sym and m.group(3):
        return f"{m.group(1)}.{m.group(3)}"
    allowed = list(pm.sites) + [f"{g.name}[0..{g.length - 1}], {g.name}.first, {g.name}.last"
                                if g.length.is_number else f"{g.name}.first, {g.name}.last" for g in pm.segments]
    hint = ""
    if m and m.group(1) in sym:
        hint = f" (segment {m.group(1)} has symbolic length {sym[m.group(1)].length}: only .first and .last)"
    raise ModelValueError(f"{table}: unknown site {ref!r}{hint} (sites: {', '.join(allowed)})")


def build_system(pm: ParsedModel) -> System:
    r"""The reduced system of ``pm`` (explicit sites first, then two unknowns per symbolic segment).

    Row i is the Schroedinger equation :math:`[(\omega - H - \Sigma)\psi]_i` at site i.

    >>> sys_ = build_system(parse_model({"sites": {"a": "0", "b": "1"}, "hoppings": [
    ...     {"sites": ["a", "b"], "value": "-1"}], "leads": [{"name": "L", "site": "a", "hopping": "-1",
    ...     "coupling": "-1"}]}))
    >>> sorted(sys_.entries.items())
    [((0, 0), -_Sigma_L + omega), ((0, 1), 1), ((1, 0), 1), ((1, 1), omega - 1)]
    """
    explicit, aliases, symbolic, bonds = _site_table(pm)
    index = {s: k for k, s in enumerate(explicit)}
    forms: dict[str, dict] = {s: {k: sp.Integer(1)} for s, k in index.items()}
    rows = dict(index)
    entries: dict = defaultdict(lambda: sp.Integer(0))
    atoms: list[SegmentAtoms] = []
    for s, k in index.items():
        entries[k, k] += OMEGA - explicit[s]
    size = len(index)
    for g in symbolic:
        at = segment_atoms(g.name, g.length, g.e, g.h, OMEGA)
        atoms.append(at)
        f, v = size, size + 1
        size += 2
        cf, cv = at.last_site()
        forms[f"{g.name}.first"], forms[f"{g.name}.last"] = {f: sp.Integer(1)}, {f: cf, v: cv}
        rows[f"{g.name}.first"], rows[f"{g.name}.last"] = f, v
        (entries[f, f], entries[f, v]), (entries[v, f], entries[v, v]) = at.first_equation(), at.last_equation()
    ham = {(s, s): e for s, e in explicit.items()}
    for (a, b), (val, rev) in bonds.items():
        ham[a, b], ham[b, a] = val, rev
    for h in pm.hoppings:
        a = _resolve(h.a, h.label, pm, explicit, aliases, symbolic)
        b = _resolve(h.b, h.label, pm, explicit, aliases, symbolic)
        if a == b:
            raise ModelValueError(f"{h.label}: a hopping joins two different sites (got {h.a!r} twice)")
        rev = sp.conjugate(h.value) if h.reverse is None else h.reverse
        ham[a, b] = ham.get((a, b), 0) + h.value
        ham[b, a] = ham.get((b, a), 0) + rev
    for (a, b), val in ham.items():
        if a != b:
            for col, coef in forms[b].items():
                entries[rows[a], col] -= val * coef
    leads, sigma = [], {}
    for p in pm.leads:
        site = _resolve(p.site, f"lead {p.name}", pm, explicit, aliases, symbolic)
        leads.append(replace(p, site=site))
        sigma[p.name] = sp.Symbol(f"_Sigma_{p.name}")
        for col, coef in forms[site].items():
            entries[rows[site], col] -= sigma[p.name] * coef
    det_scale = sp.Mul(*[1 / at.W for at in atoms])
    loss = _loss_matrix(ham, explicit, symbolic)
    names = tuple(explicit) + tuple(f"{g.name}.{end}" for g in symbolic for end in ("first", "last"))
    return System(size, {k: v for k, v in entries.items() if v != 0}, forms, rows, names, aliases, atoms, det_scale,
                  loss, tuple(leads), sigma, ham)


def _loss_matrix(ham: dict, explicit: dict, symbolic: list) -> dict | None:
    r""":math:`L = i(H - H^\dagger)` over explicit sites; None if a symbolic segment or one of its bonds may absorb."""
    for g in symbolic:
        if g.e.is_real is not True:
            return None
    loss = {}
    for (a, b), val in ham.items():
        back = ham.get((b, a), 0)
        value = sp.expand(sp.I * (val - sp.conjugate(back)))
        if value != 0:
            if a not in explicit or b not in explicit:
                return None
            loss[a, b] = value
    return loss
