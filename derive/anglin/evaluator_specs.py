"""The derived expressions that :mod:`derive.codegen` turns into evaluators.

Each :class:`Spec` is a function signature (explicit, ordered arguments) and
named outputs, all SymPy expressions produced by the derivation modules.
Nothing here is transcribed from the paper: the amplitudes are assembled
(:func:`derive.anglin.scattering.assemble`) from outer coefficients whose equality
with the derived ones is proved in the registry (``anglin:33``, ``anglin:34``)
or, for Lambda -> oo, from the ``sympy.limit`` of the derived blocks.
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

from derive.codegen_spec import Spec

import derive.anglin.current_formulas as currents
from derive.anglin.lattice import isolated_chain_spectrum
from derive.anglin.reservoir_limit import amplitudes_at_infinity
from derive.anglin.scattering import assemble
from derive.anglin.symbols import M, V, Lam, gamma, hbar, k, kL, kR, omega, star, tau, tau1

__all__ = ["specs", "printed_coefficients", "simple_blocks", "edge_safe_outputs",
           "structured_general_outputs", "identical_leads", "infinite_outputs"]


def printed_coefficients() -> dict[str, sp.Basic]:
    """:math:`A_j, B_j` in the form of Eq. (34), proved equal to the derived ones (``anglin:34``)."""
    out = {}
    for side, kj in (("L", kL), ("R", kR)):
        pref = sp.exp(-sp.I * kj * M) / (sp.I * sp.sin(kj))
        out[f"A{side}"] = pref * (sp.sin(k * (M + 1)) / tau1 - tau1 * sp.sin(k * M) * sp.exp(-sp.I * kj))
        out[f"B{side}"] = pref * (sp.cos(k * (M + 1)) / tau1 - tau1 * sp.cos(k * M) * sp.exp(-sp.I * kj))
    return out


def simple_blocks() -> tuple[dict, dict]:
    """Scaled outer coefficients in terms of Eq. (34)'s A, B (identity proved as ``anglin:33``).

    :math:`a^-_j=\\sigma_jA_j`, :math:`b^-_j=\\sigma_jA^*_j`,
    :math:`a^+_j=B_j-\\frac{i\\gamma}{4\\sin k}A_j`,
    :math:`b^+_j=B^*_j-\\frac{i\\gamma}{4\\sin k}A^*_j`.
    """
    c = printed_coefficients()
    g = sp.I * gamma / (4 * sp.sin(k))
    a, b = {}, {}
    for side, sign in (("L", -1), ("R", 1)):
        A, B = c[f"A{side}"], c[f"B{side}"]
        a[side, "odd"], b[side, "odd"] = sign * A, sign * star(A)
        a[side, "even"], b[side, "even"] = B - g * A, star(B) - g * star(A)
    return a, b


def _outputs(T, RL, RR, Z, aL, aR, XL, XR):
    # flux balance (registry anglin:flux-balance): 1 + X|T|^2 - |R|^2 = 2 X |T|^2 + a
    return (("T", T), ("RL", RL), ("RR", RR), ("Z", Z), ("aL", aL), ("aR", aR),
            ("transport_L", 2 * XL * sp.Abs(T) ** 2 + aL),
            ("transport_R", 2 * XR * sp.Abs(T) ** 2 + aR))


def edge_safe_outputs(XL: sp.Basic, XR: sp.Basic):
    """Finite-Lambda outputs from blocks scaled by :math:`\\sin k_j` (finite at band edges).

    With :math:`\\hat a_j = a_j\\sin k_j`, :math:`\\hat b_j = b_j\\sin k_j`
    (:func:`simple_blocks`), :func:`derive.anglin.scattering.assemble` returns
    :math:`\\hat Z = Z\\sin k_L\\sin k_R` and numerators scaled alike, so

    .. math::

        \\mathcal T = \\frac{i\\sin k\\sqrt{\\sin k_L\\sin k_R}}{\\hat Z},\\quad
        \\mathcal R_{L,R} = \\frac{\\hat n_{R_{L,R}}}{\\hat Z},\\quad
        a_L = \\frac{\\gamma|\\hat b^-_R|^2\\sin k_L}{2|\\hat Z|^2}

    (``aL`` valid where :math:`k_L` is real, the only place it is used).
    The output ``Z`` is :math:`\\hat Z`.
    """
    a, b = simple_blocks()
    sj = {"L": sp.sin(kL), "R": sp.sin(kR)}
    # distribute so that sin(k_j) cancels term by term (no 1/sin(k_j) left)
    ah = {key: sp.expand_mul(sj[key[0]] * v) for key, v in a.items()}
    bh = {key: sp.expand_mul(sj[key[0]] * v) for key, v in b.items()}
    for blk in (ah, bh):
        for v in blk.values():
            if any(p.base in (sj["L"], sj["R"]) and p.exp.is_negative for p in v.atoms(sp.Pow)):
                raise RuntimeError(f"1/sin(k_j) survived in a scaled block: {v}")
    amp = assemble(ah, bh, sj["L"], sj["R"])
    Zh = amp.Z
    # proved (anglin:36): n_tL * sin k_R = i sin k, hence T = i sin k sqrt(sin k_L sin k_R) / Zhat
    T = sp.I * sp.sin(k) * sp.sqrt(sj["L"] * sj["R"]) / Zh
    aL = gamma * sp.Abs(amp.psiL[0]) ** 2 * sj["L"] / (2 * sp.Abs(Zh) ** 2)
    aR = gamma * sp.Abs(amp.psiR[0]) ** 2 * sj["R"] / (2 * sp.Abs(Zh) ** 2)
    return _outputs(T, amp.nRL / Zh, amp.nRR / Zh, Zh, aL, aR, XL, XR)


def _split_block(expr: sp.Basic, side: str) -> tuple[sp.Basic, sp.Basic, sp.Basic, sp.Basic]:
    """Write a scaled block as ``pref * (P + Q * e)``: lead prefactor, chain P, Q, lead atom e."""
    e, ei, eM, eMi, _ = LEAD_ATOMS[:5] if side == "L" else LEAD_ATOMS[5:]
    for pref, atom in ((eMi, ei), (eM, e)):
        if expr.has(pref):
            inner = sp.expand(expr / pref)
            P, Q = inner.coeff(atom, 0), inner.coeff(atom, 1)
            if sp.expand(inner - P - Q * atom) != 0 or (P + Q).has(*LEAD_ATOMS):
                raise RuntimeError(f"block is not pref*(P + Q*e): {expr}")
            return pref, P, Q, atom
    raise RuntimeError(f"block without a lead prefactor: {expr}")


def structured_general_outputs(XL: sp.Basic, XR: sp.Basic):
    r""":func:`edge_safe_outputs` as named steps: chain coefficients, scaled blocks, then outputs.

    Every scaled block of :func:`simple_blocks` (in chain and lead atoms) has the
    form :math:`\pm e^{\mp ik_jM}(P_p + Q_p e^{\mp ik_j})` with four chain
    functions :math:`P_p, Q_p` (p = odd, even) shared by both sides and both
    stars, so the kernel computes 4 chain coefficients and 8 blocks before
    :func:`derive.anglin.scattering.assemble`.  ``Spec.flat_outputs`` substitutes the
    steps back; ``tests/derive/test_codegen.py`` proves the result equal to
    :func:`edge_safe_outputs`.

    Returns ``(steps, outputs)``.
    """
    a, b = simple_blocks()
    sj = {"L": sp.sin(kL), "R": sp.sin(kR)}
    # parity -> (P symbol, Q symbol, P, Q), taken from the first block of that parity
    coeffs: dict[str, tuple[sp.Symbol, sp.Symbol, sp.Basic, sp.Basic]] = {}
    blocks: dict[str, dict] = {"a": {}, "b": {}}
    block_steps = []
    for tag, blk in (("a", a), ("b", b)):
        for (side, parity), v in blk.items():
            expr = to_lead_atoms(to_chain_atoms(sp.expand_mul(sj[side] * v)))
            pref, P, Q, atom = _split_block(expr, side)
            Ps, Qs, P0, Q0 = coeffs.setdefault(parity, (sp.Symbol("P_" + parity), sp.Symbol("Q_" + parity), P, Q))
            if sp.expand(P - P0) == 0 and sp.expand(Q - Q0) == 0:
                sign = 1
            elif sp.expand(P + P0) == 0 and sp.expand(Q + Q0) == 0:
                sign = -1
            else:
                raise RuntimeError(f"block {tag}{side}{parity} does not share the chain coefficients")
            sym = sp.Symbol(f"{tag}{'m' if parity == 'odd' else 'p'}_{side}")
            block_steps.append((sym, pref * (Ps + Qs * atom)))
            blocks[tag][side, parity] = sign * sym
    steps = [step for Ps, Qs, P0, Q0 in coeffs.values() for step in ((Ps, P0), (Qs, Q0))] + block_steps
    sL, sR = LEAD_ATOMS[4], LEAD_ATOMS[9]
    amp = assemble(blocks["a"], blocks["b"], sL, sR)
    # Zhat = -Zsum/2 with Zsum a sum of two products; h = 1/(2 Zhat) = -1/Zsum
    Zsum, h = sp.symbols("Zsum h")
    steps += [(Zsum, sp.expand(-2 * amp.Z)), (h, -1 / Zsum)]
    Zs = 1 / (2 * h)
    s = CHAIN_ATOMS[1]
    T = sp.I * s * sp.sqrt(sL * sR) / Zs
    aL = gamma * sp.Abs(amp.psiL[0]) ** 2 * sL / (2 * sp.Abs(Zs) ** 2)
    aR = gamma * sp.Abs(amp.psiR[0]) ** 2 * sR / (2 * sp.Abs(Zs) ** 2)
    nRL, nRR = (sp.expand(2 * n) * h for n in (amp.nRL, amp.nRR))  # n / Zhat = 2 n h
    return tuple(steps), _outputs(T, nRL, nRR, -Zsum / 2, aL, aR, XL, XR)


def identical_leads(steps, outputs):
    """Specialise ``(steps, outputs)`` of :func:`structured_general_outputs` to identical leads.

    With :math:`V = 0` the leads are the same, :math:`k_R = k_L`: the right lead
    atoms are replaced by the left ones and steps that become equal to an
    earlier step are dropped (their symbol replaced by the earlier one).
    """
    to_left = dict(zip(LEAD_ATOMS[5:], LEAD_ATOMS[:5]))
    kept, rename, seen = [], {}, {}
    for sym, expr in steps:
        expr = expr.xreplace(to_left).xreplace(rename)
        if expr in seen:
            rename[sym] = seen[expr]
        else:
            seen[expr] = sym
            kept.append((sym, expr))
    return tuple(kept), tuple((n, e.xreplace(to_left).xreplace(rename)) for n, e in outputs)


def infinite_outputs():
    """Outputs in the reservoir limit, from the ``sympy.limit`` of the derived blocks."""
    amp = amplitudes_at_infinity()
    # proved (anglin:37): n_tL = i sin k in the limit; using it avoids the cancellation of
    # exponentially large products in n_tL when k is complex (|omega| > 2)
    T = sp.I * sp.sin(k) / amp.Z
    return _outputs(T, amp.nRL / amp.Z, amp.nRR / amp.Z, amp.Z, amp.absL, amp.absR, 1, 1)


CHAIN_ATOMS = sp.symbols("c s S_0 S_1 C_0 C_1")
#: lead atoms e^{ik_j}, e^{-ik_j}, e^{ik_j M}, e^{-ik_j M}, sin k_j for j = L, R (numeric.anglin.transmission.lead_atoms)
LEAD_ATOMS = sp.symbols("e_L ei_L eM_L eMi_L s_L e_R ei_R eM_R eMi_R s_R")


def to_lead_atoms(expr: sp.Basic) -> sp.Basic:
    r"""Replace :math:`e^{\pm ik_j}`, :math:`e^{\pm ik_jM}` and :math:`\sin k_j` by atoms.

    The atoms are computed in :mod:`numeric.anglin.transmission` from :math:`\cos k_j`
    algebraically (:math:`e^{ik} = \cos k + i\sin k`, powers by repeated
    squaring), replacing ten complex transcendental calls per point by a few
    multiplications (benchmark (f) in ``benchmarks/``).
    """
    rep = {}
    for j, kj in (("L", kL), ("R", kR)):
        e, ei, eM, eMi, sj = LEAD_ATOMS[:5] if j == "L" else LEAD_ATOMS[5:]
        table = {sp.I * kj: e, -sp.I * kj: ei, sp.I * M * kj: eM, -sp.I * M * kj: eMi}
        for atom in expr.atoms(sp.exp):
            arg = sp.expand(atom.args[0])
            if arg in table:
                rep[atom] = table[arg]
        rep[sp.sin(kj)] = sj
    out = expr.xreplace(rep)
    left = [a for a in out.free_symbols if a in (kL, kR)]
    if left:
        raise ValueError(f"lead wave number survived: {[a for a in out.atoms(sp.exp, sp.sin) if a.has(kL, kR)]}")
    return out


def to_chain_atoms(expr: sp.Basic) -> sp.Basic:
    """Replace the middle-chain trigonometry by atoms supplied by :mod:`numeric.chebyshev`.

    :math:`\\cos k\\to c`, :math:`\\sin k\\to s`, :math:`\\sin kM\\to S_0`,
    :math:`\\sin k(M+1)\\to S_1`, :math:`\\cos kM\\to C_0`, :math:`\\cos k(M+1)\\to C_1`
    (``tan k -> s/c``).  The kernel evaluates them from c = -omega/2 without
    forming k, accurately next to their zeros (the resonances).
    """
    c, s_, S0, S1, C0, C1 = CHAIN_ATOMS
    table = {k: {sp.sin: s_, sp.cos: c, sp.tan: s_ / c},
             sp.expand(M * k): {sp.sin: S0, sp.cos: C0},
             sp.expand((M + 1) * k): {sp.sin: S1, sp.cos: C1}}
    rep = {}
    for atom in expr.atoms(sp.sin, sp.cos, sp.tan):
        arg = sp.expand(atom.args[0])
        if k not in arg.free_symbols:
            continue
        try:
            rep[atom] = table[arg][type(atom)]
        except KeyError as exc:
            raise ValueError(f"unexpected chain trigonometry {atom}") from exc
    out = expr.xreplace(rep)
    if k in out.free_symbols:
        raise ValueError(f"k survived the substitution: {[a for a in out.atoms() if a == k]}")
    return out


def _chain_outputs(outputs):
    return tuple((name, to_chain_atoms(e)) for name, e in outputs)


@lru_cache(maxsize=None)
def specs() -> tuple[Spec, ...]:
    """All generated evaluators of the lossy-lattice pipeline."""
    XL, XR = sp.symbols("X_L X_R")
    s = currents.integrand_symbols()
    unit = {hbar: 1, tau: 1}
    n = sp.Symbol("n", integer=True, positive=True)
    general = structured_general_outputs(XL, XR)
    identical = identical_leads(*general)
    return (
        Spec(
            "wave_cosines",
            (omega, V, Lam),
            (("cos_k", currents.cosine_of_wavenumber("chain")),
             ("cos_kL", currents.cosine_of_wavenumber("L")),
             ("cos_kR", currents.cosine_of_wavenumber("R"))),
            "Cosines of the chain and lead wave numbers (anglin:23, anglin:17 solved for cos k).",
            scalars=(V, Lam), real=(omega,), inplace=True,
        ),
        Spec(
            "amplitudes_general",
            CHAIN_ATOMS + LEAD_ATOMS + (tau1, gamma, XL, XR),
            general[1],
            "T, R_L, R_R, Z*sin(k_L)*sin(k_R), absorbed fractions, transport factors; finite Lambda (anglin:35, 36, 38).",
            steps=general[0], scalars=(tau1, gamma), inplace=True,
            real=(CHAIN_ATOMS[0], CHAIN_ATOMS[4], CHAIN_ATOMS[5], XL, XR),
        ),
        Spec(
            "amplitudes_identical_leads",
            CHAIN_ATOMS + LEAD_ATOMS[:5] + (tau1, gamma, XL, XR),
            identical[1],
            "Same as amplitudes_general for identical leads (V = 0, k_R = k_L; anglin:35, 36, 38).",
            steps=identical[0], scalars=(tau1, gamma), inplace=True,
            real=(CHAIN_ATOMS[0], CHAIN_ATOMS[4], CHAIN_ATOMS[5], XL, XR),
        ),
        Spec(
            "amplitudes_infinite",
            CHAIN_ATOMS + (M, tau1, gamma),
            _chain_outputs(infinite_outputs()),
            "Same in the reservoir limit Lambda -> oo (anglin:24, 37); k_L = k_R = pi/2.",
            scalars=(M, tau1, gamma), real=(CHAIN_ATOMS[0], CHAIN_ATOMS[4], CHAIN_ATOMS[5]), inplace=True,
        ),
        Spec(
            "integrands",
            (omega, s["fL"], s["fR"], s["T2"], s["aL"], s["aR"], s["XL"], s["XR"]),
            tuple((name, e.subs(unit)) for name, e in currents.stable_integrands().items()),
            "Integrands per d omega of I (anglin:22/38), Q (anglin:42) and gamma n_0 (from anglin:21).",
        ),
        Spec(
            "isolated_chain_frequency",
            (n, M),
            (("omega_n", isolated_chain_spectrum(n)),),
            "Eigenfrequencies of the isolated chain of 2M+1 sites (anglin:25), n = 1..2M+1.",
        ),
    )
