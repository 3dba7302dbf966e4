"""Packaging that tells the truth: the version, ``--version``, typed packages, dependency bounds and checks.

The expected values come from ``pyproject.toml`` itself (read with a TOML parser, not with the
code under test), and the dependency checks are exercised by making SymPy look older and lark absent.
"""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

import tunnelkit
from tunnelkit.cli import main

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("tunnelkit", "derive", "numeric")
FANO = ROOT / "examples" / "papers" / "fano.toml"


def _pyproject() -> dict:
    tomllib = pytest.importorskip("tomllib")
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _lower_bound(requirement: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.search(r">=\s*([\d.]+)", requirement).group(1).split("."))


def test_version_is_the_declared_one() -> None:
    assert tunnelkit.__version__ == _pyproject()["project"]["version"]


def test_version_without_installed_metadata_is_read_from_pyproject(monkeypatch) -> None:
    from importlib import metadata

    def not_installed(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    from tunnelkit.version import version

    monkeypatch.setattr(metadata, "version", not_installed)
    version.cache_clear()
    try:
        assert version() == _pyproject()["project"]["version"]
    finally:
        version.cache_clear()


def test_version_flag(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"tunnelkit {_pyproject()['project']['version']}"


def test_every_package_is_marked_typed_and_ships_the_marker() -> None:
    data = _pyproject()
    assert all((ROOT / pkg / "py.typed").is_file() for pkg in PACKAGES)
    shipped = data["tool"]["setuptools"]["package-data"]
    assert any("py.typed" in files and (key == "*" or key == pkg) for key, files in shipped.items() for pkg in PACKAGES)
    assert "Typing :: Typed" in data["project"]["classifiers"]


def test_declared_bounds_are_the_ones_checked_at_use() -> None:
    from derive.latex.latex_backend import LARK_MIN, SYMPY_MIN

    deps = {re.match(r"[A-Za-z0-9_.-]+", d).group().lower(): d for d in _pyproject()["project"]["dependencies"]}
    assert _lower_bound(deps["sympy"]) == SYMPY_MIN
    assert _lower_bound(deps["lark"]) == LARK_MIN


def _tomllib_imports(path: Path) -> list[tuple[int, bool]]:
    """(line, guarded) of every ``import tomllib``: guarded = inside a try whose handler imports tomli."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    guarded: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try):
            falls_back = any(isinstance(n, (ast.Import, ast.ImportFrom)) and
                             any((a.name if isinstance(n, ast.Import) else n.module or "") == "tomli" for a in n.names)
                             or isinstance(n, ast.ImportFrom) and n.module == "tomli"
                             for h in node.handlers for n in ast.walk(h))
            if falls_back:
                guarded |= {id(n) for b in node.body for n in ast.walk(b)}
    return [(n.lineno, id(n) in guarded) for n in ast.walk(tree)
            if isinstance(n, ast.Import) and any(a.name == "tomllib" for a in n.names)
            or isinstance(n, ast.ImportFrom) and n.module == "tomllib"]


def test_no_module_imports_tomllib_without_the_tomli_fallback() -> None:
    """``requires-python = ">=3.10"``: tomllib is 3.11+, so every use falls back to tomli (declared for 3.10)."""
    bad, users = [], 0
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            found = _tomllib_imports(path)
            users += bool(found)
            bad += [f"{path.relative_to(ROOT)}:{line}" for line, ok in found if not ok]
    assert not bad, f"tomllib imported without a tomli fallback (fails on Python 3.10): {bad}"
    data = _pyproject()["project"]
    if users and _lower_bound(data["requires-python"]) < (3, 11):
        assert any(re.match(r"tomli\b", d) and "python_version" in d and "3.11" in d for d in data["dependencies"])


@pytest.fixture
def fresh_parser():
    """The LaTeX parser is built once per process: rebuild it around a test that changes what is installed."""
    from derive.latex import latex_backend
    latex_backend.sympy_parser.cache_clear()
    latex_backend.sympy_parse.cache_clear()
    yield latex_backend
    latex_backend.sympy_parser.cache_clear()
    latex_backend.sympy_parse.cache_clear()


def test_too_old_sympy_is_an_error_naming_it_never_a_verdict(monkeypatch, capsys, fresh_parser) -> None:
    import sympy

    monkeypatch.setattr(sympy, "__version__", "1.13.3")
    from derive.latex.latex_reader import read_expression

    with pytest.raises(fresh_parser.MissingDependency, match=r"SymPy >= 1\.14 \(found 1\.13\.3"):
        read_expression("x", {sympy.Symbol("x"): "x"})
    assert main(["verify", str(FANO), "--no-cache", "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert "SymPy >= 1.14" in err and "pip install 'sympy>=1.14'" in err and "Traceback" not in err


def test_missing_lark_is_an_error_naming_it(monkeypatch, capsys, fresh_parser) -> None:
    monkeypatch.setitem(sys.modules, "lark", None)  # import lark -> ImportError
    assert main(["verify", str(FANO), "--no-cache"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "lark >= 1.1 (not installed)" in err
