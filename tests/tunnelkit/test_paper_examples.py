"""The example paper files of examples/papers/.

The anglin example must hold the equations the registry checks: read by the LaTeX reader, each
printed right-hand side equals the registry's own SymPy transcription of the same printed equation
(derive/anglin/printed.py, written by hand from the paper, sharing nothing with the reader).
"""
from __future__ import annotations

from pathlib import Path

import pytest
import sympy as sp

import derive.anglin.printed as P
from derive.anglin.symbols import M, gamma, k, kL, kR, tau1
from derive.claim_decision import decide_equal
from derive.latex_reader import read_equation
from tunnelkit.paper_file import load_paper

COND = [k > 0, k < sp.pi, tau1 > 0, gamma >= 0, M >= 1]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "papers"


@pytest.fixture(scope="module")
def anglin():
    paper = load_paper(EXAMPLES / "anglin.toml")
    q, n = sp.Symbol("q", real=True), sp.Symbol("n", integer=True)
    names = {"tau1": tau1, "gamma": gamma, "M": M, "k": k, "q": q, "n": n, "omega": sp.Symbol("omega", real=True),
             "Lambda": sp.Symbol("Lambda", positive=True), "V": sp.Symbol("V", real=True)}
    table = {names[name]: tex for name, tex in paper.symbols.items()}
    read = {e.number: read_equation(e.latex, table, interpret_lhs=False).rhs[0] for e in paper.equations}
    return read, q, n


@pytest.mark.parametrize("number,registry", [("37-T", P.T2_inf), ("37-R", P.R2_inf), ("24", P.transport_24)])
def test_reservoir_limit_equations_are_the_registry_transcriptions(anglin, number, registry):
    read, _, _ = anglin
    d = decide_equal(read[number], registry(), conditions=COND, npoints=3)
    assert d.holds and d.method.startswith("sympy"), d  # identical as expressions, not only at points


def test_eq25_is_the_registry_transcription(anglin):
    read, _, n = anglin
    assert sp.simplify(read["25"] - P.omega_n(n)) == 0  # a one-term cosine


def test_eq36_written_out_is_the_registry_eqs_34_to_36_at_equal_leads(anglin):
    """|T|^2 of Eq. 36 with Z, A, B of Eqs. 34-35 inserted (k_L = k_R = q, A^* = A(k_L -> -k_L))."""
    read, q, _ = anglin
    T = P.T().subs({kL: q, kR: q})
    d = decide_equal(read["36-T"], T * sp.conjugate(T), conditions=COND + [q > 0, q < sp.pi], npoints=4)
    assert d.holds, d.detail
