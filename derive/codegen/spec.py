"""What a generated evaluator is: :class:`Spec`, a signature and named SymPy outputs.

Paper subpackages build their specs (e.g. :func:`derive.papers.tajima.pair_spectral.specs`)
and name them in a ``GENERATED`` table of their ``__init__``; :mod:`derive.codegen.paper_modules`
discovers those tables and prints one NumPy and one mpmath module per family.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

__all__ = ["Spec"]


@dataclass(frozen=True)
class Spec:
    """One generated function: ``name(*args) -> tuple(outputs)``.

    With :attr:`bundles` the function takes each bundle as one argument (a
    tuple, e.g. a ``NamedTuple`` of the caller, unpacked in the bundle's
    order) and every other argument by keyword only:
    ``amplitudes_general(chain, lead_L, lead_R, *, tau_1, gamma, X_L, X_R)``.
    """

    name: str
    args: tuple[sp.Symbol, ...]
    outputs: tuple[tuple[str, sp.Basic], ...]
    doc: str
    backends: tuple[str, ...] = ("numpy", "mpmath")
    #: named intermediate results, computed in order before the outputs (which may use them)
    steps: tuple[tuple[sp.Symbol, sp.Basic], ...] = ()
    #: arguments that are scalars in every call: products of them are hoisted out of array operations
    scalars: tuple[sp.Symbol, ...] = ()
    #: named groups of arguments passed as one tuple each: (argument name, symbols in order)
    bundles: tuple[tuple[str, tuple[sp.Symbol, ...]], ...] = ()

    def __post_init__(self) -> None:
        bundled = [s for _, syms in self.bundles for s in syms]
        if len(set(bundled)) != len(bundled) or not set(bundled) <= set(self.args):
            raise ValueError(f"{self.name}: bundles must be disjoint groups of arguments")

    def signature(self) -> tuple[list[str], list[str]]:
        """(positional parameter names, keyword-only parameter names) of the generated function."""
        if not self.bundles:
            return [a.name for a in self.args], []
        bundled = {s for _, syms in self.bundles for s in syms}
        return [name for name, _ in self.bundles], [a.name for a in self.args if a not in bundled]

    def pack(self, values: dict) -> tuple[list, dict]:
        """Call arguments ``(positional, keyword)`` from one value per argument symbol."""
        if not self.bundles:
            return [values[a] for a in self.args], {}
        bundled = {s for _, syms in self.bundles for s in syms}
        return ([tuple(values[s] for s in syms) for _, syms in self.bundles],
                {a.name: values[a] for a in self.args if a not in bundled})

    def flat_outputs(self) -> tuple[tuple[str, sp.Basic], ...]:
        """Outputs with every step substituted back (functions of ``args`` only)."""
        outs = [e for _, e in self.outputs]
        for sym, expr in reversed(self.steps):
            outs = [o.xreplace({sym: expr}) for o in outs]
        return tuple((n, o) for (n, _), o in zip(self.outputs, outs))
