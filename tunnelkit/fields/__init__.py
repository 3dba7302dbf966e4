"""Field files: reading and checking a field Hamiltonian split into tunneling terms."""
