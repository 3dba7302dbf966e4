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

The even sector is not normal: near an exceptional point of :math:`h_{\\rm eff}`
two of its eigenvectors coalesce and an eigenvector expansion loses
:math:`\\sim\\epsilon\\,\\kappa(V)` (2.6e-9 relative at gamma = 4 sqrt 2, M = 0,
N = 1).  The eigenvalues whose condition number exceeds :data:`ILL_CONDITIONED`
are then split off as one upper-triangular block of the reordered Schur form
and propagated with ``expm`` (still O(n^2) per time); ``expm`` of the whole
sector per time is the last resort.

Where :math:`\tau_1(t+1)` is below :data:`~numeric.papers.anglin.first_order.FIRST_ORDER_TAU1_T`
the observables come from first order in the weak links instead
(:mod:`numeric.papers.anglin.first_order`): the O(tau1) eigenvector components across the links,
which LAPACK gives to absolute accuracy only, are never formed there.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np
import scipy.linalg as sla

from numeric.papers.anglin.first_order import FIRST_ORDER_TAU1_T, FirstOrderWeakLink, InnerSpectrum, expm_shifted
from numeric.errors import ParameterError, require
from numeric.progress import Progress, tracked
from numeric.models.tight_binding import Lead, TightBinding, chain_matrix

__all__ = ["FiniteLattice", "EvolveResult", "evolve", "evolve_fillings", "propagate", "initial_left_orbitals",
           "eigen_condition", "ILL_CONDITIONED", "MAX_TIME", "MAX_TAU1", "MAX_GAMMA"]

#: eigenvalues of the even sector with a condition number 1/s_j above this are propagated as one
#: Schur block (an eigenvector expansion loses ~eps/s_j: ~2e-14 relative at this bound)
ILL_CONDITIONED = 100.0
#: the Sylvester solution X decoupling that block from the rest stays below this, else expm per time
SEPARATION_LIMIT = 1e4
#: largest time (units 1/tau): the phases omega*t keep an absolute error ~eps*|omega|*t <~ 1e-8
MAX_TIME = 1e6
#: largest weak-link hopping (units tau) and loss rate accepted (checked against 40-digit mpmath)
MAX_TAU1 = 1e2
MAX_GAMMA = 1e100


def _is_integer(v: object) -> bool:
    """An integer, or a float holding one (without converting huge integers to float)."""
    return isinstance(v, numbers.Integral) or (isinstance(v, float) and v.is_integer())


@dataclass(frozen=True)
class FiniteLattice:
    """Finite lattice of the ``evolve`` command: sites -(M+N) .. M+N.

    Parameters
    ----------
    M : int
        Half length of the middle chain (>= 0).
    tau1 : float
        Weak-link hopping, in (0, :data:`MAX_TAU1`].
    gamma : float
        Loss rate at the central site, in [0, :data:`MAX_GAMMA`].
    N : int
        Sites of each outer end (>= 1), hopping 1.

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
            if isinstance(v, bool) or not _is_integer(v) or v < lo:
                raise ParameterError(name, f"an integer >= {lo}", v)
            object.__setattr__(self, name, int(v))
        object.__setattr__(self, "tau1", require("tau1", self.tau1, lo=0, lo_open=True, hi=MAX_TAU1))
        object.__setattr__(self, "gamma", require("gamma", self.gamma, lo=0, hi=MAX_GAMMA))

    @property
    def L(self) -> int:
        return self.M + self.N

    @property
    def n_sites(self) -> int:
        return 2 * self.L + 1

    def tight_binding(self) -> TightBinding:
        """The infinite lattice this finite lattice truncates, on the general core: the middle chain
        -M .. M (hopping 1, loss at 0) as the region, each outer lattice (hopping 1, potential 0, the
        reservoir-free case Lambda = 1, V = 0) a lead joined to sites -+M by the weak link tau1.

        >>> tb = FiniteLattice(M=1, tau1=0.5, gamma=2.0, N=3).tight_binding()
        >>> tb.sites, [ld.name for ld in tb.leads], float(tb.leads[0].strength)
        (('-1', '0', '1'), ['L', 'R'], 0.25)
        """
        M = self.M
        onsite = [-0.5j * self.gamma if m == 0 else 0.0 for m in range(-M, M + 1)]
        leads = tuple(Lead.make(name, site, -1.0, 0.0, -self.tau1) for name, site in (("L", 0), ("R", 2 * M)))
        return TightBinding(tuple(str(m) for m in range(-M, M + 1)), chain_matrix(onsite, [-1.0] * (2 * M)), leads)

    def bond(self, j: int) -> float:
        """Hopping on the bond (j, j+1) for j >= 0 (mirror symmetric), read off :meth:`h_eff`.

        Parameters
        ----------
        j : int
            The bond's left site, 0 <= j < M + N.

        Returns
        -------
        float
            The hopping (1 inside the chains, tau1 on the weak links).
        """
        L = self.L
        return float(-_h_eff(self)[L + j, L + j + 1].real)

    def h_eff(self) -> np.ndarray:
        """Full single-particle matrix (sites ordered -L .. L) with the loss -i gamma/2 at the centre:
        :meth:`tight_binding` truncated to N sites per lead (:meth:`numeric.models.tight_binding.TightBinding.truncated`)."""
        return _h_eff(self).copy()


@lru_cache(maxsize=8)
def _h_eff(lat: FiniteLattice) -> np.ndarray:
    return lat.tight_binding().truncated(lat.N)


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
    return _left_end_modes(lat.N)[1][:, :particles].copy()


@lru_cache(maxsize=8)
def _left_end_modes(N: int) -> tuple[np.ndarray, np.ndarray]:
    """Energies (ascending) and modes of the isolated end: N sites, hopping 1."""
    return sla.eigh_tridiagonal(np.zeros(N), -np.ones(N - 1))


@dataclass(frozen=True)
class EvolveResult:
    """Times and dN/2 = (N_left - N_right)/2 (Eq. 29), -d(dN/2)/dt and the Fig. 7 estimator."""

    t: np.ndarray
    dN_half: np.ndarray
    current: np.ndarray
    current_fd: np.ndarray
    #: how the even sector was propagated: "eigen", "blocks" (near an exceptional point) or "expm";
    #: "first-order" (in the weak links, where tau1 (t + 1) is small), "first-order+eigen" for both
    method: str = "eigen"


def _sectors(lat: FiniteLattice):
    """Even (0..L) and odd (1..L) sector matrices."""
    L = lat.L
    off = np.array([-lat.bond(j) for j in range(L)])
    h_even = np.diag(off.astype(complex), 1) + np.diag(off.astype(complex), -1)
    h_even[0, 1] = h_even[1, 0] = math.sqrt(2) * off[0]  # <0|h|(|1> + |-1>)/sqrt2>
    h_even[0, 0] = -0.5j * lat.gamma
    h_odd_off = off[1:]
    return h_even, np.zeros(L), h_odd_off


def eigen_condition(V: np.ndarray) -> np.ndarray:
    r"""Condition numbers :math:`1/s_j` of the eigenvalues of a complex *symmetric* matrix.

    For :math:`h = h^T` the left eigenvectors are the conjugated right ones, so
    :math:`s_j = |v_j^Tv_j| / \|v_j\|^2` (Wilkinson's eigenvalue condition): 1 for a
    normal matrix, :math:`\to\infty` where two eigenvectors coalesce (an exceptional
    point); the eigenvector basis then has :math:`\kappa(V)\gtrsim\max_j 1/s_j`.

    Parameters
    ----------
    V
        Right eigenvectors as columns.

    Returns
    -------
    numpy.ndarray
        :math:`1/s_j` per column (``inf`` for an exactly defective eigenvalue).

    >>> [round(float(c), 6) for c in eigen_condition(np.array([[1.0, 0.0], [0.0, 1.0]]))]
    [1.0, 1.0]
    """
    with np.errstate(divide="ignore"):
        return np.einsum("ij,ij->j", V.conj(), V).real / np.abs(np.einsum("ij,ij->j", V, V))


@dataclass(frozen=True)
class _EvenModes:
    """:math:`h_{\\rm even} = P\\,\\mathrm{diag}(T_{11}, \\Lambda)\\,P^{-1}`, columns of P ordered K then R.

    K (``T11``, upper triangular, k x k) holds the ill-conditioned eigenvalues, propagated
    as one block with ``expm``; R the well-conditioned ones (``lam``), propagated by phases.
    """

    method: str
    T11: np.ndarray
    lam: np.ndarray
    P_outer: np.ndarray        # rows of P on the sites j = M .. L (the link site M, then the outer sites)
    coefficients: Callable[[np.ndarray], np.ndarray]   # x -> P^{-1} x


def _eigen_modes(V: np.ndarray, lam: np.ndarray, outer: slice) -> _EvenModes:
    lu = sla.lu_factor(V, check_finite=False)
    return _EvenModes("eigen", np.zeros((0, 0), complex), lam, V[outer],
                      lambda x: sla.lu_solve(lu, x, check_finite=False))


def _block_modes(h: np.ndarray, lam: np.ndarray, bad: np.ndarray, outer: slice) -> _EvenModes | None:
    """Schur form reordered so that the ill-conditioned eigenvalues come first, then block-diagonalised.

    :math:`Z^HhZ = \\begin{pmatrix}T_{11}&T_{12}\\\\0&T_{22}\\end{pmatrix}`,
    :math:`T_{11}X - XT_{22} = -T_{12}`, :math:`T_{22} = V_2\\Lambda V_2^{-1}`, so
    :math:`P = Z\\begin{pmatrix}I&X\\\\0&I\\end{pmatrix}\\mathrm{diag}(I, V_2)`.
    None when the separated blocks are themselves ill-conditioned (``expm`` per time then).
    """
    T, Z = sla.schur(h, output="complex")
    diag = np.diag(T)
    select = np.zeros(len(diag), dtype=np.int32)
    for target in lam[bad]:  # the Schur eigenvalue closest to each flagged one (ties: both of a pair)
        free = np.flatnonzero(select == 0)
        select[free[np.argmin(np.abs(diag[free] - target))]] = 1
    T, Z, _, k, _, _, info = sla.lapack.ztrsen(select, T, Z, job="N")
    if info != 0:
        return None
    T11, T12, T22 = T[:k, :k], T[:k, k:], T[k:, k:]
    if 0 < k < len(T):
        X, scale, info = sla.lapack.ztrsyl(T11, T22, -T12, isgn=-1)   # T11 X - X T22 = -T12 (scaled)
        if info != 0 or not scale > 0:
            return None
        X = X / scale
    else:
        X = np.zeros((k, len(T) - k), dtype=complex)
    lam2, V2 = sla.eig(T22, check_finite=False) if k < len(T) else (np.zeros(0, complex), np.zeros((0, 0), complex))
    if not (np.all(np.isfinite(X)) and np.abs(X).max(initial=0.0) < SEPARATION_LIMIT
            and _eigen_condition_general(V2).max(initial=1.0) < ILL_CONDITIONED):
        return None
    lu2 = sla.lu_factor(V2, check_finite=False)
    P_outer = np.hstack([Z[outer, :k], (Z[outer, :k] @ X + Z[outer, k:]) @ V2])

    def coefficients(x: np.ndarray) -> np.ndarray:
        y = Z.conj().T @ x
        return np.vstack([y[:k] - X @ y[k:], sla.lu_solve(lu2, y[k:], check_finite=False)])

    return _EvenModes("blocks", T11, lam2, P_outer, coefficients)


def _eigen_condition_general(V: np.ndarray) -> np.ndarray:
    """:math:`1/s_j = \\|x_j\\|\\|y_j\\|/|y_j^Hx_j|` for a general matrix (left vectors from :math:`V^{-1}`)."""
    if len(V) == 0:
        return np.ones(0)
    Y = np.linalg.inv(V).conj().T  # columns: left eigenvectors with y_j^H x_j = 1
    return np.linalg.norm(V, axis=0) * np.linalg.norm(Y, axis=0)


class _ParityPropagator:
    """Both parity sectors, decomposed once per lattice and shared by every filling.

    With :math:`a = e^{i\\lambda^* t}` (even, well-conditioned part), :math:`b = e^{-i\\lambda_o t}`,
    :math:`F = e^{-iT_{11}t}` (even, ill-conditioned block) and the bilinear matrices of the P lowest
    orbitals, :math:`\\Delta\\mathcal N/2 = -\\mathrm{Re}\\,[a^TC_Pb + \\sum_{kl}F^*_{kl}(G_Pb)_{kl}]`.
    ``method``: ``"auto"`` (eigenvectors unless an eigenvalue condition exceeds
    :data:`ILL_CONDITIONED`, then ``"blocks"``, then ``"expm"``), or one of those forced.
    """

    def __init__(self, lat: FiniteLattice, method: str = "auto") -> None:
        if method not in ("auto", "eigen", "blocks", "expm"):
            raise ValueError(f"unknown propagation method {method!r}")
        L, M = lat.L, lat.M
        h_even, d_odd, e_odd = _sectors(lat)
        lam_o, Vo = sla.eigh_tridiagonal(d_odd, e_odd) if L > 1 else (np.zeros(1), np.ones((1, 1)))
        phi = initial_left_orbitals(lat, lat.N)  # all N orbitals, rows: outer sites at distance 1..N
        # components on the outer sites j = M+1 .. M+N: phi(-j)/sqrt2 (even) and -phi(-j)/sqrt2 (odd)
        self.pe = np.zeros((L + 1, lat.N), dtype=complex)
        po = np.zeros((L, lat.N), dtype=complex)
        self.pe[M + 1:, :] = phi / math.sqrt(2)
        po[M:, :] = -phi / math.sqrt(2)
        self.co = Vo.T @ po
        self.lam_o, self.Vo_outer = lam_o, Vo[M:, :]
        self.outer = slice(M + 1, None)
        # the weak link (sites M, M+1) in both sectors: d/dt of the outer overlap is carried by it alone
        self.M, self.Vo = M, Vo
        self.link_even = complex(h_even[M, M + 1]) if L > M else 0j
        self.link_odd = float(e_odd[M - 1]) if 1 <= M < L else 0.0  # site 0 is not in the odd sector
        self.Vo_link = (Vo[M - 1] if M >= 1 else np.zeros(L), Vo[M] if M < L else np.zeros(L))  # sites M, M+1
        modes = None
        if method != "expm":
            lam, V = sla.eig(h_even, check_finite=False)
            bad = eigen_condition(V) > ILL_CONDITIONED
            if method == "eigen" or (method == "auto" and not bad.any()):
                modes = _eigen_modes(V, lam, slice(M, None))
            else:
                modes = _block_modes(h_even, lam, bad, slice(M, None))
        self.method = "expm" if modes is None else modes.method
        self.h_even = h_even if modes is None else None
        if modes is not None:
            ce = modes.coefficients(self.pe)
            k = modes.T11.shape[0]
            self.ce_K, self.ce_R = ce[:k], ce[k:]
            self.T11, self.lam = modes.T11, modes.lam
            P_M, P_outer = modes.P_outer[0], modes.P_outer[1:]  # rows of P on site M, then on M+1 .. L
            W = P_outer.conj().T @ self.Vo_outer  # sum over outer sites j = M+1..L
            self.W_K, self.W_R = W[:k], W[k:]
            # dS/dt = i [h_e conj(psi_e(M)) psi_o(M+1) - h_o conj(psi_e(M+1)) psi_o(M)]: O(tau1^2) by construction
            Wd = 1j * (self.link_even * np.outer(P_M.conj(), self.Vo_link[1])
                       - self.link_odd * np.outer(P_outer[0].conj(), self.Vo_link[0]))
            self.Wd_K, self.Wd_R = Wd[:k], Wd[k:]

    def bilinear(self, P: int) -> tuple:
        """(C_P, G_P, Cd_P, Gd_P): :math:`C_P = W_R\\circ(c^R_{:P})^*(c^o_{:P})^T`,
        :math:`(G_P)_{klj} = (W_K)_{kj}[(c^K_{:P})^*(c^o_{:P})^T]_{lj}`; Cd, Gd the same with the
        link weights ``Wd`` of the derivative."""
        if self.method == "expm":
            return self.pe[:, :P], self.co[:, :P]
        co = self.co[:, :P].T
        coef_R, coef_K = self.ce_R[:, :P].conj() @ co, (self.ce_K[:, :P].conj() @ co)[None, :, :]
        return (self.W_R * coef_R, self.W_K[:, None, :] * coef_K,
                self.Wd_R * coef_R, self.Wd_K[:, None, :] * coef_K)

    def S(self, CG: tuple, t: float, derivative: bool = False) -> complex:
        """:math:`S(t) = \\sum_p\\langle\\psi^e_p(t)|\\psi^o_p(t)\\rangle_{\\rm outer}` (or dS/dt).

        The outer blocks of both sectors are the same real matrix, so in dS/dt their terms
        cancel exactly and only the weak link remains:
        :math:`\\dot S = i\\sum_p[h^e_{M+1,M}\\psi^{e*}_p(M)\\psi^o_p(M+1) - h^o_{M+1,M}\\psi^{e*}_p(M+1)\\psi^o_p(M)]`,
        evaluated as such: O(tau1^2) by construction, free of the round-off of O(1) terms that a
        difference of the two sectors' phases would leave (and that depends on the BLAS kernel).
        """
        b = np.exp(-1j * self.lam_o * t)
        if self.method == "expm":
            pe, co = CG
            psi_e = expm_shifted(-1j * t * self.h_even) @ pe
            if not derivative:
                return complex(np.sum(psi_e[self.outer].conj() * (self.Vo_outer @ (b[:, None] * co))))
            M = self.M
            psi_o_M, psi_o_M1 = ((v * b) @ co for v in self.Vo_link)
            return complex(1j * (self.link_even * np.sum(psi_e[M].conj() * psi_o_M1)
                                 - self.link_odd * np.sum(psi_e[M + 1].conj() * psi_o_M)))
        C, G, Cd, Gd = CG
        if derivative:
            C, G = Cd, Gd
        a = np.exp(1j * self.lam.conj() * t)
        F = expm_shifted(-1j * t * self.T11).conj() if len(self.T11) else self.T11
        return complex(a @ C @ b + np.sum(F * (G @ b)))


@lru_cache(maxsize=8)
def _propagator(lat: FiniteLattice, method: str = "auto") -> _ParityPropagator:
    return _ParityPropagator(lat, method)


def _inner_spectrum(lat: FiniteLattice) -> InnerSpectrum:
    """The inner chain (sites -M .. M) at its site -M, from its two parity sectors (O(1) blocks, no tau1 in them).

    :math:`[f(C)]_{-M,-M} = \\tfrac12[f(C_e)]_{MM} + \\tfrac12[f(C_o)]_{MM}` (M >= 1; the site 0 itself for M = 0):
    the odd sector is Hermitian, the even one is decomposed like the full even sector (its ill-conditioned
    eigenvalues as a Schur block, the whole sector as one block as the last resort).
    """
    M = lat.M
    h_even, _, e_odd = _sectors(lat)
    C_e = h_even[:M + 1, :M + 1]
    half = 1.0 if M == 0 else 0.5
    e_M = np.zeros((M + 1, 1), dtype=complex)
    e_M[M] = 1
    lam, V = sla.eig(C_e, check_finite=False)
    bad = eigen_condition(V) > ILL_CONDITIONED
    modes = _block_modes(C_e, lam, bad, slice(M, M + 1)) if bad.any() else _eigen_modes(V, lam, slice(M, M + 1))
    if modes is None:
        energies, weights, blocks = np.zeros(0, complex), np.zeros(0, complex), ((C_e, half * e_M[:, 0], e_M[:, 0]),)
    else:
        k = modes.T11.shape[0]
        c = modes.coefficients(e_M)[:, 0]
        energies, weights = modes.lam, half * modes.P_outer[0, k:] * c[k:]
        blocks = ((modes.T11, half * modes.P_outer[0, :k], c[:k]),) if k else ()
    if M >= 1:
        lam_o, V_o = sla.eigh_tridiagonal(np.zeros(M), e_odd[:M - 1]) if M > 1 else (np.zeros(1), np.ones((1, 1)))
        energies = np.concatenate([energies, lam_o.astype(complex)])
        weights = np.concatenate([weights, 0.5 * V_o[M - 1] ** 2 + 0j])
    return InnerSpectrum(energies, weights, blocks)


@lru_cache(maxsize=8)
def _first_order(lat: FiniteLattice) -> FirstOrderWeakLink:
    eps, modes = _left_end_modes(lat.N)
    return FirstOrderWeakLink(lat.tau1, _inner_spectrum(lat), eps, modes[0])


def evolve_fillings(lat: FiniteLattice, fillings: Sequence[int], times: Sequence[float], *,
                    method: str = "auto", progress: Progress | None = None) -> dict[int, EvolveResult]:
    """:func:`evolve` for several particle numbers at once (one decomposition of each sector)."""
    t = np.atleast_1d(np.asarray(times, dtype=float))
    ok = np.isfinite(t) & (t >= 0) & (t <= MAX_TIME)
    if not np.all(ok):
        raise ParameterError("times", f"finite numbers in [0, {MAX_TIME:g}]", t[~ok][0])
    for P in fillings:
        if isinstance(P, bool) or not _is_integer(P) or not 0 <= P <= lat.N:
            raise ParameterError("particles", f"an integer in [0, N={lat.N}]", P)
    # first order in the weak links where tau1 (t + 1) is small (t + 1: the estimator reaches t + 1)
    first = (lat.tau1 * (t + 1) <= FIRST_ORDER_TAU1_T) if method == "auto" else np.zeros(len(t), bool)
    for _ in tracked(range(1), progress, total=1, desc="evolve: decomposition"):  # the long first step shows too
        prop = None if first.all() else _propagator(lat, method)
        weak = _first_order(lat) if first.any() else None
    fillings = [int(P) for P in fillings]
    rows = {P: np.empty((3, len(t))) for P in fillings}
    CG, last = None, None
    steps = ((P, i) for P in fillings for i in range(len(t)))
    for P, i in tracked(steps, progress, total=len(fillings) * len(t), desc="evolve"):
        ti = t[i]
        if first[i]:
            rows[P][:, i] = weak.values(P, ti)
            continue
        if P != last:
            CG, last = prop.bilinear(P), P
        # dN/2 = -Re S; before t = 0 the links are off and nothing moves: dN/2(t < 0) = dN/2(0)
        rows[P][:, i] = (-prop.S(CG, ti).real, prop.S(CG, ti, True).real,
                         -(-prop.S(CG, ti + 1).real + prop.S(CG, max(ti - 1, 0.0)).real) / 2)
    for r in rows.values():
        r += 0.0  # -0.0 (an empty or fully decayed run) prints as 0
    used = "+".join((["first-order"] if first.any() else []) + ([prop.method] if prop is not None else []))
    return {P: EvolveResult(t, r[0], r[1], r[2], used) for P, r in rows.items()}


def evolve(lat: FiniteLattice, particles: int, times: Sequence[float], *, method: str = "auto",
           progress: Progress | None = None) -> EvolveResult:
    r"""Exact dN/2 (anglin:29), current = -d(dN/2)/dt and the Fig. 7 estimator at ``times``.

    .. math::

        \frac{\Delta\mathcal N}{2}(t) = \frac12\sum_{j>M}\big[n_{-j}(t) - n_j(t)\big],\qquad
        n_m(t) = R_{mm}(t),\quad R(t) = U^*(t)R(0)U^T(t),\quad U = e^{-ih_{\rm eff}t}

    ``current_fd`` :math:`= -[\Delta\mathcal N/2(t+1) - \Delta\mathcal N/2(t-1)]/2` (the
    corrected Fig. 7 estimator, erratum ``anglin:fig7-estimator``).

    Near an exceptional point of :math:`h_{\rm eff}` (two eigenvectors of the even
    sector coalesce, e.g. gamma = 4 sqrt(2) tau1 for M = 0, N = 1) a plain eigenvector
    expansion loses ~eps*kappa(V) digits; the eigenvalues whose condition exceeds
    :data:`ILL_CONDITIONED` are then propagated as one triangular block of the
    reordered Schur form (``result.method == "blocks"``), with ``expm`` per time as
    the last resort.  Where :math:`\tau_1(t+1) \le 5\cdot10^{-9}` (and ``method="auto"``)
    the results are first order in the weak links, in closed form
    (:mod:`numeric.papers.anglin.first_order`: full relative accuracy for any tau1, no O(n^3) step).

    Parameters
    ----------
    lat
        The finite lattice.
    particles
        Fermions initially in the lowest modes of the isolated left end, 0 <= particles <= N.
    times
        Times in units of 1/tau, each in [0, :data:`MAX_TIME`].
    method
        ``"auto"`` (default), or force ``"eigen"``, ``"blocks"`` or ``"expm"`` (then at every time).
    progress
        Optional progress wrapper (:mod:`numeric.progress`), advanced once per time.

    Returns
    -------
    EvolveResult
        ``t``, ``dN_half``, ``current``, ``current_fd`` and the propagation ``method`` used.

    >>> r = evolve(FiniteLattice(M=1, tau1=1.0, gamma=0.0, N=3), 2, [0.0])
    >>> round(float(r.dN_half[0]), 12)  # two particles on the left, none on the right
    1.0
    """
    return evolve_fillings(lat, [particles], times, method=method, progress=progress)[int(particles)]
