"""Any lossy tight-binding scatterer in numbers: Green's functions, leads, closed-form evaluators, currents, bound states, poles, invariants."""
