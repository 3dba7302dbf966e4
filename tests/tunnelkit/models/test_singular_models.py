"""Decoupled states (bound states in the continuum) and exact band edges, in every route (issue 18, 1 and 3).

Systems (``singular_models/``): a six-site ring with leads on opposite sites (states at omega = +-t
with no weight on the lead sites), the same ring with loss on a lead site, the ring with arms of their own hoppings t1, t2 (decoupled states
only where t1 = t2: no factor cancels for all values), and a dot whose lead R has its band edge at
omega = -1.7.

References, sharing no code with tunnelkit:

* the exact limit of the Fisher-Lee expression built from the matrices in SymPy
  (adjugate and determinant of omega - H - Sigma, both zero at the point; l'Hopital's rule with
  Sigma(omega) explicit): T2 = 351/400, R2 = 49/400 for the t = 0.7 ring, 3/4 and 1/4 at t = 1;
* an 80-digit mpmath solve of omega - H - Sigma written out here (off the point, where it is
  regular; at a band edge with the exact closed lead, z = +-1).
"""
from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import mpmath
import numpy as np
import pytest
import sympy as sp

from tunnelkit.models.model_evaluators import closed_forms_available
from tunnelkit.models.model import Model

HERE = Path(__file__).resolve().parent / "singular_models"
ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.skipif(not closed_forms_available(), reason="derive has no model closed forms here")


# ----------------------------------------------------------------------------- independent references

def ring(t):
    """Region matrix of the six-site ring (hopping -t) and its leads (site, hopping, potential, coupling)."""
    H = [[0] * 6 for _ in range(6)]
    for j in range(6):
        H[j][(j + 1) % 6] = H[(j + 1) % 6][j] = -t
    return H, [(0, -1, 0, Fraction(4, 5)), (3, -1, 0, Fraction(4, 5))]


def lossy_ring(t, gamma):
    H, leads = ring(t)
    H[0][0] = (0, -gamma / 2)  # (re, im): the loss on r0
    return H, leads


def edge_dot(eps):
    return [[eps]], [(0, -1, 0, Fraction(3, 5)), (0, -1, Fraction(3, 10), Fraction(1, 2)),
                     (0, Fraction(-3, 2), 0, Fraction(2, 5))]


def reference(H, leads, omega, *, dps=80):
    """T2[p][q], R2[p], absorbed[p] (None: lead p closed) by an mpmath solve of omega - H - Sigma."""
    with mpmath.workdps(dps):
        w = mpmath.mpf(Fraction(omega).numerator) / Fraction(omega).denominator
        n = len(H)
        A = mpmath.matrix(n, n)
        for i in range(n):
            for j in range(n):
                v = H[i][j]
                re, im = (Fraction(x) for x in (v if isinstance(v, tuple) else (v, 0)))
                A[i, j] = -mpmath.mpc(mpmath.mpf(re.numerator) / re.denominator,
                                      mpmath.mpf(im.numerator) / im.denominator)
            A[i, i] += w
        gam, is_open = [], []
        for site, t, e, c in leads:
            t, e, c = (mpmath.mpf(x.numerator) / x.denominator if isinstance(x, Fraction) else mpmath.mpf(x)
                       for x in (t, e, c))
            x = w - e  # t z^2 - x z + t = 0; outgoing on the band (Im z * sign(-t) > 0), |z| <= 1 off it
            disc = x * x - 4 * t * t
            roots = [(x + s * mpmath.sqrt(mpmath.mpc(disc))) / (2 * t) for s in (1, -1)]
            if disc < 0:
                z = max(roots, key=lambda r: mpmath.im(r) * mpmath.sign(-t))
            else:
                z = min(roots, key=abs)
            sigma = c * c * z / t
            A[site, site] -= sigma
            gam.append(mpmath.re(1j * (sigma - mpmath.conj(sigma))))
            is_open.append(disc < 0)
        G = mpmath.inverse(A)
        P = len(leads)
        S = [[(1j * mpmath.sqrt(gam[q] * gam[p]) * G[leads[q][0], leads[p][0]] - (p == q)) for p in range(P)]
             for q in range(P)]
        T2 = {(p, q): abs(S[q][p]) ** 2 if is_open[p] and is_open[q] else mpmath.mpf(0)
              for p in range(P) for q in range(P) if p != q}
        R2 = [abs(S[p][p]) ** 2 if is_open[p] else None for p in range(P)]
        absorbed = [1 - sum(T2[p, q] for q in range(P) if q != p) - R2[p] if is_open[p] else None
                    for p in range(P)]
        return T2, R2, absorbed


def sympy_limit_ring(t):
    """(T2, R2) of the ring at omega = t exactly: N and D vanish there; l'Hopital with Sigma(omega)."""
    w, sL, sR = sp.Symbol("omega", real=True), sp.Symbol("sL"), sp.Symbol("sR")
    H, _ = ring(t)
    A = w * sp.eye(6) - sp.Matrix(H)
    A[0, 0] -= sL
    A[3, 3] -= sR
    adj, D = A.adjugate(), A.det()
    c2 = sp.Rational(16, 25)
    sigma = c2 * (w - sp.I * sp.sqrt(4 - w ** 2)) / 2  # lead hopping -1: z = (-w + i sqrt(4 - w^2))/2
    sub = {sL: sigma, sR: sigma}

    def limit(N):
        N, Dw = N.subs(sub), D.subs(sub)
        assert sp.simplify(N.subs(w, t)) == 0 and sp.simplify(Dw.subs(w, t)) == 0  # 0/0: the singular point
        slope = sp.simplify(sp.diff(Dw, w).subs(w, t))
        assert slope != 0
        return sp.simplify(sp.diff(N, w).subs(w, t) / slope)

    g = c2 * sp.sqrt(4 - t ** 2)
    G03, G00 = limit(adj[0, 3]), limit(adj[0, 0])
    T2 = sp.nsimplify(sp.simplify(sp.expand(g * g * G03 * sp.conjugate(G03))))
    R2 = sp.nsimplify(sp.simplify(sp.expand((-1 + sp.I * g * G00) * sp.conjugate(-1 + sp.I * g * G00))))
    return T2, R2


# ----------------------------------------------------------------------------- tests

@pytest.mark.parametrize("t, T2, R2", [(Fraction(7, 10), Fraction(351, 400), Fraction(49, 400)),
                                       (Fraction(1), Fraction(3, 4), Fraction(1, 4))])
def test_ring_at_the_decoupled_states_every_route(t, T2, R2):
    """The limit at omega = +-t: SymPy's exact limit, then the double routes and every --dps digit."""
    assert sympy_limit_ring(t) == (T2, R2)
    model = Model.from_file(HERE / "ring6.toml").with_params(t=t, c="0.8")
    points = [float(t), -float(t)]
    for method in ("auto", "direct"):
        r = model.transmission(points, method=method)
        for k in ("L->R", "R->L"):
            np.testing.assert_allclose(r.T2[k], float(T2), rtol=1e-13)
        for k in ("L", "R"):
            np.testing.assert_allclose(r.R2[k], float(R2), rtol=1e-13)
            np.testing.assert_allclose(r.absorbed[k], 0.0, atol=1e-14)
    exact_points = [str(float(t)), str(-float(t))]
    for method in ("auto", "direct"):
        r = model.transmission(exact_points, dps=30, method=method)
        with mpmath.workdps(40):
            for k in ("L->R", "R->L"):
                assert all(abs(x - mpmath.mpf(T2.numerator) / T2.denominator) < mpmath.mpf(10) ** -31
                           for x in r.T2[k])
            assert all(abs(x - mpmath.mpf(R2.numerator) / R2.denominator) < mpmath.mpf(10) ** -31
                       for x in r.R2["L"])


def test_ring_next_to_the_decoupled_state():
    """Relative 1e-12 in doubles at 1e-6 ... 1e-14 from omega = t (both routes), every digit with dps."""
    t = Fraction(7, 10)
    model = Model.from_file(HERE / "ring6.toml").with_params(t="0.7", c="0.8")
    H, leads = ring(t)
    ws = [0.7 + s * 10.0 ** -k for k in (6, 8, 10, 12, 14) for s in (1, -1)]
    ref = [reference(H, leads, Fraction(w)) for w in ws]
    for method in ("auto", "direct"):
        r = model.transmission(ws, method=method)
        assert r.method == ("closed" if method == "auto" else "direct")
        for k, (T2, R2, _) in enumerate(ref):
            assert abs(r.T2["L->R"][k] - float(T2[0, 1])) <= 1e-12 * float(T2[0, 1])
            assert abs(r.R2["L"][k] - float(R2[0])) <= 1e-12 * float(R2[0])
    exact_ws = ["0.7000000000001", "0.69999999999999999999"]
    for method in ("auto", "direct"):
        r = model.transmission(exact_ws, dps=30, method=method)
        for k, w in enumerate(exact_ws):
            T2, R2, _ = reference(H, leads, Fraction(w))
            with mpmath.workdps(40):
                assert abs(r.T2["L->R"][k] - T2[0, 1]) <= mpmath.mpf(10) ** -30 * T2[0, 1]
                assert abs(r.R2["R"][k] - R2[1]) <= mpmath.mpf(10) ** -30 * R2[1]


def test_closed_forms_are_in_lowest_terms():
    """G between the lead sites: numerator and denominator share no polynomial factor (the ring's
    (omega - t)(omega + t) is cancelled: det has degree 6 in omega, the reduced denominator 4)."""
    from derive.models.symbolic_model import SymbolicModel
    from tunnelkit.models.model_file import load_model_file

    model = SymbolicModel(load_model_file(HERE / "ring6.toml"))
    w = model.omega
    det = model.quantity("det")
    assert sp.Poly(det, w).degree() == 6
    for name in ("G:r0,r3", "G:r0,r0", "G:r3,r3"):
        num, den = sp.fraction(sp.together(model.quantity(name)))
        assert sp.gcd(num, den).free_symbols.isdisjoint({w})
        assert sp.Poly(den, w).degree() == 4
    assert sp.Poly(sp.fraction(sp.together(model.quantity("G:r1,r1")))[1], w).degree() == 6  # a real pole


def test_lossy_ring_at_its_decoupled_state():
    """Loss on the lead site r0: T2, R2 and absorbed at omega = t against the 80-digit solve 1e-30 away
    (the quantities are analytic there), in doubles and with every dps digit, both routes."""
    model = Model.from_file(HERE / "lossy_ring.toml").with_params(t="0.7", c="0.8", gamma="0.3")
    H, leads = lossy_ring(Fraction(7, 10), Fraction(3, 10))
    T2, R2, absorbed = reference(H, leads, Fraction(7, 10) + Fraction(1, 10 ** 30))
    assert absorbed[0] > 0.1 and T2[0, 1] > 0.1
    for method in ("auto", "direct"):
        r = model.transmission([0.7], method=method)
        assert abs(r.T2["L->R"][0] - float(T2[0, 1])) <= 1e-13
        assert abs(r.R2["L"][0] - float(R2[0])) <= 1e-13
        assert abs(r.absorbed["L"][0] - float(absorbed[0])) <= 1e-13
        r = model.transmission(["0.7"], dps=20, method=method)
        with mpmath.workdps(30):
            for p in (0, 1):
                assert abs(r.absorbed["LR"[p]][0] - absorbed[p]) <= mpmath.mpf(10) ** -20 * absorbed[p]
            assert abs(r.T2["R->L"][0] - T2[1, 0]) <= mpmath.mpf(10) ** -20 * T2[1, 0]


def test_decoupled_only_at_these_values_falls_back_to_the_limit():
    """A ring whose arms have their own hoppings t1, t2: the states at +-t exist only where t1 = t2, so
    no factor cancels for all values.  At t1 = t2 = 1, omega = 1 (exact in binary) the closed form is
    0/0 in doubles and in mpmath; those points (only) are taken by the direct route's reduced resolvent."""
    model = Model.from_file(HERE / "ring_arms.toml").with_params(t1=1, t2=1, c="0.8")
    r = model.transmission([1.0, 0.5, -1.0], method="auto")
    assert r.method == "closed"
    np.testing.assert_allclose(r.T2["L->R"][[0, 2]], 0.75, rtol=1e-13)
    np.testing.assert_allclose(r.R2["R"][[0, 2]], 0.25, rtol=1e-13)
    T2, _, _ = reference(*ring(1), Fraction(1, 2))
    assert abs(r.T2["L->R"][1] - float(T2[0, 1])) <= 1e-13
    r = model.transmission(["1"], dps=25)
    assert r.method == "closed"
    with mpmath.workdps(35):
        assert abs(r.T2["L->R"][0] - mpmath.mpf(3) / 4) <= mpmath.mpf(10) ** -26


def test_exact_band_edge_with_dps():
    """omega = -1.7 exactly is the lower edge of lead R (potential 0.3, hopping -1): R closed (T2 0, R2
    null), the other quantities every digit against the exact closed lead (z_R = 1) -- both routes."""
    model = Model.from_file(HERE / "edge_lead.toml").with_params(eps="0.1")
    H, leads = edge_dot(Fraction(1, 10))
    T2, R2, absorbed = reference(H, leads, Fraction(-17, 10))
    names = {"L": 0, "R": 1, "B": 2}
    for method in ("auto", "direct"):
        r = model.transmission(["-1.7"], dps=30, method=method)
        with mpmath.workdps(40):
            for key, values in r.T2.items():
                p, q = (names[x] for x in key.split("->"))
                assert abs(values[0] - T2[p, q]) <= mpmath.mpf(10) ** -30 * max(T2[p, q], 1e-300)
                if "R" in key:
                    assert values[0] == 0
            assert mpmath.isnan(r.R2["R"][0]) and mpmath.isnan(r.absorbed["R"][0])
            assert abs(r.R2["B"][0] - R2[2]) <= mpmath.mpf(10) ** -30 * R2[2]


def test_band_edge_in_doubles_is_the_exact_value_of_the_doubles():
    """In doubles -1.7 - 0.3 is 5.6e-17 inside R's band (the documented convention: the decision is
    made on the exact values of the doubles): R is open with a tiny Gamma, and every quantity agrees
    with the 80-digit solve at those exact binary values to 1e-12 (both routes)."""
    model = Model.from_file(HERE / "edge_lead.toml").with_params(eps="0.1")
    H, leads = edge_dot(Fraction(0.1))
    leads[1] = (0, -1, Fraction(0.3), Fraction(1, 2))
    leads = [(s, t, e, Fraction(float(c))) for s, t, e, c in leads]
    T2, R2, _ = reference(H, leads, Fraction(-1.7))
    for method in ("auto", "direct"):
        r = model.transmission([-1.7], method=method)
        assert abs(r.T2["L->B"][0] - float(T2[0, 2])) <= 1e-12 * float(T2[0, 2])
        assert abs(r.R2["B"][0] - float(R2[2])) <= 1e-12
        assert abs(r.T2["L->R"][0] - float(T2[0, 1])) <= 1e-6 * float(T2[0, 1])  # ~1e-9: Gamma_R ~ sqrt(1e-16)


def test_cli_at_the_decoupled_state_prints_the_limit():
    """The command line at t = 1, omega = 1 (was: every value null and a NumPy warning; --dps: exit 1)."""
    for extra in ([], ["--dps", "20"]):
        out = subprocess.run([sys.executable, "-m", "tunnelkit", "transmission", "--model", str(HERE / "ring6.toml"),
                              "--param", "t=1", "--param", "c=0.8", "--omega", "1,-1", "--json", *extra],
                             capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert out.returncode == 0, out.stderr
        assert "Warning" not in out.stderr
        data = json.loads(out.stdout)
        assert [float(x) for x in data["T2"]["L->R"]] == pytest.approx([0.75, 0.75], rel=1e-14)
        assert [float(x) for x in data["R2"]["R"]] == pytest.approx([0.25, 0.25], rel=1e-14)
