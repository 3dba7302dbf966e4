r"""The regimes of a model's domain that a paper-file claim is decided in, one by one.

A printed transport formula is often right inside a lead's band and wrong outside it (or the other way
round); decided at random points over the whole domain, its verdict would depend on where the points
fall.  The regimes are the positions of omega relative to every distinct finite band of the leads --
below it, inside it (the lead is open) or above it -- intersected with the claim's own conditions
(``assume``, the model's ranges).  Leads that depend on a parameter taken to ``inf`` (wide band) are
open everywhere and split nothing.

.. math:: \text{lead } p \text{ open} \iff |\omega - \varepsilon_p| < 2|t_p|
"""
from __future__ import annotations

import itertools
from typing import Any

__all__ = ["MAX_BANDS", "regimes"]

#: at most this many distinct bands split the domain (3^3 = 27 regimes); further bands are not split
MAX_BANDS = 3


def regimes(ctx: Any, backend: Any) -> list[tuple[str, list]]:
    """``(description, conditions)`` of every regime of the claim's domain (empty: nothing to split).

    Parameters
    ----------
    ctx : tunnelkit.paper_context._Context
        The prepared equation (names, where substitutions and limits).
    backend : tunnelkit.paper_context.ModelBackend
        The model side; ``backend.bands`` lists the leads' finite bands.

    Returns
    -------
    list of (str, list)
        A description such as ``"leads L, R open (-2 < omega < 2)"`` and the relationals of the regime;
        regimes that the substitutions make impossible are left out.
    """
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
