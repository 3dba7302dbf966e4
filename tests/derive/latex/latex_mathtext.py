"""Map the few LaTeX constructs matplotlib's mathtext lacks onto mathtext equivalents.

Only sizing and layout constructs are touched (``\\big``/``\\Big`` delimiters,
``\\limits``, ``\\displaystyle``, the ``cases``/``array`` environments, ``\\text``,
``\\operatorname``, and braces-less ``\\mathbf k``); symbols, fractions, scripts
and every other command must be known to mathtext as written.
"""
import re

_SIZING = re.compile(r"\\(big|Big|bigg|Bigg)([lr]?)(?=[\\(\[|.)\]{}]|\\\{|\\\})")


def to_mathtext(s: str) -> str:
    s = _SIZING.sub("", s)
    s = s.replace(r"\limits", "").replace(r"\displaystyle", "").replace(r"\nolimits", "")
    s = re.sub(r"\\begin\{(cases|array|matrix)\}(\{[^}]*\})?", r"\\left\\{", s)
    s = re.sub(r"\\end\{(cases|array|matrix)\}", r"\\right.", s)
    s = s.replace("&", r"\;").replace(r"\\", r";\;")
    s = re.sub(r"\\(text|operatorname|rm|hbox)\{", r"\\mathrm{", s)
    s = re.sub(r"\\rm\b", "", s)
    s = re.sub(r"\\(mathbf|mathcal|hat|tilde|bar)\s+([A-Za-z0-9])", r"\\\1{\2}", s)
    s = re.sub(r"\\(ge|le)(?![a-zA-Z])", r"\\\1q", s)
    s = re.sub(r"\\sqrt(\d)", r"\\sqrt{\1}", s)
    return s
