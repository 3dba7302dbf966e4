"""Numerics specific to the ``anglin`` lossy lattice: NumPy/SciPy/mpmath only, never SymPy.

Parameters (``parameters``), closed-form transmission from the generated
evaluators (``transmission``), the independent direct solve (``device``),
currents (``currents``, ``curves``), resonance poles (``resonances``),
finite-lattice dynamics (``dynamics``) and bound states (``bound_states``).
General machinery lives one level up in :mod:`numeric`.
"""
