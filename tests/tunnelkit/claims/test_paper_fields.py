"""Paper files over field files: the tajima worked instance against the registry, the operator reader by hand."""
from __future__ import annotations

import json

import re
from pathlib import Path

import pytest
import sympy as sp

import derive.fields.field_split as FS
from derive.fields.operator_latex import OperatorLatexError, read_operator_equation
from tunnelkit.cli import main
from tunnelkit.claims.paper_verify import verify_paper

ROOT = Path(__file__).resolve().parents[3]
TAJIMA = ROOT / "examples" / "papers" / "tajima.toml"


def _registry_errata() -> set[str]:
    """The registry's tajima errata, from the README table that `python -m tunnelkit.registry.report` writes
    (tests/test_readme.py fails when it is stale)."""
    block = (ROOT / "README.md").read_text().split("<!-- errata:start -->")[1].split("<!-- errata:end -->")[0]
    return set(re.findall(r"\| `tajima:(\w+)` \|", block))


def test_tajima_file_reaches_the_registry_verdicts():
    paper, outcomes = verify_paper(TAJIMA, use_cache=False)
    errata = _registry_errata()
    got = {o.id.split(":")[1]: o.result.status for o in outcomes}
    for number in ("4", "5", "6", "7", "8", "9", "10", "19", "22"):
        assert got[number] == ("erratum" if number in errata else "verified"), (number, got[number])
    assert {"4", "6", "9", "22"} <= errata
    corrected = {o.id.split(":")[1]: o.result.corrected for o in outcomes}
    assert corrected["9"].startswith(r"\hat H_{\rm spin}=-g")  # the registry's corrected sign
    assert r"\hat H_{1r}" not in corrected["4"].split(",")[0] and r"H_{\rm spin}=-g" in corrected["4"]
    assert "-2ig" in corrected["22"] and "+2ig" not in corrected["22"]
    assert all("Fock" in o.result.method for o in outcomes)


def _alg():
    return FS.split(FS.FieldModel("fermion", ("up", "dn"), (FS.OneBody(), FS.Local("g", ("up+", "dn+", "dn", "up"))))).algebra


def test_reader_against_hand_built_words():
    """-g [S+_L S-_R + S+_R S-_L] read from LaTeX = the words written out by hand (S+_i = psi+_up,i psi_dn,i)."""
    alg = _alg()
    g = sp.Symbol("g", real=True)
    eq = read_operator_equation(r"\hat H_{\rm spin}=-g\int d^3\mathbf r\left[\hat S^{+}_{L}(\mathbf r)\hat S^{-}_{R}"
                                r"(\mathbf r)+\hat S_R^+\hat S_L^-\right]", alg,
                                species={"up": r"\uparrow", "dn": r"\downarrow"}, symbols={g: "g"})
    c, a = alg.creator, alg.annihilator
    hand = alg.add(*[alg.scale(alg.mul(c(("up", i)), a(("dn", i)), c(("dn", j)), a(("up", j))), -g)
                     for i, j in (("L", "R"), ("R", "L"))])
    diff = alg.normal_order(alg.add(eq.rhs, alg.scale(hand, -1)))
    assert eq.name == "spin" and all(sp.simplify(v) == 0 for v in diff.values())
    # the same operator as the split's exchange class with the sign the registry derives (tajima:9)
    split = FS.split(FS.FieldModel("fermion", ("up", "dn"), (FS.Local("g", ("up+", "dn+", "dn", "up")),)))
    exchange = {t.operator: t.coefficient for t in split.terms_of("exchange")}
    assert not alg.normal_order(alg.add(alg.normal_order(eq.rhs), alg.scale(exchange, -1)))


@pytest.mark.parametrize("latex", [r"\hat H_x=\hat\psi_{\uparrow}", r"\hat H_x=\hat Q_L", r"\hat H_x=\hat\psi_{\uparrow L",
                                   r"\hat H_x=\hat H_{\rm nope}", r"\hat H_x=k\hat\psi_{\uparrow L}"])
def test_reader_refuses_what_it_cannot_read(latex):
    with pytest.raises(OperatorLatexError):
        read_operator_equation(latex, _alg(), species={"up": r"\uparrow", "dn": r"\downarrow"}, symbols={})


def test_a_misprint_is_found_with_the_smallest_edit(tmp_path):
    """Eq. 8 printed with 2g: an erratum whose corrected form is the printed one times 1/2."""
    text = TAJIMA.read_text().replace('fields = "../fields/', f'fields = "{ROOT}/examples/fields/')
    text = text.replace(r"latex = '\hat H_{\rm pair}=g\int", r"latex = '\hat H_{\rm pair}=2g\int")
    f = tmp_path / "p.toml"
    f.write_text(text)
    _, outcomes = verify_paper(f, use_cache=False)
    eq8 = next(o for o in outcomes if o.id.endswith(":8"))
    assert eq8.result.status == "erratum" and eq8.result.corrected.startswith(r"\hat H_{\rm pair}=\frac{1}{2}2g")


def test_bad_field_paper_equations_and_files(tmp_path, capsys):
    f = tmp_path / "p.toml"
    f.write_text(f'[paper]\nid = "x"\nfields = "{TAJIMA.parent.parent}/fields/spin_half_contact.toml"\n'
                 '[[equation]]\nnumber = "1"\nclaims = "T2:L->R"\nlatex = "x"\n')
    assert main(["verify", str(f), "--json", "--no-cache"]) == 1  # that equation's problem, reported on it
    (check,) = json.loads(capsys.readouterr().out)["checks"]
    assert check["status"] == "unverifiable" and "claim about a split" in check["detail"]
    f.write_text(f'[paper]\nid = "x"\nfields = "{TAJIMA.parent.parent}/fields/missing.toml"\n'
                 '[[equation]]\nnumber = "1"\nclaims = "term"\nlatex = "x"\n')
    assert main(["verify", str(f)]) == 2  # the file as a whole cannot be used
    assert capsys.readouterr().err.count("\n") == 1
