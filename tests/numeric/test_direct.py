"""The direct solver on its own: exact cases and internal consistency (no closed form involved)."""
import math

import numpy as np
import pytest

from numeric.anglin.device import build_device, lead_bloch_factor, solve
from numeric.anglin.parameters import LossyLattice


def test_uniform_chain_is_reflectionless():
    # tau1 = 1, Lambda = 1, V = 0, gamma = 0: a perfect infinite chain
    d = solve(LossyLattice(3, 1.0, 0.0, 1.0, 0.0), np.linspace(-1.9, 1.9, 41))
    np.testing.assert_allclose(d.T2, 1.0, atol=1e-13)
    np.testing.assert_allclose(d.RL2, 0.0, atol=1e-13)


def test_single_lossy_site_in_a_uniform_chain():
    # M = 0, tau1 = 1, Lambda = 1: a site with potential -i gamma/2 in a chain;
    # elementary matching gives t = 1 / (1 + gamma / (4 sin k))
    gamma = 0.8
    w = np.linspace(-1.9, 1.9, 39)
    k = np.arccos(-w / 2)
    t = 1 / (1 + gamma / (4 * np.sin(k)))
    d = solve(LossyLattice(0, 1.0, gamma, 1.0, 0.0), w)
    np.testing.assert_allclose(d.T2, np.abs(t) ** 2, rtol=1e-13)
    np.testing.assert_allclose(d.RL2, np.abs(1 - t) ** 2, rtol=1e-12)


@pytest.mark.parametrize("lat", [LossyLattice(2, 0.3, 0.7, 1.0, 0.0), LossyLattice(4, 0.05, 5.0, 7.0, 1.3),
                                 LossyLattice(1, 0.8, 2.0, math.inf, 0.4)])
def test_flux_balance_from_independent_matrix_elements(lat):
    # R from G_dd, T from G_{d'd}, absorption from G_{0d}: 1 = |R|^2 + X|T|^2 + a
    w = np.linspace(-1.95, 1.95, 79)
    d = solve(lat, w)
    m = ~np.isnan(d.RL2)
    X = np.abs((w - build_device(lat).eps_right) / lat.Lambda) < 2
    np.testing.assert_allclose(d.RL2[m] + X[m] * d.T2[m] + d.absorbed_L[m], 1.0, atol=1e-12)


def test_bloch_factor_solves_the_lead_quadratic_and_decays_or_goes_out():
    w = np.linspace(-9, 9, 181)
    lam = lead_bloch_factor(w, 0.3, 2.0)
    x = (w - 0.3) / 2.0
    np.testing.assert_allclose(lam**2 + x * lam + 1, 0, atol=1e-13)
    inside = np.abs(x) < 2
    assert np.all(lam[inside].imag > 0) and np.all(np.abs(lam[~inside]) < 1)


def test_printed_lattice_has_a_longer_chain():
    lat = LossyLattice(2, 0.1, 0.5, 2.0, 0.6)
    assert len(build_device(lat, "corrected").sites) == 5
    dev = build_device(lat, "printed")
    assert len(dev.sites) == 7 and dev.H[0, 0] == 0.3 and dev.H[-1, -1] == -0.3
