"""Build the API reference (HTML) from the docstrings: ``python docs/build_api.py [OUTDIR]``.

Every module of ``tunnelkit``, ``derive`` and ``numeric`` gets a page (pdoc); the default output
folder is ``docs/api`` (not committed).  The front page (``index.html``) opens with the public API of
``import tunnelkit`` grouped by task (:data:`GROUPS`), each name with the first line of its docstring,
and lists the internal modules after it.  ``tests/test_api_reference.py`` builds it in CI.
"""
from __future__ import annotations

import html
import importlib
import inspect
import pkgutil
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("tunnelkit", "derive", "numeric")
#: the public API (``tunnelkit.__all__``) by task; every public name is in exactly one group
GROUPS = {
    "Your own lattice: model files": ["Model", "load_model_file", "model_map", "to_kwant", "ModelError",
                                      "ModelFileError"],
    "Your own paper: paper files": ["verify_paper", "paper_report", "report_table", "load_paper", "PaperFileError"],
    "Your own Hamiltonian: field files": ["split_file", "load_fields", "split_model", "fock_check", "FieldFileError"],
    "The lossy lattice (anglin)": ["LossyLattice", "transmission", "currents", "current_curve", "bias_curve",
                                   "bound_states", "FiniteLattice", "evolve"],
    "Pair tunnelling (tajima)": ["pair_ratio", "critical_temperature"],
    "The registered equations": ["verify", "derived"],
    "Figures and parameter sweeps": ["figure", "sweep", "grid"],
    "Exact numbers": ["exact"],
}


def modules() -> list[str]:
    """Every importable module of the three packages (``__main__`` excluded)."""
    sys.path.insert(0, str(ROOT))
    names = []
    for pkg in PACKAGES:
        mod = importlib.import_module(pkg)
        names.append(pkg)
        names += [m.name for m in pkgutil.walk_packages(mod.__path__, pkg + ".") if not m.name.endswith("__main__")]
    return names


def summary(obj: object) -> str:
    """The first line of an object's docstring ("" without one).

    >>> def f():
    ...     '''First line.
    ...
    ...     More.'''
    >>> summary(f), summary(lambda: 0)
    ('First line.', '')
    """
    doc = inspect.getdoc(obj) or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def front_page(names: list[str]) -> str:
    """The HTML of ``index.html``: the public API grouped by task, then every module.

    Parameters
    ----------
    names : list of str
        The documented modules (:func:`modules`).

    Returns
    -------
    str
        A complete HTML page linking to the pdoc pages.
    """
    import tunnelkit

    rows = ["<!doctype html><html><head><meta charset='utf-8'><title>tunnelkit API reference</title>",
            "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td{padding:.2em .8em;"
            "vertical-align:top}code{white-space:nowrap}</style></head><body>",
            f"<h1>tunnelkit {html.escape(tunnelkit.__version__)}: API reference</h1>",
            "<h2>Public API (<code>import tunnelkit</code>), by task</h2>"]
    for group, members in GROUPS.items():
        rows.append(f"<h3>{html.escape(group)}</h3><table>")
        for name in members:
            obj = getattr(tunnelkit, name)
            module = getattr(obj, "__module__", "tunnelkit")
            href = f"{module.replace('.', '/')}.html#{name}"
            rows.append(f"<tr><td><a href='{html.escape(href)}'><code>tunnelkit.{name}</code></a></td>"
                        f"<td>{html.escape(summary(obj))}</td></tr>")
        rows.append("</table>")
    rows.append("<h2>Modules (internals)</h2><table>")
    for name in names:
        mod = importlib.import_module(name)
        rows.append(f"<tr><td><a href='{name.replace('.', '/')}.html'><code>{name}</code></a></td>"
                    f"<td>{html.escape(summary(mod))}</td></tr>")
    rows.append("</table></body></html>")
    return "\n".join(rows)


def build(outdir: Path) -> list[str]:
    """Write the HTML reference into ``outdir``; returns the documented module names.

    Parameters
    ----------
    outdir : pathlib.Path
        The output folder (created).

    Returns
    -------
    list of str
        The documented modules; ``index.html`` is :func:`front_page`.
    """
    import pdoc
    import pdoc.render

    pdoc.render.configure(docformat="numpy", math=True, search=True)
    names = modules()
    with warnings.catch_warnings():  # a package spec already adds its submodules; listing them again is harmless
        warnings.filterwarnings("ignore", message="The module specification", category=UserWarning)
        pdoc.pdoc(*names, output_directory=Path(outdir))
    (Path(outdir) / "index.html").write_text(front_page(names), encoding="utf-8")
    return names


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "api"
    done = build(out)
    print(f"API reference of {len(done)} modules written to {out}", file=sys.stderr)
