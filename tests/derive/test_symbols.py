"""One name, one set of assumptions: SymPy symbols held by derive modules never disagree within a scope.

Two ``Symbol("omega")`` with different assumptions are different objects: a substitution or a
comparison that mixes them silently does nothing.  Within the general modules of :mod:`derive` and
within each paper subpackage, every module-level symbol of a given name carries the same assumptions.
"""
from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict

import sympy as sp

import derive


def _scope(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[1:3]) if parts[1] == "papers" and len(parts) > 3 else "general"


def test_module_level_symbols_agree_within_each_scope() -> None:
    seen: dict[tuple[str, str], dict] = defaultdict(dict)
    for info in pkgutil.walk_packages(derive.__path__, "derive."):
        mod = importlib.import_module(info.name)
        for attr, v in vars(mod).items():
            if isinstance(v, sp.Symbol) and not isinstance(v, sp.Dummy):
                seen[_scope(info.name), v.name][frozenset(v.assumptions0.items())] = f"{info.name}.{attr}"
    clashes = {key: sorted(places.values()) for key, places in seen.items() if len(places) > 1}
    assert not clashes, clashes
