"""Paper files end to end on a stand-in model (tests/tunnelkit/claims/paper_fakes.py: a lossy Fano dot).

The "paper" prints closed forms derived by hand (Breit-Wigner/Fano algebra on paper); the backend
derives with a SymPy matrix inverse and solves directly with NumPy: three routes that share no
formula.  Misprints of each kind must come out as errata whose corrected LaTeX, read back, equals
the hand formula; correct equations as verified; unreadable LaTeX, undeclared symbols and claims
the model does not define as unverifiable.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import sympy as sp

import tests.tunnelkit.claims.paper_fakes as F
from derive.claims.claim_decision import decide_equal, decide_root
from derive.latex.latex_reader import read_equation
from tunnelkit import cli
from tunnelkit.claims import paper_verify as PV
from tunnelkit.claims.paper_file import PaperFileError

TABLE_TOML = r"""[symbols]
omega = '\omega'
tau1 = '\tau_1'
gamma = '\gamma'
eps = '\varepsilon_d'
t_d = 't_d'
k = 'k'
"""
TABLE = {F.omega: r"\omega", F.tau1: r"\tau_1", F.gamma: r"\gamma", F.eps: r"\varepsilon_d", F.t_d: "t_d"}
D2 = (r"\left[\omega(\omega-\varepsilon_d)-\gamma\tau_1^2-t_d^2\right]^2"
      r"+\left[\frac{\omega\gamma}{2}+2\tau_1^2(\omega-\varepsilon_d)\right]^2")
CORRECT = {
    "T2": r"|T|^2 = \frac{4\tau_1^4\left[(\omega-\varepsilon_d)^2+\gamma^2/4\right]}{" + D2 + "}",
    "R2": r"|R|^2 = \frac{\left[\omega(\omega-\varepsilon_d)-t_d^2\right]^2+\omega^2\gamma^2/4}{" + D2 + "}",
    "absorbed": r"A_L = \frac{2\gamma\tau_1^2t_d^2}{" + D2 + "}",
    "G": r"G_{ad} = \frac{-t_d}{(\omega+2\mathrm{i}\tau_1^2)(\omega-\varepsilon_d+\mathrm{i}\gamma/2)-t_d^2}",
    "roots": (r"\omega_\pm = \frac{\varepsilon_d - \mathrm{i}\gamma/2 - 2\mathrm{i}\tau_1^2}{2} \pm "
              r"\sqrt{\left(\frac{\varepsilon_d - \mathrm{i}\gamma/2 + 2\mathrm{i}\tau_1^2}{2}\right)^2 + t_d^2}"),
}
# the denominator D of G and the resonances, by hand: D = (omega - a)(omega - b) - t_d^2
HAND_D = (F.omega + 2 * sp.I * F.tau1**2) * (F.omega - F.eps + sp.I * F.gamma / 2) - F.t_d**2
MISPRINTS = {  # number: (kind, claim, printed, the correct equation it should have been)
    "m-factor": ("T2:L->R", CORRECT["T2"].replace(r"{4\tau_1^4", r"{2\tau_1^4"), "T2"),
    "m-sign": ("T2:L->R", CORRECT["T2"].replace(r"-\gamma\tau_1^2", r"+\gamma\tau_1^2"), "T2"),
    "m-swap": ("R2:L", CORRECT["R2"].replace(r"\omega^2\gamma^2/4", r"\omega^2 t_d^2/4"), "R2"),
    "m-missing": ("T2:L->R", CORRECT["T2"].replace(r"\gamma\tau_1^2-t_d^2", r"\gamma\tau_1^2"), "T2"),
    "m-root": ("det-zero", CORRECT["roots"].replace(r"\varepsilon_d - \mathrm{i}\gamma/2 - 2", r"\varepsilon_d + "
                                                      r"\mathrm{i}\gamma/2 - 2"), "roots"),
}
EQUATIONS = [
    ("T2", "T2:L->R", CORRECT["T2"]), ("R2", "R2:L", CORRECT["R2"]), ("absorbed", "absorbed:L", CORRECT["absorbed"]),
    ("G", "G:a,d", CORRECT["G"]), ("roots", "det-zero", CORRECT["roots"]),
    *[(n, claim, latex) for n, (claim, latex, _) in MISPRINTS.items()],
    ("flux", "T2:L->R + R2:L + absorbed:L", r"1"),
    ("unreadable", "T2:L->R", r"|T|^2 = \frac{4\tau_1^4}{\underbrace{D}_{\rm den}}"),
    ("undeclared", "T2:L->R", r"|T|^2 = \frac{4\tau_1^4}{\Gamma^2}"),
    ("outside", "T2:L->X", r"|T|^2 = 1"),
]


def paper_text(equations, *, extra: str = "") -> str:
    out = ['[paper]\nid = "fano"\ntitle = "A lossy Fano dot"\nmodel = "fano-model.toml"\n', TABLE_TOML]
    for number, claim, latex in equations:
        out.append(f"[[equation]]\nnumber = \"{number}\"\nclaims = \"{claim}\"\nlatex = '{latex}'\n"
                   f"where = {{ Lambda = \"inf\" }}\n{extra}")
    return "\n".join(out)


def write_paper(tmp: Path, equations, name: str = "paper.toml") -> Path:
    (tmp / "fano-model.toml").write_text(F.MODEL_TOML)
    (tmp / name).write_text(paper_text(equations))
    return tmp / name


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    path = write_paper(tmp_path_factory.mktemp("paper"), EQUATIONS)
    _, outcomes = PV.verify_paper(path, use_cache=False, backend=F.backend())
    return {o.id.split(":", 1)[1]: o for o in outcomes}


@pytest.mark.parametrize("number", ["T2", "R2", "absorbed", "G", "roots", "flux"])
def test_correct_equations_are_verified_and_confirmed_by_the_direct_solve(results, number):
    r = results[number].result
    assert r.status == "verified", r
    assert "direct solve" in r.method and "direct solve agrees" in r.detail or "direct-solve |det|" in r.detail


def _rhs(latex: str):
    return read_equation(latex, TABLE, interpret_lhs=False).rhs


def _roots(corrected: str) -> list[str]:
    return F.top_level_split(corrected.split(r"\left\{", 1)[1].rsplit(r"\right\}", 1)[0])


@pytest.mark.parametrize("number", sorted(MISPRINTS))
def test_planted_misprints_are_errata_with_a_correct_corrected_form(results, number):
    claim, _, right = MISPRINTS[number]
    r = results[number].result
    assert r.status == "erratum", r
    assert r.corrected and "at " in r.detail
    conditions = [F.tau1 > 0, F.gamma >= 0, F.t_d > 0]
    # the likely misprint, one edit of the printed text: at most 1.5x the printed length (issue 20)
    assert "likely misprint" in r.detail and len(r.corrected) <= 1.5 * len(results[number].printed), r
    if claim == "det-zero":
        roots = (_roots(r.corrected) if r"\left\{" in r.corrected
                 else read_equation(r.corrected, TABLE, interpret_lhs=False).rhs)
        assert len(roots) == 2 and "det =" in r.detail
        for root in roots:
            v = read_equation(root, TABLE).rhs[0] if isinstance(root, str) else root
            assert decide_root(HAND_D, F.omega, v, conditions=conditions, npoints=3).holds
    else:
        assert "printed" in r.detail and "derived" in r.detail and "direct solve" in r.detail
        got, = _rhs(r.corrected)
        hand, = _rhs(CORRECT[right])
        assert decide_equal(got, hand, conditions=conditions, npoints=3).holds, r.corrected


def test_unreadable_undeclared_and_outside_claims_are_unverifiable(results):
    r = results["unreadable"].result
    at = dict((n, latex) for n, _, latex in EQUATIONS)["unreadable"].index(r"\underbrace")
    assert r.status == "unverifiable" and f"character {at} " in r.detail and r"\underbrace" in r.detail
    r = results["undeclared"].result
    assert r.status == "unverifiable" and r"'\Gamma'" in r.detail and "[symbols]" in r.detail
    r = results["outside"].result
    assert r.status == "unverifiable" and "T2:L->X" in r.detail and "T2:L->R" in r.detail


def verify_small(tmp_path: Path, equations_toml: str):
    """Verify a paper file of the given [[equation]] tables on the fake Fano model (no cache)."""
    (tmp_path / "m.toml").write_text(F.MODEL_TOML)
    (tmp_path / "p.toml").write_text('[paper]\nid = "small"\nmodel = "m.toml"\n' + TABLE_TOML + equations_toml)
    return PV.verify_paper(tmp_path / "p.toml", use_cache=False, backend=F.backend())[1]


def test_identity_claims(tmp_path):
    out = verify_small(tmp_path, r"""
[[equation]]
number = "1"
claims = "identity"
latex = '\cos 2k = 1 - 2\sin^2 k'
[[equation]]
number = "2"
claims = "identity"
latex = '\cos 2k = 1 - \sin^2 k'
[[equation]]
number = "3"
claims = "identity"
latex = '\sqrt{\omega^2} = \omega'
assume = ["omega > 0"]
""")
    assert [o.result.status for o in out] == ["verified", "erratum", "verified"]
    assert out[0].result.method.startswith("sympy")
    k = sp.Symbol("k", real=True)
    corrected = read_equation(out[1].result.corrected, {k: "k"})
    assert sp.simplify(corrected.lhs - corrected.rhs[0]) == 0  # the corrected identity holds


def test_det_zero_as_an_equation_in_omega_and_limits_at_an_open_end(tmp_path):
    out = verify_small(tmp_path, r"""
[[equation]]
number = "1"
claims = "det-zero"
latex = '(\omega + 2\mathrm{i}\tau_1^2)(\omega-\varepsilon_d+\mathrm{i}\gamma/2) = t_d^2'
where = { Lambda = "inf" }
[[equation]]
number = "2"
claims = "det-zero"
latex = '(\omega + 2\mathrm{i}\tau_1^2)(\omega-\varepsilon_d-\mathrm{i}\gamma/2) = t_d^2'
where = { Lambda = "inf" }
[[equation]]
number = "3"
claims = "T2:L->R"
latex = '|T|^2 = 0'
where = { Lambda = "inf", tau1 = "0" }
[[equation]]
number = "4"
claims = "T2:L->R"
latex = '|T(\varepsilon_d)|^2 = 1'
where = { Lambda = "inf", gamma = "0", omega = "eps" }
""")
    assert [o.result.status for o in out] == ["verified", "erratum", "verified", "erratum"], out
    assert "direct" in out[2].result.method
    assert out[3].result.corrected == r"|T(\varepsilon_d)|^2 = 0"  # the Fano antiresonance of a lossless dot


def test_claims_without_a_testable_point_are_unverifiable(tmp_path):
    out = verify_small(tmp_path, r"""
[[equation]]
number = "1"
claims = "T2:L->R"
latex = '|T|^2 = 0'
where = { Lambda = "inf" }
assume = ["omega > 1", "omega < 0"]
""")
    r = out[0].result
    assert r.status == "unverifiable" and "no point satisfies" in r.detail, r


def test_paper_symbols_not_tied_to_the_model_are_unverifiable(tmp_path):
    """k is declared in [symbols] but is no model parameter: without a where tying it to one (a typo such as
    'tua' for 'tau' behaves the same) it would be sampled on its own and give a meaningless erratum."""
    out = verify_small(tmp_path, r"""
[[equation]]
number = "1"
claims = "T2:L->R"
latex = '|T|^2 = k^2'
where = { Lambda = "inf" }
[[equation]]
number = "2"
claims = "det-zero"
latex = '\omega = k'
where = { Lambda = "inf" }
""")
    for o in out:
        assert o.result.status == "unverifiable" and "'k' (k in [symbols]) is not a symbol of the model" in \
            o.result.detail, o.result
    # tied by where (omega = -2 cos k): examples/papers/anglin.toml, test_paper_examples


def test_a_broken_derivation_is_caught_by_the_direct_solve(tmp_path):
    path = write_paper(tmp_path, [("1", "T2:L->R", CORRECT["T2"]), ("2", "T2:L->R", MISPRINTS["m-factor"][1])])
    _, out = PV.verify_paper(path, use_cache=False, backend=F.backend(derived_shift=sp.Rational(1, 1000)))
    for o in out:
        assert o.result.status == "unverifiable" and "ROUTES DISAGREE" in o.result.detail


def test_editing_the_paper_file_re_decides(tmp_path):
    path = write_paper(tmp_path, [("1", "G:a,d", CORRECT["G"])])
    _, first = PV.verify_paper(path, backend=F.backend())
    _, again = PV.verify_paper(path, backend=F.backend())
    assert first[0].result.status == "verified" and again[0].cached and not first[0].cached
    path.write_text(paper_text([("1", "G:a,d", CORRECT["G"].replace("{-t_d}", "{t_d}"))]))
    _, edited = PV.verify_paper(path, backend=F.backend())
    assert not edited[0].cached and edited[0].result.status == "erratum"
    (tmp_path / "fano-model.toml").write_text(F.MODEL_TOML + "\n# edited\n")  # the model file is part of the key
    _, model_edited = PV.verify_paper(path, backend=F.backend())
    assert not model_edited[0].cached


def test_cli_json_report_and_exit_codes(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(PV, "model_backend", lambda path: F.backend())
    path = write_paper(tmp_path, [("1", "G:a,d", CORRECT["G"]), ("2", "T2:L->R", r"|T|^2 = \frac{1}{\Gamma}")])
    report = tmp_path / "report.md"
    assert cli.main(["verify", str(path), "--json", "--report", str(report), "--no-cache"]) == 1  # one unverifiable
    data = json.loads(capsys.readouterr().out)
    assert [c["status"] for c in data["checks"]] == ["verified", "unverifiable"]
    assert set(data["checks"][0]) == {"id", "status", "printed", "corrected", "method", "detail"}
    text = report.read_text()
    assert "2 equations: 1 verified, 0 errata, 1 unverifiable." in text and "```latex" in text
    assert cli.main(["verify", str(path), "--paper", "anglin"]) == 2
    assert "not both" in capsys.readouterr().err
    assert cli.main(["verify", str(path), "--report", str(tmp_path / "no" / "r.md")]) == 2


@pytest.mark.parametrize("edit,message", [
    (lambda t: t.replace('id = "fano"', 'id = "3 x"'), "[paper]: id '3 x' must start with a letter"),
    (lambda t: t.replace('model = "fano-model.toml"', 'model = "missing.toml"'), "model file 'missing.toml' not found"),
    (lambda t: t + "\n[extra]\nx = 1\n", "[extra]: unknown table"),
    (lambda t: t.replace("t_d = 't_d'", "t_d = '\\tau_1'"), "same LaTeX"),
    (lambda t: t + '\n[[equation]]\nnumber = "1"\nclaims = "det"\nlatex = "x"\n', "the number is used twice"),
    (lambda t: t.replace("[[equation]]", "[[equation]\n"), "not valid TOML"),
    # a [symbols] entry that is no symbol would be read in place of that LaTeX in every equation
    (lambda t: t.replace("t_d = 't_d'", "t_d = '\\frac{1}{2}'"), "[symbols]: t_d = '\\\\frac{1}{2}' is not the LaTeX"),
    (lambda t: t.replace("t_d = 't_d'", "t_d = '+'"), "('+' is not part of a symbol"),
    (lambda t: t.replace("t_d = 't_d'", "t_d = 't_{d'"), "(unbalanced braces"),
])
def test_unreadable_paper_files_exit_2_with_one_line(tmp_path, monkeypatch, capsys, edit, message):
    """Only a file that cannot be read as a whole (its [paper], [symbols], TOML, numbering) exits 2."""
    monkeypatch.setattr(PV, "model_backend", lambda path: F.backend())
    path = write_paper(tmp_path, [("1", "G:a,d", CORRECT["G"])])
    path.write_text(edit(path.read_text()))
    assert cli.main(["verify", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and message in captured.err, captured.err
    assert captured.err.startswith("tunnelkit: error: paper.toml: ")
    with pytest.raises(PaperFileError):
        PV.verify_paper(path, backend=F.backend())


EQUATION_PROBLEMS = [
    (lambda t: t.replace('claims = "G:a,d"', 'claims = "G:a,d"\nwher = 1'), "equation 1: unknown key 'wher'"),
    (lambda t: t.replace("latex = ", "latex_ = ", 1), "unknown key 'latex_'"),
    (lambda t: t.replace('Lambda = "inf"', 'Lam = "inf"', 1), "where: 'Lam' is not a parameter of the model"),
    (lambda t: t.replace('Lambda = "inf"', 'Lambda = "0.5"', 1), "outside the model's range Lambda >= 1"),
    (lambda t: t.replace('Lambda = "inf"', 'Lambda = "inf", eps = "2*q"', 1), "unknown name q"),
    (lambda t: t.replace('where = { Lambda = "inf" }', 'where = { Lambda = "inf" }\nassume = ["omega >"]', 1),
     "assume: condition 'omega >'"),
    # a claim that is no quantity at all (a well-formed one the model lacks is unverifiable too)
    (lambda t: t.replace('claims = "G:a,d"', 'claims = "T3:L->R"'), "equation 1: claims 'T3:L->R' is not a claim"),
    (lambda t: t.replace('claims = "G:a,d"', 'claims = "noise:L"'), "allowed: 'T2:p->q', 'R2:p'"),
    (lambda t: t.replace('claims = "G:a,d"', 'claims = "det-zeros"'), "claims 'det-zeros' is not a claim"),
    (lambda t: t.replace('Lambda = "inf"', 'Lambda = "inf", omega = "1 + I"', 1), "where: omega = 1 + I is not real"),
    (lambda t: t.replace('Lambda = "inf"', 'Lambda = "inf", tau1 = "t_d", t_d = "2*tau1"', 1),
     "where: the value of tau1 refers back to tau1"),
    (lambda t: t.replace('Lambda = "inf"', 'Lambda = "inf", tau1 = "eps", eps = "-1"', 1),
     "where: tau1 = eps (= -1) is outside the model's range tau1 > 0"),
    (lambda t: t.replace('where = { Lambda = "inf" }', 'where = { Lambda = "inf" }\nassume = ["omega == 1"]', 1),
     "assume: 'omega == 1' fixes a value: write it in 'where'"),
]


def test_every_problem_of_a_file_in_one_run(tmp_path, monkeypatch, capsys):
    """A problem inside one [[equation]] makes that equation unverifiable with the reason; every other
    equation is still checked, and the exit status (1) says that something was wrong."""
    monkeypatch.setattr(PV, "model_backend", lambda path: F.backend())
    good = write_paper(tmp_path, [("1", "G:a,d", CORRECT["G"])]).read_text()
    head, eq1 = good.split("[[equation]]", 1)
    entries = [edit("[[equation]]" + eq1).replace('number = "1"', f'number = "p{i}"')
               for i, (edit, _) in enumerate(EQUATION_PROBLEMS)]
    (tmp_path / "paper.toml").write_text(head + "".join(entries) + "[[equation]]" + eq1)
    assert cli.main(["verify", str(tmp_path / "paper.toml"), "--json", "--no-cache"]) == 1
    checks = json.loads(capsys.readouterr().out)["checks"]
    assert checks[-1]["status"] == "verified"  # the good equation after all the bad ones
    for check, (_, message) in zip(checks, EQUATION_PROBLEMS):
        assert check["status"] == "unverifiable" and message.split(": ", 1)[-1] in check["detail"], check


def test_a_det_zero_under_a_where_is_confirmed_by_the_direct_solve(tmp_path):
    """With gamma fixed by 'where' the printed roots were handed to the direct solve without the substitution:
    no point could evaluate them ('no direct-solve value', or a TypeError when none was finite)."""
    out = verify_small(tmp_path, "[[equation]]\nnumber = \"1\"\nclaims = \"det-zero\"\nlatex = '''" + CORRECT["roots"]
                       + "'''\nwhere = { Lambda = \"inf\", gamma = \"0\" }\n")
    r = out[0].result
    assert r.status == "verified" and "direct-solve |det|" in r.detail, r
