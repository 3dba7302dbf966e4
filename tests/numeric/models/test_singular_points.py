"""The direct solver at exactly singular points (decoupled states) and exact band edges (numeric only).

References: closed values of the six-site ring at its decoupled states (T2 = 3/4 at t = 1, exact
SymPy limit in tests/tunnelkit/models/test_singular_models.py), and an mpmath solve at 60 digits next to
the point (omega + 1e-40), where the matrix is regular and the quantities analytic.
"""
from __future__ import annotations

import mpmath
import numpy as np
import pytest

from numeric.models.greens import lead_terms, solve
from numeric.models.singular_points import reduced_resolvent
from numeric.models.tight_binding import Lead, TightBinding, from_model


def ring_tb(n: int, *, backend: str = "numpy", sparse: bool | None = None) -> TightBinding:
    """An n-site ring (hopping -1), leads (hopping -1, coupling -0.8) on sites 0 and n/2."""
    sites = {f"r{j}": "0" for j in range(n)}
    hops = [{"sites": [f"r{j}", f"r{(j + 1) % n}"], "value": "-1"} for j in range(n)]
    leads = [{"name": "L", "site": "r0", "hopping": "-1", "potential": "0", "coupling": "-0.8"},
             {"name": "R", "site": f"r{n // 2}", "hopping": "-1", "potential": "0", "coupling": "-0.8"}]
    model = {"name": "ring", "parameters": {}, "sites": sites, "hoppings": hops, "segments": [], "leads": leads}
    return from_model(model, {}, backend=backend, sparse=sparse)


def mp_reference(n: int, omega: str) -> tuple:
    """(T2 L->R, R2 L) from a 60-digit solve 1e-40 above omega (regular there)."""
    with mpmath.workdps(60):
        tb = ring_tb(n, backend="mpmath")
        w = mpmath.mpf(omega) + mpmath.mpf(10) ** -40
        A = -tb.H
        for i in range(n):
            A[i, i] += w
        gam = {}
        for ld in tb.leads:
            x = w / abs(ld.hopping)  # z + 1/z = x, outgoing root on the band
            z = (x - 1j * mpmath.sqrt(4 - x * x)) / 2
            A[ld.site, ld.site] -= ld.strength * z
            gam[ld.name] = ld.strength * mpmath.sqrt(4 - x * x)
        G = mpmath.inverse(A)
        a, b = tb.leads[0].site, tb.leads[1].site
        T2 = gam["L"] * gam["R"] * abs(G[b, a]) ** 2
        R2 = abs(-1 + 1j * gam["L"] * G[a, a]) ** 2
        return T2, R2


def test_a_singular_point_in_a_batch_affects_only_itself():
    """omega = +-1 is exactly singular in doubles (LAPACK raised for the whole batch before)."""
    tb = ring_tb(6)
    w = np.array([0.3, 1.0, -1.0, 1.5])
    sol = solve(tb, w, elements=[(1, 1), (0, 3)], det=True)
    np.testing.assert_allclose(sol.T2("L", "R")[1:3], 0.75, rtol=1e-14)
    np.testing.assert_allclose(sol.R2("L")[1:3], 0.25, rtol=1e-14)
    for k in (0, 3):
        T2, R2 = mp_reference(6, str(w[k]))
        assert abs(sol.T2("L", "R")[k] - float(T2)) <= 1e-13 and abs(sol.R2("L")[k] - float(R2)) <= 1e-13
    assert np.isnan(sol.G(1, 1)[1])  # the decoupled state's own site: a pole, no limit
    assert np.all(np.isfinite(sol.G(0, 3)))  # between lead sites: continuous
    assert abs(sol.det[1]) < 1e-12


@pytest.mark.parametrize("n", [66])
def test_sparse_region_at_a_decoupled_state(n):
    """66 sites (sparse route): omega = -1 = -2 cos(2 pi 11/66) is a decoupled state of the ring."""
    tb = ring_tb(n, sparse=True)
    sol = solve(tb, [-1.0, 0.4])
    for k, w in enumerate(("-1", "0.4")):
        T2, R2 = mp_reference(n, w)
        assert abs(sol.T2("L", "R")[k] - float(T2)) <= 1e-12 and abs(sol.R2("L")[k] - float(R2)) <= 1e-12


def test_mpmath_solver_at_the_exact_point_every_digit():
    """mpmath at 40 digits, omega = 1 exactly: T2 = 3/4 to every digit (was ZeroDivisionError)."""
    with mpmath.workdps(40):
        tb = ring_tb(6, backend="mpmath")
        sol = solve(tb, [1, "-1"])
        for k in range(2):
            assert abs(sol.T2("L", "R")[k] - mpmath.mpf(3) / 4) < mpmath.mpf(10) ** -39
            assert abs(sol.R2("R")[k] - mpmath.mpf(1) / 4) < mpmath.mpf(10) ** -39


def test_reduced_resolvent_of_a_degenerate_decoupled_pair():
    """Two decoupled states at once (a 2-dimensional null space): the bordered system still gives R."""
    A = np.diag([0.0, 0.0, 2.0, -1.0]).astype(complex)
    A[2, 3] = A[3, 2] = 0.5
    B = np.zeros((4, 2), complex)
    B[2, 0] = B[3, 1] = 1.0
    X = reduced_resolvent(A, B)
    np.testing.assert_allclose(X[2:], np.linalg.inv(A[2:, 2:]), rtol=1e-14)
    np.testing.assert_allclose(X[:2], 0, atol=1e-15)


def test_exact_band_edge_in_mpmath():
    """Lead potential 3/10, hopping -1: omega = -17/10 is its lower edge exactly at every precision."""
    for dps in (20, 45):
        with mpmath.workdps(dps):
            lead = Lead.make("R", 0, mpmath.mpf(-1), mpmath.mpf("0.3"), mpmath.mpf(-1))
            from dataclasses import replace
            from fractions import Fraction
            lead = replace(lead, exact_band=(Fraction(3, 10), Fraction(1)))
            sigma, gamma, is_open = lead_terms(lead, mpmath.mpf("-1.7"), backend="mpmath",
                                               exact_omega=Fraction(-17, 10))
            assert not is_open and gamma == 0 and sigma == -1  # z = -1 at the lower edge: Sigma = w z
            _, gamma, is_open = lead_terms(lead, mpmath.mpf("-1.7"), backend="mpmath",
                                           exact_omega=Fraction(-17, 10) + Fraction(1, 10 ** 30))
            delta = mpmath.mpf(10) ** -30  # Gamma = w sqrt(4 - x^2), x = -2 + delta: sqrt(4 delta - delta^2)
            assert is_open and abs(gamma / mpmath.sqrt(4 * delta - delta ** 2) - 1) < mpmath.mpf(10) ** (1 - dps)
