#!/usr/bin/env python
"""tunnelkit benchmarks: every ratio is measured side by side in one run.

    python benchmarks/run.py           # all benchmarks, full sizes
    python benchmarks/run.py --quick   # < 60 s on 2 cores; last line is one JSON object

(a) transmission throughput: generated NumPy evaluator vs the direct solver (and Kwant if importable)
(b) current curve I(mu) at 1000 mu: cumulative integration vs per-point adaptive quadrature, accuracy
(c) mpmath: 50-digit current at the edge of an odd-parity resonance, tau1 = 1e-3
(d) finite-lattice dynamics: cost against N, fitted exponent; the exceptional-point path beside the default
(e) tunnelkit verify: cold and warm; a user's 10-equation paper file (examples/papers/fano.toml) cold and warm;
    15- and 60-equation variants of it (paper_sizes)
(f) operation count per transmission point against a measured per-operation cost
(g) field files: split of 8-field words over 4 species, Fock-space check of two-species files
(g2) field files: a 12-field word over 4 species (fermions, bosons, a mixture; target <= 5 s); a paper file of
     10 operator equations over a field file (examples/papers/tajima.toml) cold (target <= 15 s) and warm
(h) a user's model: closed-form evaluator vs direct solver vs Kwant; cached model load (benchmarks/bench_models.py)
(i) current for long chains: seconds against M = 25 ... 1000, fitted exponent
(j) the main demo: tunnelkit figure anglin-fig2 (data, and the whole command)
(k) the paper's lattice by its own route and by the general core (Model), side by side (bench_lattice_routes.py)
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tunnelkit.models.lossy_lattice import LossyLattice, current_curve, currents, transmission  # noqa: E402  (the Model route)
from benchmarks.bench_models import bench_models  # noqa: E402  (h) a user's model
from benchmarks.bench_lattice_routes import bench_lattice_routes  # noqa: E402  (k) the lattice by both routes


def best_of(f, repeat=3):
    best = math.inf
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t)
    return best


def solve(lat: LossyLattice, w: np.ndarray):
    """The direct solver (numeric.models.greens) of the lattice's model: T2 over ``w``."""
    from types import SimpleNamespace

    return SimpleNamespace(T2=lat.model().evaluate(["T2:L->R"], w, method="direct")["T2:L->R"])


def bench_transmission(quick: bool) -> dict:
    lat = LossyLattice(M=3, tau1=0.1, gamma=0.5, Lambda=1.0)
    lat_inf = LossyLattice(M=3, tau1=0.1, gamma=0.5, Lambda=math.inf)
    n = 200_000 if quick else 2_000_000
    w = np.linspace(-2.6, 2.6, n)
    threads = os.cpu_count() or 1
    lat_v = LossyLattice(M=3, tau1=0.1, gamma=0.5, Lambda=1.0, V=0.3)  # different leads: both sides' atoms
    sub = w[:: max(1, n // (300 if quick else 3000))]
    # the default call (one thread) is the headline number, a thread pool is reported beside it; the
    # direct solver runs one energy at a time (a linear solve per energy) and batched over energies.
    # The timings are interleaved and the best of five kept for each, so that a slow phase of the
    # shared machine does not fall on one side of a ratio only.
    cases = {"gen": lambda: transmission(lat, w), "inf": lambda: transmission(lat_inf, w),
             "thr": lambda: transmission(lat, w, threads=threads), "v": lambda: transmission(lat_v, w),
             "dir": lambda: [solve(lat, np.array([x])) for x in sub], "batch": lambda: solve(lat, sub)}
    best = dict.fromkeys(cases, math.inf)
    for _ in range(5):
        for key, f in cases.items():
            best[key] = min(best[key], best_of(f, repeat=1))
    t_gen, t_inf, t_thr, t_v, t_dir, t_batch = (best[k] for k in ("gen", "inf", "thr", "v", "dir", "batch"))
    a, d = transmission(lat, sub), solve(lat, sub)
    agree = float(np.nanmax(np.abs(a.T2 - d.T2) / np.maximum(d.T2, 1e-300)))
    out = {"points_per_s_general": n / t_gen, "points_per_s_infinite": n / t_inf, "threads": threads,
           "points_per_s_general_threads": n / t_thr, "points_per_s_general_V_nonzero": n / t_v,
           "direct_points_per_s": len(sub) / t_dir, "direct_batched_points_per_s": len(sub) / t_batch,
           "transmission_speedup_vs_direct": (t_dir / len(sub)) / (t_gen / n),
           "speedup_vs_batched_direct": (t_batch / len(sub)) / (t_gen / n),
           "closed_vs_direct_max_rel": agree}
    try:  # optional comparison
        import kwant  # noqa: F401

        out["kwant"] = "importable (comparison not run in this version)"
    except ImportError:
        out["kwant"] = "not installed"
    return out


def bench_curve(quick: bool) -> dict:
    lat = LossyLattice(M=3, tau1=0.1, gamma=0.5, Lambda=1.0)
    mus = np.linspace(-2.1, 2.1, 1000)
    t_curve = best_of(lambda: current_curve(lat, mus))
    curve = current_curve(lat, mus)
    sel = np.arange(7, 1000, 100 if quick else 20)
    t0 = time.perf_counter()
    ref = np.array([currents(lat, muL=m, muR=-math.inf, rtol=1e-13).I for m in mus[sel]])
    per_point = (time.perf_counter() - t0) / len(sel)
    m = np.abs(ref) > 0
    rel = float(np.max(np.abs(curve.I[sel] - ref)[m] / np.abs(ref[m])))
    return {"curve_seconds": t_curve, "per_point_seconds": per_point, "per_point_curve_seconds": per_point * 1000,
            "current_curve_speedup_vs_per_point": per_point * 1000 / t_curve, "max_rel_diff": rel}


def bench_mpmath() -> dict:
    lat = LossyLattice(M=2, tau1=1e-3, gamma=0.5, Lambda=1.0)
    mu = -1.0 + 2e-6  # odd-parity isolated-chain level at omega = -1, edge of the tau1^2-wide step
    t0 = time.perf_counter()
    c = currents(lat, muL=mu, muR=-math.inf, dps=50)
    dt = time.perf_counter() - t0
    dbl = currents(lat, muL=mu, muR=-math.inf).I
    return {"seconds": dt, "I": str(c.I)[:30], "double_rel_diff": float(abs(float(c.I) / dbl - 1))}


def bench_long_chains(quick: bool) -> dict:
    """current for long chains: seconds against M, fitted exponent; poles and integrand points reported apart."""
    import numeric.models.model_currents as currents_module
    from numeric.models.pole_search import poles

    Ms = [25, 50, 100, 200] if quick else [25, 50, 100, 200, 400, 700, 1000]
    seen: dict = {}

    def counting(*args, **kw):  # integrand points of the run, read from the engine's result
        q = engine(*args, **kw)
        seen["points"] = q.evaluations
        return q

    out: dict = {"seconds": {}, "poles_seconds": {}, "points": {}, "us_per_point": {}}
    engine = currents_module.integrate_segments
    poles(LossyLattice(M=40, tau1=0.1, gamma=0.5, Lambda=math.inf).model().tight_binding())  # imports out of timings
    currents_module.integrate_segments = counting
    try:
        for M in list(Ms):
            lat = LossyLattice(M=M, tau1=0.1, gamma=0.5, Lambda=math.inf, V=1.0)
            t0 = time.perf_counter()
            poles(lat.model().tight_binding())
            t_poles = time.perf_counter() - t0
            t0 = time.perf_counter()
            try:
                currents(lat)
            except ValueError as exc:  # the double-precision chain trigonometry overflows for M >~ 750
                out.setdefault("refused", {})[M] = str(exc)
                Ms.remove(M)
                continue
            dt = time.perf_counter() - t0
            out["seconds"][M], out["poles_seconds"][M], out["points"][M] = dt, t_poles, seen["points"]
            out["us_per_point"][M] = (dt - t_poles) / seen["points"] * 1e6
    finally:
        currents_module.integrate_segments = engine
    logM = np.log(Ms)
    out["fitted_exponent"] = float(np.polyfit(logM, np.log([out["seconds"][m] for m in Ms]), 1)[0])
    out["points_exponent"] = float(np.polyfit(logM, np.log([out["points"][m] for m in Ms]), 1)[0])
    return out


def bench_demo() -> dict:
    """The README's first command, anglin Fig. 2 (4 curves of 401 voltages): data alone and the whole command."""
    from tunnelkit.figures import figure_data

    t0 = time.perf_counter()
    d = figure_data("anglin-fig2")
    t_data = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        cmd = [sys.executable, "-m", "tunnelkit", "figure", "anglin-fig2", "--out", os.path.join(tmp, "f.png")]
        subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True)
        t_cmd = time.perf_counter() - t0
    return {"data_seconds": t_data, "points_per_curve": len(d["x"]), "command_wall_seconds": t_cmd}


def bench_dynamics(quick: bool) -> dict:
    from numeric.papers.anglin.dynamics import FiniteLattice, _propagator, evolve

    Ns = [100, 200, 400] if quick else [100, 200, 500, 1000, 2000]
    times = {}
    for N in Ns:
        _propagator.cache_clear()
        t0 = time.perf_counter()
        evolve(FiniteLattice(M=3, tau1=0.1, gamma=0.5, N=N), N // 2, [N / 4, N / 2])
        times[N] = time.perf_counter() - t0
    slope = float(np.polyfit(np.log(Ns), np.log([times[n] for n in Ns]), 1)[0])
    # the exceptional-point path (Schur block + Sylvester + eig of the rest), forced on the same lattice,
    # interleaved with the default eigenvector path: its cost when it is needed
    n_cmp = Ns[-1] if quick else 1000
    lat = FiniteLattice(M=3, tau1=0.1, gamma=0.5, N=n_cmp)
    best = {"eigen": math.inf, "blocks": math.inf}
    for _ in range(2):
        for method in best:
            _propagator.cache_clear()
            t0 = time.perf_counter()
            evolve(lat, n_cmp // 2, [n_cmp / 4, n_cmp / 2], method=method)
            best[method] = min(best[method], time.perf_counter() - t0)
    return {"seconds": times, "fitted_exponent": slope, "N_compared": n_cmp, "eigen_path_seconds": best["eigen"],
            "exceptional_point_path_seconds": best["blocks"]}


def bench_verify(quick: bool) -> dict:
    env = dict(os.environ, TUNNELKIT_CACHE_DIR=tempfile.mkdtemp())
    cmd = [sys.executable, "-m", "tunnelkit.cli", "verify", "--json"]
    out = {}
    if not quick:
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, check=False)
        out["cold_seconds"] = time.perf_counter() - t0
    else:  # warm needs a filled cache: fill it with the cheap paper only
        subprocess.run(cmd + ["--paper", "tajima"], env=env, cwd=ROOT, capture_output=True, check=False)
        cmd += ["--paper", "tajima"]
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, check=False)
    out["warm_seconds"] = time.perf_counter() - t0
    return out


def _verify_paper_timed(paper: str, *, repeat: int) -> tuple[list, float, float]:
    """(statuses, cold seconds, best warm seconds) of `tunnelkit verify PAPER --json` in a fresh cache."""
    env = dict(os.environ, TUNNELKIT_CACHE_DIR=tempfile.mkdtemp())
    cmd = [sys.executable, "-m", "tunnelkit", "verify", paper, "--json"]
    t0 = time.perf_counter()
    cold = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    t_cold = time.perf_counter() - t0
    t_warm = best_of(lambda: subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, check=False), repeat=repeat)
    try:
        statuses = [c["status"] for c in json.loads(cold.stdout)["checks"]]
    except ValueError:
        statuses = [cold.stderr.strip()[-200:]]
    return statuses, t_cold, t_warm


def bench_paper_verify(quick: bool) -> dict:
    """`tunnelkit verify PAPER_FILE` on a 10-equation paper (2 leads, 2 sites), cold and warm (target < 30 s, < 2 s)."""
    statuses, t_cold, t_warm = _verify_paper_timed(os.path.join(ROOT, "examples", "papers", "fano.toml"), repeat=3)
    return {"equations": len(statuses), "cold_seconds": t_cold, "warm_seconds": t_warm,
            "verdicts": {s: statuses.count(s) for s in sorted(set(statuses))}}


def paper_variants(n: int, folder: str) -> str:
    """A paper file of ``n`` equations built from examples/papers/fano.toml: its equations, then variants of
    them at other fixed values (gamma, t_d in ``where``), every fifth with a planted misprint."""
    import re
    import shutil
    import tomllib

    src = os.path.join(ROOT, "examples", "papers")
    shutil.copy(os.path.join(src, "fano-model.toml"), folder)
    text = open(os.path.join(src, "fano.toml")).read()
    head = text[:text.index("[[equation]]")]
    eqs = [e for e in tomllib.loads(text)["equation"] if e["claims"] != "identity"]
    fixed = [{}, {"gamma": "0"}, {"t_d": "1/2"}, {"gamma": "1/3"}, {"t_d": "2"}, {"gamma": "2"}]
    out = [head]
    for k in range(n):
        e = eqs[k % len(eqs)]
        where = dict(e.get("where", {}), **fixed[(k // len(eqs)) % len(fixed)])
        latex = e["latex"]
        if k % 5 == 4:  # a misprint: the first factor 2 -> 3 (else the first + -> -)
            latex = re.sub(r"(?<![\\^_{a-z])2", "3", latex, count=1) if "2" in latex else latex.replace("+", "-", 1)
        w = ", ".join(f'{a} = "{b}"' for a, b in where.items())
        out.append(f'[[equation]]\nnumber = "v{k}"\nclaims = "{e["claims"]}"\nlatex = \'\'\'{latex}\'\'\'\n'
                   f"where = {{ {w} }}\n")
    path = os.path.join(folder, f"fano-{n}.toml")
    with open(path, "w") as fh:
        fh.write("\n".join(out))
    return path


def bench_paper_sizes(quick: bool) -> dict:
    """`tunnelkit verify` on 15- and 60-equation variants of fano.toml, cold and warm
    (targets: 15 equations cold <= 10 s and warm <= 1 s, 60 equations cold < 60 s)."""
    out = {}
    for n in ((15,) if quick else (15, 60)):
        paper = paper_variants(n, tempfile.mkdtemp())
        env = dict(os.environ, TUNNELKIT_CACHE_DIR=tempfile.mkdtemp())
        cmd = [sys.executable, "-m", "tunnelkit", "verify", paper, "--json"]
        t0 = time.perf_counter()
        cold = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
        t_cold = time.perf_counter() - t0
        t_warm = best_of(lambda: subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, check=False), repeat=3)
        try:
            checks = json.loads(cold.stdout)["checks"]
            statuses = [c["status"] for c in checks]
        except (ValueError, KeyError):
            statuses = [cold.stderr.strip()[-200:]]
        out[f"equations_{n}"] = {"cold_seconds": t_cold, "warm_seconds": t_warm,
                                 "verdicts": {s: statuses.count(s) for s in sorted(set(statuses))}}
    return out


def bench_flops() -> dict:
    """Array operations per transmission point vs the cost of one complex multiply."""
    import ast
    import inspect

    from numeric.models.chebyshev import chain_atoms

    lat = LossyLattice(M=3, tau1=0.1, gamma=0.5, Lambda=1.0)
    big = np.linspace(-2.6, 2.6, 200_000)
    t_pt = best_of(lambda: transmission(lat, big)) / big.size
    try:  # the lattice route's generated kernel, for the before column (deleted with numeric.papers.anglin)
        from numeric._generated import lossy_lattice_np as g
        from numeric.papers.anglin.transmission import lead_atoms
    except ImportError:
        return {"transmission_ns_per_point": t_pt * 1e9, "lattice_kernel": "missing (numeric.papers.anglin deleted)"}

    # the in-place kernel is three-address code: one NumPy ufunc call (with out=) per array operation
    tree = ast.parse(inspect.getsource(g.amplitudes_general))
    ops = sum(isinstance(node, ast.Call) and any(k.arg == "out" for k in node.keywords) for node in ast.walk(tree))
    n = 8192  # one block: operands in cache, as in the blocked evaluation
    a, b, o = (np.exp(1j * np.linspace(0, x, n)) for x in (1.0, 2.0, 3.0))
    t_mul = best_of(lambda: [np.multiply(a, b, out=o) for _ in range(200)], repeat=5) / 200 / n
    w = np.linspace(-2.6, 2.6, n)
    ws: dict = {}
    chain = chain_atoms(-w / 2, lat.M)
    atoms = lead_atoms(-w / 4)
    x = np.ones(n)
    outs = tuple(np.empty(n, complex) for _ in range(8))
    t_kernel = best_of(lambda: [g.amplitudes_general(chain, atoms, atoms, tau_1=0.1, gamma=0.5, X_L=x, X_R=x,
                                                      workspace=ws, out=outs)
                                for _ in range(50)], repeat=5) / 50 / n
    return {"array_ops_in_kernel": ops, "complex_multiply_ns": t_mul * 1e9,
            "kernel_ns_per_point": t_kernel * 1e9, "kernel_lower_bound_ns_per_point": ops * t_mul * 1e9,
            "kernel_fraction_of_bound": ops * t_mul / t_kernel, "transmission_ns_per_point": t_pt * 1e9}


def bench_fields(quick: bool) -> dict:
    """Field-file split: words of 8 fields over 4 species (target < 5 s); Fock check of two-species files (< 10 s)."""
    from sympy.core.cache import clear_cache

    import derive.fields.field_split as FS
    from tunnelkit.fields.field_check import fock_check
    from tunnelkit.fields.field_file import split_file

    words = {"normal": ("a+", "b+", "c+", "d+", "d", "c", "b", "a"),
             "densities": ("a+", "a", "b+", "b", "c+", "c", "d+", "d"),
             "anti-normal": ("a", "a+", "b", "b+", "c", "c+", "d", "d+"),
             "mixed": ("a+", "b", "c+", "a", "d+", "b+", "c", "d")}
    cases = [(st, w, ov) for st in ("fermion", "boson") for w in words for ov in ("zero", "K")
             if not quick or w in ("normal", "anti-normal")]
    split_s, split_cpu = {}, {}
    for st, w, ov in cases:  # a fresh algebra and an empty SymPy cache for every case
        clear_cache()
        model = FS.FieldModel(st, ("a", "b", "c", "d"), (FS.OneBody(), FS.Local("V", words[w])))
        t0, c0 = time.perf_counter(), time.process_time()
        n_terms = len(FS.split(model, overlap=ov).terms)
        key = f"{st} {w} overlap={ov} ({n_terms} terms)"
        split_s[key], split_cpu[key] = time.perf_counter() - t0, time.process_time() - c0
    fock_s, fock_cpu, ok = {}, {}, True
    grids = [(1, 2)] if quick else [(1, 2), (2, 4)]
    for name in ("spin_half_contact", "two_component_bosons", "spin_exchange_form"):
        for n_left, n_points in grids:
            if name == "two_component_bosons" and n_left == 2:
                continue  # 8 boson modes below a total cap of 6: 3003 states, run by hand only
            t0, c0 = time.perf_counter(), time.process_time()
            chk = fock_check(split_file(os.path.join(ROOT, "examples", "fields", name + ".toml")),
                             n_points=n_points, n_left=n_left)
            key = f"{name} {n_left} mode(s) per side"
            fock_s[key], fock_cpu[key] = time.perf_counter() - t0, time.process_time() - c0
            ok &= chk.ok()
    return {"split_seconds": split_s, "split_max_seconds": max(split_s.values()),
            "split_max_cpu_seconds": max(split_cpu.values()),
            "fock_check_seconds": fock_s, "fock_check_max_seconds": max(fock_s.values()),
            "fock_check_max_cpu_seconds": max(fock_cpu.values()), "fock_checks_pass": ok}


def bench_operator_papers(quick: bool) -> dict:
    """A 12-field word over 4 species (<= 5 s) and `tunnelkit verify` of the 10-equation tajima.toml cold (<= 15 s)."""
    from sympy.core.cache import clear_cache

    import derive.fields.field_split as FS

    word = ("a+", "b+", "c+", "d+", "a+", "c+", "c", "a", "d", "c", "b", "a")  # written normal-ordered
    stats = {"fermion": "fermion", "boson": "boson",
             "mixture": {"a": "boson", "b": "fermion", "c": "boson", "d": "fermion"}}
    split_s = {}
    for name, st in stats.items():
        for ov in ("zero",) if quick else ("zero", "K"):
            clear_cache()
            model = FS.FieldModel(st, ("a", "b", "c", "d"), (FS.OneBody(), FS.Local("V", word)))
            t0 = time.perf_counter()
            n_terms = len(FS.split(model, overlap=ov).terms)
            split_s[f"{name} overlap={ov} ({n_terms} terms)"] = time.perf_counter() - t0
    statuses, t_cold, t_warm = _verify_paper_timed(os.path.join(ROOT, "examples", "papers", "tajima.toml"), repeat=2)
    return {"word12_split_seconds": split_s, "word12_max_seconds": max(split_s.values()),
            "paper_equations": len(statuses), "paper_cold_seconds": t_cold, "paper_warm_seconds": t_warm,
            "paper_verdicts": {s: statuses.count(s) for s in sorted(set(statuses))}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default=None, help="comma-separated section names (e.g. long_chains,demo_fig2)")
    args = ap.parse_args()
    only = None if args.only is None else set(args.only.split(","))
    t_start = time.perf_counter()
    res = {"machine": f"{platform.machine()} {platform.processor() or ''} {os.cpu_count()} cores, "
                      f"Python {platform.python_version()}, NumPy {np.__version__}"}
    sections = (("transmission", lambda: bench_transmission(args.quick)),
                ("current_curve", lambda: bench_curve(args.quick)),
                ("mpmath_resonance", bench_mpmath),
                ("long_chains", lambda: bench_long_chains(args.quick)),
                ("demo_fig2", bench_demo),
                ("dynamics", lambda: bench_dynamics(args.quick)),
                ("verify", lambda: bench_verify(args.quick)),
                ("paper_verify", lambda: bench_paper_verify(args.quick)),
                ("paper_sizes", lambda: bench_paper_sizes(args.quick)),
                ("flops", bench_flops),
                ("fields", lambda: bench_fields(args.quick)),
                ("operator_papers", lambda: bench_operator_papers(args.quick)),
                ("models", lambda: bench_models(args.quick, best_of)),
                ("lattice_routes", lambda: bench_lattice_routes(args.quick)))
    unknown = (only or set()) - {name for name, _ in sections}
    if unknown:
        ap.error(f"--only: unknown section(s) {', '.join(sorted(unknown))}; "
                 f"allowed: {', '.join(name for name, _ in sections)}")
    for name, fn in sections:
        if only is not None and name not in only:
            continue
        t0 = time.perf_counter()
        res[name] = fn()
        print(f"{name}: {json.dumps(res[name])}  ({time.perf_counter() - t0:.1f} s)", flush=True)
    if "transmission" in res:
        res["transmission_speedup_vs_direct"] = res["transmission"]["transmission_speedup_vs_direct"]
    if "current_curve" in res:
        res["current_curve_speedup_vs_per_point"] = res["current_curve"]["current_curve_speedup_vs_per_point"]
    res["total_seconds"] = time.perf_counter() - t_start
    print(json.dumps(res))


if __name__ == "__main__":
    main()
