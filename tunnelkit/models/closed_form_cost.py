r"""Predicted cost of a model's closed form, from its structure alone (no SymPy, nothing derived).

The derivation (``derive.models.symbolic_model``) eliminates the region matrix
:math:`R = \omega - H - \Sigma` by Schur complements and prints the
determinant and the needed adjugate entries as expanded polynomials in
``omega``, the parameters left symbolic and one Bloch factor per lead; its
time grows with the number of terms of those polynomials.  Two upper bounds of
the number of terms of :math:`\det R` are cheap:

* the permanent of the *term-count matrix* (entry = number of monomials the
  entry of R can have; e.g. ``omega - eps`` plus a lead on the site: 3), which
  counts every product of one term per row and column (exact on a banded
  region, by a dynamic programme over the used columns);
* the number of monomials of degree at most n in the symbols, each symbol
  of degree at most the number of rows it appears in (shared symbols merge
  terms: a chain with one ``eps`` and one ``t`` stays small; a per-site
  energy is of degree one).

:func:`predicted_terms` is the smaller of the two, and
:func:`predicted_seconds` turns it into cold seconds with
:data:`SECONDS_PER_TERM` and :data:`TERM_EXPONENT`, calibrated on this
2-core machine (``tunnelkit transmission --model``, all quantities of two
leads, empty cache; chains of 4-12 sites and fully connected regions of 4-8
sites, each with shared and with per-site parameters).  The prediction orders models by
cost and errs on the high side; it decides routes, it is not a benchmark.

>>> chain = {"parameters": {"eps": {}, "t": {}}, "sites": {f"s{i}": "eps" for i in range(12)},
...          "hoppings": [{"sites": [f"s{i}", f"s{i + 1}"], "value": "-t"} for i in range(11)],
...          "segments": [], "leads": [{"name": "L", "site": "s0", "hopping": "-1", "coupling": "-1"},
...                                    {"name": "R", "site": "s11", "hopping": "-1", "coupling": "-1"}]}
>>> predicted_terms(chain) < 1e4, predicted_terms(chain, fixed=("eps", "t")) < predicted_terms(chain)
(True, True)
"""
from __future__ import annotations

import math
from typing import Any, Iterable, Mapping

from numeric.models.expressions import ExpressionError, parse

__all__ = ["predicted_terms", "predicted_seconds", "predicted_derive_seconds", "DERIVE_FACTOR", "SECONDS_PER_TERM", "TERM_EXPONENT", "SEGMENT_ATOMS"]

#: cold seconds of a closed form with E predicted terms: SECONDS_PER_TERM * E**TERM_EXPONENT, fitted on
#: this 2-core machine (chains with per-site energies: E = 1970 -> 1.5 s, 11482 -> 47 s; fully connected
#: 7 sites with per-site energies: E = 4608 -> 2.4 s measured, 7.6 s predicted; SymPy's import excluded)
SECONDS_PER_TERM = 3.6e-7
TERM_EXPONENT = 2.0
#: ``derive`` of one quantity (the SymPy closed form with conjugates, printed) against the evaluators of
#: ``transmission``: measured 11 s, 32 s and 180 s for chains of 8, 9 and 10 sites with per-site energies
DERIVE_FACTOR = 4.0
#: symbols a segment of symbolic length brings (its continuants D_{N-2}, D_{N-3} and h^{2-N})
SEGMENT_ATOMS = 3
#: most column subsets the permanent's dynamic programme keeps before it settles for a bound
_MAX_STATES = 1 << 15


def _parsed(text: Any):
    try:
        return parse(str(text))
    except ExpressionError:
        return None


def _count(tree: tuple, fixed: set) -> tuple[int, int]:
    """(symbolic terms, constant part 0/1) of an expression tree, numbers and fixed names constant."""
    kind = tree[0]
    if kind == "num":
        return 0, int(tree[1] != 0)
    if kind == "name":
        return (0, 1) if tree[1] in fixed or tree[1] in ("I", "pi") else (1, 0)
    if kind == "neg":
        return _count(tree[1], fixed)
    if kind in ("+", "-"):
        (sa, ca), (sb, cb) = _count(tree[1], fixed), _count(tree[2], fixed)
        return sa + sb, max(ca, cb)
    if kind == "*":
        (sa, ca), (sb, cb) = _count(tree[1], fixed), _count(tree[2], fixed)
        return (sa + ca) * (sb + cb) - ca * cb, ca * cb
    inner = tree[2] if kind == "call" else tree
    names = {n for n in _tree_names(inner) if n not in fixed}
    return (len(names), 0) if names else (0, 1)  # quotients, powers, functions: one term per name


def _tree_names(tree: tuple) -> set:
    if tree[0] == "name":
        return {tree[1]} - {"I", "pi"}
    if tree[0] == "num":
        return set()
    return set().union(*(_tree_names(t) for t in tree[1:] if isinstance(t, tuple)))


def _permanent_bound(rows: list[dict[int, int]]) -> float:
    """Permanent of a non-negative sparse matrix (exact while the states stay few, else prod of row sums)."""
    states: dict[frozenset, float] = {frozenset(): 1.0}
    for row in rows:
        nxt: dict[frozenset, float] = {}
        for used, count in states.items():
            for col, w in row.items():
                if col not in used and w:
                    key = used | {col}
                    nxt[key] = nxt.get(key, 0.0) + count * w
        states = nxt
        if len(states) > _MAX_STATES:
            return math.prod(float(sum(r.values())) for r in rows)
    return float(sum(states.values()))


def predicted_terms(model: Mapping[str, Any], *, fixed: Iterable[str] = ()) -> float:
    """Upper estimate of the number of terms of the closed form's determinant.

    Parameters
    ----------
    model : dict
        The model dict (``tunnelkit.Model.model_dict``).
    fixed : iterable of str
        Parameters substituted by numbers before deriving (``derive --param``); the others stay symbolic.

    Returns
    -------
    float
        The smaller of the permanent bound and the monomial count (see the module doc).
    """
    fixed = set(fixed)
    node: dict[str, int] = {}
    diag: dict[int, int] = {}
    off: dict[tuple[int, int], int] = {}
    rows_of: dict[str, set] = {}  # symbol -> the rows it appears in (its degree in det is at most their number)

    def add_node(name: str) -> int:  # a new row (aliases such as wire.first take no row of their own)
        node[name] = len(set(node.values()))
        return node[name]

    def entry_terms(text: Any, *rows: int) -> int:
        e = _parsed(text)
        if e is None:
            return 1
        for name in e.names - fixed:
            rows_of.setdefault(name, set()).update(rows)
        sym, const = _count(e.tree, fixed)
        return sym + const

    for s, e in model.get("sites", {}).items():
        i = add_node(s)
        diag[i] = 1 + entry_terms(e, i)  # omega - energy
    for seg in model.get("segments", []):
        parsed_length = _parsed(seg.get("length", "1"))
        symbolic = bool((parsed_length.names if parsed_length else frozenset()) - fixed)
        length = 2
        if not symbolic:
            try:
                length = max(1, int(parsed_length.evaluate({}, backend="exact")))  # type: ignore[union-attr]
            except (AttributeError, ExpressionError, ValueError, TypeError, ZeroDivisionError):
                length = 1
        idx = [add_node(f"{seg['name']}[{k}]") for k in range(min(length, 10_000))]
        extra = SEGMENT_ATOMS if symbolic else 0  # two unknowns (first, last) and the segment's atoms
        for k, i in enumerate(idx):
            diag[i] = 1 + entry_terms(seg.get("energy", "0"), i) + extra
            if k:
                h = max(1, entry_terms(seg.get("hopping", "-1"), i, idx[k - 1]))
                off[(idx[k - 1], i)] = off[(i, idx[k - 1])] = h * max(1, extra)
        for k in range(extra):
            rows_of.setdefault(f"{seg['name']} atom {k}", set()).update(idx)
        node[f"{seg['name']}.first"], node[f"{seg['name']}.last"] = idx[0], idx[-1]
    for h in model.get("hoppings", []):
        a, b = (node.get(str(r).strip()) for r in h.get("sites", ("", "")))
        if a is None or b is None or a == b:
            continue
        off[(a, b)] = off.get((a, b), 0) + max(1, entry_terms(h.get("value", "0"), a, b))
        off[(b, a)] = off.get((b, a), 0) + max(1, entry_terms(h.get("reverse") or h.get("value", "0"), a, b))
    for ld in model.get("leads", []):
        i = node.get(str(ld.get("site", "")).strip())
        if i is None:
            continue
        diag[i] = diag.get(i, 1) + 1  # - Sigma_p: the Bloch factor z_p, in row i only
        rows_of.setdefault(f"z_{ld.get('name')}", set()).add(i)
        for key in ("hopping", "potential", "coupling"):
            entry_terms(ld.get(key, "0"), i)
    n = len(set(node.values()))
    rows: list[dict[int, int]] = [{i: diag.get(i, 1)} for i in range(n)]
    for (a, b), t in off.items():
        rows[a][b] = rows[a].get(b, 0) + t
    rows_of["omega"] = set(range(n))
    degrees = [min(n, len(r)) for r in rows_of.values()]
    return min(_permanent_bound(rows) if n <= 64 else math.inf, _monomials(degrees, n))


def _monomials(degrees: list[int], total: int) -> float:
    """Exponent vectors with e_s <= degrees[s] and sum <= total (a truncated generating function).

    >>> _monomials([1, 1], 2), _monomials([2, 2], 2), _monomials([1] * 30, 30)
    (4.0, 6.0, 1073741824.0)
    """
    if total > 4096:
        return math.inf
    counts = [1.0] + [0.0] * total  # counts[d]: vectors of total degree d so far
    for d_s in degrees:
        prefix = [0.0] * (total + 2)
        for d in range(total + 1):
            prefix[d + 1] = prefix[d] + counts[d]
        counts = [prefix[d + 1] - prefix[max(0, d - d_s)] for d in range(total + 1)]
    return float(sum(counts))


def predicted_seconds(model: Mapping[str, Any], *, fixed: Iterable[str] = ()) -> float:
    """Predicted cold seconds to derive and print the closed forms of a model's quantities.

    Parameters
    ----------
    model : dict
        The model dict.
    fixed : iterable of str
        Parameters substituted by numbers (see :func:`predicted_terms`).

    Returns
    -------
    float
        ``SECONDS_PER_TERM * predicted_terms ** TERM_EXPONENT`` times the number of lead pairs.
    """
    terms = predicted_terms(model, fixed=fixed)
    pairs = max(1, len(model.get("leads", [])) ** 2 / 4)
    return SECONDS_PER_TERM * terms ** TERM_EXPONENT * pairs


def predicted_derive_seconds(model: Mapping[str, Any], *, fixed: Iterable[str] = ()) -> float:
    """Predicted cold seconds of ``derive`` of one quantity: :data:`DERIVE_FACTOR` x the evaluator's terms cost.

    >>> wire = {"sites": {f"s{i}": f"e{i}" for i in range(20)}, "segments": [], "leads": [],
    ...         "hoppings": [{"sites": [f"s{i}", f"s{i + 1}"], "value": "-1"} for i in range(19)]}
    >>> predicted_derive_seconds(wire) > 1e6, predicted_derive_seconds(wire, fixed=[f"e{i}" for i in range(20)]) < 1
    (True, True)
    """
    return DERIVE_FACTOR * SECONDS_PER_TERM * predicted_terms(model, fixed=fixed) ** TERM_EXPONENT
