"""Field files (format: docs/field-files.md): TOML -> a field model, and the split as a Python API.

A field file declares the statistics and species and a list of terms::

    [fields]
    statistics = "fermion"          # or "boson", or one per species: { a = "boson", f = "fermion" }
    species = ["up", "dn"]

    [[term]]
    kind = "one-body"               # sum_s psi_s^+ h_s psi_s
    [[term]]
    kind = "local"                  # coupling x fields at one point, in the written order
    coupling = "g"
    word = ["up+", "dn+", "dn", "up"]

:func:`load_fields` reads and validates a file into a
:class:`derive.fields.field_split.FieldModel`; :func:`split_file` splits it.  Every
error is a :class:`FieldFileError` whose one-line message names the file, the
term (``term 2``, counted from 1 in file order) and what is allowed; the
command line prints it and exits with status 2.  Couplings are SymPy
expressions in the names the file uses (real symbols; decimals are exact).

Examples
--------
>>> model = parse_fields({"fields": {"statistics": "boson", "species": ["a", "b"]},
...                       "term": [{"kind": "local", "coupling": "U", "word": ["a+", "b+", "b", "a"]}]})
>>> split_model(model).summary
{'reservoir L': 1, 'reservoir R': 1, 'density-assisted tunneling': 8, 'pair tunneling': 2, 'exchange': 2, 'induced interaction': 2}
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

import derive.fields.field_split as FS
from derive.fields.field_split import FieldError, FieldModel, Split

__all__ = ["FieldFileError", "parse_fields", "load_fields", "split_model", "split_file"]

KINDS = ("one-body", "local")
_KEYS = {"one-body": {"kind"}, "local": {"kind", "coupling", "word"}}


class FieldFileError(ValueError):
    """A bad field file or description; the message is one line naming the file, term and what is allowed."""


def _fields_table(data: dict, where: str) -> tuple[str, list]:
    extra = sorted(set(data) - {"fields", "term"})
    if extra:
        raise FieldFileError(f"{where}: unknown table or key {extra[0]!r} (allowed: [fields], [[term]])")
    fields = data.get("fields")
    if not isinstance(fields, dict):
        raise FieldFileError(f"{where}: missing [fields] table (with statistics and species)")
    extra = sorted(set(fields) - {"statistics", "species"})
    if extra:
        raise FieldFileError(f"{where}: [fields]: unknown key {extra[0]!r} (allowed: statistics, species)")
    try:
        FieldModel(fields.get("statistics"), fields.get("species"))  # type: ignore[arg-type]
    except FieldError as exc:
        raise FieldFileError(f"{where}: [fields] {exc}") from None
    return fields["statistics"], list(fields["species"])


def _term(n: int, raw: object, species: list, where: str) -> FS.OneBody | FS.Local:
    if not isinstance(raw, dict):
        raise FieldFileError(f"{where}: term {n} must be a [[term]] table")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise FieldFileError(f"{where}: term {n}: unknown kind {kind!r} (allowed: {', '.join(KINDS)})")
    label = f"{where}: term {n} ({kind})"
    extra = sorted(set(raw) - _KEYS[kind])
    if extra:
        raise FieldFileError(f"{label}: unknown key {extra[0]!r} (allowed: {', '.join(sorted(_KEYS[kind]))})")
    if kind == "one-body":
        return FS.OneBody()
    for key in ("coupling", "word"):
        if key not in raw:
            raise FieldFileError(f"{label}: missing {key} (a local term needs coupling and word)")
    word = raw["word"]
    if not isinstance(word, list) or not word:
        raise FieldFileError(f"{label}: word must be a non-empty list of fields like [\"{species[0]}+\", "
                             f"\"{species[0]}\"] (got {word!r})")
    try:
        term = FS.Local(raw["coupling"], tuple(word))
    except FieldError as exc:
        raise FieldFileError(f"{label}: {_shortened(str(exc), raw['coupling'])}") from None
    return term


def _shortened(message: str, coupling: object, limit: int = 80) -> str:
    """``message`` quoting at most an excerpt of a long coupling (an error line stays one short line)."""
    if isinstance(coupling, str) and len(coupling) > limit:
        excerpt = f"{coupling[:limit - 30]}...{coupling[-12:]}"
        note = f"{excerpt!r} ({len(coupling)} characters)"
        message = message.replace(repr(coupling), note).replace(coupling, note)
    return message if len(message) <= 400 else message[:380] + "... (message cut)"


def parse_fields(data: dict, *, source: str = "field description") -> FieldModel:
    """A field model from the TOML structure (a dict), validated.

    Parameters
    ----------
    data : dict
        ``{"fields": {"statistics": ..., "species": [...]}, "term": [{...}, ...]}``.
    source : str
        Name used in error messages (the file name).

    Returns
    -------
    derive.fields.field_split.FieldModel
    """
    if not isinstance(data, dict):
        raise FieldFileError(f"{source}: expected a table with [fields] and [[term]]")
    stats, species = _fields_table(data, source)
    terms = data.get("term")
    if not isinstance(terms, list) or not terms:
        raise FieldFileError(f"{source}: no [[term]] tables (allowed kinds: {', '.join(KINDS)})")
    parsed, problems = [], []
    for n, raw in enumerate(terms, 1):  # every bad term of the file in one message
        try:
            parsed.append(_term(n, raw, species, source))
        except FieldFileError as exc:
            problems.append(str(exc).removeprefix(f"{source}: "))
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise FieldFileError(f"{source}: " + "; ".join(problems[:3]) + more)
    try:
        model = FieldModel(stats, tuple(species), tuple(parsed))
    except FieldError as exc:
        raise FieldFileError(f"{source}: {exc}") from None
    if why := model.work_problem():  # bounded before any algebra
        raise FieldFileError(f"{source}: {why}")
    return model


def load_fields(path: str | Path) -> FieldModel:
    """Read and validate a field file.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    derive.fields.field_split.FieldModel
    """
    from tunnelkit.input_files import read_toml

    path = Path(path)
    data = read_toml(path, what="field file", error=FieldFileError)
    return parse_fields(data, source=str(path))


def split_model(model: FieldModel, *, overlap: Literal["zero", "K"] = "zero") -> Split:
    """The split of a field model: substitution, normal ordering, collection and classes.

    .. math:: \\hat\\psi_s = \\hat\\psi_{s,L} + \\hat\\psi_{s,R}

    Parameters
    ----------
    model : derive.fields.field_split.FieldModel
    overlap : {"zero", "K"}
        ``"K"`` keeps :math:`[\\hat\\psi_{s,L},\\hat\\psi^\\dagger_{s,R}]_\\mp = K_s` and its contractions.

    Returns
    -------
    derive.fields.field_split.Split
        ``.terms`` (class, transfer, coefficient, operator, latex), ``.summary``, ``.as_json()``.
    """
    if overlap not in ("zero", "K"):
        raise FieldFileError(f"--overlap must be zero or K (got {overlap!r})")
    try:
        return FS.split(model, overlap=overlap)
    except FieldError as exc:  # the work bound of a model built in Python
        raise FieldFileError(str(exc)) from None


def split_file(path: str | Path, *, overlap: Literal["zero", "K"] = "zero") -> Split:
    """:func:`load_fields` then :func:`split_model`.

    Parameters
    ----------
    path : str or Path
    overlap : {"zero", "K"}

    Returns
    -------
    derive.fields.field_split.Split
    """
    try:
        return split_model(load_fields(path), overlap=overlap)
    except FieldFileError as exc:
        msg = str(exc)
        raise FieldFileError(msg if msg.startswith(f"{path}: ") else f"{path}: {msg}") from None
