"""The example paper files of examples/papers/.

The anglin example must hold the equations the registry checks: read by the LaTeX reader, each
printed right-hand side equals the registry's own SymPy transcription of the same printed equation
(derive/papers/anglin/printed.py, written by hand from the paper, sharing nothing with the reader).
"""
from __future__ import annotations

from pathlib import Path

import pytest
import sympy as sp

import derive.papers.anglin.printed as P
from derive.papers.anglin.symbols import M, gamma, k, kL, kR, tau1
from derive.claims.claim_decision import decide_equal
from derive.latex.latex_reader import read_equation
from tunnelkit.claims.paper_file import load_paper

COND = [k > 0, k < sp.pi, tau1 > 0, gamma >= 0, M >= 1]
EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "papers"


@pytest.fixture(scope="module")
def anglin():
    paper = load_paper(EXAMPLES / "anglin.toml")
    q, n = sp.Symbol("q", real=True), sp.Symbol("n", integer=True)
    names = {"tau1": tau1, "gamma": gamma, "M": M, "k": k, "q": q, "n": n, "omega": sp.Symbol("omega", real=True),
             "Lambda": sp.Symbol("Lambda", positive=True), "V": sp.Symbol("V", real=True)}
    table = {names[name]: tex for name, tex in paper.symbols.items()}
    read = {e.number: read_equation(e.latex, table, interpret_lhs=False).rhs[0] for e in paper.equations}
    return read, q, n


@pytest.mark.parametrize("number,registry", [("37-T", P.T2_inf), ("37-R", P.R2_inf), ("24", P.transport_24)])
def test_reservoir_limit_equations_are_the_registry_transcriptions(anglin, number, registry):
    read, _, _ = anglin
    d = decide_equal(read[number], registry(), conditions=COND, npoints=3)
    assert d.holds and d.method.startswith("sympy"), d  # identical as expressions, not only at points


def test_eq25_is_the_registry_transcription(anglin):
    read, _, n = anglin
    assert sp.simplify(read["25"] - P.omega_n(n)) == 0  # a one-term cosine


def test_eq36_written_out_is_the_registry_eqs_34_to_36_at_equal_leads(anglin):
    """|T|^2 of Eq. 36 with Z, A, B of Eqs. 34-35 inserted (k_L = k_R = q, A^* = A(k_L -> -k_L))."""
    read, q, _ = anglin
    T = P.T().subs({kL: q, kR: q})
    d = decide_equal(read["36-T"], T * sp.conjugate(T), conditions=COND + [q > 0, q < sp.pi], npoints=4)
    assert d.holds, d.detail


# --------------------------------------------------------------------------- through the model files

README = Path(__file__).resolve().parents[3] / "README.md"
#: 37-T, 37-R, 36-T are parts of code entries (an independent route); the registry's anglin:24 and 25 are this
#: file's equations (tunnelkit/papers_data/anglin.toml), pinned by the hand transcriptions above
REGISTRY_IDS = {"37-T": "anglin:37", "37-R": "anglin:37", "24": "anglin:24", "25": "anglin:25", "36-T": "anglin:36"}


def _registry_errata() -> set[str]:
    """Ids listed in README's generated errata table (tests/test_readme.py keeps it current)."""
    block = README.read_text().split("<!-- errata:start -->", 1)[1].split("<!-- errata:end -->", 1)[0]
    return {line.split("`")[1] for line in block.splitlines() if line.startswith("| `")}


def _mask(report: str) -> str:
    """The report without the digits of double-precision noise (max rel. diff 2.0e-16, ...)."""
    import re

    return re.sub(r"\d\.\de[+-]\d\d", "x.xe-xx", report)


def test_anglin_file_reaches_the_registry_verdicts(tmp_path):
    from tunnelkit.claims.paper_verify import verify_paper

    _, outcomes = verify_paper(EXAMPLES / "anglin.toml", use_cache=False)
    errata = _registry_errata()
    for o in outcomes:
        expected = "erratum" if REGISTRY_IDS[o.id.split(":", 1)[1]] in errata else "verified"
        assert o.result is not None and o.result.status == expected, (o.id, o.result or o.error)
        assert "direct solve" in o.result.method, o.result
    # a misprint planted in Eq. 37 (tau1^2 -> tau1 in |T|^2) is caught through the model file too
    text = (EXAMPLES / "anglin.toml").read_text().replace(r"+\tau_{1}^{2}\sin(kM)\cos(kM)\right]^{2}+",
                                                          r"+\tau_{1}\sin(kM)\cos(kM)\right]^{2}+", 1)
    (tmp_path / "anglin.toml").write_text(text.split("# Eq. (37): |R_{L,R}|^2")[0])
    _, (misprint,) = verify_paper(tmp_path / "anglin.toml", use_cache=False)
    assert misprint.result.status == "erratum" and "direct solve" in misprint.result.detail, misprint.result


def test_fano_report_is_current():
    """examples/papers/fano-report.md is what `tunnelkit verify fano.toml --report` writes (noise digits masked)."""
    from tunnelkit.claims.paper_verify import paper_report, verify_paper

    paper, outcomes = verify_paper(EXAMPLES / "fano.toml", use_cache=False)
    fresh = paper_report(paper, outcomes)
    assert _mask(fresh) == _mask((EXAMPLES / "fano-report.md").read_text())
    assert [o.result.status for o in outcomes].count("erratum") == 2


def test_report_latex_renders():
    """Every printed and corrected formula of the committed report renders (matplotlib mathtext)."""
    import re
    import sys

    from matplotlib.mathtext import MathTextParser

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "derive"))
    from tests.derive.latex.latex_mathtext import to_mathtext

    parser = MathTextParser("path")
    blocks = re.findall(r"```latex\n(.*?)\n```", (EXAMPLES / "fano-report.md").read_text(), re.S)
    assert len(blocks) == 12  # 10 printed, 2 corrected
    for latex in blocks:
        parser.parse("$" + to_mathtext(" ".join(latex.split())) + "$")


def test_real_paper_latex_end_to_end(tmp_path):
    """aligned chains, primed symbols and sgn as papers print them, verified against the Fano model."""
    d2 = (r"\left[\omega(\omega-\varepsilon_d)-\gamma\tau_1^2-t^{\prime 2}\right]^2"
          r"+\left[\frac{\omega\gamma}{2}+2\tau_1^2(\omega-\varepsilon_d)\right]^2")
    path = write_paper(tmp_path, EXAMPLES / "fano-model.toml", "real", FANO_SYMBOLS.replace("'t_d'", r"'t^{\prime}'"), rf"""
[[equation]]
number = "1"
claims = "T2:L->R"
latex = '''\begin{{aligned}} |T|^2 &= \frac{{4\tau_1^4\left[(\omega-\varepsilon_d)^2+\gamma^2/4\right]}}{{{d2}}} \nonumber \\
 &= 4\tau_1^4\,\frac{{(\omega-\varepsilon_d)^2+\gamma^2/4}}{{{d2}}}, \label{{eq:T}} \end{{aligned}}'''
where = {{ Lambda = "inf" }}

[[equation]]
number = "2"
claims = "identity"
latex = '\left|\varepsilon_d\right| = \mathrm{{sgn}}(\varepsilon_d)\,\varepsilon_d'
""")
    paper, outcomes = tunnelkit_verify(path)
    assert [(o.id, o.result.status) for o in outcomes] == [("real:1", "verified"), ("real:2", "verified")], \
        [(o.id, o.result.status, o.result.detail) for o in outcomes]


def tunnelkit_verify(path):
    from tunnelkit.claims.paper_verify import verify_paper

    return verify_paper(path, use_cache=False)


def test_a_name_defined_in_one_equation_is_used_in_the_later_ones(tmp_path):
    r"""\Gamma(\omega) = 2\tau_1^2 (the wide-band broadening of each lead, by hand: Sigma = -i tau1^2) defined in
    Eq. 1 and used in Eq. 2 (the Fano T2 written in Gamma); a definition whose sides differ is an erratum."""
    den = (r"\left[\omega(\omega-\varepsilon_d)-\gamma\Gamma(\omega)/2-t_d^2\right]^2"
           r"+\left[\frac{\omega\gamma}{2}+\Gamma(\omega-\varepsilon_d)\right]^2")
    path = write_paper(tmp_path, EXAMPLES / "fano-model.toml", "def", FANO_SYMBOLS + r"Gamma = '\Gamma(\omega)'", rf"""
[[equation]]
number = "1"
defines = "Gamma"
latex = '\Gamma(\omega) \equiv 2\tau_1^2'

[[equation]]
number = "2"
claims = "T2:L->R"
latex = '|T|^2 = \frac{{\Gamma^2\left[(\omega-\varepsilon_d)^2+\gamma^2/4\right]}}{{{den}}}'
where = {{ Lambda = "inf" }}

[[equation]]
number = "3"
claims = "T2:L->R"
latex = '|T|^2 = \frac{{2\Gamma^2\left[(\omega-\varepsilon_d)^2+\gamma^2/4\right]}}{{{den}}}'
where = {{ Lambda = "inf" }}

[[equation]]
number = "4"
defines = "Gamma"
latex = '\Gamma = 2\tau_1^2 = \tau_1^2'
""")
    _, outcomes = tunnelkit_verify(path)
    got = [(o.id, o.result.status) for o in outcomes]
    assert got == [("def:1", "definition"), ("def:2", "verified"), ("def:3", "erratum"), ("def:4", "erratum")], \
        [(o.id, o.result.status, o.result.detail) for o in outcomes]


def test_a_formula_right_inside_the_band_only_is_an_erratum_naming_the_regimes(tmp_path):
    """The lossy level between identical leads (examples/models/lossy_dot.toml, hopping -1: band |omega| < 2).
    By hand, inside the band Gamma = tau^2 sqrt(4 - omega^2) per lead and T2 = Gamma^2 |G|^2; outside the
    band no lead is open and T2 = 0, which the in-band formula is not.  Its verdict must not depend on where
    random points fall: an erratum saying it holds inside the band and fails outside."""
    hand = (r"\frac{\tau^4(4-\omega^2)}{(\omega-\varepsilon-\tau^2\omega)^2"
            r"+\left(\tau^2\sqrt{4-\omega^2}+\gamma/2\right)^2}")
    symbols = r"omega = '\omega'" + "\n" + r"tau = '\tau'" + "\n" + r"gamma = '\gamma'" + "\n" + r"eps = '\varepsilon'"
    path = write_paper(tmp_path, EXAMPLES.parent / "models" / "lossy_dot.toml", "dot", symbols, rf"""
[[equation]]
number = "1"
claims = "T2:L->R"
latex = '|T|^2 = {hand}'

[[equation]]
number = "2"
claims = "T2:L->R"
latex = '|T|^2 = {hand}'
assume = ["omega > -2", "omega < 2"]
""")
    _, (everywhere, inside) = tunnelkit_verify(path)
    assert everywhere.result.status == "erratum", everywhere.result
    detail = everywhere.result.detail
    assert "holds where leads L, R open (-2 < omega < 2)" in detail and "fails where" in detail, detail
    assert "closed (omega < -2)" in detail and "closed (omega > 2)" in detail, detail
    assert inside.result.status == "verified", inside.result
    # inside the band the radicals are eliminated: a proof, not six random points
    assert inside.result.method.startswith("sympy: radicals eliminated"), inside.result.method


FANO_SYMBOLS = r"""
omega = '\omega'
tau1 = '\tau_1'
gamma = '\gamma'
eps = '\varepsilon_d'
t_d = 't_d'
"""


def write_paper(tmp_path, model: Path, pid: str, symbols: str, equations: str) -> Path:
    """A paper file over a copy of ``model`` in ``tmp_path``: ``[paper]``, the ``[symbols]`` lines, the equations."""
    (tmp_path / "model.toml").write_text(model.read_text())
    path = tmp_path / "paper.toml"
    path.write_text(f'[paper]\nid = "{pid}"\nmodel = "model.toml"\n\n[symbols]\n{symbols.strip()}\n\n{equations.strip()}\n')
    return path
