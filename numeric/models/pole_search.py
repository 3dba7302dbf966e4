r"""Complex resonance poles of any tight-binding model, used to place quadrature breakpoints.

The poles are the zeros of

.. math:: D(z) = \det\big(z - H - \textstyle\sum_p \Sigma_p(\operatorname{Re} z)\,e_{s_p}e_{s_p}^T\big)

with the region matrix :math:`H` of a :class:`numeric.models.tight_binding.TightBinding`
and the exact lead self-energies :math:`\Sigma_p` (:func:`numeric.models.greens.lead_terms`,
the one Bloch factor) on the lead sites, frozen at the real part of each pole
(self-consistency in :math:`\operatorname{Re}\omega`).  Their real parts are the
transmission peaks and :math:`|\operatorname{Im}|` their half widths.

All n poles are found together by the Aberth-Ehrlich iteration

.. math:: z_i \leftarrow z_i - \frac{N_i}{1 - N_i\sum_{j\ne i}(z_i-z_j)^{-1}},\qquad
          N_i = \frac{D(z_i)}{D'(z_i)},

with :math:`D'/D`

* for a region that some ordering of its sites makes tridiagonal (a chain, segments
  joined end to end, found by reverse Cuthill-McKee): from the three-term
  recurrence of the determinant in ratio form (no overflow), O(n) per pole and step;
* for any other region of at most :data:`DENSE_MAX` sites: :math:`\operatorname{tr}(z - H_{\rm eff})^{-1}`;
* larger regions that are not chains get no poles (the quadrature still adapts).

The start is the spectrum of :math:`H` (dense up to :data:`DENSE_START` sites; for
longer chains the eigenvalues of the Hermitian part shifted to first order by the
imaginary energies and the leads, O(n^2)).  Nothing here enters a result: a poor
pole only costs quadrature effort.

>>> from numeric.models.tight_binding import Lead, TightBinding, chain_matrix
>>> H = chain_matrix([0, 0, 0], [-1.0, -1.0])
>>> tb = TightBinding(("a", "b", "c"), H, (Lead.wide_band("L", 0, 0.0, 1e-4), Lead.wide_band("R", 2, 0.0, 1e-4)))
>>> p = poles(tb)
>>> [round(float(x), 4) + 0.0 for x in p.real]
[-1.4142, 0.0, 1.4142]
>>> bool(abs(p[1].imag + 1e-4) < 1e-12)   # the middle level: half width 1e-4 (weight 1/2 on each lead site)
True
"""
from __future__ import annotations

import math
from typing import Callable, Mapping, Sequence

import numpy as np

from numeric.models.greens import lead_terms
from numeric.models.tight_binding import TightBinding

__all__ = ["poles", "chain_poles", "breakpoints", "DENSE_MAX", "DENSE_START"]

#: up to this many sites the iteration starts from dense eigenvalues (O(n^3)), beyond from perturbation theory
DENSE_START = 65
#: largest region that is not a chain whose poles are searched (tr (z - H_eff)^-1 per pole: O(n^3) each)
DENSE_MAX = 64

Sigma = Callable[[np.ndarray], np.ndarray]


def poles(tb: TightBinding, *, tol: float = 1e-15, max_steps: int = 100) -> np.ndarray:
    """Resonance poles of a model, sorted by real part (empty where none are searched).

    Parameters
    ----------
    tb : TightBinding
        An omega-independent NumPy model (an omega-dependent one gets no poles).
    tol : float
        Stop when every Aberth correction is below ``tol * max(1, |z|)``.
    max_steps : int
        Iteration limit (the poles reached by then are returned).

    Returns
    -------
    ndarray
        n complex poles (negative imaginary parts: half widths).
    """
    if tb.depends_on_omega or tb.n_sites == 0:
        return np.zeros(0, dtype=complex)
    H = tb.H.tocsr() if hasattr(tb.H, "tocsr") else np.asarray(tb.H, dtype=complex)
    n = tb.n_sites
    sig: dict[int, list[Sigma]] = {}
    for ld in tb.leads:
        sig.setdefault(ld.site, []).append(lambda x, ld=ld: lead_terms(ld, x)[0])
    perm = _chain_order(H)
    if perm is not None:
        if hasattr(H, "tocsr"):
            Hp = H[perm][:, perm].tocsr()
            diag, up, lo = Hp.diagonal(), Hp.diagonal(1), Hp.diagonal(-1)
            dense = Hp.toarray() if n <= DENSE_START else None
        else:
            Hp = H[np.ix_(perm, perm)]
            diag, up, lo, dense = np.diagonal(Hp).copy(), np.diagonal(Hp, 1).copy(), np.diagonal(Hp, -1).copy(), Hp
        where = np.empty(n, dtype=int)
        where[perm] = np.arange(n)
        leads = {int(where[s]): _summed(fs) for s, fs in sig.items()}
        return chain_poles(np.asarray(diag, dtype=complex), np.asarray(up * lo, dtype=complex), leads,
                           dense=dense, tol=tol, max_steps=max_steps)
    if n > DENSE_MAX:
        return np.zeros(0, dtype=complex)
    Hd = H.toarray() if hasattr(H, "toarray") else H
    return _dense_poles(np.asarray(Hd, dtype=complex), {s: _summed(fs) for s, fs in sig.items()}, tol, max_steps)


def _summed(fs: Sequence[Sigma]) -> Sigma:
    return fs[0] if len(fs) == 1 else (lambda x: sum(f(x) for f in fs))


def _chain_order(H) -> np.ndarray | None:
    """An ordering of the sites that makes ``H`` tridiagonal (reverse Cuthill-McKee), or None."""
    import scipy.sparse as sps
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    A = sps.csr_matrix(H)
    n = A.shape[0]
    if n <= 2:
        return np.arange(n)
    pattern = (abs(A) + abs(A.T)).tocsr()
    if np.any(np.diff(pattern.indptr) - (pattern.diagonal() != 0) > 2):  # a site with three neighbours
        return None
    perm = np.asarray(reverse_cuthill_mckee(pattern, symmetric_mode=True))
    P = pattern[perm][:, perm].tocoo()
    return perm if (P.nnz == 0 or np.max(np.abs(P.row - P.col)) <= 1) else None


def chain_poles(diag: np.ndarray, e2: np.ndarray, leads: Mapping[int, Sigma], *, dense: np.ndarray | None = None,
                tol: float = 1e-15, max_steps: int = 100) -> np.ndarray:
    r"""Poles of a tridiagonal region with self-energies on some of its sites (Aberth-Ehrlich).

    Parameters
    ----------
    diag : ndarray
        Diagonal :math:`d_k` (complex: loss).
    e2 : ndarray
        Products :math:`H_{k,k+1}H_{k+1,k}` of the off-diagonal pairs.
    leads : dict
        Site index -> :math:`\Sigma(x)` at real x (vectorised).
    dense : ndarray, optional
        The matrix itself: its eigenvalues are the start (else perturbation theory on the Hermitian part).
    tol, max_steps
        As :func:`poles`.

    Returns
    -------
    ndarray
        ``len(diag)`` poles sorted by real part.
    """
    if dense is not None:  # start: eigenvalues of the lossy region (strong loss is no perturbation)
        z = np.linalg.eigvals(dense).astype(complex)
    else:  # long chains: eigenvalues of the Hermitian part shifted to first order by loss and leads, O(n^2)
        from scipy.linalg import eigvalsh_tridiagonal  # (imported here: scipy.linalg takes ~0.3 s to import)

        off = np.sqrt(np.abs(e2))
        ev = eigvalsh_tridiagonal(diag.real, off)
        weight = _eigenvector_weights(ev, diag.real, off)
        z = ev + 1j * (weight * diag.imag[:, None]).sum(axis=0)
        for k, f in leads.items():
            z = z + weight[k] * f(ev)
    active = np.ones(z.size, dtype=bool)
    for _ in range(max_steps):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        zi = z[idx]
        extra = {k: f(zi.real) for k, f in leads.items()}
        with np.errstate(all="ignore"):
            logd, on_root = _log_derivative(zi, diag, e2, extra)
            newton = 1 / logd
            step = np.where(on_root, 0, _kicked(newton / (1 - newton * _repulsion(zi, idx, z)), zi))
        z[idx] = zi - step
        active[idx] = np.abs(step) > tol * np.maximum(1, np.abs(zi))
    return z[np.argsort(z.real, kind="stable")]


def _repulsion(zi: np.ndarray, idx: np.ndarray, z: np.ndarray) -> np.ndarray:
    """:math:`\\sum_{j\\ne i}1/(z_i-z_j)` for the active poles, in row blocks."""
    repel = np.zeros(idx.size, dtype=complex)
    for start in range(0, idx.size, 256):
        rows = slice(start, start + 256)
        inv = 1 / (zi[rows, None] - z[None, :])
        inv[np.arange(inv.shape[0]), idx[rows]] = 0
        repel[rows] = inv.sum(axis=1)
    return repel


def _kicked(step: np.ndarray, zi: np.ndarray) -> np.ndarray:
    """An Aberth step; a start exactly on a zero of a leading minor gets a small kick into the lower half plane."""
    return np.where(np.isfinite(step), step, (1e-12 + 1e-9j) * np.maximum(1, np.abs(zi)))


def _dense_poles(H: np.ndarray, leads: Mapping[int, Sigma], tol: float, max_steps: int) -> np.ndarray:
    """Aberth-Ehrlich with :math:`D'/D = \\operatorname{tr}(z - H_{\\rm eff}(\\operatorname{Re} z))^{-1}`."""
    n = H.shape[0]
    z = np.linalg.eigvals(H).astype(complex)
    active = np.ones(n, dtype=bool)
    eye = np.eye(n)
    for _ in range(max_steps):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        zi = z[idx]
        A = zi[:, None, None] * eye - H
        for k, f in leads.items():
            A[:, k, k] -= f(zi.real)
        with np.errstate(all="ignore"):
            try:
                logd = np.trace(np.linalg.inv(A), axis1=1, axis2=2)
            except np.linalg.LinAlgError:  # a start exactly on a pole: kick all of them
                logd = np.full(idx.size, np.inf, dtype=complex)
            newton = 1 / logd
            step = _kicked(newton / (1 - newton * _repulsion(zi, idx, z)), zi)
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
        v[k + 1] = ((ev - diag[k]) * v[k] - prev) / off[k] if off[k] else 0.0
        if k % 32 == 0:
            big = np.abs(v[k + 1]) > 1e100
            if big.any():
                v[:, big] *= 1e-100
    v *= v
    return v / v.sum(axis=0)


def _log_derivative(z: np.ndarray, diag: np.ndarray, e2: np.ndarray,
                    extra: Mapping[int, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    r"""(:math:`D'(z)/D(z)` of the tridiagonal determinant by the ratio recurrence, z exactly a root).

    :math:`r_k = (z - d_k - \Sigma_k) - e_{k-1}^2/r_{k-1}` (:math:`r_k = D_k/D_{k-1}`),
    :math:`r_k' = 1 + e_{k-1}^2 r_{k-1}'/r_{k-1}^2`, :math:`D'/D = \sum_k r_k'/r_k`
    (:math:`\Sigma` frozen).
    """
    n = diag.size
    r = z - diag[0] - extra.get(0, 0)
    dr = np.ones_like(z)
    acc = dr / r
    q, tmp = np.empty_like(z), np.empty_like(z)
    for k in range(1, n):  # in place: O(n) small ufunc calls per step dominate for long chains
        np.divide(e2[k - 1], r, out=q)
        np.multiply(dr, q, out=dr)
        np.divide(dr, r, out=dr)
        dr += 1
        np.subtract(z, diag[k], out=r)
        if k in extra:
            r -= extra[k]
        r -= q
        np.divide(dr, r, out=tmp)
        acc += tmp
    # an exact zero of a leading minor gives inf/nan: the caller kicks that start; of the last one: a root
    return acc, r == 0


def breakpoints(p: np.ndarray, lo: float, hi: float, *, ratio: float = 4.0, edges: Sequence[float] = ()) -> np.ndarray:
    """Resonance centres, a geometric ladder of half widths around each, and given band edges.

    Around a pole :math:`x - i w`: :math:`x \\pm w\\,r^k`, k = 0, 1, ..., while
    :math:`w r^k` stays below half the distance to the neighbouring poles and
    below ``hi - lo`` (panels whose length grows with their distance from the
    pole: Gauss-Legendre converges on each at a rate independent of w).

    Parameters
    ----------
    p : ndarray
        Poles (:func:`poles`).
    lo, hi : float
        The interval of interest.
    ratio : float
        Ratio r of the ladder.
    edges : sequence of float
        Further points to cut at (band edges of the region's chains).

    Returns
    -------
    ndarray
        Sorted unique breakpoints strictly inside (lo, hi).

    >>> breakpoints(np.array([0.0 - 0.25j]), -2.0, 2.0).tolist()
    [-1.0, -0.25, 0.0, 0.25, 1.0]
    """
    p = np.asarray(p, dtype=complex)
    p = p[np.isfinite(p)]
    width = np.maximum(np.abs(p.imag), 1e-300)
    x = p.real
    gaps = np.diff(x)
    reach = np.minimum(np.concatenate([[np.inf], gaps]), np.concatenate([gaps, [np.inf]])) / 2
    reach = np.minimum(reach, hi - lo)
    steps = np.floor(np.log(np.maximum(reach / width, 1.0)) / math.log(ratio)).astype(int)
    pts = [np.asarray(edges, dtype=float), x]
    for k in range(int(steps.max(initial=-1)) + 1):
        m = steps >= k
        pts += [x[m] - width[m] * ratio**k, x[m] + width[m] * ratio**k]
    pts = np.unique(np.concatenate(pts))
    return pts[(pts > lo) & (pts < hi)]
