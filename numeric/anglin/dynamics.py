"""Exact single-particle dynamics of the finite lossy lattice (anglin Sec. V, Eq. 29, Figs. 5-7).

The single-particle density matrix obeys the derived master equation
(anglin:7), whose matrix form is

.. math::

    \\dot R = i h_{\\rm eff}^{*}R - iRh_{\\rm eff}^{T},\\qquad
    h_{\\rm eff} = h - \\tfrac{i\\gamma}{2}|0\\rangle\\langle0|,\\qquad
    R(t) = U^{*}(t)R(0)U^{T}(t),\\ U = e^{-ih_{\\rm eff}t}

(:func:`propagate`).  For the ``evolve`` set-up -- N sites of hopping 1 on
each outer end, weak links tau1, loss gamma at the centre, the left end
initially holding its lowest ``particles`` modes -- the lattice is
reflection symmetric and :func:`evolve` works in parity sectors: the odd
sector (node at the lossy site) is Hermitian, the even one complex
symmetric, each half the size.  With both eigenbases,
:math:`\\Delta\\mathcal N/2(t)` and its exact time derivative are bilinear
forms costing O(n^2) per time after an O(n^3) set-up.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np
import scipy.linalg as sla

from numeric.anglin.device import lattice_model
from numeric.anglin.parameters import LossyLattice
from numeric.errors import ParameterError, require

__all__ = ["FiniteLattice", "EvolveResult", "evolve", "evolve_fillings", "propagate", "initial_left_orbitals"]


@dataclass(frozen=True)
class FiniteLattice:
    """Finite lattice of the ``evolve`` command: sites -(M+N) .. M+N.

    >>> FiniteLattice(M=3, tau1=0.1, gamma=0.5, N=20).n_sites
    47
    """

    M: int
    tau1: float
    gamma: float
    N: int

    def __post_init__(self) -> None:
        for name in ("M", "N"):
            v = getattr(self, name)
            lo = 0 if name == "M" else 1
            if isinstance(v, bool) or not float(v).is_integer() or v < lo:
                raise ParameterError(name, f"an integer >= {lo}", v)
            object.__setattr__(self, name, int(v))
        object.__setattr__(self, "tau1", require("tau1", self.tau1, lo=0, lo_open=True))
        object.__setattr__(self, "gamma", require("gamma", self.gamma, lo=0))

    @property
    def L(self) -> int:
        return self.M + self.N

    @property
    def n_sites(self) -> int:
        return 2 * self.L + 1

    @property
    def lattice(self) -> LossyLattice:
        """The lossy lattice this finite lattice truncates (outer hopping Lambda = 1, V = 0)."""
        return LossyLattice(self.M, self.tau1, self.gamma, 1.0, 0.0)

    def bond(self, j: int) -> float:
        """Hopping on the bond (j, j+1) for j >= 0 (mirror symmetric), read off :meth:`h_eff`."""
        L = self.L
        return float(-_h_eff(self)[L + j, L + j + 1].real)

    def h_eff(self) -> np.ndarray:
        """Full single-particle matrix (sites ordered -L .. L) with the loss -i gamma/2 at the centre:
        :func:`numeric.anglin.device.lattice_model` truncated to N sites per lead."""
        return _h_eff(self).copy()


@lru_cache(maxsize=8)
def _h_eff(lat: FiniteLattice) -> np.ndarray:
    return lattice_model(lat.lattice).truncated(lat.N)


def propagate(h_eff: np.ndarray, R0: np.ndarray, t: float) -> np.ndarray:
    """:math:`R(t) = U^* R(0) U^T` with :math:`U = e^{-ih_{\\rm eff}t}` (dense; small lattices)."""
    U = sla.expm(-1j * h_eff * t)
    return U.conj() @ R0 @ U.T


def initial_left_orbitals(lat: FiniteLattice, particles: int) -> np.ndarray:
    """Lowest ``particles`` modes of the isolated left end (N sites, hopping 1), as columns on 1..N.

    Row j-1 is the amplitude at outer site m = -(M+j)... stored by distance from the chain:
    row 0 is site -(M+1), row N-1 is site -(M+N).
    """
    if not (0 <= particles <= lat.N):
        raise ParameterError("particles", f"an integer in [0, N={lat.N}]", particles)
    ev, vec = sla.eigh_tridiagonal(np.zeros(lat.N), -np.ones(lat.N - 1))
    return vec[:, :particles]


@dataclass(frozen=True)
class EvolveResult:
    """Times and dN/2 = (N_left - N_right)/2 (Eq. 29), -d(dN/2)/dt and the Fig. 7 estimator."""

    t: np.ndarray
    dN_half: np.ndarray
    current: np.ndarray
    current_fd: np.ndarray


def _sectors(lat: FiniteLattice):
    """Even (0..L) and odd (1..L) sector matrices."""
    L = lat.L
    off = np.array([-lat.bond(j) for j in range(L)])
    h_even = np.diag(off.astype(complex), 1) + np.diag(off.astype(complex), -1)
    h_even[0, 1] = h_even[1, 0] = math.sqrt(2) * off[0]  # <0|h|(|1> + |-1>)/sqrt2>
    h_even[0, 0] = -0.5j * lat.gamma
    h_odd_off = off[1:]
    return h_even, np.zeros(L), h_odd_off


class _ParityPropagator:
    """Eigen-decompositions of both parity sectors (cached per lattice, shared by every filling).

    With :math:`a = e^{i\\lambda_e^* t}`, :math:`b = e^{-i\\lambda_o t}` and the bilinear matrix
    :math:`C_P` of the P lowest orbitals, :math:`\\Delta\\mathcal N/2 = -\\mathrm{Re}\\,a^TC_Pb`.
    """

    def __init__(self, lat: FiniteLattice) -> None:
        L, M = lat.L, lat.M
        h_even, d_odd, e_odd = _sectors(lat)
        lam_e, Ve = sla.eig(h_even, overwrite_a=True, check_finite=False)
        lu = sla.lu_factor(Ve, check_finite=False)
        rcond, _ = sla.lapack.zgecon(lu[0], np.linalg.norm(Ve, 1))  # O(n^2) estimate from the LU factors
        if not rcond > 1e-10:
            raise FloatingPointError(f"even-sector eigenvectors ill-conditioned (1/cond {rcond:.1e}); "
                                     "gamma is near an exceptional point")
        lam_o, Vo = sla.eigh_tridiagonal(d_odd, e_odd) if L > 1 else (np.zeros(1), np.ones((1, 1)))
        phi = initial_left_orbitals(lat, lat.N)  # all N orbitals, rows: outer sites at distance 1..N
        # components on the outer sites j = M+1 .. M+N: phi(-j)/sqrt2 (even) and -phi(-j)/sqrt2 (odd)
        pe = np.zeros((L + 1, lat.N), dtype=complex)
        po = np.zeros((L, lat.N), dtype=complex)
        pe[M + 1:, :] = phi / math.sqrt(2)
        po[M:, :] = -phi / math.sqrt(2)
        self.ce = sla.lu_solve(lu, pe, check_finite=False)
        self.co = Vo.T @ po
        self.W = Ve[M + 1:, :].conj().T @ Vo[M:, :]  # sum over outer sites j = M+1..L
        self.lam_e, self.lam_o = lam_e, lam_o

    def bilinear(self, P: int) -> np.ndarray:
        """C_P = W o (c^e_{:P})^* (c^o_{:P})^T, so that sum_{p<P} S_p(t) = a(t)^T C_P b(t)."""
        return self.W * (self.ce[:, :P].conj() @ self.co[:, :P].T)

    def S(self, C: np.ndarray, t: float, derivative: bool = False) -> complex:
        a = np.exp(1j * self.lam_e.conj() * t)
        b = np.exp(-1j * self.lam_o * t)
        if not derivative:
            return complex(a @ C @ b)
        return complex((1j * self.lam_e.conj() * a) @ C @ b + a @ C @ (-1j * self.lam_o * b))


@lru_cache(maxsize=8)
def _propagator(lat: FiniteLattice) -> _ParityPropagator:
    return _ParityPropagator(lat)


def evolve_fillings(lat: FiniteLattice, fillings: Sequence[int], times: Sequence[float]) -> dict[int, EvolveResult]:
    """:func:`evolve` for several particle numbers at once (one eigen-decomposition)."""
    t = np.atleast_1d(np.asarray(times, dtype=float))
    if not np.all(np.isfinite(t)) or np.any(t < 0):
        raise ParameterError("times", "finite numbers >= 0", t[~(np.isfinite(t) & (t >= 0))][0])
    for P in fillings:
        if isinstance(P, bool) or not float(P).is_integer() or not 0 <= P <= lat.N:
            raise ParameterError("particles", f"an integer in [0, N={lat.N}]", P)
    prop = _propagator(lat)
    out = {}
    for P in fillings:
        P = int(P)
        C = prop.bilinear(P)
        S = lambda tt, d=False: prop.S(C, tt, d).real  # noqa: E731
        dN = np.array([-S(ti) for ti in t])
        cur = np.array([S(ti, True) for ti in t])
        # before t = 0 the links are off and nothing moves: dN/2(t < 0) = dN/2(0)
        fd = np.array([-(-S(ti + 1) + S(max(ti - 1, 0.0))) / 2 for ti in t])
        out[P] = EvolveResult(t, dN, cur, fd)
    return out


def evolve(lat: FiniteLattice, particles: int, times: Sequence[float]) -> EvolveResult:
    """Exact dN/2 (anglin:29), current = -d(dN/2)/dt and the Fig. 7 estimator at ``times``.

    ``current_fd`` :math:`= -[\\Delta\\mathcal N/2(t+1) - \\Delta\\mathcal N/2(t-1)]/2` (the
    corrected Fig. 7 estimator, erratum ``anglin:fig7-estimator``).

    >>> r = evolve(FiniteLattice(M=1, tau1=1.0, gamma=0.0, N=3), 2, [0.0])
    >>> round(float(r.dN_half[0]), 12)  # two particles on the left, none on the right
    1.0
    """
    return evolve_fillings(lat, [particles], times)[int(particles)]
