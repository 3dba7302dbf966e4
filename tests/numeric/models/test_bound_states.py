"""App. D bound states of the lattice's model file (Model.bound_states, numeric.models.model_bound_states: zeros of the
determinant on the decaying sheet) against the elementary solution and against large finite lattices."""
import math

import numpy as np
import scipy.linalg as sla

from tunnelkit.models.lossy_lattice import lattice_model


def finite_lattice(M, tau1, gamma, Lam, V, N):
    """Eigenvalues and eigenvectors of the lattice cut after N outer sites per side, written out here site by site
    (sites -(M+N) .. M+N)."""
    L = M + N
    bonds = [1.0 if -M <= m < M else (tau1 * math.sqrt(Lam) if m in (-M - 1, M) else Lam) for m in range(-L, L)]
    onsite = [0.0 if abs(m) <= M else (V / 2 if m < 0 else -V / 2) for m in range(-L, L + 1)]
    h = np.diag(np.array(onsite, dtype=complex)) - np.diag(bonds, 1) - np.diag(bonds, -1)
    h[L, L] -= 0.5j * gamma
    return sla.eig(h)


def localised(ev, vec, M, N, *, weight=0.9, window=12):
    """The eigenvalues whose eigenvectors keep >= ``weight`` within |m| <= M + window."""
    L = M + N
    core = slice(L - M - window, L + M + window + 1)
    w = np.sum(np.abs(vec[core, :]) ** 2, axis=0) / np.sum(np.abs(vec) ** 2, axis=0)
    return ev[w >= weight]


def test_uniform_chain_binds_above_gamma_4_only():
    # elementary: e^{ik|m|} with 2i sin k = -i gamma/2 decays iff gamma > 4; omega = -2i sinh(arccosh(gamma/4))
    for g in (3.5, 4.5, 7.0):
        bs = lattice_model(2, 1, str(g), 1).bound_states(seeds=8)
        if g < 4:
            assert bs == []
        else:
            (b,) = bs
            assert abs(complex(b.omega) + 2j * math.sinh(math.acosh(g / 4))) < 1e-12


def test_bound_states_agree_with_a_large_finite_lattice():
    """Every state found is an eigenvalue of the lattice cut after N outer sites (N so long that its tail,
    |z|^(2N), is below 1e-12), and every eigenvector of that lattice localised at the chain is a state found."""
    for case, count in (((3, 0.3, 6.0, 2.0, 0.5), 4), ((2, 0.8, 6.0, 1.0, 0.3), 1)):
        M, tau1, gamma, Lam, V = case
        found = lattice_model(M, str(tau1), str(gamma), str(Lam), str(V)).bound_states(seeds=8)
        closed = np.array([complex(b.omega) for b in found])
        assert len(closed) == count
        assert all(abs(z) < 1 for b in found for z in b.z.values())
        slowest = max(abs(complex(z)) for b in found for z in b.z.values())
        N = max(100, int(math.log(1e-12) / (2 * math.log(slowest))) + 1)
        ev, vec = finite_lattice(M, tau1, gamma, Lam, V, N)
        assert max(np.min(np.abs(ev - w)) for w in closed) < 1e-9
        for w in localised(ev, vec, M, N):
            assert np.min(np.abs(closed - w)) < 1e-9
