"""Transmission and reflection of the lossy lattice from the generated closed forms.

User-facing layer over :mod:`numeric._generated` (array kernels generated from
:mod:`derive`).  Conventions of anglin Eqs. (13)-(17), App. B, C:

* wave numbers from :math:`\\omega = -2\\cos k` and
  :math:`\\omega = -2\\Lambda\\cos k_{L,R} \\pm V/2`, on the branch
  :math:`\\operatorname{Im} k \\ge 0`, :math:`\\operatorname{Re}k\\in[0,\\pi]`
  (so :math:`k_j = i\\kappa` below a band, :math:`\\pi + i\\kappa` above it);
* the paper's ``*`` on :math:`A, B` means :math:`k_j \\to -k_j`, not complex
  conjugation (registry ``anglin:appB-star``; the direct solver decides);
* a side has an incident wave only where its :math:`k_j` is real and
  :math:`\\sin k_j > 0`; elsewhere its reflection and transport are NaN
  (``null`` in the CLI);
* ``transport_L`` :math:`= 1 + X_L|\\mathcal T|^2 - |\\mathcal R_L|^2` (App. C),
  evaluated as :math:`2X_L|\\mathcal T|^2 + a_L` (flux balance, no cancellation).

The middle-chain trigonometry comes from :mod:`numeric.chain` (accurate at
the resonances, where it vanishes); the removable 0/0 at the chain band edges
:math:`\\omega=\\pm2` is handled there.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import mpmath
import numpy as np

from ._generated import lossy_lattice_mp as gmp
from ._generated import lossy_lattice_np as gnp
from .chain import chain_trig, chain_trig_mp
from .errors import ParameterError
from .model import LossyLattice

__all__ = ["Transmission", "transmission", "wavenumber_branch", "isolated_chain_frequencies"]


@dataclass(frozen=True)
class Transmission:
    """Closed-form scattering data on a frequency grid (arrays; ``object`` dtype for mpmath)."""

    omega: np.ndarray
    T: np.ndarray
    RL: np.ndarray
    RR: np.ndarray
    T2: np.ndarray
    RL2: np.ndarray
    RR2: np.ndarray
    transport_L: np.ndarray
    transport_R: np.ndarray
    absorbed_L: np.ndarray
    absorbed_R: np.ndarray
    incident_L: np.ndarray
    incident_R: np.ndarray


def wavenumber_branch(c: np.ndarray) -> np.ndarray:
    """:math:`k = \\arccos c` with :math:`\\operatorname{Im}k\\ge0` and real part in :math:`[0,\\pi]`.

    >>> k = wavenumber_branch(np.array([0.0, 2.0, -2.0]))
    >>> [(round(float(x.real), 6) + 0.0, round(float(x.imag), 6) + 0.0) for x in k]
    [(1.570796, 0.0), (0.0, 1.316958), (3.141593, 1.316958)]
    """
    k = np.arccos(np.asarray(c, dtype=complex))
    k = np.where(k.imag < 0, -k, k)
    return np.where(k.real < 0, k + 2 * np.pi, k)


def _int_power(z: np.ndarray, n: int) -> np.ndarray:
    """:math:`z^n` for integer n >= 0 by repeated squaring (no complex log/exp)."""
    out = np.ones_like(z)
    base = z.copy()
    while n:
        if n & 1:
            out = out * base
        n >>= 1
        if n:
            base = base * base
    return out


def lead_atoms(c: np.ndarray, M: int) -> tuple[np.ndarray, ...]:
    r"""(e^{ik}, e^{-ik}, e^{ikM}, e^{-ikM}, sin k) on the branch of :func:`wavenumber_branch`, from c = cos k.

    Algebraic: :math:`\sin k = \sqrt{(1-c)(1+c)}` inside the band and
    :math:`i\,\mathrm{sgn}(c)\sqrt{(c-1)(c+1)}` outside (Im k > 0, |e^{ik}| < 1);
    :math:`e^{\pm ik} = c \pm i\sin k`, powers by repeated squaring.

    >>> e, ei, eM, eMi, s = lead_atoms(np.array([0.3, 1.7, -1.7]), 3)
    >>> k = wavenumber_branch(np.array([0.3, 1.7, -1.7]))
    >>> bool(np.allclose(eM, np.exp(3j * k)) and np.allclose(s, np.sin(k)))
    True
    """
    c = np.asarray(c, dtype=float)
    inside = np.abs(c) < 1
    with np.errstate(invalid="ignore"):
        s = np.where(inside, np.sqrt(np.abs((1 - c) * (1 + c))) + 0j,
                     1j * np.sign(c) * np.sqrt(np.abs((c - 1) * (c + 1))))
    e, ei = c + 1j * s, c - 1j * s
    return e, ei, _int_power(e, M), _int_power(ei, M), s


def lead_atoms_mp(k, M: int) -> tuple:
    """The same atoms at one mpmath wave number (call inside ``workdps``)."""
    e, ei = mpmath.exp(1j * k), mpmath.exp(-1j * k)
    return e, ei, mpmath.exp(1j * k * M), mpmath.exp(-1j * k * M), mpmath.sin(k)


def lead_atoms_mp_c(c, M: int) -> tuple:
    """:func:`lead_atoms` at one real mpmath ``c`` (algebraic, no acos/exp; inside ``workdps``)."""
    if abs(c) < 1:
        s = mpmath.mpc(mpmath.sqrt((1 - c) * (1 + c)))
    else:
        s = mpmath.mpc(0, mpmath.sign(c) * mpmath.sqrt((c - 1) * (c + 1)))
    e, ei = c + 1j * s, c - 1j * s
    return e, ei, e**M, ei**M, s


def _mp_branch(c):
    k = mpmath.acos(c)
    if mpmath.im(k) < 0:
        k = -k
    if mpmath.re(k) < 0:
        k += 2 * mpmath.pi
    return mpmath.mpc(k)


def _check_omega(omega: Sequence[float]) -> None:
    for w in omega:
        if isinstance(w, str):
            w = float(mpmath.mpf(w))
        if not math.isfinite(float(w)):
            raise ParameterError("omega", "finite numbers", w)


def isolated_chain_frequencies(M: int) -> np.ndarray:
    """Eigenfrequencies (25) of the isolated chain of 2M+1 sites, ascending.

    >>> [round(float(x), 12) + 0.0 for x in isolated_chain_frequencies(1)]
    [-1.414213562373, 0.0, 1.414213562373]
    """
    n = np.arange(1, 2 * M + 2)
    (w,) = gnp.isolated_chain_frequency(n, M)
    return np.asarray(w, dtype=float)


def transmission(lattice: LossyLattice, omega: Sequence[float] | np.ndarray, *,
                 dps: int | None = None, threads: int = 1) -> Transmission:
    """|T|^2, |R_L|^2, |R_R|^2 and transport factors at real frequencies ``omega``.

    ``dps=None`` uses the vectorised NumPy evaluator; an integer ``dps``
    evaluates the mpmath evaluator inside ``mpmath.workdps(dps)`` and returns
    ``mpf`` entries (``omega`` may then be given as strings for exact input).
    Large NumPy evaluations run in cache-sized blocks; ``threads > 1`` evaluates
    the blocks on a thread pool (NumPy releases the GIL inside its loops).

    .. math::

        \\mathcal T = \\frac{i\\sin k}{Z\\sqrt{\\sin k_L\\sin k_R}},\\qquad
        \\mathcal R_L = \\frac{A^*_RB_L+B^*_RA_L-\\frac{i\\gamma}{2\\sin k}A^*_RA_L}{2Z}
        \\quad\\text{(anglin:36)}

    >>> lat = LossyLattice(M=2, tau1=0.1, gamma=0.0, Lambda=1.0)
    >>> tr = transmission(lat, [-1.0, 0.3])
    >>> bool(np.allclose(tr.T2 + tr.RL2, 1.0))
    True
    """
    if dps is None:
        w = np.atleast_1d(np.asarray(omega, dtype=float))
        if not np.all(np.isfinite(w)):
            raise ParameterError("omega", "finite numbers", w[~np.isfinite(w)][0])
        if w.ndim == 1 and w.size > 2 * _BLOCK:
            return _blocked(lattice, w, threads)
        return _transmission_np(lattice, w)
    if int(dps) < 1:
        raise ParameterError("dps", "an integer >= 1", dps)
    ws = list(np.atleast_1d(np.asarray(omega, dtype=object)))
    _check_omega(ws)
    with mpmath.workdps(int(dps)):
        wmp = [mpmath.mpf(x) for x in ws]
        rows = [_point_mp(lattice, x, int(dps)) for x in wmp]
    cols = list(zip(*rows))
    arr = [np.array(c, dtype=object) for c in cols]
    return Transmission(np.array(wmp, dtype=object), *arr)


#: points per block: the ~60 temporaries of the kernel then stay in cache (2-3x faster than one pass)
_BLOCK = 8192


def _blocked(lat: LossyLattice, w: np.ndarray, threads: int) -> Transmission:
    """Evaluate in cache-sized blocks, optionally on a thread pool (NumPy releases the GIL)."""
    blocks = [w[i:i + (_BLOCK if threads <= 1 else 4 * _BLOCK)]
              for i in range(0, w.size, _BLOCK if threads <= 1 else 4 * _BLOCK)]
    if threads > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(threads) as ex:
            parts = list(ex.map(lambda b: _transmission_np(lat, b), blocks))
    else:
        parts = [_transmission_np(lat, b) for b in blocks]
    return Transmission(*(np.concatenate([getattr(p, f) for p in parts]) for f in Transmission.__dataclass_fields__))


def _transmission_np(lat: LossyLattice, omega: np.ndarray) -> Transmission:
    c, cL, cR = gnp.wave_cosines(omega, lat.V, 1.0 if lat.infinite else lat.Lambda)
    chain = chain_trig(c, lat.M)
    with np.errstate(divide="ignore", invalid="ignore"):
        if lat.infinite:
            T, RL, RR, Z, aL, aR, trL, trR = gnp.amplitudes_infinite(*chain, lat.M, lat.tau1, lat.gamma)
            inc_L = inc_R = np.ones(omega.shape, dtype=bool)
        else:
            inc_L, inc_R = np.abs(cL) < 1, np.abs(cR) < 1
            atoms_L = lead_atoms(cL, lat.M)
            atoms_R = atoms_L if lat.V == 0 else lead_atoms(cR, lat.M)  # identical leads
            T, RL, RR, Z, aL, aR, trL, trR = gnp.amplitudes_general(
                *chain, *atoms_L, *atoms_R, lat.tau1, lat.gamma,
                inc_R.astype(float), inc_L.astype(float))
    shape = omega.shape
    T, RL, RR = (np.broadcast_to(np.asarray(x, dtype=complex), shape) for x in (T, RL, RR))
    nan = np.nan
    return Transmission(
        omega=omega, T=T, RL=RL, RR=RR,
        T2=np.where(inc_L | inc_R, np.abs(T) ** 2, nan),
        RL2=np.where(inc_L, np.abs(RL) ** 2, nan),
        RR2=np.where(inc_R, np.abs(RR) ** 2, nan),
        transport_L=np.where(inc_L, np.real(trL), nan),
        transport_R=np.where(inc_R, np.real(trR), nan),
        absorbed_L=np.where(inc_L, np.real(aL), nan),
        absorbed_R=np.where(inc_R, np.real(aR), nan),
        incident_L=inc_L, incident_R=inc_R,
    )


def _point_mp(lat: LossyLattice, w, dps: int):
    c, cL, cR = gmp.wave_cosines(w, mpmath.mpf(lat.V), mpmath.mpf(1 if lat.infinite else lat.Lambda))
    chain = chain_trig_mp(c, lat.M, dps)
    tau1, gamma = mpmath.mpf(lat.tau1), mpmath.mpf(lat.gamma)
    if lat.infinite:
        out = gmp.amplitudes_infinite(*chain, lat.M, tau1, gamma)
        inc_L = inc_R = True
    else:
        inc_L, inc_R = abs(cL) < 1, abs(cR) < 1
        atoms_L = lead_atoms_mp_c(cL, lat.M)
        atoms_R = atoms_L if lat.V == 0 else lead_atoms_mp_c(cR, lat.M)
        out = gmp.amplitudes_general(*chain, *atoms_L, *atoms_R, tau1, gamma, int(inc_R), int(inc_L))
    T, RL, RR, Z, aL, aR, trL, trR = out
    nan = mpmath.nan
    return (
        T, RL, RR, abs(T) ** 2 if (inc_L or inc_R) else nan,
        abs(RL) ** 2 if inc_L else nan,
        abs(RR) ** 2 if inc_R else nan,
        mpmath.re(trL) if inc_L else nan,
        mpmath.re(trR) if inc_R else nan,
        mpmath.re(aL) if inc_L else nan,
        mpmath.re(aR) if inc_R else nan,
        inc_L, inc_R,
    )
