"""All registry entries of the ``anglin`` paper (imports register them)."""
import tunnelkit.registry.anglin_claims as anglin_claims; import tunnelkit.registry.anglin_currents as anglin_currents; import tunnelkit.registry.anglin_dynamics as anglin_dynamics; import tunnelkit.registry.anglin_finite as anglin_finite; import tunnelkit.registry.anglin_scattering as anglin_scattering  # noqa: F401
