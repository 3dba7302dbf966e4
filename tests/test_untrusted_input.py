"""No text of a file, a file name or a flag is ever evaluated as Python (issue 23), and the readers' bounds.

A corpus of payloads -- dunder chains, ``__import__``, lambda, comprehensions, full-width letters (which
Python's parser NFKC-normalises to ASCII), f-strings, walrus, decorators, triple quotes, ``exec``,
``getattr``, attribute chains on numbers -- goes through every string field of every file kind (model,
paper, field), every flag and the file name.  Every payload, if run, calls ``os.system``/``os.popen`` or
writes a sentinel file; the tests replace ``os.system`` by a recorder and look for the sentinel: nothing
may run, and the command exits 2 (or reads the text as data: a model's ``about``, a paper's title).

The two expression readers (``derive.models.model_values`` for SymPy, ``numeric.models.expressions`` for NumPy and
mpmath; the layers may not import each other) must accept and refuse the same texts; Hypothesis feeds them
random text and random well-formed expressions.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import mpmath
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derive.claims import claim_decision as CD
from derive.fields import field_split as FS
from derive.models.model_values import MAX_DIGITS, ModelValueError, read_condition, read_expression
from numeric.models import expressions as NE
from numeric.precision import exact
from tunnelkit import cli

ROOT = Path(__file__).resolve().parents[1]
SENTINEL = "PWNED"
_SYS = "().__class__.__base__.__subclasses__()"
#: text that runs a command, or would under eval / parse_expr / an unescaped docstring
PAYLOADS = [
    f"Integer([c for c in {_SYS} if c.__name__ == '_wrap_close'][0].__init__.__globals__['system']('touch {SENTINEL}'))",
    f"__import__('os').system('touch {SENTINEL}')",
    f"(lambda: __import__('os').system('touch {SENTINEL}'))()",
    f"[__import__('os').system('touch {SENTINEL}') for _ in (1,)]",
    f"Symbol.__new__.__globals__['__builtins__']['__import__']('os').system('touch {SENTINEL}')",
    "ｅｘｅｃ('import os; os.system(\"touch PWNED\")')",  # full-width letters: NFKC gives exec
    f"f'{{__import__(\"os\").system(\"touch {SENTINEL}\")}}'",
    f"(x := __import__('os').system('touch {SENTINEL}'))",
    f"@__import__('os').system\ndef f(): pass",
    f'x""";__import__("os").system("touch {SENTINEL}");"""',
    f"exec(\"__import__('os').system('touch {SENTINEL}')\")",
    f"getattr(__import__('os'), 'system')('touch {SENTINEL}')",
    f"(1).__class__.__base__.__subclasses__()[-1]('touch {SENTINEL}')",
    f"eval('__import__(\"os\").popen(\"touch {SENTINEL}\")')",
    # a condition whose right side runs the command (the old reader split conditions at < > ==)
    f"omega > Integer([c for c in {_SYS} if c.__name__ in ('_wrap_close',)][0].__init__.__globals__['system']"
    f"('touch {SENTINEL}'))",
    "9**9**9",
]
#: one payload of each kind of attack, for the (slower) end-to-end runs through files and flags: the dunder
#: chain of the issue, __import__, lambda, full-width letters, triple quotes closing a docstring, an f-string
FILE_PAYLOADS = [PAYLOADS[0], PAYLOADS[1], PAYLOADS[2], PAYLOADS[5], PAYLOADS[9], PAYLOADS[6]]
#: a model file named like the issue's probe
BAD_STEM = f'd""";__import__("os").system("touch {SENTINEL}");"""x'


@pytest.fixture()
def trap(tmp_path, monkeypatch):
    """Work in ``tmp_path`` with ``os.system``/``os.popen`` recording instead of running; yields the calls."""
    calls: list = []
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a) or 0)
    monkeypatch.setattr(os, "popen", lambda *a, **k: calls.append(a))
    yield calls
    assert calls == [] and not (tmp_path / SENTINEL).exists(), "a payload ran"


def toml_str(text: str) -> str:
    """A TOML basic string holding ``text`` exactly (JSON's escapes are TOML's)."""
    return json.dumps(text)


def run_cli(capsys, argv) -> tuple[int, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err and err.count("\n") <= 1, err
    return code, err


# ----------------------------------------------------------------------------- the readers

def _derive_reads(text: str) -> None:
    names = {n: sp.Symbol(n) for n in ("a", "b", "omega")} | {"I": sp.I, "pi": sp.pi}
    read_expression(text, names)


def _numeric_reads(text: str) -> None:
    NE.parse(text).check_names(["a", "b", "omega"])


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_reader_refuses_every_payload_without_running_it(trap, payload):
    x = sp.Symbol("x")
    readers = [
        lambda t: _derive_reads(t), lambda t: _numeric_reads(t), lambda t: NE.constant_value(t),
        lambda t: read_condition(t, {"x": x}), lambda t: CD.parse_plain(t, {"x": x}),
        lambda t: CD.parse_condition(t, {"x": x}), lambda t: FS.parse_coupling(t),
    ]
    errors = (ModelValueError, NE.ExpressionError, ValueError, FS.FieldError)
    for read in readers:
        t0 = time.perf_counter()
        with pytest.raises(errors) as info:
            read(payload)
        assert time.perf_counter() - t0 < 0.5
        assert "\n" not in str(info.value) and len(str(info.value)) < 700, str(info.value)


# one grammar: both readers accept and refuse the same texts
ACCEPTED = ["a", "-a + 2*b", "a^2 - b**3", "0.1", "1e-3*a", ".5", "5.", "1E5", "sqrt(a)*exp(I*pi/2)",
            "cos(omega) - sin(b)", "((a))", "+a", "a - -b", "2**3**2", "2**4096", "sqrt(a)**4096",
            "+".join(f"a*{k}" for k in range(500)), "(" * 99 + "a" + ")" * 99, "1e100000", "2**-4096"]
REFUSED = PAYLOADS + [
    "a and b", "a or b", "not a", "a if b else 1", "a < b", "a == b", "a.real", "a[0]", "a % 2", "a // 2",
    "a @ b", "~a", "a & b", "a << 1", "1_0", "0x10", "0o7", "0b1", "1j", "True", "None", "...", "'s'", "b's'",
    "[a]", "(a, b)", "{a}", "{a: b}", "sqrt(a, b)", "sqrt()", "sqrt(x=a)", "sqrt(*a)", "log(a)", "sqrt",
    "a(2)", "lambda: 1", "ａ", "a\u00a0+ b", "\x00", "", "   ", "a +", "(a", "a" * 10_001, "-" * 101 + "a",
    "10**10**10", "((2**4096)**4096)**4096", "a**4097", "(a**4096)**2", "(1e99999*a)**4096",
    "1e100001", "1e100000*1e100000", "await a", "yield a", "[a for a in b]", "(a for a in b)", "{**a}",
]


@pytest.mark.parametrize("text", ACCEPTED + REFUSED)
def test_both_readers_share_one_grammar(text):
    verdicts = []
    for read, error in ((_derive_reads, ModelValueError), (_numeric_reads, NE.ExpressionError)):
        t0 = time.perf_counter()
        try:
            read(text)
            verdicts.append("accepted")
        except error:
            verdicts.append("refused")
        assert time.perf_counter() - t0 < 1.0, text[:60]
    assert verdicts == ["accepted" if text in ACCEPTED else "refused"] * 2, (text[:60], verdicts)


def test_a_sum_of_many_names_parses_in_both_readers():
    """A coupling summing 495 names hid a RecursionError behind 'not an expression'; the readers build
    chains without recursion.  The value is checked against Python's own sum."""
    names = [f"g{k}" for k in range(495)]
    text = " + ".join(f"{k + 1}*{n}" for k, n in enumerate(names))
    coupling = FS.parse_coupling(text)
    assert coupling.free_symbols == {sp.Symbol(n, real=True) for n in names}
    values = {n: Fraction(k, 7) for k, n in enumerate(names)}
    assert coupling.xreplace({sp.Symbol(n, real=True): sp.Rational(v.numerator, v.denominator)
                              for n, v in values.items()}) == sum((k + 1) * v for k, v in enumerate(values.values()))
    assert NE.parse(text).evaluate(values, backend="exact") == sum((k + 1) * v for k, v in enumerate(values.values()))


@pytest.mark.parametrize("text,words", [
    ("9**9**9", ["exponent", "4096"]), ("10**10**10", ["exponent", "4096"]),
    ("((2**4096)**4096)**4096", ["digits", str(MAX_DIGITS)]),
])
def test_exact_powers_are_refused_before_they_are_computed(text, words):
    """Each took minutes (or GBs) of exact arithmetic: the size of every constant power is estimated first."""
    for read in (lambda t: CD.parse_plain(t, {}), lambda t: FS.parse_coupling(t), _numeric_reads,
                 lambda t: CD.parse_condition(f"0 < {t}", {})):
        t0 = time.perf_counter()
        with pytest.raises((ValueError, FS.FieldError)) as info:
            read(text)
        assert time.perf_counter() - t0 < 0.5
        assert all(w in str(info.value) for w in words), str(info.value)


def test_error_lines_quote_a_short_excerpt_of_long_text():
    text = "g*" + "+".join(["h"] * 60_000) + " and 0"  # 120 KB, beyond the length bound
    with pytest.raises(FS.FieldError) as info:
        FS.parse_coupling(text)
    assert len(str(info.value)) < 200 and "characters" in str(info.value)
    with pytest.raises(FS.FieldError, match="boolean operator 'and'"):
        FS.parse_coupling("g and 0")  # gave 0 silently
    for text in ("g or h", "g if 0 else h"):
        with pytest.raises(FS.FieldError, match="boolean operator 'or'|conditional"):
            FS.parse_coupling(text)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(list("ab19.e_+-*/^()[]{},:;'\"=<>!&|%@~ \n\\") +
                                ["sqrt", "exp", "**", "lambda", "and", "if", "else", "for", "in", "__", "class",
                                 "ａ", "1_0", "0x", "j", "I", "pi", "omega", "9**9**9", "4096"]),
                max_size=40).map("".join) | st.text(max_size=30))
def test_fuzz_random_text_raises_only_the_readers_errors(text):
    for read, error in ((_derive_reads, ModelValueError), (_numeric_reads, NE.ExpressionError),
                        (FS.parse_coupling, FS.FieldError)):
        t0 = time.perf_counter()
        try:
            read(text)
        except error as exc:
            assert "\n" not in str(exc)
        assert time.perf_counter() - t0 < 1.0


def _expressions():
    leaf = st.sampled_from(["a", "b", "omega", "I", "pi", "2", "0.5", "3e2", "10", "4096"])

    def grow(inner):
        return st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**", "^"]), inner).map(lambda t: f"({t[0]}){t[1]}({t[2]})"),
            st.tuples(st.sampled_from(["-", "+"]), inner).map(lambda t: f"{t[0]}({t[1]})"),
            st.tuples(st.sampled_from(["sqrt", "exp", "cos", "sin"]), inner).map(lambda t: f"{t[0]}({t[1]})"))
    return st.recursive(leaf, grow, max_leaves=12)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(_expressions())
def test_fuzz_well_formed_expressions_get_one_verdict_from_both_readers(text):
    verdicts = []
    for read, error in ((_derive_reads, ModelValueError), (_numeric_reads, NE.ExpressionError)):
        t0 = time.perf_counter()
        try:
            read(text)
            verdicts.append(True)
        except error:
            verdicts.append(False)
        assert time.perf_counter() - t0 < 1.0, text
    assert verdicts[0] == verdicts[1], text


# ----------------------------------------------------------------------------- model files

MODEL = {
    "parameters": [("eps", '{ about = "level" }'), ("tau", '{ range = "> 0" }')],
    "sites": [("a", "0"), ("d", "eps")],
    "hopping": {"sites": ["a", "d"], "value": "-tau", "reverse": "-tau"},
    "segment": {"name": "w", "length": "2", "energy": "0", "hopping": "-1"},
    "lead": [{"name": "L", "site": "a", "hopping": "-1", "potential": "0", "coupling": "-1"},
             {"name": "R", "site": "w.last", "hopping": "-1", "potential": "0", "coupling": "-1"}],
}


def model_text(**over) -> str:
    """The model above as TOML; ``over`` replaces a field (``site_value``, ``lead_coupling``, ...)."""
    params = over.get("parameters", MODEL["parameters"])
    out = ["[parameters]"] + [f"{toml_str(n)} = {spec}" for n, spec in params]
    out += ["[sites]"] + [f"{toml_str(over.get('site_name', n) if n == 'd' else n)} = "
                          f"{toml_str(over.get('site_value', v) if n == 'd' else v)}" for n, v in MODEL["sites"]]
    for table, rows in (("hopping", [MODEL["hopping"]]), ("segment", [MODEL["segment"]]), ("lead", MODEL["lead"])):
        for row in rows:
            out.append(f"[[{table}]]")
            for key, value in row.items():
                value = over.get(f"{table}_{key}", value) if row is rows[-1] else value
                out.append(f"{key} = {json.dumps(value)}")
    return "\n".join(out) + "\n"


MODEL_FIELDS = ["site_value", "site_name", "hopping_value", "hopping_reverse", "hopping_sites", "segment_name",
                "segment_length", "segment_energy", "segment_hopping", "lead_name", "lead_site", "lead_hopping",
                "lead_potential", "lead_coupling", "param_name", "param_range", "param_kind"]
TRANSMISSION = ["transmission", "--param", "eps=0.3", "--param", "tau=0.5", "--omega", "0.1"]


def test_the_clean_model_runs(trap, tmp_path, capsys):
    (tmp_path / "m.toml").write_text(model_text())
    code, err = run_cli(capsys, [TRANSMISSION[0], "--model", "m.toml", *TRANSMISSION[1:]])
    assert code == 0, err


@pytest.mark.parametrize("field", MODEL_FIELDS)
@pytest.mark.parametrize("payload", FILE_PAYLOADS)
def test_model_file_fields_never_run_code(trap, tmp_path, capsys, field, payload):
    if field == "param_name":
        text = model_text(parameters=MODEL["parameters"] + [(payload, "{}")])
    elif field in ("param_range", "param_kind"):
        key = field.split("_")[1]
        text = model_text(parameters=[("eps", f"{{ {key} = {toml_str(payload)} }}"), MODEL["parameters"][1]])
    elif field == "hopping_sites":
        text = model_text(hopping_sites=["a", payload])
    else:
        text = model_text(**{field: payload})
    (tmp_path / "m.toml").write_text(text)
    code, err = run_cli(capsys, [TRANSMISSION[0], "--model", "m.toml", *TRANSMISSION[1:]])
    assert code == 2 and "m.toml" in err, err


def test_model_about_is_read_as_data(trap, tmp_path, capsys):
    params = [("eps", f"{{ about = {toml_str(PAYLOADS[0])} }}"), MODEL["parameters"][1]]
    (tmp_path / "m.toml").write_text(model_text(parameters=params))
    assert run_cli(capsys, [TRANSMISSION[0], "--model", "m.toml", *TRANSMISSION[1:]])[0] == 0


@pytest.mark.parametrize("name", ["lambda", "numpy", "open_L", "Gamma_R", "z_L", "if", "_x", "ｌａｍｂｄａ"])
def test_reserved_parameter_names_are_refused_when_the_file_loads(trap, tmp_path, capsys, name):
    """``lambda`` was accepted and then unusable; ``open_L`` silently changed the closed form's numbers
    (it is the generated evaluator's mask of lead L)."""
    (tmp_path / "m.toml").write_text(model_text(parameters=MODEL["parameters"] + [(name, "{}")]))
    code, err = run_cli(capsys, [TRANSMISSION[0], "--model", "m.toml", *TRANSMISSION[1:], "--param", f"{name}=1"])
    assert code == 2 and "m.toml: [parameters]" in err, err
    assert (repr(name) in err and "reserved" in err) or "identifier" in err or "generated evaluator" in err, err


def test_lowercase_i_says_the_imaginary_unit_is_capital_i(trap, tmp_path, capsys):
    (tmp_path / "m.toml").write_text(model_text(site_value="eps - i*tau"))
    code, err = run_cli(capsys, [TRANSMISSION[0], "--model", "m.toml", *TRANSMISSION[1:]])
    assert code == 2 and "'i'" in err and "imaginary unit is I" in err, err
    (tmp_path / "m.toml").write_text(model_text())
    code, err = run_cli(capsys, [TRANSMISSION[0], "--model", "m.toml", *TRANSMISSION[1:3], "--param", "tau=i",
                                 "--omega", "0.1"])
    assert code == 2 and "--param tau" in err and "imaginary unit is I" in err, err


# ----------------------------------------------------------------------------- flags

FANO = str(ROOT / "examples" / "models" / "fano_dot.toml")
FANO_P = ["--param", "eps=0.3", "--param", "gamma=0.1", "--param", "t_d=0.5"]
LATTICE = ["--M", "1", "--tau1", "0.5", "--gamma", "0.1", "--Lambda", "1"]


def _flag_cases(payload: str) -> list[tuple[list, str]]:
    return [
        (["transmission", "--model", FANO, *FANO_P[:4], "--param", f"t_d={payload}", "--omega", "0.1"], "--param"),
        (["transmission", "--model", FANO, *FANO_P, "--param", f"{payload}=1", "--omega", "0.1"], "--param"),
        (["transmission", "--model", FANO, *FANO_P, "--omega", payload], "--omega"),
        (["transmission", "--model", FANO, *FANO_P, "--omega", "0.1", "--dps", payload], "--dps"),
        (["current", "--model", FANO, *FANO_P, "--lead", payload], "--lead"),
        (["current", "--model", FANO, *FANO_P, "--lead", f"L:mu={payload}"], "--lead"),
        (["derive", "--model", FANO, *FANO_P[:4], "--param", f"t_d={payload}", "T2:L->R"], "--param"),
        *[(["transmission", *[payload if i == k else v for i, v in enumerate(LATTICE)], "--omega", "0.1"],
           LATTICE[k - 1]) for k in (1, 3, 5, 7)],
        (["transmission", *LATTICE, "--V", payload, "--omega", "0.1"], "--V"),
        (["transmission", *LATTICE, "--omega", payload], "--omega"),
        (["current", *LATTICE, "--muL", payload], "--muL"),
        (["evolve", "--M", "1", "--tau1", "0.5", "--gamma", "0.1", "--N", "4", "--particles", "1", "--times", payload],
         "--times"),
        (["pair-ratio", "--T", payload], "--T"),
    ]


@pytest.mark.parametrize("payload", FILE_PAYLOADS[:4] + [PAYLOADS[-1], "1_0", "١٠"])
def test_flags_never_run_code(trap, capsys, payload):
    for argv, flag in _flag_cases(payload):
        code, err = run_cli(capsys, argv)
        assert code == 2 and flag in err, (argv, err)


def test_numbers_on_the_command_line_are_plain_decimals(capsys):
    """``--omega 1_0`` read as 10 (float() takes underscores and other scripts' digits)."""
    for text in ("1_0", "١٠", "0x10", "1e1_0", "10j"):
        with pytest.raises(cli.UsageError, match="--omega"):
            cli.parse_number("--omega", text)
        with pytest.raises(cli.UsageError, match="--M"):
            cli.parse_int("--M", text, 0, "an integer >= 0")
        with pytest.raises(ValueError):
            exact(text, "omega")
    assert cli.parse_number("--omega", "1e1") == 10.0 and cli.parse_int("--M", "10", 0, "") == 10


def test_param_takes_constant_expressions_exactly(tmp_path, capsys):
    """``--param phi=pi`` was refused although files accept pi.  A one-site model (energy phi, leads of
    hopping -1 and coupling -1 on it) has, by hand, Sigma = -e^{ik} per lead with omega = -2 cos k, so
    T2 = 4 sin^2 k / ((omega - phi - 2 Re Sigma)^2 + 4 sin^2 k) = 4 s^2 / (phi^2 + 4 s^2), s^2 = 1 - omega^2/4.
    At 100 digits the constant must be exact (one rounded to a fixed precision is off after its digits)."""
    (tmp_path / "dot.toml").write_text(
        '[parameters]\nphi = {}\n[sites]\nd = "phi"\n[[lead]]\nname = "L"\nsite = "d"\nhopping = "-1"\n'
        'coupling = "-1"\n[[lead]]\nname = "R"\nsite = "d"\nhopping = "-1"\ncoupling = "-1"\n')
    with mpmath.workdps(130):
        exact_phi = {"pi": mpmath.pi, "sqrt(2)/2": mpmath.sqrt(2) / 2, "2**-3 + pi/4": mpmath.pi / 4 + mpmath.mpf(1) / 8}
    for value, phi in exact_phi.items():
        code = cli.main(["transmission", "--model", str(tmp_path / "dot.toml"), "--param", f"phi={value}",
                         "--omega", "0.5", "--dps", "100", "--json"])
        out = capsys.readouterr().out
        assert code == 0
        with mpmath.workdps(130):
            s2 = 1 - mpmath.mpf(1) / 16
            expected = 4 * s2 / (phi**2 + 4 * s2)
            got = mpmath.mpf(json.loads(out)["T2"]["L->R"][0])
            assert abs(got - expected) <= mpmath.mpf(10) ** -99 * expected, (value, got, expected)
    assert cli.main(["transmission", "--model", str(tmp_path / "dot.toml"), "--param", "phi=x", "--omega", "0.5"]) == 2
    assert "--param phi" in capsys.readouterr().err


# ----------------------------------------------------------------------------- paper files

def _paper(tmp_path: Path, *, where: str = "0.5", assume: str = "omega > -2", claims: str = "det-zero",
           symbol_name: str = "eps", symbol_latex: str = r"\varepsilon_d", number: str = "1", pid: str = "fano",
           title: str = "A dot", latex: str = r"\omega = \varepsilon_d") -> Path:
    import tests.tunnelkit.claims.paper_fakes as F

    (tmp_path / "fano-model.toml").write_text(F.MODEL_TOML)
    text = (f"[paper]\nid = {toml_str(pid)}\ntitle = {toml_str(title)}\nmodel = \"fano-model.toml\"\n"
            f"[symbols]\nomega = '\\omega'\n{toml_str(symbol_name)} = {toml_str(symbol_latex)}\n"
            f"[[equation]]\nnumber = {toml_str(number)}\nclaims = {toml_str(claims)}\nlatex = {toml_str(latex)}\n"
            f"where = {{ Lambda = \"inf\", tau1 = {toml_str(where)} }}\nassume = [{toml_str(assume)}]\n")
    (tmp_path / "paper.toml").write_text(text)
    return tmp_path / "paper.toml"


PAPER_FIELDS = ["where", "assume", "claims", "symbol_name", "symbol_latex", "number", "pid", "title", "latex"]


@pytest.fixture()
def fake_model(monkeypatch):
    sys.path.insert(0, str(ROOT / "tests" / "tunnelkit"))
    import tests.tunnelkit.claims.paper_fakes as F
    from tunnelkit.claims import paper_verify as PV
    monkeypatch.setattr(PV, "model_backend", lambda path: F.backend())
    yield
    sys.path.remove(str(ROOT / "tests" / "tunnelkit"))


@pytest.mark.parametrize("field", PAPER_FIELDS)
@pytest.mark.parametrize("payload", FILE_PAYLOADS + PAYLOADS[-2:])
def test_paper_file_fields_never_run_code(trap, fake_model, tmp_path, capsys, field, payload):
    """A where value ran the issue's payload and then printed a normal table with exit 0."""
    path = _paper(tmp_path, **{field: payload})
    code, err = run_cli(capsys, ["verify", str(path), "--no-cache", "--json"])
    if field == "title":  # data: the verdicts (and so the exit status) of the same file with a plain title
        clean = tmp_path / "clean"
        clean.mkdir()
        assert code == run_cli(capsys, ["verify", str(_paper(clean)), "--no-cache", "--json"])[0], err
    elif field in ("latex", "where", "assume", "claims", "number"):  # that equation's problem: unverifiable, exit 1
        assert code == 1, err
    elif field == "symbol_latex":  # LaTeX, data too: refused (2) unless it is the LaTeX of one symbol
        assert code in (1, 2), err  # (1: then the equation is decided or unverifiable, as the clean file's)
    else:  # the file as a whole ([paper] id, [symbols] names)
        assert code == 2 and "paper.toml" in err, err


def test_the_clean_paper_is_checked(trap, fake_model, tmp_path, capsys):
    """The file the payloads are written into is a good file: its one equation is decided (an erratum: the
    printed omega = eps is no zero of the stand-in model's det), exit 1 as for any erratum."""
    assert run_cli(capsys, ["verify", str(_paper(tmp_path)), "--no-cache", "--json"])[0] == 1


# ----------------------------------------------------------------------------- field files

def _fields(tmp_path: Path, *, coupling: str = "g", species: str = "up", word: str = "up+",
            statistics: str = "fermion", kind: str = "local") -> Path:
    text = (f"[fields]\nstatistics = {toml_str(statistics)}\nspecies = [{toml_str(species)}, \"dn\"]\n"
            f"[[term]]\nkind = {toml_str(kind)}\ncoupling = {toml_str(coupling)}\n"
            f"word = [{toml_str(word)}, \"dn+\", \"dn\", \"up\"]\n")
    (tmp_path / "f.toml").write_text(text)
    return tmp_path / "f.toml"


@pytest.mark.parametrize("field", ["coupling", "species", "word", "statistics", "kind"])
@pytest.mark.parametrize("payload", FILE_PAYLOADS + PAYLOADS[-1:])
def test_field_file_fields_never_run_code(trap, tmp_path, capsys, field, payload):
    code, err = run_cli(capsys, ["split", str(_fields(tmp_path, **{field: payload})), "--json"])
    assert code == 2 and "f.toml" in err, err


def test_the_clean_field_file_splits(trap, tmp_path, capsys):
    assert run_cli(capsys, ["split", str(_fields(tmp_path)), "--json"])[0] == 0


# ----------------------------------------------------------------------------- the file name

def test_generated_evaluator_source_carries_no_raw_name(trap, tmp_path):
    """The model name was written with repr() into the evaluator's docstring: a name holding three quotes
    closed it and the rest ran on import.  Whatever the name, the source compiles to the same module."""
    from derive.codegen.model_modules import evaluator_source
    from tunnelkit.models.model_evaluators import evaluator_path
    from tunnelkit.models.model_file import load_model_file

    (tmp_path / "m.toml").write_text(model_text())
    model = load_model_file(tmp_path / "m.toml")
    for name in (BAD_STEM, "x\n# comment", "a'b", "ü"):
        for backend in ("numpy", "mpmath"):
            src = evaluator_source(model | {"name": name}, ["T2:L->R"], backend=backend)
            plain = evaluator_source(model | {"name": "x"}, ["T2:L->R"], backend=backend)
            assert name not in src and len(src.splitlines()) == len(plain.splitlines())
            namespace: dict = {}
            exec(compile(src, "evaluator", "exec"), namespace)  # the module the project imports
            assert namespace["QUANTITIES"] == ("T2:L->R",) and namespace["ARGUMENTS"] == ("omega", "eps", "tau")
        path = evaluator_path(model | {"name": name}, ["T2:L->R"], "numpy", {})
        assert path.parent.name == "models" and all(c.isalnum() or c in "_-." for c in path.name)


def test_a_model_file_named_like_code_is_only_a_name(tmp_path):
    """End to end, in fresh processes (numpy and --dps): the probe's file name ran `id`."""
    model = tmp_path / f"{BAD_STEM}.toml"
    model.write_text(model_text())
    env = dict(os.environ, PYTHONPATH=str(ROOT), TUNNELKIT_CACHE_DIR=str(tmp_path / "cache"))
    for extra in ([], ["--dps", "20"]):
        p = subprocess.run([sys.executable, "-m", "tunnelkit", "transmission", "--model", model.name,
                            *TRANSMISSION[1:], *extra, "--json"], cwd=tmp_path, env=env, capture_output=True,
                           text=True, timeout=300)
        assert p.returncode == 0, p.stderr
        assert json.loads(p.stdout)["leads"] == ["L", "R"]
    assert not (tmp_path / SENTINEL).exists()
