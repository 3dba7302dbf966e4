"""Model files probed as a demanding user would (docs/model-files.md, docs/cli.md): extreme values, huge sizes.

Expected numbers come from an independent route: the retarded Green's function of the region
G = (omega - H - Sigma)^-1 in exact SymPy arithmetic, with each lead's surface Green's function the
root of g = 1/(omega - eps - t^2 g) that decays (outside the band) or is retarded (inside), or an
exact limit.
"""
from __future__ import annotations

import json

import pytest
import sympy as sp

from tunnelkit.cli import main

R = sp.Rational
PAIR = """
[parameters]
eps = {}
gamma = { range = ">= 0" }
t = { range = "> 0" }
[sites]
a = "eps - I*gamma/2"
b = "0.3"
[[hopping]]
sites = ["a", "b"]
value = "-t"
[[lead]]
name = "L"
site = "a"
hopping = "-1.5"
coupling = "-0.8"
[[lead]]
name = "R"
site = "b"
hopping = "-1"
potential = "0.5"
coupling = "-0.5"
"""
WIRE = """
[parameters]
N = { kind = "integer", range = ">= 1" }
[sites]
d = "-I/4"
[[segment]]
name = "w"
length = "N"
hopping = "-1"
[[hopping]]
sites = ["d", "w.first"]
value = "-1"
[[lead]]
name = "L"
site = "d"
hopping = "-1"
coupling = "-0.5"
[[lead]]
name = "R"
site = "w.last"
hopping = "-1"
coupling = "-0.5"
"""


def surface_g(w, t, eps):
    """Exact surface Green's function of a semi-infinite chain (hopping t, on-site eps) at real w."""
    x, t = w - eps, abs(t)
    if abs(x) < 2 * t:
        return (x - sp.I * sp.sqrt(4 * t**2 - x**2)) / (2 * t**2)
    return (x - sp.sign(x) * sp.sqrt(x**2 - 4 * t**2)) / (2 * t**2)


def exact_pair_T2(eps, gamma, t, w):
    """T2:L->R = Gamma_L Gamma_R |G_ba|^2 of the PAIR model, exact."""
    sig_l, sig_r = R(16, 25) * surface_g(w, R(3, 2), 0), R(1, 4) * surface_g(w, 1, R(1, 2))
    A = sp.Matrix([[w - eps + sp.I * gamma / 2 - sig_l, t], [t, w - R(3, 10) - sig_r]])
    gam_l, gam_r = -2 * sp.im(sig_l), -2 * sp.im(sig_r)
    return gam_l * gam_r * sp.Abs(A.inv()[1, 0]) ** 2


def run(capsys, tmp_path, text, argv):
    path = tmp_path / "m.toml"
    path.write_text(text)
    code = main([argv[0], "--model", str(path), *argv[1:]])
    out, err = capsys.readouterr()
    return code, out, err


def test_value_beyond_doubles_is_refused_without_dps_and_exact_with_it(capsys, tmp_path):
    p = ["--param", "eps=1e400", "--param", "gamma=0.4", "--param", "t=0.7", "--omega", "0"]
    code, out, err = run(capsys, tmp_path, PAIR, ["transmission", *p, "--json"])
    assert code == 2 and out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert "eps" in err and "dps" in err and "1.798e+308" in err
    code, out, err = run(capsys, tmp_path, PAIR, ["transmission", *p, "--dps", "20", "--json"])
    assert code == 0, err
    got = sp.Float(json.loads(out)["T2"]["L->R"][0], 30)
    ref = sp.N(exact_pair_T2(R(10) ** 400, R(2, 5), R(7, 10), 0), 40)  # ~1.76e-800
    assert abs(got - ref) <= abs(ref) * sp.Float("1e-19")


def test_closed_form_overflow_falls_back_to_the_direct_solver(capsys, tmp_path):
    # t = 1e300 (in range): the closed form's t**2 products overflow doubles; the exact answer at
    # omega = 0 is T2 ~ 1e-600 (below the doubles), R2 = 1 - O(1e-600), absorbed ~ 1e-600.
    p = ["--param", "eps=0.1", "--param", "gamma=0.4", "--param", "t=1e300", "--omega", "0,1"]
    code, out, err = run(capsys, tmp_path, PAIR, ["transmission", *p, "--json"])
    assert code == 0, err
    obj = json.loads(out)
    for lead in ("L", "R"):
        assert obj["R2"][lead] == [1.0, 1.0]
        assert all(0 <= a < 1e-300 for a in obj["absorbed"][lead])
    assert all(0 <= x < 1e-300 for x in obj["T2"]["L->R"] + obj["T2"]["R->L"])


def test_huge_segment_is_refused_before_any_work(capsys, tmp_path):
    code, out, err = run(capsys, tmp_path, WIRE, ["transmission", "--param", "N=1000000000", "--omega", "0.5"])
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "[[segment]] w" in err and "1000000" in err


def test_long_segment_below_the_limit_agrees_with_exact_arithmetic(capsys, tmp_path):
    # N = 3 against the exact Green's function of the 4-site region
    code, out, err = run(capsys, tmp_path, WIRE, ["transmission", "--param", "N=3", "--omega", "0.5",
                                                  "--dps", "25", "--json"])
    assert code == 0, err
    w = R(1, 2)
    H = sp.Matrix(4, 4, lambda i, j: -1 if abs(i - j) == 1 else 0)
    H[0, 0] = -sp.I / 4
    sig = R(1, 4) * surface_g(w, 1, 0)
    A = w * sp.eye(4) - H
    A[0, 0] -= sig
    A[3, 3] -= sig
    ref = sp.N((-2 * sp.im(sig)) ** 2 * sp.Abs(A.inv()[3, 0]) ** 2, 40)
    got = sp.Float(json.loads(out)["T2"]["L->R"][0], 30)
    assert abs(got - ref) <= abs(ref) * sp.Float("1e-24")


@pytest.mark.parametrize("value, named", [("10**10**10", "4096"), ("1e99999999", "100000"),
                                          ("2^(2^13)", "4096")])
def test_constant_too_large_to_compute_exactly_is_refused(capsys, tmp_path, value, named):
    # exact arithmetic of these would not finish (SymPy, Fractions): refused when the file is read
    text = PAIR.replace('b = "0.3"', f'b = "{value}"')
    code, out, err = run(capsys, tmp_path, text, ["transmission", "--param", "eps=0", "--param", "gamma=0",
                                                  "--param", "t=1", "--omega", "0"])
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "[sites] b" in err and named in err


def test_parameter_with_a_huge_decimal_exponent_is_refused(capsys, tmp_path):
    code, out, err = run(capsys, tmp_path, PAIR, ["transmission", "--param", "eps=1e999999999", "--param",
                                                  "gamma=0", "--param", "t=1", "--omega", "0", "--dps", "20"])
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "eps" in err and "100000" in err


ONE_SITE = """
[sites]
a = "0.2"
[[lead]]
name = "L"
site = "a"
hopping = "-1"
potential = "POT"
coupling = "-0.7"
"""


@pytest.mark.parametrize("dps", [[], ["--dps", "20"]])
def test_complex_lead_potential_is_refused(capsys, tmp_path, dps):
    # a lead is a Hermitian chain: with potential I it has no propagating modes and every number came
    # out null (exit 0); docs/model-files.md puts complex energies on region sites
    code, out, err = run(capsys, tmp_path, ONE_SITE.replace("POT", "I"), ["transmission", "--omega", "0.5", *dps])
    assert code == 2 and out == "" and err.count("\n") == 1 and "lead L potential" in err and "real" in err


def test_lead_potential_written_complex_but_real_is_accepted(capsys, tmp_path):
    # exp(I*pi) = -1: a lossless region on one lead reflects everything (|S| = 1 exactly) on its band
    code, out, err = run(capsys, tmp_path, ONE_SITE.replace("POT", "exp(I*pi)"),
                         ["transmission", "--omega", "0.5", "--dps", "25", "--json"])
    assert code == 0, err
    assert abs(sp.Float(json.loads(out)["R2"]["L"][0], 30) - 1) < sp.Float("1e-25")


@pytest.mark.parametrize("value, says", [("gamma=-1", "gamma must be a real number >= 0 (got -1)"),
                                         ("eps=abc", "eps must be a real number (got abc)"),
                                         ("t=1e99999999", "t must be a real number > 0 with a decimal exponent")])
def test_derive_checks_the_given_values_like_the_numeric_commands(capsys, tmp_path, value, says):
    # the derive path reported "where: gamma must be >= 0" or "unknown name 'abc' in 'abc'"
    code, out, err = run(capsys, tmp_path, PAIR, ["derive", "R2:L", "--param", value])
    assert code == 2 and out == "" and err.count("\n") == 1 and says in err and "where:" not in err


def test_current_of_a_long_region_against_landauer_quadrature(tmp_path):
    # 151 sites: the resonance search followed every eigenvalue (O(n^4); 234 s at 201 sites); the
    # reference is scipy's quad of the spec's I_p with banded solves of G = (omega - H - Sigma)^-1,
    # Sigma = -i tau^2 (wide band), split into short intervals plus the tail below the band
    import numpy as np
    from scipy.integrate import quad
    from scipy.linalg import solve_banded

    from tunnelkit.models.model import Model

    path = tmp_path / "wire.toml"
    path.write_text(WIRE.replace('hopping = "-1"\ncoupling = "-0.5"', 'hopping = "-Lambda"\n'
                                 'coupling = "-0.3*sqrt(Lambda)"').replace(
        'N = { kind = "integer", range = ">= 1" }', 'N = { kind = "integer", range = ">= 1" }\n'
        'Lambda = { range = ">= 1" }'))
    c = Model.from_file(path).with_params(N=150, Lambda="inf").current({"L": {"mu": "0.5", "T": "0.1"}})
    n, gam = 151, 0.18

    def col0(w):
        ab = np.zeros((3, n), complex)
        ab[0, 1:], ab[2, :-1], ab[1, :] = 1, 1, w
        ab[1, 0] += 0.25j + 0.09j
        ab[1, -1] += 0.09j
        return solve_banded((1, 1), ab, np.eye(n, 1, dtype=complex)[:, 0])

    f = lambda w: 1 / (np.exp((w - 0.5) / 0.1) + 1)  # noqa: E731
    i_l = lambda w: f(w) * (1 - abs(-1 + 1j * gam * col0(w)[0]) ** 2) / (2 * np.pi)  # noqa: E731
    i_r = lambda w: -f(w) * gam**2 * abs(col0(w)[-1]) ** 2 / (2 * np.pi)  # noqa: E731
    cuts = np.linspace(-2.5, 4.5, 400)
    ref = {k: quad(g, -np.inf, -2.5, epsabs=1e-15, limit=500)[0] +
           sum(quad(g, a, b, epsabs=1e-15, epsrel=1e-12, limit=200)[0] for a, b in zip(cuts[:-1], cuts[1:]))
           for k, g in (("L", i_l), ("R", i_r))}
    assert c.I["L"] == pytest.approx(ref["L"], rel=1e-9) and c.I["R"] == pytest.approx(ref["R"], rel=1e-9)
    assert c.loss == pytest.approx(ref["L"] + ref["R"], rel=1e-9)


def test_transmission_work_is_bounded_before_any_work(capsys, tmp_path):
    # 10^6 sites x 201 frequencies (~100 s and 1 GB per 2 frequencies) and a list over the 1e5 of docs/cli.md
    code, out, err = run(capsys, tmp_path, WIRE, ["transmission", "--param", "N=999999", "--omega",
                                                  ",".join(["0.5"] * 201)])
    assert code == 2 and out == "" and err.count("\n") == 1 and "--omega takes at most 200 frequencies" in err
    code, out, err = run(capsys, tmp_path, WIRE, ["transmission", "--param", "N=1", "--omega",
                                                  ",".join(["0.5"] * 100001)])
    assert code == 2 and out == "" and "--omega takes at most 100000 values" in err


def test_current_region_size_is_bounded_before_any_work(capsys, tmp_path):
    # 2001 sites ran for minutes and took 5.8 GB
    code, out, err = run(capsys, tmp_path, WIRE, ["current", "--param", "N=2000", "--lead", "L:mu=0.5,T=0.1"])
    assert code == 2 and out == "" and err.count("\n") == 1 and "at most 1000 sites" in err and "2001" in err
