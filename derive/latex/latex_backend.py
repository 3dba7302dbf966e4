"""SymPy's lark LaTeX parser on the project's canonical grammar, and the check that it is installed.

:mod:`derive.latex.latex_reader` writes every formula as fully braced canonical LaTeX (:data:`GRAMMAR`,
an LALR(1) grammar) and hands it to :func:`sympy_parse`.  That needs lark and a SymPy whose lark
transformer reads the grammar; :func:`require_parser` checks both where LaTeX is read and raises
:class:`MissingDependency` naming the package and the version needed -- a missing parser is an error,
never a verdict about an equation.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import sympy as sp

__all__ = ["GRAMMAR", "SYMPY_MIN", "LARK_MIN", "MissingDependency", "require_parser", "sympy_parser", "sympy_parse"]

GRAMMAR = Path(__file__).with_name("latex_canonical.lark")


#: oldest SymPy whose lark LaTeX parser reads :data:`GRAMMAR` (1.13 brought the parser, but its transformer
#: rejects the grammar's subscripted symbols: every equation failed with a VisitError under 1.13.0 and 1.13.3)
SYMPY_MIN = (1, 14)
#: oldest lark this project declares (pyproject.toml)
LARK_MIN = (1, 1)


class MissingDependency(ImportError):
    """A package that reading LaTeX needs is missing or too old; the message names it and the version needed."""


def _release(version: str) -> tuple[int, ...]:
    """The leading numbers of a version string.

    >>> _release("1.14.0"), _release("1.15.0.dev0"), _release("1.2rc1")
    ((1, 14, 0), (1, 15, 0), (1, 2))
    """
    return tuple(int(m) for m in re.findall(r"\d+", re.match(r"[\d.]*", version).group().strip(".")))


def require_parser() -> None:
    """Raise :class:`MissingDependency` unless SymPy's lark LaTeX parser can read :data:`GRAMMAR`.

    Checked where LaTeX is read (never turned into a verdict): lark installed and at least
    :data:`LARK_MIN`, SymPy at least :data:`SYMPY_MIN` with ``sympy.parsing.latex.lark``.

    Returns
    -------
    None

    >>> require_parser()
    """
    def need(package: str, minimum: tuple[int, ...], found: str) -> MissingDependency:
        least = ".".join(map(str, minimum))
        return MissingDependency(f"reading the LaTeX of paper files needs {package} >= {least} ({found}): "
                                 f"pip install '{package.lower()}>={least}'")

    try:
        import lark
    except ImportError:
        raise need("lark", LARK_MIN, "not installed") from None
    lark_version = str(getattr(lark, "__version__", "0"))
    if _release(lark_version) < LARK_MIN:
        raise need("lark", LARK_MIN, f"found {lark_version}")
    if _release(sp.__version__) < SYMPY_MIN:
        raise need("SymPy", SYMPY_MIN, f"found {sp.__version__}, whose LaTeX parser cannot read this grammar")
    try:
        from sympy.parsing.latex.lark import LarkLaTeXParser  # noqa: F401
    except ImportError as exc:
        raise need("SymPy", SYMPY_MIN, f"sympy.parsing.latex.lark does not import: {exc}") from None


@lru_cache(maxsize=1)
def sympy_parser():
    """SymPy's LaTeX parser (lark backend) on the canonical LALR(1) grammar (~100x faster than Earley).

    Returns
    -------
    sympy.parsing.latex.lark.LarkLaTeXParser
        Built once per process, after :func:`require_parser`.
    """
    require_parser()
    import lark
    from sympy.parsing.latex.lark import LarkLaTeXParser
    from sympy.parsing.latex.lark.transformer import TransformToSymPyExpr

    class Transformer(TransformToSymPyExpr):  # the named functions the canonical grammar adds
        def sgn(self, tokens):
            return sp.sign(tokens[1])

        def re_part(self, tokens):
            return sp.re(tokens[1])

        def im_part(self, tokens):
            return sp.im(tokens[1])

    class CanonicalLaTeXParser(LarkLaTeXParser):
        def __init__(self) -> None:
            super().__init__(grammar_file=str(GRAMMAR), transformer=Transformer)
            self.parser = lark.Lark(GRAMMAR.read_text(), parser="lalr", start="latex_string",
                                    keep_all_tokens=True, maybe_placeholders=False, propagate_positions=False)

    return CanonicalLaTeXParser()


@lru_cache(maxsize=4096)
def sympy_parse(braced: str) -> sp.Expr:
    """SymPy's reading of fully braced canonical LaTeX (the front end of :mod:`derive.latex.latex_reader` writes it).

    Parameters
    ----------
    braced : str
        Canonical LaTeX.

    Returns
    -------
    sympy.Expr
        Raises :class:`MissingDependency` when the parser is missing or too old.
    """
    return sympy_parser().doparse(braced)
