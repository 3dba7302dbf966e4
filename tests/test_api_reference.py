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


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, list[str]]:
    """The reference, built once for the tests of this module (~20 s)."""
    pytest.importorskip("pdoc")
    out = tmp_path_factory.mktemp("api")
    return out, _builder().build(out)


def test_api_reference_has_a_page_per_module(built) -> None:
    tmp_path, names = built
    missing = [n for n in names if not (tmp_path / (n.replace(".", "/") + ".html")).exists()]
    assert not missing, missing
    assert {"tunnelkit", "tunnelkit.cli", "derive.claims.proof", "numeric.quadrature"} <= set(names)
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


def test_front_page_opens_with_the_public_api_by_task(built) -> None:
    """index.html: every public name once, grouped by task, with its one-line summary; the modules after."""
    import tunnelkit

    builder = _builder()
    grouped = [n for members in builder.GROUPS.values() for n in members]
    assert sorted(grouped) == sorted(tunnelkit.__all__), "every public name in exactly one group of GROUPS"
    tmp_path, names = built
    page = (tmp_path / "index.html").read_text()
    public, internals = page.index("Public API"), page.index("Modules (internals)")
    assert public < internals
    for name in tunnelkit.__all__:
        at = page.index(f"<code>tunnelkit.{name}</code>")
        assert public < at < internals
        first_line = builder.summary(getattr(tunnelkit, name))
        assert first_line and __import__("html").escape(first_line) in page, name
    assert all(f"<code>{n}</code>" in page[internals:] for n in names)


def _parameters(obj) -> list[str]:
    import inspect

    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return []
    return [n for n in sig.parameters if n not in ("self", "cls")]


def _public_callables():
    """(label, object) for every public name of tunnelkit and the public methods of its own classes."""
    import inspect

    import tunnelkit

    for name in tunnelkit.__all__:
        obj = getattr(tunnelkit, name)
        yield f"tunnelkit.{name}", obj
        if inspect.isclass(obj) and not issubclass(obj, Exception):
            for attr, raw in vars(obj).items():
                if not attr.startswith("_") and (inspect.isfunction(raw) or isinstance(raw, (classmethod, staticmethod))):
                    yield f"tunnelkit.{name}.{attr}", getattr(obj, attr)


def test_every_public_name_is_documented_numpy_style() -> None:
    """A docstring for every public name; Parameters for every public callable of two or more parameters
    (methods of the public classes included); Returns for every public function of ``tunnelkit``."""
    import inspect

    missing = []
    for label, obj in _public_callables():
        doc = inspect.getdoc(obj) or ""
        if not doc:
            missing.append(f"{label}: no docstring")
            continue
        if isinstance(obj, type) and issubclass(obj, Exception):
            continue
        if len(_parameters(obj)) >= 2 and "Parameters\n----------" not in doc:
            missing.append(f"{label}: no Parameters section")
        function = inspect.isfunction(obj) and label.count(".") == 1  # tunnelkit.NAME
        if function and _parameters(obj) and "Returns\n-------" not in doc:
            missing.append(f"{label}: no Returns section")
    assert not missing, "\n".join(missing)
