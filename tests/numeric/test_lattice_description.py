"""One description of the lossy lattice (issue 12): device, finite lattices, Fock chain and the model file.

Every matrix built from :func:`numeric.anglin.device.lattice_model` is compared with the lattice
written out site by site here from anglin Eqs. (1)-(3) (weak links between +-M and +-(M+1),
erratum anglin:2), and the general solver on that description with the lossy-lattice solver.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from numeric.anglin.bound_states import finite_lattice_h_eff
from numeric.anglin.device import build_device, lattice_model, solve as anglin_solve
from numeric.anglin.dynamics import FiniteLattice
from numeric.anglin.parameters import LossyLattice
from numeric.fock import chain_hamiltonian
from numeric.greens import solve
from numeric.tight_binding import from_model
from tunnelkit.model_file import load_model_file

MODEL_FILE = Path(__file__).resolve().parents[2] / "examples" / "models" / "anglin_lattice.toml"
LATTICES = [LossyLattice(3, 0.1, 0.5, 1.0, 0.3), LossyLattice(1, 0.7, 2.0, 3.0, 1.5),
            LossyLattice(2, 0.3, 0.0, math.inf, -0.4), LossyLattice(0, 1.0, 4.5, 1.0)]


def written_out(lat: LossyLattice, N: int) -> np.ndarray:
    """Sites -(M+N) .. M+N: T_m = 1 inside, tau1 sqrt(Lambda) on the links, Lambda outside; V_m; loss at 0."""
    L = lat.M + N
    h = np.zeros((2 * L + 1, 2 * L + 1), dtype=complex)
    for m in range(-L, L):
        T = 1.0 if -lat.M <= m < lat.M else (lat.tau1 * math.sqrt(lat.Lambda) if m in (-lat.M - 1, lat.M)
                                             else lat.Lambda)
        h[m + L, m + L + 1] = h[m + L + 1, m + L] = -T
    for m in range(-L, L + 1):
        h[m + L, m + L] = 0.0 if abs(m) <= lat.M else (lat.V / 2 if m < 0 else -lat.V / 2)
    h[L, L] -= 0.5j * lat.gamma
    return h


@pytest.mark.parametrize("lat", [x for x in LATTICES if not x.infinite])
def test_bound_state_matrices_are_the_truncated_description(lat):
    np.testing.assert_array_equal(finite_lattice_h_eff(lat, 9), written_out(lat, 9))


def test_dynamics_lattice_is_the_truncated_description():
    fl = FiniteLattice(M=2, tau1=0.3, gamma=0.9, N=6)
    np.testing.assert_array_equal(fl.h_eff(), written_out(LossyLattice(2, 0.3, 0.9, 1.0, 0.0), 6))
    assert [fl.bond(j) for j in range(fl.L)] == [1.0, 1.0, 0.3, 1.0, 1.0, 1.0, 1.0, 1.0]


def test_fock_chain_is_the_one_chain_builder():
    h = chain_hamiltonian([0.5, 1.5], [0.1, -0.2, 0.3])
    np.testing.assert_array_equal(h, [[0.1, -0.5, 0], [-0.5, -0.2, -1.5], [0, -1.5, 0.3]])


@pytest.mark.parametrize("lat", LATTICES)
@pytest.mark.parametrize("variant", ["corrected", "printed"])
def test_general_solver_on_the_description_matches_the_lattice_solver(lat, variant):
    w = np.linspace(-2 * min(lat.Lambda, 3.0) - 1, 2 * min(lat.Lambda, 3.0) + 1, 57)
    a = anglin_solve(lat, w, variant=variant)
    g = solve(lattice_model(lat, variant), w)
    np.testing.assert_allclose(g.T2("L", "R"), a.T2, rtol=1e-11, atol=1e-15)
    np.testing.assert_allclose(g.R2("L"), a.RL2, rtol=1e-11, atol=1e-15)
    np.testing.assert_allclose(g.R2("R"), a.RR2, rtol=1e-11, atol=1e-15)
    np.testing.assert_allclose(g.absorbed("L"), a.absorbed_L, rtol=1e-10, atol=1e-15)
    assert len(build_device(lat, variant).sites) == 2 * lat.M + (1 if variant == "corrected" else 3)


@pytest.mark.parametrize("lat", [x for x in LATTICES if x.M >= 1])
def test_the_model_file_gives_the_same_lattice(lat):
    tb = from_model(load_model_file(MODEL_FILE), dict(M=lat.M, tau1=lat.tau1, gamma=lat.gamma,
                                                      Lambda="inf" if lat.infinite else lat.Lambda, V=lat.V))
    ref = lattice_model(lat)
    order = [tb.sites.index(s) for s in [f"left[{k}]" for k in range(lat.M)] + ["c"] +
             [f"right[{k}]" for k in range(lat.M)]]
    np.testing.assert_allclose(tb.H[np.ix_(order, order)], ref.H, atol=1e-15)
    for a, b in zip(tb.leads, ref.leads):
        assert order[0 if a.name == "L" else -1] == a.site
        assert complex(a.potential) == pytest.approx(b.potential) and float(a.strength) == pytest.approx(
            float(b.strength), rel=1e-13)
        assert a.is_wide_band == b.is_wide_band
