r"""Writing SymPy back as LaTeX in a paper's own symbols (the inverse of :mod:`derive.latex.latex_reader`).

:func:`to_latex` prints with the paper's ``[symbols]`` table (``\mathrm{i}`` for the imaginary
unit when ``i`` is one of the paper's symbols); :func:`abs2_latex` keeps a modulus squared as
moduli, the form in which physicists write transmission probabilities.
"""
from __future__ import annotations

from typing import Mapping

import sympy as sp

__all__ = ["to_latex", "abs2_latex", "compact_latex", "real_radicals", "roots_latex", "hand_latex", "regime_roots_latex"]


def to_latex(expr: sp.Basic, symbols: Mapping[sp.Symbol, str], *, compact: bool = False) -> str:
    r"""LaTeX of ``expr`` in the paper's own symbols.

    The imaginary unit is ``\mathrm{i}`` when ``i`` is one of the symbols or the table maps
    ``sympy.I`` to ``\mathrm{i}`` (the paper writes it so), else ``i``.

    Parameters
    ----------
    expr : sympy.Basic
    symbols : mapping
        sympy.Symbol -> the paper's LaTeX (and optionally ``sympy.I`` -> ``\mathrm{i}``).
    compact : bool
        As a physicist types it: terms in the order they were built (``\omega - \varepsilon``, not
        ``- \varepsilon + \omega``), plain parentheses around groups without fractions, no spaces
        TeX does not need (:func:`compact_latex`).

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
    if compact:
        return compact_latex(sp.latex(expr, symbol_names=names, imaginary_unit="ri" if roman else "i", order="old"))
    return sp.latex(expr, symbol_names=names, imaginary_unit="ri" if roman else "i")


def compact_latex(tex: str) -> str:
    r"""SymPy's LaTeX as a physicist types it: ``\left(``/``\right)`` around a group without a fraction
    become plain parentheses, and spaces go except after a control word before a letter.

    >>> compact_latex(r"\left(\omega - \varepsilon\right)^{2} + \left(\frac{\gamma}{2}\right)^{2}")
    '(\\omega-\\varepsilon)^{2}+\\left(\\frac{\\gamma}{2}\\right)^{2}'
    """
    out, stack, k = [], [], 0
    while k < len(tex):  # \left( ... \right): plain when no \frac inside
        if tex.startswith(r"\left(", k):
            stack.append(len(out))
            out.append(r"\left(")
            k += 6
        elif tex.startswith(r"\right)", k) and stack:
            start = stack.pop()
            inner = "".join(out[start + 1:])
            if r"\frac" not in inner and r"\sum" not in inner:
                out[start] = "("
                out.append(")")
            else:
                out.append(r"\right)")
            k += 7
        else:
            out.append(tex[k])
            k += 1
    text = "".join(out)
    kept = []
    for k, ch in enumerate(text):
        if ch != " ":
            kept.append(ch)
            continue
        j = len(kept)
        while j > 0 and kept[j - 1].isalpha():
            j -= 1
        after = text[k + 1:k + 2]
        if j > 0 and kept[j - 1] == "\\" and j < len(kept) and after.isalpha():
            kept.append(" ")
    return "".join(kept)


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


def real_radicals(expr: sp.Basic, points) -> sp.Expr | None:
    r"""``expr`` with each square root of one sign on ``points`` written as a root of a positive argument.

    On the points (which satisfy the claim's conditions) a root whose argument is negative at every
    one is :math:`i\sqrt{-a}`, one that is positive at every one stays :math:`\sqrt{a}`; both are then
    positive symbols, so conjugates evaluate and the expression cancels as a rational function;
    products of the roots are merged (:math:`\sqrt{2-\omega}\sqrt{2+\omega} = \sqrt{4-\omega^2}`).
    The form holds where the signs hold (the caller checks it at the points).

    Parameters
    ----------
    expr : sympy.Basic
        A derived quantity with branch-cut roots (``sqrt(omega - 2)`` and its conjugate).
    points : sequence of dict
        Exact points of the free symbols.

    Returns
    -------
    sympy.Expr or None
        None when no root keeps one sign on the points.

    .. math:: \sqrt{a} = i\sqrt{-a}\quad (a < 0)

    >>> w = sp.Symbol("omega", real=True)
    >>> r = sp.sqrt(w - 2) * sp.sqrt(w + 2)
    >>> pts = [{w: sp.Rational(1, 2)}, {w: sp.Rational(-3, 2)}]
    >>> real_radicals(r, pts), real_radicals(r * sp.conjugate(r), pts)
    (I*sqrt(4 - omega**2), 4 - omega**2)
    """
    from derive.claims.claim_decision import simplest_form, value_at

    rep, back = {}, {}
    for root in expr.atoms(sp.Pow):
        if root.exp != sp.Rational(1, 2) or root.base.is_number or not points:
            continue
        values = [value_at(root.base, pt) for pt in points]
        if any(v is None or abs(v.imag) > 1e-40 * max(1, abs(v.real)) or v.real == 0 for v in values):
            continue
        if len({v.real > 0 for v in values}) == 1:
            positive = values[0].real > 0
            d = sp.Dummy("r", positive=True)
            rep[root] = d if positive else sp.I * d
            back[d] = sp.sqrt(root.base if positive else sp.expand(-root.base))
    if not rep:
        return None
    form = simplest_form(sp.cancel(expr.xreplace(rep)))
    if form.has(sp.conjugate):
        return None
    bases = {b.base for b in back.values()}

    def merge(m: sp.Mul) -> sp.Expr:  # sqrt(a) sqrt(b) = sqrt(ab) for a, b > 0 on the points
        roots = [f for f in m.args if f.is_Pow and f.exp == sp.Rational(1, 2) and f.base in bases]
        rest = [f for f in m.args if f not in roots]
        return sp.Mul(*rest) * sp.sqrt(sp.factor_terms(sp.expand(sp.Mul(*[f.base for f in roots]))))

    return simplest_form(sp.cancel(form.xreplace(back).replace(lambda e: e.is_Mul, merge)))


def roots_latex(det: sp.Expr, omega: sp.Symbol, lhs: str, symbols: Mapping[sp.Symbol, str], *,
                near: tuple | None = None, seconds: float = 8.0) -> str:
    """The zeros of det in omega: closed forms of its factors up to degree 2 (quadratic formula), else
    ``0 = det``.  With ``near = (point, printed value)`` only the roots of the factor whose zero lies
    nearest the printed value at that point (a bound state, not the factor of an unrelated site).
    Factoring runs within ``seconds`` (:mod:`derive.claims.time_budget`); past it, det is taken whole.

    Parameters
    ----------
    det : sympy.Expr
    omega : sympy.Symbol
    lhs : str
        The LaTeX of the left-hand side (the paper's name of the root).
    symbols : mapping
        As for :func:`to_latex`.
    near : (dict, sympy.Expr), optional
        A point and the printed root there.
    seconds : float
        Time budget of the factorisation.

    Returns
    -------
    str

    .. math:: \\omega_\\pm = \\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}

    >>> w, e = sp.Symbol("omega", real=True), sp.Symbol("e", positive=True)
    >>> roots_latex((w**2 - e**2 - 1) * (w - 3), w, r"\\omega_b", {w: r"\\omega", e: "e"}, near=({e: 1}, -e))
    '\\\\omega_b \\\\in \\\\left\\\\{\\\\sqrt{e^{2} + 1}, - \\\\sqrt{e^{2} + 1}\\\\right\\\\}'
    """
    from derive.claims.claim_decision import value_at
    from derive.claims.time_budget import BudgetExceeded, time_budget

    try:
        with time_budget(seconds):
            num = sp.numer(sp.together(det))
            unit = sp.Dummy("j")  # i as a symbol: factoring over Z is fast (over Q(i) it took 8 s for a cubic)
            _, factors = sp.factor_list(sp.expand(num).xreplace({sp.I: unit})) if num.has(omega) else (None, [])
            factors = [(f.xreplace({unit: sp.I}), k) for f, k in factors if f.has(omega)]
    except (BudgetExceeded, sp.PolynomialError, NotImplementedError):
        factors = [(num, 1)] if "num" in locals() else []
    candidates = []
    for f, _ in factors:
        try:
            coeffs = sp.Poly(f, omega).all_coeffs()
        except sp.PolynomialError:
            continue
        if len(coeffs) == 2:
            candidates.append([-coeffs[1] / coeffs[0]])
        elif len(coeffs) == 3:
            a, b, c = coeffs
            disc = sp.factor(sp.expand(b**2 - 4 * a * c))
            candidates.append([(-b - sp.sqrt(disc)) / (2 * a), (-b + sp.sqrt(disc)) / (2 * a)])
        elif len(coeffs) > 3 and near is None:
            return f"0 = {to_latex(det, symbols)}"
    if not candidates:
        return f"0 = {to_latex(det, symbols)}"
    if near is not None and len(candidates) > 1:
        point, printed = near
        target = value_at(printed, point)

        def distance(roots) -> float:
            vals = [value_at(r, point) for r in roots]
            return min((abs(v - target) for v in vals if v is not None and target is not None), default=float("inf"))

        candidates = [min(candidates, key=distance)]
    roots = [r for group in candidates for r in group]
    body = ", ".join(to_latex(sp.expand(r) if sp.count_ops(sp.expand(r)) < sp.count_ops(r) else r, symbols)
                     for r in roots)
    return f"{lhs} \\in \\left\\{{{body}\\right\\}}" if len(roots) > 1 else f"{lhs} = {body}"


def hand_latex(expr: sp.Basic, symbols: Mapping[sp.Symbol, str]) -> str:
    r"""LaTeX of a closed form as a physicist types it: compact (:func:`compact_latex`), one-character
    exponents without braces, ``sign(f)`` as ``\mathrm{sgn}(f)`` in front of the rest.

    >>> e, t = sp.Symbol("eps", real=True), sp.Symbol("t", positive=True)
    >>> hand_latex(-sp.sign(e) * sp.sqrt(e**2 + 4 * t**2), {e: r"\varepsilon", t: "t"})
    '-\\mathrm{sgn}(\\varepsilon)\\sqrt{\\varepsilon^2+4t^2}'
    """
    import re

    def plain(e: sp.Basic) -> str:
        return re.sub(r"\^\{(\w)\}", r"^\1", to_latex(e, symbols, compact=True))

    expr = sp.sympify(expr)
    signs = [f for f in sp.Mul.make_args(expr) if isinstance(f, sp.sign)]
    if not signs:
        return plain(expr)
    rest = expr / sp.Mul(*signs)
    prefix = "".join(r"\mathrm{sgn}(" + plain(f.args[0]) + ")" for f in signs)
    body = plain(rest)
    if rest.is_Add:
        body = "(" + body + ")"
    if body == "1":
        return prefix
    if body == "-1":
        return "-" + prefix
    return "-" + prefix + body[1:] if body.startswith("-") else prefix + body


def regime_roots_latex(regimes, lhs: str, symbols: Mapping[sp.Symbol, str]) -> str | None:
    r"""The zeros of det per sign regime (:func:`derive.claims.radical_roots.combine`) as the paper would print
    them: ``lhs = r``, ``lhs \in \left\{r_1, r_2\right\}``, or one such form per regime with its
    conditions; None when no regime has a zero.

    >>> e, t = sp.Symbol("eps", real=True), sp.Symbol("t", positive=True)
    >>> regime_roots_latex([([e > 0], [e + t]), ([e < 0], [])], r"\omega_b", {e: r"\varepsilon", t: "t"})
    '\\omega_b = \\varepsilon+t\\ (\\varepsilon>0),\\quad\\text{none}\\ (\\varepsilon<0)'
    """
    if not any(roots for _, roots in regimes):
        return None

    def one(roots) -> str:
        if not roots:
            return r"\text{none}"
        body = ", ".join(hand_latex(r, symbols) for r in roots)
        return f"{lhs} = {body}" if len(roots) == 1 else f"{lhs} \\in \\left\\{{{body}\\right\\}}"

    if len(regimes) == 1 and not regimes[0][0]:
        return one(regimes[0][1])
    return r",\quad".join(one(roots) + r"\ (" + ",\\ ".join(hand_latex(c, symbols) for c in conds) + ")"
                           for conds, roots in regimes)
