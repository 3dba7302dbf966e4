r"""Run-time helpers printed into every generated model evaluator (:mod:`derive.codegen.model_modules`).

The text of :data:`HELPERS` (one entry per backend) is copied verbatim into the
generated module, which imports only ``numpy`` or ``mpmath``.

Leads (``_lead``).  For a lead with hopping :math:`t`, potential :math:`\varepsilon`
and :math:`|c|^2`, at real :math:`\omega`, with :math:`a = 2|t|` and the distances to
the two band edges

.. math:: u = a - (\omega-\varepsilon),\qquad l = a + (\omega-\varepsilon),
          \qquad w = \frac{\omega-\varepsilon}{a},\qquad r = \frac{\sqrt{|u|}\sqrt{|l|}}{a} = \sqrt{|1-w^2|},

the retarded Bloch factor :math:`z = \operatorname{sign}(t)/(w+\sqrt{w-1}\sqrt{w+1})` is
:math:`\operatorname{sign}(t)(w - ir)` on the band (:math:`u, l > 0`) and
:math:`\operatorname{sign}(t)/(w + \operatorname{sign}(w)\,r)` off it (no cancellation), and

.. math:: \Gamma = i(\Sigma-\bar\Sigma) = \frac{2|c|^2}{|t|}\,r \ \text{on the band},\quad 0\ \text{off it}.

The distances are formed without rounding error in :math:`\omega-\varepsilon`: in NumPy
by a TwoSum (:math:`d + e = \omega-\varepsilon` exactly), in mpmath exactly from the
exact values of :math:`\omega` (an mpf, int, float or any rational with
``numerator``/``denominator``) and of :math:`\varepsilon, t` (mpf), rounded once.  So
next to a band edge :math:`\Gamma` keeps its relative accuracy (1e-9 inside an edge
the plain difference would lose ~7 of 16 digits).  At complex :math:`\omega` (the
continuation of G and det from the upper half plane) no lead propagates.

Blocks (``_blocks``, NumPy).  Long energy grids are evaluated in blocks of
:data:`BLOCK` points, so that the temporaries of the kernel stay in the cache
(and in the allocator's pool) instead of being page-faulted in for every operation.
"""
from __future__ import annotations

__all__ = ["HELPERS", "BLOCK"]

#: energies per block of the generated NumPy evaluators
BLOCK = 4096

_NUMPY = '''
BLOCK = %(block)d


def _lead(omega, e, t, c2):
    """(z, Gamma, open) of a lead: retarded Bloch factor, i(Sigma - conj Sigma), propagating mask."""
    a = 2 * numpy.abs(t)
    s = numpy.sign(t)
    if numpy.iscomplexobj(omega):  # continuation from the upper half plane: no propagating mode
        w = (omega - e) / a
        z = s / (w + numpy.sqrt(w - 1) * numpy.sqrt(w + 1))
        return z, numpy.zeros(numpy.shape(z)), numpy.zeros(numpy.shape(z), dtype=bool)
    exact = numpy.ndim(e) == 0 and e == 0  # omega - e is omega itself
    d = omega if exact else omega - e
    up = a - d  # distance to the upper band edge
    lo = a + d  # distance to the lower band edge
    if not exact:  # TwoSum: d + err == omega - e exactly
        v = d - omega
        err = (omega - (d - v)) + (-e - v)
        up = up - err
        lo = lo + err
    w = d / a
    r = numpy.sqrt(numpy.abs(up)) * numpy.sqrt(numpy.abs(lo)) / a
    is_open = (up > 0) & (lo > 0)
    z = numpy.empty(numpy.shape(w), dtype=complex)  # s (w - i r) on the band, real s/(w + sign(w) r) off it
    z.real = numpy.where(is_open, s * w, s / (w + numpy.copysign(r, w)))
    z.imag = numpy.where(is_open, -s * r, 0.0)
    return z, numpy.where(is_open, (2 * c2 / numpy.abs(t)) * r, 0.0), is_open


#: the segment trigonometry of the numeric layer, set by the loader (numeric.models.chebyshev.scaled_continuants: each
#: value accurate relative to itself at any length, O(1) per energy, no overflow); None: the fallbacks below
CONTINUANTS = None


def _continuants(n, d, hh):
    """(D_n e^-L, D_(n-1) e^-L, L) of D_k = d*D_(k-1) - hh*D_(k-2), D_0 = 1, D_(-1) = 0, D_(-2) = -1/hh; n >= -1.

    CONTINUANTS where the loader set it and it applies (scaled by e^L, L real per energy, so that long
    evanescent segments do not overflow); else L = 0 and, real d and n > RECURSION_MAX_N:
    D_k = |h|^k U_k(d/2|h|) from the angle of the nearer band edge, formed from the distances
    2|h| -+ d (each relative to itself), so that the recursion's error growth ~k eps/sin(theta)
    next to a band edge is not there (any length, O(1) work per energy).
    """
    d = numpy.asarray(d)
    one = numpy.ones(d.shape, dtype=numpy.result_type(d, hh, 1.0))
    if n == -1:
        return 0 * one, -one / hh, 0.0
    got = CONTINUANTS(n, d, hh) if CONTINUANTS is not None and n > RECURSION_MAX_N else None
    if got is not None:  # (a scale of 0 everywhere as the scalar 0: the kernel's e^-L stays one operation)
        return got[0] * one, got[1] * one, got[2] if numpy.any(got[2]) else 0.0
    if n > RECURSION_MAX_N and not numpy.iscomplexobj(d):
        return _continuants_angle(n, d, hh) + (0.0,)
    a, b = one, 0 * one
    for _ in range(n):
        a, b = d * a - hh * b, a
    return a, b, 0.0


#: continuants up to this order by the recursion (a few exact-enough steps); longer by the angle form
RECURSION_MAX_N = 3


def _continuants_angle(n, d, hh):
    """(|h|^n U_n(x), |h|^(n-1) U_(n-1)(x)), x = d/(2|h|) real, with U_k(+-cos t) = (+-1)^k sin((k+1)t)/sin t
    and U_k(+-cosh t) = (+-1)^k sinh((k+1)t)/sinh t, t from the distance to the nearer band edge."""
    rh = numpy.sqrt(hh)
    a = 2 * rh
    g = numpy.where(d < 0, -1.0, 1.0)          # U_k(-x) = (-1)^k U_k(x): work at |x|
    dist = a - numpy.abs(d)                     # to the nearer edge (exact for |d| in [a/2, 2a])
    inside = dist > 0
    with numpy.errstate(all="ignore"):
        far = a + numpy.abs(d)                  # to the farther edge
        t_in = 2 * numpy.arctan2(numpy.sqrt(numpy.abs(dist)), numpy.sqrt(far))   # |x| = cos t
        t_out = 2 * numpy.arcsinh(numpy.sqrt(numpy.abs(dist) / (2 * a)))        # |x| = cosh t
        s_in = numpy.sqrt(numpy.abs(dist) * far) / a                             # sin t
        def ratio(k):
            u_in = numpy.sin((k + 1) * t_in) / s_in
            u_out = numpy.sinh((k + 1) * t_out) / numpy.sinh(t_out)
            u = numpy.where(inside, u_in, u_out)
            u = numpy.where(dist == 0, float(k + 1), u)                          # U_k(1) = k + 1
            return u * g ** k * rh ** k
        return ratio(n), ratio(n - 1)


def _blocks(block, omega, params):
    """``block(omega, *params)`` over blocks of at most BLOCK points of the broadcast shape."""
    omega = numpy.asarray(omega)
    if omega.dtype.kind in "biu":
        omega = omega.astype(float)
    shape = numpy.broadcast_shapes(omega.shape, *(numpy.shape(p) for p in params))
    size = int(numpy.prod(shape))
    if size <= BLOCK:
        return block(omega, *params)
    flat = [numpy.broadcast_to(x, shape).reshape(-1) if numpy.ndim(x) else x for x in (omega, *params)]
    outs = None
    for a in range(0, size, BLOCK):
        part = block(*[x[a:a + BLOCK] if numpy.ndim(x) else x for x in flat])
        if outs is None:
            outs = [numpy.empty(size, dtype=numpy.result_type(x)) for x in part]
        for o, x in zip(outs, part):
            o[a:a + BLOCK] = x
    return tuple(o.reshape(shape) for o in outs)
''' % {"block": BLOCK}


_MPMATH = '''
def _q(p, q):
    """The exact rational p/q (lead values of exact parameters stay exact)."""
    from fractions import Fraction

    return Fraction(p, q)


def _ratio(x):
    """(p, q) with x == p/q exactly (mpf, int, float, or a rational with numerator/denominator)."""
    if isinstance(x, mpmath.mpf):
        if not mpmath.isfinite(x):
            raise ValueError("omega and the lead values must be finite")
        sign, man, exp, _ = x._mpf_
        p = -int(man) if sign else int(man)
        return (p << exp, 1) if exp >= 0 else (p, 1 << -exp)
    if isinstance(x, float):
        return x.as_integer_ratio()
    if isinstance(x, int):
        return x, 1
    return int(x.numerator), int(x.denominator)


def _exact_sum(plus, minus=()):
    """sum(plus) - sum(minus) of exact values, computed exactly and rounded once to the working precision."""
    p, q = 0, 1
    for sign, terms in ((1, plus), (-1, minus)):
        for x in terms:
            a, b = _ratio(x)
            p, q = p * b + sign * a * q, q * b
    return mpmath.mpf(mpmath.libmp.from_rational(p, q, mpmath.mp.prec, mpmath.libmp.round_nearest))


def _lead(omega, e, t, c2):
    """(z, Gamma, open) of a lead: retarded Bloch factor, i(Sigma - conj Sigma), propagating?"""
    a = 2 * abs(t)
    s = mpmath.sign(t)
    if isinstance(omega, mpmath.mpc):
        if mpmath.im(omega) != 0:  # continuation from the upper half plane: no propagating mode
            w = (omega - e) / a
            return s / (w + mpmath.sqrt(w - 1) * mpmath.sqrt(w + 1)), mpmath.mpf(0), False
        omega = mpmath.re(omega)
    up = _exact_sum((a, e), (omega,))  # distance to the upper band edge
    lo = _exact_sum((a, omega), (e,))  # distance to the lower band edge
    w = _exact_sum((omega,), (e,)) / a
    r = mpmath.sqrt(abs(up)) * mpmath.sqrt(abs(lo)) / a
    if up > 0 and lo > 0:
        return s * mpmath.mpc(w, -r), (2 * _number(c2) / _number(abs(t))) * r, True
    return mpmath.mpc(s / (w + (r if w > 0 else -r))), mpmath.mpf(0), False


def _number(x):
    """An exact value (or an mpf/mpc) as an mpmath number at the working precision."""
    if isinstance(x, (mpmath.mpf, mpmath.mpc)):
        return x
    return _exact_sum((x,))


#: the segment trigonometry of the numeric layer, set by the loader (numeric.models.chebyshev.continuants: O(1) in
#: the length at the working precision); None: the recursion below (O(n))
CONTINUANTS = None


def _continuants(n, d, hh):
    """(D_n, D_(n-1), 0) of D_k = d*D_(k-1) - hh*D_(k-2), D_0 = 1, D_(-1) = 0, D_(-2) = -1/hh; n >= -1
    (the third value: the log of a scale, none in mpmath)."""
    if n == -1:
        return mpmath.mpf(0), -1 / mpmath.mpf(hh), 0
    got = CONTINUANTS(n, d, hh) if CONTINUANTS is not None and n > 3 else None
    if got is not None:
        return got[0], got[1], 0
    a, b = mpmath.mpf(1), mpmath.mpf(0)
    for _ in range(n):
        a, b = d * a - hh * b, a
    return a, b, 0
'''

#: helper source per backend
HELPERS = {"numpy": _NUMPY, "mpmath": _MPMATH}
