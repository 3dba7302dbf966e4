"""Generated documentation from the registry: the README errata table.

``python -m tunnelkit.registry.report`` runs (or reuses cached) checks and
rewrites the block between ``<!-- errata:start -->`` and ``<!-- errata:end -->``
of README.md; ``tests/test_readme.py`` fails when the committed block is stale.
"""
from __future__ import annotations

import sys
from pathlib import Path

from tunnelkit.markdown_table import latex_cell, markdown_table
from tunnelkit.registry import load; from tunnelkit.registry import ordered_ids; from tunnelkit.registry import run_checks

__all__ = ["errata_table", "update_readme", "START", "END"]

START, END = "<!-- errata:start -->", "<!-- errata:end -->"
README = Path(__file__).resolve().parents[2] / "README.md"


def errata_table(outcomes=None) -> str:
    """Markdown table of every erratum: id, printed, corrected, method."""
    load()
    if outcomes is None:
        outcomes = run_checks(ordered_ids())
    rows = []
    counts = {"verified": 0, "erratum": 0, "unverifiable": 0}
    for o in outcomes:
        if o.result is None:
            continue
        counts[o.result.status] += 1
        if o.result.status == "erratum":
            rows.append([f"`{o.id}`", latex_cell(o.printed), latex_cell(o.result.corrected), o.result.method])
    head = (f"{len(outcomes)} registered statements: {counts['verified']} verified, {counts['erratum']} errata, "
            f"{counts['unverifiable']} unverifiable.")
    return head + "\n\n" + "\n".join(markdown_table(["id", "printed", "corrected", "found by"], rows))


def update_readme(path: Path = README, outcomes=None) -> bool:
    """Rewrite the errata block; True when the file changed."""
    text = path.read_text()
    pre, rest = text.split(START, 1)
    _, post = rest.split(END, 1)
    new = pre + START + "\n" + errata_table(outcomes) + "\n" + END + post
    if new != text:
        path.write_text(new)
        return True
    return False


if __name__ == "__main__":  # pragma: no cover
    print("README.md " + ("updated" if update_readme() else "already current"), file=sys.stderr)
