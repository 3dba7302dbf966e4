"""Numerical scattering amplitudes of a 1D barrier by integrating the Schroedinger equation.

Independent of the closed forms of :mod:`derive.papers.tajima.barriers`: the equation
:math:`f'' = 2m(V(x) - k^2/2m) f` is integrated with SciPy's DOP853 from the
transmitted wave :math:`f = e^{ikx}` at :math:`x = b` back to :math:`x = -b`,
where the left-incident mode of tajima Eq. (11) is read off:
:math:`f = \\alpha e^{ikx} + \\beta e^{-ikx}` gives :math:`B = 1/\\alpha`,
:math:`A = \\beta/\\alpha`.  Units :math:`\\hbar = 1`.

>>> A, B = square_barrier_amplitudes(k=1.3, m=1.0, V0=0.5, b=0.7)
>>> round(abs(A)**2 + abs(B)**2, 10)
1.0
"""
from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp

__all__ = ["square_barrier_amplitudes"]


def square_barrier_amplitudes(*, k: float, m: float, V0: float, b: float,
                              rtol: float = 1e-12) -> tuple[complex, complex]:
    """(A_k, B_k) of the barrier :math:`V_0` on :math:`|x| < b` (tajima:11 convention)."""
    E = k * k / (2 * m)

    def rhs(x, y):
        return [y[1], 2 * m * (V0 - E) * y[0]]

    y0 = np.array([np.exp(1j * k * b), 1j * k * np.exp(1j * k * b)], dtype=complex)
    sol = solve_ivp(rhs, (b, -b), y0, method="DOP853", rtol=rtol, atol=1e-14 * abs(y0).max())
    f, df = sol.y[:, -1]
    x0 = -b
    alpha = (f + df / (1j * k)) / (2 * np.exp(1j * k * x0))
    beta = (f - df / (1j * k)) / (2 * np.exp(-1j * k * x0))
    return complex(beta / alpha), complex(1 / alpha)
