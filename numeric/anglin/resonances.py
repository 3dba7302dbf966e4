"""Complex resonance poles of the lossy chain, used to place quadrature breakpoints.

The poles are the eigenvalues of the effective (non-Hermitian) chain
Hamiltonian :math:`H_D + \\Sigma_L(\\omega) + \\Sigma_R(\\omega)` with the exact
lead self-energies of :mod:`numeric.anglin.device`, iterated to self-consistency in
:math:`\\operatorname{Re}\\omega`.  Their real parts are the transmission peaks
(shifted from the isolated-chain frequencies of Eq. 25 by O(tau1^2)) and
:math:`|\\operatorname{Im}|` their half widths.  Nothing here enters a
result; a poor pole only costs quadrature effort.
"""
from __future__ import annotations

import numpy as np

from numeric.anglin.device import build_device, lead_bloch_factor
from numeric.anglin.parameters import LossyLattice

__all__ = ["poles", "breakpoints"]


def poles(lat: LossyLattice, *, iterations: int = 3) -> np.ndarray:
    """Resonance poles, sorted by real part.

    >>> p = poles(LossyLattice(M=1, tau1=0.01, gamma=0.0, Lambda=np.inf))
    >>> [round(float(x), 4) + 0.0 for x in p.real]
    [-1.4142, 0.0, 1.4142]
    """
    dev = build_device(lat)
    H = dev.H
    E = np.linalg.eigvals(H)
    out = []
    for e in E:
        e_new = e
        for _ in range(iterations):  # follow this branch: nearest eigenvalue in the complex plane
            w = np.array([e_new.real])
            Heff = H.copy()
            Heff[0, 0] -= lat.tau1**2 * lead_bloch_factor(w, dev.eps_left, lat.Lambda)[0]
            Heff[-1, -1] -= lat.tau1**2 * lead_bloch_factor(w, dev.eps_right, lat.Lambda)[0]
            ev = np.linalg.eigvals(Heff)
            e_new = ev[np.argmin(np.abs(ev - e_new))]
        out.append(e_new)
    return np.array(sorted(out, key=lambda z: z.real))


def breakpoints(lat: LossyLattice, lo: float, hi: float) -> np.ndarray:
    """Resonance centres and centre +- (1, 3, 10, 30, 100) half widths inside (lo, hi)."""
    pts = [-2.0, 2.0]
    for p in poles(lat):
        width = max(abs(p.imag), 1e-300)
        for mult in (0.0, 1.0, 3.0, 10.0, 30.0, 100.0):
            pts += [p.real - mult * width, p.real + mult * width]
    pts = np.unique(np.array(pts))
    return pts[(pts > lo) & (pts < hi)]
