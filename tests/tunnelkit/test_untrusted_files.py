"""Untrusted files and flags, output that cannot be written, and verify's workers (issue 23).

Each test states the refusal or behaviour the issue asks for; the expected values are the documented
limits and messages, never the code's own output.  The fuzz at the end feeds the three file readers
random TOML documents and random bytes: each either loads or raises its own error class (exit 2).
"""
from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tunnelkit.cli import main
from tunnelkit.fields.field_file import FieldFileError, load_fields
from tunnelkit.models.model_file import ModelFileError, load_model_file
from tunnelkit.claims.paper_file import PaperFileError, load_paper

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = {"model file": ROOT / "examples" / "models" / "fano_dot.toml",
           "paper file": ROOT / "examples" / "papers" / "fano.toml",
           "field file": ROOT / "examples" / "fields" / "su3_fermions.toml"}
LOADERS = {"model file": (load_model_file, ModelFileError), "paper file": (load_paper, PaperFileError),
           "field file": (load_fields, FieldFileError)}
#: the command that reads each kind of file, as argv with the file last
COMMAND = {"model file": ["transmission", "--omega", "0", "--model"], "paper file": ["verify"],
           "field file": ["split"]}
ENV = dict(os.environ, PYTHONPATH=str(ROOT))


def one_line_refusal(capsys, argv: list[str], *words: str) -> str:
    """``main(argv)`` exits 2 with one stderr line holding ``words``, nothing on stdout."""
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err, err
    assert all(w in err for w in words), err
    return err


# ----------------------------------------------------------------------------- what is read

def _deep_arrays(n: int) -> str:
    return "a = " + "[" * n + "]" * n + "\n"


@pytest.mark.parametrize("kind", LOADERS)
@pytest.mark.parametrize("make,words", [
    (lambda d: Path("/dev/zero"), ["character device", "not a regular file"]),
    (lambda d: Path("/dev/urandom"), ["character device"]),
    (lambda d: d, ["a directory"]),
    (lambda d: (d / "f.toml", os.truncate(d / "f.toml", (1 << 20) + 1))[0], ["1048577 bytes", "1048576"]),
    (lambda d: (d / "f.toml", (d / "f.toml").write_text(_deep_arrays(5000)))[0], ["deeper than 32 levels"]),
    (lambda d: (d / "f.toml", (d / "f.toml").write_text(_deep_arrays(40)))[0], ["deeper than 32 levels"]),
    (lambda d: (d / "f.toml", (d / "f.toml").write_text("a" + ".a" * 5000 + " = 1\n"))[0], ["deeper than 32"]),
    (lambda d: (d / "f.toml", (d / "f.toml").write_text("[" + "t." * 3000 + "t]\n"))[0], ["deeper than 32"]),
    (lambda d: (d / "f.toml", (d / "f.toml").write_bytes(b"[fields]\nx = \"\xff\"\n"))[0], ["not UTF-8"]),
    (lambda d: (d / "f.toml", (d / "f.toml").write_text("x = 1" + "0" * 5000 + "\n"))[0], ["not valid TOML"]),
])
def test_only_bounded_regular_utf8_toml_files_are_read(tmp_path, kind, make, words):
    """Devices, directories, files over 1 MiB and TOML nested deeper than 32 levels are refused with the
    loader's own error, naming the file (/dev/zero was read until memory ran out; 5000-deep TOML raised
    RecursionError)."""
    (tmp_path / "f.toml").touch()
    path = make(tmp_path)
    load, error = LOADERS[kind]
    with pytest.raises(error) as info:
        load(path)
    message = str(info.value)
    assert "\n" not in message and all(w in message for w in words), message
    assert str(path) in message or path.name in message, message


def test_the_size_and_nesting_limits_admit_what_they_document(tmp_path):
    """A file of exactly 1 MiB and TOML nested exactly 32 levels are read (the limits are inclusive)."""
    from tunnelkit.input_files import MAX_FILE_BYTES, MAX_NESTING, read_toml

    body = '[sites]\nd = "0"\n'
    (tmp_path / "m.toml").write_text(body + "#" * (MAX_FILE_BYTES - len(body) - 1) + "\n")
    assert read_toml(tmp_path / "m.toml", what="model file", error=ModelFileError) == {"sites": {"d": "0"}}
    (tmp_path / "n.toml").write_text(_deep_arrays(MAX_NESTING + 1))  # the innermost array at level 33
    with pytest.raises(ModelFileError, match="deeper than 32"):
        read_toml(tmp_path / "n.toml", what="model file", error=ModelFileError)
    (tmp_path / "n.toml").write_text(_deep_arrays(MAX_NESTING))
    inner = read_toml(tmp_path / "n.toml", what="notes", error=ModelFileError)["a"]
    for _ in range(MAX_NESTING - 1):
        (inner,) = inner
    assert inner == []


@pytest.mark.parametrize("kind", LOADERS)
def test_a_fifo_is_refused_without_blocking(tmp_path, kind):
    """A FIFO with no writer blocked the open forever; it is refused at once."""
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    load, error = LOADERS[kind]
    caught: list[BaseException] = []

    def run() -> None:
        try:
            load(fifo)
        except BaseException as exc:  # noqa: BLE001 - the thread reports whatever ended it
            caught.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # unblock the thread's open so the test run can end
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        pytest.fail("reading a FIFO blocked")
    assert len(caught) == 1 and isinstance(caught[0], error) and "FIFO" in str(caught[0]), caught


def test_devices_and_deep_files_exit_2_in_a_real_process(tmp_path):
    """The installed command (a fresh process, no test capture) refuses /dev/zero and 5000-deep TOML: exit 2,
    one line, within seconds."""
    (tmp_path / "deep.toml").write_text(_deep_arrays(5000))
    for path in ("/dev/zero", str(tmp_path / "deep.toml")):
        p = subprocess.run([sys.executable, "-m", "tunnelkit", "split", path], capture_output=True, text=True,
                           env=ENV, timeout=60)
        assert p.returncode == 2 and p.stdout == "" and p.stderr.count("\n") == 1, p.stderr
        assert path in p.stderr and "Traceback" not in p.stderr, p.stderr


@pytest.mark.parametrize("given,expected", [(g, e) for g in LOADERS for e in LOADERS if g != e])
def test_a_file_of_another_kind_says_what_it_looks_like(capsys, given, expected):
    """`split` given a model file says it got a model file (issue 22), for every pair of kinds."""
    load, error = LOADERS[expected]
    with pytest.raises(error, match=f"looks like a {given} .*, not a {expected}"):
        load(EXAMPLE[given])
    one_line_refusal(capsys, COMMAND[expected] + [str(EXAMPLE[given])], f"looks like a {given}", EXAMPLE[given].name)


@pytest.mark.parametrize("kind", LOADERS)
def test_a_key_with_a_newline_is_reported_on_one_line(tmp_path, capsys, kind):
    """Found by the fuzz below: a TOML key holding a newline was copied into the message, which then took two
    lines on stderr; control characters are escaped."""
    path = tmp_path / "f.toml"
    path.write_text(EXAMPLE[kind].read_text() + '\n"bad\\nkey" = 1\n')
    (tmp_path / "fano-model.toml").write_text((ROOT / "examples" / "papers" / "fano-model.toml").read_text())
    if kind == "paper file":  # the key lands in the last [[equation]]: that equation's problem, reported on it
        assert main(COMMAND[kind] + [str(path), "--json", "--no-cache"]) == 1
        detail = json.loads(capsys.readouterr().out)["checks"][-1]["detail"]
        assert "unknown" in detail and "bad\\nkey" in detail and "\n" not in detail, detail
        return
    err = one_line_refusal(capsys, COMMAND[kind] + [str(path)], "bad\\nkey")
    assert "unknown" in err


# ----------------------------------------------------------------------------- output that cannot be written

#: one command of each kind the issue lists, all quick (derive tajima:9 needs no derivation)
COMMANDS = [
    ["transmission", "--M", "1", "--tau1", "0.1", "--gamma", "0.5", "--Lambda", "1", "--omega", "0.1,0.2"],
    ["current", "--M", "1", "--tau1", "0.1", "--gamma", "0.5", "--Lambda", "1", "--V", "0.5", "--json"],
    ["evolve", "--M", "1", "--tau1", "0.1", "--gamma", "0.5", "--N", "4", "--particles", "2", "--times", "1"],
    ["pair-ratio", "--T", "0.5"],
    ["derive", "tajima:9"],
    ["split", str(EXAMPLE["field file"])],
]
#: runs each command through main() in one process and reports the statuses on stderr as JSON
RUNNER = """
import json, os, sys
from tunnelkit.cli import main
argvs, mode = json.loads(sys.argv[1]), sys.argv[2]
statuses = []
for argv in argvs:  # a failed write points fd 1 at /dev/null: each command gets a fresh broken stdout
    if mode == "pipe":  # a pipe whose reader has gone
        r, w = os.pipe()
        os.close(r)
        os.dup2(w, 1)
        os.close(w)
    elif mode == "full":
        w = os.open("/dev/full", os.O_WRONLY)
        os.dup2(w, 1)
        os.close(w)
    statuses.append(main(argv))
sys.stderr.write("STATUSES " + json.dumps(statuses) + "\\n")
"""


def _run_commands(mode: str) -> tuple[list[int], list[str]]:
    kwargs: dict = {"stdout": subprocess.PIPE}
    if mode == "closed":
        kwargs = {"stdout": None, "preexec_fn": lambda: os.close(1)}  # the child starts with fd 1 closed (>&-)
    elif mode == "full":
        kwargs = {"stdout": open("/dev/full", "w")}  # noqa: SIM115 - closed with the process
    p = subprocess.run([sys.executable, "-c", RUNNER, json.dumps(COMMANDS), mode], stderr=subprocess.PIPE,
                       text=True, env=ENV, timeout=300, **kwargs)
    lines = p.stderr.splitlines()
    assert p.returncode == 0 and lines and lines[-1].startswith("STATUSES "), p.stderr
    return json.loads(lines[-1][len("STATUSES "):]), lines[:-1]


@pytest.mark.parametrize("mode,reason", [("closed", "stdout is closed"), ("full", "No space left on device")])
def test_output_that_cannot_be_written_is_an_error(mode, reason):
    """Closed stdout (was exit 0, nothing written) and /dev/full (was an internal error): one line
    `tunnelkit: cannot write output: <reason>` per command and exit status 1."""
    statuses, lines = _run_commands(mode)
    assert statuses == [1] * len(COMMANDS), (statuses, lines)
    assert lines == [f"tunnelkit: cannot write output: {reason}"] * len(COMMANDS), lines


def test_a_broken_pipe_ends_quietly():
    """A reader that has gone: exit 141 (128 + SIGPIPE) and nothing on stderr (was an internal error)."""
    statuses, lines = _run_commands("pipe")
    assert statuses == [141] * len(COMMANDS) and lines == [], (statuses, lines)


def test_head_reading_part_of_a_long_output():
    """`transmission ... | head -c 10` in real processes: the reader takes 10 bytes of ~1 MB and leaves; the
    command ends quietly with 141 (with PYTHONUNBUFFERED the text layer dropped the rest and said 0)."""
    omega = ",".join(f"{i / 10000:.4f}" for i in range(12000))
    argv = [sys.executable, "-m", "tunnelkit", "transmission", "--M", "1", "--tau1", "0.1", "--gamma", "0.5",
            "--Lambda", "1", "--omega", omega]
    for unbuffered in ("", "1"):
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=dict(ENV, PYTHONUNBUFFERED=unbuffered))
        assert p.stdout.read(10).split() == [b"omega"]
        p.stdout.close()
        assert p.wait(120) == 141 and p.stderr.read() == b""


# ----------------------------------------------------------------------------- numbers beyond the doubles

@pytest.mark.parametrize("argv,flag", [
    (["transmission", "--M", "1", "--tau1", "0.1", "--gamma", "1e400", "--Lambda", "1", "--omega", "0"], "--gamma"),
    (["transmission", "--M", "1", "--tau1", "0.1", "--gamma", "0.5", "--Lambda", "1e400", "--omega", "0"],
     "--Lambda"),
    (["transmission", "--M", "1", "--tau1", "0.1", "--gamma", "0.5", "--Lambda", "1", "--omega", "0,1e400"],
     "--omega"),
    (["current", "--M", "1", "--tau1", "0.1", "--gamma", "0.5", "--Lambda", "1", "--muL", "1e400"], "--muL"),
    (["current", "--M", "1", "--tau1", "0.1", "--gamma", "0.5", "--Lambda", "1", "--TR", "1e999"], "--TR"),
    (["current", "--M", "1", "--tau1", "0.1", "--gamma", "0.5", "--Lambda", "1", "--muL", "1e400", "--dps", "10"],
     "--muL"),
    (["evolve", "--M", "1", "--tau1", "1e400", "--gamma", "0", "--N", "2", "--particles", "1", "--times", "1"],
     "--tau1"),
    (["pair-ratio", "--T", "1e400"], "--T"),
    (["pair-ratio", "--T", "0.5", "--damping", "1e400", "--dps", "5"], "--damping"),
])
def test_flags_beyond_the_double_range_exit_2_naming_the_flag(capsys, argv, flag):
    """1e400 was an OverflowError (internal error) or silently inf; 1.8e308 is the largest double."""
    err = one_line_refusal(capsys, argv, flag)
    assert "1e+308" in err or "1.798e+308" in err or "1e+12" in err or "1e+06" in err or "1e+100" in err, err


def test_a_huge_gamma_is_exact_with_dps(capsys):
    """With --dps the flags are exact: gamma = 1e400 is a legal loss rate; the dot then decouples and
    |T|^2 -> 0, |R_L|^2 -> 1 (the Zeno limit), which a 20-digit evaluation shows exactly."""
    assert main(["transmission", "--M", "1", "--tau1", "0.1", "--gamma", "1e400", "--Lambda", "1", "--omega", "0.5",
                 "--dps", "20", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert float(out["T2"][0]) < 1e-300 and out["RL2"][0] == "1.0000000000000000000"


def test_a_site_value_beyond_the_doubles(tmp_path, capsys):
    """A site energy "1e400" names file, table and key without --dps (was an internal error), and is exact
    with it: a dot level 1e400 away from the band reflects everything (|R|^2 = 1, |T|^2 = 0)."""
    lossy = (ROOT / "examples" / "models" / "lossy_dot.toml").read_text().replace('d = "eps - I*gamma/2"',
                                                                                 'd = "1e400"')
    assert 'd = "1e400"' in lossy
    (tmp_path / "m.toml").write_text(lossy)
    argv = ["transmission", "--model", str(tmp_path / "m.toml"), "--param", "tau=1", "--param", "eps=0",
            "--param", "gamma=0", "--omega", "0.1"]
    one_line_refusal(capsys, argv, "m.toml", "sites.d", "1.798e+308", "1e400")
    assert main(argv + ["--dps", "10", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["R2"]["L"] == [1.0] and out["T2"]["L->R"] == [0.0]  # dps <= 15: JSON floats (cli.md)
    one_line_refusal(capsys, ["current", "--model", str(ROOT / "examples" / "models" / "lossy_dot.toml"),
                              "--param", "tau=1", "--param", "eps=0", "--param", "gamma=0", "--lead",
                              "L:mu=1e400"], "lead L", "double range")


# ----------------------------------------------------------------------------- LaTeX nested too deeply

@pytest.mark.parametrize("latex", [
    "{" * 3000 + "x" + "}" * 3000,
    r"\frac{1}{" * 500 + "x" + "}" * 500,
    r"\sin " * 3000 + "x",
    "e^{" * 300 + "x" + "}" * 300,
    "x^" + "-" * 3000 + "1",
])
def test_latex_nested_too_deeply_is_refused_by_the_reader(latex):
    """RecursionError before; now a LatexReadError naming the limit."""
    import sympy as sp

    from derive.latex.latex_reader import LatexReadError, read_expression

    with pytest.raises(LatexReadError, match="nested deeper than 32 levels"):
        read_expression(latex, {sp.Symbol("x"): "x"})


def test_32_nested_fractions_are_read():
    r"""The limit admits what it documents: x inside 32 nested \frac{1}{1+...} is read, and is the continued
    fraction computed exactly by the recurrence f -> 1/(1+f)."""
    import sympy as sp

    from derive.latex.latex_reader import read_expression

    x = sp.Symbol("x")
    f = x
    for _ in range(32):
        f = 1 / (1 + f)
    read = read_expression(r"\frac{1}{1+" * 32 + "x" + "}" * 32, {x: "x"})
    assert all(read.subs(x, v) == f.subs(x, v) for v in (sp.Rational(1, 3), 2))


def test_deep_equations_are_unverifiable_and_the_others_checked(tmp_path, monkeypatch):
    """A paper file with 3000 nested braces and 500 nested \\frac: those equations are unverifiable with the
    reason (they were NOT RUN with a RecursionError), the correct one beside them is still verified."""
    import tests.tunnelkit.claims.paper_fakes as F
    from test_paper_verify import CORRECT, write_paper

    from tunnelkit.claims import paper_verify as PV
    deep = [("deep-braces", "G:a,d", "G_{ad} = " + "{" * 3000 + r"\omega" + "}" * 3000),
            ("deep-frac", "G:a,d", "G_{ad} = " + r"\frac{1}{" * 500 + r"\omega" + "}" * 500),
            ("G", "G:a,d", CORRECT["G"])]
    _, outcomes = PV.verify_paper(write_paper(tmp_path, deep), use_cache=False, backend=F.backend())
    assert [o.ran for o in outcomes] == [True] * 3, [o.error for o in outcomes]
    assert [o.result.status for o in outcomes] == ["unverifiable", "unverifiable", "verified"]
    assert all("nested deeper than 32 levels" in o.result.detail for o in outcomes[:2]), outcomes


# ----------------------------------------------------------------------------- the Markdown report

def _outside_fences(markdown: str) -> tuple[list[str], list[str]]:
    """(lines outside fenced code blocks, contents of the fenced blocks) of CommonMark with backtick fences."""
    outside, blocks, fence, body = [], [], None, []
    for line in markdown.splitlines():
        if fence is None and line.startswith("```"):
            fence, body = line[:len(line) - len(line.lstrip("`"))], []
        elif fence is not None and line.strip() == fence:
            blocks.append("\n".join(body))
            fence = None
        elif fence is not None:
            body.append(line)
        else:
            outside.append(line)
    assert fence is None, "an unclosed fence"
    return outside, blocks


def test_the_report_copies_nothing_that_renders_as_html():
    """Title, method, detail and LaTeX from a hostile file: no raw '<' outside code blocks (the title's
    <script> passed through), every '$' inside the math escaped, the LaTeX in the code blocks verbatim
    (a ``` inside it cannot close the fence)."""
    from tunnelkit.claims.paper_markdown import markdown_report
    from tunnelkit.registry.core import CheckResult, Outcome

    printed = r"x = 1$ <img src=x onerror=alert(1)> $ ``` <b>"
    corrected = "y = 2 | </td><script>"
    o = Outcome("p:1", True, CheckResult("erratum", "m <i>|x|</i>", "d\n<script>*", corrected), 0.0, printed=printed)
    u = Outcome("p:2", True, CheckResult("unverifiable", "m", "d"), 0.0, printed=printed + "\\")
    report = markdown_report([o, u], title="T <script>alert(1)</script> | *x*", source="s <iframe>")
    outside, blocks = _outside_fences(report)
    assert not any("<" in line or ">" in line for line in outside), [ln for ln in outside if "<" in ln]
    assert blocks == [printed, corrected, printed + "\\"]
    for line in outside:  # a $ that opens or closes math is never preceded by a backslash; inside, all are
        if line.startswith("$$"):
            inner = line[2:-2]
            assert line.endswith("$$") and "$" not in inner.replace(r"\$", ""), line
            assert not inner.endswith("\\") or inner.endswith("\\ "), line
        if line.startswith("| $"):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            assert all(c.startswith("$") and c.endswith("$") and "$" not in c[1:-1].replace(r"\$", "")
                       for c in cells), cells
    assert report.count("\n## ") == 2 and "T &lt;script&gt;" in report


# ----------------------------------------------------------------------------- verify's worker processes

def _children(pid: int) -> list[int]:
    """Live (not zombie) child processes of ``pid``, from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_verify_workers_end_with_their_parent(tmp_path, sig):
    """SIGKILL to `verify --paper tajima --no-cache`: its two workers kept running; now they are gone within
    5 s.  Ctrl-C (SIGINT) took 10-17 s; now the command ends within 3 s, exit 130, one line."""
    p = subprocess.Popen([sys.executable, "-m", "tunnelkit", "verify", "--paper", "tajima", "--no-cache"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=dict(ENV, TUNNELKIT_CACHE_DIR=str(tmp_path)))
    try:
        deadline = time.monotonic() + 60
        while len(workers := _children(p.pid)) < 2 and time.monotonic() < deadline and p.poll() is None:
            time.sleep(0.05)
        assert len(workers) >= 2, "verify started no workers"
        time.sleep(0.5)  # the workers are inside their checks
        start = time.monotonic()
        p.send_signal(sig)
        status = p.wait(30)
        ended = time.monotonic() - start
        while any(_alive(w) for w in workers) and time.monotonic() - start < 10:
            time.sleep(0.05)
        assert not any(_alive(w) for w in workers), "workers outlived their parent"
        assert time.monotonic() - start < 5
        if sig == signal.SIGINT:
            assert status == 130 and ended < 3, (status, ended)
            assert p.stderr.read().decode() == "tunnelkit: interrupted\n"
    finally:  # whatever the outcome, nothing started here keeps running
        for pid in [p.pid] + [w for w in locals().get("workers", []) if _alive(w)]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        p.wait(10)


# ----------------------------------------------------------------------------- fuzz of the three readers

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

#: names and values of the three formats, so that random documents reach past the first checks
WORDS = ["parameters", "sites", "hopping", "segment", "lead", "paper", "symbols", "equation", "fields", "term",
         "name", "site", "value", "kind", "range", "coupling", "potential", "length", "energy", "sites", "id",
         "title", "model", "number", "claims", "latex", "where", "assume", "statistics", "species", "word",
         "about", "reverse", "first", "last"]
TEXTS = ["eps", "-1", "0.5", "I*gamma/2", "-tau", "t", "a", "b", "L", "R", "d", "inf", "1e400", "> 0", ">= 1",
         "real", "integer", "complex", "fermion", "boson", "up", "dn", "up+", "dn+", "one-body", "local",
         "T2:L->R", "R2:L", "det-zero", "identity", "\\omega", "\\frac{1}{\\omega}", "\\tau_1", "m.toml",
         "omega > 0", "wire[0]", "wire.first", "x" * 300, "1" + "0" * 400, "__import__('os')", "{" * 40]
KEYS = st.sampled_from(WORDS) | st.text(st.characters(codec="utf-8"), min_size=1, max_size=6)
SCALARS = (st.sampled_from(TEXTS) | st.text(max_size=12) | st.integers(-10**20, 10**20) | st.booleans()
           | st.floats(allow_nan=True, allow_infinity=True))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
                      max_leaves=16)
DOCUMENTS = st.dictionaries(KEYS, VALUES, max_size=6)


def _toml(value) -> str:
    """TOML of a value (inline tables and arrays; a JSON string is a TOML basic string)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, str)):
        return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)
    if isinstance(value, float):
        return repr(value)  # nan, inf, -inf and 1e+300 are TOML floats too
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {_toml(v)}" for k, v in value.items()) + "}"


def _document(doc: dict) -> str:
    return "".join(f"{json.dumps(k, ensure_ascii=False)} = {_toml(v)}\n" for k, v in doc.items())


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("fuzz")
    (d / "m.toml").write_text((ROOT / "examples" / "papers" / "fano-model.toml").read_text())
    return d


def _load_or_refuse(kind: str, path: Path) -> None:
    load, error = LOADERS[kind]
    try:
        load(path)
    except error:
        pass


FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.mark.parametrize("kind", LOADERS)
@FUZZ
@given(doc=DOCUMENTS)
def test_random_documents_load_or_are_refused(fuzz_dir, kind, doc):
    """Random TOML documents (tables, arrays, values of every TOML type, the formats' own names mixed in):
    each loader returns or raises its own error class (exit 2), nothing else."""
    path = fuzz_dir / f"{kind.split()[0]}.toml"
    path.write_text(_document(doc), encoding="utf-8")
    _load_or_refuse(kind, path)


@pytest.mark.parametrize("kind", LOADERS)
@FUZZ
@given(data=st.binary(max_size=200), cut=st.integers(0, 4000), splice=st.sampled_from(TEXTS + ["[", "]]", "\n", "=", '"']))
def test_random_bytes_and_damaged_examples_load_or_are_refused(fuzz_dir, kind, data, cut, splice):
    """Random bytes, and each example file cut at a random place with random text spliced in."""
    path = fuzz_dir / f"{kind.split()[0]}.toml"
    for content in (data, (lambda b: b[:cut] + splice.encode() + b[cut:])(EXAMPLE[kind].read_bytes())):
        path.write_bytes(content)
        if kind == "paper file":  # the example's model, next to it
            (fuzz_dir / "fano-model.toml").write_text((ROOT / "examples" / "papers" / "fano-model.toml").read_text())
        _load_or_refuse(kind, path)


def test_a_report_that_cannot_be_written_is_one_line(tmp_path, capsys, monkeypatch):
    """--report on a full disk was an internal error: now one line naming the flag, exit 1, nothing half-written;
    a target that is not a regular file (a FIFO, a device) is never replaced."""
    import errno
    import os

    import tunnelkit.cli_output as out

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert out.write_text_file(fifo, "x", what="--report") == 1 and os.path.exists(fifo) and not fifo.is_file()
    assert "not a regular file" in capsys.readouterr().err
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fd, *a, **k):
            self.fh = real_fdopen(fd, *a, **k)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, text):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", Full)
    target = tmp_path / "r.md"
    assert out.write_text_file(target, "x" * 100, what="--report") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--report" in err and "No space left" in err
    assert not target.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".tunnelkit-")]
    monkeypatch.undo()
    assert out.write_text_file(target, "whole", what="--report") == 0 and target.read_text() == "whole"


def test_figure_out_never_replaces_a_special_file(tmp_path, capsys):
    """The figure is renamed onto --out: as root, --out /dev/null would have replaced the device."""
    import os

    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    assert main(["figure", "anglin-fig2", "--light", "--out", str(fifo)]) == 2
    assert "regular file" in capsys.readouterr().err and not fifo.is_file()
