"""Pair tunneling in the strong-coupling BEC limit (tajima Eq. 21, Fig. 2) and the number equation.

Units: :math:`\\hbar = k_B = 1`, :math:`E_F = T_F = k_F^2/2m = 1`, hence
:math:`k_F = 1`, :math:`m = 1/2`, molecule mass :math:`2m = 1`,
:math:`\\varepsilon_q = q^2/4m = q^2/2`.  Density of both spins
:math:`n = k_F^3/3\\pi^2`.  Molecule propagator (``tunnelkit pair-ratio``
contract): :math:`\\Gamma^R(q,\\omega) = 1/(\\omega - \\varepsilon_q + i\\gamma\\theta(\\omega))`,
molecular distribution :math:`b(\\omega) = 1/(e^{(\\omega-\\mu_B)/T}-1)`,
:math:`\\mu_B = 2\\mu + E_b`.

Equal reservoirs: :math:`\\sum_q(\\mathrm{Im}\\Gamma^R)^2 = K(\\omega)/2\\pi^2` with

.. math::

    K(\\omega) = \\int_0^\\infty d\\varepsilon\\,\\sqrt{2\\varepsilon}\\,
    \\frac{\\gamma^2}{((\\omega-\\varepsilon)^2+\\gamma^2)^2}
    = \\frac{\\sqrt2\\pi}{4\\gamma}\\,\\mathrm{Re}\\frac{2\\omega+i\\gamma}{\\sqrt{\\omega+i\\gamma}}
    \\quad(\\omega>0),

derived here by residues (:func:`spectral_weight`).  For :math:`\\omega<0`
the spectral function has no support (:math:`\\varepsilon_q\\ge0`).
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

__all__ = ["omega", "gamma", "T", "mu_B", "E_b", "mu", "spectral_weight", "spectral_weight_integrand",
           "number_density", "number_equation", "Tc_closed_form", "distribution", "response_integrands",
           "specs", "printed_exponent", "corrected_exponent"]

omega = sp.Symbol("omega", positive=True)
gamma = sp.Symbol("gamma", positive=True)
T = sp.Symbol("T", positive=True)
mu_B = sp.Symbol("mu_B", nonpositive=True)
E_b = sp.Symbol("E_b", positive=True)
mu = sp.Symbol("mu", real=True)
q = sp.Symbol("q", positive=True)
_m = sp.Rational(1, 2)


def spectral_weight_integrand() -> sp.Basic:
    """:math:`\\sqrt{2\\varepsilon}\\gamma^2/((\\omega-\\varepsilon)^2+\\gamma^2)^2` (from :math:`q^2dq=\\sqrt{2\\varepsilon}d\\varepsilon`)."""
    eps = sp.Symbol("epsilon", positive=True)
    return sp.sqrt(2 * eps) * gamma**2 / ((omega - eps) ** 2 + gamma**2) ** 2


@lru_cache(maxsize=None)
def spectral_weight() -> sp.Basic:
    """:math:`K(\\omega)` by residues: :math:`\\varepsilon = u^2` makes the integrand even and rational in u.

    :math:`\\int_0^\\infty 2u^2 du/((u^2-\\omega)^2+\\gamma^2)^2 = \\int_{-\\infty}^{\\infty} u^2du/(\\ldots)^2`
    = :math:`2\\pi i` times the residues at the double poles :math:`u = \\sqrt{\\omega+i\\gamma}`,
    :math:`-\\sqrt{\\omega-i\\gamma}` (upper half plane).
    """
    z = sp.Symbol("z")
    w = sp.Symbol("w", real=True)
    f = z**2 / ((z**2 - w) ** 2 + gamma**2) ** 2
    res = 0
    for r in (sp.sqrt(w + sp.I * gamma), -sp.sqrt(w - sp.I * gamma)):
        res += sp.limit(sp.diff((z - r) ** 2 * f, z), z, r)  # double pole
    integral = 2 * sp.pi * sp.I * res
    # the two residues are complex conjugates: the sum is real; re() writes it without complex roots
    return sp.re(sp.sqrt(2) * gamma**2 * sp.simplify(integral.subs(w, omega)))


def number_density(exponent_shift: sp.Basic) -> sp.Basic:
    """:math:`2\\int d^3q/(2\\pi)^3\\,[e^{(\\varepsilon_q - s)/T}-1]^{-1}` in closed form, s = ``exponent_shift``.

    Geometric series in :math:`z = e^{s/T}` term by term (Gaussian integrals), summed to
    :math:`\\mathrm{Li}_{3/2}(z)`.
    """
    n = sp.Symbol("n", positive=True, integer=True)
    term = sp.integrate(q**2 * sp.exp(-n * q**2 / (4 * _m * T)), (q, 0, sp.oo)) / (2 * sp.pi**2)
    coeff = sp.simplify(term * n ** sp.Rational(3, 2))  # term = coeff * n^(-3/2): sum z^n n^(-3/2) = Li_{3/2}(z)
    assert not coeff.has(n)
    return 2 * coeff * sp.polylog(sp.Rational(3, 2), sp.exp(exponent_shift / T))


def printed_exponent() -> sp.Basic:
    """Exponent of the printed ansatz, :math:`(q^2/4m - 2\\mu + E_b)/T`, as a shift :math:`\\varepsilon_q - s`."""
    return 2 * mu - E_b


def corrected_exponent() -> sp.Basic:
    """Molecule energy :math:`q^2/4m - E_b` against chemical potential :math:`2\\mu`: shift :math:`2\\mu+E_b=\\mu_B`."""
    return 2 * mu + E_b


def number_equation(shift: sp.Basic) -> sp.Eq:
    """:math:`k_F^3/3\\pi^2 = N_{\\rm tot}(T, \\text{shift})` with :math:`k_F = 1`."""
    return sp.Eq(sp.Rational(1, 3) / sp.pi**2, number_density(shift))


@lru_cache(maxsize=None)
def Tc_closed_form() -> sp.Basic:
    """:math:`T_c/T_F` from the corrected number equation at :math:`\\mu_B = 0` (z = 1)."""
    eq = number_equation(mu_B).subs(mu_B, 0)
    eq = eq.subs(sp.polylog(sp.Rational(3, 2), 1), sp.zeta(sp.Rational(3, 2)))
    sol = sp.solve(eq, T)
    return sp.simplify(sol[0])


def distribution() -> sp.Basic:
    return 1 / (sp.exp((omega - mu_B) / T) - 1)


def response_integrands() -> dict[str, sp.Basic]:
    """Integrands of G and S per :math:`d\\omega` (equal reservoirs, linear response), tajima:21.

    .. math::

        \\mathcal G = \\frac{8\\tilde g^2}{2\\pi}\\int_0^\\infty d\\omega\\,\\frac{K(\\omega)}{2\\pi^2}
        \\frac{\\partial b}{\\partial\\mu},\\qquad
        \\mathcal S = \\frac{8\\tilde g^2}{2\\pi}\\int_0^\\infty d\\omega\\,\\frac{K(\\omega)}{2\\pi^2}
        \\frac{\\partial b}{\\partial T}\\Big|_{\\mu},

    with :math:`\\partial\\mu_B/\\partial\\mu = 2`.  Derivatives are taken
    analytically and written with :math:`1/4\\sinh^2(x/2) = e^x/(e^x-1)^2`
    (no overflow), :math:`x = (\\omega-\\mu_B)/T`; ``g_tilde`` = 1.
    """
    b = distribution()
    x = (omega - mu_B) / T
    db_dmu = 2 * sp.diff(b, mu_B)
    db_dT = sp.diff(b, T)
    stable = 1 / (4 * sp.sinh(x / 2) ** 2)
    G_b, S_b = 2 * stable / T, x * stable / T
    assert sp.simplify((db_dmu - G_b).rewrite(sp.exp)) == 0 and sp.simplify((db_dT - S_b).rewrite(sp.exp)) == 0
    K = spectral_weight()
    pref = 8 / (2 * sp.pi) / (2 * sp.pi**2)
    return {"G": pref * K * G_b, "S": pref * K * S_b}


def specs() -> tuple:
    """Generated evaluators of this module (see :mod:`derive.codegen.paper_modules`)."""
    from derive.codegen.spec import Spec

    ints = response_integrands()
    return (
        Spec("pair_response_integrands", (omega, gamma, T, mu_B), (("G", ints["G"]), ("S", ints["S"])),
             "Integrands per d omega of the pair-tunnelling G and S (tajima:21, g_tilde = 1, omega > 0)."),
        Spec("pair_spectral_weight", (omega, gamma), (("K", spectral_weight()),),
             "K(omega) = sum_q (Im Gamma^R)^2 * 2 pi^2 for the molecule propagator with damping gamma."),
        Spec("molecule_density", (T, mu_B), (("n", number_density(mu_B)),),
             "Density of fermions bound in molecules, 2 sum_q b(q^2/4m - mu_B) (corrected strong-coupling "
             "ansatz), in units of k_F^3; polylog needs mpmath.", backends=("mpmath",)),
    )
