"""The lattice's transmission through its bundled model file (tunnelkit.models.lossy_lattice): conservation laws, precision
paths, limits, the closed form against the direct solve (two routes of the general core sharing no formula)."""
import math

import mpmath
import numpy as np
import pytest

from numeric.models.pole_search import poles
from tests.numeric.lattice_reference import model_fields
from tunnelkit.models.lossy_lattice import lattice_model


def transmission(lat, w, *, dps=None, method="auto"):
    return model_fields(*lat, w, dps=dps, method=method)


def lattice(M, tau1, gamma, Lam=1.0, V=0.0):
    """(M, tau1, gamma, Lambda, V) as the exact texts of these numbers (inf: the reservoir limit)."""
    return (M, repr(float(tau1)), repr(float(gamma)), "inf" if math.isinf(Lam) else repr(float(Lam)), repr(float(V)))


def isolated_chain_frequencies(M):
    """anglin:25: the 2M+1 levels of the isolated middle chain, -2 cos(n pi/(2M+2))."""
    return -2 * np.cos(np.arange(1, 2 * M + 2) * np.pi / (2 * M + 2))


def grid(lat, n=400):
    span = 2 * min(float(lat[3]), 4.0) + abs(float(lat[4])) / 2 + 1
    return np.linspace(-span, span, n)


@pytest.mark.parametrize("M,tau1,Lam,V", [(0, 0.5, 1.0, 0.0), (2, 0.1, 1.0, 0.0), (3, 0.3, 2.5, 0.7),
                                          (5, 0.05, math.inf, 1.0), (8, 1.7, 4.0, -2.0)])
def test_unitarity_without_loss(M, tau1, Lam, V):
    tr = transmission(lattice(M, tau1, 0.0, Lam, V), grid(lattice(M, tau1, 0.0, Lam, V)))
    for side, R2, X in (("L", tr.RL2, tr.incident_R), ("R", tr.RR2, tr.incident_L)):
        m = ~np.isnan(R2)
        np.testing.assert_allclose(R2[m] + X[m] * tr.T2[m], 1.0, atol=1e-13)


@pytest.mark.parametrize("gamma", [0.01, 0.5, 5.0, 100.0])
def test_loss_only_removes_flux(gamma):
    lat = lattice(3, 0.4, gamma, 2.0, 0.5)
    tr = transmission(lat, grid(lat))
    for R2, X in ((tr.RL2, tr.incident_R), (tr.RR2, tr.incident_L)):
        m = ~np.isnan(R2)
        assert np.all(R2[m] + X[m] * tr.T2[m] <= 1 + 1e-13)
        assert np.any(R2[m] + X[m] * tr.T2[m] < 1 - 1e-3)


def test_closed_forms_agree_with_direct_solve_on_random_grid(sweep):
    rng = np.random.default_rng(2024)
    n = 40 if sweep == "light" else 400
    worst = 0.0
    regimes = {"real k": 0, "complex k": 0, "evanescent": 0, "Lambda inf": 0}
    for i in range(n):
        M = int(rng.integers(0, 9))
        lat = lattice(M, float(10 ** rng.uniform(-2, 0.3)), float([0, 10 ** rng.uniform(-2, 2)][i % 2]),
                           [1.0, float(10 ** rng.uniform(0, 3)), math.inf][i % 3], float(rng.uniform(-3, 3)))
        w = rng.uniform(-1, 1, 30) * (2 * min(float(lat[3]), 4.0) + abs(float(lat[4])) / 2 + 1)
        a, d = transmission(lat, w, method="closed"), transmission(lat, w, method="direct")
        regimes["real k"] += int(np.sum(np.abs(w) < 2))
        regimes["complex k"] += int(np.sum(np.abs(w) > 2))
        regimes["evanescent"] += int(np.sum(a.incident_L != a.incident_R))
        regimes["Lambda inf"] += int(lat[3] == "inf")
        both = a.incident_L & a.incident_R
        assert np.all(d.T2[~both] == 0) and np.all(a.T2[~both] == 0)  # flux-normalised T2 (docs/cli.md): 0 unless both propagate
        for name in ("T2", "RL2", "RR2", "transport_L", "transport_R", "absorbed_L"):
            x, y = getattr(a, name), getattr(d, name)
            if name == "T2":
                x, y = x[both], y[both]
            np.testing.assert_array_equal(np.isnan(x), np.isnan(y))
            m = ~np.isnan(y)
            rel = np.abs(x[m] - y[m]) / np.maximum(np.abs(y[m]), np.finfo(float).tiny)
            worst = max(worst, float(np.max(rel, initial=0)))
    assert worst < 1e-10
    assert all(v > 0 for v in regimes.values()), regimes


def resonance_points(lat):
    centres = np.concatenate([isolated_chain_frequencies(lat[0]), poles(lattice_model(*lat).tight_binding()).real])
    w = np.concatenate([centres + d for d in (-1e-12, 0.0, 1e-12)])
    return w[np.abs(w) < 2 - 1e-9]


@pytest.mark.parametrize("tau1", [0.1, pytest.param(0.001, marks=pytest.mark.xfail(
    strict=True, reason="general double route (closed and direct) loses 7e-9 relative in T2 next to the resonances "
    "at M = 4, tau1 = 1e-3 (the lattice route held 1e-9; conditioning ~eps/tau1^2 = 2e-10)"))])
def test_numpy_and_mpmath_agree_near_every_resonance(tau1, sweep):
    Ms = (1, 4) if sweep == "light" else (0, 1, 2, 3, 5, 8)
    for M in Ms:
        for gamma in (0.0, 5.0):
            for Lam, V in ((1.0, 0.0), (3.0, 0.4), (math.inf, 0.4)):
                lat = lattice(M, tau1, gamma, Lam, V)
                w = resonance_points(lat)
                a = transmission(lat, w)
                b = transmission(lat, [mpmath.mpf(float(x)) for x in w], dps=40)
                for name in ("T2", "transport_L", "transport_R"):
                    y = np.array([float(v) for v in getattr(b, name)])
                    np.testing.assert_allclose(getattr(a, name), y, rtol=1e-9)
                for name in ("RL2", "RR2"):  # vanish at symmetric resonances: absolute agreement
                    y = np.array([float(v) for v in getattr(b, name)])
                    np.testing.assert_allclose(getattr(a, name), y, rtol=0, atol=1e-9)


def test_large_Lambda_approaches_the_reservoir_limit():
    w = np.linspace(-1.9, 1.9, 97)
    inf = transmission(lattice(2, 0.1, 0.5, math.inf, 0.3), w)
    dev = []
    for Lam in (1e6, 1e8):
        fin = transmission(lattice(2, 0.1, 0.5, Lam, 0.3), w)
        dev.append(np.max(np.abs(fin.transport_L - inf.transport_L) / inf.transport_L))
    assert dev[1] < 1e-6
    assert dev[0] / dev[1] > 30  # converges like 1/Lambda


def test_band_edges_are_finite_and_without_incidence_from_the_edge_lead():
    lat = lattice(3, 0.1, 0.5, 1.0)
    tr = transmission(lat, [-2.0, 2.0, -1.0])
    assert np.all(np.isnan(tr.RL2[:2])) and np.all(np.isnan(tr.transport_L[:2]))
    assert np.isfinite(tr.transport_L[2])
    tr3 = transmission(lattice(3, 0.1, 0.5, 3.0), [-2.0, 2.0])  # chain edge inside the lead band
    b = transmission(lattice(3, 0.1, 0.5, 3.0), ["-2", "2"], dps=40)
    np.testing.assert_allclose(tr3.transport_L, [float(x) for x in b.transport_L], rtol=1e-12)


def test_mpmath_path_accepts_exact_string_input_and_respects_dps():
    lat = lattice(2, 0.1, 0.5, math.inf)
    with mpmath.workdps(15):
        b = transmission(lat, ["0.41"], dps=60)
    assert mpmath.mp.dps == 15  # scoped, never global
    with mpmath.workdps(60):
        assert abs(b.omega[0] - mpmath.mpf(41) / 100) < mpmath.mpf(10) ** -59
