"""Every numbered equation of both papers, and every figure statement, has a registry entry."""
import re
from pathlib import Path

from tunnelkit.registry import REGISTRY, load, ordered_ids

PAPERS = Path(__file__).resolve().parents[4] / "shared" / "papers"

# printed numbers; anglin's multi-row displays consume several numbers but print only the last
# (Psi^L is (13), Psi^R is (16)), so 11, 12, 14, 15 never appear in the text
ANGLIN = list(range(1, 11)) + [13] + list(range(16, 48))
TAJIMA = list(range(1, 25))
FIGURES = ["anglin:fig2", "anglin:fig3", "anglin:fig4", "anglin:fig5", "anglin:fig6", "anglin:fig7", "anglin:fig8",
           "tajima:fig2"]


def test_numbered_equations_registered():
    load()
    missing = [f"anglin:{n}" for n in ANGLIN if f"anglin:{n}" not in REGISTRY]
    missing += [f"tajima:{n}" for n in TAJIMA if f"tajima:{n}" not in REGISTRY]
    assert not missing


def test_figure_statements_registered():
    load()
    assert not [f for f in FIGURES if f not in REGISTRY]


def test_printed_numbers_match_the_paper_text():
    """The lists above are what the paper files print (when the files are present)."""
    taj = PAPERS / "tajima-oue-matsuo_tunneling-hamiltonians.md"
    ang = PAPERS / "anglin_lossy-lattice-transport.cleaned.txt"
    if not taj.exists():
        return
    nums = {int(n) for n in re.findall(r"\\quad \((\d+)\)\$\$", taj.read_text())}
    assert nums == set(TAJIMA)
    printed = {int(n) for n in re.findall(r"\((\d+)\)\s*$", ang.read_text(), flags=re.M)}
    assert printed <= set(ANGLIN)


def test_every_entry_has_method_and_paper_order():
    ids = ordered_ids()
    assert len(ids) == len(REGISTRY)
    assert ids.index("anglin:2") < ids.index("anglin:10") < ids.index("anglin:appA-RL-RR")
