"""Helpers shared by registry checks: verdict summaries and numeric cross-checks."""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np

from derive.claims.proof import RANDOM_METHOD, SYMPY_METHOD, Verdict
from numeric.models.greens import bloch_factor, lead_terms, solve
from numeric.models.tight_binding import TightBinding
from tunnelkit.models.lossy_lattice import lattice_model
from tunnelkit.models.model import Model
from tunnelkit.registry.core import CheckResult

__all__ = ["summarize", "Agreement", "closed_vs_direct", "random_lattices", "verified", "erratum", "disagreement",
           "DIRECT_TOL", "lattice", "bloch", "wavenumbers", "printed_amplitudes", "direct_amplitudes",
           "printed_lattice", "absorbed_fractions"]


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


def lattice(M: int, tau1: float, gamma: float, Lam: float, V: float = 0.0) -> Model:
    """The bundled lattice (:func:`tunnelkit.models.lossy_lattice.lattice_model`) at these values (``Lam = inf``: reservoir limit)."""
    return lattice_model(M, tau1, gamma, "inf" if math.isinf(Lam) else Lam, V)


def bloch(w: np.ndarray, eps: float, Lam: float) -> np.ndarray:
    r""":math:`e^{ik}` of a lead of hopping :math:`-\Lambda` at potential ``eps`` (``Lam = inf``: :math:`i`).

    The general lead Bloch factor (:func:`numeric.models.greens.bloch_factor`, retarded: outgoing on the band,
    decaying off it) in the model-dict convention :math:`z = t\tilde z/|t|` with :math:`t = -\Lambda`.
    """
    w = np.asarray(w, dtype=float)
    if math.isinf(Lam):
        return np.full(w.shape, 1j)
    return -bloch_factor((w - eps) / Lam)


def wavenumbers(w: np.ndarray, V: float, Lam: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""(:math:`k, k_L, k_R`) at ``w`` from the lead Bloch factors: :math:`k=-i\log e^{ik}`, Im k >= 0."""
    return tuple(-1j * np.log(bloch(w, e, lam)) for e, lam in ((0.0, 1.0), (V / 2, Lam), (-V / 2, Lam)))


@lru_cache(maxsize=None)
def _printed_amplitudes(reading: str):
    """Eq. (36) T, R_L, R_R as printed, lambdified in (k, k_L, k_R, M, tau_1, gamma).

    ``reading="k->-k"``: the paper's '*' as :func:`derive.papers.anglin.symbols.star`; ``"conjugate"``: as complex
    conjugation (what anglin:appB-star rejects).
    """
    import sympy as sp

    import derive.papers.anglin.printed as P
    from derive.papers.anglin.symbols import M, gamma, k, kL, kR, tau1

    forms = [P.T(), P.RL(), P.RR()]
    if reading == "conjugate":
        A = {s: P.A(s) for s in "LR"}
        B = {s: P.B(s) for s in "LR"}
        cA = {s: sp.conjugate(A[s]) for s in "LR"}
        cB = {s: sp.conjugate(B[s]) for s in "LR"}
        Z = (cA["R"] * cB["L"] + cA["L"] * cB["R"]) / 2 - sp.I * gamma / (4 * sp.sin(k)) * cA["L"] * cA["R"]
        forms = [sp.I * sp.sin(k) / (Z * sp.sqrt(sp.sin(kL) * sp.sin(kR)))]
    return sp.lambdify((k, kL, kR, M, tau1, gamma), forms, "numpy")


@lru_cache(maxsize=None)
def _absorbed_fractions():
    r"""App. C absorbed fractions :math:`a_j=2\pi\gamma|\Psi^j_0|^2D_j` of the derived amplitudes, lambdified."""
    import sympy as sp

    from derive.papers.anglin.scattering import amplitudes
    from derive.papers.anglin.symbols import M, Lam, gamma, k, kL, kR, tau1

    amp = amplitudes()
    return sp.lambdify((k, kL, kR, M, tau1, gamma, Lam), [amp.absL, amp.absR], "numpy")


def absorbed_fractions(M: int, tau1: float, gamma: float, Lam: float, V: float, w: np.ndarray) -> list[np.ndarray]:
    """[a_L, a_R] of App. C (:attr:`derive.papers.anglin.scattering.Amplitudes.absL`) at ``w``.

    Lambda enters them only through k_L, k_R (its explicit factors cancel): at Lambda = inf they are taken at
    k_L = k_R = pi/2 with the explicit Lambda set to 1.
    """
    with np.errstate(all="ignore"):
        return [np.broadcast_to(x, np.shape(w)).real for x in
                _absorbed_fractions()(*wavenumbers(w, V, Lam), M, tau1, gamma, 1.0 if math.isinf(Lam) else Lam)]


def printed_amplitudes(M: int, tau1: float, gamma: float, Lam: float, V: float, w: np.ndarray, *,
                       reading: str = "k->-k") -> list[np.ndarray]:
    """[T, R_L, R_R] of the printed Eq. (36) at ``w`` (wave numbers from :func:`wavenumbers`); [T] for "conjugate"."""
    with np.errstate(all="ignore"):
        return [np.broadcast_to(x, np.shape(w)) for x in
                _printed_amplitudes(reading)(*wavenumbers(w, V, Lam), M, tau1, gamma)]


def direct_amplitudes(tb: TightBinding, w: np.ndarray, M_ref: int) -> dict:
    r"""The paper's amplitudes from the general direct solve (:func:`numeric.models.greens.solve`) of ``tb``.

    ``T``, ``RL``, ``RR`` are :math:`S_{RL}`, :math:`S_{LL}`, :math:`S_{RR}` with the phase referred to the
    lattice site m = 0 instead of the lead's attachment site :math:`\mp` ``M_ref`` (factors :math:`z_j^{-M}`,
    z the leads' Bloch factors); ``T2_continued`` is :math:`|\mathcal T|^2` continued to an evanescent lead,
    :math:`w_Lw_R|\tilde z_L-\tilde z_L^{-1}||\tilde z_R-\tilde z_R^{-1}||G_{s_Rs_L}(z_Lz_R)^{-M}|^2` (on the
    band :math:`w|\tilde z-\tilde z^{-1}|=\Gamma`; an evanescent wave referred to m = 0 as well).
    """
    sL, sR = tb.lead("L").site, tb.lead("R").site
    sol = solve(tb, w, elements=[(sR, sL)])
    zt = {p: lead_terms(tb.lead(p), sol.omega)[0] / tb.lead(p).strength for p in "LR"}  # retarded roots
    z = {p: -zt[p] for p in "LR"}  # e^{ik_j} = t z~/|t| with the hopping t < 0 (wide band: i)
    gam = {p: tb.lead(p).strength * np.abs(zt[p] - 1 / zt[p]) for p in "LR"}
    S = lambda q, p: sol.quantity(("S", q, p))  # noqa: E731
    return {"T": S("R", "L") * z["L"] ** -M_ref * z["R"] ** -M_ref, "RL": S("L", "L") * z["L"] ** (-2 * M_ref),
            "RR": S("R", "R") * z["R"] ** (-2 * M_ref), "T2": sol.T2("L", "R"),
            "T2_continued": gam["L"] * gam["R"] * np.abs(sol.G(sR, sL) * (z["L"] * z["R"]) ** -M_ref) ** 2,
            "open": sol.open}


def printed_lattice(M: int, tau1: float, gamma: float, Lam: float, V: float) -> TightBinding:
    """The lattice as Eq. (2) is printed: weak links one bond further out, on the bonds (-(M+2), -(M+1)), (M+1, M+2).

    That is the bundled lattice at M+1 with the potentials +-V/2 of Eq. (3) on its end sites -(M+1), M+1.
    """
    tb = lattice(M + 1, tau1, gamma, Lam, V).tight_binding()
    H = tb.H.toarray() if hasattr(tb.H, "toarray") else np.array(tb.H, dtype=complex)
    H[tb.lead("L").site, tb.lead("L").site] += V / 2
    H[tb.lead("R").site, tb.lead("R").site] -= V / 2
    return replace(tb, H=H)


#: the quantities of the Model route compared with the direct solve (closed vs direct)
_MODEL_QUANTITIES = ("T2:L->R", "T2:R->L", "R2:L", "R2:R", "absorbed:L", "absorbed:R")


@lru_cache(maxsize=None)
def closed_vs_direct(n_lattices: int = 60, n_omega: int = 25, variant: str = "corrected",
                     seed: int = 7) -> Agreement:
    r"""Closed forms against the general direct solve (:mod:`numeric.models.greens`) on a random grid.

    The printed Eq. (36) amplitudes (keys ``T (36)``, ``RL (36)``, ``RR (36)``, ``T2 (36)``) against the
    direct solve of the lattice (``variant="printed"``: of the lattice as Eq. 2 is printed); with
    ``variant="corrected"`` also the closed-form Model route of the bundled lattice
    (:mod:`derive.models.symbolic_model`, ``method="closed"``) against its direct route: |T|^2, |R_L|^2,
    |R_R|^2, absorbed fractions and transport factors :math:`1+X_j|\mathcal T|^2-|\mathcal R_j|^2`.
    Frequencies cover the middle-chain band (real k), |omega| > 2 (complex k) and, for finite Lambda,
    the band edges' outside (evanescent leads).
    """
    rng = np.random.default_rng(seed)
    worst: dict[str, float] = {}
    regimes = {"real k": 0, "complex k": 0, "evanescent lead": 0}
    pts = 0

    def record(name: str, x: np.ndarray, y: np.ndarray, mask: np.ndarray) -> None:
        if np.any(np.isnan(x[mask]) != np.isnan(y[mask])):
            worst[name + " (null pattern)"] = math.inf
        m = mask & ~(np.isnan(x) | np.isnan(y))
        if m.any():
            worst[name] = max(worst.get(name, 0.0), float(_rel(x[m], y[m]).max()))

    for M, tau1, gamma, Lam, V in random_lattices(n_lattices, seed=seed):
        span = 2 * min(Lam, 4.0) + abs(V) / 2 + 1.0
        w = rng.uniform(-span, span, n_omega)
        model = lattice(M, tau1, gamma, Lam, V)
        tb = printed_lattice(M, tau1, gamma, Lam, V) if variant == "printed" else model.tight_binding()
        d = direct_amplitudes(tb, w, M + 1 if variant == "printed" else M)
        openL, openR = d["open"][:, 0], d["open"][:, 1]
        T, RL, RR = printed_amplitudes(M, tau1, gamma, Lam, V, w)
        regimes["real k"] += int(np.sum(np.abs(w) < 2))
        regimes["complex k"] += int(np.sum(np.abs(w) > 2))
        regimes["evanescent lead"] += int(np.sum(openL != openR))
        both = openL & openR
        record("T2 (36)", np.abs(T) ** 2, d["T2"], both)
        if variant == "printed":
            pts += len(w)
            continue
        record("T (36)", T, d["T"], both)
        record("RL (36)", RL, d["RL"], openL)
        record("RR (36)", RR, d["RR"], openR)
        aL, aR = absorbed_fractions(M, tau1, gamma, Lam, V, w)
        closed = model.evaluate(_MODEL_QUANTITIES, w, method="closed")
        direct = model.evaluate(_MODEL_QUANTITIES, w, method="direct")
        if np.any(closed["T2:L->R"][~both] != 0) or np.any(direct["T2:L->R"][~both] != 0):
            worst["T2 (0 without propagating waves)"] = math.inf  # a flux-normalised probability (docs/cli.md)
        for name in _MODEL_QUANTITIES:
            record(name, closed[name], direct[name], np.ones(len(w), bool))
        record("absorbed:L (App. C)", aL, direct["absorbed:L"], openL)
        record("absorbed:R (App. C)", aR, direct["absorbed:R"], openR)
        for p, q in (("L", "R"), ("R", "L")):  # 1 + X_p|T|^2 - |R_p|^2 = 2 T2 + absorbed (flux balance)
            record(f"transport:{p}", 2 * closed[f"T2:{p}->{q}"] + closed[f"absorbed:{p}"],
                   2 * direct[f"T2:{p}->{q}"] + direct[f"absorbed:{p}"], np.ones(len(w), bool))
        pts += len(w)
    return Agreement(worst, pts, regimes)


def format_agreement(ag: Agreement) -> str:
    keys = ", ".join(f"{k} {v:.1e}" for k, v in sorted(ag.worst.items()))
    reg = ", ".join(f"{v} {k}" for k, v in ag.regimes.items())
    return f"{ag.points} points ({reg}); max rel. diff: {keys}"


def all_hold(verdicts: Iterable[Verdict]) -> bool:
    return all(v.holds for v in verdicts)
