"""Printed, corrected and derived LaTeX of every registry entry renders (matplotlib mathtext)."""
import contextlib
import io

import pytest
from matplotlib.mathtext import MathTextParser

from tunnelkit.registry import REGISTRY, cli_derive, load, ordered_ids, run_checks

from tests.derive.latex.latex_mathtext import to_mathtext  # tests/derive is on sys.path (rootdir-relative import mode)

load()
PARSER = MathTextParser("path")


def _renders(latex: str) -> None:
    PARSER.parse(f"${to_mathtext(latex)}$")


def test_the_normalisation_does_not_hide_unknown_commands():
    with pytest.raises(ValueError):
        _renders(r"\frac{a}{b} + \notacommand{x}")
    with pytest.raises(ValueError):
        _renders(r"\frac{a}{b")  # unbalanced


@pytest.fixture(scope="module")
def outcomes():
    return {o.id: o for o in run_checks(ordered_ids())}


@pytest.mark.parametrize("id_", ordered_ids())
def test_latex_renders(id_, outcomes):
    entry = REGISTRY[id_]
    _renders(entry.printed)
    res = outcomes[id_].result
    if res is not None and res.corrected:
        _renders(res.corrected)
    if entry.derived is not None:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            assert cli_derive(id_, "latex") == 0
        _renders(buf.getvalue().strip())
