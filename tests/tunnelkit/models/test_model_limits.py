"""Bounded work and memory of model files, and the invariants guarding every result (issues 23, 18.4).

Expected numbers come from exact limits (a level at eps -> inf decouples; a lead with hopping
t_C -> inf and a fixed coupling decouples) evaluated in exact SymPy arithmetic, never from the code.
"""
from __future__ import annotations

import json
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

import tunnelkit.limits as limits
from tunnelkit.cli import main
from tunnelkit.models.model import Model, ModelError

MODELS = Path(__file__).resolve().parents[3] / "examples" / "models"
R = sp.Rational


def run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def chain_text(n: int, *, per_site: bool = True, loss: bool = False) -> str:
    """A chain of n sites between two leads; per-site energies e0..e(n-1) as parameters."""
    names = [f"e{i}" for i in range(n)] if per_site else ["eps"] * n
    text = "[parameters]\n" + "".join(f"{e} = {{}}\n" for e in dict.fromkeys(names)) + 't = { range = "> 0" }\n'
    text += "[sites]\n" + "".join(f's{i} = "{e}{" - I/5" if loss and i == 0 else ""}"\n' for i, e in enumerate(names))
    text += "".join(f'[[hopping]]\nsites = ["s{i}", "s{i + 1}"]\nvalue = "-t"\n' for i in range(n - 1))
    return text + ('[[lead]]\nname = "L"\nsite = "s0"\nhopping = "-1"\ncoupling = "-0.5"\n'
                   f'[[lead]]\nname = "R"\nsite = "s{n - 1}"\nhopping = "-1"\ncoupling = "-0.5"\n')


def surface_g(w, t):
    """Retarded surface Green's function of a semi-infinite chain of hopping t (|w| < 2|t|), exact."""
    return (w - sp.I * sp.sqrt(4 * t**2 - w**2)) / (2 * t**2)


def dot_t2(eps, gamma, tau, w):
    """T2 of one level eps - i gamma/2 between two leads of hopping -1 with coupling tau, exact."""
    sig = tau**2 * surface_g(w, 1)
    gam = -2 * sp.im(sig)
    return sp.nsimplify(gam**2) * sp.Abs(1 / (w - eps + sp.I * gamma / 2 - 2 * sig)) ** 2


@pytest.fixture
def cold_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TUNNELKIT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


# ----------------------------------------------------------------------------- scale


@pytest.mark.parametrize("gamma", ["0", "0.1"])
def test_a_level_at_the_top_of_the_double_range_is_decoupled(capsys, gamma):
    # eps = 1.7e308 -> inf decouples the side dot: site a alone between two leads of hopping -1 and coupling
    # -1 is a perfect chain, T2 = 1 and R2 = 0 on the band (the closed form gave T2 = 0, R2 = 1)
    code, out, err = run(capsys, ["transmission", "--model", str(MODELS / "fano_dot.toml"), "--param", "eps=1.7e308",
                                  "--param", f"gamma={gamma}", "--param", "t_d=0.5", "--omega", "-1.5,0.3", "--json"])
    assert code == 0, err
    obj = json.loads(out)
    assert obj["T2"]["L->R"] == pytest.approx([1, 1], abs=1e-12)
    assert obj["R2"]["L"] == pytest.approx([0, 0], abs=1e-12)


def test_a_lead_with_a_huge_hopping_decouples(capsys):
    # t_C = 1.7e308 with a fixed coupling: lead C's self-energy tau^2 z/t_C -> 0, so A->B is the two-lead level
    # (every T2 was null); T2 into C is ~1e-309, R2:C = 1
    code, out, err = run(capsys, ["transmission", "--model", str(MODELS / "three_terminal.toml"), "--param", "eps=0.1",
                                  "--param", "gamma=0.2", "--param", "tau=0.5", "--param", "t_C=1.7e308",
                                  "--param", "V_C=0", "--omega", "0.3,-1.2", "--json"])
    assert code == 0, err
    obj = json.loads(out)
    for k, w in enumerate((R(3, 10), R(-6, 5))):
        ref = float(sp.N(dot_t2(R(1, 10), R(1, 5), R(1, 2), w), 30))
        assert obj["T2"]["A->B"][k] == pytest.approx(ref, rel=1e-12)
        assert 0 <= obj["T2"]["A->C"][k] < 1e-300 and obj["R2"]["C"][k] == pytest.approx(1, abs=1e-15)


def test_a_coupling_beyond_the_doubles_is_refused_by_name_and_exact_with_dps(capsys):
    p = ["transmission", "--model", str(MODELS / "lossy_dot.toml"), "--param", "eps=0.1", "--param", "gamma=0.2",
         "--param", "tau=1e300", "--omega", "0.3"]
    code, out, err = run(capsys, p + ["--json"])  # gave T2 = 0 and R2 null with exit 0
    assert code == 2 and out == "" and err.count("\n") == 1 and "lead L coupling" in err and "dps" in err
    code, out, err = run(capsys, p + ["--dps", "20", "--json"])
    assert code == 0, err
    ref = sp.N(dot_t2(R(1, 10), R(1, 5), sp.Integer(10) ** 300, R(3, 10)), 40)  # 1 - 0.3^2/4 - O(1e-600)
    assert abs(sp.Float(json.loads(out)["T2"]["L->R"][0], 30) - ref) < sp.Float("1e-20")


# ----------------------------------------------------------------------------- invariants and fallback

LOSSY = MODELS / "lossy_dot.toml"
DOT = dict(eps="0.1", gamma="0.2", tau="0.5")


def broken(real_route):
    def route(self, *args):
        vals = real_route(self, *args)
        at = np.isclose(np.asarray(vals["omega"], dtype=float), -0.7)
        for k in vals:
            if k.startswith("T2:"):
                vals[k] = np.where(at, -0.25, vals[k])  # a negative probability at omega = -0.7 only
        return vals
    return route


def test_a_broken_point_of_the_closed_form_is_taken_from_the_direct_solver(monkeypatch):
    monkeypatch.setattr(Model, "_closed", broken(Model._closed))
    m = Model.from_file(LOSSY).with_params(**DOT)
    tr = m.transmission([0.3, -0.7, 1.1])
    for k, w in enumerate((R(3, 10), R(-7, 10), R(11, 10))):
        assert tr.T2["L->R"][k] == pytest.approx(float(sp.N(dot_t2(R(1, 10), R(1, 5), R(1, 2), w), 30)), rel=1e-12)


def test_a_point_broken_in_both_routes_is_refused_naming_it(monkeypatch, capsys):
    monkeypatch.setattr(Model, "_closed", broken(Model._closed))
    monkeypatch.setattr(Model, "_direct", broken(Model._direct))
    m = Model.from_file(LOSSY).with_params(**DOT)
    with pytest.raises(ModelError, match=r"at omega = -0.7, T2:L->R breaks the invariant T2 >= 0 \(got -0.25; "
                                         r"closed form and direct solver\)"):
        m.transmission([0.3, -0.7, 1.1])
    with pytest.raises(ModelError, match="at omega = -0.7, T2:L->R breaks the invariant T2 >= 0"):
        m.transmission([0.3, -0.7, 1.1], method="direct")  # an explicit route: no fallback
    code, out, err = run(capsys, ["transmission", "--model", str(LOSSY), "--param", "eps=0.1", "--param", "gamma=0.2",
                                  "--param", "tau=0.5", "--omega", "0.3,-0.7,1.1", "--json"])
    assert code == 2 and out == "" and err.count("\n") == 1 and "omega = -0.7" in err and "T2 >= 0" in err


def test_an_unbalanced_dps_result_is_refused(monkeypatch):
    # mpmath values checked to 10^-dps: R2 off by 1e-25 at 30 digits breaks the flux balance
    import mpmath

    real = Model._direct_mp

    def off(self, *args):
        vals = real(self, *args)
        vals["R2:L"] = vals["R2:L"] + mpmath.mpf(10) ** -25
        return vals

    monkeypatch.setattr(Model, "_direct_mp", off)
    m = Model.from_file(LOSSY).with_params(**DOT)
    with pytest.raises(ModelError, match="flux balance"):
        m.transmission(["0.3"], dps=30, method="direct")


# ----------------------------------------------------------------------------- route by predicted cost


def test_a_chain_with_per_site_energies_answers_cold_in_seconds(tmp_path, cold_cache):
    # 12 sites with their own energies: the closed form would take many minutes cold (10 sites: 47 s);
    # the direct solver answers, and the transmission of a lossless chain is unitary (absorbed = 0)
    path = tmp_path / "chain12.toml"
    path.write_text(chain_text(12))
    m = Model.from_file(path).with_params(t=1, **{f"e{i}": f"0.0{i}" for i in range(12)})
    start = time.monotonic()
    tr = m.transmission([0.1, 0.5])
    assert time.monotonic() - start < 10 and tr.method == "direct"
    assert np.all(np.abs(tr.absorbed["L"]) < 1e-14)


def test_a_cached_closed_form_is_used_and_a_cheap_one_derived(tmp_path, cold_cache, monkeypatch):
    m = Model.from_file(LOSSY).with_params(**DOT)
    assert m.transmission([0.3]).method == "closed"  # predicted well under a second
    monkeypatch.setattr("tunnelkit.models.model.CLOSED_FORM_MAX_SECONDS", 0.0)  # every derivation too dear now
    other = Model.from_file(MODELS / "fano_dot.toml").with_params(eps="0.3", gamma="0.1", t_d="0.5")
    assert other.transmission([0.3]).method == "direct"
    assert m.transmission([0.3]).method == "closed"  # already on disk


def test_derive_refuses_a_closed_form_beyond_its_limit(tmp_path, capsys):
    # a 20-site chain with its own energies: past 180 s and 1.8 GB before; refused at once with the limit
    path = tmp_path / "chain20.toml"
    path.write_text(chain_text(20))
    start = time.monotonic()
    code, out, err = run(capsys, ["derive", "--model", str(path), "T2:L->R"])
    assert code == 2 and out == "" and err.count("\n") == 1 and time.monotonic() - start < 10
    assert str(path) in err and "limit of 60 s" in err and "transmission --model" in err
    code, out, err = run(capsys, ["derive", "--model", str(path), "T2:L->R", "--param", "t=1",
                                  *sum((["--param", f"e{i}=0"] for i in range(20)), [])])
    assert code == 0 and "T^2_{L\\to R}" in out  # every value given: a polynomial in omega and the z's


# ----------------------------------------------------------------------------- sizes and memory


def test_a_sites_only_region_beyond_the_limit_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("tunnelkit.models.model_region.REGION_MAX_SITES", 10)  # the check, not 10^6 sites of TOML
    path = tmp_path / "chain11.toml"
    path.write_text(chain_text(11, per_site=False))
    code, out, err = run(capsys, ["transmission", "--model", str(path), "--param", "eps=0", "--param", "t=1",
                                  "--omega", "0.5"])
    assert code == 2 and out == "" and err.count("\n") == 1 and "[sites] has 11 sites; at most 10" in err


def test_dps_total_cost_is_bounded_up_front(capsys, monkeypatch):
    with pytest.raises(limits.LimitError, match=r"--dps 10000 with 12000 frequencies .* frequencies x cost per point"):
        limits.check_model_dps(n_sites=1, n_omega=12000, dps=10000)
    monkeypatch.setattr(limits, "DPS_MAX_SECONDS", 0.001)  # three points at 50 digits are predicted ~3 ms
    code, out, err = run(capsys, ["transmission", "--model", str(LOSSY), "--param", "eps=0.1", "--param", "gamma=0.2",
                                  "--param", "tau=0.5", "--omega", "0.1,0.2,0.3", "--dps", "50", "--json"])
    assert code == 2 and out == "" and err.count("\n") == 1 and "--dps 50 with 3 frequencies" in err


def test_one_frequency_that_does_not_fit_in_memory_is_refused(capsys, monkeypatch):
    monkeypatch.setattr(limits, "available_memory", lambda: 500.0)
    code, out, err = run(capsys, ["transmission", "--model", str(LOSSY), "--param", "eps=0.1", "--param", "gamma=0.2",
                                  "--param", "tau=0.5", "--omega", "0.3", "--json"])
    # the closed form needs no region matrix; the direct solver's estimate is refused with the limit
    assert code == 0, err
    m = Model.from_file(LOSSY).with_params(**DOT)
    with pytest.raises(limits.LimitError, match=r"one frequency of a 1-site region needs ~1.1 KiB of memory, 500 B available"):
        m.transmission([0.3], method="direct")


from test_model_probe import WIRE as WIRE_TEXT  # noqa: E402  (one text of the lossy-dot-plus-wire model)


def test_peak_memory_does_not_grow_with_the_number_of_frequencies(tmp_path, monkeypatch):
    # 20000 sites: ~2 MB per frequency of the direct solve; chunks of 8 MiB keep the peak independent of the
    # 10 or 100 frequencies asked for (before: all frequencies at once, 13.7 GB for 1e6 sites x 200)
    monkeypatch.setattr(limits, "MODEL_CHUNK_BYTES", 8 * 2**20)
    path = tmp_path / "wire.toml"
    path.write_text(WIRE_TEXT)
    m = Model.from_file(path).with_params(N=20000)
    peaks = []
    for n_omega in (10, 100):
        tracemalloc.start()
        tr = m.transmission(np.linspace(-1.5, 1.5, n_omega), method="direct")
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert np.all(tr.T2["L->R"] >= 0) and np.all(tr.absorbed["L"] > 0)
    assert peaks[1] < 1.3 * peaks[0], peaks


def test_chunked_frequencies_agree_with_exact_arithmetic(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MODEL_CHUNK_BYTES", 1)  # one frequency per chunk
    path = tmp_path / "wire.toml"
    path.write_text(WIRE_TEXT)
    tr = Model.from_file(path).with_params(N=2).transmission([0.5, -0.25, 1.5], method="direct")
    for k, w in enumerate((R(1, 2), R(-1, 4), R(3, 2))):
        H = sp.Matrix([[-sp.I / 4, -1, 0], [-1, 0, -1], [0, -1, 0]])
        sig = R(1, 4) * surface_g(w, 1)
        G = (w * sp.eye(3) - H - sp.diag(sig, 0, sig)).inv()
        ref = float(sp.N((2 * sp.im(sig)) ** 2 * sp.Abs(G[2, 0]) ** 2, 30))
        assert tr.T2["L->R"][k] == pytest.approx(ref, rel=1e-12)


@pytest.mark.parametrize("name", sorted(p.name for p in (Path(__file__).resolve().parents[3] / "examples" / "models")
                                        .glob("*.toml")))
def test_the_cost_prediction_reads_every_example_model(name):
    """Two segments and their .first/.last aliases: the second segment's rows were numbered past the region
    (IndexError in predicted_terms, which broke transmission of loss_off_centre and the lattice notebooks)."""
    from tunnelkit.models.closed_form_cost import predicted_seconds

    model = Model.from_file(Path(__file__).resolve().parents[3] / "examples" / "models" / name).model_dict
    assert 0 < predicted_seconds(model) < float("inf")
