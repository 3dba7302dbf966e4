"""Registry entries that are paper-file data (tunnelkit/registry/paper_data.py).

The bundled paper files are the example files (one source), every claim in them is a registry entry or a
declared part of a code entry, an entry's printed LaTeX is the file's, and its verdict is the general
verifier's mapped onto the registry's statuses.  The verdicts themselves are pinned by
test_registry_tajima.py / test_registry_anglin.py (findings reached independently before they were data)
and test_paper_fields.py / test_paper_examples.py (the files through the general route).
"""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from tunnelkit.claims.paper_file import PaperFileError, bundled_file, load_paper
from tunnelkit.registry import REGISTRY, load
from tunnelkit.registry.core import CheckResult, Outcome
from tunnelkit.registry import paper_data as PD

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tunnelkit" / "papers_data"
#: the registry ids taken from each bundled file (the conversion of the issue), and the parts of code entries
ENTRIES = {"tajima.toml": {f"tajima:{n}" for n in (4, 5, 6, 7, 8, 9, 10, 19, 22)},
           "anglin.toml": {"anglin:24", "anglin:25"}}
PARTS = {"tajima.toml": {"tajima:9K"}, "anglin.toml": {"anglin:37-T", "anglin:37-R", "anglin:36-T"}}


@pytest.mark.parametrize("name", ["anglin.toml", "tajima.toml"])
def test_the_bundled_paper_files_are_the_examples(name):
    assert (DATA / name).read_bytes() == (ROOT / "examples" / "papers" / name).read_bytes()


def test_the_bundled_field_and_model_files_are_the_examples():
    assert (DATA / "spin_half_contact.toml").read_bytes() == \
        (ROOT / "examples" / "fields" / "spin_half_contact.toml").read_bytes()
    assert load_paper(DATA / "anglin.toml").model_path == ROOT / "tunnelkit" / "models_data" / "anglin_lattice.toml"
    assert load_paper(DATA / "tajima.toml").model_path == DATA / "spin_half_contact.toml"


@pytest.mark.parametrize("name", ["anglin.toml", "tajima.toml"])
def test_every_claim_is_an_entry_or_a_part_with_the_files_latex(name):
    load()
    paper = load_paper(DATA / name)
    ids = {e.id for e in paper.equations}
    assert ids == ENTRIES[name] | PARTS[name]
    assert not PARTS[name] & set(REGISTRY)
    for eq in paper.equations:
        if eq.id in ENTRIES[name]:
            entry = REGISTRY[eq.id]
            assert entry.printed == eq.printed and entry.share == f"paper-file:{name}"
            assert entry.check.__module__ == PD.__name__


def test_a_claim_left_out_or_missing_is_refused(tmp_path, monkeypatch):
    (tmp_path / "p.toml").write_text((DATA / "anglin.toml").read_text())
    monkeypatch.setattr(PD, "PAPERS_DATA", tmp_path)
    before = dict(REGISTRY)
    with pytest.raises(KeyError, match=r"\['37-T', '37-R', '25', '36-T'\] are neither"):
        PD.register_paper_file("p.toml", {"24": PD.DataEntry("x")}, parts={"37": "anglin:37"})
    assert REGISTRY == before  # nothing half-registered


@pytest.mark.parametrize("status, corrected, expected", [
    ("verified", None, "verified"), ("erratum", r"a = -b", "erratum"), ("unverifiable", None, "unverifiable"),
    ("definition", None, "unverifiable")])
def test_verdicts_map_onto_the_registry(monkeypatch, status, corrected, expected):
    result = CheckResult(status, "operator algebra + Fock matrices", "why", corrected)
    monkeypatch.setattr(PD, "_outcomes", lambda name: {"t:3": Outcome("t:3", True, result, 0.0)})
    r = PD.claim_result("t.toml", "t:3")
    assert (r.status, r.corrected) == (expected, corrected if expected == "erratum" else None)
    assert r.method == f"{PD.METHOD}: operator algebra + Fock matrices" and r.detail == "t.toml, equation 3: why"


def test_a_claim_that_could_not_run_is_not_run(monkeypatch):
    monkeypatch.setattr(PD, "_outcomes", lambda name: {"t:3": Outcome("t:3", False, None, 0.0, error="boom")})
    with pytest.raises(RuntimeError, match="t.toml, equation 3: boom"):
        PD.claim_result("t.toml", "t:3")


def test_the_cache_key_covers_the_bundled_files(tmp_path):
    """source_key hashes every file of the package: editing a bundled paper file re-decides its entries."""
    from tunnelkit.disk_cache import tree_key

    for rel in ("tunnelkit/papers_data/tajima.toml", "tunnelkit/models_data/anglin_lattice.toml"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes((ROOT / rel).read_bytes())
    key = tree_key(tmp_path, ("tunnelkit",))
    (tmp_path / "tunnelkit/papers_data/tajima.toml").write_text(
        (DATA / "tajima.toml").read_text().replace(r"\hat H_{\rm pair}=g", r"\hat H_{\rm pair}=2g"))
    assert tree_key(tmp_path, ("tunnelkit",)) != key


def test_a_bundled_name_resolves_anywhere_and_nothing_else(tmp_path):
    text = (DATA / "anglin.toml").read_text()
    (tmp_path / "p.toml").write_text(text)  # no model file beside it: bundled:NAME is found in the package
    assert load_paper(tmp_path / "p.toml").model_path.name == "anglin_lattice.toml"
    for bad in ("bundled:../models_data/anglin_lattice.toml", "bundled:missing.toml", "bundled:"):
        (tmp_path / "p.toml").write_text(text.replace('"bundled:anglin_lattice.toml"', f'"{bad}"'))
        with pytest.raises(PaperFileError, match=r"p\.toml: \[paper\]: model .*bundled:anglin_lattice\.toml"):
            load_paper(tmp_path / "p.toml")
    assert bundled_file("../papers_data/tajima.toml") is None and bundled_file("tajima.toml") == DATA / "tajima.toml"


def _h_as_T_plus_V(element: dict) -> dict:
    """Words with the one-body operator h (the field file: one h per spin) as T + V (the grid's h = T + V)."""
    from derive.fields.field_algebra import Ladder

    out: dict = {}
    for word, c in element.items():
        choices = [[x] if not (isinstance(x.label, tuple) and x.label[0] == "h") else
                   [Ladder((part, *x.label[1:]), x.dagger) for part in ("T", "V")] for x in word]
        for new in itertools.product(*choices):
            out[tuple(new)] = out.get(tuple(new), 0) + c
    return out


@pytest.mark.parametrize("number, hand", [("5", ("L", "R")), ("6", ("1r",)), ("7", ("1t",)), ("8", ("pair",)),
                                          ("9", ("spin",)), ("10", ("ind",)), ("19", ("I_M",)), ("22", ("I_S",))])
def test_the_tajima_data_reads_as_the_hand_transcription(number, hand):
    """What the general verifier reads from the data file is the printed operator the registry's code used to
    check: equal, on Jordan-Wigner grid matrices, to derive.papers.tajima.split_fields.printed_terms/printed_currents
    (written from the paper by hand, sharing nothing with the LaTeX reader).  So the data entries decide
    the same printed equations, only through the general verifier."""
    import sympy as sp

    import derive.papers.tajima.split_fields as F
    from derive.fields.operator_latex import read_operator_equation
    from tunnelkit.fields.field_file import split_file
    from tunnelkit.registry.tajima_fields import _on_grid, grid

    paper = load_paper(DATA / "tajima.toml")
    split = split_file(paper.model_path)
    species = {s: paper.symbols[s] for s in split.model.species}
    symbols = {sp.Symbol(n, real=True): v for n, v in paper.symbols.items() if n not in species}
    eq = next(e for e in paper.equations if e.number == number)
    read = read_operator_equation(eq.latex, split.algebra, species=species, symbols=symbols)
    printed = {**F.printed_terms(), **F.printed_currents()}
    gm = grid(3, 1, 2)
    by_hand = gm.matrix(_on_grid(F.ALG.add(*(printed[k] for k in hand))))
    assert gm.residual(gm.matrix(_h_as_T_plus_V(read.rhs)), by_hand) < 1e-12
    assert gm.residual(by_hand, 0 * by_hand) > 1e-3  # not two zeros


def test_python_of_a_data_entry_over_the_lattice_runs_and_is_eq_24():
    """`tunnelkit derive anglin:24 --format python` (the general route's form, Chebyshev polynomials of order M
    printed as sines) evaluates to the hand transcription of Eq. 24 (derive.papers.anglin.printed, exact SymPy)."""
    import numpy as np
    import sympy as sp

    import derive.papers.anglin.printed as P
    from derive.papers.anglin.symbols import M, gamma, k, tau1
    from tunnelkit.registry import get, python_of

    entry = get("anglin:24")
    ns = {"numpy": np}
    exec(python_of(entry, [entry.derived()]), ns)
    point = {M: 3, gamma: sp.Rational(1, 2), k: sp.Rational(7, 10), tau1: sp.Rational(2, 5)}
    (got,) = ns["eval_anglin_24"](M=3, gamma=0.5, k=0.7, tau1=0.4)
    want = complex(sp.N(P.transport_24().subs(point), 30))
    assert abs(got - want) < 1e-12 * abs(want), (got, want)  # ~1e3 float operations from the expanded form
