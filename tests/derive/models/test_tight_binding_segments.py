"""Segments of symbolic length (transfer matrices, Chebyshev polynomials) against explicit lengths 1..6.

Three routes meet: the closed form with symbolic lengths N, K evaluated at N = n (derive.models.chain_segments);
the closed form of the model with the length given (explicit sites, no Chebyshev); the independent
direct solve of tb_reference.py on the explicit lattice.  The first two must agree exactly (exact
Gaussian-rational arithmetic at a random point), the first and the third to 1e-10, and the generated
evaluators (N, K run-time arguments) too.
"""
from __future__ import annotations

import random
from functools import lru_cache

import mpmath
import numpy as np
import pytest
import sympy as sp

from derive.codegen.model_modules import evaluator_source
from derive.models.symbolic_model import SymbolicModel
from tests.derive.models.tb_reference import reference

RING = {
    "name": "ring",
    "parameters": {"N": {"kind": "integer", "range": ">= 1"}, "K": {"kind": "integer", "range": ">= 1"},
                   "g": {"range": ">= 0"}, "hw": {}},
    "sites": {"a": "0.2 - I*g/2"},
    "segments": [{"name": "wire", "length": "N", "energy": "-0.3", "hopping": "hw"},
                 {"name": "arm", "length": "K", "energy": "0.3 - 0.2*I", "hopping": "0.8 + 0.3*I"}],
    "hoppings": [{"sites": ["a", "wire.first"], "value": "-1"}, {"sites": ["a", "arm.first"], "value": "0.6"},
                 {"sites": ["wire.last", "arm.last"], "value": "0.25", "reverse": "0.35"}],
    "leads": [{"name": "L", "site": "a", "hopping": "-1", "potential": "0", "coupling": "-0.7"},
              {"name": "R", "site": "wire.last", "hopping": "1.25", "potential": "0.5", "coupling": "0.6*I"},
              {"name": "C", "site": "arm.last", "hopping": "-0.75", "potential": "-0.25", "coupling": "0.5"}],
}
WIRE = {
    "name": "lossy wire",
    "parameters": {"N": {"kind": "integer", "range": ">= 1"}, "eps": {}, "g": {"range": ">= 0"}},
    "segments": [{"name": "w", "length": "N", "energy": "eps - I*g/2", "hopping": "-1"}],
    "leads": [{"name": "L", "site": "w.first", "hopping": "-1", "coupling": "-0.8"},
              {"name": "R", "site": "w.last", "hopping": "-1.5", "potential": "0.25", "coupling": "-1"}],
}
VALUES = {"ring": {"g": sp.Rational(3, 5), "hw": sp.Rational(-9, 10)},
          "lossy wire": {"eps": sp.Rational(1, 10), "g": sp.Rational(1, 4)}}
OMEGAS = (-0.7, 0.35, 1.9)  # ring: all leads open / R, C open / only R open
LENGTHS = [(n, 2) for n in range(1, 7)] + [(3, 1)]


@lru_cache(maxsize=None)
def model(name: str) -> SymbolicModel:
    return SymbolicModel(RING if name == "ring" else WIRE)


def names(sym: SymbolicModel) -> list[str]:
    out = [q for q in sym.quantities() if not q.startswith("G:")]
    return out + ["G:a,wire.last", "G:wire.first,arm.last"] if "K" in sym.symbols else out + ["G:w.first,w.last"]


def lengths(sym: SymbolicModel, n: int, k: int) -> dict:
    return {sym.symbols["N"]: n, **({sym.symbols["K"]: k} if "K" in sym.symbols else {})}


def test_symbolic_lengths_appear_through_chebyshev_polynomials():
    sym = model("ring")
    assert sym.sites() == ("a", "wire.first", "wire.last", "arm.first", "arm.last")
    det = sym.quantity("det")
    assert det.has(sp.chebyshevu) and sym.symbols["N"] in det.free_symbols
    assert sym.sites(where={"N": 3, "K": 2})[:4] == ("a", "wire[0]", "wire[1]", "wire[2]")


def chebyshev_u(n, x):
    """U_n(x) from U_{k+1} = 2x U_k - U_{k-1}, U_0 = 1, U_{-1} = 0 (U_{-2} = -1); the test's own route."""
    x = np.asarray(x, dtype=complex)
    if n == -2:
        return -np.ones_like(x)
    prev, cur = np.zeros_like(x), np.ones_like(x)
    for _ in range(n):
        prev, cur = cur, 2 * x * cur - prev
    return cur if n >= 0 else prev


def site_key(name: str, n: int, k: int) -> str:
    """The reference's name of a quantity (explicit sites)."""
    return (name.replace("wire.last", f"wire[{n - 1}]").replace("wire.first", "wire[0]")
            .replace("arm.last", f"arm[{k - 1}]").replace("w.first", "w[0]").replace("w.last", f"w[{n - 1}]"))


@pytest.mark.parametrize("which", ["ring", "lossy wire"])
def test_every_length_equals_the_explicit_lattice(which):
    """One closed form with symbolic N (and K), evaluated at N = 1..6, against the direct solve."""
    sym = model(which)
    spec = RING if which == "ring" else WIRE
    pars = {sym.symbols[k]: v for k, v in VALUES[which].items()}
    zs = [sym.bloch_symbol(p) for p in sym.leads]
    lens = [sym.symbols["N"]] + ([sym.symbols["K"]] if "K" in sym.symbols else [])
    cases = LENGTHS if which == "ring" else [(n, 1) for n in range(1, 7)]
    refs = {(n, k, w): reference(spec, {**VALUES[which], "N": n, "K": k}, w) for n, k in cases for w in OMEGAS}
    chosen = names(sym) if which == "lossy wire" else [
        "det", "T2:C->R", "R2:L", "absorbed:C", "S:C,L"]
    for name in chosen:
        expr = sym.quantity(name, regime="general").xreplace(pars)
        f = sp.lambdify([sym.omega, *zs, *lens], expr, [{"chebyshevu": chebyshev_u}, "numpy"], cse=True)
        for (n, k, w), ref in refs.items():
            if name.startswith(("R2", "absorbed", "S:")) and not all(ref["_prop"][p]
                                                                     for p in name.split(":")[1].split(",")):
                continue  # null there (a lead without a propagating mode): the evaluators give NaN
            got = f(w, *[ref["_z"][p] for p in sym.leads], *(n, k)[:len(lens)])
            want = ref[site_key(name, n, k)]
            assert abs(got - want) <= 1e-10 * abs(want) + 1e-13, (name, n, k, w, got, want)


def test_closed_form_at_length_n_is_the_explicit_closed_form_exactly():
    """Chebyshev route at N = n and explicit-site route give the same number in exact arithmetic."""
    sym = model("ring")
    for n in range(1, 7):
        rng = random.Random(n)
        point = {s: sp.Rational(rng.randint(-99, 99), rng.randint(1, 50))
                 + sp.I * sp.Rational(rng.randint(-99, 99), 97) for s in [sp.Symbol(f"z_{p}") for p in sym.leads]}
        point.update({sym.omega: sp.Rational(rng.randint(-99, 99), 37), sym.symbols["g"]: sp.Rational(1, 3),
                      sym.symbols["hw"]: sp.Rational(-5, 7)})
        for name in ("det", "G:wire.last,a", "G:wire.first,arm.last"):  # the structural pieces of every quantity
            symbolic = sym.quantity(name, regime="band").xreplace(point).xreplace({sym.symbols["N"]: n,
                                                                                    sym.symbols["K"]: 2})
            explicit = sym.quantity(name, regime="band", where={"N": n, "K": 2})
            assert not explicit.has(sp.chebyshevu)
            assert sp.expand(symbolic - explicit.xreplace(point)) == 0, (name, n)


@pytest.mark.parametrize("backend", ["numpy", "mpmath"])
def test_generated_evaluator_takes_the_length_at_run_time(backend):
    quantities = names(model("ring"))
    ns = {}
    exec(evaluator_source(RING, quantities, backend=backend), ns)
    assert ns["ARGUMENTS"] == ("omega", "N", "K", "g", "hw")
    g, hw = VALUES["ring"]["g"], VALUES["ring"]["hw"]
    for n, k in LENGTHS:
        values = {"g": g, "hw": hw, "N": n, "K": k}
        refs = [reference(RING, values, w) for w in OMEGAS]
        if backend == "numpy":
            out = ns["evaluate"](np.array(OMEGAS), n, k, float(g), float(hw))
            got = [[out[i][j] for i in range(len(quantities))] for j in range(len(OMEGAS))]
        else:
            with mpmath.workdps(25):
                got = [ns["evaluate"](mpmath.mpf(w), n, k, mpmath.mpf(g.p) / g.q, mpmath.mpf(hw.p) / hw.q)
                       for w in OMEGAS]
        for j, ref in enumerate(refs):
            for i, name in enumerate(quantities):
                key = site_key(name, n, k)
                value = complex(got[j][i]) if not (isinstance(got[j][i], float) and np.isnan(got[j][i])) \
                    and not (backend == "mpmath" and mpmath.isnan(got[j][i])) else np.nan
                if np.isnan(ref[key]):
                    assert np.isnan(value), (name, n, k)
                else:
                    assert abs(value - ref[key]) <= 1e-10 * abs(ref[key]) + 1e-13, (name, n, k, value, ref[key])


@pytest.mark.parametrize("backend", ["numpy", "mpmath"])
def test_generated_evaluator_refuses_length_zero(backend):
    """The Chebyshev form continued to N = 0 is not the model without the segment: the evaluator refuses it."""
    ns = {}
    exec(evaluator_source(WIRE, ["T2:L->R"], backend=backend), ns)
    assert ns["ARGUMENTS"] == ("omega", "N", "eps", "g")
    with pytest.raises(ValueError, match="segment w: length N must be >= 1"):
        ns["evaluate"](np.array([0.3]) if backend == "numpy" else mpmath.mpf("0.3"), 0, 0.1, 0.25)
