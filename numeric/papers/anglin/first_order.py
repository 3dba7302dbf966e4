r"""The ``evolve`` observables to leading order in the weak links, in closed form (anglin Sec. V).

Split the finite lattice's :math:`h_{\rm eff}` into its three blocks -- the left and right
ends (N sites, hopping 1, Hermitian) and the inner chain :math:`C` (sites -M .. M, the
loss at 0) -- and the two weak links :math:`\tau_1V`.  The initial orbitals
:math:`\varphi_p` (energies :math:`\varepsilon_p`) live on the left end.  To first order
in :math:`\tau_1` (Duhamel) the amplitude on the inner site -M is

.. math::

    \psi_p(-M, t) = i\tau_1\varphi_p(1)\,e^{-i\varepsilon_pt}\,
    \big[t\,\varphi_1(Z_pt)\big]_{-M,-M},\qquad Z_p = -i(C - \varepsilon_p),\quad
    \varphi_1(z) = \frac{e^z - 1}{z},\quad \varphi_2(z) = \frac{e^z - 1 - z}{z^2},

so the current :math:`-\frac{d}{dt}\frac{\Delta\mathcal N}{2} = \tau_1\sum_p
{\rm Im}\,[\psi_p^*(-M-1)\psi_p(-M)]` (the right link carries :math:`O(\tau_1^4)`) is

.. math::

    I(t) = \tau_1^2\sum_{p<P}\varphi_p(1)^2\,{\rm Re}\big[t\,\varphi_1(Z_pt)\big]_{-M,-M},\qquad
    \frac{\Delta\mathcal N}{2}(t) = \frac P2 - \tau_1^2\sum_{p<P}\varphi_p(1)^2\,
    {\rm Re}\big[t^2\varphi_2(Z_pt)\big]_{-M,-M},

and the Fig. 7 estimator :math:`\frac12\int_a^bI`, :math:`a = \max(t-1, 0)`,
:math:`b = t+1`, uses :math:`\int_a^b\!\int_0^se^{Zu}du\,ds = (b-a)\,a\,\varphi_1(Za)
+ e^{Za}(b-a)^2\varphi_2(Z(b-a))`.  Every term is :math:`\tau_1^2` times an O(1) number
built from the separate, well-conditioned decompositions of the blocks: no
:math:`\tau_1`-sized component of an eigenvector is ever needed, so the result keeps
full relative accuracy for any :math:`\tau_1` on any LAPACK/BLAS build, and
:math:`\varphi_{1,2}` are evaluated without cancellation at and near :math:`z = 0`
(a level of the end degenerate with one of the inner chain).

The neglected terms are relatively :math:`O((\tau_1t)^2)`: the Dyson series of
:math:`e^{-ih_{\rm eff}t}` in :math:`\tau_1V` converges like :math:`(\|V\|\tau_1t)^n/n!`
because :math:`e^{-ih_0t}` is a contraction (the loss only damps), and the amplitudes
next to the links carry the even and odd orders separately.  :data:`FIRST_ORDER_TAU1_T`
bounds :math:`\tau_1(t+1)` so that they stay below the double-precision rounding.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla

__all__ = ["FIRST_ORDER_TAU1_T", "InnerSpectrum", "FirstOrderWeakLink", "phi1", "phi2", "expm_shifted"]

#: first order in the weak links is used where tau1 (t + 1) <= this (t + 1: the reach of the Fig. 7
#: estimator); the first neglected terms are below 0.33 (tau1 (t + 1))^2 <= 8e-18 relative (the
#: coefficient measured against 50-digit mpmath: tests/numeric/papers/test_dynamics.py)
FIRST_ORDER_TAU1_T = 5e-9

#: |z| below which phi2 is summed as its Taylor series (terms z^k/(k+2)!, 20 of them: < 1e-20)
_PHI2_SERIES_RADIUS = 1.0
_PHI2_SERIES_TERMS = 20


def phi1(z: np.ndarray) -> np.ndarray:
    r""":math:`\varphi_1(z) = (e^z - 1)/z` (1 at 0), without cancellation near 0, elementwise.

    Parameters
    ----------
    z
        Complex numbers with :math:`{\rm Re}\,z \le 0` (no overflow then).

    Returns
    -------
    numpy.ndarray
        :math:`\varphi_1(z)`, complex.

    >>> complex(phi1(np.array(1e-20j))), complex(phi1(np.array(0j)))
    ((1+5e-21j), (1+0j))
    """
    z = np.asarray(z, dtype=complex)
    zero = z == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(zero, 1.0 + 0j, np.expm1(z) / np.where(zero, 1.0, z))


def phi2(z: np.ndarray) -> np.ndarray:
    r""":math:`\varphi_2(z) = (e^z - 1 - z)/z^2` (1/2 at 0): its Taylor series for :math:`|z| < 1`.

    Parameters
    ----------
    z
        Complex numbers with :math:`{\rm Re}\,z \le 0`.

    Returns
    -------
    numpy.ndarray
        :math:`\varphi_2(z)`, complex.

    >>> complex(phi2(np.array(0j))), abs(complex(phi2(np.array(-2.0 + 0j))) - (np.exp(-2) + 1) / 4) < 1e-16
    ((0.5+0j), True)
    """
    z = np.asarray(z, dtype=complex)
    small = np.abs(z) < _PHI2_SERIES_RADIUS
    series = np.zeros_like(z)
    term = np.full_like(z, 0.5)
    zs = np.where(small, z, 0)
    for k in range(_PHI2_SERIES_TERMS):  # z^k/(k+2)!, summed from the largest term on
        series += term
        term = term * zs / (k + 3)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        zb = np.where(small, 1.0, z)
        direct = (np.expm1(zb) - zb) / (zb * zb)
    return np.where(small, series, direct)


@dataclass(frozen=True)
class InnerSpectrum:
    r""":math:`[f(C)]_{-M,-M} = \sum_j w_jf(d_j) + \sum_{(T,u,v)}u^Tf(T)v` for the inner chain C.

    ``energies``/``weights``: the well-conditioned eigenvalues :math:`d_j` and their weights
    (right times left eigenvector at site -M); ``blocks``: small matrices T (an ill-conditioned
    Schur block near an exceptional point of C, or C's sector itself) with the vectors u, v.
    """

    energies: np.ndarray
    weights: np.ndarray
    blocks: tuple[tuple[np.ndarray, np.ndarray, np.ndarray], ...] = ()


def expm_shifted(A: np.ndarray) -> np.ndarray:
    r""":math:`e^{A} = e^{\mu}e^{A-\mu}` with :math:`\mu = \mathrm{tr}A/k`, for a non-normal k x k matrix.

    Scaling and squaring loses up to ~1e-10 relative on a nearly defective triangular
    block whose common diagonal dominates (measured against 30-digit mpmath); taking the
    mean eigenvalue out exactly first keeps it at ~1e-16.

    >>> A = np.array([[-4.0, 3.0], [0.0, -4.0]])   # a Jordan block: e^A = e^-4 (1 + [[0, 3], [0, 0]])
    >>> bool(np.allclose(expm_shifted(A), np.exp(-4.0) * np.array([[1.0, 3.0], [0.0, 1.0]]), rtol=1e-14, atol=0))
    True
    """
    mu = np.trace(A) / len(A)
    return np.exp(mu) * sla.expm(A - mu * np.eye(len(A)))


def _block_functions(Z: np.ndarray, s: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(e^{Zs}, s phi1(Zs), s^2 phi2(Zs)) of a small matrix Z.

    Where the smallest singular value of Zs is >= 1 (no cancellation in e^{Zs} - 1):
    phi1 = (Zs)^{-1}(e^{Zs} - 1), phi2 = (Zs)^{-1}(phi1 - 1) with the mean-shifted exponential
    (``expm`` of the augmented matrix loses ~1e-10 on a nearly defective block at s ||Z|| ~ 10);
    below, where no squaring amplifies, one ``expm`` of the augmented matrix
    [[Zs, 1, 0], [0, 0, 1], [0, 0, 0]] = [[e^{Zs}, phi1, phi2], ...].
    """
    k = len(Z)
    if s > 0 and np.linalg.svd(Z * s, compute_uv=False).min() >= 1:
        E = expm_shifted(Z * s)
        f1 = np.linalg.solve(Z * s, E - np.eye(k))
        return E, s * f1, s * s * np.linalg.solve(Z * s, f1 - np.eye(k))
    A = np.zeros((3 * k, 3 * k), dtype=complex)
    A[:k, :k] = Z * s
    A[:k, k:2 * k] = A[k:2 * k, 2 * k:] = np.eye(k)
    E = sla.expm(A)
    return E[:k, :k], s * E[:k, k:2 * k], s * s * E[:k, 2 * k:]


class FirstOrderWeakLink:
    """dN/2, the current and the Fig. 7 estimator to first order in the weak links (module docstring).

    Parameters
    ----------
    tau1
        Weak-link hopping.
    inner
        Spectral form of the inner chain's site -M (:class:`InnerSpectrum`).
    left_energies, left_boundary
        Energies :math:`\\varepsilon_p` of the initial orbitals (ascending) and their amplitudes
        :math:`\\varphi_p(1)` on the site next to the link.

    >>> from numeric.papers.anglin.first_order import InnerSpectrum
    >>> w = FirstOrderWeakLink(1e-100, InnerSpectrum(np.array([0j]), np.array([1.0 + 0j])),
    ...                        np.array([0.0]), np.array([1.0]))
    >>> [float(v) for v in w.values(1, 3.0)]   # resonant, no loss: dN/2 = 1/2 - tau1^2 t^2/2, I = tau1^2 t
    [0.5, 3e-200, 3e-200]
    """

    def __init__(self, tau1: float, inner: InnerSpectrum, left_energies: np.ndarray,
                 left_boundary: np.ndarray) -> None:
        self.tau1 = float(tau1)
        self.inner = inner
        self.eps = np.asarray(left_energies, dtype=float)
        self.weight = np.asarray(left_boundary, dtype=float) ** 2

    def _integrals(self, P: int, t: float) -> np.ndarray:
        """[t phi1(Zt), t^2 phi2(Zt), (b-a) a phi1(Za) + e^{Za}(b-a)^2 phi2(Z(b-a))]_{-M,-M}, one row per p < P."""
        a, b = max(t - 1.0, 0.0), t + 1.0
        eps = self.eps[:P]
        out = np.zeros((P, 3), dtype=complex)
        if len(self.inner.energies):
            z = -1j * (self.inner.energies[None, :] - eps[:, None])
            w = self.inner.weights[None, :]
            out[:, 0] = (w * (t * phi1(z * t))).sum(axis=1)
            out[:, 1] = (w * (t * t * phi2(z * t))).sum(axis=1)
            fd = (b - a) * a * phi1(z * a) + np.exp(z * a) * (b - a) ** 2 * phi2(z * (b - a))
            out[:, 2] = (w * fd).sum(axis=1)
        for T, u, v in self.inner.blocks:  # small blocks: phi functions of the matrix, per orbital
            for p in range(P):
                Z = -1j * (T - eps[p] * np.eye(len(T)))
                _, f1, f2 = _block_functions(Z, t)
                ea, fa, _ = _block_functions(Z, a)
                _, _, fb = _block_functions(Z, b - a)
                out[p] += [u @ f1 @ v, u @ f2 @ v, u @ ((b - a) * fa + ea @ fb) @ v]
        return out

    def values(self, P: int, t: float) -> tuple[float, float, float]:
        """(dN/2, current, current_fd) at time ``t`` for the lowest ``P`` orbitals."""
        if P == 0:
            return 0.0, 0.0, 0.0
        s = self.weight[:P] @ self._integrals(P, t).real
        tau1 = self.tau1
        return (P / 2 - tau1 * (tau1 * s[1]), tau1 * (tau1 * s[0]), tau1 * (tau1 * s[2]) / 2)
