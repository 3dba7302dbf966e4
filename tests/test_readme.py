"""The README: two set-up commands first, a current errata table, the figures it shows."""
import re
from pathlib import Path

from tunnelkit.registry import load, ordered_ids, run_checks
from tunnelkit.registry.report import END, START, errata_table

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_first_block_has_the_two_setup_commands():
    block = re.search(r"```bash\n(.*?)```", README, flags=re.S).group(1).strip().splitlines()
    assert len(block) == 2
    assert block[0].startswith('pip install -e ".[test]"') and block[1] == "python -m pytest"


def test_errata_table_is_generated_and_current():
    load()
    current = README.split(START, 1)[1].split(END, 1)[0].strip()
    assert current == errata_table(run_checks(ordered_ids())).strip(), "run `python -m tunnelkit.registry.report`"


def test_figures_shown_exist():
    for path in re.findall(r"\]\((docs/figures/[^)]+)\)", README):
        assert (ROOT / path).exists(), path
