"""Build the API reference (HTML) from the docstrings: ``python docs/build_api.py [OUTDIR]``.

Every module of ``tunnelkit``, ``derive`` and ``numeric`` gets a page (pdoc); the default output
folder is ``docs/api`` (not committed).  ``tests/test_api_reference.py`` builds it in CI.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("tunnelkit", "derive", "numeric")


def modules() -> list[str]:
    """Every importable module of the three packages (``__main__`` excluded)."""
    sys.path.insert(0, str(ROOT))
    names = []
    for pkg in PACKAGES:
        mod = importlib.import_module(pkg)
        names.append(pkg)
        names += [m.name for m in pkgutil.walk_packages(mod.__path__, pkg + ".") if not m.name.endswith("__main__")]
    return names


def build(outdir: Path) -> list[str]:
    """Write the HTML reference into ``outdir``; returns the documented module names."""
    import pdoc
    import pdoc.render

    pdoc.render.configure(docformat="numpy", math=True, search=True)
    names = modules()
    with warnings.catch_warnings():  # a package spec already adds its submodules; listing them again is harmless
        warnings.filterwarnings("ignore", message="The module specification", category=UserWarning)
        pdoc.pdoc(*names, output_directory=Path(outdir))
    return names


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "api"
    done = build(out)
    print(f"API reference of {len(done)} modules written to {out}", file=sys.stderr)
