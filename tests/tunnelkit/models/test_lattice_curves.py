"""Cumulative current curves of the lattice's bundled model file (Model.current_curve) against per-point adaptive
quadrature (Model.current: a different integration of I) and the one-site Lorentzian integral."""
import math

import numpy as np
import pytest

from tunnelkit.models.lossy_lattice import lattice_model


def paper_I(c, k=None):
    """The paper's I = (I_L - I_R)/2 of a Currents (k None) or a CurrentCurve."""
    return (c.I["L"] - c.I["R"]) / 2


@pytest.mark.parametrize("case", [(3, "0.1", "0.5", "1", "0"), (2, "0.01", "5", "3", "0.4"), (1, "0.3", "1", "2", "-1.5")],
                         ids=["fig3", "narrow", "biased"])
def test_curve_matches_per_point(case):
    M, tau1, gamma, Lam, V = case
    model = lattice_model(*case)
    lo, hi = float(V) / 2 - 2 * float(Lam), float(V) / 2 + 2 * float(Lam)  # the left lead's band
    mus = np.linspace(lo - 0.1, hi + 0.1, 400)
    c = model.current_curve({"L": mus})
    I = paper_I(c)
    assert np.all(I[mus <= lo] == 0)
    sel = np.arange(5, 400, 49)
    ref = np.array([paper_I(model.current({"L": {"mu": float(m)}}, rtol=1e-13)) for m in mus[sel]])
    nz = np.abs(ref) > 0
    assert np.max(np.abs(I[sel] - ref)[nz] / np.abs(ref[nz])) < 1e-12


@pytest.mark.parametrize("gamma", ["0", "0.5", "5", "100"])
def test_bias_curve_matches_per_point(gamma):
    # Fig. 2: one cumulative integration with mu_L,R = +-V/2 (wide-band leads: V enters only through them) against
    # adaptive integrals per point
    V = np.linspace(0.0, 4.0, 401)
    c = lattice_model(2, "0.1", gamma, "inf").current_curve({"L": V / 2, "R": -V / 2})
    sel = [0, 37, 100, 173, 199, 250, 400]
    ref = np.array([paper_I(lattice_model(2, "0.1", gamma, "inf", repr(float(V[i]))).current(
        {"L": {"mu": V[i] / 2}, "R": {"mu": -V[i] / 2}})) for i in sel])
    I = paper_I(c)
    assert I[0] == 0.0 or abs(I[0]) < 1e-16
    assert np.max(np.abs(I[sel] - ref)) < 1e-13 * np.max(ref)


def test_bias_curve_of_one_site_is_the_lorentzian_integral():
    # M = 0: t_L = t_R = (8 tau1^4 + 2 gamma tau1^2)/(omega^2 + c^2), c = 2 tau1^2 + gamma/2 (single-site Green's
    # function with Sigma = -i tau1^2 per lead), so I(V) = (8 tau1^4 + 2 gamma tau1^2)/(4 pi) (2/c) atan(V/2c)
    tau1, gamma = 0.2, 0.3
    V = np.linspace(-3.0, 3.0, 61)
    cc = 2 * tau1**2 + gamma / 2
    exact = (8 * tau1**4 + 2 * gamma * tau1**2) / (4 * math.pi) * 2 / cc * np.arctan(V / (2 * cc))
    c = lattice_model(0, "0.2", "0.3", "inf").current_curve({"L": V / 2, "R": -V / 2})
    np.testing.assert_allclose(paper_I(c), exact, rtol=0, atol=1e-14 * np.max(exact))
