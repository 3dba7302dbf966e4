r"""One adaptive quadrature engine: rules, interval maps, breakpoints, per-panel results, error estimates.

Every integral of the package goes through :func:`integrate_segments` (or its
one-interval form :func:`integrate`):

* **Rules** (:class:`GaussLegendre` of any order) give nodes and weights on
  :math:`[-1, 1]`, cached per (rule, order, precision): NumPy doubles, or
  mpmath numbers computed at the working precision (Newton on :math:`P_n`).
* **Segments** (:class:`Segment`) are intervals with an **interval map**
  :math:`x = \phi(u)` that removes a known end behaviour, and interior
  **breakpoints** (kinks, steps, resonance scales):

  ========================  ====================================================  ==================
  map                       :math:`x(u)`                                          :math:`u` range
  ========================  ====================================================  ==================
  ``"linear"``              :math:`u`                                             :math:`[a, b]`
  ``"sqrt_left"``           :math:`a + u^2` (square-root edge at a)               :math:`[0, \sqrt{b-a}]`
  ``"sqrt_right"``          :math:`b - u^2` (square-root edge at b)               :math:`[0, \sqrt{b-a}]`
  ``"cosine"``              :math:`a + (b-a)(1-\cos u)/2` (edges at both ends)    :math:`[0, \pi]`
  ``"tail"``, a = -inf      :math:`b + S - S/u`                                   :math:`(0, 1]`
  ``"tail"``, b = +inf      :math:`a - S + S/u`                                   :math:`(0, 1]`
  ========================  ====================================================  ==================

  (:math:`S` = ``scale``, default :math:`\max(1, |\text{finite end}|)`; an
  integrand decaying like :math:`x^{-2}` becomes smooth at :math:`u = 0`).
  A nonlinear map rounds x to about eps |a| in double precision: keep it on
  the panel next to the edge, not across narrow features far from it.
* **Adaptive bisection**, the same logic in both backends: every panel is
  integrated with the rule and with the rule on its two halves; for every
  component, the panels with the smallest differences are accepted as long
  as their sum stays within half the remaining tolerance, and so are panels
  within an equal share :math:`\text{tol}_c/(2 n_{\rm open})` or at their
  round-off floor (``noise`` times the panel's :math:`\int|f|`); a panel
  accepted for every component is done, the others are split.  The
  finer value is kept; its error estimate is the difference (the coarser
  value's error: conservative) in double precision, and in mpmath the
  difference times :math:`2^{-n}` once the coarser value has six digits
  (Gauss-Legendre convergence, see ``model``).  All open panels of a round are evaluated
  together: one vectorised call of ``f`` in double precision
  (``dps=None``), or a loop over the nodes inside ``mpmath.workdps(dps)``.
* **Per-panel results**: the value and error of every initial panel (the
  segments cut at their breakpoints), so that cumulative curves
  :math:`I(\mu) = \int^{\mu} g` come out of one integration.

The tolerance of component ``c`` is :math:`\max(\text{atol}_c,\ \text{rtol}\,|I_{s(c)}|)`
with :math:`s(c)` = ``scale_from[c]`` (default ``c``): a net current that may
cancel to zero takes its tolerance from the gross flow.

.. math:: \int_a^b f(x)\,dx = \sum_{\rm panels}\int_{u_0}^{u_1} f(\phi(u))\,\phi'(u)\,du
          \approx \sum_{\rm panels}\frac{u_1-u_0}{2}\sum_i w_i\,f(\phi(u_i))\,\phi'(u_i)

>>> v, e = integrate(np.cos, 0.0, np.pi / 2)
>>> bool(abs(v[0] - 1.0) < 1e-14), bool(e[0] < 1e-12)
(True, True)
>>> q = integrate_segments(lambda x: 1 / np.sqrt(x), [Segment(0.0, 4.0, map="sqrt_left", points=(1.0,))])
>>> [round(float(v), 12) for v in q.panel_value[:, 0]]   # 2 sqrt(x) on [0, 1] and [1, 4]
[2.0, 2.0]
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import mpmath
import numpy as np

from numeric.precision import Backend, for_dps

__all__ = ["GaussLegendre", "Segment", "Quadrature", "integrate", "integrate_segments", "composite_rule",
           "gauss_legendre", "MAPS"]

#: the error model of ``model=True`` applies once the coarser value has this relative accuracy
_ASYMPTOTIC = 1e-6
#: interval maps understood by :class:`Segment`
MAPS = ("linear", "sqrt_left", "sqrt_right", "cosine", "tail")


# ----------------------------------------------------------------------------------------------------- rules

@dataclass(frozen=True)
class GaussLegendre:
    """Gauss-Legendre rule of ``order`` nodes on :math:`[-1, 1]` (exact for degree ``2 order - 1``).

    .. math:: \\int_{-1}^{1} p(x)\\,dx = \\sum_{i=1}^{n} w_i\\,p(x_i),\\quad P_n(x_i) = 0,\\quad
              w_i = \\frac{2}{(1-x_i^2)\\,P_n'(x_i)^2}

    >>> x, w = GaussLegendre(3).nodes()
    >>> [round(float(v), 12) for v in x], round(float(w.sum()), 12)
    ([-0.774596669241, 0.0, 0.774596669241], 2.0)
    >>> with mpmath.workdps(40):
    ...     x, w = GaussLegendre(3).nodes(mpmath.mp.prec)
    ...     print(mpmath.nstr(x[2] ** 2, 35))   # 3/5
    0.6
    """

    order: int

    def __post_init__(self) -> None:
        if not (isinstance(self.order, int) and self.order >= 1):
            raise ValueError(f"order must be an integer >= 1 (got {self.order!r})")

    def nodes(self, prec: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(nodes, weights): float arrays (``prec=None``) or object arrays of mpf at ``prec`` bits (cached)."""
        key = (type(self).__name__, self.order, prec)
        if key not in _NODE_CACHE:
            _NODE_CACHE[key] = self._compute(prec)
        return _NODE_CACHE[key]

    def _compute(self, prec: int | None) -> tuple[np.ndarray, np.ndarray]:
        n = self.order
        if prec is None:
            return np.polynomial.legendre.leggauss(n)
        with mpmath.workprec(prec + 20):
            pos = []
            for i in range(n // 2):  # positive roots by Newton from the Tricomi guess, then mirrored
                x = mpmath.cos(mpmath.pi * (4 * i + 3) / (4 * n + 2))
                for _ in range(100):
                    p, dp = _legendre(n, x)
                    dx = p / dp
                    x -= dx
                    if abs(dx) < mpmath.mpf(2) ** (-(prec + 10)):
                        break
                pos.append((x, 2 / ((1 - x * x) * _legendre(n, x)[1] ** 2)))
            pos.sort(key=lambda t: t[0])
            middle = []
            if n % 2:  # the root x = 0: P_n'(0) = n P_{n-1}(0)
                middle = [(mpmath.mpf(0), 2 / _legendre(n, mpmath.mpf(0))[1] ** 2)]
            full = [(-x, w) for x, w in reversed(pos)] + middle + pos
        with mpmath.workprec(prec):
            return (np.array([+x for x, _ in full], dtype=object), np.array([+w for _, w in full], dtype=object))


def _legendre(n: int, x):
    """:math:`P_n(x)` and :math:`P_n'(x)` by the three-term recurrence."""
    p0, p1 = mpmath.mpf(1), x
    for k in range(2, n + 1):
        p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
    return p1, n * (x * p1 - p0) / (x * x - 1)


_NODE_CACHE: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}


def gauss_legendre(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Double-precision Gauss-Legendre nodes and weights on [-1, 1] (cached).

    >>> round(float(gauss_legendre(4)[1].sum()), 12)
    2.0
    """
    return GaussLegendre(n).nodes()


def composite_rule(edges: Sequence[float], order: int) -> tuple[np.ndarray, np.ndarray]:
    """Fixed (non-adaptive) composite Gauss-Legendre rule: nodes and weights of ``order`` per panel.

    For tensor-product integrals whose panels are known in advance.

    .. math:: \\int_{e_0}^{e_m} f \\approx \\sum_j \\sum_i \\tfrac{e_{j+1}-e_j}{2} w_i
              f\\big(\\tfrac{e_j+e_{j+1}}{2} + \\tfrac{e_{j+1}-e_j}{2}x_i\\big)

    >>> x, w = composite_rule([0.0, 1.0, 3.0], 5)
    >>> round(float(w @ x**3), 12)   # 3^4 / 4
    20.25
    """
    x, w = gauss_legendre(order)
    e = np.asarray(edges, dtype=float)
    mid, half = (e[1:] + e[:-1]) / 2, (e[1:] - e[:-1]) / 2
    return (mid[:, None] + half[:, None] * x).ravel(), (half[:, None] * w).ravel()


# ---------------------------------------------------------------------------------------------- segments

@dataclass(frozen=True)
class Segment:
    """An interval ``[a, b]`` with an interval map (:data:`MAPS`) and interior breakpoints.

    ``a``/``b`` are numbers of any kind :func:`numeric.precision.mp` accepts
    (floats, ints, Fractions, decimal strings, mpf) or infinities (then the
    map is ``"tail"``); the mpmath backend converts them exactly at the working
    precision.  ``scale`` is the tail scale :math:`S`.

    >>> Segment(-math.inf, -2.0).map
    'tail'
    """

    a: Any
    b: Any
    map: str = "linear"
    points: tuple = ()
    scale: float | None = None

    def __post_init__(self) -> None:
        fa, fb = float(self.a), float(self.b)
        if not fa < fb:
            raise ValueError(f"Segment needs a < b (got {self.a}, {self.b})")
        infinite = math.isinf(fa) or math.isinf(fb)
        if infinite and self.map in ("linear", "tail"):
            if math.isinf(fa) and math.isinf(fb):
                raise ValueError("split (-inf, inf) into two tail segments")
            object.__setattr__(self, "map", "tail")
        elif infinite or self.map not in MAPS or self.map == "tail":
            raise ValueError(f"map {self.map!r} on [{self.a}, {self.b}]: tails need one infinite end, "
                             f"other maps are one of {MAPS[:-1]} on a finite interval")
        object.__setattr__(self, "points", tuple(self.points))


def _map_params(seg: Segment, xp: Backend):
    """(kind, A, B, u_lo, u_hi) of a segment; A, B are the map constants (numbers of ``xp``, exactly rounded)."""
    a, b = xp.num(seg.a), xp.num(seg.b)
    if seg.map == "linear":
        return 0, a, b, a, b
    if seg.map == "sqrt_left":
        return 1, a, b, 0 * a, xp.sqrt(b - a)
    if seg.map == "sqrt_right":
        return 2, a, b, 0 * a, xp.sqrt(b - a)
    if seg.map == "cosine":
        return 3, a, b, 0 * xp.pi(), xp.pi()
    end = b if math.isinf(float(seg.a)) else a
    S = xp.num(seg.scale if seg.scale is not None else max(1.0, abs(float(end))))
    one = xp.num(1)
    return (4, end, S, 0 * one, one) if math.isinf(float(seg.a)) else (5, end, S, 0 * one, one)


def _to_u(kind: int, A, B, x: np.ndarray, xp: Backend) -> np.ndarray:
    """Inverse map (breakpoints from x to u)."""
    if kind == 0:
        return x
    if kind == 1:
        return xp.sqrt(x - A)
    if kind == 2:
        return xp.sqrt(B - x)
    if kind == 3:
        return xp.acos(1 - 2 * (x - A) / (B - A))
    if kind == 4:
        return B / (A + B - x)
    return B / (x - A + B)


def _from_u(kind: np.ndarray, A: np.ndarray, B: np.ndarray, u: np.ndarray, xp: Backend):
    """x(u) and dx/du for panels of several kinds (A, B, kind broadcast against u)."""
    x, jac = np.empty(u.shape, dtype=xp.dtype), np.empty(u.shape, dtype=xp.dtype)
    for k in np.unique(kind):
        m = np.broadcast_to(kind == k, u.shape)
        uu, a, b = u[m], np.broadcast_to(A, u.shape)[m], np.broadcast_to(B, u.shape)[m]
        if k == 0:
            x[m], jac[m] = uu, 1
        elif k == 1:
            x[m], jac[m] = a + uu * uu, 2 * uu
        elif k == 2:
            x[m], jac[m] = b - uu * uu, 2 * uu
        elif k == 3:
            x[m], jac[m] = a + (b - a) * (1 - xp.cos(uu)) / 2, (b - a) * xp.sin(uu) / 2
        elif k == 4:
            x[m], jac[m] = a + b - b / uu, b / (uu * uu)
        else:
            x[m], jac[m] = a - b + b / uu, b / (uu * uu)
    return x, jac


# ------------------------------------------------------------------------------------------------ engine

@dataclass(frozen=True)
class Quadrature:
    """Result of :func:`integrate_segments`.

    ``value``/``error``: per component (float arrays, or object arrays of mpf);
    ``panel_value``/``panel_error``: per initial panel and component, panels in
    the order of the segments and, inside each, of the sorted breakpoints, with
    ``panel_lo``/``panel_hi`` their ends in x (floats); ``evaluations``: calls
    of the integrand per node; ``converged``: the tolerance was met.
    """

    value: np.ndarray
    error: np.ndarray
    panel_value: np.ndarray
    panel_error: np.ndarray
    panel_lo: np.ndarray
    panel_hi: np.ndarray
    evaluations: int
    converged: bool


def integrate_segments(
    f: Callable,
    segments: Sequence[Segment],
    *,
    rtol: float | None = None,
    atol: float | Sequence[float] = 0.0,
    order: int | None = None,
    rule: GaussLegendre | None = None,
    dps: int | None = None,
    scale_from: Sequence[int] | None = None,
    max_rounds: int = 80,
    max_panels: int = 20000,
    noise: float = 100.0,
    model: bool | None = None,
) -> Quadrature:
    """Integrate ``f`` over the union of ``segments`` by adaptive bisection (see the module docstring).

    Parameters
    ----------
    f
        Double backend: a vectorised function of a float array of shape (n,)
        returning shape (n,) or (n, c).  mpmath backend (``dps`` given): a
        function of one mpf returning an mpf or a sequence of c mpf/mpc (real parts used).
    segments
        Intervals with maps and breakpoints; they are integrated together.
    rtol, atol
        Tolerance of component c: ``max(atol_c, rtol*|I_{scale_from[c]}|)``.
        Default ``rtol``: 1e-12 (double), ``10**(5 - dps)`` (mpmath).
    order, rule
        The rule (default Gauss-Legendre of ``order`` nodes: 20 in double,
        ``max(20, 3 dps / 4)`` in mpmath).
    dps
        None: double precision; an integer: mpmath at ``dps`` digits (every
        number, node and breakpoint at that precision; the caller adds its guard digits).
    scale_from
        Component whose magnitude sets each component's relative tolerance.
    max_rounds, max_panels
        Limits; beyond them all open panels are accepted and their
        differences go into the error (``converged`` is then False).
    noise
        Round-off floor: a panel whose difference is below ``noise*eps*int|f|``
        is accepted (its integrand's own rounding limits it).
    model
        Error of the kept (finer) value: False: the difference itself
        (conservative: it is the coarser value's error); True: the
        difference times :math:`2^{-n}` once the coarser value has six
        digits of the panel's :math:`\\int|f|` (Gauss-Legendre converges like
        :math:`\\rho^{-2n}`; halving a panel at least doubles :math:`\\rho`
        asymptotically, so the finer value's error is below the coarser one's
        times :math:`2^{-2n}`; half that exponent is kept as margin), but
        not below the round-off floor.  Default: True for mpmath, where it
        saves a bisection level per panel, False in double.

    Returns
    -------
    Quadrature
        Totals, per-panel values and errors.
    """
    with mpmath.workdps(dps) if dps is not None else _nullcontext():
        xp = for_dps(dps)
        rule = rule or GaussLegendre(order or (20 if dps is None else max(20, (3 * dps) // 4)))
        if rtol is None:
            rtol = 1e-12 if dps is None else mpmath.mpf(10) ** (5 - dps)
        return _adapt(f, list(segments), xp, rule, xp.num(rtol), atol, scale_from, max_rounds, max_panels,
                      noise * xp.eps(), dps is not None if model is None else model)


class _nullcontext:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _initial_panels(segments: list[Segment], xp: Backend):
    """Initial panels in u (segments cut at their breakpoints) with their map constants and x ends."""
    kind, A, B, lo, hi, xlo, xhi = [], [], [], [], [], [], []
    for seg in segments:
        k, a, b, ulo, uhi = _map_params(seg, xp)
        fa, fb = float(seg.a), float(seg.b)
        uniq: dict = {}
        for p in seg.points:  # one point per double value, an exact one (not a float) preferred
            key = float(p)
            if fa < key < fb and (key not in uniq or isinstance(uniq[key], float)):
                uniq[key] = p
        xs = [uniq[key] for key in sorted(uniq)]
        us = list(_to_u(k, a, b, np.array([xp.num(p) for p in xs], dtype=xp.dtype), xp)) if xs else []
        xe = [fa] + [float(p) for p in xs] + [fb]
        if k in (2, 5):  # u decreases with x (u = 0 at the finite edge b, or at x = +inf)
            us, xe = us[::-1], xe[::-1]
        cuts = [ulo] + us + [uhi]
        for j in range(len(cuts) - 1):
            if not cuts[j] < cuts[j + 1]:
                continue  # breakpoints that coincide after the map
            kind.append(k), A.append(a), B.append(b), lo.append(cuts[j]), hi.append(cuts[j + 1])
            x0, x1 = xe[j], xe[j + 1]
            xlo.append(min(x0, x1)), xhi.append(max(x0, x1))
    order_ = np.lexsort((np.array(xhi), np.array(xlo)))  # panels in increasing x
    pick = lambda v, dt: np.array(v, dtype=dt)[order_]  # noqa: E731
    return (pick(kind, int), pick(A, xp.dtype), pick(B, xp.dtype), pick(lo, xp.dtype), pick(hi, xp.dtype),
            pick(xlo, float), pick(xhi, float))


def _adapt(f, segments, xp: Backend, rule, rtol, atol, scale_from, max_rounds, max_panels, floor_eps,
           model) -> Quadrature:
    kind, A, B, lo, hi, xlo, xhi = _initial_panels(segments, xp)
    x, w = rule.nodes(xp.bits())
    model = xp.num(2) ** (-len(x)) if model else 0
    evaluate = xp.pick(_evaluate_vectorised, _evaluate_per_node)
    n0 = len(lo)
    owner = np.arange(n0)
    count = [0]

    def sums(a, b, idx):
        """Rule sums of f and |f| over panels [a, b] of owners idx: shapes (P, c)."""
        mid, half = (a + b) / 2, (b - a) / 2
        u = mid[:, None] + half[:, None] * x[None, :]
        X, J = _from_u(kind[idx][:, None], A[idx][:, None], B[idx][:, None], u, xp)
        vals = evaluate(f, X)
        count[0] += X.size
        wj = (J * w[None, :] * half[:, None])[..., None]  # >= 0: weights, Jacobians, half widths
        return (vals * wj).sum(axis=1), (np.abs(vals) * wj).sum(axis=1)

    if n0 == 0:
        raise ValueError("no panels: every segment is empty")
    coarse, _ = sums(lo, hi, owner)
    ncomp = coarse.shape[1]
    zero = np.full((n0, ncomp), xp.num(0), dtype=xp.dtype)
    acc, acc_err = zero.copy(), zero.copy()
    atol_c = np.broadcast_to(np.array([xp.num(t) for t in np.atleast_1d(atol)], dtype=xp.dtype), (ncomp,))
    sf = np.arange(ncomp) if scale_from is None else np.asarray(scale_from)
    for rnd in range(max_rounds):
        mid = (lo + hi) / 2
        (left, aleft), (right, aright) = sums(lo, mid, owner), sums(mid, hi, owner)
        fine = left + right
        diff = np.abs(fine - coarse)
        if model:  # error of the finer value, modelled (integrate_segments(model=...)), never below rounding
            absint = aleft + aright
            modelled = np.maximum(diff * model, np.minimum(diff, floor_eps * absint))
            diff = np.where(diff <= _ASYMPTOTIC * absint, modelled, diff)
        total = acc.sum(axis=0) + fine.sum(axis=0)
        tol = np.maximum(atol_c, rtol * np.abs(total)[sf])
        if np.all(acc_err.sum(axis=0) + diff.sum(axis=0) <= tol):
            ok = np.ones(len(lo), dtype=bool)
        else:
            # accepted: the smallest differences within half the remaining tolerance, every difference
            # within an equal share of the tolerance, and differences at the round-off floor
            ok = np.all(_within_budget(diff, (tol - acc_err.sum(axis=0)) / 2) | (diff <= tol / (2 * len(lo)))
                        | (diff <= floor_eps * (aleft + aright)), axis=1)
            if 2 * np.count_nonzero(~ok) > max(max_panels, 4 * n0) or rnd == max_rounds - 1:
                ok[:] = True  # give up: accept everything with its difference as the error
        np.add.at(acc, owner[ok], fine[ok])
        np.add.at(acc_err, owner[ok], diff[ok])
        if ok.all():
            break
        bad = ~ok
        lo, hi, owner = (np.concatenate([lo[bad], mid[bad]]), np.concatenate([mid[bad], hi[bad]]),
                         np.concatenate([owner[bad], owner[bad]]))
        coarse = np.concatenate([left[bad], right[bad]])
    value, error = acc.sum(axis=0), acc_err.sum(axis=0)
    converged = bool(np.all(error <= np.maximum(atol_c, rtol * np.abs(value)[sf])))
    return Quadrature(value, error, acc, acc_err, xlo, xhi, count[0], converged)


def _within_budget(diff: np.ndarray, budget: np.ndarray) -> np.ndarray:
    """Per component, the panels with the smallest differences whose sum stays within the budget.

    The remaining panels (the largest differences) are split; accepting the
    many cheap panels at once spends the tolerance where it costs least.
    """
    ok = np.zeros(diff.shape, dtype=bool)
    for c in range(diff.shape[1]):
        order = np.argsort(diff[:, c].astype(float), kind="stable")
        csum = np.cumsum(diff[order, c])
        k = int(np.count_nonzero(csum <= budget[c]))
        ok[order[:k], c] = True
    return ok


def _evaluate_vectorised(f, X: np.ndarray) -> np.ndarray:
    """f at every node, doubles: one vectorised call; shape X.shape + (c,)."""
    vals = np.asarray(f(X.ravel()), dtype=float)
    return vals.reshape(X.shape + (-1,))


def _evaluate_per_node(f, X: np.ndarray) -> np.ndarray:
    """f at every node, mpmath: one call per node (an mpmath integrand takes one number); shape X.shape + (c,).

    The one place where the two precisions differ in the engine (:meth:`numeric.precision.Backend.pick`).
    """
    rows = []
    for xv in X.ravel():
        out = f(xv)
        rows.append([v if type(v) is mpmath.mpf else mpmath.re(v) for v in out]
                    if isinstance(out, (list, tuple, np.ndarray)) else [mpmath.re(out)])
    arr = np.empty((len(rows), len(rows[0])), dtype=object)
    arr[:] = rows
    return arr.reshape(X.shape + (-1,))


def integrate(
    f: Callable,
    a: Any,
    b: Any,
    *,
    points: Sequence[Any] = (),
    map: str = "linear",
    rtol: float | None = None,
    atol: float | Sequence[float] = 0.0,
    order: int | None = None,
    dps: int | None = None,
    scale_from: Sequence[int] | None = None,
    max_rounds: int = 80,
    max_panels: int = 20000,
) -> tuple[np.ndarray, np.ndarray]:
    """``(values, errors)`` of ``f`` over one interval (see :func:`integrate_segments` for the parameters).

    An infinite end selects the tail map; ``b <= a`` gives zeros.

    Parameters
    ----------
    f, a, b
        Integrand and interval.
    points
        Interior breakpoints.
    map
        Interval map (:data:`MAPS`).

    Returns
    -------
    (ndarray, ndarray)
        Values and absolute error estimates per component.

    >>> v, e = integrate(lambda x: np.exp(-x), 0.0, math.inf)
    >>> round(float(v[0]), 12), bool(e[0] < 1e-12)
    (1.0, True)
    >>> v, e = integrate(lambda x: mpmath.exp(-x * x), 0, "inf", dps=30)
    >>> mpmath.nstr(v[0], 25)   # sqrt(pi)/2
    '0.8862269254527580136490837'
    """
    if not float(a) < float(b):
        probe = f(np.array([float(a)])) if dps is None else None
        ncomp = 1 if probe is None else np.atleast_2d(np.asarray(probe, dtype=float).reshape(1, -1)).shape[1]
        return np.zeros(ncomp), np.zeros(ncomp)
    if math.isinf(float(a)) and math.isinf(float(b)):
        segs = [Segment(-math.inf, 0.0), Segment(0.0, math.inf)]
        segs = [Segment(s.a, s.b, points=tuple(p for p in points if s.a < float(p) < s.b)) for s in segs]
    else:
        segs = [Segment(a, b, map=map, points=tuple(points))]
    q = integrate_segments(f, segs, rtol=rtol, atol=atol, order=order, dps=dps, scale_from=scale_from,
                           max_rounds=max_rounds, max_panels=max_panels)
    return q.value, q.error
