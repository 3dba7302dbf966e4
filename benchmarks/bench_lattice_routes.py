"""The paper's lattice by its own route (numeric.papers.anglin) and by the general core (tunnelkit.models.model.Model on
examples/models/anglin_lattice.toml), side by side in one run.

    python benchmarks/bench_lattice_routes.py [--quick]      # also run.py's section lattice_routes

Rows: transmission throughput (M = 3, 2e5 energies), 2001 energies at M = 1000 and 1e5 (|omega| <= 2.6, so
long evanescent segments are included), current at M = 20 and 1000, the Fig. 2 bias curves (4 x 401 voltages),
and one frequency with --dps at M = 3, 1000 and 1e5.  Features a tree lacks are reported as missing (the script
also runs against an older tree on PYTHONPATH, for the "before" column).
"""
from __future__ import annotations

import json
import math
import os
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _best(f, repeat: int = 3) -> float:
    best = math.inf
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t)
    return best


def _timed(f, repeat: int = 3):
    try:
        f()  # derivation, caches, imports outside the timing
        return _best(f, repeat)
    except Exception as exc:  # noqa: BLE001 - a feature this tree lacks, or a refusal
        return f"{type(exc).__name__}: {str(exc)[:100]}"


def bench_lattice_routes(quick: bool = False) -> dict:
    try:  # the paper's own route, for the before column (deleted after issue 19: reported as missing)
        from numeric.papers.anglin.currents import currents
        from numeric.papers.anglin.curves import bias_curve
        from numeric.papers.anglin.parameters import LossyLattice
        from numeric.papers.anglin.transmission import transmission
    except ImportError:
        from tunnelkit.models.lossy_lattice import LossyLattice

        def missing(*args, **kwargs):
            raise ImportError("missing (numeric.papers.anglin is deleted)")
        currents = bias_curve = transmission = missing
    from tunnelkit.models.model import Model

    base = Model.from_file(os.path.join(ROOT, "examples", "models", "anglin_lattice.toml"))

    def model(M, Lam, V=0, gamma="0.5"):
        return base.with_params(M=M, tau1="0.1", gamma=gamma, Lambda=Lam, V=V)

    out: dict = {}
    n = 200_000
    w = np.linspace(-2.6, 2.6, n)
    for Lam in (1, "inf"):
        lat, m = LossyLattice(3, 0.1, 0.5, float(Lam)), model(3, Lam)
        t_a = _timed(lambda: transmission(lat, w), 5)
        t_m = _timed(lambda: m.transmission(w), 5)
        out[f"points_per_s_M3_Lambda_{Lam}"] = {"lattice": n / t_a if isinstance(t_a, float) else t_a,
                                                 "model": n / t_m if isinstance(t_m, float) else t_m}
    w2 = np.linspace(-2.6, 2.6, 2001)
    for M in (1000, 100_000):
        lat, m = LossyLattice(M, 0.1, 0.5, math.inf), model(M, "inf")
        out[f"seconds_2001_energies_M{M}"] = {"lattice": _timed(lambda: transmission(lat, w2)),
                                              "model": _timed(lambda: m.transmission(w2))}
    for M in ((20,) if quick else (20, 1000)):
        lat, m = LossyLattice(M, 0.1, 0.5, math.inf, 1.0), model(M, "inf", 1)
        out[f"current_seconds_M{M}"] = {"lattice": _timed(lambda: currents(lat), 1),
                                        "model": _timed(lambda: m.current({"L": 0.5, "R": -0.5}), 1)}
    V = np.linspace(-3, 3, 401)
    gammas = (0.0, 0.5, 5.0, 100.0)
    out["fig2_curves_seconds"] = {
        "lattice": _timed(lambda: [bias_curve(LossyLattice(2, 0.1, g, math.inf), V) for g in gammas], 1),
        "model": _timed(lambda: [model(2, "inf", 0, str(g)).current_curve({"L": V / 2, "R": -V / 2})
                                 for g in gammas], 1)}
    for M in ((3, 1000) if quick else (3, 1000, 100_000)):
        for D in ((50,) if quick else (50, 1000, 4000)):
            lat, m = LossyLattice(M, "0.1", "0.5", math.inf), model(M, "inf")
            out[f"dps{D}_seconds_M{M}"] = {"lattice": _timed(lambda: transmission(lat, ["0.3"], dps=D), 1),
                                           "model": _timed(lambda: m.transmission(["0.3"], dps=D), 1)}
    return out


if __name__ == "__main__":
    sys.path.insert(0, os.environ.get("TUNNELKIT_TREE", ROOT))
    print(json.dumps(bench_lattice_routes("--quick" in sys.argv), indent=1))
