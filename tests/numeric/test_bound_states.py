"""App. D bound states: closed condition vs elementary solution vs finite lattices."""
import math


from numeric.anglin.bound_states import bound_states, finite_lattice_bound_states
from numeric.anglin.parameters import LossyLattice


def test_uniform_chain_binds_above_gamma_4_only():
    # elementary: e^{ik|m|} with 2i sin k = -i gamma/2 decays iff gamma > 4; omega = -2i sinh(arccosh(gamma/4))
    for g in (3.5, 4.5, 7.0):
        bs = bound_states(LossyLattice(2, 1.0, g, 1.0), seeds=8)
        if g < 4:
            assert bs == []
        else:
            (b,) = bs
            assert abs(b.omega + 2j * math.sinh(math.acosh(g / 4))) < 1e-12


def test_closed_condition_agrees_with_large_finite_lattice():
    lat = LossyLattice(3, 0.3, 6.0, 2.0, 0.5)
    closed = [b.omega for b in bound_states(lat, seeds=16)]
    finite = finite_lattice_bound_states(lat, 300)
    assert len(closed) == len(finite) == 4
    assert max(min(abs(w - f) for f in finite) for w in closed) < 1e-9
