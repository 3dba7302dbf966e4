"""SymPy transcriptions of anglin's printed equations, *as printed* (misprints kept).

These are the paper's claims; :mod:`tunnelkit.registry` compares them with the
derivations.  Nothing in :mod:`numeric` may use them.
"""
from __future__ import annotations

import sympy as sp

from derive.papers.anglin.symbols import M, V, Lam, gamma, k, kL, kR, omega, star, tau1

__all__ = [
    "A", "B", "outer_odd", "outer_even", "Z", "psi_L_coeffs", "psi_R_coeffs", "T", "RL", "RR",
    "A_inf", "B_inf", "Z2_inf", "T2_inf", "R2_inf", "transport_24", "current_prefactor_22",
    "current_prefactor_38", "fermi_28", "k_chain", "lead_dispersion", "dos_18", "omega_n",
    "energy_prefactor_42",
]

I = sp.I
_s = sp.sin(k)
_S1, _S0 = sp.sin(k * (M + 1)), sp.sin(k * M)
_C1, _C0 = sp.cos(k * (M + 1)), sp.cos(k * M)
_KJ = {"L": kL, "R": kR}


def A(side: str) -> sp.Basic:
    """Eq. (34), A_{L,R}."""
    kj = _KJ[side]
    return sp.exp(-I * kj * M) / (I * sp.sin(kj)) * (_S1 / tau1 - tau1 * _S0 * sp.exp(-I * kj))


def B(side: str) -> sp.Basic:
    """Eq. (34), B_{L,R}."""
    kj = _KJ[side]
    return sp.exp(-I * kj * M) / (I * sp.sin(kj)) * (_C1 / tau1 - tau1 * _C0 * sp.exp(-I * kj))


def outer_odd(side: str) -> tuple[sp.Basic, sp.Basic]:
    """Eq. (33), psi^- for |m| > M: (coefficient of e^{ik|m|}, of e^{-ik|m|}) including sgn(m)."""
    sgn = -1 if side == "L" else 1
    return sgn * A(side) / 2, sgn * star(A(side)) / 2


def outer_even(side: str, *, denominator: int = 24) -> tuple[sp.Basic, sp.Basic]:
    """Eq. (33), psi^+ for |m| > M; the printed second term has ``24 sin(k)`` (``denominator``)."""
    return ((B(side) - I * gamma / (4 * _s) * A(side)) / 2,
            (star(B(side)) - I * gamma / (denominator * _s) * star(A(side))) / 2)


def Z() -> sp.Basic:
    """Eq. (35), Z."""
    return ((star(A("R")) * star(B("L")) + star(A("L")) * star(B("R"))) / 2
            - I * gamma / (4 * _s) * star(A("L")) * star(A("R")))


def psi_L_coeffs() -> tuple[sp.Basic, sp.Basic]:
    """Eq. (35): Psi^L = (c+ psi^+ + c- psi^-) with (c+, c-) returned."""
    den = sp.sqrt(2 * sp.pi) * Z()
    return star(A("R")) / den, -(star(B("R")) - I * gamma / (4 * _s) * star(A("R"))) / den


def psi_R_coeffs() -> tuple[sp.Basic, sp.Basic]:
    """Eq. (35): Psi^R coefficients of (psi^+, psi^-)."""
    den = sp.sqrt(2 * sp.pi) * Z()
    return star(A("L")) / den, (star(B("L")) - I * gamma / (4 * _s) * star(A("L"))) / den


def T() -> sp.Basic:
    """Eq. (36), T."""
    return I / Z() * _s / sp.sqrt(sp.sin(kL) * sp.sin(kR))


def RL() -> sp.Basic:
    """Eq. (36), R_L."""
    return (star(A("R")) * B("L") + star(B("R")) * A("L") - I * gamma / (2 * _s) * star(A("R")) * A("L")) / (2 * Z())


def RR() -> sp.Basic:
    """Eq. (36), R_R."""
    return (star(A("L")) * B("R") + star(B("L")) * A("R") - I * gamma / (2 * _s) * star(A("L")) * A("R")) / (2 * Z())


def A_inf() -> sp.Basic:
    """Eq. (37), A_{L,R} as Lambda -> oo."""
    return (-I) ** (M + 1) * (_S1 / tau1 + I * tau1 * _S0)


def B_inf() -> sp.Basic:
    """Eq. (37), B_{L,R} as Lambda -> oo."""
    return (-I) ** (M + 1) * (_C1 / tau1 + I * tau1 * _C0)


_P = _S1**2 / tau1**2 + tau1**2 * _S0**2


def Z2_inf() -> sp.Basic:
    """Eqs. (24) and (37), |Z|^2 as Lambda -> oo."""
    return (_S1 * _C1 / tau1**2 + tau1**2 * _S0 * _C0) ** 2 + (_s + gamma / (4 * _s) * _P) ** 2


def T2_inf() -> sp.Basic:
    """Eq. (37), |T|^2."""
    return _s**2 / Z2_inf()


def R2_inf() -> sp.Basic:
    """Eq. (37), |R_{L,R}|^2."""
    return ((_S1 * _C1 / tau1**2 + tau1**2 * _S0 * _C0) ** 2 + gamma**2 / (16 * _s**2) * _P**2) / Z2_inf()


def transport_24() -> sp.Basic:
    """Eq. (24), 1 + |T|^2 - |R|^2."""
    return 2 / Z2_inf() * (_s**2 + gamma / 4 * _P)


current_prefactor_22 = 1 / (4 * sp.pi)
current_prefactor_38 = 1 / (4 * sp.pi * tau1**2)
energy_prefactor_42 = sp.Symbol("hbar", positive=True) * sp.Symbol("tau", positive=True) ** 2 / (4 * sp.pi)


def fermi_28(mu: sp.Basic, T_: sp.Basic) -> sp.Basic:
    """Eq. (28) as printed: 1/(exp((omega + mu_L)/T) + 1)."""
    return 1 / (sp.exp((omega + mu) / T_) + 1)


def k_chain() -> sp.Basic:
    """Eqs. (23), (30): k = arccos(-omega/2)."""
    return sp.acos(-omega / 2)


def lead_dispersion(side: str) -> sp.Basic:
    """Eq. (17): omega = -2 Lambda cos k_{L,R} +- V/2 (+ for L)."""
    return -2 * Lam * sp.cos(_KJ[side]) + (V / 2 if side == "L" else -V / 2)


def dos_18(side: str) -> sp.Basic:
    """Eq. (18): D = 1/(2 Lambda sin k)."""
    return 1 / (2 * Lam * sp.sin(_KJ[side]))


def omega_n(n: sp.Basic) -> sp.Basic:
    """Eq. (25): omega_n = -2 cos(n pi / (2(M+1)))."""
    return -2 * sp.cos(n * sp.pi / (2 * (M + 1)))
