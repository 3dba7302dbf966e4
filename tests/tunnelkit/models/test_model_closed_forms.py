"""Closed-form evaluators of any model (derive) against the direct solver, exact digits, the disk cache.

Skipped where the derive layer has no model closed forms.  Every quantity of docs/model-files.md from the
generated evaluators must agree with the direct solver (numeric.models.greens, no shared formula) to 1e-10
relative on random models of 1 to 8 sites and 2 to 3 leads (harness of test_model_agreement); the
mpmath evaluators give exact digits (against exact SymPy arithmetic); a cached evaluator loads
without SymPy.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import mpmath
import numpy as np
import pytest

from tunnelkit.models.model_evaluators import closed_forms_available
from tunnelkit.models.model import Model

pytestmark = pytest.mark.skipif(not closed_forms_available(), reason="derive has no model closed forms here")
ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_model_agreement import RTOL, disagreement, energies, random_model  # noqa: E402


def compare(seed: int, *, edges: bool) -> None:
    rng = np.random.default_rng(500 + seed)
    model = Model.from_dict(random_model(rng, [1, 3, 6, 8][seed], 2 + seed % 2))
    w = energies(model, rng)
    w = w[-2:] if edges else w[:-2]  # the last two lie 1e-9 inside a band edge
    names = model.quantities()
    tb = model.tight_binding()
    names += [f"G:{a},{b}" for a in tb.sites for b in tb.sites if f"G:{a},{b}" not in names]
    closed = model.evaluate(names, w, method="closed")
    direct = model.evaluate(names, w, method="direct")
    worst = {}
    for n in names:
        scale = float(np.nanmax(np.abs(direct[n]))) if n == "det" or n.startswith("G:") else 1.0
        worst[n] = disagreement(closed[n], direct[n], scale)  # the null patterns (S, R2, absorbed) must match too
    assert max(worst.values()) < RTOL, {k: v for k, v in worst.items() if v >= RTOL}


@pytest.mark.parametrize("seed", range(4))
def test_closed_forms_agree_with_the_direct_solver_on_random_models(seed, sweep):
    if seed >= 2 and sweep == "light":
        pytest.skip("6 and 8 sites (derivations of 10-30 s): --sweep=full")
    compare(seed, edges=False)


@pytest.mark.parametrize("seed", range(2))
def test_closed_forms_agree_1e_9_inside_band_edges(seed):
    """Gamma keeps its digits next to a band edge: the evaluators form the distances to both edges exactly (TwoSum)."""
    compare(seed, edges=True)


def test_mpmath_evaluators_give_exact_digits():
    sp = pytest.importorskip("sympy")
    site = Model(parameters={"tau1": {"range": "> 0"}, "gamma": {"range": ">= 0"}, "Lambda": {"range": ">= 1"}},
                 sites={"c": "-I*gamma/2"},
                 leads=[{"name": n, "site": "c", "hopping": "-Lambda", "coupling": "-tau1*sqrt(Lambda)"}
                        for n in ("L", "R")], name="site")
    wide = site.with_params(tau1="0.1", gamma="0.5", Lambda="inf").transmission(["0"], dps=50, method="closed")
    finite = site.with_params(tau1="0.3", gamma="0.5", Lambda=1).transmission(["0.5"], dps=50, method="closed")
    w, tau, gam = sp.Rational(1, 2), sp.Rational(3, 10), sp.Rational(1, 2)
    g = (w - sp.I * sp.sqrt(4 - w**2)) / 2
    G = 1 / (w + sp.I * gam / 2 - 2 * tau**2 * g)
    Gam = tau**2 * sp.sqrt(4 - w**2)
    T2 = sp.Abs(sp.I * Gam * G) ** 2
    R2 = sp.Abs(-1 + sp.I * Gam * G) ** 2
    with mpmath.workdps(60):
        assert abs(wide.T2["L->R"][0] - mpmath.mpf(4) / 729) < mpmath.mpf(10) ** -52
        for got, ref in ((finite.T2["L->R"][0], T2), (finite.R2["L"][0], R2), (finite.absorbed["L"][0], 1 - T2 - R2)):
            exact_val = mpmath.mpf(str(sp.N(ref, 70).as_real_imag()[0]))
            assert abs(got - exact_val) < mpmath.mpf(10) ** -50 * abs(exact_val)


def test_mpmath_evaluators_keep_their_digits_1e_41_inside_a_band_edge():
    """Exact omega -> exact distances to the band edges: 20 digits where omega rounded at dps + guard sits on the edge.

    Reference: exact SymPy arithmetic.  The direct solver keeps omega and the lead values exact as well (it
    rounded omega first and had to refuse: the lead opened only at the higher precision), so both routes
    give the 20 digits.
    """
    sp = pytest.importorskip("sympy")
    site = Model(parameters={"tau1": {"range": "> 0"}, "gamma": {"range": ">= 0"}},
                 sites={"c": "-I*gamma/2"},
                 leads=[{"name": n, "site": "c", "hopping": "-1", "coupling": "-tau1"} for n in ("L", "R")],
                 name="site").with_params(tau1="0.3", gamma="0.5")
    w_text = "1." + "9" * 41  # 2 - 1e-41
    w, tau, gam = sp.Rational(w_text), sp.Rational(3, 10), sp.Rational(1, 2)
    g = (w - sp.I * sp.sqrt(4 - w**2)) / 2
    G = 1 / (w + sp.I * gam / 2 - 2 * tau**2 * g)
    Gam = tau**2 * sp.sqrt(4 - w**2)
    for method in ("closed", "direct"):
        got = site.evaluate(["T2:L->R", "R2:L", "S:R,L"], [w_text], dps=20, method=method)
        with mpmath.workdps(40):
            for name, ref in (("T2:L->R", sp.Abs(sp.I * Gam * G) ** 2), ("R2:L", sp.Abs(-1 + sp.I * Gam * G) ** 2),
                              ("S:R,L", sp.I * Gam * G)):
                re_, im_ = (mpmath.mpf(str(x)) for x in sp.N(ref, 60).as_real_imag())
                assert abs(got[name][0] - mpmath.mpc(re_, im_)) < mpmath.mpf(10) ** -20 * abs(mpmath.mpc(re_, im_)), \
                    (method, name)


def test_a_cached_evaluator_loads_without_sympy(tmp_path):
    fano = ROOT / "examples" / "models" / "fano_dot.toml"
    code = f"""
import sys, time
from tunnelkit.models.model import Model
m = Model.from_file({str(fano)!r}).with_params(eps=0.3, gamma=0.1, t_d=0.5)
tr = m.transmission([0.1, 0.3], method={{}})
print(tr.method, float(tr.T2["L->R"][0]), 'sympy' in sys.modules)
"""
    env = {"TUNNELKIT_CACHE_DIR": str(tmp_path), "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    cold = subprocess.run([sys.executable, "-c", code.format('"closed"')], capture_output=True, text=True, env=env,
                          timeout=600)
    assert cold.returncode == 0, cold.stderr
    warm = subprocess.run([sys.executable, "-c", code.format('"closed"')], capture_output=True, text=True, env=env,
                          timeout=300)
    assert warm.returncode == 0, warm.stderr
    method, value, imported = warm.stdout.split()
    assert method == "closed" and imported == "False"
    assert cold.stdout.split()[1] == value
    direct = Model.from_file(fano).with_params(eps=0.3, gamma=0.1, t_d=0.5).transmission([0.1], method="direct")
    assert float(value) == pytest.approx(direct.T2["L->R"][0], rel=1e-12)


def test_derive_shows_latex_and_takes_limits():
    m = Model.from_file(ROOT / "examples" / "models" / "lossy_dot.toml")
    d = m.derive("T2:L->R")
    assert d._repr_latex_().startswith("$") and "z_" not in d.latex() and r"\sqrt{4-\omega^{2}}" in d.latex()
    wide = Model.from_file(ROOT / "examples" / "models" / "anglin_lattice.toml").with_params(M=1, Lambda="inf")
    e = wide.derive("T2:L->R").expr
    assert not any(s.name.startswith("z_") for s in e.free_symbols)  # the wide-band limit removed the leads' z
    from tunnelkit.cli import main

    assert main(["derive", "--model", str(ROOT / "examples" / "models" / "lossy_dot.toml"), "R2:L",
                 "--param", "eps=0.2"]) == 0


def test_mpmath_routes_null_s_where_a_lead_is_closed():
    """S:q,p is null (NaN) on the band edge and off the band in the mpmath closed form and direct solve alike."""
    fano = Model.from_file(ROOT / "examples" / "models" / "fano_dot.toml").with_params(eps="0.3", gamma="0.1",
                                                                                       t_d="0.5")
    names = ["S:R,L", "S:L,L", "T2:L->R", "R2:L"]
    got = {m: fano.evaluate(names, ["2", "2.5", "1.5"], dps=20, method=m) for m in ("closed", "direct")}
    for m, v in got.items():
        assert all(mpmath.isnan(mpmath.mpc(x).real) for n in ("S:R,L", "S:L,L", "R2:L") for x in v[n][:2]), m
        assert list(v["T2:L->R"][:2]) == [0, 0], m
    with mpmath.workdps(25):
        for n in names:
            assert abs(got["closed"][n][2] - got["direct"][n][2]) < mpmath.mpf(10) ** -19 * abs(got["direct"][n][2])
