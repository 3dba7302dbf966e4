"""The printed and corrected terms of tajima Eqs. (4)-(10), (19), (22) in the split-field algebra.

The split itself is the general one: tajima:1 is the field model :data:`MODEL` of
:mod:`derive.fields.field_split` (:data:`CONTACT` with one h per spin is the field file
``examples/fields/spin_half_contact.toml``); :func:`hamiltonian` and :func:`decompose`
only bring its words and classes to this module's order and names, and its current
operators are :func:`derive.fields.field_split.current_operators`.  This module writes the
paper's terms as printed (:func:`printed_terms`, :func:`printed_currents`) and corrected
(:func:`corrected_terms`) with fermion fields psi_{sigma,i}(r), i = L, R.

The field of each spin is split as :math:`\\hat\\psi_\\sigma = \\hat\\psi_{\\sigma,L} +
\\hat\\psi_{\\sigma,R}` (tajima:3) and substituted into tajima:1.  Everything
is local in :math:`\\mathbf r`, so one point suffices; the integral
:math:`\\int d^3r` is implicit in every word.  The one-body operator
:math:`\\hat h_\\sigma = \\hat T_\\sigma + \\hat V_\\sigma` (kinetic + barrier,
tajima:2) acts on the field to its right: the annihilator labelled
``("T", s, j)`` stands for :math:`(\\hat T_\\sigma\\hat\\psi_{\\sigma,j})(\\mathbf r)`.
Hermiticity of :math:`\\hat T, \\hat V` under the integral is the rule
:func:`hc` uses: :math:`(\\int\\psi_i^\\dagger X\\psi_j)^\\dagger = \\int\\psi_j^\\dagger X\\psi_i`.

Anticommutators.  Different spins anticommute exactly.  For one spin the
L and R fields are kept as separate index spaces, with

.. math::

    \\{\\hat\\psi_{\\sigma,i}(\\mathbf r), \\hat\\psi^\\dagger_{\\sigma,j}(\\mathbf r)\\} = K^\\sigma_{ij},

a *parameter*: :math:`K^\\sigma_{LR}` is the overlap kernel of the L and R
mode sets at coincident points (zero for an orthogonal split, e.g. the exact
scattering states of a mirror-symmetric barrier, see
:func:`derive.papers.tajima.barriers.orthogonality`).  No delta between L and R is ever
collapsed by the algebra itself.

Examples
--------
>>> d = decompose()
>>> sorted(d.classes)
['1t', 'L', 'R', 'ind', 'pair', 'spin']
>>> is_zero(sub(d.classes["pair"], printed_terms()["pair"]))
True
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
import sympy as sp

import derive.fields.field_split as FS
from derive.fields.field_algebra import Algebra, Element

__all__ = ["SPINS", "SIDES", "g", "K", "MODEL", "CONTACT", "contraction", "ALG", "psi", "psid", "hpsi", "hc", "density",
           "pair_creator", "spin_plus", "spin_minus", "hamiltonian", "classify", "decompose",
           "printed_terms", "corrected_terms", "sub", "is_zero", "to_sympy", "FieldDecomposition",
           "printed_currents"]

SPINS = ("up", "dn")
SIDES = ("L", "R")
BAR = {"up": "dn", "dn": "up"}
g = sp.Symbol("g", real=True)


def K(s: str, i: str, j: str) -> sp.Basic:
    """:math:`\\{\\psi_{s,i},\\psi^\\dagger_{s,j}\\}` at coincident points (a symbol; ``K_LR`` may be set to 0)."""
    if i == j:
        return sp.Symbol(f"K^{{{FS.species_latex(s)}}}_{{{i}{i}}}", positive=True)
    a, b = sorted((i, j))
    return sp.Symbol(f"K^{{{FS.species_latex(s)}}}_{{{a}{b}}}")


def contraction(x: object, y: object) -> sp.Basic:
    """Anticommutator of the annihilator labelled ``x`` with the creator labelled ``y``."""
    if len(x) != 2 or len(y) != 2:  # (T psi) and (V psi) never need reordering here
        raise ValueError(f"unexpected reordering of {x} past {y}")
    (s1, i1), (s2, i2) = x, y
    return K(s1, i1, i2) if s1 == s2 else sp.Integer(0)


ALG = Algebra("fermi", contraction)


def psi(s: str, i: str) -> Element:
    return ALG.annihilator((s, i))


def psid(s: str, i: str) -> Element:
    return ALG.creator((s, i))


def hpsi(part: str, s: str, i: str) -> Element:
    """:math:`(\\hat X_\\sigma\\psi_{\\sigma,i})`, X = T (kinetic) or V (barrier)."""
    return ALG.annihilator((part, s, i))


def hc(el: Element) -> Element:
    """Hermitian conjugate under the integral (one-body operators T, V are Hermitian)."""
    out: Element = {}
    for w, c in el.items():
        if any(len(op.label) == 3 for op in w):
            (cre, ann) = w
            part, s, j = ann.label
            new = (type(cre)((s, j), True), type(ann)((part,) + cre.label, False))
            out[new] = out.get(new, 0) + sp.conjugate(c)
        else:
            for w2, c2 in ALG.adjoint({w: c}).items():
                out[w2] = out.get(w2, 0) + c2
    return {w: c for w, c in out.items() if c != 0}


def density(s: str, i: str) -> Element:
    return ALG.mul(psid(s, i), psi(s, i))


def pair_creator(i: str) -> Element:
    """:math:`P_i^\\dagger = \\psi^\\dagger_{\\uparrow i}\\psi^\\dagger_{\\downarrow i}`."""
    return ALG.mul(psid("up", i), psid("dn", i))


def spin_plus(i: str) -> Element:
    """:math:`S_i^+ = \\psi^\\dagger_{\\uparrow i}\\psi_{\\downarrow i}`."""
    return ALG.mul(psid("up", i), psi("dn", i))


def spin_minus(i: str) -> Element:
    return ALG.mul(psid("dn", i), psi("up", i))


def _one_body(s: str, i: str, j: str, parts=("T", "V")) -> Element:
    return ALG.add(*(ALG.mul(psid(s, i), hpsi(p, s, j)) for p in parts))


#: tajima:1 as a field model of the general split (:mod:`derive.fields.field_split`), h = T + V kept apart
MODEL = FS.FieldModel("fermion", SPINS, (FS.OneBody(parts=("T", "V")), FS.Local(g, ("up+", "dn+", "dn", "up"))))
#: the same Hamiltonian with one h per spin: the field file ``examples/fields/spin_half_contact.toml``
CONTACT = FS.FieldModel("fermion", SPINS, (FS.OneBody(), FS.Local(g, ("up+", "dn+", "dn", "up"))))
_CLASS = {"reservoir L": "L", "reservoir R": "R", "one-body tunneling": "1t", "density-assisted tunneling": "1t",
          "pair tunneling": "pair", "exchange": "spin", "induced interaction": "ind"}


def hamiltonian() -> Element:
    """tajima:1 with the split (3) substituted, normal-ordered (the general split of :data:`MODEL`).

    .. math::

        \\hat H = \\sum_\\sigma \\psi^\\dagger_\\sigma \\hat h_\\sigma \\psi_\\sigma
        + g\\,\\psi^\\dagger_\\uparrow\\psi^\\dagger_\\downarrow\\psi_\\downarrow\\psi_\\uparrow,
        \\qquad \\psi_\\sigma = \\psi_{\\sigma L} + \\psi_{\\sigma R}.

    The words are brought to this module's order (:data:`ALG`); the contact word
    is written normal-ordered, so no contraction (no :math:`K`) enters.
    """
    return ALG.normal_order(FS.split(MODEL).hamiltonian)


def classify(word: tuple) -> str:
    """Which term of tajima:4 a word of the split Hamiltonian belongs to (the general classes, renamed)."""
    cls = FS.classify(word, SPINS)
    if cls not in _CLASS:
        raise ValueError(f"unclassified word {word}")
    return _CLASS[cls]


@dataclass(frozen=True)
class FieldDecomposition:
    """The split Hamiltonian and its words grouped by class."""

    hamiltonian: Element
    classes: dict


@lru_cache(maxsize=None)
def decompose() -> FieldDecomposition:
    """The words of :func:`hamiltonian` grouped by the general split's classes (renamed as in tajima:4)."""
    H = hamiltonian()
    classes: dict[str, Element] = {}
    for t in FS.split(MODEL).terms:
        if t.cls not in _CLASS:
            raise ValueError(f"unclassified term {t.fields}")
        word = next(iter(ALG.normal_order({t.operator: 1})))
        classes.setdefault(_CLASS[t.cls], {})[word] = H[word]
    return FieldDecomposition(H, classes)


def _reservoir(i: str) -> Element:
    one = ALG.add(*(_one_body(s, i, i) for s in SPINS))
    return ALG.add(one, ALG.scale(ALG.mul(psid("up", i), psid("dn", i), psi("dn", i), psi("up", i)), g))


def _tunnel_one(s: str, parts=("T", "V")) -> Element:
    """:math:`\\psi^\\dagger_{\\sigma L}\\hat\\tau_\\sigma\\psi_{\\sigma R}`, :math:`\\hat\\tau = \\hat h + g\\sum_i N_{\\bar\\sigma i}`."""
    inter = ALG.add(*(ALG.mul(psid(s, "L"), density(BAR[s], i), psi(s, "R")) for i in SIDES))
    return ALG.add(_one_body(s, "L", "R", parts), ALG.scale(inter, g))


def _spin_exchange(sign: int) -> Element:
    return ALG.scale(ALG.add(ALG.mul(spin_plus("L"), spin_minus("R")), ALG.mul(spin_plus("R"), spin_minus("L"))),
                     sign * g)


@lru_cache(maxsize=None)
def printed_terms() -> dict[str, Element]:
    """The terms of tajima:4-10 exactly as printed, normal-ordered."""
    t1 = ALG.add(*(_tunnel_one(s) for s in SPINS))
    terms = {
        "L": _reservoir("L"),                                                    # (5)
        "R": _reservoir("R"),
        "1r": ALG.add(*(ALG.mul(psid(s, i), hpsi("V", s, i)) for s in SPINS for i in SIDES)),  # (6)
        "1t": ALG.add(t1, hc(t1)),                                                 # (7)
        "pair": ALG.scale(ALG.add(ALG.mul(pair_creator("L"), ALG.adjoint(pair_creator("R"))),
                                  ALG.mul(pair_creator("R"), ALG.adjoint(pair_creator("L")))), g),  # (8)
        "spin": _spin_exchange(+1),                                                # (9)
        "ind": ALG.scale(ALG.add(*(ALG.mul(density(s, "L"), density(BAR[s], "R")) for s in SPINS)), g),  # (10)
    }
    return {k: ALG.normal_order(v) for k, v in terms.items()}


@lru_cache(maxsize=None)
def corrected_terms() -> dict[str, Element]:
    """Corrected tajima:4: no separate H_1r, spin exchange with -g (and overlap terms if K_LR != 0)."""
    out = dict(printed_terms())
    out.pop("1r")
    out["spin"] = ALG.normal_order(_spin_exchange(-1))
    return out


def sub(a: Element, b: Element) -> Element:
    return ALG.normal_order(ALG.add(a, ALG.scale(b, -1)))


def is_zero(el: Element, *, orthogonal: bool = False) -> bool:
    """Zero as an operator (optionally with the L-R overlap K_LR set to 0)."""
    subs = {K(s, "L", "R"): 0 for s in SPINS} if orthogonal else {}
    return all(sp.simplify(sp.sympify(c).subs(subs)) == 0 for c in el.values())


def printed_currents() -> dict[str, Element]:
    """Real-space transcription of the operator structure of tajima:19 and 22 (g-tilde -> g).

    :math:`I_M = i\\sum_\\sigma(X_\\sigma - X_\\sigma^\\dagger) + 2ig(P_L^\\dagger P_R - P_R^\\dagger P_L)`,
    :math:`I_S = i\\sum_\\sigma\\eta_\\sigma(X_\\sigma - X_\\sigma^\\dagger) + 2ig(S_L^+S_R^- - S_L^-S_R^+)`,
    with :math:`X_\\sigma = \\psi^\\dagger_{\\sigma L}\\hat\\tau_\\sigma\\psi_{\\sigma R}`.
    """
    def one(s: str) -> Element:
        x = _tunnel_one(s)
        return ALG.add(x, ALG.scale(hc(x), -1))
    PdL, PdR = pair_creator("L"), pair_creator("R")
    pair = ALG.add(ALG.mul(PdL, ALG.adjoint(PdR)), ALG.scale(ALG.mul(PdR, ALG.adjoint(PdL)), -1))
    spin = ALG.add(ALG.mul(spin_plus("L"), spin_minus("R")), ALG.scale(ALG.mul(spin_minus("L"), spin_plus("R")), -1))
    I_M = ALG.add(ALG.scale(ALG.add(one("up"), one("dn")), sp.I), ALG.scale(pair, 2 * sp.I * g))
    I_S = ALG.add(ALG.scale(ALG.add(one("up"), ALG.scale(one("dn"), -1)), sp.I), ALG.scale(spin, 2 * sp.I * g))
    return {"I_M": ALG.normal_order(I_M), "I_S": ALG.normal_order(I_S)}


# ------------------------------------------------------------------ display
to_sympy = FS.to_sympy


def _identifier(sym: sp.Symbol) -> str:
    """``\\hat\\psi^{\\dagger}_{\\uparrow L}`` -> ``psid_up_L``; ``\\hat T_{..}\\hat\\psi_{\\uparrow R}`` -> ``Tpsi_up_R``."""
    name = sym.name
    spin = "up" if r"\uparrow" in name else "dn"
    side = name.rstrip("}")[-1]
    prefix = "Tpsi" if name.startswith(r"\hat T") else "Vpsi" if name.startswith(r"\hat V") else \
        ("psid" if r"\dagger" in name else "psi")
    return f"{prefix}_{spin}_{side}"


def operator_python(expr: sp.Basic, name: str, doc: str) -> str:
    """Python source evaluating an operator expression on matrices (``ops[identifier]``, products as ``@``).

    >>> print(operator_python(to_sympy(spin_plus("L")), "S_plus_L", "S+_L").splitlines()[0])
    def S_plus_L(ops, **params):
    """
    from derive.codegen.code_printer import docstring_text, identifier, is_identifier, printer

    params = sorted((s for s in expr.free_symbols if s.is_commutative), key=str)
    local, taken = {}, {p.name for p in params}
    for i, p in enumerate(params):  # a LaTeX name (K^{\\downarrow}_{LR}) is read into a local _p<i>
        alias = f"_p{i}"
        while alias in taken:
            alias += "_"
        local[p] = p if is_identifier(p.name) else sp.Symbol(alias)
    pr = printer("numpy")
    fields = ", ".join(sorted({_identifier(s) for s in expr.free_symbols if not s.is_commutative}))
    lines = [f"def {identifier(name)}(ops, **params):",
             f'    """{docstring_text(doc)}\n\n    ``ops`` maps {fields}'
             f" to matrices (``Tpsi``/``Vpsi``: T or V applied to the field, summed over the grid by the caller);"
             f' ``params``: {docstring_text(", ".join(map(str, params))) or "none"}.\n    """']
    for p in params:
        lines.append(f"    {identifier(local[p].name)} = params[{str(p)!r}]")
    terms = []
    for term in sp.Add.make_args(sp.expand(expr)):
        c, nc = term.args_cnc()
        coeff = pr.doprint(sp.Mul(*c).xreplace(local)) if c else "1"
        prod = " @ ".join(f"ops[{_identifier(s)!r}]" for s in nc)
        terms.append(f"({coeff}) * ({prod})")
    lines.append("    return (" + "\n            + ".join(terms) + ")")
    return "\n".join(lines)
