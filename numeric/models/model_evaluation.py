r"""Evaluate a model's values at bound parameters, including parameters set to ``inf`` (limits).

Used by :func:`numeric.models.tight_binding.from_model`.  A value that depends on a
parameter X set to ``inf`` is sampled at exact :math:`X_k = X_0 2^k`
(``k = 0 .. 7``; :math:`X_0 = 2^{16}` in double precision, :math:`2^{p/4}` at
``p`` bits with mpmath) and extrapolated to :math:`h = 1/X \to 0` by a
Neville tableau in :math:`u = h` or, if that does not settle,
:math:`u = h^{1/2}`.  The estimate of the extrapolation error (the last two
tableau entries) must be below ``1e-12`` (double) or :math:`2^{20-p}`
(mpmath) of the largest sample, else the value has no limit the numeric
route can take and :class:`numeric.errors.ParameterError` names it.  A lead
hopping for which :math:`u|t|` tends to a nonzero limit is a wide-band lead:
only :math:`|c|^2/|t|` (must converge) and the potential (must converge)
survive.  Several parameters at ``inf`` tend to infinity together
(:math:`X_1 = X_2 = \dots`).  ``-inf`` samples :math:`-X_k`.

>>> import math
>>> from numeric.precision import DOUBLE
>>> ev = Evaluator({"L": math.inf, "t": 0.5}, ("L",), DOUBLE, "m")
>>> round(float(ev.value("t**2*L/(L + 3)", "x").real), 12)
0.25
"""
from __future__ import annotations

import math
from dataclasses import replace
from typing import Any, Mapping, Sequence

import mpmath
import numpy as np

from numeric.errors import ParameterError
from numeric.precision import DOUBLE_MAX, Backend, as_backend
from numeric.models.expressions import ExactConstant, Expression, ExpressionError, parse

__all__ = ["Evaluator", "neville_at_zero", "SAMPLES"]

#: number of samples X_k of a parameter at inf
SAMPLES = 8


def neville_at_zero(us: Sequence[Any], fs: Sequence[Any]) -> tuple[Any, Any]:
    """Polynomial extrapolation of f(u_k) to u = 0: (value, error estimate); arrays elementwise.

    >>> v, e = neville_at_zero([1e-3, 5e-4, 2.5e-4, 1.25e-4], [1 + u + u * u for u in (1e-3, 5e-4, 2.5e-4, 1.25e-4)])
    >>> round(v, 14), e < 1e-14
    (1.0, True)
    """
    P = list(fs)
    prev = P[0]
    n = len(P)
    for m in range(1, n):
        prev = P[0]
        P = [(us[i] * P[i + 1] - us[i + m] * P[i]) / (us[i] - us[i + m]) for i in range(n - m)]
    return P[0], abs(P[0] - prev) if not isinstance(P[0], np.ndarray) else np.abs(P[0] - prev)


def _literals(tree: tuple) -> list:
    """The numbers written in a parsed expression (exact Fractions), without recursion."""
    found, stack = [], [tree]
    while stack:
        t = stack.pop()
        if t[0] == "num":
            found.append(t[1])
        stack.extend(sub for sub in t[1:] if isinstance(sub, tuple))
    return found


class Evaluator:
    """Values of one model at bound parameters (``bound`` from :func:`numeric.models.tight_binding.bind_parameters`)."""

    def __init__(self, bound: Mapping[str, Any], infinite: Sequence[str], backend: Backend | str, source: str, *,
                 exact_values: Mapping[str, Any] | None = None) -> None:
        xp = as_backend(backend)
        self.bound, self.infinite, self.xp, self.source = dict(bound), tuple(infinite), xp, source
        self.exact_values = dict(exact_values) if exact_values is not None else None
        self._parsed: dict[str, Expression] = {}
        # samples X_0 2^k and the extrapolation tolerance (module doc): fixed in double, from the working
        # precision's bits in mpmath
        bits = xp.bits()  # None: doubles
        first, self.tol = (16, 1e-12) if bits is None else (bits // 4, xp.num(2) ** (20 - bits))
        self.X = [xp.num(2) ** (first + k) for k in range(SAMPLES)]

    # -- parsing and plain evaluation
    def expr(self, text: str, what: str) -> Expression:
        if text not in self._parsed:
            try:
                e = parse(text)
                e.check_names(list(self.bound) + ["omega"])
            except ExpressionError as exc:
                raise ParameterError(f"{self.source}: {what}", "an expression in the declared parameters and omega",
                                     f"{text!r}: {exc.reason}") from None
            if self.xp.vectorised and any(abs(q) > DOUBLE_MAX for q in _literals(e.tree)):
                raise ParameterError(f"{self.source}: {what}", f"written with numbers |x| <= {DOUBLE_MAX:.4g} in "
                                     "double precision (larger values need dps)", repr(text))
            self._parsed[text] = e
        return self._parsed[text]

    def _eval(self, e: Expression, env: Mapping[str, Any]) -> Any:
        return e.evaluate(env, backend=self.xp)

    def _samples(self, e: Expression, extra: Mapping[str, Any]) -> list:
        out = []
        for X in self.X:
            env = dict(self.bound)
            env.update(extra)
            for name in self.infinite:
                env[name] = X if self.bound[name] > 0 else -X
            out.append(self._eval(e, env))
        return out

    def _limit(self, samples: list, what: str, *, allow_infinite: bool = False) -> Any:
        """Extrapolated limit of samples; ``math.inf`` for divergence when ``allow_infinite``."""
        scale = max(_maxabs(s) for s in samples)
        for power in (1, 0.5):
            us = [self._h(X) ** power for X in self.X]
            v, err = neville_at_zero(us, samples)
            if _maxabs(err) <= self.tol * max(scale, self.xp.tiny()):
                return v
        if allow_infinite:
            for power in (1, 0.5):
                us = [self._h(X) ** power for X in self.X]
                scaled = [u * s for u, s in zip(us, samples)]
                v, err = neville_at_zero(us, scaled)
                sc = max(_maxabs(s) for s in scaled)
                if _maxabs(err) <= self.tol * sc and _minabs(v) > 1e3 * self.tol * sc:
                    return math.inf
        names = ", ".join(self.infinite)
        raise ParameterError(f"{self.source}: {names}", f"a parameter whose value inf the numeric route can take "
                             f"(the {what} has no limit as {names} -> inf that extrapolation in 1/{names} settles)",
                             "inf")

    def _h(self, X):
        return 1 / X

    def _check_finite(self, v: Any, what: str, text: str) -> Any:
        if not np.all(self.xp.isfinite(v)):
            raise ParameterError(f"{self.source}: {what}", "finite at the given parameters", f"{text!r}")
        return v

    def _check_real_potential(self, eps: Any, t: Any, what: str, text: str) -> None:
        """A lead is a Hermitian chain: its potential must be real (loss belongs to the region's sites)."""
        rel = self.xp.pick(1e-12, mpmath.mpf(10) ** (8 - mpmath.mp.dps))
        if _maxabs(self.xp.imag(eps)) > rel * (_maxabs(eps) + _maxabs(t)):
            raise ParameterError(f"{self.source}: {what} potential", "real at the given parameters (a lead is "
                                 "a Hermitian chain: put complex energies on region [sites])", f"{text!r}")

    def _value_at(self, e: Expression, extra: Mapping[str, Any], what: str, *, allow_infinite: bool = False):
        if self.infinite and e.names & set(self.infinite):
            return self._limit(self._samples(e, extra), what, allow_infinite=allow_infinite)
        env = dict(self.bound)
        env.update(extra)
        return self._eval(e, env)

    # -- public
    def value(self, text: str, what: str, *, conj: bool = False) -> Any:
        """The value of ``text``; a function of omega if it depends on omega."""
        e = self.expr(text, what)
        cj = self.xp.conj if conj else (lambda z: z)
        if "omega" in e.names:
            def f(omega):
                return cj(self._check_finite(self._value_at(e, {"omega": omega}, what), what, text))
            return f
        return cj(self._check_finite(self._value_at(e, {}, what), what, text))

    def length(self, segment: Mapping[str, Any]) -> int:
        """The integer length of a segment (exact arithmetic)."""
        text, what = str(segment["length"]), f"segment {segment['name']} length"
        e = self.expr(text, what)
        if "omega" in e.names:
            raise ParameterError(f"{self.source}: {what}", "an integer expression in the parameters", text)
        env = {k: v for k, v in self.bound.items()}
        try:
            L = e.evaluate(env, backend="exact")
        except ExpressionError as exc:
            raise ParameterError(f"{self.source}: {what}", "an integer >= 0", f"{text!r}: {exc.reason}") from None
        if L.denominator != 1 or L < 0:
            raise ParameterError(f"{self.source}: {what}", "an integer >= 0", f"{text} = {L}")
        return int(L)

    def _exact_band(self, et: Expression, ee: Expression, extra: Mapping[str, Any]):
        """(potential, |hopping|) exactly (Fractions) when both are rational at the exact values, else None.

        The mpmath solver decides with them whether omega is at a band edge exactly
        (:func:`numeric.models.greens.lead_terms`).
        """
        t, eps = _exact_or_none(self, et, extra), _exact_or_none(self, ee, extra)
        return None if t is None or eps is None or t == 0 else (eps, abs(t))

    def leads(self, specs: Sequence[tuple[Mapping[str, Any], int]], Lead: type):
        """(leads, omega_leads): constant leads, or a function of omega giving them (``Lead``: the
        lead class of :mod:`numeric.models.tight_binding`, passed in so that this module never imports it)."""
        exprs = [(ld, site, [self.expr(str(ld[k]), f"lead {ld['name']} {k}") for k in ("hopping", "potential",
                                                                                         "coupling")])
                 for ld, site in specs]
        dynamic = any("omega" in e.names for _, _, es in exprs for e in es)

        def build(extra: Mapping[str, Any]) -> tuple:
            out = []
            for ld, site, (et, ee, ec) in exprs:
                out.append(self._lead(Lead, ld["name"], site, et, ee, ec, extra))
            return tuple(out)

        if dynamic:
            return (), (lambda omega: build({"omega": omega}))
        return build({}), None

    def _lead(self, Lead, name: str, site: int, et: Expression, ee: Expression, ec: Expression, extra):
        what = f"lead {name}"
        inf = set(self.infinite)
        if not inf or not ((et.names | ee.names | ec.names) & inf):
            t, eps, c = (self._check_finite(self._value_at(e, extra, what), f"{what} {k}", e.text)
                         for e, k in ((et, "hopping"), (ee, "potential"), (ec, "coupling")))
            if _minabs(t) == 0:
                raise ParameterError(f"{self.source}: {what} hopping", "nonzero", et.text)
            self._check_real_potential(eps, t, what, ee.text)
            return replace(Lead.make(name, site, t, eps, c), exact_band=self._exact_band(et, ee, extra))
        ts, es, cs = (self._samples(e, extra) for e in (et, ee, ec))
        t_lim = self._limit([abs(t) for t in ts], f"{what} hopping", allow_infinite=True)
        eps = self._limit(es, f"{what} potential")
        self._check_real_potential(eps, 1, what, ee.text)
        strength = self._limit([abs(c) ** 2 / abs(t) for c, t in zip(cs, ts)], f"{what} coupling^2/hopping")
        if isinstance(t_lim, float) and math.isinf(t_lim):
            return Lead.wide_band(name, site, eps, self.xp.real(strength))
        t = self._limit(ts, f"{what} hopping")
        c = self._limit(cs, f"{what} coupling")
        return Lead.make(name, site, t, eps, c)


def _exact_or_none(self_: "Evaluator", e: Expression, extra: Mapping[str, Any]):
    """``e`` in exact rational arithmetic at the exact parameter values, or None (irrational, complex)."""
    if self_.exact_values is None or extra or self_.infinite:
        return None
    if any(isinstance(v, ExactConstant) for v in self_.exact_values.values()):
        return None  # pi, sqrt(2): a Fraction only approximates them, and exact arithmetic would use that
    try:
        return e.evaluate(self_.exact_values, backend="exact")
    except (ExpressionError, ParameterError, ZeroDivisionError, TypeError, ValueError, KeyError):
        return None


def _maxabs(x: Any) -> float:
    if isinstance(x, (mpmath.mpf, mpmath.mpc)):
        return abs(x)
    return float(np.max(np.abs(x))) if np.size(x) else 0.0


def _minabs(x: Any) -> float:
    if isinstance(x, (mpmath.mpf, mpmath.mpc)):
        return abs(x)
    return float(np.min(np.abs(x))) if np.size(x) else 0.0
