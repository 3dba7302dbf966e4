"""The lossy lattice's generated kernels (numeric/_generated/lossy_lattice_*, printed in place by
derive.codegen_inplace): in-place printing equals one-statement printing, the structured kernels equal the flat
derivation, the bundles match their callers.  They go with those kernels."""
import numpy as np
import sympy as sp

from derive.codegen import GENERATED_DIR, generated_sources, render_module
from test_codegen import _load


def test_committed_files_hold_their_values_on_another_sympy():
    """The drift test compares text under the SymPy version that wrote the files; under another, values."""
    for fname, text in generated_sources().items():
        committed = (GENERATED_DIR / fname).read_text()
        if not fname.startswith("lossy_lattice_np") or f"SymPy version used: {sp.__version__}." in committed:
            continue
        _compare_numerically(_load(committed, "old"), _load(text, "new"))


def _compare_numerically(old, new):
    rng = np.random.default_rng(0)
    from numeric.chebyshev import chain_atoms
    from numeric.anglin.transmission import lead_atoms
    chain = chain_atoms(rng.uniform(-0.99, 0.99, 50), 3)
    leads = lead_atoms(rng.uniform(-1.5, 1.5, 50)), lead_atoms(rng.uniform(-1.5, 1.5, 50))
    a = old.amplitudes_general(chain, *leads, tau_1=0.2, gamma=0.7, X_L=1.0, X_R=1.0)
    b = new.amplitudes_general(chain, *leads, tau_1=0.2, gamma=0.7, X_L=1.0, X_R=1.0)
    for x, y in zip(a, b):
        np.testing.assert_allclose(x, y, rtol=1e-13)


def _random_args(spec, rng, n=64):
    """Random arguments of the kinds the spec declares (scalars, real arrays, complex arrays), packed for a call."""
    values = {}
    for a in spec.args:
        if a in spec.scalars:
            values[a] = int(rng.integers(1, 6)) if a.name == "M" else float(rng.uniform(0.05, 2.0))
        elif a in spec.real:
            values[a] = rng.uniform(-1.5, 1.5, n)
        else:
            values[a] = rng.uniform(-1.5, 1.5, n) + 1j * rng.uniform(-1.5, 1.5, n)
    return spec.pack(values)


def test_inplace_printer_equals_plain_printer():
    """Every in-place NumPy evaluator equals the one-statement printing of the same expressions."""
    import dataclasses

    from derive.codegen import families, render_function

    family = "lossy_lattice"
    module = _load(render_module("numpy", family), "inplace")
    rng = np.random.default_rng(7)
    checked = 0
    for spec in families()[family]():
        if not spec.inplace:
            continue
        plain_ns = {"numpy": np, "_abs2": lambda z: z.real * z.real + z.imag * z.imag}
        exec(render_function(dataclasses.replace(spec, inplace=False), "numpy"), plain_ns)
        args, kwargs = _random_args(spec, rng)
        with np.errstate(all="ignore"):
            expected = plain_ns[spec.name](*args, **kwargs)
            ws = {}
            first = module.__dict__[spec.name](*args, **kwargs, workspace=ws)
            bufs = [np.empty(64, dtype=complex) for _ in expected]
            second = module.__dict__[spec.name](*args, **kwargs, workspace=ws, out=bufs)  # reused buffers
        for e, x, y, b in zip(expected, first, second, bufs):
            np.testing.assert_allclose(x, np.broadcast_to(e, x.shape), rtol=1e-12, atol=1e-300)
            np.testing.assert_array_equal(x, y)
            assert y is b
        checked += 1
    assert checked == 4  # wave_cosines, amplitudes_general, amplitudes_identical_leads, amplitudes_infinite


def test_structured_amplitudes_equal_the_flat_derivation():
    """The steps of the structured form substituted back give exactly the edge-safe derivation."""
    from derive.anglin.evaluator_specs import edge_safe_outputs, structured_general_outputs, to_chain_atoms, \
        to_lead_atoms
    from derive.codegen_spec import Spec

    XL, XR = sp.symbols("X_L X_R")
    steps, outputs = structured_general_outputs(XL, XR)
    flat = dict(Spec("full", (), outputs, "", steps=steps).flat_outputs())
    reference = {n: to_lead_atoms(to_chain_atoms(e)) for n, e in edge_safe_outputs(XL, XR)}
    assert set(flat) == set(reference)
    for name in ("Z",):  # polynomial in the atoms: exact
        assert sp.expand(flat[name] - reference[name]) == 0, name
    for name in ("T", "RL", "RR"):  # rational: cross-multiply by the (proved equal) Z
        num_flat, den_flat = sp.fraction(sp.together(flat[name]))
        num_ref, den_ref = sp.fraction(sp.together(reference[name]))
        assert sp.expand(num_flat * den_ref - num_ref * den_flat) == 0, name
    rng = np.random.default_rng(3)  # |.|^2 outputs: at random complex atoms
    atoms = sorted(set().union(*(e.free_symbols for e in reference.values())), key=str)
    for _ in range(5):
        point = {a: _q(rng, -97, 97) + sp.I * _q(rng, -97, 97) for a in atoms}
        for name in ("aL", "aR", "transport_L", "transport_R"):
            x, y = (complex(e.xreplace(point).evalf(30)) for e in (flat[name], reference[name]))
            assert abs(x - y) <= 1e-20 * abs(y), name


def _q(rng, lo, hi):  # exact rationals: the compared forms then agree to the working precision of evalf
    return sp.Rational(int(rng.integers(lo, hi)), 97)


def test_kernel_is_the_structured_form_scaled_and_without_lead_prefactors():
    """``amplitudes_general`` at atoms S/sigma, rho = sigma^-2, without e^{+-ik_jM} = the full structured form.

    T, R and Z carry the documented prefactors; |.|^2 outputs are equal where the prefactors are
    unimodular (real k_j), the only place they are used.  Exact rational points, 30-digit evaluation.
    """
    from derive.anglin.evaluator_specs import CHAIN_ATOMS, CHAIN_SCALE, LEAD_ATOMS, specs, \
        structured_general_outputs
    from derive.codegen_spec import Spec

    spec = next(s for s in specs() if s.name == "amplitudes_general")
    XL, XR = spec.args[-2:]
    steps, outputs = structured_general_outputs(XL, XR)
    full = dict(Spec("full", (), outputs, "", steps=steps).flat_outputs())
    kernel = dict(spec.flat_outputs())
    e_L, ei_L, eM_L, eMi_L, _, e_R, ei_R, eM_R, eMi_R, _ = LEAD_ATOMS
    rng = np.random.default_rng(5)
    for _ in range(3):
        point = {a: _q(rng, -97, 97) + sp.I * _q(rng, -97, 97) for a in spec.args if a not in spec.scalars}
        point.update({a: _q(rng, 10, 97) for a in spec.scalars})
        point.update({XL: 1, XR: 1})
        sigma = _q(rng, 10, 300)
        t_L, t_R = _q(rng, -97, 97), _q(rng, -97, 97)  # unimodular e^{ik_jM} = (1 + i t)/(1 - i t)
        pref = {eM_L: (1 + sp.I * t_L) / (1 - sp.I * t_L), eM_R: (1 + sp.I * t_R) / (1 - sp.I * t_R)}
        pref.update({eMi_L: 1 / pref[eM_L], eMi_R: 1 / pref[eM_R]})
        at_full = {**point, **pref, CHAIN_SCALE: 1}
        at_kernel = {**point, CHAIN_SCALE: sigma ** -2, **{a: point[a] / sigma for a in CHAIN_ATOMS[2:]}}
        factor = {"T": pref[eMi_L] * pref[eMi_R], "RL": pref[eMi_L] ** 2, "RR": pref[eMi_R] ** 2,
                  "Z": sigma ** 2 * pref[eM_L] * pref[eM_R]}
        for name, expr in kernel.items():
            x = complex((expr.xreplace(at_kernel) * factor.get(name, 1)).evalf(30))
            y = complex(full[name].xreplace(at_full).evalf(30))
            assert abs(x - y) <= 1e-20 * abs(y), name


def test_bundle_types_match_the_specs():
    """The NamedTuples the callers build have the fields, in order, of the kernels' bundles."""
    from derive.anglin.evaluator_specs import CHAIN_BUNDLE, LEAD_BUNDLES
    from numeric.anglin.transmission import LeadAtoms
    from numeric.chebyshev import ChainAtoms

    assert ChainAtoms._fields == tuple(a.name for a in CHAIN_BUNDLE)
    for side, syms in LEAD_BUNDLES.items():
        assert tuple(f"{f}_{side}" for f in LeadAtoms._fields) == tuple(a.name for a in syms)


def test_identical_leads_kernel_equals_general_kernel_with_equal_atoms():
    """The V = 0 specialisation is the general kernel evaluated with right atoms = left atoms."""
    from numeric._generated import lossy_lattice_mp as gmp
    from numeric._generated import lossy_lattice_np as gnp
    from numeric.chebyshev import chain_atoms
    from numeric.anglin.transmission import lead_atoms

    rng = np.random.default_rng(11)
    chain = chain_atoms(rng.uniform(-1.3, 1.3, 200), 4)
    lead = lead_atoms(rng.uniform(-1.4, 1.4, 200))
    x = (rng.uniform(size=200) < 0.5).astype(float)
    with np.errstate(all="ignore"):
        general = gnp.amplitudes_general(chain, lead, lead, tau_1=0.3, gamma=0.8, X_L=x, X_R=1 - x)
        special = gnp.amplitudes_identical_leads(chain, lead, tau_1=0.3, gamma=0.8, X_L=x, X_R=1 - x)
    for g, s in zip(general, special):
        np.testing.assert_allclose(s, g, rtol=1e-13)
    import mpmath

    def at(bundle, i):
        return type(bundle)(*(mpmath.mpc(complex(a[i])) if np.iscomplexobj(a) else mpmath.mpf(float(a[i]))
                              for a in bundle))

    with mpmath.workdps(30):
        c7, l7 = at(chain, 7), at(lead, 7)
        tau, gam = mpmath.mpf("0.3"), mpmath.mpf("0.8")
        g = gmp.amplitudes_general(c7, l7, l7, tau_1=tau, gamma=gam, X_L=1, X_R=0)
        s = gmp.amplitudes_identical_leads(c7, l7, tau_1=tau, gamma=gam, X_L=1, X_R=0)
        assert all(abs(a - b) <= mpmath.mpf(10) ** -27 * abs(a) for a, b in zip(g, s))
