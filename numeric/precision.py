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
from typing import Any, Callable, TypeVar, Union

import mpmath
import numpy as np
from mpmath import libmp

from numeric.errors import ParameterError

__all__ = ["Exact", "exact", "exact_or_float", "mp", "check_dps", "MAX_DPS", "is_infinite", "Backend",
           "DOUBLE", "MULTI", "stable_digits", "PrecisionError", "MAX_DECIMAL_EXPONENT", "decimal_fraction"]

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
    :class:`numeric.expressions.ExactConstant`, an exact ``pi``) is evaluated at the working precision.

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
    """The arithmetic of one precision: NumPy arrays of doubles, or mpmath scalars.

    An algorithm written once over ``xp: Backend`` uses Python operators and
    these elementwise functions only; ``xp.where(condition, a, b)`` selects
    (both ``a`` and ``b`` are evaluated).  ``xp.name`` ("numpy"/"mpmath")
    picks the generated evaluators of the same precision.  Add a function
    here when an algorithm needs it.

    >>> DOUBLE.where(np.array([True, False]), 1.0, 2.0), MULTI.where(False, 1, 2)
    (array([1., 2.]), 2)
    """

    name: str
    exp: Callable
    expm1: Callable
    where: Callable


#: NumPy, elementwise on arrays of doubles
DOUBLE = Backend("numpy", np.exp, np.expm1, np.where)
#: mpmath scalars at the current working precision (call inside ``mpmath.workdps``)
MULTI = Backend("mpmath", mpmath.exp, mpmath.expm1, lambda cond, a, b: a if cond else b)


class PrecisionError(ArithmeticError):
    """The requested digits were not stable up to the largest working precision allowed."""


Values = TypeVar("Values")


def stable_digits(evaluate: Callable[[], Values], digits: int, *, guard: int = 10, limit: int | None = None,
                  zero_scale: Any = None, what: str = "the result") -> Values:
    r"""``evaluate()`` at increasing working precision until ``digits`` significant digits are stable.

    ``evaluate`` is called inside ``mpmath.workdps(p)`` for
    :math:`p_0 = D + g` (D = ``digits``, g = ``guard``) and
    :math:`p_{j+1} = p_j + \max(g, p_j/2)`, and returns numbers (mpf, mpc,
    int, float), ``None`` or bools, possibly nested in tuples/lists.  Two
    successive evaluations agree on a number when

    .. math:: |x_{j+1} - x_j| \le 10^{-(D+1)}\,|x_{j+1}|

    (the error of :math:`x_j` is estimated by the difference; that of
    :math:`x_{j+1}` is smaller by about :math:`10^{p_j - p_{j+1}}`), or when
    both are equal (including ``None``, NaN and infinities).  With
    ``zero_scale`` a number is an exact zero when it is round-off at both
    precisions: :math:`|x_j| \le s\,10^{-(p_j-g)}`,
    :math:`|x_{j+1}| \le s\,10^{-(p_{j+1}-g)}` and it shrinks with the
    precision, :math:`|x_{j+1}| \le |x_j|\,10^{-(p_{j+1}-p_j)/2}` (s =
    ``zero_scale``, the natural scale of the numbers); it is returned as 0.

    Returns the last evaluation (mpf/mpc at its working precision, of which
    at least D significant digits are right).  Raises :class:`PrecisionError`
    when the digits are not stable with a working precision up to ``limit``
    (default :math:`4D + 100`).

    >>> third = stable_digits(lambda: mpmath.mpf(1) / 3, 30)
    >>> mpmath.nstr(third, 30)
    '0.333333333333333333333333333333'
    >>> tiny = stable_digits(lambda: (1 + mpmath.mpf(10) ** -40) - 1, 20)  # cancellation: more digits
    >>> mpmath.nstr(tiny, 20)
    '1.0e-40'
    >>> stable_digits(lambda: mpmath.mpf(2) ** -mpmath.mp.prec, 20, zero_scale=1)
    mpf('0.0')
    """
    limit = 4 * digits + 100 if limit is None else limit
    p = digits + guard
    with mpmath.workdps(p):
        previous = evaluate()
    while True:
        q = p + max(guard, p // 2)
        if q > limit:
            raise PrecisionError(f"{what}: {digits} digits were not stable up to {p} working digits "
                                 f"(limit {limit})")
        with mpmath.workdps(q):
            current = evaluate()
            ok, snapped = _compare(previous, current, digits, (p, q), guard, zero_scale)
        if ok:
            return snapped
        previous, p = current, q


def _compare(x1: Any, x2: Any, digits: int, precisions: tuple[int, int], guard: int, zero_scale: Any):
    """(agree, x2 with round-off zeros replaced by 0) for two evaluations of the same structure."""
    if isinstance(x2, (tuple, list)):
        pairs = [_compare(a, b, digits, precisions, guard, zero_scale) for a, b in zip(x1, x2, strict=True)]
        return all(ok for ok, _ in pairs), type(x2)(v for _, v in pairs)
    if x1 is None or x2 is None or isinstance(x2, (bool, np.bool_, str)):
        return x1 == x2, x2
    if mpmath.isnan(x1) or mpmath.isnan(x2):
        return bool(mpmath.isnan(x1) and mpmath.isnan(x2)), x2
    if x1 == x2:
        return True, x2
    if mpmath.isinf(x1) or mpmath.isinf(x2):
        return False, x2
    if abs(x2 - x1) <= mpmath.mpf(10) ** -(digits + 1) * abs(x2):
        return True, x2
    if zero_scale is not None:
        (p1, p2), ten = precisions, mpmath.mpf(10)
        if abs(x1) <= zero_scale * ten ** -(p1 - guard) and abs(x2) <= zero_scale * ten ** -(p2 - guard) \
                and abs(x2) <= abs(x1) * ten ** (-(p2 - p1) / 2):
            return True, type(x2)(0)
    return False, x2
