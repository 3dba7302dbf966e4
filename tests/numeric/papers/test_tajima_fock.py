"""Momentum-space forms of tajima:13, 16-18 on the general Jordan-Wigner fields, and the barrier modes."""
import numpy as np

from numeric.fields.field_fock import FieldGrid
from numeric.papers.tajima.barrier_modes import square_barrier_amplitudes
from numeric.papers.tajima.ring_fourier import ring_momentum_check


def test_ring_momentum_forms():
    r = ring_momentum_check(3, seed=2)
    for k in ("contact", "pair", "spin", "ind_corrected"):
        assert r[k] < 1e-12, k
    assert r["ind_printed"] > 0.1


def test_ring_fields_are_canonical():
    """The ring's fields are the general grid's: {psi_s(x), psi_s(y)^+} = delta_xy (unitary modes)."""
    g = FieldGrid.random("fermion", ("up", "dn"), (), n_points=3, n_left=1, seed=0)
    for x in range(3):
        for y in range(3):
            a, b = g.field("up", None, x), g.field("up", None, y).conj().T
            anti = (a @ b + b @ a).toarray()
            assert np.allclose(anti, np.eye(g.fock.dim) * (x == y), atol=1e-13)


def test_square_barrier_flux_and_free_limit():
    A, B = square_barrier_amplitudes(k=0.7, m=1.0, V0=0.0, b=1.0)
    assert abs(A) < 1e-12 and abs(B - 1) < 1e-12
    A, B = square_barrier_amplitudes(k=0.4, m=1.0, V0=3.0, b=1.0)
    assert abs(abs(A) ** 2 + abs(B) ** 2 - 1) < 1e-10
