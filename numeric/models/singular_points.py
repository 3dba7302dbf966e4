r"""The continuous limit of the Green's function at a decoupled state: the reduced resolvent.

A region eigenstate with no
weight on any lead site (a decoupled state, a bound state in the continuum)
is an eigenvector :math:`\psi` of :math:`\omega-H-\Sigma(\omega)` with
eigenvalue 0 at :math:`\omega=E` for every lead self-energy, so
:math:`A=E-H-\Sigma(E)` is singular although S is continuous there.  Near
:math:`E` (Keldysh; :math:`A'(E)\psi=\psi` because :math:`\Sigma'` acts on lead
sites only)

.. math:: G(\omega) = \frac{V_0(U_0^\dagger V_0)^{-1}U_0^\dagger}{\omega-E} + R + O(\omega-E),
          \qquad \begin{pmatrix} A & V_0\\ U_0^\dagger & 0\end{pmatrix}
          \begin{pmatrix} R\\ M\end{pmatrix} = \begin{pmatrix} 1\\ 0\end{pmatrix},

with :math:`V_0` and :math:`U_0` the right and left null vectors of :math:`A`
(:math:`AV_0 = 0`, :math:`U_0^\dagger A=0`; from an SVD).  The bordered
system defines the regular part :math:`R` (the reduced resolvent).  Every
element whose pole residue :math:`[V_0(U_0^\dagger V_0)^{-1}U_0^\dagger]_{ij}`
vanishes -- all lead-site elements, so S, T2, R2, and the columns that
``absorbed`` uses, when the state does not touch a lead site -- has the
continuous limit :math:`G_{ij}(E) = R_{ij}`; an element with a pole is NaN (no
limit).  The solver (:func:`numeric.models.greens.solve`) uses it only where the plain solve fails (an exactly
singular matrix: LAPACK's zero pivot, mpmath's "numerically singular"); a
point that is singular affects only itself.  Next to such a point the plain
solve is accurate: the rounding error along :math:`\psi` has no weight on the
lead sites.  (Regions beyond :data:`REDUCED_MAX` sites give NaN at such a
point instead.)
"""
from __future__ import annotations

from typing import Any

import mpmath
import numpy as np

from numeric.precision import backend_of

__all__ = ["reduced_resolvent", "solve_batch", "singular_sparse", "REDUCED_MAX"]

#: largest region whose exactly singular points are solved by the (dense) reduced resolvent
REDUCED_MAX = 2000


def reduced_resolvent(A: Any, B: Any) -> Any:
    r"""The continuous limit of :math:`A^{-1}B` at a singular :math:`A = \omega - H - \Sigma` (module doc).

    .. math:: \begin{pmatrix} A & V_0\\ U_0^\dagger & 0\end{pmatrix}
              \begin{pmatrix} X\\ M\end{pmatrix} = \begin{pmatrix} B\\ 0\end{pmatrix},
              \qquad X = RB,

    :math:`V_0`, :math:`U_0` the right and left singular vectors of the singular values below
    ``64 n eps`` of the largest; rows i of column j with a pole residue
    :math:`[V_0(U_0^\dagger V_0)^{-1}U_0^\dagger B]_{ij}` above ``sqrt(eps)`` of the largest entry
    of :math:`B` are NaN.

    Parameters
    ----------
    A : ndarray (n, n) or mpmath.matrix
        The matrix (mpmath: at the working precision).
    B : ndarray (n, m) or mpmath.matrix
        Right-hand sides.

    Returns
    -------
    ndarray (n, m) or mpmath.matrix
        :math:`RB` where it is the limit, NaN where :math:`A^{-1}B` has a pole.

    >>> A = np.diag([0.0, 2.0]).astype(complex)        # state 0 decoupled, at its energy
    >>> reduced_resolvent(A, np.array([[0.0], [1.0]])).real.ravel().tolist()
    [0.0, 0.5]
    >>> np.isnan(reduced_resolvent(A, np.array([[1.0], [0.0]]))).ravel().tolist()   # a pole: no limit
    [True, False]
    """
    return backend_of(A).pick(_reduced_resolvent_np, _reduced_resolvent_mp)(A, B)


def _reduced_resolvent_np(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """:func:`reduced_resolvent` in doubles (LAPACK's SVD); the mpmath twin works on ``mpmath.matrix``."""
    n, m = B.shape
    U, sv, Vh = np.linalg.svd(A)
    k = int(np.count_nonzero(sv <= 64 * max(n, 1) * np.finfo(float).eps * sv[0])) if n else 0
    if k == 0:
        return Vh.conj().T @ ((U.conj().T @ B) / sv[:, None])
    V0, U0 = Vh[-k:].conj().T, U[:, -k:]
    M = np.zeros((n + k, n + k), dtype=complex)
    M[:n, :n], M[:n, n:], M[n:, :n] = A, V0, U0.conj().T
    rhs = np.zeros((n + k, m), dtype=complex)
    rhs[:n] = B
    try:
        X = np.linalg.solve(M, rhs)[:n]
        residue = V0 @ np.linalg.solve(U0.conj().T @ V0, U0.conj().T @ B)
    except np.linalg.LinAlgError:  # a defective eigenvalue (U0^H V0 singular): no reduced resolvent
        return np.full((n, m), np.nan + 0j)
    scale = max(float(np.max(np.abs(B))), 1e-300)
    return np.where(np.abs(residue) > np.sqrt(np.finfo(float).eps) * scale, np.nan + 1j * np.nan, X)


def _reduced_resolvent_mp(A, B):
    """:func:`reduced_resolvent` in mpmath at the working precision (singular values from ``svd_c``)."""
    n, m = A.rows, B.cols
    U, sv, Vh = mpmath.svd_c(A)
    order = sorted(range(n), key=lambda i: -sv[i])
    smax = sv[order[0]] if n else 0
    null = [i for i in order if sv[i] <= 2 ** 10 * n * mpmath.eps * smax]
    k = len(null)
    M = mpmath.matrix(n + k, n + k)
    for i in range(n):
        for j in range(n):
            M[i, j] = A[i, j]
        for a, c in enumerate(null):
            M[i, n + a] = mpmath.conj(Vh[c, i])  # V0 = rows of Vh, conjugated
            M[n + a, i] = mpmath.conj(U[i, c])  # U0^H
    out = mpmath.matrix(n, m)
    tol = mpmath.sqrt(mpmath.eps) * max([abs(B[i, j]) for i in range(n) for j in range(m)] + [mpmath.mpf(1)])
    try:
        gram = mpmath.matrix(k, k)
        for a, c in enumerate(null):
            for b, d in enumerate(null):
                gram[a, b] = mpmath.fsum(mpmath.conj(U[i, c]) * mpmath.conj(Vh[d, i]) for i in range(n))
        gram_inv = mpmath.inverse(gram) if k else gram
        for j in range(m):
            rhs = mpmath.matrix(n + k, 1)
            for i in range(n):
                rhs[i] = B[i, j]
            x = mpmath.lu_solve(M, rhs)
            proj = [mpmath.fsum(mpmath.conj(U[i, c]) * B[i, j] for i in range(n)) for c in null]
            coef = [mpmath.fsum(gram_inv[a, b] * proj[b] for b in range(k)) for a in range(k)]
            for i in range(n):
                residue = mpmath.fsum(mpmath.conj(Vh[c, i]) * coef[a] for a, c in enumerate(null))
                out[i, j] = mpmath.mpc("nan", "nan") if abs(residue) > tol else x[i]
    except ZeroDivisionError:  # a defective eigenvalue: no reduced resolvent
        for i in range(n):
            for j in range(m):
                out[i, j] = mpmath.mpc("nan", "nan")
    return out


def solve_batch(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``numpy.linalg.solve`` over a batch; an exactly singular matrix takes :func:`reduced_resolvent` alone.

    Parameters
    ----------
    A : ndarray (k, n, n)
    B : ndarray (k, n, m)

    Returns
    -------
    ndarray (k, n, m)
        :math:`A^{-1}B`, or its limit at the singular matrices (NaN where it has a pole).
    """
    try:
        X = np.linalg.solve(A, B)
    except np.linalg.LinAlgError:
        X = np.full(B.shape, np.nan + 0j)
    bad = ~np.all(np.isfinite(X), axis=(1, 2))
    for k in np.flatnonzero(bad):
        try:
            X[k] = np.linalg.solve(A[k], B[k])
            if np.all(np.isfinite(X[k])):
                continue
        except np.linalg.LinAlgError:
            pass
        X[k] = reduced_resolvent(A[k], B[k])
    return X


def singular_sparse(Hc, wk: float, sig: np.ndarray, B: np.ndarray) -> np.ndarray:
    r""":func:`reduced_resolvent` of a large region at one energy (dense, up to :data:`REDUCED_MAX` sites).

    Parameters
    ----------
    Hc : scipy.sparse matrix
        The region Hamiltonian.
    wk : float
        The energy.
    sig : ndarray (n,)
        The lead self-energies on the diagonal.
    B : ndarray (n, m)
        Right-hand sides.

    Returns
    -------
    ndarray (n, m)
        The limit of :math:`(\omega - H - \Sigma)^{-1}B` (NaN where it has a pole, or beyond REDUCED_MAX).
    """
    n = Hc.shape[0]
    if n > REDUCED_MAX:
        return np.full(B.shape, np.nan + 0j)
    A = wk * np.eye(n) - Hc.toarray() - np.diag(sig)
    return reduced_resolvent(A, B)
