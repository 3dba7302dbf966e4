"""The exact random points claims are decided at (derive.claims.claim_decision.sample_points).

A verdict rests on these points, so they must cover the domain the claim is made on: both signs of an
unbounded symbol, only the values a symbol's assumptions allow, and every condition of ``assume``.
"""
from __future__ import annotations

import sympy as sp

from derive.claims.exact_points import NoPoints, sample_points

w = sp.Symbol("omega", real=True)
t = sp.Symbol("t", positive=True)
g = sp.Symbol("gamma", nonnegative=True)


def test_an_unbounded_symbol_takes_both_signs():
    signs = {sp.sign(p[w]) for p in sample_points([w], [], 40)}
    assert signs == {-1, 1}  # it used to be drawn from [-3, 0] only


def test_assumptions_bound_the_draw():
    # t > 0 on a positive symbol is True before it reaches the sampler: the assumption itself must bound it
    pts = sample_points([t, g], [t > 0], 40)
    assert all(p[t] > 0 and p[g] >= 0 for p in pts)


def test_a_condition_coupling_two_symbols_is_satisfied():
    pts = sample_points([w, t], [t > 0, t > 0, w > 2 * t], 6)
    assert len(pts) == 6 and all(p[w] > 2 * p[t] > 0 for p in pts)


def test_no_point_names_each_condition_once():
    x = sp.Symbol("x", real=True)
    try:
        sample_points([x], [x > 1, x > 1, x < 0], 3)
    except NoPoints as exc:
        assert str(exc) == "no point satisfies x > 1, x < 0"
    else:
        raise AssertionError("x > 1 and x < 0 have no common point")


def test_a_positive_integer_symbol_is_never_drawn_as_zero():
    """n >= 1 is True for a positive integer symbol before the sampler sees it: the assumption itself bounds it."""
    n = sp.Symbol("n", integer=True, positive=True)
    m = sp.Symbol("m", integer=True, negative=True)
    pts = sample_points([n, m], [], 40)
    assert all(p[n] >= 1 and p[m] <= -1 for p in pts)
