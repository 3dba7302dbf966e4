"""Scattering solutions of the lossy lattice, anglin Appendix A (Eqs. 30-36).

Everything here is *constructed*, not transcribed: the middle-chain solutions
are the two parity solutions of Eq. (9) inside :math:`|m|\\le M`, the outer
coefficients come from solving Eq. (9) at the matching sites, and
:math:`A, B, Z, \\mathcal T, \\mathcal R_{L,R}` are read off the constructed
wave functions.  Comparison with the printed forms is done in
:mod:`tunnelkit.registry`.

Conventions
-----------
Middle chain: :math:`\\omega = -2\\cos k` (Eq. 30).  Leads (Eq. 17):
:math:`\\omega = -2\\Lambda\\cos k_{L,R} \\pm V/2`.  Outside the chain
(Eq. 32) :math:`\\psi_m = \\alpha e^{ik_j|m|} + \\beta e^{-ik_j|m|}`.  The
paper's ``*`` on ``A, B`` is :func:`derive.papers.anglin.symbols.star`
(:math:`k_j\\to -k_j`).

The derived outer coefficients are

.. math::

    \\alpha^-_j = \\frac{\\sigma_j A_j}{2\\sqrt\\Lambda},\\qquad
    \\alpha^+_j = \\frac{B_j - \\tfrac{i\\gamma}{4\\sin k}A_j}{2\\sqrt\\Lambda}

(:math:`\\sigma_L=-1, \\sigma_R=+1`) with :math:`A_j, B_j` exactly as in
Eq. (34): the factor :math:`\\Lambda^{-1/2}` is absent from the printed
Eq. (33).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Literal

import sympy as sp

from derive.papers.anglin.lattice import Variant, schrodinger_residual
from derive.papers.anglin.symbols import M, V, Lam, gamma, k, kL, kR, omega

__all__ = [
    "psi_odd", "psi_even", "outer_wave", "eliminate", "match_end", "Coefficients",
    "coefficients", "scaled_blocks", "Amplitudes", "assemble", "amplitudes", "incoming_right",
    "chain_psi", "Side", "SITE_CLASSES", "SITE_INTEGERS", "site_residual",
]

Side = Literal["L", "R"]
Parity = Literal["odd", "even"]

_alpha, _beta = sp.symbols("alpha beta")
_SIGN = {"L": -1, "R": 1}
_KJ = {"L": kL, "R": kR}


def psi_odd(mm: sp.Basic) -> sp.Basic:
    """Odd middle-chain solution, anglin:30: :math:`\\psi^-_m = \\sin(km)`."""
    return sp.sin(k * mm)


def psi_even(mm: sp.Basic) -> sp.Basic:
    """Even middle-chain solution, anglin:31.

    .. math:: \\psi^+_m = \\cos(km) - \\frac{i\\gamma}{4\\sin k}\\sin(k|m|)
    """
    return sp.cos(k * mm) - sp.I * gamma / (4 * sp.sin(k)) * sp.sin(k * sp.Abs(mm))


def outer_wave(mm: sp.Basic, side: Side, alpha: sp.Basic, beta: sp.Basic) -> sp.Basic:
    """Outer plane waves, anglin:32: :math:`\\alpha e^{ik_j|m|}+\\beta e^{-ik_j|m|}`."""
    kj = _KJ[side]
    return alpha * sp.exp(sp.I * kj * sp.Abs(mm)) + beta * sp.exp(-sp.I * kj * sp.Abs(mm))


def eliminate(expr: sp.Basic, side: Side) -> sp.Basic:
    """Express ``omega`` by the chain dispersion and ``V`` by the ``side`` lead's.

    Uses :math:`\\omega = -2\\cos k` and :math:`\\omega = \\mp V/2 ... `
    (anglin:17 solved for V), so that k and :math:`k_j` become independent.
    """
    w = -2 * sp.cos(k)
    kj = _KJ[side]
    v_sub = 2 * (w + 2 * Lam * sp.cos(kj)) * (1 if side == "L" else -1)
    return expr.subs(V, v_sub).subs(omega, w)


def chain_psi(
    chain: Callable[[sp.Basic], sp.Basic],
    coeffs: dict[Side, tuple[sp.Basic, sp.Basic]],
    *,
    edge: sp.Basic = M,
) -> Callable[[sp.Basic], sp.Basic]:
    """Piecewise wave function: ``chain`` for :math:`|m|\\le` ``edge``, outer waves beyond.

    ``m`` must be of the form ``+-(M + n)`` or an explicit symbol whose sign
    relative to ``edge`` SymPy can decide.
    """

    def psi(mm: sp.Basic) -> sp.Basic:
        if (sp.Abs(mm) - edge).is_nonpositive:
            return chain(mm)
        if (sp.Abs(mm) - edge).is_positive:
            side: Side = "R" if mm.is_positive else "L"
            return outer_wave(mm, side, *coeffs[side])
        raise ValueError(f"cannot place site {mm} relative to the chain edge {edge}")

    return psi


@lru_cache(maxsize=None)
def match_end(side: Side, parity: Parity, variant: Variant = "corrected") -> tuple[sp.Basic, sp.Basic]:
    """Outer coefficients (alpha, beta) on ``side`` from Eq. (9) at the two matching sites.

    The two equations used are those at :math:`m=\\sigma_j M` and
    :math:`m=\\sigma_j(M+1)` (the paper's "|m| = M and |m| = M+1").  For the
    printed lattice the unit-hopping bond reaches site :math:`\\pm(M+1)` and
    the result is whatever these two equations give; the other sites then
    fail (see :func:`tunnelkit.registry` entry ``anglin:2``).
    """
    chain = psi_odd if parity == "odd" else psi_even
    s = _SIGN[side]
    coeffs = {side: (_alpha, _beta), ("L" if side == "R" else "R"): (0, 0)}
    psi = chain_psi(chain, coeffs)
    eqs = [eliminate(schrodinger_residual(psi, s * (M + n), variant=variant), side) for n in (0, 1)]
    eqs = [sp.piecewise_fold(e).doit() for e in eqs]
    mat, rhs = sp.linear_eq_to_matrix(eqs, [_alpha, _beta])
    det = mat[0, 0] * mat[1, 1] - mat[0, 1] * mat[1, 0]
    if det == 0:
        raise RuntimeError(f"matching on side {side} ({parity}) is singular")
    # Cramer's rule for the 2x2 system (sympy.solve's rref is slow here)
    alpha = (rhs[0] * mat[1, 1] - mat[0, 1] * rhs[1]) / det
    beta = (mat[0, 0] * rhs[1] - rhs[0] * mat[1, 0]) / det
    return alpha, beta


@dataclass(frozen=True)
class Coefficients:
    """Derived :math:`A_j, B_j` (and their stars) and the outer coefficients."""

    A: dict  # side -> expr
    B: dict
    alpha: dict  # (side, parity) -> expr
    beta: dict


@lru_cache(maxsize=None)
def coefficients(variant: Variant = "corrected") -> Coefficients:
    """Read A, B off the matched outer coefficients (anglin:33-34).

    :math:`A_j = 2\\sqrt\\Lambda\\,\\sigma_j\\alpha^-_j` and
    :math:`B_j = 2\\sqrt\\Lambda\\,\\alpha^+_j + \\frac{i\\gamma}{4\\sin k}A_j`.
    """
    alpha, beta, A, B = {}, {}, {}, {}
    for side in ("L", "R"):
        for parity in ("odd", "even"):
            alpha[side, parity], beta[side, parity] = match_end(side, parity, variant)
        A[side] = 2 * sp.sqrt(Lam) * _SIGN[side] * alpha[side, "odd"]
        B[side] = 2 * sp.sqrt(Lam) * alpha[side, "even"] + sp.I * gamma / (4 * sp.sin(k)) * A[side]
    return Coefficients(A, B, alpha, beta)


Blocks = dict  # (side, parity) -> expr


def scaled_blocks(variant: Variant = "corrected") -> tuple[Blocks, Blocks]:
    """Scaled outer coefficients :math:`a = 2\\sqrt\\Lambda\\,\\alpha`, :math:`b = 2\\sqrt\\Lambda\\,\\beta`.

    In the printed notation :math:`a^-_j = \\sigma_jA_j`, :math:`b^-_j = \\sigma_jA^*_j`,
    :math:`a^+_j = B_j - \\tfrac{i\\gamma}{4\\sin k}A_j`,
    :math:`b^+_j = B^*_j - \\tfrac{i\\gamma}{4\\sin k}A^*_j`; these identities are
    checked, not assumed (registry ``anglin:33``, ``anglin:34``).
    """
    c = coefficients(variant)
    a = {key: 2 * sp.sqrt(Lam) * val for key, val in c.alpha.items()}
    b = {key: 2 * sp.sqrt(Lam) * val for key, val in c.beta.items()}
    return a, b


@dataclass(frozen=True)
class Amplitudes:
    """Scattering amplitudes assembled from scaled blocks (anglin:35, 36).

    With :math:`Z = (b^-_R b^+_L - b^+_R b^-_L)/2`:

    * left incidence :math:`\\Psi^L = \\sqrt\\Lambda\\,(b^-_R\\psi^+ - b^+_R\\psi^-)/(\\sqrt{2\\pi}Z)`
      (incoming amplitude exactly :math:`1/\\sqrt{2\\pi}`),
    * :math:`\\mathcal R_L` = ``nRL / Z``, transmitted wave amplitude
      :math:`t_L` = ``ntL / Z`` so that :math:`\\mathcal T = t_L\\sqrt{\\sin k_R/\\sin k_L}`,
    * right incidence likewise with ``nRR``, ``ntR``,
    * absorbed fraction of a unit incident flux
      :math:`a_j = 2\\pi\\gamma|\\Psi^j_0|^2 D_j` (``absL``, ``absR``), with
      :math:`D_j = 1/(2\\Lambda\\sin k_j)` of Eq. (18).
    """

    Z: sp.Basic
    psiL: tuple[sp.Basic, sp.Basic]  # coefficients of (psi^+, psi^-) times sqrt(2 pi) Z / sqrt(Lambda)
    psiR: tuple[sp.Basic, sp.Basic]
    nRL: sp.Basic
    ntL: sp.Basic
    nRR: sp.Basic
    ntR: sp.Basic
    absL: sp.Basic
    absR: sp.Basic


def assemble(a: Blocks, b: Blocks, sin_kL: sp.Basic, sin_kR: sp.Basic) -> Amplitudes:
    """Build all amplitudes from scaled blocks; no Lambda appears explicitly.

    Left incidence: no :math:`e^{-ik_Rm}` on the right, i.e. coefficients
    :math:`(b^-_R, -b^+_R)` of :math:`(\\psi^+, \\psi^-)`; right incidence:
    :math:`(-b^-_L, b^+_L)` (sign as in the printed :math:`\\Psi^R`).
    """
    L, R = "L", "R"
    pL = (b[R, "odd"], -b[R, "even"])
    pR = (-b[L, "odd"], b[L, "even"])

    def comb(p, blocks, side):
        return (p[0] * blocks[side, "even"] + p[1] * blocks[side, "odd"]) / 2

    Z = comb(pL, b, L)  # incoming amplitude of Psi^L, times sqrt(Lambda)
    return Amplitudes(
        Z=Z,
        psiL=pL,
        psiR=pR,
        nRL=comb(pL, a, L),
        ntL=comb(pL, a, R),
        nRR=comb(pR, a, R),
        ntR=comb(pR, a, L),
        absL=gamma * sp.Abs(pL[0]) ** 2 / (2 * sin_kL * sp.Abs(Z) ** 2),
        absR=gamma * sp.Abs(pR[0]) ** 2 / (2 * sin_kR * sp.Abs(Z) ** 2),
    )


@lru_cache(maxsize=None)
def amplitudes(variant: Variant = "corrected") -> Amplitudes:
    """Amplitudes of the finite-Lambda problem, from the derived blocks."""
    a, b = scaled_blocks(variant)
    return assemble(a, b, sp.sin(kL), sp.sin(kR))


def incoming_right(amp: Amplitudes, b: Blocks) -> sp.Basic:
    """Incoming amplitude of :math:`\\Psi^R` times :math:`\\sqrt\\Lambda` (equals ``Z``)."""
    return (amp.psiR[0] * b["R", "even"] + amp.psiR[1] * b["R", "odd"]) / 2


_j = sp.Symbol("j", integer=True, positive=True)
_p = sp.Symbol("p", integer=True, nonnegative=True)
_q = sp.Symbol("q", integer=True, nonnegative=True)

#: every class of site of the lattice: (representative m, substitution for M)
SITE_CLASSES: dict[str, tuple[sp.Basic, dict]] = {
    "chain interior 0 < m < M": (_j, {M: _j + 1 + _p}),
    "chain interior -M < m < 0": (-_j, {M: _j + 1 + _p}),
    "lossy site m = 0": (sp.Integer(0), {}),
    "matching m = M": (M, {}),
    "matching m = M+1": (M + 1, {}),
    "matching m = -M": (-M, {}),
    "matching m = -(M+1)": (-(M + 1), {}),
    "outer m = M+2": (M + 2, {}),
    "outer m = -(M+2)": (-(M + 2), {}),
    "outer m >= M+3": (M + 3 + _q, {}),
    "outer m <= -(M+3)": (-(M + 3 + _q), {}),
}
#: integer symbols that appear in the representatives (for :func:`derive.claims.proof.decide_zero`)
SITE_INTEGERS = (M, _j, _p, _q)


def site_residual(parity: Parity, site_class: str, variant: Variant = "corrected") -> sp.Basic:
    """Residual of Eq. (9) for the constructed :math:`\\psi^\\pm` on one class of site.

    The outer coefficients are those matched at :math:`\\pm M, \\pm(M+1)` for
    the given lattice ``variant``; ``omega`` and ``V`` are eliminated through
    the dispersion relations (:func:`eliminate`).  Zero on every class means
    the construction solves the lattice; :math:`\\Psi^{L,R}` are linear
    combinations of :math:`\\psi^\\pm` and inherit this.
    """
    mm, msub = SITE_CLASSES[site_class]
    chain = psi_odd if parity == "odd" else psi_even
    coeffs = {side: tuple(v.subs(msub) for v in match_end(side, parity, variant)) for side in ("L", "R")}
    psi = chain_psi(chain, coeffs, edge=M.subs(msub))
    res = schrodinger_residual(psi, mm, variant=variant).subs(msub)
    side: Side = "L" if (mm.is_negative or (-mm - M).is_nonnegative) else "R"
    return eliminate(sp.piecewise_fold(res).doit(), side)
