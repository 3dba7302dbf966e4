"""The general core carries what the lossy-lattice route had: the Aberth pole search for any model, energy
currents, the cumulative current curve and the closed-form integrand of model currents.

Independent routes: dense eigenvalues (wide-band leads: the poles are exactly the eigenvalues of
H + Sigma), the anglin route (numeric.anglin: its own device, closed forms and integration, still
independent of the model route), and direct quadratures of integrands written here.
"""
from __future__ import annotations

import math
import time

import numpy as np
import pytest
from scipy.integrate import quad

from numeric.anglin.currents import currents as anglin_currents
from numeric.anglin.curves import bias_curve as anglin_bias_curve
from numeric.anglin.parameters import LossyLattice
from numeric.model_currents import Reservoir, current_curve, model_currents
from numeric.pole_search import poles
from numeric.tight_binding import Lead, TightBinding, chain_matrix, from_model

R = lambda **k: {"kind": "real", "range": None, "about": "", **k}  # noqa: E731


def _lattice(M: int, tau1: float = 0.1, gamma: float = 0.5, Lam="inf", V=0.0) -> TightBinding:
    from tests.numeric.test_model_currents import ANGLIN

    return from_model(ANGLIN, dict(M=M, tau1=tau1, gamma=gamma, Lambda=Lam, V=V))


@pytest.mark.parametrize("n", [1, 5, 40, 301])
def test_chain_poles_with_wide_band_leads_are_the_eigenvalues_of_the_effective_hamiltonian(n):
    """Sigma = -i s does not depend on omega: the poles are exactly eig(H + Sigma) (dense, independent).  n = 301
    starts from perturbation theory on the Hermitian part (beyond DENSE_START)."""
    rng = np.random.default_rng(n)
    onsite = rng.uniform(-0.5, 0.5, n) - 1j * rng.uniform(0, 0.3, n)
    H = chain_matrix(onsite, -np.ones(n - 1))
    leads = (Lead.wide_band("L", 0, 0.0, 0.05), Lead.wide_band("R", n - 1, 0.0, 0.02))
    p = poles(TightBinding(tuple(f"s{i}" for i in range(n)), H, leads))
    Heff = H.copy()
    Heff[0, 0] -= 0.05j
    Heff[n - 1, n - 1] -= 0.02j
    ev = np.linalg.eigvals(Heff)
    ev = ev[np.argsort(ev.real)]
    assert p.shape == ev.shape
    assert np.max(np.abs(p - ev)) < 1e-10


def test_poles_of_a_region_that_is_no_chain_and_of_a_shuffled_chain():
    """A ring (not tridiagonal in any order: the dense trace route) and a chain listed out of order (reverse
    Cuthill-McKee finds the chain) both against eig(H + Sigma)."""
    n = 6
    ring = chain_matrix(np.zeros(n) - 0.1j, -np.ones(n - 1))
    ring[0, n - 1] = ring[n - 1, 0] = -0.7
    leads = (Lead.wide_band("L", 0, 0.0, 0.1), Lead.wide_band("R", 3, 0.0, 0.1))
    heff = ring.copy()
    heff[0, 0] -= 0.1j
    heff[3, 3] -= 0.1j
    for H, Heff in ((ring, heff), (None, None)):
        if H is None:  # a chain in shuffled order
            perm = np.array([3, 0, 5, 1, 4, 2])
            chain = chain_matrix([0.3, -0.2, 0.1, 0.0, 0.5, -0.4], [-1.0, -0.8, -1.2, -1.0, -0.9])
            H = chain[np.ix_(perm, perm)]
            where = {int(s): i for i, s in enumerate(perm)}
            leads = (Lead.wide_band("L", where[0], 0.0, 0.1), Lead.wide_band("R", where[5], 0.0, 0.1))
            Heff = H.copy()
            Heff[where[0], where[0]] -= 0.1j
            Heff[where[5], where[5]] -= 0.1j
        ev = np.sort_complex(np.linalg.eigvals(Heff))
        p = np.sort_complex(poles(TightBinding(tuple("abcdef"), H, leads)))
        assert np.max(np.abs(p - ev)) < 1e-10


def test_poles_with_finite_band_leads_match_the_lattice_route():
    """Self-consistent poles (Sigma frozen at Re z) of the model's lattice against numeric.anglin.resonances, which
    builds its own device and Bloch factor."""
    from numeric.anglin.resonances import poles as anglin_poles

    for M, Lam, V in ((3, 1.0, 0.2), (12, 4.0, 0.0)):
        ref = anglin_poles(LossyLattice(M, 0.3, 0.5, Lam, V))
        p = poles(_lattice(M, 0.3, 0.5, Lam, V))
        assert np.max(np.abs(p - ref)) < 1e-10


def test_energy_current_of_a_lossy_level_between_chains_against_a_direct_quadrature():
    """Q_p = (1/2pi) int omega [f_p(T2 + a_p) - f_q T2]: the integrand written here from g = (w - i sqrt(4-w^2))/2."""
    eps, gamma, t1, t2 = 0.3, 0.2, 0.4, 0.6
    model = {"name": "dot", "parameters": {"eps": R(), "gamma": R(range=">= 0")}, "sites": {"d": "eps - I*gamma/2"},
             "hoppings": [], "segments": [],
             "leads": [{"name": "P0", "site": "d", "hopping": "-1", "potential": "0", "coupling": f"-{t1}"},
                       {"name": "P1", "site": "d", "hopping": "-1", "potential": "0", "coupling": f"-{t2}"}]}
    tb = from_model(model, {"eps": eps, "gamma": gamma})
    mus = (0.5, -0.7)
    c = model_currents(tb, {"P0": Reservoir(mus[0], 0.05), "P1": Reservoir(mus[1])}, rtol=1e-12)

    def parts(w):
        g = (w - 1j * math.sqrt(4 - w * w)) / 2
        G = 1 / (w - eps + 0.5j * gamma - (t1**2 + t2**2) * g)
        G1, G2 = t1**2 * math.sqrt(4 - w * w), t2**2 * math.sqrt(4 - w * w)
        return G1 * G2 * abs(G) ** 2, G1 * gamma * abs(G) ** 2

    f0 = lambda w: 1 / (math.exp((w - mus[0]) / 0.05) + 1)  # noqa: E731
    f1 = lambda w: float(w < mus[1])  # noqa: E731
    Q0 = quad(lambda w: w * ((f0(w) - f1(w)) * parts(w)[0] + f0(w) * parts(w)[1]), -2, 2, points=[mus[1], mus[0]],
              epsabs=1e-15, limit=400)[0] / (2 * math.pi)
    assert c.Q["P0"] == pytest.approx(Q0, rel=1e-8)


def test_energy_current_with_wide_band_leads_diverges_where_the_flows_fall_like_one_over_omega_squared():
    """A wide-band lossy level: absorbed ~ Gamma gamma/omega^2, so Q of a filled lead diverges to -inf
    (omega -> -inf carries the flow); with a chain of 3 sites the flows fall faster and Q is finite."""
    model = {"name": "dot", "parameters": {"gamma": R(range=">= 0")}, "sites": {"d": "-I*gamma/2"},
             "hoppings": [], "segments": [],
             "leads": [{"name": "L", "site": "d", "hopping": "-Lambda", "potential": "0",
                        "coupling": "-0.3*sqrt(Lambda)"},
                       {"name": "R", "site": "d", "hopping": "-Lambda", "potential": "0",
                        "coupling": "-0.3*sqrt(Lambda)"}]}
    model["parameters"]["Lambda"] = R(range=">= 1")
    c = model_currents(from_model(model, {"gamma": 0.4, "Lambda": "inf"}), {"L": Reservoir(0.1)})
    assert c.Q["L"] == -math.inf and math.isfinite(c.I["L"])
    lat = _lattice(1, 0.3, 0.0, "inf", 0.0)  # 3 sites, no loss: T2 = (2s)^2/|det|^2 ~ omega^-6, s = tau1^2
    c = model_currents(lat, {"L": Reservoir(0.1)}, rtol=1e-12)
    s = 0.09
    T2 = lambda w: (2 * s) ** 2 / abs((w + 1j * s) * (w * (w + 1j * s) - 2)) ** 2  # noqa: E731
    Q = quad(lambda w: w * T2(w), -math.inf, 0.1, epsabs=1e-16, epsrel=1e-12, limit=400,
             points=None)[0] / (2 * math.pi)
    assert c.Q["L"] == pytest.approx(Q, rel=1e-8)


@pytest.mark.parametrize("M,Lam,V,muL,muR", [(3, 1.0, 0.4, 0.2, -1.0), (5, 4.0, 0.0, 0.3, -math.inf),
                                             (2, math.inf, 1.0, 0.5, -0.5), (4, math.inf, 0.0, 0.3, -0.2)])
def test_lattice_currents_and_energy_currents_of_the_model_route_match_the_lattice_route(M, Lam, V, muL, muR):
    """The paper's I and Q are (I_L - I_R)/2 and (Q_L - Q_R)/2 (a combination column: with wide-band leads
    filled to -inf on both sides the leads' Q diverge, their difference does not)."""
    tb = _lattice(M, 0.1, 0.5, "inf" if math.isinf(Lam) else Lam, V)
    c = model_currents(tb, {"L": Reservoir(muL), "R": Reservoir(muR)}, rtol=1e-12,
                       combination={"L": 0.5, "R": -0.5})
    ref = anglin_currents(LossyLattice(M, 0.1, 0.5, Lam, V), muL=muL, muR=muR)
    assert (c.I["L"] - c.I["R"]) / 2 == pytest.approx(ref.I, rel=1e-10)
    assert c.combined[0] == pytest.approx(ref.I, rel=1e-10)
    assert c.loss == pytest.approx(ref.loss, rel=1e-10)
    assert c.combined[1] == pytest.approx(ref.Q, rel=1e-8, abs=1e-15)


def test_bias_curve_of_any_two_lead_model_matches_the_lattice_route():
    """I(V) with mu = +-V/2 from one cumulative integration of the model's flows against numeric.anglin.curves."""
    V = np.linspace(-3.0, 3.0, 61)
    tb = _lattice(2, 0.1, 5.0)
    c = current_curve(tb, {"L": V / 2, "R": -V / 2})
    ref = anglin_bias_curve(LossyLattice(2, 0.1, 5.0, math.inf), V)
    np.testing.assert_allclose((c.I["L"] - c.I["R"]) / 2, ref.I, rtol=1e-11, atol=1e-16)
    per_point = [model_currents(tb, {"L": Reservoir(v / 2), "R": Reservoir(-v / 2)}, rtol=1e-13) for v in V[::15]]
    np.testing.assert_allclose(c.loss[::15], [p.loss for p in per_point], rtol=1e-10)


def test_model_current_integrates_the_closed_form_and_is_fast():
    """Model.current of the lattice at M = 20 takes the closed-form flows (was: the direct solve at every
    quadrature point, seconds) and agrees with the lattice route."""
    from pathlib import Path

    import tunnelkit.models as tm

    root = Path(__file__).resolve().parents[2]
    m = tm.Model.from_file(root / "examples/models/anglin_lattice.toml").with_params(
        M=20, tau1="0.1", gamma="0.5", Lambda=4, V=0)
    from tunnelkit.model_flows import closed_flows

    assert closed_flows(m, m.tight_binding()) is not None  # the closed-form route
    m.current({"L": 0.3})  # the evaluator derived (or read from the cache) outside the timing
    t0 = time.perf_counter()
    c = m.current({"L": 0.3}, rtol=1e-12)
    took = time.perf_counter() - t0
    ref = anglin_currents(LossyLattice(20, 0.1, 0.5, 4.0, 0.0), muL=0.3, muR=-math.inf)
    assert (c.I["L"] - c.I["R"]) / 2 == pytest.approx(ref.I, rel=1e-10)
    assert (c.Q["L"] - c.Q["R"]) / 2 == pytest.approx(ref.Q, rel=1e-8)
    assert took < 2.0


@pytest.mark.parametrize("n", [4, 48, 49, 1000, 20000])
def test_segment_continuants_against_the_exact_recursion(n):
    """numeric.chebyshev.continuants (the closed forms' segment atoms) against the three-term recursion at 80
    digits (its error growth ~n 10^-80 / sin(theta) is far below the doubles), at exact doubles inside, at and
    outside the band, next to an edge and next to a zero (a resonance of the segment); each double relative to
    itself, the mpmath values (digit-checked by their callers) to 40 digits of the largest |U| <= n + 1."""
    import mpmath

    from numeric.chebyshev import continuants
    from numeric.precision import MULTI

    with mpmath.workdps(30):
        near_zero = float(2 * mpmath.cos(3 * mpmath.pi / (n + 1)) + mpmath.mpf(10) ** -13)
    d = np.array([-3.0, -2.0, -1.9999999, -0.3, near_zero, 1.25, 2.0, 2.000001])
    Dn, Dm = continuants(n, d, 1.0)
    for k, x in enumerate(d):
        with mpmath.workdps(80):
            a, b, X = mpmath.mpf(1), mpmath.mpf(0), mpmath.mpf(float(x))
            for _ in range(n):
                a, b = X * a - b, a
        for got, want in ((Dn[k], a), (Dm[k], b)):
            if abs(want) > mpmath.mpf(10) ** 300:
                continue  # beyond the doubles: inf
            assert abs(got / want - 1) < 1e-13, (n, x)
        with mpmath.workdps(40):
            Pn, Pm = continuants(n, mpmath.mpf(float(x)), mpmath.mpf(1), backend=MULTI)
            for got, want in ((Pn, a), (Pm, b)):  # the phase (n+1) theta costs log10(n) digits of |U| <= n + 1
                assert abs(got - want) < mpmath.mpf(10) ** -37 * (n + 1) * max(abs(want), n + 1), (n, x)


def test_model_route_at_digits_for_a_long_segment_is_o1_in_its_length():
    """30 digits of T2 of the lattice at M = 20000 through the model's mpmath closed form (the continuants were an
    O(M) loop: 5 s at M = 1000) against the lattice route's 30 digits."""
    import mpmath

    from numeric.anglin.transmission import transmission as anglin_transmission
    from pathlib import Path

    import tunnelkit.models as tm

    root = Path(__file__).resolve().parents[2]
    m = tm.Model.from_file(root / "examples/models/anglin_lattice.toml").with_params(
        M=20000, tau1="0.1", gamma="0.5", Lambda="inf", V=0)
    m.transmission(["0.3"], dps=20, method="closed")  # evaluator and region built outside the timing
    t0 = time.perf_counter()
    got = m.transmission(["0.3", "-1.999"], dps=30, method="closed").T2["L->R"]
    took = time.perf_counter() - t0
    ref = anglin_transmission(LossyLattice(20000, "0.1", "0.5", math.inf), ["0.3", "-1.999"], dps=30).T2
    for g, r in zip(got, ref):
        assert abs(g / r - 1) < mpmath.mpf(10) ** -29
    assert took < 2.0


@pytest.mark.parametrize("M,tau1,gamma,Lam,V", [(1, 0.8, 6.0, 1.0, 0.3), (2, 0.8, 6.0, 1.0, 0.3)])
def test_bound_states_of_any_model_match_the_lattice_condition(M, tau1, gamma, Lam, V):
    """Zeros of det(omega - H - Sigma) on the decaying sheet (Model.bound_states, the closed form's det) against
    the lattice's own condition Z(omega) = 0 (numeric.anglin.bound_states: App. A amplitudes) and, for the
    state at the lossy site, the localised eigenvalue of a 2(M + 200) + 1-site finite lattice."""
    from pathlib import Path

    import tunnelkit.models as tm
    from numeric.anglin.bound_states import bound_states as anglin_bound_states
    from numeric.anglin.bound_states import finite_lattice_bound_states

    root = Path(__file__).resolve().parents[2]
    m = tm.Model.from_file(root / "examples/models/anglin_lattice.toml").with_params(
        M=M, tau1=str(tau1), gamma=str(gamma), Lambda=str(Lam), V=str(V))
    found = m.bound_states(seeds=6)
    got = np.array([b.omega for b in found])
    lat = LossyLattice(M, tau1, gamma, Lam, V)
    ref = np.array([b.omega for b in anglin_bound_states(lat, seeds=6)])
    assert got.shape == ref.shape and ref.size
    assert all(np.min(np.abs(got - w)) < 1e-12 for w in ref)
    for w in finite_lattice_bound_states(lat, 200):
        assert np.min(np.abs(got - w)) < 1e-10
    assert all(abs(z) < 1 for b in found for z in b.z.values())


def test_bound_states_need_leads_with_a_band():
    from pathlib import Path

    import tunnelkit.models as tm

    root = Path(__file__).resolve().parents[2]
    m = tm.Model.from_file(root / "examples/models/anglin_lattice.toml").with_params(
        M=1, tau1="0.8", gamma=6, Lambda="inf", V=0)
    with pytest.raises(tm.ModelError, match="lead L is wide-band"):
        m.bound_states()


def test_model_current_with_digits_integrates_the_closed_form_beyond_the_direct_solvers_limit():
    """current(dps=12) of the lattice with 13 sites (the mpmath direct route stops at CURRENT_MP_MAX_SITES = 12): the
    closed form's mpmath evaluator is integrated, against the lattice route's own 12-digit current."""
    from pathlib import Path

    import mpmath

    import tunnelkit.models as tm

    root = Path(__file__).resolve().parents[2]
    m = tm.Model.from_file(root / "examples/models/anglin_lattice.toml").with_params(
        M=6, tau1="0.1", gamma="0.5", Lambda=1, V=0)
    c = m.current({"L": {"mu": "0.2"}}, dps=12)
    ref = anglin_currents(LossyLattice(6, "0.1", "0.5", 1, 0), muL="0.2", muR=-math.inf, dps=12)
    assert abs((c.I["L"] - c.I["R"]) / 2 / ref.I - 1) < mpmath.mpf(10) ** -11
    assert abs(c.loss / ref.loss - 1) < mpmath.mpf(10) ** -11


def test_closed_form_of_a_long_evanescent_segment_does_not_overflow():
    """M = 1000 over |omega| <= 2.6: outside the chain band the continuants grow like e^(M kappa) (beyond the doubles
    at omega = 2.6: they overflowed, and the closed form refused the whole grid); scaled by e^-L with the kernel's
    G = N/D taking e^((deg N - deg D) L), every value matches the lattice route (its own scaled chain atoms and
    kernels), the evanescent ones relative to themselves, and T2 underflows to 0 where it does there."""
    from pathlib import Path

    from numeric.anglin.transmission import transmission as anglin_transmission
    from tests.numeric.test_long_chains import chain_reference

    import tunnelkit.models as tm

    root = Path(__file__).resolve().parents[2]
    w = np.linspace(-2.6, 2.6, 521)
    for Lam in ("1", "inf"):
        m = tm.Model.from_file(root / "examples/models/anglin_lattice.toml").with_params(
            M=1000, tau1="0.1", gamma="0.5", Lambda=Lam, V=0)
        r = m.transmission(w, method="closed")
        ref = anglin_transmission(LossyLattice(1000, 0.1, 0.5, float(Lam)), w)
        assert r.method == "closed"
        assert np.array_equal(r.T2["L->R"] == 0, ref.T2 == 0)
        edge = np.abs(w) == 2.0  # the lattice route nudges c = +-1 by 2^-52 (~M^2 2^-52 = 2e-10 relative here)
        ok = (ref.T2 > 0) & ~edge
        assert np.max(np.abs(r.T2["L->R"][ok] / ref.T2[ok] - 1)) < 1e-12
        for x, got in zip(w[edge], r.T2["L->R"][edge]):  # exact U_n(+-1) = (+-1)^n (n + 1): a 40-digit Thomas solve
            want = chain_reference(1000, "0.1", "0.5", Lam, "0", float(x), dps=40)[0]
            assert got == want == 0 if Lam == "1" else abs(got / float(want) - 1) < 1e-12
        assert m.transmission(w, method="auto").method == "closed"
