r"""Zeros of det as roots per sign regime (derive.claims.radical_roots), against a finite chain (NumPy).

One impurity of energy eps at the end of a lead (hopping -t, coupling -t), by hand: det = omega - eps - t z,
z + 1/z = omega/t, so z = (omega - eps)/t gives -eps omega + eps^2 + t^2 = 0, omega = (eps^2 + t^2)/eps, a
bound state where |z| = t/|eps| < 1: for |eps| > t, none for |eps| < t.  A finite chain of 300 sites with
that end site has the same eigenvalues outside [-2t, 2t] to ~(t/eps)^300.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from derive.claims.radical_roots import combine, eliminate_radicals, regime_roots

w, e = sp.Symbol("omega", real=True), sp.Symbol("eps", real=True)
t = sp.Symbol("t", positive=True)
x = w / (2 * t)
DET = w - e - t / (x + sp.sqrt(x - 1) * sp.sqrt(x + 1))


def _chain(eps_value: float, t_value: float, n: int = 300) -> list[float]:
    H = np.diag([eps_value] + [0.0] * (n - 1)) - t_value * (np.eye(n, k=1) + np.eye(n, k=-1))
    return sorted(v for v in np.linalg.eigvalsh(H) if abs(v) > 2 * t_value + 1e-9)


def test_end_impurity_roots_per_regime_against_the_finite_chain():
    assert sp.expand(eliminate_radicals(DET, w) - (-e * w + e**2 + t**2)) == 0
    found = regime_roots(DET, w, conditions=[t > 0])
    regimes = combine(found)
    for eps_value, t_value in ((1.7, 1.0), (-2.2, 0.9), (0.4, 1.0), (-0.8, 1.1), (3.0, 2.5)):
        values = {e: eps_value, t: t_value}
        where = [roots for conds, roots in regimes if all(bool(c.subs(values)) for c in conds)]
        assert len(where) == 1
        got = sorted(float(r.subs(values)) for r in where[0])
        numeric = _chain(eps_value, t_value)
        assert len(got) == len(numeric) and np.allclose(got, numeric, rtol=1e-12), (values, got, numeric)
