"""Many-body Lindblad evolution in Fock space for small lattices (independent check of anglin Sec. II).

Fermions: Jordan-Wigner matrices on the :math:`2^L` occupation basis.
Bosons: the basis of occupations with total number :math:`\\le N_{\\max}`;
the number-conserving Hamiltonian and the loss :math:`a_0` never raise the
total number, so the dynamics of a state inside this space is exact there.

The Lindbladian (anglin:4, hbar = tau = 1)

.. math:: \\dot\\rho = -i[H,\\rho] + \\gamma\\big(a_0\\rho a_0^\\dagger - \\tfrac12\\{a_0^\\dagger a_0,\\rho\\}\\big)

is built as a sparse superoperator on column-stacked :math:`\\rho` and
applied with :func:`scipy.sparse.linalg.expm_multiply`.  Nothing here uses
the single-particle reduction it is meant to check.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Literal, Sequence

import numpy as np
import scipy.sparse as sps
from scipy.sparse.linalg import expm_multiply

from numeric.tight_binding import chain_matrix

__all__ = ["FockSpace", "fock_space", "lindbladian", "evolve_density_matrix", "one_body_matrix",
           "slater_state", "chain_hamiltonian"]


@dataclass(frozen=True)
class FockSpace:
    """Basis (occupation tuples) and annihilation operators ``a[j]`` (sparse) for L modes."""

    statistics: str
    basis: list
    a: list

    @property
    def dim(self) -> int:
        return len(self.basis)

    def number(self, j: int) -> sps.csr_matrix:
        return (self.a[j].conj().T @ self.a[j]).tocsr()


def fock_space(L: int, statistics: Literal["fermi", "bose"], *, n_max: int = 2) -> FockSpace:
    """Fock space of L modes (bosons: total number <= n_max).

    >>> fs = fock_space(3, "fermi")
    >>> fs.dim, float(abs(fs.a[0] @ fs.a[1] + fs.a[1] @ fs.a[0]).sum())
    (8, 0.0)
    """
    if statistics == "fermi":
        basis = list(itertools.product((0, 1), repeat=L))
    else:
        basis = [occ for occ in itertools.product(range(n_max + 1), repeat=L) if sum(occ) <= n_max]
    index = {occ: i for i, occ in enumerate(basis)}
    ops = []
    for j in range(L):
        rows, cols, vals = [], [], []
        for i, occ in enumerate(basis):
            if occ[j] == 0:
                continue
            new = occ[:j] + (occ[j] - 1,) + occ[j + 1:]
            if statistics == "fermi":
                amp = (-1) ** sum(occ[:j])  # Jordan-Wigner string
            else:
                amp = np.sqrt(occ[j])
            rows.append(index[new])
            cols.append(i)
            vals.append(amp)
        ops.append(sps.csr_matrix((vals, (rows, cols)), shape=(len(basis), len(basis)), dtype=complex))
    return FockSpace(statistics, basis, ops)


def one_body_matrix(fs: FockSpace, h: np.ndarray) -> sps.csr_matrix:
    """Second quantisation of a single-particle matrix: :math:`\\sum_{ij} h_{ij} a_i^\\dagger a_j`."""
    H = sps.csr_matrix((fs.dim, fs.dim), dtype=complex)
    for i, j in zip(*np.nonzero(h)):
        H = H + h[i, j] * (fs.a[i].conj().T @ fs.a[j])
    return H.tocsr()


def chain_hamiltonian(hoppings: Sequence[float], potentials: Sequence[float]) -> np.ndarray:
    """Single-particle matrix of anglin Eq. (1): -T_m on bonds, V_m on sites (the one chain builder,
    :func:`numeric.tight_binding.chain_matrix`)."""
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
