r"""Resonances and bound states: the zeros of :math:`\det(\omega - H - \Sigma(\omega))`.

With the Bloch factors as unknowns the condition is polynomial: a zero is a
solution :math:`(\omega, z_1, \ldots)` of

.. math::

    P(\omega, z) = 0,\qquad t_p z_p^2 - (\omega-\varepsilon_p) z_p + t_p = 0\quad\text{for every lead } p,

:math:`P` the numerator of :math:`\det(\omega-H-\Sigma)` written with
:math:`\Sigma_p = |c_p|^2z_p/t_p` (:func:`pole_condition`).  Eliminating each
:math:`z_p` by a resultant gives one polynomial in :math:`\omega` whose roots
are the zeros on all :math:`2^{\#\text{leads}}` sheets
(:func:`resonance_polynomial`).  The physical sheet is :math:`|z_p| < 1` for
every lead (each outer wave decays): zeros there are **bound states** (for a
lossy region they may have :math:`\operatorname{Im}\omega < 0`); zeros with some
:math:`|z_p| > 1` are **resonances** (unphysical sheets), those near the real
axis giving the peaks of the transmission.  A lead replaced by its limit
(``where={"Lambda": "inf"}``) has no Bloch factor and no sheet: it stays open
(its :math:`\Sigma_p` is fixed), so every zero is then a resonance.

:func:`poles` finds them for numeric parameters at any precision: squarefree
factors of the exact resultant, :func:`mpmath.polyroots` at ``dps`` digits with
guard digits, then for each root the Bloch factors (the two roots of each
quadratic) that make :math:`P` vanish.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Mapping

import mpmath
import sympy as sp

from derive.models.model_values import ModelValueError
from derive.models.symbolic_model import SymbolicModel

__all__ = ["pole_condition", "resonance_polynomial", "Pole", "poles"]


def pole_condition(model: SymbolicModel, *, where: Mapping | None = None) -> tuple[sp.Expr, dict]:
    r"""The polynomial system of the zeros of :math:`\det(\omega-H-\Sigma)`.

    Returns
    -------
    (P, quadratics)
        ``P`` the numerator of the determinant (polynomial in omega, the
        parameters and the ``z_p``), ``quadratics[p]`` = :math:`t_pz_p^2-(\omega-\varepsilon_p)z_p+t_p`
        for every lead that keeps its Bloch factor.

    >>> dot = SymbolicModel({"parameters": {"e": {}}, "sites": {"a": "e"}, "leads": [
    ...     {"name": "L", "site": "a", "hopping": "-1", "coupling": "-1"}]})
    >>> pole_condition(dot)
    (-e + omega + z_L, {'L': -omega*z_L - z_L**2 - 1})
    """
    det = model.quantity("det", where=where)
    if det.has(sp.chebyshevu):
        raise ModelValueError("poles: segment lengths must be numbers (give them in where)")
    numerator = sp.numer(sp.together(sp.expand(det)))
    quadratics = {}
    key = model._where(where)
    for lead in model._system(key).leads:
        z = sp.Symbol(f"z_{lead.name}")
        if numerator.has(z):
            quadratics[lead.name] = sp.expand(lead.t * z ** 2 - (model.omega - lead.e) * z + lead.t)
    return sp.expand(numerator), quadratics


def resonance_polynomial(model: SymbolicModel, *, where: Mapping | None = None) -> sp.Poly:
    r"""Polynomial in :math:`\omega` vanishing at every zero of the determinant, on every sheet.

    :math:`\operatorname{res}_{z_p}` of :math:`P` with each lead quadratic in turn.

    >>> dot = SymbolicModel({"parameters": {"e": {}}, "sites": {"a": "e"}, "leads": [
    ...     {"name": "L", "site": "a", "hopping": "-1", "coupling": "-1"}]})
    >>> resonance_polynomial(dot, where={"e": 3})
    Poly(3*omega - 10, omega, domain='ZZ')
    """
    P, quadratics = pole_condition(model, where=where)
    for lead, q in quadratics.items():
        z = sp.Symbol(f"z_{lead}")
        P = sp.resultant(sp.Poly(P, z), sp.Poly(q, z)).as_expr() if sp.Poly(P, z).degree() > 0 else P
    free = sp.sympify(P).free_symbols - {model.omega}
    if free:
        raise ModelValueError("poles: give values for " + ", ".join(sorted(s.name for s in free)))
    return sp.Poly(sp.expand(P), model.omega)


@dataclass(frozen=True)
class Pole:
    """One zero of the determinant: ``omega``, the Bloch factors ``z`` and whether it is a bound state."""

    omega: mpmath.mpc
    z: dict
    bound: bool
    residual: mpmath.mpf


def poles(model: SymbolicModel, *, where: Mapping | None = None, dps: int = 30) -> list[Pole]:
    r"""All zeros of :math:`\det(\omega-H-\Sigma)` for numeric parameters, at ``dps`` digits.

    Parameters
    ----------
    model : SymbolicModel
    where : mapping
        Values for every parameter (exact; ``"inf"`` for a limit through the leads).
    dps : int
        Decimal digits of the roots.

    Returns
    -------
    list of Pole
        Sorted by real part; ``bound`` is True on the physical sheet (all :math:`|z_p|<1`).

    >>> dot = SymbolicModel({"parameters": {"e": {}}, "sites": {"a": "e"}, "leads": [
    ...     {"name": "L", "site": "a", "hopping": "-1", "coupling": "-1"}]})
    >>> [(mpmath.nstr(p.omega.real, 12), mpmath.nstr(p.z["L"].real, 12), p.bound) for p in poles(dot, where={"e": 3})]
    [('3.33333333333', '-0.333333333333', True)]
    """
    P, quadratics = pole_condition(model, where=where)
    poly = resonance_polynomial(model, where=where)
    open_limit = any(z is None for z in model.pieces(model._where(where), ()).z.values())
    zs = [sp.Symbol(f"z_{lead}") for lead in quadratics]
    terms = [sp.lambdify([model.omega, *zs], t, "mpmath") for t in sp.Add.make_args(P)]
    quad = {lead: sp.lambdify([model.omega], sp.Poly(q, sp.Symbol(f"z_{lead}")).all_coeffs(), "mpmath")
            for lead, q in quadratics.items()}
    out = []
    with mpmath.workdps(dps + 20):
        for factor, _ in poly.sqf_list()[1]:
            if factor.degree() < 1:
                continue
            coeffs = [mpmath.mpmathify(sp.N(c, dps + 30)) for c in factor.all_coeffs()]
            roots = mpmath.polyroots(coeffs, maxsteps=400, extraprec=4 * dps + 40) if len(coeffs) > 2 \
                else [-coeffs[1] / coeffs[0]]
            for w in roots:
                out += _sheets(mpmath.mpc(w), quad, terms, list(quadratics), dps, open_limit)
    out.sort(key=lambda p: (float(p.omega.real), float(p.omega.imag), p.bound))
    return out


def _sheets(w, quad: dict, terms: list, leads: list, dps: int, open_limit: bool) -> list[Pole]:
    """The Bloch-factor choices that make P vanish at ``w`` (one Pole per choice).

    A lead replaced by its limit (``open_limit``) has no sheet and stays open: no zero is bound.
    """
    options = []
    for lead in leads:
        a, b, c = quad[lead](w)
        disc = mpmath.sqrt(b * b - 4 * a * c)
        options.append([(-b + disc) / (2 * a), (-b - disc) / (2 * a)])
    found, tol = [], mpmath.mpf(10) ** (-(dps // 2))
    for choice in product(*options) if leads else [()]:
        vals = [f(w, *choice) for f in terms]
        scale = max([abs(v) for v in vals] + [mpmath.mpf(1)])
        res = abs(mpmath.fsum(vals)) / scale
        if res < tol:
            z = dict(zip(leads, choice))
            found.append(Pole(w, z, not open_limit and all(abs(x) < 1 for x in choice), res))
    unique = {}
    for p in found:  # a double root of a lead quadratic gives the same choice twice
        unique.setdefault(tuple(mpmath.nstr(x, dps // 2) for x in p.z.values()), p)
    return list(unique.values())
