"""Sweeps through executors give the same numbers as direct calls, in grid order."""
import math
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest

from tunnelkit.models.lossy_lattice import LossyLattice, currents
from tunnelkit.sweeps import grid, sweep


def test_process_pool_matches_serial():
    params = grid(M=[2], tau1=[0.1], gamma=[0.0, 5.0], Lambda=[math.inf], V=[0.5, 1.5])
    with ProcessPoolExecutor(2) as ex:
        out = sweep("current", params, executor=ex)
    for p, o in zip(params, out):
        ref = currents(LossyLattice(p["M"], p["tau1"], p["gamma"], p["Lambda"], p["V"])).I
        assert o["I"] == ref  # same code, same floating-point path: bit-identical


def test_default_executor_and_pair_ratio():
    out = sweep("pair_ratio", [{"T": [0.5]}, {"T": [1.0], "damping": 0.2}])
    assert out[0]["G_over_S"][0] > 1 > out[1]["G_over_S"][0]


def test_unknown_task():
    with pytest.raises(ValueError):
        sweep("nonsense", [{}], executor=ThreadPoolExecutor(1))
