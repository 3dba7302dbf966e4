"""The one Fock-space builder, and many-body Lindblad evolution for small lattices.

:func:`fock_space` builds the occupation basis and the ladder operators of
``L`` modes: fermions as Jordan-Wigner matrices on the :math:`2^L` occupation
basis, bosons with a cap on the total occupation (``cap="total"``) or on each
mode (``cap="mode"``).  Every Fock-space route of the project (the anglin
Lindblad checks, the tajima split-field matrices, the field-file route of
:mod:`numeric.fields.field_fock`) uses it.

Bosons with the total cap: the number-conserving Hamiltonian and the loss
:math:`a_0` never raise the total number, so the dynamics of a state inside
this space is exact there.  The Lindbladian (anglin:4, hbar = tau = 1)

.. math:: \\dot\\rho = -i[H,\\rho] + \\gamma\\big(a_0\\rho a_0^\\dagger - \\tfrac12\\{a_0^\\dagger a_0,\\rho\\}\\big)

is built as a sparse superoperator on column-stacked :math:`\\rho` and
applied with :func:`scipy.sparse.linalg.expm_multiply`.  Nothing here uses
the single-particle reduction it is meant to check.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal, Sequence

import numpy as np
import scipy.sparse as sps
from scipy.sparse.linalg import expm_multiply

from numeric.models.tight_binding import chain_matrix

__all__ = ["FockSpace", "fock_space", "lindbladian", "evolve_density_matrix", "one_body_matrix",
           "slater_state", "chain_hamiltonian"]


@dataclass(frozen=True)
class FockSpace:
    """Occupation basis and sparse annihilators ``a[j]`` of ``L`` modes (the one Fock builder).

    ``basis[i]`` is the occupation tuple of basis state ``i`` (lexicographic order,
    mode 0 most significant); ``a[j]`` is the annihilator of mode ``j`` as a
    sparse CSR matrix, :meth:`dense` the same operators as NumPy arrays.
    """

    statistics: str
    basis: list
    a: list

    @property
    def dim(self) -> int:
        return len(self.basis)

    @cached_property
    def occupations(self) -> np.ndarray:
        """Occupation numbers as an integer array of shape ``(dim, L)``."""
        return np.array(self.basis, dtype=int).reshape(len(self.basis), len(self.a))

    def number(self, j: int) -> sps.csr_matrix:
        return (self.a[j].conj().T @ self.a[j]).tocsr()

    def creator(self, j: int) -> sps.csr_matrix:
        """:math:`a_j^\\dagger` (sparse)."""
        return self.a[j].conj().T.tocsr()

    def dense(self) -> list[np.ndarray]:
        """The annihilators as dense arrays (same basis)."""
        return [op.toarray() for op in self.a]


def _occupation_basis(L: int, statistics: str, n_max: int, cap: str) -> np.ndarray:
    """Occupation tuples in lexicographic order (mode 0 most significant)."""
    if statistics == "fermi":
        return (np.arange(2**L)[:, None] >> np.arange(L - 1, -1, -1)[None, :]) & 1
    if cap == "mode":
        base = n_max + 1
        return (np.arange(base**L)[:, None] // base ** np.arange(L - 1, -1, -1)[None, :]) % base
    rows: list[tuple] = []

    def grow(prefix: tuple, left: int) -> None:  # lexicographic: smaller first occupation first
        if len(prefix) == L:
            rows.append(prefix)
            return
        for k in range(left + 1):
            grow(prefix + (k,), left - k)
    grow((), n_max)
    return np.array(rows, dtype=int).reshape(len(rows), L)


def _mixed_basis(kinds: Sequence[str], n_max: int, cap: str) -> np.ndarray:
    """Occupation tuples of a mixture (fermion modes 0/1, boson modes capped), lexicographic order."""
    L = len(kinds)
    rows: list[tuple] = []

    def grow(prefix: tuple, left: int) -> None:
        j = len(prefix)
        if j == L:
            rows.append(prefix)
            return
        if kinds[j] == "fermi":
            for k in (0, 1):
                grow(prefix + (k,), left)
            return
        for k in range((left if cap == "total" else n_max) + 1):
            grow(prefix + (k,), left - k if cap == "total" else left)
    grow((), n_max)
    return np.array(rows, dtype=int).reshape(len(rows), L)


def fock_space(L: int, statistics: Literal["fermi", "bose"] | Sequence[str], *, n_max: int = 2,
               cap: Literal["total", "mode"] = "total") -> FockSpace:
    """Fock space of ``L`` modes: fermions (Jordan-Wigner), bosons with an occupation cap, or a mixture.

    .. math::

        a_j|n_0\\dots n_j\\dots\\rangle = (-1)^{\\sum_{k<j}n_k}|n_0\\dots n_j-1\\dots\\rangle\\ \\text{(fermions)},
        \\qquad a_j|\\dots n_j\\dots\\rangle = \\sqrt{n_j}\\,|\\dots n_j-1\\dots\\rangle\\ \\text{(bosons)}.

    In a mixture the Jordan-Wigner string of a fermion mode runs over the fermion
    modes ``k < j`` only, so fermions anticommute among themselves and commute with
    the bosons; the cap applies to the boson modes.

    Parameters
    ----------
    L : int
        Number of modes.
    statistics : {"fermi", "bose"} or sequence of them
        Fermions (occupations 0, 1 with the Jordan-Wigner string over modes ``k < j``),
        bosons, or one of the two per mode (a Bose-Fermi mixture).
    n_max : int, optional
        Bosons: the occupation cap (ignored for fermions).
    cap : {"total", "mode"}, optional
        Bosons: ``"total"`` keeps states with :math:`\\sum_j n_j \\le n_{\\max}` (boson modes),
        ``"mode"`` states with every :math:`n_j \\le n_{\\max}`.  A truncated
        :math:`a_j^\\dagger` is exact on states that stay below the cap.

    Returns
    -------
    FockSpace
        Basis and sparse annihilators (``.dense()`` for arrays); ``statistics`` is ``"mixed"`` for a mixture.

    Examples
    --------
    >>> fs = fock_space(3, "fermi")
    >>> fs.dim, float(abs(fs.a[0] @ fs.a[1] + fs.a[1] @ fs.a[0]).sum())
    (8, 0.0)
    >>> fock_space(2, "bose", n_max=2, cap="mode").dim, fock_space(2, "bose", n_max=2).dim
    (9, 6)
    >>> mix = fock_space(3, ("fermi", "bose", "fermi"), n_max=2)
    >>> f0, b, f2 = mix.a
    >>> mix.dim, float(abs(f0 @ f2 + f2 @ f0).sum()), float(abs(f0 @ b - b @ f0).sum())
    (12, 0.0, 0.0)
    """
    if cap not in ("total", "mode"):
        raise ValueError(f"cap must be 'total' or 'mode' (got {cap!r})")
    if isinstance(statistics, str):
        if statistics not in ("fermi", "bose"):
            raise ValueError(f"statistics must be 'fermi' or 'bose' (got {statistics!r})")
        kinds = (statistics,) * L
        occ = _occupation_basis(L, statistics, n_max, cap)
    else:
        kinds = tuple(statistics)
        if len(kinds) != L or not set(kinds) <= {"fermi", "bose"}:
            raise ValueError(f"statistics must be 'fermi', 'bose' or one of them for each of the {L} modes "
                             f"(got {statistics!r})")
        occ = _mixed_basis(kinds, n_max, cap) if len(set(kinds)) > 1 else _occupation_basis(L, kinds[0], n_max, cap)
    fermion = np.array([k == "fermi" for k in kinds], dtype=bool)
    dim = len(occ)
    weights = (n_max + 2) ** np.arange(L - 1, -1, -1)  # order-preserving code of an occupation tuple
    codes = occ @ weights
    ops = []
    for j in range(L):
        cols = np.nonzero(occ[:, j])[0]
        lowered = occ[cols].copy()
        lowered[:, j] -= 1
        rows = np.searchsorted(codes, lowered @ weights)
        if fermion[j]:
            vals = (-1.0) ** occ[cols, :j][:, fermion[:j]].sum(axis=1)  # Jordan-Wigner string (fermion modes)
        else:
            vals = np.sqrt(occ[cols, j])
        ops.append(sps.csr_matrix((vals.astype(complex), (rows, cols)), shape=(dim, dim), dtype=complex))
    label = kinds[0] if len(set(kinds)) == 1 else "mixed"
    return FockSpace(label, [tuple(int(n) for n in row) for row in occ], ops)


def one_body_matrix(fs: FockSpace, h: np.ndarray) -> sps.csr_matrix:
    """Second quantisation of a single-particle matrix: :math:`\\sum_{ij} h_{ij} a_i^\\dagger a_j`."""
    H = sps.csr_matrix((fs.dim, fs.dim), dtype=complex)
    for i, j in zip(*np.nonzero(h)):
        H = H + h[i, j] * (fs.a[i].conj().T @ fs.a[j])
    return H.tocsr()


def chain_hamiltonian(hoppings: Sequence[float], potentials: Sequence[float]) -> np.ndarray:
    """Single-particle matrix of anglin Eq. (1): -T_m on bonds, V_m on sites (the one chain builder,
    :func:`numeric.models.tight_binding.chain_matrix`)."""
    return chain_matrix(potentials, -np.asarray(hoppings, dtype=float))


def lindbladian(fs: FockSpace, H: sps.spmatrix, jumps: Sequence[sps.spmatrix]) -> sps.csr_matrix:
    """Sparse superoperator acting on column-stacked rho (vec(A rho B) = (B^T kron A) vec(rho))."""
    eye = sps.identity(fs.dim, dtype=complex, format="csr")
    S = -1j * (sps.kron(eye, H) - sps.kron(H.T, eye))
    for Lk in jumps:
        LdL = (Lk.conj().T @ Lk).tocsr()
        S = S + sps.kron(Lk.conj(), Lk) - 0.5 * (sps.kron(eye, LdL) + sps.kron(LdL.T, eye))
    return S.tocsr()


def evolve_density_matrix(fs: FockSpace, S: sps.spmatrix, rho0: np.ndarray, times: Sequence[float]) -> list:
    """rho(t) at the requested times, by the exact exponential of the superoperator."""
    v0 = np.asarray(rho0, dtype=complex).reshape(-1, order="F")
    times = np.asarray(times, dtype=float)
    out = []
    for t in times:
        v = expm_multiply(S * t, v0) if t > 0 else v0
        out.append(v.reshape(fs.dim, fs.dim, order="F"))
    return out


def single_particle_density_matrix(fs: FockSpace, rho: np.ndarray) -> np.ndarray:
    """:math:`R_{m'm} = \\mathrm{Tr}(a^\\dagger_{m'}a_m\\rho)`."""
    L = len(fs.a)
    R = np.empty((L, L), dtype=complex)
    for mp in range(L):
        ad = fs.a[mp].conj().T
        for m in range(L):
            R[mp, m] = (ad @ fs.a[m]).multiply(rho.T).sum()  # Tr(A rho) = sum(A * rho^T)
    return R


def slater_state(fs: FockSpace, orbitals: np.ndarray) -> np.ndarray:
    """Pure-state vector of a product of created orbitals (columns of ``orbitals``) on the vacuum."""
    vac = np.zeros(fs.dim, dtype=complex)
    vac[fs.basis.index(tuple([0] * len(fs.a)))] = 1.0
    v = vac
    for col in np.atleast_2d(orbitals.T):
        create = sum(c * fs.a[j].conj().T for j, c in enumerate(col) if c != 0)
        v = create @ v
    return v / np.linalg.norm(v)


__all__ += ["single_particle_density_matrix"]
