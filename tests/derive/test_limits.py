"""The Lambda -> oo limit: k_{L,R} -> pi/2 must come out of sympy.limit."""
import sympy as sp

from derive.anglin.reservoir_limit import amplitudes_at_infinity, lead_limits
from derive.anglin.symbols import Lam, V, kL, kR, omega


def test_lead_wavenumbers_tend_to_pi_over_2():
    lim = lead_limits()
    assert lim["k_L"] == sp.pi / 2 and lim["k_R"] == sp.pi / 2
    assert lim["sin k_L"] == 1 and lim["exp(i k_R)"] == sp.I


def test_limit_amplitudes_are_free_of_lead_quantities():
    amp = amplitudes_at_infinity()
    for e in (amp.Z, amp.nRL, amp.nRR, amp.ntL):
        assert not ({Lam, kL, kR, omega, V} & e.free_symbols)
