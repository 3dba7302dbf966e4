"""Spin current carried by spin-exchange tunnelling, tajima Eq. (24), for paramagnetic Fermi gases.

Linear response to a spin bias :math:`h_i = \\mu_{\\uparrow i}-\\mu_{\\downarrow i}`: the
magnon-like distribution is :math:`\\bar b_i(\\omega) = n_B(\\omega - h_i)` (free
fermions with spin-dependent chemical potentials obey this exactly), so

.. math::

    \\frac{\\langle I_S\\rangle_{\\rm spin}}{h_L-h_R} = \\frac{8\\tilde g^2}{2\\pi}
    \\int\\frac{d^3q}{(2\\pi)^3}\\int_{-\\infty}^{\\infty}d\\omega\\,
    \\mathrm{Im}\\chi_L\\,\\mathrm{Im}\\chi_R\\,\\Big(-\\frac{\\partial n_B}{\\partial\\omega}\\Big),

with :math:`-\\partial_\\omega n_B = 1/(4T\\sinh^2(\\omega/2T))`.  The susceptibility
is the zero-temperature Lindhard function (generated from
:mod:`derive.papers.tajima.spin_response`; adequate for :math:`T \\ll E_F`), optionally RPA
enhanced with Stoner parameter :math:`s = gN(0)`:
:math:`\\chi = \\chi_0/(1 - g\\chi_0)`.  Units :math:`E_F = k_F = 1`, ``g_tilde`` = 1.

>>> G0 = spin_conductance(0.0, T=0.05)
>>> bool(spin_conductance(0.8, T=0.05) > 2 * G0 > 0)
True
"""
from __future__ import annotations

import math

import numpy as np

from numeric._generated import spin_response_np as gen
from numeric.errors import ParameterError
from numeric.quadrature import composite_rule

__all__ = ["N0", "chi", "spin_conductance"]

#: density of states per spin at the Fermi level, m k_F / 2 pi^2
N0 = 1 / (4 * math.pi**2)
_ETA = 1e-12


def chi(q: np.ndarray, omega: np.ndarray, stoner: float = 0.0) -> np.ndarray:
    """RPA transverse susceptibility :math:`\\chi_0/(1 - s\\chi_0/N(0))` (retarded)."""
    c0 = gen.lindhard_chi0(np.asarray(q, dtype=float), np.asarray(omega, dtype=float) + 1j * _ETA)[0]
    return c0 / (1 - stoner / N0 * c0)


def spin_conductance(stoner: float, *, T: float = 0.05, order: int = 24) -> float:
    """:math:`\\langle I_S\\rangle_{\\rm spin}/(h_L - h_R)` for identical reservoirs (per :math:`\\tilde g^2`, tajima:24).

    Fixed tensor-product rule (:func:`numeric.quadrature.composite_rule`):
    Gauss-Legendre panels in q graded towards :math:`q = 0` and the
    particle-hole edge :math:`q = 2k_F`, in :math:`\\omega` on multiples of T.

    Parameters
    ----------
    stoner
        Stoner parameter :math:`s = gN(0)` in [0, 1).
    T
        Temperature in (0, 0.5) E_F.
    order
        Nodes per panel.

    Returns
    -------
    float
        The linear-response spin conductance.
    """
    if not (0 <= stoner < 1):
        raise ParameterError("stoner", "in [0, 1) (g N(0), paramagnetic phase)", stoner)
    if not (0 < T < 0.5):
        raise ParameterError("T", "in (0, 0.5) E_F (T = 0 Lindhard function)", T)
    wmax = 40 * T
    qs, qw = composite_rule(np.array([0, 0.01, 0.03, 0.1, 0.3, 0.7, 1.2, 1.7, 1.95, 2.0, 2.0 + wmax]), order)
    ws, ww = composite_rule(np.array([0, 0.1, 0.5, 1, 2, 5, 10, 20, 40]) * T, order)
    Q, W = np.meshgrid(qs, ws, indexing="ij")
    im = chi(Q, W, stoner).imag
    bose = 1 / (4 * T * np.sinh(W / (2 * T)) ** 2)
    integrand = (im**2 * bose) * Q**2 / (2 * math.pi**2)
    inner = integrand @ ww * 2  # even in omega
    return float(8 / (2 * math.pi) * (inner @ qw))
