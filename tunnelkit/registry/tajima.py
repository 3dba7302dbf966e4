"""All registry entries of the ``tajima`` paper (imports register them)."""
import tunnelkit.registry.tajima_currents as tajima_currents; import tunnelkit.registry.tajima_fields as tajima_fields; import tunnelkit.registry.tajima_momentum as tajima_momentum  # noqa: F401
