"""Optional progress reporting for long loops, with no dependency.

A *progress wrapper* is any callable with the call signature of ``tqdm``:
``progress(iterable, total=None, desc=None)`` returning an iterable that
yields the same items (and shows how far the loop got).  Functions with
long loops accept ``progress=None`` and iterate through :func:`tracked`;
the application plugs in ``tqdm`` (``tunnelkit.progress``), a test a
recorder, and nothing is printed by default.

>>> seen = []
>>> def record(items, total=None, desc=None):
...     seen.append((total, desc))
...     return items
>>> [2 * x for x in tracked(range(3), record, desc="doubling")]
[0, 2, 4]
>>> seen
[(3, 'doubling')]
>>> list(tracked(range(2), None))
[0, 1]
"""
from __future__ import annotations

from typing import Callable, Iterable, Optional, TypeVar

__all__ = ["Progress", "tracked"]

T = TypeVar("T")

#: ``progress(iterable, total=None, desc=None) -> iterable`` (tqdm's call signature)
Progress = Callable[..., Iterable]


def tracked(items: Iterable[T], progress: Optional[Progress], *, total: int | None = None,
            desc: str | None = None) -> Iterable[T]:
    """``items`` passed through the progress wrapper ``progress`` (unchanged when it is None).

    Parameters
    ----------
    items
        The loop's iterable.
    progress
        A wrapper with tqdm's call signature, or None (no reporting).
    total
        Number of items (default ``len(items)`` when it has one).
    desc
        Short label of the loop.

    Returns
    -------
    Iterable
        The same items, in the same order.
    """
    if progress is None:
        return items
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    return progress(items, total=total, desc=desc)
