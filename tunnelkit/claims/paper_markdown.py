r"""Markdown report of ``tunnelkit verify ... --report FILE.md``: printed and corrected LaTeX side by side.

The report opens with the counts and a summary table (id, status, method);
then one section per equation with the printed and the corrected form in
display math (``$$...$$``, as GitHub and most Markdown viewers with
MathJax/KaTeX show them), one above the other, the span an erratum's
correction changed marked in red in both (:func:`marked_pair`), and below them
the same LaTeX in fenced ``latex`` blocks to paste from.
Everything copied from a file is inert: text is HTML- and Markdown-escaped, LaTeX cannot close
its ``$`` delimiters or open HTML (``$``, ``<``, ``>`` escaped), and a code fence is longer than
any run of backticks inside it.

>>> from tunnelkit.registry.core import CheckResult, Outcome
>>> o = Outcome("fano:3", True, CheckResult("erratum", "sympy: cancel", "at x = 1: printed 2, derived 1",
...             r"|T|^2 = \frac{1}{2}"), 0.0, printed=r"|T|^2 = 1")
>>> print(markdown_report([o], title="A dot").splitlines()[2])
1 equation: 0 verified, 1 erratum, 0 unverifiable.
"""
from __future__ import annotations

import re
from typing import Sequence

from tunnelkit.markdown_table import markdown_table
from tunnelkit.result_display import _status, summary_line
from tunnelkit.registry.core import Outcome

__all__ = ["markdown_report", "summary_line"]


#: every character of copied text that Markdown or HTML would interpret, with its inert form
_INERT = {"&": "&amp;", "<": "&lt;", ">": "&gt;"} | {c: "\\" + c for c in "\\`*_[]|$~#!"}


def _text(text: str) -> str:
    r"""Text copied from a file (title, method, detail) as inert Markdown: one line, HTML and Markdown escaped.

    >>> print(_text("<b>|T|^2</b>\n*x*"))
    &lt;b&gt;\|T\|^2&lt;/b&gt; \*x\*
    """
    return "".join(_INERT.get(c, c) for c in " ".join(str(text).split()))


def _code(text: str) -> str:
    """Text inside a one-line code span (an id): one line, no backticks."""
    return " ".join(str(text).replace("`", "'").split())


def _math(latex: str) -> str:
    r"""LaTeX between ``$`` delimiters that can neither end the math nor open HTML: one line, ``$`` as ``\$``,
    ``<`` and ``>`` as ``\lt`` and ``\gt`` (the same symbols in MathJax and KaTeX), no trailing backslash.

    >>> print(_math(r"a$ <img src=x> \\"))
    a\$ \lt img src=x\gt  \\ 
    """
    out = " ".join(latex.split()).replace("$", r"\$").replace("<", r"\lt ").replace(">", r"\gt ")
    return out + " " if out.endswith("\\") else out


def _fenced(text: str) -> list[str]:
    """A fenced ``latex`` block holding ``text`` verbatim: its fence is longer than any run of backticks in it."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + "latex", text, fence]


#: how a changed span is marked in the report's display math (GitHub's MathJax renders it red)
MARK = r"{\color{red}{%s}}"


def _balanced(text: str) -> bool:
    depth = 0
    for k, ch in enumerate(text):
        if ch in "{}" and (k == 0 or text[k - 1] != "\\"):
            depth += 1 if ch == "{" else -1
            if depth < 0:
                return False
    return depth == 0


def _word_start(text: str, k: int) -> int | None:
    """Start (the backslash) of the control word holding position k, or None."""
    j = k
    while j > 0 and text[j - 1].isalpha():
        j -= 1
    return j - 1 if j > 0 and text[j - 1] == "\\" and j <= k else None


def _token_span(text: str, a: int, b: int) -> tuple[int, int]:
    """[a, b) widened to whole tokens: a control word is never cut, nor a script from its ``^``/``_``."""
    if a < len(text) and text[a].isalpha() and (start := _word_start(text, a)) is not None:
        a = start
    if b > a and text[b - 1].isalpha() and _word_start(text, b - 1) is not None:
        while b < len(text) and text[b].isalpha():
            b += 1
    if 0 < a and text[a - 1] in "^_":
        a -= 1
    return a, b


def marked_pair(printed: str, corrected: str) -> tuple[str, str]:
    r"""Printed and corrected LaTeX (each on one line) with the one span where they differ marked in red.

    When the forms differ in more than one short stretch (a corrected form written afresh) nothing is
    marked; a span that would cut a group is not marked either.

    >>> marked_pair(r"a + \frac{b}{2}", r"a - \frac{b}{2}")
    ('a {\\color{red}{+}} \\frac{b}{2}', 'a {\\color{red}{-}} \\frac{b}{2}')
    """
    import difflib

    p, c = " ".join(printed.split()), " ".join(corrected.split())
    blocks = [b for b in difflib.SequenceMatcher(None, p, c, autojunk=False).get_opcodes() if b[0] != "equal"]
    if not blocks:
        return p, c
    pa, pb, ca, cb = blocks[0][1], blocks[-1][2], blocks[0][3], blocks[-1][4]
    if (pb - pa) > 0.4 * len(p) or (cb - ca) > 0.4 * len(c):
        return p, c
    pa, pb = _token_span(p, pa, pb)
    ca, cb = _token_span(c, ca, cb)
    out = []
    for text, a, b in ((p, pa, pb), (c, ca, cb)):
        span = text[a:b]
        if not span.strip() or not _balanced(span):
            out.append(text)
        else:
            out.append(text[:a] + MARK % span + text[b:])
    return out[0], out[1]


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
    head = summary_line(outcomes)
    lines = [f"# Verification: {_text(title)}", ""]
    if source:
        lines += [f"Checked: {_text(source)}", ""]
    lines += [head, ""]
    lines += markdown_table(["equation", "status", "decided by"],
                            [[f"[`{_code(o.id)}`](#{_anchor(f'{o.id}: {_status(o)}')})", _status(o),
                              _text(o.result.method if o.result else "check could not run")] for o in outcomes])
    for o in outcomes:
        lines += ["", f"## {_text(o.id)}: {_status(o)}", ""]
        corrected = o.result.corrected if o.result else None
        if corrected:
            printed, fixed = (_math(x) for x in marked_pair(o.printed, corrected))  # inert, then marked
            lines += ["Printed:", "", f"$${printed}$$", "", "Corrected:", "", f"$${fixed}$$", ""]
        else:
            lines += [f"$${_math(o.printed)}$$", ""]
        detail = o.result.detail if o.result else o.error
        method = o.result.method if o.result else "check could not run"
        lines += [f"**{_text(method)}**: {_text(detail)}", "", "Printed:", "", *_fenced(o.printed)]
        if corrected:
            lines += ["", "Corrected:", "", *_fenced(corrected)]
    return "\n".join(lines) + "\n"


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading (lower case, punctuation dropped, spaces to '-')."""
    return "".join(c for c in heading.lower() if c.isalnum() or c in "-_ ").replace(" ", "-")
