"""--dps settles any value however small: next to and at a Fano antiresonance, and per value when it cannot.

Reference: exact SymPy arithmetic of the Fano dot (examples/models/fano_dot.toml) written out by hand --
site a between two leads of hopping -1 (self-energy each g = (w - i sqrt(4 - w^2))/2, width
Gamma = sqrt(4 - w^2)), the dot d at eps - i gamma/2 hanging from a by -t_d:

    G_aa = 1 / (w - 2 g - t_d^2 / (w - eps + i gamma/2)),   T2 = Gamma^2 |G_aa|^2,

so at gamma = 0 the transmission vanishes exactly at w = eps (the antiresonance) and grows like
(w - eps)^2 next to it.  Parameters and frequencies are exact rationals; evalf(100).
"""
import json
from pathlib import Path

import mpmath
import pytest

sp = pytest.importorskip("sympy")

from tunnelkit.cli import main  # noqa: E402
from tunnelkit.models.model import Model  # noqa: E402

FANO = Path(__file__).resolve().parents[2] / "examples" / "models" / "fano_dot.toml"
EPS, T_D = sp.Rational(3, 10), sp.Rational(1, 2)


def exact_T2(w):
    """T2 of the Fano dot at gamma = 0 and exact rational w inside the band (|w| < 2)."""
    root = sp.sqrt(4 - w**2)
    g = (w - sp.I * root) / 2
    G = 1 / (w - 2 * g - T_D**2 / (w - EPS))
    return sp.expand(sp.Abs(root * G) ** 2)


def right_digits(printed: str, ref, digits: int) -> bool:
    """Every one of the ``digits`` printed significant digits right: within half a unit of the last place."""
    with mpmath.workdps(120):
        r = mpmath.mpf(str(sp.N(ref, 110)))
        ulp = mpmath.mpf(10) ** (mpmath.floor(mpmath.log10(abs(r))) - digits + 1)
        return abs(mpmath.mpf(printed) - r) <= ulp / 2 * (1 + mpmath.mpf(10) ** -6)


@pytest.mark.parametrize("digits", [30, 60])
def test_transmission_next_to_the_fano_antiresonance_has_every_digit(digits, capsys):
    """1e-10 and 1e-20 from the antiresonance (T2 ~ 6e-19, 6e-39): refused before ("did not settle ... 15 guard
    digits", the whole batch); now every printed digit is right, and at the antiresonance itself T2 is 0."""
    offsets = ["0.3000000001", "0.2999999999", "0.30000000000000000001", "0.29999999999999999999"]
    args = ["transmission", "--model", str(FANO), "--param", "eps=0.3", "--param", "gamma=0", "--param",
            "t_d=0.5", "--omega", ",".join(["0.3"] + offsets), "--dps", str(digits), "--json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    column = out["T2"]["L->R"]
    assert column[0] == "0"  # exact input at the exact antiresonance: exactly 0
    for text, printed in zip(offsets, column[1:]):
        ref = exact_T2(sp.Rational(text))
        assert 0 < ref < sp.Rational(1, 10**18)
        assert right_digits(printed, ref, digits), (text, printed, sp.N(ref, digits + 5))


def test_both_model_routes_settle_a_tiny_value():
    """The direct solver (another route to the same number) gets the same 30 digits at 1e-20 from the antiresonance."""
    m = Model.from_file(FANO).with_params(eps="0.3", gamma="0", t_d="0.5")
    w = "0.30000000000000000001"
    ref = exact_T2(sp.Rational(w))
    for method in ("closed", "direct"):
        got = m.evaluate(["T2:L->R"], [w], dps=30, method=method)["T2:L->R"][0]
        with mpmath.workdps(60):
            assert right_digits(mpmath.nstr(got, 30), ref, 30), method


def test_a_value_that_cannot_settle_is_named_and_the_others_are_printed(monkeypatch, capsys):
    """A cost limit too low for T2 ~ 6e-31 (monkeypatched): that value is null and named on stderr with its
    frequency, the others of the batch (the exact 0 and T2 = 12/17 at w = 1/2) are printed, exit status 1."""
    import numeric.precision as precision

    monkeypatch.setattr(precision, "dps_cost_limit", lambda d: d + 40)
    args = ["transmission", "--model", str(FANO), "--param", "eps=0.3", "--param", "gamma=0", "--param",
            "t_d=0.5", "--omega", "0.3,0.3000000000000001,0.5", "--dps", "30", "--json"]
    assert main(args) == 1
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert out["T2"]["L->R"][0] == "0" and out["T2"]["L->R"][1] is None
    assert right_digits(out["T2"]["L->R"][2], exact_T2(sp.Rational(1, 2)), 30)
    assert right_digits(out["R2"]["L"][1], 1 - exact_T2(sp.Rational("0.3000000000000001")), 30)
    lines = captured.err.strip().splitlines()
    assert lines and all("omega=0.3000000000000001" in line and "T2:" in line for line in lines)
    assert {line.split(": ")[2] for line in lines} == {"T2:L->R", "T2:R->L"}


def test_the_lattice_names_an_unsettled_value_too(monkeypatch, capsys):
    """The built-in lattice's --dps path (its bundled model): same mechanism (forced by a low cost limit), named,
    exit 1."""
    import numeric.precision as precision

    monkeypatch.setattr(precision, "dps_cost_limit", lambda d: d + 1)
    code = main(["transmission", "--M", "2", "--tau1", "0.1", "--gamma", "0.5", "--Lambda", "1", "--omega",
                 "0.3", "--dps", "20", "--json"])
    captured = capsys.readouterr()
    assert code == 1 and "omega=0.3" in captured.err
    assert None in json.loads(captured.out)["T2"]
