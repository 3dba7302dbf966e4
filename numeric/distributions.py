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
from typing import Any, Literal

import numpy as np

from numeric.precision import DOUBLE, Backend, as_backend

__all__ = ["Stats", "occupation"]

Stats = Literal["fermi", "bose"]


def occupation(omega: Any, mu: Any, T: Any, stats: Stats = "fermi", *, backend: Backend | str = DOUBLE) -> Any:
    r"""Occupation :math:`f(\omega)` on a NumPy array (``DOUBLE``) or at one mpmath point (``MULTI``).

    .. math:: f(\omega) = \frac{1}{e^{(\omega-\mu)/T}\pm 1}\quad\text{(anglin:26-28, Fermi +, Bose -)}

    Parameters
    ----------
    omega : array or mpf
        Frequencies.
    mu, T : float or mpf
        Chemical potential (``-inf``: empty reservoir; Fermi ``+inf``: full) and temperature (0: a step).
    stats : {"fermi", "bose"}
    backend : Backend
        :data:`numeric.precision.DOUBLE` (arrays) or :data:`numeric.precision.MULTI` (call inside ``workdps``).

    Returns
    -------
    array or mpf

    >>> occupation(np.array([-1.0, 0.0, 1.0]), 0.0, 0.0)
    array([1. , 0.5, 0. ])
    >>> round(float(occupation(np.array([1.0]), 0.0, 1.0, "bose")[0]), 12)  # 1/(e - 1) = 0.58197670686932...
    0.581976706869
    """
    xp = as_backend(backend)
    w = xp.asarray(omega)
    zero = 0 * w
    if mu == -math.inf:
        return zero
    if stats == "fermi":
        if mu == math.inf:
            return zero + 1
        if T == 0:
            return xp.where(w < mu, zero + 1, xp.where(w > mu, zero, zero + 0.5))
        x = (mu - w) / T
        small = xp.exp(-abs(x))  # logistic function without overflow
        return xp.where(x >= 0, 1 / (1 + small), small / (1 + small))
    if T == 0:
        return zero
    with np.errstate(divide="ignore"):
        return 1 / xp.expm1((w - mu) / T)
