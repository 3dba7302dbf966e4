"""Finite-lattice dynamics: exactness, the Fock-space reduction, quasi-steady currents."""
import math

import numpy as np
import pytest

from numeric.anglin.currents import currents
from numeric.anglin.dynamics import FiniteLattice, evolve, initial_left_orbitals, propagate
from numeric.errors import ParameterError
from numeric.fock import (chain_hamiltonian, evolve_density_matrix, fock_space, lindbladian, one_body_matrix,
                          single_particle_density_matrix, slater_state)
from numeric.anglin.parameters import LossyLattice


@pytest.mark.parametrize("stats,L", [("fermi", 4), ("fermi", 6), ("bose", 3), ("bose", 4)])
def test_many_body_lindblad_follows_the_single_particle_master_equation(stats, L, sweep):
    if sweep == "light" and L == 6:
        pytest.skip("full sweep only")
    rng = np.random.default_rng(L)
    fs = fock_space(L, stats, n_max=3)
    h = chain_hamiltonian(rng.uniform(0.5, 1.5, L - 1), rng.uniform(-0.5, 0.5, L))
    g, site = 1.3, 1
    S = lindbladian(fs, one_body_matrix(fs, h), [math.sqrt(g) * fs.a[site]])
    heff = h.copy()
    heff[site, site] -= 0.5j * g
    if stats == "fermi":  # a Slater determinant and a superposition of two (non-Gaussian)
        orb = np.linalg.qr(rng.normal(size=(L, 2)) + 1j * rng.normal(size=(L, 2)))[0]
        states = [slater_state(fs, orb)]
    else:
        states = [slater_state(fs, rng.normal(size=(L, 1)) + 0j)]
    cat = np.zeros(fs.dim, dtype=complex)
    cat[fs.basis.index((1, 1) + (0,) * (L - 2))] = cat[fs.basis.index((0,) * (L - 1) + (1,))] = 1
    states.append(cat / np.linalg.norm(cat))
    for v in states:
        rho0 = np.outer(v, v.conj())
        R0 = single_particle_density_matrix(fs, rho0)
        for rho, t in zip(evolve_density_matrix(fs, S, rho0, [0.4, 2.5]), [0.4, 2.5]):
            np.testing.assert_allclose(single_particle_density_matrix(fs, rho), propagate(heff, R0, t), atol=1e-10)


def test_parity_propagator_equals_dense_propagation():
    lat = FiniteLattice(M=2, tau1=0.2, gamma=0.9, N=12)
    P = 5
    ts = np.array([0.0, 2.0, 7.5, 19.0])
    r = evolve(lat, P, ts)
    n, L = lat.n_sites, lat.L
    full = np.zeros((n, P), dtype=complex)
    phi = initial_left_orbitals(lat, P)
    for j in range(lat.N):
        full[L - (lat.M + 1 + j), :] = phi[j, :]
    R0 = full.conj() @ full.T
    for t, dn in zip(ts, r.dN_half):
        d = np.real(np.diag(propagate(lat.h_eff(), R0, t)))
        assert abs((d[:L - lat.M].sum() - d[L + lat.M + 1:].sum()) / 2 - dn) < 1e-12
    # exact derivative vs a centred difference of the exact dN/2
    h = 1e-4
    num = -(evolve(lat, P, ts[1:] + h).dN_half - evolve(lat, P, ts[1:] - h).dN_half) / (2 * h)
    np.testing.assert_allclose(r.current[1:], num, atol=1e-8)


def test_quasi_steady_current_matches_the_infinite_lattice_then_fails_after_N():
    N, P = 80, 40
    mu = -(math.cos(P * math.pi / (N + 1)) + math.cos((P + 1) * math.pi / (N + 1)))  # Fermi level = 0
    I = currents(LossyLattice(3, 0.1, 0.5, 1.0), muL=mu, muR=-math.inf).I
    r = evolve(FiniteLattice(3, 0.1, 0.5, N), P, [N / 2, 0.9 * N, 1.1 * N, 1.3 * N])
    rel = np.abs(r.current / I - 1)
    assert rel[0] < 0.01 and abs(r.current_fd[0] / I - 1) < 0.01
    assert rel[1] < 0.05 and rel[2] > 0.1 and rel[3] > rel[2]


def test_bad_parameters():
    with pytest.raises(ParameterError):
        FiniteLattice(3, 0.1, 0.5, 0)
    with pytest.raises(ParameterError):
        evolve(FiniteLattice(3, 0.1, 0.5, 10), 11, [1.0])
    with pytest.raises(ParameterError):
        evolve(FiniteLattice(3, 0.1, 0.5, 10), 3, [-1.0])
