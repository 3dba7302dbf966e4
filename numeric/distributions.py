"""Occupation functions of the reservoirs (anglin Eqs. 26-28; Bose-Einstein for Sec. VI).

Conventions: :math:`f(\\omega) = 1/(e^{(\\omega-\\mu)/T}\\pm1)` with ``T`` in
units of the hopping (k_B = 1).  Zero temperature is an exact step,
:math:`\\theta(\\mu-\\omega)` with value 1/2 at :math:`\\omega=\\mu` (Eq. 26-27);
``mu = -inf`` means an empty reservoir.  The printed Eq. (28) has the sign of
:math:`\\mu_L` reversed (erratum ``anglin:28``); the form here is the one whose
:math:`T\\to0` limit is Eq. (27).

Bose statistics require :math:`\\mu` not above the bottom of the lead band;
at T = 0 the thermal occupation vanishes (a condensate at the band bottom has
zero group velocity and carries no current).
"""
from __future__ import annotations

import math
from typing import Literal

import mpmath
import numpy as np
from scipy.special import expit

__all__ = ["Stats", "occupation", "occupation_mp"]

Stats = Literal["fermi", "bose"]


def occupation(omega: np.ndarray, mu: float, T: float, stats: Stats = "fermi") -> np.ndarray:
    """Occupation :math:`f(\\omega)` on a NumPy array.

    >>> occupation(np.array([-1.0, 0.0, 1.0]), 0.0, 0.0)
    array([1. , 0.5, 0. ])
    >>> round(float(occupation(np.array([1.0]), 0.0, 1.0, "bose")[0]), 12)  # 1/(e - 1) = 0.58197670686932...
    0.581976706869
    """
    w = np.asarray(omega, dtype=float)
    if mu == -math.inf:
        return np.zeros_like(w)
    if stats == "fermi":
        if mu == math.inf:
            return np.ones_like(w)
        if T == 0:
            return np.where(w < mu, 1.0, np.where(w > mu, 0.0, 0.5))
        return expit((mu - w) / T)
    if T == 0:
        return np.zeros_like(w)
    with np.errstate(divide="ignore"):
        return 1.0 / np.expm1((w - mu) / T)


def occupation_mp(omega, mu, T, stats: Stats = "fermi"):
    """Occupation at one mpmath point (call inside ``mpmath.workdps``)."""
    if mu == -mpmath.inf:
        return mpmath.mpf(0)
    if stats == "fermi":
        if mu == mpmath.inf:
            return mpmath.mpf(1)
        if T == 0:
            return mpmath.mpf(1) if omega < mu else (mpmath.mpf(0) if omega > mu else mpmath.mpf(1) / 2)
        x = (omega - mu) / T
        return 1 / (mpmath.exp(x) + 1) if x < 0 else mpmath.exp(-x) / (1 + mpmath.exp(-x))
    if T == 0:
        return mpmath.mpf(0)
    return 1 / mpmath.expm1((omega - mu) / T)
