r"""The lossy lattice of the paper ``anglin`` as a bundled model file: one :class:`~tunnelkit.models.model.Model`.

The built-in lattice commands and functions (``--M/--tau1/--gamma/--Lambda/--V``) are sugar for this
model: a middle chain of :math:`2M+1` sites (hopping 1, ``H = -1`` on its bonds) with loss
:math:`\gamma` on the central site, weak links :math:`\tau_1\sqrt\Lambda` (corrected placement,
erratum ``anglin:2``) to outer lattices of hopping :math:`\Lambda` at potentials :math:`\pm V/2`;
:math:`\Lambda=\infty` is the reservoir limit.  M = 0 is the lossy site alone with both leads on it
(``models_data/anglin_lossy_site.toml``), M >= 1 the chain (``models_data/anglin_lattice.toml``, the
same file as ``examples/models/anglin_lattice.toml``).

The paper's quantities come from the model's (docs/conventions.md): ``T2`` = ``T2:L->R``, ``RL2`` =
``R2:L``, ``RR2`` = ``R2:R``, ``absorbed_L`` = ``absorbed:L``, ``transport_L`` = :math:`1 + X_L|T|^2 -
|R_L|^2` = ``2 T2 + absorbed:L`` (flux balance, no cancellation; X_L = 1 where the right lead propagates,
else T2 = 0), and the paper's current :math:`I = (I_L - I_R)/2` (Eq. 22/38, the combination integrated as
one column, so its Q is finite where the leads' divergences cancel), ``loss`` = :math:`I_L + I_R`.

>>> lattice_model(2, "0.1", "0.5", "inf").values["M"], lattice_model(0, "0.1", "0.5", 1).lead_names
(2, ('L', 'R'))
>>> lat = LossyLattice(M=2, tau1="0.1", gamma=5, Lambda="inf", V=1.0)
>>> lat.infinite, lat.tau1, lat.exact.tau1
(True, 0.1, Fraction(1, 10))
>>> tr = transmission(LossyLattice(M=2, tau1=0.1, gamma=0.0, Lambda=1.0), [-1.0, 0.3])
>>> bool(np.allclose(tr.T2 + tr.RL2, 1.0))
True
>>> mpmath.nstr(transmission(LossyLattice(0, "0.1", "0.5", "inf"), ["0"], dps=30).T2[0], 30)  # 4/729
'0.00548696844993141289437585733882'
"""
from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple, Sequence

import mpmath
import numpy as np

from numeric.errors import ParameterError, require
from numeric.precision import Exact, exact, is_infinite, is_unsettled, mp
from tunnelkit.models.model import Model

__all__ = ["lattice_model", "MODEL_FILES", "LossyLattice", "ExactParameters", "Transmission", "Currents",
           "CurrentCurve", "BoundState", "transmission", "currents", "current_curve", "bias_curve", "bound_states",
           "DOUBLE_RANGE", "DOUBLE_MAX_OMEGA", "MAX_DPS"]

#: parameter -> (smallest, largest) magnitude the double-precision route accepts (0 and inf where the model
#: allows them), with |omega| <= DOUBLE_MAX_OMEGA: the model route's closed form checked at the corners against
#: exact arithmetic (README, "Conventions and units"); outside it use dps=
DOUBLE_RANGE = {"tau1": (1e-12, 1e12), "gamma": (0.0, 1e12), "Lambda": (1.0, 1e12), "V": (0.0, 1e12)}
DOUBLE_MAX_OMEGA = 1e20
#: largest dps= of :func:`transmission` (the model route's mpmath closed form, measured: benchmarks/README.md)
MAX_DPS = 10000

#: the bundled model files: the chain (M >= 1) and the lossy site alone (M = 0)
MODEL_FILES = {"chain": "anglin_lattice.toml", "site": "anglin_lossy_site.toml"}


@lru_cache(maxsize=None)
def _base(kind: str) -> Model:
    path = resources.files("tunnelkit") / "models_data" / MODEL_FILES[kind]
    with resources.as_file(path) as p:
        return Model.from_file(p)


def lattice_model(M: Any, tau1: Any, gamma: Any, Lambda: Any = "inf", V: Any = 0) -> Model:
    r"""The lattice with these parameter values (exact: decimal strings, ints, Fractions, ``"inf"``).

    Parameters
    ----------
    M : int
        Half length of the middle chain (>= 0; 0: the lossy site alone).
    tau1, gamma, Lambda, V
        Weak link (> 0), loss rate (>= 0), outer hopping (>= 1 or ``"inf"``), potential difference.

    Returns
    -------
    tunnelkit.models.model.Model
        The bundled model with the values set (ranges checked when it is evaluated).
    """
    values = {"tau1": tau1, "gamma": gamma, "Lambda": Lambda, "V": V}
    if isinstance(M, int) and not isinstance(M, bool) and M == 0:
        return _base("site").with_params(values)
    return _base("chain").with_params(M=M, **values)


# ----------------------------------------------------------------------------- the parameters

class ExactParameters(NamedTuple):
    """Exact values (:class:`fractions.Fraction`, or ``math.inf`` for Lambda) of the lattice parameters."""

    tau1: Exact
    gamma: Exact
    Lambda: Exact
    V: Exact


_RULES = {"tau1": ("a finite number > 0", lambda x: x > 0), "gamma": ("a finite number >= 0", lambda x: x >= 0),
          "Lambda": ("a number >= 1 (inf allowed)", lambda x: x >= 1), "V": ("a finite number", lambda x: True)}


def _checked(name: str, value: Any) -> Exact:
    v = exact(value, name)
    allowed, ok = _RULES[name]
    if (is_infinite(v) and not (name == "Lambda" and v > 0)) or not ok(v):
        raise ParameterError(name, allowed, value)
    return v


def _double(x: Exact) -> float:
    try:
        return float(x)
    except OverflowError:
        return math.inf


@dataclass(frozen=True)
class LossyLattice:
    """Parameters of the lossy lattice (anglin:1-3, corrected weak-link placement); :meth:`model` is the Model.

    ``tau1``, ``gamma``, ``Lambda``, ``V`` may be ints, decimal strings, Fractions, mpf or floats (a float is
    its exact binary value); ``lat.tau1`` ... are the nearest doubles, ``lat.exact`` the exact values.

    Parameters
    ----------
    M : int
        Half length of the middle chain (2M+1 sites), >= 0.
    tau1 : number
        Weak-link strength, > 0.
    gamma : number
        Loss rate at the central site, >= 0.
    Lambda : number
        Outer hopping, >= 1 or ``"inf"`` (the reservoir limit).
    V : number
        Potential difference between the outer lattices (+V/2 left, -V/2 right).

    >>> LossyLattice(M=-1, tau1=0.1, gamma=0.5)
    Traceback (most recent call last):
    ...
    numeric.errors.ParameterError: M must be an integer >= 0 (got -1)
    """

    M: int
    tau1: float
    gamma: float
    Lambda: float = 1.0
    V: float = 0.0
    exact: ExactParameters = field(init=False, repr=False)

    def __post_init__(self) -> None:
        integral = isinstance(self.M, (int, np.integer)) or (isinstance(self.M, float) and self.M.is_integer())
        if isinstance(self.M, bool) or not integral or self.M < 0:
            raise ParameterError("M", "an integer >= 0", self.M)
        object.__setattr__(self, "M", int(self.M))
        ex = ExactParameters(*(_checked(n, getattr(self, n)) for n in ExactParameters._fields))
        object.__setattr__(self, "exact", ex)
        for name, value in zip(ExactParameters._fields, ex):
            object.__setattr__(self, name, _double(value))

    @property
    def infinite(self) -> bool:
        """True in the reservoir limit Lambda -> oo."""
        return math.isinf(self.Lambda)

    def lead_band(self, side: str) -> tuple[float, float]:
        """Band of the outer lattice on ``side`` ("L" or "R"): :math:`\\pm V/2 + [-2\\Lambda, 2\\Lambda]`."""
        shift = self.V / 2 if side == "L" else -self.V / 2
        return (shift - 2 * self.Lambda, shift + 2 * self.Lambda)

    def exact_lead_band(self, side: str) -> tuple[Exact, Exact]:
        """The band of :meth:`lead_band`, exact (``-inf, inf`` in the reservoir limit)."""
        if is_infinite(self.exact.Lambda):
            return -math.inf, math.inf
        shift = self.exact.V / 2 if side == "L" else -self.exact.V / 2
        return shift - 2 * self.exact.Lambda, shift + 2 * self.exact.Lambda

    def model(self, *, V: Any = None) -> Model:
        """The bundled lattice model (:func:`lattice_model`) with these exact values (``V`` replaced if given)."""
        ex = self.exact
        Lam = "inf" if is_infinite(ex.Lambda) else ex.Lambda
        return lattice_model(self.M, ex.tau1, ex.gamma, Lam, ex.V if V is None else V)

    def check_double_range(self) -> None:
        """Raise :class:`ParameterError` unless every parameter is in :data:`DOUBLE_RANGE` (or 0 / inf where allowed).

        >>> LossyLattice(1, "1e-200", 0.5).check_double_range()
        Traceback (most recent call last):
        ...
        numeric.errors.ParameterError: tau1 must be in [1e-12, 1e+12] in double precision (use dps= / --dps for other values) (got 1e-200)
        """
        for name, value in zip(ExactParameters._fields, self.exact):
            lo, hi = DOUBLE_RANGE[name]
            size = abs(value)
            if size == 0 or (name == "Lambda" and is_infinite(size)):
                continue
            if not (exact(f"{lo:g}") <= size <= exact(f"{hi:g}")):  # the decimal bounds, exactly
                with mpmath.workdps(15):
                    shown = float(value) if Fraction(10) ** -300 < size < Fraction(10) ** 300 else \
                        mpmath.nstr(mp(value), 6)
                raise ParameterError(name, f"in [{lo:g}, {hi:g}] in double precision (use dps= / --dps for "
                                           f"other values)", shown)


# ----------------------------------------------------------------------------- transmission

@dataclass(frozen=True)
class Transmission:
    """The lattice's probabilities over ``omega`` in the paper's names (NumPy arrays; object arrays of mpf with dps).

    ``T2`` = :math:`|T|^2` (0 unless both leads propagate), ``RL2``/``RR2`` = :math:`|R_{L,R}|^2`,
    ``transport_L`` = :math:`1 + X_L|T|^2 - |R_L|^2`, ``absorbed_L`` the probability absorbed from the left
    (NaN where that side has no incident wave), ``incident_L``/``incident_R`` where a side propagates;
    ``method`` the Model's route ("closed" or "direct"), ``dps`` the correct digits (None: doubles).
    """

    omega: np.ndarray
    T2: np.ndarray
    RL2: np.ndarray
    RR2: np.ndarray
    transport_L: np.ndarray
    transport_R: np.ndarray
    absorbed_L: np.ndarray
    absorbed_R: np.ndarray
    incident_L: np.ndarray
    incident_R: np.ndarray
    method: str = "closed"
    dps: int | None = None


def _transport(T2: Any, absorbed: Any, dps: int | None = None) -> Any:
    """:math:`2|T|^2 + a` per point (NaN stays NaN; an unsettled term makes the value unsettled); mpf values
    summed at ``dps`` plus guard digits (both terms are >= 0: no cancellation), not at mpmath's global 15."""
    if isinstance(T2, np.ndarray) and T2.dtype != object:
        return 2.0 * T2 + absorbed
    with mpmath.workdps((dps or 15) + 10):
        return np.array([t if is_unsettled(t) else a if is_unsettled(a) else 2 * t + a for t, a in zip(T2, absorbed)]
                    + [None], dtype=object)[:-1]


def _is_open(absorbed: Any) -> np.ndarray:
    if isinstance(absorbed, np.ndarray) and absorbed.dtype != object:
        return ~np.isnan(absorbed)
    return np.array([is_unsettled(a) or not mpmath.isnan(a) for a in absorbed], dtype=bool)


def transmission(lattice: LossyLattice, omega: Sequence[Any] | np.ndarray, *, dps: int | None = None,
                 threads: int = 1) -> Transmission:
    r"""|T|^2, |R_L|^2, |R_R|^2, transport and absorption at real frequencies ``omega`` (anglin:36-37).

    The lattice's :class:`Model` (:meth:`LossyLattice.model`) evaluated by :meth:`Model.evaluate`: its
    closed form (O(1) per frequency at any M) or direct solve, the invariants checked on every result.
    ``dps=None``: doubles (parameters in :data:`DOUBLE_RANGE`, :math:`|\omega| \le` :data:`DOUBLE_MAX_OMEGA`);
    ``dps=D``: D correct significant digits from the exact parameters and frequencies (decimal strings are
    exact; :class:`numeric.precision.Unsettled` where a value did not settle), ``D <=`` :data:`MAX_DPS`.

    Parameters
    ----------
    lattice : LossyLattice
        The lattice (M, tau1, gamma, Lambda, V).
    omega : sequence
        Real frequencies (units of the middle-chain hopping).
    dps : int, optional
        Decimal digits of the mpmath route (every returned digit right).
    threads : int
        Kept for callers of the earlier lattice route; the Model route evaluates in one thread.

    Returns
    -------
    Transmission
        One entry per frequency in every field.
    """
    from numeric.precision import check_dps

    if dps is None:
        lattice.check_double_range()
        w = np.atleast_1d(np.asarray(omega, dtype=float))
        if not np.all(np.isfinite(w)):
            raise ParameterError("omega", "finite numbers", w[~np.isfinite(w)][0])
        if np.any(np.abs(w) > DOUBLE_MAX_OMEGA):
            raise ParameterError("omega", f"finite numbers with |omega| <= {DOUBLE_MAX_OMEGA:g} in double precision "
                                          "(use dps= / --dps for others)", w[np.abs(w) > DOUBLE_MAX_OMEGA][0])
        omega = w
    else:
        dps = check_dps(dps, limit=MAX_DPS)
    keys = ["T2:L->R", "R2:L", "R2:R", "absorbed:L", "absorbed:R"]
    model = lattice.model()
    # the names and order of Model.transmission: one closed-form evaluator (and cache entry) for both
    names = ["T2:L->R", "T2:R->L", "R2:L", "R2:R", "absorbed:L", "absorbed:R", "S:L,L", "S:R,L", "S:L,R", "S:R,R"]
    vals, route = model._evaluate(names, omega, dps, "auto")
    T2, RL2, RR2, aL, aR = (vals[k] for k in keys)
    return Transmission(vals["omega"], T2, RL2, RR2, _transport(T2, aL, dps), _transport(T2, aR, dps), aL, aR,
                        _is_open(aL), _is_open(aR), route, dps)


# ----------------------------------------------------------------------------- currents

@dataclass(frozen=True)
class Currents:
    """Particle current ``I`` = (I_L - I_R)/2, energy current ``Q``, loss rate ``loss`` and absolute error estimates.

    With ``dps`` the values are mpf with ``dps`` correct digits (``Q`` infinite where it diverges, NaN where
    both leads' energy currents diverge and only their difference might not).
    """

    I: Any
    Q: Any
    loss: Any
    error_I: Any
    error_Q: Any
    error_loss: Any
    dps: int | None = None


def _reservoirs(lat: LossyLattice, muL: Any, muR: Any, TL: Any, TR: Any, stats: str) -> list:
    """Exact (muL, muR, TL, TR), checked: real, T >= 0, bose mu at most the band bottom (finite Lambda)."""
    V = lat.exact.V
    ex = [V / 2 if muL is None else exact(muL, "muL"), -V / 2 if muR is None else exact(muR, "muR"),
          exact(TL, "TL"), exact(TR, "TR")]
    for name, x in zip(("muL", "muR", "TL", "TR"), ex):
        if not isinstance(x, float) and abs(x) > sys.float_info.max:  # the reservoirs also work in doubles
            raise ParameterError(name, f"within the double range |x| <= {sys.float_info.max:.4g} (inf for mu: "
                                       "the limit)", f"{mpmath.nstr(mpmath.mpf(x.numerator) / x.denominator, 6)}")
    require("muL", float(ex[0]), allow_inf=True)
    require("muR", float(ex[1]), allow_inf=True)
    require("TL", float(ex[2]), lo=0)
    require("TR", float(ex[3]), lo=0)
    if stats not in ("fermi", "bose"):
        raise ParameterError("stats", "'fermi' or 'bose'", stats)
    if stats == "bose":
        if lat.infinite:
            raise ParameterError("Lambda", "finite for bose statistics (no band bottom at inf)", lat.Lambda)
        for name, mu, side in (("muL", ex[0], "L"), ("muR", ex[1], "R")):
            bottom = lat.exact_lead_band(side)[0]
            if mu > bottom:
                raise ParameterError(name, f"<= the band bottom {float(bottom):g} for bose statistics", mu)
    return ex


#: the paper's current I = (I_L - I_R)/2 (anglin Eq. 22/38) as a combination of the model's lead currents
PAPER_CURRENT = {"L": 0.5, "R": -0.5}


def currents(lat: LossyLattice, *, muL: Any = None, muR: Any = None, TL: Any = 0.0, TR: Any = 0.0,
             stats: str = "fermi", dps: int | None = None, rtol: float = 1e-12) -> Currents:
    r"""Steady-state I, Q and gamma*n_0 with absolute error estimates (anglin:22/38, 42, 21), by the Model route.

    .. math:: I = \frac{I_L - I_R}{2} = \frac{1}{4\pi}\int d\omega\,[f_L t_L(\omega) - f_R t_R(\omega)],\qquad
              \gamma\bar n_0 = I_L + I_R

    Parameters
    ----------
    lat : LossyLattice
        The lossy lattice.
    muL, muR, TL, TR : number, optional
        Chemical potentials (default +-V/2; ``-inf``: empty) and temperatures of the outer lattices; exact
        numbers are kept exact with ``dps``.
    stats : {"fermi", "bose"}
        Bose: finite Lambda, mu at most the band bottom.
    dps : int, optional
        D correct digits of I, Q and the loss (:meth:`Model.current` with ``dps``).
    rtol : float
        Double precision: tolerance relative to the gross flows.

    Returns
    -------
    Currents

    >>> c = currents(LossyLattice(M=2, tau1=0.1, gamma=0.0, Lambda=math.inf, V=1.0))
    >>> round(float(c.I / 0.1**2), 3), bool(c.error_I < 1e-12)
    (0.333, True)
    """
    from numeric.models.model_currents import Reservoir, model_currents
    from numeric.precision import check_dps
    from tunnelkit.limits import CURRENT_MAX_DPS
    from tunnelkit.models.model_flows import closed_flows

    ex = _reservoirs(lat, muL, muR, TL, TR, stats)
    model = lat.model()
    if dps is None:
        lat.check_double_range()
        tb = model.tight_binding()
        res = {"L": Reservoir(float(ex[0]), float(ex[2])), "R": Reservoir(float(ex[1]), float(ex[3]))}
        c = model_currents(tb, res, stats=stats, rtol=rtol, flows=closed_flows(model, tb), combination=PAPER_CURRENT)
        I, Q = c.combined
        eI, eQ = c.errors.get("combined_I", (c.errors["L"] + c.errors["R"]) / 2), c.errors.get("combined_Q", math.nan)
        return Currents(I, Q, c.loss, eI, eQ, c.errors["loss"])
    digits = check_dps(dps, limit=CURRENT_MAX_DPS)
    leads = {"L": {"mu": ex[0], "T": ex[2]}, "R": {"mu": ex[1], "T": ex[3]}}
    work = digits
    while True:  # I = (I_L - I_R)/2 cancels where |I| << |I_L|: more digits of the lead currents there
        c = model.current(leads, stats=stats, dps=work)
        with mpmath.workdps(work + 10):
            IL, IR = c.I["L"], c.I["R"]
            I, Q = (IL - IR) / 2, (c.Q["L"] - c.Q["R"]) / 2
            eQ = (c.error_Q.get("L", 0) + c.error_Q.get("R", 0)) / 2 if mpmath.isfinite(Q) else mpmath.mpf("nan")
            lost = max(_lost(IL, IR, I), _lost(c.Q["L"], c.Q["R"], Q))
        if work >= digits + lost or I == 0:
            break
        if digits + lost > CURRENT_MAX_DPS:
            raise ParameterError("dps", f"at most {CURRENT_MAX_DPS - lost} here (I cancels to 10^-{lost} of the "
                                        "lead currents)", dps)
        work = digits + lost
    return Currents(I, Q, c.loss, c.error_estimate, eQ, c.error_estimate, digits)


def _lost(a: Any, b: Any, d: Any) -> int:
    """Decimal digits that d = (a - b)/2 cancels (0 where d is 0 or not finite)."""
    if d == 0 or not mpmath.isfinite(d):
        return 0
    return max(0, math.ceil(float(mpmath.log10(max(abs(a), abs(b)) / abs(d)))))


# ----------------------------------------------------------------------------- current curves

@dataclass(frozen=True)
class CurrentCurve:
    """Particle current ``I`` = (I_L - I_R)/2 at each value of ``x`` (mu_L or V) with absolute error estimates."""

    x: np.ndarray
    I: np.ndarray
    error: np.ndarray

    @property
    def mu(self) -> np.ndarray:
        """The chemical potentials of a :func:`current_curve` (same as ``x``)."""
        return self.x


def _paper_curve(model: Model, x: np.ndarray, mu: dict, rtol: float) -> CurrentCurve:
    c = model.current_curve(mu, rtol=rtol)
    return CurrentCurve(x, (c.I["L"] - c.I["R"]) / 2, (c.error["L"] + c.error["R"]) / 2)


def current_curve(lat: LossyLattice, mu: Sequence[float], *, rtol: float = 1e-13) -> CurrentCurve:
    r"""I(mu_L) at T = 0 with nothing incident from the right, for many mu_L at once (one cumulative integration).

    Parameters
    ----------
    lat : LossyLattice
        Finite Lambda (the left band must be bounded).
    mu : sequence of float
        Chemical potentials of the left lead (any order; below the band: 0).
    rtol : float
        Tolerance relative to each flow's integral.

    Returns
    -------
    CurrentCurve

    >>> c = current_curve(LossyLattice(M=3, tau1=0.1, gamma=0.5, Lambda=1.0), [-1.0, 0.0, 1.0])
    >>> bool(np.all(np.diff(c.I) > 0))
    True
    """
    mus = np.asarray(mu, dtype=float)
    if lat.infinite:
        raise ValueError("current_curve needs a finite Lambda (the left band must be bounded)")
    return _paper_curve(lat.model(), mus, {"L": mus, "R": np.full(mus.shape, -math.inf)}, rtol)


def bias_curve(lat: LossyLattice, V: Sequence[float], *, rtol: float = 1e-13) -> CurrentCurve:
    r"""I(V) at T = 0 with mu_L = V/2, mu_R = -V/2 in the reservoir limit, for many V at once (Fig. 2).

    Parameters
    ----------
    lat : LossyLattice
        Lambda = inf (its own V is not used: with wide-band leads the flows do not depend on the potentials).
    V : sequence of float
        Bias voltages.
    rtol : float
        Tolerance relative to each flow's integral.

    Returns
    -------
    CurrentCurve
        ``x`` holds the voltages.
    """
    Vs = np.asarray(V, dtype=float)
    if not lat.infinite:
        raise ValueError("bias_curve needs Lambda = inf (the flows then do not depend on the lead potentials)")
    if not np.all(np.isfinite(Vs)):
        raise ValueError("bias_curve needs finite voltages")
    return _paper_curve(lat.model(V=0), Vs, {"L": Vs / 2, "R": -Vs / 2}, rtol)


# ----------------------------------------------------------------------------- bound states

@dataclass(frozen=True)
class BoundState:
    """A bound state: ``omega`` (Im < 0) and the wave numbers ``kL``, ``kR`` (Im > 0: localised)."""

    omega: complex
    kL: complex
    kR: complex


def _wavenumber(z: Any) -> complex:
    """The paper's k (omega = -2 Lambda cos k +- V/2) from the model's Bloch factor z of a lead of hopping -Lambda:
    e^{ik} = -z, real part in [0, 2 pi)."""
    k = -1j * complex(mpmath.log(-z))
    return k + 2 * math.pi if k.real < 0 else k


def bound_states(lat: LossyLattice, *, dps: int = 20, seeds: int = 24) -> list[BoundState]:
    """States that decay on both sides (anglin App. D): :meth:`Model.bound_states` of the lattice (finite Lambda).

    Parameters
    ----------
    lat : LossyLattice
        Finite ``Lambda`` (in the reservoir limit there is no decaying sheet to search).
    dps, seeds : int
        Working digits and seeds along Re omega of the root search.

    Returns
    -------
    list of BoundState

    >>> bs = bound_states(LossyLattice(M=1, tau1=1.0, gamma=4.5, Lambda=1.0), seeds=8)
    >>> [round(float(b.omega.imag), 6) for b in bs]  # -2 sinh(arccosh(gamma/4))
    [-1.030776]
    """
    if lat.infinite:
        raise ParameterError("Lambda", "finite for bound states", lat.Lambda)
    found = lat.model().bound_states(dps=dps, seeds=seeds)
    return [BoundState(complex(b.omega), _wavenumber(b.z["L"]), _wavenumber(b.z["R"])) for b in found]
