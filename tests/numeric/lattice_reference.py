"""Independent reference for the lattice's steady currents: adaptive quadrature (scipy.integrate.quad_vec) of the
direct solver's flows (numeric.models.greens.solve: S from G, absorption from G^dagger (loss) G), breakpoints at the
resonance centres of a dense eigenvalue problem written here.  Shares neither the closed forms nor the
Gauss-Legendre panels and cumulative sums of numeric.models.model_currents with the route under test.

The paper's current (anglin Eq. 22/38) is I = (I_L - I_R)/2 and the loss rate gamma n_0 = I_L + I_R, with
I_p = (1/2pi) int [f_p (T2_{p->q} + a_p) - f_q T2_{q->p}].
"""
from __future__ import annotations

import math

import numpy as np
from scipy.integrate import quad_vec

from numeric.models.greens import solve
from numeric.models.tight_binding import TightBinding


def fermi(w: float, mu: float, T: float) -> float:
    if mu == -math.inf:
        return 0.0
    if T == 0:
        return float(w < mu)
    x = (w - mu) / T
    return 1 / (math.exp(x) + 1) if x < 700 else 0.0


def lattice_currents(tb: TightBinding, M: int, tau1: float, gamma: float, Lam: float, mu: tuple, T: tuple = (0, 0),
                     *, energy: bool = False, epsrel: float = 1e-13) -> dict:
    """``{"I": (I_L - I_R)/2, "loss": I_L + I_R}`` (and ``"Q"`` with ``energy``) of the lattice ``tb``.

    ``M, tau1, gamma, Lam`` place the breakpoints (resonance centres of the chain with Sigma = -i tau1^2,
    band edges); ``mu``, ``T``: the leads' chemical potentials (-inf: empty) and temperatures.
    """
    n = 2 * M + 1
    H = -np.eye(n, k=1) - np.eye(n, k=-1) + 0j
    H[M, M] -= 0.5j * gamma
    H[0, 0] -= 1j * tau1**2
    H[-1, -1] -= 1j * tau1**2
    centres = sorted(np.linalg.eigvals(H).real)
    potentials = [complex(ld.potential).real for ld in tb.leads]
    top = max(T) * 40 + max(m for m in mu if m != -math.inf)
    lo = -math.inf if math.isinf(Lam) else min(potentials) - 2 * Lam
    hi = top if math.isinf(Lam) else min(max(potentials) + 2 * Lam, top)
    cuts = sorted({x for x in centres + [m for m in mu if m != -math.inf] + [-2.0, 2.0] +
                   ([] if math.isinf(Lam) else [p + s * 2 * Lam for p in potentials for s in (-1, 1)])
                   if lo < x < hi})
    if math.isinf(Lam):
        cuts = [min(cuts[0], -2.0) - 1.0] + cuts if cuts else [-3.0]

    def parts(w: float) -> np.ndarray:
        """(I_L - I_R)/2, I_L + I_R and omega (I_L - I_R)/2 per unit energy (the paper's combinations: with
        wide-band leads filled to -inf the leads' energy currents diverge, their difference does not)."""
        s = solve(tb, np.array([w]))
        t_lr, t_rl = float(s.T2("L", "R")[0]), float(s.T2("R", "L")[0])
        a_l, a_r = (float(np.nan_to_num(s.absorbed(p)[0])) for p in ("L", "R"))
        f_l, f_r = fermi(w, mu[0], T[0]), fermi(w, mu[1], T[1])
        i_l = f_l * (t_lr + a_l) - f_r * t_rl
        i_r = f_r * (t_rl + a_r) - f_l * t_lr
        return np.array([(i_l - i_r) / 2, i_l + i_r, w * (i_l - i_r) / 2]) / (2 * math.pi)

    edges = [lo] + cuts + [hi]
    out = np.zeros(3)
    for a, b in zip(edges[:-1], edges[1:]):
        if b > a:
            out += quad_vec(parts, a, b, epsabs=0, epsrel=epsrel, limit=2000)[0]
    res = {"I": out[0], "loss": out[1]}
    if energy:
        res["Q"] = out[2]
    return res


def model_fields(M: int, tau1, gamma, Lam, V, omega, *, dps: int | None = None, method: str = "auto"):
    """The lattice's bundled model file (tunnelkit.models.lossy_lattice) evaluated at ``omega``, as the fields of the lattice
    commands: T2, RL2, RR2, absorbed_L/R, transport_L/R = 1 + X|T|^2 - |R|^2 = 2 T2 + absorbed, incident_L/R."""
    from types import SimpleNamespace

    import mpmath

    from tunnelkit.models.lossy_lattice import lattice_model

    r = lattice_model(M, tau1, gamma, Lam, V).transmission(omega, dps=dps, method=method)
    T2, RL2, RR2 = r.T2["L->R"], r.R2["L"], r.R2["R"]
    aL, aR = r.absorbed["L"], r.absorbed["R"]
    nan = np.vectorize(lambda x: x != x, otypes=[bool])
    with mpmath.workdps((dps or 15) + 10):  # the sums of positive terms keep the digits of the mpf values
        tL, tR = 2 * T2 + aL, 2 * r.T2["R->L"] + aR
    return SimpleNamespace(T2=T2, RL2=RL2, RR2=RR2, absorbed_L=aL, absorbed_R=aR, transport_L=tL, transport_R=tR,
                           incident_L=~nan(RL2), incident_R=~nan(RR2), omega=r.omega, method=r.method)
