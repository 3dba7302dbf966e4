"""What model evaluations return: :class:`Transmission` (probabilities over omega) and :class:`Currents`.

Conventions: docs/conventions.md.  With ``dps`` the arrays hold mpmath numbers with the requested digits
(an unsettled value is :class:`numeric.precision.Unsettled`); without, NumPy arrays of doubles.  NaN
(JSON ``null``) is a null value: a quantity of a lead with no propagating mode at that omega.

In Jupyter both show as a small table (:mod:`tunnelkit.result_display`: long columns elided with ``…``);
``to_dataframe()`` gives a pandas frame (``pip install 'tunnelkit[frames]'``).

Result files (:meth:`Transmission.save`, :meth:`Transmission.load`, the same for :class:`Currents`) are JSON
objects::

    {"format": "tunnelkit.Transmission", "version": 1, "method": "closed", "dps": null,
     "omega": [...], "leads": ["L", "R"], "T2": {"L->R": [...], ...}, "R2": {"L": [...], ...},
     "absorbed": {"L": [...], ...}}
    {"format": "tunnelkit.Currents", "version": 1, "dps": null, "I": {"L": ..., ...}, "loss": ...,
     "error_estimate": ...}

Without ``dps`` every value is a JSON number written with Python's shortest round-trip repr, so a loaded
double is the saved double bit for bit; ``null`` is a null value (NaN).  With ``dps`` = D every value is the
decimal of its D significant digits as the command line's ``--json`` prints it (a number up to 15 digits, a
string above), ``null`` is a null value and ``{"unsettled": reason}`` a value that did not settle; loading
and saving again gives the same text.

>>> import numpy as np
>>> tr = Transmission(np.array([0.1, 0.3]), ("L", "R"), {"L->R": np.array([0.5, 0.1 + 0.2]),
...                   "R->L": np.array([0.5, 0.3])}, {"L": np.array([0.5, np.nan]), "R": np.array([0.5, 0.7])},
...                   {"L": np.array([0.0, 0.0]), "R": np.array([0.0, 0.0])}, "closed")
>>> tr
Transmission(2 frequencies in [0.1, 0.3], leads L, R, method closed)
>>> tr.to_json()["R2"]["L"]
[0.5, None]
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

__all__ = ["Transmission", "Currents", "ResultFileError", "RESULT_FILE_MAX_BYTES", "settled"]

#: largest result file :meth:`Transmission.load` and :meth:`Currents.load` read (bounds memory and time)
RESULT_FILE_MAX_BYTES = 64 * 2**20
_METHODS = ("closed", "direct")
_MAX_DPS = 10000
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,9})?")


class ResultFileError(ValueError):
    """A result file that cannot be loaded: the message names the file, every bad key and what is allowed."""


def _exact_value(dps: int | None) -> Callable[[Any], Any]:
    """The file's encoding of one value (see the module docstring)."""
    from numeric.precision import is_unsettled
    from tunnelkit.cli_output import _fmt_json

    def f(x: Any) -> Any:
        if is_unsettled(x):
            return {"unsettled": x.reason}
        if dps is not None:
            return _fmt_json(x, dps)
        v = float(x)
        return None if math.isnan(v) else v
    return f


def _dump(obj: dict, path: str | Path) -> None:
    """Write ``obj`` as JSON atomically (nothing half-written: :func:`tunnelkit.cli_output.atomic_output`)."""
    from tunnelkit.cli_output import atomic_output

    text = json.dumps(obj, allow_nan=False)
    with atomic_output(path, flag="path") as tmp:
        Path(tmp).write_text(text + "\n", encoding="utf-8")


def _read(path: str | Path, kind: str) -> dict:
    """The JSON object of a result file of ``kind``, or ResultFileError (size, encoding, syntax, format, version)."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > RESULT_FILE_MAX_BYTES:
            raise ResultFileError(f"{p}: {size} bytes; a result file has at most {RESULT_FILE_MAX_BYTES} bytes")
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ResultFileError(f"{p}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ResultFileError(f"{p}: not UTF-8 text (a result file is JSON)") from None

    def constant(name: str) -> Any:
        raise ValueError(f"{name} is not JSON (null is a null value)")
    try:
        data = json.loads(text, parse_constant=constant)
    except RecursionError:
        raise ResultFileError(f"{p}: nested too deeply (a result file is a flat JSON object)") from None
    except ValueError as exc:
        raise ResultFileError(f"{p}: not JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != f"tunnelkit.{kind}":
        raise ResultFileError(f'{p}: format: expected a JSON object with "format": "tunnelkit.{kind}"')
    if data.get("version") != 1 or isinstance(data.get("version"), bool):
        raise ResultFileError(f"{p}: version: expected 1 (got {data.get('version')!r:.40})")
    return data


def _dps_of(data: dict, problems: list) -> int | None:
    dps = data.get("dps")
    if dps is None:
        return None
    if isinstance(dps, bool) or not isinstance(dps, int) or not 1 <= dps <= _MAX_DPS:
        problems.append(f"dps: expected null or an integer in [1, {_MAX_DPS}]")
        return None
    return dps


def _value_reader(dps: int | None, problems: list) -> Callable[[Any, str], Any]:
    """Decode one value of the file (key names it in a problem); problems are collected, not raised."""
    import mpmath

    from numeric.precision import Unsettled

    def read(v: Any, key: str) -> Any:
        if dps is not None and isinstance(v, dict) and set(v) == {"unsettled"} and isinstance(v["unsettled"], str):
            return Unsettled(v["unsettled"][:1000])
        if v is None:
            return mpmath.mpf("nan") if dps is not None else math.nan
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            if dps is None:
                return float(v)
            with mpmath.workdps(dps + 10):
                return mpmath.mpf(repr(v) if isinstance(v, float) else v)
        if dps is not None and isinstance(v, str) and len(v) <= dps + 40 and _DECIMAL.fullmatch(v):
            with mpmath.workdps(dps + 10):
                return mpmath.mpf(v)
        allowed = "a number or null" if dps is None else \
            f'a number, a decimal string of at most {dps + 40} characters, null or {{"unsettled": reason}}'
        problems.append(f"{key}: expected {allowed} (got {json.dumps(v)[:40]})")
        return None
    return read


def _column(values: Any, key: str, n: int | None, read: Callable, problems: list, dps: int | None) -> np.ndarray:
    if not isinstance(values, list) or (n is not None and len(values) != n):
        problems.append(f"{key}: expected a list of {'values' if n is None else f'{n} values (one per omega)'}")
        return np.zeros(0)
    got = [read(v, f"{key}[{i}]") for i, v in enumerate(values)]
    if dps is None:
        return np.array([math.nan if g is None else g for g in got], dtype=float)
    return np.array(got + [None], dtype=object)[:-1]


def _raise(path: str | Path, problems: list) -> None:
    if problems:
        more = f"; and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise ResultFileError(f"{path}: " + "; ".join(problems[:10]) + more)


@dataclass(frozen=True)
class Transmission:
    """``T2["p->q"]``, ``R2["p"]`` and ``absorbed["p"]`` over ``omega`` (docs/conventions.md); NaN is null.

    ``dps`` is the number of correct digits of an mpmath evaluation (None: doubles).
    """

    omega: Any
    leads: tuple[str, ...]
    T2: dict
    R2: dict
    absorbed: dict
    method: str
    dps: int | None = None

    def columns(self) -> dict[str, Any]:
        """Every quantity by its name (``"T2:L->R"``, ``"R2:L"``, ``"absorbed:L"``), as :meth:`Model.evaluate` names them.

        Returns
        -------
        dict
            Name -> array over ``omega``.
        """
        return {f"T2:{k}": v for k, v in self.T2.items()} | {f"R2:{k}": v for k, v in self.R2.items()} | \
            {f"absorbed:{k}": v for k, v in self.absorbed.items()}

    def to_json(self, fmt: Callable | None = None, *, fmt_input: Callable | None = None) -> dict:
        """The JSON object of ``tunnelkit transmission --model`` (keys omega, leads, T2, R2, absorbed).

        Parameters
        ----------
        fmt : callable, optional
            Formats one result (default: the result file's exact encoding, see the module docstring).
        fmt_input : callable, optional
            Formats one echoed input (omega; default: ``fmt``, or the input as given with ``dps``).

        Returns
        -------
        dict
            JSON-serialisable.
        """
        f = fmt or _exact_value(self.dps)
        if fmt_input is None and fmt is None and self.dps is not None:
            from tunnelkit.cli_output import _fmt_json

            fmt_input = lambda x: _fmt_json(x, self.dps, pad=False)  # noqa: E731
        col = lambda xs: [f(x) for x in xs]  # noqa: E731
        return {"omega": [(fmt_input or f)(x) for x in self.omega], "leads": list(self.leads),
                "T2": {k: col(v) for k, v in self.T2.items()}, "R2": {k: col(v) for k, v in self.R2.items()},
                "absorbed": {k: col(v) for k, v in self.absorbed.items()}}

    def save(self, path: str | Path) -> None:
        """Write the result file (JSON, module docstring): doubles exact, ``dps`` digits as decimals.

        Parameters
        ----------
        path : str or pathlib.Path
            A file in an existing, writable folder (written atomically).
        """
        _dump({"format": "tunnelkit.Transmission", "version": 1, "method": self.method, "dps": self.dps}
              | self.to_json(), path)

    @classmethod
    def load(cls, path: str | Path) -> "Transmission":
        """Read a result file written by :meth:`save` (checked: :class:`ResultFileError` names every bad key).

        Parameters
        ----------
        path : str or pathlib.Path
            The file (at most :data:`RESULT_FILE_MAX_BYTES` bytes).

        Returns
        -------
        Transmission
        """
        data, problems = _read(path, "Transmission"), []
        dps = _dps_of(data, problems)
        read = _value_reader(dps, problems)
        method = data.get("method")
        if method not in _METHODS:
            problems.append(f"method: expected one of {', '.join(_METHODS)}")
        leads = data.get("leads")
        if not (isinstance(leads, list) and leads and len(leads) <= 1000 and all(isinstance(x, str) and 0 < len(x) <= 100
                                                                             for x in leads) and len(set(leads)) == len(leads)):
            problems.append("leads: expected a list of distinct lead names (1 to 1000 names of 1 to 100 characters)")
            leads = []
        omega = _column(data.get("omega"), "omega", None, read, problems, dps)
        n = len(data["omega"]) if isinstance(data.get("omega"), list) else None
        tables = {}
        for table, keys in (("T2", [f"{p}->{q}" for p in leads for q in leads if p != q]), ("R2", leads),
                            ("absorbed", leads)):
            got = data.get(table)
            if not isinstance(got, dict) or set(got) != set(keys):
                problems.append(f"{table}: expected an object with the keys {', '.join(keys) or '(of the leads)'}")
                continue
            tables[table] = {k: _column(got[k], f"{table}.{k}", n, read, problems, dps) for k in keys}
        _raise(path, problems)
        return cls(omega, tuple(leads), tables["T2"], tables["R2"], tables["absorbed"], method, dps)

    def to_dataframe(self):
        """A pandas DataFrame: index ``omega``, one column per quantity (``"T2:L->R"``, ``"R2:L"``, ...).

        Doubles as float columns; with ``dps`` object columns of mpmath numbers (every digit kept).  Needs pandas
        (``pip install 'tunnelkit[frames]'``).

        Returns
        -------
        pandas.DataFrame
        """
        from tunnelkit.result_display import require_pandas

        pd = require_pandas()
        dtype = float if self.dps is None else object
        index = pd.Index(np.asarray(self.omega, dtype=dtype), name="omega")
        return pd.DataFrame({k: np.asarray(v, dtype=dtype) for k, v in self.columns().items()}, index=index)

    def __repr__(self) -> str:
        w = np.asarray(self.omega, dtype=object)
        span = f" in [{_short(min(w))}, {_short(max(w))}]" if len(w) else ""
        digits = f", dps={self.dps}" if self.dps is not None else ""
        return (f"Transmission({len(w)} frequenc{'y' if len(w) == 1 else 'ies'}{span}, leads {', '.join(self.leads)}, "
                f"method {self.method}{digits})")

    def _table(self) -> tuple[list[str], list]:
        from tunnelkit.result_display import show_number, shown_rows

        cols = self.columns()
        rows = [None if i is None else [show_number(self.omega[i], self.dps)]
                + [show_number(v[i], self.dps) for v in cols.values()] for i in shown_rows(len(self.omega))]
        return ["omega"] + list(cols), rows

    def _repr_html_(self) -> str:
        from tunnelkit.result_display import html_table

        return html_table(*self._table(), caption=repr(self))

    def _repr_markdown_(self) -> str:
        from tunnelkit.result_display import escape_markdown, markdown_table

        return escape_markdown(repr(self)) + "\n\n" + markdown_table(*self._table())


def _short(x: Any) -> str:
    from tunnelkit.result_display import show_number

    return show_number(x, 6)


@dataclass(frozen=True)
class Currents:
    """Currents ``I[p]`` out of lead p into the region, the loss rate, an error estimate (docs/conventions.md).

    ``dps`` is the number of correct digits of an mpmath evaluation (None: doubles); ``Q[p]`` the energy
    currents (-+inf where the integral diverges, :mod:`numeric.models.model_currents`), ``error_Q[p]`` the
    error estimate of a convergent one with ``dps``.
    """

    I: dict
    loss: float
    error_estimate: float
    dps: int | None = None
    Q: dict = field(default_factory=dict)
    error_Q: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        """The JSON object (I, loss, error_estimate): doubles exact, ``dps`` digits as decimals.

        Returns
        -------
        dict
        """
        f = _exact_value(self.dps)
        out = {"I": {k: f(v) for k, v in self.I.items()}, "loss": f(self.loss),
               "error_estimate": _exact_value(None)(self.error_estimate)}
        if self.Q:  # JSON has no infinity: a divergent Q is the string "inf" or "-inf"
            out["Q"] = {k: (None if math.isnan(v) else f(v) if math.isfinite(v) else ("inf" if v > 0 else "-inf"))
                        for k, v in self.Q.items()}
        return out

    def save(self, path: str | Path) -> None:
        """Write the result file (JSON, module docstring).

        Parameters
        ----------
        path : str or pathlib.Path
            A file in an existing, writable folder (written atomically).
        """
        _dump({"format": "tunnelkit.Currents", "version": 1, "dps": self.dps} | self.to_json(), path)

    @classmethod
    def load(cls, path: str | Path) -> "Currents":
        """Read a result file written by :meth:`save` (checked: :class:`ResultFileError` names every bad key).

        Parameters
        ----------
        path : str or pathlib.Path
            The file.

        Returns
        -------
        Currents
        """
        data, problems = _read(path, "Currents"), []
        dps = _dps_of(data, problems)
        read = _value_reader(dps, problems)
        got = data.get("I")
        if not (isinstance(got, dict) and 0 < len(got) <= 1000 and all(0 < len(k) <= 100 for k in got)):
            problems.append("I: expected an object of lead name -> current (1 to 1000 leads)")
            got = {}
        currents = {k: read(v, f"I.{k}") for k, v in got.items()}
        if "loss" not in data:
            problems.append("loss: missing (a number, or null)")
        loss = read(data.get("loss"), "loss")
        err = _value_reader(None, problems)(data.get("error_estimate"), "error_estimate")
        _raise(path, problems)
        return cls(currents, loss, err, dps)

    def to_dataframe(self):
        """A one-row pandas DataFrame: ``I:<lead>`` per lead, ``loss``, ``error_estimate`` (pandas needed).

        Rows of several results (a sweep) concatenate with ``pandas.concat``.

        Returns
        -------
        pandas.DataFrame
        """
        from tunnelkit.result_display import require_pandas

        pd = require_pandas()
        row = {f"I:{k}": v for k, v in self.I.items()} | {"loss": self.loss, "error_estimate": self.error_estimate}
        return pd.DataFrame([row], dtype=float if self.dps is None else object)

    def __repr__(self) -> str:
        from tunnelkit.result_display import show_number

        cur = ", ".join(f"{k}: {show_number(v, self.dps)}" for k, v in self.I.items())
        digits = f", dps={self.dps}" if self.dps is not None else ""
        return (f"Currents(I {{{cur}}}, loss {show_number(self.loss, self.dps)}, "
                f"error estimate {show_number(self.error_estimate, 3)}{digits})")

    def _table(self) -> tuple[list[str], list]:
        from tunnelkit.result_display import show_number

        rows = [[f"I:{k}", show_number(v, self.dps)] for k, v in self.I.items()]
        rows += [["loss", show_number(self.loss, self.dps)], ["error estimate", show_number(self.error_estimate, 3)]]
        return ["quantity", "value"], rows

    def _repr_html_(self) -> str:
        from tunnelkit.result_display import html_table

        caption = "Currents out of each lead into the region" + (f" (dps={self.dps})" if self.dps else "")
        return html_table(*self._table(), caption=caption)

    def _repr_markdown_(self) -> str:
        from tunnelkit.result_display import markdown_table

        return markdown_table(*self._table())


def settled(point: Callable, ws: list, names: Sequence[str], dps: int, *, guard: int) -> dict:
    """``{"omega": ..., name: object array}`` with ``dps`` settled digits of every value
    (:func:`numeric.precision.settle_each`: an unsettled value is :class:`numeric.precision.Unsettled`)."""
    from numeric.precision import settle_each

    rows, echoed = settle_each(point, ws, dps, guard=guard)
    out: dict[str, Any] = {"omega": np.array(echoed, dtype=object)}
    for k, n in enumerate(names):
        out[n] = np.array([r[k] for r in rows] + [None], dtype=object)[:-1]  # (no broadcasting of tuples)
    return out
