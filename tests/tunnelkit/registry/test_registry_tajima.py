"""Every registered tajima check runs, and the findings stay what the two routes established."""
import pytest

from tunnelkit.registry import load, ordered_ids, run_checks

EXPECTED = {
    "tajima:1": "verified", "tajima:2": "verified", "tajima:3": "verified",
    "tajima:4": "erratum",     # H_1r double counted, spin-exchange sign
    "tajima:5": "verified",
    "tajima:6": "erratum",     # H_1r already inside H_L + H_R
    "tajima:7": "verified", "tajima:8": "verified",
    "tajima:9": "erratum",     # -g S+ S-
    "tajima:10": "verified", "tajima:11": "verified", "tajima:12": "verified", "tajima:13": "verified",
    "tajima:14": "erratum", "tajima:15": "erratum",   # amplitudes are single matrix elements
    "tajima:16": "verified",
    "tajima:17": "erratum",    # inherits the sign of 9
    "tajima:18": "erratum",    # sigma-bar
    "tajima:19": "verified",
    "tajima:22": "erratum",    # spin term sign
    "tajima:g-tilde": "verified",
    # issue 5: currents and the strong-coupling BEC limit
    "tajima:20": "verified", "tajima:21": "verified", "tajima:23": "verified", "tajima:24": "verified",
    "tajima:strong-coupling-ansatz": "erratum",   # sign of E_b in the exponent
    "tajima:Tc": "verified",
}


@pytest.fixture(scope="module")
def outcomes():
    load()
    return {o.id: o for o in run_checks([i for i in ordered_ids("tajima") if i in EXPECTED])}  # isolated session cache


def test_registered():
    assert not set(EXPECTED) - set(ordered_ids("tajima"))


@pytest.mark.parametrize("id_", sorted(EXPECTED))
def test_finding(outcomes, id_):
    o = outcomes[id_]
    assert o.ran, o.error
    assert o.result.status == EXPECTED[id_], o.result.detail
    if o.result.status == "erratum":
        assert o.result.corrected
    assert "+" in o.result.method  # every tajima verdict is reached by two routes
