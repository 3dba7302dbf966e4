"""Reading LaTeX as authors write it (derive.latex.latex_reader).

Expected expressions are built directly in SymPy (not read from LaTeX): a notation variant is
read correctly when it gives the same expression as the hand-built one.
"""
from __future__ import annotations

import pytest
import sympy as sp

from derive.latex.latex_reader import LatexReadError, UndeclaredSymbols, read_equation, read_expression
from derive.latex.latex_writer import abs2_latex, to_latex

w, eps, g, k, x, y = sp.symbols("omega eps gamma k x y", real=True)
t1 = sp.Symbol("tau1", positive=True)
td = sp.Symbol("t_d", positive=True)
M = sp.Symbol("M", integer=True, nonnegative=True)
z = sp.Symbol("z")  # complex
A_R = sp.Symbol("A_R")
Lam = sp.Symbol("Lambda", positive=True)
TABLE = {w: r"\omega", eps: r"\varepsilon_d", g: r"\gamma", k: "k", x: "x", y: "y", t1: r"\tau_1", td: "t_d",
         M: "M", z: "z", A_R: "A_R", Lam: r"\Lambda"}

VARIANTS = [
    (x / y, [r"\frac{x}{y}", r"\dfrac{x}{y}", r"\tfrac{x}{y}", "x/y", r"\frac x y", r"x\,/\,y"]),
    (x**2 + 1, [r"\left|x + i\right|^2", r"|x+\mathrm{i}|^{2}", r"\left|\mathrm{i}+x\right|^{2}", r"(x+i)(x-i)"]),
    (t1**2 * td, [r"\tau_1^2 t_d", r"\tau_{1}^{2}t_{d}", r"t_d\tau_1^2", r"\tau_1^{2}\cdot t_{d}", r"\tau_1^2\times t_d"]),
    (sp.conjugate(z) * x, [r"z^* x", r"z^{*}x", r"\bar{z}x", r"\bar z x", r"\overline{z}\,x", r"z^\ast x",
                           r"x\,z^{\dagger}"]),
    (sp.conjugate(A_R), [r"A^{*}_{R}", r"A_R^*", r"\overline{A_{R}}"]),
    (sp.exp(sp.I * k), [r"e^{ik}", r"\exp(ik)", r"\mathrm{e}^{\mathrm{i}k}", r"\exp\left(\mathrm{i}k\right)",
                        r"e^{\mathrm{i} k}"]),
    (sp.sin(k) ** 2, [r"\sin^2 k", r"\sin^{2}(k)", r"(\sin k)^2", r"\sin(k)^2", r"\sin^2[k]", r"\left(\sin k\right)^{2}"]),
    (sp.cos(k * (M + 1)), [r"\cos[k(M+1)]", r"\cos(k(M+1))", r"\cos\left[k\left(M+1\right)\right]",
                           r"\cos\Big(k(M+1)\Big)", r"\cos\bigl[k(M+1)\bigr]", r"\cos(kM+k)"]),
    (2 * x * y, [r"2xy", r"2 x y", r"2\cdot x\cdot y", r"2\times x\times y", r"x(2y)", r"(2x)y"]),
    (sp.sqrt(x), [r"\sqrt{x}", r"\sqrt x", r"x^{1/2}", r"x^{\frac12}", r"\sqrt[2]{x}"]),
    (sp.acos(-w / 2), [r"\cos^{-1}(-\omega/2)", r"\arccos\left(-\frac{\omega}{2}\right)", r"\cos^{-1}\Big(-\frac{\omega}{2}\Big)"]),
    (x / 2, [r"0.5x", r"\frac{x}{2}", r"\frac12 x", r"x/2", r"0.50\,x"]),
    (sp.sin(k) * sp.cos(k), [r"\sin k\cos k", r"\sin(k)\cos(k)", r"\sin k \cdot \cos k"]),
    (sp.sin(k * M), [r"\sin kM", r"\sin(kM)", r"\sin{kM}"]),
    (sp.sin(k) * x, [r"\sin(k)x", r"x\sin k", r"\sin(k)\,x"]),  # a parenthesised argument ends the function
    (1 / (w - eps + sp.I * g / 2), [r"\frac{1}{\omega-\varepsilon_d+\frac{\mathrm{i}\gamma}{2}}",
                                    r"\left(\omega - \varepsilon_{d} + i\gamma/2\right)^{-1}",
                                    r"\dfrac{1}{\omega-\varepsilon_{d}+\mathrm{i}\,\gamma/2}"]),
    (Lam * sp.pi, [r"\Lambda\pi", r"\pi\Lambda", r"\pi \cdot \Lambda"]),
    (2 * x, [r"2x,", r"2x."]),  # display-math punctuation
    ((x + y) ** 2, [r"\{x+y\}^2", r"\left\{x + y\right\}^{2}", r"\lbrace x+y\rbrace^2"]),
    (sp.I * x, [r"\imath x", r"\mathrm{i}x", r"ix"]),
    (sp.Integer(10) ** 100 * x, [r"10^{100}x", r"10^{10^{2}}x"]),  # powers of numbers that SymPy evaluates quickly
]


@pytest.mark.parametrize("expected,variants", VARIANTS, ids=[str(v[0]) for v in VARIANTS])
def test_notation_variants_read_the_same(expected, variants):
    for text in variants:
        got = read_expression(text, TABLE)
        assert sp.simplify(got - expected) == 0, (text, got)


def test_equation_sides_and_author_names():
    eq = read_equation(r"|T|^2 = \frac{4\tau_1^4}{x^2}", TABLE, interpret_lhs=False)
    assert eq.lhs_latex == "|T|^2" and eq.lhs is None and eq.rhs == (4 * t1**4 / x**2,)
    eq = read_equation(r"x^2 = x\cdot x = (x)^2", TABLE)
    assert eq.lhs == x**2 and eq.rhs == (x**2, x**2)
    eq = read_equation(r"\omega_\pm = x \pm \sqrt{y}", TABLE, interpret_lhs=False)
    assert set(eq.rhs) == {x + sp.sqrt(y), x - sp.sqrt(y)}


def test_i_and_e_are_symbols_when_declared():
    i_sym, e_sym = sp.symbols("i_site e_charge", real=True)
    table = {x: "x", i_sym: "i", e_sym: "e"}
    assert read_expression(r"i x + \mathrm{i} e", table) == i_sym * x + sp.I * e_sym
    assert read_expression(r"\mathrm{e}^{x}", table) == sp.exp(x)
    table = {x: "x", i_sym: r"\mathrm{i}", e_sym: r"\mathrm{e}"}  # declared: no longer i and e
    assert read_expression(r"\mathrm{i} x + i e^{x}", table) == i_sym * x + sp.I * sp.exp(x)
    assert read_expression(r"\mathrm{e}^{2}", table) == e_sym**2


@pytest.mark.parametrize("text,position,token", [
    (r"\underset{a}{b} + x", 0, r"\underset"),
    (r"x + \frac{x}{y", 14, ""),
    (r"x + )", 4, ")"),
    (r"x \approx y", 2, r"\approx"),
    (r"x_{1} y", 0, "x_{1}"),  # undeclared, reported as written
    (r"\frac{\hbar}{x}", 6, r"\hbar"),
    (r"x, y", 1, ","),
    (r"x^2^3 + y", 3, "^"),  # TeX's double superscript: neither (x^2)^3 nor x^(2^3) silently
    (r"x^{y}^2", 5, "^"),
    (r"x + 10^{10^{10}}", 6, "^"),  # 10^(10^10) has 10^10 digits: SymPy would compute it (it hung)
    (r"2^{100000} x", 1, "^"),
])
def test_unreadable_latex_names_position_and_token(text, position, token):
    with pytest.raises(LatexReadError) as info:
        read_expression(text, TABLE)
    assert info.value.position == position and info.value.token == token
    assert f"character {position}" in str(info.value)


def test_undeclared_symbols_are_all_named():
    with pytest.raises(UndeclaredSymbols) as info:
        read_expression(r"\Omega + x q + t_{L}", TABLE)
    assert info.value.names == [r"\Omega", "q", "t_{L}"]
    assert "declare them in [symbols]" in str(info.value)


@pytest.mark.parametrize("expr", [
    4 * t1**4 * ((w - eps) ** 2 + g**2 / 4) / ((w * (w - eps) - g * t1**2 - td**2) ** 2 + (w * g / 2) ** 2),
    sp.sqrt(4 - w**2) / (1 + sp.I * g * sp.exp(sp.I * k * M)),
    sp.sin(k * (M + 1)) ** 2 / t1**2 + t1**2 * sp.cos(k * M) * sp.conjugate(z),
    -2 * sp.cos(sp.pi * M / (2 * (M + 1))) + sp.acos(-w / 2),
])
def test_written_latex_reads_back(expr):
    """to_latex writes in the paper's symbols; reading it back gives the same expression."""
    assert sp.simplify(read_expression(to_latex(expr, TABLE), TABLE) - expr) == 0


def test_moduli_are_kept_as_moduli():
    text = abs2_latex(2 * sp.I * t1**2 * (w - eps + sp.I * g / 2) / (w**2 + sp.I * t1**2 - td**2), TABLE)
    assert r"\left|" in text and r"\tau_1^{4}" in text
    back = read_expression(text, TABLE)
    expected = 4 * t1**4 * ((w - eps) ** 2 + g**2 / 4) / ((w**2 - td**2) ** 2 + t1**4)
    assert sp.simplify(back - expected) == 0


# ----------------------------------------------------------------------------- display layout, primes, named functions

tp, tpp = sp.Symbol("tp", positive=True), sp.Symbol("tpp", positive=True)
PRIMED = {**TABLE, tp: r"t^{\prime}", tpp: "t''"}

LAYOUT = [
    # a chain a = b = c over aligned lines checks each equality: both sides come back
    (r"\begin{aligned} G &= \frac{1}{x - y} \\ &= \left(x-y\right)^{-1} \end{aligned}", [1 / (x - y), 1 / (x - y)]),
    (r"\begin{split} G &= x \nonumber \\ &\quad + y \label{eq:g} \end{split}", [x + y]),
    (r"\begin{align*} G &= x\,y \\ &\qquad \times 2, \end{align*}", [2 * x * y]),
    (r"G = {}& x + \\ & y", [x + y]),
    (r"\begin{equation} G = x \tag{3a} \end{equation}", [x]),
    (r"\begin{aligned} G &= x \\[4pt] &= 2x - x \end{aligned}", [x, x]),
]


@pytest.mark.parametrize("text,expected", LAYOUT, ids=[str(i) for i in range(len(LAYOUT))])
def test_display_environments_are_layout(text, expected):
    got = read_equation(text, TABLE, interpret_lhs=False).rhs
    assert len(got) == len(expected) and all(sp.simplify(a - b) == 0 for a, b in zip(got, expected)), got


def test_two_equations_in_one_entry_are_refused_where_the_second_starts():
    text = r"\begin{align*} G &= x \\ H &= y \end{align*}"
    with pytest.raises(LatexReadError) as info:
        read_equation(text, TABLE, interpret_lhs=False)
    assert info.value.position == text.index("H") and "second equation" in str(info.value)


@pytest.mark.parametrize("text,expected", [
    (r"t^{\prime} x", tp * x), (r"t^\prime x", tp * x), (r"t' x", tp * x), (r"t^{\prime 2}", tp**2),
    (r"t^{\prime\prime} + t'", tpp + tp), (r"t''^{2}", tpp**2),
])
def test_primes_as_tex_prints_them(text, expected):
    assert read_expression(text, PRIMED) == expected


def test_an_undeclared_primed_symbol_is_named_as_primed():
    with pytest.raises(UndeclaredSymbols) as info:
        read_expression(r"x^{\prime} + y", TABLE)
    assert info.value.names == ["x'"]


@pytest.mark.parametrize("expected,variants", [
    (sp.sign(eps) * sp.sqrt(eps**2 + 4 * y**2), [r"\mathrm{sgn}(\varepsilon_d)\sqrt{\varepsilon_d^2+4y^2}",
                                                 r"\operatorname{sgn}(\varepsilon_d)\sqrt{\varepsilon_d^{2}+4y^{2}}",
                                                 r"\text{sgn}\left(\varepsilon_d\right)\sqrt{\varepsilon_d^2+4y^2}",
                                                 r"\sgn(\varepsilon_d)\sqrt{\varepsilon_d^2+4y^2}"]),
    (sp.re(z) + sp.im(z), [r"\mathrm{Re}(z) + \mathrm{Im}(z)", r"\operatorname{Re} z + \operatorname{Im} z",
                           r"\Re(z) + \Im(z)"]),
    (sp.acosh(x), [r"\mathrm{arccosh}(x)", r"\operatorname{arcosh} x", r"\cosh^{-1}(x)"]),
])
def test_named_functions(expected, variants):
    for text in variants:
        assert read_expression(text, TABLE) == expected, text


def test_sign_round_trips_through_the_writer():
    expr = sp.sign(eps) * sp.sqrt(eps**2 + 4 * td**2)
    assert read_expression(to_latex(expr, TABLE), TABLE) == expr
