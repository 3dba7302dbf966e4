"""The operator algebra against Jordan-Wigner / truncated-boson matrices (independent representation)."""

import numpy as np
import pytest
import sympy as sp

from derive.fields.field_algebra import Algebra, Ladder
from numeric.fields.fock import fock_space


def delta(x, y):
    return sp.KroneckerDelta(x, y)


@pytest.mark.parametrize("stats", ["fermi", "bose"])
def test_canonical_relations(stats):
    i, j = sp.symbols("i j", integer=True)
    alg = Algebra(stats, delta)
    a, ad = alg.annihilator, alg.creator
    s = -1 if stats == "fermi" else 1
    rel = alg.normal_order(alg.add(alg.mul(a(i), ad(j)), alg.scale(alg.mul(ad(j), a(i)), -s)))
    assert rel == {(): sp.KroneckerDelta(i, j)}
    assert alg.normal_order(alg.add(alg.mul(a(i), a(j)), alg.scale(alg.mul(a(j), a(i)), -s))) == {}
    if stats == "fermi":
        assert alg.normal_order(alg.mul(ad(i), ad(i))) == {}


@pytest.mark.parametrize("stats", ["fermi", "bose"])
def test_bilinear_commutator(stats):
    i, j, k, l = sp.symbols("i j k l", integer=True)
    alg = Algebra(stats, delta)
    a, ad = alg.annihilator, alg.creator
    lhs = alg.commutator(alg.mul(ad(i), a(j)), alg.mul(ad(k), a(l)))
    rhs = alg.normal_order(alg.add(alg.scale(alg.mul(ad(i), a(l)), sp.KroneckerDelta(j, k)),
                                   alg.scale(alg.mul(ad(k), a(j)), -sp.KroneckerDelta(i, l))))
    assert alg.add(lhs, alg.scale(rhs, -1)) == {}


def _matrix(fs, el):
    out = np.zeros((fs.dim, fs.dim), dtype=complex)
    for word, c in el.items():
        m = np.eye(fs.dim, dtype=complex)
        for op in word:
            A = fs.a[op.label].toarray()
            m = m @ (A.conj().T if op.dagger else A)
        out += complex(c) * m
    return out


@pytest.mark.parametrize("stats", ["fermi", "bose"])
def test_normal_ordering_preserves_the_operator(stats):
    # random words on 3 modes: the normal-ordered element equals the original product as a matrix
    fs = fock_space(3, stats, n_max=6)
    alg = Algebra(stats, lambda x, y: sp.Integer(1 if x == y else 0))
    rng = np.random.default_rng(0)
    for _ in range(25):
        word = tuple(Ladder(int(rng.integers(0, 3)), bool(rng.integers(0, 2))) for _ in range(4))
        el = {word: sp.Integer(1)}
        A, B = _matrix(fs, el), _matrix(fs, alg.normal_order(el))
        if stats == "bose":  # a word adds at most 4 bosons: exact on states with <= 2 (cut-off 6)
            keep = [i for i, occ in enumerate(fs.basis) if sum(occ) <= 2]
            A, B = A[:, keep], B[:, keep]
        np.testing.assert_allclose(A, B, atol=1e-12)
