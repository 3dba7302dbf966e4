"""The API reference builds from the docstrings (``python docs/build_api.py``), one page per module."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _builder():
    spec = importlib.util.spec_from_file_location("build_api", ROOT / "docs" / "build_api.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_api_reference_has_a_page_per_module(tmp_path: Path) -> None:
    pytest.importorskip("pdoc")
    builder = _builder()
    names = builder.build(tmp_path)
    missing = [n for n in names if not (tmp_path / (n.replace(".", "/") + ".html")).exists()]
    assert not missing, missing
    assert {"tunnelkit", "tunnelkit.cli", "derive.proof", "numeric.quadrature"} <= set(names)
    index = (tmp_path / "tunnelkit.html").read_text()
    for entry in ("transmission", "verify", "LossyLattice", "pair_ratio"):
        assert entry in index


def test_every_public_name_resolves() -> None:
    """``import tunnelkit`` exposes every documented entry point (loaded on first use)."""
    import tunnelkit

    missing = [n for n in tunnelkit.__all__ if not hasattr(tunnelkit, n)]
    assert not missing, missing
    with pytest.raises(AttributeError):
        tunnelkit.not_an_entry_point  # noqa: B018
