r"""The regimes of a model's domain that a paper-file claim is decided in, one by one.

A printed transport formula is often right inside a lead's band and wrong outside it (or the other way
round); decided at random points over the whole domain, its verdict would depend on where the points
fall.  The regimes are the positions of omega relative to every distinct finite band of the leads --
below it, inside it (the lead is open) or above it -- intersected with the claim's own conditions
(``assume``, the model's ranges).  Leads that depend on a parameter taken to ``inf`` (wide band) are
open everywhere and split nothing.  The signs of the arguments of ``sgn(...)`` and ``|...|`` in the
printed or derived form (and of the factors where a zero of det changes sheets: the caller's
``signs``) split the regimes further, each into ``x > 0`` and ``x < 0``, unless the conditions
(``assume``, ranges) fix that sign: a bound state printed as :math:`\sqrt{\varepsilon^2+4t^2}` is then
an erratum that holds where eps > 0 and fails where eps < 0.

.. math:: \text{lead } p \text{ open} \iff |\omega - \varepsilon_p| < 2|t_p|
"""
from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Any, Callable, Sequence

__all__ = ["MAX_BANDS", "MAX_SIGNS", "regimes", "sign_arguments", "per_regime", "RADICAL_METHOD"]

#: at most this many distinct bands split the domain (3^3 = 27 regimes); further bands are not split
MAX_BANDS = 3
#: at most this many signs split the domain (2^3 = 8 regimes per band regime); further ones are not split
MAX_SIGNS = 3

RADICAL_METHOD = "sympy: radicals eliminated with their minimal polynomials (signs fixed by the conditions)"


def sign_arguments(*exprs) -> list:
    """The real arguments of ``sign(...)`` and ``Abs(...)`` in the expressions (leading coefficient positive,
    each once), e.g. ``[eps]`` for ``sgn(eps) sqrt(eps^2 + 4t^2)``; arguments holding roots are left out.

    >>> import sympy as sp
    >>> x, y = sp.symbols("x y", real=True)
    >>> sign_arguments(sp.sign(-x) + sp.Abs(y - x), sp.Abs(x))
    [x, x - y]
    """
    import sympy as sp

    out: list = []
    for expr in exprs:
        for f in sp.sympify(expr).atoms(sp.sign, sp.Abs):
            a = f.args[0]
            if a.is_number or not a.is_real or any(p.exp.is_Rational and p.exp.q == 2 for p in a.atoms(sp.Pow)):
                continue
            a = sp.factor_terms(a)
            _, a = a.as_coeff_Mul()
            try:
                a = a if sp.Poly(a, *sorted(a.free_symbols, key=str)).LC() > 0 else -a
            except (sp.PolynomialError, sp.GeneratorsNeeded):
                pass
            if a not in out:
                out.append(a)
    return sorted(out, key=sp.default_sort_key)


def regimes(ctx: Any, backend: Any, *, signs: Sequence = (), bands: bool = True) -> list[tuple[str, list]]:
    """``(description, conditions)`` of every regime of the claim's domain (empty: nothing to split).

    Parameters
    ----------
    ctx : tunnelkit.claims.paper_context._Context
        The prepared equation (names, where substitutions and limits).
    backend : tunnelkit.claims.paper_context.ModelBackend
        The model side; ``backend.bands`` lists the leads' finite bands.
    signs : sequence of sympy.Expr
        Expressions whose sign splits each regime (:func:`sign_arguments`); those the conditions fix
        are not split.
    bands : bool
        Split by the leads' bands (False for a det-zero claim: omega is the root, not a sampled symbol).

    Returns
    -------
    list of (str, list)
        A description such as ``"leads L, R open (-2 < omega < 2)"`` and the relationals of the regime;
        regimes that the substitutions make impossible are left out.
    """
    import sympy as sp

    from derive.claims.radical_identity import signs_from

    sign_of = signs_from([c for c in ctx.conditions if not isinstance(c, tuple)])
    split = [f.xreplace(ctx.subs) for f in signs]
    split = list(dict.fromkeys(f for f in split if not f.is_number and sign_of(f) is None))[:MAX_SIGNS]
    by_sign = [("", [])]
    for f in split:
        by_sign = [(f"{text}; {part}" if text else part, conds + [c])
                   for text, conds in by_sign for part, c in ((f"{f} > 0", f > 0), (f"{f} < 0", f < 0))]
    band = _band_regimes(ctx, backend) if bands else []
    if not band and not split:
        return []
    out = []
    for text, conds in band or [("", [])]:
        for sign_text, sign_conds in by_sign:
            if any(c == sp.false for c in sign_conds):
                continue
            out.append(("; ".join(t for t in (text, sign_text) if t),
                        conds + [c for c in sign_conds if c != sp.true]))
    return out


def _band_regimes(ctx: Any, backend: Any) -> list[tuple[str, list]]:
    """The regimes of omega relative to each distinct finite lead band."""
    import sympy as sp

    if backend.bands is None or "omega" not in ctx.names:
        return []
    omega = ctx.names["omega"]
    w = ctx.subs.get(omega, omega)
    shared: dict[tuple, list[str]] = {}
    for lead, centre, half in backend.bands(dict(ctx.limits)):
        key = (sp.sympify(centre).xreplace(ctx.subs), sp.sympify(half).xreplace(ctx.subs))
        shared.setdefault(key, []).append(lead)
    bands = list(shared.items())[:MAX_BANDS]
    if not bands:
        return []
    out = []
    for combo in itertools.product(("below", "inside", "above"), repeat=len(bands)):
        conditions, words = [], []
        for ((centre, half), leads), where in zip(bands, combo):
            lo, hi = centre - half, centre + half
            named = ("lead " if len(leads) == 1 else "leads ") + ", ".join(leads)
            if where == "inside":
                conditions += [w > lo, w < hi]
                words.append(f"{named} open ({lo} < omega < {hi})")
            else:
                conditions.append(w < lo if where == "below" else w > hi)
                words.append(f"{named} closed (omega {'<' if where == 'below' else '>'} {lo if where == 'below' else hi})")
        if any(c == sp.false for c in conditions):
            continue
        out.append(("; ".join(words), [c for c in conditions if c != sp.true]))
    return out


def per_regime(d: Any, regimes_: list, decide: Callable, difference: Any, conditions: Sequence = ()) -> tuple[Any, str]:
    """The decision taken in every regime unless a symbolic route proved the claim everywhere: ``decide(conditions)``
    gives the :class:`derive.claims.claim_decision.Decision` of one regime (``NoPoints`` when it has none), upgraded to a
    proof where :func:`derive.claims.radical_identity.radical_zero` brings ``difference`` to zero there (its signs fixed by
    the regime and ``conditions``, the claim's own).  Returns the deciding decision and a prefix for the detail naming the regimes where the claim holds
    and fails (empty when there is one regime).
    """
    from derive.claims.claim_decision import NoPoints

    if d.holds and not d.method.startswith("exact-point"):
        return d, ""
    decided = []
    for text, region in regimes_ or [("", [])]:
        try:
            r = decide(region)
        except NoPoints:  # no point of this regime (or the quantity is null in all of it)
            continue
        decided.append((text, _proved(r, difference, [*conditions, *region]) if r.holds else r))
    holds = [text for text, r in decided if r.holds]
    fails = [(text, r) for text, r in decided if not r.holds]
    if len(decided) < 2:
        return (decided[0][1] if decided else d), ""
    if not fails:
        points = tuple(p for _, r in decided for p in r.points)
        proved = sum(not r.method.startswith("exact-point") for _, r in decided)
        n = len(points)
        method = (RADICAL_METHOD + f", in each of {len(decided)} regimes" if proved == len(decided) else
                  f"exact-point identity testing ({n} random exact points in {len(decided)} regimes, 50 digits)"
                  + (f" (radicals eliminated symbolically in {proved} of {len(decided)} regimes)" if proved else ""))
        detail = f"proved zero in each regime with the radicals eliminated; at {n} exact points too"
        if proved < len(decided):
            detail = _worst_bound([r for _, r in decided if r.method.startswith("exact-point")])
        return replace(d, points=points, method=method, detail=detail), \
            f"holds in each of {len(decided)} regimes ({' | '.join(holds)}); "
    where = (f"holds where {' | '.join(holds)}; fails where {' | '.join(t for t, _ in fails)}; "
             if holds else f"fails in each of {len(fails)} regimes; ")
    return fails[0][1], where


def _worst_bound(by_points: list) -> str:
    """The detail of the regime decided by points whose probabilistic bound is weakest (largest)."""
    worst = max(by_points, key=lambda r: (r.bound is None, r.bound or 0.0))
    return worst.detail


def _proved(d: Any, difference: Any, conditions: list) -> Any:
    """``d`` (held at exact points) upgraded to a proof when the radicals of ``difference`` can be eliminated in
    the region the conditions define (:func:`derive.claims.radical_identity.radical_zero`)."""
    from derive.claims.radical_identity import radical_zero, signs_from

    if radical_zero(difference, signs_from(conditions)):
        return replace(d, method=RADICAL_METHOD, detail=f"proved zero with the radicals eliminated; at {len(d.points)} "
                                                        "exact points too")
    return d
