r"""Exact parameters and scoped precision for every ``dps=`` path.

Conventions (the same for the API and for ``--dps`` on the command line):

* A value handed to a ``dps=`` path is **exact**.  Decimal strings are exact
  rationals (``"0.1"`` is 1/10, ``"1e-3"`` is 1/1000); ``int`` and
  :class:`fractions.Fraction` are themselves; an :class:`mpmath.mpf` is the
  binary fraction it holds; SymPy ``Integer``/``Rational``/``Float`` are taken
  at their exact values (recognised by duck typing: SymPy is never imported
  here); a Python ``float`` means its **exact binary value** (``0.1`` is
  3602879701896397/2^55, not 1/10 -- pass the string for 1/10).
* ``"inf"``, ``"-inf"``, ``math.inf`` and ``mpmath.inf`` are the infinities
  (a limit, where a parameter allows it); NaN is always rejected.
* Exact values are held as :class:`fractions.Fraction` (or ``+-math.inf``);
  :func:`mp` rounds one to the current mpmath working precision, correctly
  (one rounding, round-to-nearest).

Precision is always scoped: callers wrap work in ``mpmath.workdps(...)``;
nothing here changes a global setting.

Precision is a *backend* of one pipeline: an algorithm written once over a
:class:`Backend` ``xp`` (Python operators plus ``xp.sqrt``, ``xp.where``, ...)
runs on NumPy arrays of doubles with :data:`DOUBLE` and on mpmath scalars at
the working precision with :data:`MULTI`.  :func:`stable_digits` is the
common check of every ``dps=`` path: it evaluates at two (or more) working
precisions and returns only digits on which they agree.

>>> exact("0.1")
Fraction(1, 10)
>>> exact(0.5), exact("-inf")
(Fraction(1, 2), -inf)
>>> import mpmath
>>> with mpmath.workdps(30):
...     print(mp(exact("0.1")))
0.1
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from numbers import Rational
from typing import Any, Callable, Sequence, TypeVar, Union

import mpmath
import numpy as np
from mpmath import libmp

from numeric.errors import ParameterError

#: the largest double (sys.float_info.max): values beyond it need dps
DOUBLE_MAX = 1.7976931348623157e308

__all__ = ["DOUBLE_MAX", "settle_each", "Exact", "exact", "exact_or_float", "mp", "check_dps", "MAX_DPS", "is_infinite", "Backend",
           "DOUBLE", "MULTI", "as_backend", "for_dps", "backend_of", "stable_digits", "PrecisionError", "Unsettled", "is_unsettled", "dps_cost_limit",
           "MAX_DECIMAL_EXPONENT", "decimal_fraction"]

#: an exact parameter value: a rational, or an infinity
Exact = Union[Fraction, float]

#: default upper limit on requested decimal digits (each command may set a lower one,
#: from its cost per digit; see ``check_dps``)
MAX_DPS = 10000

#: largest |exponent| of a decimal literal ("1e999999999" would build a billion-digit integer)
MAX_DECIMAL_EXPONENT = 100000

#: a plain decimal number: ASCII digits, an optional point and exponent (no 1_0, 0x10, 1j, other scripts' digits)
_DECIMAL = re.compile(r"[ \t]*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t]*")
_INF = {"inf": math.inf, "+inf": math.inf, "infinity": math.inf, "+infinity": math.inf,
        "-inf": -math.inf, "-infinity": -math.inf, "oo": math.inf, "-oo": -math.inf}


def exact(value: Any, name: str = "value") -> Exact:
    """The exact value of ``value`` (see the module conventions).

    A string is a plain decimal (ASCII digits, an optional point and exponent: not ``1_0``, ``0x10``
    or another script's digits, which Python's ``float`` and ``Decimal`` would take) or ``inf``.

    Parameters
    ----------
    value : str, int, Fraction, float, mpmath.mpf or SymPy number
        A decimal string is an exact rational; a float its exact binary value; ``"inf"``/``"-inf"``.
    name : str
        What an error names (a flag or parameter).

    Returns
    -------
    fractions.Fraction or float
        The exact value, or ``math.inf``/``-math.inf``.

    Raises :class:`numeric.errors.ParameterError` naming ``name`` for NaN,
    non-numbers and complex values.

    >>> exact("2.50e-1"), exact(3), exact(Fraction(2, 6))
    (Fraction(1, 4), Fraction(3, 1), Fraction(1, 3))
    >>> exact(0.1) == Fraction(3602879701896397, 2**55)
    True
    >>> exact("nan", "tau1")
    Traceback (most recent call last):
    ...
    numeric.errors.ParameterError: tau1 must be a real number (got nan)
    >>> exact("1_0", "omega")
    Traceback (most recent call last):
    ...
    numeric.errors.ParameterError: omega must be a real number (got 1_0)
    """
    if isinstance(value, bool):
        raise ParameterError(name, "a real number", value)
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _INF:
            return _INF[text]
        if not _DECIMAL.fullmatch(text):
            raise ParameterError(name, "a real number", value)
        try:
            return decimal_fraction(text)
        except (InvalidOperation, ValueError):
            raise ParameterError(name, f"a real number with a decimal exponent of at most {MAX_DECIMAL_EXPONENT} "
                                 "in size", value) from None
    if isinstance(value, float):
        if math.isnan(value):
            raise ParameterError(name, "a real number", value)
        return value if math.isinf(value) else Fraction(value)
    if isinstance(value, mpmath.mpf):
        if mpmath.isnan(value):
            raise ParameterError(name, "a real number", value)
        if mpmath.isinf(value):
            return math.inf if value > 0 else -math.inf
        sign, man, exp, _ = value._mpf_  # (man_exp drops the sign)
        return (-1) ** sign * Fraction(int(man)) * Fraction(2) ** int(exp)
    if type(value).__module__.startswith("sympy"):
        return _sympy_exact(value, name)
    if isinstance(value, Rational):  # numbers.Rational (e.g. gmpy2.mpq)
        return Fraction(int(value.numerator), int(value.denominator))
    if hasattr(value, "dtype") and getattr(value, "shape", None) == ():  # NumPy scalar
        return exact(value.item(), name)
    raise ParameterError(name, "a real number (int, decimal string, Fraction, float, mpf)", value)


def decimal_fraction(text: str) -> Fraction:
    """The exact value of a decimal literal; ValueError when its exponent exceeds :data:`MAX_DECIMAL_EXPONENT`.

    >>> decimal_fraction("2.5e-3")
    Fraction(1, 400)
    """
    d = Decimal(text)
    if d.is_finite() and d and abs(d.adjusted()) > MAX_DECIMAL_EXPONENT:
        raise ValueError(f"decimal exponent beyond {MAX_DECIMAL_EXPONENT}: {text}")
    return Fraction(d)


def _sympy_exact(value: Any, name: str) -> Exact:
    if getattr(value, "is_Rational", False):
        return Fraction(int(value.p), int(value.q))
    if getattr(value, "is_Float", False):
        sign, man, exp, _ = value._mpf_  # a SymPy Float is a binary fraction (at its own precision)
        if not man and exp:  # +-inf or nan
            raise ParameterError(name, "a finite real number or inf", value)
        return (-1) ** sign * Fraction(int(man)) * Fraction(2) ** int(exp)
    if value == getattr(type(value), "Infinity", None) or str(value) in ("oo", "-oo"):
        return math.inf if str(value) == "oo" else -math.inf
    raise ParameterError(name, "a rational or floating SymPy number (evaluate irrationals first)", value)


def exact_or_float(value: Any, name: str = "value", *, exact_values: bool) -> Exact | float:
    """``exact(value)`` when ``exact_values``, else the nearest double (NaN rejected).

    >>> exact_or_float("0.1", exact_values=False), exact_or_float("0.1", exact_values=True)
    (0.1, Fraction(1, 10))
    """
    v = exact(value, name)
    return v if exact_values else (v if isinstance(v, float) else float(v))


def is_infinite(x: Exact | float) -> bool:
    """True for +-inf (exact values are Fractions or infinities)."""
    return isinstance(x, float) and math.isinf(x)


def mp(x: Exact | float | int) -> mpmath.mpf:
    """``x`` correctly rounded to the current mpmath working precision.

    A value with an ``_mpmath_(prec, rounding)`` method (mpmath's own conversion protocol; e.g.
    :class:`numeric.models.expressions.ExactConstant`, an exact ``pi``) is evaluated at the working precision.

    >>> with mpmath.workdps(50):
    ...     print(mp(Fraction(1, 3)))
    0.33333333333333333333333333333333333333333333333333
    """
    if isinstance(x, mpmath.mpf):
        return +x  # one rounding to the working precision
    if hasattr(x, "_mpmath_"):
        return mpmath.mpf(x._mpmath_(mpmath.mp.prec, "n"))
    if isinstance(x, float):
        if math.isinf(x):
            return mpmath.inf if x > 0 else -mpmath.inf
        x = Fraction(x)
    elif isinstance(x, int):
        x = Fraction(x)
    elif not isinstance(x, Fraction):
        x = exact(x)
        if isinstance(x, float):
            return mp(x)
    return mpmath.mpf(libmp.from_rational(x.numerator, x.denominator, mpmath.mp.prec, libmp.round_nearest))


def check_dps(dps: Any, *, limit: int = MAX_DPS, name: str = "dps") -> int:
    """``dps`` as an int in [1, limit], else :class:`ParameterError` naming the limit.

    >>> check_dps(50)
    50
    >>> check_dps(100000, limit=2000)
    Traceback (most recent call last):
    ...
    numeric.errors.ParameterError: dps must be an integer in [1, 2000] (larger precision is refused: its cost grows faster than linearly) (got 100000)
    """
    ok = isinstance(dps, int) and not isinstance(dps, bool)
    if not ok and isinstance(dps, str) and dps.strip().isdigit():
        q = exact(dps, name) if _DECIMAL.fullmatch(dps) else None  # ASCII digits only (isdigit takes others)
        dps, ok = (int(q), True) if q is not None else (dps, False)
    if not ok or not 1 <= dps <= limit:
        raise ParameterError(name, f"an integer in [1, {limit}] (larger precision is refused: its cost grows "
                                   "faster than linearly)", dps)
    return dps


@dataclass(frozen=True)
class Backend:
    """The arithmetic of one precision: NumPy arrays of doubles, or mpmath numbers at the working precision.

    An algorithm written once over ``xp: Backend`` uses Python operators and these operations only
    (elementwise; :data:`MULTI`'s also map over object arrays of mpf, as the quadrature engine holds
    them; ``xp.where`` evaluates both branches).  ``name`` ("numpy"/"mpmath") picks the generated
    evaluators of the same precision; ``vectorised``: arrays over the points (LAPACK, sparse) or one
    point at a time; ``dtype``: float or object; ``num``/``complex``: a value (exact, float, mpf) as a
    real/complex number of this precision (mpmath: correctly rounded, :func:`mp`); ``asarray``: real
    points as this precision holds them; ``eps``, ``pi``, ``tiny`` (below every scale) and ``bits``
    (None for doubles) at the current precision.  Where the precisions need genuinely different code
    (a vectorised double kernel beside a per-point mpmath one), :meth:`pick` is the one place that
    chooses.  Public functions take ``backend=`` (a Backend, or "numpy"/"mpmath" at the app layer's
    edge: :func:`as_backend`) or ``dps=`` (:func:`for_dps`), converted once.

    >>> DOUBLE.where(np.array([True, False]), 1.0, 2.0), MULTI.where(False, 1, 2)
    (array([1., 2.]), 2)
    >>> with mpmath.workdps(20):
    ...     [mpmath.nstr(v, 20) for v in MULTI.sqrt(np.array([mpmath.mpf(4), mpmath.mpf(2)], dtype=object))]
    ['2.0', '1.4142135623730950488']
    >>> as_backend("mpmath") is MULTI, for_dps(None) is DOUBLE
    (True, True)
    """

    name: str
    vectorised: bool
    dtype: type
    exp: Callable
    expm1: Callable
    sqrt: Callable
    cos: Callable
    sin: Callable
    acos: Callable
    conj: Callable
    real: Callable
    imag: Callable
    isfinite: Callable
    isnan: Callable
    where: Callable
    num: Callable
    complex: Callable
    asarray: Callable
    eps: Callable[[], Any]
    pi: Callable[[], Any]
    tiny: Callable[[], Any]
    bits: Callable[[], Any]

    def pick(self, double: Any, multi: Any) -> Any:
        """``double`` on :data:`DOUBLE`, ``multi`` on :data:`MULTI`: the one place where code differs by precision.

        >>> MULTI.pick("vectorised kernel", "per-point loop")
        'per-point loop'
        """
        return double if self.vectorised else multi

    def __repr__(self) -> str:
        return "DOUBLE" if self.vectorised else "MULTI"


def _mp_elementwise(fn: Callable) -> Callable:
    """``fn`` on one mpmath number, or mapped over an (object) array of them."""
    mapped = np.frompyfunc(fn, 1, 1)

    def apply(x: Any) -> Any:
        return mapped(x) if isinstance(x, np.ndarray) else fn(x)

    apply.__name__ = getattr(fn, "__name__", "elementwise")
    return apply


def _double_complex(x: Any) -> Any:
    if isinstance(x, np.ndarray):
        return np.asarray(x, dtype=complex)
    if isinstance(x, (complex, np.complexfloating, mpmath.mpc)):
        return np.complex128(complex(x))
    v = exact(x) if not isinstance(x, (float, np.floating)) else x
    return np.complex128(float(v))


def _multi_complex(x: Any) -> Any:
    if isinstance(x, (complex, np.complexfloating, mpmath.mpc)):
        return mpmath.mpc(x)
    return mpmath.mpc(mp(x))


def _mp_asarray(x: Any) -> Any:
    return np.array([mp(v) for v in x], dtype=object) if isinstance(x, (list, tuple, np.ndarray)) else x


def _double_num(x: Any) -> float:
    return float(x if isinstance(x, (int, float, Fraction, np.floating, np.integer)) else exact(x))


#: NumPy, elementwise on arrays of doubles
DOUBLE = Backend("numpy", True, float, np.exp, np.expm1, np.sqrt, np.cos, np.sin, np.arccos, np.conj, np.real,
                 np.imag, np.isfinite, np.isnan, np.where, _double_num, _double_complex,
                 lambda x: np.asarray(x, dtype=float),
                 lambda: float(np.finfo(float).eps), lambda: math.pi, lambda: 1e-300, lambda: None)
#: mpmath numbers at the current working precision (call inside ``mpmath.workdps``)
MULTI = Backend("mpmath", False, object, *(_mp_elementwise(f) for f in (
    mpmath.exp, mpmath.expm1, mpmath.sqrt, mpmath.cos, mpmath.sin, mpmath.acos, mpmath.conj, mpmath.re, mpmath.im,
    mpmath.isfinite, mpmath.isnan)), lambda c, a, b: np.where(c, a, b) if isinstance(c, np.ndarray) else a if c else b,
    mp, _multi_complex, _mp_asarray,
    lambda: mpmath.mpf(2) ** (1 - mpmath.mp.prec), lambda: +mpmath.pi,
    lambda: mpmath.mpf(2) ** (-4 * mpmath.mp.prec), lambda: mpmath.mp.prec)

_BACKENDS = {"numpy": DOUBLE, "mpmath": MULTI}


def as_backend(backend: Backend | str) -> Backend:
    """The :class:`Backend` of ``backend``: a Backend itself, or its name ("numpy"/"mpmath") at the app layer's edge.

    >>> as_backend("numpy") is DOUBLE, as_backend(MULTI) is MULTI
    (True, True)
    >>> as_backend("float128")
    Traceback (most recent call last):
    ...
    ValueError: backend must be DOUBLE, MULTI, "numpy" or "mpmath" (got 'float128')
    """
    if isinstance(backend, Backend):
        return backend
    found = _BACKENDS.get(backend) if isinstance(backend, str) else None
    if found is None:
        raise ValueError(f'backend must be DOUBLE, MULTI, "numpy" or "mpmath" (got {backend!r})')
    return found


def for_dps(dps: int | None) -> Backend:
    """The Backend of a ``dps=`` argument: :data:`DOUBLE` for None, else :data:`MULTI` (inside ``workdps(dps)``)."""
    return DOUBLE if dps is None else MULTI


def backend_of(x: Any) -> Backend:
    """The Backend a value belongs to: :data:`MULTI` for mpmath numbers, matrices and object arrays, else :data:`DOUBLE`.

    >>> backend_of(mpmath.mpf(1)), backend_of(np.ones(2))
    (MULTI, DOUBLE)
    """
    if isinstance(x, (mpmath.mpf, mpmath.mpc, mpmath.matrix)) or (isinstance(x, np.ndarray) and x.dtype == object):
        return MULTI
    return DOUBLE


class PrecisionError(ArithmeticError):
    """The requested digits were not stable up to the largest working precision allowed."""


class Unsettled:
    """In place of a number whose digits did not settle within the cost limit (``stable_digits(partial=True)``).

    ``reason`` says why (digits, the working precision reached, the limit).  Printers show it as
    ``null`` (JSON) or ``unsettled`` (tables); it is never a number.

    >>> Unsettled("30 digits not stable up to 220 working digits")
    Unsettled('30 digits not stable up to 220 working digits')
    """

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"Unsettled({self.reason!r})"


def is_unsettled(x: Any) -> bool:
    """True for an :class:`Unsettled` marker."""
    return isinstance(x, Unsettled)


Values = TypeVar("Values")


def dps_cost_limit(digits: int) -> int:
    """The cost limit of a ``dps=digits`` evaluation: at most 4D + 100 working digits (at least 400).

    Cancellation costs working digits (a value 10^-k of the terms it comes from needs D + k), so the
    limit allows values down to ~10^-(3D + 90) of their terms; beyond it the cost of the arithmetic
    (growing faster than linearly in the digits) is refused instead of spent.

    >>> dps_cost_limit(30), dps_cost_limit(1000)
    (400, 4100)
    """
    return max(4 * digits + 100, 400)


def stable_digits(evaluate: Callable[[], Values], digits: int, *, guard: int = 10, limit: int | None = None,
                  zero_scale: Any = None, what: str = "the result", partial: bool = False) -> Values:
    r"""``evaluate()`` at increasing working precision until ``digits`` significant digits are stable.

    The one digit check of every ``dps=`` path.  ``evaluate`` is called inside
    ``mpmath.workdps(p)`` and returns numbers (mpf, mpc, int, float), ``None``,
    strings or bools, possibly nested in tuples/lists.  Two successive
    evaluations :math:`x_j, x_{j+1}` settle a number when

    .. math:: |x_{j+1} - x_j| \le 10^{-(D+1)}\,|x_{j+1}|

    (D = ``digits``; the error of :math:`x_j` is estimated by the difference,
    that of :math:`x_{j+1}` is smaller by about :math:`10^{p_j - p_{j+1}}`), or
    when both are equal (exact zeros, ``None``, NaN, infinities).  A settled
    number keeps the value at which it settled; the others go on.

    Precisions: :math:`p_0 = D + g` (g = ``guard``), then
    :math:`p_{j+1} = \max(p_j + \max(g, p_j/2),\ D + 2g + \ell)`, where
    :math:`\ell = \log_{10}(s/|x|)` are the digits a value :math:`x` loses to
    cancellation against the scale s = ``zero_scale`` of the terms it is
    computed from: a tiny value gets the precision it needs, however small.  The
    cost limit is ``limit`` working digits (default :func:`dps_cost_limit`); the last
    evaluation is at the limit itself.

    Zero: a number that is exactly 0 at two precisions is 0.  With
    ``zero_scale`` (s) a number that is still round-off at the limit
    (:math:`|x| \le s\,10^{-(p-g)}` at both of the last two precisions, the
    last one being the limit) is 0: its magnitude is below
    :math:`s\,10^{-(\mathrm{limit}-g)}`, the resolution of the cost limit.  A
    nonzero value above that bound is never returned as 0.

    Returns the last evaluations (mpf/mpc at their working precision, of which
    at least D significant digits are right).  A number that does not settle
    within the limit raises :class:`PrecisionError` (naming ``what``, the
    digits and the limit), or, with ``partial=True``, is returned as an
    :class:`Unsettled` marker while the others are returned.

    >>> third = stable_digits(lambda: mpmath.mpf(1) / 3, 30)
    >>> mpmath.nstr(third, 30)
    '0.333333333333333333333333333333'
    >>> tiny = stable_digits(lambda: (1 + mpmath.mpf(10) ** -40) - 1, 20, zero_scale=1)  # cancellation: more digits
    >>> mpmath.nstr(tiny, 20)
    '1.0e-40'
    >>> stable_digits(lambda: mpmath.mpf(2) ** -mpmath.mp.prec, 20, zero_scale=1)
    mpf('0.0')
    >>> stable_digits(lambda: [mpmath.mpf(1) / 7, mpmath.mpf(mpmath.mp.dps)], 10, limit=60, partial=True)[1]
    Unsettled('the result: 10 digits not stable up to 60 working digits (cost limit 60)')
    """
    limit = dps_cost_limit(digits) if limit is None else limit
    p = min(digits + guard, limit)
    with mpmath.workdps(p):
        previous = evaluate()
    leaves_prev = _flatten(previous)
    result: list = [_PENDING] * len(leaves_prev)
    older: tuple[list, int] | None = None  # the evaluation before ``previous`` and its precision
    while True:
        lost = max((_lost_digits(x, zero_scale) for x, r in zip(leaves_prev, result) if r is _PENDING), default=0)
        q = max(p + max(guard, p // 2), digits + 2 * guard + lost)
        if q > limit:
            if p >= limit:
                break
            q = limit  # the last evaluation is at the cost limit itself
        with mpmath.workdps(q):
            current = evaluate()
            leaves = _flatten(current)
            for i, (a, b) in enumerate(zip(leaves_prev, leaves, strict=True)):
                if result[i] is _PENDING and _agree(a, b, digits):
                    result[i] = b
        if all(r is not _PENDING for r in result):
            return _rebuild(current, result)
        older, previous, leaves_prev, p = (leaves_prev, p), current, leaves, q
    # at the cost limit: round-off at both of the last two precisions is 0, the rest is unsettled
    reason = f"{what}: {digits} digits not stable up to {p} working digits (cost limit {limit})"
    for i, x in enumerate(leaves_prev):
        if result[i] is not _PENDING:
            continue
        if zero_scale is not None and older is not None and _round_off(x, zero_scale, p, guard) \
                and _round_off(older[0][i], zero_scale, older[1], guard):
            result[i] = type(x)(0)
        elif not partial:
            raise PrecisionError(reason)
        else:
            result[i] = Unsettled(reason)
    return _rebuild(previous, result)


#: a number not yet settled
_PENDING = object()


def settle_each(point: Callable[[Any], Values], xs: Sequence[Any], digits: int, *, guard: int = 15
                ) -> tuple[list, list]:
    """:func:`stable_digits` of ``point(x)`` for each exact ``x`` of ``xs``, one at a time (a value that does
    not settle within :func:`dps_cost_limit` is :class:`Unsettled`, the others are kept).

    Parameters
    ----------
    point : callable
        ``point(x)`` -> the values at one exact point, at the working precision.
    xs : sequence
        Exact points (:func:`exact` values).
    digits : int
        Significant digits wanted.
    guard : int
        Guard digits of the first evaluation.

    Returns
    -------
    (list, list)
        The settled values per point, and each point as an mpf with ``digits + guard`` digits (to echo it).
    """
    rows, echoed = [], []
    for x in xs:
        with mpmath.workdps(20):
            where = f"omega={mpmath.nstr(mp(x), 17)}"
        rows.append(stable_digits(lambda: point(x), digits, guard=guard, limit=dps_cost_limit(digits), zero_scale=1,
                                  what=where, partial=True))
        with mpmath.workdps(digits + guard):
            echoed.append(mp(x))
    return rows, echoed


def _flatten(x: Any) -> list:
    """The leaves of nested tuples/lists, in order."""
    if isinstance(x, (tuple, list)):
        return [leaf for item in x for leaf in _flatten(item)]
    return [x]


def _rebuild(template: Any, leaves: list) -> Any:
    """``template``'s structure with its leaves replaced, in order, by ``leaves``."""
    it = iter(leaves)

    def build(x: Any) -> Any:
        if isinstance(x, (tuple, list)):
            return type(x)(build(item) for item in x)
        return next(it)

    return build(template)


def _is_number(x: Any) -> bool:
    return isinstance(x, (mpmath.mpf, mpmath.mpc, int, float, np.floating, np.complexfloating)) \
        and not isinstance(x, (bool, np.bool_))


def _agree(x1: Any, x2: Any, digits: int) -> bool:
    """Two evaluations of one leaf agree to ``digits`` significant digits (or are equal)."""
    if not (_is_number(x1) and _is_number(x2)):
        return type(x1) is type(x2) and x1 == x2  # None, bools, strings
    if mpmath.isnan(x1) or mpmath.isnan(x2):
        return bool(mpmath.isnan(x1) and mpmath.isnan(x2))
    if x1 == x2:
        return True
    if mpmath.isinf(x1) or mpmath.isinf(x2):
        return False
    return abs(x2 - x1) <= mpmath.mpf(10) ** -(digits + 1) * abs(x2)


def _lost_digits(x: Any, scale: Any) -> int:
    """Digits ``x`` loses to cancellation against ``scale``: log10(scale/|x|), 0 without a scale or a value."""
    if scale is None or not _is_number(x) or not x or not mpmath.isfinite(x):
        return 0
    return max(0, int(math.ceil(float(mpmath.log10(abs(mpmath.mpf(scale)) / abs(x))))))


def _round_off(x: Any, scale: Any, p: int, guard: int) -> bool:
    """``x`` is at the round-off level of numbers of size ``scale`` at ``p`` working digits."""
    return _is_number(x) and not mpmath.isnan(x) and abs(x) <= abs(mpmath.mpf(scale)) * mpmath.mpf(10) ** -(p - guard)
