"""Numerics specific to the ``tajima`` paper: NumPy/SciPy/mpmath only, never SymPy.

Fourier sums of the general Jordan-Wigner fields on a ring (``ring_fourier``),
barrier modes by ODE integration (``barrier_modes``), pair-tunnelling G/S
(``pair_ratio``), the weak-link Landauer check (``weak_link``) and the spin
current (``spin_current``).  General machinery lives one level up in
:mod:`numeric`.
"""
