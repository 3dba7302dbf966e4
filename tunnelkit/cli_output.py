"""Where the command line's output and error lines are written (:func:`tunnelkit.cli.main` collects a
command's stdout and hands it to :func:`write_output` once, at the end).

A failed write is one line on stderr and exit status 1 (stdout closed, device full); a broken pipe (the
reader has gone, ``| head``) ends quietly with status 141, as a Unix tool killed by SIGPIPE.
"""
from __future__ import annotations

import contextlib
import math
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

__all__ = ["write_output", "one_line", "write_text_file", "atomic_output", "EXIT_WRITE_FAILED", "EXIT_BROKEN_PIPE"]

#: exit status when stdout cannot take the output (closed, device full, I/O error)
EXIT_WRITE_FAILED = 1
#: exit status after a broken pipe (``tunnelkit ... | head``): 128 + SIGPIPE, as a Unix tool killed by it
EXIT_BROKEN_PIPE = 141


def _silence(stream) -> None:
    """Point the descriptor of ``stream`` at the null device: the interpreter's flush at exit then writes
    nothing (Python's recipe for EPIPE; after ENOSPC the same, so the failure is reported once)."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test's capture): nothing to silence
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, fd)
    finally:
        os.close(null)


def _write_all(text: str, stream) -> None:
    """Write ``text`` to ``stream`` completely, flushed, or raise :class:`OSError`.

    The bytes go through the binary layer in a loop: with ``PYTHONUNBUFFERED`` the text layer sits on a raw
    file whose short writes (a pipe whose reader left) it drops without an error.
    """
    binary = getattr(stream, "buffer", None)
    if binary is None:  # an in-memory stream (a test's capture)
        stream.write(text)
        stream.flush()
        return
    stream.flush()
    if os.linesep != "\n":
        text = text.replace("\n", os.linesep)
    errors = stream.errors if stream.errors not in (None, "strict") else "backslashreplace"
    view = memoryview(text.encode(stream.encoding or "utf-8", errors))
    while view:
        n = binary.write(view)
        if n is None:  # a non-blocking descriptor that is full: wait until it takes more
            import select

            select.select([], [binary.fileno()], [])
            continue
        view = view[n:]
    binary.flush()  # inside the guard: the interpreter's own flush at exit would fail unguarded


def write_output(text: str, stream, status: int) -> int:
    """Write the whole stdout of a command, flushed, and return the exit status.

    Parameters
    ----------
    text : str
        Everything the command printed (collected by :func:`main`).
    stream : text file or None
        The real stdout (None when the process started with it closed).
    status : int
        The command's exit status, returned when the write succeeds.

    Returns
    -------
    int
        ``status``; :data:`EXIT_BROKEN_PIPE` quietly after a broken pipe; :data:`EXIT_WRITE_FAILED`
        with one line on stderr when the output cannot be written (closed stdout, device full).
    """
    if not text:
        return status
    try:
        if stream is None:
            raise OSError(9, "stdout is closed")
        _write_all(text, stream)
    except BrokenPipeError:  # the reader has gone (| head): quiet, as Unix tools end
        _silence(stream)
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        _silence(stream)
        print(f"tunnelkit: cannot write output: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_WRITE_FAILED
    return status


_CONTROL = {c: f"\\x{c:02x}" for c in [*range(32), 127]} | {10: "\\n", 13: "\\r", 9: "\\t"}


def one_line(message: object) -> str:
    r"""An error message as one line: control characters from the input (a TOML key with a newline) escaped.

    >>> one_line("unknown table [a\nb]")
    'unknown table [a\\nb]'
    """
    return str(message).translate(_CONTROL)


def report_unsettled(columns: dict[str, Sequence[Any]]) -> int:
    """One stderr line per value that did not settle with ``--dps`` (its quantity, frequency and why); the exit
    status: 1 if there was one, else 0.  The printed output has ``null`` (JSON) or ``unsettled`` there."""
    from numeric.precision import is_unsettled

    status = 0
    for name, values in columns.items():
        for v in values:
            if is_unsettled(v):
                print(f"tunnelkit: unsettled: {name}: {v.reason}", file=sys.stderr)
                status = 1
    return status


def _fmt_json(x: Any, dps: int | None, *, pad: bool = True) -> Any:
    """A ``--dps`` result rounded to ``dps`` significant digits: a string above double precision, else the float
    of that decimal (whose shortest repr is that decimal); other numbers as floats; NaN and +-inf -> null.

    The values of a ``--dps`` computation carry more than ``dps`` right digits
    (:func:`numeric.precision.stable_digits`); rounding them once, from their
    full precision, keeps every printed digit right.  An infinity is a divergent
    quantity (e.g. the energy current Q between wide-band leads with one reservoir
    empty); JSON has no infinity, so it is ``null`` (the table prints ``-``).
    """
    import mpmath

    from numeric.precision import is_unsettled

    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if is_unsettled(x):  # a value that did not settle within the cost limit (named on stderr, exit 1)
        return None
    if dps is not None and isinstance(x, mpmath.mpf):
        if mpmath.isnan(x) or mpmath.isinf(x):
            return None
        if x == 0:  # an exact zero (settled as such) has no significant digits to pad
            return "0" if dps > 15 else 0.0
        # a result shows all ``dps`` digits, trailing zeros included (a zero in the last place is a
        # right digit too); an echoed exact input (``pad=False``) is shown as given
        # fixed point from 1e-5 to 10^dps, else scientific (a 1e-201 value printed fixed had 200 leading zeros)
        text = mpmath.nstr(x, dps, min_fixed=-5, max_fixed=dps, strip_zeros=not pad).rstrip(".")
        return text if dps > 15 else float(text)
    v = float(x)
    return None if not math.isfinite(v) else v


def write_text_file(path: str | os.PathLike, text: str, *, what: str) -> int:
    """Write ``text`` to ``path`` whole or not at all (:func:`atomic_output`).

    Parameters
    ----------
    path : str or path
        The file a flag named (``--report``).
    text : str
    what : str
        What it is, for the one-line error (``"--report"``).

    Returns
    -------
    int
        0, or :data:`EXIT_WRITE_FAILED` after one line on stderr when it cannot be written (full disk, a
        folder that went away, a target that is not a regular file): never a traceback, never half a file.
    """
    from numeric.errors import ParameterError

    try:
        with atomic_output(path, flag=what) as tmp:
            with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_TRUNC), "w", encoding="utf-8") as fh:
                fh.write(text)
        return 0
    except ParameterError as exc:
        reason = "not a regular file" if "regular file" in exc.allowed else f"it must be {exc.allowed}"
        print(f"tunnelkit: {what}: cannot write {os.fspath(path)!r}: {reason}", file=sys.stderr)
    except OSError as exc:
        print(f"tunnelkit: {what}: cannot write {os.fspath(path)!r}: {exc.strerror or exc}", file=sys.stderr)
    return EXIT_WRITE_FAILED


@contextlib.contextmanager
def atomic_output(out: str | os.PathLike, *, flag: str = "out") -> Iterator[str]:
    """A temporary file next to ``out``, renamed onto ``out`` only when the block succeeds.

    The folder is checked by creating the temporary file *before* the block runs, so
    a missing or unwritable folder is refused before any work
    (:class:`numeric.errors.ParameterError` naming ``flag``); an exception or an
    interrupt inside the block removes the temporary file and leaves ``out``
    untouched, so nothing is ever half-written.

    Parameters
    ----------
    out
        The file to write.
    flag
        Name of the option the path came from, for the error message.

    Yields
    ------
    str
        Path of the temporary file to write into.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_output(d / "a.txt") as tmp:
    ...     _ = pathlib.Path(tmp).write_text("done")
    >>> sorted(p.name for p in d.iterdir()), (d / "a.txt").read_text()
    (['a.txt'], 'done')
    """
    from numeric.errors import ParameterError

    path = Path(out)
    folder = path.parent
    if path.is_dir():
        raise ParameterError(flag, "a file name, not a folder", str(out))
    if os.path.lexists(path) and (path.is_symlink() or not path.is_file()):  # a device, FIFO or link: never replaced
        raise ParameterError(flag, "a regular file (it exists and is not one)", str(out))
    if not folder.is_dir():
        raise ParameterError(flag, "a file in an existing folder", str(out))
    if path.exists() and not os.access(path, os.W_OK):
        raise ParameterError(flag, "a writable file (it exists and is read-only)", str(out))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise ParameterError(flag, f"a file in a writable folder ({exc.strerror})", str(out)) from None
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # the permissions a plain open() would have given
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
