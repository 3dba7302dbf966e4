"""Section II reduction and the App. C/D identities, symbolically."""
import pytest
import sympy as sp

from derive.papers.anglin import master_equation as ME
@pytest.mark.parametrize("stats", ["fermi", "bose"])
def test_master_equation_is_the_printed_one(stats):
    assert sp.simplify(ME.single_particle_master_equation(stats).rhs - ME.printed_master_equation()) == 0


def test_particle_loss_rate():
    assert sp.simplify(ME.particle_number_rate("fermi") + sp.Symbol("gamma", nonnegative=True)
                       * sp.Symbol("tau", positive=True) * ME.R(0, 0)) == 0


def test_ansatz_needs_exactly_equation_9():
    diff, combo = ME.ansatz_residual()
    assert ME.apply_kronecker(diff - combo) == 0


def test_printed_energy_current_is_the_hermitian_divergence_but_loss_terms_differ():
    eb = ME.energy_balance()
    assert sp.expand(eb["hermitian"] - eb["divergence"]) == 0
    assert ME.apply_kronecker(eb["loss"] - eb["printed_loss"]) != 0


def test_wronskian():
    lhs, rhs = ME.wronskian()
    assert sp.expand(lhs - rhs) == 0
