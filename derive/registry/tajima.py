"""All registry entries of the ``tajima`` paper (imports register them)."""
from . import tajima_currents, tajima_fields, tajima_momentum  # noqa: F401
