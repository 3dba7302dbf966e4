"""Fock-space route for field Hamiltonians: split fields as sparse matrices on a small grid.

Every species :math:`s` lives on ``n`` grid points with canonical modes
:math:`c_{s,a}` (:func:`numeric.fields.fock.fock_space`: Jordan-Wigner for fermions,
bosons with a cap on the total number; in a Bose-Fermi mixture the string runs
over the fermion modes only).  The field and its two parts are

.. math::

    \\hat\\psi_s(x) = \\sum_a U^{(s)}_{xa}c_{s,a},\\qquad
    \\hat\\psi_{s,L}(x) = \\sum_a A^{(s)}_{xa}c_{s,a},\\qquad
    \\hat\\psi_{s,R}(x) = \\hat\\psi_s(x) - \\hat\\psi_{s,L}(x),

with :math:`U^{(s)}` unitary.  The *orthogonal* split takes :math:`A` = the
first ``n_left`` columns of :math:`U` (L modes :math:`a<n_L`, R modes the
rest), so that :math:`N_{s,L}=\\sum_{a<n_L}c^\\dagger_{s,a}c_{s,a}` counts the
L particles; the *oblique* split takes a random :math:`A`, and then the
coincident-point contractions are

.. math::

    \\delta_{s,L}(x) = \\sum_a|A_{xa}|^2,\\quad \\delta_{s,R}(x) = \\sum_a|U_{xa}-A_{xa}|^2,\\quad
    K_s(x) = [\\hat\\psi_{s,L}(x), \\hat\\psi^\\dagger_{s,R}(x)]_\\mp = \\sum_a A_{xa}\\overline{(U-A)_{xa}}.

A one-body part :math:`\\hat X_s` is a Hermitian ``n x n`` matrix acting on
the grid index: :math:`(\\hat X_s\\hat\\psi_{s,i})(x) = \\sum_y X_{xy}\\hat\\psi_{s,i}(y)`.
An operator term is ``(coefficients over x, fields)``, each field a tuple
``(part or None, species, side "L"/"R" or None for the whole field, dagger)``,
and means :math:`\\sum_x c(x)\\,\\phi_1(x)\\cdots\\phi_n(x)`.  Nothing here knows
the symbolic split it is used to check.

>>> g = FieldGrid.random("fermion", ("up", "dn"), ("h",), n_points=2, n_left=1, seed=1)
>>> g.fock.dim, round(float(np.abs(g.contractions()[("K", "up")]).max()), 12)
(16, 0.0)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Sequence

import numpy as np
import scipy.sparse as sps
import scipy.sparse.linalg as spla

from numeric.fields.fock import FockSpace, fock_space

__all__ = ["FieldGrid", "rel_diff", "transfer_of"]

Op = tuple  # (part | None, species, side | None, dagger)


def rel_diff(A, B, columns: np.ndarray | None = None) -> float:
    """Frobenius distance relative to the larger norm (optionally on some columns only)."""
    A, B = sps.csr_matrix(A), sps.csr_matrix(B)
    if columns is not None:
        A, B = A[:, columns], B[:, columns]
    scale = max(spla.norm(A), spla.norm(B), 1e-300)
    return float(spla.norm(A - B) / scale)


def transfer_of(occupation: np.ndarray, T: sps.spmatrix) -> tuple[float, float]:
    """``(t, residual)`` with :math:`[N, T] \\approx tT` by least squares, ``N`` diagonal with ``occupation``.

    :math:`[N, T]_{ij} = (n_i - n_j)T_{ij}`; ``t`` is its projection on ``T``, the
    residual the relative size of the rest (zero iff ``T`` changes ``N`` by exactly ``t``).
    """
    C = sps.coo_matrix(T)
    step = (occupation[C.row] - occupation[C.col]).astype(float)
    w = np.abs(C.data) ** 2
    if w.sum() == 0:
        return 0.0, 0.0
    t = float((step * w).sum() / w.sum())
    return t, float(np.sqrt((w * (step - t) ** 2).sum() / w.sum()) / max(abs(t), 1.0))


@dataclass
class FieldGrid:
    """Species on ``n`` points with a split of every field into L and R parts.

    Parameters
    ----------
    statistics : {"fermion", "boson"} or tuple of (species, statistics) pairs
        One statistics for all species, or one per species (a Bose-Fermi mixture: the
        Jordan-Wigner string of a fermion runs over the fermion modes only).
    species : tuple of str
    U : dict
        Species -> unitary ``n x n``: :math:`\\psi_s(x)=\\sum_a U_{xa}c_{s,a}`.
    A : dict
        Species -> ``n x n``: :math:`\\psi_{s,L}(x)=\\sum_a A_{xa}c_{s,a}`.
    one_body : dict
        ``(part, species)`` -> Hermitian ``n x n`` matrix.
    n_left : int or None
        Number of L modes of an orthogonal split (None: oblique, no number operators).
    n_max : int
        Bosons: cap on the total number.
    """

    statistics: object
    species: tuple
    U: dict
    A: dict
    one_body: dict
    n_left: int | None
    n_max: int = 4
    _fields: dict = field(default_factory=dict, repr=False)

    @classmethod
    def random(cls, statistics: object, species: Sequence[str], parts: Sequence[str], *, n_points: int = 2,
               n_left: int = 1, oblique: bool = False, n_max: int = 4, seed: int = 0) -> "FieldGrid":
        """Random unitaries per species, random Hermitian one-body parts, orthogonal or oblique split."""
        rng = np.random.default_rng(seed)
        n = n_points

        def cmat():
            return rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
        U = {s: np.linalg.qr(cmat())[0] for s in species}
        if oblique:
            A = {s: 0.5 * U[s] + 0.3 * cmat() for s in species}
        else:
            A = {s: np.where(np.arange(n)[None, :] < n_left, U[s], 0) for s in species}
        one = {}
        for p in parts:
            for s in species:
                X = cmat()
                one[(p, s)] = (X + X.conj().T) / 2
        return cls(statistics, tuple(species), U, A, one, None if oblique else n_left, n_max)

    @property
    def n(self) -> int:
        return next(iter(self.U.values())).shape[0]

    @cached_property
    def kinds(self) -> dict:
        """Species -> ``"fermion"`` or ``"boson"``."""
        if isinstance(self.statistics, str):
            return {s: self.statistics for s in self.species}
        return dict(self.statistics)

    @cached_property
    def fock(self) -> FockSpace:
        modes = [("fermi" if self.kinds[s] == "fermion" else "bose") for s in self.species for _ in range(self.n)]
        stats = modes[0] if len(set(modes)) == 1 else modes
        return fock_space(len(modes), stats, n_max=self.n_max)  # type: ignore[arg-type]

    def _mode(self, s: str, a: int) -> int:
        return self.species.index(s) * self.n + a

    def coefficients(self, s: str, side: str | None) -> np.ndarray:
        """``n x n`` mode coefficients of the field part (``None``: the whole field)."""
        return {None: self.U[s], "L": self.A[s], "R": self.U[s] - self.A[s]}[side]

    def field(self, s: str, side: str | None, x: int) -> sps.csr_matrix:
        """:math:`\\hat\\psi_{s,side}(x)` (annihilator)."""
        key = ("field", s, side, x)
        if key not in self._fields:
            coef = self.coefficients(s, side)[x]
            M = sps.csr_matrix((self.fock.dim, self.fock.dim), dtype=complex)
            for a in range(self.n):
                if coef[a] != 0:
                    M = M + coef[a] * self.fock.a[self._mode(s, a)]
            self._fields[key] = M.tocsr()
        return self._fields[key]

    def _op(self, op: Op, x: int) -> sps.csr_matrix:
        key = (op, x)
        if key not in self._fields:
            part, s, side, dagger = op
            if dagger:
                M = self._op((part, s, side, False), x).conj().T.tocsr()
            elif part is None:
                M = self.field(s, side, x)
            else:
                X = self.one_body[(part, s)]
                M = sum((X[x, y] * self.field(s, side, y) for y in range(self.n) if X[x, y] != 0),
                        sps.csr_matrix((self.fock.dim, self.fock.dim), dtype=complex)).tocsr()
            self._fields[key] = M
        return self._fields[key]

    def word(self, ops: Sequence[Op], x: int) -> sps.csr_matrix:
        """:math:`\\phi_1(x)\\cdots\\phi_n(x)` (the identity for an empty word; cached)."""
        key = (tuple(ops), x)
        if key not in self._fields:
            M = sps.identity(self.fock.dim, dtype=complex, format="csr")
            for op in ops:
                M = M @ self._op(op, x)
            self._fields[key] = M.tocsr()
        return self._fields[key]

    def operator(self, terms: Sequence[tuple[np.ndarray, Sequence[Op]]]) -> sps.csr_matrix:
        """:math:`\\sum_{\\rm terms}\\sum_x c(x)\\,\\phi_1(x)\\cdots\\phi_n(x)` (an empty word is the identity)."""
        dim = self.fock.dim
        out = sps.csr_matrix((dim, dim), dtype=complex)
        for coef, ops in terms:
            coef = np.broadcast_to(np.asarray(coef, dtype=complex), (self.n,))
            for x in range(self.n):
                if coef[x] != 0:
                    out = out + coef[x] * self.word(ops, x)
        return out.tocsr()

    def contractions(self) -> dict:
        """``("delta", s, side)`` and ``("K", s)`` -> values at every point (see the module docstring)."""
        out = {}
        for s in self.species:
            L, R = self.coefficients(s, "L"), self.coefficients(s, "R")
            out[("delta", s, "L")] = (np.abs(L) ** 2).sum(axis=1)
            out[("delta", s, "R")] = (np.abs(R) ** 2).sum(axis=1)
            out[("K", s)] = (L * R.conj()).sum(axis=1)
        return out

    def without(self, side: str) -> "FieldGrid":
        """The same grid with one part of every field set to zero (``psi = psi_L`` or ``psi = psi_R``)."""
        if side not in ("L", "R"):
            raise ValueError(f"side must be 'L' or 'R' (got {side!r})")
        A = {s: (self.A[s] if side == "R" else np.zeros_like(self.A[s])) for s in self.species}
        U = {s: (self.A[s] if side == "R" else self.U[s] - self.A[s]) for s in self.species}
        return FieldGrid(self.statistics, self.species, U, A, self.one_body, self.n_left, self.n_max)

    # ------------------------------------------------------------- numbers (orthogonal split)
    @cached_property
    def side_occupations(self) -> dict:
        """``(species, side)`` -> occupation of that side's modes in every basis state."""
        if self.n_left is None:
            raise ValueError("number operators need the orthogonal split (n_left)")
        occ = self.fock.occupations
        out = {}
        for s in self.species:
            k = self.species.index(s) * self.n
            out[(s, "L")] = occ[:, k:k + self.n_left].sum(axis=1)
            out[(s, "R")] = occ[:, k + self.n_left:k + self.n].sum(axis=1)
        return out

    def number(self, s: str, side: str) -> sps.csr_matrix:
        """:math:`N_{s,side}` (diagonal)."""
        return sps.diags(self.side_occupations[(s, side)].astype(complex), format="csr")

    def component(self, M: sps.spmatrix, change: dict) -> sps.csr_matrix:
        """The entries of ``M`` changing every ``N_{s,side}`` by ``change[(s, side)]`` (a mask, no algebra)."""
        C = sps.coo_matrix(M)
        keep = np.ones(C.nnz, dtype=bool)
        for key, occ in self.side_occupations.items():
            keep &= occ[C.row] - occ[C.col] == change.get(key, 0)
        return sps.csr_matrix((C.data[keep], (C.row[keep], C.col[keep])), shape=C.shape)

    def reliable_columns(self, creators: int) -> np.ndarray:
        """Basis states on which words with up to ``creators`` creators are exact (bosons: below the cap)."""
        bosons = [k for k, s in enumerate(self.species) if self.kinds[s] == "boson"]
        if not bosons:
            return np.arange(self.fock.dim)
        modes = [k * self.n + a for k in bosons for a in range(self.n)]
        total = self.fock.occupations[:, modes].sum(axis=1)
        return np.nonzero(total + creators <= self.n_max)[0]
