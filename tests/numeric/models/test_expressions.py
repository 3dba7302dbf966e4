"""Model values without SymPy: only the language of docs/model-files.md is accepted; backends agree with SymPy."""
from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np
import pytest

from numeric.models.expressions import ExpressionError, parse


@pytest.mark.parametrize("text", ["__import__('os')", "a.b", "a[0]", "lambda: 1", "a if b else c", "a < b",
                                  "log(2)", "exp(1, 2)", "sqrt(x=1)", "'s'", "1j", "[1]", "a and b", "a % 2",
                                  "a // 2", "", "1 +", "f(2)", "True"])
def test_anything_outside_the_language_is_refused(text):
    with pytest.raises(ExpressionError):
        parse(text)


def test_names_constants_and_caret():
    e = parse("t^2 + I*pi*cos(omega)")
    assert e.names == {"t", "omega"}
    assert complex(e.evaluate({"t": 3, "omega": 0})) == pytest.approx(9 + 1j * np.pi)
    with pytest.raises(ExpressionError, match="'gama'"):
        parse("eps - I*gama/2").check_names(["eps", "gamma"])


def test_decimal_literals_are_exact():
    assert parse("0.1 + 0.2").evaluate({}, backend="exact") == Fraction(3, 10)
    assert parse("1e-3*N").evaluate({"N": 7}, backend="exact") == Fraction(7, 1000)
    with pytest.raises(ExpressionError):
        parse("sqrt(N)").evaluate({"N": 4}, backend="exact")
    with pytest.raises(ExpressionError):
        parse("2**N").evaluate({"N": 10**6}, backend="exact")


def test_backends_agree_with_sympy_on_random_expressions():
    sp = pytest.importorskip("sympy")
    from sympy.parsing.sympy_parser import convert_xor, parse_expr, standard_transformations

    rng = np.random.default_rng(0)
    atoms = ["a", "b", "omega", "0.1", "3", "I", "pi"]
    for _ in range(40):
        expr = atoms[int(rng.integers(len(atoms)))]
        for _ in range(5):
            op = rng.choice(["+", "-", "*", "/", "^", "f"])
            other = atoms[int(rng.integers(len(atoms)))]
            expr = f"{rng.choice(['sqrt', 'exp', 'cos', 'sin'])}({expr})" if op == "f" else \
                (f"({expr})^2" if op == "^" else f"({expr}){op}({other})")
        vals = {"a": "0.7", "b": "-1.3", "omega": "0.25"}
        symbols = {n: sp.Symbol(n, real=True) for n in vals}
        ref = parse_expr(expr.replace("I", "II"), local_dict={**symbols, "II": sp.I, "pi": sp.pi},
                         transformations=standard_transformations + (convert_xor,))
        exact_ref = complex(ref.subs({symbols[n]: sp.Rational(v) for n, v in vals.items()}).evalf(40))
        got_np = complex(parse(expr).evaluate(vals))
        with mpmath.workdps(40):
            got_mp = complex(parse(expr).evaluate(vals, backend="mpmath"))
        assert got_np == pytest.approx(exact_ref, rel=1e-12, abs=1e-12), expr
        assert got_mp == pytest.approx(exact_ref, rel=1e-14, abs=1e-14), expr


def test_numpy_backend_is_vectorised_over_omega():
    w = np.linspace(-1, 1, 5)
    np.testing.assert_allclose(parse("omega^2 - 1").evaluate({"omega": w}), w**2 - 1)
