"""The one Fock builder (numeric.fields.fock.fock_space): canonical relations, caps, dense view, basis order."""
import itertools

import numpy as np
import pytest

from numeric.fields.fock import fock_space


def test_fermions_obey_the_canonical_anticommutators():
    fs = fock_space(4, "fermi")
    c = fs.dense()
    eye = np.eye(fs.dim)
    for i, j in itertools.product(range(4), repeat=2):
        np.testing.assert_allclose(c[i] @ c[j].conj().T + c[j].conj().T @ c[i], eye * (i == j), atol=0)
        np.testing.assert_allclose(c[i] @ c[j] + c[j] @ c[i], 0, atol=0)


def test_jordan_wigner_string_by_hand():
    # |1,1,0> : c_1 removes the second particle past one occupied mode -> sign -1
    fs = fock_space(3, "fermi")
    src, dst = fs.basis.index((1, 1, 0)), fs.basis.index((1, 0, 0))
    assert fs.a[1][dst, src] == -1 and fs.a[0][fs.basis.index((0, 1, 0)), src] == 1


@pytest.mark.parametrize("cap,dim", [("total", 20), ("mode", 64)])  # C(3+3,3) states; 4^3 states
def test_bosons_below_the_cap(cap, dim):
    fs = fock_space(3, "bose", n_max=3, cap=cap)
    assert fs.dim == dim
    occ = fs.occupations
    assert occ.max() == 3 and (occ.sum(axis=1).max() == 3) == (cap == "total")
    a = fs.dense()
    # [a_i, a_j^dag] = delta_ij on every state from which a_j^dag does not leave the space
    for i, j in itertools.product(range(3), repeat=2):
        comm = a[i] @ a[j].conj().T - a[j].conj().T @ a[i]
        ok = occ.sum(axis=1) < 3 if cap == "total" else occ[:, j] < 3
        np.testing.assert_allclose(comm[:, ok], np.eye(fs.dim)[:, ok] * (i == j), atol=1e-14)
        np.testing.assert_allclose(a[i] @ a[j] - a[j] @ a[i], 0, atol=1e-14)
    # a^dag a counts the occupation
    for j in range(3):
        np.testing.assert_allclose(fs.number(j).diagonal().real, occ[:, j], atol=1e-14)


def test_basis_is_lexicographic_for_every_kind():
    assert fock_space(2, "fermi").basis == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert fock_space(2, "bose", n_max=2).basis == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (2, 0)]
    assert fock_space(2, "bose", n_max=1, cap="mode").basis == [(0, 0), (0, 1), (1, 0), (1, 1)]


def test_bad_statistics_or_cap():
    with pytest.raises(ValueError, match="statistics"):
        fock_space(2, "anyon")
    with pytest.raises(ValueError, match="cap"):
        fock_space(2, "bose", cap="site")
