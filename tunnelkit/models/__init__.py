"""Model files and the Model API: reading, routes (closed form, direct), guards, results, currents, the bundled lattice."""
