"""Resonance poles of the lattice's model file (the general Aberth search, numeric.models.pole_search) against dense
eigenvalues, and the quadrature breakpoints around them."""
import math

import numpy as np
import pytest

from numeric.models.pole_search import breakpoints, poles
from tunnelkit.models.lossy_lattice import lattice_model


def lead_root(x: float, Lam: float) -> complex:
    """e^{ik}: the root of l^2 + (x/Lambda) l + 1 = 0 going out (Im > 0) in the band, decaying outside; i at
    Lambda = inf (written here: not the solver's Bloch factor)."""
    if math.isinf(Lam):
        return 1j
    r = np.roots([1.0, x / Lam, 1.0])
    return complex(r[np.argmax(r.imag)] if abs(x / Lam) < 2 else r[np.argmin(np.abs(r))])


def dense_poles(M, tau1, gamma, Lam, V, iterations=60):
    """Eigenvalues of H + Sigma_L(Re w) + Sigma_R(Re w), Sigma_j = -tau1^2 e^{ik_j}, each followed to
    self-consistency (dense LAPACK); H written out site by site (-M .. M).

    M = 34 (69 sites) is beyond the dense start of ``poles``: its Aberth iteration then starts from
    perturbation theory."""
    n = 2 * M + 1
    H = -np.eye(n, k=1) - np.eye(n, k=-1) + 0j
    H[M, M] = -0.5j * gamma
    out = []
    for e in np.linalg.eigvals(H):
        for _ in range(iterations):
            A = H.copy()
            A[0, 0] -= tau1**2 * lead_root(e.real - V / 2, Lam)
            A[-1, -1] -= tau1**2 * lead_root(e.real + V / 2, Lam)
            ev = np.linalg.eigvals(A)
            e, previous = ev[np.argmin(np.abs(ev - e))], e
            if abs(e - previous) < 1e-15:
                break
        out.append(e)
    return np.array(out)


CASES = [(3, 0.1, 5.0, 1.0, 0.0), (2, 0.1, 100.0, math.inf, 1.0), (8, 0.1, 5.0, 3.0, 0.4), (34, 0.1, 0.5, 1.0, 0.3),
         (12, 0.3, 0.5, 4.0, 0.0), (0, 0.3, 0.5, 2.0, 0.2)]


@pytest.mark.parametrize("M,tau1,gamma,Lam,V", CASES,
                         ids=["strong-loss", "huge-loss", "biased", "long", "wide-lead", "one-site"])
def test_poles_match_dense_eigenvalues(M, tau1, gamma, Lam, V):
    tb = lattice_model(M, str(tau1), str(gamma), "inf" if math.isinf(Lam) else str(Lam), str(V)).tight_binding()
    p, ref = poles(tb), dense_poles(M, tau1, gamma, Lam, V)
    assert len(p) == 2 * M + 1 and np.all(np.diff(p.real) >= 0)
    assert max(np.min(np.abs(p - r)) for r in ref) < 1e-9  # every dense pole found
    assert max(np.min(np.abs(ref - z)) for z in p) < 1e-9  # and nothing else


def test_breakpoints_bracket_every_resonance():
    p = poles(lattice_model(3, "0.01", "0.5", 1).tight_binding())
    pts = breakpoints(p, -2.0, 2.0)
    for z in p:
        assert np.any(np.abs(pts - z.real) < 1e-15)
        assert np.any((pts > z.real) & (pts - z.real < 3 * abs(z.imag)))
