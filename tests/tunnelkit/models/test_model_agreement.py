"""Randomised agreement of every quantity of docs/model-files.md between two routes (issue 13, "Done when").

The harness compares an evaluator of the quantities with the direct solver on random models
(random complex energies and hoppings, non-reciprocal bonds, leads with their own hopping, potential
and complex coupling; energies inside and outside the bands, 1e-9 inside a band edge, and with
one lead evanescent; exactly on an edge in a test of its own) to 1e-10 relative.  The evaluator here is a SymPy Green's function
written in this test: det(w - H - Sigma) and the adjugate built symbolically in w and the
self-energies, lambdified, with the self-energies from numpy.roots of each lead's dispersion
(outgoing root by group velocity, decaying root off the band) -- no code shared with the solver.
When the closed-form evaluators of derive are available, the same harness runs them.
"""
from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

from tunnelkit.models.model import Model

sp = pytest.importorskip("sympy")

RTOL = 1e-10


def random_model(rng: np.random.Generator, n_sites: int, n_leads: int) -> dict:
    names = [f"s{i}" for i in range(n_sites)]
    c = lambda: f"({rng.normal():.6f})+({rng.normal():.6f})*I"  # noqa: E731
    sites = {n: f"{rng.normal():.6f}-I*{abs(rng.normal()):.6f}" for n in names}
    hops = []
    for i in range(n_sites - 1):
        h = {"sites": [names[i], names[i + 1]], "value": c()}
        if rng.random() < 0.3:
            h["reverse"] = c()
        hops.append(h)
    if n_sites > 2:
        hops.append({"sites": [names[0], names[-1]], "value": c()})
    leads = []
    for p in range(n_leads):
        shift = 6.0 if p == 2 else rng.uniform(-1, 1)  # a third lead is evanescent at most energies
        leads.append({"name": f"P{p}", "site": names[int(rng.integers(n_sites))],
                      "hopping": f"{-rng.uniform(0.5, 2):.6f}", "potential": f"{shift:.6f}", "coupling": c()})
    return {"name": "random", "sites": sites, "hopping": hops, "lead": leads}


def sympy_reference(model: Model, omegas: np.ndarray) -> dict:
    """Every quantity from a lambdified SymPy Green's function (see the module doc)."""
    tb = model.tight_binding()
    n, leads = tb.n_sites, tb.leads
    w = sp.Symbol("w")
    s = sp.symbols(f"s0:{len(leads)}")
    q = lambda x: sp.Rational(str(x))  # noqa: E731  (the model's 6-decimal values, exactly)
    H = sp.Matrix(n, n, lambda i, j: q(round(tb.H[i, j].real, 9)) + sp.I * q(round(tb.H[i, j].imag, 9)))
    A = w * sp.eye(n) - H
    for p, ld in enumerate(leads):
        A[ld.site, ld.site] -= s[p]
    f = sp.lambdify((w,) + s, [A.det(method="berkowitz"), A.adjugate(method="berkowitz")], "numpy")
    out: dict = {}
    for k, wk in enumerate(omegas):
        sig, gam, opened = [], [], []
        for ld in leads:
            t, eps, cpl = complex(ld.hopping), complex(ld.potential), complex(ld.coupling)
            with mpmath.workdps(40):  # psi_n = z^n: t z + conj(t)/z = w - eps (accurate near a double root)
                z = np.array([complex(r) for r in mpmath.polyroots([t, -(mpmath.mpf(wk) - eps), np.conj(t)],
                                                                   maxsteps=200, extraprec=100)])
            if np.allclose(np.abs(z), 1, atol=1e-13, rtol=0) and eps.imag == 0:
                flux = [-(t * zz).imag for zz in z]
                zo, prop = z[int(np.argmax(flux))], True
            else:
                zo, prop = z[int(np.argmin(np.abs(z)))], False
            g = zo / np.conj(t)  # psi_1 = g c* psi_s: surface Green's function of the lead
            sig.append(abs(cpl) ** 2 * g)
            gam.append(-2 * (abs(cpl) ** 2 * g).imag if prop else 0.0)
            opened.append(prop)
        det, adj = f(wk, *sig)
        G = np.array(adj, dtype=complex) / complex(det)
        vals = {"det": complex(det)}
        for p, lp in enumerate(leads):
            for qq, lq in enumerate(leads):
                ok = opened[p] and opened[qq]
                S = -(p == qq) + 1j * math.sqrt(gam[qq] * gam[p]) * G[lq.site, lp.site] if ok else np.nan
                vals[f"S:{lq.name},{lp.name}"] = S
                if p != qq:
                    vals[f"T2:{lp.name}->{lq.name}"] = abs(S) ** 2 if ok else 0.0
            vals[f"R2:{lp.name}"] = abs(vals[f"S:{lp.name},{lp.name}"]) ** 2 if opened[p] else np.nan
        for lp in leads:
            out_flux = sum(vals[f"T2:{lp.name}->{lq.name}"] for lq in leads if lq is not lp)
            vals[f"absorbed:{lp.name}"] = 1 - out_flux - vals[f"R2:{lp.name}"]
        for i, a in enumerate(tb.sites):
            for j, b in enumerate(tb.sites):
                vals[f"G:{a},{b}"] = G[i, j]
        for key, v in vals.items():
            out.setdefault(key, []).append(v)
    return {k: np.array(v) for k, v in out.items()}


def disagreement(x: np.ndarray, y: np.ndarray, scale: float) -> float:
    """Largest |x - y| / max(|y|, 1e-12 scale); an unequal null pattern is infinite."""
    x, y = np.asarray(x, dtype=complex), np.asarray(y, dtype=complex)
    if not np.array_equal(np.isnan(x), np.isnan(y)):
        return math.inf
    m = ~np.isnan(y)
    return float(np.max(np.abs(x[m] - y[m]) / np.maximum(np.abs(y[m]), 1e-12 * scale), initial=0.0))


def energies(model: Model, rng: np.random.Generator) -> np.ndarray:
    tb = model.tight_binding()
    inner = [e - np.sign(e - float(ld.potential.real)) * 1e-9 * abs(ld.hopping)
             for ld in tb.leads for e in (float(ld.potential.real) - 2 * abs(ld.hopping),
                                          float(ld.potential.real) + 2 * abs(ld.hopping))]
    return np.concatenate([rng.uniform(-3, 3, 6), rng.uniform(4.5, 7.5, 2), inner[:2]])


def check(model: Model, omegas: np.ndarray, evaluate) -> dict:
    ref = sympy_reference(model, omegas)
    got = evaluate(list(ref), omegas)
    worst = {}
    for key, y in ref.items():
        scale = 1.0 if key != "det" and not key.startswith("G:") else float(np.nanmax(np.abs(y)))
        worst[key.split(":")[0]] = max(worst.get(key.split(":")[0], 0.0), disagreement(got[key], y, scale))
    return worst


@pytest.mark.parametrize("seed", range(6))
def test_direct_solver_agrees_with_a_sympy_greens_function(seed):
    rng = np.random.default_rng(100 + seed)
    model = Model.from_dict(random_model(rng, int(rng.integers(1, 5)), 2 + seed % 2))
    w = energies(model, rng)
    worst = check(model, w, lambda names, om: model.evaluate(names, om, method="direct"))
    assert max(worst.values()) < RTOL, worst
    sol = model.evaluate([f"R2:{n}" for n in model.lead_names], w, method="direct")
    closed = [np.isnan(sol[f"R2:{n}"]) for n in model.lead_names]
    assert any(c.any() for c in closed) and not all(c.all() for c in closed)  # both regimes present


def test_exactly_on_a_band_edge_no_mode_propagates():
    model = Model.from_dict(random_model(np.random.default_rng(7), 2, 2))
    d = model.model_dict
    for ld in d["leads"]:
        ld["hopping"], ld["potential"] = "-1", "0"
    model = Model.from_dict(d)
    v = model.evaluate(["T2:P0->P1", "R2:P0", "absorbed:P1", "S:P1,P0"], [2.0, -2.0, 1.9999999])
    assert list(v["T2:P0->P1"][:2]) == [0.0, 0.0] and np.isnan(v["R2:P0"][:2]).all()
    assert np.isnan(v["absorbed:P1"][:2]).all() and np.isnan(v["S:P1,P0"][:2]).all()
    assert 0 < v["T2:P0->P1"][2] < 1e-2 and not np.isnan(v["R2:P0"][2])
