r"""Markdown report of ``tunnelkit verify ... --report FILE.md``: printed and corrected LaTeX side by side.

The report opens with the counts and a summary table (id, status, method);
then one section per equation with the printed and the corrected form
rendered side by side (``$$...$$`` in a two-column table, as GitHub and most
Markdown viewers with MathJax/KaTeX show them) and, below, the same LaTeX in
fenced ``latex`` blocks to paste from.

>>> from tunnelkit.registry.core import CheckResult, Outcome
>>> o = Outcome("fano:3", True, CheckResult("erratum", "sympy: cancel", "at x = 1: printed 2, derived 1",
...             r"|T|^2 = \frac{1}{2}"), 0.0, printed=r"|T|^2 = 1")
>>> print(markdown_report([o], title="A dot").splitlines()[2])
1 equation: 0 verified, 1 erratum, 0 unverifiable.
"""
from __future__ import annotations

from typing import Sequence

from tunnelkit.markdown_table import latex_cell, markdown_table
from tunnelkit.registry.core import Outcome

__all__ = ["markdown_report"]


def _status(o: Outcome) -> str:
    return o.result.status if o.result else "not run"


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"{n} {word}"
    return f"{n} {word[:-2]}a" if word.endswith("um") else f"{n} {word}s"


def markdown_report(outcomes: Sequence[Outcome], *, title: str, source: str = "") -> str:
    """The Markdown report of verified equations.

    Parameters
    ----------
    outcomes : sequence of Outcome
        One per equation (paper-file or registry checks).
    title : str
        Heading of the report.
    source : str
        What was checked (shown under the heading).

    Returns
    -------
    str
        Markdown text (ends with a newline).
    """
    counts = {s: sum(_status(o) == s for o in outcomes)
              for s in ("verified", "erratum", "unverifiable", "definition", "not run")}
    head = (f"{_plural(len(outcomes), 'equation')}: {counts['verified']} verified, "
            f"{_plural(counts['erratum'], 'erratum')}, {counts['unverifiable']} unverifiable"
            + (f", {_plural(counts['definition'], 'definition')}" if counts["definition"] else "")
            + (f", {counts['not run']} not run" if counts["not run"] else "") + ".")
    lines = [f"# Verification: {title}", ""]
    if source:
        lines += [f"Checked: {source}", ""]
    lines += [head, ""]
    lines += markdown_table(["equation", "status", "decided by"],
                            [[f"[`{o.id}`](#{_anchor(f'{o.id}: {_status(o)}')})", _status(o),
                              o.result.method if o.result else "check could not run"] for o in outcomes])
    for o in outcomes:
        lines += ["", f"## {o.id}: {_status(o)}", ""]
        corrected = o.result.corrected if o.result else None
        if corrected:
            lines += markdown_table(["printed", "corrected"], [[latex_cell(o.printed), latex_cell(corrected)]]) + [""]
        else:
            lines += [f"$${' '.join(o.printed.split())}$$", ""]
        detail = o.result.detail if o.result else o.error
        method = o.result.method if o.result else "check could not run"
        lines += [f"**{method}**: {detail}", "", "Printed:", "", "```latex", o.printed, "```"]
        if corrected:
            lines += ["", "Corrected:", "", "```latex", corrected, "```"]
    return "\n".join(lines) + "\n"


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading (lower case, punctuation dropped, spaces to '-')."""
    return "".join(c for c in heading.lower() if c.isalnum() or c in "-_ ").replace(" ", "-")
