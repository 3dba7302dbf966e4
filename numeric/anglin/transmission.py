r"""Transmission and reflection of the lossy lattice from the generated closed forms.

User-facing layer over :mod:`numeric._generated` (kernels generated from
:mod:`derive`).  Conventions of anglin Eqs. (13)-(17), App. B, C:

* wave numbers from :math:`\omega = -2\cos k` and
  :math:`\omega = -2\Lambda\cos k_{L,R} \pm V/2`, on the branch
  :math:`\operatorname{Im} k \ge 0`, :math:`\operatorname{Re}k\in[0,\pi]`
  (so :math:`k_j = i\kappa` below a band, :math:`\pi + i\kappa` above it);
* the paper's ``*`` on :math:`A, B` means :math:`k_j \to -k_j`, not complex
  conjugation (registry ``anglin:appB-star``; the direct solver decides);
* ``T2`` is a flux-normalised probability: :math:`|\mathcal T|^2` where both
  :math:`k_L, k_R` are real, 0 where either side has no propagating wave; a
  side has an incident wave only where its :math:`k_j` is real and
  :math:`\sin k_j > 0`, elsewhere its reflection and transport are NaN
  (``null`` in the CLI);
* ``transport_L`` :math:`= 1 + X_L|\mathcal T|^2 - |\mathcal R_L|^2` (App. C),
  evaluated as :math:`2X_L|\mathcal T|^2 + a_L` (flux balance, no
  cancellation); :math:`X_L = 1` where :math:`k_R` is real (the wave
  transmitted from the left propagates), :math:`X_R` likewise with :math:`k_L`.

One pipeline (:func:`_evaluate`) serves both precisions (a
:class:`numeric.precision.Backend`): NumPy arrays of doubles, in place over
pooled buffers, or one mpmath point at the working precision.  The middle
chain enters through :class:`numeric.chebyshev.ChainAtoms` (accurate at the
resonances, scaled so that no chain length overflows), the leads through
:class:`LeadAtoms` without their prefactors :math:`e^{\pm ik_jM}` (restored
on the complex amplitudes only, where they are unimodular).
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Any, NamedTuple, Sequence

import mpmath
import numpy as np

from numeric._generated import lossy_lattice_mp as gmp
from numeric._generated import lossy_lattice_np as gnp
from numeric.anglin.parameters import DOUBLE_MAX_OMEGA, LossyLattice
from numeric.chebyshev import chain_atoms, principal_sqrt_1mc2
from numeric.errors import ParameterError
from numeric.precision import DOUBLE, MULTI, Backend, check_dps, dps_cost_limit, exact, mp, stable_digits
from numeric.workspace import buffer

__all__ = ["Transmission", "transmission", "transmission_point", "LeadAtoms", "lead_atoms", "wavenumber_branch",
           "isolated_chain_frequencies", "MAX_DPS"]

#: largest --dps / dps= of transmission: measured 0.06 s per frequency at 1000 digits, 1.7 - 2.4 s at
#: 10000 (M = 3 ... 1e5), growing like D^1.9 (benchmarks/README.md, "Precision limits")
MAX_DPS = 10000

_GENERATED = {"numpy": gnp, "mpmath": gmp}


@dataclass(frozen=True)
class Transmission:
    """Closed-form scattering data on a frequency grid (arrays; ``object`` dtype of mpf with ``dps``).

    ``T``, ``RL``, ``RR`` are the complex amplitudes (``RL``/``RR`` NaN where
    that side has no incident wave; ``T`` where a lead is evanescent is the
    analytic continuation of Eq. 36); ``T2`` the flux-normalised
    transmission probability (0 unless both leads propagate).
    """

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


class LeadAtoms(NamedTuple):
    r"""One lead as the amplitude kernels take it (bundle ``lead_L``/``lead_R``).

    ``e`` :math:`=e^{ik_j}`, ``ei`` :math:`=e^{-ik_j}`, ``s`` :math:`=\sin k_j` on the branch
    :math:`\operatorname{Im}k_j\ge0` (:math:`|e|\le1`).
    """

    e: Any
    ei: Any
    s: Any


def wavenumber_branch(c: np.ndarray) -> np.ndarray:
    """:math:`k = \\arccos c` with :math:`\\operatorname{Im}k\\ge0` and real part in :math:`[0,\\pi]`.

    >>> k = wavenumber_branch(np.array([0.0, 2.0, -2.0]))
    >>> [(round(float(x.real), 6) + 0.0, round(float(x.imag), 6) + 0.0) for x in k]
    [(1.570796, 0.0), (0.0, 1.316958), (3.141593, 1.316958)]
    """
    k = np.arccos(np.asarray(c, dtype=complex))
    k = np.where(k.imag < 0, -k, k)
    return np.where(k.real < 0, k + 2 * np.pi, k)


def lead_atoms(c: Any, *, backend: Backend = DOUBLE, workspace: dict | None = None, key: str = "lead") -> LeadAtoms:
    r""":class:`LeadAtoms` from :math:`c = \cos k_j` (arrays with ``DOUBLE``, one mpmath number with ``MULTI``).

    Algebraic: inside the band :math:`\sin k = \sqrt{(1-c)(1+c)}`,
    :math:`e^{\pm ik} = c \pm i\sin k`; outside
    :math:`e^{-ik} = c + \mathrm{sgn}(c)\sqrt{(c-1)(c+1)}` (no cancellation),
    :math:`e^{ik} = 1/e^{-ik}`, :math:`\sin k = i\,\mathrm{sgn}(c)\sqrt{(c-1)(c+1)}`
    (Im k > 0).  A complex ``c`` (mpmath, bound states) takes the root with :math:`|e^{ik}| < 1`.
    With a ``workspace`` (:mod:`numeric.workspace`) the NumPy results are its buffers under ``key``.

    >>> e, ei, s = lead_atoms(np.array([0.3, 1.7, -1.7]))
    >>> k = wavenumber_branch(np.array([0.3, 1.7, -1.7]))
    >>> bool(np.allclose(e, np.exp(1j * k)) and np.allclose(ei, np.exp(-1j * k)) and np.allclose(s, np.sin(k)))
    True
    """
    if backend.name == "numpy":
        return _lead_atoms_np(np.asarray(c, dtype=float), workspace, key)
    if isinstance(c, mpmath.mpc) and mpmath.im(c) != 0:
        s = mpmath.sqrt((1 - c) * (1 + c))
        s = -s if abs(c + 1j * s) > 1 else s
        return LeadAtoms(c + 1j * s, c - 1j * s, s)
    c = mpmath.re(c)
    if abs(c) <= 1:
        r = mpmath.sqrt((1 - c) * (1 + c))
        return LeadAtoms(c + 1j * r, c - 1j * r, mpmath.mpc(r))
    g, r = mpmath.sign(c), mpmath.sqrt(abs(c) - 1) * mpmath.sqrt(abs(c) + 1)
    return LeadAtoms(mpmath.mpc(1 / (c + g * r)), mpmath.mpc(c + g * r), mpmath.mpc(0, g * r))


def _lead_atoms_np(c: np.ndarray, workspace: dict | None, key: str) -> LeadAtoms:
    shape = c.shape
    s = principal_sqrt_1mc2(c, workspace=workspace, key=key + ":s")  # i sqrt(c^2 - 1) outside
    np.copysign(s.imag, c, out=s.imag)                                  # i sgn(c) sqrt(c^2 - 1)
    s.imag += 0.0                                                       # no -0.0 (branch of later sqrt)
    e, ei = (buffer(workspace, key + n, shape, complex) for n in (":e", ":ei"))
    np.add(c, s.imag, out=ei.real)       # e^{-ik} = c - i s (outside: c + sgn(c) r, no cancellation)
    np.negative(s.real, out=ei.imag)
    np.copyto(e.real, c)                 # e^{ik} = c + i s inside ...
    np.copyto(e.imag, s.real)
    outside = np.not_equal(s.imag, 0.0, out=buffer(workspace, key + ":out", shape, bool))
    np.divide(1.0, ei.real, out=e.real, where=outside)  # ... and 1 / e^{-ik} outside (real)
    return LeadAtoms(e, ei, s)


def _int_power(z: np.ndarray, n: int, out: np.ndarray, tmp: np.ndarray) -> np.ndarray:
    """:math:`z^n` for integer n >= 0 into ``out`` by repeated squaring (no complex log/exp)."""
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


def _prefactor(lead: LeadAtoms, M: int, xp: Backend, workspace: dict | None, key: str):
    """:math:`e^{-ik_jM}`, the lead prefactor factored out of the kernels (unimodular for real k_j)."""
    if xp.name == "mpmath":
        return lead.ei ** M
    shape = lead.ei.shape
    return _int_power(lead.ei, M, buffer(workspace, key + ":pow", shape, complex),
                      buffer(workspace, key + ":tmp", shape, complex))


def isolated_chain_frequencies(M: int) -> np.ndarray:
    """Eigenfrequencies (25) of the isolated chain of 2M+1 sites, ascending.

    >>> [round(float(x), 12) + 0.0 for x in isolated_chain_frequencies(1)]
    [-1.414213562373, 0.0, 1.414213562373]
    """
    n = np.arange(1, 2 * M + 2)
    (w,) = gnp.isolated_chain_frequency(n, M)
    return np.asarray(w, dtype=float)


# ----------------------------------------------------------------------------- the pipeline

def _evaluate(lat: LossyLattice, omega: Any, xp: Backend, *, workspace: dict | None = None,
              out: Transmission | None = None, amplitudes: bool = True) -> Transmission:
    """Closed forms at ``omega``: a NumPy array (results written into ``out`` when given) or one mpf.

    The same steps for both backends; NumPy writes every intermediate into a
    buffer of ``workspace``, mpmath works on values at the working precision.
    ``amplitudes=False`` leaves the complex ``T``, ``RL``, ``RR`` out (None).
    """
    gen, numpy_ = _GENERATED[xp.name], xp.name == "numpy"
    par = lat if numpy_ else lat.at_working_precision()  # doubles, or the exact values at working precision
    shape = np.shape(omega) if numpy_ else ()
    dst = (_allocate(shape) if out is None else out) if numpy_ else _NO_ARRAYS

    def buf(name: str, dtype: type = float):
        return buffer(workspace, name, shape, dtype) if numpy_ else None

    def into(*arrays):  # in-place keyword arguments of the generated NumPy kernels
        return {"workspace": workspace, "out": arrays} if numpy_ else {}

    c, cL, cR = gen.wave_cosines(omega, par.V, 1 if lat.infinite else par.Lambda,
                                 **into(buf("c"), buf("cL"), buf("cR")))
    chain = chain_atoms(c, lat.M, backend=xp, workspace=workspace)
    amp_out = into(dst.T, dst.RL, dst.RR, *(buf("amp:" + n, complex) for n in ("Z", "aL", "aR", "trL", "trR")))
    scalars = {"tau_1": par.tau1, "gamma": par.gamma}
    if lat.infinite:  # every lead propagates; the real outputs go straight into the results
        real_kL, real_kR = _flag(True, dst.incident_L, xp), _flag(True, dst.incident_R, xp)
        if numpy_:
            amp_out["out"] = amp_out["out"][:4] + (dst.absorbed_L, dst.absorbed_R, dst.transport_L, dst.transport_R)
        amp = gen.amplitudes_infinite(chain, M=lat.M, **scalars, **amp_out)
    else:
        real_kL, real_kR = _flag(abs(cL) < 1, dst.incident_L, xp), _flag(abs(cR) < 1, dst.incident_R, xp)
        X_L, X_R = _flag(real_kR, buf("X_L"), xp, numeric=True), _flag(real_kL, buf("X_R"), xp, numeric=True)
        lead_L = lead_atoms(cL, backend=xp, workspace=workspace, key="lead:L")
        if lat.V == 0:  # identical leads: the kernel specialised to k_R = k_L
            lead_R = lead_L
            amp = gen.amplitudes_identical_leads(chain, lead_L, X_L=X_L, X_R=X_R, **scalars, **amp_out)
        else:
            lead_R = lead_atoms(cR, backend=xp, workspace=workspace, key="lead:R")
            amp = gen.amplitudes_general(chain, lead_L, lead_R, X_L=X_L, X_R=X_R, **scalars, **amp_out)
    T, RL, RR, _, aL, aR, trL, trR = amp
    tmp, nan = buf("tmp"), math.nan
    # probabilities before the prefactors e^{-ik_jM} are restored (unimodular where they count)
    T2 = _keep(_abs2(T, dst.T2, tmp), real_kL & real_kR, 0.0, xp)
    RL2 = _keep(_abs2(RL, dst.RL2, tmp), real_kL, nan, xp)
    RR2 = _keep(_abs2(RR, dst.RR2, tmp), real_kR, nan, xp)
    if not amplitudes:
        T = RL = RR = None
    elif not lat.infinite:  # T = T'' e^{-ik_LM} e^{-ik_RM}, R_j = R_j'' e^{-2ik_jM}
        p_L = _prefactor(lead_L, lat.M, xp, workspace, "lead:L")
        p_R = p_L if lat.V == 0 else _prefactor(lead_R, lat.M, xp, workspace, "lead:R")
        T, RL, RR = _times(T, (p_L, p_R), xp), _times(RL, (p_L, p_L), xp), _times(RR, (p_R, p_R), xp)
    return Transmission(
        omega=_store(omega, dst.omega), T=T, RL=RL if RL is None else _keep(RL, real_kL, nan, xp),
        RR=RR if RR is None else _keep(RR, real_kR, nan, xp),
        T2=T2, RL2=RL2, RR2=RR2,
        transport_L=_keep(_real(trL, dst.transport_L), real_kL, nan, xp),
        transport_R=_keep(_real(trR, dst.transport_R), real_kR, nan, xp),
        absorbed_L=_keep(_real(aL, dst.absorbed_L), real_kL, nan, xp),
        absorbed_R=_keep(_real(aR, dst.absorbed_R), real_kR, nan, xp),
        incident_L=real_kL, incident_R=real_kR)


# the few operations where the NumPy path writes in place (into=None: return a value)

def _flag(value, into, xp: Backend, *, numeric: bool = False):
    """A boolean (mpmath: bool, or 0/1 with ``numeric``) or its copy into an array."""
    if xp.name == "mpmath":
        return int(bool(value)) if numeric else bool(value)
    np.copyto(into, value)
    return into


def _times(z, factors, xp: Backend):
    if xp.name == "mpmath":
        return z * (factors[0] * factors[1])
    for f in factors:
        z *= f
    return z


def _abs2(z, into, tmp):
    if into is None:
        return z.real * z.real + z.imag * z.imag
    np.multiply(z.real, z.real, out=into)
    np.multiply(z.imag, z.imag, out=tmp)
    into += tmp
    return into


def _real(z, into):
    if into is None:
        return mpmath.re(z)
    if z is not into:
        np.copyto(into, z.real)
    return into


def _keep(x, mask, fill: float, xp: Backend):
    """``x`` where ``mask``, else ``fill`` (NaN: no incident wave; 0: T2 without propagation)."""
    if xp.name == "mpmath":
        return x if mask else (mpmath.nan if math.isnan(fill) else mpmath.mpf(fill))
    np.copyto(x, fill, where=~mask)
    return x


def _store(x, into):
    if into is None:
        return x
    np.copyto(into, x)
    return into


# ----------------------------------------------------------------------------- entry points

def transmission(lattice: LossyLattice, omega: Sequence[Any] | np.ndarray, *,
                 dps: int | None = None, threads: int = 1) -> Transmission:
    r"""|T|^2, |R_L|^2, |R_R|^2 and transport factors at real frequencies ``omega``.

    ``dps=None`` uses the vectorised NumPy evaluator (doubles; the lattice
    parameters must be in :data:`numeric.anglin.parameters.DOUBLE_RANGE`, the
    frequencies within :data:`numeric.anglin.parameters.DOUBLE_MAX_OMEGA`).
    Large NumPy evaluations run in cache-sized blocks written into
    preallocated results, with work buffers pooled between calls
    (:mod:`numeric.workspace`); ``threads > 1`` evaluates the blocks on a
    thread pool.

    An integer ``dps`` = D evaluates with mpmath from the exact parameters
    (``lattice.exact``) and exact frequencies (:func:`numeric.precision.exact`:
    decimal strings, ints, Fractions, mpf are exact, a float is its binary
    value), at working precisions raised until D significant digits of every
    output are stable (:func:`numeric.precision.stable_digits`, one frequency
    at a time, up to :func:`numeric.precision.dps_cost_limit` working digits; a value still at
    round-off there is 0).  Entries are mpf of which D digits are right, or
    :class:`numeric.precision.Unsettled` where a value did not settle within
    that limit (the other entries are still computed); ``D <= MAX_DPS``.

    .. math::

        \mathcal T = \frac{i\sin k}{Z\sqrt{\sin k_L\sin k_R}},\qquad
        \mathcal R_L = \frac{A^*_RB_L+B^*_RA_L-\frac{i\gamma}{2\sin k}A^*_RA_L}{2Z}
        \quad\text{(anglin:36)}

    Parameters
    ----------
    lattice : LossyLattice
        The lattice (M, tau1, gamma, Lambda, V).
    omega : sequence
        Real frequencies (units of the middle-chain hopping).
    dps : int, optional
        Decimal digits of the mpmath path (every returned digit right).
    threads : int
        NumPy path: threads evaluating the blocks.

    Returns
    -------
    Transmission
        One entry per frequency in every field.

    >>> lat = LossyLattice(M=2, tau1=0.1, gamma=0.0, Lambda=1.0)
    >>> tr = transmission(lat, [-1.0, 0.3])
    >>> bool(np.allclose(tr.T2 + tr.RL2, 1.0))
    True
    >>> exact = transmission(LossyLattice(0, "0.1", "0.5", "inf"), ["0"], dps=30)
    >>> mpmath.nstr(exact.T2[0], 30)  # 4/729
    '0.00548696844993141289437585733882'
    """
    if dps is None:
        lattice.check_double_range()
        w = np.atleast_1d(np.asarray(omega, dtype=float))
        if not np.all(np.isfinite(w)):
            raise ParameterError("omega", "finite numbers", w[~np.isfinite(w)][0])
        if np.any(np.abs(w) > DOUBLE_MAX_OMEGA):
            raise ParameterError("omega", f"finite numbers with |omega| <= {DOUBLE_MAX_OMEGA:g} in double precision "
                                          "(use dps= / --dps for others)", w[np.abs(w) > DOUBLE_MAX_OMEGA][0])
        with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
            if w.ndim == 1 and w.size > 2 * _BLOCK:
                return _blocked(lattice, w, threads)
            return _evaluate(lattice, w, DOUBLE)
    digits = check_dps(dps, limit=MAX_DPS)
    points = [_exact_omega(x) for x in np.atleast_1d(np.asarray(omega, dtype=object)).ravel()]
    guard = 10 + len(str(lattice.M + 1))  # k M loses log10(M) digits of k
    rows = [stable_digits(lambda: _row(transmission_point(lattice, mp(x))), digits, guard=guard,
                          limit=dps_cost_limit(digits), zero_scale=1, what=f"omega={_show(x)}", partial=True)
            for x in points]  # one frequency at a time: each gets the precision it needs
    cols = list(zip(*rows)) if rows else [()] * len(Transmission.__dataclass_fields__)
    return Transmission(*(np.array(col, dtype=object) for col in cols))


def transmission_point(lattice: LossyLattice, omega: Any, *, amplitudes: bool = True) -> Transmission:
    """:class:`Transmission` at one frequency with mpmath at the working precision (fields are scalars).

    ``omega`` is converted with :func:`numeric.precision.mp`; the lattice
    parameters come from ``lattice.exact``.  Call inside ``mpmath.workdps``;
    no check of the digits (see :func:`transmission` with ``dps``).
    ``amplitudes=False`` skips the complex amplitudes (``T``, ``RL``, ``RR`` are
    None): what an integrand over probabilities needs.
    """
    return _evaluate(lattice, mp(omega), MULTI, amplitudes=amplitudes)


def _show(x: Any) -> str:
    """An exact frequency as a short decimal (for messages)."""
    with mpmath.workdps(20):
        return mpmath.nstr(mp(x), 17)


def _exact_omega(x: Any):
    v = exact(x, "omega")
    if isinstance(v, float):  # an infinity
        raise ParameterError("omega", "finite numbers", x)
    return v


def _row(tr: Transmission) -> tuple:
    return tuple(getattr(tr, f) for f in Transmission.__dataclass_fields__)


#: points per block: the work buffers of a block then stay in cache; threads take larger blocks
#: (fewer Python-level operations per point while the other thread holds the GIL)
_BLOCK = 8192
_THREAD_BLOCK = 32768
_DTYPES = {"T": complex, "RL": complex, "RR": complex, "incident_L": bool, "incident_R": bool}


#: where the mpmath path "writes": nowhere (every field None; the values are returned)
_NO_ARRAYS = Transmission(*[None] * len(Transmission.__dataclass_fields__))


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
            with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
                for i in range(first, w.size, stride):
                    sl = slice(i, i + step)
                    full = i + step <= w.size  # a short last block does not replace the pooled buffers
                    _evaluate(lat, w[sl], DOUBLE, workspace=ws if full else None,
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
