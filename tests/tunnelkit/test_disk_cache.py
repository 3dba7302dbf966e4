"""The disk cache (tunnelkit.disk_cache): planted or edited entries never run or change a verdict, unusable
folders only cost speed (one warning line), damaged entries are repaired, concurrent and killed writers leave
whole entries, the source key covers package data, ``cache info`` / ``cache clear``, the platform folder.

Expected values come from outside the cache: the lossy dot's transmission from its hand-written Green's
function, verdicts from the (fake) checks themselves, file modes from ``os.stat``.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from tunnelkit import disk_cache

from tunnelkit.models import model_evaluators
from tunnelkit.cli import main
from tunnelkit.models.model import Model
from tunnelkit.registry import core

ROOT = Path(__file__).resolve().parents[2]
LOSSY_DOT = ROOT / "examples" / "models" / "lossy_dot.toml"
DOT_FLAGS = ["transmission", "--model", str(LOSSY_DOT), "--param", "eps=0.1", "--param", "gamma=0.2",
             "--param", "tau=1", "--omega", "0.1,0.7", "--json"]


def dot_t2(omega, eps=0.1, gamma=0.2, tau=1.0):
    """|T|^2 of the lossy dot by hand: two semi-infinite chains (hopping -1, surface g = (w - i sqrt(4 - w^2))/2)
    on one site eps - i gamma/2: T = Gamma^2 |G|^2, Gamma = tau^2 sqrt(4 - w^2), G = 1/(w - eps + i gamma/2 - 2 tau^2 g)."""
    w = np.asarray(omega, dtype=float)
    g = (w - 1j * np.sqrt(4 - w**2)) / 2
    return (tau**2 * np.sqrt(4 - w**2)) ** 2 / np.abs(w - eps + 0.5j * gamma - 2 * tau**2 * g) ** 2


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A fresh cache folder for this test, with the per-process state of the cache reset."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("TUNNELKIT_CACHE_DIR", str(folder))
    monkeypatch.setattr(disk_cache, "_STATE", {}, raising=False)
    monkeypatch.setattr(disk_cache, "_WARNED", set(), raising=False)
    monkeypatch.setattr(disk_cache, "_GC_DONE", set(), raising=False)
    monkeypatch.setattr(model_evaluators, "_LOADED", {})
    return folder


def _dot_model():
    return Model.from_file(LOSSY_DOT).model_dict


def _fake_check(monkeypatch, id_, status, calls):
    def check():
        calls.append(id_)
        if status == "erratum":
            return core.CheckResult("erratum", "fake", "by hand", corrected="x = 2")
        return core.CheckResult(status, "fake", "by hand")

    monkeypatch.setitem(core.REGISTRY, id_, core.Entry(id_, "Fake equation", "x = 1", check))


# ----------------------------------------------------------------------------- planted and edited entries

def test_a_planted_evaluator_is_not_executed_and_is_regenerated(cache, tmp_path):
    sentinel = tmp_path / "planted-code-ran"
    model, quantities = _dot_model(), ["T2:L->R"]
    path = model_evaluators.evaluator_path(model, quantities, "numpy", {})
    planted = (f"open({str(sentinel)!r}, 'w').write('ran')\nARGUMENTS = ('omega', 'eps', 'gamma', 'tau')\n"
               "def evaluate(omega, *a):\n    return (omega * 0 + 7.0,)\n")
    for forged in ("", f"#tunnelkit-cache 1 {disk_cache.source_key()} {'0' * 64}\n"):  # no header / a wrong HMAC
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(forged + planted)
        model_evaluators._LOADED.clear()
        mod = model_evaluators.evaluator(model, quantities, backend="numpy")
        assert not sentinel.exists()
        w = np.array([0.1, 0.7, -1.3])
        args = {"omega": w, "eps": 0.1, "gamma": 0.2, "tau": 1.0}
        got = mod.evaluate(*(args[a] for a in mod.ARGUMENTS))[0]
        np.testing.assert_allclose(got, dot_t2(w), rtol=1e-12)
        assert disk_cache.load("models", path.name) is not None  # the regenerated module is a signed entry
        assert b"planted-code-ran" not in path.read_bytes()


def test_an_edited_verdict_is_not_served(cache, monkeypatch):
    calls: list[str] = []
    _fake_check(monkeypatch, "fake:1", "erratum", calls)
    _fake_check(monkeypatch, "fake:2", "verified", calls)
    first = core.run_checks(["fake:1", "fake:2"])
    assert [o.result.status for o in first] == ["erratum", "verified"] and calls == ["fake:1", "fake:2"]
    again = core.run_checks(["fake:1", "fake:2"])
    assert all(o.cached for o in again) and len(calls) == 2
    stored = [p for p in cache.rglob("*") if p.is_file() and b'"erratum"' in p.read_bytes()]
    assert len(stored) == 1
    stored[0].write_bytes(stored[0].read_bytes().replace(b'"erratum"', b'"verified"'))
    edited = core.run_checks(["fake:1"])[0]
    assert edited.result.status == "erratum" and not edited.cached and calls[-1] == "fake:1"
    # an entry signed for another check, copied over this one's, is not this check's verdict either
    entry_1 = next(p for p in (cache / "verify").iterdir() if p.name.startswith("fake_1"))
    entry_2 = next(p for p in (cache / "verify").iterdir() if p.name.startswith("fake_2"))
    shutil.copyfile(entry_1, entry_2)
    swapped = core.run_checks(["fake:2"])[0]
    assert swapped.result.status == "verified" and not swapped.cached and calls[-1] == "fake:2"


def test_derive_output_is_cached_and_a_planted_one_is_not_served(cache, monkeypatch, capsys):
    import sympy as sp

    from tunnelkit import registry

    x = sp.Symbol("x")
    calls: list[int] = []
    monkeypatch.setattr(registry, "load", lambda: None)
    monkeypatch.setitem(core.REGISTRY, "fake:d", core.Entry("fake:d", "Fake", "x", lambda: None,
                                                            derived=lambda: calls.append(1) or sp.sqrt(x) / 2))
    assert registry.cli_derive("fake:d", "latex") == 0 and registry.cli_derive("fake:d", "latex") == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [sp.latex(sp.sqrt(x) / 2)] * 2 and calls == [1]
    (entry,) = (cache / "derive").iterdir()
    head, _, _ = entry.read_bytes().partition(b"\n")
    entry.write_bytes(head + b"\n" + json.dumps("x = 3").encode())  # the old header on new content
    assert registry.cli_derive("fake:d", "latex") == 0
    assert capsys.readouterr().out.splitlines() == [sp.latex(sp.sqrt(x) / 2)] and calls == [1, 1]


# ----------------------------------------------------------------------------- the folder

def test_an_empty_variable_is_unset_and_the_platform_folder_honours_xdg(tmp_path):
    work, xdg = tmp_path / "work", tmp_path / "xdg"
    work.mkdir()
    env = {"TUNNELKIT_CACHE_DIR": "", "XDG_CACHE_HOME": str(xdg), "HOME": str(tmp_path / "home"),
           "PYTHONPATH": str(ROOT), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    run = subprocess.run([sys.executable, "-m", "tunnelkit", *DOT_FLAGS], cwd=work, env=env, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0 and run.stderr == "", run.stderr
    np.testing.assert_allclose(json.loads(run.stdout)["T2"]["L->R"], dot_t2([0.1, 0.7]), rtol=1e-12)
    assert list(work.iterdir()) == []
    assert len(list((xdg / "tunnelkit" / "models").iterdir())) == 1


def test_folder_and_files_are_private(cache):
    cache.mkdir(mode=0o755)
    os.chmod(cache, 0o755)  # ours but readable by others (the umask of an old cache): made private
    assert disk_cache.store("verify", "a", b"payload")
    mode = lambda p: stat.S_IMODE(os.stat(p).st_mode)  # noqa: E731
    assert mode(cache) == 0o700 and mode(cache / "verify") == 0o700
    assert mode(cache / "verify" / "a") == 0o600 and mode(cache / "hmac.key") == 0o600


@pytest.mark.parametrize("kind", ["file", "unwritable", "no parent", "parent is a file", "group-writable"])
def test_an_unusable_folder_costs_one_warning_line(kind, tmp_path, monkeypatch, capsys):
    folder = {"file": tmp_path / "f", "unwritable": tmp_path / "ro", "no parent": tmp_path / "none" / "cache",
              "parent is a file": tmp_path / "f" / "cache", "group-writable": tmp_path / "open"}[kind]
    (tmp_path / "f").write_text("")
    (tmp_path / "ro").mkdir(mode=0o500)
    (tmp_path / "open").mkdir()
    os.chmod(tmp_path / "open", 0o770)
    monkeypatch.setenv("TUNNELKIT_CACHE_DIR", str(folder))
    monkeypatch.setattr(disk_cache, "_STATE", {}, raising=False)
    monkeypatch.setattr(disk_cache, "_WARNED", set(), raising=False)
    monkeypatch.setattr(model_evaluators, "_LOADED", {})
    for _ in range(2):  # the second run in the process neither warns again nor fails
        assert main(DOT_FLAGS) == 0
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"tunnelkit: cache disabled: {folder}: "), err
    for text in out.splitlines():
        np.testing.assert_allclose(json.loads(text)["T2"]["L->R"], dot_t2([0.1, 0.7]), rtol=1e-12)
    assert not (tmp_path / "ro").exists() or list((tmp_path / "ro").iterdir()) == []
    assert list((tmp_path / "open").iterdir()) == []


# ----------------------------------------------------------------------------- damage, concurrency, kills

def test_damaged_entries_are_repaired(cache, monkeypatch, capsys):
    calls: list[str] = []
    _fake_check(monkeypatch, "fake:1", "erratum", calls)
    core.run_checks(["fake:1"])
    (entry,) = (cache / "verify").iterdir()
    whole = entry.read_bytes()
    for damage in (whole[: len(whole) // 2], b"", b"\x00garbage\xff" * 10, whole.replace(b"erratum", b"err")):
        entry.write_bytes(damage)
        out = core.run_checks(["fake:1"])[0]
        assert out.result.status == "erratum" and not out.cached
        assert entry.read_bytes() == whole  # repaired: the next run is served from the cache again
        assert core.run_checks(["fake:1"])[0].cached
    assert len(calls) == 5 and len(capsys.readouterr().err.splitlines()) == 1  # one warning line per process
    # an evaluator module: truncated, or signed but failing when run, is regenerated
    model, quantities = _dot_model(), ["T2:L->R"]
    path = model_evaluators.evaluator_path(model, quantities, "numpy", {})
    model_evaluators.evaluator(model, quantities)
    good = path.read_bytes()
    for damage in ("truncate", "signed but raises"):
        if damage == "truncate":
            path.write_bytes(good[: len(good) // 3])
        else:
            disk_cache.store("models", path.name, b"raise RuntimeError('broken build')\n")
        model_evaluators._LOADED.clear()
        mod = model_evaluators.evaluator(model, quantities)
        args = {"omega": 0.7, "eps": 0.1, "gamma": 0.2, "tau": 1.0}
        assert mod.evaluate(*(args[a] for a in mod.ARGUMENTS))[0] == pytest.approx(dot_t2(0.7), rel=1e-12)
        assert path.read_bytes() == good


def _writer(folder: str, payload: bytes, rounds: int, queue) -> None:
    os.environ["TUNNELKIT_CACHE_DIR"] = folder
    disk_cache._STATE.clear()
    ok = all(disk_cache.store("verify", "shared", payload) for _ in range(rounds))
    queue.put((ok, disk_cache.load("verify", "shared")))


def test_concurrent_writers_leave_a_valid_entry(cache):
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    payloads = [bytes([65 + i]) * (200_000 + i) for i in range(4)]
    procs = [ctx.Process(target=_writer, args=(str(cache), p, 20, queue)) for p in payloads]
    for p in procs:  # the first of them also race to create the folder and its key
        p.start()
    results = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert all(ok and seen in payloads for ok, seen in results)
    assert disk_cache.load("verify", "shared") in payloads
    assert sorted(f.name for f in (cache / "verify").iterdir()) == ["shared"]  # no temporary file left


def _killed_writer(folder: str) -> None:
    """Store a first entry, then die (SIGKILL) in the second write: its temporary file is written, not renamed."""
    os.environ["TUNNELKIT_CACHE_DIR"] = folder
    disk_cache._STATE.clear()
    disk_cache.store("verify", "killed", b"a" * 4_000_000)
    disk_cache.os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)  # this child only
    disk_cache.store("verify", "killed", b"b" * 4_000_000)


def test_a_writer_killed_mid_write_leaves_the_whole_old_entry(cache):
    proc = multiprocessing.get_context("fork").Process(target=_killed_writer, args=(str(cache),))
    proc.start()
    proc.join(timeout=60)
    assert proc.exitcode == -signal.SIGKILL
    leftovers = [f for f in (cache / "verify").iterdir() if f.name != "killed"]
    assert len(leftovers) == 1 and leftovers[0].stat().st_size > 4_000_000  # the new entry, whole, never renamed
    assert disk_cache.load("verify", "killed") == b"a" * 4_000_000
    old = time.time() - 2 * 3600
    os.utime(leftovers[0], (old, old))  # a killed write's temporary file is collected once an hour old
    disk_cache._GC_DONE.clear()
    disk_cache.store("verify", "other", b"x")
    assert sorted(f.name for f in (cache / "verify").iterdir()) == ["killed", "other"]


# ----------------------------------------------------------------------------- key, size and age

def test_the_source_key_covers_package_data(tmp_path):
    for pkg in ("tunnelkit", "derive", "numeric"):
        (tmp_path / pkg).mkdir()
        (tmp_path / pkg / "__init__.py").write_text("")
    grammar = tmp_path / "derive" / "latex" / "latex_canonical.lark"
    grammar.parent.mkdir()
    shutil.copyfile(ROOT / "derive" / "latex" / "latex_canonical.lark", grammar)
    before = disk_cache.tree_key(tmp_path)
    (tmp_path / "derive" / "__pycache__").mkdir()
    (tmp_path / "derive" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    assert disk_cache.tree_key(tmp_path) == before  # compiled files are not sources
    grammar.write_text(grammar.read_text() + "\n// edited\n")
    assert disk_cache.tree_key(tmp_path) != before
    (tmp_path / "numeric" / "table.toml").write_text("a = 1\n")
    assert len({before, disk_cache.tree_key(tmp_path)}) == 2


def test_cache_info_and_clear(cache, capsys):
    for kind, name in [("verify", "a"), ("verify", "b"), ("paper", "p"), ("models", "m.py")]:
        assert disk_cache.store(kind, name, b"0123456789")
    old = time.time() - 3 * 86400
    os.utime(cache / "verify" / "a", (old, old))
    assert main(["cache", "info", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["folder"] == str(cache) and report["status"] == "ok" and report["entries"] == 4
    sizes = sum(os.stat(cache / "verify" / n).st_size for n in "ab")
    assert report["kinds"]["verify"] == {"entries": 2, "current": 2, "bytes": sizes}
    assert report["oldest_seconds"] == pytest.approx(3 * 86400, abs=600) and report["newest_seconds"] < 600
    assert main(["cache", "clear", "--older-than", "2"]) == 0
    assert capsys.readouterr().out.startswith("removed 1 entries")
    assert not (cache / "verify" / "a").exists() and (cache / "verify" / "b").exists()
    assert main(["cache", "clear", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["removed"] == 3
    assert disk_cache.info()["entries"] == 0 and (cache / "hmac.key").exists()
    for bad in ("-1", "nan", "soon", "inf"):
        assert main(["cache", "clear", "--older-than", bad]) == 2
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and "--older-than" in err[0]


def test_entries_of_old_source_keys_are_collected(cache):
    assert disk_cache.store("verify", "current", b"x")
    sub, now = cache / "verify", time.time()
    for name, source, age_days in [("stale", "f" * 20, 30), ("recent", "f" * 20, 1), ("mine-old", None, 30)]:
        header = f"#tunnelkit-cache 1 {source or disk_cache.source_key()} {'0' * 64}\n".encode()
        (sub / name).write_bytes(header + b"{}")
        os.utime(sub / name, (now - age_days * 86400, now - age_days * 86400))
    (cache / "verify-0123.json").write_text("{}")  # the layout before entries had headers
    (sub / "headerless").write_text("{}")
    disk_cache._GC_DONE.clear()
    assert disk_cache.store("paper", "p", b"y")  # the first write of a process collects
    assert sorted(f.name for f in sub.iterdir()) == ["current", "mine-old", "recent"]
    assert not (cache / "verify-0123.json").exists()


def test_entry_names_stay_inside_their_folder(cache):
    assert disk_cache.store("verify", "../../escape", b"x") and disk_cache.store("verify", ".hidden.tmp", b"y")
    assert [p.parent for p in cache.rglob("*") if p.is_file() and p.name != "hmac.key"] == [cache / "verify"] * 2
    assert disk_cache.load("verify", "../../escape") == b"x" and disk_cache.load("verify", ".hidden.tmp") == b"y"
    with pytest.raises(ValueError, match="cache kind"):
        disk_cache.store("../x", "a", b"")
