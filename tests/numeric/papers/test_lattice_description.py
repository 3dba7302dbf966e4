"""One description of the lossy lattice (issue 12, issue 19): the bundled model file, the finite lattices of the
dynamics and the Fock chain.

Every matrix is compared with the lattice written out site by site here from anglin Eqs. (1)-(3) (weak links
between +-M and +-(M+1), erratum anglin:2).
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from numeric.papers.anglin.dynamics import FiniteLattice
from numeric.fields.fock import chain_hamiltonian
from tunnelkit.models.lossy_lattice import lattice_model

LATTICES = [(3, "0.1", "0.5", "1", "0.3"), (1, "0.7", "2", "3", "1.5"), (2, "0.3", "0", "inf", "-0.4"),
            (0, "1", "4.5", "1", "0"), (0, "0.2", "0.5", "inf", "1")]


def written_out(M: int, tau1: float, gamma: float, Lam: float, V: float, N: int) -> np.ndarray:
    """Sites -(M+N) .. M+N: T_m = 1 inside, tau1 sqrt(Lambda) on the links, Lambda outside; V_m; loss at 0."""
    L = M + N
    h = np.zeros((2 * L + 1, 2 * L + 1), dtype=complex)
    for m in range(-L, L):
        T = 1.0 if -M <= m < M else (tau1 * math.sqrt(Lam) if m in (-M - 1, M) else Lam)
        h[m + L, m + L + 1] = h[m + L + 1, m + L] = -T
    for m in range(-L, L + 1):
        h[m + L, m + L] = 0.0 if abs(m) <= M else (V / 2 if m < 0 else -V / 2)
    h[L, L] -= 0.5j * gamma
    return h


def spatial_order(sites: tuple[str, ...], M: int) -> list[int]:
    """Positions of the model file's region sites (c, left[k], right[k]) in the order -M .. M."""
    return [sites.index(s) for s in [f"left[{k}]" for k in range(M)] + ["c"] + [f"right[{k}]" for k in range(M)]]


def test_dynamics_lattice_is_the_truncated_description():
    fl = FiniteLattice(M=2, tau1=0.3, gamma=0.9, N=6)
    np.testing.assert_array_equal(fl.h_eff(), written_out(2, 0.3, 0.9, 1.0, 0.0, 6))
    assert [fl.bond(j) for j in range(fl.L)] == [1.0, 1.0, 0.3, 1.0, 1.0, 1.0, 1.0, 1.0]


def test_fock_chain_is_the_one_chain_builder():
    h = chain_hamiltonian([0.5, 1.5], [0.1, -0.2, 0.3])
    np.testing.assert_array_equal(h, [[0.1, -0.5, 0], [-0.5, -0.2, -1.5], [0, -1.5, 0.3]])


@pytest.mark.parametrize("case", LATTICES, ids=["-".join(map(str, c)) for c in LATTICES])
def test_the_model_file_gives_the_lattice(case):
    """The bundled model file (tunnelkit.models.lossy_lattice): its region is the middle chain, its leads the outer lattices
    (truncated to 9 sites: the written-out lattice; Lambda = inf: wide-band leads of strength tau1^2)."""
    M, tau1, gamma, Lam, V = case
    tb = lattice_model(M, tau1, gamma, Lam, V).tight_binding()
    x = dict(tau1=float(tau1), gamma=float(gamma), Lam=float(Lam), V=float(V))
    if math.isinf(x["Lam"]):
        ref = written_out(M, x["tau1"], x["gamma"], 1.0, x["V"], 0)  # the region alone
        order = spatial_order(tb.sites, M)
        np.testing.assert_array_equal(tb.H[np.ix_(order, order)], ref)
        for lead, site, potential in zip(tb.leads, (order[0], order[-1]), (x["V"] / 2, -x["V"] / 2)):
            assert lead.is_wide_band and lead.site == site
            assert float(lead.strength) == pytest.approx(x["tau1"] ** 2, rel=1e-15)
            assert complex(lead.potential) == potential
        return
    N = 9
    h = tb.truncated(N)
    n = len(tb.sites)
    order = list(range(N)) + [N + i for i in spatial_order(tb.sites, M)] + list(range(N + n, N + n + N))
    np.testing.assert_allclose(h[np.ix_(order, order)], written_out(M, x["tau1"], x["gamma"], x["Lam"], x["V"], N),
                               rtol=1e-15, atol=0)
