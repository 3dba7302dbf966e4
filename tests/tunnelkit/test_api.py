"""The Python API a newcomer meets: public names, what the entry points accept, how results show and are saved,
progress bars when asked for (issue 22)."""
from __future__ import annotations

import importlib
import json
import math
import pkgutil
import sys

import mpmath
import numpy as np
import pytest

import tunnelkit
from numeric.precision import Unsettled
from tunnelkit.models.model_results import Currents, ResultFileError, Transmission
from tunnelkit.models.model import Model
from tunnelkit.registry.core import CheckResult, Outcome

DOT = Model(parameters={"eps": {"about": "level <script>alert(1)</script>"}, "gamma": {"range": ">= 0"},
                        "tau": {"range": "> 0"}},
            sites={"d": "eps - I*gamma/2"},
            leads=[{"name": n, "site": "d", "hopping": "-1", "coupling": "-tau"} for n in "LR"], name="dot")
VALUES = {"eps": "0.3", "gamma": "0.2", "tau": "0.5"}


def _breit_wigner(w: np.ndarray, eps=0.3, gamma=0.2, tau=0.5) -> dict:
    """A level between two semi-infinite chains (hopping 1), by the textbook Green's function: the lead
    surface Green's function (w - i sqrt(4 - w^2))/2 inside the band, Gamma = tau^2 sqrt(4 - w^2)."""
    sigma = tau**2 * (w - 1j * np.sqrt(4 - w**2)) / 2
    Gamma = tau**2 * np.sqrt(4 - w**2)
    G = 1 / (w - eps + 0.5j * gamma - 2 * sigma)
    return {"T2": Gamma**2 * np.abs(G) ** 2, "R2": np.abs(1 - 1j * Gamma * G) ** 2, "absorbed": Gamma * gamma * np.abs(G) ** 2}


# -- 1. public names
def _submodules() -> set[str]:
    return {m.name for m in pkgutil.iter_modules(tunnelkit.__path__)}


def test_no_public_name_is_also_a_submodule():
    """``import tunnelkit.X`` rebinds ``tunnelkit.X`` to the module: a public function named X would be lost."""
    clash = sorted(set(tunnelkit.__all__) & _submodules())
    assert not clash, clash


def test_paper_report_can_be_called_twice_after_every_module_is_imported(tmp_path):
    for m in pkgutil.walk_packages(tunnelkit.__path__, "tunnelkit."):
        if not m.name.endswith("__main__"):
            try:
                importlib.import_module(m.name)
            except ImportError:  # an optional dependency (kwant, ...)
                pass
    paper = tunnelkit.load_paper("examples/papers/fano.toml")
    outcome = Outcome(paper.equations[0].id, True, CheckResult("verified", "by hand", "-"), 0.0,
                      printed=paper.equations[0].printed)
    first = tunnelkit.paper_report(paper, [outcome])
    assert first == tunnelkit.paper_report(paper, [outcome])
    assert "1 equation: 1 verified" in first


# -- 2. what the entry points accept
def test_transmission_of_a_model_is_the_models_transmission():
    w = np.array([-1.5, 0.1, 0.3, 1.9])
    tr = tunnelkit.transmission(DOT.with_params(VALUES), w)
    assert isinstance(tr, Transmission)
    ref = _breit_wigner(w)
    np.testing.assert_allclose(tr.T2["L->R"], ref["T2"], rtol=1e-12)
    np.testing.assert_allclose(tr.R2["L"], ref["R2"], rtol=1e-12)
    np.testing.assert_allclose(tr.absorbed["L"], ref["absorbed"], rtol=1e-11)


def test_transmission_of_the_lossy_lattice_is_unchanged():
    lat = tunnelkit.LossyLattice(M=2, tau1=0.1, gamma=0.0, Lambda=1.0)
    tr = tunnelkit.transmission(lat, [0.3, -1.1])
    assert not isinstance(tr, Transmission) and hasattr(tr, "RL2")
    np.testing.assert_allclose(tr.T2 + tr.RL2, 1.0, atol=1e-12)  # no loss: flux conserved


def test_lossy_lattice_through_its_model_matches_the_direct_solve_in_the_papers_names():
    """The lattice's names from the Model's closed form, against the direct solve (numeric.models.greens, method="direct")
    of the same lattice: T2, R_L, R_R and transport = 1 + X|T|^2 - |R|^2 (App. C), null where a lead is closed
    (V = 0.7, Lambda = 2: the right band is [-4.35, 3.65], so omega = 3.9 has no wave from the right)."""
    lat = tunnelkit.LossyLattice(M=2, tau1=0.3, gamma=1.5, Lambda=2, V=0.7)
    w = np.array([-1.3, 0.2, 1.0, 3.9])
    tr = tunnelkit.transmission(lat, w)
    ref = lat.model().evaluate(["T2:L->R", "R2:L", "R2:R"], w, method="direct")
    np.testing.assert_allclose(tr.T2, ref["T2:L->R"], rtol=1e-11)
    np.testing.assert_allclose(tr.RL2, ref["R2:L"], rtol=1e-11)
    np.testing.assert_allclose(tr.RR2[:3], ref["R2:R"][:3], rtol=1e-11)
    X_L = np.where(np.isnan(ref["R2:R"]), 0.0, 1.0)  # the wave transmitted from the left propagates
    np.testing.assert_allclose(tr.transport_L, 1 + X_L * ref["T2:L->R"] - ref["R2:L"], rtol=1e-10)
    assert np.isnan(tr.RR2[3]) and np.isnan(tr.transport_R[3]) and tr.T2[3] == 0
    assert list(tr.incident_L) == [True] * 4 and list(tr.incident_R) == [True, True, True, False]


def test_lossy_lattice_currents_and_curves_agree_with_each_other_and_the_gamma_zero_step():
    """current_curve (one cumulative integration at T = 0) against currents (adaptive quadrature) at the same
    mu_L; bias_curve at gamma = 0, V = 4 against the exact plateau: with no loss and wide-band leads every
    level of the 5-site chain is fully transmitting once inside the window, sum of the Lorentzians'
    weights = 5 levels x (1/2) x (2 tau1^2)... i.e. I = (1/4 pi) * 2 * integral T2 = (1/2 pi) * 5 * pi * Gamma/2
    reduced: I/tau1^2 = sum over levels of |psi_end|^2 weights -> the isolated-chain value 1/3 (doctest of
    currents) to 1e-6 with V well past the last level."""
    lat = tunnelkit.LossyLattice(M=3, tau1=0.1, gamma=0.5, Lambda=1.0)
    mu = [-1.2, 0.0, 0.9]
    curve = tunnelkit.current_curve(lat, mu)
    for m, got in zip(mu, curve.I):
        assert got == pytest.approx(tunnelkit.currents(lat, muL=m, muR=-math.inf).I, rel=1e-9)
    free = tunnelkit.LossyLattice(M=2, tau1=0.1, gamma=0.0, Lambda=math.inf)
    steps = tunnelkit.bias_curve(free, [4.0, 6.0]).I / 0.1**2
    assert steps[0] == pytest.approx(steps[1], rel=1e-3)  # the plateau past the last level (sqrt 3)
    assert steps[1] == pytest.approx(tunnelkit.currents(free.__class__(2, 0.1, 0.0, math.inf, 6.0)).I / 0.01,
                                     rel=1e-9)


def test_lossy_lattice_bound_state_is_the_closed_condition():
    """App. D (erratum anglin:appD-bound-state): at Lambda = tau1 = 1, V = 0, M = 0 a bound state exists for
    gamma > 4 at omega = -2i sinh(arccosh(gamma/4)), with k_L = k_R (Im k > 0), e^{ik} decaying."""
    g = 5.0
    (b,) = tunnelkit.bound_states(tunnelkit.LossyLattice(M=0, tau1=1.0, gamma=g, Lambda=1.0), seeds=8)
    assert b.omega == pytest.approx(-2j * math.sinh(math.acosh(g / 4)), abs=1e-12)
    assert b.kL == pytest.approx(b.kR, abs=1e-12) and b.kL.imag > 0
    assert -2 * np.cos(b.kL) == pytest.approx(b.omega, abs=1e-12)  # omega = -2 Lambda cos k_L at V = 0


@pytest.mark.parametrize("bad", ["examples/models/lossy_dot.toml", 3.0, {"M": 2}])
def test_transmission_of_anything_else_names_what_it_takes(bad):
    with pytest.raises(TypeError, match=r"tunnelkit\.Model or a tunnelkit\.LossyLattice") as info:
        tunnelkit.transmission(bad, [0.0])
    if isinstance(bad, str):
        assert "Model.from_file(path)" in str(info.value)


def test_evaluate_reads_a_string_as_one_quantity():
    model, w = DOT.with_params(VALUES), [0.1, 0.3]
    one = model.evaluate("T2:L->R", w)
    assert set(one) == {"omega", "T2:L->R"}
    np.testing.assert_allclose(one["T2:L->R"], _breit_wigner(np.array(w))["T2"], rtol=1e-12)
    both = model.evaluate(("T2:L->R", "R2:L"), w)
    np.testing.assert_allclose(both["R2:L"], _breit_wigner(np.array(w))["R2"], rtol=1e-12)


@pytest.mark.parametrize("bad", [3, ["T2:L->R", 1], None])
def test_evaluate_of_a_wrong_type_names_what_is_expected(bad):
    with pytest.raises(TypeError, match="expected a quantity name"):
        DOT.with_params(VALUES).evaluate(bad, [0.1])


# -- 3. how results show
def test_model_repr_is_one_line_and_its_tables_show_values_and_escape_the_file_text():
    m = DOT.with_params(eps="0.3")
    line = repr(m)
    assert "\n" not in line and len(line) < 200
    assert "eps=0.3" in line and "gamma=symbolic" in line and "leads L, R" in line
    page = m._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "symbolic" in page and "-tau" in page
    md = m._repr_markdown_()
    assert "<script>" not in md and "| eps | 0.3 |" in md


def test_transmission_shows_a_short_table_with_null_and_an_ellipsis():
    w = np.linspace(-3, 1.9, 30)  # below -2 the leads have no propagating mode: R2 is null
    tr = DOT.with_params(VALUES).transmission(w)
    line = repr(tr)
    assert line.startswith("Transmission(30 frequencies") and "\n" not in line and len(line) < 200
    page = tr._repr_html_()
    assert page.count("<tr>") == 1 + 2 * 5 + 1  # header, first and last five, one row of ...
    assert "…" in page and "null" in page and "T2:L-&gt;R" in page
    md = tr._repr_markdown_()
    assert "| … |" in md and md.count("\n| ") == 1 + 11


def test_currents_repr_and_table():
    c = DOT.with_params(VALUES).current({"L": {"mu": 0.5}})
    assert repr(c).startswith("Currents(I {L: ") and "loss" in repr(c) and len(repr(c)) < 200
    assert "I:L" in c._repr_html_() and "| loss |" in c._repr_markdown_()


def _erratum() -> Outcome:
    return Outcome("fano:3", True, CheckResult("erratum", "sympy: cancel", "at x = 1: printed 2, derived 1",
                                               r"|T|^2 = \frac{1}{2}"), 0.0, printed=r"|T|^2 < 1")


def test_outcome_and_check_result_show_status_method_and_both_latex_forms():
    o = _erratum()
    assert repr(o) == "Outcome('fano:3': erratum, by 'sympy: cancel')"
    assert repr(o.result) == "CheckResult(erratum, by 'sympy: cancel')"
    for page in (o._repr_html_(), o._repr_markdown_()):
        assert r"$\vert T\vert ^2 = \frac{1}{2}$" in page  # corrected
        assert r"$\vert T\vert ^2 &lt; 1$" in page  # printed, escaped
        assert "erratum" in page and "sympy: cancel" in page
    assert r"\frac{1}{2}" in o.result._repr_html_()


def test_report_table_of_outcomes_and_of_a_verified_paper():
    ok = Outcome("fano:1", True, CheckResult("verified", "direct solve", "-"), 0.0, printed="T = 1")
    table = tunnelkit.report_table([ok, _erratum()])
    assert len(table) == 2 and table[1].id == "fano:3"
    assert repr(table) == "OutcomeTable(2 equations: 1 verified, 1 erratum, 0 unverifiable.)"
    assert "fano:1" in table._repr_html_() and "fano:3" in table._repr_markdown_()
    paper = tunnelkit.load_paper("examples/papers/fano.toml")
    titled = tunnelkit.report_table((paper, [ok]))
    assert titled.title and titled.title in repr(titled)


def test_frames():
    pd = pytest.importorskip("pandas")
    w = np.array([0.1, 0.3])
    tr = DOT.with_params(VALUES).transmission(w)
    df = tr.to_dataframe()
    assert df.index.name == "omega" and list(df.columns) == ["T2:L->R", "T2:R->L", "R2:L", "R2:R", "absorbed:L",
                                                              "absorbed:R"]
    np.testing.assert_array_equal(df["R2:L"].to_numpy(), tr.R2["L"])  # the same numbers, moved
    c = DOT.with_params(VALUES).current({"L": {"mu": 0.5}})
    row = c.to_dataframe()
    assert list(row.columns) == ["I:L", "I:R", "loss", "error_estimate"] and row["loss"][0] == c.loss
    table = tunnelkit.report_table([_erratum()]).to_dataframe()
    assert table.loc["fano:3", "status"] == "erratum"
    assert isinstance(df, pd.DataFrame)


def test_frames_without_pandas_name_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas -> ImportError
    with pytest.raises(ImportError, match=r"tunnelkit\[frames\]"):
        DOT.with_params(VALUES).transmission([0.1]).to_dataframe()


# -- 3b. results saved as JSON
def _awkward() -> Transmission:
    """Doubles whose shortest decimal is long, the smallest subnormal, a null."""
    w = np.array([0.1 + 0.2, 1 / 3, 5e-324])
    col = lambda *x: np.array(x, dtype=float)  # noqa: E731
    return Transmission(w, ("L", "R"), {"L->R": col(np.nextafter(0.5, 1), 2 / 3, 0.0), "R->L": col(0.1, 0.2, 0.3)},
                        {"L": col(math.nan, 1e-300, 0.7), "R": col(0.25, 0.5, 0.75)},
                        {"L": col(math.nan, 0.0, 1e-17), "R": col(0.0, 0.0, 0.0)}, "direct")


def _bits(a) -> list:
    return np.asarray(a, dtype=float).view(np.uint64).tolist()


def test_doubles_round_trip_bit_for_bit(tmp_path):
    tr = _awkward()
    tr.save(tmp_path / "t.json")
    back = Transmission.load(tmp_path / "t.json")
    assert back.method == "direct" and back.leads == ("L", "R") and back.dps is None
    assert _bits(back.omega) == _bits(tr.omega)
    for a, b in ((tr.T2, back.T2), (tr.R2, back.R2), (tr.absorbed, back.absorbed)):
        assert a.keys() == b.keys() and all(_bits(a[k]) == _bits(b[k]) for k in a)  # NaN included
    assert json.loads((tmp_path / "t.json").read_text())["R2"]["L"][0] is None


def test_dps_results_round_trip_as_their_decimals(tmp_path):
    tr = DOT.with_params(VALUES).transmission(["0.1", "-3"], dps=25)
    tr = Transmission(tr.omega, tr.leads, dict(tr.T2, **{"R->L": np.array([Unsettled("not stable"), tr.T2["R->L"][1]],
                                                                         dtype=object)}), tr.R2, tr.absorbed, tr.method,
                      tr.dps)
    tr.save(tmp_path / "a.json")
    back = Transmission.load(tmp_path / "a.json")
    back.save(tmp_path / "b.json")
    assert (tmp_path / "a.json").read_text() == (tmp_path / "b.json").read_text()
    data = json.loads((tmp_path / "a.json").read_text())
    assert data["dps"] == 25 and data["T2"]["R->L"][0] == {"unsettled": "not stable"}
    assert data["R2"]["L"][1] is None  # -3 is off the band: null
    # the digits are those of the exact value (Breit-Wigner at 40 digits, exact rational parameters)
    with mpmath.workdps(40):
        w, eps, gamma, tau = (mpmath.mpf(1) / 10, mpmath.mpf(3) / 10, mpmath.mpf(2) / 10, mpmath.mpf(1) / 2)
        Gamma = tau**2 * mpmath.sqrt(4 - w**2)
        G = 1 / (w - eps + 1j * gamma / 2 - tau**2 * (w - 1j * mpmath.sqrt(4 - w**2)))
        assert data["T2"]["L->R"][0] == mpmath.nstr(Gamma**2 * abs(G) ** 2, 25, strip_zeros=False)
    assert isinstance(back.T2["R->L"][0], Unsettled) and back.dps == 25


def test_currents_round_trip(tmp_path):
    c = Currents({"L": 0.1 + 0.2, "R": -1 / 3}, 5e-324, 1e-17)
    c.save(tmp_path / "c.json")
    back = Currents.load(tmp_path / "c.json")
    assert _bits(list(back.I.values())) == _bits([0.1 + 0.2, -1 / 3]) and _bits([back.loss]) == _bits([5e-324])


def test_a_bad_result_file_names_every_problem(tmp_path):
    good = _awkward().to_json()
    data = {"format": "tunnelkit.Transmission", "version": 1, "method": "guess", "dps": None, **good}
    data["T2"]["L->R"] = [0.1, "x"]  # a string and one value short
    data["R2"]["R"][1] = "0.5"
    data["absorbed"] = {"L": [0, 0, 0]}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ResultFileError) as info:
        Transmission.load(path)
    msg = str(info.value)
    assert msg.startswith(f"{path}: ") and "\n" not in msg
    for key in ("method: expected one of closed, direct", "T2.L->R: expected a list of 3 values", "R2.R[1]: expected a number or null",
                "absorbed: expected an object with the keys L, R"):
        assert key in msg, key


@pytest.mark.parametrize("text, says", [
    ("[1, 2]", 'with "format": "tunnelkit.Transmission"'),
    ('{"format": "tunnelkit.Transmission", "version": 1, "omega": [NaN]}', "not JSON"),
    ("[" * 100000 + "]" * 100000, "nested too deeply"),
    ('{"format": "tunnelkit.Transmission", "version": 2}', "version: expected 1"),
])
def test_a_result_file_that_is_not_one_is_refused(tmp_path, text, says):
    path = tmp_path / "x.json"
    path.write_text(text)
    with pytest.raises(ResultFileError, match=says):
        Transmission.load(path)


def test_a_result_file_too_large_is_refused_before_reading(tmp_path, monkeypatch):
    import tunnelkit.models.model_results as results

    monkeypatch.setattr(results, "RESULT_FILE_MAX_BYTES", 100)
    path = tmp_path / "t.json"
    _awkward().save(path)
    with pytest.raises(ResultFileError, match="at most 100 bytes"):
        Transmission.load(path)


# -- 4. progress when asked for
class _Bar:
    calls: list = []

    def __init__(self, iterable=None, total=None, desc=None, **kw):
        _Bar.calls.append((total, desc))
        self.iterable = iterable

    def __iter__(self):
        return iter(self.iterable)


@pytest.fixture
def bar(monkeypatch):
    import tqdm.auto

    _Bar.calls = []
    monkeypatch.setattr(tqdm.auto, "tqdm", _Bar)
    return _Bar.calls


def test_progress_true_draws_a_tqdm_auto_bar_and_the_default_none(bar):
    from concurrent.futures import ThreadPoolExecutor

    from numeric.papers.anglin.dynamics import FiniteLattice

    lat = FiniteLattice(M=1, tau1=0.3, gamma=0.5, N=4)
    quiet = tunnelkit.evolve(lat, 2, [0.0, 1.0])
    assert bar == []
    loud = tunnelkit.evolve(lat, 2, [0.0, 1.0], progress=True)
    assert bar == [(1, "evolve: decomposition"), (2, "evolve")]
    np.testing.assert_allclose(loud.dN_half, quiet.dN_half, rtol=0, atol=1e-14)
    out = tunnelkit.sweep("transmission", [dict(M=1, tau1=0.3, gamma=g, Lambda=1.0, omega=[0.1]) for g in (0.0, 1.0)],
                          executor=ThreadPoolExecutor(2), progress=True)
    assert len(out) == 2 and bar[-1] == (2, "transmission")
    tunnelkit.verify(ids=["anglin:25"], use_cache=False, progress=True)
    assert bar[-1] == (1, "verify")
    tunnelkit.verify_paper("examples/papers/fano.toml", use_cache=False, progress=True)
    assert bar[-1][1] == "fano.toml" and bar[-1][0] == len(tunnelkit.load_paper("examples/papers/fano.toml").equations)
    DOT.with_params(VALUES).current({"L": {"mu": "0.5"}}, dps=5, progress=True)
    assert bar[-1] == (2, "current")
    with pytest.raises(TypeError, match="progress: expected True, False, None"):
        tunnelkit.evolve(lat, 2, [0.0], progress="yes")


def test_with_params_takes_the_constants_the_command_line_takes():
    """``--param eps=pi/8`` worked but ``Model.with_params(eps="pi/8")`` was refused.  The lossy level between two
    chains (hopping -1), by hand: T2 = tau^4 (4 - w^2) / ((w - eps - tau^2 w)^2 + (tau^2 sqrt(4 - w^2) + gamma/2)^2)."""
    import mpmath

    from tunnelkit.models.model import Model, ModelError

    m = Model.from_file("examples/models/lossy_dot.toml").with_params(eps="pi/8", gamma="0.1", tau="sqrt(2)/2")
    got = m.transmission(["0.3"], dps=30).T2["L->R"][0]
    with mpmath.workdps(60):
        w, eps, g, tau = mpmath.mpf(3) / 10, mpmath.pi / 8, mpmath.mpf(1) / 10, mpmath.sqrt(2) / 2
        hand = tau**4 * (4 - w**2) / ((w - eps - tau**2 * w) ** 2 + (tau**2 * mpmath.sqrt(4 - w**2) + g / 2) ** 2)
        assert abs(got - hand) < mpmath.mpf(10) ** -29 * hand
    with pytest.raises(ModelError, match="the imaginary unit is I"):
        Model.from_file("examples/models/lossy_dot.toml").with_params(eps="2*i")
