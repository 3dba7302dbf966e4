r"""Paper files on the real model route (``examples/models/*.toml``: the derivation and the direct solve).

The printed equations are closed forms derived by hand for a lossy dot (level eps, loss gamma)
coupled by tau to two leads of hopping 1 (surface Green's function g = (omega - i s)/2 in the band,
s = sqrt(4 - omega^2), so Sigma = tau^2 g per lead and Gamma = tau^2 s):

.. math:: S_{LL} = \frac{-(\omega(1-\tau^2) - \varepsilon) - i\gamma/2}{\omega(1-\tau^2) - \varepsilon
          + i\gamma/2 + i\tau^2 s}

Outside the band (|omega| > 2) the leads carry no wave: R2 and absorbed are null there (docs/model-files.md).
"""
from __future__ import annotations

import json

from pathlib import Path

import sympy as sp

from derive.claims.claim_decision import decide_equal
from derive.latex.latex_reader import read_equation
from tunnelkit import cli
from tunnelkit.claims import paper_verify as PV
MODELS = Path(__file__).resolve().parents[3] / "examples" / "models"
HEAD = """[paper]
id = "dot"
model = "{model}"
[symbols]
omega = '\\omega'
eps = '\\epsilon'
gamma = '\\gamma'
tau = '\\tau'
"""
T2_HAND = (r"|t|^2 = \frac{\tau^4 (4-\omega^2)}"
           r"{(\omega(1-\tau^2) - \epsilon)^2 + (\gamma/2 + \tau^2\sqrt{4-\omega^2})^2}")
R2_HAND = (r"|r|^2 = \frac{(\omega(1-\tau^2) - \epsilon)^2 + \gamma^2/4}"
           r"{(\omega(1-\tau^2) - \epsilon)^2 + (\gamma/2 + \tau^2\sqrt{4-\omega^2})^2}")


def verify(tmp_path: Path, equations: str, model: str = "lossy_dot.toml"):
    path = tmp_path / "p.toml"
    path.write_text(HEAD.format(model=(MODELS / model).as_posix()) + equations)
    return {o.id.split(":")[1]: o.result for o in PV.verify_paper(path, use_cache=False)[1]}


def test_null_quantities_are_not_evidence(tmp_path):
    """R2/absorbed where the lead is closed have no value: not verified, not an erratum there."""
    out = verify(tmp_path, f"""
[[equation]]
number = "band"
claims = "R2:L"
latex = '{R2_HAND}'
[[equation]]
number = "closed"
claims = "R2:L"
latex = '|r|^2 = 1'
where = {{ omega = 3 }}
[[equation]]
number = "closed-wrong"
claims = "absorbed:L"
latex = 'A = \\frac12'
where = {{ omega = 3 }}
[[equation]]
number = "opaque"
claims = "T2:L->R"
latex = '|t|^2 = 0'
where = {{ gamma = "inf" }}
[[equation]]
number = "T-closed"
claims = "T2:L->R"
latex = '|t|^2 = 0'
where = {{ omega = 3 }}
""")
    # the hand formula holds in the band; the points outside it (sampled omega in [-3, 3]) are skipped
    assert out["band"].status == "verified" and "direct solve agrees" in out["band"].detail, out["band"]
    for n in ("closed", "closed-wrong"):
        assert out[n].status == "unverifiable" and "no value" in out[n].detail, out[n]
    assert out["T-closed"].status == "verified"  # T2 is 0 (not null) where the leads are closed
    # G ~ 2i/gamma -> 0: a limit the direct solve cannot take is not a null value
    assert out["opaque"].status == "verified" and "no direct-solve value" in out["opaque"].detail, out["opaque"]


def test_corrected_form_inside_the_band_has_real_roots(tmp_path):
    """A misprint in a band formula: the corrected LaTeX is the hand formula, with sqrt(4 - omega^2) and no
    conjugates of roots of negative numbers (sqrt(omega - 2) and its overline, as the derivation writes it)."""
    out = verify(tmp_path, f"""
[[equation]]
number = "sign"
claims = "T2:L->R"
latex = '{T2_HAND.replace("1-", "1+")}'
assume = ["omega > -2", "omega < 2"]
""")
    r = out["sign"]
    assert r.status == "erratum", r
    # the printed form with its sign mended (misprint search) or the derived form rewritten: a root of 4 - omega^2
    assert r"\overline" not in r.corrected and r"\sqrt{4" in r.corrected.replace(" ", ""), r.corrected
    w, eps, g, tau = sp.Symbol("omega", real=True), sp.Symbol("eps", real=True), sp.Symbol("gamma", real=True), \
        sp.Symbol("tau", positive=True)
    table = {w: r"\omega", eps: r"\epsilon", g: r"\gamma", tau: r"\tau"}
    got, = read_equation(r.corrected, table, interpret_lhs=False).rhs
    hand, = read_equation(T2_HAND, table, interpret_lhs=False).rhs
    assert decide_equal(got, hand, conditions=[w > -2, w < 2, g >= 0, tau > 0], npoints=4).holds


def test_a_non_integer_length_is_a_bad_equation(tmp_path, capsys):
    """M is an integer parameter of the anglin lattice: M = 1.5 in where makes the equation unverifiable with the
    reason (it crashed the check), and the report is still written; exit 1."""
    path = tmp_path / "p.toml"
    path.write_text(f"""[paper]
id = "lattice"
model = "{(MODELS / 'anglin_lattice.toml').as_posix()}"
[[equation]]
number = "1"
claims = "T2:L->R"
latex = '|T|^2 = 1'
where = {{ M = 1.5, Lambda = "inf" }}
""")
    report = tmp_path / "r.md"
    assert cli.main(["verify", str(path), "--no-cache", "--report", str(report), "--json"]) == 1
    (check,) = json.loads(capsys.readouterr().out)["checks"]
    assert check["status"] == "unverifiable" and "equation 1: where: M = 1.5 is not an integer" in check["detail"]
    assert report.exists()


def test_where_values_naming_each_other_are_simultaneous(tmp_path):
    """where = { gamma = 1, tau = "gamma" } is tau = gamma = 1 in either order, for the derivation and the direct
    solve alike (one order left gamma free in the derivation, the other fed tau = random gamma to the direct
    solve).  Hand value at omega = 0, tau = gamma = 1: |S|^2 = 4 / (eps^2 + (1/2 + 2)^2)."""
    hand = r"T = \frac{4}{\epsilon^2 + (1/2 + 2)^2}"
    out = verify(tmp_path, f"""
[[equation]]
number = "1"
claims = "T2:L->R"
latex = '{hand}'
where = {{ omega = 0, gamma = 1, tau = "gamma" }}
[[equation]]
number = "2"
claims = "T2:L->R"
latex = '{hand}'
where = {{ omega = 0, tau = "gamma", gamma = 1 }}
""")
    for r in out.values():
        assert r.status == "verified" and "direct solve agrees" in r.detail, r
