"""Pair-tunnelling G/S (tajima Eq. 21, Fig. 2): independent cross-checks of the analytic derivatives."""
import math

import mpmath
import numpy as np
import pytest

from numeric.tajima.pair_ratio import (critical_temperature, molecular_chemical_potential, pair_current, pair_ratio,
                                    response)
from numeric.errors import ParameterError

TEMPS = [0.2181, 0.22, 0.25, 0.3, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5]


def test_critical_temperature_textbook_value():
    # ideal Bose gas of N/2 molecules of mass 2m: T_c = (2 pi / M) (n_B / zeta(3/2))^(2/3), n_B = k_F^3 / 6 pi^2
    n_B = 1 / (6 * math.pi**2)
    Tc = 2 * math.pi / 1.0 * (n_B / float(mpmath.zeta(1.5))) ** (2 / 3)  # M = 2m = 1
    assert abs(critical_temperature() - Tc) < 1e-12


def test_chemical_potential_solves_number_equation():
    # independent: direct quadrature of 2 int d^3q/(2 pi)^3 b(q^2/2 - mu_B)
    T = 0.5
    muB = float(molecular_chemical_potential(T))
    dens = 2 * mpmath.quad(lambda q: q**2 / (2 * mpmath.pi**2) / mpmath.expm1((q**2 / 2 - muB) / T), [0, 1, mpmath.inf])
    assert abs(dens - 1 / (3 * math.pi**2)) < 1e-12


@pytest.mark.parametrize("E_b,g_tilde", [(10.0, 1.0), (250.0, 0.05)])
def test_analytic_derivatives_match_finite_differences_and_do_not_depend_on_a_or_g(E_b, g_tilde):
    T = 0.4
    muB = float(molecular_chemical_potential(T))
    G, S, _, _ = response(T)
    mu, h = (muB - E_b) / 2, 1e-5
    Gfd = (pair_current((mu + h, mu - h), (T, T), E_b=E_b, g_tilde=g_tilde)
           - pair_current((mu - h, mu + h), (T, T), E_b=E_b, g_tilde=g_tilde)) / (4 * h)
    Sfd = (pair_current((mu, mu), (T + h, T - h), E_b=E_b, g_tilde=g_tilde)
           - pair_current((mu, mu), (T - h, T + h), E_b=E_b, g_tilde=g_tilde)) / (4 * h)
    assert abs(Gfd / g_tilde**2 / G - 1) < 1e-7
    assert abs(Sfd / g_tilde**2 / S - 1) < 1e-7
    assert abs((Gfd / Sfd) / (G / S) - 1) < 1e-7


def test_ratio_finite_and_monotone():
    r = pair_ratio(TEMPS)
    g = np.asarray(r.G_over_S)
    assert np.all(np.isfinite(g)) and np.all(g > 0)
    assert np.all(np.diff(g) < 0)  # dramatic enhancement towards T_c, S wins at high T
    assert g[0] > 1e4 and g[-1] < 1
    assert np.all(r.error < 1e-12)


@pytest.mark.parametrize("T", [0.2181, 0.22, 0.5, 1.5])
def test_mpmath_agrees_with_double(T):
    d = pair_ratio([T]).G_over_S[0]
    m = pair_ratio([T], dps=30).G_over_S[0]
    assert abs(d / float(m) - 1) < 1e-12


def test_bad_parameters():
    with pytest.raises(ParameterError):
        pair_ratio([0.2])
    with pytest.raises(ParameterError):
        pair_ratio([0.5], damping=0.0)
