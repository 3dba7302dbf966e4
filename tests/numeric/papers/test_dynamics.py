"""Finite-lattice dynamics: exactness, the Fock-space reduction, quasi-steady currents."""
import math

import mpmath

import numpy as np
import pytest

from numeric.papers.anglin.dynamics import FiniteLattice, evolve, initial_left_orbitals, propagate
from numeric.errors import ParameterError
from numeric.fields.fock import (chain_hamiltonian, evolve_density_matrix, fock_space, lindbladian, one_body_matrix,
                          single_particle_density_matrix, slater_state)
from numeric.models.model_currents import Reservoir, model_currents


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
    lat = FiniteLattice(3, 0.1, 0.5, N)
    # the steady current of the infinite lattice (the general core's Landauer integral): I = (I_L - I_R)/2
    steady = model_currents(lat.tight_binding(), {"L": Reservoir(mu)}, rtol=1e-12)
    I = (steady.I["L"] - steady.I["R"]) / 2
    r = evolve(lat, P, [N / 2, 0.9 * N, 1.1 * N, 1.3 * N])
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


# ----------------------------------------------------------------------------- exceptional points

def _h_full_mp(M, tau1, N, gamma):
    """The full single-particle h_eff (sites -L..L) in mpmath, written from the model, not from the code."""
    L = M + N
    n = 2 * L + 1
    h = mpmath.matrix(n, n)
    for i in range(n - 1):
        m = i - L  # bond (m, m+1); the weak links are the bonds (-M-1, -M) and (M, M+1)
        h[i, i + 1] = h[i + 1, i] = -(mpmath.mpf(tau1) if m in (M, -M - 1) else 1)
    h[L, L] = -0.5j * mpmath.mpmathify(gamma)
    return h


def _reference(M, tau1, N, gamma, P, t, dps=40, mp=False):
    """dN/2 and -d(dN/2)/dt from mpmath expm of the full h_eff at ``dps`` digits (default 40); mpf if ``mp``."""
    with mpmath.workdps(dps):
        L = M + N
        h = _h_full_mp(M, tau1, N, gamma)
        psi0 = mpmath.matrix(2 * L + 1, P)
        for k in range(1, P + 1):  # lowest modes of the isolated left end: sin(pi k j/(N+1)), j = distance
            for j in range(1, N + 1):
                psi0[L - (M + j), k - 1] = (mpmath.sqrt(mpmath.mpf(2) / (N + 1))
                                            * mpmath.sin(mpmath.pi * k * j / (N + 1)))
        psi = mpmath.expm(-1j * h * mpmath.mpf(t)) * psi0
        dpsi = -1j * h * psi
        dN = cur = mpmath.mpf(0)
        for p in range(P):
            for i in range(2 * L + 1):
                sign = 1 if i < L - M else -1 if i > L + M else 0
                dN += sign * abs(psi[i, p]) ** 2 / 2
                cur -= sign * mpmath.re(mpmath.conj(dpsi[i, p]) * psi[i, p])
        return (+dN, +cur) if mp else (float(dN), float(cur))


@pytest.mark.parametrize("tau1", [1.0, 0.1, 2.5])
def test_at_the_exceptional_point_of_the_three_site_lattice(tau1):
    """M = 0, N = 1, gamma = 4 sqrt2 tau1: the even sector {|0>, (|-1> + |1>)/sqrt2} is a Jordan block.

    h_e = -i gamma/4 + K with K^2 = 2 tau1^2 - gamma^2/16 = 0, so exp(-i h_e t) = e^{-gamma t/4}(1 - iKt)
    and, with the odd state at energy 0, dN/2 = e^{-sqrt2 tau1 t}(1 + sqrt2 tau1 t)/2 and
    -d(dN/2)/dt = tau1^2 t e^{-sqrt2 tau1 t} (exact; the issue's case is tau1 = 1, t = 1).
    """
    lat = FiniteLattice(M=0, tau1=tau1, gamma=4 * math.sqrt(2) * tau1, N=1)
    ts = np.array([0.0, 0.3, 1.0, 4.0, 12.0]) / tau1
    x = math.sqrt(2) * tau1 * ts
    exact_dN = np.exp(-x) * (1 + x) / 2
    exact_current = tau1**2 * ts * np.exp(-x)
    for method in ("auto", "blocks", "expm"):
        r = evolve(lat, 1, ts, method=method)
        assert r.method == ("blocks" if method == "auto" else method)
        np.testing.assert_allclose(r.dN_half, exact_dN, rtol=1e-13, atol=1e-300)
        np.testing.assert_allclose(r.current, exact_current, rtol=1e-12, atol=1e-15 * tau1)


def _exceptional_gamma(M, tau1, N, guess_gamma, guess_lambda):
    """An EP of the full h_eff from mpmath at 40 digits: det(h - lam) = d/dlam det(h - lam) = 0."""
    with mpmath.workdps(40):
        eye = mpmath.eye(2 * (M + N) + 1)
        p = lambda lam, g: mpmath.det(_h_full_mp(M, tau1, N, g) - lam * eye)  # noqa: E731
        lam, g = mpmath.findroot(lambda lam, g: [p(lam, g), mpmath.diff(lambda z: p(z, g), lam)],
                                 (mpmath.mpc(guess_lambda), mpmath.mpc(guess_gamma)))
        assert abs(mpmath.im(g)) < mpmath.mpf(10) ** -30
        return float(mpmath.re(g))


def test_near_an_exceptional_point_inside_a_longer_lattice():
    """M = 1, tau1 = 1, N = 2: one pair of the 4 even-sector modes coalesces near gamma = 4.6596; the
    pair is split off as a Schur block, the other modes keep their phases."""
    g_ep = _exceptional_gamma(1, 1.0, 2, 4.6596, -0.9387j)
    assert abs(g_ep - 4.65961922) < 1e-8
    for gamma in (g_ep, g_ep * (1 + 1e-9), g_ep * (1 - 1e-6), g_ep * (1 + 1e-3)):
        lat = FiniteLattice(M=1, tau1=1.0, gamma=gamma, N=2)
        for t in (0.5, 3.0, 20.0):
            r = evolve(lat, 2, [t])
            dN, cur = _reference(1, 1.0, 2, gamma, 2, t)
            assert abs(r.dN_half[0] / dN - 1) < 1e-12 and abs(r.current[0] / cur - 1) < 1e-12, (gamma, t)
        assert r.method == ("eigen" if gamma == g_ep * (1 + 1e-3) else "blocks")


def test_the_fast_path_stays_away_from_exceptional_points():
    assert evolve(FiniteLattice(M=3, tau1=0.1, gamma=0.5, N=60), 30, [10.0]).method == "eigen"


def test_progress_wrapper_sees_every_time():
    calls = []

    def record(items, total=None, desc=None):
        calls.append((total, desc))
        return items

    r = evolve(FiniteLattice(M=1, tau1=0.3, gamma=0.5, N=5), 2, [0.0, 1.0, 2.0], progress=record)
    # the decomposition (the long first step: minutes at N = 1500) shows as a step of its own, then every time
    assert calls == [(1, "evolve: decomposition"), (3, "evolve")] and len(r.t) == 3


@pytest.mark.parametrize("kwargs,name", [(dict(tau1=1e3), "tau1"), (dict(gamma=1e150), "gamma")])
def test_parameters_outside_the_accurate_range_are_refused(kwargs, name):
    """gamma = 1e150 gave finite, silently wrong numbers (eig's absolute error ~eps*gamma)."""
    base = dict(M=1, tau1=0.3, gamma=0.5, N=3)
    with pytest.raises(ParameterError, match=name):
        FiniteLattice(**{**base, **kwargs})


def test_the_accurate_range_is_accurate():
    for tau1, gamma in ((0.3, 1e100), (100.0, 0.5), (1e-150, 0.5)):
        lat = FiniteLattice(M=1, tau1=tau1, gamma=gamma, N=2)
        dN, cur = _reference(1, tau1, 2, gamma, 2, 2.0)
        r = evolve(lat, 2, [2.0])
        assert abs(r.dN_half[0] - dN) < 1e-11 * abs(dN) and abs(r.current[0] - cur) < 1e-9 * max(abs(cur), 1e-50)


_LATTICES = [(0, 3, 0.5), (1, 2, 0.5), (2, 3, 0.5), (3, 2, 0.5), (0, 4, 0.0), (1, 3, 4 * math.sqrt(2)), (2, 4, 3.0),
             (3, 5, 0.0), (3, 3, 1e6)]


@pytest.mark.parametrize("M,N,gamma,tau1", [(0, 3, 0.5, 1e-8), (1, 2, 0.5, 1e-8)]
                         + [lat + (tau1,) for tau1 in (1e-9, 1e-12, 1e-30, 1e-150) for lat in _LATTICES])
def test_weak_link_current_has_full_relative_accuracy_on_any_blas_kernel(M, N, gamma, tau1):
    """The current is O(tau1^2); it was a difference of O(1) terms (5.55e-17 for 8.0e-301 on AVX-512 OpenBLAS),
    then the O(tau1) eigenvector components across the link (absolute accuracy: 0.35 instead of 0.80 for
    M = 1, tau1 = 1e-30 under numpy 2.2/scipy 1.15; M >= 2 deflated below 1e-16 on every build).

    Reference: mpmath expm of the full h_eff with enough digits for the O(1) cancellation of its
    site sum (40 + 2|log10 tau1|).  The inputs perturbed by an ulp (what another BLAS kernel's
    round-off amounts to) move the current by O(eps) relative, not by O(eps) absolute.  tau1 = 1e-8
    (t = 2) takes the eigenvector route (continuity: tau1 (t + 1) above the first-order bound), the
    rest first order.  M = 1, gamma = 4 sqrt2: the inner chain's exceptional point; N = 3 with M = 1
    or 3 and gamma = 0: an end level degenerate with an inner one; gamma = 1e6: the Zeno regime.
    """
    digits = 40 + int(2 * abs(math.log10(tau1)))
    for t in (0.5, 2.0):
        _, cur = _reference(M, tau1, N, gamma, 2, t, dps=digits)
        for t1, g in ((tau1, gamma), (math.nextafter(tau1, 1.0), math.nextafter(gamma, 1.0))):
            r = evolve(FiniteLattice(M=M, tau1=t1, gamma=g, N=N), 2, [t])
            assert r.method == ("eigen" if tau1 == 1e-8 else "first-order")  # the Schur blocks' own tests: above
            assert abs(r.current[0] - cur) < 1e-12 * abs(cur), (t, r.current[0], cur)


@pytest.mark.parametrize("M,N,gamma", [(0, 3, 0.5), (1, 2, 0.5), (2, 3, 4.0), (3, 4, 0.0), (1, 3, 4 * math.sqrt(2)),
                                       (2, 2, 1e3)])
def test_first_order_neglects_less_than_tau1_t_squared(M, N, gamma):
    """The first-order route's neglected terms against the exact current (mpmath expm, 50 digits) at
    tau1 = 1e-3, where they are measurable: below (tau1 (t + 1))^2 of the natural scale
    tau1^2 t sum_p phi_p(1)^2 (the measured coefficient is <= 0.33).  With tau1 (t + 1) <= 5e-9 they
    are then below 2.5e-17 relative: the bound of the route is right."""
    from numeric.papers.anglin.dynamics import _first_order
    from numeric.papers.anglin.first_order import FIRST_ORDER_TAU1_T
    assert FIRST_ORDER_TAU1_T**2 < 1e-16
    tau1, P = 1e-3, 2
    weak = _first_order(FiniteLattice(M=M, tau1=tau1, gamma=gamma, N=N))
    for t in (0.5, 3.0, 40.0):
        dN, cur = _reference(M, tau1, N, gamma, P, t, dps=50)
        dN1, cur1, _ = weak.values(P, t)
        natural = tau1**2 * t * float(weak.weight[:P].sum())
        assert abs(cur1 - cur) <= (tau1 * (t + 1)) ** 2 * natural, (t, cur1, cur)
        assert abs(dN1 - dN) <= (tau1 * (t + 1)) ** 2 * natural * t, (t, dN1, dN)


@pytest.mark.parametrize("M,N,gamma,t", [(1, 2, 0.5, 0.3), (2, 3, 0.5, 5.0), (0, 3, 2.0, 40.0)])
def test_first_order_estimator_and_population_at_tiny_tau1(M, N, gamma, t):
    """dN/2 - P/2 and the Fig. 7 estimator -(dN/2(t+1) - dN/2(t-1))/2 (dN/2(t < 0) = dN/2(0)), both
    O(tau1^2), against mpmath differences of the exact dN/2 at 300 digits (tau1 = 1e-100)."""
    tau1, P = 1e-100, 2
    r = evolve(FiniteLattice(M=M, tau1=tau1, gamma=gamma, N=N), P, [t])
    ref = {s: _reference(M, tau1, N, gamma, P, s, dps=300, mp=True)[0] for s in (max(t - 1, 0.0), t, t + 1)}
    fd = -(ref[t + 1] - ref[max(t - 1, 0.0)]) / 2
    assert abs(r.current_fd[0] / float(fd) - 1) < 1e-12
    assert r.dN_half[0] == P / 2 and abs(float((ref[t] - mpmath.mpf(P) / 2) / fd)) < 1e3  # the deficit is O(tau1^2)


def test_routes_agree_across_the_first_order_bound():
    """tau1 = 2e-9: first order up to t = 1.5 (tau1 (t + 1) <= 5e-9), the eigenvector route after; both
    against mpmath (M = 1, N = 2: the eigenvector route is accurate there on both library stacks)."""
    lat = FiniteLattice(M=1, tau1=2e-9, gamma=0.5, N=2)
    for t, method in ((1.49, "first-order"), (1.51, "eigen")):
        _, cur = _reference(1, 2e-9, 2, 0.5, 2, t, dps=60)
        r = evolve(lat, 2, [t])
        assert r.method == method and abs(r.current[0] / cur - 1) < 1e-12
    assert evolve(lat, 2, [1.0, 2.0]).method == "first-order+eigen"


def test_first_order_inner_chain_against_mpmath_matrix_functions():
    """The inner chain's spectral form (eigenvalues, at its exceptional point M = 1, gamma = 4 sqrt2 a Schur
    block) and the whole inner matrix as one block (the last resort) against 40-digit mpmath expm of
    [[Zt, t, 0], [0, 0, t], [0, 0, 0]] = [[e^{Zt}, t phi1(Zt), t^2 phi2(Zt)], ..], Z = -i(C - eps_p)."""
    from numeric.papers.anglin.dynamics import _first_order
    from numeric.papers.anglin.first_order import FirstOrderWeakLink, InnerSpectrum
    P = 3
    for M, gamma in ((0, 0.7), (1, 0.7), (3, 2.0), (1, 4 * math.sqrt(2))):
        lat = FiniteLattice(M=M, tau1=1e-20, gamma=gamma, N=4)
        weak = _first_order(lat)
        n = 2 * M + 1  # the inner chain, sites -M .. M (row 0: the site -M next to the link)
        Cm = _h_full_mp(M, 1.0, 0, gamma)
        C = np.array([[complex(Cm[i, j]) for j in range(n)] for i in range(n)])
        e = np.eye(n)[0]
        whole = FirstOrderWeakLink(lat.tau1, InnerSpectrum(np.zeros(0, complex), np.zeros(0, complex), ((C, e, e),)),
                                   weak.eps, np.sqrt(weak.weight))
        assert bool(_first_order(lat).inner.blocks) == (gamma == 4 * math.sqrt(2))
        for t in (0.7, 9.0):
            with mpmath.workdps(40):
                sums = [mpmath.mpf(0), mpmath.mpf(0)]
                for p in range(P):
                    A = mpmath.zeros(3 * n)
                    for i in range(n):
                        for j in range(n):
                            A[i, j] = -1j * (Cm[i, j] - (float(weak.eps[p]) if i == j else 0)) * t
                        A[i, n + i] = A[n + i, 2 * n + i] = t
                    E = mpmath.expm(A)
                    sums = [s + float(weak.weight[p]) * mpmath.re(E[0, k * n]) for s, k in zip(sums, (1, 2))]
            for route in (weak, whole):  # sum_p phi_p(1)^2 Re[t phi1, t^2 phi2]: the current / tau1^2, the dN/2 deficit
                got = weak.weight[:P] @ route._integrals(P, t)[:, :2].real
                assert all(abs(g / float(x) - 1) < 1e-13 for g, x in zip(got, sums)), (M, gamma, t, got, sums)
                assert route.values(P, t)[1] == lat.tau1 * (lat.tau1 * got[0])


@pytest.mark.parametrize("z", [1e-14j, -3e-9 + 2e-9j, 0.3 - 0.7j, -0.99j, 1.01j, -1.01, -2.5 + 30j, 5e5j, -1e6 - 1e7j])
def test_phi_functions_have_full_relative_accuracy(z):
    """phi1 and phi2 against their mpmath definitions at 50 digits, at and near 0 and far from it."""
    from numeric.papers.anglin.first_order import phi1, phi2
    with mpmath.workdps(50):
        zm = mpmath.mpc(z)
        exact1 = mpmath.expm1(zm) / zm
        exact2 = (mpmath.expm1(zm) - zm) / zm**2
        for got, exact in ((phi1(np.array(z)), exact1), (phi2(np.array(z)), exact2)):
            assert abs(mpmath.mpc(complex(got)) / exact - 1) < 4e-16 * (1 + abs(zm)), (got, exact)


def test_times_beyond_the_accurate_range_are_refused():
    with pytest.raises(ParameterError, match="times"):
        evolve(FiniteLattice(M=1, tau1=0.3, gamma=0.5, N=3), 1, [2e6])
