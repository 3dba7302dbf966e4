"""What model evaluations return: :class:`Transmission` (probabilities over omega) and :class:`Currents`.

Conventions: docs/conventions.md.  With ``dps`` the arrays hold mpmath numbers with the requested digits
(an unsettled value is :class:`numeric.precision.Unsettled`); without, NumPy arrays of doubles.  NaN
(JSON ``null``) is a null value: a quantity of a lead with no propagating mode at that omega.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from numeric.precision import settle_each

__all__ = ["Transmission", "Currents", "settled"]


@dataclass(frozen=True)
class Transmission:
    """``T2["p->q"]``, ``R2["p"]`` and ``absorbed["p"]`` over ``omega`` (docs/conventions.md); NaN is null."""

    omega: Any
    leads: tuple[str, ...]
    T2: dict
    R2: dict
    absorbed: dict
    method: str

    def to_json(self, fmt=None, *, fmt_input=None) -> dict:
        """The JSON object of ``tunnelkit transmission --model``.

        ``fmt`` formats one result, ``fmt_input`` one echoed input (omega; default ``fmt``).
        """
        f = fmt or (lambda x: None if (isinstance(x, float) and math.isnan(x)) else float(x))
        col = lambda xs: [f(x) for x in xs]  # noqa: E731
        return {"omega": [(fmt_input or f)(x) for x in self.omega], "leads": list(self.leads),
                "T2": {k: col(v) for k, v in self.T2.items()}, "R2": {k: col(v) for k, v in self.R2.items()},
                "absorbed": {k: col(v) for k, v in self.absorbed.items()}}


@dataclass(frozen=True)
class Currents:
    """Currents ``I[p]`` out of lead p into the region, the loss rate, an error estimate (docs/conventions.md);
    ``Q[p]`` the energy currents (double precision only; -+inf where the integral diverges)."""

    I: dict
    loss: float
    error_estimate: float
    Q: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        out = {"I": dict(self.I), "loss": self.loss, "error_estimate": self.error_estimate}
        if self.Q:
            out["Q"] = {k: (None if math.isnan(v) else v if math.isfinite(v) else ("inf" if v > 0 else "-inf"))
                        for k, v in self.Q.items()}
        return out


def settled(point: Callable, ws: list, names: Sequence[str], dps: int, *, guard: int) -> dict:
    """``{"omega": ..., name: object array}`` with ``dps`` settled digits of every value
    (:func:`numeric.precision.settle_each`: an unsettled value is :class:`numeric.precision.Unsettled`)."""
    rows, echoed = settle_each(point, ws, dps, guard=guard)
    out: dict[str, Any] = {"omega": np.array(echoed, dtype=object)}
    for k, n in enumerate(names):
        out[n] = np.array([r[k] for r in rows] + [None], dtype=object)[:-1]  # (no broadcasting of tuples)
    return out
