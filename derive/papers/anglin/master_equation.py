"""From the many-body Lindblad equation to single-particle dynamics (anglin Sec. II, III.5, App. C, D).

* :func:`single_particle_master_equation` -- Eq. (7) derived from Eq. (4)
  with the Hamiltonian Eq. (1), for fermions and bosons, via the Heisenberg
  adjoint of the Lindbladian acting on :math:`a^\\dagger_{m'}a_m` in
  :mod:`derive.fields.field_algebra`;
* :func:`ansatz_residual` -- the factorised ansatz Eq. (8) solves Eq. (7)
  exactly when its modes solve Eq. (9);
* :func:`continuity` -- Eqs. (19)-(20); :func:`local_energy`,
  :func:`energy_balance` -- Eqs. (39)-(40); :func:`wronskian` -- Eq. (44).

Conventions: :math:`R_{m'm} = \\mathrm{Tr}(a^\\dagger_{m'}a_m\\rho)`, hbar = 1,
``T(m)``, ``V(m)`` undefined functions (the lattice of Eqs. 2-3 is a special
case).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Literal

import sympy as sp

from derive.fields.field_algebra import Algebra
from derive.papers.anglin.symbols import gamma, tau

__all__ = [
    "T", "V", "R", "single_particle_master_equation", "printed_master_equation", "apply_kronecker",
    "telescoped_sum",
    "particle_number_rate", "ansatz_residual", "continuity", "local_energy", "energy_balance",
    "wronskian",
]

T = sp.Function("T")
V = sp.Function("V")
R = sp.Function("R")  # R(m', m) = Tr(a^dag_{m'} a_m rho)
_mp, _m, _n = sp.symbols("m' m n", integer=True)


def _algebra(stats: str) -> Algebra:
    return Algebra(stats, lambda x, y: sp.KroneckerDelta(x, y))  # type: ignore[arg-type]


def _hamiltonian_term(alg: Algebra, n: sp.Symbol) -> dict:
    """Summand of Eq. (1) (units of hbar tau): -T_n (a+_{n+1} a_n + a+_n a_{n+1}) + V_n a+_n a_n."""
    a, ad = alg.annihilator, alg.creator
    return alg.add(
        alg.scale(alg.mul(ad(n + 1), a(n)), -T(n)),
        alg.scale(alg.mul(ad(n), a(n + 1)), -T(n)),
        alg.scale(alg.mul(ad(n), a(n)), V(n)),
    )


def apply_kronecker(expr: sp.Basic) -> sp.Basic:
    """Use each Kronecker delta of a term: :math:`\\delta_{a m} f(m) \\to \\delta_{a m} f(a)` (m a symbol)."""
    out = sp.Integer(0)
    for term in sp.Add.make_args(sp.expand(expr)):
        for d in term.atoms(sp.KroneckerDelta):
            cond = d.args[0] - d.args[1]
            syms = sorted(cond.free_symbols, key=str)
            if len(syms) == 1:
                (sol,) = sp.solve(cond, syms[0]) or [None]
                if sol is not None:  # canonical delta(m, value), and use it in the rest of the term
                    term = sp.KroneckerDelta(syms[0], sol) * (term / d).subs(syms[0], sol)
        out += term
    return sp.expand(out)


def telescoped_sum(expr: sp.Basic, n: sp.Symbol) -> sp.Basic:
    """Combine Sums over n in (-oo, oo) after shifting each so that its first R argument is n."""
    out, summands = sp.Integer(0), sp.Integer(0)
    for term in sp.Add.make_args(sp.expand(expr)):
        if isinstance(term, sp.Sum) or (term.is_Mul and any(isinstance(f, sp.Sum) for f in term.args)):
            coeff, (s_,) = sp.Integer(1), [f for f in sp.Mul.make_args(term) if isinstance(f, sp.Sum)]
            coeff = term / s_
            body = s_.function
            first = [r.args[0] for r in body.atoms(R)][0]
            shift = sp.expand(first - n)
            summands += coeff * body.subs(n, n - shift)
        else:
            out += term
    summands = sp.simplify(summands)
    return out + (sp.Sum(summands, (n, -sp.oo, sp.oo)) if summands != 0 else 0)


def _collapse(expr: sp.Basic, n: sp.Symbol) -> sp.Basic:
    """Sum over n in (-oo, oo) of an expression with Kronecker deltas in n."""
    total = sp.Integer(0)
    for term in sp.Add.make_args(sp.expand(expr)):
        total += sp.Sum(term, (n, -sp.oo, sp.oo)).doit()
    return sp.expand(total)


@lru_cache(maxsize=None)
def heisenberg_generator(stats: Literal["fermi", "bose"]) -> sp.Basic:
    """d/dt of :math:`\\langle a^\\dagger_{m'}a_m\\rangle` under Eq. (4), as a function of R.

    .. math::

        \\frac{d}{dt}\\langle O\\rangle = \\Big\\langle i\\tau[H, O] + \\gamma\\tau\\big(a_0^\\dagger O a_0
        - \\tfrac12\\{a_0^\\dagger a_0, O\\}\\big)\\Big\\rangle
    """
    alg = _algebra(stats)
    a, ad = alg.annihilator, alg.creator
    O = alg.mul(ad(_mp), a(_m))
    comm = alg.commutator(_hamiltonian_term(alg, _n), O)
    n0 = alg.mul(ad(0), a(0))
    diss = alg.normal_order(alg.add(
        alg.mul(ad(0), O, a(0)),
        alg.scale(alg.mul(n0, O), -sp.Rational(1, 2)),
        alg.scale(alg.mul(O, n0), -sp.Rational(1, 2)),
    ))
    bil = lambda x, y: R(x, y)  # noqa: E731
    hamiltonian_part = _collapse(sp.I * tau * alg.expectation(comm, bil), _n)
    return sp.expand(hamiltonian_part + gamma * tau * alg.expectation(diss, bil))


def single_particle_master_equation(stats: Literal["fermi", "bose"]) -> sp.Eq:
    """anglin:7 derived: :math:`\\frac{i}{\\tau}\\dot R_{m'm}` as a linear function of R."""
    return sp.Eq(sp.Symbol("i dR/dt / tau"), sp.expand(sp.I / tau * heisenberg_generator(stats)))


def printed_master_equation() -> sp.Basic:
    """Right side of anglin:7 as printed."""
    mp, m = _mp, _m
    return (T(mp) * R(mp + 1, m) + T(mp - 1) * R(mp - 1, m) - T(m) * R(mp, m + 1) - T(m - 1) * R(mp, m - 1)
            + (V(m) - V(mp)) * R(mp, m) - sp.I * gamma / 2 * (sp.KroneckerDelta(mp, 0) * R(0, m)
                                                               + sp.KroneckerDelta(0, m) * R(mp, 0)))


def particle_number_rate(stats: Literal["fermi", "bose"]) -> sp.Basic:
    """d<N>/dt from Eq. (4): the adjoint Lindbladian applied to N; -gamma tau <n_0>."""
    gen = heisenberg_generator(stats)
    diag = gen.subs(_mp, _m)
    return telescoped_sum(_collapse(diag.subs(_m, _n), _n), _n)


# ----------------------------------------------------------------------------- Eq. (8) -> Eq. (9)

Psi = sp.Function("Psi")  # Psi(m, w)
Psic = sp.Function("Psi_c")  # complex conjugate of Psi(m, w)
#: real frequencies of two stationary states (Eq. 8); named apart from the complex ``omega`` of the lattice
_w, _w2 = omega_1, omega_2 = sp.symbols("omega_1 omega_2", real=True)


def schrodinger_residual_9(m: sp.Basic, w: sp.Basic) -> sp.Basic:
    """anglin:9 residual: :math:`\\omega\\Psi_m + T_m\\Psi_{m+1} + T_{m-1}\\Psi_{m-1} - (V_m - i\\frac\\gamma2\\delta_{m0})\\Psi_m`."""
    return (w * Psi(m, w) + T(m) * Psi(m + 1, w) + T(m - 1) * Psi(m - 1, w)
            - (V(m) - sp.I * gamma / 2 * sp.KroneckerDelta(m, 0)) * Psi(m, w))


def ansatz_residual() -> tuple[sp.Basic, sp.Basic]:
    """(i/tau dR/dt - RHS of Eq. 7) for one term of the ansatz Eq. (8), and its expression in residuals of (9).

    For :math:`R_{m'm} = e^{i\\tau(\\omega'-\\omega)t}\\Psi^*_{m'}(\\omega')\\Psi_m(\\omega)` the
    difference equals :math:`\\Psi^*_{m'}(\\omega')\\,r_m(\\omega) - \\Psi_m(\\omega)\\,r^*_{m'}(\\omega')`
    with :math:`r` the residual of Eq. (9): zero for all :math:`m, m'` iff Eq. (9) holds.
    """
    t = sp.Symbol("t", real=True)
    ph = sp.exp(sp.I * tau * (_w2 - _w) * t)

    def Rterm(mp, m):
        return ph * Psic(mp, _w2) * Psi(m, _w)

    lhs = sp.I / tau * sp.diff(Rterm(_mp, _m), t)
    rhs = printed_master_equation().replace(R, Rterm)
    diff = sp.expand((lhs - rhs) / ph)
    res = schrodinger_residual_9(_m, _w)
    res_c = (_w2 * Psic(_mp, _w2) + T(_mp) * Psic(_mp + 1, _w2) + T(_mp - 1) * Psic(_mp - 1, _w2)
             - (V(_mp) + sp.I * gamma / 2 * sp.KroneckerDelta(_mp, 0)) * Psic(_mp, _w2))
    return diff, sp.expand(Psic(_mp, _w2) * res - Psi(_m, _w) * res_c)


# ----------------------------------------------------------------------------- Eqs. (19)-(21), (39)-(41)

def continuity() -> tuple[sp.Basic, sp.Basic]:
    """dn_m/dt from Eq. (7) at m' = m, and the printed form Eq. (20) with J_m of Eq. (20)."""
    rhs7 = printed_master_equation()
    dn = sp.expand((-sp.I * tau * rhs7).subs(_mp, _m))  # dR_mm/dt
    J = lambda m: sp.I * tau * T(m - 1) * (R(m, m - 1) - R(m - 1, m))  # noqa: E731
    printed = -gamma * tau * sp.KroneckerDelta(_m, 0) * R(0, 0) - (J(_m + 1) - J(_m))
    return dn, sp.expand(printed)


def local_energy(m: sp.Basic) -> sp.Basic:
    """anglin:39 (units hbar tau = 1)."""
    return (-T(m) / 2 * (R(m + 1, m) + R(m, m + 1)) - T(m - 1) / 2 * (R(m, m - 1) + R(m - 1, m))
            + V(m) * R(m, m))


def printed_energy_current(m: sp.Basic) -> sp.Basic:
    """Q_m of anglin:40 (hbar = 1)."""
    return -sp.I * tau**2 / 2 * T(m - 1) * (
        T(m) * (R(m + 1, m - 1) - R(m - 1, m + 1)) + T(m - 2) * (R(m, m - 2) - R(m - 2, m))
        - (V(m) + V(m - 1)) * (R(m, m - 1) - R(m - 1, m)))


def _rdot(mp: sp.Basic, m: sp.Basic, *, loss: bool = True) -> sp.Basic:
    """dR_{m'm}/dt from Eq. (7) (optionally without the loss term)."""
    e = printed_master_equation() if loss else printed_master_equation().subs(gamma, 0)
    return (-sp.I * tau * e).subs({_mp: mp, _m: m}, simultaneous=True)


def energy_balance() -> dict[str, sp.Basic]:
    """Pieces of d E_m/dt (tau explicit, hbar = 1).

    ``hermitian``: the gamma = 0 part of dE_m/dt from Eq. (7); ``divergence``:
    :math:`-(Q_{m+1}-Q_m)` with the printed :math:`Q_m`; ``loss``: the gamma
    part of dE_m/dt; ``printed_loss``: :math:`-\\frac{\\gamma\\tau}2E_0(\\delta_{m,-1}+\\delta_{m0})`.
    """
    E = tau * local_energy(_m)

    def ddt(expr, loss):
        return expr.replace(R, lambda a, b: sp.Function("Rdot")(a, b)).replace(
            sp.Function("Rdot"), lambda a, b: _rdot(a, b, loss=loss))

    full = sp.expand(ddt(E, True))
    herm = sp.expand(ddt(E, False))
    div = sp.expand(-(printed_energy_current(_m + 1) - printed_energy_current(_m)))
    return {
        "hermitian": herm,
        "divergence": div,
        "loss": sp.expand(full - herm),
        "printed_loss": sp.expand(-gamma * tau / 2 * tau * local_energy(0)
                                  * (sp.KroneckerDelta(_m, -1) + sp.KroneckerDelta(_m, 0))),
    }


def wronskian() -> tuple[sp.Basic, sp.Basic]:
    """Eq. (44): (omega - omega') psibar_m(omega') psi_m(omega) and X_m - X_{m-1}, with psi, psibar solving (9)."""
    psib = sp.Function("psibar")
    m = _m

    def X(j):
        return -T(j) * (psib(j, _w2) * Psi(j + 1, _w) - psib(j + 1, _w2) * Psi(j, _w))

    U = V(m) - sp.I * gamma / 2 * sp.KroneckerDelta(m, 0)
    # use Eq. (9) for omega psi_m and for omega' psibar_m (same equation, by Eq. 43)
    w_psi = -T(m) * Psi(m + 1, _w) - T(m - 1) * Psi(m - 1, _w) + U * Psi(m, _w)
    w_psib = -T(m) * psib(m + 1, _w2) - T(m - 1) * psib(m - 1, _w2) + U * psib(m, _w2)
    lhs = psib(m, _w2) * w_psi - Psi(m, _w) * w_psib  # = (omega - omega') psibar_m psi_m
    return sp.expand(lhs), sp.expand(X(m) - X(m - 1))
