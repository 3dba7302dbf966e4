"""Currents of any model (numeric.models.model_currents) against exact integrals and, for the lossy lattice, adaptive
quadrature of the direct solver's flows (lattice_reference)."""
from __future__ import annotations

import math

import pytest
from scipy.integrate import quad

from numeric.errors import ParameterError
from numeric.models.model_currents import Reservoir, model_currents
from numeric.models.tight_binding import from_model
from tests.numeric.lattice_reference import lattice_currents

R = lambda **k: {"kind": "real", "range": None, "about": "", **k}  # noqa: E731


def dot(taus: list[str], *, wide: bool = True) -> dict:
    leads = [{"name": f"P{i}", "site": "d", "hopping": "-Lambda" if wide else "-1", "potential": "0",
              "coupling": f"-{t}*sqrt(Lambda)" if wide else f"-{t}"} for i, t in enumerate(taus)]
    return {"name": "dot", "parameters": {"eps": R(), "gamma": R(range=">= 0"), "Lambda": R(range=">= 1")},
            "sites": {"d": "eps - I*gamma/2"}, "hoppings": [], "segments": [], "leads": leads}


@pytest.mark.parametrize("taus,mus", [(["0.3", "0.5"], [0.4, -0.2]), (["0.3", "0.2", "0.6"], [0.1, -math.inf, 0.7])])
def test_wide_band_dot_against_the_lorentzian_integral(taus, mus):
    eps, gamma = 0.15, 0.4
    tb = from_model(dot(taus), {"eps": eps, "gamma": gamma, "Lambda": "inf"})
    c = model_currents(tb, {f"P{i}": Reservoir(mu) for i, mu in enumerate(mus)})
    G = [2 * float(t) ** 2 for t in taus]  # Gamma_p = 2 tau_p^2 in the wide-band limit
    g = (gamma + sum(G)) / 2
    F = lambda mu: 0.0 if mu == -math.inf else (math.pi / 2 + math.atan((mu - eps) / g)) / g  # int^mu |G|^2
    for p, mu in enumerate(mus):
        out = sum(G[p] * G[q] for q in range(len(G)) if q != p) + G[p] * gamma
        I = (out * F(mu) - sum(G[q] * G[p] * F(mus[q]) for q in range(len(G)) if q != p)) / (2 * math.pi)
        assert c.I[f"P{p}"] == pytest.approx(I, rel=1e-9, abs=1e-12)
    loss = sum(G[p] * gamma * F(mu) for p, mu in enumerate(mus)) / (2 * math.pi)
    assert c.loss == pytest.approx(loss, rel=1e-9)
    assert sum(c.I.values()) == pytest.approx(c.loss, rel=1e-9)
    assert c.error_estimate < 1e-8 * loss


ANGLIN = {"name": "anglin", "parameters": {"tau1": R(range="> 0"), "gamma": R(range=">= 0"),
                                           "Lambda": R(range=">= 1"), "V": R(),
                                           "M": R(kind="integer", range=">= 1")},
          "sites": {"c": "-I*gamma/2"},
          "segments": [{"name": "left", "length": "M", "energy": "0", "hopping": "-1"},
                       {"name": "right", "length": "M", "energy": "0", "hopping": "-1"}],
          "hoppings": [{"sites": ["left.last", "c"], "value": "-1", "reverse": None},
                       {"sites": ["c", "right.first"], "value": "-1", "reverse": None}],
          "leads": [{"name": "L", "site": "left.first", "hopping": "-Lambda", "potential": "V/2",
                     "coupling": "-tau1*sqrt(Lambda)"},
                    {"name": "R", "site": "right.last", "hopping": "-Lambda", "potential": "-V/2",
                     "coupling": "-tau1*sqrt(Lambda)"}]}


@pytest.mark.parametrize("M,tau1,gamma,Lam,V,muL,muR,TL,TR", [
    (2, 0.3, 5.0, math.inf, 1.0, 0.5, -0.5, 0.0, 0.0),
    (1, 0.5, 1.0, 1.0, 0.4, 0.2, -1.0, 0.1, 0.05),
    (3, 0.2, 0.5, 4.0, 0.0, 0.3, -math.inf, 0.0, 0.0),
])
def test_lossy_lattice_model_against_a_quadrature_of_the_direct_flows(M, tau1, gamma, Lam, V, muL, muR, TL, TR):
    """The paper's I of Eq. 22/38 is (I_L - I_R)/2 (docs/model-files.md); the loss is gamma n_0."""
    tb = from_model(ANGLIN, dict(M=M, tau1=tau1, gamma=gamma, Lambda=Lam, V=V))
    c = model_currents(tb, {"L": Reservoir(muL, TL), "R": Reservoir(muR, TR)}, rtol=1e-12)
    ref = lattice_currents(tb, M, tau1, gamma, Lam, (muL, muR), (TL, TR))
    assert (c.I["L"] - c.I["R"]) / 2 == pytest.approx(ref["I"], rel=1e-9)
    assert c.loss == pytest.approx(ref["loss"], rel=1e-9)


def test_bosons_in_finite_bands_against_a_direct_quadrature():
    """One lossy site between chains of hopping -1: T and a from g = (w - i sqrt(4 - w^2))/2, written here."""
    eps, gamma, t1, t2 = 0.3, 0.2, 0.4, 0.6
    tb = from_model(dot([str(t1), str(t2)], wide=False), {"eps": eps, "gamma": gamma, "Lambda": 1})
    res = [(-2.5, 0.7), (-2.2, 0.3)]
    c = model_currents(tb, {"P0": Reservoir(*res[0]), "P1": Reservoir(*res[1])}, stats="bose")

    def parts(w):
        g = (w - 1j * math.sqrt(4 - w * w)) / 2
        G = 1 / (w - eps + 0.5j * gamma - (t1**2 + t2**2) * g)
        G1, G2 = t1**2 * math.sqrt(4 - w * w), t2**2 * math.sqrt(4 - w * w)
        return G1 * G2 * abs(G) ** 2, G1 * gamma * abs(G) ** 2, G2 * gamma * abs(G) ** 2

    bose = lambda w, mu, T: 1 / math.expm1((w - mu) / T)  # noqa: E731
    f0 = lambda w: bose(w, *res[0])  # noqa: E731
    f1 = lambda w: bose(w, *res[1])  # noqa: E731
    I0 = quad(lambda w: (f0(w) - f1(w)) * parts(w)[0] + f0(w) * parts(w)[1], -2, 2, epsabs=1e-14, limit=200)[0]
    loss = quad(lambda w: f0(w) * parts(w)[1] + f1(w) * parts(w)[2], -2, 2, epsabs=1e-14, limit=200)[0]
    assert c.I["P0"] == pytest.approx(I0 / (2 * math.pi), rel=1e-8)
    assert c.loss == pytest.approx(loss / (2 * math.pi), rel=1e-8)
    with pytest.raises(ParameterError, match="below the bottom"):
        model_currents(tb, {"P0": Reservoir(-1.0, 0.1)}, stats="bose")


def test_empty_leads_carry_nothing_and_bad_reservoirs_are_named():
    tb = from_model(dot(["0.3", "0.5"]), {"eps": 0, "gamma": 1, "Lambda": "inf"})
    c = model_currents(tb, {})
    assert c.I == {"P0": 0.0, "P1": 0.0} and c.loss == 0.0
    with pytest.raises(ParameterError, match="lead X"):
        model_currents(tb, {"X": Reservoir(0.0)})
    with pytest.raises(ParameterError, match="lead P0 T"):
        model_currents(tb, {"P0": Reservoir(0.0, -1.0)})


def test_mpmath_currents_give_the_digits_of_the_exact_integral():
    """Wide-band lossy dot at 25 digits against the arctan integral evaluated in mpmath at 40."""
    from numeric.models.model_currents import model_currents_mp

    model = dot(["0.3", "0.5"])
    c = model_currents_mp(lambda: from_model(model, {"eps": "0.15", "gamma": "0.4", "Lambda": "inf"},
                                             backend="mpmath"),
                          {"P0": ("0.4", 0), "P1": ("-0.2", 0)}, dps=25)
    mpmath = pytest.importorskip("mpmath")
    with mpmath.workdps(40):
        eps, gamma, mus = mpmath.mpf("0.15"), mpmath.mpf("0.4"), [mpmath.mpf("0.4"), mpmath.mpf("-0.2")]
        G = [2 * mpmath.mpf("0.3") ** 2, 2 * mpmath.mpf("0.5") ** 2]
        g = (gamma + sum(G)) / 2
        F = lambda mu: (mpmath.pi / 2 + mpmath.atan((mu - eps) / g)) / g  # noqa: E731
        I0 = ((G[0] * G[1] + G[0] * gamma) * F(mus[0]) - G[1] * G[0] * F(mus[1])) / (2 * mpmath.pi)
        loss = sum(G[p] * gamma * F(mus[p]) for p in range(2)) / (2 * mpmath.pi)
        assert abs(c.I["P0"] - I0) < mpmath.mpf(10) ** -25 * abs(I0)
        assert abs(c.loss - loss) < mpmath.mpf(10) ** -25 * loss
        assert c.error_estimate < mpmath.mpf(10) ** -25


def test_mpmath_currents_at_finite_temperature_keep_every_digit():
    """Finite temperatures at 30 digits: the thermal cut of the integration range must follow the precision
    (a fixed cut at mu + 50 T drops e^-50 ~ 2e-22 of the flow).  Independent route: the wide-band dot's
    Lorentzian transmission times the Fermi functions, integrated by mpmath's tanh-sinh over the whole
    line at 50 digits."""
    from numeric.models.model_currents import model_currents_mp

    model = dot(["0.3", "0.5"])
    mus, temps = ["0.4", "-0.2"], ["0.25", "0.1"]
    c = model_currents_mp(lambda: from_model(model, {"eps": "0.15", "gamma": "0.4", "Lambda": "inf"},
                                             backend="mpmath"),
                          {"P0": (mus[0], temps[0]), "P1": (mus[1], temps[1])}, dps=30)
    mpmath = pytest.importorskip("mpmath")
    with mpmath.workdps(50):
        eps, gamma = mpmath.mpf("0.15"), mpmath.mpf("0.4")
        mu, T = [mpmath.mpf(x) for x in mus], [mpmath.mpf(x) for x in temps]
        G = [2 * mpmath.mpf("0.3") ** 2, 2 * mpmath.mpf("0.5") ** 2]
        g = (gamma + sum(G)) / 2
        fermi = lambda w, p: 1 / (mpmath.exp((w - mu[p]) / T[p]) + 1)  # noqa: E731
        D = lambda w: (w - eps) ** 2 + g**2  # noqa: E731
        pts = [-mpmath.inf, mu[1], eps, mu[0], mpmath.inf]
        I0 = mpmath.quad(lambda w: ((G[0] * G[1] + G[0] * gamma) * fermi(w, 0) - G[1] * G[0] * fermi(w, 1)) / D(w),
                         pts) / (2 * mpmath.pi)
        assert abs(c.I["P0"] - I0) < mpmath.mpf(10) ** -30 * abs(I0)
