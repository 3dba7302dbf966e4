"""Resonance poles (Aberth iteration on the tridiagonal determinant) against dense eigenvalues."""
import math

import numpy as np
import pytest

from numeric.anglin.device import build_device, lead_bloch_factor
from numeric.anglin.parameters import LossyLattice
from numeric.anglin.resonances import breakpoints, poles


def dense_poles(lat, iterations=60):
    """Eigenvalues of H_D + Sigma_L(Re w) + Sigma_R(Re w), each followed to self-consistency (dense LAPACK).

    M = 34 (69 sites) is beyond the dense start of ``poles``: its Aberth iteration then starts from
    perturbation theory."""
    dev = build_device(lat)
    out = []
    for e in np.linalg.eigvals(dev.H):
        for _ in range(iterations):
            H = dev.H.copy()
            x = np.array([e.real])
            H[0, 0] -= lat.tau1**2 * lead_bloch_factor(x, dev.eps_left, lat.Lambda)[0]
            H[-1, -1] -= lat.tau1**2 * lead_bloch_factor(x, dev.eps_right, lat.Lambda)[0]
            ev = np.linalg.eigvals(H)
            e, previous = ev[np.argmin(np.abs(ev - e))], e
            if abs(e - previous) < 1e-15:
                break
        out.append(e)
    return np.array(out)


@pytest.mark.parametrize("lat", [LossyLattice(3, 0.1, 5.0, 1.0), LossyLattice(2, 0.1, 100.0, math.inf, 1.0),
                                 LossyLattice(8, 0.1, 5.0, 3.0, 0.4), LossyLattice(34, 0.1, 0.5, 1.0, 0.3)],
                         ids=["strong-loss", "huge-loss", "biased", "long"])
def test_poles_match_dense_eigenvalues(lat):
    p, ref = poles(lat), dense_poles(lat)
    assert len(p) == 2 * lat.M + 1 and np.all(np.diff(p.real) >= 0)
    assert max(np.min(np.abs(p - r)) for r in ref) < 1e-9  # every dense pole found
    assert max(np.min(np.abs(ref - z)) for z in p) < 1e-9  # and nothing else


def test_breakpoints_bracket_every_resonance():
    lat = LossyLattice(3, 0.01, 0.5, 1.0)
    pts = breakpoints(lat, -2.0, 2.0)
    for z in poles(lat):
        assert np.any(np.abs(pts - z.real) < 1e-15)
        assert np.any((pts > z.real) & (pts - z.real < 3 * abs(z.imag)))
