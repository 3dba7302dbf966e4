"""The anglin lattice written as a model gives, by the general route, the paper-specific closed forms.

The model: a lossy site (-i gamma/2) between two segments of M sites (hopping -1); weak links
-tau1*sqrt(Lambda) from the outer segment ends (the corrected placement, erratum anglin:2) to
leads of hopping -Lambda and potentials +-V/2.  The general closed forms (derive.symbolic_model:
Schur complements, lead Bloch factors, Chebyshev segments) are compared with the project's
anglin-specific derivation (derive.anglin.evaluator_specs, from the matched wave functions of App. A):

* |T|^2 of anglin:36 at finite Lambda, M = 0..4 and symbolic M,
* the reservoir limit Lambda -> oo (sympy.limit of the lead self-energies here, of the outer blocks
  there): |T|^2 of anglin:37, the transport factor 1 + |T|^2 - |R|^2 of anglin:24, |R|^2 and the
  absorbed fraction, M = 0..4 and symbolic M;
* in numbers, the evaluator generated from the general closed form (M a run-time argument) against
  the paper-specific generated evaluator (numeric.anglin.transmission) up to M = 400.

With omega = -2 cos k and z_{L,R} = e^{i k_{L,R}} both sides become rational functions of
independent exponentials (derive.proof.exp_canonical); the identity is decided exactly at random
rational points (derive.proof.exact_random_zero, a Schwartz-Zippel test).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest
import sympy as sp

from derive.anglin.evaluator_specs import edge_safe_outputs, infinite_outputs
from derive.anglin.general_route import general_form as general
from derive.anglin.general_route import identical, lattice_model
from derive.anglin.symbols import M, conj_real, k, kL, kR
from derive.model_codegen import evaluator_source
from derive.symbolic_model import SymbolicModel
from numeric.anglin.parameters import LossyLattice
from numeric.anglin.transmission import transmission


def anglin_T2_finite() -> sp.Basic:
    """|T|^2 of anglin:36: T = i sin k sqrt(sin k_L sin k_R)/Zhat (derive.anglin.evaluator_specs)."""
    Zh = dict(edge_safe_outputs(1, 1))["Z"]
    return sp.sin(k) ** 2 * sp.sin(kL) * sp.sin(kR) / (Zh * conj_real(Zh))


def abs2(x):
    return x * conj_real(x, (k,))


def without_abs(expr: sp.Basic) -> sp.Basic:
    """|x|^(2n) -> (x conj(x))^n (k real) in the anglin forms, so that they are exp-polynomials."""
    return expr.replace(lambda e: e.is_Pow and isinstance(e.base, sp.Abs) and e.exp.is_even,
                        lambda e: abs2(e.base.args[0]) ** (e.exp / 2))


@lru_cache(maxsize=None)
def reservoir() -> dict:
    """anglin's Lambda -> oo outputs (T, R_L, a_L, transport_L), |x|^2 written as x conj(x).

    ``infinite_outputs`` takes ~40 s cold (sympy.limit of the derived blocks); it is lru-cached and
    the default suite computes it anyway (tests/derive/test_codegen.py, test_limits.py run first).
    """
    return {name: without_abs(value) for name, value in infinite_outputs()}


@pytest.mark.parametrize("m_value", [0, 1, 2, 3, 4])
def test_finite_lambda_transmission_is_anglin_36(m_value):
    assert identical(general("T2:L->R", m_value, infinite=False), anglin_T2_finite().subs(M, m_value), [k, kL, kR])


@pytest.mark.parametrize("m_value", [0, 1, 2, 3, 4])
def test_reservoir_limit_is_anglin_24_and_37(m_value):
    T2 = general("T2:L->R", m_value, infinite=True)
    R2 = general("R2:L", m_value, infinite=True)
    absorbed = general("absorbed:L", m_value, infinite=True)
    INF = reservoir()
    assert identical(T2, abs2(INF["T"]).subs(M, m_value), [k])                      # |T|^2, anglin:37
    assert identical(R2, abs2(INF["RL"]).subs(M, m_value), [k])                     # |R_L|^2, anglin:37
    assert identical(1 + T2 - R2, INF["transport_L"].subs(M, m_value), [k])          # anglin:24
    assert identical(absorbed, INF["aL"].subs(M, m_value), [k])


def test_symbolic_M_through_chebyshev_segments():
    assert identical(general("T2:L->R", None, infinite=False), anglin_T2_finite(), [k, kL, kR], [M])
    T2, R2 = general("T2:L->R", None, infinite=True), general("R2:L", None, infinite=True)
    INF = reservoir()
    assert identical(T2, abs2(INF["T"]), [k], [M])
    assert identical(1 + T2 - R2, INF["transport_L"], [k], [M])


def test_the_check_can_fail():
    """A 0.1 % change of the reference is detected (the identity test is not vacuous)."""
    wrong = abs2(reservoir()["T"]) * (1 + sp.sin(k) / 1000)
    assert not identical(general("T2:L->R", None, infinite=True), wrong, [k], [M])
    assert not identical(general("T2:L->R", 2, infinite=False), anglin_T2_finite().subs(M, 3), [k, kL, kR])


def test_wide_band_self_energy_comes_out_of_the_limit():
    """Sigma_L = |c|^2 z_L/t_L -> -i tau1^2 by sympy.limit of the explicit Bloch factor (nothing substituted)."""
    mod = SymbolicModel(lattice_model(True))
    assert mod.self_energy("L") == -mod.symbols["tau1"] ** 2 * sp.Symbol("z_L")
    assert sp.simplify(mod.self_energy("L", where={"Lambda": "inf"}) + sp.I * mod.symbols["tau1"] ** 2) == 0


@pytest.mark.parametrize("Lambda, V", [(np.inf, 0.0), (1.5, 0.4)])
def test_general_evaluator_with_symbolic_M_equals_the_anglin_evaluator(Lambda, V):
    """Numbers: the generated general evaluator (M a run-time argument) against numeric.anglin.transmission."""
    where = {"Lambda": "inf", "V": 0} if np.isinf(Lambda) else {}
    ns = {}
    exec(evaluator_source(lattice_model(True), ["T2:L->R", "R2:L", "absorbed:L"], backend="numpy", where=where), ns)
    w = np.linspace(-2.5, 2.5, 41) + 0.013
    for m_value in (1, 3, 7, 40, 400):
        extra = () if np.isinf(Lambda) else (Lambda, V)
        T2, R2, aL = ns["evaluate"](w, 0.3, 0.8, *extra, m_value)  # tau1, gamma, [Lambda, V], M
        with np.errstate(over="ignore", invalid="ignore"):  # the paper evaluator overflows at M = 400, |omega| > 2
            ref = transmission(LossyLattice(M=m_value, tau1=0.3, gamma=0.8, Lambda=Lambda, V=V), w)
        ok = np.isfinite(ref.RL2) & np.isfinite(ref.T2)
        assert ok.sum() > 10 and np.all(np.isfinite(T2))
        np.testing.assert_allclose(T2[ok], ref.T2[ok], rtol=1e-11, atol=1e-300)
        np.testing.assert_allclose(R2[ok], ref.RL2[ok], rtol=1e-11)
        np.testing.assert_allclose((1 + T2 - R2)[ok], ref.transport_L[ok], rtol=1e-11, atol=1e-14)
