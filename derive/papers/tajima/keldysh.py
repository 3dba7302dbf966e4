"""Second-order (Keldysh) tunnelling currents against the exact weak-link transmission (tajima Eqs. 20-24).

Exact two-site Dyson equation for surface sites L, R joined by :math:`-t`, each
with its own lead self-energy folded into the isolated surface Green's
functions :math:`g_L, g_R`:

.. math::

    G_{RL} = \\frac{-t\\,g_Lg_R}{1 - t^2 g_Lg_R},\\qquad
    \\mathcal T = 4\\,\\mathrm{Im}g_L\\,\\mathrm{Im}g_R\\,\\frac{t^2}{|1-t^2g_Lg_R|^2}
    = 4t^2\\,\\mathrm{Im}g_L\\mathrm{Im}g_R + O(t^4),

the second-order term being tajima Eq. 20 (per species, after
:math:`\\sum_k|\\phi_k(0)|^2\\mathrm{Im}G_k = \\mathrm{Im}g`).
"""
from __future__ import annotations

import sympy as sp

import derive.fields.field_split as FS
import derive.papers.tajima.split_fields as F

__all__ = ["weak_link_transmission", "second_order", "transfer_charges"]

t = sp.Symbol("t", positive=True)
gLr, gLi, gRr, gRi = sp.symbols("gL_r gL_i gR_r gR_i", real=True)


def weak_link_transmission() -> sp.Basic:
    """Caroli :math:`\\Gamma_L\\Gamma_R|G_{RL}|^2` from the 2x2 Dyson equation (exact in t)."""
    gL, gR = gLr + sp.I * gLi, gRr + sp.I * gRi
    G0 = sp.diag(gL, gR)
    Vt = sp.Matrix([[0, -t], [-t, 0]])
    G = (sp.eye(2) - G0 * Vt).inv() * G0
    # Gamma_i of the surface site in terms of its own isolated g: Gamma = -2 Im g / |g|^2
    GamL, GamR = -2 * gLi / (gLr**2 + gLi**2), -2 * gRi / (gRr**2 + gRi**2)
    GRL = sp.simplify(G[1, 0])
    return sp.simplify(GamL * GamR * GRL * sp.conjugate(GRL))


def second_order() -> tuple[sp.Basic, sp.Basic]:
    """(t^2 coefficient of the exact transmission, the tunnelling formula's 4 Im g_L Im g_R)."""
    Texact = weak_link_transmission()
    series = sp.series(Texact, t, 0, 4).removeO()
    return sp.simplify(series.coeff(t, 2)), 4 * gLi * gRi


def transfer_charges() -> dict[str, int]:
    """Charges moved per term: the factor 2 of tajima:19/21 (pairs) and 22/24 (spin flips).

    Read with the general split's transfer (:func:`derive.fields.field_split.transfer`: change of N_sL per word).
    """
    A = F.ALG
    pair = A.mul(F.pair_creator("L"), A.adjoint(F.pair_creator("R")))
    spin = A.mul(F.spin_plus("L"), F.spin_minus("R"))
    one = A.mul(F.psid("up", "L"), F.psi("up", "R"))
    (wp,), (ws,), (w1,) = pair.keys(), spin.keys(), one.keys()
    moved = {name: FS.transfer(w, F.SPINS) for name, w in (("pair", wp), ("spin", ws), ("one", w1))}
    return {"pair N_L": sum(moved["pair"].values()), "spin N_upL - N_dnL": moved["spin"]["up"] - moved["spin"]["dn"],
            "one-body N_L": sum(moved["one"].values())}
