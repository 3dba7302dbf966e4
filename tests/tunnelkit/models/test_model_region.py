"""Regions beyond the direct solver's size (tunnelkit.models.model_region): the closed form takes them, its
results checked on a short-segment stand-in; the direct route refuses them by name.

Independent routes: the mpmath path (digits settled at two precisions, exact parameters) against the
double path; the stand-in's region kind against the full region's (a size both can build).
"""
from __future__ import annotations

import mpmath
import numpy as np
import pytest

from numeric.models.invariants import region_kind
from tunnelkit.limits import REGION_MAX_SITES
from tunnelkit.models.lossy_lattice import lattice_model
from tunnelkit.models.model import ModelError
from tunnelkit.models.model_region import check_model


def test_a_chain_of_2e9_sites_by_the_closed_form_against_its_mpmath_digits():
    m = lattice_model(10**9, "0.3", "0.5", 2, "0.7")
    w = np.array([-1.3, 0.1, 1.7])
    dbl = m.transmission(w)
    mp = m.transmission([mpmath.mpf(x) for x in w], dps=25)  # at the same (double) energies: their exact values
    assert dbl.method == "closed"
    with mpmath.workdps(30):
        for key in ("L->R", "R->L"):
            for a, b in zip(dbl.T2[key], mp.T2[key]):
                assert abs(a - b) <= 1e-12 * abs(b), (key, a, b)  # continuants relative-accurate at any length
    with pytest.raises(ModelError, match=f"at most {REGION_MAX_SITES} sites"):
        m.transmission([0.1], method="direct")


@pytest.mark.parametrize("gamma, V", [("0", "0"), ("0.5", "0.7")])
def test_the_stand_in_has_the_region_kind_of_the_full_region(gamma, V, monkeypatch):
    import tunnelkit.models.model_region as R

    m = lattice_model(40, "0.3", gamma, 2, V)
    tb = m.tight_binding()
    monkeypatch.setattr(R, "REGION_MAX_SITES", 10)  # force the stand-in at a size the full region can be built
    short = check_model(lattice_model(40, "0.3", gamma, 2, V))
    assert short.H.shape[0] == 7 < tb.H.shape[0] and region_kind(short.H) == region_kind(tb.H)
    assert [(ld.name, ld.hopping, ld.potential) for ld in short.leads] == \
        [(ld.name, ld.hopping, ld.potential) for ld in tb.leads]
