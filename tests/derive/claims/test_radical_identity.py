"""Identities with square roots proved by eliminating the radicals (derive.claims.radical_identity).

The identities are band-structure facts checked by hand: with w = omega/(2t), t > 0, the retarded
root sqrt(w - 1) sqrt(w + 1) is i sqrt(1 - w^2) inside the band, +sqrt(w^2 - 1) above it and
-sqrt(w^2 - 1) below it (principal branches of each factor).
"""
from __future__ import annotations

import pytest
import sympy as sp

from derive.claims.radical_identity import radical_zero, signs_from

w = sp.Symbol("omega", real=True)
t = sp.Symbol("t", positive=True)
e = sp.Symbol("eps", real=True)
x = (w - e) / (2 * t)
ROOT = sp.sqrt(x - 1) * sp.sqrt(x + 1)
INSIDE = [w > e - 2 * t, w < e + 2 * t]
ABOVE = [w > e + 2 * t]
BELOW = [w < e - 2 * t]


@pytest.mark.parametrize("region,hand", [
    (INSIDE, sp.I * sp.sqrt(4 * t**2 - (w - e) ** 2) / (2 * t)),
    (ABOVE, sp.sqrt((w - e) ** 2 - 4 * t**2) / (2 * t)),
    (BELOW, -sp.sqrt((w - e) ** 2 - 4 * t**2) / (2 * t)),
])
def test_the_retarded_root_in_each_regime(region, hand):
    assert radical_zero(ROOT - hand, signs_from(region)) is True
    assert radical_zero(ROOT + hand, signs_from(region)) is False  # the other branch is not the same function


def test_the_surface_greens_function_written_two_ways():
    """1/(x + R) = x - R, since (x + R)(x - R) = x^2 - R^2 = 1: in every regime."""
    for region in (INSIDE, ABOVE, BELOW):
        assert radical_zero(1 / (x + ROOT) - (x - ROOT), signs_from(region)) is True


def test_unknown_signs_and_complex_symbols_are_left_to_other_routes():
    assert radical_zero(sp.sqrt(w - 1) * sp.sqrt(w + 1) - sp.sqrt(w**2 - 1), signs_from([])) is None  # signs unknown
    z = sp.Symbol("z")
    assert radical_zero(sp.sqrt(z) * sp.sqrt(z + 1) - sp.sqrt(z**2 + z), signs_from([])) is None


def test_sign_and_modulus_where_the_region_fixes_the_sign():
    """|x| = sgn(x) x in either half-line; |x| = x only where x > 0 (and nothing is claimed without a sign)."""
    a = sp.Symbol("a", real=True)
    assert radical_zero(sp.Abs(a) - sp.sign(a) * a, signs_from([a > 0])) is True
    assert radical_zero(sp.Abs(a) - sp.sign(a) * a, signs_from([a < 0])) is True
    assert radical_zero(sp.Abs(a) - a, signs_from([a < 0])) is False
    assert radical_zero(sp.Abs(a) - a, signs_from([])) is None


def test_det_at_a_bound_state_nested_roots():
    """det of the impurity at omega = s sqrt(eps^2 + 4t^2): zero for s = sgn(eps) (by hand: the product of the two
    nested roots is |eps|/2t on the physical sheet), not for the other sign -- which is never called a proof."""
    omega = sp.sign(e) * sp.sqrt(e**2 + 4 * t**2)
    det = omega - e - 2 * t / (omega / (2 * t) + sp.sqrt(omega / (2 * t) - 1) * sp.sqrt(omega / (2 * t) + 1))
    for region in ([e > 0], [e < 0]):
        assert radical_zero(det, signs_from(region)) is True
    wrong = det.xreplace({sp.sign(e): 1})  # +sqrt(eps^2 + 4t^2) for eps < 0: |z| > 1, no zero of det
    assert radical_zero(wrong, signs_from([e < 0])) is not True
