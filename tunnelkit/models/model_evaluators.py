r"""Closed forms of a model (derive) and their generated evaluators, cached on disk.

:func:`evaluator` returns the module printed by ``derive.codegen.model_modules.evaluator_source`` for a model
dict, a list of quantities and a backend (``"numpy"``: vectorised over omega; ``"mpmath"``: one point
at the working precision).  The module is stored in the disk cache (:mod:`tunnelkit.disk_cache`, kind
``models``) under a key hashing the model dict, the quantities, the backend, the parameters taken to
``inf`` and :func:`tunnelkit.disk_cache.source_key` (any change of the project's code regenerates it).
A cached module is executed only from the bytes whose keyed hash the cache checked (a planted or
edited file is deleted and regenerated; one that does not run is regenerated too): loading a cached
evaluator imports neither SymPy nor :mod:`derive`.  Only the
parameters set to ``inf`` are fixed in the evaluator (their limits are taken symbolically); every
other parameter is an argument, in the order ``ARGUMENTS`` of the module.

:class:`Derived` is a closed form for display: LaTeX (``_repr_latex_`` in Jupyter), SymPy ``srepr``
and the Python source of its evaluator.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from tunnelkit import disk_cache
from tunnelkit.disk_cache import cache_dir, source_key

__all__ = ["evaluator", "evaluator_path", "Derived", "derive_quantity", "closed_forms_available", "limit_where"]

_LOADED: dict[str, Any] = {}


def _source_key() -> str:
    """:func:`source_key` (computed once per process by :mod:`tunnelkit.disk_cache`)."""
    return source_key()


def closed_forms_available() -> bool:
    """True when the derive layer provides model closed forms (``derive.codegen.model_modules``)."""
    return importlib.util.find_spec("derive.codegen.model_modules") is not None


def limit_where(values: Mapping[str, Any]) -> dict[str, str]:
    """The parameters given as +-inf (their limits are taken in the closed form), as ``{name: "inf"}``."""
    out = {}
    for name, v in values.items():
        text = str(v).strip().lower()
        if text in ("inf", "+inf", "infinity", "oo", "-inf", "-infinity", "-oo") or \
                (isinstance(v, float) and v in (float("inf"), float("-inf"))):
            out[name] = "-inf" if text.startswith("-") else "inf"
    return out


def evaluator_path(model: Mapping[str, Any], quantities: Sequence[str], backend: str,
                   where: Mapping[str, str]) -> Path:
    """Cache file of an evaluator (see the module doc for the key).

    The file name is a slug of the model's name (ASCII letters, digits, ``_``, ``-``: the name is a user's
    file name and may hold anything; the same slug as ``derive.codegen.model_modules.name_slug``, which this
    layer may not import when it loads a cached evaluator) and the hash of everything the module depends on.

    >>> evaluator_path({"name": 'd' + '"' * 3 + ';__import__("os").system("id")'}, ["det"], "numpy", {}).name[:32]
    'd______import____os___system__id'
    """
    import re

    blob = json.dumps({"model": model, "quantities": list(quantities), "backend": backend, "where": dict(where)},
                      sort_keys=True)
    key = hashlib.sha256((blob + _source_key()).encode()).hexdigest()[:24]
    slug = re.sub(r"[^A-Za-z0-9_-]", "_", str(model.get("name", "model")))[:40].strip("-") or "model"
    backend_slug = re.sub(r"[^A-Za-z0-9_]", "_", str(backend))[:20]
    return cache_dir() / "models" / f"{slug}-{backend_slug}-{key}.py"


def evaluator(model: Mapping[str, Any], quantities: Sequence[str], *, backend: str = "numpy",
              where: Mapping[str, str] | None = None):
    """The generated evaluator module of ``quantities`` (from the disk cache when it is there).

    Parameters
    ----------
    model : dict
        The model dict.
    quantities : sequence of str
        Quantity names (``"T2:L->R"``, ...), in the order of the evaluator's outputs.
    backend : {"numpy", "mpmath"}
        NumPy (vectorised over omega) or mpmath (one point, inside ``mpmath.workdps``).
    where : dict, optional
        Parameters fixed in the closed form (``{"Lambda": "inf"}``).

    Returns
    -------
    module
        With ``evaluate(omega, *arguments)``, ``ARGUMENTS``, ``QUANTITIES``, ``LEADS``.
    """
    where = dict(where or {})
    path = evaluator_path(model, quantities, backend, where)
    key = str(path)
    if key in _LOADED:
        return _LOADED[key]
    module = None
    source = disk_cache.load("models", path.name)  # only bytes whose HMAC this user's cache key signed
    if source is not None:
        try:
            module = _module_of(source, path)
        except Exception:  # a signed module that does not run (e.g. written by a broken build): regenerated
            disk_cache.discard("models", path.name)
    if module is None:
        from derive.codegen.model_modules import evaluator_source

        source = evaluator_source(dict(model), list(quantities), backend=backend, where=where or None).encode()
        disk_cache.store("models", path.name, source)
        module = _module_of(source, path)
    _provide_continuants(module, backend)
    _LOADED[key] = module
    return module


def _provide_continuants(module: types.ModuleType, backend: str) -> None:
    """The segment continuants of the numeric layer for the module's ``_continuants`` hook
    (:func:`numeric.models.chebyshev.scaled_continuants` in NumPy, :func:`numeric.models.chebyshev.continuants` in mpmath):
    accurate relative to themselves at any segment length, O(1) per energy, no overflow."""
    if hasattr(module, "CONTINUANTS"):
        from numeric.models.chebyshev import continuants, scaled_continuants
        from numeric.precision import MULTI

        module.CONTINUANTS = scaled_continuants if backend == "numpy" else \
            (lambda n, d, hh: continuants(n, d, hh, backend=MULTI))


def _module_of(source: bytes, path: Path) -> types.ModuleType:
    """A module executed from exactly ``source`` (never re-read from ``path``, which only names it)."""
    module = types.ModuleType(f"tunnelkit_model_{re.sub(r'[^0-9A-Za-z_]', '_', path.stem)}")
    module.__file__ = str(path)
    exec(compile(source, str(path), "exec", dont_inherit=True), module.__dict__)  # noqa: S102 - verified bytes
    return module


@dataclass(frozen=True)
class Derived:
    """A derived closed form of one quantity of a model (shows as LaTeX in Jupyter).

    ``expr`` is the SymPy expression in ``omega``, the parameters left symbolic and the Bloch factors
    ``z_<lead>`` (:math:`e^{ik_p}`), ``where`` the parameter values substituted (``inf``: limits).
    """

    quantity: str
    expr: Any
    model: Mapping[str, Any]
    where: Mapping[str, Any]

    def printable(self):
        """The form to print (:func:`derive.latex.closed_form_print.printable`): omega and the parameters only,
        the leads' Bloch factors eliminated on their bands, moduli as real squares; None when that fails."""
        from derive.latex.closed_form_print import printable

        try:
            return printable(self.model, self.quantity, where=dict(self.where) or None)
        except (ValueError, TypeError, NotImplementedError, ArithmeticError):
            return None

    def symbols_latex(self) -> dict:
        """Each symbol of the model -> its LaTeX (the parameters' ``latex`` in the model file, else the default)."""
        import sympy as sp

        from derive.latex.closed_form_print import parameter_latex
        from derive.models.model_values import OMEGA

        free = {s.name: s for s in self.expr.free_symbols} if hasattr(self.expr, "free_symbols") else {}
        out = {OMEGA: r"\omega"}
        for name, spec in (self.model.get("parameters") or {}).items():
            sym = free.get(name, sp.Symbol(name))
            out[sym] = parameter_latex(name, (spec or {}).get("latex"))
        return out

    def latex(self) -> str:
        """LaTeX of ``quantity = expr`` in omega and the parameters (their LaTeX from the model file), with a
        ``%`` line naming the bands it holds on; the form in Bloch factors when no printable form exists."""
        import sympy as sp

        form = self.printable()
        if form is None:
            return f"{_latex_name(self.quantity)} = {sp.latex(self.expr)}"
        from derive.latex.closed_form_print import print_latex

        table = self.symbols_latex()
        table.update({s: table.get(sp.Symbol(s.name), s.name) for s in form.expr.free_symbols if s not in table})
        return print_latex(form, table, _latex_name(self.quantity))

    def srepr(self) -> str:
        """SymPy ``srepr`` of the printable form (a function of omega and the parameters alone)."""
        import sympy as sp

        form = self.printable()
        return sp.srepr(form.expr if form is not None else self.expr)

    def python(self) -> str:
        """Source of a NumPy evaluator of this quantity (imports numpy only)."""
        from derive.codegen.model_modules import evaluator_source

        return evaluator_source(dict(self.model), [self.quantity], backend="numpy", where=dict(self.where) or None)

    def _repr_latex_(self) -> str:
        eq, _, where = self.latex().partition("\n% ")  # the band condition as text beside it, not a comment
        return f"$\\displaystyle {eq}" + (rf"\quad\text{{{where.split(':')[0]}: }}{where.split(':', 1)[1]}" if where else "") + "$"

    def __str__(self) -> str:
        return f"{self.quantity} = {self.expr}"


def _latex_name(q: str) -> str:
    kind, _, rest = q.partition(":")
    if kind == "T2":
        p, r = rest.split("->")
        return rf"T^2_{{{p}\to {r}}}"
    if kind in ("S", "G"):
        return rf"{kind}_{{{rest}}}"
    if kind == "R2":
        return rf"R^2_{{{rest}}}"
    if kind == "absorbed":
        return rf"A_{{{rest}}}"
    return r"\det(\omega - H - \Sigma)"


def derive_quantity(model: Mapping[str, Any], quantity: str, where: Mapping[str, Any]) -> Derived:
    """The closed form of ``quantity`` with the parameters in ``where`` substituted (others symbolic)."""
    from derive.models.symbolic_model import SymbolicModel

    w = {k: str(v) for k, v in where.items()}
    expr = SymbolicModel(dict(model)).quantity(quantity, where=w or None)
    return Derived(quantity, expr, dict(model), w)
