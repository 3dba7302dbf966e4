"""Bose-Fermi mixtures in field files: the split against explicit Kronecker-product matrices.

The reference is built here, independently of :mod:`numeric.fields.fock` and :mod:`numeric.fields.field_fock`:
one point with one L and one R mode per species (orthogonal split, so a field is the sum of its two
modes and every coincident contraction is 1); fermions as Jordan-Wigner 2x2 blocks with sigma_z
strings over the fermion modes only, bosons as truncated oscillators, tensored with ``numpy.kron``.
Bosons are compared on the states from which no word leaves the truncation.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import sympy as sp

import derive.fields.field_split as FS
from tunnelkit.fields.field_check import fock_check
from tunnelkit.fields.field_file import load_fields, split_file

ROOT = Path(__file__).resolve().parents[3]
MIXTURE = ROOT / "examples" / "fields" / "bose_fermi_mixture.toml"
CUT = 5  # boson occupations 0..CUT per mode
TOL = 1e-12


def _modes(kinds: dict, species: tuple) -> dict:
    """(species, side) -> annihilator matrix on the tensor product of all modes (bosons first)."""
    bos = [(s, i) for s in species if kinds[s] == "boson" for i in "LR"]
    fer = [(s, i) for s in species if kinds[s] == "fermion" for i in "LR"]
    a = np.diag(np.sqrt(np.arange(1, CUT + 1)), 1)
    c, z = np.array([[0, 1], [0, 0]]), np.diag([1, -1])
    dims = [CUT + 1] * len(bos) + [2] * len(fer)
    out = {}
    for k, mode in enumerate(bos + fer):
        factors = [np.eye(d) for d in dims]
        if k < len(bos):
            factors[k] = a
        else:
            j = k - len(bos)
            for jj in range(j):  # Jordan-Wigner string over the fermion modes before this one
                factors[len(bos) + jj] = z
            factors[k] = c
        M = np.array([[1.0]])
        for f in factors:
            M = np.kron(M, f)
        out[mode] = M
    return out, bos


def _reference(model: FS.FieldModel, values: dict):
    ops, bos = _modes(model.kinds, model.species)
    dim = next(iter(ops.values())).shape[0]

    def field(s, create, side=None):
        M = ops[(s, "L")] + ops[(s, "R")] if side is None else ops[(s, side)]
        return M.conj().T if create else M

    unsplit = np.zeros((dim, dim))
    most = 0
    for t in model.terms:
        W = np.eye(dim)
        for s, create in t.word:
            W = W @ field(s, create)
        unsplit = unsplit + float(t.coupling.subs(values)) * W
        most = max(most, sum(c for s, c in t.word if model.kinds[s] == "boson"))
    # columns whose boson occupation leaves room for every word's creators
    occ = np.zeros(dim)
    for mode in bos:
        N = ops[mode].conj().T @ ops[mode]
        occ = occ + np.real(np.diag(N))
    cols = np.nonzero(occ + most <= CUT)[0]
    return field, unsplit, cols


def _split_matrix(result: FS.Split, field, values: dict) -> np.ndarray:
    contractions = {FS.coincidence_symbol(s, i): 1 for s in result.model.species for i in "LR"}
    total = 0
    for t in result.terms:
        W = 1
        for op in t.operator:
            s, side = op.label[-2], op.label[-1]
            W = W @ field(s, op.dagger, side) if not isinstance(W, int) else field(s, op.dagger, side)
        if isinstance(W, int):
            W = np.eye(field(result.model.species[0], False, "L").shape[0])
        total = total + complex(t.coefficient.subs(values).subs(contractions)) * W
    return total


def _locals(path: Path) -> FS.FieldModel:
    m = load_fields(path)
    return FS.FieldModel(m.statistics, m.species, tuple(t for t in m.terms if isinstance(t, FS.Local)))


def test_mixture_split_equals_the_kronecker_matrices():
    """Split of the example mixture (all local words) = the unsplit words on explicit matrices."""
    model = _locals(MIXTURE)
    values = {sp.Symbol(n, real=True): v for n, v in (("U_aa", 0.7), ("U_af", 1.3), ("mu", 0.9))}
    field, unsplit, cols = _reference(model, values)
    got = _split_matrix(FS.split(model), field, values)
    assert np.abs(got - unsplit)[:, cols].max() < TOL * np.abs(unsplit).max()


def test_the_fermion_reordering_sign():
    """f a+ f+ a = -a+ f+ f a + a+ a (mixture): -49 mu on the density term, read off the matrices too."""
    model = FS.FieldModel({"a": "boson", "f": "fermion"}, ("a", "f"), (FS.Local("49*mu", ("f", "a+", "f+", "a")),))
    result = FS.split(model)
    word = next(t for t in result.terms if t.fields == ("a_L+", "f_L+", "f_L", "a_L"))
    assert word.coefficient == -49 * sp.Symbol("mu", real=True)
    # the whole split against the written operator on the matrices
    mu = sp.Symbol("mu", real=True)
    field, unsplit, cols = _reference(model, {mu: 1})
    got = _split_matrix(result, field, {mu: 1})
    assert np.abs(got - unsplit)[:, cols].max() < TOL * 49
    # written as all-boson the split gives +49 mu: its matrices do not match the mixture's
    wrong = FS.split(FS.FieldModel("boson", ("a", "f"), model.terms))
    assert next(t for t in wrong.terms if t.fields == word.fields).coefficient == 49 * mu
    assert np.abs(_split_matrix(wrong, field, {mu: 1}) - unsplit)[:, cols].max() > 1


@pytest.mark.parametrize("overlap", ["zero", "K"])
def test_mixture_fock_route(overlap):
    """The project's Fock route (mixed Jordan-Wigner / truncated bosons) on the example files."""
    for name in ("bose_fermi_mixture", "feshbach_molecules"):
        chk = fock_check(split_file(ROOT / "examples" / "fields" / f"{name}.toml", overlap=overlap),
                         n_points=2, n_left=1, seed=4)
        assert not chk.vanishing
        for key, value in chk.residuals.items():
            assert value < 1e-10 if overlap == "zero" or key in ("hamiltonian", "density") else value != value, key


def test_statistics_table_round_trip():
    m = load_fields(MIXTURE)
    assert m.kinds == {"a": "boson", "f": "fermion"} and m.mixture and m.fermions == ("f",)
    assert m == FS.FieldModel({"f": "fermion", "a": "boson"}, ("a", "f"), m.terms)


def test_the_fock_route_catches_a_wrong_one_sided_class():
    """A conversion on side L relabelled as across the junction is caught by the psi_R = 0 comparison."""
    import dataclasses

    result = split_file(ROOT / "examples" / "fields" / "feshbach_molecules.toml")
    k = next(i for i, t in enumerate(result.terms) if t.cls == "conversion L")
    terms = list(result.terms)
    terms[k] = dataclasses.replace(terms[k], cls="conversion across the junction")
    wrong = dataclasses.replace(result, terms=tuple(terms))
    assert fock_check(result, seed=1).residuals["reservoirs"] < 1e-10
    assert fock_check(wrong, seed=1).residuals["reservoirs"] > 1e-3
