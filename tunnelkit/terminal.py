"""Progress bars on the terminal (tqdm) for the long commands: figure, verify, pair-ratio, evolve.

A bar is shown on stderr only when stderr is a terminal and the output is not
``--json``; piped or redirected runs print nothing extra.  The bar appears
after :data:`DELAY` seconds (quick runs never flash one) and is erased when
the loop ends.  It is handed to the numeric functions as a progress wrapper
(:mod:`numeric.progress`), so ``numeric`` itself never imports tqdm.

>>> import io
>>> terminal_progress(stream=io.StringIO()) is None   # not a terminal
True
"""
from __future__ import annotations

import functools
import sys
from typing import IO, Optional

from numeric.progress import Progress

__all__ = ["terminal_progress", "DELAY"]

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
