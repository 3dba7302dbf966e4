"""All registry entries of the ``anglin`` paper (imports register them)."""
from . import anglin_claims, anglin_currents, anglin_dynamics, anglin_finite, anglin_scattering  # noqa: F401
