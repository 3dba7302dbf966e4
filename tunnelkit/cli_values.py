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
from numeric.models.expressions import excerpt
from numeric.precision import exact

__all__ = ["UsageError", "parse_number", "split_list", "parse_list", "parse_exact", "parse_int"]


_NUMBER_RE = re.compile(r"^[+-]?(\d|\.\d|inf|infinity)", re.IGNORECASE)


class UsageError(Exception):
    """Bad command-line input; printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """One-line errors (no usage dump), no abbreviated flags (``--tau`` is not ``--tau1``), and the closest
    flag suggested for a misspelt one."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:
        raise UsageError(message)


def unrecognized(parser: argparse.ArgumentParser, args: argparse.Namespace, extra: Sequence[str]) -> str:
    """The message for arguments no flag takes, with the closest flag of the subcommand for a misspelt one."""
    import difflib

    used = parser
    for action in parser._actions:  # the subcommand's own parser, whose flags the user meant
        if isinstance(action, argparse._SubParsersAction) and getattr(args, action.dest, None) in action.choices:
            used = action.choices[getattr(args, action.dest)]
    message = f"unrecognized arguments: {' '.join(excerpt(e) if len(e) > 60 else e for e in extra)}"
    flag = next((e.split("=", 1)[0] for e in extra if e.startswith("--")), None)
    if flag is not None:
        flags = [o for a in used._actions for o in a.option_strings if o.startswith("--")]
        close = difflib.get_close_matches(flag, flags, n=1, cutoff=0.6)
        if close:
            message += f" (did you mean {close[0]}?)"
    return message


def choice(*allowed: str):
    """An argparse ``type`` for a flag with a few allowed words, in any case (``--stats Bose``)."""
    def read(text: str) -> str:
        low = text.strip().lower()
        for word in allowed:
            if word.lower() == low:
                return word
        raise argparse.ArgumentTypeError(f"expected one of {', '.join(allowed)} (got {excerpt(text)})")
    read.__name__ = "one of " + "|".join(allowed)
    return read


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


#: ``start:stop:count`` of a list flag (no comma: a list of ranges is not a thing)
_RANGE = re.compile(r"^([^:,]+):([^:,]+):([^:,]+)$")
#: bytes of a file of values (``@FILE``): 100000 values of up to ~40 characters
VALUES_FILE_BYTES = 4 << 20
_LIST_FORMS = "a comma-separated list (-1.7,0.41), a range start:stop:count (-2:2:401) or @FILE"


def split_list(flag: str, text: str) -> list:
    """The items of a list flag: comma-separated values, a range, or a file of values.

    ``start:stop:count`` gives ``count`` values from ``start`` to ``stop``, both included (as
    ``numpy.linspace``), each exact (:class:`fractions.Fraction`: with ``--dps`` the frequencies of a range are
    exact too); ``@FILE`` reads values separated by commas, spaces or new lines (``#`` starts a comment), from a
    regular file of at most :data:`VALUES_FILE_BYTES`.  At most :data:`tunnelkit.limits.MAX_LIST` values.

    >>> split_list("--omega", "-1.7, 0.41")
    ['-1.7', '0.41']
    >>> [str(x) for x in split_list("--omega", "-1:1:5")]
    ['-1', '-1/2', '0', '1/2', '1']
    >>> split_list("--omega", "1,,2")
    Traceback (most recent call last):
    ...
    tunnelkit.cli_values.UsageError: --omega: malformed list '1,,2' (expected a comma-separated list (-1.7,0.41), a range start:stop:count (-2:2:401) or @FILE)
    """
    from tunnelkit.limits import MAX_LIST

    text = text.strip()
    if text.startswith("@"):
        parts = _values_file(flag, text[1:])
    elif (m := _RANGE.match(text)) is not None:
        return _range(flag, m.group(1), m.group(2), m.group(3), MAX_LIST)
    else:
        parts = [p.strip() for p in text.split(",")]
    if not parts or any(p == "" for p in parts):
        raise UsageError(f"{flag}: malformed list {excerpt(text)} (expected {_LIST_FORMS})")
    if len(parts) > MAX_LIST:
        raise UsageError(f"{flag} takes at most {MAX_LIST} values (got {len(parts)})")
    return parts


def _range(flag: str, start: str, stop: str, count: str, most: int) -> list:
    from fractions import Fraction

    a, b = (exact(t.strip(), flag) if _plain(t) else None for t in (start, stop))
    n = count.strip()
    if a is None or b is None or not n.isdigit() or isinstance(a, float) or isinstance(b, float):
        raise UsageError(f"{flag}: the range {excerpt(start + ':' + stop + ':' + count)} is not start:stop:count "
                         "(finite plain decimals and a whole count, e.g. -2:2:401)")
    k = int(n)
    if not 1 <= k <= most:
        raise UsageError(f"{flag}: a range has 1 to {most} values (got {k})")
    if k == 1:
        return [Fraction(a)]
    step = (Fraction(b) - Fraction(a)) / (k - 1)
    return [Fraction(a) + i * step for i in range(k)]


def _plain(text: str) -> bool:
    try:
        exact(text.strip(), "")
        return True
    except ParameterError:
        return False


def _values_file(flag: str, path: str) -> list[str]:
    from tunnelkit.input_files import read_bytes

    raw = read_bytes(path, what=f"file of {flag} values", error=UsageError, limit=VALUES_FILE_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{flag}: {excerpt(path)} is not a UTF-8 text file of values") from None
    lines = [line.split("#", 1)[0] for line in text.splitlines()]
    return [p for p in re.split(r"[\s,]+", " ".join(lines)) if p]


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
