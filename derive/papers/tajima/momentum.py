"""Momentum-space forms of the tajima Hamiltonian (Eqs. 13-18) and the pair vertex g-tilde.

Conventions (tajima): :math:`X_{\\mathbf q} = \\int d\\mathbf r\\, \\hat X(\\mathbf r) e^{i\\mathbf q\\cdot\\mathbf r}`.
On a periodic grid of ``n`` points this is :math:`X_q = \\sum_x X(x)\\omega^{qx}`,
:math:`\\omega = e^{2\\pi i/n}`, and the identity used throughout is

.. math::

    \\sum_q A_q B_{-q} = n \\sum_x A(x) B(x),

proved here from :math:`\\sum_q \\omega^{q(x-x')} = n\\,\\delta_{xx'}` (:func:`fourier_identity`).
It maps the momentum-space products of tajima:16-18 back onto real-space
products of local operators, which are then compared with the split-field
classes of :mod:`derive.papers.tajima.split_fields`.

>>> fourier_identity(4)
True
"""
from __future__ import annotations

import itertools
from functools import lru_cache

import sympy as sp

import derive.papers.tajima.split_fields as F
from derive.fields.field_algebra import Element

__all__ = ["fourier_identity", "contact_coefficients", "printed_label_bijection", "back_mapped_printed",
           "two_mode_amplitudes", "g_tilde_identity", "exact_amplitudes"]


def fourier_identity(n: int) -> bool:
    """:math:`\\sum_{q=0}^{n-1}\\omega^{q(x-x')} = n\\,\\delta_{xx'}` for all x, x' (exact roots of unity)."""
    w = sp.exp(2 * sp.pi * sp.I / n)
    return all(sp.nsimplify(sp.expand_complex(sum(w ** (q * (x - xp)) for q in range(n)))) == (n if x == xp else 0)
               for x in range(n) for xp in range(n))


@lru_cache(maxsize=None)
def contact_coefficients(n: int) -> dict:
    """Coefficient of :math:`c^\\dagger_{k_1\\uparrow}c^\\dagger_{k_2\\downarrow}c_{k_3\\downarrow}c_{k_4\\uparrow}`
    in :math:`\\sum_x\\psi^\\dagger_\\uparrow\\psi^\\dagger_\\downarrow\\psi_\\downarrow\\psi_\\uparrow`,
    :math:`\\psi(x) = n^{-1/2}\\sum_k \\omega^{kx} c_k` (exact, all :math:`n^4` quadruples)."""
    w = sp.exp(2 * sp.pi * sp.I / n)
    out = {}
    for k1, k2, k3, k4 in itertools.product(range(n), repeat=4):
        s = sum(w ** ((-k1 - k2 + k3 + k4) * x) for x in range(n)) / n**2
        out[(k1, k2, k3, k4)] = sp.nsimplify(sp.expand_complex(s))
    return out


def printed_label_bijection(n: int) -> bool:
    """tajima:13 labels :math:`(k+q, -k, -k', k'+q)` enumerate every momentum-conserving quadruple once."""
    seen = [((k + q) % n, (-k) % n, (-kp) % n, (kp + q) % n) for k in range(n) for kp in range(n) for q in range(n)]
    conserving = [t for t in itertools.product(range(n), repeat=4) if (t[0] + t[1] - t[2] - t[3]) % n == 0]
    return len(seen) == len(set(seen)) and set(seen) == set(conserving)


def back_mapped_printed() -> dict[str, Element]:
    """tajima:16-18 mapped to real space by the Fourier identity (g-tilde -> g), normal-ordered.

    (16) :math:`P^\\dagger_{qL}P_{-qR} + \\text{h.c.} \\to P_L^\\dagger P_R + P_R^\\dagger P_L`;
    (17) :math:`S^+_{qL}S^-_{-qR} + S^+_{-qR}S^-_{qL} \\to S^+_LS^-_R + S^+_RS^-_L`;
    (18) :math:`\\sum_\\sigma N_{q\\sigma L}N_{-q\\sigma R} \\to \\sum_\\sigma N_{\\sigma L}N_{\\sigma R}` (same spin, as printed).
    """
    A = F.ALG
    pair = A.add(A.mul(F.pair_creator("L"), A.adjoint(F.pair_creator("R"))),
                 A.mul(F.pair_creator("R"), A.adjoint(F.pair_creator("L"))))
    spin = A.add(A.mul(F.spin_plus("L"), F.spin_minus("R")), A.mul(F.spin_plus("R"), F.spin_minus("L")))
    ind = A.add(*(A.mul(F.density(s, "L"), F.density(s, "R")) for s in F.SPINS))
    return {k: A.normal_order(A.scale(v, F.g)) for k, v in (("pair", pair), ("spin", spin), ("ind", ind))}


def two_mode_amplitudes() -> dict[str, sp.Basic]:
    """One-body amplitudes of a two-mode (double-well) toy: exact matrix element vs the printed product.

    Single-particle :math:`h = \\begin{pmatrix}\\epsilon & -t\\\\ -t & \\epsilon\\end{pmatrix}`,
    L/R modes :math:`f_L = (1,0)`, :math:`f_R = (0,1)` (orthonormal, localised).
    Exact: :math:`\\mathcal T = f_L^\\dagger h f_R = -t`; printed (15):
    :math:`\\mathcal T = Z_{LR}[\\ldots]` with :math:`Z_{LR} = f_L^\\dagger f_R = 0`.
    Reflection (14): exact :math:`\\mathcal R_{LL} = f_L^\\dagger V f_L`, printed :math:`Z_{LL} V(0)`.
    """
    eps, t, v1, v2, v12 = sp.symbols("epsilon t v_1 v_2 v_12", real=True)
    h = sp.Matrix([[eps, -t], [-t, eps]])
    V = sp.Matrix([[v1, v12], [v12, v2]])
    fL, fR = sp.Matrix([1, 0]), sp.Matrix([0, 1])
    Z = (fL.H * fR)[0]
    bracket = sp.Symbol("[delta*eps + V(k-p)]")
    return {"T_exact": (fL.H * h * fR)[0], "T_printed": Z * bracket,
            "R_exact": (fL.H * V * fL)[0], "R_printed": (fL.H * fL)[0] * sp.Symbol("V(0)")}


def exact_amplitudes() -> dict[str, sp.Basic]:
    r"""The one-body amplitudes as single matrix elements (corrected tajima:14, 15), 1D display form.

    .. math::

        \mathcal T_{kp\sigma} = \int dx\, f^*_{k\sigma L}\,\hat\tau_\sigma f_{p\sigma R},\qquad
        \mathcal R_{kp\sigma i} = \int dx\, f^*_{k\sigma i}\,V_\sigma f_{p\sigma i}.
    """
    x = sp.Symbol("x", real=True)
    kk, pp = sp.symbols("k p", real=True)
    fkL, fpR, fki, fpi, V, tau = (sp.Function(n) for n in ("f_{kL}", "f_{pR}", "f_{ki}", "f_{pi}", "V", r"\hat\tau"))
    return {"T": sp.Integral(sp.conjugate(fkL(x)) * tau(fpR(x)), (x, -sp.oo, sp.oo)),
            "R": sp.Integral(sp.conjugate(fki(x)) * V(x) * fpi(x), (x, -sp.oo, sp.oo)),
            "contact": F.g / sp.Symbol("V_box", positive=True)
            * sp.KroneckerDelta(sp.Symbol("k_1") + sp.Symbol("k_2"), sp.Symbol("k_3") + sp.Symbol("k_4"))}


def g_tilde_identity() -> sp.Basic:
    """:math:`g(B^*_{k_1\\uparrow}B^*_{k_2\\downarrow} + B_{k_3\\downarrow}B_{k_4\\uparrow})|_{k\\to 0} - 2g\\,\\mathrm{Re}(B_{0\\uparrow}B_{0\\downarrow})`."""
    a1, b1, a2, b2 = sp.symbols("a_1 b_1 a_2 b_2", real=True)
    bu, bd = a1 + sp.I * b1, a2 + sp.I * b2
    return sp.expand(F.g * (sp.conjugate(bu) * sp.conjugate(bd) + bd * bu) - 2 * F.g * sp.re(sp.expand(bu * bd)))
