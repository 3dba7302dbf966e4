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
           "structured_general_outputs", "identical_leads", "infinite_outputs", "homogeneous_degree",
           "chain_scaled", "NotHomogeneous", "CHAIN_ATOMS", "CHAIN_SCALE", "CHAIN_BUNDLE", "LEAD_ATOMS",
           "LEAD_BUNDLES"]


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


def structured_general_outputs(XL: sp.Basic, XR: sp.Basic, *, lead_prefactors: bool = True):
    r""":func:`edge_safe_outputs` as named steps: chain coefficients, scaled blocks, then outputs.

    Every scaled block of :func:`simple_blocks` (in chain and lead atoms) has the
    form :math:`\pm e^{\mp ik_jM}(P_p + Q_p e^{\mp ik_j})` with four chain
    functions :math:`P_p, Q_p` (p = odd, even) shared by both sides and both
    stars, so the kernel computes 4 chain coefficients and 8 blocks before
    :func:`derive.anglin.scattering.assemble`.  ``Spec.flat_outputs`` substitutes the
    steps back; ``tests/derive/test_codegen.py`` proves the result equal to
    :func:`edge_safe_outputs`.

    With ``lead_prefactors=False`` the blocks omit their prefactors
    :math:`e^{\mp ik_jM}`.  Every output is then the true one times a
    monomial in them (each block carries one prefactor, and the outputs are
    products and quotients of blocks): the kernel returns
    :math:`\mathcal T e^{ik_LM}e^{ik_RM}`, :math:`\mathcal R_L e^{2ik_LM}`,
    :math:`\mathcal R_R e^{2ik_RM}`, :math:`\hat Z e^{-ik_LM}e^{-ik_RM}`, and
    :math:`a_j |e^{ik_jM}|^2`; where :math:`k_L, k_R` are real the prefactors are
    unimodular and :math:`|\mathcal T|^2`, :math:`|\mathcal R_j|^2`, :math:`a_j`
    and the transport factors are unchanged (``tests/derive/test_codegen.py``).
    No :math:`e^{\pm ik_jM}` is then needed: they under- and overflow on long
    chains when a lead is evanescent.

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
            block_steps.append((sym, (pref if lead_prefactors else 1) * (Ps + Qs * atom)))
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
#: lead atoms e^{ik_j}, e^{-ik_j}, e^{ik_j M}, e^{-ik_j M}, sin k_j for j = L, R
LEAD_ATOMS = sp.symbols("e_L ei_L eM_L eMi_L s_L e_R ei_R eM_R eMi_R s_R")
#: the chain scale: the kernels take S_0, S_1, C_0, C_1 divided by a common sigma > 0 and rho = sigma^-2
CHAIN_SCALE = sp.Symbol("rho", positive=True)
#: what a kernel receives: the chain bundle (numeric.chebyshev.ChainAtoms) and one lead bundle per
#: side without the prefactors e^{+-ik_jM} (numeric.anglin.transmission.LeadAtoms)
CHAIN_BUNDLE = CHAIN_ATOMS + (CHAIN_SCALE,)
LEAD_BUNDLES = {"L": (LEAD_ATOMS[0], LEAD_ATOMS[1], LEAD_ATOMS[4]), "R": (LEAD_ATOMS[5], LEAD_ATOMS[6], LEAD_ATOMS[9])}


class NotHomogeneous(ValueError):
    """An expression is not homogeneous in the scaled atoms."""


def homogeneous_degree(expr: sp.Basic, degrees: dict) -> sp.Rational:
    """Degree of ``expr`` under ``x -> sigma x`` for the symbols in ``degrees`` (sigma > 0).

    ``degrees`` maps a symbol to its degree (1 for a scaled atom, the degree of
    its expression for a named step); other symbols and numbers have degree 0.
    Raises :class:`NotHomogeneous` for a sum of terms of different degrees or
    a scaled argument inside a function other than ``Abs``, ``re``, ``im``.

    >>> x, y, t = sp.symbols("x y t")
    >>> homogeneous_degree(sp.Abs(x * y + x**2) ** 2 / (t * x), {x: 1, y: 1})
    3
    """
    if expr.is_Symbol:
        return sp.Integer(degrees.get(expr, 0))
    if expr.is_number:
        return sp.Integer(0)
    if isinstance(expr, sp.Add):
        found = {homogeneous_degree(a, degrees) for a in expr.args}
        if len(found) != 1:
            raise NotHomogeneous(f"terms of degrees {sorted(found)} in {expr}")
        return found.pop()
    if isinstance(expr, sp.Mul):
        return sp.Add(*(homogeneous_degree(a, degrees) for a in expr.args))
    if isinstance(expr, sp.Pow):
        d = homogeneous_degree(expr.base, degrees)
        if d == 0:
            if homogeneous_degree(expr.exp, degrees) != 0:
                raise NotHomogeneous(f"scaled exponent in {expr}")
            return d
        if not expr.exp.is_Rational:
            raise NotHomogeneous(f"non-rational power of a scaled expression: {expr}")
        return d * expr.exp
    if isinstance(expr, (sp.Abs, sp.re, sp.im)):  # sigma is real and positive
        return homogeneous_degree(expr.args[0], degrees)
    if any(homogeneous_degree(a, degrees) != 0 for a in expr.args):
        raise NotHomogeneous(f"scaled argument inside {type(expr).__name__}: {expr}")
    return sp.Integer(0)


def chain_scaled(steps, outputs, *, unscaled: tuple[str, ...] = ("Z",)):
    r"""Outputs for chain atoms given divided by :math:`\sigma` (:data:`CHAIN_SCALE` :math:`\rho=\sigma^{-2}`).

    The closed forms are sums of terms homogeneous in :math:`S_0, S_1, C_0, C_1`
    (degree found by :func:`homogeneous_degree` through the steps): a term of
    degree d evaluated at the scaled atoms is the true term times
    :math:`\sigma^{-d}`, so it is multiplied by :math:`\rho^{-d/2}`.  Outputs
    named in ``unscaled`` are left as computed from the scaled atoms (``Z``:
    :math:`\hat Z\rho`, which overflows otherwise on long chains outside the band).
    Outside the band :math:`\sin kM` grows like :math:`e^{M\operatorname{Im}k}`;
    with :math:`\sigma = e^{M\operatorname{Im}k}` every argument is bounded and the
    outputs (which decay) are products with :math:`\rho`, never ``0*inf``.
    """
    degrees = {a: 1 for a in CHAIN_ATOMS[2:]}
    for sym, expr in steps:
        degrees[sym] = homogeneous_degree(expr, degrees)
    out = []
    for name, expr in outputs:
        if name not in unscaled:
            terms = []
            for term in sp.Add.make_args(expr):
                d = homogeneous_degree(term, degrees)
                if not (d / 2).is_Integer:
                    raise NotHomogeneous(f"{name}: term of odd degree {d}")
                terms.append(term * CHAIN_SCALE ** (-d / 2))
            expr = sp.Add(*terms)
        out.append((name, expr))
    return tuple(out)


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
    """All generated evaluators of the lossy-lattice pipeline.

    The amplitude kernels take named bundles: ``chain`` (:data:`CHAIN_BUNDLE`,
    scaled by :func:`chain_scaled`) and ``lead_L``/``lead_R``
    (:data:`LEAD_BUNDLES`, prefactors factored out as in
    :func:`structured_general_outputs`); the scalars by keyword.  ``X_L`` is 1
    where the wave transmitted from the left propagates, i.e. where
    :math:`k_R` is real (App. C: the subscripts are not switched), ``X_R``
    likewise with :math:`k_L`.
    """
    XL, XR = sp.symbols("X_L X_R")
    s = currents.integrand_symbols()
    unit = {hbar: 1, tau: 1}
    n = sp.Symbol("n", integer=True, positive=True)
    steps, outputs = structured_general_outputs(XL, XR, lead_prefactors=False)
    general = steps, chain_scaled(steps, outputs)
    identical = identical_leads(*general)
    chain = ("chain", CHAIN_BUNDLE)
    real_chain = (CHAIN_ATOMS[0], CHAIN_ATOMS[4], CHAIN_ATOMS[5], CHAIN_SCALE)
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
            CHAIN_BUNDLE + LEAD_BUNDLES["L"] + LEAD_BUNDLES["R"] + (tau1, gamma, XL, XR),
            general[1],
            "T e^{ik_LM} e^{ik_RM}, R_L e^{2ik_LM}, R_R e^{2ik_RM}, Z*sin(k_L)*sin(k_R)*rho*e^{-ik_LM}e^{-ik_RM}, "
            "absorbed fractions, transport factors; finite Lambda (anglin:35, 36, 38).",
            steps=general[0], scalars=(tau1, gamma), inplace=True, real=real_chain + (XL, XR),
            bundles=(chain, ("lead_L", LEAD_BUNDLES["L"]), ("lead_R", LEAD_BUNDLES["R"])),
        ),
        Spec(
            "amplitudes_identical_leads",
            CHAIN_BUNDLE + LEAD_BUNDLES["L"] + (tau1, gamma, XL, XR),
            identical[1],
            "Same as amplitudes_general for identical leads (V = 0, k_R = k_L; anglin:35, 36, 38).",
            steps=identical[0], scalars=(tau1, gamma), inplace=True, real=real_chain + (XL, XR),
            bundles=(chain, ("lead", LEAD_BUNDLES["L"])),
        ),
        Spec(
            "amplitudes_infinite",
            CHAIN_BUNDLE + (M, tau1, gamma),
            chain_scaled((), _chain_outputs(infinite_outputs())),
            "Same in the reservoir limit Lambda -> oo (anglin:24, 37); k_L = k_R = pi/2; Z times rho.",
            scalars=(M, tau1, gamma), real=real_chain, inplace=True, bundles=(chain,),
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
