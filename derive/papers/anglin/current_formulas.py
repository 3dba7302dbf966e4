"""Steady-state currents of the lossy lattice (anglin Eqs. 18, 20-22, 38, 40-42).

Derivation route: the steady density matrix (Eq. 10) is a sum over incident
modes, :math:`R_{m'm} = \\sum_j\\int d\\omega\\,D_jf_j\\Psi^{j*}_{m'}\\Psi^j_m`.
Far out in a lead every mode is a pair of plane waves, so the bond current
(Eq. 20) and the energy current (Eq. 40) can be evaluated in closed form per
mode.  With :math:`J_{\\mp\\infty}` the currents far left/right, Eq. (21)
gives :math:`I = (J_{-\\infty}+J_{+\\infty})/(2\\tau)` and
:math:`\\gamma\\bar n_0 = (J_{-\\infty}-J_{+\\infty})/\\tau`.

Units: hbar = 1; tau kept explicit where the paper keeps it.
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

from derive.papers.anglin.symbols import Lam, V, conj_real, hbar, omega, tau

__all__ = [
    "dispersion", "cosine_of_wavenumber", "density_of_states", "plane_wave_bond_current", "plane_wave_energy_current",
    "integrand_symbols", "current_integrand", "loss_integrand", "energy_integrand", "lead_currents",
    "plane_wave_current_law", "evanescent_currents", "flux_balance_substitution", "stable_integrands",
]

_kj = sp.Symbol("k_j")
_kappa = sp.Symbol("kappa", positive=True)
_mm = sp.Symbol("m", integer=True)


def dispersion(kj: sp.Basic = _kj, side: str = "L") -> sp.Basic:
    """Lead dispersion, anglin:17: :math:`\\omega = -2\\Lambda\\cos k_j \\pm V/2`."""
    return -2 * Lam * sp.cos(kj) + (V / 2 if side == "L" else -V / 2)


def cosine_of_wavenumber(where: str) -> sp.Basic:
    """:math:`\\cos k` solved from a dispersion relation: ``"chain"`` (Eq. 30) or a lead ``"L"``/``"R"`` (Eq. 17).

    >>> cosine_of_wavenumber("chain"), cosine_of_wavenumber("R")
    (-omega/2, (-V - 2*omega)/(4*Lambda))
    """
    x = sp.Symbol("x")
    disp = -2 * x if where == "chain" else dispersion(_kj, where).subs(sp.cos(_kj), x)
    (sol,) = sp.solve(sp.Eq(omega, disp), x)
    return sol


def density_of_states(kj: sp.Basic = _kj, side: str = "L") -> sp.Basic:
    """anglin:18 derived: :math:`D_j = (d\\omega/dk_j)^{-1} = 1/(2\\Lambda\\sin k_j)`."""
    return 1 / sp.diff(dispersion(kj, side), kj)


def _rho(a: sp.Basic, b: sp.Basic, kj: sp.Basic, real_k: bool):
    """Single-mode density matrix :math:`\\Psi^*_{m'}\\Psi_m` for :math:`\\Psi=ae^{ikm}+be^{-ikm}`."""

    def psi(mm):
        return a * sp.exp(sp.I * kj * mm) + b * sp.exp(-sp.I * kj * mm)

    def conj(e):
        return conj_real(e, (_kj,)) if real_k else sp.conjugate(e)

    return lambda mp, mm: conj(psi(mp)) * psi(mm)


def plane_wave_bond_current(a: sp.Basic, b: sp.Basic, *, kj: sp.Basic = _kj, real_k: bool = True) -> sp.Basic:
    """anglin:20 in a lead (all hoppings Lambda) for one mode, per unit weight.

    .. math:: J_m = i\\tau\\Lambda(\\Psi^*_m\\Psi_{m-1} - \\Psi^*_{m-1}\\Psi_m)

    Returned simplified; for real ``k_j`` it is
    :math:`2\\tau\\Lambda\\sin k_j(|a|^2-|b|^2)`, independent of ``m``.
    """
    rho = _rho(a, b, kj, real_k)
    J = sp.I * tau * Lam * (rho(_mm, _mm - 1) - rho(_mm - 1, _mm))
    return sp.simplify(sp.expand(J.rewrite(sp.exp), power_exp=True))


def plane_wave_energy_current(a: sp.Basic, b: sp.Basic, side: str = "L") -> sp.Basic:
    """anglin:40 in a lead for one propagating mode, with :math:`\\omega` eliminated by Eq. 17.

    .. math::

        Q_m = -\\frac{i\\hbar\\tau^2}{2}T_{m-1}\\big[T_m(R_{m+1,m-1}-R_{m-1,m+1})
              + T_{m-2}(R_{m,m-2}-R_{m-2,m}) - (V_m+V_{m-1})(R_{m,m-1}-R_{m-1,m})\\big]
    """
    rho = _rho(a, b, _kj, True)
    Vj = V / 2 if side == "L" else -V / 2
    d = lambda p, q: rho(p, q) - rho(q, p)  # noqa: E731
    Q = -sp.I * hbar * tau**2 / 2 * Lam * (
        Lam * d(_mm + 1, _mm - 1) + Lam * d(_mm, _mm - 2) - 2 * Vj * d(_mm, _mm - 1)
    )
    return sp.simplify(sp.expand(Q.rewrite(sp.exp), power_exp=True))


def integrand_symbols() -> dict[str, sp.Symbol]:
    """Per-frequency quantities the current integrands are written in.

    ``fL, fR`` distributions; ``T2`` :math:`=|\\mathcal T|^2`; ``RL2, RR2``;
    ``XL, XR`` the propagation factors of App. C; ``aL, aR`` absorbed
    fractions (:class:`derive.papers.anglin.scattering.Amplitudes`).
    """
    names = ["fL", "fR", "T2", "RL2", "RR2", "XL", "XR", "aL", "aR"]
    return {n: sp.Symbol(n, real=True) for n in names}


def plane_wave_current_law() -> sp.Basic:
    """Per-mode bond current as a function of :math:`|a|^2, |b|^2` and :math:`\\sin k_j`.

    Derived from :func:`plane_wave_bond_current` for real :math:`k_j`:

    >>> plane_wave_current_law()
    2*Lambda*s_j*tau*(A2 - B2)
    """
    a, b = sp.symbols("a b")
    A2, B2, sj = sp.symbols("A2 B2 s_j", real=True)
    J = plane_wave_bond_current(a, b).subs({a * sp.conjugate(a): A2, b * sp.conjugate(b): B2})
    J = sp.simplify(sp.expand(J).rewrite(sp.sin))
    J = sp.factor(sp.expand(J, trig=True)).subs(sp.sin(_kj), sj)
    if J.has(_kj):
        raise RuntimeError(f"bond current did not reduce to a function of sin k: {J}")
    return J


@lru_cache(maxsize=None)
def lead_currents() -> tuple[sp.Basic, sp.Basic]:
    """:math:`J_{-\\infty}, J_{+\\infty}` integrands (per d omega) from Eq. 10 and Eq. 20.

    Left-incident mode on the left: :math:`|a|^2=1/2\\pi`,
    :math:`|b|^2=|\\mathcal R_L|^2/2\\pi`, weight :math:`D_Lf_L`; its
    transmitted wave on the right has :math:`|t|^2 = |\\mathcal T|^2\\sin k_L/\\sin k_R`
    (Eq. 13) and carries current only if :math:`k_R` is real (factor ``XL``;
    the evanescent cases give exactly 0, :func:`evanescent_currents`).
    Likewise for right incidence.
    """
    s = integrand_symbols()
    sL, sR = sp.symbols("s_L s_R", positive=True)  # sin k_L, sin k_R (real k)
    law = plane_wave_current_law()
    A2, B2, sj = sp.symbols("A2 B2 s_j", real=True)
    J = lambda a2, b2, sin_k: law.subs({A2: a2, B2: b2, sj: sin_k})  # noqa: E731
    D = {"L": density_of_states().subs(sp.sin(_kj), sL), "R": density_of_states().subs(sp.sin(_kj), sR)}
    two_pi = 2 * sp.pi
    J_left = (D["L"] * s["fL"] * J(1 / two_pi, s["RL2"] / two_pi, sL)
              + D["R"] * s["fR"] * s["XR"] * J(0, s["T2"] * sR / sL / two_pi, sL))
    J_right = (D["L"] * s["fL"] * s["XL"] * J(s["T2"] * sL / sR / two_pi, 0, sR)
               + D["R"] * s["fR"] * J(s["RR2"] / two_pi, 1 / two_pi, sR))
    return sp.simplify(J_left), sp.simplify(J_right)


def evanescent_currents() -> dict[str, sp.Basic]:
    """Bond current of a decaying wave :math:`e^{ik_jm}`, :math:`k_j = i\\kappa` or :math:`\\pi+i\\kappa`.

    Both are identically zero (App. B: "evanescent transmitted waves carry no
    particle or energy currents"), which is why ``X`` factors appear in Eq. 38.
    """
    return {
        "k = i kappa": plane_wave_bond_current(1, 0, kj=sp.I * _kappa, real_k=False),
        "k = pi + i kappa": plane_wave_bond_current(1, 0, kj=sp.pi + sp.I * _kappa, real_k=False),
    }


def current_integrand() -> sp.Basic:
    """Particle current per d omega, from :math:`I = (J_{-\\infty}+J_{+\\infty})/(2\\tau)` (Eq. 21).

    .. math::

        \\frac{1}{4\\pi}\\Big[f_L(1+X_L|\\mathcal T|^2-|\\mathcal R_L|^2)
                      - f_R(1+X_R|\\mathcal T|^2-|\\mathcal R_R|^2)\\Big]

    (anglin:38 without its factor :math:`\\tau_1^{-2}`; anglin:22 when
    :math:`X=1`, :math:`\\mathcal R_L=\\mathcal R_R`).
    """
    JL, JR = lead_currents()
    return sp.simplify((JL + JR) / (2 * tau))


def loss_integrand() -> sp.Basic:
    """Loss rate :math:`\\gamma\\bar n_0` per d omega: :math:`(J_{-\\infty}-J_{+\\infty})/\\tau`."""
    JL, JR = lead_currents()
    return sp.simplify((JL - JR) / tau)


def energy_integrand() -> sp.Basic:
    """Energy current per d omega (anglin:42), :math:`Q=\\lim_{m\\to\\infty}(Q_{-m}+Q_m)/2`.

    Per mode the energy current of Eq. (40) is :math:`\\hbar\\tau\\omega` times
    its particle current :math:`J` (:func:`plane_wave_energy_current`), so the
    integrand is :math:`\\hbar\\tau^2\\omega` times :func:`current_integrand`.
    """
    ratio = (plane_wave_energy_current(1, 0) / plane_wave_bond_current(1, 0)).subs(
        V, 2 * (omega + 2 * Lam * sp.cos(_kj))
    )
    ratio = sp.simplify(sp.expand(ratio.rewrite(sp.exp)))
    if ratio.has(_kj):
        raise RuntimeError(f"energy per particle did not reduce to omega: {ratio}")
    JL, JR = lead_currents()
    return sp.simplify(ratio * (JL + JR) / 2)  # Q = lim (Q_-m + Q_m)/2


def flux_balance_substitution() -> dict[sp.Symbol, sp.Basic]:
    """:math:`|\\mathcal R_j|^2 = 1 - X_j|\\mathcal T|^2 - a_j` (flux balance, registry ``anglin:flux-balance``)."""
    s = integrand_symbols()
    return {s["RL2"]: 1 - s["XL"] * s["T2"] - s["aL"], s["RR2"]: 1 - s["XR"] * s["T2"] - s["aR"]}


def stable_integrands() -> dict[str, sp.Basic]:
    """Current, energy-current and loss integrands without the cancellation in :math:`1-|\\mathcal R|^2`.

    Obtained from :func:`current_integrand` etc. by :func:`flux_balance_substitution`:

    >>> stable_integrands()["current"]
    (-2*T2*XR*fR - aR*fR + fL*(2*T2*XL + aL))/(4*pi)
    """
    sub = flux_balance_substitution()
    out = {
        "current": current_integrand(),
        "energy": energy_integrand(),
        "loss": loss_integrand(),
    }
    return {name: sp.factor_terms(sp.collect(sp.expand(e.subs(sub)), integrand_symbols()["fL"]))
            for name, e in out.items()}
