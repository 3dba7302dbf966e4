"""Numerics specific to the ``anglin`` lossy lattice: NumPy/SciPy/mpmath only, never SymPy.

Finite-lattice dynamics (``dynamics``, with the first order in the weak links in
``first_order``), built on the general tight-binding core.  The lattice's transmission,
currents, resonances and bound states are those of its model file, by the general
machinery one level up in :mod:`numeric`.
"""
