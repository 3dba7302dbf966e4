"""Cumulative current curves against per-point adaptive quadrature (a different integration of I)."""
import math

import numpy as np
import pytest

from numeric.anglin.currents import currents
from numeric.anglin.curves import bias_curve, current_curve
from numeric.anglin.parameters import LossyLattice


@pytest.mark.parametrize("lat", [LossyLattice(3, 0.1, 0.5, 1.0), LossyLattice(2, 0.01, 5.0, 3.0, 0.4),
                                 LossyLattice(1, 0.3, 1.0, 2.0, -1.5)], ids=["fig3", "narrow", "biased"])
def test_curve_matches_per_point(lat):
    lo, hi = lat.lead_band("L")
    mus = np.linspace(lo - 0.1, hi + 0.1, 400)
    c = current_curve(lat, mus)
    assert np.all(c.I[mus <= lo] == 0)
    sel = np.arange(5, 400, 49)
    ref = np.array([currents(lat, muL=m, muR=-math.inf, rtol=1e-13).I for m in mus[sel]])
    nz = np.abs(ref) > 0
    assert np.max(np.abs(c.I[sel] - ref)[nz] / np.abs(ref[nz])) < 1e-12
    assert np.all(c.error <= 1e-11 * np.abs(c.I).max())


@pytest.mark.parametrize("gamma", [0.0, 0.5, 5.0, 100.0])
def test_bias_curve_matches_per_point(gamma):
    # Fig. 2: one cumulative integration against adaptive integrals with mu_L,R = +-V/2 per point
    V = np.linspace(0.0, 4.0, 401)
    c = bias_curve(LossyLattice(2, 0.1, gamma, math.inf), V)
    sel = [0, 37, 100, 173, 199, 250, 400]
    ref = np.array([currents(LossyLattice(2, 0.1, gamma, math.inf, V[i])).I for i in sel])
    assert c.I[0] == 0.0 or abs(c.I[0]) < 1e-16
    assert np.max(np.abs(c.I[sel] - ref)) < 1e-13 * np.max(ref)
    assert np.all(c.error < 1e-12 * np.max(ref))


def test_bias_curve_of_one_site_is_the_lorentzian_integral():
    # M = 0: t_L = t_R = (8 tau1^4 + 2 gamma tau1^2)/(omega^2 + c^2), c = 2 tau1^2 + gamma/2 (single-site Green's
    # function with Sigma = -i tau1^2 per lead), so I(V) = (8 tau1^4 + 2 gamma tau1^2)/(4 pi) (2/c) atan(V/2c)
    tau1, gamma = 0.2, 0.3
    V = np.linspace(-3.0, 3.0, 61)
    cc = 2 * tau1**2 + gamma / 2
    exact = (8 * tau1**4 + 2 * gamma * tau1**2) / (4 * math.pi) * 2 / cc * np.arctan(V / (2 * cc))
    c = bias_curve(LossyLattice(0, tau1, gamma, math.inf), V)
    np.testing.assert_allclose(c.I, exact, rtol=0, atol=1e-14 * np.max(exact))


def test_bias_curve_needs_wide_band_leads():
    with pytest.raises(ValueError, match="Lambda = inf"):
        bias_curve(LossyLattice(2, 0.1, 0.5, 1.0), [1.0])
