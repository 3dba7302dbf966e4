"""Reusable work buffers for array kernels evaluated block by block.

NumPy allocates a fresh array for every intermediate result.  On grids
evaluated in cache-sized blocks, the C allocator hands the freed blocks back
to the operating system and the next block page-faults them in again; with
the transmission pipeline that churn cost more than the arithmetic
(``benchmarks/README.md``, benchmark (f)).  Kernels therefore take an optional
``workspace`` dict: with it, every intermediate lives in a buffer that is kept
between calls of the same shape; without it (the default) they allocate as
usual.  Arrays returned by a kernel called with a workspace may be buffers of
that workspace: they are overwritten by the next call with the same workspace.
"""
from __future__ import annotations

import numpy as np

__all__ = ["buffer"]


def buffer(workspace: dict | None, key: str, shape: tuple[int, ...], dtype=float) -> np.ndarray:
    """An uninitialised array of ``shape`` and ``dtype``, kept in ``workspace[key]`` if a workspace is given.

    >>> ws = {}
    >>> a = buffer(ws, "x", (3,)); b = buffer(ws, "x", (3,))
    >>> a is b, buffer(None, "x", (3,)) is a
    (True, False)
    """
    if workspace is None:
        return np.empty(shape, dtype=dtype)
    arr = workspace.get(key)
    if arr is None or arr.shape != shape or arr.dtype != np.dtype(dtype):
        arr = workspace[key] = np.empty(shape, dtype=dtype)
    return arr
