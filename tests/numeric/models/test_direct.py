"""The direct solver (numeric.models.greens.solve) on the lattice's model file: exact cases and internal consistency
(no closed form involved)."""

import numpy as np
import pytest

from numeric.models.greens import solve
from tunnelkit.models.lossy_lattice import lattice_model


def test_uniform_chain_is_reflectionless():
    # tau1 = 1, Lambda = 1, V = 0, gamma = 0: a perfect infinite chain
    d = solve(lattice_model(3, 1, 0, 1, 0).tight_binding(), np.linspace(-1.9, 1.9, 41))
    np.testing.assert_allclose(d.T2("L", "R"), 1.0, atol=1e-13)
    np.testing.assert_allclose(d.R2("L"), 0.0, atol=1e-13)


def test_single_lossy_site_in_a_uniform_chain():
    # M = 0, tau1 = 1, Lambda = 1: a site with potential -i gamma/2 in a chain;
    # elementary matching gives t = 1 / (1 + gamma / (4 sin k))
    gamma = 0.8
    w = np.linspace(-1.9, 1.9, 39)
    k = np.arccos(-w / 2)
    t = 1 / (1 + gamma / (4 * np.sin(k)))
    d = solve(lattice_model(0, 1, str(gamma), 1, 0).tight_binding(), w)
    np.testing.assert_allclose(d.T2("L", "R"), np.abs(t) ** 2, rtol=1e-13)
    np.testing.assert_allclose(d.R2("L"), np.abs(1 - t) ** 2, rtol=1e-12)
    np.testing.assert_allclose(d.absorbed("L"), 1 - np.abs(t) ** 2 - np.abs(1 - t) ** 2, rtol=1e-12)


@pytest.mark.parametrize("M,tau1,gamma,Lam,V", [(2, "0.3", "0.7", "1", "0"), (4, "0.05", "5", "7", "1.3"),
                                                (1, "0.8", "2", "inf", "0.4")])
def test_flux_balance_from_independent_matrix_elements(M, tau1, gamma, Lam, V):
    # R from S_LL, T from S_RL, absorption from G^dagger (loss) G: 1 = |R|^2 + X|T|^2 + a
    w = np.linspace(-1.95, 1.95, 79)
    d = solve(lattice_model(M, tau1, gamma, Lam, V).tight_binding(), w)
    m = ~np.isnan(d.R2("L"))
    X = np.abs((w + float(V) / 2) / float(Lam)) < 2  # the right lead (potential -V/2) propagates
    assert m.sum() > 70
    np.testing.assert_allclose(d.R2("L")[m] + X[m] * d.T2("L", "R")[m] + d.absorbed("L")[m], 1.0, atol=1e-12)
    assert np.all(d.absorbed("L")[m] > 0)
