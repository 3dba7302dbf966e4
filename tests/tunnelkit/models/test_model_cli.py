"""``transmission``/``current``/``derive --model FILE``: JSON of docs/model-files.md, bad input exits 2 with one line."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tunnelkit.cli import main
from tunnelkit.models.model import Model

MODELS = Path(__file__).resolve().parents[3] / "examples" / "models"
FANO = str(MODELS / "fano_dot.toml")
THREE = str(MODELS / "three_terminal.toml")
P = ["--param", "eps=0.3", "--param", "gamma=0.1", "--param", "t_d=0.5"]


def run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_transmission_json_is_the_spec_shape(capsys):
    code, out, err = run(capsys, ["transmission", "--model", FANO, *P, "--omega", "-1,0.3,3", "--json"])
    assert code == 0 and err == ""
    obj = json.loads(out)
    assert set(obj) == {"omega", "leads", "T2", "R2", "absorbed"} and obj["leads"] == ["L", "R"]
    assert set(obj["T2"]) == {"L->R", "R->L"} and set(obj["R2"]) == {"L", "R"}
    ref = Model.from_file(FANO).with_params(eps=0.3, gamma=0.1, t_d=0.5).transmission([-1, 0.3, 3])
    assert obj["T2"]["L->R"] == [float(x) for x in ref.T2["L->R"]]
    assert obj["T2"]["L->R"][2] == 0.0 and obj["R2"]["L"][2] is None and obj["absorbed"]["L"][2] is None


def test_transmission_dps_prints_the_digits_of_the_exact_route(capsys):
    code, out, _ = run(capsys, ["transmission", "--model", FANO, *P, "--omega", "0.3", "--dps", "30", "--json"])
    assert code == 0
    obj = json.loads(out)
    t2 = obj["T2"]["L->R"][0]
    assert isinstance(t2, str) and len(t2.replace("0.", "", 1).lstrip("0")) == 30  # every digit, zeros too
    assert obj["omega"] == ["0.3"]  # the exact input, as given
    assert float(t2) == pytest.approx(0.08031432284464201, rel=1e-14)  # the double path, above


def test_current_json_and_three_leads(capsys):
    argv = ["current", "--model", THREE, "--param", "eps=0.1", "--param", "gamma=0.3", "--param", "tau=0.5",
            "--param", "t_C=0.5", "--param", "V_C=0.8", "--lead", "A:mu=0.5,T=0.05", "--lead", "B:mu=0", "--json"]
    code, out, err = run(capsys, argv)
    assert code == 0 and err == ""
    obj = json.loads(out)
    assert set(obj) == {"I", "loss", "error_estimate"} and set(obj["I"]) == {"A", "B", "C"}
    assert sum(obj["I"].values()) == pytest.approx(obj["loss"], rel=1e-8)
    assert obj["I"]["C"] < 0 and obj["loss"] > 0  # C is empty: particles only leave into it


def test_current_dps_prints_correct_digits(capsys):
    argv = ["current", "--model", str(MODELS / "lossy_dot.toml"), "--param", "eps=0.2", "--param", "gamma=0.6",
            "--param", "tau=0.6", "--lead", "L:mu=0.5", "--lead", "R:mu=-0.5"]
    code, out, _ = run(capsys, argv + ["--json"])
    double = json.loads(out)
    code, out, _ = run(capsys, argv + ["--dps", "20", "--json"])
    exact = json.loads(out)
    assert code == 0 and isinstance(exact["loss"], str) and len(exact["loss"].lstrip("0.")) >= 19
    assert float(exact["loss"]) == pytest.approx(double["loss"], rel=0, abs=double["error_estimate"])
    assert sum(float(v) for v in exact["I"].values()) == pytest.approx(float(exact["loss"]), rel=1e-19)


BAD = [
    (["transmission", "--model", FANO, "--param", "eps=0.3", "--omega", "0.1"], "gamma, t_d"),
    (["transmission", "--model", FANO, *P, "--param", "x=1", "--omega", "0.1"], "--param x"),
    (["transmission", "--model", FANO, *P, "--omega", "0.1,nan"], "--omega"),
    (["transmission", "--model", FANO, *P, "--omega", "0.1,,2"], "--omega"),
    (["transmission", "--model", FANO, "--param", "eps=0.3", "--param", "gamma=-1", "--param", "t_d=1",
      "--omega", "0"], "gamma must be a real number >= 0"),
    (["transmission", "--model", FANO, *P, "--param", "eps", "--omega", "0"], "--param expects NAME=VALUE"),
    (["transmission", "--model", FANO, *P, "--M", "3", "--omega", "0"], "--M belongs to the built-in"),
    (["transmission", "--model", "/nonexistent.toml", *P, "--omega", "0"], "cannot read the model file"),
    (["current", "--model", FANO, *P, "--lead", "X:mu=0"], "--lead X"),
    (["current", "--model", FANO, *P, "--lead", "L:mu=0,Q=1"], "--lead expects"),
    (["current", "--model", FANO, *P, "--lead", "L:T=1"], "mu is required"),
    (["current", "--model", FANO, *P, "--lead", "L:mu=0,T=0.1", "--stats", "bose"], "below the bottom"),
    (["current", "--model", FANO, *P, "--lead", "L:mu=0", "--dps", "100000"], "dps must be an integer in [1, 60]"),
    (["derive", "--model", FANO, "T2:L->X"], "unknown lead 'X'"),
]


@pytest.mark.parametrize("argv,needle", BAD, ids=[b[1] for b in BAD])
def test_bad_input_exits_2_with_one_line(capsys, argv, needle):
    code, out, err = run(capsys, argv)
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.count("\n") == 1 and needle in err, err


def test_bad_model_file_names_file_and_table(capsys, tmp_path):
    f = tmp_path / "m.toml"
    f.write_text(Path(FANO).read_text().replace('d = "eps - I*gamma/2"', 'd = "eps - I*gama/2"'))
    code, out, err = run(capsys, ["transmission", "--model", str(f), *P, "--omega", "0"])
    assert code == 2 and out == "" and str(f) in err and "[sites] d" in err and "'gama'" in err


def test_built_in_lattice_still_needs_its_flags(capsys):
    code, _, err = run(capsys, ["transmission", "--M", "1", "--tau1", "0.1", "--omega", "0"])
    assert code == 2 and "--gamma, --Lambda" in err


ANGLIN = ["--param", "tau1=0.3", "--param", "gamma=0.5", "--param", "Lambda=inf", "--param", "V=0", "--omega", "0.1"]


@pytest.mark.parametrize("method", ["auto", "closed", "direct"])
def test_a_segment_of_length_zero_is_refused_in_every_route(capsys, tmp_path, method):
    """The paper's lattice as a model file needs M >= 1: its file says so (declared range), and a copy that allows
    M = 0 is refused with one line naming the segment -- not the Chebyshev form continued to length 0."""
    lattice = MODELS / "anglin_lattice.toml"
    code, out, err = run(capsys, ["transmission", "--model", str(lattice), "--param", "M=0", *ANGLIN])
    assert code == 2 and out == "" and err.count("\n") == 1 and "M must be an integer >= 1 (got 0)" in err, err
    f = tmp_path / "lattice0.toml"
    f.write_text(lattice.read_text().replace('range = ">= 1", about = "half length', 'range = ">= 0", about = "half'))
    m = Model.from_file(f).with_params(M=0, tau1="0.3", gamma="0.5", Lambda="inf", V=0)
    with pytest.raises(ValueError, match="segment left has length M = 0 here; a segment needs at least one site"):
        m.evaluate(["T2:L->R"], [0.1], method=method)
    code, out, err = run(capsys, ["transmission", "--model", str(f), "--param", "M=0", *ANGLIN])
    assert code == 2 and out == "" and err.count("\n") == 1 and "segment left has length M = 0" in err, err
