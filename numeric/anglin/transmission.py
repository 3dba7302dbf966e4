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

The middle-chain trigonometry comes from :mod:`numeric.chebyshev` (accurate at
the resonances, where it vanishes); the removable 0/0 at the chain band edges
:math:`\\omega=\\pm2` is handled there.
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Sequence

import mpmath
import numpy as np

from numeric._generated import lossy_lattice_mp as gmp
from numeric._generated import lossy_lattice_np as gnp
from numeric.chebyshev import chain_trig, chain_trig_mp, principal_sqrt_1mc2
from numeric.errors import ParameterError
from numeric.anglin.parameters import LossyLattice
from numeric.workspace import buffer

__all__ = ["Transmission", "transmission", "wavenumber_branch", "isolated_chain_frequencies", "amplitudes_mp"]


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


def _int_power(z: np.ndarray, n: int, out: np.ndarray, tmp: np.ndarray) -> np.ndarray:
    """:math:`z^n` for integer n >= 1 into ``out`` by repeated squaring (no complex log/exp)."""
    started = False
    np.copyto(tmp, z)
    while n:
        if n & 1:
            if started:
                out *= tmp
            else:
                np.copyto(out, tmp)
                started = True
        n >>= 1
        if n:
            tmp *= tmp
    if not started:
        out.fill(1.0)
    return out


def lead_atoms(c: np.ndarray, M: int, *, workspace: dict | None = None,
               key: str = "lead") -> tuple[np.ndarray, ...]:
    r"""(e^{ik}, e^{-ik}, e^{ikM}, e^{-ikM}, sin k) on the branch of :func:`wavenumber_branch`, from c = cos k.

    Algebraic: :math:`\sin k = \sqrt{(1-c)(1+c)}` inside the band and
    :math:`i\,\mathrm{sgn}(c)\sqrt{(c-1)(c+1)}` outside (Im k > 0, |e^{ik}| < 1);
    :math:`e^{\pm ik} = c \pm i\sin k`, powers by repeated squaring.  With a
    ``workspace`` (:mod:`numeric.workspace`) the results are its buffers under ``key``.

    >>> e, ei, eM, eMi, s = lead_atoms(np.array([0.3, 1.7, -1.7]), 3)
    >>> k = wavenumber_branch(np.array([0.3, 1.7, -1.7]))
    >>> bool(np.allclose(eM, np.exp(3j * k)) and np.allclose(s, np.sin(k)))
    True
    """
    c = np.asarray(c, dtype=float)
    shape = c.shape
    s = principal_sqrt_1mc2(c, workspace=workspace, key=key + ":s")  # i sqrt(c^2 - 1) outside
    np.copysign(s.imag, c, out=s.imag)                                  # i sgn(c) sqrt(c^2 - 1)
    s.imag += 0.0                                                       # no -0.0 (branch of later sqrt)
    e, ei = (buffer(workspace, key + n, shape, complex) for n in (":e", ":ei"))
    np.subtract(c, s.imag, out=e.real)   # e^{ik} = c + i s
    np.copyto(e.imag, s.real)
    np.add(c, s.imag, out=ei.real)       # e^{-ik} = c - i s
    np.negative(s.real, out=ei.imag)
    tmp = buffer(workspace, key + ":tmp", shape, complex)
    eM = _int_power(e, M, buffer(workspace, key + ":eM", shape, complex), tmp)
    eMi = _int_power(ei, M, buffer(workspace, key + ":eMi", shape, complex), tmp)
    return e, ei, eM, eMi, s


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
    Large NumPy evaluations run in cache-sized blocks written into preallocated
    results, with work buffers pooled between calls (:mod:`numeric.workspace`);
    ``threads > 1`` evaluates the blocks on a thread pool (NumPy releases the
    GIL inside its loops; on the 2-core benchmark machine one thread was as fast).

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


#: points per block: the work buffers of a block then stay in cache; threads take larger blocks
#: (fewer Python-level operations per point while the other thread holds the GIL)
_BLOCK = 8192
_THREAD_BLOCK = 32768
_DTYPES = {"T": complex, "RL": complex, "RR": complex, "incident_L": bool, "incident_R": bool}


def _allocate(shape: tuple[int, ...]) -> Transmission:
    return Transmission(**{f: np.empty(shape, dtype=_DTYPES.get(f, float)) for f in Transmission.__dataclass_fields__})


def _blocked(lat: LossyLattice, w: np.ndarray, threads: int) -> Transmission:
    """Evaluate block by block into preallocated results, optionally on a thread pool.

    Each thread keeps one workspace (:mod:`numeric.workspace`), so after the
    first block nothing is allocated; NumPy releases the GIL inside its loops.
    """
    res = _allocate(w.shape)
    step = _BLOCK if threads <= 1 else _THREAD_BLOCK
    fields = Transmission.__dataclass_fields__

    def run(first: int, stride: int) -> None:
        ws = _take_workspace()
        try:
            for i in range(first, w.size, stride):
                sl = slice(i, i + step)
                full = i + step <= w.size  # a short last block does not replace the pooled buffers
                _transmission_np(lat, w[sl], workspace=ws if full else None,
                                 out=Transmission(*(getattr(res, f)[sl] for f in fields)))
        finally:
            _give_workspace(ws)

    if threads > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(threads) as ex:  # thread j takes blocks j, j + threads, ...
            list(ex.map(lambda j: run(j * step, threads * step), range(threads)))
    else:
        run(0, step)
    return res


#: work buffers kept between calls: one workspace per concurrently running block loop
#: (about 30 arrays of one block each: ~4 MB at 8192 points, ~16 MB at 32768)
_WORKSPACES: list[dict] = []
_WORKSPACES_LOCK = threading.Lock()


def _take_workspace() -> dict:
    with _WORKSPACES_LOCK:
        return _WORKSPACES.pop() if _WORKSPACES else {}


def _give_workspace(ws: dict) -> None:
    with _WORKSPACES_LOCK:
        if len(_WORKSPACES) < 4:
            _WORKSPACES.append(ws)


def _abs2_into(z: np.ndarray, dst: np.ndarray, tmp: np.ndarray) -> None:
    np.multiply(z.real, z.real, out=dst)
    np.multiply(z.imag, z.imag, out=tmp)
    dst += tmp


def _transmission_np(lat: LossyLattice, omega: np.ndarray, *, workspace: dict | None = None,
                     out: Transmission | None = None) -> Transmission:
    """One array of frequencies; results written into ``out`` when given (see :func:`_blocked`)."""
    shape = omega.shape
    dst = _allocate(shape) if out is None else out
    np.copyto(dst.omega, omega)
    c, cL, cR = gnp.wave_cosines(omega, lat.V, 1.0 if lat.infinite else lat.Lambda, workspace=workspace,
                                 out=tuple(buffer(workspace, n, shape) for n in ("c", "cL", "cR")))
    chain = chain_trig(c, lat.M, workspace=workspace)
    amp = tuple(buffer(workspace, "amp:" + n, shape, complex) for n in ("Z", "aL", "aR", "trL", "trR"))
    inc_L, inc_R = dst.incident_L, dst.incident_R
    with np.errstate(divide="ignore", invalid="ignore"):
        if lat.infinite:
            gnp.amplitudes_infinite(*chain, lat.M, lat.tau1, lat.gamma, workspace=workspace,
                                    out=(dst.T, dst.RL, dst.RR) + amp)
            inc_L.fill(True)
            inc_R.fill(True)
        else:
            absc = buffer(workspace, "absc", shape)
            np.less(np.abs(cL, out=absc), 1, out=inc_L)
            np.less(np.abs(cR, out=absc), 1, out=inc_R)
            atoms_L = lead_atoms(cL, lat.M, workspace=workspace, key="lead:L")
            XL, XR = buffer(workspace, "XL", shape), buffer(workspace, "XR", shape)
            np.copyto(XL, inc_L)
            np.copyto(XR, inc_R)
            outs = (dst.T, dst.RL, dst.RR) + amp
            if lat.V == 0:  # identical leads: the kernel specialised to k_R = k_L
                gnp.amplitudes_identical_leads(*chain, *atoms_L, lat.tau1, lat.gamma, XR, XL,
                                               workspace=workspace, out=outs)
            else:
                atoms_R = lead_atoms(cR, lat.M, workspace=workspace, key="lead:R")
                gnp.amplitudes_general(*chain, *atoms_L, *atoms_R, lat.tau1, lat.gamma, XR, XL,
                                       workspace=workspace, out=outs)
    _, aL, aR, trL, trR = amp
    tmp, mask = buffer(workspace, "tmp", shape), buffer(workspace, "mask", shape, bool)
    nan = np.nan
    np.logical_or(inc_L, inc_R, out=mask)
    np.logical_not(mask, out=mask)
    _abs2_into(dst.T, dst.T2, tmp)
    np.copyto(dst.T2, nan, where=mask)
    for inc, R, R2, (tr, trv), (ab, av) in (
            (inc_L, dst.RL, dst.RL2, (dst.transport_L, trL), (dst.absorbed_L, aL)),
            (inc_R, dst.RR, dst.RR2, (dst.transport_R, trR), (dst.absorbed_R, aR))):
        np.logical_not(inc, out=mask)  # no incident wave on this side: NaN
        _abs2_into(R, R2, tmp)
        np.copyto(tr, trv.real)
        np.copyto(ab, av.real)
        for d in (R2, tr, ab):
            np.copyto(d, nan, where=mask)
    return dst


def amplitudes_mp(lat: LossyLattice, chain: tuple, cL, cR, tau1, gamma, XL, XR) -> tuple:
    """Generated finite-Lambda amplitudes at one mpmath point (inside ``workdps``).

    Identical leads (V = 0) use the evaluator specialised to :math:`k_R = k_L`.
    """
    atoms_L = lead_atoms_mp_c(cL, lat.M)
    if lat.V == 0:
        return gmp.amplitudes_identical_leads(*chain, *atoms_L, tau1, gamma, XL, XR)
    return gmp.amplitudes_general(*chain, *atoms_L, *lead_atoms_mp_c(cR, lat.M), tau1, gamma, XL, XR)


def _point_mp(lat: LossyLattice, w, dps: int):
    c, cL, cR = gmp.wave_cosines(w, mpmath.mpf(lat.V), mpmath.mpf(1 if lat.infinite else lat.Lambda))
    chain = chain_trig_mp(c, lat.M, dps)
    tau1, gamma = mpmath.mpf(lat.tau1), mpmath.mpf(lat.gamma)
    if lat.infinite:
        out = gmp.amplitudes_infinite(*chain, lat.M, tau1, gamma)
        inc_L = inc_R = True
    else:
        inc_L, inc_R = abs(cL) < 1, abs(cR) < 1
        out = amplitudes_mp(lat, chain, cL, cR, tau1, gamma, int(inc_R), int(inc_L))
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
