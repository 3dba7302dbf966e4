"""The size of a model's region and the numeric model that checks a closed-form result.

A region is built as a matrix (the direct solver, the invariants' region kind) only up to
:data:`tunnelkit.limits.REGION_MAX_SITES` sites; the closed form takes segments of any length up to
:data:`tunnelkit.limits.CLOSED_REGION_MAX_SITES` (its continuants are O(1) in the length), and its results
are then checked on a stand-in whose segments have at most 3 sites: the same entries on the diagonal and on
the bonds (the same region kind: Hermitian, lossy or general) and the same leads (the same lead states).
"""
from __future__ import annotations

from typing import Any

from numeric.models.tight_binding import TightBinding
from tunnelkit.limits import CLOSED_REGION_MAX_SITES, REGION_MAX_SITES
from tunnelkit.models.model_inputs import ModelError

__all__ = ["check_region_size", "check_model", "beyond_region", "STAND_IN_LENGTH"]

#: segment length of the stand-in that checks a closed-form result of a region too long to build
STAND_IN_LENGTH = 3


def check_region_size(model: Any, *, closed: bool = False) -> None:
    """Refuse (ModelError, one line) a segment of length < 1 or a region of more sites than a route takes.

    A segment needs at least one site in every route (the closed forms' Chebyshev continuation to length 0
    is not the model without the segment, and .first/.last would name no site).

    Parameters
    ----------
    model : tunnelkit.models.model.Model
    closed : bool
        The closed form's limit (CLOSED_REGION_MAX_SITES), else that of a built region (REGION_MAX_SITES).
    """
    limit = CLOSED_REGION_MAX_SITES if closed else REGION_MAX_SITES
    if not model.segments:
        if len(model.sites) > REGION_MAX_SITES:
            raise ModelError(f"{model.where}: [sites] has {len(model.sites)} sites; at most {REGION_MAX_SITES} "
                             "region sites are allowed")
        return
    lengths = model._segment_lengths()
    for seg in model.segments:
        if lengths[seg["name"]] < 1:
            raise ModelError(f"{model.where}: segment {seg['name']} has length {seg['length']} = "
                             f"{lengths[seg['name']]} here; a segment needs at least one site (length >= 1): "
                             "describe this case without the segment, its neighbours linked directly")
    n = len(model.sites) + sum(lengths.values())
    if n > limit:
        longest = max(model.segments, key=lambda seg: lengths[seg["name"]])
        raise ModelError(f"{model.where}: [[segment]] {longest['name']} length {longest['length']} = "
                         f"{lengths[longest['name']]}: the region would have {n} sites; at most {limit} sites "
                         "are allowed" + (f" (the closed form takes up to {CLOSED_REGION_MAX_SITES})"
                                          if limit < CLOSED_REGION_MAX_SITES else ""))


def check_model(model: Any, backend: str = "numpy") -> TightBinding:
    """The numeric model that checks a closed-form result: the model's own, or its short-segment stand-in.

    Parameters
    ----------
    model : tunnelkit.models.model.Model
    backend : {"numpy", "mpmath"}
        ("mpmath": inside ``mpmath.workdps``.)

    Returns
    -------
    numeric.models.tight_binding.TightBinding
        Beyond REGION_MAX_SITES, that of the model with every segment cut to :data:`STAND_IN_LENGTH` sites.
    """
    if not beyond_region(model):
        return model.tight_binding(backend=backend)
    memo = model._memo
    if "stand_in" not in memo:
        lengths = model._segment_lengths()
        short = [dict(seg, length=str(min(lengths[seg["name"]], STAND_IN_LENGTH))) for seg in model.segments]
        memo["stand_in"] = type(model)(model.parameters, model.sites, model.hoppings, short, model.leads, model.name,
                                       model.values, model.source)
    return memo["stand_in"].tight_binding(backend=backend)


def beyond_region(model: Any) -> bool:
    """Whether the model's region has more sites than a built region may (only the closed form takes it)."""
    return model._n_sites(region=False) > REGION_MAX_SITES
