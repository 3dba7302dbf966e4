"""Registry entries: dispersion, spectrum, currents (Eqs. 17-18, 22-23, 25-28, 38, 42), App. B/C, Figs. 2-3."""
from __future__ import annotations

import sympy as sp

import derive.papers.anglin.current_formulas as C
import derive.papers.anglin.printed as P
from derive.papers.anglin.lattice import isolated_chain_condition
from derive.claims.proof import decide_zero
from derive.papers.anglin.symbols import M, V, Lam, kL, kR, omega
from tunnelkit.registry._tools import erratum, summarize, verified
from tunnelkit.registry.core import register



@register("anglin:17", "Lead dispersion relation", r"-2\Lambda\cos(k_{L,R})\pm\frac{V}{2}=\omega",
          derived=lambda: [sp.Eq(omega, C.dispersion(kL, "L")), sp.Eq(omega, C.dispersion(kR, "R"))])
def _eq17():
    m = sp.Symbol("m", integer=True)
    checks = []
    for side, kj, Vj in (("L", kL, V / 2), ("R", kR, -V / 2)):
        # plane wave in a lead (hopping Lambda, potential Vj): residual of Eq. (9)
        res = (omega * sp.exp(sp.I * kj * m) + Lam * (sp.exp(sp.I * kj * (m + 1)) + sp.exp(sp.I * kj * (m - 1)))
               - Vj * sp.exp(sp.I * kj * m)).subs(omega, P.lead_dispersion(side))
        checks.append((side, decide_zero(res, angles=[kj], integers=[m])))
    ok, method, detail = summarize(checks)
    return verified(method, "e^{ik m} solves Eq. (9) in the lead iff (17) holds: " + detail) if ok else \
        erratum(method, detail, "(see derive.papers.anglin.current_formulas.dispersion)")


@register("anglin:18", "Lead density of states",
          r"D_{L,R}(\omega)=\frac{1}{\frac{d\omega}{dk_{L,R}}}=\frac{1}{2\Lambda\sin\big(k_{L,R}(\omega)\big)}",
          derived=lambda: C.density_of_states())
def _eq18():
    kj = sp.Symbol("k_j")
    d = sp.simplify(C.density_of_states(kj, "L") - P.dos_18("L").subs(kL, kj))
    return verified("sympy: differentiation of Eq. (17)", "1/(d omega/dk) = 1/(2 Lambda sin k)") if d == 0 \
        else erratum("sympy", f"difference {d}", r"D=1/(2\Lambda\sin k)")


@register("anglin:23", "Middle-chain wave number", r"k(\omega)=\cos^{-1}\Big(-\frac{\omega}{2}\Big)",
          derived=lambda: sp.acos(C.cosine_of_wavenumber("chain")))
def _eq23():
    bulk, _ = isolated_chain_condition()
    v = decide_zero(bulk, angles=[sp.Symbol("k")], integers=[sp.Symbol("m", integer=True), M])
    c = C.cosine_of_wavenumber("chain")
    ok = v.holds and sp.simplify(sp.acos(c) - P.k_chain()) == 0
    return verified(v.method, "sin(k m) solves the chain equation for omega = -2 cos k; solving for k gives "
                    "(23) on the branch k in [0, pi]") if ok else erratum(v.method, v.detail, r"k=\arccos(-\omega/2)")


# ----------------------------------------------------------------------------- currents

def _current_forms():
    s = C.integrand_symbols()
    derived = C.current_integrand()
    printed38 = P.current_prefactor_38 * (s["fL"] * (1 + s["XL"] * s["T2"] - s["RL2"])
                                          - s["fR"] * (1 + s["XR"] * s["T2"] - s["RR2"]))
    printed22 = P.current_prefactor_22 * (s["fL"] - s["fR"]) * (1 + s["T2"] - s["RL2"])
    special = derived.subs({s["XL"]: 1, s["XR"]: 1, s["RR2"]: s["RL2"]})
    return s, derived, printed22, printed38, special


@register("anglin:22", "Particle current (R_L = R_R)", r"""
I=\frac{1}{4\pi}\int\!d\omega\,\Big(f_{L}(\omega)-f_{R}(\omega)\Big)\Big(1+|\mathcal{T}|^{2}-|\mathcal{R}|^{2}\Big)""",
          derived=lambda: C.current_integrand())
def _eq22():
    s, derived, p22, _, special = _current_forms()
    d = sp.simplify(special - p22)
    if d == 0:
        return verified("sympy: bond current (20) of lead plane waves in the state (10), I = (J_-oo + J_+oo)/2 tau",
                        "derived integrand reduces to (22) for X = 1, R_L = R_R; D_j cancels the group velocity")
    return erratum("sympy", f"difference {d}", sp.latex(special))


@register("anglin:38", "Particle current, general case", r"""
I=\frac{1}{4\pi\tau_{1}^{2}}\int\!d\omega\,\left[f_{L}(\omega)\Big(1+X_{L}|\mathcal{T}|^{2}-|\mathcal{R}_{L}|^{2}\Big)
-f_{R}(\omega)\Big(1+X_{R}|\mathcal{T}|^{2}-|\mathcal{R}_{R}|^{2}\Big)\right]""",
          derived=lambda: C.current_integrand())
def _eq38():
    s, derived, _, p38, _ = _current_forms()
    ratio = sp.simplify(p38 / derived)
    if ratio == 1:
        return verified("sympy", "derived integrand equals (38)")
    return erratum("sympy: bond current (20) in the state (10) with I = (J_-oo + J_+oo)/(2 tau) from (21)",
                   f"the X factors and R_L, R_R are right, but the prefactor is 1/(4 pi), as in (22): printed/derived "
                   f"= {ratio}. (Fig. 2 plots I/tau_1^2; (38) is inconsistent with (21) and (22).)",
                   r"I=\frac{1}{4\pi}\int\!d\omega\,\left[f_{L}(\omega)\Big(1+X_{L}|\mathcal{T}|^{2}-"
                   r"|\mathcal{R}_{L}|^{2}\Big)-f_{R}(\omega)\Big(1+X_{R}|\mathcal{T}|^{2}-|\mathcal{R}_{R}|^{2}"
                   r"\Big)\right]")


@register("anglin:42", "Energy current", r"""
Q=\frac{\hbar\tau^{2}}{4\pi}\int\!d\omega\,\omega\left[f_{L}(\hbar\tau\omega)\Big(1+X_{L}|\mathcal{T}|^{2}-
|\mathcal{R}_{L}|^{2}\Big)-f_{R}(\hbar\tau\omega)\Big(1+X_{R}|\mathcal{T}|^{2}-|\mathcal{R}_{R}|^{2}\Big)\right]""",
          derived=lambda: C.energy_integrand())
def _eq42():
    s = C.integrand_symbols()
    bracket = s["fL"] * (1 + s["XL"] * s["T2"] - s["RL2"]) - s["fR"] * (1 + s["XR"] * s["T2"] - s["RR2"])
    d = sp.simplify(C.energy_integrand() - P.energy_prefactor_42 * omega * bracket)
    if d == 0:
        return verified("sympy: energy current (40) of lead plane waves, Q = (Q_-oo + Q_+oo)/2",
                        "per mode Q = hbar tau omega J; integrand equals (42) (f evaluated at the energy hbar tau omega)")
    return erratum("sympy", f"difference {d}", sp.latex(C.energy_integrand()))


# ----------------------------------------------------------------------------- distributions

_mu, _T = sp.symbols("mu_L T", positive=True)


@register("anglin:26", "Zero-temperature leads at equal filling", r"f_{L,R}(\omega)=\theta\big(\pm\frac{V}{2}-\omega\big)")
def _eq26():
    return verified("definition; exact T -> 0 limit of the Fermi function at mu = +-V/2",
                    "used as the default --muL/--muR = +-V/2 of `tunnelkit current`")


@register("anglin:27", "Zero-temperature left reservoir", r"f_{L}(\omega)=\theta(\mu_{L}-\omega)")
def _eq27():
    f = 1 / (sp.exp((omega - _mu) / _T) + 1)
    below = sp.limit(f.subs(omega, _mu - 1), _T, 0, "+")
    above = sp.limit(f.subs(omega, _mu + 1), _T, 0, "+")
    ok = below == 1 and above == 0
    return verified("sympy.limit T -> 0+ of 1/(e^{(omega-mu)/T}+1)", "gives theta(mu_L - omega)") if ok else \
        erratum("sympy.limit", f"{below}, {above}", r"\theta(\mu_L-\omega)")


@register("anglin:28", "Finite-temperature left reservoir", r"f_{L}(\omega)=\frac{1}{e^{\frac{\omega+\mu_{L}}{T}}+1}",
          derived=lambda: 1 / (sp.exp((omega - _mu) / _T) + 1))
def _eq28():
    # at omega = mu_L / 2 (mu_L > 0) the occupation must tend to 1 as T -> 0 (Eq. 27)
    printed = sp.limit(P.fermi_28(_mu, _T).subs(omega, _mu / 2), _T, 0, "+")
    derived = sp.limit((1 / (sp.exp((omega - _mu) / _T) + 1)).subs(omega, _mu / 2), _T, 0, "+")
    if printed == 0 and derived == 1:
        return erratum("sympy.limit T -> 0+ at omega = mu_L/2",
                       "as printed the occupation is a step at omega = -mu_L (it gives 0 at omega = mu_L/2 < mu_L), "
                       "so its T -> 0 limit is theta(-mu_L - omega), not Eq. (27): the sign of mu_L is flipped",
                       r"f_{L}(\omega)=\frac{1}{e^{\frac{\omega-\mu_{L}}{T}}+1}")
    return verified("sympy.limit", "T -> 0 limit is Eq. (27)")
