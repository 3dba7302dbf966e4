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
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from numbers import Rational
from typing import Any, Union

import mpmath
from mpmath import libmp

from numeric.errors import ParameterError

__all__ = ["Exact", "exact", "exact_or_float", "mp", "check_dps", "MAX_DPS", "is_infinite"]

#: an exact parameter value: a rational, or an infinity
Exact = Union[Fraction, float]

#: default upper limit on requested decimal digits (each command may set a lower one,
#: from its cost per digit; see ``check_dps``)
MAX_DPS = 10000

_DECIMAL = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")
_INF = {"inf": math.inf, "+inf": math.inf, "infinity": math.inf, "+infinity": math.inf,
        "-inf": -math.inf, "-infinity": -math.inf, "oo": math.inf, "-oo": -math.inf}


def exact(value: Any, name: str = "value") -> Exact:
    """The exact value of ``value`` (see the module conventions).

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
        if not _DECIMAL.match(text):
            raise ParameterError(name, "a real number", value)
        try:
            return Fraction(Decimal(text))
        except (InvalidOperation, ValueError):  # pragma: no cover - the pattern already checked it
            raise ParameterError(name, "a real number", value) from None
    if isinstance(value, float):
        if math.isnan(value):
            raise ParameterError(name, "a real number", value)
        return value if math.isinf(value) else Fraction(value)
    if isinstance(value, mpmath.mpf):
        if mpmath.isnan(value):
            raise ParameterError(name, "a real number", value)
        if mpmath.isinf(value):
            return math.inf if value > 0 else -math.inf
        man, exp = value.man_exp
        return Fraction(man) * Fraction(2) ** exp
    if type(value).__module__.startswith("sympy"):
        return _sympy_exact(value, name)
    if isinstance(value, Rational):  # numbers.Rational (e.g. gmpy2.mpq)
        return Fraction(int(value.numerator), int(value.denominator))
    if hasattr(value, "dtype") and getattr(value, "shape", None) == ():  # NumPy scalar
        return exact(value.item(), name)
    raise ParameterError(name, "a real number (int, decimal string, Fraction, float, mpf)", value)


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

    >>> with mpmath.workdps(50):
    ...     print(mp(Fraction(1, 3)))
    0.33333333333333333333333333333333333333333333333333
    """
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
        dps, ok = int(dps), True
    if not ok or not 1 <= dps <= limit:
        raise ParameterError(name, f"an integer in [1, {limit}] (larger precision is refused: its cost grows "
                                   "faster than linearly)", dps)
    return dps
