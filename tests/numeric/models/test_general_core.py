"""The general core carries what the lossy-lattice route had: the Aberth pole search for any model, energy
currents, the cumulative current curve and the closed-form integrand of model currents.

Independent routes: dense eigenvalues (wide-band leads: the poles are exactly the eigenvalues of
H + Sigma), adaptive quadrature of the direct solver's flows (tests/numeric/lattice_reference.py), the
40-digit Thomas solve of the chain (tests/numeric/models/test_long_chains.py), and direct quadratures of
integrands written here.  (The lattice's finite-band poles and bound states: tests/numeric/models/test_resonances.py
and test_bound_states.py.)
"""
from __future__ import annotations

import math
import time

import numpy as np
import pytest
from scipy.integrate import quad

from numeric.models.model_currents import Reservoir, current_curve, model_currents
from numeric.models.pole_search import poles
from numeric.models.tight_binding import Lead, TightBinding, chain_matrix, from_model
from tests.numeric.lattice_reference import lattice_currents

R = lambda **k: {"kind": "real", "range": None, "about": "", **k}  # noqa: E731


def _lattice(M: int, tau1: float = 0.1, gamma: float = 0.5, Lam="inf", V=0.0) -> TightBinding:
    from tests.numeric.models.test_model_currents import ANGLIN

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
def test_lattice_currents_and_energy_currents_against_a_quadrature_of_the_direct_flows(M, Lam, V, muL, muR):
    """The paper's I and Q are (I_L - I_R)/2 and (Q_L - Q_R)/2 (a combination column: with wide-band leads
    filled to -inf on both sides the leads' Q diverge, their difference does not)."""
    tb = _lattice(M, 0.1, 0.5, "inf" if math.isinf(Lam) else Lam, V)
    c = model_currents(tb, {"L": Reservoir(muL), "R": Reservoir(muR)}, rtol=1e-12,
                       combination={"L": 0.5, "R": -0.5})
    ref = lattice_currents(tb, M, 0.1, 0.5, Lam, (muL, muR), energy=True)
    assert (c.I["L"] - c.I["R"]) / 2 == pytest.approx(ref["I"], rel=1e-10)
    assert c.combined[0] == pytest.approx(ref["I"], rel=1e-10)
    assert c.loss == pytest.approx(ref["loss"], rel=1e-10)
    assert c.combined[1] == pytest.approx(ref["Q"], rel=1e-8, abs=1e-15)


def test_bias_curve_of_any_two_lead_model_against_a_quadrature_of_the_direct_flows():
    """I(V) with mu = +-V/2 from one cumulative integration of the model's flows against adaptive quadrature of
    the direct solver's flows at every tenth V (wide-band leads: V enters only through the mu)."""
    V = np.linspace(-3.0, 3.0, 61)
    tb = _lattice(2, 0.1, 5.0)
    c = current_curve(tb, {"L": V / 2, "R": -V / 2})
    ref = np.array([lattice_currents(tb, 2, 0.1, 5.0, math.inf, (v / 2, -v / 2))["I"] for v in V[::10]])
    np.testing.assert_allclose(((c.I["L"] - c.I["R"]) / 2)[::10], ref, rtol=1e-11, atol=1e-16)
    per_point = [model_currents(tb, {"L": Reservoir(v / 2), "R": Reservoir(-v / 2)}, rtol=1e-13) for v in V[::15]]
    np.testing.assert_allclose(c.loss[::15], [p.loss for p in per_point], rtol=1e-10)


def test_model_current_integrates_the_closed_form_and_is_fast():
    """Model.current of the lattice at M = 20 takes the closed-form flows (was: the direct solve at every
    quadrature point, seconds) and agrees with adaptive quadrature of the direct solver's flows."""
    from pathlib import Path

    import tunnelkit.models.model as tm

    root = Path(__file__).resolve().parents[3]
    m = tm.Model.from_file(root / "examples/models/anglin_lattice.toml").with_params(
        M=20, tau1="0.1", gamma="0.5", Lambda=4, V=0)
    from tunnelkit.models.model_flows import closed_flows

    assert closed_flows(m, m.tight_binding()) is not None  # the closed-form route
    m.current({"L": 0.3})  # the evaluator derived (or read from the cache) outside the timing
    t0 = time.perf_counter()
    c = m.current({"L": 0.3}, rtol=1e-12)
    took = time.perf_counter() - t0
    ref = lattice_currents(m.tight_binding(), 20, 0.1, 0.5, 4.0, (0.3, -math.inf), energy=True)
    assert (c.I["L"] - c.I["R"]) / 2 == pytest.approx(ref["I"], rel=1e-10)
    assert (c.Q["L"] - c.Q["R"]) / 2 == pytest.approx(ref["Q"], rel=1e-8)
    assert took < 2.0


@pytest.mark.parametrize("n", [4, 48, 49, 1000, 20000])
def test_segment_continuants_against_the_exact_recursion(n):
    """numeric.models.chebyshev.continuants (the closed forms' segment atoms) against the three-term recursion at 80
    digits (its error growth ~n 10^-80 / sin(theta) is far below the doubles), at exact doubles inside, at and
    outside the band, next to an edge and next to a zero (a resonance of the segment); each double relative to
    itself, the mpmath values (digit-checked by their callers) to 40 digits of the largest |U| <= n + 1."""
    import mpmath

    from numeric.models.chebyshev import continuants
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
    O(M) loop: 5 s at M = 1000) against a 40-digit Thomas solve of the chain."""
    import mpmath

    from pathlib import Path

    from tests.numeric.models.test_long_chains import chain_reference

    import tunnelkit.models.model as tm

    root = Path(__file__).resolve().parents[3]
    m = tm.Model.from_file(root / "examples/models/anglin_lattice.toml").with_params(
        M=20000, tau1="0.1", gamma="0.5", Lambda="inf", V=0)
    m.transmission(["0.3"], dps=20, method="closed")  # evaluator and region built outside the timing
    t0 = time.perf_counter()
    got = m.transmission(["0.3", "-1.999"], dps=30, method="closed").T2["L->R"]
    took = time.perf_counter() - t0
    ref = [chain_reference(20000, "0.1", "0.5", "inf", "0", w, dps=40)[0] for w in ("0.3", "-1.999")]
    for g, r in zip(got, ref):
        assert abs(g / r - 1) < mpmath.mpf(10) ** -29
    assert took < 2.0


def test_bound_states_need_leads_with_a_band():
    from pathlib import Path

    import tunnelkit.models.model as tm

    root = Path(__file__).resolve().parents[3]
    m = tm.Model.from_file(root / "examples/models/anglin_lattice.toml").with_params(
        M=1, tau1="0.8", gamma=6, Lambda="inf", V=0)
    with pytest.raises(tm.ModelError, match="lead L is wide-band"):
        m.bound_states()


def test_model_current_with_digits_integrates_the_closed_form_beyond_the_direct_solvers_limit():
    """current(dps=12) of the lattice with 13 sites (the mpmath direct route stops at CURRENT_MP_MAX_SITES = 12): the
    closed form's mpmath evaluator is integrated, against adaptive quadrature of the direct solver's flows to
    relative 1e-13 (the double reference's own error is far below the 1e-11 asked)."""
    from pathlib import Path

    import mpmath

    import tunnelkit.models.model as tm

    root = Path(__file__).resolve().parents[3]
    m = tm.Model.from_file(root / "examples/models/anglin_lattice.toml").with_params(
        M=6, tau1="0.1", gamma="0.5", Lambda=1, V=0)
    c = m.current({"L": {"mu": "0.2"}}, dps=12)
    ref = lattice_currents(m.tight_binding(), 6, 0.1, 0.5, 1.0, (0.2, -math.inf))
    assert abs((c.I["L"] - c.I["R"]) / 2 / ref["I"] - 1) < mpmath.mpf(10) ** -11
    assert abs(c.loss / ref["loss"] - 1) < mpmath.mpf(10) ** -11


def test_closed_form_of_a_long_evanescent_segment_does_not_overflow():
    """M = 1000 over |omega| <= 2.6: outside the chain band the continuants grow like e^(M kappa) (beyond the doubles
    at omega = 2.6: they overflowed, and the closed form refused the whole grid); scaled by e^-L with the kernel's
    G = N/D taking e^((deg N - deg D) L), every value matches a 30-digit Thomas solve of the chain (every
    26th point and the band edges; the evanescent values relative to themselves, 0 where the exact value is
    below the doubles), and T2 is exactly 0 wherever a lead has no propagating wave (Lambda = 1, |omega| >= 2)."""
    from pathlib import Path

    from tests.numeric.models.test_long_chains import chain_reference, close

    import tunnelkit.models.model as tm

    root = Path(__file__).resolve().parents[3]
    w = np.linspace(-2.6, 2.6, 521)
    for Lam in ("1", "inf"):
        m = tm.Model.from_file(root / "examples/models/anglin_lattice.toml").with_params(
            M=1000, tau1="0.1", gamma="0.5", Lambda=Lam, V=0)
        r = m.transmission(w, method="closed")
        T2 = r.T2["L->R"]
        assert r.method == "closed" and np.all(np.isfinite(T2))
        open_leads = np.abs(w) < 2 if Lam == "1" else np.ones(len(w), bool)
        assert np.all(T2[~open_leads] == 0)
        picked = sorted(set(range(0, len(w), 26)) | set(np.flatnonzero(np.abs(w) == 2.0)))
        for i in picked:
            if not open_leads[i]:
                continue
            want = chain_reference(1000, "0.1", "0.5", Lam, "0", float(w[i]), dps=30)[0]
            assert close(T2[i], want, 1e-12), (Lam, w[i], T2[i], want)
        assert m.transmission(w, method="auto").method == "closed"
