r"""Writing SymPy back as LaTeX in a paper's own symbols (the inverse of :mod:`derive.latex_reader`).

:func:`to_latex` prints with the paper's ``[symbols]`` table (``\mathrm{i}`` for the imaginary
unit when ``i`` is one of the paper's symbols); :func:`abs2_latex` keeps a modulus squared as
moduli, the form in which physicists write transmission probabilities.
"""
from __future__ import annotations

from typing import Mapping

import sympy as sp

__all__ = ["to_latex", "abs2_latex"]


def to_latex(expr: sp.Basic, symbols: Mapping[sp.Symbol, str]) -> str:
    r"""LaTeX of ``expr`` in the paper's own symbols.

    The imaginary unit is ``\mathrm{i}`` when ``i`` is one of the symbols or the table maps
    ``sympy.I`` to ``\mathrm{i}`` (the paper writes it so), else ``i``.

    Parameters
    ----------
    expr : sympy.Basic
    symbols : mapping
        sympy.Symbol -> the paper's LaTeX (and optionally ``sympy.I`` -> ``\mathrm{i}``).

    Returns
    -------
    str

    .. math:: \mathrm{latex}(e)\big|_{s \to \text{table}[s]}

    >>> t = sp.Symbol("tau1", positive=True)
    >>> to_latex(t**2 / 2, {t: r"\tau_1"})
    '\\frac{\\tau_1^{2}}{2}'
    >>> to_latex(sp.I * t, {t: r"\tau_1", sp.I: r"\mathrm{i}"})
    '\\mathrm{i} \\tau_1'
    """
    names = {s: tex for s, tex in symbols.items() if isinstance(s, sp.Symbol)}
    roman = symbols.get(sp.I, "").strip() == r"\mathrm{i}" or any(tex.strip() == "i" for tex in names.values())
    return sp.latex(expr, symbol_names=names, imaginary_unit="ri" if roman else "i")


def _split_modulus(z: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """``z = c * w`` with ``c`` >= 0 real (numbers' moduli, positive symbols) and ``w`` the rest (phases dropped)."""
    c, rest = sp.Integer(1), sp.Integer(1)
    for f in sp.Mul.make_args(sp.factor_terms(z)):
        if f.is_number:
            c *= sp.Abs(f)
        elif f.is_nonnegative or (f.is_Pow and f.base.is_nonnegative and f.exp.is_real):
            c *= f
        else:
            rest *= f
    return c, rest


def abs2_latex(z: sp.Expr, symbols: Mapping[sp.Symbol, str]) -> str:
    r"""LaTeX of :math:`|z|^2` kept as moduli: real positive factors pulled out, ``\left|n\right|^{2}`` over
    ``\left|d\right|^{2}`` for the rest.

    Parameters
    ----------
    z : sympy.Expr
        A complex amplitude (``S:q,p``), rational in the symbols.
    symbols : mapping
        As for :func:`to_latex`.

    Returns
    -------
    str

    .. math:: |z|^2 = c^2\,\frac{|n|^2}{|d|^2},\qquad z = c\,\frac{n}{d}\,e^{i\phi}

    >>> w, t = sp.Symbol("omega", real=True), sp.Symbol("tau", positive=True)
    >>> abs2_latex(2 * sp.I * t**2 / (w + sp.I * t**2), {w: r"\omega", t: r"\tau"})
    '\\frac{4 \\tau^{4}}{\\left|\\omega + i \\tau^{2}\\right|^{2}}'
    """
    n, d = sp.fraction(sp.together(z))
    cn, n = _split_modulus(sp.expand(n))
    cd, d = _split_modulus(sp.expand(d))
    num = (cn / cd) ** 2
    top = "" if n == 1 else r"\left|" + to_latex(n, symbols) + r"\right|^{2}"
    bottom = "" if d == 1 else r"\left|" + to_latex(d, symbols) + r"\right|^{2}"
    pn, pd = sp.fraction(num)
    top = " ".join(p for p in (to_latex(pn, symbols) if pn != 1 or not top else "", top) if p)
    bottom = " ".join(p for p in (to_latex(pd, symbols) if pd != 1 else "", bottom) if p)
    return top if not bottom else r"\frac{" + top + "}{" + bottom + "}"
