"""Sweeps over a model's parameters: serial, process pool and a dask.distributed LocalCluster agree."""
from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from tunnelkit.models.model import Model
from tunnelkit.sweeps import model_map, sweep

FANO = Path(__file__).resolve().parents[3] / "examples" / "models" / "fano_dot.toml"


def serial(task: str, params: list[dict]) -> list[dict]:
    return sweep(task, params, executor=ThreadPoolExecutor(1))


def test_map_of_transmission_and_of_the_loss_rate():
    m = Model.from_file(FANO).with_params(t_d=0.5)
    eps, gam = [-0.5, 0.0, 0.4], [0.0, 0.2]
    T = model_map(m, ("eps", eps), ("gamma", gam), quantity="T2:L->R", omega=0.1, executor=ThreadPoolExecutor(2))
    for i, e in enumerate(eps):
        for j, g in enumerate(gam):
            ref = m.with_params(eps=e, gamma=g).transmission([0.1]).T2["L->R"][0]
            assert T[i, j] == pytest.approx(ref, rel=1e-13)  # T2 alone, or |S|^2 beside S: last bits may differ
    loss = model_map(m, ("eps", eps), ("gamma", gam), quantity="loss", leads={"L": {"mu": 0.5}},
                     executor=ThreadPoolExecutor(2))
    assert np.all(loss[:, 0] == 0) and np.all(loss[:, 1] > 0)


def test_dask_local_cluster_gives_the_serial_numbers():
    distributed = pytest.importorskip("distributed")
    model = Model.from_file(FANO).model_dict
    params = [{"model": model, "params": {"eps": e, "gamma": g, "t_d": 0.5}, "omega": [-0.3, 0.2, 0.45]}
              for e in (-0.2, 0.3) for g in (0.0, 0.1)]
    currents = [{"model": model, "params": {"eps": 0.3, "gamma": g, "t_d": 0.5},
                 "leads": {"L": {"mu": 0.5}, "R": {"mu": -0.5, "T": 0.1}}} for g in (0.05, 0.2)]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        ex = client.get_executor()
        remote_t = sweep("model_transmission", params, executor=ex)
        remote_c = sweep("model_current", currents, executor=ex)
    assert remote_t == serial("model_transmission", params)  # same code and inputs: identical numbers
    assert remote_c == serial("model_current", currents)
    assert all(math.isfinite(c["loss"]) and c["loss"] > 0 for c in remote_c)
