r"""The lossy lattice of the paper ``anglin`` as a bundled model file: one :class:`~tunnelkit.models.Model`.

The built-in lattice commands and functions (``--M/--tau1/--gamma/--Lambda/--V``) are sugar for this
model: a middle chain of :math:`2M+1` sites (hopping 1, ``H = -1`` on its bonds) with loss
:math:`\gamma` on the central site, weak links :math:`\tau_1\sqrt\Lambda` (corrected placement,
erratum ``anglin:2``) to outer lattices of hopping :math:`\Lambda` at potentials :math:`\pm V/2`;
:math:`\Lambda=\infty` is the reservoir limit.  M = 0 is the lossy site alone with both leads on it
(``models_data/anglin_lossy_site.toml``), M >= 1 the chain (``models_data/anglin_lattice.toml``, the
same file as ``examples/models/anglin_lattice.toml``).

>>> lattice_model(2, "0.1", "0.5", "inf").values["M"], lattice_model(0, "0.1", "0.5", 1).lead_names
(2, ('L', 'R'))
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

from tunnelkit.models import Model

__all__ = ["lattice_model", "MODEL_FILES"]

#: the bundled model files: the chain (M >= 1) and the lossy site alone (M = 0)
MODEL_FILES = {"chain": "anglin_lattice.toml", "site": "anglin_lossy_site.toml"}


@lru_cache(maxsize=None)
def _base(kind: str) -> Model:
    path = resources.files("tunnelkit") / "models_data" / MODEL_FILES[kind]
    with resources.as_file(path) as p:
        return Model.from_file(p)


def lattice_model(M: Any, tau1: Any, gamma: Any, Lambda: Any = "inf", V: Any = 0) -> Model:
    r"""The lattice with these parameter values (exact: decimal strings, ints, Fractions, ``"inf"``).

    Parameters
    ----------
    M : int
        Half length of the middle chain (>= 0; 0: the lossy site alone).
    tau1, gamma, Lambda, V
        Weak link (> 0), loss rate (>= 0), outer hopping (>= 1 or ``"inf"``), potential difference.

    Returns
    -------
    tunnelkit.models.Model
        The bundled model with the values set (ranges checked when it is evaluated).
    """
    values = {"tau1": tau1, "gamma": gamma, "Lambda": Lambda, "V": V}
    if isinstance(M, int) and not isinstance(M, bool) and M == 0:
        return _base("site").with_params(values)
    return _base("chain").with_params(M=M, **values)
