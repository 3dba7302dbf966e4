"""The invariants of scattering results (numeric.models.invariants) on S matrices built to be right or wrong.

Independent route: S matrices constructed unitary (QR of a random complex matrix) or scaled by a known
factor, so whether each invariant holds is known by construction, not from any solver.
"""
from __future__ import annotations

import mpmath
import numpy as np
import pytest

from numeric.models.invariants import DOUBLE_TOLERANCE, region_kind, tolerance, violations

LEADS = ("A", "B", "C")


def unitary(seed: int, n: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    q, r = np.linalg.qr(rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n)))
    return q * (np.diag(r) / np.abs(np.diag(r)))


def quantities(S: np.ndarray) -> dict:
    """T2, R2, absorbed and S of points k from S[k] (absorbed = 1 - column norm: exact by definition)."""
    out = {}
    for p, lp in enumerate(LEADS):
        for q, lq in enumerate(LEADS):
            out[f"S:{lq},{lp}"] = S[:, q, p]
            if p != q:
                out[f"T2:{lp}->{lq}"] = np.abs(S[:, q, p]) ** 2
        out[f"R2:{lp}"] = np.abs(S[:, p, p]) ** 2
        out[f"absorbed:{lp}"] = 1 - np.sum(np.abs(S[:, :, p]) ** 2, axis=1)
    return out


def test_unitary_s_passes_as_hermitian_and_as_lossy():
    S = np.stack([unitary(k) for k in range(20)])
    vals = quantities(S)
    assert violations(vals, LEADS, kind="hermitian") == []
    assert violations(vals, LEADS, kind="loss") == []


def test_gain_breaks_subunitarity_and_loss_breaks_unitarity():
    S = np.stack([unitary(k) for k in range(4)])
    S[1] *= 1.001  # gain at point 1: absorbed < 0 and a singular value 1.001
    S[3] *= 0.999  # loss at point 3: fine with loss, not in a Hermitian region
    lossy = violations(quantities(S), LEADS, kind="loss")
    assert [v.index for v in lossy] == [1] and "absorbed >= 0" in lossy[0].invariant
    herm = violations(quantities(S), LEADS, kind="hermitian")
    assert [v.index for v in herm] == [1, 3]
    assert violations(quantities(S), LEADS, kind="general") == []  # a region with gain may do both


def test_subunitarity_is_checked_beyond_the_column_norms():
    # columns of norm <= 1 (absorbed >= 0 everywhere) but not orthogonal enough: largest singular value
    # of [[a, a], [a, -a]]/... -- here S = [[0.7, 0.7], [0.7, 0.7]]: columns of norm 0.99, sigma_max = 1.4
    S = np.full((1, 2, 2), 0.7 + 0j)
    vals = {"S:A,A": S[:, 0, 0], "S:B,A": S[:, 1, 0], "S:A,B": S[:, 0, 1], "S:B,B": S[:, 1, 1],
            "T2:A->B": np.abs(S[:, 1, 0]) ** 2, "T2:B->A": np.abs(S[:, 0, 1]) ** 2,
            "R2:A": np.abs(S[:, 0, 0]) ** 2, "R2:B": np.abs(S[:, 1, 1]) ** 2,
            "absorbed:A": np.array([1 - 0.98]), "absorbed:B": np.array([1 - 0.98])}
    found = violations(vals, ("A", "B"), kind="loss")
    assert len(found) == 1 and found[0].quantity == "S" and "subunitary" in found[0].invariant
    assert found[0].value == pytest.approx(1.4, rel=1e-12)


def test_null_values_and_lead_states():
    S = np.stack([unitary(k) for k in range(3)])
    vals = quantities(S)
    vals["T2:A->B"] = vals["T2:A->B"].copy()
    vals["T2:A->B"][0] = np.nan  # T2 is never null
    states = np.ones((3, 3), dtype=int)
    states[2, 1] = 0  # lead B closed at point 2, but R2:B is a number there
    states[1, 2] = -1  # undecided (next to a band edge): not checked
    found = violations(vals, LEADS, kind="hermitian", is_open=states)
    assert [(v.index, v.quantity) for v in found] == [(0, "T2:A->B"), (2, "R2:B")]


def test_a_negative_probability_just_beyond_the_tolerance():
    S = np.stack([unitary(k, 2) for k in range(2)])
    vals = {"T2:A->B": np.abs(S[:, 1, 0]) ** 2, "R2:A": np.abs(S[:, 0, 0]) ** 2}
    vals["R2:A"] = np.array([-0.5 * DOUBLE_TOLERANCE, -2 * DOUBLE_TOLERANCE])
    found = violations(vals, ("A", "B"))
    assert [(v.index, v.invariant) for v in found] == [(1, "R2 >= 0")]


def test_mpmath_values_are_checked_to_their_digits():
    with mpmath.workdps(50):
        t2 = mpmath.mpf(1) / 3
        exact = {"T2:A->B": np.array([t2]), "R2:A": np.array([1 - t2]), "absorbed:A": np.array([mpmath.mpf(0)])}
        assert violations(exact, ("A", "B"), kind="hermitian", tol=tolerance(40)) == []
        off = dict(exact, **{"R2:A": np.array([1 - t2 + mpmath.mpf(10) ** -35])})
        found = violations(off, ("A", "B"), kind="hermitian", tol=tolerance(40))
        assert len(found) == 1 and "flux balance" in found[0].invariant
        assert violations(off, ("A", "B"), kind="hermitian", tol=tolerance(30)) == []


def test_region_kind():
    assert region_kind(np.array([[0.0, -1.0], [-1.0, 0.3]])) == "hermitian"
    assert region_kind(np.array([[-0.1j, -1j], [1j, 0]])) == "loss"
    assert region_kind(np.array([[0.1j, 0], [0, 0]])) == "general"  # gain
    with mpmath.workdps(30):
        assert region_kind(mpmath.matrix([[mpmath.mpc(0, -1), 1], [1, 0]])) == "loss"


@pytest.mark.parametrize("n", [1, 2, 3])
def test_the_vectorised_screen_keeps_every_point_the_singular_values_reject(n):
    # S = U diag(s) V with singular values s drawn across 1 +- 1e-6 (known by construction): the cheap screen
    # (closed form of 1 - S^dagger S for one or two leads, eigvalsh beyond) must pass on every point whose
    # largest singular value exceeds 1 + tau, and every point whose smallest is below 1 - tau when unitary
    from numeric.models.invariants import _not_subunitary

    rng = np.random.default_rng(n)
    k, tau = 400, 1e-8
    s = 1 + rng.uniform(-3, 3, size=(k, n)) * rng.choice([1e-10, 1e-8], size=(k, 1))
    S = np.stack([unitary(2 * i, n) @ np.diag(s[i]) @ unitary(2 * i + 1, n) for i in range(k)])
    cols = [[S[:, q, p] for q in range(n)] for p in range(n)]
    for unit in (False, True):
        flagged = _not_subunitary(cols, tau, unitary=unit)
        must = (s.max(axis=1) > 1 + 2.5 * tau) | (unit & (s.min(axis=1) < 1 - 2.5 * tau))
        may = (s.max(axis=1) > 1 + tau / 4) | (unit & (s.min(axis=1) < 1 - tau / 4))
        assert np.all(flagged[must]) and not np.any(flagged & ~may)
        assert must.any() and (~may).any()  # both kinds of point are there
