"""Closed forms of random tight-binding models against an independent numeric Green's function.

The reference (tb_reference.py) builds omega - H - Sigma with numbers, the lead surface Green's
functions from their quadratic with the branch chosen by decimation, inverts with numpy.linalg and
applies Fisher-Lee by definition (absorbed = 1 - sum T2 - R2).  Compared: the symbolic closed
forms (lambdified; "general" regime everywhere, "band"/"evanescent" where they apply) and the
generated NumPy and mpmath evaluators, for every quantity, to 1e-10 relative.
"""
from __future__ import annotations

import random
from fractions import Fraction
from functools import lru_cache

import mpmath
import numpy as np
import pytest
import sympy as sp

from sympy.printing.numpy import NumPyPrinter

from derive.codegen.model_modules import evaluator_source
from derive.models.model_values import ModelValueError, parse_value
from derive.models.symbolic_model import SymbolicModel
from tests.derive.models.tb_reference import reference

SEEDS = range(8)
SYMBOLIC_SEEDS = (0, 1, 3, 6)  # the lambdified symbolic forms (the evaluators cover every seed)


def some_quantities(sym: SymbolicModel, *, all_lead_sites: bool = True) -> list[str]:
    """Every scattering quantity and det; G between lead sites (or one pair) and the two end sites."""
    names = [q for q in sym.quantities() if not q.startswith("G:")]
    sites = sym.sites()
    lead_sites = sorted({sym._lead(p).site for p in sym.leads})
    pairs = {(a, b) for a in lead_sites for b in lead_sites} if all_lead_sites else {(lead_sites[0], lead_sites[-1])}
    pairs |= {(sites[-1], sites[0]), (sites[0], sites[-1])}
    return names + [f"G:{a},{b}" for a, b in sorted(pairs)]


def _num(rng: random.Random, lo: float, hi: float, den: int = 40) -> Fraction:
    return Fraction(rng.randint(int(lo * den), int(hi * den)), den)


def random_model(seed: int) -> tuple[dict, dict]:
    """A model with 1-5 sites, 2-3 leads, complex energies and hoppings, and two symbolic parameters."""
    rng = random.Random(seed)
    n, n_leads = rng.randint(1, 5), rng.randint(2, 3)
    sites = {f"s{i}": f"{_num(rng, -1, 1)} - I*{_num(rng, 0, 0.6)}" for i in range(n)}
    sites["s0"] = "e0 - I*g/2"
    hoppings = [{"sites": [f"s{i}", f"s{i + 1}"], "value": f"{_num(rng, -1.5, 1.5)} + I*{_num(rng, -0.5, 0.5)}"}
                for i in range(n - 1)]
    if n > 2:
        hoppings.append({"sites": ["s0", f"s{n - 1}"], "value": "h"})
    if n > 1 and rng.random() < 0.5:
        hoppings.append({"sites": ["s1", "s0"], "value": f"{_num(rng, 0.1, 0.8)}",
                         "reverse": f"{_num(rng, 0.1, 0.8)}"})
    leads = []
    for p in range(n_leads):
        t = _num(rng, 0.4, 1.5, 32) * rng.choice([-1, 1])  # dyadic: the band edges are exact doubles
        leads.append({"name": "LRC"[p], "site": f"s{rng.randrange(n)}", "hopping": str(t),
                      "potential": str(_num(rng, -1.5, 1.5, 32)),
                      "coupling": f"{_num(rng, -1, 1)} + I*{_num(rng, -0.6, 0.6)}"})
    model = {"name": f"random{seed}", "parameters": {"e0": {}, "g": {"range": ">= 0"}, "h": {}},
             "sites": sites, "hoppings": hoppings, "leads": leads}
    values = {"e0": sp.Rational(_num(rng, -1, 1)), "g": sp.Rational(_num(rng, 0, 1)),
              "h": sp.Rational(_num(rng, -1, 1))}
    return model, values


def energies(model: dict) -> dict[str, float]:
    """omega with every lead open, exactly one lead closed, every lead closed, and on a band edge."""
    bands = [(float(Fraction(p["potential"])), 2 * abs(float(Fraction(p["hopping"])))) for p in model["leads"]]
    picked = {}
    for w in np.linspace(-6.0, 6.0, 241) + 0.0123:
        closed = sum(abs(w - e) >= width for e, width in bands)
        label = {0: "open", 1: "one closed", len(bands): "closed"}.get(closed)
        if label:
            picked.setdefault(label, float(w))
    e, width = bands[0]
    picked["edge"] = e + width
    return picked


def numeric(args, expr):
    """lambdify without sorting the terms of big sums (twice as fast to print)."""
    printer = NumPyPrinter({"order": "none", "fully_qualified_modules": False, "inline": True,
                            "allow_unknown_functions": True, "user_functions": {}})
    return sp.lambdify(args, expr, "numpy", printer=printer)


def close(a, b) -> bool:
    if np.isnan(b):
        return bool(np.isnan(a))
    return abs(complex(a) - complex(b)) <= 1e-10 * abs(complex(b)) + 1e-13


@lru_cache(maxsize=None)
def case(seed: int):
    model, values = random_model(seed)
    refs = {label: reference(model, values, w) | {"omega": w} for label, w in energies(model).items()}
    return model, values, SymbolicModel(model), refs


@pytest.mark.parametrize("seed", SYMBOLIC_SEEDS)
def test_closed_forms_agree_with_the_direct_solve(seed):
    model, values, sym, refs = case(seed)
    sub = {sym.symbols[k]: v for k, v in values.items()}
    zs = [sym.bloch_symbol(p) for p in sym.leads]
    for name in some_quantities(sym, all_lead_sites=False):
        f = numeric([sym.omega, *zs], sym.quantity(name, regime="general").xreplace(sub))
        for ref in refs.values():
            leads = name.split(":")[1].split(",") if name.startswith(("R2", "absorbed", "S:")) else []
            if not all(ref["_prop"][p] for p in leads):
                continue  # undefined (null) there: the evaluators mask it (checked below)
            value = f(ref["omega"], *[ref["_z"][p] for p in sym.leads])
            assert close(value, ref[name]), (name, ref["omega"], value, ref[name])


@pytest.mark.parametrize("seed", SYMBOLIC_SEEDS[:3])
def test_band_and_evanescent_regimes(seed):
    model, values, sym, refs = case(seed)
    sub = {sym.symbols[k]: v for k, v in values.items()}
    zs = [sym.bloch_symbol(p) for p in sym.leads]
    names = [q for q in sym.quantities() if q.startswith(("S:", "T2", "R2", "absorbed"))]
    for ref in (refs[label] for label in ("open", "one closed") if label in refs):
        regime = {p: "band" if ref["_prop"][p] else "evanescent" for p in sym.leads}
        for name in names:
            expr = sym.quantity(name, regime=regime).xreplace(sub)
            if expr is sp.nan:  # S, R2, absorbed are null exactly where one of their leads is closed
                assert np.isnan(ref[name]) and name.startswith(("S:", "R2", "absorbed")), name
                continue
            assert not np.isnan(ref[name]), name
            value = numeric([sym.omega, *zs], expr)(ref["omega"], *[ref["_z"][p] for p in sym.leads])
            assert close(value, ref[name]), (name, regime, value, ref[name])


@pytest.mark.parametrize("seed", SEEDS)
def test_generated_evaluators_agree(seed):
    model, values, sym, refs = case(seed)
    names = some_quantities(sym)
    ns, nm = {}, {}
    exec(evaluator_source(model, names, backend="numpy"), ns)
    exec(evaluator_source(model, names, backend="mpmath"), nm)
    assert ns["ARGUMENTS"] == ("omega", "e0", "g", "h")
    refs = list(refs.values())
    w = np.array([ref["omega"] for ref in refs])
    out = ns["evaluate"](w, *[float(values[k]) for k in ("e0", "g", "h")])
    for j, ref in enumerate(refs):
        with mpmath.workdps(30):
            exact = [mpmath.mpf(values[k].p) / values[k].q for k in ("e0", "g", "h")]
            out_mp = nm["evaluate"](mpmath.mpf(ref["omega"]), *exact)
        for i, name in enumerate(names):
            assert close(out[i][j], ref[name]), (name, ref["omega"], out[i][j], ref[name])
            v = out_mp[i]
            assert close(complex(v) if not mpmath.isnan(v) else np.nan, ref[name]), (name, v, ref[name])


def test_generated_source_is_deterministic_and_sympy_free():
    model, _ = random_model(3)
    a = evaluator_source(model, ["T2:L->R", "det"], backend="numpy")
    assert a == evaluator_source(model, ["T2:L->R", "det"], backend="numpy")
    code = a.split('"""', 2)[2]
    assert "sympy" not in code and "import numpy" in code


def test_parse_value_names_unknown_names_and_is_exact():
    pars = {"gamma": {"range": ">= 0"}, "N": {"kind": "integer"}}
    assert parse_value("0.1 + gamma^2", pars) == sp.Rational(1, 10) + sp.Symbol("gamma", nonnegative=True) ** 2
    assert parse_value("N", pars).is_integer and parse_value("gamma", pars).is_nonnegative
    with pytest.raises(ModelValueError) as err:
        parse_value("E*beta + gamma", pars)
    assert err.value.names == ("E", "beta") and "allowed: gamma, N, omega" in str(err.value)
    for bad in ("__import__('os')", "gamma.conjugate()", "lambda: 1", "'a'", "2j", "[1]", "sqrt(x=1)"):
        with pytest.raises(ModelValueError):
            parse_value(bad, pars)
    with pytest.raises(ModelValueError, match="omega"):
        parse_value("omega", pars, allow_omega=False)


@pytest.mark.parametrize("change, message", [
    (lambda m: m["leads"][0].update(site="x"), "lead L: unknown site 'x'"),
    (lambda m: m["hoppings"].append({"sites": ["s0", "s0"], "value": "1"}), "two different sites"),
    (lambda m: m["leads"][0].update(hopping="1 + I"), "lead L: hopping must be real"),
    (lambda m: m["leads"][0].update(potential="omega"), "lead L potential: unknown name 'omega'"),
    (lambda m: m["sites"].update(s0="foo"), "unknown name 'foo'"),
    (lambda m: m["parameters"].update(pi={}), "reserved"),
    (lambda m: m.update(segments=[{"name": "w", "length": "h", "hopping": "-1"}]), "length 'h' must be an integer"),
])
def test_bad_models_are_named(change, message):
    model, _ = random_model(1)
    change(model)
    with pytest.raises(ModelValueError, match=message):
        SymbolicModel(model)


def test_bad_quantities_and_where_are_named():
    model, _ = random_model(1)
    sym = SymbolicModel(model)
    for name, message in [("T2:L->L", "use R2:L"), ("T2:L->Q", "unknown lead 'Q'"), ("G:s0,zz", "unknown site 'zz'"),
                          ("Z:1", "is not one of")]:
        with pytest.raises(ModelValueError, match=message):
            sym.quantity(name)
    with pytest.raises(ModelValueError, match="g must be >= 0"):
        sym.quantity("det", where={"g": "-0.5"})
    with pytest.raises(ModelValueError, match="unknown parameter 'q'"):
        sym.quantity("det", where={"q": 1})


COMPLEX_PARAMETER = {
    "parameters": {"u": {"kind": "complex"}}, "sites": {"a": "0.1", "b": "-0.2 - 0.3*I"},
    "hoppings": [{"sites": ["a", "b"], "value": "u"}],
    "leads": [{"name": "L", "site": "a", "hopping": "-1", "coupling": "u"},
              {"name": "R", "site": "b", "hopping": "-1", "coupling": "-0.5"}]}


def test_complex_parameter_is_conjugated_in_the_evaluators():
    names = list(SymbolicModel(COMPLEX_PARAMETER).quantities())
    ns, nm = {}, {}
    exec(evaluator_source(COMPLEX_PARAMETER, names, backend="numpy"), ns)
    exec(evaluator_source(COMPLEX_PARAMETER, names, backend="mpmath"), nm)
    u = sp.Rational(3, 10) + sp.I * sp.Rational(2, 5)
    for w in (-0.4, 0.9):
        ref = reference(COMPLEX_PARAMETER, {"u": u}, w)
        out = ns["evaluate"](np.array([w]), complex(u))
        with mpmath.workdps(30):
            out_mp = nm["evaluate"](mpmath.mpf(w), mpmath.mpc("0.3", "0.4"))
        for i, name in enumerate(names):
            assert close(out[i][0], ref[name]) and close(complex(out_mp[i]), ref[name]), name


def test_mpmath_evaluator_keeps_its_digits():
    """dps = 50 against the exact closed form (explicit Bloch factors) evaluated with 60 digits."""
    model, values = random_model(2)
    sym = SymbolicModel(model)
    names = ["T2:L->R", "R2:L", "absorbed:L", "S:R,L", "det"]
    ns = {}
    exec(evaluator_source(model, names, backend="mpmath"), ns)
    w = sp.Rational(3, 10)
    exact = {sym.symbols[k]: v for k, v in values.items()}
    exact.update({sym.bloch_symbol(p): sym.bloch_factor(p).subs(sym.omega, w) for p in sym.leads})
    exact[sym.omega] = w
    with mpmath.workdps(50):
        got = ns["evaluate"](mpmath.mpf(3) / 10, *[mpmath.mpf(values[k].p) / values[k].q for k in ("e0", "g", "h")])
    for name, value in zip(names, got):
        if mpmath.isnan(value):
            continue
        want = sp.N(sym.quantity(name, regime="general").xreplace(exact), 60)
        with mpmath.workdps(60):
            diff = abs(mpmath.mpmathify(value) - mpmath.mpc(str(sp.re(want)), str(sp.im(want))))
            assert diff <= mpmath.mpf(10) ** -45 * max(1, abs(mpmath.mpc(str(sp.re(want)), str(sp.im(want))))), name
