r"""``derive --model`` prints closed forms a physicist would print (issue 20).

The hand forms are derived on paper (Breit-Wigner algebra with the leads' self-energies
Sigma_p = |c_p|^2 e^{ik_p}/t_p: on a band of a lead with hopping -1, omega = -2 cos k and
Sigma_p = |c_p|^2 (omega - i sqrt(4 - omega^2))/2, Gamma_p = |c_p|^2 sqrt(4 - omega^2)):

* lossy level between identical leads (examples/models/lossy_dot.toml, the issue's form)
  T = tau^4 (4 - omega^2) / [(omega - eps - tau^2 omega)^2 + (tau^2 sqrt(4 - omega^2) + gamma/2)^2];
* side-coupled lossy dot (examples/models/fano_dot.toml), G_aa = (w - eps + i gamma/2)/[i r (w - eps + i gamma/2) - t_d^2]:
  T = (4 - omega^2)[(omega - eps)^2 + gamma^2/4] / [(4 - omega^2)(omega - eps)^2 + (gamma sqrt(4 - omega^2)/2 + t_d^2)^2];
* the same dot between wide-band leads (examples/papers/fano-model.toml, Lambda = inf, Sigma = -i tau1^2 each).

The printed LaTeX is read back with derive.latex.latex_reader and decided equal to the hand form on the band
(exact points); its length is at most 1.5x the hand LaTeX; the printed SymPy form is a function of omega
and the parameters alone and agrees with the direct solve (numeric, no formula shared).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import sympy as sp

from derive.claims.claim_decision import decide_equal
from derive.latex.latex_reader import read_equation
from tunnelkit import Model
from tunnelkit.cli import main

ROOT = Path(__file__).resolve().parents[3]
MODELS = ROOT / "examples" / "models"
om = sp.Symbol("omega", real=True)
eps, gam = sp.Symbol("eps", real=True), sp.Symbol("gamma", nonnegative=True)
tau, t_d, tau1 = sp.Symbol("tau", positive=True), sp.Symbol("t_d", positive=True), sp.Symbol("tau1", positive=True)
CASES = {  # id: (model file, --param, LaTeX of the parameters as the model file declares them or by default, hand)
    "lossy-level": (MODELS / "lossy_dot.toml", {}, {eps: r"\varepsilon_d"},
                    r"\frac{\tau^4(4-\omega^2)}{(\omega-\varepsilon_d-\tau^2\omega)^2"
                    r"+\left(\tau^2\sqrt{4-\omega^2}+\gamma/2\right)^2}"),
    "fano": (MODELS / "fano_dot.toml", {}, {},
             r"\frac{(4-\omega^2)\left[(\omega-\varepsilon)^2+\gamma^2/4\right]}{(4-\omega^2)(\omega-\varepsilon)^2"
             r"+\left(\frac{\gamma}{2}\sqrt{4-\omega^2}+t_{d}^2\right)^2}"),
    "wide-band": (ROOT / "examples" / "papers" / "fano-model.toml", {"Lambda": "inf"}, {},
                  r"\frac{4\tau_{1}^4\left[(\omega-\varepsilon)^2+\gamma^2/4\right]}{\left[\omega(\omega-\varepsilon)"
                  r"-\gamma\tau_{1}^2-t_{d}^2\right]^2+\left[\frac{\omega\gamma}{2}+2\tau_{1}^2(\omega-\varepsilon)\right]^2}"),
}


def _model(tmp_path: Path, case: str) -> Path:
    path, _, latex, _ = CASES[case]
    text = path.read_text()
    for sym, tex in latex.items():  # the model file's own LaTeX of a parameter
        text = re.sub(rf"^({sym.name}\s*=\s*{{)", lambda m: f"{m.group(1)} latex = '{tex}',", text, flags=re.M)
    out = tmp_path / path.name
    out.write_text(text)
    return out


@pytest.mark.parametrize("case", sorted(CASES))
def test_printed_closed_form_is_the_hand_form_and_as_short(tmp_path, case, capsys):
    path, params, latex, hand = CASES[case]
    model = _model(tmp_path, case)
    argv = ["derive", "--model", str(model), "T2:L->R"] + [f"--param={k}={v}" for k, v in params.items()]
    assert main(argv) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    printed = lines[0]
    assert "z_" not in printed and not re.search(r"(?<![a-z])eps", printed) and "|" not in printed, printed
    table = {om: r"\omega", eps: latex.get(eps, r"\varepsilon"), gam: r"\gamma", tau: r"\tau", t_d: "t_{d}",
             tau1: r"\tau_{1}"}
    got = read_equation(printed, table, interpret_lhs=False).rhs[0]
    want = read_equation(hand, table).rhs[0]
    band = [om > -2, om < 2] if "Lambda" not in params else []
    assert decide_equal(got, want, conditions=band + [gam >= 0], npoints=4).holds, printed
    rhs = printed.split(" = ", 1)[1]
    assert len(rhs) <= 1.5 * len(hand), (len(rhs), len(hand), rhs)
    if band:  # the form holds on the band, and the output says so
        assert lines[1] == r"% on the band: |\omega| < 2"


@pytest.mark.parametrize("case", ["lossy-level", "fano"])
def test_sympy_form_is_a_function_of_omega_and_the_parameters_and_agrees_with_the_direct_solve(case):
    path, _, _, _ = CASES[case]
    values = {"eps": "0.3", "gamma": "0.7", "tau": "0.8", "t_d": "0.5"}
    model = Model.from_file(path)
    d = model.derive("T2:L->R")
    form = d.printable().expr
    names = {s.name for s in form.free_symbols}
    assert names <= {"omega"} | set(model.parameters) and "z_L" not in d.srepr()
    m = model.with_params({k: v for k, v in values.items() if k in model.parameters})
    for w in ("-1.3", "0.2", "1.7"):
        direct = m.transmission([w], method="direct").T2["L->R"][0]
        value = complex(form.xreplace({s: sp.Rational(values.get(s.name, w)) for s in form.free_symbols}).evalf(30))
        assert value.real == pytest.approx(direct, rel=1e-12) and abs(value.imag) < 1e-15


def test_a_bad_latex_key_is_refused_with_one_line(tmp_path, capsys):
    text = (MODELS / "lossy_dot.toml").read_text().replace('eps   = {', "eps   = { latex = 'x{',")
    (tmp_path / "m.toml").write_text(text)
    assert main(["derive", "--model", str(tmp_path / "m.toml"), "T2:L->R"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "[parameters] eps latex" in err and "64 characters" in err
