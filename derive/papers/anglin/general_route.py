r"""The paper's lattice as a general model (:mod:`derive.models.symbolic_model`), in the paper's variables.

The lattice of ``anglin`` (corrected weak-link placement, erratum anglin:2) is one model of the
model-file format (``examples/models/anglin_lattice.toml``): a lossy site :math:`c`
(:math:`-i\gamma/2`) between two segments of M sites (hopping -1), weak links
:math:`-\tau_1\sqrt\Lambda` from the outer segment ends to leads of hopping :math:`-\Lambda` and
potentials :math:`\pm V/2`; for M = 0 the lossy site alone carries both leads.  This module gives
the general closed forms of that model written in the paper's variables (:math:`\omega = -2\cos k`,
:math:`z_{L,R} = e^{ik_{L,R}}`, Chebyshev polynomials of :math:`\pm\cos k` as sines), so that they
can be compared with the paper-specific derivation (``tests/derive/papers/test_tight_binding_anglin.py``)
and with the printed equations (registry entry ``anglin:lattice-as-model``).

>>> general_form("T2:L->R", 0, infinite=True).free_symbols == {k, tau1, gamma}
True
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

from derive.papers.anglin.symbols import M, gamma, k, kL, kR, tau1
from derive.claims.proof import exact_random_zero, exp_canonical
from derive.models.symbolic_model import SymbolicModel

__all__ = ["lattice_model", "general_form", "identical"]


def lattice_model(segments: bool) -> dict:
    """The lattice as a model dict: segments of length M, or (``segments=False``) M = 0, the lossy site alone.

    Parameters
    ----------
    segments : bool
        Two segments of symbolic length M (the model file's form), or none (M = 0).

    Returns
    -------
    dict
        A model dict (``docs/model-files.md``); with segments it equals the normalised
        ``examples/models/anglin_lattice.toml`` up to names and descriptions.
    """
    par = {"tau1": {"range": "> 0"}, "gamma": {"range": ">= 0"}, "Lambda": {"range": ">= 1"}, "V": {}}

    def lead(name, site, potential):
        return {"name": name, "site": site, "hopping": "-Lambda", "potential": potential,
                "coupling": "-tau1*sqrt(Lambda)"}

    if not segments:
        return {"name": "anglin0", "parameters": par, "sites": {"c": "-I*gamma/2"},
                "leads": [lead("L", "c", "V/2"), lead("R", "c", "-V/2")]}
    par["M"] = {"kind": "integer", "range": ">= 1"}
    return {"name": "anglin", "parameters": par, "sites": {"c": "-I*gamma/2"},
            "segments": [{"name": "left", "length": "M", "energy": "0", "hopping": "-1"},
                         {"name": "right", "length": "M", "energy": "0", "hopping": "-1"}],
            "hoppings": [{"sites": ["left.last", "c"], "value": "-1"}, {"sites": ["c", "right.first"], "value": "-1"}],
            "leads": [lead("L", "left.first", "V/2"), lead("R", "right.last", "-V/2")]}


@lru_cache(maxsize=None)
def _model(segments: bool) -> SymbolicModel:
    return SymbolicModel(lattice_model(segments))


def general_form(name: str, m_value: int | None, *, infinite: bool) -> sp.Basic:
    r"""A general closed form of the lattice in the variables :math:`k, k_L, k_R, \tau_1, \gamma, M`.

    Parameters
    ----------
    name : str
        A model quantity (``"T2:L->R"``, ``"R2:L"``, ``"absorbed:L"``, ...).
    m_value : int or None
        M (0 is the lossy site alone), or None for the symbolic M of the segments.
    infinite : bool
        Take :math:`\Lambda\to\infty` (``sympy.limit`` of the lead self-energies).

    Returns
    -------
    sympy.Expr
        The quantity with :math:`\omega = -2\cos k`, :math:`z_{L,R} = e^{ik_{L,R}}` and
        :math:`U_n(\pm\cos k) = (\pm1)^n\sin((n+1)k)/\sin k`, powers of -1 as :math:`e^{i\pi n}`.
    """
    mod = _model(m_value != 0)
    where = {} if m_value in (0, None) else {"M": m_value}
    if infinite:
        where["Lambda"] = "inf"
    expr = mod.quantity(name, where=where)
    rep = {mod.omega: -2 * sp.cos(k), sp.Symbol("z_L"): sp.exp(sp.I * kL), sp.Symbol("z_R"): sp.exp(sp.I * kR),
           mod.symbols["tau1"]: tau1, mod.symbols["gamma"]: gamma}
    if "M" in mod.symbols:
        rep[mod.symbols["M"]] = M
    expr = expr.xreplace(rep)

    def chebyshev_u(u):  # U_n(+-cos k) = (+-1)^n sin((n+1)k)/sin k
        n, arg = u.args
        sign = {sp.cos(k): 1, -sp.cos(k): sp.exp(sp.I * sp.pi * n)}[arg]
        return sign * sp.sin((n + 1) * k) / sp.sin(k)

    expr = expr.replace(lambda e: isinstance(e, sp.chebyshevu), chebyshev_u)
    return expr.replace(lambda e: e.is_Pow and e.base == -1, lambda e: sp.exp(sp.I * sp.pi * e.exp))


def identical(a: sp.Basic, b: sp.Basic, angles, integers=()) -> bool:
    """``a == b`` identically: exponential-polynomial canonical form, exact random-point test.

    Parameters
    ----------
    a, b : sympy.Expr
        Expressions in the ``angles`` (real) and ``integers`` (e.g. M).
    angles, integers : sequence of Symbol

    Returns
    -------
    bool
        Whether ``a - b`` vanishes (:func:`derive.claims.proof.exact_random_zero`, Schwartz-Zippel).

    >>> identical(sp.sin(2 * k), 2 * sp.sin(k) * sp.cos(k), [k])
    True
    """
    return exact_random_zero(exp_canonical(a - b, angles, integers, cancel=False))
