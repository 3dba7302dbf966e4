"""Numerics specific to the ``tajima`` paper: NumPy/SciPy/mpmath only, never SymPy.

Jordan-Wigner realisation of the split-field Hamiltonian (``split_fock``),
barrier modes by ODE integration (``barrier_modes``), pair-tunnelling G/S
(``pair_ratio``), the weak-link Landauer check (``weak_link``) and the spin
current (``spin_current``).  General machinery lives one level up in
:mod:`numeric`.
"""
