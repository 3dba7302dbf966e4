"""Jordan-Wigner route for tajima:1-10, 13, 16-19, 22, and the generated operator code."""
import numpy as np
import pytest

from numeric.tajima.barrier_modes import square_barrier_amplitudes
from numeric.tajima.split_fock import SplitModel, rel_diff, ring_momentum_check


@pytest.mark.parametrize("n,nl,seed", [(2, 1, 4), (3, 2, 5)])
def test_classes_against_printed(n, nl, seed):
    m = SplitModel.random(n=n, n_left=nl, seed=seed)
    C, P = m.classes(), m.printed_terms()
    for k in ("L", "R", "1t", "pair", "ind"):
        assert rel_diff(C[k], P[k]) < 1e-12, k
    assert rel_diff(C["spin"], -P["spin"]) < 1e-12
    assert rel_diff(C["spin"], P["spin"]) > 0.5
    corrected = P["L"] + P["R"] + P["1t"] + P["pair"] - P["spin"] + P["ind"]
    assert rel_diff(C["total"], corrected) < 1e-12


def test_current_operators():
    m = SplitModel.random(n=3, n_left=1, seed=8)
    cur, pc = m.currents(), m.printed_currents()
    assert rel_diff(cur["I_M"], pc["I_M"]) < 1e-12
    assert rel_diff(cur["I_S"], pc["I_S"]) > 0.1


def test_ring_momentum_forms():
    r = ring_momentum_check(3, seed=2)
    for k in ("contact", "pair", "spin", "ind_corrected"):
        assert r[k] < 1e-12, k
    assert r["ind_printed"] > 0.1


def test_generated_operator_code_matches_matrices():
    """`tunnelkit derive tajima:9 --format python` evaluates to the Fock spin class (summed over points)."""
    from tunnelkit.registry import get, python_of
    entry = get("tajima:9")
    src = python_of(entry, [entry.derived()])
    ns = {}
    exec(src, ns)
    m = SplitModel.random(n=3, n_left=1, seed=9)
    total = 0
    for x in range(m.n):
        ops = {}
        for s in ("up", "dn"):
            for i in ("L", "R"):
                f = m.field(s, i, x)
                ops[f"psi_{s}_{i}"], ops[f"psid_{s}_{i}"] = f, f.conj().T
        total = total + ns["op_tajima_9"](ops, g=m.g)
    assert rel_diff(total, m.classes()["spin"]) < 1e-12


def test_square_barrier_flux_and_free_limit():
    A, B = square_barrier_amplitudes(k=0.7, m=1.0, V0=0.0, b=1.0)
    assert abs(A) < 1e-12 and abs(B - 1) < 1e-12
    A, B = square_barrier_amplitudes(k=0.4, m=1.0, V0=3.0, b=1.0)
    assert abs(abs(A) ** 2 + abs(B) ** 2 - 1) < 1e-10
