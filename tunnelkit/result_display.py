r"""How results show in Jupyter: short one-line reprs, HTML and Markdown tables, pandas frames.

Every text that reaches HTML or Markdown (model names, parameter values, site energies, the printed LaTeX of a
paper file) comes from a file and is escaped here: ``<``, ``>`` and ``&`` become entities and Markdown's
punctuation is backslash-escaped, so no input can add markup or a script to a notebook.  LaTeX is shown as
``$...$`` (MathJax/KaTeX render it) with the same escaping and ``|`` written ``\vert`` (a Markdown table cell).

Long columns show their first and last :data:`EDGE_ROWS` rows around one row of ``…``; a null value (NaN: a lead
with no propagating mode) shows as ``null``, an unsettled one (:class:`numeric.precision.Unsettled`) as
``unsettled``.

>>> print(markdown_table(["name", "value"], [["a|b", Math("x<1")]]))
| name | value |
|---|---|
| a\|b | $x&lt;1$ |
>>> shown_rows(3), shown_rows(20)
([0, 1, 2], [0, 1, 2, 3, 4, None, 15, 16, 17, 18, 19])
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any, Sequence

__all__ = ["Math", "html_table", "markdown_table", "shown_rows", "show_number", "escape_markdown", "EDGE_ROWS",
           "require_pandas", "model_repr", "model_html", "model_markdown", "check_repr", "outcome_repr",
           "outcomes_html", "outcomes_markdown", "OutcomeTable"]

#: rows shown at each end of a long column (the rows between are one ``…`` row)
EDGE_ROWS = 5
#: significant digits shown of a double (and at most of an mpmath value) in a table
SHOWN_DIGITS = 10
#: characters with a meaning inside a line of Markdown (emphasis, code, links, tables, math)
_MARKDOWN_PUNCTUATION = "\\`*_[]|~$"


@dataclass(frozen=True)
class Math:
    """A LaTeX cell (shown as ``$...$``)."""

    latex: str


def escape_markdown(text: str) -> str:
    r"""Plain text for Markdown: HTML entities for ``<>&`` and a backslash before Markdown punctuation.

    Parameters
    ----------
    text : str
        Any text (from a file: never markup).

    Returns
    -------
    str
        One line.

    >>> escape_markdown("<b>T2|x_1</b>")
    '&lt;b&gt;T2\\|x\\_1&lt;/b&gt;'
    """
    out = html.escape(" ".join(str(text).split()), quote=False)
    return "".join("\\" + c if c in _MARKDOWN_PUNCTUATION else c for c in out)


def _latex(latex: str) -> str:
    return html.escape(" ".join(latex.split()).replace("|", r"\vert "), quote=False)


def _html_cell(cell: Any) -> str:
    if isinstance(cell, Math):
        return f"${_latex(cell.latex)}$"
    return html.escape(str(cell))


def _md_cell(cell: Any) -> str:
    if isinstance(cell, Math):
        return f"${_latex(cell.latex)}$"
    return escape_markdown(cell)


def shown_rows(n: int, *, edge: int = EDGE_ROWS) -> list[int | None]:
    """Indices of the rows shown of ``n`` rows: all of them, or the first and last ``edge`` around ``None`` (``…``).

    Parameters
    ----------
    n : int
        Number of rows.
    edge : int
        Rows kept at each end of a long table.

    Returns
    -------
    list of int or None
        Row indices; ``None`` marks the elided rows.
    """
    if n <= 2 * edge + 1:
        return list(range(n))
    return list(range(edge)) + [None] + list(range(n - edge, n))


def show_number(x: Any, dps: int | None = None) -> str:
    """One value for a table: ``null`` (NaN or None), ``unsettled``, else at most :data:`SHOWN_DIGITS` digits.

    Parameters
    ----------
    x : float, mpmath.mpf or numeric.precision.Unsettled
        The value.
    dps : int, optional
        The digits it was computed to (an mpmath value shows ``min(dps, SHOWN_DIGITS)`` of them).

    Returns
    -------
    str

    >>> show_number(float("nan")), show_number(0.1 + 0.2), show_number(None)
    ('null', '0.3', 'null')
    """
    from numeric.precision import is_unsettled

    if x is None:
        return "null"
    if is_unsettled(x):
        return "unsettled"
    import mpmath

    if isinstance(x, (mpmath.mpf, mpmath.mpc)):
        if isinstance(x, mpmath.mpf) and mpmath.isnan(x):
            return "null"
        return mpmath.nstr(x, min(dps or SHOWN_DIGITS, SHOWN_DIGITS))
    try:
        v = complex(x)
    except (TypeError, ValueError):
        return str(x)
    if v.imag == 0:
        return "null" if math.isnan(v.real) else f"{v.real:.{SHOWN_DIGITS}g}"
    return f"{v:.{SHOWN_DIGITS}g}"


def html_table(headers: Sequence[str], rows: Sequence[Sequence[Any] | None], *, caption: str = "") -> str:
    """An HTML table (every cell escaped; a row ``None`` is a row of ``…``).

    Parameters
    ----------
    headers : sequence of str
        Column titles.
    rows : sequence of (sequence or None)
        Cells: text, or :class:`Math`.
    caption : str
        Plain text above the table.

    Returns
    -------
    str
    """
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = ["…"] * len(headers) if row is None else [_html_cell(c) for c in row]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[Any] | None]) -> str:
    """A Markdown table (every cell escaped; a row ``None`` is a row of ``…``).

    Parameters
    ----------
    headers : sequence of str
        Column titles.
    rows : sequence of (sequence or None)
        Cells: text, or :class:`Math`.

    Returns
    -------
    str
        Lines of ``| ... |``.
    """
    from tunnelkit.markdown_table import markdown_table as lines_of

    return "\n".join(lines_of([escape_markdown(h) for h in headers],
                               [["…"] * len(headers) if row is None else [_md_cell(c) for c in row] for row in rows]))


def require_pandas():
    """The pandas module, or an ImportError naming the optional extra that installs it.

    Returns
    -------
    module
        ``pandas``.
    """
    try:
        import pandas
    except ImportError:
        raise ImportError("to_dataframe() needs pandas: pip install 'tunnelkit[frames]' (or pip install pandas)"
                          ) from None
    return pandas


# -- models
def _value(model: Any, name: str) -> str:
    return str(model.values[name]) if name in model.values else "symbolic"


def model_repr(model: Any) -> str:
    """One line: name, parameters (value or ``symbolic``), region sites, leads (``repr(Model)``).

    Parameters
    ----------
    model : tunnelkit.models.model.Model

    Returns
    -------
    str
    """
    params = ", ".join(f"{p}={_value(model, p)[:24]}" for p in model.parameters) or "no parameters"
    segs = f" + {len(model.segments)} segment{'s' * (len(model.segments) != 1)}" if model.segments else ""
    n = len(model.sites)
    return (f"Model({model.name!r}: {params}; {n} site{'s' * (n != 1)}{segs}; "
            f"leads {', '.join(model.lead_names)})")


def _model_tables(model: Any) -> list[tuple[str, list[str], list]]:
    """(title, headers, rows) of the model's tables."""
    out = [("parameters", ["parameter", "value", "range", "about"],
            [[p, _value(model, p), d.get("range") or "", d.get("about") or ""] for p, d in model.parameters.items()]),
           ("sites", ["site", "energy"], [[s, e] for s, e in model.sites.items()])]
    if model.hoppings:
        out.append(("hoppings", ["sites", "value"],
                    [[" - ".join(map(str, h.get("sites", ()))), h.get("value", "")] for h in model.hoppings]))
    if model.segments:
        out.append(("segments", ["segment", "length", "hopping", "energy"],
                    [[s.get("name", ""), s.get("length", ""), s.get("hopping", ""), s.get("energy", "")]
                     for s in model.segments]))
    out.append(("leads", ["lead", "site", "hopping", "coupling", "potential"],
                [[ld.get(k, "") for k in ("name", "site", "hopping", "coupling", "potential")] for ld in model.leads]))
    return out


def model_html(model: Any) -> str:
    """The model as HTML: its name, then tables of parameters (value or ``symbolic``), sites, segments, leads.

    Parameters
    ----------
    model : tunnelkit.models.model.Model

    Returns
    -------
    str
    """
    parts = [f"<p><b>Model {html.escape(model.name)}</b></p>"]
    parts += [html_table(headers, [[str(c) for c in r] for r in rows], caption=title)
              for title, headers, rows in _model_tables(model) if rows]
    return "".join(parts)


def model_markdown(model: Any) -> str:
    """The model as Markdown (the tables of :func:`model_html`).

    Parameters
    ----------
    model : tunnelkit.models.model.Model

    Returns
    -------
    str
    """
    parts = [f"**Model {escape_markdown(model.name)}**"]
    parts += [f"{title}:\n\n" + markdown_table(headers, [[str(c) for c in r] for r in rows])
              for title, headers, rows in _model_tables(model) if rows]
    return "\n\n".join(parts)


# -- verification outcomes
def check_repr(result: Any) -> str:
    """One line of a :class:`tunnelkit.registry.core.CheckResult`: status and method.

    Parameters
    ----------
    result : CheckResult

    Returns
    -------
    str
    """
    return f"CheckResult({result.status}, by {result.method[:80]!r})"


def outcome_repr(outcome: Any) -> str:
    """One line of a :class:`tunnelkit.registry.core.Outcome`: id, status and method (or why it did not run).

    Parameters
    ----------
    outcome : Outcome

    Returns
    -------
    str
    """
    r = outcome.result
    what = f"{r.status}, by {r.method[:80]!r}" if r else f"not run: {outcome.error[:80]!r}"
    return f"Outcome({outcome.id!r}: {what})"


def _outcome_rows(outcomes: Sequence[Any]) -> list[list[Any]]:
    rows = []
    for o in outcomes:
        r = o.result
        rows.append([o.id, r.status if r else "not run", r.method if r else "check could not run",
                     Math(o.printed) if o.printed else "", Math(r.corrected) if r and r.corrected else "",
                     (r.detail if r else o.error)[:300]])
    return rows


_OUTCOME_HEADERS = ["equation", "status", "decided by", "printed", "corrected", "detail"]


def outcomes_html(outcomes: Sequence[Any], *, caption: str = "") -> str:
    """Outcomes as an HTML table: id, status, method, printed and corrected LaTeX, detail.

    Parameters
    ----------
    outcomes : sequence of Outcome
    caption : str
        Text above the table.

    Returns
    -------
    str
    """
    return html_table(_OUTCOME_HEADERS, _outcome_rows(outcomes), caption=caption)


def outcomes_markdown(outcomes: Sequence[Any], *, caption: str = "") -> str:
    """Outcomes as a Markdown table (the columns of :func:`outcomes_html`).

    Parameters
    ----------
    outcomes : sequence of Outcome
    caption : str
        A line above the table.

    Returns
    -------
    str
    """
    head = escape_markdown(caption) + "\n\n" if caption else ""
    return head + markdown_table(_OUTCOME_HEADERS, _outcome_rows(outcomes))


class OutcomeTable(list):
    """Verification outcomes that show as a table in Jupyter (a list of Outcome: iterate, index, ``len``).

    Returned by :func:`tunnelkit.report_table`; ``to_dataframe()`` gives one row per equation.
    """

    def __init__(self, outcomes: Sequence[Any], *, title: str = "") -> None:
        super().__init__(outcomes)
        self.title = title

    def summary(self) -> str:
        """The counts line (``3 equations: 2 verified, 1 erratum, 0 unverifiable.``).

        Returns
        -------
        str
        """

        return summary_line(self)

    def __repr__(self) -> str:
        return f"OutcomeTable({(self.title + ': ') if self.title else ''}{self.summary()})"

    def _repr_html_(self) -> str:
        return outcomes_html(self, caption=(self.title + ": " if self.title else "") + self.summary())

    def _repr_markdown_(self) -> str:
        return outcomes_markdown(self, caption=(self.title + ": " if self.title else "") + self.summary())

    def to_dataframe(self):
        """A pandas DataFrame, one row per equation: id, status, method, printed, corrected, detail.

        Returns
        -------
        pandas.DataFrame
        """
        pd = require_pandas()
        return pd.DataFrame([{"id": o.id, "status": o.result.status if o.result else "not run",
                              "method": o.result.method if o.result else "check could not run",
                              "printed": o.printed, "corrected": o.result.corrected if o.result else None,
                              "detail": o.result.detail if o.result else o.error} for o in self]).set_index("id")


def _status(o: Any) -> str:
    return o.result.status if o.result else "not run"


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"{n} {word}"
    return f"{n} {word[:-2]}a" if word.endswith("um") else f"{n} {word}s"


def summary_line(outcomes: Sequence[Any]) -> str:
    """The counts of a report: ``3 equations: 2 verified, 1 erratum, 0 unverifiable.``

    Parameters
    ----------
    outcomes : sequence of Outcome

    Returns
    -------
    str
    """
    counts = {s: sum(_status(o) == s for o in outcomes)
              for s in ("verified", "erratum", "unverifiable", "definition", "not run")}
    return (f"{_plural(len(outcomes), 'equation')}: {counts['verified']} verified, "
            f"{_plural(counts['erratum'], 'erratum')}, {counts['unverifiable']} unverifiable"
            + (f", {_plural(counts['definition'], 'definition')}" if counts["definition"] else "")
            + (f", {counts['not run']} not run" if counts["not run"] else "") + ".")
