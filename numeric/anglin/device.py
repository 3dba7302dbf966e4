"""Direct solve of the lossy lattice: finite device + exact semi-infinite leads.

Independent of the closed forms: the lattice is built site by site from
anglin Eqs. (1)-(3) (``variant="printed"`` exactly as printed, or
``"corrected"``), the outer lattices enter through their exact surface
Green's functions, and amplitudes are read off the device Green's function
(Fisher-Lee / Caroli).  No trigonometric closed form is used: the lead
Bloch factor :math:`\\lambda = e^{ik}` is the root of

.. math:: \\lambda^2 + \\frac{\\omega-\\varepsilon}{\\Lambda}\\lambda + 1 = 0

with :math:`|\\lambda|<1` (evanescent) or :math:`\\operatorname{Im}\\lambda>0`
(outgoing).  With the link hopping :math:`t_c=\\tau_1\\sqrt\\Lambda`, the
self-energy on the device end site is :math:`\\Sigma=-\\tau_1^2\\lambda`,
finite as :math:`\\Lambda\\to\\infty` (then :math:`\\lambda = i`).

For incidence from the left lead (surface site :math:`s`, device end site
:math:`d=s+1`) with incoming wave :math:`e^{ikm}`:

.. math::

    \\psi_D = G\\,e_d\\,\\tau_1\\sqrt\\Lambda(\\lambda-\\lambda^{-1})\\lambda^{s+1},\\qquad
    \\mathcal R_L = \\lambda^{2(s+1)}\\big[\\tau_1^2(\\lambda-\\lambda^{-1})G_{dd}-1\\big],

the transmitted wave :math:`t\\lambda_R^m` on the right has
:math:`t = \\tau_1^2(\\lambda_L-\\lambda_L^{-1})\\lambda_L^{s+1}\\lambda_R^{-(s_R-1)}G_{d_Rd}`,
and the absorbed fraction is :math:`a_L = 2\\gamma\\tau_1^2\\sin k_L|G_{0d}|^2`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from numeric.anglin.parameters import LossyLattice
from numeric.tight_binding import Lead, TightBinding, chain_matrix

__all__ = ["printed_hopping", "corrected_hopping", "potential", "lattice_model", "Device", "build_device",
           "lead_bloch_factor", "DirectResult", "solve"]

Variant = Literal["printed", "corrected"]
_KIND_LEAD, _KIND_LINK, _KIND_CHAIN = "lead", "link", "chain"


def printed_hopping(m: int, M: int) -> str:
    """Kind of the bond (m, m+1) exactly as anglin Eq. (2) is printed."""
    if -(M + 1) <= m <= M:
        return _KIND_CHAIN
    if m < -(M + 2) or m > M + 1:
        return _KIND_LEAD
    return _KIND_LINK  # m = -(M+2) or m = M+1


def corrected_hopping(m: int, M: int) -> str:
    """Kind of the bond (m, m+1) with the weak links joining +-M and +-(M+1)."""
    if -M <= m <= M - 1:
        return _KIND_CHAIN
    if m < -(M + 1) or m > M:
        return _KIND_LEAD
    return _KIND_LINK


def potential(m: int, M: int, V: float) -> float:
    """On-site potential, anglin Eq. (3)."""
    if abs(m) <= M:
        return 0.0
    return V / 2 if m < -M else -V / 2


def lattice_model(lat: LossyLattice, variant: Variant = "corrected") -> TightBinding:
    """The lossy lattice as a general tight-binding model: the ONE numeric description.

    Region: the sites between the two link bonds of Eq. (2) (``variant="printed"`` exactly as
    printed, ``"corrected"`` with the weak links joining +-M and +-(M+1), erratum ``anglin:2``),
    hopping -1 on chain bonds, potentials of Eq. (3), loss :math:`-i\\gamma/2` on site 0; leads L, R:
    hopping :math:`-\\Lambda`, potential :math:`\\pm V/2`, coupling :math:`-\\tau_1\\sqrt\\Lambda`
    (wide band with strength :math:`\\tau_1^2` for :math:`\\Lambda=\\infty`).  Region sites are named by
    their lattice index.  The direct solver's device (:func:`build_device`), the finite lattices of
    the bound states and of the dynamics (:meth:`TightBinding.truncated`) are built from it.

    >>> tb = lattice_model(LossyLattice(M=1, tau1=0.5, gamma=2.0, Lambda=4.0))
    >>> tb.sites, [ld.name for ld in tb.leads], float(tb.leads[0].strength)
    (('-1', '0', '1'), ['L', 'R'], 0.25)
    """
    kind = printed_hopping if variant == "printed" else corrected_hopping
    M = lat.M
    links = [m for m in range(-(M + 4), M + 4) if kind(m, M) == _KIND_LINK]
    if len(links) != 2:
        raise RuntimeError(f"expected two link bonds, found {links}")
    left, right = links
    sites = np.arange(left + 1, right + 1)
    for m in sites[:-1]:
        if kind(m, M) != _KIND_CHAIN:
            raise RuntimeError(f"bond ({m}, {m + 1}) inside the device is a {kind(m, M)} bond")
    for m in list(range(-(M + 6), left + 1)) + list(range(right + 1, M + 6)):
        if kind(m, M) == _KIND_CHAIN:
            raise RuntimeError("chain bond outside the device")
    onsite = [potential(m, M, lat.V) - (0.5j * lat.gamma if m == 0 else 0.0) for m in sites]
    H = chain_matrix(onsite, [-1.0] * (len(sites) - 1))
    eps = (potential(left, M, lat.V), potential(right + 1, M, lat.V))
    if lat.infinite:
        leads = tuple(Lead.wide_band(n, s, e, lat.tau1**2) for n, s, e in (("L", 0, eps[0]),
                                                                          ("R", len(sites) - 1, eps[1])))
    else:
        link = -(lat.tau1 * math.sqrt(lat.Lambda))
        leads = tuple(Lead.make(n, s, -lat.Lambda, e, link) for n, s, e in (("L", 0, eps[0]),
                                                                          ("R", len(sites) - 1, eps[1])))
    return TightBinding(tuple(str(m) for m in sites), H, leads)


@dataclass(frozen=True)
class Device:
    """Finite device between the two link bonds (from :func:`lattice_model`).

    ``sites`` are the lattice indices; ``H`` the (non-Hermitian) device
    Hamiltonian; ``s_left`` / ``s_right`` the lead surface sites; ``eps_left``
    / ``eps_right`` the lead on-site energies.
    """

    sites: np.ndarray
    H: np.ndarray
    s_left: int
    s_right: int
    eps_left: float
    eps_right: float


def build_device(lat: LossyLattice, variant: Variant = "corrected") -> Device:
    """Device Hamiltonian of :func:`lattice_model` with the lattice indices of its sites."""
    tb = lattice_model(lat, variant)
    sites = np.array([int(s) for s in tb.sites])
    return Device(sites, tb.H, int(sites[0]) - 1, int(sites[-1]) + 1, tb.leads[0].potential, tb.leads[1].potential)


def lead_bloch_factor(omega: np.ndarray, eps: float, Lambda: float) -> np.ndarray:
    """Outgoing/decaying root :math:`\\lambda` of :math:`\\lambda^2+x\\lambda+1=0`, :math:`x=(\\omega-\\varepsilon)/\\Lambda`.

    >>> lead_bloch_factor(np.array([0.0]), 0.0, np.inf)
    array([0.+1.j])
    """
    x = (np.asarray(omega, dtype=float) - eps) / Lambda
    disc = np.sqrt(np.asarray(x * x - 4, dtype=complex))
    r1, r2 = (-x + disc) / 2, (-x - disc) / 2
    inside = np.abs(x) < 2
    pick_inside = np.where(r1.imag > 0, r1, r2)
    pick_outside = np.where(np.abs(r1) < 1, r1, r2)
    return np.where(inside, pick_inside, pick_outside)


@dataclass(frozen=True)
class DirectResult:
    """Amplitudes from the direct solve (NaN where that side has no incident wave; ``T2`` is 0 where either
    side has no propagating wave, docs/cli.md)."""

    omega: np.ndarray
    RL: np.ndarray
    RR: np.ndarray
    tL: np.ndarray  # transmitted wave amplitude, left incidence
    tR: np.ndarray
    T2: np.ndarray  # |T|^2 = |t|^2 |sin k_out / sin k_in|; 0 where either side has no propagating wave
    T2_continued: np.ndarray  # the same expression continued to one evanescent side (NaN if both are)
    RL2: np.ndarray
    RR2: np.ndarray
    absorbed_L: np.ndarray
    absorbed_R: np.ndarray
    transport_L: np.ndarray  # 1 + X_L |T|^2 - |R_L|^2, evaluated as 2 X_L |T|^2 + a_L
    transport_R: np.ndarray


def solve(lat: LossyLattice, omega: np.ndarray, *, variant: Variant = "corrected") -> DirectResult:
    """Direct solve at each real frequency (batched dense linear algebra)."""
    w = np.atleast_1d(np.asarray(omega, dtype=float))
    dev = build_device(lat, variant)
    n = len(dev.sites)
    lamL = lead_bloch_factor(w, dev.eps_left, lat.Lambda)
    lamR = lead_bloch_factor(w, dev.eps_right, lat.Lambda)
    t2 = lat.tau1**2
    A = (w[:, None, None] * np.eye(n) - dev.H[None]).astype(complex)
    A[:, 0, 0] += t2 * lamL  # minus Sigma_L = +tau1^2 lambda_L
    A[:, -1, -1] += t2 * lamR
    rhs = np.zeros((len(w), n, 2), dtype=complex)
    rhs[:, 0, 0] = 1.0
    rhs[:, -1, 1] = 1.0
    G = np.linalg.solve(A, rhs)  # columns: G e_first, G e_last
    i0 = int(np.flatnonzero(dev.sites == 0)[0])
    sL, sR = dev.s_left, dev.s_right
    vL = lamL - 1 / lamL  # = 2i sin k_L
    vR = lamR - 1 / lamR
    propL = np.abs((w - dev.eps_left) / lat.Lambda) < 2  # real k_L, sin k_L > 0
    propR = np.abs((w - dev.eps_right) / lat.Lambda) < 2
    sinL, sinR = (vL / 2j).real, (vR / 2j).real
    # left incidence
    RL = lamL ** (2 * (sL + 1)) * (t2 * vL * G[:, 0, 0] - 1)
    tL = t2 * vL * lamL ** (sL + 1) * lamR ** (-(sR - 1)) * G[:, -1, 0]
    aL = 2 * lat.gamma * t2 * sinL * np.abs(G[:, i0, 0]) ** 2
    # right incidence (incoming e^{-i k_R m})
    RR = lamR ** (2 * (1 - sR)) * (t2 * vR * G[:, -1, -1] - 1)
    tR = t2 * vR * lamR ** (1 - sR) * lamL ** (sL + 1) * G[:, 0, -1]
    aR = 2 * lat.gamma * t2 * sinR * np.abs(G[:, i0, -1]) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        T2 = np.where(propL, np.abs(tL) ** 2 * np.abs(vR / vL), np.abs(tR) ** 2 * np.abs(vL / vR))
    XL, XR = propR.astype(float), propL.astype(float)
    nan = np.nan
    return DirectResult(
        omega=w,
        RL=np.where(propL, RL, nan), RR=np.where(propR, RR, nan),
        tL=np.where(propL, tL, nan), tR=np.where(propR, tR, nan),
        T2=np.where(propL & propR, T2, 0.0),  # flux-normalised: 0 where either side has no propagating wave
        T2_continued=np.where(propL | propR, T2, nan),
        RL2=np.where(propL, np.abs(RL) ** 2, nan), RR2=np.where(propR, np.abs(RR) ** 2, nan),
        absorbed_L=np.where(propL, aL, nan), absorbed_R=np.where(propR, aR, nan),
        transport_L=np.where(propL, 2 * XL * T2 + aL, nan),
        transport_R=np.where(propR, 2 * XR * T2 + aR, nan),
    )
