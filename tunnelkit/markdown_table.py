"""The one Markdown table writer: the README errata table and the ``verify --report`` tables.

>>> print("\\n".join(markdown_table(["id", "printed"], [["`a:1`", latex_cell("|x|^2")]])))
| id | printed |
|---|---|
| `a:1` | $\\vert x\\vert ^2$ |
"""
from __future__ import annotations

from typing import Sequence

__all__ = ["latex_cell", "markdown_table"]


def latex_cell(latex: str) -> str:
    """LaTeX inside a Markdown table cell: inline math on one line, bars escaped as ``\\vert``.

    Parameters
    ----------
    latex : str

    Returns
    -------
    str
    """
    return "$" + " ".join(latex.split()).replace("|", r"\vert ") + "$"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """The lines of a Markdown table (header, separator, one line per row; cells as given).

    Parameters
    ----------
    header : sequence of str
    rows : sequence of sequences of str
        Each as long as ``header``.

    Returns
    -------
    list of str
    """
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"a row of {len(row)} cells in a table of {len(header)} columns")
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + \
        ["| " + " | ".join(row) + " |" for row in rows]
