"""Exact numbers, the stable-digits check, and the two backends of one algorithm (numeric.precision)."""
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp

from numeric.models.chebyshev import chain_atoms
from numeric.distributions import occupation
from numeric.errors import ParameterError
from numeric.models.greens import bloch_factor
from numeric.precision import (DOUBLE, MULTI, PrecisionError, as_backend, backend_of, exact, for_dps, mp,
                               stable_digits)


def test_exact_values():
    assert exact("0.1") == Fraction(1, 10) and exact("-2.5e-3") == Fraction(-1, 400)
    assert exact(mpmath.mpf(-1.25)) == Fraction(-5, 4)  # the sign of an mpf is kept
    with mpmath.workdps(50):
        x = -mpmath.mpf(1) / 3
        assert mpmath.mpf(exact(x).numerator) / exact(x).denominator == x
    assert exact(sp.Rational(-2, 7)) == Fraction(-2, 7) and exact(sp.Float(-0.5)) == Fraction(-1, 2)
    assert exact(0.1) == Fraction(3602879701896397, 2**55) and exact("-inf") == -np.inf
    for bad in ("nan", "0x10", "1,5", True, 1j):
        with pytest.raises(ParameterError):
            exact(bad, "x")
    with mpmath.workdps(40):
        assert mp(Fraction(1, 3)) == mpmath.mpf(1) / 3 and mp(mpmath.mpf(2) / 3) == mpmath.mpf(2) / 3


def test_stable_digits_raises_the_precision_until_the_digits_agree():
    seen = []

    def cancelling():  # 1e-40 from a difference of O(1) numbers: right only with p > 40 + digits
        seen.append(mpmath.mp.dps)
        return (1 + mpmath.mpf(10) ** -40 + mpmath.mpf(10) ** -75) - 1

    with mpmath.workdps(15):
        v = stable_digits(cancelling, 30)
        assert mpmath.mp.dps == 15  # scoped
    assert seen == sorted(seen) and seen[-1] > 70
    with mpmath.workdps(120):
        assert abs(v / (mpmath.mpf(10) ** -40 + mpmath.mpf(10) ** -75) - 1) < mpmath.mpf(10) ** -30


def test_stable_digits_keeps_structure_and_snaps_round_off_zeros():
    def values():
        third = mpmath.mpf(1) / 3
        return [(third, 3 * third - 1, None), mpmath.nan, True, mpmath.mpc(0, 1) * third]

    out = stable_digits(values, 25, zero_scale=1)
    (t, zero, none), nan, flag, z = out
    assert zero == 0 and none is None and mpmath.isnan(nan) and flag is True
    with mpmath.workdps(40):
        assert abs(t - mpmath.mpf(1) / 3) < 1e-25 and abs(z.imag - t) < 1e-25


def test_stable_digits_gives_an_honest_error_when_digits_never_settle():
    with pytest.raises(PrecisionError, match="not stable"):
        stable_digits(lambda: mpmath.mpf(mpmath.mp.dps), 10, limit=200)  # depends on the precision itself
    def zero():  # 0 up to round-off: a different tiny number at every precision
        return mpmath.mp.eps * (1 + mpmath.sqrt(2) ** 2 - 2)

    with pytest.raises(PrecisionError):  # without a scale a zero has no significant digits ...
        stable_digits(zero, 20, limit=150)
    assert stable_digits(zero, 20, zero_scale=1) == 0  # ... with one it is round-off: an exact 0


def test_backends_agree_on_occupations():
    w = np.array([-3.0, -0.5, 0.0, 0.2, 0.7, 40.0])
    for mu, T, stats in ((0.0, 0.0, "fermi"), (0.1, 0.3, "fermi"), (-0.5, 2.0, "fermi"), (-1.0, 0.4, "bose"),
                         (-np.inf, 1.0, "fermi"), (np.inf, 1.0, "fermi")):
        a = occupation(w, mu, T, stats)
        with mpmath.workdps(30):
            b = [occupation(mpmath.mpf(x), mpmath.mpf(mu), mpmath.mpf(T), stats, backend=MULTI) for x in w]
        np.testing.assert_allclose(a, [float(x) for x in b], rtol=1e-14, atol=1e-300)
    assert occupation(np.array([1.0]), 0.0, 1.0, "bose")[0] == pytest.approx(1 / np.expm1(1.0), rel=1e-15)


@pytest.mark.parametrize("M", [3, 17, 47, 49, 1000, 10**5, 10**9])
def test_chain_atoms_accurate_next_to_their_zeros(M):
    """sin nk, cos nk from c = cos k, relative to themselves, against 60-digit trigonometry of k = acos(c)."""
    rng = np.random.default_rng(M % 97)
    pts = []
    for n in (M, M + 1):
        for m in rng.integers(1, 2 * n, 6):  # a root of sin nk (m even) or cos nk (m odd), and its neighbours
            r = np.cos(m * np.pi / (2 * n))
            pts += [r, np.nextafter(r, 2), np.nextafter(r, -2), r + 1e-12]
    c = np.array([x for x in pts + [0.3, -0.8, 1.3, -2.5, 1 + 1e-9] if x != 1 and x != -1])
    atoms = chain_atoms(c, M)
    with mpmath.workdps(60):
        for i, x in enumerate(c):
            k = mpmath.acos(mpmath.mpf(x))
            s = mpmath.sqrt((1 - mpmath.mpf(x)) * (1 + mpmath.mpf(x)))  # principal: i sinh kappa outside
            u = s / mpmath.sin(k)
            exact_vals = (u * mpmath.sin(M * k), u * mpmath.sin((M + 1) * k), mpmath.cos(M * k), mpmath.cos((M + 1) * k))
            sigma = 1 / mpmath.sqrt(mpmath.mpf(atoms.rho[i])) if atoms.rho[i] > 0 else None
            for got, ref in zip((atoms.S_0[i], atoms.S_1[i], atoms.C_0[i], atoms.C_1[i]), exact_vals):
                if sigma is None:  # scale below the double range: check the scaled value's size only
                    assert abs(complex(got)) < 4 * abs(x) + 4
                    continue
                # (1e-50: the reference's own round-off where the exact value is 0, at the rational roots)
                assert abs(complex(got) * sigma - ref) <= 1e-13 * abs(ref) + mpmath.mpf(10) ** -50, (x, got, ref)
    with mpmath.workdps(50):  # the mpmath backend of the same algorithm
        for x in (c[0], c[5], 0.3, 1.3):
            b = chain_atoms(mpmath.mpf(x), M, backend=MULTI)
            k = mpmath.acos(mpmath.mpf(x))
            u = mpmath.sqrt((1 - mpmath.mpf(x)) * (1 + mpmath.mpf(x))) / mpmath.sin(k)
            ref = u * mpmath.sin((M + 1) * k)
            assert abs(b.S_1 / mpmath.sqrt(b.rho) - ref) <= mpmath.mpf(10) ** -35 * abs(ref)


def test_bloch_factor_both_backends_is_the_retarded_root():
    """One algorithm over DOUBLE and MULTI: against the roots of z^2 - x z + 1 from mpmath.polyroots (60 digits).

    Retarded: on the band (real |x| < 2) the root with Im z < 0 (outgoing, |z| = 1), elsewhere |z| < 1.
    """
    xs = [0.3, -1.99, 1.7 + 0.0j, 2.5, -3.0, 1e8, -3e15, 0.4 - 0.3j, -1.5 + 2.0j, 2.0 + 1e-9j]
    got_double = bloch_factor(np.array(xs, dtype=complex))
    for i, x in enumerate(xs):
        with mpmath.workdps(60):
            roots = mpmath.polyroots([1, -mpmath.mpc(x), 1], maxsteps=200, extraprec=200)
            on_band = complex(x).imag == 0 and abs(complex(x).real) < 2
            ref = min(roots, key=lambda z: mpmath.im(z) if on_band else abs(z))
        with mpmath.workdps(40):
            got = bloch_factor(mpmath.mpc(x), backend=MULTI)
            assert isinstance(got, mpmath.mpc)
            assert abs(got - ref) <= mpmath.mpf(10) ** -35 * abs(ref), (x, got, ref)
        # doubles: a few ulps times the relative condition number |x/s| of the root (s = sqrt(x^2 - 4),
        # large next to the branch points x = +-2)
        cond = abs(complex(x)) / abs(np.sqrt(complex(x) ** 2 - 4))
        assert abs(got_double[i] - complex(ref)) <= 8 * 2.0**-52 * (1 + cond) * abs(complex(ref)), x

def test_backend_operations_agree_across_precisions():
    """Each operation of MULTI (mapped over an object array, as the quadrature engine holds its nodes)
    against DOUBLE's NumPy operation on the same doubles: two libraries, agreeing to a few ulps."""
    x = np.array([-0.9, -0.25, 0.0, 0.3, 0.75, 0.999])
    with mpmath.workdps(40):
        xm = np.array([mpmath.mpf(float(v)) for v in x], dtype=object)
        for op in ("exp", "expm1", "cos", "sin", "acos"):
            got = getattr(MULTI, op)(xm)
            assert isinstance(got, np.ndarray) and all(isinstance(v, mpmath.mpf) for v in got), op
            np.testing.assert_allclose([float(v) for v in got], getattr(DOUBLE, op)(x), rtol=4e-16, atol=1e-300,
                                       err_msg=op)
        r = MULTI.sqrt(xm[2:])
        np.testing.assert_allclose([float(v) for v in r], DOUBLE.sqrt(x[2:]), rtol=4e-16)
        assert MULTI.sqrt(mpmath.mpf(2)) ** 2 - 2 < mpmath.mpf(10) ** -38  # a scalar stays a scalar
        # exact conversion: one correct rounding of 1/10 at the working precision, the nearest double
        assert MULTI.num("0.1") == mpmath.mpf(1) / 10 and DOUBLE.num("0.1") == 0.1
        assert MULTI.complex(Fraction(1, 3)) == mpmath.mpc(mpmath.mpf(1) / 3)
        for xp, one in ((MULTI, mpmath.mpf(1)), (DOUBLE, 1.0)):  # eps: the gap from 1 to the next number
            assert one + xp.eps() > one and one + xp.eps() / 2 == one
        assert MULTI.bits() == mpmath.mp.prec and DOUBLE.bits() is None
    assert MULTI.where(True, 1, 2) == 1 and list(MULTI.where(np.array([True, False]), xm[:2], xm[4:])) == \
        [xm[0], xm[5]]


def test_backends_at_the_edge():
    """Strings (the app layer's) and dps= become the two Backends once; anything else is refused by name."""
    assert as_backend("numpy") is DOUBLE and as_backend("mpmath") is MULTI and as_backend(MULTI) is MULTI
    assert for_dps(None) is DOUBLE and for_dps(30) is MULTI
    assert backend_of(mpmath.mpc(1, 2)) is MULTI and backend_of(np.array([1.0])) is DOUBLE
    assert backend_of(np.array([mpmath.mpf(1)], dtype=object)) is MULTI and backend_of(0.5) is DOUBLE
    assert DOUBLE.pick("a", "b") == "a" and MULTI.pick("a", "b") == "b"
    for bad in ("float128", "exact", None, 1):
        with pytest.raises(ValueError, match="backend must be"):
            as_backend(bad)
