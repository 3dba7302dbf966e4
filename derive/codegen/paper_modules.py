"""Generate the paper families' NumPy and mpmath evaluators (``numeric/_generated``).

Run ``python -m derive.codegen.paper_modules`` to rewrite ``numeric/_generated/``.  The
files are committed; ``tests/derive/codegen/test_codegen.py`` regenerates them in
memory and fails if the committed text drifts from the derivation.

Each :class:`derive.codegen.spec.Spec` becomes a function with the spec's
explicit, ordered argument list (never ``free_symbols``) that returns a tuple
in the spec's output order.  The printing is :mod:`derive.codegen.code_printer` (the one
printer of generated code, also that of the model evaluators); this module only
finds the families and writes their files.  NumPy functions are vectorised
elementwise; mpmath functions must be called inside ``mpmath.workdps`` by the caller.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path
from typing import Callable

from derive.codegen.code_printer import AbsSquared, helpers_for as _core_helpers, render_function as _core_function, \
    render_module as _core_module, spec_digest
from derive.codegen.spec import Spec

__all__ = ["render_module", "render_function", "helpers_for", "generated_sources", "write", "GENERATED_DIR",
           "families", "AbsSquared"]

GENERATED_DIR = Path(__file__).resolve().parents[2] / "numeric" / "_generated"
SUFFIX = {"numpy": "_np.py", "mpmath": "_mp.py"}


def families() -> dict[str, Callable[[], tuple[Spec, ...]]]:
    """Family (file-name stem) -> spec provider, from the ``GENERATED`` tables of the subpackages.

    A paper subpackage (:mod:`derive.papers`) that wants generated evaluators declares
    ``GENERATED = {"stem": "module:function"}``; every family gets one file per
    backend in ``numeric/_generated``.

    >>> {"pair_tunneling", "spin_response"} <= set(families())
    True
    """
    import derive.papers

    out: dict[str, Callable[[], tuple[Spec, ...]]] = {}
    for info in sorted(pkgutil.iter_modules(derive.papers.__path__), key=lambda i: i.name):
        if not info.ispkg:
            continue
        table = getattr(importlib.import_module(f"derive.papers.{info.name}"), "GENERATED", {})
        for stem, target in table.items():
            if stem in out:
                raise ValueError(f"generated family {stem!r} declared twice")
            mod, func = target.split(":")
            out[stem] = (lambda m=mod, f=func: getattr(importlib.import_module(m), f)())
    return out


def render_function(spec: Spec, backend: str) -> str:
    """Python source of one evaluator (:func:`derive.codegen.code_printer.render_function`)."""
    return _core_function(spec, backend)


def helpers_for(source: str) -> str:
    """Definitions of the printing helpers that ``source`` calls (``_abs2``)."""
    return _core_helpers(source)


def render_module(backend: str, family: str) -> str:
    """Full text of the generated module of ``family`` for ``backend`` ("numpy" or "mpmath")."""
    specs = [s for s in families()[family]() if backend in s.backends]
    body = "\n\n".join(render_function(s, backend) for s in specs)
    return _core_module(generator="derive.codegen.paper_modules", origin="the derive package", backend=backend,
                        digest=spec_digest(specs), notes=["Regenerate with ``python -m derive.codegen.paper_modules``."],
                        constants=[("__all__", [s.name for s in specs]),
                                   ("OUTPUTS", {s.name: tuple(n for n, _ in s.outputs) for s in specs})],
                        parts=[body])


def generated_sources() -> dict[str, str]:
    """File name -> generated text, for every backend."""
    return {family + SUFFIX[backend]: render_module(backend, family)
            for family in families() for backend in SUFFIX}


def write(directory: Path = GENERATED_DIR) -> list[Path]:
    """Write the generated modules to ``directory``."""
    paths = []
    for fname, text in generated_sources().items():
        path = directory / fname
        path.write_text(text)
        paths.append(path)
    return paths


if __name__ == "__main__":  # pragma: no cover
    for p in write():
        print(f"wrote {p}", file=sys.stderr)
