"""Reading untrusted input files: the one TOML loader of model, paper and field files.

Every file a user names is untrusted input, so it is read under fixed bounds
before any of it is interpreted:

* only a **regular file** is read: a directory, FIFO, socket or device
  (``/dev/zero``, ``/dev/urandom``, a terminal) is refused.  The file is opened
  with ``O_NONBLOCK`` and checked with ``fstat`` on the open descriptor, so a
  FIFO cannot block the open and a file swapped after the check is not read;
* at most :data:`MAX_FILE_BYTES` (1 MiB) are read; a larger file is refused
  naming the limit (the largest example file is under 4 kB);
* the text must be UTF-8 (strictly decoded) and valid TOML (``tomllib``, or
  ``tomli`` on Python 3.10);
* tables and arrays may nest at most :data:`MAX_NESTING` levels deep (the
  formats use 3); deeper documents are refused, also where the TOML parser
  itself would exhaust the recursion limit;
* a file whose top-level tables are those of another kind of file (a model
  file given to ``split``) is refused with one line saying what it looks like.

Every refusal raises the error class of the caller's format (``error=``:
:class:`tunnelkit.models.model_file.ModelFileError`, ...), with one line naming the
file; the command line prints it and exits with status 2.

>>> import pathlib, tempfile
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "dot.toml").write_text('[sites]\\nd = "eps"\\n')
>>> read_toml(d / "dot.toml", what="model file", error=ValueError)
{'sites': {'d': 'eps'}}
>>> read_toml(d / "dot.toml", what="field file", error=ValueError)
Traceback (most recent call last):
...
ValueError: ...dot.toml: this looks like a model file (it has [sites]), not a field file (tables [fields], [[term]]); a model file goes to transmission, current or derive --model FILE
>>> read_toml(d, what="model file", error=ValueError)
Traceback (most recent call last):
...
ValueError: ...: cannot read the model file: a directory, not a regular file
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

__all__ = ["MAX_FILE_BYTES", "MAX_NESTING", "KINDS", "read_bytes", "parse_toml", "read_toml", "looks_like", "check_kind"]

#: largest input file read (bytes): 1 MiB, some 250 times the largest example
MAX_FILE_BYTES = 1 << 20
#: deepest nesting of tables and arrays in an input file (the formats use 3 levels)
MAX_NESTING = 32

#: kind of file -> (its top-level tables as the format writes them, where it goes on the command line)
KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    "model file": (("parameters", "sites", "hopping", "hoppings", "segment", "segments", "lead", "leads"),
                   "transmission, current or derive --model FILE"),
    "paper file": (("paper", "symbols", "equation"), "tunnelkit verify FILE"),
    "field file": (("fields", "term"), "tunnelkit split FILE"),
}
_FORMAT_TABLES = {"model file": "[parameters], [sites], [[hopping]], [[segment]], [[lead]]",
                  "paper file": "[paper], [symbols], [[equation]]", "field file": "[fields], [[term]]"}


def _file_type(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a regular file"


def read_bytes(path: str | Path, *, what: str, error: type[Exception], limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (default :data:`MAX_FILE_BYTES`).

    Parameters
    ----------
    path : str or pathlib.Path
        The file a user named.
    what : str
        What the file is, for messages ("model file").
    error : type
        The exception raised for every refusal (one line naming the file).

    Returns
    -------
    bytes
        The whole file.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise error(f"{path}: cannot read the {what} ({exc.strerror or type(exc).__name__})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _file_type(info.st_mode)
            raise error(f"{path}: cannot read the {what}: {kind}{'' if kind.startswith('not') else ', not a regular file'}")
        if info.st_size > limit:
            raise error(f"{path}: the {what} has {info.st_size} bytes, more than the limit of {limit} "
                        f"({limit / 2**20:g} MiB)")
        chunks, size = [], 0
        while size <= limit:  # the file may grow after fstat: never read past the limit
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise error(f"{path}: the {what} has more than {limit} bytes ({limit / 2**20:g} MiB), the limit")
        return b"".join(chunks)
    except OSError as exc:
        raise error(f"{path}: cannot read the {what} ({exc.strerror or type(exc).__name__})") from None
    finally:
        os.close(fd)


def _depth(data: Any) -> int:
    """Nesting depth of tables and arrays (the document itself is level 0), without recursion."""
    deepest, stack = 0, [(data, 0)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > MAX_NESTING:
            break
        if isinstance(node, dict):
            stack.extend((v, level + 1) for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, level + 1) for v in node if isinstance(v, (dict, list)))
    return deepest


def parse_toml(raw: bytes, *, source: str, what: str, error: type[Exception]) -> dict:
    """Decode (strict UTF-8) and parse TOML, nesting bounded by :data:`MAX_NESTING`.

    Parameters
    ----------
    raw : bytes
        The file's contents.
    source : str
        The file, as messages name it.
    what : str
        What the file is ("paper file").
    error : type
        The exception raised for every refusal.

    Returns
    -------
    dict
        The TOML document.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{source}: the {what} is not UTF-8 text (byte {exc.start}); a {what} is TOML") from None
    nested = f"{source}: the {what} nests tables or arrays deeper than {MAX_NESTING} levels (the limit)"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{source}: the {what} is not valid TOML ({' '.join(str(exc).split())})") from None
    except RecursionError:
        raise error(nested) from None
    except ValueError as exc:  # e.g. an integer of more digits than int() converts
        reason = " ".join(str(exc).split(";")[0].split())[:200]
        raise error(f"{source}: the {what} is not valid TOML ({reason})") from None
    if _depth(data) > MAX_NESTING:
        raise error(nested)
    return data


def looks_like(data: dict) -> str | None:
    """The kind of file (a key of :data:`KINDS`) whose top-level tables ``data`` has most of, or None.

    >>> looks_like({"paper": {}, "equation": []}), looks_like({"x": 1})
    ('paper file', None)
    """
    scores = {kind: sum(key in data for key in tables) for kind, (tables, _) in KINDS.items()}
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] else None


def check_kind(data: dict, *, source: str, what: str, error: type[Exception]) -> None:
    """Refuse ``data`` when it has none of the tables of a ``what`` and looks like another kind of file.

    Parameters
    ----------
    data : dict
        A parsed TOML document.
    source : str
        The file, as messages name it.
    what : str
        The kind expected (a key of :data:`KINDS`).
    error : type
        The exception raised (one line: what the file looks like and where it goes).
    """
    if what not in KINDS or any(key in data for key in KINDS[what][0]):
        return
    kind = looks_like(data)
    if kind is None:
        return
    tables = ", ".join(f"[[{k}]]" if isinstance(data[k], list) else f"[{k}]" for k in KINDS[kind][0] if k in data)
    raise error(f"{source}: this looks like a {kind} (it has {tables}), not a {what} (tables {_FORMAT_TABLES[what]}); "
                f"a {kind} goes to {KINDS[kind][1]}")


def read_toml(path: str | Path, *, what: str, error: type[Exception]) -> dict:
    """Read a TOML input file under the bounds of this module.

    Parameters
    ----------
    path : str or pathlib.Path
        The file a user named.
    what : str
        "model file", "paper file" or "field file" (a file of another kind is refused, saying which it
        looks like), or any other description.
    error : type
        The exception raised for every refusal: one line naming the file.

    Returns
    -------
    dict
        The TOML document.
    """
    data = parse_toml(read_bytes(path, what=what, error=error), source=str(path), what=what, error=error)
    check_kind(data, source=str(path), what=what, error=error)
    return data
