r"""Complex resonance poles of the lossy chain, used to place quadrature breakpoints.

The poles are the zeros of

.. math:: D(z) = \det\big(z - H_D - \Sigma_L(\operatorname{Re} z) - \Sigma_R(\operatorname{Re} z)\big)

with the device Hamiltonian :math:`H_D` of :mod:`numeric.anglin.device`
(tridiagonal: the middle chain, loss :math:`-i\gamma/2` at its centre) and the
exact lead self-energies :math:`\Sigma = -\tau_1^2\lambda` on the end sites,
frozen at the real part of each pole (self-consistency in
:math:`\operatorname{Re}\omega`).  Their real parts are the transmission peaks
(shifted from the isolated-chain frequencies of Eq. 25 by O(tau1^2)) and
:math:`|\operatorname{Im}|` their half widths.

All 2M+1 poles are found together by the Aberth-Ehrlich iteration

.. math:: z_i \leftarrow z_i - \frac{N_i}{1 - N_i\sum_{j\ne i}(z_i-z_j)^{-1}},\qquad
          N_i = \frac{D(z_i)}{D'(z_i)},

with :math:`D'/D` from the three-term recurrence of the tridiagonal determinant
in ratio form (no overflow), started from the eigenvalues of the Hermitian part
shifted to first order: O(M) per pole and step, O(M^2) per step.  Nothing
here enters a result; a poor pole only costs quadrature effort.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from numeric.anglin.device import build_device, lead_bloch_factor
from numeric.anglin.parameters import LossyLattice
from numeric.pole_search import DENSE_START, breakpoints as general_breakpoints, chain_poles

__all__ = ["poles", "breakpoints"]


def poles(lat: LossyLattice, *, tol: float = 1e-15, max_steps: int = 100) -> np.ndarray:
    """Resonance poles, sorted by real part.

    Parameters
    ----------
    lat
        The lossy lattice.
    tol
        Stop when every Aberth correction is below ``tol * max(1, |z|)``.
    max_steps
        Iteration limit (the poles reached by then are returned).

    Returns
    -------
    ndarray
        2M+1 complex poles (negative imaginary parts: half widths).

    >>> p = poles(LossyLattice(M=1, tau1=0.01, gamma=0.0, Lambda=np.inf))
    >>> [round(float(x), 4) + 0.0 for x in p.real]
    [-1.4142, 0.0, 1.4142]
    >>> bool(abs(p[1].imag + 0.01**2) < 1e-12)   # the middle level: half width tau1^2 (two leads, weight 1/2)
    True
    """
    return _poles(lat, tol, max_steps).copy()


@lru_cache(maxsize=64)
def _poles(lat: LossyLattice, tol: float, max_steps: int) -> np.ndarray:
    dev = build_device(lat)
    diag = np.diagonal(dev.H).copy()
    e2 = np.diagonal(dev.H, 1) * np.diagonal(dev.H, -1)  # products of the off-diagonal pairs
    t2 = lat.tau1**2
    left = lambda x: -t2 * lead_bloch_factor(x, dev.eps_left, lat.Lambda)  # noqa: E731
    right = lambda x: -t2 * lead_bloch_factor(x, dev.eps_right, lat.Lambda)  # noqa: E731
    leads = {0: left} if diag.size > 1 else {0: lambda x: left(x) + right(x)}
    if diag.size > 1:
        leads[diag.size - 1] = right
    return chain_poles(diag, e2, leads, dense=dev.H if diag.size <= DENSE_START else None, tol=tol,
                       max_steps=max_steps)


def breakpoints(lat: LossyLattice, lo: float, hi: float, *, ratio: float = 4.0) -> np.ndarray:
    """Resonance centres, a geometric ladder of half widths around each, and the chain band edges.

    Around a pole :math:`x - i w`: :math:`x \\pm w\\,r^k`, k = 0, 1, ..., while
    :math:`w r^k` stays below half the distance to the neighbouring poles and
    below ``hi - lo`` (panels whose length grows with their distance from the
    pole: Gauss-Legendre converges on each at a rate independent of w).

    Parameters
    ----------
    lat
        The lossy lattice.
    lo, hi
        The interval of interest.
    ratio
        Ratio r of the ladder.

    Returns
    -------
    ndarray
        Sorted unique breakpoints strictly inside (lo, hi).
    """
    return general_breakpoints(poles(lat), lo, hi, ratio=ratio, edges=(-2.0, 2.0))
