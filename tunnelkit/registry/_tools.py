"""Helpers shared by registry checks: verdict summaries and numeric cross-checks."""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np

from derive.proof import RANDOM_METHOD, SYMPY_METHOD, Verdict
from tunnelkit.registry.core import CheckResult

__all__ = ["summarize", "Agreement", "closed_vs_direct", "random_lattices", "verified", "erratum", "disagreement",
           "DIRECT_TOL"]


def summarize(verdicts: Sequence[tuple[str, Verdict]]) -> tuple[bool, str, str]:
    """(all hold, methods used, detail) for a list of labelled verdicts."""
    ok = all(v.holds for _, v in verdicts)
    methods = sorted({v.method for _, v in verdicts})
    if ok:
        short = {SYMPY_METHOD: "SymPy cancel", RANDOM_METHOD: "exact random-point test"}
        counts = [f"{sum(1 for _, v in verdicts if v.method == m)} by {short.get(m, m)}" for m in methods]
        detail = f"{len(verdicts)} identities hold ({', '.join(counts)})"
    else:
        bad = [f"{label}: {v.detail}" for label, v in verdicts if not v.holds]
        detail = f"{len(bad)} of {len(verdicts)} fail; " + "; ".join(bad[:3])
    return ok, " + ".join(methods), detail


def verified(method: str, detail: str) -> CheckResult:
    return CheckResult("verified", method, detail)


def erratum(method: str, detail: str, corrected: str) -> CheckResult:
    return CheckResult("erratum", method, detail, corrected)


def disagreement(method: str, detail: str) -> CheckResult:
    """Two independent routes disagree: neither side can be trusted until it is understood."""
    return CheckResult("unverifiable", method, "ROUTES DISAGREE: " + detail)


#: relative agreement required between the closed forms and the direct solve
DIRECT_TOL = 1e-10


def random_lattices(n: int, *, seed: int = 7) -> list[tuple]:
    """Random (M, tau1, gamma, Lambda, V) covering Lambda = 1, finite, infinite."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        M = int(rng.integers(0, 9))
        tau1 = float(10 ** rng.uniform(-2, 0.3))
        gamma = 0.0 if i % 4 == 0 else float(10 ** rng.uniform(-2, 2))
        Lam = [1.0, float(10 ** rng.uniform(0, 3)), math.inf][i % 3]
        V = float(rng.uniform(-3, 3))
        out.append((M, tau1, gamma, Lam, V))
    return out


@dataclass(frozen=True)
class Agreement:
    """Largest relative differences between closed forms and the direct solve."""

    worst: dict
    points: int
    regimes: dict

    @property
    def max(self) -> float:
        return max(self.worst.values())


def _rel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.abs(x - y) / np.maximum(np.abs(y), 1e-300)


@lru_cache(maxsize=None)
def closed_vs_direct(n_lattices: int = 60, n_omega: int = 25, variant: str = "corrected",
                     seed: int = 7) -> Agreement:
    """Compare :mod:`numeric.anglin.transmission` with :mod:`numeric.anglin.device` on a random grid.

    Frequencies cover the middle-chain band (real k), |omega| > 2 (complex k)
    and, for finite Lambda, the band edges' outside (evanescent leads).
    """
    from numeric.anglin.device import solve
    from numeric.anglin.parameters import LossyLattice
    from numeric.anglin.transmission import transmission

    rng = np.random.default_rng(seed)
    worst: dict[str, float] = {}
    regimes = {"real k": 0, "complex k": 0, "evanescent lead": 0}
    pts = 0
    for M, tau1, gamma, Lam, V in random_lattices(n_lattices, seed=seed):
        lat = LossyLattice(M, tau1, gamma, Lam, V)
        span = 2 * min(Lam, 4.0) + abs(V) / 2 + 1.0
        w = rng.uniform(-span, span, n_omega)
        a, d = transmission(lat, w), solve(lat, w, variant=variant)  # type: ignore[arg-type]
        regimes["real k"] += int(np.sum(np.abs(w) < 2))
        regimes["complex k"] += int(np.sum(np.abs(w) > 2))
        regimes["evanescent lead"] += int(np.sum(a.incident_L != a.incident_R))
        both = a.incident_L & a.incident_R
        if np.any(d.T2[~both] != 0) or np.any(a.T2[~both] != 0):  # T2 is a flux-normalised probability (docs/cli.md)
            worst["T2 (0 without propagating waves)"] = math.inf
        for name in ("T2", "RL2", "RR2", "transport_L", "transport_R", "absorbed_L", "absorbed_R", "RL", "RR"):
            x, y = getattr(a, name), getattr(d, name)
            if name == "T2":  # compared where both sides propagate; elsewhere the direct solve gives 0
                x, y = x[both], y[both]
            m = ~(np.isnan(y) | np.isnan(x))
            if name in ("RL", "RR"):
                m = ~np.isnan(np.abs(y))
            if np.any(np.isnan(np.abs(x)) != np.isnan(np.abs(y))) and name not in ("RL", "RR"):
                worst[name + " (null pattern)"] = math.inf
            if m.any():
                worst[name] = max(worst.get(name, 0.0), float(_rel(x[m], y[m]).max()))
        pts += len(w)
    return Agreement(worst, pts, regimes)


def format_agreement(ag: Agreement) -> str:
    keys = ", ".join(f"{k} {v:.1e}" for k, v in sorted(ag.worst.items()))
    reg = ", ".join(f"{v} {k}" for k, v in ag.regimes.items())
    return f"{ag.points} points ({reg}); max rel. diff: {keys}"


def all_hold(verdicts: Iterable[Verdict]) -> bool:
    return all(v.holds for v in verdicts)
