"""Independent reference for the lossy chain: its Green's function in exact arithmetic (SymPy).

The middle chain of 2M+1 sites (hopping -1, loss -i gamma/2 on the centre)
with the exact lead self-energies on its end sites, Sigma_j = -tau1^2 e^{ik_j}:
Lambda -> oo gives e^{ik_j} = i; Lambda = 1 the root of
e^{ik} + e^{-ik} = -(omega -+ V/2) with Im e^{ik} > 0 (propagating leads).
Probabilities from Fisher-Lee: |T|^2 = Gamma_L Gamma_R |G_{N1}|^2,
R_L = -1 + i Gamma_L G_11, Gamma_j = -2 Im Sigma_j.  Nothing here uses the
closed forms, their chain atoms or mpmath: the linear systems are solved
exactly over Q(i) (rational e^{ik}) or an algebraic number field, and the
exact results are evaluated to ``digits`` digits with SymPy.
"""
from __future__ import annotations

import sympy as sp
from sympy.polys.domains import QQ_I
from sympy.polys.matrices import DomainMatrix


def lead_root(x: sp.Rational) -> sp.Basic:
    """e^{ik} with e^{ik} + e^{-ik} = -x, |x| < 2, Im > 0: (-x + i sqrt(4 - x^2)) / 2 (exact)."""
    assert abs(x) < 2
    return (-x + sp.I * sp.sqrt(4 - x**2)) / 2


def scattering(M: int, tau1, gamma, omega, *, V=0, infinite: bool = True, digits: int = 80) -> dict:
    """T2, RL2, RR2, transport_L, transport_R of the chain, exact, evaluated to ``digits`` digits.

    Both leads propagate (the only case where all five are defined); ``tau1``,
    ``gamma``, ``omega``, ``V`` are exact SymPy rationals.
    """
    tau1, gamma, omega, V = (sp.Rational(x) for x in (tau1, gamma, omega, V))
    lam = {"L": sp.I, "R": sp.I} if infinite else {"L": lead_root(omega - V / 2), "R": lead_root(omega + V / 2)}
    roots = sorted({r for v in lam.values() for r in v.atoms(sp.Pow) if r.exp == sp.Rational(1, 2)}, key=str)
    K = QQ_I if not roots else sp.QQ.algebraic_field(sp.I, *roots)
    sigma = {j: -tau1**2 * lam[j] for j in lam}
    width = {j: sp.expand(-2 * sp.im(sp.expand(sigma[j]))) for j in sigma}
    N = 2 * M + 1
    diag = [omega] * N
    diag[M] += sp.I * gamma / 2                  # omega - H: H_00 = -i gamma/2
    diag[0] -= sigma["L"]
    diag[N - 1] -= sigma["R"]
    rows = [[K.zero] * N for _ in range(N)]
    for i in range(N):
        rows[i][i] = K.from_sympy(sp.expand(diag[i]))
        if i + 1 < N:
            rows[i][i + 1] = rows[i + 1][i] = K.one  # -H_{m,m+1} = +1
    A = DomainMatrix(rows, (N, N), K)

    def column(j: int) -> list:
        e = [K.one if i == j else K.zero for i in range(N)]
        try:
            return [K.to_sympy(v) for v in _tridiagonal_solve([rows[i][i] for i in range(N)], e, K)]
        except ZeroDivisionError:  # an exactly singular leading minor: general elimination
            return list(A.lu_solve(DomainMatrix([[v] for v in e], (N, 1), K)).to_Matrix())

    g_first, g_last = column(0), column(N - 1)

    def abs2(z: sp.Basic) -> sp.Basic:
        if not roots:  # Q(i): exact
            return sp.expand(z * sp.conjugate(z))
        v = sp.N(z, digits + 20)
        return sp.re(v) ** 2 + sp.im(v) ** 2

    T2 = width["L"] * width["R"] * abs2(g_first[N - 1])
    RL2 = abs2(-1 + sp.I * width["L"] * g_first[0])
    RR2 = abs2(-1 + sp.I * width["R"] * g_last[N - 1])
    out = {"T2": T2, "RL2": RL2, "RR2": RR2, "transport_L": 1 + T2 - RL2, "transport_R": 1 + T2 - RR2}
    return {k: (v if not roots else sp.N(v, digits)) for k, v in out.items()}


def _tridiagonal_solve(diag: list, rhs: list, K) -> list:
    """Solve the tridiagonal system with unit off-diagonals exactly over ``K`` (Thomas algorithm, O(N))."""
    n = len(diag)
    cp, dp = [K.zero] * n, [K.zero] * n
    m = diag[0]
    cp[0], dp[0] = K.one / m, rhs[0] / m
    for i in range(1, n):
        m = diag[i] - cp[i - 1]
        if not m:
            raise ZeroDivisionError
        cp[i], dp[i] = K.one / m, (rhs[i] - dp[i - 1]) / m
    x = [K.zero] * n
    x[-1] = dp[-1]
    for i in range(n - 2, -1, -1):
        x[i] = dp[i] - cp[i] * x[i + 1]
    return x
