r"""Display-math layout of printed equations: environments, alignment, line breaks, tags, primes.

Papers print long results in ``aligned``/``split``/``align*`` environments, with ``&`` alignment
points, ``\\`` line breaks, ``\nonumber`` and ``\label`` -- none of which changes what the equation
says.  :func:`flatten_display` blanks them out (each is replaced by spaces of the same length, so that
every character offset reported by :mod:`derive.latex.latex_reader` is still an offset into the text the
author wrote), which turns

.. math:: \begin{aligned} a &= b \\ &= c \end{aligned} \;\mapsto\; a = b = c

into one chain whose every equality is claimed.  "Defined as" (``\equiv``, ``:=``, ``\coloneqq``,
``\triangleq``) is an equality.  A line that starts a new equation (text before its
own ``=`` that does not continue the previous line with an operator) is refused: two equations in one
entry would otherwise be read as a product ``b c``.

:func:`prime_runs` normalises primes as TeX prints them: ``t'``, ``t^\prime``, ``t^{\prime}`` and
``t^{\prime\prime}`` are the symbols ``t'`` and ``t''``; ``t^{\prime 2}`` is ``(t')^2``.

>>> flatten_display(r"\begin{aligned} G &= \frac{1}{x} \nonumber \\ &= y \end{aligned}").split()
['G', '=', '\\frac{1}{x}', '=', 'y']
>>> flatten_display(r"a = {}& b")
'a =     b'
"""
from __future__ import annotations

import re

__all__ = ["ENVIRONMENTS", "LayoutError", "flatten_display", "prime_runs"]

#: display environments whose markers are layout only
ENVIRONMENTS = ("aligned", "alignedat", "split", "align", "align*", "gathered", "gather", "gather*", "equation",
                "equation*", "eqnarray", "eqnarray*", "multline", "multline*", "array", "displaymath")


class LayoutError(ValueError):
    """A layout the reader cannot flatten: ``position`` (character offset) and ``token`` say where."""

    def __init__(self, message: str, position: int, token: str) -> None:
        super().__init__(message)
        self.position, self.token = position, token


_ENV = "|".join(re.escape(e) for e in ENVIRONMENTS)
# markers replaced by blanks: environments (with alignedat's column count), tags, labels, numbering
_BLANK = re.compile(r"\\begin\{(?:" + _ENV + r")\}(?:\{[^{}]*\})?|\\end\{(?:" + _ENV + r")\}"
                    r"|\\(?:label|tag\*?|eqref)\{[^{}]*\}|\\(?:nonumber|notag)(?![A-Za-z])|\{\s*\}")
# "defined as" is an equality: \equiv, :=, \coloneqq, \triangleq, \stackrel{\mathrm{def}}{=}
_DEFINES = re.compile(r"\\(?:equiv|coloneqq|triangleq|doteq)(?![A-Za-z])|:=|\\stackrel\{[^{}]*\}\{=\}")
_BREAK = re.compile(r"\\\\(?:\[[^\]]*\])?|\\(?:newline|cr)(?![A-Za-z])")
_RELATION = re.compile(r"\s*(?:=|\\to(?![A-Za-z])|\\rightarrow|\\longrightarrow)")
_CONTINUES = re.compile(r"\s*(?:[+\-=*/]|\\(?:cdot|times|pm|mp|quad|qquad|to|rightarrow|longrightarrow)(?![A-Za-z]))")


def _blank(text: str, pattern: re.Pattern) -> str:
    return pattern.sub(lambda m: " " * len(m.group()), text)


def _top_level(text: str, char: str) -> list[int]:
    """Offsets of ``char`` outside braces (and not escaped as ``\\&``)."""
    out, depth = [], 0
    for k, ch in enumerate(text):
        if ch == "{" and (k == 0 or text[k - 1] != "\\"):
            depth += 1
        elif ch == "}" and (k == 0 or text[k - 1] != "\\"):
            depth -= 1
        elif ch == char and depth == 0 and (k == 0 or text[k - 1] != "\\"):
            out.append(k)
    return out


def flatten_display(text: str) -> str:
    r"""The equation with its layout blanked out (same length, same offsets).

    Parameters
    ----------
    text : str
        The LaTeX as printed, possibly inside ``aligned``, ``split``, ``align*``, ... with ``&``,
        ``\\``, ``\nonumber``, ``\label{...}``, ``\tag{...}`` and empty groups ``{}``.

    Returns
    -------
    str
        The text with every layout marker replaced by spaces.

    Raises
    ------
    LayoutError
        When a line after a break starts a second equation (``a &= b \\ c &= d``).
    """
    flat = _DEFINES.sub(lambda m: "=".ljust(len(m.group())), _blank(text, _BLANK))
    flat = "".join(" " if k in set(_top_level(flat, "&")) else ch for k, ch in enumerate(flat))
    breaks = list(_BREAK.finditer(flat))
    starts = [m.end() for m in breaks]
    ends = [m.start() for m in breaks[1:]] + [len(flat)]
    for start, end in zip(starts, ends):
        line = flat[start:end]
        eq = _RELATION.search(line)
        if eq and line[:eq.start()].strip() and not _CONTINUES.match(line):
            pos = start + len(line) - len(line.lstrip())
            raise LayoutError("a second equation starts on this line: give each equation its own [[equation]]",
                              pos, line.strip()[:20])
    return _blank(flat, _BREAK)


_PRIMES = re.compile(r"\^\s*(?:\{\s*((?:\\prime\s*)+)([^{}]*)\}|(\\prime)(?![A-Za-z]))")


def prime_runs(text: str) -> str:
    r"""``x^{\prime}`` -> ``x'`` (and ``^\prime``, ``^{\prime\prime}``); ``x^{\prime 2}`` -> ``x'^{2}``.

    Blanks pad the result to the length of the original, so offsets stay valid.

    >>> prime_runs(r"t^{\prime} + t^\prime + t^{\prime\prime} + t^{\prime 2}").split()
    ["t'", '+', "t'", '+', "t''", '+', "t'^{2}"]
    """
    def repl(m: re.Match) -> str:
        n = 1 if m.group(3) else m.group(1).count(r"\prime")
        rest = (m.group(2) or "").strip()
        out = "'" * n + (f"^{{{rest}}}" if rest else "")
        return out.ljust(len(m.group()))

    return _PRIMES.sub(repl, text)
