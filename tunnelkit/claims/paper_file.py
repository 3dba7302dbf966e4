r"""Paper files (``docs/paper-files.md``): the printed equations of a user's paper and what each claims.

:func:`load_paper` reads and validates the TOML; every problem raises
:class:`PaperFileError` whose message is one line naming the file, the table
(``[paper]``, ``[symbols]``, ``equation 3``) and what is allowed -- the
command line prints it and exits with status 2.  What the equations *mean*
(LaTeX, model quantities) is judged later by :mod:`tunnelkit.claims.paper_verify`,
which reports it per equation.

Beyond the spec's example: ``[symbols]`` may also declare names that are not
model parameters (for instance the paper's wave number ``k``), which an
equation's ``where`` can then tie to the model (``omega = "-2*cos(k)"``) and
``assume`` can restrict (``"k > 0"``, ``"n integer"``, ``"1 <= n <= 2*M+1"``).
TOML numbers in ``where`` are read as the decimal written (``0.1`` is 1/10).
``model`` or ``fields`` may also be ``bundled:NAME``: a file shipped inside the package
(``bundled:anglin_lattice.toml``, the lattice of ``anglin``; :func:`bundled_names` lists them), so that
the paper files bundled for the registry (``tunnelkit/papers_data``) work wherever they are copied.

>>> import pathlib, tempfile
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "m.toml").write_text("")
>>> _ = (d / "p.toml").write_text('''
... [paper]
... id = "dot"
... model = "m.toml"
... [symbols]
... omega = '\\omega'
... [[equation]]
... number = 2
... claims = "det-zero"
... latex = '\\omega = 0'
... ''')
>>> p = load_paper(d / "p.toml")
>>> p.id, p.equations[0].number, p.equations[0].id
('dot', '2', 'dot:2')
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from derive.latex.latex_layout import prime_runs
from tunnelkit.cli_output import one_line

__all__ = ["PaperFileError", "PaperEquation", "PaperFile", "load_paper", "BUNDLED", "bundled_file", "bundled_names"]

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_EQUATION_KEYS = ("number", "claims", "latex", "where", "assume", "defines")
_FIELD_EQUATION_KEYS = ("number", "claims", "latex", "overlap")  # a paper over a field file (paper_fields)
#: a model quantity as a claim names it (docs/conventions.md); which ones a model has is judged when verifying
QUANTITY_NAME = r"(?:S:[\w.\[\]]+,[\w.\[\]]+|T2:\w+->\w+|R2:\w+|absorbed:\w+|G:[\w.\[\]]+,[\w.\[\]]+|det)"
_CLAIM_ALLOWED = ("'T2:p->q', 'R2:p', 'absorbed:p', 'S:q,p', 'G:i,j', 'det', 'det-zero', 'identity', "
                  "or sums and multiples of quantities such as '1 + T2:L->R - R2:L' ('definition' with 'defines')")


class PaperFileError(ValueError):
    """A malformed paper file; the message is one line naming the file, the table and what is allowed."""


@dataclass(frozen=True)
class PaperEquation:
    """One ``[[equation]]``: ``where`` maps names to value strings, ``assume`` holds condition strings.

    ``defines`` names the ``[symbols]`` entry whose value this equation gives to the later ones;
    ``problem`` is why the entry cannot be checked (reported as its verdict; the other equations are
    still checked).
    """

    paper: str
    number: str
    claims: str
    latex: str
    where: dict = field(default_factory=dict)
    assume: tuple[str, ...] = ()
    overlap: str = "zero"  # a paper over a field file: the split's L-R overlap
    defines: str = ""
    problem: str = ""

    @property
    def id(self) -> str:
        return f"{self.paper}:{self.number}"

    @property
    def printed(self) -> str:
        """The LaTeX with its whitespace collapsed (as the registry prints equations)."""
        return " ".join(self.latex.split())


@dataclass(frozen=True)
class PaperFile:
    """A validated paper file; ``digest`` hashes its bytes and the model file's (the cache key's share)."""

    path: Path
    id: str
    title: str
    model_path: Path
    symbols: dict
    equations: tuple[PaperEquation, ...]
    digest: str
    fields: bool = False  # model_path is a field file (claims about its split, tunnelkit.claims.paper_fields)


def _err(path: Path, where: str, what: str) -> PaperFileError:
    return PaperFileError(f"{path.name}: {where}: {what}")


def _string(path: Path, table: str, key: str, value, *, required: bool = True) -> str:
    if value is None:
        if required:
            raise _err(path, table, f"missing '{key}' (a string)")
        return ""
    if not isinstance(value, str) or not value.strip():
        raise _err(path, table, f"'{key}' must be a non-empty string (got {value!r})")
    return value


def _number_text(value) -> str:
    """A TOML scalar as the text written: ``0.1`` -> ``"0.1"`` (exact decimal), ``2`` -> ``"2"``."""
    if isinstance(value, bool):
        raise TypeError(value)
    if isinstance(value, float):
        return repr(value)  # shortest round-trip: the decimal the user typed
    if isinstance(value, (int, str)):
        return str(value)
    raise TypeError(value)


def _paper_table(path: Path, data: dict) -> tuple[str, str, Path]:
    paper = data.get("paper")
    if not isinstance(paper, dict):
        raise _err(path, "[paper]", "missing table [paper] with id, title and model")
    extra = sorted(set(paper) - {"id", "title", "model", "fields"})
    if extra:
        raise _err(path, "[paper]", f"unknown key '{extra[0]}' (allowed: id, title, model or fields)")
    if ("model" in paper) == ("fields" in paper):
        raise _err(path, "[paper]", "give either model (a model file) or fields (a field file)")
    pid = _string(path, "[paper]", "id", paper.get("id"))
    if not _ID.match(pid):
        raise _err(path, "[paper]", f"id {pid!r} must start with a letter and hold letters, digits, '_', '-', '.'")
    title = _string(path, "[paper]", "title", paper.get("title"), required=False)
    key = "model" if "model" in paper else "fields"
    model = _string(path, "[paper]", key, paper.get(key))
    if model.startswith(BUNDLED):
        model_path = bundled_file(model.removeprefix(BUNDLED))
        if model_path is None:
            raise _err(path, "[paper]", f"{key} {model!r}: no such file bundled with tunnelkit (allowed: "
                       f"{', '.join(BUNDLED + n for n in bundled_names())})")
        return pid, title, model_path
    model_path = (path.parent / model).resolve()
    if not model_path.is_file():
        raise _err(path, "[paper]", f"{'model' if key == 'model' else 'field'} file {model!r} not found "
                   f"(a path relative to the paper file, or {BUNDLED}NAME for a file bundled with tunnelkit)")
    return pid, title, model_path


#: ``model``/``fields`` prefix naming a model or field file shipped inside the package
BUNDLED = "bundled:"
#: the package folders that hold them (tunnelkit/models_data, tunnelkit/papers_data)
_BUNDLED_DIRS = ("models_data", "papers_data")


def bundled_names() -> list[str]:
    """File names that ``bundled:NAME`` accepts (the TOML files of the package's data folders)."""
    root = Path(__file__).resolve().parents[1]
    return sorted(p.name for d in _BUNDLED_DIRS for p in (root / d).glob("*.toml"))


def bundled_file(name: str) -> Path | None:
    """The bundled file ``name`` (a plain file name, no folders), or None."""
    if name not in bundled_names():  # only listed names: no path of the user's text is ever opened
        return None
    root = Path(__file__).resolve().parents[1]
    return next(root / d / name for d in _BUNDLED_DIRS if (root / d / name).is_file())


_OPERATION = re.compile(r"\\(?:[dtc]?frac|sqrt|left|right|cdot|times|pm|mp|sum|prod|int|exp|ln|log|sinh?|cosh?|tanh?|"
                        r"arc\w+)(?![A-Za-z])")


#: a trailing argument list of a defined name, ``\Gamma(\omega)`` or ``f(x, y)``: symbols and commas
_ARGUMENTS = re.compile(r"(?<=\S)\s*\((?:\s*[\\A-Za-z][\\A-Za-z0-9_{}']*\s*,?)+\)\s*$")


def _symbol_latex_problem(latex: str) -> str | None:
    """Why ``latex`` is not the LaTeX of one symbol (a letter or command, subscripts, primes), or None.

    Every run of an equation that equals a declared symbol's LaTeX is read as that symbol, so an
    entry such as ``'+'`` or ``'\\frac{1}{2}'`` would silently change what the equations say.
    """
    latex = _ARGUMENTS.sub("", prime_runs(latex))  # t^{\prime} is the symbol t'; \Gamma(\omega) a defined name
    depth, outside = 0, []
    for ch in latex:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return "unbalanced braces"
        if depth == 0:
            outside.append(ch)
    if depth:
        return "unbalanced braces"
    text = latex.strip()
    if m := _OPERATION.search(text):
        return f"'{m.group()}' is an operation"
    if bad := sorted(set("".join(outside)) & set("+-*/=()[]|^!<>&;,.")):
        return f"'{bad[0]}' is not part of a symbol"
    if text[0].isdigit():
        return "a symbol does not start with a digit"
    return None


def _symbols_table(path: Path, data: dict) -> dict:
    table = data.get("symbols", {})
    if not isinstance(table, dict):
        raise _err(path, "[symbols]", "must be a table: name = 'LaTeX'")
    seen: dict[str, str] = {}
    for name, latex in table.items():
        if not _NAME.match(name):
            raise _err(path, "[symbols]", f"{name!r} is not a name (letters, digits, '_')")
        _string(path, "[symbols]", name, latex)
        if why := _symbol_latex_problem(latex):
            raise _err(path, "[symbols]", f"{name} = {latex!r} is not the LaTeX of one symbol ({why}; a letter or "
                       "command with subscripts and primes, such as '\\tau_1', 't_{d}', '\\mathcal{A}')")
        key = " ".join(latex.split())
        if key in seen:
            raise _err(path, "[symbols]", f"{name} and {seen[key]} have the same LaTeX {latex!r}")
        seen[key] = name
    return dict(table)


def _claim_well_formed(claims: str) -> bool:
    """``identity``, ``det-zero``, or quantities (:data:`QUANTITY_NAME`) combined with numbers, + - * / ( )."""
    if claims in ("identity", "det-zero", "definition"):
        return True
    rest, n = re.subn(QUANTITY_NAME, "q", claims)
    return n > 0 and re.fullmatch(r"[q\d.+\-*/() ]+", rest) is not None and "qq" not in rest.replace(" ", "")


def _equation(path: Path, pid: str, i: int, eq, symbols: dict, fields: bool = False) -> PaperEquation:
    """One entry; a problem inside it is kept on the entry (``problem``), not raised."""
    number = f"entry-{i + 1}"
    try:
        return _equation_checked(path, pid, i, eq, symbols, fields)
    except PaperFileError as exc:
        if isinstance(eq, dict):
            try:
                number = _number_text(eq["number"]).strip() or number
            except (KeyError, TypeError):
                pass
            if not re.match(r"^[A-Za-z0-9_.()-]+$", number):
                number = f"entry-{i + 1}"
        latex = eq.get("latex") if isinstance(eq, dict) and isinstance(eq.get("latex"), str) else ""
        return PaperEquation(pid, number, "", latex, problem=one_line(str(exc).removeprefix(f"{path.name}: ")))


def _equation_checked(path: Path, pid: str, i: int, eq, symbols: dict, fields: bool) -> PaperEquation:
    where_ = f"equation {i + 1}"
    if not isinstance(eq, dict):
        raise _err(path, where_, "each [[equation]] must be a table")
    keys = _FIELD_EQUATION_KEYS if fields else _EQUATION_KEYS
    extra = sorted(set(eq) - set(keys))
    if extra:
        raise _err(path, where_, f"unknown key '{extra[0]}' (allowed: {', '.join(keys)})")
    try:
        number = _number_text(eq["number"]).strip()
    except (KeyError, TypeError):
        raise _err(path, where_, "missing 'number' (a string such as \"3\" or \"4a\")") from None
    if not number or not re.match(r"^[A-Za-z0-9_.()-]+$", number):
        raise _err(path, where_, f"number {number!r} must hold letters, digits, '.', '-', '_', '(', ')'")
    where_ = f"equation {number}"
    if fields:
        from tunnelkit.claims.paper_fields import CLAIM_RE

        claims = _string(path, where_, "claims", eq.get("claims")).strip()
        overlap = eq.get("overlap", "zero")
        if not CLAIM_RE.match(claims):
            raise _err(path, where_, f"claims {claims!r} is not a claim about a split (allowed: 'class:<class>' or "
                       "several joined by +, 'term', 'split', 'current:<species>', 'current:total', 'current:a-b')")
        if overlap not in ("zero", "K"):
            raise _err(path, where_, f"overlap must be \"zero\" or \"K\" (got {overlap!r})")
        latex = _string(path, where_, "latex", eq.get("latex"))
        return PaperEquation(pid, number, claims, latex, overlap=overlap)
    defines = _string(path, where_, "defines", eq.get("defines"), required=False).strip()
    if defines and defines not in symbols:
        raise _err(path, where_, f"defines {defines!r}: not a name of [symbols] (declare its LaTeX there)")
    if defines and eq.get("claims") is None:
        claims = "definition"
    else:
        claims = _string(path, where_, "claims", eq.get("claims")).strip()
    if not _claim_well_formed(claims) or (claims == "definition" and not defines):
        raise _err(path, where_, f"claims {claims!r} is not a claim (allowed: {_CLAIM_ALLOWED})")
    latex = _string(path, where_, "latex", eq.get("latex"))
    subs = eq.get("where", {})
    if not isinstance(subs, dict):
        raise _err(path, where_, "'where' must be a table such as { Lambda = \"inf\" }")
    where: dict[str, str] = {}
    for name, value in subs.items():
        try:
            where[name] = _number_text(value).strip()
        except TypeError:
            raise _err(path, where_, f"where: {name} must be a number or a string (got {value!r})") from None
        if not where[name]:
            raise _err(path, where_, f"where: {name} is empty")
    assume = eq.get("assume", [])
    if not isinstance(assume, list) or not all(isinstance(a, str) and a.strip() for a in assume):
        raise _err(path, where_, "'assume' must be a list of strings such as [\"omega > -2\"]")
    return PaperEquation(pid, number, claims, latex, where, tuple(assume), defines=defines)


def load_paper(path: str | Path) -> PaperFile:
    """Read and validate a paper file.

    Parameters
    ----------
    path : str or pathlib.Path
        The TOML file.

    Returns
    -------
    PaperFile

    Raises
    ------
    PaperFileError
        One line naming the file, the table and what is allowed.
    """
    from tunnelkit.input_files import check_kind, parse_toml, read_bytes

    path = Path(path)
    raw = read_bytes(path, what="paper file", error=PaperFileError)
    data = parse_toml(raw, source=path.name, what="paper file", error=PaperFileError)
    check_kind(data, source=path.name, what="paper file", error=PaperFileError)
    extra = sorted(set(data) - {"paper", "symbols", "equation"})
    if extra:
        raise _err(path, f"[{extra[0]}]", "unknown table (allowed: [paper], [symbols], [[equation]])")
    pid, title, model_path = _paper_table(path, data)
    fields = "fields" in data["paper"]
    symbols = _symbols_table(path, data)
    eqs = data.get("equation")
    if not isinstance(eqs, list) or not eqs:
        raise _err(path, "[[equation]]", "no equations (add [[equation]] tables with number, claims, latex)")
    equations = tuple(_equation(path, pid, i, eq, symbols, fields) for i, eq in enumerate(eqs))
    numbers = [e.number for e in equations]
    dup = next((n for n in numbers if numbers.count(n) > 1), None)
    if dup is not None:
        raise _err(path, f"equation {dup}", "the number is used twice")
    model_raw = read_bytes(model_path, what="field file" if fields else "model file", error=PaperFileError)
    digest = hashlib.sha256(raw + b"\0" + model_raw).hexdigest()
    return PaperFile(path, pid, title, model_path, symbols, equations, digest, fields)
