"""The general direct solver (numeric.models.greens) against routes that share none of its formulas.

- mode matching: region amplitudes and outgoing lead waves solved together, lead waves from
  numpy.roots of the lead dispersion with the outgoing root chosen by group velocity (no Green's
  function, no self-energy, no Fisher-Lee), flux normalisation from the lead currents;
- exact results: a lossy site in a perfect chain, t = 1/(1 + gamma/(4 sin k)), at any chain length;
- unitarity of S for Hermitian regions; dense, banded and sparse paths against each other;
- exact arithmetic in SymPy for the mpmath path (45 digits at dps 50).
"""
from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

from numeric.errors import ParameterError
from numeric.models.greens import bloch_factor, parse_quantity, solve
from numeric.models.tight_binding import DENSE_MAX, from_model

R = lambda **k: {"kind": "real", "range": None, "about": "", **k}  # noqa: E731


def random_model(rng: np.random.Generator, n_sites: int, n_leads: int, *, hermitian: bool = False) -> dict:
    """Sites with random complex energies, random (non-reciprocal unless hermitian) bonds, random leads."""
    names = [f"s{i}" for i in range(n_sites)]
    c = lambda s: f"({rng.normal():.6f})+({s * rng.normal():.6f})*I"  # noqa: E731
    sites = {n: (f"{rng.normal():.6f}" if hermitian else f"{rng.normal():.6f}-I*{abs(rng.normal()):.6f}")
             for n in names}
    hops = []
    for i in range(n_sites - 1):
        h = {"sites": [names[i], names[i + 1]], "value": c(1), "reverse": None}
        if not hermitian and rng.random() < 0.3:
            h["reverse"] = c(1)
        hops.append(h)
    if n_sites > 2:
        hops.append({"sites": [names[0], names[-1]], "value": c(1), "reverse": None})
    leads = [{"name": f"P{p}", "site": names[int(rng.integers(n_sites))], "hopping": f"{-rng.uniform(0.5, 2):.6f}",
              "potential": f"{rng.uniform(-1, 1):.6f}", "coupling": c(1)} for p in range(n_leads)]
    return {"name": "random", "parameters": {}, "sites": sites, "hoppings": hops, "segments": [], "leads": leads}


def mode_matching(model: dict, w: float) -> tuple[np.ndarray, np.ndarray]:
    """(T2[q, p], open[p]) by matching lead waves to the region equations at energy w."""
    tb = from_model(model, {})
    H = np.asarray(tb.H)
    n, P = H.shape[0], len(model["leads"])
    waves = []
    for ld, lead in zip(model["leads"], tb.leads):
        t, eps, cpl = complex(lead.hopping), complex(lead.potential), complex(lead.coupling)
        roots = np.roots([t, -(w - eps), np.conj(t)])  # t z + conj(t)/z = w - eps
        if abs(abs(roots[0]) - 1) < 1e-9 and abs(abs(roots[1]) - 1) < 1e-9:
            flux = [-2 * (t * z).imag for z in roots]  # group velocity of z^n (> 0: away from the region)
            out, inc = (roots[0], roots[1]) if flux[0] > 0 else (roots[1], roots[0])
            v = max(flux)
        else:
            out = roots[np.argmin(np.abs(roots))]
            inc, v = None, 0.0
        waves.append((t, cpl, lead.site, out, inc, v))
    T2 = np.zeros((P, P))
    opened = np.array([wv[5] > 0 for wv in waves])
    for p in range(P):
        if not opened[p]:
            continue
        A = np.zeros((n + P, n + P), dtype=complex)
        rhs = np.zeros(n + P, dtype=complex)
        A[:n, :n] = w * np.eye(n) - H
        a_p = 1 / math.sqrt(waves[p][5])
        for q, (t, cpl, s, out, inc, v) in enumerate(waves):
            a = a_p if q == p else 0.0
            # region row s: - c_q psi_q(1), psi_q(1) = a inc + b out
            A[s, n + q] -= cpl * out
            rhs[s] += cpl * a * (inc if inc is not None else 0)
            # lead site 1: conj(t) (a + b) = conj(c) psi_s
            A[n + q, n + q] = np.conj(t)
            A[n + q, s] = -np.conj(cpl)
            rhs[n + q] = -np.conj(t) * a
        x = np.linalg.solve(A, rhs)
        for q in range(P):
            T2[q, p] = abs(x[n + q]) ** 2 * waves[q][5]
    return T2, opened


@pytest.mark.parametrize("seed", range(6))
def test_direct_solver_matches_mode_matching_on_random_models(seed):
    rng = np.random.default_rng(seed)
    model = random_model(rng, int(rng.integers(1, 7)), int(rng.integers(2, 4)))
    names = [ld["name"] for ld in model["leads"]]
    tb = from_model(model, {})
    omegas = np.concatenate([rng.uniform(-3, 3, 12), [float(tb.leads[0].potential.real) + 2 * abs(tb.leads[0].hopping)
                                                      - 1e-7]])  # one energy 1e-7 inside a band edge
    sol = solve(tb, omegas)
    seen_closed = False
    for k, w in enumerate(omegas):
        T2, opened = mode_matching(model, float(w))
        np.testing.assert_array_equal(sol.open[k], opened)
        seen_closed |= not opened.all()
        for p, pn in enumerate(names):
            if opened[p]:
                assert sol.R2(pn)[k] == pytest.approx(T2[p, p], rel=1e-10, abs=1e-13)
            else:
                assert math.isnan(sol.R2(pn)[k]) and math.isnan(sol.absorbed(pn)[k])
            for q, qn in enumerate(names):
                if q != p:
                    assert sol.T2(pn, qn)[k] == pytest.approx(T2[q, p] if opened[p] and opened[q] else 0.0,
                                                             rel=1e-10, abs=1e-13)
            if opened[p]:  # absorbed = 1 - everything that comes out (mode matching's own flux balance)
                out = sum(T2[q, p] for q in range(len(names)) if opened[q])
                assert sol.absorbed(pn)[k] == pytest.approx(1 - out, abs=1e-10)
    assert seen_closed or seed > 2  # the first seeds include energies where a lead is closed


def test_hermitian_regions_have_a_unitary_S():
    rng = np.random.default_rng(42)
    for _ in range(4):
        model = random_model(rng, 5, 3, hermitian=True)
        tb = from_model(model, {})
        sol = solve(tb, np.linspace(-0.5, 0.5, 7))
        for k in range(7):
            o = sol.open[k]
            S = sol.S[k][np.ix_(o, o)]
            np.testing.assert_allclose(S.conj().T @ S, np.eye(o.sum()), atol=1e-12)
            np.testing.assert_allclose(sol.absorbed_all[k][o], 0.0, atol=1e-12)


def chain_with_lossy_site(N: int) -> dict:
    """A perfect chain (hopping -1) of N sites, the middle one lossy, between leads identical to it."""
    return {"name": "chain", "parameters": {"gamma": R(range=">= 0")},
            "sites": {"c": "-I*gamma/2"}, "segments": [
                {"name": "left", "length": str(N), "energy": "0", "hopping": "-1"},
                {"name": "right", "length": str(N), "energy": "0", "hopping": "-1"}],
            "hoppings": [{"sites": ["left.last", "c"], "value": "-1", "reverse": None},
                         {"sites": ["c", "right.first"], "value": "-1", "reverse": None}],
            "leads": [{"name": "L", "site": "left.first", "hopping": "-1", "potential": "0", "coupling": "-1"},
                      {"name": "R", "site": "right.last", "hopping": "-1", "potential": "0", "coupling": "-1"}]}


@pytest.mark.parametrize("N", [1, 40, 50_000])
def test_lossy_site_in_a_perfect_chain_any_length(N):
    gamma = 0.8
    w = np.array([-1.9, -0.7, 0.05, 1.3])
    k = np.arccos(-w / 2)
    t = 1 / (1 + gamma / (4 * np.sin(k)))  # elementary matching at the lossy site
    sol = solve(from_model(chain_with_lossy_site(N), {"gamma": gamma}), w)
    np.testing.assert_allclose(sol.T2("L", "R"), np.abs(t) ** 2, rtol=1e-11)
    np.testing.assert_allclose(sol.R2("L"), np.abs(1 - t) ** 2, rtol=1e-10)
    np.testing.assert_allclose(sol.absorbed("L"), 1 - np.abs(t) ** 2 - np.abs(1 - t) ** 2, rtol=1e-10)


def test_long_hermitian_chain_conserves_flux():
    m = chain_with_lossy_site(50_000)
    m["segments"][0]["hopping"] = "-0.9"  # a mismatched segment: reflection, no loss
    sol = solve(from_model(m, {"gamma": 0}), np.array([-1.2, 0.3, 1.7]))
    assert np.all(sol.R2("L") > 1e-3)
    np.testing.assert_allclose(sol.T2("L", "R") + sol.R2("L"), 1.0, atol=1e-10)


def test_dense_banded_and_sparse_paths_agree():
    rng = np.random.default_rng(3)
    n = DENSE_MAX + 30
    names = [f"s{i}" for i in range(n)]
    sites = {s: f"{rng.normal():.5f}-I*{abs(rng.normal()):.5f}" for s in names}
    chain = [{"sites": [names[i], names[i + 1]], "value": "-1", "reverse": None} for i in range(n - 1)]
    wide = [{"sites": [names[i], names[j]], "value": f"{rng.normal():.5f}", "reverse": None}
            for i, j in {tuple(sorted(rng.choice(n, 2, replace=False))) for _ in range(200)} if j - i > 1]
    leads = [{"name": "L", "site": "s0", "hopping": "-1", "potential": "0", "coupling": "-0.7"},
             {"name": "R", "site": names[-1], "hopping": "-1.3", "potential": "0.2", "coupling": "-0.5"}]
    w = np.array([-0.4, 0.9])
    for hops in (chain, chain + wide):  # narrow band (banded LU) and wide (SuperLU)
        m = {"name": "x", "parameters": {}, "sites": sites, "hoppings": hops, "segments": [], "leads": leads}
        dense = solve(from_model(m, {}, sparse=False), w, det=True, elements=[(3, 7)])
        sparse = solve(from_model(m, {}, sparse=True), w, det=True, elements=[(3, 7)])
        np.testing.assert_allclose(sparse.S, dense.S, rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(sparse.absorbed_all, dense.absorbed_all, rtol=1e-10)
        np.testing.assert_allclose(sparse.G(3, 7), dense.G(3, 7), rtol=1e-10)
        np.testing.assert_allclose(sparse.det, dense.det, rtol=1e-9)


def test_bloch_factor_is_the_retarded_root():
    x = np.concatenate([np.linspace(-6, 6, 121), [2.0, -2.0]])
    z = bloch_factor(x)
    np.testing.assert_allclose(z + 1 / z, x, atol=1e-12)
    band = np.abs(x) < 2
    assert np.all(z[band].imag < 0) and np.all(np.abs(z[~band]) <= 1)
    # approach from the upper half plane: the retarded root is the analytic continuation
    zc = bloch_factor(x + 1e-9j)
    np.testing.assert_allclose(zc, z, atol=1e-4)


def test_mpmath_path_exact_digits():
    """Wide-band lossy site: T2 = (2 tau^2/(gamma/2 + 2 tau^2))^2 = 4/729 at tau = 1/10, gamma = 1/2;
    finite band: the same site with leads of hopping -1 at omega = 1/2, exactly in SymPy."""
    sp = pytest.importorskip("sympy")
    site = {"name": "s", "parameters": {"tau1": R(range="> 0"), "gamma": R(range=">= 0"), "Lambda": R(range=">= 1")},
            "sites": {"c": "-I*gamma/2"}, "hoppings": [], "segments": [],
            "leads": [{"name": n, "site": "c", "hopping": "-Lambda", "potential": "0", "coupling": "-tau1*sqrt(Lambda)"}
                      for n in ("L", "R")]}
    with mpmath.workdps(60):
        sol = solve(from_model(site, {"tau1": "0.1", "gamma": "0.5", "Lambda": "inf"}, backend="mpmath"), ["0"])
        assert abs(sol.T2("L", "R")[0] - mpmath.mpf(4) / 729) < mpmath.mpf(10) ** -55
        sol = solve(from_model(site, {"tau1": "0.3", "gamma": "0.5", "Lambda": "1"}, backend="mpmath"), ["0.5"])
        got = sol.T2("L", "R")[0], sol.R2("L")[0], sol.absorbed("L")[0]
    w, tau, gam = sp.Rational(1, 2), sp.Rational(3, 10), sp.Rational(1, 2)
    g = (w - sp.I * sp.sqrt(4 - w**2)) / 2  # retarded surface Green's function of a hopping -1 chain
    G = 1 / (w + sp.I * gam / 2 - 2 * tau**2 * g)
    Gam = 2 * tau**2 * sp.sqrt(4 - w**2) / 2
    T2 = sp.Abs(sp.I * Gam * G) ** 2
    R2 = sp.Abs(-1 + sp.I * Gam * G) ** 2
    with mpmath.workdps(60):
        for a, b in zip(got, (T2, R2, 1 - T2 - R2)):
            exact_val = mpmath.mpf(str(sp.N(b, 70).as_real_imag()[0]))
            assert abs(a - exact_val) < mpmath.mpf(10) ** -50 * abs(exact_val)


def test_wide_band_limit_and_decoupling():
    base = {"name": "w", "parameters": {"Lambda": R(range=">= 1")}, "sites": {"c": "0.3-0.2*I"}, "hoppings": [],
            "segments": [], "leads": [{"name": "L", "site": "c", "hopping": "-Lambda", "potential": "0.1",
                                       "coupling": "-0.4*sqrt(Lambda)"},
                                      {"name": "R", "site": "c", "hopping": "-Lambda", "potential": "0",
                                       "coupling": "-0.5"}]}
    sol = solve(from_model(base, {"Lambda": "inf"}), np.array([-3.0, 0.2, 7.0]))
    # L: Sigma = -i 0.16 exactly; R decouples (|c|^2/|t| -> 0): no transmission, full reflection into R
    G = 1 / (np.array([-3.0, 0.2, 7.0]) - (0.3 - 0.2j) + 0.16j)
    np.testing.assert_allclose(sol.R2("L"), np.abs(-1 + 1j * 0.32 * G) ** 2, rtol=1e-12)
    np.testing.assert_allclose(sol.T2("L", "R"), 0.0, atol=1e-15)
    np.testing.assert_allclose(sol.R2("R"), 1.0, rtol=1e-12)
    bad = dict(base, sites={"c": "Lambda"})
    with pytest.raises(ParameterError, match="Lambda"):
        from_model(bad, {"Lambda": "inf"})


def test_quantity_names():
    assert parse_quantity("S:R,L", ["L", "R"]) == ("S", "R", "L")
    assert parse_quantity("absorbed:L", ["L", "R"]) == ("absorbed", "L")
    assert parse_quantity("G:a,d", ["L"], ["a", "d"]) == ("G", "a", "d")
    for bad in ("T2:L->X", "T2:L", "S:L", "foo:L", "G:a,z"):
        with pytest.raises(ParameterError):
            parse_quantity(bad, ["L", "R"], ["a", "d"])
