"""Generated evaluators must equal a fresh generation from the derivation (no drift)."""
import importlib.util

import numpy as np
import pytest
import sympy as sp

from derive.codegen.paper_modules import GENERATED_DIR, SUFFIX, families, generated_sources, render_module


@pytest.fixture(scope="module")
def fresh():
    return generated_sources()


def _load(text: str, name: str):
    spec = importlib.util.spec_from_loader(name, loader=None)
    mod = importlib.util.module_from_spec(spec)
    exec(compile(text, name, "exec"), mod.__dict__)
    return mod


def _pair_values(mod):
    return mod.pair_response_integrands(np.linspace(1e-3, 5.0, 40), 0.1, 0.5, -0.01)


#: another SymPy prints differently: these files are compared by value instead (file -> sample call); the lossy
#: lattice's files in tests/derive/test_codegen_lossy_lattice.py
VALUE_SAMPLES = {"pair_tunneling_np.py": _pair_values}


def test_committed_files_match_regeneration(fresh):
    for fname, text in fresh.items():
        committed = (GENERATED_DIR / fname).read_text()
        recorded = [ln for ln in committed.splitlines() if "SymPy version used" in ln][0]
        if f"SymPy version used: {sp.__version__}." in recorded:
            assert committed == text, f"{fname} drifted: run `python -m derive.codegen.paper_modules`"
        elif fname in VALUE_SAMPLES:
            old, new = _load(committed, "old"), _load(text, "new")
            for x, y in zip(VALUE_SAMPLES[fname](old), VALUE_SAMPLES[fname](new)):
                np.testing.assert_allclose(x, y, rtol=1e-13)


def test_evaluators_never_import_sympy(fresh):
    for text in fresh.values():
        assert "sympy" not in text.split('"""', 2)[2]


def test_both_backends_have_the_same_functions(fresh):
    for family in families():
        np_mod, mp_mod = (_load(fresh[family + SUFFIX[b]], b) for b in ("numpy", "mpmath"))
        both = set(np_mod.OUTPUTS) & set(mp_mod.OUTPUTS)
        assert both and all(np_mod.OUTPUTS[f] == mp_mod.OUTPUTS[f] for f in both), family
    assert render_module("numpy", "pair_tunneling") == fresh["pair_tunneling_np.py"]  # deterministic


def test_digest_does_not_depend_on_how_an_equal_symbol_was_created():
    # Symbol('g', nonnegative=True) == Symbol('g', real=True, nonnegative=True); SymPy's cache may put either
    # into an expression, so a digest over plain srepr changed with the order the tests ran in
    from derive.codegen.code_printer import spec_digest as _digest
    from derive.codegen.spec import Spec

    def spec(**facts):
        g, x = sp.Symbol("g_digest", **facts), sp.Symbol("x_digest")
        return Spec("f", (g, x), (("q", g * x + 1),), "", steps=((sp.Symbol("s_digest"), g ** 2),))

    assert _digest([spec(nonnegative=True)]) == _digest([spec(real=True, nonnegative=True)])
    assert _digest([spec(nonnegative=True)]) != _digest([spec(positive=True)])


# -- the printer core (derive.codegen.code_printer): escaping, one computation per value

def test_printer_core_takes_only_identifiers_as_names():
    """A name that is not a Python identifier never reaches the source (a spec's names may come from a file)."""
    from derive.codegen.code_printer import render_function
    from derive.codegen.spec import Spec

    x = sp.Symbol("x")
    for spec in (Spec("f(); import os #", (x,), (("q", x + 1),), ""),
                 Spec("f", (sp.Symbol("x); import os #"),), (("q", sp.Symbol("x); import os #") + 1),), ""),
                 Spec("f", (x,), (("q", x + 1),), "", steps=((sp.Symbol("lambda"), x ** 2),))):
        with pytest.raises(ValueError, match="not a Python identifier"):
            render_function(spec, "numpy")


def test_printer_core_escapes_docstring_text_and_refuses_non_literal_constants():
    """A docstring holding quotes and backslashes stays a docstring: the module compiles and carries the text."""
    from derive.codegen.code_printer import render_function, render_module
    from derive.codegen.spec import Spec

    x = sp.Symbol("x")
    doc = 'ends here """; import os; os.system("id") # \\'
    src = render_module(generator="tests.printer", origin=doc, backend="numpy", digest="0f", notes=[doc],
                        constants=[("NAMES", (doc,))], parts=[render_function(Spec("f", (x,), (("q", x),), doc),
                                                                                "numpy")])
    mod = _load(src, "escaped")
    assert mod.f.__doc__.startswith(doc) and doc in mod.__doc__ and mod.NAMES == (doc,)
    assert set(vars(mod)) >= {"f", "NAMES"} and "os" not in vars(mod)
    with pytest.raises(ValueError, match="not a plain literal"):
        render_module(generator="tests.printer", origin="x", backend="numpy", digest="0f",
                      constants=[("F", float("nan"))])
    with pytest.raises(ValueError, match="not a Python identifier"):
        render_module(generator="tests.printer", origin="x", backend="numpy", digest="0f",
                      constants=[("A = 1; B", 1)])


def test_printer_core_computes_an_equal_step_once():
    """Two steps with the same right-hand side: printed once, and the values are those of the expressions
    evaluated by SymPy at an exact point (an independent route)."""
    from derive.codegen.code_printer import render_function
    from derive.codegen.spec import Spec

    x, y, a, b = sp.symbols("x y a b")
    step = sp.exp(x - y) / (x + 2 * y)
    spec = Spec("f", (x, y), (("p", a * x + b), ("q", a * b)), "", steps=((a, step), (b, step)))
    src = render_function(spec, "numpy")
    assert src.count("numpy.exp(") == 1
    ns = {"numpy": np}
    exec(src, ns)
    point = {x: sp.Rational(3, 8), y: sp.Rational(-5, 16)}  # exact in binary: only the printed operations round
    expected = [complex(e.xreplace({a: step, b: step}).xreplace(point).evalf(30)) for _, e in spec.outputs]
    got = ns["f"](np.array([3 / 8]), np.array([-5 / 16]))
    for g, e in zip(got, expected):  # exp, one division, two products, one sum: a few roundings of 2^-53 each
        assert abs(complex(g[0]) - e) <= 8 * 2.0 ** -52 * abs(e)
