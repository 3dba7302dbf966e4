r"""Model files (``docs/model-files.md``): TOML -> the validated model dict shared by derive and numeric.

The model dict (``docs/model-files.md``, "The model dict") is plain JSON-serialisable data,
all values strings::

    {"name": ..., "parameters": {name: {"kind", "range", "about"}}, "sites": {name: value},
     "hoppings": [{"sites": [a, b], "value", "reverse"}], "segments": [{"name", "length",
     "energy", "hopping"}], "leads": [{"name", "site", "hopping", "potential", "coupling"}]}

:func:`load_model_file` reads a file, :func:`normalise` checks a dict written
in the file's shape (tables ``parameters``, ``sites``, ``hopping``,
``segment``, ``lead``) or in the model-dict shape.  Every rule of the format is
checked without SymPy (values are parsed by :mod:`numeric.models.expressions`):
declared parameters and their kinds and ranges, site names, references
(``wire[3]``, ``wire.first``, ``wire.last``; only first/last where a length
is symbolic), duplicate bonds, lead names, lengths that are integer
expressions, unknown tables, keys and names.  Names are ASCII identifiers and
never Python keywords (``lambda``); a parameter may not take a name of the
language (:data:`RESERVED`) or of the generated evaluators (``numpy``,
``mpmath``, and ``z_L``, ``Gamma_L``, ``open_L`` for a lead ``L``: a parameter
named ``open_L`` silently changed the closed form's numbers).  A violation raises
:class:`ModelFileError`, one line naming the file, the table and what is
allowed.

>>> m = normalise({"parameters": {"t": {"range": "> 0"}}, "sites": {"a": "0", "b": "0"},
...                "hopping": [{"sites": ["a", "b"], "value": "-t"}],
...                "lead": [{"name": "L", "site": "a", "hopping": "-1", "coupling": "-1"},
...                         {"name": "R", "site": "b", "hopping": "-1", "coupling": "-1"}]}, name="pair")
>>> m["parameters"]["t"], m["leads"][1]["potential"]
({'kind': 'real', 'range': '> 0', 'about': ''}, '0')
>>> normalise({"sites": {"a": "eps"}, "lead": []}, name="bad")
Traceback (most recent call last):
...
tunnelkit.models.model_file.ModelFileError: bad: [sites] a: unknown name 'eps' (declare it under [parameters]; names allowed here: omega)
"""
from __future__ import annotations

import keyword
import re
from pathlib import Path
from typing import Any, Mapping

from numeric.models.expressions import CONSTANTS, FUNCTIONS, ExpressionError, excerpt, parse
from numeric.models.tight_binding import SITE_REF, parse_range

__all__ = ["ModelFileError", "load_model_file", "normalise", "KINDS", "RESERVED", "EVALUATOR_NAMES"]

KINDS = ("real", "integer", "complex")
#: names a parameter, site, segment or lead may not take (nor any Python keyword)
RESERVED = ("omega",) + CONSTANTS + FUNCTIONS
#: further names a parameter may not take: the modules of the generated evaluators and, per lead L, their
#: variables z_L, Gamma_L, open_L
EVALUATOR_NAMES = ("numpy", "mpmath")
_LEAD_VARIABLES = ("z", "Gamma", "open")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_TABLES = {"parameters": "parameters", "sites": "sites", "hopping": "hoppings", "hoppings": "hoppings",
           "segment": "segments", "segments": "segments", "lead": "leads", "leads": "leads", "name": "name"}
_KEYS = {"parameters": ("kind", "range", "about", "latex"), "hopping": ("sites", "value", "reverse"),
         "segment": ("name", "length", "energy", "hopping"),
         "lead": ("name", "site", "hopping", "potential", "coupling")}
_REQUIRED = {"hopping": ("sites", "value"), "segment": ("name", "length", "hopping"),
             "lead": ("name", "site", "hopping", "coupling")}
_DEFAULTS = {"segment": {"energy": "0"}, "lead": {"potential": "0"}, "hopping": {"reverse": None}}


class ModelFileError(ValueError):
    """A model file or dict that breaks a rule of the format (docs/model-files.md) (one line: file, table, what is allowed)."""


def load_model_file(path: str | Path) -> dict:
    """Read and validate a model file; the model's name is the file stem.

    Parameters
    ----------
    path : str or pathlib.Path
        A TOML model file (``docs/model-files.md``).

    Returns
    -------
    dict
        The model dict.  Raises :class:`ModelFileError` (unreadable file, invalid TOML, any rule; the
        bounds of :mod:`tunnelkit.input_files`).
    """
    from tunnelkit.input_files import read_toml

    p = Path(path)
    raw = read_toml(p, what="model file", error=ModelFileError)
    return normalise(raw, name=p.stem, source=str(p))


def _label(name: Any) -> str:
    """A table key as error lines show it: itself when it is a short name, else its shortened ``repr``."""
    return name if isinstance(name, str) and _IDENT.fullmatch(name) and len(name) <= 60 else excerpt(name)


def _text(value: Any, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ModelFileError(f"{where}: expected an expression (a string or a number), got {value!r}")
    return value if isinstance(value, str) else repr(value)


def normalise(raw: Mapping[str, Any], *, name: str | None = None, source: str | None = None) -> dict:
    """Validate a model given as a dict (file shape or model-dict shape).

    Parameters
    ----------
    raw : dict
        Tables ``parameters``, ``sites``, ``hopping``/``hoppings``, ``segment``/``segments``,
        ``lead``/``leads``.
    name : str, optional
        The model's name (default: ``raw["name"]`` or "model").
    source : str, optional
        What error messages name (a file path).

    Returns
    -------
    dict
        The model dict (all values strings, defaults filled in).
    """
    src = source or name or str(raw.get("name", "model"))
    if not isinstance(raw, Mapping):
        raise ModelFileError(f"{src}: a model is a table of tables, got {type(raw).__name__}")
    for key in raw:
        if key not in _TABLES:
            raise ModelFileError(f"{src}: unknown table [{key}] (allowed: [parameters], [sites], [[hopping]], "
                                 "[[segment]], [[lead]])")
    model_name = name or str(raw.get("name") or "model")
    params = _parameters(raw.get("parameters", {}), src)
    names = list(params)
    integers = [n for n, p in params.items() if p["kind"] == "integer"]
    sites = _sites(raw.get("sites", {}), src, names)
    segments = [_row(r, "segment", i, src) for i, r in enumerate(_rows(raw, "segment", "segments", src))]
    hoppings = [_row(r, "hopping", i, src) for i, r in enumerate(_rows(raw, "hopping", "hoppings", src))]
    leads = [_row(r, "lead", i, src) for i, r in enumerate(_rows(raw, "lead", "leads", src))]

    if not sites and not segments:
        raise ModelFileError(f"{src}: [sites]: a model needs at least one region site ([sites] or [[segment]])")
    taken = {s: "[sites]" for s in sites}
    lengths: dict[str, int | None] = {}
    for i, seg in enumerate(segments):
        where = f"{src}: [[segment]] {i + 1}"
        _name(seg["name"], where + " name", taken, "[[segment]]")
        where = f"{src}: [[segment]] {seg['name']}"
        lengths[seg["name"]] = _length(seg["length"], where + " length", names, integers)
        _value(seg["energy"], where + " energy", names)
        _value(seg["hopping"], where + " hopping", names)
    bonds: dict[frozenset, str] = {}
    for i, h in enumerate(hoppings):
        where = f"{src}: [[hopping]] {i + 1}"
        pair = h["sites"]
        if not isinstance(pair, list) or len(pair) != 2 or not all(isinstance(s, str) for s in pair):
            raise ModelFileError(f"{where} sites: expected two site names, e.g. sites = [\"a\", \"b\"] (got {pair!r})")
        ends = [_reference(s, where + " sites", sites, lengths) for s in pair]
        if ends[0] == ends[1]:
            raise ModelFileError(f"{where} sites: a bond joins two different sites (got {pair!r}; an on-site "
                                 "energy belongs under [sites])")
        key = frozenset(ends)
        if key in bonds:
            raise ModelFileError(f"{where} sites: the bond {pair[0]}-{pair[1]} is already given by [[hopping]] "
                                 f"{bonds[key]} (one entry per bond)")
        bonds[key] = str(i + 1)
        where = f"{src}: [[hopping]] {pair[0]}-{pair[1]}"
        _value(h["value"], where + " value", names)
        if h["reverse"] is not None:
            _value(h["reverse"], where + " reverse", names)
    lead_names: set[str] = set()
    for i, ld in enumerate(leads):
        where = f"{src}: [[lead]] {i + 1}"
        if not isinstance(ld["name"], str) or not _IDENT.fullmatch(ld["name"]):
            raise ModelFileError(f"{where} name: a lead name is an identifier (ASCII letters, digits, _), got "
                                 f"{excerpt(ld['name'])}")
        if keyword.iskeyword(ld["name"]) or ld["name"] in RESERVED:  # as for every other name of the file
            raise ModelFileError(f"{where} name: {ld['name']!r} is reserved ({', '.join(RESERVED)} and Python "
                                 "keywords such as lambda)")
        if ld["name"] in lead_names:
            raise ModelFileError(f"{where} name: lead {ld['name']!r} is defined twice")
        lead_names.add(ld["name"])
        where = f"{src}: [[lead]] {ld['name']}"
        if not isinstance(ld["site"], str):
            raise ModelFileError(f"{where} site: expected a site name, got {ld['site']!r}")
        _reference(ld["site"], where + " site", sites, lengths)
        for key in ("hopping", "potential", "coupling"):
            _value(ld[key], f"{where} {key}", names)
    if not leads:
        raise ModelFileError(f"{src}: [[lead]]: a model needs at least one lead (a [[lead]] table)")
    clash = [n for n in params if any(n == f"{v}_{lead}" for v in _LEAD_VARIABLES for lead in lead_names)]
    if clash:
        raise ModelFileError(f"{src}: [parameters]: {', '.join(repr(n) for n in clash)} cannot be parameter "
                             f"name{'s' if len(clash) > 1 else ''}: z_L, Gamma_L and open_L are the generated "
                             "evaluator's variables of a lead L")
    return {"name": model_name, "parameters": params, "sites": sites, "hoppings": hoppings,
            "segments": segments, "leads": leads}


def _rows(raw: Mapping[str, Any], file_key: str, dict_key: str, src: str) -> list:
    rows = raw.get(file_key, raw.get(dict_key, []))
    if not isinstance(rows, list) or not all(isinstance(r, Mapping) for r in rows):
        raise ModelFileError(f"{src}: [[{file_key}]]: expected an array of tables ([[{file_key}]] entries)")
    return rows


def _row(row: Mapping[str, Any], table: str, i: int, src: str) -> dict:
    where = f"{src}: [[{table}]] {i + 1}"
    for key in row:
        if key not in _KEYS[table]:
            raise ModelFileError(f"{where}: unknown key {key!r} (allowed: {', '.join(_KEYS[table])})")
    for key in _REQUIRED[table]:
        if key not in row:
            raise ModelFileError(f"{where}: missing key {key!r} (required: {', '.join(_REQUIRED[table])})")
    out = {k: row.get(k, _DEFAULTS.get(table, {}).get(k)) for k in _KEYS[table]}
    for k in ("value", "reverse", "length", "energy", "hopping", "potential", "coupling"):
        if k in out and out[k] is not None:
            out[k] = _text(out[k], f"{where} {k}")
    if table == "hopping" and isinstance(out["sites"], list):
        out["sites"] = list(out["sites"])
    return out


def _name(n: Any, where: str, taken: dict, table: str) -> None:
    if not isinstance(n, str) or not _IDENT.fullmatch(n):
        raise ModelFileError(f"{where}: a name is an identifier (ASCII letters, digits, _), got {excerpt(n)}")
    if n in RESERVED or keyword.iskeyword(n):
        raise ModelFileError(f"{where}: {n!r} is reserved ({', '.join(RESERVED)} and Python keywords such as "
                             "lambda)")
    if n in taken:
        raise ModelFileError(f"{where}: {n!r} is already a name under {taken[n]}")
    taken[n] = table


def _parameters(table: Any, src: str) -> dict:
    if not isinstance(table, Mapping):
        raise ModelFileError(f"{src}: [parameters]: expected a table of name = {{ kind, range, about }}")
    out: dict[str, dict] = {}
    bad = [n for n in table if isinstance(n, str) and (n in RESERVED or n in EVALUATOR_NAMES or keyword.iskeyword(n)
                                                       or n.startswith("_"))]
    if bad:  # every one in one line
        raise ModelFileError(f"{src}: [parameters]: {', '.join(excerpt(n) for n in bad)} "
                             f"{'are' if len(bad) > 1 else 'is'} reserved (parameter names are not "
                             f"{', '.join(RESERVED + EVALUATOR_NAMES)}, Python keywords such as lambda, or names "
                             "starting with _)")
    for n, spec in table.items():
        where = f"{src}: [parameters] {_label(n)}"
        _name(n, where, {}, "[parameters]")
        if not isinstance(spec, Mapping):
            raise ModelFileError(f"{where}: expected an inline table {{ kind, range, about }}, got {spec!r}")
        for key in spec:
            if key not in _KEYS["parameters"]:
                raise ModelFileError(f"{where}: unknown key {key!r} (allowed: kind, range, about, latex)")
        kind = spec.get("kind", "real")
        if kind not in KINDS:
            raise ModelFileError(f"{where} kind: must be one of {', '.join(KINDS)} (got {kind!r})")
        rng = spec.get("range")
        if rng is not None:
            if kind == "complex":
                raise ModelFileError(f"{where} range: a complex parameter has no range (got {rng!r})")
            try:
                parse_range(str(rng))
            except (ValueError, ArithmeticError) as exc:
                raise ModelFileError(f"{where} range: {exc}") from None
            rng = str(rng).strip()
        about = spec.get("about", "")
        if not isinstance(about, str):
            raise ModelFileError(f"{where} about: expected a string, got {about!r}")
        out[n] = {"kind": kind, "range": rng or None, "about": about}
        if "latex" in spec:
            out[n]["latex"] = _latex_key(spec["latex"], where)
    return out


_LATEX = re.compile(r"^[A-Za-z0-9\\_^{}' ]{1,64}$")


def _latex_key(value: Any, where: str) -> str:
    r"""A parameter's ``latex`` (how ``derive`` prints it, ``'\varepsilon_d'``): the LaTeX of one symbol --
    letters, digits, ``\ _ ^ { } '`` and spaces, at most 64 characters, braces balanced."""
    ok = isinstance(value, str) and bool(_LATEX.match(value)) and value.strip() != ""
    depth = 0
    for ch in value if ok else "":
        depth += (ch == "{") - (ch == "}")
        ok = ok and depth >= 0
    if not ok or depth:
        raise ModelFileError(f"{where} latex: expected the LaTeX of one symbol (letters, digits, \\ _ ^ {{ }} ', "
                             f"at most 64 characters, braces balanced), got {value!r}")
    return value.strip()


def _sites(table: Any, src: str, names: list[str]) -> dict:
    if not isinstance(table, Mapping):
        raise ModelFileError(f"{src}: [sites]: expected a table of site = \"on-site energy\"")
    out = {}
    taken: dict[str, str] = {n: "[parameters]" for n in names}
    for s, value in table.items():
        where = f"{src}: [sites] {_label(s)}"
        _name(s, where, taken, "[sites]")
        out[s] = _text(value, where)
        _value(out[s], where, names)
    return out


def _value(text: str, where: str, names: list[str]) -> None:
    try:
        parse(text).check_names(names + ["omega"])
    except ExpressionError as exc:
        raise ModelFileError(f"{where}: {exc.reason}") from None


def _length(text: str, where: str, names: list[str], integers: list[str]) -> int | None:
    """The length if it is a number, None if symbolic; checks it is an integer expression."""
    try:
        e = parse(text)
        e.check_names(names)
    except ExpressionError as exc:
        raise ModelFileError(f"{where}: {exc.reason}") from None
    not_int = sorted(e.names - set(integers))
    if not_int:
        raise ModelFileError(f"{where}: a length is an integer expression; {', '.join(not_int)} "
                             f"{'is' if len(not_int) == 1 else 'are'} not declared kind = \"integer\"")
    if e.names:
        return None
    try:
        L = e.evaluate({}, backend="exact")
    except ExpressionError as exc:
        raise ModelFileError(f"{where}: {exc.reason}") from None
    if L.denominator != 1 or L < 0:
        raise ModelFileError(f"{where}: must be an integer >= 0 (got {text} = {L})")
    return int(L)


def _reference(ref: str, where: str, sites: Mapping[str, str], lengths: Mapping[str, int | None]) -> str:
    """Check a site reference; return a canonical key for duplicate detection."""
    m = SITE_REF.match(ref)
    allowed = f"a site ({', '.join(sites) or 'none'}) or a segment site ({', '.join(f'{s}[k], {s}.first, {s}.last' for s in lengths) or 'no segments'})"
    if not m:
        raise ModelFileError(f"{where}: {ref!r} is not a site reference (allowed: {allowed})")
    base, idx, end = m.group(1), m.group(2), m.group(3)
    if base in sites:
        if idx is not None or end:
            raise ModelFileError(f"{where}: {base!r} is a single site, refer to it as {base!r} (got {ref!r})")
        return base
    if base not in lengths:
        raise ModelFileError(f"{where}: unknown site {ref!r} (allowed: {allowed})")
    L = lengths[base]
    if idx is None and not end:
        raise ModelFileError(f"{where}: {base!r} is a segment: refer to {base}[k], {base}.first or {base}.last")
    if L == 0:
        raise ModelFileError(f"{where}: segment {base!r} has length 0 and no sites (got {ref!r})")
    if idx is not None:
        if L is None:
            raise ModelFileError(f"{where}: segment {base!r} has a symbolic length: only {base}.first and "
                                 f"{base}.last can be referred to (got {ref!r})")
        if int(idx) >= L:
            raise ModelFileError(f"{where}: {ref!r} is outside segment {base!r} (indices 0 .. {L - 1})")
        return f"{base}[{int(idx)}]"
    if L is not None:
        return f"{base}[{0 if end == 'first' else L - 1}]"
    return f"{base}.{end}"
