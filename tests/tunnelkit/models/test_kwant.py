"""The same models built in Kwant (tunnelkit.models.kwant_glue) give the same probabilities (skipped without Kwant).

Kwant is not a dependency; the comparison was run once in a separate environment (numpy<2, Kwant 1.5.0):
see benchmarks/README.md.
"""
from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

kwant = pytest.importorskip("kwant")

from tunnelkit.models.kwant_glue import kwant_probabilities  # noqa: E402
from tunnelkit.models.model import Model  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_model_agreement import random_model  # noqa: E402

CASES = [("fano_dot", dict(eps=0.3, gamma=0.1, t_d=0.5)),
         ("three_terminal", dict(eps=0.1, gamma=0.3, tau=0.5, t_C=0.5, V_C=0.8)),
         ("ssh_segment", dict(v=0.4, w=1.0, gamma=0.2, tau=0.6)),
         ("anglin_lattice", dict(M=2, tau1=0.3, gamma=0.5, Lambda=2.0, V=0.6))]


def agree(model: Model, w: np.ndarray) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Kwant without MUMPS warns about speed
        k = kwant_probabilities(model, w)
    d = model.evaluate(list(k), w, method="direct")
    for name in k:
        np.testing.assert_array_equal(np.isnan(k[name]), np.isnan(d[name]), err_msg=name)
        m = ~np.isnan(d[name])
        np.testing.assert_allclose(k[name][m], d[name][m], rtol=1e-9, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("name,params", CASES, ids=[c[0] for c in CASES])
def test_example_models_agree_with_kwant(name, params):
    agree(Model.from_file(ROOT / "examples" / "models" / f"{name}.toml").with_params(params),
          np.linspace(-2.5, 2.5, 11) + 0.0123)


@pytest.mark.parametrize("seed", range(3))
def test_random_models_agree_with_kwant(seed):
    rng = np.random.default_rng(900 + seed)
    m = random_model(rng, int(rng.integers(1, 8)), 2 + seed % 2)
    for h in m["hopping"]:
        h.pop("reverse", None)  # Kwant's builder keeps bonds Hermitian; complex on-site energies stay
    agree(Model.from_dict(m), rng.uniform(-3, 3, 8))
    nonreciprocal = random_model(np.random.default_rng(1), 3, 2)
    nonreciprocal["hopping"][0]["reverse"] = "0.5"
    with pytest.raises(ValueError, match="non-reciprocal"):
        kwant_probabilities(Model.from_dict(nonreciprocal), [0.1])
