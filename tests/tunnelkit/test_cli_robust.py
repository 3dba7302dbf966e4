"""Bad input, resource guards, atomic figure files and progress bars of the command line (issue 11).

Every refusal: exit status 2, exactly one line on stderr naming the flag (and the
allowed range), no traceback, nothing on stdout, and no work started.
"""
import io
import json
import os
import signal
import subprocess
import sys

from pathlib import Path

import pytest

import tunnelkit.figures as figures
import tunnelkit.terminal as terminal
from tunnelkit import limits
from tunnelkit.cli import main

T = ["transmission", "--M", "3", "--tau1", "0.1", "--gamma", "0.5", "--Lambda", "1"]
C = ["current", "--M", "2", "--tau1", "0.1", "--gamma", "0.5", "--Lambda", "1"]
E = ["evolve", "--M", "3", "--tau1", "0.1", "--gamma", "0.5"]
E40 = E + ["--N", "40", "--particles", "20"]
FIELDS = Path(__file__).resolve().parents[2] / "examples" / "fields"
MANY = lambda n: ",".join(["0.1"] * n)  # noqa: E731

BAD = {
    "transmission": [
        (T[:2] + ["99999999999999999999"] + T[3:] + ["--omega", "0.1"], "--M"),
        (T[:2] + ["1000001"] + T[3:] + ["--omega", "0.1"], "--M"),
        (T[:2] + ["1000000"] + T[3:] + ["--omega", MANY(5001)], "--omega"),   # 5001 x 1000001 > 5e9
        (T + ["--omega", MANY(100_001)], "--omega"),
        (T + ["--omega", ""], "--omega"), (T + ["--omega", "0.1,,0.2"], "--omega"),
        (T + ["--omega", "nan"], "--omega"), (T + ["--omega", "inf"], "--omega"),
        (T[:2] + ["-1"] + T[3:] + ["--omega", "0.1"], "--M"), (T[:2] + ["2.5"] + T[3:] + ["--omega", "0.1"], "--M"),
        (T[:4] + ["nan"] + T[5:] + ["--omega", "0.1"], "--tau1"),
        (T[:6] + ["-1"] + T[7:] + ["--omega", "0.1"], "--gamma"),
        (T[:8] + ["0.5"] + ["--omega", "0.1"], "--Lambda"), (T + ["--omega", "0.1", "--V", "nan"], "--V"),
        (T + ["--omega", "0.1", "--dps", "0"], "--dps"), (T + ["--omega", "0.1", "--dps", "x"], "--dps"),
        (T, "--omega"), (T + ["--omega", "0.1", "--bogus", "1"], "--bogus"),
    ],
    "current": [
        (C[:2] + ["5001"] + C[3:], "--M"), (C + ["--TL", "-1"], "--TL"), (C + ["--TL", "nan"], "--TL"),
        (C + ["--TR", "inf"], "--TR"), (C + ["--muL", "nan"], "--muL"), (C + ["--stats", "x"], "--stats"),
        (C[:6] + ["nan"] + C[7:], "--gamma"), (C + ["--dps", "0"], "--dps"),
        (C + ["--V", "1e200"], "--V"),   # LinAlgError traceback before (V^2 overflowed in the lead atoms)
    ],
    "evolve": [
        (E + ["--N", "1000000", "--particles", "1", "--times", "1"], "--N"),
        (E + ["--N", "1" + "0" * 400, "--particles", "1", "--times", "1"], "--N"),   # OverflowError before
        (["evolve", "--M", "1" + "0" * 400, "--tau1", "0.1", "--gamma", "0.5", "--N", "3", "--particles", "1",
          "--times", "1"], "--M"),
        (["evolve", "--M", "5000", "--tau1", "0.1", "--gamma", "0.5", "--N", "1", "--particles", "1",
          "--times", "1"], "--M"),
        (E + ["--N", "4996", "--particles", "1", "--times", MANY(1001)], "--times"),   # 1001 x 5000^2 > 2.5e10
        (E40 + ["--times", MANY(100_001)], "--times"),
        (E40 + ["--times", ""], "--times"), (E40 + ["--times", "-1"], "--times"), (E40 + ["--times", "inf"], "--times"),
        (E40 + ["--times", "nan"], "--times"), (E40 + ["--times", "2e6"], "--times"),
        (E + ["--N", "40", "--particles", "41", "--times", "1"], "--particles"),
        (E + ["--N", "40", "--particles", "-1", "--times", "1"], "--particles"),
        (E + ["--N", "40", "--particles", "x", "--times", "1"], "--particles"),
        (E + ["--N", "0", "--particles", "0", "--times", "1"], "--N"),
        (E + ["--N", "1.5", "--particles", "0", "--times", "1"], "--N"),
        (["evolve", "--M", "3", "--tau1", "0", "--gamma", "0.5", "--N", "4", "--particles", "1", "--times", "1"],
         "--tau1"),
        (["evolve", "--M", "3", "--tau1", "1e3", "--gamma", "0.5", "--N", "4", "--particles", "1", "--times", "1"],
         "--tau1"),
        (["evolve", "--M", "3", "--tau1", "0.1", "--gamma", "1e150", "--N", "4", "--particles", "1", "--times", "1"],
         "--gamma"),
        (["evolve", "--M", "3", "--tau1", "0.1", "--gamma", "nan", "--N", "4", "--particles", "1", "--times", "1"],
         "--gamma"),
    ],
    "pair-ratio": [
        (["pair-ratio", "--T", ""], "--T"), (["pair-ratio", "--T", "nan"], "--T"),
        (["pair-ratio", "--T", "inf"], "--T"),
        (["pair-ratio", "--T", "0.1"], "--T"), (["pair-ratio", "--T", MANY(1001)], "--T"),
        (["pair-ratio", "--T", ",".join(["0.5"] * 51), "--dps", "20"], "--T"),
        (["pair-ratio", "--T", "0.5", "--damping", "0"], "--damping"),
        (["pair-ratio", "--T", "0.5", "--damping", "nan"], "--damping"),
        (["pair-ratio", "--T", "0.5", "--dps", "0"], "--dps"),
    ],
    "figure": [
        (["figure", "anglin-fig1", "--out", "{tmp}/f.png"], "NAME"),
        (["figure", "anglin-fig5", "--out", "{tmp}/f.jpg"], "--out"),
        (["figure", "anglin-fig5", "--out", "{tmp}/missing/f.png"], "--out"),
        (["figure", "anglin-fig5", "--out", "{tmp}/file.txt/f.png"], "--out"),   # the "folder" is a file
        (["figure", "anglin-fig5", "--out", "{tmp}/folder.png"], "--out"),        # the "file" is a folder
        (["figure", "anglin-fig5"], "--out"),
    ],
    "derive": [(["derive", "anglin:99"], "id"), (["derive", "anglin:24", "--format", "tex"], "--format")],
    "verify": [(["verify", "--id", "nope"], "id"), (["verify", "--paper", "x"], "--paper")],
    "split": [
        (["split", "{tmp}/missing.toml"], "missing.toml"),
        (["split", str(FIELDS / "spin_half_contact.toml"), "--overlap", "x"], "--overlap"),
    ],
    "cache": [(["cache"], "info|clear"), (["cache", "nope"], "info|clear"),
              (["cache", "clear", "--older-than", "-1"], "--older-than"),
              (["cache", "clear", "--older-than", "nan"], "--older-than"),
              (["cache", "clear", "--older-than", "inf"], "--older-than")],
    "none": [([], "command"), (["nope"], "command")],
}
CASES = [(cmd, argv, flag) for cmd, rows in BAD.items() for argv, flag in rows]


@pytest.fixture(autouse=True)
def _no_runaway_work():
    """A refusal is immediate: a case that starts the real work fails here instead of running for hours."""
    def stop(signum, frame):
        raise TimeoutError("the command started its work instead of refusing it")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(120)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def tmp_out(tmp_path, monkeypatch):
    """A folder holding a plain file and a folder named like figures; figure data must never be computed."""
    (tmp_path / "file.txt").write_text("x")
    (tmp_path / "folder.png").mkdir()
    computed = []
    monkeypatch.setitem(figures.FIGURES, "anglin-fig5", lambda light, progress: computed.append(1) or {})
    yield tmp_path
    assert not computed, "figure data computed before the output path was checked"


def test_every_subcommand_has_bad_input_cases():
    from tunnelkit.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")  # noqa: SLF001
    assert set(sub.choices) <= set(BAD)


@pytest.mark.parametrize("cmd,argv,flag", CASES, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(CASES)])
def test_bad_input_is_one_line_exit_2(cmd, argv, flag, tmp_out, capsys):
    before = sorted(p.name for p in tmp_out.iterdir())
    rc = main([a.replace("{tmp}", str(tmp_out)) for a in argv])
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert rc == 2 and out == "" and len(lines) == 1, (rc, out[:200], err)
    assert flag in lines[0] and "Traceback" not in err
    assert sorted(p.name for p in tmp_out.iterdir()) == before  # nothing written, not even a temporary file


@pytest.mark.parametrize("argv,flag", [
    (T[:2] + ["99999999999999999999"] + T[3:] + ["--omega", "0.1"], "--M"),     # hung before
    (E + ["--N", "1000000", "--particles", "20", "--times", "1"], "--N"),          # 14.6 TiB traceback before
])
def test_the_reported_cases_are_refused_at_once_in_a_real_process(argv, flag):
    p = subprocess.run([sys.executable, "-m", "tunnelkit", *argv], capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and p.stdout == "" and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1 and flag in p.stderr


def test_limits_keep_the_sizes_the_issue_requires():
    limits.check_transmission(M=100_000, n_omega=40_000)       # M up to at least 1e5 stays allowed
    limits.check_current(M=1000)
    limits.check_evolve(M=3, N=1000, n_times=400, available=float("inf"))
    limits.check_pair_ratio(n_T=1000, dps=None)


def test_evolve_memory_estimate_against_available_memory():
    gib = 2.0**30
    with pytest.raises(limits.LimitError) as exc:
        limits.check_evolve(M=3, N=4000, n_times=1, available=1 * gib)
    fits = int((gib / limits.EVOLVE_BYTES_PER_SITE2) ** 0.5) - 1   # 256 (M+N+1)^2 bytes <= 1 GiB
    msg = str(exc.value)
    assert msg.startswith("--N") and f"M + N <= {fits} fits" in msg and "1.0 GiB available" in msg
    limits.check_evolve(M=3, N=fits - 3, n_times=1, available=1 * gib)


def test_evolve_memory_estimate_is_an_upper_bound_of_the_measured_peak():
    """The peak resident memory of an evolve run stays below the estimate that the guard uses."""
    code = ("import resource; from numeric.papers.anglin.dynamics import FiniteLattice, evolve; "
            "r0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; "
            "evolve(FiniteLattice(M=3, tau1=0.1, gamma=0.5, N=700), 350, [1.0, 2.0]); "
            "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - r0) * 1024)")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600, check=True,
                       env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    grown = float(p.stdout)
    estimate = limits.EVOLVE_BYTES_PER_SITE2 * 704**2
    assert grown < estimate  # (the measured peak is ~0.75 of it here)


def test_an_internal_failure_is_one_line_exit_1(monkeypatch, capsys):
    """Not the user's input: exit 1 and one line (TUNNELKIT_TRACEBACK=1 re-raises for debugging)."""
    import numeric.papers.anglin.dynamics as dynamics

    def broken(*args, **kwargs):
        raise RuntimeError("solver\nbroke")

    monkeypatch.setattr(dynamics, "evolve", broken)
    monkeypatch.delenv("TUNNELKIT_TRACEBACK", raising=False)
    assert main(E40 + ["--times", "1"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "internal error: RuntimeError: solver broke" in err
    monkeypatch.setenv("TUNNELKIT_TRACEBACK", "1")
    with pytest.raises(RuntimeError):
        main(E40 + ["--times", "1"])


# ----------------------------------------------------------------------------- figure files

def test_interrupted_figure_leaves_nothing(tmp_path, monkeypatch, capsys):
    target = tmp_path / "fig.png"
    target.write_bytes(b"old figure")

    def interrupted(light, progress):
        raise KeyboardInterrupt

    monkeypatch.setitem(figures.FIGURES, "anglin-fig5", interrupted)
    assert main(["figure", "anglin-fig5", "--out", str(target)]) == 130
    assert [p.name for p in tmp_path.iterdir()] == ["fig.png"] and target.read_bytes() == b"old figure"
    assert capsys.readouterr().err.strip() == "tunnelkit: interrupted"


def test_figure_is_written_whole_with_ordinary_permissions(tmp_path):
    out = tmp_path / "fig5.svg"
    figures.render("anglin-fig5", str(out), light=True)
    umask = os.umask(0)
    os.umask(umask)
    assert out.read_text().rstrip().endswith("</svg>") and (out.stat().st_mode & 0o777) == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["fig5.svg"]


@pytest.mark.skipif(not os.path.isdir("/sys") or os.access("/sys", os.W_OK) and os.geteuid() != 0,
                    reason="needs a folder this process cannot create files in")
def test_unwritable_folder_is_refused_before_computing(tmp_out, capsys):
    assert main(["figure", "anglin-fig5", "--out", "/sys/tunnelkit-fig.png"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--out" in err and "writable" in err


# ----------------------------------------------------------------------------- progress on stderr

class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def on_fake_terminal(monkeypatch) -> tuple[io.StringIO, FakeTerminal]:
    """stdout captured, stderr a terminal look-alike; called in the test body (pytest's own capture
    re-installs its streams when the test starts, after the fixtures)."""
    out, err = io.StringIO(), FakeTerminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(terminal, "DELAY", 0.0)
    return out, err


LONG = {
    "evolve": E40 + ["--times", "0,5,10,15,20"],
    "pair-ratio": ["pair-ratio", "--T", "0.5,0.8"],
    "verify": ["verify", "--id", "anglin:28", "--no-cache"],
    "figure": ["figure", "anglin-fig5", "--light", "--out", "{tmp}/fig5.png"],
}


@pytest.mark.parametrize("name", sorted(LONG))
def test_progress_on_a_terminal(name, tmp_path, monkeypatch):
    out, err = on_fake_terminal(monkeypatch)
    assert main([a.replace("{tmp}", str(tmp_path)) for a in LONG[name]]) == 0
    shown = err.getvalue()
    assert "%|" in shown and (name if name != "figure" else "anglin-fig5") in shown
    assert "%|" not in out.getvalue()


@pytest.mark.parametrize("name", ["evolve", "pair-ratio", "verify"])
def test_no_progress_with_json_even_on_a_terminal(name, monkeypatch):
    out, err = on_fake_terminal(monkeypatch)
    assert main(LONG[name] + ["--json"]) == 0
    assert err.getvalue() == ""
    json.loads(out.getvalue())


def test_nothing_extra_when_piped():
    p = subprocess.run([sys.executable, "-m", "tunnelkit", *LONG["evolve"]], capture_output=True, text=True,
                       timeout=300)
    assert p.returncode == 0 and p.stderr == ""
