"""Identities with square roots proved by eliminating the radicals (derive.radical_identity).

The identities are band-structure facts checked by hand: with w = omega/(2t), t > 0, the retarded
root sqrt(w - 1) sqrt(w + 1) is i sqrt(1 - w^2) inside the band, +sqrt(w^2 - 1) above it and
-sqrt(w^2 - 1) below it (principal branches of each factor).
"""
from __future__ import annotations

import pytest
import sympy as sp

from derive.radical_identity import radical_zero, signs_from

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
