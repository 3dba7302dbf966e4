"""The command-line contract of docs/cli.md."""
import json
import subprocess
import sys

import pytest

from tunnelkit.cli import main


def run(*args, check_rc=0):
    p = subprocess.run([sys.executable, "-m", "tunnelkit.cli", *args], capture_output=True, text=True, timeout=600)
    if check_rc is not None:
        assert p.returncode == check_rc, (p.returncode, p.stderr)
    return p


def test_transmission_json_has_exactly_the_contract_keys():
    p = run("transmission", "--M", "3", "--tau1", "0.1", "--gamma", "0.5", "--Lambda", "1",
            "--omega", "-1.7,-0.9,0.41,-2", "--json")
    obj = json.loads(p.stdout)
    assert list(obj) == ["omega", "T2", "RL2", "RR2", "transport_L", "transport_R"]
    assert obj["omega"] == [-1.7, -0.9, 0.41, -2.0]
    assert obj["RL2"][3] is None and obj["transport_L"][3] is None  # band edge: no incident wave
    assert all(isinstance(x, float) for x in obj["T2"][:3])


def test_evanescent_side_is_null():
    p = run("transmission", "--M", "2", "--tau1", "0.3", "--gamma", "0.5", "--Lambda", "1.5", "--V", "3",
            "--omega", "4.0", "--json")
    obj = json.loads(p.stdout)  # omega = 4 is inside the left band (1.5 +- 3) only
    assert obj["RR2"] == [None] and obj["transport_R"] == [None]
    assert obj["T2"] == [0.0]  # flux-normalised: nothing propagates on the right
    assert abs(obj["RL2"][0] + obj["transport_L"][0] - 1) < 1e-12  # 1 = |R_L|^2 + absorbed


def test_dps_prints_full_decimal_strings():
    p = run("transmission", "--M", "3", "--tau1", "0.1", "--gamma", "0.5", "--Lambda", "1",
            "--omega", "0.41", "--dps", "40", "--json")
    obj = json.loads(p.stdout)
    s = obj["T2"][0]
    assert isinstance(s, str) and "e" not in s.lower() and len(s.replace("0.", "").lstrip("0")) >= 35
    assert obj["omega"] == ["0.41"]


def test_current_json_and_defaults(capsys):
    assert main(["current", "--M", "2", "--tau1", "0.1", "--gamma", "0", "--Lambda", "inf", "--V", "1.0",
                 "--json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert {"I", "Q", "loss", "error_estimate"} <= set(obj)
    assert abs(obj["I"] / 0.01 - 1 / 3) < 2e-3  # one open channel, weight phi_3(M)^2 = 1/3
    assert obj["loss"] == 0.0


def test_no_particles_from_the_right(capsys):
    assert main(["current", "--M", "3", "--tau1", "0.1", "--gamma", "0.5", "--Lambda", "1",
                 "--muL", "0", "--muR=-inf", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["I"] > 0


@pytest.mark.parametrize("bad,flag", [
    (["--M", "-1"], "--M"), (["--M", "2.5"], "--M"), (["--tau1", "0"], "--tau1"), (["--tau1", "-0.1"], "--tau1"),
    (["--gamma", "-1"], "--gamma"), (["--Lambda", "0.5"], "--Lambda"), (["--tau1", "nan"], "--tau1"),
    (["--gamma", "nan"], "--gamma"), (["--omega", "1,,2"], "--omega"), (["--omega", "x"], "--omega"),
    (["--omega", "inf"], "--omega"), (["--dps", "0"], "--dps"), (["--V", "inf"], "--V"),
])
def test_bad_input_exits_2_with_one_line_naming_the_flag(bad, flag):
    base = {"--M": "3", "--tau1": "0.1", "--gamma": "0.5", "--Lambda": "1", "--omega": "0.1"}
    base.update(dict(zip(bad[::2], bad[1::2])))
    args = [x for kv in base.items() for x in kv]
    if "--dps" in bad or "--V" in bad:
        args += bad
    p = run("transmission", *args, check_rc=2)
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and flag in lines[0] and "Traceback" not in p.stderr and p.stdout == ""


def test_bad_current_input():
    p = run("current", "--M", "2", "--tau1", "0.1", "--gamma", "1", "--Lambda", "1", "--TL", "-1", check_rc=2)
    assert "--TL" in p.stderr and len(p.stderr.strip().splitlines()) == 1
    p = run("current", "--M", "2", "--tau1", "0.1", "--gamma", "1", "--Lambda", "1", "--stats", "bose",
            "--muL", "0", check_rc=2)
    assert "--muL" in p.stderr and "band bottom" in p.stderr


def test_unknown_id_and_missing_flag_exit_2():
    assert run("derive", "anglin:99", check_rc=2).stderr.count("\n") == 1
    assert run("transmission", "--M", "3", check_rc=2).stderr.count("\n") == 1


def test_derive_formats():
    tex = run("derive", "anglin:28").stdout
    assert "e^{" in tex and "mu_{L}" in tex
    assert run("derive", "anglin:36", "--format", "python").stdout.startswith("def eval_anglin_36(")
    assert "Symbol" in run("derive", "anglin:25", "--format", "sympy").stdout


@pytest.mark.parametrize("id_", ["anglin:36", "anglin:24"])
def test_derive_python_runs_on_its_own(id_):
    """The printed evaluator carries the helpers it calls: it runs after ``import numpy`` alone."""
    import inspect

    import numpy as np

    src = run("derive", id_, "--format", "python").stdout
    ns = {"numpy": np}
    exec(compile(src, id_, "exec"), ns)
    import re

    func = next(v for k, v in ns.items() if inspect.isfunction(v) and not k.startswith("_"))
    params = inspect.signature(func).parameters

    def value(name):
        if name in ("tau_1", "gamma", "M"):
            return 2 if name == "M" else 0.4
        unpacked = re.search(rf"^    ([\w, ]+) = {name}$", src, re.M)  # a bundle: one array per field
        return tuple(np.full(3, 0.3) for _ in unpacked.group(1).split(",")) if unpacked else np.full(3, 0.3)

    args = [value(n) for n, p in params.items() if p.kind is p.POSITIONAL_OR_KEYWORD]
    kwargs = {n: value(n) for n, p in params.items() if p.kind is p.KEYWORD_ONLY and p.default is p.empty}
    with np.errstate(all="ignore"):
        func(*args, **kwargs)  # NameError here if a helper were missing


def test_verify_json_for_selected_ids():
    p = run("verify", "--id", "anglin:28", "--id", "anglin:25", "--json")
    checks = json.loads(p.stdout)["checks"]
    assert [c["id"] for c in checks] == ["anglin:28", "anglin:25"]
    assert {c["status"] for c in checks} == {"erratum", "verified"}
    for c in checks:
        assert set(c) == {"id", "status", "printed", "corrected", "method", "detail"}


def test_evolve_json_and_bad_particles():
    p = run("evolve", "--M", "3", "--tau1", "0.1", "--gamma", "0.5", "--N", "40", "--particles", "20",
            "--times", "0,20", "--json")
    obj = json.loads(p.stdout)
    assert list(obj) == ["t", "dN_half", "current", "current_fd"]
    assert obj["dN_half"][0] == pytest.approx(10.0, abs=1e-12)
    assert obj["current"][1] > 0
    p = run("evolve", "--M", "3", "--tau1", "0.1", "--gamma", "0.5", "--N", "40", "--particles", "41",
            "--times", "1", check_rc=2)
    assert "--particles" in p.stderr and len(p.stderr.strip().splitlines()) == 1


def test_pair_ratio_json_contract(capsys):
    assert main(["pair-ratio", "--T", "0.3,1.0", "--json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert list(obj)[:4] == ["Tc", "T", "mu_B", "G_over_S"]
    assert abs(obj["Tc"] - 0.2180329612) < 1e-9
    assert obj["T"] == [0.3, 1.0] and all(m < 0 for m in obj["mu_B"])
    assert obj["G_over_S"][0] > obj["G_over_S"][1] > 0


@pytest.mark.parametrize("argv,flag", [(["--T", "0.1"], "--T"), (["--T", "0.5", "--damping", "0"], "--damping"),
                                       (["--T", "nan"], "--T"), (["--T", "0.5,,1"], "--T")])
def test_pair_ratio_bad_input(argv, flag):
    p = run("pair-ratio", *argv, check_rc=2)
    assert p.stderr.count("\n") == 1 and flag in p.stderr and "Traceback" not in p.stderr


def test_figure_command(tmp_path):
    out = tmp_path / "fig5.png"
    p = run("figure", "anglin-fig5", "--out", str(out), "--light")
    assert out.exists() and out.stat().st_size > 1000 and str(out) in p.stdout
    p = run("figure", "anglin-fig1", "--out", str(out), check_rc=2)
    assert p.stderr.count("\n") == 1 and "NAME" in p.stderr
    p = run("figure", "anglin-fig5", "--out", str(tmp_path / "x.jpg"), check_rc=2)
    assert "--out" in p.stderr


def test_divergent_energy_current_is_null_in_json():
    """Lambda = inf with an empty right reservoir at M = 0: the lossy site alone has absorbed_L =
    gamma tau1^2 / ((omega^2 + ...) ~ 1/omega^2 (its Green's function is 1/(omega + i(gamma/2 + 2 tau1^2))), so
    omega * transport ~ 1/omega and Q diverges logarithmically. JSON has no infinity: null, with I and loss finite."""
    import json

    from tunnelkit.cli import main as run

    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rc = run(["current", "--M", "0", "--tau1", "0.1", "--gamma", "5", "--Lambda", "inf", "--V", "1.0",
                  "--muR=-inf", "--json"])
    obj = json.loads(buf.getvalue())
    assert rc == 0 and obj["Q"] is None and obj["I"] > 0 and obj["loss"] > 0


def test_energy_current_of_a_chain_converges_with_one_reservoir_empty(capsys):
    """M = 2 with Lambda = inf and the right reservoir empty: the flows out of the left lead fall off like
    |G_{end,centre}|^2 ~ omega^-(2M+2) = omega^-6, so Q is finite (the earlier lattice route printed null here).
    Reference: scipy's adaptive quad of omega (2 T2 + absorbed_L) / (4 pi) over the direct solve
    (numeric.models.greens, not the closed form the command integrates), cut at the resonances."""
    import math

    import numpy as np
    from scipy.integrate import quad

    from numeric.models.greens import solve
    from tunnelkit.models.lossy_lattice import LossyLattice

    assert main(["current", "--M", "2", "--tau1", "0.1", "--gamma", "5", "--Lambda", "inf", "--V", "1.0",
                 "--muR=-inf", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    tb = LossyLattice(2, 0.1, 5, "inf", 1.0).model().tight_binding()

    def flow(w: float, energy: bool) -> float:
        sol = solve(tb, np.array([w]))
        t = 2 * sol.T2("L", "R")[0] + sol.absorbed("L")[0]
        return (w if energy else 1.0) * t / (4 * math.pi)

    cuts = [-math.sqrt(3), -1.0, 0.0]  # the isolated five-site chain's levels below mu_L = 0.5
    for key, energy in (("I", False), ("Q", True)):
        ref = quad(flow, -math.inf, -2, args=(energy,), epsabs=1e-15, epsrel=1e-11, limit=400)[0] + \
            quad(flow, -2, 0.5, args=(energy,), points=cuts, epsabs=1e-15, epsrel=1e-11, limit=400)[0]
        assert got[key] == pytest.approx(ref, rel=1e-8), key


def test_t2_is_a_flux_normalised_probability(capsys):
    """Reported: a lead without propagating wave printed T2 = 966.87; now 0 (docs/cli.md), and flux still balances."""
    assert main(["transmission", "--M", "3", "--tau1", "0.1", "--gamma", "0.5", "--Lambda", "1", "--V", "3",
                 "--omega=1.4142135723730949", "--json"]) == 0
    obj = json.loads(capsys.readouterr().out)  # the right lead band is [-3.5, 0.5]: no wave there
    assert obj["T2"] == [0.0] and obj["RR2"] == [None] and obj["transport_R"] == [None]
    assert 0 <= obj["RL2"][0] <= 1 and abs(obj["RL2"][0] + obj["transport_L"][0] - 1) < 1e-12
    assert main(["transmission", "--M", "3", "--tau1", "0.1", "--gamma", "0.5", "--Lambda", "1",
                 "--omega", "2.5", "--json"]) == 0  # neither lead propagates
    assert json.loads(capsys.readouterr().out)["T2"] == [0.0]


@pytest.mark.parametrize("argv,flag,limit", [
    (["transmission", "--M", "3", "--tau1", "0.1", "--gamma", "0.5", "--Lambda", "1", "--omega", "0.1",
      "--dps", "100000"], "--dps", "10000"),
    (["pair-ratio", "--T", "0.5", "--dps", "101"], "--dps", "100"),
    (["transmission", "--M", "3", "--tau1", "1e-200", "--gamma", "0.5", "--Lambda", "1", "--omega", "0.1"],
     "--tau1", "1e-12"),
    (["transmission", "--M", "3", "--tau1", "1e200", "--gamma", "0.5", "--Lambda", "1", "--omega", "0.1"],
     "--tau1", "1e+12"),
    (["current", "--M", "2", "--tau1", "1e-100", "--gamma", "0.5", "--Lambda", "inf", "--V", "1"], "--tau1", "1e-12"),
    (["transmission", "--M", "3", "--tau1", "0.1", "--gamma", "0.5", "--Lambda", "1", "--omega", "1e21"],
     "--omega", "1e+20"),
    (["pair-ratio", "--T", "0.5", "--damping", "1e200"], "--damping", "1e+100"),
    (["pair-ratio", "--T", "0.5", "--damping", "1e-150"], "--damping", "1e-100"),
    (["pair-ratio", "--T", "2e6"], "--T", "1e+06"),
])
def test_out_of_range_is_refused_with_the_limit(argv, flag, limit):
    p = run(*argv, check_rc=2)
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and flag in lines[0] and limit in lines[0] and "Traceback" not in p.stderr
    assert p.stdout == ""


def test_tiny_tau1_with_dps_gives_the_numbers(capsys):
    assert main(["transmission", "--M", "1", "--tau1", "1e-200", "--gamma", "0.5", "--Lambda", "inf",
                 "--omega", "0.3", "--dps", "20", "--json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    t2 = obj["T2"][0]  # ~ tau1^4 = 1e-800: 20 significant digits and the exponent (not 800 leading zeros)
    mantissa, exponent = t2.split("e")
    assert len(mantissa.replace(".", "")) == 20 and -810 < int(exponent) < -790


def test_pair_ratio_edges_and_dps(capsys):
    assert main(["pair-ratio", "--T", "0.21804,30,1e6", "--json"]) == 0  # the root failed at each of these
    obj = json.loads(capsys.readouterr().out)
    assert all(g > 0 for g in obj["G_over_S"]) and all(m < 0 for m in obj["mu_B"])
    assert obj["mu_B"][0] > -1e-9 and obj["mu_B"][2] < -1e7
    assert main(["pair-ratio", "--T", "0.5", "--dps", "30", "--json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    import mpmath

    with mpmath.workdps(60):  # Tc in closed form: 6^(1/3) / (3 pi^(1/3) zeta(3/2)^(2/3))
        closed = mpmath.cbrt(6) / (3 * mpmath.cbrt(mpmath.pi) * mpmath.zeta(1.5) ** (mpmath.mpf(2) / 3))
        assert obj["Tc"] == mpmath.nstr(closed, 30, min_fixed=-mpmath.inf, max_fixed=mpmath.inf, strip_zeros=False)
    for key in ("mu_B", "G_over_S"):
        s = obj[key][0]
        assert isinstance(s, str) and len(s.lstrip("-").replace("0.", "", 1).lstrip("0").replace(".", "")) == 30


def test_help_reaches_stdout(capsys):
    """argparse prints --help and exits: that output goes through the same single write as every command's
    (it was collected and then dropped when the collection began)."""
    import pytest

    from tunnelkit.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["transmission", "--help"])
    assert stop.value.code == 0 and capsys.readouterr().out.startswith("usage: tunnelkit transmission")
