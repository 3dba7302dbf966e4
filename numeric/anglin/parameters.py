"""The lossy lattice of ``anglin`` as a validated parameter set.

Model (units: hbar = 1, energies in units of the middle-chain hopping tau):
a middle chain of 2M+1 sites with hopping 1 and loss rate ``gamma`` on the
central site, weak links ``tau1*sqrt(Lambda)`` to semi-infinite outer
lattices of hopping ``Lambda`` with on-site potential +V/2 (left) and -V/2
(right).  ``Lambda = inf`` is the reservoir limit.  The weak links join sites
+-M to +-(M+1) (erratum ``anglin:2``: as printed, Eq. (2) puts them one bond
further out).

Every parameter is kept twice: exactly (:attr:`LossyLattice.exact`, the
convention of :mod:`numeric.precision`: ``"0.1"`` is 1/10, an mpf its binary
value, a float its exact binary value) for the ``dps=`` paths, and as the
nearest double (``lat.tau1`` ...) for the NumPy path.  The double path
accepts the parameters in :data:`DOUBLE_RANGE` (outside it intermediate
products would over- or underflow); the ``dps=`` paths accept any value.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from fractions import Fraction
from typing import Any, NamedTuple

import mpmath
import numpy as np

from numeric.errors import ParameterError
from numeric.precision import Exact, exact, is_infinite, mp

__all__ = ["LossyLattice", "ExactParameters", "DOUBLE_RANGE", "DOUBLE_MAX_OMEGA", "DOUBLE_MAX_M"]

#: parameter -> (smallest, largest) magnitude the double-precision path accepts (0 and inf where the
#: model allows them), with frequencies |omega| <= DOUBLE_MAX_OMEGA: inside this box the scattering
#: blocks and their products neither over- nor underflow, checked at its corners against the exact
#: Green's function (tests/numeric/test_transmission_exact.py); outside it use dps=
DOUBLE_RANGE = {"tau1": (1e-12, 1e12), "gamma": (0.0, 1e12), "Lambda": (1.0, 1e12), "V": (0.0, 1e12)}
DOUBLE_MAX_OMEGA = 1e20
#: longest chain of the double path: the nearest root index 2 M k / pi must be an exact double
DOUBLE_MAX_M = 10**15


class ExactParameters(NamedTuple):
    """Exact values (:class:`fractions.Fraction`, or ``math.inf`` for Lambda) of the lattice parameters."""

    tau1: Exact
    gamma: Exact
    Lambda: Exact
    V: Exact


def _checked(name: str, value: Any) -> Exact:
    v = exact(value, name)
    rules = {"tau1": ("a finite number > 0", lambda x: x > 0),
             "gamma": ("a finite number >= 0", lambda x: x >= 0),
             "Lambda": ("a number >= 1 (inf allowed)", lambda x: x >= 1),
             "V": ("a finite number", lambda x: True)}
    allowed, ok = rules[name]
    if (is_infinite(v) and not (name == "Lambda" and v > 0)) or not ok(v):
        raise ParameterError(name, allowed, value)
    return v


@lru_cache(maxsize=64)
def _rounded(values: ExactParameters, prec: int) -> ExactParameters:
    """``values`` as mpf correctly rounded to ``prec`` bits (cached: integrands call it at every node)."""
    with mpmath.workprec(prec):
        return ExactParameters(*(mp(x) for x in values))


def _double(x: Exact) -> float:
    try:
        return float(x)
    except OverflowError:
        return math.inf


@dataclass(frozen=True)
class LossyLattice:
    """Parameters of the lossy lattice (anglin:1-3, corrected weak-link placement).

    ``tau1``, ``gamma``, ``Lambda``, ``V`` may be given as ints, decimal
    strings, Fractions, mpf, SymPy numbers or floats; ``lat.tau1`` ... are
    the nearest doubles, ``lat.exact`` the exact values, and
    :meth:`at_working_precision` rounds them to mpf.

    Parameters
    ----------
    M : int
        Half length of the middle chain (2M+1 sites), >= 0.
    tau1 : number
        Weak-link strength, > 0.
    gamma : number
        Loss rate at the central site, >= 0.
    Lambda : number
        Outer hopping, >= 1 or ``"inf"`` (the reservoir limit).
    V : number
        Potential difference between the outer lattices (+V/2 left, -V/2 right).

    >>> lat = LossyLattice(M=2, tau1="0.1", gamma=5, Lambda="inf", V=1.0)
    >>> lat.infinite, lat.tau1, lat.exact.tau1
    (True, 0.1, Fraction(1, 10))
    >>> with mpmath.workdps(30):
    ...     print(lat.at_working_precision().tau1)
    0.1
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
    exact: ExactParameters = field(init=False, repr=False)

    def __post_init__(self) -> None:
        integral = isinstance(self.M, (int, np.integer)) or (isinstance(self.M, float) and self.M.is_integer())
        if isinstance(self.M, bool) or not integral or self.M < 0:
            raise ParameterError("M", "an integer >= 0", self.M)
        object.__setattr__(self, "M", int(self.M))
        ex = ExactParameters(*(_checked(n, getattr(self, n)) for n in ExactParameters._fields))
        object.__setattr__(self, "exact", ex)
        for name, value in zip(ExactParameters._fields, ex):
            object.__setattr__(self, name, _double(value))

    @property
    def infinite(self) -> bool:
        """True in the reservoir limit Lambda -> oo."""
        return math.isinf(self.Lambda)

    def lead_band(self, side: str) -> tuple[float, float]:
        """Band of the outer lattice on ``side``: :math:`\\pm V/2 + [-2\\Lambda, 2\\Lambda]`.

        Parameters
        ----------
        side : {"L", "R"}

        Returns
        -------
        (float, float)
            Lower and upper band edge (infinite in the reservoir limit).
        """
        shift = self.V / 2 if side == "L" else -self.V / 2
        return (shift - 2 * self.Lambda, shift + 2 * self.Lambda)

    def at_working_precision(self) -> ExactParameters:
        """The exact parameters rounded to mpf at the current mpmath working precision (inf -> ``mpmath.inf``)."""
        return _rounded(self.exact, mpmath.mp.prec)

    def check_double_range(self) -> None:
        """Raise :class:`ParameterError` unless every parameter is in :data:`DOUBLE_RANGE` (or 0 / inf where allowed).

        >>> LossyLattice(1, "1e-200", 0.5).check_double_range()
        Traceback (most recent call last):
        ...
        numeric.errors.ParameterError: tau1 must be in [1e-12, 1e+12] in double precision (use dps= / --dps for other values) (got 1e-200)
        """
        if self.M > DOUBLE_MAX_M:
            raise ParameterError("M", f"at most {DOUBLE_MAX_M:.0e} in double precision (use dps= / --dps)", self.M)
        for name, value in zip(ExactParameters._fields, self.exact):
            lo, hi = DOUBLE_RANGE[name]
            size = abs(value)
            if size == 0 or (name == "Lambda" and is_infinite(size)):
                continue
            if not (exact(f"{lo:g}") <= size <= exact(f"{hi:g}")):  # the decimal bounds, exactly
                with mpmath.workdps(15):
                    shown = float(value) if Fraction(10) ** -300 < size < Fraction(10) ** 300 else \
                        mpmath.nstr(mp(value), 6)
                raise ParameterError(name, f"in [{lo:g}, {hi:g}] in double precision (use dps= / --dps for "
                                           f"other values)", shown)
