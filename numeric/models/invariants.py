r"""Invariants every scattering result must satisfy before it is printed (one check for every route).

For a model with leads p, q (docs/model-files.md): :math:`T2_{p\to q}\ge0` and never null;
:math:`R2_p\ge0`, null exactly where lead p has no propagating mode (as is
``absorbed:p``); the flux balance
:math:`\text{absorbed}_p = 1 - R2_p - \sum_{q\ne p}T2_{p\to q}`.  Where the
region only loses particles (``kind="loss"``: :math:`i(H-H^\dagger)` is
positive semidefinite, e.g. every on-site energy has Im <= 0 and the bonds are
Hermitian), :math:`\text{absorbed}_p\ge0` and the S matrix of the open leads
is subunitary (largest singular value <= 1); where the region is Hermitian
(``kind="hermitian"``), absorbed = 0 and S is unitary.  Each holds up to
``tol``: :data:`DOUBLE_TOLERANCE` for double results, :math:`10^{-\text{dps}}`
for mpmath results with ``dps`` checked digits.

:func:`violations` lists the points that break one, with the quantity and the
invariant, so that the caller can re-evaluate them by another route or refuse
them by name.

>>> import numpy as np
>>> vals = {"T2:L->R": np.array([0.5, 0.0]), "T2:R->L": np.array([0.5, 0.0]),
...         "R2:L": np.array([0.5, 1.0]), "R2:R": np.array([0.5, 0.25]),
...         "absorbed:L": np.array([0.0, 0.0]), "absorbed:R": np.array([0.0, 0.0])}
>>> [(v.index, v.quantity, v.invariant) for v in violations(vals, ("L", "R"), kind="hermitian")]
[(1, 'absorbed:R', 'absorbed = 1 - R2 - sum T2 (flux balance; got this minus absorbed)')]
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import mpmath
import numpy as np

from numeric.precision import MULTI, backend_of, is_unsettled

__all__ = ["Violation", "violations", "region_kind", "DOUBLE_TOLERANCE", "tolerance"]

#: absolute tolerance of double results (probabilities are at most 1): sqrt(eps) ~ 1.5e-8.  A backward
#: stable solve near a resonance of relative width w has a forward error ~ eps/w, so the invariants hold
#: to sqrt(eps) for every resonance wider than sqrt(eps); a result that breaks them by more has lost
#: half its digits (the caller re-evaluates it by the other route, or refuses it and points to dps)
DOUBLE_TOLERANCE = 2.0 ** -26


@dataclass(frozen=True)
class Violation:
    """One broken invariant: point ``index``, ``quantity`` name, ``invariant`` (text), ``value``."""

    index: int
    quantity: str
    invariant: str
    value: Any


def tolerance(dps: int | None) -> Any:
    """:data:`DOUBLE_TOLERANCE` for doubles, :math:`10^{-\\text{dps}}` for ``dps`` checked digits.

    >>> tolerance(None) == 2.0 ** -26, tolerance(20) == mpmath.mpf(10) ** -20
    (True, True)
    """
    return DOUBLE_TOLERANCE if dps is None else mpmath.mpf(10) ** (-dps)


def region_kind(H: Any) -> str:
    r"""``"hermitian"``, ``"loss"`` (:math:`i(H-H^\dagger)` is diagonal with entries >= 0) or ``"general"``.

    Parameters
    ----------
    H : ndarray, scipy.sparse matrix or mpmath.matrix
        The region matrix.

    Returns
    -------
    str

    >>> region_kind(np.array([[0.1 - 0.2j, -1], [-1, 0]])), region_kind(np.array([[0, -1], [-0.5, 0]]))
    ('loss', 'general')
    """
    if isinstance(H, mpmath.matrix):
        n = H.rows
        stored = getattr(H, "_matrix__data", None)  # mpmath keeps the nonzero entries in a dict: O(nnz), not O(n^2)
        pairs = ((i, j) for i in range(n) for j in range(n)) if not isinstance(stored, dict) else \
            (ij for ij in stored)
        off = any(H[i, j] != mpmath.conj(H[j, i]) for i, j in pairs if i != j)
        diag = [mpmath.im(H[i, i]) for i in range(n)]
    else:
        import scipy.sparse as sps

        A = sps.csr_matrix(H) if sps.issparse(H) else sps.csr_matrix(np.asarray(H))
        D = A - A.conj().T
        D.setdiag(0)
        D.eliminate_zeros()
        off = D.nnz > 0
        im = np.imag(A.diagonal())  # (vectorised: a region of 1e5 sites)
        return "general" if off else "hermitian" if not im.any() else "loss" if np.all(im <= 0) else "general"
    if off:
        return "general"
    if all(d == 0 for d in diag):
        return "hermitian"
    return "loss" if all(d <= 0 for d in diag) else "general"


def _isnan(x: Any) -> bool:
    return bool(backend_of(x).isnan(x))


def _isfinite(x: Any) -> bool:
    return bool(backend_of(x).isfinite(x))


def violations(values: Mapping[str, Any], leads: Sequence[str], *, kind: str = "general", tol: Any = DOUBLE_TOLERANCE,
               is_open: Any = None) -> list[Violation]:
    """The points of ``values`` that break an invariant of the module doc (at most one per point).

    Parameters
    ----------
    values : dict
        Arrays over the points, keyed by quantity name (``"T2:L->R"``, ``"R2:L"``, ``"absorbed:L"``,
        ``"S:q,p"``); quantities not given are not checked.
    leads : sequence of str
        The model's lead names.
    kind : {"hermitian", "loss", "general"}
        :func:`region_kind` of the region.
    tol : float or mpf
        Absolute tolerance (:func:`tolerance`).
    is_open : array of int, optional
        ``is_open[k, p]``: 1 where lead p propagates at point k, 0 where it does not, -1 where that is not
        decided (next to a band edge); where decided, R2 and absorbed must be null exactly where it is closed.

    Returns
    -------
    list of Violation
        Sorted by point index.
    """
    n = len(next(iter(values.values()))) if values else 0
    found: dict[int, Violation] = {}

    def flag(k: int, q: str, what: str, v: Any) -> None:
        found.setdefault(k, Violation(k, q, what, v))

    for k in _suspects(values, leads, kind, tol, is_open, n):
        if any(is_unsettled(arr[k]) for arr in values.values()):  # no number there: named by the caller
            continue
        for p_i, p in enumerate(leads):
            total = None
            t2s = [values.get(f"T2:{p}->{q}") for q in leads if q != p]
            for q, arr in zip([q for q in leads if q != p], t2s):
                if arr is None:
                    continue
                v = arr[k]
                if not _isfinite(v):
                    flag(k, f"T2:{p}->{q}", "T2 finite (never null)", v)
                elif v < -tol:
                    flag(k, f"T2:{p}->{q}", "T2 >= 0", v)
            r2, ab = values.get(f"R2:{p}"), values.get(f"absorbed:{p}")
            for name, arr in ((f"R2:{p}", r2), (f"absorbed:{p}", ab)):
                if arr is None:
                    continue
                v = arr[k]
                null = _isnan(v)
                if is_open is not None and is_open[k][p_i] >= 0 and null == bool(is_open[k][p_i]):
                    flag(k, name, "null exactly where the lead has no propagating mode", v)
                elif not null and not _isfinite(v):
                    flag(k, name, "finite", v)
            if r2 is None or _isnan(r2[k]) or not _isfinite(r2[k]):
                continue
            if r2[k] < -tol:
                flag(k, f"R2:{p}", "R2 >= 0", r2[k])
            if ab is not None and _isfinite(ab[k]):
                if kind in ("loss", "hermitian") and ab[k] < -tol:
                    flag(k, f"absorbed:{p}", "absorbed >= 0 (the region only loses particles)", ab[k])
                if kind == "hermitian" and abs(ab[k]) > tol:
                    flag(k, f"absorbed:{p}", "absorbed = 0 (Hermitian region)", ab[k])
                if all(a is not None for a in t2s):
                    total = 1 - r2[k] - sum(a[k] for a in t2s) - ab[k]
                    if abs(total) > tol * len(leads):
                        flag(k, f"absorbed:{p}", "absorbed = 1 - R2 - sum T2 (flux balance; got this minus absorbed)",
                             total)
        _check_s(values, leads, k, kind, tol, flag)
    return [found[k] for k in sorted(found)]


def _suspects(values: Mapping[str, Any], leads: Sequence[str], kind: str, tol: Any, is_open: Any, n: int):
    """Indices that may break an invariant: all of them for mpmath values, else a vectorised superset."""
    arrays = list(values.values())
    if not all(isinstance(a, np.ndarray) and a.dtype.kind in "fc" for a in arrays):
        return range(n)
    bad = np.zeros(n, dtype=bool)
    with np.errstate(invalid="ignore"):
        for name, a in values.items():
            if name.startswith("T2:"):
                bad |= ~np.isfinite(a) | (a < -tol)
            elif name.startswith(("R2:", "absorbed:")):
                bad |= np.isinf(a) | (a < -tol if name.startswith("R2:") or kind != "general" else False)
                if kind == "hermitian" and name.startswith("absorbed:"):
                    bad |= np.abs(a) > tol
        for p_i, p in enumerate(leads):
            r2, ab = values.get(f"R2:{p}"), values.get(f"absorbed:{p}")
            if r2 is not None and ab is not None:
                bad |= np.isnan(r2) != np.isnan(ab)
                if is_open is not None:
                    state = np.asarray(is_open)[:, p_i]
                    bad |= (state >= 0) & (np.isnan(r2) == (state == 1))
                t2s = [values.get(f"T2:{p}->{q}") for q in leads if q != p]
                if all(a is not None for a in t2s):
                    total = 1 - r2 - sum(t2s) - ab
                    bad |= ~np.isnan(r2) & ~(np.abs(total) <= tol * len(leads))
        if kind in ("loss", "hermitian") and all(f"S:{q},{p}" in values for p in leads for q in leads):
            # a closed lead's null row and column -> a unit row and column: singular values of the open block and 1
            cols = [[_unit_where_null(values[f"S:{q},{p}"], p_i == q_i) for q_i, q in enumerate(leads)]
                    for p_i, p in enumerate(leads)]
            bad |= _not_subunitary(cols, tol * len(leads), unitary=kind == "hermitian")
    return np.flatnonzero(bad).tolist()


def _unit_where_null(s: np.ndarray, diagonal: bool) -> np.ndarray:
    """S entry with null (nan) -> 1 on the diagonal, 0 off it; infinite -> 2 (breaks subunitarity)."""
    return np.where(np.isnan(s), 1.0 if diagonal else 0.0, np.where(np.isfinite(s), s, 2.0))


def _not_subunitary(cols: Sequence[Sequence[np.ndarray]], tau: float, *, unitary: bool) -> np.ndarray:
    r"""Points whose :math:`A = 1 - S^\dagger S` may have an eigenvalue below :math:`-\tau` (or, ``unitary``,
    above :math:`\tau`): a superset of the points where the largest singular value of S exceeds
    :math:`1+\tau` (the smallest is below :math:`1-\tau`), for the exact per-point check to decide.

    ``cols[p][q]`` is the array of :math:`S_{qp}` over the points.  One or two leads (most models) take the
    closed form of the 2x2 Hermitian A, which is PSD with margin :math:`\tau` exactly when
    :math:`a+\tau\ge0`, :math:`d+\tau\ge0` and :math:`(a+\tau)(d+\tau)\ge|b|^2` (a few array passes,
    no decomposition per point); more leads take batched ``eigvalsh``.

    >>> s = np.sqrt(0.5)
    >>> cols = [[np.array([s, 1.0, 0.5]), np.array([1j * s, 0.0, 0])], [np.array([1j * s, 0.5, 0]), np.array([s, 0.5, 0.5])]]
    >>> _not_subunitary(cols, 1e-8, unitary=False).tolist(), _not_subunitary(cols, 1e-8, unitary=True).tolist()
    ([False, True, False], [False, True, True])
    """
    n = len(cols)

    def gram(i: int, j: int) -> np.ndarray:  # (S^dagger S)_{ij} = sum_k conj(S_ki) S_kj
        return sum(np.conj(cols[i][k]) * cols[j][k] for k in range(n))

    if n == 1:
        a = 1 - np.abs(cols[0][0]) ** 2
        return (a < -tau) | (unitary & (a > tau))
    if n == 2:
        a, d = 1 - gram(0, 0).real, 1 - gram(1, 1).real
        b2 = np.abs(gram(0, 1)) ** 2
        bad = (a < -tau) | (d < -tau) | ((a + tau) * (d + tau) < b2)
        if unitary:
            bad |= (a > tau) | (d > tau) | ((tau - a) * (tau - d) < b2)
        return bad
    A = np.eye(n) - np.stack([np.stack([gram(i, j) for j in range(n)], axis=-1) for i in range(n)], axis=-2)
    lam = np.linalg.eigvalsh(A)
    return (lam[..., 0] < -tau) | (unitary & (lam[..., -1] > tau))


def _check_s(values: Mapping[str, Any], leads: Sequence[str], k: int, kind: str, tol: Any, flag) -> None:
    """Largest singular value of the open leads' S <= 1 + tol (loss), all within 1 +- tol (Hermitian)."""
    if kind not in ("loss", "hermitian") or not all(f"S:{q},{p}" in values for p in leads for q in leads):
        return
    rows = [[values[f"S:{q},{p}"][k] for p in leads] for q in leads]
    keep = [i for i in range(len(leads)) if not _isnan(rows[i][i])]
    if not keep:
        return
    block = [[rows[i][j] for j in keep] for i in keep]
    if any(not _isfinite(x) for r in block for x in r):
        flag(k, "S", "S finite on the open leads", None)
        return
    if any(backend_of(x) is MULTI for r in block for x in r):  # mpmath's SVD, else LAPACK's
        sv = [abs(s) for s in mpmath.svd_c(mpmath.matrix(block), compute_uv=False)]
    else:
        sv = list(np.linalg.svd(np.array(block, dtype=complex), compute_uv=False))
    if max(sv) > 1 + tol * len(keep):
        flag(k, "S", "S subunitary (largest singular value <= 1)", max(sv))
    elif kind == "hermitian" and min(sv) < 1 - tol * len(keep):
        flag(k, "S", "S unitary (Hermitian region)", min(sv))
