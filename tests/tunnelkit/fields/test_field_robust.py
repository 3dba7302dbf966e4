"""Field files that must be refused (exit 2, one line naming the table or term) and work that must stay bounded."""
from __future__ import annotations

import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import pytest
import sympy as sp

import derive.fields.field_split as FS
from derive.fields.field_work import MAX_SPLIT_WORK, split_work, wick_count
from tunnelkit.cli import main

ROOT = Path(__file__).resolve().parents[3]
HEAD = '[fields]\nstatistics = "boson"\nspecies = ["a", "b"]\n'


def _local(coupling: str, word: str = '["a+", "a"]') -> str:
    return f'[[term]]\nkind = "local"\ncoupling = {coupling}\nword = {word}\n'


def _refused(tmp_path, capsys, text: str) -> str:
    f = tmp_path / "bad.toml"
    f.write_text(text)
    assert main(["split", str(f), "--json"]) == 2
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err and out == "" and str(f) in lines[0]
    return lines[0]


@pytest.mark.parametrize("statistics,words", [
    ('["fermion", "boson"]', ["[fields]", "statistics", "an array", "per species"]),  # was exit 1, unhashable
    ('{ a = "boson", b = 1 }', ["statistics.b", "1"]),
    ('{ a = "boson" }', ["no statistics for species 'b'"]),
    ('{ a = "boson", b = "fermion", c = "boson" }', ["'c' is not a species"]),
    ('{ a = ["boson"], b = "boson" }', ["statistics.a"]),
    ("2", ["an integer"]),
])
def test_statistics_of_a_wrong_type(tmp_path, capsys, statistics, words):
    line = _refused(tmp_path, capsys, HEAD.replace('"boson"', statistics, 1) + '[[term]]\nkind = "one-body"\n')
    assert all(w in line for w in words), line


@pytest.mark.parametrize("coupling,kind", [
    ("[1, 2]", "an array"), ("{ g = 1 }", "a table"), ("1979-05-27", "a date"),
    ("07:32:00", "a date or time"), ("true", "a boolean")])
def test_coupling_of_a_toml_type_that_is_not_an_expression(tmp_path, capsys, coupling, kind):
    """These were exit 1 (SymPy's sympify of a list, dict or date): now one line naming the term."""
    line = _refused(tmp_path, capsys, HEAD + '[[term]]\nkind = "one-body"\n' + _local(coupling))
    assert "term 2 (local)" in line and kind in line and "coupling" in line, line


def test_every_bad_term_in_one_run(tmp_path, capsys):
    line = _refused(tmp_path, capsys, HEAD + _local("[1]") + _local('"g"') + _local("true"))
    assert "term 1" in line and "term 3" in line and "term 2" not in line, line


def test_a_long_coupling_is_quoted_as_an_excerpt(tmp_path, capsys):
    long = "+".join(f"g{k}" for k in range(20000)) + "+$"  # 129 KB, with a character that is not allowed
    line = _refused(tmp_path, capsys, HEAD + _local(f'"{long}"'))
    assert len(line) < 400 and "term 1" in line and f"{len(long)} characters" in line, line[:500]


def test_a_long_word_is_refused_before_any_work(tmp_path, capsys):
    word = "[" + ", ".join(['"a+"'] * 12 + ['"a"'] * 12) + "]"
    t0 = time.perf_counter()
    line = _refused(tmp_path, capsys, HEAD + _local('"g"', word))
    assert time.perf_counter() - t0 < 2
    assert "term 1" in line and "24 fields" in line and str(MAX_SPLIT_WORK) in line, line
    with pytest.raises(FS.FieldError, match="24 fields"):  # the Python API refuses it too
        FS.split(FS.FieldModel("boson", ("a",), (FS.Local("g", ("a+",) * 12 + ("a",) * 12),)))


def test_wick_count_against_enumeration():
    """The bound's count of contraction sets against a direct enumeration of the pairings."""
    import itertools

    word = [("a", False), ("b", False), ("a", True), ("a", False), ("b", True), ("a", True)]

    def sets(word):
        idx = [(i, j) for i, j in itertools.combinations(range(len(word)), 2)
               if not word[i][1] and word[j][1] and word[i][0] == word[j][0]]
        return sum(1 for r in range(len(idx) + 1) for c in itertools.combinations(idx, r)
                   if len({x for p in c for x in p}) == 2 * r)
    assert wick_count(word) == sets(word) == 10  # a: {}, 3 singles, one double; b: {}, one
    assert split_work([word], overlap="zero") == sum(  # each contraction needs both fields on one side
        2 ** (len(word) - len(c)) for r in range(4) for c in itertools.combinations(
            [(i, j) for i, j in itertools.combinations(range(6), 2)
             if not word[i][1] and word[j][1] and word[i][0] == word[j][0]], r)
        if len({x for p in c for x in p}) == 2 * r)


def test_a_symbolic_power_is_kept_whole_and_fast():
    """(g1+...+g6)**40 times an out-of-order word: the split in seconds, coefficients exact (checked at a
    rational point by exact arithmetic: a a+ = a+ a + delta, so a_L+ a_L has the coupling and the constant
    has the coupling times delta_L + delta_R)."""
    code = ("import derive.fields.field_split as FS\n"
            "m = FS.FieldModel('boson', ('a',), (FS.Local('(g1+g2+g3+g4+g5+g6)**40', ('a', 'a+')),))\n"
            "r = FS.split(m)\nprint(repr({t.fields: str(t.coefficient) for t in r.terms}))\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    got = eval(p.stdout)  # noqa: S307 - the test's own output: a dict of strings
    g = sp.symbols("g1:7", real=True)
    point = {x: sp.Rational(k + 1, 7) for k, x in enumerate(g)}
    dl, dr = (sp.Symbol(f"delta_a_{i}", positive=True) for i in "LR")
    value = Fraction(sum(range(1, 7)), 7) ** 40
    names = {str(x): x for x in (*g, dl, dr)}
    assert sp.sympify(got[("a_L+", "a_L")], locals=names).xreplace(point) == sp.Rational(value.numerator, value.denominator)
    const = sp.sympify(got[()], locals=names).xreplace({**point, dl: 3, dr: 5})
    assert const == 8 * sp.Rational(value.numerator, value.denominator)
