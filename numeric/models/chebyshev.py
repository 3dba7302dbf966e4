r"""Accurate middle-chain trigonometry: sin(nk), cos(nk) from c = cos k, for any chain length.

The closed forms need :math:`\sin k, \sin kM, \sin k(M+1), \cos kM,
\cos k(M+1)` with :math:`\cos k = c = -\omega/2` (anglin:30), bundled as
:class:`ChainAtoms`.  Forming :math:`k=\arccos c` first and multiplying by
M+1 costs an absolute error ~(M+1)*eps in :math:`\sin k(M+1)`, which the weak
links amplify by :math:`\tau_1^{-2}` right at the resonances (its zeros).  So
the NumPy path computes every atom accurately *relative to itself*, for the
exact double c:

* inside the band (:math:`|c|\le1`), with :math:`c\ge0` after
  :math:`k\to\pi-k`, from the nearest multiple :math:`\theta_m = m\pi/2n` of
  :math:`\pi/2n` (the zeros of :math:`\sin nk` and :math:`\cos nk`):

  .. math::

      \sin\frac{k-\theta_m}{2} = \frac{\cos\theta_m - c}{2\sin\frac{k+\theta_m}{2}},\qquad
      nk = n(k-\theta_m) + m\frac{\pi}{2},

  where :math:`\cos\theta_m - c` is exact to a few ulps because
  :math:`\cos\theta_m` is a double-double (hi + lo, from mpmath) -- O(1) work
  per point for any n;
* outside (:math:`|c|>1`, :math:`c = \pm\cosh\kappa`) from :math:`\kappa`
  with ``log1p``/``expm1``, scaled: the four atoms grow like
  :math:`e^{M\kappa}` and are returned divided by :math:`\sigma = e^{M\kappa}`,
  with :math:`\rho = \sigma^{-2}` (the kernels are homogeneous in them; the
  continuants keep the scale apart, :func:`scaled_continuants`), so no chain
  length overflows;
* for short chains (:math:`M\le` :data:`PRODUCT_MAX_M`) the NumPy path uses
  the cheaper products over the double-double roots,
  :math:`\sin nk = s\,2^{n-1}\prod_j(c-\cos\tfrac{j\pi}{n})` and
  :math:`\cos nk = 2^{n-1}\prod_j(c-\cos\tfrac{(2j-1)\pi}{2n})`, each factor
  accurate relative to itself (3 array passes per root).

The mpmath backend (``chain_atoms(..., backend=MULTI)``) takes the
trigonometry of :math:`k = \arccos c` directly: at a working precision with
guard digits (and the digit check of :func:`numeric.precision.stable_digits`)
it is as accurate, for three transcendental calls.  The two are genuinely
different kernels (root reductions vectorised over arrays of doubles, three
transcendental calls at one mpmath point), chosen in one place,
:meth:`numeric.precision.Backend.pick`.
:math:`s = \sqrt{(1-c)(1+c)}` is the principal root (imaginary for
:math:`|c|>1`; the results are even in k).
"""
from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache
from typing import Any, NamedTuple

import mpmath
import numpy as np

from numeric.precision import DOUBLE, Backend, as_backend
from numeric.workspace import buffer

__all__ = ["ChainAtoms", "chain_atoms", "principal_sqrt_1mc2", "continuants", "scaled_continuants", "EDGE_NUDGE",
           "PRODUCT_MAX_M"]

#: at c = +-1 exactly the closed forms are 0/0 (removable; even in k): they are
#: evaluated at c = +-(1 + 2^-52), i.e. k = i*delta with delta^2/2 = 2^-52
EDGE_NUDGE = 2.0**-52

#: chains up to this M use the root products in the NumPy path (4M roots, cheaper than the
#: angle reduction's transcendental functions up to about here; benchmarks/README.md)
PRODUCT_MAX_M = 48


class ChainAtoms(NamedTuple):
    r"""The middle-chain functions taken by the amplitude kernels (bundle ``chain``).

    ``c`` :math:`=\cos k`, ``s`` :math:`=\sin k` (principal root of
    :math:`(1-c)(1+c)`), ``S_0`` :math:`=\sin kM/\sigma`, ``S_1``
    :math:`=\sin k(M+1)/\sigma`, ``C_0`` :math:`=\cos kM/\sigma`, ``C_1``
    :math:`=\cos k(M+1)/\sigma`, ``rho`` :math:`=\sigma^{-2}`, with a common
    :math:`\sigma>0` per point (1 inside the band).  NumPy: ``c``, ``C_0``,
    ``C_1``, ``rho`` real arrays, ``s``, ``S_0``, ``S_1`` complex.
    """

    c: Any
    s: Any
    S_0: Any
    S_1: Any
    C_0: Any
    C_1: Any
    rho: Any


# ----------------------------------------------------------------------------- NumPy: any chain length

def _sin_cos_in_band(c: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(sin nk, cos nk) for real c in [-1, 1] (k = arccos c), each accurate relative to itself."""
    a = np.abs(c)
    k = np.arccos(a)                        # in [0, pi/2]
    m = np.rint(2 * n * k / np.pi)          # nearest theta_m = m pi / 2n
    theta = m * np.pi / (2 * n)
    hi, lo = _dd_cos(m, n)                  # cos(theta_m) as hi + lo
    phi = 2 * n * np.arcsin(((hi - a) + lo) / (2 * np.sin((theta + k) / 2)))  # n (k - theta_m)
    sin_phi, cos_phi = np.sin(phi), np.cos(phi)
    q = m % 4                               # n k = phi + m pi/2
    sin_nk = np.where(q % 2 == 0, sin_phi, cos_phi) * np.where(q >= 2, -1, 1)
    cos_nk = np.where(q % 2 == 0, cos_phi, sin_phi) * np.where((q == 1) | (q == 2), -1, 1)
    flip = c < 0                            # k -> pi - k: sin nk -> (-1)^(n+1) sin nk, cos nk -> (-1)^n cos nk
    return sin_nk * np.where(flip, (-1) ** (n + 1), 1), cos_nk * np.where(flip, (-1) ** n, 1)


def _in_band(c: np.ndarray, M: int) -> ChainAtoms:
    s = np.sqrt((1 - c) * (1 + c))
    S0, C0 = _sin_cos_in_band(c, M) if M else (np.zeros_like(c), np.ones_like(c))
    S1, C1 = _sin_cos_in_band(c, M + 1)
    return ChainAtoms(c, s + 0j, S0 + 0j, S1 + 0j, C0, C1, np.ones_like(c))


def _outside_band(c: np.ndarray, M: int) -> ChainAtoms:
    r"""Scaled atoms for real :math:`|c|>1`: :math:`c = g\cosh\kappa`, :math:`s = i\sinh\kappa`, :math:`\sigma = e^{M\kappa}`."""
    a, g = np.abs(c), np.sign(c)
    t = a - 1                               # exact for |c| <= 2
    root = np.sqrt(t) * np.sqrt(a + 1)      # sinh(kappa), no overflow of t (a + 1)
    e_kappa = a + root
    kappa = np.log1p(t + root)
    half_1m = -np.expm1(-2 * M * kappa) / 2          # sinh(M kappa) / sigma
    half_1m_next = -np.expm1(-2 * (M + 1) * kappa) / 2
    rho = np.exp(-2 * M * kappa)
    return ChainAtoms(c, 1j * root,
                      1j * g ** (M - 1) * half_1m,                              # sin kM = i g^(M-1) sinh(M kappa)
                      1j * g ** M * e_kappa * half_1m_next,                     # sin k(M+1)
                      g ** M * (1 - half_1m),                                   # cos kM = g^M cosh(M kappa)
                      g ** (M + 1) * e_kappa * (1 - half_1m_next),              # cos k(M+1)
                      rho)


def _dd_cos(m: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """cos(m pi / 2n), m in [0, n + 1], as double-double (hi, lo) arrays, each root computed once with mpmath.

    Roots are kept in a dense table for n <= 2^18 (lookups by indexing), else
    in a dict (one Python lookup per distinct root of the call).
    """
    idx = m.astype(np.int64)
    table = _dd_table(n)
    if isinstance(table, dict):
        uniq, inv = np.unique(idx, return_inverse=True)
        _fill(table, [u for u in uniq.tolist() if u not in table], n)
        vals = np.array([table[u] for u in uniq.tolist()], dtype=float).reshape(-1, 2)
        return vals[inv.ravel(), 0].reshape(m.shape), vals[inv.ravel(), 1].reshape(m.shape)
    hi, lo, known = table
    missing = np.unique(idx[~known[idx]])
    if missing.size:
        found: dict = {}
        _fill(found, missing.tolist(), n)
        hi[missing], lo[missing] = np.array([found[u] for u in missing.tolist()]).T
        known[missing] = True
    return hi[idx], lo[idx]


def _fill(table: dict, indices: list, n: int) -> None:
    for u in indices:
        table[u] = _cospi_dd(u, 2 * n)


#: cos(pi x) at the rational x (mod 2) where it is rational (Niven): exact double-doubles there
_RATIONAL_COS = {Fraction(0): 1.0, Fraction(1, 3): 0.5, Fraction(1, 2): 0.0, Fraction(2, 3): -0.5, Fraction(1): -1.0,
                 Fraction(4, 3): -0.5, Fraction(3, 2): 0.0, Fraction(5, 3): 0.5}


def _cospi_dd(p: int, q: int) -> tuple[float, float]:
    """cos(p pi / q) as a double-double (hi, lo): exact where the value is rational, else from 40 mpmath digits.

    The closed forms resolve a root only as well as this: at an exact
    resonance (omega = 0, +-1 are the rational roots) any residue would stand
    in for the weak-link scale tau1^2.
    """
    x = Fraction(p, q) % 2
    if x in _RATIONAL_COS:
        return _RATIONAL_COS[x], 0.0
    with mpmath.workdps(40):
        v = mpmath.cospi(mpmath.mpf(x.numerator) / x.denominator)
        return float(v), float(v - float(v))


@lru_cache(maxsize=4)
def _dd_table(n: int):
    """Lazily filled roots cos(m pi / 2n), m = 0 .. n + 1: dense arrays (17 bytes per entry) up to n = 2^18."""
    if n > 2**18:
        return {}
    return np.zeros(n + 2), np.zeros(n + 2), np.zeros(n + 2, dtype=bool)


# ----------------------------------------------------------------------------- NumPy: products for short chains

@lru_cache(maxsize=None)
def _roots(kind: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Double-double roots of U_{n-1} (kind 'U': cos(j pi/n)) or T_n (kind 'T': cos((2j-1) pi/2n))."""
    dd = [_cospi_dd(2 * j, 2 * n) for j in range(1, n)] if kind == "U" else \
        [_cospi_dd(2 * j - 1, 2 * n) for j in range(1, n + 1)]
    return np.array([h for h, _ in dd]), np.array([lo for _, lo in dd])


def _product(c: np.ndarray, kind: str, n: int, out: np.ndarray, factor: np.ndarray) -> np.ndarray:
    """U_{n-1}(c) (kind 'U') or T_n(c) (kind 'T') into ``out``, as a product over double-double roots."""
    if n == 0:
        out.fill(0.0 if kind == "U" else 1.0)  # U_{-1} = 0, T_0 = 1
        return out
    hi, lo = _roots(kind, n)
    out.fill(2.0 ** (n - 1))
    for h, l_ in zip(hi, lo):  # three real passes per root
        np.subtract(c, h, out=factor)
        factor -= l_
        out *= factor
    return out


def principal_sqrt_1mc2(c: np.ndarray, *, workspace: dict | None = None, key: str = "s") -> np.ndarray:
    r""":math:`s=\sqrt{(1-c)(1+c)}`, principal branch, for real ``c`` (imaginary for |c| > 1).

    Real square root of :math:`|(1-c)(1+c)|` placed in the real or imaginary
    part (the principal complex root of a negative real is :math:`+i\sqrt{|q|}`).

    >>> principal_sqrt_1mc2(np.array([0.6, 1.25]))
    array([0.8+0.j  , 0. +0.75j])
    """
    q, r = buffer(workspace, key + ":q", c.shape), buffer(workspace, key + ":r", c.shape)
    np.subtract(1.0, c, out=q)
    np.add(1.0, c, out=r)
    q *= r
    np.abs(q, out=r)
    np.sqrt(r, out=r)
    s = buffer(workspace, key, c.shape, complex)
    inside = np.greater_equal(q, 0.0, out=buffer(workspace, key + ":in", c.shape, bool))
    np.multiply(r, inside, out=s.real)       # r inside, 0 outside
    np.subtract(r, s.real, out=s.imag)       # 0 inside, r outside (exact)
    return s


def _products(c: np.ndarray, M: int, workspace: dict | None) -> ChainAtoms:
    shape = c.shape
    s = principal_sqrt_1mc2(c, workspace=workspace, key="chain:s")
    factor = buffer(workspace, "chain:factor", shape)
    U0 = _product(c, "U", M, buffer(workspace, "chain:U0", shape), factor)
    U1 = _product(c, "U", M + 1, buffer(workspace, "chain:U1", shape), factor)
    S0 = np.multiply(s, U0, out=buffer(workspace, "chain:S0", shape, complex))   # sin(kM) = s U_{M-1}(c)
    S1 = np.multiply(s, U1, out=buffer(workspace, "chain:S1", shape, complex))   # sin(k(M+1)) = s U_M(c)
    C0 = _product(c, "T", M, buffer(workspace, "chain:C0", shape), factor)
    C1 = _product(c, "T", M + 1, buffer(workspace, "chain:C1", shape), factor)
    rho = buffer(workspace, "chain:rho", shape)
    rho.fill(1.0)
    return ChainAtoms(c, s, S0, S1, C0, C1, rho)


def _chain_atoms_np(c: np.ndarray, M: int, workspace: dict | None) -> ChainAtoms:
    c = np.asarray(c, dtype=float)
    edge = np.equal(np.abs(c, out=buffer(workspace, "chain:abs", c.shape)), 1.0,
                    out=buffer(workspace, "chain:edge", c.shape, bool))
    if edge.any():
        c = np.where(edge, c * (1 + EDGE_NUDGE), c)
    if M <= PRODUCT_MAX_M:
        atoms = _products(c, M, workspace)
        far = np.abs(c) > 10.0 ** (280 / (M + 1)) / 2   # (2c)^(M+1) would overflow: scaled form there
        parts = [(far, _outside_band)] if far.any() else []
    else:
        atoms = ChainAtoms(*(np.empty(c.shape, dtype=t) for t in (float, complex, complex, complex, float, float,
                                                                   float)))
        np.copyto(atoms.c, c)
        inside = np.abs(c) <= 1
        parts = [(inside, _in_band), (~inside, _outside_band)]
    for mask, regime in parts:
        for dst, val in zip(atoms, regime(c[mask], M)):
            dst[mask] = val
    return atoms


# ----------------------------------------------------------------------------- one entry point

def chain_atoms(c: Any, M: int, *, backend: Backend | str = DOUBLE, workspace: dict | None = None) -> ChainAtoms:
    r""":class:`ChainAtoms` for ``c`` :math:`=\cos k` and a chain of 2M+1 sites.

    ``backend=DOUBLE``: NumPy arrays (with a ``workspace``, see
    :mod:`numeric.workspace`, the results may be its buffers).
    ``backend=MULTI``: one mpmath number (call inside ``mpmath.workdps``); a
    complex ``c`` (bound states) uses the trigonometry of :math:`k=\arccos c`
    directly, with :math:`\rho = 1`.

    .. math:: \sin nk = s\,U_{n-1}(c),\qquad \cos nk = T_n(c)

    >>> a = chain_atoms(np.array([0.3]), 3); k = np.arccos(0.3)
    >>> bool(np.allclose([a.S_1[0], a.C_1[0]], [np.sin(4 * k), np.cos(4 * k)]))
    True
    >>> long = chain_atoms(np.array([-0.9995, 1.5]), 10**5)
    >>> [float(abs(x)) < 2 for x in long.S_1], float(long.rho[1]) == 0.0
    ([True, True], True)
    """
    return as_backend(backend).pick(_chain_atoms_np, _chain_atoms_mp)(c, M, workspace)


def _chain_atoms_mp(c: Any, M: int, workspace: None = None) -> ChainAtoms:
    """:func:`chain_atoms` at one mpmath point (the band edges nudged below the working precision)."""
    if not (isinstance(c, mpmath.mpc) and mpmath.im(c) != 0):
        c = mpmath.mpf(mpmath.re(c))
        if abs(c) == 1:  # removable 0/0: nudge by less than the working precision can see, with extra digits
            dps = mpmath.mp.dps
            with mpmath.extradps(dps + 30):
                return _trigonometry(c * (1 + mpmath.mpf(10) ** (-(dps + 10))), M)
    return _trigonometry(c, M)


def _trigonometry(c, M: int) -> ChainAtoms:
    """mpmath: the trigonometry of k = acos(c) directly (real or complex c; rho = 1).

    At the working precision (raised by the caller's digit check) this is as
    accurate as the double path's root reductions -- the phase kM loses
    log10(M) digits, which the guard digits cover -- and costs three
    transcendental calls instead of a dozen.
    """
    k = mpmath.acos(c)
    real_inside = mpmath.im(c) == 0 and abs(c) <= 1
    s = mpmath.sqrt((1 - c) * (1 + c)) if real_inside else mpmath.sqrt(mpmath.mpc((1 - c) * (1 + c)))
    scale = 1 if real_inside else s / mpmath.sin(k)  # sin(nk) = s U_{n-1}(c) whatever branch of k
    C0, S0 = mpmath.cos_sin(M * k)
    C1, S1 = mpmath.cos_sin((M + 1) * k)
    return ChainAtoms(mpmath.mpc(c), mpmath.mpc(s), scale * S0, scale * S1, mpmath.mpc(C0), mpmath.mpc(C1),
                      mpmath.mpf(1))


# ----------------------------------------------------------------------------- continuants of a segment

def continuants(n: int, d: Any, hh: Any, *, backend: Backend | str = DOUBLE) -> tuple[Any, Any] | None:
    r"""(:math:`D_n, D_{n-1}`) of :math:`D_k = d\,D_{k-1} - h^2 D_{k-2}`, :math:`D_0 = 1`, :math:`D_{-1} = 0`.

    The determinants of a segment of k sites with energy :math:`\varepsilon` and hopping :math:`h`
    at :math:`d = \omega - \varepsilon` (the continuants a model's closed form takes):
    :math:`D_k = |h|^k U_k(x)`, :math:`x = d/2|h|`, with :math:`U_k(\cos q) = \sin((k+1)q)/\sin q` from
    :func:`chain_atoms` -- O(1) work per energy for any length, each value accurate relative to itself
    (a recursion or :math:`\sin((k+1)q)` of a rounded q loses ~k ulps next to the zeros, the
    resonances of a long segment).  At an exact band edge :math:`U_k(\pm1) = (\pm1)^k(k+1)`.  Outside the
    band the values grow like :math:`e^{k\kappa}` and overflow to inf where they leave the doubles.

    Parameters
    ----------
    n : int
        Order (>= 1; lower orders return None: the recursion is exact there).
    d : array_like or mpmath number
        Real :math:`\omega - \varepsilon` (NumPy array; one mpmath number with ``backend=MULTI``).
    hh : number
        :math:`|h|^2 > 0`.
    backend : Backend
        DOUBLE (NumPy: the scaled atoms of :func:`scaled_continuants`, times their scale) or MULTI
        (mpmath, inside ``mpmath.workdps``: the atoms at one point), chosen by
        :meth:`numeric.precision.Backend.pick`.

    Returns
    -------
    tuple or None
        (D_n, D_(n-1)); None where this form does not apply (complex d or hh, n < 1): the caller's recursion.

    >>> Dn, Dm = continuants(3, np.array([0.5, 2.0, 3.0]), 1.0)
    >>> np.round(Dn, 13).tolist(), np.round(Dm, 13).tolist()     # d^3 - 2d and d^2 - 1
    ([-0.875, 4.0, 21.0], [-0.75, 3.0, 8.0])
    """
    if n < 1:
        return None
    return as_backend(backend).pick(_continuants_np, _continuants_mp)(n, d, hh)


def _continuants_mp(n: int, d: Any, hh: Any) -> tuple[Any, Any] | None:
    """:func:`continuants` at one mpmath point."""
    if isinstance(d, mpmath.mpc) and mpmath.im(d) != 0 or isinstance(hh, mpmath.mpc) and mpmath.im(hh) != 0:
        return None
    hh = mpmath.mpf(mpmath.re(hh))
    if not hh > 0:
        return None
    rh = mpmath.sqrt(hh)
    x = mpmath.re(d) / (2 * rh)
    if abs(x) == 1:  # exact band edge
        g = mpmath.sign(x)
        return rh ** n * g ** n * (n + 1), rh ** (n - 1) * g ** (n - 1) * n
    a = _chain_atoms_mp(x, n)
    return (rh ** n * mpmath.re(a.S_1 / a.s), rh ** (n - 1) * mpmath.re(a.S_0 / a.s))


def _continuants_np(n: int, d: Any, hh: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`continuants` on an array of doubles (None for complex d or hh, or hh <= 0)."""
    scaled = scaled_continuants(n, d, hh)
    if scaled is None:
        return None
    Un, Um, L = scaled
    with np.errstate(over="ignore", invalid="ignore"):
        f = np.exp(L)
        return Un * f, Um * f


def scaled_continuants(n: int, d: Any, hh: float) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    r"""(:math:`D_n e^{-L}, D_{n-1}e^{-L}, L`) of :func:`continuants` (NumPy), L real per energy: no length overflows.

    :math:`L = n\kappa + n\ln|h|` where the chain atoms are scaled (:math:`|x| = \cosh\kappa` outside the
    band), :math:`n\ln|h|` elsewhere.  None where :func:`continuants` returns None.

    >>> a, b, L = scaled_continuants(10**6, np.array([0.3, 3.0]), 1.0)
    >>> bool(np.all(np.isfinite(a)) and np.isfinite(b).all()), float(L[0]), round(float(L[1] / 10**6), 6)
    (True, 0.0, 0.962424)
    """
    d = np.asarray(d)
    if n < 1 or np.iscomplexobj(d) or np.iscomplexobj(hh) or not float(hh) > 0:
        return None
    rh = math.sqrt(float(hh))
    x = d.astype(float) / (2 * rh)
    with np.errstate(all="ignore"):
        a = _chain_atoms_np(x, n, None)
        L = np.where(a.rho == 1, 0.0, _outside_log_scale(x, n))  # the atoms are scaled where rho < 1
        Un = (a.S_1 / a.s).real
        Um = (a.S_0 / a.s).real / rh
        edge = np.abs(x) == 1
        if edge.any():
            g = np.sign(x[edge])
            Un[edge], Um[edge] = g ** n * (n + 1), g ** (n - 1) * n / rh
        return Un, Um, L + n * math.log(rh)


def _outside_log_scale(x: np.ndarray, n: int) -> np.ndarray:
    """log sigma = n kappa, |x| = cosh kappa, of the scaled atoms of :func:`_outside_band`."""
    a = np.abs(x)
    t = a - 1
    return n * np.log1p(t + np.sqrt(np.abs(t)) * np.sqrt(a + 1))
