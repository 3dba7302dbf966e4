"""The identity decider must prove true identities and never 'prove' false ones."""
import sympy as sp

from derive.claims.proof import RANDOM_METHOD, SYMPY_METHOD, decide_zero, exact_random_zero, exp_canonical

k = sp.Symbol("k")
M = sp.Symbol("M", integer=True, positive=True)


def test_trig_identity_with_symbolic_M_is_proved_by_sympy():
    v = decide_zero(sp.sin(k * (M + 1)) * sp.cos(k * M) - sp.sin(k * M) * sp.cos(k * (M + 1)) - sp.sin(k),
                    angles=[k], integers=[M])
    assert v.holds and v.method == SYMPY_METHOD


def test_false_identity_is_rejected():
    v = decide_zero(sp.sin(k * (M + 1)) - sp.sin(k * M) * sp.cos(k), angles=[k], integers=[M])
    assert not v.holds


def test_identity_outside_the_canonical_form_falls_back_to_50_digits():
    # sin(kM) = sin(k) U_{M-1}(cos k): the canonical form cannot expand U_{M-1} for symbolic M
    e = sp.sin(k * M) - sp.sin(k) * sp.chebyshevu(M - 1, sp.cos(k))
    v = decide_zero(e, angles=[k], integers=[M])
    assert v.holds and v.method.startswith("mpmath")
    w = decide_zero(e + sp.sin(k) / 10**30, angles=[k], integers=[M])
    assert not w.holds


def test_exp_of_i_pi_over_2_is_not_treated_as_a_free_symbol():
    # exp(I*pi/2) evaluates to I; the canonical form must keep I*I = -1
    e = sp.exp(sp.I * sp.pi * M / 2) * sp.exp(-sp.I * sp.pi * M / 2) - 1
    assert sp.cancel(exp_canonical(e, [k], [M])) == 0


def test_random_point_test_rejects_nonzero_rational_function():
    x, y = sp.symbols("x y")
    assert not exact_random_zero((x - y) ** 2 - x**2 + 2 * x * y - y**2 + x / 10**12)
    assert exact_random_zero((x - y) ** 2 - x**2 + 2 * x * y - y**2)


def test_large_expressions_use_the_randomised_route():
    terms = sum((sp.sin(j * k) * sp.cos(k) - sp.sin((j + 1) * k) / 2 - sp.sin((j - 1) * k) / 2) for j in range(2, 40))
    v = decide_zero(terms, angles=[k], cancel_limit=10)
    assert v.holds and v.method == RANDOM_METHOD


def test_paper_claims_and_registry_checks_share_one_decider():
    """A trigonometric identity is cancelled in its exp-polynomial form on both sides
    (paper claims used to fall through to the randomised test)."""
    from derive.claims.claim_decision import decide_equal
    x = sp.Symbol("x", positive=True)
    assert decide_equal(sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1), conditions=[x > 0]).method == SYMPY_METHOD
    assert decide_zero(sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1, angles=[x]).method == SYMPY_METHOD


def test_numeric_fallback_draws_from_the_one_sampler(monkeypatch):
    """sin(kM) = sin(k) U_{M-1}(cos k) is out of reach of the canonical form: the 50-digit points
    decide, and they come from derive.claims.exact_points inside the registry's domain."""
    import derive.claims.exact_points as EP
    seen = []
    real = EP.sample_points

    def spy(symbols, conditions, n, **kw):
        pts = real(symbols, conditions, n, **kw)
        seen.extend(pts)
        return pts
    monkeypatch.setattr(EP, "sample_points", spy)
    v = decide_zero(sp.sin(k * M) - sp.sin(k) * sp.chebyshevu(M - 1, sp.cos(k)), angles=[k], integers=[M])
    assert v.holds and v.method.startswith("mpmath")
    assert len(seen) == 12 and all(0 < p[k] < sp.pi and p[M] >= 1 for p in seen)
