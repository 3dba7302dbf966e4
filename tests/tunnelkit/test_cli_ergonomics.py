"""The command line as people type it: ranges and files of values, exact flags, help with examples, no
silently ignored or abbreviated flags.

Expected values come from the same command given the values as a plain comma-separated list (the list
path was there before the range and file forms) or from numpy.linspace.
"""
from __future__ import annotations

import argparse
import json
import shlex

import numpy as np
import pytest

from tunnelkit.cli import EXAMPLES, build_parser, main
from tunnelkit.limits import MAX_LIST

LATTICE = ["transmission", "--M", "2", "--tau1", "0.3", "--gamma", "0.5", "--Lambda", "1", "--json"]
MODEL = ["transmission", "--model", "examples/models/lossy_dot.toml", "--param", "eps=0.1", "--param", "gamma=0.2",
         "--param", "tau=0.5", "--json"]


def run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("base", [LATTICE, MODEL], ids=["lattice", "model"])
def test_a_range_is_the_list_of_its_values(capsys, base):
    code, out, _ = run(capsys, base + ["--omega=-1.5:1.5:7"])
    assert code == 0
    got = json.loads(out)
    assert np.allclose(got["omega"], np.linspace(-1.5, 1.5, 7), rtol=0, atol=1e-15)
    code, listed, _ = run(capsys, base + ["--omega=" + ",".join(str(x) for x in np.linspace(-1.5, 1.5, 7))])
    assert code == 0 and json.loads(listed) == got


def test_a_range_with_dps_is_exact(capsys):
    """-1:1:4 has the step 2/3: with --dps the points are the exact thirds, not their doubles."""
    code, out, _ = run(capsys, LATTICE + ["--omega=-1:1:4", "--dps", "25"])
    assert code == 0
    omega = json.loads(out)["omega"]
    assert omega[1].startswith("-0.33333333333333333333333") and omega[2].startswith("0.33333333333333333333333")


def test_a_file_of_values(tmp_path, capsys):
    f = tmp_path / "w.txt"
    f.write_text("# frequencies\n-0.5 0.1\n0.3, 0.7  # two more\n")
    code, out, _ = run(capsys, LATTICE + ["--omega", f"@{f}"])
    code2, listed, _ = run(capsys, LATTICE + ["--omega", "-0.5,0.1,0.3,0.7"])
    assert code == code2 == 0 and json.loads(out) == json.loads(listed)


@pytest.mark.parametrize("value,words", [
    ("1,,2", "a comma-separated list"), ("1:2:x", "start:stop:count"), ("1:2:0", "1 to"),
    (f"0:1:{MAX_LIST + 1}", f"1 to {MAX_LIST}"), ("a:b:3", "start:stop:count"), ("@/nonexistent/w.txt", "cannot read"),
    ("1:inf:3", "finite"),
])
def test_bad_lists_name_the_forms(capsys, value, words):
    code, out, err = run(capsys, LATTICE + [f"--omega={value}"])
    assert code == 2 and out == "" and err.count("\n") == 1 and words in err and "--omega" in err, err


@pytest.mark.parametrize("argv,suggestion", [
    (["transmission", "--M", "1", "--tau", "0.1", "--gamma", "0", "--Lambda", "1", "--omega", "0"], "--tau1"),
    (["current", "--M", "1", "--tau1", "0.1", "--gamma", "0", "--Lambda", "1", "--stat", "fermi"], "--stats"),
])
def test_abbreviations_are_refused_with_the_closest_flag(capsys, argv, suggestion):
    code, _, err = run(capsys, argv)
    assert code == 2 and f"did you mean {suggestion}?" in err, err


def test_words_in_any_case(capsys):
    base = ["current", "--M", "1", "--tau1", "0.1", "--gamma", "0", "--Lambda", "1", "--V", "0.2", "--json"]
    assert run(capsys, base + ["--stats", "FERMI"])[1] == run(capsys, base + ["--stats", "fermi"])[1]


@pytest.mark.parametrize("argv", [
    LATTICE + ["--omega", "0", "--param", "tau1=0.1"],
    ["current", "--M", "1", "--tau1", "0.1", "--gamma", "0", "--Lambda", "1", "--lead", "L:mu=0"],
    ["derive", "tajima:9", "--param", "g=1"],
])
def test_param_where_it_would_do_nothing_is_refused(capsys, argv):
    code, out, err = run(capsys, argv)
    assert code == 2 and out == "" and "goes with --model FILE" in err, err


def _subparsers():
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return parser, action.choices


def test_every_option_is_described_and_every_command_shows_an_example():
    _, subs = _subparsers()
    for name, sub in subs.items():
        for action in sub._actions:
            if action.option_strings and action.dest != "help":
                assert action.help, f"{name} {action.option_strings[0]} has no help"
        if name in EXAMPLES:
            assert f"Example" in (sub.epilog or ""), name
    assert subs["transmission"]._option_string_actions["--dps"].help != subs["current"]._option_string_actions["--dps"].help


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_examples_parse(name):
    parser, _ = _subparsers()
    for command in EXAMPLES[name].split(";"):
        words = shlex.split(command)
        assert words[0] == "tunnelkit"
        args, extra = parser.parse_known_args(words[1:])
        assert not extra and args.command == name


def _run_group_slow_first(ids):  # module level: the worker processes receive it by reference
    import time

    import tunnelkit.registry.core as core

    time.sleep(1.0 if ids == ["slow"] else 0.0)
    return [core.Outcome(i, True, core.CheckResult("verified", "m", "d"), 0.0) for i in ids]


def test_verify_progress_advances_as_checks_finish(monkeypatch):
    """The bar followed the checks in submission order: a long first task held it at 4/90 to the end."""
    import tunnelkit.registry.core as core

    order = []

    def record(items, total=None, desc=None):
        for o in items:
            order.append(o.id)
            yield o

    monkeypatch.setattr(core, "_run_group", _run_group_slow_first)
    out = core._run_pool([["slow"], ["a"], ["b"]], 2, record, total=3)
    assert [o.id for o in out] == ["slow", "a", "b"]  # results in task order
    assert order[-1] == "slow"  # but the bar saw the quick ones first


def test_tiny_dps_values_are_printed_in_scientific_notation(capsys):
    """A lossy level coupled by tau = 1e100 absorbs ~ gamma/tau^2 ~ 1e-201 (Breit-Wigner with Gamma ~ tau^2): with
    fixed-point printing that was 200 zeros before the digits.  The digits must survive as an exponent."""
    code, out, _ = run(capsys, ["transmission", "--model", "examples/models/lossy_dot.toml", "--param", "eps=0",
                                "--param", "gamma=0.1", "--param", "tau=1e100", "--omega", "0.5", "--dps", "20",
                                "--json"])
    assert code == 0
    absorbed = json.loads(out)["absorbed"]["L"][0]
    assert "e-" in absorbed and len(absorbed) < 40, absorbed
    mantissa, exponent = absorbed.split("e")
    assert len(mantissa.replace("-", "").replace(".", "").lstrip("0")) == 20 and -210 < int(exponent) < -190
