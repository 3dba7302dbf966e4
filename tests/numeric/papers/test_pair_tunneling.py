"""Pair-tunnelling G/S (tajima Eq. 21, Fig. 2): independent cross-checks of the analytic derivatives."""
import math

import mpmath
import numpy as np
import pytest

from numeric.papers.tajima.pair_ratio import (critical_temperature, molecular_chemical_potential, pair_current, pair_ratio,
                                    response)
from numeric.errors import ParameterError

TEMPS = [0.2181, 0.22, 0.25, 0.3, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5]


def test_critical_temperature_textbook_value():
    # ideal Bose gas of N/2 molecules of mass 2m: T_c = (2 pi / M) (n_B / zeta(3/2))^(2/3), n_B = k_F^3 / 6 pi^2
    n_B = 1 / (6 * math.pi**2)
    Tc = 2 * math.pi / 1.0 * (n_B / float(mpmath.zeta(1.5))) ** (2 / 3)  # M = 2m = 1
    assert abs(critical_temperature() - Tc) < 1e-12


def test_chemical_potential_solves_number_equation():
    # independent: direct quadrature of 2 int d^3q/(2 pi)^3 b(q^2/2 - mu_B)
    T = 0.5
    muB = float(molecular_chemical_potential(T))
    dens = 2 * mpmath.quad(lambda q: q**2 / (2 * mpmath.pi**2) / mpmath.expm1((q**2 / 2 - muB) / T), [0, 1, mpmath.inf])
    assert abs(dens - 1 / (3 * math.pi**2)) < 1e-12


@pytest.mark.parametrize("E_b,g_tilde", [(10.0, 1.0), (250.0, 0.05)])
def test_analytic_derivatives_match_finite_differences_and_do_not_depend_on_a_or_g(E_b, g_tilde):
    T = 0.4
    muB = float(molecular_chemical_potential(T))
    G, S, _, _ = response(T)
    mu, h = (muB - E_b) / 2, 1e-5
    Gfd = (pair_current((mu + h, mu - h), (T, T), E_b=E_b, g_tilde=g_tilde)
           - pair_current((mu - h, mu + h), (T, T), E_b=E_b, g_tilde=g_tilde)) / (4 * h)
    Sfd = (pair_current((mu, mu), (T + h, T - h), E_b=E_b, g_tilde=g_tilde)
           - pair_current((mu, mu), (T - h, T + h), E_b=E_b, g_tilde=g_tilde)) / (4 * h)
    assert abs(Gfd / g_tilde**2 / G - 1) < 1e-7
    assert abs(Sfd / g_tilde**2 / S - 1) < 1e-7
    assert abs((Gfd / Sfd) / (G / S) - 1) < 1e-7


def test_ratio_finite_and_monotone():
    r = pair_ratio(TEMPS)
    g = np.asarray(r.G_over_S)
    assert np.all(np.isfinite(g)) and np.all(g > 0)
    assert np.all(np.diff(g) < 0)  # dramatic enhancement towards T_c, S wins at high T
    assert g[0] > 1e4 and g[-1] < 1
    assert np.all(r.error < 1e-12)


def test_mpmath_agrees_with_double_and_its_digits_are_stable():
    T = [0.2181, 1.5]
    d = pair_ratio(T).G_over_S
    m20, m30 = pair_ratio(T, dps=20), pair_ratio(T, dps=30)
    for a, b, c in zip(d, m20.G_over_S, m30.G_over_S):
        assert abs(a / float(c) - 1) < 1e-12
        with mpmath.workdps(40):
            assert abs(b / c - 1) < mpmath.mpf(10) ** -20  # the 20 digits returned are the first 20 of 30
    with mpmath.workdps(40):
        assert abs(m20.Tc / m30.Tc - 1) < mpmath.mpf(10) ** -20


def independent_mu_b(T, digits):
    """mu_B from the number equation in its polylog form, solved at 2 x ``digits`` with mpmath.findroot.

    n = 2 int d^3q/(2 pi)^3 (e^{(q^2/2 - mu_B)/T} - 1)^{-1}: the geometric series of Gaussian integrals
    gives (2T)^{3/2} Li_{3/2}(e^{mu_B/T}) / (4 pi^{3/2}) = 1/(3 pi^2); unknown y = log(-mu_B/T).
    """
    with mpmath.workdps(2 * digits + 10):
        T = mpmath.mpf(T)
        f = lambda y: ((2 * T) ** 1.5 * mpmath.polylog(1.5, mpmath.exp(-mpmath.exp(y))) / (4 * mpmath.pi**1.5)  # noqa
                       - 1 / (3 * mpmath.pi**2))
        y0 = mpmath.log(-float(molecular_chemical_potential(float(T))) / T)  # a starting point only
        y = mpmath.findroot(f, (y0, y0 * (1 + mpmath.mpf(10) ** -6)), solver="secant",
                            tol=mpmath.mpf(10) ** (-4 * digits))
        return -T * mpmath.exp(y)


@pytest.mark.parametrize("T", ["0.21804", "0.5", "30", "1e6"])
def test_mu_b_digits_against_an_independent_root(T):
    """Just above Tc (mu_B ~ -3e-10) to T = 1e6: 30 digits with dps, 15 in the double path."""
    ref = independent_mu_b(T, 30)
    ours = molecular_chemical_potential(T, dps=30)
    with mpmath.workdps(70):
        assert abs(ours / ref - 1) < mpmath.mpf(10) ** -30
    ref_double = independent_mu_b(float(T), 10)  # the double T is another temperature (steep near Tc)
    assert abs(float(molecular_chemical_potential(float(T))) / float(ref_double) - 1) < 1e-15
    r = pair_ratio([float(T)])
    assert np.isfinite(r.G_over_S[0]) and r.G_over_S[0] > 0 and r.error[0] < 1e-10


def test_tc_digits_against_the_closed_form():
    with mpmath.workdps(70):
        closed = mpmath.cbrt(6) / (3 * mpmath.cbrt(mpmath.pi) * mpmath.zeta(1.5) ** (mpmath.mpf(2) / 3))
        assert abs(critical_temperature(dps=50) / closed - 1) < mpmath.mpf(10) ** -50


def test_damping_range():
    """Documented range [1e-100, 1e100]: both ends work (and approach the damping limits), outside is refused."""
    lo, lo2, hi, hi2 = (pair_ratio([0.5], damping=d) for d in ("1e-100", "1e-60", "1e100", "1e90"))
    for r in (lo, hi):
        assert np.isfinite(r.G_over_S[0]) and r.G_over_S[0] > 0 and r.error[0] < 1e-10
    assert abs(lo.G_over_S[0] / lo2.G_over_S[0] - 1) < 1e-10  # G/S -> its gamma -> 0 limit
    assert abs(hi.G_over_S[0] / hi2.G_over_S[0] - 1) < 1e-8   # and its gamma -> oo limit
    for d in ("1e200", "1e-150", 0.0, "inf", "-0.1"):
        with pytest.raises(ParameterError, match="damping"):
            pair_ratio([0.5], damping=d)


def test_bad_parameters():
    for T in ([0.2], [0.2180329612], [1.000001e6], [float("inf")]):
        with pytest.raises(ParameterError, match="T must"):
            pair_ratio(T)


def test_g_over_s_digits_beyond_the_old_tail_cut():
    """G/S at 50 digits against an independent evaluation: mu_B from the polylog root above, the two
    response integrals by mpmath's tanh-sinh quadrature over [0, oo) (a different rule and no tail cut)
    at 70 digits.  A quadrature that stops at omega = mu_B + 80 T (e^-80 ~ 1e-35 of the integrand)
    agrees only to ~35 digits."""
    from numeric._generated import pair_tunneling_mp as gmp

    T, damping = "0.5", "0.1"
    ours = pair_ratio([T], damping=damping, dps=50).G_over_S[0]
    muB = independent_mu_b(T, 40)
    with mpmath.workdps(70):
        Tm, d = mpmath.mpf(T), mpmath.mpf(damping)
        a = abs(muB)
        nodes = [mpmath.mpf(0)] + [a * 2**j for j in range(-4, 12)] + [d, Tm, 10 * Tm, 100 * Tm, mpmath.inf]
        nodes = sorted(set(nodes))
        G = mpmath.quad(lambda w: gmp.pair_response_integrands(w, d, Tm, muB)[0], nodes)
        S = mpmath.quad(lambda w: gmp.pair_response_integrands(w, d, Tm, muB)[1], nodes)
        assert abs(ours / (G / S) - 1) < mpmath.mpf(10) ** -49
