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

__all__ = ["chain_trig", "chain_trig_mp", "EDGE_NUDGE"]

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


def _product(c: np.ndarray, kind: str, n: int) -> np.ndarray:
    """U_{n-1}(c) (kind 'U') or T_n(c) (kind 'T') as a product over double-double roots."""
    if n == 0:
        return np.zeros_like(c) if kind == "U" else np.ones_like(c)  # U_{-1} = 0, T_0 = 1
    hi, lo = _roots(kind, n)
    out = np.full_like(c, 2.0 ** (n - 1))
    for h, l_ in zip(hi, lo):
        out = out * ((c - h) - l_)
    return out


def chain_trig(c: np.ndarray, M: int) -> tuple[np.ndarray, ...]:
    """(c, s, sin kM, sin k(M+1), cos kM, cos k(M+1)) for ``c = cos k`` (NumPy, complex).

    >>> c = np.array([0.3]); k = np.arccos(0.3)
    >>> out = chain_trig(c, 3)
    >>> bool(np.allclose([out[3][0], out[5][0]], [np.sin(4 * k), np.cos(4 * k)]))
    True
    """
    c = np.asarray(c, dtype=float)
    edge = np.abs(c) == 1.0
    c = np.where(edge, c * (1 + EDGE_NUDGE), c)
    s = np.sqrt(((1 - c) * (1 + c)).astype(complex))
    S0 = s * _product(c, "U", M)          # sin(kM)   = s U_{M-1}(c)
    S1 = s * _product(c, "U", M + 1)      # sin(k(M+1)) = s U_M(c)
    C0 = _product(c, "T", M)
    C1 = _product(c, "T", M + 1)
    return (c.astype(complex), s, S0.astype(complex), S1.astype(complex),
            C0.astype(complex), C1.astype(complex))


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
    scale = s / mpmath.sin(k)  # sin(nk) = s U_{n-1}(c): same sign convention as chain_trig for |c| > 1
    return (mpmath.mpc(c), mpmath.mpc(s), scale * mpmath.sin(M * k), scale * mpmath.sin((M + 1) * k),
            mpmath.mpc(mpmath.cos(M * k)), mpmath.mpc(mpmath.cos((M + 1) * k)))
