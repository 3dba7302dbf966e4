"""The three layers and their one direction of dependency, read from the sources.

``tunnelkit`` (app) -> ``derive`` (SymPy only) and ``numeric`` (NumPy/SciPy/mpmath only).
``derive`` never imports ``numeric`` or ``tunnelkit``; ``numeric`` never imports
``derive``, ``tunnelkit`` or SymPy -- not at module level, not inside functions.
"""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("tunnelkit", "derive", "numeric")
FORBIDDEN = {
    "derive": {"numeric", "tunnelkit"},
    "numeric": {"derive", "tunnelkit", "sympy"},
    "tunnelkit": set(),
}
MAX_LINES = 600


def _sources(pkg: str) -> list[Path]:
    return sorted((ROOT / pkg).rglob("*.py"))


def imported_top_levels(path: Path) -> set[str]:
    """Top-level package names of every import in ``path`` (absolute; relative ones stay in the package)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            out.add(str(node.args[0].value).split(".")[0])
    return out


@pytest.mark.parametrize("pkg", PACKAGES)
def test_layer_imports(pkg: str) -> None:
    bad = {}
    for path in _sources(pkg):
        hit = imported_top_levels(path) & FORBIDDEN[pkg]
        if hit:
            bad[str(path.relative_to(ROOT))] = sorted(hit)
    assert not bad, f"{pkg} imports a layer it must not: {bad}"


def test_checker_sees_imports_inside_functions(tmp_path: Path) -> None:
    f = tmp_path / "m.py"
    f.write_text("def g():\n    from numeric.x import y\n    import sympy as sp\n")
    assert imported_top_levels(f) == {"numeric", "sympy"}


def test_module_basenames_are_unique() -> None:
    seen = defaultdict(list)
    for pkg in PACKAGES:
        for path in _sources(pkg):
            if path.name != "__init__.py":
                seen[path.stem].append(str(path.relative_to(ROOT)))
    dup = {k: v for k, v in seen.items() if len(v) > 1}
    assert not dup, dup


def test_modules_are_short() -> None:
    long_ = {str(p.relative_to(ROOT)): n for pkg in PACKAGES for p in _sources(pkg)
             if "_generated" not in p.parts and (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long_, f"modules over {MAX_LINES} lines: {long_}"


def test_every_package_says_what_belongs_in_it() -> None:
    missing = [str(p.relative_to(ROOT)) for pkg in PACKAGES for p in (ROOT / pkg).rglob("__init__.py")
               if not (ast.get_docstring(ast.parse(p.read_text())) or "").strip()]
    assert not missing, missing
