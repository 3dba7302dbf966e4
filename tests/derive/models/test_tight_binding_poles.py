"""Zeros of det(omega - H - Sigma): bound states and resonances against independent routes.

* a level outside the band: solved by hand (omega = 10/3, z = -1/3);
* a Hermitian three-site junction: bound states = the isolated eigenvalues of the lattice with its
  leads truncated to 400 sites (numpy.linalg.eigvalsh), outside every band;
* the anglin lattice at tau1 = Lambda = 1 (a uniform chain with one lossy site): the one bound state of the
  elementary solution e^{ik|m|} with 2i sin k = -i gamma/2, decaying iff gamma > 4, at
  omega = -2i sinh(arccosh(gamma/4)) (anglin:appD-bound-state);
  in the reservoir limit the resonances approach the isolated-chain frequencies (anglin:25) as tau1 -> 0;
* every zero makes det(omega - H - Sigma) vanish, with Sigma from the test's own lead roots.
"""
from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from derive.papers.anglin.general_route import lattice_model as anglin_model
from derive.models.model_poles import poles, resonance_polynomial
from derive.models.symbolic_model import SymbolicModel

DOT = {"parameters": {"e": {}}, "sites": {"a": "e"},
       "leads": [{"name": "L", "site": "a", "hopping": "-1", "coupling": "-1"}]}


def test_level_outside_the_band_by_hand():
    # omega - e + z = 0 with omega = -(z + 1/z): z = -1/e, omega = e + 1/e
    found = poles(SymbolicModel(DOT), where={"e": 3}, dps=50)
    assert len(found) == 1 and found[0].bound
    with mpmath.workdps(60):
        assert abs(found[0].omega - mpmath.mpf(10) / 3) < mpmath.mpf(10) ** -45
        assert abs(found[0].z["L"] + mpmath.mpf(1) / 3) < mpmath.mpf(10) ** -45


JUNCTION = {
    "sites": {"a": "2.6", "b": "-0.4", "c": "-2.9"},
    "hoppings": [{"sites": ["a", "b"], "value": "-0.9"}, {"sites": ["b", "c"], "value": "-1.1"},
                 {"sites": ["a", "c"], "value": "0.3"}],
    "leads": [{"name": "L", "site": "a", "hopping": "-1", "coupling": "-0.8"},
              {"name": "R", "site": "c", "hopping": "-0.75", "potential": "0.5", "coupling": "-0.7"}],
}


def truncated_spectrum(n_lead: int) -> np.ndarray:
    """Eigenvalues of the junction with each lead cut after ``n_lead`` sites."""
    H = np.zeros((3 + 2 * n_lead, 3 + 2 * n_lead))
    H[:3, :3] = [[2.6, -0.9, 0.3], [-0.9, -0.4, -1.1], [0.3, -1.1, -2.9]]
    for start, site, t, e, c in ((3, 0, -1.0, 0.0, -0.8), (3 + n_lead, 2, -0.75, 0.5, -0.7)):
        H[site, start] = H[start, site] = c
        for j in range(n_lead):
            H[start + j, start + j] = e
            if j + 1 < n_lead:
                H[start + j, start + j + 1] = H[start + j + 1, start + j] = t
    return np.linalg.eigvalsh(H)


def test_bound_states_are_the_isolated_levels_of_a_long_lattice():
    found = [p for p in poles(SymbolicModel(JUNCTION), dps=30) if p.bound]
    closed = sorted(float(p.omega.real) for p in found)
    assert all(abs(p.omega.imag) < 1e-25 for p in found)
    ev = truncated_spectrum(400)
    outside = ev[(ev < -2.0 - 1e-3) | (ev > 2.0 + 1e-3)]  # the union of the bands is [-2, 2]
    assert len(outside) == len(closed) >= 2
    assert np.allclose(outside, closed, rtol=0, atol=1e-10)


def _independent_det(model_dict: dict, values: dict, pole) -> tuple[float, float]:
    """|det(omega - H - Sigma)| and its scale, Sigma = |c|^2 z/t with z the pole's root of the lead quadratic."""
    sym = SymbolicModel(model_dict)
    H = np.array(sym.hamiltonian(where=values).evalf(30), dtype=complex)
    w = complex(pole.omega)
    A = w * np.eye(len(H)) - H
    idx = {s: k for k, s in enumerate(sym.sites(where=values))}
    for lead in model_dict["leads"]:
        sys_lead = sym._lead(lead["name"], values)
        t, e, c = (complex(sp.N(x.xreplace({sym.symbols[k]: sp.sympify(v) for k, v in values.items()
                                            if not (isinstance(v, str) and "inf" in v)}), 30))
                   for x in (sys_lead.t, sys_lead.e, sys_lead.c))
        roots = np.roots([t, -(w - e), t])
        z = roots[np.argmin(np.abs(roots - complex(pole.z[lead["name"]])))]
        A[idx[sys_lead.site], idx[sys_lead.site]] -= abs(c) ** 2 * z / t
    return abs(np.linalg.det(A)), np.prod(np.abs(np.diag(A))) + 1


@pytest.mark.parametrize("gamma", [4.5, 6.0])
def test_anglin_bound_state_is_the_elementary_one(gamma):
    values = {"M": 1, "tau1": 1, "gamma": gamma, "Lambda": 1, "V": 0}
    found = [p for p in poles(SymbolicModel(anglin_model(True)), where=values, dps=30) if p.bound]
    assert len(found) == 1  # the uniform chain with one lossy site binds exactly one state for gamma > 4
    assert abs(complex(found[0].omega) + 2j * math.sinh(math.acosh(gamma / 4))) < 1e-12
    for p in poles(SymbolicModel(anglin_model(True)), where=values, dps=30):
        value, scale = _independent_det(anglin_model(True), values, p)
        assert value < 1e-12 * scale


def test_anglin_reservoir_limit_resonances_approach_the_chain_levels():
    tau1 = sp.Rational(1, 100)
    found = poles(SymbolicModel(anglin_model(True)), where={"M": 2, "tau1": tau1, "gamma": 0, "Lambda": "inf",
                                                            "V": 0}, dps=30)
    assert not any(p.bound for p in found)  # the leads stay open: every zero is a resonance
    chain = sorted(-2 * math.cos(n * math.pi / 6) for n in range(1, 6))  # anglin:25, M = 2
    assert len(found) == 5
    for p, w_n in zip(found, chain):
        assert abs(float(p.omega.real) - w_n) < 5 * float(tau1) ** 2
        assert -float(tau1) ** 2 < float(p.omega.imag) <= 0


def test_resonance_polynomial_needs_every_value():
    with pytest.raises(ValueError, match="give values for e"):
        resonance_polynomial(SymbolicModel(DOT))
