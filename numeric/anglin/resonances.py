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

import math
from functools import lru_cache

import numpy as np

from numeric.anglin.device import build_device, lead_bloch_factor
from numeric.anglin.parameters import LossyLattice

__all__ = ["poles", "breakpoints"]

#: up to this many chain sites the iteration starts from dense eigenvalues (O(M^3)), beyond from perturbation theory
_DENSE_START = 65


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
    diag, off = np.diagonal(dev.H).copy(), np.diagonal(dev.H, 1).copy()
    e2 = off * np.diagonal(dev.H, -1)  # products of the off-diagonal pairs
    t2 = lat.tau1**2

    def sigma(x, eps):
        return -t2 * lead_bloch_factor(x, eps, lat.Lambda)

    if diag.size <= _DENSE_START:  # start: eigenvalues of the lossy chain (strong loss is no perturbation)
        z = np.linalg.eigvals(dev.H).astype(complex)
    else:  # long chains: eigenvalues of the Hermitian part shifted to first order by loss and leads, O(M^2)
        from scipy.linalg import eigvalsh_tridiagonal  # (imported here: scipy.linalg takes ~0.3 s to import)

        ev = eigvalsh_tridiagonal(diag.real, off.real)
        weight = _eigenvector_weights(ev, diag.real, off.real)
        z = ev + 1j * (weight * diag.imag[:, None]).sum(axis=0)
        z += weight[0] * sigma(ev, dev.eps_left) + weight[-1] * sigma(ev, dev.eps_right)
    active = np.ones(z.size, dtype=bool)
    for _ in range(max_steps):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        zi = z[idx]
        x = zi.real
        d_first, d_last = diag[0] + sigma(x, dev.eps_left), diag[-1] + sigma(x, dev.eps_right)
        with np.errstate(all="ignore"):
            newton = 1 / _log_derivative(zi, diag, e2, d_first, d_last)
            repel = np.zeros(idx.size, dtype=complex)
            for start in range(0, idx.size, 256):  # sum_{j != i} 1/(z_i - z_j) in row blocks
                rows = slice(start, start + 256)
                inv = 1 / (zi[rows, None] - z[None, :])
                inv[np.arange(inv.shape[0]), idx[rows]] = 0
                repel[rows] = inv.sum(axis=1)
            step = newton / (1 - newton * repel)
        # a start exactly on a zero of a leading minor: a small kick into the lower half plane
        step = np.where(np.isfinite(step), step, (1e-12 + 1e-9j) * np.maximum(1, np.abs(zi)))
        z[idx] = zi - step
        active[idx] = np.abs(step) > tol * np.maximum(1, np.abs(zi))
    return z[np.argsort(z.real, kind="stable")]


def _eigenvector_weights(ev: np.ndarray, diag: np.ndarray, off: np.ndarray) -> np.ndarray:
    """|v_k|^2 of the normalised eigenvectors of a real symmetric tridiagonal matrix (rows k, columns ev).

    Forward recurrence :math:`v_{k+1} = ((\\lambda - d_k)v_k - e_{k-1}v_{k-1})/e_k`
    from :math:`v_0 = 1`, rescaled as it goes (adequate for the extended states of a chain).
    """
    n = diag.size
    v = np.zeros((n, ev.size))
    v[0] = 1.0
    for k in range(n - 1):
        prev = v[k - 1] * off[k - 1] if k else 0.0
        v[k + 1] = ((ev - diag[k]) * v[k] - prev) / off[k]
        if k % 32 == 0:
            big = np.abs(v[k + 1]) > 1e100
            if big.any():
                v[:, big] *= 1e-100
    v *= v
    return v / v.sum(axis=0)


def _log_derivative(z: np.ndarray, diag: np.ndarray, e2: np.ndarray, d_first: np.ndarray,
                    d_last: np.ndarray) -> np.ndarray:
    r""":math:`D'(z)/D(z)` of the tridiagonal determinant by the ratio recurrence.

    :math:`r_k = (z - d_k) - e_{k-1}^2/r_{k-1}` (:math:`r_k = D_k/D_{k-1}`),
    :math:`r_k' = 1 + e_{k-1}^2 r_{k-1}'/r_{k-1}^2`, :math:`D'/D = \sum_k r_k'/r_k`.
    """
    n = diag.size
    r = z - (d_first if n > 1 else d_first + d_last - diag[0])
    dr = np.ones_like(z)
    acc = dr / r
    q, tmp = np.empty_like(z), np.empty_like(z)
    for k in range(1, n):  # in place: O(M) small ufunc calls per step dominate for long chains
        np.divide(e2[k - 1], r, out=q)
        np.multiply(dr, q, out=dr)
        np.divide(dr, r, out=dr)
        dr += 1
        np.subtract(z, d_last if k == n - 1 else diag[k], out=r)
        r -= q
        np.divide(dr, r, out=tmp)
        acc += tmp
    return acc  # an exact zero of a leading minor gives inf/nan: the caller kicks that start


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
    p = poles(lat)
    width = np.maximum(np.abs(p.imag), 1e-300)
    x = p.real
    gaps = np.diff(x)
    reach = np.minimum(np.concatenate([[np.inf], gaps]), np.concatenate([gaps, [np.inf]])) / 2
    reach = np.minimum(reach, hi - lo)
    steps = np.floor(np.log(np.maximum(reach / width, 1.0)) / math.log(ratio)).astype(int)
    pts = [np.array([-2.0, 2.0]), x]
    for k in range(int(steps.max(initial=-1)) + 1):
        m = steps >= k
        pts += [x[m] - width[m] * ratio**k, x[m] + width[m] * ratio**k]
    pts = np.unique(np.concatenate(pts))
    return pts[(pts > lo) & (pts < hi)]
