"""What a generated evaluator is: :class:`Spec`, a signature and named SymPy outputs.

Paper subpackages build their specs (e.g. :func:`derive.anglin.evaluator_specs.specs`)
and name them in a ``GENERATED`` table of their ``__init__``; :mod:`derive.codegen`
discovers those tables and prints one NumPy and one mpmath module per family.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

__all__ = ["Spec"]


@dataclass(frozen=True)
class Spec:
    """One generated function: ``name(*args) -> tuple(outputs)``."""

    name: str
    args: tuple[sp.Symbol, ...]
    outputs: tuple[tuple[str, sp.Basic], ...]
    doc: str
    backends: tuple[str, ...] = ("numpy", "mpmath")
    #: named intermediate results, computed in order before the outputs (which may use them)
    steps: tuple[tuple[sp.Symbol, sp.Basic], ...] = ()
    #: arguments that are scalars in every call: products of them are hoisted out of array operations
    scalars: tuple[sp.Symbol, ...] = ()
    #: arguments that are real arrays (the others are complex arrays), for the in-place NumPy printer
    real: tuple[sp.Symbol, ...] = ()
    #: NumPy backend prints three-address code over a reusable workspace (:mod:`derive.codegen_inplace`)
    inplace: bool = False

    def flat_outputs(self) -> tuple[tuple[str, sp.Basic], ...]:
        """Outputs with every step substituted back (functions of ``args`` only)."""
        outs = [e for _, e in self.outputs]
        for sym, expr in reversed(self.steps):
            outs = [o.xreplace({sym: expr}) for o in outs]
        return tuple((n, o) for (n, _), o in zip(self.outputs, outs))
