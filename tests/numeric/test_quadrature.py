"""The quadrature engine against integrals known exactly (rational arithmetic, closed forms)."""
import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest

from numeric.quadrature import GaussLegendre, Segment, composite_rule, integrate, integrate_segments


def test_narrow_lorentzian_with_breakpoint():
    w0, g = 0.3 + 3e-7, 1e-7
    v, e = integrate(lambda x: g / ((x - w0) ** 2 + g**2), -2.0, 2.0, points=[0.3])
    exact = np.arctan((2 - w0) / g) + np.arctan((2 + w0) / g)
    assert abs(v[0] - exact) <= max(e[0], 1e-15 * exact) and e[0] < 1e-10


def test_vector_valued_integrand_has_per_component_errors():
    v, e = integrate(lambda x: np.stack([np.cos(x), 1e-9 * np.sin(x)], axis=-1), 0.0, 1.0)
    np.testing.assert_allclose(v, [np.sin(1.0), 1e-9 * (1 - np.cos(1.0))], rtol=1e-13)
    assert np.all(e <= 1e-12 * np.abs(v))


@pytest.mark.parametrize("n", [1, 2, 7, 30])
def test_mpmath_gauss_legendre_is_exact_to_degree_2n_minus_1(n):
    # int_{-1}^{1} x^k = 2/(k+1) (k even), 0 (k odd): exact rationals, at 60 digits
    with mpmath.workdps(60):
        x, w = GaussLegendre(n).nodes(mpmath.mp.prec)
        for k in range(2 * n):
            exact = Fraction(2, k + 1) if k % 2 == 0 else Fraction(0)
            got = sum(wi * xi**k for xi, wi in zip(x, w))
            assert abs(got - mpmath.mpf(exact.numerator) / exact.denominator) < mpmath.mpf(10) ** -57
        # one degree higher is not exact (the rule really has n nodes)
        got = sum(wi * xi ** (2 * n) for xi, wi in zip(x, w))
        assert abs(got - mpmath.mpf(2) / (2 * n + 1)) > mpmath.mpf(10) ** -50


# integrals with an end behaviour that each interval map removes, and their exact values
MAPPED = [
    ("sqrt_left", 0, 1, lambda x, m: 1 / m.sqrt(x), lambda m: m.mpf(2)),                       # 2 sqrt(x)
    ("sqrt_right", 0, 1, lambda x, m: m.sqrt(1 - x), lambda m: m.mpf(2) / 3),
    ("cosine", -1, 1, lambda x, m: 1 / m.sqrt((1 - x) * (1 + x)), lambda m: +m.pi),          # arcsin
    ("tail", -math.inf, 0, lambda x, m: m.exp(x), lambda m: m.mpf(1)),
    ("tail", 1, math.inf, lambda x, m: 1 / (x * x), lambda m: m.mpf(1)),
    ("tail", 2, math.inf, lambda x, m: 1 / (x * x + 4), lambda m: +m.pi / 8),                  # atan(x/2)/2
]


@pytest.mark.parametrize("kind,a,b,f,exact", MAPPED, ids=[f"{m[0]}-{i}" for i, m in enumerate(MAPPED)])
def test_interval_maps_double_and_mpmath(kind, a, b, f, exact):
    np_ns = type("ns", (), {"sqrt": staticmethod(np.sqrt), "exp": staticmethod(np.exp)})
    q = integrate_segments(lambda x: f(x, np_ns), [Segment(a, b, map=kind)])
    assert abs(q.value[0] - float(exact(mpmath))) < 1e-13 and q.error[0] < 1e-11
    q = integrate_segments(lambda x: f(x, mpmath), [Segment(a, b, map=kind)], dps=45,
                           rtol=mpmath.mpf(10) ** -42)
    with mpmath.workdps(50):
        err = abs(q.value[0] - exact(mpmath))
    # the estimate covers the quadrature error; the integrand's own rounding at 45 digits (1 -+ x next to
    # the ends of the cosine map) adds up to ~100 ulps
    assert err < mpmath.mpf(10) ** -41 and err <= q.error[0] + mpmath.mpf(10) ** -43


def test_panel_results_give_the_cumulative_integral():
    # cos on [0, 3] cut at 0.5, 1, ..., 2.5: the cumulative sums are sin at every cut
    cuts = np.arange(1, 6) * 0.5
    q = integrate_segments(np.cos, [Segment(0.0, 3.0, points=tuple(cuts))])
    np.testing.assert_array_equal(q.panel_hi[:-1], cuts)
    np.testing.assert_allclose(np.cumsum(q.panel_value[:, 0]), np.sin(np.append(cuts, 3.0)), rtol=0, atol=1e-14)
    # a tail and a sqrt segment keep x order in the panel list
    q = integrate_segments(lambda x: np.exp(-x * x), [Segment(0.0, 1.0, map="sqrt_right", points=(0.25, 0.5)),
                                                       Segment(1.0, math.inf, points=(2.0,))])
    assert list(q.panel_lo) == [0.0, 0.25, 0.5, 1.0, 2.0]
    erf = [math.erf(x) * math.sqrt(math.pi) / 2 for x in (0.25, 0.5, 1.0, 2.0)]
    np.testing.assert_allclose(np.cumsum(q.panel_value[:, 0])[:4], erf, rtol=0, atol=1e-14)


def test_mpmath_breakpoints_are_exact():
    # a step at 1/3 given exactly: 50 digits of 2/3; at the double nearest 1/3 the answer differs at 1e-17
    step = lambda x: mpmath.mpf(1) if x > mpmath.mpf(1) / 3 else mpmath.mpf(0)  # noqa: E731
    q = integrate_segments(step, [Segment(0, 1, points=(Fraction(1, 3),))], dps=55, rtol=mpmath.mpf(10) ** -52)
    with mpmath.workdps(60):
        assert abs(q.value[0] - mpmath.mpf(2) / 3) < mpmath.mpf(10) ** -52
    q = integrate_segments(step, [Segment(0, 1, points=(1 / 3,))], dps=55, rtol=mpmath.mpf(10) ** -52)
    with mpmath.workdps(60):
        assert abs(q.value[0] - mpmath.mpf(2) / 3) > mpmath.mpf(10) ** -18


def test_mpmath_narrow_resonance_error_estimate_is_honest():
    # Lorentzian of half width 1e-6 next to a cut: exact value from arctan at 70 digits
    with mpmath.workdps(70):
        w0, g = mpmath.mpf(1) / 7, mpmath.mpf(10) ** -6
        exact = mpmath.atan((1 - w0) / g) + mpmath.atan(w0 / g)
    f = lambda x: g / ((x - w0) ** 2 + g**2)  # noqa: E731
    pts = tuple(w0 + k * g for k in (-100, -10, -1, 0, 1, 10, 100))
    q = integrate_segments(f, [Segment(0, 1, points=pts)], dps=50, rtol=mpmath.mpf(10) ** -47)
    with mpmath.workdps(70):
        err = abs(q.value[0] - exact)
    assert q.converged and err <= q.error[0] <= mpmath.mpf(10) ** -46 * exact


def test_net_component_tolerance_from_the_gross_one():
    # component 0 cancels to 0 (odd integrand); its tolerance comes from component 1 = |f|
    f = lambda x: np.stack([np.sin(50 * x), np.abs(np.sin(50 * x))], axis=-1)  # noqa: E731
    q = integrate_segments(f, [Segment(-1.0, 1.0)], rtol=1e-12, scale_from=[1, 1])
    assert q.converged and abs(q.value[0]) <= 1e-12 * q.value[1] and q.error[0] <= 1e-12 * q.value[1]


def test_composite_rule_is_gauss_legendre_per_panel():
    x, w = composite_rule([0.0, 0.5, 2.0], 4)
    for k in range(8):  # exact for degree 7 on each panel
        assert abs(w @ x**k - 2.0 ** (k + 1) / (k + 1)) < 1e-13 * 2.0 ** (k + 1)
