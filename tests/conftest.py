"""Shared test configuration.

``--sweep=light`` (default, what CI runs) runs the parameter sweeps marked
``slow`` on a reduced grid; ``--sweep=full`` runs the whole grid.
"""
from __future__ import annotations

import os

# One BLAS thread per test process, set before anything imports NumPy: the tests' matrices are small,
# and OpenBLAS threads spinning against other jobs on a 2-core runner made one 607 x 607 eigensolve
# take 14 s instead of 1.5 s.  An explicit setting in the environment wins.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import pytest  # noqa: E402


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--sweep", choices=["light", "full"], default="light",
                     help="size of the slow parameter sweeps (default: light)")


@pytest.fixture(scope="session")
def sweep(request: pytest.FixtureRequest) -> str:
    return request.config.getoption("--sweep")


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory):
    """Registry checks in tests never reuse a developer's cache."""
    os.environ["TUNNELKIT_CACHE_DIR"] = str(tmp_path_factory.mktemp("tunnelkit-cache"))
    yield
