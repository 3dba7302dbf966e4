"""Progress bars: on the terminal (tqdm) for the long commands, and ``progress=True`` in Python.

The command line: figure, verify, pair-ratio, evolve.

A bar is shown on stderr only when stderr is a terminal and the output is not
``--json``; piped or redirected runs print nothing extra.  The bar appears
after :data:`DELAY` seconds (quick runs never flash one) and is erased when
the loop ends.  It is handed to the numeric functions as a progress wrapper
(:mod:`numeric.progress`), so ``numeric`` itself never imports tqdm.

In Python (a notebook or a script), the long functions take ``progress=``: ``True`` draws a
``tqdm.auto`` bar (a widget in Jupyter, a text bar elsewhere), ``False``/``None`` (the default) nothing,
and any callable with tqdm's call signature is used as given (:func:`progress_option`).

>>> import io
>>> terminal_progress(stream=io.StringIO()) is None   # not a terminal
True
>>> progress_option(False) is None and progress_option(None) is None
True
"""
from __future__ import annotations

import functools
import sys
from typing import IO, Any, Callable, Optional, TypeVar

from numeric.progress import Progress

__all__ = ["terminal_progress", "DELAY", "progress_option", "with_progress_option"]

F = TypeVar("F", bound=Callable[..., Any])

#: seconds before a bar is drawn
DELAY = 1.0


def terminal_progress(*, quiet: bool = False, stream: Optional[IO[str]] = None) -> Optional[Progress]:
    """A tqdm progress wrapper writing to ``stream`` (default stderr), or None.

    Parameters
    ----------
    quiet
        No progress whatever the stream (``--json``).
    stream
        Where bars go; default ``sys.stderr`` at call time.

    Returns
    -------
    Progress or None
        ``tqdm`` bound to the stream when it is a terminal, else None.
    """
    stream = sys.stderr if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    if quiet or isatty is None or not isatty():
        return None
    from tqdm import tqdm

    return functools.partial(tqdm, file=stream, leave=False, delay=DELAY, dynamic_ncols=True)


def progress_option(progress: bool | Progress | None) -> Optional[Progress]:
    """The progress wrapper a ``progress=`` argument asks for.

    Parameters
    ----------
    progress : bool, callable or None
        ``True``: a ``tqdm.auto`` bar (notebook widget or terminal bar); ``False`` or ``None``: no bar; a
        callable with tqdm's call signature (:mod:`numeric.progress`): itself.

    Returns
    -------
    Progress or None
        What :func:`numeric.progress.tracked` takes.
    """
    if progress is None or progress is False:
        return None
    if progress is True:
        import tqdm.auto

        return tqdm.auto.tqdm
    if callable(progress):
        return progress
    raise TypeError(f"progress: expected True, False, None or a tqdm-like callable (got {type(progress).__name__})")


def with_progress_option(func: F) -> F:
    """``func`` (which takes a progress wrapper as ``progress=``) taking ``progress=True`` as well.

    Parameters
    ----------
    func : callable
        A function of :mod:`numeric` with a ``progress`` keyword (a wrapper or None).

    Returns
    -------
    callable
        The same function, its ``progress`` read by :func:`progress_option` (same signature and docstring).
    """

    @functools.wraps(func)
    def wrapper(*args: Any, progress: bool | Progress | None = None, **options: Any) -> Any:
        return func(*args, progress=progress_option(progress), **options)

    return wrapper  # type: ignore[return-value]
