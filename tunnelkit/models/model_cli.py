"""The ``--model FILE`` forms of ``transmission``, ``current`` and ``derive`` (``docs/model-files.md``).

:mod:`tunnelkit.cli` adds the flags with :func:`add_model_flags` and hands a
parsed command with ``--model`` to :func:`run`.  Bad input raises
:class:`tunnelkit.cli.UsageError` (one line, exit status 2) naming the file,
table or flag; the numeric commands never import SymPy.
"""
from __future__ import annotations

import argparse
import math
import re
import sys
from typing import Any, Callable

from numeric.models.expressions import excerpt

__all__ = ["add_model_flags", "run", "parse_params", "parse_lead_flag", "ANGLIN_ONLY_FLAGS"]

#: flags of the built-in lossy lattice that a model file replaces by --param
ANGLIN_ONLY_FLAGS = ("M", "tau1", "gamma", "Lambda", "V", "muL", "muR", "TL", "TR")
#: region sites x frequencies of one ``transmission --model`` run (tunnelkit.limits.MODEL_MAX_WORK)
from tunnelkit.limits import MODEL_MAX_WORK as MAX_WORK  # noqa: E402
#: region sites of ``current --model`` (adaptive quadrature of sparse solves: 9 s at 401 sites, 46 s and
#: 1.2 GB at 801, over 2 min and 5.8 GB at 2001)
CURRENT_MAX_SITES = 1000
_LEAD = re.compile(r"^\s*([A-Za-z_][A-Za-z_0-9]*)\s*:(.*)$")


def add_model_flags(p: argparse.ArgumentParser, command: str) -> None:
    """``--model FILE`` and ``--param NAME=VALUE`` (repeatable); ``--lead`` for ``current``."""
    p.add_argument("--model", default=None, metavar="FILE",
                   help="a model file (TOML, docs/model-files.md) instead of the built-in lossy lattice")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="a parameter value of the model (repeatable; 'inf' takes the limit)")
    if command == "current":
        p.add_argument("--lead", action="append", default=[], metavar="NAME:mu=X[,T=Y]",
                       help="reservoir of a model lead (repeatable; a lead not given is empty)")


def _label(name: str) -> str:
    """A parameter name as error lines show it: itself when it is a short identifier, else its shortened repr."""
    return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,59}", name) else excerpt(name)


def _usage():
    from tunnelkit.cli_values import UsageError

    return UsageError


def parse_params(items: list[str]) -> dict[str, str]:
    """``["a=1", "b=inf"]`` -> ``{"a": "1", "b": "inf"}`` (values stay strings: exact decimals).

    >>> parse_params(["tau1=0.1", "Lambda=inf"])
    {'tau1': '0.1', 'Lambda': 'inf'}
    """
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise _usage()(f"--param expects NAME=VALUE (got {excerpt(item)})")
        if name in out:
            raise _usage()(f"--param {_label(name)} is given twice")
        out[name] = value
    return out


def param_value(name: str, text: str, kind: str):
    """The value of ``--param NAME=TEXT`` for a parameter of ``kind``, exact
    (:func:`tunnelkit.models.model_inputs.parameter_value`; a refusal names the flag).

    >>> param_value("phi", "pi", "real"), param_value("t", "1/4", "real"), param_value("g", "0.1", "real")
    (ExactConstant('pi'), Fraction(1, 4), '0.1')
    >>> param_value("x", "i", "real")
    Traceback (most recent call last):
    ...
    tunnelkit.cli_values.UsageError: --param x: x must be a real number (got i): names are not allowed in a value (the imaginary unit is I; numbers, + - * / ** ^, sqrt exp cos sin, I, pi)
    """
    from tunnelkit.models.model_inputs import ModelError, parameter_value

    try:
        return parameter_value(name, text, kind)
    except ModelError as exc:
        raise _usage()(f"--param {name}: {exc}") from None


def parse_lead_flag(text: str) -> tuple[str, dict[str, str]]:
    """``"L:mu=0.5,T=0.1"`` -> ``("L", {"mu": "0.5", "T": "0.1"})``.

    >>> parse_lead_flag("R:mu=-inf")
    ('R', {'mu': '-inf'})
    """
    m = _LEAD.match(text)
    if not m:
        raise _usage()(f"--lead expects NAME:mu=X[,T=Y] (got {text!r})")
    spec: dict[str, str] = {}
    for part in m.group(2).split(","):
        key, sep, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or key not in ("mu", "T") or not value or key in spec:
            raise _usage()(f"--lead expects NAME:mu=X[,T=Y] (got {text!r})")
        spec[key] = value
    if "mu" not in spec:
        raise _usage()(f"--lead {m.group(1)}: mu is required (NAME:mu=X[,T=Y]; got {text!r})")
    return m.group(1), spec


def _checked_number(flag: str, text: Any) -> Any:
    from tunnelkit.cli_values import parse_number

    parse_number(flag, text)  # NaN and garbage rejected with the flag's name
    return text


def _model(args: argparse.Namespace):
    from tunnelkit.models.model import Model

    for flag in ANGLIN_ONLY_FLAGS:
        value = getattr(args, flag, None)
        if value is not None and not (flag in ("TL", "TR") and value == "0"):  # "0": their defaults
            raise _usage()(f"--{flag} belongs to the built-in lossy lattice; with --model give --param NAME=VALUE")
    model = Model.from_file(args.model)
    params = parse_params(args.param)
    unknown = [p for p in params if p not in model.parameters]
    if unknown:
        raise _usage()(f"--param {_label(unknown[0])}: not a parameter of {args.model} (declared: "
                       f"{', '.join(model.parameters) or 'none'})")
    return model.with_params({n: param_value(n, v, model.parameters[n].get("kind", "real")) for n, v in params.items()})


def _require_values(model, flag_file: str) -> None:
    if model.missing:
        raise _usage()(f"--param: {flag_file} needs a value for {', '.join(model.missing)} "
                       f"(give --param NAME=VALUE for each)")


def run(command: str, args: argparse.Namespace, emit: Callable, table: Callable, fmt: Callable) -> int:
    """Run ``command`` ("transmission", "current", "derive") on ``--model``; errors -> UsageError."""
    from tunnelkit.models.model_file import ModelFileError
    from tunnelkit.models.model import ModelError
    from numeric.errors import ParameterError

    try:
        if command == "transmission":
            return _transmission(args, emit, table, fmt)
        if command == "current":
            return _current(args, emit, table, fmt)
        return _derive(args)
    except (ModelError, ModelFileError) as exc:
        raise _usage()(str(exc)) from None
    except ParameterError as exc:
        raise _usage()(f"{args.model}: {exc}") from None


def _dps(args: argparse.Namespace) -> int | None:
    from tunnelkit.cli_values import parse_int

    return None if args.dps is None else parse_int("--dps", args.dps, 1, "an integer >= 1")


def _transmission(args: argparse.Namespace, emit: Callable, table: Callable, fmt: Callable) -> int:
    model = _model(args)
    _require_values(model, args.model)
    from tunnelkit.cli_values import split_list
    from tunnelkit.limits import check_model_dps

    parts = split_list("--omega", args.omega)  # a list, a range start:stop:count or @FILE
    n_sites = model._n_sites()
    if n_sites * len(parts) > MAX_WORK:
        raise _usage()(f"--omega takes at most {max(1, int(MAX_WORK // n_sites))} frequencies for {args.model} "
                       f"({n_sites} region sites; sites x frequencies <= {MAX_WORK:g})")
    omega = [_checked_number("--omega", p) for p in parts]
    bad = [w for w in omega if not math.isfinite(float(w))]
    if bad:
        raise _usage()(f"--omega must be finite numbers (got {bad[0]})")
    dps = _dps(args)
    if dps is not None:  # the total cost, not only the digits of one value
        check_model_dps(n_sites=n_sites, n_omega=len(omega), dps=dps, where=args.model)
    tr = model.transmission(omega, dps=dps)
    obj = tr.to_json(lambda x: fmt(x, dps), fmt_input=lambda x: fmt(x, dps, pad=False))  # inputs as given
    heads = ["omega"] + [f"T2 {k}" for k in tr.T2] + [f"R2 {k}" for k in tr.R2] + [f"absorbed {k}" for k in tr.absorbed]
    cols = [tr.omega] + list(tr.T2.values()) + list(tr.R2.values()) + list(tr.absorbed.values())
    emit(obj, args.json, lambda: table(heads, [[c[i] for c in cols] for i in range(len(omega))], dps))
    from tunnelkit.cli_output import report_unsettled

    named = {f"T2:{k}": v for k, v in tr.T2.items()} | {f"R2:{k}": v for k, v in tr.R2.items()} | \
        {f"absorbed:{k}": v for k, v in tr.absorbed.items()}
    return report_unsettled(named)


def _current(args: argparse.Namespace, emit: Callable, table: Callable, fmt: Callable) -> int:
    model = _model(args)
    _require_values(model, args.model)
    n_sites = model._n_sites()
    if n_sites > CURRENT_MAX_SITES:
        raise _usage()(f"--param: current on {args.model} needs a region of at most {CURRENT_MAX_SITES} sites "
                       f"(these values give {n_sites})")
    dps = _dps(args)
    leads: dict[str, dict[str, str]] = {}
    for text in args.lead:
        name, spec = parse_lead_flag(text)
        if name not in model.lead_names:
            raise _usage()(f"--lead {name}: not a lead of {args.model} (leads: {', '.join(model.lead_names)})")
        if name in leads:
            raise _usage()(f"--lead {name} is given twice")
        for key, value in spec.items():
            _checked_number(f"--lead {name}:{key}", value)
        leads[name] = spec
    c = model.current(leads, stats=args.stats, dps=dps)
    obj = {"I": {k: fmt(v, dps) for k, v in c.I.items()}, "loss": fmt(c.loss, dps),
           "error_estimate": fmt(float(c.error_estimate), None)}
    rows = [[f"I {k}", v] for k, v in c.I.items()] + [["loss", c.loss], ["error_estimate", float(c.error_estimate)]]
    emit(obj, args.json, lambda: table(["quantity", "value"], rows, dps))
    return 0


def _derive(args: argparse.Namespace) -> int:
    from tunnelkit.models.closed_form_cost import predicted_derive_seconds, predicted_terms
    from tunnelkit.limits import DERIVE_MAX_SECONDS

    model = _model(args)
    fmt = args.format
    model._parse_quantity(args.id)
    terms = predicted_terms(model.model_dict, fixed=model.values)
    seconds = predicted_derive_seconds(model.model_dict, fixed=model.values)
    if seconds > DERIVE_MAX_SECONDS:
        raise _usage()(f"derive --model {args.model}: the closed form of {args.id} is predicted to take ~{seconds:.3g} s "
                       f"(~{terms:.3g} terms), above the limit of {DERIVE_MAX_SECONDS:g} s; give more "
                       "parameter values with --param, or use 'tunnelkit transmission --model' for numbers")
    try:
        with _elapsed_bar(seconds, f"derive {args.id}"):
            d = model.derive(args.id)
    except NotImplementedError as exc:
        raise _usage()(f"derive --model: {exc}") from None
    text = {"latex": d.latex, "sympy": d.srepr, "python": d.python}[fmt]()
    sys.stdout.write(text.rstrip("\n") + "\n")
    return 0


class _elapsed_bar:
    """A tqdm bar of elapsed against predicted seconds on a terminal's stderr (none otherwise)."""

    def __init__(self, predicted: float, desc: str) -> None:
        from tunnelkit.terminal import terminal_progress

        self.progress = terminal_progress()
        self.predicted, self.desc = max(predicted, 1.0), desc
        self.bar = self.thread = None

    def __enter__(self) -> "_elapsed_bar":
        import threading
        import time

        if self.progress is None:
            return self
        self.bar = self.progress(total=round(self.predicted), desc=f"{self.desc} (predicted ~{self.predicted:.0f} s)",
                                 unit="s")
        self.stop = threading.Event()
        start = time.monotonic()

        def tick() -> None:
            while not self.stop.wait(0.5):
                done = min(time.monotonic() - start, self.predicted)
                self.bar.n = round(done)  # type: ignore[union-attr]
                self.bar.refresh()  # type: ignore[union-attr]

        self.thread = threading.Thread(target=tick, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.stop.set()
            self.thread.join()  # type: ignore[union-attr]
            self.bar.close()
