"""tajima Eq. 24 with Lindhard and RPA susceptibilities."""
import numpy as np
from scipy.integrate import dblquad

from numeric.papers.tajima.spin_current import N0, chi, spin_conductance


def test_lindhard_static_limit_and_direct_sum():
    # textbook static Lindhard function N0 [1/2 + (1 - x^2)/(4x) ln|(1+x)/(1-x)|], x = q/2k_F
    q = np.array([1e-3, 0.3, 1.0, 1.9, 2.5])
    x = q / 2
    static = N0 * (0.5 + (1 - x**2) / (4 * x) * np.log(np.abs((1 + x) / (1 - x))))
    assert np.allclose(chi(q, np.zeros_like(q)).real, static, rtol=1e-9, atol=0)
    q, w, eta = 0.7, 0.3, 1e-3  # direct 2D quadrature of the defining k-sum, with a finite eta

    def f(mu, k, part):
        d = 2 * (k * q * mu + q * q / 2)
        v = k * k / (4 * np.pi**2) * (1 / (d - (w + 1j * eta)) + 1 / (d + w + 1j * eta))
        return getattr(v, part)
    direct = dblquad(lambda mu, k: f(mu, k, "real"), 0, 1, -1, 1, epsabs=1e-11)[0] + \
        1j * dblquad(lambda mu, k: f(mu, k, "imag"), 0, 1, -1, 1, epsabs=1e-11)[0]
    from numeric._generated.spin_response_np import lindhard_chi0
    assert abs(lindhard_chi0(np.array([q]), np.array([w + 1j * eta]))[0][0] - direct) < 1e-9


def test_stoner_enhancement_monotone_and_converged():
    s = [0.0, 0.5, 0.8, 0.9, 0.95]
    G = [spin_conductance(x, T=0.05) for x in s]
    assert all(b > a for a, b in zip(G, G[1:]))
    assert G[-1] / G[0] > 1000
    for x, g in zip(s, G):
        assert abs(spin_conductance(x, T=0.05, order=40) / g - 1) < 1e-3
