r"""Direct solver of a tight-binding scattering problem: exact lead self-energies, Caroli / Fisher-Lee.

For a :class:`numeric.models.tight_binding.TightBinding` (region H, leads p with
hopping :math:`t_p`, potential :math:`\varepsilon_p`, strength
:math:`w_p=|c_p|^2/|t_p|`, attached at region site :math:`s_p`):

.. math::

    x_p = \frac{\omega-\varepsilon_p}{|t_p|},\quad \tilde z_p+\tilde z_p^{-1}=x_p,\quad
    \Sigma_p = w_p\tilde z_p,\quad \Gamma_p = i(\Sigma_p-\Sigma_p^*),\\
    G = (\omega - H - \textstyle\sum_p \Sigma_p e_{s_p}e_{s_p}^T)^{-1},\qquad
    S_{qp} = -\delta_{qp} + i\sqrt{\Gamma_q}\,G_{s_qs_p}\sqrt{\Gamma_p}.

The root :math:`\tilde z_p` is the retarded one: on the band (:math:`x_p`
real, :math:`|x_p|<2`) :math:`\tilde z_p = (x_p - i\sqrt{4-x_p^2})/2`
(outgoing, :math:`\Gamma_p = w_p\sqrt{4-x_p^2} > 0`), elsewhere the root with
:math:`|\tilde z_p| < 1` (evanescent; at :math:`|x_p| = 2` exactly,
:math:`\tilde z_p=\pm1`: zero group velocity, no propagating mode).  In the
model-dict convention :math:`z_p = t_p g_p`, :math:`g_p = \tilde z_p/|t_p|`.

Quantities (``docs/conventions.md``): ``S:q,p`` :math:`=S_{qp}`, NaN (null)
where p or q has no propagating mode; ``T2:p->q`` :math:`=|S_{qp}|^2`, 0
there; ``R2:p`` :math:`=|S_{pp}|^2`, NaN
(null) where p has none; ``absorbed:p`` :math:`= 1-\sum_q T2_{p\to q} -
R2_p`, computed without cancellation as

.. math:: a_p = \Gamma_p\,\big[G^\dagger\big(i(H-H^\dagger)+\textstyle\sum_{q\ \rm closed}\Gamma_q
          e_{s_q}e_{s_q}^T\big)G\big]_{s_ps_p}

(the identity :math:`i(G-G^\dagger)=G^\dagger[i(H-H^\dagger)+\Gamma]G`);
``G:i,j`` and ``det`` :math:`=\det(\omega-H-\Sigma)`.

Dense batched linear algebra for small regions, one sparse LU per energy for
large ones (:data:`numeric.models.tight_binding.DENSE_MAX`), mpmath at the working
precision for mpmath models (``backend=MULTI``).

Where the matrix is exactly singular (a decoupled state: a bound state in the
continuum) the limit is taken by the reduced resolvent
(:mod:`numeric.models.singular_points`); such a point affects only itself.

>>> from numeric.models.tight_binding import Lead, TightBinding
>>> chain = TightBinding(("a",), np.zeros((1, 1), complex), (Lead.make("L", 0, -1.0, 0.0, -1.0),
...                                                          Lead.make("R", 0, -1.0, 0.0, -1.0)))
>>> sol = solve(chain, [0.3, 1.1])       # a perfect chain: no reflection
>>> np.round(sol.T2("L", "R"), 12), np.round(sol.R2("L"), 12)
(array([1., 1.]), array([0., 0.]))
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import mpmath
import numpy as np
import scipy.sparse as sps
import scipy.sparse.linalg as spla
from scipy.linalg import lapack as sla_lapack
from scipy.sparse.csgraph import reverse_cuthill_mckee

from numeric.errors import ParameterError
from numeric.precision import DOUBLE, MULTI, Backend, as_backend, backend_of, exact, mp
from numeric.models.singular_points import reduced_resolvent, singular_sparse, solve_batch
from numeric.models.tight_binding import TightBinding

__all__ = ["bloch_factor", "lead_terms", "solve", "Solution", "parse_quantity", "QUANTITY_FORMS"]

#: the quantity names (docs/conventions.md)
QUANTITY_FORMS = ("S:q,p", "T2:p->q", "R2:p", "absorbed:p", "G:i,j", "det")
#: widest band (after reverse Cuthill-McKee) solved by banded LU; wider sparse regions use SuperLU
BAND_MAX = 48
#: largest dense batch (complex entries) held at once
_BATCH_ENTRIES = 4_000_000


def bloch_factor(x: Any, *, backend: Backend | str = DOUBLE) -> Any:
    r"""Retarded root :math:`\tilde z` of :math:`\tilde z + 1/\tilde z = x` (elementwise; one algorithm, both precisions).

    On the band (real :math:`|x| < 2`) :math:`\tilde z = (x - i\sqrt{4 - x^2})/2`; off it the root with
    :math:`|\tilde z| < 1`: for real x :math:`2/(x + \operatorname{sign}(x)\sqrt{x^2-4})` (no
    cancellation), for complex x :math:`2/(x + s)` with the root s of :math:`x^2-4` for which
    :math:`\operatorname{Re}(\bar x s) \ge 0`.

    Parameters
    ----------
    x : array_like or mpmath number
        :math:`(\omega - \varepsilon)/|t|`, real or complex (NumPy array; one mpmath number with ``MULTI``).
    backend : Backend or {"numpy", "mpmath"}
        :data:`numeric.precision.DOUBLE` or :data:`numeric.precision.MULTI` (inside ``mpmath.workdps``).

    Returns
    -------
    ndarray of complex or mpc

    >>> np.round(bloch_factor(np.array([0.0, 3.0, -2.5])), 6).tolist()
    [-1j, (0.381966+0j), (-0.5+0j)]
    >>> with mpmath.workdps(30):
    ...     print(bloch_factor(mpmath.mpf(3), backend="mpmath"))   # (3 - sqrt 5)/2
    (0.381966011250105151795413165634 + 0.0j)
    """
    xp = as_backend(backend)
    x = xp.complex(x)
    xr = xp.real(x)
    real = xp.imag(x) == 0
    band = real & (abs(xr) < 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        inside = (xr - 1j * xp.sqrt(abs((2 - xr) * (2 + xr)))) / 2
        outside_real = 2 / (xr + xp.where(xr >= 0, 1, -1) * xp.sqrt(abs((xr - 2) * (xr + 2))))
        s = xp.sqrt(x * x - 4)
        s = xp.where(xp.real(xp.conj(x) * s) >= 0, s, -s)
        outside_complex = 2 / (x + s)
    return xp.complex(xp.where(band, inside, xp.where(real, outside_real, outside_complex)))


def lead_terms(lead, omega: Any, *, backend: Backend | str = DOUBLE, exact_omega: Any = None):
    r"""(:math:`\Sigma_p`, :math:`\Gamma_p`, propagating) of one lead at ``omega``.

    .. math:: \Sigma_p = w_p\tilde z_p,\qquad \Gamma_p = w_p\sqrt{4-x_p^2}\ \text{(on the band)}

    On the band the distances to both edges, :math:`2|t|\mp(\omega-\varepsilon)`, are formed without
    rounding error, so that Gamma keeps its digits next to an edge; off the band
    :math:`\Gamma_p=i(\Sigma_p-\Sigma_p^*)` (zero unless the potential is complex).  The two precisions
    form those distances differently (chosen by :meth:`numeric.precision.Backend.pick`): doubles
    vectorised over omega with a compensated difference (TwoSum), mpmath one point at a time in exact
    rational arithmetic when the band is rational (``exact_omega``), else at the working precision.

    Parameters
    ----------
    lead : numeric.models.tight_binding.Lead
    omega : array_like or mpf
        Real energies (one mpmath number, possibly complex for bound states, with ``MULTI``).
    backend : Backend or {"numpy", "mpmath"}
        :data:`numeric.precision.DOUBLE` or :data:`numeric.precision.MULTI` (inside ``mpmath.workdps``).
    exact_omega : Fraction, optional
        mpmath: the exact value of ``omega``.  With it and the lead's ``exact_band`` (rational
        potential and hopping) the distances to the band edges are exact: a lead at its edge is
        closed (:math:`\tilde z = \pm 1`, :math:`\Gamma = 0`) at every precision, and Gamma next to
        an edge is rounded once.

    Returns
    -------
    tuple
        (Sigma, Gamma, propagating), arrays over omega (scalars for mpmath).
    """
    xp = as_backend(backend)
    return xp.pick(_lead_terms_vectorised, _lead_terms_per_point)(lead, omega, exact_omega)


def _lead_terms_per_point(lead, omega: Any, exact_omega: Any):
    """:func:`lead_terms` at one mpmath point (exact edge distances where the band is rational)."""
    band = getattr(lead, "exact_band", None)
    if band is not None and exact_omega is not None and not lead.is_wide_band:
        eps, t = band
        up, lo = 2 * t - (exact_omega - eps), 2 * t + (exact_omega - eps)  # exact distances to the edges
        x = mp((exact_omega - eps) / t)
        if up > 0 and lo > 0:
            gamma = lead.strength * mpmath.sqrt(mp(up * lo)) / mp(t)
            return lead.strength * mpmath.mpc(x / 2, -mpmath.sqrt(mp(up * lo)) / (2 * mp(t))), gamma, True
        z = mpmath.mpc(2 / (x + mpmath.sign(x) * mpmath.sqrt(mp(-up * lo)) / mp(t)))  # |z| <= 1; +-1 at an edge
        return lead.strength * z, mpmath.mpf(0), False
    x = mpmath.mpc(0) if lead.is_wide_band else mpmath.mpc((omega - lead.potential) / abs(lead.hopping))
    z = bloch_factor(x, backend=MULTI)
    sigma = lead.strength * z
    prop = mpmath.im(x) == 0 and abs(mpmath.re(x)) < 2
    if prop:
        xr = mpmath.re(x)
        gamma = lead.strength * mpmath.sqrt((2 - xr) * (2 + xr))
    else:
        gamma = mpmath.re(1j * (sigma - mpmath.conj(sigma)))
    return sigma, gamma, prop


def _lead_terms_vectorised(lead, omega: Any, exact_omega: Any):
    """:func:`lead_terms` on an array of doubles (edge distances compensated by TwoSum)."""
    w = np.asarray(omega, dtype=float)
    strength = np.asarray(lead.strength, dtype=float)
    eps = np.asarray(lead.potential, dtype=complex)
    if lead.is_wide_band:
        # x = (omega - eps)/|t| -> 0 for any finite potential: the band centre, z = -i
        sigma = np.broadcast_to(-1j * strength, w.shape)
        return sigma, np.broadcast_to(2 * strength, w.shape), np.ones(w.shape, dtype=bool)
    t = np.abs(lead.hopping)
    if np.all(eps.imag == 0):
        # distances to the band edges, 2|t| -+ (omega - eps), with omega - eps compensated (TwoSum): at
        # 1e-9 inside an edge the rounding of omega - eps would otherwise cost 7 digits of Gamma
        a, b = np.broadcast_arrays(w, -eps.real)
        if np.max(t) > 2.0 ** 1000:  # 2|t| overflows: scale omega, eps and t by a power of 2 (exact ratios)
            scale = 2.0 ** -int(np.frexp(np.max(t))[1])
            a, b, t = a * scale, b * scale, t * scale
        d = a + b
        bb = d - a
        err = (a - (d - bb)) + (b - bb)
        hi, lo = (2 * t - d) - err, (2 * t + d) + err
        x = (d + err) / t
        prop = (hi > 0) & (lo > 0)
        root = np.sqrt(np.abs(hi * lo)) / t  # sqrt|4 - x^2|
        with np.errstate(divide="ignore", invalid="ignore"):
            outside = 2 / (x + np.where(x >= 0, 1.0, -1.0) * root)
        z = np.where(prop, (x - 1j * root) / 2, outside)
        sigma = strength * z
        return sigma, np.where(prop, strength * root, 0.0), prop
    x = np.broadcast_to((w - eps) / t, w.shape)
    sigma = strength * bloch_factor(x)
    return sigma, (1j * (sigma - np.conj(sigma))).real, np.zeros(w.shape, dtype=bool)


def parse_quantity(name: str, leads: Sequence[str], sites: Sequence[str] | None = None) -> tuple:
    """``"T2:L->R"`` -> ("T2", "L", "R"); ``"S:R,L"`` -> ("S", "R", "L"); checks names.

    >>> parse_quantity("T2:L->R", ["L", "R"])
    ('T2', 'L', 'R')
    >>> parse_quantity("R2:X", ["L", "R"])
    Traceback (most recent call last):
    ...
    numeric.errors.ParameterError: quantity R2:X must be one of S:q,p T2:p->q R2:p absorbed:p G:i,j det with leads L, R (got unknown lead 'X')
    """
    allowed = f"one of {' '.join(QUANTITY_FORMS)} with leads {', '.join(leads)}"
    text = name.strip()
    if text == "det":
        return ("det",)
    kind, _, rest = text.partition(":")
    parts: list[str]
    if kind == "T2":
        parts = [p.strip() for p in rest.split("->")]
    elif kind in ("S", "G"):
        parts = [p.strip() for p in rest.split(",")]
    elif kind in ("R2", "absorbed"):
        parts = [rest.strip()]
    else:
        raise ParameterError(f"quantity {text}", allowed, f"unknown quantity {kind!r}")
    want = 1 if kind in ("R2", "absorbed") else 2
    if len(parts) != want or not all(parts):
        raise ParameterError(f"quantity {text}", allowed, "malformed")
    pool = list(sites) if kind == "G" and sites is not None else list(leads)
    for p in parts:
        if kind == "G" and sites is None:
            continue
        if p not in pool:
            what = "site" if kind == "G" else "lead"
            raise ParameterError(f"quantity {text}", allowed if kind != "G" else
                                 f"G:i,j with region sites i, j ({', '.join(pool)})", f"unknown {what} {p!r}")
    return (kind, *parts)


@dataclass(frozen=True)
class Solution:
    """Direct solution at the energies ``omega`` (arrays over omega; object arrays of mpf for mpmath).

    ``S[k, q, p]`` (NaN where p or q is closed), ``open[k, p]`` (lead p propagates), ``absorbed[k, p]``,
    ``elements`` {(i, j): G_ij}, ``det``.
    """

    omega: Any
    leads: tuple[str, ...]
    S: Any
    open: Any
    absorbed_all: Any
    elements: dict
    det_values: Any

    def _p(self, name: str) -> int:
        return self.leads.index(name)

    def T2(self, p: str, q: str):
        """``T2:p->q`` (0 where either lead has no propagating mode)."""
        i, j = self._p(p), self._p(q)
        if self.S.dtype == object:
            return np.array([abs(s) ** 2 if ok else mpmath.mpf(0)
                             for s, ok in zip(self.S[:, j, i], self.open[:, i] & self.open[:, j])], dtype=object)
        return np.where(self.open[:, i] & self.open[:, j], np.abs(np.nan_to_num(self.S[:, j, i])) ** 2, 0.0)

    def R2(self, p: str):
        """``R2:p`` (NaN where p has no propagating mode)."""
        i = self._p(p)
        if self.S.dtype == object:
            return np.array([abs(s) ** 2 if ok else mpmath.mpf("nan") for s, ok in zip(self.S[:, i, i],
                                                                                       self.open[:, i])], dtype=object)
        return np.where(self.open[:, i], np.abs(self.S[:, i, i]) ** 2, np.nan)

    def absorbed(self, p: str):
        """``absorbed:p`` (NaN where p has no propagating mode)."""
        return self.absorbed_all[:, self._p(p)]

    def G(self, i: int, j: int):
        return self.elements[(i, j)]

    @property
    def det(self):
        return self.det_values

    def quantity(self, q: tuple):
        """A parsed quantity (:func:`parse_quantity`) as an array over omega."""
        kind = q[0]
        if kind == "det":
            return self.det
        if kind == "S":
            return self.S[:, self._p(q[1]), self._p(q[2])]
        if kind == "T2":
            return self.T2(q[1], q[2])
        if kind == "R2":
            return self.R2(q[1])
        if kind == "absorbed":
            return self.absorbed(q[1])
        return self.G(q[1], q[2])


def solve(tb: TightBinding, omega: Any, *, elements: Sequence[tuple[int, int]] = (), det: bool = False) -> Solution:
    r"""Scattering quantities of ``tb`` at real energies (see the module doc for the formulas).

    .. math:: G = (\omega - H - \Sigma)^{-1},\qquad S_{qp} = -\delta_{qp} + i\sqrt{\Gamma_q}G_{s_qs_p}\sqrt{\Gamma_p}

    Parameters
    ----------
    tb : TightBinding
        NumPy model (dense: batched LU; sparse: banded or sparse LU per energy) or mpmath model
        (then call inside ``mpmath.workdps``; energies are exact values, :func:`numeric.precision.exact`).
    omega : array_like
        Real energies.
    elements : sequence of (int, int)
        Region index pairs (i, j) whose Green's function elements are wanted.
    det : bool
        Also compute :math:`\det(\omega - H - \Sigma)`.

    Returns
    -------
    Solution
        ``S``, ``open``, ``absorbed_all``, ``elements``, ``det`` and the accessors ``T2(p, q)``,
        ``R2(p)``, ``absorbed(p)``, ``G(i, j)``, ``quantity(parsed)``.
    """
    return backend_of(tb.H).pick(_solve_vectorised, _solve_mp)(tb, omega, elements, det)


def _solve_vectorised(tb: TightBinding, omega: Any, elements: Sequence[tuple[int, int]], det: bool) -> Solution:
    """:func:`solve` over an array of double energies: batched dense LU, or banded/sparse LU per energy.

    The mpmath twin (:func:`_solve_mp`, one point at a time on ``mpmath.matrix``) is chosen by the model's
    precision (:meth:`numeric.precision.Backend.pick`): LAPACK's batches and SciPy's sparse solvers have no
    mpmath counterpart.
    """
    w = np.atleast_1d(np.asarray(omega, dtype=float))
    if not np.all(np.isfinite(w)):
        raise ParameterError("omega", "finite real numbers", w[~np.isfinite(w)][0])
    n, P = tb.n_sites, len(tb.leads) if not tb.omega_leads else len(tb.leads_at(w[:1]))
    cols = sorted({ld.site for ld in tb.leads_at(w[:1])} | {j for _, j in elements})
    sparse = sps.issparse(tb.H)
    chunk = max(1, _BATCH_ENTRIES // max(1, n * n)) if not sparse else len(w)
    parts = [_solve_np_block(tb, w[a:a + chunk], cols, elements, det, sparse) for a in range(0, len(w), chunk)]
    names = tuple(ld.name for ld in tb.leads_at(w[:1]))
    cat = lambda k: np.concatenate([p[k] for p in parts])  # noqa: E731
    elems = {e: np.concatenate([p[3][e] for p in parts]) for e in elements}
    return Solution(w, names, cat(0), cat(1), cat(2), elems, cat(4) if det else None)


def _solve_np_block(tb: TightBinding, w: np.ndarray, cols: list[int], elements, want_det: bool, sparse: bool):
    leads = tb.leads_at(w)
    nw, n, P = len(w), tb.n_sites, len(leads)
    terms = [lead_terms(ld, w) for ld in leads]
    sig = np.zeros((nw, n), dtype=complex)
    gamma_closed = np.zeros((nw, n))
    for ld, (s, g, ok) in zip(leads, terms):
        sig[:, ld.site] += s
        gamma_closed[:, ld.site] += np.where(ok, 0.0, g)
    col_of = {c: k for k, c in enumerate(cols)}
    if sparse and not tb.omega_terms:
        X, detv, loss = _sparse_solves(tb.H, w, sig, cols, want_det)
    else:
        H = tb.region(w)
        A = np.array(w[:, None, None] * np.eye(n) - H, dtype=complex)
        A[:, np.arange(n), np.arange(n)] -= sig
        B = np.zeros((nw, n, len(cols)), dtype=complex)
        B[:, cols, np.arange(len(cols))] = 1.0
        X = solve_batch(A, B)
        detv = np.linalg.det(A) if want_det else None
        if H.ndim == 2:
            L2 = 1j * (H - H.conj().T)  # i(H - H^+)
            loss = lambda v: v @ L2.T  # noqa: E731
        else:
            loss = 1j * (H - np.conj(np.swapaxes(H, 1, 2)))  # per energy
    S = np.full((nw, P, P), np.nan + 0j)
    opened = np.stack([t[2] for t in terms], axis=1) if P else np.zeros((nw, 0), bool)
    gam = np.stack([t[1] for t in terms], axis=1) if P else np.zeros((nw, 0))
    sq = np.sqrt(np.where(opened, gam, 0.0))
    for p, lp in enumerate(leads):
        v = X[:, :, col_of[lp.site]]  # G e_{s_p}
        for q, lq in enumerate(leads):
            both = opened[:, p] & opened[:, q]
            val = 1j * sq[:, q] * v[:, lq.site] * sq[:, p] - (1.0 if p == q else 0.0)
            S[:, q, p] = np.where(both, val, np.nan)
    absorbed = np.full((nw, P), np.nan)
    for p, lp in enumerate(leads):
        v = X[:, :, col_of[lp.site]]
        Lv = loss(v) if callable(loss) else np.einsum("kij,kj->ki", loss, v)
        Lv = Lv + gamma_closed * v
        a = gam[:, p] * np.einsum("ki,ki->k", np.conj(v), Lv).real
        absorbed[:, p] = np.where(opened[:, p], a, np.nan)
    elems = {(i, j): X[:, i, col_of[j]] for i, j in elements}
    return S, opened, absorbed, elems, detv


def _sparse_solves(H, w: np.ndarray, sig: np.ndarray, cols: list[int], want_det: bool):
    """Per-energy solves of a large region: banded LU after a reverse Cuthill-McKee ordering when the
    band is narrow (chains: O(n) per energy), else a sparse LU."""
    n = H.shape[0]
    X = np.empty((len(w), n, len(cols)), dtype=complex)
    detv = np.empty(len(w), dtype=complex) if want_det else None
    Hc = sps.csc_matrix(H, dtype=complex)
    B = np.zeros((n, len(cols)), dtype=complex, order="F")
    B[cols, np.arange(len(cols))] = 1.0
    pattern = sps.csr_matrix(abs(Hc) + abs(Hc.T))
    perm = reverse_cuthill_mckee(pattern, symmetric_mode=True)
    Hp = Hc[perm][:, perm].tocoo()
    bw = int(np.max(np.abs(Hp.row - Hp.col))) if Hp.nnz else 0
    if bw <= BAND_MAX:
        inv = np.empty(n, dtype=np.int64)
        inv[perm] = np.arange(n)
        ab_H = np.zeros((3 * bw + 1, n), dtype=complex)
        ab_H[2 * bw + Hp.row - Hp.col, Hp.col] = Hp.data
        Bp = np.asfortranarray(B[perm])
        for k, wk in enumerate(w):
            ab = -ab_H
            ab[2 * bw] += wk - sig[k][perm]
            lub, piv, info = sla_lapack.zgbtrf(ab, bw, bw)
            x, info2 = sla_lapack.zgbtrs(lub, bw, bw, Bp, piv)
            X[k] = x[inv]
            if info != 0 or not np.all(np.isfinite(X[k])):  # exactly singular: the reduced resolvent
                X[k] = singular_sparse(Hc, wk, sig[k], B)
            if want_det:
                swaps = int(np.count_nonzero(piv != np.arange(n)))
                detv[k] = np.prod(lub[2 * bw]) * (-1) ** swaps
    else:
        eye = sps.identity(n, dtype=complex, format="csc")
        for k, wk in enumerate(w):
            try:
                lu = spla.splu((wk * eye - Hc - sps.diags(sig[k], format="csc")).tocsc())
            except RuntimeError:  # "Factor is exactly singular": the reduced resolvent
                X[k] = singular_sparse(Hc, wk, sig[k], B)
                if want_det:
                    detv[k] = 0
                continue
            X[k] = lu.solve(B)
            if not np.all(np.isfinite(X[k])):
                X[k] = singular_sparse(Hc, wk, sig[k], B)
            if want_det:
                detv[k] = np.prod(lu.U.diagonal()) * _parity(lu.perm_r) * _parity(lu.perm_c)
    loss_op = 1j * (Hc - Hc.conj().T)

    def loss(v: np.ndarray) -> np.ndarray:
        return np.asarray(loss_op @ v.T).T

    return X, detv, loss


def _parity(perm: np.ndarray) -> int:
    """Sign of a permutation (cycle decomposition)."""
    seen = np.zeros(len(perm), dtype=bool)
    sign = 1
    for i in range(len(perm)):
        if not seen[i]:
            j, length = i, 0
            while not seen[j]:
                seen[j] = True
                j = perm[j]
                length += 1
            if length % 2 == 0:
                sign = -sign
    return sign


def _solve_mp(tb: TightBinding, omega: Any, elements, want_det: bool) -> Solution:
    given = np.atleast_1d(omega).tolist()
    exact_ws = [exact(x, "omega") if not isinstance(x, mpmath.mpf) else exact(x) for x in given]
    ws = [mp(x) if not isinstance(x0, mpmath.mpf) else x0 for x, x0 in zip(exact_ws, given)]
    n = tb.n_sites
    rows_S, rows_open, rows_abs, rows_det = [], [], [], []
    elems: dict = {e: [] for e in elements}
    names: tuple[str, ...] = ()
    for wk, wk_exact in zip(ws, exact_ws):
        leads = tb.leads_at(wk)
        names = tuple(ld.name for ld in leads)
        H = tb.region(wk)
        A = -H
        terms = [lead_terms(ld, wk, backend=MULTI, exact_omega=wk_exact) for ld in leads]
        for i in range(n):
            A[i, i] += wk
        closed = [mpmath.mpf(0)] * n
        for ld, (s, g, ok) in zip(leads, terms):
            A[ld.site, ld.site] -= s
            if not ok:
                closed[ld.site] += g
        cols = sorted({ld.site for ld in leads} | {j for _, j in elements})
        X = {}
        try:
            for c in cols:
                e = mpmath.matrix(n, 1)
                e[c] = 1
                X[c] = mpmath.lu_solve(A, e)
        except ZeroDivisionError:  # singular to working precision: the reduced resolvent (module doc)
            E = mpmath.matrix(n, len(cols))
            for k, c in enumerate(cols):
                E[c, k] = 1
            Y = reduced_resolvent(A, E)
            X = {c: Y.column(k) for k, c in enumerate(cols)}
        P = len(leads)
        S = np.empty((P, P), dtype=object)
        ab = np.empty(P, dtype=object)
        for p, lp in enumerate(leads):
            v = X[lp.site]
            for q, lq in enumerate(leads):
                ok = terms[p][2] and terms[q][2]
                S[q, p] = (1j * mpmath.sqrt(terms[q][1]) * v[lq.site] * mpmath.sqrt(terms[p][1]) -
                           (1 if p == q else 0)) if ok else mpmath.mpc("nan")
            if terms[p][2]:
                Lv = [sum((1j * (H[i, j] - mpmath.conj(H[j, i]))) * v[j] for j in range(n)) + closed[i] * v[i]
                      for i in range(n)]
                ab[p] = terms[p][1] * mpmath.re(mpmath.fsum(mpmath.conj(v[i]) * Lv[i] for i in range(n)))
            else:
                ab[p] = mpmath.mpf("nan")
        rows_S.append(S)
        rows_open.append([t[2] for t in terms])
        rows_abs.append(ab)
        if want_det:
            rows_det.append(mpmath.det(A))
        for i, j in elements:
            elems[(i, j)].append(X[j][i])
    S_all = np.array(rows_S, dtype=object).reshape(len(ws), len(names), len(names))
    return Solution(np.array(ws, dtype=object), names, S_all, np.array(rows_open, dtype=bool).reshape(len(ws), -1),
                    np.array(rows_abs, dtype=object).reshape(len(ws), -1),
                    {e: np.array(v, dtype=object) for e, v in elems.items()},
                    np.array(rows_det, dtype=object) if want_det else None)
