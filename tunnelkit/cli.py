"""``tunnelkit`` command line (reference: docs/cli.md).

Numeric subcommands print a table by default and exactly one JSON object
with ``--json``.  Bad input exits with status 2 and one line on stderr
naming the flag and its allowed range.  ``derive`` and ``verify`` import the
SymPy side (:mod:`derive`) lazily; the numeric commands never import SymPy.
Output reaches stdout in one write at the end (:func:`write_output`): when it
cannot be written (stdout closed, device full) one line on stderr and exit
status 1; after a broken pipe (``| head``) a quiet exit with status 141.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import sys
from typing import Any, Callable, Sequence

from tunnelkit.version import version
from numeric.errors import ParameterError
from tunnelkit import limits
from tunnelkit.cli_output import _fmt_json, one_line, report_unsettled, write_output
from tunnelkit.cli_values import (UsageError, _join_negative_values, _Parser, _value_flags, choice, parse_exact,
                                 parse_int, parse_list, parse_number, split_list, unrecognized)
from tunnelkit.models.model_cli import add_model_flags
from tunnelkit.terminal import terminal_progress

__all__ = ["main", "build_parser", "UsageError"]

def _print_table(headers: list[str], rows: list[list[Any]], dps: int | None, out=None, *,
                 inputs: int = 1) -> None:
    """A table; its first ``inputs`` columns are echoed inputs (shown as given, not padded to ``dps``).
    ``out`` defaults to the current ``sys.stdout`` (what :func:`main` collects)."""
    out = sys.stdout if out is None else out
    from numeric.precision import is_unsettled

    def cell(v: Any, column: int) -> str:
        if isinstance(v, str):
            return v
        if is_unsettled(v):
            return "unsettled"
        j = _fmt_json(v, dps, pad=column >= inputs)
        if j is None:
            return "-"
        return j if isinstance(j, str) else f"{j:.10g}"

    table = [[cell(v, i) for i, v in enumerate(row)] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in table)) if table else len(h) for i, h in enumerate(headers)]
    print("  ".join(h.rjust(w) for h, w in zip(headers, widths)), file=out)
    for r in table:
        print("  ".join(c.rjust(w) for c, w in zip(r, widths)), file=out)


def _emit(obj: dict, as_json: bool, table: Callable[[], None]) -> None:
    if as_json:
        text = json.dumps(obj, allow_nan=False)  # whole, before anything reaches stdout
        sys.stdout.write(text + "\n")
    else:
        table()


# ----------------------------------------------------------------------------- commands

#: |V| above this overflows the lead wave numbers ((omega -+ V/2)^2 in double precision)
MAX_ABS_V = 1e150


def _lattice(args: argparse.Namespace):
    """The lattice from the flags (sugar for the bundled lattice model, :mod:`tunnelkit.models.lossy_lattice`), every number
    read exactly (the double path uses the nearest doubles)."""
    from tunnelkit.models.lossy_lattice import LossyLattice

    missing = [f"--{f}" for f in ("M", "tau1", "gamma", "Lambda") if getattr(args, f) is None]
    if missing:
        raise UsageError(f"the following arguments are required: {', '.join(missing)} (or --model FILE)")
    if args.V is not None and not abs(parse_number("--V", args.V)) <= MAX_ABS_V:
        raise UsageError(f"--V must be a finite number with |V| <= {MAX_ABS_V:g} (got {args.V})")
    texts = {name: getattr(args, name) for name in ("tau1", "gamma", "Lambda")} | {"V": args.V or "0"}
    for name, text in texts.items():
        parse_exact(f"--{name}", text)  # garbage refused naming the flag
    # the text itself: read exactly by LossyLattice, and shown as given when out of range (not 400 digits)
    return LossyLattice(M=parse_int("--M", args.M, 0, "an integer >= 0"), **texts)


def _without_model(args: argparse.Namespace, instead: str) -> None:
    """--param and --lead set values of a model file: without --model they would do nothing, so they are refused."""
    for flag in ("param", "lead"):
        if getattr(args, flag, None):
            raise UsageError(f"--{flag} goes with --model FILE (values of a model file); {instead}")


def _model_command(command: str, args: argparse.Namespace) -> int:
    """``--model FILE``: the user's own lattice (tunnelkit.models.model_cli)."""
    from tunnelkit.models.model_cli import run

    return run(command, args, _emit, _print_table, _fmt_json)


def _dps(args: argparse.Namespace, limit: int) -> int | None:
    """``--dps`` as an int in [1, limit] (the command's limit, from its measured cost), or None."""
    from numeric.precision import check_dps

    if args.dps is None:
        return None
    try:
        return check_dps(args.dps.strip(), limit=limit, name="--dps")
    except ParameterError as exc:
        raise UsageError(str(exc)) from None


def _numbers(flag: str, text: str, dps: int | None) -> list[Any]:
    """A list flag: doubles, or exact numbers with ``--dps``."""
    return parse_list(flag, text) if dps is None else [parse_exact(flag, t) for t in split_list(flag, text)]


def _lattice_run(run: Callable[[], Any]) -> Any:
    """The lattice's Model refusing a value (a region too large, ...): one line, exit 2, as the flags' refusals."""
    from tunnelkit.models.model_inputs import ModelError

    try:
        return run()
    except ModelError as exc:
        raise UsageError(str(exc)) from None


def cmd_transmission(args: argparse.Namespace) -> int:
    from tunnelkit.models.lossy_lattice import MAX_DPS, transmission

    if args.model is not None:
        return _model_command("transmission", args)
    _without_model(args, "the built-in lattice takes --M, --tau1, --gamma, --Lambda, --V")

    lat = _lattice(args)
    dps = _dps(args, MAX_DPS)
    omega = _numbers("--omega", args.omega, dps)
    limits.check_transmission(M=lat.M, n_omega=len(omega))
    tr = _lattice_run(lambda: transmission(lat, omega, dps=dps))
    keys = ["omega", "T2", "RL2", "RR2", "transport_L", "transport_R"]
    cols = {k: list(getattr(tr, k)) for k in keys}
    obj = {k: [_fmt_json(v, dps, pad=k != "omega") for v in cols[k]] for k in keys}
    _emit(obj, args.json, lambda: _print_table(
        ["omega", "|T|^2", "|R_L|^2", "|R_R|^2", "transport_L", "transport_R"],
        [[cols[k][i] for k in keys] for i in range(len(omega))], dps))
    return report_unsettled({k: cols[k] for k in keys[1:]})


def cmd_current(args: argparse.Namespace) -> int:
    from tunnelkit.models.lossy_lattice import currents

    if args.model is not None:
        return _model_command("current", args)
    _without_model(args, "the built-in lattice takes --M, --tau1, --gamma, --Lambda, --V, --muL, --muR, --TL, --TR")
    lat = _lattice(args)
    dps = _dps(args, limits.CURRENT_MAX_DPS)
    limits.check_current(M=lat.M)
    read = parse_number if dps is None else parse_exact  # exact with --dps (docs/cli.md, "Precision")
    opt = lambda flag, v: None if v is None else read(flag, v)  # noqa: E731
    c = _lattice_run(lambda: currents(lat, muL=opt("--muL", args.muL), muR=opt("--muR", args.muR),
                                      TL=read("--TL", args.TL), TR=read("--TR", args.TR), stats=args.stats, dps=dps))
    obj = {"I": c.I, "Q": c.Q, "loss": c.loss, "error_estimate": c.error_I,
           "error_estimate_Q": c.error_Q, "error_estimate_loss": c.error_loss}
    obj = {k: _fmt_json(v, dps) for k, v in obj.items()}
    _emit(obj, args.json, lambda: _print_table(
        ["quantity", "value", "error_estimate"],
        [["I", c.I, c.error_I], ["Q", c.Q, c.error_Q], ["loss", c.loss, c.error_loss]], dps))
    return 0


def cmd_evolve(args: argparse.Namespace) -> int:
    from numeric.papers.anglin.dynamics import FiniteLattice, evolve

    M, N = parse_int("--M", args.M, 0, "an integer >= 0"), parse_int("--N", args.N, 1, "an integer >= 1")
    times = parse_list("--times", args.times)
    limits.check_evolve(M=M, N=N, n_times=len(times))  # sizes first: nothing is built for what cannot fit
    lat = FiniteLattice(M=M, tau1=parse_number("--tau1", args.tau1), gamma=parse_number("--gamma", args.gamma), N=N)
    particles = parse_int("--particles", args.particles, 0, f"an integer in [0, N={lat.N}]")
    if particles > lat.N:
        raise UsageError(f"--particles must be an integer in [0, N={lat.N}] (got {particles})")
    r = evolve(lat, particles, times, progress=terminal_progress(quiet=args.json))
    keys = ["t", "dN_half", "current", "current_fd"]
    obj = {k: [_fmt_json(v, None) for v in getattr(r, k)] for k in keys}
    _emit(obj, args.json, lambda: _print_table(keys, [[getattr(r, k)[i] for k in keys] for i in range(len(times))],
                                               None))
    return 0


def cmd_pair_ratio(args: argparse.Namespace) -> int:
    from numeric.papers.tajima.pair_ratio import MAX_DPS, pair_ratio

    dps = _dps(args, MAX_DPS)
    temps = _numbers("--T", args.T, dps)
    bad = [t for t in temps if isinstance(t, float) and not math.isfinite(t)]
    if bad:
        raise UsageError(f"--T must be finite temperatures above Tc (got {bad[0]})")
    damping = (parse_number if dps is None else parse_exact)("--damping", args.damping)
    limits.check_pair_ratio(n_T=len(temps), dps=dps)
    r = pair_ratio(temps, damping=damping, dps=dps, progress=terminal_progress(quiet=args.json))
    obj = {"Tc": _fmt_json(r.Tc, dps), "T": [_fmt_json(t, None) for t in r.T],
           "mu_B": [_fmt_json(m, dps) for m in r.mu_B], "G_over_S": [_fmt_json(g, dps) for g in r.G_over_S],
           "error_estimate": [_fmt_json(e, None) for e in r.error]}
    tc = f"{r.Tc:.10f}" if dps is None else str(obj["Tc"])  # with --dps: its digits, all right
    _emit(obj, args.json, lambda: (print(f"Tc = {tc} T_F   (damping {args.damping} E_F)"), _print_table(
        ["T/T_F", "mu_B/E_F", "G/S", "rel. error"],
        [[r.T[i], r.mu_B[i], r.G_over_S[i], r.error[i]] for i in range(len(temps))], dps)))
    return 0


def cmd_figure(args: argparse.Namespace) -> int:
    from tunnelkit.figures import FIGURES, SUFFIXES, render

    if args.name not in FIGURES:
        raise UsageError(f"NAME must be one of {', '.join(sorted(FIGURES))} (got {args.name!r})")
    if not args.out.lower().endswith(SUFFIXES):
        raise UsageError(f"--out must end in {', '.join(SUFFIXES)} (got {args.out!r})")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise UsageError('figures need matplotlib: pip install -e ".[plot]"') from None
    # render checks the folder (creating its temporary file there) before computing anything
    print(render(args.name, args.out, light=args.light, progress=terminal_progress()))
    return 0


def cmd_derive(args: argparse.Namespace) -> int:
    from tunnelkit.registry import cli_derive

    if args.model is not None:
        return _model_command("derive", args)
    _without_model(args, "an equation id of the registry has no parameters to set")
    return cli_derive(args.id, args.format)


def cmd_verify(args: argparse.Namespace) -> int:
    if args.report is not None:
        import os
        from pathlib import Path

        out = Path(args.report)
        parent = out.parent if str(out.parent) else Path(".")
        if out.is_dir() or not parent.is_dir() or not os.access(parent, os.W_OK):
            raise UsageError(f"--report: cannot write {args.report!r} (a file in an existing, writable directory)")
    if args.paper_file is not None:
        if args.paper is not None or args.id:
            raise UsageError("verify takes either PAPER_FILE or --paper/--id, not both")
        from tunnelkit.claims.paper_verify import cli_verify_paper

        return cli_verify_paper(args.paper_file, as_json=args.json, report=args.report, use_cache=not args.no_cache)
    from tunnelkit.registry import cli_verify

    return cli_verify(paper=args.paper, as_json=args.json, ids=args.id, use_cache=not args.no_cache,
                      progress=terminal_progress(quiet=args.json), report=args.report)


def cmd_split(args: argparse.Namespace) -> int:
    from tunnelkit.fields.field_file import FieldFileError, split_file

    try:
        result = split_file(args.file, overlap=args.overlap)
    except FieldFileError as exc:
        raise UsageError(str(exc)) from None

    def table() -> None:
        _print_table(["class", "transfer", "coefficient", "operator"],
                     [[t.cls, " ".join(f"{s}:{v:+d}" for s, v in t.transfer.items()), str(t.coefficient),
                       " ".join(t.fields)] for t in result.terms], None, out=sys.stdout)
        print("summary: " + ", ".join(f"{c} {n}" for c, n in result.summary.items()))
    _emit(result.as_json(), args.json, table)
    return 0


def _size(n: int) -> str:
    """Bytes in binary units.

    >>> _size(512), _size(2048), _size(5 * 2**20)
    ('512 B', '2.0 KiB', '5.0 MiB')
    """
    for unit in ("B", "KiB", "MiB"):
        if n < 1024 or unit == "MiB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError  # pragma: no cover


def _age(seconds: float | None) -> str:
    """An age in the largest unit that keeps it >= 1.

    >>> _age(5), _age(7200), _age(3 * 86400), _age(None)
    ('5 s', '2.0 h', '3.0 days', '-')
    """
    if seconds is None:
        return "-"
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h" if seconds < 86400 else f"{seconds / 86400:.1f} days"


def cmd_cache(args: argparse.Namespace) -> int:
    from tunnelkit import disk_cache

    if args.action == "info":
        report = disk_cache.info()

        def table() -> None:
            print(f"folder  {report['folder']}  ({report['status']})")
            for kind, k in report["kinds"].items():
                print(f"{kind:<7} {k['entries']:>6} entries  {_size(k['bytes']):>10}  ({k['current']} of this "
                      "source version)")
            print(f"total   {report['entries']:>6} entries  {_size(report['bytes']):>10}  oldest "
                  f"{_age(report['oldest_seconds'])}, newest {_age(report['newest_seconds'])}")
        _emit(report, args.json, table)
        return 0
    days = None
    if args.older_than is not None:
        days = parse_number("--older-than", args.older_than)
        if not 0 <= days < math.inf:
            raise UsageError(f"--older-than must be a number of days >= 0 (got {args.older_than})")
    report = disk_cache.clear(older_than_days=days)
    _emit(report, args.json, lambda: print(f"removed {report['removed']} entries ({_size(report['bytes'])}) "
                                           f"from {report['folder']}"))
    return 0


# ----------------------------------------------------------------------------- parser

def _lattice_flags(p: argparse.ArgumentParser, command: str) -> None:
    p.add_argument("--M", help="half length of the middle chain (2M+1 sites), integer >= 0 (required without --model)")
    p.add_argument("--tau1", help="weak-link strength, > 0 (required without --model)")
    p.add_argument("--gamma", help="loss rate at the central site, >= 0 (required without --model)")
    p.add_argument("--Lambda", help="outer hopping, >= 1 or inf (reservoir limit) (required without --model)")
    p.add_argument("--V", default=None, help="potential difference between the outer lattices, |V| <= "
                                             f"{MAX_ABS_V:g} (default 0)")
    add_model_flags(p, command)
    cost = ("at most 10000, ~2 s per frequency there" if command == "transmission" else
            f"at most {limits.CURRENT_MAX_DPS}; Q is null with --dps: every integrand point is an mpmath "
            "evaluation of the closed form, ~1.5 s at 20 digits")
    p.add_argument("--dps", default=None, help="significant digits, every one right: evaluate with mpmath from the "
                                               f"exact decimal flags ({cost})")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the table")


#: the list forms every list flag takes (tunnelkit.cli_values.split_list)
LIST_FORMS = "a comma-separated list (-1.7,0.41), a range start:stop:count with both ends (-2:2:401) or @FILE"
#: one runnable example per subcommand (shown in its --help)
EXAMPLES = {
    "transmission": "tunnelkit transmission --M 3 --tau1 0.1 --gamma 0.5 --Lambda 1 --omega=-2:2:5 --json",
    "current": "tunnelkit current --M 2 --tau1 0.1 --gamma 5 --Lambda inf --V 1.0",
    "evolve": "tunnelkit evolve --M 3 --tau1 0.1 --gamma 0.5 --N 40 --particles 20 --times 10,20",
    "pair-ratio": "tunnelkit pair-ratio --T 0.25,0.5,1.0 --json",
    "figure": "tunnelkit figure anglin-fig2 --out fig2.png",
    "derive": "tunnelkit derive anglin:24; tunnelkit derive --model examples/models/lossy_dot.toml 'T2:L->R'",
    "split": "tunnelkit split examples/fields/spin_half_contact.toml --json",
    "verify": "tunnelkit verify --paper tajima; tunnelkit verify examples/papers/fano.toml --report fano-report.md",
}


def _epilog(command: str, extra: str = "") -> str:
    return limits.describe(command) + extra + " Example: " + EXAMPLES[command]


def build_parser() -> argparse.ArgumentParser:
    from numeric.papers.anglin.dynamics import MAX_GAMMA, MAX_TAU1, MAX_TIME
    from tunnelkit.disk_cache import GC_DAYS

    parser = _Parser(prog="tunnelkit", description="Re-derived tunneling-transport results, evaluated.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("transmission", help="|T|^2, |R|^2 and transport factors of the lossy lattice",
                       epilog=_epilog("transmission"))
    _lattice_flags(p, "transmission")
    p.add_argument("--omega", required=True, help=f"frequencies: {LIST_FORMS}")
    p.set_defaults(func=cmd_transmission)

    p = sub.add_parser("current", help="steady particle current, energy current and loss rate",
                       epilog=_epilog("current", " Q is null in JSON (- in the table) where it diverges: wide-band "
                                                 "leads (--Lambda inf) with one reservoir empty."))
    _lattice_flags(p, "current")
    p.add_argument("--muL", default=None, help="left chemical potential (default +V/2)")
    p.add_argument("--muR", default=None, help="right chemical potential (default -V/2); -inf: empty")
    p.add_argument("--TL", default="0", help="left temperature (default 0)")
    p.add_argument("--TR", default="0", help="right temperature (default 0)")
    p.add_argument("--stats", default="fermi", type=choice("fermi", "bose"),
                   help="statistics of the reservoirs: fermi (default) or bose (any case)")
    p.set_defaults(func=cmd_current)

    p = sub.add_parser("evolve", help="finite-lattice dynamics: dN/2 and currents (anglin Sec. V)",
                       epilog=_epilog("evolve", " A progress bar shows on a terminal (not with --json)."))
    p.add_argument("--M", required=True, help="half length of the middle chain, integer >= 0 (M + N <= "
                                              f"{limits.MAX_SITES_EVOLVE})")
    p.add_argument("--tau1", required=True, help=f"weak-link hopping, in (0, {MAX_TAU1:g}]")
    p.add_argument("--gamma", required=True, help=f"loss rate at the centre, in [0, {MAX_GAMMA:g}]")
    p.add_argument("--N", required=True, help="sites of each outer end, integer >= 1 (M + N <= "
                                              f"{limits.MAX_SITES_EVOLVE})")
    p.add_argument("--particles", required=True, help="fermions initially in the left end (lowest modes), "
                                                      "integer in [0, N]")
    p.add_argument("--times", required=True, help=f"times (units 1/tau) in [0, {MAX_TIME:g}]: {LIST_FORMS}")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    p.set_defaults(func=cmd_evolve)

    p = sub.add_parser("pair-ratio", help="pair-tunnelling G/S in the strong-coupling BEC limit (tajima Fig. 2)",
                       epilog=_epilog("pair-ratio", " A progress bar shows on a terminal (not with --json)."))
    p.add_argument("--T", required=True, help=f"temperatures in T_F, in (Tc, 1e6], Tc = 0.2180: {LIST_FORMS}")
    p.add_argument("--damping", default="0.1", help="molecule damping gamma in E_F, in [1e-100, 1e100] (default 0.1)")
    p.add_argument("--dps", default=None, help="significant digits of Tc, mu_B and G/S, every one right (at most "
                                               "100, ~20 s per temperature there)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    p.set_defaults(func=cmd_pair_ratio)

    p = sub.add_parser("figure", help="reproduce a paper figure (anglin-fig2 ... anglin-fig8, tajima-fig2)",
                       epilog="The folder of --out is checked before computing; the file is written atomically "
                              "(a temporary file renamed at the end). A progress bar shows on a terminal. "
                              "Example: " + EXAMPLES["figure"])
    p.add_argument("name", help="figure name, e.g. anglin-fig2")
    p.add_argument("--out", required=True, help="output file (.png, .pdf or .svg) in an existing, writable folder")
    p.add_argument("--light", action="store_true", help="coarse grids (seconds instead of minutes)")
    p.set_defaults(func=cmd_figure)

    p = sub.add_parser("derive", help="print the project's derived expression for an equation id",
                       epilog="Results are cached (tunnelkit cache info). Examples: " + EXAMPLES["derive"])
    p.add_argument("id", help="equation id, e.g. anglin:24 (with --model: a quantity, e.g. T2:L->R)")
    p.add_argument("--format", default="latex", type=choice("latex", "sympy", "python"),
                   help="latex (default: to paste into a paper), sympy (srepr, to read back with SymPy) or "
                        "python (the source of its evaluator)")
    add_model_flags(p, "derive")
    p.set_defaults(func=cmd_derive)

    p = sub.add_parser("split", help="split a field Hamiltonian (field file) into tunneling terms",
                       epilog="Example: " + EXAMPLES["split"])
    p.add_argument("file", help="field file (TOML, docs/field-files.md)")
    p.add_argument("--overlap", default="zero", type=choice("zero", "K"),
                   help="L-R (anti)commutator: zero (orthogonal split, default) or the symbol K_s")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_split)

    p = sub.add_parser("cache", help="size and age of the disk cache, or clear it",
                       epilog="The folder is $TUNNELKIT_CACHE_DIR, or the platform's user cache folder when that "
                              "is unset or empty. Entries of other source versions unused for "
                              f"{GC_DAYS:g} days are removed automatically.")
    actions = p.add_subparsers(dest="action", required=True, parser_class=_Parser, metavar="info|clear")
    q = actions.add_parser("info", help="folder, entries per kind, total size, oldest and newest entry")
    q.add_argument("--json", action="store_true", help="print one JSON object")
    q = actions.add_parser("clear", help="remove the cached entries")
    q.add_argument("--older-than", default=None, metavar="DAYS",
                   help="only entries not used for more than DAYS days (a number >= 0)")
    q.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_cache)

    p = sub.add_parser("verify", help="check printed equations: the registry's, or a paper file's (PAPER_FILE)",
                       epilog="A progress bar shows on a terminal (not with --json). Exit status with PAPER_FILE: "
                              "0 every equation verified, 1 an erratum or unverifiable, 2 a file that cannot be "
                              "read. Examples: " + EXAMPLES["verify"])
    p.add_argument("paper_file", nargs="?", default=None, metavar="PAPER_FILE",
                   help="a paper file (TOML, docs/paper-files.md) whose equations to check")
    p.add_argument("--paper", default=None, type=choice("anglin", "tajima"),
                   help="only the registry's equations of this paper (anglin or tajima)")
    p.add_argument("--report", default=None, metavar="FILE.md",
                   help="also write a Markdown report with printed and corrected LaTeX side by side")
    p.add_argument("--id", action="append", default=None, help="only this id (repeatable)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    p.add_argument("--no-cache", action="store_true", help="recompute every check")
    p.set_defaults(func=cmd_verify)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; everything it prints reaches stdout once, at the end, through :func:`write_output`
    (so a command that fails prints nothing half-way, and a failed write is one line and a nonzero status)."""
    stdout, collected = sys.stdout, io.StringIO()
    try:
        with contextlib.redirect_stdout(collected):
            status = _run(argv)
    except SystemExit as stop:  # argparse's --help, --version and usage errors: their output is written too
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 2)
        raise SystemExit(write_output(collected.getvalue(), stdout, code)) from None
    return write_output(collected.getvalue(), stdout, status)


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args, extra = parser.parse_known_args(_join_negative_values(argv, _value_flags(parser)))
        if extra:  # named here, where the subcommand is known: its closest flag is suggested
            raise UsageError(unrecognized(parser, args, extra))
        return int(args.func(args) or 0)
    except UsageError as exc:
        print(f"tunnelkit: error: {one_line(exc)}", file=sys.stderr)
        return 2
    except ParameterError as exc:
        print(f"tunnelkit: error: --{one_line(exc)}", file=sys.stderr)
        return 2
    except limits.LimitError as exc:
        print(f"tunnelkit: error: {one_line(exc)}", file=sys.stderr)
        return 2
    except MemoryError:  # the estimates of tunnelkit.limits should prevent this
        print("tunnelkit: error: not enough memory for this run; use smaller sizes (see --help for the limits)",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tunnelkit: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a failure that is not the user's input: one line, exit 1
        if os.environ.get("TUNNELKIT_TRACEBACK"):
            raise
        msg = " ".join(str(exc).split())[:300]
        print(f"tunnelkit: internal error: {type(exc).__name__}: {msg} (please report it with the command line; "
              "TUNNELKIT_TRACEBACK=1 shows the traceback)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
