"""The lossy lattice of ``anglin`` as a validated parameter set.

Model (units: hbar = 1, energies in units of the middle-chain hopping tau):
a middle chain of 2M+1 sites with hopping 1 and loss rate ``gamma`` on the
central site, weak links ``tau1*sqrt(Lambda)`` to semi-infinite outer
lattices of hopping ``Lambda`` with on-site potential +V/2 (left) and -V/2
(right).  ``Lambda = inf`` is the reservoir limit.  The weak links join sites
+-M to +-(M+1) (erratum ``anglin:2``: as printed, Eq. (2) puts them one bond
further out).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from numeric.errors import ParameterError, require

__all__ = ["LossyLattice"]


@dataclass(frozen=True)
class LossyLattice:
    """Parameters of the lossy lattice (anglin:1-3, corrected weak-link placement).

    >>> LossyLattice(M=2, tau1=0.1, gamma=5.0, Lambda=math.inf, V=1.0).infinite
    True
    >>> LossyLattice(M=-1, tau1=0.1, gamma=0.5)
    Traceback (most recent call last):
    ...
    numeric.errors.ParameterError: M must be an integer >= 0 (got -1)
    """

    M: int
    tau1: float
    gamma: float
    Lambda: float = 1.0
    V: float = 0.0

    def __post_init__(self) -> None:
        integral = isinstance(self.M, (int, np.integer)) or (isinstance(self.M, float) and self.M.is_integer())
        if isinstance(self.M, bool) or not integral or self.M < 0:
            raise ParameterError("M", "an integer >= 0", self.M)
        object.__setattr__(self, "M", int(self.M))
        object.__setattr__(self, "tau1", require("tau1", self.tau1, lo=0, lo_open=True))
        object.__setattr__(self, "gamma", require("gamma", self.gamma, lo=0))
        object.__setattr__(self, "Lambda", require("Lambda", self.Lambda, lo=1, allow_inf=True))
        object.__setattr__(self, "V", require("V", self.V))

    @property
    def infinite(self) -> bool:
        """True in the reservoir limit Lambda -> oo."""
        return math.isinf(self.Lambda)

    def lead_band(self, side: str) -> tuple[float, float]:
        """Band of the outer lattice on ``side``: :math:`\\pm V/2 + [-2\\Lambda, 2\\Lambda]`."""
        shift = self.V / 2 if side == "L" else -self.V / 2
        return (shift - 2 * self.Lambda, shift + 2 * self.Lambda)
