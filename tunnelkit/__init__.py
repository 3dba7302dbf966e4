"""tunnelkit: symbolic re-derivation and high-precision evaluation of tunneling-transport results.

The application layer: the public API (this module), the ``tunnelkit`` command line
(:mod:`tunnelkit.cli`), the equation registry and its reports (:mod:`tunnelkit.registry`),
figures (:mod:`tunnelkit.figures`) and parameter sweeps (:mod:`tunnelkit.sweeps`).  It builds on
:mod:`derive` (SymPy only) and :mod:`numeric` (NumPy/SciPy/mpmath only), which never import it.

Entry points are loaded on first use, so ``import tunnelkit`` is cheap and the numeric entry
points never import SymPy.

Conventions: hbar = k_B = 1; lattice energies in units of the middle-chain hopping; ``tajima``
quantities in units of E_F = T_F.  Every ``dps=`` argument means exact inputs (decimal strings
are exact rationals, see :func:`exact`) and that many correct digits.

A user's own lattice (model files, ``docs/model-files.md``)
    :class:`Model` (``Model.from_file(path).with_params(...)``: ``transmission``, ``evaluate``,
    ``current``, ``derive``), :func:`load_model_file`, :func:`model_map`, :func:`to_kwant`
A user's own paper (paper files, ``docs/paper-files.md``)
    :func:`verify_paper` (decide every equation: verified / erratum with the corrected LaTeX /
    unverifiable), :func:`paper_report` (the Markdown report), :func:`report_table` (the outcomes as a table
    in Jupyter or pandas), :func:`load_paper`, :class:`PaperFileError`
A user's own Hamiltonian (field files, ``docs/field-files.md``)
    :func:`load_fields`, :func:`split_file`, :func:`split_model`, :func:`fock_check`
Lossy lattice (``anglin``)
    :class:`LossyLattice`, :func:`transmission`, :func:`currents`, :func:`current_curve`,
    :func:`bias_curve`, :class:`FiniteLattice`, :func:`evolve`, :func:`bound_states`
Pair tunnelling (``tajima``)
    :func:`pair_ratio`, :func:`critical_temperature`
Equations
    :func:`verify` (run registered checks), :func:`derived` (the project's form of an equation id)
Figures and sweeps
    :func:`figure`, :func:`sweep`, :func:`grid`
Exact numbers
    :func:`exact`

Results show as tables in Jupyter (``Model``, ``Transmission``, ``Currents``, verification outcomes) and
have a one-line ``repr``; ``Transmission`` and ``Currents`` have ``to_dataframe()`` (``pip install
'tunnelkit[frames]'``) and ``save(path)``/``load(path)`` (JSON, :mod:`tunnelkit.models.model_results`).  The long
functions (:func:`evolve`, :func:`pair_ratio`, :func:`sweep`, :func:`model_map`, :func:`verify`,
:func:`verify_paper`, ``Model.current`` with ``dps``) take ``progress=True`` for a ``tqdm.auto`` bar
(off by default).

>>> import tunnelkit
>>> lat = tunnelkit.LossyLattice(M=2, tau1=0.1, gamma=0.0, Lambda=1.0)
>>> tr = tunnelkit.transmission(lat, [0.3])
>>> bool(abs(tr.T2[0] + tr.RL2[0] - 1) < 1e-12)
True
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = [
    "Model", "ModelError", "ModelFileError", "load_model_file", "model_map", "to_kwant",
    "verify_paper", "paper_report", "report_table", "load_paper", "PaperFileError",
    "load_fields", "split_file", "split_model", "fock_check", "FieldFileError",
    "LossyLattice", "bias_curve", "transmission", "currents", "current_curve", "FiniteLattice", "evolve", "bound_states",
    "pair_ratio", "critical_temperature",
    "verify", "derived",
    "figure", "sweep", "grid",
    "exact",
]

#: public name -> "module:attribute", imported on first access
_LAZY = {
    "Model": "tunnelkit.models.model:Model",
    "ModelError": "tunnelkit.models.model:ModelError",
    "ModelFileError": "tunnelkit.models.model_file:ModelFileError",
    "load_model_file": "tunnelkit.models.model_file:load_model_file",
    "model_map": "tunnelkit.sweeps:model_map",
    "to_kwant": "tunnelkit.models.kwant_glue:to_kwant",
    "verify_paper": "tunnelkit.claims.paper_verify:verify_paper",
    "paper_report": "tunnelkit.claims.paper_verify:paper_report",
    "load_paper": "tunnelkit.claims.paper_file:load_paper",
    "PaperFileError": "tunnelkit.claims.paper_file:PaperFileError",
    "load_fields": "tunnelkit.fields.field_file:load_fields",
    "split_file": "tunnelkit.fields.field_file:split_file",
    "split_model": "tunnelkit.fields.field_file:split_model",
    "fock_check": "tunnelkit.fields.field_check:fock_check",
    "FieldFileError": "tunnelkit.fields.field_file:FieldFileError",
    "bias_curve": "tunnelkit.models.lossy_lattice:bias_curve",
    "LossyLattice": "tunnelkit.models.lossy_lattice:LossyLattice",
    "currents": "tunnelkit.models.lossy_lattice:currents",
    "current_curve": "tunnelkit.models.lossy_lattice:current_curve",
    "FiniteLattice": "numeric.papers.anglin.dynamics:FiniteLattice",
    "evolve": "numeric.papers.anglin.dynamics:evolve",
    "bound_states": "tunnelkit.models.lossy_lattice:bound_states",
    "pair_ratio": "numeric.papers.tajima.pair_ratio:pair_ratio",
    "critical_temperature": "numeric.papers.tajima.pair_ratio:critical_temperature",
    "sweep": "tunnelkit.sweeps:sweep",
    "grid": "tunnelkit.sweeps:grid",
    "exact": "numeric.precision:exact",
}
#: numeric functions whose ``progress`` also takes True (a tqdm.auto bar: :func:`tunnelkit.terminal.progress_option`)
_PROGRESS_OPTION = {"evolve", "pair_ratio"}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from numeric.papers.anglin.dynamics import FiniteLattice, evolve
    from numeric.precision import exact
    from numeric.papers.tajima.pair_ratio import critical_temperature, pair_ratio
    from tunnelkit.fields.field_check import fock_check
    from tunnelkit.fields.field_file import FieldFileError, load_fields, split_file, split_model
    from tunnelkit.models.kwant_glue import to_kwant
    from tunnelkit.models.lossy_lattice import LossyLattice, bias_curve, bound_states, current_curve, currents
    from tunnelkit.models.model_file import ModelFileError, load_model_file
    from tunnelkit.models.model import Model, ModelError
    from tunnelkit.claims.paper_file import PaperFileError, load_paper
    from tunnelkit.claims.paper_verify import paper_report, verify_paper
    from tunnelkit.sweeps import grid, model_map, sweep


def __getattr__(name: str) -> Any:
    if name == "__version__":  # looked up on first use: ``import tunnelkit`` stays cheap
        from tunnelkit.version import version

        globals()["__version__"] = value = version()
        return value
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'tunnelkit' has no attribute {name!r}")
    module, attr = target.split(":")
    value = getattr(importlib.import_module(module), attr)
    if name in _PROGRESS_OPTION:
        from tunnelkit.terminal import with_progress_option

        value = with_progress_option(value)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | {"__version__"})


def verify(paper: str | None = None, *, ids: list[str] | None = None, use_cache: bool = True,
           jobs: int = 1, progress: Any = None) -> list:
    """Run the registered checks of the printed equations.

    Parameters
    ----------
    paper : {"anglin", "tajima"}, optional
        Only this paper's equations (default: both).
    ids : list of str, optional
        Only these equation ids (``"anglin:33"``, ...); overrides ``paper``.
    use_cache : bool
        Reuse results cached under a hash of the project's sources.
    jobs : int
        Worker processes for uncached checks.
    progress : bool or callable, optional
        ``True``: a ``tqdm.auto`` bar advanced per check run (:func:`tunnelkit.terminal.progress_option`).

    Returns
    -------
    list of tunnelkit.registry.core.Outcome
        One per check, in paper order: ``.result.status`` is ``"verified"``, ``"erratum"`` or
        ``"unverifiable"``, with ``.result.method``, ``.result.detail`` and, for an erratum,
        ``.result.corrected`` (LaTeX).

    >>> [o.result.status for o in verify(ids=["anglin:25"])]
    ['verified']
    """
    from tunnelkit.registry import REGISTRY, UnknownId, load, ordered_ids, run_checks
    from tunnelkit.terminal import progress_option

    load()  # the registry's modules (ids given: ordered_ids, which loads them, is not called)
    todo = ordered_ids(paper) if ids is None else list(ids)
    unknown = [i for i in todo if i not in REGISTRY]
    if unknown:
        raise UnknownId(unknown[0])
    return run_checks(todo, use_cache=use_cache, jobs=jobs, progress=progress_option(progress))


def derived(id_: str) -> list:
    """The project's derived SymPy form(s) of a registered equation id (``tunnelkit derive ID``).

    Parameters
    ----------
    id_ : str
        Equation id, e.g. ``"anglin:17"``.

    Returns
    -------
    list of sympy.Basic
        The derived expression(s); LaTeX with :func:`sympy.latex`.

    >>> [str(e.rhs) for e in derived("anglin:17")]  # the lead dispersions
    ['-2*Lambda*cos(k_L) + V/2', '-2*Lambda*cos(k_R) - V/2']
    """
    from tunnelkit.registry import get

    entry = get(id_)
    if entry.derived is None:
        raise ValueError(f"{id_} has no derived expression")
    out = entry.derived()
    return list(out) if isinstance(out, (list, tuple)) else [out]


def figure(name: str, out: str, *, light: bool = False) -> str:
    """Reproduce a paper figure (``anglin-fig2`` ... ``anglin-fig8``, ``tajima-fig2``) into ``out``.

    Parameters
    ----------
    name : str
        Figure name.
    out : str
        Output path (``.png``, ``.pdf`` or ``.svg``).
    light : bool
        Coarse grids (seconds instead of minutes).

    Returns
    -------
    str
        A one-line summary of what was written.
    """
    from tunnelkit.figures import render

    return render(name, out, light=light)


def transmission(system: Any, omega: Any, *, dps: int | None = None, method: str = "auto", threads: int = 1) -> Any:
    """Transmission and reflection probabilities of a :class:`Model` or a :class:`LossyLattice` over ``omega``.

    Parameters
    ----------
    system : Model or LossyLattice
        A model with every parameter value set (``Model.from_file(path).with_params(...)``: its
        :meth:`Model.transmission`), or the paper's lattice (:func:`tunnelkit.models.lossy_lattice.transmission`: its
        bundled model, the paper's names).
    omega : array_like
        Real energies (exact values with ``dps``: decimal strings are exact).
    dps : int, optional
        Correct significant digits (mpmath).
    method : {"auto", "closed", "direct"}
        A model's route (closed form or direct solve); a LossyLattice takes "auto" (its model's route).
    threads : int
        1 (a LossyLattice accepts any value for callers of the earlier lattice route).

    Returns
    -------
    tunnelkit.models.model_results.Transmission or tunnelkit.models.lossy_lattice.Transmission
        A model's ``T2["p->q"]``, ``R2["p"]``, ``absorbed["p"]``; the lattice's ``T2``, ``RL2``, ``RR2``, ...

    >>> import tunnelkit
    >>> dot = tunnelkit.Model(parameters={"eps": {}}, sites={"d": "eps"},
    ...                       leads=[{"name": n, "site": "d", "hopping": "-1", "coupling": "-0.5"} for n in "LR"])
    >>> round(float(tunnelkit.transmission(dot.with_params(eps=0), [0.0]).T2["L->R"][0]), 12)
    1.0
    """
    import sys

    from tunnelkit.models.lossy_lattice import LossyLattice

    if isinstance(system, LossyLattice):
        if method != "auto":
            raise ValueError(f"method: a LossyLattice takes 'auto', its model's route (got {method!r})")
        from tunnelkit.models.lossy_lattice import transmission as lattice_transmission

        return lattice_transmission(system, omega, dps=dps, threads=threads)
    models = sys.modules.get("tunnelkit.models.model")  # a Model exists only once its module is imported
    if models is not None and isinstance(system, models.Model):
        if threads != 1:
            raise ValueError(f"threads: a Model is evaluated with threads=1 (got {threads!r})")
        return system.transmission(omega, dps=dps, method=method)
    hint = " (for a model file: tunnelkit.Model.from_file(path).with_params(...))" \
        if isinstance(system, (str, bytes)) or hasattr(system, "__fspath__") else ""
    raise TypeError(f"transmission() takes a tunnelkit.Model or a tunnelkit.LossyLattice as its first argument "
                    f"(got {type(system).__name__}){hint}")


def report_table(outcomes: Any, *, title: str = "") -> Any:
    """Verification outcomes as a table: HTML/Markdown in Jupyter, ``to_dataframe()``, a one-line ``repr``.

    Parameters
    ----------
    outcomes : list of Outcome, or (PaperFile, list of Outcome)
        What :func:`verify` returns, or what :func:`verify_paper` returns (its title is then the paper's).
    title : str
        Shown above the table.

    Returns
    -------
    tunnelkit.result_display.OutcomeTable
        A list of the outcomes (status, method, printed and corrected LaTeX of each).

    >>> report_table(verify(ids=["anglin:25"]))
    OutcomeTable(1 equation: 1 verified, 0 errata, 0 unverifiable.)
    """
    from tunnelkit.result_display import OutcomeTable

    if isinstance(outcomes, tuple) and len(outcomes) == 2 and isinstance(outcomes[1], list):
        paper, outcomes = outcomes
        title = title or str(getattr(paper, "title", "") or getattr(paper, "id", ""))
    return OutcomeTable(list(outcomes), title=title)
