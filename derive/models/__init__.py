"""Closed-form scattering of any tight-binding model (SymPy): model values, Schur elimination, segments, poles."""
