"""Steady currents of the lattice's bundled model file (tunnelkit.models.lossy_lattice, Model.current) checked against routes
that do not use the transmission closed forms: Breit-Wigner areas, the one-site closed form, the direct
solver's absorption integrated, exact limits.  The paper's I is (I_L - I_R)/2, its Q (Q_L - Q_R)/2."""
import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest

from types import SimpleNamespace

from numeric.models.greens import solve
from numeric.quadrature import integrate
from tunnelkit.models.lossy_lattice import lattice_model


def lattice(M, tau1, gamma, Lambda=1.0, V=0.0):
    """The bundled model with these parameters (floats as their exact binary values, strings exact)."""
    text = lambda x: x if isinstance(x, str) else ("inf" if x == math.inf else repr(float(x)))  # noqa: E731
    return lattice_model(M, text(tau1), text(gamma), text(Lambda), text(V))


def currents(model, *, muL=None, muR=None, TL=0.0, TR=0.0, stats="fermi", dps=None, rtol=1e-10):
    """The paper's I = (I_L - I_R)/2, Q = (Q_L - Q_R)/2, the loss and the error estimate (as ``error_I``);
    mu = -inf is an empty lead, the default mu_L,R = +-V/2 (exact: V is a parameter of the model)."""
    V = Fraction(str(model.values["V"]))
    muL, muR = (V / 2 if muL is None else muL), (-V / 2 if muR is None else muR)
    leads = {p: {"mu": mu if dps is not None or isinstance(mu, str) else float(mu), "T": T}
             for p, mu, T in (("L", muL, TL), ("R", muR, TR)) if mu != -math.inf}
    c = model.current(leads, stats=stats, dps=dps, rtol=rtol)
    Q = (c.Q["L"] - c.Q["R"]) / 2 if c.Q else None
    with mpmath.workdps((dps or 15) + 10):  # mpf differences at the digits they were computed to
        I = (c.I["L"] - c.I["R"]) / 2
    return SimpleNamespace(I=I, Q=Q, loss=c.loss, error_I=c.error_estimate)


def end_weights(M):
    """Isolated-chain eigenfrequencies and |phi_n(M)|^2 by direct diagonalisation."""
    n = 2 * M + 1
    ev, vec = np.linalg.eigh(-np.eye(n, k=1) - np.eye(n, k=-1))
    return ev, vec[-1] ** 2


@pytest.mark.parametrize("M", [1, 2, 3])
def test_fig2_gamma0_plateaus_are_breit_wigner_areas(M):
    # each open channel adds Gamma_L Gamma_R / (Gamma_L + Gamma_R) = tau1^2 phi_n(M)^2 to I
    ev, wt = end_weights(M)
    steps = np.unique(np.round(2 * np.abs(ev), 12))
    dev = {}
    for tau1 in (0.1, 0.01):
        worst = 0.0
        for lo, hi in zip(steps, list(steps[1:]) + [4.0]):
            V = (lo + hi) / 2
            I = currents(lattice(M, tau1, 0.0, math.inf, V)).I
            worst = max(worst, abs(I / tau1**2 - wt[np.abs(ev) < V / 2].sum()))
        dev[tau1] = worst
    assert dev[0.01] < 1e-4
    assert dev[0.1] / dev[0.01] > 30  # the deviation is the O(tau1^2) tail of the Lorentzians


def test_narrow_resonances_converge_at_tau1_1e_3():
    # resonance widths ~ tau1^2 = 1e-6: the plateau must still be the Breit-Wigner area,
    # with an error estimate that is honest (below the deviation budget) and small
    ev, wt = end_weights(2)
    for g, V in ((0.0, 1.0), (0.0, 3.0)):
        c = currents(lattice(2, 1e-3, g, math.inf, V))
        assert abs(c.I / 1e-6 - wt[np.abs(ev) < V / 2].sum()) < 1e-5
        assert c.error_I < 1e-9 * c.I  # (the general core's estimate is referred to the gross flows)
    a = currents(lattice(2, 1e-3, 0.5, math.inf, 1.0))
    b = currents(lattice(2, 1e-3, 0.5, math.inf, 1.0), dps=20)
    assert abs(a.I - float(b.I)) < 1e-10 * float(b.I)


def test_loss_rate_equals_integrated_absorption_of_the_direct_solve():
    lat = lattice(3, 0.1, 0.5, 1.0)
    c = currents(lat, muL=0.3, muR=-math.inf)
    tb = lat.tight_binding()

    def absorbed(w):
        d = solve(tb, w)
        return np.nan_to_num(d.absorbed("L")) / (2 * math.pi)

    poles_pts = list(np.linspace(-2, 0.3, 400))
    v, e = integrate(absorbed, -2.0, 0.3, points=poles_pts, rtol=1e-12)
    assert abs(c.loss - v[0]) < 1e-10 * abs(v[0])


def test_equilibrium_carries_no_current_but_loses_particles():
    lat = lattice(2, 0.2, 0.5, 1.5, 0.0)
    c = currents(lat, muL=0.2, muR=0.2, TL=0.3, TR=0.3)
    assert abs(c.I) < 1e-14 and abs(c.Q) < 1e-14 and c.loss > 1e-3


def test_zero_temperature_is_the_limit_of_small_temperature():
    lat = lattice(2, 0.3, 0.5, 1.0)
    I0 = currents(lat, muL=0.4, muR=-math.inf).I
    diffs = [abs(currents(lat, muL=0.4, muR=-math.inf, TL=T).I - I0) for T in (1e-3, 1e-4)]
    assert diffs[1] < diffs[0] / 30  # O(T^2) Sommerfeld correction away from resonances


def test_double_and_mpmath_currents_agree():
    lat = lattice(2, 0.1, 5.0, math.inf, 1.0)
    a = currents(lat)
    b = currents(lat, dps=25)
    assert abs(a.I - float(b.I)) <= 1e-12 * abs(float(b.I))
    assert abs(a.loss - float(b.loss)) <= 1e-12 * abs(float(b.loss))
    assert float(b.error_I) < 1e-20


def test_bose_current_at_the_band_bottom_double_vs_mpmath():
    lat = lattice(3, 0.1, 0.5, 1.0)
    # (the general core takes a Bose mu strictly below the band bottom -2)
    a = currents(lat, muL=-2.001, muR=-math.inf, TL=0.5, stats="bose")
    b = currents(lat, muL=-2.001, muR=-math.inf, TL=0.5, stats="bose", dps=20)
    assert a.I > 0 and abs(a.I - float(b.I)) <= 1e-9 * float(b.I)


def single_site_closed_form(tau1, gamma, V, dps=70):
    """M = 0, Lambda = inf, mu_L,R = +-V/2: one site with Sigma = -i tau1^2 per lead and loss gamma.

    G = 1/(omega + 2i tau1^2 + i gamma/2) =: 1/(omega + i c), t_L = t_R = (8 tau1^4 + 2 gamma tau1^2)/(omega^2 + c^2),
    so I = (8 tau1^4 + 2 gamma tau1^2)/(4 pi) (2/c) atan(V/2c) and gamma n_0 = gamma tau1^2 / c (any V).
    """
    with mpmath.workdps(dps):
        tau1, gamma, V = (mpmath.mpf(x.numerator) / x.denominator for x in map(Fraction, (tau1, gamma, V)))
        c = 2 * tau1**2 + gamma / 2
        return ((8 * tau1**4 + 2 * gamma * tau1**2) / (4 * mpmath.pi) * 2 / c * mpmath.atan(V / (2 * c)),
                gamma * tau1**2 / c)


@pytest.mark.parametrize("tau1,gamma,V", [(0.1, 0.0, 1.0), (0.3, 0.7, 0.4), (0.05, 2.0, 3.0)])
def test_single_site_currents_against_the_closed_form(tau1, gamma, V):
    I, loss = single_site_closed_form(tau1, gamma, V)
    c = currents(lattice(0, tau1, gamma, math.inf, V))
    assert abs(c.I / float(I) - 1) < 1e-13 and abs(c.loss - float(loss)) < 1e-13 * float(loss) + 1e-300
    assert c.error_I < 1e-12 * c.I


def test_fifty_digits_against_the_closed_form():
    # dps = 50: I and the loss rate to 50 digits (tails to -inf included), Q = 0 by symmetry
    I, loss = single_site_closed_form(0.125, 0.5, 1.0)
    c = currents(lattice(0, 0.125, 0.5, math.inf, 1.0), dps=50)
    with mpmath.workdps(70):
        assert abs(c.I / I - 1) < mpmath.mpf(10) ** -50 and abs(c.loss / loss - 1) < mpmath.mpf(10) ** -50
        assert c.error_I < mpmath.mpf(10) ** -50 * I


def test_decimal_chemical_potentials_are_exact_on_the_dps_path():
    # mu_L = -mu_R = "0.1" is 1/10 (V = 1/5 in the closed form); the double 0.1 would differ at 1e-17
    I, _ = single_site_closed_form(0.125, 0.5, Fraction(1, 5), dps=60)
    lat = lattice(0, 0.125, 0.5, math.inf, 0.0)
    c = currents(lat, muL="0.1", muR="-0.1", dps=40)
    off = currents(lat, muL=0.1, muR=-0.1, dps=40)
    with mpmath.workdps(60):
        assert abs(c.I / I - 1) < mpmath.mpf(10) ** -40
        assert abs(off.I / I - 1) > mpmath.mpf(10) ** -20


def test_dps_path_converges_between_two_precisions():
    # finite Lambda, different leads, finite temperature: 18 digits at dps 18 and dps 26 agree
    lat = lattice(1, 0.1, 0.5, 1.5, 0.3)
    a = currents(lat, muL=0.2, muR=-0.4, TL=0.05, dps=18)
    b = currents(lat, muL=0.2, muR=-0.4, TL=0.05, dps=26)
    d = currents(lat, muL=0.2, muR=-0.4, TL=0.05)
    with mpmath.workdps(45):
        for x, y in ((a.I, b.I), (a.loss, b.loss)):
            assert abs(x - y) <= mpmath.mpf(10) ** -18 * abs(y)
    assert abs(d.I - float(b.I)) <= 1e-12 * abs(float(b.I))


def test_energy_current_of_a_wide_band_lead_filled_to_minus_infinity_diverges():
    # the lossy site alone (M = 0) with Lambda = inf: absorbed ~ Gamma gamma/omega^2, int^{mu} omega a diverges
    # like log; I and the loss stay finite (M >= 1: absorbed ~ omega^-4, Q finite: tests/numeric/models/test_general_core.py)
    c = currents(lattice(0, 0.1, 0.5, math.inf), muL=0.3, muR=-math.inf)
    assert c.Q == -math.inf and math.isfinite(c.I) and c.I > 0 and math.isfinite(c.loss)
    c = currents(lattice(1, 0.1, 0.5, 1.0), muL=0.3, muR=-math.inf)
    assert math.isfinite(c.Q)


def test_long_chain_plateau_is_the_sum_of_end_weights():
    # M = 40 (poles from perturbation theory + Aberth): gamma = 0 plateau between two levels, within the
    # O(width/spacing) tails of the 81 Lorentzians (~2e-6 here)
    M, tau1 = 40, 0.03
    ev, wt = end_weights(M)
    k = M + 5  # a gap above the centre
    V = float(ev[k] + ev[k + 1])  # mu_L = V/2 in the middle of the gap; the window is symmetric
    c = currents(lattice(M, tau1, 0.0, math.inf, V))
    assert abs(c.I / tau1**2 - wt[np.abs(ev) < V / 2].sum()) < 1e-5 * c.I / tau1**2


def test_breakpoints_within_rounding_of_an_exact_band_edge():
    """V = 0.4 as a double puts the exact band edge -V/2 - 2 at -1.80000000000000001 while the double
    breakpoint -1.8 lies 3e-17 below it: a panel between them would be narrower than one double
    (it raised ValueError). Checked against the same lattice with the edge exactly at -9/5."""
    lat_float = lattice(M=1, tau1=0.5, gamma=1.0, Lambda=1.0, V=0.4)
    lat_exact = lattice(M=1, tau1=0.5, gamma=1.0, Lambda=1.0, V="0.4")
    kw = dict(muL=0.2, muR=-1.0, TL=0.1, TR=0.05)
    a, b = currents(lat_float, **kw), currents(lat_exact, **kw)
    assert abs(a.I - b.I) <= 1e-12 * abs(b.I) + 1e-15


@pytest.mark.parametrize("Lam, V", [(1.0, 1.0), (2.5, 0.6)])
def test_energy_current_with_dps_against_a_quadrature_of_the_direct_flows(Lam, V):
    """Q = (Q_L - Q_R)/2 with dps (it was printed null: the mpmath currents had no energy column) against
    SciPy's quad_vec of omega x the direct solver's flows, and the double route's Q."""
    from tests.numeric.lattice_reference import lattice_currents

    model = lattice(2, 0.1, 0.5, Lam, V)
    ref = lattice_currents(model.tight_binding(), 2, 0.1, 0.5, Lam, (V / 2, -V / 2), energy=True)
    b, a = currents(model, dps=20), currents(model)
    assert abs(float(b.Q) - ref["Q"]) < 1e-9 * abs(ref["Q"]) and abs(a.Q - float(b.Q)) < 1e-9 * abs(float(b.Q))
    assert abs(float(b.I) - ref["I"]) < 1e-9 * abs(ref["I"])


def test_cli_current_prints_q_with_dps(capsys):
    import json

    from tunnelkit.cli import main

    argv = ["current", "--M", "2", "--tau1", "0.1", "--gamma", "0.5", "--Lambda", "1", "--V", "1", "--json"]
    assert main(argv) == 0
    dbl = json.loads(capsys.readouterr().out)
    assert main(argv + ["--dps", "20"]) == 0
    mp = json.loads(capsys.readouterr().out)
    assert mp["Q"] is not None and abs(float(mp["Q"]) - dbl["Q"]) < 1e-9 * abs(dbl["Q"])
    assert float(mp["error_estimate_Q"]) < 1e-19
