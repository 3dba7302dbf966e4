"""Momentum-space forms of tajima Eqs. (13), (16)-(18) against the real-space ones on a periodic ring.

The fields are those of the general Fock-space route (:class:`numeric.fields.field_fock.FieldGrid`:
Jordan-Wigner matrices of spin-1/2 fermions, an orthogonal L/R mode split); this module only
takes Fourier sums of them.

>>> r = ring_momentum_check(3)
>>> bool(r["pair"] < 1e-12 and r["ind_printed"] > 0.1)
True
"""
from __future__ import annotations

import numpy as np

from numeric.fields.field_fock import FieldGrid, rel_diff

__all__ = ["ring_momentum_check"]

SPINS = ("up", "dn")


def ring_momentum_check(n: int = 3, *, seed: int = 0) -> dict[str, float]:
    """Momentum-space forms (tajima:13, 16-18) against the real-space ones on a periodic ring.

    Sites :math:`x=0..n-1`, :math:`q = 2\\pi m/n`, Fourier components
    :math:`X_q = \\sum_x X(x)e^{iqx}` (the paper's convention), so that
    :math:`\\sum_x A(x)B(x) = n^{-1}\\sum_q A_q B_{-q}`.

    Parameters
    ----------
    n : int
        Ring sites (Fock dimension 4^n).
    seed : int
        Random mode unitaries of the grid.

    Returns
    -------
    dict
        Relative differences: ``contact`` (13: momentum-conserving form with 1/n against
        the real-space contact term), ``pair``, ``spin`` (16, 17 against 8, 9),
        ``ind_printed`` (18 as printed, :math:`N_{q\\sigma L}N_{-q\\sigma R}`, against 10)
        and ``ind_corrected`` (with :math:`\\bar\\sigma`).
    """
    grid = FieldGrid.random("fermion", SPINS, (), n_points=n, n_left=max(1, n // 2), seed=seed)

    def field(s, i, x):
        return grid.field(s, i, x)

    def dag(M):
        return M.conj().T.tocsr()

    def density(s, i, x):
        return dag(field(s, i, x)) @ field(s, i, x)

    def pair_creator(i, x):
        return dag(field("up", i, x)) @ dag(field("dn", i, x))

    def spin_plus(i, x):
        return dag(field("up", i, x)) @ field("dn", i, x)

    def local(f):
        return sum(f(x) for x in range(n))

    qs = 2 * np.pi * np.arange(n) / n
    ph = np.exp(1j * np.outer(qs, np.arange(n)))  # ph[q, x]

    def fourier(f, qi):  # X_q = sum_x X(x) e^{iqx}
        return sum(ph[qi, x] * f(x) for x in range(n))

    minus = [(-qi) % n for qi in range(n)]
    sb = {"up": "dn", "dn": "up"}
    spin_LR = local(lambda x: spin_plus("L", x) @ dag(spin_plus("R", x)))
    real = {
        "pair": local(lambda x: pair_creator("L", x) @ dag(pair_creator("R", x))),
        "spin": spin_LR + dag(spin_LR),
        "ind": local(lambda x: sum(density(s, "L", x) @ density(sb[s], "R", x) for s in SPINS)),
    }
    mom = {
        "pair": sum(fourier(lambda x: pair_creator("L", x), qi)
                    @ fourier(lambda x: dag(pair_creator("R", x)), minus[qi]) for qi in range(n)),
        "spin": sum(fourier(lambda x: spin_plus("L", x), qi) @ fourier(lambda x: dag(spin_plus("R", x)), minus[qi])
                    + fourier(lambda x: spin_plus("R", x), minus[qi]) @ fourier(lambda x: dag(spin_plus("L", x)), qi)
                    for qi in range(n)),
        "ind_printed": sum(fourier(lambda x, s=s: density(s, "L", x), qi)
                           @ fourier(lambda x, s=s: density(s, "R", x), minus[qi])
                           for qi in range(n) for s in SPINS),
        "ind": sum(fourier(lambda x, s=s: density(s, "L", x), qi)
                   @ fourier(lambda x, s=s: density(sb[s], "R", x), minus[qi])
                   for qi in range(n) for s in SPINS),
    }
    out = {"pair": rel_diff(mom["pair"] / n, real["pair"]),
           "spin": rel_diff(mom["spin"] / n, real["spin"]),
           "ind_printed": rel_diff(mom["ind_printed"] / n, real["ind"]),
           "ind_corrected": rel_diff(mom["ind"] / n, real["ind"])}
    # (13): plane-wave modes on the ring, c_k = n^{-1/2} sum_x e^{-ikx} psi(x)
    c = {s: [sum(np.exp(-1j * qs[k] * x) * field(s, None, x) for x in range(n)) / np.sqrt(n) for k in range(n)]
         for s in SPINS}
    contact = local(lambda x: dag(field("up", None, x)) @ dag(field("dn", None, x))
                    @ field("dn", None, x) @ field("up", None, x))
    mom13 = sum(dag(c["up"][(k + q) % n]) @ dag(c["dn"][(-k) % n]) @ c["dn"][(-kp) % n] @ c["up"][(kp + q) % n]
                for k in range(n) for kp in range(n) for q in range(n)) / n
    out["contact"] = rel_diff(mom13, contact)
    return out
