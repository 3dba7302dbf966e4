"""Field files: the split against the Fock-space route, and the `tunnelkit split` contract (docs/field-files.md)."""
from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

import derive.fields.field_split as FS
from tunnelkit.cli import main
from tunnelkit.fields.field_check import fock_check
from tunnelkit.fields.field_file import load_fields, split_file

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = sorted((ROOT / "examples" / "fields").glob("*.toml"))
SPEC_CLASSES = {"reservoir L", "reservoir R", "one-body tunneling", "density-assisted tunneling", "pair tunneling",
                "multi-particle tunneling", "exchange", "induced interaction"}
TOL = 1e-10


@pytest.mark.parametrize("overlap", ["zero", "K"])
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_split_agrees_with_the_fock_matrices(path, overlap):
    """One mode per side: split = unsplit (per point and summed); orthogonal split: every coefficient,
    transfer, charge sector, reservoir and current operator read off the matrices."""
    chk = fock_check(split_file(path, overlap=overlap), n_points=2, n_left=1, seed=3)
    assert not chk.vanishing, chk.vanishing
    for key, value in chk.residuals.items():
        assert (value < TOL) if overlap == "zero" or key in ("hamiltonian", "density") else value != value, key


def test_two_modes_per_side():
    chk = fock_check(split_file(EXAMPLES[[p.stem for p in EXAMPLES].index("spin_exchange_form")]),
                     n_points=4, n_left=2, seed=5)
    assert chk.ok(TOL), chk.residuals


def _mutate(result, index, **change):
    terms = list(result.terms)
    terms[index] = dataclasses.replace(terms[index], **change)
    hamiltonian = {t.operator: t.coefficient for t in terms}
    return dataclasses.replace(result, terms=tuple(terms), hamiltonian=hamiltonian)


def test_the_fock_route_catches_a_wrong_coefficient_transfer_or_class():
    result = split_file(EXAMPLES[[p.stem for p in EXAMPLES].index("spin_half_contact")])
    k = next(i for i, t in enumerate(result.terms) if t.cls == "pair tunneling")
    t = result.terms[k]
    wrong_sign = fock_check(_mutate(result, k, coefficient=-t.coefficient), seed=1).residuals
    assert wrong_sign["hamiltonian"] > 1e-3 and wrong_sign["coefficients"] > 1e-3
    wrong_transfer = fock_check(_mutate(result, k, transfer={s: -v for s, v in t.transfer.items()}), seed=1)
    assert wrong_transfer.residuals["transfer"] >= 1
    r = next(i for i, t in enumerate(result.terms) if t.cls == "reservoir L" and len(t.operator) == 4)
    wrong_class = fock_check(_mutate(result, r, cls="induced interaction"), seed=1)
    assert wrong_class.residuals["reservoirs"] > 1e-3


def test_python_api_matches_the_file():
    model = FS.FieldModel("fermion", ("up", "dn"), (FS.OneBody(), FS.Local("g", ["up+", "dn+", "dn", "up"])))
    assert model == load_fields(EXAMPLES[[p.stem for p in EXAMPLES].index("spin_half_contact")])


# ----------------------------------------------------------------------------- command line

def run(*args, rc=0):
    p = subprocess.run([sys.executable, "-m", "tunnelkit", "split", *map(str, args)], capture_output=True,
                       text=True, timeout=300, cwd=ROOT)
    assert p.returncode == rc, p.stderr
    return p


def _json(capsys, *args):
    assert main(["split", *map(str, args), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_contract(capsys):
    path = EXAMPLES[[p.stem for p in EXAMPLES].index("spin_exchange_form")]
    obj = _json(capsys, path, "--overlap", "K")
    assert list(obj) == ["terms", "summary"]
    for t in obj["terms"]:
        assert list(t) == ["class", "transfer", "coefficient", "operator", "latex"]
        assert t["class"] in SPEC_CLASSES and list(t["transfer"]) == ["up", "dn"]
        assert sp.sympify(t["coefficient"]) != 0
    assert obj["summary"] == {c: sum(1 for t in obj["terms"] if t["class"] == c) for c in obj["summary"]}
    one = [t for t in obj["terms"] if t["operator"] == ["up_L+", "up_R"]]  # J/2 (2 Re K_dn + delta's)
    assert len(one) == 1 and "K_dn" in one[0]["coefficient"] and one[0]["transfer"] == {"up": 1, "dn": 0}
    plain = _json(capsys, path)
    assert all("K_" not in t["coefficient"] for t in plain["terms"])


def test_table_output(capsys):
    assert main(["split", str(EXAMPLES[[p.stem for p in EXAMPLES].index("spin_half_contact")])]) == 0
    out = capsys.readouterr().out
    assert "pair tunneling" in out and "up_L+ dn_L+ dn_R up_R" in out and out.rstrip().splitlines()[-1].startswith(
        "summary: reservoir L 3, reservoir R 3, one-body tunneling 4")


@pytest.mark.parametrize("text,words", [
    ('[fields]\nstatistics="fermion"\nspecies=["up"]\n[[term]]\nkind="local"\ncoupling="g"\nword=["up+","x"]\n',
     ["term 1", "'x'", "species are up"]),
    ('[fields]\nstatistics="fermion"\nspecies=["up"]\n[[term]]\nkind="one-body"\n[[term]]\nkind="local"\n'
     'coupling="g"\nword=["up+","up-"]\n', ["term 2", "malformed", "`s+`"]),
    ('[fields]\nstatistics="boson"\nspecies=["a"]\n[[term]]\nkind="two-body"\n', ["term 1", "one-body, local"]),
    ('[fields]\nstatistics="boson"\nspecies=["a"]\n[[term]]\nkind="local"\nword=["a"]\n', ["term 1", "coupling"]),
    ('[fields]\nstatistics="boson"\nspecies=["a"]\n[[term]]\nkind="local"\ncoupling="U"\nword=[]\n',
     ["term 1", "non-empty"]),
    ('[fields]\nstatistics="bose"\nspecies=["a"]\n', ["statistics", "fermion"]),
    ('[fields\n', ["not valid TOML"]),
    # a TOML float inf/nan is not a coupling (it was read as a symbol named inf/nan)
    ('[fields]\nstatistics="boson"\nspecies=["a"]\n[[term]]\nkind="local"\ncoupling=inf\nword=["a+","a"]\n',
     ["term 1", "finite"]),
    ('[fields]\nstatistics="boson"\nspecies=["a"]\n[[term]]\nkind="local"\ncoupling=-nan\nword=["a+","a"]\n',
     ["term 1", "finite"]),
    # a power SymPy would compute for minutes (it hung the command): refused before it is computed, by the
    # reader's bounds (constant exponents <= 4096, exact numbers <= 1e5 digits)
    ('[fields]\nstatistics="boson"\nspecies=["a"]\n[[term]]\nkind="local"\ncoupling="g*10**10**10"\n'
     'word=["a+","a"]\n', ["term 1", "10**10**10", "exponent", "4096"]),
    ('[fields]\nstatistics="boson"\nspecies=["a"]\n[[term]]\nkind="local"\ncoupling="sqrt(2)^(2^40)"\n'
     'word=["a+","a"]\n', ["term 1", "exponent", "4096"]),
    ('[fields]\nstatistics="boson"\nspecies=["a"]\n[[term]]\nkind="local"\ncoupling="g*(2**4096)**4096"\n'
     'word=["a+","a"]\n', ["term 1", "digits", "100000"]),
])
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, text, words):
    f = tmp_path / "bad.toml"
    f.write_text(text)
    assert main(["split", str(f), "--json"]) == 2
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err and out == ""
    assert str(f) in lines[0] and all(w in lines[0] for w in words), lines[0]


def test_bad_flag_and_missing_file(tmp_path, capsys):
    assert main(["split", str(EXAMPLES[0]), "--overlap", "Q"]) == 2
    assert "--overlap" in capsys.readouterr().err
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    assert main(["split", str(binary)]) == 2
    assert "not UTF-8" in capsys.readouterr().err
    p = run(tmp_path / "nope.toml", rc=2)  # the installed entry point, in a fresh process
    assert "nope.toml" in p.stderr and len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr


def test_sympy_constants_in_couplings_mean_what_sympy_means(tmp_path, capsys):
    """docs/field-files.md: couplings are SymPy expressions, so I and E are SymPy's i and e (they were real symbols
    named I and E, printed "I*g" -- which SymPy reads as i*g). By hand: c (a_L+ + a_R+)(a_L + a_R) has
    the coefficient c on a_L+ a_L; the JSON string, read by SymPy, is that coefficient."""
    f = tmp_path / "c.toml"
    f.write_text('[fields]\nstatistics="boson"\nspecies=["a"]\n[[term]]\nkind="local"\n'
                 'coupling="I*g + E"\nword=["a+","a"]\n')
    assert main(["split", str(f), "--json"]) == 0
    g = sp.Symbol("g", real=True)
    terms = json.loads(capsys.readouterr().out)["terms"]
    (res_l,) = [t for t in terms if t["operator"] == ["a_L+", "a_L"]]
    assert sp.sympify(res_l["coefficient"], locals={"g": g}) - (sp.I * g + sp.exp(1)) == 0
    assert split_file(f).terms[0].coefficient - (sp.I * g + sp.exp(1)) == 0
    f.write_text(f.read_text().replace("I*g + E", "oo*g"))
    assert main(["split", str(f)]) == 2
    err = capsys.readouterr().err
    assert "term 1" in err and "finite" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("options,name", [
    ({"n_points": 0}, "n_points"),             # crashed (max() of an empty sequence)
    ({"n_points": 2.5}, "n_points"),
    ({"n_left": 0}, "n_left"),                 # no L modes: reported the correct split as wrong (ok() False)
    ({"n_left": 2, "n_points": 2}, "n_left"),  # no R modes: likewise
    ({"n_max": 1}, "n_max"),                   # bosons: a 4-field word leaves the space -- nothing compared
    ({"seed": -1}, "seed"),
])
def test_fock_check_refuses_a_grid_that_cannot_check(options, name):
    """A correct split (two-component bosons) and a grid with no L or no R mode, no room for a word, or a
    bad seed: ParameterError naming the option, never a verdict."""
    from numeric.errors import ParameterError
    result = split_file(EXAMPLES[[p.stem for p in EXAMPLES].index("two_component_bosons")])
    with pytest.raises(ParameterError, match=name):
        fock_check(result, **options)
