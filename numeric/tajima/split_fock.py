"""Fock-space (Jordan-Wigner) realisation of the split-field Hamiltonian of tajima Eqs. (1)-(10), (19), (22).

A grid of ``n`` points carries spin-1/2 fermions.  The single-particle space
of each spin, :math:`\\mathbb C^n`, is split by a unitary ``U`` into ``n_L``
left modes and ``n - n_L`` right modes, so that

.. math::

    \\hat\\psi_{\\sigma,L}(x) = \\sum_{a<n_L} U_{xa}\\,c_{\\sigma a},\\qquad
    \\hat\\psi_{\\sigma,R}(x) = \\sum_{a\\ge n_L} U_{xa}\\,c_{\\sigma a}

with canonical :math:`c` (an orthogonal split, :math:`K_{LR}=0`).  All
operators are dense matrices on the :math:`4^n`-dimensional Fock space of
:func:`numeric.fock.fock_space` (Jordan-Wigner strings).  Terms are *classified by charge*: an operator
component with definite changes of :math:`(N_{\\uparrow L}, N_{\\uparrow R},
N_{\\downarrow L}, N_{\\downarrow R})` is read off the matrix, which is a
route independent of the symbolic word algebra of :mod:`derive.tajima.split_fields`.

>>> m = SplitModel.random(n=2, n_left=1, seed=1)
>>> H = m.hamiltonian()
>>> bool(np.allclose(H, H.conj().T))
True
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from numeric.fock import FockSpace, fock_space

__all__ = ["SplitModel", "ring_momentum_check"]

SPINS = ("up", "dn")


@dataclass
class SplitModel:
    """Spin-1/2 fermions on ``n`` grid points with an L/R mode split.

    ``T``, ``V`` are per-spin Hermitian ``n x n`` matrices (kinetic and barrier
    parts of :math:`\\hat h_\\sigma`, tajima:2), ``g`` the contact coupling.
    """

    n: int
    n_left: int
    U: np.ndarray
    T: dict
    V: dict
    g: float

    @classmethod
    def random(cls, *, n: int = 3, n_left: int = 1, seed: int = 0) -> "SplitModel":
        rng = np.random.default_rng(seed)
        U = np.linalg.qr(rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n)))[0]
        lap = 2 * np.eye(n) - np.eye(n, k=1) - np.eye(n, k=-1)
        T = {s: lap / (2 * m) for s, m in zip(SPINS, rng.uniform(0.5, 2.0, 2))}
        V = {s: np.diag(rng.uniform(-1, 1, n)) for s in SPINS}
        return cls(n, n_left, U, T, V, float(rng.uniform(0.5, 2.0)))

    # ------------------------------------------------------------- modes and fields
    @cached_property
    def fock(self) -> FockSpace:
        """Jordan-Wigner Fock space of the ``2n`` modes: up modes then down modes."""
        return fock_space(2 * self.n, "fermi")

    @cached_property
    def c(self) -> dict:
        """Mode annihilators (dense) keyed (spin, a)."""
        ops = self.fock.dense()
        return {(s, a): ops[k * self.n + a] for k, s in enumerate(SPINS) for a in range(self.n)}

    def _side_modes(self, side: str) -> range:
        return range(self.n_left) if side == "L" else range(self.n_left, self.n)

    def field(self, s: str, side: str | None, x: int) -> np.ndarray:
        """:math:`\\psi_{\\sigma,side}(x)` (``side=None``: the full field)."""
        modes = range(self.n) if side is None else self._side_modes(side)
        return sum(self.U[x, a] * self.c[(s, a)] for a in modes)

    def one_body(self, s: str, i: str | None, X: np.ndarray, j: str | None) -> np.ndarray:
        """:math:`\\sum_{xy}\\psi^\\dagger_{\\sigma i}(x) X_{xy}\\psi_{\\sigma j}(y)`."""
        return sum(X[x, y] * self.field(s, i, x).conj().T @ self.field(s, j, y)
                   for x in range(self.n) for y in range(self.n) if X[x, y] != 0)

    def local(self, f) -> np.ndarray:
        """:math:`\\sum_x f(x)` for an operator-valued ``f``."""
        return sum(f(x) for x in range(self.n))

    # ------------------------------------------------------------- Hamiltonians
    def hamiltonian(self, only: str | None = None) -> np.ndarray:
        """tajima:1 on the grid (``only='L'``: with :math:`\\psi_R \\equiv 0`, i.e. the all-L words)."""
        one = sum(self.one_body(s, only, self.T[s] + self.V[s], only) for s in SPINS)

        def contact(x):
            u, d = self.field("up", only, x), self.field("dn", only, x)
            return u.conj().T @ d.conj().T @ d @ u
        return one + self.g * self.local(contact)

    def density(self, s: str, i: str, x: int) -> np.ndarray:
        f = self.field(s, i, x)
        return f.conj().T @ f

    def pair_creator(self, i: str, x: int) -> np.ndarray:
        return self.field("up", i, x).conj().T @ self.field("dn", i, x).conj().T

    def spin_plus(self, i: str, x: int) -> np.ndarray:
        return self.field("up", i, x).conj().T @ self.field("dn", i, x)

    def pair_transfer(self) -> np.ndarray:
        r""":math:`\sum_x P^\dagger_L(x)P_R(x)` (moves one up-down pair from R to L)."""
        return self.local(lambda x: self.pair_creator("L", x) @ self.pair_creator("R", x).conj().T)

    def spin_transfer(self) -> np.ndarray:
        r""":math:`\sum_x S^+_L(x)S^-_R(x)` (:math:`S^-_R = (S^+_R)^\dagger`)."""
        return self.local(lambda x: self.spin_plus("L", x) @ self.spin_plus("R", x).conj().T)

    def tunnel_one(self, s: str) -> np.ndarray:
        """:math:`\\sum\\psi^\\dagger_{\\sigma L}\\hat\\tau_\\sigma\\psi_{\\sigma R}` with :math:`\\hat\\tau = \\hat h + g\\sum_i N_{\\bar\\sigma i}`."""
        sb = "dn" if s == "up" else "up"
        inter = self.local(lambda x: self.field(s, "L", x).conj().T
                           @ (self.density(sb, "L", x) + self.density(sb, "R", x)) @ self.field(s, "R", x))
        return self.one_body(s, "L", self.T[s] + self.V[s], "R") + self.g * inter

    def printed_terms(self) -> dict[str, np.ndarray]:
        """tajima:5-10 as printed, on the grid."""
        t1 = sum(self.tunnel_one(s) for s in SPINS)
        P, S = self.pair_transfer(), self.spin_transfer()
        ind = self.local(lambda x: self.density("up", "L", x) @ self.density("dn", "R", x)
                         + self.density("dn", "L", x) @ self.density("up", "R", x))
        return {
            "L": self.hamiltonian("L"), "R": self.hamiltonian("R"),
            "1r": sum(self.one_body(s, i, self.V[s], i) for s in SPINS for i in ("L", "R")),
            "1t": t1 + t1.conj().T,
            "pair": self.g * (P + P.conj().T),
            "spin": self.g * (S + S.conj().T),
            "ind": self.g * ind,
        }

    # ------------------------------------------------------------- charges
    @cached_property
    def charges(self) -> np.ndarray:
        """Occupation counts (N_upL, N_upR, N_dnL, N_dnR) of every basis state."""
        occ = self.fock.occupations
        cols = []
        for k in range(2):
            block = occ[:, k * self.n:(k + 1) * self.n]
            cols += [block[:, :self.n_left].sum(axis=1), block[:, self.n_left:].sum(axis=1)]
        return np.stack(cols, axis=1)

    def component(self, X: np.ndarray, d: tuple[int, int, int, int]) -> np.ndarray:
        """The part of ``X`` changing the charges by ``d`` (a matrix mask, no algebra)."""
        diff = self.charges[:, None, :] - self.charges[None, :, :]
        mask = np.all(diff == np.asarray(d), axis=2)
        return np.where(mask, X, 0)

    def number(self, weights: dict) -> np.ndarray:
        """:math:`\\sum w_{\\sigma i} N_{\\sigma i}`, weights keyed (spin, side)."""
        return sum(w * sum(self.c[(s, a)].conj().T @ self.c[(s, a)] for a in self._side_modes(i))
                   for (s, i), w in weights.items())

    def classes(self) -> dict[str, np.ndarray]:
        """The true Hamiltonian split by charge class (tajima:4 read off the matrix)."""
        H = self.hamiltonian()
        comp = {k: sum(self.component(H, d) for d in ds) for k, ds in {
            "1t": [(1, -1, 0, 0), (-1, 1, 0, 0), (0, 0, 1, -1), (0, 0, -1, 1)],
            "pair": [(1, -1, 1, -1), (-1, 1, -1, 1)],
            "spin": [(1, -1, -1, 1), (-1, 1, 1, -1)],
        }.items()}
        HL, HR = self.hamiltonian("L"), self.hamiltonian("R")
        comp.update(L=HL, R=HR, ind=self.component(H, (0, 0, 0, 0)) - HL - HR)
        comp["total"] = H
        return comp

    def currents(self) -> dict[str, np.ndarray]:
        """:math:`i[N_L, H]` and :math:`i[N_{\\uparrow L}-N_{\\downarrow L}, H]` by matrix commutators."""
        H = self.hamiltonian()
        out = {}
        for name, w in (("I_M", {("up", "L"): 1, ("dn", "L"): 1}), ("I_S", {("up", "L"): 1, ("dn", "L"): -1})):
            N = self.number(w)
            out[name] = 1j * (N @ H - H @ N)
        return out

    def printed_currents(self) -> dict[str, np.ndarray]:
        """tajima:19 and 22 as printed (operator structure, g-tilde -> g), on the grid."""
        X = {s: self.tunnel_one(s) for s in SPINS}
        P, S = self.pair_transfer(), self.spin_transfer()
        one_M = sum(X[s] - X[s].conj().T for s in SPINS)
        one_S = (X["up"] - X["up"].conj().T) - (X["dn"] - X["dn"].conj().T)
        return {"I_M": 1j * one_M + 2j * self.g * (P - P.conj().T),
                "I_S": 1j * one_S + 2j * self.g * (S - S.conj().T)}


def rel_diff(A: np.ndarray, B: np.ndarray) -> float:
    """Frobenius distance relative to the larger norm."""
    scale = max(np.linalg.norm(A), np.linalg.norm(B), 1e-300)
    return float(np.linalg.norm(A - B) / scale)


def ring_momentum_check(n: int = 3, *, seed: int = 0) -> dict[str, float]:
    """Momentum-space forms (tajima:13, 16-18) against the real-space ones on a periodic ring.

    Sites :math:`x=0..n-1`, :math:`q = 2\\pi m/n`, Fourier components
    :math:`X_q = \\sum_x X(x)e^{iqx}` (the paper's convention), so that
    :math:`\\sum_x A(x)B(x) = n^{-1}\\sum_q A_q B_{-q}`.  Returns relative
    differences: ``contact`` (13: momentum-conserving form with 1/n against
    the real-space contact term), ``pair``, ``spin`` (16, 17 against 8, 9),
    ``ind_printed`` (18 as printed, :math:`N_{q\\sigma L}N_{-q\\sigma R}`,
    against 10) and ``ind_corrected`` (with :math:`\\bar\\sigma`).
    """
    m = SplitModel.random(n=n, n_left=max(1, n // 2), seed=seed)
    qs = 2 * np.pi * np.arange(n) / n
    ph = np.exp(1j * np.outer(qs, np.arange(n)))  # ph[q, x]

    def fourier(f, qi):  # X_q = sum_x X(x) e^{iqx}
        return sum(ph[qi, x] * f(x) for x in range(n))

    minus = [(-qi) % n for qi in range(n)]
    out = {}
    sb = {"up": "dn", "dn": "up"}
    real = {
        "pair": m.pair_transfer(),
        "spin": m.spin_transfer() + m.spin_transfer().conj().T,
        "ind": m.local(lambda x: sum(m.density(s, "L", x) @ m.density(sb[s], "R", x) for s in SPINS)),
    }
    mom = {
        "pair": sum(fourier(lambda x: m.pair_creator("L", x), qi)
                    @ fourier(lambda x: m.pair_creator("R", x).conj().T, minus[qi]) for qi in range(n)),
        "spin": sum(fourier(lambda x: m.spin_plus("L", x), qi) @ fourier(lambda x: m.spin_plus("R", x).conj().T, minus[qi])
                    + fourier(lambda x: m.spin_plus("R", x), minus[qi]) @ fourier(lambda x: m.spin_plus("L", x).conj().T, qi)
                    for qi in range(n)),
        "ind_printed": sum(fourier(lambda x, s=s: m.density(s, "L", x), qi) @ fourier(lambda x, s=s: m.density(s, "R", x), minus[qi])
                           for qi in range(n) for s in SPINS),
        "ind": sum(fourier(lambda x, s=s: m.density(s, "L", x), qi) @ fourier(lambda x, s=s: m.density(sb[s], "R", x), minus[qi])
                   for qi in range(n) for s in SPINS),
    }
    out["pair"] = rel_diff(mom["pair"] / n, real["pair"])
    out["spin"] = rel_diff(mom["spin"] / n, real["spin"])
    out["ind_printed"] = rel_diff(mom["ind_printed"] / n, real["ind"])
    out["ind_corrected"] = rel_diff(mom["ind"] / n, real["ind"])
    # (13): plane-wave modes on the ring, c_k = n^{-1/2} sum_x e^{-ikx} psi(x)
    c = {s: [sum(np.exp(-1j * qs[k] * x) * m.field(s, None, x) for x in range(n)) / np.sqrt(n) for k in range(n)]
         for s in SPINS}
    contact = m.local(lambda x: m.field("up", None, x).conj().T @ m.field("dn", None, x).conj().T
                      @ m.field("dn", None, x) @ m.field("up", None, x))
    mom13 = sum(c["up"][(k + q) % n].conj().T @ c["dn"][(-k) % n].conj().T @ c["dn"][(-kp) % n] @ c["up"][(kp + q) % n]
                for k in range(n) for kp in range(n) for q in range(n)) / n
    out["contact"] = rel_diff(mom13, contact)
    return out
