"""The split-field algebra (tajima:1-10, 19, 22) on its own terms, and against hand-checkable facts."""
import sympy as sp

from derive.papers.tajima import split_fields as F
from derive.papers.tajima import momentum as TM
from derive.papers.tajima import barriers as BAR
def test_sixteen_contact_words_are_classified():
    d = F.decompose()
    contact = [w for w in d.hamiltonian if len(w) == 4]
    assert len(contact) == 16  # (psi_L + psi_R)^4, no two identical operators collapse
    sizes = {k: sum(1 for w in v if len(w) == 4) for k, v in d.classes.items()}
    assert sizes == {"L": 1, "R": 1, "1t": 8, "pair": 2, "spin": 2, "ind": 2}


def test_spin_exchange_sign_by_hand():
    # psi+_upL psi+_dnR psi_dnL psi_upR = - psi+_upL psi_dnL psi+_dnR psi_upR + K psi+_upL psi_upR
    A = F.ALG
    word = A.mul(F.psid("up", "L"), F.psid("dn", "R"), F.psi("dn", "L"), F.psi("up", "R"))
    SpSm = A.mul(F.spin_plus("L"), F.spin_minus("R"))
    K = F.K("dn", "L", "R")
    rhs = A.add(A.scale(SpSm, -1), A.scale(A.mul(F.psid("up", "L"), F.psi("up", "R")), K))
    assert F.is_zero(F.sub(word, rhs))


def test_printed_sum_misses_by_reflection_and_spin_terms():
    d = F.decompose()
    P = F.printed_terms()
    resid = F.sub(d.hamiltonian, F.ALG.add(*P.values()))
    expected = F.ALG.add(F.ALG.scale(P["1r"], -1), F.ALG.scale(P["spin"], -2))
    assert F.is_zero(F.sub(resid, expected), orthogonal=True)
    assert not F.is_zero(resid, orthogonal=True)
    assert F.is_zero(F.sub(d.hamiltonian, F.ALG.add(*F.corrected_terms().values())), orthogonal=True)


def test_overlap_parameter_survives():
    # with K_LR != 0 the corrected decomposition leaves exactly a one-body overlap term
    d = F.decompose()
    rest = F.sub(d.hamiltonian, F.ALG.add(*F.corrected_terms().values()))
    assert rest and all(len(w) == 2 for w in rest)
    assert all(F.K("dn", "L", "R") in sp.sympify(c).free_symbols for c in rest.values())


def test_momentum_space_identities():
    assert TM.fourier_identity(5)
    assert TM.printed_label_bijection(6)
    assert not TM.printed_label_bijection(6) or len(TM.contact_coefficients(2)) == 16
    assert TM.g_tilde_identity() == 0


def test_barrier_amplitudes_known_limits():
    d = BAR.delta_barrier()
    assert sp.simplify(d.B.subs(BAR.alpha, 0) - 1) == 0  # no barrier: full transmission
    assert sp.limit(d.B, BAR.alpha, sp.oo) == 0
    assert BAR.B_at_zero(d) == 0
    assert sp.simplify(BAR.flux_residual(d)) == 0
    assert sp.simplify(BAR.orthogonality_residual(d)) == 0
