"""Ladder-operator algebra and the split of any local field Hamiltonian into tunneling terms."""
