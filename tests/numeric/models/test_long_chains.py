"""Long chains (M up to 1e5 and beyond): defined, flux-conserving and right, inside and outside the band.

Reference: the chain's Green's function from first principles -- a tridiagonal
(Thomas) solve in mpmath at 40 digits with the exact lead self-energies
-tau1^2 e^{ik_j}, probabilities by Fisher-Lee, absorption from |G_{0,end}|^2 --
written here, sharing nothing with the closed forms.
"""
import json

import mpmath
import numpy as np
import pytest

from tests.numeric.lattice_reference import model_fields
from tunnelkit.cli import main


def transmission(lat, w, *, dps=None):
    """The lattice's bundled model file (tunnelkit.models.lossy_lattice) at ``w``."""
    return model_fields(*lat, w, dps=dps)


def lattice(M, tau1, gamma, Lam, V=0):
    return (M, str(tau1), str(gamma), "inf" if Lam in (np.inf, "inf") else str(Lam), str(V))


def lead_bloch(x, Lam):
    """e^{ik}: root of l + 1/l = -x/Lambda, outgoing (Im > 0) in the band, decaying (|l| < 1) outside."""
    if Lam == mpmath.inf:
        return mpmath.mpc(0, 1)
    x = x / Lam
    r = mpmath.sqrt(mpmath.mpc(x * x - 4))
    r1, r2 = (-x + r) / 2, (-x - r) / 2
    if abs(x) < 2:
        return r1 if mpmath.im(r1) > 0 else r2
    return r1 if abs(r1) < 1 else r2


def chain_reference(M, tau1, gamma, Lam, V, omega, dps=None):
    """(T2, RL2, RR2, transport_L, transport_R) of the 2M+1-site chain, both leads propagating.

    ``dps``: mpmath at that precision; None: Python complex doubles (a Thomas sweep has no
    cancellation here; its round-off grows at most like N eps, N = 2M+1).
    """
    with mpmath.workdps(dps or 30):
        tau1, gamma, V, w = (mpmath.mpf(x) for x in (tau1, gamma, V, omega))
        Lam = mpmath.inf if Lam == "inf" else mpmath.mpf(Lam)
        sig = {s: -tau1**2 * lead_bloch(w - sgn * V / 2, Lam) for s, sgn in (("L", 1), ("R", -1))}
        num = mpmath.mpc if dps else complex
        sig = {s: num(v) for s, v in sig.items()}
        width = {s: -2 * v.imag for s, v in sig.items()}
        N = 2 * M + 1
        diag = [num(w)] * N
        diag[M] += 0.5j * num(gamma)
        diag[0] -= sig["L"]
        diag[-1] -= sig["R"]

        def column(j):  # (w - H - Sigma) x = e_j, unit off-diagonals (Thomas algorithm)
            cp, dp = [None] * N, [None] * N
            cp[0], dp[0] = 1 / diag[0], (1 if j == 0 else 0) / diag[0]
            for i in range(1, N):
                m = diag[i] - cp[i - 1]
                cp[i], dp[i] = 1 / m, ((1 if i == j else 0) - dp[i - 1]) / m
            x = [None] * N
            x[-1] = dp[-1]
            for i in range(N - 2, -1, -1):
                x[i] = dp[i] - cp[i] * x[i + 1]
            return x

        gL, gR = column(0), column(N - 1)
        gamma = num(gamma).real
        T2 = width["L"] * width["R"] * abs(gL[-1]) ** 2
        RL2 = abs(-1 + 1j * width["L"] * gL[0]) ** 2
        RR2 = abs(-1 + 1j * width["R"] * gR[-1]) ** 2
        aL = gamma * width["L"] * abs(gL[M]) ** 2  # absorbed: gamma |psi_0|^2 per incident flux
        aR = gamma * width["R"] * abs(gR[M]) ** 2
        return T2, RL2, RR2, 2 * T2 + aL, 2 * T2 + aR


def close(x, r, rtol) -> bool:
    """|x - r| <= rtol |r|, where r rounded to a double is nonzero; else x is that 0 (below the double range)."""
    return abs(x - r) <= rtol * abs(r) if float(r) != 0 else x == 0


FIELDS = ("T2", "RL2", "RR2", "transport_L", "transport_R")


@pytest.mark.parametrize("M", [800, 1024, 10**5])
@pytest.mark.parametrize("omega", [1.999, 0.3, -1.7, 2.0000001, -2.00001])
def test_long_chain_against_first_principles(M, omega):
    """In the band (real k) and just outside (|omega| > 2: the chain is evanescent, T2 ~ e^{-4 kappa M}).

    Reference at 40 digits up to M = 1024.  At M = 1e5 the reference runs in doubles: its
    sweep m_i = omega - 1/m_{i-1} has round-off growing like N eps in the band and like
    N eps / kappa next to the band edge (two nearby fixed points e^{+-kappa}); that bound,
    not ours, sets the tolerance there (the 40-digit check at M = 5000 is below).
    """
    lat = lattice(M, 0.5, 0.5, 2.0, 0.3)
    ref = chain_reference(M, 0.5, 0.5, 2, 0.3, omega, dps=40 if M < 10**4 else None)
    dbl = transmission(lat, [omega])
    N, eps = 2 * M + 1, np.finfo(float).eps
    kappa = np.arccosh(abs(omega) / 2) if abs(omega) > 2 else 1.0
    rtol = 1e-12 if M < 10**4 else 10 * N * eps / min(kappa, 1.0)
    for name, r in zip(FIELDS, ref):
        assert close(getattr(dbl, name)[0], r, rtol), (name, getattr(dbl, name)[0], r)


@pytest.mark.parametrize("omega", ["1.999", "2.0000001"])
def test_long_chain_dps_path_against_first_principles(omega):
    """30 digits right on a chain of 10001 sites, inside and outside the band."""
    lat = lattice(5000, "0.5", "0.5", 2, "0.3")
    ref = chain_reference(5000, "0.5", "0.5", 2, "0.3", omega, dps=45)
    mp = transmission(lat, [omega], dps=30)
    dbl = transmission(lat, [float(omega)])
    with mpmath.workdps(45):
        for name, r in zip(FIELDS, ref):
            assert abs(getattr(mp, name)[0] - r) <= mpmath.mpf(10) ** -29 * abs(r), name
    for name, r in zip(FIELDS, chain_reference(5000, 0.5, 0.5, 2, 0.3, float(omega), dps=40)):
        assert close(getattr(dbl, name)[0], r, 1e-12), name  # the double path at the double omega


_TOO_LONG = pytest.mark.xfail(strict=True, reason="M = 1e9 (the closed form on a short-segment stand-in for the "
                              "invariants): T2 + R2 = 1 - 1.05e-8 at the chain's exact band edges omega = +-2 (the "
                              "closed form cancels ~M eps there; the lattice route held 1e-12); elsewhere 4e-16")
_EDGE_FLUX = pytest.mark.xfail(strict=True, reason="M = 1e5, Lambda = 2: T2 + R2 = 1 - 3.4e-12 (1 + 4.5e-12) at "
                               "omega = +-1.999 on the general route (the lattice route held 1e-12)")


def _flux_cases():
    for Lam, V in ((2.0, 0.0), (2.0, 0.7), (np.inf, 0.0)):
        for M in (800, 1024, 10**5, 10**9):
            marks = [_TOO_LONG] if M == 10**9 else [_EDGE_FLUX] if (M == 10**5 and Lam == 2.0) else []
            yield pytest.param(M, Lam, V, marks=marks, id=f"{Lam}-{V}-{M}")


@pytest.mark.parametrize("M,Lam,V", list(_flux_cases()))
def test_flux_is_conserved_without_loss(M, Lam, V):
    """|T|^2 + |R_L|^2 = |T|^2 + |R_R|^2 = 1 at gamma = 0, inside and outside the chain band."""
    w = np.concatenate([np.linspace(-3.3, 3.3, 401), [1.999, -1.999, 2.0, -2.0, 2.0000001]])
    tr = transmission(lattice(M, 0.3, 0.0, Lam, V), w)
    both = tr.incident_L & tr.incident_R
    assert both.sum() > 300
    for R2 in (tr.RL2, tr.RR2):
        np.testing.assert_allclose((tr.T2 + R2)[both], 1.0, rtol=0, atol=1e-12)
        assert np.all(np.isfinite(R2[both]))
    assert np.all(tr.T2[np.abs(w) > 2.5] < 1e-300)  # evanescent through 2M+1 sites: below the double range


def test_reported_long_chain_commands(capsys):
    """`--M 800 --omega 1.999` printed null, `--M 1024` raised OverflowError."""
    for M in ("800", "1024", "100000"):
        assert main(["transmission", "--M", M, "--tau1", "0.1", "--gamma", "0.5", "--Lambda", "1", "--omega",
                     "1.999,0.5", "--json"]) == 0
        obj = json.loads(capsys.readouterr().out)
        ref = [chain_reference(int(M), 0.1, 0.5, 1, 0, w) for w in (1.999, 0.5)]
        for name, col in zip(FIELDS, zip(*ref)):
            for x, r in zip(obj[name], col):
                assert x is not None and close(x, r, 1e-9), (M, name, x, r)


@pytest.mark.parametrize("Lam", ["1", "inf"])
def test_resonances_next_to_the_band_edge_of_a_long_chain(Lam):
    """M = 1000 at omega = -2 cos(2000 pi/2002), 1e-12 either side, and the next resonance (T2 ~ 1e-19 / 4e-14).

    Reference: the 40-digit Thomas solve above at the double omega (a route sharing nothing with the closed
    forms).  The lattice's double route holds ~1e-15 here.  The model route (anglin_lattice.toml, closed form)
    had 8.7e-8 (Lambda = 1) and 8.8e-10 (inf): its continuants came from the three-term recursion, whose
    error grows like N eps / sin(theta) next to a band edge; from the edge angle 2.2e-11 and 3.1e-13 (the
    phase (N+1) theta rounded); from the chain trigonometry of numeric.models.chebyshev (the phase reduced at the
    nearest multiple of pi/2N with double-double roots: each continuant relative-accurate) what is left
    is the kernel's combinations of the continuants (measured 6.9e-13 and 1.5e-13), the bound tested here.
    """
    from tunnelkit.models.model import Model

    M = 1000
    with mpmath.workdps(40):
        w0, w1 = (float(-2 * mpmath.cos(j * mpmath.pi / 2002)) for j in (2000, 2001))
    ws = [w0, w0 + 1e-12, w0 - 1e-12, w1, w1 + 1e-12]
    ref = [chain_reference(M, "0.1", "0.5", Lam, "0", w, dps=40)[0] for w in ws]
    model = Model.from_file("examples/models/anglin_lattice.toml").with_params(tau1="0.1", gamma="0.5", Lambda=Lam,
                                                                               V=0, M=M)
    closed = model.transmission(np.array(ws), method="closed").T2["L->R"]
    bound = 2e-12 if Lam == "1" else 2.5e-13
    for w, r, b in zip(ws, ref, closed):
        assert close(b, r, bound), (w, b, r)
