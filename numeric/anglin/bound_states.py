"""Discrete (bound) states of the non-Hermitian lossy lattice (anglin App. D).

A bound state decays on both sides: the outer waves are :math:`e^{ik_L|m|}`
and :math:`e^{ik_R|m|}` only, with :math:`\\operatorname{Im}k_{L,R}>0`.  In
the parity basis this means that the coefficients of :math:`e^{-ik_j|m|}`
vanish on both sides, i.e. the closed condition

.. math:: Z(\\omega) = 0\\quad\\text{on the physical sheet}\\ \\operatorname{Im}k_{L,R}(\\omega) > 0,

(:math:`\\operatorname{Im}k_j > 10^{-6}`, i.e. a decay length below 10^6 sites)
with Z of Eq. (35) continued to complex :math:`\\omega` (the generated
:math:`\\hat Z = Z\\sin k_L\\sin k_R`).  :func:`bound_states` finds the roots by
secant iterations from a grid of seeds over the region allowed for the
spectrum of :math:`h_{\\rm eff}`; :func:`finite_lattice_bound_states` is the
independent cross-check (localised eigenvectors of a large finite lattice).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath
import numpy as np
import scipy.linalg as sla

from numeric._generated import lossy_lattice_mp as gmp
from numeric.chebyshev import chain_atoms
from numeric.errors import ParameterError
from numeric.anglin.device import lattice_model
from numeric.anglin.parameters import LossyLattice
from numeric.anglin.transmission import lead_atoms
from numeric.precision import MULTI

__all__ = ["bound_state_condition", "bound_states", "finite_lattice_h_eff", "finite_lattice_bound_states"]


def bound_state_condition(lat: LossyLattice, w, *, dps: int = 30):
    """(Zhat(omega), k_L, k_R) at complex omega with the decaying branches (inside ``workdps``).

    The generated ``Z`` has the lead prefactors :math:`e^{ik_jM}` factored out
    (nonzero: the same roots); ``dps`` is kept for the callers (the working
    precision is the caller's).
    """
    par = lat.at_working_precision()
    c, cL, cR = gmp.wave_cosines(w, par.V, par.Lambda)
    lead_L, lead_R = lead_atoms(cL, backend=MULTI), lead_atoms(cR, backend=MULTI)
    out = gmp.amplitudes_general(chain_atoms(c, lat.M, backend=MULTI), lead_L, lead_R, tau_1=par.tau1,
                                 gamma=par.gamma, X_L=0, X_R=0)
    return out[3], _wavenumber(lead_L.e), _wavenumber(lead_R.e)


def _wavenumber(e):
    """k with e^{ik} = e, real part in [0, 2 pi) (Im k >= 0 for |e| <= 1)."""
    k = -1j * mpmath.log(e)
    return k + 2 * mpmath.pi if mpmath.re(k) < 0 else k


#: smallest Im k_j accepted for a bound state (decay length 1e6 sites)
MIN_DECAY = 1e-6


@dataclass(frozen=True)
class BoundState:
    omega: complex
    kL: complex
    kR: complex


def _region(lat: LossyLattice) -> tuple[float, float, float]:
    """Bounds on Re omega (Gershgorin) and Im omega in [-gamma/2, 0] for the spectrum of h_eff."""
    R = abs(lat.V) / 2 + 2 * max(lat.Lambda, 1.0) + 2 * lat.tau1 * math.sqrt(lat.Lambda) + 2
    return -R, R, lat.gamma / 2


def bound_states(lat: LossyLattice, *, dps: int = 20, seeds: int = 24) -> list[BoundState]:
    """Roots of Z on the physical sheet (finite Lambda).

    Parameters
    ----------
    lat : LossyLattice
        Finite ``Lambda`` (in the reservoir limit there is no physical sheet to search).
    dps : int
        Working digits of the root search.
    seeds : int
        Starting points along Re omega (each with six along Im omega).

    Returns
    -------
    list of BoundState
        ``omega`` (complex, Im < 0) and the wave numbers ``kL``, ``kR`` (Im > 0: localised).

    >>> bs = bound_states(LossyLattice(M=1, tau1=1.0, gamma=4.5, Lambda=1.0), seeds=8)
    >>> [round(float(mpmath.im(b.omega)), 6) for b in bs]  # -2 sinh(arccosh(gamma/4))
    [-1.030776]
    """
    if lat.infinite:
        raise ParameterError("Lambda", "finite for bound states", lat.Lambda)
    lo, hi, gmax = _region(lat)
    found: list[BoundState] = []
    with mpmath.workdps(dps):
        f = lambda w: bound_state_condition(lat, w, dps=dps)[0]  # noqa: E731
        tol = mpmath.mpf(10) ** (-(dps // 2))
        for re in np.linspace(lo, hi, seeds):
            for im in np.linspace(-gmax - 0.5, 0.5, 6):
                w0 = mpmath.mpc(re, im)
                try:
                    w = mpmath.findroot(f, (w0, w0 + mpmath.mpc(0.01, 0.01)), solver="secant", tol=tol ** 2,
                                        maxsteps=60)
                    Zw, kL, kR = bound_state_condition(lat, w, dps=dps)
                except (ValueError, ZeroDivisionError):  # a seed ran into a singular point
                    continue
                # decay length below 1e6 sites: excludes roots on the edge of the physical sheet
                # (resonances approaching the real axis), where Im k_j is only round-off
                if mpmath.im(kL) > MIN_DECAY and mpmath.im(kR) > MIN_DECAY and abs(Zw) < tol and \
                        lo <= mpmath.re(w) <= hi and -gmax - tol <= mpmath.im(w) <= tol:
                    if all(abs(complex(w) - b.omega) > 1e-8 for b in found):
                        found.append(BoundState(complex(w), complex(kL), complex(kR)))
    return sorted(found, key=lambda b: (b.omega.real, b.omega.imag))


def finite_lattice_h_eff(lat: LossyLattice, N: int) -> np.ndarray:
    """h_eff of the lattice truncated to N outer sites per side (corrected link placement), sites
    -(M+N) .. M+N in order: :func:`numeric.anglin.device.lattice_model` truncated."""
    return lattice_model(lat).truncated(N)


def finite_lattice_bound_states(lat: LossyLattice, N: int, *, weight: float = 0.9,
                                window: int = 12) -> np.ndarray:
    """Eigenvalues of the truncated lattice whose eigenvectors keep >= ``weight`` within |m| <= M + window."""
    h = finite_lattice_h_eff(lat, N)
    ev, V = sla.eig(h)
    L = lat.M + N
    core = slice(L - lat.M - window, L + lat.M + window + 1)
    w = np.sum(np.abs(V[core, :]) ** 2, axis=0) / np.sum(np.abs(V) ** 2, axis=0)
    return np.sort_complex(ev[w >= weight])
