r"""Optional Kwant glue: the same scattering problem built in Kwant (an independent numeric route).

:func:`to_kwant` builds a finalized Kwant system from a model and parameter values: region site i
on a lattice of its own, the first site of every lead in the system (coupled with the model's
coupling), the rest of the lead as a Kwant lead of one site per cell (hopping, potential).
Kwant's builder keeps every bond Hermitian (complex on-site energies are allowed with
``check_hermiticity=False``), so non-reciprocal bonds are refused.  Kwant's flux-normalised S-matrix
has its own phase convention (mode normalisation), so
:func:`kwant_probabilities` returns the phase-free quantities ``T2``, ``R2`` and ``absorbed``.
Kwant is not a dependency: importing this module works without it, calling :func:`to_kwant` needs it.
Parameters at ``inf`` (limits) are not supported here (Kwant needs finite leads).
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

__all__ = ["to_kwant", "kwant_probabilities"]


def to_kwant(model: Any, params: Mapping[str, Any] | None = None):
    """A finalized Kwant system of ``model`` at ``params`` (leads in the model's order).

    Parameters
    ----------
    model : tunnelkit.models.model.Model
        The model (its values are the defaults of ``params``).
    params : dict, optional
        Parameter values.

    Returns
    -------
    kwant.system.FiniteSystem
        Finalized, with one Kwant lead per model lead.
    """
    import kwant

    tb = (model.with_params(params or {}) if params else model).tight_binding(sparse=False)
    H = np.asarray(tb.H.toarray() if hasattr(tb.H, "toarray") else tb.H)
    n = tb.n_sites
    region = kwant.lattice.square(norbs=1, name="region")
    syst = kwant.Builder()
    for i in range(n):
        syst[region(0, i)] = H[i, i]
    off = H - np.diag(np.diag(H))
    if not np.allclose(off, off.conj().T, rtol=0, atol=1e-14 * max(1.0, float(np.abs(off).max(initial=0)))):
        raise ValueError("Kwant's builder sets H[b, a] = conj(H[a, b]): a non-reciprocal bond (reverse = ...) "
                         "cannot be built in Kwant")
    for i, j in zip(*np.nonzero(np.triu(off))):
        syst[region(0, int(i)), region(0, int(j))] = H[i, j]  # Kwant: syst[a, b] = H[a, b] (and its conjugate)
    for p, ld in enumerate(tb.leads):
        if ld.is_wide_band:
            raise ValueError(f"lead {ld.name}: a wide-band (inf) lead cannot be built in Kwant")
        lat = kwant.lattice.square(norbs=1, name=f"lead_{ld.name}")
        row = n + 2 + 3 * p  # a row of its own, right of the region
        first = lat(1, row)
        syst[first] = complex(ld.potential)
        syst[region(0, ld.site), first] = complex(ld.coupling)  # H[s, lead site 1] = c
        lead = kwant.Builder(kwant.TranslationalSymmetry((1, 0)))
        lead[lat(0, row)] = complex(ld.potential)
        lead[lat(0, row), lat(1, row)] = complex(ld.hopping)  # H[n, n+1] = t
        syst.attach_lead(lead)
    return syst.finalized()


def kwant_probabilities(model: Any, omega: Any, params: Mapping[str, Any] | None = None) -> dict:
    """``T2:p->q``, ``R2:p`` and ``absorbed:p`` from Kwant's S-matrix at real energies ``omega``.

    Parameters
    ----------
    model : tunnelkit.models.model.Model
    omega : sequence of float
    params : dict, optional

    Returns
    -------
    dict
        Arrays over omega (T2 = 0 and R2, absorbed = NaN where a lead has no open mode).
    """
    import kwant

    fsyst = to_kwant(model, params)
    names = [ld["name"] for ld in model.leads]
    out: dict[str, list] = {}
    for w in np.atleast_1d(np.asarray(omega, dtype=float)):
        sm = kwant.smatrix(fsyst, float(w), check_hermiticity=False)  # the region loses particles
        opened = [sm.num_propagating(p) > 0 for p in range(len(names))]
        for p, a in enumerate(names):
            for q, b in enumerate(names):
                if p != q:
                    out.setdefault(f"T2:{a}->{b}", []).append(sm.transmission(q, p) if opened[p] and opened[q]
                                                               else 0.0)
            R = sm.transmission(p, p) if opened[p] else np.nan
            out.setdefault(f"R2:{a}", []).append(R)
            tot = sum(sm.transmission(q, p) for q in range(len(names)) if opened[q] and q != p)
            out.setdefault(f"absorbed:{a}", []).append(1 - tot - R if opened[p] else np.nan)
    return {k: np.array(v, dtype=float) for k, v in out.items()}
