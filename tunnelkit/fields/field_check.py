"""The Fock-space route for a split field Hamiltonian: the symbolic split against matrices on a grid.

The symbolic split (:mod:`derive.fields.field_split`) is evaluated on the grid of
:class:`numeric.fields.field_fock.FieldGrid` -- couplings set to random numbers, the
contraction symbols ``K_s``, ``delta_s_i`` to their values at each point --
and compared with the *unsplit* Hamiltonian built directly from the written
words with the whole fields :math:`\\hat\\psi_s(x)`:

* ``hamiltonian``: :math:`\\sum_x` split = :math:`\\sum_x` unsplit (both overlaps; the
  oblique split has :math:`K_s(x)\\neq0`);
* ``density``: the same at every single point :math:`x`;
* ``coefficients``: every term's coefficient read off the matrix of the unsplit density
  at one point by a least-squares fit on the term operators (orthogonal split: the
  operators of different terms are linearly independent there);
* ``transfer``: :math:`[N_{s,L}, T] = t_s T` and :math:`[N_{s,R}, T] = r_s T` for every term
  (``t`` measured by the commutator, compared with the term's transfer vector);
* ``sectors``: the part of the unsplit H that changes the side numbers by a given vector
  (a matrix mask) equals the sum of the terms of that change;
* ``reservoirs``: the unsplit H with :math:`\\psi_R\\equiv0` equals the terms of the classes
  of side L only (``reservoir L``, ``conversion L``, ``pair creation L``, ...) and the
  ``constant`` terms, likewise for R;
* ``currents``: :math:`i[N_{s,L}, H]` by matrix commutators equals the symbolic current operators.

Bosons are compared on the states from which no word leaves the truncated space.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Sequence

import numpy as np
import scipy.sparse as sps
import sympy as sp

import derive.fields.field_split as FS
from numeric.errors import ParameterError
from numeric.fields.field_fock import FieldGrid, rel_diff, transfer_of

__all__ = ["FockCheck", "fock_check", "GridMatrices", "grid_matrices", "operator_residual"]


@dataclass
class FockCheck:
    """Worst relative residual of every comparison (``nan``: not applicable), and terms not seen."""

    residuals: dict
    vanishing: list = field(default_factory=list)
    grid: FieldGrid | None = None

    def ok(self, tol: float = 1e-10) -> bool:
        """Every applicable residual below ``tol`` and every term visible on the grid."""
        return not self.vanishing and all(not (v > tol) for v in self.residuals.values())


def _ops(word) -> list[tuple]:
    return [(op.label[0] if len(op.label) == 3 else None, op.label[-2], op.label[-1], op.dagger) for op in word]


class _Evaluator:
    """SymPy coefficient -> values at the grid points (couplings fixed, contractions per point)."""

    def __init__(self, model: FS.FieldModel, grid: FieldGrid, couplings: dict) -> None:
        self.couplings = couplings
        c = grid.contractions()
        self.arrays = {FS.overlap_symbol(s): c[("K", s)] for s in model.species}
        self.arrays.update({FS.coincidence_symbol(s, i): c[("delta", s, i)] for s in model.species for i in "LR"})
        self.n = grid.n
        self._cache: dict = {}

    def __call__(self, expr) -> np.ndarray:
        expr = sp.sympify(expr)
        if expr not in self._cache:
            e = expr.subs(self.couplings)
            syms = sorted(e.free_symbols, key=str)
            f = sp.lambdify(syms, e, "numpy")
            self._cache[expr] = np.broadcast_to(np.asarray(f(*(self.arrays[s] for s in syms)), dtype=complex),
                                                (self.n,)).copy()
        return self._cache[expr]


def _unsplit_terms(model: FS.FieldModel, couplings: dict) -> list[tuple]:
    out = []
    for term in model.terms:
        if isinstance(term, FS.OneBody):
            out += [(1.0, [(None, s, None, True), (p, s, None, False)]) for s in model.species for p in term.parts]
        else:
            out.append((complex(term.coupling.subs(couplings)), [(None, s, None, c) for s, c in term.word]))
    return out


def _creators(model: FS.FieldModel) -> int:
    """The most boson creators of a word (what the truncated boson space must leave room for)."""
    kinds = model.kinds
    return max([1] + [sum(c for s, c in t.word if kinds[s] == "boson") for t in model.terms
                      if isinstance(t, FS.Local)])


def _at(coef, x: int, n: int) -> np.ndarray:
    """A coefficient array kept only at point x."""
    out = np.zeros(n, dtype=complex)
    out[x] = np.broadcast_to(np.asarray(coef, dtype=complex), (n,))[x]
    return out


def fock_check(result: FS.Split, *, n_points: int = 2, n_left: int = 1, n_max: int | None = None,
               seed: int = 0) -> FockCheck:
    """Compare a split with the Fock-space matrices of its unsplit Hamiltonian on a random grid.

    Parameters
    ----------
    result : derive.fields.field_split.Split
        The symbolic split (overlap ``"zero"``: orthogonal split, every comparison;
        ``"K"``: oblique split, the Hamiltonian and density comparisons).
    n_points, n_left : int
        Grid points (modes) per species, at least 2, and L modes, 1 to ``n_points - 1`` (the rest are R).
    n_max : int, optional
        Bosons: cap on the total number, at least the most creators of a word (default: twice that).
    seed : int
        Random unitaries, one-body matrices and coupling values (at least 0).

    Returns
    -------
    FockCheck
        ``residuals`` keyed as in the module docstring, ``vanishing`` terms that are zero on the grid.

    Raises
    ------
    numeric.errors.ParameterError
        An option outside its range (no verdict on a grid that cannot check).

    Examples
    --------
    >>> m = FS.FieldModel("fermion", ("up", "dn"), (FS.OneBody(), FS.Local("g", ("up+", "dn+", "dn", "up"))))
    >>> check = fock_check(FS.split(m))
    >>> check.ok(), sorted(check.residuals)[:3]
    (True, ['coefficients', 'currents', 'density'])
    """
    model = result.model
    c_max = _creators(model)
    n_max = 2 * max(c_max, 1) if n_max is None else n_max
    _check_grid(n_points, n_left, n_max, seed, c_max)
    gm = grid_matrices(result, n_points=n_points, n_left=n_left, seed=seed, n_max=n_max)
    grid, couplings, ev, cols, unsplit, H = gm.grid, gm.couplings, gm.evaluator, gm.columns, gm.unsplit, gm.hamiltonian
    n = grid.n
    terms = [(ev(t.coefficient), _ops(t.operator)) for t in result.terms]
    res = {"hamiltonian": rel_diff(grid.operator(terms), H, cols),
           "density": max(rel_diff(grid.operator([(_at(c, x, n), o) for c, o in terms]),
                                   grid.operator([(_at(c, x, n), o) for c, o in unsplit]), cols) for x in range(n))}
    out = FockCheck(res, grid=grid)
    keys = ("coefficients", "transfer", "sectors", "reservoirs", "currents")
    if result.overlap != "zero":
        res.update({k: float("nan") for k in keys})
        return out
    # term matrices point by point (an integral over the grid can vanish by orthogonality of the modes)
    mats = [[grid.operator([(_at(c, x, n), o)]) for c, o in terms] for x in range(n)]
    dens = [grid.operator([(_at(c, x, n), o) for c, o in unsplit]) for x in range(n)]
    seen = [any(_nonzero(mats[x][k]) for x in range(n)) for k in range(len(terms))]
    out.vanishing = [" ".join(t.fields) for t, v in zip(result.terms, seen) if not v]
    res["coefficients"] = _coefficient_fit(result, grid, ev, unsplit, cols)
    res["transfer"] = max(_transfers(result, grid, mats[x]) for x in range(n))
    res["sectors"] = max(_sectors(result, grid, mats[x], dens[x], cols) for x in range(n))
    res["reservoirs"] = _reservoirs(result, grid, couplings, unsplit, cols)
    res["currents"] = _currents(result, grid, ev, H, cols)
    return out


def _check_grid(n_points: object, n_left: object, n_max: object, seed: object, c_max: int) -> None:
    """Options that leave a side without modes or a word without room would give a verdict on nothing."""
    def whole(x: object) -> bool:
        return isinstance(x, (int, np.integer)) and not isinstance(x, bool)
    if not whole(n_points) or n_points < 2:
        raise ParameterError("n_points", "an integer >= 2 (modes per species, L and R both needed)", n_points)
    if not whole(n_left) or not 1 <= n_left <= n_points - 1:
        raise ParameterError("n_left", f"an integer from 1 to n_points - 1 = {n_points - 1}", n_left)
    if not whole(n_max) or n_max < c_max:
        raise ParameterError("n_max", f"an integer >= {c_max} (the most creators of a word)", n_max)
    if not whole(seed) or seed < 0:
        raise ParameterError("seed", "an integer >= 0", seed)


def _nonzero(M: sps.spmatrix) -> bool:
    return M.nnz > 0 and float(abs(M).max()) > 1e-12


def _coefficient_fit(result: FS.Split, grid: FieldGrid, ev: _Evaluator, unsplit: list, cols: np.ndarray) -> float:
    """Least-squares coefficients of the unsplit density at each point on the term operators there.

    The one-body part (terms with an ``h psi`` field) and the local words are fitted
    separately: with one mode per side, :math:`\\psi^\\dagger_L(h\\psi_L)` and
    :math:`\\psi^\\dagger_L\\psi_L` are the same operator up to a factor.
    """
    worst = 0.0
    n = grid.n
    for dressed in (True, False):
        mine = [t for t in result.terms if any(len(op.label) == 3 for op in t.operator) == dressed]
        source = [(c, o) for c, o in unsplit if any(op[0] is not None for op in o) == dressed]
        if not mine and not source:
            continue
        for x in range(n):
            D = grid.operator([(_at(c, x, n), o) for c, o in source])[:, cols]
            if not mine:
                worst = max(worst, float(abs(D).max()) if D.nnz else 0.0)
                continue
            D, basis = _dense_on_support(D, [grid.word(_ops(t.operator), x)[:, cols] for t in mine])
            fit, *_ = np.linalg.lstsq(basis, D, rcond=None)
            want = np.array([ev(t.coefficient)[x] for t in mine])
            worst = max(worst, float(np.abs(fit - want).max() / max(np.abs(want).max(), 1e-300)),
                        float(np.linalg.norm(basis @ fit - D) / max(np.linalg.norm(D), 1e-300)))
    return worst


def _dense_on_support(D: sps.spmatrix, Ms: list) -> tuple[np.ndarray, np.ndarray]:
    """``D`` and the columns ``Ms`` as dense vectors on the union of their non-zero entries."""
    flat = [sps.csr_matrix(M).reshape(1, -1).tocsr() for M in [D] + Ms]
    support = np.unique(np.concatenate([f.indices for f in flat]))
    dense = np.stack([f[:, support].toarray().ravel() for f in flat], axis=1)
    return dense[:, 0], dense[:, 1:]


def _transfers(result: FS.Split, grid: FieldGrid, mats: list) -> float:
    worst = 0.0
    for t, M in zip(result.terms, mats):
        if not _nonzero(M):
            continue
        r = {s: sum((1 if op.dagger else -1) for op in t.operator if op.label[-2] == s and op.label[-1] == "R")
             for s in result.model.species}
        for s in result.model.species:
            for side, want in (("L", t.transfer[s]), ("R", r[s])):
                got, resid = transfer_of(grid.side_occupations[(s, side)], M)
                worst = max(worst, abs(got - want), resid)
    return worst


def _sectors(result: FS.Split, grid: FieldGrid, mats: list, H: sps.spmatrix, cols: np.ndarray) -> float:
    groups: dict = {}
    for t, M in zip(result.terms, mats):
        change = {}
        for op in t.operator:
            key = (op.label[-2], op.label[-1])
            change[key] = change.get(key, 0) + (1 if op.dagger else -1)
        k = tuple(sorted((key, v) for key, v in change.items() if v))
        groups[k] = groups.get(k, 0) + M
    return max((rel_diff(grid.component(H, dict(k)), M, cols) for k, M in groups.items()), default=0.0)


def _reservoirs(result: FS.Split, grid: FieldGrid, couplings: dict, unsplit: list, cols: np.ndarray) -> float:
    worst = 0.0
    for side, drop in (("L", "R"), ("R", "L")):
        only = grid.without(drop)
        ev = _Evaluator(result.model, only, couplings)
        mine = [(ev(t.coefficient), _ops(t.operator)) for t in result.terms
                if FS.one_side(t.cls) == side or t.cls == "constant"]
        worst = max(worst, rel_diff(only.operator(mine), only.operator(unsplit), cols))
    return worst


def _currents(result: FS.Split, grid: FieldGrid, ev: _Evaluator, H: sps.spmatrix, cols: np.ndarray) -> float:
    species = result.model.species
    N = {s: grid.number(s, "L") for s in species}
    direct = {f"I_{s}": 1j * (N[s] @ H - H @ N[s]) for s in species}
    direct["I_total"] = sum(direct[f"I_{s}"] for s in species)
    worst = 0.0
    for name, el in FS.current_operators(result).items():
        if name not in direct:  # a difference I_a - I_b
            a, b = name.split("-")
            direct[name] = direct[a] - direct[b]
        M = grid.operator([(ev(c), _ops(w)) for w, c in el.items()])
        worst = max(worst, rel_diff(M, direct[name], cols))
    return worst


@dataclass
class GridMatrices:
    """A split's fields on one random grid: its unsplit Hamiltonian and any operator element as matrices.

    ``hamiltonian`` is built from the written words with the whole fields (no split);
    :meth:`matrix` evaluates an element of split fields (couplings at ``couplings``,
    contractions at their grid values); comparisons use ``columns`` (bosons: states
    below the cap).
    """

    grid: FieldGrid
    couplings: dict
    columns: np.ndarray
    evaluator: "_Evaluator"
    model: FS.FieldModel

    @cached_property
    def unsplit(self) -> list:
        """The written words with the whole fields, couplings at their values (grid terms)."""
        return _unsplit_terms(self.model, self.couplings)

    @cached_property
    def hamiltonian(self) -> sps.csr_matrix:
        """:math:`\\sum_x` of the written words with the whole fields."""
        return self.grid.operator(self.unsplit)

    def matrix(self, el: dict) -> sps.csr_matrix:
        """:math:`\\sum_x` of an element (word -> coefficient) of split fields."""
        return self.grid.operator([(self.evaluator(c), _ops(w)) for w, c in el.items()])

    def residual(self, A, B) -> float:
        """Relative Frobenius distance of two matrices on :attr:`columns`."""
        return rel_diff(A, B, self.columns)

    def sector(self, *changes: dict) -> sps.csr_matrix:
        """The part of :attr:`hamiltonian` changing the side numbers by one of ``changes``
        (``{(species, side): change}``; a matrix mask, no algebra)."""
        return sum((self.grid.component(self.hamiltonian, c) for c in changes),
                   sps.csr_matrix(self.hamiltonian.shape, dtype=complex)).tocsr()

    def reservoir(self, side: str) -> sps.csr_matrix:
        """The unsplit Hamiltonian with the other side's fields set to zero (:meth:`FieldGrid.without`)."""
        return self.grid.without("R" if side == "L" else "L").operator(self.unsplit)

    def current(self, weights: dict) -> sps.csr_matrix:
        """:math:`i[\\sum w_s N_{s,L}, H]` by matrix commutators, ``weights`` keyed by species."""
        N = sum(w * self.grid.number(s, "L") for s, w in weights.items())
        return (1j * (N @ self.hamiltonian - self.hamiltonian @ N)).tocsr()


def grid_matrices(result: FS.Split, *, n_points: int = 3, n_left: int = 1, seed: int = 0,
                  parts: Sequence[str] = (), names: Sequence[sp.Symbol] | None = None,
                  creators: int | None = None, n_max: int | None = None,
                  couplings: dict | None = None) -> GridMatrices:
    """The random grid of a split's fields with its unsplit Hamiltonian (see :class:`GridMatrices`).

    Parameters
    ----------
    result : derive.fields.field_split.Split
        Species, statistics, terms and overlap (orthogonal or oblique grid).
    n_points, n_left, seed : int
        The grid (see :func:`fock_check`).
    parts : sequence of str
        One-body parts besides the model's own (each gets a random Hermitian matrix).
    names : sequence of sympy.Symbol, optional
        Couplings to draw (uniform in [0.5, 1.5], in sorted order); default the model's.
    creators : int, optional
        Bosons: the most creators of a word to be evaluated (default: the model's words);
        :attr:`GridMatrices.columns` are the states on which such words are exact.
    n_max : int, optional
        Bosons: cap on the total number (default twice ``creators``).
    couplings : dict, optional
        Values that replace the drawn ones (e.g. ``{g: 0}``).

    Returns
    -------
    GridMatrices
    """
    model = result.model
    parts = sorted(set(parts) | {p for t in model.terms if isinstance(t, FS.OneBody) for p in t.parts})
    creators = _creators(model) if creators is None else creators
    n_max = 2 * max(creators, 1) if n_max is None else n_max
    grid = FieldGrid.random(model.statistics, model.species, parts, n_points=n_points, n_left=n_left,
                            oblique=result.overlap == "K", n_max=n_max, seed=seed)
    if names is None:
        names = {x for t in model.terms if isinstance(t, FS.Local) for x in t.coupling.free_symbols}
    rng = np.random.default_rng(seed + 1)
    values = {x: float(rng.uniform(0.5, 1.5)) for x in sorted(names, key=str)}
    values.update(couplings or {})
    return GridMatrices(grid, values, grid.reliable_columns(creators), _Evaluator(model, grid, values), model)


def operator_residual(result: FS.Split, A: dict, B: dict, *, n_points: int = 3, n_left: int = 1,
                      seed: int = 0) -> float:
    """Relative Frobenius distance of two operator elements of a split's fields as matrices on a random grid.

    Parameters
    ----------
    result : derive.fields.field_split.Split
        Gives the species, statistics and overlap (orthogonal or oblique grid).
    A, B : dict
        Elements (word -> coefficient) of split fields; one-body parts (``(part, s, side)``
        annihilators) of any name get their own random Hermitian matrix.
    n_points, n_left, seed : int
        The grid (see :func:`fock_check`); couplings are random numbers in [0.5, 1.5].

    Returns
    -------
    float
        0 (to round-off) when ``A`` and ``B`` are the same operator on the grid.
    """
    model = result.model
    words = list(A) + list(B)
    parts = {op.label[0] for w in words for op in w if len(op.label) == 3}
    most = max([1] + [sum(op.dagger for op in w if model.kinds[op.label[-2]] == "boson") for w in words])
    names = ({x for el in (A, B) for c in el.values() for x in sp.sympify(c).free_symbols}
             - {FS.overlap_symbol(s) for s in model.species}
             - {FS.coincidence_symbol(s, i) for s in model.species for i in "LR"})
    gm = grid_matrices(result, n_points=n_points, n_left=n_left, seed=seed, parts=parts, names=names,
                       creators=most)
    return gm.residual(gm.matrix(A), gm.matrix(B))
