"""The lossy lattice of ``anglin`` Eqs. (1)-(3) and its Schroedinger equation (9).

Bond convention (Eq. 1): ``T_m`` is the hopping on the bond (m, m+1); the
single-particle equation (Eq. 9, with tau = 1) reads

.. math::

    \\omega\\psi_m = -T_m\\psi_{m+1} - T_{m-1}\\psi_{m-1}
                     + (V_m - i\\tfrac{\\gamma}{2}\\delta_{m0})\\psi_m .

Two readings of Eq. (2) are provided:

``"printed"``
    exactly as printed: :math:`T_m = 1` for :math:`-(M+1)\\le m\\le M`, weak
    links :math:`\\tau_1\\sqrt\\Lambda` on the bonds ``m = -(M+2)`` and
    ``m = M+1``.  This puts the weak links one bond further out than the
    middle chain of 2M+1 sites that the rest of the paper uses (it gives a
    unit-hopping chain of 2M+3 sites whose two end sites carry +-V/2).
``"corrected"``
    weak links on the bonds ``m = -(M+1)`` and ``m = M`` joining the sites
    :math:`\\pm M` to :math:`\\pm(M+1)`; the chain :math:`|m|\\le M` has unit
    hopping.  This is the lattice Appendix A, Eq. (25) and the figures use.
"""
from __future__ import annotations

from typing import Callable, Literal

import sympy as sp

from derive.papers.anglin.symbols import M, V, Lam, gamma, omega, tau1

__all__ = [
    "hopping", "potential", "schrodinger_residual", "Variant", "chain_hamiltonian",
    "isolated_chain_spectrum", "isolated_chain_condition",
]

Variant = Literal["printed", "corrected"]


def hopping(mm: sp.Basic, *, variant: Variant = "corrected") -> sp.Piecewise:
    """Hopping :math:`T_m` on the bond (m, m+1), anglin:2.

    >>> from derive.papers.anglin.symbols import M
    >>> hopping(M, variant="printed"), hopping(M, variant="corrected")
    (1, sqrt(Lambda)*tau_1)
    """
    link = tau1 * sp.sqrt(Lam)
    if variant == "printed":
        return sp.Piecewise(
            (1, sp.And(mm >= -(M + 1), mm <= M)),
            (link, sp.Or(sp.Eq(mm, -(M + 2)), sp.Eq(mm, M + 1))),
            (Lam, True),
        )
    if variant == "corrected":
        return sp.Piecewise(
            (1, sp.And(mm >= -M, mm <= M - 1)),
            (link, sp.Or(sp.Eq(mm, -(M + 1)), sp.Eq(mm, M))),
            (Lam, True),
        )
    raise ValueError(f"unknown variant {variant!r}")


def potential(mm: sp.Basic) -> sp.Piecewise:
    """On-site potential :math:`V_m`, anglin:3 (zero in the chain, +-V/2 outside).

    >>> from derive.papers.anglin.symbols import M
    >>> potential(M + 1)
    -V/2
    """
    return sp.Piecewise((0, sp.Abs(mm) <= M), (V / 2, mm < -M), (-V / 2, True))


def schrodinger_residual(
    psi: Callable[[sp.Basic], sp.Basic],
    mm: sp.Basic,
    *,
    variant: Variant = "corrected",
    w: sp.Basic = omega,
) -> sp.Basic:
    """Left minus right side of anglin:9 at site ``mm`` for the function ``psi``.

    .. math::

        r_m = \\omega\\psi_m + T_m\\psi_{m+1} + T_{m-1}\\psi_{m-1}
              - (V_m - i\\tfrac{\\gamma}{2}\\delta_{m0})\\psi_m
    """
    loss = sp.I * gamma / 2 * sp.KroneckerDelta(mm, 0)
    return (
        w * psi(mm)
        + hopping(mm, variant=variant) * psi(mm + 1)
        + hopping(mm - 1, variant=variant) * psi(mm - 1)
        - (potential(mm) - loss) * psi(mm)
    )


def chain_hamiltonian(n_sites: int) -> sp.Matrix:
    """Hamiltonian of an isolated uniform chain (hopping -1, open ends).

    >>> chain_hamiltonian(3)
    Matrix([
    [ 0, -1,  0],
    [-1,  0, -1],
    [ 0, -1,  0]])
    """
    return sp.Matrix(n_sites, n_sites, lambda i, j: -1 if abs(i - j) == 1 else 0)


def isolated_chain_condition() -> tuple[sp.Basic, sp.Basic]:
    """Bulk residual and boundary condition for the isolated chain :math:`|m|\\le M`.

    The trial :math:`\\psi_m = \\sin k(m+M+1)` solves the bulk equation and
    vanishes at :math:`m=-(M+1)`; the remaining condition
    :math:`\\psi_{M+1} = \\sin 2k(M+1) = 0` fixes the spectrum.
    """
    kk, mm = sp.Symbol("k"), sp.Symbol("m", integer=True)
    trial = lambda j: sp.sin(kk * (j + M + 1))  # noqa: E731
    bulk = -2 * sp.cos(kk) * trial(mm) + trial(mm + 1) + trial(mm - 1)
    return bulk, trial(M + 1)


def isolated_chain_spectrum(n: sp.Basic) -> sp.Basic:
    """anglin:25 derived: :math:`\\omega_n = -2\\cos\\frac{n\\pi}{2(M+1)}`, n = 1..2M+1.

    >>> isolated_chain_spectrum(sp.Integer(1)).subs(M, 3)
    -2*sqrt(sqrt(2)/4 + 1/2)
    """
    kk, j = sp.Symbol("k"), sp.Symbol("j", integer=True)
    _, boundary = isolated_chain_condition()
    # sin(2k(M+1)) = 0  <=>  2k(M+1) = j pi; j = 0 and j = 2M+2 give psi = 0
    k_j = sp.solve(sp.Eq(2 * kk * (M + 1), j * sp.pi), kk)[0]
    if sp.simplify(boundary.subs(kk, k_j)) != 0:
        raise RuntimeError("boundary condition not satisfied")
    return -2 * sp.cos(k_j.subs(j, n))
