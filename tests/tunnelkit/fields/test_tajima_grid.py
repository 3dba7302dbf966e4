"""tajima:1-10, 19, 22 on the general Fock route: classes read off the unsplit matrix against the printed terms.

The classes come from the matrix of the *unsplit* Hamiltonian (charge masks, the reservoirs with the
other side's fields set to zero: :func:`tunnelkit.fields.field_check.grid_matrices`), a route that shares no
algebra with the symbolic split; the printed terms are evaluated on the same grid.
"""
import numpy as np
import pytest

from pathlib import Path

import derive.fields.field_split as FS
from derive.papers.tajima import split_fields as F
from tunnelkit.fields.field_check import fock_check
from tunnelkit.fields.field_file import split_file
from tunnelkit.registry.tajima_fields import _CHANGES, _on_grid, grid, split_model

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("n,nl,seed", [(2, 1, 4), (3, 2, 5)])
def test_classes_against_printed(n, nl, seed):
    gm = grid(n, nl, seed)
    P = {k: gm.matrix(_on_grid(v)) for k, v in F.printed_terms().items()}
    C = {k: gm.sector(*ch) for k, ch in _CHANGES.items()}
    C["L"], C["R"] = gm.reservoir("L"), gm.reservoir("R")
    C["ind"] = gm.sector({}) - C["L"] - C["R"]
    for k in ("L", "R", "1t", "pair", "ind"):
        assert gm.residual(C[k], P[k]) < 1e-12, k
    assert gm.residual(C["spin"], -P["spin"]) < 1e-12
    assert gm.residual(C["spin"], P["spin"]) > 0.5
    corrected = P["L"] + P["R"] + P["1t"] + P["pair"] - P["spin"] + P["ind"]
    assert gm.residual(gm.hamiltonian, corrected) < 1e-12
    # the sectors and reservoirs exhaust the Hamiltonian (nothing left unclassified)
    assert gm.residual(sum(C.values()), gm.hamiltonian) < 1e-12


def test_current_operators():
    gm = grid(3, 1, 8)
    pc = {k: gm.matrix(_on_grid(v)) for k, v in F.printed_currents().items()}
    assert gm.residual(gm.current({"up": 1, "dn": 1}), pc["I_M"]) < 1e-12
    assert gm.residual(gm.current({"up": 1, "dn": -1}), pc["I_S"]) > 0.1


def test_coupling_override_and_overlap():
    """g = 0 leaves one-body tunnelling only; the orthogonal grid has K_LR = 0 exactly."""
    gm = grid(3, 1, 5, couplings={F.g: 0.0})
    assert gm.couplings[F.g] == 0.0
    assert all(np.abs(v).max() == 0 for k, v in gm.grid.contractions().items() if k[0] == "K")
    assert gm.residual(gm.sector(*_CHANGES["pair"]), 0 * gm.hamiltonian) == 0.0
    assert np.linalg.norm(gm.sector(*_CHANGES["1t"]).toarray()) > 1e-3


def test_contact_model_is_the_field_file():
    """split_fields.CONTACT (one h per spin) splits as examples/fields/spin_half_contact.toml does,
    and the general Fock check passes on it (the registry's key ``split``)."""
    from_file = split_file(ROOT / "examples" / "fields" / "spin_half_contact.toml")
    mine = FS.split(F.CONTACT)
    assert mine.hamiltonian == from_file.hamiltonian
    assert [t.cls for t in mine.terms] == [t.cls for t in from_file.terms]
    assert fock_check(mine, n_points=3, n_left=1, seed=2).ok()


def test_decompose_is_the_general_split():
    """Every word of the general split (tajima:1 with h = T + V) lands in exactly one class."""
    d = F.decompose()
    assert sum(len(v) for v in d.classes.values()) == len(d.hamiltonian) == len(split_model().terms)


def test_generated_operator_code_matches_matrices():
    """`tunnelkit derive tajima:9 --format python` evaluates to the spin sector of the unsplit matrix."""
    from tunnelkit.registry import get, python_of
    entry = get("tajima:9")
    src = python_of(entry, [entry.derived()])
    ns = {}
    exec(src, ns)
    gm = grid(3, 1, 9)
    total = 0
    for x in range(gm.grid.n):
        ops = {}
        for s in ("up", "dn"):
            for i in ("L", "R"):
                f = gm.grid.field(s, i, x)
                ops[f"psi_{s}_{i}"], ops[f"psid_{s}_{i}"] = f, f.conj().T
        total = total + ns["op_tajima_9"](ops, g=gm.couplings[F.g])
    assert gm.residual(total, gm.sector(*_CHANGES["spin"])) < 1e-12


def test_currents_and_conservation():
    from tunnelkit.registry.tajima_momentum import charge_lemma, currents
    assert charge_lemma()
    cur = currents()
    assert F.is_zero(F.sub(cur["I_M"], F.printed_currents()["I_M"]), orthogonal=True)
    commuting = {k for k, v in F.decompose().classes.items()
                 if not any(sum(FS.transfer(w, F.SPINS).values()) for w in v)}
    assert commuting == {"L", "R", "ind", "spin"}


def test_generated_operator_code_reads_latex_parameter_names():
    """`tunnelkit derive tajima:4 --format python`: a parameter named in LaTeX (K^{downarrow}_{LR}) is read from
    ``params`` by that name into a local identifier, so the text compiles (it printed the LaTeX as a Python name)."""
    from tunnelkit.registry import get, python_of
    entry = get("tajima:4")
    src = python_of(entry, [entry.derived()])
    ns = {}
    exec(compile(src, "tajima_4", "exec"), ns)
    K = next(s for s in entry.derived().free_symbols if s.is_commutative and "downarrow" in s.name)
    rng = np.random.default_rng(4)
    ops = {n: rng.standard_normal((3, 3)) for n in ("psi_up_L", "psi_up_R", "psid_up_L", "psid_up_R")}
    one = ns["op_tajima_4"](ops, **{K.name: 1.0, "g": 1.0})
    assert np.abs(one).max() > 0
    assert np.allclose(ns["op_tajima_4"](ops, **{K.name: 2.0, "g": 3.0}), 6.0 * one, rtol=1e-14, atol=0)
    assert not ns["op_tajima_4"](ops, **{K.name: 0.0, "g": 3.0}).any()
