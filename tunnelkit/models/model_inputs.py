"""Values given to a :class:`tunnelkit.models.model.Model` at its edge: frequencies and lead reservoirs.

Each is read once, exactly (:func:`numeric.precision.exact`: a decimal string is a rational, a float its
binary value); a bad value is a :class:`ModelError` of one line.
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Mapping

import numpy as np

from numeric.errors import ParameterError
from numeric.models.model_currents import Reservoir
from numeric.precision import exact

__all__ = ["ModelError", "as_list", "omega_floats", "rational_or", "reservoir", "quantity_names", "parameter_value"]


class ModelError(ValueError):
    """Bad use of a model (unknown parameter, missing value, unknown quantity): one line."""


def as_list(omega: Any) -> list:
    if isinstance(omega, (str, int, float)) or np.ndim(omega) == 0:
        return [omega]
    return list(omega)


def omega_floats(omega: Any) -> np.ndarray:
    if isinstance(omega, np.ndarray) and omega.dtype.kind in "fiu":  # doubles are their own exact values
        w = np.atleast_1d(omega.astype(float))
        if not np.all(np.isfinite(w)):
            raise ModelError("omega must be finite")
        return w
    vals = []
    for x in as_list(omega):
        v = exact(x, "omega")
        if isinstance(v, float):
            raise ModelError("omega must be finite")
        vals.append(float(v))
    return np.asarray(vals, dtype=float)


def reservoir(name: str, spec: Any) -> Reservoir:
    if isinstance(spec, Reservoir):
        return spec
    if isinstance(spec, Mapping):
        unknown = sorted(set(spec) - {"mu", "T"})
        if unknown:
            raise ModelError(f"lead {name}: unknown key {unknown[0]!r} (allowed: mu, T)")
        mu, T = spec.get("mu", -math.inf), spec.get("T", 0.0)
    elif isinstance(spec, (tuple, list)):
        mu, T = (list(spec) + [0.0])[:2]
    else:
        mu, T = spec, 0.0
    try:
        mu_v, T_v = exact(mu, f"lead {name} mu"), exact(T, f"lead {name} T")
    except ParameterError as exc:
        raise ModelError(str(exc)) from None
    try:
        return Reservoir(float(mu_v), float(T_v))
    except OverflowError:  # a finite value beyond the doubles (the reservoirs are evaluated in double precision)
        raise ModelError(f"lead {name}: mu and T must be within the double range |x| <= 1.798e+308 "
                         f"(or mu = +-inf; got mu = {mu}, T = {T})") from None


def quantity_names(quantities: Any) -> list[str]:
    """A quantity name or an iterable of names as a list (a string is one name, never its characters)."""
    if isinstance(quantities, str):
        return [quantities]
    expected = 'a quantity name ("T2:L->R") or a list of names (["T2:L->R", "R2:L"])'
    try:
        names = list(quantities)
    except TypeError:
        raise TypeError(f"quantities: expected {expected} (got {type(quantities).__name__})") from None
    bad = [q for q in names if not isinstance(q, str)]
    if bad:
        raise TypeError(f"quantities: expected {expected} (got an item of type {type(bad[0]).__name__})")
    return names


def rational_or(value: Any, evaluated: Any) -> Any:
    """The exact rational value of a parameter, or its value at the working precision (``evaluated``) when
    it is not rational (``pi``, ``sqrt(2)/2``: :class:`numeric.models.expressions.ExactConstant`)."""
    v = exact(value)
    return v if type(v) in (Fraction, int) else evaluated


def parameter_value(name: str, value: Any, kind: str = "real") -> Any:
    """A parameter value as given to a model, read once and exactly.

    A plain decimal string or ``inf`` stays text (read exactly downstream); any other constant expression of
    the model language (``pi``, ``sqrt(2)/2``, ``2**-10``) becomes :func:`numeric.models.expressions.constant_value`
    (a Fraction, or an :class:`numeric.models.expressions.ExactConstant` exact at every precision); a complex
    parameter keeps its text, and a value that is not a string is returned as it is.

    Parameters
    ----------
    name : str
        The parameter (for messages).
    value : str or number
    kind : {"real", "integer", "complex"}

    Returns
    -------
    str, Fraction, ExactConstant or number

    Raises
    ------
    ModelError
        A value with names in it, or one that is not a number of the language (one line).

    >>> parameter_value("phi", "pi"), parameter_value("t", "1/4"), parameter_value("g", "0.1")
    (ExactConstant('pi'), Fraction(1, 4), '0.1')
    """
    from numeric.models.expressions import ExpressionError, constant_value, excerpt, parse

    if not isinstance(value, str) or kind == "complex":
        return value
    try:
        exact(value, name)
        return value
    except ValueError:
        pass
    got = f"{name} must be a real number (got {value if len(value) <= 60 else excerpt(value)})"
    try:
        names = parse(value).names
        if names:
            hint = "the imaginary unit is I; " if {"i", "j"} & names else ""
            raise ModelError(f"{got}: names are not allowed in a value ({hint}numbers, + - * / ** ^, sqrt exp cos "
                             "sin, I, pi)")
        return constant_value(value)
    except ExpressionError as exc:
        if "decimal exponent" in exc.reason:  # a decimal beyond the limit: refused downstream, with the range
            return value
        raise ModelError(f"{got}: {exc.reason}") from None
