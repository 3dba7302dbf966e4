r"""The model side of ``tunnelkit verify PAPER_FILE``: a model file as a :class:`~tunnelkit.claims.paper_verify.ModelBackend`.

Two routes that share no formula:

* **derived** -- :class:`derive.models.symbolic_model.SymbolicModel` gives every quantity in
  closed form, rational in the leads' Bloch factors :math:`z_p`; here the
  conjugates are left general (``regime="general"``) and each :math:`z_p` is
  replaced by its explicit retarded root (:meth:`~derive.models.symbolic_model.SymbolicModel.bloch_factor`),
  so that one expression holds on and off every lead's band (off a band
  :math:`\Gamma_p = 0`: T2 vanishes by itself).  Parameters set to ``inf`` are
  limits taken by the derivation;
* **direct** -- :class:`tunnelkit.models.model.Model` (the numeric Fisher-Lee solve with
  exact lead surface Green's functions) at the given exact parameter values;
  a null value (R2 where a lead has no propagating mode) is None.  At a complex omega (the
  resonances of a ``det-zero`` claim) only ``det`` of a model whose leads are all wide-band is
  evaluated (:func:`_wide_band_det`; the self-energies are constants there).

.. math:: z_p = \frac{\operatorname{sign} t_p}{w + \sqrt{w-1}\sqrt{w+1}},\qquad w = \frac{\omega-\varepsilon_p}{2|t_p|}
"""
from __future__ import annotations

import cmath
from functools import lru_cache
from pathlib import Path

from tunnelkit.claims.paper_file import PaperFileError
from tunnelkit.claims.paper_context import ModelBackend

__all__ = ["backend_for_file"]


def backend_for_file(path: str | Path) -> ModelBackend:
    """The backend of a model file (``docs/model-files.md``).

    Parameters
    ----------
    path : str or pathlib.Path
        The model file named by the paper file.

    Returns
    -------
    ModelBackend

    Raises
    ------
    PaperFileError
        When the model file is not valid (its one-line message, prefixed by the file name).
    """
    from derive.models.model_values import ModelValueError
    from derive.models.symbolic_model import SymbolicModel
    from tunnelkit.models.model import Model

    path = Path(path)
    try:
        model = Model.from_file(path)
        symbolic = SymbolicModel(model.model_dict)
    except (ValueError, ModelValueError) as exc:
        raise PaperFileError(f"{path.name}: {exc}") from None
    symbols = dict(symbolic.symbols)
    symbols["omega"] = symbolic.omega

    @lru_cache(maxsize=None)
    def derived(name: str, limits: tuple) -> object:
        where = dict(limits) or None
        expr = symbolic.quantity(name, where=where, regime="general")
        roots = {symbolic.bloch_symbol(p): symbolic.bloch_factor(p, where=where) for p in symbolic.leads}
        return expr.xreplace({z: v for z, v in roots.items() if z in expr.free_symbols})

    def quantity(name: str, limits: dict) -> object:
        return derived(name, tuple(sorted(limits.items())))

    def direct(name: str, params: dict, omega) -> complex | None:
        if isinstance(omega, complex):
            return _wide_band_det(model.with_params(params), omega) if name == "det" else None
        # method="direct": the numeric solve, never the closed-form evaluators printed from the derivation
        values = model.with_params(params).evaluate([name], [omega], method="direct")[name]
        v = complex(values[0])
        return None if cmath.isnan(v) else v

    def bands(limits: dict) -> list:
        where = dict(limits) or None
        out = [(p, symbolic.lead_band(p, where=where)) for p in symbolic.leads]
        return [(p, *band) for p, band in out if band is not None]

    return ModelBackend(model.model_dict["parameters"], symbols, tuple(symbolic.quantities()), quantity, direct,
                        bands)


def _wide_band_det(model, omega: complex) -> complex | None:
    r"""det(omega - H - Sigma) at a complex omega (a resonance), from the numeric model's region matrix.

    Only where every lead is wide-band (:math:`\Sigma_p = -i w_p`, constant): then the determinant
    continues to complex omega without a choice of sheet.  Otherwise None.
    """
    import numpy as np
    import scipy.sparse as sps

    tb = model.tight_binding()
    if tb.depends_on_omega or not all(lead.is_wide_band for lead in tb.leads):
        return None
    H = tb.H.toarray() if sps.issparse(tb.H) else np.asarray(tb.H, dtype=complex)
    A = omega * np.eye(len(H)) - H
    for lead in tb.leads:
        A[lead.site, lead.site] += 1j * complex(lead.strength)
    return complex(np.linalg.det(A))
