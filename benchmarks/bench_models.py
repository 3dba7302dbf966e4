"""Benchmark (h): a user's model -- closed-form evaluator vs the general direct solver vs Kwant, side by side.

Per energy on the same models (the Fano dot of examples/models and the paper's lattice written as a
model file, M = 3): the generated NumPy evaluator (vectorised over omega), the direct solver
(numeric.models.greens) both batched over energies (dense linear algebra on a stack of small matrices) and
called once per energy (as Kwant's smatrix is), and Kwant (when importable).  Also: the time
a cached model takes to load in a fresh process (file, parameters, evaluator from the disk cache:
target < 0.2 s), and the direct solver per energy on a 1e5-site chain (banded LU).
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
MODELS = os.path.join(ROOT, "examples", "models")
CASES = {"fano_dot": dict(eps=0.3, gamma=0.1, t_d=0.5),
         "anglin_lattice": dict(M=3, tau1=0.3, gamma=0.5, Lambda=1.0, V=0.2)}

_LOAD = """
import sys, time
sys.path.insert(0, {root!r})
t0 = time.perf_counter()
from tunnelkit.models.model import Model
t1 = time.perf_counter()
m = Model.from_file({path!r}).with_params({params!r})
tr = m.transmission([0.1, 0.2], method="closed")
t2 = time.perf_counter()
print(t1 - t0, t2 - t1, "sympy" in sys.modules)
"""


def bench_models(quick: bool, best_of) -> dict:
    """Run benchmark (h); ``best_of(f, repeat)`` is run.py's timer (best of ``repeat`` calls)."""
    from tunnelkit.models.model_evaluators import closed_forms_available
    from tunnelkit.models.model import Model

    out: dict = {}
    closed = closed_forms_available()
    try:
        import kwant  # noqa: F401
        from tunnelkit.models.kwant_glue import kwant_probabilities
    except ImportError:
        kwant_probabilities = None
    for name, params in CASES.items():
        m = Model.from_file(os.path.join(MODELS, f"{name}.toml")).with_params(params)
        res: dict = {}
        w_dir = np.linspace(-2.5, 2.5, 2000 if quick else 20000)
        res["direct_us_per_energy"] = best_of(lambda: m.transmission(w_dir, method="direct")) / w_dir.size * 1e6
        # the way a user of a direct solver (or of Kwant) meets it: one call per energy
        w_one = w_dir[:: max(1, w_dir.size // (50 if quick else 200))]
        res["direct_us_per_call"] = best_of(lambda: [m.transmission([x], method="direct") for x in w_one]) \
            / w_one.size * 1e6
        if closed:
            w = np.linspace(-2.5, 2.5, 200_000 if quick else 2_000_000)
            m.transmission(w[:10], method="closed")  # derive + cache once
            res["closed_us_per_energy"] = best_of(lambda: m.transmission(w, method="closed")) / w.size * 1e6
            res["closed_speedup_vs_direct"] = res["direct_us_per_energy"] / res["closed_us_per_energy"]
            res["closed_speedup_vs_direct_per_call"] = res["direct_us_per_call"] / res["closed_us_per_energy"]
        if kwant_probabilities is not None:
            wk = np.linspace(-2.4, 2.4, 10 if quick else 50) + 0.0123
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res["kwant_us_per_energy"] = best_of(lambda: kwant_probabilities(m, wk), repeat=1) / wk.size * 1e6
            res["direct_speedup_vs_kwant"] = res["kwant_us_per_energy"] / res["direct_us_per_energy"]
            if closed:
                res["closed_speedup_vs_kwant"] = res["kwant_us_per_energy"] / res["closed_us_per_energy"]
        if closed:
            with tempfile.TemporaryDirectory() as cache:
                env = dict(os.environ, TUNNELKIT_CACHE_DIR=cache)
                code = _LOAD.format(root=ROOT, path=os.path.join(MODELS, f"{name}.toml"), params=params)
                subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)  # cold
                runs = [subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True,
                                       text=True).stdout.split() for _ in range(3)]
                res["import_tunnelkit_models_s"] = min(float(r[0]) for r in runs)
                res["cached_model_load_s"] = min(float(r[1]) for r in runs)
                res["sympy_imported_when_cached"] = any(r[2] == "True" for r in runs)
        out[name] = res
    chain = Model(parameters={"N": {"kind": "integer", "range": ">= 1"}, "gamma": {"range": ">= 0"}},
                  sites={"c": "-I*gamma/2"},
                  segments=[{"name": s, "length": "N", "energy": "0", "hopping": "-1"} for s in ("left", "right")],
                  hoppings=[{"sites": ["left.last", "c"], "value": "-1"}, {"sites": ["c", "right.first"], "value": "-1"}],
                  leads=[{"name": "L", "site": "left.first", "hopping": "-1", "coupling": "-1"},
                         {"name": "R", "site": "right.last", "hopping": "-1", "coupling": "-1"}],
                  name="chain").with_params(N=50_000, gamma=0.5)
    w = np.linspace(-1.9, 1.9, 5 if quick else 20)
    out["direct_1e5_sites_ms_per_energy"] = best_of(lambda: chain.transmission(w, method="direct"), repeat=2) \
        / w.size * 1e3
    return out


if __name__ == "__main__":
    import json

    from run import best_of  # benchmarks/run.py: the one timer

    print(json.dumps(bench_models("--quick" in sys.argv, best_of), indent=1))
