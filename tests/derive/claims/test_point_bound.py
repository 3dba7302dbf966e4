r"""The bound a verdict resting on exact points carries (derive.claims.point_bound, issue 20).

Degrees are counted by hand from the written forms (denominators cleared as written, nothing cancelled);
the grid size N from the sampler's rule (u/1000 of the interval, u = 1..999, rounded to 1/1000).
"""
from __future__ import annotations

import sympy as sp

from derive.claims.claim_decision import decide_equal, decide_root
from derive.claims.exact_points import sample_draws

x, y = sp.symbols("x y", real=True)


def test_a_rational_identity_decided_by_points_carries_the_schwartz_zippel_bound():
    """1/(x - y) + 1/(x + y) against 2x/(x^2 - y^2): over the denominators (x - y)(x + y)(x^2 - y^2) as written
    the numerator is (x + y)(x^2 - y^2) + (x - y)(x^2 - y^2) - 2x(x - y)(x + y): total degree 3.  x and y are
    unbounded: drawn from [-3, 3], width >= 1, so 999 values each."""
    d = decide_equal(1 / (x - y) + 1 / (x + y), 2 * x / (x**2 - y**2), symbolic=False)
    assert d.holds and d.method.startswith("exact-point identity testing (6 random exact points")
    assert "total degree <= 3" in d.detail and "(3/999)^6" in d.detail, d.detail
    assert abs(d.bound - (3 / 999) ** 6) <= 1e-9 * (3 / 999) ** 6


def test_a_narrow_interval_has_a_smaller_grid():
    """0 < x < 1/10: the draws are multiples of 1/1000 in [0, 1/10], 101 values (0 and 1/10 included, which
    the conditions then reject); y keeps 999."""
    conditions = [x > 0, x < sp.Rational(1, 10)]
    draws = sample_draws([x, y], conditions, 6)
    assert all(g[x] == 101 and g[y] == 999 for g in draws.grid)
    assert all((p[x] * 1000).is_integer and 0 < p[x] < sp.Rational(1, 10) for p in draws.points)
    d = decide_equal(1 / (x - y) + 1 / (x + y), 2 * x / (x**2 - y**2), conditions=conditions, symbolic=False)
    assert "(3/101)^6" in d.detail, d.detail


def test_a_det_zero_decided_by_points_counts_the_degree_of_det_at_the_printed_root():
    """det = omega^2 - e^2 - 2e - 1 at omega = e + 1: (e + 1)^2 - e^2 - 2e - 1, degree 2."""
    w, e = sp.Symbol("omega", real=True), sp.Symbol("e", real=True)
    d = decide_root(w**2 - e**2 - 2 * e - 1, w, e + 1, symbolic=False)
    assert d.holds and "total degree <= 2" in d.detail and "(2/999)^6" in d.detail, d.detail


def test_no_bound_is_claimed_where_none_is_known():
    k = sp.Symbol("k", real=True)
    trig = decide_equal(sp.cos(k) ** 2, 1 - sp.sin(k) ** 2, symbolic=False)
    assert trig.holds and trig.bound is None and "no probabilistic bound is known" in trig.detail
    assert "transcendental" in trig.detail, trig.detail
    # sqrt(x - 1) sqrt(x + 1) = sqrt(x^2 - 1) for x > -1 only: the branch of sqrt(x - 1) changes at x = 1
    root = decide_equal(sp.sqrt(x - 1) * sp.sqrt(x + 1), sp.sqrt(x**2 - 1), conditions=[x > -1], symbolic=False)
    assert root.holds and root.bound is None and "square roots remain" in root.detail, root.detail
