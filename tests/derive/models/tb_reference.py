"""Independent numeric route for tight-binding models (test helper; shares no formula with derive).

Region matrix built site by site from the model dict with numbers; lead surface Green's
functions from the quadratic t^2 g^2 - (w - e) g + 1 = 0, the root being chosen by
Lopez-Sancho decimation at w + i*eta (the retarded branch); G = (w - H - Sigma)^-1 by
numpy.linalg; Fisher-Lee S, T2, R2 and absorbed = 1 - sum T2 - R2 by definition.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from derive.models.model_values import parse_value


def decimated_surface_g(w: complex, e: float, t: float, eta: float = 1e-7) -> complex:
    """Surface Green's function of a semi-infinite chain by renormalisation-group decimation."""
    z = w + 1j * eta * abs(t)
    eps_s, eps, a, b = complex(e), complex(e), complex(t), complex(np.conj(t))
    for _ in range(200):
        g = 1 / (z - eps)
        eps_s = eps_s + a * g * b
        eps = eps + a * g * b + b * g * a
        a, b = a * g * a, b * g * b
        if abs(a) + abs(b) < 1e-300:
            break
    return 1 / (z - eps_s)


def surface_g(w: float, e: float, t: float) -> complex:
    """Exact root of t^2 g^2 - (w - e) g + 1 = 0 closest to the decimated (retarded) value.

    The discriminant is formed explicitly so that a band edge (a double root) is exact for dyadic inputs.
    """
    disc = np.sqrt(complex((w - e) ** 2 - 4 * abs(t) ** 2))
    roots = np.array([(w - e) + disc, (w - e) - disc]) / (2 * abs(t) ** 2)
    guess = decimated_surface_g(w, e, t)
    return complex(roots[np.argmin(np.abs(roots - guess))])


def numbers(model: dict, values: dict) -> dict:
    """Every value of the model dict as a Python complex (lengths as ints)."""
    pars = model.get("parameters", {})
    sub = {sp.Symbol(n): v for n, v in values.items()}

    def num(text):
        expr = parse_value(text, pars, allow_omega=False)
        return complex(sp.N(expr.xreplace({s: sub[sp.Symbol(s.name)] for s in expr.free_symbols}), 30))

    sites = {n: num(v) for n, v in model.get("sites", {}).items()}
    bonds = []
    for g in model.get("segments", []):
        n = int(num(g["length"]).real)
        names = [f"{g['name']}[{k}]" for k in range(n)]
        sites.update({s: num(g.get("energy", "0")) for s in names})
        h = num(g["hopping"])
        bonds += [(a, b, h, np.conj(h)) for a, b in zip(names, names[1:])]

    def ref(r):
        r = r.replace(" ", "")
        for g in model.get("segments", []):
            n = int(num(g["length"]).real)
            if r == g["name"] + ".first":
                return f"{g['name']}[0]"
            if r == g["name"] + ".last":
                return f"{g['name']}[{n - 1}]"
        return r

    for h in model.get("hoppings", []):
        v = num(h["value"])
        rev = np.conj(v) if h.get("reverse") is None else num(h["reverse"])
        bonds.append((ref(h["sites"][0]), ref(h["sites"][1]), v, rev))
    leads = [dict(name=p["name"], site=ref(p["site"]), t=num(p["hopping"]).real, e=num(p.get("potential", "0")).real,
                  c=num(p["coupling"])) for p in model["leads"]]
    return dict(sites=sites, bonds=bonds, leads=leads)


def reference(model: dict, values: dict, w: float) -> dict:
    """All quantities of the model at real energy ``w`` (NaN where a quantity is undefined)."""
    nm = numbers(model, values)
    idx = {s: k for k, s in enumerate(nm["sites"])}
    n = len(idx)
    A = np.zeros((n, n), complex)
    for s, e in nm["sites"].items():
        A[idx[s], idx[s]] = w - e
    for a, b, v, rev in nm["bonds"]:
        A[idx[a], idx[b]] -= v
        A[idx[b], idx[a]] -= rev
    gam, prop = {}, {}
    for p in nm["leads"]:
        sigma = abs(p["c"]) ** 2 * surface_g(w, p["e"], p["t"])
        A[idx[p["site"]], idx[p["site"]]] -= sigma
        gam[p["name"]] = (1j * (sigma - np.conj(sigma))).real
        prop[p["name"]] = abs(w - p["e"]) < 2 * abs(p["t"])
    G = np.linalg.inv(A)
    out = {"det": np.linalg.det(A)}
    site = {p["name"]: idx[p["site"]] for p in nm["leads"]}
    for i, a in enumerate(idx):
        for j, b in enumerate(idx):
            out[f"G:{a},{b}"] = G[i, j]
    names = list(site)
    for q in names:
        for p in names:
            amp = 1j * np.sqrt(gam[q]) * np.sqrt(gam[p]) * G[site[q], site[p]] - (q == p)
            out[f"S:{q},{p}"] = amp if prop[p] and prop[q] else complex(np.nan)  # null: a lead without a mode
            if p != q:
                out[f"T2:{p}->{q}"] = abs(amp) ** 2 if prop[p] and prop[q] else 0.0
    for p in names:
        out[f"R2:{p}"] = abs(out[f"S:{p},{p}"]) ** 2 if prop[p] else np.nan
        out[f"absorbed:{p}"] = (1 - sum(out[f"T2:{p}->{q}"] for q in names if q != p) - out[f"R2:{p}"]
                                if prop[p] else np.nan)
    out["_prop"] = prop
    out["_z"] = {p["name"]: p["t"] * surface_g(w, p["e"], p["t"]) for p in nm["leads"]}
    return out
