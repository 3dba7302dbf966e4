"""Numerical evaluation: NumPy, SciPy, mpmath; never imports SymPy, :mod:`derive` or :mod:`tunnelkit`.

Grouped by capability: :mod:`numeric.models` (any lossy tight-binding scatterer:
the direct solver, closed-form evaluators, currents, bound states, poles,
invariants), :mod:`numeric.fields` (Fock spaces and Jordan-Wigner matrices) and
:mod:`numeric.papers` (what only one paper needs); at this level the precision
backends (:mod:`numeric.precision`), the one quadrature engine, occupation
functions, progress, work buffers and parameter errors.  Closed-form evaluators
in :mod:`numeric._generated` are printed from :mod:`derive` (drift-tested); the
direct solver shares no formula with them.
"""
