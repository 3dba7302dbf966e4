"""Errors raised for invalid physical parameters.

Every invalid parameter raises :class:`ParameterError`, which names the
parameter and its allowed range; the CLI turns it into one line on stderr
and exit status 2.
"""
from __future__ import annotations

import math

__all__ = ["ParameterError", "require"]


class ParameterError(ValueError):
    """A parameter outside its allowed range.

    >>> str(ParameterError("tau1", "a finite number > 0", -1.0))
    'tau1 must be a finite number > 0 (got -1.0)'
    """

    def __init__(self, name: str, allowed: str, value: object) -> None:
        self.name, self.allowed, self.value = name, allowed, value
        super().__init__(f"{name} must be {allowed} (got {value})")


def require(name: str, value: float, *, lo: float = -math.inf, hi: float = math.inf,
            lo_open: bool = False, allow_inf: bool = False, allowed: str | None = None) -> float:
    """Check ``value`` against a range; NaN is always rejected.

    >>> require("gamma", 0.5, lo=0)
    0.5
    >>> require("Lambda", float("inf"), lo=1, allow_inf=True)
    inf
    """
    text = allowed or _describe(lo, hi, lo_open, allow_inf)
    v = float(value)
    bad = (
        math.isnan(v)
        or (math.isinf(v) and not allow_inf)
        or v < lo
        or (lo_open and v == lo)
        or v > hi
    )
    if bad:
        raise ParameterError(name, text, value)
    return v


def _describe(lo: float, hi: float, lo_open: bool, allow_inf: bool) -> str:
    parts = []
    if lo > -math.inf:
        parts.append(f"{'>' if lo_open else '>='} {lo:g}")
    if hi < math.inf:
        parts.append(f"<= {hi:g}")
    base = "a number" if allow_inf else "a finite number"
    rng = " and ".join(parts)
    return f"{base} {rng}".strip() + (" (inf allowed)" if allow_inf else "")
