"""The nesting bound of the LaTeX reader (:mod:`derive.latex.latex_reader`).

The reader's front end is a recursive descent, and SymPy's parser behind it
recurses too: a formula nested a few hundred levels deep (3000 braces, 500
``\\frac``, a chain of ``\\sin``) would exhaust Python's recursion.  Every
recursion of the front end passes through :meth:`NestingGuard.nested`, which
refuses a formula nested deeper than :data:`MAX_NESTING` levels before SymPy
sees it; the equation is then unverifiable, with that reason.
"""
from __future__ import annotations

from typing import Callable

__all__ = ["MAX_NESTING", "NestingGuard", "parser_failure"]

#: deepest nesting of a formula (a group, fraction, root, function argument, exponent or sign inside
#: another): papers stay below 10; 64 nested fractions already exhaust the recursion of SymPy's parser
MAX_NESTING = 32


class NestingGuard:
    """Mixin of the reader's parser: ``primary`` counts how deep the reading is nested.

    The parser provides ``_primary()`` (one operand), ``peek()`` and ``fail(token, why)``.
    """

    depth = 0

    def nested(self, read: Callable[[], str]) -> str:
        """``read()`` one level deeper; a formula nested beyond :data:`MAX_NESTING` levels is refused."""
        if self.depth > MAX_NESTING:
            raise self.fail(self.peek(), f"nested deeper than {MAX_NESTING} levels (groups, fractions, "  # type: ignore[attr-defined]
                                         "roots, functions, exponents, signs: the limit)")
        self.depth += 1
        try:
            return read()
        finally:
            self.depth -= 1

    def primary(self) -> str:
        """One operand (``_primary``), one level deeper."""
        return self.nested(self._primary)  # type: ignore[attr-defined]


def parser_failure(exc: BaseException) -> str:
    """Why SymPy's LaTeX parser failed on the front end's output, for a LatexReadError.

    >>> parser_failure(ValueError("x"))
    "SymPy's LaTeX parser rejected the formula (ValueError)"
    """
    if isinstance(getattr(exc, "orig_exc", exc), RecursionError):  # lark wraps it in a VisitError
        return "too long for SymPy's LaTeX parser (its recursion runs out: a sum or product of too many terms)"
    return f"SymPy's LaTeX parser rejected the formula ({type(exc).__name__})"
