"""Parameters set to inf: sympy.limit, against large-parameter extrapolation of the direct solve.

* Wide band: two leads of hopping -Lambda, coupling -tau*sqrt(Lambda), potentials +-V/2 (a third lead
  finite).  The closed form at Lambda = inf (and the evaluator generated with it) against the direct
  solve at Lambda = 1e4, 2e4, 4e4 extrapolated to 1/Lambda -> 0 (Richardson, error O(Lambda^-3)).
* A limit inside the region (a site energy eps + U, U -> inf) is taken of the whole quantity; the
  site decouples, so the limit is the direct solve of the model without that site.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive.codegen.model_modules import evaluator_source
from derive.models.model_values import ModelValueError
from derive.models.symbolic_model import SymbolicModel
from tests.derive.models.tb_reference import reference

WIDE = {
    "name": "wide band",
    "parameters": {"tau": {"range": "> 0"}, "Lambda": {"range": ">= 1"}, "V": {}, "g": {"range": ">= 0"}},
    "sites": {"a": "0.1", "b": "-0.2 - I*g/2", "c": "0.3"},
    "hoppings": [{"sites": ["a", "b"], "value": "-1"}, {"sites": ["b", "c"], "value": "-0.8 + 0.1*I"}],
    "leads": [{"name": "L", "site": "a", "hopping": "-Lambda", "potential": "V/2", "coupling": "-tau*sqrt(Lambda)"},
              {"name": "R", "site": "c", "hopping": "-Lambda", "potential": "-V/2", "coupling": "-tau*sqrt(Lambda)"},
              {"name": "C", "site": "b", "hopping": "-1", "potential": "0.5", "coupling": "0.4"}],
}
VALUES = {"tau": sp.Rational(7, 10), "V": sp.Rational(3, 4), "g": sp.Rational(2, 5)}
OMEGAS = (-1.1, 0.2, 1.3, 2.9)  # lead C open at the first three, closed at the last
NAMES = ("T2:L->R", "T2:C->L", "R2:L", "absorbed:R", "S:R,L", "G:a,c", "det")


def extrapolated(name: str, w: float) -> complex:
    """Richardson extrapolation in h = 1/Lambda from h, h/2, h/4 (h = 1e-4)."""
    f = [reference(WIDE, {**VALUES, "Lambda": sp.Integer(lam)}, w)[name] for lam in (10_000, 20_000, 40_000)]
    return (f[0] - 6 * f[1] + 8 * f[2]) / 3


def close(a, b, rel=1e-9) -> bool:
    return abs(complex(a) - complex(b)) <= rel * abs(complex(b)) + 1e-12


def test_wide_band_limit_of_the_closed_forms():
    sym = SymbolicModel(WIDE)
    assert sym.self_energy("L", where={"Lambda": "inf"}) == -sp.I * sym.symbols["tau"] ** 2
    sub = {sym.symbols[k]: v for k, v in VALUES.items()}
    zC = sym.bloch_symbol("C")
    for name in NAMES:
        expr = sym.quantity(name, where={"Lambda": "inf"}, regime="general").xreplace(sub)
        assert not expr.has(sym.symbols["Lambda"], sp.Symbol("z_L"), sp.Symbol("z_R"))
        f = sp.lambdify([sym.omega, zC], expr, "numpy")
        for w in OMEGAS:
            ref = reference(WIDE, {**VALUES, "Lambda": sp.Integer(10_000)}, w)
            want = extrapolated(name, w)
            assert close(f(w, ref["_z"]["C"]), want), (name, w)


def test_wide_band_limit_of_the_generated_evaluator():
    ns = {}
    exec(evaluator_source(WIDE, list(NAMES), backend="numpy", where={"Lambda": "inf"}), ns)
    assert ns["ARGUMENTS"] == ("omega", "tau", "V", "g")
    out = ns["evaluate"](np.array(OMEGAS), *[float(VALUES[k]) for k in ("tau", "V", "g")])
    for i, name in enumerate(NAMES):
        for j, w in enumerate(OMEGAS):
            assert close(out[i][j], extrapolated(name, w)), (name, w)


REGION = {
    "name": "decoupling site",
    "parameters": {"U": {"range": ">= 0"}},
    "sites": {"a": "0.1 - 0.2*I", "d": "0.4 + U", "b": "-0.3"},
    "hoppings": [{"sites": ["a", "d"], "value": "0.7"}, {"sites": ["a", "b"], "value": "-1"}],
    "leads": [{"name": "L", "site": "a", "hopping": "-1", "coupling": "-0.9"},
              {"name": "R", "site": "b", "hopping": "-1.25", "potential": "0.2", "coupling": "-0.6"}],
}
WITHOUT_D = {**REGION, "parameters": {}, "sites": {"a": "0.1 - 0.2*I", "b": "-0.3"},
             "hoppings": [{"sites": ["a", "b"], "value": "-1"}]}


@pytest.mark.parametrize("name", ["T2:L->R", "absorbed:L", "G:a,b"])
def test_limit_inside_the_region_is_taken_of_the_whole_quantity(name):
    sym = SymbolicModel(REGION)
    expr = sym.quantity(name, where={"U": "inf"})  # in omega with the explicit Bloch factors (principal roots)
    assert not expr.has(sym.symbols["U"]) and not expr.has(sp.Limit)
    f = sp.lambdify([sym.omega], expr, "numpy")
    for w in (-0.5, 0.3, 1.1):
        assert close(f(complex(w)), reference(WITHOUT_D, {}, w)[name], rel=1e-10), (name, w)


def test_evaluator_refuses_a_limit_inside_the_region():
    with pytest.raises(ModelValueError, match="changes the region itself"):
        evaluator_source(REGION, ["T2:L->R"], backend="numpy", where={"U": "inf"})
