"""tajima Eqs. 20/21: second-order currents against the exact Landauer current of a weak link."""
import numpy as np
import pytest

from numeric.papers.tajima.weak_link import exponent, landauer_pair, surface_green, transmission_exact


def test_surface_green_is_semicircle():
    w = np.linspace(-1.9, 1.9, 7)
    g = surface_green(w, 0.0)
    assert np.allclose(-g.imag / np.pi, np.sqrt(4 - w**2) / (2 * np.pi))


def test_exact_transmission_of_the_uniform_chain():
    # t' = Lambda = 1: the junction disappears, perfect transmission inside the band
    w = np.linspace(-1.9, 1.9, 9)
    assert np.allclose(transmission_exact(w, 1.0, (0.0, 0.0)), 1.0)


def test_exact_transmission_is_the_dyson_closed_form():
    """The direct solve of the two surface sites against the 2x2 Dyson equation written out:
    T = 4 t^2 Im g_L Im g_R / |1 - t^2 g_L g_R|^2 with the half-chain surface functions (any t, Lambda)."""
    t, Lam, eps = 0.7, 1.3, (0.2, -0.1)
    w = np.linspace(-2.35, 2.45, 41)  # inside both bands [-2.4, 2.8] and [-2.7, 2.5]
    gL, gR = surface_green(w, eps[0], Lam), surface_green(w, eps[1], Lam)
    want = 4 * t**2 * gL.imag * gR.imag / np.abs(1 - t**2 * gL * gR) ** 2
    assert np.allclose(transmission_exact(w, t, eps, Lam), want, rtol=1e-12, atol=0)
    # outside the band of one lead nothing is transmitted
    assert np.all(transmission_exact(np.array([-2.6, 2.7, 3.5]), t, eps, Lam) == 0)


@pytest.mark.parametrize("stats,mu,T", [("fermi", (0.3, -0.2), (0.0, 0.0)), ("fermi", (0.25, 0.25), (0.3, 0.1)),
                                        ("bose", (-2.0, -2.2), (0.3, 0.3))])
def test_difference_scales_as_t4(stats, mu, T):
    ts = np.array([0.005, 0.01, 0.02, 0.04])
    res = np.array([landauer_pair(float(t), eps=(0.1, -0.1), mu=mu, T=T, stats=stats) for t in ts])
    assert abs(exponent(ts, res[:, 0] - res[:, 1]) - 4.0) < 0.05
    if mu[0] != mu[1]:  # f_L - f_R of one sign: the pointwise bound carries over to the integrals
        # relative correction |1 - t^2 g_L g_R|^-2 - 1 <= ~2 t^2 since |g| <= 1 inside the band (Lambda = 1)
        assert abs(res[0, 0] / res[0, 1] - 1) < 2.1 * ts[0] ** 2
