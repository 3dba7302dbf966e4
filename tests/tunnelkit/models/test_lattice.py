"""The bundled lattice model files (tunnelkit.models.lossy_lattice) are the registry's lattice and the example file."""
from __future__ import annotations

from pathlib import Path

import pytest

from tunnelkit.models.model_file import load_model_file, normalise

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tunnelkit" / "models_data"


def bare(d):
    d = normalise(d, name="lattice")
    d["parameters"] = {k: {"kind": v["kind"], "range": v["range"]} for k, v in d["parameters"].items()}
    return d


def test_the_bundled_chain_is_the_example_file():
    assert (DATA / "anglin_lattice.toml").read_text() == (ROOT / "examples" / "models" / "anglin_lattice.toml").read_text()


@pytest.mark.parametrize("segments, name", [(True, "anglin_lattice.toml"), (False, "anglin_lossy_site.toml")])
def test_the_bundled_files_are_the_derive_layers_lattice(segments, name):
    """derive.papers.anglin.general_route.lattice_model (the registry's lattice-as-model check) built by hand."""
    from derive.papers.anglin.general_route import lattice_model

    assert bare(lattice_model(segments)) == bare(load_model_file(DATA / name))


def test_lattice_model_picks_the_file_by_M():
    from tunnelkit.models.lossy_lattice import lattice_model

    assert not lattice_model(0, "0.1", "0.5").segments and "M" not in lattice_model(0, "0.1", "0.5").parameters
    assert lattice_model(3, "0.1", "0.5").values["M"] == 3
