"""The anglin lattice written as a model gives, by the general route, the paper-specific closed forms.

The model: a lossy site (-i gamma/2) between two segments of M sites (hopping -1); weak links
-tau1*sqrt(Lambda) from the outer segment ends (the corrected placement, erratum anglin:2) to
leads of hopping -Lambda and potentials +-V/2.  The general closed forms (derive.models.symbolic_model:
Schur complements, lead Bloch factors, Chebyshev segments) are compared with

* |T|^2 at finite Lambda, M = 0..4 and symbolic M, with the transmitted amplitude of the wave functions
  matched site by site in App. A (derive.papers.anglin.scattering: T = t_L sqrt(sin k_R/sin k_L), t_L = ntL/Z),
* the reservoir limit Lambda -> oo (sympy.limit of the lead self-energies here) with the paper's printed
  |T|^2 and |R|^2 of anglin:37 and the transport factor 1 + |T|^2 - |R|^2 = 2|T|^2 + a_L of anglin:24
  (derive.papers.anglin.printed; the registry verifies them), M = 0..4 and symbolic M;
* in numbers, the evaluator generated from the general closed form (M a run-time argument) against
  the direct solver (numeric.models.greens.solve) on the same model up to M = 400.

With omega = -2 cos k and z_{L,R} = e^{i k_{L,R}} both sides become rational functions of
independent exponentials (derive.claims.proof.exp_canonical); the identity is decided exactly at random
rational points (derive.claims.proof.exact_random_zero, a Schwartz-Zippel test).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest
import sympy as sp

from derive.papers.anglin import printed
from derive.papers.anglin.scattering import amplitudes
from derive.papers.anglin.general_route import general_form as general
from derive.papers.anglin.general_route import identical, lattice_model
from derive.papers.anglin.symbols import M, conj_real, k, kL, kR
from derive.codegen.model_modules import evaluator_source
from derive.models.symbolic_model import SymbolicModel
from numeric.models.greens import solve
from numeric.models.tight_binding import from_model


def anglin_T2_finite() -> sp.Basic:
    """|T|^2 = |t_L|^2 sin k_R/sin k_L from the App. A wave functions matched site by site (derive.papers.anglin.scattering)."""
    amp = amplitudes()
    t_L = amp.ntL / amp.Z
    return t_L * conj_real(t_L) * sp.sin(kR) / sp.sin(kL)


@lru_cache(maxsize=None)
def reservoir() -> dict:
    """The paper's Lambda -> oo forms: |T|^2 and |R|^2 of anglin:37, the transport factor of anglin:24 and the
    absorbed fraction a_L = transport - 2|T|^2 it implies (derive.papers.anglin.printed, as printed)."""
    T2, transport = printed.T2_inf(), printed.transport_24()
    return {"T2": T2, "R2": printed.R2_inf(), "transport_L": transport, "aL": transport - 2 * T2}


@pytest.mark.parametrize("m_value", [0, 1, 2, 3, 4])
def test_finite_lambda_transmission_is_anglin_36(m_value):
    assert identical(general("T2:L->R", m_value, infinite=False), anglin_T2_finite().subs(M, m_value), [k, kL, kR])


@pytest.mark.parametrize("m_value", [0, 1, 2, 3, 4])
def test_reservoir_limit_is_anglin_24_and_37(m_value):
    T2 = general("T2:L->R", m_value, infinite=True)
    R2 = general("R2:L", m_value, infinite=True)
    absorbed = general("absorbed:L", m_value, infinite=True)
    INF = reservoir()
    assert identical(T2, INF["T2"].subs(M, m_value), [k])                           # |T|^2, anglin:37
    assert identical(R2, INF["R2"].subs(M, m_value), [k])                           # |R_L|^2, anglin:37
    assert identical(1 + T2 - R2, INF["transport_L"].subs(M, m_value), [k])          # anglin:24
    assert identical(absorbed, INF["aL"].subs(M, m_value), [k])


def test_symbolic_M_through_chebyshev_segments():
    assert identical(general("T2:L->R", None, infinite=False), anglin_T2_finite(), [k, kL, kR], [M])
    T2, R2 = general("T2:L->R", None, infinite=True), general("R2:L", None, infinite=True)
    INF = reservoir()
    assert identical(T2, INF["T2"], [k], [M])
    assert identical(1 + T2 - R2, INF["transport_L"], [k], [M])


def test_the_check_can_fail():
    """A 0.1 % change of the reference is detected (the identity test is not vacuous)."""
    wrong = reservoir()["T2"] * (1 + sp.sin(k) / 1000)
    assert not identical(general("T2:L->R", None, infinite=True), wrong, [k], [M])
    assert not identical(general("T2:L->R", 2, infinite=False), anglin_T2_finite().subs(M, 3), [k, kL, kR])


def test_wide_band_self_energy_comes_out_of_the_limit():
    """Sigma_L = |c|^2 z_L/t_L -> -i tau1^2 by sympy.limit of the explicit Bloch factor (nothing substituted)."""
    mod = SymbolicModel(lattice_model(True))
    assert mod.self_energy("L") == -mod.symbols["tau1"] ** 2 * sp.Symbol("z_L")
    assert sp.simplify(mod.self_energy("L", where={"Lambda": "inf"}) + sp.I * mod.symbols["tau1"] ** 2) == 0


@pytest.mark.parametrize("Lambda, V", [(np.inf, 0.0), (1.5, 0.4)])
def test_general_evaluator_with_symbolic_M_equals_the_anglin_evaluator(Lambda, V):
    """Numbers: the generated general evaluator (M a run-time argument) against the direct solver on the model."""
    where = {"Lambda": "inf", "V": 0} if np.isinf(Lambda) else {}
    ns = {}
    exec(evaluator_source(lattice_model(True), ["T2:L->R", "R2:L", "absorbed:L"], backend="numpy", where=where), ns)
    w = np.linspace(-2.5, 2.5, 41) + 0.013
    for m_value in (1, 3, 7, 40, 400):
        extra = () if np.isinf(Lambda) else (Lambda, V)
        T2, R2, aL = ns["evaluate"](w, 0.3, 0.8, *extra, m_value)  # tau1, gamma, [Lambda, V], M
        values = dict(M=m_value, tau1=0.3, gamma=0.8, Lambda="inf" if np.isinf(Lambda) else Lambda, V=V)
        ref = solve(from_model(lattice_model(True), values), w)
        ok = np.isfinite(ref.R2("L")) & (ref.T2("L", "R") > 1e-250)  # the direct solve underflows first
        assert ok.sum() > 10 and np.all(np.isfinite(T2))
        np.testing.assert_allclose(T2[ok], ref.T2("L", "R")[ok], rtol=1e-11, atol=1e-300)
        np.testing.assert_allclose(R2[ok], ref.R2("L")[ok], rtol=1e-11)
        np.testing.assert_allclose(aL[ok], ref.absorbed("L")[ok], rtol=1e-10, atol=1e-14)
