"""Accurate middle-chain trigonometric kernel: sin(nk), cos(nk) from c = cos k.

The closed forms need :math:`\\sin k, \\sin kM, \\sin k(M+1), \\cos kM,
\\cos k(M+1)` with :math:`\\cos k = c = -\\omega/2` (anglin:30).  Forming
:math:`k=\\arccos c` first and multiplying by M+1 costs an absolute error
~(M+1)*eps in :math:`\\sin k(M+1)`, which the weak links amplify by
:math:`\\tau_1^{-2}` right at the resonances (its zeros).  Instead

.. math::

    \\sin nk = s\\,U_{n-1}(c) = s\\,2^{n-1}\\prod_{j=1}^{n-1}(c-\\cos\\tfrac{j\\pi}{n}),\\qquad
    \\cos nk = T_n(c) = 2^{n-1}\\prod_{j=1}^{n}(c-\\cos\\tfrac{(2j-1)\\pi}{2n}),

with every root held as a double-double (hi + lo, from mpmath), so that each
factor :math:`(c-\\mathrm{hi})-\\mathrm{lo}` is accurate to a few ulps *relative
to itself*, even next to a root.  :math:`s = \\sqrt{(1-c)(1+c)}` (principal
root; for :math:`|c|>1` it is imaginary, the results being even in k).
"""
from __future__ import annotations

from functools import lru_cache

import mpmath
import numpy as np

from numeric.workspace import buffer

__all__ = ["chain_trig", "chain_trig_mp", "principal_sqrt_1mc2", "EDGE_NUDGE"]

#: at c = +-1 exactly the closed forms are 0/0 (removable; even in k): they are
#: evaluated at c = +-(1 + 2^-52), i.e. k = i*delta with delta^2/2 = 2^-52
EDGE_NUDGE = 2.0**-52


@lru_cache(maxsize=None)
def _roots(kind: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Double-double roots of U_{n-1} (kind 'U') or T_n (kind 'T')."""
    with mpmath.workdps(40):
        if kind == "U":
            exact = [mpmath.cos(j * mpmath.pi / n) for j in range(1, n)]
        else:
            exact = [mpmath.cos((2 * j - 1) * mpmath.pi / (2 * n)) for j in range(1, n + 1)]
        hi = np.array([float(x) for x in exact])
        lo = np.array([float(x - mpmath.mpf(float(x))) for x in exact])
    return hi, lo


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


def chain_trig(c: np.ndarray, M: int, *, workspace: dict | None = None) -> tuple[np.ndarray, ...]:
    """(c, s, sin kM, sin k(M+1), cos kM, cos k(M+1)) for ``c = cos k``.

    ``c``, ``cos kM``, ``cos k(M+1)`` are real arrays (real for every real c);
    ``s``, ``sin kM``, ``sin k(M+1)`` are complex (imaginary for |c| > 1).
    With a ``workspace`` (:mod:`numeric.workspace`) the results are its buffers.

    >>> c = np.array([0.3]); k = np.arccos(0.3)
    >>> out = chain_trig(c, 3)
    >>> bool(np.allclose([out[3][0], out[5][0]], [np.sin(4 * k), np.cos(4 * k)]))
    True
    """
    c = np.asarray(c, dtype=float)
    shape = c.shape
    edge = np.equal(np.abs(c, out=buffer(workspace, "chain:abs", shape)), 1.0,
                    out=buffer(workspace, "chain:edge", shape, bool))
    if edge.any():
        c = np.where(edge, c * (1 + EDGE_NUDGE), c)
    s = principal_sqrt_1mc2(c, workspace=workspace, key="chain:s")
    factor = buffer(workspace, "chain:factor", shape)
    U0 = _product(c, "U", M, buffer(workspace, "chain:U0", shape), factor)
    U1 = _product(c, "U", M + 1, buffer(workspace, "chain:U1", shape), factor)
    S0 = np.multiply(s, U0, out=buffer(workspace, "chain:S0", shape, complex))   # sin(kM) = s U_{M-1}(c)
    S1 = np.multiply(s, U1, out=buffer(workspace, "chain:S1", shape, complex))   # sin(k(M+1)) = s U_M(c)
    C0 = _product(c, "T", M, buffer(workspace, "chain:C0", shape), factor)
    C1 = _product(c, "T", M + 1, buffer(workspace, "chain:C1", shape), factor)
    return c, s, S0, S1, C0, C1


def chain_trig_mp(c, M: int, dps: int):
    """Same at one mpmath point (inside ``workdps``); trigonometry of k = acos(c) directly.

    At c = +-1 the nudge c(1 + 10^-(dps+10)) and the trigonometry are done with
    dps + 30 extra digits (the nudge would round away at the working precision).
    """
    c = mpmath.mpf(c) if mpmath.im(c) == 0 else mpmath.mpc(c)
    if abs(c) == 1 and mpmath.im(c) == 0:
        with mpmath.extradps(dps + 30):
            return _chain_trig_mp(c * (1 + mpmath.mpf(10) ** (-(dps + 10))), M)
    return _chain_trig_mp(c, M)


def _chain_trig_mp(c, M: int):
    k = mpmath.acos(c)
    real_inside = mpmath.im(c) == 0 and abs(c) <= 1
    s = mpmath.sqrt((1 - c) * (1 + c)) if real_inside else mpmath.sqrt(mpmath.mpc((1 - c) * (1 + c)))
    # sin(nk) = s U_{n-1}(c): the factor s / sin k fixes the sign convention of chain_trig for |c| > 1
    # (it is 1 for real |c| <= 1, where sin k = s)
    scale = 1 if real_inside else s / mpmath.sin(k)
    C0, S0 = mpmath.cos_sin(M * k)
    C1, S1 = mpmath.cos_sin((M + 1) * k)
    return (mpmath.mpc(c), mpmath.mpc(s), scale * S0, scale * S1, mpmath.mpc(C0), mpmath.mpc(C1))
