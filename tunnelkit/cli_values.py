"""Values given on the ``tunnelkit`` command line, read once at the edge: numbers, lists, integers.

Numbers are plain decimals (:func:`numeric.precision.exact`: no ``1_0``, ``0x10`` or other scripts'
digits) or ``inf``; a bad value is a :class:`UsageError` whose one line names the flag and what is allowed
(exit status 2).
"""
from __future__ import annotations

import argparse
import re
import sys
from typing import Sequence

from numeric.errors import ParameterError
from numeric.expressions import excerpt
from numeric.precision import exact

__all__ = ["UsageError", "parse_number", "split_list", "parse_list", "parse_exact", "parse_int"]


_NUMBER_RE = re.compile(r"^[+-]?(\d|\.\d|inf|infinity)", re.IGNORECASE)


class UsageError(Exception):
    """Bad command-line input; printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        raise UsageError(message)


def parse_number(flag: str, text: str) -> float:
    """A plain decimal (``numeric.precision.exact``'s digit check) as the nearest float; ``inf``/``-inf`` accepted,
    NaN, ``1_0``, ``0x10`` and other scripts' digits (which ``float`` takes) rejected.

    >>> parse_number("--muR", "-inf")
    -inf
    >>> parse_number("--omega", "1e400")
    Traceback (most recent call last):
    ...
    tunnelkit.cli_values.UsageError: --omega must be within the double range |x| <= 1.798e+308, or inf where a limit is allowed (got '1e400')
    >>> parse_number("--omega", "1_0")
    Traceback (most recent call last):
    ...
    tunnelkit.cli_values.UsageError: --omega expects a plain decimal number (such as 0.5, -1e-3, inf), got '1_0'
    """

    try:
        v = exact(text, flag)
    except ParameterError:
        raise UsageError(f"{flag} expects a plain decimal number (such as 0.5, -1e-3, inf), got {excerpt(text)}") from None
    if isinstance(v, float):
        return v
    try:
        return float(v)
    except OverflowError:  # 1e400: beyond the doubles, not the limit inf
        raise UsageError(f"{flag} must be within the double range |x| <= {sys.float_info.max:.4g}, or inf where "
                         f"a limit is allowed (got {excerpt(text)})") from None


def split_list(flag: str, text: str) -> list[str]:
    """Comma-separated items, stripped; an empty item is a malformed list.

    >>> split_list("--omega", "-1.7, 0.41")
    ['-1.7', '0.41']
    """
    parts = [p.strip() for p in text.split(",")]
    if any(p == "" for p in parts):
        raise UsageError(f"{flag}: malformed list {text!r} (expected comma-separated numbers)")
    return parts


def parse_list(flag: str, text: str) -> list[float]:
    """Comma-separated numbers.

    >>> parse_list("--omega", "-1.7,-0.9,0.41")
    [-1.7, -0.9, 0.41]
    """
    return [parse_number(flag, p) for p in split_list(flag, text)]


def parse_exact(flag: str, text: str):
    """An exact number (docs/cli.md, "Precision"): ``0.1`` is 1/10; ``inf``/``-inf`` accepted, NaN and garbage rejected.

    >>> parse_exact("--tau1", "0.1"), parse_exact("--muR", "-inf")
    (Fraction(1, 10), -inf)
    """
    try:
        return exact(text, flag)
    except ParameterError as exc:
        limit = " with a decimal exponent of at most" in exc.allowed
        raise UsageError(f"{flag} expects a plain decimal number (such as 0.5, -1e-3, inf"
                         f"{'; ' + exc.allowed if limit else ''}), got {excerpt(text)}") from None


def parse_int(flag: str, text: str, lo: int, what: str) -> int:
    """A plain decimal (``numeric.precision.exact``'s digit check) that is an integer: ``1_0`` and other
    scripts' digits, which ``int`` takes, are refused.

    >>> parse_int("--M", "12", 0, "an integer >= 0")
    12
    """
    try:
        q = exact(text, flag)
    except ParameterError:
        q = None
    if q is None or isinstance(q, float) or q.denominator != 1:
        raise UsageError(f"{flag} must be {what} (got {excerpt(text)})")
    v = int(q)
    if v < lo:
        raise UsageError(f"{flag} must be {what} (got {v})")
    return v


def _value_flags(parser: argparse.ArgumentParser) -> set[str]:
    flags = set()
    for action in parser._actions:  # noqa: SLF001 - argparse has no public API for this
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            for sub in action.choices.values():
                flags |= _value_flags(sub)
        elif action.nargs != 0:
            flags |= set(action.option_strings)
    return flags


def _join_negative_values(argv: Sequence[str], flags: set[str]) -> list[str]:
    """``--omega -1.7,-0.9`` -> ``--omega=-1.7,-0.9`` (argparse would take -1.7 for a flag)."""
    out, i = [], 0
    argv = list(argv)
    while i < len(argv):
        tok = argv[i]
        if tok in flags and i + 1 < len(argv) and argv[i + 1].startswith("-") and _NUMBER_RE.match(argv[i + 1]):
            out.append(f"{tok}={argv[i + 1]}")
            i += 2
            continue
        out.append(tok)
        i += 1
    return out


# ----------------------------------------------------------------------------- output
