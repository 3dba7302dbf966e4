"""A stand-in model backend for the paper-file tests: a side-coupled (Fano) lossy dot in the wide-band limit.

Region: chain site ``a`` (energy 0) carrying both leads, dot ``d`` (energy eps - i gamma/2)
hopping -t_d to ``a``.  Leads L, R: hopping -Lambda, coupling -tau1 sqrt(Lambda); as Lambda -> oo
their self-energy on ``a`` is -i tau1^2 each (Gamma = 2 tau1^2).

Two routes, sharing no formula: ``quantity`` inverts (omega - H - Sigma) with SymPy;
``direct`` inverts it with NumPy at a point.  Only the wide-band limit is modelled: the fake
refuses a finite Lambda.  The hand-derived closed forms the tests print as "the paper" are a
third, independent route (Breit-Wigner / Fano algebra done on paper).
"""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import sympy as sp

from tunnelkit.claims.paper_verify import ModelBackend

omega = sp.Symbol("omega", real=True)
tau1 = sp.Symbol("tau1", positive=True)
gamma = sp.Symbol("gamma", nonnegative=True)
eps = sp.Symbol("eps", real=True)
t_d = sp.Symbol("t_d", positive=True)
Lam = sp.Symbol("Lambda", positive=True)
SYMBOLS = {"omega": omega, "tau1": tau1, "gamma": gamma, "eps": eps, "t_d": t_d, "Lambda": Lam}
PARAMETERS = {"tau1": {"kind": "real", "range": "> 0"}, "gamma": {"kind": "real", "range": ">= 0"},
              "eps": {"kind": "real", "range": None}, "t_d": {"kind": "real", "range": "> 0"},
              "Lambda": {"kind": "real", "range": ">= 1"}}
QUANTITIES = ("S:L,L", "S:R,L", "S:L,R", "S:R,R", "T2:L->R", "T2:R->L", "R2:L", "R2:R", "absorbed:L",
              "absorbed:R", "G:a,a", "G:a,d", "G:d,d", "det")
#: the model file the fake stands in for (the worked example's model)
MODEL_TOML = (Path(__file__).resolve().parents[3] / "examples" / "papers" / "fano-model.toml").read_text()
SITES = {"a": 0, "d": 1}


def quantity(name: str, limits: dict) -> sp.Expr:
    if limits.get("Lambda") != "inf":
        raise NotImplementedError("the fake models the wide-band limit only")
    H = sp.Matrix([[0, -t_d], [-t_d, eps - sp.I * gamma / 2]])
    sigma = sp.diag(-2 * sp.I * tau1**2, 0)
    A = omega * sp.eye(2) - H - sigma
    det = sp.expand(A.det())
    G = A.adjugate() / det
    gam = 2 * tau1**2  # Gamma_L = Gamma_R on site a

    def S(q, p):
        return (-1 if q == p else 0) + sp.I * gam * G[0, 0]

    def mod2(z):
        n, d = sp.fraction(sp.together(z))
        return sp.expand(n * sp.conjugate(n)) / sp.expand(d * sp.conjugate(d))

    kind, _, rest = name.partition(":")
    if kind == "det":
        return det
    if kind == "G":
        i, j = rest.split(",")
        return G[SITES[i], SITES[j]]
    if kind == "S":
        q, p = rest.split(",")
        return S(q, p)
    if kind == "T2":
        p, q = rest.split("->")
        return sp.cancel(mod2(S(q, p)))
    if kind == "R2":
        return sp.cancel(mod2(S(rest, rest)))
    if kind == "absorbed":
        other = "R" if rest == "L" else "L"
        return sp.cancel(1 - quantity(f"T2:{rest}->{other}", limits) - quantity(f"R2:{rest}", limits))
    raise KeyError(name)


def _num(v) -> complex:
    if isinstance(v, Fraction):
        return float(v)
    if isinstance(v, str):
        return float(v)
    return complex(v)


def direct(name: str, params: dict, w) -> complex:
    if params.get("Lambda") != "inf":
        raise NotImplementedError("the fake models the wide-band limit only")
    t, g, e, td = (_num(params[k]) for k in ("tau1", "gamma", "eps", "t_d"))
    w = _num(w)
    H = np.array([[0, -td], [-td, e - 0.5j * g]])
    A = w * np.eye(2) - H - np.diag([-2j * t * t, 0])
    G = np.linalg.inv(A)
    gam = 2 * t * t
    kind, _, rest = name.partition(":")
    if kind == "det":
        return complex(np.linalg.det(A))
    if kind == "G":
        i, j = rest.split(",")
        return complex(G[SITES[i], SITES[j]])
    S = {(q, p): (-1 if q == p else 0) + 1j * gam * G[0, 0] for q in "LR" for p in "LR"}
    if kind == "S":
        q, p = rest.split(",")
        return complex(S[q, p])
    if kind == "T2":
        p, q = rest.split("->")
        return abs(S[q, p]) ** 2
    if kind == "R2":
        return abs(S[rest, rest]) ** 2
    if kind == "absorbed":
        other = "R" if rest == "L" else "L"
        return 1 - abs(S[other, rest]) ** 2 - abs(S[rest, rest]) ** 2
    raise KeyError(name)


def backend(*, with_direct: bool = True, derived_shift: sp.Expr = 0) -> ModelBackend:
    """The fake backend; ``derived_shift`` is added to every derived quantity (a broken derivation)."""
    q = quantity if not derived_shift else (lambda name, limits: quantity(name, limits) + derived_shift)
    return ModelBackend(PARAMETERS, SYMBOLS, QUANTITIES, q, direct if with_direct else None)


def top_level_split(text: str) -> list[str]:
    """``text`` split at the commas outside any bracket (the roots of a corrected ``\\left\\{...\\right\\}``)."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += (ch in "({[") - (ch in ")}]")
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    return parts + [cur]
