"""Fock spaces and Jordan-Wigner matrices of field Hamiltonians."""
