r"""Closed forms of a model fit to print: in omega and the parameters, as a physicist writes them.

:class:`derive.models.symbolic_model.SymbolicModel` gives every quantity as a rational function of the
leads' Bloch factors :math:`z_p` (the form that keeps the derivation polynomial).  For print,
:func:`printable` eliminates them on the bands: for lead p (hopping :math:`t_p`, potential
:math:`\varepsilon_p`), :math:`\omega - \varepsilon_p = 2t_p\cos k_p` and the outgoing root is

.. math:: z_p = \operatorname{sgn}(t_p)\Big(w_p - i\sqrt{1-w_p^2}\Big),\quad w_p = \frac{\omega-\varepsilon_p}{2|t_p|},

so that :math:`\Gamma_p = |c_p|^2\sqrt{4t_p^2-(\omega-\varepsilon_p)^2}/t_p^2` and every quantity is
rational in :math:`\omega`, the parameters and the real roots
:math:`r_p = \sqrt{4t_p^2 - (\omega-\varepsilon_p)^2}`; leads with the same band share one root
(identical leads merged).  Then each modulus squared :math:`x\bar x` is written
:math:`(\operatorname{Re}x)^2 + (\operatorname{Im}x)^2` (real squares, no bars), :math:`r_p^2` is
replaced by its polynomial, and equal factors of numerator and denominator cancel.  The form
holds **on the bands** (:math:`|\omega-\varepsilon_p| < 2|t_p|` for every lead whose root it
contains); :attr:`PrintForm.conditions` lists them.  A lead in the wide-band limit has a constant
self-energy and needs nothing.

>>> model = {"parameters": {"eps": {}, "gamma": {"range": ">= 0"}, "tau": {"range": "> 0"}},
...          "sites": {"d": "eps - I*gamma/2"},
...          "leads": [{"name": "L", "site": "d", "hopping": "-1", "coupling": "-tau"},
...                    {"name": "R", "site": "d", "hopping": "-1", "coupling": "-tau"}]}
>>> form = printable(model, "T2:L->R")
>>> form.expr
tau**4*(4 - omega**2)/((gamma/2 + tau**2*sqrt(4 - omega**2))**2 + (eps + omega*tau**2 - omega)**2)
>>> form.conditions
((omega, 2),)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import sympy as sp

from derive.latex.latex_reader import GREEK

__all__ = ["PrintForm", "printable", "parameter_latex", "print_latex"]

#: short names physicists print as Greek letters (beyond the Greek names themselves)
_ABBREVIATIONS = {"eps": r"\varepsilon", "epsilon": r"\varepsilon", "lam": r"\lambda", "Lam": r"\Lambda"}


@dataclass(frozen=True)
class PrintForm:
    r"""A quantity in :math:`\omega` and the parameters: ``expr`` (SymPy, no Bloch factors), ``conditions``
    (where it holds: ``(x, b)`` for :math:`|x| < b`, the bands of the leads it involves)."""

    quantity: str
    expr: sp.Expr
    conditions: tuple[tuple[sp.Expr, sp.Expr], ...]


def parameter_latex(name: str, declared: str | None = None) -> str:
    r"""The LaTeX of a parameter: as declared in the model file, else Greek names as Greek letters and the
    part after ``_`` (or trailing digits) as a subscript.

    >>> parameter_latex("eps"), parameter_latex("t_d"), parameter_latex("tau1"), parameter_latex("x", "x_0")
    ('\\varepsilon', 't_{d}', '\\tau_{1}', 'x_0')
    """
    if declared:
        return declared
    head, _, sub = name.partition("_")
    if not sub:
        stripped = head.rstrip("0123456789")
        head, sub = (stripped, head[len(stripped):]) if stripped and stripped != head else (head, "")
    head = _ABBREVIATIONS.get(head) or ("\\" + head if head in GREEK else head)
    return head + (f"_{{{sub}}}" if sub else "")


def _sign(t: sp.Expr):
    if t.is_positive:
        return sp.Integer(1)
    if t.is_negative:
        return sp.Integer(-1)
    return sp.sign(t)


def _reduce_roots(e: sp.Expr, squares: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    """Even powers of each root symbol replaced by powers of its square (r_p^2 -> 4t_p^2 - (omega - eps_p)^2)."""
    def rep(p: sp.Pow) -> sp.Expr:
        k = int(p.exp)
        return squares[p.base] ** (k // 2) * p.base ** (k % 2)

    return e.replace(lambda x: x.is_Pow and x.base in squares and x.exp.is_Integer and abs(int(x.exp)) >= 2, rep)


def _real_imag(e: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    e = sp.expand(e)
    im = sp.expand(sum((t.coeff(sp.I) for t in sp.Add.make_args(e) if t.has(sp.I)), sp.Integer(0)))
    return sp.expand(e - sp.I * im), im


def _conjugate(e: sp.Expr) -> sp.Expr:
    return sp.expand(e.xreplace({sp.I: -sp.I}))


def _tidy_factor(e: sp.Expr) -> sp.Expr:
    """A real factor written short: the shortest of it, its terms' common factor pulled out, its factored form."""
    return min((e, sp.factor_terms(e), sp.factor(e)), key=sp.count_ops)


def _fewer_minus(e: sp.Expr) -> sp.Expr:
    """``e`` or ``-e``, whichever has fewer terms with a minus sign (the same square)."""
    minus = sum(t.could_extract_minus_sign() for t in sp.Add.make_args(e))
    return -e if 2 * minus > len(sp.Add.make_args(e)) else e


def _squares(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    """Re^2 + Im^2 of a (= |a|^2 when b is its conjugate)."""
    re, im = _real_imag(a)
    parts = [sp.Pow(_tidy_factor(_fewer_minus(x)), 2, evaluate=False) if x.is_Add else x**2 for x in (re, im)
             if x != 0]
    return sp.Add(*parts, evaluate=False) if len(parts) > 1 else (parts[0] if parts else sp.Integer(0))


def _moduli(factors: list, squares: Mapping) -> list:
    """[(base, exponent)] with each pair x, conj(x) of equal exponent merged into (Re^2 + Im^2, exponent)."""
    out, used = [], set()
    expanded = [sp.expand(_reduce_roots(sp.expand(b), squares)) for b, _ in factors]
    for i, (b, k) in enumerate(factors):
        if i in used:
            continue
        used.add(i)
        bi = expanded[i]
        if bi.has(sp.I):
            conj = _conjugate(bi)
            j = next((j for j in range(len(factors)) if j not in used and factors[j][1] == k
                      and sp.expand(expanded[j] - conj) == 0), None)
            if j is not None:
                used.add(j)
                out.append((_squares(bi, conj), k))
                continue
            re, im = _real_imag(bi)  # a complex factor: real part + i imaginary part, each short
            bi = _tidy_factor(re) + sp.I * _tidy_factor(im)
        out.append((bi, k))
    return out


def printable(model: Mapping, quantity: str, *, where: Mapping | None = None) -> PrintForm:
    r"""``quantity`` of ``model`` on the bands, in :math:`\omega` and the parameters only.

    Parameters
    ----------
    model : mapping
        The model dict.
    quantity : str
        ``T2:p->q``, ``R2:p``, ``absorbed:p``, ``S:q,p``, ``G:i,j`` or ``det``.
    where : mapping, optional
        Parameter values (``inf``: limits), as for :meth:`SymbolicModel.quantity`.

    Returns
    -------
    PrintForm

    .. math:: x\bar x \mapsto (\operatorname{Re}x)^2 + (\operatorname{Im}x)^2,\qquad
              z_p \mapsto \operatorname{sgn}(t_p)\,\frac{(\omega-\varepsilon_p) - i\,r_p}{2|t_p|}
    """
    from derive.models.symbolic_model import SymbolicModel

    m = SymbolicModel(dict(model))
    where = dict(where or {})
    expr = m.quantity(quantity, where=where or None)
    omega = m.omega
    rep, squares, conditions, roots = {}, {}, [], {}
    for name in m.leads:
        z = m.bloch_symbol(name)
        if not expr.has(z):
            continue
        lead = m._lead(name, where or None)
        key = (lead.t, lead.e)
        if key not in roots:
            r = sp.Dummy(f"r_{name}", positive=True)
            roots[key] = r
            squares[r] = sp.expand(4 * lead.t**2 - (omega - lead.e) ** 2)
            conditions.append((omega - lead.e, 2 * sp.Abs(lead.t)))
        r, sgn = roots[key], _sign(lead.t)
        rep[z] = sgn * ((omega - lead.e) - sp.I * r) / (2 * sp.Abs(lead.t))
        rep[1 / z] = sgn * ((omega - lead.e) + sp.I * r) / (2 * sp.Abs(lead.t))  # on the band |z| = 1
    expr = expr.xreplace(rep)
    num, den = [], []
    for f in sp.Mul.make_args(expr):
        b, k = f.as_base_exp()
        if not k.is_Integer:
            b, k = f, sp.Integer(1)
        (den if k < 0 else num).append((b, abs(k)))
    num, den = _moduli(num, squares), _moduli(den, squares)
    for i, (b, k) in enumerate(num):  # equal factors of numerator and denominator cancel
        for j, (c, l) in enumerate(den):
            if l and k and sp.expand(b - c) == 0:
                n = min(k, l)
                num[i], den[j] = (b, k - n), (c, l - n)
                k = k - n
    top = sp.Mul(*[sp.Pow(b, k) for b, k in num if k])
    bottom = sp.Mul(*[sp.Pow(b, k) for b, k in den if k])
    top = _reduce_roots(top, squares)  # r_p r_p -> r_p^2 -> its polynomial; sums of squares kept
    top = min((top, sp.factor(top)), key=sp.count_ops)
    form = top / bottom
    back = {r: sp.sqrt(squares[r]) for r in squares}
    form = form.xreplace(back)
    used = [r for r in squares if expr.has(r)]
    return PrintForm(quantity, form, tuple(c for c, r in zip(conditions, squares) if r in used))


def print_latex(form: PrintForm, symbols: Mapping[sp.Symbol, str], lhs: str) -> str:
    r"""``lhs = form`` in the given LaTeX of the symbols, and a ``%`` line saying where it holds.

    Parameters
    ----------
    form : PrintForm
    symbols : mapping
        sympy.Symbol -> LaTeX (:func:`parameter_latex` of each parameter, ``\omega``).
    lhs : str
        The quantity's LaTeX name.

    Returns
    -------
    str
    """
    from derive.latex.latex_writer import to_latex

    text = f"{lhs} = {to_latex(form.expr, symbols, compact=True)}"
    if form.conditions:
        conds = [rf"|{to_latex(x, symbols, compact=True)}| < {to_latex(b, symbols, compact=True)}"
                 for x, b in form.conditions]
        text += "\n% on the band" + ("s" if len(conds) > 1 else "") + ": " + ", ".join(conds)
    return text
