"""Cumulative current curves against per-point adaptive quadrature (a different integration of I)."""
import math

import numpy as np
import pytest

from numeric.anglin.currents import currents
from numeric.anglin.curves import current_curve
from numeric.anglin.parameters import LossyLattice


@pytest.mark.parametrize("lat", [LossyLattice(3, 0.1, 0.5, 1.0), LossyLattice(2, 0.01, 5.0, 3.0, 0.4),
                                 LossyLattice(1, 0.3, 1.0, 2.0, -1.5)], ids=["fig3", "narrow", "biased"])
def test_curve_matches_per_point(lat):
    lo, hi = lat.lead_band("L")
    mus = np.linspace(lo - 0.1, hi + 0.1, 400)
    c = current_curve(lat, mus)
    assert np.all(c.I[mus <= lo] == 0)
    sel = np.arange(5, 400, 49)
    ref = np.array([currents(lat, muL=m, muR=-math.inf, rtol=1e-13).I for m in mus[sel]])
    nz = np.abs(ref) > 0
    assert np.max(np.abs(c.I[sel] - ref)[nz] / np.abs(ref[nz])) < 1e-12
    assert np.all(c.error <= 1e-11 * np.abs(c.I).max())
